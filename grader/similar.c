/* similar.c - the cohort-wide stage of the similarity pass: the posts'
 * fingerprints (fingerprint.h) joined through an inverted index and
 * union-find into copy groups, each member measured; the known sources
 * loaded; similarity.csv. */
#include "similar.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvout.h"
#include "rubric.h"
#include "util.h"

/* A post as the join sees it: its fingerprints (borrowed), the set of its
 * own ones (the base taken out) and, for group members, the fingerprints
 * by hash. */
typedef struct post {
    const fingerprint *f;
    uint64_t *set; /* distinct hashes of f, sorted; the base's removed */
    size_t nset;
    size_t nknown;         /* distinct hashes that are in the base */
    fingerprint_mark *byh; /* f->v sorted by hash; built only for group members */
} post;

/* Distinct sorted hashes of p's fingerprints, the base's removed and
 * counted in p->nknown. */
static int make_set(post *p, const uint64_t *known, size_t nknown)
{
    const fingerprint *f = p->f;
    p->set = malloc((f->n ? f->n : 1) * sizeof *p->set);
    if (!p->set)
        return GR_ENOMEM;
    for (size_t i = 0; i < f->n; i++)
        p->set[i] = f->v[i].h;
    size_t d = fingerprint_set_sort(p->set, f->n), n = 0;
    p->nknown = 0;
    for (size_t i = 0; i < d; i++) {
        if (fingerprint_set_has(known, nknown, p->set[i])) {
            p->nknown++;
            continue;
        }
        p->set[n++] = p->set[i];
    }
    p->nset = n;
    return 0;
}

static size_t intersect(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, c = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else {
            c++;
            i++;
            j++;
        }
    }
    return c;
}

/* ---- the index and groups ------------------------------------------------- */

typedef struct posting {
    uint64_t h;
    uint32_t doc;
} posting;

