"""queries.py - the benchmark's five queries and each tool's command for them.

A tool is one way to answer a query over a trail directory:

  ours         the sqlite3 shell with build/cloudtrail loaded
  duckdb-best  DuckDB's fastest correct read_json configuration (below)
  duckdb-auto  DuckDB's read_json_auto
  duckdb-day   duckdb-best given only the last day's folders (Q4, Q5)
  jq           find | xargs -0 zcat | jq
  floor        build/floor: walk and inflate every file, 2 threads, no parsing
  floor-1t     the same on 1 thread
  floor-zlib   the same with zlib alone

tool_command() gives the argv, the stdin text and a printable command for
one tool and query; every tool prints its answer as rows of tab-separated
values (NULL as "NULL"), so that check.py can compare them.
"""

import os
import shlex

SQLITE3 = os.environ.get("SQLITE3", "sqlite3")

# DuckDB's best configuration, chosen with --duck-explore (bench/duck-explore.md):
# explicit types for just the fields the query uses, and
# format='newline_delimited' (a CloudTrail file is one JSON object on one
# line; DuckDB's NDJSON reader is ~30% faster than its auto/unstructured one
# on it). A pretty-printed trail would make it fail, and the answer check
# would show that.
DUCK_STRUCT = ("STRUCT(eventName VARCHAR, eventTime VARCHAR, "
               "userIdentity STRUCT(arn VARCHAR))[]")
MIN_STRUCT = {
    "Q1": "STRUCT(eventName VARCHAR)[]",
    "Q2": "STRUCT(userIdentity STRUCT(arn VARCHAR))[]",
    "Q3": "STRUCT(eventName VARCHAR)[]",
    "Q4": "STRUCT(eventName VARCHAR, eventTime VARCHAR)[]",
    "Q5": "STRUCT(eventName VARCHAR, eventTime VARCHAR)[]",
}
DUCK_BEST_MINIMAL = True  # False: DUCK_STRUCT for every query
DUCK_BEST_OPTS = ", format='newline_delimited'"

# {src} is the table (or subquery) read, {day} the trail's last day.
QUERIES = {
    "Q1": {
        "title": "full scan",
        "ours": "SELECT eventName, count(*) FROM {src} GROUP BY 1",
        "duck": "SELECT r.eventName, count(*) FROM {src} GROUP BY 1",
        "jq_key": ".eventName",
        "jq_select": None,
    },
    "Q2": {
        "title": "nested field",
        "ours": "SELECT userIdentity->>'$.arn', count(*) FROM {src} GROUP BY 1",
        "duck": "SELECT r.userIdentity.arn, count(*) FROM {src} GROUP BY 1",
        "jq_key": '(.userIdentity.arn | if . == null then "NULL" '
                  'else tostring end)',
        "jq_select": None,
    },
    "Q3": {
        "title": "selective name",
        "ours": "SELECT count(*) FROM {src} WHERE eventName = 'ConsoleLogin'",
        "duck": "SELECT count(*) FROM {src} WHERE r.eventName = 'ConsoleLogin'",
        "jq_key": None,
        "jq_select": '.eventName == "ConsoleLogin"',
    },
    "Q4": {
        "title": "one-day window",
        "ours": "SELECT eventName, count(*) FROM {src} "
                "WHERE eventTime >= '{day}' GROUP BY 1",
        "duck": "SELECT r.eventName, count(*) FROM {src} "
                "WHERE r.eventTime >= '{day}' GROUP BY 1",
        "jq_key": ".eventName",
        "jq_select": '.eventTime >= "{day}"',
    },
    "Q5": {
        "title": "window + name",
        "ours": "SELECT count(*) FROM {src} "
                "WHERE eventTime >= '{day}' AND eventName = 'ConsoleLogin'",
        "duck": "SELECT count(*) FROM {src} "
                "WHERE r.eventTime >= '{day}' AND r.eventName = 'ConsoleLogin'",
        "jq_key": None,
        "jq_select": '.eventTime >= "{day}" and .eventName == "ConsoleLogin"',
    },
}

