/* libfuzzer_flags.c - libFuzzer's flags (clang 14, FuzzerFlags.def), checked before any
 * fuzzing starts: a misspelt or malformed flag is a usage error here, where libFuzzer would
 * only warn and run on without it.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_fuzz.h"
#include "common/suggest.h"
#include "msgs.h"
#include "platform/plat.h"

#define NUMBER 0 /* an integer, at least the flag's minimum */
#define TEXT 1   /* a path or a word */

struct flag {
    const char *name;
    int kind;
    long min;
};

static const struct flag flags[] = {
    {"verbosity", NUMBER, 0},
    {"seed", NUMBER, 0},
    {"runs", NUMBER, -1},
    {"max_len", NUMBER, 0},
    {"len_control", NUMBER, 0},
    {"seed_inputs", TEXT, 0},
    {"keep_seed", NUMBER, 0},
    {"cross_over", NUMBER, 0},
    {"cross_over_uniform_dist", NUMBER, 0},
    {"mutate_depth", NUMBER, 1},
    {"reduce_depth", NUMBER, 0},
    {"shuffle", NUMBER, 0},
    {"prefer_small", NUMBER, 0},
    {"timeout", NUMBER, 0},
    {"error_exitcode", NUMBER, 1},
    {"timeout_exitcode", NUMBER, 1},
    {"max_total_time", NUMBER, 0},
    {"help", NUMBER, 0},
    {"fork", NUMBER, 0},
    {"fork_corpus_groups", NUMBER, 0},
    {"ignore_timeouts", NUMBER, 0},
    {"ignore_ooms", NUMBER, 0},
    {"ignore_crashes", NUMBER, 0},
    {"merge", NUMBER, 0},
    {"set_cover_merge", NUMBER, 0},
    {"stop_file", TEXT, 0},
    {"merge_control_file", TEXT, 0},
    {"minimize_crash", NUMBER, 0},
    {"cleanse_crash", NUMBER, 0},
    {"mutation_graph_file", TEXT, 0},
    {"use_counters", NUMBER, 0},
    {"use_memmem", NUMBER, 0},
    {"use_value_profile", NUMBER, 0},
    {"use_cmp", NUMBER, 0},
    {"shrink", NUMBER, 0},
    {"reduce_inputs", NUMBER, 0},
    {"jobs", NUMBER, 0},
    {"workers", NUMBER, 0},
    {"reload", NUMBER, 0},
    {"report_slow_units", NUMBER, 0},
    {"only_ascii", NUMBER, 0},
    {"dict", TEXT, 0},
    {"artifact_prefix", TEXT, 0},
    {"exact_artifact_path", TEXT, 0},
    {"print_pcs", NUMBER, 0},
    {"print_funcs", NUMBER, 0},
    {"print_final_stats", NUMBER, 0},
    {"print_corpus_stats", NUMBER, 0},
    {"print_coverage", NUMBER, 0},
    {"print_full_coverage", NUMBER, 0},
    {"dump_coverage", NUMBER, 0},
    {"handle_segv", NUMBER, 0},
    {"handle_bus", NUMBER, 0},
    {"handle_abrt", NUMBER, 0},
    {"handle_ill", NUMBER, 0},
    {"handle_fpe", NUMBER, 0},
    {"handle_int", NUMBER, 0},
    {"handle_term", NUMBER, 0},
    {"handle_xfsz", NUMBER, 0},
    {"handle_usr1", NUMBER, 0},
    {"handle_usr2", NUMBER, 0},
    {"handle_winexcept", NUMBER, 0},
    {"close_fd_mask", NUMBER, 0},
    {"detect_leaks", NUMBER, 0},
    {"purge_allocator_interval", NUMBER, -1},
    {"trace_malloc", NUMBER, 0},
    {"rss_limit_mb", NUMBER, 0},
    {"malloc_limit_mb", NUMBER, 0},
    {"exit_on_src_pos", TEXT, 0},
    {"exit_on_item", TEXT, 0},
    {"ignore_remaining_args", NUMBER, 0},
    {"focus_function", TEXT, 0},
    {"entropic", NUMBER, 0},
    {"entropic_feature_frequency_threshold", NUMBER, 0},
    {"entropic_number_of_rarest_features", NUMBER, 0},
    {"entropic_scale_per_exec_time", NUMBER, 0},
    {"analyze_dict", NUMBER, 0},
    {"use_clang_coverage", NUMBER, 0},
    {"data_flow_trace", TEXT, 0},
    {"collect_data_flow", TEXT, 0},
    {"create_missing_dirs", NUMBER, 0},
};

