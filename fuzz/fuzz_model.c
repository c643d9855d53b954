/* fuzz_model.c - the model target: input bytes are scenario actions (encodings 0x03, 0x04) applied
 * to the modelled objects, so every status the routine sees arises as the kernel would
 * produce it; the scenario's invariants and every contract check are the oracle.
 */
#include "target.h"

static struct hh_fuzz_target target;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    hh_fuzz_target_init(&target, "model", HH_FUZZ_ACCEPT_MODELS, 0, *argc, *argv);
    hh_fuzz_target_ready(&target, *argc, *argv);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return hh_fuzz_target_run(&target, data, size);
}
