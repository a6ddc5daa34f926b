/* rubric.c - load and validate a rubric file.
 *
 * libyaml's document API gives every node a start mark, so a small schema
 * walker can say exactly where a rubric is wrong. libyaml accepts
 * duplicate keys silently and knows nothing of types: both are checked
 * here. */
#include "rubric.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "evidence.h"
#include "util.h"

#ifndef GRADER_DATADIR
#define GRADER_DATADIR "/usr/local/share/grader"
#endif

/* A pattern the rubric gives, compiled once all of it is read (they are
 * compiled together, compile_jobs) and reported, if bad, at its node. */
typedef enum re_kind {
    RE_ONE,      /* pat as written */
    RE_EVIDENCE, /* pat regrouped (ev_factor), or as written */
    RE_JOINED,   /* pats[0..n) as one */
} re_kind;

typedef struct re_job {
    pattern *out;
    re_kind kind;
    const char *pat;
    char *const *pats;
    size_t n;
    char *ere; /* what is compiled: pat, or malloc'd */
    bool icase;
    const yaml_node_t *at;
} re_job;

typedef struct ctx {
    const char *name;
    yaml_document_t *doc;
    gr_error *err;
    rubric *r;
    re_job *jobs;
    size_t njobs, cap;
} ctx;

static int fail(ctx *c, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gr_error_set(c->err, GR_EINPUT, c->name, n ? (int)n->start_mark.line + 1 : 0,
                        n ? (int)n->start_mark.column + 1 : 0, "%s", msg);
}

static int nomem(ctx *c)
{
    return gr_error_nomem(c->err);
}

