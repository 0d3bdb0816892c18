#!/usr/bin/python3
"""Tests of the cloudtrail extension through Python's sqlite3 module.

    /usr/bin/python3 tests/test_cloudtrail.py build/cloudtrail [-k PATTERN]

Errors (exact text), query plans, options, the real data checked file by
file against an independent reading with Python's json module, generated
data of every shape, and the skip log. Ends with "N passed, N failed".
"""
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REAL = os.path.join(ROOT, "tests", "data", "real")
GEN = os.path.join(ROOT, "tests", "gen", "ctgen.py")
EXT = None  # set in main()


def connect():
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(EXT)
    db.enable_load_extension(False)
    return db


def read_events(path):
    """An independent reading of a log file: the list of event dicts."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    dec = json.JSONDecoder()
    pos, events = 0, []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= len(text):
            return events
        value, pos = dec.raw_decode(text, pos)
        if isinstance(value, list):
            events.extend(value)
        elif "Records" in value:
            events.extend(value["Records"])
        else:
            events.append(value)


def log_files(top):
    """Log files under top, as the extension walks them (sorted by path)."""
    out = []
    for d, dirs, files in os.walk(top):
        for name in files:
            low = name.lower()
            if low.endswith((".json", ".jsonl", ".ndjson", ".json.gz",
                             ".jsonl.gz", ".ndjson.gz")):
                full = os.path.join(d, name)
                if "CloudTrail-Digest" not in full:
                    out.append(full)
    return sorted(out, key=lambda p: p.encode())


def as_bool(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return int(v.lower() == "true")
    return v


def generate(kind, *args):
    out = tempfile.mkdtemp(prefix="ct-%s-" % kind)
    subprocess.run([sys.executable, GEN, kind, out] + list(args), check=True)
    return out


# How a bad file's error message ends (by default, without on_error=skip).
SKIP_HINT = "; to go on past bad files, use the option on_error=skip"


def unhint(msg):
    return msg[:-len(SKIP_HINT)] if msg.endswith(SKIP_HINT) else msg


def as_nobody(sql, *args):
    """Run sql (parameters args) on a fresh connection as user nobody (CI
    runs as root, which reads every file); returns its rows, or its error
    text, and then the rows of cloudtrail_errors (file, error)."""
    script = (
        "import json,sqlite3,sys\n"
        "db=sqlite3.connect(':memory:')\n"
        "db.enable_load_extension(True)\n"
        "db.load_extension(sys.argv[1])\n"
        "try:\n"
        "  out=db.execute(sys.argv[2],sys.argv[3:]).fetchall()\n"
        "except sqlite3.Error as e:\n"
        "  out=str(e)\n"
        "errs=db.execute('SELECT file,error FROM cloudtrail_errors')"
        ".fetchall()\n"
        "print(json.dumps([out,errs]))\n")
    p = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
         sys.executable, "-c", script, EXT, sql] + list(args),
        capture_output=True, text=True, check=True)
    out, errs = json.loads(p.stdout)
    return (unhint(out) if isinstance(out, str) else
            [tuple(r) for r in out],
            [tuple(r) for r in errs])


class Base(unittest.TestCase):
    def setUp(self):
        self.db = connect()

    def tearDown(self):
        self.db.close()

    def q(self, sql, *args):
        return self.db.execute(sql, args).fetchall()

    def q1(self, sql, *args):
        return self.db.execute(sql, args).fetchone()[0]

    def error(self, sql, *args):
        """The error of sql, without the hint that ends a bad file's
        message (SKIP_HINT; Errors.test_bad_file_errors_say_how_to_go_on
        checks where it is)."""
        with self.assertRaises(sqlite3.Error) as cm:
            self.db.execute(sql, args).fetchall()
        return unhint(str(cm.exception))


class RealData(Base):
    """Every file of the real data: count and fields equal json's reading."""

    def check_file(self, path):
        events = read_events(path)
        rows = self.q(
            "SELECT eventID, eventName, eventTime, eventSource, userArn,"
            " readOnly, recipientAccountId, json(requestParameters),"
            " errorCode, json(record) FROM cloudtrail(?)", path)
        self.assertEqual(len(rows), len(events), path)
        for ev, row in zip(events, rows):
            ui = ev.get("userIdentity") or {}
            exp = (ev.get("eventID"), ev.get("eventName"), ev.get("eventTime"),
                   ev.get("eventSource"), ui.get("arn"),
                   as_bool(ev.get("readOnly")), ev.get("recipientAccountId"))
            self.assertEqual(row[:7], exp, path)
            rp = ev.get("requestParameters")
            if rp is None:
                self.assertIsNone(row[7])
            else:
                self.assertEqual(json.loads(row[7]), rp)
            self.assertEqual(row[8], ev.get("errorCode"))
            self.assertEqual(json.loads(row[9]), ev)

    def test_every_real_file_matches_an_independent_reading(self):
        n = 0
        for path in log_files(REAL):
            if path.endswith("SerializerTestFileBadJsonFormat.json"):
                continue
            with self.subTest(path=path):
                self.check_file(path)
            n += 1
        self.assertGreaterEqual(n, 100)

    def test_whole_real_tree_count_equals_sum_of_files(self):
        total = sum(len(read_events(p)) for p in log_files(REAL)
                    if not p.endswith("BadJsonFormat.json"))
        got = self.q1("SELECT count(*) FROM cloudtrail(?, 'on_error=skip')",
                      REAL)
        self.assertEqual(got, total)

    def test_bad_real_file_names_file_and_offset(self):
        path = os.path.join(REAL, "aws-processing-library",
                            "SerializerTestFileBadJsonFormat.json")
        msg = self.error("SELECT * FROM cloudtrail(?)", path)
        self.assertEqual(msg, "cloudtrail: %s: invalid JSON at offset 1293: "
                              "expected a string key" % path)


class Errors(Base):
    def test_bad_file_errors_say_how_to_go_on(self):
        bad = os.path.join(REAL, "aws-processing-library",
                           "SerializerTestFileBadJsonFormat.json")
        with self.assertRaises(sqlite3.Error) as cm:
            self.db.execute("SELECT * FROM cloudtrail(?)", (bad,)).fetchall()
        self.assertTrue(str(cm.exception).startswith("cloudtrail: %s: "
                                                     "invalid JSON" % bad))
        self.assertTrue(str(cm.exception).endswith(SKIP_HINT))
        # Errors that on_error=skip would not help with have no hint.
        for sql in ("SELECT * FROM cloudtrail(?, 'on_eror=skip')",
                    "SELECT * FROM cloudtrail(?) WHERE eventTime > 5"):
            with self.assertRaises(sqlite3.Error) as cm:
                self.db.execute(sql, (REAL,)).fetchall()
            self.assertNotIn("on_error=skip", str(cm.exception)
                             .replace("on_eror=skip", ""))

    def test_missing_path(self):
        msg = self.error("SELECT * FROM cloudtrail('/no/such/dir')")
        self.assertEqual(msg, "cloudtrail: /no/such/dir: no such file or "
                              "directory")

    def test_glob_without_match(self):
        msg = self.error("SELECT * FROM cloudtrail('/no/such/*/dir')")
        self.assertEqual(msg, "cloudtrail: /no/such/*/dir: no file or "
                              "directory matches the pattern")

    def test_no_path_argument(self):
        msg = self.error("SELECT * FROM cloudtrail")
        self.assertIn("cloudtrail: no path given", msg)

    def test_or_of_terms_still_uses_the_path(self):
        # SQLite plans each OR term without the argument constraints.
        n = self.q1("SELECT count(*) FROM cloudtrail(?) WHERE errorCode LIKE "
                    "'AccessDenied%' OR errorCode LIKE '%Unauthorized%'",
                    os.path.join(REAL, "invictus-ir"))
        exp = sum(1 for p in log_files(os.path.join(REAL, "invictus-ir"))
                  for e in read_events(p)
                  if (e.get("errorCode") or "").lower().startswith(
                      "accessdenied")
                  or "unauthorized" in (e.get("errorCode") or "").lower())
        self.assertEqual(n, exp)
        self.assertGreater(n, 0)

    def test_null_and_wrong_typed_path(self):
        self.assertEqual(self.error("SELECT * FROM cloudtrail(NULL)"),
                         "cloudtrail: the path argument must be text, not "
                         "NULL")
        self.assertEqual(self.error("SELECT * FROM cloudtrail(42)"),
                         "cloudtrail: the path argument must be text, not a "
                         "number or blob")
        self.assertEqual(self.error("SELECT * FROM cloudtrail('')"),
                         "cloudtrail: the path argument is empty")

    def test_unknown_option_is_named(self):
        msg = self.error("SELECT * FROM cloudtrail(?, 'on_eror=skip')", REAL)
        self.assertEqual(msg, 'cloudtrail: unknown option "on_eror" '
                              '(options: on_error, max_file_size, max_delay, threads, progress)')

    def test_bad_option_value_is_named(self):
        msg = self.error("SELECT * FROM cloudtrail(?, 'on_error=maybe')", REAL)
        self.assertEqual(msg, 'cloudtrail: bad value for on_error: "maybe" '
                              '(use fail or skip)')
        msg = self.error("SELECT * FROM cloudtrail(?, 'max_file_size=lots')",
                         REAL)
        self.assertIn('bad value for max_file_size: "lots"', msg)

    def test_create_validates_options(self):
        msg = self.error("CREATE VIRTUAL TABLE t USING cloudtrail('%s', "
                         "colour=blue)" % REAL)
        self.assertEqual(msg, 'cloudtrail: unknown option "colour" '
                              '(options: on_error, max_file_size, max_delay, threads, progress)')
        msg = self.error("CREATE VIRTUAL TABLE t USING cloudtrail('%s', "
                         "on_error)" % REAL)
        self.assertEqual(msg, 'cloudtrail: option "on_error" is not '
                              'key=value')

    def test_create_without_path_is_an_error(self):
        msg = self.error("CREATE VIRTUAL TABLE t USING cloudtrail(on_error=skip)")
        self.assertIn("the first argument must be the path", msg)

    def test_max_file_size_limits_inflated_size(self):
        d = tempfile.mkdtemp()
        try:
            path = os.path.join(d, "big.json.gz")
            ev = {"eventName": "A", "eventTime": "2024-01-01T00:00:00Z",
                  "pad": "x" * 100000}
            with gzip.open(path, "wt") as f:
                json.dump({"Records": [ev] * 30}, f)
            msg = self.error("SELECT count(*) FROM cloudtrail(?, "
                             "'max_file_size=1M')", path)
            self.assertEqual(msg, "cloudtrail: %s: inflates to more than "
                                  "max_file_size (1048576 bytes)" % path)
            self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?, "
                                     "'max_file_size=4M')", path), 30)
        finally:
            shutil.rmtree(d)

    def test_unreadable_file_as_unprivileged_user(self):
        d = tempfile.mkdtemp()
        try:
            os.chmod(d, 0o755)
            path = os.path.join(d, "secret.json")
            with open(path, "w") as f:
                json.dump({"Records": [{"eventName": "A"}]}, f)
            os.chmod(path, 0)
            out, _ = as_nobody("SELECT * FROM cloudtrail(?)", path)
            self.assertEqual(out, "cloudtrail: %s: cannot open: Permission "
                                  "denied" % path)
        finally:
            shutil.rmtree(d)

    def test_directonly_blocks_use_from_a_stored_view(self):
        self.db.execute("CREATE VIEW v AS SELECT * FROM cloudtrail('%s')"
                        % REAL)
        msg = self.error("SELECT count(*) FROM v")
        self.assertIn("unsafe use of virtual table", msg)
        # A TEMP view is the supported pattern.
        self.db.execute("CREATE VIRTUAL TABLE temp.trail USING "
                        "cloudtrail('%s/aws-docs')" % REAL)
        self.db.execute("CREATE TEMP VIEW tv AS SELECT * FROM trail")
        self.assertEqual(self.q1("SELECT count(*) FROM tv"), 1)


