/* cmd_similar.c - `grader similar`: copied posts, pasted assignment text and
 * link-only submissions across a cohort. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "csvout.h"
#include "options.h"
#include "report.h"
#include "rubric.h"
#include "cohort.h"
#include "similar.h"
#include "util.h"

typedef struct sim_opts {
    const char *roster, *known, *outdir, *subs, *tmpl, *rubric;
    double threshold;
    int format; /* 0 text, 1 json */
    bool json;
} sim_opts;

static const opt_spec similar_table[] = {
    OPT_TEXT_("FILE...", "the posts to compare (one per student)"),
    OPT_ROSTER(sim_opts, roster,
               "the cohort's posts, as grader fetch collected them\n"
               "(each student's post at the graded commit, read as\n"
               "grader grade reads it); ids are roster ids"),
    OPT_SUBMISSIONS(sim_opts, subs, "with --roster: grader fetch's folder (default\nsubmissions)"),
    OPT_REPO_TEMPLATE(sim_opts, tmpl,
                      "with --roster: as for grader fetch (a roster with\n"
                      "no repo column)"),
    OPT_RUBRIC(sim_opts, rubric,
               "with --roster: its document is the post read where\n"
               "the manifest names none (default: the bundled rubric)"),
    OPT_KNOWN(sim_opts, known),
    OPT_THRESHOLD(sim_opts, threshold),
    OPT_OUTPUT(sim_opts, outdir, "where similarity.csv goes (default reports/)"),
    OPT_FORMAT_TEXT_JSON(sim_opts, format, "terminal report format (default text)"),
    OPT_HELP_ENTRY,
    OPT_END_ENTRY,
};

const opt_command cmd_similar_options = {
    "similar",
    "usage: grader similar [options] FILE...\n"
    "       grader similar [options] --roster roster.csv\n"
    "\n"
    "Find posts copied from one another (as groups), posts that are mostly the\n"
    "assignment's own text (task-text) and posts that are only links\n"
    "(link-only). Reformatting, reflowed lines, renamed people, changed times\n"
    "and numbers and reordered sections do not hide a copy.\n"
    "\n",
    similar_table,
    "\n"
    "exit: 0 nothing found, 1 copies, task-text or link-only posts found,\n"
    "      2 usage or input error, 3 could not complete (I/O, memory)\n",
    OPT_ARGS_ANY,
};

static int usage_error(const char *msg)
{
    fprintf(stderr, "grader similar: %s\n", msg);
    return EXIT_BADUSE;
}

static void print_text(const similar_doc *posts, const similar_report *r, const sim_opts *o,
                       size_t nknown, const char *csv_path)
{
    printf("%zu posts compared, %zu known source%s, threshold %.2f\n", r->nposts, nknown,
           nknown == 1 ? "" : "s", o->threshold);
    for (size_t g = 0; g < r->ngroups; g++) {
        const similar_group *gr = &r->groups[g];
        printf("\ngroup %zu: %zu posts share one text\n", g + 1, gr->n);
        for (size_t m = 0; m < gr->n; m++) {
            const similar_result *p = &r->posts[gr->members[m]];
            char a[64], b[64];
            similar_lines_str(a, sizeof a, p->longest.first_line, p->longest.last_line);
            similar_lines_str(b, sizeof b, p->longest.other_first, p->longest.other_last);
            printf("  %-28s %3.0f%% found in others", posts[gr->members[m]].id, p->share * 100);
            if (p->longest.words)
                printf("; longest shared passage lines %s = %s lines %s", a,
                       posts[p->longest.other].id, b);
            printf("\n");
        }
    }
    if (r->ntask) {
        printf("\ntask-text (mostly the assignment's own text, grade by hand):\n");
        for (size_t i = 0; i < r->nposts; i++)
            if (r->posts[i].task_text)
                printf("  %-28s %3.0f%% known text, %3.0f%% of its word pairs from the format\n",
                       posts[i].id, r->posts[i].known_share * 100, r->posts[i].format_share * 100);
    }
    if (r->nlink) {
        printf("\nlink-only (the post is elsewhere, grade by hand):\n");
        for (size_t i = 0; i < r->nposts; i++) {
            const similar_result *p = &r->posts[i];
            if (!p->link_only)
                continue;
            printf("  %-28s", posts[i].id);
            for (size_t l = 0; l < p->links.n; l++)
                printf(" %s", p->links.v[l]);
            printf("\n");
        }
    }
    size_t copies = 0;
    for (size_t g = 0; g < r->ngroups; g++)
        copies += r->groups[g].n;
    printf("\n%zu group%s (%zu posts), %zu task-text, %zu link-only; written to %s\n", r->ngroups,
           r->ngroups == 1 ? "" : "s", copies, r->ntask, r->nlink, csv_path);
}

