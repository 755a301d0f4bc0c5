#!/usr/bin/env python3
# Wrong only because of whitespace: every greeting on one line.
n = int(input())
print(" ".join(f"Hello, {input().strip()}!" for _ in range(n)))
