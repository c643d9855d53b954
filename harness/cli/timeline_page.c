/* timeline_page.c - the timeline pages: one self-contained HTML file per scenario (inline SVG,
 * CSS and script, nothing fetched, so it opens from a CI artifact), and for a suite a folder
 * of them with an index.html that links each with its verdict.
 *
 * The page carries its data too: the JSON report's object for the scenario, from which its
 * script checks the drawing (one box per invocation, with its status and decision, on its
 * worker's lane when a driver has several) and writes
 * the result into the page, where a headless browser reads it.
 */
#include <stdio.h>
#include <string.h>

#include "msgs.h"
#include "platform/plat.h"
#include "timeline.h"

static const char page_style[] =
    "body{font:14px system-ui,sans-serif;margin:16px;color:#222}"
    "h1{font-size:18px;margin:0 0 4px}.pass{color:#188038}.fail,.error{color:#d93025}"
    ".file{color:#666;margin-bottom:12px}"
    ".pic{overflow-x:auto;border:1px solid #ddd}"
    "pre.account{max-height:60vh;overflow:auto;background:#fdf3f2;"
    "border-left:3px solid #d93025;padding:8px;margin:8px 0 0;font-size:12px}"
    "#check{color:#666;font-size:12px}table{border-collapse:collapse}"
    "td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}";

/* Checks the drawing against the data, and says so in #check and body[data-check]. */
static const char page_script[] =
    "(function(){\n"
    "var out=document.getElementById('check');\n"
    "function say(ok,text){out.textContent=text;document.body.setAttribute('data-check',ok?'ok':'failed');}\n"
    "try{\n"
    "var d=JSON.parse(document.getElementById('data').textContent);\n"
    "var inv=d.invocation_list||[],tl=d.timeline,errs=[],byIndex={};\n"
    "if(!tl){if(d.outcome==='error')say(true,'check ok: the scenario could not be run, nothing to draw');\n"
    " else say(false,'check failed: no timeline data');return;}\n"
    "inv.forEach(function(v){byIndex[v.index]=v;});\n"
    "var returned={},called={};tl.events.forEach(function(e){\n"
    " if(e.kind==='return')returned[e.invocation]=1;if(e.kind==='call')called[e.invocation]=e;});\n"
    "var calls=Object.keys(called).length;\n"
    "var boxes=document.querySelectorAll('svg.timeline g.inv');\n"
    "if(boxes.length!==calls)errs.push(boxes.length+' boxes for '+calls+' calls');\n"
    "if(!tl.dropped)inv.forEach(function(v){if(!document.querySelector('svg.timeline g.inv[data-index=\"'+v.index+'\"]'))errs.push('no box for #'+v.index);});\n"
    "Array.prototype.forEach.call(boxes,function(g){\n"
    " var i=+g.getAttribute('data-index'),v=byIndex[i];\n"
    " if(!v&&called[i]&&!returned[i])v={status:called[i].status,decision:null};\n"
    " if(!v){errs.push('box #'+i+' has no invocation');return;}\n"
    " if(v.status!==g.getAttribute('data-status'))errs.push('#'+i+' status '+g.getAttribute('data-status')+', data '+v.status);\n"
    " var dec=returned[i]&&v.decision?v.decision:'none';\n"
    " if(dec!==g.getAttribute('data-decision'))errs.push('#'+i+' decision '+g.getAttribute('data-decision')+', data '+dec);\n"
    " var w=called[i]&&called[i].worker;if(w){var ln=document.querySelector('svg.timeline g.workerlane[data-worker=\"'+w+'\"]');\n"
    "  if(!ln||+g.querySelector('rect').getAttribute('y')-3!==+ln.getAttribute('data-top'))errs.push('#'+i+' not on the lane of worker '+w);}\n"
    "});\n"
    "if((d.outcome==='fail')!==(document.querySelectorAll('svg.timeline g.failure').length===1))errs.push('failure mark');\n"
    "var th=tl.threads||[],pts=tl.events.filter(function(e){return e.kind==='point';}),extra='';\n"
    "if(th.length){\n"
    " if(document.querySelectorAll('svg.timeline g.thread').length!==th.length)errs.push('a lane per thread');\n"
    " if(document.querySelectorAll('svg.timeline g.point').length!==pts.length)errs.push('a cell per point');\n"
    " var sw=pts.filter(function(e){return e.switch;}),arrows=document.querySelectorAll('svg.timeline g.switch');\n"
    " if(arrows.length!==sw.length)errs.push(arrows.length+' switch arrows for '+sw.length+' switches');\n"
    " sw.forEach(function(e){var g=document.querySelector('svg.timeline g.switch[data-point=\"'+e.point+'\"]');\n"
    "  if(!g||!g.classList.contains(e.switch)||+g.getAttribute('data-to')!==e.thread_id)errs.push('switch at point '+e.point);});\n"
    " extra=', '+th.length+' threads, '+sw.length+' switch'+(sw.length===1?'':'es');\n"
    "}\n"
    "say(!errs.length,errs.length?'check failed: '+errs.join('; '):'check ok: '+boxes.length+' invocation'+(boxes.length===1?'':'s')+' drawn'+extra);\n"
    "}catch(e){say(false,'check failed: '+e);console.error(e);}\n"
    "})();\n";

