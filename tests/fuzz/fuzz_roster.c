/* libFuzzer target: any bytes as a roster (a CSV exported by an LMS and
 * edited in a spreadsheet), with a repo column or a repository template. */
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "roster.h"
#include "util.h"

/* Lines of the file, as an editor numbers them: LF, CRLF or a lone CR
 * (old Mac files) ends one. */
static int lines_of(const uint8_t *data, size_t size)
{
    int n = 1;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
    return n;
}

/* Rows come in file order, each on a line of the file below the header. */
static void check(const roster *r, int nlines)
{
    if (!r->n)
        abort(); /* roster_load refuses an empty roster */
    for (size_t i = 0; i < r->n; i++) {
        const roster_entry *e = &r->v[i];
        if (!e->id || !e->id[0] || !e->name || !e->github || !e->repo || e->line < 2 ||
            e->line > nlines || (i && e->line <= r->v[i - 1].line))
            abort();
        /* the id becomes a folder name: submissions/<id>.git */
        if (strchr(e->id, '/') || e->id[0] == '.' || strlen(e->id) > 100)
            abort();
        for (size_t j = 0; j < r->ncolumns; j++)
            if (!e->fields[j])
                abort();
        (void)roster_field(r, i, "email");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > GR_MAX_INPUT)
        return 0;
    const char *path = fuzz_file("roster.csv", data, size);
    /* Both ways of finding the repository: its column, or the template
     * (which also needs github names valid in a URL). */
    static const roster_opts tmpl = {.repo_template = "https://github.com/{github}/project-{id}"};
    const roster_opts *opts[] = {NULL, &tmpl};
    for (size_t k = 0; k < 2; k++) {
        roster *r = NULL;
        gr_error err = {0};
        if (roster_load(path, opts[k], &r, &err) == 0) {
            check(r, lines_of(data, size));
            roster_free(r);
        } else if (r || err.code >= 0 || !err.msg[0] || err.line < 0 ||
                   err.line > lines_of(data, size)) {
            abort(); /* an error names a line of the file, or none */
        }
    }
    return 0;
}
