/*
** ct_walk.c - see ct_walk.h.
**
** What the walk promises (order, links, repeats, errors) is in ct_walk.h;
** this is how.
**
** The walk is a stack of frames, one per open directory, each holding that
** directory's entries sorted so that a depth-first walk yields full paths in
** byte order: a directory sorts as its name followed by '/'. The bottom frame
** holds the roots (the path itself, or the pattern's matches, sorted with
** strcmp()). An id set (ct_idset.h) holds the (device, inode) pair of every
** file handed out and every directory opened, so nothing is taken twice.
** Each frame keeps its directory open (up to CT_WALK_MAX_FD deep) so that
** log files are stat'ed by name relative to it, not by their full path.
**
** A path with a wildcard that names no file is a pattern: ct_pattern.h
** matches it directory by directory, asking the stop callback as it goes.
** Sorting a huge directory asks it too (sortEntries: qsort() runs, then
** merges).
*/
#include "ct_walk.h"

#include "ct_idset.h"
#include "ct_pattern.h"
#include "ct_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define CT_WALK_MAX_FD 32 /* frames deeper than this stat by full path */
#define CT_WALK_CHECK 256 /* entries between two calls of xStop */
#define CT_WALK_NSAMPLE 3 /* ignored names quoted by "no log files found" */

/* Kinds of entry. In a directory frame an entry is a file or a directory;
** the root frame holds the path itself, pattern matches, or match errors. */
#define CT_ENTRY_FILE 0
#define CT_ENTRY_DIR 1
#define CT_ENTRY_MATCH 2   /* a pattern match: a file is filtered by name */
#define CT_ENTRY_ROOT 3    /* the path itself: a file is read whatever it is */
#define CT_ENTRY_GLOBERR 4 /* a directory the pattern could not read (eno) */
#define CT_ENTRY_REG 5     /* a regular file, as readdir() said */

typedef struct CtEntry {
  char *zName; /* Entry name (a full path in the root frame) */
  int isDir;   /* CT_ENTRY_* */
  int eno;     /* errno, for CT_ENTRY_GLOBERR */
} CtEntry;

typedef struct CtFrame {
  char *zDir; /* Directory path; NULL for the root frame */
  CtEntry *a; /* Entries, sorted */
  size_t n;   /* Number of entries */
  size_t i;   /* Next entry to visit */
  dev_t dev;  /* Identity of the directory, for loop detection */
  ino_t ino;
  int fd; /* The directory, open, or -1 */
} CtFrame;

struct CtWalk {
  char *zPath;           /* The path or pattern given */
  int started;           /* True once the roots are known */
  int isPattern;         /* True if zPath was matched as a pattern */
  int reportAll;         /* ctWalkReportAll() */
  int stopped;           /* xStop said stop */
  int ended;             /* The end-of-walk check is done */
  CtFrame *aStack;       /* Open frames; aStack[0] is the root frame */
  size_t nStack;         /* Frames in use */
  size_t nAlloc;         /* Frames allocated */
  char *zCur;            /* Path handed out by the last ctWalkNext() */
  CtWalkStats st;        /* Counters */
  long long nFound;      /* CT_WALK_FILE results */
  long long nError;      /* CT_WALK_ERROR results */
  long long nDigestDirs; /* Digest folders skipped */
  char *azSample[CT_WALK_NSAMPLE]; /* First names ignored */
  int nSample;                     /* Entries in azSample */
  CtIdSet seen;                    /* Files handed out, directories opened */
  int (*xStop)(void *);            /* ctWalkSetStop() */
  void *pStopArg;
  unsigned nSinceCheck; /* entries since xStop was last asked */
};

static const char *const aLogSuffix[] = {".json",    ".jsonl",    ".ndjson",
                                         ".json.gz", ".jsonl.gz", ".ndjson.gz"};

int ctWalkIsLogName(const char *zName) {
  size_t n = strlen(zName), i;
  for (i = 0; i < sizeof(aLogSuffix) / sizeof(aLogSuffix[0]); i++) {
    if (ctEndsWithNoCase(zName, n, aLogSuffix[i]))
      return 1;
  }
  return 0;
}

static int isDigestName(const char *zName) {
  return strstr(zName, "CloudTrail-Digest") != 0;
}

