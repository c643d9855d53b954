/* test_proxy.c - the Driver Hot Swap DDIs: one extension per driver, endpoint registration,
 * wrappers that forward to the current function and count calls, the swap's phases in order,
 * rollback on a failing phase, ParameterCount changes, and the worker's creation checks.
 *
 * The endpoints have the driver's own types and are called through the wrappers with them,
 * as a driver calls them.
 */
#include <stdlib.h>

#include "shim/proxy.h"
#include "shim_test.h"

enum { ID_QUEUE_WORK = 1, ID_WORKER = 2, ID_STATS = 3 };

typedef NTSTATUS QUEUE_WORK(PVOID Context, ULONG Item);
typedef QUEUE_WORK *PQUEUE_WORK;

static PDRIVER_PROXY_EXTENSION g_ext;
static LONG g_in_flight_seen;
static ULONG g_last_item;

static NTSTATUS QueueWorkV1(PVOID Context, ULONG Item)
{
    g_in_flight_seen = hh_proxy_in_flight(g_ext, ID_QUEUE_WORK);
    g_last_item = Item;
    return Context ? (NTSTATUS)0x100 + (NTSTATUS)Item : STATUS_INVALID_PARAMETER;
}

static NTSTATUS QueueWorkV2(PVOID Context, ULONG Item)
{
    (void)Context;
    g_last_item = Item;
    return (NTSTATUS)0x200 + (NTSTATUS)Item;
}

static ULONG_PTR StatsEightArgs(ULONG_PTR a, ULONG_PTR b, ULONG_PTR c, ULONG_PTR d, ULONG_PTR e,
                                ULONG_PTR f, ULONG_PTR g, ULONG_PTR h)
{
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}

static BOOLEAN WorkerV1(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    *(int *)WorkerContext = 1;
    return WaitStatus == STATUS_WAIT_0;
}

static BOOLEAN WorkerV2(PVOID WorkerContext, NTSTATUS WaitStatus)
{
    *(int *)WorkerContext = 2;
    return WaitStatus == STATUS_WAIT_1;
}

static DRIVER_OBJECT g_driver;

static PDRIVER_PROXY_EXTENSION make_extension(void)
{
    DRIVER_PROXY_EXTENSION_CREATION_FLAGS flags;
    PDRIVER_PROXY_EXTENSION ext = NULL;
    flags.AsUlong = 0;
    CHECK_EQ(IoCreateDriverProxyExtension(&g_driver, flags, &ext), STATUS_SUCCESS);
    CHECK(ext != NULL);
    g_ext = ext;
    return ext;
}

static void register_v1(PDRIVER_PROXY_EXTENSION ext)
{
    DRIVER_PROXY_ENDPOINT_INFORMATION info[2];
    info[0].Id = ID_QUEUE_WORK;
    info[0].EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)QueueWorkV1;
    info[0].ParameterCount = 2;
    info[1].Id = ID_WORKER;
    info[1].EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)WorkerV1;
    info[1].ParameterCount = 2;
    CHECK_EQ(IoRegisterDriverProxyEndpoints(ext, info, 2, NULL, NULL), STATUS_SUCCESS);
}

static PQUEUE_WORK queue_work_wrapper(PDRIVER_PROXY_EXTENSION ext)
{
    return (PQUEUE_WORK)IoGetDriverProxyEndpointWrapper(ext, ID_QUEUE_WORK);
}

/* ---- The phased callback: records the phases, fails the one it is told to. ------------- */
struct phases {
    DRIVER_PROXY_REGISTER_CALLBACK_PHASE seen[8];
    NTSTATUS through_wrapper[8]; /* what the QueueWork wrapper gave in each phase */
    int n;
    int fail_at; /* a phase, or -1 */
    int call_in_stall;
    int quiet; /* calls no endpoint at all */
};

static DRIVER_PROXY_REGISTER_CALLBACK RecordPhase;

