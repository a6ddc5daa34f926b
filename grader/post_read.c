/* post_read.c - a post read from a commit's tree, from the object database
 * only: the path component by component, exact name first, else the one
 * entry matching it case-insensitively; symlinks, submodules and folders
 * refused, the size checked from the object header before inflating. */
#include "post_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "score.h"
#include "util.h"

static void post_set(fetch_post *p, fetch_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void post_set(fetch_post *p, fetch_status st, const char *fmt, ...)
{
    p->status = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->detail, sizeof p->detail, fmt, ap);
    va_end(ap);
}

/* The entry named name, else the one matching it case-insensitively
 * (*case_differs then set); NULL when there is none. */
static const git_tree_entry *entry_named(const git_tree *tree, const char *name, bool *case_differs)
{
    const git_tree_entry *e = git_tree_entry_byname(tree, name);
    size_t n = e ? 0 : git_tree_entrycount(tree);
    for (size_t i = 0; i < n; i++) {
        const git_tree_entry *c = git_tree_entry_byindex(tree, i);
        if (!strcasecmp(git_tree_entry_name(c), name)) {
            *case_differs = true;
            return c;
        }
    }
    return e;
}

/* A regular or executable blob, shown as found: its size checked from the
 * object header before anything is inflated, then (want_data) its bytes. */
static int read_blob(git_repository *repo, const git_tree_entry *e, const char *found, size_t cap,
                     bool want_data, fetch_post *p)
{
    git_odb *odb = NULL;
    size_t size = 0;
    git_object_t type;
    if (git_repository_odb(&odb, repo) < 0 ||
        git_odb_read_header(&size, &type, odb, git_tree_entry_id(e)) < 0) {
        git_odb_free(odb);
        return GR_EGIT;
    }
    git_odb_free(odb);
    if (type != GIT_OBJECT_BLOB) { /* a forged tree entry */
        post_set(p, FETCH_NO_POST, "%s is not a file", found);
        return 0;
    }
    if (size > cap) {
        post_set(p, FETCH_POST_TOO_LARGE, "%s is %zu bytes, over the %zu-byte cap", found, size,
                 cap);
        return 0;
    }
    p->status = FETCH_OK;
    p->len = size;
    if (!want_data)
        return 0;
    git_blob *blob = NULL;
    if (git_blob_lookup(&blob, repo, git_tree_entry_id(e)) < 0)
        return GR_EGIT;
    int rc = 0;
    size_t n = (size_t)git_blob_rawsize(blob);
    p->data = n <= cap ? malloc(n + 1) : NULL;
    if (p->data) {
        memcpy(p->data, git_blob_rawcontent(blob), n);
        p->data[n] = '\0';
        p->len = n;
    } else {
        rc = n <= cap ? GR_ENOMEM : GR_ELIMIT;
    }
    git_blob_free(blob);
    return rc;
}

