#!/usr/bin/env python3
"""How long `hotswap-harness run` takes over a large generated suite, and what isolation costs
per scenario. Not a test: numbers depend on the machine (docs/reports.md records them).

  bench/bench.py [--build DIR] [--scenarios N] [--jobs J] [--repeat R]

Generates N one-step scenarios for the queue_worker example module (bench/gen_scenarios.py),
then times, best of R runs each:
  * the suite with -j J, each scenario in its own process (the goal: 1,000 in 2 s, -j 2, on
    a 2-core machine), and the same with HOTSWAP_NO_FORK=1 (a started program per scenario);
  * the suite in one process (--no-isolate), the floor without process start-up;
  * 100 of them with -j 1, isolated and not, whose difference per scenario is the cost of
    one scenario's process (start-up, loading, exit).
Wall time depends on what else the machine runs; the CPU time (the harness and all its
children) much less, and divided by the CPUs it bounds the wall time on an idle machine.
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def best_of(repeat, args):
    """(wall seconds, CPU seconds of the harness and all its children), best of repeat."""
    best = None
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if p.returncode != 0:
            sys.exit(f"bench: {' '.join(args)} exited {p.returncode}:\n{p.stderr}")
        if best is None or wall < best[0]:
            best = (wall, cpu)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--scenarios", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    harness = os.path.join(a.build, "harness", "cli", "hotswap-harness")
    modules = os.path.join(a.build, "scenarios")
    if not os.access(harness, os.X_OK):
        sys.exit(f"bench: no {harness}; build first (meson setup {a.build} && ninja -C {a.build})")
    with tempfile.TemporaryDirectory() as tmp:
        suite, small = os.path.join(tmp, "suite"), os.path.join(tmp, "small")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_scenarios.py"),
                        str(a.scenarios), suite], check=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_scenarios.py"),
                        "100", small], check=True)
        run = [harness, "run", "-q", "--no-progress", "--module-path", modules]
        load = open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"
        print(f"machine: {os.cpu_count()} CPUs, load average {load} at the start")
        isolated, isolated_cpu = best_of(a.repeat, run + ["-j", str(a.jobs), suite])
        os.environ["HOTSWAP_NO_FORK"] = "1"
        started, started_cpu = best_of(a.repeat, run + ["-j", str(a.jobs), suite])
        del os.environ["HOTSWAP_NO_FORK"]
        inline, inline_cpu = best_of(a.repeat, run + ["--no-isolate", suite])
        one_iso, one_iso_cpu = best_of(a.repeat, run + ["-j", "1", small])
        one_inl, one_inl_cpu = best_of(a.repeat, run + ["--no-isolate", small])
        print(f"{a.scenarios} scenarios, -j {a.jobs}, isolated:   {isolated:6.2f} s wall, "
              f"{isolated_cpu:6.2f} s CPU ({isolated_cpu / a.scenarios * 1000:.2f} ms each)")
        print(f"{a.scenarios} scenarios, -j {a.jobs}, a program each: {started:6.2f} s wall, "
              f"{started_cpu:6.2f} s CPU (HOTSWAP_NO_FORK=1)")
        print(f"{a.scenarios} scenarios, one process:      {inline:6.2f} s wall, "
              f"{inline_cpu:6.2f} s CPU")
        print(f"isolation's own cost per scenario, -j 1 (start, play, exit): "
              f"{(one_iso - one_inl) / 100 * 1000:.2f} ms wall, "
              f"{(one_iso_cpu - one_inl_cpu) / 100 * 1000:.2f} ms CPU")
        print(f"on an idle machine with {a.jobs} CPUs, -j {a.jobs} needs at least "
              f"{isolated_cpu / min(a.jobs, os.cpu_count() or 1):.2f} s (CPU / CPUs)")

if __name__ == "__main__":
    main()
