/* engine.h - the dispatcher model: objects, waits, timers, the virtual clock and the worker.
 *
 * One engine is one simulated machine for one scenario. Nothing here reads real time or
 * touches the OS: the clock moves only when the driver of the engine (a scenario player, a
 * fuzz target, a test) asks it to, so the same calls give the same results every time.
 * The kernel shim (harness/shim) reaches the engine through hh_engine_current().
 */
#ifndef HH_ENGINE_ENGINE_H
#define HH_ENGINE_ENGINE_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include <hh/hh.h>
#include <hotswap/wdm.h>

#include "common/rules.h"

/* Virtual time: 100 ns ticks since the scenario started (the machine's interrupt time). */
typedef int64_t hh_time;
#define HH_TICKS_PER_MS INT64_C(10000)
/* A due time the clock never reaches: relative intervals past it saturate here (the kernel's
 * due time, interrupt time minus the interval compared unsigned, is some 29,000 years away). */
#define HH_TIME_NEVER INT64_MAX
#define HH_TICKS_PER_SECOND INT64_C(10000000) /* ticks are 100 ns, as in the kernel */
/* System time at the scenario's start: 2026-01-01T00:00:00Z in 100 ns units since 1601. */
#define HH_SYSTEM_TIME_BASE 134116992000000000LL

#define HH_DECISION_CONTINUE 1
#define HH_DECISION_TERMINATE 2

/* What the worker's raw BOOLEAN TRUE means (SPEC: "true_means"). */
#define HH_TRUE_MEANS_CONTINUE 0
#define HH_TRUE_MEANS_TERMINATE 1

#define HH_DEFAULT_LIVELOCK_LIMIT 10000u

/* Spin locks a thread's reports can name; more may be held (KTHREAD.spinlocks counts all). */
#define HH_HELD_LOCKS_MAX 8

/* A thread of the simulated machine: the worker, the scenario's own thread ("driver"), the
 * threads steps name (owners of mutexes, callers of `call` steps), the system worker of work
 * items, and system threads PsCreateSystemThread made (simthread.c). */
struct hh_wait {
    ULONG count;
    PVOID objects[MAXIMUM_WAIT_OBJECTS];
    WAIT_TYPE type;
    KPROCESSOR_MODE mode;
    BOOLEAN alertable;
    BOOLEAN has_deadline; /* FALSE: infinite */
    hh_time deadline;     /* interrupt time at which the wait times out */
    NTSTATUS timeout_status; /* STATUS_TIMEOUT; STATUS_SUCCESS for KeDelayExecutionThread */
};

/* The priority PsCreateSystemThread gives a new system thread. */
#define HH_SYSTEM_THREAD_PRIORITY 8
/* Something a thread holds that it must give back before its routine returns: a lock taken
 * through the lock DDIs, or a critical or guarded region entered, with the source line. */
#define HH_HELD_MAX 32
struct hh_held {
    const void *lock; /* NULL for a region */
    const char *kind; /* "fast mutex", "critical region", ... */
    const char *file; /* NULL when the call passed no site */
    int line;
};

/* The most objects the engine names without owning them (MAXIMUM_WAIT_OBJECTS). */
#define HH_NAMED_MAX 64

struct hh_simthread; /* simthread.c: a system thread's OS thread and baton */

struct _KTHREAD {
    /* A thread is a dispatcher object (HH_OBJECT_THREAD): SignalState 0 while it runs, 1 once
     * it ended, so a wait on it completes at its end. */
    DISPATCHER_HEADER Header;
    unsigned id;
    char name[32];
    KIRQL irql;
    BOOLEAN alerted[2];  /* indexed by KernelMode / UserMode */
    unsigned user_apcs;  /* queued user APCs: a system thread never delivers them */
    BOOLEAN user_apc_pending; /* UserApcPending: set once a wait returned STATUS_USER_APC */
    BOOLEAN wait_next;   /* KeSetEvent(..., Wait=TRUE) left the dispatcher lock held */
    KIRQL wait_irql;     /* the IRQL the next wait restores */
    BOOLEAN blocked;     /* in a wait that has not completed */
    uint64_t wait_seq;   /* when it began that wait: waiters are served first come first */
    BOOLEAN has_pending; /* the wait completed with pending_status; not yet returned */
    BOOLEAN retest;      /* a WaitAll object was signaled: test again when the thread runs */
    NTSTATUS pending_status;
    struct hh_wait wait;
    /* &engine->start_wait when wait was last copied from it: the worker's next wait on it
     * takes only its deadline (the rest of a worker's start wait never changes while it
     * lives; a reset engine's threads start zeroed, and each driver worker has its own). */
    const struct hh_wait *wait_from;
    KTIMER wait_timer;   /* the thread's own timeout timer (WaitKey STATUS_TIMEOUT) */
    unsigned spinlocks;  /* spin locks held */
    /* The first of them, in acquire order, and where the module acquired each (a return
     * address; NULL when unknown). */
    struct hh_held_lock {
        PKSPIN_LOCK lock;
        const void *caller;
    } held_locks[HH_HELD_LOCKS_MAX];
    /* The routine's own wait in progress: which Ke routine, and where the module called it
     * (a return address; NULL when unknown), for a deadlock's report. */
    const char *wait_routine;
    const void *wait_caller;
    /* The timer DPC running on this thread (NULL when none), and its timer: pool blocks it
     * allocates are reported as the DPC's. */
    PKDPC dpc;
    PKTIMER dpc_timer;
    KPRIORITY priority;  /* KeSetPriorityThread's; a system thread starts at 8 */
    LIST_ENTRY mutants;  /* mutexes and mutants it owns, through KMUTANT.MutantListEntry */
    /* APC disabling, counted up (the kernel counts down): critical regions and KMUTEXes held;
     * guarded regions and guarded mutexes held. */
    LONG kernel_apc_disable;
    LONG special_apc_disable;
    unsigned nheld;           /* engine/lock.c: what it holds, the first HH_HELD_MAX in held */
    unsigned nheld_at_call;   /* the worker's, when its routine was called */
    unsigned kmutexes_at_call;
    struct hh_simthread *sim; /* a system thread's own; NULL for every other thread */
    struct _KTHREAD *next;
    /* Last, where an engine reset leaves them: read only up to nheld and the NUL. */
    struct hh_held held[HH_HELD_MAX];
    char lock_wait[240];      /* the lock it blocks on, for a deadlock report; "" otherwise */
};

