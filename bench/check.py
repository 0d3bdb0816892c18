"""check.py - every tool's answer checked against ours.

An answer is the rows a tool printed (tab-separated values); normalize()
makes it a sorted list of tuples, so that row order and padding do not
matter. check_query() sets each Result's check: ours is the reference, a
tool that agrees is "ok", one that does not is **MISMATCH** with the number
of rows that differ. The floor prints no rows but its counts
(floor_check()).
"""

import re

import queries


def log(msg):
    print(msg, flush=True)


def normalize(out):
    rows = []
    for line in out.splitlines():
        if line.strip() == "":
            continue
        rows.append(tuple(c.strip() for c in line.split("\t")))
    return sorted(rows)


def same(a, b):
    """Whether two answers hold the same rows."""
    return normalize(a) == normalize(b)


def event_count(out):
    """The events a full scan's answer (name, count rows) adds up to, or
    None."""
    try:
        return sum(int(row[-1]) for row in normalize(out))
    except ValueError:
        return None


def check_query(qid, allres):
    """Set the check of every tool's Result of qid in allres
    ({(qid, tool): Result}) against ours."""
    ours = allres.get((qid, "ours"))
    for t in queries.QUERY_TOOLS:
        res = allres.get((qid, t))
        if res is None or res.error:
            continue
        if t == "ours":
            res.check = "ok (reference: %d rows)" % len(normalize(res.answer))
        elif ours is None or ours.answer is None:
            res.check = "unchecked (no answer from ours)"
        elif same(res.answer, ours.answer):
            res.check = "ok"
        else:
            a, b = set(normalize(res.answer)), set(normalize(ours.answer))
            res.check = "**MISMATCH** (%d rows differ: e.g. %s)" % (
                len(a ^ b), sorted(a ^ b)[:2])
            log("!!! MISMATCH: %s %s differs from ours" % (qid, t))


def floor_check(res):
    """A floor's check: its counts (files, MB read and inflated, failures)."""
    res.check = "ok" if not res.error else ""
    m = dict(re.findall(r"^(\w+) (\d+)$", res.answer or "", re.M))
    if m:
        res.check = "%s files, %.0f MB read, %.0f MB inflated" % (
            m.get("files", "?"), int(m.get("bytes_read", 0)) / 1e6,
            int(m.get("bytes_inflated", 0)) / 1e6)
        if m.get("failed", "0") != "0":
            res.check += ", %s FAILED" % m["failed"]


def mismatches(allres):
    return [k for k, r in allres.items() if "MISMATCH" in r.check]
