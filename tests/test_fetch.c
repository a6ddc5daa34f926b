/* Unit tests for fetch.c: local repositories made with git in a temporary
 * folder, fetched through file:// URLs; two tiny local servers (one that
 * stalls, one that always asks for credentials) stand in for the network. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fetch.h"
#include "post_read.h"
#include "roster.h"
#include "testutil.h"
#include "util.h"

static char *dir; /* the test's temporary folder */
static char into[4200];

static void setup(void)
{
    dir = tu_tmpdir();
    snprintf(into, sizeof into, "%s/submissions", dir);
    /* A predictable git: no user or system configuration. */
    setenv("HOME", dir, 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    setenv("GIT_AUTHOR_NAME", "Student", 1);
    setenv("GIT_AUTHOR_EMAIL", "s@example.org", 1);
    setenv("GIT_COMMITTER_NAME", "Student", 1);
    setenv("GIT_COMMITTER_EMAIL", "s@example.org", 1);
    unsetenv("GRADER_TOKEN");
    unsetenv("GITHUB_TOKEN");
    /* the local fake servers must be reached directly */
    const char *proxies[] = {"http_proxy",  "https_proxy", "HTTP_PROXY",
                             "HTTPS_PROXY", "all_proxy",   "ALL_PROXY"};
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
}

/* Run a shell command in the test folder; fail the test if it fails. */
#define SH(...) ck_assert_int_eq(tu_sh("cd '%s' && " FIRST(__VA_ARGS__), dir REST(__VA_ARGS__)), 0)
#define FIRST(a, ...) a
#define REST(a, ...) , ##__VA_ARGS__

/* A repository src/<name> on branch main with one commit of Blog_Post.md
 * dated `date` (committer time). */
static void make_repo(const char *name, const char *text, const char *date)
{
    SH("git init -q -b main src/%s && cd src/%s && printf '%%s' '%s' > Blog_Post.md && git add "
       "-A && GIT_COMMITTER_DATE='%s' git commit -qm first",
       name, name, text, date);
}

static void commit_in(const char *name, const char *script, const char *date)
{
    SH("cd src/%s && %s && git add -A && GIT_COMMITTER_DATE='%s' git commit -q --allow-empty -m "
       "next",
       name, script, date);
}

static char *head_of(const char *name)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "git -C '%s/src/%s' rev-parse HEAD", dir, name);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char buf[64] = "";
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, p));
    pclose(p);
    buf[strcspn(buf, "\n")] = '\0';
    return strdup(buf);
}

static fetch_opts default_opts(void)
{
    return (fetch_opts){.into = into,
                        .path = "Blog_Post.md",
                        .jobs = 4,
                        .timeout = 60,
                        .retries = 0,
                        .max_post = 4096};
}

/* Fetch a roster whose rows follow "id,repo\n"; *r keeps the roster. */
static fetch_result *run(const char *rows, const fetch_opts *o, roster **r)
{
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "id,repo\n%s", rows);
    tu_write(dir, "roster.csv", sb_str(&sb));
    sb_free(&sb);
    char *p = path_join(dir, "roster.csv");
    gr_error err = {0};
    ck_assert_msg(roster_load(p, NULL, r, &err) == 0, "%s", err.msg);
    free(p);
    fetch_result *res = NULL;
    ck_assert_msg(fetch_cohort(*r, o, &res, &err) == 0, "%s", err.msg);
    ck_assert_ptr_nonnull(res);
    return res;
}

/* Fetch one student ("s") from url. */
static fetch_result *run_one(const char *url, const fetch_opts *o, roster **r)
{
    char row[4600];
    snprintf(row, sizeof row, "s,%s\n", url);
    return run(row, o, r);
}

static char *file_url(const char *name)
{
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "file://%s/src/%s", dir, name);
    return sb_detach(&sb);
}

static char *read_post_of(const char *id, const char *commit)
{
    char *repo = fetch_repo_dir(into, id);
    fetch_post p;
    gr_error err = {0};
    ck_assert_msg(fetch_read_post(repo, commit, "Blog_Post.md", 4096, &p, &err) == 0, "%s",
                  err.msg);
    free(repo);
    ck_assert_int_eq(p.status, FETCH_OK);
    char *s = p.data;
    p.data = NULL;
    fetch_post_free(&p);
    return s;
}

