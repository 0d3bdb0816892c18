/*
** tests/unit/walk.c - ct_walk: the directory walk in byte order,
** symbolic-link loops, patterns against glob(3), missing paths, broken
** links, stops while listing or matching, and each file once.
*/
#include "helpers.h"

#include "ct_util.h"
#include "ct_walk.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Run a whole walk; returns a malloc'd transcript, one line per step:
** "F path" for a file, "E path: error" for an error. */
static char *walkAll(const char *zPath, CtWalkStats *pStats) {
  CtWalk *w = ctWalkOpen(zPath);
  char *zOut = ctMprintf("%s", "");
  int rc, nStep = 0;
  if (w == 0 || zOut == 0)
    abort();
  for (;;) {
    const char *zFile = 0;
    char *zErr = 0;
    char *zNext;
    rc = ctWalkNext(w, &zFile, &zErr);
    if (rc == CT_WALK_DONE)
      break;
    if (rc == CT_WALK_FILE) {
      CHECK(zErr == 0);
      zNext = ctMprintf("%sF %s\n", zOut, zFile);
    } else {
      CHECK(rc == CT_WALK_ERROR && zErr != 0);
      zNext = ctMprintf("%sE %s: %s\n", zOut, zFile ? zFile : "(null)",
                        zErr ? zErr : "(null)");
    }
    free(zErr);
    free(zOut);
    zOut = zNext;
    if (++nStep > 1000)
      break; /* a walk that never ends */
  }
  if (pStats)
    *pStats = *ctWalkStats(w);
  ctWalkClose(w);
  return zOut;
}

static void mkFile(const char *zRel) {
  char *z = tmpPath(zRel);
  writeFile(z, "{}", 2);
  free(z);
}
static void mkDirRel(const char *zRel) {
  char *z = tmpPath(zRel);
  makeDir(z);
  free(z);
}
static void mkLink(const char *zTarget, const char *zRel) {
  char *z = tmpPath(zRel);
  if (symlink(zTarget, z) != 0) {
    fprintf(stderr, "symlink %s: %s\n", z, strerror(errno));
    abort();
  }
  free(z);
}

/* The paths of the "F" lines of a transcript are in strcmp order. */
static int filesSorted(const char *zOut) {
  const char *zPrev = 0;
  size_t nPrev = 0;
  const char *z = zOut;
  while (*z) {
    const char *zEol = strchr(z, '\n');
    if (zEol == 0)
      return 0;
    if (z[0] == 'F') {
      const char *p = z + 2;
      size_t n = (size_t)(zEol - p);
      if (zPrev) {
        int c = memcmp(zPrev, p, n < nPrev ? n : nPrev);
        if (c > 0 || (c == 0 && nPrev >= n))
          return 0;
      }
      zPrev = p;
      nPrev = n;
    }
    z = zEol + 1;
  }
  return 1;
}

