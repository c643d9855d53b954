#!/usr/bin/env python3
"""The timeline pages in a real browser: Debian's chromium, headless.

Usage: timeline_browser.py HARNESS SCENARIO_MODULES SCENARIO_DIR BROKEN_MODULES EXPLORED
                           FAILING... OUTDIR

Draws the timelines of the example suite (a folder and its index), of failing examples (one
page each) and of the failing schedule `explore` finds in EXPLORED, then loads every page in
one chromium (a driver page holds them in frames) and checks: no console error, the page's own
check passed, one invocation box per invocation of the JSON report with its status and
decision, a failure mark exactly on failures, a lane per worker holding that worker's boxes
when a driver has several; for the explored run, a lane per thread, a cell
per scheduling point and an arrow per switch, the preemptions red. Screenshots are kept in
OUTDIR. Prints TAP; skips when chromium is absent (scripts/test.sh installs it).
"""
import glob
import html
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

HARNESS, SC_MODS, SC_DIR, BROKEN_MODS, EXPLORED = sys.argv[1:6]
FAILING, OUT = sys.argv[6:-1], sys.argv[-1]
results = []
# A cross build's `meson test` names the program that runs HARNESS here (wine).
WRAPPER = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))


def case(name, ok, why=""):
    results.append((name, ok, why))


def finish():
    print("1..%d" % len(results))
    for i, (name, ok, why) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        for line in why.splitlines():
            print("# " + line)
    sys.exit(0 if all(ok for _, ok, _ in results) else 1)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browse(browser, url, *flags):
    """Runs the browser headless on url; returns (stdout, stderr)."""
    p = subprocess.run([browser, "--headless", "--disable-gpu", "--no-sandbox",
                        "--user-data-dir=" + os.path.join(OUT, "profile"),
                        "--enable-logging=stderr", "--v=0", *flags, url],
                       capture_output=True, text=True, timeout=180)
    return p.stdout, p.stderr


def console_errors(stderr):
    """Console messages and uncaught exceptions, as chromium logs them ("INFO:CONSOLE(..)"
    whatever their level): the pages write nothing to the console, so any is an error."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def harness(*args):
    p = subprocess.run([*WRAPPER, HARNESS, *args], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout + p.stderr


def main():
    browser = chromium()
    if not browser:
        print("1..0 # SKIP chromium is not installed (scripts/test.sh installs it; "
              "apt-get install chromium)")
        return
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    pages = []  # (path, the JSON report's scenario object)

    suite_dir = os.path.join(OUT, "suite")
    rc, text = harness("run", "--module-path", SC_MODS, "--timeline", suite_dir, "--format",
                       "json", "--output", os.path.join(OUT, "suite.json"), SC_DIR)
    with open(os.path.join(OUT, "suite.json")) as f:
        suite = json.load(f)["scenarios"]
    # A real-clock scenario may miss its times on a loaded machine: that is not the drawing.
    late = [s["name"] for s in suite if s["outcome"] != "pass" and s["clock"] == "real"]
    case("the example suite passes with --timeline (exit 0)", rc == 0 or (rc == 1 and late) and
         all(s["outcome"] == "pass" or s["name"] in late for s in suite), text)
    names = sorted(n for n in os.listdir(suite_dir) if n != "index.html")
    case("one page per scenario and an index", len(names) == len(suite) and
         os.path.exists(os.path.join(suite_dir, "index.html")), "%s" % names)
    with open(os.path.join(suite_dir, "index.html")) as f:
        index = f.read()
    links = re.findall(r'<td class="(pass|fail|error)">[A-Z]+</td><td><a href="([^"]+)">', index)
    case("the index links every page with its verdict",
         [l[1] for l in links] == names and [l[0] for l in links] == [s["outcome"] for s in suite],
         index[-2000:])
    pages += list(zip([os.path.join(suite_dir, n) for n in names], suite))

    # A name that HTML would read as markup, failing: the page must still load and check out.
    with open(os.path.join(SC_DIR, "queue_worker_stop_after_work.json")) as f:
        tricky = json.load(f)
    tricky.pop("$schema", None)
    tricky["name"] = 'tricky </script><!-- <b>x</b> & "q"'
    tricky["true_means"] = "continue"
    tricky["steps"][0]["expect"][0]["decision"] = "terminate"
    with open(os.path.join(OUT, "tricky.json"), "w") as f:
        json.dump(tricky, f)
    FAILING.append(os.path.join(OUT, "tricky.json"))
    for i, scenario in enumerate(FAILING):
        path = os.path.join(OUT, "failing-%d.html" % i)
        rc, text = harness("run", "--module-path", BROKEN_MODS, "--module-path", SC_MODS,
                           "--timeline", path, "--format",
                           "json", "--output", path + ".json", scenario)
        case("%s fails as without --timeline (exit 1), one page" % os.path.basename(scenario),
             rc == 1 and os.path.isfile(path), text)
        with open(path + ".json") as f:
            pages.append((path, json.load(f)["scenarios"][0]))

    # explore's failing schedule: the threads and their switches.
    path = os.path.join(OUT, "explored.html")
    rc, text = harness("explore", "--module-path", BROKEN_MODS, "--emit",
                       os.path.join(OUT, "explored.schedule.json"), "--timeline", path, EXPLORED)
    case("explore %s finds the race (exit 1), one page" % os.path.basename(EXPLORED),
         rc == 1 and os.path.isfile(path), text)
    if os.path.isfile(path):
        with open(path) as f:
            m = re.search(r'<script type="application/json" id="data">(.*?)</script>', f.read(),
                          re.S)
        pages.append((path, json.loads(m.group(1))))

    # One browser for every page: a driver page frames them and reads each one's DOM.
    driver = os.path.join(OUT, "driver.html")
    with open(driver, "w") as f:
        f.write("<!DOCTYPE html><html><body><pre id='result'>pending</pre>\n")
        for i, (path, _) in enumerate(pages):
            f.write("<iframe id='f%d' src='%s' width='1200' height='400'></iframe>\n" %
                    (i, html.escape(os.path.relpath(path, OUT))))
        f.write("""<script>