int post_read_at(git_repository *repo, const git_commit *commit, const char *path, size_t cap,
                 bool want_data, fetch_post *p)
{
    memset(p, 0, sizeof *p);
    git_tree *tree = NULL;
    if (git_commit_tree(&tree, commit) < 0)
        return GR_EGIT;
    strbuf found;
    sb_init(&found);
    char *copy = strdup(path);
    int rc = copy ? 0 : GR_ENOMEM;
    char *save = NULL, *comp = copy ? strtok_r(copy, "/", &save) : NULL;
    if (copy && !comp)
        post_set(p, FETCH_NO_POST, "empty path");
    while (comp && !rc) {
        char *next = strtok_r(NULL, "/", &save);
        if (!strcmp(comp, ".") || !strcmp(comp, "..")) {
            post_set(p, FETCH_NO_POST, "'%s' is not allowed in the post's path", comp);
            break;
        }
        const git_tree_entry *e = entry_named(tree, comp, &p->case_differs);
        if (found.len)
            sb_putc(&found, '/');
        sb_puts(&found, e ? git_tree_entry_name(e) : comp);
        if (!e) {
            post_set(p, FETCH_NO_POST, "%s is not in the graded commit", sb_str(&found));
            break;
        }
        git_filemode_t mode = git_tree_entry_filemode(e);
        if (mode == GIT_FILEMODE_LINK) {
            post_set(p, FETCH_POST_IS_SYMLINK, "%s is a symbolic link (not followed)",
                     sb_str(&found));
            break;
        }
        if (mode == GIT_FILEMODE_COMMIT) {
            post_set(p, FETCH_POST_IS_SUBMODULE, "%s is a submodule", sb_str(&found));
            break;
        }
        if (next) {
            if (mode != GIT_FILEMODE_TREE) {
                post_set(p, FETCH_NO_POST, "%s is a file, not a folder", sb_str(&found));
                break;
            }
            git_tree *sub = NULL;
            if (git_tree_lookup(&sub, repo, git_tree_entry_id(e)) < 0) {
                rc = GR_EGIT;
                break;
            }
            git_tree_free(tree);
            tree = sub;
            comp = next;
            continue;
        }
        if (mode == GIT_FILEMODE_TREE) {
            post_set(p, FETCH_POST_IS_DIR, "%s is a folder", sb_str(&found));
            break;
        }
        rc = read_blob(repo, e, sb_str(&found), cap, want_data, p);
        break;
    }
    free(copy);
    git_tree_free(tree);
    if (!rc && (p->status == FETCH_OK || p->case_differs || found.len)) {
        p->path = sb_detach(&found);
        if (!p->path)
            rc = GR_ENOMEM;
    }
    sb_free(&found);
    if (!rc && p->status == FETCH_OK && p->case_differs)
        snprintf(p->detail, sizeof p->detail, "found as %s (case differs from %s)", p->path, path);
    return rc;
}

void fetch_post_free(fetch_post *p)
{
    if (!p)
        return;
    free(p->data);
    free(p->path);
    p->data = p->path = NULL;
}

static const char *git_msg(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

int fetch_read_post(const char *repo_dir, const char *commit_hex, const char *path, size_t cap,
                    fetch_post *out, gr_error *err)
{
    return post_find(repo_dir, commit_hex, path, cap, NULL, out, err);
}

int post_find(const char *repo_dir, const char *commit_hex, const char *path, size_t cap,
              const post_search *ps, fetch_post *out, gr_error *err)
{
    memset(out, 0, sizeof *out);
    git_libgit2_init();
    git_repository *repo = NULL;
    git_commit *commit = NULL;
    git_oid oid;
    int rc = 0;
    if (git_repository_open_ext(&repo, repo_dir,
                                GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, NULL) < 0)
        rc = gr_error_set(err, GR_EINPUT, repo_dir, 0, 0, "not a Git repository: %s", git_msg());
    else if (strlen(commit_hex) != GIT_OID_HEXSZ || git_oid_fromstr(&oid, commit_hex) < 0)
        rc = gr_error_set(err, GR_EINPUT, repo_dir, 0, 0, "'%s' is not a commit id", commit_hex);
    else if (git_commit_lookup(&commit, repo, &oid) < 0)
        rc = gr_error_set(err, GR_EINPUT, repo_dir, 0, 0, "commit %.12s not found: %s", commit_hex,
                          git_msg());
    else if ((rc = post_find_at(repo, commit, path, cap, true, ps, out)) != 0) {
        rc = rc == GR_ENOMEM ? gr_error_nomem(err)
                             : gr_error_set(err, rc, repo_dir, 0, 0, "cannot read %s at %.12s: %s",
                                            path, commit_hex, git_msg());
        fetch_post_free(out);
    }
    git_commit_free(commit);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}

/* ---- the search for a misnamed post ---------------------------------------- */

static bool is_markdown_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 3 && !strcasecmp(name + n - 3, ".md")) ||
           (n > 9 && !strcasecmp(name + n - 9, ".markdown"));
}

/* Does the text read like a post? 0 with *points, or *why when it is not
 * one; an error only when out of memory. */
