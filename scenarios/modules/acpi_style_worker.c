/* acpi_style_worker.c - the acpi.sys-polarity routine: FALSE keeps waiting, TRUE ends it. */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "acpi_style_worker.h"

_Use_decl_annotations_
BOOLEAN
AcpiStyleWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PACPI_STYLE_WORKER_CONTEXT context = (PACPI_STYLE_WORKER_CONTEXT)WorkerContext;

    if (WaitStatus == STATUS_WAIT_0) {
        context->Batches++;
        DbgPrint("AcpiStyleWorker: work batch %ld done\n", (long)context->Batches);
    } else if (WaitStatus == STATUS_WAIT_1) {
        DbgPrint("AcpiStyleWorker: terminate event after %ld batches\n", (long)context->Batches);
    }
    return (BOOLEAN)(WaitStatus == STATUS_WAIT_1);
}
