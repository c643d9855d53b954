/* adapter.c - helpers a module's harness-only adapter calls (<hotswap/harness.h>).
 *
 * Looking up a scenario object by name, reading an integer from the scenario's "context"
 * JSON and formatting HotswapDescribeContext output. None of them needs an engine. In a
 * virtual-clock run the last "context" parsed stays in the engine, for the next run's
 * HotswapCreateContext (a fuzz session's machine is reset, not freed, between inputs).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <hotswap/harness.h>

#include "common/textput.h"
#include "shim.h"

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

void hh__adapter_free(struct hh_engine *e)
{
    cJSON_Delete(e->context_tree);
    free(e->context_text);
    e->context_tree = NULL;
    e->context_text = NULL;
    e->context_from = NULL;
}

/* text parsed: the engine's kept tree when it is of the same text (the engine keeps it),
 * else a new tree that *own holds for the caller to delete. Only on the virtual clock: a
 * real-clock run's routine runs on a thread of its own. */
static cJSON *parsed(const char *text, cJSON **own)
{
    struct hh_engine *e = hh_engine_current();
    size_t n;
    *own = NULL;
    /* The scenario's own text, the same for every run of a reused engine, is known by its
     * pointer (a JSON object a few hundred bytes long is compared at every call otherwise). */
    if (e && !e->rt && e->context_text &&
        ((text == e->context_from && text == e->context_scenario) ||
         hh_text_same(e->context_text, text))) {
        e->context_from = text;
        return e->context_tree;
    }
    *own = cJSON_ParseWithOpts(text, NULL, 1);
    if (!e || e->rt)
        return *own;
    n = strlen(text) + 1;
    hh__adapter_free(e);
    e->context_text = malloc(n);
    if (!e->context_text)
        return *own;
    memcpy(e->context_text, text, n);
    e->context_from = text;
    e->context_tree = *own;
    *own = NULL;
    return e->context_tree;
}

BOOLEAN HotswapContextGetInt(const HOTSWAP_CONTEXT_ARGS *Args, const char *Key, LONG64 *Value)
{
    cJSON *root, *item, *own;
    BOOLEAN found = FALSE;
    if (!Args || !Args->ContextJson || !Key || !Value)
        return FALSE;
    root = parsed(Args->ContextJson, &own);
    item = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, Key) : NULL;
    if (cJSON_IsNumber(item) && integral(item->valuedouble)) {
        *Value = (LONG64)item->valuedouble;
        found = TRUE;
    }
    cJSON_Delete(own);
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
