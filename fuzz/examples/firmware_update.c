/* firmware_update.c - the firmware-update worker's routine (driver code).
 *
 * Every state accepts exactly one next status; anything else restarts the handshake, and
 * stop (STATUS_WAIT_3) ends the thread - except in FwFlashing, where the routine defers it:
 * the bug the fuzzers must find, reachable only through the whole fourteen-step handshake.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "firmware_update.h"

#define CHUNK STATUS_WAIT_0
#define COMMIT STATUS_WAIT_1
#define ABORT STATUS_WAIT_2
#define STOP STATUS_WAIT_3
#define TICK STATUS_TIMEOUT

static BOOLEAN
FirmwareUpdateRestart(_Inout_ PFIRMWARE_UPDATE_CONTEXT Context, _In_ NTSTATUS WaitStatus)
{
    if (WaitStatus == STOP) {
        DbgPrint("FirmwareUpdate: stop in state %d, terminating\n", (int)Context->State);
        return FALSE;
    }
    if (Context->State != FwIdle) {
        Context->Restarts++;
        DbgPrint("FirmwareUpdate: status 0x%08lx out of order in state %d, restarting\n",
                 (unsigned long)WaitStatus, (int)Context->State);
    }
    Context->State = FwIdle;
    return TRUE;
}

/* Moves to `next` when the status is the one `expected` here; restarts otherwise. */
#define STEP(expected, next)                                                                  \
    if (WaitStatus != (expected)) {                                                           \
        return FirmwareUpdateRestart(context, WaitStatus);                                    \
    }                                                                                         \
    context->State = (next);                                                                  \
    return TRUE

_Use_decl_annotations_
BOOLEAN
FirmwareUpdateRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PFIRMWARE_UPDATE_CONTEXT context = (PFIRMWARE_UPDATE_CONTEXT)WorkerContext;

    if (WaitStatus == CHUNK) {
        context->Chunks++;
    }
    switch (context->State) {
    case FwIdle:
        STEP(CHUNK, FwReceiving1);
    case FwReceiving1:
        STEP(CHUNK, FwReceiving2);
    case FwReceiving2:
        STEP(TICK, FwReceiving3);
    case FwReceiving3:
        STEP(CHUNK, FwReceived);
    case FwReceived:
        STEP(COMMIT, FwVerifying1);
    case FwVerifying1:
        STEP(TICK, FwVerifying2);
    case FwVerifying2:
        STEP(TICK, FwVerified);
    case FwVerified:
        STEP(COMMIT, FwTrailer1);
    case FwTrailer1:
        STEP(CHUNK, FwTrailer2);
    case FwTrailer2:
        STEP(CHUNK, FwSettled);
    case FwSettled:
        STEP(TICK, FwActivating1);
    case FwActivating1:
        STEP(COMMIT, FwActivating2);
    case FwActivating2:
        STEP(TICK, FwFlashing);
    case FwFlashing:
        if (WaitStatus == STOP) {
            /* BUG: a stop during flashing is deferred, and the thread outlives it. */
            DbgPrint("FirmwareUpdate: stop while flashing, deferred, continuing\n");
            return TRUE;
        }
        if (WaitStatus == TICK) {
            context->Flashes++;
            context->State = FwIdle;
            DbgPrint("FirmwareUpdate: image %ld flashed, continuing\n", (long)context->Flashes);
            return TRUE;
        }
        return FirmwareUpdateRestart(context, WaitStatus);
    default:
        return FirmwareUpdateRestart(context, WaitStatus);
    }
}
