/* serve_pages.c - grader serve's HTML: the reviewer's, author's and
 * instructor's pages. */
#include "serve_pages.h"

#include <cmark.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"

static const char extra_css[] =
    ".post{background:#fff;border:1px solid #dfe3ea;border-radius:8px;padding:4px 18px;"
    "overflow-wrap:anywhere}.post img{max-width:100%}.post pre{white-space:pre-wrap}"
    "fieldset{background:#fff;border:1px solid #dfe3ea;border-radius:8px;margin:0 0 10px;"
    "padding:10px 14px}legend{font-weight:600;padding:0 4px}"
    "fieldset p{margin:2px 0 8px;color:#5b6475;font-size:13px}"
    ".row{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}"
    "label{font-size:14px}input[type=number]{width:5em}"
    "textarea{width:100%;box-sizing:border-box;min-height:3.2em;font:inherit;margin-top:6px}"
    "button{font:inherit;padding:7px 14px;border-radius:6px;border:1px solid #9aa3b2;"
    "background:#fff;margin:4px 8px 4px 0}button.primary{background:#2f855a;color:#fff;"
    "border-color:#2f855a}"
    ".error{background:#fde2e1;color:#9b1c1c;border:1px solid #f5b5b2;border-radius:8px;"
    "padding:10px 14px;margin:0 0 14px}"
    ".notice{background:#e3f5ea;color:#1f5f3b;border:1px solid #b5e0c5;border-radius:8px;"
    "padding:10px 14px;margin:0 0 14px}"
    ".draft{background:#fff1d6;color:#8a5300}.done{background:#e3f5ea;color:#1f5f3b}"
    ".todo{background:#fde2e1;color:#9b1c1c}"
    ".review{background:#fff;border:1px solid #dfe3ea;border-radius:8px;padding:12px 16px;"
    "margin-bottom:14px}.review h3{margin:0 0 6px;font-size:16px}"
    ".scroll{overflow-x:auto}td.num,th.num{text-align:right}"
    "@media (max-width:600px){body{padding:12px}th,td{padding:5px 6px}}";

void page_css(strbuf *sb)
{
    sb_puts(sb, summary_css);
    sb_puts(sb, extra_css);
}

static void esc(strbuf *sb, const char *s)
{
    html_escape(sb, s);
}

