/* rtl.c - the Rtl memory routines wdm.h cannot express as a plain C macro.
 *
 * RtlCompareMemory counts matching bytes; the other Rtl*Memory routines are memset/memcpy
 * macros in <hotswap/wdm.h>.
 */
#include <hotswap/wdm.h>

SIZE_T HhRtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length)
{
    const UCHAR *a = Source1, *b = Source2;
    SIZE_T i = 0;
    while (i < Length && a[i] == b[i])
        i++;
    return i;
}
