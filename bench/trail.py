"""trail.py - the benchmark's data: a generated trail, and what it holds.

ensure_data() generates a trail with tests/gen/ctgen.py if its directory is
missing (deterministic, seed 42; bench-data/ is not committed), into a
.tmp directory first so that an interrupted run leaves no half trail, and
keeps the generator's command and summary next to it (DIR.gen.txt).
data_info() counts the files and bytes and finds the last day's folders.

The trail: 2 accounts x 3 regions x a file every 15 minutes, 58 events a
file; the full one is 30 days (17,280 files, about 1M events), --quick's 3
days, --days N's N.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys

PY = "/usr/bin/python3"

GEN_ARGS = ["--seed", "42", "--accounts", "2",
            "--regions", "us-east-1,eu-west-1,ap-southeast-2",
            "--start", "2024-03-01", "--interval", "15",
            "--events-per-file", "58"]
FULL_DAYS = 30
QUICK_DAYS = 3
FULL_DIR = "bench-data/trail"
QUICK_DIR = "bench-data/quick"


def days_dir(days):
    """The directory of a trail of that many days."""
    return FULL_DIR if days == FULL_DAYS else "bench-data/trail-%dd" % days


def log(msg):
    print(msg, flush=True)


def ensure_data(path, days, explicit):
    """Generate the trail at path (days long) unless it exists; explicit
    (the user named path): never generate, exit if missing."""
    if os.path.isdir(path):
        return
    if explicit:
        sys.exit("run_bench: --data %s: no such directory" % path)
    tmp = path + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    cmd = ([PY, "tests/gen/ctgen.py", "trail", tmp] + GEN_ARGS
           + ["--days", str(days)])
    log("generating %s (about %d s): %s" % (path, 2 * days,
                                            " ".join(shlex.quote(c) for c in cmd)))
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    log(out.strip())
    os.rename(tmp, path)
    with open(path + ".gen.txt", "w") as f:
        f.write(" ".join(cmd) + "\n" + out)


def data_info(path):
    """Files, gz bytes, the generator's summary, the last day folder."""
    n = size = 0
    days = set()
    day_re = re.compile(r"^(\d{4})/(\d{2})/(\d{2})$")
    day_globs = {}
    for root, dirs, files in os.walk(path, followlinks=True):
        dirs.sort()
        for fn in files:
            if fn.lower().endswith(".json.gz") and "CloudTrail-Digest" not in root:
                n += 1
                size += os.path.getsize(os.path.join(root, fn))
        rel = os.path.relpath(root, path)
        parts = rel.split(os.sep)
        if len(parts) >= 3 and day_re.match("/".join(parts[-3:])) \
                and "CloudTrail" in parts and "CloudTrail-Digest" not in rel:
            day = "%s-%s-%s" % tuple(parts[-3:])
            days.add(day)
            # The glob of this day's folders: any account, org and region.
            ct = parts.index("CloudTrail")
            g = list(parts)
            if "AWSLogs" in parts:
                for i in range(parts.index("AWSLogs") + 1, ct):
                    g[i] = "*"
            if ct + 1 < len(parts) - 3:
                g[ct + 1] = "*"
            day_globs[day] = "/".join([path.rstrip("/")] + g + ["*.json.gz"])
    summary = command = ""
    if os.path.exists(path.rstrip("/") + ".gen.txt"):
        with open(path.rstrip("/") + ".gen.txt") as f:
            lines = f.read().splitlines()
        if lines:
            summary = lines[-1]
            command = lines[0] if len(lines) > 1 else ""
    last = max(days) if days else None
    return {"files": n, "bytes": size, "summary": summary, "command": command,
            "last_day": last,
            "day_glob": day_globs.get(last)}
