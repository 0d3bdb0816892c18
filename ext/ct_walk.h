/*
** ct_walk.h - find the log files under a path, lazily, in a fixed order.
**
** The path is a file (always read, whatever its name), a directory (walked
** recursively) or a glob pattern (glob(3); each match is walked). In a walk,
** a file is a log file if its name ends .json, .jsonl or .ndjson, each
** optionally followed by .gz (any letter case); other files are ignored, and
** so is anything with "CloudTrail-Digest" in its path (digest files hold
** hashes, not events). Files come out in byte order of their full path
** (within each glob match). Symbolic links are followed; a directory that is
** already open on the current path (a loop) is skipped and counted. An
** entry that cannot be examined (stat fails) is an error, unless it is a
** broken link or a loop of links not named like a log file.
** Nothing touches the disk before the first ctWalkNext().
*/
#ifndef CT_WALK_H
#define CT_WALK_H

#include <stddef.h>

#define CT_WALK_DONE 0  /* No more files */
#define CT_WALK_FILE 1  /* *pzPath is the next log file */
#define CT_WALK_ERROR 2 /* *pzPath could not be read: *pzErr says why */
#define CT_WALK_STOPPED                                                        \
  3 /* xStop said stop (ctWalkSetStop); call again to                          \
    ** go on */

typedef struct CtWalkStats {
  long long nIgnored; /* Files ignored by name (not .json etc., digests) */
  long long nLoops;   /* Directories skipped as symlink loops */
  long long nDirs;    /* Directories read */
} CtWalkStats;

typedef struct CtWalk CtWalk;

/* Start a walk of zPath; NULL on out of memory. */
CtWalk *ctWalkOpen(const char *zPath);

/*
** Step the walk. On CT_WALK_FILE and CT_WALK_ERROR, *pzPath points to a path
** owned by the walk, valid until the next call. On CT_WALK_ERROR *pzErr is a
** malloc'd cause; the walk can go on after it.
*/
int ctWalkNext(CtWalk *p, const char **pzPath, char **pzErr);

/* Have ctWalkNext() call xStop(pArg) every 256 entries it passes over, and
** return CT_WALK_STOPPED when it returns nonzero: a walk through many
** entries that are not log files stays interruptible. */
void ctWalkSetStop(CtWalk *p, int (*xStop)(void *), void *pArg);

const CtWalkStats *ctWalkStats(const CtWalk *p);

void ctWalkClose(CtWalk *p);

/* True if a file of this name is read by a walk. */
int ctWalkIsLogName(const char *zName);

#endif /* CT_WALK_H */