static yaml_node_t *node(ctx *c, int id)
{
    return yaml_document_get_node(c->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int get_string(ctx *c, yaml_node_t *n, const char *key, char **out)
{
    const char *s = scalar(n);
    if (!s)
        return fail(c, n, "'%s' must be a string", key);
    free(*out);
    *out = strdup(s);
    return *out ? 0 : nomem(c);
}

static int get_int(ctx *c, yaml_node_t *n, const char *key, long min, long max, int *out)
{
    const char *s = scalar(n);
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || errno)
        return fail(c, n, "'%s' must be a whole number", key);
    if (v < min || v > max)
        return fail(c, n, "'%s' must be between %ld and %ld, not %ld", key, min, max, v);
    *out = (int)v;
    return 0;
}

static int get_double(ctx *c, yaml_node_t *n, const char *key, double min, double max, double *out)
{
    const char *s = scalar(n);
    char *end;
    double v = s ? strtod(s, &end) : 0;
    if (!s || !*s || *end)
        return fail(c, n, "'%s' must be a number", key);
    if (!(v >= min && v <= max)) /* NaN too */
        return fail(c, n, "'%s' must be between %g and %g", key, min, max);
    *out = v;
    return 0;
}

static int get_bool(ctx *c, yaml_node_t *n, const char *key, bool *out)
{
    const char *s = scalar(n);
    if (s && (!strcmp(s, "true") || !strcmp(s, "yes"))) {
        *out = true;
        return 0;
    }
    if (s && (!strcmp(s, "false") || !strcmp(s, "no"))) {
        *out = false;
        return 0;
    }
    return fail(c, n, "'%s' must be true or false", key);
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* A string, or a sequence of strings. */
static int get_strings(ctx *c, yaml_node_t *n, const char *key, char ***out, size_t *nout)
{
    size_t cnt = n->type == YAML_SEQUENCE_NODE
                     ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start)
                     : 1;
    if (n->type == YAML_MAPPING_NODE || cnt == 0)
        return fail(c, n, "'%s' must be a string or a list of strings", key);
    char **v = calloc(cnt, sizeof *v);
    if (!v)
        return nomem(c);
    for (size_t i = 0; i < cnt; i++) {
        yaml_node_t *item =
            n->type == YAML_SEQUENCE_NODE ? node(c, n->data.sequence.items.start[i]) : n;
        const char *s = scalar(item);
        if (!s) {
            free_strings(v, i);
            return fail(c, item, "'%s' must be a string or a list of strings", key);
        }
        if (!(v[i] = strdup(s))) {
            free_strings(v, i);
            return nomem(c);
        }
    }
    free_strings(*out, *nout);
    *out = v;
    *nout = cnt;
    return 0;
}

/* Walk a mapping: every key a unique string from `known`. */
typedef int (*pair_fn)(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg);

static int walk_map(ctx *c, yaml_node_t *map, const char *what, const char *const *known,
                    pair_fn fn, void *arg)
{
    if (map->type != YAML_MAPPING_NODE)
        return fail(c, map, "%s must be a mapping of 'key: value' lines", what);
    yaml_node_pair_t *start = map->data.mapping.pairs.start, *top = map->data.mapping.pairs.top;
    for (yaml_node_pair_t *p = start; p < top; p++) {
        yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
        const char *key = scalar(k);
        if (!key)
            return fail(c, k, "%s: keys must be plain names", what);
        for (yaml_node_pair_t *q = start; q < p; q++)
            if (scalar(node(c, q->key)) && !strcmp(scalar(node(c, q->key)), key))
                return fail(c, k, "duplicate key '%s' in %s (first at line %lu)", key, what,
                            (unsigned long)node(c, q->key)->start_mark.line + 1);
        if (known) {
            bool ok = false;
            for (const char *const *kn = known; *kn; kn++)
                ok |= !strcmp(*kn, key);
            if (!ok) {
                char list[512] = "";
                for (const char *const *kn = known; *kn; kn++) {
                    strncat(list, *kn, sizeof list - strlen(list) - 1);
                    if (kn[1])
                        strncat(list, ", ", sizeof list - strlen(list) - 1);
                }
                return fail(c, k, "unknown key '%s' in %s (known: %s)", key, what, list);
            }
        }
        int rc = fn(c, key, k, v, arg);
        if (rc)
            return rc;
    }
    return 0;
}

/* Queue a pattern (re_job); ere is owned from here on unless it is pat. */
static int queue(ctx *c, re_job j)
{
    if (c->njobs == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 128;
        re_job *v = realloc(c->jobs, cap * sizeof *v);
        if (!v) {
            if (j.ere != j.pat)
                free(j.ere);
            return nomem(c);
        }
        c->jobs = v;
        c->cap = cap;
    }
    c->jobs[c->njobs++] = j;
    return 0;
}

/* pat, compiled with the rest (compile_jobs). */
static int compile(ctx *c, yaml_node_t *at, const char *pat, bool icase, pattern *re)
{
    return queue(
        c,
        (re_job){
            .out = re, .kind = RE_ONE, .pat = pat, .ere = (char *)pat, .icase = icase, .at = at});
}

/* An evidence pattern: a long word list regrouped first (ev_factor). */
static int compile_ev(ctx *c, yaml_node_t *at, const char *pat, bool icase, pattern *re)
{
    char *f = ev_factor(pat);
    return queue(c, (re_job){.out = re,
                             .kind = RE_EVIDENCE,
                             .pat = pat,
                             .ere = f ? f : (char *)pat,
                             .icase = icase,
                             .at = at});
}

/* n patterns into *out (NULL when n is 0), compiled with the rest
 * (compile_jobs); out of memory, none is kept. */
static int compile_all(ctx *c, yaml_node_t *at, char **pats, size_t n, bool icase, pattern **out,
                       bool ev)
{
    if (!n)
        return 0;
    pattern *res = calloc(n, sizeof *res);
    if (!res)
        return nomem(c);
    for (size_t i = 0; i < n; i++) {
        int rc = (ev ? compile_ev : compile)(c, at, pats[i], icase, &res[i]);
        if (rc) {
            for (size_t k = 0; k < i; k++)
                pattern_free(&res[k]);
            free(res);
            return rc;
        }
    }
    *out = res;
    return 0;
}

/* Compile n patterns as one ("(a)|(b)"); when that fails, each alone, so
 * the error names the pattern at fault (compile_jobs). */
static int compile_joined(ctx *c, yaml_node_t *at, char **pats, size_t n, bool icase, pattern *out)
{
    if (!n)
        return 0;
    if (n == 1)
        return compile_ev(c, at, pats[0], icase, out);
    strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < n; i++) {
        char *f = ev_factor(pats[i]);
        sb_printf(&sb, "%s(%s)", i ? "|" : "", f ? f : pats[i]);
        free(f);
    }
    if (sb_failed(&sb)) {
        sb_free(&sb);
        return nomem(c);
    }
    return queue(c, (re_job){.out = out,
                             .kind = RE_JOINED,
                             .pats = pats,
                             .n = n,
                             .ere = sb_detach(&sb),
                             .icase = icase,
                             .at = at});
}

/* Why job j, which did not compile, is bad: the error for its node. */
static int job_error(ctx *c, const re_job *j, const char *msg)
{
    char buf[256];
    if (j->kind == RE_EVIDENCE && j->ere != j->pat) {
        /* regrouped, it failed: as written, it may not */
        if (pattern_compile(j->out, j->pat, j->icase, buf, sizeof buf) == 0)
            return 0;
        msg = buf;
    }
    if (j->kind != RE_JOINED)
        return fail(c, j->at, "bad regular expression '%s': %s", j->pat, msg);
    for (size_t i = 0; i < j->n; i++) {
        pattern one;
        if (pattern_compile(&one, j->pats[i], j->icase, buf, sizeof buf) != 0)
            return fail(c, j->at, "bad regular expression '%s': %s", j->pats[i], buf);
        pattern_free(&one);
    }
    /* each is fine alone: the joined one is too big */
    return fail(c, j->at, "these patterns together: %s", msg);
}