/* One routine call, as the engine reports it to its driver. */
struct hh_invocation {
    unsigned long index; /* 1-based, across the whole run */
    unsigned worker;     /* driver mode: the worker's creation order (from 1); 0 otherwise */
    hh_time time;
    NTSTATUS status;
    unsigned raw;        /* the BOOLEAN the routine returned */
    int decision;        /* HH_DECISION_* */
    const char *log;     /* DbgPrint output of this invocation, NUL-terminated */
    size_t log_len;
};

struct hh_failure {
    enum hh_rule rule;
    hh_time time;
    unsigned long invocation; /* the invocation it happened in; 0 outside any */
    char message[1024];
};

typedef void (*hh_invocation_fn)(void *user, const struct hh_invocation *inv);

/* An outstanding jump target for failures inside foreign code (routine, DPC, adapter). Each
 * OS thread has its own chain: in a real-clock run the worker and the scenario's thread both
 * run foreign code at once. */
struct hh_guard {
    jmp_buf jb;
    struct hh_guard *prev;
    unsigned lock_depth; /* the dispatcher lock's depth when it was set (real clock) */
};

/* ---- Event recording -------------------------------------------------------------------
 * What happened on the machine, in order, for a picture of the run (a timeline): the
 * engine's driver (a scenario player, a scheduler) installs one sink and hears every state
 * change of a dispatcher object, every routine call, the routine's own waits, each DPC and
 * each pool block made or freed. Nothing is recorded without a sink. */
enum hh_trace_kind {
    HH_TRACE_OBJECT, /* a dispatcher object's state after a change: object, state */
    HH_TRACE_CALL,   /* the worker calls the routine: status (its return is hh_invocation_fn) */
    HH_TRACE_WAIT,   /* a routine's own KeWaitXxx/KeDelayExecutionThread begins: count */
    HH_TRACE_WAITED, /* ... and returns: status */
    HH_TRACE_DPC,    /* a DPC runs: object (its timer; NULL for one KeInsertQueueDpc queued) */
    HH_TRACE_POOL    /* a pool block was allocated (bytes > 0) or freed (bytes < 0): tag */
};

/* A dispatcher object's observable state. */
struct hh_object_state {
    int type;            /* HH_OBJECT_* */
    LONG signal;         /* SignalState: 1/0 events and timers, a semaphore's count, a mutex's
                            1 free / <= 0 owned (recursion depth 1 - signal) */
    const char *owner;   /* a mutex's owning thread's name, or NULL */
    int abandoned;
    hh_time due;         /* a timer's due time while it is armed, else -1 */
    LONG period_ms;
};

struct hh_trace_event {
    enum hh_trace_kind kind;
    hh_time time;
    const char *thread;  /* the thread it happened on ("worker", "driver", a step's thread) */
    PVOID object;        /* OBJECT, DPC */
    struct hh_object_state state; /* OBJECT */
    NTSTATUS status;     /* CALL, WAITED */
    unsigned long count; /* WAIT: objects waited on (0: a delay); POOL: blocks alive after */
    long long bytes;     /* POOL */
    ULONG tag;           /* POOL */
};

typedef void (*hh_trace_fn)(void *user, const struct hh_trace_event *ev);

struct hh_pool; /* shim/pool.c */
struct hh_proxy; /* shim/proxy.c: the Driver Hot Swap extensions and endpoint wrappers */
struct hh_realtime; /* realtime.c: present only in a real-clock run */
struct hh_sched;    /* simthread.c: made by the first PsCreateSystemThread */
struct hh_handles;  /* handle.c: made by the first handle or object reference */
struct hh_explore;  /* explore_sched.c: present only in an explored run */

enum hh_worker_state {
    HH_WORKER_NOT_STARTED,
    HH_WORKER_WAITING,    /* blocked in the start context's wait */
    HH_WORKER_RUNNING,    /* inside the routine */
    HH_WORKER_TERMINATED,
    HH_WORKER_FAILED
};

/* One hot-swappable worker of a driver (driver mode: a driver may create several). The
 * engine's worker fields (worker, state, start, start_wait, running_*, burst*, nested_burst*)
 * are the selected worker's, as a processor's registers are the running thread's: a worker
 * is selected while it runs, and its record here is brought up to date when another is
 * selected (hh_engine_workers). A scenario that names a routine has one worker and no
 * records. */
