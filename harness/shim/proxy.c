/* proxy.c - the Driver Hot Swap DDIs (V1): feature flags, the DriverProxy extension (one per
 * driver object), endpoint registration and its swap sequence, wrapper lookups, and the checks
 * and copy of IoDriverProxyCreateHotSwappableWorkerThread.
 *
 * The swap follows IoRegisterDriverProxyEndpoints' Learn page: PreProcess, the rundown of
 * in-flight endpoint calls, ProxyStalled (new calls held), the switch of the endpoints'
 * functions, PostProcess; a callback's failure status ends the call and undoes what was done.
 * Calls run one at a time today, so a call still in flight at the rundown is on the
 * registering thread's own stack and cannot end while it waits: that is the documented
 * timeout, STATUS_UNSUCCESSFUL, at once.
 */
#include "proxy_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/plat.h"
#include "shim.h"

static void forget_endpoints(struct hh_proxy *p, PDRIVER_PROXY_EXTENSION ext)
{
    unsigned n;
    for (n = 0; n < HH_PROXY_WRAPPERS; n++) {
        if (p->slots[n].ext == ext)
            memset(&p->slots[n], 0, sizeof(p->slots[n]));
    }
}

void hh_proxy_free(struct hh_proxy *p)
{
    PDRIVER_PROXY_EXTENSION ext, next;
    if (!p)
        return;
    for (ext = p->extensions; ext; ext = next) {
        next = ext->next;
        free(ext);
    }
    free(p);
}

void hh_proxy_driver_unload(struct hh_engine *e, PDRIVER_OBJECT driver)
{
    PDRIVER_PROXY_EXTENSION *link;
    hh_engine_lock(e);
    for (link = e->proxy ? &e->proxy->extensions : NULL; link && *link; link = &(*link)->next) {
        PDRIVER_PROXY_EXTENSION ext = *link;
        if (ext->owner == driver) {
            *link = ext->next;
            forget_endpoints(e->proxy, ext);
            free(ext);
            break;
        }
    }
    hh_engine_unlock(e);
}

VOID IoGetDriverProxyFeatures(PDRIVER_OBJECT DriverObject, PDRIVER_PROXY_FEATURE_FLAGS Flags)
{
    (void)DriverObject;
    if (!Flags)
        return;
    Flags->AsUlong = 0;
    Flags->Enabled = 1;
}

static void clear_phases(PDRIVER_PROXY_EXTENSION ext)
{
    int n;
    for (n = 0; n < DriverProxyRegisterCallbackMax; n++)
        ext->phases[n] = STATUS_PENDING;
}

static PDRIVER_PROXY_EXTENSION find_extension(struct hh_engine *e, PDRIVER_OBJECT driver)
{
    PDRIVER_PROXY_EXTENSION ext;
    for (ext = e->proxy ? e->proxy->extensions : NULL; ext; ext = ext->next) {
        if (ext->owner == driver)
            return ext;
    }
    return NULL;
}

