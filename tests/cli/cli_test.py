#!/usr/bin/env python3
"""Tests of the hotswap-harness command line: exit codes, messages, and the run reports.

Usage: cli_test.py HARNESS MODULE_DIR DATA_DIR BROKEN_MODULE_DIR CALL_MODULE_DIR
[IMPORT_MODULE_DIR]. Prints TAP (one point per case). CALL_MODULE_DIR holds the module the
"call" cases run; IMPORT_MODULE_DIR the modules with imports nothing defines (POSIX).
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

HARNESS, MODULE_DIR, DATA = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
BROKEN_DIR = sys.argv[4]
CALL_DIR = sys.argv[5]
IMPORT_DIR = sys.argv[6] if len(sys.argv) > 6 else ""
# A cross build's `meson test` names the program that runs HARNESS here (wine).
WRAPPER = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
results = []


def run(*args, env=None):
    full_env = dict(os.environ)
    full_env.pop("HOTSWAP_MODULE_PATH", None)
    if env:
        full_env.update(env)
    p = subprocess.run([*WRAPPER, HARNESS, *args], capture_output=True, text=True, env=full_env,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def case(name):
    def wrap(fn):
        try:
            fn()
            results.append((name, None))
        except AssertionError as e:
            results.append((name, str(e) or "assertion failed"))
        return fn
    return wrap


def expect(rc, out, err, code, *phrases):
    text = out + err
    assert rc == code, f"exit {rc}, wanted {code}\n{text}"
    for p in phrases:
        assert p in text, f"missing {p!r} in:\n{text}"


def data(name):
    return os.path.join(DATA, name)


@case("no arguments is a usage error")
def _():
    expect(*run(), 2, "Usage: hotswap-harness")


@case("--help and --version")
def _():
    expect(*run("--help"), 0, "Commands:", "run PATH", "Exit status")
    for cmd in ("run", "validate", "fuzz", "replay", "status", "rules"):
        expect(*run(cmd, "--help"), 0, "Commands:", "Options of run")
    expect(*run("--version"), 0, "hotswap-harness 0.")


@case("unknown command suggests the closest")
def _():
    expect(*run("rnu", "x.json"), 2, "unknown command 'rnu'", "did you mean 'run'",
           "--help")


@case("unknown option")
def _():
    expect(*run("run", "--frobnicate", data("pass.json")), 2, "unknown option '--frobnicate'")


@case("missing option value")
def _():
    expect(*run("run", data("pass.json"), "--module-path"), 2, "needs a value")


@case("bad livelock limit")
def _():
    expect(*run("run", "--livelock-limit", "zero", data("pass.json")), 2,
           "--livelock-limit takes a whole number")


@case("run needs a path")
def _():
    expect(*run("run"), 2, "needs at least one scenario")


@case("missing file")
def _():
    expect(*run("run", data("no-such-file.json")), 2, "no-such-file.json: no such file")


@case("empty folder is an error, never a silent pass")
def _():
    with tempfile.TemporaryDirectory() as d:
        expect(*run("run", d), 2, "holds no scenario")


@case("status by name and by number")
def _():
    expect(*run("status", "STATUS_WAIT_3"), 0, "STATUS_WAIT_3 = 0x00000003")
    expect(*run("status", "0x102"), 0, "STATUS_TIMEOUT = 0x00000102")
    expect(*run("status", "STATUS_ABANDONED_WAIT_2"), 0, "0x00000082")


@case("status of a misspelled name suggests one")
def _():
    expect(*run("status", "STATUS_TIMEOTU"), 2, "did you mean STATUS_TIMEOUT")


@case("rules lists every contract check")
def _():
    rc, out, err = run("rules")
    expect(rc, out, err, 0, "livelock", "deadlock", "call-after-terminate", "held-mutex",
           "pool-leak")


@case("a passing scenario exits 0 with a PASS line and a summary")
def _():
    expect(*run("run", "--module-path", MODULE_DIR, data("pass.json")), 0, "PASS",
           "1 passed, 0 failed")


@case("a failing scenario exits 1 with a full account")
def _():
    rc, out, err = run("run", "--module-path", MODULE_DIR, data("fail-decision.json"))
    expect(rc, out, err, 1, "FAIL", "step 1 (steps[0]: set stop)", "invocation 1",
           "expected STATUS_WAIT_1 (0x00000001) -> continue",
           "got STATUS_WAIT_1 (0x00000001) -> terminate", "rule: expectation",
           "invocations (1):", "reproduce: hotswap-harness run --module-path",
           "0 passed, 1 failed")


@case("the module is found through HOTSWAP_MODULE_PATH")
def _():
    expect(*run("run", data("pass.json"), env={"HOTSWAP_MODULE_PATH": MODULE_DIR}), 0,
           "1 passed")


@case("a missing module is exit 2 and lists where it looked")
def _():
    rc, out, err = run("run", data("pass.json"))
    wanted = "queue_worker.dll" if HARNESS.endswith(".exe") else "libqueue_worker"
    expect(rc, out, err, 2, "could not run", wanted)


@case("a missing symbol is exit 2")
def _():
    expect(*run("run", "--module-path", MODULE_DIR, data("no-symbol.json")), 2,
           "NoSuchRoutine")


@case("a misspelled routine gets a did-you-mean from the module's exports")
def _():
    expect(*run("run", "--module-path", MODULE_DIR, data("misspelled-routine.json")), 2,
           "exports no symbol 'QueueWorkerRoutin' (did you mean 'QueueWorkerRoutine'?)")


@case("call: arguments, objects and the return value; a KeSetEvent at DISPATCH_LEVEL wakes the worker")
def _():
    expect(*run("run", "-M", CALL_DIR, data("call-pass.json")), 0, "1 passed")
    expect(*run("run", "--clock", "real", "-M", CALL_DIR, data("call-pass.json")), 0,
           "1 passed")
    # Driver code on the scenario's thread may block; with nothing left to end its wait it is
    # a deadlock on the real clock too, never a hang.
    for clock in ("virtual", "real"):
        expect(*run("run", "--clock", clock, "-M", CALL_DIR, data("call-waits-forever.json")), 1,
               "rule: deadlock", "code running as the thread 'driver' waits forever",
               "on 'done' (notification event) [not signaled]",
               "#1          step 1", "-> terminate (TRUE)")


@case("call: a return value other than \"returns\" fails with rule expectation")
def _():
    expect(*run("run", "-M", CALL_DIR, data("call-returns-mismatch.json")), 1,
           "rule: expectation", "CallsSum, called by driver (step 1", "the step expects 11")


@case("call: returning holding a spin lock fails with rule held-at-return")
def _():
    expect(*run("run", "-M", CALL_DIR, data("call-holds-lock.json")), 1,
           "rule: held-at-return", "CallsHoldLock, called by dispatch (step 1",
           "a spin lock")


@case("call: returning at a raised IRQL fails with rule irql-at-return")
def _():
    expect(*run("run", "-M", CALL_DIR, data("call-raises-irql.json")), 1,
           "rule: irql-at-return", "CallsRaiseIrql, called by driver",
           "returned at DISPATCH_LEVEL; it was called at PASSIVE_LEVEL")


@case("call: a pool block it leaves is a leak labelled with the call and its step")
def _():
    expect(*run("run", "-M", CALL_DIR, data("call-leaks.json")), 1, "rule: pool-leak",
           "CallsAllocate (step 1 (steps[0]: call CallsAllocate))")


@case("call: a function the module does not export is an input error with a suggestion")
def _():
    expect(*run("run", "-M", CALL_DIR, data("call-unknown-function.json")), 2,
           "call-unknown-function.json:10:24: error: steps[0].call",
           "exports no function 'CallsSun'", "did you mean 'CallsSum'?")


@case("global objects: a symbol the module does not export is an input error with a suggestion")
def _():
    expect(*run("run", "-M", MODULE_DIR, data("global-missing.json")), 2,
           "global-missing.json:7:17: error: objects[0].global",
           "exports no global 'WorkQueueEvnt'", "did you mean 'WorkQueueEvent'?")


@case("global objects: a header of another type than \"type\" fails at the set-up")
def _():
    expect(*run("run", "-M", MODULE_DIR, data("global-wrong-type.json")), 1, "rule: context",
           "objects[1] 'stop' (the module's global WorkQueueStopEvent) is a notification_event,"
           " and the scenario says it is a synchronization_event")


@case("global objects: a step on a global of a type it does not act on fails naming both")
def _():
    expect(*run("run", "-M", MODULE_DIR, data("global-wrong-action.json")), 1, "rule: timeline",
           "'WorkQueueStopEvent' (the module's global) is a notification_event, which "
           "\"release\" does not act on")


@case("driver mode: steps and then name objects by their place in the worker's start context")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-worker-events.json")), 0, "PASS",
           "2 invocations")


@case("driver mode: a place past the start context fails at its step, naming the range")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-worker-events-past.json")), 1,
           "rule: timeline", "step 1 (steps[0]: set worker.events[2]): 'worker.events[2]' is "
           "past the worker's start context, which lists 2 objects (worker.events[0] to "
           "worker.events[1])")


@case("driver mode: a place in the start context before any worker exists fails at its step")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-no-worker.json")), 1, "rule: timeline",
           "'worker.events[0]' is a place in the worker's start context, and no worker exists: "
           "CallsDriverLoadNoWorker started none")


@case("driver mode: a driver may start two workers; the unload ends both, each named")
def _():
    expect(*run("run", "-v", "-M", CALL_DIR, data("driver-two-workers.json")), 0, "PASS",
           "2 invocations", "[worker 1 (CallsRoutine)]", "[worker 2 (CallsRoutine)]")


@case("driver mode: with two workers, JSON names each invocation's worker, isolated or not")
def _():
    for extra in ([], ["--no-isolate"]):
        rc, out, err = run("run", "-v", "--format", "json", "-M", CALL_DIR, *extra,
                           data("driver-two-workers.json"))
        assert rc == 0, out + err
        listed = json.loads(out)["scenarios"][0]["invocation_list"]
        assert [(i["worker"], i["worker_label"]) for i in listed] == [
            (1, "worker 1 (CallsRoutine)"), (2, "worker 2 (CallsRoutine)")], out
    # One worker: the keys stay out, as before.
    rc, out, err = run("run", "-v", "--format", "json", "-M", CALL_DIR,
                       data("driver-worker-events.json"))
    listed = json.loads(out)["scenarios"][0]["invocation_list"]
    assert listed and all("worker" not in i for i in listed), out


@case("driver mode: an unload that leaves one of several workers alive names it")
def _():
    expect(*run("run", "-M", MODULE_DIR, data("driver-unload-leaves-device-worker.json")), 1,
           "rule: driver", "the thread of worker 1 (AcpiDevGlobalWorker) is still blocked in "
           "its wait after AcpiDevKickGlobal returned")


@case("driver mode: a real-clock run refuses a second worker, saying why")
def _():
    expect(*run("run", "--clock", "real", "-M", CALL_DIR, data("driver-two-workers.json")), 1,
           "rule: driver", "the driver started a second hot-swappable worker thread: a "
           "real-clock run plays one worker per driver")


@case("driver mode: then and alert name a worker; one the driver never started is rule timeline")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-two-workers-then.json")), 1,
           "rule: timeline", "step 3 (steps[2]: advance 1ms): then.worker names worker 3, and "
           "the driver has started 2 workers so far")


@case("driver mode: with several workers an expect entry must name its worker")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-two-workers-unnamed.json")), 1,
           "rule: expectation", "the driver has 2 workers, so the step's steps[0].expect[0] "
           "must say which worker the invocation belongs to")


@case("driver mode: an invocation of another worker than the expect entry names fails")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-two-workers-wrong.json")), 1,
           "rule: expectation", "expected STATUS_WAIT_0 (0x00000000) of worker 2 (steps[0].expect[0]), got "
           "STATUS_WAIT_0 (0x00000000) -> continue (returned FALSE) at 0 of worker 1 "
           "(CallsRoutine)")


@case("a routine-mode scenario cannot name a worker in expect")
def _():
    expect(*run("validate", data("expect-worker-routine-mode.json")), 2,
           "a scenario that names a routine has one worker")


@case("driver mode: an invocation while the driver loads fails the load, saying where")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-invoked-while-loading.json")), 1,
           "rule: expectation", "the worker was invoked while the driver loaded (invocation 1: "
           "STATUS_WAIT_0", "where: the driver's load (CallsDriverLoadSignaled)")


@case("driver mode: a load routine's failure status is rule driver")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-load-fails.json")), 1, "rule: driver",
           "CallsDriverLoadFails returned 0xC0000225: the driver did not load")


@case("driver mode: a driver that set no DriverUnload, and the scenario names none, is rule driver")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-no-unload.json")), 1, "rule: driver",
           "the driver cannot be unloaded: CallsDriverLoadNoUnload set no "
           "DriverObject->DriverUnload and the scenario names no \"unload\" routine")


@case("driver mode: a load routine the module lacks is an input error at driver.load")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-load-missing.json")), 2,
           "driver-load-missing.json:3:42: error: driver.load:", "exports no symbol "
           "'CallsDriverLoaf' (did you mean 'CallsDriverLoad'?)")


@case("driver mode: steps name the driver's globals by symbol without listing them")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-undeclared-globals.json")), 0, "PASS",
           "2 invocations")


@case("driver mode: a global a step names that the driver lacks is an input error at the step")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-undeclared-misspelled.json")), 2,
           "driver-undeclared-misspelled.json:5:23: error: steps[0].set:",
           "exports no global 'CallsDriverStp' (did you mean 'CallsDriverStop'?)")


@case("driver mode: an unlisted global of a type the step does not act on fails naming both")
def _():
    expect(*run("run", "-M", CALL_DIR, data("driver-undeclared-wrong-action.json")), 1,
           "rule: timeline", "'CallsDriverStop' (the module's global) is a notification_event, "
           "which \"release\" does not act on")


@case("global objects: one no KeInitializeXxx has made an object fails at the set-up")
def _():
    expect(*run("run", "-M", CALL_DIR, data("global-uninitialized.json")), 1, "rule: context",
           "objects[1] 'CallsEventNeverInitialized' (the module's global) is not a dispatcher "
           "object after the set-up", "HhKind 0")


if IMPORT_DIR:
    @case("a module importing a kernel routine libhotswap lacks: named, and said plainly")
    def _():
        expect(*run("run", "--module-path", IMPORT_DIR, data("imports-unknown.json")), 2,
               "it imports KeSaveExtendedProcessorState, which libhotswap does not provide")
        rc, out, err = run("run", "--module-path", IMPORT_DIR, data("imports-unknown.json"))
        assert "link it against libhotswap" not in out + err, out + err

    @case("a misspelled kernel routine gets a did-you-mean from libhotswap's exports")
    def _():
        expect(*run("run", "--module-path", IMPORT_DIR, data("imports-typo.json")), 2,
               "it imports KeSetEvnt, which libhotswap does not provide",
               "did you mean KeSetEvent?")

    if os.path.exists(os.path.join(IMPORT_DIR, "libimports_sancov.so")):
        @case("an instrumented module is pointed to the fuzzing build")
        def _():
            expect(*run("run", "--module-path", IMPORT_DIR, data("imports-sancov.json")), 2,
                   "it imports __sancov_lowest_stack, which only an instrumented build provides",
                   "the fuzzing build's hotswap-harness")


@case("an invalid file stops the whole run before anything runs")
def _():
    rc, out, err = run("run", "--module-path", MODULE_DIR, data("pass.json"),
                       data("invalid.json"))
    expect(rc, out, err, 2, "invalid.json:", "does not validate; nothing was run")
    assert "PASS" not in out, out


@case("validate needs no module")
def _():
    expect(*run("validate", data("pass.json"), data("no-symbol.json")), 0, "2 files valid")


@case("validate reports where and what")
def _():
    expect(*run("validate", data("invalid.json")), 2, "invalid.json:", "expcet",
           "did you mean \"expect\"")


@case("a livelock is reported, not hung")
def _():
    expect(*run("run", "--module-path", MODULE_DIR, data("livelock.json")), 1,
           "rule: livelock")


@case("a livelock's account folds its repeated invocations; JSON lists every one")
def _():
    rc, out, err = run("run", "--module-path", MODULE_DIR, data("livelock.json"))
    expect(rc, out, err, 1, "the wait's timeout is 0, a poll", "invocations (101):",
           "    #1-101      step 1   at 0 ", "-> continue (TRUE)  x101",
           "housekeeping 1 recycled", ".. \"QueueWorker: housekeeping 101")
    rc, out, err = run("run", "--module-path", MODULE_DIR, "--format", "json", data("livelock.json"))
    listed = json.loads(out)["scenarios"][0]["invocation_list"]
    assert len(listed) == 101 and listed[-1]["index"] == 101, out
    # On the real clock the invocations are milliseconds apart: still one line, with the span.
    broken = os.path.join(os.path.dirname(DATA), "..", "..", "examples", "broken",
                          "drain_worker_spins_on_poll.json")
    rc, out, err = run("run", "--clock", "real", "--module-path", BROKEN_DIR, broken)
    expect(rc, out, err, 1, "rule: livelock", "-> continue (TRUE)  x999")
    lines = [l for l in out.splitlines() if l.startswith("    #")]
    assert len(lines) == 2, out


@case("a one-hour timeout advanced ten hours")
def _():
    expect(*run("run", "--module-path", MODULE_DIR, data("ten-hours.json")), 0, "1 passed")


@case("a check turned off by the scenario's checks key")
def _():
    expect(*run("run", "--module-path", BROKEN_DIR, data("checks-off.json")), 0, "1 passed")


@case("the same check fires without it, and --check turns it off for a run")
def _():
    broken = os.path.join(os.path.dirname(DATA), "..", "..", "examples", "broken",
                          "config_worker_holds_mutex.json")
    expect(*run("run", "--module-path", BROKEN_DIR, broken), 1, "rule: held-at-return")
    expect(*run("run", "--check", "held-at-return=off", "--module-path", BROKEN_DIR, broken),
           1, "rule: held-mutex")
    expect(*run("run", "--check", "held-at-return=off", "--check", "held-mutex=off",
                "--module-path", BROKEN_DIR, broken), 0, "1 passed")


@case("--check refuses a bug check and an unknown rule")
def _():
    expect(*run("run", "--check", "deadlock=off", data("pass.json")), 2, "this check stays on")
    expect(*run("run", "--check", "nosuch=off", data("pass.json")), 2, "no such check")
    expect(*run("run", "--check", "pool-leak", data("pass.json")), 2, "RULE=off")


@case("a hot-swap whose module is missing fails the step, not the run's input")
def _():
    broken = os.path.join(os.path.dirname(DATA), "..", "..", "examples", "broken",
                          "hotswap_to_missing_module.json")
    expect(*run("run", "--module-path", MODULE_DIR, broken), 1, "rule: hotswap",
           "queue_worker_v9")


@case("--clock and --tolerance take only what they say")
def _():
    expect(*run("run", "--clock", "wall", data("pass.json")), 2,
           "--clock takes virtual (the default) or real, not 'wall'")
    expect(*run("run", data("pass.json"), "--clock"), 2, "needs a value")
    expect(*run("run", "--tolerance", "5", data("pass.json")), 2,
           "--tolerance takes a duration such as 25ms")
    expect(*run("run", "--tolerance", "2min", data("pass.json")), 2, "--tolerance takes")
    expect(*run("replay", "--clock", "real", data("pass.json"), data("pass.json")), 2,
           "unknown option '--clock'")


@case("--clock real plays on OS threads in real time, isolated or not")
def _():
    for extra in ((), ("--no-isolate",)):
        expect(*run("run", "--clock", "real", *extra, "--module-path", MODULE_DIR,
                    data("pass.json")), 0, "PASS", "real time", "1 passed")


@case("a real-clock failure says so and its reproduce line keeps the clock")
def _():
    rc, out, err = run("run", "--clock", "real", "--tolerance", "40ms", "--module-path",
                       MODULE_DIR, data("fail-decision.json"))
    expect(rc, out, err, 1, "rule: expectation", "(real time)",
           "reproduce: hotswap-harness run --module-path", "--clock real --tolerance 40ms")


@case("a scenario's own \"clock\" is validated, wins over --clock, and shows in the reports")
def _():
    with tempfile.TemporaryDirectory() as d:
        with open(data("pass.json"), encoding="utf-8") as f:
            text = f.read()
        bad = os.path.join(d, "bad-clock.json")
        with open(bad, "w", encoding="utf-8") as f:
            f.write(text.replace('"module"', '"clock": "wall", "module"', 1))
        expect(*run("validate", bad), 2, "bad-clock.json", "clock", "virtual", "real")
        files = {}
        for clock in ("real", "virtual"):
            files[clock] = os.path.join(d, clock + "-clock.json")
            with open(files[clock], "w", encoding="utf-8") as f:
                f.write(text.replace('"name": "', '"clock": "%s", "name": "%s ' % (clock, clock), 1))
        for option in ((), ("--clock", "real"), ("--clock", "virtual")):
            rc, out, err = run("run", *option, "--module-path", MODULE_DIR, "--format", "json",
                               files["real"], files["virtual"], data("pass.json"))
            expect(rc, out, err, 0)
            clocks = [s["clock"] for s in json.loads(out)["scenarios"]]
            unsaid = "real" if option == ("--clock", "real") else "virtual"
            assert clocks == ["real", "virtual", unsaid], (option, clocks)
        expect(*run("run", "--clock", "real", "--module-path", MODULE_DIR, files["virtual"]),
               0, "virtual time")


@case("real clock: a routine still busy when the next step is due fails that step (timeline)")
def _():
    slow = {
        "name": "cli: slower than the timeline", "clock": "real",
        "module": "doorbell_worker", "routine": "DoorbellWorkerRoutine",
        "true_means": "continue", "context": {"busy_polls": 20000},
        "objects": [{"name": "doorbell", "type": "notification_event"},
                    {"name": "stop", "type": "notification_event"}],
        "steps": [
            {"set": "doorbell", "expect": [{"status": "STATUS_WAIT_0", "decision": "continue"}]},
            {"at": "10ms", "set": "stop",
             "expect": [{"status": "STATUS_WAIT_1", "decision": "terminate"}]}]}
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "slow.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(slow, f)
        rc, out, err = run("run", "--tolerance", "5ms", "--module-path", MODULE_DIR, path)
        expect(rc, out, err, 1, "rule: timeline", "the worker was still running at",
               "past the time step 2 was due (10ms, with the 5ms tolerance)",
               "step 1 (steps[0]: set doorbell)")
        # With room for the routine's 200ms of work, the same timeline passes (a wide margin:
        # a loaded machine can stretch the work several times over).
        with open(path, "w", encoding="utf-8") as f:
            slow["steps"][1]["at"] = "3s"
            json.dump(slow, f)
        expect(*run("run", "--module-path", MODULE_DIR, path), 0, "1 passed")


SCENARIOS = os.path.join(DATA, "..", "..", "..", "scenarios")


@case("a scenario without \"true_means\" is an error (exit 2) unless --true-means gives it")
def _():
    with open(os.path.join(SCENARIOS, "acpi_style_worker_true_means_terminate.json")) as f:
        acpi = json.load(f)
    assert acpi.pop("true_means") == "terminate"
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "acpi.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(acpi, f)
        why = ['acpi.json:1:1: error: no "true_means"',
               "\n  the WDK page: TRUE waits again, FALSE ends the thread\n",
               "\n  acpi.sys (Windows 11 24H2 to 26H1): the opposite, TRUE ends it\n",
               '"true_means": "continue" (WDK) or "terminate" (acpi.sys)',
               "--true-means continue|terminate"]
        expect(*run("run", "-M", MODULE_DIR, path), 2, *why, "nothing was run")
        expect(*run("validate", path), 2, *why)
        for isolation in ([], ["--no-isolate"]):
            expect(*run("run", "-M", MODULE_DIR, "--true-means", "terminate", *isolation, path),
                   0, "1 passed")
            # The acpi-style routine read with the WDK polarity is wrong at its first stop.
            expect(*run("run", "-M", MODULE_DIR, "--true-means=continue", *isolation, path),
                   1, "1 failed")
        expect(*run("validate", "--true-means", "continue", path), 0, "1 file valid")
        expect(*run("run", "--true-means", "yes", path), 2,
               "--true-means takes continue", "terminate", "not 'yes'")
        expect(*run("run", path, "--true-means"), 2, "needs a value")
    # A scenario's own "true_means" wins over the command line's.
    expect(*run("run", "-M", MODULE_DIR, "--true-means", "continue",
                os.path.join(SCENARIOS, "acpi_style_worker_true_means_terminate.json")),
           0, "1 passed")


@case("hotswap-suite.json gives \"true_means\" to the scenarios of its folder")
def _():
    with open(os.path.join(SCENARIOS, "acpi_style_worker_true_means_terminate.json")) as f:
        acpi = json.load(f)
    del acpi["true_means"]
    with tempfile.TemporaryDirectory() as d:
        sub = os.path.join(d, "sub")
        os.mkdir(sub)
        for folder in (d, sub):
            with open(os.path.join(folder, "acpi.json"), "w", encoding="utf-8") as f:
                json.dump(dict(acpi, name="acpi in " + os.path.basename(folder)), f)
        suite = os.path.join(d, "hotswap-suite.json")
        with open(suite, "w", encoding="utf-8") as f:
            f.write('{ "true_means": "terminate" }\n')
        top = os.path.join(d, "acpi.json")
        # The folder's file wins over the command line; it is not a scenario itself.
        for extra in ([], ["--true-means", "continue"], ["--no-isolate"]):
            expect(*run("run", "-M", MODULE_DIR, *extra, top), 0, "1 passed")
        expect(*run("validate", top), 0, "1 file valid")
        # Only its own folder: the scenario below it still has to say.
        expect(*run("run", "-M", MODULE_DIR, d), 2, "sub/acpi.json:1:1: error: no \"true_means\"",
               "1 of 2 scenario files")
        expect(*run("run", "-M", MODULE_DIR, "--true-means", "terminate", d), 0, "2 passed")
        expect(*run("run", suite), 2, "hotswap-suite.json: holds what the scenarios of its "
               "folder leave out, and is not a scenario")
        # A scenario's own key wins over the folder's.
        with open(top, "w", encoding="utf-8") as f:
            json.dump(dict(acpi, true_means="continue"), f)
        expect(*run("run", "-M", MODULE_DIR, top), 1, "1 failed")
        with open(suite, "w", encoding="utf-8") as f:
            f.write('{ "true_means": "terminat", "polarity": 1 }\n')
        expect(*run("validate", top), 2,
               "hotswap-suite.json:1:29: error: polarity: unknown key",
               "hotswap-suite.json:1:17: error: true_means: unknown value \"terminat\"; did you "
               "mean \"terminate\"?")


@case("status ends with what it says of the status, not the footer of rules")
def _():
    rc, out, err = run("status", "STATUS_WAIT_1")
    expect(rc, out, err, 0, "STATUS_WAIT_1 = 0x00000001")
    assert "OFF?" not in out + err and "checks" not in out + err, out + err
    expect(*run("rules"), 0, 'OFF? yes: a scenario\'s "checks"')


@case("rules takes no argument")
def _():
    expect(*run("rules", "extra"), 2, "'rules' takes no argument, not 'extra'")


@case("durations on the command line take the grammar of scenario files")
def _():
    for option in ("--timeout", "--tolerance"):
        for bare in ("5", "0.5"):
            expect(*run("run", option, bare, data("pass.json")), 2,
                   f"{option} takes a duration", f"not '{bare}': the unit is missing; write "
                   "ns, us, ms or s after the number")
        expect(*run("run", option, "1.5x", data("pass.json")), 2, "unknown unit")
    for value in ("1.5s", "500ms", "0"):
        expect(*run("run", "-M", MODULE_DIR, "--timeout", value, data("pass.json")), 0,
               "1 passed")
    expect(*run("run", "-M", MODULE_DIR, "--tolerance", "0.5s", "--clock", "real",
                data("pass.json")), 0, "1 passed")
    expect(*run("run", "--timeout", "25h", data("pass.json")), 2, "at most a day")


@case("a --module-path folder that does not exist is warned about, by name")
def _():
    for cmd in (["run", "-M", MODULE_DIR], ["validate"]):
        rc, out, err = run(*cmd, "-M", "no/such/folder", "--module-path=" + data("pass.json"),
                           data("pass.json"))
        expect(rc, out, err, 0, "warning: --module-path no/such/folder: no such folder",
               "pass.json: a file, not a folder")
    rc, out, err = run("run", "-M", MODULE_DIR, data("pass.json"))
    assert "warning" not in out + err, out + err


@case("then.context names a key the context lacks as missing, another value as differing")
def _():
    with open(data("pass.json")) as f:
        scenario = json.load(f)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "context.json")
        for want, phrase in (({"procesed": 1}, "then.context: context.procesed is missing"),
                             ({"processed": 7}, "then.context: context.processed differs")):
            scenario["steps"][1]["then"]["context"] = want
            with open(path, "w", encoding="utf-8") as f:
                json.dump(scenario, f)
            expect(*run("run", "-M", MODULE_DIR, path), 1, phrase)

SOURCE_ROOT = os.path.normpath(os.path.join(DATA, "..", "..", ".."))


def symbolizer_on_path():
    import shutil
    return not WRAPPER and any(shutil.which(t) for t in ("llvm-symbolizer", "addr2line"))


@case("a deadlock in the routine's own wait names its call site; file:line with a symbolizer")
def _():
    broken = os.path.join(SOURCE_ROOT, "examples", "broken", "device_reset_waits_forever.json")
    expect(*run("--help"), 0, "HOTSWAP_SYMBOLIZER=off")
    # Without a symbolizer: the routine (by the module's symbols), the module and the offset.
    rc, out, err = run("run", "--module-path", BROKEN_DIR, broken,
                       env={"HOTSWAP_SYMBOLIZER": "off"})
    expect(rc, out, err, 1, "rule: deadlock",
           "the wait is KeWaitForSingleObject called from DeviceResetRoutine",
           "device_reset_waits_forever.")
    assert "+0x" in out, out
    # A symbolizer that is not there changes nothing but the line.
    rc2, out2, err2 = run("run", "--module-path", BROKEN_DIR, broken,
                          env={"HOTSWAP_SYMBOLIZER": os.path.join(DATA, "no-such-tool")})
    expect(rc2, out2, err2, 1, "called from DeviceResetRoutine")
    if symbolizer_on_path():
        source = os.path.join(SOURCE_ROOT, "examples", "broken", "device_reset_waits_forever.c")
        with open(source, encoding="utf-8") as f:
            line = next(i for i, text in enumerate(f, 1) if "KeWaitForSingleObject(" in text)
        expect(*run("run", "--module-path", BROKEN_DIR, broken), 1,
               f"called from DeviceResetRoutine at device_reset_waits_forever.c:{line} (")



@case("leaked blocks from one site are one line: count, size, tag, site, invocations")
def _():
    work = {"status": "STATUS_WAIT_0", "decision": "continue"}
    leaky = {"name": "cli: a buffer leaked per item", "module": "careless_worker",
             "routine": "CarelessWorkerRoutine", "true_means": "continue",
             "context": {"mistake": 4},
             "objects": [{"name": "work", "type": "synchronization_event"},
                         {"name": "stop", "type": "notification_event"}],
             "steps": [{"set": "work", "expect": [work]}, {"set": "work", "expect": [work]},
                       {"set": "work", "expect": [work]},
                       {"set": "stop", "expect": [{"status": "STATUS_WAIT_1",
                                                   "decision": "terminate"}],
                        "then": {"terminated": True}}]}
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "leaky.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(leaky, f)
        rc, out, err = run("run", "--module-path", BROKEN_DIR, path)
        expect(rc, out, err, 1, "rule: pool-leak", "3 pool blocks still allocated",
               "3 blocks of 64 bytes (192 bytes), tag 'Carl', allocated at ",
               "careless_worker.c:", " in invocations 1 to 3")
        assert out.count("tag 'Carl'") == 1, out



@case("a spin lock held at return is named, with where the routine acquired it")
def _():
    broken = os.path.join(SOURCE_ROOT, "examples", "broken",
                          "sample_worker_returns_holding_lock.json")
    expect(*run("run", "--module-path", BROKEN_DIR, broken), 1, "rule: irql-at-return",
           "the spin lock at the global SampleQueueLock", "acquired by SampleWorkerRoutine")
    if symbolizer_on_path():
        source = os.path.join(SOURCE_ROOT, "examples", "broken", "sample_worker.c")
        with open(source, encoding="utf-8") as f:
            text = f.read()
        body = text.index("SampleWorkerRoutine(PVOID WorkerContext")
        line = text.count("\n", 0, text.index("KeAcquireSpinLock(", body)) + 1
        expect(*run("run", "--module-path", BROKEN_DIR, broken), 1,
               f"acquired by SampleWorkerRoutine at sample_worker.c:{line} (")



LOST_WAKEUP = os.path.join(SOURCE_ROOT, "examples", "broken",
                           "work_queue_driver_clears_outside_lock.json")
CONCURRENT_OK = os.path.join(SOURCE_ROOT, "examples", "explore",
                             "work_queue_driver_concurrent_producer.json")


def explore_finding(scenario, explore_args, phrases, run_phrases, fix):
    """explore finds the race in the broken build and writes it; run fails on what it wrote
    the same way every time, and passes on it with the fixed build (fix names it in the
    written scenario). Returns the written scenario."""
    with tempfile.TemporaryDirectory() as d:
        found = os.path.join(d, "found.json")
        rc, out, err = run("explore", "--module-path", BROKEN_DIR, *explore_args,
                           "--emit", found, scenario)
        expect(rc, out, err, 1, *phrases, f"wrote {found}")
        with open(found, encoding="utf-8") as f:
            emitted = json.load(f)
        for _ in range(3):
            expect(*run("run", "--module-path", BROKEN_DIR, found), 1, *run_phrases)
        fixed = json.loads(json.dumps(emitted))
        fix(fixed)
        fixed_path = os.path.join(d, "fixed.json")
        with open(fixed_path, "w", encoding="utf-8") as f:
            json.dump(fixed, f)
        expect(*run("run", "--module-path", MODULE_DIR, fixed_path), 0, "1 passed")
    return emitted


@case("explore: the lost wake-up is found with one preemption, and written as a scenario")
def _():
    # run plays the concurrent step after the step before it: no race, a pass
    expect(*run("run", "--module-path", BROKEN_DIR, LOST_WAKEUP), 0, "1 passed")
    emitted = explore_finding(
        LOST_WAKEUP, ["--preemptions", "1"],
        ["FINDING: rule expectation, after 1 preemption", "schedule: worker x7, producer x5",
         "stop after 1 items", "producer* starts, ExAllocatePool2"],
        ["rule: expectation", "stop after 1 items"],
        lambda sc: sc.update(module="work_queue_driver"))
    assert emitted["schedule"] == "worker x7, producer x5", emitted
    assert emitted["true_means"] == "terminate", emitted
    # no preemption: the worker drains before the producer runs, or after it: no finding
    expect(*run("explore", "--module-path", BROKEN_DIR, "--preemptions", "0", LOST_WAKEUP), 0,
           "the bounded space was exhausted: no finding")


@case("explore: the correct driver's bounded space is exhausted without a finding")
def _():
    rc, out, err = run("explore", "--module-path", MODULE_DIR, CONCURRENT_OK)
    expect(rc, out, err, 0, "dfs, at most 2 preemptions", "65 schedules explored",
           "the bounded space was exhausted: no finding")
    rc2, out2, err2 = run("explore", "--module-path", MODULE_DIR, CONCURRENT_OK)
    assert out.split(" in ")[0] == out2.split(" in ")[0], (out, out2)
    expect(*run("explore", "--module-path", MODULE_DIR, "--strategy", "pct", "--seed", "7",
                "--runs", "50", CONCURRENT_OK), 0, "50 schedules explored",
           "every run asked for was made: no finding")
    expect(*run("explore", "--module-path", MODULE_DIR, "--runs", "3", CONCURRENT_OK), 0,
           "3 schedules explored", "stopped at --runs before the space was exhausted")


@case("explore: PCT finds the lost wake-up too, the same way for the same seed")
def _():
    with tempfile.TemporaryDirectory() as d:
        outs = []
        for _ in range(2):
            rc, out, err = run("explore", "--module-path", BROKEN_DIR, "--strategy", "pct",
                               "--seed", "3", "--emit", os.path.join(d, "f.json"), LOST_WAKEUP)
            expect(rc, out, err, 1, "FINDING: rule expectation")
            outs.append(out.split("schedule: ")[1].splitlines()[0])
        assert outs[0] == outs[1], outs


@case("explore: a failure before any choice is said so and not written; repeated calls fold")
def _():
    doorbell = os.path.join(SOURCE_ROOT, "examples", "broken", "doorbell_worker_clears_late.json")
    with tempfile.TemporaryDirectory() as d:
        out_path = os.path.join(d, "f.json")
        rc, out, err = run("explore", "--module-path", BROKEN_DIR, "--emit", out_path, doorbell)
        expect(rc, out, err, 1, "is written for the real clock", "schedule: (empty",
               "KeStallExecutionProcessor x5000, KeClearEvent",
               "does not depend on the interleaving", "nothing was written")
        assert not os.path.exists(out_path)


NEVER_RETURNS = os.path.join(SOURCE_ROOT, "examples", "broken",
                             "careless_worker_never_returns.json")


def ends(*args, limit=60):
    """run(), failing the case (not the whole test) when the command does not end in time."""
    try:
        p = subprocess.run([*WRAPPER, HARNESS, *args], capture_output=True, text=True,
                           timeout=limit)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running after {limit}s: {' '.join(args)}")
    return p.returncode, p.stdout, p.stderr


def watchdog_drawn(module_dir, scenario):
    """explore --timeline of a hang: the finding is drawn like any other."""
    with tempfile.TemporaryDirectory() as d:
        page = os.path.join(d, "hang.html")
        rc, out, err = ends("explore", "-M", module_dir, "--timeout", "500ms", "--timeline",
                            page, scenario)
        expect(rc, out, err, 1, "FINDING: rule watchdog", "timeline: ")
        assert os.path.getsize(page) > 0


@case("explore: a routine that never returns is caught by the watchdog; nothing waits for it")
def _():
    rc, out, err = ends("explore", "-M", BROKEN_DIR, "--timeout", "1s", NEVER_RETURNS)
    expect(rc, out, err, 1, "FINDING: rule watchdog",
           "worker held the baton past the 1s limit (--timeout)",
           "in invocation 1 (STATUS_WAIT_0", "the last point it reached: wakes from its wait",
           "did not return", "schedule: (empty", "does not depend on the interleaving",
           "nothing was written")
    watchdog_drawn(BROKEN_DIR, NEVER_RETURNS)
    expect(*run("explore", "--timeout", "5", NEVER_RETURNS), 2,
           "--timeout takes a duration such as 10s")
    expect(*run("explore", "--timeout"), 2, "option '--timeout' needs a value")


@case("explore: the driver's own code that never returns is caught by the watchdog too")
def _():
    hang = data("explore-driver-hangs.json")
    rc, out, err = ends("explore", "-M", CALL_DIR, "--timeout", "1s", hang)
    expect(rc, out, err, 1, "FINDING: rule watchdog", "the driver's own code",
           "held the baton past the 1s limit (--timeout) without returning",
           "where: step 2 (steps[1]: call CallsPollReady)", "nothing was written")
    watchdog_drawn(CALL_DIR, hang)
    expect(*ends("run", "-M", CALL_DIR, "--timeout", "1s", hang), 1, "rule: watchdog")


@case("explore: a hang that depends on the schedule is written as a scenario run catches too")
def _():
    polls = data("explore-polls-forever.json")
    expect(*run("run", "-M", CALL_DIR, polls), 0, "1 passed")  # the setter first: no hang
    with tempfile.TemporaryDirectory() as d:
        found = os.path.join(d, "found.json")
        rc, out, err = ends("explore", "-M", CALL_DIR, "--timeout", "1s", "--emit", found,
                            polls)
        expect(rc, out, err, 1, "FINDING: rule watchdog", "poller held the baton",
               "schedule: worker, poller", "poller* starts",
               "follows its schedule to the same hang")
        with open(found, encoding="utf-8") as f:
            assert json.load(f)["schedule"] == "worker, poller"
        expect(*ends("run", "-M", CALL_DIR, "--timeout", "1s", found), 1, "rule: watchdog",
               "call CallsPollReady", "killed")


@case("explore ends on every example it is given, each within its watchdog")
def _():
    for sub in ("broken", "explore"):
        folder = os.path.join(SOURCE_ROOT, "examples", sub)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".json"):
                continue
            with tempfile.TemporaryDirectory() as d:
                rc, out, err = ends("explore", "-M", BROKEN_DIR, "-M", MODULE_DIR,
                                    "--timeout", "2s", "--emit", os.path.join(d, "f.json"),
                                    os.path.join(folder, name))
            assert rc in (0, 1, 2), f"{sub}/{name}: exit {rc}\n{out}{err}"
            assert rc != 2 or "error" in err, f"{sub}/{name}: exit 2 unexplained\n{out}{err}"


@case("explore: bad options and scenarios it cannot play are usage errors (exit 2); a swap plays")
def _():
    expect(*run("explore"), 2, "'explore' needs a scenario file")
    expect(*run("explore", LOST_WAKEUP, LOST_WAKEUP), 2, "takes one scenario file")
    expect(*run("explore", "--strategy", "bfs", LOST_WAKEUP), 2, "--strategy takes dfs")
    expect(*run("explore", "--preemptions", "x", LOST_WAKEUP), 2,
           "--preemptions takes a whole number from 0 to 64")
    expect(*run("explore", "--preemptions", "65", LOST_WAKEUP), 2, "from 0 to 64")
    expect(*run("explore", "--runs", "0", LOST_WAKEUP), 2, "--runs takes a whole number")
    expect(*run("explore", "--seed", "1", LOST_WAKEUP), 2, "--seed is for --strategy pct")
    expect(*run("explore", "--strategy", "pct", "--preemptions", "1", LOST_WAKEUP), 2,
           "--preemptions bounds --strategy dfs")
    expect(*run("explore", "--preemptions"), 2, "option '--preemptions' needs a value")
    expect(*run("explore", "--bogus", LOST_WAKEUP), 2, "unknown option '--bogus' for 'explore'")
    expect(*run("explore", LOST_WAKEUP), 2, "work_queue_driver_clears_outside_lock")
    expect(*run("explore", data("invalid.json")), 2)
    # A swap is played too: the new image from the explorer's shelf, the worker's thread
    # recreated (its explored thread ends at its wait), and back again.
    swap = os.path.join(SOURCE_ROOT, "scenarios", "queue_worker_hotswap_v1_to_v2.json")
    expect(*run("explore", "-M", MODULE_DIR, swap), 0, "1 schedule explored",
           "the bounded space was exhausted: no finding")
    # A swapped-in image is loaded once and its data put back before every run: this v2 keeps
    # its phase record at the image's initializer, so a run that saw the last run's would
    # count six phases (123123), not its own three.
    expect(*run("explore", "-M", MODULE_DIR, "--preemptions", "1",
                data("explore-swap-image-data.json")), 0, "schedules explored",
           "the bounded space was exhausted: no finding")
    # An image a swap needs that does not load: exit 2 when the explorer opens, at its step.
    rc, out, err = run("explore", "-M", CALL_DIR, data("explore-swap-missing.json"))
    expect(rc, out, err, 2, "explore-swap-missing.json:11:", "steps[0]",
           'module "calls_no_such_image" not found')
    assert "schedules explored" not in out, out


@case("explore: a driver's second worker is an explored thread of its own")
def _():
    # The load starts two workers; each runs on its own explored thread until it blocks.
    expect(*run("explore", "-M", CALL_DIR, data("driver-two-workers.json")), 0,
           "6 schedules explored", "the bounded space was exhausted: no finding")


ACPI_LOST_WAKEUP = os.path.join(SOURCE_ROOT, "examples", "broken",
                                "acpi_like_driver_clears_outside_lock_explored.json")
ACPI_OK = os.path.join(SOURCE_ROOT, "examples", "explore",
                       "acpi_like_driver_concurrent_producer.json")


@case("explore: a system thread the driver creates is an explored thread, as in run")
def _():
    # The load routine's PsCreateSystemThread is no longer refused: its thread (which
    # terminates at once) runs under the scheduler beside the worker, in every schedule.
    rc, out, err = run("explore", "-M", CALL_DIR, data("driver-system-thread.json"))
    expect(rc, out, err, 0, "the bounded space was exhausted: no finding")
    assert "does not play system threads" not in out + err, out + err
    assert "3 schedules explored" in out, out
    expect(*run("run", "-M", CALL_DIR, data("driver-system-thread.json")), 0, "1 passed")


@case("explore: driver mode, the load again in every run from the image's loaded state")
def _():
    # the driver-mode refusal is gone: its worker is the scheduler's worker thread
    expect(*run("explore", "-M", CALL_DIR, data("driver-worker-events.json")), 0,
           "the bounded space was exhausted: no finding")
    # CallsDriverLoad counts its runs in a global: 1 in every schedule, so each run's load
    # ran once, on the image's data as loaded
    expect(*run("explore", "-M", CALL_DIR, data("driver-explored.json")), 0,
           "6 schedules explored", "the bounded space was exhausted: no finding")


@case("explore: the acpi-like driver's lost wake-up, found in driver mode and replayed by run")
def _():
    expect(*run("run", "--module-path", BROKEN_DIR, ACPI_LOST_WAKEUP), 0, "1 passed")
    emitted = explore_finding(
        ACPI_LOST_WAKEUP, [],
        ["FINDING: rule expectation, after 1 preemption", "schedule: worker x8, producer x5",
         "returned 1 (0x1); the step expects 2",
         "producer* starts, ExAllocatePool2, KeAcquireSpinLock, KeReleaseSpinLock, KeSetEvent",
         "worker    KeClearEvent"],
        ["rule: expectation", "the step expects 2"],
        lambda sc: sc["driver"].update(module="acpi_like_driver"))
    # the schedule and the polarity follow the driver, as they follow a routine
    keys = list(emitted)
    assert keys[keys.index("driver") + 1:keys.index("driver") + 3] == [
        "true_means", "schedule"], keys
    rc, out, err = run("explore", "--module-path", MODULE_DIR, ACPI_OK)
    expect(rc, out, err, 0, "74 schedules explored",
           "the bounded space was exhausted: no finding")


@case("concurrent steps and schedule: what the file may say, checked where it stands")
def _():
    with open(LOST_WAKEUP, encoding="utf-8") as f:
        base = json.load(f)
    def check(change, *phrases):
        sc = json.loads(json.dumps(base))
        change(sc)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "s.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(sc, f)
            expect(*run("validate", path), 2, *phrases)
    check(lambda sc: sc["steps"][1].pop("thread"), "steps[1]", "a concurrent step runs on a "
          "thread of its own")
    check(lambda sc: sc["steps"][1].update(expect=[]), "a concurrent step takes no expect")
    check(lambda sc: sc["steps"][0].update(then={"terminated": False}),
          "the step before a concurrent step takes no expect or then")
    check(lambda sc: sc["steps"][1].update(at="1ms"), "steps[1].at", "a concurrent step starts")
    check(lambda sc: sc["steps"][2].update(concurrent=True), "steps[2].concurrent")
    # a concurrent advance is the clock's thread; a thread on an advance needs concurrent
    check(lambda sc: sc["steps"].insert(2, {"advance": "1ms", "concurrent": True}), "steps[2]",
          "a concurrent step runs on a thread of its own")
    check(lambda sc: sc["steps"].insert(2, {"advance": "1ms", "thread": "clock"}),
          "steps[2].thread", "an advance names a thread only when it is concurrent")
    check(lambda sc: sc.update(schedule="worker x0"), "schedule:1:", "x1 to x1000000")
    check(lambda sc: sc.update(schedule="worker", clock="real"), "virtual clock only")
    # a schedule the routine no longer fits is a failure of run, with where it left it
    sc = json.loads(json.dumps(base))
    sc["schedule"] = "producer x3, worker"
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "s.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(sc, f)
        expect(*run("run", "--module-path", BROKEN_DIR, path), 1, "rule: timeline",
               "the run left the scenario's \"schedule\"",
               "explore the scenario again")


print("TAP version 13")
print(f"1..{len(results)}")
failed = 0
for i, (name, problem) in enumerate(results, 1):
    if problem is None:
        print(f"ok {i} - {name}")
    else:
        failed += 1
        print(f"not ok {i} - {name}")
        for line in problem.splitlines():
            print(f"# {line}")
sys.exit(1 if failed else 0)
