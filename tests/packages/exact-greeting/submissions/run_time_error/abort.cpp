// Crashes: calls std::abort (SIGABRT) after reading the first name.
#include <cstdlib>
#include <iostream>
#include <string>

int main()
{
	int n;
	std::cin >> n;
	std::string name;
	std::cin >> name;
	if (name.size() < 100)
		std::abort();
	std::cout << "Hello, " << name << "!\n";
}
