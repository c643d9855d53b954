#!/usr/bin/env python3
"""Tests of fuzzing end to end, as TAP: `replay` (timeline, verdict, isolation, the reduced
--emit-scenario that `run` fails), the golden decodings that pin the encodings
(fuzz/README.md), the seed encoder, the targets' own configuration, and `fuzz` (bad input
exits 2 before any fuzzing; with -Dfuzzing=true it finds the planted bugs).

Run by meson (fuzz/tests/meson.build); --update rewrites the golden files instead.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
for opt in ("harness", "encoder", "replay-driver", "source", "examples", "test-modules",
            "scenario-modules", "fuzzing"):
    ap.add_argument("--" + opt, required=True)
ap.add_argument("--update", action="store_true")
ap.add_argument("--bare")  # the bare baseline, in a fuzzing build
A = ap.parse_args()
for _opt in ("harness", "encoder", "replay_driver", "source", "examples", "test_modules",
             "scenario_modules"):
    setattr(A, _opt, os.path.abspath(getattr(A, _opt)))

SRC = A.source
EX = os.path.join(SRC, "fuzz", "examples")
TESTS = os.path.join(SRC, "fuzz", "tests")
FINDINGS = os.path.join(TESTS, "findings")
GOLDEN = os.path.join(TESTS, "golden")
MODS = ["-M", A.examples, "-M", A.test_modules, "-M", A.scenario_modules]
TMP = tempfile.mkdtemp(prefix="hh-fuzz-test-")
# A cross build's `meson test` names the program that runs our executables here (wine).
WRAPPER = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
results = []


def run(*args, env=None, timeout=240):
    full = dict(os.environ)
    full.pop("HOTSWAP_MODULE_PATH", None)
    full.pop("HOTSWAP_FUZZ_SCENARIO", None)
    full.pop("HOTSWAP_FUZZ_ANY_STATUS", None)
    full["ASAN_OPTIONS"] = "detect_leaks=1"
    if env:
        full.update(env)
    p = subprocess.run([*WRAPPER, *args], capture_output=True, text=True, env=full,
                       timeout=timeout, cwd=TMP)
    if WRAPPER and p.returncode != 0 and not (p.stdout + p.stderr).strip():
        # Under load Wine now and then fails a process start (exit 1, not a line printed;
        # scripts/test-windows.sh): every program here prints why it fails. Once more.
        p = subprocess.run([*WRAPPER, *args], capture_output=True, text=True, env=full,
                           timeout=timeout, cwd=TMP)
    return p.returncode, p.stdout + p.stderr


def harness(*args, **kw):
    return run(A.harness, *args, **kw)


def case(name):
    def wrap(fn):
        try:
            fn()
            results.append((name, None))
        except AssertionError as e:
            results.append((name, str(e) or "assertion failed"))
        except subprocess.TimeoutExpired as e:
            results.append((name, "timed out: %s" % e))
        return fn
    return wrap


def expect(got, code, *phrases):
    """code None: any failing exit (a finding aborts the plain driver)."""
    rc, text = got
    assert rc == code or (code is None and rc != 0), f"exit {rc}, wanted {code}\n{text}"
    for p in phrases:
        assert p in text, f"missing {p!r} in:\n{text}"
    return text


def tmp(name):
    return os.path.join(TMP, name)


def ex(name):
    return os.path.join(EX, name + ".json")


# ---- replay: timeline and verdict ---------------------------------------------------------

@case("replay prints the decoded timeline and the verdict of a finding (exit 1)")
def _():
    text = expect(harness("replay", *MODS, ex("firmware_update"),
                          os.path.join(FINDINGS, "firmware_update-invariant.in")), 1,
                  "decoded timeline (status-sequence v1, 15 bytes):",
                  "  step 14   pulse stop  (for STATUS_WAIT_3 (0x00000003))",
                  "verdict: FAIL: rule invariant",
                  "at step 14 (pulse stop), invocation 14",
                  "invariants.decisions[0] requires terminate for STATUS_WAIT_3")
    assert len(re.findall(r"^  step \d+  ", text, re.M)) == 14, text


@case("replay of a passing seed: verdict PASS (exit 0), the seed's statuses in order")
def _():
    scenario = os.path.join(SRC, "scenarios", "queue_worker_stop_after_work.json")
    seed = tmp("seed")
    expect(run(A.encoder, "status-sequence", scenario, seed), 0)
    text = expect(harness("replay", *MODS, scenario, seed), 0, "verdict: PASS")
    statuses = re.findall(r"(STATUS_\w+) \(0x[0-9A-F]{8}\)\s+->", text)
    assert statuses == ["STATUS_WAIT_0", "STATUS_TIMEOUT", "STATUS_TIMEOUT", "STATUS_WAIT_0",
                        "STATUS_WAIT_1"], statuses


@case("replay isolates a crash: verdict crash in the step it happened, exit 1")
def _():
    expect(harness("replay", *MODS, os.path.join(TESTS, "crash_on_stop.json"),
                   os.path.join(FINDINGS, "crash_on_stop-crash.in")), 1,
           "  step 3    pulse stop", "verdict: FAIL: rule crash", "in step 3")


def page_data(path):
    """The JSON data a timeline page carries."""
    import json
    page = open(path).read()
    m = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    assert m, "no data in " + path
    return json.loads(m.group(1))


@case("replay --timeline draws a finding, isolated or not, and a crash up to its call")
def _():
    finding = (ex("firmware_update"), os.path.join(FINDINGS, "firmware_update-invariant.in"))
    for extra in ((), ("--no-isolate",)):
        page = tmp("finding%d.html" % len(extra))
        expect(harness("replay", *MODS, *extra, "--timeline", page, *finding), 1,
               "timeline: " + page)
        d = page_data(page)
        assert d["outcome"] == "fail" and d["failure"]["rule"] == "invariant", d["failure"]
        calls = [e["invocation"] for e in d["timeline"]["events"] if e["kind"] == "call"]
        assert calls == list(range(1, 15)), calls
        assert len(d["invocation_list"]) == 14
    page = tmp("crash.html")
    expect(harness("replay", *MODS, "--timeline", page, os.path.join(TESTS, "crash_on_stop.json"),
                   os.path.join(FINDINGS, "crash_on_stop-crash.in")), 1, "verdict: FAIL: rule crash")
    d = page_data(page)
    ev = d["timeline"]["events"]
    assert [e["invocation"] for e in ev if e["kind"] == "call"] == [1, 2, 3], ev
    assert [e["invocation"] for e in ev if e["kind"] == "return"] == [1, 2], ev
    assert d["failure"]["rule"] == "crash" and d["failure"]["invocation"] == 3, d["failure"]
    assert 'class="inv none failed" data-index="3"' in open(page).read()


@case("replay --timeline draws every finding kept here, each with its rule and its boxes")
def _():
    names = sorted(n for n in os.listdir(FINDINGS) if n.endswith(".in"))
    assert len(names) >= 5, names
    for name in names:
        scenario, rule = name[:-3].split("-", 1)  # "journal_guard-pool-leak.in"
        path = os.path.join(TESTS, scenario + ".json")
        page = tmp("all-" + name + ".html")
        rc, text = harness("replay", *MODS, "--timeline", page,
                           path if os.path.exists(path) else ex(scenario),
                           os.path.join(FINDINGS, name))
        # status_table's overflow is silent without a sanitizer: a pass, drawn as one.
        assert rc in (0, 1) and "timeline: " + page in text, (name, text)
        d = page_data(page)
        assert d["outcome"] == ("fail" if rc else "pass"), (name, d["outcome"])
        assert not rc or d["failure"]["rule"] == rule, (name, d["failure"])
        assert rc or scenario == "status_table", (name, text)
        calls = [e for e in d["timeline"]["events"] if e["kind"] == "call"]
        assert calls and open(page).read().count('<g class="inv ') == len(calls), name


@case("a real-clock scenario replays on the virtual clock, and what it emits says no clock")
def _():
    scenario = os.path.join(SRC, "scenarios", "doorbell_worker_ring_during_handling.json")
    seed, out = tmp("doorbell-seed"), tmp("doorbell-emitted.json")
    expect(run(A.encoder, "model", scenario, seed), 0)
    # On the virtual clock the device's ring comes after the first ring's work, so the replay
    # sees one ring, then stop: what the real clock would give is two rings first.
    text = expect(harness("replay", *MODS, scenario, seed, "--emit-scenario", out), 0,
                  "verdict: PASS", "wrote " + out)
    statuses = re.findall(r"(STATUS_\w+) \(0x[0-9A-F]{8}\)\s+->", text)
    assert statuses == ["STATUS_WAIT_0", "STATUS_WAIT_1"], text
    emitted = open(out).read()
    assert '"clock"' not in emitted and '"busy_polls": 5000' in emitted, emitted
    expect(harness("run", *MODS, out), 0, "virtual time", "1 passed")


@case("replay rejects what is not a fuzz input, and a module it cannot load (exit 2)")
def _():
    expect(harness("replay", *MODS, ex("journal_guard"), ex("journal_guard")), 2,
           "is not a fuzz input: its first byte, 0x7B '{', names no encoding", "fuzz/README.md")
    garbage, empty = tmp("garbage.in"), tmp("empty.in")
    open(garbage, "wb").write(b"\xff\x00\x01")
    open(empty, "wb").close()
    expect(harness("replay", *MODS, ex("journal_guard"), garbage), 2,
           "garbage.in is not a fuzz input: its first byte, 0xFF, names no encoding")
    expect(harness("replay", *MODS, ex("journal_guard"), empty), 2,
           "empty.in is not a fuzz input: the file is empty; the encodings are")
    expect(harness("replay", ex("journal_guard"),
                   os.path.join(FINDINGS, "journal_guard-pool-leak.in")), 2,
           'module "journal_guard" not found', "cannot be loaded")
    expect(harness("replay", ex("journal_guard")), 2, "needs SCENARIO and INPUT")


# ---- replay --emit-scenario --------------------------------------------------------------

def emitted_fails(config, finding, rule, steps=None):
    out = tmp(os.path.basename(finding) + ".json")
    expect(harness("replay", *MODS, config, os.path.join(FINDINGS, finding),
                   "--emit-scenario", out), 1, "wrote " + out)
    expect(harness("validate", out), 0, "1 file valid")
    text = expect(harness("run", *MODS, out), 1, "rule: " + rule)
    if steps is not None:
        assert text.count("reproduce:") == 1
        assert open(out).read().count('"note"') == steps, open(out).read()
    return out


@case("--emit-scenario reduces a deep invariant finding to its 14 steps; run fails on it")
def _():
    emitted_fails(ex("firmware_update"), "firmware_update-invariant.in", "invariant", 14)


@case("--emit-scenario keeps what a minimised input needs: the run fails with the pool leak")
def _():
    out = emitted_fails(ex("journal_guard"), "journal_guard-pool-leak.in", "pool-leak")
    text = open(out).read()
    assert '"thread": "thread1"' in text and '"abandon": "lock"' in text, text


@case("--emit-scenario of a crash: steps up to the crashing one; run fails with crash")
def _():
    emitted_fails(os.path.join(TESTS, "crash_on_stop.json"), "crash_on_stop-crash.in", "crash")


@case("--emit-scenario writes events set together (model v2) as one step; run fails on it")
def _():
    out = emitted_fails(os.path.join(TESTS, "echo_events_stop.json"),
                        "echo_events_stop-invariant.in", "invariant")
    text = open(out).read()
    assert '"set": ["stop", "work"]' in text, text


@case("--emit-scenario refuses a status no step can produce, and says to keep the input")
def _():
    expect(harness("replay", *MODS, ex("status_table"),
                   os.path.join(FINDINGS, "status_table-crash.in"), "--emit-scenario",
                   tmp("refused.json")), 2,
           "a value no scenario step can produce", "keep the input itself")
    assert not os.path.exists(tmp("refused.json"))


@case("the emitted scenario checks statuses and the invariants' decisions, nothing else")
def _():
    # With the invariant turned round, the routine's own decision is the rule, and the very
    # same steps pass: the scenario holds no trace of the routine's mistakes.
    out = emitted_fails(ex("firmware_update"), "firmware_update-invariant.in", "invariant")
    fixed = tmp("fixed.json")
    open(fixed, "w").write(open(out).read().replace('"decision": "terminate"',
                                                    '"decision": "continue"'))
    expect(harness("run", *MODS, fixed), 0, "1 passed")


@case("--emit-scenario points \"$schema\" at the schema from where the file is written")
def _():
    config = os.path.join(TESTS, "echo_events_stop.json")
    finding = os.path.join(FINDINGS, "echo_events_stop-invariant.in")
    schema = os.path.join(SRC, "docs", "scenario.schema.json")
    os.makedirs(tmp(os.path.join("deep", "er")), exist_ok=True)
    up = os.path.join("..", os.path.basename(TMP) + "-up.json")
    # Absolute paths, and paths relative to the folder the command runs in (TMP), one of
    # them above it.
    try:
        for cfg, out in ((config, tmp(os.path.join("deep", "er", "schema.json"))),
                         (config, tmp("schema.json")),
                         (os.path.relpath(config, TMP), os.path.join("deep", "schema-rel.json")),
                         (os.path.relpath(config, TMP), up)):
            expect(harness("replay", *MODS, cfg, finding, "--emit-scenario", out), 1)
            written = os.path.join(TMP, out)
            text = open(written).read()
            m = re.search(r'"\$schema": "([^"]+)"', text)
            assert m and not os.path.isabs(m.group(1)), text
            assert os.path.samefile(os.path.join(os.path.dirname(written), m.group(1)),
                                    schema), (out, m.group(1))
        # Where the paths do not tell (written above the folder a relative configuration is
        # in), the key is left out rather than wrong.
        os.makedirs(tmp("cfgs"), exist_ok=True)
        shutil.copy(schema, tmp(os.path.join("cfgs", "scenario.schema.json")))
        open(tmp(os.path.join("cfgs", "echo.json")), "w").write(open(config).read().replace(
            "../../docs/scenario.schema.json", "scenario.schema.json"))
        expect(harness("replay", *MODS, os.path.join("cfgs", "echo.json"), finding,
                       "--emit-scenario", up), 1)
        text = open(os.path.join(TMP, up)).read()
        assert '"$schema"' not in text, text
    finally:
        if os.path.exists(os.path.join(TMP, up)):
            os.remove(os.path.join(TMP, up))


@case("fuzz and replay need the polarity: \"true_means\" or --true-means; emitted carry it")
def _():
    nopol = tmp("nopol.json")
    text = open(ex("firmware_update")).read()
    assert '"true_means": "continue",' in text
    open(nopol, "w").write(text.replace('"true_means": "continue",', ""))
    finding = os.path.join(FINDINGS, "firmware_update-invariant.in")
    expect(harness("replay", *MODS, nopol, finding), 2, 'no "true_means"', "--true-means")
    expect(harness("fuzz", *MODS, nopol), 2, 'no "true_means"', "nothing was run")
    out = tmp("nopol-emitted.json")
    expect(harness("replay", *MODS, "--true-means", "continue", nopol, finding,
                   "--emit-scenario", out), 1, "verdict: FAIL: rule invariant", "wrote " + out)
    assert '"routine": "FirmwareUpdateRoutine",\n  "true_means": "continue"' in \
        open(out).read(), open(out).read()
    expect(harness("run", *MODS, out), 1, "rule: invariant")
    # The libFuzzer targets (here their replay driver) take it as --true-means=.
    seed = os.path.join(SRC, "corpus", "status-sequence", "firmware_update")
    drv = ("--scenario=" + nopol, "--module-path=" + A.examples)
    expect(run(A.replay_driver, *drv, seed), 2, 'no "true_means"')
    expect(run(A.replay_driver, *drv, "--true-means=continue", seed), 0, "no finding")
    expect(run(A.replay_driver, *drv, "--true-means=maybe", seed), 2,
           "--true-means= takes continue or terminate")
    expect(harness("replay", "--true-means", "sometimes", nopol, finding), 2,
           "--true-means takes continue")
    # hotswap-suite.json beside the configuration gives it to fuzz, replay and the targets.
    os.makedirs(tmp("suite"), exist_ok=True)
    shutil.copy(nopol, tmp(os.path.join("suite", "nopol.json")))
    open(tmp(os.path.join("suite", "hotswap-suite.json")), "w").write(
        '{ "true_means": "continue" }')
    expect(harness("replay", *MODS, tmp(os.path.join("suite", "nopol.json")), finding), 1,
           "verdict: FAIL: rule invariant")
    expect(run(A.replay_driver, "--scenario=" + tmp(os.path.join("suite", "nopol.json")),
               "--module-path=" + A.examples, seed), 0, "no finding")
# ---- an emitted regression fails on the finding and passes on the fix ------------------------

# Each rule a fuzz finding can have, and its bug number in fuzz/tests/finding_worker.c. Not
# here: expectation (fuzzing checks no expect), timeline (the decoders make only possible
# steps), context (the configuration alone reproduces it), hotswap (fuzzing swaps nothing),
# call-after-terminate (no scenario reaches it), mutant-limit (MINLONG acquisitions), watchdog
# (a hang: replay waits 120 s for it), held-mutex (a KMUTEX kept past the routine's return is
# held-at-return first, at that return).
FINDING_RULES = ["invariant", "livelock", "deadlock", "bad-boolean", "irql-at-return",
                 "pool-leak", "bad-free", "pool-call", "held-at-return", "mutant-not-owned",
                 "semaphore-limit", "wait-irql", "irql", "spinlock", "wait-objects", "bugcheck",
                 "crash"]
FINDING_CONFIG = os.path.join(TESTS, "finding_worker.json")


def finding_config(bug, variant):
    """finding_worker.json with context.bug = bug, for the buggy or the fixed module."""
    path = tmp("finding-%d-%s.json" % (bug, variant))
    text = open(FINDING_CONFIG).read().replace('"bug": 1', '"bug": %d' % bug)
    open(path, "w").write(text.replace("finding_worker_buggy", "finding_worker_" + variant))
    return path


def finding_input(bug):
    """The configuration's steps as a model input, named as libFuzzer names an artifact."""
    seed = tmp("crash-finding-%d" % bug)
    expect(run(A.encoder, "model", finding_config(bug, "buggy"), seed), 0)
    return seed


