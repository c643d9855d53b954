/* lock_common.h - shared by the shim's lock files (lock_common.c). */
#ifndef HH_SHIM_LOCK_COMMON_H
#define HH_SHIM_LOCK_COMMON_H

#include "shim.h"

/* "the fast mutex at offset 8 in the block ...", or "a fast mutex outside pool memory ...";
 * returns buf. */
const char *hh_lock_name(struct hh_engine *e, const char *kind, const void *lock, char *buf,
                         size_t len);
/* Rule "lock" when magic != want: the lock was not initialized with `init`. */
void hh_lock_require_init(struct hh_engine *e, const char *routine, const char *kind,
                          const void *lock, ULONG magic, ULONG want, const char *init);
/* "thread 'x' holds it" or "nobody holds it"; returns buf. */
const char *hh_lock_owner_text(PKTHREAD owner, char *buf, size_t len);
/* "ExAcquireFastMutex at file.c:12", or the routine alone without a site; returns buf. */
const char *hh_lock_call(const char *routine, const char *file, int line, char *buf, size_t len);
/* Normal kernel APCs are off: APC_LEVEL or above, or a critical or guarded region (a KMUTEX
 * or guarded mutex held counts as one). */
int hh_lock_apcs_disabled(const struct _KTHREAD *t);

#endif
