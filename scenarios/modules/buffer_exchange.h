/* buffer_exchange.h - a worker that copies out a shared buffer each time a writer fills it.
 * It waits WaitAll on the buffer's lock (an NT mutant) and the "filled" synchronization event,
 * so it wakes owning the lock with the fill consumed, atomically, or not at all. The wait has
 * an absolute timeout: the end of the capture session.
 *
 * Objects, in start-context order: 0 = lock (mutant), 1 = filled (synchronization event).
 */
#ifndef BUFFER_EXCHANGE_H
#define BUFFER_EXCHANGE_H

#define BUFFER_EXCHANGE_POOL_TAG 0x67586642UL /* "BfXg" in pool dumps */

typedef struct _BUFFER_EXCHANGE_CONTEXT {
    PKMUTEX Lock;
    LONG Copied;    /* fills copied out */
    LONG Discarded; /* fills dropped because the writer died holding the lock */
} BUFFER_EXCHANGE_CONTEXT, *PBUFFER_EXCHANGE_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE BufferExchangeRoutine;

#endif
