/* no_engine.c - calls the shim with no engine current.
 *
 * The shim must print one line ("hotswap: KeGetCurrentIrql called outside a harness run")
 * and abort; the meson test runs this and checks the exit status and that line on stderr.
 */
#include <hotswap/wdm.h>

int main(void)
{
    return (int)KeGetCurrentIrql();
}
