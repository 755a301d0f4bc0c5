#!/usr/bin/env python3
"""Writes the package seeds of corpus/package-zip and corpus/package-yaml from
tests/packages: each package zipped without submissions/ and generators/, test
files cut to 256 bytes (the structure matters, not the data), deflated and
stored (so that mutations reach the files), and its YAML files as
package-yaml inputs (problem.yaml, NUL, a testdata.yaml)."""
import pathlib
import zipfile

here = pathlib.Path(__file__).resolve().parent
packages = here.parent / 'packages'
skip = {'submissions', 'generators'}

for pkg in sorted(p for p in packages.iterdir() if p.is_dir()):
    for suffix, method in (('.zip', zipfile.ZIP_DEFLATED), ('-stored.zip', zipfile.ZIP_STORED)):
        out = here / 'corpus' / 'package-zip' / (pkg.name + suffix)
        with zipfile.ZipFile(out, 'w') as z:
            for f in sorted(pkg.rglob('*')):
                rel = f.relative_to(packages)
                if f.is_dir() or skip & set(rel.parts):
                    continue
                data = f.read_bytes()
                if rel.parts[1] == 'data':
                    data = data[:256]
                z.writestr(zipfile.ZipInfo(str(rel), (2024, 1, 1, 0, 0, 0)), data, method)
    yaml = (pkg / 'problem.yaml').read_bytes()
    (here / 'corpus' / 'package-yaml' / (pkg.name + '.yaml')).write_bytes(yaml)
    for i, t in enumerate(sorted(pkg.rglob('testdata.yaml'))):
        seed = here / 'corpus' / 'package-yaml' / f'{pkg.name}-testdata-{i}'
        seed.write_bytes(yaml + b'\0' + t.read_bytes())

# contest-files: the first byte picks the reader (its index in the harness's
# names), the rest is a file of tests/contests/nwerc, or a roster (index 10).
readers = ['teams.json', 'organizations.json', 'groups.json', 'accounts.yaml', 'accounts.json', 'contest.yaml',
           'contest.json', 'problems.yaml', 'problems.json', 'problemset.yaml']
seeds = here / 'corpus' / 'contest-files'
seeds.mkdir(exist_ok=True)
for f in sorted((here.parent / 'contests' / 'nwerc').iterdir()):
    if f.name in readers:
        (seeds / f.name).write_bytes(bytes([readers.index(f.name)]) + f.read_bytes())
(seeds / 'roster.csv').write_bytes(bytes([10]) + b'username,name,password\r\nalice,"Alice, L.",pw-123456\nbob,Bob\n')

# corpus/contest-package: a contest package holding one problem as a zip and
# one as files, stored so that mutations reach the members.
def stored(z, name, data):
    z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_STORED)

(here / 'corpus' / 'contest-package').mkdir(exist_ok=True)
with zipfile.ZipFile(here / 'corpus' / 'contest-package' / 'two-problems.zip', 'w') as z:
    stored(z, 'contest.json', b'{"id": "c1", "name": "C", "duration": "5:00:00", "penalty_time": 20}')
    stored(z, 'problems.json', b'[{"id": "eg", "label": "A"}, {"id": "fa", "label": "B"}]')
    stored(z, 'organizations.json', b'[{"id": "kth", "name": "KTH", "country": "SWE"}]')
    stored(z, 'groups.json', b'[{"id": "g", "name": "G"}]')
    stored(z, 'teams.json', b'[{"id": "t1", "name": "T", "organization_id": "kth", "group_ids": ["g"]}]')
    stored(z, 'accounts.json', b'[{"id": "a", "username": "a", "type": "team", "team_id": "t1"}]')
    stored(z, 'problems/eg/eg.zip', (here / 'corpus' / 'package-zip' / 'exact-greeting-stored.zip').read_bytes())
    pkg = packages / 'float-average'
    for f in sorted(pkg.rglob('*')):
        rel = f.relative_to(pkg)
        if f.is_dir() or skip & set(rel.parts):
            continue
        stored(z, 'problems/fa/' + str(rel), f.read_bytes()[:256])
