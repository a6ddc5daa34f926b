/* shard.h - one cohort split over several machines, merged back exactly.
 *
 * A shard K/N holds the roster students whose id hashes to K: FNV-1a 64 of
 * the id's bytes (offset basis 0xcbf29ce484222325, prime 0x100000001b3),
 * modulo N, plus one. Fixed and unseeded, so every machine agrees, and by
 * id, not by line, so adding a student moves nobody else. The partition is
 * applied where the roster is loaded (roster_opts.shard), the one place
 * fetch and grade both go through.
 *
 * `grader grade --shard K/N -o OUT` writes, besides its partial reports of
 * its own students, OUT/manifest.csv (a copy of its fetch manifest) and
 * OUT/shard.dat: the shard's identity (K, N, hashes of the roster and rubric
 * files and of the known sources fingerprinted against, the post's path,
 * the deadline, when it was graded) and each of its students' submission
 * as grade read it (status, detail, advice, path, the post's bytes) with
 * the per-post results of grade (post_result.h: the score, the
 * fingerprints). The format is key/length records (record.h,
 * docs/shards.md).
 *
 * `grader merge` (shard_set_load) checks the N shards belong together and
 * rebuilds the cohort from them: one manifest in roster order, every
 * student's submission and per-post results, with no repository read and
 * no post scored or fingerprinted again. */
#ifndef GRADER_SHARD_H
#define GRADER_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "post_result.h"
#include "submission.h"

struct cohort_data;
struct roster;

typedef struct shard_spec {
    unsigned k, n; /* 1 <= k <= n; n == 0: the whole roster */
} shard_spec;

#define SHARD_MAX 4096

/* "K/N" with 1 <= K <= N <= SHARD_MAX: 0, else -1. */
int shard_parse(const char *s, shard_spec *out);
uint64_t shard_hash(const char *id);
/* Does shard s hold this id? (Always, when s is NULL or n == 0.) */
bool shard_holds(const shard_spec *s, const char *id);
/* Drop the roster entries shard s does not hold, keeping roster order. */
void shard_filter_roster(struct roster *r, const shard_spec *s);

/* The time a run is stamped with: $SOURCE_DATE_EPOCH when set (the
 * reproducible-builds convention: two runs give the same bytes), else now. */
int64_t shard_now(void);

typedef struct shard_info {
    shard_spec s;
    const char *rubric_path; /* the rubric file graded with */
    const char *document;    /* the post's path asked for */
    const char *similar;     /* fingerprint_base_id in 16 hex digits; NULL: --no-similar */
    bool has_deadline;
    int64_t deadline, graded_at;
} shard_info;

/* OUT/shard.dat and OUT/manifest.csv for cohort c (joined, posts read),
 * results[i] the per-post results of member i when it has a post. Both
 * written atomically. */
int shard_export(const char *out, const struct cohort_data *c, const post_result *results,
                 const shard_info *in, gr_error *err);

typedef struct shard_set shard_set;

typedef struct shard_load_opts {
    const struct roster *ro; /* the whole roster */
    const rubric *rb;        /* the rubric graded with: its file's bytes must be the shards' */
    const char *similar;     /* fingerprint_base_id (16 hex) the shards must have; NULL:
                                not compared (merge --no-similar) */
} shard_load_opts;

/* Load the shards in dirs (each a grade --shard output folder). Refused
 * (GR_EINPUT, nothing written): a folder that is not a shard (or of
 * another format version), shards of different N, roster, rubric or known
 * sources, a shard graded --no-similar for a merge that compares, a shard
 * missing or given twice, a student in the wrong shard or missing from
 * its shard. */
int shard_set_load(char *const *dirs, size_t n, const shard_load_opts *o, shard_set **out,
                   gr_error *err);
/* What every shard agreed on; graded_at is the latest shard's (or
 * $SOURCE_DATE_EPOCH). document is valid until shard_set_free. */
void shard_set_info(const shard_set *s, shard_info *out);
/* The manifest a single fetch of the whole roster would have written. */
int shard_set_write_manifest(const shard_set *s, const char *path, gr_error *err);
/* Every member of c (the whole roster, joined to that manifest) with its
 * submission from its shard, in roster order (ro->n entries; free with
 * submission_free_all), and its per-post results (*results, ro->n
 * entries, each freed with post_result_free, then the array): moved out
 * of s, so this is called once. */
int shard_set_posts(shard_set *s, const struct cohort_data *c, submission **out,
                    post_result **results, gr_error *err);
void shard_set_free(shard_set *s);

/* grader merge's input in one step: load the shards for c's roster
 * (shard_set_load with o, its ro c's; every check before anything is
 * written), write OUT/manifest.csv, join c to it, give c the shards'
 * submissions and *results their per-post results. *set (freed by the
 * caller, also on error) keeps *info's strings. */
int shard_merge_cohort(char *const *dirs, size_t n, struct cohort_data *c, const shard_load_opts *o,
                       const char *out, shard_set **set, shard_info *info, post_result **results,
                       gr_error *err);

#endif