struct hh_worker {
    unsigned number;         /* creation order, from 1 */
    char routine[64];        /* the routine's exported name ("" when it has none) */
    struct _KTHREAD *thread;
    enum hh_worker_state state;
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start; /* the kernel's copy */
    struct hh_wait start_wait;
    NTSTATUS running_status;
    hh_time running_since;
    unsigned long burst;
    hh_time burst_time, burst_since;
    unsigned long nested_burst;
    hh_time nested_burst_time;
    struct hh_worker *next;
};

struct hh_engine {
    hh_time now;
    uint64_t timer_seq;
    PKTIMER *timers; /* min-heap on (DueTime, Sequence) */
    size_t ntimers, timers_cap;

    struct _KTHREAD *threads; /* every thread; the worker first */
    struct _KTHREAD *worker;
    struct _KTHREAD *driver;  /* the scenario's own thread: steps run on it */
    /* The thread the scenario's OS thread acts as while a `call` step runs driver code on
     * another thread of the machine; NULL: driver. */
    struct _KTHREAD *driver_acting;
    struct _KTHREAD *current; /* the thread whose code is running */
    unsigned next_thread_id;
    uint64_t wait_seq;        /* the last wait_seq handed out */

    /* Worker */
    enum hh_worker_state state;
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start; /* the kernel's copy */
    /* The last run's copy, kept by a reset (poisoned) for the next run's of the same size. */
    DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start_spare;
    size_t start_spare_size;
    struct hh_wait start_wait; /* the wait it describes, made once; the deadline per wait */
    int true_means;
    unsigned long invocations;
    NTSTATUS running_status; /* the status the running (or last) invocation was given */
    hh_time running_since;   /* when it was called */
    unsigned long burst;   /* invocations since the worker last blocked or time moved */
    hh_time burst_time;
    hh_time burst_since;   /* when the first of them was called */
    unsigned long livelock_limit;
    /* Real clock: the longest one invocation may run (rule watchdog), and the longest the
     * worker may go on without blocking (rule livelock); 0: no limit. */
    hh_time watchdog;
    int abandoned; /* a hung routine's thread was left running: keep what it may touch */
    unsigned long nested_burst; /* routine waits in one invocation without time moving */
    hh_time nested_burst_time;  /* the clock at the last of those waits */
    hh_invocation_fn on_invocation;
    void *on_invocation_user;
    /* What the engine's driver is doing outside the routine ("step 2 (steps[1]: set work)"),
     * for the pool blocks allocated then; NULL: "outside any invocation". It returns buf, or
     * a string of static storage (the same text by the same pointer, interned once). */
    const char *(*phase_text)(void *user, char *buf, size_t len);
    void *phase_user;

    /* Failures: the first one (failure, below) is kept; after it the engine refuses to go
     * on. */
    unsigned char checks_off[HH_RULE_COUNT]; /* switchable rules turned off for this run */
    int failed;

    /* A real-clock run: the dispatcher lock, the worker's OS thread, the gates. NULL for the
     * virtual clock, where nothing below locks or sleeps. */
    struct hh_realtime *rt;

    /* DbgPrint capture for the running invocation */
    char *log;
    size_t log_len, log_cap;

    struct hh_pool *pool;
    struct hh_proxy *proxy; /* made by the first IoCreateDriverProxyExtension; NULL before */
    /* Driver mode (hh_worker_allow_driver): IoDriverProxyCreateHotSwappableWorkerThread
     * configures and starts the worker; 0: the engine's driver starts it itself. */
    int driver_mode;
    /* Driver mode: every worker the driver created, in creation order, and the one whose
     * state the worker fields above hold; NULL until the first. */
    struct hh_worker *workers;
    struct hh_worker *selected;

    hh_trace_fn trace;    /* the event sink, or NULL */
    void *trace_user;
    /* The processor's DPC queue (KDPC.DpcListEntry) and whether a DPC is running: DPCs do not
     * nest (dpc.c). */
    LIST_ENTRY dpcs;
    int in_dpc;
    /* Queued I/O work items, the system worker thread that runs them (made on first use) and
     * whether one is running: one system worker, one item at a time (workitem.c). */
    LIST_ENTRY work;
    struct _KTHREAD *system_worker;
    int in_work;
    /* System threads and the baton they run with (NULL until one is created: a run without
     * them never pays for them), and the kernel handle table with the references the driver
     * holds (NULL until the first). */
    struct hh_sched *sched;
    struct hh_handles *handles;
    /* The controlled scheduler of `explore` (explore_sched.c); NULL for every other run,
     * whose DDI entries pay this one NULL test. */
    struct hh_explore *explore;

    /* Scenario objects owned by the engine, and their names for reports. A reset keeps
     * their memory (owned[nowned .. nkept), poisoned, each of owned_sizes bytes) for the
     * next run's objects, which are mostly the same ones in the same order. */
    void **owned;
    const char **owned_names;
    size_t *owned_sizes;
    size_t nowned, owned_cap, nkept;
    /* The "context" JSON HotswapContextGetInt parsed last (shim/adapter.c): its text and its
     * tree, kept across resets (every fuzz run's HotswapCreateContext reads the same). */
    char *context_text;
    void *context_tree;
    const char *context_from; /* the text context_text was copied from (adapter.c) */
    /* The scenario's own "context" text, which stays the same while the engine lives (set by
     * the player at every run's set-up): that text is known by its pointer. */
    const char *context_scenario;
    /* Last, where an engine reset clears only what is read: the failure's message up to its
     * end, the scenario objects the engine does not own (a module's globals) and their names
     * up to nnamed. */
    struct hh_failure failure;
    const void *named[HH_NAMED_MAX];
    const char *named_names[HH_NAMED_MAX];
    size_t nnamed;
};