static void walk_should_return_log_files_in_byte_order(void) {
  char *zRoot = tmpPath("walk1");
  char *zOut, *zWant;
  CtWalkStats st;
  mkDirRel("walk1");
  mkFile("walk1/a.json");
  mkFile("walk1/b.json.gz");
  mkFile("walk1/c.jsonl");
  mkFile("walk1/d.ndjson");
  mkFile("walk1/E.JSON");
  mkFile("walk1/F.Json.Gz");
  mkFile("walk1/g.ndjson.gz");
  mkFile("walk1/h.JSONL.GZ");
  mkFile("walk1/notes.txt");
  mkFile("walk1/x.csv");
  mkFile("walk1/y.json.bak");
  mkFile("walk1/y.gz");
  mkDirRel("walk1/sub");
  mkFile("walk1/sub/f.json");
  mkFile("walk1/sub.json");
  mkFile("walk1/sub0.json");
  mkDirRel("walk1/CloudTrail-Digest");
  mkFile("walk1/CloudTrail-Digest/dg.json");
  mkFile("walk1/z-CloudTrail-Digest_x.json");
  mkLink("..", "walk1/sub/loop");
  mkLink("a.json", "walk1/link.json");
  zOut = walkAll(zRoot, &st);
  zWant = ctMprintf("F %s/E.JSON\n"
                    "F %s/F.Json.Gz\n"
                    "F %s/a.json\n"
                    "F %s/b.json.gz\n"
                    "F %s/c.jsonl\n"
                    "F %s/d.ndjson\n"
                    "F %s/g.ndjson.gz\n"
                    "F %s/h.JSONL.GZ\n"
                    "F %s/sub.json\n"
                    "F %s/sub/f.json\n"
                    "F %s/sub0.json\n",
                    zRoot, zRoot, zRoot, zRoot, zRoot, zRoot, zRoot, zRoot,
                    zRoot, zRoot, zRoot);
  CHECKF(strcmp(zOut, zWant) == 0, ":\n--- got\n%s--- want\n%s", zOut, zWant);
  CHECK(filesSorted(zOut));
  /* notes.txt, x.csv, y.json.bak, y.gz, z-CloudTrail-Digest_x.json; the
  ** CloudTrail-Digest folder is skipped whole, its files unseen. */
  CHECKF(st.nIgnored == 5, ": nIgnored %lld", st.nIgnored);
  CHECKF(st.nLoops == 1, ": nLoops %lld", st.nLoops);
  CHECKF(st.nDirs == 2, ": nDirs %lld", st.nDirs);
  /* link.json leads to a.json, handed out already: a repeat. */
  CHECKF(st.nRepeats == 1, ": nRepeats %lld", st.nRepeats);
  CHECKF(st.nDirRepeats == 0, ": nDirRepeats %lld", st.nDirRepeats);
  free(zOut);
  free(zWant);
  /* The same with a trailing slash on the root. */
  {
    char *zSlash = ctMprintf("%s/", zRoot);
    zOut = walkAll(zSlash, &st);
    CHECK(filesSorted(zOut));
    CHECK(contains(zOut, "F ") && !contains(zOut, "//"));
    CHECK(st.nLoops == 1);
    free(zOut);
    free(zSlash);
  }
  free(zRoot);
}

static void walk_should_detect_deeper_symlink_loops(void) {
  char *zRoot = tmpPath("walk2");
  char *zOut;
  CtWalkStats st;
  mkDirRel("walk2");
  mkDirRel("walk2/a");
  mkDirRel("walk2/a/b");
  mkFile("walk2/a/b/x.json");
  mkLink("../../a", "walk2/a/b/up"); /* back to a: a loop */
  mkLink(".", "walk2/a/b/here");     /* b itself: a loop */
  mkLink("a", "walk2/same");         /* a again, but not a loop */
  mkLink("self.json", "walk2/self.json");
  zOut = walkAll(zRoot, &st);
  CHECK(filesSorted(zOut));
  CHECK(contains(zOut, "/walk2/a/b/x.json\n"));
  /* same is a, walked already: a repeat, not walked again. */
  CHECK(!contains(zOut, "/walk2/same/"));
  CHECKF(st.nDirRepeats == 1, ": nDirRepeats %lld", st.nDirRepeats);
  /* a/b/up, a/b/here. */
  CHECKF(st.nLoops == 2, ": nLoops %lld", st.nLoops);
  CHECKF(st.nDirs == 3, ": nDirs %lld", st.nDirs); /* walk2 a a/b */
  /* self.json is a link to itself: reported, and the walk goes on. */
  CHECK(contains(zOut, "/walk2/self.json: cannot stat"));
  free(zOut);
  free(zRoot);
}

