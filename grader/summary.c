/* summary.c - the class summary page. */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

void html_escape(strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            sb_puts(sb, "&amp;");
            break;
        case '<':
            sb_puts(sb, "&lt;");
            break;
        case '>':
            sb_puts(sb, "&gt;");
            break;
        case '"':
            sb_puts(sb, "&quot;");
            break;
        case '\'':
            sb_puts(sb, "&#39;");
            break;
        default:
            sb_putc(sb, *s);
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void summary_compute(const cohort *c, summary_stats *st)
{
    memset(st, 0, sizeof *st);
    st->cohort = c->n;
    double *pct = c->n ? malloc(c->n * sizeof *pct) : NULL;
    double sum = 0;
    for (size_t i = 0; i < c->n; i++) {
        const grade_row *g = &c->v[i];
        st->late += g->late;
        if (!g->res) {
            st->missing++;
            continue;
        }
        double p = g->res->percent;
        if (pct)
            pct[st->submitted] = p;
        st->submitted++;
        sum += p;
        if (g->res->passed)
            st->passed++;
        else
            st->failed++;
        int bin = p < 0 ? 0 : (int)(p / 10);
        st->hist[bin > 9 ? 9 : bin]++;
    }
    if (st->submitted) {
        st->mean = sum / (double)st->submitted;
        if (pct) {
            qsort(pct, st->submitted, sizeof *pct, cmp_double);
            size_t m = st->submitted / 2;
            st->median = st->submitted % 2 ? pct[m] : (pct[m - 1] + pct[m]) / 2;
        }
    }
    free(pct);
}

const char summary_css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2330;"
    "background:#f5f6f8;margin:0;padding:24px}"
    "main{max-width:960px;margin:0 auto}"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}"
    ".sub{color:#5b6475;margin:0 0 18px}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(100px,1fr));gap:10px}"
    ".card{background:#fff;border:1px solid #dfe3ea;border-radius:8px;padding:12px 16px;"
    "}"
    ".card b{display:block;font-size:26px}.card span{color:#5b6475;font-size:13px}"
    ".panel{background:#fff;border:1px solid #dfe3ea;border-radius:8px;padding:16px}"
    "svg text{font:12px system-ui,sans-serif;fill:#1d2330}"
    "table{border-collapse:collapse;width:100%;background:#fff}"
    "th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e6e9ef}"
    "th{font-size:13px;color:#5b6475}"
    ".tag{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;"
    "margin-right:4px}"
    ".missing{background:#fde2e1;color:#9b1c1c}.failed{background:#fff1d6;color:#8a5300}"
    ".late{background:#e4e7fb;color:#3730a3}.flag{background:#f3e8ff;color:#6b21a8}"
    ".group{background:#fff;border:1px solid #dfe3ea;border-radius:8px;padding:12px 16px;"
    "margin-bottom:14px}.group h3{font-size:16px;margin:0 0 6px}"
    ".group ul{margin:0 0 10px;padding-left:20px}"
    ".pair{display:grid;grid-template-columns:1fr 1fr;gap:10px;margin-top:10px}"
    ".side h4{font-size:13px;margin:0 0 4px;color:#5b6475}"
    ".side pre{white-space:pre-wrap;overflow-wrap:anywhere;font:12px/1.45 ui-monospace,"
    "Menlo,Consolas,monospace;background:#fafbfc;border:1px solid #e6e9ef;border-radius:6px;"
    "padding:8px;margin:0;max-height:420px;overflow:auto}"
    "mark{background:#fde68a;color:inherit}"
    "footer{color:#5b6475;font-size:12px;margin-top:24px}";

static void card(strbuf *sb, const char *id, const char *label, const char *value)
{
    sb_printf(sb, "<div class=\"card\"><b id=\"%s\">%s</b><span>%s</span></div>\n", id, value,
              label);
}

