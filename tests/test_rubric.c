/* rubric: the loader on valid rubrics, every invalid case with its exact
 * line and column, the bundled postmortem rubric, the default path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rubric.h"
#include "testutil.h"
#include "util.h"

/* The parts every rubric below shares: lines 1-6. */
#define HEAD                                                                                       \
    "rubric: Test\n"                                                                               \
    "document: Blog_Post.md\n"                                                                     \
    "pass: 70\n"                                                                                   \
    "sections:\n"                                                                                  \
    "  summary: [Issue Summary, Summary]\n"                                                        \
    "  timeline: {names: [Timeline, Chronology]}\n"
/* A criterion that needs no section. */
#define TITLE "criteria:\n  - {id: t, points: 1, check: title, description: d, hint: h}\n"
/* A valid first criterion: lines 7-13. */
#define CRIT1                                                                                      \
    "criteria:\n"                                                                                  \
    "  - id: summary\n"                                                                            \
    "    points: 5\n"                                                                              \
    "    check: section\n"                                                                         \
    "    section: summary\n"                                                                       \
    "    description: An Issue Summary section\n"                                                  \
    "    hint: Add one.\n"

static rubric *parse_ok(const char *text)
{
    rubric *r = NULL;
    gr_error err = {0};
    int rc = rubric_parse("t.yml", text, strlen(text), &r, &err);
    char buf[2048];
    gr_error_format(&err, buf, sizeof buf);
    ck_assert_msg(rc == 0, "expected the rubric to load, got: %s", buf);
    ck_assert_ptr_nonnull(r);
    return r;
}

/* The rubric must fail at exactly line:col with a message holding `gist`. */
static void expect_bad(const char *text, int line, int col, const char *gist)
{
    rubric *r = (rubric *)1;
    gr_error err = {0};
    int rc = rubric_parse("bad.yml", text, strlen(text), &r, &err);
    char buf[2048];
    gr_error_format(&err, buf, sizeof buf);
    ck_assert_msg(rc == GR_EINPUT, "expected GR_EINPUT, got %d (%s) for:\n%s", rc, buf, text);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(err.file, "bad.yml");
    ck_assert_msg(err.line == line && err.col == col, "expected %d:%d, got %s", line, col, buf);
    ck_assert_msg(strstr(err.msg, gist) != NULL, "expected '%s' in: %s", gist, buf);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "bad.yml:%d:%d: ", line, col);
    ck_assert_msg(!strncmp(buf, prefix, strlen(prefix)), "not FILE:LINE:COL: %s", buf);
}

START_TEST(valid_minimal)
{
    rubric *r = parse_ok(HEAD CRIT1);
    ck_assert_str_eq(r->name, "Test");
    ck_assert_str_eq(r->document, "Blog_Post.md");
    ck_assert_int_eq(r->pass, 70);
    ck_assert_uint_eq(r->nsections, 2);
    ck_assert_str_eq(r->sections[0].key, "summary");
    ck_assert_uint_eq(r->sections[0].nnames, 2);
    ck_assert_str_eq(r->sections[0].names[1], "Summary");
    ck_assert_str_eq(r->sections[1].names[1], "Chronology");
    ck_assert(!r->sections[0].fallback_preamble);
    ck_assert_int_eq(r->sections[1].line, 6);
    ck_assert_uint_eq(r->ncriteria, 1);
    const criterion *c = &r->criteria[0];
    ck_assert_str_eq(c->id, "summary");
    ck_assert_int_eq(c->kind, CHECK_SECTION);
    ck_assert_int_eq(c->section, 0);
    ck_assert_int_eq(c->points, 5);
    ck_assert_int_eq(c->line, 8);
    ck_assert(!c->bonus);
    ck_assert_int_eq(r->max_points, 5);
    ck_assert_int_eq(r->bonus_points, 0);
    ck_assert_uint_eq(r->reject.npatterns, 0);
    ck_assert_int_eq(rubric_section_index(r, "timeline"), 1);
    ck_assert_int_eq(rubric_section_index(r, "nope"), -1);
    rubric_free(r);
}
END_TEST

