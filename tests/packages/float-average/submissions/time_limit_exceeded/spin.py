#!/usr/bin/env python3
# Never finishes.
while True:
    pass
