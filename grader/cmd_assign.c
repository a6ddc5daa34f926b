/* cmd_assign.c - `grader assign`: peer reviewers for every gradable post,
 * a packet per reviewer and a reviews template to fill in. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assign.h"
#include "cmd.h"
#include "collect.h"
#include "csvout.h"
#include "cohort.h"
#include "csvtab.h"
#include "options.h"
#include "rubric.h"
#include "serve_init.h"
#include "util.h"

typedef struct aopts {
    const char *roster, *group_col, *subs, *manifest, *keep, *rubric, *outdir, *tmpl, *db;
    int k;
    uint64_t seed;
    int reviewers; /* index of reviewers_names */
} aopts;

static const char *const reviewers_names[] = {"all", "submitted", NULL};

static const opt_spec assign_table[] = {
    OPT_ROSTER(aopts, roster, "class roster (CSV: id,name,github,repo[,group...])",
               .flags = OPTF_REQUIRED),
    OPT_UINT_('k', NULL, aopts, k, "N", 1, 100, "reviewers per author (default 3)"),
    OPT_UINT_(0, "seed", aopts, seed, "N", 0, UINT64_MAX,
              "random seed (default 1); print it with the result"),
    OPT_STRING_(0, "avoid-group", aopts, group_col, "COLUMN",
                "nobody reviews a student with the same value in\n"
                "this roster column (team, cohort, table)"),
    OPT_ENUM_("reviewers", aopts, reviewers, "all|submitted", reviewers_names,
              "who reviews: every roster student (default) or only\n"
              "those with a gradable submission"),
    OPT_SUBMISSIONS(aopts, subs,
                    "who submitted: grader fetch's folder, its\n"
                    "manifest.csv (default submissions; status 'ok' is\n"
                    "gradable); without a manifest every student counts\n"
                    "as submitted"),
    OPT_PATH_(0, "manifest", aopts, manifest, "FILE",
              "the manifest file itself (deprecated: use\n"
              "--submissions DIR)",
              .flags = OPTF_OBSOLETE, .instead = "--submissions"),
    OPT_PATH_(0, "keep", aopts, keep, "FILE",
              "keep the pairs of an earlier assignments.csv and\n"
              "assign only what is new (late students)"),
    OPT_RUBRIC(aopts, rubric, "rubric for the reviewer packets (default: bundled)"),
    OPT_REPO_TEMPLATE(aopts, tmpl, "repository URL when the roster has no repo column"),
    OPT_OUTPUT(aopts, outdir,
               "output folder (default reports/): assignments.csv,\n"
               "reviews.csv, reviews/<reviewer>.md"),
    OPT_DB(aopts, db,
           "also put the assignment into grader serve's database\n"
           "(as grader serve --init: posts from the manifest's folder)"),
    OPT_HELP_ENTRY,
    OPT_END_ENTRY,
};

const opt_command cmd_assign_options = {
    "assign",
    "usage: grader assign --roster FILE -k N [options]\n"
    "\n"
    "Assign k peer reviewers to every student with a gradable submission:\n"
    "nobody reviews themselves, loads are balanced, no reciprocal pairs when\n"
    "the class is large enough; the same roster and seed give the same result.\n"
    "\n",
    assign_table,
    "\n"
    "exit: 0 done, 2 usage or input error or impossible constraints,\n"
    "      3 could not write the outputs\n",
    OPT_ARGS_NONE,
};

/* https://github.com/OWNER/REPO[.git][/] -> permalink to path at commit. */
static void permalink(strbuf *sb, const char *repo, const char *commit, const char *path)
{
    static const char pre[] = "https://github.com/";
    sb_reset(sb);
    if (!repo || strncmp(repo, pre, sizeof pre - 1) || !commit || !*commit)
        return;
    const char *p = repo + sizeof pre - 1;
    size_t len = strlen(p);
    while (len && p[len - 1] == '/')
        len--;
    if (len > 4 && !strncmp(p + len - 4, ".git", 4))
        len -= 4;
    const char *slash = memchr(p, '/', len);
    if (!slash || slash == p || slash == p + len - 1 ||
        memchr(slash + 1, '/', len - (size_t)(slash + 1 - p)))
        return;
    sb_printf(sb, "%s%.*s/blob/%s/%s", pre, (int)len, p, commit, path);
}

/* The pairs of an earlier assignments.csv (--keep), by roster index. */
static int read_keep(const char *path, const cohort_data *co, assign_pair **out, size_t *nout,
                     size_t *unknown, gr_error *err)
{
    csvtab *t;
    int rc = csvtab_read(path, &collect_assignments_schema, &t, err);
    if (rc)
        return rc;
    assign_pair *v = malloc((t->nrows ? t->nrows : 1) * sizeof *v);
    if (!v) {
        csvtab_free(t);
        return gr_error_nomem(err);
    }
    size_t m = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        long a = cohort_data_find(co, csvtab_get(t, i, ASSIGN_AUTHOR)),
             b = cohort_data_find(co, csvtab_get(t, i, ASSIGN_REVIEWER));
        if (a < 0 || b < 0)
            (*unknown)++;
        else
            v[m++] = (assign_pair){(int)b, (int)a, true};
    }
    csvtab_free(t);
    *out = v;
    *nout = m;
    return 0;
}

