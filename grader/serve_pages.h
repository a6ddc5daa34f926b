/* serve_pages.h - the HTML of grader serve: plain server-rendered pages,
 * no script, readable on a phone, the look of summary.html. Every string
 * from the database (names, comments, posts) is escaped here; posts are
 * rendered by cmark in safe mode (raw HTML and javascript: links dropped).
 *
 * Pages never print a link token: a person's pages link to each other by
 * relative URLs under their own /r/TOKEN/ or /i/TOKEN/. */
#ifndef GRADER_SERVE_PAGES_H
#define GRADER_SERVE_PAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "rubric.h"
#include "util.h"

enum { ANON_AUTHORS = 1, ANON_REVIEWERS = 2 };

typedef struct page_ctx {
    const rubric *rb;
    const char *csrf;     /* this person's CSRF token, put in every form */
    int anonymous;        /* ANON_AUTHORS | ANON_REVIEWERS */
    bool closed;          /* the review deadline has passed */
    bool released;        /* authors may read their reviews */
    const char *deadline; /* "2024-05-01T23:59:00Z", or "" */
} page_ctx;

/* The stylesheet served at /style.css. */
void page_css(strbuf *sb);

/* A short page with a title and a sentence (404, 413, errors). */
void page_message(strbuf *sb, const char *title, const char *text);

/* A reviewer's home (/r/TOKEN/): the posts to review and their state; a
 * link to the reviews of their own post once released. */
void page_home(strbuf *sb, const page_ctx *c, const char *name, const db_review *tasks, size_t n,
               bool is_author);

/* One review (/r/TOKEN/review/N): the post rendered beside the rubric as a
 * form. number is the post's 1-based place in the reviewer's list. error
 * (may be NULL) is shown above the form, which then keeps r's values. */
void page_review(strbuf *sb, const page_ctx *c, const db_review *r, size_t number, const char *post,
                 size_t len, const char *error, const char *notice);

/* An author's reviews (/r/TOKEN/feedback), each with a helpful vote. */
void page_feedback(strbuf *sb, const page_ctx *c, const char *name, const db_review *v, size_t n,
                   const char *notice);

/* The instructor's page: every review, people and the automatic points
 * (people x criteria, row-major; -1 unknown). */
typedef struct instructor_data {
    const db_review *reviews; /* all, items loaded */
    size_t nreviews;
    const db_person_row *people;
    size_t npeople;
    const int *auto_points;
} instructor_data;
void page_instructor(strbuf *sb, const page_ctx *c, const instructor_data *d, const char *notice);

/* Markdown to HTML with cmark in safe mode: raw HTML omitted, unsafe
 * links (javascript:, data: ...) emptied. Appended to sb. */
void page_markdown(strbuf *sb, const char *md, size_t len);

#endif
