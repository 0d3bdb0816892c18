"""report.py - the benchmark's Markdown: bench/results.md.

document() writes the whole report: machine and versions, the data, the
method, the targets' verdicts (targets.py), and one table per query (each
tool's median wall time, CPU, peak RSS, its time over ours, its answer's
check, and the other load on the machine). run_bench.py prints it and
writes it to bench/results.md (a full default run) or
bench/results-partial.md.
"""

import json
import os
import re
import statistics
import zlib

import measure
import queries
import targets


def fmt(x, nd=2):
    return "-" if x is None else ("%.*f" % (nd, x))


def versions(duck_version):
    """(what, version) of the machine and every tool."""
    run_text = measure.run_text
    cpu = ""
    mem = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = "%.1f GB" % (int(line.split()[1]) / 1024 / 1024)
    linked = run_text(["ldd", "build/cloudtrail.so"])
    libs = sorted(set(m.group(1) for m in
                      re.finditer(r"(lib(?:z|deflate|isal)\S*)\s+=>", linked)))
    debs = run_text(["dpkg-query", "-W", "-f", "${Package} ${Version}, ",
                     "zlib1g", "libdeflate0"]).rstrip(", ")
    try:
        with open("bench/node_modules/@duckdb/node-api/package.json") as f:
            napi = json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        napi = "?"
    head = run_text(["git", "rev-parse", "--short", "HEAD"])
    dirty = run_text(["git", "status", "--porcelain", "--", "ext"])
    debian = ""
    if os.path.exists("/etc/debian_version"):
        with open("/etc/debian_version") as f:
            debian = "Debian " + f.read().strip()
    return [
        ("machine", "%s cores (nproc), %s, %s RAM, %s, Linux %s"
         % (run_text(["nproc"]), cpu, mem, debian, os.uname().release)),
        ("extension", "git %s%s; build/cloudtrail.so links %s"
         % (head, " + uncommitted changes in ext/" if dirty else "",
            ", ".join(libs) or "?")),
        ("sqlite3", run_text([queries.SQLITE3, "--version"]).split(" ")[0]),
        ("DuckDB", "%s (@duckdb/node-api %s, node %s), SET threads=2"
         % (duck_version, napi, run_text(["node", "--version"]))),
        ("jq", run_text(["jq", "--version"])),
        ("zlib", "%s (runtime; %s)" % (zlib.ZLIB_RUNTIME_VERSION, debs)),
        ("gcc", run_text(["gcc", "--version"]).splitlines()[0]
         if run_text(["gcc", "--version"]) else "?"),
    ]


def query_table(qid, results, floor_res, ours):
    """One query's section: its SQL and a row per tool's Result."""
    lines = []
    q = queries.QUERIES[qid]
    lines.append("### %s %s" % (qid, q["title"]))
    lines.append("")
    lines.append("`%s`" % q["ours"].format(src="cloudtrail('DIR')", day="LASTDAY"))
    lines.append("")
    lines.append("| tool | median wall s | CPU s | peak RSS MB | wall / ours | answer | bg |")
    lines.append("|---|---:|---:|---:|---:|---|---:|")
    ours_wall = ours.med("wall") if ours else None
    for res in results + floor_res:
        if res is None:
            continue
        wall = res.med("wall")
        ratio = (wall / ours_wall) if (wall and ours_wall) else None
        if res.error:
            check = "ERROR: " + res.error.replace("|", "\\|")
        else:
            check = res.check
        note = ""
        if res.tool.startswith("duckdb") and res.ok_runs():
            qs = [float(m.group(1)) for r in res.ok_runs()
                  for m in [re.search(r"duck_query_s ([0-9.]+)", r.err)] if m]
            if qs:
                note = " (in-engine %.2f s)" % statistics.median(qs)
        n = len(res.ok_runs())
        name = res.tool + ("" if n == 0 or n > 1 or res.tool == "jq" else " (1 run)")
        lines.append("| %s | %s | %s | %s | %s | %s%s | %s |" % (
            name, fmt(wall), fmt(res.med("cpu")), fmt(res.peak_rss_mb(), 0),
            fmt(ratio), check, note, fmt(res.med("bg"), 1)))
    if ours and ours_wall:
        parts = []
        for fr in floor_res:
            if fr and fr.med("wall"):
                parts.append("%s %.2fx" % (fr.tool, ours_wall / fr.med("wall")))
        if parts:
            lines.append("")
            lines.append("ours / floor: " + ", ".join(parts))
    lines.append("")
    return lines