/* The student "s" is graded at commit and its post reads text. */
static void expect_graded(const fetch_result *f, const char *commit, const char *text)
{
    ck_assert_msg(f->status == FETCH_OK, "%s (%s)", fetch_status_name(f->status), f->detail);
    ck_assert_str_eq(f->commit, commit);
    char *post = read_post_of(f->id, f->commit);
    ck_assert_str_eq(post, text);
    free(post);
}

static void drop(fetch_result *res, roster *r)
{
    fetch_results_free(res, r->n);
    roster_free(r);
}

START_TEST(first_clone_is_bare_and_reads_the_post)
{
    make_repo("alice", "# My post\n", "2024-04-10T10:00:00Z");
    char *url = file_url("alice"), *head = head_of("alice");
    fetch_opts o = default_opts();
    roster *r;
    fetch_result *res = run_one(url, &o, &r);
    expect_graded(&res[0], head, "# My post\n");
    ck_assert_int_eq(res[0].commit_time, 1712743200);
    ck_assert(!res[0].late);
    ck_assert_str_eq(res[0].path, "Blog_Post.md");
    ck_assert_str_eq(res[0].repo, url);
    ck_assert_int_gt(res[0].first_seen, 0);
    /* bare, no worktree, no temporary left */
    ck_assert_int_eq(
        tu_sh("test \"$(git -C '%s/s.git' rev-parse --is-bare-repository)\" = true", into), 0);
    ck_assert_int_eq(
        tu_sh("test ! -e '%s/s.git/Blog_Post.md' && test ! -e '%s/.s.git.tmp'", into, into), 0);
    drop(res, r);
    free(url);
    free(head);
}
END_TEST

START_TEST(refetch_after_new_commit_and_force_push)
{
    make_repo("bob", "v1\n", "2024-04-10T10:00:00Z");
    char *url = file_url("bob");
    fetch_opts o = default_opts();
    roster *r;
    fetch_result *res = run_one(url, &o, &r);
    ck_assert_int_eq(res[0].status, FETCH_OK);
    drop(res, r);

    commit_in("bob", "printf 'v2\\n' > Blog_Post.md", "2024-04-11T10:00:00Z");
    char *head = head_of("bob");
    res = run_one(url, &o, &r);
    expect_graded(&res[0], head, "v2\n"); /* not the commit of the first clone */
    free(head);
    drop(res, r);

    /* history rewritten: the forced update is followed */
    SH("cd src/bob && git reset -q --hard HEAD~1 && printf 'v3\\n' > Blog_Post.md && git commit "
       "-qam rewrite");
    head = head_of("bob");
    res = run_one(url, &o, &r);
    expect_graded(&res[0], head, "v3\n");
    free(head);
    drop(res, r);
    free(url);
}
END_TEST

START_TEST(unchanged_refetch_rewrites_nothing_and_keeps_first_seen)
{
    make_repo("carl", "post\n", "2024-04-10T10:00:00Z");
    char *url = file_url("carl");
    fetch_opts o = default_opts();
    roster *r;
    fetch_result *res = run_one(url, &o, &r);
    gr_error err = {0};
    char *manifest = path_join(into, "manifest.csv");
    ck_assert_int_eq(fetch_manifest_write(manifest, res, r->n, &err), 0);
    /* pretend the first run was long ago */
    res[0].first_seen = 1000000000;
    ck_assert_int_eq(fetch_manifest_write(manifest, res, r->n, &err), 0);
    char *commit = strdup(res[0].commit);
    drop(res, r);

    struct stat before, after;
    char *ref = path_join(into, "s.git/refs/heads/main");
    ck_assert_int_eq(stat(ref, &before), 0);
    sleep(1); /* so that a rewrite would show in the modification time */
    res = run_one(url, &o, &r);
    ck_assert_int_eq(res[0].status, FETCH_OK);
    ck_assert_str_eq(res[0].commit, commit);
    ck_assert_int_eq(res[0].first_seen, 1000000000);
    ck_assert_int_eq(stat(ref, &after), 0);
    ck_assert_int_eq(before.st_ino, after.st_ino);
    ck_assert_int_eq(before.st_mtime, after.st_mtime);
    drop(res, r);
    free(ref);
    free(commit);
    free(manifest);
    free(url);
}
END_TEST

