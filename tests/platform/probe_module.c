/* probe_module.c - a real module for the loader tests.
 *
 * Built like a routine module (linked against libhotswap, loaded with the platform loader),
 * it exports one function that calls into libhotswap, so loading resolves real imports.
 */
#include <hotswap/wdm.h>

PROBE_EXPORT int hh_probe_answer(void);

PROBE_EXPORT int hh_probe_answer(void)
{
    return (int)(KeQueryTimeIncrement() / 156250u) * 42;
}
