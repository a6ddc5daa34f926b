/* sections.h - where a post's sections are: which lines start which
 * section of the rubric, and which lines each section spans. Reads an
 * outline the way a reviewer does (names in headings, bold lines, plain
 * lines; a weaker name before a stronger one is a label). Knows nothing of
 * criteria. */
#ifndef GRADER_SECTIONS_H
#define GRADER_SECTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "outline.h"
#include "rubric.h"

typedef struct span {
    size_t from, to; /* line indices, [from, to) */
} span;

typedef struct sec_state {
    span *spans;
    size_t nspans;
    int heading; /* line index of its first heading, -1 when absent */
    bool fallback;
    bool by_role; /* no name, but its text reads as the section (rubric `cue`) */
} sec_state;

typedef struct sections {
    int title;       /* line index of the title, -1 when none */
    sec_state *secs; /* one per rubric section */
    size_t nsecs;
    int *starts; /* per line: section index it starts, -1, -2 (other heading), -3 (label) */
    size_t from; /* the post proper starts at this line; those before are not read */
} sections;

/* Resolve r's sections in o, reading lines from index `from` on (the lines
 * before are text the student pasted, not the post). Returns 0 or GR_ENOMEM; out is always safe to
 * pass to sections_clear. */
int sections_resolve(const rubric *r, const outline *o, size_t from, sections *out);
void sections_clear(sections *s);

/* In a line so long that its line breaks were lost (80 words or more),
 * split where a section name written as a heading runs into the text
 * ("...went quiet. Issue Summary On 12 July..."): the name becomes a
 * pseudo-heading line of its own, at the same source line. Other lines are
 * left alone. Returns 0 or GR_ENOMEM (o unchanged). */
int sections_split_runins(const rubric *r, outline *o);

/* Letters or digits (or any non-ASCII text) in s, U+FFFD aside. */
bool has_alnum(const char *s);

#endif
