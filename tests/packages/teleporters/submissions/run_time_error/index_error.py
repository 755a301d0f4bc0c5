#!/usr/bin/env python3
# Crashes: forgets the 1-based padding and runs off the end of the list.
import sys

n, k, *t = map(int, sys.stdin.read().split())
room = 1
for _ in range(min(k, 10**6)):
    room = t[room]
print(room)