/* ---- Lifetime ------------------------------------------------------------------------- */
HH_API struct hh_engine *hh_engine_new(void);
HH_API void hh_engine_free(struct hh_engine *e);
/* e as hh_engine_new makes it, keeping the memory it grew (its first two threads, the arrays
 * of objects, timers, log and pool records): one machine reused for many fuzz inputs. Only
 * for a virtual-clock engine whose run has ended (no real-clock thread, none abandoned). */
HH_API void hh_engine_reset(struct hh_engine *e);
/* The pool alone as a reset leaves it: every block dropped, live or quarantined, its memory
 * kept for the next allocations. For code that calls a module on one machine without the
 * player's runs (the bare benchmark baseline), so that an input frees what it allocated. */
HH_API void hh_engine_pool_reset(struct hh_engine *e);
/* A module was unloaded while e lives (a swap's old image): what e keeps by pointers into
 * its code and data (its allocation sites' __FILE__) is dropped. */
HH_API void hh_engine_module_unloaded(struct hh_engine *e);
/* The engine the kernel shim works on in this thread; NULL to detach. */
HH_API void hh_engine_make_current(struct hh_engine *e);
HH_API struct hh_engine *hh_engine_current(void);

/* ---- Objects made by the driver of the engine (owned, freed with the engine) ----------- */
/* Makes h an object of kind (HH_OBJECT_*): sets HhKind, which the engine reads, and Type to
 * the kernel's value for that kind, which a routine may read. */
void hh_object_set_kind(DISPATCHER_HEADER *h, int kind);
HH_API PVOID hh_engine_new_object(struct hh_engine *e, int type);
/* Names an object for reports (the string must outlive the engine's use of it). */
HH_API void hh_engine_name_object(struct hh_engine *e, PVOID object, const char *name);
/* "'work' (synchronization event)", or "a KEVENT at 0x..." for objects the engine did not
 * make; returns buf. */
HH_API const char *hh_engine_describe_object(struct hh_engine *e, PVOID object, char *buf,
                                            size_t len);
/* Where memory the routine uses lies, for reports that must read the same every run: "offset
 * 8 in the block of 64 bytes, tag 'Hh01', allocated at x.c:12 in invocation 3" (pool) or
 * "the global Lock (libm.so+0x4010)" (a module's data); NULL when neither. Returns buf. */
HH_API const char *hh_engine_describe_place(struct hh_engine *e, const void *addr, char *buf,
                                           size_t len);
/* A named thread other than the worker, made on first use. */
HH_API PKTHREAD hh_engine_thread(struct hh_engine *e, const char *name);

/* ---- Failures ------------------------------------------------------------------------- */
/* Records a failure. Inside guarded foreign code it unwinds to the guard and does not
 * return; elsewhere it returns so the caller can stop. */
HH_API void hh_engine_fail(struct hh_engine *e, enum hh_rule rule, const char *fmt, ...)
    HH_PRINTF(3, 4);
HH_API HH_DECLSPEC_NORETURN void hh_engine_abort(struct hh_engine *e, enum hh_rule rule,
                                                 const char *fmt, ...) HH_PRINTF(3, 4)
    HH_NORETURN_ATTR;
/* Runs fn(arg) so that a failure inside it returns here: 0 when fn returned, -1 when a
 * failure unwound it. */
HH_API int hh_engine_guarded(struct hh_engine *e, void (*fn)(void *arg), void *arg);

/* ---- Dispatcher operations (any thread; the shim and the scenario steps share them) ---- */
HH_API LONG hh_event_set(struct hh_engine *e, PRKEVENT ev);
HH_API LONG hh_event_reset(struct hh_engine *e, PRKEVENT ev);
HH_API LONG hh_event_pulse(struct hh_engine *e, PRKEVENT ev);
/* Release by thread t. Mutex not owned by t: STATUS_MUTANT_NOT_OWNED; semaphore past its
 * limit: STATUS_SEMAPHORE_LIMIT_EXCEEDED (state untouched). *prev gets the previous state. */
HH_API NTSTATUS hh_mutant_release(struct hh_engine *e, PKTHREAD t, PRKMUTANT m, LONG *prev);
/* KeReleaseMutant(Abandon = TRUE): any thread may; the mutant becomes free and abandoned
 * whatever its recursion count, and leaves its owner. Returns the previous state. */
HH_API LONG hh_mutant_abandon(struct hh_engine *e, PRKMUTANT m);
HH_API NTSTATUS hh_semaphore_release(struct hh_engine *e, PRKSEMAPHORE s, LONG adjustment,
                                     LONG *prev);
/* Another thread t takes the object without waiting. STATUS_SUCCESS, STATUS_ABANDONED, or
 * STATUS_TIMEOUT when it is not available (t would block). */
HH_API NTSTATUS hh_acquire(struct hh_engine *e, PKTHREAD t, PVOID object);
/* Thread t ends: mutants it holds are abandoned; a KMUTEX held is a bug check. */
HH_API void hh_thread_rundown(struct hh_engine *e, PKTHREAD t);
/* due < 0: relative interval; due >= 0: absolute system time (KeSetTimerEx's DueTime). */
HH_API BOOLEAN hh_timer_set(struct hh_engine *e, PKTIMER t, LONGLONG due, LONG period_ms,
                            PKDPC dpc);
