"""tap.py - the TAP the tests in tests/suite print: one test point per case, the failure's
account as comments. A case is a function under @case(name); finish() prints and exits."""
import sys

_results = []


def case(name, where=True):
    """Runs the function now and keeps its verdict; any exception fails the case. A case
    whose `where` is false tests what this platform does not have and is left out."""
    def wrap(fn):
        if not where:
            return fn
        try:
            fn()
            _results.append((name, None))
        except AssertionError as e:
            _results.append((name, str(e) or "assertion failed"))
        except Exception as e:  # a broken test is a failed test, never a silent pass
            _results.append((name, f"{type(e).__name__}: {e}"))
        return fn
    return wrap


def finish():
    print("TAP version 13")
    print(f"1..{len(_results)}")
    failed = 0
    for i, (name, problem) in enumerate(_results, 1):
        if problem is None:
            print(f"ok {i} - {name}")
            continue
        failed += 1
        print(f"not ok {i} - {name}")
        for line in problem.splitlines():
            print(f"# {line}")
    sys.exit(1 if failed else 0)