static NTSTATUS RecordPhase(DRIVER_PROXY_REGISTER_CALLBACK_PHASE Phase, PVOID Context)
{
    struct phases *p = Context;
    int ctx = 0;
    p->seen[p->n] = Phase;
    if (!p->quiet && (Phase != DriverProxyRegisterCallbackProxyStalled || p->call_in_stall))
        p->through_wrapper[p->n] = queue_work_wrapper(g_ext)(&ctx, 5);
    p->n++;
    return (int)Phase == p->fail_at ? STATUS_INSUFFICIENT_RESOURCES : STATUS_SUCCESS;
}

static NTSTATUS swap_to_v2(PDRIVER_PROXY_EXTENSION ext, struct phases *p, ULONG queue_params)
{
    DRIVER_PROXY_ENDPOINT_INFORMATION info[3];
    info[0].Id = ID_QUEUE_WORK;
    info[0].EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)QueueWorkV2;
    info[0].ParameterCount = queue_params;
    info[1].Id = ID_WORKER;
    info[1].EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)WorkerV2;
    info[1].ParameterCount = 2;
    info[2].Id = ID_STATS; /* new in this version */
    info[2].EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)StatsEightArgs;
    info[2].ParameterCount = 8;
    return IoRegisterDriverProxyEndpoints(ext, info, 3, RecordPhase, p);
}

static void test_features(void)
{
    DRIVER_PROXY_FEATURE_FLAGS flags;
    flags.AsUlong = 0xFFFFFFFFu;
    IoGetDriverProxyFeatures(NULL, &flags);
    CHECK_EQ(flags.Enabled, 1);
    CHECK_EQ(flags.AsUlong, 1);
}

static void create_at_dispatch(void *arg)
{
    DRIVER_PROXY_EXTENSION_CREATION_FLAGS flags;
    PDRIVER_PROXY_EXTENSION ext;
    KIRQL old;
    (void)arg;
    flags.AsUlong = 0;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    IoCreateDriverProxyExtension(NULL, flags, &ext);
}

static void test_one_extension_per_driver(void)
{
    struct hh_engine *e = test_engine();
    DRIVER_PROXY_EXTENSION_CREATION_FLAGS flags;
    PDRIVER_PROXY_EXTENSION first = make_extension(), second = first, a = NULL, b = NULL;
    flags.AsUlong = 0;
    CHECK_EQ(IoCreateDriverProxyExtension(&g_driver, flags, &second), STATUS_RESOURCE_IN_USE);
    CHECK(second == NULL);
    CHECK(IoGetDriverProxyExtensionFromDriverObject(&g_driver) == first);
    /* Without an owning driver, as many as asked for. */
    CHECK_EQ(IoCreateDriverProxyExtension(NULL, flags, &a), STATUS_SUCCESS);
    CHECK_EQ(IoCreateDriverProxyExtension(NULL, flags, &b), STATUS_SUCCESS);
    CHECK(a && b && a != b && a != first);
    /* The driver's unload frees its extension: the next load may create one again. */
    hh_proxy_driver_unload(e, &g_driver);
    CHECK(IoGetDriverProxyExtensionFromDriverObject(&g_driver) == NULL);
    CHECK_EQ(IoCreateDriverProxyExtension(&g_driver, flags, &second), STATUS_SUCCESS);
    CHECK_ABORTS(e, create_at_dispatch, NULL, HH_RULE_IRQL, "IoCreateDriverProxyExtension");
    test_engine_done(e); /* frees every extension: ASan sees no leak */
}