START_TEST(deadline_picks_newest_commit_before_and_counts_late_ones)
{
    make_repo("dora", "early\n", "2024-04-10T10:00:00Z");
    char *on_time = head_of("dora");
    commit_in("dora", "printf 'late\\n' > Blog_Post.md", "2024-04-13T10:00:00Z");
    commit_in("dora", "printf 'later\\n' > Blog_Post.md", "2024-04-14T10:00:00Z");
    char *url = file_url("dora");
    fetch_opts o = default_opts();
    gr_error err = {0};
    ck_assert_int_eq(fetch_parse_time("2024-04-12T23:59:00Z", &o.deadline, &err), 0);
    o.has_deadline = true;
    roster *r;
    fetch_result *res = run_one(url, &o, &r);
    expect_graded(&res[0], on_time, "early\n");
    ck_assert(res[0].late);
    ck_assert_int_eq(res[0].late_commits, 2);
    drop(res, r);

    /* a deadline before every commit: nothing to grade */
    ck_assert_int_eq(fetch_parse_time("2024-04-01T00:00:00+02:00", &o.deadline, &err), 0);
    res = run_one(url, &o, &r);
    ck_assert_str_eq(fetch_status_name(res[0].status), "after-deadline");
    ck_assert_int_eq(res[0].late_commits, 3);
    ck_assert_str_eq(res[0].commit, "");
    drop(res, r);

    /* a deadline after every commit: the tip, on time */
    ck_assert_int_eq(fetch_parse_time("2024-05-01T00:00:00Z", &o.deadline, &err), 0);
    res = run_one(url, &o, &r);
    char *tip = head_of("dora");
    ck_assert_str_eq(res[0].commit, tip);
    ck_assert(!res[0].late);
    drop(res, r);
    free(tip);
    free(on_time);
    free(url);
}
END_TEST

/* Post problems, one student each, in one batch (-j 4, roster order). */
START_TEST(post_problems_have_their_status)
{
    SH("git init -q -b main src/none && cd src/none && echo x > README.md && git add -A && git "
       "commit -qm c");
    SH("git init -q -b main src/link && cd src/link && ln -s /etc/passwd Blog_Post.md && git add "
       "-A && git commit -qm c");
    SH("git init -q -b main src/dir && cd src/dir && mkdir Blog_Post.md && echo x > "
       "Blog_Post.md/a && git add -A && git commit -qm c");
    SH("git init -q -b main src/big && cd src/big && head -c 5000 /dev/zero | tr '\\0' a > "
       "Blog_Post.md && git add -A && git commit -qm c");
    SH("git init -q -b main src/case && cd src/case && echo hi > BLOG_POST.MD && git add -A && "
       "git commit -qm c");
    SH("git init -q -b main src/sub && cd src/sub && echo x > README.md && git add -A && git "
       "commit -qm c && git update-index --add --cacheinfo 160000,$(git rev-parse HEAD),"
       "Blog_Post.md && git commit -qm sub");
    SH("git init -q -b main src/linkdir && cd src/linkdir && mkdir real && echo x > "
       "real/Blog_Post.md && ln -s real docs && git add -A && git commit -qm c");
    SH("git init -q --bare src/empty.git");
    strbuf rows;
    sb_init(&rows);
    const char *names[] = {"none", "link", "dir", "big", "case", "sub", "empty.git"};
    for (size_t i = 0; i < 7; i++)
        sb_printf(&rows, "s%zu,file://%s/src/%s\n", i, dir, names[i]);
    sb_printf(&rows, "s7,file://%s/src/missing\n", dir);
    sb_printf(&rows, "s8,htps://example.org/x\n");
    sb_printf(&rows, "s9,github.com/alice/repo\n");
    sb_printf(&rows, "s10,\n");
    fetch_opts o = default_opts();
    roster *r;
    fetch_result *res = run(sb_str(&rows), &o, &r);
    const char *want[] = {"no-post", "post-is-symlink",   "post-is-dir", "post-too-large",
                          "ok",      "post-is-submodule", "empty-repo",  "no-repo",
                          "bad-url", "bad-url",           "no-repo"};
    ck_assert_uint_eq(r->n, 11);
    for (size_t i = 0; i < r->n; i++) {
        char id[32];
        snprintf(id, sizeof id, "s%zu", i);
        ck_assert_str_eq(res[i].id, id);
        ck_assert_msg(!strcmp(fetch_status_name(res[i].status), want[i]), "%s: %s (%s), want %s",
                      id, fetch_status_name(res[i].status), res[i].detail, want[i]);
    }
    ck_assert_str_eq(res[4].path, "BLOG_POST.MD");
    ck_assert(strstr(res[4].detail, "case") != NULL);
    ck_assert(strstr(res[3].detail, "5000 bytes") != NULL);
    /* an empty repository is kept, so the next run only fetches */
    ck_assert_int_eq(tu_sh("test -d '%s/s6.git' && test ! -e '%s/s7.git'", into, into), 0);
    drop(res, r);

    /* a symlinked folder on the path is not followed either */
    o.path = "docs/Blog_Post.md";
    sb_reset(&rows);
    sb_printf(&rows, "s,file://%s/src/linkdir\n", dir);
    res = run(sb_str(&rows), &o, &r);
    ck_assert_msg(res[0].status == FETCH_POST_IS_SYMLINK, "%s (%s)",
                  fetch_status_name(res[0].status), res[0].detail);
    drop(res, r);
    sb_free(&rows);
}
END_TEST

