/* device_reset_waits_forever_adapter.c - harness-only exports. */
#include <hotswap/harness.h>

#include "device_reset_waits_forever.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PRESET_FOREVER_CONTEXT context = (PRESET_FOREVER_CONTEXT)ExAllocatePool2(
        POOL_FLAG_NON_PAGED, sizeof(*context), RESET_FOREVER_POOL_TAG);

    UNREFERENCED_PARAMETER(Args);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    KeInitializeEvent(&context->ResetDone, NotificationEvent, FALSE);
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, RESET_FOREVER_POOL_TAG);
}
