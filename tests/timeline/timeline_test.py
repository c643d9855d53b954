#!/usr/bin/env python3
"""Timelines without a browser: the JSON data against golden files, the same data from an
isolated child as from this process (a crash included), the pages and the folder, JUnit's
attachment, and the errors.

Usage: timeline_test.py HARNESS SCENARIO_MODULES SCENARIO_DIR BROKEN_MODULES BROKEN_DIR GOLDEN_DIR
                        TIMELINE_MODULES TIMELINE_DATA
Prints TAP. HH_UPDATE_GOLDEN=1 rewrites the golden files from this run.
"""
import glob
import html
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

HARNESS, SC_MODS, SC_DIR, BROKEN_MODS, BROKEN_DIR, GOLDEN, TL_MODS, TL_DATA = sys.argv[1:9]
# Several workers, two of which wait in their routine (the per-device driver, settling).
SETTLE = os.path.join(TL_DATA, "acpi_like_devices_settle.json")
TMP = tempfile.mkdtemp(prefix="hh-timeline-")
# A cross build's `meson test` names the program that runs HARNESS here (wine).
WRAPPER = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
results = []

# Scenarios whose timeline data is kept as golden files: events and the queue worker's pool,
# a periodic timer with its DPC, a mutex's owner and abandonment, a semaphore's count, a
# driver's several workers (each call, return and wait says whose).
GOLDEN_SCENARIOS = ["queue_worker_stop_after_work", "timer_worker_periodic_tick_and_watchdog",
                    "resource_guard_repairs_abandoned_lock", "sample_pump_semaphore_batches",
                    "doorbell_worker_ring_after_handling", "acpi_like_devices_worker_per_device"]
SEVERAL_WORKERS = "acpi_like_devices_worker_per_device"


def case(name):
    def wrap(fn):
        try:
            fn()
            results.append((name, None))
        except AssertionError as e:
            results.append((name, str(e) or "assertion failed"))
        except Exception as e:  # a page or an output not as expected: this case fails
            results.append((name, "%s: %s" % (type(e).__name__, e)))
        return fn
    return wrap


def harness(*args):
    env = dict(os.environ)
    env.pop("HOTSWAP_MODULE_PATH", None)
    p = subprocess.run([*WRAPPER, HARNESS, *args], capture_output=True, text=True, timeout=120,
                       env=env)
    return p.returncode, p.stdout + p.stderr


def json_run(mods, *args):
    """Runs with a JSON report; returns (exit code, its scenarios, text)."""
    out = os.path.join(TMP, "report-%d.json" % len(results))
    rc, text = harness("run", "--module-path", mods, "--format", "json", "--output", out, *args)
    with open(out) as f:
        return rc, json.load(f)["scenarios"], text


def sc(name):
    return os.path.join(SC_DIR, name + ".json")


def broken(name):
    return os.path.join(BROKEN_DIR, name + ".json")


def page_data(path):
    """The JSON report's scenario object a page carries."""
    with open(path) as f:
        m = re.search(r'<script type="application/json" id="data">(.*?)</script>', f.read(), re.S)
    assert m, "%s carries no data" % path
    return json.loads(m.group(1))


EXPLORED = "work_queue_driver_clears_outside_lock"


def explore(*args):
    return harness("explore", "--module-path", BROKEN_MODS, *args, broken(EXPLORED))


def draw(mods, scenario, page, code):
    """run --timeline of one scenario; the page's text."""
    page = os.path.join(TMP, page)
    rc, text = harness("run", "--module-path", mods, "--timeline", page, scenario)
    assert rc == code, text
    with open(page, encoding="utf-8") as f:
        return f.read()


def step_tops(body):
    """Where each step's box is drawn in a page: {step number: its top}."""
    return dict(re.findall(r'<g class="step[^"]*" data-step="(\d+)"><title>[^<]*</title>'
                           r'<rect x="[^"]*" y="([^"]+)"', body))


