/* handle.c - the run's kernel handle table and the object references the driver holds.
 *
 * A handle is the kernel's shape of one: a multiple of 4 with the kernel-handle bit set
 * (0xFFFFFFFF80000004 on 64-bit hosts), never NULL. Slots are never reused within a run, so a
 * second ZwClose of a handle is told apart from a bad value: the kernel bug-checks
 * INVALID_KERNEL_HANDLE for a kernel handle closed twice. A reference is counted per taking,
 * with where the driver took it, so that one never given back names its line at the end.
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/plat.h"

struct handle_slot {
    PVOID object;
    const void *opened_at;
    const void *closed_at;
    int open;
};

struct reference {
    PVOID object;
    const void *taken_at;
};

struct hh_handles {
    struct handle_slot *slots;
    size_t nslots, slots_cap;
    struct reference *refs;
    size_t nrefs, refs_cap;
};

/* The kernel-handle bit (0x80000000), sign-extended as a kernel handle is. */
#define KERNEL_HANDLE_BASE ((ULONG_PTR)(LONG_PTR)INT32_MIN)

static void *grow(void *p, size_t *cap, size_t size)
{
    size_t n = *cap ? *cap * 2 : 16;
    void *q = realloc(p, n * size);
    if (!q) {
        fputs("hotswap: out of memory\n", stderr);
        abort();
    }
    *cap = n;
    return q;
}

static struct hh_handles *table(struct hh_engine *e)
{
    if (!e->handles) {
        e->handles = calloc(1, sizeof(*e->handles));
        if (!e->handles) {
            fputs("hotswap: out of memory\n", stderr);
            abort();
        }
    }
    return e->handles;
}

void hh__handles_free(struct hh_engine *e)
{
    if (!e->handles)
        return;
    free(e->handles->slots);
    free(e->handles->refs);
    free(e->handles);
    e->handles = NULL;
}

static HANDLE handle_value(size_t slot)
{
    return (HANDLE)(KERNEL_HANDLE_BASE + (ULONG_PTR)(slot + 1) * 4u);
}

/* The slot of handle value h, or NULL when no handle of the run ever had that value. */
static struct handle_slot *slot_of(struct hh_engine *e, HANDLE h)
{
    ULONG_PTR n = (ULONG_PTR)h - KERNEL_HANDLE_BASE;
    if (!e->handles || n == 0 || n % 4u != 0 || n / 4u > e->handles->nslots)
        return NULL;
    return &e->handles->slots[n / 4u - 1];
}

/* "Routine at x.c:4 (m.so+0x10)" for a return address, or "an unknown place"; returns buf. */
static const char *site_text(const void *at, char *buf, size_t len)
{
    if (!at || !hh_plat_code_site(at, 1, buf, len))
        snprintf(buf, len, "an unknown place");
    return buf;
}

HANDLE hh_handle_open(struct hh_engine *e, PVOID object, const void *caller)
{
    struct hh_handles *hs = table(e);
    struct handle_slot *s;
    if (hs->nslots == hs->slots_cap)
        hs->slots = grow(hs->slots, &hs->slots_cap, sizeof(*hs->slots));
    s = &hs->slots[hs->nslots];
    s->object = object;
    s->opened_at = caller;
    s->closed_at = NULL;
    s->open = 1;
    return handle_value(hs->nslots++);
}

PVOID hh_handle_object(struct hh_engine *e, HANDLE h)
{
    struct handle_slot *s = slot_of(e, h);
    return s && s->open ? s->object : NULL;
}

NTSTATUS hh_handle_close(struct hh_engine *e, HANDLE h, const void *caller)
{
    struct handle_slot *s = slot_of(e, h);
    char what[160], opened[600], closed[600];
    if (!s)
        return STATUS_INVALID_HANDLE;
    if (!s->open) {
        hh_engine_fail(e, HH_RULE_BUGCHECK,
                       "ZwClose of handle 0x%llx (to %s, opened at %s), which was already "
                       "closed at %s: the kernel bug-checks INVALID_KERNEL_HANDLE (0x93) for a "
                       "kernel handle closed twice",
                       (unsigned long long)(ULONG_PTR)h,
                       hh_engine_describe_object(e, s->object, what, sizeof(what)),
                       site_text(s->opened_at, opened, sizeof(opened)),
                       site_text(s->closed_at, closed, sizeof(closed)));
        return STATUS_INVALID_HANDLE;
    }
    s->open = 0;
    s->closed_at = caller;
    return STATUS_SUCCESS;
}

static long references_to(const struct hh_handles *hs, PVOID object)
{
    long n = 0;
    size_t i;
    for (i = 0; i < hs->nrefs; i++)
        n += hs->refs[i].object == object;
    return n;
}

