/* scenario_call.c - a "call" step: an exported function of the module, its arguments, the
 * IRQL it runs at and the value it should return.
 *
 * Whether the module exports the function is known only once it is loaded (play_call.c);
 * here the step is checked for what the file alone says.
 */
#include "scenario_int.h"

#include <stdio.h>
#include <string.h>

/* JSON numbers are doubles: integers from 2^53 on may have been rounded. */
#define EXACT_MAX 9007199254740991LL

static const char *const irql_names[] = {"passive", "apc", "dispatch", NULL};
static const KIRQL irql_levels[] = {PASSIVE_LEVEL, APC_LEVEL, DISPATCH_LEVEL};

/* { "min": A, "max": B }: a value the fuzz input chooses (fuzz calls only). */
static void read_range(struct hh__sc_parser *p, const cJSON *v, const char *path,
                       struct hh_sc_arg *arg)
{
    static const char *const keys[] = {"min", "max", NULL};
    hh__sc_check_keys(p, v, path, keys);
    if (hh__sc_integer(p, v, path, "min", -EXACT_MAX, EXACT_MAX, &arg->min) != HH_SC_OK ||
        hh__sc_integer(p, v, path, "max", -EXACT_MAX, EXACT_MAX, &arg->max) != HH_SC_OK) {
        if (!hh__sc_member(v, "min") || !hh__sc_member(v, "max"))
            hh__sc_error(p, v, path, "a range needs both \"min\" and \"max\", for example "
                         "{ \"min\": 0, \"max\": 255 }");
        return;
    }
    if (arg->min > arg->max) {
        hh__sc_error(p, v, path, "\"min\" %lld is above \"max\" %lld: swap them", arg->min,
                     arg->max);
        return;
    }
    arg->kind = HH_ARG_RANGE;
}

static void read_arg(struct hh__sc_parser *p, const cJSON *v, const char *path, int ranges,
                     struct hh_sc_arg *arg)
{
    long long n;
    if (ranges && cJSON_IsObject(v)) {
        read_range(p, v, path, arg);
        return;
    }
    if (cJSON_IsString(v) && strcmp(v->valuestring, "context") == 0) {
        arg->kind = HH_ARG_CONTEXT;
        return;
    }
    if (cJSON_IsString(v)) {
        arg->kind = HH_ARG_OBJECT;
        arg->object = hh__sc_object_ref(p, v, path);
        return;
    }
    if (!cJSON_IsNumber(v)) {
        char found[80];
        hh__sc_error(p, v, path, "expected an integer, %san object name or \"context\", found %s%s",
                     ranges ? "a range { \"min\": A, \"max\": B }, " : "",
                     hh__sc_describe(v, found, sizeof found),
                     !ranges && cJSON_IsObject(v) ? " (a { \"min\", \"max\" } range is for the "
                                                    "calls under \"fuzz\")" : "");
        return;
    }
    if (hh__sc_integer_value(p, v, path, -EXACT_MAX, EXACT_MAX, &n) != HH_SC_OK)
        return;
    arg->kind = HH_ARG_NUMBER;
    arg->value = (ULONG_PTR)(LONG_PTR)n; /* a negative number is sign-extended, as a LONG is */
}

static void read_args(struct hh__sc_parser *p, const cJSON *step_node, const char *path,
                      int ranges, struct hh_sc_call *call)
{
    const cJSON *v = hh__sc_member(step_node, "args"), *item;
    char sub[HH_SC_PATH_LEN], item_path[HH_SC_PATH_LEN];
    size_t i = 0;
    if (!v)
        return;
    hh__sc_path_key(sub, path, "args");
    if (!cJSON_IsArray(v)) {
        char found[80];
        hh__sc_error(p, v, sub, "expected an array of up to %d arguments, found %s",
                     HH_SC_CALL_ARGS, hh__sc_describe(v, found, sizeof found));
        return;
    }
    if (hh__sc_count(v) > HH_SC_CALL_ARGS) {
        hh__sc_error(p, cJSON_GetArrayItem(v, HH_SC_CALL_ARGS),
                     hh__sc_path_index(item_path, sub, HH_SC_CALL_ARGS),
                     "a call takes at most %d arguments (the ones both the x64 and the AArch64 "
                     "calling conventions pass in registers); this is the fifth",
                     HH_SC_CALL_ARGS);
        return;
    }
    for (item = v->child; item; item = item->next, i++)
        read_arg(p, item, hh__sc_path_index(item_path, sub, i), ranges, &call->args[i]);
    call->nargs = i;
}

static void read_returns(struct hh__sc_parser *p, const cJSON *step_node, const char *path,
                         struct hh_sc_call *call)
{
    const cJSON *v = hh__sc_member(step_node, "returns");
    char sub[HH_SC_PATH_LEN], text[48];
    if (!v)
        return;
    hh__sc_path_key(sub, path, "returns");
    if (cJSON_IsString(v)) {
        NTSTATUS s;
        if (hh__sc_status_value(p, v, sub, &s) != HH_SC_OK)
            return;
        call->returns = (ULONG)s;
        call->returns_status = 1;
        call->returns_text = hh__sc_strdup(p, v->valuestring);
    } else {
        long long n;
        if (hh__sc_integer_value(p, v, sub, -EXACT_MAX, EXACT_MAX, &n) != HH_SC_OK)
            return;
        call->returns = (ULONG_PTR)(LONG_PTR)n;
        /* A 32-bit result (NTSTATUS, ULONG, LONG) leaves the upper half of the register
         * undefined: only a value that needs more bits is compared whole. */
        call->returns_wide = n > 0xFFFFFFFFLL || n < -0x80000000LL;
        if (!call->returns_wide)
            call->returns = (ULONG)call->returns;
        snprintf(text, sizeof text, "%lld", n);
        call->returns_text = hh__sc_strdup(p, text);
    }
    call->has_returns = 1;
}

void hh__sc_read_call(struct hh__sc_parser *p, const cJSON *v, const cJSON *step_node,
                      const char *path, const char *step_path, int ranges,
                      struct hh_sc_step *step)
{
    struct hh_sc_call *call = &step->call;
    int irql = 0;
    if (hh__sc_text_value(p, v, path, "the name of a function the module exports",
                          &call->function) != HH_SC_OK)
        return;
    call->pos = hh_jsonpos_value(p->json, v);
    read_args(p, step_node, step_path, ranges, call);
    hh__sc_choice(p, step_node, step_path, "irql", irql_names, &irql);
    call->irql = irql_levels[irql];
    read_returns(p, step_node, step_path, call);
}
