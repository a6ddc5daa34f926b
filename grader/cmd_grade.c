/* cmd_grade.c - `grader grade`: every roster student's fetched post scored
 * with the engine of `grader check`, into the gradebook, the feedback, the
 * class summary (and JSON or an LMS import file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "cohort.h"
#include "feedback.h"
#include "fetch.h"
#include "fetch_args.h"
#include "post_read.h"
#include "post_result.h"
#include "gradebook.h"
#include "lock.h"
#include "options.h"
#include "rubric.h"
#include "score.h"
#include "shard.h"
#include "similar.h"
#include "summary.h"
#include "util.h"

static const char default_out[] = "reports";

/* What to do with a post found under another name (post_read.h), in the
 * order of --misnamed's choices. */
typedef enum misnamed_policy {
    MISNAMED_GRADE, /* grade it as if it were named right (the feedback still says) */
    MISNAMED_FLAG,  /* grade it, flag it (the default) */
    MISNAMED_ZERO,  /* do not grade it: status misnamed, score 0 */
} misnamed_policy;

typedef struct grade_opts {
    fetch_args fa; /* every option of grader fetch, for --fetch (and --path, --submissions) */
    const char *out, *known;
    bool fetch, json, no_similar;
    int format; /* --format: 0 text, 1 json */
    double threshold;
    int lms_ix; /* --lms: -1 none, else the index of lms_names */
    lms_kind lms;
    int misnamed;            /* misnamed_policy */
    const char *merge_shard; /* merge --shard, refused: it belongs to grade */
    const char *cmd;     /* "grade", or "merge": the shards' outputs instead of the repositories */
    char *const *shards; /* merge: the shards' folders */
    size_t nshards;
    char shard_out[48]; /* --shard's default --output: reports/shard-K-of-N */
} grade_opts;

static const char *const misnamed_names[] = {"grade", "flag", "zero", NULL};
static const char *const lms_names[] = {"canvas", "moodle", NULL}; /* LMS_CANVAS - 1, ... */

#define GRADE_FETCH                                                                                \
    OPT_FLAG_(0, "fetch", grade_opts, fetch, "run grader fetch first, with the options below")
#define GRADE_MISNAMED                                                                             \
    OPT_ENUM_("misnamed", grade_opts, misnamed, "grade|flag|zero", misnamed_names,                 \
              "a post found under another name in its folder:\n"                                   \
              "graded and flagged (flag, the default), graded\n"                                   \
              "like any other (grade), or not graded (zero)")
#define GRADE_OUTPUT OPT_OUTPUT(grade_opts, out, "reports folder (default reports)")
#define GRADE_NO_SIMILAR                                                                           \
    OPT_FLAG_(0, "no-similar", grade_opts, no_similar,                                             \
              "skip the similarity pass (copy_group, copy_share,\n"                                \
              "flags and links stay empty; no similarity.csv)")
#define GRADE_FORMAT                                                                               \
    OPT_FORMAT_TEXT_JSON(grade_opts, format,                                                       \
                         "what goes to stdout: a summary (default) or the\n"                       \
                         "whole result as JSON")
#define GRADE_LMS                                                                                  \
    OPT_ENUM_("lms", grade_opts, lms_ix, "canvas|moodle", lms_names,                               \
              "also write OUT/canvas.csv or OUT/moodle.csv in that\n"                              \
              "LMS's grade-import layout")

static const opt_spec grade_table[] = {
    GRADE_FETCH,
    GRADE_MISNAMED,
    GRADE_OUTPUT,
    OPT_KNOWN(grade_opts, known),
    OPT_THRESHOLD(grade_opts, threshold),
    GRADE_NO_SIMILAR,
    GRADE_FORMAT,
    GRADE_LMS,
    OPT_HELP_ENTRY,
    OPT_TEXT_(NULL,
              "\nThe options of grader fetch, the same here (--deadline is also shown on the\n"
              "summary page; --path and --rubric also say which post is graded):"),
    OPT_INCLUDE_(fetch_args_options, offsetof(grade_opts, fa)),
    OPT_END_ENTRY,
};