def golden(name, got):
    path = os.path.join(GOLDEN, name + ".json")
    if os.environ.get("HH_UPDATE_GOLDEN"):
        with open(path, "w") as f:
            json.dump(got, f, indent=1, sort_keys=True)
            f.write("\n")
    with open(path) as f:
        want = json.load(f)
    assert got == want, "%s: the timeline differs from %s:\n%s" % (
        name, path, json.dumps(got, indent=1, sort_keys=True)[:4000])


@case("golden: the timeline data of scenarios of every object kind")
def _():
    for name in GOLDEN_SCENARIOS:
        rc, scs, text = json_run(SC_MODS, "--timeline", os.path.join(TMP, name + ".html"), sc(name))
        assert rc == 0, text
        got = {"timeline": scs[0]["timeline"], "invocation_list": scs[0]["invocation_list"]}
        golden(name, got)


@case("golden files cover every kind of event and object")
def _():
    kinds, types, switches = set(), set(), set()
    for name in GOLDEN_SCENARIOS + [EXPLORED + ".explore"]:
        with open(os.path.join(GOLDEN, name + ".json")) as f:
            tl = json.load(f)["timeline"]
        kinds |= {e["kind"] for e in tl["events"]}
        types |= {o["type"] for o in tl["objects"]}
        switches |= {e["switch"] for e in tl["events"] if e["kind"] == "point"}
    assert switches == {None, "handoff", "preempted"}, switches
    for k in ("step", "object", "call", "return", "dpc", "pool", "point"):
        assert k in kinds, "no %s event in the golden files" % k
    for t in ("synchronization_event", "notification_event", "mutant", "semaphore", "timer"):
        assert any(t in x for x in types), "no %s in the golden files: %s" % (t, types)


def virtual_scenarios():
    """The example suite without its real-clock scenarios, whose times differ every run."""
    files = []
    for name in sorted(os.listdir(SC_DIR)):
        if name.endswith(".json"):
            with open(os.path.join(SC_DIR, name)) as f:
                if json.load(f).get("clock") != "real":
                    files.append(os.path.join(SC_DIR, name))
    return files


@case("the timeline is the same from isolated children as from this process")
def _():
    files = virtual_scenarios()
    rc1, iso, t1 = json_run(SC_MODS, "--timeline", os.path.join(TMP, "iso"), *files)
    rc2, local, t2 = json_run(SC_MODS, "--timeline", os.path.join(TMP, "local"), "--no-isolate",
                              *files)
    assert rc1 == rc2 == 0, t1 + t2
    assert len(iso) == len(files) > 10
    for a, b in zip(iso, local):
        assert a["timeline"] == b["timeline"], a["name"]
        assert a["timeline"]["events"], a["name"]


@case("a crash: the child's timeline reaches the parent up to the crashing call")
def _():
    rc, scs, text = json_run(BROKEN_MODS, "--timeline", os.path.join(TMP, "crash.html"),
                             broken("callback_worker_keeps_old_image_pointer"))
    assert rc == 1, text
    s = scs[0]
    assert s["process"]["end"] == "crashed", s["process"]
    ev = s["timeline"]["events"]
    steps = [e["step"] for e in ev if e["kind"] == "step"]
    assert steps[-1] == 3, steps
    calls = [e["invocation"] for e in ev if e["kind"] == "call"]
    returns = [e["invocation"] for e in ev if e["kind"] == "return"]
    assert calls == [1, 2] and returns == [1], (calls, returns)


@case("the routine's own waits and the failing invocation that never returned")
def _():
    rc, scs, text = json_run(BROKEN_MODS, "--no-isolate", "--timeline",
                             os.path.join(TMP, "deadlock.html"), broken("device_reset_waits_forever"))
    assert rc == 1, text
    ev = scs[0]["timeline"]["events"]
    kinds = [e["kind"] for e in ev]
    assert "wait" in kinds and "waited" not in kinds, kinds
    assert [e["thread"] for e in ev if e["kind"] == "wait"] == ["worker"]
    page = open(os.path.join(TMP, "deadlock.html")).read()
    assert 'class="inv none failed" data-index="1"' in page, "the failing box is not marked"
    assert 'class="step failed" data-step="1"' in page, "the failing step is not marked"
    assert "deadlock: " in page and "the routine waits forever" in page


