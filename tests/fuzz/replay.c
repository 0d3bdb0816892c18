/*
** replay.c - run a fuzz target over files without libFuzzer.
**
**   replay_records CORPUS_DIR_OR_FILE...
**
** Links with one target's LLVMFuzzerTestOneInput (and its
** LLVMFuzzerInitialize, if it has one) and feeds it each file, so that CI
** replays the seed corpus and every past finding under the sanitizers.
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static long nRun = 0;

static int runFile(const char *zPath) {
  FILE *f = fopen(zPath, "rb");
  uint8_t *buf = 0;
  size_t n = 0, cap = 0;
  if (f == 0) {
    fprintf(stderr, "replay: cannot open %s\n", zPath);
    return 1;
  }
  for (;;) {
    size_t got;
    if (n == cap) {
      uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
      if (nb == 0) {
        fprintf(stderr, "replay: out of memory\n");
        free(buf);
        fclose(f);
        return 1;
      }
      buf = nb;
    }
    got = fread(buf + n, 1, cap - n, f);
    if (got == 0)
      break;
    n += got;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf, n);
  free(buf);
  nRun++;
  return 0;
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int runPath(const char *zPath) {
  struct stat st;
  DIR *d;
  struct dirent *e;
  char **az = 0;
  size_t n = 0, i;
  int rc = 0;
  if (stat(zPath, &st) != 0) {
    fprintf(stderr, "replay: no such file: %s\n", zPath);
    return 1;
  }
  if (!S_ISDIR(st.st_mode))
    return runFile(zPath);
  d = opendir(zPath);
  if (d == 0)
    return 1;
  while ((e = readdir(d)) != 0) {
    size_t len;
    char **na;
    if (e->d_name[0] == '.')
      continue;
    na = realloc(az, (n + 1) * sizeof(char *));
    if (na == 0)
      break;
    az = na;
    len = strlen(zPath) + strlen(e->d_name) + 2;
    az[n] = malloc(len);
    if (az[n] == 0)
      break;
    snprintf(az[n++], len, "%s/%s", zPath, e->d_name);
  }
  closedir(d);
  if (n > 1)
    qsort(az, n, sizeof(char *), cmp);
  for (i = 0; i < n; i++) {
    rc |= runPath(az[i]);
    free(az[i]);
  }
  free(az);
  return rc;
}

int main(int argc, char **argv) {
  int i, rc = 0;
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(&argc, &argv);
  for (i = 1; i < argc; i++)
    rc |= runPath(argv[i]);
  printf("replay: %ld inputs, no finding\n", nRun);
  return rc;
}
