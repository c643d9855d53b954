/* careless_worker_adapter.c - harness-only exports: the context, with the mistake the
 * scenario's "context" names ({ "mistake": N }, a CARELESS_MISTAKE). */
#include <hotswap/harness.h>

#include "careless_worker.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    LONG64 mistake = CarelessNone;
    PCARELESS_WORKER_CONTEXT context;

    (void)HotswapContextGetInt(Args, "mistake", &mistake);
    context = (PCARELESS_WORKER_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                        CARELESS_WORKER_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->Mistake = (CARELESS_MISTAKE)mistake;
    KeInitializeSpinLock(&context->Lock);
    KeInitializeMutex(&context->Mutex, 0);
    KeInitializeSemaphore(&context->Credits, 0, 1);
    KeInitializeEvent(&context->Idle, NotificationEvent, FALSE);
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, CARELESS_WORKER_POOL_TAG);
}
