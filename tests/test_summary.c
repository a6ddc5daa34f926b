/* Unit tests for summary.c: statistics, the histogram, pass rates, the
 * students needing attention, HTML escaping, self-containment. (The page
 * rendered in a real browser: tests/e2e_grade.sh.) */
#include <stdlib.h>
#include <string.h>

#include "rubric.h"
#include "score.h"
#include "similar.h"
#include "summary.h"
#include "testutil.h"

static const char rubric_text[] = "rubric: R<&>\n"
                                  "document: Blog_Post.md\n"
                                  "pass: 50\n"
                                  "sections:\n"
                                  "  summary: [Issue Summary]\n"
                                  "criteria:\n"
                                  "  - id: title\n"
                                  "    points: 1\n"
                                  "    check: title\n"
                                  "    description: A title\n"
                                  "    hint: Add a title.\n"
                                  "  - id: summary\n"
                                  "    points: 1\n"
                                  "    check: section\n"
                                  "    section: summary\n"
                                  "    description: A summary\n"
                                  "    hint: Add a summary.\n";

static const char *const posts[] = {
    "# T\n\n## Issue Summary\n\nx\n", /* 100% */
    "# T\n\n## Issue Summary\n\nx\n", /* 100% */
    "# T\n\ntext\n",                  /* 50%: title only */
    "",                               /* 0% */
};

typedef struct fx {
    rubric *rb;
    grade_row rows[6];
    cohort c;
} fx;

/* Four graded (100, 100, 50, 0), one without a post, one late. */
static void fx_init(fx *f)
{
    gr_error err = {0};
    memset(f, 0, sizeof *f);
    ck_assert_int_eq(rubric_parse("r.yml", rubric_text, strlen(rubric_text), &f->rb, &err), 0);
    static const char *const ids[] = {"s1", "s2", "s3", "s4", "s5", "s6"};
    for (int i = 0; i < 6; i++) {
        grade_row *g = &f->rows[i];
        g->id = ids[i];
        g->name = "Student";
        g->github = g->repo = g->detail = g->advice = g->path = "";
        g->status = "ok";
        if (i < 4)
            ck_assert_int_eq(score_post(f->rb, ids[i], posts[i], strlen(posts[i]), &g->res, &err),
                             0);
    }
    f->rows[2].name = "<script>alert(1)</script> & \"q\"";
    f->rows[4].status = "no-repo";
    f->rows[4].detail = "<no repository>";
    f->rows[5].status = "auth-failed";
    f->rows[1].late = true;
    f->rows[1].late_commits = 1;
    f->c = (cohort){.rb = f->rb, .v = f->rows, .n = 6, .deadline = 1700000000};
}

static void fx_free(fx *f)
{
    for (int i = 0; i < 6; i++)
        score_result_free(f->rows[i].res);
    rubric_free(f->rb);
}

START_TEST(statistics)
{
    fx f;
    fx_init(&f);
    summary_stats st;
    summary_compute(&f.c, &st);
    ck_assert_uint_eq(st.cohort, 6);
    ck_assert_uint_eq(st.submitted, 4);
    ck_assert_uint_eq(st.missing, 2);
    ck_assert_uint_eq(st.passed, 3); /* 50% is the pass mark */
    ck_assert_uint_eq(st.failed, 1);
    ck_assert_uint_eq(st.late, 1);
    ck_assert_double_eq_tol(st.mean, 62.5, 1e-9);
    ck_assert_double_eq_tol(st.median, 75.0, 1e-9);
    ck_assert_uint_eq(st.hist[0], 1);
    ck_assert_uint_eq(st.hist[5], 1);
    ck_assert_uint_eq(st.hist[9], 2); /* 100% falls in the last bin */
    size_t sum = 0;
    for (int b = 0; b < 10; b++)
        sum += st.hist[b];
    ck_assert_uint_eq(sum, st.submitted);

    /* An odd count: the middle value. No students: zeros, no division. */
    f.c.n = 3;
    summary_compute(&f.c, &st);
    ck_assert_double_eq_tol(st.median, 100.0, 1e-9);
    f.c.n = 0;
    summary_compute(&f.c, &st);
    ck_assert_uint_eq(st.submitted, 0);
    ck_assert_double_eq_tol(st.mean, 0.0, 1e-9);
    fx_free(&f);
}
END_TEST

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