/* The post in member i's repository: the manifest's path, else the rubric's. */
static const char *post_path(const cohort_data *co, size_t i, const rubric *rb)
{
    const fetch_result *m = co->v[i].m;
    return m && *m->path ? m->path : rb->document;
}

static const char *commit_of(const cohort_data *co, size_t i)
{
    return co->v[i].m ? co->v[i].m->commit : "";
}

static void template_header(FILE *fp, const rubric *rb)
{
    fputs("reviewer,author", fp);
    for (size_t c = 0; rb && c < rb->ncriteria; c++) {
        csv_sep(fp);
        csv_cell(fp, rb->criteria[c].id);
    }
    fputs(",score,comment", fp);
    csv_eol(fp);
}

static void template_row(FILE *fp, const rubric *rb, const char *rev, const char *auth)
{
    csv_cell(fp, rev);
    csv_sep(fp);
    csv_cell(fp, auth);
    for (size_t c = 0; rb && c < rb->ncriteria; c++)
        csv_sep(fp);
    fputs(",,", fp);
    csv_eol(fp);
}

static int write_packet(const char *dir, const cohort_data *co, const rubric *rb,
                        const assign_pair *pv, size_t np, int k, gr_error *err)
{
    const roster_entry *me = co->v[pv[0].reviewer].e;
    char *name = malloc(strlen(me->id) + 4);
    if (!name)
        return gr_error_nomem(err);
    sprintf(name, "%s.md", me->id);
    char *path = path_join(dir, name);
    free(name);
    if (!path)
        return gr_error_nomem(err);
    afile af = {0};
    int rc = afile_open(&af, path, err);
    free(path);
    if (rc)
        return rc;
    FILE *fp = af.fp;
    strbuf link;
    sb_init(&link);
    fprintf(fp, "# Peer review: %s\n\n", *me->name ? me->name : me->id);
    fprintf(fp,
            "You review %zu post%s (every post gets %d reviewers). Read each post at the\n"
            "link below (the exact version being graded), score it against the rubric,\n"
            "then send your lines of `reviews.csv` back to your instructor.\n\n",
            np, np == 1 ? "" : "s", k);
    for (size_t i = 0; i < np; i++) {
        size_t ai = (size_t)pv[i].author;
        const roster_entry *a = co->v[ai].e;
        const char *repo = co->v[ai].repo_public, *commit = commit_of(co, ai);
        permalink(&link, repo, commit, post_path(co, ai, rb));
        fprintf(fp, "## %zu. %s\n\n", i + 1, a->id);
        fprintf(fp, "- Repository: %s\n", *repo ? repo : "(none given)");
        if (link.len)
            fprintf(fp, "- Post: %s\n", sb_str(&link));
        else
            fprintf(fp, "- Post: `%s`%s%s\n", post_path(co, ai, rb), *commit ? " at commit " : "",
                    commit);
        fputc('\n', fp);
        if (rb && rb->ncriteria) {
            fprintf(fp, "Rubric (%d points):\n\n", rb->max_points);
            for (size_t c = 0; c < rb->ncriteria; c++) {
                const criterion *cr = &rb->criteria[c];
                fprintf(fp, "- [ ] `%s` (%d point%s%s)%s%s\n", cr->id, cr->points,
                        cr->points == 1 ? "" : "s", cr->bonus ? ", bonus" : "",
                        cr->description && *cr->description ? ": " : "",
                        cr->description ? cr->description : "");
            }
            fputc('\n', fp);
        }
        fputs("Your line for `reviews.csv` (fill in the points of each criterion, or only\n"
              "the total `score`, and a comment):\n\n```csv\n",
              fp);
        template_header(fp, rb);
        template_row(fp, rb, me->id, a->id);
        fputs("```\n\n", fp);
    }
    sb_free(&link);
    return afile_commit(&af, err);
}

