/* cmd_assign.c - `grader assign`: peer reviewers for every gradable post,
 * a packet per reviewer and a reviews template to fill in. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assign.h"
#include "cmd.h"
#include "csvout.h"
#include "csvtab.h"
#include "roster.h"
#include "rubric.h"
#include "serve_init.h"
#include "util.h"

static const char usage_text[] =
    "usage: grader assign --roster FILE -k N [options]\n"
    "\n"
    "Assign k peer reviewers to every student with a gradable submission:\n"
    "nobody reviews themselves, loads are balanced, no reciprocal pairs when\n"
    "the class is large enough; the same roster and seed give the same result.\n"
    "\n"
    "  --roster FILE          class roster (CSV: id,name,github,repo[,group...])\n"
    "  -k N                   reviewers per author (default 3)\n"
    "  --seed N               random seed (default 1); print it with the result\n"
    "  --avoid-group COLUMN   nobody reviews a student with the same value in\n"
    "                         this roster column (team, cohort, table)\n"
    "  --reviewers all|submitted\n"
    "                         who reviews: every roster student (default) or only\n"
    "                         those with a gradable submission\n"
    "  --manifest FILE        who submitted (default submissions/manifest.csv,\n"
    "                         written by grader fetch; status 'ok' is gradable);\n"
    "                         when absent every student counts as submitted\n"
    "  --keep FILE            keep the pairs of an earlier assignments.csv and\n"
    "                         assign only what is new (late students)\n"
    "  --rubric FILE          rubric for the reviewer packets (default: bundled)\n"
    "  --repo-template T      repository URL when the roster has no repo column\n"
    "  -o DIR                 output folder (default reports/): assignments.csv,\n"
    "                         reviews.csv, reviews/<reviewer>.md\n"
    "  --db FILE              also put the assignment into grader serve's database\n"
    "                         (as grader serve --init: posts from the manifest's folder)\n"
    "  -h, --help             this help\n"
    "\n"
    "exit: 0 done, 2 usage or input error or impossible constraints,\n"
    "      3 could not write the outputs\n";

typedef struct aopts {
    const char *roster, *group_col, *manifest, *keep, *rubric, *outdir, *tmpl, *db;
    int k;
    uint64_t seed;
    bool submitted_only;
} aopts;

/* What the packet and template need about each student. */
typedef struct sinfo {
    const char *commit; /* from the manifest, "" if unknown */
    const char *repo;   /* without credentials */
    const char *path;   /* the post in the repository (manifest), NULL: the rubric's */
    char *owned;        /* repo, when we had to strip credentials */
} sinfo;

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

typedef struct idx_entry {
    const char *id;
    int i;
} idx_entry;

static int cmp_idx(const void *a, const void *b)
{
    return strcmp(((const idx_entry *)a)->id, ((const idx_entry *)b)->id);
}

