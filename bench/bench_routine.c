/* bench_routine.c - the worker routines the benchmarks call, as a routine module.
 *
 * Both do as little as a routine can, so that what a benchmark measures is the cost of getting
 * to the routine: BenchRoutine answers continue; BenchCountdownRoutine answers continue until
 * the LONG its context points to counts down to zero, so that a worker whose wait never blocks
 * still ends. bench_engine.c calls them through the engine and, as its baseline, directly.
 */
#include <hotswap/wdm.h>

BOOLEAN BenchRoutine(PVOID WorkerContext, NTSTATUS WaitStatus);
BOOLEAN BenchCountdownRoutine(PVOID WorkerContext, NTSTATUS WaitStatus);

BOOLEAN BenchRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    (void)WorkerContext;
    (void)WaitStatus;
    return TRUE;
}

BOOLEAN BenchCountdownRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    LONG *left = WorkerContext;
    (void)WaitStatus;
    return --*left > 0 ? TRUE : FALSE;
}
