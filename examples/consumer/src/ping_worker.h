/* ping_worker.h - the ping worker's context: what the driver allocates and the routine
 * updates. Shared by the driver build and the harness adapter. */
#ifndef PING_WORKER_H
#define PING_WORKER_H

#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#define PING_WORKER_POOL_TAG 'gniP' /* "Ping" in pool dumps */

typedef struct _PING_WORKER_CONTEXT {
    LONG Pings;       /* requests answered */
    LONG IdleTicks;   /* timeouts with nothing to do */
} PING_WORKER_CONTEXT, *PPING_WORKER_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE PingWorkerRoutine;

#endif
