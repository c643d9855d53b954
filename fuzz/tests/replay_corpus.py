#!/usr/bin/env python3
"""Replays corpus/TARGET through a fuzz target's driver and prints TAP, one point per seed
folder: the plain replay driver (replay-TARGET) or the libFuzzer binary (fuzz-TARGET, which
runs each file given once). Every seed must pass: a corpus seed that finds something would
stop libFuzzer before it fuzzes.

  replay_corpus.py --driver EXE --target T --corpus DIR [--config-dir D]... [--module-path M]...
                   [-- DRIVER-FLAGS...]
A folder corpus/T/STEM is replayed with the configuration STEM.json from the first
--config-dir that has it; the parser targets' corpora (scenario-parser, schedule-parser)
are flat folders.
"""
import argparse
import os
import shlex
import subprocess
import sys


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--config-dir", action="append", default=[])
    ap.add_argument("--module-path", action="append", default=[])
    a = ap.parse_args(argv)

    cases = []  # (name, [files], [driver options])
    if a.target in ("scenario-parser", "schedule-parser"):
        files = sorted(os.path.join(a.corpus, f) for f in os.listdir(a.corpus))
        cases.append((a.target + " corpus", files, []))
    else:
        for stem in sorted(os.listdir(a.corpus)):
            folder = os.path.join(a.corpus, stem)
            files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
            config = next((os.path.join(d, stem + ".json") for d in a.config_dir
                           if os.path.isfile(os.path.join(d, stem + ".json"))), None)
            if config is None:
                cases.append((stem, None, []))
                continue
            opts = ["--scenario=" + config] + ["--module-path=" + m for m in a.module_path]
            cases.append((stem, files, opts))

    print("1..%d" % len(cases))
    failed = 0
    for n, (name, files, opts) in enumerate(cases, 1):
        if files is None:
            print("not ok %d - %s: no configuration %s.json in %s" % (n, name, name, a.config_dir))
            failed += 1
            continue
        # A cross build's `meson test` names the program that runs the driver here (wine).
        wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
        p = subprocess.run(wrapper + [a.driver] + opts + extra + files, capture_output=True,
                           text=True, timeout=300)
        if p.returncode == 0:
            print("ok %d - %s (%d input%s)" % (n, name, len(files), "" if len(files) == 1 else "s"))
            continue
        failed += 1
        print("not ok %d - %s: exit %d" % (n, name, p.returncode))
        for line in (p.stdout + p.stderr).splitlines()[-40:]:
            print("# " + line)
    return 0  # TAP: the "not ok" points are the failures


if __name__ == "__main__":
    sys.exit(main())
