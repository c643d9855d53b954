#!/usr/bin/env python3
"""Tests of the schedule target end to end, as TAP: its input's bytes choose the
interleaving of a scenario's concurrent steps. On the lost wake-up of
examples/broken/work_queue_driver_clears_outside_lock.json the input without preemption
passes and an input with one preemption at the right point finds it; `replay
--emit-scenario` writes the scenario with that "schedule", which `run` fails; nothing is
found on the fixed examples/explore/work_queue_driver_concurrent_producer.json; bad
configurations exit 2. With libFuzzer, `hotswap-harness fuzz --target schedule` finds the
lost wake-up within a bounded run for each of three seeds, prints how many runs it took,
and finds nothing on the fixed scenario in a bounded run; and in driver mode it finds the
acpi-like driver's lost wake-up, whose artifact replays into a scenario `run` fails, and
nothing in the shipped driver.

Run by meson (fuzz/tests/meson.build).
"""
import argparse
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
for opt in ("harness", "replay-driver", "source", "broken-modules", "scenario-modules",
            "test-modules", "fuzzing"):
    ap.add_argument("--" + opt, required=True)
A = ap.parse_args()
HARNESS = os.path.abspath(A.harness)
DRIVER = os.path.abspath(A.replay_driver)
SRC = os.path.abspath(A.source)
BROKEN = os.path.join(SRC, "examples", "broken", "work_queue_driver_clears_outside_lock.json")
FIXED = os.path.join(SRC, "examples", "explore", "work_queue_driver_concurrent_producer.json")
SEQUENTIAL = os.path.join(SRC, "fuzz", "tests", "echo_events_stop.json")
# Driver mode: the acpi-like driver's own load, worker and producers, explored and fuzzed.
DRIVER_BROKEN = os.path.join(SRC, "examples", "broken",
                             "acpi_like_driver_clears_outside_lock_explored.json")
DRIVER_FIXED = os.path.join(SRC, "examples", "explore",
                            "acpi_like_driver_concurrent_producer.json")
MODS = ["-M", os.path.abspath(A.broken_modules), "-M", os.path.abspath(A.scenario_modules),
        "-M", os.path.abspath(A.test_modules)]
TMP = tempfile.mkdtemp(prefix="hh-fuzz-schedule-")
WRAPPER = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
FUZZ_RUNS = 20000  # a bound on one seed's search; the median measured is far below
results = []


def run(*args, timeout=300):
    env = dict(os.environ)
    env.pop("HOTSWAP_MODULE_PATH", None)
    env.pop("HOTSWAP_FUZZ_SCENARIO", None)
    p = subprocess.run([*WRAPPER, *args], capture_output=True, text=True, env=env,
                       timeout=timeout, cwd=TMP)
    return p.returncode, p.stdout + p.stderr


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


INPUTS = os.path.join(TMP, "inputs")
os.makedirs(INPUTS)


def write_input(name, choices):
    path = os.path.join(INPUTS, name)
    with open(path, "wb") as f:
        f.write(bytes([0x06] + choices))
    return path


def driver(scenario, path):
    return run(DRIVER, "--scenario=" + scenario, "--module-path=" + MODS[1],
               "--module-path=" + MODS[3], path)


# One preemption at each of the first 24 choice points, the rest "stay".
singles = [write_input("one-%02d" % i, [0] * i + [1] + [0] * (23 - i)) for i in range(24)]
zero = write_input("zero", [])

rc, out = driver(BROKEN, zero)
check("broken: the input without preemption passes", rc == 0 and "no finding" in out, out)
found = None
for path in singles:
    rc, out = driver(BROKEN, path)
    if rc != 0:
        found = (path, out)
        break
check("broken: one preemption at some point finds the lost wake-up",
      found and "target 'schedule': rule expectation" in found[1] and
      re.search(r"schedule: worker x\d+, producer", found[1]) and
      "KeClearEvent" in found[1], found[1] if found else "no single preemption found it")

if found:
    emitted = os.path.join(TMP, "finding.schedule.json")
    rc, out = run(HARNESS, "replay", *MODS, BROKEN, found[0], "--emit-scenario", emitted)
    check("replay of the finding: verdict FAIL, its schedule, the scenario written",
          rc == 1 and "verdict: FAIL: rule expectation" in out and
          "fails the same way" in out and os.path.isfile(emitted), out)
    text = open(emitted).read() if os.path.isfile(emitted) else ""
    check("the emitted scenario carries the schedule and true_means",
          re.search(r'"schedule": "worker x\d+, producer', text) and '"true_means"' in text,
          text)
    rc, out = run(HARNESS, "run", *MODS, emitted)
    check("run fails on the emitted scenario by the same rule",
          rc == 1 and "expectation" in out and "stop after 1 items" in out, out)

