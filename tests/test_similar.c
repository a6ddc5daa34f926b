/* Unit tests for similar.c: copies found through edits, honest posts kept
 * apart, known text excluded, task-text, link-only, groups and passages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "similar.h"
#include "testutil.h"
#include "util.h"

/* Posts read from tests/fixtures/similar/, kept for the whole test. */
typedef struct fixture {
    similar_doc docs[16];
    size_t n;
} fixture;

static void add_text(fixture *f, const char *id, char *text)
{
    ck_assert_uint_lt(f->n, 16);
    f->docs[f->n].id = id;
    f->docs[f->n].text = text;
    f->docs[f->n].len = strlen(text);
    f->docs[f->n].format = false;
    f->n++;
}

static char *read_fixture(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/fixtures/similar/%s", name);
    return tu_read_src(rel);
}

static void add(fixture *f, const char *name)
{
    add_text(f, name, read_fixture(name));
}

static void fixture_free(fixture *f)
{
    for (size_t i = 0; i < f->n; i++)
        free((char *)f->docs[i].text);
    f->n = 0;
}

static similar_report *run(fixture *posts, fixture *known, double threshold)
{
    similar_opts o;
    similar_opts_default(&o);
    if (threshold > 0)
        o.threshold = threshold;
    similar_report *r = NULL;
    gr_error err = {0};
    int rc = similar_run(posts->docs, posts->n, known ? known->docs : NULL, known ? known->n : 0,
                         &o, &r, &err);
    ck_assert_msg(rc == 0, "similar_run: %s", err.msg);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->nposts, posts->n);
    return r;
}

static void known_format(fixture *k)
{
    char *path = tu_src("rubrics/known/format.md");
    char *text = tu_slurp(path);
    ck_assert_ptr_nonnull(text);
    free(path);
    add_text(k, "format.md", text);
    k->docs[k->n - 1].format = true;
}

/* Each edit of the original, alone with it, is found as its copy. */
START_TEST(copy_found_through_each_edit)
{
    static const char *const variants[] = {"renamed.md", "reordered.md", "plain-headings.md"};
    fixture k = {0};
    known_format(&k);
    for (size_t v = 0; v < 3; v++) {
        fixture f = {0};
        add(&f, "original.md");
        add(&f, variants[v]);
        similar_report *r = run(&f, &k, 0);
        ck_assert_msg(r->ngroups == 1, "%s not found as a copy", variants[v]);
        ck_assert_int_eq(r->posts[0].group, 1);
        ck_assert_int_eq(r->posts[1].group, 1);
        ck_assert_msg(r->posts[1].share >= 0.5, "%s: share %.2f", variants[v], r->posts[1].share);
        ck_assert(!r->posts[0].task_text && !r->posts[1].task_text);
        similar_report_free(r);
        fixture_free(&f);
    }
    fixture_free(&k);
}
END_TEST

/* Posts about the same kind of outage, in the same format, written
 * independently: not grouped even at a quarter of the default threshold. */
START_TEST(honest_posts_on_the_same_outage_not_grouped)
{
    fixture f = {0}, k = {0};
    known_format(&k);
    add(&f, "original.md");
    add(&f, "honest-a.md");
    add(&f, "honest-b.md");
    similar_report *r = run(&f, &k, 0.1);
    ck_assert_uint_eq(r->ngroups, 0);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(r->posts[i].group, 0);
        ck_assert(!r->posts[i].task_text && !r->posts[i].link_only);
        ck_assert_int_eq(r->posts[i].longest.first_line, 0);
    }
    similar_report_free(r);
    /* and without the known sources too: the format's own words are short */
    r = run(&f, NULL, 0.1);
    ck_assert_uint_eq(r->ngroups, 0);
    similar_report_free(r);
    fixture_free(&f);
    fixture_free(&k);
}
END_TEST

