"""measure.py - running a tool's command and measuring it.

measure() runs one command under build/bench-rusage (bench/rusage.c: fork,
exec, wait4) and returns a Run: wall time (perf_counter around the child's
life); CPU = user + sys and peak RSS = ru_maxrss of the command and every
descendant it waited for, so a shell pipeline counts all its processes in
CPU, and its peak RSS is that of its largest single process (not the sum).
The wrapper exists because Linux starts a child's ru_maxrss at the RSS of
the process that forked it: os.wait4 here would report at least Python's
own RSS. "bg" is the CPU (in cores) that other processes on the machine
used during the run (from /proc/stat), to spot a noisy measurement.

A Result gathers one tool's runs of one query: medians of the runs that
succeeded, the peak RSS over them, the first answer, the first error.
run_interleaved() runs several tools in turns (A B C A B C ...), so that
the machine's drifts touch them alike; run_tool() runs one tool alone.
A command is a spec: (argv, stdin text or None, printable command).
"""

import os
import re
import signal
import statistics
import subprocess
import tempfile
import threading
import time

RUN_TIMEOUT = 1800  # seconds, per run of one tool
RUSAGE = "build/bench-rusage"  # built from bench/rusage.c by peers.py

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_busy_seconds():
    """Seconds of CPU the whole machine has been busy (all cores)."""
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:]]
    idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
    return (sum(vals[:8]) - idle) / CLK_TCK


def wait_quiet(max_wait, limit=0.3):
    """Wait (up to max_wait s) until other processes use < limit cores."""
    if max_wait <= 0:
        return
    deadline = time.monotonic() + max_wait
    while True:
        b0, t0 = cpu_busy_seconds(), time.monotonic()
        time.sleep(0.5)
        load = (cpu_busy_seconds() - b0) / (time.monotonic() - t0)
        if load < limit or time.monotonic() >= deadline:
            return


class Run:
    """One run of one command."""

    def __init__(self):
        self.wall = self.cpu = self.bg = 0.0
        self.rss_kb = 0
        self.rc = 0
        self.out = ""
        self.err = ""
        self.timed_out = False

    @property
    def ok(self):
        return self.rc == 0 and not self.timed_out


def measure(cmd, stdin_text=None, timeout=RUN_TIMEOUT, quiet_wait=0.0):
    """Run cmd (a list) under bench-rusage: wall time, CPU, peak RSS, output."""
    wait_quiet(quiet_wait)
    r = Run()
    with tempfile.TemporaryFile() as fin, tempfile.TemporaryFile() as fout, \
            tempfile.TemporaryFile() as ferr, \
            tempfile.NamedTemporaryFile(prefix="bench-rusage.") as fru:
        if stdin_text is not None:
            fin.write(stdin_text.encode())
            fin.seek(0)
        busy0 = cpu_busy_seconds()
        t0 = time.perf_counter()
        p = subprocess.Popen([RUSAGE, fru.name] + list(cmd),
                             stdin=fin if stdin_text is not None else subprocess.DEVNULL,
                             stdout=fout, stderr=ferr, start_new_session=True)
        lock = threading.Lock()
        done = [False]

        def kill():
            with lock:
                if not done[0]:
                    r.timed_out = True
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            while True:
                try:
                    _, status, _ = os.wait4(p.pid, 0)
                    break
                except InterruptedError:
                    continue
                except KeyboardInterrupt:
                    os.killpg(p.pid, signal.SIGKILL)
                    raise
        finally:
            with lock:
                done[0] = True
            timer.cancel()
        r.wall = time.perf_counter() - t0
        busy = cpu_busy_seconds() - busy0
        p.returncode = r.rc = os.waitstatus_to_exitcode(status)
        try:
            u, s, m = open(fru.name).read().split()
            r.cpu = float(u) + float(s)
            r.rss_kb = int(m)
        except (OSError, ValueError):
            r.rc = r.rc or 1
        r.bg = max(0.0, (busy - r.cpu) / r.wall) if r.wall > 0 else 0.0
        fout.seek(0)
        ferr.seek(0)
        r.out = fout.read().decode(errors="replace")
        r.err = ferr.read().decode(errors="replace")
    return r


def run_text(cmd, **kw):
    """Output of a helper command ('' if it fails)."""
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False,
                              **kw).stdout.strip()
    except OSError:
        return ""


class Result:
    """One tool's runs of one query."""

    def __init__(self, tool, qid, cmd_text):
        self.tool, self.qid, self.cmd_text = tool, qid, cmd_text
        self.runs = []
        self.error = None
        self.check = ""  # "ok", "MISMATCH ...", "unchecked" (check.py)
        self.answer = None

    def ok_runs(self):
        return [r for r in self.runs if r.ok]

    def med(self, attr):
        rs = self.ok_runs()
        return statistics.median(getattr(r, attr) for r in rs) if rs else None

    def peak_rss_mb(self):
        rs = self.ok_runs()
        return max(r.rss_kb for r in rs) / 1024 if rs else None


def short_error(text):
    """The first line of an error, with file paths cut to their names."""
    line = (text.strip().splitlines() or ["?"])[0]
    line = re.sub(r'"[^"]*/([^"/]+)"', r'"\1"', line)
    return line[:320]


def run_error(r):
    """What a failed Run's Result.error says."""
    if r.timed_out:
        return "timed out after %d s" % RUN_TIMEOUT
    return short_error(r.err or "exit status %d" % r.rc)


def run_interleaved(specs, qid, nruns, quiet_wait):
    """Run each tool of specs ({tool: spec}) nruns times, in turns
    (A B C A B C ...), so that the machine's drifts touch every tool alike:
    ratios come from the same moments. A tool that fails is not run again.
    Returns {tool: Result}."""
    out = {t: Result(t, qid, spec[2]) for t, spec in specs.items()}
    for _ in range(nruns):
        for t, (argv, stdin_text, _text) in specs.items():
            res = out[t]
            if res.error:
                continue
            r = measure(argv, stdin_text, quiet_wait=quiet_wait)
            res.runs.append(r)
            if not r.ok:
                res.error = run_error(r)
            elif res.answer is None:
                res.answer = r.out
    return out


def run_tool(tool, qid, spec, nruns, quiet_wait):
    """Run one tool's spec nruns times (stopping at the first failure):
    a Result, or None if spec is None (the tool does not run the query)."""
    if spec is None:
        return None
    argv, stdin_text, text = spec
    res = Result(tool, qid, text)
    for _ in range(nruns):
        r = measure(argv, stdin_text, quiet_wait=quiet_wait)
        res.runs.append(r)
        if not r.ok:
            res.error = run_error(r)
            break
        if res.answer is None:
            res.answer = r.out
    return res
