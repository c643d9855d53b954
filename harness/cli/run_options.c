/* run_options.c - the options of `run` that shape the suite rather than one scenario: how
 * many run at once and how (-j, --timeout, --no-isolate), which (--filter, --shard), and the
 * reports (--format, --output, --color, --no-progress).
 *
 * main.c reads the options every command shares and hands the rest here.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msgs.h"
#include "scenario/scenario.h"

enum opt_id { OPT_JOBS, OPT_TIMEOUT, OPT_NO_ISOLATE, OPT_CHILD, OPT_FILTER, OPT_SHARD,
              OPT_FORMAT, OPT_OUTPUT, OPT_COLOR, OPT_NO_PROGRESS, OPT_TIMELINE,
              OPT_RECORD_TIMELINE };

struct suite_option {
    const char *shrt; /* or NULL */
    const char *lng;
    int takes_value;
    enum opt_id id;
};

static const struct suite_option options[] = {
    {"-j", "--jobs", 1, OPT_JOBS},
    {NULL, "--timeout", 1, OPT_TIMEOUT},
    {NULL, "--no-isolate", 0, OPT_NO_ISOLATE},
    {NULL, "--child", 0, OPT_CHILD},
    {NULL, "--filter", 1, OPT_FILTER},
    {NULL, "--shard", 1, OPT_SHARD},
    {NULL, "--format", 1, OPT_FORMAT},
    {"-o", "--output", 1, OPT_OUTPUT},
    {NULL, "--color", 1, OPT_COLOR},
    {NULL, "--no-progress", 0, OPT_NO_PROGRESS},
    {NULL, "--timeline", 1, OPT_TIMELINE},
    {NULL, "--record-timeline", 0, OPT_RECORD_TIMELINE},
};

static const char *const format_names[] = {"text", "tap", "junit", "json", NULL};
static const char *const color_names[] = {"auto", "always", "never", NULL};

/* Which option argv[*i] is, and its value ("--x=v", "--x v", "-jN", "-j N"). Returns the
 * option, or NULL when it is none of them; *value is NULL when a needed value is missing. */
static const struct suite_option *match(int argc, char **argv, int *i, const char **value)
{
    const char *a = argv[*i];
    size_t k;
    *value = NULL;
    for (k = 0; k < sizeof(options) / sizeof(options[0]); k++) {
        const struct suite_option *o = &options[k];
        size_t n = strlen(o->lng);
        int whole = strcmp(a, o->lng) == 0 || (o->shrt && strcmp(a, o->shrt) == 0);
        if (!whole && o->takes_value && strncmp(a, o->lng, n) == 0 && a[n] == '=') {
            *value = a + n + 1;
            return o;
        }
        if (!whole && o->takes_value && o->shrt && strncmp(a, o->shrt, 2) == 0 && a[2]) {
            *value = a + 2;
            return o;
        }
        if (!whole)
            continue;
        if (o->takes_value && *i + 1 < argc)
            *value = argv[++*i];
        return o;
    }
    return NULL;
}

/* The index of v in names, or -1 after a usage error that lists them. */
static int choose(const char *option, const char *v, const char *const *names,
                  const char *listed)
{
    int k;
    for (k = 0; names[k]; k++) {
        if (strcmp(v, names[k]) == 0)
            return k;
    }
    hh_msg_usage("%s takes %s, not '%s'", option, listed, v);
    return -1;
}

static int parse_count(const char *v, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long n;
    if (v[0] < '0' || v[0] > '9')
        return -1;
    n = strtoul(v, &end, 10);
    if (*end || n == 0 || n > max)
        return -1;
    *out = n;
    return 0;
}

static int parse_shard(const char *v, struct hh_cli *cli)
{
    char *end;
    unsigned long k, n;
    if (v[0] < '0' || v[0] > '9')
        return -1;
    k = strtoul(v, &end, 10);
    if (*end != '/' || end[1] < '0' || end[1] > '9')
        return -1;
    n = strtoul(end + 1, &end, 10);
    if (*end || k < 1 || n < 1 || k > n || n > 100000ul)
        return -1;
    cli->shard = (unsigned)k;
    cli->nshards = (unsigned)n;
    return 0;
}

