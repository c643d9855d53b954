/* runner_pool.c - -j at a time: threads take the next scenarios, play them (in a child, or
 * in this process with --no-isolate, then one at a time), and hand verdicts over strictly in
 * file order, so a report reads the same whatever -j was.
 */
#include <stdlib.h>

#include "msgs.h"
#include "platform/plat.h"
#include "runner.h"

struct pool {
    const struct hh_cli *cli;
    const char *self; /* NULL: in this process */
    struct hh_case *cases;
    size_t n;
    size_t next;      /* the next case to start */
    size_t handed;    /* cases handed over so far */
    size_t chunk;     /* cases one child plays */
    unsigned char *done;
    struct hh_plat_mutex *lock;
    hh_case_done_fn fn;
    void *user;
};

static void lock(struct pool *p)
{
    if (p->lock)
        hh_plat_mutex_lock(p->lock);
}

static void unlock(struct pool *p)
{
    if (p->lock)
        hh_plat_mutex_unlock(p->lock);
}

static void work(void *arg)
{
    struct pool *p = arg;
    for (;;) {
        size_t first, n, i;
        lock(p);
        first = p->next;
        n = p->n - first < p->chunk ? p->n - first : p->chunk;
        p->next += n;
        unlock(p);
        if (n == 0)
            return;
        if (p->self)
            hh_run_isolated(p->cli, p->self, &p->cases[first], n);
        else
            hh_run_local(p->cli, &p->cases[first]);
        lock(p);
        for (i = 0; i < n; i++)
            p->done[first + i] = 1;
        while (p->handed < p->n && p->done[p->handed])
            p->fn(p->user, p->handed++);
        unlock(p);
    }
}

/* How many scenarios one child plays: where it forks a copy per scenario, several, so that
 * its start-up is paid once for them; few enough that every job gets work and verdicts come
 * in steadily. HOTSWAP_NO_FORK (set, not empty) starts a program per scenario instead. */
static size_t chunk_size(const struct hh_cli *cli, size_t n, unsigned jobs)
{
    const char *no_fork = hh_plat_getenv("HOTSWAP_NO_FORK");
    size_t chunk = n / ((size_t)jobs * 4);
    if (cli->no_isolate || !hh_plat_can_fork() || (no_fork && no_fork[0]) || chunk < 1)
        return 1;
    return chunk > HH_RUN_CHUNK_MAX ? HH_RUN_CHUNK_MAX : chunk;
}

unsigned hh_run_jobs(const struct hh_cli *cli, size_t n)
{
    unsigned jobs = cli->jobs ? cli->jobs : hh_plat_cpu_count();
    if (cli->no_isolate || n <= 1)
        return 1;
    return jobs > n ? (unsigned)n : jobs;
}

int hh_run_cases(const struct hh_cli *cli, struct hh_case *cases, size_t n,
                 hh_case_done_fn done, void *user)
{
    struct pool p;
    struct hh_plat_thread **threads;
    char self[4096];
    unsigned jobs = hh_run_jobs(cli, n), started = 0, k;
    p.cli = cli;
    p.self = NULL;
    p.cases = cases;
    p.n = n;
    p.next = p.handed = 0;
    p.chunk = chunk_size(cli, n, jobs);
    p.fn = done;
    p.user = user;
    p.lock = NULL;
    p.done = calloc(n ? n : 1, 1);
    if (!p.done) {
        hh_msg_error("out of memory");
        return 2;
    }
    if (!cli->no_isolate) {
        if (hh_plat_self_path(self, sizeof(self)) != 0) {
            hh_msg_error("cannot find the harness's own executable to play each scenario in "
                         "a child process; run with --no-isolate");
            free(p.done);
            return 2;
        }
        p.self = self;
    }
    threads = jobs > 1 ? calloc(jobs - 1, sizeof(*threads)) : NULL;
    if (threads && hh_plat_mutex_new(&p.lock) == 0) {
        for (k = 0; k + 1 < jobs; k++)
            started += hh_plat_thread_start(&threads[started], work, &p) == 0;
    }
    work(&p); /* this thread is one of the jobs */
    for (k = 0; k < started; k++)
        hh_plat_thread_join(threads[k]);
    hh_plat_mutex_free(p.lock);
    free(threads);
    free(p.done);
    return 0;
}