/* ---------------------------------------------------------------- walk */

CtWalk *ctWalkOpen(const char *zPath) {
  CtWalk *p = ctCalloc(1, sizeof(*p));
  if (p == 0)
    return 0;
  p->zPath = ctStrdup(zPath);
  if (p->zPath == 0) {
    ctFree(p);
    return 0;
  }
  return p;
}

static void freeFrame(CtFrame *f) {
  size_t i;
  for (i = 0; i < f->n; i++)
    ctFree(f->a[i].zName);
  ctFree(f->a);
  ctFree(f->zDir);
  if (f->fd >= 0)
    close(f->fd);
  memset(f, 0, sizeof(*f));
  f->fd = -1;
}

void ctWalkClose(CtWalk *p) {
  int i;
  if (p == 0)
    return;
  while (p->nStack > 0)
    freeFrame(&p->aStack[--p->nStack]);
  for (i = 0; i < p->nSample; i++)
    ctFree(p->azSample[i]);
  ctIdSetFree(&p->seen);
  ctFree(p->aStack);
  ctFree(p->zCur);
  ctFree(p->zPath);
  ctFree(p);
}

void ctWalkSetStop(CtWalk *p, int (*xStop)(void *), void *pArg) {
  p->xStop = xStop;
  p->pStopArg = pArg;
}

void ctWalkReportAll(CtWalk *p) { p->reportAll = 1; }

const CtWalkStats *ctWalkStats(const CtWalk *p) { return &p->st; }

/* Count n more entries passed; every CT_WALK_CHECK of them, ask xStop.
** True once the walk is to stop. */
static int walkStop(CtWalk *p, unsigned n) {
  if (p->stopped)
    return 1;
  if (p->xStop) {
    p->nSinceCheck += n;
    if (p->nSinceCheck >= CT_WALK_CHECK) {
      p->nSinceCheck = 0;
      if (p->xStop(p->pStopArg))
        p->stopped = 1;
    }
  }
  return p->stopped;
}

/* Byte order of name (+ '/' if a directory). */
static int entryCmp(const void *pa, const void *pb) {
  const CtEntry *a = pa, *b = pb;
  const unsigned char *x = (const unsigned char *)a->zName;
  const unsigned char *y = (const unsigned char *)b->zName;
  for (;;) {
    int cx = *x ? *x : (a->isDir == CT_ENTRY_DIR ? '/' : 0);
    int cy = *y ? *y : (b->isDir == CT_ENTRY_DIR ? '/' : 0);
    if (cx != cy)
      return cx - cy;
    if (cx == 0)
      return 0;
    if (*x == 0) { /* both directories: '/' matched, names equal */
      return 0;
    }
    x++;
    y++;
  }
}

static int rootCmp(const void *pa, const void *pb) {
  return strcmp(((const CtEntry *)pa)->zName, ((const CtEntry *)pb)->zName);
}

#define CT_SORT_RUN 1024 /* entries sorted by qsort() between checks */

/*
** Sort a[0..n) with xCmp, asking xStop as it goes: runs of CT_SORT_RUN
** entries are sorted by qsort(), then merged pairwise. Returns 0, or 1 if
** the walk is to stop (a is then in some order).
*/
static int sortEntries(CtWalk *p, CtEntry *a, size_t n,
                       int (*xCmp)(const void *, const void *)) {
  CtEntry *tmp, *src, *dst;
  size_t w, i;
  if (n <= CT_SORT_RUN || p->xStop == 0) {
    qsort(a, n, sizeof(CtEntry), xCmp);
    return 0;
  }
  tmp = ctMalloc(n * sizeof(CtEntry));
  if (tmp == 0) {
    qsort(a, n, sizeof(CtEntry), xCmp); /* not interruptible, but sorted */
    return 0;
  }
  for (i = 0; i < n; i += CT_SORT_RUN) {
    qsort(a + i, n - i < CT_SORT_RUN ? n - i : CT_SORT_RUN, sizeof(CtEntry),
          xCmp);
    if (walkStop(p, CT_SORT_RUN)) {
      ctFree(tmp);
      return 1;
    }
  }
  src = a;
  dst = tmp;
  for (w = CT_SORT_RUN; w < n; w *= 2) {
    for (i = 0; i < n; i += 2 * w) {
      size_t lo = i, mid = i + w < n ? i + w : n;
      size_t hi = i + 2 * w < n ? i + 2 * w : n;
      size_t x = lo, y = mid, k = lo;
      while (x < mid && y < hi) {
        dst[k++] = xCmp(&src[x], &src[y]) <= 0 ? src[x++] : src[y++];
        if ((k & (CT_SORT_RUN - 1)) == 0 && walkStop(p, CT_SORT_RUN)) {
          ctFree(tmp);
          return 1;
        }
      }
      while (x < mid)
        dst[k++] = src[x++];
      while (y < hi)
        dst[k++] = src[y++];
    }
    {
      CtEntry *t = src;
      src = dst;
      dst = t;
    }
  }
  if (src != a)
    memcpy(a, src, n * sizeof(CtEntry));
  ctFree(tmp);
  return 0;
}

