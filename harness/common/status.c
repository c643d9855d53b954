/* status.c - the NTSTATUS table: names, aliases, numbers and when a wait returns each.
 *
 * Pure constant data and lookups over it; no state. Every name is a string literal in the
 * table, so pointers handed out (suggestions) stay valid for the life of the program.
 */
#include "status.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "glob.h"
#include "suggest.h"
#include "textput.h"

struct status_entry {
    const char *name;
    NTSTATUS value;
    const char *when; /* NULL for the numbered families: see numbered_when() */
};

#define SIXTY_FOUR(X)                                                                        \
    X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)   \
    X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29)     \
    X(30) X(31) X(32) X(33) X(34) X(35) X(36) X(37) X(38) X(39) X(40) X(41) X(42) X(43)     \
    X(44) X(45) X(46) X(47) X(48) X(49) X(50) X(51) X(52) X(53) X(54) X(55) X(56) X(57)     \
    X(58) X(59) X(60) X(61) X(62) X(63)

#define WAIT_ENTRY(n) {"STATUS_WAIT_" #n, (n), NULL},
#define ABANDONED_ENTRY(n) {"STATUS_ABANDONED_WAIT_" #n, 0x80 + (n), NULL},
#define NOT_A_WAIT "Never returned by a wait: "

/* Canonical names, one per value. */
static const struct status_entry canonical[] = {
    SIXTY_FOUR(WAIT_ENTRY) SIXTY_FOUR(ABANDONED_ENTRY)
    {"STATUS_USER_APC", STATUS_USER_APC,
     "A UserMode wait was aborted because a user APC is queued to the thread; no object was "
     "touched. A hot-swap worker is a system thread that never returns to user mode, so the "
     "APC is never delivered: it stays queued with UserApcPending set, and every later "
     "UserMode wait, alertable or not, returns STATUS_USER_APC at once. KernelMode waits "
     "never return it."},
    {"STATUS_KERNEL_APC", STATUS_KERNEL_APC,
     "Internal, never returned: the dispatcher wakes a waiter with it to run a kernel APC or "
     "to make a WaitAll test its objects again, and the wait then goes on."},
    {"STATUS_ALERTED", STATUS_ALERTED,
     "An alertable wait was aborted because the thread was alerted (KeAlertThread) in a mode "
     "the wait accepts; no object was touched. The object test comes first: a satisfiable "
     "wait returns the object's status even with an alert pending."},
    {"STATUS_TIMEOUT", STATUS_TIMEOUT,
     "The timeout elapsed before the wait could be satisfied; no object was touched. A zero "
     "timeout (a poll) or an absolute time already passed returns it at once when no object "
     "is signaled and no alert or APC is pending."},
    {"STATUS_PENDING", STATUS_PENDING,
     NOT_A_WAIT "the operation was started and has not completed yet."},
    {"STATUS_UNSUCCESSFUL", STATUS_UNSUCCESSFUL, NOT_A_WAIT "the operation failed."},
    {"STATUS_NOT_IMPLEMENTED", STATUS_NOT_IMPLEMENTED,
     NOT_A_WAIT "the requested operation is not implemented."},
    {"STATUS_INVALID_PARAMETER", STATUS_INVALID_PARAMETER,
     NOT_A_WAIT "a parameter is invalid (NtCreateSemaphore returns it for an initial count "
     "above the maximum)."},
    {"STATUS_NO_MEMORY", STATUS_NO_MEMORY, NOT_A_WAIT "there was not enough memory."},
    {"STATUS_INVALID_PARAMETER_MIX", STATUS_INVALID_PARAMETER_MIX,
     NOT_A_WAIT "NtWaitForMultipleObjects rejects a WaitAll that lists one object twice with "
     "it; a scenario with such a WaitAll does not validate."},
    {"STATUS_MUTANT_NOT_OWNED", STATUS_MUTANT_NOT_OWNED,
     NOT_A_WAIT "KeReleaseMutex raises it when the calling thread does not own the mutex; the "
     "mutex is left unchanged (no bug check)."},
    {"STATUS_SEMAPHORE_LIMIT_EXCEEDED", STATUS_SEMAPHORE_LIMIT_EXCEEDED,
     NOT_A_WAIT "KeReleaseSemaphore raises it when the adjustment would take the count past "
     "the semaphore's limit; the count is left unchanged."},
    {"STATUS_INSUFFICIENT_RESOURCES", STATUS_INSUFFICIENT_RESOURCES,
     NOT_A_WAIT "there were not enough resources (usually pool) to complete the request."},
    {"STATUS_NOT_SUPPORTED", STATUS_NOT_SUPPORTED,
     NOT_A_WAIT "the request is not supported."},
    {"STATUS_INVALID_PARAMETER_1", STATUS_INVALID_PARAMETER_1,
     NOT_A_WAIT "NtWaitForMultipleObjects returns it for a count of 0 or above "
     "MAXIMUM_WAIT_OBJECTS (64); KeWaitForMultipleObjects bug-checks instead."},
    {"STATUS_INVALID_PARAMETER_2", STATUS_INVALID_PARAMETER_2,
     NOT_A_WAIT "the second parameter of a call is invalid."},
    {"STATUS_INVALID_PARAMETER_3", STATUS_INVALID_PARAMETER_3,
     NOT_A_WAIT "NtWaitForMultipleObjects returns it for a WaitType other than WaitAny or "
     "WaitAll."},
    {"STATUS_MUTANT_LIMIT_EXCEEDED", STATUS_MUTANT_LIMIT_EXCEEDED,
     NOT_A_WAIT "raised as an exception when a mutex already held MINLONG times by its owner "
     "is acquired once more; the mutex is left unchanged."},
    {"STATUS_BUFFER_TOO_SMALL", STATUS_BUFFER_TOO_SMALL,
     NOT_A_WAIT "the buffer is too small to hold the result."},
    {"STATUS_RESOURCE_IN_USE", STATUS_RESOURCE_IN_USE,
     NOT_A_WAIT "the resource is in use."},
};