long hh_object_reference(struct hh_engine *e, PVOID object, const void *caller)
{
    struct hh_handles *hs = table(e);
    if (hs->nrefs == hs->refs_cap)
        hs->refs = grow(hs->refs, &hs->refs_cap, sizeof(*hs->refs));
    hs->refs[hs->nrefs].object = object;
    hs->refs[hs->nrefs].taken_at = caller;
    hs->nrefs++;
    return references_to(hs, object);
}

long hh_object_dereference(struct hh_engine *e, PVOID object, const void *caller)
{
    struct hh_handles *hs = table(e);
    size_t i = hs->nrefs;
    char what[160], at[600];
    /* The latest taking goes first: a balanced pair leaves the older ones' sites in place. */
    while (i-- > 0) {
        if (hs->refs[i].object == object) {
            memmove(&hs->refs[i], &hs->refs[i + 1], (hs->nrefs - i - 1) * sizeof(*hs->refs));
            hs->nrefs--;
            return references_to(hs, object);
        }
    }
    hh_engine_fail(e, HH_RULE_BUGCHECK,
                   "ObDereferenceObject of %s at %s drops a reference the driver never took "
                   "(ObReferenceObject, ObReferenceObjectByHandle): the object is freed while "
                   "the system still uses it, and the kernel bug-checks REFERENCE_BY_POINTER "
                   "(0x18) once its count goes below zero",
                   hh_engine_describe_object(e, object, what, sizeof(what)),
                   site_text(caller, at, sizeof(at)));
    return 0;
}

int hh_object_known(struct hh_engine *e, PVOID object)
{
    size_t i;
    if (((const DISPATCHER_HEADER *)object)->HhKind == HH_OBJECT_THREAD)
        return 1;
    for (i = 0; e->handles && i < e->handles->nslots; i++) {
        if (e->handles->slots[i].object == object)
            return 1;
    }
    return 0;
}

/* The first few of what is left, "; "-separated, and how many more. */
#define LEFT_SHOWN 4

static void check_open_handles(struct hh_engine *e, const struct hh_handles *hs)
{
    char list[2000], what[160], at[600];
    size_t i, open = 0, used = 0;
    list[0] = '\0';
    for (i = 0; i < hs->nslots; i++) {
        const struct handle_slot *s = &hs->slots[i];
        if (!s->open)
            continue;
        if (open++ < LEFT_SHOWN && used < sizeof(list)) {
            int n = snprintf(list + used, sizeof(list) - used, "%shandle 0x%llx to %s, opened at %s",
                             used ? "; " : "", (unsigned long long)(ULONG_PTR)handle_value(i),
                             hh_engine_describe_object(e, s->object, what, sizeof(what)),
                             site_text(s->opened_at, at, sizeof(at)));
            used += n > 0 ? (size_t)n : 0;
        }
    }
    if (!open)
        return;
    if (open > LEFT_SHOWN && used < sizeof(list))
        snprintf(list + used, sizeof(list) - used, "; and %lu more",
                 (unsigned long)(open - LEFT_SHOWN));
    hh_engine_fail(e, HH_RULE_HANDLE_LEAK,
                   "%lu handle%s still open at the end of the scenario: %s. ZwClose every handle "
                   "the driver gets (PsCreateSystemThread's too, once the thread object is "
                   "referenced or no longer needed): each one keeps its object alive",
                   (unsigned long)open, open == 1 ? "" : "s", list);
}

static void check_references(struct hh_engine *e, const struct hh_handles *hs)
{
    char list[2000], what[160], at[600];
    size_t i, used = 0;
    list[0] = '\0';
    if (!hs->nrefs)
        return;
    for (i = 0; i < hs->nrefs && i < LEFT_SHOWN && used < sizeof(list); i++) {
        int n = snprintf(list + used, sizeof(list) - used, "%sa reference to %s taken at %s",
                         used ? "; " : "",
                         hh_engine_describe_object(e, hs->refs[i].object, what, sizeof(what)),
                         site_text(hs->refs[i].taken_at, at, sizeof(at)));
        used += n > 0 ? (size_t)n : 0;
    }
    if (hs->nrefs > LEFT_SHOWN && used < sizeof(list))
        snprintf(list + used, sizeof(list) - used, "; and %lu more",
                 (unsigned long)(hs->nrefs - LEFT_SHOWN));
    hh_engine_fail(e, HH_RULE_HANDLE_LEAK,
                   "%lu object reference%s still held at the end of the scenario: %s. "
                   "ObDereferenceObject each reference ObReferenceObject or "
                   "ObReferenceObjectByHandle took: each one keeps its object alive",
                   (unsigned long)hs->nrefs, hs->nrefs == 1 ? "" : "s", list);
}

void hh_engine_check_handles(struct hh_engine *e)
{
    if (e->failed || hh_system_threads_check_ended(e) || e->failed || !e->handles)
        return;
    check_open_handles(e, e->handles);
    if (!e->failed)
        check_references(e, e->handles);
}
