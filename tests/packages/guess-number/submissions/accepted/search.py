import sys

n = int(sys.stdin.readline())
lo, hi = 1, n
while lo <= hi:
    mid = (lo + hi) // 2
    print("guess", mid, flush=True)
    word = sys.stdin.readline().strip()
    if word in ("correct", ""):
        break
    if word == "higher":
        lo = mid + 1
    else:
        hi = mid - 1
