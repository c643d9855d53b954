/* io_workitem.c - IoAllocateWorkItem, IoQueueWorkItem, IoFreeWorkItem on the engine's system
 * work queue (engine/workitem.c).
 *
 * A work item is tracked pool (tag 'IoWk'), so one never freed is a pool leak naming the line
 * that allocated it. Queuing an item already queued, or freeing one still queued, is what
 * WORKER_INVALID (0xE4) stops; all three calls require IRQL <= DISPATCH_LEVEL.
 */
#define HOTSWAP_NO_POOL_SITES /* the definitions below are the routines the macros name */
#include "shim.h"

#define WORK_ITEM_TAG 0x6B576F49UL /* 'IoWk' */

PIO_WORKITEM HhIoAllocateWorkItemAt(PDEVICE_OBJECT DeviceObject, const char *File, int Line)
{
    struct hh_engine *e = hh_shim_enter("IoAllocateWorkItem");
    PIO_WORKITEM w;
    hh_shim_require_irql(e, "IoAllocateWorkItem", DISPATCH_LEVEL);
    if (!DeviceObject)
        hh_engine_abort(e, HH_RULE_BUGCHECK,
                        "IoAllocateWorkItem(NULL): a work item needs the driver's device "
                        "object; the kernel bug-checks WORKER_INVALID (0xE4, 0x3)");
    hh_shim_leave(e);
    w = HhExAllocatePool2At(POOL_FLAG_NON_PAGED, sizeof(*w), WORK_ITEM_TAG, File, Line);
    if (w)
        w->device = DeviceObject;
    return w;
}

PIO_WORKITEM IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject)
{
    return HhIoAllocateWorkItemAt(DeviceObject, NULL, 0);
}

VOID IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine,
                     WORK_QUEUE_TYPE QueueType, PVOID Context)
{
    struct hh_engine *e = hh_shim_enter("IoQueueWorkItem");
    hh_shim_require_irql(e, "IoQueueWorkItem", DISPATCH_LEVEL);
    if (IoWorkItem->queued)
        hh_engine_abort(e, HH_RULE_BUGCHECK,
                        "IoQueueWorkItem on a work item that is still queued (its routine has "
                        "not run yet): the kernel bug-checks WORKER_INVALID (0xE4, 0x1); queue "
                        "it again only from its routine or after it ran");
    if (!WorkerRoutine)
        hh_engine_abort(e, HH_RULE_BUGCHECK,
                        "IoQueueWorkItem with a NULL routine: the kernel bug-checks "
                        "WORKER_INVALID (0xE4, 0x7)");
    if ((unsigned)QueueType >= (unsigned)MaximumWorkQueue)
        hh_engine_abort(e, HH_RULE_BUGCHECK,
                        "IoQueueWorkItem with QueueType %d, which is not a WORK_QUEUE_TYPE: the "
                        "kernel bug-checks WORKER_INVALID (0xE4, 0x6); use DelayedWorkQueue",
                        (int)QueueType);
    IoWorkItem->routine = WorkerRoutine;
    IoWorkItem->context = Context;
    hh_work_queue(e, IoWorkItem);
    hh_shim_leave(e);
}

VOID IoFreeWorkItem(PIO_WORKITEM IoWorkItem)
{
    struct hh_engine *e = hh_shim_enter("IoFreeWorkItem");
    hh_shim_require_irql(e, "IoFreeWorkItem", DISPATCH_LEVEL);
    if (IoWorkItem && IoWorkItem->queued)
        hh_engine_abort(e, HH_RULE_BUGCHECK,
                        "IoFreeWorkItem on a work item that is still queued: the kernel "
                        "bug-checks WORKER_INVALID (0xE4, 0x2); free it in its routine or after "
                        "it ran");
    hh_shim_leave(e);
    HhExFreePoolWithTagAt(IoWorkItem, WORK_ITEM_TAG, NULL, 0);
}
