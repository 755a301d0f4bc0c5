// Wrong: two decimals are not within 1e-6.
#include <iomanip>
#include <iostream>

int main()
{
	int n;
	std::cin >> n;
	long long sum = 0;
	for (int i = 0; i < n; i++) {
		long long a;
		std::cin >> a;
		sum += a;
	}
	std::cout << std::fixed << std::setprecision(2) << static_cast<double>(sum) / n << "\n";
}