START_TEST(valid_every_kind)
{
    const char *text =
        "rubric: All kinds\n"
        "document: docs/post.md\n"
        "pass: 50\n"
        "sections:\n"
        "  summary:\n"
        "    names: [Summary]\n"
        "    fallback: preamble\n"
        "    parts: [Impact, Duration]\n"
        "  timeline: Timeline\n"
        "reject:\n"
        "  patterns: ['must contain', 'format bullet point']\n"
        "  min-count: 2\n"
        "  ignore-case: true\n"
        "  message: pasted task\n"
        "criteria:\n"
        "  - {id: t, points: 1, check: title, description: d, hint: h}\n"
        "  - {id: s, points: 2, check: section, section: timeline, description: d, hint: h}\n"
        "  - id: m\n"
        "    points: 3\n"
        "    check: match\n"
        "    section: summary\n"
        "    patterns: ['UTC', 'GMT']\n"
        "    ignore-case: yes\n"
        "    min-count: 2\n"
        "    description: d\n"
        "    hint: h\n"
        "  - {id: a, points: 4, check: absent, pattern: 'TODO', description: d, hint: h}\n"
        "  - id: l\n"
        "    points: 5\n"
        "    check: list\n"
        "    section: timeline\n"
        "    min-items: 3\n"
        "    item-pattern: '^[0-9]'\n"
        "    share: 0.5\n"
        "    description: d\n"
        "    hint: h\n"
        "  - {id: l2, points: 1, check: list, section: timeline, description: d, hint: h}\n"
        "  - {id: w, points: 6, check: words, min: 10, max: 20, description: d, hint: h}\n"
        "  - {id: w2, points: 1, check: words, min: 10, description: d, hint: h}\n"
        "  - {id: o, points: 7, check: order, sections: [summary, timeline], description: d, "
        "hint: h}\n"
        "  - {id: i, points: 8, bonus: true, check: image, description: d, hint: h}\n"
        "  - {id: k, points: 9, check: link, pattern: 'medium', min-count: 2, description: d, "
        "hint: h}\n"
        "  - id: st\n"
        "    points: 10\n"
        "    check: sentences\n"
        "    section: all\n"
        "    pattern: fix\n"
        "    exclude: [cause, reason]\n"
        "    from-first: true\n"
        "    min-count: 2\n"
        "    min-words: 25\n"
        "    description: d\n"
        "    hint: h\n";
    rubric *r = parse_ok(text);
    ck_assert_str_eq(r->document, "docs/post.md");
    ck_assert_int_eq(r->pass, 50);
    ck_assert(r->sections[0].fallback_preamble);
    ck_assert(!r->sections[0].fallback_times);
    ck_assert_uint_eq(r->sections[0].nparts, 2);
    ck_assert_str_eq(r->sections[0].parts[1], "Duration");
    ck_assert_uint_eq(r->sections[1].nparts, 0);
    ck_assert_uint_eq(r->sections[1].nnames, 1);
    ck_assert_str_eq(r->sections[1].names[0], "Timeline");
    ck_assert_uint_eq(r->reject.npatterns, 2);
    ck_assert_int_eq(r->reject.min_count, 2);
    ck_assert_str_eq(r->reject.message, "pasted task");
    ck_assert_uint_eq(r->ncriteria, 12);
    const criterion *c = r->criteria;
    ck_assert_int_eq(c[0].kind, CHECK_TITLE);
    ck_assert_int_eq(c[0].section, -1);
    ck_assert_int_eq(c[1].kind, CHECK_SECTION);
    ck_assert_int_eq(c[1].section, 1);
    ck_assert_int_eq(c[2].kind, CHECK_MATCH);
    ck_assert_uint_eq(c[2].npatterns, 2);
    ck_assert(c[2].icase);
    ck_assert_int_eq(c[2].min_count, 2);
    ck_assert_int_eq(c[2].line, 18);
    ck_assert_int_eq(c[3].kind, CHECK_ABSENT);
    ck_assert_int_eq(c[3].min_count, 1); /* defaults to one */
    ck_assert_int_eq(c[4].kind, CHECK_LIST);
    ck_assert_int_eq(c[4].min_items, 3);
    ck_assert(c[4].has_item_re);
    ck_assert(c[4].share > 0.49 && c[4].share < 0.51);
    ck_assert(!c[5].has_item_re);
    ck_assert(c[5].share > 0.99); /* share defaults to all */
    ck_assert_int_eq(c[6].kind, CHECK_WORDS);
    ck_assert_int_eq(c[6].min_words, 10);
    ck_assert_int_eq(c[6].max_words, 20);
    ck_assert_int_gt(c[7].max_words, 1000000); /* no max: unbounded */
    ck_assert_int_eq(c[8].kind, CHECK_ORDER);
    ck_assert_uint_eq(c[8].norder, 2);
    ck_assert_int_eq(c[8].order[0], 0);
    ck_assert_int_eq(c[8].order[1], 1);
    ck_assert_int_eq(c[9].kind, CHECK_IMAGE);
    ck_assert(c[9].bonus);
    ck_assert_int_eq(c[10].kind, CHECK_LINK);
    ck_assert_int_eq(c[10].min_count, 2);
    ck_assert_int_eq(c[11].kind, CHECK_SENTENCES);
    ck_assert_int_eq(c[11].section, -1); /* "all": the whole post */
    ck_assert_uint_eq(c[11].nexcludes, 2);
    ck_assert(c[11].from_first);
    ck_assert_int_eq(c[11].enough_words, 25);
    /* 1+2+3+4+5+1+6+1+7+9+10, the image is a bonus */
    ck_assert_int_eq(r->max_points, 49);
    ck_assert_int_eq(r->bonus_points, 8);
    rubric_free(r);
}
END_TEST

