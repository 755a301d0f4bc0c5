#!/usr/bin/env python3
"""Writes the test data of Teleporters: inputs, and answers from a reference walk."""
import random
from pathlib import Path

root = Path(__file__).resolve().parent.parent / "data"
random.seed(7)


def chain_then_cycle(n, tail):
    """Rooms 1..tail lead into a cycle through the other rooms, in random order."""
    rest = list(range(2, n + 1))
    random.shuffle(rest)
    order = [1] + rest
    t = [0] * (n + 1)
    for a, b in zip(order, order[1:]):
        t[a] = b
    t[order[-1]] = order[tail]
    return t[1:]


def answer(t, k):
    seen, room, step = {}, 1, 0
    while step < k:
        if room in seen:
            cycle = step - seen[room]
            for _ in range((k - step) % cycle):
                room = t[room - 1]
            return room
        seen[room] = step
        room = t[room - 1]
        step += 1
    return room


tests = {
    "sample/1": ([2, 3, 1], 4),
    "sample/2": ([2, 3, 4, 2], 5),
    "secret/group1/01-self-loop": ([1], 10**6),
    "secret/group1/02-tail": (chain_then_cycle(10, 4), 999_999),
    "secret/group1/03-random": ([random.randint(1, 1000) for _ in range(1000)], 10**6),
    "secret/group1/04-zero": ([2, 1], 0),
    "secret/group2/01-long-tail": (chain_then_cycle(1000, 600), 10**18),
    "secret/group2/02-big-cycle": (chain_then_cycle(1000, 0), 10**18 - 1),
    "secret/group2/03-random": ([random.randint(1, 1000) for _ in range(1000)], 987654321987654321),
}
for name, (t, k) in tests.items():
    (root / f"{name}.in").write_text(f"{len(t)} {k}\n{' '.join(map(str, t))}\n")
    (root / f"{name}.ans").write_text(f"{answer(t, k)}\n")
