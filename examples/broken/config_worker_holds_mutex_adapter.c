/* config_worker_holds_mutex_adapter.c - harness-only exports: initializes the driver's globals
 * as its DriverEntry would. */
#include <hotswap/harness.h>

#include "config_worker_holds_mutex.h"

HOTSWAP_CREATE_CONTEXT HotswapCreateContext;

NTSTATUS
HotswapCreateContext(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context)
{
    UNREFERENCED_PARAMETER(Args);
    ConfigWorkerInitialize();
    *Context = NULL;
    return STATUS_SUCCESS;
}
