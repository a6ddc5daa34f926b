/* shard.c - the roster's partition by id hash, a shard's exported
 * submissions (shard.dat), and the merge's checks that N shards make one
 * cohort. */
#include "shard.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cohort.h"
#include "fetch.h"
#include "manifest.h"
#include "record.h"
#include "roster.h"
#include "util.h"

#define SHARD_FILE "shard.dat"
#define SHARD_VERSION "2"
#define FNV_BASIS 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= FNV_PRIME;
    }
    return h;
}

uint64_t shard_hash(const char *id)
{
    return fnv1a(FNV_BASIS, id, strlen(id));
}

int shard_parse(const char *s, shard_spec *out)
{
    char *end;
    errno = 0;
    unsigned long k = strtoul(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != '/' || errno)
        return -1;
    const char *ns = end + 1;
    unsigned long n = strtoul(ns, &end, 10);
    if (*ns < '0' || *ns > '9' || *end || errno || k < 1 || n < 1 || k > n || n > SHARD_MAX)
        return -1;
    *out = (shard_spec){(unsigned)k, (unsigned)n};
    return 0;
}

bool shard_holds(const shard_spec *s, const char *id)
{
    return !s || s->n == 0 || shard_hash(id) % s->n + 1 == s->k;
}

void shard_filter_roster(roster *r, const shard_spec *s)
{
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        if (shard_holds(s, r->v[i].id))
            r->v[k++] = r->v[i];
    r->n = k;
}

int64_t shard_now(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    char *end;
    if (e && *e) {
        long long v = strtoll(e, &end, 10);
        if (!*end && v >= 0)
            return (int64_t)v;
    }
    return (int64_t)time(NULL);
}

/* FNV-1a 64 of a file's bytes, as 16 hex digits: how shards and the merge
 * tell they read the same roster and rubric. */