const opt_command cmd_grade_options = {
    "grade",
    "usage: grader grade --roster FILE [options]\n"
    "\n"
    "Score every student's post, as fetched by grader fetch into the\n"
    "submissions folder, with the engine of grader check, and write\n"
    "  OUT/gradebook.csv      one row per roster student, in roster order\n"
    "  OUT/feedback/ID.md     each student's own report\n"
    "  OUT/summary.html       the class at a glance (self-contained page)\n"
    "  OUT/similarity.csv     copied posts, task-text and link-only posts (as\n"
    "                         grader similar writes it)\n"
    "Re-grading with another rubric reads the same fetched repositories.\n"
    "\n",
    grade_table,
    "\n"
    "exit: 0 every student passed, 1 done, but some student failed or had\n"
    "      nothing to grade, 2 usage or input error (roster, rubric, no\n"
    "      manifest), 3 could not complete (a report could not be written, or\n"
    "      another grade or collect is using the reports folder)\n",
    OPT_ARGS_NONE,
};

/* merge takes grade's options that mean something for the shards' outputs;
 * --fetch and --shard only to say they belong to the shards' grade. */
const opt_spec grade_merge_table[] = {
    OPT_ROSTER(grade_opts, fa.roster_path, "the whole roster the shards were cut from",
               .flags = OPTF_REQUIRED),
    OPT_REPO_TEMPLATE(grade_opts, fa.o.repo_template, "as for grader grade"),
    OPT_RUBRIC(grade_opts, fa.rubric_path, "the shards' rubric (default: the bundled one)"),
    GRADE_OUTPUT,
    OPT_KNOWN(grade_opts, known),
    OPT_THRESHOLD(grade_opts, threshold),
    GRADE_NO_SIMILAR,
    GRADE_MISNAMED,
    GRADE_FORMAT,
    GRADE_LMS,
    OPT_SET_('q', "quiet", grade_opts, fa.verbosity, -1, "print nothing but errors"),
    OPT_HELP_ENTRY,
    OPT_FLAG_(0, "fetch", grade_opts, fetch, NULL, .flags = OPTF_HIDDEN),
    OPT_STRING_(0, "shard", grade_opts, merge_shard, "K/N", NULL, .flags = OPTF_HIDDEN),
    OPT_END_ENTRY,
};

static void fetch_progress(void *ctx, size_t done, size_t total, const fetch_result *r,
                           const char *running)
{
    (void)r;
    (void)running;
    if (*(bool *)ctx) {
        fprintf(stderr, "\r\033[Kfetching [%zu/%zu]", done, total);
        fflush(stderr);
    }
}

static int run_fetch(grade_opts *o, const roster *ro, const rubric *rb, const similar_doc *known,
                     size_t nknown, gr_error *err)
{
    bool tty = o->fa.verbosity >= 0 && isatty(STDERR_FILENO);
    fetch_result *res = NULL;
    char *manifest = NULL;
    int rc =
        fetch_args_run(&o->fa, ro, rb, known, nknown, fetch_progress, &tty, &res, &manifest, err);
    if (tty)
        fputs("\r\033[K", stderr);
    if (!rc && o->fa.verbosity > 0)
        fetch_args_report(res, ro->n, true, manifest);
    free(manifest);
    fetch_results_free(res, res ? ro->n : 0);
    return rc;
}

/* Everything a run owns, freed in one place. */
typedef struct run {
    cohort_data *co; /* roster, manifest, the posts (kept for the similarity pass and summary) */
    rubric *rb;
    grade_row *rows; /* borrow their scores from results */
    size_t n;
    post_result *results;   /* per member with a post: scored here, or by its shard */
    fingerprint_base *base; /* the known sources fingerprinted; NULL: --no-similar */
    char similar_id[17];    /* fingerprint_base_id in hex, what shards must agree on */
    similar_doc *docs;
    size_t *sim_row;
    similar_report *sim;
    char **links; /* per row: a link-only post's links, space-separated */
    similar_doc *known;
    misnamed_policy misnamed;
    size_t nknown;
    shard_set *shards; /* merge */
    shard_info shard;  /* merge: what the shards agreed on */
} run;

static void run_free(run *r)
{
    for (size_t i = 0; r->links && i < r->n; i++)
        free(r->links[i]);
    for (size_t i = 0; r->results && i < r->co->n; i++)
        post_result_free(&r->results[i]);
    free(r->results);
    fingerprint_base_free(r->base);
    free(r->rows);
    free(r->links);
    free(r->docs);
    free(r->sim_row);
    similar_report_free(r->sim);
    similar_docs_free(r->known, r->nknown);
    cohort_data_free(r->co);
    rubric_free(r->rb);
    shard_set_free(r->shards);
}

