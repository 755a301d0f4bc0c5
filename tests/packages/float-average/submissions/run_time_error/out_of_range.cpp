// Crashes: vector::at throws std::out_of_range, which nobody catches (abort).
#include <iostream>
#include <vector>

int main()
{
	int n;
	std::cin >> n;
	std::vector<long long> a(n);
	for (int i = 0; i <= n; i++)
		std::cin >> a.at(i);
	std::cout << a[0] << "\n";
}
