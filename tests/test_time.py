#!/usr/bin/python3
"""Time literals and copies (issue 11): every unambiguous form people and
tools write is read as the instant it names; a range comparison with a value
that is not a time is an error that says what to write; a copy made with
sql/copy.sql answers every time question as the table does.

    /usr/bin/python3 tests/test_time.py build/cloudtrail [-k PATTERN]

The reference for every count is Python's own reading of the event times
(datetime), not the extension.
"""
import datetime
import json
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_cloudtrail as tc  # noqa: E402

ROOT = tc.ROOT
UTC = datetime.timezone.utc
REAL = os.path.join(ROOT, "tests", "data", "real", "invictus-ir")


def dt(*a):
    return datetime.datetime(*a, tzinfo=UTC)


# (literal, the instant it names): forms from issue 11 and the README.
FORMS = [
    ("2023-07-10 12:30 UTC", dt(2023, 7, 10, 12, 30)),
    ("2023-07-10 12:30 utc", dt(2023, 7, 10, 12, 30)),
    ("2023-07-10 12:30:00 GMT", dt(2023, 7, 10, 12, 30)),
    ("2023-07-10T12:30:00z", dt(2023, 7, 10, 12, 30)),
    ("2023-07-10 12:30:00 +00:00", dt(2023, 7, 10, 12, 30)),
    ("2023-07-10 14:30:00 +0200", dt(2023, 7, 10, 12, 30)),
    ("2023-07-10T07:30-05", dt(2023, 7, 10, 12, 30)),
    ("2023-07-10 12:30:00.000000000", dt(2023, 7, 10, 12, 30)),
    ("2023-07-10 12:30:00.5", dt(2023, 7, 10, 12, 30, 0, 500000)),
    ("2023/07/10", dt(2023, 7, 10)),
    ("2023/7/10 12:30", dt(2023, 7, 10, 12, 30)),
    ("20230710", dt(2023, 7, 10)),
    ("20230710T123000Z", dt(2023, 7, 10, 12, 30)),
    ("20230710T1230", dt(2023, 7, 10, 12, 30)),
    ("2023-7-10", dt(2023, 7, 10)),
    ("2023-7-10 9:05", dt(2023, 7, 10, 9, 5)),
    ("2023-07-10 12", dt(2023, 7, 10, 12)),
    ("2023-07", dt(2023, 7, 1)),
    ("2023-07-10T12:10:00Z", dt(2023, 7, 10, 12, 10)),
    ("2023-07-10 12:00", dt(2023, 7, 10, 12)),
]

# Values a range comparison must refuse: (SQL expression, text in message).
NOT_TIMES = [
    ("'10/07/2023'", "'10/07/2023'"),
    ("'07/10/2023'", "'07/10/2023'"),
    ("'2023-07-10 12:30 PM'", "'2023-07-10 12:30 PM'"),
    ("'2023-07-10 9:05 am'", "'2023-07-10 9:05 am'"),
    ("'yesterday'", "'yesterday'"),
    ("''", "''"),
    ("'2023-07-10 12:30 EST'", "'2023-07-10 12:30 EST'"),
]
NUMBERS = ["1688992200", "1688992200000", "unixepoch('2023-07-10')",
           "1688992200.5", "-1"]
OPS = ["<", "<=", ">", ">="]


def py_op(op):
    return {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
            "=": lambda a, b: a == b}[op]


class Base(tc.Base):
    @classmethod
    def setUpClass(cls):
        cls.times = []
        for p in tc.log_files(REAL):
            for e in tc.read_events(p):
                cls.times.append(tc.instant(e.get("eventTime")))

    def ref(self, op, b):
        f = py_op(op)
        return sum(1 for t in self.times if t is not None and f(t, b))