static int cmp_posting(const void *a, const void *b)
{
    const posting *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

/* First posting with hash h, or n. */
static size_t postings_find(const posting *pv, size_t n, uint64_t h)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pv[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && pv[lo].h == h ? lo : n;
}

static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void uf_union(size_t *parent, size_t a, size_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    /* The smaller index is the root, so group order is deterministic. */
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* Shared passages of post i with its group: runs of fingerprints found in
 * another member, merged across gaps shorter than a window plus a k-gram
 * (an edited word between two shared fingerprints). */
static int emit_passage(const fingerprint_mark *first, const fingerprint_mark *last,
                        similar_passage cur, size_t end, similar_result *r, size_t *cap)
{
    cur.first_line = (int)first->line;
    cur.last_line = (int)last->line_end;
    cur.words = end - first->pos + 1;
    cur.start = first->pos;
    cur.end = end;
    if (r->npassages == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        similar_passage *v = realloc(r->passages, c * sizeof *v);
        if (!v)
            return GR_ENOMEM;
        r->passages = v;
        *cap = c;
    }
    r->passages[r->npassages++] = cur;
    if (cur.words > r->longest.words)
        r->longest = cur;
    return 0;
}

static int cmp_fp_hash(const void *a, const void *b)
{
    const fingerprint_mark *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* p->byh: p's fingerprints sorted by hash, to find where a hash sits. */
static int index_positions(post *p)
{
    if (p->byh || !p->f->n)
        return 0;
    if (!(p->byh = malloc(p->f->n * sizeof *p->byh)))
        return GR_ENOMEM;
    memcpy(p->byh, p->f->v, p->f->n * sizeof *p->byh);
    qsort(p->byh, p->f->n, sizeof *p->byh, cmp_fp_hash);
    return 0;
}

static const fingerprint_mark *find_fp(const post *p, uint64_t h)
{
    size_t lo = 0, hi = p->f->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->byh[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->f->n && p->byh[lo].h == h ? &p->byh[lo] : NULL;
}

/* Shared passages of post i with its group: runs of fingerprints found in
 * one other member in the same order, merged across gaps shorter than a
 * window (an edited word between two shared fingerprints). A run ends
 * where the other post jumps elsewhere (a reordered section), so each
 * passage can be shown side by side with its counterpart. */
static int find_passages(post *ps, size_t i, const posting *pv, size_t npv, size_t *parent,
                         const similar_opts *o, similar_result *r)
{
    const fingerprint_mark *v = ps[i].f->v, *first = NULL, *lastm = NULL;
    size_t root = uf_find(parent, i), cap = 0, end = 0, last = 0, olast = 0;
    similar_passage cur = {0};
    bool open = false;
    for (size_t f = 0; f < ps[i].f->n; f++) {
        size_t pos = v[f].pos;
        if (open) {
            const fingerprint_mark *m = find_fp(&ps[cur.other], v[f].h);
            if (m && pos <= end + o->window + 1 && m->pos >= olast &&
                m->pos - olast <= pos - last + o->window + 1) {
                end = pos + o->k - 1;
                last = pos;
                lastm = &v[f];
                olast = m->pos;
                continue;
            }
        }
        size_t other = SIZE_MAX;
        size_t at = postings_find(pv, npv, v[f].h);
        for (size_t q = at; q < npv && pv[q].h == v[f].h; q++)
            if (pv[q].doc != i && uf_find(parent, pv[q].doc) == root) {
                other = pv[q].doc;
                break;
            }
        if (other == SIZE_MAX)
            continue;
        if (open && emit_passage(first, lastm, cur, end, r, &cap))
            return GR_ENOMEM;
        if (index_positions(&ps[other]))
            return GR_ENOMEM;
        open = true;
        last = pos;
        first = lastm = &v[f];
        end = pos + o->k - 1;
        olast = find_fp(&ps[other], v[f].h)->pos;
        cur = (similar_passage){0};
        cur.other = other;
    }
    if (open && emit_passage(first, lastm, cur, end, r, &cap))
        return GR_ENOMEM;
    return 0;
}

/* Lines of post j holding the fingerprints of passage pa of post i. */
static void locate_in_other(const post *pi, const post *pj, similar_passage *pa)
{
    pa->other_first = pa->other_last = 0;
    const fingerprint_mark *lo = NULL, *hi = NULL;
    for (size_t f = 0; f < pi->f->n; f++) {
        size_t pos = pi->f->v[f].pos;
        if (pos < pa->start || pos > pa->end)
            continue;
        const fingerprint_mark *m = find_fp(pj, pi->f->v[f].h);
        if (!m)
            continue;
        if (!lo || m->pos < lo->pos)
            lo = m;
        if (!hi || m->pos > hi->pos)
            hi = m;
    }
    if (lo) {
        pa->other_first = (int)lo->line;
        pa->other_last = (int)hi->line_end;
    }
}

void similar_report_free(similar_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nposts; i++) {
        similar_links_free(&r->posts[i].links);
        free(r->posts[i].passages);
    }
    for (size_t g = 0; g < r->ngroups; g++)
        free(r->groups[g].members);
    free(r->posts);
    free(r->groups);
    free(r);
}

/* Join each post to the posts it shares the most with: candidates are the
 * posts that come up most often in the first postings of its
 * fingerprints, and the best few are measured exactly. count and cand are
 * n-long scratch arrays, all zero on entry and on return. */
static void join_copies(const post *ps, size_t n, const similar_report *r, const posting *pv,
                        size_t npv, size_t *parent, size_t *count, size_t *cand,
                        const similar_opts *opts)
{
    for (size_t i = 0; i < n; i++) {
        const post *p = &ps[i];
        if (r->posts[i].task_text || r->posts[i].link_only || p->nset < opts->min_shared)
            continue;
        size_t nc = 0;
        for (size_t f = 0; f < p->nset; f++) {
            size_t at = postings_find(pv, npv, p->set[f]);
            size_t seen = 0;
            for (size_t q = at; q < npv && pv[q].h == p->set[f] && seen < SIMILAR_MAX_POSTINGS;
                 q++, seen++) {
                size_t d = pv[q].doc;
                if (d == i)
                    continue;
                if (count[d]++ == 0)
                    cand[nc++] = d;
            }
        }
        for (int pick = 0; pick < 8 && nc > 0; pick++) {
            size_t best = 0;
            for (size_t c = 1; c < nc; c++)
                if (count[cand[c]] > count[cand[best]] ||
                    (count[cand[c]] == count[cand[best]] && cand[c] < cand[best]))
                    best = c;
            size_t j = cand[best];
            if (count[j] < opts->min_shared)
                break;
            count[j] = 0;
            cand[best] = cand[--nc];
            size_t shared = intersect(p->set, p->nset, ps[j].set, ps[j].nset);
            double si = (double)shared / (double)p->nset;
            double sj = ps[j].nset ? (double)shared / (double)ps[j].nset : 0.0;
            if (shared >= opts->min_shared && (si >= opts->threshold || sj >= opts->threshold))
                uf_union(parent, i, j);
        }
        for (size_t c = 0; c < nc; c++)
            count[cand[c]] = 0;
    }
}

/* Groups from the union-find forest, numbered by their first member.
 * gsize: n-long scratch, all zero on entry. */
static int number_groups(similar_report *r, size_t *parent, size_t *gsize)
{
    size_t n = r->nposts;
    for (size_t i = 0; i < n; i++)
        gsize[uf_find(parent, i)]++;
    for (size_t i = 0; i < n; i++)
        if (uf_find(parent, i) == i && gsize[i] > 1)
            r->ngroups++;
    if (r->ngroups && !(r->groups = calloc(r->ngroups, sizeof *r->groups)))
        return GR_ENOMEM;
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        size_t root = uf_find(parent, i);
        if (gsize[root] < 2)
            continue;
        if (root == i) {
            r->posts[i].group = (int)++g;
            if (!(r->groups[g - 1].members = malloc(gsize[i] * sizeof(size_t))))
                return GR_ENOMEM;
        }
        /* a root has the smallest index of its group: it is numbered
         * first, and members are added in ascending order */
        int num = r->posts[root].group;
        similar_group *gr = &r->groups[num - 1];
        gr->members[gr->n++] = i;
        r->posts[i].group = num;
    }
    return 0;
}

/* Share of post i found in its group's other posts, and the passages to
 * highlight, located in both posts. */
static int measure_member(post *ps, size_t i, const posting *pv, size_t npv, size_t *parent,
                          const similar_opts *opts, similar_result *res)
{
    size_t root = uf_find(parent, i), found = 0;
    for (size_t f = 0; f < ps[i].nset; f++) {
        size_t at = postings_find(pv, npv, ps[i].set[f]);
        for (size_t q = at; q < npv && pv[q].h == ps[i].set[f]; q++)
            if (pv[q].doc != i && uf_find(parent, pv[q].doc) == root) {
                found++;
                break;
            }
    }
    res->share = ps[i].nset ? (double)found / (double)ps[i].nset : 0.0;
    int rc = find_passages(ps, i, pv, npv, parent, opts, res);
    if (rc)
        return rc;
    for (size_t a = 0; a < res->npassages; a++)
        locate_in_other(&ps[i], &ps[res->passages[a].other], &res->passages[a]);
    if (res->longest.words)
        locate_in_other(&ps[i], &ps[res->longest.other], &res->longest);
    return 0;
}

/* What one join builds, freed in one place. */
typedef struct run_state {
    const similar_opts *opts;
    similar_report *r;
    post *ps;
    size_t n;
    uint64_t *kset; /* the base: fingerprints that are not the students' own */
    size_t nk;
    posting *pv; /* inverted index over the posts that can be copies */
    size_t npv;
    size_t *parent, *count, *cand;
} run_state;

static void run_state_free(run_state *st)
{
    for (size_t i = 0; st->ps && i < st->n; i++) {
        free(st->ps[i].set);
        free(st->ps[i].byh);
    }
    free(st->ps);
    free(st->kset);
    free(st->pv);
    free(st->parent);
    free(st->count);
    free(st->cand);
}

/* Post i's per-post findings into its result. */
static int take_post(run_state *st, const fingerprint *f, size_t i)
{
    similar_result *res = &st->r->posts[i];
    st->ps[i].f = f;
    res->known_share = f->known_share;
    res->format_share = f->format_share;
    res->task_text = f->task_text;
    res->link_only = f->link_only;
    st->r->nlink += res->link_only;
    st->r->ntask += res->task_text;
    res->links.words = f->links.words;
    if (f->links.n && !(res->links.v = calloc(f->links.n, sizeof *res->links.v)))
        return GR_ENOMEM;
    for (size_t l = 0; l < f->links.n; l++) {
        if (!(res->links.v[l] = strdup(f->links.v[l])))
            return GR_ENOMEM;
        res->links.n++;
    }
    return 0;
}

/* The base: the known sources, and every post flagged task-text: what it
 * shares with others (the assignment pasted on top of a post) is not the
 * students' own. This is the one thing the join decides from the whole
 * cohort before it compares posts. */
static int make_base(run_state *st, const fingerprint_base *b)
{
    size_t nknown, total;
    const uint64_t *known = fingerprint_base_known(b, &nknown);
    total = nknown;
    for (size_t i = 0; i < st->n; i++)
        if (st->ps[i].f->task_text)
            total += st->ps[i].f->n;
    if (!(st->kset = malloc((total ? total : 1) * sizeof *st->kset)))
        return GR_ENOMEM;
    if (nknown)
        memcpy(st->kset, known, nknown * sizeof *known);
    st->nk = nknown;
    for (size_t i = 0; i < st->n; i++)
        for (size_t f = 0; st->ps[i].f->task_text && f < st->ps[i].f->n; f++)
            st->kset[st->nk++] = st->ps[i].f->v[f].h;
    st->nk = fingerprint_set_sort(st->kset, st->nk);
    return 0;
}

/* Each post's own fingerprints (the base taken out), and the inverted
 * index over the posts that can be copies. */
static int index_posts(run_state *st)
{
    size_t total = 0;
    for (size_t i = 0; i < st->n; i++) {
        int rc = make_set(&st->ps[i], st->kset, st->nk);
        if (rc)
            return rc;
        st->r->posts[i].fingerprints = st->ps[i].nset;
        if (!st->r->posts[i].task_text && !st->r->posts[i].link_only)
            total += st->ps[i].nset;
    }
    if (!(st->pv = malloc((total ? total : 1) * sizeof *st->pv)))
        return GR_ENOMEM;
    for (size_t i = 0; i < st->n; i++) {
        if (st->r->posts[i].task_text || st->r->posts[i].link_only)
            continue;
        for (size_t f = 0; f < st->ps[i].nset; f++)
            st->pv[st->npv++] = (posting){st->ps[i].set[f], (uint32_t)i};
    }
    qsort(st->pv, st->npv, sizeof *st->pv, cmp_posting);
    return 0;
}

/* Copies joined into groups, numbered, each member measured. */
static int group_copies(run_state *st)
{
    size_t n = st->n;
    st->parent = malloc((n ? n : 1) * sizeof *st->parent);
    st->count = calloc(n ? n : 1, sizeof *st->count);
    st->cand = malloc((n ? n : 1) * sizeof *st->cand);
    if (!st->parent || !st->count || !st->cand)
        return GR_ENOMEM;
    for (size_t i = 0; i < n; i++)
        st->parent[i] = i;
    join_copies(st->ps, n, st->r, st->pv, st->npv, st->parent, st->count, st->cand, st->opts);
    int rc = number_groups(st->r, st->parent, st->count);
    for (size_t i = 0; i < n && !rc; i++)
        if (st->r->posts[i].group)
            rc = measure_member(st->ps, i, st->pv, st->npv, st->parent, st->opts, &st->r->posts[i]);
    return rc;
}

int similar_join(const fingerprint *prints, size_t n, const fingerprint_base *base,
                 const similar_opts *opts, similar_report **out, gr_error *err)
{
    similar_opts def;
    if (!opts) {
        similar_opts_default(&def);
        opts = &def;
    }
    *out = NULL;
    if (opts->k < 1 || opts->window < 1 || n > UINT32_MAX)
        return gr_error_set(err, GR_EUSAGE, "", 0, 0, "similar: bad options");
    run_state st = {.opts = opts, .n = n};
    st.r = calloc(1, sizeof *st.r);
    st.ps = calloc(n ? n : 1, sizeof *st.ps);
    int rc = st.r && st.ps ? 0 : GR_ENOMEM;
    if (!rc) {
        st.r->nposts = n;
        if (!(st.r->posts = calloc(n ? n : 1, sizeof *st.r->posts)))
            rc = GR_ENOMEM;
    }
    for (size_t i = 0; i < n && !rc; i++)
        rc = take_post(&st, &prints[i], i);
    if (!rc)
        rc = make_base(&st, base);
    if (!rc)
        rc = index_posts(&st);
    if (!rc)
        rc = group_copies(&st);
    similar_report *r = st.r;
    run_state_free(&st);
    if (rc) {
        similar_report_free(r);
        return rc == GR_ENOMEM ? gr_error_nomem(err) : rc;
    }
    *out = r;
    return 0;
}

int similar_run(const similar_doc *docs, size_t n, const similar_doc *known, size_t nknown,
                const similar_opts *opts, similar_report **out, gr_error *err)
{
    *out = NULL;
    fingerprint_base *b = NULL;
    int rc = fingerprint_base_new(known, nknown, opts, &b, err);
    if (rc)
        return rc;
    fingerprint *prints = calloc(n ? n : 1, sizeof *prints);
    rc = prints ? 0 : GR_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++)
        rc = fingerprint_post(b, docs[i].text, docs[i].len, &prints[i]);
    if (rc)
        rc = gr_error_nomem(err);
    else
        rc = similar_join(prints, n, b, opts, out, err);
    for (size_t i = 0; prints && i < n; i++)
        fingerprint_free(&prints[i]);
    free(prints);
    fingerprint_base_free(b);
    return rc;
}

/* ---- known sources -------------------------------------------------------- */

void similar_docs_free(similar_doc *docs, size_t n)
{
    if (!docs)
        return;
    for (size_t i = 0; i < n; i++) {
        free((char *)docs[i].id);
        free((char *)docs[i].text);
    }
    free(docs);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool known_name(const char *name)
{
    size_t l = strlen(name);
    if (name[0] == '.')
        return false;
    return (l > 3 && strcmp(name + l - 3, ".md") == 0) ||
           (l > 4 && strcmp(name + l - 4, ".txt") == 0);
}

int similar_known_load(const char *dir, bool missing_ok, similar_doc **out, size_t *n,
                       gr_error *err)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        if (missing_ok)
            return 0;
        return gr_error_set(err, GR_EINPUT, dir, 0, 0, "cannot open the known-sources folder");
    }
    char **names = NULL;
    size_t nn = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!known_name(e->d_name))
            continue;
        if (nn == cap) {
            cap = cap ? cap * 2 : 8;
            char **v = realloc(names, cap * sizeof *v);
            if (!v) {
                rc = gr_error_nomem(err);
                goto out;
            }
            names = v;
        }
        if (!(names[nn] = strdup(e->d_name))) {
            rc = gr_error_nomem(err);
            goto out;
        }
        nn++;
    }
    qsort(names, nn, sizeof *names, cmp_str);
    similar_doc *docs = calloc(nn ? nn : 1, sizeof *docs);
    if (!docs) {
        rc = gr_error_nomem(err);
        goto out;
    }
    size_t got = 0;
    for (size_t i = 0; i < nn; i++) {
        char *path = path_join(dir, names[i]), *text = NULL;
        size_t len = 0;
        if (!path) {
            rc = gr_error_nomem(err);
            break;
        }
        /* file_read refuses what is not a regular file. */
        rc = file_read(path, GR_MAX_INPUT, &text, &len, err);
        if (rc) {
            free(path);
            break;
        }
        docs[got].id = path;
        docs[got].text = text;
        docs[got].len = len;
        docs[got].format = !strncmp(names[i], "format", 6) || !strncmp(names[i], "task", 4) ||
                           !strncmp(names[i], "assignment", 10);
        got++;
    }
    if (rc)
        similar_docs_free(docs, got);
    else {
        *out = docs;
        *n = got;
    }