@case("without --timeline: no data, no file, and the same exit code")
def _():
    for mods, path, code in ((SC_MODS, sc("queue_worker_stop_after_work"), 0),
                             (BROKEN_MODS, broken("queue_worker_drains_first_ignores_stop"), 1)):
        rc, scs, text = json_run(mods, path)
        assert rc == code and scs[0]["timeline"] is None, (rc, text)
        rc, scs, text = json_run(mods, "--timeline", os.path.join(TMP, "same.html"), path)
        assert rc == code and scs[0]["timeline"], (rc, text)


@case("one scenario: one self-contained page; several: a folder with an index")
def _():
    page = os.path.join(TMP, "one.html")
    rc, text = harness("run", "--module-path", SC_MODS, "--timeline", page,
                       sc("queue_worker_stop_after_work"))
    assert rc == 0 and os.path.isfile(page), text
    body = open(page).read()
    assert body.startswith("<!DOCTYPE html>") and "<svg" in body and "<script>" in body
    # Nothing fetched: no external resource of any kind.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", body), "fetches something"
    assert "<link" not in body and "@import" not in body and "url(" not in body
    assert body.count('class="inv ') == 5, body.count('class="inv ')
    folder = os.path.join(TMP, "folder")
    rc, text = harness("run", "--module-path", SC_MODS, "--timeline", folder,
                       sc("queue_worker_stop_after_work"), sc("queue_worker_pulse_and_reset"))
    assert rc == 0, text
    files = sorted(os.listdir(folder))
    assert files == ["001-queue_worker_stop_after_work.html",
                     "002-queue_worker_pulse_and_reset.html", "index.html"], files
    index = open(os.path.join(folder, "index.html")).read()
    assert index.count('<td class="pass">PASS</td>') == 2, index
    # One scenario into a folder that exists: a page in it, and the index.
    rc, text = harness("run", "--module-path", SC_MODS, "--timeline", folder,
                       sc("queue_worker_pulse_and_reset"))
    assert rc == 0 and os.path.isfile(os.path.join(folder, "001-queue_worker_pulse_and_reset.html"))
    assert "002-queue_worker_pulse" not in open(os.path.join(folder, "index.html")).read()


@case("text that HTML would read as markup stays text, in the picture and in the data")
def _():
    with open(sc("queue_worker_stop_after_work")) as f:
        scenario = json.load(f)
    tricky = 'a </script><!-- <b>bold</b> & "quoted" \u00e9'
    scenario["name"] = tricky
    scenario["true_means"] = "continue"
    scenario.pop("$schema", None)
    path = os.path.join(TMP, "tricky.json")
    with open(path, "w") as f:
        json.dump(scenario, f)
    page = os.path.join(TMP, "tricky.html")
    rc, text = harness("run", "--module-path", SC_MODS, "--timeline", page, path)
    assert rc == 0, text
    body = open(page).read()
    m = re.search(r'<script type="application/json" id="data">(.*?)</script>', body, re.S)
    assert m and "<" not in m.group(1), "a '<' inside the data"
    assert json.loads(m.group(1))["name"] == tricky
    assert "</script><!--" not in body.split("<script")[0], "the name is markup in the page"
    assert "&lt;/script&gt;&lt;!-- &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;" in body


@case("a scenario that could not be run still gets its page, which says so")
def _():
    page = os.path.join(TMP, "error.html")
    rc, text = harness("run", "--module-path", SC_MODS, "--timeline", page,
                       os.path.join(os.path.dirname(GOLDEN), "..", "cli", "data", "no-symbol.json"))
    assert rc == 2 and os.path.isfile(page), text
    body = open(page).read()
    assert "<title>ERROR " in body and ">ERROR  " in body, body[:600]
    assert '"timeline":null' in body and "could not be run, nothing to draw" in body


