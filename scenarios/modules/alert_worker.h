/* alert_worker.h - a scanning worker that waits alertably (KernelMode) on its stop event with
 * a timeout: the timeout paces the periodic scan, an alert asks for a scan right away.
 *
 * Objects, in start-context order: 0 = the stop event.
 */
#ifndef ALERT_WORKER_H
#define ALERT_WORKER_H

#define ALERT_WORKER_POOL_TAG 0x6B576C41UL /* "AlWk" in pool dumps */

typedef struct _ALERT_WORKER_CONTEXT {
    PKEVENT StopEvent;
    LONG Scans;  /* every scan, periodic or requested */
    LONG Alerts; /* scans requested by an alert */
    ULONGLONG LastScan; /* interrupt time of the last scan */
} ALERT_WORKER_CONTEXT, *PALERT_WORKER_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE AlertWorkerRoutine;

#endif