class Forms(Base):
    def test_persistent_table_and_options(self):
        self.db.execute("CREATE VIRTUAL TABLE trail USING cloudtrail("
                        "'%s', on_error=skip)" % REAL)
        # Stored in main: it reads files once the connection trusts it.
        self.db.execute("SELECT cloudtrail_trust_stored('main')")
        n = self.q1("SELECT count(*) FROM trail")
        self.assertGreater(n, 3000)
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail_errors "
                                 "WHERE file LIKE '%BadJsonFormat.json'"), 1)
        self.assertEqual(self.q1("SELECT DISTINCT path FROM trail"), REAL)
        self.assertEqual(self.q1("SELECT DISTINCT options FROM trail"),
                         "on_error=skip")

    def test_persistent_table_fails_loudly_by_default(self):
        self.db.execute("CREATE VIRTUAL TABLE trail USING cloudtrail('%s')"
                        % REAL)
        self.db.execute("SELECT cloudtrail_trust_stored('main')")
        self.assertIn("BadJsonFormat.json: invalid JSON",
                      self.error("SELECT count(*) FROM trail"))

    def test_create_is_lazy(self):
        self.db.execute("CREATE VIRTUAL TABLE t USING cloudtrail("
                        "'/not/there/yet')")
        self.db.execute("SELECT cloudtrail_trust_stored('main')")
        self.assertIn("no such file or directory",
                      self.error("SELECT * FROM t"))

    def test_path_as_parameter_and_glob(self):
        n = self.q1("SELECT count(*) FROM cloudtrail(?)",
                    os.path.join(REAL, "*", "mwaa-*.json"))
        self.assertEqual(n, 1)
        n = self.q1("SELECT count(*) FROM cloudtrail(?)",
                    os.path.join(REAL, "[is]*"))
        self.assertEqual(n, 2900 + 310)

    def test_single_file_any_name(self):
        d = tempfile.mkdtemp()
        try:
            path = os.path.join(d, "export.txt")
            shutil.copy(os.path.join(REAL, "aws-docs",
                                     "mwaa-CreateEnvironment-denied.json"),
                        path)
            self.assertEqual(self.q1("SELECT eventName FROM cloudtrail(?)",
                                     path), "CreateEnvironment")
            # ... but a walk ignores names that are not .json etc.: a walk
            # that finds no log file is an error that says so.
            self.assertEqual(
                self.error("SELECT count(*) FROM cloudtrail(?)", d),
                "cloudtrail: %s: no log files found (1 file ignored by name, "
                "e.g. export.txt; names read: .json, .jsonl, .ndjson, each "
                "optionally .gz)" % d)
            self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?, "
                                     "'on_error=skip')", d), 0)
            self.assertEqual(self.q1(
                "SELECT cloudtrail_stats()->>'$.files_ignored'"), 1)
        finally:
            shutil.rmtree(d)

    def test_table_valued_function_in_a_join(self):
        self.db.execute("CREATE TABLE watch(name TEXT)")
        self.db.execute("INSERT INTO watch VALUES ('StopLogging'), "
                        "('DeleteTrail')")
        rows = self.q("SELECT w.name, count(t.eventID) FROM watch w "
                      "LEFT JOIN cloudtrail(?) t ON t.eventName = w.name "
                      "GROUP BY 1 ORDER BY 1",
                      os.path.join(REAL, "stratus-red-team"))
        exp = {}
        for p in log_files(os.path.join(REAL, "stratus-red-team")):
            for e in read_events(p):
                exp[e["eventName"]] = exp.get(e["eventName"], 0) + 1
        self.assertEqual(rows, [("DeleteTrail", exp.get("DeleteTrail", 0)),
                                ("StopLogging", exp["StopLogging"])])

    def test_self_join(self):
        path = os.path.join(REAL, "stratus-red-team")
        n = self.q1("SELECT count(*) FROM cloudtrail(?) a JOIN cloudtrail(?) b"
                    " ON a.eventID = b.eventID", path, path)
        ids = [e["eventID"] for p in log_files(path) for e in read_events(p)]
        self.assertEqual(n, sum(ids.count(i) for i in ids))

    def test_limit_reads_only_the_files_it_needs(self):
        path = os.path.join(REAL, "invictus-ir")
        self.q("SELECT * FROM cloudtrail(?) LIMIT 1", path)
        stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
        self.assertEqual(stats["files_read"], 1)
        self.assertEqual(stats["done"], False)

    def test_threads_option_gives_the_same_rows_in_the_same_order(self):
        path = os.path.join(REAL, "invictus-ir")
        base = self.q("SELECT eventID, logFile FROM cloudtrail(?, "
                      "'threads=0')", path)
        self.assertEqual(len(base), 2900)
        for t in (1, 2, 8):
            self.assertEqual(self.q("SELECT eventID, logFile FROM "
                                    "cloudtrail(?, 'threads=%d')" % t, path),
                             base)
        self.assertIn('bad value for threads: "many"',
                      self.error("SELECT * FROM cloudtrail(?, "
                                 "'threads=many')", path))

    def test_limit_reads_ahead_at_most_four_files_per_thread(self):
        path = os.path.join(REAL, "invictus-ir")
        self.q("SELECT * FROM cloudtrail(?, 'threads=2') LIMIT 1", path)
        stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
        self.assertEqual(stats["files_read"], 1)
        self.assertLessEqual(stats["files_read_ahead"], 8)
        self.assertLessEqual(stats["files"], 9)
        self.assertLess(stats["files"], 55)

    def test_plan_says_when_columns_need_fields(self):
        plan = self.q("EXPLAIN QUERY PLAN SELECT count(*), max(logFile) "
                      "FROM cloudtrail(?)", REAL)
        self.assertEqual(plan[0][3], "SCAN cloudtrail VIRTUAL TABLE INDEX "
                                     "0:path=")
        plan = self.q("EXPLAIN QUERY PLAN SELECT userArn FROM cloudtrail(?)",
                      REAL)
        self.assertEqual(plan[0][3], "SCAN cloudtrail VIRTUAL TABLE INDEX "
                                     "1:path=")

    def test_progress_reports_on_stderr_when_asked(self):
        import re
        path = os.path.join(REAL, "invictus-ir")
        sql = ".load %s\nSELECT count(*) FROM cloudtrail('%s', '%s');\n"
        p = subprocess.run(["sqlite3", ":memory:"],
                           input=(sql % (EXT, path, "progress=1")).encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(p.stdout.decode().strip(), "2900")
        last = p.stderr.decode().split("\r")[-1]
        self.assertRegex(last, r"^cloudtrail: 55 of 55 files, 2900 events, "
                               r"[0-9.]+ MB/s \([0-9.]+ MB/s inflated\), "
                               r"[0-9.]+ s\n$")
        # Off by default: nothing on stderr.
        p = subprocess.run(["sqlite3", ":memory:"],
                           input=(sql % (EXT, path, "")).encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(p.stderr, b"")

    def test_query_plan_consumes_path_and_options(self):
        plan = self.q("EXPLAIN QUERY PLAN SELECT * FROM cloudtrail(?, ?)",
                      REAL, "on_error=skip")
        self.assertEqual([r[3] for r in plan],
                         ["SCAN cloudtrail VIRTUAL TABLE INDEX 1:path=,options="])
        plan = self.q("EXPLAIN QUERY PLAN SELECT * FROM cloudtrail(?)", REAL)
        self.assertEqual([r[3] for r in plan],
                         ["SCAN cloudtrail VIRTUAL TABLE INDEX 1:path="])


class SkipLog(Base):
    def test_stats_and_errors_after_skip(self):
        d = tempfile.mkdtemp()
        try:
            with open(os.path.join(d, "a.json"), "w") as f:
                f.write('{"Records":[{"eventName":"A"}]}')
            with open(os.path.join(d, "b.json"), "w") as f:
                f.write('{"Records":[{"eventName":"B"},')
            with open(os.path.join(d, "c.json"), "w") as f:
                f.write('{"Records":[{"eventName":"C"}]}')
            rows = self.q("SELECT eventName FROM cloudtrail(?, "
                          "'on_error=skip')", d)
            self.assertEqual(rows, [("A",), ("C",)])
            errs = self.q("SELECT file, error FROM cloudtrail_errors")
            self.assertEqual(errs, [(os.path.join(d, "b.json"),
                                     "invalid JSON at offset 30: unexpected "
                                     "end of input")])
            stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
            self.assertEqual((stats["files"], stats["files_read"],
                              stats["files_failed"], stats["records"]),
                             (3, 2, 1, 2))
            # Default: the same tree fails, naming b.json.
            self.assertEqual(self.error("SELECT * FROM cloudtrail(?)", d),
                             "cloudtrail: %s: invalid JSON at offset 30: "
                             "unexpected end of input"
                             % os.path.join(d, "b.json"))
        finally:
            shutil.rmtree(d)

    def test_symlink_loop_is_skipped_and_counted(self):
        d = tempfile.mkdtemp()
        try:
            os.makedirs(os.path.join(d, "a"))
            with open(os.path.join(d, "a", "x.json"), "w") as f:
                f.write('{"eventName":"X","eventTime":"2024-01-01T00:00:00Z"}')
            os.symlink("..", os.path.join(d, "a", "up"))
            os.symlink(os.path.join(d, "a"), os.path.join(d, "b"))
            rows = self.q("SELECT logFile FROM cloudtrail(?)", d)
            # a/x.json; a/up loops; b links to a, walked already: a repeat.
            self.assertEqual(rows, [(os.path.join(d, "a", "x.json"),)])
            stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
            self.assertEqual(stats["loops_skipped"], 1)
            self.assertEqual(stats["dirs_repeated"], 1)
        finally:
            shutil.rmtree(d)


# The CIS checks of ../docs/cis-checks.md written again in Python, on the
# events as json reads them: the reference the sql/cis.sql views must equal.
def _ui(e):
    return e.get("userIdentity") or {}


def _sub(e, field, key):
    v = e.get(field)
    return v.get(key) if isinstance(v, dict) else None


def _glob_suffix(v, s):
    return isinstance(v, str) and v.endswith(s)


CIS_REFERENCE = {
    "root_account_use": lambda e: _ui(e).get("type") == "Root"
    and "invokedBy" not in _ui(e) and e.get("eventType") != "AwsServiceEvent",
    "unauthorized_api_calls": lambda e: _glob_suffix(
        e.get("errorCode"), "UnauthorizedOperation")
    or (isinstance(e.get("errorCode"), str)
        and e["errorCode"].startswith("AccessDenied")),
    "console_signin_without_mfa": lambda e: e.get("eventName") == "ConsoleLogin"
    and _sub(e, "additionalEventData", "MFAUsed") != "Yes"
    and _ui(e).get("type") == "IAMUser"
    and _sub(e, "responseElements", "ConsoleLogin") == "Success",
    "console_signin_without_mfa_short": lambda e:
    e.get("eventName") == "ConsoleLogin"
    and _sub(e, "additionalEventData", "MFAUsed") != "Yes",
    "iam_policy_changes": lambda e: e.get("eventName") in (
        "DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy",
        "PutGroupPolicy", "PutRolePolicy", "PutUserPolicy", "CreatePolicy",
        "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion",
        "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy",
        "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy"),
    "cloudtrail_changes": lambda e: e.get("eventName") in (
        "CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging",
        "StopLogging"),
    "console_auth_failures": lambda e: e.get("eventName") == "ConsoleLogin"
    and e.get("errorMessage") == "Failed authentication",
    "kms_key_disable_delete": lambda e:
    e.get("eventSource") == "kms.amazonaws.com"
    and e.get("eventName") in ("DisableKey", "ScheduleKeyDeletion"),
    "s3_bucket_policy_changes": lambda e:
    e.get("eventSource") == "s3.amazonaws.com" and e.get("eventName") in (
        "PutBucketAcl", "PutBucketPolicy", "PutBucketCors",
        "PutBucketLifecycle", "PutBucketReplication", "DeleteBucketPolicy",
        "DeleteBucketCors", "DeleteBucketLifecycle",
        "DeleteBucketReplication"),
    "config_changes": lambda e: e.get("eventSource") == "config.amazonaws.com"
    and e.get("eventName") in ("StopConfigurationRecorder",
                               "DeleteDeliveryChannel", "PutDeliveryChannel",
                               "PutConfigurationRecorder"),
    "security_group_changes": lambda e: e.get("eventName") in (
        "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
        "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress",
        "CreateSecurityGroup", "DeleteSecurityGroup",
        "ModifySecurityGroupRules"),
    "nacl_changes": lambda e: e.get("eventName") in (
        "CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl",
        "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry",
        "ReplaceNetworkAclAssociation"),
    "network_gateway_changes": lambda e: e.get("eventName") in (
        "CreateCustomerGateway", "DeleteCustomerGateway",
        "AttachInternetGateway", "CreateInternetGateway",
        "DeleteInternetGateway", "DetachInternetGateway"),
    "route_table_changes": lambda e: e.get("eventName") in (
        "CreateRoute", "CreateRouteTable", "ReplaceRoute",
        "ReplaceRouteTableAssociation", "DeleteRouteTable", "DeleteRoute",
        "DisassociateRouteTable"),
    "vpc_changes": lambda e: e.get("eventName") in (
        "CreateVpc", "DeleteVpc", "ModifyVpcAttribute",
        "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
        "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection",
        "AttachClassicLinkVpc", "DetachClassicLinkVpc",
        "DisableVpcClassicLink", "EnableVpcClassicLink"),
    "organizations_changes": lambda e:
    e.get("eventSource") == "organizations.amazonaws.com"
    and e.get("eventName") in (
        "AcceptHandshake", "AttachPolicy", "CreateAccount",
        "CreateOrganizationalUnit", "CreatePolicy", "DeclineHandshake",
        "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy",
        "DetachPolicy", "DisablePolicyType", "EnablePolicyType",
        "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
        "RemoveAccountFromOrganization", "UpdatePolicy",
        "UpdateOrganizationalUnit"),
}


class CisViews(Base):
    """Every view of sql/cis.sql equals the Python reference, event by event."""

    def check_tree(self, top, min_checks_hit):
        self.db.execute("CREATE VIRTUAL TABLE temp.trail USING cloudtrail("
                        "'%s')" % top.replace("'", "''"))
        with open(os.path.join(ROOT, "sql", "cis.sql")) as f:
            self.db.executescript(f.read())
        events = [e for p in log_files(top) for e in read_events(p)]
        views = [r[0] for r in self.q(
            "SELECT name FROM sqlite_temp_master WHERE type = 'view' AND "
            "name GLOB 'cis_*' AND name != 'cis_summary'")]
        self.assertEqual(sorted(v[4:] for v in views), sorted(CIS_REFERENCE))
        hit = 0
        for name, ref in sorted(CIS_REFERENCE.items()):
            exp = sorted(e.get("eventID") or "" for e in events if ref(e))
            got = sorted(r[0] or "" for r in self.q(
                "SELECT eventID FROM cis_%s" % name))
            self.assertEqual(got, exp, name)
            hit += bool(exp)
        summary = dict(self.q("SELECT check_name, events FROM cis_summary"))
        self.assertEqual(summary, {n: sum(1 for e in events if r(e))
                                   for n, r in CIS_REFERENCE.items()})
        self.assertGreaterEqual(hit, min_checks_hit)

    def test_views_on_the_examples(self):
        self.check_tree(os.path.join(ROOT, "examples", "logs"), 10)


class GeneratedShapes(Base):
    """Every file shape from tests/gen/ctgen.py, checked against its
    expected.json (written by the generator from Python's own reading)."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ct-shapes-")
        cls.top = os.path.join(cls.dir, "shapes")
        cls.expected_path = os.path.join(cls.dir, "expected.json")
        subprocess.run([sys.executable, GEN, "shapes", cls.top, "--expected",
                        cls.expected_path], check=True,
                       stdout=subprocess.DEVNULL)
        with open(cls.expected_path) as f:
            cls.expected = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def test_each_shape_gives_its_events_in_order(self):
        self.assertGreaterEqual(len(self.expected), 20)
        for rel, events in sorted(self.expected.items()):
            with self.subTest(file=rel):
                rows = self.q("SELECT eventID, eventName FROM cloudtrail(?)",
                              os.path.join(self.top, rel))
                self.assertEqual(rows, [(e["eventID"], e["eventName"])
                                        for e in events])

    def test_directory_walk_reads_every_shape_once_and_skips_the_rest(self):
        rows = self.q("SELECT logFile, count(*) FROM cloudtrail(?) "
                      "GROUP BY 1 ORDER BY 1", self.top)
        got = {os.path.relpath(f, self.top): n for f, n in rows}
        exp = {rel: len(ev) for rel, ev in self.expected.items() if ev}
        self.assertEqual(got, exp)
        stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
        self.assertEqual(stats["files"], len(self.expected))  # empties too
        self.assertEqual(stats["files_ignored"], 2)  # notes.txt, data.csv
        # Byte order of the full path.
        files = [r[0] for r in self.q(
            "SELECT DISTINCT logFile FROM cloudtrail(?)", self.top)]
        self.assertEqual(files, sorted(files, key=lambda f: f.encode()))

    def test_columns_agree_with_sqlite_json_on_every_shape(self):
        # SQLite 3.40's JSON paths compare keys undecoded, so they miss a key
        # written "event\\u004eame"; we decode it (test_escapes_...).
        n_escaped_key = self.q1("SELECT count(*) FROM cloudtrail(?) WHERE "
                                "instr(record, '\"event\\u004eame\"')",
                                self.top)
        self.assertGreater(n_escaped_key, 0)
        bad = self.q1(
            "SELECT count(*) FROM cloudtrail(?) WHERE "
            "instr(record, '\"event\\u004eame\"') = 0 AND ("
            "eventName IS NOT (record->>'$.eventName') OR "
            "eventTime IS NOT (record->>'$.eventTime') OR "
            "userAgent IS NOT (record->>'$.userAgent') OR "
            "json(requestParameters) IS NOT (record->>'$.requestParameters')"
            " OR userArn IS NOT (record->>'$.userIdentity.arn'))", self.top)
        self.assertEqual(bad, 0)

    def test_escapes_are_decoded(self):
        rows = self.q("SELECT eventName, record FROM cloudtrail(?)",
                      os.path.join(self.top, "escapes.json"))
        self.assertTrue(rows)
        raw = open(os.path.join(self.top, "escapes.json"), "rb").read()
        self.assertIn(b"\\u", raw)
        for name, record in rows:
            self.assertEqual(name, json.loads(record)["eventName"])
            self.assertNotIn("\\", name)

    def test_duplicate_key_takes_the_first_like_sqlite(self):
        rows = self.q("SELECT eventName, record->>'$.eventName', eventID, "
                      "record->>'$.eventID' FROM cloudtrail(?)",
                      os.path.join(self.top, "dupkeys.json"))
        self.assertTrue(rows)
        for a, b, c, d in rows:
            self.assertEqual((a, c), (b, d))
        exp = self.expected["dupkeys.json"]
        self.assertEqual([r[0] for r in rows], [e["eventName"] for e in exp])

    def test_big_numbers_keep_their_text(self):
        text = "".join(r[0] or "" for r in self.q(
            "SELECT requestParameters FROM cloudtrail(?)",
            os.path.join(self.top, "bigints.json")))
        raw = open(os.path.join(self.top, "bigints.json")).read()
        for num in ("18446744073709551615", "9007199254740993"):
            self.assertIn(num, raw)
            self.assertIn(num, text)
        self.assertIn("E9", raw)
        for tok in raw.replace(",", " ").replace("}", " ").split():
            if "E9" in tok:
                self.assertIn(tok.split(":")[-1], text)


# Each bad case of ctgen.py's "bad" set: the cause our error names. The
# offset in the message must be within a few bytes of where the generator
# put the fault (zlib reports where it stopped reading, e.g. after the
# trailer it checked).
BAD_CASES = {
    "truncated-gz": "truncated gzip data (ends at offset {n})",
    "badcrc-gz": "corrupt gzip data at offset {n}: incorrect data check",
    "trailing-garbage-gz": "trailing bytes after gzip member at offset {n}",
    "notgzip-gz": "not in gzip format (the name ends .gz but the data does "
                  "not start with the gzip magic bytes)",
    "badheader-gz": "corrupt gzip data at offset {n}: unknown compression "
                    "method",
    "invalid-json": "invalid JSON at offset {n}: invalid token",
    "truncated-json": "invalid JSON at offset {n}: unterminated string",
    "not-events": "not CloudTrail events: the object at offset 0 has no "
                  "\"Records\" and no event fields",
    "records-not-array": "\"Records\" is not an array (offset {n})",
    "record-not-object": "Records element 0 is not an object (offset {n})",
    "array-not-object": "array element 1 is not an object (offset {n})",
    "nul": "invalid JSON at offset {n}: NUL byte in string",
    "bad-utf8": "invalid JSON at offset {n}: invalid UTF-8 in string",
    "ndjson-bad-line": "invalid JSON at offset {n}: unescaped control "
                       "character in string",
}


class GeneratedBadInput(Base):
    @classmethod
    def setUpClass(cls):
        cls.top = generate("bad")
        with open(os.path.join(cls.top, "cases.tsv")) as f:
            rows = [line.rstrip("\n").split("\t") for line in f][1:]
        cls.cases = {r[0]: (r[1], r[2]) for r in rows}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.top)

    def test_every_case_is_covered(self):
        self.assertEqual(sorted(self.cases), sorted(BAD_CASES))

    def test_each_bad_file_fails_naming_file_cause_and_offset(self):
        import re
        for case, pattern in sorted(BAD_CASES.items()):
            with self.subTest(case=case):
                rel, fault = self.cases[case]
                path = os.path.join(self.top, rel)
                # Named as a directory: the walk finds the file.
                msg = self.error("SELECT count(*) FROM cloudtrail(?)",
                                 os.path.join(self.top, case))
                prefix = "cloudtrail: %s: " % path
                self.assertTrue(msg.startswith(prefix), msg)
                cause = msg[len(prefix):]
                m = re.fullmatch(re.escape(pattern).replace(
                    re.escape("{n}"), "([0-9]+)"), cause)
                self.assertIsNotNone(m, cause)
                if m.groups():
                    self.assertLessEqual(abs(int(m.group(1)) - int(fault)), 6,
                                         cause)

    def test_skip_goes_past_every_bad_file_and_lists_each(self):
        good = os.path.join(self.top, "zz-good")
        os.makedirs(good, exist_ok=True)
        with open(os.path.join(good, "ok.json"), "w") as f:
            json.dump({"Records": [{"eventName": "Ok", "eventID": "1"}]}, f)
        try:
            rows = self.q("SELECT eventName FROM cloudtrail(?, "
                          "'on_error=skip')", self.top)
            self.assertEqual(rows, [("Ok",)])
            files = {r[0] for r in self.q("SELECT file FROM cloudtrail_errors"
                                          " WHERE scan = (SELECT max(scan) "
                                          "FROM cloudtrail_errors)")}
            self.assertEqual(files, {os.path.join(self.top, rel)
                                     for rel, _ in self.cases.values()})
            stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
            self.assertEqual(stats["files_failed"], len(BAD_CASES))
        finally:
            shutil.rmtree(good)


class GeneratedTrail(Base):
    """A small trail in the S3 layout across midnight and a month end, with
    digests and Insights."""

    @classmethod
    def setUpClass(cls):
        cls.top = generate("trail", "--seed", "7", "--days", "3",
                           "--interval", "60", "--events-per-file", "8",
                           "--digests", "--insights", "--org", "o-abc123def4")
        cls.files = log_files(cls.top)
        cls.events = {p: read_events(p) for p in cls.files}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.top)

    def test_count_per_file_equals_an_independent_reading(self):
        rows = dict(self.q("SELECT logFile, count(*) FROM cloudtrail(?) "
                           "GROUP BY 1", self.top))
        exp = {p: len(ev) for p, ev in self.events.items() if ev}
        self.assertEqual(rows, exp)
        self.assertGreater(sum(exp.values()), 1000)

    def test_digests_skipped_and_insights_read(self):
        self.assertTrue(any("CloudTrail-Digest" in os.path.join(d, f)
                            for d, _, fs in os.walk(self.top) for f in fs))
        n = self.q1("SELECT count(*) FROM cloudtrail(?) WHERE eventCategory "
                    "= 'Insight' AND insightDetails IS NOT NULL", self.top)
        exp = sum(1 for ev in self.events.values() for e in ev
                  if e.get("eventCategory") == "Insight")
        self.assertEqual(n, exp)
        self.assertGreater(n, 0)
        digest = next(os.path.join(d, f) for d, _, fs in os.walk(self.top)
                      for f in fs if "CloudTrail-Digest" in d)
        self.assertIn("not CloudTrail events",
                      self.error("SELECT * FROM cloudtrail(?)", digest))

    def test_day_windows_across_midnight_and_month_end(self):
        days = ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01",
                "2024-03-02"]
        all_times = [e["eventTime"] for ev in self.events.values()
                     for e in ev]
        for lo, hi in zip(days, days[1:]):
            exp = sum(1 for t in all_times if lo <= t[:10] < hi)
            for form in ("%s", "%sT00:00:00Z", "%s 00:00:00"):
                with self.subTest(day=lo, form=form):
                    n = self.q1("SELECT count(*) FROM cloudtrail(?) WHERE "
                                "eventTime >= ? AND eventTime < ?", self.top,
                                form % lo, form % hi)
                    self.assertEqual(n, exp)

    def test_cis_views_equal_the_reference(self):
        CisViews.check_tree(self, self.top, 12)


def instant(text):
    """Python's own reading of a time text (UTC when no offset), or None."""
    import datetime
    try:
        d = datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return d


def delivery_of(path):
    """The delivery minute in a CloudTrail file name, or None."""
    import datetime
    import re
    m = re.search(r"_CloudTrail_[a-z0-9-]+_(\d{8}T\d{4})Z_[A-Za-z0-9]+"
                  r"\.json(\.gz)?$", path)
    if not m:
        return None
    return datetime.datetime.strptime(m.group(1), "%Y%m%dT%H%M").replace(
        tzinfo=datetime.timezone.utc)


QUICK = bool(os.environ.get("CT_QUICK"))


class Pushdown(Base):
    """Pushed-down constraints skip work but never change an answer: for
    many generated queries, the result equals the one without pushdown
    (+col) and an independent count from the JSON."""

    @classmethod
    def setUpClass(cls):
        cls.top = generate("trail", "--seed", "11", "--days", "3",
                           "--interval", "30", "--events-per-file", "6",
                           "--late-fraction", "0.05", "--insights")
        cls.events = []  # (file, event)
        for p in log_files(cls.top):
            for e in read_events(p):
                cls.events.append((p, e))
        cls.names = sorted({e.get("eventName") for _, e in cls.events
                            if e.get("eventName")})

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.top)

    def count3(self, where, args, ref):
        """(pushed, not pushed, reference) counts for a WHERE clause written
        with {t} and {n} etc. placeholders for the column references."""
        cols = {"t": "eventTime", "n": "eventName", "s": "eventSource",
                "e": "errorCode", "r": "awsRegion", "a": "recipientAccountId",
                "lr": "logRegion", "la": "logAccount"}
        pushed = where.format(**cols)
        # The reference: CAST(col AS TEXT) turns pushdown off and keeps the
        # column's affinity and collation (+col drops the affinity).
        plain = where.format(**{k: "CAST(%s AS TEXT)" % v
                                for k, v in cols.items()})
        a = self.q1("SELECT count(*) FROM cloudtrail(?) WHERE " + pushed,
                    self.top, *args)
        b = self.q1("SELECT count(*) FROM cloudtrail(?) WHERE " + plain,
                    self.top, *args)
        c = sum(1 for f, e in self.events if ref(f, e))
        return a, b, c

    def test_random_windows_names_and_combinations(self):
        import datetime
        import random
        rnd = random.Random(5)
        utc = datetime.timezone.utc
        times = sorted(instant(e["eventTime"]) for _, e in self.events
                       if e.get("eventTime"))
        start, end = times[0], times[-1]
        # Boundaries: midnights, the month end, event times and +/- 1 s.
        special = [datetime.datetime(2024, 2, d, tzinfo=utc)
                   for d in (27, 28, 29)] + [
            datetime.datetime(2024, 3, 1, tzinfo=utc),
            datetime.datetime(2024, 3, 2, tzinfo=utc)]
        forms = [lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"),
                 lambda d: d.strftime("%Y-%m-%d %H:%M:%S"),
                 lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                 lambda d: (d + datetime.timedelta(hours=2)).strftime(
                     "%Y-%m-%dT%H:%M:%S+02:00")]

        def pick_time():
            r = rnd.random()
            if r < 0.3:
                d = rnd.choice(special)
                if d.hour == 0 and rnd.random() < 0.5:
                    return d.strftime("%Y-%m-%d"), d  # date-only: midnight
            elif r < 0.6:
                d = rnd.choice(times) + datetime.timedelta(
                    seconds=rnd.choice((-1, 0, 0, 1)))
            else:
                d = start + (end - start) * rnd.random()
                d = d.replace(microsecond=0)
            return rnd.choice(forms)(d), d

        ops = {">=": lambda x, b: x >= b, ">": lambda x, b: x > b,
               "<": lambda x, b: x < b, "<=": lambda x, b: x <= b,
               "=": lambda x, b: x == b}
        n_queries = 25 if QUICK else 200
        nonzero = 0
        for qi in range(n_queries):
            clauses, args, tests = [], [], []
            kind = rnd.random()
            if kind < 0.7:  # a time constraint
                if rnd.random() < 0.4:
                    (lo_s, lo), (hi_s, hi) = sorted(
                        [pick_time(), pick_time()], key=lambda x: x[1])
                    clauses.append("{t} BETWEEN ? AND ?")
                    args += [lo_s, hi_s]
                    tests.append(lambda f, e, lo=lo, hi=hi:
                                 instant(e.get("eventTime")) is not None
                                 and lo <= instant(e["eventTime"]) <= hi)
                else:
                    op = rnd.choice(list(ops))
                    b_s, b = pick_time()
                    clauses.append("{t} %s ?" % op)
                    args.append(b_s)
                    tests.append(lambda f, e, op=op, b=b:
                                 instant(e.get("eventTime")) is not None
                                 and ops[op](instant(e["eventTime"]), b))
            if kind > 0.4:  # a name constraint
                k = rnd.choice((1, 1, 2, 3, 5))
                names = rnd.sample(self.names, k)
                if rnd.random() < 0.2:
                    names.append("NoSuchEvent")
                if rnd.random() < 0.3:
                    names.append("ConsoleLogin")  # some are \u-escaped
                if len(names) == 1:
                    clauses.append("{n} = ?")
                else:
                    clauses.append("{n} IN (%s)" % ",".join("?" * len(names)))
                args += names
                tests.append(lambda f, e, ns=set(names):
                             e.get("eventName") in ns)
            if rnd.random() < 0.25:
                col, key = rnd.choice([("s", "eventSource"),
                                       ("r", "awsRegion"),
                                       ("a", "recipientAccountId"),
                                       ("e", "errorCode")])
                val = rnd.choice([e.get(key) for _, e in self.events
                                  if e.get(key)])
                clauses.append("{%s} = ?" % col)
                args.append(val)
                tests.append(lambda f, e, key=key, val=val:
                             e.get(key) == val)
            if rnd.random() < 0.15:
                reg = rnd.choice(["us-east-1", "eu-west-1", "nowhere"])
                clauses.append("{lr} = ?")
                args.append(reg)
                tests.append(lambda f, e, reg=reg: any(
                    "_CloudTrail%s_%s_" % (k, reg) in os.path.basename(f)
                    for k in ("", "-Insight")))
            where = " AND ".join(clauses)
            ref = (lambda f, e, ts=tests: all(t(f, e) for t in ts))
            with self.subTest(query=qi, where=where, args=args):
                a, b, c = self.count3(where, args, ref)
                self.assertEqual((a, b), (c, c))
                nonzero += c > 0
        self.assertGreater(nonzero, n_queries // 3)

    def test_or_on_a_named_table_keeps_every_row(self):
        # SQLite runs one scan per OR term and merges them by rowid: rowids
        # must name events, whatever was pushed down.
        self.db.execute("CREATE VIRTUAL TABLE temp.trail USING cloudtrail("
                        "'%s')" % self.top)
        for where, ref in (
                ("eventName = 'ConsoleLogin' OR errorCode = 'AccessDenied'",
                 lambda e: e.get("eventName") == "ConsoleLogin"
                 or e.get("errorCode") == "AccessDenied"),
                ("eventName = 'ConsoleLogin' OR eventTime >= "
                 "'2024-03-01T20:00:00Z'",
                 lambda e: e.get("eventName") == "ConsoleLogin"
                 or (instant(e.get("eventTime")) is not None and
                     instant(e["eventTime"]) >= instant("2024-03-01T20:00Z"))),
                ("eventName IN ('AssumeRole', 'GetObject') OR "
                 "awsRegion = 'eu-west-1'",
                 lambda e: e.get("eventName") in ("AssumeRole", "GetObject")
                 or e.get("awsRegion") == "eu-west-1")):
            with self.subTest(where=where):
                plan = " ".join(r[3] for r in self.q(
                    "EXPLAIN QUERY PLAN SELECT count(*) FROM trail WHERE " +
                    where))
                self.assertIn("MULTI-INDEX OR", plan)
                n = self.q1("SELECT count(*) FROM trail WHERE " + where)
                self.assertEqual(n, sum(1 for _, e in self.events if ref(e)))

    def test_rowid_names_the_event_whatever_is_pushed(self):
        all_rows = dict(self.q("SELECT rowid, eventID FROM cloudtrail(?)",
                               self.top))
        self.assertEqual(len(all_rows), len(self.events))
        some = self.q("SELECT rowid, eventID FROM cloudtrail(?) WHERE "
                      "eventName = 'ConsoleLogin' AND eventTime >= "
                      "'2024-02-29'", self.top)
        self.assertTrue(some)
        for rowid, eid in some:
            self.assertEqual(all_rows[rowid], eid)

    def test_in_honours_a_collation_on_the_right_side(self):
        for where in ("eventName IN (SELECT 'consolelogin' COLLATE NOCASE)",
                      "eventName IN (VALUES ('CONSOLELOGIN' COLLATE NOCASE))",
                      "eventName IN (SELECT 'ConsoleLogin  ' COLLATE RTRIM)",
                      "eventName IN ('ConsoleLogin', 'x')"):
            a, b, c = self.count3(where.replace("eventName", "{n}"), [],
                                  lambda f, e: e.get("eventName") ==
                                  "ConsoleLogin")
            self.assertEqual((a, b), (c, c), where)

    def test_a_numeric_affinity_bound_is_left_to_sqlite(self):
        d = tempfile.mkdtemp()
        try:
            with open(os.path.join(d, "a.json"), "w") as f:
                json.dump({"Records": [
                    {"eventID": "y4", "eventTime": "2024"},
                    {"eventID": "num", "eventTime": 2024},
                    {"eventID": "ok", "eventTime": "2023-01-01T00:00:00Z"}]},
                    f)
            self.db.execute("CREATE TABLE incident(start DATETIME)")
            self.db.execute("INSERT INTO incident VALUES "
                            "('2023-06-01T00:00:00Z')")
            for op in ("<", "<=", ">", ">=", "="):
                sql = ("SELECT group_concat(c.eventID) FROM incident i CROSS "
                       "JOIN cloudtrail(?) c WHERE %s %s i.start")
                self.assertEqual(self.q1(sql % ("c.eventTime", op), d),
                                 self.q1(sql % ("+c.eventTime", op), d), op)
        finally:
            shutil.rmtree(d)

    def test_byte_search_skips_files_with_unrelated_escapes_only(self):
        d = tempfile.mkdtemp()
        try:
            files = {
                # escapes, but none of a character of "eventName" or the value
                "a.json": r'{"Records":[{"eventName":"GetObject","userAgent":'
                          r'"caf\u00e9 \"q\" \/ \n \u003d"}]}',
                # the value spelled with an escaped letter
                "b.json": r'{"Records":[{"eventName":"Consol\u0065Login"}]}',
                # the key spelled with an escape, the value plain
                "c.json": r'{"Records":[{"event\u004eame":"ConsoleLogin"}]}',
                # the value only inside another field
                "d.json": r'{"Records":[{"eventName":"X","userAgent":'
                          r'"ConsoleLogin"}]}',
                # a slash escaped in a value that has one
                "e.json": r'{"Records":[{"eventName":"a\/b"}]}',
            }
            for name, text in files.items():
                with open(os.path.join(d, name), "w") as f:
                    f.write(text)
            got = self.q("SELECT logFile FROM cloudtrail(?) WHERE "
                         "eventName = 'ConsoleLogin'", d)
            self.assertEqual([os.path.basename(r[0]) for r in got],
                             ["b.json", "c.json"])
            stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
            # a.json and e.json cannot hold it: skipped without parsing.
            # d.json holds the bytes, so it is parsed (and its event fails).
            self.assertEqual((stats["files_skipped_text"], stats["files_read"],
                              stats["records_skipped"]), (2, 3, 1))
            got = self.q("SELECT logFile FROM cloudtrail(?) WHERE "
                         "eventName = 'a/b'", d)
            self.assertEqual([os.path.basename(r[0]) for r in got], ["e.json"])
            self.assertEqual(
                self.q1("SELECT count(*) FROM cloudtrail(?) WHERE eventName "
                        "IN ('consolelogin', 'getobject')", d),
                self.q1("SELECT count(*) FROM cloudtrail(?) WHERE +eventName "
                        "IN ('consolelogin', 'getobject')", d))
        finally:
            shutil.rmtree(d)

    def test_escaped_names_are_found(self):
        raw = b"".join(gzip.open(f).read() for f in log_files(self.top)
                       if f.endswith(".gz"))
        self.assertTrue(b"Console\\u004" in raw or b"\\u0043onsole" in raw)
        a, b, c = self.count3("{n} = 'ConsoleLogin'", [],
                              lambda f, e: e.get("eventName") ==
                              "ConsoleLogin")
        self.assertEqual((a, b), (c, c))
        self.assertGreater(c, 0)

    def test_nocase_and_in_lists(self):
        a, b, c = self.count3("{n} = 'consolelogin' COLLATE NOCASE", [],
                              lambda f, e: (e.get("eventName") or "").lower()
                              == "consolelogin")
        self.assertEqual((a, b), (c, c))
        plan = self.q("EXPLAIN QUERY PLAN SELECT * FROM cloudtrail(?) WHERE "
                      "eventName = 'x' COLLATE NOCASE", self.top)[0][3]
        self.assertIn("eventName=:nocase", plan)
        a, b, c = self.count3("{n} IN ('AssumeRole', NULL, 'StopLogging')", [],
                              lambda f, e: e.get("eventName") in
                              ("AssumeRole", "StopLogging"))
        self.assertEqual((a, b), (c, c))

    def test_null_and_non_text_values(self):
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?) WHERE "
                                 "eventName = NULL", self.top), 0)
        stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
        self.assertEqual(stats["files_read"], 0)  # nothing can match
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?) WHERE "
                                 "eventTime > NULL", self.top), 0)
        # A range on eventTime with a number is an error (tests/test_time.py);
        # + leaves it to SQLite, which sorts every number before every text.
        self.assertIn("a number is not a time", self.error(
            "SELECT count(*) FROM cloudtrail(?) WHERE eventTime > 5",
            self.top))
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?) WHERE "
                                 "+eventTime > 5", self.top),
                         self.q1("SELECT count(eventTime) FROM cloudtrail(?)",
                                 self.top))
        for where in ("eventName = 5", "eventTime = 5", "eventName IN (1, 2)",
                      "errorCode = x'41'"):
            a = self.q1("SELECT count(*) FROM cloudtrail(?) WHERE " + where,
                        self.top)
            b = self.q1("SELECT count(*) FROM cloudtrail(?) WHERE +" + where,
                        self.top)
            self.assertEqual(a, b, where)

    def test_plans_show_what_is_pushed(self):
        def plan(where):
            # The tokens after "INDEX n:" in SQLite's constraint order;
            # compared as a sorted list, the order being SQLite's choice.
            p = self.q("EXPLAIN QUERY PLAN SELECT * FROM cloudtrail(?) "
                       "WHERE " + where, self.top)[0][3]
            head, _, toks = p.partition(":")
            return head + ":" + ",".join(sorted(toks.split(",")))
        self.assertEqual(
            plan("eventTime BETWEEN '2024-02-28' AND '2024-02-29' AND "
                 "eventName IN ('A', 'B')"),
            "SCAN cloudtrail VIRTUAL TABLE INDEX 1:eventName IN,eventTime<=,"
            "eventTime>=,path=")
        self.assertEqual(plan("eventName = 'A' AND eventSource = 'x' AND "
                              "errorCode = 'y' AND awsRegion = 'z' AND "
                              "recipientAccountId = '1'"),
                         "SCAN cloudtrail VIRTUAL TABLE INDEX 1:awsRegion=,"
                         "errorCode=,eventName=,eventSource=,path=,"
                         "recipientAccountId=")
        self.assertEqual(plan("logAccount = '1' AND logRegion IN ('a', 'b') "
                              "AND logDeliveryTime >= '2024-01-01' COLLATE "
                              "cloudtrail_time"),
                         "SCAN cloudtrail VIRTUAL TABLE INDEX 1:logAccount=,"
                         "logDeliveryTime>=,logRegion IN,path=")
        # Not pushed: other collations, LIKE, expressions on the column.
        for where in ("eventTime COLLATE BINARY >= '2024-01-01'",
                      "+eventTime >= '2024-01-01'",
                      "eventName LIKE 'Console%'",
                      "eventName = 'a' COLLATE RTRIM",
                      "logDeliveryTime >= '2024-01-01'",
                      "lower(eventName) = 'a'", "eventName != 'a'"):
            self.assertEqual(plan(where),
                             "SCAN cloudtrail VIRTUAL TABLE INDEX 1:path=",
                             where)

    def test_join_pushes_the_name_per_row(self):
        self.db.execute("CREATE TEMP TABLE w(name TEXT)")
        self.db.executemany("INSERT INTO w VALUES (?)",
                            [("ConsoleLogin",), ("StopLogging",), ("Nope",)])
        # CROSS JOIN keeps w outer: one scan per name, the name pushed down.
        # (Left to itself SQLite scans the trail once, which is cheaper.)
        sql = ("SELECT w.name, count(t.eventID) FROM w CROSS JOIN "
               "cloudtrail(?) t ON t.eventName = w.name GROUP BY 1 ORDER BY 1")
        plan = " ".join(r[3] for r in self.q("EXPLAIN QUERY PLAN " + sql,
                                              self.top))
        self.assertIn("eventName=", plan)
        got = self.q(sql, self.top)
        plain = self.q(sql.replace("t.eventName = w.name",
                                   "+t.eventName = w.name"), self.top)
        self.assertEqual(got, plain)
        exp = {}
        for _, e in self.events:
            if e.get("eventName") in ("ConsoleLogin", "StopLogging"):
                exp[e["eventName"]] = exp.get(e["eventName"], 0) + 1
        self.assertEqual(got, sorted(exp.items()))

    def files_where(self, pred):
        return sum(1 for f in log_files(self.top)
                   if delivery_of(f) is not None and pred(delivery_of(f)))

    def test_lower_bound_reads_only_files_delivered_after_it(self):
        import datetime
        lo = instant("2024-03-01T00:00:00Z")
        n = self.q1("SELECT count(*) FROM cloudtrail(?) WHERE eventTime >= "
                    "'2024-03-01'", self.top)
        stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
        margin = datetime.timedelta(seconds=60 + 300)
        # Files whose name says they can hold such events: delivered no
        # more than 6 minutes before the bound, plus every file whose name
        # is not a delivery name (Insight files here): always read.
        keep = self.files_where(lambda d: d + margin > lo)
        others = sum(1 for f in log_files(self.top) if delivery_of(f) is None)
        self.assertEqual(stats["files_read"], keep + others)
        self.assertEqual(stats["files_skipped_path"],
                         stats["files"] - keep - others)
        # About one day of the three.
        self.assertLess(stats["files_read"], stats["files"] * 0.4)
        self.assertEqual(n, sum(1 for _, e in self.events
                                if instant(e.get("eventTime")) is not None
                                and instant(e["eventTime"]) >= lo))

    def test_upper_bound_skips_files_only_with_max_delay(self):
        import datetime
        lo, hi = "2024-02-28 06:00:00", "2024-02-28 09:00:00"
        lo_i, hi_i = instant(lo), instant(hi)
        sql = ("SELECT count(*) FROM cloudtrail(?, ?) WHERE eventTime >= ? "
               "AND eventTime < ?")
        exact = self.q1(sql, self.top, None, lo, hi)
        s1 = json.loads(self.q1("SELECT cloudtrail_stats()"))
        margin = datetime.timedelta(seconds=360)
        others = sum(1 for f in log_files(self.top) if delivery_of(f) is None)
        # By default: read from the window's start to the end of the trail.
        self.assertEqual(s1["files_read"],
                         self.files_where(lambda d: d + margin > lo_i)
                         + others)
        ref = [(f, e) for f, e in self.events
               if instant(e.get("eventTime")) is not None
               and lo_i <= instant(e["eventTime"]) < hi_i]
        self.assertEqual(exact, len(ref))
        # max_delay=2h: files delivered 2 h past the window are skipped,
        # and with them any event delivered later than that: the trade.
        delay = datetime.timedelta(hours=2)
        fast = self.q1(sql, self.top, "max_delay=2h", lo, hi)
        s2 = json.loads(self.q1("SELECT cloudtrail_stats()"))
        self.assertEqual(s2["files_read"], self.files_where(
            lambda d: d + margin > lo_i and d - delay < hi_i) + others)
        self.assertLess(s2["files_read"], s1["files_read"] / 4)
        kept = [(f, e) for f, e in ref
                if delivery_of(f) is None or delivery_of(f) - delay < hi_i]
        self.assertEqual(fast, len(kept))

    def test_time_text_that_is_not_a_time_sorts_first(self):
        d = tempfile.mkdtemp()
        try:
            name = os.path.join(d, "123456789012_CloudTrail_us-east-1_"
                                   "20240101T0000Z_abc.json")
            with open(name, "w") as f:
                json.dump({"Records": [
                    {"eventName": "A", "eventTime": "garbage"},
                    {"eventName": "B", "eventTime": "2023-12-31T23:59:00Z"},
                    {"eventName": "C"}]}, f)
            for where, exp in (("eventTime >= '2024-06-01'", []),
                               ("eventTime < '2000-01-01'", ["A"]),
                               ("eventTime <= '2024-01-01'", ["A", "B"]),
                               ("eventTime = 'garbage'", ["A"])):
                for col in ("eventTime", "+eventTime"):
                    got = [r[0] for r in self.q(
                        "SELECT eventName FROM cloudtrail(?) WHERE " +
                        where.replace("eventTime", col), d)]
                    self.assertEqual(got, exp, (where, col))
            # A range with a text that is not a time: an error where the
            # table is handed the constraint, SQLite's rule with +.
            self.assertIn("not a time", self.error(
                "SELECT eventName FROM cloudtrail(?) WHERE eventTime > 'a'",
                d))
            self.assertEqual(self.q("SELECT eventName FROM cloudtrail(?) "
                                    "WHERE +eventTime > 'a'", d),
                             [("A",), ("B",)])
        finally:
            shutil.rmtree(d)

    def test_interrupt_stops_a_scan_that_returns_no_rows(self):
        def stop(path):
            self.db.interrupt()
            return path
        self.db.create_function("stop", 1, stop)
        for where in ("eventName = 'NoSuchEvent'",
                      "eventTime > '2030-01-01'"):
            with self.assertRaises(sqlite3.OperationalError) as cm:
                self.q("SELECT count(*) FROM cloudtrail(stop(?)) WHERE " +
                       where, self.top)
            self.assertEqual(cm.exception.sqlite_errorname, "SQLITE_INTERRUPT")
            stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
            self.assertEqual((stats["done"], stats["files_read"]), (False, 0))