static void test_wrappers_forward_and_count(void)
{
    struct hh_engine *e = test_engine();
    PDRIVER_PROXY_EXTENSION ext = make_extension();
    PQUEUE_WORK wrapper, found = NULL;
    int ctx = 0;
    register_v1(ext);
    wrapper = queue_work_wrapper(ext);
    CHECK(wrapper != NULL && wrapper != QueueWorkV1);
    CHECK_EQ(hh_proxy_calls(ext, ID_QUEUE_WORK), 0);
    CHECK_EQ(wrapper(&ctx, 7), 0x107);
    CHECK_EQ(g_last_item, 7);
    CHECK_EQ(g_in_flight_seen, 1); /* counted in while the endpoint ran */
    CHECK_EQ(hh_proxy_in_flight(ext, ID_QUEUE_WORK), 0); /* and out after */
    CHECK_EQ(wrapper(NULL, 1), STATUS_INVALID_PARAMETER);
    CHECK_EQ(hh_proxy_calls(ext, ID_QUEUE_WORK), 2);
    /* The V2 lookup by function gives the same wrapper, through the driver's own type. */
    CHECK_EQ(IoGetDriverProxyWrapperFromEndpoint(ext, QueueWorkV1, &found), STATUS_SUCCESS);
    CHECK(found == wrapper);
    CHECK_EQ(IoGetDriverProxyWrapperFromEndpoint(ext, QueueWorkV2, &found), STATUS_NOT_FOUND);
    CHECK(found == NULL);
    CHECK(IoGetDriverProxyEndpointWrapper(ext, 99) == NULL);
    CHECK(IoGetDriverProxyEndpointWrapper(ext, ID_WORKER) !=
          (PDRIVER_PROXY_WRAPPED_ENDPOINT_FUNCTION)wrapper);
    CHECK_EQ(hh_proxy_calls(ext, 99), -1);
    test_engine_done(e);
}

static void test_swap_switches_the_same_wrapper(void)
{
    struct hh_engine *e = test_engine();
    PDRIVER_PROXY_EXTENSION ext = make_extension();
    struct phases p;
    PQUEUE_WORK wrapper, found = NULL;
    ULONG_PTR (*stats)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                       ULONG_PTR, ULONG_PTR);
    int ctx = 0;
    memset(&p, 0, sizeof(p));
    p.fail_at = -1;
    register_v1(ext);
    wrapper = queue_work_wrapper(ext);
    CHECK_EQ(swap_to_v2(ext, &p, 2), STATUS_SUCCESS);
    /* PreProcess, the rundown, ProxyStalled, the switch, PostProcess. */
    CHECK_EQ(p.n, 3);
    CHECK_EQ(p.seen[0], DriverProxyRegisterCallbackPreProcess);
    CHECK_EQ(p.seen[1], DriverProxyRegisterCallbackProxyStalled);
    CHECK_EQ(p.seen[2], DriverProxyRegisterCallbackPostProcess);
    CHECK_EQ(p.through_wrapper[0], 0x105); /* before the switch: the old function */
    CHECK_EQ(p.through_wrapper[2], 0x205); /* after it: the new one */
    CHECK(queue_work_wrapper(ext) == wrapper);
    CHECK_EQ(wrapper(&ctx, 9), 0x209);
    CHECK_EQ(IoGetDriverProxyWrapperFromEndpoint(ext, QueueWorkV1, &found), STATUS_NOT_FOUND);
    CHECK_EQ(IoGetDriverProxyWrapperFromEndpoint(ext, QueueWorkV2, &found), STATUS_SUCCESS);
    CHECK(found == wrapper);
    /* Eight integer arguments reach the endpoint in order. */
    stats = (ULONG_PTR(*)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                          ULONG_PTR, ULONG_PTR))IoGetDriverProxyEndpointWrapper(ext, ID_STATS);
    CHECK(stats != NULL);
    CHECK_EQ(stats(1, 10, 100, 1000, 10000, 100000, 1000000, 10000000),
             StatsEightArgs(1, 10, 100, 1000, 10000, 100000, 1000000, 10000000));
    test_engine_done(e);
}

