/* gradebook.h - a graded cohort (one row per roster student, in roster
 * order) and its CSV forms: reports/gradebook.csv, the LMS import files and
 * JSON. feedback.h and summary.h read the same rows. */
#ifndef GRADER_GRADEBOOK_H
#define GRADER_GRADEBOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "rubric.h"
#include "score.h"
#include "similar.h"
#include "util.h"

/* One roster student. Strings are borrowed (roster, manifest) and never
 * NULL ("" when empty); res is owned by the cohort. */
typedef struct grade_row {
    const char *id, *name, *github, *repo;
    const char *status;  /* "ok", or why there is nothing to grade ("no-repo", ...) */
    const char *detail;  /* what happened, for the instructor and the student; may be "" */
    const char *advice;  /* what to do about a status other than ok; may be "" */
    char commit[41];     /* graded commit, "" when none */
    int64_t commit_time; /* Unix seconds, 0 when none */
    bool late;
    int late_commits;
    const char *path;  /* the post read in the repository, "" when none */
    bool misnamed;     /* path is not the asked one: found under another name, flagged */
    score_result *res; /* NULL when there was no gradable submission (or link-only) */
    /* Submission integrity (similar.h), when the cohort was compared: */
    const similar_result *sim; /* NULL when not compared (no post, --no-similar) */
    const char *links;         /* a link-only post's links, space-separated; "" otherwise */
    const char *text;          /* the post (borrowed), for the summary's passages; may be NULL */
    size_t len;
} grade_row;

typedef struct cohort {
    const rubric *rb;
    grade_row *v;
    size_t n;
    const char *title;         /* for the summary page: the rubric's name or a course name */
    int64_t deadline;          /* 0 when none */
    int64_t graded_at;         /* when the run happened (Unix seconds); 0 to leave out */
    const similar_report *sim; /* NULL when the similarity pass did not run */
    const size_t *sim_row;     /* sim->posts[k] is row sim_row[k] */
    const char *document;      /* where the post is asked for (--path); NULL: rb->document */
} cohort;

/* Points, percent and pass of a row (0 / false without a submission). */
int grade_points(const grade_row *g);
double grade_percent(const grade_row *g);
bool grade_passed(const grade_row *g);
/* Is the post a link to a post elsewhere (status link-only: graded by
 * hand, score left empty) / mostly the assignment's own text? */
bool grade_link_only(const grade_row *g);
bool grade_task_text(const grade_row *g);
/* Does the instructor need to look at this student: nothing graded, failed,
 * late, link-only, task-text or misnamed. */
bool grade_needs_attention(const grade_row *g);
/* "2024-04-12T21:59:00Z" or "" into buf (at least 21 bytes). */
void grade_format_time(int64_t t, char *buf, size_t size);

/* The gradebook: header id,name,github,repository,status,commit,
 * commit_time,late,path,<criterion ids...>,score,max,percent,passed,copy_group,
 * copy_share,flags,links then one row per student. Criterion cells are the
 * points awarded, empty when nothing was graded; a link-only post's score,
 * percent and passed are empty (the instructor grades it by hand). The last
 * four are the similarity findings (empty when not compared). Written
 * atomically: on failure the previous file is intact. */
int gradebook_write(const char *path, const cohort *c, gr_error *err);

typedef enum lms_kind { LMS_NONE, LMS_CANVAS, LMS_MOODLE } lms_kind;
/* "canvas" / "moodle" -> kind; -1 when unknown. */
int lms_parse(const char *name);
/* The grade-import CSV of that LMS (see docs/grade.md for the layouts).
 * roster columns by name (canvas_id, sis_id, email, section) fill the
 * identifiers when present; lookup(ctx, i, column) returns them or NULL. */
int gradebook_write_lms(const char *path, const cohort *c, lms_kind kind,
                        const char *(*lookup)(void *ctx, size_t i, const char *column), void *ctx,
                        gr_error *err);
/* Default file name of the LMS file: "canvas.csv" / "moodle.csv". */
const char *lms_file_name(lms_kind kind);

/* The whole cohort as one JSON object, appended to sb. */
void gradebook_json(strbuf *sb, const cohort *c);

#endif
