#!/usr/bin/env python3
"""Writes data/secret/*.in and every .ans (exact averages to 10 decimals)."""
import random
from fractions import Fraction
from pathlib import Path

root = Path(__file__).resolve().parent.parent / "data"
random.seed(20261126)
secret = {
    "01-small": [5, -2, 8],
    "02-negative": [-7, -8, -10, -1],
    "03-big": [10**9, 10**9 - 1, 10**9 - 3],
    "04-random": [random.randint(-10**9, 10**9) for _ in range(1000)],
    "05-thirds": [random.choice((1, 2, 4)) * 10**8 + 1 for _ in range(999)],
}
for name, a in secret.items():
    (root / "secret" / f"{name}.in").write_text(f"{len(a)}\n{' '.join(map(str, a))}\n")


def decimal(q, digits=10):
    """q rounded to `digits` decimals, exactly."""
    scaled = round(abs(q) * 10**digits)
    sign = "-" if q < 0 and scaled else ""
    return f"{sign}{scaled // 10**digits}.{scaled % 10**digits:0{digits}d}"


for f in sorted(root.glob("*/*.in")):
    n, *a = map(int, f.read_text().split())
    f.with_suffix(".ans").write_text(decimal(Fraction(sum(a), n)) + "\n")
