/*
** ct_decode.h - one file, from its path to the events a scan keeps.
**
** ctDecodeFile() is the per-file half of the pipeline: read and inflate
** (ct_inflate), rule the file out by a byte search (ct_filter), validate and
** split it into events (ct_records), then find each event's fields
** (ct_event) and drop the events the filter rules out. It touches nothing
** but its CtDecoded, so worker threads run it side by side (ct_pool).
**
** Words used for the byte search here and in ct_filter and ct_records:
**   rule out   the byte search proves a text (a file's, or one event's)
**              holds no match: ctFilterTextMayMatch() returns 0. A file
**              ruled out is CT_DEC_RULED_OUT.
**   pass over  move past an event that was ruled out without validating
**              or indexing it, following only its strings and brackets
**              (ctJsonBracketEnd); CtRecords.nRuledOut counts them.
**   places     where each value searched for occurs in a file's text,
**              found once per file (CtPlaces), so that the test of each
**              event is a look-up rather than a search.
**   drop       remove an indexed event that ctFilterRecord() rejects.
** nSkipRec counts the events passed over and dropped (the scan's stats).
*/
#ifndef CT_DECODE_H
#define CT_DECODE_H

#include "ct_event.h"
#include "ct_filter.h"
#include "ct_inflate.h"
#include "ct_logname.h"
#include "ct_records.h"

#include <stdint.h>

#define CT_DEC_OK 0        /* events (possibly none) in recs */
#define CT_DEC_RULED_OUT 1 /* the byte search ruled the file out */
#define CT_DEC_ERROR 2     /* zErr says why */

/* What every file of a scan is decoded with (read-only while decoding). */
typedef struct CtDecodeCfg {
  const CtFilter *pFilter; /* Pushed-down constraints */
  size_t maxFileSize;      /* max_file_size */
  unsigned fieldMask;      /* Fields the columns need (bit CT_F_*); the
                           ** filter's are added */
} CtDecodeCfg;

typedef struct CtDecoded {
  char *zPath;     /* The file (malloc'd) */
  int hasName;     /* True if the name is a CloudTrail delivery name */
  CtLogName name;  /* What the name says, if hasName */
  int status;      /* CT_DEC_* */
  char *zErr;      /* Cause of CT_DEC_ERROR (malloc'd) */
  CtFileData data; /* The file's JSON text */
  CtRecords recs;  /* The events kept, in file order (of the part indexed:
                   ** see ctDecodeNext) */
  size_t *aOrig;   /* Each kept event's index among all the file's events;
                   ** NULL when they are recs.iBase + 0, 1, 2... */
  size_t nSkipRec; /* Events the filter dropped */
  long long iFile; /* The file's number in the walk (rowids are made of it) */
} CtDecoded;

/* Decode p->zPath into p (status, data, recs with their fields...). */
void ctDecodeFile(CtDecoded *p, const CtDecodeCfg *pCfg);

/*
** Memory: a file's index (recs, aOrig) holds at most half as many bytes as
** its text, plus CT_INDEX_MIN_BYTES (a quarter, while the byte search's
** places of values are held too). A file of events too small for that is
** indexed a part at a time: ctDecodeFile() validates all of it and indexes
** the first part; ctDecodeNext() indexes the next, in place, on the
** caller's thread. Event numbers (aOrig, rowids) are those of the file.
*/
#define CT_INDEX_MIN_BYTES ((size_t)1 << 20)

/* Index the next part of p's events (ctRecordsHasMore(&p->recs)), with
** the cfg p was decoded with. Returns 0, with the events the filter drops
** added to *pnSkip; or nonzero with p->zErr set (out of memory). */
int ctDecodeNext(CtDecoded *p, const CtDecodeCfg *pCfg, size_t *pnSkip);

/* Bytes of memory p holds (its text and its events' index). */
size_t ctDecodedBytes(const CtDecoded *p);

/* Free everything p holds, and p itself (malloc'd). */
void ctDecodedFree(CtDecoded *p);

/*
** Rowids. A rowid names one event among all those one cursor reads, over
** every path its scans are given: SQLite's OR plans run one scan per term
** on one cursor and merge the rows by rowid, so the same event must get the
** same rowid in every scan, and different events (also of different paths)
** different rowids. The cursor numbers the distinct path texts it is given
** in first-use order (its "slots"); an event is named by its path's slot,
** its file's number in that path's walk and its index in its file:
**
**   slot 0:            (file << 32) | index          (>= 0; file < 2^31)
**   slot 1 to 127:     -1 - ((slot << 56) | (file << 32) | index)
**                                                    (< -2^56; file < 2^24)
**
** with index < 2^32. Anything else cannot be numbered: ctRowidMake says
** why (CT_ROWID_*), and no rowid is ever CT_ROWID_NONE.
*/
#define CT_ROWID_SLOTS 128 /* path texts one cursor can number */
#define CT_ROWID_OK 0      /* numbered */
#define CT_ROWID_SLOT 1    /* more than CT_ROWID_SLOTS paths (slot < 0) */
#define CT_ROWID_FILE 2    /* file number past its slot's range */
#define CT_ROWID_INDEX 3   /* event index of 2^32 or more */
#define CT_ROWID_NONE (-1) /* never a rowid: stands for "not numbered" */

/* The rowid of event idx of file iFile of the path in slot (or -1: none).
** Returns CT_ROWID_OK and sets *pRowid, or the reason it cannot. */
int ctRowidMake(int slot, long long iFile, uint64_t idx, int64_t *pRowid);

/* The rowid of kept event iRec of p (see ctRowidMake). */
int ctDecodedRowid(const CtDecoded *p, size_t iRec, int slot, int64_t *pRowid);

#endif /* CT_DECODE_H */