class GroupedScan(Base):
    """`SELECT eventName, count(*) ... GROUP BY eventName`: the table counts
    each key and hands the rows out sorted, so SQLite does not sort them.
    Every answer must equal SQLite's own (pushdown and grouping defeated
    with +col) and an independent count."""

    COLS = ("eventName", "eventSource", "errorCode", "awsRegion", "userAgent",
            "eventTime", "eventID", "sourceIPAddress", "recipientAccountId",
            "userArn", "userType", "sessionIssuerArn", "userName")

    @classmethod
    def setUpClass(cls):
        cls.top = generate("trail", "--seed", "3", "--days", "2",
                           "--interval", "60", "--events-per-file", "7",
                           "--late-fraction", "0.05")
        # Odd values: escapes, a NUL, non-strings, null, absent, empty,
        # non-ASCII, and prefixes (shorter sorts first).
        odd = ['"\\u0041ssumeRole"', '"AssumeRole"', '"A\\u0000B"', '"A"',
               "42", '{"x":1}', "null", '""', '"\u00e9v\u00e9nement"',
               '"AB"', '"ab"', '"a"']
        recs = ['{"eventName":%s,"eventSource":"s%d"}' % (v, i % 3)
                for i, v in enumerate(odd)]
        recs.append('{"eventSource":"s9"}')
        with open(os.path.join(cls.top, "odd.json"), "w") as f:
            f.write('{"Records":[%s]}' % ",".join(recs))
        cls.events = [e for p in log_files(cls.top) for e in read_events(p)]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.top)

    def plain(self, sql):
        """sql with each column as +column: no pushdown, no grouped scan."""
        import re
        return re.sub(r"\b((?:\w+\.)?(?:%s))\b" % "|".join(self.COLS),
                      r"+\1", sql)

    def plan(self, sql):
        return " ".join(r[3] for r in self.q("EXPLAIN QUERY PLAN " + sql,
                                               self.top))

    def test_plan_counts_keys_only_when_no_other_column_is_used(self):
        t = "FROM cloudtrail(?)"
        grouped = [
            "SELECT eventName, count(*) %s GROUP BY 1" % t,
            "SELECT eventSource, eventName, count(*) %s GROUP BY 1, 2" % t,
            "SELECT eventName %s ORDER BY eventName" % t,
            "SELECT errorCode, count(*) %s WHERE errorCode IN ('A', 'B') "
            "GROUP BY 1" % t,
            "SELECT userArn, count(*) %s GROUP BY 1" % t,
        ]
        sorted_by_sqlite = [
            "SELECT eventName, max(eventTime) %s GROUP BY 1" % t,
            "SELECT eventID, count(*) %s GROUP BY 1" % t,
            "SELECT eventTime, count(*) %s GROUP BY 1" % t,
            "SELECT eventName %s ORDER BY eventName DESC" % t,
            "SELECT eventName, count(*) %s GROUP BY eventName COLLATE NOCASE"
            % t,
            "SELECT eventName, count(*) %s WHERE eventTime > '2024' "
            "GROUP BY 1" % t,
        ]
        for sql in grouped:
            with self.subTest(sql=sql):
                self.assertNotIn("TEMP B-TREE", self.plan(sql))
        for sql in sorted_by_sqlite:
            with self.subTest(sql=sql):
                self.assertIn("TEMP B-TREE", self.plan(sql))

    def test_answers_equal_sqlites_own(self):
        t = "FROM cloudtrail(?)"
        queries = [
            "SELECT eventName, count(*) %s GROUP BY 1" % t,
            "SELECT eventSource, eventName, count(*) %s GROUP BY 1, 2" % t,
            "SELECT eventName, eventSource, count(*) %s GROUP BY 1, 2" % t,
            "SELECT eventName %s ORDER BY eventName" % t,
            "SELECT eventName, count(*) %s GROUP BY 1 ORDER BY 2 DESC, 1" % t,
            "SELECT errorCode, count(*) %s GROUP BY 1" % t,
            "SELECT awsRegion, count(*) %s GROUP BY 1 ORDER BY 1 DESC" % t,
            "SELECT userAgent, count(*) %s GROUP BY 1" % t,
            "SELECT sourceIPAddress, count(*) %s GROUP BY 1 "
            "HAVING count(*) > 1 LIMIT 5" % t,
            "SELECT eventName COLLATE NOCASE, count(*) %s GROUP BY 1" % t,
            "SELECT eventName, count(*) %s WHERE eventName IN "
            "('AssumeRole', 'A', 'ConsoleLogin') GROUP BY 1" % t,
            "SELECT count(DISTINCT eventName), count(*) %s" % t,
            "SELECT DISTINCT eventName %s" % t,
            "SELECT eventName, typeof(eventName), length(eventName), "
            "count(*) %s GROUP BY 1" % t,
            "SELECT recipientAccountId, eventSource, eventName, awsRegion, "
            "count(*) %s GROUP BY 1, 2, 3, 4" % t,
            "SELECT userArn, count(*) %s GROUP BY 1" % t,
            "SELECT userType, sessionIssuerArn, userName, count(*) %s "
            "GROUP BY 1, 2, 3" % t,
        ]
        for sql in queries:
            with self.subTest(sql=sql):
                self.assertEqual(self.q(sql, self.top),
                                 self.q(self.plain(sql), self.top))

    def test_counts_equal_an_independent_reading(self):
        from collections import Counter
        got = self.q("SELECT eventName, count(*) FROM cloudtrail(?) "
                     "GROUP BY 1", self.top)

        def sql_text(v):  # what the column gives for a JSON value
            if v is None:
                return None
            if isinstance(v, str):
                return v
            return json.dumps(v, separators=(",", ":"))
        want = Counter(sql_text(e.get("eventName")) for e in self.events)
        self.assertEqual(dict(got), dict(want))
        # Ascending as SQLite's BINARY sorts: NULL, then bytes, shorter first.
        keys = [k for k, _ in got]
        self.assertIsNone(keys[0])
        enc = [k.encode() for k in keys[1:]]
        self.assertEqual(enc, sorted(enc))
        self.assertLess(keys.index("A"), keys.index("A\x00B"))
        self.assertLess(keys.index("A\x00B"), keys.index("AB"))
        self.assertEqual(dict(got)["AssumeRole"],
                         want["AssumeRole"])  # escaped spelling counted in

    def test_each_grouped_row_keeps_its_events_rowid(self):
        # SQLite reads rowids the plan cannot see (colUsed has no bit for
        # them): queries on rowid, and a RIGHT JOIN, which marks the rows
        # it matched by rowid (found in review: every row of a key once
        # had one rowid, and a RIGHT JOIN gave unmatched rows twice).
        self.db.execute("CREATE VIRTUAL TABLE temp.trail USING cloudtrail("
                        "'%s')" % self.top)
        self.db.execute("CREATE VIRTUAL TABLE temp.small USING cloudtrail("
                        "'%s')" % os.path.join(self.top, "odd.json"))
        self.assertNotIn("TEMP B-TREE", " ".join(r[3] for r in self.q(
            "EXPLAIN QUERY PLAN SELECT rowid, eventName FROM trail "
            "ORDER BY eventName")))
        for sql in (
                "SELECT rowid, eventName FROM trail ORDER BY eventName, rowid",
                "SELECT eventName, max(rowid), min(rowid), count(DISTINCT "
                "rowid) FROM trail GROUP BY eventName",
                "SELECT count(DISTINCT rowid) FROM (SELECT rowid FROM trail "
                "ORDER BY eventName)",
                "SELECT eventName FROM trail WHERE rowid IN (SELECT rowid "
                "FROM trail LIMIT 5 OFFSET 100) ORDER BY eventName",
                "SELECT t.eventName, x.k FROM (SELECT 'AssumeRole' AS k) x "
                "RIGHT JOIN trail t ON x.k = t.eventName "
                "ORDER BY t.eventName, x.k",
                "SELECT t.eventName, count(*), count(x.k) FROM (SELECT "
                "'AssumeRole' AS k) x RIGHT JOIN trail t ON x.k = "
                "t.eventName GROUP BY t.eventName",
                # (one small file: rowid = rowid is a nested loop)
                "SELECT a.eventName, b.eventSource FROM small a JOIN small b "
                "ON a.rowid = b.rowid ORDER BY a.eventName, b.eventSource"):
            with self.subTest(sql=sql):
                self.assertEqual(self.q(sql), self.q(self.plain(sql)))

    def test_errors_stats_and_interrupts_as_in_any_scan(self):
        bad = os.path.join(self.top, "zz", "bad.json")
        os.makedirs(os.path.dirname(bad))
        try:
            with open(bad, "w") as f:
                f.write('{"Records":[{"eventName":"X"},]}')
            sql = "SELECT eventName, count(*) FROM cloudtrail(?%s) GROUP BY 1"
            msg = self.error(sql % "", self.top)
            self.assertTrue(msg.startswith("cloudtrail: %s: invalid JSON"
                                           % bad), msg)
            rows = self.q(sql % ", 'on_error=skip'", self.top)
            self.assertEqual(sum(n for _, n in rows), len(self.events))
            stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
            self.assertEqual((stats["records"], stats["files_failed"],
                              stats["done"]), (len(self.events), 1, True))
            self.assertEqual(self.q("SELECT file FROM cloudtrail_errors"),
                             [(bad,)])
        finally:
            shutil.rmtree(os.path.dirname(bad))

        def stop(path):
            self.db.interrupt()
            return path
        self.db.create_function("stop", 1, stop)
        with self.assertRaises(sqlite3.OperationalError) as cm:
            self.q("SELECT eventName, count(*) FROM cloudtrail(stop(?)) "
                   "GROUP BY 1", self.top)
        self.assertEqual(cm.exception.sqlite_errorname, "SQLITE_INTERRUPT")