HH_API BOOLEAN hh_timer_cancel(struct hh_engine *e, PKTIMER t);
HH_API void hh_alert(struct hh_engine *e, PKTHREAD t, KPROCESSOR_MODE mode);
HH_API void hh_queue_user_apc(struct hh_engine *e, PKTHREAD t);
/* Thread t returns to user mode, as a Win32 thread does after its wait: its queued user APCs
 * run and UserApcPending clears (KiDeliverApc). A hot-swap worker, a system thread, never
 * does, so the engine itself never calls this: for comparisons with user-mode threads. */
HH_API void hh_user_apcs_delivered(struct hh_engine *e, PKTHREAD t);
HH_API BOOLEAN hh_object_signaled(struct hh_engine *e, PVOID object);

/* ---- Locks (lock.c): what a thread holds, and the wait a contended lock makes ---------- */
/* Records that t took `lock` (or entered a region: lock NULL) at file:line. */
HH_API void hh_held_push(PKTHREAD t, const void *lock, const char *kind, const char *file,
                         int line);
/* Forgets t's latest record of `lock` of `kind`; 0 when there was none. */
HH_API int hh_held_pop(PKTHREAD t, const void *lock, const char *kind);
/* t's latest record of `lock` of `kind`, or NULL. */
HH_API const struct hh_held *hh_held_find(PKTHREAD t, const void *lock, const char *kind);
/* t's latest record of any lock of `kind`, or NULL. */
HH_API const struct hh_held *hh_held_kind(PKTHREAD t, const char *kind);
/* " (taken at file:line)", or "" without a site; returns buf. */
HH_API const char *hh_held_site(const struct hh_held *h, char *buf, size_t len);
/* Code other than the routine ran on t (a DPC, HotswapCreateContext) and returned: what it
 * took since nheld_before/spinlocks_before and still holds is rule held-at-return, naming
 * `who`. */
HH_API void hh_held_check_code(struct hh_engine *e, PKTHREAD t, const char *who,
                               unsigned nheld_before, unsigned spinlocks_before);
/* KMUTEXes t owns. */
HH_API unsigned hh_kmutexes_held(PKTHREAD t);
/* t blocks, kernel mode and not alertable, with no timeout, on `object`: the dispatcher object
 * a contended lock waits on (the kernel's fast mutex waits on an event the same way). This is
 * where another thread runs. `what` names the lock for a deadlock report. Returns the wait's
 * status. */
HH_API NTSTATUS hh_lock_wait(struct hh_engine *e, PKTHREAD t, PVOID object, const char *what);
/* ---- DPCs (dpc.c) ---------------------------------------------------------------------- */
/* KeInsertQueueDpc: FALSE when dpc is already queued. Requests the DPC interrupt: the queue
 * runs at once when the processor's IRQL is below DISPATCH_LEVEL, else when it drops there. */
HH_API BOOLEAN hh_dpc_insert(struct hh_engine *e, PKDPC dpc, PVOID arg1, PVOID arg2);
/* KeRemoveQueueDpc: whether dpc was queued. */
HH_API BOOLEAN hh_dpc_remove(struct hh_engine *e, PKDPC dpc);
/* The DPC interrupt: runs every queued DPC, in queue order, at DISPATCH_LEVEL, unless the
 * processor is at DISPATCH_LEVEL or above or already inside a DPC. The processor is the thread
 * that runs (the scenario's thread when the worker is blocked in a wait). */
HH_API void hh_dpc_dispatch(struct hh_engine *e);

/* ---- I/O work items (workitem.c) -------------------------------------------------------- */
/* What IoAllocateWorkItem hands out: the engine reads and writes it, a module never does. */
struct _IO_WORKITEM {
    PDEVICE_OBJECT device;
    PIO_WORKITEM_ROUTINE routine;
    PVOID context;
    BOOLEAN queued; /* from IoQueueWorkItem until its routine is called */
    LIST_ENTRY entry;
};
/* IoQueueWorkItem's queueing: appends w (not queued) to the system work queue. */
HH_API void hh_work_queue(struct hh_engine *e, PIO_WORKITEM w);
/* The system worker thread's turn: runs every queued work item, in queue order, at
 * PASSIVE_LEVEL as thread "system worker". Nothing happens inside a work item already running.
 * Called after a step's action and after each clock instant (before the worker runs), when the
 * worker blocks, and before a routine's own wait would move the clock (docs/semantics.md). */
HH_API void hh_work_run(struct hh_engine *e);
static inline int hh_work_pending(const struct hh_engine *e)
{
    return e->work.Flink != &e->work && !e->in_work;
}

/* ---- Waits ---------------------------------------------------------------------------- */
/* The kernel's KeWaitForMultipleObjects on thread t. Completes at once when it can (object
 * test, then alert/APC test, then timeout test); otherwise t is left blocked and the call
 * returns STATUS_PENDING. */
HH_API NTSTATUS hh_wait_begin(struct hh_engine *e, PKTHREAD t, const struct hh_wait *w);
/* A blocked thread runs: returns its status if the wait has completed (re-testing a woken
 * WaitAll), else STATUS_PENDING. */
HH_API NTSTATUS hh_wait_poll(struct hh_engine *e, PKTHREAD t);
/* Completes t's blocked wait with `status`, as a signal, an alert or its timeout would, and
 * touches no object: how the status-sequence fuzz target hands the worker a value the model
 * would not produce. Does nothing unless t is blocked with no completion pending. */
