/* times.c - lines that begin with a time or a date, and runs of them: a
 * timeline by its form, whatever its name. */
#include "times.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t digits(const char *s)
{
    size_t n = 0;
    while (is_digit(s[n]))
        n++;
    return n;
}

/* A clock time at s: "14:05", "9 AM", "10:45 p.m.", "1400 hrs". */
static bool clock_at(const char *s)
{
    size_t n = digits(s);
    if (!n || n > 4)
        return false;
    const char *p = s + n;
    if (n <= 2 && *p == ':' && digits(p + 1) == 2)
        return true;
    if (n <= 2) {
        if (*p == ' ')
            p++;
        char c = (char)(*p | 0x20);
        return (c == 'a' || c == 'p') && (p[1] == '.' ? (p[2] | 0x20) : (p[1] | 0x20)) == 'm';
    }
    if (n == 4) {
        if (*p == ' ')
            p++;
        return !strncasecmp(p, "hr", 2);
    }
    return false;
}

/* A month's name or its abbreviation ("May", "Sept", "January"), then a
 * day: "May 3", "January 10, 7:00 AM". "Mayhem at 10:00" is not one. */
static bool month_day_at(const char *s)
{
    static const char *const months[] = {"january",   "february", "march",    "april",
                                         "may",       "june",     "july",     "august",
                                         "september", "october",  "november", "december"};
    size_t wl = 0;
    while (isalpha((unsigned char)s[wl]))
        wl++;
    for (size_t k = 0; wl >= 3 && k < sizeof months / sizeof months[0]; k++) {
        size_t ml = strlen(months[k]);
        bool name = wl == 3 || wl == ml || (k == 8 && wl == 4);
        if (name && wl <= ml && !strncasecmp(s, months[k], wl)) {
            const char *p = s + wl;
            if (*p == '.')
                p++;
            return *p == ' ' && digits(p + 1) >= 1 && digits(p + 1) <= 2;
        }
    }
    return false;
}

bool times_line_starts(const char *s)
{
    static const char *const leads[] = {"at ", "around ", "about ", "by ", "on ", "approx", NULL};
    /* bullets, emphasis, brackets (a bullet character is up to 3 bytes) */
    for (int k = 0; k < 6 && *s && !isalnum((unsigned char)*s); k++)
        s++;
    for (int k = 0; leads[k]; k++)
        if (!strncasecmp(s, leads[k], strlen(leads[k]))) {
            s += strlen(leads[k]);
            while (*s == '.' || *s == ' ')
                s++;
            break;
        }
    if (isalpha((unsigned char)*s))
        return month_day_at(s);
    size_t n = digits(s);
    if (n && (s[n] == '-' || s[n] == '/' || s[n] == '.') && digits(s + n + 1) >= 1 &&
        digits(s + n + 1) <= 2) {
        const char *p = s + n + 1 + digits(s + n + 1);
        if ((*p == '-' || *p == '/' || *p == '.') && digits(p + 1) >= 1)
            return true; /* a date */
        while (*p == ' ' || *p == ',')
            p++;
        return s[n] == '/' && clock_at(p); /* "9/10 7:55 PT" */
    }
    return clock_at(s);
}

/* s[0..n) ends with a dash between spaces ("-", "–", "—"): its length, or 0 */
static size_t dash_before(const char *s, size_t n)
{
    static const char *const dashes[] = {" - ", " \xe2\x80\x93 ", " \xe2\x80\x94 "};
    for (size_t k = 0; k < sizeof dashes / sizeof dashes[0]; k++) {
        size_t dl = strlen(dashes[k]);
        if (n >= dl && !memcmp(s + n - dl, dashes[k], dl))
            return dl;
    }
    return 0;
}

/* The words in s[0..n) */
static size_t words_in(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += isalnum((unsigned char)s[i]) && (i == 0 || s[i - 1] == ' ');
    return w;
}

size_t times_count(const char *s)
{
    size_t n = 0;
    for (const char *p = s; (p = strchr(p, ':')); p++) {
        size_t h = 0;
        while (h < 3 && p - h > s && is_digit(p[-(ptrdiff_t)h - 1]))
            h++;
        const char *b = p - h;
        bool left = h >= 1 && h <= 2 &&
                    (b == s || (!isalnum((unsigned char)b[-1]) && b[-1] != ':')) && atoi(b) < 24;
        bool right = digits(p + 1) == 2 && p[3] != ':';
        n += left && right && p[1] <= '5';
    }
    return n;
}

bool times_line_ends(const char *s)
{
    /* MAX_TAIL: "(10:45 a.m. CEST)"; MIN_WORDS: an event told before it,
     * not a label line such as "Start: May 3 (10:00 UTC)" */
    enum { MAX_TAIL = 18, MIN_WORDS = 5 };
    size_t n = strlen(s);
    while (n && strchr(" .*_", s[n - 1]))
        n--;
    if (n && s[n - 1] == ')') {
        size_t k = n - 1;
        while (k && n - k < MAX_TAIL && s[k - 1] != '(')
            k--;
        if (!k || s[k - 1] != '(' || words_in(s, k - 1) < MIN_WORDS)
            return false;
        const char *p = s + k;
        if (*p == '~')
            p++;
        else if (!strncasecmp(p, "at ", 3))
            p += 3;
        return clock_at(p);
    }
    for (size_t k = n; k && n - k < MAX_TAIL; k--) {
        size_t dl = dash_before(s, k);
        if (dl)
            return words_in(s, k - dl) >= MIN_WORDS && clock_at(s + k);
    }
    return false;
}

bool times_run(const outline *o, const int *starts, size_t from, size_t *rf, size_t *rt)
{
    enum { MIN_TIMES = 3, MAX_GAP = 2 };
    size_t best = 0, cf = 0, last = 0, count = 0;
    for (size_t i = from; i <= o->nlines; i++) {
        bool end = i == o->nlines;
        const ol_line *l = end ? NULL : &o->lines[i];
        bool timed = !end && l->kind != OL_HEADING && starts[i] == -1 &&
                     (times_line_starts(l->text) || times_line_ends(l->text));
        bool breaks = end || starts[i] != -1 || (count && i - last > MAX_GAP);
        if (breaks) {
            if (count >= MIN_TIMES && count > best) {
                best = count;
                *rf = cf;
                *rt = last + 1;
            }
            count = 0;
        }
        if (timed) {
            if (!count)
                cf = i;
            count++;
            last = i;
        }
    }
    if (!best)
        return false;
    /* the last entry's wrapped lines belong to it */
    while (*rt < o->nlines && starts[*rt] == -1 && !o->lines[*rt].para_start &&
           !o->lines[*rt].item_start)
        (*rt)++;
    return true;
}