static void test_failing_phase_rolls_back(void)
{
    static const DRIVER_PROXY_REGISTER_CALLBACK_PHASE phases[] = {
        DriverProxyRegisterCallbackPreProcess, DriverProxyRegisterCallbackProxyStalled,
        DriverProxyRegisterCallbackPostProcess};
    size_t i;
    for (i = 0; i < RTL_NUMBER_OF(phases); i++) {
        struct hh_engine *e = test_engine();
        PDRIVER_PROXY_EXTENSION ext = make_extension();
        struct phases p;
        int ctx = 0;
        memset(&p, 0, sizeof(p));
        p.fail_at = (int)phases[i];
        register_v1(ext);
        NTSTATUS seen[DriverProxyRegisterCallbackMax];
        size_t k;
        hh_proxy_last_phases(ext, seen);
        for (k = 0; k < RTL_NUMBER_OF(seen); k++)
            CHECK_EQ(seen[k], STATUS_PENDING); /* no phased registration yet */
        CHECK_EQ(swap_to_v2(ext, &p, 2), STATUS_INSUFFICIENT_RESOURCES);
        CHECK_EQ(p.n, (int)i + 1); /* no phase after the failing one */
        /* Each phase's status as its callback returned it; the ones not reached pending. */
        hh_proxy_last_phases(ext, seen);
        for (k = 0; k < RTL_NUMBER_OF(seen); k++)
            CHECK_EQ(seen[k], k < i    ? STATUS_SUCCESS
                              : k == i ? STATUS_INSUFFICIENT_RESOURCES
                                       : STATUS_PENDING);
        CHECK_EQ(queue_work_wrapper(ext)(&ctx, 3), 0x103);
        CHECK(IoGetDriverProxyEndpointWrapper(ext, ID_STATS) == NULL);
        /* The extension is usable again: the same swap now succeeds. */
        p.fail_at = -1;
        p.n = 0;
        CHECK_EQ(swap_to_v2(ext, &p, 2), STATUS_SUCCESS);
        CHECK_EQ(queue_work_wrapper(ext)(&ctx, 3), 0x203);
        hh_proxy_last_phases(ext, seen);
        for (k = 0; k < RTL_NUMBER_OF(seen); k++)
            CHECK_EQ(seen[k], STATUS_SUCCESS);
        test_engine_done(e);
    }
}

static void test_parameter_count_must_match(void)
{
    struct hh_engine *e = test_engine();
    PDRIVER_PROXY_EXTENSION ext = make_extension();
    DRIVER_PROXY_ENDPOINT_INFORMATION nine;
    struct phases p;
    int ctx = 0;
    memset(&p, 0, sizeof(p));
    p.fail_at = -1;
    register_v1(ext);
    CHECK_EQ(swap_to_v2(ext, &p, 3), STATUS_INVALID_PARAMETER_3);
    CHECK_EQ(p.n, 0); /* refused before any phase */
    CHECK_EQ(queue_work_wrapper(ext)(&ctx, 4), 0x104);
    /* More arguments than a wrapper forwards. */
    nine.Id = 50;
    nine.EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)StatsEightArgs;
    nine.ParameterCount = HH_PROXY_MAX_PARAMETERS + 1;
    CHECK_EQ(IoRegisterDriverProxyEndpoints(ext, &nine, 1, NULL, NULL), STATUS_INVALID_PARAMETER);
    test_engine_done(e);
}

static void test_wrapper_pool_limit(void)
{
    struct hh_engine *e = test_engine();
    PDRIVER_PROXY_EXTENSION ext = make_extension();
    DRIVER_PROXY_ENDPOINT_INFORMATION info;
    ULONG id;
    info.EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)QueueWorkV1;
    info.ParameterCount = 2;
    for (id = 0; id < HH_PROXY_WRAPPERS; id++) {
        info.Id = 100 + id;
        CHECK_EQ(IoRegisterDriverProxyEndpoints(ext, &info, 1, NULL, NULL), STATUS_SUCCESS);
    }
    info.Id = 99;
    CHECK_EQ(IoRegisterDriverProxyEndpoints(ext, &info, 1, NULL, NULL),
             STATUS_INSUFFICIENT_RESOURCES);
    test_engine_done(e);
}

static void swap_calling_in_stall(void *arg)
{
    struct phases *p = arg;
    swap_to_v2(g_ext, p, 2);
}

static void test_call_held_by_the_stall(void)
{
    struct hh_engine *e = test_engine();
    PDRIVER_PROXY_EXTENSION ext = make_extension();
    struct phases p;
    memset(&p, 0, sizeof(p));
    p.fail_at = -1;
    p.call_in_stall = 1;
    register_v1(ext);
    CHECK_ABORTS(e, swap_calling_in_stall, &p, HH_RULE_DEADLOCK, "ProxyStalled");
    test_engine_done(e);
}

/* An endpoint that swaps its own extension: its call is in flight at the rundown. */
static NTSTATUS g_swap_status;
static struct phases g_inner;