@case("JUnit: each test case attaches its page")
def _():
    junit = os.path.join(TMP, "junit.xml")
    folder = os.path.join(TMP, "junit-pages")
    rc, text = harness("run", "--module-path", BROKEN_MODS, "--timeline", folder, "--format",
                       "junit", "--output", junit, broken("queue_worker_drains_first_ignores_stop"),
                       broken("careless_worker_bad_boolean"))
    assert rc == 1, text
    xml = open(junit).read()
    # Under Wine the harness joins paths with Windows' separator.
    att = [a.replace("\\", "/") if WRAPPER else a
           for a in re.findall(r"\[\[ATTACHMENT\|([^\]]+)\]\]", xml)]
    assert len(att) == 2 and all(os.path.isfile(a) for a in att), att


@case("errors: an empty path, a folder that cannot be made")
def _():
    rc, text = harness("run", "--module-path", SC_MODS, "--timeline", "", SC_DIR)
    assert rc == 2 and "--timeline needs a path" in text, text
    blocker = os.path.join(TMP, "a-file")
    open(blocker, "w").close()
    rc, text = harness("run", "--module-path", SC_MODS, "--timeline",
                       os.path.join(blocker, "sub"), SC_DIR)
    assert rc == 2 and "cannot make the timeline folder" in text, text


@case("explore --timeline: the failing schedule drawn, against its golden data")
def _():
    page, emit = os.path.join(TMP, "explore.html"), os.path.join(TMP, "explore.schedule.json")
    rc, text = explore("--emit", emit, "--timeline", page)
    assert rc == 1 and os.path.isfile(page) and ("timeline: " + page) in text, text
    rc0, text0 = explore("--emit", os.path.join(TMP, "explore0.schedule.json"))
    assert rc0 == rc, text0
    d = page_data(page)
    assert d["outcome"] == "fail" and d["failure"]["rule"] == "expectation", d["failure"]
    golden(EXPLORED + ".explore", {"timeline": d["timeline"],
                                    "invocation_list": d["invocation_list"]})
    tl = d["timeline"]
    assert tl["threads"] == ["driver", "worker", "producer"], tl["threads"]
    # One cell per point, one arrow per switch, a lane per thread, the step on its thread.
    body = open(page).read()
    points = [e for e in tl["events"] if e["kind"] == "point"]
    assert body.count('<g class="point') == len(points) > 10
    assert body.count('<g class="switch ') == len([e for e in points if e["switch"]])
    assert body.count('<g class="thread"') == 3
    # Every point of the run, in order: each cell starts where the one before ended.
    assert [e["point"] for e in points] == \
        [1] + [e["point"] + e["repeat"] for e in points[:-1]], [e["point"] for e in points]
    # The interleaving's stretches are the cells' threads where they change.
    starts = re.findall(r"^ +(\d+)  (\w+)[* ] ", text, re.M)
    assert [(str(e["point"]), e["thread"]) for i, e in enumerate(points)
            if i == 0 or points[i - 1]["thread"] != e["thread"]] == starts, starts


@case("explore --timeline: the lost wake-up is visible as a preemption")
def _():
    d = page_data(os.path.join(TMP, "explore.html"))
    points = [e for e in d["timeline"]["events"] if e["kind"] == "point"]
    pre = [i for i, e in enumerate(points) if e["switch"] == "preempted"]
    rc, text = explore("--emit", os.path.join(TMP, "explore1.schedule.json"))
    assert len(pre) == int(re.search(r"after (\d+) preemption", text).group(1)) == 1, pre
    i = pre[0]
    # The worker found the queue empty (released the lock), the producer ran its call up to
    # its KeSetEvent, then the worker cleared the event: the wake-up is lost.
    assert (points[i - 1]["thread"], points[i - 1]["what"]) == ("worker", "KeReleaseSpinLock")
    j = next(k for k in range(i, len(points)) if points[k]["thread"] != "producer")
    assert [e["what"] for e in points[i:j]][-1] == "KeSetEvent", points[i:j]
    assert (points[j]["thread"], points[j]["what"], points[j]["switch"]) == \
        ("worker", "KeClearEvent", "handoff")
    body = open(os.path.join(TMP, "explore.html")).read()
    m = re.search(r'<g class="switch preempted" data-point="(\d+)" data-from="1" data-to="2">',
                  body)
    assert m and int(m.group(1)) == points[i]["point"], "no red arrow from worker to producer"
    # The concurrent step's box is on the producer's lane, not the driver's; the step before
    # it is the driver's (an explored run's lanes are its threads).
    ys = step_tops(body)
    assert ys["1"] == ys["3"] and '<g class="steplane">' not in body, ys
    cell = re.search(r'<g class="point[^"]*" data-point="\d+" data-thread="2"><title>[^<]*</title>'
                     r'<rect x="[^"]*" y="([^"]+)"', body)
    assert ys["2"] != ys["1"] and float(cell.group(1)) - float(ys["2"]) == 33, (ys, cell.group(1))