#define NFLAGS (sizeof(flags) / sizeof(flags[0]))

static const struct flag *find(const char *name, size_t len)
{
    size_t i;
    for (i = 0; i < NFLAGS; i++) {
        if (strlen(flags[i].name) == len && strncmp(flags[i].name, name, len) == 0)
            return &flags[i];
    }
    return NULL;
}

static const char *closest(const char *name)
{
    struct hh_suggest s;
    size_t i;
    hh_suggest_init(&s, name);
    for (i = 0; i < NFLAGS; i++)
        hh_suggest_offer(&s, flags[i].name);
    return hh_suggest_result(&s);
}

static int check_one(const char *a, int create_dirs)
{
    const char *eq, *near;
    const struct flag *f;
    char name[64], *end;
    long v;
    if (a[0] != '-') {
        if (create_dirs || hh_plat_path_kind(a) != HH_PLAT_NONE)
            return 0;
        hh_msg_usage("libFuzzer argument '%s' is neither a flag nor an existing corpus folder "
                     "or input file: create the folder first (or add -create_missing_dirs=1)",
                     a);
        return 2;
    }
    if (a[1] == '-') {
        hh_msg_usage("'%s': libFuzzer's flags take one dash and a value, such as -runs=1000",
                     a);
        return 2;
    }
    eq = strchr(a, '=');
    if (!eq || eq == a + 1) {
        hh_msg_usage("'%s': libFuzzer's flags are strictly -name=value, such as "
                     "-max_total_time=60",
                     a);
        return 2;
    }
    f = find(a + 1, (size_t)(eq - a - 1));
    if (!f) {
        size_t n = (size_t)(eq - a - 1) < sizeof(name) - 1 ? (size_t)(eq - a - 1)
                                                            : sizeof(name) - 1;
        memcpy(name, a + 1, n);
        name[n] = '\0';
        near = closest(name);
        if (near)
            hh_msg_usage("'%s': libFuzzer has no flag '%s'; did you mean -%s?", a, name, near);
        else
            hh_msg_usage("'%s': libFuzzer has no flag '%s' (see its -help=1)", a, name);
        return 2;
    }
    if (f->kind == TEXT)
        return 0;
    v = strtol(eq + 1, &end, 10);
    if (!eq[1] || *end || v < f->min) {
        hh_msg_usage("'%s': -%s takes a whole number%s", a, f->name,
                     f->min > 0 ? " from 1" : f->min == 0 ? ", 0 or more" : ", -1 or more");
        return 2;
    }
    return 0;
}

int hh_libfuzzer_has(char **args, int n, const char *name)
{
    size_t len = strlen(name);
    int i;
    for (i = 0; i < n; i++) {
        if (args[i][0] == '-' && strncmp(args[i] + 1, name, len) == 0 &&
            args[i][len + 1] == '=')
            return 1;
    }
    return 0;
}

int hh_libfuzzer_check(char **args, int n)
{
    int i, create = 0;
    for (i = 0; i < n; i++)
        create |= strcmp(args[i], "-create_missing_dirs=1") == 0;
    for (i = 0; i < n; i++) {
        if (check_one(args[i], create) != 0)
            return 2;
    }
    return 0;
}
