/* scenario.h - a scenario file, validated, as plain data.
 *
 * The parser turns bytes into a struct hh_scenario or into diagnostics; it never loads a
 * module and never touches the engine. Everything a player needs is resolved here: object
 * names become indexes, durations become 100 ns ticks, status names become numbers.
 */
#ifndef HH_SCENARIO_SCENARIO_H
#define HH_SCENARIO_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include <hotswap/wdm.h>

#include "common/rules.h"
#include "diag.h"

/* Where a JSON value stood in its file: 1-based line and byte column; 0 when unknown. */
struct hh_pos {
    int line;
    int col;
};

#define HH_TIMEOUT_INFINITE 0
#define HH_TIMEOUT_RELATIVE 1 /* ticks from the start of each wait; 0 = poll */
#define HH_TIMEOUT_ABSOLUTE 2 /* ticks after the scenario's start */

struct hh_sc_timeout {
    int kind;
    int64_t ticks;
};

struct hh_sc_object {
    char *name;
    char *global;    /* the module's exported global it is ("global"), or NULL: made here */
    int type;        /* HH_OBJECT_* from <hotswap/wdm.h>; HH_OBJECT_NONE: a global's, read
                        from its header when the run starts */
    size_t same_as;  /* index of the object this entry repeats, or (size_t)-1 */
    int signaled;    /* events */
    char *owner;     /* mutex/mutant held at the start by this thread ("owned"), or NULL */
    LONG count;      /* semaphore */
    LONG limit;      /* semaphore */
    int armed;       /* timers armed at the start with due/period */
    struct hh_sc_timeout due;
    LONG period_ms;
    struct hh_pos pos;
    struct hh_pos global_pos; /* of the "global" value */
    int worker_event;  /* driver mode, a step's "worker.events[N]" or "worker[W].events[N]":
                          N + 1 (the object the driver's start context lists there, known once
                          the worker exists); 0 for every other object */
    unsigned worker;   /* ... and W, the worker's creation order (1 for "worker.events[N]") */
    int from_step;     /* driver mode: not listed in "objects", made by the first step that
                          names it (a place, or a global by its symbol; pos is there) */
    char *from_path;   /* that step's JSON path where it names it, or NULL */
};

struct hh_sc_wait {
    WAIT_TYPE type;       /* WaitAny (default) or WaitAll */
    KPROCESSOR_MODE mode; /* KernelMode (default) or UserMode */
    int alertable;
    KWAIT_REASON reason;  /* Executive by default */
    struct hh_sc_timeout timeout;
};

#define HH_DECISION_ANY 0 /* expectation names no decision */
#define HH_DECISION_CONTINUE 1 /* same values as engine.h */
#define HH_DECISION_TERMINATE 2

/* Which worker an invocation belongs to (driver mode): by creation order, or by the exported
 * name of its routine; neither: not said. */
struct hh_sc_worker_ref {
    unsigned number;     /* 1..64, or 0 */
    char *routine;       /* or NULL */
};

struct hh_sc_expect {
    struct hh_sc_worker_ref worker;
    NTSTATUS status;
    int decision;        /* HH_DECISION_ANY / _CONTINUE / _TERMINATE */
    int has_at;
    int64_t at;          /* ticks after the scenario's start */
    char *log;           /* substring of the invocation's DbgPrint output, or NULL */
    unsigned long repeat; /* >= 1 */
    char path[64];       /* "steps[2].expect[0]" */
    struct hh_pos pos;
};

struct hh_sc_signaled {
    size_t object;
    int value;
};

struct hh_sc_then {
    struct hh_sc_worker_ref worker; /* whose terminated and irql; none: the first worker */
    int has_terminated;
    int terminated;
    struct hh_sc_signaled *signaled;
    size_t nsignaled;
    char *context_json;  /* the expected subset, as JSON text, or NULL */
    int has_irql;
    int irql;
    struct hh_pos pos;
};

enum hh_sc_action {
    HH_ACT_NONE,
    HH_ACT_START,
    HH_ACT_SET,
    HH_ACT_RESET,
    HH_ACT_PULSE,
    HH_ACT_RELEASE,
    HH_ACT_ACQUIRE,
    HH_ACT_ABANDON,
    HH_ACT_TIMER,
    HH_ACT_CANCEL,
    HH_ACT_ALERT,
    HH_ACT_APC,
    HH_ACT_ADVANCE,
    HH_ACT_HOTSWAP,
    HH_ACT_CALL
};

struct hh_sc_hotswap {
    char *module;
    char *routine;   /* defaults to the scenario's routine */
    int unload_old;  /* unload the old image at the swap */
    char *load;      /* driver mode: the new image's load routine (default the scenario's) */
    int has_status;  /* driver mode: the status the load (the swap) must return */
    NTSTATUS status;
    char *status_text;
    /* Driver mode, "phases": per DRIVER_PROXY_REGISTER_CALLBACK_PHASE, whether it is given,
     * and the status its callback must return (STATUS_PENDING: it must not run). */
    int phase_given[3];
    NTSTATUS phase_status[3];
};

