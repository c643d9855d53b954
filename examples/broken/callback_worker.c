/* callback_worker.c - a worker whose context keeps a pointer into its own image: the
 * completion callback is bound once, when the context is created, to a function of this
 * module. After a hot-swap that unloads the old image, the new routine still calls through
 * the old pointer. The fix is to re-bind such pointers when the driver migrates its state
 * (the ProxyStalled phase), or to keep none in the context.
 *
 * CALLBACK_WORKER_VERSION 1 and 2 build the two releases from this one source.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "callback_worker.h"

#ifndef CALLBACK_WORKER_VERSION
#define CALLBACK_WORKER_VERSION 1
#endif

static VOID
CallbackWorkerComplete(_Inout_ PCALLBACK_WORKER_CONTEXT Context)
{
    Context->Completed++;
    DbgPrint("CallbackWorker v%d: completed item %ld\n", CALLBACK_WORKER_VERSION,
             (long)Context->Completed);
}

_Use_decl_annotations_
VOID
CallbackWorkerBind(PCALLBACK_WORKER_CONTEXT Context)
{
    Context->OnComplete = CallbackWorkerComplete;
}

_Use_decl_annotations_
BOOLEAN
CallbackWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PCALLBACK_WORKER_CONTEXT context = (PCALLBACK_WORKER_CONTEXT)WorkerContext;

    if (WaitStatus != STATUS_WAIT_0) {
        return FALSE;
    }
    /* The bug: OnComplete was bound by whichever image created the context. */
    context->OnComplete(context);
    return TRUE;
}
