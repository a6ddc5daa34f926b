/* gradebook.c - the cohort as CSV (gradebook, LMS imports) and JSON. */
#include "gradebook.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "csvout.h"
#include "report.h"

int grade_points(const grade_row *g)
{
    return g->res ? g->res->points : 0;
}

double grade_percent(const grade_row *g)
{
    return g->res ? g->res->percent : 0.0;
}

bool grade_passed(const grade_row *g)
{
    return g->res && g->res->passed;
}

bool grade_link_only(const grade_row *g)
{
    return g->sim && g->sim->link_only;
}

bool grade_task_text(const grade_row *g)
{
    return g->sim && g->sim->task_text;
}

bool grade_needs_attention(const grade_row *g)
{
    return !g->res || !g->res->passed || g->late || grade_link_only(g) || grade_task_text(g) ||
           g->misnamed;
}

/* The flags cell: "task-text", "link-only", "misnamed", space-separated. */
static const char *flags_of(const grade_row *g, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s", grade_task_text(g) ? " task-text" : "",
             grade_link_only(g) ? " link-only" : "", g->misnamed ? " misnamed" : "");
    return buf + (*buf == ' ');
}

void grade_format_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t || !gmtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, size, "%s", "");
}

/* One decimal, so 2/3 of a point reads 66.7 and the column sorts. */
static void fmt_percent(char *buf, size_t size, double p)
{
    snprintf(buf, size, "%.1f", p);
}

static void cells(FILE *fp, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            csv_sep(fp);
        csv_cell(fp, v[i] ? v[i] : "");
    }
}

int gradebook_write(const char *path, const cohort *c, gr_error *err)
{
    afile af;
    int rc = afile_open(&af, path, err);
    if (rc)
        return rc;
    FILE *fp = af.fp;
    static const char *const head[] = {"id",     "name",        "github", "repository", "status",
                                       "commit", "commit_time", "late",   "path"};
    static const char *const tail[] = {"score",      "max",        "percent", "passed",
                                       "copy_group", "copy_share", "flags",   "links"};
    cells(fp, head, 9);
    for (size_t k = 0; k < c->rb->ncriteria; k++) {
        csv_sep(fp);
        csv_cell(fp, c->rb->criteria[k].id);
    }
    csv_sep(fp);
    cells(fp, tail, 8);
    csv_eol(fp);
    for (size_t i = 0; i < c->n; i++) {
        const grade_row *g = &c->v[i];
        char ct[32], num[32];
        grade_format_time(g->commit_time, ct, sizeof ct);
        const char *row[] = {g->id,     g->name,   g->github, g->repo,
                             g->status, g->commit, ct,        g->late ? "yes" : "no",
                             g->path};
        cells(fp, row, 9);
        for (size_t k = 0; k < c->rb->ncriteria; k++) {
            csv_sep(fp);
            if (g->res && k < g->res->n) {
                snprintf(num, sizeof num, "%d", g->res->items[k].points);
                csv_cell(fp, num);
            }
        }
        char score[16], max[16], pct[32];
        snprintf(score, sizeof score, "%d", grade_points(g));
        snprintf(max, sizeof max, "%d", c->rb->max_points);
        fmt_percent(pct, sizeof pct, grade_percent(g));
        char group[16] = "", share[16] = "";
        if (g->sim && g->sim->group) {
            snprintf(group, sizeof group, "%d", g->sim->group);
            snprintf(share, sizeof share, "%.2f", g->sim->share);
        }
        bool by_hand = grade_link_only(g);
        char flags[48];
        const char *end[] = {by_hand ? "" : score,
                             max,
                             by_hand ? "" : pct,
                             by_hand           ? ""
                             : grade_passed(g) ? "yes"
                                               : "no",
                             group,
                             share,
                             flags_of(g, flags, sizeof flags),
                             g->links ? g->links : ""};
        csv_sep(fp);
        cells(fp, end, 8);
        csv_eol(fp);
    }
    return afile_commit(&af, err);
}

