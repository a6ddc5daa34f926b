/* Tests for db.c: import, links, reviews, export, migration, reopening. */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "testutil.h"
#include "token.h"
#include "util.h"

static const char RUBRIC[] =
    "rubric: t\ndocument: B.md\npass: 50\ncriteria:\n"
    "  - id: title\n    points: 3\n    check: title\n    description: d\n    hint: h\n"
    "  - id: length\n    points: 7\n    check: words\n    min: 1\n    description: d\n    hint: "
    "h\n";

typedef struct links {
    char tok[8][TOKEN_CHARS + 1];
    char id[8][32];
    size_t n;
} links;

static int on_link(void *ctx, const char *role, const char *id, const char *name, const char *token)
{
    links *l = ctx;
    (void)role;
    (void)name;
    ck_assert_uint_lt(l->n, 8);
    snprintf(l->id[l->n], 32, "%s", id);
    snprintf(l->tok[l->n++], TOKEN_CHARS + 1, "%s", token);
    return 0;
}

static db *fresh(char **dir, const char *const *rev, const char *const *auth, size_t npairs)
{
    *dir = tu_tmpdir();
    char *path = path_join(*dir, "g.db");
    db *d;
    gr_error err = {0};
    ck_assert_int_eq(db_open(path, true, &d, &err), 0);
    free(path);
    rubric *rb;
    ck_assert_msg(!rubric_parse("r.yml", RUBRIC, strlen(RUBRIC), &rb, &err), "%s", err.msg);
    db_person people[] = {{"ann", "Ann"}, {"bob", "Bob"}, {"cat", "Cat"}};
    int ap[] = {3, 0};
    db_post posts[] = {{"ann", "c1", "Blog_Post.md", "# A\n", 4, ap},
                       {"bob", "c2", "Blog_Post.md", "# B\n", 4, NULL}};
    db_import im = {people, 3, posts, 2, rev, auth, npairs, RUBRIC, strlen(RUBRIC), rb};
    db_import_stats st;
    ck_assert_int_eq(db_import_run(d, &im, &st, &err), 0);
    ck_assert_uint_eq(st.people_new, 3);
    ck_assert_uint_eq(st.pairs_new, npairs);
    rubric_free(rb);
    return d;
}

