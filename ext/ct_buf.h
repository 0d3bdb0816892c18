/*
** ct_buf.h - buffers for files' text, mapped by the extension itself and
** kept in a small cache for the next files.
**
** With threads, malloc'd file buffers made the C library give memory back
** to the system and fault it in again, file after file (hundreds of brk and
** madvise calls a scan; see the README's benchmark). These buffers never
** touch malloc's arenas: each is an anonymous mapping, and a freed one is
** kept (up to CT_BUF_CACHE buffers, CT_BUF_CACHE_BYTES in all) for the next
** file that fits in it.
**
** The cache is one for the process, shared by every scan of every
** connection (a buffer freed by one scan may serve another's next file).
** Who may empty it: scans say when they start and end (ctBufScanBegin and
** ctBufScanEnd, which ct_pool's ctPoolNew and ctPoolFree call), and
** ctBufTrim(), called once a scan has ended, unmaps the kept buffers only
** if no other scan is running: one cursor's reset never empties the cache
** under another connection's scan, and the last scan to end leaves nothing
** mapped.
** Under AddressSanitizer they are plain malloc'd memory, so that reads past
** a text's end are still caught.
*/
#ifndef CT_BUF_H
#define CT_BUF_H

#include <stddef.h>

#define CT_BUF_CACHE 16                       /* buffers kept at most */
#define CT_BUF_CACHE_BYTES ((size_t)16 << 20) /* ... and bytes in all */

/* A buffer of at least n bytes (its size to *pCap), or NULL. */
char *ctBufAlloc(size_t n, size_t *pCap);

/* Grow the buffer p of cap bytes to at least n bytes (its size to *pCap),
** keeping its content; NULL (p still valid) if out of memory. The pages move
** rather than being copied, so the old and new sizes are never both held. */
char *ctBufGrow(char *p, size_t cap, size_t n, size_t *pCap);

/* Free (or keep for reuse) the buffer p of cap bytes from ctBufAlloc. */
void ctBufFree(char *p, size_t cap);

/* A scan started, or ended: see ctBufTrim. Calls pair up; any thread. */
void ctBufScanBegin(void);
void ctBufScanEnd(void);

/* A scan ended: unmap the kept buffers if no other scan is running (no
** ctBufScanBegin without its ctBufScanEnd); else keep them for the scans
** still running, the last of which unmaps them when it ends. */
void ctBufTrim(void);

/* Bytes kept for reuse now; 0 when nothing is cached (AddressSanitizer). */
size_t ctBufCachedBytes(void);

/* Bytes mapped now, in use or kept (0 under AddressSanitizer, where the
** buffers come from ctMalloc). A new mapping asks ctReserve() first, so
** the allocator's limit caps the text of files too (ct_util.h). */
size_t ctBufMappedBytes(void);

#endif /* CT_BUF_H */