/* The copies among honest posts form one group of their own, whole. */
START_TEST(copies_form_one_group)
{
    fixture f = {0}, k = {0};
    known_format(&k);
    add(&f, "honest-a.md");
    add(&f, "original.md");
    add(&f, "honest-b.md");
    add(&f, "renamed.md");
    add(&f, "reordered.md");
    add(&f, "plain-headings.md");
    similar_report *r = run(&f, &k, 0);
    ck_assert_uint_eq(r->ngroups, 1);
    ck_assert_uint_eq(r->groups[0].n, 4);
    size_t want[] = {1, 3, 4, 5};
    for (size_t m = 0; m < 4; m++)
        ck_assert_uint_eq(r->groups[0].members[m], want[m]);
    ck_assert_int_eq(r->posts[0].group, 0);
    ck_assert_int_eq(r->posts[2].group, 0);
    for (size_t m = 0; m < 4; m++) {
        const similar_result *p = &r->posts[want[m]];
        ck_assert_int_eq(p->group, 1);
        ck_assert_int_gt(p->longest.first_line, 0);
        ck_assert_int_ge(p->longest.last_line, p->longest.first_line);
        ck_assert_int_gt(p->longest.other_first, 0);
        ck_assert_int_eq(r->posts[p->longest.other].group, 1);
        ck_assert_uint_ne(p->longest.other, want[m]);
    }
    similar_report_free(r);
    fixture_free(&f);
    fixture_free(&k);
}
END_TEST

/* A chain: C copies B, B copies A, and C shares little with A directly;
 * union-find still reports A, B and C as one group. */
START_TEST(group_of_three_through_a_chain)
{
    char *orig = read_fixture("original.md");
    char *a_half = strdup(orig), *honest = read_fixture("honest-a.md");
    ck_assert_ptr_nonnull(a_half);
    /* B: the original's first half then honest-a; C: honest-a alone, so C
     * and A share nothing, yet both share with B. */
    size_t cut = strlen(orig) / 2;
    a_half[cut] = '\0';
    strbuf b;
    sb_init(&b);
    sb_puts(&b, a_half);
    sb_puts(&b, "\n\n");
    sb_puts(&b, honest);
    fixture f = {0};
    add_text(&f, "A", orig);
    add_text(&f, "B", sb_detach(&b));
    add_text(&f, "C", honest);
    similar_report *r = run(&f, NULL, 0);
    ck_assert_uint_eq(r->ngroups, 1);
    ck_assert_uint_eq(r->groups[0].n, 3);
    /* B's longest passage is one of its two halves, each shared */
    ck_assert_uint_ge(r->posts[1].npassages, 2);
    ck_assert_double_ge(r->posts[1].share, 0.9);
    similar_report_free(r);
    free(a_half);
    fixture_free(&f);
}
END_TEST

/* The longest shared passage points at the copied lines of both posts. */
START_TEST(longest_passage_lines)
{
    char *orig = read_fixture("original.md");
    strbuf b;
    sb_init(&b);
    for (int i = 0; i < 12; i++)
        sb_printf(&b, "Line %d of my own %s words about parrots.\n", i, i % 2 ? "quiet" : "odd");
    int first_copied = 13;
    sb_puts(&b, orig);
    fixture f = {0};
    add_text(&f, "orig", orig);
    add_text(&f, "padded", sb_detach(&b));
    similar_report *r = run(&f, NULL, 0);
    ck_assert_uint_eq(r->ngroups, 1);
    const similar_passage *p = &r->posts[1].longest;
    ck_assert_int_ge(p->first_line, first_copied);
    ck_assert_int_le(p->first_line, first_copied + 4);
    ck_assert_int_ge(p->last_line, first_copied + 40);
    ck_assert_uint_eq(p->other, 0);
    ck_assert_int_le(p->other_first, 5);
    ck_assert_int_eq(r->posts[0].longest.first_line, p->other_first);
    similar_report_free(r);
    fixture_free(&f);
}
END_TEST

/* A reordered copy: each passage is shown against its own counterpart,
 * not one span covering the whole other post. */
