/* Unit tests for gradebook.c and feedback.c: the CSV parses back with
 * libcsv to the same values, formulas are neutralised, a failed write keeps
 * the previous gradebook, LMS layouts, JSON, the student's feedback. */
#include <csv.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "feedback.h"
#include "gradebook.h"
#include "rubric.h"
#include "score.h"
#include "similar.h"
#include "summary.h"
#include "testutil.h"
#include "util.h"

static const char good_post[] = "# Outage\n\n## Issue Summary\n\nIt broke.\n\n## Timeline\n\n"
                                "- 10:00 it broke\n";
static const char half_post[] = "# Outage\n\n## Issue Summary\n\nIt broke.\n";

/* A cohort of four: full marks, below the pass mark and late, no post,
 * and a hostile name. */
typedef struct fixture {
    rubric *rb;
    grade_row rows[4];
    cohort c;
} fixture;

static void fixture_init(fixture *f)
{
    gr_error err = {0};
    memset(f, 0, sizeof *f);
    ck_assert_int_eq(rubric_parse("tiny.yml", tu_tiny_rubric, strlen(tu_tiny_rubric), &f->rb, &err),
                     0);
    static const char *const ids[] = {"ann", "bob", "cat", "dan"};
    static const char *const names[] = {"Ann Lee", "Bob, \"Jr\"", "Cat\nNewline",
                                        "=HYPERLINK(\"http://x\")"};
    for (int i = 0; i < 4; i++) {
        grade_row *g = &f->rows[i];
        g->id = ids[i];
        g->name = names[i];
        g->github = i == 3 ? "@dan" : "gh";
        g->repo = "https://example.invalid/r.git";
        g->status = "ok";
        g->detail = g->advice = "";
        g->path = "Blog_Post.md";
        snprintf(g->commit, sizeof g->commit, "%040d", i + 1);
        g->commit_time = 1700000000 + i;
    }
    ck_assert_int_eq(score_post(f->rb, "ann", good_post, strlen(good_post), &f->rows[0].res, &err),
                     0);
    ck_assert_int_eq(score_post(f->rb, "bob", half_post, strlen(half_post), &f->rows[1].res, &err),
                     0);
    f->rows[1].late = true;
    f->rows[1].late_commits = 2;
    f->rows[2].status = "no-post";
    f->rows[2].detail = "Blog_Post.md is not in the graded commit";
    f->rows[2].commit_time = 0;
    f->rows[2].path = "";
    ck_assert_int_eq(score_post(f->rb, "dan", good_post, strlen(good_post), &f->rows[3].res, &err),
                     0);
    f->c = (cohort){.rb = f->rb, .v = f->rows, .n = 4, .title = "Tiny"};
}

static void fixture_free(fixture *f)
{
    for (int i = 0; i < 4; i++)
        score_result_free(f->rows[i].res);
    rubric_free(f->rb);
}

/* libcsv into a table of rows of cells. */
typedef struct table {
    char *cells[16][32];
    int ncols[16];
    int nrows;
} table;

static void on_cell(void *s, size_t len, void *data)
{
    table *t = data;
    ck_assert_int_lt(t->nrows, 16);
    ck_assert_int_lt(t->ncols[t->nrows], 32);
    t->cells[t->nrows][t->ncols[t->nrows]++] = strndup(s ? s : "", len);
}

static void on_row(int c, void *data)
{
    (void)c;
    ((table *)data)->nrows++;
}

static void parse_csv(const char *text, table *t)
{
    struct csv_parser p;
    memset(t, 0, sizeof *t);
    ck_assert_int_eq(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL), 0);
    size_t n = strlen(text);
    ck_assert_uint_eq(csv_parse(&p, text, n, on_cell, on_row, t), n);
    ck_assert_int_eq(csv_fini(&p, on_cell, on_row, t), 0);
    csv_free(&p);
}

static void table_free(table *t)
{
    for (int r = 0; r < 16; r++)
        for (int c = 0; c < t->ncols[r]; c++)
            free(t->cells[r][c]);
}

