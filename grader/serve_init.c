/* serve_init.c - roster, posts, assignments and rubric into the database. */
#include "serve_init.h"

#include <stdlib.h>
#include <string.h>

#include "csvtab.h"
#include "roster.h"
#include "rubric.h"
#include "score.h"
#include "submission.h"
#include "util.h"

typedef struct ix {
    const char *id;
    size_t i;
} ix;

static int cmp_ix(const void *a, const void *b)
{
    return strcmp(((const ix *)a)->id, ((const ix *)b)->id);
}

static long find(const ix *v, size_t n, const char *id)
{
    ix k = {id, 0};
    const ix *e = bsearch(&k, v, n, sizeof *v, cmp_ix);
    return e ? (long)e->i : -1;
}

int serve_init_run(const serve_init_opts *o, db_import_stats *st, gr_error *err)
{
    const char *subs = o->submissions ? o->submissions : "submissions";
    const char *apath = o->assignments ? o->assignments : "reports/assignments.csv";
    roster_opts ropts = {.repo_template = o->repo_template};
    roster *ro = NULL;
    rubric *rb = NULL;
    fetch_manifest *mf = NULL;
    submission *sv = NULL;
    csvtab *as = NULL;
    db *d = NULL;
    char *rpath = o->rubric ? strdup(o->rubric) : rubric_default_path(), *rtext = NULL;
    size_t rlen = 0, npost = 0;
    db_person *people = NULL;
    db_post *posts = NULL;
    int *autop = NULL;
    const char **rev = NULL, **auth = NULL;
    ix *index = NULL;
    int rc = 0;
    if (!rpath) {
        rc = gr_error_set(err, GR_EUSAGE, "", 0, 0, "no rubric found: give --rubric FILE");
        goto out;
    }
    if ((rc = roster_load(o->roster, &ropts, &ro, err)) || (rc = rubric_load(rpath, &rb, err)) ||
        (rc = file_read(rpath, GR_MAX_INPUT, &rtext, &rlen, err)) ||
        (rc = csvtab_load(apath, 256u << 20, &as, err)) ||
        (rc = submission_manifest_load(subs, o->roster, &mf, err)))
        goto out;
    int cr = csvtab_col(as, "reviewer"), ca = csvtab_col(as, "author");
    if (cr < 0 || ca < 0) {
        rc = gr_error_set(err, GR_EINPUT, apath, 1, 0,
                          "needs columns reviewer and author (written by grader assign)");
        goto out;
    }
    const char *doc = rb->document && *rb->document ? rb->document : "Blog_Post.md";
    if ((rc = submission_read_all(ro, mf, subs, doc, NULL, NULL, &sv, err)))
        goto out;
    size_t nc = rb->ncriteria;
    people = calloc(ro->n + 1, sizeof *people);
    posts = calloc(ro->n + 1, sizeof *posts);
    autop = calloc(ro->n * nc + 1, sizeof *autop);
    rev = calloc(as->nrows + 1, sizeof *rev);
    auth = calloc(as->nrows + 1, sizeof *auth);
    index = calloc(ro->n + 1, sizeof *index);
    if (!people || !posts || !autop || !rev || !auth || !index) {
        rc = gr_error_nomem(err);
        goto out;
    }
    for (size_t i = 0; i < ro->n; i++) {
        people[i] = (db_person){ro->v[i].id, ro->v[i].name};
        if (strcmp(sv[i].status, "ok"))
            continue;
        score_result *res;
        if ((rc = score_post(rb, sv[i].doc, sv[i].text, sv[i].len, &res, err)))
            goto out;
        for (size_t c = 0; c < nc && c < res->n; c++)
            autop[i * nc + c] = res->items[c].points;
        score_result_free(res);
        posts[npost++] = (db_post){ro->v[i].id, sv[i].m ? sv[i].m->commit : "",
                                   sv[i].doc,   sv[i].text,
                                   sv[i].len,   autop + i * nc};
    }
    for (size_t i = 0; i < ro->n; i++)
        index[i] = (ix){ro->v[i].id, i};
    qsort(index, ro->n, sizeof *index, cmp_ix);
    /* Every pair must name roster students, and its author a post. */
    for (size_t i = 0; i < as->nrows; i++) {
        const char *r = as->rows[i][cr], *a = as->rows[i][ca];
        long kr = find(index, ro->n, r), ka = find(index, ro->n, a);
        bool okr = kr >= 0, oka = ka >= 0 && !strcmp(sv[ka].status, "ok");
        if (!okr || !oka) {
            rc = gr_error_set(err, GR_EINPUT, apath, as->line[i], 0,
                              !okr ? "reviewer '%s' is not on the roster"
                                   : "author '%s' has no gradable post in %s/manifest.csv",
                              !okr ? r : a, subs);
            goto out;
        }
        rev[i] = r;
        auth[i] = a;
    }
    if ((rc = db_open(o->db, true, &d, err)))
        goto out;
    db_import im = {people, ro->n, posts, npost, rev, auth, as->nrows, rtext, rlen, rb};
    rc = db_import_run(d, &im, st, err);
out:
    db_close(d);
    free(index);
    free(rev);
    free(auth);
    free(autop);
    free(posts);
    free(people);
    if (sv)
        submission_free_all(sv, ro->n);
    fetch_manifest_free(mf);
    csvtab_free(as);
    free(rtext);
    free(rpath);
    rubric_free(rb);
    roster_free(ro);
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
