/* firmware_update_adapter.c - harness-only exports for firmware_update: a zeroed context
 * from the pool, freed at the end, described for "context" expectations.
 */
#include <hotswap/harness.h>

#include "firmware_update.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    (void)Args;
    *Context = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(FIRMWARE_UPDATE_CONTEXT),
                               FIRMWARE_UPDATE_POOL_TAG);
    return *Context ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, FIRMWARE_UPDATE_POOL_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const FIRMWARE_UPDATE_CONTEXT *context = (const FIRMWARE_UPDATE_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size, "{\"state\":%d,\"chunks\":%ld,\"flashes\":%ld}",
                         (int)context->State, (long)context->Chunks, (long)context->Flashes);
}
