#!/usr/bin/env python3
"""Runs every benchmark of the harness and prints Markdown tables (docs/performance.md).

  bench/bench.py [--build DIR] [--quick] [--scenarios N] [--jobs J] [--repeat R]
                 [--latency-samples N]

Every figure is a ratio against a baseline measured beside it, in the same process or by this
script in the same minute, because the machines here are shared and noisy; absolute times are
printed too, for the goals that are absolute. Nothing here passes or fails on a time.

  1. Engine throughput and memory per engine: build/bench/bench-engine (bench_engine.c), the
     worker loop against a bare call of the same routine through a function pointer.
  2. Fuzzing exec/s: measured by scripts/fuzz-measure.sh, recorded in docs/fuzzing.md; not run.
  3. Real clock: build/bench/bench-realtime (bench_realtime.c), the signal-to-invocation
     latency of a real-clock worker against a ping-pong of the same gate between two threads,
     once with the process on one CPU (both sides' wakes are same-CPU handoffs) and once where
     the scheduler puts the threads.
  4. `run` of a one-step scenario, start-up included, against bench-load (a program that loads
     the same module and reads the same file) and /bin/true; and suites of 100, 300 and N
     generated one-step scenarios (bench/gen_scenarios.py) with -j J, against J-at-a-time
     bench-load processes (xargs -P J), beside --no-isolate and HOTSWAP_NO_FORK=1.
  5. Memory per scenario: the peak resident size of `run --no-isolate` over 1 and N
     scenarios, against bench-load's.
  6. The pool over a million allocations, each freed at once (bench_pool.c): peak resident
     size and time against the same loop on malloc and free.

--quick (the meson test in suite 'bench') runs everything briefly and checks only that every
figure came out and is a positive number. POSIX only (posix_spawn, wait4, xargs).
"""
import argparse
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIGURES = []  # (what, value) of every number printed, for --quick's sanity check


def note(what, value):
    FIGURES.append((what, value))
    return value