@case("the preemptions drawn are those explore counts, under pct too")
def _():
    for seed in ("1", "5"):
        page = os.path.join(TMP, "pct%s.html" % seed)
        rc, text = explore("--strategy", "pct", "--seed", seed, "--emit",
                           os.path.join(TMP, "pct%s.schedule.json" % seed), "--timeline", page)
        assert rc == 1, text
        points = [e for e in page_data(page)["timeline"]["events"] if e["kind"] == "point"]
        n = int(re.search(r"after (\d+) preemption", text).group(1))
        assert len([e for e in points if e["switch"] == "preempted"]) == n, (seed, n)
        assert open(page).read().count('<g class="switch preempted"') == n


@case("run draws a scenario's schedule as explore does, isolated or not; without one, no threads")
def _():
    emit = os.path.join(TMP, "explore.schedule.json")
    want = page_data(os.path.join(TMP, "explore.html"))["timeline"]
    for extra in ([], ["--no-isolate"]):
        rc, scs, text = json_run(BROKEN_MODS, "--timeline", os.path.join(TMP, "sched.html"),
                                 *extra, emit)
        assert rc == 1 and scs[0]["timeline"] == want, (extra, text)
    assert page_data(os.path.join(TMP, "sched.html"))["timeline"] == want
    rc, scs, text = json_run(BROKEN_MODS, "--timeline", os.path.join(TMP, "plain.html"),
                             broken(EXPLORED))
    tl = scs[0]["timeline"]
    assert rc == 0 and tl["threads"] == [], text
    assert not [e for e in tl["events"] if e["kind"] == "point"]
    body = open(os.path.join(TMP, "plain.html")).read()
    assert '<g class="point' not in body
    # Played in turn, each step on the lane of the thread it names: dispatch, producer.
    assert re.findall(r'<g class="steplane">.*?<text class="lane" x="8" y="[\d.]+">(\w+)<', body,
                      re.S) == ["dispatch", "producer"]
    ys = step_tops(body)
    assert len({ys["1"], ys["2"], ys["3"]}) == 3, ys


@case("explore --timeline without a finding draws nothing and says so; bad paths are errors")
def _():
    page = os.path.join(TMP, "none.html")
    rc, text = harness("explore", "--module-path", SC_MODS, "--timeline", page,
                       os.path.join(BROKEN_DIR, "..", "explore",
                                    "work_queue_driver_concurrent_producer.json"))
    assert rc == 0 and "no finding, so no timeline" in text and not os.path.exists(page), text
    rc, text = explore("--timeline", "")
    assert rc == 2 and "--timeline needs a path" in text, text
    blocker = os.path.join(TMP, "a-file-too")
    open(blocker, "w").close()
    rc, text = explore("--emit", os.path.join(TMP, "explore2.schedule.json"), "--timeline",
                       os.path.join(blocker, "sub", "x.html"))
    assert rc == 2 and "timeline was not written" in text, text


