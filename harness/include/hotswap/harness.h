/* <hotswap/harness.h> - the optional, harness-only adapter a routine module may export.
 *
 * These exports live in a small adapter file next to the driver's routine source; the driver
 * build never sees them. Without HotswapCreateContext the routine gets a NULL context.
 */
#ifndef HOTSWAP_HARNESS_H
#define HOTSWAP_HARNESS_H

#include <hotswap/wdm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a scenario hands to HotswapCreateContext. Objects[i] is the dispatcher object the
 * start context lists at index i (so STATUS_WAIT_i names it); ContextJson is the scenario's
 * "context" value as JSON text, or NULL when the scenario has none. All of it stays valid
 * until HotswapDestroyContext returns. */
typedef struct _HOTSWAP_CONTEXT_ARGS {
    ULONG ObjectCount;
    PVOID const *Objects;
    const char *const *ObjectNames;
    const char *ContextJson;
    const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *StartContext;
} HOTSWAP_CONTEXT_ARGS, *PHOTSWAP_CONTEXT_ARGS;

typedef NTSTATUS HOTSWAP_CREATE_CONTEXT(const HOTSWAP_CONTEXT_ARGS *Args, PVOID *Context);
typedef VOID HOTSWAP_DESTROY_CONTEXT(PVOID Context);
typedef SIZE_T HOTSWAP_DESCRIBE_CONTEXT(PVOID Context, char *Buffer, SIZE_T Size);

/* The object the scenario calls Name, or NULL. */
HH_API PVOID HotswapFindObject(const HOTSWAP_CONTEXT_ARGS *Args, const char *Name);

/* Reads a number member of the scenario's top-level "context" object. Returns TRUE and stores
 * it when Key is present and integral; FALSE (Value untouched) otherwise. */
HH_API BOOLEAN HotswapContextGetInt(const HOTSWAP_CONTEXT_ARGS *Args, const char *Key,
                                    LONG64 *Value);

/* snprintf into a HotswapDescribeContext buffer; returns the length it needed, like snprintf. */
HH_API SIZE_T HotswapFormat(char *Buffer, SIZE_T Size, const char *Format, ...) HH_PRINTF(3, 4);

#ifdef __cplusplus
}
#endif

#endif