/* A tree entry of mode 100644 naming a tree object: only a forged
 * repository has one. */
START_TEST(forged_entry_is_not_read_as_a_post)
{
    SH("git init -q -b main src/forged && git -C src/forged hash-object -w -t tree /dev/null "
       ">/dev/null");
    static const char empty_tree[] = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    char entry[64] = "100644 Blog_Post.md";
    size_t n = strlen(entry) + 1; /* the NUL ends the name */
    for (int i = 0; i < 20; i++) {
        unsigned v;
        sscanf(empty_tree + 2 * i, "%2x", &v);
        entry[n++] = (char)v;
    }
    char *bin = path_join(dir, "tree.bin");
    FILE *fp = fopen(bin, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(entry, 1, n, fp), n);
    fclose(fp);
    SH("cd src/forged && t=$(git hash-object -w --literally -t tree ../../tree.bin) && "
       "c=$(git commit-tree $t -m forged) && git update-ref refs/heads/main $c");
    free(bin);
    char *url = file_url("forged");
    fetch_opts o = default_opts();
    roster *r;
    fetch_result *res = run_one(url, &o, &r);
    ck_assert_msg(res[0].status == FETCH_NO_POST, "%s (%s)", fetch_status_name(res[0].status),
                  res[0].detail);
    ck_assert(strstr(res[0].detail, "not a file") != NULL);
    drop(res, r);
    free(url);
}
END_TEST

START_TEST(default_branch_is_followed)
{
    SH("git init -q -b trunk src/t && cd src/t && echo on-trunk > Blog_Post.md && git add -A && "
       "git commit -qm c && git checkout -q -b other && echo on-other > Blog_Post.md && git "
       "commit -qam o && git checkout -q trunk");
    char *url = file_url("t"), *head = head_of("t");
    fetch_opts o = default_opts();
    roster *r;
    fetch_result *res = run_one(url, &o, &r);
    expect_graded(&res[0], head, "on-trunk\n");
    drop(res, r);
    free(url);
    free(head);
}
END_TEST

START_TEST(read_post_errors)
{
    make_repo("e", "x", "2024-04-10T10:00:00Z");
    char *url = file_url("e");
    fetch_opts o = default_opts();
    roster *r;
    fetch_result *res = run_one(url, &o, &r);
    char *repo = fetch_repo_dir(into, "s");
    fetch_post p;
    gr_error err = {0};
    ck_assert_int_eq(fetch_read_post(repo, "not-a-commit", "Blog_Post.md", 10, &p, &err),
                     GR_EINPUT);
    ck_assert_int_eq(fetch_read_post(repo, "0123456789012345678901234567890123456789",
                                     "Blog_Post.md", 10, &p, &err),
                     GR_EINPUT);
    ck_assert_int_eq(fetch_read_post(dir, res[0].commit, "Blog_Post.md", 10, &p, &err), GR_EINPUT);
    ck_assert_int_eq(fetch_read_post(repo, res[0].commit, "nope.md", 10, &p, &err), 0);
    ck_assert_int_eq(p.status, FETCH_NO_POST);
    ck_assert_ptr_null(p.data);
    fetch_post_free(&p);
    ck_assert_int_eq(fetch_read_post(repo, res[0].commit, "Blog_Post.md", 0, &p, &err), 0);
    ck_assert_int_eq(p.status, FETCH_POST_TOO_LARGE);
    ck_assert_ptr_null(p.data);
    fetch_post_free(&p);
    ck_assert_int_eq(fetch_read_post(repo, res[0].commit, "../Blog_Post.md", 10, &p, &err), 0);
    ck_assert_int_eq(p.status, FETCH_NO_POST);
    fetch_post_free(&p);
    free(repo);
    drop(res, r);
    free(url);
}
END_TEST

