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
        with self.assertRaises(sqlite3.Error) as cm:
            self.db.execute(sql, args).fetchall()
        return str(cm.exception)


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
                              '(options: on_error, max_file_size)')

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
                              '(options: on_error, max_file_size)')
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
            script = (
                "import sqlite3,sys\n"
                "db=sqlite3.connect(':memory:')\n"
                "db.enable_load_extension(True)\n"
                "db.load_extension(sys.argv[1])\n"
                "try:\n"
                "  db.execute('SELECT * FROM cloudtrail(?)',(sys.argv[2],)).fetchall()\n"
                "  print('NO ERROR')\n"
                "except sqlite3.Error as e:\n"
                "  print(e)\n")
            p = subprocess.run(
                ["setpriv", "--reuid=nobody", "--regid=nogroup",
                 "--clear-groups", sys.executable, "-c", script, EXT, path],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
            out = p.stdout.decode().strip()
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
        self.assertIn("BadJsonFormat.json: invalid JSON",
                      self.error("SELECT count(*) FROM trail"))

    def test_create_is_lazy(self):
        self.db.execute("CREATE VIRTUAL TABLE t USING cloudtrail("
                        "'/not/there/yet')")
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
            # ... but a walk ignores names that are not .json etc.
            self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?)",
                                     d), 0)
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

    def test_query_plan_consumes_path_and_options(self):
        plan = self.q("EXPLAIN QUERY PLAN SELECT * FROM cloudtrail(?, ?)",
                      REAL, "on_error=skip")
        self.assertEqual([r[3] for r in plan],
                         ["SCAN cloudtrail VIRTUAL TABLE INDEX 3:"])
        plan = self.q("EXPLAIN QUERY PLAN SELECT * FROM cloudtrail(?)", REAL)
        self.assertEqual([r[3] for r in plan],
                         ["SCAN cloudtrail VIRTUAL TABLE INDEX 1:"])


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
            # a/x.json, then b/x.json (b links to a); a/up and b/up loop.
            self.assertEqual(rows, [(os.path.join(d, "a", "x.json"),),
                                    (os.path.join(d, "b", "x.json"),)])
            stats = json.loads(self.q1("SELECT cloudtrail_stats()"))
            self.assertEqual(stats["loops_skipped"], 2)
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


def main():
    global EXT
    args = sys.argv[1:]
    EXT = os.path.abspath(args.pop(0))
    loader = unittest.TestLoader()
    if args[:1] == ["-k"]:
        loader.testNamePatterns = ["*%s*" % args[1]]
    suite = loader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=1, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed" % (result.testsRun - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
