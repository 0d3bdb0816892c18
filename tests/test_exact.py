#!/usr/bin/python3
"""No silent wrong answers (issue 11): OR across paths, NOCASE at a NUL.

    /usr/bin/python3 tests/test_exact.py build/cloudtrail [-k PATTERN]

- SQLite's OR plans run one scan per term and merge the rows by rowid, so
  rowids must tell apart the events of every path one table reads in a
  query, and give an event the same rowid in every term. Each OR across
  paths is checked against the UNION of the single-path queries and an
  independent reading of the files written here.
- SQLite's NOCASE compares nothing past a NUL (sqlite3StrNICmp stops there)
  but the lengths: pushed-down comparisons must do the same. Checked against
  `+col`, `CAST(col AS TEXT)` and a Python rendering of SQLite's rules, on
  files whose eventName values hold \\u0000 escapes.

Ends with "N passed, N failed".
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_cloudtrail as tc  # noqa: E402


def plan(db, sql, *args):
    return " ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN " + sql,
                                             args))


class OrAcrossPaths(tc.TempDir):
    """Trees A and B have files at the same places of their walks, so their
    events had the same rowids; C is a copy of A (the same events, eventIDs
    and all, under other names)."""

    NAMES = ["x", "y", "z", "x", "y"]

    def setUp(self):
        super().setUp()
        self.events = {}  # logFile -> list of event dicts
        for tree in ("A", "B", "C"):
            src = "A" if tree == "C" else tree
            for f, rel in enumerate(("f0.json", "f1.json", "sub/f2.json")):
                evs = []
                for i in range(5):
                    e = {"eventName": self.NAMES[(i + f) % 5],
                         "eventID": "%s-%d-%d" % (src, f, i)}
                    if (i + f) % 3 == 0:
                        e["errorCode"] = "E"
                    if src == "B":
                        e["eventName"] = self.NAMES[(i + f + 1) % 5]
                    evs.append(e)
                path = self.write(os.path.join(tree, rel),
                                  json.dumps({"Records": evs}))
                self.events[path] = evs
        self.A, self.B, self.C = (os.path.join(self.dir, t) for t in "ABC")
        self.db.execute("CREATE VIRTUAL TABLE temp.t USING cloudtrail('%s')"
                        % self.A.replace("'", "''"))

    def ref(self, top, pred):
        """(logFile, eventID) of the events under top for which pred holds,
        from the files as written."""
        return sorted((p, e["eventID"]) for p, evs in self.events.items()
                      if p.startswith(top + os.sep) for e in evs if pred(e))

    def rows(self, sql, *args):
        return sorted(self.q(sql, *args))

    TERMS = [
        ("eventName = 'x'", lambda e: e["eventName"] == "x"),
        ("eventName = 'y'", lambda e: e["eventName"] == "y"),
        ("errorCode = 'E'", lambda e: e.get("errorCode") == "E"),
        ("eventName IN ('x', 'z')", lambda e: e["eventName"] in "xz"),
    ]

    def check_or(self, frm, sql_a, sql_b, want):
        """The OR of two terms equals the UNION of each alone, and want."""
        sql = ("SELECT logFile, eventID FROM %s WHERE (%s) OR (%s)" %
               (frm, sql_a, sql_b))
        self.assertIn("MULTI-INDEX OR", plan(self.db, sql))
        union = self.rows("SELECT logFile, eventID FROM %s WHERE %s UNION "
                          "SELECT logFile, eventID FROM %s WHERE %s" %
                          (frm, sql_a, frm, sql_b))
        got = self.rows(sql)
        self.assertEqual(len(got), len(union), sql)
        self.assertEqual(got, union, sql)
        self.assertEqual(got, want, sql)

    def test_or_across_paths_equals_the_union_of_each_path(self):
        q = lambda p: "'" + p.replace("'", "''") + "'"  # noqa: E731
        for frm in ("cloudtrail",):
            for pa, pb in ((self.A, self.B), (self.B, self.A),
                           (self.A, self.C)):
                for ta, fa in self.TERMS:
                    for tb, fb in self.TERMS:
                        with self.subTest(frm=frm, pa=pa[-1], pb=pb[-1],
                                          ta=ta, tb=tb):
                            self.check_or(
                                frm, "path = %s AND %s" % (q(pa), ta),
                                "path = %s AND %s" % (q(pb), tb),
                                sorted(self.ref(pa, fa) + self.ref(pb, fb)))

    def test_a_named_table_reads_its_own_path(self):
        # A table made with a path reads that path, whatever path = says:
        # its path column is that path in every row, and SQLite tests it.
        # (With an override, SQLite's rewrite of x OR (path = B AND x) as x
        # would read A alone: a silent wrong answer.)
        q = "'" + self.B.replace("'", "''") + "'"
        qa = "'" + self.A.replace("'", "''") + "'"
        self.assertEqual(self.q("SELECT DISTINCT path FROM t"), [(self.A,)])
        for ta, fa in self.TERMS:
            self.assertEqual(self.rows("SELECT logFile, eventID FROM t WHERE "
                                       "path = %s AND %s" % (q, ta)), [])
            self.assertEqual(self.rows("SELECT logFile, eventID FROM t WHERE "
                                       "path = %s AND %s" % (qa, ta)),
                             self.ref(self.A, fa))
            for tb, fb in self.TERMS:
                with self.subTest(ta=ta, tb=tb):
                    for w in ("(%s) OR (path = %s AND %s)" % (ta, q, tb),
                              "(path = %s AND %s) OR (%s)" % (q, tb, ta),
                              "(path = %s AND %s) OR (path = %s AND %s)"
                              % (qa, ta, q, tb)):
                        self.assertEqual(
                            self.rows("SELECT logFile, eventID FROM t WHERE "
                                      + w), self.ref(self.A, fa), w)

    def test_or_within_one_path_returns_each_event_once(self):
        # eventName = 'x' and errorCode = 'E' overlap: such events match
        # both terms, in scans of the same path, and come once.
        both = self.ref(self.A, lambda e: e["eventName"] == "x" and
                        e.get("errorCode") == "E")
        self.assertTrue(both)
        want = self.ref(self.A, lambda e: e["eventName"] == "x" or
                        e.get("errorCode") == "E")
        self.check_or("t", "eventName = 'x'", "errorCode = 'E'", want)
        self.check_or("cloudtrail", "path = ?1 AND eventName = 'x'".replace(
            "?1", "'%s'" % self.A), "path = '%s' AND errorCode = 'E'" %
            self.A, want)
        # Three terms, two paths, one path twice.
        sql = ("SELECT logFile, eventID FROM cloudtrail WHERE (path = ?1 AND "
               "eventName = 'x') OR (path = ?2 AND eventName = 'y') OR "
               "(path = ?1 AND errorCode = 'E')")
        self.assertIn("MULTI-INDEX OR", plan(self.db, sql, self.A, self.B))
        self.assertEqual(self.rows(sql, self.A, self.B),
                         sorted(want + self.ref(
                             self.B, lambda e: e["eventName"] == "y")))

    def test_or_across_paths_while_another_statement_reads_the_table(self):
        # The paths are numbered per table while any statement reads it:
        # the open scan of C keeps its number, the OR's paths get others.
        outer = self.db.execute("SELECT rowid, eventID FROM cloudtrail(?)",
                                (self.C,))
        first = outer.fetchone()
        for pa, pb in ((self.A, self.B), (self.C, self.B)):
            self.check_or("cloudtrail", "path = '%s' AND eventName = 'x'" % pa,
                          "path = '%s' AND eventName = 'y'" % pb,
                          sorted(self.ref(pa, lambda e: e["eventName"] == "x")
                                 + self.ref(pb,
                                            lambda e: e["eventName"] == "y")))
        rows = [first] + outer.fetchall()
        self.assertEqual(sorted(r[1] for r in rows),
                         sorted(e for _, e in self.ref(self.C,
                                                       lambda e: True)))
        self.assertEqual(len({r[0] for r in rows}), len(rows))

    def test_nested_paths_give_a_row_per_path(self):
        # The walk of the parent reaches A's files too: two path texts, two
        # rows (their path column differs), as in the union of each path.
        sql = ("SELECT path, logFile, eventID FROM cloudtrail WHERE (path = "
               "?1 AND eventName = 'x') OR (path = ?2 AND eventName = 'x')")
        self.assertIn("MULTI-INDEX OR", plan(self.db, sql, self.dir, self.A))
        got = self.rows(sql, self.dir, self.A)
        union = self.rows(
            "SELECT path, logFile, eventID FROM cloudtrail(?1) WHERE "
            "eventName = 'x' UNION ALL SELECT path, logFile, eventID FROM "
            "cloudtrail(?2) WHERE eventName = 'x'", self.dir, self.A)
        self.assertEqual(got, union)
        self.assertEqual(len(got), len(self.ref(
            self.dir, lambda e: e["eventName"] == "x")) + len(self.ref(
                self.A, lambda e: e["eventName"] == "x")))

    def test_rowid_is_the_same_with_and_without_pushdown(self):
        sql = ("SELECT rowid, logFile, eventID FROM cloudtrail WHERE (path = "
               "?1 AND {n} = 'x') OR (path = ?2 AND {n} IN ('y', 'z'))")
        for pa, pb in ((self.A, self.B), (self.B, self.A)):
            pushed = self.rows(sql.format(n="eventName"), pa, pb)
            plain = self.rows(sql.format(n="+eventName"), pa, pb)
            self.assertIn("MULTI-INDEX OR", plan(
                self.db, sql.format(n="+eventName"), pa, pb))
            self.assertEqual(pushed, plain)
            self.assertEqual(len({r[0] for r in pushed}), len(pushed))
            self.assertEqual(
                sorted(r[1:] for r in pushed),
                sorted(self.ref(pa, lambda e: e["eventName"] == "x") +
                       self.ref(pb, lambda e: e["eventName"] in "yz")))
        # A query of one path keeps the documented numbering: the file's
        # number in the walk times 2^32 plus the event's index in it.
        files = tc.log_files(self.A)
        want = sorted((k << 32 | i, files[k], e["eventID"])
                      for k in range(len(files))
                      for i, e in enumerate(self.events[files[k]])
                      if e["eventName"] == "y")
        for n in ("eventName", "+eventName"):
            self.assertEqual(self.rows(
                "SELECT rowid, logFile, eventID FROM t WHERE %s = 'y'" % n),
                want)

    def test_right_join_keeps_the_tables_unmatched_rows(self):
        # The RIGHT JOIN marks the rows it matched by rowid, then scans the
        # table again for the others.
        sql = ("SELECT d.p, t.eventID FROM (SELECT ? AS p) d RIGHT JOIN t "
               "ON t.path = d.p AND t.eventName = 'x'")
        self.assertIn("RIGHT-JOIN", plan(self.db, sql, self.A))
        for p in (self.A, self.B):
            want = sorted([(p, e) for _, e in self.ref(
                self.A, lambda e: e["eventName"] == "x") if p == self.A] +
                [(None, e) for _, e in self.ref(
                    self.A, lambda e: p != self.A or e["eventName"] != "x")],
                key=repr)
            self.assertEqual(sorted(self.q(sql, p), key=repr), want)

    def test_more_paths_than_rowids_can_tell_apart(self):
        for k in range(130):
            self.write("many/d%03d/a.json" % k,
                       '{"eventName":"x","eventID":"%d"}' % k)
        self.db.execute("CREATE TEMP TABLE dirs(p TEXT)")
        self.db.executemany(
            "INSERT INTO dirs VALUES (?)",
            [(os.path.join(self.dir, "many", "d%03d" % k),) for k in
             range(130)])
        join = ("SELECT %s FROM (SELECT p FROM dirs WHERE rowid <= ?) d "
                "JOIN cloudtrail c ON c.path = d.p")
        # 128 paths: every event its own rowid (one scan of one cursor).
        rowids = [r[0] for r in self.q(join % "c.rowid", 128)]
        self.assertEqual(len(rowids), 128)
        self.assertEqual(len(set(rowids)), 128)
        # Again: the numbering starts over once the statement is done.
        self.assertEqual(sorted(r[0] for r in self.q(join % "c.rowid", 128)),
                         sorted(rowids))
        # 130 paths: a plain join never reads rowids and works...
        self.assertEqual(len(self.q(join % "c.eventID", 130)), 130)
        # ... while reading them is an error that says what to do.
        msg = self.error(join % "c.rowid", 130)
        self.assertIn("more than 128 different paths read through one table",
                      msg)
        self.assertIn("UNION ALL", msg)
        self.assertIn("d128", msg)  # the path that had no room


# ---------------------------------------------------------------------------
# SQLite's comparisons, from its source (main.c, util.c), on UTF-8 bytes.

def binary_eq(a, b):
    return a == b


def nocase_eq(a, b):
    """nocaseCollatingFunc: sqlite3StrNICmp over the shorter length (it
    stops at a NUL in the left text), then the difference of lengths."""
    def low(c):
        return c + 32 if 65 <= c <= 90 else c
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] != 0 and low(a[i]) == low(b[i]):
        i += 1
    r = 0 if i == n else low(a[i]) - low(b[i])
    return (r if r else len(a) - len(b)) == 0


def rtrim_eq(a, b):
    return a.rstrip(b" ") == b.rstrip(b" ")


VALUES = ["a\0X", "a\0Y", "A\0x", "a\0", "a", "A", "a\0XY", "a\0x", "\0",
          "\0a", "\0A", "ab", "AB", "a \0", "a\0 ", "A\0X ", "a\0\0", "A\0\0",
          "a ", "", "\0\0", "x\0a\0X", "X\0a\0Y"]
PROBES = VALUES + ["b\0X", "a\0Z", "ab\0"]


class NulNocase(tc.TempDir):
    """eventName values with NUL characters (written \\u0000 in the files):
    pushed-down =, NOCASE and IN give SQLite's own answers."""

    def setUp(self):
        super().setUp()
        # One file of every value; one without any NUL or escape (the byte
        # search may skip it); one where few events have the NUL (events
        # passed over by the byte search).
        self.write("f0.json", json.dumps({"Records": [
            {"eventName": v, "eventID": "v%d" % i}
            for i, v in enumerate(VALUES)]}))
        self.write("f1.json", json.dumps({"Records": [
            {"eventName": v, "eventID": "p%d" % i}
            for i, v in enumerate(["a", "aX", "AX", "ab", "b"])]}))
        self.write("f2.json", json.dumps({"Records": [
            {"eventName": "a\0Y" if i == 7 else "n%d" % i,
             "eventID": "s%d" % i} for i in range(20)]}))
        self.all = dict(self.q("SELECT eventID, eventName FROM "
                               "cloudtrail(?)", self.dir))
        self.assertEqual(self.all["v0"], "a\0X")

    def ids(self, where, *args):
        return sorted(r[0] for r in self.q(
            "SELECT eventID FROM cloudtrail(?) WHERE " + where, self.dir,
            *args))

    def expect(self, eq, *probes):
        return sorted(i for i, v in self.all.items()
                      if any(eq(v.encode(), p.encode()) for p in probes))

    def three(self, where, *args):
        """where with {n} as eventName, +eventName, CAST(eventName AS TEXT):
        the three answers, which must agree."""
        a = self.ids(where.format(n="eventName"), *args)
        b = self.ids(where.format(n="+eventName"), *args)
        c = self.ids(where.format(n="CAST(eventName AS TEXT)"), *args)
        self.assertEqual(a, b, where + " " + repr(args))
        self.assertEqual(a, c, where + " " + repr(args))
        return a

    def test_equality_under_nocase_stops_at_a_nul_as_sqlite_does(self):
        for p in PROBES:
            with self.subTest(probe=p):
                self.assertEqual(self.three("{n} = ? COLLATE NOCASE", p),
                                 self.expect(nocase_eq, p))
        # The case: on main, a\0Y was missed when pushed down. Of
        # the same length as a\0X and equal up to the NUL: a\0X, a\0Y, A\0x,
        # a\0x, a\0 + space, a\0\0, A\0\0 (f0.json) and a\0Y (f2.json).
        self.assertEqual(
            self.three("{n} = char(97, 0, 88) COLLATE NOCASE"),
            ["s7", "v0", "v1", "v14", "v16", "v17", "v2", "v7"])

    def test_equality_under_binary_compares_every_byte(self):
        for p in PROBES:
            with self.subTest(probe=p):
                self.assertEqual(self.three("{n} = ?", p),
                                 self.expect(binary_eq, p))
                self.assertEqual(self.three("{n} = ? COLLATE RTRIM", p),
                                 self.expect(rtrim_eq, p))

    def test_in_lists_under_every_collation(self):
        for p in PROBES:
            for where, eq in (
                    ("{n} IN (?, 'zz')", binary_eq),
                    ("{n} COLLATE NOCASE IN (?, 'zz')", nocase_eq),
                    ("{n} IN (SELECT ? COLLATE NOCASE)", nocase_eq),
                    ("{n} IN (SELECT ? COLLATE RTRIM)", rtrim_eq)):
                with self.subTest(probe=p, where=where):
                    self.assertEqual(self.three(where, p),
                                     self.expect(eq, p))
        # Several values at once.
        for where, eq in (("{n} IN (?, ?, ?)", binary_eq),
                          ("{n} COLLATE NOCASE IN (?, ?, ?)", nocase_eq)):
            args = ("A\0Q", "\0b", "a ")
            self.assertEqual(self.three(where, *args),
                             self.expect(eq, *args))

    def stats(self):
        return json.loads(self.q1("SELECT cloudtrail_stats()"))

    def test_byte_search_stays_exact_for_values_with_nul(self):
        # A NUL can only be written \u0000 in JSON: an escape of a character
        # of the value, so files and events holding one are parsed...
        want = self.expect(nocase_eq, "A\0Z")
        self.assertIn("s7", want)  # a\0Y, the one of f2.json
        self.assertEqual(self.ids("eventName = char(65, 0, 90) COLLATE "
                                  "NOCASE"), want)
        st = self.stats()
        # ... f1.json has no escape at all: no NUL, skipped unparsed; in
        # f2.json the events without one are passed over.
        self.assertEqual((st["files_skipped_text"], st["files_read"]), (1, 2))
        self.assertGreaterEqual(st["records_skipped"], 19)
        # BINARY, one value: the places of the values, found once per file.
        self.assertEqual(self.ids("eventName = ?", "a\0Y"), ["s7", "v1"])
        self.assertEqual(self.stats()["files_skipped_text"], 1)
        # IN (loose match): the value is searched for up to its NUL.
        self.assertEqual(self.ids("eventName IN (SELECT ? COLLATE NOCASE)",
                                  "A\0Z"), want)
        # No text starts with q or Q: every file is skipped unparsed, those
        # with \u0000 escapes too (what follows a NUL does not count).
        self.assertEqual(self.ids("eventName IN (SELECT ? COLLATE NOCASE)",
                                  "Q\0Z"), [])
        st = self.stats()
        self.assertEqual((st["files_skipped_text"], st["files_read"]), (3, 0))


if __name__ == "__main__":
    tc.main(__name__)