START_TEST(gradebook_parses_back_to_the_same_values)
{
    fixture f;
    fixture_init(&f);
    char *d = tu_tmpdir(), *path = path_join(d, "gradebook.csv");
    gr_error err = {0};
    ck_assert_int_eq(gradebook_write(path, &f.c, &err), 0);
    char *text = tu_slurp(path);
    ck_assert_ptr_nonnull(text);
    table t;
    parse_csv(text, &t);
    ck_assert_int_eq(t.nrows, 5);
    static const char *const head[] = {
        "id",      "name",   "github",     "repository", "status",   "commit", "commit_time",
        "late",    "path",   "title",      "summary",    "timeline", "score",  "max",
        "percent", "passed", "copy_group", "copy_share", "flags",    "links"};
    for (int r = 0; r < 5; r++)
        ck_assert_int_eq(t.ncols[r], 20);
    for (int c = 0; c < 20; c++)
        ck_assert_str_eq(t.cells[0][c], head[c]);
    /* Not compared (no similarity pass): the four columns are empty. */
    for (int r = 1; r < 5; r++)
        for (int c = 16; c < 20; c++)
            ck_assert_str_eq(t.cells[r][c], "");
    /* ann: full marks */
    static const char *const ann[] = {"ann",
                                      "Ann Lee",
                                      "gh",
                                      "https://example.invalid/r.git",
                                      "ok",
                                      "0000000000000000000000000000000000000001",
                                      "2023-11-14T22:13:20Z",
                                      "no",
                                      "Blog_Post.md",
                                      "2",
                                      "3",
                                      "5",
                                      "10",
                                      "10",
                                      "100.0",
                                      "yes",
                                      "",
                                      "",
                                      "",
                                      ""};
    for (int c = 0; c < 20; c++)
        ck_assert_str_eq(t.cells[1][c], ann[c]);
    /* bob: quotes and a comma survive; late; half marks */
    ck_assert_str_eq(t.cells[2][1], "Bob, \"Jr\"");
    ck_assert_str_eq(t.cells[2][7], "yes");
    ck_assert_str_eq(t.cells[2][11], "0");
    ck_assert_str_eq(t.cells[2][12], "5");
    ck_assert_str_eq(t.cells[2][14], "50.0");
    ck_assert_str_eq(t.cells[2][15], "no");
    /* cat: in the gradebook with score 0, the status, empty criteria */
    ck_assert_str_eq(t.cells[3][1], "Cat\nNewline");
    ck_assert_str_eq(t.cells[3][4], "no-post");
    ck_assert_str_eq(t.cells[3][6], "");
    for (int c = 8; c < 12; c++)
        ck_assert_str_eq(t.cells[3][c], "");
    ck_assert_str_eq(t.cells[3][12], "0");
    ck_assert_str_eq(t.cells[3][13], "10");
    ck_assert_str_eq(t.cells[3][15], "no");
    /* dan: the formula is neutralised, as is "@dan" */
    ck_assert_str_eq(t.cells[4][1], "'=HYPERLINK(\"http://x\")");
    ck_assert_str_eq(t.cells[4][2], "'@dan");
    ck_assert(strstr(text, "\r\n") != NULL);
    table_free(&t);
    free(text);
    free(path);
    tu_rmtree(d);
    free(d);
    fixture_free(&f);
}
END_TEST

