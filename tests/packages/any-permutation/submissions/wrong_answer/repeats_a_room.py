#!/usr/bin/env python3
# Wrong: the last guest is sent to room 2 again instead of room 1.
n = int(input())
print(" ".join(str(i + 1 if i < n else 2) for i in range(1, n + 1)))
