#!/usr/bin/env python3
"""Prints "OK FAILED" counted over a meson testlog.json: TAP subtests count one by one.

With a second argument, appends the name of each test that did not pass to that file, one a
line, after the label given as the third (test.sh lists them again at its end)."""
import json
import sys

ok = failed = 0
names = []
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        result = json.loads(line)
        if result.get("result") in ("OK", "EXPECTEDFAIL", "SKIP"):
            ok += 1
        else:
            failed += 1
            names.append("%s (%s)" % (result.get("name", "?"), result.get("result", "?")))
if len(sys.argv) > 2 and names:
    label = sys.argv[3] if len(sys.argv) > 3 else ""
    with open(sys.argv[2], "a", encoding="utf-8") as out:
        for name in names:
            out.write("%s%s\n" % (label + ": " if label else "", name))
print(ok, failed)