/* JSON inside <script>: "</script" or "<!--" in a string would change how the page parses,
 * so every '<' (only ever inside a string) is written as the escape \u003c. */
static void script_safe(struct hh_buf *b, const struct hh_buf *json)
{
    size_t i, from = 0;
    for (i = 0; i < json->len; i++) {
        if (json->data[i] == '<') {
            hh_buf_put(b, json->data + from, i - from);
            hh_buf_puts(b, "\\u003c");
            from = i + 1;
        }
    }
    if (json->len > from)
        hh_buf_put(b, json->data + from, json->len - from);
}

const char *hh_timeline_verdict(const struct hh_case *c)
{
    return c->res.outcome == HH_PLAY_PASS ? "PASS" : c->res.outcome == HH_PLAY_FAIL ? "FAIL"
                                                                                  : "ERROR";
}

void hh_timeline_page(struct hh_buf *b, const struct hh_suite *s, const struct hh_case *c)
{
    struct hh_buf json, account;
    hh_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width\"><title>");
    hh_buf_printf(b, "%s ", hh_timeline_verdict(c));
    hh_buf_xml(b, c->sc->name);
    hh_buf_printf(b, "</title><style>%s</style></head>\n<body>\n<h1 class=\"%s\">%s ",
                  page_style, hh_report_outcome_word(c), hh_timeline_verdict(c));
    hh_buf_xml(b, c->sc->name);
    hh_buf_puts(b, "</h1><div class=\"file\">");
    hh_buf_xml(b, c->file);
    hh_buf_puts(b, "</div>\n<div class=\"row\"><div class=\"pic\">");
    hh_timeline_svg(b, s, c);
    hh_buf_puts(b, "</div>");
    hh_buf_init(&account);
    hh_report_account(&account, s, c);
    if (account.len) {
        hh_buf_puts(b, "\n<pre class=\"account\">");
        hh_buf_xml(b, account.data);
        hh_buf_puts(b, "</pre>");
    }
    hh_buf_free(&account);
    hh_buf_puts(b, "</div>\n<p id=\"check\">check: not run (scripts are off)</p>\n"
                   "<script type=\"application/json\" id=\"data\">");
    hh_buf_init(&json);
    hh_report_json_case(&json, s, c);
    script_safe(b, &json);
    hh_buf_free(&json);
    hh_buf_printf(b, "</script>\n<script>\n%s</script>\n</body></html>\n", page_script);
}

/* "07-queue_worker_stop.html": the file's base name, numbered so that two files of one name in
 * different folders do not meet. */