HH_API void hh_wait_complete(struct hh_engine *e, PKTHREAD t, NTSTATUS status);
/* Converts a kernel Timeout argument (NULL infinite, <0 relative, >=0 absolute) into w. */
HH_API void hh_wait_set_timeout(struct hh_engine *e, struct hh_wait *w,
                                const LARGE_INTEGER *timeout);

/* ---- Time ----------------------------------------------------------------------------- */
/* The due time of the next queued timer, or -1 when none is queued that the clock can reach
 * (timers at HH_TIME_NEVER stay queued and never expire). */
HH_API hh_time hh_engine_next_due(const struct hh_engine *e);
/* Moves the clock to the next due time (which must be <= limit) and expires every timer due
 * then, in arm order. Returns 0, or -1 when nothing is due by limit. */
HH_API int hh_engine_expire_next(struct hh_engine *e, hh_time limit);

/* ---- The worker ----------------------------------------------------------------------- */
HH_API void hh_worker_configure(struct hh_engine *e,
                                const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start,
                                int true_means, hh_invocation_fn fn, void *user);
/* Creates the worker thread, which makes its first wait and runs until it blocks. */
HH_API void hh_worker_start(struct hh_engine *e);
/* Driver mode: the driver's own IoDriverProxyCreateHotSwappableWorkerThread starts the worker,
 * configured with this polarity and invocation callback and the driver's start context. */
HH_API void hh_worker_allow_driver(struct hh_engine *e, int true_means, hh_invocation_fn fn,
                                   void *user);
/* Driver mode: a new worker (the first is the engine's worker thread, later ones threads of
 * their own, "worker 2", ...) configured from a start context the driver filled (the kernel's
 * copy) and started on the current thread's behalf; routine names its routine in reports
 * (NULL or "": unnamed); *thread (may be NULL) gets its thread. STATUS_NOT_SUPPORTED outside
 * driver mode; STATUS_INSUFFICIENT_RESOURCES for a second worker under the real clock or
 * `explore`, which play one worker (the run fails with rule driver, saying so). */
HH_API NTSTATUS hh_worker_start_driver(
    struct hh_engine *e, const DRIVER_PROXY_HOTSWAP_WORKER_ROUTINE_START_CONTEXT *start,
    const char *routine, PKTHREAD *thread);
/* Driver mode: the workers, in creation order, each record up to date; NULL when none. */
HH_API struct hh_worker *hh_engine_workers(struct hh_engine *e);
/* The worker whose thread is t, or NULL. */
HH_API struct hh_worker *hh_engine_worker_of(struct hh_engine *e, const struct _KTHREAD *t);
/* "worker 2 (AcpiLikeDeviceWorker)", or "worker 2" when its routine has no name; returns
 * buf. */
HH_API const char *hh_worker_label(const struct hh_worker *w, char *buf, size_t len);
/* A thread blocked inside foreign code (a routine's own wait) waits on: queued work items, ready
 * system threads and (for a thread other than the worker) the worker whose wait completed run
 * first, then the clock moves to the next due timer, again and again until the wait completes.
 * A system thread on its own OS thread hands the baton back instead. Fails with "deadlock" when
 * nothing is left that could complete it. */
HH_API NTSTATUS hh_wait_block(struct hh_engine *e, PKTHREAD t);
/* Lets a woken worker run until it blocks again, terminates or fails; then ready system
 * threads, and the worker again when they woke it, until nothing is ready (queued work items
 * first, as always). */
HH_API void hh_worker_run(struct hh_engine *e);
/* Completes the worker's wait with `status` as if the model had produced it, and runs the
 * worker until it blocks (for drivers that feed statuses directly, such as a status-sequence
 * fuzzer). A worker that already terminated is not called: that is rule
 * call-after-terminate. */
HH_API void hh_worker_deliver(struct hh_engine *e, NTSTATUS status);
/* Moves the clock to `until`, firing every timer and timeout at its due time and letting the
 * worker run after each instant. */
HH_API void hh_engine_advance_to(struct hh_engine *e, hh_time until);
/* Replaces the routine at the swap point: the worker is blocked in its wait; the thread is
 * torn down and recreated with the same start context and makes its first wait. */
HH_API void hh_worker_swap(struct hh_engine *e, PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE routine);

/* ---- System threads (simthread.c) -------------------------------------------------------
 * PsCreateSystemThread's threads, each on an OS thread of its own, run one at a time: the
 * scenario's OS thread is the scheduler and hands a baton to one ready thread, which runs
 * until it blocks or ends and hands it back. */
/* Creates a system thread, ready, that will run routine(context) at PASSIVE_LEVEL at the next
 * scheduling point (under explore, an explored thread the strategy runs). STATUS_SUCCESS, STATUS_NOT_SUPPORTED under the real clock,
 * STATUS_INSUFFICIENT_RESOURCES when the OS gives no thread. `caller` names the creator's code
 * (a return address or NULL) in reports. */
HH_API NTSTATUS hh_thread_create(struct hh_engine *e, void (*routine)(PVOID), PVOID context,
                                 const void *caller, PKTHREAD *out);
/* Runs ready system threads (and work items between them) until none is ready or the run
 * failed; 1 when one ran. Only on the scenario's OS thread: elsewhere it returns 0. */
