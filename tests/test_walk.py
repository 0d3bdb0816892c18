"""Tests of the walk: each file once per scan, NUL bytes in path arguments,
escaped names in messages, FIFOs and devices behind log names, the "no log
files found" error and cloudtrail_files().

    /usr/bin/python3 tests/test_walk.py build/cloudtrail [-k PATTERN]

(The interrupt of a huge listing or pattern match is in tests/conn.c.)
"""
import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_cloudtrail as tc  # noqa: E402

NAMES_READ = "names read: .json, .jsonl, .ndjson, each optionally .gz"


class WalkBase(tc.TempDir):
    def ndjson(self, rel, names):
        return self.write(rel, "".join(
            '{"eventName":"%s","eventTime":"2024-03-01T10:00:00Z"}\n' % n
            for n in names))

    def stats(self):
        return json.loads(self.q1("SELECT cloudtrail_stats()"))


class Repeats(WalkBase):
    def test_six_levels_of_ten_links_over_one_file_give_one_row(self):
        # L0 .. L5 each hold ten links to the next level; L6 holds the file:
        # 10^6 paths to it, walked each way before (1,000,000 rows).
        top = os.path.join(self.dir, "t")
        for i in range(7):
            os.makedirs(os.path.join(top, "L%d" % i))
        for i in range(6):
            for k in range(10):
                os.symlink("../L%d" % (i + 1),
                           os.path.join(top, "L%d" % i, "k%d" % k))
        self.ndjson("t/L6/x.json", ["X"])
        rows = self.q("SELECT eventName, logFile FROM cloudtrail(?)",
                      os.path.join(top, "L0"))
        # The first path in walk order: k0 at each level.
        self.assertEqual(rows, [("X", os.path.join(
            top, "L0", "k0", "k0", "k0", "k0", "k0", "k0", "x.json"))])
        st = self.stats()
        self.assertEqual(st["files"], 1)
        self.assertEqual(st["dirs"], 7)
        self.assertEqual(st["dirs_repeated"], 6 * 9)
        self.assertEqual(st["files_repeated"], 0)

    def test_a_file_reached_by_several_links_is_read_once(self):
        a = self.ndjson("a.json", ["A"])
        os.link(a, os.path.join(self.dir, "b.json"))     # a hard link
        os.symlink("a.json", os.path.join(self.dir, "c.json"))
        os.makedirs(os.path.join(self.dir, "sub"))
        os.symlink("../a.json", os.path.join(self.dir, "sub", "d.json"))
        self.ndjson("e.json", ["E"])
        self.assertEqual(
            self.q("SELECT eventName, logFile FROM cloudtrail(?)", self.dir),
            [("A", a), ("E", os.path.join(self.dir, "e.json"))])
        st = self.stats()
        self.assertEqual(st["files"], 2)
        self.assertEqual(st["files_repeated"], 3)
        # The first path in walk order wins: a link that sorts first.
        os.symlink("e.json", os.path.join(self.dir, "0.json"))
        self.assertEqual(
            self.q("SELECT eventName, logFile FROM cloudtrail(?)", self.dir),
            [("E", os.path.join(self.dir, "0.json")), ("A", a)])

    def test_overlapping_pattern_matches_are_read_once(self):
        self.ndjson("logs/a/x.json", ["X"])
        os.symlink("a", os.path.join(self.dir, "logs", "b"))
        os.symlink("a/x.json", os.path.join(self.dir, "logs", "y.json"))
        pat = os.path.join(self.dir, "logs", "*")
        self.assertEqual(
            self.q("SELECT eventName, logFile FROM cloudtrail(?)", pat),
            [("X", os.path.join(self.dir, "logs", "a", "x.json"))])
        st = self.stats()
        self.assertEqual(st["dirs_repeated"], 1)   # logs/b
        self.assertEqual(st["files_repeated"], 1)  # logs/y.json

    def test_rows_are_the_same_with_threads(self):
        a = self.ndjson("a.json", ["A1", "A2"])
        for k in range(20):
            os.link(a, os.path.join(self.dir, "h%02d.json" % k))
        for threads in (0, 1, 3):
            self.assertEqual(
                self.q("SELECT eventName FROM cloudtrail(?, ?)", self.dir,
                       "threads=%d" % threads), [("A1",), ("A2",)])
            self.assertEqual(self.stats()["files_repeated"], 20)


