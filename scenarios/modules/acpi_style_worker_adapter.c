/* acpi_style_worker_adapter.c - harness-only exports for acpi_style_worker. */
#include <hotswap/harness.h>

#include "acpi_style_worker.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;
HOTSWAP_DESCRIBE_CONTEXT HotswapDescribeContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PACPI_STYLE_WORKER_CONTEXT context;

    UNREFERENCED_PARAMETER(Args);
    context = (PACPI_STYLE_WORKER_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                          ACPI_STYLE_WORKER_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, ACPI_STYLE_WORKER_POOL_TAG);
}

SIZE_T
HotswapDescribeContext(PVOID Context, char *Buffer, SIZE_T Size)
{
    const ACPI_STYLE_WORKER_CONTEXT *context = (const ACPI_STYLE_WORKER_CONTEXT *)Context;

    return HotswapFormat(Buffer, Size, "{\"batches\":%ld}", (long)context->Batches);
}
