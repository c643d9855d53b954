/* resource_guard_adapter.c - harness-only exports for resource_guard: the context from the
 * scenario's "lock" and "stop" objects (else indexes 0 and 1), and its description.
 */
#include <hotswap/harness.h>

#include "resource_guard.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

static PVOID
AdapterObject(const HOTSWAP_CONTEXT_ARGS *Args, const char *Name, ULONG Index)
{
    PVOID object = HotswapFindObject(Args, Name);

    if (object == NULL && Index < Args->ObjectCount) {
        object = Args->Objects[Index];
    }
    return object;
}

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PRESOURCE_GUARD_CONTEXT context;
    NTSTATUS status;

    status = ResourceGuardCreateContext((PKMUTEX)AdapterObject(Args, "lock", 0),
                                        (PKEVENT)AdapterObject(Args, "stop", 1), &context);
    if (NT_SUCCESS(status)) {
        *Context = context;
    }
    return status;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ResourceGuardDeleteContext((PRESOURCE_GUARD_CONTEXT)Context);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const RESOURCE_GUARD_CONTEXT *context = (const RESOURCE_GUARD_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size, "{\"uses\":%ld,\"repairs\":%ld,\"generation\":%ld}",
                         (long)context->Uses, (long)context->Repairs,
                         (long)context->Resource.Committed);
}
