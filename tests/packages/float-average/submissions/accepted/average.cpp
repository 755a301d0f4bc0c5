// Average: long double mean, fixed notation.
#include <iomanip>
#include <iostream>

int main()
{
	int n;
	std::cin >> n;
	long double sum = 0;
	for (int i = 0; i < n; i++) {
		long long a;
		std::cin >> a;
		sum += a;
	}
	std::cout << std::fixed << std::setprecision(10) << sum / n << "\n";
}
