#!/usr/bin/env python3
# Everyone moves one room down; the first guest takes room n.
n = int(input())
print(" ".join(str(n if i == 1 else i - 1) for i in range(1, n + 1)))