static NTSTATUS SwapFromInside(PVOID Context, ULONG Item)
{
    (void)Context;
    (void)Item;
    g_swap_status = swap_to_v2(g_ext, &g_inner, 2);
    return STATUS_SUCCESS;
}

static void test_rundown_with_a_call_in_flight(void)
{
    struct hh_engine *e = test_engine();
    PDRIVER_PROXY_EXTENSION ext = make_extension();
    DRIVER_PROXY_ENDPOINT_INFORMATION info;
    int ctx = 0;
    info.Id = ID_QUEUE_WORK;
    info.EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)SwapFromInside;
    info.ParameterCount = 2;
    CHECK_EQ(IoRegisterDriverProxyEndpoints(ext, &info, 1, NULL, NULL), STATUS_SUCCESS);
    memset(&g_inner, 0, sizeof(g_inner));
    g_inner.fail_at = -1;
    g_inner.quiet = 1;
    g_swap_status = STATUS_SUCCESS;
    CHECK_EQ(queue_work_wrapper(ext)(&ctx, 1), STATUS_SUCCESS);
    /* The rundown cannot wait out the caller's own call: the documented timeout. */
    CHECK_EQ(g_swap_status, STATUS_UNSUCCESSFUL);
    CHECK_EQ(g_inner.n, 1);
    CHECK_EQ(g_inner.seen[0], DriverProxyRegisterCallbackPreProcess);
    CHECK_EQ(hh_proxy_in_flight(ext, ID_QUEUE_WORK), 0);
    CHECK(IoGetDriverProxyEndpointWrapper(ext, ID_STATS) == NULL);
    test_engine_done(e);
}

/* A phase callback that registers again on its own extension. */
static NTSTATUS g_nested_status;

static DRIVER_PROXY_REGISTER_CALLBACK RegisterAgain;

static NTSTATUS RegisterAgain(DRIVER_PROXY_REGISTER_CALLBACK_PHASE Phase, PVOID Context)
{
    (void)Context;
    if (Phase == DriverProxyRegisterCallbackPreProcess) {
        struct phases inner;
        memset(&inner, 0, sizeof(inner));
        inner.fail_at = -1;
        inner.quiet = 1;
        g_nested_status = swap_to_v2(g_ext, &inner, 2);
    }
    return STATUS_SUCCESS;
}

static void register_at_dispatch(void *arg)
{
    KIRQL old;
    PQUEUE_WORK wrapper;
    (void)arg;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    /* Any IRQL: the lookups. */
    wrapper = queue_work_wrapper(g_ext);
    CHECK(wrapper != NULL);
    register_v1(g_ext);
}

static void test_registration_contracts(void)
{
    struct hh_engine *e = test_engine();
    PDRIVER_PROXY_EXTENSION ext = make_extension();
    DRIVER_PROXY_ENDPOINT_INFORMATION info;
    int ctx = 0;
    register_v1(ext);
    info.Id = ID_QUEUE_WORK;
    info.EndpointFunction = (PDRIVER_PROXY_ENDPOINT_FUNCTION)QueueWorkV2;
    info.ParameterCount = 2;
    g_nested_status = STATUS_SUCCESS;
    CHECK_EQ(IoRegisterDriverProxyEndpoints(ext, &info, 1, RegisterAgain, NULL), STATUS_SUCCESS);
    CHECK_EQ(g_nested_status, STATUS_UNSUCCESSFUL); /* it would wait for its caller's rundown */
    CHECK_EQ(queue_work_wrapper(ext)(&ctx, 1), 0x201);
    CHECK(IoGetDriverProxyEndpointWrapper(ext, ID_STATS) == NULL); /* nothing of the nested one */
    /* A table with one id twice, or no function, changes nothing. */
    {
        DRIVER_PROXY_ENDPOINT_INFORMATION twice[2];
        twice[0] = info;
        twice[1] = info;
        CHECK_EQ(IoRegisterDriverProxyEndpoints(ext, twice, 2, NULL, NULL),
                 STATUS_INVALID_PARAMETER);
        twice[0].EndpointFunction = NULL;
        CHECK_EQ(IoRegisterDriverProxyEndpoints(ext, twice, 1, NULL, NULL),
                 STATUS_INVALID_PARAMETER);
    }
    CHECK_ABORTS(e, register_at_dispatch, NULL, HH_RULE_IRQL, "IoRegisterDriverProxyEndpoints");
    test_engine_done(e);
}


