/*
** ct_pool.h - decode files on worker threads, ahead of the cursor, and hand
** them back in the order they were submitted.
**
** The cursor walks the files and submits each one it cannot rule out by
** name; up to the pool's capacity are decoded ahead (bounded memory; LIMIT
** stops the scan after a few files). With no threads, ctPoolNext() decodes
** the next file on the calling thread. Threads start only when a second
** file is in flight, so a one-file scan never starts one.
*/
#ifndef CT_POOL_H
#define CT_POOL_H

#include "ct_decode.h"

#include <stddef.h>

typedef struct CtPool CtPool;

/* A pool of nThread workers (0: decode on the caller) holding at most
** nCap files in flight. Once decoded files waiting to be taken hold maxHeld
** bytes, only the oldest file is started. NULL on out of memory. */
CtPool *ctPoolNew(int nThread, size_t nCap, size_t maxHeld,
                  const CtDecodeCfg *pCfg);

/* True if another file can be submitted now. */
int ctPoolHasRoom(const CtPool *p);

/* Files submitted and not yet taken back. */
size_t ctPoolInFlight(const CtPool *p);

/* Submit p (malloc'd; the pool owns it until ctPoolNext returns it). If
** its status is already CT_DEC_ERROR it is handed back in turn as it is.
** Returns nonzero (and frees p) on failure. */
int ctPoolSubmit(CtPool *pool, CtDecoded *p);

/* The oldest file submitted, decoded (waiting for it if need be); NULL if
** none is in flight. The caller frees it with ctDecodedFree. */
CtDecoded *ctPoolNext(CtPool *p);

/* Stop the workers, free everything not taken back. Returns the number of
** files decoded but never taken back (read ahead for nothing).
**
** A pool is a running scan for ct_buf's cache of text buffers: ctPoolNew
** calls ctBufScanBegin() and ctPoolFree ctBufScanEnd(), so that the
** caller's ctBufTrim() after ctPoolFree (a scan ended) unmaps the cache
** only if no other pool, of any connection, is alive. */
size_t ctPoolFree(CtPool *p);

#endif /* CT_POOL_H */