START_TEST(manifest_round_trip_and_errors)
{
    make_repo("m", "x", "2024-04-10T10:00:00Z");
    char *url = file_url("m");
    fetch_opts o = default_opts();
    o.path = "nope.md";
    roster *r;
    char rows[4600];
    snprintf(rows, sizeof rows, "s,%s\nt,\n", url);
    fetch_result *res = run(rows, &o, &r);
    char *mp = path_join(dir, "manifest.csv");
    gr_error err = {0};
    ck_assert_int_eq(fetch_manifest_write(mp, res, r->n, &err), 0);
    fetch_manifest *m = NULL;
    ck_assert_msg(fetch_manifest_load(mp, &m, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(m->n, 2);
    const fetch_result *a = fetch_manifest_find(m, "s");
    ck_assert_ptr_nonnull(a);
    ck_assert_int_eq(a->status, FETCH_NO_POST);
    ck_assert_str_eq(a->commit, res[0].commit);
    ck_assert_int_eq(a->commit_time, res[0].commit_time);
    ck_assert_int_eq(a->first_seen, res[0].first_seen);
    ck_assert_str_eq(a->path, "nope.md");
    ck_assert_str_eq(a->detail, res[0].detail);
    ck_assert_int_eq(fetch_manifest_find(m, "t")->status, FETCH_NO_REPO);
    ck_assert_ptr_null(fetch_manifest_find(m, "u"));
    fetch_manifest_free(m);

    tu_write(dir, "bad.csv",
             "id,repo,status,commit,commit_time,late,late_commits,path,first_seen,detail\n"
             "a,/r/a,ok,,,no,0,p,,\n"
             "b,/r/b,weird,,,no,0,p,,\n");
    char *bad = path_join(dir, "bad.csv");
    ck_assert_int_eq(fetch_manifest_load(bad, &m, &err), GR_EINPUT);
    ck_assert_int_eq(err.line, 3);
    ck_assert(strstr(err.msg, "weird") != NULL);
    tu_write(dir, "bad.csv", "id,repo\na,/r/a\n");
    ck_assert_int_eq(fetch_manifest_load(bad, &m, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "not a grader manifest") != NULL);
    free(bad);
    free(mp);
    drop(res, r);
    free(url);
}
END_TEST

START_TEST(results_in_roster_order_whatever_jobs)
{
    strbuf rows;
    sb_init(&rows);
    for (int i = 0; i < 12; i++) {
        char name[32];
        snprintf(name, sizeof name, "r%02d", i);
        if (i % 3)
            make_repo(name, name, "2024-04-10T10:00:00Z");
        sb_printf(&rows, "%s,file://%s/src/%s\n", name, dir, name);
    }
    fetch_opts o = default_opts();
    o.jobs = 1;
    roster *r1, *r8;
    fetch_result *a = run(sb_str(&rows), &o, &r1);
    tu_rmtree(into);
    o.jobs = 8;
    fetch_result *b = run(sb_str(&rows), &o, &r8);
    for (size_t i = 0; i < 12; i++) {
        ck_assert_str_eq(a[i].id, b[i].id);
        ck_assert_str_eq(a[i].id, r1->v[i].id);
        ck_assert_msg(a[i].status == b[i].status, "%s: %s (%s) with -j1, %s (%s) with -j8", a[i].id,
                      fetch_status_name(a[i].status), a[i].detail, fetch_status_name(b[i].status),
                      b[i].detail);
        ck_assert_int_eq(a[i].status, i % 3 ? FETCH_OK : FETCH_NO_REPO);
        ck_assert_str_eq(a[i].commit, b[i].commit);
    }
    fetch_results_free(a, r1->n);
    fetch_results_free(b, r8->n);
    roster_free(r1);
    roster_free(r8);
    sb_free(&rows);
}
END_TEST

/* A server that accepts connections and never answers. */
static int listen_local(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(fd, 16), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

START_TEST(timeout_kills_a_stalled_fetch)
{
    int port, fd = listen_local(&port);
    char rows[256];
    snprintf(rows, sizeof rows, "slow,git://127.0.0.1:%d/x.git\nslow2,http://127.0.0.1:%d/y\n",
             port, port);
    fetch_opts o = default_opts();
    o.timeout = 1;
    roster *r;
    fetch_result *res = run(rows, &o, &r);
    ck_assert_str_eq(fetch_status_name(res[0].status), "timeout");
    ck_assert_str_eq(fetch_status_name(res[1].status), "timeout");
    /* the killed clone left nothing behind */
    ck_assert_int_eq(tu_sh("test ! -e '%s/.slow.git.tmp' && test ! -e '%s/slow.git'", into, into),
                     0);
    drop(res, r);
    close(fd);
}
END_TEST

/* Kill this process's worker (SIGKILL, as the OOM killer would) once stuck on the stalling
 * server: what a crash on a hostile repository looks like to the parent. */
static void *crash_the_worker(void *arg)
{
    (void)arg;
    char path[64], buf[256] = "";
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)getpid(), (int)getpid());
    for (int tries = 0; tries < 100 && !buf[0]; tries++) {
        usleep(50000);
        FILE *fp = fopen(path, "r");
        if (fp) {
            if (!fgets(buf, sizeof buf, fp))
                buf[0] = '\0';
            fclose(fp);
        }
    }
    int pid = atoi(buf);
    if (pid > 0) {
        usleep(200000); /* let it reach the server */
        kill(pid, SIGKILL);
    }
    return NULL;
}

START_TEST(a_crashed_worker_costs_one_repository)
{
    char children[64];
    snprintf(children, sizeof children, "/proc/%d/task/%d/children", (int)getpid(), (int)getpid());
    if (access(children, R_OK) != 0) { /* needs CONFIG_PROC_CHILDREN */
        fprintf(stderr, "a_crashed_worker_costs_one_repository: skipped, no %s\n", children);
        return;
    }
    make_repo("fine", "ok\n", "2024-04-10T10:00:00Z");
    int port, fd = listen_local(&port);
    char rows[4600];
    snprintf(rows, sizeof rows, "stuck,git://127.0.0.1:%d/x.git\nfine,file://%s/src/fine\n", port,
             dir);
    fetch_opts o = default_opts();
    o.jobs = 1; /* the one worker dies: a new one must take the next repository */
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, crash_the_worker, NULL), 0);
    roster *r;
    fetch_result *res = run(rows, &o, &r);
    pthread_join(th, NULL);
    ck_assert_msg(res[0].status == FETCH_CRASHED, "%s (%s)", fetch_status_name(res[0].status),
                  res[0].detail);
    ck_assert(strstr(res[0].detail, "signal 9") != NULL);
    ck_assert_int_eq(res[1].status, FETCH_OK);
    drop(res, r);
    close(fd);
}
END_TEST