/* A start context as a driver fills it: the worker endpoint's wrapper, WaitAny on work and
 * stop, `which` as the context. calloc'd: the caller frees it. */
static PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT worker_start(
    PDRIVER_PROXY_EXTENSION ext, int *which, PKEVENT work, PKEVENT stop)
{
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT start =
        calloc(1, sizeof(*start) + sizeof(PKEVENT));
    CHECK(start != NULL);
    start->WorkerRoutine =
        (PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE)IoGetDriverProxyEndpointWrapper(ext, ID_WORKER);
    start->Context = which;
    start->WaitType = WaitAny;
    start->WaitMode = KernelMode;
    start->EventCount = 2;
    start->Events[0] = work;
    start->Events[1] = stop;
    return start;
}

static void test_worker_wrapper_follows_swap(void)
{
    struct hh_engine *e = test_engine();
    PDRIVER_PROXY_EXTENSION ext = make_extension();
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT start, copy;
    KEVENT work, stop;
    struct phases p;
    int which = 0;
    memset(&p, 0, sizeof(p));
    p.fail_at = -1;
    register_v1(ext);
    KeInitializeEvent(&work, SynchronizationEvent, FALSE);
    KeInitializeEvent(&stop, NotificationEvent, FALSE);
    start = worker_start(ext, &which, &work, &stop);
    copy = hh_proxy_copy_start(ext, start);
    free(start); /* the caller may: the kernel has its copy */
    CHECK_EQ(copy->EventCount, 2);
    CHECK(copy->Events[0] == &work && copy->Events[1] == &stop);
    CHECK(copy->Context == &which);
    CHECK(copy->WorkerRoutine != WorkerV1);
    CHECK_EQ(copy->WorkerRoutine(copy->Context, STATUS_WAIT_0), TRUE);
    CHECK_EQ(which, 1);
    CHECK_EQ(hh_proxy_calls(ext, ID_WORKER), 1);
    CHECK_EQ(swap_to_v2(ext, &p, 2), STATUS_SUCCESS);
    CHECK_EQ(copy->WorkerRoutine(copy->Context, STATUS_WAIT_0), FALSE);
    CHECK_EQ(which, 2);
    hh_proxy_free_start(copy);
    test_engine_done(e);
}

struct create_args {
    PDRIVER_PROXY_EXTENSION ext;
    HANDLE thread;
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT start;
    NTSTATUS status;
    KIRQL irql;
};

static void create_worker(void *arg)
{
    struct create_args *a = arg;
    KIRQL old = PASSIVE_LEVEL;
    if (a->irql != PASSIVE_LEVEL)
        KeRaiseIrql(a->irql, &old);
    a->status = IoDriverProxyCreateHotSwappableWorkerThread(a->ext, &a->thread, THREAD_ALL_ACCESS,
                                                            NULL, NULL, NULL, a->start);
    if (a->irql != PASSIVE_LEVEL)
        KeLowerIrql(old);
}

static NTSTATUS create_status(struct create_args *a)
{
    a->status = STATUS_PENDING;
    a->thread = (HANDLE)&a->thread; /* not a thread: must be cleared */
    create_worker(a);
    return a->status;
}

