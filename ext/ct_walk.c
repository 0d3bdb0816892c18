/*
** ct_walk.c - see ct_walk.h.
**
** The walk is a stack of frames, one per open directory, each holding that
** directory's entries sorted so that a depth-first walk yields full paths in
** byte order: a directory sorts as its name followed by '/'. The bottom frame
** holds the roots (the path itself, or the sorted glob matches).
*/
#include "ct_walk.h"

#include "ct_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* Kinds of entry. In a directory frame an entry is a file or a directory;
** the root frame holds the path itself, glob matches, or glob errors. */
#define CT_ENTRY_FILE 0
#define CT_ENTRY_DIR 1
#define CT_ENTRY_MATCH 2   /* a glob match: a file is filtered by name */
#define CT_ENTRY_ROOT 3    /* the path itself: a file is read whatever it is */
#define CT_ENTRY_GLOBERR 4 /* a directory glob could not read (eno) */
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
} CtFrame;

struct CtWalk {
  char *zPath;          /* The path or pattern given */
  int started;          /* True once the roots are known */
  CtFrame *aStack;      /* Open frames; aStack[0] is the root frame */
  size_t nStack;        /* Frames in use */
  size_t nAlloc;        /* Frames allocated */
  char *zCur;           /* Path handed out by the last ctWalkNext() */
  CtWalkStats st;       /* Counters */
  int (*xStop)(void *); /* ctWalkSetStop() */
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

CtWalk *ctWalkOpen(const char *zPath) {
  CtWalk *p = calloc(1, sizeof(*p));
  if (p == 0)
    return 0;
  p->zPath = strdup(zPath);
  if (p->zPath == 0) {
    free(p);
    return 0;
  }
  return p;
}

static void freeFrame(CtFrame *f) {
  size_t i;
  for (i = 0; i < f->n; i++)
    free(f->a[i].zName);
  free(f->a);
  free(f->zDir);
  memset(f, 0, sizeof(*f));
}

void ctWalkClose(CtWalk *p) {
  if (p == 0)
    return;
  while (p->nStack > 0)
    freeFrame(&p->aStack[--p->nStack]);
  free(p->aStack);
  free(p->zCur);
  free(p->zPath);
  free(p);
}

void ctWalkSetStop(CtWalk *p, int (*xStop)(void *), void *pArg) {
  p->xStop = xStop;
  p->pStopArg = pArg;
}

const CtWalkStats *ctWalkStats(const CtWalk *p) { return &p->st; }

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

static int pushFrame(CtWalk *p, CtFrame *f) {
  if (p->nStack == p->nAlloc) {
    size_t n = p->nAlloc ? p->nAlloc * 2 : 16;
    CtFrame *a = realloc(p->aStack, n * sizeof(CtFrame));
    if (a == 0)
      return 1;
    p->aStack = a;
    p->nAlloc = n;
  }
  p->aStack[p->nStack++] = *f;
  return 0;
}

static int addEntry(CtFrame *f, size_t *pAlloc, const char *zName, int isDir) {
  if (f->n == *pAlloc) {
    size_t n = *pAlloc ? *pAlloc * 2 : 32;
    CtEntry *a = realloc(f->a, n * sizeof(CtEntry));
    if (a == 0)
      return 1;
    f->a = a;
    *pAlloc = n;
  }
  f->a[f->n].zName = strdup(zName);
  if (f->a[f->n].zName == 0)
    return 1;
  f->a[f->n].isDir = isDir;
  f->a[f->n].eno = 0;
  f->n++;
  return 0;
}

static char *joinPath(const char *zDir, const char *zName) {
  size_t n = strlen(zDir);
  if (n > 0 && zDir[n - 1] == '/')
    return ctMprintf("%s%s", zDir, zName);
  return ctMprintf("%s/%s", zDir, zName);
}

/* Read directory zDir (already stat'ed as st) into a new frame. */
static int openDirFrame(CtWalk *p, char *zDir, const struct stat *st,
                        char **pzErr) {
  CtFrame f;
  size_t nAlloc = 0;
  DIR *d;
  struct dirent *e;
  memset(&f, 0, sizeof(f));
  d = opendir(zDir);
  if (d == 0) {
    *pzErr = ctMprintf("cannot read directory: %s", strerror(errno));
    return 1;
  }
  for (;;) {
    int isDir = 0;
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
  closedir(d);
  if (f.n > 1)
    qsort(f.a, f.n, sizeof(CtEntry), entryCmp);
  f.zDir = zDir;
  f.dev = st->st_dev;
  f.ino = st->st_ino;
  if (pushFrame(p, &f)) {
    f.zDir = 0;
    freeFrame(&f);
    *pzErr = ctMprintf("out of memory");
    return 1;
  }
  p->st.nDirs++;
  return 0;
fail:
  closedir(d);
  freeFrame(&f);
  return 1;
}

static int hasGlobMeta(const char *z) { return strpbrk(z, "*?[") != 0; }

/* Directories glob(3) could not read, gathered by globErr(): the walk
** reports each as an error (skipped under on_error=skip) and goes on. */
typedef struct CtGlobErrors {
  char **az;
  int *aEno;
  int n;
} CtGlobErrors;
static _Thread_local CtGlobErrors *pGlobErrors;

static int globErr(const char *zPath, int eno) {
  CtGlobErrors *e = pGlobErrors;
  char **az;
  int *aEno;
  if (eno == ENOENT || eno == ENOTDIR)
    return 0; /* nothing to match there */
  az = realloc(e->az, sizeof(char *) * (size_t)(e->n + 1));
  if (az)
    e->az = az;
  aEno = realloc(e->aEno, sizeof(int) * (size_t)(e->n + 1));
  if (aEno)
    e->aEno = aEno;
  if (az && aEno && (e->az[e->n] = strdup(zPath)) != 0) {
    e->aEno[e->n++] = eno;
  }
  return 0; /* go on: the other matches are still wanted */
}

static int rootCmp(const void *pa, const void *pb) {
  return strcmp(((const CtEntry *)pa)->zName, ((const CtEntry *)pb)->zName);
}

/* Build the root frame. Returns CT_WALK_FILE on success (nothing handed
** out), CT_WALK_ERROR with *pzErr set otherwise. */
static int startWalk(CtWalk *p, char **pzErr) {
  CtFrame f;
  size_t nAlloc = 0;
  struct stat st;
  memset(&f, 0, sizeof(f));
  p->started = 1;
  if (hasGlobMeta(p->zPath) && lstat(p->zPath, &st) != 0) {
    glob_t g;
    CtGlobErrors errs;
    int rc, oom = 0;
    size_t i;
    memset(&g, 0, sizeof(g));
    memset(&errs, 0, sizeof(errs));
    pGlobErrors = &errs;
    rc = glob(p->zPath, 0, globErr, &g);
    pGlobErrors = 0;
    if (rc == 0) {
      for (i = 0; i < g.gl_pathc && !oom; i++) {
        oom = addEntry(&f, &nAlloc, g.gl_pathv[i], CT_ENTRY_MATCH);
      }
    }
    for (i = 0; i < (size_t)errs.n; i++) {
      if (!oom &&
          !(oom = addEntry(&f, &nAlloc, errs.az[i], CT_ENTRY_GLOBERR))) {
        f.a[f.n - 1].eno = errs.aEno[i];
      }
      free(errs.az[i]);
    }
    free(errs.az);
    free(errs.aEno);
    globfree(&g);
    if (oom) {
      freeFrame(&f);
      *pzErr = ctMprintf("out of memory");
      return CT_WALK_ERROR;
    }
    if (rc != 0 && rc != GLOB_NOMATCH) {
      freeFrame(&f);
      *pzErr = ctMprintf("glob() failed (%d)", rc);
      return CT_WALK_ERROR;
    }
    if (f.n == 0) {
      *pzErr = ctMprintf("no file or directory matches the pattern");
      return CT_WALK_ERROR;
    }
    if (f.n > 1)
      qsort(f.a, f.n, sizeof(CtEntry), rootCmp);
  } else {
    if (addEntry(&f, &nAlloc, p->zPath, CT_ENTRY_ROOT)) {
      *pzErr = ctMprintf("out of memory");
      return CT_WALK_ERROR;
    }
  }
  if (pushFrame(p, &f)) {
    freeFrame(&f);
    *pzErr = ctMprintf("out of memory");
    return CT_WALK_ERROR;
  }
  return CT_WALK_FILE;
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

int ctWalkNext(CtWalk *p, const char **pzPath, char **pzErr) {
  *pzErr = 0;
  if (!p->started) {
    if (startWalk(p, pzErr) == CT_WALK_ERROR) {
      *pzPath = p->zPath;
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
    if (p->xStop && ++p->nSinceCheck >= 256) {
      p->nSinceCheck = 0;
      if (p->xStop(p->pStopArg)) {
        *pzPath = 0;
        return CT_WALK_STOPPED;
      }
    }
    e = &f->a[f->i++];
    if (e->isDir == CT_ENTRY_REG) {
      /* A regular file: its name decides, with no stat() (a large tree is
      ** mostly these). */
      if (!ctWalkIsLogName(e->zName) || strstr(e->zName, "CloudTrail-Digest")) {
        p->st.nIgnored++;
        continue;
      }
      zFull = joinPath(f->zDir, e->zName);
      if (zFull == 0) {
        *pzErr = ctMprintf("out of memory");
        *pzPath = p->zPath;
        return CT_WALK_ERROR;
      }
      free(p->zCur);
      p->zCur = zFull;
      *pzPath = zFull;
      return CT_WALK_FILE;
    }
    zFull = isRoot ? strdup(e->zName) : joinPath(f->zDir, e->zName);
    if (zFull == 0) {
      *pzErr = ctMprintf("out of memory");
      *pzPath = p->zPath;
      return CT_WALK_ERROR;
    }
    free(p->zCur);
    p->zCur = zFull;
    *pzPath = zFull;
    if (e->isDir == CT_ENTRY_GLOBERR) {
      *pzErr = ctMprintf("cannot read directory while matching the pattern: "
                         "%s",
                         strerror(e->eno));
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
        return CT_WALK_ERROR;
      }
      p->st.nIgnored++;
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      /* Digest folders below the path given are skipped (not the path
      ** itself: the user named it). */
      if (e->isDir != CT_ENTRY_ROOT && strstr(zBase, "CloudTrail-Digest")) {
        continue;
      }
      if (onStack(p, &st)) {
        p->st.nLoops++;
        continue;
      }
      p->zCur = 0; /* the frame owns zFull now */
      if (openDirFrame(p, zFull, &st, pzErr)) {
        p->zCur = zFull;
        return CT_WALK_ERROR;
      }
      continue;
    }
    if (e->isDir == CT_ENTRY_ROOT)
      return CT_WALK_FILE;
    if (!ctWalkIsLogName(zBase) || strstr(zBase, "CloudTrail-Digest")) {
      p->st.nIgnored++;
      continue;
    }
    return CT_WALK_FILE;
  }
  *pzPath = 0;
  return CT_WALK_DONE;
}
