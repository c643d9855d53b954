/* <hotswap/wdm_proxy.h> - the Driver Hot Swap DDIs (V1): the DriverProxy extension, endpoint
 * registration and swaps with their phased callback, endpoint wrappers, and the hot-swappable
 * worker thread's creation; a DRIVER_OBJECT as thin as DriverEntry code needs.
 *
 * Included by <hotswap/wdm.h>; not for direct use. Names, fields, enum values and return codes
 * are those of the Learn pages (docs/semantics.md, "Driver Hot Swap DDIs").
 *
 * Wrappers. The kernel makes a wrapper per endpoint at run time; portable C cannot make code,
 * so libhotswap has a fixed pool of HH_PROXY_WRAPPERS compiled wrappers per run. Each forwards
 * to its endpoint's CURRENT function (after a swap, the same wrapper calls the new one) and
 * counts the calls in and out, which the swap's rundown reads. A wrapper is compiled as
 *     ULONG_PTR Wrapper(ULONG_PTR a1, ..., ULONG_PTR a8)
 * and calls the endpoint through that type. Called through the endpoint's own type, that is
 * outside ISO C (a call through a pointer of another function type); it is well-defined at
 * the ABI level on x64 (System V and Microsoft) and AArch64 as long as every argument and the
 * result are integers or pointers: the first eight such arguments travel in the same
 * registers or stack slots whatever the declared count, a callee reads only what it declares,
 * and a narrower result lies in the low bits of the same register. So an endpoint may take at
 * most 8 integer or pointer arguments (ParameterCount <= 8) and return an integer, a pointer,
 * or nothing; floating-point or structure arguments and results are not forwarded.
 * The worker routine, BOOLEAN (PVOID, NTSTATUS), has wrappers of that exact type besides:
 * IoDriverProxyCreateHotSwappableWorkerThread's copy of the start context holds the one of the
 * same endpoint, so the worker's calls are plain ISO C.
 */
#ifndef HOTSWAP_WDM_PROXY_H
#define HOTSWAP_WDM_PROXY_H

#ifndef HOTSWAP_WDM_H
#error "include <hotswap/wdm.h>, not <hotswap/wdm_proxy.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef STATUS_NOT_FOUND
#define STATUS_NOT_FOUND ((NTSTATUS)0xC0000225L)
#endif
#ifndef STATUS_DRIVER_BLOCKED
#define STATUS_DRIVER_BLOCKED ((NTSTATUS)0xC000036CL)
#endif

/* ---- DRIVER_OBJECT ----------------------------------------------------------------------
 * The fields DriverEntry and unload code touch, in the kernel's order; the I/O dispatch table
 * and Fast I/O are left out. A sibling header may define it too: one guard for both. */
#ifndef HOTSWAP_DRIVER_OBJECT_DEFINED
#define HOTSWAP_DRIVER_OBJECT_DEFINED
#define IO_TYPE_DRIVER 0x00000004
struct _DEVICE_OBJECT;
struct _DRIVER_OBJECT;
typedef VOID DRIVER_UNLOAD(struct _DRIVER_OBJECT *DriverObject);
typedef DRIVER_UNLOAD *PDRIVER_UNLOAD;
typedef NTSTATUS DRIVER_INITIALIZE(struct _DRIVER_OBJECT *DriverObject,
                                   PUNICODE_STRING RegistryPath);
typedef DRIVER_INITIALIZE *PDRIVER_INITIALIZE;
typedef struct _DRIVER_OBJECT {
    SHORT Type; /* IO_TYPE_DRIVER */
    SHORT Size;
    struct _DEVICE_OBJECT *DeviceObject; /* the first of the driver's devices */
    ULONG Flags;
    PVOID DriverStart;
    ULONG DriverSize;
    PVOID DriverSection;
    PVOID DriverExtension;
    UNICODE_STRING DriverName;
    PDRIVER_INITIALIZE DriverInit;
    PDRIVER_UNLOAD DriverUnload;
} DRIVER_OBJECT, *PDRIVER_OBJECT;
#endif

/* ---- Types ------------------------------------------------------------------------------ */
typedef struct _DRIVER_PROXY_EXTENSION DRIVER_PROXY_EXTENSION, *PDRIVER_PROXY_EXTENSION;

typedef union _DRIVER_PROXY_FEATURE_FLAGS {
    ULONG AsUlong;
    struct {
        ULONG Enabled : 1;
        ULONG Reserved : 31;
    };
} DRIVER_PROXY_FEATURE_FLAGS, *PDRIVER_PROXY_FEATURE_FLAGS;

typedef union _DRIVER_PROXY_EXTENSION_CREATION_FLAGS {
    ULONG AsUlong;
    struct {
        ULONG ReservedZero : 32;
    };
} DRIVER_PROXY_EXTENSION_CREATION_FLAGS, *PDRIVER_PROXY_EXTENSION_CREATION_FLAGS;

/* The driver's own number for an endpoint (an enumeration of its choice); the pages do not
 * give the typedef, a ULONG holds any such value. */
typedef ULONG DRIVER_PROXY_ENDPOINT_FUNCTION_ID;

/* A generic function pointer: endpoints have their own types and are cast to and from it. */
typedef VOID DRIVER_PROXY_ENDPOINT_FUNCTION(void);
typedef DRIVER_PROXY_ENDPOINT_FUNCTION *PDRIVER_PROXY_ENDPOINT_FUNCTION;
typedef DRIVER_PROXY_ENDPOINT_FUNCTION DRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION;
typedef DRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION *PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION;

