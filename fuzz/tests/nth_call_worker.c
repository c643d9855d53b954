/* nth_call_worker.c - a test routine (not an example) whose bug depends on a static: it
 * returns a value that is neither TRUE nor FALSE on its NTH_CALL-th work item counted across
 * the whole process. In a fuzz session every run starts from the module's loaded state, so
 * only a run with NTH_CALL work items of its own finds the bug, and replaying that run alone
 * finds it again. "work" (index 0) is a synchronization event, "stop" (index 1) ends it.
 */
#include <hotswap/harness.h>

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE NthCallRoutine;

#define NTH_CALL 4

static ULONG WorkItemsSeen;

_Use_decl_annotations_
BOOLEAN
NthCallRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    (VOID)WorkerContext;
    if (WaitStatus != STATUS_WAIT_0) {
        return FALSE;
    }
    if (++WorkItemsSeen == NTH_CALL) {
        return (BOOLEAN)2;
    }
    return TRUE;
}