static void walk_should_walk_each_glob_match(void) {
  char *zPat = tmpPath("walk3/g*");
  char *zRoot = tmpPath("walk3");
  char *zOut, *zWant;
  CtWalkStats st;
  mkDirRel("walk3");
  mkDirRel("walk3/g1");
  mkDirRel("walk3/g2");
  mkDirRel("walk3/g2/deep");
  mkDirRel("walk3/h");
  mkFile("walk3/g1/a.json");
  mkFile("walk3/g1/n.txt");
  mkFile("walk3/g2/b.json.gz");
  mkFile("walk3/g2/deep/c.json");
  mkFile("walk3/h/x.json");
  zOut = walkAll(zPat, &st);
  zWant = ctMprintf("F %s/g1/a.json\nF %s/g2/b.json.gz\nF %s/g2/deep/c.json\n",
                    zRoot, zRoot, zRoot);
  CHECKF(strcmp(zOut, zWant) == 0, ":\n--- got\n%s--- want\n%s", zOut, zWant);
  CHECKF(st.nIgnored == 1, ": nIgnored %lld", st.nIgnored);
  free(zOut);
  free(zWant);
  free(zPat);
  /* A pattern over files: names are still filtered. */
  zPat = tmpPath("walk3/g?/*");
  zOut = walkAll(zPat, &st);
  zWant = ctMprintf("F %s/g1/a.json\nF %s/g2/b.json.gz\nF %s/g2/deep/c.json\n",
                    zRoot, zRoot, zRoot);
  CHECKF(strcmp(zOut, zWant) == 0, ":\n--- got\n%s--- want\n%s", zOut, zWant);
  CHECKF(st.nIgnored == 1, ": nIgnored %lld", st.nIgnored);
  free(zOut);
  free(zWant);
  free(zPat);
  free(zRoot);
}

static void walk_should_report_missing_path(void) {
  char *zPath = tmpPath("does-not-exist");
  CtWalk *w = ctWalkOpen(zPath);
  const char *zFile = 0;
  char *zErr = 0;
  CHECK(ctWalkNext(w, &zFile, &zErr) == CT_WALK_ERROR);
  CHECK_CONTAINS(zErr, "no such file or directory");
  CHECK(zFile && strcmp(zFile, zPath) == 0);
  free(zErr);
  zErr = 0;
  CHECK(ctWalkNext(w, &zFile, &zErr) == CT_WALK_DONE);
  ctWalkClose(w);
  free(zPath);
}

static void walk_should_report_glob_without_match(void) {
  char *zPat = tmpPath("walk3/nomatch*");
  char *zOut = walkAll(zPat, 0);
  CHECKF(strncmp(zOut, "E ", 2) == 0 &&
             strchr(zOut, '\n') == zOut + strlen(zOut) - 1,
         ": %s", zOut);
  CHECK_CONTAINS(zOut, "no file or directory matches");
  free(zOut);
  free(zPat);
}

static void walk_should_return_file_named_directly_whatever_its_name(void) {
  char *zPath = tmpPath("walk4-notes.txt");
  char *zOut, *zWant;
  writeFile(zPath, "x", 1);
  zOut = walkAll(zPath, 0);
  zWant = ctMprintf("F %s\n", zPath);
  CHECK_STREQ(zOut, zWant);
  free(zOut);
  free(zWant);
  free(zPath);
  /* A digest named directly is read too (and fails later as not events). */
  mkDirRel("walk4");
  mkDirRel("walk4/CloudTrail-Digest");
  mkFile("walk4/CloudTrail-Digest/d.json");
  zPath = tmpPath("walk4/CloudTrail-Digest/d.json");
  zOut = walkAll(zPath, 0);
  zWant = ctMprintf("F %s\n", zPath);
  CHECK_STREQ(zOut, zWant);
  free(zOut);
  free(zWant);
  free(zPath);
}

static void walk_should_not_touch_disk_before_first_next(void) {
  char *zRoot = tmpPath("walk5");
  CtWalk *w = ctWalkOpen(zRoot); /* the folder does not exist yet */
  const char *zFile = 0;
  char *zErr = 0;
  char *zWant;
  mkDirRel("walk5");
  mkFile("walk5/late.json");
  zWant = ctMprintf("%s/late.json", zRoot);
  CHECK(ctWalkNext(w, &zFile, &zErr) == CT_WALK_FILE);
  CHECK(zFile && strcmp(zFile, zWant) == 0);
  CHECK(ctWalkNext(w, &zFile, &zErr) == CT_WALK_DONE);
  ctWalkClose(w);
  free(zWant);
  free(zRoot);
}