for _bug, _rule in enumerate(FINDING_RULES, 1):
    @case("--emit-scenario, rule %s: run fails on the buggy routine, passes on its fix" % _rule)
    def _(bug=_bug, rule=_rule):
        out = tmp("regression-%s.json" % rule)
        expect(harness("replay", *MODS, finding_config(bug, "buggy"), finding_input(bug),
                       "--emit-scenario", out), 1, "verdict: FAIL: rule " + rule, "wrote " + out)
        expect(harness("run", *MODS, out), 1, "rule: " + rule)
        fixed = tmp("regression-%s-fixed.json" % rule)
        text = open(out).read()
        assert '"repeat": 10001' not in text, text
        open(fixed, "w").write(text.replace("finding_worker_buggy", "finding_worker_fixed"))
        expect(harness("run", *MODS, fixed), 0, "1 passed")


@case("a livelock's regression expects one invocation of the repeated run, then a block")
def _():
    out = tmp("regression-livelock-strict.json")
    expect(harness("replay", *MODS, finding_config(2, "buggy"), finding_input(2),
                   "--emit-scenario", out, "--no-minimize"), 1, "wrote " + out)
    text = open(out).read()
    assert '"repeat"' not in text and '"expect_more"' not in text, text


# ---- model v3: the scenario's "fuzz" calls ------------------------------------------------

