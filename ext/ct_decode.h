/*
** ct_decode.h - one file, from its path to the events a scan keeps.
**
** ctDecodeFile() is the per-file half of the pipeline: read and inflate
** (ct_inflate), rule the file out by a byte search (ct_filter), validate and
** split it into events (ct_records), then find each event's fields
** (ct_event) and drop the events the filter rules out. It touches nothing
** but its CtDecoded, so worker threads run it side by side (ct_pool).
*/
#ifndef CT_DECODE_H
#define CT_DECODE_H

#include "ct_event.h"
#include "ct_filter.h"
#include "ct_inflate.h"
#include "ct_logname.h"
#include "ct_records.h"

#define CT_DEC_OK 0      /* events (possibly none) in recs */
#define CT_DEC_SKIPPED 1 /* the byte search ruled the file out */
#define CT_DEC_ERROR 2   /* zErr says why */

/* What every file of a scan is decoded with (read-only while decoding). */
typedef struct CtDecodeCfg {
  const CtFilter *pFilter; /* Pushed-down constraints */
  size_t maxFileSize;      /* max_file_size */
  int needFields;          /* Fill recs.aField (a column needs a field) */
} CtDecodeCfg;

typedef struct CtDecoded {
  char *zPath;     /* The file (malloc'd) */
  int hasName;     /* True if the name is a CloudTrail delivery name */
  CtLogName name;  /* What the name says, if hasName */
  int status;      /* CT_DEC_* */
  char *zErr;      /* Cause of CT_DEC_ERROR (malloc'd) */
  CtFileData data; /* The file's JSON text */
  CtRecords recs;  /* The events kept, in file order */
  size_t *aOrig;   /* Each kept event's index among all the file's events;
                   ** NULL when the filter kept them all */
  size_t nSkipRec; /* Events the filter dropped */
  long long iFile; /* The file's number in the walk (rowids are made of it) */
} CtDecoded;

/* Decode p->zPath into p (status, data, recs with their fields...). */
void ctDecodeFile(CtDecoded *p, const CtDecodeCfg *pCfg);

/* Bytes of memory p holds (its text and its events' index). */
size_t ctDecodedBytes(const CtDecoded *p);

/* Free everything p holds, and p itself (malloc'd). */
void ctDecodedFree(CtDecoded *p);

#endif /* CT_DECODE_H */
