/* report_sarif.c - SARIF 2.1.0 (OASIS), the format GitHub code scanning
 * and editors read: the rubric is the tool's rule set, a missed criterion
 * a result on the post's line. */
#include "report_ci.h"

#include <string.h>

#include "report.h"
#include "version.h"

void sarif_init(sarif_log *log, const rubric *r, bool passes)
{
    log->r = r;
    log->passes = passes;
    log->failed = false;
    sb_init(&log->results);
    sb_init(&log->notes);
    sb_init(&log->scores);
}

void sarif_free(sarif_log *log)
{
    sb_free(&log->results);
    sb_free(&log->notes);
    sb_free(&log->scores);
}

static void comma(strbuf *sb)
{
    if (sb->len)
        sb_putc(sb, ',');
}

/* artifactLocation.uri must be a URI reference: a relative path stays
 * relative (code scanning resolves it against the repository), an
 * absolute one becomes file://; anything but unreserved characters and
 * '/' is percent-encoded (a space, '#', '?', '%', non-ASCII). */
static void uri(strbuf *sb, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    strbuf u;
    sb_init(&u);
    if (path[0] == '/')
        sb_puts(&u, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            sb_putc(&u, (char)*p);
        else
            sb_printf(&u, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
    json_string(sb, sb_failed(&u) ? "" : sb_str(&u));
    sb_free(&u);
}

static void location(strbuf *sb, const char *file, int line, int col)
{
    sb_puts(sb, "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
    uri(sb, file);
    /* A criterion of the whole post points nowhere in particular: its
     * first line (SARIF lines start at 1; code scanning wants one). */
    sb_printf(sb, "},\"region\":{\"startLine\":%d,\"startColumn\":%d}}}", line > 0 ? line : 1,
              col > 0 ? col : 1);
}

static size_t rule_index(const rubric *r, const criterion *c)
{
    return (size_t)(c - r->criteria);
}

void sarif_add(sarif_log *log, const score_result *res)
{
    strbuf *sb = &log->results;
    for (size_t i = 0; i < res->n; i++) {
        const crit_result *cr = &res->items[i];
        if (cr->met && !log->passes)
            continue;
        comma(sb);
        sb_puts(sb, "{\"ruleId\":");
        json_string(sb, cr->c->id);
        sb_printf(sb, ",\"ruleIndex\":%zu,\"kind\":\"%s\",\"level\":\"%s\",\"message\":{\"text\":",
                  rule_index(log->r, cr->c), cr->met ? "pass" : "fail",
                  cr->met        ? "none"
                  : cr->c->bonus ? "warning"
                                 : "error");
        strbuf text;
        sb_init(&text);
        sb_printf(&text, "%s (%d/%d pt%s%s)", cr->message, cr->points, cr->c->points,
                  cr->c->points == 1 ? "" : "s", cr->c->bonus ? ", bonus" : "");
        if (!cr->met)
            sb_printf(&text, ". Hint: %s", cr->c->hint);
        json_string(sb, sb_failed(&text) ? cr->message : sb_str(&text));
        sb_free(&text);
        sb_puts(sb, "},\"locations\":[");
        location(sb, res->file, cr->line, cr->col);
        sb_printf(sb, "],\"properties\":{\"points\":%d,\"max\":%d}}", cr->points, cr->c->points);
    }
    for (size_t i = 0; i < res->nnotes; i++) {
        comma(&log->notes);
        sb_puts(&log->notes, "{\"level\":\"warning\",\"message\":{\"text\":");
        json_string(&log->notes, res->notes[i]);
        sb_puts(&log->notes, "},\"locations\":[");
        location(&log->notes, res->file, 0, 0);
        sb_puts(&log->notes, "]}");
    }
    comma(&log->scores);
    sb_puts(&log->scores, "{\"file\":");
    json_string(&log->scores, res->file);
    sb_printf(&log->scores, ",\"points\":%d,\"max\":%d,\"percent\":%.1f,\"passed\":%s}",
              res->points, res->max_points, res->percent, res->passed ? "true" : "false");
}

void sarif_add_error(sarif_log *log, const char *file, const char *message)
{
    comma(&log->notes);
    sb_puts(&log->notes, "{\"level\":\"error\",\"message\":{\"text\":");
    json_string(&log->notes, message);
    sb_puts(&log->notes, "},\"locations\":[");
    location(&log->notes, file, 0, 0);
    sb_puts(&log->notes, "]}");
    log->failed = true;
}

static void rules(strbuf *sb, const rubric *r)
{
    for (size_t i = 0; i < r->ncriteria; i++) {
        const criterion *c = &r->criteria[i];
        if (i)
            sb_putc(sb, ',');
        sb_puts(sb, "{\"id\":");
        json_string(sb, c->id);
        sb_puts(sb, ",\"shortDescription\":{\"text\":");
        json_string(sb, c->description);
        sb_puts(sb, "},\"help\":{\"text\":");
        json_string(sb, c->hint);
        sb_printf(sb,
                  "},\"defaultConfiguration\":{\"level\":\"%s\"},"
                  "\"properties\":{\"points\":%d,\"bonus\":%s}}",
                  c->bonus ? "warning" : "error", c->points, c->bonus ? "true" : "false");
    }
}

bool sarif_finish(sarif_log *log, strbuf *out)
{
    /* version first, so readers can tell the format from the first bytes */
    sb_puts(out, "{\"version\":\"2.1.0\","
                 "\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                 "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"grader\",\"version\":");
    json_string(out, version_grader());
    sb_puts(out, ",\"rules\":[");
    rules(out, log->r);
    sb_puts(out, "]}},\"invocations\":[{\"executionSuccessful\":");
    sb_puts(out, log->failed ? "false" : "true");
    sb_puts(out, ",\"toolExecutionNotifications\":[");
    sb_puts(out, sb_str(&log->notes));
    sb_puts(out, "]}],\"results\":[");
    sb_puts(out, sb_str(&log->results));
    sb_puts(out, "],\"properties\":{\"rubric\":");
    json_string(out, log->r->name);
    sb_printf(out, ",\"passMark\":%d,\"scores\":[", log->r->pass);
    sb_puts(out, sb_str(&log->scores));
    sb_puts(out, "]}}]}");
    return !sb_failed(out) && !sb_failed(&log->results) && !sb_failed(&log->notes) &&
           !sb_failed(&log->scores);
}