def spawn(args, env=None):
    """Runs args with stdout and stderr to /dev/null: (wall s, CPU s of it and its children)."""
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
               (os.POSIX_SPAWN_DUP2, 1, 2)]
    path = args[0] if os.sep in args[0] else shutil.which(args[0])
    t0 = time.perf_counter()
    pid = os.posix_spawn(path, args, os.environ if env is None else env, file_actions=actions)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        p = subprocess.run(args, env=env, capture_output=True, text=True)
        sys.exit(f"bench: {' '.join(args)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
    return wall, ru.ru_utime + ru.ru_stime


def alternate(repeat, commands):
    """Runs each command repeat times, interleaved: per command the best wall time, with the
    CPU time of that run."""
    best = [None] * len(commands)
    for _ in range(repeat):
        for i, (args, env) in enumerate(commands):
            wall, cpu = spawn(args, env)
            if best[i] is None or wall < best[i][0]:
                best[i] = (wall, cpu)
    return best


def peak_rss(args, tmp):
    """The peak resident size of args, in bytes, as GNU time reports it. A process started
    from this one would carry Python's own peak (Linux keeps ru_maxrss across exec), but
    time's child is forked from the small time process. None without GNU time."""
    gnu_time = "/usr/bin/time"
    if not os.access(gnu_time, os.X_OK):
        return None
    out = os.path.join(tmp, "rss")
    subprocess.run([gnu_time, "-f", "%M", "-o", out] + args, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out) as f:
        return int(f.read().split()[-1]) * 1024


def ratio(a, b):
    return note("ratio", a / b) if b > 0 else float("nan")


def engine(a):
    exe = os.path.join(a.build, "bench", "bench-engine")
    module = os.path.join(a.build, "bench", "libbench_routine.so")
    out = subprocess.run([exe] + (["--quick"] if a.quick else []) + [module],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            for cell in line.strip().strip("|").split("|"):
                number = cell.strip().rstrip("x")
                if number.replace(".", "", 1).isdigit():
                    note("engine", float(number))
    print(out, end="")


def fuzzing():
    print("### Fuzzing: exec/s of status-sequence against the bare target\n")
    print("Measured by `scripts/fuzz-measure.sh` (needs the fuzzing build) and recorded in "
          "[docs/fuzzing.md](../docs/fuzzing.md#measurements); not run here.\n")


def latency_table(out):
    """bench-realtime's table: {row: (ping-pong us, harness us, ratio)}."""
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 4 and not cells[1].startswith("-"):
            try:
                rows[cells[0]] = (float(cells[1]), float(cells[2]), float(cells[3].rstrip("x")))
            except ValueError:
                pass  # the header
    return rows


def real_clock(a):
    exe = os.path.join(a.build, "bench", "bench-realtime")
    args = [exe] + (["--quick"] if a.quick else ["--samples", str(a.latency_samples)])
    # Where the scheduler puts the threads decides the latency more than anything else does: a
    # wake on the waker's own CPU is a context switch, a wake of another, idle CPU costs what
    # that CPU takes to leave its idle state (tens of microseconds in a VM). The two sides can
    # land differently, so the fair comparison is on one CPU, where every wake is a handoff.
    runs = []
    if hasattr(os, "sched_getaffinity"):
        cpu = min(os.sched_getaffinity(0))
        runs.append((f"one CPU (`taskset -c {cpu}`)", {cpu}))
    runs.append(("every CPU, the scheduler's placement", None))
    print("### Real clock: signal-to-invocation latency\n")
    print("`bench-realtime`: from the driver setting an event to the real-clock worker's routine "
          "being called, against a ping-pong of the same OS primitive (a gate) between two "
          f"threads, {'a few hundred (--quick)' if a.quick else a.latency_samples} samples a side, rounds "
          "alternated; microseconds; goal: at most 1.5x. On one CPU every wake is a handoff on "
          "that CPU, the same for both sides; on every CPU the scheduler decides, per thread, "
          "whether a wake crosses to another CPU, which alone can cost ten times the rest.\n")
    print("| CPUs | latency | gate ping-pong, µs | harness, µs | ratio | goal | met |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    for name, cpus in runs:
        old = os.sched_getaffinity(0) if cpus else None
        if cpus:
            os.sched_setaffinity(0, cpus)  # the child inherits it
        try:
            out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
        finally:
            if old:
                os.sched_setaffinity(0, old)
        rows = latency_table(out)
        for stat in ("median", "p99"):
            if stat not in rows:
                sys.exit(f"bench: bench-realtime printed no {stat}:\n{out}")
            base, harness, r = rows[stat]
            print(f"| {name} | {stat} | {note('ping-pong ' + stat, base):.2f} | "
                  f"{note('real clock ' + stat, harness):.2f} | {note('ratio', r):.2f}x | "
                  f"≤ 1.5x | {'yes' if r <= 1.5 else 'no'} |")
    print()


def one_step(a, tmp, harness, modules, load):
    scenario = os.path.join(tmp, "one", "group000", "bench_00000.json")
    run = [harness, "run", "-q", "--no-progress", "--module-path", modules]
    true = shutil.which("true") or "/bin/true"
    repeat = 3 if a.quick else 10 * a.repeat
    best = alternate(repeat, [
        ([true], None),
        (load + [scenario], None),
        (run + [scenario], None),
        (run + ["--no-isolate", scenario], None),
    ])
    base_true, base_load = best[0][0], best[1][0]
    print("### `run` of a one-step scenario, start-up included\n")
    print(f"Best of {repeat}, interleaved; wall time of the whole command (spawned from this "
          f"script, posix_spawn); goal: 5 ms.\n")
    print("| command | wall, ms | CPU, ms | / bench-load | / true |")
    print("| --- | ---: | ---: | ---: | ---: |")
    names = ["`true`", "`bench-load` (loads the module, reads the file)",
             "`hotswap-harness run` (the scenario in a forked child)",
             "`hotswap-harness run --no-isolate`"]
    for name, (wall, cpu) in zip(names, best):
        note(name, wall)
        print(f"| {name} | {wall * 1000:.2f} | {cpu * 1000:.2f} | {ratio(wall, base_load):.2f}x "
              f"| {ratio(wall, base_true):.2f}x |")
    print()


def suites(a, tmp, harness, modules, load):
    sizes = [10, 20] if a.quick else sorted({100, 300, a.scenarios})
    repeat = 1 if a.quick else a.repeat
    run = [harness, "run", "-q", "--no-progress", "--module-path", modules]
    xargs = shutil.which("xargs")
    print(f"### Suites of one-step scenarios, -j {a.jobs}\n")
    print(f"Best of {repeat}, interleaved. Baseline: {a.jobs}-at-a-time `bench-load` processes, "
          f"one per scenario file (`xargs -P {a.jobs} -n 1`), the least a process per scenario "
          f"costs; goal: 1,000 in 2 s. CPU is the harness and all its children.\n")
    print("| scenarios | isolated, s | CPU, s | baseline, s | / baseline | ms per scenario "
          "| a program each (`HOTSWAP_NO_FORK=1`), s | one process (`--no-isolate`), s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    no_fork = dict(os.environ, HOTSWAP_NO_FORK="1")
    for n in sizes:
        suite = os.path.join(tmp, f"suite{n}")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_scenarios.py"),
                        str(n), suite], check=True)
        listing = os.path.join(tmp, f"suite{n}.list")
        with open(listing, "w") as f:
            for d, _, files in sorted(os.walk(suite)):
                for name in sorted(files):
                    f.write(os.path.join(d, name) + "\n")
        best = alternate(repeat, [
            ([xargs, "-P", str(a.jobs), "-n", "1", "-d", "\n", "-a", listing] + load, None),
            (run + ["-j", str(a.jobs), suite], None),
            (run + ["-j", str(a.jobs), suite], no_fork),
            (run + ["--no-isolate", suite], None),
        ])
        base, iso, started, inline = best
        note("suite", iso[0])
        note("suite baseline", base[0])
        print(f"| {n} | {iso[0]:.2f} | {iso[1]:.2f} | {base[0]:.2f} | "
              f"{ratio(iso[0], base[0]):.2f}x | {iso[0] / n * 1000:.2f} | "
              f"{note('no fork', started[0]):.2f} | {note('no isolate', inline[0]):.2f} |")
    print()
    return sizes[-1]


def memory(tmp, harness, modules, load, n):
    run = [harness, "run", "-q", "--no-progress", "--no-isolate", "--module-path", modules]
    one = os.path.join(tmp, "one")
    suite = os.path.join(tmp, f"suite{n}")
    print("### Memory per scenario\n")
    base = peak_rss(load + [os.path.join(one, "group000", "bench_00000.json")], tmp)
    if base is None:
        print("Needs GNU time (/usr/bin/time, Debian package time): not measured.\n")
        return
    rss1 = peak_rss(run + [one], tmp)
    rssn = peak_rss(run + [suite], tmp)
    print("Peak resident size (GNU time's %M) of one process playing the scenarios one after "
          "another (`--no-isolate`); an isolated scenario's child is a fork of the harness that "
          "shares its pages until it writes them. Memory per engine is in the engine table "
          "above.\n")
    print("| process | peak RSS, MiB | / bench-load |")
    print("| --- | ---: | ---: |")
    print(f"| `bench-load` (the module loaded, the file read) | {note('rss', base) / 2**20:.2f} "
          f"| 1.00x |")
    print(f"| `run --no-isolate`, 1 scenario | {note('rss', rss1) / 2**20:.2f} | "
          f"{ratio(rss1, base):.2f}x |")
    print(f"| `run --no-isolate`, {n} scenarios | {rssn / 2**20:.2f} | {ratio(rssn, base):.2f}x |")
    per = (rssn - rss1) / (n - 1)
    print(f"\nGrowth per scenario beyond the first: {per / 1024:.1f} KiB (every parsed "
          f"scenario and its verdict stay until the report; each run's engine is freed).\n")


def pool(a, tmp):
    exe = os.path.join(a.build, "bench", "bench-pool")
    n = 20000 if a.quick else 1000000
    print(f"### Pool: {n:,} allocations, each freed at once\n")
    rows = []
    for mode in ("malloc", "pool"):
        t0 = time.perf_counter()
        rss = peak_rss([exe, mode, str(n)], tmp)
        wall = time.perf_counter() - t0
        if rss is None:
            print("Needs GNU time (/usr/bin/time, Debian package time): not measured.\n")
            return
        rows.append((mode, note("pool rss", rss), note("pool s", wall)))
    base_rss, base_s = rows[0][1], rows[0][2]
    print("Peak resident size (GNU time's %M) and wall time of `bench-pool`: sizes 16 to "
          "1,008 bytes, a page every 64th; the pool's freed blocks wait in a quarantine of at "
          "most 16,384 blocks and 16 MiB before their memory is reused.\n")
    print("| loop | peak RSS, MiB | / malloc | time, s | / malloc |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for mode, rss, wall in rows:
        what = "`malloc`/`free` (baseline)" if mode == "malloc" else "`ExAllocatePoolWithTag`/`ExFreePoolWithTag`"
        print(f"| {what} | {rss / 2**20:.2f} | {ratio(rss, base_rss):.2f}x | {wall:.2f} | "
              f"{ratio(wall, base_s):.1f}x |")
    print()


def explore(a):
    exe = os.path.join(a.build, "bench", "bench-explore")
    scenario = os.path.join(ROOT, "examples", "explore",
                            "work_queue_driver_concurrent_producer.json")
    seconds = "0.2" if a.quick else "2"
    out = subprocess.run([exe, scenario, os.path.join(a.build, "scenarios"), seconds],
                         check=True, capture_output=True, text=True).stdout.split()
    run_us, ex_us, times = note("explore run us", float(out[0])), \
        note("explore schedule us", float(out[1])), note("explore ratio", float(out[2]))
    print("### explore: one schedule against one run\n")
    print("`bench-explore` on examples/explore/work_queue_driver_concurrent_producer.json, "
          "the module loaded once and its data put back before every run, as `explore` does.\n")
    print("| run | time, us | / run |")
    print("| --- | ---: | ---: |")
    print(f"| the scenario as `run` plays it (steps one after the other) | {run_us:.1f} | 1.00x |")
    print(f"| one explored schedule (DFS, bound 2: a fiber per explored thread, every DDI entry a "
          f"scheduling point) | {ex_us:.1f} | {times:.1f}x |")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--quick", action="store_true",
                    help="everything briefly, then check that every figure is sane (CI)")
    ap.add_argument("--scenarios", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--latency-samples", type=int, default=20000,
                    help="real clock: latencies measured on each side (bench-realtime)")
    a = ap.parse_args()
    a.build = os.path.abspath(a.build)
    harness = os.path.join(a.build, "harness", "cli", "hotswap-harness")
    modules = os.path.join(a.build, "scenarios")
    load = [os.path.join(a.build, "bench", "bench-load"),
            os.path.join(modules, "libqueue_worker.so"), "QueueWorkerRoutine"]
    for exe in (harness, load[0], os.path.join(a.build, "bench", "bench-engine"),
                os.path.join(a.build, "bench", "bench-pool"),
                os.path.join(a.build, "bench", "bench-realtime"),
                os.path.join(a.build, "bench", "bench-explore")):
        if not os.access(exe, os.X_OK):
            sys.exit(f"bench: no {exe}; build first (meson setup {a.build} && ninja -C {a.build})")
    load_avg = open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"
    print(f"## Benchmarks{' (quick: sanity only, not figures)' if a.quick else ''}\n")
    print(f"{os.cpu_count()} CPUs, load average {load_avg} at the start, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, build `{a.build}`.\n")
    engine(a)
    fuzzing()
    real_clock(a)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_scenarios.py"), "1",
                        os.path.join(tmp, "one")], check=True)
        one_step(a, tmp, harness, modules, load)
        n = suites(a, tmp, harness, modules, load)
        memory(tmp, harness, modules, load, n)
        pool(a, tmp)
    explore(a)
    bad = [w for w, v in FIGURES if math.isnan(v) or v < 0]
    if a.quick and (bad or len(FIGURES) < 20):
        sys.exit(f"bench: {len(FIGURES)} figures, not sane: {bad}")


if __name__ == "__main__":
    main()
