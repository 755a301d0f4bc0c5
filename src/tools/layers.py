#!/usr/bin/env python3
"""Checks the parts' object code against the architecture table in src/meson.build.

Usage: layers.py STAMP NAME=ALLOWED,... LIB [NAME=ALLOWED,... LIB ...]

For every part it lists the symbols its static library leaves undefined; one
that another part defines must come from a part in its ALLOWED list (or from
itself). Any other use is printed and the check fails, so the build fails.
On success it writes STAMP."""
import os
import subprocess
import sys


def symbols(lib):
    out = subprocess.run(["nm", "-A", "--format=posix", lib], check=True,
                         capture_output=True, text=True).stdout
    defined, undefined = set(), {}
    for line in out.splitlines():
        # "lib.a[obj.o]: name T value size", or "name U" for undefined ones
        head, _, rest = line.rpartition(": ")
        fields = rest.split()
        if len(fields) < 2:
            continue
        name, kind = fields[0], fields[1]
        obj = os.path.basename(head[head.find("[") + 1:head.rfind("]")] if "[" in head else head)
        if kind == "U":
            undefined.setdefault(name, set()).add(obj)
        elif kind.isupper() or kind in "vw":
            defined.add(name)
    return defined, undefined


def main(argv):
    stamp, rest = argv[1], argv[2:]
    parts = []
    for i in range(0, len(rest), 2):
        name, _, allowed = rest[i].partition("=")
        parts.append((name, set(filter(None, allowed.split(","))), rest[i + 1]))
    owner = {}
    undefined = {}
    for name, _, lib in parts:
        defined, undefined[name] = symbols(lib)
        for sym in defined:
            owner.setdefault(sym, name)
    errors = []
    for name, allowed, _ in parts:
        for sym, objs in sorted(undefined[name].items()):
            o = owner.get(sym)
            if o and o != name and o not in allowed:
                errors.append(f"{name} ({', '.join(sorted(objs))}) uses {sym} of {o}, "
                              f"which it may not use (allowed: {', '.join(sorted(allowed)) or 'none'})")
    if errors:
        print("layers: forbidden uses between parts (see src/meson.build):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    with open(stamp, "w") as f:
        f.write("ok\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
