"""targets.py - the project's speed targets, as data, and their verdicts.

The targets (set for issue 4, kept since as floors that no change may
break; "the floor" is inflating every file with the inflater the extension
ships, on both cores, without parsing: build/floor):

  - full scan (Q1) at least 2x faster than DuckDB's best configuration,
  - and within 2x of the floor;
  - selective name (Q3, eventName = 'ConsoleLogin') within 1.3x of the floor;
  - one-day window (Q4, the last day) at least 20x faster than DuckDB over
    the same whole-trail glob (DuckDB given the day's folders is reported
    too, for fairness);
  - peak RSS under 200 MB, whatever the number of files.

A ratio target compares two median wall times: a tool on a query over
another (the floor's is the floor run in turns with that query, else the
floor run alone). verdicts() gives one Markdown line per target: PASS, FAIL,
or n/a when a tool was not measured.
"""

import collections

# what: the sentence; num, den: (query, tool) whose median wall times make
# the ratio num / den; test, bound: the ratio must be >= or <= bound;
# digits: the ratio's decimals; note: after the ratio; also: (tool, label)
# of the same query shown alongside, as its time and its ratio to den.
Ratio = collections.namedtuple(
    "Ratio", "what num den test bound digits note also")

TARGETS = (
    Ratio("Full scan at least 2x faster than DuckDB's best",
          ("Q1", "duckdb-best"), ("Q1", "ours"), ">=", 2.0, 2, "", None),
    Ratio("Full scan within 2x of the floor (2 threads)",
          ("Q1", "ours"), ("Q1", "floor"), "<=", 2.0, 2, ", run in turns", None),
    Ratio("Selective name within 1.3x of the floor",
          ("Q3", "ours"), ("Q3", "floor"), "<=", 1.3, 2, ", run in turns", None),
    Ratio("One-day window at least 20x faster than DuckDB (whole glob)",
          ("Q4", "duckdb-best"), ("Q4", "ours"), ">=", 20.0, 1, "",
          ("duckdb-day", "DuckDB given the day's folders")),
)

# The peak RSS of every run of this tool, over all queries, below this.
RSS = ("Peak RSS under 200 MB", "ours", 200)


def verdicts(allres, floors, qfloors=None):
    """Markdown lines, one per target. allres: {(query, tool): Result};
    floors: {floor tool: Result} run alone; qfloors: {query: Result} of the
    floor run in turns with the query."""
    def wall(qid, tool):
        if tool == "floor":
            r = (qfloors or {}).get(qid) or floors.get("floor")
        else:
            r = allres.get((qid, tool))
        return r.med("wall") if r and not r.error else None

    out = []

    def line(text, ok, detail):
        verdict = "n/a" if ok is None else ("PASS" if ok else "FAIL")
        out.append("- %s: **%s** (%s)" % (text, verdict, detail))

    for t in TARGETS:
        n, d = wall(*t.num), wall(*t.den)
        if not (n and d):
            line(t.what, None, "not measured")
            continue
        ratio = n / d
        ok = ratio >= t.bound if t.test == ">=" else ratio <= t.bound
        extra = ""
        if t.also:
            a = wall(t.num[0], t.also[0])
            if a:
                extra = "; %s: %.2f s = %.2fx %s" % (t.also[1], a, a / d, t.den[1])
        line(t.what, ok, "%s %.2f s / %s %.2f s = %.*fx%s%s" % (
            t.num[1], n, t.den[1], d, t.digits, ratio, t.note, extra))

    what, tool, bound = RSS
    rss = [(qid, r.peak_rss_mb()) for (qid, t), r in allres.items()
           if t == tool and r.peak_rss_mb() is not None]
    if rss:
        qid, mx = max(rss, key=lambda x: x[1])
        line(what, mx < bound, "%s max %.0f MB (%s)" % (tool, mx, qid))
    else:
        line(what, None, "not measured")
    return out
