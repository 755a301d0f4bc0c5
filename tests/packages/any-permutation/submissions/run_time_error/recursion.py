#!/usr/bin/env python3
# Crashes: unbounded recursion raises RecursionError.
def assign(i):
    return assign(i + 1)


n = int(input())
print(assign(1))
