/* probe_dpc.h - a probe of the DPC and work-item DDIs, written the way a driver writes them:
 * globals for the device, its DPCs, timer, spin lock and work item; a kick handled by queueing
 * a DPC that defers to a work item, which reports back through an event.
 *
 * Objects, in start-context order: 0 = kick (synchronization event), 1 = done (synchronization
 * event, set by the work item), 2 = stop (notification event).
 */
#ifndef PROBE_DPC_H
#define PROBE_DPC_H

#define PROBE_DPC_POOL_TAG 0x63706450UL /* "Pdpc" in pool dumps */

typedef struct _PROBE_DPC_CONTEXT {
    PKEVENT Done;
    LONG Kicks;
    LONG DpcRuns;
    LONG DuplicateInserts;  /* KeInsertQueueDpc that returned FALSE (already queued) */
    LONG RemovedDpcRuns;    /* runs of a DPC removed before it ran: must stay 0 */
    LONG RemovedWasQueued;  /* KeRemoveQueueDpc that returned TRUE */
    LONG TimerDpcRuns;
    LONG WorkRuns;
    LONG RanInsideRoutine;  /* a DPC or work item that ran before the routine returned */
    KIRQL DpcIrql;
    KIRQL WorkIrql;
    BOOLEAN InRoutine;
} PROBE_DPC_CONTEXT, *PPROBE_DPC_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ProbeDpcWorkerRoutine;

/* Set up and torn down by the driver (here: the adapter), at PASSIVE_LEVEL. */
NTSTATUS ProbeDpcStart(PPROBE_DPC_CONTEXT Context);
VOID ProbeDpcStop(VOID);

#endif