/* The per-post stage: every post scored and, unless --no-similar,
 * fingerprinted. A merge has them from its shards instead. */
static int score_posts(run *r, gr_error *err)
{
    size_t n = r->co->n;
    if (!(r->results = calloc(n ? n : 1, sizeof *r->results)))
        return gr_error_nomem(err);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const submission *s = r->co->v[i].post;
        if (!s->text)
            continue;
        size_t flen = strlen(s->id) + strlen(s->doc) + 2;
        char file[flen];
        snprintf(file, flen, "%s/%s", s->id, s->doc);
        rc = post_result_make(r->rb, r->base, file, s->text, s->len, &r->results[i], err);
    }
    return rc;
}

/* Row i from its submission and its post's results. A student's trouble
 * is a status, never an error. */
static void grade_one(run *r, size_t i)
{
    grade_row *g = &r->rows[i];
    const cohort_member *mb = &r->co->v[i];
    const roster_entry *e = mb->e;
    const submission *s = mb->post;
    const fetch_result *m = s->m;
    g->id = e->id;
    g->name = e->name ? e->name : "";
    g->github = e->github ? e->github : "";
    g->repo = mb->repo_shown; /* the manifest's (redacted by fetch), else the roster's redacted */
    g->status = s->status;
    g->detail = s->detail;
    g->advice = s->advice;
    g->path = m ? m->path : "";
    g->links = "";
    if (!m)
        return;
    memcpy(g->commit, m->commit, sizeof g->commit);
    g->commit_time = m->commit_time;
    g->late = m->late;
    g->late_commits = m->late_commits;
    if (!s->text)
        return;
    if (m->misnamed && r->misnamed != MISNAMED_GRADE)
        g->misnamed = true;
    if (m->misnamed && r->misnamed == MISNAMED_ZERO) {
        g->status = "misnamed";
        g->advice = "the post is under another name and --misnamed zero: not graded";
        return;
    }
    const post_result *pr = &r->results[i];
    if (pr->too_large) {
        g->status = "post-too-large";
        g->advice = fetch_status_advice(FETCH_POST_TOO_LARGE);
        g->detail = pr->too_large;
        return;
    }
    g->text = s->text;
    g->len = s->len;
    g->res = pr->res;
}

/* The cohort-wide stage: the graded posts' fingerprints joined (similar.h),
 * and the findings put on their rows: a link-only post is taken out of the
 * scores (the instructor grades it by hand), a task-text one is flagged. */
static int similarity_pass(run *r, const grade_opts *o, gr_error *err)
{
    r->docs = calloc(r->n ? r->n : 1, sizeof *r->docs);
    r->sim_row = calloc(r->n ? r->n : 1, sizeof *r->sim_row);
    r->links = calloc(r->n ? r->n : 1, sizeof *r->links);
    fingerprint *prints = calloc(r->n ? r->n : 1, sizeof *prints);
    int rc = r->docs && r->sim_row && r->links && prints ? 0 : gr_error_nomem(err);
    size_t n = 0;
    for (size_t i = 0; i < r->n && !rc; i++) {
        if (!r->rows[i].text)
            continue;
        if (!r->results[i].printed)
            rc = gr_error_set(err, GR_EINTERNAL, "", 0, 0, "%s: no fingerprints", r->rows[i].id);
        r->docs[n] =
            (similar_doc){.id = r->rows[i].id, .text = r->rows[i].text, .len = r->rows[i].len};
        prints[n] = r->results[i].print; /* borrowed by the join */
        r->sim_row[n++] = i;
    }
    similar_opts so;
    similar_opts_default(&so);
    so.threshold = o->threshold;
    if (!rc)
        rc = similar_join(prints, n, r->base, &so, &r->sim, err);
    free(prints);
    if (rc)
        return rc;
    for (size_t k = 0; k < n; k++) {
        grade_row *g = &r->rows[r->sim_row[k]];
        const similar_result *p = &r->sim->posts[k];
        g->sim = p;
        if (!p->link_only)
            continue;
        strbuf sb;
        sb_init(&sb);
        for (size_t l = 0; l < p->links.n; l++) {
            if (l)
                sb_putc(&sb, ' ');
            sb_puts(&sb, p->links.v[l]);
        }
        if (!(r->links[r->sim_row[k]] = sb_detach(&sb)))
            return gr_error_nomem(err);
        g->links = r->links[r->sim_row[k]];
        g->status = "link-only";
        g->advice = "the post is elsewhere: follow the links and grade it by hand";
        g->res = NULL; /* still the post's result, exported by a shard */
    }
    return 0;
}

