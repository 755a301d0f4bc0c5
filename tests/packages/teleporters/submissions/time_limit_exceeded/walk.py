#!/usr/bin/env python3
# Partial (group 1 only): walks all k steps, so k = 10^18 never finishes.
import sys

n, k, *t = map(int, sys.stdin.read().split())
t = [0] + t
room = 1
for _ in range(k):
    room = t[room]
print(room)