class TimeLiterals(Base):
    """Each form, inline and bound, in each comparison, counts as Python's
    reading of the same instant does."""

    def test_each_form_in_each_comparison(self):
        nonzero = 0
        for lit, inst in FORMS:
            for op in OPS + ["="]:
                want = self.ref(op, inst)
                nonzero += want > 0
                for sql, args in (
                        ("eventTime %s '%s'" % (op, lit), ()),
                        ("eventTime %s ?" % op, (lit,))):
                    with self.subTest(where=sql, lit=lit):
                        got = self.q1("SELECT count(*) FROM cloudtrail(?) "
                                      "WHERE " + sql, REAL, *args)
                        self.assertEqual(got, want)
        self.assertGreater(nonzero, len(FORMS))

    def test_between_with_mixed_forms(self):
        lo, hi = "2023-07-10 12:00 UTC", "20230710T121000Z"
        want = sum(1 for t in self.times if t is not None
                   and dt(2023, 7, 10, 12) <= t <= dt(2023, 7, 10, 12, 10))
        self.assertGreater(want, 0)
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?) WHERE "
                                 "eventTime BETWEEN ? AND ?", REAL, lo, hi),
                         want)

    def test_forms_in_the_data_are_read_too(self):
        # The collation reads the data's times by the same grammar: a file
        # whose eventTime values are written in several forms.
        d = tempfile.mkdtemp(prefix="ct-time-")
        self.addCleanup(shutil.rmtree, d)
        vals = ["2024-03-01T10:00:00Z", "2024/03/01 10:00:01",
                "20240301T100002Z", "2024-03-01 10:00:03 +00:00",
                "2024-03-01 10:00:04 UTC", "redacted", "2024-3-1 10:00:05"]
        with open(os.path.join(d, "e.json"), "w") as f:
            json.dump({"Records": [{"eventTime": v, "eventID": str(i)}
                                   for i, v in enumerate(vals)]}, f)
        got = [r[0] for r in self.q(
            "SELECT eventID FROM cloudtrail(?) WHERE eventTime >= "
            "'2024-03-01 10:00:02' ORDER BY eventTime", d)]
        self.assertEqual(got, ["2", "3", "4", "6"])
        # Equality with a text that is not a time stays legal.
        self.assertEqual(self.q("SELECT eventID FROM cloudtrail(?) WHERE "
                                "eventTime = 'redacted'", d), [("5",)])
        # And texts that are not times sort first.
        self.assertEqual(self.q1("SELECT eventID FROM cloudtrail(?) "
                                 "ORDER BY eventTime LIMIT 1", d), "5")


class TimeErrors(Base):
    """A range comparison with a value that is not a time is an error
    naming the value and saying what to write."""

    def test_texts_that_are_not_times(self):
        for val, shown in NOT_TIMES:
            for op in OPS:
                with self.subTest(val=val, op=op):
                    msg = self.error("SELECT count(*) FROM cloudtrail(?) "
                                     "WHERE eventTime %s %s" % (op, val),
                                     REAL)
                    self.assertIn("cloudtrail: eventTime %s %s: not a time"
                                  % (op, shown), msg)
                    self.assertIn("YYYY-MM-DD HH:MM[:SS[.fff]]", msg)
                    self.assertIn("not read: day-first or month-first "
                                  "dates, AM/PM", msg)

    def test_numbers_get_the_unixepoch_hint(self):
        for val in NUMBERS:
            for op in OPS:
                with self.subTest(val=val, op=op):
                    msg = self.error("SELECT count(*) FROM cloudtrail(?) "
                                     "WHERE eventTime %s %s" % (op, val),
                                     REAL)
                    n = self.q1("SELECT %s" % val)
                    self.assertIn("a number is not a time", msg)
                    self.assertIn("write eventTime %s datetime(%s, "
                                  "'unixepoch')" % (op, n), msg)
                    self.assertIn("/ 1000.0", msg)

    def test_bound_parameters(self):
        for v in (1688992200.0, 1688992200, "10/07/2023"):
            with self.subTest(v=v):
                msg = self.error("SELECT count(*) FROM cloudtrail(?) WHERE "
                                 "eventTime > ?", REAL, v)
                self.assertIn("cloudtrail: eventTime > ", msg)

    def test_between(self):
        msg = self.error("SELECT count(*) FROM cloudtrail(?) WHERE eventTime "
                         "BETWEEN '2023-07-10' AND '07/11/2023'", REAL)
        self.assertIn("eventTime <= '07/11/2023': not a time", msg)

    def test_delivery_time_too(self):
        msg = self.error("SELECT count(*) FROM cloudtrail(?) WHERE "
                         "logDeliveryTime COLLATE cloudtrail_time >= "
                         "'10/07/2023'", REAL)
        self.assertIn("logDeliveryTime >= '10/07/2023': not a time", msg)

    def test_equality_stays_legal(self):
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?) WHERE "
                                 "eventTime = 'redacted'", REAL), 0)
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?) WHERE "
                                 "eventTime = 1688992200", REAL), 0)

    def test_where_sqlite_compares_it_keeps_sqlite_rules(self):
        # +eventTime is not handed to the table: SQLite compares a number
        # and a text by its own rule (every text sorts after every number).
        n = sum(1 for t in self.times if t is not None)
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?) WHERE "
                                 "+eventTime >= 1688992200", REAL), n)


