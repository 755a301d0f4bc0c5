// Crashes: throws an exception that nobody catches (std::terminate, SIGABRT).
#include <iostream>
#include <stdexcept>

int main()
{
	int n;
	std::cin >> n;
	if (n > 0)
		throw std::runtime_error("teleporter broken");
	std::cout << 1 << "\n";
}