START_TEST(links_and_reviews)
{
    const char *rev[] = {"bob", "cat", "ann"}, *auth[] = {"ann", "ann", "bob"};
    char *dir;
    db *d = fresh(&dir, rev, auth, 3);
    gr_error err = {0};
    links l = {0};
    size_t issued;
    ck_assert_int_eq(db_issue_links(d, false, on_link, &l, &issued, &err), 0);
    ck_assert_uint_eq(issued, 4); /* instructor + 3 */
    /* again: nobody new */
    links l2 = {0};
    ck_assert_int_eq(db_issue_links(d, false, on_link, &l2, &issued, &err), 0);
    ck_assert_uint_eq(issued, 0);
    char h[65];
    db_role role;
    char *id;
    for (size_t i = 0; i < l.n; i++) {
        token_hash_hex(l.tok[i], TOKEN_CHARS, h);
        ck_assert_int_eq(db_who(d, h, &role, &id, &err), 0);
        ck_assert_str_eq(id, l.id[i]);
        ck_assert_int_eq(role, strcmp(l.id[i], "instructor") ? DB_STUDENT : DB_INSTRUCTOR);
        free(id);
    }
    token_hash_hex("nope", 4, h);
    ck_assert_int_eq(db_who(d, h, &role, &id, &err), 0);
    ck_assert_int_eq(role, DB_NOBODY);

    db_review *t;
    size_t nt;
    ck_assert_int_eq(db_tasks(d, "bob", &t, &nt, &err), 0);
    ck_assert_uint_eq(nt, 1);
    ck_assert_str_eq(t[0].author, "ann");
    ck_assert_int_eq(t[0].state, DB_NOT_STARTED);
    long n = t[0].n;
    db_reviews_free(t, nt);

    db_item items[2] = {{1, 3, true, "good title"}, {0, 2, true, "short"}};
    db_review r = {
        .n = n, .state = DB_SUBMITTED, .score = 5, .overall = "=fine", .items = items, .nitems = 2};
    bool found;
    ck_assert_int_eq(db_review_save(d, &r, "cat", &found, &err), 0);
    ck_assert(!found); /* not cat's */
    ck_assert_int_eq(db_review_save(d, &r, "bob", &found, &err), 0);
    ck_assert(found);
    db_review g;
    ck_assert_int_eq(db_review_get(d, n, "cat", 2, &g, &found, &err), 0);
    ck_assert(!found);
    ck_assert_int_eq(db_review_get(d, n, "bob", 2, &g, &found, &err), 0);
    ck_assert(found);
    ck_assert_int_eq(g.state, DB_SUBMITTED);
    ck_assert_str_eq(g.items[0].comment, "good title");
    ck_assert_int_eq(g.items[1].met, 0);
    ck_assert(g.items[1].points == 2);
    db_review_free(&g);
    ck_assert_int_eq(db_helpful_set(d, n, "bob", true, &found, &err), 0);
    ck_assert(!found); /* bob is the reviewer, not the author */
    ck_assert_int_eq(db_helpful_set(d, n, "ann", true, &found, &err), 0);
    ck_assert(found);

    char *path = path_join(dir, "rev.csv");
    FILE *fp = fopen(path, "w");
    ck_assert_int_eq(db_export_reviews(d, NULL, fp, &err), 0);
    fclose(fp);
    char *csv = tu_slurp(path);
    ck_assert_str_eq(csv, "reviewer,author,score,comment,helpful\r\nbob,ann,5,\"'=fine\",yes\r\n");
    free(csv);
    db_close(d);
    /* reopened: the same state */
    char *dbp = path_join(dir, "g.db");
    ck_assert_int_eq(db_open(dbp, false, &d, &err), 0);
    ck_assert_int_eq(db_review_get(d, n, NULL, 2, &g, &found, &err), 0);
    ck_assert(found && g.state == DB_SUBMITTED && g.helpful == 1);
    db_review_free(&g);
    int ap[2];
    ck_assert_int_eq(db_auto_points(d, "ann", 2, ap, &err), 0);
    ck_assert_int_eq(ap[0], 3);
    ck_assert_int_eq(ap[1], 0);
    db_close(d);
    free(dbp);
    free(path);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(reimport_keeps_reviews)
{
    const char *rev[] = {"bob", "cat"}, *auth[] = {"ann", "ann"};
    char *dir;
    db *d = fresh(&dir, rev, auth, 2);
    gr_error err = {0};
    db_review *t;
    size_t nt;
    ck_assert_int_eq(db_tasks(d, "bob", &t, &nt, &err), 0);
    db_review r = {.n = t[0].n, .state = DB_DRAFT, .overall = ""};
    db_reviews_free(t, nt);
    bool found;
    ck_assert_int_eq(db_review_save(d, &r, "bob", &found, &err), 0);
    /* a new assignment without both old pairs, plus a late student's */
    rubric *rb;
    ck_assert_msg(!rubric_parse("r.yml", RUBRIC, strlen(RUBRIC), &rb, &err), "%s", err.msg);
    db_person people[] = {{"ann", "Ann"}, {"bob", "Bob"}, {"cat", "Cat"}, {"dan", "Dan"}};
    const char *rev2[] = {"dan"}, *auth2[] = {"ann"};
    db_import im = {people, 4, NULL, 0, rev2, auth2, 1, RUBRIC, strlen(RUBRIC), rb};
    db_import_stats st;
    ck_assert_int_eq(db_import_run(d, &im, &st, &err), 0);
    ck_assert_uint_eq(st.people_new, 1);
    ck_assert_uint_eq(st.pairs_new, 1);
    ck_assert_uint_eq(st.pairs_dropped, 1);       /* cat's, not started */
    ck_assert_uint_eq(st.pairs_reviewed_kept, 1); /* bob's draft stays */
    /* another rubric once reviews exist: refused, nothing changed */
    const char *other = "rubric: t\npass: 50\ncriteria:\n  - id: title\n    points: 5\n"
                        "    check: title\n    description: d\n    hint: h\n";
    im.rubric_text = other;
    im.rubric_len = strlen(other);
    im.npeople = 3;
    ck_assert_int_eq(db_import_run(d, &im, &st, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "rubric"));
    rubric_free(rb);
    db_close(d);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(another_rubric_before_reviews)
{
    const char *rev[] = {"bob"}, *auth[] = {"ann"};
    char *dir;
    db *d = fresh(&dir, rev, auth, 1);
    gr_error err = {0};
    const char *other = "rubric: u\ndocument: B.md\npass: 50\ncriteria:\n  - id: title\n"
                        "    points: 5\n    check: title\n    description: d\n    hint: h\n";
    rubric *rb;
    ck_assert_msg(!rubric_parse("o.yml", other, strlen(other), &rb, &err), "%s", err.msg);
    db_person people[] = {{"ann", "Ann"}, {"bob", "Bob"}};
    int ap[] = {5};
    db_post posts[] = {{"ann", "c1", "B.md", "# A\n", 4, ap}};
    db_import im = {people, 2, posts, 1, rev, auth, 1, other, strlen(other), rb};
    db_import_stats st;
    ck_assert_int_eq(db_import_run(d, &im, &st, &err), 0);
    int got[2];
    ck_assert_int_eq(db_auto_points(d, "ann", 2, got, &err), 0);
    ck_assert_int_eq(got[0], 5); /* the new rubric's points, not the old 3 */
    ck_assert_int_eq(got[1], -1);
    rubric_free(rb);
    db_close(d);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(migrates_from_version_1)
{
    char *dir = tu_tmpdir();
    char *path = path_join(dir, "old.db");
    gr_error err = {0};
    ck_assert_int_eq(db_create_at_version(path, 1, &err), 0);
    ck_assert_int_eq(tu_sh("sqlite3 '%s' \"INSERT INTO people(id, name) VALUES('x', 'X')\"", path),
                     0);
    db *d;
    ck_assert_int_eq(db_open(path, false, &d, &err), 0);
    ck_assert_int_eq(db_schema_version(d), DB_SCHEMA_VERSION);
    db_person_row *p;
    size_t n;
    ck_assert_int_eq(db_people(d, &p, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(p[0].id, "x");
    db_people_free(p, n);
    db_close(d);
    /* from the future: refused */
    ck_assert_int_eq(tu_sh("sqlite3 '%s' 'PRAGMA user_version=99'", path), 0);
    ck_assert_int_eq(db_open(path, false, &d, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "newer"));
    /* missing without create */
    char *none = path_join(dir, "none.db");
    ck_assert_int_ne(db_open(none, false, &d, &err), 0);
    free(none);
    free(path);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("db");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, links_and_reviews);
    tcase_add_test(tc, reimport_keeps_reviews);
    tcase_add_test(tc, another_rubric_before_reviews);
    tcase_add_test(tc, migrates_from_version_1);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(make_suite)
