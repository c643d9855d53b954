/* fuzz_status_sequence.c - the status-sequence target: input bytes are a sequence of wait
 * statuses (encoding 0x01, or 0x02 with --any-status), each made the worker's wait result
 * in turn, with the scenario's invariants and every contract check as the oracle.
 */
#include "target.h"

static struct hh_fuzz_target target;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    hh_fuzz_target_init(&target, "status-sequence", HH_FUZZ_ACCEPT(HH_FUZZ_FORMAT_STATUS),
                        HH_FUZZ_ACCEPT(HH_FUZZ_FORMAT_STATUS_ANY), *argc, *argv);
    hh_fuzz_target_ready(&target, *argc, *argv);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return hh_fuzz_target_run(&target, data, size);
}