class TempDir(Base):
    """A fresh directory per test, self.dir, and write() to fill it."""

    def setUp(self):
        super().setUp()
        self.dir = tempfile.mkdtemp()
        os.chmod(self.dir, 0o755)

    def tearDown(self):
        super().tearDown()
        shutil.rmtree(self.dir)

    def write(self, rel, text):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path


class RecordSkim(TempDir):
    """Events a byte search rules out are passed over, not parsed."""

    EV = '{"eventName":"%s","eventID":"%s","eventTime":"2024-03-01T10:00:%02dZ"%s}'

    def events(self, *specs):
        return ",".join(self.EV % (n, i, k, extra)
                        for k, (n, i, extra) in enumerate(specs))

    def test_rows_and_rowids_equal_those_without_pushdown(self):
        names = ["ConsoleLogin", "GetObject", "AssumeRole", "ConsoleLogin",
                 "GetObject", "ConsoleLogin"]
        for f in range(3):
            specs = [(names[(f + k) % 6], "e%d_%d" % (f, k),
                      ',"x":{"y":["}]\\"{[",{"z":"\\\\"}]}')
                     for k in range(6)]
            self.write("f%d.json" % f,
                       '{"Records":[%s]}' % self.events(*specs))
        for name in ("ConsoleLogin", "GetObject", "Nothing"):
            for col in ("eventName", "eventID"):
                sql = ("SELECT rowid, eventID, record FROM cloudtrail(?) "
                       "WHERE %s = ? ORDER BY rowid")
                val = name if col == "eventName" else "e1_3"
                want = self.q(sql % ("+" + col), self.dir, val)
                self.assertEqual(self.q(sql % col, self.dir, val), want,
                                 (name, col))
        want = self.q("SELECT rowid, eventID FROM cloudtrail(?) WHERE "
                      "+eventName = 'ConsoleLogin' ORDER BY rowid", self.dir)
        self.assertEqual(len(want), 9)
        stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
        self.assertEqual((stats["records"], stats["records_skipped"]), (18, 0))
        self.q("SELECT rowid FROM cloudtrail(?) WHERE eventName = "
               "'ConsoleLogin'", self.dir)
        stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
        self.assertEqual((stats["records"], stats["records_skipped"]), (9, 9))

    def test_escaped_names_among_events_passed_over_are_found(self):
        path = self.write("a.json", '{"Records":[%s]}' % self.events(
            ("GetObject", "a", ""), ("Console\\u004cogin", "b", ""),
            ("GetObject", "c", ',"u":"\\u0041"'), ("ConsoleLogin", "d", ""),
            ("X", "e", ',"k":{"event\\u004eame":"ConsoleLogin"}')))
        for where, ids in (("%s = 'ConsoleLogin'", "bd"),
                           ("%s = 'consolelogin' COLLATE NOCASE", "bd"),
                           ("%s IN ('ConsoleLogin', 'X')", "bde")):
            sql = "SELECT eventID FROM cloudtrail(?) WHERE " + where
            want = self.q(sql % "+eventName", path)
            self.assertEqual(self.q(sql % "eventName", path), want, where)
            self.assertEqual(want, [(i,) for i in ids])

    def test_an_event_ruled_out_is_not_validated(self):
        # The GetObject event has a number with a leading zero: invalid JSON,
        # which only parsing it would see. The byte search rules it out.
        path = self.write("a.json", '{"Records":[%s]}' % self.events(
            ("ConsoleLogin", "a", ""), ("GetObject", "b", ',"n":01'),
            ("ConsoleLogin", "c", "")))
        self.assertEqual(
            self.q("SELECT eventID FROM cloudtrail(?) WHERE eventName = "
                   "'ConsoleLogin'", path), [("a",), ("c",)])
        self.assertIn("%s: invalid JSON at offset" % path,
                      self.error("SELECT eventID FROM cloudtrail(?) WHERE "
                                 "+eventName = 'ConsoleLogin'", path))

    def test_an_event_that_may_match_is_validated(self):
        path = self.write("a.json", '{"Records":[%s]}' % self.events(
            ("GetObject", "a", ""), ("ConsoleLogin", "b", ',"n":01')))
        for col in ("eventName", "+eventName"):
            self.assertIn("%s: invalid JSON at offset" % path,
                          self.error("SELECT eventID FROM cloudtrail(?) WHERE "
                                     "%s = 'ConsoleLogin'" % col, path))

    def test_text_around_events_and_their_ends_are_still_checked(self):
        ok = self.events(("ConsoleLogin", "a", ""))
        bad = {
            # cut off inside an event ruled out, and inside its string
            "cut.json": '{"Records":[%s,{"eventName":"GetObject"' % ok,
            "str.json": '{"Records":[%s,{"eventName":"GetOb' % ok,
            # garbage between events, and after the array
            "sep.json": '{"Records":[%s,{"eventName":"X"} x {}]}' % ok,
            "end.json": '{"Records":[%s,{"eventName":"X"}]} x' % ok,
        }
        for name, text in bad.items():
            path = self.write(name, text)
            for col in ("eventName", "+eventName"):
                err = self.error("SELECT * FROM cloudtrail(?) WHERE "
                                 "%s = 'ConsoleLogin'" % col, path)
                self.assertIn(path + ": ", err, (name, col))