HH_API int hh_sched_run_ready(struct hh_engine *e);
/* Hands the baton to system thread t (ready, or blocked) and takes it back once t blocks or
 * ends; e->current is t meanwhile. The scheduler's one way to run a thread: a scheduler that
 * explores interleavings chooses t here. */
HH_API void hh_sched_switch_to(struct hh_engine *e, PKTHREAD t);
/* Ends the running system thread here (PsTerminateSystemThread); returns only when the caller
 * is not a system thread on its own OS thread. */
HH_API void hh_thread_exit(struct hh_engine *e, NTSTATUS status);
/* Thread t ended: what it owns is run down, then its thread object is signaled. */
HH_API void hh_thread_end(struct hh_engine *e, PKTHREAD t);
/* Every system thread (explored ones too) must have ended by the end of the scenario and once
 * the driver's unload returned: one still running is rule handle-leak (1), else 0. */
HH_API int hh_system_threads_check_ended(struct hh_engine *e);

/* ---- Exploration (explore_sched.c) -----------------------------------------------------
 * The worker, the threads of a scenario's concurrent steps and system threads run one at a
 * time, each on an OS thread of its own, and every DDI entry they make is a scheduling point
 * where a chooser (a search strategy, harness/explore) says which thread goes on. The
 * scenario's own thread (the driver, thread 0) plays the steps once the others have settled.
 * Virtual clock only. */
struct hh_ex_point;
/* The thread to run at a point (harness/explore/strategy.h); anything but an enabled id
 * abandons the run: it goes on without preemptions. */
typedef int (*hh_explore_choose_fn)(void *user, const struct hh_ex_point *pt);
/* One scheduling point of a run, for its account: the thread chosen and what it does next
 * (a DDI's name, "starts", "waits", "wakes", "spins", "returns"); choice: the strategy
 * chose among several. */
struct hh_explore_event {
    unsigned thread;
    const char *ddi;
    int choice;
};
struct hh_explore_log {
    struct hh_explore_event *events; /* owned by the caller: free() it */
    size_t n, cap;
    unsigned long points;  /* every point, recorded or not */
    unsigned long choices; /* points shown to the strategy */
    int abandoned;         /* the strategy abandoned the run, or it was cut: not judged */
    int cut;               /* it passed the limit of scheduling points (200,000) */
    char names[64][32];    /* each thread's name, by id (64: HH_EX_MAX_THREADS) */
    unsigned n_threads;
};
/* The fibers of explored threads (their stacks), kept from one run to the next, and the
 * watchdog's OS thread: one pool serves the runs of one driver thread, one run at a time,
 * and its explored threads run on that thread. Made and freed on it; freeing it frees the
 * fibers and ends the watchdog; no run may use it then. NULL when out of memory. */
struct hh_ex_pool;
HH_API struct hh_ex_pool *hh_ex_pool_new(void);
HH_API void hh_ex_pool_free(struct hh_ex_pool *pool);
/* Runs fn(arg), the driver's code of a run (a run under hh_explore_begin, its steps and its
 * end), on a fiber of the pool's, so that the watchdog watches it too. 0 when fn returned; 1
 * when it held the baton past the run's watchdog limit (its fiber is stopped for good where
 * it was; call hh_explore_driver_hung, then end the run). */
HH_API int hh_ex_pool_run(struct hh_ex_pool *pool, void (*fn)(void *arg), void *arg);
/* The run's driver code was given up on (hh_ex_pool_run said 1): the run fails with rule
 * watchdog, its explored threads are torn down, and the engine and its modules stay. */
HH_API void hh_explore_driver_hung(struct hh_engine *e);
/* The fibers it keeps (it makes one when a run needs more than are free). */
HH_API unsigned hh_ex_pool_size(const struct hh_ex_pool *pool);
/* Puts e (new, worker not started, virtual clock) under the controlled scheduler; the
 * calling OS thread is the driver. log (the caller's, zeroed) gets every point. pool: the
 * threads to run on (NULL: the run makes its own and frees them at its end). 0, or -1. */
HH_API int hh_explore_begin(struct hh_engine *e, hh_explore_choose_fn choose, void *user,
                            struct hh_explore_log *log, struct hh_ex_pool *pool);
/* A new explored thread that runs fn(arg) as t once chosen: a concurrent step. 0, or -1
 * (64 threads, t already running something, or no OS thread). */
HH_API int hh_explore_spawn(struct hh_engine *e, PKTHREAD t, void (*fn)(void *), void *arg);
/* A concurrent advance: a new explored thread t that moves the clock to `until` once chosen,
 * one instant at a time (a scheduling point between two), the DPCs of the timers it expires
 * each a thread of the DPC processor. 0, or -1 as for hh_explore_spawn. */
HH_API int hh_explore_spawn_clock(struct hh_engine *e, PKTHREAD t, hh_time until);
/* The driver waits until every explored thread has settled: the worker blocked in its wait
 * or ended, every spawned thread returned; time moves to the next timer when all wait. */
HH_API void hh_explore_settle(struct hh_engine *e);
/* For the kernel shim (libhotswap's own, not exported). A DDI entry of an explored thread: a scheduling point (the driver's code makes none).
 * object: what it touches (NULL: unknown), access an enum hh_ex_access. */
void hh__ex_point(struct hh_engine *e, const char *ddi, const void *object, int access);
/* An explored thread spins on a spin lock another holds: it runs again once it is free. */
void hh__ex_spin(struct hh_engine *e, const volatile KSPIN_LOCK *lock);
/* Whether this OS thread is one of e's explored threads. */
int hh__ex_on_thread(const struct hh_engine *e);
/* The name of explored thread id (creation order; 0 the driver), or NULL. */
HH_API const char *hh_explore_thread_name(const struct hh_engine *e, unsigned id);