static void
walk_should_take_existing_path_with_glob_characters_literally(void) {
  char *zRoot = tmpPath("walk7/a[1]");
  char *zOut, *zWant;
  mkDirRel("walk7");
  mkDirRel("walk7/a[1]");
  mkDirRel("walk7/a1");
  mkFile("walk7/a[1]/x.json");
  mkFile("walk7/a1/y.json");
  zOut = walkAll(zRoot, 0);
  zWant = ctMprintf("F %s/x.json\n", zRoot);
  CHECK_STREQ(zOut, zWant);
  free(zOut);
  free(zWant);
  free(zRoot);
}

static void walk_is_log_name_should_match_suffixes_in_any_case(void) {
  static const struct {
    const char *z;
    int want;
  } a[] = {{"a.json", 1},
           {"a.JSON", 1},
           {"a.json.gz", 1},
           {"a.Json.GZ", 1},
           {"a.jsonl", 1},
           {"a.jsonl.gz", 1},
           {"a.ndjson", 1},
           {"a.NDJSON.gz", 1},
           {".json", 1},
           {"a.txt", 0},
           {"a.gz", 0},
           {"a.json.bak", 0},
           {"a.json.gz.1", 0},
           {"ajson", 0},
           {"a.jso", 0},
           {"a.json.zip", 0},
           {"", 0},
           {"a.csv.gz", 0}};
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CHECKF(ctWalkIsLogName(a[i].z) == a[i].want, ": \"%s\"", a[i].z);
  }
}

static void walk_should_report_broken_link_to_log_and_go_on(void) {
  char *zRoot = tmpPath("walk6");
  char *zOut, *zWant;
  CtWalkStats st;
  mkDirRel("walk6");
  mkFile("walk6/a.json");
  mkLink("nowhere.json", "walk6/b.json");
  mkLink("nowhere.txt", "walk6/c.txt");
  mkFile("walk6/d.json");
  zOut = walkAll(zRoot, &st);
  zWant = ctMprintf("F %s/a.json\nE %s/b.json: cannot stat: No such file or "
                    "directory\nF %s/d.json\n",
                    zRoot, zRoot, zRoot);
  CHECKF(strcmp(zOut, zWant) == 0, ":\n--- got\n%s--- want\n%s", zOut, zWant);
  CHECKF(st.nIgnored == 1, ": nIgnored %lld", st.nIgnored);
  free(zOut);
  free(zWant);
  free(zRoot);
}

/* Only the "F " lines of a transcript (malloc'd). */
static char *fileLines(const char *zOut) {
  char *zRes = ctMprintf("%s", "");
  while (*zOut) {
    const char *zEol = strchr(zOut, '\n');
    size_t n = zEol ? (size_t)(zEol - zOut) + 1 : strlen(zOut);
    if (zOut[0] == 'F') {
      char *zNext = ctMprintf("%s%.*s", zRes, (int)n, zOut);
      free(zRes);
      zRes = zNext;
    }
    zOut += n;
  }
  return zRes;
}

/* What a walk of pattern zPat hands out, worked out from glob(3): each
** match in strcmp order ("." and ".." left out), a directory walked, a
** file kept if named like a log. Only the "F " lines. */
static char *walkByGlob(const char *zPat) {
  glob_t g;
  char *zRes = ctMprintf("%s", "");
  size_t i;
  memset(&g, 0, sizeof(g));
  if (glob(zPat, 0, 0, &g) == 0) {
    for (i = 0; i < g.gl_pathc; i++) {
      const char *z = g.gl_pathv[i];
      const char *zBase = strrchr(z, '/');
      struct stat st;
      char *zMore = 0, *zNext;
      zBase = zBase ? zBase + 1 : z;
      if (strcmp(zBase, ".") == 0 || strcmp(zBase, "..") == 0)
        continue;
      if (stat(z, &st) == 0 && S_ISDIR(st.st_mode)) {
        char *zOut = walkAll(z, 0);
        zMore = fileLines(zOut);
        free(zOut);
      } else if (ctWalkIsLogName(zBase)) {
        zMore = ctMprintf("F %s\n", z);
      }
      zNext = ctMprintf("%s%s", zRes, zMore ? zMore : "");
      free(zMore);
      free(zRes);
      zRes = zNext;
    }
  }
  globfree(&g);
  return zRes;
}