/* A call's arguments: at most four, each passed as a ULONG_PTR (scenario_call.c). */
#define HH_SC_CALL_ARGS 4

enum hh_sc_arg_kind {
    HH_ARG_NUMBER,  /* value */
    HH_ARG_OBJECT,  /* the address of the scenario's objects[object] */
    HH_ARG_CONTEXT, /* the routine's context */
    HH_ARG_RANGE    /* "fuzz" calls only: a value in [min, max] chosen by the fuzz input */
};

struct hh_sc_arg {
    enum hh_sc_arg_kind kind;
    ULONG_PTR value;
    size_t object;
    long long min, max; /* HH_ARG_RANGE */
};

struct hh_sc_call {
    char *function;             /* exported by the newest module loaded */
    struct hh_pos pos;          /* of the function's name, for a module that lacks it */
    struct hh_sc_arg args[HH_SC_CALL_ARGS];
    size_t nargs;
    KIRQL irql;                 /* PASSIVE_LEVEL, APC_LEVEL or DISPATCH_LEVEL */
    int has_returns;
    ULONG_PTR returns;
    int returns_wide;           /* compare all bits, not the low 32 (a number past 32 bits) */
    int returns_status;         /* given as a status name: reports name the value returned */
    char *returns_text;         /* as written, for reports */
};

struct hh_sc_step {
    enum hh_sc_action action;
    int has_at;
    int64_t at;              /* ticks after the scenario's start */
    size_t *objects;         /* set/reset/pulse/release/acquire/abandon/timer/cancel targets */
    size_t nobjects;
    LONG count;              /* release of a semaphore: the adjustment (default 1) */
    char *thread;            /* acquire/release/abandon/call: the other thread ("driver" default) */
    int64_t advance;         /* advance: ticks */
    struct hh_sc_timeout due; /* timer */
    LONG period_ms;          /* timer */
    KPROCESSOR_MODE alert_mode; /* alert: KernelMode (default, "alert": true) or UserMode */
    struct hh_sc_worker_ref worker; /* alert, apc: the driver's worker; none: the first */
    struct hh_sc_hotswap hotswap;
    struct hh_sc_call call;
    struct hh_sc_expect *expect;
    size_t nexpect;
    int expect_more;         /* further invocations after the listed ones go unchecked */
    int has_then;
    struct hh_sc_then then;
    char *note;              /* free text shown in reports */
    /* call: under `explore` the call runs on its own thread, interleaved with the worker's
     * routine from this step until the next step that is not concurrent (or the end). */
    int concurrent;
    char path[32];           /* "steps[2]" */
    struct hh_pos pos;
};

struct hh_sc_rule {
    char *pattern;           /* status name with '*' wildcards, or a number as text */
    NTSTATUS *values;        /* the statuses pattern names (hh_status_pattern_values) */
    size_t nvalues;
    int decision;            /* HH_DECISION_CONTINUE / _TERMINATE */
    char path[48];           /* "invariants.decisions[1]" */
};

#define HH_SC_CLOCK_VIRTUAL 1
#define HH_SC_CLOCK_REAL 2

#define HH_TRUE_MEANS_CONTINUE 0
#define HH_TRUE_MEANS_TERMINATE 1

/* Driver mode ("driver"): the module's own load routine starts the worker. */
struct hh_sc_driver {
    char *load;              /* DRIVER_INITIALIZE the module exports (DriverEntry's type) */
    char *unload;            /* DRIVER_UNLOAD, or NULL: the DriverUnload the load routine set */
    struct hh_pos pos;       /* of the "driver" value */
    struct hh_pos load_pos;  /* of the "load" and "unload" values */
    struct hh_pos unload_pos;
};

struct hh_scenario {
    char *file;              /* the path it was read from, as given */
    char *dir;               /* the folder of file ("." when none) */
    char *name;
    char *description;       /* or NULL */
    char *module;            /* the routine's module, or the driver's in driver mode */
    char *routine;           /* NULL in driver mode: the driver's start context names it */
    int driver_mode;         /* "driver" given: objects name the driver's, wait is its own */
    struct hh_sc_driver driver;
    char *context_json;      /* the "context" value as JSON text, or NULL */
    struct hh_sc_object *objects;
    size_t nobjects;
    struct hh_sc_wait wait;
    struct hh_sc_step *steps;
    size_t nsteps;
    size_t start_step;       /* index of the explicit start step, or (size_t)-1 */
    struct hh_sc_step *fuzz_calls; /* "fuzz": { "calls": [...] }: call actions the model
                                    * fuzz input may choose (args may be HH_ARG_RANGE) */
    size_t nfuzz_calls;
    int true_means;          /* HH_TRUE_MEANS_*: the file's, else hh_sc_defaults' */
    int clock;               /* "clock": HH_SC_CLOCK_*, 0 when it names none */
    struct hh_sc_rule *invariants;
    size_t ninvariants;
    unsigned long livelock_limit; /* 0: the harness default */
    unsigned char checks_off[HH_RULE_COUNT]; /* "checks": { "pool-leak": false, ... } */
    /* "schedule": the interleaving `run` follows (docs/explore.md), validated; NULL: none
     * (concurrent steps then run one after the other) */
    char *schedule;
    struct hh_pos schedule_pos;
};