START_TEST(yaml_syntax_error)
{
    /* libyaml stops where the flow list cannot go on */
    expect_bad("rubric: Test\ndocument: [a, b\npass: 70\n", 3, 5,
               "did not find expected ',' or ']'");
    expect_bad("rubric: Test\n  pass: 70\n", 2, 7, "mapping values are not allowed");
    expect_bad("rubric: \"open\n", 2, 1, "YAML syntax");
}
END_TEST

START_TEST(top_level_shape)
{
    expect_bad("", 1, 1, "empty");
    expect_bad("- a\n- b\n", 1, 1, "mapping");
    expect_bad(HEAD CRIT1 "colour: red\n", 14, 1, "unknown key 'colour'");
    expect_bad(HEAD, 1, 1, "no 'criteria'");
    expect_bad("rubric: T\npass: 70\n" TITLE, 1, 1, "no 'document'");
    expect_bad("rubric: T\ndocument: Blog_Post.md\n" TITLE, 1, 1, "no 'pass'");
    expect_bad("rubric: T\ndocument: /etc/passwd\npass: 70\n" CRIT1, 2, 11, "relative path");
    expect_bad("rubric: T\ndocument: ../x.md\npass: 70\n" CRIT1, 2, 11, "relative path");
    expect_bad("rubric: T\ndocument: a.md\npass: 170\n" CRIT1, 3, 7, "between 0 and 100");
    expect_bad("rubric: T\ndocument: a.md\npass: [70]\n" CRIT1, 3, 7, "whole number");
    expect_bad(HEAD "criteria: []\n", 7, 11, "empty");
    expect_bad(HEAD "criteria:\n  id: x\n", 8, 3, "must be a list");
    expect_bad(HEAD "criteria:\n  - {id: z, points: 0, check: title, description: d, hint: h}\n", 1,
               1, "no points");
}
END_TEST

START_TEST(duplicate_keys)
{
    /* libyaml accepts these silently; the loader must not */
    expect_bad("rubric: A\ndocument: a.md\nrubric: B\n", 3, 1, "duplicate key 'rubric'");
    expect_bad(HEAD CRIT1 "    points: 6\n", 14, 5, "duplicate key 'points'");
    expect_bad("rubric: A\ndocument: a.md\npass: 70\nsections:\n  s: [S]\n  s: [T]\n" CRIT1, 6, 3,
               "duplicate key 's'");
    expect_bad(HEAD CRIT1 "criteria: []\n", 14, 1, "(first at line 7)");
}
END_TEST