static void walk_should_match_patterns_as_glob_does(void) {
  static const char *const aPat[] = {"*",
                                     "g/*",
                                     "g/.*",
                                     "g*/*.json",
                                     "g/b\\[1\\].json",
                                     "g/c\\*.json",
                                     "g/?.json",
                                     "g/[ab]*",
                                     "*/sub/d.json",
                                     "g*/sub*",
                                     "g*/",
                                     "*/nomatch*",
                                     "g/[!a]*.json",
                                     "*/*/*",
                                     "g/sub/../a.json"};
  char *zCwd = getcwd(0, 0);
  char *zRoot = tmpPath("walk8");
  size_t i;
  int k;
  mkDirRel("walk8");
  mkDirRel("walk8/g");
  mkDirRel("walk8/g/sub");
  mkDirRel("walk8/g/sub2");
  mkDirRel("walk8/g2");
  mkDirRel("walk8/g2/sub");
  mkDirRel("walk8/g-x");
  mkFile("walk8/g/a.json");
  mkFile("walk8/g/.h.json");
  mkFile("walk8/g/b[1].json");
  mkFile("walk8/g/c*.json");
  mkFile("walk8/g/cc.json");
  mkFile("walk8/g/x.txt");
  mkFile("walk8/g/sub/d.json");
  mkFile("walk8/g/sub2/k.json");
  mkFile("walk8/g2/e.json");
  mkFile("walk8/g2/sub/d.json");
  mkFile("walk8/g-x/f.json");
  mkFile("walk8/top.json");
  /* Absolute patterns, then relative ones (from walk8). */
  for (k = 0; k < 2; k++) {
    if (k == 1)
      CHECK(chdir(zRoot) == 0);
    for (i = 0; i < sizeof(aPat) / sizeof(aPat[0]); i++) {
      char *zPat =
          k ? ctMprintf("%s", aPat[i]) : ctMprintf("%s/%s", zRoot, aPat[i]);
      char *zOut = walkAll(zPat, 0);
      char *zGot = fileLines(zOut);
      char *zWant = walkByGlob(zPat);
      CHECKF(strcmp(zGot, zWant) == 0, ": %s\n--- got\n%s--- want\n%s", zPat,
             zGot, zWant);
      if (zWant[0] == 0) /* no match, or no log file: one error */
        CHECKF(strncmp(zOut, "E ", 2) == 0, ": %s: %s", zPat, zOut);
      free(zPat);
      free(zOut);
      free(zGot);
      free(zWant);
    }
  }
  CHECK(chdir(zCwd) == 0);
  free(zCwd);
  free(zRoot);
}

static int stopNever(void *p) {
  (*(int *)p)++;
  return 0;
}

static int stopAlways(void *p) {
  (*(int *)p)++;
  return 1;
}

/* walk9/big: 3000 files with names that are not log names (made again if
** there, so that each test that needs it can run alone). */
static void mkBigDir(void) {
  int i;
  mkDirRel("walk9");
  mkDirRel("walk9/big");
  for (i = 0; i < 3000; i++) {
    char z[64];
    snprintf(z, sizeof(z), "walk9/big/f%05d", i);
    mkFile(z);
  }
}

static void walk_should_stop_while_listing_or_matching(void) {
  char *zRoot = tmpPath("walk9/big");
  char *zPat = tmpPath("walk9/*/x*");
  const char *zPaths[2];
  int k;
  mkBigDir();
  zPaths[0] = zRoot;
  zPaths[1] = zPat;
  for (k = 0; k < 2; k++) {
    CtWalk *w = ctWalkOpen(zPaths[k]);
    const char *zFile = 0;
    char *zErr = 0;
    int nAsked = 0;
    ctWalkSetStop(w, stopAlways, &nAsked);
    CHECK(ctWalkNext(w, &zFile, &zErr) == CT_WALK_STOPPED);
    CHECK(zFile == 0 && zErr == 0);
    CHECK(nAsked == 1);
    /* Stopped inside the listing (or the match): no directory read. */
    CHECKF(ctWalkStats(w)->nDirs == 0, ": %s: nDirs %lld", zPaths[k],
           ctWalkStats(w)->nDirs);
    CHECKF(ctWalkStats(w)->nIgnored == 0, ": %s: nIgnored %lld", zPaths[k],
           ctWalkStats(w)->nIgnored);
    /* And it stays stopped. */
    CHECK(ctWalkNext(w, &zFile, &zErr) == CT_WALK_STOPPED);
    ctWalkClose(w);
  }
  free(zRoot);
  free(zPat);
}