static int find_id(const idx_entry *ix, size_t n, const char *id)
{
    idx_entry key = {id, 0};
    const idx_entry *e = bsearch(&key, ix, n, sizeof *ix, cmp_idx);
    return e ? e->i : -1;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

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

/* Students with a gradable submission, from the manifest. */
static int read_manifest(const char *path, const roster *r, const idx_entry *ix, bool *submitted,
                         sinfo *info, csvtab **keep_alive, gr_error *err)
{
    csvtab *t;
    int rc = csvtab_load(path, 256u << 20, &t, err);
    if (rc)
        return rc;
    int cid = csvtab_col(t, "id"), cst = csvtab_col(t, "status");
    int ccommit = csvtab_col(t, "commit"), crepo = csvtab_col(t, "repo");
    int cpath = csvtab_col(t, "path");
    if (crepo < 0)
        crepo = csvtab_col(t, "repository");
    if (cid < 0 || cst < 0) {
        csvtab_free(t);
        return gr_error_set(err, GR_EINPUT, path, 1, 0,
                            "the manifest needs columns id and status (is it grader fetch's?)");
    }
    for (size_t i = 0; i < t->nrows; i++) {
        int s = find_id(ix, r->n, t->rows[i][cid]);
        if (s < 0)
            continue; /* fetched earlier, since dropped from the roster */
        submitted[s] = !strcmp(t->rows[i][cst], "ok");
        if (ccommit >= 0)
            info[s].commit = t->rows[i][ccommit];
        if (cpath >= 0 && t->rows[i][cpath][0])
            info[s].path = t->rows[i][cpath];
        /* fetch writes credentials as "***": keep the roster's URL then */
        if (crepo >= 0 && t->rows[i][crepo][0] && !strstr(t->rows[i][crepo], "***") &&
            !info[s].owned)
            info[s].repo = t->rows[i][crepo];
    }
    *keep_alive = t;
    return 0;
}

static int read_keep(const char *path, const idx_entry *ix, size_t n, assign_pair **out,
                     size_t *nout, size_t *unknown, gr_error *err)
{
    csvtab *t;
    int rc = csvtab_load(path, 256u << 20, &t, err);
    if (rc)
        return rc;
    int cr = csvtab_col(t, "reviewer"), ca = csvtab_col(t, "author");
    if (cr < 0 || ca < 0) {
        csvtab_free(t);
        return gr_error_set(err, GR_EINPUT, path, 1, 0, "--keep needs columns reviewer and author");
    }
    assign_pair *v = malloc((t->nrows ? t->nrows : 1) * sizeof *v);
    if (!v) {
        csvtab_free(t);
        return gr_error_nomem(err);
    }
    size_t m = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        int a = find_id(ix, n, t->rows[i][ca]), b = find_id(ix, n, t->rows[i][cr]);
        if (a < 0 || b < 0)
            (*unknown)++;
        else
            v[m++] = (assign_pair){b, a, true};
    }
    csvtab_free(t);
    *out = v;
    *nout = m;
    return 0;
}