static void test_create_thread_checks(void)
{
    struct hh_engine *e = test_engine();
    PDRIVER_PROXY_EXTENSION ext = make_extension();
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT start;
    struct create_args a;
    KEVENT stop;
    register_v1(ext);
    KeInitializeEvent(&stop, NotificationEvent, FALSE);
    memset(&start, 0, sizeof(start));
    start.WorkerRoutine =
        (PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE)IoGetDriverProxyEndpointWrapper(ext, ID_WORKER);
    start.WaitType = WaitAny;
    start.WaitReason = Executive;
    start.WaitMode = KernelMode;
    start.EventCount = 1;
    start.Events[0] = &stop;
    memset(&a, 0, sizeof(a));
    a.ext = ext;
    a.start = &start;
    /* Valid, but outside driver mode the scenario starts its worker itself: the log says so. */
    CHECK_EQ(create_status(&a), STATUS_NOT_SUPPORTED);
    CHECK(a.thread == NULL);
    CHECK_CONTAINS(e->log, "STATUS_NOT_SUPPORTED: a scenario that names a \"routine\" starts "
                           "its worker itself");
    start.EventCount = 0;
    CHECK_EQ(create_status(&a), STATUS_INVALID_PARAMETER);
    start.EventCount = MAXIMUM_WAIT_OBJECTS + 1;
    CHECK_EQ(create_status(&a), STATUS_INVALID_PARAMETER);
    start.EventCount = 1;
    start.Events[0] = NULL;
    CHECK_EQ(create_status(&a), STATUS_INVALID_PARAMETER);
    start.Events[0] = &stop;
    start.WaitType = WaitNotification;
    CHECK_EQ(create_status(&a), STATUS_INVALID_PARAMETER);
    start.WaitType = WaitAll;
    start.WaitMode = MaximumMode;
    CHECK_EQ(create_status(&a), STATUS_INVALID_PARAMETER);
    start.WaitMode = UserMode;
    CHECK_EQ(create_status(&a), STATUS_NOT_SUPPORTED);
    start.WorkerRoutine = NULL;
    CHECK_EQ(create_status(&a), STATUS_INVALID_PARAMETER);
    a.start = NULL;
    CHECK_EQ(create_status(&a), STATUS_INVALID_PARAMETER);
    a.start = &start;
    /* A raw function pointer is a finding; turned off, the call goes on. */
    start.WorkerRoutine = WorkerV1;
    CHECK_ABORTS(e, create_worker, &a, HH_RULE_RAW_ROUTINE, "is not the wrapper of an endpoint");
    test_engine_done(e);

    e = test_engine();
    a.ext = make_extension();
    register_v1(a.ext);
    e->checks_off[HH_RULE_RAW_ROUTINE] = 1;
    CHECK_EQ(hh_engine_guarded(e, create_worker, &a), 0);
    CHECK_EQ(a.status, STATUS_NOT_SUPPORTED);
    CHECK(!e->failed);
    /* PASSIVE_LEVEL only. */
    start.WorkerRoutine =
        (PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE)IoGetDriverProxyEndpointWrapper(a.ext, ID_WORKER);
    a.irql = APC_LEVEL;
    CHECK_ABORTS(e, create_worker, &a, HH_RULE_IRQL, "IoDriverProxyCreateHotSwappableWorkerThread");
    test_engine_done(e);
}

struct driver_seen {
    unsigned long invocations;
    NTSTATUS status;
    int decision;
};

static void on_driver_invocation(void *user, const struct hh_invocation *inv)
{
    struct driver_seen *seen = user;
    seen->invocations++;
    seen->status = inv->status;
    seen->decision = inv->decision;
}

/* Driver mode: the call configures the engine's worker from the driver's start context (the
 * polarity and callback the player gave) and starts it, which runs until it blocks; the
 * driver may free its start context at once; a second worker is refused. */
