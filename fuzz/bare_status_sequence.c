/* bare_status_sequence.c - the benchmark baseline for status-sequence: the target a driver
 * team would write by hand. The same decoding (encoding 0x01, the scenario's alphabet), and
 * for each input a context made by the module's HotswapCreateContext, the routine called on
 * it directly in a loop, and the context destroyed (its pool blocks dropped): no model, no
 * machine reset, no checks.
 *
 * A context for each input, as libFuzzer asks of every target (an input's run must not
 * depend on the ones before it, or its findings do not reproduce and the corpus grows on
 * state that is not in it). Only for measuring what the harness costs (docs/fuzzing.md);
 * never a CI target: it finds nothing but crashes.
 */
#include "target.h"

static struct hh_fuzz_target target;
static PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE routine;
static HOTSWAP_CREATE_CONTEXT *create;
static HOTSWAP_DESTROY_CONTEXT *destroy;
static HOTSWAP_CONTEXT_ARGS args;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    hh_fuzz_target_init(&target, "bare-status-sequence", HH_FUZZ_ACCEPT(HH_FUZZ_FORMAT_STATUS),
                        0, *argc, *argv);
    hh_session_begin(target.session); /* one machine: its objects and the engine the DDIs use */
    routine = hh_session_routine(target.session);
    hh_session_adapter(target.session, &create, &destroy, &args);
    hh_fuzz_target_ready(&target, *argc, *argv);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hh_engine *e = hh_session_engine(target.session);
    NTSTATUS alphabet[HH_FUZZ_ALPHABET_MAX];
    size_t n = hh_fuzz_alphabet(target.sc, alphabet), i;
    int truth = target.sc->true_means == HH_TRUE_MEANS_CONTINUE;
    PVOID context = NULL;
    if (size == 0 || data[0] != HH_FUZZ_FORMAT_STATUS || n == 0)
        return -1;
    if (create && !NT_SUCCESS(create(&args, &context)))
        return 0;
    for (i = 1; i < size && i <= HH_FUZZ_MAX_ACTIONS; i++) {
        BOOLEAN r = routine(context, alphabet[data[i] % n]);
        target.invocations++;
        hh_engine_log_clear(e);
        if ((r != 0) != truth)
            break; /* terminate */
    }
    if (destroy)
        destroy(context);
    /* Its freed blocks leave the pool's quarantine: an input frees what it allocated, or
     * libFuzzer looks for a leak after each (a re-run and a scan of the heap). */
    hh_engine_pool_reset(e);
    return 0;
}
