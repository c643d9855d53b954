#!/usr/bin/env python3
"""examples/consumer built the two ways a driver project takes the harness: against this
build installed into a temporary folder (pkg-config, with the install staged under a sysroot
as packagers do), and as a Meson subproject. Each time its `meson test` must pass, with the
scenarios as TAP subtests.

Also: the DDI probes of tests/ddi compile against the install with the flags its
pkg-config file gives, under -Wall -Wextra -Werror, by this build's compiler and by
MinGW-w64's when it is on PATH.

Usage: consumer_test.py BUILD_DIR PROJECT_ROOT CC... Prints TAP, one point per case.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from tap import case, finish

BUILD, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CC = sys.argv[3:]
CONSUMER = os.path.join(ROOT, "examples", "consumer")
MESON = shutil.which("meson")


def sh(*args, env=None, cwd=None, timeout=600):
    p = subprocess.run(list(args), capture_output=True, text=True, env=env, cwd=cwd,
                       timeout=timeout)
    assert p.returncode == 0, f"{' '.join(args)}: exit {p.returncode}\n{p.stdout}\n{p.stderr}"
    return p.stdout


def build_option(name):
    for o in json.loads(sh(MESON, "introspect", "--buildoptions", BUILD)):
        if o["name"] == name:
            return o["value"]
    raise AssertionError(f"no option {name} in {BUILD}")


def check_consumer_tests(build):
    """The consumer's own `meson test`: one TAP test whose subtests are its scenarios."""
    env = dict(os.environ)
    env.pop("MESON_TESTTHREADS", None)
    sh(MESON, "test", "-C", build, "--print-errorlogs", env=env)
    suites = ET.parse(os.path.join(build, "meson-logs", "testlog.junit.xml")).getroot()
    names = [c.get("name") for c in suites.iter("testcase")]
    assert any("ping worker: answers each ping" in n for n in names), names
    assert any("ping worker: a ping set before stop" in n for n in names), names


def copy_consumer(where):
    dest = os.path.join(where, "consumer")
    shutil.copytree(CONSUMER, dest, ignore=shutil.ignore_patterns("build*", "subprojects"))
    return dest


def staged_install(d):
    """This build installed under d/stage: the prefix there, the libdir as configured, and
    the environment in which pkg-config finds the staged hotswap-harness.pc."""
    stage = os.path.join(d, "stage")
    sh(MESON, "install", "-C", BUILD, "--no-rebuild", "--destdir", stage)
    libdir = build_option("libdir")
    libdir = libdir if os.path.isabs(libdir) else os.path.join(build_option("prefix"), libdir)
    env = dict(os.environ, PKG_CONFIG_PATH=stage + os.path.join(libdir, "pkgconfig"),
               PKG_CONFIG_SYSROOT_DIR=stage)
    return stage, stage + build_option("prefix"), libdir, env


