/* bare_status_sequence.c - the benchmark baseline for status-sequence: the same decoding
 * (encoding 0x01, the scenario's alphabet) but the routine called directly in a loop on one
 * context made once, with no model, no fresh machine per input and no checks.
 *
 * Only for measuring what the harness costs per execution (docs/fuzzing.md); never a CI
 * target: it finds nothing but crashes.
 */
#include "target.h"

static struct hh_fuzz_target target;
static PDRIVER_PROXY_HOTSWAP_WORKER_ROUTINE routine;
static PVOID context;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    hh_fuzz_target_init(&target, "bare-status-sequence", HH_FUZZ_ACCEPT(HH_FUZZ_FORMAT_STATUS),
                        0, *argc, *argv);
    hh_session_begin(target.session); /* one machine and one context for every input */
    routine = hh_session_routine(target.session);
    context = hh_session_context(target.session);
    hh_fuzz_target_ready(&target, *argc, *argv);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hh_engine *e = hh_session_engine(target.session);
    NTSTATUS alphabet[HH_FUZZ_ALPHABET_MAX];
    size_t n = hh_fuzz_alphabet(target.sc, alphabet), i;
    int truth = target.sc->true_means == HH_TRUE_MEANS_CONTINUE;
    if (size == 0 || data[0] != HH_FUZZ_FORMAT_STATUS || n == 0)
        return -1;
    for (i = 1; i < size && i <= HH_FUZZ_MAX_ACTIONS; i++) {
        BOOLEAN r = routine(context, alphabet[data[i] % n]);
        target.invocations++;
        hh_engine_log_clear(e);
        if ((r != 0) != truth)
            break; /* terminate */
    }
    return 0;
}
