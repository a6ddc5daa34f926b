/* rubric.h - a grading rubric, loaded from YAML (see rubrics/README.md). */
#ifndef GRADER_RUBRIC_H
#define GRADER_RUBRIC_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "pattern.h"

typedef enum check_kind {
    CHECK_TITLE,     /* the post opens with a title before its first section */
    CHECK_SECTION,   /* a named section is present */
    CHECK_MATCH,     /* one of several regexes matches, at least min-count times */
    CHECK_ABSENT,    /* none of the regexes matches (e.g. template placeholders) */
    CHECK_LIST,      /* a list with min-items items, a share matching item-pattern */
    CHECK_WORDS,     /* word count within [min, max] */
    CHECK_ORDER,     /* the named sections appear in this order */
    CHECK_IMAGE,     /* at least one image */
    CHECK_LINK,      /* at least min-count links */
    CHECK_SENTENCES, /* at least min-count sentences matching pattern, not exclude */
    CHECK_EVIDENCE,  /* sentences that say it: a cue, a companion, no exclusion */
} check_kind;

typedef struct rubric_section {
    char *key;    /* e.g. "timeline" */
    char **names; /* headings it may carry, e.g. "Timeline", "Chronology" */
    size_t nnames;
    /* headings of its parts ("Impact" under the summary): inside the
     * section they do not end it; elsewhere they do not name it */
    char **parts;
    size_t nparts;
    /* With no heading of its own, the section is the text between the
     * title and the first section (a summary written straight under the
     * title). */
    bool fallback_preamble;
    /* With no heading of its own, the section is the longest run of lines
     * that begin with a time (a timeline without a name). */
    bool fallback_times;
    /* `cue`: an unnamed heading where this section belongs in the order
     * (after the sections before it, before those after it) whose block
     * matches this at least twice is read as the section ("## The Culprit
     * Unmasked" between the Timeline and the measures). */
    char **cues;
    size_t ncues;
    pattern cue;
    int line;
} rubric_section;

typedef struct criterion {
    char *id;
    int points;
    bool bonus; /* counts above the total */
    char *description;
    char *hint;
    check_kind kind;
    int section; /* index into rubric.sections, -1 for the whole post */
    /* match / absent / link */
    char **patterns;
    pattern *res;
    size_t npatterns;
    bool icase;
    int min_count;
    /* sentences: sentences matching any of these are not counted (all
     * compiled as one, ev_exclude: a sentence is searched once) */
    char **excludes;
    size_t nexcludes;
    /* match: a sentence that says the thing is told elsewhere ("the root
     * cause is explained below") means the section does not state it,
     * whatever else it names: what it names is then the outage's story */
    char **defers;
    pattern *defer_res;
    size_t ndefers;
    bool from_first;  /* once a sentence matches, every later one counts */
    int enough_words; /* or: the counted sentences hold at least this many words */
    /* evidence: a sentence counts only when one of `withs` (or, matched
     * with case even under ignore-case, `withs_cased`: a person's name)
     * matches too; one that matches a `keeps` is not excluded; one that
     * matches a `details` is enough on its own */
    char **withs, **withs_cased, **keeps, **details;
    size_t nwith, nwith_cased, nkeep, ndetail;
    /* evidence: each list but the cues joined into one pattern ("(a)|(b)"):
     * one search instead of one per pattern; code is NULL for none */
    pattern ev_with, ev_with_cased, ev_exclude, ev_keep, ev_detail;
    /* evidence: when the section falls short, its evidence and that of
     * section also_in (-1: none) together meet it at also_count sentences
     * (a fix told in the timeline, one short entry per step) */
    int also_in, also_count;
    /* evidence: with no evidence sentence, the section's last entry is
     * evidence unless it matches one of these (how a story that stops
     * short ends: "root cause identified", "still investigating") */
    char **endings;
    size_t nending;
    pattern ev_ending;
    /* evidence: a sentence followed, in its own paragraph or list item, by
     * one that matches these is a try that failed ("Restarted Nginx. No
     * improvement."), not evidence */
    char **undones;
    size_t nundone;
    pattern ev_undone;
    /* list */
    int min_items;
    char *item_pattern;
    pattern item_re;
    bool has_item_re;
    double share; /* 0..1 of the items that must match item_pattern */
    /* words */
    int min_words, max_words;
    /* order */
    int *order;
    size_t norder;
    int line; /* where the criterion starts in the rubric file */
} criterion;

/* A post that matches at least min_count of these patterns is not a
 * postmortem (e.g. the assignment's own text pasted in): every criterion
 * fails with `message`. */
typedef struct rubric_reject {
    char **patterns;
    pattern *res;
    size_t npatterns;
    bool icase;
    int min_count;
    char *message;
} rubric_reject;

typedef struct rubric {
    char *path;
    char *name;
    char *document; /* path of the post inside each repository */
    /* When the post is not at document: other names it may carry, relative
     * to document's folder, in order of preference; and whether the
     * folder's other Markdown files are searched too (default true). */
    char **document_alternatives;
    size_t ndocument_alternatives;
    bool document_search;
    int pass; /* percent */
    rubric_section *sections;
    size_t nsections;
    criterion *criteria;
    size_t ncriteria;
    rubric_reject reject; /* npatterns == 0: none */
    /* the section names tokenised for matching, made on first use by
     * sections.c (one block, freed with free()) */
    void *names_cache;
    int max_points; /* sum of the non-bonus criteria */
    int bonus_points;
} rubric;

/* Load and validate. Every error is "FILE:LINE:COL: message" in err with
 * code GR_EINPUT (or GR_EIO / GR_ENOMEM). */
int rubric_load(const char *path, rubric **out, gr_error *err);
/* Same, from memory; name is used in messages. */
int rubric_parse(const char *name, const char *text, size_t len, rubric **out, gr_error *err);
void rubric_free(rubric *r);

/* Index of the section with this key, or -1. */
int rubric_section_index(const rubric *r, const char *key);

/* The bundled default rubric's path: $GRADER_RUBRIC, else next to the
 * executable (in-tree or installed), else GRADER_DATADIR. malloc'd, NULL
 * when none exists. */
char *rubric_default_path(void);

/* The rubric every command grades by: given (--rubric), else the bundled
 * one (rubric_default_path). Errors as rubric_load; GR_EUSAGE only when
 * none was given and none is found ("give one with --rubric FILE"). */
int rubric_load_default(const char *given, rubric **out, gr_error *err);

#endif
