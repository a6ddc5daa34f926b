/* submission.c - roster + manifest + each post from its bare repository. */
#include "submission.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "post_read.h"
#include "util.h"

int submission_manifest_load(const char *subs, const char *roster_path, fetch_manifest **out,
                             gr_error *err)
{
    *out = NULL;
    char *manifest = path_join(subs, "manifest.csv");
    if (!manifest)
        return gr_error_nomem(err);
    struct stat st;
    int rc;
    if (stat(manifest, &st) != 0)
        rc = gr_error_set(err, GR_EINPUT, manifest, 0, 0,
                          "no manifest: run 'grader fetch --roster %s --into %s' first",
                          roster_path, subs);
    else
        rc = fetch_manifest_load(manifest, out, err);
    free(manifest);
    return rc;
}

/* Fill s for roster entry i. */
static int read_one(const roster_entry *e, const fetch_manifest *mf, size_t i, const char *subs,
                    const char *doc, submission *s, gr_error *err)
{
    /* fetch writes the manifest in roster order: try row i before the
     * (linear) search, which made a large cohort quadratic. */
    const fetch_result *m =
        i < mf->n && !strcmp(mf->v[i].id, e->id) ? &mf->v[i] : fetch_manifest_find(mf, e->id);
    s->id = e->id;
    s->m = m;
    s->detail = s->advice = "";
    s->doc = doc;
    if (!m) {
        s->status = "not-fetched";
        s->detail = "not in the submissions manifest: run grader fetch (or grade --fetch)";
        return 0;
    }
    s->status = fetch_status_name(m->status);
    s->detail = m->detail;
    s->advice = fetch_status_advice(m->status);
    if (*m->path)
        s->doc = m->path;
    if (m->status != FETCH_OK)
        return 0;
    char *dir = fetch_repo_dir(subs, e->id);
    if (!dir)
        return gr_error_nomem(err);
    fetch_post post = {0};
    gr_error perr = {0};
    int rc = fetch_read_post(dir, m->commit, s->doc, GR_MAX_INPUT, &post, &perr);
    free(dir);
    if (rc == GR_ENOMEM) {
        fetch_post_free(&post);
        return gr_error_nomem(err);
    }
    if (rc || post.status != FETCH_OK) {
        char buf[1600];
        if (rc)
            gr_error_format(&perr, buf, sizeof buf);
        else
            snprintf(buf, sizeof buf, "%s", post.detail);
        s->status = rc ? "unreadable" : fetch_status_name(post.status);
        s->advice = rc ? "the repository or commit could not be read: run grader fetch again"
                       : fetch_status_advice(post.status);
        s->own = strdup(buf);
        s->detail = s->own ? s->own : "";
        fetch_post_free(&post);
        return 0;
    }
    s->text = post.data; /* taken over from post */
    s->len = post.len;
    post.data = NULL;
    fetch_post_free(&post);
    return 0;
}

int submission_read_all(const roster *ro, const fetch_manifest *mf, const char *subs,
                        const char *doc,
                        void (*progress)(void *ctx, size_t i, size_t n, const char *id), void *ctx,
                        submission **out, gr_error *err)
{
    *out = NULL;
    submission *v = calloc(ro->n ? ro->n : 1, sizeof *v);
    if (!v)
        return gr_error_nomem(err);
    int rc = 0;
    /* Held for the whole loop: fetch_read_post's own init/shutdown pair
     * would otherwise set up and tear down libgit2 for every student. */
    git_libgit2_init();
    for (size_t i = 0; i < ro->n && !rc; i++) {
        if (progress)
            progress(ctx, i, ro->n, ro->v[i].id);
        rc = read_one(&ro->v[i], mf, i, subs, doc, &v[i], err);
    }
    git_libgit2_shutdown();
    if (rc) {
        submission_free_all(v, ro->n);
        return rc;
    }
    *out = v;
    return 0;
}

void submission_free_all(submission *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].text);
        free(v[i].own);
    }
    free(v);
}
