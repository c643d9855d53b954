/* select.c - which of the found scenarios run: names must be unique (reports key on them),
 * --filter keeps those whose name or file matches a pattern, --shard K/N keeps every Nth
 * from the Kth on, so N machines of a CI matrix split the suite the same way every time.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/glob.h"
#include "common/relpath.h"
#include "msgs.h"
#include "scenario/scenario.h"

struct named {
    const char *name;
    size_t index;
};

static int by_name(const void *a, const void *b)
{
    const struct named *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

int hh_check_unique_names(char **files, struct hh_scenario **scs, size_t n)
{
    struct named *v = malloc((n ? n : 1) * sizeof(*v));
    size_t i, dups = 0;
    if (!v) {
        hh_msg_error("out of memory");
        return 2;
    }
    for (i = 0; i < n; i++) {
        v[i].name = scs[i]->name;
        v[i].index = i;
    }
    qsort(v, n, sizeof(*v), by_name);
    for (i = 1; i < n; i++) {
        size_t first = i - 1;
        while (first > 0 && strcmp(v[first - 1].name, v[i].name) == 0)
            first--;
        if (strcmp(v[i - 1].name, v[i].name) != 0)
            continue;
        hh_msg_error("%s: the scenario name \"%s\" is already the name of %s; reports tell "
                     "scenarios apart by name, so give each its own",
                     files[v[i].index], v[i].name, files[v[first].index]);
        dups++;
    }
    free(v);
    return dups ? 2 : 0;
}

static int matches(const char *pattern, const char *text)
{
    if (strpbrk(pattern, "*?"))
        return hh_glob_match(pattern, text);
    return strstr(text, pattern) != NULL;
}

static int selected(const struct hh_cli *cli, const char *file, const struct hh_scenario *sc)
{
    size_t k;
    if (cli->nfilters == 0)
        return 1;
    for (k = 0; k < cli->nfilters; k++) {
        const char *f = cli->filters[k];
        if (matches(f, sc->name) || matches(f, file) || matches(f, hh_path_base(file)))
            return 1;
    }
    return 0;
}

int hh_select(const struct hh_cli *cli, char **files, struct hh_scenario **scs, size_t n,
              size_t *sel, size_t *nsel)
{
    size_t i, kept = 0, matched = 0;
    for (i = 0; i < n; i++) {
        if (!selected(cli, files[i], scs[i]))
            continue;
        if (cli->nshards == 0 || matched % cli->nshards == cli->shard - 1)
            sel[kept++] = i;
        matched++;
    }
    *nsel = kept;
    if (cli->nfilters && matched == 0) {
        hh_msg_error("--filter%s matches none of the %lu scenarios (by name or file); "
                     "'hotswap-harness validate' lists them",
                     cli->nfilters == 1 ? "" : "s", (unsigned long)n);
        return 2;
    }
    if (kept == 0)
        hh_msg_note("shard %u/%u has none of the %lu scenarios: the other shards run them",
                    cli->shard, cli->nshards, (unsigned long)matched);
    return 0;
}
