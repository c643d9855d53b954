/* telemetry_worker.h - a telemetry collector whose routine breaks three lock rules. */
#ifndef TELEMETRY_WORKER_H
#define TELEMETRY_WORKER_H

#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

/* Start context: Events[0] sample, [1] report, [2] reconfigure, [3] stop. */
NTSTATUS TelemetryInitialize(ULONG ReportEvery);
VOID TelemetryCleanup(void);

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE TelemetryWorkerRoutine;

#endif