static void print_json(const similar_doc *posts, const similar_report *r)
{
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, "{\"posts\":[");
    for (size_t i = 0; i < r->nposts; i++) {
        const similar_result *p = &r->posts[i];
        sb_puts(&sb, i ? ",\n{\"post\":" : "\n{\"post\":");
        json_string(&sb, posts[i].id);
        sb_printf(&sb,
                  ",\"status\":\"%s\",\"group\":%d,\"share\":%.3f,\"known_share\":%.3f"
                  ",\"format_share\":%.3f",
                  similar_status_name(p), p->group, p->share, p->known_share, p->format_share);
        if (p->longest.words) {
            sb_printf(&sb, ",\"longest\":{\"lines\":[%d,%d],\"other\":", p->longest.first_line,
                      p->longest.last_line);
            json_string(&sb, posts[p->longest.other].id);
            sb_printf(&sb, ",\"other_lines\":[%d,%d]}", p->longest.other_first,
                      p->longest.other_last);
        }
        sb_puts(&sb, ",\"passages\":[");
        for (size_t a = 0; a < p->npassages; a++) {
            const similar_passage *pa = &p->passages[a];
            sb_printf(&sb, "%s{\"lines\":[%d,%d],\"other\":", a ? "," : "", pa->first_line,
                      pa->last_line);
            json_string(&sb, posts[pa->other].id);
            sb_printf(&sb, ",\"other_lines\":[%d,%d]}", pa->other_first, pa->other_last);
        }
        sb_puts(&sb, "]");
        sb_puts(&sb, ",\"links\":[");
        for (size_t l = 0; l < p->links.n; l++) {
            if (l)
                sb_putc(&sb, ',');
            json_string(&sb, p->links.v[l]);
        }
        sb_puts(&sb, "]}");
    }
    sb_puts(&sb, "],\n\"groups\":[");
    for (size_t g = 0; g < r->ngroups; g++) {
        sb_printf(&sb, "%s{\"group\":%zu,\"posts\":[", g ? "," : "", g + 1);
        for (size_t m = 0; m < r->groups[g].n; m++) {
            if (m)
                sb_putc(&sb, ',');
            json_string(&sb, posts[r->groups[g].members[m]].id);
        }
        sb_puts(&sb, "]}");
    }
    sb_puts(&sb, "]}\n");
    fputs(sb_str(&sb), stdout);
    sb_free(&sb);
}

static void read_progress(void *ctx, size_t i, size_t n, const char *id)
{
    (void)ctx;
    (void)id;
    if (i % 500 == 0 || i + 1 == n)
        fprintf(stderr, "\rreading posts %zu/%zu", i + 1, n);
}

/* The options, and which posts: files or --roster. Returns OPTS_CONTINUE
 * or the exit code. */
static int parse(int argc, char **argv, sim_opts *o, opt_result *files)
{
    int code = opts_parse(&cmd_similar_options, argc, argv, o, files);
    if (code != OPTS_CONTINUE)
        return code;
    o->json = o->format == 1;
    if (o->roster && files->nargs)
        return usage_error("give either --roster or files, not both");
    if (!o->roster && (o->subs || o->tmpl || o->rubric))
        return usage_error("--submissions, --repo-template and --rubric go with --roster");
    if (!o->roster && !files->nargs)
        return usage_error("no posts given; see 'grader similar --help'");
    return OPTS_CONTINUE;
}

/* What a run owns, freed in one place. */
typedef struct sim_run {
    cohort_data *co; /* with --roster */
    rubric *rb;      /* with --roster: its document */
    similar_doc *posts;
    size_t n, nstudents;
    bool own_texts; /* posts[].text read from files here */
    similar_doc *known;
    size_t nknown;
    similar_report *rep;
    char *csv_path;
    bool progress;
} sim_run;

static void sim_run_free(sim_run *r)
{
    for (size_t i = 0; r->own_texts && r->posts && i < r->n; i++)
        free((char *)r->posts[i].text);
    free(r->posts);
    cohort_data_free(r->co);
    rubric_free(r->rb);
    similar_docs_free(r->known, r->nknown);
    similar_report_free(r->rep);
    free(r->csv_path);
}

