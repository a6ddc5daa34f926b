/* options.c - the option tables' one parser, help printer and dump. */
#include "options.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

const char *const opt_text_json[] = {"text", "json", NULL};

/* A table with its includes flattened: each entry with its offset. */
enum { MAX_ENTRIES = 96 };
typedef struct flat {
    const opt_spec *s[MAX_ENTRIES];
    size_t base[MAX_ENTRIES];
    size_t n;
} flat;

static void flatten(const opt_spec *t, size_t base, flat *f)
{
    for (; t->kind != OPT_END; t++) {
        if (t->kind == OPT_INCLUDE) {
            flatten(t->table, base + t->off, f);
        } else if (f->n < MAX_ENTRIES) {
            f->s[f->n] = t;
            f->base[f->n++] = base;
        }
    }
}

static bool takes_value(const opt_spec *s)
{
    return s->kind != OPT_FLAG && s->kind != OPT_SET && s->kind != OPT_HELP;
}

/* "--name" or "-x": how an option is named in messages. */
static const char *shown(const opt_spec *s, char *buf, size_t size)
{
    if (s->name)
        snprintf(buf, size, "--%s", s->name);
    else
        snprintf(buf, size, "-%c", s->letter);
    return buf;
}

static int usage_error(const opt_command *c, const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "grader %s: ", c->name);
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return EXIT_BADUSE;
}

static int bad_value(const opt_command *c, const opt_spec *s, const char *arg)
{
    char name[64];
    shown(s, name, sizeof name);
    fprintf(stderr, "grader %s: %s takes ", c->name, name);
    if (s->kind == OPT_UINT)
        fprintf(stderr, "%s from %llu to %llu", s->what ? s->what : "a number", s->min, s->max);
    else if (s->kind == OPT_ENUM)
        for (size_t k = 0; s->choices[k]; k++)
            fprintf(stderr, "%s%s", k == 0 ? "" : s->choices[k + 1] ? ", " : " or ", s->choices[k]);
    else
        fputs(s->what ? s->what : "a file or folder name", stderr);
    fprintf(stderr, ", not '%s'\n", arg);
    return EXIT_BADUSE;
}

/* The one parser of whole numbers: digits only, within [min, max]. */
static bool parse_uint(const char *s, unsigned long long min, unsigned long long max,
                       unsigned long long *out)
{
    if (*s < '0' || *s > '9')
        return false;
    unsigned long long v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (ULLONG_MAX - (unsigned)(*s - '0')) / 10)
            return false;
        v = v * 10 + (unsigned)(*s - '0');
    }
    if (*s || v < min || v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_double(const opt_spec *s, const char *arg, double *out)
{
    char *end;
    double v = strtod(arg, &end);
    if (end == arg || *end || isnan(v) || v < s->dmin || v > s->dmax ||
        ((s->flags & OPTF_OPEN_MIN) && v == s->dmin))
        return false;
    *out = v;
    return true;
}

/* Store one option's value at p. Returns OPTS_CONTINUE or an exit code. */
static int store(const opt_command *c, const opt_spec *s, char *p, const char *arg)
{
    unsigned long long u;
    double d;
    switch (s->kind) {
    case OPT_FLAG:
        *(bool *)p = true;
        break;
    case OPT_SET:
        *(int *)p = s->val;
        break;
    case OPT_UINT:
        if (!parse_uint(arg, s->min, s->max, &u))
            return bad_value(c, s, arg);
        if (s->size == sizeof(int)) {
            *(int *)p = (int)u;
        } else {
            uint64_t v = u;
            memcpy(p, &v, sizeof v);
        }
        break;
    case OPT_DOUBLE:
        if (!parse_double(s, arg, &d))
            return bad_value(c, s, arg);
        *(double *)p = d;
        break;
    case OPT_PATH:
        if (!*arg)
            return bad_value(c, s, arg);
        *(const char **)p = arg;
        break;
    case OPT_STRING:
        *(const char **)p = arg;
        break;
    case OPT_ENUM: {
        int k = 0;
        while (s->choices[k] && strcmp(s->choices[k], arg) != 0)
            k++;
        if (!s->choices[k])
            return bad_value(c, s, arg);
        *(int *)p = k;
        break;
    }
    case OPT_LIST: {
        size_t *count = (size_t *)(p - s->off + s->count_off);
        char name[64], most[24];
        snprintf(most, sizeof most, "%llu", s->max);
        if (*count >= s->max)
            return usage_error(c, "%s given more than %s times", shown(s, name, sizeof name), most);
        ((const char **)p)[(*count)++] = arg;
        break;
    }
    case OPT_CALL: {
        gr_error err = {0};
        if (s->call(p - s->off, arg, &err)) {
            char buf[1600];
            gr_error_format(&err, buf, sizeof buf);
            return usage_error(c, "%s%s", buf, "");
        }
        break;
    }
    case OPT_HELP:
        opts_help(c, stdout);
        return EXIT_PASS;
    default:
        break;
    }
    return OPTS_CONTINUE;
}

/* The entry a long option names: exact (name or alias), else the one
 * whose name or alias it begins. *alias is set when the alias matched. */
static int find_long(const flat *f, const char *name, size_t len, bool *alias, int *nfound)
{
    int hit = -1;
    *nfound = 0;
    for (int exact = 1; exact >= 0 && *nfound == 0; exact--)
        for (size_t i = 0; i < f->n; i++) {
            const opt_spec *s = f->s[i];
            const char *names[2] = {s->name, s->alias};
            for (int k = 0; k < 2; k++) {
                if (!names[k] || strncmp(names[k], name, len) != 0 ||
                    (exact && names[k][len] != '\0'))
                    continue;
                if (hit != (int)i)
                    (*nfound)++;
                hit = (int)i;
                *alias = k == 1;
                break; /* the name before its alias: --colo is --color */
            }
        }
    return *nfound == 1 ? hit : -1;
}

static int find_short(const flat *f, char letter)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->s[i]->letter == letter && f->s[i]->kind != OPT_TEXT)
            return (int)i;
    return -1;
}

