/*
** ct_inflate.h - read one log file into memory, inflating gzip.
**
** The content decides: bytes that start with the gzip magic (1f 8b) are
** inflated, member after member, each member's CRC-32 and ISIZE checked by
** zlib. Bytes after a member that do not start another member are an error
** naming their offset. A file named *.gz that is not gzip is an error too.
** An empty file (or gzip that inflates to nothing) gives zero bytes.
** gzread() is not used: it skips trailing garbage and passes non-gzip bytes
** through as text.
*/
#ifndef CT_INFLATE_H
#define CT_INFLATE_H

#include <stddef.h>

typedef struct CtFileData {
  char *buf;     /* malloc'd content (inflated), NUL-terminated */
  size_t len;    /* Bytes in buf, excluding the terminator */
  size_t rawLen; /* Bytes read from disk */
  int isGzip;    /* True if the file was gzip */
  size_t bufCap; /* If buf is a ct_buf buffer (a gzip's text), its size;
                 ** 0 if buf is malloc'd */
} CtFileData;

/*
** Load zPath. maxBytes bounds both the file and the inflated size. Returns 0
** on success. On failure returns nonzero and sets *pzErr to a malloc'd
** message that says what went wrong (without the path; the caller adds it).
*/
int ctLoadFile(const char *zPath, size_t maxBytes, CtFileData *p, char **pzErr);

/* Inflate the gzip bytes raw[0..rawLen) into a malloc'd buffer. Built with
** CT_HAVE_LIBDEFLATE, libdeflate does the work and zlib only explains bad
** data; otherwise zlib does it all. The result is the same. */
int ctGunzip(const unsigned char *raw, size_t rawLen, size_t maxBytes,
             char **pOut, size_t *pOutLen, char **pzErr);

/* The same with zlib alone (streaming, member by member). */
int ctGunzipZlib(const unsigned char *raw, size_t rawLen, size_t maxBytes,
                 char **pOut, size_t *pOutLen, char **pzErr);

void ctFileDataFree(CtFileData *p);

/* Free p's text, keeping its sizes (len, rawLen) and isGzip. */
void ctFileDataDropText(CtFileData *p);

#endif /* CT_INFLATE_H */