int lms_parse(const char *name)
{
    if (!strcasecmp(name, "canvas"))
        return LMS_CANVAS;
    if (!strcasecmp(name, "moodle"))
        return LMS_MOODLE;
    return -1;
}

const char *lms_file_name(lms_kind kind)
{
    return kind == LMS_CANVAS ? "canvas.csv" : kind == LMS_MOODLE ? "moodle.csv" : "";
}

/* The first roster column of these names that the roster has. */
static const char *first_field(const char *(*lookup)(void *, size_t, const char *), void *ctx,
                               size_t i, const char *const *names)
{
    if (!lookup)
        return NULL;
    for (; *names; names++) {
        const char *v = lookup(ctx, i, *names);
        if (v && *v)
            return v;
    }
    return NULL;
}

/* The grade an LMS imports: empty for a post graded by hand, so the
 * import leaves that grade alone instead of entering 0. */
static void lms_score(char *buf, size_t size, const grade_row *g)
{
    if (grade_link_only(g))
        snprintf(buf, size, "%s", "");
    else
        snprintf(buf, size, "%d", grade_points(g));
}

/* A short line an LMS shows the student beside the grade. */
static void short_feedback(strbuf *sb, const grade_row *g, int max)
{
    sb_reset(sb);
    if (grade_link_only(g)) {
        sb_printf(sb, "Your post is a link (%s): your instructor grades it by hand.", g->links);
        return;
    }
    if (!g->res) {
        sb_printf(sb, "No gradable submission (%s).", g->status);
        if (*g->detail)
            sb_printf(sb, " %s", g->detail);
        return;
    }
    sb_printf(sb, "%d/%d (%.0f%%)", g->res->points, max, g->res->percent);
    size_t missed = 0;
    for (size_t k = 0; k < g->res->n; k++) {
        const crit_result *cr = &g->res->items[k];
        if (cr->met || cr->c->bonus)
            continue;
        sb_puts(sb, missed++ ? ", " : "; missed: ");
        sb_puts(sb, cr->c->id);
    }
    if (g->late)
        sb_printf(sb, "; late (%d commit%s after the deadline)", g->late_commits,
                  g->late_commits == 1 ? "" : "s");
    if (grade_task_text(g))
        sb_puts(sb, "; mostly the assignment's own text (your instructor will review it)");
    sb_putc(sb, '.');
}

int gradebook_write_lms(const char *path, const cohort *c, lms_kind kind,
                        const char *(*lookup)(void *ctx, size_t i, const char *column), void *ctx,
                        gr_error *err)
{
    afile af;
    int rc = afile_open(&af, path, err);
    if (rc)
        return rc;
    FILE *fp = af.fp;
    const char *title = c->rb->name && *c->rb->name ? c->rb->name : "Postmortem";
    strbuf sb;
    sb_init(&sb);
    char score[16], max[16];
    snprintf(max, sizeof max, "%d", c->rb->max_points);
    if (kind == LMS_CANVAS) {
        /* Canvas's gradebook import: the export's identity columns, then
         * one column per assignment; a column name without "(id)" makes a
         * new assignment. The optional "Points Possible" row gives its max.
         * Canvas matches students by ID, SIS User ID or SIS Login ID. */
        static const char *const ids[] = {"canvas_id", "canvas id", NULL};
        static const char *const sis[] = {"sis_id", "sis user id", "student_id", NULL};
        static const char *const login[] = {"sis_login", "sis login id", "login", "email", NULL};
        static const char *const section[] = {"section", "group", NULL};
        const char *head[] = {"Student", "ID", "SIS User ID", "SIS Login ID", "Section", title};
        cells(fp, head, 6);
        csv_eol(fp);
        const char *pp[] = {"    Points Possible", "", "", "", "", max};
        cells(fp, pp, 6);
        csv_eol(fp);
        for (size_t i = 0; i < c->n; i++) {
            const grade_row *g = &c->v[i];
            lms_score(score, sizeof score, g);
            const char *s = first_field(lookup, ctx, i, sis);
            const char *l = first_field(lookup, ctx, i, login);
            const char *row[] = {
                g->name,           first_field(lookup, ctx, i, ids),     s ? s : g->id,
                l ? l : g->github, first_field(lookup, ctx, i, section), score};
            cells(fp, row, 6);
            csv_eol(fp);
        }
    } else {
        /* Moodle's "Import grades > CSV file": any header; at import the
         * teacher maps one identifier column (ID number, email or
         * username) to the user and the grade and feedback columns to a
         * grade item. */
        static const char *const email[] = {"email", "email address", "e-mail", NULL};
        static const char *const idnum[] = {"idnumber", "id number", "student_id", NULL};
        strbuf fb_head;
        sb_init(&fb_head);
        sb_printf(&fb_head, "%s (feedback)", title);
        const char *head[] = {"ID number", "Email address", "Username",
                              "Full name", title,           sb_str(&fb_head)};
        cells(fp, head, 6);
        csv_eol(fp);
        sb_free(&fb_head);
        for (size_t i = 0; i < c->n; i++) {
            const grade_row *g = &c->v[i];
            lms_score(score, sizeof score, g);
            short_feedback(&sb, g, c->rb->max_points);
            const char *idn = first_field(lookup, ctx, i, idnum);
            const char *row[] = {
                idn ? idn : g->id, first_field(lookup, ctx, i, email), g->github, g->name, score,
                sb_str(&sb)};
            cells(fp, row, 6);
            csv_eol(fp);
        }
    }
    bool oom = sb_failed(&sb);
    sb_free(&sb);
    if (oom) {
        afile_abort(&af);
        return gr_error_nomem(err);
    }
    return afile_commit(&af, err);
}