START_TEST(unknown_criterion_key_and_kind)
{
    expect_bad(HEAD CRIT1 "    weight: 3\n", 14, 5, "unknown key 'weight'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: regex\n"
                    "    description: d\n    hint: h\n",
               10, 12, "unknown check kind 'regex'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: [match]\n"
                    "    description: d\n    hint: h\n",
               10, 12, "unknown check kind");
}
END_TEST

START_TEST(bad_regex)
{
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: match\n"
                    "    pattern: 'a(b'\n    description: d\n    hint: h\n",
               11, 14, "bad regular expression 'a(b'");
    /* in a list of patterns: points at the list */
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: absent\n"
                    "    patterns: [ok, '[z']\n    description: d\n    hint: h\n",
               11, 15, "bad regular expression '[z'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: list\n    section: timeline\n"
                    "    item-pattern: '*+'\n    description: d\n    hint: h\n",
               12, 19, "bad regular expression");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: sentences\n"
                    "    exclude: 'x{2,1}'\n    description: d\n    hint: h\n",
               11, 14, "bad regular expression");
    expect_bad(HEAD "reject:\n  patterns: ['(']\n" CRIT1, 8, 13, "bad regular expression");
    /* an evidence list is compiled as one pattern, but the error names the
     * pattern at fault */
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: evidence\n"
                    "    pattern: a\n    with: [team, 'b(']\n    description: d\n    hint: h\n",
               12, 11, "bad regular expression 'b('");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: evidence\n"
                    "    patterns: ['\\<(aa|bb|cc|dd(\\>']\n    description: d\n    hint: h\n",
               11, 15, "bad regular expression");
}
END_TEST

START_TEST(duplicate_id)
{
    expect_bad(HEAD CRIT1 "  - {id: summary, points: 1, check: title, description: d, hint: h}\n",
               14, 5, "duplicate criterion id 'summary' (first at line 8)");
}
END_TEST

START_TEST(missing_fields)
{
    /* the criterion's mapping starts at line 8, column 5 */
    expect_bad(HEAD "criteria:\n  - points: 1\n    check: title\n    description: d\n    hint: h\n",
               8, 5, "without an 'id'");
    expect_bad(HEAD "criteria:\n  - id: x\n    check: title\n    description: d\n    hint: h\n", 8,
               5, "has no 'points'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    description: d\n    hint: h\n", 8, 5,
               "has no 'check'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: title\n    description: d\n",
               8, 5, "has no 'hint'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: title\n    hint: h\n", 8, 5,
               "has no 'description'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: section\n"
                    "    description: d\n    hint: h\n",
               8, 5, "needs a 'section'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: match\n"
                    "    description: d\n    hint: h\n",
               8, 5, "needs 'pattern' or 'patterns'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: words\n"
                    "    description: d\n    hint: h\n",
               8, 5, "needs 'min' or 'max'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: order\n"
                    "    sections: [summary]\n    description: d\n    hint: h\n",
               11, 15, "two or more");
    expect_bad(HEAD "criteria:\n  - id: 'a b'\n    points: 1\n    check: title\n"
                    "    description: d\n    hint: h\n",
               8, 5, "letters, digits");
    expect_bad("rubric: T\ndocument: a.md\npass: 70\nsections:\n  s: {fallback: preamble}\n" CRIT1,
               5, 6, "needs 'names'");
}
END_TEST

START_TEST(section_not_defined)
{
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: section\n"
                    "    section: cause\n    description: d\n    hint: h\n",
               11, 14, "section 'cause' is used but not defined");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: order\n"
                    "    sections: [summary, measures]\n    description: d\n    hint: h\n",
               11, 15, "section 'measures' is used but not defined");
    expect_bad("rubric: T\ndocument: a.md\npass: 70\nsections:\n  s: {names: [S], fallback: "
               "epilogue}\n" CRIT1,
               5, 29, "'fallback' can only be 'preamble' or 'times'");
}
END_TEST

