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
#include "similar.h"
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
    "  --roster FILE        the cohort's posts, read from submissions/ (needs\n"
    "                       the fetch module; not available yet)\n"
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
    const char *roster, *known, *outdir;
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

static const char *status_of(const similar_result *r)
{
    if (r->link_only)
        return "link-only";
    if (r->task_text)
        return "task-text";
    if (r->group)
        return "copy";
    return "ok";
}

static void lines_str(char *buf, size_t size, int a, int b)
{
    if (!a)
        snprintf(buf, size, "%s", "");
    else if (a == b)
        snprintf(buf, size, "%d", a);
    else
        snprintf(buf, size, "%d-%d", a, b);
}

static int write_csv(const char *outdir, const similar_doc *posts, const similar_report *r,
                     gr_error *err)
{
    int rc = mkdir_p(outdir, err);
    if (rc)
        return rc;
    char *path = path_join(outdir, "similarity.csv");
    if (!path)
        return gr_error_nomem(err);
    afile af = {0};
    if ((rc = afile_open(&af, path, err))) {
        free(path);
        return rc;
    }
    fputs("group,post,status,share,known_share,format_share,longest_lines,other_post,other_lines,"
          "links\n",
          af.fp);
    for (size_t i = 0; i < r->nposts; i++) {
        const similar_result *p = &r->posts[i];
        char buf[64];
        if (p->group)
            snprintf(buf, sizeof buf, "%d", p->group);
        else
            buf[0] = '\0';
        csv_cell(af.fp, buf);
        csv_sep(af.fp);
        csv_cell(af.fp, posts[i].id);
        csv_sep(af.fp);
        csv_cell(af.fp, status_of(p));
        csv_sep(af.fp);
        snprintf(buf, sizeof buf, "%.2f", p->share);
        csv_cell(af.fp, p->group ? buf : "");
        csv_sep(af.fp);
        snprintf(buf, sizeof buf, "%.2f", p->known_share);
        csv_cell(af.fp, buf);
        csv_sep(af.fp);
        snprintf(buf, sizeof buf, "%.2f", p->format_share);
        csv_cell(af.fp, buf);
        csv_sep(af.fp);
        lines_str(buf, sizeof buf, p->longest.first_line, p->longest.last_line);
        csv_cell(af.fp, buf);
        csv_sep(af.fp);
        csv_cell(af.fp, p->longest.words ? posts[p->longest.other].id : "");
        csv_sep(af.fp);
        lines_str(buf, sizeof buf, p->longest.other_first, p->longest.other_last);
        csv_cell(af.fp, buf);
        csv_sep(af.fp);
        strbuf links;
        sb_init(&links);
        for (size_t l = 0; p->link_only && l < p->links.n; l++) {
            if (l)
                sb_putc(&links, ' ');
            sb_puts(&links, p->links.v[l]);
        }
        csv_cell(af.fp, sb_str(&links));
        sb_free(&links);
        csv_eol(af.fp);
    }
    rc = afile_commit(&af, err);
    free(path);
    return rc;
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
            lines_str(a, sizeof a, p->longest.first_line, p->longest.last_line);
            lines_str(b, sizeof b, p->longest.other_first, p->longest.other_last);
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
                  status_of(p), p->group, p->share, p->known_share, p->format_share);
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

static int parse(int argc, char **argv, sim_opts *o)
{
    static const struct option longopts[] = {{"roster", required_argument, NULL, 'r'},
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
    gr_error err = {0};
    if (o.roster) {
        /* TODO(fetch): read each roster entry's post from submissions/<id>.git
         * through fetch.h once it is on main; FILE... mode does the rest. */
        gr_error_set(&err, GR_EUSAGE, o.roster, 0, 0,
                     "--roster is not available yet (it needs the fetch module); pass the "
                     "posts as files");
        return cmd_fail("similar", &err);
    }
    size_t n = (size_t)(argc - optind);
    bool progress = n >= 1000 && isatty(STDERR_FILENO);
    similar_doc *posts = calloc(n, sizeof *posts);
    similar_doc *known = NULL;
    similar_report *rep = NULL;
    char *known_dir = NULL, *csv_path = NULL;
    size_t nknown = 0;
    int rc = 0;
    if (!posts) {
        rc = gr_error_nomem(&err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        char *text;
        size_t len;
        const char *path = argv[optind + (int)i];
        if (progress && (i % 500 == 0 || i + 1 == n))
            fprintf(stderr, "\rreading posts %zu/%zu", i + 1, n);
        if ((rc = file_read(path, GR_MAX_INPUT, &text, &len, &err)))
            goto out;
        posts[i] = (similar_doc){.id = path, .text = text, .len = len};
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
    if ((rc = write_csv(o.outdir, posts, rep, &err)))
        goto out;
    if (!(csv_path = path_join(o.outdir, "similarity.csv"))) {
        rc = gr_error_nomem(&err);
        goto out;
    }
    if (o.json)
        print_json(posts, rep);
    else
        print_text(posts, rep, &o, nknown, csv_path);
out:
    if (rc && progress)
        fputc('\n', stderr);
    int status = rc ? cmd_fail("similar", &err)
                    : (rep->ngroups || rep->ntask || rep->nlink ? EXIT_BELOW : EXIT_PASS);
    for (size_t i = 0; posts && i < n; i++)
        free((char *)posts[i].text);
    free(posts);
    similar_docs_free(known, nknown);
    similar_report_free(rep);
    free(known_dir);
    free(csv_path);
    return status;
}
