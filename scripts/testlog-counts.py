#!/usr/bin/env python3
"""Prints "OK FAILED" counted over a meson testlog.json: TAP subtests count one by one."""
import json
import sys

ok = failed = 0
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        result = json.loads(line)
        if result.get("result") in ("OK", "EXPECTEDFAIL", "SKIP"):
            ok += 1
        else:
            failed += 1
print(ok, failed)