/* Compile every queued pattern, on all CPUs: most of the time a rubric
 * takes to load. The first bad one, in the rubric's order, is the error. */
static int compile_jobs(ctx *c)
{
    pattern_job *pj = calloc(c->njobs ? c->njobs : 1, sizeof *pj);
    if (!pj)
        return nomem(c);
    for (size_t i = 0; i < c->njobs; i++)
        pj[i] =
            (pattern_job){.out = c->jobs[i].out, .ere = c->jobs[i].ere, .icase = c->jobs[i].icase};
    pattern_compile_many(pj, c->njobs, cpus_online());
    int rc = 0;
    for (size_t i = 0; i < c->njobs && !rc; i++)
        if (pj[i].rc)
            rc = job_error(c, &c->jobs[i], pj[i].msg);
    free(pj);
    return rc;
}

static void free_jobs(ctx *c)
{
    for (size_t i = 0; i < c->njobs; i++)
        if (c->jobs[i].ere != c->jobs[i].pat)
            free(c->jobs[i].ere);
    free(c->jobs);
    c->jobs = NULL;
    c->njobs = c->cap = 0;
}

/* ---- sections ------------------------------------------------------- */

static int section_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg);

static int section_opt(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    (void)k;
    rubric_section *s = arg;
    if (!strcmp(key, "names"))
        return get_strings(c, v, "names", &s->names, &s->nnames);
    if (!strcmp(key, "parts"))
        return get_strings(c, v, "parts", &s->parts, &s->nparts);
    if (!strcmp(key, "cue")) {
        int rc = get_strings(c, v, "cue", &s->cues, &s->ncues);
        return rc ? rc : compile_joined(c, v, s->cues, s->ncues, true, &s->cue);
    }
    const char *f = scalar(v);
    if (f && !strcmp(f, "preamble"))
        s->fallback_preamble = true;
    else if (f && !strcmp(f, "times"))
        s->fallback_times = true;
    else
        return fail(c, v, "'fallback' can only be 'preamble' or 'times'");
    return 0;
}

static int section_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    (void)arg;
    rubric *r = c->r;
    rubric_section *s = &r->sections[r->nsections++];
    s->line = (int)k->start_mark.line + 1;
    if (!(s->key = strdup(key)))
        return nomem(c);
    if (v->type == YAML_MAPPING_NODE) {
        static const char *const keys[] = {"names", "fallback", "parts", "cue", NULL};
        int rc = walk_map(c, v, "a section", keys, section_opt, s);
        if (rc)
            return rc;
        if (!s->nnames)
            return fail(c, v, "section '%s' needs 'names'", key);
        return 0;
    }
    return get_strings(c, v, "section names", &s->names, &s->nnames);
}

static int load_sections(ctx *c, yaml_node_t *v)
{
    if (v->type != YAML_MAPPING_NODE)
        return fail(c, v, "'sections' must map each section key to its names");
    size_t n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
    c->r->sections = calloc(n ? n : 1, sizeof *c->r->sections);
    if (!c->r->sections)
        return nomem(c);
    return walk_map(c, v, "'sections'", NULL, section_pair, NULL);
}

int rubric_section_index(const rubric *r, const char *key)
{
    for (size_t i = 0; i < r->nsections; i++)
        if (!strcmp(r->sections[i].key, key))
            return (int)i;
    return -1;
}

static int section_ref(ctx *c, yaml_node_t *v, int *out)
{
    const char *s = scalar(v);
    if (!s)
        return fail(c, v, "'section' must be a section key");
    if (!strcmp(s, "all")) {
        *out = -1;
        return 0;
    }
    int i = rubric_section_index(c->r, s);
    if (i < 0)
        return fail(c, v, "section '%s' is used but not defined under 'sections'", s);
    *out = i;
    return 0;
}

/* ---- criteria ------------------------------------------------------- */

