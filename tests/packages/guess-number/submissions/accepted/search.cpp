#include <iostream>
#include <string>

int main()
{
	long long n;
	std::cin >> n;
	long long lo = 1, hi = n;
	std::string word;
	while (lo <= hi) {
		long long mid = lo + (hi - lo) / 2;
		std::cout << "guess " << mid << std::endl;
		if (!(std::cin >> word) || word == "correct")
			return 0;
		if (word == "higher")
			lo = mid + 1;
		else
			hi = mid - 1;
	}
}
