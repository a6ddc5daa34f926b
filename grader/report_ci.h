/* report_ci.h - a score as the continuous-integration tools read it:
 * GitHub workflow commands (annotations on the post's lines), SARIF 2.1.0
 * (code scanning) and a Markdown table (a job summary). The same file, line
 * and hint as the text report. */
#ifndef GRADER_REPORT_CI_H
#define GRADER_REPORT_CI_H

#include <stdbool.h>
#include <stdio.h>

#include "rubric.h"
#include "score.h"
#include "util.h"

/* One `::error file=F,line=L,col=C,title=ID (N pts)::message` per missed
 * criterion (`::warning` for a missed bonus), its hint on the message's
 * second line; with notices, a `::notice` per met criterion; a
 * `::warning` per note; then a plain score line. */
void report_github(FILE *fp, const rubric *r, const score_result *res, bool notices);

/* A post that could not be scored, as an `::error` on that file. */
void report_github_error(FILE *fp, const char *file, const char *message);

/* Workflow-command escaping: a message (%, CR, LF) and a property value
 * (also ':' and ','), appended to sb. */
void github_escape_data(strbuf *sb, const char *s);
void github_escape_property(strbuf *sb, const char *s);

/* One SARIF log for the whole run: the rubric's criteria are the rules,
 * each missed criterion a result (level error, warning for a bonus; with
 * passes, each met one a result of kind "pass"), an unreadable post a tool
 * notification, each post's score in the run's properties. */
typedef struct sarif_log {
    const rubric *r;
    bool passes, failed; /* failed: a post could not be read */
    strbuf results, notes, scores;
} sarif_log;

void sarif_init(sarif_log *log, const rubric *r, bool passes);
void sarif_add(sarif_log *log, const score_result *res);
void sarif_add_error(sarif_log *log, const char *file, const char *message);
/* The whole log, appended to out; false when memory ran out. */
bool sarif_finish(sarif_log *log, strbuf *out);
void sarif_free(sarif_log *log);

/* A Markdown section for one post: a heading with the score and the
 * verdict, then a table of every criterion (met or not, points, line, what
 * to do), every cell escaped. */
void report_markdown(FILE *fp, const rubric *r, const score_result *res);

/* A post that could not be scored, as a Markdown section. */
void report_markdown_error(FILE *fp, const char *file, const char *message);

#endif
