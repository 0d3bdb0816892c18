#!/usr/bin/python3
"""gcov_report.py - line coverage of ext/ from a --coverage build
(`make coverage`).

    /usr/bin/python3 tests/gcov_report.py [BUILD_DIR] [PREFIX]

gcc names each object's counters after the program it was linked into
(build-cov/unit-ct_json.gcda, build-cov/cloudtrail.so-ct_json.gcda, ...), so
one source has one set per program. This runs `gcov --json-format --stdout`
on every .gcda under BUILD_DIR (default build-cov), adds up each source
line's counts over all the programs, and prints, for each file under PREFIX
(default ext/), the lines run, the executable lines and the percentage, then
the total. A line counts as run if any program ran it. Needs gcov of the gcc
that built the programs; stdlib only.
"""

import glob
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def line_counts(build):
    """{source path relative to the repo: {line number: count}}."""
    counts = {}
    gcdas = sorted(glob.glob(os.path.join(build, "*.gcda")))
    if not gcdas:
        sys.exit("gcov_report: no .gcda files in %s (run the tests first)"
                 % build)
    for gcda in gcdas:
        p = subprocess.run(["gcov", "--json-format", "--stdout", gcda],
                           cwd=ROOT, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("gcov_report: gcov %s: %s" % (gcda, p.stderr.strip()))
        # One JSON document per line, one per .gcda.
        for doc in p.stdout.splitlines():
            if not doc.strip():
                continue
            data = json.loads(doc)
            cwd = data.get("current_working_directory", ROOT)
            for f in data["files"]:
                path = os.path.relpath(os.path.join(cwd, f["file"]), ROOT)
                lines = counts.setdefault(path, {})
                for ln in f["lines"]:
                    n = ln["line_number"]
                    lines[n] = lines.get(n, 0) + ln["count"]
    return counts


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build-cov"
    prefix = sys.argv[2] if len(sys.argv) > 2 else "ext/"
    counts = line_counts(os.path.join(ROOT, build))
    rows = []
    for path in sorted(counts):
        if not path.startswith(prefix):
            continue
        lines = counts[path]
        run = sum(1 for c in lines.values() if c > 0)
        rows.append((path, run, len(lines)))
    if not rows:
        sys.exit("gcov_report: no coverage data for %s" % prefix)
    width = max(len(r[0]) for r in rows + [("total",)])
    print("%-*s %7s %7s %7s" % (width, "file", "run", "lines", "cover"))
    for path, run, total in rows:
        print("%-*s %7d %7d %6.1f%%" % (width, path, run, total,
                                        100.0 * run / total if total else 0))
    run = sum(r[1] for r in rows)
    total = sum(r[2] for r in rows)
    print("%-*s %7d %7d %6.1f%%" % (width, "total", run, total,
                                    100.0 * run / total if total else 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