typedef struct _DRIVER_PROXY_ENDPOINT_INFORMATION {
    DRIVER_PROXY_ENDPOINT_FUNCTION_ID Id;
    PDRIVER_PROXY_ENDPOINT_FUNCTION EndpointFunction;
    ULONG ParameterCount;
} DRIVER_PROXY_ENDPOINT_INFORMATION, *PDRIVER_PROXY_ENDPOINT_INFORMATION;

typedef enum _DRIVER_PROXY_REGISTER_CALLBACK_PHASE {
    DriverProxyRegisterCallbackPreProcess,
    DriverProxyRegisterCallbackProxyStalled,
    DriverProxyRegisterCallbackPostProcess,
    DriverProxyRegisterCallbackMax
} DRIVER_PROXY_REGISTER_CALLBACK_PHASE, *PDRIVER_PROXY_REGISTER_CALLBACK_PHASE;

typedef NTSTATUS DRIVER_PROXY_REGISTER_CALLBACK(DRIVER_PROXY_REGISTER_CALLBACK_PHASE Phase,
                                                PVOID Context);
typedef DRIVER_PROXY_REGISTER_CALLBACK *PDRIVER_PROXY_REGISTER_CALLBACK;

/* What PsCreateSystemThread-style routines take; the worker's creation only passes them on. */
typedef struct _OBJECT_ATTRIBUTES {
    ULONG Length;
    HANDLE RootDirectory;
    PUNICODE_STRING ObjectName;
    ULONG Attributes;
    PVOID SecurityDescriptor;
    PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;
typedef struct _CLIENT_ID {
    HANDLE UniqueProcess;
    HANDLE UniqueThread;
} CLIENT_ID, *PCLIENT_ID;
typedef HANDLE *PHANDLE;
#ifndef THREAD_ALL_ACCESS
#define THREAD_ALL_ACCESS 0x001FFFFFUL
#endif

/* The harness's limits: wrappers per run (per engine), arguments per endpoint. */
#define HH_PROXY_WRAPPERS 64
#define HH_PROXY_MAX_PARAMETERS 8

/* ---- The DDIs ----------------------------------------------------------------------------- */
/* Any IRQL. Enabled is 1: the harness provides the V1 DDIs below. */
HH_API VOID IoGetDriverProxyFeatures(PDRIVER_OBJECT DriverObject,
                                     PDRIVER_PROXY_FEATURE_FLAGS Flags);
/* PASSIVE_LEVEL. One extension per driver object: a second is STATUS_RESOURCE_IN_USE. Freed
 * when the driver unloads (the end of the run), so one never freed is no leak. */
HH_API NTSTATUS IoCreateDriverProxyExtension(PDRIVER_OBJECT OwningDriverObject,
                                             DRIVER_PROXY_EXTENSION_CREATION_FLAGS Flags,
                                             PDRIVER_PROXY_EXTENSION *DriverProxyExtension);
/* Any IRQL; NULL when the driver object owns none. */
HH_API PDRIVER_PROXY_EXTENSION IoGetDriverProxyExtensionFromDriverObject(
    PDRIVER_OBJECT DriverObject);
/* PASSIVE_LEVEL. New ids are registered; a known id is swapped to the new function (same
 * ParameterCount, else STATUS_INVALID_PARAMETER_3), through PhasedCallback's phases. */
HH_API NTSTATUS IoRegisterDriverProxyEndpoints(PDRIVER_PROXY_EXTENSION DriverProxyExtension,
                                               PDRIVER_PROXY_ENDPOINT_INFORMATION EndpointInfo,
                                               ULONG Count,
                                               PDRIVER_PROXY_REGISTER_CALLBACK PhasedCallback,
                                               PVOID Context);
/* Any IRQL; NULL when no endpoint has that id. */
HH_API PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION IoGetDriverProxyEndpointWrapper(
    PDRIVER_PROXY_EXTENSION DriverProxyExtension, DRIVER_PROXY_ENDPOINT_FUNCTION_ID FunctionId);
/* Any IRQL; STATUS_NOT_FOUND (and *Wrapper NULL) for a function no endpoint has now. */
HH_API NTSTATUS IofGetDriverProxyWrapperFromEndpoint(
    PDRIVER_PROXY_EXTENSION DriverProxyExtension, PDRIVER_PROXY_ENDPOINT_FUNCTION Endpoint,
    PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION *Wrapper);
/* Takes the endpoint and the variable of the driver's own function types. The variable is
 * written as a function pointer of another type, which every supported ABI represents alike. */
#define IoGetDriverProxyWrapperFromEndpoint(DriverProxyExtension, Endpoint, Wrapper)          \
    IofGetDriverProxyWrapperFromEndpoint((DriverProxyExtension),                              \
                                         (PDRIVER_PROXY_ENDPOINT_FUNCTION)(Endpoint),         \
                                         (PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION *)(Wrapper))
/* PASSIVE_LEVEL. Checks the start context and copies it (the caller may free its own on
 * return); WorkerRoutine must be a wrapper of this extension's endpoints (rule raw-routine).
 * STATUS_INVALID_PARAMETER for a NULL routine, an EventCount of 0 or more than
 * MAXIMUM_WAIT_OBJECTS, a NULL event, a WaitType other than WaitAll or WaitAny, a WaitMode other
 * than KernelMode or UserMode. In a driver-mode scenario it starts the run's worker
 * (STATUS_INSUFFICIENT_RESOURCES for a second one); in a scenario that names a routine
 * STATUS_NOT_SUPPORTED. A refusal puts a line in the run's log. */
HH_API NTSTATUS IoDriverProxyCreateHotSwappableWorkerThread(
    PDRIVER_PROXY_EXTENSION DriverProxyExtension, PHANDLE ThreadHandle, ULONG DesiredAccess,
    POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle, PCLIENT_ID ClientId,
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT WorkerStartContext);

#ifdef __cplusplus
}
#endif

#endif