REQUEST_QUEUE = os.path.join(EX, "request_queue.json")


@case("model v3 encodes a call step as the fuzz call that makes it, and replays it")
def _():
    seed = tmp("seed-request-queue")
    expect(run(A.encoder, "model", REQUEST_QUEUE, seed), 0)
    data = open(seed, "rb").read()
    # format 0x05, call opcode 11, fuzz call 0, its range's one byte: code 3
    assert data[:4] == bytes([0x05, 0x0B, 0x00, 0x03]), data
    expect(harness("replay", *MODS, REQUEST_QUEUE, seed), 0, "verdict: PASS",
           "call RequestQueueSubmit(context, 3) on dispatch at DISPATCH_LEVEL")


@case("a finding through a fuzz call: the regression calls the producer, fails, passes on the fix")
def _():
    crash = tmp("crash-request-queue")
    # call(code 0x11), call(code 255: cancel all, which leaks), set stop
    open(crash, "wb").write(bytes([0x05, 0x0B, 0x00, 0x11, 0x0B, 0x00, 0xFF, 0x00, 0x01]))
    out = tmp("regression-request-queue.json")
    expect(harness("replay", *MODS, REQUEST_QUEUE, crash, "--emit-scenario", out), 1,
           "step 1    call RequestQueueSubmit(context, 17) on dispatch at DISPATCH_LEVEL",
           "step 2    call RequestQueueSubmit(context, 255) on dispatch at DISPATCH_LEVEL",
           "verdict: FAIL: rule pool-leak", "in RequestQueueSubmit", "wrote " + out)
    steps = json.load(open(out))["steps"]
    assert steps == [{"call": "RequestQueueSubmit", "args": ["context", 255],
                      "thread": "dispatch", "irql": "dispatch"}], steps
    expect(harness("run", *MODS, out), 1, "rule: pool-leak")
    fixed = tmp("regression-request-queue-fixed.json")
    open(fixed, "w").write(open(out).read().replace('"request_queue"', '"request_queue_fixed"'))
    expect(harness("run", *MODS, fixed), 0, "1 passed")