/* Other names for a value, accepted wherever a name is read. */
static const struct status_entry aliases[] = {
    {"STATUS_SUCCESS", STATUS_SUCCESS, NULL},
    {"STATUS_ABANDONED", STATUS_ABANDONED, NULL},
};

#define NCANONICAL (sizeof(canonical) / sizeof(canonical[0]))
#define NALIASES (sizeof(aliases) / sizeof(aliases[0]))
#define NNAMES (NCANONICAL + NALIASES)

/* Canonical names first, then aliases. */
static const struct status_entry *entry_at(size_t i)
{
    return i < NCANONICAL ? &canonical[i] : &aliases[i - NCANONICAL];
}

static int is_wait_index(NTSTATUS s)
{
    return s >= STATUS_WAIT_0 && s <= STATUS_WAIT_63;
}

static int is_abandoned_index(NTSTATUS s)
{
    return s >= STATUS_ABANDONED_WAIT_0 && s <= STATUS_ABANDONED_WAIT_63;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Accumulates digits of `base` into *v, failing above `max`; 0 on success. */
static int parse_digits(const char *p, int base, uint64_t max, uint64_t *v)
{
    *v = 0;
    if (!*p)
        return -1;
    for (; *p; p++) {
        int d = hex_digit(*p);
        if (d < 0 || d >= base)
            return -1;
        *v = *v * (uint64_t)base + (uint64_t)d;
        if (*v > max)
            return -1;
    }
    return 0;
}

/* "0x102", "258" or "-1073741823": 1 and *out when text is a number in NTSTATUS's range. */
static int parse_number(const char *text, NTSTATUS *out)
{
    uint64_t v;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        if (parse_digits(text + 2, 16, 0xFFFFFFFFu, &v) != 0)
            return 0;
    } else if (text[0] == '-') {
        if (parse_digits(text + 1, 10, 0x80000000u, &v) != 0)
            return 0;
        *out = (NTSTATUS)(-(int64_t)v);
        return 1;
    } else if (parse_digits(text, 10, 0xFFFFFFFFu, &v) != 0) {
        return 0;
    }
    *out = v > 0x7FFFFFFFu ? (NTSTATUS)((int64_t)v - 0x100000000) : (NTSTATUS)v;
    return 1;
}

int hh_status_parse(const char *text, NTSTATUS *out)
{
    size_t i;
    for (i = 0; i < NNAMES; i++) {
        if (strcmp(entry_at(i)->name, text) == 0) {
            *out = entry_at(i)->value;
            return 0;
        }
    }
    return parse_number(text, out) ? 0 : -1;
}

