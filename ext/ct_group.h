/*
** ct_group.h - count events by the values of a few columns.
**
** For `SELECT eventName, count(*) ... GROUP BY eventName` SQLite would
** otherwise sort every row. When a query uses no column but the ones it
** groups by, the table instead counts the rows of each distinct key while
** it scans, then hands SQLite each key as many times as it occurred, keys in
** ascending order: the rows SQLite would have sorted, already sorted.
**
** A key is the values of up to CT_GROUP_MAXCOL columns, each NULL or text
** (bytes, NUL bytes allowed). Keys compare as SQLite's BINARY collation
** sorts them: column by column, NULL first, then memcmp, shorter first.
** Memory: the distinct keys, and 8 bytes a row for its rowid, but 16 bytes
** a run of consecutive rowids (a file's events that have the same key).
*/
#ifndef CT_GROUP_H
#define CT_GROUP_H

#include <stddef.h>
#include <stdint.h>

#define CT_GROUP_MAXCOL 4

/* One column's value: z == NULL for SQL NULL. */
typedef struct CtGroupVal {
  const char *z;
  size_t n;
} CtGroupVal;

typedef struct CtGroup CtGroup;

/* A table of keys of nCol columns (1 to CT_GROUP_MAXCOL); NULL if out of
** memory. */
CtGroup *ctGroupNew(int nCol);
void ctGroupFree(CtGroup *g);

/* Count one row with key a[0..nCol), and remember its rowid (rowids must
** name events even here, see ct_groupscan.c). Returns 0, or
** nonzero if out of memory. */
int ctGroupAdd(CtGroup *g, const CtGroupVal *a, int64_t rowid);

/* Sort the keys; then ctGroupKey(g, 0..ctGroupCount(g)-1) are in order. */
void ctGroupSort(CtGroup *g);
size_t ctGroupCount(const CtGroup *g);

/* Key i (after ctGroupSort): its value of column iCol, its row count, and
** the rowid of its row j (0 <= j < rows, in the order added; quickest for
** j = 0, 1, 2... in turn). */
CtGroupVal ctGroupValue(const CtGroup *g, size_t i, int iCol);
int64_t ctGroupRows(const CtGroup *g, size_t i);
int64_t ctGroupRowid(CtGroup *g, size_t i, int64_t j);

#endif /* CT_GROUP_H */
