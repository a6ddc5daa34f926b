/* cohort.h - a cohort loaded once: the roster, grader fetch's manifest
 * joined to it, where each student's repository and post are, and the
 * posts themselves. grade, similar, assign and collect's callers read
 * students through it, so a student's status, repository and post mean the
 * same in every command. Every string it hands out is its own (or the
 * roster's and manifest's, which it owns), valid until cohort_data_free.
 *
 *     cohort_opts o = {.roster = "roster.csv", .subs = "submissions"};
 *     cohort_data *c;
 *     if (cohort_data_load(&o, &c, &err)) ...            roster
 *     if (cohort_data_join(c, COHORT_MANIFEST_REQUIRED, &err)) ...   manifest
 *     if (cohort_data_read_posts(c, rb->document, NULL, NULL, &err)) ...
 *     c->v[i].post->text is student i's post when c->v[i].post->text
 *     cohort_data_free(c);
 */
#ifndef GRADER_COHORT_H
#define GRADER_COHORT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "fetch.h"
#include "roster.h"
#include "submission.h"

typedef struct cohort_member {
    const roster_entry *e;   /* the roster row */
    const fetch_result *m;   /* the manifest row; NULL: not fetched, or no manifest */
    const char *repo_shown;  /* for instructors' reports: credentials as "***" */
    const char *repo_public; /* for students (packets): no credentials at all */
    const submission *post;  /* after cohort_data_read_posts, else NULL */
} cohort_member;

typedef struct cohort_opts {
    const char *roster;        /* the roster file */
    const char *repo_template; /* roster_opts.repo_template */
    const char *subs;          /* grader fetch's folder; NULL: "submissions" */
    const char *manifest;      /* a manifest file named by the user; NULL: SUBS/manifest.csv */
    /* roster_opts.shard: only this shard's students; NULL: all */
    const struct shard_spec *shard;
} cohort_opts;

typedef enum cohort_manifest_mode {
    COHORT_MANIFEST_REQUIRED, /* none is an error: run grader fetch first */
    COHORT_MANIFEST_OPTIONAL, /* none: every member's m is NULL (a named one must exist) */
    COHORT_MANIFEST_LOOSE,    /* as OPTIONAL, read loosely (fetch_manifest_read) */
} cohort_manifest_mode;

typedef struct cohort_data {
    roster *ro;
    fetch_manifest *mf; /* NULL when there is none (OPTIONAL) or before join */
    char *subs;
    char *manifest_path;
    bool manifest_named; /* given by the user: it must exist */
    cohort_member *v;    /* ro->n members, in roster order */
    size_t n;
    /* private */
    submission *posts;
    char **owned;            /* 2 per member: repo_shown, repo_public when made here */
    struct str_index *by_id; /* members sorted by id (util.h) */
} cohort_data;

/* Load the roster (errors: "roster.csv:LINE: ..."). */
int cohort_data_load(const cohort_opts *o, cohort_data **out, gr_error *err);
/* Load the manifest and join it to the roster (each member's m). Can be
 * called again after a fetch has rewritten the manifest. */
int cohort_data_join(cohort_data *c, cohort_manifest_mode mode, gr_error *err);
/* Read every member's post from its bare repository (submission.h): doc is
 * the path asked for when the manifest names none. progress may be NULL. */
int cohort_data_read_posts(cohort_data *c, const char *doc,
                           void (*progress)(void *ctx, size_t i, size_t n, const char *id),
                           void *ctx, gr_error *err);
/* Take posts (c->n submissions, roster order, e.g. from shard_set_posts)
 * instead of reading them from the repositories. */
void cohort_data_set_posts(cohort_data *c, submission *posts);
/* A roster column of member i, by header name; NULL when there is none. */
const char *cohort_data_field(const cohort_data *c, size_t i, const char *column);
/* The index of the member with this id (exact), or -1. */
long cohort_data_find(const cohort_data *c, const char *id);
void cohort_data_free(cohort_data *c);

#endif
