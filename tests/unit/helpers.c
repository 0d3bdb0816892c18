/*
** tests/unit/helpers.c - the helpers of tests/unit/helpers.h.
*/
#include "helpers.h"

#include "ct_util.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char zTmp[64]; /* The mkdtemp() directory */

/* Print n bytes of z with non-printable bytes as \xNN. */
void printEscaped(FILE *f, const char *z, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    if (c >= 0x20 && c < 0x7f && c != '\\')
      fputc(c, f);
    else
      fprintf(f, "\\x%02x", c);
  }
}

/* True if the span sp of buf holds exactly the text z. */
int spanIs(const char *buf, CtSpan sp, const char *z) {
  size_t n = strlen(z);
  return sp.len == n && memcmp(buf + sp.off, z, n) == 0;
}

/* malloc'd path zTmp/zRel. */
char *tmpPath(const char *zRel) {
  char *z = ctMprintf("%s/%s", zTmp, zRel);
  if (z == 0)
    abort();
  return z;
}

void writeFile(const char *zPath, const void *p, size_t n) {
  FILE *f = fopen(zPath, "wb");
  if (f == 0) {
    fprintf(stderr, "cannot create %s: %s\n", zPath, strerror(errno));
    abort();
  }
  if (n > 0 && fwrite(p, 1, n, f) != n)
    abort();
  if (fclose(f) != 0)
    abort();
}

/* Write zRel under zTmp; returns the malloc'd full path. */
char *writeTmp(const char *zRel, const void *p, size_t n) {
  char *z = tmpPath(zRel);
  writeFile(z, p, n);
  return z;
}

void makeDir(const char *zPath) {
  if (mkdir(zPath, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "mkdir %s: %s\n", zPath, strerror(errno));
    abort();
  }
}

/* Remove zPath and all under it; symbolic links are removed, not followed. */
void rmTree(const char *zPath) {
  struct stat st;
  if (lstat(zPath, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(zPath);
    struct dirent *e;
    if (d) {
      while ((e = readdir(d)) != 0) {
        char *zSub;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
          continue;
        }
        zSub = ctMprintf("%s/%s", zPath, e->d_name);
        if (zSub)
          rmTree(zSub);
        free(zSub);
      }
      closedir(d);
    }
    rmdir(zPath);
  } else {
    unlink(zPath);
  }
}

/* A fixed-seed xorshift generator: the fuzz loops are deterministic. */
uint64_t rngState = RNG_SEED;
uint32_t rnd(void) {
  rngState ^= rngState << 13;
  rngState ^= rngState >> 7;
  rngState ^= rngState << 17;
  return (uint32_t)(rngState >> 32);
}

size_t rndBelow(size_t n) { return n ? (size_t)rnd() % n : 0; }

/* Copy z[0..n) into an exactly-sized malloc'd buffer, so that ASan reports
** any read past the end. (n == 0 gets 1 byte, never read.) */
char *exactCopy(const char *z, size_t n) {
  char *p = malloc(n ? n : 1);
  if (p == 0)
    abort();
  if (n)
    memcpy(p, z, n);
  return p;
}

/* Our verdict on the whole text buf[0..n): one value, whitespace around. */
int ourAccepts(const char *buf, size_t n, size_t *pStart, size_t *pEnd,
               CtJsonError *pErr) {
  size_t start = ctJsonSpaceEnd(buf, n, 0);
  size_t end = 0;
  CtJsonError err = {0, 0};
  int rc = ctJsonValidate(buf, n, start, &end, &err);
  if (pStart)
    *pStart = start;
  if (pEnd)
    *pEnd = end;
  if (pErr)
    *pErr = err;
  return rc == 0 && ctJsonSpaceEnd(buf, n, end) == n;
}

int sign(int x) { return (x > 0) - (x < 0); }