START_TEST(key_not_for_kind)
{
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: match\n    pattern: a\n"
                    "    item-pattern: b\n    description: d\n    hint: h\n",
               12, 5, "'item-pattern' does not apply to check 'match'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: match\n    pattern: a\n"
                    "    with: b\n    description: d\n    hint: h\n",
               12, 5, "'with' does not apply to check 'match'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: evidence\n"
                    "    description: d\n    hint: h\n",
               8, 5, "check 'evidence' needs 'pattern' or 'patterns'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: title\n    min-count: 2\n"
                    "    description: d\n    hint: h\n",
               11, 5, "'min-count' does not apply to check 'title'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: words\n    min: 1\n"
                    "    section: summary\n    pattern: a\n    description: d\n    hint: h\n",
               13, 5, "'pattern' does not apply to check 'words'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: image\n"
                    "    section: summary\n    description: d\n    hint: h\n",
               11, 5, "'section' does not apply to check 'image'");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: match\n    pattern: a\n"
                    "    patterns: [b]\n    description: d\n    hint: h\n",
               12, 5, "either 'pattern' or 'patterns'");
}
END_TEST

START_TEST(numbers)
{
    expect_bad(HEAD "criteria:\n  - id: x\n    points: five\n    check: title\n"
                    "    description: d\n    hint: h\n",
               9, 13, "'points' must be a whole number");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 2.5\n    check: title\n"
                    "    description: d\n    hint: h\n",
               9, 13, "'points' must be a whole number");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: -1\n    check: title\n"
                    "    description: d\n    hint: h\n",
               9, 13, "'points' must be between 0 and 1000, not -1");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 5000\n    check: title\n"
                    "    description: d\n    hint: h\n",
               9, 13, "between 0 and 1000");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 99999999999999999999\n    check: title\n"
                    "    description: d\n    hint: h\n",
               9, 13, "whole number");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: list\n    section: summary\n"
                    "    share: 1.5\n    description: d\n    hint: h\n",
               12, 12, "'share' must be between 0 and 1");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: list\n    section: summary\n"
                    "    share: lots\n    description: d\n    hint: h\n",
               12, 12, "'share' must be a number");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: list\n    section: summary\n"
                    "    share: .nan\n    description: d\n    hint: h\n",
               12, 12, "'share' must be a number");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    check: list\n    section: summary\n"
                    "    share: nan\n    description: d\n    hint: h\n",
               12, 12, "'share' must be between 0 and 1");
    expect_bad(HEAD "criteria:\n  - id: x\n    points: 1\n    bonus: maybe\n    check: title\n"
                    "    description: d\n    hint: h\n",
               10, 12, "true or false");
}
END_TEST

START_TEST(words_min_above_max)
{
    expect_bad(HEAD "criteria:\n  - id: len\n    points: 1\n    check: words\n    min: 600\n"
                    "    max: 400\n    description: d\n    hint: h\n",
               8, 5, "'min' (600) is above 'max' (400)");
}
END_TEST

START_TEST(reject_block)
{
    expect_bad(HEAD "reject:\n  patterns: [a, b]\n  min-count: 3\n" CRIT1, 8, 3,
               "min-count 3 is more than the 2 patterns");
    expect_bad(HEAD "reject:\n  min-count: 1\n" CRIT1, 8, 3, "needs 'patterns'");
    expect_bad(HEAD "reject:\n  patterns: [a]\n  score: 0\n" CRIT1, 9, 3, "unknown key 'score'");
    expect_bad(HEAD "reject:\n  patterns: [a]\n  min-count: 0\n" CRIT1, 9, 14, "between 1 and");
    /* a default message and min-count */
    rubric *r = parse_ok(HEAD "reject:\n  patterns: [a, b]\n" CRIT1);
    ck_assert_int_eq(r->reject.min_count, 1);
    ck_assert_ptr_nonnull(r->reject.message);
    ck_assert_str_ne(r->reject.message, "");
    rubric_free(r);
}
END_TEST

/* The ids and meanings of the corpus's CRITERIA.md, in rubric order. */
static const char *const postmortem_ids[] = {"title",
                                             "summary",
                                             "summary-duration",
                                             "summary-timezone",
                                             "summary-impact",
                                             "summary-users",
                                             "summary-root-cause",
                                             "timeline",
                                             "timeline-format",
                                             "timeline-detection",
                                             "timeline-actions",
                                             "timeline-misleading",
                                             "timeline-escalation",
                                             "timeline-resolution",
                                             "cause",
                                             "cause-detail",
                                             "fix-detail",
                                             "measures",
                                             "measures-improvements",
                                             "measures-tasks",
                                             "length",
                                             "image"};

