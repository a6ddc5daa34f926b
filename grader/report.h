/* report.h - how a score reads: in a terminal (like compiler output) and
 * as JSON for tools. */
#ifndef GRADER_REPORT_H
#define GRADER_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "rubric.h"
#include "score.h"
#include "util.h"

/* The checklist, the diagnostics of what was missed (FILE:LINE:COL: id:
 * message (N pts) and the hint), the notes and the total. */
void report_text(FILE *fp, const rubric *r, const score_result *res, bool color);

/* One JSON object for a scored post, appended to sb. */
void report_json(strbuf *sb, const rubric *r, const score_result *res);

/* A JSON object for a post that could not be scored. */
void report_json_error(strbuf *sb, const char *file, const char *message);

/* s as a JSON string literal (quoted, escaped), appended to sb. */
void json_string(strbuf *sb, const char *s);

#endif