START_TEST(reordered_passages_match_their_counterparts)
{
    fixture f = {0};
    add(&f, "original.md");
    add(&f, "reordered.md");
    similar_report *r = run(&f, NULL, 0);
    ck_assert_uint_eq(r->ngroups, 1);
    const similar_result *p = &r->posts[1];
    ck_assert_uint_ge(p->npassages, 2);
    for (size_t a = 0; a < p->npassages; a++) {
        const similar_passage *pa = &p->passages[a];
        int mine = pa->last_line - pa->first_line, theirs = pa->other_last - pa->other_first;
        /* same line layout in both files: spans agree within a line or two */
        ck_assert_msg(abs(mine - theirs) <= 2, "passage %d-%d vs %d-%d", pa->first_line,
                      pa->last_line, pa->other_first, pa->other_last);
        ck_assert_int_lt(mine, 30);
    }
    similar_report_free(r);
    fixture_free(&f);
}
END_TEST

/* Markup a copier adds or strips (HTML line breaks, links to local images,
 * curly apostrophes, upper case) does not lower the share. */
START_TEST(markup_does_not_count)
{
    char *orig = read_fixture("original.md");
    strbuf b;
    sb_init(&b);
    for (const char *c = orig; *c; c++) {
        if (*c == '\n')
            sb_puts(&b, "<br>\n");
        else if (*c == '\'')
            sb_puts(&b, "\xe2\x80\x99");
        else if (*c == '.')
            sb_puts(&b, ". ![](img/diagram-frame-shot.png)");
        else
            sb_putc(&b, (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c));
    }
    fixture f = {0};
    add_text(&f, "orig", orig);
    add_text(&f, "marked-up", sb_detach(&b));
    similar_report *r = run(&f, NULL, 0);
    ck_assert_uint_eq(r->ngroups, 1);
    ck_assert_double_ge(r->posts[0].share, 0.95);
    ck_assert_double_ge(r->posts[1].share, 0.95);
    similar_report_free(r);
    fixture_free(&f);
}
END_TEST

/* Text shared with a known source never counts between students. */
START_TEST(known_text_is_excluded)
{
    char *orig = read_fixture("original.md");
    /* A paragraph both students pasted, e.g. from a sample post. */
    const char *start = strstr(orig, "The archive job moved");
    const char *end = strstr(orig, "## Corrective");
    ck_assert(start && end && end > start);
    char *shared = strndup(start, (size_t)(end - start));
    ck_assert_ptr_nonnull(shared);
    fixture f = {0}, k = {0};
    for (int i = 0; i < 2; i++) {
        strbuf b;
        sb_init(&b);
        sb_puts(&b, shared);
        sb_puts(&b, "\n\n");
        char *own = read_fixture(i ? "honest-b.md" : "honest-a.md");
        /* keep the summary and timeline, so the pasted paragraph is a
         * large share but not most of the post */
        char *cut = strstr(own, "## Root cause");
        if (cut)
            *cut = '\0';
        sb_puts(&b, own);
        free(own);
        add_text(&f, i ? "b" : "a", sb_detach(&b));
    }
    similar_report *r = run(&f, NULL, 0.3);
    ck_assert_uint_eq(r->ngroups, 1);
    similar_report_free(r);
    add_text(&k, "sample.md", shared);
    r = run(&f, &k, 0.3);
    ck_assert_uint_eq(r->ngroups, 0);
    ck_assert(!r->posts[0].task_text);
    ck_assert_double_gt(r->posts[0].known_share, 0.2);
    similar_report_free(r);
    fixture_free(&f);
    fixture_free(&k);
    free(orig);
}
END_TEST

/* The assignment pasted in is task-text, whether worded as the shipped
 * format description or differently; posts are not. */
START_TEST(task_text_flagged)
{
    fixture f = {0}, k = {0};
    known_format(&k);
    add(&f, "task.md");
    add(&f, "original.md");
    add(&f, "honest-a.md");
    add_text(&f, "format-copy", strdup(k.docs[0].text));
    similar_report *r = run(&f, &k, 0);
    ck_assert(r->posts[0].task_text);
    ck_assert_double_ge(r->posts[0].format_share, 0.3);
    ck_assert(!r->posts[1].task_text);
    ck_assert(!r->posts[2].task_text);
    ck_assert(r->posts[3].task_text);
    ck_assert_double_ge(r->posts[3].known_share, 0.9);
    ck_assert_uint_eq(r->ntask, 2);
    /* pasted assignment text does not make the two a group of copies */
    ck_assert_uint_eq(r->ngroups, 0);
    similar_report_free(r);
    /* without the known sources nothing says what the assignment is */
    r = run(&f, NULL, 0);
    ck_assert_uint_eq(r->ntask, 0);
    similar_report_free(r);
    fixture_free(&f);
    fixture_free(&k);
}
END_TEST