static void histogram(strbuf *sb, const summary_stats *st, int pass)
{
    size_t most = 1;
    for (int b = 0; b < 10; b++)
        if (st->hist[b] > most)
            most = st->hist[b];
    /* Whole-number gridlines: at most 5, the top one at or above the
     * tallest bar. */
    size_t step = (most + 3) / 4, ticks = (most + step - 1) / step, top = step * ticks;
    const int W = 640, H = 220, left = 40, bottom = 30, bw = 56;
    int ph = H - bottom - 16;
    sb_printf(sb,
              "<svg id=\"histogram\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
              "aria-label=\"Histogram of scores\">\n",
              W, H);
    for (size_t t = 0; t <= ticks; t++) {
        double y = 16 + ph - (double)ph * (double)t / (double)ticks;
        sb_printf(sb,
                  "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e6e9ef\"/>"
                  "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%zu</text>\n",
                  left, W - 8, y, y, left - 6, y + 4, step * t);
    }
    for (int b = 0; b < 10; b++) {
        double h = (double)ph * (double)st->hist[b] / (double)top;
        int x = left + 4 + b * (bw + 2);
        /* Green at or above the pass mark, amber within 20 points of it. */
        const char *fill = b * 10 >= pass            ? "#2f855a"
                           : b * 10 + 10 > pass - 20 ? "#d69e2e"
                                                     : "#c53030";
        sb_printf(sb,
                  "<rect class=\"bar\" data-bin=\"%d\" data-count=\"%zu\" x=\"%d\" y=\"%.1f\" "
                  "width=\"%d\" height=\"%.1f\" fill=\"%s\" rx=\"3\"><title>%d-%d%%: %zu "
                  "student%s</title></rect>\n",
                  b * 10, st->hist[b], x, 16 + ph - h, bw, h, fill, b * 10,
                  b == 9 ? 100 : b * 10 + 9, st->hist[b], st->hist[b] == 1 ? "" : "s");
        if (st->hist[b])
            sb_printf(sb, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">%zu</text>\n",
                      x + bw / 2, 16 + ph - h - 4, st->hist[b]);
        sb_printf(sb, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d%%</text>\n", x + bw / 2,
                  H - bottom + 16, b * 10);
    }
    sb_puts(sb, "</svg>\n");
}

static void criteria_chart(strbuf *sb, const cohort *c, const summary_stats *st)
{
    const rubric *rb = c->rb;
    const int row = 22, left = 200, W = 640, bwmax = W - left - 60;
    int H = (int)rb->ncriteria * row + 10;
    sb_printf(sb,
              "<svg id=\"criteria\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
              "aria-label=\"Pass rate of each criterion\">\n",
              W, H);
    for (size_t k = 0; k < rb->ncriteria; k++) {
        size_t met = 0;
        for (size_t i = 0; i < c->n; i++)
            if (c->v[i].res && k < c->v[i].res->n && c->v[i].res->items[k].met)
                met++;
        double rate = st->submitted ? 100.0 * (double)met / (double)st->submitted : 0;
        int y = 4 + (int)k * row;
        const char *fill = rate >= 70 ? "#2f855a" : rate >= 40 ? "#d69e2e" : "#c53030";
        sb_printf(sb, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 8, y + 14);
        html_escape(sb, rb->criteria[k].id);
        sb_printf(sb,
                  "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"#eef0f4\" "
                  "rx=\"3\"/><rect class=\"crit\" data-id=\"",
                  left, y + 2, bwmax);
        html_escape(sb, rb->criteria[k].id);
        sb_printf(sb,
                  "\" data-rate=\"%.0f\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" "
                  "fill=\"%s\" rx=\"3\"><title>",
                  rate, left, y + 2, bwmax * rate / 100.0, fill);
        html_escape(sb, rb->criteria[k].description ? rb->criteria[k].description : "");
        sb_printf(sb, "</title></rect><text x=\"%.1f\" y=\"%d\">%.0f%%</text>\n",
                  left + bwmax * rate / 100.0 + 6, y + 14, rate);
    }
    sb_puts(sb, "</svg>\n");
}

