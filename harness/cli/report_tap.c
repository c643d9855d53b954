/* report_tap.c - TAP 13 as `meson test` 1.0 and prove read it: one flat test point per
 * scenario (no nested subtests), and after each failure a YAML block with what went wrong
 * and the full account. Problems that kept the suite from running end it with Bail out!.
 */
#include <stdio.h>
#include <string.h>

#include "report.h"

void hh_report_tap_begin(struct hh_buf *b, const struct hh_suite *s)
{
    hh_buf_printf(b, "TAP version 13\n1..%lu\n", (unsigned long)s->n);
}

/* A test point's description: one line, and a '#' escaped so it starts no directive. */
static void description(struct hh_buf *b, const char *name)
{
    const char *p = name;
    for (;;) {
        size_t n = strcspn(p, "#");
        hh_buf_plain_n(b, p, n, 1);
        if (!p[n])
            break;
        hh_buf_puts(b, "\\#");
        p += n + 1;
    }
}

static void yaml_string(struct hh_buf *b, const char *key, const char *value)
{
    hh_buf_printf(b, "  %s: ", key);
    hh_buf_json(b, value); /* a JSON string is a YAML double-quoted scalar */
    hh_buf_puts(b, "\n");
}

/* A literal block scalar, every line indented under the key (the account's own two-space
 * indent left out). */
static void yaml_block(struct hh_buf *b, const char *key, const char *text)
{
    const char *p = text;
    hh_buf_printf(b, "  %s: |\n", key);
    while (*p) {
        size_t n, lead;
        if (strncmp(p, "  ", 2) == 0)
            p += 2;
        n = strcspn(p, "\n");
        lead = strspn(p, " ");
        hh_buf_puts(b, "    ");
        /* A line of the block that looks like the YAML end marker would end it early. */
        if (strncmp(p + lead, "...", 3) == 0) {
            hh_buf_put(b, p, lead);
            hh_buf_puts(b, "\\x2e");
            hh_buf_plain_n(b, p + lead + 1, n - lead - 1, 1);
        } else {
            hh_buf_plain_n(b, p, n, 1);
        }
        hh_buf_puts(b, "\n");
        p += n + (p[n] == '\n');
    }
}

static void yaml(struct hh_buf *b, const struct hh_suite *s, const struct hh_case *c)
{
    struct hh_buf account;
    char where[256];
    hh_buf_puts(b, "  ---\n");
    yaml_string(b, "file", c->file);
    yaml_string(b, "outcome", hh_report_outcome_word(c));
    if (c->res.outcome == HH_PLAY_FAIL) {
        yaml_string(b, "rule", hh_rule_name(c->res.rule));
        yaml_string(b, "message", c->res.headline ? c->res.headline : "");
        yaml_string(b, "where", hh_play_where_text(c->sc, c->res.step, where, sizeof(where)));
        if (c->res.invocation)
            hh_buf_printf(b, "  invocation: %lu\n", c->res.invocation);
    }
    if (c->end != HH_END_NORMAL)
        yaml_string(b, "process", c->what);
    hh_buf_printf(b, "  duration_ms: %.3f\n", c->seconds * 1000.0);
    hh_buf_init(&account);
    hh_report_account(&account, s, c);
    if (account.len)
        yaml_block(b, "account", account.data);
    hh_buf_free(&account);
    hh_buf_puts(b, "  ...\n");
}

void hh_report_tap_case(struct hh_buf *b, const struct hh_suite *s, size_t index)
{
    const struct hh_case *c = &s->cases[index];
    hh_buf_printf(b, "%sok %lu - ", c->res.outcome == HH_PLAY_PASS ? "" : "not ",
                  (unsigned long)index + 1);
    description(b, c->sc->name);
    hh_buf_puts(b, "\n");
    if (c->res.outcome != HH_PLAY_PASS)
        yaml(b, s, c);
}

void hh_report_tap_end(struct hh_buf *b, const struct hh_suite *s)
{
    if (s->nproblems) {
        hh_buf_puts(b, "Bail out! ");
        hh_buf_plain_n(b, s->problems[0], strlen(s->problems[0]), 1);
        if (s->nproblems > 1)
            hh_buf_printf(b, " (and %lu more problems)", (unsigned long)s->nproblems - 1);
        hh_buf_puts(b, "\n");
    }
}
