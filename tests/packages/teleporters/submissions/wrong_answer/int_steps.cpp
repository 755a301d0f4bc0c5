// Partial (group 1 only): keeps the step count in an int, which wraps long
// before 10^18 (done with unsigned arithmetic, so the wrap is defined).
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
	unsigned steps = static_cast<unsigned>(k); // keeps only the low 32 bits
	std::vector<long long> first(n + 1, -1);
	int room = 1;
	for (unsigned step = 0; step < steps; step++) {
		if (first[room] >= 0) {
			unsigned left = (steps - step) % (step - first[room]);
			while (left--)
				room = t[room];
			break;
		}
		first[room] = step;
		room = t[room];
	}
	std::cout << room << "\n";
}