static int write_outputs(const aopts *o, const cohort_data *co, const rubric *rb,
                         const assign_result *res, gr_error *err)
{
    char *rdir = path_join(o->outdir, "reviews");
    char *apath = path_join(o->outdir, "assignments.csv");
    char *tpath = path_join(o->outdir, "reviews.csv");
    int rc = 0;
    afile af = {0}, tf = {0};
    strbuf link;
    sb_init(&link);
    if (!rdir || !apath || !tpath) {
        rc = gr_error_nomem(err);
        goto out;
    }
    if ((rc = mkdir_p(rdir, err)) || (rc = afile_open(&af, apath, err)) ||
        (rc = afile_open(&tf, tpath, err)))
        goto out;
    fputs("reviewer,author,repository,post,kept", af.fp);
    csv_eol(af.fp);
    template_header(tf.fp, rb);
    for (size_t i = 0; i < res->npairs; i++) {
        const assign_pair *q = &res->pairs[i];
        size_t ai = (size_t)q->author;
        permalink(&link, co->v[ai].repo_public, commit_of(co, ai), post_path(co, ai, rb));
        csv_cell(af.fp, co->v[q->reviewer].e->id);
        csv_sep(af.fp);
        csv_cell(af.fp, co->v[ai].e->id);
        csv_sep(af.fp);
        csv_cell(af.fp, co->v[ai].repo_public);
        csv_sep(af.fp);
        csv_cell(af.fp, sb_str(&link));
        csv_sep(af.fp);
        csv_cell(af.fp, q->kept ? "yes" : "no");
        csv_eol(af.fp);
        template_row(tf.fp, rb, co->v[q->reviewer].e->id, co->v[ai].e->id);
    }
    for (size_t i = 0; i < res->npairs && !rc;) {
        size_t j = i;
        while (j < res->npairs && res->pairs[j].reviewer == res->pairs[i].reviewer)
            j++;
        rc = write_packet(rdir, co, rb, res->pairs + i, j - i, o->k, err);
        i = j;
    }
    if (!rc && !(rc = afile_commit(&af, err)))
        rc = afile_commit(&tf, err);
out:
    afile_abort(&af);
    afile_abort(&tf);
    sb_free(&link);
    free(rdir);
    free(apath);
    free(tpath);
    return rc;
}

/* Dense group numbers for the values of a roster column ("" = no group). */
static int make_groups(const cohort_data *co, const char *col, assign_student *s,
                       const char ***names, gr_error *err)
{
    size_t n = co->n;
    const char **nv = calloc(n ? n : 1, sizeof *nv);
    if (!nv)
        return gr_error_nomem(err);
    str_index *ix = malloc((n ? n : 1) * sizeof *ix);
    if (!ix) {
        free(nv);
        return gr_error_nomem(err);
    }
    for (size_t i = 0; i < n; i++)
        ix[i] = (str_index){cohort_data_field(co, i, col), i};
    /* Sort by value (ties by roster order) so numbering follows the values,
     * not the roster's row order: the same groups give the same numbers. */
    str_index_sort(ix, n);
    int g = -1;
    for (size_t i = 0; i < n; i++) {
        if (!*ix[i].key) {
            s[ix[i].i].group = -1;
            continue;
        }
        if (g < 0 || strcmp(ix[i].key, nv[g]))
            nv[++g] = ix[i].key;
        s[ix[i].i].group = g;
    }
    free(ix);
    *names = nv;
    return 0;
}

static int parse_args(int argc, char **argv, aopts *o)
{
    opt_result res;
    return opts_parse(&cmd_assign_options, argc, argv, o, &res);
}

static void print_summary(const aopts *o, const assign_result *res, size_t unknown_keep)
{
    printf("assigned %zu reviews: %zu authors x %d reviewers, %zu reviewers, seed %llu\n",
           res->npairs, res->nauthors, o->k, res->nreviewers, (unsigned long long)o->seed);
    if (res->npairs) {
        if (res->load_min == res->load_max)
            printf("every reviewer reviews %d post%s\n", res->load_min,
                   res->load_min == 1 ? "" : "s");
        else
            printf("reviewers review %d to %d posts%s\n", res->load_min, res->load_max,
                   res->balanced ? " (as even as the numbers allow)"
                                 : " (uneven: the constraints forced it)");
    }
    if (res->reciprocal)
        printf("%zu reciprocal pair%s (A reviews B and B reviews A): %s\n", res->reciprocal,
               res->reciprocal == 1 ? "" : "s",
               res->reciprocal_forced ? "unavoidable with so few reviewers (n <= 2k)"
                                      : "could not be avoided under the other constraints");
    if (o->group_col)
        printf("--avoid-group %s: %zu same-group pair%s\n", o->group_col, res->group_conflicts,
               res->group_conflicts == 1 ? "" : "s");
    if (o->keep)
        printf("kept %zu pair%s from %s; dropped %zu no longer valid, %zu naming students "
               "not on the roster\n",
               res->kept, res->kept == 1 ? "" : "s", o->keep, res->keep_dropped, unknown_keep);
}

