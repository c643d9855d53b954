/* careless_worker.h - the context of the contract-check gallery's worker. */
#ifndef CARELESS_WORKER_H
#define CARELESS_WORKER_H

#define CARELESS_WORKER_POOL_TAG 0x6C726143UL /* 'Carl' */

typedef enum _CARELESS_MISTAKE {
    CarelessNone,
    CarelessBadBoolean,
    CarelessKeepSpinLock,
    CarelessRaiseNotLowered,
    CarelessLeakBuffer,
    CarelessDoubleFree,
    CarelessReleaseUnownedMutex,
    CarelessOverReleaseSemaphore,
    CarelessWaitAtDispatch,
    CarelessHang
} CARELESS_MISTAKE;

typedef struct _CARELESS_WORKER_CONTEXT {
    CARELESS_MISTAKE Mistake;
    KSPIN_LOCK Lock;
    KMUTEX Mutex;
    KSEMAPHORE Credits;
    KEVENT Idle;
    LONG Items;
} CARELESS_WORKER_CONTEXT, *PCARELESS_WORKER_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE CarelessWorkerRoutine;

#endif
