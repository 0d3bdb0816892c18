/*
** ct_pattern.h - match a glob pattern directory by directory, and join
** paths (for ct_walk.c; no SQLite).
**
** A pattern is a path with wildcards ('*', '?', '[...]') in some of its
** components. It is matched here, not by glob(3), so that a stop callback
** is asked while a huge tree is matched: the pattern is split at '/', and
** each component with a wildcard (or a backslash) is matched against the
** entries of the directories the previous components reached, with
** fnmatch(3) and FNM_PERIOD (a leading dot must be matched by a dot, as in
** glob(3)); "." and ".." never match. A literal last component must exist
** (lstat); a pattern ending in '/' matches directories only, and each
** match is then given with a trailing '/'. A directory that is missing or
** not a directory matches nothing; one that cannot be read for another
** reason is handed to the callback with its errno.
**
** Results come in the order of the directories' entries, not sorted: the
** walk sorts them.
*/
#ifndef CT_PATTERN_H
#define CT_PATTERN_H

#include <stddef.h>

#define CT_PATTERN_OK 0
#define CT_PATTERN_NOMEM 1 /* out of memory */
#define CT_PATTERN_STOP 2  /* xStop said stop */

/* True if z has a wildcard: the walk tries it as a pattern (if no such
** file exists). */
int ctPatternHasMeta(const char *z);

/*
** Match zPattern. For each match, xAdd(pArg, zPath, 0); for each directory
** that could not be read, xAdd(pArg, zDir, errno). xAdd returns nonzero on
** out of memory. xStop(pArg, 1) is asked before each directory entry read;
** a nonzero answer stops the match. Returns CT_PATTERN_OK, CT_PATTERN_NOMEM
** or CT_PATTERN_STOP.
*/
int ctPatternMatch(const char *zPattern,
                   int (*xAdd)(void *pArg, const char *zPath, int eno),
                   int (*xStop)(void *pArg, unsigned n), void *pArg);

/* zDir + '/' + zName (no '/' added after an empty zDir or one ending in
** '/'), ctMalloc'd; NULL on out of memory. */
char *ctPathJoin(const char *zDir, const char *zName);

#endif /* CT_PATTERN_H */
