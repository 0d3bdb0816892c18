"""duck_explore.py - DuckDB's read_json configurations timed against each
other (`run_bench.py --duck-explore`, bench/duck-explore.md): how
queries.py's duckdb-best was chosen. Each configuration's answer is checked
against ours.
"""

import check
import measure
import queries
from report import fmt

# (name, columns type of Records (None: only the query's fields), more
# read_json options, statements before the query)
DUCK_CONFIGS = [
    ("A: columns={'Records': STRUCT(3 fields)[]} (format auto)",
     queries.DUCK_STRUCT, "", ""),
    ("B: A + records='true'", queries.DUCK_STRUCT, ", records='true'", ""),
    ("C: A + format='newline_delimited'", queries.DUCK_STRUCT,
     ", format='newline_delimited'", ""),
    ("D: A + format='unstructured'", queries.DUCK_STRUCT,
     ", format='unstructured'", ""),
    ("E: A + compression='gzip'", queries.DUCK_STRUCT, ", compression='gzip'", ""),
    ("F: only the query's fields (format auto)", None, "", ""),
    ("G: only the query's fields + format='newline_delimited'", None,
     ", format='newline_delimited'", ""),
    ("H: G + SET preserve_insertion_order=false", None,
     ", format='newline_delimited'", "SET preserve_insertion_order=false; "),
]


def duck_explore(data, info, qids, nruns, quiet_wait):
    """The report's lines: a table row per configuration and query."""
    glob = data.rstrip("/") + "/**/*.json.gz"
    lines = ["## DuckDB configurations (--duck-explore)", "",
             "| config | query | median wall s | CPU s | peak RSS MB | answer | bg |",
             "|---|---|---:|---:|---:|---|---:|"]
    for qid in qids:
        ref = measure.run_tool("ours", qid,
                               queries.tool_command("ours", qid, data, info),
                               1, quiet_wait)
        for name, struct, opts, pre in DUCK_CONFIGS:
            st = struct or queries.MIN_STRUCT[qid]
            sql = pre + queries.QUERIES[qid]["duck"].format(
                src=queries.duck_source(glob, st, opts), day=info["last_day"])
            res = measure.Result(name, qid, sql)
            for _ in range(nruns):
                r = measure.measure(queries.duck_command(sql),
                                    quiet_wait=quiet_wait)
                res.runs.append(r)
                if not r.ok:
                    res.error = measure.short_error(r.err)
                    break
                res.answer = r.out
            if res.error:
                verdict = "ERROR: " + res.error.replace("|", "\\|")
            elif ref.answer is None:
                verdict = "unchecked"
            else:
                verdict = "ok" if check.same(res.answer, ref.answer) \
                    else "MISMATCH"
            row = "| %s | %s | %s | %s | %s | %s | %s |" % (
                name, qid, fmt(res.med("wall")), fmt(res.med("cpu")),
                fmt(res.peak_rss_mb(), 0), verdict, fmt(res.med("bg"), 1))
            print(row, flush=True)
            lines.append(row)
    return lines
