#include "report.h"

#include <string.h>

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_DIM "\033[2m"

static const char *col(bool color, const char *code)
{
    return color ? code : "";
}

void report_text(FILE *fp, const rubric *r, const score_result *res, bool color)
{
    const char *reset = col(color, C_RESET);
    fprintf(fp, "%s%s%s: %s rubric (%s)\n", col(color, C_BOLD), res->file, reset, r->name, r->path);
    size_t idw = 0;
    for (size_t i = 0; i < res->n; i++)
        if (strlen(res->items[i].c->id) > idw)
            idw = strlen(res->items[i].c->id);
    for (size_t i = 0; i < res->n; i++) {
        const crit_result *cr = &res->items[i];
        const char *mark = cr->met ? "\xe2\x9c\x93" : "\xe2\x9c\x97"; /* ✓ ✗ */
        fprintf(fp, "  %s%s%s %-*s %2d/%-2d %s%s%s\n",
                col(color, cr->met ? C_GREEN : (cr->c->bonus ? C_YELLOW : C_RED)), mark, reset,
                (int)idw, cr->c->id, cr->points, cr->c->points, col(color, C_DIM),
                cr->c->bonus ? "(bonus) " : "", reset);
    }
    bool any = false;
    for (size_t i = 0; i < res->n; i++) {
        const crit_result *cr = &res->items[i];
        if (cr->met)
            continue;
        if (!any)
            fputc('\n', fp);
        any = true;
        fprintf(fp, "%s%s:%d:%d:%s %s%s:%s %s (%d pt%s%s)\n", col(color, C_BOLD), res->file,
                cr->line, cr->col, reset, col(color, cr->c->bonus ? C_YELLOW : C_RED), cr->c->id,
                reset, cr->message, cr->c->points, cr->c->points == 1 ? "" : "s",
                cr->c->bonus ? ", bonus" : "");
        fprintf(fp, "    hint: %s\n", cr->c->hint);
    }
    for (size_t i = 0; i < res->nnotes; i++)
        fprintf(fp, "%s%s: note:%s %s\n", col(color, C_YELLOW), res->file, reset, res->notes[i]);
    fprintf(fp, "\n%sscore: %d/%d (%.0f%%)%s, %zu words; pass mark %d%%: %s%s%s\n",
            col(color, C_BOLD), res->points, res->max_points, res->percent, reset, res->words,
            r->pass, col(color, res->passed ? C_GREEN : C_RED),
            res->passed ? "PASS" : "BELOW THE PASS MARK", reset);
}

void json_string(strbuf *sb, const char *s)
{
    sb_putc(sb, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"':
            sb_puts(sb, "\\\"");
            break;
        case '\\':
            sb_puts(sb, "\\\\");
            break;
        case '\n':
            sb_puts(sb, "\\n");
            break;
        case '\r':
            sb_puts(sb, "\\r");
            break;
        case '\t':
            sb_puts(sb, "\\t");
            break;
        default:
            if (*p < 0x20)
                sb_printf(sb, "\\u%04x", *p);
            else
                sb_putc(sb, (char)*p);
        }
    }
    sb_putc(sb, '"');
}

void report_json(strbuf *sb, const rubric *r, const score_result *res)
{
    sb_puts(sb, "{\"file\":");
    json_string(sb, res->file);
    sb_puts(sb, ",\"rubric\":");
    json_string(sb, r->name);
    sb_printf(sb,
              ",\"points\":%d,\"max\":%d,\"bonus\":%d,\"percent\":%.2f,\"pass\":%d,"
              "\"passed\":%s,\"words\":%zu,\"criteria\":[",
              res->points, res->max_points, res->bonus_points, res->percent, r->pass,
              res->passed ? "true" : "false", res->words);
    for (size_t i = 0; i < res->n; i++) {
        const crit_result *cr = &res->items[i];
        sb_puts(sb, i ? ",{\"id\":" : "{\"id\":");
        json_string(sb, cr->c->id);
        sb_printf(sb, ",\"met\":%s,\"points\":%d,\"max\":%d,\"bonus\":%s,\"line\":%d,\"col\":%d",
                  cr->met ? "true" : "false", cr->points, cr->c->points,
                  cr->c->bonus ? "true" : "false", cr->line, cr->col);
        sb_puts(sb, ",\"message\":");
        json_string(sb, cr->message);
        sb_puts(sb, ",\"hint\":");
        json_string(sb, cr->c->hint);
        sb_putc(sb, '}');
    }
    sb_puts(sb, "],\"notes\":[");
    for (size_t i = 0; i < res->nnotes; i++) {
        if (i)
            sb_putc(sb, ',');
        json_string(sb, res->notes[i]);
    }
    sb_puts(sb, "]}");
}

void report_json_error(strbuf *sb, const char *file, const char *message)
{
    sb_puts(sb, "{\"file\":");
    json_string(sb, file);
    sb_puts(sb, ",\"error\":");
    json_string(sb, message);
    sb_putc(sb, '}');
}