START_TEST(link_only_alone)
{
    similar_links l;
    char *text = read_fixture("link.md");
    ck_assert_int_eq(similar_link_only(text, strlen(text), NULL, &l), 1);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.v[0], "https://example.com/blog/pebble-login-outage");
    similar_links_free(&l);
    free(text);

    const char *bare = "https://medium.com/@someone/my-postmortem-1234.\n"
                       "www.example.org/post, https://medium.com/@someone/my-postmortem-1234\n";
    ck_assert_int_eq(similar_link_only(bare, strlen(bare), NULL, &l), 1);
    ck_assert_uint_eq(l.n, 2); /* duplicate dropped, trailing '.' and ',' cut */
    ck_assert_str_eq(l.v[0], "https://medium.com/@someone/my-postmortem-1234");
    ck_assert_str_eq(l.v[1], "www.example.org/post");
    ck_assert_uint_eq(l.words, 0);
    similar_links_free(&l);

    const char *nolink = "Postmortem\n\nTo be written.\n";
    ck_assert_int_eq(similar_link_only(nolink, strlen(nolink), NULL, NULL), 0);

    text = read_fixture("original.md");
    strbuf b;
    sb_init(&b);
    sb_puts(&b, text);
    sb_puts(&b, "\nMore: https://example.com/runbook\n");
    ck_assert_int_eq(similar_link_only(b.s, b.len, NULL, &l), 0);
    ck_assert_uint_eq(l.n, 1); /* listed, but the post has substance */
    ck_assert_uint_gt(l.words, 300);
    similar_links_free(&l);
    sb_free(&b);
    free(text);
}
END_TEST

START_TEST(link_only_in_a_run)
{
    fixture f = {0};
    add(&f, "link.md");
    add(&f, "original.md");
    add(&f, "link.md"); /* two identical link posts are not "copies" */
    similar_report *r = run(&f, NULL, 0);
    ck_assert(r->posts[0].link_only && r->posts[2].link_only);
    ck_assert(!r->posts[1].link_only);
    ck_assert_uint_eq(r->nlink, 2);
    ck_assert_uint_eq(r->posts[0].links.n, 1);
    ck_assert_uint_eq(r->ngroups, 0);
    similar_report_free(r);
    fixture_free(&f);
}
END_TEST

START_TEST(empty_and_odd_input)
{
    fixture f = {0};
    similar_report *r = run(&f, NULL, 0);
    ck_assert_uint_eq(r->ngroups, 0);
    similar_report_free(r);
    add_text(&f, "empty", strdup(""));
    add_text(&f, "numbers", strdup("12:30 45 % 2023-01-01 ### *** ---\n"));
    add_text(&f, "bin", strdup("\xff\xfe\x80 \xe2\x80 x"));
    add_text(&f, "empty2", strdup(""));
    r = run(&f, NULL, 0);
    ck_assert_uint_eq(r->ngroups, 0);
    for (size_t i = 0; i < f.n; i++)
        ck_assert_uint_eq(r->posts[i].fingerprints, 0);
    similar_report_free(r);
    fixture_free(&f);
}
END_TEST

/* Many unrelated posts sharing a vocabulary, two planted copies: exactly
 * the planted pairs are grouped (the index, not all pairs, finds them). */