static const struct {
    const char *name;
    check_kind kind;
    const char *keys; /* the kind's own keys, space-separated */
} kinds[] = {
    {"title", CHECK_TITLE, ""},
    {"section", CHECK_SECTION, "section"},
    {"match", CHECK_MATCH, "section pattern patterns exclude defer ignore-case min-count"},
    {"absent", CHECK_ABSENT, "section pattern patterns ignore-case"},
    {"list", CHECK_LIST, "section min-items item-pattern exclude ignore-case share"},
    {"words", CHECK_WORDS, "section min max"},
    {"order", CHECK_ORDER, "sections"},
    {"image", CHECK_IMAGE, "min-count"},
    {"link", CHECK_LINK, "pattern patterns ignore-case min-count"},
    {"sentences", CHECK_SENTENCES,
     "section pattern patterns exclude ignore-case min-count from-first min-words"},
    {"evidence", CHECK_EVIDENCE,
     "section pattern patterns with with-cased exclude keep detail ending undone ignore-case "
     "min-count from-first min-words also-in also-count"},
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

static bool kind_has_key(size_t kind, const char *key)
{
    const char *p = kinds[kind].keys;
    size_t kl = strlen(key);
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == kl && !strncmp(p, key, l))
            return true;
        p += l + (e ? 1 : 0);
    }
    return false;
}

typedef struct crit_build {
    criterion *cr;
    yaml_node_t *node;
    yaml_node_t *patterns_at, *exclude_at, *defer_at, *with_at, *with_cased_at, *detail_at,
        *keep_at, *ending_at, *undone_at, *item_at, *order_at, *check_at;
    char **order_keys;
    size_t norder_keys;
    bool has_min, has_max, has_share;
    int kind; /* index into kinds, -1 until read */
} crit_build;

static int crit_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    (void)k;
    crit_build *b = arg;
    criterion *cr = b->cr;
    if (!strcmp(key, "id"))
        return get_string(c, v, key, &cr->id);
    if (!strcmp(key, "points"))
        return get_int(c, v, key, 0, 1000, &cr->points);
    if (!strcmp(key, "bonus"))
        return get_bool(c, v, key, &cr->bonus);
    if (!strcmp(key, "description"))
        return get_string(c, v, key, &cr->description);
    if (!strcmp(key, "hint"))
        return get_string(c, v, key, &cr->hint);
    if (!strcmp(key, "check")) {
        const char *s = scalar(v);
        b->check_at = v;
        for (size_t i = 0; s && i < NKINDS; i++)
            if (!strcmp(s, kinds[i].name)) {
                b->kind = (int)i;
                cr->kind = kinds[i].kind;
                return 0;
            }
        return fail(c, v,
                    "unknown check kind '%s' (known: title, section, match, absent, list, "
                    "words, order, image, link, sentences, evidence)",
                    s ? s : "?");
    }
    /* the rest depends on the kind: checked once the kind is known */
    if (!strcmp(key, "section"))
        return section_ref(c, v, &cr->section);
    if (!strcmp(key, "also-in"))
        return section_ref(c, v, &cr->also_in);
    if (!strcmp(key, "also-count"))
        return get_int(c, v, key, 1, 100000, &cr->also_count);
    if (!strcmp(key, "pattern") || !strcmp(key, "patterns")) {
        if (b->patterns_at)
            return fail(c, k, "give either 'pattern' or 'patterns', not both");
        b->patterns_at = v;
        return get_strings(c, v, key, &cr->patterns, &cr->npatterns);
    }
    if (!strcmp(key, "exclude")) {
        b->exclude_at = v;
        return get_strings(c, v, key, &cr->excludes, &cr->nexcludes);
    }
    if (!strcmp(key, "defer")) {
        b->defer_at = v;
        return get_strings(c, v, key, &cr->defers, &cr->ndefers);
    }
    if (!strcmp(key, "with")) {
        b->with_at = v;
        return get_strings(c, v, key, &cr->withs, &cr->nwith);
    }
    if (!strcmp(key, "with-cased")) {
        b->with_cased_at = v;
        return get_strings(c, v, key, &cr->withs_cased, &cr->nwith_cased);
    }
    if (!strcmp(key, "detail")) {
        b->detail_at = v;
        return get_strings(c, v, key, &cr->details, &cr->ndetail);
    }
    if (!strcmp(key, "keep")) {
        b->keep_at = v;
        return get_strings(c, v, key, &cr->keeps, &cr->nkeep);
    }
    if (!strcmp(key, "ending")) {
        b->ending_at = v;
        return get_strings(c, v, key, &cr->endings, &cr->nending);
    }
    if (!strcmp(key, "undone")) {
        b->undone_at = v;
        return get_strings(c, v, key, &cr->undones, &cr->nundone);
    }
    if (!strcmp(key, "ignore-case"))
        return get_bool(c, v, key, &cr->icase);
    if (!strcmp(key, "min-count"))
        return get_int(c, v, key, 0, 100000, &cr->min_count);
    if (!strcmp(key, "from-first"))
        return get_bool(c, v, key, &cr->from_first);
    if (!strcmp(key, "min-words"))
        return get_int(c, v, key, 0, 100000, &cr->enough_words);
    if (!strcmp(key, "min-items"))
        return get_int(c, v, key, 0, 100000, &cr->min_items);
    if (!strcmp(key, "item-pattern")) {
        b->item_at = v;
        return get_string(c, v, key, &cr->item_pattern);
    }
    if (!strcmp(key, "share")) {
        b->has_share = true;
        return get_double(c, v, key, 0.0, 1.0, &cr->share);
    }
    if (!strcmp(key, "min")) {
        b->has_min = true;
        return get_int(c, v, key, 0, INT_MAX, &cr->min_words);
    }
    if (!strcmp(key, "max")) {
        b->has_max = true;
        return get_int(c, v, key, 0, INT_MAX, &cr->max_words);
    }
    if (!strcmp(key, "sections")) {
        b->order_at = v;
        return get_strings(c, v, key, &b->order_keys, &b->norder_keys);
    }
    return fail(c, k, "unknown key '%s'", key);
}