START_TEST(bundled_postmortem)
{
    char *path = tu_src("rubrics/postmortem.yml");
    rubric *r = NULL;
    gr_error err = {0};
    int rc = rubric_load(path, &r, &err);
    ck_assert_msg(rc == 0, "%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    size_t n = sizeof postmortem_ids / sizeof postmortem_ids[0];
    ck_assert_uint_eq(n, 22);
    ck_assert_uint_eq(r->ncriteria, n);
    int max = 0, bonus = 0;
    for (size_t i = 0; i < n; i++) {
        const criterion *c = &r->criteria[i];
        ck_assert_str_eq(c->id, postmortem_ids[i]);
        ck_assert_int_gt(c->points, 0);
        ck_assert_msg(c->hint && *c->hint && c->description && *c->description, "%s", c->id);
        ck_assert_msg(c->bonus == !strcmp(c->id, "image"), "%s: bonus %d", c->id, c->bonus);
        if (c->bonus)
            bonus += c->points;
        else
            max += c->points;
    }
    ck_assert_int_eq(r->criteria[n - 1].kind, CHECK_IMAGE);
    ck_assert_int_eq(r->max_points, max);
    ck_assert_int_eq(r->bonus_points, bonus);
    ck_assert_str_eq(r->document, "Blog_Post.md");
    ck_assert_int_ge(rubric_section_index(r, "summary"), 0);
    ck_assert(r->sections[rubric_section_index(r, "summary")].fallback_preamble);
    ck_assert(r->sections[rubric_section_index(r, "timeline")].fallback_times);
    ck_assert_int_gt(r->reject.npatterns, 0);
    rubric_free(r);
    free(path);
}
END_TEST

START_TEST(load_errors)
{
    rubric *r = NULL;
    gr_error err = {0};
    ck_assert_int_eq(rubric_load("/nonexistent/rubric.yml", &r, &err), GR_EINPUT);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(err.file, "rubric.yml"));
    char *d = tu_tmpdir();
    tu_write(d, "r.yml", HEAD CRIT1 "bogus: 1\n");
    char *p = path_join(d, "r.yml");
    ck_assert_int_eq(rubric_load(p, &r, &err), GR_EINPUT);
    ck_assert_str_eq(err.file, p); /* the path as given names the file */
    ck_assert_int_eq(err.line, 14);
    free(p);
    tu_rmtree(d);
    free(d);
}
END_TEST

/* Put back a variable saved with getenv (NULL: it was unset); frees old. */
static void restore_env(const char *name, char *old)
{
    if (old)
        setenv(name, old, 1);
    else
        unsetenv(name);
    free(old);
}

START_TEST(default_path)
{
    char *old = getenv("GRADER_RUBRIC") ? strdup(getenv("GRADER_RUBRIC")) : NULL;
    setenv("GRADER_RUBRIC", "/some/where/r.yml", 1);
    char *p = rubric_default_path();
    ck_assert_str_eq(p, "/some/where/r.yml");
    free(p);
    setenv("GRADER_RUBRIC", "", 1); /* empty: as if unset */
    p = rubric_default_path();
    ck_assert(p == NULL || strcmp(p, "") != 0);
    if (p)
        ck_assert_ptr_nonnull(strstr(p, "postmortem.yml"));
    free(p);
    restore_env("GRADER_RUBRIC", old);
}
END_TEST

/* The one way every command finds its rubric: the one given, else the
 * bundled one; never silently none. */