START_TEST(many_posts_only_planted_copies)
{
    enum { N = 1500, WORDS = 250 };
    static similar_doc docs[N];
    unsigned seed = 12345;
    for (size_t i = 0; i < N; i++) {
        strbuf b;
        sb_init(&b);
        for (int w = 0; w < WORDS; w++) {
            seed = seed * 1103515245u + 12345u;
            sb_printf(&b, "w%c%c%c%s", 'a' + (seed >> 16) % 20, 'a' + (seed >> 8) % 20,
                      'a' + (seed >> 24) % 20, w % 12 == 11 ? ".\n" : " ");
        }
        docs[i].id = "p";
        docs[i].text = sb_detach(&b);
        docs[i].len = strlen(docs[i].text);
    }
    /* 700 is 10 with its second half rewritten; 1400 is 20 verbatim */
    free((char *)docs[700].text);
    char *t = strdup(docs[10].text);
    for (size_t c = strlen(t) / 2; t[c]; c++)
        if (t[c] >= 'a' && t[c] <= 'z')
            t[c] = (char)('a' + (t[c] - 'a' + 7) % 26);
    docs[700].text = t;
    free((char *)docs[1400].text);
    docs[1400].text = strdup(docs[20].text);
    docs[700].len = strlen(docs[700].text);
    docs[1400].len = strlen(docs[1400].text);
    similar_report *r = NULL;
    gr_error err = {0};
    ck_assert_int_eq(similar_run(docs, N, NULL, 0, NULL, &r, &err), 0);
    ck_assert_uint_eq(r->ngroups, 2);
    ck_assert_uint_eq(r->groups[0].members[0], 10);
    ck_assert_uint_eq(r->groups[0].members[1], 700);
    ck_assert_uint_eq(r->groups[1].members[0], 20);
    ck_assert_uint_eq(r->groups[1].members[1], 1400);
    ck_assert_double_ge(r->posts[10].share, 0.4);
    ck_assert_double_le(r->posts[10].share, 0.6);
    similar_report_free(r);
    for (size_t i = 0; i < N; i++)
        free((char *)docs[i].text);
}
END_TEST

START_TEST(known_load)
{
    char *d = tu_tmpdir();
    similar_doc *docs;
    size_t n;
    gr_error err = {0};
    char *missing = path_join(d, "nope");
    ck_assert_int_eq(similar_known_load(missing, true, &docs, &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(similar_known_load(missing, false, &docs, &n, &err), GR_EINPUT);
    ck_assert_str_eq(err.file, missing);
    tu_write(d, "sample-post.md", "a sample");
    tu_write(d, "format.md", "the format");
    tu_write(d, "notes.pdf", "ignored");
    tu_write(d, ".hidden.md", "ignored");
    ck_assert_int_eq(similar_known_load(d, false, &docs, &n, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert(strstr(docs[0].id, "format.md") && docs[0].format);
    ck_assert(strstr(docs[1].id, "sample-post.md") && !docs[1].format);
    ck_assert_str_eq(docs[1].text, "a sample");
    similar_docs_free(docs, n);
    /* the shipped folder loads and has a format description */
    char *shipped = tu_src("rubrics/known");
    ck_assert_int_eq(similar_known_load(shipped, false, &docs, &n, &err), 0);
    ck_assert_uint_ge(n, 2);
    bool fmt = false;
    for (size_t i = 0; i < n; i++)
        fmt |= docs[i].format;
    ck_assert(fmt);
    similar_docs_free(docs, n);
    free(shipped);
    free(missing);
    tu_rmtree(d);
    free(d);
}
END_TEST

static Suite *similar_suite(void)
{
    Suite *s = suite_create("similar");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, copy_found_through_each_edit);
    tcase_add_test(tc, honest_posts_on_the_same_outage_not_grouped);
    tcase_add_test(tc, copies_form_one_group);
    tcase_add_test(tc, group_of_three_through_a_chain);
    tcase_add_test(tc, longest_passage_lines);
    tcase_add_test(tc, reordered_passages_match_their_counterparts);
    tcase_add_test(tc, markup_does_not_count);
    tcase_add_test(tc, known_text_is_excluded);
    tcase_add_test(tc, task_text_flagged);
    tcase_add_test(tc, link_only_alone);
    tcase_add_test(tc, link_only_in_a_run);
    tcase_add_test(tc, empty_and_odd_input);
    tcase_add_test(tc, many_posts_only_planted_copies);
    tcase_add_test(tc, known_load);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(similar_suite)