void gradebook_json(strbuf *sb, const cohort *c)
{
    sb_puts(sb, "{\"rubric\":");
    json_string(sb, c->rb->name);
    sb_printf(sb, ",\"max\":%d,\"pass\":%d,\"students\":[", c->rb->max_points, c->rb->pass);
    for (size_t i = 0; i < c->n; i++) {
        const grade_row *g = &c->v[i];
        char ct[32];
        grade_format_time(g->commit_time, ct, sizeof ct);
        sb_puts(sb, i ? ",\n{" : "\n{");
        const char *keys[] = {"id",     "name",   "github",      "repository", "status",
                              "detail", "commit", "commit_time", "path"};
        const char *vals[] = {g->id,     g->name,   g->github, g->repo, g->status,
                              g->detail, g->commit, ct,        g->path};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            sb_printf(sb, "%s\"%s\":", k ? "," : "", keys[k]);
            json_string(sb, vals[k]);
        }
        sb_printf(sb, ",\"late\":%s,\"late_commits\":%d,\"misnamed\":%s,",
                  g->late ? "true" : "false", g->late_commits, g->misnamed ? "true" : "false");
        if (grade_link_only(g)) /* graded by hand: no score yet */
            sb_puts(sb, "\"score\":null,\"percent\":null,\"passed\":null,");
        else
            sb_printf(sb, "\"score\":%d,\"percent\":%.1f,\"passed\":%s,", grade_points(g),
                      grade_percent(g), grade_passed(g) ? "true" : "false");
        /* null when the similarity pass did not look at the post */
        if (g->sim)
            sb_printf(sb,
                      "\"copy_group\":%d,\"copy_share\":%.2f,\"task_text\":%s,"
                      "\"link_only\":%s,\"links\":",
                      g->sim->group, g->sim->share, g->sim->task_text ? "true" : "false",
                      g->sim->link_only ? "true" : "false");
        else
            sb_puts(sb, "\"copy_group\":null,\"copy_share\":null,\"task_text\":null,"
                        "\"link_only\":null,\"links\":");
        json_string(sb, g->links ? g->links : "");
        sb_puts(sb, ",\"result\":");
        if (g->res)
            report_json(sb, c->rb, g->res);
        else
            sb_puts(sb, "null");
        sb_putc(sb, '}');
    }
    sb_puts(sb, "]}\n");
}
