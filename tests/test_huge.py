#!/usr/bin/python3
"""Huge inputs, run in the normal build only (too slow under valgrind and
ASan): a directory of 100,000 files and a single 100 MB record.

    /usr/bin/python3 tests/test_huge.py build/cloudtrail
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import unittest

EXT = None

QUERY = """
import json, resource, sqlite3, sys
db = sqlite3.connect(':memory:')
db.enable_load_extension(True)
db.load_extension(sys.argv[1])
row = db.execute(sys.argv[3], (sys.argv[2],)).fetchone()
print(json.dumps({"row": list(row),
                  "stats": json.loads(db.execute('SELECT cloudtrail_stats()')
                                      .fetchone()[0]),
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF)
                  .ru_maxrss}))
"""


def run_query(path, sql):
    """Run sql in a fresh process; its result, stats and peak RSS."""
    p = subprocess.run([sys.executable, "-c", QUERY, EXT, path, sql],
                       check=True, stdout=subprocess.PIPE)
    return json.loads(p.stdout)


class Huge(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ct-huge-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_100000_files_in_one_directory(self):
        n = 100000
        for i in range(n):
            with open(os.path.join(self.dir, "f%06d.json" % i), "w") as f:
                f.write('{"eventName":"E%d","eventTime":"2024-03-01T00:00:00Z",'
                        '"eventID":"%d"}' % (i % 7, i))
        r = run_query(self.dir, "SELECT count(*), count(DISTINCT eventID), "
                                "sum(eventName = 'E3') FROM cloudtrail(?)")
        self.assertEqual(r["row"], [n, n, sum(1 for i in range(n)
                                              if i % 7 == 3)])
        self.assertEqual(r["stats"]["files_read"], n)
        self.assertLess(r["maxrss_kb"], 200 * 1024)

    def test_a_100_mb_record(self):
        path = os.path.join(self.dir, "big.json")
        big = "x" * (100 << 20)
        rp = '{"blob":"%s"}' % big
        rec = '{"eventName":"Big","requestParameters":%s}' % rp
        with open(path, "w") as f:
            f.write('{"Records":[%s,{"eventName":"After"}]}' % rec)
        r = run_query(path, "SELECT group_concat(eventName), "
                            "max(length(requestParameters)), "
                            "max(length(record)) FROM cloudtrail(?)")
        self.assertEqual(r["row"], ["Big,After", len(rp), len(rec)])
        # Bounded by a small multiple of the file: the file's text, and
        # SQLite's copies of the two 100 MB values the query asks for.
        self.assertLess(r["maxrss_kb"], 6 * 100 * 1024)


def main():
    global EXT
    EXT = os.path.abspath(sys.argv[1])
    suite = unittest.TestLoader().loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=1, stream=sys.stdout).run(suite)
    bad = {getattr(t, "test_case", t).id()
           for t, _ in result.failures + result.errors}
    print("%d passed, %d failed" % (result.testsRun - len(bad), len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
