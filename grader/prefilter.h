/* prefilter.h - where a match of a POSIX ERE can start, read from the ERE
 * itself: the first bytes any match begins with (up to PREFILTER_BYTES,
 * ASCII case folded) and whether it must begin a word (GNU \<).
 *
 * PCRE2 tries the rubric's long word lists at nearly every letter of a
 * sentence (their first letters cover most of the alphabet), and that was
 * most of the time spent matching. A position whose next bytes begin no
 * match of the ERE cannot start one, so it need not be tried. The sets
 * found are a superset of the real starts (an unknown construct widens
 * them or gives no filter at all), so trying only the candidates, in order,
 * finds the same first match as trying every position. A branch after ^
 * can begin only at offset 0, which is then always a candidate; PCRE2's
 * lookarounds ((?=..), (?!..), (?<=..), (?<!..)) consume nothing and are
 * passed over.
 *
 *     prefilter *f = prefilter_new(ere);
 *     for (size_t at = from; (at = prefilter_next(f, s, len, at)) < len; at++)
 *         ...try an anchored match at `at`...
 */
#ifndef GRADER_PREFILTER_H
#define GRADER_PREFILTER_H

#include <stddef.h>

#define PREFILTER_BYTES 4

typedef struct prefilter prefilter;

/* NULL when nothing useful is known (the ERE can match the empty string,
 * uses a construct not read here, or memory ran out): then every position
 * is a candidate. */
prefilter *prefilter_new(const char *ere);
void prefilter_free(prefilter *f);

/* The first position in [from, len) of s where a match may start, or len
 * when there is none. s[from - 1] is read when from > 0 (a word start
 * depends on the byte before). */
size_t prefilter_next(const prefilter *f, const char *s, size_t len, size_t from);

#endif