@case("every example is drawn: a page each, one box per call, the verdicts as without")
def _():
    folder = os.path.join(TMP, "examples")
    explore_dir = os.path.join(BROKEN_DIR, "..", "explore")
    rc, scs, text = json_run(BROKEN_MODS, "--module-path", SC_MODS, "--timeout", "5s",
                             "--timeline", folder, BROKEN_DIR, explore_dir)
    assert rc == 1 and len(scs) > 25, text
    pages = sorted(n for n in os.listdir(folder) if n != "index.html")
    assert len(pages) == len(scs), (len(pages), len(scs))
    for page, s in zip(pages, scs):
        tl = s["timeline"]
        assert tl and tl["events"], s["file"]
        calls = len([e for e in tl["events"] if e["kind"] == "call"])
        body = open(os.path.join(folder, page)).read()
        assert body.count('<g class="inv ') == calls, (page, calls)
        assert (s["outcome"] == "fail") == ('<g class="failure"' in body), page
    # Only the races pass here: `run` plays their steps in order; explore finds them (the
    # examples explore plays say so in a .explore-finding or .explore-exhausted beside them).
    races = sorted(os.path.basename(n)[:-len(".explore-finding")] + ".json"
                   for n in glob.glob(os.path.join(BROKEN_DIR, "*.explore-finding"))) + \
        sorted(os.path.basename(n)[:-len(".explore-exhausted")] + ".json"
               for n in glob.glob(os.path.join(explore_dir, "*.explore-exhausted")))
    assert len(races) >= 6, races
    assert [os.path.basename(s["file"]) for s in scs if s["outcome"] == "pass"] == races, text


@case("several workers: a lane each, named as the reports name it, with its own boxes")
def _():
    page = os.path.join(TMP, "workers.html")
    rc, scs, text = json_run(SC_MODS, "--timeline", page, sc(SEVERAL_WORKERS))
    assert rc == 0, text
    inv, ev = scs[0]["invocation_list"], scs[0]["timeline"]["events"]
    labels = {}
    for v in inv:
        labels.setdefault(v["worker"], v["worker_label"])
    assert labels[2] == "worker 2 (AcpiDevDeviceWorker)" and len(labels) == 3, labels
    # The data: each call and return names its invocation's worker; the driver's waits none.
    whose = {v["index"]: v["worker"] for v in inv}
    for e in ev:
        if e["kind"] in ("call", "return"):
            assert e["worker"] == whose[e["invocation"]], e
        elif e["kind"] in ("wait", "waited"):
            assert e["worker"] is None and e["thread"] == "driver", e
    body = open(page).read()
    lanes = re.findall(r'<g class="workerlane" data-worker="(\d+)" data-top="([\d.]+)" '
                       r'data-label="([^"]*)">', body)
    assert [(int(w), html.unescape(l)) for w, _, l in lanes] == sorted(labels.items()), lanes
    assert len({t for _, t, _ in lanes}) == 3, lanes
    # The gutter's two lines: "worker 2" on the lane's, its routine below; the label its title.
    for w, top, label in lanes:
        y = float(top)
        lines = ('<title>%s</title><line class="sep" x1="0" y1="%.0f" x2="100%%" y2="%.0f"/>'
                 '<text class="lane" x="8" y="%.0f">worker %s</text>'
                 '<text class="sub" x="8" y="%.0f">%s</text>' %
                 (label, y + 36, y + 36, y + 16, w, y + 29, labels[int(w)].split(" (")[1][:-1]))
        assert lines in body, "lane of worker %s: no %s" % (w, lines)
    # One box per invocation of that worker, drawn on its lane.
    boxes = re.findall(r'<g class="inv [^"]*" data-index="(\d+)" [^>]*data-worker="(\d+)">'
                       r'<title>[^<]*</title><rect x="[^"]*" y="([\d.]+)"', body)
    assert len(boxes) == len(inv), boxes
    tops = {w: float(t) for w, t, _ in lanes}
    for w, top, _ in lanes:
        mine = [b for b in boxes if b[1] == w]
        assert len(mine) == len([v for v in inv if v["worker"] == int(w)]), (w, mine)
        assert all(float(y) - 3 == tops[w] for _, _, y in mine), (w, mine)
    assert '<text class="lane" x="8" y="130">worker</text>' not in body, "the one lane drawn too"
    # A run of one worker: its one lane, no worker in the data.
    one = re.search(r"<svg .*?</svg>", draw(SC_MODS, sc("queue_worker_stop_after_work"),
                                             "one-worker.html", 0), re.S).group(0)
    assert 'class="workerlane"' not in one and "data-worker" not in one, "several lanes"
    assert '<text class="lane" x="8" y="130">worker</text>' in one, "no worker lane"
    assert '"worker":' not in json.dumps(page_data(os.path.join(TMP, "one-worker.html"))["timeline"]), \
        "a worker in the data of a run of one worker"


