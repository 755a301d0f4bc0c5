#!/usr/bin/env python3
# Walk until a room repeats, then skip whole cycles.
import sys

n, k, *t = map(int, sys.stdin.read().split())
t = [0] + t
seen = {}
room, step = 1, 0
while step < k:
    if room in seen:
        for _ in range((k - step) % (step - seen[room])):
            room = t[room]
        break
    seen[room] = step
    room = t[room]
    step += 1
print(room)