/* A server answering every HTTP request with 401, counting them. */
static volatile int requests_401;

static void *always_401(void *arg)
{
    int fd = *(int *)arg;
    for (;;) {
        int c = accept(fd, NULL, NULL);
        if (c < 0)
            return NULL;
        char buf[8192];
        size_t got = 0;
        while (got < sizeof buf - 1) {
            ssize_t n = read(c, buf + got, sizeof buf - 1 - got);
            if (n <= 0)
                break;
            got += (size_t)n;
            buf[got] = '\0';
            if (strstr(buf, "\r\n\r\n"))
                break;
        }
        static const char reply[] = "HTTP/1.1 401 Unauthorized\r\n"
                                    "WWW-Authenticate: Basic realm=\"x\"\r\n"
                                    "Content-Length: 0\r\nConnection: close\r\n\r\n";
        __atomic_add_fetch(&requests_401, 1, __ATOMIC_SEQ_CST);
        ssize_t w = write(c, reply, sizeof reply - 1);
        (void)w;
        close(c);
    }
}

START_TEST(auth_failure_ends_and_no_token_is_shown)
{
    static int fd;
    int port;
    fd = listen_local(&port);
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, always_401, &fd), 0);
    pthread_detach(th);
    const char *token = "ghp_TOPSECRET0123456789";
    setenv("GRADER_TOKEN", token, 1);
    char roster_text[512];
    snprintf(roster_text, sizeof roster_text,
             "id,repo\n"
             "priv,http://127.0.0.1:%d/priv.git\n"
             "url,http://x-access-token:%s@127.0.0.1:%d/u.git\n"
             "refused,https://user:%s@127.0.0.1:1/r.git\n",
             port, token, port, token);
    tu_write(dir, "roster.csv", roster_text);
    char *bin = getenv("GRADER_BIN");
    ck_assert_msg(bin != NULL, "GRADER_BIN must name the built grader");
    int st = tu_sh("cd '%s' && '%s' fetch --roster roster.csv --retries 0 -v >out.txt 2>err.txt",
                   dir, bin);
    ck_assert_int_eq(st, 1);
    /* the credentials callback gave up at once: libgit2 alone would replay
     * the same refused credentials a dozen times per repository */
    int nreq = __atomic_load_n(&requests_401, __ATOMIC_SEQ_CST);
    ck_assert_msg(nreq >= 1 && nreq <= 3, "%d requests to the 401 server", nreq);
    char *out = path_join(dir, "out.txt"), *errp = path_join(dir, "err.txt");
    char *man = path_join(dir, "submissions/manifest.csv");
    const char *files[] = {out, errp, man};
    for (int i = 0; i < 3; i++) {
        char *s = tu_slurp(files[i]);
        ck_assert_ptr_nonnull(s);
        ck_assert_msg(strstr(s, "TOPSECRET") == NULL, "token in %s:\n%s", files[i], s);
        free(s);
    }
    char *m = tu_slurp(man);
    /* a token over http:// is withheld, and a URL's own password too */
    ck_assert_msg(strstr(m, "priv,http://127.0.0.1") && strstr(m, "auth-failed"), "%s", m);
    ck_assert_msg(strstr(m, "clear text"), "%s", m);
    ck_assert_msg(strstr(m, "url,http://***@127.0.0.1"), "%s", m);
    ck_assert_msg(strstr(m, ",bad-url,"), "%s", m);
    ck_assert_msg(strstr(m, "refused,https://***@127.0.0.1:1/r.git,network"), "%s", m);
    free(m);
    /* nothing of it in the repositories' files either */
    ck_assert_int_ne(tu_sh("grep -r TOPSECRET '%s/submissions' >/dev/null 2>&1", dir), 0);
    free(out);
    free(errp);
    free(man);
    close(fd);
}
END_TEST

