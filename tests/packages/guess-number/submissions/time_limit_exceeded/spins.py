import sys

n = int(sys.stdin.readline())
print("guess", 1, flush=True)
while True:
    pass
