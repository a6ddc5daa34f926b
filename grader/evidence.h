/* evidence.h - the sentences of a stretch of a post, and which of them are
 * evidence for a criterion. A reviewer judges "the fix is explained" or
 * "the incident was escalated to a team" by what a sentence says, not by
 * where a word stands: a sentence is evidence when one of its cues matches,
 * one of its companions too (a team or a person beside "escalated"), and
 * none of its exclusions ("the necessary teams", "did not escalate"). The
 * lexicons are the rubric's (check: evidence, rubrics/README.md). */
#ifndef GRADER_EVIDENCE_H
#define GRADER_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "pattern.h"
#include "util.h"

/* Sentences shorter than this may be labels or notes; longer ones are
 * counted in full only when they are evidence. */
#define EV_FEW_WORDS 8

typedef struct ev_sentence {
    size_t off, len; /* in ev_text.buf, where a newline follows each */
    int line;        /* source line where the sentence starts */
    int block;       /* its paragraph or list item, counted from 0 */
    size_t words;    /* counted up to EV_FEW_WORDS */
    bool ended;      /* with '.', '!' or '?' */
} ev_sentence;

typedef struct ev_text {
    strbuf buf;
    ev_sentence *s;
    size_t n, cap;
    size_t cur; /* where the sentence being built starts in buf */
    int block;
    bool open;     /* the sentence being built may continue on the next line */
    int open_line; /* where the sentence being built started */
    /* when not 0: buf from cur holds a label ("Root Cause:") that heads
     * the sentence to come, and a space; it ends here */
    size_t label_end;
    bool item; /* the block being read is a list item */
    bool oom;
} ev_text;

void ev_text_init(ev_text *t);
void ev_text_reset(ev_text *t);
void ev_text_free(ev_text *t);

/* How a line starts: within the block before, or a new paragraph, or a
 * new list item. */
enum { EV_SAME_BLOCK = 0, EV_NEW_BLOCK = 1, EV_NEW_ITEM = 3 };

/* Add one rendered line. Within a block, a line that starts in lower case
 * carries on the sentence the previous line left open (a hard-wrapped
 * sentence); any other line starts a sentence (timeline lines that begin
 * with a time). Sentences end at '.', '!' or '?' before a space. Fragments
 * that do not end like a sentence and have a colon and under six words, or
 * under three words ("Root Cause:", "Timeline"), are labels, not
 * sentences; in a list item only the first kind is ("- Patch Nginx" is an
 * entry). */
void ev_text_add_line(ev_text *t, const char *text, int line, int starts);
/* Close the last sentence; false when memory ran out at any point. */
bool ev_text_finish(ev_text *t);
/* Words of sentence i (ev_sentence.words stops counting at EV_FEW_WORDS). */
size_t ev_words(const ev_text *t, size_t i);

typedef struct ev_rule {
    /* each a pattern, or code NULL for none (rubric.h: the lists joined) */
    const pattern *cues; /* a sentence is evidence when one matches */
    size_t ncues;
    const pattern *with;       /* ...and, when given, this too */
    const pattern *with_cased; /* ...or this (a name, matched with case) */
    const pattern *without;    /* ...and not this */
    const pattern *keep;       /* ...unless this matches (it stands in for with too) */
    /* ...and neither of the next two sentences of its block matches this
     * (a try that failed: "Restarted Nginx. Twice. No improvement.") */
    const pattern *undone;
    /* an evidence sentence that also gives a concrete detail (a file, a
     * command, a value) is enough on its own */
    const pattern *detail;
    /* once a sentence is evidence, the rest of its block counts too (steps
     * of an explanation), unless excluded */
    bool follow;
    size_t min_words; /* shorter fragments (not ended like a sentence) are not evidence */
    int need;         /* stop counting there: the verdict is settled */
} ev_rule;

typedef struct ev_found {
    int count;             /* evidence sentences */
    int detailed;          /* of which give a concrete detail */
    size_t words;          /* their words */
    long first;            /* index of the first, -1 when none */
    size_t cue_so, cue_eo; /* the first one from its cue to its end, offsets in buf */
} ev_found;

void ev_weigh(const ev_text *t, const ev_rule *r, ev_found *out);

/* A word list "\<(restart|reboot|revert|patch)\>" regrouped by first
 * letter, "\<(r(estart|eboot|evert)|patch)\>": the same matches (PCRE2
 * tries an alternation's branches one by one, at every word of every
 * sentence, and the lexicons are long). malloc'd; NULL when ere is not
 * such a list or memory ran out (then compile ere as it is). */
char *ev_factor(const char *ere);

#endif
