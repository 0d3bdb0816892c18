#!/usr/bin/python3
"""Memory proportional to the text, whatever its shape (issue 12). Each query
runs in a child process whose peak RSS (getrusage) is asserted as a bound;
run in the normal build only, like tests/test_huge.py.

    /usr/bin/python3 tests/test_memory.py build/cloudtrail

The child's address space is capped (RLIMIT_AS), so a build without the
bounds fails with an error instead of taking the machine's memory.
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

EXT = None
MB = 1024  # ru_maxrss is in KB
AS_CAP = 6 << 30  # the child's address space, bytes
# (A child started by fork inherits the parent's peak RSS: the test writes
# its files a part at a time, so that the parent stays small.)

QUERY = """
import json, resource, sqlite3, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[5]), int(sys.argv[5])))
db = sqlite3.connect(':memory:')
db.enable_load_extension(True)
db.load_extension(sys.argv[1])
out = {}
try:
    out["rows"] = [list(r) for r in
                   db.execute(sys.argv[3], (sys.argv[2], sys.argv[4]))]
except sqlite3.Error as e:
    out["error"] = str(e)
out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
"""

THREADS = [("threads=0", "threads=0"), ("default threads", "")]


def run_query(path, sql, options=""):
    """Run sql (a query of cloudtrail(?, ?)) in a fresh process: its rows or
    error, and its peak RSS in KB."""
    p = subprocess.run([sys.executable, "-c", QUERY, EXT, path, sql, options,
                        str(AS_CAP)], stdout=subprocess.PIPE)
    if p.returncode != 0:
        return {"error": "child died (%d)" % p.returncode, "maxrss_kb": 0}
    return json.loads(p.stdout)


def baseline_kb():
    """Peak RSS of a child that loads the extension and reads one tiny file."""
    d = tempfile.mkdtemp(prefix="ct-mem-")
    try:
        path = os.path.join(d, "one.json")
        with open(path, "w") as f:
            f.write('{"Records":[{"eventName":"A"}]}')
        return run_query(path, "SELECT count(*) FROM cloudtrail(?, ?)")[
            "maxrss_kb"]
    finally:
        shutil.rmtree(d)


def write_gzip(path, parts, level=6):
    """Gzip the byte strings of the iterable parts into path."""
    c = zlib.compressobj(level, zlib.DEFLATED, 31)
    with open(path, "wb") as f:
        for p in parts:
            f.write(c.compress(p))
        f.write(c.flush())


class Memory(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ct-mem-")
        cls.base = baseline_kb()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def bounded(self, r, text_bytes, label):
        """Peak RSS within the text plus 50%, above the process's baseline
        (the interpreter, SQLite and the extension) and a fixed 64 MB."""
        limit = self.base + 64 * MB + text_bytes * 3 // 2 // 1024
        print("  %s: peak RSS %d MB (bound %d MB)" %
              (label, r["maxrss_kb"] // MB, limit // MB))
        self.assertLess(r["maxrss_kb"], limit,
                        "%s: peak RSS %d MB, bound %d MB" %
                        (label, r["maxrss_kb"] // MB, limit // MB))

    def test_tiny_events_gzipped(self):
        # {"Records":[{},{},...]}: 20M events of 3 bytes, 60 MB inflated
        # from 60 KB of gzip (the case is 300 MB; the bound scales).
        # Every event is a row.
        n = 20 << 20
        path = os.path.join(self.dir, "tiny.json.gz")
        chunk = b"{}," * (1 << 20)
        write_gzip(path, [b'{"Records":['] + [chunk] * ((n >> 20) - 1) +
                   [b"{}," * ((1 << 20) - 1) + b"{}]}"], level=9)
        text = len('{"Records":[]}') + 3 * n - 1
        for label, opts in THREADS:
            for sql, want in [
                    ("SELECT count(*) FROM cloudtrail(?, ?)", [[n]]),
                    ("SELECT count(eventName), count(*) FROM "
                     "cloudtrail(?, ?)", [[0, n]]),
                    ("SELECT eventName, count(*) FROM cloudtrail(?, ?) "
                     "GROUP BY 1", [[None, n]])]:
                with self.subTest(sql=sql, threads=label):
                    r = run_query(path, sql, opts)
                    self.assertEqual(r.get("rows"), want, r.get("error"))
                    self.bounded(r, text, "%s, %s" % (sql, label))

    def test_tiny_events_plain(self):
        # 5M {} events in a 15 MB plain file.
        n = 5000000
        path = os.path.join(self.dir, "tiny5m.json")
        with open(path, "w") as f:
            f.write('{"Records":[' + "{}," * (n - 1) + "{}]}")
        text = os.path.getsize(path)
        for label, opts in THREADS:
            for sql, want in [
                    ("SELECT count(*), max(rowid & 4294967295) FROM "
                     "cloudtrail(?, ?)", [[n, n - 1]]),
                    ("SELECT count(eventName), count(*) FROM "
                     "cloudtrail(?, ?)", [[0, n]])]:
                with self.subTest(sql=sql, threads=label):
                    r = run_query(path, sql, opts)
                    self.assertEqual(r.get("rows"), want, r.get("error"))
                    self.bounded(r, text, "%s, %s" % (sql, label))

    def test_tiny_events_with_a_filter_keep_their_rowids(self):
        # A filter in a file indexed a part at a time: the events kept, and
        # their rowids, are those of the whole file. Each event has the
        # value searched for, so each is parsed and tested by its fields.
        n = 2000000
        path = os.path.join(self.dir, "named.json")
        hit, other = '{"eventName":"Hit"}', '{"eventName":"x","errorCode":"Hit"}'
        with open(path, "w") as f:
            f.write('{"Records":[')
            for k in range(0, n, 100000):
                f.write(",".join(hit if i % 100000 == 7 else other
                                 for i in range(k, k + 100000)))
                f.write("," if k + 100000 < n else "")
            f.write("]}")
        text = os.path.getsize(path)
        want = [[i, "Hit"] for i in range(n) if i % 100000 == 7]
        for label, opts in THREADS:
            with self.subTest(threads=label):
                r = run_query(path, "SELECT rowid & 4294967295, eventName FROM "
                                    "cloudtrail(?, ?) WHERE eventName = 'Hit'",
                              opts)
                self.assertEqual(r.get("rows"), want, r.get("error"))
                self.bounded(r, text, "filter, %s" % label)

    def test_gzip_bomb_stops_at_max_file_size(self):
        # 4 GiB of one string in one gzip member (19 MB): the default
        # max_file_size (1 GiB) stops it. After a full flush deflate starts
        # afresh, so a 64 MiB block's compressed bytes repeat as they are.
        path = os.path.join(self.dir, "bomb.json.gz")
        head, block, n = b'{"Records":[{"eventName":"', b"a" * (64 << 20), 64
        c = zlib.compressobj(1, zlib.DEFLATED, 31)
        zhead = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
        zblock = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
        ztail = c.flush()[:-8]  # the last block; the trailer is for all
        crc = zlib.crc32(head)
        for _ in range(n):
            crc = zlib.crc32(block, crc)
        with open(path, "wb") as f:
            f.write(zhead)
            for _ in range(n):
                f.write(zblock)
            f.write(ztail + struct.pack(
                "<II", crc, (len(head) + n * len(block)) & 0xffffffff))
        for label, opts in THREADS:
            with self.subTest(threads=label):
                r = run_query(path, "SELECT count(*) FROM cloudtrail(?, ?)",
                              opts)
                self.assertIn("inflates to more than max_file_size "
                              "(1073741824 bytes)", r.get("error", ""))
                print("  bomb, %s: peak RSS %d MB" % (label,
                                                    r["maxrss_kb"] // MB))
                self.assertLess(r["maxrss_kb"], (1 << 20) + 100 * MB,
                                "bomb, %s: peak RSS %d MB" %
                                (label, r["maxrss_kb"] // MB))


class HeapLimit(unittest.TestCase):
    """SQLite's hard heap limit caps what a scan allocates, the files' text
    included: past it, an error naming the file, never a crash, never a
    file passed over (on_error=skip is for bad files)."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ct-heap-")
        self.path = os.path.join(self.dir, "big.json")
        ev = json.dumps({"eventName": "RunInstances", "eventTime":
                         "2024-03-01T10:00:00Z", "pad": "x" * 400})
        with open(self.path, "w") as f:
            f.write('{"Records":[' + ",".join([ev] * 40000) + "]}")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def run_limited(self, limit, options):
        code = ("import json, sqlite3, sys\n"
                "db = sqlite3.connect(':memory:')\n"
                "db.enable_load_extension(True)\n"
                "db.load_extension(sys.argv[1])\n"
                "db.execute('PRAGMA hard_heap_limit=%d' % int(sys.argv[3]))\n"
                "try:\n"
                "    print(json.dumps(db.execute(\"SELECT count(eventName) "
                "FROM cloudtrail(?, ?)\", (sys.argv[2], sys.argv[4]))"
                ".fetchall()))\n"
                "except sqlite3.Error as e:\n"
                "    print(json.dumps(str(e)))\n")
        p = subprocess.run([sys.executable, "-c", code, EXT, self.path,
                            str(limit), options], stdout=subprocess.PIPE,
                           check=True)
        return json.loads(p.stdout)

    def test_a_scan_past_the_limit_fails_naming_the_file(self):
        size = os.path.getsize(self.path)  # about 17 MB
        for options in ("threads=0", "", "on_error=skip"):
            with self.subTest(options=options):
                got = self.run_limited(size // 2, options)
                self.assertIsInstance(got, str)
                self.assertTrue(got.startswith("cloudtrail: %s: " %
                                               self.path), got)
                self.assertIn("out of memory", got)
                self.assertNotIn("on_error=skip", got)
                # With room for the text and its index, the full answer.
                self.assertEqual(self.run_limited(4 * size, options),
                                 [[40000]])


def main():
    global EXT
    EXT = os.path.abspath(sys.argv[1])
    suite = unittest.TestLoader().loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    bad = {getattr(t, "test_case", t).id()
           for t, _ in result.failures + result.errors}
    print("%d passed, %d failed" % (result.testsRun - len(bad), len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
