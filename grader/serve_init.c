/* serve_init.c - roster, posts, assignments and rubric into the database. */
#include "serve_init.h"

#include <stdlib.h>
#include <string.h>

#include "cohort.h"
#include "collect.h"
#include "csvtab.h"
#include "rubric.h"
#include "score.h"
#include "util.h"

/* Every pair must name roster students, and its author a post. */
static int check_pairs(const cohort_data *co, const csvtab *as, const char **rev, const char **auth,
                       gr_error *err)
{
    for (size_t i = 0; i < as->nrows; i++) {
        const char *r = csvtab_get(as, i, ASSIGN_REVIEWER), *a = csvtab_get(as, i, ASSIGN_AUTHOR);
        long kr = cohort_data_find(co, r), ka = cohort_data_find(co, a);
        bool okr = kr >= 0, oka = ka >= 0 && !strcmp(co->v[ka].post->status, "ok");
        if (!okr || !oka)
            return gr_error_set(err, GR_EINPUT, as->path, as->line[i], 0,
                                !okr ? "reviewer '%s' is not on the roster"
                                     : "author '%s' has no gradable post in %s/manifest.csv",
                                !okr ? r : a, co->subs);
        rev[i] = r;
        auth[i] = a;
    }
    return 0;
}

int serve_init_run(const serve_init_opts *o, db_import_stats *st, gr_error *err)
{
    const char *apath = o->assignments ? o->assignments : "reports/assignments.csv";
    cohort_opts copts = {
        .roster = o->roster, .repo_template = o->repo_template, .subs = o->submissions};
    cohort_data *co = NULL;
    rubric *rb = NULL;
    csvtab *as = NULL;
    db *d = NULL;
    char *rtext = NULL;
    size_t rlen = 0, npost = 0;
    db_person *people = NULL;
    db_post *posts = NULL;
    int *autop = NULL;
    const char **rev = NULL, **auth = NULL;
    int rc = 0;
    if ((rc = cohort_data_load(&copts, &co, err)) ||
        (rc = rubric_load_default(o->rubric, &rb, err)) ||
        (rc = file_read(rb->path, GR_MAX_INPUT, &rtext, &rlen, err)) ||
        (rc = csvtab_read(apath, &collect_assignments_schema, &as, err)) ||
        (rc = cohort_data_join(co, COHORT_MANIFEST_REQUIRED, err)))
        goto out;
    if ((rc = cohort_data_read_posts(co, rb->document, NULL, NULL, err)))
        goto out;
    size_t n = co->n, nc = rb->ncriteria;
    people = calloc(n + 1, sizeof *people);
    posts = calloc(n + 1, sizeof *posts);
    autop = calloc(n * nc + 1, sizeof *autop);
    rev = calloc(as->nrows + 1, sizeof *rev);
    auth = calloc(as->nrows + 1, sizeof *auth);
    if (!people || !posts || !autop || !rev || !auth) {
        rc = gr_error_nomem(err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const roster_entry *e = co->v[i].e;
        const submission *sv = co->v[i].post;
        people[i] = (db_person){e->id, e->name};
        if (strcmp(sv->status, "ok"))
            continue;
        score_result *res;
        if ((rc = score_post(rb, sv->doc, sv->text, sv->len, &res, err)))
            goto out;
        for (size_t c = 0; c < nc && c < res->n; c++)
            autop[i * nc + c] = res->items[c].points;
        score_result_free(res);
        posts[npost++] = (db_post){
            e->id, sv->m ? sv->m->commit : "", sv->doc, sv->text, sv->len, autop + i * nc};
    }
    if ((rc = check_pairs(co, as, rev, auth, err)) || (rc = db_open(o->db, true, &d, err)))
        goto out;
    db_import im = {people, n, posts, npost, rev, auth, as->nrows, rtext, rlen, rb};
    rc = db_import_run(d, &im, st, err);
out:
    db_close(d);
    free(rev);
    free(auth);
    free(autop);
    free(posts);
    free(people);
    cohort_data_free(co);
    csvtab_free(as);
    free(rtext);
    rubric_free(rb);
    return rc;
}

static int export_one(db *d, const rubric *rb, const char *dir, const char *name, int what,
                      gr_error *err)
{
    char *path = path_join(dir, name);
    afile af = {0};
    int rc = path ? afile_open(&af, path, err) : gr_error_nomem(err);
    if (!rc)
        rc = what ? db_export_assignments(d, af.fp, err) : db_export_reviews(d, rb, af.fp, err);
    if (!rc)
        rc = afile_commit(&af, err);
    afile_abort(&af);
    free(path);
    return rc;
}

int serve_export_files(const char *dbpath, const char *dir, gr_error *err)
{
    db *d = NULL;
    char *rt = NULL, *rp = NULL;
    rubric *rb = NULL;
    int rc = db_open(dbpath, false, &d, err);
    if (!rc)
        rc = db_get(d, "rubric", &rt, err);
    if (!rc && !rt)
        rc = gr_error_set(err, GR_EINPUT, dbpath, 0, 0,
                          "no assignment in the database (grader serve --init first)");
    if (!rc)
        rc = rubric_parse(dbpath, rt, strlen(rt), &rb, err);
    if (!rc && !(rp = path_join(dir, "rubric.yml")))
        rc = gr_error_nomem(err);
    if (!rc)
        rc = write_file_atomic(rp, rt, strlen(rt), err);
    if (!rc)
        rc = export_one(d, rb, dir, "reviews.csv", 0, err);
    if (!rc)
        rc = export_one(d, rb, dir, "assignments.csv", 1, err);
    free(rp);
    free(rt);
    rubric_free(rb);
    db_close(d);
    return rc;
}