class Copies(Base):
    """sql/copy.sql makes a plain table whose time comparisons equal the
    table's: every time query of the suite gives the same rows on both."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gen = tc.generate("trail", "--seed", "7", "--days", "2",
                              "--interval", "60", "--events-per-file", "5",
                              "--late-fraction", "0.1",
                              "--start", "2024-02-28")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.gen)

    def make_copy(self, path):
        self.db.execute("CREATE VIRTUAL TABLE temp.trail USING cloudtrail("
                        "'%s')" % path)
        with open(os.path.join(ROOT, "sql", "copy.sql")) as f:
            self.db.executescript(f.read())
        self.assertEqual(self.q1("SELECT count(*) FROM events"),
                         self.q1("SELECT count(*) FROM trail"))

    def same(self, sql, *args):
        a = self.q(sql.replace("{T}", "trail"), *args)
        b = self.q(sql.replace("{T}", "events"), *args)
        self.assertEqual(sorted(map(repr, a)), sorted(map(repr, b)),
                         msg=sql)
        return a

    def test_the_sql_suite_time_queries(self):
        # Every statement of tests/sql/time.sql, on the table and the copy.
        self.make_copy(REAL)
        with open(os.path.join(ROOT, "tests", "sql", "time.sql")) as f:
            text = "\n".join(line for line in f.read().splitlines()
                             if not line.startswith((".", "--")))
        stmts = [s.strip() for s in text.split(";") if "FROM cloudtrail(" in s]
        self.assertGreater(len(stmts), 8)
        for s in stmts:
            with self.subTest(sql=s):
                self.same(s.replace(
                    "cloudtrail('tests/data/real/invictus-ir')", "{T}"))

    def test_each_form_and_join_order(self):
        self.make_copy(REAL)
        for lit, _ in FORMS:
            for op in OPS + ["="]:
                self.same("SELECT count(*) FROM {T} WHERE eventTime %s ?" % op,
                          lit)
        self.same("SELECT eventID FROM {T} ORDER BY eventTime, eventID")
        # A join with a table of times, in both orders. The times are
        # written in one form (cloudtrail_time) on both sides: SQLite 3.40's
        # join Bloom filter tells different texts apart even when the
        # collation calls them equal (README "Time").
        self.db.execute("CREATE TEMP TABLE w(t TEXT)")
        self.db.executemany("INSERT INTO w VALUES (cloudtrail_time(?))",
                            [(lit,) for lit, _ in FORMS])
        for on in ("e.eventTime = w.t", "w.t = e.eventTime",
                   "e.eventTime >= w.t", "w.t < e.eventTime"):
            self.same("SELECT w.t, count(*) FROM w JOIN {T} e ON %s "
                      "GROUP BY 1" % on)
        a = self.q("SELECT count(*) FROM events e JOIN trail t "
                   "ON e.eventTime = t.eventTime")
        b = self.q("SELECT count(*) FROM events e JOIN trail t "
                   "ON t.eventTime = e.eventTime")
        self.assertEqual(a, b)

    def test_random_windows_on_a_generated_trail(self):
        self.make_copy(self.gen)
        rnd = random.Random(3)
        times = sorted(r[0] for r in self.q("SELECT eventTime FROM trail"))
        forms = [lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"),
                 lambda d: d.strftime("%Y-%m-%d %H:%M:%S UTC"),
                 lambda d: d.strftime("%Y/%m/%d %H:%M"),
                 lambda d: d.strftime("%Y%m%dT%H%M%SZ"),
                 lambda d: d.strftime("%Y-%m-%d"),
                 lambda d: (d + datetime.timedelta(hours=2)).strftime(
                     "%Y-%m-%d %H:%M:%S +0200")]
        n = 40 if tc.QUICK else 150
        for _ in range(n):
            d = tc.instant(rnd.choice(times)) + datetime.timedelta(
                seconds=rnd.choice((-1, 0, 1, 3600, -86400)))
            lo, hi = sorted([d, d + datetime.timedelta(
                minutes=rnd.choice((1, 30, 600, 3000)))])
            a, b = rnd.choice(forms)(lo), rnd.choice(forms)(hi)
            op = rnd.choice(OPS)
            self.same("SELECT count(*) FROM {T} WHERE eventTime BETWEEN ? "
                      "AND ?", a, b)
            self.same("SELECT count(*) FROM {T} WHERE eventTime %s ?" % op, a)

    def test_plain_ctas_copy_is_the_trap(self):
        # What the README warns of: CREATE TABLE AS gives plain TEXT.
        self.make_copy(REAL)
        self.db.execute("CREATE TABLE naive AS SELECT * FROM trail")
        q = "SELECT count(*) FROM %s WHERE eventTime >= '2023-07-10 12:30'"
        self.assertNotEqual(self.q1(q % "naive"), self.q1(q % "trail"))
        self.assertEqual(self.q1(q % "events"), self.q1(q % "trail"))


class CanonicalText(Base):
    """cloudtrail_time(x): one text per instant, CloudTrail's form."""

    def test_forms_give_one_text(self):
        for lit, inst in FORMS:
            want = inst.strftime("%Y-%m-%dT%H:%M:%S")
            if inst.microsecond:
                want += ".%09d" % (inst.microsecond * 1000)
            with self.subTest(lit=lit):
                self.assertEqual(self.q1("SELECT cloudtrail_time(?)", lit),
                                 want + "Z")

    def test_data_round_trips(self):
        rows = self.q("SELECT eventTime, cloudtrail_time(eventTime) FROM "
                      "cloudtrail(?)", REAL)
        self.assertEqual(len(rows), len(self.times))
        for a, b in rows:
            self.assertEqual(a, b)  # CloudTrail's own form already

    def test_not_times_and_numbers(self):
        self.assertEqual(self.q1("SELECT cloudtrail_time('redacted')"),
                         "redacted")
        self.assertIsNone(self.q1("SELECT cloudtrail_time(NULL)"))
        msg = self.error("SELECT cloudtrail_time(1688992200)")
        self.assertIn("datetime(1688992200, 'unixepoch')", msg)