window.addEventListener('load', function () {
  var out = [];
  document.querySelectorAll('iframe').forEach(function (fr) {
    var d = fr.contentDocument, boxes = [];
    d.querySelectorAll('svg.timeline g.inv').forEach(function (g) {
      boxes.push([+g.getAttribute('data-index'), g.getAttribute('data-status'),
                  g.getAttribute('data-decision')]);
    });
    // Each worker's lane: its label, and the boxes whose rectangles lie inside it as drawn.
    var workers = Array.prototype.map.call(
      d.querySelectorAll('svg.timeline g.workerlane'), function (g) {
        var top = g.querySelector('text.lane').getBBox().y - 4, inside = [];
        d.querySelectorAll('svg.timeline g.inv').forEach(function (b) {
          var r = b.querySelector('rect').getBBox();
          if (r.y >= top && r.y + r.height <= top + 36)
            inside.push(+b.getAttribute('data-index'));
        });
        return [+g.getAttribute('data-worker'), g.querySelector('title').textContent, inside];
      });
    out.push({check: d.body.getAttribute('data-check'),
              text: d.getElementById('check').textContent, boxes: boxes,
              failure: d.querySelectorAll('svg.timeline g.failure').length,
              workers: workers,
              threads: d.querySelectorAll('svg.timeline g.thread').length,
              points: d.querySelectorAll('svg.timeline g.point').length,
              switches: Array.prototype.map.call(d.querySelectorAll('svg.timeline g.switch'),
                function (g) { return [+g.getAttribute('data-point'), g.getAttribute('class')]; }),
              steps: d.querySelectorAll('svg.timeline g.step').length});
  });
  document.getElementById('result').textContent = JSON.stringify(out);
});
</script></body></html>""")
    dom, err = browse(browser, "file://" + os.path.abspath(driver), "--allow-file-access-from-files",
                      "--virtual-time-budget=20000", "--dump-dom")
    m = re.search(r"<pre id=\"result\">(.*?)</pre>", dom, re.S)
    seen = json.loads(html.unescape(m.group(1))) if m and m.group(1) != "pending" else None
    case("chromium loaded every page", seen is not None and len(seen) == len(pages),
         err[-3000:] if seen is None else "")
    bad = console_errors(err)
    case("no console error on any page", not bad, "\n".join(bad))
    for (path, sc), page in zip(pages, seen or []):
        name = os.path.basename(path)
        case("%s: the page's own check passed" % name, page["check"] == "ok", page["text"])
        want = [[v["index"], v["status"], v["decision"] or "none"]
                for v in sc["invocation_list"]]
        got = page["boxes"]
        if sc["process"] and sc["process"]["end"] != "normal":
            # A crashed child: its last invocation never returned and is not in the list.
            calls = [e for e in sc["timeline"]["events"] if e["kind"] == "call"]
            want += [[e["invocation"], e["status"], "none"] for e in calls
                     if e["invocation"] > len(want)]
        case("%s: one box per invocation with its status and decision" % name, got == want,
             "boxes %s\nwanted %s" % (got, want))
        case("%s: a failure mark exactly on a failure" % name,
             page["failure"] == (1 if sc["outcome"] == "fail" else 0), str(page["failure"]))
        tl = sc["timeline"] or {}
        points = [e for e in tl.get("events", []) if e["kind"] == "point"]
        want = [[e["point"], "switch " + e["switch"]] for e in points if e["switch"]]
        case("%s: a lane per thread, a cell per point, an arrow per switch" % name,
             page["threads"] == len(tl.get("threads", [])) and page["points"] == len(points) and
             page["switches"] == want,
             "lanes %d, cells %d, arrows %s\nwanted %s" % (page["threads"], page["points"],
                                                           page["switches"], want))
        # Several workers: a lane each, labelled as the report labels it, with its boxes.
        labels = {}
        for v in sc["invocation_list"]:
            if v.get("worker"):
                labels.setdefault(v["worker"], (v["worker_label"], []))[1].append(v["index"])
        want = [[w, label, idx] for w, (label, idx) in sorted(labels.items())]
        case("%s: a lane per worker with its invocations" % name, page["workers"] == want,
             "lanes %s\nwanted %s" % (page["workers"], want))
    several = [page for page in seen or [] if len(page["workers"]) > 1]
    case("a page of several workers: a lane each",
         len(several) == 1 and [w[0] for w in several[0]["workers"]] == [1, 2, 3],
         json.dumps(several))
    explored = [page for (path, _), page in zip(pages, seen or []) if path.endswith("explored.html")]
    case("the explored page: three threads, a preemption drawn red",
         len(explored) == 1 and explored[0]["threads"] == 3 and
         any(cls == "switch preempted" for _, cls in explored[0]["switches"]),
         json.dumps(explored))

    # Screenshots, kept beside the pages (one of the suite, each failing one).
    shots = [pages[0][0]] + [p for p, _ in pages[len(names):]]
    for path in shots:
        png = path + ".png"
        browse(browser, "file://" + os.path.abspath(path), "--window-size=1400,700",
               "--screenshot=" + png)
        case("screenshot %s" % os.path.basename(png),
             os.path.isfile(png) and os.path.getsize(png) > 2000, "")


main()
finish()
