/* probe_lock_adapter.c - harness-only exports for the lock probe: the context's "group" and
 * the tally that a scenario's then.context checks. */
#include <hotswap/harness.h>

#include <stdlib.h>

#include "probe_lock.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PPROBE_LOCK_CONTEXT context = (PPROBE_LOCK_CONTEXT)calloc(1, sizeof(*context));
    LONGLONG group = 0;

    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    HotswapContextGetInt(Args, "group", &group);
    context->Group = (LONG)group;
    *Context = context;
    return STATUS_SUCCESS;
}

VOID HotswapDestroyContext(PVOID Context)
{
    free(Context);
}

SIZE_T HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const PROBE_LOCK_CONTEXT *context = (const PROBE_LOCK_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size, "{\"checks\":%ld,\"failed\":%ld}", (long)context->Checks,
                         (long)context->Failed);
}
