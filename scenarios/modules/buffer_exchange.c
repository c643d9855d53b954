/* buffer_exchange.c - the buffer exchange routine (WaitAll).
 *
 * STATUS_SUCCESS: every object satisfied; the thread owns the lock and the fill is consumed, so
 * the buffer is copied and the lock released. STATUS_ABANDONED: the same, but the lock was
 * abandoned by a writer that died mid-fill; the torn buffer is discarded, the lock released.
 * STATUS_TIMEOUT: the session's deadline passed; the worker ends.
 */
#ifdef HOTSWAP_HARNESS
#include <hotswap/wdm.h>
#else
#include <wdm.h>
#endif

#include "buffer_exchange.h"

_Use_decl_annotations_
BOOLEAN
BufferExchangeRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PBUFFER_EXCHANGE_CONTEXT context = (PBUFFER_EXCHANGE_CONTEXT)WorkerContext;

    switch (WaitStatus) {
    case STATUS_SUCCESS:
        context->Copied++;
        KeReleaseMutex(context->Lock, FALSE);
        DbgPrint("BufferExchange: copied fill %ld, continuing\n", (long)context->Copied);
        return TRUE;

    case STATUS_ABANDONED:
        context->Discarded++;
        KeReleaseMutex(context->Lock, FALSE);
        DbgPrint("BufferExchange: writer died mid-fill, discarded torn buffer (%ld), "
                 "continuing\n",
                 (long)context->Discarded);
        return TRUE;

    case STATUS_TIMEOUT:
        DbgPrint("BufferExchange: session over after %ld fills, terminating\n",
                 (long)context->Copied);
        return FALSE;

    default:
        DbgPrint("BufferExchange: unexpected wait status 0x%08lx, terminating\n",
                 (unsigned long)WaitStatus);
        return FALSE;
    }
}
