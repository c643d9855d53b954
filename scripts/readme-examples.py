#!/usr/bin/env python3
"""Writes the README's example runs from real runs, or checks that they still match.

Usage: readme-examples.py [--check] [--build-dir DIR] [--harness PATH] [README]

Each example in README.md is a ```text block right after a line
`<!-- output of the command below: scripts/readme-examples.py -->`; its first line is the
command as a reader types it from the repository's root (`$ build/harness/cli/hotswap-harness
run ...`). The command is run again (from the repository's root, with `build/` read as
--build-dir and the harness as --harness when given) and the block's other lines become what it
printed, stdout and stderr together, with the build folder's path written `build` again.

--check changes nothing: it exits 1 with a diff when a block differs from what the command
prints now (timings such as "in 0.01 s" are not compared), so a change in the output fails
the test that runs it (tests/examples/meson.build). Without --check the README is rewritten
in place. Exit 2: a block's command cannot be run, or the README has no example.
"""

import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys

MARKER = "<!-- output of the command below: scripts/readme-examples.py -->"
DISPLAY_HARNESS = "build/harness/cli/hotswap-harness"
TIMING = re.compile(r"\bin \d+\.\d+ s\b")


def fail(message, code=2):
    print("readme-examples: " + message, file=sys.stderr)
    sys.exit(code)


def run_example(command_line, root, build_dir, harness):
    """What `$ command_line` prints now, as the README shows it."""
    args = shlex.split(command_line)
    if not args or args[0] != DISPLAY_HARNESS:
        fail("an example's command must start with %s: %r" % (DISPLAY_HARNESS, command_line))
    real = [harness] + [build_dir + a[len("build"):] if a == "build" or a.startswith("build/")
                        else a for a in args[1:]]
    env = dict(os.environ)
    env.pop("HOTSWAP_MODULE_PATH", None)
    env["NO_COLOR"] = "1"
    # A cross build's `meson test` names the program that runs the harness here (wine).
    wrapper = shlex.split(env.get("MESON_EXE_WRAPPER", ""))
    try:
        p = subprocess.run(wrapper + real, cwd=root, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, env=env, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        fail("cannot run %s: %s" % (" ".join(real), e))
    text = p.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    # The build folder as the reader's `build`, however this one is named or reached.
    for form in sorted({build_dir, os.path.abspath(build_dir), os.path.realpath(build_dir)},
                       key=len, reverse=True):
        text = text.replace(form + os.sep, "build/").replace(form + "/", "build/")
    return ["$ " + command_line] + text.rstrip("\n").split("\n")


def examples(lines):
    """(start, end) of each marked block's lines between its fences."""
    found = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == MARKER:
            if i + 1 >= len(lines) or lines[i + 1].strip() != "```text":
                fail("line %d: the marker must be followed by a ```text block" % (i + 1))
            start = i + 2
            end = start
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            if end == len(lines) or end == start or not lines[start].startswith("$ "):
                fail("line %d: the block needs a `$ command` line and a closing fence" %
                     (i + 2))
            found.append((start, end))
            i = end
        i += 1
    return found


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when an example differs")
    parser.add_argument("--build-dir", default=os.path.join(root, "build"),
                        help="the build folder the examples' `build/` means (default build)")
    parser.add_argument("--harness", help="the hotswap-harness executable (default: the "
                        "build folder's harness/cli/hotswap-harness)")
    parser.add_argument("readme", nargs="?", default=os.path.join(root, "README.md"))
    args = parser.parse_args()
    build_dir = args.build_dir.rstrip("/\\")
    harness = args.harness or os.path.join(build_dir, "harness", "cli", "hotswap-harness")
    with open(args.readme, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks = examples(lines)
    if not blocks:
        fail("%s has no example marked with %s" % (args.readme, MARKER))
    out = []
    last = 0
    differ = []
    for start, end in blocks:
        now = run_example(lines[start][2:], root, build_dir, harness)
        was = lines[start:end]
        if [TIMING.sub("in N s", l) for l in was] != [TIMING.sub("in N s", l) for l in now]:
            differ.append("".join(difflib.unified_diff(
                [l + "\n" for l in was], [l + "\n" for l in now],
                "README.md (line %d)" % (start + 1), "what it prints now")))
        out += lines[last:start] + now
        last = end
    out += lines[last:]
    if args.check:
        if differ:
            sys.stdout.write("".join(differ))
            print("readme-examples: %d of %d README examples differ from what the program "
                  "prints; run scripts/readme-examples.py to rewrite them" %
                  (len(differ), len(blocks)))
            return 1
        print("readme-examples: %d README examples match what the program prints" %
              len(blocks))
        return 0
    if out != lines:
        with open(args.readme, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(out))
    print("readme-examples: %d examples written, %d changed" % (len(blocks), len(differ)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
