#!/usr/bin/env python3
# Fails: exits with status 3 after printing a correct first line.
import sys

n = int(input())
print(f"Hello, {input().strip()}!")
sys.exit(3)