class Arguments(WalkBase):
    def test_a_nul_in_the_path_is_an_error(self):
        self.ndjson("a.json", ["A"])
        want = ("cloudtrail: the path argument holds a NUL byte (at byte %d);"
                " a path or option cannot contain one" % len(self.dir))
        # Bound as a parameter, and built in SQL.
        self.assertEqual(self.error("SELECT * FROM cloudtrail(?)",
                                    self.dir + "\0/elsewhere"), want)
        self.assertEqual(self.error("SELECT * FROM cloudtrail(? || char(0) "
                                    "|| 'x')", self.dir), want)
        self.assertEqual(
            self.error("SELECT * FROM cloudtrail(char(%s,0,47))"
                       % ",".join(str(b) for b in os.fsencode(self.dir))),
            want)
        # With a named table, the path is given at query time too.
        self.db.execute("CREATE VIRTUAL TABLE temp.t USING cloudtrail")
        self.assertEqual(self.error("SELECT * FROM t WHERE path = ?",
                                    self.dir + "\0"), want)
        # Options too.
        self.assertIn("the options argument holds a NUL byte",
                      self.error("SELECT * FROM cloudtrail(?, 'threads=0' || "
                                 "char(0) || 'junk')", self.dir))
        # Without a NUL, all is well.
        self.assertEqual(self.q("SELECT eventName FROM cloudtrail(?)",
                                self.dir), [("A",)])

    def test_cloudtrail_files_rejects_a_nul_too(self):
        self.assertIn("NUL", self.error(
            "SELECT * FROM cloudtrail_files(? || char(0))", self.dir))


class EscapedNames(WalkBase):
    ODD = "a\nb\x01c\\d\te\x7f.json"
    SHOWN = "a\\nb\\x01c\\\\d\\te\\x7f.json"

    def test_messages_escape_control_characters_and_backslashes(self):
        bad = self.write(self.ODD, '{"Records":[')
        want = ("cloudtrail: %s/%s: invalid JSON at offset 12: unexpected end"
                " of input" % (self.dir, self.SHOWN))
        self.assertEqual(self.error("SELECT * FROM cloudtrail(?)", self.dir),
                         want)
        # The file named directly: the same.
        self.assertEqual(self.error("SELECT * FROM cloudtrail(?)", bad), want)
        # cloudtrail_errors keeps the exact name (it is data); its error text
        # is the cause.
        self.assertEqual(self.q("SELECT count(*) FROM cloudtrail(?, "
                                "'on_error=skip')", bad), [(0,)])
        self.assertEqual(self.q("SELECT file, error FROM cloudtrail_errors"),
                         [(bad, "invalid JSON at offset 12: unexpected end "
                                "of input")])

    def test_logfile_keeps_the_exact_name(self):
        good = self.ndjson(self.ODD, ["A"])
        self.assertEqual(self.q("SELECT logFile FROM cloudtrail(?)",
                                self.dir), [(good,)])

    def test_invalid_utf8_and_c1_controls_are_escaped(self):
        name = os.fsdecode(b"x\xff\xc2\x9by\xc3\xa9.json")
        self.write(name, "{")
        msg = self.error("SELECT * FROM cloudtrail(?)", self.dir)
        self.assertIn("/x\\xff\\xc2\\x9by\u00e9.json: ", msg)

    def test_names_in_the_no_log_files_message_are_escaped(self):
        self.write("a\nb.txt", "x")
        msg = self.error("SELECT * FROM cloudtrail(?)", self.dir)
        self.assertIn("e.g. a\\nb.txt;", msg)


