#!/usr/bin/env python3
# Crashes: indexes one past the end.
import sys

n, *a = map(int, sys.stdin.read().split())
print(sum(a[i] for i in range(n + 1)) / n)