/* The posts grader grade would grade, read by the same code. */
static int posts_of_roster(const sim_opts *o, sim_run *r, gr_error *err)
{
    cohort_opts co = {.roster = o->roster, .repo_template = o->tmpl, .subs = o->subs};
    int rc = rubric_load_default(o->rubric, &r->rb, err);
    if (!rc)
        rc = cohort_data_load(&co, &r->co, err);
    if (!rc)
        rc = cohort_data_join(r->co, COHORT_MANIFEST_REQUIRED, err);
    if (rc)
        return rc;
    r->nstudents = r->co->n;
    r->progress = r->nstudents >= 1000 && isatty(STDERR_FILENO);
    if ((rc = cohort_data_read_posts(r->co, r->rb->document, r->progress ? read_progress : NULL,
                                     NULL, err)))
        return rc;
    if (!(r->posts = calloc(r->nstudents ? r->nstudents : 1, sizeof *r->posts)))
        return gr_error_nomem(err);
    for (size_t i = 0; i < r->nstudents; i++) {
        const submission *s = r->co->v[i].post;
        if (s->text)
            r->posts[r->n++] = (similar_doc){.id = s->id, .text = s->text, .len = s->len};
    }
    return 0;
}

static int posts_of_files(char **files, size_t n, sim_run *r, gr_error *err)
{
    r->progress = n >= 1000 && isatty(STDERR_FILENO);
    r->own_texts = true;
    if (!(r->posts = calloc(n ? n : 1, sizeof *r->posts)))
        return gr_error_nomem(err);
    for (size_t i = 0; i < n; i++, r->n++) {
        char *text;
        size_t len;
        if (r->progress)
            read_progress(NULL, i, n, files[i]);
        int rc = file_read(files[i], GR_MAX_INPUT, &text, &len, err);
        if (rc)
            return rc;
        r->posts[i] = (similar_doc){.id = files[i], .text = text, .len = len};
    }
    return 0;
}

/* Compare the posts with each other and the known texts; write the CSV. */
static int compare(const sim_opts *o, sim_run *r, gr_error *err)
{
    char *known_dir = o->known ? strdup(o->known) : similar_known_default_dir();
    int rc =
        known_dir ? similar_known_load(known_dir, o->known == NULL, &r->known, &r->nknown, err) : 0;
    free(known_dir);
    if (rc)
        return rc;
    if (r->progress)
        fprintf(stderr, "\rcomparing %zu posts...      \r", r->n);
    similar_opts so;
    similar_opts_default(&so);
    so.threshold = o->threshold;
    if ((rc = similar_run(r->posts, r->n, r->known, r->nknown, &so, &r->rep, err)))
        return rc;
    if (r->progress)
        fprintf(stderr, "%30s\r", "");
    if ((rc = mkdir_p(o->outdir, err)))
        return rc;
    if (!(r->csv_path = path_join(o->outdir, "similarity.csv")))
        return gr_error_nomem(err);
    return similar_write_csv(r->csv_path, r->posts, r->rep, err);
}

int cmd_similar(int argc, char **argv)
{
    sim_opts o = {.outdir = "reports", .threshold = 0.4};
    opt_result files;
    int code = parse(argc, argv, &o, &files);
    if (code != OPTS_CONTINUE)
        return code;
    if (!o.subs)
        o.subs = "submissions";
    gr_error err = {0};
    sim_run r = {0};
    int rc = o.roster ? posts_of_roster(&o, &r, &err)
                      : posts_of_files(files.args, files.nargs, &r, &err);
    if (!rc)
        rc = compare(&o, &r, &err);
    if (!rc && o.json)
        print_json(r.posts, r.rep);
    else if (!rc) {
        if (o.roster)
            printf("%zu of %zu students have a post to compare (the others: see grader "
                   "grade's gradebook)\n",
                   r.n, r.nstudents);
        print_text(r.posts, r.rep, &o, r.nknown, r.csv_path);
    }
    if (rc && r.progress)
        fputc('\n', stderr);
    int status = rc ? cmd_fail("similar", &err)
                    : (r.rep->ngroups || r.rep->ntask || r.rep->nlink ? EXIT_BELOW : EXIT_PASS);
    sim_run_free(&r);
    return status;
}