static int take(struct hh_cli *cli, const struct suite_option *o, const char *v)
{
    unsigned long n;
    int k;
    switch (o->id) {
    case OPT_JOBS:
        if (parse_count(v, 1024ul, &n) != 0) {
            hh_msg_usage("-j takes how many scenarios run at once, 1 to 1024, not '%s'", v);
            return 2;
        }
        cli->jobs = (unsigned)n;
        return 1;
    case OPT_TIMEOUT:
        return hh_parse_timeout(v, cli) != 0 ? 2 : 1;
    case OPT_NO_ISOLATE:
        cli->no_isolate = 1;
        return 1;
    case OPT_CHILD:
        cli->child = 1;
        cli->no_isolate = 1;
        return 1;
    case OPT_FILTER:
        if (cli->nfilters == HH_CLI_MAX_FILTERS) {
            hh_msg_usage("at most %d --filter options", HH_CLI_MAX_FILTERS);
            return 2;
        }
        if (!v[0]) {
            hh_msg_usage("--filter needs a pattern, such as 'queue_*' or 'stop'");
            return 2;
        }
        cli->filters[cli->nfilters++] = v;
        return 1;
    case OPT_SHARD:
        if (parse_shard(v, cli) != 0) {
            hh_msg_usage("--shard takes K/N, this machine's part K of N (1 <= K <= N), such "
                         "as 2/4, not '%s'",
                         v);
            return 2;
        }
        return 1;
    case OPT_FORMAT:
        k = choose("--format", v, format_names, "text, tap, junit or json");
        if (k < 0)
            return 2;
        if (cli->nreports == HH_CLI_MAX_REPORTS) {
            hh_msg_usage("at most %d --format options", HH_CLI_MAX_REPORTS);
            return 2;
        }
        cli->reports[cli->nreports].format = (enum hh_format)k;
        cli->reports[cli->nreports].path = NULL;
        cli->nreports++;
        return 1;
    case OPT_OUTPUT:
        if (cli->nreports == 0 || cli->reports[cli->nreports - 1].path) {
            hh_msg_usage("--output %s: each --output FILE follows the --format it writes, "
                         "such as --format junit --output report.xml",
                         v);
            return 2;
        }
        if (!v[0]) {
            hh_msg_usage("--output needs a file name");
            return 2;
        }
        cli->reports[cli->nreports - 1].path = v;
        return 1;
    case OPT_COLOR:
        k = choose("--color", v, color_names, "auto, always or never");
        if (k < 0)
            return 2;
        cli->color = (enum hh_color)k;
        return 1;
    case OPT_NO_PROGRESS:
        cli->no_progress = 1;
        return 1;
    case OPT_TIMELINE:
        if (!v[0]) {
            hh_msg_usage("--timeline needs a path: an HTML file for one scenario, a folder "
                         "for several");
            return 2;
        }
        cli->timeline = v;
        cli->record_timeline = 1;
        return 1;
    case OPT_RECORD_TIMELINE:
        cli->record_timeline = 1;
        return 1;
    }
    return 0;
}

int hh_parse_suite_option(int argc, char **argv, int *i, struct hh_cli *cli)
{
    const char *v;
    const struct suite_option *o = match(argc, argv, i, &v);
    if (!o)
        return 0;
    if (o->takes_value && !v) {
        hh_msg_usage("option '%s' needs a value", argv[*i]);
        return 2;
    }
    return take(cli, o, v);
}

int hh_check_suite_options(struct hh_cli *cli)
{
    size_t i, j, to_stdout = 0;
    for (i = 0; i < cli->nreports; i++) {
        to_stdout += cli->reports[i].path == NULL;
        for (j = 0; j < i; j++) {
            if (cli->reports[i].path && cli->reports[j].path &&
                strcmp(cli->reports[i].path, cli->reports[j].path) == 0) {
                hh_msg_usage("two reports would go to '%s'; give each its own --output",
                             cli->reports[i].path);
                return 2;
            }
        }
    }
    if (to_stdout > 1) {
        hh_msg_usage("only one --format can go to stdout; write the others with --output FILE");
        return 2;
    }
    return 0;
}