START_TEST(load_default)
{
    char *old = getenv("GRADER_RUBRIC") ? strdup(getenv("GRADER_RUBRIC")) : NULL;
    char *d = tu_tmpdir();
    tu_write(d, "env.yml", "rubric: Env\ndocument: a.md\npass: 70\n" TITLE);
    tu_write(d, "given.yml", "rubric: Given\ndocument: a.md\npass: 70\n" TITLE);
    char *env = malloc(strlen(d) + 16), *given = malloc(strlen(d) + 16);
    sprintf(env, "%s/env.yml", d);
    sprintf(given, "%s/given.yml", d);
    setenv("GRADER_RUBRIC", env, 1);
    rubric *r = NULL;
    gr_error err = {0};
    ck_assert_int_eq(rubric_load_default(NULL, &r, &err), 0);
    ck_assert_str_eq(r->name, "Env");
    rubric_free(r);
    ck_assert_int_eq(rubric_load_default(given, &r, &err), 0);
    ck_assert_str_eq(r->name, "Given");
    rubric_free(r);
    setenv("GRADER_RUBRIC", "/nowhere/r.yml", 1); /* named but missing: an error, not none */
    ck_assert_int_ne(rubric_load_default(NULL, &r, &err), 0);
    ck_assert_int_ne(err.code, GR_EUSAGE);
    ck_assert_ptr_null(r);
    restore_env("GRADER_RUBRIC", old);
    free(env);
    free(given);
    tu_rmtree(d);
    free(d);
}
END_TEST

/* document: a path as before, or {path, alternatives, search}. */
START_TEST(document_alternatives)
{
    rubric *r = parse_ok(HEAD CRIT1);
    ck_assert_str_eq(r->document, "Blog_Post.md");
    ck_assert_uint_eq(r->ndocument_alternatives, 0);
    ck_assert(r->document_search); /* the default: look in the folder */
    rubric_free(r);
    r = parse_ok("rubric: T\ndocument:\n  path: 0x19-postmortem/Blog_Post.md\n"
                 "  alternatives: [README.md, notes/post.md]\n  search: false\npass: 70\n" TITLE);
    ck_assert_str_eq(r->document, "0x19-postmortem/Blog_Post.md");
    ck_assert_uint_eq(r->ndocument_alternatives, 2);
    ck_assert_str_eq(r->document_alternatives[0], "README.md");
    ck_assert_str_eq(r->document_alternatives[1], "notes/post.md");
    ck_assert(!r->document_search);
    rubric_free(r);
    r = parse_ok("rubric: T\ndocument: {path: a/b.md, alternatives: post.md}\npass: 70\n" TITLE);
    ck_assert_uint_eq(r->ndocument_alternatives, 1);
    ck_assert(r->document_search);
    rubric_free(r);
    expect_bad("rubric: T\ndocument: {alternatives: [a.md]}\npass: 70\n" TITLE, 2, 11,
               "'document' needs a 'path'");
    expect_bad("rubric: T\ndocument: {path: a.md, alternatives: [../b.md]}\npass: 70\n" TITLE, 2,
               38, "without '..'");
    expect_bad("rubric: T\ndocument: {path: /a.md}\npass: 70\n" TITLE, 2, 18, "relative path");
    expect_bad("rubric: T\ndocument: {path: a.md, folder: x}\npass: 70\n" TITLE, 2, 24,
               "unknown key 'folder'");
    expect_bad("rubric: T\ndocument: {path: a.md, search: maybe}\npass: 70\n" TITLE, 2, 32,
               "true or false");
}
END_TEST

static Suite *rubric_suite(void)
{
    Suite *s = suite_create("rubric");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, valid_minimal);
    tcase_add_test(tc, valid_every_kind);
    tcase_add_test(tc, yaml_syntax_error);
    tcase_add_test(tc, top_level_shape);
    tcase_add_test(tc, duplicate_keys);
    tcase_add_test(tc, unknown_criterion_key_and_kind);
    tcase_add_test(tc, bad_regex);
    tcase_add_test(tc, duplicate_id);
    tcase_add_test(tc, missing_fields);
    tcase_add_test(tc, section_not_defined);
    tcase_add_test(tc, key_not_for_kind);
    tcase_add_test(tc, numbers);
    tcase_add_test(tc, words_min_above_max);
    tcase_add_test(tc, reject_block);
    tcase_add_test(tc, bundled_postmortem);
    tcase_add_test(tc, load_errors);
    tcase_add_test(tc, default_path);
    tcase_add_test(tc, load_default);
    tcase_add_test(tc, document_alternatives);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(rubric_suite)