/* No polarity given: a scenario without "true_means" is an error. */
#define HH_TRUE_MEANS_UNSET (-1)

/* What a scenario gets for a key it leaves out, from outside the file (the command line).
 * There is no built-in polarity: the WDK page and shipping drivers disagree, so a scenario
 * without "true_means" is an error unless true_means here is HH_TRUE_MEANS_CONTINUE or
 * HH_TRUE_MEANS_TERMINATE. */
struct hh_sc_defaults {
    int true_means;
};

/* A folder's scenario defaults: a file of this name beside them, { "true_means": ... }. */
#define HH_SUITE_FILE "hotswap-suite.json"

/* Parses a HH_SUITE_FILE into *out (its keys set, the others left as they are). Returns 0,
 * or -1 with every error in diags. */
int hh_sc_defaults_parse(const char *file, const char *text, size_t len,
                         struct hh_sc_defaults *out, struct hh_diags *diags);
/* The defaults for the scenario file at `path`: those of the HH_SUITE_FILE in its folder
 * where it has one, else `base` (NULL: none). Returns 0, or -1 with the errors of that file
 * in diags. */
int hh_sc_defaults_for(const char *path, const struct hh_sc_defaults *base,
                       struct hh_sc_defaults *out, struct hh_diags *diags);

/* Parses and validates a scenario held in memory. `file` names it in diagnostics and fixes
 * sc->dir; `defaults` may be NULL (none). Returns 0 and *out, or -1 with every error found
 * in `diags` (nothing in *out). */
int hh_scenario_parse_with(const char *file, const char *text, size_t len,
                           const struct hh_sc_defaults *defaults, struct hh_scenario **out,
                           struct hh_diags *diags);
/* Reads `path` and parses it; an unreadable or oversized file is a diagnostic too. The
 * HH_SUITE_FILE of its folder, if any, overrides `defaults`. */
int hh_scenario_load_with(const char *path, const struct hh_sc_defaults *defaults,
                          struct hh_scenario **out, struct hh_diags *diags);
/* The same without defaults: every scenario must say its polarity. */
int hh_scenario_parse(const char *file, const char *text, size_t len, struct hh_scenario **out,
                      struct hh_diags *diags);
int hh_scenario_load(const char *path, struct hh_scenario **out, struct hh_diags *diags);
/* HH_TRUE_MEANS_CONTINUE for "continue", HH_TRUE_MEANS_TERMINATE for "terminate", else
 * HH_TRUE_MEANS_UNSET: the values of "true_means" and of --true-means. */
int hh_true_means_from_name(const char *name);
/* "continue" or "terminate": the name of an HH_TRUE_MEANS_* value other than UNSET. */
const char *hh_true_means_name(int true_means);
void hh_scenario_free(struct hh_scenario *sc);
/* An object type as the format spells it ("synchronization_event"), or "object". */
const char *hh_sc_object_type_name(int type);
/* Whether a step doing `action` works on objects of `type` (HH_OBJECT_*). */
int hh_sc_action_takes(enum hh_sc_action action, int type);

/* Whether status s is one the rule covers. */
int hh_sc_rule_covers(const struct hh_sc_rule *r, NTSTATUS s);

/* Index of the object named `name`, or (size_t)-1. */
size_t hh_scenario_object(const struct hh_scenario *sc, const char *name);

#define HH_TICKS_PER_SECOND INT64_C(10000000) /* ticks are 100 ns, as in the kernel */
#define HH_DURATION_MAX (INT64_C(100) * 24 * 3600 * HH_TICKS_PER_SECOND) /* 100 days */

/* "100ms", "1.5s", "250us", "300ns" -> ticks; -1 and a reason on error (bad unit, below the
 * 100 ns resolution, negative, overflow). */
int hh_duration_parse(const char *text, int64_t *ticks, const char **why);
/* Formats ticks exactly in the largest unit they reach: "0", "250ms", "1.5s", "300ns". */
const char *hh_duration_format(int64_t ticks, char *buf, size_t len);

#endif
