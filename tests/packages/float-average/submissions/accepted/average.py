#!/usr/bin/env python3
# Average: Python's true division of exact integers, printed as repr (scientific for tiny values is fine).
import sys

n, *a = map(int, sys.stdin.read().split())
print(sum(a) / n)
