/* cmd_similar.c - `grader similar`: copied posts, pasted assignment text and
 * link-only submissions across a cohort. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "csvout.h"
#include "report.h"
#include "roster.h"
#include "similar.h"
#include "submission.h"
#include "util.h"

static const char usage_text[] =
    "usage: grader similar [options] FILE...\n"
    "       grader similar [options] --roster roster.csv\n"
    "\n"
    "Find posts copied from one another (as groups), posts that are mostly the\n"
    "assignment's own text (task-text) and posts that are only links\n"
    "(link-only). Reformatting, reflowed lines, renamed people, changed times\n"
    "and numbers and reordered sections do not hide a copy.\n"
    "\n"
    "  FILE...              the posts to compare (one per student)\n"
    "  --roster FILE        the cohort's posts, as grader fetch collected them\n"
    "                       (each student's post at the graded commit, read as\n"
    "                       grader grade reads it); ids are roster ids\n"
    "  --submissions DIR    with --roster: grader fetch's folder (default\n"
    "                       submissions)\n"
    "  --repo-template URL  with --roster: as for grader fetch (a roster with\n"
    "                       no repo column)\n"
    "  --known DIR          texts that are not the students' own: *.md and *.txt\n"
    "                       (default: rubrics/known/ here, else the bundled one)\n"
    "  --threshold X        share of a post found in another that makes them\n"
    "                       copies, 0 < X <= 1 (default 0.4)\n"
    "  -o, --output DIR     where similarity.csv goes (default reports/)\n"
    "  --format text|json   terminal report format (default text)\n"
    "  -h, --help           this help\n"
    "\n"
    "exit: 0 nothing found, 1 copies, task-text or link-only posts found,\n"
    "      2 usage or input error, 3 could not complete (I/O, memory)\n";

typedef struct sim_opts {
    const char *roster, *known, *outdir, *subs, *tmpl;
    double threshold;
    bool json;
} sim_opts;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "grader similar: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
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

static int parse(int argc, char **argv, sim_opts *o)
{
    static const struct option longopts[] = {{"roster", required_argument, NULL, 'r'},
                                             {"submissions", required_argument, NULL, 's'},
                                             {"repo-template", required_argument, NULL, 'T'},
                                             {"known", required_argument, NULL, 'k'},
                                             {"threshold", required_argument, NULL, 't'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"format", required_argument, NULL, 'f'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        char *end;
        switch (ch) {
        case 'r':
            o->roster = optarg;
            break;
        case 's':
            o->subs = optarg;
            break;
        case 'T':
            o->tmpl = optarg;
            break;
        case 'k':
            o->known = optarg;
            break;
        case 'o':
            o->outdir = optarg;
            break;
        case 't':
            o->threshold = strtod(optarg, &end);
            if (end == optarg || *end || !(o->threshold > 0 && o->threshold <= 1))
                return usage_error("--threshold takes a share in (0, 1], not '%s'", optarg);
            break;
        case 'f':
            if (!strcmp(optarg, "json"))
                o->json = true;
            else if (strcmp(optarg, "text") != 0)
                return usage_error("--format takes text or json, not '%s'", optarg);
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_PASS + 100;
        default:
            return usage_error("unknown option '%s'; see 'grader similar --help'",
                               argv[optind - 1]);
        }
    }
    if (o->roster && optind < argc)
        return usage_error("%s", "give either --roster or files, not both");
    if (!o->roster && (o->subs || o->tmpl))
        return usage_error("%s", "--submissions and --repo-template go with --roster");
    if (!o->roster && optind >= argc)
        return usage_error("%s", "no posts given; see 'grader similar --help'");
    return -1;
}

int cmd_similar(int argc, char **argv)
{
    sim_opts o = {.outdir = "reports", .threshold = 0.4};
    int prc = parse(argc, argv, &o);
    if (prc == EXIT_PASS + 100)
        return EXIT_PASS;
    if (prc >= 0)
        return prc;
    if (!o.subs)
        o.subs = "submissions";
    gr_error err = {0};
    size_t n = o.roster ? 0 : (size_t)(argc - optind);
    roster *ro = NULL;
    fetch_manifest *mf = NULL;
    submission *subs = NULL;
    similar_doc *posts = NULL;
    similar_doc *known = NULL;
    similar_report *rep = NULL;
    char *known_dir = NULL, *csv_path = NULL;
    size_t nknown = 0, nstudents = 0;
    bool progress = false;
    int rc = 0;
    if (o.roster) {
        /* The posts grader grade would grade, read by the same code. */
        roster_opts ropts = {.repo_template = o.tmpl};
        if ((rc = roster_load(o.roster, &ropts, &ro, &err)) ||
            (rc = submission_manifest_load(o.subs, o.roster, &mf, &err)))
            goto out;
        nstudents = ro->n;
        progress = nstudents >= 1000 && isatty(STDERR_FILENO);
        if ((rc = submission_read_all(ro, mf, o.subs, "Blog_Post.md",
                                      progress ? read_progress : NULL, NULL, &subs, &err)))
            goto out;
        if (!(posts = calloc(nstudents ? nstudents : 1, sizeof *posts))) {
            rc = gr_error_nomem(&err);
            goto out;
        }
        for (size_t i = 0; i < nstudents; i++)
            if (subs[i].text)
                posts[n++] =
                    (similar_doc){.id = subs[i].id, .text = subs[i].text, .len = subs[i].len};
    } else {
        progress = n >= 1000 && isatty(STDERR_FILENO);
        if (!(posts = calloc(n, sizeof *posts))) {
            rc = gr_error_nomem(&err);
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            char *text;
            size_t len;
            const char *path = argv[optind + (int)i];
            if (progress)
                read_progress(NULL, i, n, path);
            if ((rc = file_read(path, GR_MAX_INPUT, &text, &len, &err)))
                goto out;
            posts[i] = (similar_doc){.id = path, .text = text, .len = len};
        }
    }
    known_dir = o.known ? strdup(o.known) : similar_known_default_dir();
    if (known_dir && (rc = similar_known_load(known_dir, o.known == NULL, &known, &nknown, &err)))
        goto out;
    if (progress)
        fprintf(stderr, "\rcomparing %zu posts...      \r", n);
    similar_opts so;
    similar_opts_default(&so);
    so.threshold = o.threshold;
    if ((rc = similar_run(posts, n, known, nknown, &so, &rep, &err)))
        goto out;
    if (progress)
        fprintf(stderr, "%30s\r", "");
    if ((rc = mkdir_p(o.outdir, &err)))
        goto out;
    if (!(csv_path = path_join(o.outdir, "similarity.csv"))) {
        rc = gr_error_nomem(&err);
        goto out;
    }
    if ((rc = similar_write_csv(csv_path, posts, rep, &err)))
        goto out;
    if (o.json)
        print_json(posts, rep);
    else {
        if (o.roster)
            printf("%zu of %zu students have a post to compare (the others: see grader "
                   "grade's gradebook)\n",
                   n, nstudents);
        print_text(posts, rep, &o, nknown, csv_path);
    }
out:
    if (rc && progress)
        fputc('\n', stderr);
    int status = rc ? cmd_fail("similar", &err)
                    : (rep->ngroups || rep->ntask || rep->nlink ? EXIT_BELOW : EXIT_PASS);
    for (size_t i = 0; !o.roster && posts && i < n; i++)
        free((char *)posts[i].text);
    free(posts);
    submission_free_all(subs, nstudents);
    fetch_manifest_free(mf);
    roster_free(ro);
    similar_docs_free(known, nknown);
    similar_report_free(rep);
    free(known_dir);
    free(csv_path);
    return status;
}
