#!/usr/bin/env python3
# Prints each greeting exactly.
n = int(input())
for _ in range(n):
    print(f"Hello, {input().strip()}!")
