/* evidence: sentences (ends, hard-wrapped lines, timeline lines, labels,
 * abbreviations, blocks), which sentences are evidence (cues, companions,
 * exclusions, keep, follow, details, short fragments, the stop), and word
 * lists regrouped by first letter. Texts written for these tests. */
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "testutil.h"

typedef struct line {
    const char *text;
    int starts; /* true (a new block), false, or EV_NEW_ITEM */
} line;

static void split(ev_text *t, const line *lines)
{
    ev_text_init(t);
    for (int i = 0; lines[i].text; i++)
        ev_text_add_line(t, lines[i].text, i + 1, lines[i].starts);
    ck_assert(ev_text_finish(t));
}

static char *sentence(const ev_text *t, size_t i)
{
    ck_assert_uint_lt(i, t->n);
    char *s = strndup(t->buf.s + t->s[i].off, t->s[i].len);
    ck_assert_ptr_nonnull(s);
    return s;
}

#define SENTENCE_IS(t, i, want)                                                                    \
    do {                                                                                           \
        char *s_ = sentence(t, i);                                                                 \
        ck_assert_str_eq(s_, want);                                                                \
        free(s_);                                                                                  \
    } while (0)

START_TEST(sentences_end_and_carry_on)
{
    ev_text t;
    split(&t, (line[]){{"The cache filled up. Then the disk", true},
                       {"ran out of space, e.g. on node two! Why?", false},
                       {"Root Cause:", true},
                       {"10:05 - Server restarted", true},
                       {"10:07 - Pages load again", false},
                       {"Timeline", true},
                       {NULL, false}});
    ck_assert_uint_eq(t.n, 5);
    SENTENCE_IS(&t, 0, "The cache filled up.");
    /* a line in lower case carries on the sentence the last one left open */
    SENTENCE_IS(&t, 1, "Then the disk ran out of space, e.g. on node two!");
    ck_assert_int_eq(t.s[1].line, 1);
    ck_assert_int_eq(t.s[0].block, t.s[1].block);
    /* "Why?" is short but ends like a sentence; "Root Cause:" is a label,
     * which heads the sentence after it (at that sentence's line) */
    SENTENCE_IS(&t, 2, "Why?");
    SENTENCE_IS(&t, 3, "Root Cause: 10:05 - Server restarted");
    ck_assert_int_eq(t.s[3].line, 4);
    /* timeline lines are one event each, short ones too */
    SENTENCE_IS(&t, 4, "10:07 - Pages load again");
    ck_assert(t.s[4].block > t.s[1].block);
    ck_assert(!t.s[4].ended && t.s[0].ended);
    ev_text_reset(&t);
    ck_assert_uint_eq(t.n, 0);
    ev_text_free(&t);
    /* two labels in a row head nothing; a label at the end is dropped */
    split(&t, (line[]){{"Impact:", true},
                       {"Root Cause:", true},
                       {"A bad deploy.", true},
                       {"Resolution:", true},
                       {NULL, false}});
    ck_assert_uint_eq(t.n, 1);
    SENTENCE_IS(&t, 0, "A bad deploy.");
    ev_text_free(&t);
    /* a short list item is an entry, unless it ends with a colon */
    split(&t, (line[]){{"Tasks:", EV_NEW_ITEM},
                       {"Patch Nginx", EV_NEW_ITEM},
                       {"Add monitoring", EV_NEW_ITEM},
                       {"Monitoring", true},
                       {NULL, false}});
    ck_assert_uint_eq(t.n, 2);
    SENTENCE_IS(&t, 0, "Tasks: Patch Nginx");
    SENTENCE_IS(&t, 1, "Add monitoring");
    ev_text_free(&t);
    /* a file name ends a sentence; short dotted pieces are abbreviations */
    split(&t, (line[]){{"PHP could not load settings.phpp. The fix? At 9 a.m. the U.S. "
                        "team renamed it.",
                        true},
                       {NULL, false}});
    ck_assert_uint_eq(t.n, 3);
    SENTENCE_IS(&t, 0, "PHP could not load settings.phpp.");
    SENTENCE_IS(&t, 2, "At 9 a.m. the U.S. team renamed it.");
    ev_text_free(&t);
    /* a title before a name ends nothing */
    split(&t, (line[]){{"I call Mr. Adeyemi and Dr. Okafor. They fix it.", true}, {NULL, false}});
    ck_assert_uint_eq(t.n, 2);
    SENTENCE_IS(&t, 0, "I call Mr. Adeyemi and Dr. Okafor.");
    ev_text_free(&t);
}
END_TEST

static pattern compile1(const char *ere)
{
    pattern p;
    char msg[256];
    ck_assert_msg(pattern_compile(&p, ere, true, msg, sizeof msg) == 0, "%s: %s", ere, msg);
    return p;
}