typedef struct parse_state {
    const opt_command *c;
    flat f;
    int argc, i;
    char **argv;
    char *base;
    opt_result *res;
    bool given[MAX_ENTRIES];
} parse_state;

/* Entry k was given, value in arg (NULL: none yet, the next argument). */
static int given(parse_state *ps, int k, const char *arg, bool alias)
{
    const opt_spec *s = ps->f.s[k];
    char name[64];
    shown(s, name, sizeof name);
    if (!takes_value(s) && arg)
        return usage_error(ps->c, "%s takes no value%s", name, "");
    if (takes_value(s) && !arg) {
        if (ps->i + 1 >= ps->argc)
            return usage_error(ps->c, "%s needs a value%s", name, "");
        arg = ps->argv[++ps->i];
    }
    if (alias)
        fprintf(stderr, "grader %s: --%s is deprecated, use %s\n", ps->c->name, s->alias, name);
    else if (s->flags & OPTF_OBSOLETE)
        fprintf(stderr, "grader %s: %s is deprecated, use %s\n", ps->c->name, name, s->instead);
    ps->given[k] = true;
    if ((s->flags & OPTF_MARK) && !ps->res->marked)
        ps->res->marked = s->name;
    return store(ps->c, s, ps->base + ps->f.base[k] + s->off, arg);
}

static int long_option(parse_state *ps, const char *opt)
{
    const char *eq = strchr(opt, '=');
    size_t len = eq ? (size_t)(eq - opt) : strlen(opt);
    bool alias = false;
    int nfound;
    int k = find_long(&ps->f, opt, len, &alias, &nfound);
    if (k < 0)
        return usage_error(ps->c,
                           nfound ? "ambiguous option '%s'; see 'grader %s --help'"
                                  : "unknown option '%s'; see 'grader %s --help'",
                           ps->argv[ps->i], ps->c->name);
    return given(ps, k, eq ? eq + 1 : NULL, alias);
}

static int short_options(parse_state *ps, const char *p)
{
    for (; *p; p++) {
        int k = find_short(&ps->f, *p);
        if (k < 0) {
            char opt[3] = {'-', *p, 0};
            return usage_error(ps->c, "unknown option '%s'; see 'grader %s --help'", opt,
                               ps->c->name);
        }
        bool value = takes_value(ps->f.s[k]);
        int code = given(ps, k, value && p[1] ? p + 1 : NULL, false);
        if (code != OPTS_CONTINUE || value)
            return code;
    }
    return OPTS_CONTINUE;
}

