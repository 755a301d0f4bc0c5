#!/usr/bin/env python3
# Partial (group 1 only): walks when k is small; the cycle shortcut for large
# k skips one teleport too many.
import sys

n, k, *t = map(int, sys.stdin.read().split())
t = [0] + t
seen = {}
room, step = 1, 0
if k <= 10**6:
    for _ in range(k):
        room = t[room]
else:
    while room not in seen:
        seen[room] = step
        room = t[room]
        step += 1
    for _ in range((k - step) % (step - seen[room]) + 1):
        room = t[room]
print(room)