static void attention(strbuf *sb, const cohort *c)
{
    sb_puts(sb, "<table id=\"attention\"><thead><tr><th>Student</th><th>Status</th>"
                "<th>Score</th><th>Why</th></tr></thead><tbody>\n");
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++) {
        const grade_row *g = &c->v[i];
        if (!grade_needs_attention(g))
            continue;
        n++;
        sb_puts(sb, "<tr class=\"student\"><td><a href=\"feedback/");
        html_escape(sb, g->id); /* roster ids are safe file names */
        sb_puts(sb, ".md\">");
        html_escape(sb, *g->name ? g->name : g->id);
        sb_puts(sb, "</a> <small>");
        html_escape(sb, g->id);
        sb_puts(sb, "</small></td><td>");
        if (grade_link_only(g))
            sb_puts(sb, "<span class=\"tag flag\">link-only</span>");
        else if (!g->res)
            sb_puts(sb, "<span class=\"tag missing\">no submission</span>");
        else if (!g->res->passed)
            sb_puts(sb, "<span class=\"tag failed\">below pass</span>");
        if (grade_task_text(g))
            sb_puts(sb, "<span class=\"tag flag\">task-text</span>");
        if (g->misnamed)
            sb_puts(sb, "<span class=\"tag flag\">misnamed</span>");
        if (g->late)
            sb_puts(sb, "<span class=\"tag late\">late</span>");
        if (grade_link_only(g))
            sb_printf(sb, "</td><td>-/%d</td><td>", c->rb->max_points);
        else
            sb_printf(sb, "</td><td>%d/%d</td><td>", grade_points(g), c->rb->max_points);
        if (grade_link_only(g)) {
            sb_puts(sb, "The post is only a link; follow it and grade by hand: ");
            html_escape(sb, g->links);
        } else if (!g->res) {
            html_escape(sb, g->status);
            if (*g->detail) {
                sb_puts(sb, ": ");
                html_escape(sb, g->detail);
            }
        } else {
            if (g->late)
                sb_printf(sb, "%d commit%s after the deadline. ", g->late_commits,
                          g->late_commits == 1 ? "" : "s");
            size_t shown = 0, missed = 0;
            for (size_t k = 0; k < g->res->n; k++)
                missed += !g->res->items[k].met && !g->res->items[k].c->bonus;
            for (size_t k = 0; k < g->res->n && shown < 4; k++) {
                const crit_result *cr = &g->res->items[k];
                if (cr->met || cr->c->bonus)
                    continue;
                sb_puts(sb, shown++ ? ", " : "Missed: ");
                html_escape(sb, cr->c->id);
            }
            if (missed > shown)
                sb_printf(sb, " and %zu more", missed - shown);
            if (grade_task_text(g))
                sb_puts(sb, shown ? ". Mostly the assignment's own text."
                                  : "Mostly the assignment's own text.");
            if (g->misnamed) {
                sb_puts(sb, shown || grade_task_text(g) ? ". Graded as " : "Graded as ");
                html_escape(sb, g->path);
                sb_puts(sb, " (misnamed)");
            }
        }
        sb_puts(sb, "</td></tr>\n");
    }
    if (!n)
        sb_puts(sb, "<tr><td colspan=\"4\">Nobody: every student submitted on time and "
                    "passed.</td></tr>\n");
    sb_puts(sb, "</tbody></table>\n");
}

/* s[0..n) escaped for HTML (the post may hold NULs: dropped). */
static void html_escape_n(strbuf *sb, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i <= n; i++) {
        char ch = i < n ? s[i] : '\0';
        if (i < n && !strchr("&<>\"'", ch) && ch != '\0')
            continue;
        sb_add(sb, s + from, i - from);
        if (i < n && ch) {
            char one[2] = {ch, '\0'};
            html_escape(sb, one);
        }
        from = i + 1;
    }
}

