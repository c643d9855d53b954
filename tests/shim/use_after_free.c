/* use_after_free.c - reads a pool block after freeing it.
 *
 * Under AddressSanitizer the read must be reported (the pool poisons freed blocks);
 * otherwise it prints the fill byte, "dd". The meson test checks whichever applies.
 */
#include <stdio.h>

#include <hotswap/wdm.h>

#include "engine/engine.h"

int main(void)
{
    struct hh_engine *e = hh_engine_new();
    volatile unsigned char *p;
    unsigned value;
    hh_engine_make_current(e);
    p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0x31306848);
    ExFreePoolWithTag((PVOID)p, 0x31306848);
    value = p[3];
    printf("%02x\n", value);
    hh_engine_make_current(NULL);
    hh_engine_free(e);
    return 0;
}
