/* fuzz_schedule.c - the schedule target: the scenario's steps with their concurrent steps,
 * played under the controlled scheduler, the input's bytes choosing which thread runs at each
 * scheduling point (encoding 0x06); the scenario's expectations, its invariants and every
 * contract check are the oracle, as under `explore`.
 */
#include "target.h"

static struct hh_fuzz_target target;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    hh_fuzz_target_init(&target, "schedule", HH_FUZZ_ACCEPT(HH_FUZZ_FORMAT_SCHEDULE), 0, *argc,
                        *argv);
    hh_fuzz_target_ready(&target, *argc, *argv);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return hh_fuzz_schedule_target_run(&target, data, size);
}
