import sys

words = sys.stdin.read().split()
if words[0] == "2":
    raise RuntimeError("second pass")
print(sum(int(w) for w in words[1:1 + int(words[0])]))
