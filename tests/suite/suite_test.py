#!/usr/bin/env python3
"""Tests of `hotswap-harness run` over suites: isolation of crashing, aborting, hanging and
exiting routines, -j, --filter, --shard, the reports (text, TAP, JUnit, JSON) read back with
real parsers, whole-or-nothing report files, colour and progress on a terminal, bad input.

Usage: suite_test.py HARNESS SUITE_MODULE_DIR SCENARIO_MODULE_DIR SUITE_DIR PROJECT_ROOT.
Prints TAP, one point per case.
"""
import json
import os
try:
    import pty
except ImportError:  # Windows
    pty = None
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import xml.dom.minidom
import xml.etree.ElementTree as ET

from tap import case, finish

HARNESS, SUITE_MODULES, SCENARIO_MODULES, SUITE_DIR, ROOT = map(os.path.abspath, sys.argv[1:6])
MIXED = os.path.join(SUITE_DIR, "mixed")
# Signals, pipes, links, /proc and terminals are POSIX's: on Windows those cases are left
# out, and a crash is named by its exception code instead.
POSIX = os.name == "posix" and not HARNESS.lower().endswith(".exe")
# A cross build's `meson test` names the program that runs HARNESS here (wine).
WRAPPER = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
ABORTED = "killed by signal 6 (SIGABRT)" if POSIX else ""

SCENARIOS = os.path.join(ROOT, "scenarios")
MODS = ["--module-path", SUITE_MODULES, "--module-path", SCENARIO_MODULES]


def env_without(*names, **extra):
    env = dict(os.environ)
    for n in ("HOTSWAP_MODULE_PATH", "NO_COLOR") + names:
        env.pop(n, None)
    # In a sanitizer build a crash report is written before the process ends; unsymbolized,
    # it stays well inside the scenarios' --timeout even on a loaded machine.
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"), "symbolize=0"]))
    env.update(extra)
    return env


