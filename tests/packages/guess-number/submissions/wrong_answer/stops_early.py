import sys

n = int(sys.stdin.readline())
print("guess", (n + 1) // 2, flush=True)
