/* suite_crash.c - worker routines that go wrong in the ways only isolation survives: a
 * segfault, an abort, an endless loop, an exit. Each behaves until the stop event (index 1)
 * wakes it, so the crash comes at a known step and invocation; and one slow routine that never
 * blocks again. Test material, not examples.
 */
#include <stdio.h>
#include <stdlib.h>

#include <hotswap/wdm.h>

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE CrashOnStopRoutine;
DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE AbortOnStopRoutine;
DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE HangOnStopRoutine;
DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ExitOnStopRoutine;
DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE ChattyRoutine;
DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE SlowSpinRoutine;

/* Global and volatile, so that no compiler can prove the store below is through NULL and
 * drop it as undefined behaviour. */
volatile int *volatile suite_crash_nowhere = NULL;

BOOLEAN CrashOnStopRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    (void)WorkerContext;
    if (WaitStatus == STATUS_WAIT_1)
        *suite_crash_nowhere = 1; /* SIGSEGV; an access violation on Windows */
    return TRUE;
}

BOOLEAN AbortOnStopRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    (void)WorkerContext;
    if (WaitStatus == STATUS_WAIT_1) {
        fputs("suite_crash: giving up on stop\n", stderr);
        abort();
    }
    return TRUE;
}

BOOLEAN HangOnStopRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    volatile unsigned long spins = 0;
    (void)WorkerContext;
    if (WaitStatus == STATUS_WAIT_1) {
        for (;;)
            spins++; /* never returns */
    }
    return TRUE;
}

BOOLEAN ExitOnStopRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    (void)WorkerContext;
    if (WaitStatus == STATUS_WAIT_1)
        exit(3);
    return TRUE;
}

/* Writes to stdout and stderr itself, and behaves. */
BOOLEAN ChattyRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    (void)WorkerContext;
    printf("chatty: status %ld on stdout\n", (long)WaitStatus);
    fflush(stdout);
    fprintf(stderr, "chatty: status %ld on stderr\n", (long)WaitStatus);
    return WaitStatus == STATUS_WAIT_1 ? FALSE : TRUE;
}

/* Takes 20 ms over each call and answers continue, and never clears its notification event
 * (index 0): each call is short, but the worker never blocks again (a livelock on the real
 * clock, not a hung call). */
BOOLEAN SlowSpinRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    (void)WorkerContext;
    KeStallExecutionProcessor(20000);
    return WaitStatus == STATUS_WAIT_1 ? FALSE : TRUE;
}