def run(*args, env=None, cwd=None, timeout=120):
    """`hotswap-harness run ARGS...`: (exit code, stdout, stderr)."""
    p = subprocess.run([*WRAPPER, HARNESS, "run", *args], capture_output=True, text=True,
                       env=env or env_without(), cwd=cwd, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def expect(rc, out, err, code, *phrases):
    text = out + err
    assert rc == code, f"exit {rc}, wanted {code}\n{text}"
    for p in phrases:
        assert p in text, f"missing {p!r} in:\n{text}"


def mixed(*names):
    return [os.path.join(MIXED, n) for n in names]


NOT_HANGING = mixed("01_pass_first.json", "02_segfault.json", "03_abort.json", "05_exit.json",
                    "06_chatty.json", "07_fails_expectation.json", "08_pass_last.json")
NAMES = [
    "mixed: a passing scenario before the crashes",
    "mixed: segfault on stop",
    "mixed: abort on stop",
    "mixed: endless loop on stop",
    "mixed: exit on stop",
    "mixed: a routine that prints and passes",
    'mixed: an expectation that fails & <escapes> "quoted"',
    "mixed: a passing scenario after the crashes",
]
FAILING = {1, 2, 3, 4, 6}


def without_timing(text):
    """The report without what changes from run to run: the summary, the slowest list, what
    the processes wrote themselves (a sanitizer's report names its process id), and where a
    real-clock scenario's clock ended."""
    return "\n".join(re.sub(r"real time \S+\)", "real time)", l) for l in text.splitlines()
                     if not re.match(r"^(\d+ passed|slowest:|\s+\d+\.\d+ s |    \| |  output \()",
                                     l))


def run_mixed(*extra):
    return run(*MODS, "--timeout", "3s", *extra, MIXED)


# ---- Isolation -----------------------------------------------------------------------------

@case("a suite with a segfault, an abort, a hang and an exit reports each and goes on")
def _():
    rc, out, err = run_mixed()
    expect(rc, out, err, 1,
           "PASS  mixed: a passing scenario before the crashes",
           "FAIL  mixed: segfault on stop",
           "FAIL  mixed: abort on stop",
           "in step 3 (steps[2]: set stop), invocation 3: " + ABORTED,
           "suite_crash: giving up on stop",
           "FAIL  mixed: endless loop on stop",
           "hung in step 3 (steps[2]: set stop), invocation 3: still running after the 3s "
           "limit (--timeout), killed",
           "rule: watchdog",
           "FAIL  mixed: exit on stop",
           "in step 3 (steps[2]: set stop), invocation 3: exited with status",
           "PASS  mixed: a routine that prints and passes",
           "FAIL  mixed: an expectation that fails",
           "PASS  mixed: a passing scenario after the crashes",
           "3 passed, 5 failed (3 crashed, 1 hung)")
    segv = re.search(r"crashed in step 3 \(steps\[2\]: set stop\), invocation 3: "
                     r"(killed by signal 11 \(SIGSEGV\)|exited with status \d+ "
                     r"\(AddressSanitizer: SEGV|.*access violation)", out)
    assert segv, out
    positions = [out.index(n) for n in NAMES]
    assert positions == sorted(positions), "reported out of file order:\n" + out


@case("the account of a crash names the invocations before it and how to debug it")
def _():
    rc, out, err = run(*MODS, *mixed("03_abort.json"))
    expect(rc, out, err, 1, "rule: crash", "invocations (2):", "#1", "#2",
           "output (1 line):", "| suite_crash: giving up on stop",
           "debug: gdb --args hotswap-harness run --no-isolate")


@case("a routine's own output is kept apart from the verdict")
def _():
    rc, out, err = run(*MODS, "--format", "json", *mixed("06_chatty.json"))
    assert rc == 0, out + err
    s = json.loads(out)["scenarios"][0]
    assert s["outcome"] == "pass", s
    assert "chatty: status 0 on stdout" in s["output"], s
    assert "chatty: status 1 on stderr" in s["output"], s


@case("a missing module in a child is 'could not run', exit 2")
def _():
    rc, out, err = run(os.path.join(ROOT, "tests", "cli", "data", "pass.json"))
    expect(rc, out, err, 2, "ERROR", "could not be run",
           "libqueue_worker" if POSIX else "queue_worker.dll")


def children_playing(path):
    """Process ids of isolated children playing the scenario file at path."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            argv = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
        except OSError:
            continue
        if b"--child" in argv and path.encode() in argv:
            found.append(int(pid))
    return found


@case("a harness killed mid-suite leaves no child running its routine", where=POSIX)
def _():
    hang = os.path.join(MIXED, "04_hang.json")
    p = subprocess.Popen([*WRAPPER, HARNESS, "run", *MODS, "--timeout", "0", hang],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env_without())
    for _ in range(100):
        if children_playing(hang):
            break
        time.sleep(0.05)
    assert children_playing(hang), "the child never started"
    p.kill()
    p.wait()
    for _ in range(100):
        if not children_playing(hang):
            break
        time.sleep(0.05)
    assert not children_playing(hang), "a child outlived the harness"


# ---- Reports --------------------------------------------------------------------------------

@case("JUnit XML parses (ElementTree and minidom) and holds every verdict in order")
def _():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "junit.xml")
        rc, out, err = run_mixed("--format", "junit", "--output", path)
        assert rc == 1, out + err
        assert "FAIL  mixed: segfault on stop" in out, "no text on stdout beside the file"
        xml.dom.minidom.parse(path)
        root = ET.parse(path).getroot()
    assert root.tag == "testsuites", root.tag
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("8", "5", "0"), \
        root.attrib
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == NAMES, [c.get("name") for c in cases]
    for i, c in enumerate(cases):
        float(c.get("time"))
        assert c.get("classname") == "mixed" or c.get("classname").endswith(".mixed"), c.attrib
        failure = c.find("failure")
        assert (failure is not None) == (i in FAILING), (i, c.attrib)
        if failure is not None:
            assert failure.get("message") and failure.text and "rule:" in failure.text
    assert "invocation 3: " + ABORTED in cases[2].find("failure").get("message")
    assert cases[3].find("failure").get("type") == "watchdog"
    assert "chatty: status 0 on stdout" in cases[5].find("system-out").text


@case("TAP is flat TAP 13: a plan, one point per scenario, YAML after failures")
def _():
    rc, out, err = run_mixed("--format", "tap")
    assert rc == 1, out + err
    lines = out.splitlines()
    assert lines[0] == "TAP version 13" and lines[1] == "1..8", lines[:2]
    points = [l for l in lines if re.match(r"^(not )?ok \d+ - ", l)]
    assert len(points) == 8, points
    for i, p in enumerate(points):
        assert p.startswith(("not ok" if i in FAILING else "ok") + f" {i + 1} - "), p
    for l in lines[2:]:
        assert re.match(r"^((not )?ok \d+ - |  ---$|  \.\.\.$|  [a-z_]+: |    )", l), repr(l)
    assert "FAIL" not in [l[:4] for l in lines], "text report mixed into the TAP stream"


@case("meson test reads the TAP report: 8 subtests, 5 failed, no unknown lines")
def _():
    meson = shutil.which("meson")
    assert meson, "meson is not on PATH"
    with tempfile.TemporaryDirectory() as d:
        src, build = os.path.join(d, "src"), os.path.join(d, "build")
        os.mkdir(src)
        program, *first = WRAPPER + [HARNESS]
        args = ", ".join(repr(a) for a in
                         [*first, "run", "--format", "tap", "--timeout", "3s", *MODS, MIXED])
        with open(os.path.join(src, "meson.build"), "w") as f:
            f.write("project('tap-consumer', meson_version: '>=1.0.0')\n"
                    f"test('mixed', find_program({program!r}), args: [{args}],\n"
                    "  protocol: 'tap', timeout: 120)\n")
        env = env_without("MESON_TESTTHREADS")
        subprocess.run([meson, "setup", build, src], check=True, capture_output=True, env=env)
        p = subprocess.run([meson, "test", "-C", build], capture_output=True, text=True,
                           env=env, timeout=300)
        assert p.returncode != 0, "a suite with failures passed:\n" + p.stdout
        log = open(os.path.join(build, "meson-logs", "testlog.txt")).read()
        assert "Unknown TAP output" not in log and "YAML block not terminated" not in log, log
        suite = ET.parse(os.path.join(build, "meson-logs", "testlog.junit.xml")).getroot()
        tap = [s for s in suite.iter("testsuite") if "mixed" in (s.get("name") or "")]
        assert tap, ET.tostring(suite).decode()
        cases = tap[0].findall("testcase")
        assert len(cases) == 8, [c.attrib for c in cases]
        failed = [i for i, c in enumerate(cases) if c.find("failure") is not None]
        assert set(failed) == FAILING, failed
        assert cases[6].get("name").endswith('& <escapes> "quoted"'), cases[6].attrib


@case("the JSON report has every documented field")
def _():
    rc, out, err = run_mixed("--format", "json")
    assert rc == 1, err
    r = json.loads(out)
    assert r["report"] == "hotswap-harness" and r["format_version"] == 1, r
    assert r["exit_code"] == 1 and r["problems"] == [], r
    assert r["summary"] == {**r["summary"], "scenarios": 8, "found": 8, "passed": 3,
                            "failed": 5, "errors": 0, "crashed": 3, "hung": 1}, r["summary"]
    assert r["run"]["isolated"] is True and r["run"]["timeout_ms"] == 3000, r["run"]
    s = r["scenarios"]
    assert [x["name"] for x in s] == NAMES
    assert s[0]["outcome"] == "pass" and s[0]["failure"] is None and s[0]["invocations"] == 2
    abort = s[2]
    assert abort["failure"]["rule"] == "crash", abort
    assert (abort["failure"]["where"], abort["failure"]["step"],
            abort["failure"]["step_path"], abort["failure"]["step_action"],
            abort["failure"]["invocation"]) == ("step", 3, "steps[2]", "set stop", 3), abort
    assert abort["process"]["end"] in ("crashed", "exited"), abort
    assert ABORTED in abort["process"]["description"], abort
    assert len(abort["invocation_list"]) == 2, abort
    first = abort["invocation_list"][0]
    assert (first["status"], first["status_value"], first["decision"], first["step"]) == \
        ("STATUS_WAIT_0", 0, "continue", 1), first
    assert "giving up on stop" in abort["output"] and "rule: crash" in abort["account"]
    assert s[3]["process"]["end"] == "timed_out" and s[3]["failure"]["rule"] == "watchdog"
    assert s[4]["process"]["end"] in ("exited", "crashed"), s[4]
    assert s[6]["failure"]["rule"] == "expectation" and s[6]["process"] is None, s[6]


@case("a report file is written whole even when scenarios crash, and replaces the old")
def _():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "report.json")
        with open(path, "w") as f:
            f.write("old")
        rc, out, err = run(*MODS, "--format", "json", "--output", path,
                           *mixed("02_segfault.json", "08_pass_last.json"))
        assert rc == 1, out + err
        r = json.load(open(path))
        assert [x["outcome"] for x in r["scenarios"]] == ["fail", "pass"], r
        assert os.listdir(d) == ["report.json"], os.listdir(d)


@case("an output that cannot be written is exit 2, and every other report is still written")
def _():
    with tempfile.TemporaryDirectory() as d:
        bad = os.path.join(d, "no-such-folder", "junit.xml")
        good = os.path.join(d, "report.json")
        tap = os.path.join(d, "report.tap")
        rc, out, err = run(*MODS, "--format", "junit", "--output", bad, "--format", "json",
                           "--output", good, "--format", "tap", "--output", tap,
                           *mixed("01_pass_first.json", "07_fails_expectation.json"))
        expect(rc, out, err, 2, "junit.xml: cannot write the JUnit report",
               "PASS  mixed: a passing scenario before the crashes", "1 passed, 1 failed")
        assert not os.path.exists(bad)
        r = json.load(open(good))
        assert r["exit_code"] == 2 and "cannot write the JUnit report" in r["problems"][0], r
        assert len(r["scenarios"]) == 2, r
        t = open(tap).read()
        assert t.startswith("TAP version 13\n1..2\nok 1 - ") and "\nBail out! " in t, t
        assert sorted(os.listdir(d)) == ["report.json", "report.tap"], os.listdir(d)


@case("invalid input still writes the reports, saying why nothing ran")
def _():
    with tempfile.TemporaryDirectory() as d:
        empty = os.path.join(d, "empty")
        os.mkdir(empty)
        junit = os.path.join(d, "junit.xml")
        rc, out, err = run("--format", "junit", "--output", junit, empty)
        expect(rc, out, err, 2, "holds no scenario")
        root = ET.parse(junit).getroot()
        assert root.get("errors") == "1", root.attrib
        error = root.find("./testsuite/testcase/error")
        assert "holds no scenario" in error.get("message"), error.attrib


# ---- Parallel runs and selection ------------------------------------------------------------

@case("-j 1 and -j 2 give the same report, in file order")
def _():
    one = run(*MODS, "-j", "1", *NOT_HANGING)
    two = run(*MODS, "-j", "2", *NOT_HANGING)
    assert one[0] == two[0] == 1, (one, two)
    assert without_timing(one[1]) == without_timing(two[1]), one[1] + "\n----\n" + two[1]
    assert "1 at a time" in one[1] and "2 at a time" in two[1], one[1] + two[1]


@case("a child that forks a copy per scenario reports crashes and hangs as one per scenario does",
      where=POSIX)
def _():
    # -j 1 over 8 scenarios: each child plays 2, forking a copy for each (runner_pool.c);
    # -j 2: a child of its own for each.
    forked = run_mixed("-j", "1")
    alone = run_mixed("-j", "2")
    started = run(*MODS, "--timeout", "3s", "-j", "1", MIXED,
                  env=env_without(HOTSWAP_NO_FORK="1"))
    assert forked[0] == alone[0] == started[0] == 1, (forked, alone, started)
    assert without_timing(forked[1]) == without_timing(alone[1]), \
        forked[1] + "\n----\n" + alone[1]
    assert without_timing(forked[1]) == without_timing(started[1]), \
        forked[1] + "\n----\n" + started[1]
    assert "3 passed, 5 failed (3 crashed, 1 hung)" in forked[1], forked[1]


# ---- The real clock: the watchdog measures one invocation, never the timeline ---------------

def real_clock_scenario(d, name, routine, work_type, steps):
    path = os.path.join(d, name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"name": "real clock: " + name, "module": "suite_crash", "routine": routine,
                   "true_means": "continue", "clock": "real",
                   "objects": [{"name": "work", "type": work_type},
                               {"name": "stop", "type": "synchronization_event"}],
                   "steps": steps}, f)
    return path


@case("real clock: slow invocations that answer continue and never block are a livelock")
def _():
    # 20 ms a call: each returns well inside --timeout, but the worker never blocks again.
    with tempfile.TemporaryDirectory() as d:
        path = real_clock_scenario(d, "slow spin", "SlowSpinRoutine", "notification_event",
                                   [{"set": "work"}])
        rc, out, err = run(*MODS, "--timeout", "2s", path)
        expect(rc, out, err, 1, "rule: livelock", "invocations in a row without the worker "
               "blocking for ", "past the 2s limit (--timeout)",
               "'work' (notification event) stayed signaled", "KeClearEvent")
        assert "watchdog" not in out + err, out + err


@case("real clock: a timeline longer than --timeout, the worker blocked between steps, passes")
def _():
    expect_work = [{"status": "STATUS_WAIT_0", "decision": "continue"}]
    with tempfile.TemporaryDirectory() as d:
        path = real_clock_scenario(d, "long timeline", "ChattyRoutine", "synchronization_event", [
            {"at": "100ms", "set": "work", "expect": expect_work},
            {"at": "800ms", "set": "work", "expect": expect_work},
            {"at": "1500ms", "set": "stop",
             "expect": [{"status": "STATUS_WAIT_1", "decision": "terminate"}]}])
        expect(*run(*MODS, "--timeout", "1s", path), 0, "1 passed", "3 invocations, real time")


@case("real clock: an invocation that does not return is rule watchdog, named by the process")
def _():
    rc, out, err = run(*MODS, "--clock", "real", "--timeout", "2s",
                       os.path.join(MIXED, "04_hang.json"))
    # The process's own watchdog, not the kill: it names the invocation and when it began.
    expect(rc, out, err, 1, "rule: watchdog", "invocation 3 (STATUS_WAIT_1 (0x00000001), "
           "called at ", "still running after the 2s limit (--timeout)",
           "#3          step 3 ", "did not return")
    assert "killed" not in out, out


@case("--no-isolate gives the same verdicts, word for word, for routines that do not crash")
def _():
    files = [SCENARIOS] + mixed("01_pass_first.json", "07_fails_expectation.json",
                                "08_pass_last.json")
    isolated = run(*MODS, *files)
    inline = run(*MODS, "--no-isolate", *files)
    assert isolated[0] == inline[0] == 1, (isolated, inline)
    assert without_timing(isolated[1]) == without_timing(inline[1]), \
        isolated[1] + "\n----\n" + inline[1]
    for fmt in ("tap", "json"):
        a = run(*MODS, "--format", fmt, *files)[1]
        b = run(*MODS, "--no-isolate", "--format", fmt, *files)[1]
        if fmt == "json":
            a, b = json.loads(a)["scenarios"], json.loads(b)["scenarios"]
            for x in a + b:
                x.pop("seconds")
                if x["clock"] == "real":
                    x.pop("virtual_time")
                    x.pop("virtual_time_ticks")
        else:
            a, b = re.sub(r"duration_ms: \S+", "", a), re.sub(r"duration_ms: \S+", "", b)
        assert a == b, f"{fmt} differs"


@case("--filter keeps scenarios whose name or file matches, and a filter that matches none is an error")
def _():
    rc, out, err = run(*MODS, "--filter", "mixed: a passing*", "--filter", "*chatty*", MIXED)
    expect(rc, out, err, 0, "3 passed, 0 failed", "3 of 8 scenarios selected")
    rc, out, err = run(*MODS, "--filter", "segfault", MIXED)
    expect(rc, out, err, 1, "0 passed, 1 failed")
    rc, out, err = run(*MODS, "--filter", "no-such-scenario", MIXED)
    expect(rc, out, err, 2, "--filter matches none of the 8 scenarios")


@case("--shard K/N splits the suite the same way every time, each scenario in one shard")
def _():
    def names(k, n):
        rc, out, err = run("--module-path", SCENARIO_MODULES, "--format", "json",
                           "--shard", f"{k}/{n}", SCENARIOS)
        assert rc == 0, out + err
        return [s["name"] for s in json.loads(out)["scenarios"]]
    everything = names(1, 1)
    shards = [names(k, 3) for k in (1, 2, 3)]
    assert names(2, 3) == shards[1], "not deterministic"
    merged = [x for s in shards for x in s]
    assert sorted(merged) == sorted(everything) and len(set(merged)) == len(merged), shards
    assert max(map(len, shards)) - min(map(len, shards)) <= 1, list(map(len, shards))
    assert everything[1::3] == shards[1], (everything, shards[1])


@case("an empty shard is a note, not a failure; a bad --shard is a usage error")
def _():
    rc, out, err = run("--module-path", SCENARIO_MODULES, "--shard", "40/40", SCENARIOS)
    expect(rc, out, err, 0, "shard 40/40 has none of the")
    for bad in ("0/3", "4/3", "2", "a/b", "1/0"):
        expect(*run("--shard", bad, SCENARIOS), 2, "--shard takes K/N")


@case("suite options are checked: -j, --timeout, --format, --output, --color")
def _():
    expect(*run("-j", "0", SCENARIOS), 2, "-j takes")
    expect(*run("--timeout", "soon", SCENARIOS), 2, "--timeout takes a duration")
    expect(*run("--format", "xml", SCENARIOS), 2, "--format takes text, tap, junit or json")
    expect(*run("--output", "x.xml", SCENARIOS), 2, "follows the --format it writes")
    expect(*run("--format", "tap", "--format", "json", SCENARIOS), 2, "only one --format")
    expect(*run("--color", "sometimes", SCENARIOS), 2, "--color takes auto, always or never")


# ---- Bad input ------------------------------------------------------------------------------

@case("a symbolic link back up the tree is a link loop, exit 2", where=POSIX)
def _():
    with tempfile.TemporaryDirectory() as d:
        shutil.copy(os.path.join(MIXED, "01_pass_first.json"), d)
        os.symlink(d, os.path.join(d, "again"))
        os.symlink(d, os.path.join(d, "and-again"))
        expect(*run(*MODS, d, timeout=20), 2, "a link loop")


@case("a loop of symbolic links and a broken link are errors, exit 2", where=POSIX)
def _():
    with tempfile.TemporaryDirectory() as d:
        os.symlink(os.path.join(d, "b.json"), os.path.join(d, "a.json"))
        os.symlink(os.path.join(d, "a.json"), os.path.join(d, "b.json"))
        expect(*run(d), 2, "a.json: cannot follow it: a loop of symbolic links")
    with tempfile.TemporaryDirectory() as d:
        os.symlink(os.path.join(d, "gone.json"), os.path.join(d, "x.json"))
        expect(*run(d), 2, "x.json: cannot follow it: a broken symbolic link")


@case("a file that cannot be read is an error, exit 2", where=POSIX)
def _():
    with tempfile.TemporaryDirectory() as d:
        fifo = os.path.join(d, "pipe.json")
        os.mkfifo(fifo)
        expect(*run(fifo, timeout=20), 2, "not a regular file")
        expect(*run(d, timeout=20), 2, "not a regular file")
        if os.geteuid() != 0:  # root reads any file
            os.unlink(fifo)
            locked = os.path.join(d, "locked.json")
            shutil.copy(os.path.join(MIXED, "01_pass_first.json"), locked)
            os.chmod(locked, 0)
            expect(*run(locked), 2, "locked.json", "cannot open the file")


@case("a file over the size limit is an error, exit 2")
def _():
    with tempfile.TemporaryDirectory() as d:
        big = os.path.join(d, "big.json")
        with open(big, "w") as f:
            f.write('{"name": "' + "x" * (17 << 20) + '"}')
        expect(*run(big), 2, "big.json", "larger than")


@case("two scenarios with one name are an error for run and validate, exit 2")
def _():
    with tempfile.TemporaryDirectory() as d:
        for n in ("a.json", "b.json"):
            shutil.copy(os.path.join(MIXED, "01_pass_first.json"), os.path.join(d, n))
        for cmd in ("run", "validate"):
            p = subprocess.run([*WRAPPER, HARNESS, cmd, d], capture_output=True, text=True,
                               env=env_without())
            expect(p.returncode, p.stdout, p.stderr, 2, "b.json: the scenario name",
                   "already the name of", "a.json")


# ---- Terminals ------------------------------------------------------------------------------

def run_on_terminal(args, env, stdout_tty, stderr_tty):
    """Runs with stdout and/or stderr on a pseudo-terminal; returns (rc, tty text, piped)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([*WRAPPER, HARNESS, "run", *args], env=env,
                         stdout=slave if stdout_tty else subprocess.PIPE,
                         stderr=slave if stderr_tty else subprocess.PIPE)
    os.close(slave)
    chunks = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    piped = (p.stdout or p.stderr).read()
    rc = p.wait(timeout=120)
    reader.join(timeout=10)
    os.close(master)
    return rc, b"".join(chunks).decode(errors="replace"), piped.decode(errors="replace")


@case("colour on a terminal, never in a pipe, never with NO_COLOR; --color decides", where=POSIX)
def _():
    args = ["--module-path", SCENARIO_MODULES, "--no-progress",
            os.path.join(SCENARIOS, "queue_worker_stop_after_work.json")]
    rc, tty, _ = run_on_terminal(args, env_without(), True, False)
    assert rc == 0 and "\x1b[32mPASS\x1b[0m" in tty, repr(tty)
    rc, tty, _ = run_on_terminal(args, env_without(NO_COLOR="1"), True, False)
    assert rc == 0 and "\x1b[" not in tty, repr(tty)
    rc, out, err = run(*args)
    assert rc == 0 and "\x1b[" not in out, repr(out)
    rc, out, err = run("--color", "always", *args, env=env_without(NO_COLOR="1"))
    assert "\x1b[32mPASS" in out, repr(out)
    rc, tty, _ = run_on_terminal(["--color", "never", *args], env_without(), True, False)
    assert "\x1b[" not in tty, repr(tty)


@case("a progress line on a terminal's stderr, cleared at the end; none without one", where=POSIX)
def _():
    args = ["--module-path", SCENARIO_MODULES, SCENARIOS]
    n = len([f for f in os.listdir(SCENARIOS) if f.endswith(".json")])
    rc, tty, out = run_on_terminal(args, env_without(), False, True)
    assert rc == 0, tty + out
    assert re.search(r"\r\x1b\[K\[\d+/%d\] 0 failed" % n, tty), repr(tty)
    assert tty.endswith("\r\x1b[K"), repr(tty[-40:])
    assert "\r" not in out and "%d passed" % n in out, out
    rc, tty, out = run_on_terminal(["--no-progress", *args], env_without(), False, True)
    assert rc == 0 and "[" not in tty, repr(tty)
    rc, out, err = run(*args)
    assert "\r" not in err, repr(err)


finish()
