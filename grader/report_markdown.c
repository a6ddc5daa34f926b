/* report_markdown.c - a score as a Markdown table, for a GitHub job
 * summary or a pull-request comment. */
#include "report_ci.h"

#include <string.h>

/* Text from a post or a file name must stay text: HTML is escaped and
 * every Markdown punctuation that could start markup (or end the table
 * cell, or mention someone) is backslash-escaped. */
static void md_text(FILE *fp, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", fp);
            break;
        case '<':
            fputs("&lt;", fp);
            break;
        case '>':
            fputs("&gt;", fp);
            break;
        case '\r':
        case '\n':
            fputc(' ', fp);
            break;
        default:
            if (strchr("\\`*_[]#|~!{}+@$", *p))
                fputc('\\', fp);
            fputc(*p, fp);
        }
    }
}

void report_markdown(FILE *fp, const rubric *r, const score_result *res)
{
    fputs("### grader: ", fp);
    md_text(fp, res->file);
    fprintf(fp, ": %d/%d (%.0f%%), %s\n\n", res->points, res->max_points, res->percent,
            res->passed ? "passes" : "below the pass mark");
    fputs("Rubric: ", fp);
    md_text(fp, r->name);
    fprintf(fp, "; pass mark %d%%; %zu words.\n\n", r->pass, res->words);
    fputs("| | criterion | points | line | what to do |\n|---|---|---:|---:|---|\n", fp);
    for (size_t i = 0; i < res->n; i++) {
        const crit_result *cr = &res->items[i];
        fprintf(fp, "| %s | ",
                cr->met        ? "\xe2\x9c\x85"
                : cr->c->bonus ? "\xe2\x9e\x96"
                               : "\xe2\x9d\x8c");
        md_text(fp, cr->c->id);
        fprintf(fp, "%s | %d/%d | ", cr->c->bonus ? " (bonus)" : "", cr->points, cr->c->points);
        if (cr->line > 0)
            fprintf(fp, "%d", cr->line);
        fputs(" | ", fp);
        if (!cr->met) {
            md_text(fp, cr->message);
            fputs(". ", fp);
            md_text(fp, cr->c->hint);
        }
        fputs(" |\n", fp);
    }
    for (size_t i = 0; i < res->nnotes; i++) {
        fputs(i ? "\n- " : "\nNotes:\n\n- ", fp);
        md_text(fp, res->notes[i]);
    }
    fprintf(fp, "%s\n**Score: %d/%d (%.0f%%)**, pass mark %d%%: **%s**\n\n",
            res->nnotes ? "\n" : "", res->points, res->max_points, res->percent, r->pass,
            res->passed ? "PASS" : "BELOW THE PASS MARK");
}

void report_markdown_error(FILE *fp, const char *file, const char *message)
{
    fputs("### grader: ", fp);
    md_text(fp, file);
    fputs(": could not be checked\n\n", fp);
    md_text(fp, message);
    fputs("\n\n", fp);
}
