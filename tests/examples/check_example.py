#!/usr/bin/env python3
"""Runs `hotswap-harness run` (or `explore`) on scenario files or folders and checks the outcome.

Usage: check_example.py CLI --module-path DIR [--module-path DIR ...] [--clock CLOCK]
                        [--explore [--emit FILE]] [--expect-exit N] [--expected-failure FILE]
                        PATH...

Passes (exit 0) when the CLI exits with the expected code (default 0) and, given an
.expected-failure file, its output (stdout and stderr together) contains every phrase the file
lists, one per line; blank lines and lines starting with '#' are ignored. An explore finding
written with --emit must fail under `run` too. Otherwise it prints what differed and the CLI's
output, and exits 1.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys


def read_phrases(path):
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\r\n") for line in f]
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def real_clock_file(path):
    """Whether path is a scenario file that runs on the real clock by itself."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f).get("clock") == "real"
    except (OSError, ValueError, AttributeError):
        return False


def attempt_run(command, args):
    """One run: its exit code, its output and what differed from the expectation."""
    try:
        run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=120)
    except subprocess.TimeoutExpired:
        return -1, "", ["%s did not finish within 120 s" % " ".join(command)]
    output = run.stdout.decode("utf-8", "replace") + run.stderr.decode("utf-8", "replace")
    problems = []
    if run.returncode != args.expect_exit:
        problems.append("exit code %d, expected %d" % (run.returncode, args.expect_exit))
    if args.expected_failure:
        phrases = read_phrases(args.expected_failure)
        if not phrases:
            problems.append("%s lists no phrase" % args.expected_failure)
        for phrase in phrases:
            if phrase not in output:
                problems.append("output lacks the phrase %r (from %s)"
                                % (phrase, args.expected_failure))
    return run.returncode, output, problems


def replay_finding(args):
    """`run` on the scenario explore wrote for its finding: it must fail (exit 1) too."""
    command = shlex.split(os.environ.get("MESON_EXE_WRAPPER", "")) + [args.cli, "run"]
    for folder in args.module_path:
        command += ["--module-path", folder]
    command.append(args.emit)
    if not os.path.exists(args.emit):
        return ["explore wrote no %s for its finding" % args.emit]
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         timeout=120)
    print("$ " + " ".join(command))
    print(run.stdout.decode("utf-8", "replace"), end="")
    if run.returncode != 1:
        print("FAIL: run on the written finding exited %d, expected 1" % run.returncode)
        return ["the written finding does not fail under run"]
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cli", help="path of the hotswap-harness executable")
    parser.add_argument("--module-path", action="append", default=[], metavar="DIR",
                        help="folder routine modules are found in (repeatable)")
    parser.add_argument("--clock", choices=["virtual", "real"],
                        help="run --clock CLOCK (default: each scenario's own)")
    parser.add_argument("--explore", action="store_true",
                        help="run `hotswap-harness explore` on the one scenario instead")
    parser.add_argument("--emit", metavar="FILE", help="explore --emit FILE")
    parser.add_argument("--expect-exit", type=int, default=0, metavar="N",
                        help="the exit code the run must give (default 0)")
    parser.add_argument("--expected-failure", metavar="FILE",
                        help="file of phrases the output must contain, one per line")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders")
    args = parser.parse_args()

    # A cross build's `meson test` names the program that runs the CLI here (wine).
    command = shlex.split(os.environ.get("MESON_EXE_WRAPPER", "")) + [
        args.cli, "explore" if args.explore else "run"]
    if args.emit:
        command += ["--emit", args.emit]
    for folder in args.module_path:
        command += ["--module-path", folder]
    if args.clock:
        command += ["--clock", args.clock]
    command += args.paths

    # The real clock runs on a machine shared with other work: a run that a stalled process
    # made late is tried again (up to three times), and every attempt is shown.
    attempts = 3 if args.clock == "real" or any(map(real_clock_file, args.paths)) else 1
    for attempt in range(1, attempts + 1):
        returncode, output, problems = attempt_run(command, args)
        print("$ " + " ".join(command) + ("" if attempt == 1 else "   # attempt %d" % attempt))
        print(output, end="" if output.endswith("\n") else "\n")
        if not problems:
            break
        for problem in problems:
            print("FAIL: " + problem)
    if not problems and args.explore and args.emit and returncode == 1:
        problems = replay_finding(args)
    if problems:
        return 1
    print("ok: exit %d%s" % (returncode,
                             ", every expected phrase present" if args.expected_failure else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