/* Byte offset of the start of 1-based line `line` (len when past the end). */
static size_t line_start(const char *t, size_t len, int line)
{
    size_t off = 0;
    for (int l = 1; l < line && off < len; off++)
        if (t[off] == '\n')
            l++;
    return off;
}

/* Lines kept around a passage, and the most of a passage shown: the page
 * stays readable with hundreds of copies. */
enum { CONTEXT_LINES = 2, MAX_PASSAGE_LINES = 40, MAX_PAIRS = 6 };

/* One side of a pair: the post's lines first..last in a <mark>, with a
 * little context before and after. */
static void passage_side(strbuf *sb, const grade_row *g, int first, int last)
{
    sb_puts(sb, "<div class=\"side\"><h4>");
    html_escape(sb, *g->name ? g->name : g->id);
    sb_printf(sb, ", lines %d-%d</h4><pre>", first, last);
    const char *t = g->text ? g->text : "";
    size_t len = g->text ? g->len : 0;
    int shown_last = last - first >= MAX_PASSAGE_LINES ? first + MAX_PASSAGE_LINES - 1 : last;
    size_t a = line_start(t, len, first > CONTEXT_LINES ? first - CONTEXT_LINES : 1),
           b = line_start(t, len, first), e = line_start(t, len, shown_last + 1),
           z = line_start(t, len, shown_last + 1 + CONTEXT_LINES);
    html_escape_n(sb, t + a, b - a);
    sb_puts(sb, "<mark>");
    html_escape_n(sb, t + b, e - b);
    sb_puts(sb, "</mark>");
    if (shown_last < last)
        sb_printf(sb, "\n[... %d more shared lines]\n", last - shown_last);
    else
        html_escape_n(sb, t + e, z - e);
    sb_puts(sb, "</pre></div>\n");
}

static void member_link(strbuf *sb, const grade_row *g)
{
    sb_puts(sb, "<a href=\"feedback/");
    html_escape(sb, g->id);
    sb_puts(sb, ".md\">");
    html_escape(sb, *g->name ? g->name : g->id);
    sb_puts(sb, "</a> <small>");
    html_escape(sb, g->id);
    sb_puts(sb, "</small>");
}

static void copy_groups(strbuf *sb, const cohort *c)
{
    const similar_report *r = c->sim;
    if (!r) {
        sb_puts(sb, "<p id=\"copies\">Not checked: graded with --no-similar.</p>\n");
        return;
    }
    sb_puts(sb, "<div id=\"copies\">\n");
    if (!r->ngroups)
        sb_puts(sb, "<p>No copied posts found.</p>\n");
    for (size_t gi = 0; gi < r->ngroups; gi++) {
        const similar_group *gr = &r->groups[gi];
        sb_printf(sb,
                  "<div class=\"group\" id=\"group-%zu\" data-members=\"%zu\"><h3>Group %zu: "
                  "%zu students share one text</h3>\n<ul>\n",
                  gi + 1, gr->n, gi + 1, gr->n);
        for (size_t m = 0; m < gr->n; m++) {
            const grade_row *g = &c->v[c->sim_row[gr->members[m]]];
            sb_puts(sb, "<li class=\"member\">");
            member_link(sb, g);
            sb_printf(sb, " &middot; %.0f%% of the post found in the others</li>\n",
                      r->posts[gr->members[m]].share * 100);
        }
        sb_puts(sb, "</ul>\n");
        size_t pairs = 0, skipped = 0;
        for (size_t m = 0; m < gr->n; m++) {
            size_t k = gr->members[m];
            const similar_passage *p = &r->posts[k].longest;
            if (!p->words || !p->first_line || !p->other_first)
                continue;
            /* A and B usually share the same longest passage: show it once. */
            const similar_passage *back = &r->posts[p->other].longest;
            if (p->other < k && back->words && back->other == k)
                continue;
            if (pairs == MAX_PAIRS) {
                skipped++;
                continue;
            }
            pairs++;
            sb_puts(sb, "<div class=\"pair\">\n");
            passage_side(sb, &c->v[c->sim_row[k]], p->first_line, p->last_line);
            passage_side(sb, &c->v[c->sim_row[p->other]], p->other_first, p->other_last);
            sb_puts(sb, "</div>\n");
        }
        if (skipped)
            sb_printf(sb, "<p>%zu more shared passage%s: see similarity.csv.</p>\n", skipped,
                      skipped == 1 ? "" : "s");
        sb_puts(sb, "</div>\n");
    }
    sb_puts(sb, "</div>\n");
}

