/* feedback.h - reports/feedback/<id>.md: a student's own report, written
 * for the student: the score, each criterion met or missed with its hint
 * and the line it points at, the commit graded and whether it was late; or,
 * without a gradable submission, what happened and what to do. */
#ifndef GRADER_FEEDBACK_H
#define GRADER_FEEDBACK_H

#include "gradebook.h"
#include "util.h"

/* The Markdown for one student, appended to sb. */
void feedback_markdown(strbuf *sb, const cohort *c, const grade_row *g);

/* Write dir/<id>.md for every student (dir is created). Each file is
 * written atomically; the first failure stops and is returned. */
int feedback_write_all(const char *dir, const cohort *c, gr_error *err);

#endif
