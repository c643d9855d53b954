/* buffer_exchange_adapter.c - harness-only exports for buffer_exchange: the "lock" object
 * (else index 0). */
#include <hotswap/harness.h>

#include "buffer_exchange.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PBUFFER_EXCHANGE_CONTEXT context;
    PVOID lock = HotswapFindObject(Args, "lock");

    if (lock == NULL) {
        lock = Args->Objects[0];
    }
    context = (PBUFFER_EXCHANGE_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                        BUFFER_EXCHANGE_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->Lock = (PKMUTEX)lock;
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, BUFFER_EXCHANGE_POOL_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const BUFFER_EXCHANGE_CONTEXT *context = (const BUFFER_EXCHANGE_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size, "{\"copied\":%ld,\"discarded\":%ld}",
                         (long)context->Copied, (long)context->Discarded);
}
