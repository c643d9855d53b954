/* probe_proxy.h - what the Driver Hot Swap probe's driver code and its adapter share. */
#ifndef PROBE_PROXY_H
#define PROBE_PROXY_H

typedef enum _PROBE_PROXY_ENDPOINT_ID {
    ProbeProxyWorkerId = 1,
    ProbeProxyQueueWorkId = 2,
} PROBE_PROXY_ENDPOINT_ID;

typedef NTSTATUS PROBE_PROXY_QUEUE_WORK(PVOID DeviceContext, ULONG Items);
typedef PROBE_PROXY_QUEUE_WORK *PPROBE_PROXY_QUEUE_WORK;

/* The driver's globals, as DriverEntry leaves them. */
extern PDRIVER_PROXY_EXTENSION ProbeProxyExtension;
extern PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ProbeProxyWorker;   /* the worker's wrapper */
extern PPROBE_PROXY_QUEUE_WORK ProbeProxyQueueWork;             /* the producer's wrapper */
extern KEVENT ProbeProxyWorkEvent;
extern KEVENT ProbeProxyStopEvent;
extern KEVENT ProbeProxySwapEvent;
extern LONG ProbeProxyQueued;
extern LONG ProbeProxyPhases;         /* the phases seen, a decimal digit each (1 PreProcess) */
extern NTSTATUS ProbeProxySwapStatus; /* the last swap's status */
extern NTSTATUS ProbeProxyThreadStatus;
extern BOOLEAN ProbeProxyPlantRawRoutine; /* the bug: start the thread on the raw function */

DRIVER_INITIALIZE ProbeProxyDriverEntry;
/* What the new image's DriverEntry registers: its endpoints under the same ids. */
NTSTATUS ProbeProxySwap(void);

#endif