static const char *const crit_keys[] = {
    "id",        "points",     "bonus",        "description", "hint",       "check",
    "section",   "pattern",    "patterns",     "exclude",     "defer",      "ignore-case",
    "min-count", "min-items",  "item-pattern", "share",       "min",        "max",
    "sections",  "from-first", "min-words",    "with",        "with-cased", "keep",
    "detail",    "ending",     "undone",       "also-in",     "also-count", NULL};

/* Keys given that the kind does not use are mistakes worth reporting. */
static int check_kind_keys(ctx *c, crit_build *b)
{
    yaml_node_t *map = b->node;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node(c, p->key);
        const char *key = scalar(k);
        static const char *const common[] = {"id",   "points", "bonus", "description",
                                             "hint", "check",  NULL};
        bool is_common = false;
        for (const char *const *cm = common; *cm; cm++)
            is_common |= !strcmp(*cm, key);
        if (is_common || kind_has_key((size_t)b->kind, key))
            continue;
        return fail(c, k, "'%s' does not apply to check '%s' (it takes: %s)", key,
                    kinds[b->kind].name,
                    *kinds[b->kind].keys ? kinds[b->kind].keys : "nothing more");
    }
    return 0;
}

static int finish_criterion(ctx *c, crit_build *b)
{
    criterion *cr = b->cr;
    yaml_node_t *n = b->node;
    if (!cr->id)
        return fail(c, n, "criterion without an 'id'");
    for (const char *p = cr->id; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return fail(c, n, "criterion id '%s': use letters, digits, '-' and '_' only", cr->id);
    if (b->kind < 0)
        return fail(c, n, "criterion '%s' has no 'check' kind", cr->id);
    if (!b->cr->hint)
        return fail(c, n, "criterion '%s' has no 'hint' (what to do when it fails)", cr->id);
    if (!b->cr->description)
        return fail(c, n, "criterion '%s' has no 'description'", cr->id);
    int rc = check_kind_keys(c, b);
    if (rc)
        return rc;
    bool has_points = false;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
        has_points |= !strcmp(scalar(node(c, p->key)), "points");
    if (!has_points)
        return fail(c, n, "criterion '%s' has no 'points'", cr->id);

    switch (cr->kind) {
    case CHECK_SECTION:
        if (cr->section < 0)
            return fail(c, n, "criterion '%s': check 'section' needs a 'section'", cr->id);
        break;
    case CHECK_MATCH:
    case CHECK_ABSENT:
    case CHECK_EVIDENCE:
        if (!cr->npatterns)
            return fail(c, n, "criterion '%s': check '%s' needs 'pattern' or 'patterns'", cr->id,
                        kinds[b->kind].name);
        break;
    case CHECK_LIST:
        if (cr->section < 0)
            return fail(c, n, "criterion '%s': check 'list' needs a 'section'", cr->id);
        if (!b->has_share)
            cr->share = 1.0;
        break;
    case CHECK_WORDS:
        if (!b->has_min && !b->has_max)
            return fail(c, n, "criterion '%s': check 'words' needs 'min' or 'max'", cr->id);
        if (!b->has_max)
            cr->max_words = INT_MAX;
        if (cr->min_words > cr->max_words)
            return fail(c, n, "criterion '%s': 'min' (%d) is above 'max' (%d)", cr->id,
                        cr->min_words, cr->max_words);
        break;
    case CHECK_ORDER:
        if (b->norder_keys < 2)
            return fail(c, b->order_at ? b->order_at : n,
                        "criterion '%s': check 'order' needs 'sections' (two or more keys)",
                        cr->id);
        cr->order = calloc(b->norder_keys, sizeof *cr->order);
        if (!cr->order)
            return nomem(c);
        for (size_t i = 0; i < b->norder_keys; i++) {
            int idx = rubric_section_index(c->r, b->order_keys[i]);
            if (idx < 0)
                return fail(c, b->order_at, "section '%s' is used but not defined under 'sections'",
                            b->order_keys[i]);
            cr->order[cr->norder++] = idx;
        }
        break;
    default:
        break;
    }
    if (cr->kind != CHECK_ORDER && cr->kind != CHECK_LIST && !cr->min_count)
        cr->min_count = 1;
    if (cr->also_in >= 0 && !cr->also_count)
        cr->also_count = 2 * cr->min_count; /* entries elsewhere are short */
    /* whether any exclude matches is all that is asked of them */
    if ((rc = compile_joined(c, b->exclude_at, cr->excludes, cr->nexcludes, cr->icase,
                             &cr->ev_exclude)))
        return rc;
    if (cr->kind == CHECK_EVIDENCE) {
        /* the cues stay apart: each is searched once through the section,
         * and PCRE2 finds a pattern's first letters faster alone */
        if ((rc = compile_all(c, b->patterns_at, cr->patterns, cr->npatterns, cr->icase, &cr->res,
                              true)) ||
            (rc = compile_joined(c, b->with_at, cr->withs, cr->nwith, cr->icase, &cr->ev_with)) ||
            (rc = compile_joined(c, b->with_cased_at, cr->withs_cased, cr->nwith_cased, false,
                                 &cr->ev_with_cased)) ||
            (rc = compile_joined(c, b->keep_at, cr->keeps, cr->nkeep, cr->icase, &cr->ev_keep)) ||
            (rc = compile_joined(c, b->detail_at, cr->details, cr->ndetail, cr->icase,
                                 &cr->ev_detail)) ||
            (rc = compile_joined(c, b->ending_at, cr->endings, cr->nending, cr->icase,
                                 &cr->ev_ending)) ||
            (rc = compile_joined(c, b->undone_at, cr->undones, cr->nundone, cr->icase,
                                 &cr->ev_undone)))
            return rc;
    } else if ((rc = compile_all(c, b->patterns_at, cr->patterns, cr->npatterns, cr->icase,
                                 &cr->res, false)) ||
               (rc = compile_all(c, b->defer_at, cr->defers, cr->ndefers, cr->icase, &cr->defer_res,
                                 false))) {
        return rc;
    }
    if (cr->item_pattern) {
        if ((rc = compile(c, b->item_at, cr->item_pattern, cr->icase, &cr->item_re)))
            return rc;
        cr->has_item_re = true;
    }
    return 0;
}

static int load_criteria(ctx *c, yaml_node_t *v)
{
    if (v->type != YAML_SEQUENCE_NODE)
        return fail(c, v, "'criteria' must be a list ('- id: ...' entries)");
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (!n)
        return fail(c, v, "'criteria' is empty");
    rubric *r = c->r;
    r->criteria = calloc(n, sizeof *r->criteria);
    if (!r->criteria)
        return nomem(c);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = node(c, v->data.sequence.items.start[i]);
        criterion *cr = &r->criteria[r->ncriteria++];
        cr->section = -1;
        cr->also_in = -1;
        cr->line = (int)item->start_mark.line + 1;
        crit_build b = {.cr = cr, .node = item, .kind = -1};
        int rc = walk_map(c, item, "a criterion", crit_keys, crit_pair, &b);
        if (!rc)
            rc = finish_criterion(c, &b);
        free_strings(b.order_keys, b.norder_keys);
        if (rc)
            return rc;
        for (size_t k = 0; k + 1 < r->ncriteria; k++)
            if (!strcmp(r->criteria[k].id, cr->id))
                return fail(c, item, "duplicate criterion id '%s' (first at line %d)", cr->id,
                            r->criteria[k].line);
        if (cr->bonus)
            r->bonus_points += cr->points;
        else
            r->max_points += cr->points;
    }
    return 0;
}

