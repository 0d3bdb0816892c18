/*
** floor.c - the benchmark's "floor": read and inflate every log file under a
** path, on THREADS threads, without parsing.
**
**   floor [-t THREADS] PATH
**
** It uses only the extension's own walker (ct_walk.h) and loader
** (ct_inflate.h), so it always measures whatever inflater the extension
** ships. The threads share one walk (under a mutex): each takes the next
** path, loads it (read + inflate, CRC checked) and frees it. Prints:
**
**   files N
**   bytes_read N
**   bytes_inflated N
**   failed N          (files the loader refused; each is named on stderr)
**
** Exit status: 0, or 1 if any file failed or the walk reported an error,
** 2 on bad usage.
*/
#include "ct_inflate.h"
#include "ct_walk.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The extension's default max_file_size (1G). */
#define FLOOR_MAX_BYTES ((size_t)1 << 30)
#define FLOOR_MAX_THREADS 256

typedef struct Shared {
  pthread_mutex_t mu;
  CtWalk *walk;
  int walkDone;
  long long nFiles;
  long long nFailed;
  long long nWalkErrors;
  unsigned long long bytesRead;
  unsigned long long bytesInflated;
} Shared;

/* Take the next file of the walk: a malloc'd copy of its path, or NULL. */
static char *nextPath(Shared *s) {
  char *zCopy = NULL;
  pthread_mutex_lock(&s->mu);
  while (!s->walkDone) {
    const char *zPath = NULL;
    char *zErr = NULL;
    int rc = ctWalkNext(s->walk, &zPath, &zErr);
    if (rc == CT_WALK_FILE) {
      zCopy = strdup(zPath);
      if (zCopy == NULL) {
        fprintf(stderr, "floor: out of memory\n");
        s->nWalkErrors++;
        s->walkDone = 1;
      }
      break;
    } else if (rc == CT_WALK_ERROR) {
      fprintf(stderr, "floor: %s: %s\n", zPath ? zPath : "?",
              zErr ? zErr : "error");
      free(zErr);
      s->nWalkErrors++;
    } else {
      s->walkDone = 1;
    }
  }
  pthread_mutex_unlock(&s->mu);
  return zCopy;
}

static void *worker(void *arg) {
  Shared *s = arg;
  long long nFiles = 0, nFailed = 0;
  unsigned long long bytesRead = 0, bytesInflated = 0;
  char *zPath;
  while ((zPath = nextPath(s)) != NULL) {
    CtFileData d;
    char *zErr = NULL;
    memset(&d, 0, sizeof(d));
    if (ctLoadFile(zPath, FLOOR_MAX_BYTES, &d, &zErr)) {
      fprintf(stderr, "floor: %s: %s\n", zPath, zErr ? zErr : "error");
      free(zErr);
      nFailed++;
    } else {
      nFiles++;
      bytesRead += d.rawLen;
      bytesInflated += d.len;
      ctFileDataFree(&d);
    }
    free(zPath);
  }
  pthread_mutex_lock(&s->mu);
  s->nFiles += nFiles;
  s->nFailed += nFailed;
  s->bytesRead += bytesRead;
  s->bytesInflated += bytesInflated;
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

static void usage(void) {
  fprintf(stderr, "usage: floor [-t THREADS] PATH\n");
  exit(2);
}

int main(int argc, char **argv) {
  Shared s;
  pthread_t tids[FLOOR_MAX_THREADS];
  long nThreads = 2;
  const char *zPath = NULL;
  int i;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
      char *zEnd = NULL;
      errno = 0;
      nThreads = strtol(argv[++i], &zEnd, 10);
      if (errno || zEnd == argv[i] || *zEnd || nThreads < 1 ||
          nThreads > FLOOR_MAX_THREADS) {
        fprintf(stderr, "floor: bad thread count: %s\n", argv[i]);
        usage();
      }
    } else if (argv[i][0] == '-' && argv[i][1] != 0) {
      usage();
    } else if (zPath == NULL) {
      zPath = argv[i];
    } else {
      usage();
    }
  }
  if (zPath == NULL)
    usage();

  memset(&s, 0, sizeof(s));
  pthread_mutex_init(&s.mu, NULL);
  s.walk = ctWalkOpen(zPath);
  if (s.walk == NULL) {
    fprintf(stderr, "floor: out of memory\n");
    return 1;
  }
  for (i = 0; i < nThreads; i++) {
    int rc = pthread_create(&tids[i], NULL, worker, &s);
    if (rc != 0) {
      fprintf(stderr, "floor: pthread_create: %s\n", strerror(rc));
      return 1;
    }
  }
  for (i = 0; i < nThreads; i++)
    pthread_join(tids[i], NULL);
  ctWalkClose(s.walk);
  pthread_mutex_destroy(&s.mu);

  printf("files %lld\n", s.nFiles);
  printf("bytes_read %llu\n", s.bytesRead);
  printf("bytes_inflated %llu\n", s.bytesInflated);
  printf("failed %lld\n", s.nFailed);
  return (s.nFailed || s.nWalkErrors) ? 1 : 0;
}