/* ---- Handles and references (handle.c) --------------------------------------------------
 * The run's kernel handle table and the references the driver holds. `caller` is where the
 * driver's code called (a return address, or NULL), named in the reports. */
/* A new handle to object; never NULL. */
HH_API HANDLE hh_handle_open(struct hh_engine *e, PVOID object, const void *caller);
/* The object of an open handle, or NULL. */
HH_API PVOID hh_handle_object(struct hh_engine *e, HANDLE h);
/* ZwClose: STATUS_SUCCESS, STATUS_INVALID_HANDLE for a value never handed out; a handle
 * closed twice is a bug check (a failure that does not return inside foreign code). */
HH_API NTSTATUS hh_handle_close(struct hh_engine *e, HANDLE h, const void *caller);
/* A reference the driver takes and gives back; returns the references it holds after.
 * Dereferencing what it never referenced is a bug check. */
HH_API long hh_object_reference(struct hh_engine *e, PVOID object, const void *caller);
HH_API long hh_object_dereference(struct hh_engine *e, PVOID object, const void *caller);
/* Whether object is one the object manager knows: a thread, or an object a handle was opened
 * to. */
HH_API int hh_object_known(struct hh_engine *e, PVOID object);
/* The end of the run (after the driver's unload): a system thread still running, a handle
 * still open or a reference still held is rule handle-leak, in that order. */
HH_API void hh_engine_check_handles(struct hh_engine *e);

/* ---- The real clock (realtime.c) -------------------------------------------------------
 * The same dispatcher model, driven by the OS: the worker runs on an OS thread of its own
 * while the engine's driver runs on the calling thread; the clock is the OS's monotonic clock
 * since hh_engine_realtime_begin, in whole ticks of `tick` (timers due within one tick expire
 * together, in arm order, as at one clock interrupt); a blocked thread sleeps in the OS until
 * its wait completes. Every dispatcher operation holds the engine's lock (the dispatcher
 * lock), which the driver holds except while it sleeps in the two calls below. */
/* Switches e (new, worker not started) to the real clock. Returns 0, or -1 when the OS would
 * not give a lock, a gate or the worker's thread. */
HH_API int hh_engine_realtime_begin(struct hh_engine *e, hh_time tick);
/* The driver sleeps until the clock reaches `until`, timers firing at their due times. */
HH_API void hh_engine_realtime_sleep_until(struct hh_engine *e, hh_time until);
/* The driver sleeps until the worker is blocked in its own wait (or ended, or the run
 * failed), or the clock reaches `limit` (-1: no limit). Without a limit, a routine blocked in a
 * wait of its own that no timer can end is a deadlock (nothing else will happen before the
 * worker blocks). Returns 1 when settled. */
HH_API int hh_engine_realtime_settle(struct hh_engine *e, hh_time limit);
/* A user APC for the worker (the `apc` step): through the OS's APCs where there are any
 * (Windows: QueueUserAPC; it reaches the model when the worker's thread next sleeps, and the
 * driver's settle waits for that); straight to the model elsewhere or under the virtual clock. */
HH_API void hh_engine_realtime_user_apc(struct hh_engine *e);
/* Ends the worker's OS thread (it leaves its wait; a routine still running is waited for, and
 * one blocked in a wait of its own is ended with a `timeline` failure) and returns e to one
 * thread and the virtual clock, stopped where it was. */
HH_API void hh_engine_realtime_end(struct hh_engine *e);
/* A spinning thread (a spin lock another thread holds): lets go of the dispatcher lock for a
 * few microseconds, so that the holder can run, and takes it back. Real clock only. */
HH_API void hh_engine_realtime_pause(struct hh_engine *e);
/* The dispatcher lock around an engine call from foreign code's thread (the kernel shim):
 * no-ops for the virtual clock; nests. */
HH_API void hh_engine_lock(struct hh_engine *e);
HH_API void hh_engine_unlock(struct hh_engine *e);

/* "PASSIVE_LEVEL", "APC_LEVEL", "DISPATCH_LEVEL" or "IRQL n"; returns buf. */
HH_API const char *hh_irql_name(KIRQL irql, char *buf, size_t len);

/* ---- Event recording (trace.c) -------------------------------------------------------- */
/* Installs the sink (NULL: none). The driver of the engine gets each event as it happens, on
 * the thread it happens on, under the dispatcher lock. */
HH_API void hh_engine_set_trace(struct hh_engine *e, hh_trace_fn fn, void *user);
/* The object's state now. */
HH_API void hh_engine_object_state(const struct hh_engine *e, PVOID object,
                                   struct hh_object_state *out);
/* An event of `kind` on `thread` (NULL: the current one), nothing else set. */
HH_API void hh_trace_event_init(struct hh_trace_event *ev, enum hh_trace_kind kind,
                                const char *thread);
/* Hands ev to the sink with the clock and current thread filled in (for the kernel shim). */
HH_API void hh_engine_trace(struct hh_engine *e, struct hh_trace_event *ev);

/* ---- DbgPrint capture ------------------------------------------------------------------ */
HH_API void hh_engine_log(struct hh_engine *e, const char *text, size_t len);
HH_API void hh_engine_log_clear(struct hh_engine *e);

#endif
