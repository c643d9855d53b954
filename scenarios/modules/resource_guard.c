/* resource_guard.c - the resource guard's routine.
 *
 * STATUS_WAIT_0: the guard owns the lock; it checks and commits the resource and releases the
 * lock. STATUS_ABANDONED_WAIT_0: it owns the lock too, but the previous owner died holding it,
 * so the resource is rolled back to its last committed state first. A stop requested while the
 * guard worked is honoured before waiting again; STATUS_WAIT_1 (stop) ends the thread.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "resource_guard.h"

static VOID
ResourceGuardRepair(_Inout_ PRESOURCE_GUARD_CONTEXT Context)
{
    PGUARDED_RESOURCE resource = &Context->Resource;

    Context->Repairs++;
    DbgPrint("ResourceGuard: lock abandoned, rolling generation %ld back to %ld (repair %ld)\n",
             (long)resource->Generation, (long)resource->Committed, (long)Context->Repairs);
    resource->Generation = resource->Committed;
}

static VOID
ResourceGuardUse(_Inout_ PRESOURCE_GUARD_CONTEXT Context)
{
    PGUARDED_RESOURCE resource = &Context->Resource;

    resource->Generation++;
    resource->Committed = resource->Generation;
    Context->Uses++;
}

_Use_decl_annotations_
NTSTATUS
ResourceGuardCreateContext(PKMUTEX Lock, PKEVENT StopEvent, PRESOURCE_GUARD_CONTEXT *Context)
{
    PRESOURCE_GUARD_CONTEXT context;

    *Context = NULL;
    if (Lock == NULL || StopEvent == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    context = (PRESOURCE_GUARD_CONTEXT)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context),
                                                       RESOURCE_GUARD_POOL_TAG);
    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->Lock = Lock;
    context->StopEvent = StopEvent;
    *Context = context;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID
ResourceGuardDeleteContext(PRESOURCE_GUARD_CONTEXT Context)
{
    ExFreePoolWithTag(Context, RESOURCE_GUARD_POOL_TAG);
}

_Use_decl_annotations_
BOOLEAN
ResourceGuardRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PRESOURCE_GUARD_CONTEXT context = (PRESOURCE_GUARD_CONTEXT)WorkerContext;

    if (WaitStatus == STATUS_WAIT_0 || WaitStatus == STATUS_ABANDONED_WAIT_0) {
        /* Either way this thread owns the lock now and must release it once. */
        if (WaitStatus == STATUS_ABANDONED_WAIT_0) {
            ResourceGuardRepair(context);
        }
        ResourceGuardUse(context);
        KeReleaseMutex(context->Lock, FALSE);

        if (KeReadStateEvent(context->StopEvent) != 0) {
            DbgPrint("ResourceGuard: resource at generation %ld, stop pending, terminating\n",
                     (long)context->Resource.Committed);
            return FALSE;
        }
        DbgPrint("ResourceGuard: resource at generation %ld, lock released, continuing\n",
                 (long)context->Resource.Committed);
        return TRUE;
    }

    if (WaitStatus == STATUS_WAIT_1) {
        DbgPrint("ResourceGuard: stop requested after %ld uses, %ld repairs, terminating\n",
                 (long)context->Uses, (long)context->Repairs);
        return FALSE;
    }

    DbgPrint("ResourceGuard: unexpected wait status 0x%08lx, terminating\n",
             (unsigned long)WaitStatus);
    return FALSE;
}