@case("a fuzz call's value is the input's bytes modulo its range, past min; v2 has no calls")
def _():
    config = tmp("request-queue-range.json")
    cfg = json.load(open(REQUEST_QUEUE))
    cfg["fuzz"]["calls"][0]["args"][1] = {"min": 1000, "max": 1299}
    json.dump(cfg, open(config, "w"))
    data = tmp("range.in")
    open(data, "wb").write(bytes([0x05, 0x0B, 0x07, 0x2D, 0x01]))  # 0x012D = 301: 1000 + 1
    expect(harness("replay", *MODS, config, data), 0,
           "call RequestQueueSubmit(context, 1001) on dispatch at DISPATCH_LEVEL")
    v2 = tmp("v2.in")
    open(v2, "wb").write(bytes([0x04, 0x0B, 0x00]))  # 11 % 11: set work, no call
    rc, text = harness("replay", *MODS, config, v2)
    assert "call" not in text.split("verdict")[0] and "set work" in text, text


@case("a fuzz call the module does not export is refused with its place in the file")
def _():
    config = tmp("request-queue-misspelt.json")
    open(config, "w").write(open(REQUEST_QUEUE).read().replace(
        '"call": "RequestQueueSubmit", "args": ["context", {', '"call": "RequestQueueSubmt", "args": ["context", {'))
    seed = tmp("seed-misspelt")
    open(seed, "wb").write(bytes([0x05, 0x0B, 0x00, 0x01]))
    expect(harness("replay", *MODS, config, seed), 2, "fuzz.calls[0].call",
           "exports no function 'RequestQueueSubmt'", "did you mean 'RequestQueueSubmit'?")