static void walk_should_sort_a_large_directory_while_checking_stop(void) {
  char *zRoot = tmpPath("walk9/big");
  char *zOut;
  CtWalk *w = ctWalkOpen(zRoot);
  const char *zFile = 0;
  char *zErr = 0;
  int nAsked = 0;
  mkBigDir();
  /* Never stops, but asks: the merge sort of 3000 entries runs. */
  ctWalkSetStop(w, stopNever, &nAsked);
  ctWalkReportAll(w);
  for (;;) {
    int rc = ctWalkNext(w, &zFile, &zErr);
    static char zPrev[64];
    if (rc == CT_WALK_DONE)
      break;
    CHECK(rc == CT_WALK_IGNORED);
    if (rc != CT_WALK_IGNORED)
      break;
    CHECKF(strcmp(zPrev, zFile) < 0, ": %s after %s", zFile, zPrev);
    snprintf(zPrev, sizeof(zPrev), "%s", zFile);
  }
  CHECK(nAsked > 3000 / 256);
  CHECK(ctWalkStats(w)->nIgnored == 3000);
  ctWalkClose(w);
  zOut = walkAll(zRoot, 0);
  CHECK_CONTAINS(zOut, "no log files found (3000 files ignored by name, e.g. "
                       "f00000, f00001, f00002; names read: ");
  free(zOut);
  free(zRoot);
}

static void walk_should_take_each_file_once(void) {
  char *zRoot = tmpPath("walk10");
  char *zOut, *zWant, *z1, *z2;
  CtWalkStats st;
  mkDirRel("walk10");
  mkDirRel("walk10/d");
  mkFile("walk10/d/x.json");
  z1 = tmpPath("walk10/d/x.json");
  z2 = tmpPath("walk10/hard.json");
  CHECK(link(z1, z2) == 0);
  mkLink("d", "walk10/e");
  mkLink("d/x.json", "walk10/s.json");
  zOut = walkAll(zRoot, &st);
  zWant = ctMprintf("F %s/d/x.json\n", zRoot);
  CHECKF(strcmp(zOut, zWant) == 0, ":\n--- got\n%s--- want\n%s", zOut, zWant);
  CHECKF(st.nRepeats == 2, ": nRepeats %lld", st.nRepeats); /* hard, s */
  CHECKF(st.nDirRepeats == 1, ": nDirRepeats %lld", st.nDirRepeats); /* e */
  free(zOut);
  free(zWant);
  free(z1);
  free(z2);
  free(zRoot);
}

const Test aUnitWalk[] = {
    TEST(walk_should_return_log_files_in_byte_order),
    TEST(walk_should_detect_deeper_symlink_loops),
    TEST(walk_should_walk_each_glob_match),
    TEST(walk_should_report_missing_path),
    TEST(walk_should_report_glob_without_match),
    TEST(walk_should_return_file_named_directly_whatever_its_name),
    TEST(walk_should_not_touch_disk_before_first_next),
    TEST(walk_should_take_existing_path_with_glob_characters_literally),
    TEST(walk_is_log_name_should_match_suffixes_in_any_case),
    TEST(walk_should_report_broken_link_to_log_and_go_on),
    TEST(walk_should_match_patterns_as_glob_does),
    TEST(walk_should_stop_while_listing_or_matching),
    TEST(walk_should_sort_a_large_directory_while_checking_stop),
    TEST(walk_should_take_each_file_once),
    {0, 0},
};
