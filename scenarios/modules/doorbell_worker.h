/* doorbell_worker.h - a worker rung by a doorbell: a notification event that the device's DPC
 * sets. Handling a ring means starting the device's command and polling its status register
 * with short stalls until the device is no longer busy, which takes real time.
 *
 * Objects, in start-context order: 0 = doorbell (notification event), 1 = stop (notification
 * event). The device (doorbell_worker_adapter.c stands in for it) rings once more on its own,
 * from a timer DPC, `ring_after_ms` into the first command the routine starts.
 */
#ifndef DOORBELL_WORKER_H
#define DOORBELL_WORKER_H

#define DOORBELL_WORKER_POOL_TAG 0x6C427244UL /* "DrBl" in pool dumps */
#define DOORBELL_POLL_MICROSECONDS 10         /* between two reads of the status register */
#define DOORBELL_MAX_POLLS 1000000

typedef struct _DOORBELL_WORKER_CONTEXT {
    PKEVENT Doorbell;
    LONG Handled;      /* rings the routine handled */
    /* The device */
    KTIMER RingTimer;
    KDPC RingDpc;
    LONG RingAfterMs;  /* 0: it never rings on its own */
    BOOLEAN RingArmed;
    LONG Rings;        /* rings its DPC made */
    LONG BusyPolls;    /* status reads that say busy after a command starts */
    LONG StatusReads;  /* since the command started */
} DOORBELL_WORKER_CONTEXT, *PDOORBELL_WORKER_CONTEXT;

/* The device's side (the adapter in the harness, the hardware in the driver). */
VOID DoorbellDeviceStartCommand(PDOORBELL_WORKER_CONTEXT Context);
BOOLEAN DoorbellDeviceBusy(PDOORBELL_WORKER_CONTEXT Context);

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE DoorbellWorkerRoutine;

#endif
