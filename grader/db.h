/* db.h - grader serve's store: one SQLite file in WAL mode holding the
 * assignment (people, posts at their graded commit, who reviews whom, the
 * rubric) and the reviews. Every write is one transaction committed (and,
 * with synchronous=FULL, on disk) before the function returns, so a review
 * acknowledged to a browser survives a kill -9 of the server. The schema is
 * versioned (PRAGMA user_version) and migrated forward on open.
 *
 * A db is safe to share between threads: each call holds its lock. Strings
 * handed back are malloc'd and owned by the caller's struct (free with the
 * matching _free). Link tokens are never stored, only their SHA-256. */
#ifndef GRADER_DB_H
#define GRADER_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "rubric.h"

#define DB_SCHEMA_VERSION 2

typedef struct db db;

/* Open (create when create is true and the file is missing) and migrate to
 * DB_SCHEMA_VERSION. A file from a newer grader is refused (GR_EINPUT). */
int db_open(const char *path, bool create, db **out, gr_error *err);
void db_close(db *d);
int db_schema_version(db *d);
/* For tests of migrations: a new file at an older schema version. */
int db_create_at_version(const char *path, int version, gr_error *err);

/* Settings: deadline (Unix seconds, "" for none), anonymous (authors, both,
 * none), released ("1" once authors may read their reviews), base_url,
 * rubric (the YAML text). *val NULL when unset. */
int db_get(db *d, const char *key, char **val, gr_error *err);
int db_set(db *d, const char *key, const char *val, gr_error *err);

/* ---- the assignment, from grader assign / grader serve --init ---- */

typedef struct db_person {
    const char *id, *name;
} db_person;

typedef struct db_post {
    const char *author, *commit, *path;
    const char *body; /* the post at the graded commit */
    size_t len;
    const int *auto_points; /* the rubric's automatic points per criterion, or NULL */
} db_post;

typedef struct db_import {
    const db_person *people;
    size_t npeople;
    const db_post *posts;
    size_t nposts;
    const char *const *reviewers, *const *authors; /* pairs */
    size_t npairs;
    const char *rubric_text;
    size_t rubric_len;
    const rubric *rb; /* the parsed rubric_text */
} db_import;

typedef struct db_import_stats {
    size_t people_new, posts_new, pairs_new, pairs_dropped, pairs_reviewed_kept;
} db_import_stats;

/* Add what is new in one transaction; nothing already there changes (a
 * person keeps their link, a review its pair). A pair gone from the new
 * assignment is dropped unless it has a review (then kept and counted).
 * Changing the rubric once reviews exist is refused (GR_EINPUT). */
int db_import_run(db *d, const db_import *im, db_import_stats *st, gr_error *err);

/* ---- links ---- */

/* Called with each link issued; token is the secret, shown only now. */
typedef int (*db_link_fn)(void *ctx, const char *role, const char *id, const char *name,
                          const char *token);

/* Issue tokens to everyone without one (reissue false) or to everyone
 * (reissue true: earlier links stop working), the instructor included
 * (role "instructor", id "instructor"). All in one transaction, committed
 * only when fn returned 0 for every link, so a link is never stored
 * without having been handed out. *issued counts them. */
int db_issue_links(db *d, bool reissue, db_link_fn fn, void *ctx, size_t *issued, gr_error *err);

typedef enum db_role { DB_NOBODY, DB_STUDENT, DB_INSTRUCTOR } db_role;

/* Who holds the token with this hash (token_hash_hex). *id malloc'd. */
int db_who(db *d, const char *token_hash, db_role *role, char **id, gr_error *err);

/* ---- reviews ---- */

enum { DB_NOT_STARTED = 0, DB_DRAFT = 1, DB_SUBMITTED = 2 };

typedef struct db_item {
    int met; /* -1 not judged, 0 not met, 1 met */
    double points;
    bool has_points;
    char *comment;
} db_item;

typedef struct db_review {
    long n; /* the assignment's number (in URLs) */
    char *reviewer, *reviewer_name, *author, *author_name;
    int state; /* DB_NOT_STARTED, DB_DRAFT, DB_SUBMITTED */
    double score;
    char *overall;
    db_item *items; /* one per criterion, rubric order; NULL when nitems 0 */
    size_t nitems;
    int64_t updated;
    int helpful; /* the author's vote: -1 none, 0 not helpful, 1 helpful */
} db_review;

void db_review_free(db_review *r);
void db_reviews_free(db_review *v, size_t n);

/* The reviews a reviewer must do, in assignment order (items not loaded). */
int db_tasks(db *d, const char *reviewer, db_review **v, size_t *n, gr_error *err);
/* Assignment n with its review and items (nitems criteria). *found false
 * when there is no such n, or when reviewer is not NULL and n is not theirs. */
int db_review_get(db *d, long n, const char *reviewer, size_t nitems, db_review *out, bool *found,
                  gr_error *err);
/* Save r (state DB_DRAFT or DB_SUBMITTED) for r->n, if r->n belongs to
 * reviewer: one transaction, committed before returning. *found as above. */
int db_review_save(db *d, const db_review *r, const char *reviewer, bool *found, gr_error *err);
/* Submitted reviews of an author's post, items loaded. */
int db_reviews_of(db *d, const char *author, size_t nitems, db_review **v, size_t *n,
                  gr_error *err);
/* Every review (all states), items loaded, by reviewer then author. */
int db_reviews_all(db *d, size_t nitems, db_review **v, size_t *n, gr_error *err);
/* The author's vote on review n; *found false when n is not a submitted
 * review of author's post. */
int db_helpful_set(db *d, long n, const char *author, bool helpful, bool *found, gr_error *err);

/* An author's post: body, commit and path (malloc'd); *found false when none. */
int db_post_get(db *d, const char *author, char **body, size_t *len, char **commit, char **path,
                bool *found, gr_error *err);
/* The automatic points per criterion (nitems, rubric order; -1 unknown). */
int db_auto_points(db *d, const char *author, size_t nitems, int *out, gr_error *err);

typedef struct db_person_row {
    char *id, *name;
    bool author;
} db_person_row;
int db_people(db *d, db_person_row **v, size_t *n, gr_error *err);
/* One person's name and whether they have a post; *found false if none. */
int db_person_get(db *d, const char *id, db_person_row *out, bool *found, gr_error *err);
void db_people_free(db_person_row *v, size_t n);

/* reviews.csv as grader collect reads it (reviewer, author, one column per
 * criterion, score, comment, helpful): submitted reviews only, cells
 * formula-safe. */
int db_export_reviews(db *d, const rubric *rb, FILE *fp, gr_error *err);
/* assignments.csv (reviewer, author) for grader collect. */
int db_export_assignments(db *d, FILE *fp, gr_error *err);

#endif
