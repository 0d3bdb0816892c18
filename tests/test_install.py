"""Tests of `make install` and `make uninstall`: the files and where they go
(PREFIX, DESTDIR), the extension loaded by name from another directory (the
sqlite3 shell and Python, with LD_LIBRARY_PATH) or by full path, the views
read from the installed sql/, and an uninstall that leaves no file behind.
Never touches the real /usr/local: every install goes under a temp dir.

    /usr/bin/python3 tests/test_install.py build/cloudtrail [-k PATTERN]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_cloudtrail as tc  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SQL_FILES = sorted(f for f in os.listdir(os.path.join(REPO, "sql"))
                   if f.endswith(".sql"))
LOGS = os.path.join(REPO, "examples", "logs")
with open(os.path.join(REPO, "Makefile")) as _f:
    VERSION = next(line.split(":=")[1].strip() for line in _f
                   if line.startswith("VERSION"))


def files_under(root):
    """Every file (not directory) under root, relative, sorted."""
    out = []
    for d, _, names in os.walk(root):
        out += [os.path.relpath(os.path.join(d, n), root) for n in names]
    return sorted(out)


class InstallBase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.elsewhere = tempfile.mkdtemp()   # a cwd with no extension in it

    def tearDown(self):
        shutil.rmtree(self.tmp)
        shutil.rmtree(self.elsewhere)

    def make(self, *args):
        build = os.path.dirname(tc.EXT)
        r = subprocess.run(["make", "-s", "--no-print-directory",
                            "BUILD=" + build] + list(args),
                           cwd=REPO, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def run_in_elsewhere(self, argv, stdin="", lib=None):
        env = dict(os.environ)
        env.pop("LD_LIBRARY_PATH", None)
        if lib:
            env["LD_LIBRARY_PATH"] = lib
        return subprocess.run(argv, cwd=self.elsewhere, env=env, input=stdin,
                              capture_output=True, text=True)


class DestDir(InstallBase):
    def test_files_under_destdir(self):
        self.make("install", "DESTDIR=" + self.tmp, "PREFIX=/usr/local")
        want = ["usr/local/lib/cloudtrail.so"] + [
            "usr/local/share/cloudtrail/sql/" + f for f in SQL_FILES]
        self.assertEqual(files_under(self.tmp), sorted(want))
        with open(tc.EXT + ".so", "rb") as a, \
                open(os.path.join(self.tmp, want[0]), "rb") as b:
            self.assertTrue(a.read() == b.read())
        for f in SQL_FILES:
            with open(os.path.join(REPO, "sql", f)) as a, open(os.path.join(
                    self.tmp, "usr/local/share/cloudtrail/sql", f)) as b:
                self.assertEqual(a.read(), b.read())
        self.make("uninstall", "DESTDIR=" + self.tmp, "PREFIX=/usr/local")
        self.assertEqual(files_under(self.tmp), [])


class Prefix(InstallBase):
    def setUp(self):
        super().setUp()
        self.make("install", "PREFIX=" + self.tmp)
        self.lib = os.path.join(self.tmp, "lib")
        self.sql = os.path.join(self.tmp, "share", "cloudtrail", "sql")

    def shell(self, script, lib=None):
        return self.run_in_elsewhere(["sqlite3", "-batch", "-bail",
                                      ":memory:"], script, lib)

    def test_shell_loads_by_name(self):
        r = self.shell(".load cloudtrail\nSELECT cloudtrail_version();\n"
                       "SELECT count(*) > 0 FROM cloudtrail('%s');\n" % LOGS,
                       self.lib)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), [VERSION, "1"])

    def test_shell_loads_by_full_path(self):
        r = self.shell(".load %s\nSELECT cloudtrail_version();\n"
                       % os.path.join(self.lib, "cloudtrail"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), [VERSION])

    def test_installed_views(self):
        r = self.shell(
            ".load cloudtrail\n"
            "CREATE VIRTUAL TABLE temp.trail USING cloudtrail('%s');\n"
            ".read %s\n"
            "SELECT count(*) > 0 FROM sqlite_temp_master "
            "WHERE type = 'view';\n" % (LOGS, os.path.join(self.sql, "cis.sql")),
            self.lib)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split()[-1:], ["1"])

    def test_python_loads_by_name(self):
        code = ("import sqlite3\n"
                "db = sqlite3.connect(':memory:')\n"
                "db.enable_load_extension(True)\n"
                "db.load_extension('cloudtrail')\n"
                "print(db.execute('SELECT cloudtrail_version()').fetchone()[0])\n")
        r = self.run_in_elsewhere(["/usr/bin/python3", "-c", code], lib=self.lib)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), [VERSION])

    def test_uninstall_leaves_no_file(self):
        keep = os.path.join(self.lib, "other.so")   # not ours: stays
        with open(keep, "w") as f:
            f.write("x")
        self.make("uninstall", "PREFIX=" + self.tmp)
        self.assertEqual(files_under(self.tmp), ["lib/other.so"])
        os.remove(keep)
        self.assertEqual(files_under(self.tmp), [])
        r = self.shell(".load cloudtrail\n", self.lib)
        self.assertNotEqual(r.returncode, 0)


if __name__ == "__main__":
    tc.main(__name__)