START_TEST(page)
{
    fx f;
    fx_init(&f);
    strbuf sb;
    sb_init(&sb);
    summary_html(&sb, &f.c);
    ck_assert(!sb_failed(&sb));
    const char *s = sb.s;
    ck_assert(strncmp(s, "<!DOCTYPE html>", 15) == 0);
    ck_assert(strstr(s, "<b id=\"cohort\">6</b>") != NULL);
    ck_assert(strstr(s, "<b id=\"submitted\">4</b>") != NULL);
    ck_assert(strstr(s, "<b id=\"mean\">62.5%</b>") != NULL);
    ck_assert(strstr(s, "<b id=\"median\">75.0%</b>") != NULL);
    ck_assert_uint_eq(count(s, "<rect class=\"bar\""), 10);
    ck_assert(strstr(s, "data-bin=\"90\" data-count=\"2\"") != NULL);
    /* Pass rates over the submitted: title 3/4, summary 2/4. */
    ck_assert(strstr(s, "data-id=\"title\" data-rate=\"75\"") != NULL);
    ck_assert(strstr(s, "data-id=\"summary\" data-rate=\"50\"") != NULL);
    /* Attention: s2 late, s4 failed, s5 and s6 nothing; not s1 nor s3. */
    ck_assert_uint_eq(count(s, "<tr class=\"student\">"), 4);
    ck_assert(strstr(s, "href=\"feedback/s2.md\"") != NULL);
    ck_assert(strstr(s, "href=\"feedback/s4.md\"") != NULL);
    ck_assert(strstr(s, "href=\"feedback/s5.md\"") != NULL);
    ck_assert(strstr(s, "href=\"feedback/s6.md\"") != NULL);
    ck_assert(strstr(s, "href=\"feedback/s1.md\"") == NULL);
    ck_assert(strstr(s, "href=\"feedback/s3.md\"") == NULL);
    /* Everything from outside is escaped; nothing is loaded from outside. */
    ck_assert(strstr(s, "R&lt;&amp;&gt;") != NULL);
    ck_assert(strstr(s, "R<&>") == NULL);
    ck_assert(strstr(s, "&lt;no repository&gt;") != NULL);
    ck_assert(strstr(s, "<script") == NULL);
    ck_assert(strstr(s, "http") == NULL);
    ck_assert(strstr(s, "src=") == NULL);
    sb_free(&sb);

    /* s3's hostile name shows when s3 needs attention. */
    f.rows[2].late = true;
    sb_init(&sb);
    summary_html(&sb, &f.c);
    ck_assert(strstr(sb.s, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;") != NULL);
    ck_assert(strstr(sb.s, "<script") == NULL);
    sb_free(&sb);

    /* Everyone fine: a sentence, not an empty table. */
    f.c.n = 1;
    sb_init(&sb);
    summary_html(&sb, &f.c);
    ck_assert(strstr(sb.s, "Nobody") != NULL);
    sb_free(&sb);
    fx_free(&f);
}
END_TEST

/* A copied post that carries markup: the passages on the page are text,
 * marked, side by side, with context; without a similarity pass the
 * section says so. */
START_TEST(copied_passages_are_escaped)
{
    static const char hostile[] =
        "# Outage </pre><script>alert(1)</script>\n"
        "\n"
        "The intro line stays outside the passage, as context.\n"
        "\n"
        "## Issue Summary\n"
        "\n"
        "Our reverse proxy lost its upstream pool when a configuration reload\n"
        "raced with the health checker, so every request for the storefront\n"
        "returned a gateway error until an engineer restored the previous file\n"
        "and restarted the proxy by hand; <img src=x onerror=alert(2)> the\n"
        "checker now waits for reloads and the deploy script validates the\n"
        "pool before it swaps the configuration in, which we tested twice.\n";
    fx f;
    fx_init(&f);
    f.rows[0].text = hostile;
    f.rows[0].len = strlen(hostile);
    f.rows[1].text = hostile;
    f.rows[1].len = strlen(hostile);
    similar_doc docs[2] = {{.id = "s1", .text = hostile, .len = strlen(hostile)},
                           {.id = "s2", .text = hostile, .len = strlen(hostile)}};
    size_t sim_row[2] = {0, 1};
    similar_report *rep = NULL;
    gr_error err = {0};
    ck_assert_int_eq(similar_run(docs, 2, NULL, 0, NULL, &rep, &err), 0);
    ck_assert_uint_eq(rep->ngroups, 1);
    f.rows[0].sim = &rep->posts[0];
    f.rows[1].sim = &rep->posts[1];
    f.c.sim = rep;
    f.c.sim_row = sim_row;
    f.rows[0].name = "Ann <i>";
    strbuf sb;
    sb_init(&sb);
    summary_html(&sb, &f.c);
    const char *s = sb_str(&sb);
    ck_assert(strstr(s, "<b id=\"copied\">2</b>") != NULL);
    const char *g = strstr(s, "<div class=\"group\" id=\"group-1\" data-members=\"2\">");
    ck_assert_ptr_nonnull(g);
    ck_assert(strstr(g, "href=\"feedback/s1.md\">Ann &lt;i&gt;</a>") != NULL);
    ck_assert(strstr(g, "href=\"feedback/s2.md\">Student</a>") != NULL);
    /* One pair (A-B and B-A share one passage), two marked sides. */
    ck_assert_uint_eq(count(g, "<div class=\"pair\">"), 1);
    ck_assert_uint_eq(count(g, "<div class=\"side\">"), 2);
    ck_assert_uint_eq(count(g, "<mark>"), 2);
    ck_assert(strstr(g, "&lt;img src=x onerror=alert(2)&gt;") != NULL);
    ck_assert(strstr(s, "<script") == NULL);
    ck_assert(strstr(s, "<img") == NULL);
    ck_assert(strstr(s, "</pre><script") == NULL);
    sb_free(&sb);

    /* Not compared: said, not left blank. */
    f.c.sim = NULL;
    f.rows[0].sim = f.rows[1].sim = NULL;
    sb_init(&sb);
    summary_html(&sb, &f.c);
    ck_assert(strstr(sb.s, "Not checked") != NULL);
    ck_assert(strstr(sb.s, "id=\"copied\"") == NULL);
    sb_free(&sb);
    similar_report_free(rep);
    fx_free(&f);
}
END_TEST

START_TEST(written_atomically)
{
    fx f;
    fx_init(&f);
    char *d = tu_tmpdir(), *p = path_join(d, "summary.html"), *bad = path_join(d, "x/y.html");
    gr_error err = {0};
    ck_assert_int_eq(summary_write(p, &f.c, &err), 0);
    char *text = tu_slurp(p);
    ck_assert(strstr(text, "</html>") != NULL);
    ck_assert_int_ne(summary_write(bad, &f.c, &err), 0);
    free(text);
    free(p);
    free(bad);
    tu_rmtree(d);
    free(d);
    fx_free(&f);
}
END_TEST

static Suite *summary_suite(void)
{
    Suite *s = suite_create("summary");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, statistics);
    tcase_add_test(tc, page);
    tcase_add_test(tc, copied_passages_are_escaped);
    tcase_add_test(tc, written_atomically);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(summary_suite)
