/* feedback.c - one Markdown report per student. */
#define _GNU_SOURCE /* syncfs */
#include "feedback.h"

#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Text from the roster or the post, escaped so that it shows as written
 * and cannot turn into a link, an image, HTML or a heading. */
static void md_text(strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
        if (strchr("\\`*_[]<>#|!&", *s))
            sb_putc(sb, '\\');
        if (*s == '\n' || *s == '\r')
            sb_putc(sb, ' ');
        else
            sb_putc(sb, *s);
    }
}

/* s inside a code span: a backtick would end it early. */
static void md_code(strbuf *sb, const char *s)
{
    for (; s && *s; s++)
        sb_putc(sb, *s == '`' ? '\'' : *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* What the student can do, by status: written to the student (the
 * instructor's advice is in the manifest and docs/fetch.md). */
static const char *student_advice(const char *status)
{
    static const struct {
        const char *status, *text;
    } v[] = {
        {"no-repo", "No repository was found for you. Create it (or check its name) and "
                    "tell your instructor its address."},
        {"bad-url", "The repository address on the class list is not valid. Send your "
                    "instructor the right one."},
        {"auth-failed", "Your repository could not be read: it is private or does not exist. "
                        "Make it public (or give your instructor access)."},
        {"network", "Your repository could not be reached this time. Nothing is needed from "
                    "you; it will be tried again."},
        {"timeout", "Fetching your repository took too long. Check that it holds no large "
                    "files, and tell your instructor."},
        {"empty-repo", "Your repository has no commits. Commit your post and push it."},
        {"after-deadline", "Every commit in your repository is after the deadline, so there "
                           "was nothing to grade. Talk to your instructor."},
        {"no-post", "Your post was not found at the expected path in the graded commit. "
                    "Check the file name (case matters) and the folder, commit and push."},
        {"post-is-symlink", "Your post is a symbolic link, which is never followed. Commit "
                            "the file itself, not a link to it."},
        {"post-is-submodule", "Your post's path is a submodule. Commit the file itself."},
        {"post-is-dir", "Your post's path is a folder, not a file. Commit the file itself."},
        {"post-too-large", "Your post is over the size limit. Keep it to plain Markdown text "
                           "(images as separate files)."},
        {"misnamed", "Your post was found under another name (see above), and your "
                     "instructor grades only a post at the expected path. Rename it (git mv), "
                     "commit and push."},
        {"not-fetched", "Your repository has not been collected yet. Nothing is needed from "
                        "you if it is on the class list."},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (!strcmp(v[i].status, status))
            return v[i].text;
    return "Your submission could not be read. Tell your instructor.";
}

/* A link-only post: not a 0, the post is elsewhere and a person grades it. */
static void feedback_link_only(strbuf *sb, const rubric *rb, const grade_row *g, const char *doc)
{
    char t[32];
    sb_printf(sb, "**Score: to be given by your instructor** (out of %d).\n\n", rb->max_points);
    sb_puts(sb, "## What happened\n\n");
    sb_puts(sb, "Your post in the repository is only a link to a post published "
                "elsewhere, so it could not be checked against the rubric here. Your "
                "instructor will follow the link and grade it by hand:\n\n");
    for (size_t l = 0; g->sim && l < g->sim->links.n; l++) {
        sb_puts(sb, "- `");
        md_code(sb, g->sim->links.v[l]);
        sb_puts(sb, "`\n");
    }
    grade_format_time(g->commit_time, t, sizeof t);
    sb_printf(sb, "\nCommit looked at: `%.12s`%s%s%s.\n", g->commit, *t ? " (" : "", t,
              *t ? ")" : "");
    sb_printf(sb,
              "\nMake sure the link opens without an account. Next time, put the post "
              "itself in `%s`.\n",
              doc);
}

/* Nothing to grade: what happened and what to do. */
static void feedback_nothing(strbuf *sb, const rubric *rb, const grade_row *g, const char *doc)
{
    char t[32];
    sb_printf(sb, "**Score: 0/%d** - nothing could be graded (`%s`).\n\n", rb->max_points,
              g->status);
    sb_puts(sb, "## What happened\n\n");
    if (*g->detail) {
        md_text(sb, g->detail);
        sb_puts(sb, "\n\n");
    }
    sb_puts(sb, student_advice(g->status));
    sb_puts(sb, "\n\n");
    if (*g->repo) {
        sb_puts(sb, "Repository: ");
        md_text(sb, g->repo);
        sb_puts(sb, "\n");
    }
    if (*g->commit) {
        grade_format_time(g->commit_time, t, sizeof t);
        sb_printf(sb, "Commit looked at: `%.12s` (%s)\n", g->commit, t);
    }
    sb_printf(sb,
              "\nThe post is expected at `%s` in your repository. Check it yourself "
              "before the next run with `grader check`.\n",
              doc);
}

/* A graded post: the score, what was graded, and what to know about it. */
static void feedback_score(strbuf *sb, const cohort *c, const grade_row *g, const char *doc)
{
    const score_result *res = g->res;
    char t[32];
    sb_printf(sb, "**Score: %d/%d (%.0f%%)** - %s (pass mark %d%%).\n\n", res->points,
              res->max_points, res->percent, res->passed ? "passed" : "below the pass mark",
              c->rb->pass);
    grade_format_time(g->commit_time, t, sizeof t);
    sb_printf(sb, "Graded: `%s` at commit `%.12s`%s%s%s.\n", *g->path ? g->path : "post", g->commit,
              *t ? " (committed " : "", t, *t ? ")" : "");
    if (g->misnamed) {
        sb_puts(sb, "\n**Misnamed:** your post is not at `");
        md_code(sb, doc);
        sb_puts(sb, "`, where the assignment asks for it; the grader found it as `");
        md_code(sb, g->path);
        sb_puts(sb, "` and graded that file. Rename it (`git mv`) so the next run finds it "
                    "where it belongs.\n");
    } else if (*g->detail) { /* e.g. the post was found under another case */
        sb_puts(sb, "\nNote: ");
        md_text(sb, g->detail);
        sb_putc(sb, '\n');
    }
    if (g->late)
        sb_printf(sb,
                  "\n**Late:** %d commit%s made after the deadline %s not graded; the last "
                  "commit before the deadline was.\n",
                  g->late_commits, g->late_commits == 1 ? "" : "s",
                  g->late_commits == 1 ? "was" : "were");
    else if (c->deadline)
        sb_puts(sb, "\nOn time: nothing was committed after the deadline.\n");
    if (grade_task_text(g))
        sb_puts(sb, "\n**Note:** much of your post is the assignment's own text (its "
                    "instructions or format description) rather than your own writing. The "
                    "score above counts the sections found; your instructor will review the "
                    "post by hand.\n");
}

/* The criteria missed, with their hints. */
static void feedback_missed(strbuf *sb, const score_result *res, size_t missed)
{
    sb_printf(sb, "\n## To improve (%zu)\n\n", missed);
    for (size_t k = 0; k < res->n; k++) {
        const crit_result *cr = &res->items[k];
        if (cr->met)
            continue;
        sb_printf(sb, "- [ ] **%s** (0/%d%s)", cr->c->id, cr->c->points,
                  cr->c->bonus ? ", bonus" : "");
        if (cr->line)
            sb_printf(sb, " - line %d", cr->line);
        sb_puts(sb, ": ");
        md_text(sb, cr->message ? cr->message : cr->c->description);
        sb_puts(sb, "\n  ");
        if (cr->c->hint && *cr->c->hint) {
            sb_puts(sb, "Hint: ");
            md_text(sb, cr->c->hint);
        }
        sb_putc(sb, '\n');
    }
}

/* The criteria met, then the notes about the file. */
static void feedback_met(strbuf *sb, const score_result *res, size_t missed)
{
    if (missed < res->n) {
        sb_printf(sb, "\n## Done well (%zu)\n\n", res->n - missed);
        for (size_t k = 0; k < res->n; k++) {
            const crit_result *cr = &res->items[k];
            if (!cr->met)
                continue;
            sb_printf(sb, "- [x] **%s** (%d/%d)", cr->c->id, cr->points, cr->c->points);
            if (cr->c->description && *cr->c->description) {
                sb_puts(sb, ": ");
                md_text(sb, cr->c->description);
            }
            sb_putc(sb, '\n');
        }
    }
    if (res->nnotes) {
        sb_puts(sb, "\n## Notes about the file\n\n");
        for (size_t k = 0; k < res->nnotes; k++) {
            sb_puts(sb, "- ");
            md_text(sb, res->notes[k]);
            sb_putc(sb, '\n');
        }
    }
}

void feedback_markdown(strbuf *sb, const cohort *c, const grade_row *g)
{
    const rubric *rb = c->rb;
    const char *doc = c->document ? c->document : rb->document;
    sb_puts(sb, "# ");
    md_text(sb, rb->name && *rb->name ? rb->name : "Postmortem");
    sb_puts(sb, ": feedback for ");
    md_text(sb, *g->name ? g->name : g->id);
    sb_puts(sb, "\n\n");
    if (grade_link_only(g)) {
        feedback_link_only(sb, rb, g, doc);
        return;
    }
    if (!g->res) {
        feedback_nothing(sb, rb, g, doc);
        return;
    }
    feedback_score(sb, c, g, doc);
    size_t missed = 0;
    for (size_t k = 0; k < g->res->n; k++)
        missed += !g->res->items[k].met;
    if (missed)
        feedback_missed(sb, g->res, missed);
    feedback_met(sb, g->res, missed);
    sb_printf(sb, "\nRun `grader check` on your post to see the same result before you push.\n");
}

/* Unlink the files of a folder we wrote (no recursion: it only ever holds
 * <id>.md files), then the folder. Best effort. */
static void remove_flat_dir(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char *f = path_join(path, e->d_name);
            if (f)
                unlink(f);
            free(f);
        }
        closedir(d);
    }
    rmdir(path);
}

static int write_one(const char *path, const strbuf *sb, gr_error *err)
{
    FILE *fp = fopen(path, "wx");
    if (!fp)
        return gr_error_set(err, GR_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
    int bad = fwrite(sb_str(sb), 1, sb->len, fp) != sb->len || fflush(fp) != 0;
    int e = errno;
    if (fclose(fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    return bad ? gr_error_set(err, GR_EIO, path, 0, 0, "write failed: %s", strerror(e)) : 0;
}

/* The files go to a fresh "<dir>.tmp.<pid>", flushed to disk with one
 * syncfs (an fsync per file made 2,000 students take 15 s), and the folder
 * then replaces the old one: a failed run leaves the previous feedback
 * whole, never a mix of two runs. */
int feedback_write_all(const char *dir, const cohort *c, gr_error *err)
{
    size_t n = strlen(dir) + 32;
    char *tmp = malloc(n), *old = malloc(n);
    if (!tmp || !old) {
        free(tmp);
        free(old);
        return gr_error_nomem(err);
    }
    snprintf(tmp, n, "%s.tmp.%ld", dir, (long)getpid());
    snprintf(old, n, "%s.old.%ld", dir, (long)getpid());
    remove_flat_dir(tmp);
    int rc = mkdir_p(tmp, err);
    strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < c->n && !rc; i++) {
        sb_reset(&sb);
        feedback_markdown(&sb, c, &c->v[i]);
        /* ids are validated by the roster as safe file names. */
        size_t len = strlen(c->v[i].id) + 4;
        char name[len];
        snprintf(name, len, "%s.md", c->v[i].id);
        char *path = path_join(tmp, name);
        if (!path || sb_failed(&sb))
            rc = gr_error_nomem(err);
        else
            rc = write_one(path, &sb, err);
        free(path);
    }
    sb_free(&sb);
    if (!rc) {
        int fd = open(tmp, O_RDONLY | O_DIRECTORY);
        if (fd < 0 || syncfs(fd) != 0)
            rc = gr_error_set(err, GR_EIO, tmp, 0, 0, "cannot flush to disk: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    if (!rc) {
        struct stat st;
        bool had = lstat(dir, &st) == 0;
        if (had && rename(dir, old) != 0)
            rc = gr_error_set(err, GR_EIO, dir, 0, 0, "cannot replace: %s", strerror(errno));
        else if (rename(tmp, dir) != 0) {
            rc = gr_error_set(err, GR_EIO, dir, 0, 0, "cannot rename into place: %s",
                              strerror(errno));
            if (had)
                rename(old, dir);
        } else if (had)
            remove_flat_dir(old);
    }
    if (rc)
        remove_flat_dir(tmp);
    free(tmp);
    free(old);
    return rc;
}
