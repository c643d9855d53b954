/* lock_common.c - what the fast-mutex, resource and push-lock files share: naming a lock in a
 * report, the initialized check, and the thread-is-owner text.
 */
#define HOTSWAP_NO_LOCK_SITES
#include "lock_common.h"

#include <stdio.h>

#include "pool.h"

const char *hh_lock_name(struct hh_engine *e, const char *kind, const void *lock, char *buf,
                         size_t len)
{
    char where[400];
    /* No address outside the pool: reports must read the same on every run. */
    if (hh_pool_where(e->pool, lock, where, sizeof(where)))
        snprintf(buf, len, "the %s at %s", kind, where);
    else
        snprintf(buf, len, "a %s outside pool memory (a global or a stack variable)", kind);
    return buf;
}

void hh_lock_require_init(struct hh_engine *e, const char *routine, const char *kind,
                          const void *lock, ULONG magic, ULONG want, const char *init)
{
    char name[480];
    if (magic == want)
        return;
    hh_engine_abort(e, HH_RULE_LOCK,
                    "%s on %s that %s never initialized (or that was deleted): the kernel "
                    "works on whatever the memory holds; call %s first",
                    routine, hh_lock_name(e, kind, lock, name, sizeof(name)), init, init);
}

const char *hh_lock_owner_text(PKTHREAD owner, char *buf, size_t len)
{
    if (owner)
        snprintf(buf, len, "thread '%s' holds it", owner->name);
    else
        snprintf(buf, len, "nobody holds it");
    return buf;
}

const char *hh_lock_call(const char *routine, const char *file, int line, char *buf, size_t len)
{
    if (file)
        snprintf(buf, len, "%s at %s:%d", routine, file, line);
    else
        snprintf(buf, len, "%s", routine);
    return buf;
}

int hh_lock_apcs_disabled(const struct _KTHREAD *t)
{
    return t->irql >= APC_LEVEL || t->kernel_apc_disable != 0 || t->special_apc_disable != 0;
}
