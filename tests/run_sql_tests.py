#!/usr/bin/python3
"""Run the SQL tests: each tests/sql/NAME.sql is fed to the sqlite3 shell
(after `.load EXT`) from the repository root, and its stdout and stderr must
equal tests/sql/NAME.expected exactly.

    /usr/bin/python3 tests/run_sql_tests.py build/cloudtrail [NAME ...]

With CT_VALGRIND=1 each shell runs under valgrind memcheck: any invalid
access or definite leak fails the test. With CT_UPDATE=1 the .expected files
are rewritten (review the diff before committing!).
"""
import difflib
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SQLDIR = os.path.join(ROOT, "tests", "sql")


def run_one(ext, name):
    with open(os.path.join(SQLDIR, name + ".sql"), encoding="utf-8") as f:
        script = ".load %s\n%s" % (ext, f.read())
    cmd = [os.environ.get("SQLITE3", "sqlite3"), "-batch", ":memory:"]
    if os.environ.get("CT_VALGRIND"):
        cmd = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
               "--errors-for-leak-kinds=definite",
               "--show-leak-kinds=definite"] + cmd
    p = subprocess.run(cmd, input=script.encode(), cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=600)
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode == 99:
        return False, "valgrind reported errors:\n" + out
    exp_path = os.path.join(SQLDIR, name + ".expected")
    if os.environ.get("CT_UPDATE"):
        with open(exp_path, "w", encoding="utf-8") as f:
            f.write(out)
        return True, ""
    with open(exp_path, encoding="utf-8") as f:
        expected = f.read()
    if out == expected:
        return True, ""
    diff = "".join(difflib.unified_diff(expected.splitlines(True),
                                        out.splitlines(True),
                                        "expected", "actual"))
    return False, diff


def main():
    ext = sys.argv[1]
    if not os.path.isabs(ext):
        ext = os.path.join(ROOT, ext)
    names = sys.argv[2:] or sorted(
        n[:-4] for n in os.listdir(SQLDIR) if n.endswith(".sql"))
    passed = failed = 0
    for name in names:
        ok, why = run_one(ext, name)
        if ok:
            passed += 1
            print("ok   %s" % name)
        else:
            failed += 1
            print("FAIL %s\n%s" % (name, why))
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
