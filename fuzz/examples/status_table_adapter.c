/* status_table_adapter.c - harness-only exports for status_table: the context and its table
 * of STATUS_TABLE_QUEUES counts, from the pool.
 */
#include <hotswap/harness.h>

#include "status_table.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PSTATUS_TABLE_CONTEXT context;

    (void)Args;
    context = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context), STATUS_TABLE_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->Counts = ExAllocatePool2(POOL_FLAG_NON_PAGED, STATUS_TABLE_QUEUES * sizeof(LONG),
                                      STATUS_TABLE_POOL_TAG);
    if (context->Counts == NULL) {
        ExFreePoolWithTag(context, STATUS_TABLE_POOL_TAG);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    PSTATUS_TABLE_CONTEXT context = (PSTATUS_TABLE_CONTEXT)Context;

    ExFreePoolWithTag(context->Counts, STATUS_TABLE_POOL_TAG);
    ExFreePoolWithTag(context, STATUS_TABLE_POOL_TAG);
}