static int pushFrame(CtWalk *p, CtFrame *f) {
  if (ctGrow(&p->aStack, &p->nAlloc, p->nStack + 1, sizeof(CtFrame), 16))
    return 1;
  p->aStack[p->nStack++] = *f;
  return 0;
}

static int addEntry(CtFrame *f, size_t *pAlloc, const char *zName, int isDir) {
  if (ctGrow(&f->a, pAlloc, f->n + 1, sizeof(CtEntry), 32))
    return 1;
  f->a[f->n].zName = ctStrdup(zName);
  if (f->a[f->n].zName == 0)
    return 1;
  f->a[f->n].isDir = isDir;
  f->a[f->n].eno = 0;
  f->n++;
  return 0;
}

#define CT_OPEN_OK 0
#define CT_OPEN_ERROR 1 /* *pzErr set */
#define CT_OPEN_STOP 2  /* xStop said stop */

/* Read directory zDir (already stat'ed as st) into a new frame. On success
** the frame owns zDir. */
static int openDirFrame(CtWalk *p, char *zDir, const struct stat *st,
                        char **pzErr) {
  CtFrame f;
  size_t nAlloc = 0;
  DIR *d;
  struct dirent *e;
  memset(&f, 0, sizeof(f));
  f.fd = -1;
  d = opendir(zDir);
  if (d == 0) {
    *pzErr = ctMprintf("cannot read directory: %s", strerror(errno));
    return CT_OPEN_ERROR;
  }
  for (;;) {
    int isDir = 0;
    if (walkStop(p, 1))
      goto stop;
    errno = 0;
    e = readdir(d);
    if (e == 0) {
      if (errno != 0) {
        *pzErr = ctMprintf("cannot read directory: %s", strerror(errno));
        goto fail;
      }
      break;
    }
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (e->d_type == DT_DIR) {
      isDir = CT_ENTRY_DIR;
    } else if (e->d_type == DT_REG) {
      isDir = CT_ENTRY_REG; /* no stat() needed to know it */
    } else if (e->d_type == DT_LNK || e->d_type == DT_UNKNOWN) {
      struct stat es;
      if (fstatat(dirfd(d), e->d_name, &es, 0) == 0 && S_ISDIR(es.st_mode)) {
        isDir = CT_ENTRY_DIR;
      }
    }
    if (addEntry(&f, &nAlloc, e->d_name, isDir)) {
      *pzErr = ctMprintf("out of memory");
      goto fail;
    }
  }
  if (p->nStack < CT_WALK_MAX_FD)
    f.fd = fcntl(dirfd(d), F_DUPFD_CLOEXEC, 0); /* -1: stat by full path */
  closedir(d);
  if (f.n > 1 && sortEntries(p, f.a, f.n, entryCmp)) {
    freeFrame(&f);
    return CT_OPEN_STOP;
  }
  f.zDir = zDir;
  f.dev = st->st_dev;
  f.ino = st->st_ino;
  if (pushFrame(p, &f)) {
    f.zDir = 0;
    freeFrame(&f);
    *pzErr = ctMprintf("out of memory");
    return CT_OPEN_ERROR;
  }
  p->st.nDirs++;
  return CT_OPEN_OK;
stop:
  closedir(d);
  freeFrame(&f);
  return CT_OPEN_STOP;
fail:
  closedir(d);
  freeFrame(&f);
  return CT_OPEN_ERROR;
}