# ---- replay of a finding that does not reproduce ----------------------------------------------

@case("replay of a finding that does not reproduce says so, exits 1 and writes nothing")
def _():
    out = tmp("not-reproduced.json")
    seed = finding_input(6)
    expect(harness("replay", *MODS, finding_config(6, "fixed"), seed, "--emit-scenario", out),
           1, "verdict: PASS", "did not reproduce", "nothing was written", "docs/fuzzing.md")
    assert not os.path.exists(out)
    expect(harness("replay", *MODS, finding_config(6, "fixed"), seed), 1, "did not reproduce")
    # An input that is no finding (a seed) may pass and be written as a scenario.
    plain = tmp("seed-finding-6")
    shutil.copy(seed, plain)
    expect(harness("replay", *MODS, finding_config(6, "fixed"), plain, "--emit-scenario", out),
           0, "verdict: PASS", "wrote " + out)


@case("a fuzz configuration gives the type of every global object")
def _():
    config = os.path.join(SRC, "scenarios", "work_queue_driver_producer_at_dispatch.json")
    text = open(config).read()
    typed = '{ "global": "WorkQueueStopEvent", "type": "notification_event" }'
    assert typed in text
    untyped = tmp("untyped-global.json")
    open(untyped, "w").write(text.replace(typed, '{ "global": "WorkQueueStopEvent" }'))
    seed = tmp("untyped-global.in")
    expect(run(A.encoder, "status-sequence", config, seed), 0)
    expect(harness("replay", *MODS, untyped, seed), 2,
           "the global 'WorkQueueStopEvent' has no \"type\"", "add \"type\"")
    expect(harness("replay", *MODS, config, seed), 0, "verdict: PASS")


# ---- golden decodings ---------------------------------------------------------------------

def golden(config, name):
    rc, text = harness("replay", "--no-isolate", *MODS, os.path.join(GOLDEN, config),
                       os.path.join(GOLDEN, name + ".in"))
    path = os.path.join(GOLDEN, name + ".expected")
    if A.update:
        open(path, "w").write(text)
    want = open(path).read()
    assert text == want, "decoding changed: a new encoding needs a new format id " \
        "(fuzz/README.md)\n--- want\n%s--- got\n%s" % (want, text)


for _config, _name in (("any.json", "any-status"), ("any.json", "any-abandon"),
                       ("any.json", "any-any"), ("any.json", "any-model"),
                       ("all.json", "all-status"), ("all.json", "all-model"),
                       ("events.json", "events-model2"), ("calls.json", "calls-model3")):
    case("golden decoding " + _name)(lambda c=_config, n=_name: golden(c, n))


# ---- the seed encoder and the targets' configuration ---------------------------------------

@case("hh-fuzz-encode: every format; bad usage exits 2")
def _():
    scenario = ex("journal_guard")
    for fmt, first in (("status-sequence", 1), ("status-sequence-any", 2), ("model", 5),
                       ("model-v2", 4), ("model-v1", 3)):
        out = tmp("seed-" + fmt)
        expect(run(A.encoder, fmt, scenario, out), 0)
        assert open(out, "rb").read()[0] == first
    expect(run(A.encoder, "nonsense", scenario, tmp("x")), 2, "usage")


