/* probe_lock.h - the lock probe's context: which group of DDIs to probe, and the tally. */
#ifndef PROBE_LOCK_H
#define PROBE_LOCK_H

#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

typedef struct _PROBE_LOCK_CONTEXT {
    LONG Group;   /* PROBE_GROUP_* */
    LONG Checks;  /* facts checked */
    LONG Failed;  /* facts that did not hold */
} PROBE_LOCK_CONTEXT, *PPROBE_LOCK_CONTEXT;

#define PROBE_GROUP_SPIN 1
#define PROBE_GROUP_REGION 2
#define PROBE_GROUP_MUTEX 3
#define PROBE_GROUP_RESOURCE 4

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ProbeLockRoutine;

#endif
