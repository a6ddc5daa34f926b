/* outline.h - a post as a careful reader sees it: its logical lines (each
 * heading, bold line, plain line, list item, code line) with source lines,
 * its lists, images and links. Built from cmark's AST; knows nothing of
 * rubrics. Section names are matched later (score.c), because a plain line
 * "Timeline" is a section only if the rubric says so. */
#ifndef GRADER_OUTLINE_H
#define GRADER_OUTLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef enum ol_kind {
    OL_HEADING, /* a Markdown or HTML heading */
    OL_BOLD,    /* a line all bold/emphasis, or "#Heading" with no space: a pseudo-heading */
    OL_TEXT,    /* a line of a paragraph (or of re-read code/HTML) */
    OL_CODE,    /* a line of a closed code fence */
} ol_kind;

typedef struct ol_line {
    ol_kind kind;
    int level;       /* heading level 1-6; 0 otherwise */
    int line;        /* 1-based source line */
    char *text;      /* rendered plain text, trimmed */
    size_t words;    /* whitespace-separated words of text */
    int list;        /* index into outline.lists when inside a list item, else -1 */
    int item;        /* item index within that list */
    bool item_start; /* the first line of its item */
    bool para_start; /* the first line of its paragraph or block */
    bool colon;      /* the raw line ends with ':' (outside any bold markup too) */
    bool image;      /* the line holds an image */
    bool runin;      /* a section name cut from the start of a paragraph (sections.c) */
} ol_line;

typedef struct ol_list {
    int line;  /* source line of the list */
    int depth; /* 0 for a top-level list */
    bool ordered;
    bool pseudo; /* lines starting with a bullet character, not Markdown */
    size_t nitems;
} ol_list;

typedef struct ol_ref {
    int line;
    char *url;
} ol_ref;

typedef struct outline {
    ol_line *lines;
    size_t nlines;
    ol_list *lists;
    size_t nlists;
    ol_ref *images;
    size_t nimages;
    ol_ref *links;
    size_t nlinks;
    size_t words; /* the whole post, headings included */
    /* What the reader had to work around, for notes: */
    bool had_front_matter, had_conflict_markers, reread_code;
    bool web_page; /* a saved web page: only its <article class="markdown-body"> was read */
} outline;

/* Parse text (valid UTF-8 with no NUL; see score.c) into an outline. */
int outline_parse(const char *text, size_t len, outline **out, gr_error *err);
void outline_free(outline *o);
/* Keep only the first n lines (the assignment's text pasted after the
 * post is not read): their words, images and links. */
void outline_truncate(outline *o, size_t n);
/* The words of lines [from, to). */
size_t outline_words(const outline *o, size_t from, size_t to);

/* Words (whitespace-separated) in s. */
size_t count_words(const char *s);
/* The same, counting no further than max: "has it three words?" need not
 * read a whole paragraph. */
size_t count_words_upto(const char *s, size_t max);

#endif
