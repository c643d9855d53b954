/* journal_guard_adapter.c - harness-only exports for journal_guard: the context from the
 * scenario's "lock" (else object 0); the pending journal is freed with it.
 */
#include <hotswap/harness.h>

#include "journal_guard.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PJOURNAL_GUARD_CONTEXT context;
    PVOID lock = HotswapFindObject(Args, "lock");

    if (lock == NULL && Args->ObjectCount > 0) {
        lock = Args->Objects[0];
    }
    context = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context), JOURNAL_GUARD_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->Lock = (PKMUTANT)lock;
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    PJOURNAL_GUARD_CONTEXT context = (PJOURNAL_GUARD_CONTEXT)Context;

    if (context->Journal != NULL) {
        ExFreePoolWithTag(context->Journal, JOURNAL_GUARD_POOL_TAG);
    }
    ExFreePoolWithTag(context, JOURNAL_GUARD_POOL_TAG);
}
