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
        const git_tree_entry *e = git_tree_entry_byname(tree, comp);
        if (!e) {
            size_t n = git_tree_entrycount(tree);
            for (size_t i = 0; i < n && !e; i++) {
                const git_tree_entry *c = git_tree_entry_byindex(tree, i);
                if (!strcasecmp(git_tree_entry_name(c), comp))
                    e = c;
            }
            if (e)
                p->case_differs = true;
        }
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
        /* A regular or executable blob: check its size from the object
         * header before inflating anything. */
        git_odb *odb = NULL;
        size_t size = 0;
        git_object_t type;
        if (git_repository_odb(&odb, repo) < 0 ||
            git_odb_read_header(&size, &type, odb, git_tree_entry_id(e)) < 0) {
            git_odb_free(odb);
            rc = GR_EGIT;
            break;
        }
        git_odb_free(odb);
        if (type != GIT_OBJECT_BLOB) { /* a forged tree entry */
            post_set(p, FETCH_NO_POST, "%s is not a file", sb_str(&found));
            break;
        }
        if (size > cap) {
            post_set(p, FETCH_POST_TOO_LARGE, "%s is %zu bytes, over the %zu-byte cap",
                     sb_str(&found), size, cap);
            break;
        }
        p->status = FETCH_OK;
        p->len = size;
        if (want_data) {
            git_blob *blob = NULL;
            if (git_blob_lookup(&blob, repo, git_tree_entry_id(e)) < 0) {
                rc = GR_EGIT;
                break;
            }
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
        }
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
    else if ((rc = post_read_at(repo, commit, path, cap, true, out)) != 0) {
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
