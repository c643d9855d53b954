#!/usr/bin/env python3
"""sanitizer_scope_test.py - which code of the fuzzing build carries the sanitizers' checks.

With -Dfuzzing=true the harness is compiled without AddressSanitizer's and UBSan's checks
(meson.build, harness_c_args) and the code under test with them: every object ASan
instruments calls __asan_init from its constructor, and every UBSan check calls a
__ubsan_handle_ routine. Reads the symbols with nm: none of those in the harness's
libraries, both in a routine module and in the scenario parser's own copy that its fuzz
target links. --harness-sanitized (-Dfuzz_sanitize_harness=true) expects them everywhere.
TAP on stdout.
"""
import argparse
import subprocess

P = argparse.ArgumentParser()
P.add_argument("--nm", required=True)
P.add_argument("--undefined", action="store_true", help="b_sanitize has UBSan")
P.add_argument("--harness-sanitized", action="store_true")
P.add_argument("--harness", nargs="+", required=True, help="the harness's libraries")
P.add_argument("--under-test", nargs="+", required=True, help="code under test")
A = P.parse_args()

MARKS = ["__asan_init"] + (["__ubsan_handle_"] if A.undefined else [])


def marks(path):
    """The sanitizer marks the file's symbol table names."""
    args = [A.nm, "-D", path] if path.endswith(".so") else [A.nm, path]
    out = subprocess.run(args, capture_output=True, text=True).stdout
    return [m for m in MARKS if m in out]


results = []
for path in A.harness:
    found = marks(path)
    if A.harness_sanitized:
        results.append(("harness sanitized: " + path, found == MARKS, found))
    else:
        results.append(("harness without sanitizer checks: " + path, not found, found))
for path in A.under_test:
    found = marks(path)
    results.append(("under test, sanitized: " + path, found == MARKS, found))

print("TAP version 13")
print("1..%d" % len(results))
for i, (name, ok, found) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        print("# found %s of %s" % (found, MARKS))
