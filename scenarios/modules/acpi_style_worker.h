/* acpi_style_worker.h - a worker written the way shipping acpi.sys writes its hot-swappable
 * workers (per public decompilations): WaitAny, KernelMode, no timeout, two events, and the
 * routine returns TRUE exactly when it was woken by the terminate event. A scenario for it
 * pins "true_means": "terminate".
 *
 * Objects, in start-context order: 0 = work event, 1 = terminate event.
 */
#ifndef ACPI_STYLE_WORKER_H
#define ACPI_STYLE_WORKER_H

#define ACPI_STYLE_WORKER_POOL_TAG 0x57706341UL /* "AcpW" in pool dumps */

typedef struct _ACPI_STYLE_WORKER_CONTEXT {
    LONG Batches;
} ACPI_STYLE_WORKER_CONTEXT, *PACPI_STYLE_WORKER_CONTEXT;

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE AcpiStyleWorkerRoutine;

#endif
