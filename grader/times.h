/* times.h - lines that begin with a time or a date ("10:45 AM -", "- 2024-04-10
 * 09:00 UTC:", "**May 3, 14:05**", "At 9 pm", "9/10 7:55 PT"), the way
 * timeline entries do, and runs of such lines: a timeline by its form. */
#ifndef GRADER_TIMES_H
#define GRADER_TIMES_H

#include <stdbool.h>
#include <stddef.h>

#include "outline.h"

/* Does s begin with a time or a date (after bullets, emphasis and a word
 * such as "At")? */
bool times_line_starts(const char *s);

/* Does s end with a time in brackets or after a dash ("- The deploy goes
 * out (15:02 CET).", "Rollback done - 10:40")? Timeline entries are
 * written so too, though not in the form the assignment asks for. */
bool times_line_ends(const char *s);

/* How many clock times s holds ("at 19:40", "by 9:05 PM"): a story told
 * hour by hour names several. */
size_t times_count(const char *s);

/* The longest run of at least three lines of o that begin or end with a
 * time (times_line_starts, times_line_ends), from
 * line index `from` on, with at most two other lines between two of them
 * and no line with starts[i] != -1 (a section name or a heading) inside:
 * [*rf, *rt), the last entry's wrapped lines included. False when none. */
bool times_run(const outline *o, const int *starts, size_t from, size_t *rf, size_t *rt);

#endif