static void head(strbuf *sb, const char *title)
{
    sb_puts(sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
                "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    esc(sb, title);
    sb_puts(sb, "</title>\n<link rel=\"stylesheet\" href=\"/style.css\"></head>\n<body><main>\n");
}

static void foot(strbuf *sb)
{
    sb_puts(sb, "<footer>grader serve. This page is private: do not share its address."
                "</footer>\n</main></body></html>\n");
}

void page_message(strbuf *sb, const char *title, const char *text)
{
    head(sb, title);
    sb_puts(sb, "<h1>");
    esc(sb, title);
    sb_puts(sb, "</h1>\n<p>");
    esc(sb, text);
    sb_puts(sb, "</p>\n");
    foot(sb);
}

static void notice_box(strbuf *sb, const char *cls, const char *text)
{
    if (!text || !*text)
        return;
    sb_printf(sb, "<div class=\"%s\" id=\"%s\" role=\"%s\">", cls, cls,
              !strcmp(cls, "error") ? "alert" : "status");
    esc(sb, text);
    sb_puts(sb, "</div>\n");
}

static void pts(strbuf *sb, double v)
{
    sb_printf(sb, "%.10g", v);
}

static const char *state_tag(int s)
{
    return s == DB_SUBMITTED ? "<span class=\"tag done\">submitted</span>"
           : s == DB_DRAFT   ? "<span class=\"tag draft\">draft</span>"
                             : "<span class=\"tag todo\">to do</span>";
}

static void deadline_line(strbuf *sb, const page_ctx *c)
{
    if (c->closed)
        sb_puts(sb, "<p class=\"sub\">The review deadline has passed: reviews can be read, not "
                    "changed.</p>\n");
    else if (c->deadline && *c->deadline) {
        sb_puts(sb, "<p class=\"sub\">You can edit your reviews until ");
        esc(sb, c->deadline);
        sb_puts(sb, ".</p>\n");
    }
}

void page_home(strbuf *sb, const page_ctx *c, const char *name, const db_review *tasks, size_t n,
               bool is_author)
{
    head(sb, "Your peer reviews");
    sb_puts(sb, "<h1>Peer review: ");
    esc(sb, name);
    sb_puts(sb, "</h1>\n");
    size_t done = 0;
    for (size_t i = 0; i < n; i++)
        done += tasks[i].state == DB_SUBMITTED;
    sb_printf(sb, "<p class=\"sub\" id=\"progress\">%zu of %zu reviews submitted.</p>\n", done, n);
    deadline_line(sb, c);
    sb_puts(sb, "<div class=\"scroll\"><table id=\"tasks\"><tr><th>Post</th><th>State</th>"
                "<th class=\"num\">Score</th><th></th></tr>\n");
    for (size_t i = 0; i < n; i++) {
        const db_review *t = &tasks[i];
        sb_printf(sb, "<tr><td>Post %zu", i + 1);
        if (!(c->anonymous & ANON_AUTHORS)) {
            sb_puts(sb, " by ");
            esc(sb, t->author_name);
        }
        sb_printf(sb, "</td><td>%s</td><td class=\"num\">", state_tag(t->state));
        if (t->state)
            pts(sb, t->score);
        sb_printf(sb, "</td><td><a href=\"review/%ld\">%s</a></td></tr>\n", t->n,
                  c->closed || t->state == DB_SUBMITTED ? "open" : "review");
    }
    sb_puts(sb, "</table></div>\n");
    if (is_author && c->released)
        sb_puts(sb, "<h2>Your own post</h2>\n<p><a id=\"feedback-link\" href=\"feedback\">Read "
                    "the reviews of your post</a></p>\n");
    foot(sb);
}

void page_markdown(strbuf *sb, const char *md, size_t len)
{
    char *html = cmark_markdown_to_html(md, len, CMARK_OPT_DEFAULT | CMARK_OPT_SAFE);
    if (!html) {
        sb->oom = true;
        return;
    }
    sb_puts(sb, html);
    free(html);
}

static void criterion_field(strbuf *sb, const criterion *cr, size_t i, const db_item *it, bool ro)
{
    const char *dis = ro ? " disabled" : "";
    sb_printf(sb, "<fieldset class=\"crit\" id=\"crit-%zu\"><legend>", i);
    esc(sb, cr->id);
    sb_printf(sb, " (%d point%s%s)</legend>\n<p>", cr->points, cr->points == 1 ? "" : "s",
              cr->bonus ? ", bonus" : "");
    esc(sb, cr->description);
    sb_puts(sb, "</p>\n<div class=\"row\">");
    sb_printf(sb,
              "<label><input type=\"radio\" name=\"m_%zu\" value=\"1\"%s%s> Met</label>"
              "<label><input type=\"radio\" name=\"m_%zu\" value=\"0\"%s%s> Not met</label>",
              i, it->met == 1 ? " checked" : "", dis, i, it->met == 0 ? " checked" : "", dis);
    sb_printf(sb,
              "<label>Points <input type=\"number\" name=\"p_%zu\" min=\"0\" max=\"%d\" "
              "step=\"any\" inputmode=\"decimal\" value=\"",
              i, cr->points);
    if (it->has_points)
        pts(sb, it->points);
    sb_printf(sb, "\"%s></label></div>\n", dis);
    sb_printf(sb,
              "<label for=\"c_%zu\">Comment</label><textarea id=\"c_%zu\" name=\"c_%zu\" "
              "maxlength=\"2000\"%s>",
              i, i, i, dis);
    esc(sb, it->comment ? it->comment : "");
    sb_puts(sb, "</textarea></fieldset>\n");
}

void page_review(strbuf *sb, const page_ctx *c, const db_review *r, size_t number, const char *post,
                 size_t len, const char *error, const char *notice)
{
    char title[64];
    snprintf(title, sizeof title, "Review of post %zu", number);
    head(sb, title);
    sb_puts(sb, "<p><a href=\"../\">&larr; All your reviews</a></p>\n<h1>");
    esc(sb, title);
    if (!(c->anonymous & ANON_AUTHORS)) {
        sb_puts(sb, " by ");
        esc(sb, r->author_name);
    }
    sb_printf(sb, "</h1>\n<p class=\"sub\">State: %s</p>\n", state_tag(r->state));
    deadline_line(sb, c);
    notice_box(sb, "error", error);
    notice_box(sb, "notice", notice);
    sb_puts(sb, "<h2>The post</h2>\n<article class=\"post\" id=\"post\">\n");
    page_markdown(sb, post, len);
    sb_puts(sb, "</article>\n<h2>Your review</h2>\n<form method=\"post\" id=\"review\">\n");
    sb_printf(sb, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", c->csrf);
    bool ro = c->closed;
    for (size_t i = 0; c->rb && i < c->rb->ncriteria; i++) {
        db_item none = {-1, 0, false, NULL};
        criterion_field(sb, &c->rb->criteria[i], i, i < r->nitems ? &r->items[i] : &none, ro);
    }
    sb_printf(sb,
              "<fieldset><legend>Overall comment</legend><textarea name=\"overall\" "
              "id=\"overall\" maxlength=\"8000\"%s>",
              ro ? " disabled" : "");
    esc(sb, r->overall ? r->overall : "");
    sb_puts(sb, "</textarea></fieldset>\n");
    if (!ro) {
        if (r->state != DB_SUBMITTED)
            sb_puts(sb, "<button type=\"submit\" name=\"action\" value=\"draft\" "
                        "id=\"save-draft\">Save draft</button>");
        sb_printf(sb,
                  "<button type=\"submit\" class=\"primary\" name=\"action\" value=\"submit\" "
                  "id=\"submit\">%s</button>\n",
                  r->state == DB_SUBMITTED ? "Submit changes" : "Submit review");
        sb_puts(sb, "<p class=\"sub\">Points left empty count as all points for a criterion "
                    "marked met and 0 for one not met.</p>\n");
    }
    sb_puts(sb, "</form>\n");
    foot(sb);
}

static void review_items(strbuf *sb, const page_ctx *c, const db_review *r)
{
    sb_puts(sb, "<div class=\"scroll\"><table><tr><th>Criterion</th><th>Verdict</th>"
                "<th class=\"num\">Points</th><th>Comment</th></tr>\n");
    for (size_t i = 0; c->rb && i < c->rb->ncriteria && i < r->nitems; i++) {
        const db_item *it = &r->items[i];
        sb_puts(sb, "<tr><td>");
        esc(sb, c->rb->criteria[i].id);
        sb_printf(sb, "</td><td>%s</td><td class=\"num\">",
                  it->met == 1   ? "met"
                  : it->met == 0 ? "not met"
                                 : "");
        if (it->has_points)
            pts(sb, it->points);
        sb_printf(sb, "/%d</td><td>", c->rb->criteria[i].points);
        esc(sb, it->comment);
        sb_puts(sb, "</td></tr>\n");
    }
    sb_puts(sb, "</table></div>\n");
    if (r->overall && *r->overall) {
        sb_puts(sb, "<p class=\"overall\">");
        esc(sb, r->overall);
        sb_puts(sb, "</p>\n");
    }
}

void page_feedback(strbuf *sb, const page_ctx *c, const char *name, const db_review *v, size_t n,
                   const char *notice)
{
    head(sb, "Reviews of your post");
    sb_puts(sb, "<p><a href=\"./\">&larr; Your reviews to do</a></p>\n<h1>Reviews of your "
                "post</h1>\n<p class=\"sub\">");
    esc(sb, name);
    sb_printf(sb, ": %zu review%s received.</p>\n", n, n == 1 ? "" : "s");
    notice_box(sb, "notice", notice);
    for (size_t i = 0; i < n; i++) {
        const db_review *r = &v[i];
        sb_printf(sb, "<section class=\"review\" id=\"review-%zu\"><h3>Reviewer %zu", i + 1, i + 1);
        if (!(c->anonymous & ANON_REVIEWERS)) {
            sb_puts(sb, ": ");
            esc(sb, r->reviewer_name);
        }
        sb_puts(sb, " &middot; ");
        pts(sb, r->score);
        sb_printf(sb, " points</h3>\n");
        review_items(sb, c, r);
        sb_printf(sb,
                  "<form method=\"post\" action=\"feedback/%ld\" class=\"row\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                  "<span>Was this review helpful?</span>"
                  "<button type=\"submit\" name=\"helpful\" value=\"1\"%s>Yes%s</button>"
                  "<button type=\"submit\" name=\"helpful\" value=\"0\"%s>No%s</button>"
                  "</form></section>\n",
                  r->n, c->csrf, r->helpful == 1 ? " class=\"primary\"" : "",
                  r->helpful == 1 ? " (your answer)" : "",
                  r->helpful == 0 ? " class=\"primary\"" : "",
                  r->helpful == 0 ? " (your answer)" : "");
    }
    if (!n)
        sb_puts(sb, "<p>No reviews of your post were submitted.</p>\n");
    foot(sb);
}

/* ---- the instructor's page ---- */

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_dbl);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long person_index(const instructor_data *d, const char *id)
{
    size_t lo = 0, hi = d->npeople;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int k = strcmp(d->people[mid].id, id);
        if (!k)
            return (long)mid;
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

typedef struct gap {
    long person;
    size_t crit;
    double peer, diff;
    int autop;
    size_t n;
} gap;

static int cmp_gap(const void *a, const void *b)
{
    const gap *x = a, *y = b;
    if (x->diff != y->diff)
        return x->diff < y->diff ? 1 : -1;
    return x->person != y->person ? (x->person < y->person ? -1 : 1)
                                  : (x->crit < y->crit ? -1 : x->crit > y->crit);
}

typedef struct crit_sum {
    double diff;      /* sum of |peer median - auto| / points */
    size_t n;         /* authors with both */
    size_t auto_met;  /* auto gave full points */
    size_t peers_met; /* the peers' median at least half the points */
} crit_sum;

static void progress_tables(strbuf *sb, const instructor_data *d, const int *state_of)
{
    size_t np = d->npeople;
    size_t *asg = calloc(np * 6 + 1, sizeof *asg);
    if (!asg) {
        sb->oom = true;
        return;
    }
    /* per person: assigned, submitted, drafts as reviewer; received,
     * assigned as author; helpful votes */
    for (size_t i = 0; i < d->nreviews; i++) {
        const db_review *r = &d->reviews[i];
        long a = person_index(d, r->author), w = person_index(d, r->reviewer);
        if (w >= 0) {
            asg[6 * w]++;
            asg[6 * w + 1] += state_of[i] == DB_SUBMITTED;
            asg[6 * w + 2] += state_of[i] == DB_DRAFT;
            asg[6 * w + 5] += r->helpful == 1;
        }
        if (a >= 0) {
            asg[6 * a + 3] += state_of[i] == DB_SUBMITTED;
            asg[6 * a + 4]++;
        }
    }
    sb_puts(sb, "<h2>Progress per student</h2>\n<div class=\"scroll\"><table id=\"progress\">"
                "<tr><th>Student</th><th class=\"num\">Reviews submitted</th>"
                "<th class=\"num\">Drafts</th><th class=\"num\">Helpful votes</th>"
                "<th class=\"num\">Reviews received</th></tr>\n");
    for (size_t p = 0; p < np; p++) {
        const size_t *q = &asg[6 * p];
        sb_printf(sb, "<tr data-id=\"");
        esc(sb, d->people[p].id);
        sb_puts(sb, "\"><td>");
        esc(sb, d->people[p].name);
        sb_puts(sb, " <small>");
        esc(sb, d->people[p].id);
        sb_printf(sb,
                  "</small></td><td class=\"num\">%zu/%zu</td><td class=\"num\">%zu</td>"
                  "<td class=\"num\">%zu</td><td class=\"num\">",
                  q[1], q[0], q[2], q[5]);
        if (d->people[p].author)
            sb_printf(sb, "%zu/%zu", q[3], q[4]);
        else
            sb_puts(sb, "<span class=\"tag missing\">no post</span>");
        sb_puts(sb, "</td></tr>\n");
    }
    sb_puts(sb, "</table></div>\n");
    free(asg);
}

static void missing_table(strbuf *sb, const instructor_data *d, const int *state_of)
{
    size_t shown = 0, missing = 0;
    for (size_t i = 0; i < d->nreviews; i++)
        missing += state_of[i] != DB_SUBMITTED;
    sb_printf(sb, "<h2>Missing reviews (%zu)</h2>\n", missing);
    if (!missing) {
        sb_puts(sb, "<p>Every assigned review is submitted.</p>\n");
        return;
    }
    sb_puts(sb, "<div class=\"scroll\"><table id=\"missing\"><tr><th>Reviewer</th><th>Author</th>"
                "<th>State</th></tr>\n");
    for (size_t i = 0; i < d->nreviews && shown < 500; i++) {
        const db_review *r = &d->reviews[i];
        if (state_of[i] == DB_SUBMITTED)
            continue;
        shown++;
        sb_puts(sb, "<tr><td>");
        esc(sb, r->reviewer);
        sb_puts(sb, "</td><td>");
        esc(sb, r->author);
        sb_printf(sb, "</td><td>%s</td></tr>\n", state_tag(state_of[i]));
    }
    sb_puts(sb, "</table></div>\n");
    if (missing > shown)
        sb_printf(sb, "<p class=\"sub\">and %zu more.</p>\n", missing - shown);
}

/* Peers' median per author and criterion beside the automatic points. */
static void agreement_tables(strbuf *sb, const page_ctx *c, const instructor_data *d,
                             const int *state_of)
{
    size_t nc = c->rb ? c->rb->ncriteria : 0, np = d->npeople;
    if (!nc)
        return;
    crit_sum *cs = calloc(nc, sizeof *cs);
    gap *gaps = malloc((np * nc + 1) * sizeof *gaps);
    double *buf = malloc((d->nreviews ? d->nreviews : 1) * sizeof *buf);
    size_t ngaps = 0;
    if (!cs || !gaps || !buf) {
        sb->oom = true;
        goto out;
    }
    /* Reviews are sorted by reviewer: bucket them by author first. */
    size_t *off = calloc(np + 2, sizeof *off), *list = malloc((d->nreviews + 1) * sizeof *list);
    long *who = malloc((d->nreviews + 1) * sizeof *who);
    if (!off || !list || !who) {
        free(off);
        free(list);
        free(who);
        sb->oom = true;
        goto out;
    }
    for (size_t i = 0; i < d->nreviews; i++)
        if ((who[i] = person_index(d, d->reviews[i].author)) >= 0)
            off[who[i] + 2]++;
    for (size_t p = 0; p < np; p++)
        off[p + 2] += off[p + 1];
    for (size_t i = 0; i < d->nreviews; i++)
        if (who[i] >= 0)
            list[off[who[i] + 1]++] = i;
    for (size_t p = 0; p < np; p++) {
        if (!d->people[p].author)
            continue;
        for (size_t k = 0; k < nc; k++) {
            size_t n = 0;
            for (size_t j = off[p]; j < off[p + 1]; j++) {
                const db_review *r = &d->reviews[list[j]];
                if (state_of[list[j]] == DB_SUBMITTED && k < r->nitems && r->items[k].has_points)
                    buf[n++] = r->items[k].points;
            }
            int ap = d->auto_points[p * nc + k];
            if (!n || ap < 0)
                continue;
            const criterion *cr = &c->rb->criteria[k];
            double med = median_of(buf, n);
            double diff = cr->points ? fabs(med - ap) / cr->points : 0;
            cs[k].diff += diff;
            cs[k].n++;
            cs[k].auto_met += ap >= cr->points;
            cs[k].peers_met += 2 * med >= cr->points;
            gaps[ngaps++] = (gap){(long)p, k, med, diff, ap, n};
        }
    }
    free(off);
    free(list);
    free(who);
    sb_puts(sb, "<h2>Peers and the grader, per criterion</h2>\n<p class=\"sub\">Sorted by how "
                "far the peers' median is from the automatic points, as a share of the "
                "criterion's points: look at the top rows first.</p>\n<div class=\"scroll\">"
                "<table id=\"criteria\"><tr><th>Criterion</th><th class=\"num\">Authors</th>"
                "<th class=\"num\">Grader: met</th><th class=\"num\">Peers: met</th>"
                "<th class=\"num\">Mean gap</th></tr>\n");
    size_t *order = malloc(nc * sizeof *order);
    if (!order) {
        sb->oom = true;
        goto out;
    }
    for (size_t k = 0; k < nc; k++)
        order[k] = k;
    for (size_t i = 1; i < nc; i++) /* insertion sort: a rubric has ~20 criteria */
        for (size_t j = i; j > 0; j--) {
            double a = cs[order[j - 1]].n ? cs[order[j - 1]].diff / cs[order[j - 1]].n : -1;
            double b = cs[order[j]].n ? cs[order[j]].diff / cs[order[j]].n : -1;
            if (a >= b)
                break;
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t q = 0; q < nc; q++) {
        size_t k = order[q];
        sb_puts(sb, "<tr data-criterion=\"");
        esc(sb, c->rb->criteria[k].id);
        sb_puts(sb, "\"><td>");
        esc(sb, c->rb->criteria[k].id);
        sb_printf(sb, "</td><td class=\"num\">%zu</td>", cs[k].n);
        if (cs[k].n)
            sb_printf(sb,
                      "<td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
                      "<td class=\"num\">%.0f%%</td></tr>\n",
                      cs[k].auto_met, cs[k].peers_met, 100.0 * cs[k].diff / (double)cs[k].n);
        else
            sb_puts(sb, "<td></td><td></td><td></td></tr>\n");
    }
    free(order);
    sb_puts(sb, "</table></div>\n");
    qsort(gaps, ngaps, sizeof *gaps, cmp_gap);
    sb_puts(sb, "<h2>Where peers and the grader disagree most</h2>\n<div class=\"scroll\">"
                "<table id=\"disagree\"><tr><th>Author</th><th>Criterion</th>"
                "<th class=\"num\">Grader</th><th class=\"num\">Peers' median</th>"
                "<th class=\"num\">Reviews</th></tr>\n");
    size_t shown = 0;
    for (size_t i = 0; i < ngaps && shown < 20; i++) {
        if (gaps[i].diff <= 0)
            break;
        shown++;
        const criterion *cr = &c->rb->criteria[gaps[i].crit];
        sb_puts(sb, "<tr><td>");
        esc(sb, d->people[gaps[i].person].id);
        sb_puts(sb, "</td><td>");
        esc(sb, cr->id);
        sb_printf(sb, "</td><td class=\"num\">%d/%d</td><td class=\"num\">", gaps[i].autop,
                  cr->points);
        pts(sb, gaps[i].peer);
        sb_printf(sb, "</td><td class=\"num\">%zu</td></tr>\n", gaps[i].n);
    }
    if (!shown)
        sb_puts(sb, "<tr><td colspan=\"5\">No disagreement yet.</td></tr>\n");
    sb_puts(sb, "</table></div>\n");
out:
    free(cs);
    free(gaps);
    free(buf);
}

void page_instructor(strbuf *sb, const page_ctx *c, const instructor_data *d, const char *notice)
{
    head(sb, "Peer review: instructor");
    sb_puts(sb, "<h1>Peer review</h1>\n");
    size_t st[3] = {0, 0, 0};
    int *state_of = malloc((d->nreviews ? d->nreviews : 1) * sizeof *state_of);
    if (!state_of) {
        sb->oom = true;
        return;
    }
    for (size_t i = 0; i < d->nreviews; i++) {
        state_of[i] = d->reviews[i].state;
        st[state_of[i] >= 0 && state_of[i] <= 2 ? state_of[i] : 0]++;
    }
    sb_printf(sb, "<p class=\"sub\">%zu students, %zu reviews assigned.", d->npeople, d->nreviews);
    if (c->deadline && *c->deadline) {
        sb_puts(sb, " Deadline ");
        esc(sb, c->deadline);
        sb_puts(sb, c->closed ? " (passed)." : ".");
    }
    sb_puts(sb, "</p>\n");
    notice_box(sb, "notice", notice);
    sb_puts(sb, "<div class=\"cards\">\n");
    char v[32];
    snprintf(v, sizeof v, "%zu", st[DB_SUBMITTED]);
    sb_printf(sb, "<div class=\"card\"><b id=\"submitted\">%s</b><span>submitted</span></div>\n",
              v);
    sb_printf(sb, "<div class=\"card\"><b id=\"drafts\">%zu</b><span>drafts</span></div>\n",
              st[DB_DRAFT]);
    sb_printf(sb,
              "<div class=\"card\"><b id=\"not-started\">%zu</b><span>not started</span>"
              "</div>\n",
              st[DB_NOT_STARTED]);
    sb_printf(sb, "<div class=\"card\"><b id=\"done-percent\">%.0f%%</b><span>done</span></div>\n",
              d->nreviews ? 100.0 * (double)st[DB_SUBMITTED] / (double)d->nreviews : 0.0);
    sb_puts(sb, "</div>\n");
    sb_printf(sb,
              "<p><a href=\"reviews.csv\" id=\"download\">Download reviews.csv</a> (for grader "
              "collect --reviews)</p>\n<form method=\"post\" action=\"release\" class=\"row\">"
              "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
              "<span id=\"released\">Feedback to authors: %s.</span>"
              "<button type=\"submit\" name=\"released\" value=\"%d\"%s>%s</button></form>\n",
              c->csrf, c->released ? "released" : "not released", c->released ? 0 : 1,
              c->released ? "" : " class=\"primary\"",
              c->released ? "Withhold feedback" : "Release feedback to authors");
    progress_tables(sb, d, state_of);
    missing_table(sb, d, state_of);
    agreement_tables(sb, c, d, state_of);
    free(state_of);
    foot(sb);
}
