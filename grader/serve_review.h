/* serve_review.h - a posted review form into a review, validated by the
 * validator grader collect applies to reviews.csv (collect_check_review). */
#ifndef GRADER_SERVE_REVIEW_H
#define GRADER_SERVE_REVIEW_H

#include "db.h"
#include "form.h"
#include "rubric.h"

/* Fields: action (draft|submit), for criterion i (rubric order) m_i
 * (1 met, 0 not met, "" not judged), p_i (points, "" for all points when
 * met and 0 when not), c_i (comment); overall. A draft may leave criteria
 * unjudged; a submitted review judges every one. out->items and strings are
 * filled even on error (so the page can show what was typed); free with
 * db_review_free. Errors are GR_EINPUT with a message for the page. */
int review_from_form(const form *f, const rubric *rb, db_review *out, gr_error *err);

/* Caps of a review form's fields (bytes). */
#define REVIEW_COMMENT_MAX 2000
#define REVIEW_OVERALL_MAX 8000

#endif
