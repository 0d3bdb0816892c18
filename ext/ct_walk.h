/*
** ct_walk.h - find the log files under a path, lazily, in a fixed order.
**
** The path is a file (always read, whatever its name), a directory (walked
** recursively) or a glob pattern (matched directory by directory with
** fnmatch(3), as glob(3) would; each match is walked). In a walk, a file is
** a log file if its name ends .json, .jsonl or .ndjson, each optionally
** followed by .gz (any letter case); other files are ignored, and so is
** anything with "CloudTrail-Digest" in its path (digest files hold hashes,
** not events). Files come out in byte order of their full path (within each
** glob match).
**
** Symbolic links are followed. Each file and directory is taken once per
** walk, by its device and inode: a file reached again (a hard link, a link
** to it, overlapping glob matches) is a repeat, not handed out again; a
** directory reached again by another link is a repeat too, not walked
** again (so a tree of links is walked in time linear in its entries); a
** directory that is already open on the current path is a loop. The first
** path in walk order wins. Log files are stat'ed before anyone opens them:
** one that is not a regular file (a FIFO, a device) is an error, "not a
** regular file". An entry that cannot be examined (stat fails) is an error,
** unless it is a broken link or a loop of links not named like a log file.
**
** A walk of a directory or pattern that hands out no log file and meets no
** error ends with one error naming the path: "no log files found", with the
** number of files ignored and up to three of their names.
**
** The walk calls the stop callback (ctWalkSetStop) while it lists a
** directory, matches a pattern, sorts, and passes over entries, so a huge
** tree or directory stays interruptible. Nothing touches the disk before the
** first ctWalkNext().
*/
#ifndef CT_WALK_H
#define CT_WALK_H

#include <stddef.h>

#define CT_WALK_DONE 0  /* No more files */
#define CT_WALK_FILE 1  /* *pzPath is the next log file */
#define CT_WALK_ERROR 2 /* *pzPath could not be read: *pzErr says why */
#define CT_WALK_STOPPED                                                        \
  3 /* xStop said stop (ctWalkSetStop): the walk is over, and every later      \
    ** call returns CT_WALK_STOPPED again */
/* Only with ctWalkReportAll(): entries the walk passes over. */
#define CT_WALK_IGNORED 4 /* not named like a log (or a link to nowhere) */
#define CT_WALK_DIGEST 5  /* a digest file or folder, skipped */
#define CT_WALK_REPEAT 6  /* a file or directory reached again, skipped */
#define CT_WALK_LOOP 7    /* a directory link back onto the current path */

typedef struct CtWalkStats {
  long long nIgnored;    /* Files ignored by name (not .json etc., digests) */
  long long nLoops;      /* Directories skipped as symlink loops */
  long long nDirs;       /* Directories read */
  long long nRepeats;    /* Files reached again (same device and inode) */
  long long nDirRepeats; /* Directories reached again, not walked again */
} CtWalkStats;

typedef struct CtWalk CtWalk;

/* Start a walk of zPath; NULL on out of memory. */
CtWalk *ctWalkOpen(const char *zPath);

/*
** Step the walk. On CT_WALK_FILE and CT_WALK_ERROR (and the codes of
** ctWalkReportAll), *pzPath points to a path owned by the walk, valid until
** the next call. On CT_WALK_ERROR *pzErr is a malloc'd cause; the walk can
** go on after it.
*/
int ctWalkNext(CtWalk *p, const char **pzPath, char **pzErr);

/* Have ctWalkNext() call xStop(pArg) every 256 entries it lists, matches,
** sorts or passes over, and return CT_WALK_STOPPED when it returns nonzero:
** a walk through many entries that are not log files stays
** interruptible. */
void ctWalkSetStop(CtWalk *p, int (*xStop)(void *), void *pArg);

/* Have ctWalkNext() also return each entry it passes over (CT_WALK_IGNORED,
** CT_WALK_DIGEST, CT_WALK_REPEAT, CT_WALK_LOOP), and not end with the "no
** log files found" error. Call before the first ctWalkNext(). */
void ctWalkReportAll(CtWalk *p);

const CtWalkStats *ctWalkStats(const CtWalk *p);

void ctWalkClose(CtWalk *p);

/* True if a file of this name is read by a walk. */
int ctWalkIsLogName(const char *zName);

#endif /* CT_WALK_H */