void summary_html(strbuf *sb, const cohort *c)
{
    summary_stats st;
    summary_compute(c, &st);
    const char *title = c->title && *c->title ? c->title : c->rb->name;
    sb_puts(sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
                "<title>");
    html_escape(sb, title);
    sb_printf(sb, ": class summary</title>\n<style>%s</style></head>\n<body><main>\n<h1>",
              summary_css);
    html_escape(sb, title);
    sb_puts(sb, ": class summary</h1>\n<p class=\"sub\">");
    sb_printf(sb, "Rubric: ");
    html_escape(sb, c->rb->name);
    sb_printf(sb, " (%d points, pass mark %d%%)", c->rb->max_points, c->rb->pass);
    char t[32];
    if (c->deadline) {
        grade_format_time(c->deadline, t, sizeof t);
        sb_printf(sb, " &middot; deadline %s", t);
    }
    if (c->graded_at) {
        grade_format_time(c->graded_at, t, sizeof t);
        sb_printf(sb, " &middot; graded %s", t);
    }
    sb_puts(sb, "</p>\n<div class=\"cards\">\n");
    char v[64];
    snprintf(v, sizeof v, "%zu", st.cohort);
    card(sb, "cohort", "students", v);
    snprintf(v, sizeof v, "%zu", st.submitted);
    card(sb, "submitted", "submitted", v);
    snprintf(v, sizeof v, "%zu", st.passed);
    card(sb, "passed", "passed", v);
    snprintf(v, sizeof v, "%zu", st.missing);
    card(sb, "missing", "nothing to grade", v);
    snprintf(v, sizeof v, "%.1f%%", st.mean);
    card(sb, "mean", "mean score", st.submitted ? v : "-");
    snprintf(v, sizeof v, "%.1f%%", st.median);
    card(sb, "median", "median score", st.submitted ? v : "-");
    snprintf(v, sizeof v, "%zu", st.late);
    card(sb, "late", "late", v);
    if (c->sim) {
        size_t copies = 0;
        for (size_t g = 0; g < c->sim->ngroups; g++)
            copies += c->sim->groups[g].n;
        snprintf(v, sizeof v, "%zu", copies);
        card(sb, "copied", "in copy groups", v);
    }
    sb_puts(sb, "</div>\n<h2>Scores</h2>\n<div class=\"panel\">\n");
    histogram(sb, &st, c->rb->pass);
    sb_puts(sb, "</div>\n<h2>Pass rate of each criterion</h2>\n<div class=\"panel\">\n");
    criteria_chart(sb, c, &st);
    sb_puts(sb, "</div>\n<h2>Needs attention</h2>\n");
    attention(sb, c);
    sb_puts(sb, "<h2>Copied posts</h2>\n");
    copy_groups(sb, c);
    sb_puts(sb, "<footer>Generated by grader. Scores, histogram and pass rates count the "
                "submitted posts; students without a gradable submission score 0 in the "
                "gradebook; a link-only post's score is left empty for the instructor. Copy "
                "groups and flags: similarity.csv.</footer>\n</main></body></html>\n");
}

int summary_write(const char *path, const cohort *c, gr_error *err)
{
    strbuf sb;
    sb_init(&sb);
    summary_html(&sb, c);
    int rc = sb_failed(&sb) ? gr_error_nomem(err) : write_file_atomic(path, sb.s, sb.len, err);
    sb_free(&sb);
    return rc;
}