out:
    closedir(d);
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* rubrics/known/ of the working folder when there is one (an instructor's
 * own), else the folder next to the bundled rubric. malloc'd or NULL. */
char *similar_known_default_dir(void)
{
    if (access("rubrics/known", R_OK) == 0)
        return strdup("rubrics/known");
    char *rpath = rubric_default_path();
    if (!rpath)
        return NULL;
    char *slash = strrchr(rpath, '/');
    char *dir = NULL;
    if (slash) {
        *slash = '\0';
        dir = path_join(rpath, "known");
    }
    free(rpath);
    return dir;
}

const char *similar_status_name(const similar_result *r)
{
    if (r->link_only)
        return "link-only";
    if (r->task_text)
        return "task-text";
    if (r->group)
        return "copy";
    return "ok";
}

void similar_lines_str(char *buf, size_t size, int a, int b)
{
    if (!a)
        snprintf(buf, size, "%s", "");
    else if (a == b)
        snprintf(buf, size, "%d", a);
    else
        snprintf(buf, size, "%d-%d", a, b);
}

int similar_write_csv(const char *path, const similar_doc *posts, const similar_report *r,
                      gr_error *err)
{
    afile af = {0};
    int rc = afile_open(&af, path, err);
    if (rc)
        return rc;
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
        csv_cell(af.fp, similar_status_name(p));
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
        similar_lines_str(buf, sizeof buf, p->longest.first_line, p->longest.last_line);
        csv_cell(af.fp, buf);
        csv_sep(af.fp);
        csv_cell(af.fp, p->longest.words ? posts[p->longest.other].id : "");
        csv_sep(af.fp);
        similar_lines_str(buf, sizeof buf, p->longest.other_first, p->longest.other_last);
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
    return afile_commit(&af, err);
}
