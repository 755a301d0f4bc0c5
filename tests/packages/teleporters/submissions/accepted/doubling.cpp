// Binary lifting: jump[j][i] is where 2^j teleports from room i lead.
#include <cstdint>
#include <iostream>
#include <vector>

int main()
{
	int n;
	std::uint64_t k;
	std::cin >> n >> k;
	std::vector<std::vector<int>> jump(60, std::vector<int>(n + 1));
	for (int i = 1; i <= n; i++)
		std::cin >> jump[0][i];
	for (int j = 1; j < 60; j++)
		for (int i = 1; i <= n; i++)
			jump[j][i] = jump[j - 1][jump[j - 1][i]];
	int room = 1;
	for (int j = 0; j < 60; j++)
		if (k >> j & 1)
			room = jump[j][room];
	std::cout << room << "\n";
}