class NotRegular(WalkBase):
    def test_a_link_named_like_a_log_to_a_fifo_is_not_opened(self):
        fifo = os.path.join(self.dir, "pipe")
        os.mkfifo(fifo)
        link = os.path.join(self.dir, "p.json")
        os.symlink("pipe", link)
        # A writer waits in open() until a reader opens the FIFO: had the
        # scan opened it, the writer would be released.
        opened = []

        def writer():
            fd = os.open(fifo, os.O_WRONLY)
            opened.append(fd)
        t = threading.Thread(target=writer)
        t.start()
        try:
            self.assertEqual(self.error("SELECT * FROM cloudtrail(?)",
                                        self.dir),
                             "cloudtrail: %s: not a regular file" % link)
            self.assertEqual(self.error("SELECT * FROM cloudtrail(?)", link),
                             "cloudtrail: %s: not a regular file" % link)
            t.join(1.0)
            self.assertTrue(t.is_alive(), "the scan opened the FIFO")
            self.assertEqual(opened, [])
        finally:
            r = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # release it
            t.join()
            os.close(r)
            for fd in opened:
                os.close(fd)

    def test_a_link_named_like_a_log_to_a_device_is_rejected(self):
        link = os.path.join(self.dir, "dev.json.gz")
        os.symlink("/dev/null", link)
        self.assertEqual(self.error("SELECT * FROM cloudtrail(?)", self.dir),
                         "cloudtrail: %s: not a regular file" % link)
        self.assertEqual(
            self.q("SELECT status, error FROM cloudtrail_files(?)", self.dir),
            [("error", "not a regular file")])


class NoLogFiles(WalkBase):
    def test_a_walk_that_finds_no_log_file_is_an_error(self):
        for name in ("000000.gz", "a.log", "b.txt", "c.csv"):
            self.write(name, "x")
        want = ("cloudtrail: %s: no log files found (4 files ignored by name,"
                " e.g. 000000.gz, a.log, b.txt; %s)" % (self.dir, NAMES_READ))
        self.assertEqual(self.error("SELECT count(*) FROM cloudtrail(?)",
                                    self.dir), want)
        # on_error=skip: no row, and the same line in cloudtrail_errors.
        self.assertEqual(self.q1("SELECT count(*) FROM cloudtrail(?, "
                                 "'on_error=skip')", self.dir), 0)
        self.assertEqual(
            self.q("SELECT file, error FROM cloudtrail_errors"),
            [(self.dir, want[len("cloudtrail: %s: " % self.dir):])])
        self.assertEqual(self.stats()["files_failed"], 1)

    def test_names_are_relative_to_the_path_given(self):
        self.write("x/y/000000.gz", "x")
        self.assertIn("(1 file ignored by name, e.g. x/y/000000.gz; ",
                      self.error("SELECT * FROM cloudtrail(?)", self.dir))

    def test_an_empty_directory_is_that_error_too(self):
        os.makedirs(os.path.join(self.dir, "sub", "deeper"))
        self.assertEqual(self.error("SELECT count(*) FROM cloudtrail(?)",
                                    self.dir),
                         "cloudtrail: %s: no log files found (and no other "
                         "files; %s)" % (self.dir, NAMES_READ))

    def test_a_pattern_whose_matches_hold_no_log_file(self):
        self.write("a.log", "x")
        pat = os.path.join(self.dir, "*.log")
        self.assertEqual(self.error("SELECT * FROM cloudtrail(?)", pat),
                         "cloudtrail: %s: no log files found (1 file ignored "
                         "by name, e.g. %s/a.log; %s)"
                         % (pat, self.dir, NAMES_READ))

    def test_only_digests_is_that_error(self):
        self.write("CloudTrail-Digest/x.json.gz", "x")
        self.write("1_CloudTrail-Digest_x.json", "x")
        self.assertIn("no log files found (1 file ignored by name, e.g. "
                      "1_CloudTrail-Digest_x.json;",
                      self.error("SELECT * FROM cloudtrail(?)", self.dir))

    def test_only_digest_folders_says_so(self):
        self.write("CloudTrail-Digest/x.json.gz", "x")
        self.assertEqual(self.error("SELECT * FROM cloudtrail(?)", self.dir),
                         "cloudtrail: %s: no log files found (only digest "
                         "folders, skipped; %s)" % (self.dir, NAMES_READ))

    def test_log_files_that_pushdown_skips_are_no_error(self):
        self.ndjson("a.json", ["A"])
        self.write(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/"
            "111122223333_CloudTrail_us-east-1_20240301T1000Z_abc.json",
            '{"Records":[{"eventName":"B",'
            '"eventTime":"2024-03-01T10:00:00Z"}]}')
        self.assertEqual(self.q("SELECT * FROM cloudtrail(?) WHERE "
                                "eventName = 'Nothing'", self.dir), [])
        self.assertEqual(self.q("SELECT eventName FROM cloudtrail(?) WHERE "
                                "logAccount = '999999999999'", self.dir), [])
        # A directory with log files that fail is their error, not this one.
        self.write("b.json", "{")
        self.assertNotIn("no log files",
                         self.error("SELECT * FROM cloudtrail(?)", self.dir))