/* ---- reject ---------------------------------------------------------- */

typedef struct reject_build {
    yaml_node_t *patterns_at;
    bool icase;
} reject_build;

static int reject_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    (void)k;
    reject_build *b = arg;
    rubric_reject *rj = &c->r->reject;
    if (!strcmp(key, "patterns")) {
        b->patterns_at = v;
        return get_strings(c, v, key, &rj->patterns, &rj->npatterns);
    }
    if (!strcmp(key, "min-count"))
        return get_int(c, v, key, 1, 1000, &rj->min_count);
    if (!strcmp(key, "ignore-case"))
        return get_bool(c, v, key, &b->icase);
    return get_string(c, v, key, &rj->message);
}

static int load_reject(ctx *c, yaml_node_t *v)
{
    static const char *const keys[] = {"patterns", "min-count", "ignore-case", "message", NULL};
    reject_build b = {0};
    rubric_reject *rj = &c->r->reject;
    int rc = walk_map(c, v, "'reject'", keys, reject_pair, &b);
    if (rc)
        return rc;
    if (!rj->npatterns)
        return fail(c, v, "'reject' needs 'patterns'");
    if (!rj->min_count)
        rj->min_count = 1;
    if ((size_t)rj->min_count > rj->npatterns)
        return fail(c, v, "'reject': min-count %d is more than the %zu patterns", rj->min_count,
                    rj->npatterns);
    rj->icase = b.icase;
    if (!rj->message && !(rj->message = strdup("this is not a postmortem")))
        return nomem(c);
    rj->res = calloc(rj->npatterns, sizeof *rj->res);
    if (!rj->res)
        return nomem(c);
    for (size_t i = 0; i < rj->npatterns; i++)
        if ((rc = compile(c, b.patterns_at, rj->patterns[i], b.icase, &rj->res[i]))) {
            for (size_t k = 0; k < i; k++)
                pattern_free(&rj->res[k]);
            free(rj->res);
            rj->res = NULL;
            /* rubric_free frees as many regexes as patterns: drop both */
            free_strings(rj->patterns, rj->npatterns);
            rj->patterns = NULL;
            rj->npatterns = 0;
            return rc;
        }
    return 0;
}

