// Swaps neighbours (2 1 4 3 ...); for odd n the last three rotate instead.
#include <iostream>
#include <numeric>
#include <vector>

int main()
{
	int n;
	std::cin >> n;
	std::vector<int> p(n + 1);
	std::iota(p.begin(), p.end(), 0);
	int pairs_end = n % 2 ? n - 3 : n;
	for (int i = 1; i + 1 <= pairs_end; i += 2)
		std::swap(p[i], p[i + 1]);
	if (n % 2) {
		p[n - 2] = n - 1;
		p[n - 1] = n;
		p[n] = n - 2;
	}
	for (int i = 1; i <= n; i++)
		std::cout << p[i] << (i == n ? '\n' : ' ');
}
