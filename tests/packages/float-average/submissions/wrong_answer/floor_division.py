#!/usr/bin/env python3
# Wrong: floor division.
import sys

n, *a = map(int, sys.stdin.read().split())
print(sum(a) // n)