QUERY_TOOLS = ["ours", "duckdb-best", "duckdb-auto", "duckdb-day", "jq"]
FLOOR_TOOLS = ["floor", "floor-1t", "floor-zlib"]
ALL_TOOLS = QUERY_TOOLS + FLOOR_TOOLS
DAY_QUERIES = ("Q4", "Q5")  # duckdb-day runs only these
FLOOR_QUERIES = ("Q1", "Q3")  # the floor runs in turns with these


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"


def duck_best_struct(qid):
    return MIN_STRUCT[qid] if DUCK_BEST_MINIMAL else DUCK_STRUCT


def duck_source(glob, struct, opts=DUCK_BEST_OPTS):
    return ("(SELECT unnest(Records) AS r FROM read_json(%s, columns={'Records': %s}%s))"
            % (sql_str(glob), sql_str(struct), opts))


def duck_auto_source(glob):
    return "(SELECT unnest(Records) AS r FROM read_json_auto(%s))" % sql_str(glob)


def duck_command(sql):
    return ["node", "bench/duck.mjs", sql]


def jq_program(q, day):
    sel = q["jq_select"]
    sel = " | select(%s)" % sel.format(day=day) if sel else ""
    if q["jq_key"]:
        return ('reduce (inputs | .Records[]%s | %s) as $k ({}; .[$k] = .[$k] + 1)'
                ' | to_entries[] | "\\(.key)\\t\\(.value)"' % (sel, q["jq_key"]))
    return "reduce (inputs | .Records[]%s) as $x (0; . + 1)" % sel


def tool_command(tool, qid, data, info):
    """(argv, stdin text, printable command) for one tool and query, or None
    if the tool does not run that query. info is trail.data_info()'s."""
    q = QUERIES[qid]
    day = info["last_day"]
    glob = data.rstrip("/") + "/**/*.json.gz"
    if tool == "ours":
        sql = q["ours"].format(src="cloudtrail(%s)" % sql_str(data), day=day)
        script = (".load build/cloudtrail\n.mode tabs\n.nullvalue NULL\n"
                  + sql + ";\n")
        return [SQLITE3, "-batch", "-bail", ":memory:"], script, sql
    if tool in ("duckdb-best", "duckdb-auto", "duckdb-day"):
        if tool == "duckdb-day":
            if qid not in DAY_QUERIES or not info["day_glob"]:
                return None
            src = duck_source(info["day_glob"], duck_best_struct(qid))
        elif tool == "duckdb-best":
            src = duck_source(glob, duck_best_struct(qid))
        else:
            src = duck_auto_source(glob)
        sql = q["duck"].format(src=src, day=day)
        return duck_command(sql), None, sql
    if tool == "jq":
        prog = jq_program(q, day)
        sh = ("set -o pipefail; find %s -name '*.json.gz' -not -path "
              "'*CloudTrail-Digest*' -print0 | xargs -0 zcat | jq -n -r %s"
              % (shlex.quote(data), shlex.quote(prog)))
        return ["bash", "-c", sh], None, sh
    if tool == "floor":
        return ["build/floor", data], None, "build/floor " + data
    if tool == "floor-zlib":
        return ["build/floor-zlib", data], None, "build/floor-zlib " + data
    if tool == "floor-1t":
        return ["build/floor", "-t", "1", data], None, "build/floor -t 1 " + data
    raise ValueError(tool)


def select_tools(spec):
    """The tools named in spec ("ours,floor"; a family's prefix selects all
    of it: duckdb, floor), in ALL_TOOLS order; every tool if spec is empty.
    None if spec names none."""
    want = [t.strip() for t in spec.split(",") if t.strip()]
    tools = [t for t in ALL_TOOLS if not want or any(
        t == w or t.startswith(w + "-") for w in want)]
    return tools if tools or not want else None