@case("hh-fuzz-encode: releases of MAXLONG stop at the input's limit")
def _():
    # Encoding is part of the scenario-parser target's every valid input: a release's count
    # must not cost a loop round each once the input is full (forty releases of MAXLONG took
    # minutes, past this test's limit).
    big = 2147483647
    scenario = tmp("release-max.json")
    with open(scenario, "w") as f:
        json.dump({
            "name": "releases of MAXLONG", "module": "sample_pump",
            "routine": "SamplePumpRoutine", "true_means": "continue",
            "objects": [{"name": "stop", "type": "notification_event"},
                        {"name": "samples", "type": "semaphore", "count": 0, "limit": big}],
            "wait": {"type": "any"},
            "steps": [{"release": "samples", "count": big}] * 40}, f)
    out = tmp("release-max.seed")
    expect(run(A.encoder, "model", scenario, out, timeout=60), 0)
    seed = open(out, "rb").read()
    assert len(seed) == 1 + 2 * 1024, len(seed)  # the format byte, then 1,024 releases


@case("a target reads its configuration from HOTSWAP_FUZZ_SCENARIO; an error exits 2")
def _():
    seed = os.path.join(SRC, "corpus", "status-sequence", "journal_guard")
    expect(run(A.replay_driver, "--module-path=" + A.examples, seed,
               env={"HOTSWAP_FUZZ_SCENARIO": ex("journal_guard")}), 0, "no finding")
    expect(run(A.replay_driver, seed), 2, "no scenario", "--scenario=PATH")
    expect(run(A.replay_driver, "--scenario=" + ex("journal_guard"), "--bogus", seed), 2,
           "unknown option '--bogus'")
    expect(run(A.replay_driver, "--scenario=" + ex("journal_guard"), seed), 2,
           "cannot be loaded")


@case("--measure=N plays the inputs from memory N times and prints their cost; bad use exits 2")
def _():
    seeds = os.path.join(SRC, "corpus", "status-sequence", "journal_guard")
    base = ("--scenario=" + ex("journal_guard"), "--module-path=" + A.examples)
    other = os.path.join(FINDINGS, "journal_guard-pool-leak.in")  # a model input
    text = expect(run(A.replay_driver, *base, "--measure=3", seeds, other), 0, "measure: ")
    line = re.search(r"^measure: .*$", text, re.M).group(0)
    fields = dict(kv.split("=", 1) for kv in line.split()[1:])
    assert fields["target"] == "status-sequence", line
    assert int(fields["inputs"]) == len(os.listdir(seeds)) + 1, line
    assert fields["rejected"] == "1" and fields["rounds"] == "3", line
    assert float(fields["invocations_per_input"]) > 0, line
    # A rate wherever the OS's CPU clock saw the rounds (Windows' may not, at 15.6 ms).
    assert (float(fields["exec_per_cpu_second"]) > 0) == (float(fields["cpu_seconds"]) > 0), line
    assert "no finding" not in text, text  # it measured, it did not replay
    expect(run(A.replay_driver, *base, "--measure=0", seeds), 2, "--measure= takes")
    expect(run(A.replay_driver, *base, "--measure=2x", seeds), 2, "--measure= takes")
    expect(run(A.replay_driver, *base, "--measure=2"), 2, "none was")
    expect(run(A.replay_driver, *base, "--measure=2", tmp("no-such-input")), 2, "error:")


if A.bare:
    @case("the bare baseline plays every input on a context of its own, as the targets do")
    def _():
        # scripts/fuzz-measure.sh compares the targets with it: it must invoke the routine as
        # often as status-sequence on the same inputs, whatever order they come in (a context
        # kept from one input to the next changed what the next did).
        scenario = os.path.join(SRC, "scenarios", "queue_worker_stop_after_work.json")
        seeds = os.path.join(SRC, "corpus", "status-sequence", "queue_worker_stop_after_work")
        base = ("--scenario=" + scenario, "--module-path=" + A.scenario_modules, "--measure=3",
                seeds)
        def fields(text):
            line = re.search(r"^measure: .*$", text, re.M).group(0)
            return dict(kv.split("=", 1) for kv in line.split()[1:])
        bare = fields(expect(run(os.path.abspath(A.bare), *base), 0, "measure: "))
        target = fields(expect(run(A.replay_driver, *base), 0, "measure: "))
        assert bare["rejected"] == "0" and bare["inputs"] == target["inputs"], (bare, target)
        assert float(bare["invocations_per_input"]) > 0, bare
        assert bare["invocations_per_input"] == target["invocations_per_input"], (bare, target)


@case("--timeline-of=HEX plays one input with its account and prints its timeline")
def _():
    # What a crash's report runs in a new process: fuzzing keeps no account to show.
    scenario = os.path.join(SRC, "scenarios", "queue_worker_stop_after_work.json")
    seed = tmp("timeline-seed")
    expect(run(A.encoder, "status-sequence", scenario, seed), 0)
    hexed = open(seed, "rb").read().hex()
    base = ("--scenario=" + scenario, "--module-path=" + A.scenario_modules)
    text = expect(run(A.replay_driver, *base, "--timeline-of=" + hexed), 0,
                  "decoded timeline (status-sequence v1, 6 bytes, 5 actions):",
                  "processed item 1 in buffer 0", "ran to its end there without a crash")
    assert len(re.findall(r"^      #\d+ ", text, re.M)) == 5, text
    expect(run(A.replay_driver, *base, "--timeline-of=0x"), 2, "lowercase hex")
    expect(run(A.replay_driver, *base, "--timeline-of=010"), 2, "lowercase hex")
    expect(run(A.replay_driver, *base, "--timeline-of=05"), 2, "not an input this target plays")