/* ---- top level ------------------------------------------------------- */

static bool bad_relative_path(const char *s)
{
    return !s[0] || s[0] == '/' || strstr(s, "..");
}

/* The document's path, plain or under 'path:'. */
static int get_document_path(ctx *c, yaml_node_t *v, const char *key)
{
    int rc = get_string(c, v, key, &c->r->document);
    return !rc && bad_relative_path(c->r->document)
               ? fail(c, v, "'document' must be a relative path inside the repository")
               : rc;
}

/* document: PATH, or a mapping {path, alternatives, search}. */
static int document_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    (void)k;
    (void)arg;
    rubric *r = c->r;
    if (!strcmp(key, "search"))
        return get_bool(c, v, key, &r->document_search);
    if (!strcmp(key, "path"))
        return get_document_path(c, v, key);
    int rc = get_strings(c, v, key, &r->document_alternatives, &r->ndocument_alternatives);
    for (size_t i = 0; !rc && i < r->ndocument_alternatives; i++)
        if (bad_relative_path(r->document_alternatives[i]))
            rc = fail(c, v,
                      "'alternatives' are paths relative to the document's folder, "
                      "without '..'");
    return rc;
}

static int top_pair(ctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
    (void)k;
    (void)arg;
    rubric *r = c->r;
    if (!strcmp(key, "rubric"))
        return get_string(c, v, key, &r->name);
    if (!strcmp(key, "document") && v->type == YAML_MAPPING_NODE) {
        static const char *const keys[] = {"path", "alternatives", "search", NULL};
        int rc = walk_map(c, v, "'document'", keys, document_pair, NULL);
        return !rc && !r->document ? fail(c, v, "'document' needs a 'path'") : rc;
    }
    if (!strcmp(key, "document"))
        return get_document_path(c, v, key);
    if (!strcmp(key, "pass"))
        return get_int(c, v, key, 0, 100, &r->pass);
    /* sections, criteria and reject are read in a second pass */
    return 0;
}

static yaml_node_t *lookup(ctx *c, yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
        if (scalar(node(c, p->key)) && !strcmp(scalar(node(c, p->key)), key))
            return node(c, p->value);
    return NULL;
}