@case("examples/consumer builds and passes against this build, installed")
def _():
    assert MESON, "meson is not on PATH"
    with tempfile.TemporaryDirectory() as d:
        stage, prefix, libdir, env = staged_install(d)
        for needed in ("include/hotswap/wdm.h", "include/hotswap/wdm_string.h",
                       "include/hotswap/harness.h", "include/hh/hh.h",
                       "bin/hotswap-harness", "share/hotswap-harness/scenario.schema.json"):
            assert os.path.exists(os.path.join(prefix, needed)), f"not installed: {needed}"
        pcdir = stage + os.path.join(libdir, "pkgconfig")
        assert os.path.exists(os.path.join(pcdir, "hotswap-harness.pc")), os.listdir(stage)
        # The README's install section says where the .pc file lands here (Debian's libdir).
        readme = os.path.join(ROOT, "README.md")
        where = os.path.relpath(os.path.join(libdir, "pkgconfig"), build_option("prefix"))
        with open(readme, encoding="utf-8") as f:
            assert "`" + where.replace(os.sep, "/") + "`" in f.read(), \
                f"README.md does not say the .pc file lands in {where} under the prefix"
        cflags = sh("pkg-config", "--cflags", "hotswap-harness", env=env)
        assert "-DHOTSWAP_HARNESS" in cflags and stage in cflags, cflags
        # What driver code needs: multi-character pool tags and 16-bit L"..." literals.
        assert "-Wno-multichar" in cflags and "-fshort-wchar" in cflags, cflags
        harness = sh("pkg-config", "--variable=harness", "hotswap-harness", env=env).strip()
        assert os.access(harness, os.X_OK), harness
        # The installed CLI finds the installed libhotswap by itself (no LD_LIBRARY_PATH).
        sh(harness, "--version", env={k: v for k, v in env.items() if k != "LD_LIBRARY_PATH"})
        src = copy_consumer(d)
        build = os.path.join(d, "consumer-build")
        sh(MESON, "setup", build, src, env=env)
        sh("ninja", "-C", build, env=env)
        check_consumer_tests(build)
        # Fuzzing (docs/fuzzing-your-driver.md): what the .pc says, and a project that asks
        # for it from an install without the fuzz runtime stops at configure time, saying so.
        fuzzing = sh("pkg-config", "--variable=fuzzing", "hotswap-harness", env=env).strip()
        assert fuzzing == ("true" if build_option("fuzzing") else "false"), fuzzing
        # Meson's summary said so when the build was set up.
        with open(os.path.join(BUILD, "meson-logs", "meson-log.txt"), encoding="utf-8") as f:
            summary = f.read()
        said = ("fuzzing   : yes: `hotswap-harness fuzz`, the runtime installed in"
                if fuzzing == "true" else
                "fuzzing   : no: `hotswap-harness fuzz` needs CC=clang and -Dfuzzing=true")
        assert said in summary, f"the set-up summary does not say: {said}"
        if fuzzing == "false":
            p = subprocess.run([MESON, "setup", os.path.join(d, "fuzz-build"), src,
                                "-Dfuzzing=true"], capture_output=True, text=True, env=env)
            assert p.returncode != 0 and "built without it" in p.stdout + p.stderr, \
                f"exit {p.returncode}\n{p.stdout}\n{p.stderr}"


@case("the DDI probes compile against the install with its pkg-config flags, -Wall -Wextra "
      "-Werror, by this build's compiler and MinGW-w64's when it is on PATH")
def _():
    assert MESON and CC, "meson or the compiler is missing"
    with tempfile.TemporaryDirectory() as d:
        _, _, _, env = staged_install(d)
        cflags = sh("pkg-config", "--cflags", "hotswap-harness", env=env).split()
        probes = os.path.join(ROOT, "tests", "ddi")
        sources = sorted(os.path.join(probes, f) for f in os.listdir(probes)
                         if f.startswith("probe_") and f.endswith(".c"))
        assert len(sources) >= 10, sources
        compilers = [CC] + [[c] for c in ("x86_64-w64-mingw32-gcc",) if shutil.which(c)]
        for cc in compilers:
            for src in sources:
                sh(*cc, "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", *cflags,
                   "-fsyntax-only", src, env=env)


@case("examples/consumer builds and passes with the harness as a Meson subproject")
def _():
    assert MESON, "meson is not on PATH"
    with tempfile.TemporaryDirectory() as d:
        src = copy_consumer(d)
        os.makedirs(os.path.join(src, "subprojects"))
        os.symlink(ROOT, os.path.join(src, "subprojects", "hotswap-harness"))
        build = os.path.join(d, "consumer-build")
        env = dict(os.environ)
        env.pop("PKG_CONFIG_PATH", None)
        sh(MESON, "setup", build, src, "--wrap-mode=nodownload",
           "--force-fallback-for=hotswap-harness", env=env)
        sh("ninja", "-C", build, env=env)
        check_consumer_tests(build)


finish()