@case("a target's finding shows the routine's DbgPrint lines under their invocations")
def _():
    # Targets play without keeping DbgPrint logs; a finding's input is played again with them.
    text = expect(run(A.replay_driver, "--scenario=" + ex("firmware_update"),
                      "--module-path=" + A.examples,
                      os.path.join(FINDINGS, "firmware_update-invariant.in")), None,
                  "rule invariant",
                  "      #14         at 100ms      STATUS_WAIT_3 (0x00000003)           -> "
                  "continue (TRUE)\n"
                  "                  DbgPrint: FirmwareUpdate: stop while flashing, deferred, "
                  "continuing\n")
    assert "note: played again" not in text, text


@case("a replay driver refuses an input of another target's encoding")
def _():
    expect(run(A.replay_driver, "--scenario=" + ex("journal_guard"),
               "--module-path=" + A.examples,
               os.path.join(FINDINGS, "journal_guard-pool-leak.in")), 1,
           "is not an input of this target's encoding")


# ---- every input starts from the module's loaded state --------------------------------------

NTH_CONFIG = os.path.join(TESTS, "nth_call_worker.json")


def nth_input(name, work_items):
    """A status-sequence input of work_items work items and a stop, for nth_call_worker."""
    import json
    config = json.load(open(NTH_CONFIG))
    config["steps"] = [config["steps"][0]] * work_items + [config["steps"][-1]]
    scenario = tmp(name + ".json")
    json.dump(config, open(scenario, "w"))
    out = tmp(name + ".in")
    expect(run(A.encoder, "status-sequence", scenario, out), 0)
    return out


@case("inputs played in one process do not add up: the module's statics are reset per input")
def _():
    three = nth_input("nth3", 3)
    folder = tmp("nth-corpus")
    os.makedirs(folder, exist_ok=True)
    for i in range(4):
        shutil.copy(three, os.path.join(folder, "three-%d" % i))
    # Twelve work items in one process; the routine's fourth, counted across the process,
    # would be a finding if a run started from what the one before left.
    expect(run(A.replay_driver, "--scenario=" + NTH_CONFIG,
               "--module-path=" + A.test_modules, folder), 0, "no finding")


@case("a finding that depends on a static reproduces on replay, after other inputs or alone")
def _():
    four = nth_input("nth4", 4)
    folder = tmp("nth-finding")
    os.makedirs(folder, exist_ok=True)
    shutil.copy(nth_input("nth2", 2), os.path.join(folder, "a-two"))
    shutil.copy(four, os.path.join(folder, "b-four"))
    expect(run(A.replay_driver, "--scenario=" + NTH_CONFIG,
               "--module-path=" + A.test_modules, folder), None, "rule bad-boolean",
           "invocation 4")
    expect(harness("replay", *MODS, NTH_CONFIG, four), 1, "verdict: FAIL: rule bad-boolean")


# ---- fuzz: bad input exits 2 before any fuzzing ---------------------------------------------

@case("fuzz: a configuration that does not validate exits 2")
def _():
    bad = tmp("bad.json")
    open(bad, "w").write('{ "name": "x", "module": 3 }')
    expect(harness("fuzz", *MODS, bad), 2, "does not validate", "nothing was run")


@case("fuzz: a module without the routine's symbol exits 2")
def _():
    nosym = tmp("nosym.json")
    open(nosym, "w").write(open(ex("journal_guard")).read().replace(
        "JournalGuardRoutine", "NoSuchRoutine"))
    expect(harness("fuzz", *MODS, nosym), 2, "exports no symbol 'NoSuchRoutine'")


@case("fuzz: libFuzzer flags that make no sense exit 2, naming the flag")
def _():
    for flags, phrase in ((["-runs=many"], "-runs takes a whole number"),
                          (["--runs=5"], "take one dash"),
                          (["-rnus=5"], "did you mean -runs?"),
                          (["-max_total_time"], "strictly -name=value"),
                          (["no-such-corpus"], "neither a flag nor an existing corpus"),
                          (["-error_exitcode=0"], "-error_exitcode takes a whole number")):
        expect(harness("fuzz", *MODS, ex("journal_guard"), "--", *flags), 2, phrase)
    expect(harness("fuzz", *MODS, "--target", "nope", ex("journal_guard")), 2, "--target is")
    expect(harness("fuzz", *MODS, "--target", "model", "--any-status", ex("journal_guard")), 2,
           "status-sequence target only")