int rubric_parse(const char *name, const char *text, size_t len, rubric **out, gr_error *err)
{
    *out = NULL;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return gr_error_nomem(err);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = gr_error_set(err, GR_EINPUT, name, (int)parser.problem_mark.line + 1,
                              (int)parser.problem_mark.column + 1, "YAML syntax: %s%s%s",
                              parser.problem ? parser.problem : "unreadable",
                              parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return rc;
    }
    rubric *r = calloc(1, sizeof *r);
    ctx c = {.name = name, .doc = &doc, .err = err, .r = r};
    int rc = 0;
    if (r)
        r->document_search = true;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!r)
        rc = gr_error_nomem(err);
    else if (!(r->path = strdup(name)))
        rc = gr_error_nomem(err);
    else if (!root)
        rc = gr_error_set(err, GR_EINPUT, name, 1, 1, "the rubric is empty");
    else {
        static const char *const keys[] = {"rubric",   "document", "pass", "sections",
                                           "criteria", "reject",   NULL};
        rc = walk_map(&c, root, "the rubric", keys, top_pair, NULL);
        yaml_node_t *n;
        if (!rc && (n = lookup(&c, root, "sections")))
            rc = load_sections(&c, n);
        if (!rc && (n = lookup(&c, root, "reject")))
            rc = load_reject(&c, n);
        if (!rc) {
            if ((n = lookup(&c, root, "criteria")))
                rc = load_criteria(&c, n);
            else
                rc = fail(&c, root, "the rubric has no 'criteria'");
        }
        if (!rc && !r->document)
            rc =
                fail(&c, root, "the rubric has no 'document' (the post's path, e.g. Blog_Post.md)");
        if (!rc && !lookup(&c, root, "pass"))
            rc = fail(&c, root, "the rubric has no 'pass' mark (a percent, e.g. pass: 70)");
        if (!rc && !r->max_points)
            rc = fail(&c, root, "the rubric's criteria are worth no points");
        if (!rc && !r->name && !(r->name = strdup("rubric")))
            rc = gr_error_nomem(err);
        if (!rc)
            rc = compile_jobs(&c);
    }
    free_jobs(&c);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc) {
        rubric_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int rubric_load(const char *path, rubric **out, gr_error *err)
{
    char *text;
    size_t len;
    *out = NULL;
    int rc = file_read(path, GR_MAX_INPUT, &text, &len, err);
    if (rc)
        return rc;
    rc = rubric_parse(path, text, len, out, err);
    free(text);
    return rc;
}

static void free_res(pattern *res, size_t n)
{
    if (!res)
        return;
    for (size_t i = 0; i < n; i++)
        pattern_free(&res[i]);
    free(res);
}

void rubric_free(rubric *r)
{
    if (!r)
        return;
    free(r->names_cache);
    for (size_t i = 0; i < r->nsections; i++) {
        free(r->sections[i].key);
        free_strings(r->sections[i].names, r->sections[i].nnames);
        free_strings(r->sections[i].parts, r->sections[i].nparts);
        free_strings(r->sections[i].cues, r->sections[i].ncues);
        pattern_free(&r->sections[i].cue);
    }
    free(r->sections);
    for (size_t i = 0; i < r->ncriteria; i++) {
        criterion *cr = &r->criteria[i];
        free(cr->id);
        free(cr->description);
        free(cr->hint);
        free_strings(cr->patterns, cr->npatterns);
        free_res(cr->res, cr->npatterns);
        free_strings(cr->excludes, cr->nexcludes);
        free_strings(cr->defers, cr->ndefers);
        free_res(cr->defer_res, cr->ndefers);
        free_strings(cr->withs, cr->nwith);
        free_strings(cr->withs_cased, cr->nwith_cased);
        free_strings(cr->details, cr->ndetail);
        free_strings(cr->keeps, cr->nkeep);
        free_strings(cr->endings, cr->nending);
        free_strings(cr->undones, cr->nundone);
        pattern_free(&cr->ev_with);
        pattern_free(&cr->ev_with_cased);
        pattern_free(&cr->ev_exclude);
        pattern_free(&cr->ev_keep);
        pattern_free(&cr->ev_ending);
        pattern_free(&cr->ev_undone);
        pattern_free(&cr->ev_detail);
        free(cr->item_pattern);
        if (cr->has_item_re)
            pattern_free(&cr->item_re);
        free(cr->order);
    }
    free(r->criteria);
    free_strings(r->reject.patterns, r->reject.npatterns);
    free_res(r->reject.res, r->reject.npatterns);
    free(r->reject.message);
    free(r->path);
    free(r->name);
    free(r->document);
    free_strings(r->document_alternatives, r->ndocument_alternatives);
    free(r);
}

char *rubric_default_path(void)
{
    const char *env = getenv("GRADER_RUBRIC");
    if (env && *env)
        return strdup(env);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char cand[3][4200];
    int nc = 0;
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        /* in the source tree (build/grader) and installed (bin/grader) */
        snprintf(cand[nc++], sizeof cand[0], "%s/../rubrics/postmortem.yml", exe);
        snprintf(cand[nc++], sizeof cand[0], "%s/../share/grader/rubrics/postmortem.yml", exe);
    }
    snprintf(cand[nc++], sizeof cand[0], "%s/rubrics/postmortem.yml", GRADER_DATADIR);
    for (int i = 0; i < nc; i++)
        if (access(cand[i], R_OK) == 0) {
            char *real = realpath(cand[i], NULL);
            return real ? real : strdup(cand[i]);
        }
    return NULL;
}

int rubric_load_default(const char *given, rubric **out, gr_error *err)
{
    *out = NULL;
    if (given)
        return rubric_load(given, out, err);
    char *path = rubric_default_path();
    if (!path)
        return gr_error_set(err, GR_EUSAGE, "", 0, 0,
                            "no rubric found; give one with --rubric FILE (or set GRADER_RUBRIC)");
    int rc = rubric_load(path, out, err);
    free(path);
    return rc;
}