static const char *roster_lookup(void *ctx, size_t i, const char *column)
{
    return cohort_data_field(ctx, i, column);
}

static int write_reports(const grade_opts *o, const cohort *c, const run *r, gr_error *err)
{
    int rc = mkdir_p(o->out, err);
    char *fb = path_join(o->out, "feedback"), *sum = path_join(o->out, "summary.html"),
         *gb = path_join(o->out, "gradebook.csv"), *sim = path_join(o->out, "similarity.csv"),
         *lms = o->lms ? path_join(o->out, lms_file_name(o->lms)) : NULL;
    if (!rc && (!fb || !sum || !gb || !sim || (o->lms && !lms)))
        rc = gr_error_nomem(err);
    /* The gradebook last: when it is there and new, so is the rest. */
    if (!rc)
        rc = feedback_write_all(fb, c, err);
    if (!rc && r->sim)
        rc = similar_write_csv(sim, r->docs, r->sim, err);
    if (!rc)
        rc = summary_write(sum, c, err);
    if (!rc && o->lms)
        rc = gradebook_write_lms(lms, c, o->lms, roster_lookup, (void *)r->co, err);
    if (!rc && o->fa.shard.n) {
        shard_info si = {.s = o->fa.shard,
                         .rubric_path = r->rb->path,
                         .document = c->document,
                         .similar = r->base ? r->similar_id : NULL,
                         .has_deadline = c->deadline != 0,
                         .deadline = c->deadline,
                         .graded_at = c->graded_at};
        rc = shard_export(o->out, r->co, r->results, &si, err);
    }
    if (!rc)
        rc = gradebook_write(gb, c, err);
    /* A similarity.csv of an earlier run would contradict this gradebook. */
    if (!rc && !r->sim)
        unlink(sim);
    free(sim);
    free(fb);
    free(sum);
    free(gb);
    free(lms);
    return rc;
}

static void print_summary(const grade_opts *o, const cohort *c)
{
    summary_stats st;
    summary_compute(c, &st);
    size_t idw = 8;
    for (size_t i = 0; i < c->n; i++)
        if (strlen(c->v[i].id) > idw)
            idw = strlen(c->v[i].id);
    for (size_t i = 0; i < c->n; i++) {
        const grade_row *g = &c->v[i];
        if (!grade_needs_attention(g))
            continue;
        if (grade_link_only(g))
            printf("%-*s %-16s   -/%d", (int)idw, g->id, g->status, c->rb->max_points);
        else
            printf("%-*s %-16s %3d/%d", (int)idw, g->id, g->status, grade_points(g),
                   c->rb->max_points);
        if (g->res && !g->res->passed)
            printf("  below the pass mark");
        if (g->late)
            printf("  late (%d commit%s after the deadline)", g->late_commits,
                   g->late_commits == 1 ? "" : "s");
        if (grade_task_text(g))
            printf("  task-text: mostly the assignment's own text");
        if (g->misnamed)
            printf("  misnamed: graded %s", g->path);
        if (grade_link_only(g))
            printf("  grade by hand: %s", g->links);
        else if (!g->res && *g->advice)
            printf("  %s", g->advice);
        putchar('\n');
    }
    printf("\n%zu student%s: %zu submitted, %zu passed, %zu below the pass mark, %zu with "
           "nothing to grade, %zu late\n",
           st.cohort, st.cohort == 1 ? "" : "s", st.submitted, st.passed, st.failed, st.missing,
           st.late);
    if (st.submitted)
        printf("mean %.1f%%, median %.1f%% (rubric %s, %d points, pass %d%%)\n", st.mean, st.median,
               c->rb->name, c->rb->max_points, c->rb->pass);
    if (c->sim) {
        size_t copies = 0;
        for (size_t g = 0; g < c->sim->ngroups; g++)
            copies += c->sim->groups[g].n;
        printf("similarity: %zu copy group%s (%zu students), %zu task-text, %zu link-only\n",
               c->sim->ngroups, c->sim->ngroups == 1 ? "" : "s", copies, c->sim->ntask,
               c->sim->nlink);
    }
    printf("gradebook: %s/gradebook.csv\nfeedback:  %s/feedback/\nsummary:   %s/summary.html\n",
           o->out, o->out, o->out);
    if (c->sim)
        printf("similarity: %s/similarity.csv\n", o->out);
    if (o->lms)
        printf("%-10s %s/%s\n", o->lms == LMS_CANVAS ? "canvas:" : "moodle:", o->out,
               lms_file_name(o->lms));
}