def document(r):
    """The report's lines. r: what run_bench.main() gathered: stamp,
    duck_version, duck_startup, load1, data, info, events, runs, floor_cmd,
    qids, allres {(query, tool): Result}, floors {tool: Result} (run alone),
    qfloors {query: Result} (the floor in turns with the query)."""
    data, info = r["data"], r["info"]
    allres, qids = r["allres"], r["qids"]
    events = r["events"]
    md = []
    md.append("# Scan benchmark (issue 4)")
    md.append("")
    md.append("Produced by `make bench` (`bench/run_bench.py`), %s." % r["stamp"])
    md.append("")
    md.append("## Machine and versions")
    md.append("")
    for k, v in versions(r["duck_version"]):
        md.append("- %s: %s" % (k, v))
    md.append("")
    md.append("## Data")
    md.append("")
    md.append("- `%s`: %d files, %.1f MB gzip, %s events; last day %s" % (
        data, info["files"], info["bytes"] / 1e6,
        "{:,}".format(events) if events is not None else "?", info["last_day"]))
    if info["summary"]:
        md.append("- generator: %s" % info["summary"])
    if info["command"]:
        md.append("- generated by `%s` (deterministic)" % info["command"].replace(
            data.rstrip("/") + ".tmp", data.rstrip("/")))
    md.append("")
    md.append("## Method")
    md.append("")
    md.append("- Page cache warm: one warm-up full scan by ours, then the median "
              "of %d runs per tool and query (jq: 1 run). The tools of a query "
              "run in turns (ours, duckdb..., and for Q1 and Q3 the floor), so "
              "that the machine's drifts touch them alike; the targets compare "
              "ours with the floor run in turns with it." % r["runs"])
    md.append("- wall: elapsed time of the whole process (start-up included: "
              "node + DuckDB start in %s s, shown separately as in-engine time). "
              "CPU: user + sys of the process and all its descendants; "
              "peak RSS: ru_maxrss (for a pipeline, its largest single "
              "process); both from wait4() in build/bench-rusage "
              "(bench/rusage.c). bg: cores used by other processes "
              "on the machine during the run (noise indicator; load average "
              "at start %.2f)." % (fmt(r["duck_startup"]), r["load1"]))
    md.append("- ours: `sqlite3 -batch :memory:`, `.load build/cloudtrail`, "
              "`FROM cloudtrail('%s')`." % data)
    md.append("- duckdb-best: `read_json('%s/**/*.json.gz', columns={'Records': "
              "TYPE}%s)` + `unnest(Records)`, TYPE %s (the fastest correct "
              "configuration found with `--duck-explore`: bench/duck-explore.md); "
              "duckdb-auto: `read_json_auto` on the "
              "same glob + `unnest(Records)`; duckdb-day (Q4, Q5): duckdb-best on "
              "`%s` only. All with `SET threads=2`."
              % (data, queries.DUCK_BEST_OPTS,
                 ("the query's fields only, e.g. `%s` for Q4"
                  % queries.MIN_STRUCT["Q4"])
                 if queries.DUCK_BEST_MINIMAL else "`%s`" % queries.DUCK_STRUCT,
                 info["day_glob"] or "?"))
    md.append("- jq: `find | xargs -0 zcat | jq -n -r 'reduce (inputs | .Records[] ...)'`.")
    if r["floor_cmd"]:
        md.append("- floor: `build/floor` (bench/floor.c: the extension's walker "
                  "and loader, inflate only, 2 threads; floor-1t: 1 thread; "
                  "floor-zlib: 2 threads, zlib instead of libdeflate), "
                  "built with `%s`." % " ".join(r["floor_cmd"]))
    md.append("")
    md.append("## Targets (bench/targets.py, the speed targets of issue 4)")
    md.append("")
    md.extend(targets.verdicts(allres, r["floors"], r["qfloors"]))
    md.append("")
    md.append("## Results")
    md.append("")
    md.append("wall / ours: the tool's median wall time over ours (above 1: ours is faster).")
    md.append("")
    floor_list = [r["floors"][t] for t in queries.FLOOR_TOOLS if t in r["floors"]]
    for qid in qids:
        results = [allres.get((qid, t)) for t in queries.QUERY_TOOLS]
        fl = floor_list
        if qid in r["qfloors"]:
            qf = r["qfloors"][qid]
            qf.tool = "floor (in turns)"
            fl = [qf] + floor_list
        md.extend(query_table(qid, results, fl, allres.get((qid, "ours"))))
    if not qids or not any(allres.get((q, t)) for q in qids
                           for t in queries.QUERY_TOOLS):
        if floor_list:
            md.extend(query_table("Q1", [], floor_list, None))
    mism = [k for k, res in allres.items() if "MISMATCH" in res.check]
    if mism:
        md.append("**MISMATCHES: %s**" % ", ".join("%s %s" % k for k in mism))
        md.append("")
    return md
