/* echo_worker.c - a test routine (not an example) for the golden decoding tests: it always
 * continues, and gives back every mutex or mutant a wait handed it, so a timeline shows the
 * decoding and the model alone.
 */
#include <hotswap/harness.h>

DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE EchoWorkerRoutine;
HOTSWAP_CREATE_CONTEXT HotswapCreateContext;
HOTSWAP_DESTROY_CONTEXT HotswapDestroyContext;

#define ECHO_TAG 0x6F686345UL /* 'Echo' */

typedef struct _ECHO_CONTEXT {
    ULONG Count;
    PVOID Objects[MAXIMUM_WAIT_OBJECTS];
    BOOLEAN WaitAll;
} ECHO_CONTEXT, *PECHO_CONTEXT;

static VOID
EchoRelease(PVOID Object)
{
    UCHAR type = ((DISPATCHER_HEADER *)Object)->Type;

    if (type == 2) { /* the kernel's MutantObject: a KMUTEX or a mutant */
        KeReleaseMutex((PKMUTEX)Object, FALSE);
    }
}

_Use_decl_annotations_
BOOLEAN
EchoWorkerRoutine(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    PECHO_CONTEXT context = (PECHO_CONTEXT)WorkerContext;
    ULONG index = (ULONG)WaitStatus & 0x3F, i;

    if ((WaitStatus & ~(NTSTATUS)0xBF) != 0) {
        return TRUE; /* a timeout, an alert, an APC, or a value no wait returns */
    }
    if (context->WaitAll) {
        for (i = 0; i < context->Count; i++) {
            EchoRelease(context->Objects[i]);
        }
    } else if (index < context->Count) {
        EchoRelease(context->Objects[index]);
    }
    return TRUE;
}

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    PECHO_CONTEXT context = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*context), ECHO_TAG);
    ULONG i;

    if (context == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    context->Count = Args->ObjectCount;
    for (i = 0; i < Args->ObjectCount; i++) {
        context->Objects[i] = Args->Objects[i];
    }
    context->WaitAll = Args->StartContext->WaitType == WaitAll;
    *Context = context;
    return STATUS_SUCCESS;
}

VOID
HotswapDestroyContext(PVOID Context)
{
    ExFreePoolWithTag(Context, ECHO_TAG);
}