static void test_create_thread_in_driver_mode(void)
{
    struct hh_engine *e = test_engine();
    PDRIVER_PROXY_EXTENSION ext = make_extension();
    PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT start;
    struct create_args a;
    struct driver_seen seen;
    KEVENT work, stop;
    int which = 0;
    memset(&seen, 0, sizeof(seen));
    register_v1(ext);
    KeInitializeEvent(&work, SynchronizationEvent, TRUE); /* signaled: the first wait returns */
    KeInitializeEvent(&stop, NotificationEvent, FALSE);
    start = worker_start(ext, &which, &work, &stop);
    hh_worker_allow_driver(e, HH_TRUE_MEANS_TERMINATE, on_driver_invocation, &seen);
    memset(&a, 0, sizeof(a));
    a.ext = ext;
    a.start = start;
    CHECK_EQ(create_status(&a), STATUS_SUCCESS);
    free(start);
    /* The handle is to the worker's thread object, signaled once the routine chose to end. */
    {
        PVOID thread = NULL;
        CHECK(a.thread != NULL);
        CHECK_EQ(ObReferenceObjectByHandle(a.thread, SYNCHRONIZE, *PsThreadType, KernelMode,
                                           &thread, NULL),
                 STATUS_SUCCESS);
        CHECK(thread == (PVOID)e->worker);
        CHECK_EQ(((DISPATCHER_HEADER *)thread)->SignalState, 1);
        ObDereferenceObject(thread);
        CHECK_EQ(ZwClose(a.thread), STATUS_SUCCESS);
    }
    /* WorkerV1 returned TRUE on STATUS_WAIT_0: terminate, read with acpi.sys's polarity. */
    CHECK_EQ(seen.invocations, 1);
    CHECK_EQ(seen.status, STATUS_WAIT_0);
    CHECK_EQ(seen.decision, HH_DECISION_TERMINATE);
    CHECK_EQ(which, 1);
    CHECK_EQ(hh_proxy_calls(ext, ID_WORKER), 1);
    CHECK(e->current == e->driver);
    /* A second worker is a thread of its own, numbered in creation order. */
    a.start = e->start;
    CHECK_EQ(create_status(&a), STATUS_SUCCESS);
    {
        PVOID thread = NULL;
        struct hh_worker *w = hh_engine_workers(e);
        CHECK_EQ(ObReferenceObjectByHandle(a.thread, SYNCHRONIZE, *PsThreadType, KernelMode,
                                           &thread, NULL),
                 STATUS_SUCCESS);
        CHECK(thread != (PVOID)e->worker);
        CHECK(w != NULL && w->next != NULL && w->next->next == NULL);
        CHECK(w->thread == e->worker && w->next->thread == thread);
        CHECK_EQ(w->next->number, 2);
        CHECK(hh_engine_worker_of(e, thread) == w->next);
        ObDereferenceObject(thread);
        CHECK_EQ(ZwClose(a.thread), STATUS_SUCCESS);
    }
    test_engine_done(e);
}

static PQUEUE_WORK g_stale;

static void call_after_unload(void *arg)
{
    int ctx = 0;
    (void)arg;
    g_stale(&ctx, 1);
}

static void test_wrapper_after_unload(void)
{
    struct hh_engine *e = test_engine();
    PDRIVER_PROXY_EXTENSION ext = make_extension();
    register_v1(ext);
    g_stale = queue_work_wrapper(ext);
    hh_proxy_driver_unload(e, &g_driver);
    CHECK(IoGetDriverProxyEndpointWrapper(IoGetDriverProxyExtensionFromDriverObject(&g_driver),
                                          ID_QUEUE_WORK) == NULL);
    CHECK_ABORTS(e, call_after_unload, NULL, HH_RULE_BUGCHECK, "endpoint is gone");
    test_engine_done(e);
}

int main(int argc, char **argv)
{
    static const struct hh_test tests[] = {
        {"features", test_features},
        {"one_extension_per_driver", test_one_extension_per_driver},
        {"wrappers_forward_and_count", test_wrappers_forward_and_count},
        {"swap_switches_the_same_wrapper", test_swap_switches_the_same_wrapper},
        {"failing_phase_rolls_back", test_failing_phase_rolls_back},
        {"parameter_count_must_match", test_parameter_count_must_match},
        {"wrapper_pool_limit", test_wrapper_pool_limit},
        {"call_held_by_the_stall", test_call_held_by_the_stall},
        {"rundown_with_a_call_in_flight", test_rundown_with_a_call_in_flight},
        {"registration_contracts", test_registration_contracts},
        {"worker_wrapper_follows_swap", test_worker_wrapper_follows_swap},
        {"create_thread_checks", test_create_thread_checks},
        {"create_thread_in_driver_mode", test_create_thread_in_driver_mode},
        {"wrapper_after_unload", test_wrapper_after_unload},
    };
    return hh_test_main(argc, argv, tests, HH_TEST_COUNT(tests));
}