static int judge(const post_search *ps, const char *path, const char *data, size_t len, int *points,
                 const char **why)
{
    *points = 0;
    *why = NULL;
    int rc = similar_link_only(data, len, NULL, NULL);
    if (rc < 0)
        return rc;
    if (rc) {
        *why = "only a link";
        return 0;
    }
    gr_error e = {0};
    if (ps->nknown) {
        similar_opts so;
        similar_opts_default(&so);
        similar_doc d = {.id = path, .text = data, .len = len};
        similar_report *rep = NULL;
        if ((rc = similar_run(&d, 1, ps->known, ps->nknown, &so, &rep, &e)) != 0)
            return rc;
        bool task = rep->nposts && rep->posts[0].task_text;
        similar_report_free(rep);
        if (task) {
            *why = "the assignment's own text";
            return 0;
        }
    }
    score_result *res = NULL;
    if ((rc = score_post(ps->rb, path, data, len, &res, &e)) != 0) {
        if (rc == GR_ENOMEM)
            return rc;
        *why = "unreadable";
        return 0;
    }
    bool has_section = false, section = false;
    for (size_t k = 0; k < res->n; k++)
        if (res->items[k].c->kind == CHECK_SECTION) {
            has_section = true;
            section |= res->items[k].met;
        }
    if (res->points <= 0 || (has_section && !section))
        *why = "no section of a postmortem";
    else
        *points = res->points;
    score_result_free(res);
    return 0;
}

/* The folder part of path ("" for the root) as it really is in the tree. */
static int folder_tree(git_repository *repo, const git_commit *commit, const char *path, size_t cap,
                       git_tree **out, char **real)
{
    *out = NULL;
    *real = NULL;
    const char *slash = strrchr(path, '/');
    if (!slash)
        return git_commit_tree(out, commit) < 0 ? GR_EGIT : (*real = strdup("")) ? 0 : GR_ENOMEM;
    char *dir = strndup(path, (size_t)(slash - path));
    if (!dir)
        return GR_ENOMEM;
    fetch_post d;
    int rc = post_read_at(repo, commit, dir, cap, false, &d);
    free(dir);
    if (!rc && d.status == FETCH_POST_IS_DIR && d.path) {
        git_tree *root = NULL;
        git_tree_entry *e = NULL;
        if (git_commit_tree(&root, commit) < 0 || git_tree_entry_bypath(&e, root, d.path) < 0 ||
            git_tree_lookup(out, repo, git_tree_entry_id(e)) < 0)
            rc = GR_EGIT;
        git_tree_entry_free(e);
        git_tree_free(root);
        if (!rc) {
            *real = d.path;
            d.path = NULL;
        }
    }
    fetch_post_free(&d);
    return rc;
}

/* What the search saw, for the detail when nothing was taken. */
typedef struct seen {
    strbuf why;        /* the first few "name (why not)" */
    size_t n, skipped; /* candidates read; Markdown files over POST_MAX_CANDIDATES */
    size_t listed;
} seen;

/* Read and judge one candidate; it replaces *best when it beats it. */
static int consider(git_repository *repo, const git_commit *commit, const post_search *ps,
                    const char *full, size_t cap, bool alt, fetch_post *best, int *best_points,
                    bool *best_alt, seen *s)
{
    fetch_post c;
    int rc = post_read_at(repo, commit, full, cap, true, &c);
    if (rc || !c.path || (c.status != FETCH_OK && c.status != FETCH_POST_TOO_LARGE)) {
        fetch_post_free(&c);
        return rc == GR_ENOMEM ? rc : 0; /* absent, a link, a submodule: not a candidate */
    }
    const char *name = strrchr(c.path, '/') ? strrchr(c.path, '/') + 1 : c.path;
    int points = 0;
    const char *why = c.status == FETCH_POST_TOO_LARGE ? "over the size cap" : NULL;
    if (!why && (rc = judge(ps, c.path, c.data, c.len, &points, &why)) != 0) {
        fetch_post_free(&c);
        return rc;
    }
    s->n++;
    if (why) {
        if (s->listed++ < 3)
            sb_printf(&s->why, "%s%s (%s)", s->why.len ? ", " : "", name, why);
    } else if (!best->path || (!alt && !*best_alt && points > *best_points)) {
        fetch_post_free(best);
        *best = c;
        *best_points = points;
        *best_alt = alt;
        return 0;
    }
    fetch_post_free(&c);
    return 0;
}

/* Already looked at as one of the rubric's alternatives. */
static bool is_alternative(const post_search *ps, const char *name)
{
    for (size_t a = 0; a < ps->nalternatives; a++)
        if (!strcasecmp(ps->alternatives[a], name))
            return true;
    return false;
}

