/* telemetry_worker.c - BROKEN: three lock mistakes in one telemetry collector.
 *
 * Samples are counted under a fast mutex; every ReportEvery samples the routine reports,
 * and TelemetryReport takes the same fast mutex again: a fast mutex is not recursive, so the
 * thread waits for itself forever. Reconfiguring takes the configuration ERESOURCE without
 * KeEnterCriticalRegion, which every resource acquire requires. Reporting returns early when
 * the configuration is not valid yet, inside its critical region and still holding the
 * resource shared.
 */
#include "telemetry_worker.h"

static FAST_MUTEX StatsLock;
static ULONG StatsSamples;
static ULONG StatsReportEvery;
static ERESOURCE ConfigResource;
static BOOLEAN ConfigValid;
static ULONG ConfigGeneration;

NTSTATUS TelemetryInitialize(ULONG ReportEvery)
{
    ExInitializeFastMutex(&StatsLock);
    StatsSamples = 0;
    StatsReportEvery = ReportEvery;
    ConfigValid = FALSE;
    ConfigGeneration = 0;
    return ExInitializeResourceLite(&ConfigResource);
}

VOID TelemetryCleanup(void)
{
    ExDeleteResourceLite(&ConfigResource);
}

static VOID TelemetryReport(void)
{
    ExAcquireFastMutex(&StatsLock); /* BUG: the caller already holds it */
    DbgPrint("Telemetry: %lu samples\n", (unsigned long)StatsSamples);
    ExReleaseFastMutex(&StatsLock);
}

static VOID TelemetrySample(void)
{
    ExAcquireFastMutex(&StatsLock);
    StatsSamples++;
    if (StatsReportEvery != 0 && StatsSamples % StatsReportEvery == 0) {
        TelemetryReport();
    }
    ExReleaseFastMutex(&StatsLock);
}

static VOID TelemetryReconfigure(void)
{
    /* BUG: no KeEnterCriticalRegion before the resource */
    ExAcquireResourceExclusiveLite(&ConfigResource, TRUE);
    ConfigGeneration++;
    ConfigValid = TRUE;
    ExReleaseResourceLite(&ConfigResource);
}

static VOID TelemetryPublish(void)
{
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(&ConfigResource, TRUE);
    if (!ConfigValid) {
        return; /* BUG: leaves the region entered and the resource held */
    }
    DbgPrint("Telemetry: generation %lu\n", (unsigned long)ConfigGeneration);
    ExReleaseResourceLite(&ConfigResource);
    KeLeaveCriticalRegion();
}

_Use_decl_annotations_
BOOLEAN TelemetryWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    UNREFERENCED_PARAMETER(WorkerContext);
    switch (WaitStatus) {
    case STATUS_WAIT_0:
        TelemetrySample();
        return TRUE;
    case STATUS_WAIT_1:
        TelemetryPublish();
        return TRUE;
    case STATUS_WAIT_2:
        TelemetryReconfigure();
        return TRUE;
    default:
        return FALSE;
    }
}
