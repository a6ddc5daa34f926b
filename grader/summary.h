/* summary.h - reports/summary.html: one self-contained page (inline CSS and
 * SVG, no external asset, no script) showing how the class did: cohort
 * size, submitted, mean and median, a histogram of scores, each
 * criterion's pass rate, and the students who need attention, each linked
 * to feedback/<id>.md. */
#ifndef GRADER_SUMMARY_H
#define GRADER_SUMMARY_H

#include <stddef.h>

#include "gradebook.h"
#include "util.h"

typedef struct summary_stats {
    size_t cohort, submitted, passed, failed, late, missing;
    double mean, median; /* of the submitted students' percents; 0 when none */
    size_t hist[10];     /* percent bins [0,10) ... [90,100], over 100 in the last */
} summary_stats;

void summary_compute(const cohort *c, summary_stats *st);

/* The page, appended to sb. */
void summary_html(strbuf *sb, const cohort *c);
/* Written atomically. */
int summary_write(const char *path, const cohort *c, gr_error *err);

/* The page's stylesheet (grader serve's pages share its look). */
extern const char summary_css[];

/* s escaped for HTML text and attribute values, appended to sb. */
void html_escape(strbuf *sb, const char *s);

#endif