class OddInput(TempDir):
    """Inputs found in review: each once gave a wrong answer or a hang."""

    def test_slurped_array_of_files_gives_every_event(self):
        e = '{"eventName":"%s","eventTime":"2024-03-01T10:00:00Z"}'
        path = self.write("s.json", '[{"Records":[%s,%s]},%s]'
                          % (e % "A", e % "B", e % "C"))
        self.assertEqual(self.q("SELECT eventName FROM cloudtrail(?)", path),
                         [("A",), ("B",), ("C",)])

    def test_a_lone_object_without_event_fields_is_not_events(self):
        path = self.write("x.json", '{"foo":1}')
        self.assertEqual(self.error("SELECT * FROM cloudtrail(?)", path),
                         "cloudtrail: %s: not CloudTrail events: the object "
                         "at offset 0 has no \"Records\" and no event fields"
                         % path)
        # In an array, any object is a record: kept whole, never lost.
        path = self.write("y.json", '[{"foo":1}]')
        self.assertEqual(self.q("SELECT eventName, record FROM cloudtrail(?)",
                                path), [(None, '{"foo":1}')])

    def test_fifo_is_an_error_not_a_hang(self):
        os.mkfifo(os.path.join(self.dir, "p.json"))
        self.assertEqual(self.error("SELECT * FROM cloudtrail(?)", self.dir),
                         "cloudtrail: %s/p.json: not a regular file"
                         % self.dir)

    def test_max_file_size_is_checked_before_reading(self):
        path = os.path.join(self.dir, "big.json")
        with open(path, "wb") as f:
            f.truncate(3 << 30)  # sparse: 3 GiB that cost nothing
        self.assertEqual(self.error("SELECT * FROM cloudtrail(?, "
                                    "'max_file_size=1M')", path),
                         "cloudtrail: %s: file is larger than max_file_size "
                         "(1048576 bytes)" % path)
        self.assertIn("bad value for max_file_size",
                      self.error("SELECT * FROM cloudtrail(?, "
                                 "'max_file_size=17179869185G')", path))

    def test_empty_directory_is_an_error(self):
        empty = os.path.join(self.dir, "empty")
        os.makedirs(empty)
        self.assertEqual(self.error("SELECT count(*) FROM cloudtrail(?)",
                                    empty),
                         "cloudtrail: %s: no log files found (and no other "
                         "files; names read: .json, .jsonl, .ndjson, each "
                         "optionally .gz)" % empty)
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?, "
                                 "'on_error=skip')", empty), 0)

    def test_root_path_may_contain_digest_in_its_name(self):
        self.write("CloudTrail-Digest-archive/logs/a.json",
                   '{"eventName":"A","eventTime":"2024-01-01T00:00:00Z"}')
        self.write("CloudTrail-Digest-archive/logs/CloudTrail-Digest/d.json",
                   '{"digestStartTime":"x"}')
        self.assertEqual(self.q("SELECT eventName FROM cloudtrail(?)",
                                os.path.join(self.dir,
                                             "CloudTrail-Digest-archive")),
                         [("A",)])

    def test_glob_with_skip_goes_on_past_an_unreadable_directory(self):
        self.write("d/ok/z.json", '{"eventName":"Z","eventID":"1"}')
        os.makedirs(os.path.join(self.dir, "d", "sub"))
        os.chmod(os.path.join(self.dir, "d", "sub"), 0)
        os.chmod(os.path.join(self.dir, "d"), 0o755)
        os.chmod(os.path.join(self.dir, "d", "ok"), 0o755)
        os.chmod(os.path.join(self.dir, "d", "ok", "z.json"), 0o644)
        pattern = os.path.join(self.dir, "d", "*", "*.json")
        out, errs = as_nobody("SELECT group_concat(eventName) FROM "
                              "cloudtrail(?, 'on_error=skip')", pattern)
        self.assertEqual(out, [("Z",)])
        self.assertEqual(errs, [(os.path.join(self.dir, "d", "sub"),
                                 "cannot read directory while matching the "
                                 "pattern: Permission denied")])
        out, _ = as_nobody("SELECT * FROM cloudtrail(?)", pattern)
        self.assertEqual(out, "cloudtrail: %s/d/sub: cannot read directory "
                              "while matching the pattern: Permission denied"
                         % self.dir)

    def test_partial_dates_mean_the_start_of_their_period(self):
        path = self.write("t.json", json.dumps({"Records": [
            {"eventName": n, "eventTime": t} for n, t in
            (("A", "2024-02-29T23:59:59Z"), ("B", "2024-03-01T00:00:00Z"),
             ("C", "2024-03-01T10:30:00Z"), ("D", "2025-01-01T00:00:00Z"))]}))
        for where, exp in (("eventTime >= '2024-03'", "B,C,D"),
                           ("eventTime < '2024-03'", "A"),
                           ("eventTime >= '2025'", "D"),
                           ("eventTime >= '2024-03-01T10'", "C,D"),
                           ("eventTime >= ' 2024-03-01 '", "B,C,D")):
            for col in ("eventTime", "+eventTime"):
                got = self.q1("SELECT group_concat(eventName) FROM "
                              "cloudtrail(?) WHERE " +
                              where.replace("eventTime", col, 1), path)
                self.assertEqual(got, exp, (where, col))

    def test_json_columns_keep_number_text_when_stored(self):
        path = self.write("n.json", '{"eventName":"x","requestParameters":'
                          '18446744073709551615,"responseElements":1.5E9}')
        self.db.execute("CREATE TABLE c AS SELECT requestParameters AS rp, "
                        "responseElements AS re FROM cloudtrail(?)", (path,))
        self.assertEqual(self.q("SELECT rp, typeof(rp), re, typeof(re) FROM c"),
                         [("18446744073709551615", "text", "1.5E9", "text")])

    def test_create_takes_a_quoted_option_list(self):
        self.write("a.json", '{"eventName":"A"}')
        self.db.execute("CREATE VIRTUAL TABLE temp.t USING cloudtrail('%s', "
                        "'on_error=skip, max_delay=2h')" % self.dir)
        self.assertEqual(self.q1("SELECT DISTINCT options FROM t"),
                         "on_error=skip, max_delay=2h")

    def test_gzip_json_error_offsets_say_they_count_inflated_bytes(self):
        path = os.path.join(self.dir, "x.json.gz")
        with gzip.open(path, "wb") as f:
            f.write(b'{"Records":[{"eventName":"A"},]}')
        self.assertEqual(self.error("SELECT * FROM cloudtrail(?)", path),
                         "cloudtrail: %s: invalid JSON at offset 30: invalid "
                         "token (offsets count in the inflated data)" % path)

    def test_value_past_sqlite_length_limit_is_toobig_not_a_crash(self):
        path = self.write("long.json", '{"eventName":"A","userAgent":"%s"}'
                          % ("u" * 50000))
        # (The limit also bounds the schema text the table declares.)
        self.db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 20000)
        self.assertEqual(self.q1("SELECT eventName FROM cloudtrail(?)", path),
                         "A")
        with self.assertRaises(sqlite3.DataError) as cm:
            self.q("SELECT userAgent FROM cloudtrail(?)", path)
        self.assertIn("too big", str(cm.exception))

    def test_skip_log_and_stats_are_not_for_stored_views(self):
        self.db.execute("CREATE VIEW v1 AS SELECT * FROM cloudtrail_errors")
        self.assertIn("unsafe use", self.error("SELECT * FROM v1"))
        self.db.execute("CREATE VIEW v2 AS SELECT cloudtrail_stats()")
        self.assertIn("unsafe use", self.error("SELECT * FROM v2"))


