#!/usr/bin/env python3
"""docs/scenario.schema.json against the parser: every scenario in the repository that the
harness accepts must validate against the schema, every property the schema names must be
one the harness accepts (tests/suite/schema/kitchen_sink.json uses them all), and each probe
in tests/suite/schema/ must be judged the same way by both. Needs python3-jsonschema.

Usage: schema_test.py PROJECT_ROOT HARNESS. Prints TAP, one point per case.
"""
import glob
import json
import os
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from tap import case, finish

ROOT, HARNESS = sys.argv[1], os.path.abspath(sys.argv[2])
# A cross build's `meson test` names the program that runs HARNESS here (wine).
WRAPPER = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
SCHEMA = os.path.join(ROOT, "docs", "scenario.schema.json")
PROBES = os.path.join(ROOT, "tests", "suite", "schema")

try:
    import jsonschema
except ImportError:
    print("TAP version 13\n1..1\nnot ok 1 - python3-jsonschema is installed\n"
          "# install it: apt-get install python3-jsonschema")
    sys.exit(1)


def harness_accepts(path):
    p = subprocess.run([*WRAPPER, HARNESS, "validate", "--quiet", path], capture_output=True,
                       text=True)
    return p.returncode == 0, p.stderr


schema = json.load(open(SCHEMA))
validator = jsonschema.Draft202012Validator(schema)


def schema_errors(doc):
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}"
            for e in validator.iter_errors(doc)]


def repository_scenarios():
    """Every *.json under the repository's scenario folders, build folders left out."""
    found = []
    for pattern in ("scenarios/**/*.json", "examples/**/*.json", "tests/**/*.json"):
        found += glob.glob(os.path.join(ROOT, pattern), recursive=True)
    return sorted(f for f in found if os.sep + "build" not in f and
                  not f.endswith(".schema.json") and "/schema/" not in f)


@case("the schema is a valid draft 2020-12 schema")
def _():
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def judged_by_harness(files):
    """{file: whether `validate` accepts it}, from one run over all of them: a file is
    rejected when a diagnostic names it (they start "FILE:")."""
    p = subprocess.run([*WRAPPER, HARNESS, "validate", "--quiet", *files], capture_output=True,
                       text=True)
    return {f: not any(line.startswith(f + ":") for line in p.stderr.splitlines())
            for f in files}


@case("every scenario the harness accepts validates against the schema")
def _():
    checked, problems = 0, []
    accepted = judged_by_harness(repository_scenarios())
    for f in repository_scenarios():
        try:
            doc = json.load(open(f, encoding="utf-8"))
        except ValueError:
            continue  # not JSON at all: a syntax-error probe of the parser's own tests
        if not isinstance(doc, dict) or "steps" not in doc:
            continue  # some other JSON file (fuzz dictionaries, expected outputs)
        if not accepted[f]:
            continue  # an invalid scenario on purpose
        checked += 1
        errors = schema_errors(doc)
        if errors:
            problems.append(f"{os.path.relpath(f, ROOT)}: " + "; ".join(errors[:3]))
    assert checked >= 20, f"only {checked} scenarios found under {ROOT}"
    assert not problems, "\n".join(problems)


@case("every scenario in scenarios/ and examples/ points its $schema at the schema")
def _():
    missing = []
    for f in repository_scenarios():
        if not f.startswith((os.path.join(ROOT, "scenarios"), os.path.join(ROOT, "examples"))):
            continue
        doc = json.load(open(f, encoding="utf-8"))
        ref = doc.get("$schema", "")
        target = os.path.normpath(os.path.join(os.path.dirname(f), ref))
        if target != os.path.normpath(SCHEMA):
            missing.append(os.path.relpath(f, ROOT))
    assert not missing, "no or wrong $schema: " + ", ".join(missing)


def schema_keys(node, keys):
    """Every property name the schema defines, anywhere."""
    if isinstance(node, dict):
        for k, v in node.get("properties", {}).items():
            keys.add(k)
        for v in node.values():
            schema_keys(v, keys)
    elif isinstance(node, list):
        for v in node:
            schema_keys(v, keys)
    return keys


def document_keys(node, keys):
    if isinstance(node, dict):
        for k, v in node.items():
            keys.add(k)
            document_keys(v, keys)
    elif isinstance(node, list):
        for v in node:
            document_keys(v, keys)
    return keys


@case("every property of the schema is one the harness accepts (the kitchen sinks)")
def _():
    used = set()
    # One sink per mode: a routine's scenario and a driver's take keys the other refuses.
    for sink in sorted(glob.glob(os.path.join(PROBES, "kitchen_sink*.json"))):
        ok, err = harness_accepts(sink)
        assert ok, f"the harness rejects {os.path.basename(sink)}:\n" + err
        doc = json.load(open(sink))
        assert not schema_errors(doc), schema_errors(doc)
        document_keys(doc, used)
    unused = schema_keys(schema, set()) - used
    assert not unused, f"the schema names keys the kitchen sink does not use: {sorted(unused)}"


@case("the schema and the harness agree on every probe")
def _():
    disagree = []
    probes = sorted(glob.glob(os.path.join(PROBES, "*.json")))
    assert len(probes) > 10, probes
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        verdicts = dict(zip(probes, pool.map(harness_accepts, probes)))
    for f in probes:
        doc = json.load(open(f))
        by_schema = not schema_errors(doc)
        by_harness, err = verdicts[f]
        if by_schema != by_harness:
            disagree.append(f"{os.path.basename(f)}: schema {'accepts' if by_schema else 'rejects'},"
                            f" harness {'accepts' if by_harness else 'rejects'} {err.strip()[:200]}")
        expected = not os.path.basename(f).startswith("bad_")
        if by_harness != expected:
            disagree.append(f"{os.path.basename(f)}: the harness should "
                            f"{'accept' if expected else 'reject'} it")
    assert not disagree, "\n".join(disagree)


finish()