/* The walk's side of ctPatternMatch: matches into the root frame. */
typedef struct CtMatchCtx {
  CtWalk *p;      /* The walk */
  CtFrame *f;     /* The root frame being built */
  size_t *pAlloc; /* Its entries allocated */
} CtMatchCtx;

/* A match (CT_ENTRY_MATCH), or a directory it could not read (eno). */
static int matchAdd(void *pArg, const char *zPath, int eno) {
  CtMatchCtx *c = (CtMatchCtx *)pArg;
  if (addEntry(c->f, c->pAlloc, zPath,
               eno ? CT_ENTRY_GLOBERR : CT_ENTRY_MATCH)) {
    return 1;
  }
  c->f->a[c->f->n - 1].eno = eno;
  return 0;
}

static int matchStop(void *pArg, unsigned n) {
  return walkStop(((CtMatchCtx *)pArg)->p, n);
}

/* Build the root frame. Returns CT_OPEN_OK, CT_OPEN_ERROR with *pzErr set,
** or CT_OPEN_STOP. */
static int startWalk(CtWalk *p, char **pzErr) {
  CtFrame f;
  size_t nAlloc = 0;
  struct stat st;
  memset(&f, 0, sizeof(f));
  f.fd = -1;
  p->started = 1;
  if (ctPatternHasMeta(p->zPath) && lstat(p->zPath, &st) != 0) {
    CtMatchCtx c;
    int rc;
    c.p = p;
    c.f = &f;
    c.pAlloc = &nAlloc;
    rc = ctPatternMatch(p->zPath, matchAdd, matchStop, &c);
    rc = rc == CT_PATTERN_OK     ? CT_OPEN_OK
         : rc == CT_PATTERN_STOP ? CT_OPEN_STOP
                                 : CT_OPEN_ERROR;
    p->isPattern = 1;
    if (rc == CT_OPEN_OK && f.n > 1 && sortEntries(p, f.a, f.n, rootCmp))
      rc = CT_OPEN_STOP;
    if (rc != CT_OPEN_OK) {
      freeFrame(&f);
      if (rc == CT_OPEN_ERROR)
        *pzErr = ctMprintf("out of memory");
      return rc;
    }
    if (f.n == 0) {
      *pzErr = ctMprintf("no file or directory matches the pattern");
      return CT_OPEN_ERROR;
    }
  } else {
    if (addEntry(&f, &nAlloc, p->zPath, CT_ENTRY_ROOT)) {
      freeFrame(&f);
      *pzErr = ctMprintf("out of memory");
      return CT_OPEN_ERROR;
    }
  }
  if (pushFrame(p, &f)) {
    freeFrame(&f);
    *pzErr = ctMprintf("out of memory");
    return CT_OPEN_ERROR;
  }
  return CT_OPEN_OK;
}

static int onStack(const CtWalk *p, const struct stat *st) {
  size_t i;
  for (i = 1; i < p->nStack; i++) {
    if (p->aStack[i].dev == st->st_dev && p->aStack[i].ino == st->st_ino) {
      return 1;
    }
  }
  return 0;
}

/* An entry passed over by name: count it and keep the first few names
** (relative to the directory given) for the "no log files found" error.
** zFull may be NULL (then it is built from the frame, if needed). Returns
** the full path if one was built (owned by the walk as zCur), else NULL. */
static const char *noteIgnored(CtWalk *p, const CtFrame *f, const CtEntry *e,
                               char *zFull) {
  p->st.nIgnored++;
  if (zFull == 0 && (p->reportAll || p->nSample < CT_WALK_NSAMPLE)) {
    zFull = f->zDir ? ctPathJoin(f->zDir, e->zName) : ctStrdup(e->zName);
    if (zFull == 0)
      return 0; /* out of memory: the sample is only an example */
    ctFree(p->zCur);
    p->zCur = zFull;
  }
  if (zFull && p->nSample < CT_WALK_NSAMPLE) {
    const char *zRel = zFull;
    size_t n = strlen(p->zPath);
    if (!p->isPattern && strncmp(zFull, p->zPath, n) == 0) {
      zRel = zFull + n;
      while (*zRel == '/')
        zRel++;
      if (*zRel == 0)
        zRel = zFull;
    }
    if ((p->azSample[p->nSample] = ctStrdup(zRel)) != 0)
      p->nSample++;
  }
  return zFull;
}

