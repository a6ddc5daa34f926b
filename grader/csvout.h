/* csvout.h - writing CSV cells that are safe to open in a spreadsheet. */
#ifndef GRADER_CSVOUT_H
#define GRADER_CSVOUT_H

#include <stdbool.h>
#include <stdio.h>

/* Write one cell, quoted when it holds a comma, quote, CR or LF. A cell a
 * spreadsheet would run as a formula (first character = + - @ TAB CR) gets a
 * leading apostrophe, unless it is a plain number such as "-3" or "+1.5".
 * Student names, commit messages and post text pass through here. */
void csv_cell(FILE *fp, const char *s);
/* Cells separated by commas: csv_sep between cells, csv_eol at row end. */
void csv_sep(FILE *fp);
void csv_eol(FILE *fp);
/* Would a spreadsheet treat s as a formula? */
bool csv_is_formula(const char *s);
/* A cell as csv_cell wrote it, read back: s without the apostrophe that
 * guarded a formula (a value that itself began with an apostrophe and a
 * formula character cannot be told apart, and loses it). */
const char *csv_unguard(const char *s);

#endif