START_TEST(time_parsing)
{
    int64_t t;
    gr_error err = {0};
    ck_assert_int_eq(fetch_parse_time("2024-04-12T23:59:00Z", &t, &err), 0);
    ck_assert_int_eq(t, 1712966340);
    ck_assert_int_eq(fetch_parse_time("2024-04-13T01:59:00+02:00", &t, &err), 0);
    ck_assert_int_eq(t, 1712966340);
    ck_assert_int_eq(fetch_parse_time("2024-04-12 18:59-0500", &t, &err), 0);
    ck_assert_int_eq(t, 1712966340);
    ck_assert_int_eq(fetch_parse_time("2024-04-12T23:59:00.250Z", &t, &err), 0);
    ck_assert_int_eq(t, 1712966340);
    ck_assert_int_eq(fetch_parse_time("2024-04-12T23:59:00", &t, &err), GR_EUSAGE);
    ck_assert(strstr(err.msg, "time zone") != NULL);
    ck_assert_int_eq(fetch_parse_time("2023-02-29T00:00Z", &t, &err), GR_EUSAGE);
    ck_assert_int_eq(fetch_parse_time("2024-02-29T00:00Z", &t, &err), 0);
    ck_assert_int_eq(fetch_parse_time("12/04/2024", &t, &err), GR_EUSAGE);
    ck_assert_int_eq(fetch_parse_time("2024-04-12T23:59:00Zjunk", &t, &err), GR_EUSAGE);
    char buf[32];
    fetch_format_time(1712966340, buf, sizeof buf);
    ck_assert_str_eq(buf, "2024-04-12T23:59:00Z");
    /* What fetch_format_time cannot write back as 4-digit years is refused
     * (found by fuzzing the manifest: year 0229 came back as "229"). */
    ck_assert_int_eq(fetch_parse_time("0229-04-12T21:59:00Z", &t, &err), GR_EUSAGE);
    ck_assert_int_eq(fetch_parse_time("1969-12-31T23:59:59Z", &t, &err), GR_EUSAGE);
    ck_assert_int_eq(fetch_parse_time("1970-01-01T00:30+01:00", &t, &err), GR_EUSAGE);
    ck_assert_int_eq(fetch_parse_time("9999-12-31T23:59:59Z", &t, &err), 0);
    ck_assert_int_eq(fetch_parse_time("9999-12-31T23:59:59-01:00", &t, &err), GR_EUSAGE);
    fetch_format_time(-62135596800, buf, sizeof buf); /* 0001-01-01 */
    ck_assert_str_eq(buf, "");
    fetch_format_time(INT64_C(253402300800), buf, sizeof buf); /* 10000-01-01 */
    ck_assert_str_eq(buf, "");
}
END_TEST

