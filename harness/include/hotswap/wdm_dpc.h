/* <hotswap/wdm_dpc.h> - DPCs.
 *
 * Included by <hotswap/wdm.h> (after the basic types); not meant to be included alone. A KDPC
 * is queued on the simulated processor's DPC queue and runs at DISPATCH_LEVEL once the IRQL of
 * the processor drops below DISPATCH_LEVEL (docs/semantics.md).
 */
#ifndef HOTSWAP_WDM_DPC_H
#define HOTSWAP_WDM_DPC_H

/* ---- DPCs ------------------------------------------------------------------------------ */
struct _KDPC;
typedef VOID KDEFERRED_ROUTINE(struct _KDPC *Dpc, PVOID DeferredContext, PVOID SystemArgument1,
                               PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE *PKDEFERRED_ROUTINE;

typedef enum _KDPC_IMPORTANCE {
    LowImportance,
    MediumImportance,
    HighImportance,
    MediumHighImportance
} KDPC_IMPORTANCE;

typedef struct _KDPC {
    UCHAR Type;
    UCHAR Importance;
    USHORT Number;
    LIST_ENTRY DpcListEntry; /* on the DPC queue while queued */
    PKDEFERRED_ROUTINE DeferredRoutine;
    PVOID DeferredContext;
    PVOID SystemArgument1;
    PVOID SystemArgument2;
    PVOID DpcData;           /* non-NULL while queued */
} KDPC, *PKDPC, *PRKDPC;

HH_API VOID KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext);
/* FALSE, and nothing changes, when the DPC is already queued. */
HH_API BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2);
/* Whether it was queued. */
HH_API BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc);
HH_API VOID KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance);

#endif