static int search(git_repository *repo, const git_commit *commit, const char *path, size_t cap,
                  const post_search *ps, fetch_post *p)
{
    git_tree *tree = NULL;
    char *dir = NULL;
    int rc = folder_tree(repo, commit, path, cap, &tree, &dir);
    if (rc || !tree) {
        free(dir);
        return rc;
    }
    fetch_post best = {0};
    int best_points = 0;
    bool best_alt = false;
    seen s = {0};
    sb_init(&s.why);
    strbuf full;
    sb_init(&full);
    for (size_t a = 0; a < ps->nalternatives && !rc && !best.path; a++) {
        sb_reset(&full);
        sb_printf(&full, "%s%s%s", dir, *dir ? "/" : "", ps->alternatives[a]);
        rc = sb_failed(&full) ? GR_ENOMEM
                              : consider(repo, commit, ps, sb_str(&full), cap, true, &best,
                                         &best_points, &best_alt, &s);
    }
    size_t n = ps->folder && !best.path ? git_tree_entrycount(tree) : 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const git_tree_entry *e = git_tree_entry_byindex(tree, i);
        git_filemode_t mode = git_tree_entry_filemode(e);
        if ((mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) ||
            !is_markdown_name(git_tree_entry_name(e)) || is_alternative(ps, git_tree_entry_name(e)))
            continue;
        if (s.n >= POST_MAX_CANDIDATES) {
            s.skipped++;
            continue;
        }
        sb_reset(&full);
        sb_printf(&full, "%s%s%s", dir, *dir ? "/" : "", git_tree_entry_name(e));
        rc = sb_failed(&full) ? GR_ENOMEM
                              : consider(repo, commit, ps, sb_str(&full), cap, false, &best,
                                         &best_points, &best_alt, &s);
    }
    if (!rc && best.path) {
        char asked[sizeof p->detail / 2];
        snprintf(asked, sizeof asked, "%s", path);
        fetch_post_free(p);
        *p = best;
        best = (fetch_post){0};
        p->misnamed = !best_alt;
        p->case_differs = false;
        if (best_alt)
            snprintf(p->detail, sizeof p->detail, "found as %s, an alternative name of %s", p->path,
                     asked);
        else
            snprintf(p->detail, sizeof p->detail,
                     "misnamed: %s is not in the graded commit; graded %s, the folder's Markdown "
                     "file that reads most like a postmortem",
                     asked, p->path);
    } else if (!rc && s.n) {
        size_t len = strlen(p->detail);
        snprintf(p->detail + len, sizeof p->detail - len,
                 "; the folder's other Markdown files are not a post: %s", sb_str(&s.why));
        if (s.listed > 3) {
            len = strlen(p->detail);
            snprintf(p->detail + len, sizeof p->detail - len, " and %zu more", s.listed - 3);
        }
    }
    if (!rc && s.skipped) {
        size_t len = strlen(p->detail);
        snprintf(p->detail + len, sizeof p->detail - len, " (%zu more Markdown files not read)",
                 s.skipped);
    }
    fetch_post_free(&best);
    sb_free(&s.why);
    sb_free(&full);
    git_tree_free(tree);
    free(dir);
    return rc;
}

void post_search_init(post_search *ps, const rubric *rb, const similar_doc *known, size_t nknown)
{
    *ps = (post_search){.rb = rb, .known = known, .nknown = nknown};
    if (rb) {
        ps->alternatives = (const char *const *)rb->document_alternatives;
        ps->nalternatives = rb->ndocument_alternatives;
        ps->folder = rb->document_search;
    }
}

int post_find_at(git_repository *repo, const git_commit *commit, const char *path, size_t cap,
                 bool want_data, const post_search *ps, fetch_post *p)
{
    int rc = post_read_at(repo, commit, path, cap, want_data, p);
    if (rc || p->status != FETCH_NO_POST || !ps || !ps->rb)
        return rc;
    if ((rc = search(repo, commit, path, cap, ps, p)) != 0) {
        fetch_post_free(p);
        return rc;
    }
    if (!want_data && p->data) {
        free(p->data);
        p->data = NULL;
    }
    return 0;
}
