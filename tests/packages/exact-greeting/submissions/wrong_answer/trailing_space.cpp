// Wrong only because of whitespace: a space before each newline.
#include <iostream>
#include <string>

int main()
{
	int n;
	std::cin >> n;
	for (int i = 0; i < n; i++) {
		std::string name;
		std::cin >> name;
		std::cout << "Hello, " << name << "! \n";
	}
}