START_TEST(evidence_needs_cue_companion_and_no_exclusion)
{
    ev_text t;
    split(&t, (line[]){{"We escalated it to the necessary teams.", true},
                       {"Then we escalated to the database team.", true},
                       {"Nobody paged the network team.", true},
                       {NULL, false}});
    pattern cue = compile1("\\<(escalat[a-z]*|paged)\\>");
    pattern with = compile1("\\<(team|teams|engineer)\\>");
    pattern without = compile1("\\<(necessary|nobody)\\>");
    ev_rule r = {.cues = &cue, .ncues = 1, .with = &with, .without = &without};
    ev_found f;
    ev_weigh(&t, &r, &f);
    ck_assert_int_eq(f.count, 1);
    ck_assert_int_eq(f.first, 1);
    ck_assert_str_eq(t.buf.s + f.cue_so, "escalated to the database team.\n"
                                         "Nobody paged the network team.\n");
    /* a companion is required when given */
    pattern none = compile1("\\<(manager)\\>");
    r.with = &none;
    ev_weigh(&t, &r, &f);
    ck_assert_int_eq(f.count, 0);
    ck_assert_int_eq(f.first, -1);
    /* keep overrides an exclusion */
    pattern keep = compile1("\\<nobody\\>");
    r.with = NULL;
    r.keep = &keep;
    ev_weigh(&t, &r, &f);
    ck_assert_int_eq(f.count, 2);
    /* the stop: once the verdict is settled */
    r.need = 1;
    ev_weigh(&t, &r, &f);
    ck_assert_int_eq(f.count, 1);
    /* a cue is read in its sentence alone: "^" is where the sentence starts */
    pattern anchored = compile1("^then\\>");
    ev_rule ra = {.cues = &anchored, .ncues = 1};
    ev_weigh(&t, &ra, &f);
    ck_assert_int_eq(f.count, 1);
    ck_assert_int_eq(f.first, 1);
    pattern_free(&anchored);
    pattern_free(&cue);
    pattern_free(&with);
    pattern_free(&without);
    pattern_free(&none);
    pattern_free(&keep);
    ev_text_free(&t);
}
END_TEST

START_TEST(follow_detail_and_short_fragments)
{
    ev_text t;
    split(&t, (line[]){{"The page was slow. We restarted the worker pool. It came back within a "
                        "minute. All good now.",
                        true},
                       {"We also checked the logs.", true},
                       {"Fix - restarted", true},
                       {NULL, false}});
    pattern cue = compile1("\\<(restarted|rolled back)\\>");
    pattern detail = compile1("\\.(conf|ini)\\>");
    ev_rule r = {.cues = &cue, .ncues = 1, .follow = true, .min_words = 5};
    ev_found f;
    ev_weigh(&t, &r, &f);
    /* the rest of the block counts (short "All good now." ends like a
     * sentence), the next block does not, the short note does not */
    ck_assert_int_eq(f.count, 3);
    ck_assert_int_eq(f.first, 1);
    ck_assert_uint_eq(f.words, 5 + 6 + 3);
    r.follow = false;
    r.min_words = 0;
    ev_weigh(&t, &r, &f);
    ck_assert_int_eq(f.count, 2);
    ck_assert_int_eq(f.detailed, 0);
    ev_text_free(&t);
    /* one evidence sentence with a concrete detail */
    split(&t, (line[]){{"We rolled back nginx.conf to the last good copy.", true}, {NULL, false}});
    r.detail = &detail;
    r.need = 2;
    ev_weigh(&t, &r, &f);
    ck_assert_int_eq(f.count, 1);
    ck_assert_int_eq(f.detailed, 1);
    pattern_free(&cue);
    pattern_free(&detail);
    ev_text_free(&t);
}
END_TEST

/* A try the next sentence of its block says failed is no evidence; the
 * next block's words do not undo it. */
START_TEST(tries_undone)
{
    ev_text t;
    split(&t, (line[]){{"10:20 Rolled back the release. Twice. Errors continued.", EV_NEW_ITEM},
                       {"10:40 Restarted the database.", EV_NEW_ITEM},
                       {"10:45 Errors continued on the old nodes.", EV_NEW_ITEM},
                       {NULL, false}});
    pattern cue = compile1("\\<(rolled back|restarted)\\>");
    pattern undone = compile1("\\<(errors|it) (continued|persisted)\\>");
    ev_rule r = {.cues = &cue, .ncues = 1};
    ev_found f;
    ev_weigh(&t, &r, &f);
    ck_assert_int_eq(f.count, 2);
    r.undone = &undone;
    ev_weigh(&t, &r, &f);
    ck_assert_int_eq(f.count, 1);
    SENTENCE_IS(&t, (size_t)f.first, "10:40 Restarted the database.");
    pattern_free(&cue);
    pattern_free(&undone);
    ev_text_free(&t);
}
END_TEST

START_TEST(word_lists_regrouped)
{
    char *f = ev_factor("\\<(restart(ed)?|reboot|patch(ed)?|revert|s?ql|[a-z]x|rollback)\\>");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f, "\\<(r(estart(ed)?|eboot|evert|ollback)|patch(ed)?|s?ql|[a-z]x)\\>");
    /* the same answers */
    const char *texts[] = {"we restarted it", "a reboot", "patched", "ql", "sql", "bx",
                           "rollbacks",       "prestart", NULL};
    pattern a = compile1("\\<(restart(ed)?|reboot|patch(ed)?|revert|s?ql|[a-z]x|rollback)\\>");
    pattern b = compile1(f);
    for (int i = 0; texts[i]; i++)
        ck_assert_int_eq(pattern_find(&a, texts[i], strlen(texts[i]), 0, NULL, NULL),
                         pattern_find(&b, texts[i], strlen(texts[i]), 0, NULL, NULL));
    pattern_free(&a);
    pattern_free(&b);
    free(f);
    /* not a word list, or too short to be worth it: NULL */
    ck_assert_ptr_null(ev_factor("\\<(was|were) not\\>"));
    ck_assert_ptr_null(ev_factor("\\<(a|b)\\>"));
    ck_assert_ptr_null(ev_factor("restart|reboot|revert|reload"));
    ck_assert_ptr_null(ev_factor("\\<(re|ro|ra|ri)\\>x"));
}
END_TEST

static Suite *evidence_suite(void)
{
    Suite *s = suite_create("evidence");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, sentences_end_and_carry_on);
    tcase_add_test(tc, evidence_needs_cue_companion_and_no_exclusion);
    tcase_add_test(tc, follow_detail_and_short_fragments);
    tcase_add_test(tc, tries_undone);
    tcase_add_test(tc, word_lists_regrouped);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(evidence_suite)