class CastReference(Base):
    """+col drops TEXT affinity; CAST(col AS TEXT) keeps the meaning and
    turns pushdown off."""

    def test_cast_keeps_affinity_and_collation(self):
        acct = self.q1("SELECT recipientAccountId FROM cloudtrail(?) LIMIT 1",
                       REAL)
        n = self.q1("SELECT count(*) FROM cloudtrail(?) WHERE "
                    "recipientAccountId = ?", REAL, acct)
        self.assertGreater(n, 0)
        for ref in ("recipientAccountId", "CAST(recipientAccountId AS TEXT)"):
            self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?) "
                                     "WHERE %s = %s" % (ref, acct), REAL), n)
        # The documented trap: + drops the affinity.
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?) WHERE "
                                 "+recipientAccountId = %s" % acct, REAL), 0)
        plan = " ".join(r[3] for r in self.q(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM cloudtrail(?) WHERE "
            "CAST(eventTime AS TEXT) >= '2023-07-10 12:30' AND "
            "CAST(recipientAccountId AS TEXT) = 1", REAL))
        self.assertNotIn("eventTime", plan)
        self.assertNotIn("recipientAccountId", plan)
        for lit, inst in FORMS[:6]:
            self.assertEqual(
                self.q1("SELECT count(*) FROM cloudtrail(?) WHERE "
                        "CAST(eventTime AS TEXT) >= ?", REAL, lit),
                self.ref(">=", inst))


if __name__ == "__main__":
    tc.main(__name__)