static void page_name(char *buf, size_t len, size_t index, const char *file)
{
    const char *base = file, *p, *dot;
    size_t n, i;
    for (p = file; *p; p++) {
        if (*p == '/' || *p == '\\')
            base = p + 1;
    }
    dot = strrchr(base, '.');
    n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    if (n > 80)
        n = 80;
    snprintf(buf, len, "%03lu-%.*s.html", (unsigned long)index + 1, (int)n, base);
    for (i = 0; buf[i]; i++) {
        char ch = buf[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_' || ch == '.'))
            buf[i] = '_';
    }
}

static int write_out(const char *path, struct hh_buf *b)
{
    char err[256];
    if (b->failed) {
        hh_msg_error("%s: out of memory drawing the timeline; it was not written", path);
        return 2;
    }
    if (hh_msg_write_file(path, b->data ? b->data : "", b->len, err, sizeof(err)) != 0) {
        hh_msg_error("%s: the timeline was not written: %s", path, err);
        return 2;
    }
    return 0;
}

static void index_page(struct hh_buf *b, const struct hh_suite *s)
{
    size_t i;
    char name[128];
    hh_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<title>Timelines: %lu passed, %lu failed</title><style>%s</style></head>\n"
                     "<body>\n<h1>Timelines</h1><div class=\"file\">%lu passed, %lu failed, %lu "
                     "could not run</div>\n<table><tr><th>verdict</th><th>scenario</th>"
                     "<th>invocations</th><th>file</th></tr>\n",
                  (unsigned long)s->passed, (unsigned long)(s->failed), page_style,
                  (unsigned long)s->passed, (unsigned long)s->failed, (unsigned long)s->errors);
    for (i = 0; i < s->ndone; i++) {
        const struct hh_case *c = &s->cases[i];
        page_name(name, sizeof(name), i, c->file);
        hh_buf_printf(b, "<tr><td class=\"%s\">%s</td><td><a href=\"%s\">",
                      hh_report_outcome_word(c), hh_timeline_verdict(c), name);
        hh_buf_xml(b, c->sc->name);
        hh_buf_printf(b, "</a></td><td>%lu</td><td>", (unsigned long)c->res.ninvocations);
        hh_buf_xml(b, c->file);
        hh_buf_puts(b, "</td></tr>\n");
    }
    hh_buf_puts(b, "</table>\n</body></html>\n");
}

/* One page at PATH: one scenario, unless PATH is a folder already (or names one with a
 * trailing separator). */
static int one_page(const char *path, const struct hh_suite *s)
{
    size_t n = strlen(path);
    if (s->n != 1 || (n && (path[n - 1] == '/' || path[n - 1] == '\\')))
        return 0;
    return hh_plat_path_kind(path) != HH_PLAT_DIR;
}

void hh_timeline_page_path(struct hh_buf *b, const struct hh_suite *s, size_t index)
{
    char name[128];
    if (one_page(s->cli->timeline, s)) {
        hh_buf_puts(b, s->cli->timeline);
        return;
    }
    page_name(name, sizeof(name), index, s->cases[index].file);
    hh_buf_printf(b, "%s%c%s", s->cli->timeline, hh_plat_dir_separator(), name);
}

int hh_timeline_write(const char *path, const struct hh_suite *s)
{
    struct hh_buf b, file;
    char name[128], err[256];
    size_t i;
    int rc = 0;
    hh_buf_init(&b);
    if (one_page(path, s)) {
        hh_timeline_page(&b, s, &s->cases[0]);
        rc = write_out(path, &b);
        hh_buf_free(&b);
        return rc;
    }
    if (hh_plat_path_kind(path) != HH_PLAT_DIR && hh_plat_make_dir(path, err, sizeof(err)) != 0) {
        hh_msg_error("%s: cannot make the timeline folder: %s", path, err);
        return 2;
    }
    hh_buf_init(&file);
    for (i = 0; i < s->ndone && rc == 0; i++) {
        page_name(name, sizeof(name), i, s->cases[i].file);
        file.len = 0;
        hh_buf_printf(&file, "%s%c%s", path, hh_plat_dir_separator(), name);
        b.len = 0;
        hh_timeline_page(&b, s, &s->cases[i]);
        rc = write_out(file.data, &b);
    }
    if (rc == 0) {
        file.len = 0;
        hh_buf_printf(&file, "%s%cindex.html", path, hh_plat_dir_separator());
        b.len = 0;
        index_page(&b, s);
        rc = write_out(file.data, &b);
    }
    hh_buf_free(&file);
    hh_buf_free(&b);
    return rc;
}

int hh_timeline_write_one(const struct hh_cli *cli, const char *file, const struct hh_scenario *sc,
                          const struct hh_play_result *res, const char *account, int crashed)
{
    struct hh_case one;
    struct hh_suite s;
    int rc;
    memset(&one, 0, sizeof(one));
    one.file = file;
    one.sc = sc;
    one.res = *res; /* borrowed: the caller frees it */
    one.end = crashed ? HH_END_CRASHED : HH_END_NORMAL;
    one.account = account;
    memset(&s, 0, sizeof(s));
    s.cli = cli;
    s.cases = &one;
    s.n = s.ndone = 1;
    s.passed = res->outcome == HH_PLAY_PASS;
    s.failed = res->outcome == HH_PLAY_FAIL;
    s.errors = res->outcome == HH_PLAY_ERROR;
    rc = hh_timeline_write(cli->timeline, &s);
    if (rc == 0)
        hh_msg_out("timeline: %s\n", cli->timeline);
    return rc;
}