# --fuzzing: no, yes (coverage in the modules), or harness (in the harness too)
HARNESS_INSTRUMENTED = A.fuzzing == "harness"
if A.fuzzing in ("yes", "harness"):
    def fuzz_finds(args, *phrases):
        arts = tmp("artifacts-%d" % len(results)) + os.sep
        os.makedirs(arts)
        text = expect(harness("fuzz", *MODS, *args, "-seed=1", "-max_total_time=120",
                              "-artifact_prefix=" + arts), 1, *phrases)
        assert os.listdir(arts), "no artifact left:\n" + text
        return text

    @case("fuzz (model) finds the journal guard's double abandonment: pool-leak, exit 1")
    def _():
        fuzz_finds(["--target", "model", ex("journal_guard"), "--"],
                   "rule pool-leak", "FINDING in JournalGuardRoutine", "decoded timeline",
                   "finding_POOL_LEAK")

    @case("fuzz --any-status finds the status table's overflow, with the timeline")
    def _():
        # The read lands far past the table (STATUS_WAIT_27 is 108 bytes on): whether ASan
        # finds a redzone or a freed block there depends on the heap's neighbours.
        text = fuzz_finds(["--any-status", ex("status_table"), "--"],
                          "ERROR: AddressSanitizer: heap-", "rule crash", "deliver STATUS_WAIT_",
                          "status_table.c:20")
        assert "heap-buffer-overflow" in text or "heap-use-after-free" in text, text

    # The routine's own accesses carry AddressSanitizer's checks even where the harness is
    # compiled without them (meson.build, harness_c_args): a pool block it frees is poisoned
    # by the harness, and one it overruns ends at malloc's redzone.
    @case("fuzz finds a routine's read of a freed pool block: ASan's report at its line")
    def _():
        text = fuzz_finds([finding_config(18, "buggy"), "--"], "ERROR: AddressSanitizer: ",
                          "rule crash", "in FindingTouchBuffer", "finding_worker.c:117")
        assert "use-after-poison" in text or "heap-use-after-free" in text, text

    @case("fuzz finds a routine's write past a pool block: ASan's heap-buffer-overflow")
    def _():
        fuzz_finds([finding_config(19, "buggy"), "--"],
                   "ERROR: AddressSanitizer: heap-buffer-overflow", "rule crash",
                   "in FindingTouchBuffer", "finding_worker.c:120")

    @case("-print_final_stats=1 adds the routine's invocations over every input played")
    def _():
        # scripts/fuzz-measure.sh compares the targets per invocation by it. libFuzzer runs
        # a file given as input -runs times, and again each time a run allocated more than
        # it freed (to look for a leak): once at least, for what the first run sets up.
        config = os.path.join(SRC, "scenarios", "queue_worker_stop_after_work.json")
        folder = os.path.join(SRC, "corpus", "status-sequence", "queue_worker_stop_after_work")
        seed = os.path.join(folder, sorted(os.listdir(folder))[0])
        text = expect(harness("replay", *MODS, config, seed), 0, "verdict: PASS")
        per_input = int(re.search(r"verdict: PASS \((\d+) invocation", text).group(1))
        text = expect(harness("fuzz", *MODS, config, "--", "-runs=10", "-print_final_stats=1",
                              seed), 0, "stat::number_of_executed_units: ")
        units = int(re.search(r"stat::number_of_executed_units: (\d+)", text).group(1))
        assert 11 <= units <= 13, text
        assert "stat::routine_invocations: %d\n" % (units * per_input) in text, text

    @case("fuzz runs quietly where nothing is wrong, with the module's coverage loaded")
    def _():
        # journal_guard's bug needs the model: status-sequence cannot reach it. Two modules
        # carry coverage, the target's entry point and the routine's module: libhotswap and
        # the rest of the harness do not (unless -Dfuzz_instrument_harness=true).
        expect(harness("fuzz", *MODS, ex("journal_guard"), "--", "-runs=3000", "-seed=1"), 0,
               "INFO: Loaded %d modules" % (3 if HARNESS_INSTRUMENTED else 2), "Dictionary:")

    @case("--version says fuzzing is built in, and where the targets are")
    def _():
        expect(harness("--version"), 0, "fuzzing: yes (libFuzzer targets in ")
else:
    @case("fuzz without the libFuzzer targets built says how to build them (exit 2)")
    def _():
        expect(harness("fuzz", *MODS, ex("journal_guard"), env={"HOTSWAP_FUZZ_DIR": TMP}), 2,
               "is not built", "configured without fuzzing", "CC=clang and -Dfuzzing=true",
               "docs/fuzzing-your-driver.md", "scripts/fuzz-build.sh")

    @case("--version says fuzzing is not built in, and how to build it")
    def _():
        expect(harness("--version"), 0, "fuzzing: no (configure with CC=clang and -Dfuzzing=true)")

if os.name == "posix" and not WRAPPER:
    @case("fuzz turns libFuzzer's value profile on for a routine target unless told otherwise")
    def _():
        fake = os.path.join(TMP, "fake-targets")
        os.makedirs(fake, exist_ok=True)
        target = os.path.join(fake, "fuzz-status-sequence")
        with open(target, "w") as f:
            f.write('#!/bin/sh\necho "fake target: $*"\n')
        os.chmod(target, 0o755)
        env = {"HOTSWAP_FUZZ_DIR": fake}
        text = expect(harness("fuzz", *MODS, ex("firmware_update"), env=env), 0,
                      "fake target:", " -use_value_profile=1")
        text = expect(harness("fuzz", *MODS, ex("firmware_update"), "--",
                              "-use_value_profile=0", env=env), 0, " -use_value_profile=0")
        assert "-use_value_profile=1" not in text, text

shutil.rmtree(TMP, ignore_errors=True)
print("TAP version 13")
print("1..%d" % len(results))
for i, (name, problem) in enumerate(results, 1):
    if problem is None:
        print("ok %d - %s" % (i, name))
    else:
        print("not ok %d - %s" % (i, name))
        for line in problem.splitlines()[:80]:
            print("# " + line)