int opts_parse(const opt_command *c, int argc, char **argv, void *base, opt_result *res)
{
    parse_state ps = {.c = c, .argc = argc, .argv = argv, .base = base, .res = res};
    flatten(c->opts, 0, &ps.f);
    *res = (opt_result){.args = argv + 1};
    int kept = 1, code = OPTS_CONTINUE;
    bool options = true;
    for (ps.i = 1; ps.i < argc && code == OPTS_CONTINUE; ps.i++) {
        char *a = argv[ps.i];
        if (options && !strcmp(a, "--"))
            options = false;
        else if (options && a[0] == '-' && a[1] == '-')
            code = long_option(&ps, a + 2);
        else if (options && a[0] == '-' && a[1])
            code = short_options(&ps, a + 1);
        else
            argv[kept++] = a; /* kept <= i: the options' values are read already */
    }
    if (code != OPTS_CONTINUE)
        return code;
    for (size_t k = 0; k < ps.f.n; k++)
        if ((ps.f.s[k]->flags & OPTF_REQUIRED) && !ps.given[k]) {
            char name[64], what[96];
            snprintf(what, sizeof what, "%s%s%s", shown(ps.f.s[k], name, sizeof name),
                     ps.f.s[k]->arg ? " " : "", ps.f.s[k]->arg ? ps.f.s[k]->arg : "");
            return usage_error(c, "%s is required; see 'grader %s --help'", what, c->name);
        }
    res->nargs = (size_t)(kept - 1);
    if (res->nargs && c->args == OPT_ARGS_NONE)
        return usage_error(c, "unexpected argument '%s'; see 'grader %s --help'", res->args[0],
                           c->name);
    return OPTS_CONTINUE;
}

/* ---- help ---- */

enum { HELP_COL = 25 };

static void help_lines(FILE *fp, const char *label, const char *text, int indent)
{
    int used = fprintf(fp, "%*s%s", indent, "", label);
    if (used >= HELP_COL - 1) {
        fputc('\n', fp);
        used = 0;
    }
    while (text && *text) {
        const char *nl = strchr(text, '\n');
        int len = nl ? (int)(nl - text) : (int)strlen(text);
        fprintf(fp, "%*s%.*s\n", HELP_COL - used, "", len, text);
        used = 0;
        text += len + (nl != NULL);
    }
    if (used)
        fputc('\n', fp);
}

static void help_entry(FILE *fp, const opt_spec *s)
{
    char label[160] = "", old[96];
    int indent = s->flags & OPTF_INDENT ? 4 : 2;
    if (s->kind == OPT_TEXT && !s->arg) {
        fprintf(fp, "%s\n", s->help);
        return;
    }
    size_t n = 0;
    if (s->letter)
        n += (size_t)snprintf(label, sizeof label, "-%c%s", s->letter, s->name ? ", " : "");
    if (s->name)
        n += (size_t)snprintf(label + n, sizeof label - n, "--%s", s->name);
    if (s->arg)
        snprintf(label + n, sizeof label - n, "%s%s", n ? " " : "", s->arg);
    help_lines(fp, label, s->help, indent);
    if (s->alias) {
        snprintf(old, sizeof old, "(--%s: the old name, deprecated)", s->alias);
        help_lines(fp, "", old, indent);
    }
}

void opts_help(const opt_command *c, FILE *fp)
{
    flat f = {0};
    flatten(c->opts, 0, &f);
    fputs(c->intro, fp);
    for (size_t i = 0; i < f.n; i++)
        if (!(f.s[i]->flags & OPTF_HIDDEN))
            help_entry(fp, f.s[i]);
    fputs(c->outro, fp);
}

void opts_dump(const opt_command *c, FILE *fp)
{
    flat f = {0};
    flatten(c->opts, 0, &f);
    for (size_t i = 0; i < f.n; i++) {
        const opt_spec *s = f.s[i];
        if (s->kind == OPT_TEXT || (s->flags & OPTF_HIDDEN))
            continue;
        char letter[3] = {'-', s->letter, 0}, choices[256] = "-";
        const char *arg = s->arg ? s->arg : "-";
        for (size_t k = 0, n = 0; s->kind == OPT_ENUM && s->choices[k] && n < sizeof choices; k++)
            n += (size_t)snprintf(choices + n, sizeof choices - n, "%s%s", k ? " " : "",
                                  s->choices[k]);
        fprintf(fp, "%s\t%s%s\t%s\t%s\t%s\t%s\n", c->name, s->name ? "--" : "-",
                s->name ? s->name : "", s->letter ? letter : "-", arg,
                s->flags & OPTF_OBSOLETE ? "deprecated" : "ok", choices);
        if (s->alias)
            fprintf(fp, "%s\t--%s\t-\t%s\tdeprecated\t%s\n", c->name, s->alias, arg, choices);
    }
}