static void read_progress(void *ctx, size_t i, size_t n, const char *id)
{
    (void)ctx;
    if (i % 16 == 0 || i + 1 == n) {
        fprintf(stderr, "\r\033[Kreading [%zu/%zu] %s", i + 1, n, id);
        fflush(stderr);
    }
}

static int parse_args(int argc, char **argv, const opt_command *c, grade_opts *o)
{
    opt_result res;
    int code = opts_parse(c, argc, argv, o, &res);
    if (code != OPTS_CONTINUE)
        return code;
    o->fa.fetch_only = res.marked;
    o->json = o->format == 1;
    o->lms = (lms_kind)(o->lms_ix + 1);
    if (!strcmp(o->cmd, "merge")) {
        o->shards = res.args;
        o->nshards = res.nargs;
    }
    if (o->shards && (o->fetch || o->merge_shard || !o->nshards)) {
        fprintf(stderr, "grader merge: %s\n",
                o->nshards ? "--fetch and --shard belong to the shards' grader grade"
                           : "name the shards' folders (each shard's grade -o)");
        return EXIT_BADUSE;
    }
    if (o->fa.shard.n && o->out == default_out) { /* not given */
        snprintf(o->shard_out, sizeof o->shard_out, "reports/shard-%u-of-%u", o->fa.shard.k,
                 o->fa.shard.n);
        o->out = o->shard_out;
    }
    return OPTS_CONTINUE;
}

/* The rubric, the roster and the known texts: every input a usage error
 * can be found in, before any long work. */
static int load_inputs(const grade_opts *o, run *r, int *code, gr_error *err)
{
    int rc = rubric_load_default(o->fa.rubric_path, &r->rb, err);
    /* a merge joins the manifest it writes into the reports folder */
    cohort_opts co = {.roster = o->fa.roster_path,
                      .repo_template = o->fa.o.repo_template,
                      .subs = o->shards ? o->out : o->fa.o.into,
                      .shard = &o->fa.shard};
    if (!rc)
        rc = cohort_data_load(&co, &r->co, err);
    if (!rc && !o->no_similar) {
        char *kdir = o->known ? strdup(o->known) : similar_known_default_dir();
        if (o->known && !kdir)
            rc = gr_error_nomem(err);
        else if (kdir)
            rc = similar_known_load(kdir, o->known == NULL, &r->known, &r->nknown, err);
        free(kdir);
        if (!rc)
            rc = fingerprint_base_new(r->known, r->nknown, NULL, &r->base, err);
        if (!rc)
            snprintf(r->similar_id, sizeof r->similar_id, "%016llx",
                     (unsigned long long)fingerprint_base_id(r->base));
    }
    if (rc)
        *code = cmd_fail(o->cmd, err);
    return rc;
}

/* Fetch when asked, then the manifest and every post. */
static int read_posts(grade_opts *o, run *r, gr_error *err)
{
    if (o->shards) {
        shard_load_opts lo = {.rb = r->rb, .similar = r->base ? r->similar_id : NULL};
        return shard_merge_cohort(o->shards, o->nshards, r->co, &lo, o->out, &r->shards, &r->shard,
                                  &r->results, err);
    }
    int rc = o->fetch ? run_fetch(o, r->co->ro, r->rb, r->known, r->nknown, err) : 0;
    if (!rc)
        rc = cohort_data_join(r->co, COHORT_MANIFEST_REQUIRED, err);
    if (rc)
        return rc;
    if (o->fa.o.has_deadline && !o->fetch && o->fa.verbosity >= 0)
        fprintf(stderr, "grader grade: note: the graded commits were chosen by the last grader "
                        "fetch; --deadline without --fetch only labels the reports\n");
    if (o->fa.fetch_only && !o->fetch && o->fa.verbosity >= 0)
        fprintf(stderr, "grader grade: note: --%s only matters with --fetch\n", o->fa.fetch_only);
    bool tty = o->fa.verbosity >= 0 && isatty(STDERR_FILENO);
    rc = cohort_data_read_posts(r->co, fetch_args_document(&o->fa, r->rb),
                                tty ? read_progress : NULL, NULL, err);
    if (tty)
        fputs("\r\033[K", stderr);
    return rc;
}