NTSTATUS IoCreateDriverProxyExtension(PDRIVER_OBJECT OwningDriverObject,
                                      DRIVER_PROXY_EXTENSION_CREATION_FLAGS Flags,
                                      PDRIVER_PROXY_EXTENSION *DriverProxyExtension)
{
    struct hh_engine *e = hh_shim_enter("IoCreateDriverProxyExtension");
    PDRIVER_PROXY_EXTENSION ext;
    (void)Flags; /* none defined: ReservedZero */
    hh_shim_require_irql(e, "IoCreateDriverProxyExtension", PASSIVE_LEVEL);
    if (!DriverProxyExtension) {
        hh_shim_leave(e);
        return STATUS_INVALID_PARAMETER;
    }
    *DriverProxyExtension = NULL;
    if (OwningDriverObject && find_extension(e, OwningDriverObject)) {
        hh_shim_leave(e);
        return STATUS_RESOURCE_IN_USE;
    }
    if (!e->proxy)
        e->proxy = calloc(1, sizeof(*e->proxy));
    ext = e->proxy ? calloc(1, sizeof(*ext)) : NULL;
    if (!ext) {
        hh_shim_leave(e);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    ext->proxy = e->proxy;
    ext->owner = OwningDriverObject;
    clear_phases(ext);
    ext->next = e->proxy->extensions;
    e->proxy->extensions = ext;
    *DriverProxyExtension = ext;
    hh_shim_leave(e);
    return STATUS_SUCCESS;
}

PDRIVER_PROXY_EXTENSION IoGetDriverProxyExtensionFromDriverObject(PDRIVER_OBJECT DriverObject)
{
    struct hh_engine *e = hh_shim_enter("IoGetDriverProxyExtensionFromDriverObject");
    PDRIVER_PROXY_EXTENSION ext = DriverObject ? find_extension(e, DriverObject) : NULL;
    hh_shim_leave(e);
    return ext;
}

static struct hh_proxy_slot *find_endpoint(PDRIVER_PROXY_EXTENSION ext,
                                           DRIVER_PROXY_ENDPOINT_FUNCTION_ID id, unsigned *slot)
{
    unsigned n;
    for (n = 0; n < HH_PROXY_WRAPPERS; n++) {
        if (ext->proxy->slots[n].ext == ext && ext->proxy->slots[n].id == id) {
            if (slot)
                *slot = n;
            return &ext->proxy->slots[n];
        }
    }
    return NULL;
}

/* The table as a whole, before anything changes: every function given, no id twice, no more
 * than the harness's argument limit, a known id with its ParameterCount, room for new ids. */
static NTSTATUS check_table(PDRIVER_PROXY_EXTENSION ext,
                            const DRIVER_PROXY_ENDPOINT_INFORMATION *info, ULONG count)
{
    ULONG i, j, fresh = 0, free_slots = 0;
    unsigned n;
    for (i = 0; i < count; i++) {
        const struct hh_proxy_slot *known = find_endpoint(ext, info[i].Id, NULL);
        if (!info[i].EndpointFunction || info[i].ParameterCount > HH_PROXY_MAX_PARAMETERS)
            return STATUS_INVALID_PARAMETER;
        for (j = 0; j < i; j++) {
            if (info[j].Id == info[i].Id)
                return STATUS_INVALID_PARAMETER;
        }
        if (known && known->params != info[i].ParameterCount)
            return STATUS_INVALID_PARAMETER_3;
        if (!known)
            fresh++;
    }
    for (n = 0; n < HH_PROXY_WRAPPERS; n++)
        free_slots += !ext->proxy->slots[n].ext;
    return fresh > free_slots ? STATUS_INSUFFICIENT_RESOURCES : STATUS_SUCCESS;
}

/* What the switch changed, to undo it. */
struct switch_record {
    unsigned slot;
    BOOLEAN fresh;
    PDRIVER_PROXY_ENDPOINT_FUNCTION before;
};

static void switch_endpoints(PDRIVER_PROXY_EXTENSION ext,
                             const DRIVER_PROXY_ENDPOINT_INFORMATION *info, ULONG count,
                             struct switch_record *undo)
{
    ULONG i;
    for (i = 0; i < count; i++) {
        unsigned n = 0;
        struct hh_proxy_slot *s = find_endpoint(ext, info[i].Id, &n);
        undo[i].fresh = s == NULL;
        if (!s) {
            while (ext->proxy->slots[n].ext) /* check_table saw room */
                n++;
            s = &ext->proxy->slots[n];
            memset(s, 0, sizeof(*s));
            s->ext = ext;
            s->id = info[i].Id;
            s->params = info[i].ParameterCount;
        }
        undo[i].slot = n;
        undo[i].before = s->target;
        s->target = info[i].EndpointFunction;
    }
}

static void undo_switch(PDRIVER_PROXY_EXTENSION ext, const struct switch_record *undo,
                        ULONG count)
{
    ULONG i = count;
    while (i-- > 0) {
        struct hh_proxy_slot *s = &ext->proxy->slots[undo[i].slot];
        if (undo[i].fresh)
            memset(s, 0, sizeof(*s));
        else
            s->target = undo[i].before;
    }
}

static LONG calls_in_flight(PDRIVER_PROXY_EXTENSION ext)
{
    LONG total = 0;
    unsigned n;
    for (n = 0; n < HH_PROXY_WRAPPERS; n++) {
        if (ext->proxy->slots[n].ext == ext)
            total += ext->proxy->slots[n].in_flight;
    }
    return total;
}

/* The phase's callback, run outside the dispatcher lock like any driver code; its status is
 * kept for hh_proxy_last_phases (only the registering thread writes it). */
static NTSTATUS run_phase(PDRIVER_PROXY_EXTENSION ext, PDRIVER_PROXY_REGISTER_CALLBACK callback,
                          DRIVER_PROXY_REGISTER_CALLBACK_PHASE phase, PVOID context)
{
    NTSTATUS status = callback ? callback(phase, context) : STATUS_SUCCESS;
    if (callback)
        ext->phases[phase] = status;
    return status;
}

void hh_proxy_last_phases(PDRIVER_PROXY_EXTENSION ext,
                          NTSTATUS status[DriverProxyRegisterCallbackMax])
{
    struct hh_engine *e = hh_shim_enter("hh_proxy_last_phases");
    int n;
    for (n = 0; n < DriverProxyRegisterCallbackMax; n++)
        status[n] = ext ? ext->phases[n] : STATUS_PENDING;
    hh_shim_leave(e);
}

static NTSTATUS end_registration(PDRIVER_PROXY_EXTENSION ext, NTSTATUS status)
{
    struct hh_engine *e = hh_shim_enter("IoRegisterDriverProxyEndpoints");
    ext->stalled = FALSE;
    ext->registering = FALSE;
    hh_shim_leave(e);
    return status;
}

NTSTATUS IoRegisterDriverProxyEndpoints(PDRIVER_PROXY_EXTENSION DriverProxyExtension,
                                        PDRIVER_PROXY_ENDPOINT_INFORMATION EndpointInfo,
                                        ULONG Count,
                                        PDRIVER_PROXY_REGISTER_CALLBACK PhasedCallback,
                                        PVOID Context)
{
    static const char routine[] = "IoRegisterDriverProxyEndpoints";
    struct hh_engine *e = hh_shim_enter(routine);
    PDRIVER_PROXY_EXTENSION ext = DriverProxyExtension;
    struct switch_record *undo;
    NTSTATUS status;
    hh_shim_require_irql(e, routine, PASSIVE_LEVEL);
    if (!ext || !EndpointInfo || Count == 0 || Count > HH_PROXY_WRAPPERS) {
        hh_shim_leave(e);
        return STATUS_INVALID_PARAMETER;
    }
    /* One registration at a time per extension: a nested one (from a phase callback) would
     * wait for the rundown its caller holds, until the timeout. */
    if (ext->registering) {
        hh_shim_leave(e);
        return STATUS_UNSUCCESSFUL;
    }
    status = check_table(ext, EndpointInfo, Count);
    if (!NT_SUCCESS(status)) {
        hh_shim_leave(e);
        return status;
    }
    ext->registering = TRUE;
    if (PhasedCallback)
        clear_phases(ext);
    hh_shim_leave(e);

    status = run_phase(ext, PhasedCallback, DriverProxyRegisterCallbackPreProcess, Context);
    if (!NT_SUCCESS(status))
        return end_registration(ext, status);

    e = hh_shim_enter(routine);
    if (calls_in_flight(ext) > 0) { /* the rundown would wait for its own caller */
        hh_shim_leave(e);
        return end_registration(ext, STATUS_UNSUCCESSFUL);
    }
    ext->stalled = TRUE;
    hh_shim_leave(e);

    status = run_phase(ext, PhasedCallback, DriverProxyRegisterCallbackProxyStalled, Context);
    if (!NT_SUCCESS(status))
        return end_registration(ext, status);

    undo = calloc(Count, sizeof(*undo));
    if (!undo)
        return end_registration(ext, STATUS_INSUFFICIENT_RESOURCES);
    e = hh_shim_enter(routine);
    switch_endpoints(ext, EndpointInfo, Count, undo);
    ext->stalled = FALSE;
    hh_shim_leave(e);

    status = run_phase(ext, PhasedCallback, DriverProxyRegisterCallbackPostProcess, Context);
    if (!NT_SUCCESS(status)) {
        e = hh_shim_enter(routine);
        undo_switch(ext, undo, Count);
        hh_shim_leave(e);
    }
    free(undo);
    return end_registration(ext, status);
}

PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION IoGetDriverProxyEndpointWrapper(
    PDRIVER_PROXY_EXTENSION DriverProxyExtension, DRIVER_PROXY_ENDPOINT_FUNCTION_ID FunctionId)
{
    struct hh_engine *e = hh_shim_enter("IoGetDriverProxyEndpointWrapper");
    unsigned n;
    PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION wrapper = NULL;
    if (DriverProxyExtension && find_endpoint(DriverProxyExtension, FunctionId, &n))
        wrapper = hh__proxy_wrapper(n);
    hh_shim_leave(e);
    return wrapper;
}

NTSTATUS IofGetDriverProxyWrapperFromEndpoint(PDRIVER_PROXY_EXTENSION DriverProxyExtension,
                                              PDRIVER_PROXY_ENDPOINT_FUNCTION Endpoint,
                                              PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION *Wrapper)
{
    struct hh_engine *e = hh_shim_enter("IofGetDriverProxyWrapperFromEndpoint");
    PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION found = NULL;
    unsigned n;
    if (!Wrapper) {
        hh_shim_leave(e);
        return STATUS_INVALID_PARAMETER;
    }
    for (n = 0; DriverProxyExtension && Endpoint && n < HH_PROXY_WRAPPERS; n++) {
        const struct hh_proxy_slot *s = &DriverProxyExtension->proxy->slots[n];
        if (s->ext == DriverProxyExtension && s->target == Endpoint) {
            found = hh__proxy_wrapper(n);
            break;
        }
    }
    /* The macro hands in the driver's own variable, of its endpoint's type: write the bytes
     * of the pointer, not an lvalue of another type. */
    memcpy(Wrapper, &found, sizeof(found));
    hh_shim_leave(e);
    return found ? STATUS_SUCCESS : STATUS_NOT_FOUND;
}

static int slot_of_extension(PDRIVER_PROXY_EXTENSION ext, PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE r)
{
    int n = hh__proxy_slot_of((PDRIVER_PROXY_ENDPOINT_FUNCTION)r);
    return n >= 0 && ext->proxy->slots[n].ext == ext ? n : -1;
}

PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT hh_proxy_copy_start(
    PDRIVER_PROXY_EXTENSION ext, const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start)
{
    size_t size = FIELD_OFFSET(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT, Events) +
                  (size_t)start->EventCount * sizeof(PKEVENT);
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT copy;
    int n = slot_of_extension(ext, start->WorkerRoutine);
    if (size < sizeof(*copy))
        size = sizeof(*copy);
    copy = calloc(1, size);
    if (!copy)
        return NULL;
    memcpy(copy, start, FIELD_OFFSET(DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT, Events));
    memcpy(copy->Events, start->Events, (size_t)start->EventCount * sizeof(PKEVENT));
    if (n >= 0) /* the wrapper of the worker routine's own type: a plain C call */
        copy->WorkerRoutine = hh__proxy_worker_wrapper((unsigned)n);
    return copy;
}

void hh_proxy_free_start(PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT copy)
{
    free(copy);
}

static LONG endpoint_count(PDRIVER_PROXY_EXTENSION ext, DRIVER_PROXY_ENDPOINT_FUNCTION_ID id,
                           int in_flight)
{
    struct hh_engine *e = hh_shim_enter("hh_proxy_calls");
    const struct hh_proxy_slot *s = ext ? find_endpoint(ext, id, NULL) : NULL;
    LONG value = !s ? -1 : in_flight ? s->in_flight : s->calls;
    hh_shim_leave(e);
    return value;
}

LONG hh_proxy_in_flight(PDRIVER_PROXY_EXTENSION ext, DRIVER_PROXY_ENDPOINT_FUNCTION_ID id)
{
    return endpoint_count(ext, id, 1);
}

LONG hh_proxy_calls(PDRIVER_PROXY_EXTENSION ext, DRIVER_PROXY_ENDPOINT_FUNCTION_ID id)
{
    return endpoint_count(ext, id, 0);
}

/* What the start context must hold, as IoDriverProxyCreateHotSwappableWorkerThread checks it. */
static int bad_start_context(const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start)
{
    ULONG i;
    if (!start->WorkerRoutine || start->EventCount == 0 ||
        start->EventCount > MAXIMUM_WAIT_OBJECTS)
        return 1;
    if (start->WaitType != WaitAll && start->WaitType != WaitAny)
        return 1;
    if (start->WaitMode != KernelMode && start->WaitMode != UserMode)
        return 1;
    for (i = 0; i < start->EventCount; i++) {
        if (!start->Events[i])
            return 1;
    }
    return 0;
}

/* The exported name of the function a start context's routine (an endpoint's wrapper)
 * calls, for reports and a scenario's "worker" selector; "" when it has none. */
static const char *routine_name(struct hh_engine *e,
                                const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start,
                                char *buf, size_t len)
{
    struct hh_plat_addr where;
    const void *addr;
    int slot = hh__proxy_slot_of((PDRIVER_PROXY_ENDPOINT_FUNCTION)start->WorkerRoutine);
    buf[0] = '\0';
    if (slot >= 0 && e->proxy)
        memcpy(&addr, &e->proxy->slots[slot].target, sizeof(addr));
    else
        memcpy(&addr, &start->WorkerRoutine, sizeof(addr));
    if (hh_plat_addr_info(addr, &where) == 0 && where.symbol[0] && where.symbol_offset == 0)
        snprintf(buf, len, "%.63s", where.symbol);
    return buf;
}

/* Starts the driver's worker thread on the engine (driver mode: the scenario started the
 * driver, whose code creates its worker). The engine has one worker, so a second one is
 * refused, and outside driver mode (a scenario's "routine" starts its worker) none may be
 * created; either is told in the run's log (the invocation's log when a routine calls it;
 * the log the next invocation clears otherwise). The engine keeps its own copy. */
static NTSTATUS start_worker(struct hh_engine *e,
                             PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT copy,
                             PKTHREAD *thread)
{
    static const char not_driver[] =
        "hotswap: IoDriverProxyCreateHotSwappableWorkerThread returns STATUS_NOT_SUPPORTED: "
        "a scenario that names a \"routine\" starts its worker itself; a scenario with "
        "\"driver\" lets the driver's load routine start it\n";
    static const char second[] =
        "hotswap: IoDriverProxyCreateHotSwappableWorkerThread returns "
        "STATUS_INSUFFICIENT_RESOURCES: the driver already started a worker thread, and a "
        "real-clock run or `explore` plays one worker per driver\n";
    char routine[64];
    NTSTATUS status = hh_worker_start_driver(
        e, copy, routine_name(e, copy, routine, sizeof(routine)), thread);
    hh_proxy_free_start(copy);
    if (status == STATUS_NOT_SUPPORTED)
        hh_engine_log(e, not_driver, sizeof(not_driver) - 1);
    else if (status == STATUS_INSUFFICIENT_RESOURCES)
        hh_engine_log(e, second, sizeof(second) - 1);
    return status;
}

NTSTATUS IoDriverProxyCreateHotSwappableWorkerThread(
    PDRIVER_PROXY_EXTENSION DriverProxyExtension, PHANDLE ThreadHandle, ULONG DesiredAccess,
    POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle, PCLIENT_ID ClientId,
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT WorkerStartContext)
{
    static const char routine[] = "IoDriverProxyCreateHotSwappableWorkerThread";
    struct hh_engine *e = hh_shim_enter(routine);
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT copy;
    PKTHREAD thread = NULL;
    NTSTATUS status;
    (void)DesiredAccess;
    (void)ObjectAttributes;
    (void)ProcessHandle;
    hh_shim_require_irql(e, routine, PASSIVE_LEVEL);
    if (!DriverProxyExtension || !ThreadHandle || !WorkerStartContext ||
        bad_start_context(WorkerStartContext)) {
        hh_shim_leave(e);
        return STATUS_INVALID_PARAMETER;
    }
    if (slot_of_extension(DriverProxyExtension, WorkerStartContext->WorkerRoutine) < 0) {
        char site[256];
        const void *addr;
        memcpy(&addr, &WorkerStartContext->WorkerRoutine, sizeof(addr));
        if (!hh_plat_code_site(addr, 0, site, sizeof(site)))
            snprintf(site, sizeof(site), "a function");
        hh_engine_fail(e, HH_RULE_RAW_ROUTINE,
                       "%s: WorkerRoutine (%s) is not the wrapper of an endpoint registered to "
                       "this extension: the thread would call the function itself, which a "
                       "hot-swap cannot replace (pass IoGetDriverProxyEndpointWrapper's or "
                       "IoGetDriverProxyWrapperFromEndpoint's result)",
                       routine, site);
        if (!e->checks_off[HH_RULE_RAW_ROUTINE]) {
            hh_shim_leave(e);
            return STATUS_INVALID_PARAMETER;
        }
    }
    copy = hh_proxy_copy_start(DriverProxyExtension, WorkerStartContext);
    *ThreadHandle = NULL;
    if (ClientId)
        memset(ClientId, 0, sizeof(*ClientId));
    status = copy ? start_worker(e, copy, &thread) : STATUS_INSUFFICIENT_RESOURCES;
    /* The handle is to the new worker's thread object, which is signaled when the routine
     * chooses terminate. */
    if (NT_SUCCESS(status))
        *ThreadHandle = hh_handle_open(e, thread, HH_RETURN_ADDRESS());
    hh_shim_leave(e);
    return status;
}
