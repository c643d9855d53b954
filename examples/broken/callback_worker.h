/* callback_worker.h - a worker context that stores a function pointer into its module. */
#ifndef CALLBACK_WORKER_H
#define CALLBACK_WORKER_H

typedef struct _CALLBACK_WORKER_CONTEXT CALLBACK_WORKER_CONTEXT, *PCALLBACK_WORKER_CONTEXT;

typedef VOID CALLBACK_WORKER_COMPLETE(_Inout_ PCALLBACK_WORKER_CONTEXT Context);

struct _CALLBACK_WORKER_CONTEXT {
    CALLBACK_WORKER_COMPLETE *OnComplete;
    LONG Completed;
};

#define CALLBACK_WORKER_POOL_TAG 0x6B624357UL /* 'WCbk' */

/* Binds the context's callbacks to this image's functions. */
VOID
CallbackWorkerBind(_Inout_ PCALLBACK_WORKER_CONTEXT Context);

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE CallbackWorkerRoutine;

#endif