static const char *doc_path(const rubric *rb)
{
    return rb && rb->document && *rb->document ? rb->document : "Blog_Post.md";
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

static int write_packet(const char *dir, const roster *r, const sinfo *info, const rubric *rb,
                        const assign_pair *pv, size_t np, int k, gr_error *err)
{
    const roster_entry *me = &r->v[pv[0].reviewer];
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
        const roster_entry *a = &r->v[pv[i].author];
        const sinfo *ai = &info[pv[i].author];
        permalink(&link, ai->repo, ai->commit, ai->path ? ai->path : doc_path(rb));
        fprintf(fp, "## %zu. %s\n\n", i + 1, a->id);
        fprintf(fp, "- Repository: %s\n", *ai->repo ? ai->repo : "(none given)");
        if (link.len)
            fprintf(fp, "- Post: %s\n", sb_str(&link));
        else
            fprintf(fp, "- Post: `%s`%s%s\n", ai->path ? ai->path : doc_path(rb),
                    *ai->commit ? " at commit " : "", ai->commit);
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

static int write_outputs(const aopts *o, const roster *r, const sinfo *info, const rubric *rb,
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
        const sinfo *ai = &info[q->author];
        permalink(&link, ai->repo, ai->commit, ai->path ? ai->path : doc_path(rb));
        csv_cell(af.fp, r->v[q->reviewer].id);
        csv_sep(af.fp);
        csv_cell(af.fp, r->v[q->author].id);
        csv_sep(af.fp);
        csv_cell(af.fp, ai->repo);
        csv_sep(af.fp);
        csv_cell(af.fp, sb_str(&link));
        csv_sep(af.fp);
        csv_cell(af.fp, q->kept ? "yes" : "no");
        csv_eol(af.fp);
        template_row(tf.fp, rb, r->v[q->reviewer].id, r->v[q->author].id);
    }
    for (size_t i = 0; i < res->npairs && !rc;) {
        size_t j = i;
        while (j < res->npairs && res->pairs[j].reviewer == res->pairs[i].reviewer)
            j++;
        rc = write_packet(rdir, r, info, rb, res->pairs + i, j - i, o->k, err);
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
static int make_groups(const roster *r, const char *col, assign_student *s, const char ***names,
                       gr_error *err)
{
    const char **nv = calloc(r->n ? r->n : 1, sizeof *nv);
    if (!nv)
        return gr_error_nomem(err);
    idx_entry *ix = malloc((r->n ? r->n : 1) * sizeof *ix);
    if (!ix) {
        free(nv);
        return gr_error_nomem(err);
    }
    for (size_t i = 0; i < r->n; i++)
        ix[i] = (idx_entry){roster_field(r, i, col), (int)i};
    /* Sort by value (ties by roster order) so numbering follows the values,
     * not the roster's row order: the same groups give the same numbers. */
    qsort(ix, r->n, sizeof *ix, cmp_idx);
    int g = -1;
    for (size_t i = 0; i < r->n; i++) {
        if (!*ix[i].id) {
            s[ix[i].i].group = -1;
            continue;
        }
        if (g < 0 || strcmp(ix[i].id, nv[g]))
            nv[++g] = ix[i].id;
        s[ix[i].i].group = g;
    }
    free(ix);
    *names = nv;
    return 0;
}

static int parse_args(int argc, char **argv, aopts *o)
{
    static const struct option longopts[] = {{"roster", required_argument, NULL, 'R'},
                                             {"seed", required_argument, NULL, 's'},
                                             {"avoid-group", required_argument, NULL, 'g'},
                                             {"reviewers", required_argument, NULL, 'w'},
                                             {"manifest", required_argument, NULL, 'm'},
                                             {"keep", required_argument, NULL, 'K'},
                                             {"rubric", required_argument, NULL, 'r'},
                                             {"repo-template", required_argument, NULL, 't'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"db", required_argument, NULL, 'd'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    int ch;
    long v;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "k:o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'R':
            o->roster = optarg;
            break;
        case 'g':
            o->group_col = optarg;
            break;
        case 'm':
            o->manifest = optarg;
            break;
        case 'K':
            o->keep = optarg;
            break;
        case 'r':
            o->rubric = optarg;
            break;
        case 't':
            o->tmpl = optarg;
            break;
        case 'o':
            o->outdir = optarg;
            break;
        case 'd':
            o->db = optarg;
            break;
        case 'k':
            if (parse_int(optarg, 1, 100, &v)) {
                fprintf(stderr, "grader assign: -k takes a number from 1 to 100, not '%s'\n",
                        optarg);
                return -1;
            }
            o->k = (int)v;
            break;
        case 's': {
            char *end;
            errno = 0;
            unsigned long long sv = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || *optarg == '-') {
                fprintf(stderr, "grader assign: --seed takes a non-negative integer, not '%s'\n",
                        optarg);
                return -1;
            }
            o->seed = sv;
            break;
        }
        case 'w':
            if (!strcmp(optarg, "submitted"))
                o->submitted_only = true;
            else if (strcmp(optarg, "all")) {
                fprintf(stderr, "grader assign: --reviewers takes all or submitted\n");
                return -1;
            }
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 1;
        default:
            fprintf(
                stderr,
                "grader assign: unknown option or missing value '%s'; see 'grader assign --help'\n",
                argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "grader assign: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (!o->roster) {
        fprintf(stderr, "grader assign: --roster FILE is required\n");
        return -1;
    }
    return 0;
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

int cmd_assign(int argc, char **argv)
{
    aopts o = {.k = 3, .seed = 1, .outdir = "reports"};
    int pa = parse_args(argc, argv, &o);
    if (pa)
        return pa > 0 ? EXIT_PASS : EXIT_BADUSE;
    gr_error err = {0};
    roster *r = NULL;
    rubric *rb = NULL;
    csvtab *man = NULL;
    assign_student *s = NULL;
    sinfo *info = NULL;
    idx_entry *ix = NULL;
    bool *submitted = NULL;
    const char **gnames = NULL;
    assign_pair *keep = NULL;
    size_t nkeep = 0, unknown_keep = 0;
    assign_result res = {0};
    char *rpath = NULL;
    roster_opts ropts = {.repo_template = o.tmpl};
    int rc = roster_load(o.roster, &ropts, &r, &err);
    if (rc)
        goto out;
    size_t n = r->n;
    s = calloc(n, sizeof *s);
    info = calloc(n, sizeof *info);
    ix = malloc(n * sizeof *ix);
    submitted = malloc(n * sizeof *submitted);
    if (!s || !info || !ix || !submitted) {
        rc = gr_error_nomem(&err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        ix[i] = (idx_entry){r->v[i].id, (int)i};
        const char *repo = r->v[i].repo ? r->v[i].repo : "";
        info[i] = (sinfo){"", repo, NULL, strip_userinfo(repo)};
        if (info[i].owned)
            info[i].repo = info[i].owned;
        s[i].group = -1;
    }
    qsort(ix, n, sizeof *ix, cmp_idx);

    const char *mpath = o.manifest ? o.manifest : "submissions/manifest.csv";
    FILE *probe = fopen(mpath, "r");
    if (probe || o.manifest) {
        if (probe)
            fclose(probe);
        for (size_t i = 0; i < n; i++)
            submitted[i] = false;
        if ((rc = read_manifest(mpath, r, ix, submitted, info, &man, &err)))
            goto out;
    } else {
        for (size_t i = 0; i < n; i++)
            submitted[i] = true;
        fprintf(stderr,
                "grader assign: no %s (run grader fetch first?): every roster student "
                "counts as submitted\n",
                mpath);
    }
    for (size_t i = 0; i < n; i++) {
        s[i].author = submitted[i];
        s[i].reviewer = !o.submitted_only || submitted[i];
    }
    if (o.group_col) {
        bool found = false;
        for (size_t c = 0; c < r->ncolumns; c++)
            found |= !strcasecmp(r->columns[c], o.group_col);
        if (!found) {
            rc = gr_error_set(&err, GR_EUSAGE, o.roster, 1, 0,
                              "--avoid-group %s: the roster has no such column", o.group_col);
            goto out;
        }
        if ((rc = make_groups(r, o.group_col, s, &gnames, &err)))
            goto out;
    }
    if (o.keep && (rc = read_keep(o.keep, ix, n, &keep, &nkeep, &unknown_keep, &err)))
        goto out;

    rpath = o.rubric ? strdup(o.rubric) : rubric_default_path();
    if (rpath && (rc = rubric_load(rpath, &rb, &err)))
        goto out;
    if (!rpath)
        fprintf(stderr, "grader assign: no rubric found (--rubric FILE): packets list no "
                        "criteria and reviews.csv takes a total score only\n");

    const char **ids = malloc(n * sizeof *ids);
    if (!ids) {
        rc = gr_error_nomem(&err);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        ids[i] = r->v[i].id;
    assign_opts ao = {.k = o.k,
                      .seed = o.seed,
                      .avoid_group = o.group_col != NULL,
                      .keep = keep,
                      .nkeep = nkeep,
                      .ids = ids,
                      .group_names = gnames};
    rc = assign_run(s, n, &ao, &res, &err);
    free(ids);
    if (rc)
        goto out;
    if (!res.nauthors) {
        rc = gr_error_set(&err, GR_EINPUT, mpath, 0, 0,
                          "nobody has a gradable submission (status ok): nothing to review");
        goto out;
    }
    if ((rc = write_outputs(&o, r, info, rb, &res, &err)))
        goto out;
    print_summary(&o, &res, unknown_keep);
    printf("wrote %s/assignments.csv, %s/reviews.csv, %s/reviews/<reviewer>.md\n", o.outdir,
           o.outdir, o.outdir);
    if (o.db && (rc = import_db(&o, mpath, &err)))
        goto out;
out:
    assign_result_free(&res);
    free(keep);
    free(gnames);
    free(rpath);
    rubric_free(rb);
    csvtab_free(man);
    free(submitted);
    free(ix);
    for (size_t i = 0; info && i < r->n; i++)
        free(info[i].owned);
    free(info);
    free(s);
    roster_free(r);
    return rc ? cmd_fail("assign", &err) : EXIT_PASS;
}
