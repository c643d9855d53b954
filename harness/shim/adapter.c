/* adapter.c - helpers a module's harness-only adapter calls (<hotswap/harness.h>).
 *
 * Looking up a scenario object by name, reading an integer from the scenario's "context"
 * JSON and formatting HotswapDescribeContext output. None of them needs an engine; none
 * keeps state between calls.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>
#include <hotswap/harness.h>

PVOID HotswapFindObject(const HOTSWAP_CONTEXT_ARGS *Args, const char *Name)
{
    ULONG i;
    if (!Args || !Name || !Args->ObjectNames)
        return NULL;
    for (i = 0; i < Args->ObjectCount; i++) {
        if (Args->ObjectNames[i] && strcmp(Args->ObjectNames[i], Name) == 0)
            return Args->Objects[i];
    }
    return NULL;
}

/* Whether d is a whole number a LONG64 holds exactly (JSON numbers arrive as doubles, so
 * integers beyond 2^53 are already rounded when cJSON hands them over). */
static int integral(double d)
{
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
        return 0; /* also NaN */
    return (double)(LONG64)d == d;
}

BOOLEAN HotswapContextGetInt(const HOTSWAP_CONTEXT_ARGS *Args, const char *Key, LONG64 *Value)
{
    cJSON *root, *item;
    BOOLEAN found = FALSE;
    if (!Args || !Args->ContextJson || !Key || !Value)
        return FALSE;
    root = cJSON_ParseWithOpts(Args->ContextJson, NULL, 1);
    item = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, Key) : NULL;
    if (cJSON_IsNumber(item) && integral(item->valuedouble)) {
        *Value = (LONG64)item->valuedouble;
        found = TRUE;
    }
    cJSON_Delete(root);
    return found;
}

SIZE_T HotswapFormat(char *Buffer, SIZE_T Size, const char *Format, ...)
{
    va_list ap;
    int n;
    va_start(ap, Format);
    n = vsnprintf(Buffer, Size, Format, ap);
    va_end(ap);
    if (n < 0) {
        if (Buffer && Size > 0)
            Buffer[0] = '\0';
        return 0;
    }
    return (SIZE_T)n;
}
