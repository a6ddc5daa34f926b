/* report_github.c - GitHub workflow commands: one annotation per missed
 * criterion on the line the text report names. */
#include "report_ci.h"

static void escape(strbuf *sb, const char *s, bool property)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '%':
            sb_puts(sb, "%25");
            break;
        case '\r':
            sb_puts(sb, "%0D");
            break;
        case '\n':
            sb_puts(sb, "%0A");
            break;
        case ':':
            sb_puts(sb, property ? "%3A" : ":");
            break;
        case ',':
            sb_puts(sb, property ? "%2C" : ",");
            break;
        default:
            sb_putc(sb, *p);
        }
    }
}

void github_escape_data(strbuf *sb, const char *s)
{
    escape(sb, s, false);
}

void github_escape_property(strbuf *sb, const char *s)
{
    escape(sb, s, true);
}

/* `::kind file=F[,line=L[,col=C]],title=T::message` on one line: every
 * value escaped, so no post or file name can end the command early or
 * start another. */
static void command(FILE *fp, const char *kind, const char *file, int line, int col,
                    const char *title, const char *message)
{
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "::%s file=", kind);
    github_escape_property(&sb, file);
    if (line > 0) {
        sb_printf(&sb, ",line=%d", line);
        if (col > 0)
            sb_printf(&sb, ",col=%d", col);
    }
    if (title) {
        sb_puts(&sb, ",title=");
        github_escape_property(&sb, title);
    }
    sb_puts(&sb, "::");
    github_escape_data(&sb, message);
    if (!sb_failed(&sb))
        fprintf(fp, "%s\n", sb_str(&sb));
    sb_free(&sb);
}

void report_github(FILE *fp, const rubric *r, const score_result *res, bool notices)
{
    strbuf title, msg;
    sb_init(&title);
    sb_init(&msg);
    for (size_t i = 0; i < res->n; i++) {
        const crit_result *cr = &res->items[i];
        if (cr->met && !notices)
            continue;
        sb_reset(&title);
        sb_reset(&msg);
        sb_printf(&title, "grader: %s (%d/%d pt%s%s)", cr->c->id, cr->points, cr->c->points,
                  cr->c->points == 1 ? "" : "s", cr->c->bonus ? ", bonus" : "");
        sb_puts(&msg, cr->message);
        if (!cr->met)
            sb_printf(&msg, "\nhint: %s", cr->c->hint);
        const char *kind = cr->met ? "notice" : cr->c->bonus ? "warning" : "error";
        if (!sb_failed(&title) && !sb_failed(&msg))
            command(fp, kind, res->file, cr->line, cr->col, sb_str(&title), sb_str(&msg));
    }
    for (size_t i = 0; i < res->nnotes; i++)
        command(fp, "warning", res->file, 0, 0, "grader: note", res->notes[i]);
    /* The log line is not a command: it starts with "grader:", and the
     * file name is escaped so that its newline cannot start one. */
    sb_reset(&msg);
    github_escape_data(&msg, res->file);
    fprintf(fp, "grader: %s: score %d/%d (%.0f%%), pass mark %d%%: %s\n", sb_str(&msg), res->points,
            res->max_points, res->percent, r->pass, res->passed ? "PASS" : "BELOW THE PASS MARK");
    sb_free(&title);
    sb_free(&msg);
}

void report_github_error(FILE *fp, const char *file, const char *message)
{
    command(fp, "error", file, 0, 0, "grader: cannot check this file", message);
}