/* --db: what grader serve --init does, with the files just written. */
static int import_db(const aopts *o, const char *mpath, gr_error *err)
{
    char *apath = path_join(o->outdir, "assignments.csv");
    const char *slash = strrchr(mpath, '/');
    char *subs = slash ? strndup(mpath, (size_t)(slash - mpath)) : strdup(".");
    serve_init_opts so = {.db = o->db,
                          .roster = o->roster,
                          .repo_template = o->tmpl,
                          .assignments = apath,
                          .submissions = subs,
                          .rubric = o->rubric};
    db_import_stats st;
    int rc = apath && subs ? serve_init_run(&so, &st, err) : gr_error_nomem(err);
    if (!rc)
        printf("%s: %zu new students, %zu new posts, %zu new pairs (grader serve --db %s "
               "--links FILE hands out the links)\n",
               o->db, st.people_new, st.posts_new, st.pairs_new, o->db);
    free(apath);
    free(subs);
    return rc;
}

/* What a run owns, freed in one place. */
typedef struct arun {
    cohort_data *co;
    rubric *rb;
    assign_student *s;
    const char **gnames;
    assign_pair *keep;
    size_t nkeep, unknown_keep;
    assign_result res;
} arun;

static void arun_free(arun *r)
{
    assign_result_free(&r->res);
    free(r->keep);
    free(r->gnames);
    rubric_free(r->rb);
    free(r->s);
    cohort_data_free(r->co);
}

/* Roster and manifest: who is an author (status ok), who reviews. */
static int load_students(const aopts *o, arun *r, gr_error *err)
{
    cohort_opts co = {
        .roster = o->roster, .repo_template = o->tmpl, .subs = o->subs, .manifest = o->manifest};
    int rc = cohort_data_load(&co, &r->co, err);
    if (!rc)
        rc = cohort_data_join(r->co, COHORT_MANIFEST_LOOSE, err);
    if (rc)
        return rc;
    size_t n = r->co->n;
    if (!(r->s = calloc(n ? n : 1, sizeof *r->s)))
        return gr_error_nomem(err);
    if (!r->co->mf)
        fprintf(stderr,
                "grader assign: no %s (run grader fetch first?): every roster student "
                "counts as submitted\n",
                r->co->manifest_path);
    for (size_t i = 0; i < n; i++) {
        const fetch_result *m = r->co->v[i].m;
        bool submitted = !r->co->mf || (m && m->status == FETCH_OK);
        r->s[i] = (assign_student){submitted, o->reviewers == 0 || submitted, -1};
    }
    if (o->group_col) {
        if (!cohort_data_field(r->co, 0, o->group_col))
            return gr_error_set(err, GR_EUSAGE, o->roster, 1, 0,
                                "--avoid-group %s: the roster has no such column", o->group_col);
        if ((rc = make_groups(r->co, o->group_col, r->s, &r->gnames, err)))
            return rc;
    }
    return o->keep ? read_keep(o->keep, r->co, &r->keep, &r->nkeep, &r->unknown_keep, err) : 0;
}

static int load_rubric(const aopts *o, arun *r, gr_error *err)
{
    return rubric_load_default(o->rubric, &r->rb, err);
}

static int run_assign(const aopts *o, arun *r, gr_error *err)
{
    size_t n = r->co->n;
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        return gr_error_nomem(err);
    for (size_t i = 0; i < n; i++)
        ids[i] = r->co->v[i].e->id;
    assign_opts ao = {.k = o->k,
                      .seed = o->seed,
                      .avoid_group = o->group_col != NULL,
                      .keep = r->keep,
                      .nkeep = r->nkeep,
                      .ids = ids,
                      .group_names = r->gnames};
    int rc = assign_run(r->s, n, &ao, &r->res, err);
    free(ids);
    if (!rc && !r->res.nauthors)
        rc = gr_error_set(err, GR_EINPUT, r->co->manifest_path, 0, 0,
                          "nobody has a gradable submission (status ok): nothing to review");
    return rc;
}

int cmd_assign(int argc, char **argv)
{
    aopts o = {.k = 3, .seed = 1, .outdir = "reports"};
    int code = parse_args(argc, argv, &o);
    if (code != OPTS_CONTINUE)
        return code;
    gr_error err = {0};
    arun r = {0};
    int rc = load_students(&o, &r, &err);
    if (!rc)
        rc = load_rubric(&o, &r, &err);
    if (!rc)
        rc = run_assign(&o, &r, &err);
    if (!rc)
        rc = write_outputs(&o, r.co, r.rb, &r.res, &err);
    if (!rc) {
        print_summary(&o, &r.res, r.unknown_keep);
        printf("wrote %s/assignments.csv, %s/reviews.csv, %s/reviews/<reviewer>.md\n", o.outdir,
               o.outdir, o.outdir);
        if (o.db)
            rc = import_db(&o, r.co->manifest_path, &err);
    }
    arun_free(&r);
    return rc ? cmd_fail("assign", &err) : EXIT_PASS;
}