rc, out = driver(FIXED, INPUTS)
check("fixed: none of the inputs finds anything", rc == 0 and "25 inputs, no finding" in out,
      out)

rc, out = driver(SEQUENTIAL, zero)
check("a configuration without a concurrent step is refused, exit 2",
      rc == 2 and "no concurrent step" in out, out)
rc, out = run(HARNESS, "replay", *MODS, SEQUENTIAL, zero)
check("replay of a schedule input on a configuration without a concurrent step: exit 2",
      rc == 2 and "no concurrent step" in out, out)
rc, out = run(HARNESS, "fuzz", "--target", "schedule", *MODS, SEQUENTIAL, "--", "-runs=1")
check("fuzz --target schedule on a configuration without a concurrent step: exit 2 first",
      rc == 2 and "no concurrent step" in out and "INITED" not in out, out)
rc, out = run(HARNESS, "replay", *MODS, "--timeline", "t.html", BROKEN, zero)
check("replay --timeline of a schedule input: a usage error", rc == 2 and "--timeline" in out,
      out)

if A.fuzzing != "no":
    runs = []
    for seed in (1, 2, 3):
        art = os.path.join(TMP, "seed%d" % seed)
        os.makedirs(art)
        rc, out = run(HARNESS, "fuzz", "--target", "schedule", *MODS, BROKEN, "--",
                      "-runs=%d" % FUZZ_RUNS, "-seed=%d" % seed,
                      "-artifact_prefix=" + art + os.sep, "-print_final_stats=1")
        execs = re.findall(r"stat::number_of_executed_units: (\d+)", out)
        arts = glob.glob(os.path.join(art, "crash-*"))
        check("fuzz --target schedule, seed %d: finds the lost wake-up within %d runs"
              % (seed, FUZZ_RUNS), rc == 1 and arts and "rule expectation" in out, out[-3000:])
        runs.append(int(execs[-1]) if execs else -1)
        if seed == 1 and arts:
            emitted = os.path.join(TMP, "fuzzed.schedule.json")
            rc, out = run(HARNESS, "replay", *MODS, BROKEN, arts[0], "--emit-scenario", emitted)
            rc2, out2 = run(HARNESS, "run", *MODS, emitted)
            check("the libFuzzer artifact replays, and run fails on its scenario",
                  rc == 1 and rc2 == 1, out + out2)
    print("# inputs run up to the finding, seeds 1-3: %s (median %d)"
          % (runs, sorted(runs)[1]))
    rc, out = run(HARNESS, "fuzz", "--target", "schedule", *MODS, FIXED, "--",
                  "-runs=3000", "-seed=1", "-artifact_prefix=" + TMP + os.sep)
    check("fuzz --target schedule on the fixed scenario: nothing in 3000 runs",
          rc == 0 and "FINDING" not in out, out[-3000:])
    # Driver mode: the finding names the driver's load routine, replays, and run fails on it.
    art = os.path.join(TMP, "driver")
    os.makedirs(art)
    rc, out = run(HARNESS, "fuzz", "--target", "schedule", *MODS, DRIVER_BROKEN, "--",
                  "-runs=%d" % FUZZ_RUNS, "-seed=1", "-artifact_prefix=" + art + os.sep)
    arts = glob.glob(os.path.join(art, "crash-*"))
    check("fuzz --target schedule, driver mode: the acpi-like driver's lost wake-up found",
          rc == 1 and arts and "FINDING in AcpiLikeLoad" in out and "rule expectation" in out,
          out[-3000:])
    if arts:
        emitted = os.path.join(TMP, "driver.schedule.json")
        rc, out = run(HARNESS, "replay", *MODS, DRIVER_BROKEN, arts[0], "--emit-scenario",
                      emitted)
        rc2, out2 = run(HARNESS, "run", *MODS, emitted)
        check("driver mode: the artifact replays, and run fails on its scenario",
              rc == 1 and os.path.isfile(emitted) and rc2 == 1 and "expectation" in out2,
              out + out2)
    rc, out = run(HARNESS, "fuzz", "--target", "schedule", *MODS, DRIVER_FIXED, "--",
                  "-runs=3000", "-seed=1", "-artifact_prefix=" + TMP + os.sep)
    check("fuzz --target schedule, driver mode, the shipped driver: nothing in 3000 runs",
          rc == 0 and "FINDING" not in out, out[-3000:])

print("1..%d" % len(results))
for n, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", n, name))
    if not ok:
        for line in str(detail).splitlines()[-40:]:
            print("# " + line)
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