class Files(WalkBase):
    def test_cloudtrail_files_lists_every_entry_and_its_status(self):
        a = self.ndjson("a.json", ["A"])
        self.write("export/000000.gz", "x")
        self.write("CloudTrail-Digest/d.json.gz", "x")
        self.write("1_CloudTrail-Digest_2.json.gz", "x")
        os.symlink("a.json", os.path.join(self.dir, "b.json"))
        os.symlink(".", os.path.join(self.dir, "export", "self"))
        os.symlink("export", os.path.join(self.dir, "export2"))
        os.symlink("nowhere.json", os.path.join(self.dir, "c.json"))
        os.symlink("nowhere", os.path.join(self.dir, "d"))
        j = lambda *p: os.path.join(self.dir, *p)  # noqa: E731
        self.assertEqual(
            self.q("SELECT path, status, error FROM cloudtrail_files(?)",
                   self.dir),
            [(j("1_CloudTrail-Digest_2.json.gz"), "digest", None),
             (j("CloudTrail-Digest"), "digest", None),
             (a, "log", None),
             (j("b.json"), "repeat", None),
             (j("c.json"), "error", "cannot stat: No such file or directory"),
             (j("d"), "ignored", None),
             (j("export", "000000.gz"), "ignored", None),
             (j("export", "self"), "loop", None),
             (j("export2"), "repeat", None)])
        # Only directories are opened; the listing is no scan.
        self.assertEqual(
            self.q("SELECT status, count(*) FROM cloudtrail_files(?) "
                   "GROUP BY 1 ORDER BY 1", j("export")),
            [("ignored", 1), ("loop", 1)])

    def test_cloudtrail_files_shows_what_a_failed_walk_ignored(self):
        self.write("000000.gz", "x")
        self.assertIn("no log files found",
                      self.error("SELECT * FROM cloudtrail(?)", self.dir))
        self.assertEqual(
            self.q("SELECT path, status FROM cloudtrail_files(?)", self.dir),
            [(os.path.join(self.dir, "000000.gz"), "ignored")])
        # A pattern, and a path that does not exist.
        self.assertEqual(
            self.q("SELECT status FROM cloudtrail_files(?)",
                   os.path.join(self.dir, "*.gz")), [("ignored",)])
        self.assertEqual(
            self.q("SELECT status, error FROM cloudtrail_files(?)",
                   os.path.join(self.dir, "nope")),
            [("error", "no such file or directory")])

    def test_cloudtrail_files_needs_a_path_and_is_direct_only(self):
        self.assertIn("no path given",
                      self.error("SELECT * FROM cloudtrail_files"))
        self.assertIn("must be text",
                      self.error("SELECT * FROM cloudtrail_files(1)"))
        self.db.execute("CREATE VIEW v AS SELECT * FROM "
                        "cloudtrail_files('/')")
        self.assertIn("unsafe use of virtual table",
                      self.error("SELECT * FROM v"))


if __name__ == "__main__":
    tc.main(__name__)
