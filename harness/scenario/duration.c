/* duration.c - duration strings ("250ms", "1.5s", "300ns") to 100 ns ticks and back.
 *
 * Exact decimal arithmetic, no floating point: a value that is not a whole number of ticks
 * is an error, not a rounding. The largest duration is HH_DURATION_MAX (100 days).
 */
#include "scenario.h"

#include <stdio.h>
#include <string.h>

struct unit {
    const char *name;
    int64_t ns;      /* nanoseconds per unit */
    int fraction;    /* decimal places of ticks in one unit (s: 7, ms: 4, us: 1) */
};

/* Largest first: hh_duration_format spells a value in the largest unit it reaches. */
static const struct unit units[] = {
    {"s", 1000000000, 7},
    {"ms", 1000000, 4},
    {"us", 1000, 1},
    {"ns", 1, 0},
};
#define NUNITS (sizeof(units) / sizeof(units[0]))
#define NS_PER_TICK 100

static int fail(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return -1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const struct unit *find_unit(const char *name)
{
    size_t i;
    for (i = 0; i < NUNITS; i++) {
        if (strcmp(units[i].name, name) == 0)
            return &units[i];
    }
    return NULL;
}

/* Adds the fractional digits at *p (after the point) of one `u` to *ns. Returns -1 when a
 * non-zero digit stands below a nanosecond. */
static int add_fraction(const char **p, const struct unit *u, int64_t *ns)
{
    int64_t place = u->ns;
    int below = 0;
    for (; is_digit(**p); (*p)++) {
        place /= 10;
        if (place == 0)
            below |= **p != '0';
        else
            *ns += (int64_t)(**p - '0') * place;
    }
    return below ? -1 : 0;
}

static const char *skip_number(const char *p)
{
    while (is_digit(*p) || *p == '.')
        p++;
    return p;
}

int hh_duration_parse(const char *text, int64_t *ticks, const char **why)
{
    const int64_t max_ns = HH_DURATION_MAX * NS_PER_TICK;
    const char *p = text, *digits_end;
    const struct unit *u;
    int64_t whole = 0, ns = 0;
    if (strcmp(text, "0") == 0) {
        *ticks = 0;
        return 0;
    }
    if (*p == '-')
        return fail(why, "durations are never negative");
    if (!is_digit(*p))
        return fail(why, "expected a number and a unit (ns, us, ms or s), such as \"250ms\"");
    digits_end = skip_number(p);
    if (!*digits_end)
        return fail(why, "the unit is missing; write ns, us, ms or s after the number");
    u = find_unit(digits_end);
    if (!u)
        return fail(why, "unknown unit; the units are ns, us, ms and s");
    for (; is_digit(*p); p++) {
        whole = whole * 10 + (*p - '0');
        if (whole > max_ns / u->ns)
            return fail(why, "longer than 100 days, the largest duration");
    }
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return fail(why, "expected digits after the decimal point, such as \"1.5s\"");
        if (add_fraction(&p, u, &ns) != 0)
            return fail(why, "finer than the 100 ns resolution; use a multiple of 100ns");
    }
    if (p != digits_end)
        return fail(why, "expected a number and a unit (ns, us, ms or s), such as \"250ms\"");
    ns += whole * u->ns;
    if (ns > max_ns)
        return fail(why, "longer than 100 days, the largest duration");
    if (ns % NS_PER_TICK != 0)
        return fail(why, "finer than the 100 ns resolution; use a multiple of 100ns");
    *ticks = ns / NS_PER_TICK;
    return 0;
}

/* ticks in unit u as "<whole>[.<fraction>]<unit>", trailing zeros dropped. Returns the
 * number of fraction digits, or -1 when the value does not fit the buffer exactly. */
static int spell(uint64_t ticks, const struct unit *u, char *buf, size_t len)
{
    uint64_t per_unit = 1, whole, rest;
    int i, digits = u->fraction, n;
    if (u->fraction == 0) {
        if (ticks > UINT64_MAX / NS_PER_TICK)
            return -1;
        n = snprintf(buf, len, "%llu%s", (unsigned long long)(ticks * NS_PER_TICK), u->name);
        return n > 0 && (size_t)n < len ? 0 : -1;
    }
    for (i = 0; i < u->fraction; i++)
        per_unit *= 10;
    whole = ticks / per_unit;
    rest = ticks % per_unit;
    while (digits > 0 && rest % 10 == 0 && rest != 0) {
        rest /= 10;
        digits--;
    }
    if (rest == 0)
        n = snprintf(buf, len, "%llu%s", (unsigned long long)whole, u->name);
    else
        n = snprintf(buf, len, "%llu.%0*llu%s", (unsigned long long)whole, digits,
                     (unsigned long long)rest, u->name);
    if (n <= 0 || (size_t)n >= len)
        return -1;
    return rest == 0 ? 0 : digits;
}

const char *hh_duration_format(int64_t ticks, char *buf, size_t len)
{
    char best[48] = "", cand[48];
    size_t i, offset = 0;
    uint64_t magnitude;
    if (len == 0)
        return buf;
    if (ticks == 0) {
        snprintf(buf, len, "0");
        return buf;
    }
    if (ticks < 0) {
        best[0] = '-';
        offset = 1;
    }
    magnitude = ticks < 0 ? (uint64_t)0 - (uint64_t)ticks : (uint64_t)ticks;
    /* The largest unit the value reaches: "500ms", "1.5s", "1.25ms", "300ns". */
    for (i = 0; i + 1 < NUNITS && magnitude < (uint64_t)units[i].ns / NS_PER_TICK; i++)
        ;
    if (spell(magnitude, &units[i], cand, sizeof cand) >= 0)
        memcpy(best + offset, cand, strlen(cand) + 1);
    snprintf(buf, len, "%s", best);
    return buf;
}