static int score_all(const grade_opts *o, run *r, gr_error *err)
{
    if (!(r->rows = calloc(r->co->n ? r->co->n : 1, sizeof *r->rows)))
        return gr_error_nomem(err);
    int rc = r->results ? 0 : score_posts(r, err);
    r->n = r->co->n;
    r->misnamed = o->misnamed;
    for (size_t i = 0; i < r->n && !rc; i++)
        grade_one(r, i);
    if (!rc && !o->no_similar)
        rc = similarity_pass(r, o, err);
    return rc;
}

/* JSON or the summary on stdout; the exit code. */
static int print_result(const grade_opts *o, const cohort *c, const run *r)
{
    gr_error err = {0};
    if (o->json) {
        strbuf sb;
        sb_init(&sb);
        gradebook_json(&sb, c);
        int rc = sb_failed(&sb) ? gr_error_nomem(&err) : 0;
        if (!rc)
            fwrite(sb.s, 1, sb.len, stdout);
        sb_free(&sb);
        if (rc)
            return cmd_fail("grade", &err);
    } else if (o->fa.verbosity >= 0)
        print_summary(o, c);
    if (fflush(stdout) != 0)
        return EXIT_TROUBLE;
    for (size_t i = 0; i < r->n; i++)
        if (!grade_passed(&r->rows[i]))
            return EXIT_BELOW;
    return EXIT_PASS;
}

static int grade_run(int argc, char **argv, const opt_command *oc, gr_lock *lock)
{
    const char *cmd = oc->name;
    grade_opts o = {
        .out = default_out, .threshold = 0.4, .lms_ix = -1, .misnamed = MISNAMED_FLAG, .cmd = cmd};
    fetch_args_init(&o.fa);
    int code = parse_args(argc, argv, oc, &o);
    if (code != OPTS_CONTINUE)
        return code;
    gr_error err = {0};
    run r = {0};
    if (load_inputs(&o, &r, &code, &err)) {
        run_free(&r);
        return code;
    }
    /* Two runs writing one reports folder would mix their files; held
     * until grade_main returns. */
    if (lock_take(lock, o.out, LOCK_REPORTS, cmd, &err)) {
        run_free(&r);
        return cmd_fail(cmd, &err);
    }
    int rc = read_posts(&o, &r, &err);
    if (rc) {
        run_free(&r);
        return cmd_fail(cmd, &err);
    }
    rc = score_all(&o, &r, &err);
    cohort c = {.rb = r.rb,
                .v = r.rows,
                .n = r.n,
                .title = r.rb->name,
                .deadline = o.fa.o.has_deadline ? o.fa.o.deadline : 0,
                .graded_at = shard_now(),
                .sim = r.sim,
                .sim_row = r.sim_row,
                .document = fetch_args_document(&o.fa, r.rb)};
    if (r.shards) {
        c.deadline = r.shard.has_deadline ? r.shard.deadline : 0;
        c.graded_at = r.shard.graded_at;
        c.document = r.shard.document;
    }
    if (!rc)
        rc = write_reports(&o, &c, &r, &err);
    if (rc) {
        code = cmd_fail(cmd, &err);
        run_free(&r);
        return code == EXIT_BADUSE ? EXIT_TROUBLE : code;
    }
    code = print_result(&o, &c, &r);
    run_free(&r);
    return code;
}

int grade_main(int argc, char **argv, const opt_command *c)
{
    gr_lock lock = {0};
    int code = grade_run(argc, argv, c, &lock);
    if (code == EXIT_BADUSE || code == EXIT_TROUBLE)
        lock_abandon(&lock);
    else
        lock_release(&lock);
    return code;
}

int cmd_grade(int argc, char **argv)
{
    return grade_main(argc, argv, &cmd_grade_options);
}
