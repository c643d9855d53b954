/* scenario_fuzz.c - "fuzz": what a fuzz session may do besides the actions the objects allow.
 *
 * "calls" lists call actions the model fuzz input may choose: an exported function (a
 * driver's producer), its thread and IRQL, and arguments that may be ranges the input picks
 * a value from. Each is read as a call step is (scenario_call.c), so it plays as one.
 */
#include "scenario_int.h"

#include <stdio.h>
#include <string.h>

#define FUZZ_CALLS_MAX 64 /* the model's call byte picks among these */

static void read_fuzz_call(struct hh__sc_parser *p, const cJSON *v, const char *path,
                           struct hh_sc_step *step)
{
    static const char *const keys[] = {"call", "args", "thread", "irql", "returns", NULL};
    const cJSON *fn, *thread;
    char sub[HH_SC_PATH_LEN];
    step->action = HH_ACT_CALL;
    step->count = 1;
    snprintf(step->path, sizeof(step->path), "%s", path);
    if (!hh__sc_is_object(p, v, path, "an object such as { \"call\": \"F\", \"args\": "
                          "[{ \"min\": 0, \"max\": 255 }] }"))
        return;
    hh__sc_check_keys(p, v, path, keys);
    fn = hh__sc_required(p, v, path, "call", "the exported function the fuzz input may call");
    if (fn)
        hh__sc_read_call(p, fn, v, hh__sc_path_key(sub, path, "call"), path, 1, step);
    thread = hh__sc_member(v, "thread");
    if (!thread)
        step->thread = hh__sc_strdup(p, "driver");
    else
        hh__sc_thread_value(p, thread, hh__sc_path_key(sub, path, "thread"), &step->thread);
}

void hh__sc_read_fuzz(struct hh__sc_parser *p, const cJSON *root)
{
    static const char *const keys[] = {"calls", NULL};
    const cJSON *fuzz = hh__sc_member(root, "fuzz"), *calls, *item;
    char path[HH_SC_PATH_LEN];
    size_t i = 0;
    if (!fuzz || !hh__sc_is_object(p, fuzz, "fuzz", "an object such as { \"calls\": [...] }"))
        return;
    hh__sc_check_keys(p, fuzz, "fuzz", keys);
    calls = hh__sc_member(fuzz, "calls");
    if (!calls)
        return;
    if (!cJSON_IsArray(calls) || hh__sc_count(calls) > FUZZ_CALLS_MAX) {
        char found[80];
        hh__sc_error(p, calls, "fuzz.calls", "expected an array of up to %d calls, found %s",
                     FUZZ_CALLS_MAX, cJSON_IsArray(calls) ? "more"
                                     : hh__sc_describe(calls, found, sizeof found));
        return;
    }
    if (hh__sc_count(calls) == 0)
        return;
    p->sc->fuzz_calls = hh__sc_calloc(p, hh__sc_count(calls), sizeof(*p->sc->fuzz_calls));
    if (!p->sc->fuzz_calls)
        return;
    for (item = calls->child; item; item = item->next, i++) {
        read_fuzz_call(p, item, hh__sc_path_index(path, "fuzz.calls", i),
                       &p->sc->fuzz_calls[i]);
        p->sc->nfuzz_calls = i + 1;
    }
}