START_TEST(failed_write_keeps_the_previous_gradebook)
{
    fixture f;
    fixture_init(&f);
    char *d = tu_tmpdir(), *path = path_join(d, "gradebook.csv");
    gr_error err = {0};
    ck_assert_int_eq(gradebook_write(path, &f.c, &err), 0);
    char *before = tu_slurp(path);
    /* A different result, then a disk that takes no more than 100 bytes:
     * writes fail with EFBIG (SIGXFSZ ignored), as on a full disk. */
    f.rows[2].status = "empty-repo";
    struct rlimit old, lim;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 100;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int rc = gradebook_write(path, &f.c, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    ck_assert_int_eq(rc, GR_EIO);
    ck_assert(strstr(err.file, "gradebook.csv") != NULL);
    char *after = tu_slurp(path);
    ck_assert_str_eq(after, before);
    /* No temporary left behind. */
    ck_assert_int_eq(tu_sh("test $(ls '%s' | wc -l) -eq 1", d), 0);
    /* A folder that does not exist: an error naming it, nothing written. */
    char *bad = path_join(d, "no/such/gradebook.csv");
    ck_assert_int_ne(gradebook_write(bad, &f.c, &err), 0);
    free(bad);
    free(before);
    free(after);
    free(path);
    tu_rmtree(d);
    free(d);
    fixture_free(&f);
}
END_TEST

static const char *lookup(void *ctx, size_t i, const char *column)
{
    (void)ctx;
    if (!strcmp(column, "email"))
        return i == 0 ? "ann@example.invalid" : NULL;
    if (!strcmp(column, "section"))
        return "A1";
    return NULL;
}

START_TEST(lms_layouts)
{
    fixture f;
    fixture_init(&f);
    char *d = tu_tmpdir(), *cpath = path_join(d, "canvas.csv"), *mpath = path_join(d, "m.csv");
    gr_error err = {0};
    ck_assert_int_eq(lms_parse("Canvas"), LMS_CANVAS);
    ck_assert_int_eq(lms_parse("moodle"), LMS_MOODLE);
    ck_assert_int_eq(lms_parse("sakai"), -1);
    ck_assert_int_eq(gradebook_write_lms(cpath, &f.c, LMS_CANVAS, lookup, NULL, &err), 0);
    char *text = tu_slurp(cpath);
    table t;
    parse_csv(text, &t);
    ck_assert_int_eq(t.nrows, 6);
    ck_assert_str_eq(t.cells[0][0], "Student");
    ck_assert_str_eq(t.cells[0][2], "SIS User ID");
    ck_assert_str_eq(t.cells[0][5], "Tiny");
    ck_assert(strstr(t.cells[1][0], "Points Possible") != NULL);
    ck_assert_str_eq(t.cells[1][5], "10");
    ck_assert_str_eq(t.cells[2][2], "ann");
    ck_assert_str_eq(t.cells[2][3], "ann@example.invalid");
    ck_assert_str_eq(t.cells[2][4], "A1");
    ck_assert_str_eq(t.cells[2][5], "10");
    ck_assert_str_eq(t.cells[4][5], "0");
    ck_assert_str_eq(t.cells[5][0], "'=HYPERLINK(\"http://x\")");
    table_free(&t);
    free(text);

    ck_assert_int_eq(gradebook_write_lms(mpath, &f.c, LMS_MOODLE, lookup, NULL, &err), 0);
    text = tu_slurp(mpath);
    parse_csv(text, &t);
    ck_assert_int_eq(t.nrows, 5);
    ck_assert_str_eq(t.cells[0][0], "ID number");
    ck_assert_str_eq(t.cells[0][1], "Email address");
    ck_assert_str_eq(t.cells[1][1], "ann@example.invalid");
    ck_assert_str_eq(t.cells[2][4], "5");
    ck_assert(strstr(t.cells[2][5], "missed: timeline") != NULL);
    ck_assert(strstr(t.cells[2][5], "late (2 commits") != NULL);
    ck_assert(strstr(t.cells[3][5], "no-post") != NULL);
    table_free(&t);
    free(text);
    free(cpath);
    free(mpath);
    tu_rmtree(d);
    free(d);
    fixture_free(&f);
}
END_TEST

START_TEST(json_has_every_student)
{
    fixture f;
    fixture_init(&f);
    strbuf sb;
    sb_init(&sb);
    gradebook_json(&sb, &f.c);
    ck_assert(!sb_failed(&sb));
    ck_assert(strstr(sb.s, "\"rubric\":\"Tiny\"") != NULL);
    ck_assert(strstr(sb.s, "\"id\":\"cat\",") != NULL);
    ck_assert(strstr(sb.s, "\"status\":\"no-post\"") != NULL);
    ck_assert(strstr(sb.s, "\"result\":null") != NULL);
    ck_assert(strstr(sb.s, "\"name\":\"Bob, \\\"Jr\\\"\"") != NULL);
    ck_assert(strstr(sb.s, "\"name\":\"Cat\\nNewline\"") != NULL);
    ck_assert(strstr(sb.s, "\"late\":true,\"late_commits\":2") != NULL);
    sb_free(&sb);
    fixture_free(&f);
}
END_TEST

START_TEST(feedback_for_the_student)
{
    fixture f;
    fixture_init(&f);
    strbuf sb;
    sb_init(&sb);
    feedback_markdown(&sb, &f.c, &f.rows[1]);
    const char *s = sb_str(&sb);
    ck_assert(strstr(s, "**Score: 5/10 (50%)** - below the pass mark") != NULL);
    ck_assert(strstr(s, "- [ ] **timeline** (0/5)") != NULL);
    ck_assert(strstr(s, "Hint: Add a Timeline heading.") != NULL);
    ck_assert(strstr(s, "- [x] **summary** (3/3)") != NULL);
    ck_assert(strstr(s, "**Late:** 2 commits made after the deadline were not graded") != NULL);
    ck_assert(strstr(s, "`000000000000`") != NULL);
    /* The missed criterion points at a line. */
    ck_assert(strstr(s, "(0/5) - line ") != NULL);

    sb_reset(&sb);
    feedback_markdown(&sb, &f.c, &f.rows[2]);
    s = sb_str(&sb);
    ck_assert(strstr(s, "**Score: 0/10**") != NULL);
    ck_assert(strstr(s, "`no-post`") != NULL);
    ck_assert(strstr(s, "## What happened") != NULL);
    ck_assert(strstr(s, "Blog\\_Post.md is not in the graded commit") != NULL);
    ck_assert(strstr(s, "Check the file name") != NULL);

    /* A note from fetch on a graded post is passed on. */
    f.rows[0].detail = "found as blog_post.md";
    sb_reset(&sb);
    feedback_markdown(&sb, &f.c, &f.rows[0]);
    ck_assert(strstr(sb_str(&sb), "Note: found as blog\\_post.md") != NULL);

    /* Markdown in a name is shown as text. */
    f.rows[0].name = "<img src=x> [link](http://x) *b*";
    sb_reset(&sb);
    feedback_markdown(&sb, &f.c, &f.rows[0]);
    s = sb_str(&sb);
    ck_assert(strstr(s, "\\<img src=x\\> \\[link\\](http://x) \\*b\\*") != NULL);
    ck_assert(strstr(s, "To improve") == NULL);
    sb_free(&sb);

    char *d = tu_tmpdir(), *fb = path_join(d, "feedback");
    gr_error err = {0};
    ck_assert_int_eq(feedback_write_all(fb, &f.c, &err), 0);
    ck_assert_int_eq(tu_sh("test -s '%s/ann.md' && test -s '%s/cat.md' && test $(ls '%s' | wc "
                           "-l) -eq 4",
                           fb, fb, fb),
                     0);
    free(fb);
    tu_rmtree(d);
    free(d);
    fixture_free(&f);
}
END_TEST

static char *read_similar_fixture(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/fixtures/similar/%s", name);
    char *path = tu_src(rel), *text = tu_slurp(path);
    ck_assert_msg(text != NULL, "missing fixture %s", path);
    free(path);
    return text;
}

/* A cohort compared as grader grade does: ann's post copied by bob (names
 * and times changed), cat's a link, dan's the assignment text, eve's her
 * own. The findings reach the gradebook, the feedback, JSON and the page. */
START_TEST(similarity_findings_everywhere)
{
    static const char *const ids[] = {"ann", "bob", "cat", "dan", "eve"};
    static const char *const names[] = {"Ann Lee", "Bob <b>", "Cat", "Dan", "Eve"};
    static const char *const files[] = {"original.md", "renamed.md", "link.md", "task.md",
                                        "honest-a.md"};
    rubric *rb;
    gr_error err = {0};
    ck_assert_int_eq(rubric_parse("tiny.yml", tu_tiny_rubric, strlen(tu_tiny_rubric), &rb, &err),
                     0);
    grade_row rows[5];
    similar_doc docs[5];
    size_t sim_row[5];
    char *texts[5];
    memset(rows, 0, sizeof rows);
    for (int i = 0; i < 5; i++) {
        grade_row *g = &rows[i];
        texts[i] = read_similar_fixture(files[i]);
        g->id = ids[i];
        g->name = names[i];
        g->github = g->repo = g->detail = g->advice = g->links = "";
        g->status = "ok";
        g->path = "Blog_Post.md";
        snprintf(g->commit, sizeof g->commit, "%040d", i + 1);
        g->text = texts[i];
        g->len = strlen(texts[i]);
        ck_assert_int_eq(score_post(rb, ids[i], g->text, g->len, &g->res, &err), 0);
        docs[i] = (similar_doc){.id = ids[i], .text = g->text, .len = g->len};
        sim_row[i] = (size_t)i;
    }
    char *kdir = tu_src("rubrics/known");
    similar_doc *known = NULL;
    size_t nknown = 0;
    ck_assert_int_eq(similar_known_load(kdir, false, &known, &nknown, &err), 0);
    similar_opts so;
    similar_opts_default(&so);
    similar_report *rep = NULL;
    ck_assert_int_eq(similar_run(docs, 5, known, nknown, &so, &rep, &err), 0);
    for (int i = 0; i < 5; i++)
        rows[i].sim = &rep->posts[i];
    /* What cmd_grade does with a link-only post. */
    ck_assert(rep->posts[2].link_only);
    rows[2].status = "link-only";
    rows[2].links = rep->posts[2].links.v[0];
    score_result_free(rows[2].res);
    rows[2].res = NULL;
    rows[3].misnamed = true; /* found under another name, graded and flagged */
    rows[3].path = "0x19-postmortem/README.md";
    cohort c = {.rb = rb, .v = rows, .n = 5, .title = "Tiny", .sim = rep, .sim_row = sim_row};

    char *d = tu_tmpdir(), *path = path_join(d, "gradebook.csv");
    ck_assert_int_eq(gradebook_write(path, &c, &err), 0);
    char *text = tu_slurp(path);
    table t;
    parse_csv(text, &t);
    ck_assert_int_eq(t.nrows, 6);
    ck_assert_str_eq(t.cells[0][16], "copy_group");
    ck_assert_str_eq(t.cells[0][19], "links");
    /* ann and bob: one group, most of each post found in the other */
    ck_assert_str_eq(t.cells[1][16], "1");
    ck_assert_str_eq(t.cells[2][16], "1");
    ck_assert_double_ge(strtod(t.cells[1][17], NULL), 0.4);
    ck_assert_double_le(strtod(t.cells[2][17], NULL), 1.0);
    ck_assert_str_eq(t.cells[1][18], "");
    /* cat: link-only, no score (graded by hand), the link listed */
    ck_assert_str_eq(t.cells[3][4], "link-only");
    ck_assert_str_eq(t.cells[3][12], "");
    ck_assert_str_eq(t.cells[3][13], "10");
    ck_assert_str_eq(t.cells[3][14], "");
    ck_assert_str_eq(t.cells[3][15], "");
    ck_assert_str_eq(t.cells[3][16], "");
    ck_assert_str_eq(t.cells[3][18], "link-only");
    ck_assert_str_eq(t.cells[3][19], "https://example.com/blog/pebble-login-outage");
    /* dan: flagged, still scored; eve: nothing */
    ck_assert_str_eq(t.cells[4][4], "ok");
    ck_assert_str_eq(t.cells[4][18], "task-text misnamed");
    ck_assert_str_eq(t.cells[4][8], "0x19-postmortem/README.md");
    ck_assert(grade_needs_attention(&rows[3]));
    ck_assert_str_ne(t.cells[4][12], "");
    for (int col = 16; col < 20; col++)
        ck_assert_str_eq(t.cells[5][col], "");
    table_free(&t);
    free(text);

    /* The LMS import leaves the link-only grade empty, not 0. */
    char *cpath = path_join(d, "canvas.csv");
    ck_assert_int_eq(gradebook_write_lms(cpath, &c, LMS_CANVAS, NULL, NULL, &err), 0);
    text = tu_slurp(cpath);
    parse_csv(text, &t);
    ck_assert_str_eq(t.cells[4][2], "cat");
    ck_assert_str_eq(t.cells[4][5], "");
    table_free(&t);
    free(text);
    free(cpath);

    strbuf sb;
    sb_init(&sb);
    feedback_markdown(&sb, &c, &rows[2]);
    ck_assert(strstr(sb_str(&sb), "to be given by your instructor") != NULL);
    ck_assert(strstr(sb_str(&sb), "`https://example.com/blog/pebble-login-outage`") != NULL);
    ck_assert(strstr(sb_str(&sb), "0/10") == NULL);
    sb_reset(&sb);
    feedback_markdown(&sb, &c, &rows[3]);
    ck_assert(strstr(sb_str(&sb), "the assignment's own text") != NULL);
    ck_assert(strstr(sb_str(&sb), "**Misnamed:** your post is not at `Blog_Post.md`") != NULL);
    ck_assert(strstr(sb_str(&sb), "found it as `0x19-postmortem/README.md`") != NULL);
    sb_reset(&sb);
    feedback_markdown(&sb, &c, &rows[4]);
    ck_assert(strstr(sb_str(&sb), "assignment's own text") == NULL);

    sb_reset(&sb);
    gradebook_json(&sb, &c);
    ck_assert(strstr(sb.s, "\"status\":\"link-only\"") != NULL);
    ck_assert(strstr(sb.s, "\"misnamed\":true") != NULL);
    ck_assert(strstr(sb.s, "\"score\":null,\"percent\":null,\"passed\":null,\"copy_group\":0,"
                           "\"copy_share\":0.00,\"task_text\":false,\"link_only\":true") != NULL);
    ck_assert(strstr(sb.s, "\"copy_group\":1,\"copy_share\":0.") != NULL ||
              strstr(sb.s, "\"copy_group\":1,\"copy_share\":1.00") != NULL);

    /* The page: the group with both members linked, each side's passage
     * marked; cat and dan need attention, eve does not. */
    sb_reset(&sb);
    summary_html(&sb, &c);
    const char *h = sb_str(&sb);
    const char *grp = strstr(h, "<div class=\"group\" id=\"group-1\"");
    ck_assert_ptr_nonnull(grp);
    ck_assert(strstr(grp, "href=\"feedback/ann.md\">Ann Lee</a>") != NULL);
    ck_assert(strstr(grp, "href=\"feedback/bob.md\">Bob &lt;b&gt;</a>") != NULL);
    ck_assert(strstr(grp, "<div class=\"pair\">") != NULL);
    const char *m1 = strstr(grp, "<mark>"), *m2 = m1 ? strstr(m1 + 6, "<mark>") : NULL;
    ck_assert_ptr_nonnull(m2);
    ck_assert(strstr(h, "<b id=\"copied\">2</b>") != NULL);
    const char *att = strstr(h, "<table id=\"attention\">"), *end = strstr(h, "</table>");
    ck_assert(att && end && att < end);
    const char *cat = strstr(att, "feedback/cat.md"), *dan = strstr(att, "feedback/dan.md"),
               *eve = strstr(att, "feedback/eve.md");
    ck_assert(cat && cat < end && dan && dan < end);
    ck_assert(!eve || eve > end);
    ck_assert(strstr(att, "tag flag\">link-only") < end);
    ck_assert(strstr(att, "tag flag\">task-text") < end);
    ck_assert(strstr(h, "<script") == NULL);
    sb_free(&sb);

    free(path);
    tu_rmtree(d);
    free(d);
    free(kdir);
    similar_report_free(rep);
    similar_docs_free(known, nknown);
    for (int i = 0; i < 5; i++) {
        score_result_free(rows[i].res);
        free(texts[i]);
    }
    rubric_free(rb);
}
END_TEST

static Suite *gradebook_suite(void)
{
    Suite *s = suite_create("gradebook");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, gradebook_parses_back_to_the_same_values);
    tcase_add_test(tc, failed_write_keeps_the_previous_gradebook);
    tcase_add_test(tc, lms_layouts);
    tcase_add_test(tc, json_has_every_student);
    tcase_add_test(tc, feedback_for_the_student);
    tcase_add_test(tc, similarity_findings_everywhere);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(gradebook_suite)