const char *hh_status_name(NTSTATUS s, char *buf, size_t len)
{
    size_t i;
    /* The numbered families lead the table in order: the common case without a search. */
    if (is_wait_index(s) || is_abandoned_index(s)) {
        hh_text_put(buf, len, 0, canonical[is_wait_index(s) ? s : 64 + (s - 0x80)].name);
        return buf;
    }
    for (i = 0; i < NCANONICAL; i++) {
        if (canonical[i].value == s) {
            hh_text_put(buf, len, 0, canonical[i].name);
            return buf;
        }
    }
    hh_text_put_hex8(buf, len, hh_text_put(buf, len, 0, "0x"), (unsigned long)(ULONG)s);
    return buf;
}

static const char *numbered_when(NTSTATUS s)
{
    if (s == STATUS_WAIT_0)
        return "WaitAny: object 0 was the lowest-indexed signaled object and only it got its "
               "side effect. WaitAll: every object was satisfiable and all got their side "
               "effects (STATUS_SUCCESS, the same value).";
    if (is_wait_index(s))
        return "WaitAny: object n was the lowest-indexed signaled object (n is the status's "
               "low 6 bits) and only it got its side effect.";
    if (s == STATUS_ABANDONED_WAIT_0)
        return "WaitAny: object 0, the lowest-indexed satisfiable object, is a mutant whose "
               "owner ended holding it; the wait now owns it and it is no longer abandoned. "
               "WaitAll: every object was satisfiable and one of them was an abandoned mutant "
               "(STATUS_ABANDONED, the same value).";
    return "WaitAny: object n (the status's low 6 bits), the lowest-indexed satisfiable "
           "object, is a mutant whose owner ended holding it; the wait now owns it and it is "
           "no longer abandoned.";
}

const char *hh_status_when(NTSTATUS s)
{
    size_t i;
    if (is_wait_index(s) || is_abandoned_index(s))
        return numbered_when(s);
    for (i = 0; i < NCANONICAL; i++) {
        if (canonical[i].value == s)
            return canonical[i].when;
    }
    return NULL;
}

int hh_status_wait_returns(NTSTATUS s)
{
    return is_wait_index(s) || is_abandoned_index(s) || s == STATUS_USER_APC ||
           s == STATUS_ALERTED || s == STATUS_TIMEOUT;
}

int hh_status_match(const char *pattern, NTSTATUS s)
{
    NTSTATUS number;
    size_t i;
    if (parse_number(pattern, &number))
        return number == s;
    for (i = 0; i < NNAMES; i++) {
        if (entry_at(i)->value == s && hh_glob_match(pattern, entry_at(i)->name))
            return 1;
    }
    return 0;
}

size_t hh_status_pattern_values(const char *pattern, NTSTATUS *out, size_t cap)
{
    NTSTATUS number;
    size_t i, k, n = 0;
    if (parse_number(pattern, &number)) {
        if (cap > 0)
            out[0] = number;
        return 1;
    }
    for (i = 0; i < NNAMES; i++) {
        const struct status_entry *e = entry_at(i);
        if (!hh_glob_match(pattern, e->name))
            continue;
        for (k = 0; k < i; k++) { /* an earlier name of this value matched already */
            if (entry_at(k)->value == e->value && hh_glob_match(pattern, entry_at(k)->name))
                break;
        }
        if (k < i)
            continue;
        if (n < cap)
            out[n] = e->value;
        n++;
    }
    return n;
}

int hh_status_pattern_valid(const char *pattern)
{
    NTSTATUS number;
    size_t i;
    if (parse_number(pattern, &number))
        return 1;
    for (i = 0; i < NNAMES; i++) {
        if (hh_glob_match(pattern, entry_at(i)->name))
            return 1;
    }
    return 0;
}

const char *hh_status_suggest(const char *text)
{
    static const char prefix[] = "STATUS_";
    char prefixed[HH_SUGGEST_MAX_LEN + 1];
    struct hh_suggest bare, with_prefix;
    size_t i;
    hh_suggest_init(&bare, text);
    hh_suggest_init(&with_prefix, prefixed);
    prefixed[0] = '\0';
    if (text[0] && strlen(text) + sizeof prefix <= sizeof prefixed)
        snprintf(prefixed, sizeof prefixed, "%s%s", prefix, text);
    for (i = 0; i < NNAMES; i++) {
        hh_suggest_offer(&bare, entry_at(i)->name);
        if (prefixed[0])
            hh_suggest_offer(&with_prefix, entry_at(i)->name);
    }
    if (hh_suggest_result(&bare))
        return hh_suggest_result(&bare);
    return prefixed[0] ? hh_suggest_result(&with_prefix) : NULL;
}
