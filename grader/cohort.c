/* cohort.c - roster + manifest + posts, loaded once and joined by id. */
#include "cohort.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

/* "https://user:token@host/x" -> "https://host/x" (malloc'd), or NULL when
 * there is nothing to strip: packets go to students, tokens must not. */
static char *strip_userinfo(const char *url)
{
    const char *a, *b;
    if (!url_userinfo(url, &a, &b))
        return NULL;
    char *out = malloc(strlen(url) + 1);
    if (out) {
        memcpy(out, url, (size_t)(a - url));
        strcpy(out + (a - url), b + 1);
    }
    return out;
}

long cohort_data_find(const cohort_data *c, const char *id)
{
    long k = str_index_find(c->by_id, c->n, id);
    return k < 0 ? -1 : (long)c->by_id[k].i;
}

/* Member i's repositories as shown to instructors and to students. */
static int set_repos(cohort_data *c, size_t i)
{
    cohort_member *mb = &c->v[i];
    free(c->owned[2 * i]);
    free(c->owned[2 * i + 1]);
    c->owned[2 * i] = c->owned[2 * i + 1] = NULL;
    const char *roster_repo = mb->e->repo ? mb->e->repo : "";
    /* fetch redacts what it writes; the roster's URL is redacted here */
    if (mb->m && *mb->m->repo) {
        mb->repo_shown = mb->m->repo;
    } else if (!(mb->repo_shown = c->owned[2 * i] = fetch_redact(roster_repo)))
        return GR_ENOMEM;
    const char *src = mb->m && *mb->m->repo ? mb->m->repo : roster_repo, *a, *b;
    mb->repo_public = src;
    if (url_userinfo(src, &a, &b) && !(mb->repo_public = c->owned[2 * i + 1] = strip_userinfo(src)))
        return GR_ENOMEM;
    return 0;
}

static int set_all_repos(cohort_data *c)
{
    for (size_t i = 0; i < c->n; i++)
        if (set_repos(c, i))
            return GR_ENOMEM;
    return 0;
}

static void drop_manifest(cohort_data *c)
{
    for (size_t i = 0; c->v && i < c->n; i++)
        c->v[i].m = NULL;
    fetch_manifest_free(c->mf);
    c->mf = NULL;
}

int cohort_data_load(const cohort_opts *o, cohort_data **out, gr_error *err)
{
    *out = NULL;
    cohort_data *c = calloc(1, sizeof *c);
    if (!c || !(c->subs = strdup(o->subs ? o->subs : "submissions")) ||
        !(c->manifest_path =
              o->manifest ? strdup(o->manifest) : path_join(c->subs, "manifest.csv"))) {
        cohort_data_free(c);
        return gr_error_nomem(err);
    }
    c->manifest_named = o->manifest != NULL;
    roster_opts ropts = {.repo_template = o->repo_template, .shard = o->shard};
    int rc = roster_load(o->roster, &ropts, &c->ro, err);
    if (rc) {
        cohort_data_free(c);
        return rc;
    }
    size_t n = c->n = c->ro->n;
    c->v = calloc(n ? n : 1, sizeof *c->v);
    c->owned = calloc(2 * n + 1, sizeof *c->owned);
    c->by_id = malloc((n ? n : 1) * sizeof *c->by_id);
    if (!c->v || !c->owned || !c->by_id) {
        cohort_data_free(c);
        return gr_error_nomem(err);
    }
    for (size_t i = 0; i < n; i++) {
        c->v[i].e = &c->ro->v[i];
        c->by_id[i] = (str_index){c->ro->v[i].id, i};
    }
    str_index_sort(c->by_id, n);
    if ((rc = set_all_repos(c)) != 0) {
        cohort_data_free(c);
        return gr_error_nomem(err);
    }
    *out = c;
    return 0;
}

int cohort_data_join(cohort_data *c, cohort_manifest_mode mode, gr_error *err)
{
    drop_manifest(c);
    struct stat st;
    int rc = 0;
    if (mode == COHORT_MANIFEST_REQUIRED && !c->manifest_named)
        rc = submission_manifest_load(c->subs, c->ro->path, &c->mf, err);
    else if (c->manifest_named || stat(c->manifest_path, &st) == 0 || errno != ENOENT)
        rc = fetch_manifest_read(c->manifest_path, mode == COHORT_MANIFEST_LOOSE, &c->mf, err);
    for (size_t i = 0; i < c->n && !rc; i++)
        c->v[i].m = fetch_manifest_find(c->mf, c->v[i].e->id);
    if (rc)
        drop_manifest(c);
    /* the manifest's redacted URLs when joined, the roster's otherwise */
    if (set_all_repos(c))
        rc = gr_error_nomem(err);
    return rc;
}

int cohort_data_read_posts(cohort_data *c, const char *doc,
                           void (*progress)(void *ctx, size_t i, size_t n, const char *id),
                           void *ctx, gr_error *err)
{
    static const fetch_manifest none = {0};
    submission_free_all(c->posts, c->n);
    c->posts = NULL;
    int rc = submission_read_all(c->ro, c->mf ? c->mf : &none, c->subs, doc, progress, ctx,
                                 &c->posts, err);
    for (size_t i = 0; i < c->n; i++)
        c->v[i].post = c->posts ? &c->posts[i] : NULL;
    return rc;
}

void cohort_data_set_posts(cohort_data *c, submission *posts)
{
    submission_free_all(c->posts, c->n);
    c->posts = posts;
    for (size_t i = 0; i < c->n; i++)
        c->v[i].post = posts ? &posts[i] : NULL;
}

const char *cohort_data_field(const cohort_data *c, size_t i, const char *column)
{
    return roster_field(c->ro, i, column);
}

void cohort_data_free(cohort_data *c)
{
    if (!c)
        return;
    drop_manifest(c);
    submission_free_all(c->posts, c->n);
    for (size_t i = 0; c->owned && i < 2 * c->n; i++)
        free(c->owned[i]);
    free(c->owned);
    free(c->by_id);
    free(c->v);
    roster_free(c->ro);
    free(c->subs);
    free(c->manifest_path);
    free(c);
}
