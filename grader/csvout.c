#include "csvout.h"

#include <stdlib.h>
#include <string.h>

static bool is_plain_number(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (!*s)
        return false;
    bool digit = false, dot = false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digit = true;
        else if (*s == '.' && !dot)
            dot = true;
        else
            return false;
    }
    return digit;
}

bool csv_is_formula(const char *s)
{
    if (!s || !*s)
        return false;
    if (strchr("=+-@\t\r", s[0]) == NULL)
        return false;
    return !is_plain_number(s);
}

const char *csv_unguard(const char *s)
{
    return s && s[0] == '\'' && csv_is_formula(s + 1) ? s + 1 : s;
}

void csv_cell(FILE *fp, const char *s)
{
    if (!s)
        s = "";
    bool formula = csv_is_formula(s);
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        fputc('"', fp);
    if (formula)
        fputc('\'', fp);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', fp);
        fputc(*p, fp);
    }
    if (quote)
        fputc('"', fp);
}

void csv_sep(FILE *fp)
{
    fputc(',', fp);
}

void csv_eol(FILE *fp)
{
    /* RFC 4180 line ends; every spreadsheet reads them. */
    fputs("\r\n", fp);
}
