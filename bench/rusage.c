/*
** rusage.c - run a command and report its CPU time and peak RSS.
**
**   bench-rusage OUTFILE COMMAND [ARGS...]
**
** Forks, execs COMMAND, waits for it with wait4() and writes to OUTFILE one
** line: "user_s sys_s maxrss_kb", the rusage of the command and of every
** descendant it waited for (so a shell pipeline counts all its processes;
** maxrss is then the largest single process). Exits with the command's exit
** status (128 + the signal if it was killed).
**
** Why not os.wait4() in Python directly: Linux starts a child's ru_maxrss
** at the RSS of the process that forked it (exec records the old address
** space's high-water mark), so a child of a 50 MB Python reports at least
** 50 MB. This small program is the parent instead, so the baseline is its
** own RSS (about 1 MB).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  pid_t pid;
  int status = 0;
  struct rusage ru;
  FILE *out;

  if (argc < 3) {
    fprintf(stderr, "usage: bench-rusage OUTFILE COMMAND [ARGS...]\n");
    return 2;
  }
  pid = fork();
  if (pid < 0) {
    fprintf(stderr, "bench-rusage: fork: %s\n", strerror(errno));
    return 2;
  }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    fprintf(stderr, "bench-rusage: %s: %s\n", argv[2], strerror(errno));
    _exit(127);
  }
  memset(&ru, 0, sizeof(ru));
  while (wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) {
      fprintf(stderr, "bench-rusage: wait4: %s\n", strerror(errno));
      return 2;
    }
  }
  out = fopen(argv[1], "w");
  if (out == NULL) {
    fprintf(stderr, "bench-rusage: %s: %s\n", argv[1], strerror(errno));
    return 2;
  }
  fprintf(out, "%ld.%06ld %ld.%06ld %ld\n", (long)ru.ru_utime.tv_sec,
          (long)ru.ru_utime.tv_usec, (long)ru.ru_stime.tv_sec,
          (long)ru.ru_stime.tv_usec, ru.ru_maxrss);
  fclose(out);
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return 1;
}
