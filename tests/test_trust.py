#!/usr/bin/python3
"""What a database file someone hands you can make the extension do, and how
long scans are stopped (issue 12), through Python's sqlite3 module.

    /usr/bin/python3 tests/test_trust.py build/cloudtrail [-k PATTERN]

StoredTables: a cloudtrail table stored in a database file made by another
process reads files only after the connection that uses it consents
(cloudtrail_trust_stored), whatever PRAGMA trusted_schema says; the file's
views and triggers cannot consent for it; TEMP tables and the table-valued
form always read; ATTACHed files are stored tables too.

ProgressHandler: Python's set_progress_handler ends scans that return no row
for a long time (a grouped scan, a scan whose pushdown skips every file, a
long walk over entries that are not logs) with "interrupted".

Ends with "N passed, N failed".
"""
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_cloudtrail as tc  # noqa: E402

EVENT = '{"eventName":"%s","eventTime":"2024-03-01T10:00:00Z"}\n'


def connect(path=":memory:"):
    db = sqlite3.connect(path, isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(tc.EXT)
    db.enable_load_extension(False)
    return db


def run_elsewhere(dbfile, *statements):
    """Run statements on dbfile in another process that loaded the
    extension: the database someone hands you."""
    script = ("import sqlite3,sys\n"
              "db=sqlite3.connect(sys.argv[2],isolation_level=None)\n"
              "db.enable_load_extension(True)\n"
              "db.load_extension(sys.argv[1])\n"
              "for s in sys.argv[3:]:\n"
              "  db.execute(s)\n"
              "db.close()\n")
    subprocess.run([sys.executable, "-c", script, tc.EXT, dbfile] +
                   list(statements), check=True)


def refusal(schema, table, path):
    return ("cloudtrail: table %s.%s is stored in the database, so it reads "
            "files only if this connection trusts it; to let it read '%s', "
            "first run: SELECT cloudtrail_trust_stored('%s');"
            % (schema, table, path, schema))


class StoredTables(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ct-trust-")
        self.secret = os.path.join(self.dir, "secret")
        os.mkdir(self.secret)
        with open(os.path.join(self.secret, "s.json"), "w") as f:
            f.write(EVENT % "Secret")
        self.evil = os.path.join(self.dir, "evil.db")
        run_elsewhere(
            self.evil,
            "CREATE VIRTUAL TABLE users USING cloudtrail('%s')" % self.secret,
            "CREATE TABLE t(x)",
            # What the file can try: give the consent itself, from a view,
            # a trigger or a column default, and read through a view.
            "CREATE VIEW give AS SELECT cloudtrail_trust_stored(1)",
            "CREATE TRIGGER tr AFTER INSERT ON t BEGIN "
            "SELECT cloudtrail_trust_stored(1); END",
            "CREATE TABLE g(x, y DEFAULT (cloudtrail_trust_stored(1)))",
            "CREATE VIEW v AS SELECT eventName FROM users")
        self.db = connect(self.evil)
        self.opened = [self.db]

    def tearDown(self):
        for db in self.opened:
            db.close()
        shutil.rmtree(self.dir)

    def q(self, sql, *args):
        return self.db.execute(sql, args).fetchall()

    def error(self, sql, *args):
        with self.assertRaises(sqlite3.Error) as cm:
            self.db.execute(sql, args).fetchall()
        return str(cm.exception)

    def scans(self):
        return json.loads(self.q("SELECT cloudtrail_stats()")[0][0])["scan"]

    def test_a_stored_table_reads_nothing_without_consent(self):
        for pragma in ("OFF", "ON"):
            with self.subTest(trusted_schema=pragma):
                self.db.execute("PRAGMA trusted_schema=" + pragma)
                self.assertEqual(self.error("SELECT * FROM users"),
                                 refusal("main", "users", self.secret))
                self.assertEqual(
                    self.error("SELECT count(*) FROM users WHERE "
                               "eventName = 'Secret'"),
                    refusal("main", "users", self.secret))
                # Refused before any scan started: no file was touched.
                self.assertEqual(self.scans(), 0)

    def test_consent_for_one_schema_or_every_one_and_withdrawn(self):
        self.assertEqual(self.q("SELECT cloudtrail_trust_stored('main')"),
                         [(1,)])
        self.assertEqual(self.q("SELECT eventName FROM users"),
                         [("Secret",)])
        self.assertEqual(self.q("SELECT cloudtrail_trust_stored(0)"), [(0,)])
        self.assertEqual(self.error("SELECT * FROM users"),
                         refusal("main", "users", self.secret))
        self.assertEqual(self.q("SELECT cloudtrail_trust_stored(1)"), [(1,)])
        self.assertEqual(self.q("SELECT eventName FROM users"),
                         [("Secret",)])

    def test_the_files_views_and_triggers_cannot_consent(self):
        for pragma in ("OFF", "ON"):
            with self.subTest(trusted_schema=pragma):
                self.db.execute("PRAGMA trusted_schema=" + pragma)
                self.assertIn("unsafe use of cloudtrail_trust_stored()",
                              self.error("SELECT * FROM give"))
                self.assertIn("unsafe use of cloudtrail_trust_stored()",
                              self.error("INSERT INTO t VALUES (1)"))
                self.assertIn("unsafe use of cloudtrail_trust_stored()",
                              self.error("INSERT INTO g(x) VALUES (1)"))
                self.assertIn("unsafe use of virtual table",
                              self.error("SELECT * FROM v"))
                self.assertEqual(self.error("SELECT * FROM users"),
                                 refusal("main", "users", self.secret))

    def test_bad_arguments_of_the_consent_function(self):
        self.assertEqual(
            self.error("SELECT cloudtrail_trust_stored(NULL)"),
            "cloudtrail_trust_stored() takes 1 (trust the cloudtrail tables "
            "stored in every database), 0 (withdraw that) or a database name "
            "such as 'main'")
        self.assertEqual(self.error("SELECT cloudtrail_trust_stored('nope')"),
                         "cloudtrail_trust_stored: no database named 'nope'")
        self.assertEqual(self.error("SELECT * FROM users"),
                         refusal("main", "users", self.secret))

    def test_temp_tables_and_the_table_valued_form_always_read(self):
        self.db.execute("CREATE VIRTUAL TABLE temp.mine USING "
                        "cloudtrail('%s')" % self.secret)
        self.assertEqual(self.q("SELECT eventName FROM mine"), [("Secret",)])
        self.assertEqual(self.q("SELECT eventName FROM cloudtrail(?)",
                                self.secret), [("Secret",)])
        self.db.execute("CREATE TEMP VIEW tv AS SELECT eventName FROM mine")
        self.assertEqual(self.q("SELECT * FROM tv"), [("Secret",)])
        # A TEMP view over the stored table is still refused.
        self.db.execute("CREATE TEMP VIEW tu AS SELECT eventName FROM users")
        self.assertEqual(self.error("SELECT * FROM tu"),
                         refusal("main", "users", self.secret))
        # A stored table without arguments names no files: the query does.
        other = os.path.join(self.dir, "other.db")
        run_elsewhere(other, "CREATE VIRTUAL TABLE bare USING cloudtrail")
        self.db.execute("ATTACH ? AS o", (other,))
        self.assertEqual(self.q("SELECT eventName FROM o.bare(?)",
                                self.secret), [("Secret",)])

    def test_a_stored_table_named_cloudtrail_cannot_bend_the_function(self):
        # Stored in main, it would take the place of cloudtrail('/x') with
        # its own options (max_delay drops events): refused instead.
        logs = os.path.join(self.dir, "logs")
        os.mkdir(logs)
        with open(os.path.join(logs, "a.json"), "w") as f:
            f.write(EVENT % "Mine")
        other = os.path.join(self.dir, "other.db")
        run_elsewhere(other, "CREATE VIRTUAL TABLE cloudtrail USING "
                             "cloudtrail('%s', 'max_delay=1s')" % self.secret)
        db = connect(other)
        self.opened.append(db)
        with self.assertRaises(sqlite3.Error) as cm:
            db.execute("SELECT eventName FROM cloudtrail(?)", (logs,))
        self.assertEqual(str(cm.exception),
                         refusal("main", "cloudtrail", self.secret))

    def test_a_table_created_on_this_connection_needs_consent_too(self):
        # The same rule in the session that creates the table and in every
        # later one (SQLite cannot tell the extension which it is).
        mine = os.path.join(self.dir, "mine.db")
        for n in range(2):
            db = connect(mine)
            self.opened.append(db)
            if n == 0:
                db.execute("CREATE VIRTUAL TABLE trail USING "
                           "cloudtrail('%s')" % self.secret)
            with self.assertRaises(sqlite3.Error) as cm:
                db.execute("SELECT eventName FROM trail").fetchall()
            self.assertEqual(str(cm.exception),
                             refusal("main", "trail", self.secret))
            db.execute("SELECT cloudtrail_trust_stored('main')")
            self.assertEqual(
                db.execute("SELECT eventName FROM trail").fetchall(),
                [("Secret",)])
            db.close()

    def test_an_attached_file_is_trusted_by_its_own_name_and_file(self):
        db = connect()
        self.opened.append(db)
        self.db = db
        db.execute("ATTACH ? AS e", (self.evil,))
        self.assertEqual(self.error("SELECT * FROM e.users"),
                         refusal("e", "users", self.secret))
        self.assertEqual(self.q("SELECT cloudtrail_trust_stored('main')"),
                         [(1,)])
        self.assertEqual(self.error("SELECT * FROM e.users"),
                         refusal("e", "users", self.secret))
        self.assertEqual(self.q("SELECT cloudtrail_trust_stored('e')"),
                         [(1,)])
        self.assertEqual(self.q("SELECT eventName FROM e.users"),
                         [("Secret",)])
        # Another file attached under the same name is not trusted.
        copy = os.path.join(self.dir, "copy.db")
        shutil.copy(self.evil, copy)
        db.execute("DETACH e")
        db.execute("ATTACH ? AS e", (copy,))
        self.assertEqual(self.error("SELECT * FROM e.users"),
                         refusal("e", "users", self.secret))
        self.assertEqual(self.q("SELECT cloudtrail_trust_stored(1)"), [(1,)])
        self.assertEqual(self.q("SELECT eventName FROM e.users"),
                         [("Secret",)])


class ProgressHandler(unittest.TestCase):
    """A progress handler that says stop ends scans that return no row for
    a long time, mid-scan: SQLite calls it only while its VDBE runs, so the
    scan steps a statement of its own at each check (README, "Interrupts")."""

    @classmethod
    def setUpClass(cls):
        # 120 files of 400 events, 2.5 KB each (120 MB of JSON, 1 MB of
        # gzip): scans of a tenth of a second or more, with a check before
        # each file.
        cls.dir = tempfile.mkdtemp(prefix="ct-progress-")
        cls.trail = os.path.join(cls.dir, "trail")
        cls.nfiles, cls.nevents = 120, 400
        names = ["DescribeInstances", "GetObject", "AssumeRole",
                 "ConsoleLogin", "PutObject"]
        pad = "x" * 2400
        for i in range(cls.nfiles):
            d = os.path.join(cls.trail, "d%d" % (i // 20))
            os.makedirs(d, exist_ok=True)
            with gzip.open(os.path.join(d, "f%03d.json.gz" % i), "wt",
                           compresslevel=1) as f:
                f.write("".join(
                    '{"eventName":"%s","eventTime":"2024-03-01T10:00:00Z",'
                    '"userIdentity":{"type":"IAMUser","userName":"u%d"},'
                    '"requestParameters":{"n":%d,"pad":"%s"}}\n'
                    % (names[(i + j) % 5], j % 7, j, pad)
                    for j in range(cls.nevents)))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def setUp(self):
        self.db = connect()

    def tearDown(self):
        self.db.close()

    def stats(self):
        return json.loads(self.db.execute(
            "SELECT cloudtrail_stats()").fetchone()[0])

    def stopped(self, sql, *args, n=100, after=0.0):
        """Run sql with a progress handler (every n opcodes) that says stop
        from `after` seconds on; returns the error and the scan's stats."""
        t0 = time.monotonic()
        self.db.set_progress_handler(
            lambda: time.monotonic() - t0 >= after, n)
        try:
            with self.assertRaises(sqlite3.OperationalError) as cm:
                self.db.execute(sql, args).fetchall()
        finally:
            self.db.set_progress_handler(None, 1)
        self.assertEqual(str(cm.exception), "interrupted")
        self.assertEqual(cm.exception.sqlite_errorname, "SQLITE_INTERRUPT")
        return self.stats()

    def test_a_grouped_scan_stops_while_it_counts(self):
        sql = ("SELECT eventName, count(*) FROM cloudtrail(?, ?) "
               "GROUP BY eventName")
        for opts in ("threads=0", "threads=2"):
            with self.subTest(opts=opts):
                want = self.db.execute(sql, (self.trail, opts)).fetchall()
                self.assertEqual(sum(n for _, n in want),
                                 self.nfiles * self.nevents)
                st = self.stopped(sql, self.trail, opts)
                # Inside xFilter (the count), not after it: on the rows.
                self.assertFalse(st["done"])
                self.assertLess(st["files_read"], self.nfiles)
                # A handler that lets it go changes nothing.
                calls = []

                def go_on():
                    calls.append(1)
                    return 0
                self.db.set_progress_handler(go_on, 100)
                got = self.db.execute(sql, (self.trail, opts)).fetchall()
                self.db.set_progress_handler(None, 1)
                self.assertEqual(got, want)
                self.assertGreater(len(calls), 0)

    def test_a_scan_whose_pushdown_skips_every_file_stops(self):
        for where in ("eventName = 'NoSuchEvent'",
                      "eventTime >= '2030-01-01'"):
            with self.subTest(where=where):
                sql = "SELECT * FROM cloudtrail(?) WHERE " + where
                self.assertEqual(self.db.execute(sql, (self.trail,))
                                 .fetchall(), [])
                st = self.stopped(sql, self.trail)
                self.assertFalse(st["done"])

    def test_a_long_walk_over_entries_that_are_not_logs_stops(self):
        # 3,000 directories of ten files that are not logs: a walk of
        # tens of milliseconds that finds nothing (links would not do: the
        # walk reads a directory reached twice once). The handler, called
        # every 1,000 opcodes as Datasette does, says stop after 20 ms.
        top = os.path.join(self.dir, "many")
        for i in range(3000):
            d = os.path.join(top, "d%04d" % i)
            os.makedirs(d)
            for k in range(10):
                open(os.path.join(d, "n%d.txt" % k), "w").close()
        st = self.stopped("SELECT count(*) FROM cloudtrail(?)", top,
                          n=1000, after=0.02)
        self.assertFalse(st["done"])
        self.assertEqual(st["files"], 0)


if __name__ == "__main__":
    tc.main(__name__)