class Hardening(TempDir):
    """Issue 5's cases that the classes above do not already cover: files
    that change between listing and reading, odd names, a decompression
    bomb, nesting past the limit, numbers past 2^64, closing mid-scan, and
    many connections scanning at once."""

    def ndjson(self, rel, names):
        return self.write(rel, "".join(
            '{"eventName":"%s","eventTime":"2024-03-01T10:00:00Z"}\n' % n
            for n in names))

    def scan_after_first_row(self, opts, change):
        """Step the scan of self.dir to its first row (threads=0: the walk
        has listed the directory and read only the first file; Python's
        cursor has stepped to the second row, so give the first file two),
        call
        change(), then read the rest. Returns (rows, error text or None)."""
        cur = self.db.execute("SELECT eventName FROM cloudtrail(?, ?)",
                              (self.dir, "threads=0" + opts))
        rows = [cur.fetchone()]
        change()
        try:
            rows.extend(cur.fetchall())
            return rows, None
        except sqlite3.Error as e:
            return rows, unhint(str(e))

    def test_file_deleted_between_listing_and_reading(self):
        self.ndjson("a.json", ["A1", "A2"])
        b = self.ndjson("b.json", ["B1"])
        self.ndjson("c.json", ["C1"])
        rows, err = self.scan_after_first_row("", lambda: os.unlink(b))
        # (The walk stats each log file as it hands it out.)
        self.assertEqual(err, "cloudtrail: %s: cannot stat: No such file or "
                              "directory" % b)
        self.ndjson("b.json", ["B1"])
        rows, err = self.scan_after_first_row(", on_error=skip",
                                              lambda: os.unlink(b))
        self.assertIsNone(err)
        self.assertEqual(rows, [("A1",), ("A2",), ("C1",)])
        self.assertEqual(self.q("SELECT file, error FROM cloudtrail_errors"),
                         [(b, "cannot stat: No such file or directory")])

    def test_file_truncated_between_listing_and_reading(self):
        # (Python's cursor steps one row ahead: a.json has two rows, so the
        # scan is still in it when fetchone() returns.)
        self.ndjson("a.json", ["A1", "A2"])
        b = os.path.join(self.dir, "b.json.gz")
        with gzip.open(b, "wt") as f:
            f.write('{"Records":[%s]}' % ",".join(
                '{"eventName":"B%d","n":"%s"}' % (i, os.urandom(20).hex())
                for i in range(200)))
        size = os.path.getsize(b)

        def cut():
            os.truncate(b, size // 2)
        rows, err = self.scan_after_first_row("", cut)
        self.assertEqual(rows, [("A1",)])  # fetchall() raised, dropping A2
        self.assertEqual(err, "cloudtrail: %s: truncated gzip data (ends at "
                              "offset %d)" % (b, size // 2))
        # A plain file cut after a key: the JSON error says where.
        c = self.write("c.json", '{"Records":[{"eventName":"C1"}]}')
        os.unlink(b)
        rows, err = self.scan_after_first_row("", lambda: os.truncate(c, 25))
        self.assertEqual(err, "cloudtrail: %s: invalid JSON at offset 25: "
                              "unexpected end of input" % c)

    def test_file_growing_during_the_scan_is_read_as_it_stands_when_opened(
            self):
        a = self.ndjson("a.json", ["A1", "A2"])
        c = self.ndjson("c.json", ["C1"])

        def grow():
            with open(a, "a") as f:  # already read: not read again
                f.write('{"eventName":"A3"}\n')
            with open(c, "a") as f:  # not opened yet: read as it is then
                f.write('{"eventName":"C2"}\n')
        rows, err = self.scan_after_first_row("", grow)
        self.assertIsNone(err)
        self.assertEqual(rows, [("A1",), ("A2",), ("C1",), ("C2",)])
        # A record half written when the file is opened is an error, not a
        # lost row.
        with open(c, "a") as f:
            f.write('{"eventName":"C3","eventTi')
        msg = self.error("SELECT count(*) FROM cloudtrail(?)", self.dir)
        self.assertTrue(msg.startswith("cloudtrail: %s: invalid JSON at "
                                       "offset " % c), msg)

    def test_names_with_spaces_quotes_and_non_ascii(self):
        names = ["with space/it's a \"log\".json",
                 "\u00e9v\u00e9nements/\u65e5\u672c.jsonl",
                 "tab\there/x;y $(z).ndjson",
                 "100%/%s%n.json"]
        expect = []
        for i, rel in enumerate(names):
            path = self.ndjson(rel, ["E%d" % i])
            expect.append((path, "E%d" % i))
        expect.sort(key=lambda r: r[0].encode())
        self.assertEqual(self.q("SELECT logFile, eventName FROM cloudtrail(?)",
                                self.dir), expect)
        # Each file named directly, and a glob over a name with a space.
        for path, name in expect:
            self.assertEqual(self.q1("SELECT eventName FROM cloudtrail(?)",
                                     path), name)
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?)",
                                 os.path.join(self.dir, "with space", "*")),
                         1)
        # An error names the file exactly, whatever its bytes.
        bad = self.write("with space/it's bad \u00e9.json", "{")
        self.assertEqual(self.error("SELECT * FROM cloudtrail(?)", bad),
                         "cloudtrail: %s: invalid JSON at offset 1: "
                         "unexpected end of input" % bad)

    def test_decompression_bomb_stops_at_max_file_size_in_bounded_memory(self):
        # 512 MiB of zeros in half a megabyte of gzip.
        bomb = os.path.join(self.dir, "bomb.json.gz")
        with open(bomb, "wb") as f:
            z = zlib.compressobj(9, zlib.DEFLATED, 31)
            block = b"0" * (1 << 20)
            for _ in range(512):
                f.write(z.compress(block))
            f.write(z.flush())
        self.assertLess(os.path.getsize(bomb), 1 << 20)
        # A child process, so its peak RSS is the scan's alone.
        code = ("import sqlite3, sys\n"
                "db = sqlite3.connect(':memory:')\n"
                "db.enable_load_extension(True)\n"
                "db.load_extension(sys.argv[1])\n"
                "try:\n"
                "    db.execute(\"SELECT count(*) FROM cloudtrail(?, "
                "'max_file_size=32M')\", (sys.argv[2],)).fetchall()\n"
                "    print('no error')\n"
                "except sqlite3.Error as e:\n"
                "    print(e)\n"
                # VmHWM: this process's own peak (ru_maxrss would carry
                # the parent's over the fork and exec).
                "print([l.split()[1] for l in open('/proc/self/status')\n"
                "       if l.startswith('VmHWM:')][0])\n")
        out = subprocess.run(["/usr/bin/python3", "-c", code, EXT, bomb],
                             capture_output=True, text=True, check=True,
                             env=dict(os.environ, PYTHONMALLOC="malloc"))
        msg, rss_kb = out.stdout.splitlines()
        self.assertEqual(msg, "cloudtrail: %s: inflates to more than "
                              "max_file_size (33554432 bytes)" % bomb +
                         SKIP_HINT)
        if "asan" not in os.environ.get("LD_PRELOAD", ""):
            # The output buffer stops at the limit (+ the 1 MiB file).
            # (Not under ASan, whose quarantine keeps freed buffers.)
            self.assertLess(int(rss_kb), 120 * 1024)

    def test_nesting_past_the_limit_is_an_error_naming_the_file(self):
        deep = 10001
        path = self.write("deep.json", '{"Records":[{"eventName":"A","x":'
                          + "[" * deep + "]" * deep + "}]}")
        self.assertEqual(self.error("SELECT count(*) FROM cloudtrail(?)",
                                    path),
                         "cloudtrail: %s: invalid JSON at offset %d: nesting "
                         "deeper than 10000 levels" % (path, 33 + 10000))
        # (The offset is the 10,001st '[' inside the event.) One level less
        # is read, and the record keeps all of it.
        ok = self.write("ok.json", '{"Records":[{"eventName":"A","x":'
                        + "[" * 10000 + "]" * 10000 + "}]}")
        self.assertEqual(self.q1("SELECT length(record) FROM cloudtrail(?)",
                                 ok), len('{"eventName":"A","x":}') + 20000)

    def test_numbers_past_2_64_keep_their_text(self):
        nums = ["18446744073709551616", "-18446744073709551617",
                "123456789012345678901234567890", "1e400", "-0.0",
                "1.0000000000000000000001", "4.9e-325"]
        body = ",".join('"n%d":%s' % (i, n) for i, n in enumerate(nums))
        path = self.write("n.json", '{"Records":[{"eventName":"A",'
                          '"requestParameters":{%s}}]}' % body)
        text = self.q1("SELECT requestParameters FROM cloudtrail(?)", path)
        self.assertEqual(text, "{%s}" % body)
        rec = self.q1("SELECT record FROM cloudtrail(?)", path)
        for n in nums:
            self.assertIn(":%s" % n, rec)
        # SQLite's JSON functions read them as it reads any JSON.
        self.assertEqual(self.q1("SELECT json_valid(requestParameters) "
                                 "FROM cloudtrail(?)", path), 1)

    def test_walk_reports_what_it_cannot_examine(self):
        self.ndjson("ok.json", ["OK"])
        self.ndjson("d/sub/x.json", ["HIDDEN"])  # d: readable, not enterable
        self.ndjson("u.json", ["U"])               # unreadable file
        self.ndjson("ud/y.json", ["UD"])           # unreadable directory
        for rel in ("ok.json", "d/sub/x.json", "u.json", "ud/y.json"):
            os.chmod(os.path.join(self.dir, rel), 0o644)
        for rel in ("d/sub", "ud"):
            os.chmod(os.path.join(self.dir, rel), 0o755)
        os.chmod(os.path.join(self.dir, "d"), 0o744)
        os.chmod(os.path.join(self.dir, "u.json"), 0)
        os.chmod(os.path.join(self.dir, "ud"), 0)
        j = lambda rel: os.path.join(self.dir, rel)
        out, _ = as_nobody("SELECT eventName FROM cloudtrail(?)",
                                self.dir)
        self.assertEqual(out, "cloudtrail: %s: cannot stat: Permission "
                              "denied" % j("d/sub"))
        out, errs = as_nobody(
            "SELECT eventName FROM cloudtrail(?, 'on_error=skip')", self.dir)
        self.assertEqual(out, [("OK",)])
        self.assertEqual(errs, [
            (j("d/sub"), "cannot stat: Permission denied"),
            (j("u.json"), "cannot open: Permission denied"),
            (j("ud"), "cannot read directory: Permission denied")])

    def test_a_directory_past_path_max_is_an_error_not_skipped(self):
        self.ndjson("top.json", ["TOP"])
        deep = os.open(self.dir, os.O_RDONLY)
        try:
            for _ in range(22):  # 22 * 201 bytes > PATH_MAX (4096)
                os.mkdir("d" * 200, dir_fd=deep)
                nxt = os.open("d" * 200, os.O_RDONLY, dir_fd=deep)
                os.close(deep)
                deep = nxt
            fd = os.open("x.json", os.O_WRONLY | os.O_CREAT, dir_fd=deep)
            os.write(fd, b'{"eventName":"DEEP"}\n')
            os.close(fd)
        finally:
            os.close(deep)
        msg = self.error("SELECT count(*) FROM cloudtrail(?)", self.dir)
        self.assertTrue(msg.startswith("cloudtrail: %s/ddd" % self.dir), msg)
        self.assertTrue(msg.endswith(": cannot stat: File name too long"), msg)
        self.assertEqual(self.q("SELECT eventName FROM cloudtrail(?, "
                                "'on_error=skip')", self.dir), [("TOP",)])
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail_errors"), 1)

    def test_links_that_lead_nowhere_are_ignored_unless_named_like_logs(self):
        self.ndjson("a.json", ["A"])
        os.symlink("nowhere", os.path.join(self.dir, "broken"))
        os.symlink("loop2", os.path.join(self.dir, "loop1"))
        os.symlink("loop1", os.path.join(self.dir, "loop2"))
        self.assertEqual(self.q("SELECT eventName FROM cloudtrail(?)",
                                self.dir), [("A",)])
        stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
        self.assertEqual(stats["files_ignored"], 3)
        # Two links to one directory (not a loop): read once, by the first
        # path in walk order; the other two are repeats.
        os.makedirs(os.path.join(self.dir, "z", "real"))
        self.ndjson("z/real/r.json", ["R"])
        os.symlink("real", os.path.join(self.dir, "z", "link1"))
        os.symlink("real", os.path.join(self.dir, "z", "link2"))
        self.assertEqual(
            self.q("SELECT logFile, eventName FROM cloudtrail(?)",
                   os.path.join(self.dir, "z")),
            [(os.path.join(self.dir, "z", "link1", "r.json"), "R")])
        stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
        self.assertEqual(stats["dirs_repeated"], 2)
        bad = os.path.join(self.dir, "b.json")
        os.symlink("nowhere.json", bad)
        self.assertEqual(self.error("SELECT * FROM cloudtrail(?)", self.dir),
                         "cloudtrail: %s: cannot stat: No such file or "
                         "directory" % bad)

    def test_a_tree_of_links_is_walked_once(self):
        # Directories linked two ways at each level: 2^20 paths, none a
        # loop. Each directory is walked once (the interrupt of a long walk
        # is tested in tests/conn.c): d0/a/a/.../a reaches every level
        # first; each b, and top/d1 .. top/d20, are repeats.
        for with_logs in (False, True):
            top = os.path.join(self.dir, "dag%d" % with_logs)
            depth = 20
            for i in range(depth + 1):
                os.makedirs(os.path.join(top, "d%d" % i))
            for i in range(depth):
                for name in ("a", "b"):
                    os.symlink("../d%d" % (i + 1),
                               os.path.join(top, "d%d" % i, name))
            if with_logs:
                self.ndjson(os.path.join(top, "d%d" % depth, "x.json"),
                            ["X"])
                self.assertEqual(
                    self.q("SELECT eventName, logFile FROM cloudtrail(?)",
                           top),
                    [("X", os.path.join(top, "d0", *(["a"] * depth),
                                        "x.json"))])
            else:
                self.assertIn("no log files found",
                              self.error("SELECT count(*) FROM cloudtrail(?)",
                                         top))
            stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
            self.assertEqual(stats["dirs"], depth + 2)
            self.assertEqual(stats["dirs_repeated"], 2 * depth)
            self.assertEqual(stats["files_repeated"], 0)

    def test_a_third_argument_is_an_error_not_a_filter(self):
        self.ndjson("a.json", ["A"])
        for extra in ("'threads=2'", "NULL", "'{}'"):
            with self.subTest(extra=extra):
                self.assertEqual(
                    self.error("SELECT count(*) FROM cloudtrail(?, "
                               "'on_error=skip', %s)" % extra, self.dir),
                    "cloudtrail: too many arguments: cloudtrail(path, "
                    "options) takes two; give the options as one text, "
                    "e.g. 'on_error=skip, threads=2'")
        # In CREATE VIRTUAL TABLE options are separate arguments.
        self.db.execute("CREATE VIRTUAL TABLE temp.t USING cloudtrail('%s', "
                        "on_error=skip, threads=2)" % self.dir)
        self.assertEqual(self.q1("SELECT count(*) FROM t"), 1)

    def test_nested_queries_over_the_table(self):
        for i in range(3):
            self.ndjson("f%d.json" % i, ["N%d" % j for j in range(i + 1)])
        sql = ("SELECT eventName, (SELECT count(*) FROM cloudtrail(?1) b "
               "WHERE b.eventName = a.eventName) FROM cloudtrail(?1) a "
               "WHERE eventName IN (SELECT eventName FROM cloudtrail(?1) "
               "WHERE eventName > 'N0') ORDER BY 1")
        self.assertEqual(self.q(sql, self.dir),
                         [("N1", 2), ("N1", 2), ("N2", 1)])

    def test_connection_closed_mid_scan(self):
        for i in range(20):
            self.ndjson("f%02d.json" % i, ["E%d" % j for j in range(50)])
        for threads in ("0", "2"):
            db = connect()
            cur = db.execute("SELECT eventName FROM cloudtrail(?, ?)",
                             (self.dir, "threads=" + threads))
            self.assertEqual(cur.fetchone(), ("E0",))
            db.close()  # with the cursor open and workers reading ahead
            with self.assertRaises(sqlite3.ProgrammingError):
                cur.fetchone()
            del cur

    def test_many_connections_in_threads_scan_at_once(self):
        import threading
        for i in range(12):
            self.ndjson("f%02d.json" % i, ["E%d" % (j % 7) for j in range(90)])
        want = self.q("SELECT eventName, count(*) FROM cloudtrail(?) "
                      "GROUP BY 1", self.dir)
        results, errors = [], []

        def worker(k):
            try:
                db = sqlite3.connect(":memory:", check_same_thread=False)
                db.enable_load_extension(True)
                db.load_extension(EXT)
                for _ in range(3):
                    results.append(db.execute(
                        "SELECT eventName, count(*) FROM cloudtrail(?, ?) "
                        "GROUP BY 1", (self.dir, "threads=%d" % (k % 3))
                    ).fetchall())
                db.close()
            except Exception as e:  # reported below, not lost
                errors.append(repr(e))
        ts = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 24)
        for r in results:
            self.assertEqual(r, want)


def main(module=__name__):
    """Run the tests of module (a test file that imports this one as tc):
    argv is EXT [-k PATTERN]; ends with "N passed, N failed"."""
    global EXT
    args = sys.argv[1:]
    EXT = os.path.abspath(args.pop(0))
    loader = unittest.TestLoader()
    if args[:1] == ["-k"]:
        loader.testNamePatterns = ["*%s*" % args[1]]
    suite = loader.loadTestsFromModule(sys.modules[module])
    result = unittest.TextTestRunner(verbosity=1, stream=sys.stdout).run(suite)
    bad = {getattr(t, "test_case", t).id()
           for t, _ in result.failures + result.errors}
    print("%d passed, %d failed" % (result.testsRun - len(bad), len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