@case("several workers that wait: each one's waits below its lane, the driver's apart")
def _():
    runs = []
    for extra in ([], ["--no-isolate"]):
        page = os.path.join(TMP, "settle%d.html" % len(runs))
        rc, scs, text = json_run(TL_MODS, "--timeline", page, *extra, SETTLE)
        assert rc == 0, text
        runs.append((page, scs[0]["timeline"]))
    assert runs[0][1] == runs[1][1], "the isolated child's workers differ from this process's"
    page, tl = runs[0]
    waits = [e for e in tl["events"] if e["kind"] == "wait"]
    # Worker 1's thread is the engine's "worker"; the others are named by their number.
    assert [(e["thread"], e["worker"]) for e in waits if e["worker"]] == \
        [("worker 2", 2), ("worker 3", 3)], waits
    assert {e["thread"] for e in waits if e["worker"] is None} == {"driver"}, waits
    body = open(page).read()
    tops = {int(w): float(t) for w, t in
            re.findall(r'<g class="workerlane" data-worker="(\d+)" data-top="([\d.]+)"', body)}
    boxes = re.findall(r'<g class="wait"><title>(\w+(?: \d)?) [^<]*</title>'
                       r'<rect x="[^"]*" y="([\d.]+)"', body)
    assert len(boxes) == len(waits), boxes
    shared = re.search(r'<text class="lane" x="8" y="([\d.]+)">other threads&apos; waits<', body)
    assert shared, "no lane of the other threads' waits"
    for thread, y in boxes:
        lane = tops[int(thread.split()[1])] + 36 if thread.startswith("worker ") \
            else float(shared.group(1)) - 16
        assert float(y) - 8 == lane, (thread, y, lane)
    assert body.count("its routine&apos;s waits") == 2, "a lane of waits for a worker that waited none"


@case("instants at one time stay readable: ten invocations at 0 drawn side by side")
def _():
    body = draw(SC_MODS, sc("sample_pump_semaphore_batches"), "same-instant.html", 0)
    boxes = [(int(i), float(x), float(w)) for i, x, w in re.findall(
        r'<g class="inv [^"]*" data-index="(\d+)".*?<rect x="([\d.]+)" y="[\d.]+" '
        r'width="([\d.]+)"', body, re.S)]
    assert [b[0] for b in boxes] == list(range(1, 11)), boxes
    for (_, x0, w0), (_, x1, _) in zip(boxes, boxes[1:]):
        assert w0 >= 40 and x1 >= x0 + w0, boxes
    # One time label for the instant, and a bar over the columns it spans.
    assert len(re.findall(r'rotate\(-30\)">0</text>', body)) == 1
    assert '<line class="same"' in body


@case("the README's picture is the one scripts/timeline-picture.sh draws today")
def _():
    body = draw(BROKEN_MODS, broken("queue_worker_drains_first_ignores_stop"), "readme.html", 1)
    svg = re.search(r"<svg .*?</svg>", body, re.S).group(0)
    readme_svg = os.path.join(GOLDEN, "..", "..", "..", "docs", "img", "timeline.svg")
    with open(readme_svg, encoding="utf-8") as f:
        assert f.read() == svg + "\n", "docs/img/timeline.svg is stale: run " \
            "scripts/timeline-picture.sh"


print("1..%d" % len(results))
for i, (name, err) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if err is None else "not ok", i, name))
    for line in (err or "").splitlines():
        print("# " + line)
sys.exit(0 if all(e is None for _, e in results) else 1)
