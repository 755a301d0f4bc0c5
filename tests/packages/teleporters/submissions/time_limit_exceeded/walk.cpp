// Partial (group 1 only): walks all k steps, so k = 10^18 never finishes.
#include <iostream>
#include <vector>

int main()
{
	int n;
	long long k;
	std::cin >> n >> k;
	std::vector<int> t(n + 1);
	for (int i = 1; i <= n; i++)
		std::cin >> t[i];
	int room = 1;
	for (long long step = 0; step < k; step++)
		room = t[room];
	std::cout << room << "\n";
}