/* A commit may carry any date (git accepts year 1 and year 30000), and a
 * path may start like a formula: the manifest fetch writes still loads,
 * and gives back the path to read. */
START_TEST(manifest_survives_odd_dates_and_paths)
{
    fetch_result v[2] = {
        {.id = "a",
         .repo = "/r/a",
         .status = FETCH_OK,
         .commit_time = -62135596800,
         .path = "@posts/Blog_Post.md",
         .detail = "=1+1"},
        {.id = "b",
         .repo = "/r/b",
         .status = FETCH_OK,
         .commit_time = INT64_C(884541340800),
         .first_seen = 1712966340,
         .path = "-x.md",
         .detail = ""},
    };
    memset(v[0].commit, 'a', 40);
    char *mp = path_join(dir, "odd.csv");
    gr_error err = {0};
    ck_assert_int_eq(fetch_manifest_write(mp, v, 2, &err), 0);
    fetch_manifest *m = NULL;
    ck_assert_msg(fetch_manifest_load(mp, &m, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(m->v[0].commit_time, 0);
    ck_assert_int_eq(m->v[1].commit_time, 0);
    ck_assert_int_eq(m->v[1].first_seen, 1712966340);
    ck_assert_str_eq(m->v[0].path, "@posts/Blog_Post.md");
    ck_assert_str_eq(m->v[1].path, "-x.md");
    ck_assert_str_eq(m->v[0].commit, v[0].commit);
    fetch_manifest_free(m);
    free(mp);
}
END_TEST

START_TEST(redaction)
{
    setenv("GITHUB_TOKEN", "tok_abcdef", 1);
    char *s = fetch_redact("https://user:pw@github.com/a/b.git");
    ck_assert_str_eq(s, "https://***@github.com/a/b.git");
    free(s);
    s = fetch_redact("https://ghp_x@github.com/a/b");
    ck_assert_str_eq(s, "https://***@github.com/a/b");
    free(s);
    s = fetch_redact("git@github.com:a/b.git");
    ck_assert_str_eq(s, "git@github.com:a/b.git");
    free(s);
    s = fetch_redact("https://github.com/tok_abcdef/x@y");
    ck_assert_str_eq(s, "https://github.com/***/x@y");
    free(s);
    for (int i = 0; i < FETCH_NSTATUS; i++) {
        ck_assert_int_eq(fetch_status_parse(fetch_status_name(i)), i);
        ck_assert(*fetch_status_advice(i));
    }
    ck_assert_int_eq(fetch_status_parse("nope"), -1);
}
END_TEST

static Suite *fetch_suite(void)
{
    Suite *s = suite_create("fetch");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, first_clone_is_bare_and_reads_the_post);
    tcase_add_test(tc, manifest_survives_odd_dates_and_paths);
    tcase_add_test(tc, refetch_after_new_commit_and_force_push);
    tcase_add_test(tc, unchanged_refetch_rewrites_nothing_and_keeps_first_seen);
    tcase_add_test(tc, deadline_picks_newest_commit_before_and_counts_late_ones);
    tcase_add_test(tc, post_problems_have_their_status);
    tcase_add_test(tc, forged_entry_is_not_read_as_a_post);
    tcase_add_test(tc, default_branch_is_followed);
    tcase_add_test(tc, read_post_errors);
    tcase_add_test(tc, manifest_round_trip_and_errors);
    tcase_add_test(tc, results_in_roster_order_whatever_jobs);
    tcase_add_test(tc, timeout_kills_a_stalled_fetch);
    tcase_add_test(tc, a_crashed_worker_costs_one_repository);
    tcase_add_test(tc, auth_failure_ends_and_no_token_is_shown);
    tcase_add_test(tc, time_parsing);
    tcase_add_test(tc, redaction);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(fetch_suite)
