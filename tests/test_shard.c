/* shard: the partition by id hash (fixed, stable when students are added),
 * the roster cut at load, shard.dat refused when it is not whole or of
 * another version, the per-post results' records (post_result.h) read back
 * exactly, and fingerprints made apart joined as if made together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "post_result.h"
#include "roster.h"
#include "rubric.h"
#include "shard.h"
#include "similar.h"
#include "testutil.h"

/* A post of the tiny rubric's: a title and a summary, no timeline; a link
 * and a NUL byte (noted by score). */
static const char a_post[] = "# The queue that filled up\n\n## Summary\n\nOur workers stalled "
                             "for an hour, see https://example.org/q.\n\0tail\n";

static rubric *tiny(const char *dir)
{
    tu_write(dir, "rubric.yml", tu_tiny_rubric);
    size_t n = strlen(dir) + 16;
    char path[n];
    snprintf(path, n, "%s/rubric.yml", dir);
    rubric *rb = NULL;
    gr_error err = {0};
    ck_assert_msg(rubric_load(path, &rb, &err) == 0, "%s", err.msg);
    return rb;
}

START_TEST(parses_k_of_n)
{
    shard_spec s;
    ck_assert_int_eq(shard_parse("1/4", &s), 0);
    ck_assert_uint_eq(s.k, 1);
    ck_assert_uint_eq(s.n, 4);
    ck_assert_int_eq(shard_parse("4/4", &s), 0);
    ck_assert_int_eq(shard_parse("1/1", &s), 0);
    const char *bad[] = {"0/4",  "5/4", "4",       "/4", "1/",   "1/0",  "-1/4", "1/-4",
                         "1/4x", "x/4", "1/99999", "",   "+1/4", " 1/4", "1/ 4"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(shard_parse(bad[i], &s) == -1, "'%s' accepted", bad[i]);
}
END_TEST

START_TEST(hash_is_fnv1a_64)
{
    /* the published FNV-1a 64 test vectors: any machine, any build agrees */
    ck_assert_uint_eq(shard_hash(""), 0xcbf29ce484222325ULL);
    ck_assert_uint_eq(shard_hash("a"), 0xaf63dc4c8601ec8cULL);
    ck_assert_uint_eq(shard_hash("foobar"), 0x85944171f73967e8ULL);
}
END_TEST

START_TEST(every_id_in_exactly_one_shard)
{
    char id[32];
    size_t count[7] = {0};
    for (int i = 0; i < 700; i++) {
        snprintf(id, sizeof id, "student-%d", i);
        int holders = 0;
        for (unsigned k = 1; k <= 7; k++) {
            shard_spec s = {k, 7};
            if (shard_holds(&s, id)) {
                holders++;
                count[k - 1]++;
            }
        }
        ck_assert_int_eq(holders, 1);
        ck_assert(shard_holds(NULL, id));
        ck_assert(shard_holds(&(shard_spec){0, 0}, id));
    }
    /* spread: no shard empty or holding most of the cohort */
    for (int k = 0; k < 7; k++)
        ck_assert_msg(count[k] > 50 && count[k] < 150, "shard %d holds %zu of 700", k + 1,
                      count[k]);
}
END_TEST

static roster *load(const char *dir, const char *text, const shard_spec *s)
{
    tu_write(dir, "roster.csv", text);
    size_t n = strlen(dir) + 16;
    char path[n];
    snprintf(path, n, "%s/roster.csv", dir);
    roster_opts o = {.shard = s};
    roster *r = NULL;
    gr_error err = {0};
    ck_assert_msg(roster_load(path, &o, &r, &err) == 0, "%s", err.msg);
    return r;
}

/* Adding a student (anywhere in the file) moves nobody else. */
START_TEST(roster_cut_at_load_is_stable)
{
    char *dir = tu_tmpdir();
    const char *before = "id,name,repo\nada,A,/r/ada\nben,B,/r/ben\ncyd,C,/r/cyd\ndev,D,/r/"
                         "dev\neli,E,/r/eli\nfay,F,/r/fay\n";
    const char *after = "id,name,repo\nzed,Z,/r/zed\nada,A,/r/ada\nben,B,/r/ben\nnew,N,/r/"
                        "new\ncyd,C,/r/cyd\ndev,D,/r/dev\neli,E,/r/eli\nfay,F,/r/fay\n";
    size_t total = 0;
    for (unsigned k = 1; k <= 3; k++) {
        shard_spec s = {k, 3};
        roster *a = load(dir, before, &s), *b = load(dir, after, &s);
        total += a->n;
        size_t j = 0;
        for (size_t i = 0; i < b->n; i++) {
            if (!strcmp(b->v[i].id, "zed") || !strcmp(b->v[i].id, "new"))
                continue;
            ck_assert_uint_lt(j, a->n);
            ck_assert_str_eq(b->v[i].id, a->v[j].id); /* same students, roster order */
            ck_assert_int_eq(b->v[i].line > 0, 1);
            j++;
        }
        ck_assert_uint_eq(j, a->n);
        roster_free(a);
        roster_free(b);
    }
    ck_assert_uint_eq(total, 6);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* A shard.dat cut short or tampered with is refused, naming the file. */
START_TEST(damaged_shard_refused)
{
    char *dir = tu_tmpdir();
    roster *ro = load(dir, "id,name,repo\nada,A,/r/ada\n", NULL);
    rubric *rb = tiny(dir);
    shard_load_opts lo = {.ro = ro, .rb = rb};
    size_t n = strlen(dir) + 16;
    char sdir[n];
    snprintf(sdir, n, "%s/s1", dir);
    const char *bad[] = {
        "",
        "grader-shard 1\n2\n",
        "grader-shard 1\n3\nshard 3\n1/1\n",
        "grader-shard 1\n2\nshard 3\n2/1\n",
        "grader-shard 1\n2\nshard 3\n1/1\nroster 999\nx\n",
        "grader-shard 1\n2\nshard 3\n1/1\nroster 1\nx\nrubric 1\nx\nsimilar 1\n-\ndocument "
        "1\nx\ndeadline 1\n-\ngraded_at 1\n0\nstudents 9999\n0\n",
        "grader-shard 1\n2\nshard 3\n1/1\nroster -1\nx\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tu_write(sdir, "shard.dat", bad[i]);
        char *dirs[] = {sdir};
        shard_set *s = NULL;
        gr_error err = {0};
        int rc = shard_set_load(dirs, 1, &lo, &s, &err);
        ck_assert_msg(rc == GR_EINPUT, "case %zu: %d", i, rc);
        ck_assert_ptr_null(s);
        ck_assert_msg(strstr(err.file, "shard.dat") != NULL, "case %zu: %s", i, err.file);
    }
    char *none[] = {NULL};
    shard_set *s = NULL;
    gr_error err = {0};
    ck_assert_int_eq(shard_set_load(none, 0, &lo, &s, &err), GR_EUSAGE);
    rubric_free(rb);
    roster_free(ro);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* A shard.dat of one shard holding ada (no repository) and ben (a_post,
 * scored with rb and fingerprinted against base), of format version ver. */
static char *shard_text(const char *rtext, const rubric *rb, const fingerprint_base *base,
                        const char *ver, size_t *len)
{
    char rh[17], bh[17], sid[17];
    char *rbytes = tu_slurp(rb->path);
    ck_assert_ptr_nonnull(rbytes);
    snprintf(rh, sizeof rh, "%016llx", (unsigned long long)shard_hash(rtext));
    snprintf(bh, sizeof bh, "%016llx", (unsigned long long)shard_hash(rbytes));
    snprintf(sid, sizeof sid, "%016llx", (unsigned long long)fingerprint_base_id(base));
    free(rbytes);
    post_result pr;
    gr_error err = {0};
    ck_assert_int_eq(
        post_result_make(rb, base, "ben/Blog_Post.md", a_post, sizeof a_post - 1, &pr, &err), 0);
    strbuf sb;
    sb_init(&sb);
    record_put_s(&sb, "grader-shard", ver);
    record_put_s(&sb, "shard", "1/1");
    record_put_s(&sb, "roster", rh);
    record_put_s(&sb, "rubric", bh);
    record_put_s(&sb, "similar", sid);
    record_put_s(&sb, "document", "Blog_Post.md");
    record_put_s(&sb, "deadline", "-");
    record_put_s(&sb, "graded_at", "5");
    record_put_s(&sb, "students", "2");
    const char *ids[] = {"ada", "ben"};
    for (int i = 0; i < 2; i++) {
        record_put_s(&sb, "id", ids[i]);
        record_put_s(&sb, "status", i ? "ok" : "no-repo");
        record_put_s(&sb, "detail", "");
        record_put_s(&sb, "advice", "");
        record_put_s(&sb, "doc", "Blog_Post.md");
        if (i) {
            record_put(&sb, "post", a_post, sizeof a_post - 1);
            post_result_write(&sb, &pr);
        } else
            record_put_s(&sb, "nopost", NULL);
    }
    record_put_s(&sb, "end", NULL);
    post_result_free(&pr);
    ck_assert(!sb_failed(&sb));
    *len = sb.len;
    return sb_detach(&sb);
}

typedef struct cut_fixture {
    char *dir;
    roster *ro;
    rubric *rb;
    fingerprint_base *base;
    char sdir[256], dat[256], sid[17];
} cut_fixture;

static const char cut_roster[] = "id,name,repo\nada,A,/r/ada\nben,B,/r/ben\n";

static void cut_init(cut_fixture *f)
{
    memset(f, 0, sizeof *f);
    f->dir = tu_tmpdir();
    f->ro = load(f->dir, cut_roster, NULL);
    f->rb = tiny(f->dir);
    gr_error err = {0};
    ck_assert_int_eq(fingerprint_base_new(NULL, 0, NULL, &f->base, &err), 0);
    snprintf(f->sid, sizeof f->sid, "%016llx", (unsigned long long)fingerprint_base_id(f->base));
    tu_write(f->dir, "s1/manifest.csv",
             "id,repo,status,commit,commit_time,late,late_commits,path,first_seen,detail,misnamed\n"
             "ada,/r/ada,no-repo,,,no,0,Blog_Post.md,,,no\n");
    snprintf(f->sdir, sizeof f->sdir, "%s/s1", f->dir);
    snprintf(f->dat, sizeof f->dat, "%s/s1/shard.dat", f->dir);
}

static void cut_write(const cut_fixture *f, const char *buf, size_t len)
{
    FILE *out = fopen(f->dat, "wb");
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(fwrite(buf, 1, len, out), len);
    fclose(out);
}

static int cut_load(const cut_fixture *f, const char *similar, shard_set **s, gr_error *err)
{
    char *dirs[] = {(char *)f->sdir};
    shard_load_opts lo = {.ro = f->ro, .rb = f->rb, .similar = similar};
    return shard_set_load(dirs, 1, &lo, s, err);
}

static void cut_free(cut_fixture *f)
{
    fingerprint_base_free(f->base);
    rubric_free(f->rb);
    roster_free(f->ro);
    tu_rmtree(f->dir);
    free(f->dir);
}

/* A whole shard.dat loads; every prefix of it is refused (never read past
 * its end: run under ASan and valgrind). */
START_TEST(every_cut_refused)
{
    cut_fixture f;
    cut_init(&f);
    size_t len;
    char *buf = shard_text(cut_roster, f.rb, f.base, "2", &len);
    for (size_t cut = 0; cut <= len; cut++) {
        cut_write(&f, buf, cut);
        shard_set *s = NULL;
        gr_error err = {0};
        int rc = cut_load(&f, f.sid, &s, &err);
        if (cut == len) {
            ck_assert_msg(rc == 0, "the whole file: %s", err.msg);
            shard_info in;
            shard_set_info(s, &in);
            ck_assert_str_eq(in.document, "Blog_Post.md");
            ck_assert(!in.has_deadline);
        } else {
            ck_assert_msg(rc == GR_EINPUT, "cut at %zu of %zu: %d", cut, len, rc);
            ck_assert_msg(strstr(err.file, "shard.dat") != NULL, "cut at %zu: %s", cut, err.file);
        }
        shard_set_free(s);
    }
    free(buf);
    cut_free(&f);
}
END_TEST

/* A shard of format 1 (before the per-post results) is refused, naming
 * the file and saying to grade the shard again; so are shards made
 * against other known sources, or --no-similar shards for a merge that
 * compares. */
START_TEST(other_version_or_known_refused)
{
    cut_fixture f;
    cut_init(&f);
    size_t len;
    char *buf = shard_text(cut_roster, f.rb, f.base, "1", &len);
    cut_write(&f, buf, len);
    free(buf);
    shard_set *s = NULL;
    gr_error err = {0};
    ck_assert_int_eq(cut_load(&f, f.sid, &s, &err), GR_EINPUT);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err.file, f.dat);
    ck_assert_msg(strstr(err.msg, "shard format 1, this grader reads 2: grade the shard again") !=
                      NULL,
                  "%s", err.msg);

    buf = shard_text(cut_roster, f.rb, f.base, "2", &len);
    cut_write(&f, buf, len);
    free(buf);
    err = (gr_error){0};
    ck_assert_int_eq(cut_load(&f, "0123456789abcdef", &s, &err), GR_EINPUT);
    ck_assert_msg(strstr(err.msg, "other known sources") != NULL, "%s", err.msg);
    /* a merge with --no-similar does not compare them */
    err = (gr_error){0};
    ck_assert_int_eq(cut_load(&f, NULL, &s, &err), 0);
    shard_set_free(s);
    cut_free(&f);
}
END_TEST

/* Exact equality of two results: what a merge reads is what the shard
 * computed, to the last bit of every double. */
static void assert_same_result(const post_result *a, const post_result *b)
{
    ck_assert_int_eq(!a->res, !b->res);
    if (a->res) {
        const score_result *x = a->res, *y = b->res;
        ck_assert_str_eq(x->file, y->file);
        ck_assert_int_eq(x->points, y->points);
        ck_assert_int_eq(x->max_points, y->max_points);
        ck_assert_int_eq(x->bonus_points, y->bonus_points);
        ck_assert(memcmp(&x->percent, &y->percent, sizeof x->percent) == 0);
        ck_assert_int_eq(x->passed, y->passed);
        ck_assert_uint_eq(x->words, y->words);
        ck_assert_uint_eq(x->n, y->n);
        for (size_t i = 0; i < x->n; i++) {
            ck_assert_ptr_eq(x->items[i].c, y->items[i].c);
            ck_assert_int_eq(x->items[i].met, y->items[i].met);
            ck_assert_int_eq(x->items[i].points, y->items[i].points);
            ck_assert_int_eq(x->items[i].line, y->items[i].line);
            ck_assert_int_eq(x->items[i].col, y->items[i].col);
            ck_assert_int_eq(!x->items[i].message, !y->items[i].message);
            if (x->items[i].message)
                ck_assert_str_eq(x->items[i].message, y->items[i].message);
        }
        ck_assert_uint_eq(x->nnotes, y->nnotes);
        for (size_t i = 0; i < x->nnotes; i++)
            ck_assert_str_eq(x->notes[i], y->notes[i]);
    } else
        ck_assert_str_eq(a->too_large, b->too_large);
    ck_assert_int_eq(a->printed, b->printed);
    const fingerprint *p = &a->print, *q = &b->print;
    ck_assert_uint_eq(p->n, q->n);
    for (size_t i = 0; i < p->n; i++) {
        ck_assert(p->v[i].h == q->v[i].h);
        ck_assert_uint_eq(p->v[i].pos, q->v[i].pos);
        ck_assert_uint_eq(p->v[i].line, q->v[i].line);
        ck_assert_uint_eq(p->v[i].line_end, q->v[i].line_end);
    }
    ck_assert(memcmp(&p->known_share, &q->known_share, sizeof p->known_share) == 0);
    ck_assert(memcmp(&p->format_share, &q->format_share, sizeof p->format_share) == 0);
    ck_assert_int_eq(p->task_text, q->task_text);
    ck_assert_int_eq(p->link_only, q->link_only);
    ck_assert_uint_eq(p->links.n, q->links.n);
    ck_assert_uint_eq(p->links.words, q->links.words);
    for (size_t i = 0; i < p->links.n; i++)
        ck_assert_str_eq(p->links.v[i], q->links.v[i]);
}

static void round_trip(const rubric *rb, const post_result *a, bool printed)
{
    strbuf sb;
    sb_init(&sb);
    post_result_write(&sb, a);
    ck_assert(!sb_failed(&sb));
    /* every prefix is refused; the whole is read back exactly */
    for (size_t cut = 0; cut <= sb.len; cut++) {
        char *copy = malloc(cut + 1);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, sb.s, cut);
        record_reader rd = {.path = "x/shard.dat", .buf = copy, .size = cut};
        post_result b;
        gr_error err = {0};
        int rc = post_result_read(&rd, rb, printed, &b, &err);
        if (cut == sb.len) {
            ck_assert_msg(rc == 0, "%s", err.msg);
            ck_assert_uint_eq(rd.pos, sb.len);
            assert_same_result(a, &b);
            post_result_free(&b);
        } else {
            ck_assert_msg(rc == GR_EINPUT, "cut at %zu of %zu: %d", cut, sb.len, rc);
            ck_assert_str_eq(err.file, "x/shard.dat");
        }
        free(copy);
    }
    sb_free(&sb);
}

/* A scored and fingerprinted post, and one over the size cap, read back
 * as written. */
START_TEST(post_result_round_trip)
{
    char *dir = tu_tmpdir();
    rubric *rb = tiny(dir);
    fingerprint_base *base = NULL;
    similar_doc known = {.id = "format.md",
                         .text = "## Summary\nwhat happened to the workers and the queue\n",
                         .format = true};
    known.len = strlen(known.text);
    gr_error err = {0};
    ck_assert_int_eq(fingerprint_base_new(&known, 1, NULL, &base, &err), 0);
    post_result a;
    ck_assert_int_eq(
        post_result_make(rb, base, "ben/Blog_Post.md", a_post, sizeof a_post - 1, &a, &err), 0);
    ck_assert_ptr_nonnull(a.res);
    ck_assert_int_eq(a.res->points, 5); /* title and summary, no timeline */
    ck_assert_uint_ge(a.res->nnotes, 1);
    ck_assert_uint_eq(a.print.links.n, 1);
    round_trip(rb, &a, true);
    post_result_free(&a);

    char *big = malloc((size_t)GR_MAX_INPUT + 2);
    ck_assert_ptr_nonnull(big);
    memset(big, 'a', (size_t)GR_MAX_INPUT + 1);
    ck_assert_int_eq(
        post_result_make(rb, NULL, "cyd/Blog_Post.md", big, (size_t)GR_MAX_INPUT + 1, &a, &err), 0);
    ck_assert_ptr_null(a.res);
    ck_assert_ptr_nonnull(a.too_large);
    ck_assert(!a.printed);
    round_trip(rb, &a, false);
    post_result_free(&a);
    free(big);

    /* marks are written as steps from the one before: positions going
     * back and lines at the ends of the range come back as they were */
    fingerprint_mark odd[] = {{.h = UINT64_MAX, .pos = 5, .line = 9, .line_end = 3},
                              {.h = 0, .pos = 1, .line = UINT32_MAX, .line_end = 0},
                              {.h = 42, .pos = UINT32_MAX, .line = 0, .line_end = UINT32_MAX}};
    a = (post_result){.too_large = strdup("too large"), .printed = true};
    ck_assert_ptr_nonnull(a.too_large);
    a.print.v = malloc(sizeof odd);
    ck_assert_ptr_nonnull(a.print.v);
    memcpy(a.print.v, odd, sizeof odd);
    a.print.n = 3;
    a.print.known_share = 1.0 / 3.0;
    round_trip(rb, &a, true);
    post_result_free(&a);

    /* scores of another rubric (another number of criteria) are refused */
    ck_assert_int_eq(
        post_result_make(rb, NULL, "ben/Blog_Post.md", a_post, sizeof a_post - 1, &a, &err), 0);
    strbuf sb;
    sb_init(&sb);
    post_result_write(&sb, &a);
    post_result_free(&a);
    rb->ncriteria--;
    record_reader rd = {.path = "x/shard.dat", .buf = sb.s, .size = sb.len};
    ck_assert_int_eq(post_result_read(&rd, rb, false, &a, &err), GR_EINPUT);
    ck_assert_msg(strstr(err.msg, "another rubric") != NULL, "%s", err.msg);
    rb->ncriteria++;
    sb_free(&sb);
    fingerprint_base_free(base);
    rubric_free(rb);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* Two machines: each fingerprints its own post against its own copy of
 * the known sources; one's fingerprints travel through the records. The
 * join of the two finds the copy exactly as similar_run over both posts
 * in one process: the same group, shares and passages, line for line. */
START_TEST(fingerprints_made_apart_join)
{
    char *texts[] = {tu_read_src("tests/fixtures/similar/original.md"),
                     tu_read_src("tests/fixtures/similar/renamed.md"),
                     tu_read_src("tests/fixtures/similar/honest-a.md")};
    similar_doc docs[3];
    for (int i = 0; i < 3; i++)
        docs[i] = (similar_doc){.id = i == 0   ? "a"
                                      : i == 1 ? "b"
                                               : "c",
                                .text = texts[i],
                                .len = strlen(texts[i])};
    char *fpath = tu_src("rubrics/known/format.md");
    similar_doc known = {.id = "format.md", .text = tu_slurp(fpath), .format = true};
    ck_assert_ptr_nonnull(known.text);
    known.len = strlen(known.text);
    gr_error err = {0};
    similar_report *one = NULL;
    ck_assert_int_eq(similar_run(docs, 3, &known, 1, NULL, &one, &err), 0);
    ck_assert_uint_eq(one->ngroups, 1);
    ck_assert_int_eq(one->posts[0].group, 1);
    ck_assert_int_eq(one->posts[1].group, 1);
    ck_assert_int_eq(one->posts[2].group, 0);

    fingerprint_base *m1 = NULL, *m2 = NULL;
    ck_assert_int_eq(fingerprint_base_new(&known, 1, NULL, &m1, &err), 0);
    ck_assert_int_eq(fingerprint_base_new(&known, 1, NULL, &m2, &err), 0);
    ck_assert_uint_eq(fingerprint_base_id(m1), fingerprint_base_id(m2));
    fingerprint prints[3];
    ck_assert_int_eq(fingerprint_post(m1, docs[0].text, docs[0].len, &prints[0]), 0);
    ck_assert_int_eq(fingerprint_post(m1, docs[2].text, docs[2].len, &prints[2]), 0);
    /* b on the other machine, written as a shard writes it and read back */
    post_result made = {.printed = true, .too_large = strdup("x")};
    ck_assert_int_eq(fingerprint_post(m2, docs[1].text, docs[1].len, &made.print), 0);
    strbuf sb;
    sb_init(&sb);
    post_result_write(&sb, &made);
    post_result_free(&made);
    record_reader rd = {.path = "s/shard.dat", .buf = sb.s, .size = sb.len};
    post_result got;
    ck_assert_int_eq(post_result_read(&rd, NULL, true, &got, &err), 0);
    prints[1] = got.print;

    similar_report *two = NULL;
    ck_assert_int_eq(similar_join(prints, 3, m1, NULL, &two, &err), 0);
    ck_assert_uint_eq(two->ngroups, one->ngroups);
    for (int i = 0; i < 3; i++) {
        const similar_result *x = &one->posts[i], *y = &two->posts[i];
        ck_assert_int_eq(x->group, y->group);
        ck_assert(x->share == y->share);
        ck_assert(x->known_share == y->known_share);
        ck_assert(x->format_share == y->format_share);
        ck_assert_uint_eq(x->fingerprints, y->fingerprints);
        ck_assert_int_eq(x->task_text, y->task_text);
        ck_assert_uint_eq(x->npassages, y->npassages);
        for (size_t k = 0; k < x->npassages; k++) {
            ck_assert_int_eq(x->passages[k].first_line, y->passages[k].first_line);
            ck_assert_int_eq(x->passages[k].last_line, y->passages[k].last_line);
            ck_assert_int_eq(x->passages[k].other_first, y->passages[k].other_first);
            ck_assert_int_eq(x->passages[k].other_last, y->passages[k].other_last);
            ck_assert_uint_eq(x->passages[k].other, y->passages[k].other);
        }
    }
    ck_assert_int_gt(two->posts[1].longest.first_line, 0);
    ck_assert_uint_eq(two->posts[1].longest.other, 0);
    similar_report_free(one);
    similar_report_free(two);
    fingerprint_free(&prints[0]);
    fingerprint_free(&prints[2]);
    post_result_free(&got);
    sb_free(&sb);
    fingerprint_base_free(m1);
    fingerprint_base_free(m2);
    free((char *)known.text);
    free(fpath);
    for (int i = 0; i < 3; i++)
        free(texts[i]);
}
END_TEST

static Suite *shard_suite(void)
{
    Suite *s = suite_create("shard");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, parses_k_of_n);
    tcase_add_test(tc, hash_is_fnv1a_64);
    tcase_add_test(tc, every_id_in_exactly_one_shard);
    tcase_add_test(tc, roster_cut_at_load_is_stable);
    tcase_add_test(tc, damaged_shard_refused);
    tcase_add_test(tc, every_cut_refused);
    tcase_add_test(tc, other_version_or_known_refused);
    tcase_add_test(tc, post_result_round_trip);
    tcase_add_test(tc, fingerprints_made_apart_join);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(shard_suite)
