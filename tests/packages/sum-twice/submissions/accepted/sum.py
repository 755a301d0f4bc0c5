import sys

words = sys.stdin.read().split()
print(sum(int(w) for w in words[1:1 + int(words[0])]))