static int file_hash(const char *path, char out[17], gr_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return gr_error_set(err, GR_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
    uint64_t h = FNV_BASIS;
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
        h = fnv1a(h, buf, got);
    int bad = ferror(fp);
    fclose(fp);
    if (bad)
        return gr_error_set(err, GR_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
    snprintf(out, 17, "%016" PRIx64, h);
    return 0;
}

/* --- writing shard.dat --- */

static int export_manifest(const char *out, const cohort_data *c, gr_error *err)
{
    fetch_result *v = calloc(c->n ? c->n : 1, sizeof *v);
    char *path = path_join(out, "manifest.csv");
    size_t k = 0;
    int rc = v && path ? 0 : gr_error_nomem(err);
    for (size_t i = 0; !rc && i < c->n; i++)
        if (c->v[i].m)
            v[k++] = *c->v[i].m;
    if (!rc)
        rc = fetch_manifest_write(path, v, k, err);
    free(v);
    free(path);
    return rc;
}

int shard_export(const char *out, const cohort_data *c, const post_result *results,
                 const shard_info *in, gr_error *err)
{
    char rh[17], bh[17], spec[32];
    int rc = file_hash(c->ro->path, rh, err);
    if (!rc)
        rc = file_hash(in->rubric_path, bh, err);
    if (rc)
        return rc;
    strbuf sb;
    sb_init(&sb);
    snprintf(spec, sizeof spec, "%u/%u", in->s.k, in->s.n);
    record_put_s(&sb, "grader-shard", SHARD_VERSION);
    record_put_s(&sb, "shard", spec);
    record_put_s(&sb, "roster", rh);
    record_put_s(&sb, "rubric", bh);
    record_put_s(&sb, "similar", in->similar ? in->similar : "-");
    record_put_s(&sb, "document", in->document);
    if (in->has_deadline)
        record_put_i(&sb, "deadline", (long long)in->deadline);
    else
        record_put_s(&sb, "deadline", "-");
    record_put_i(&sb, "graded_at", (long long)in->graded_at);
    record_put_i(&sb, "students", (long long)c->n);
    for (size_t i = 0; i < c->n; i++) {
        const submission *s = c->v[i].post;
        record_put_s(&sb, "id", c->v[i].e->id);
        record_put_s(&sb, "status", s->status);
        record_put_s(&sb, "detail", s->detail);
        record_put_s(&sb, "advice", s->advice);
        record_put_s(&sb, "doc", s->doc);
        if (s->text) {
            /* the merge shows copied passages from it; it reads no other part */
            record_put(&sb, "post", s->text, s->len);
            post_result_write(&sb, &results[i]);
        } else
            record_put_s(&sb, "nopost", NULL);
    }
    record_put_s(&sb, "end", NULL);
    char *path = path_join(out, SHARD_FILE);
    if (sb_failed(&sb) || !path)
        rc = gr_error_nomem(err);
    else
        rc = write_file_atomic(path, sb.s, sb.len, err);
    free(path);
    sb_free(&sb);
    if (!rc)
        rc = export_manifest(out, c, err);
    return rc;
}

/* --- reading shards --- */

typedef struct srec {
    const char *id, *status, *detail, *advice, *doc, *text;
    size_t len;
    post_result pr; /* when text: the shard's per-post results */
} srec;

typedef struct shard_file {
    char *dir, *path, *buf;
    record_reader rd;
    shard_spec s;
    const char *roster, *rubric, *similar, *document, *deadline;
    int64_t graded_at;
    srec *v;
    size_t n, next; /* next: the merge's cursor through v */
    fetch_manifest *mf;
} shard_file;

struct shard_set {
    shard_file *f; /* f[k - 1] is shard k */
    size_t n;
    const roster *ro;
    char *document; /* the shards' --path, kept when their buffers are freed */
};

static int take(shard_file *f, const char *key, const char **v, size_t *len, gr_error *err)
{
    return record_take(&f->rd, key, v, len, err);
}

/* Records that are plain strings, in the order they are written. */
typedef struct field {
    const char *key;
    const char **v;
} field;

static int take_all(shard_file *f, const field *fs, size_t n, gr_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        rc = take(f, fs[i].key, fs[i].v, NULL, err);
    return rc;
}

static int read_header(shard_file *f, gr_error *err)
{
    const char *ver, *spec, *ga, *count;
    int rc = take(f, "grader-shard", &ver, NULL, err);
    if (!rc && strcmp(ver, SHARD_VERSION))
        rc = gr_error_set(err, GR_EINPUT, f->path, 0, 0,
                          "shard format %s, this grader reads %s: grade the shard again with this "
                          "grader (grader grade --shard %s)",
                          ver, SHARD_VERSION, f->dir);
    if (!rc && !(rc = take(f, "shard", &spec, NULL, err)) && shard_parse(spec, &f->s))
        rc = gr_error_set(err, GR_EINPUT, f->path, 0, 0, "bad shard '%s'", spec);
    const field fs[] = {{"roster", &f->roster},     {"rubric", &f->rubric},
                        {"similar", &f->similar},   {"document", &f->document},
                        {"deadline", &f->deadline}, {"graded_at", &ga},
                        {"students", &count}};
    if (!rc)
        rc = take_all(f, fs, sizeof fs / sizeof fs[0], err);
    if (rc)
        return rc;
    f->graded_at = strtoll(ga, NULL, 10);
    unsigned long long n = strtoull(count, NULL, 10);
    /* every student takes at least six records of 8 bytes */
    if (n > f->rd.size / 48)
        return gr_error_set(err, GR_EINPUT, f->path, 0, 0, "%llu students: the file is cut short",
                            n);
    f->v = calloc(n ? n : 1, sizeof *f->v);
    f->n = (size_t)n;
    return f->v ? 0 : gr_error_nomem(err);
}

static int read_student(shard_file *f, const rubric *rb, srec *r, gr_error *err)
{
    const field fs[] = {{"id", &r->id},
                        {"status", &r->status},
                        {"detail", &r->detail},
                        {"advice", &r->advice},
                        {"doc", &r->doc}};
    int rc = take_all(f, fs, sizeof fs / sizeof fs[0], err);
    if (rc)
        return rc;
    if (record_next_is(&f->rd, "post")) {
        if ((rc = take(f, "post", &r->text, &r->len, err)) == 0 && r->len > GR_MAX_INPUT)
            rc = gr_error_set(err, GR_EINPUT, f->path, 0, 0, "%s: a post over %d bytes", r->id,
                              GR_MAX_INPUT);
        if (!rc)
            rc = post_result_read(&f->rd, rb, strcmp(f->similar, "-") != 0, &r->pr, err);
        return rc;
    }
    const char *none;
    return take(f, "nopost", &none, NULL, err);
}

static int shard_file_load(shard_file *f, const char *dir, const rubric *rb, size_t cap,
                           gr_error *err)
{
    const char *end;
    if (!(f->dir = strdup(dir)) || !(f->path = path_join(dir, SHARD_FILE)))
        return gr_error_nomem(err);
    int rc = file_read(f->path, cap, &f->buf, &f->rd.size, err);
    if (rc == GR_EIO || rc == GR_EINPUT)
        return gr_error_set(err, GR_EINPUT, f->path, 0, 0,
                            "not a shard: write it with grader grade --shard K/N -o %s", dir);
    f->rd.buf = f->buf;
    f->rd.path = f->path;
    if (!rc)
        rc = read_header(f, err);
    for (size_t i = 0; !rc && i < f->n; i++)
        rc = read_student(f, rb, &f->v[i], err);
    if (!rc)
        rc = take(f, "end", &end, NULL, err);
    if (!rc && f->rd.pos != f->rd.size)
        rc = gr_error_set(err, GR_EINPUT, f->path, 0, 0, "bytes after the end record");
    char *mp = rc ? NULL : path_join(dir, "manifest.csv");
    if (!rc && !mp)
        rc = gr_error_nomem(err);
    if (!rc)
        rc = fetch_manifest_load(mp, &f->mf, err);
    free(mp);
    return rc;
}

/* Every shard of one cohort: the same N, roster and rubric, each K once. */
static int check_set(shard_set *s, shard_file *all, size_t n, const char *rh, const char *bh,
                     const char *similar, gr_error *err)
{
    unsigned N = all[0].s.n;
    for (size_t i = 0; i < n; i++) {
        const shard_file *f = &all[i];
        if (f->s.n != N)
            return gr_error_set(err, GR_EINPUT, f->path, 0, 0,
                                "shard %u/%u, but %s is shard %u/%u: all shards must split the "
                                "roster the same way",
                                f->s.k, f->s.n, all[0].dir, all[0].s.k, N);
        if (strcmp(f->roster, rh))
            return gr_error_set(err, GR_EINPUT, f->path, 0, 0,
                                "graded with another roster than %s (its bytes differ)",
                                s->ro->path);
        if (strcmp(f->rubric, bh))
            return gr_error_set(err, GR_EINPUT, f->path, 0, 0,
                                "graded with another rubric (its bytes differ); merge with the "
                                "shards' --rubric");
        if (similar && !strcmp(f->similar, "-"))
            return gr_error_set(err, GR_EINPUT, f->path, 0, 0,
                                "graded with --no-similar: merge with --no-similar, or grade the "
                                "shard again without it");
        if (similar && strcmp(f->similar, similar))
            return gr_error_set(err, GR_EINPUT, f->path, 0, 0,
                                "fingerprinted against other known sources (their bytes "
                                "differ); merge with the shards' --known");
        if (strcmp(f->document, all[0].document) || strcmp(f->deadline, all[0].deadline))
            return gr_error_set(err, GR_EINPUT, f->path, 0, 0,
                                "graded with another --path or --deadline than %s", all[0].dir);
    }
    if (n != N) {
        for (unsigned k = 1; k <= N; k++) {
            bool seen = false;
            for (size_t i = 0; i < n; i++)
                seen |= all[i].s.k == k;
            if (!seen)
                return gr_error_set(err, GR_EINPUT, "", 0, 0,
                                    "shard %u/%u is missing: %zu of %u shards given", k, N, n, N);
        }
    }
    if (!(s->f = calloc(N, sizeof *s->f)))
        return gr_error_nomem(err);
    s->n = N;
    for (size_t i = 0; i < n; i++) {
        shard_file *slot = &s->f[all[i].s.k - 1];
        if (slot->path)
            return gr_error_set(err, GR_EINPUT, all[i].path, 0, 0,
                                "shard %u/%u given twice (also %s)", all[i].s.k, N, slot->dir);
        *slot = all[i];
        memset(&all[i], 0, sizeof all[i]);
    }
    return 0;
}

/* Walk the roster: each student is the next one of its own shard. */
static int check_members(shard_set *s, gr_error *err)
{
    const roster *ro = s->ro;
    for (size_t i = 0; i < ro->n; i++) {
        shard_file *f = &s->f[shard_hash(ro->v[i].id) % s->n];
        if (f->next >= f->n || strcmp(f->v[f->next].id, ro->v[i].id))
            return gr_error_set(err, GR_EINPUT, f->path, 0, 0,
                                "%s (roster line %d) is not where shard %u/%u should have it: "
                                "grade the shard again",
                                ro->v[i].id, ro->v[i].line, f->s.k, f->s.n);
        f->next++;
    }
    for (size_t k = 0; k < s->n; k++) {
        shard_file *f = &s->f[k];
        if (f->next != f->n)
            return gr_error_set(err, GR_EINPUT, f->path, 0, 0,
                                "%s is not on the roster or not in this shard", f->v[f->next].id);
        f->next = 0;
    }
    return 0;
}

static void shard_file_free(shard_file *f)
{
    free(f->dir);
    free(f->path);
    free(f->buf);
    for (size_t i = 0; f->v && i < f->n; i++)
        post_result_free(&f->v[i].pr);
    free(f->v);
    fetch_manifest_free(f->mf);
}

int shard_set_load(char *const *dirs, size_t n, const shard_load_opts *o, shard_set **out,
                   gr_error *err)
{
    *out = NULL;
    if (n == 0)
        return gr_error_set(err, GR_EUSAGE, "", 0, 0,
                            "name the shards' folders (the -o of each grade --shard)");
    const roster *ro = o->ro;
    char rh[17], bh[17];
    int rc = file_hash(ro->path, rh, err);
    if (!rc)
        rc = file_hash(o->rb->path, bh, err);
    if (rc)
        return rc;
    shard_set *s = calloc(1, sizeof *s);
    shard_file *all = calloc(n, sizeof *all);
    if (!s || !all)
        rc = gr_error_nomem(err);
    /* a shard holds at most every student: a capped post, its row, its
     * score and at most 20 bytes of fingerprint per two bytes of post */
    size_t cap = ((size_t)GR_MAX_INPUT * 12 + 65536) * (ro->n + 1);
    for (size_t i = 0; !rc && i < n; i++)
        rc = shard_file_load(&all[i], dirs[i], o->rb, cap, err);
    if (s)
        s->ro = ro;
    if (!rc)
        rc = check_set(s, all, n, rh, bh, o->similar, err);
    if (!rc)
        rc = check_members(s, err);
    if (!rc && !(s->document = strdup(s->f[0].document)))
        rc = gr_error_nomem(err);
    for (size_t i = 0; all && i < n; i++)
        shard_file_free(&all[i]);
    free(all);
    if (rc) {
        shard_set_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void shard_set_info(const shard_set *s, shard_info *out)
{
    const shard_file *f = &s->f[0];
    *out = (shard_info){.s = {0, (unsigned)s->n}, .document = s->document};
    out->has_deadline = strcmp(f->deadline, "-") != 0;
    out->deadline = out->has_deadline ? strtoll(f->deadline, NULL, 10) : 0;
    for (size_t k = 0; k < s->n; k++)
        if (s->f[k].graded_at > out->graded_at)
            out->graded_at = s->f[k].graded_at;
    if (getenv("SOURCE_DATE_EPOCH"))
        out->graded_at = shard_now();
}

int shard_set_write_manifest(const shard_set *s, const char *path, gr_error *err)
{
    const roster *ro = s->ro;
    fetch_result *v = calloc(ro->n ? ro->n : 1, sizeof *v);
    if (!v)
        return gr_error_nomem(err);
    size_t k = 0;
    for (size_t i = 0; i < ro->n; i++) {
        const fetch_result *m =
            fetch_manifest_find(s->f[shard_hash(ro->v[i].id) % s->n].mf, ro->v[i].id);
        if (m)
            v[k++] = *m;
    }
    int rc = fetch_manifest_write(path, v, k, err);
    free(v);
    return rc;
}

/* status, detail, advice and doc in one block (the submission's own). */
static int take_submission(const srec *r, const cohort_member *mb, submission *s)
{
    const char *parts[4] = {r->status, r->detail, r->advice, r->doc};
    size_t len[4], total = 0;
    for (int i = 0; i < 4; i++)
        total += (len[i] = strlen(parts[i])) + 1;
    if (!(s->own = malloc(total)) || (r->text && !(s->text = malloc(r->len + 1))))
        return GR_ENOMEM;
    const char **dst[4] = {&s->status, &s->detail, &s->advice, &s->doc};
    char *p = s->own;
    for (int i = 0; i < 4; i++) {
        memcpy(p, parts[i], len[i] + 1);
        *dst[i] = p;
        p += len[i] + 1;
    }
    if (r->text) {
        memcpy(s->text, r->text, r->len);
        s->text[r->len] = '\0';
        s->len = r->len;
    }
    s->id = mb->e->id;
    s->m = mb->m;
    return 0;
}

int shard_set_posts(shard_set *s, const cohort_data *c, submission **out, post_result **results,
                    gr_error *err)
{
    submission *v = calloc(c->n ? c->n : 1, sizeof *v);
    post_result *pr = calloc(c->n ? c->n : 1, sizeof *pr);
    int rc = v && pr ? 0 : gr_error_nomem(err);
    for (size_t k = 0; k < s->n; k++)
        s->f[k].next = 0;
    for (size_t i = 0; !rc && i < c->n; i++) {
        shard_file *f = &s->f[shard_hash(c->v[i].e->id) % s->n];
        if (f->next >= f->n || strcmp(f->v[f->next].id, c->v[i].e->id))
            rc = gr_error_set(err, GR_EINTERNAL, f->path, 0, 0, "%s: out of step with the roster",
                              c->v[i].e->id);
        else if (take_submission(&f->v[f->next], &c->v[i], &v[i]))
            rc = gr_error_nomem(err);
        else {
            pr[i] = f->v[f->next].pr; /* moved: the shard's results are the merge's */
            memset(&f->v[f->next++].pr, 0, sizeof pr[i]);
        }
    }
    if (rc) {
        submission_free_all(v, c->n);
        for (size_t i = 0; pr && i < c->n; i++)
            post_result_free(&pr[i]);
        free(pr);
        return rc;
    }
    /* Everything is copied out: the shards' bytes (posts, fingerprints)
     * need not stay for the rest of the merge. */
    for (size_t k = 0; k < s->n; k++) {
        shard_file *f = &s->f[k];
        for (size_t i = 0; i < f->n; i++)
            post_result_free(&f->v[i].pr);
        free(f->v);
        free(f->buf);
        f->v = NULL;
        f->buf = NULL;
        f->n = f->next = 0;
    }
    *out = v;
    *results = pr;
    return 0;
}

void shard_set_free(shard_set *s)
{
    if (!s)
        return;
    for (size_t k = 0; s->f && k < s->n; k++)
        shard_file_free(&s->f[k]);
    free(s->f);
    free(s->document);
    free(s);
}

int shard_merge_cohort(char *const *dirs, size_t n, cohort_data *c, const shard_load_opts *o,
                       const char *out, shard_set **set, shard_info *info, post_result **results,
                       gr_error *err)
{
    shard_load_opts lo = *o;
    lo.ro = c->ro;
    int rc = shard_set_load(dirs, n, &lo, set, err);
    char *mf = rc ? NULL : path_join(out, "manifest.csv");
    if (!rc && !mf)
        rc = gr_error_nomem(err);
    if (!rc)
        shard_set_info(*set, info);
    if (!rc)
        rc = mkdir_p(out, err);
    if (!rc)
        rc = shard_set_write_manifest(*set, mf, err);
    free(mf);
    if (!rc)
        rc = cohort_data_join(c, COHORT_MANIFEST_REQUIRED, err);
    submission *posts = NULL;
    if (!rc)
        rc = shard_set_posts(*set, c, &posts, results, err);
    if (!rc)
        cohort_data_set_posts(c, posts);
    return rc;
}
