/* ke_dpc.c - KeInitializeDpc, KeInsertQueueDpc, KeRemoveQueueDpc, KeSetImportanceDpc on the
 * engine's DPC queue (engine/dpc.c). All are callable at any IRQL. */
#include "shim.h"

VOID KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext)
{
    Dpc->Type = 0x13; /* DpcObject */
    Dpc->Importance = MediumImportance;
    Dpc->Number = 0;
    Dpc->DpcListEntry.Flink = Dpc->DpcListEntry.Blink = NULL;
    Dpc->DeferredRoutine = DeferredRoutine;
    Dpc->DeferredContext = DeferredContext;
    Dpc->SystemArgument1 = NULL;
    Dpc->SystemArgument2 = NULL;
    Dpc->DpcData = NULL;
}

BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2)
{
    struct hh_engine *e = hh_shim_enter("KeInsertQueueDpc");
    BOOLEAN queued = hh_dpc_insert(e, Dpc, SystemArgument1, SystemArgument2);
    hh_shim_leave(e);
    return queued;
}

BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc)
{
    struct hh_engine *e = hh_shim_enter("KeRemoveQueueDpc");
    BOOLEAN was_queued = hh_dpc_remove(e, Dpc);
    hh_shim_leave(e);
    return was_queued;
}

VOID KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance)
{
    Dpc->Importance = (UCHAR)Importance;
}