/* The "no log files found" cause. */
static char *noLogMessage(const CtWalk *p) {
  static const char zRead[] =
      "names read: .json, .jsonl, .ndjson, each optionally .gz";
  char *zList = ctMprintf("%s", ""), *z;
  int i;
  if (p->st.nIgnored == 0) {
    ctFree(zList);
    if (p->nDigestDirs > 0) {
      return ctMprintf("no log files found (only digest folders, skipped; "
                       "%s)",
                       zRead);
    }
    return ctMprintf("no log files found (and no other files; %s)", zRead);
  }
  for (i = 0; i < p->nSample && zList; i++) {
    char *zName = ctEscapeName(p->azSample[i]);
    char *zNext = zName ? ctMprintf("%s%s%s", zList, i ? ", " : "", zName) : 0;
    ctFree(zName);
    ctFree(zList);
    zList = zNext;
  }
  if (zList == 0)
    return 0;
  z = ctMprintf("no log files found (%lld file%s ignored by name, e.g. %s; %s)",
                p->st.nIgnored, p->st.nIgnored == 1 ? "" : "s", zList, zRead);
  ctFree(zList);
  return z;
}

int ctWalkNext(CtWalk *p, const char **pzPath, char **pzErr) {
  *pzErr = 0;
  *pzPath = 0;
  if (p->stopped)
    return CT_WALK_STOPPED;
  if (!p->started) {
    int rc = startWalk(p, pzErr);
    if (rc == CT_OPEN_STOP)
      return CT_WALK_STOPPED;
    if (rc == CT_OPEN_ERROR) {
      *pzPath = p->zPath;
      p->nError++;
      return CT_WALK_ERROR;
    }
  }
  while (p->nStack > 0) {
    CtFrame *f = &p->aStack[p->nStack - 1];
    CtEntry *e;
    char *zFull;
    struct stat st;
    const char *zBase; /* last component of the path */
    int isRoot = p->nStack == 1;
    if (f->i >= f->n) {
      freeFrame(f);
      p->nStack--;
      continue;
    }
    if (walkStop(p, 1)) {
      *pzPath = 0;
      return CT_WALK_STOPPED;
    }
    e = &f->a[f->i++];
    if (e->isDir == CT_ENTRY_REG) {
      /* A regular file, as readdir() said: its name decides, and only a
      ** log file is stat'ed (a large tree is mostly these). */
      int isDigest = isDigestName(e->zName);
      if (!ctWalkIsLogName(e->zName) || isDigest) {
        const char *z = noteIgnored(p, f, e, 0);
        if (p->reportAll && z == 0) {
          /* A listing must not drop the entry: say memory ran out. */
          *pzPath = p->zPath;
          *pzErr = ctMprintf("out of memory");
          return CT_WALK_ERROR;
        }
        if (p->reportAll) {
          *pzPath = z;
          return isDigest ? CT_WALK_DIGEST : CT_WALK_IGNORED;
        }
        continue;
      }
      zFull = ctPathJoin(f->zDir, e->zName);
      if (zFull == 0) {
        *pzErr = ctMprintf("out of memory");
        *pzPath = p->zPath;
        p->nError++;
        return CT_WALK_ERROR;
      }
      ctFree(p->zCur);
      p->zCur = zFull;
      *pzPath = zFull;
      if ((f->fd >= 0 ? fstatat(f->fd, e->zName, &st, 0) : stat(zFull, &st)) !=
          0) {
        *pzErr = ctMprintf("cannot stat: %s", strerror(errno));
        p->nError++;
        return CT_WALK_ERROR;
      }
      goto log_file;
    }
    zFull = isRoot ? ctStrdup(e->zName) : ctPathJoin(f->zDir, e->zName);
    if (zFull == 0) {
      *pzErr = ctMprintf("out of memory");
      *pzPath = p->zPath;
      p->nError++;
      return CT_WALK_ERROR;
    }
    ctFree(p->zCur);
    p->zCur = zFull;
    *pzPath = zFull;
    if (e->isDir == CT_ENTRY_GLOBERR) {
      *pzErr = ctMprintf("cannot read directory while matching the pattern: "
                         "%s",
                         strerror(e->eno));
      p->nError++;
      return CT_WALK_ERROR;
    }
    zBase = strrchr(e->zName, '/');
    zBase = zBase ? zBase + 1 : e->zName;
    if (stat(zFull, &st) != 0) {
      int eno = errno;
      /* An entry that cannot be examined may hide logs: an error, unless
      ** it is a link that leads nowhere (a broken link, a loop of links)
      ** and is not named like a log. A directory that cannot be stat'ed
      ** (no search permission on its parent, a path past PATH_MAX) or
      ** that vanished is an error too. */
      if (isRoot || ctWalkIsLogName(e->zName) || e->isDir == CT_ENTRY_DIR ||
          (eno != ENOENT && eno != ELOOP)) {
        if (e->isDir == CT_ENTRY_ROOT && eno == ENOENT) {
          *pzErr = ctMprintf("no such file or directory");
        } else {
          *pzErr = ctMprintf("cannot stat: %s", strerror(eno));
        }
        p->nError++;
        return CT_WALK_ERROR;
      }
      noteIgnored(p, f, e, zFull);
      if (p->reportAll)
        return CT_WALK_IGNORED;
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      int rc, had;
      /* Digest folders below the path given are skipped (not the path
      ** itself: the user named it). */
      if (e->isDir != CT_ENTRY_ROOT && isDigestName(zBase)) {
        p->nDigestDirs++;
        if (p->reportAll)
          return CT_WALK_DIGEST;
        continue;
      }
      if (onStack(p, &st)) {
        p->st.nLoops++;
        if (p->reportAll)
          return CT_WALK_LOOP;
        continue;
      }
      had = ctIdSetAdd(&p->seen, (uint64_t)st.st_dev, (uint64_t)st.st_ino);
      if (had < 0) {
        *pzErr = ctMprintf("out of memory");
        p->nError++;
        return CT_WALK_ERROR;
      }
      if (had) {
        p->st.nDirRepeats++;
        if (p->reportAll)
          return CT_WALK_REPEAT;
        continue;
      }
      p->zCur = 0; /* the frame owns zFull now */
      rc = openDirFrame(p, zFull, &st, pzErr);
      if (rc == CT_OPEN_STOP) {
        ctFree(zFull);
        *pzPath = 0;
        return CT_WALK_STOPPED;
      }
      if (rc == CT_OPEN_ERROR) {
        p->zCur = zFull;
        p->nError++;
        return CT_WALK_ERROR;
      }
      continue;
    }
    if (e->isDir != CT_ENTRY_ROOT &&
        (!ctWalkIsLogName(zBase) || isDigestName(zBase))) {
      noteIgnored(p, f, e, zFull);
      if (p->reportAll)
        return isDigestName(zBase) ? CT_WALK_DIGEST : CT_WALK_IGNORED;
      continue;
    }
  log_file:
    /* A log file (or the path itself). Only a regular file is read: a
    ** FIFO or device is rejected here, before anyone opens it. */
    if (!S_ISREG(st.st_mode)) {
      *pzErr = ctMprintf("not a regular file");
      p->nError++;
      return CT_WALK_ERROR;
    }
    switch (ctIdSetAdd(&p->seen, (uint64_t)st.st_dev, (uint64_t)st.st_ino)) {
    case 0:
      p->nFound++;
      return CT_WALK_FILE;
    case 1:
      p->st.nRepeats++;
      if (p->reportAll)
        return CT_WALK_REPEAT;
      continue;
    default:
      *pzErr = ctMprintf("out of memory");
      p->nError++;
      return CT_WALK_ERROR;
    }
  }
  if (!p->ended) {
    p->ended = 1;
    if (!p->reportAll && p->nFound == 0 && p->nError == 0) {
      *pzErr = noLogMessage(p);
      if (*pzErr == 0)
        *pzErr = ctMprintf("out of memory");
      *pzPath = p->zPath;
      p->nError++;
      return CT_WALK_ERROR;
    }
  }
  return CT_WALK_DONE;
}
