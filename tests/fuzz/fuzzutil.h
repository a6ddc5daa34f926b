/* fuzzutil.h - what the libFuzzer targets share: a private scratch folder
 * for readers that take a path, and splitting one input into several
 * files or posts. Linked into each target and into the replay runner. */
#ifndef GRADER_FUZZUTIL_H
#define GRADER_FUZZUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Separates the parts of one input (several CSV files, several posts).
 * ASCII "record separator": no reader gives it a meaning. */
#define FUZZ_SEP '\x1e'

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write data to name inside the scratch folder (created on first use on
 * /dev/shm when it exists, removed at exit); returns its path, owned by
 * the scratch folder and valid until the next call with the same name.
 * Aborts when the file cannot be written: that is the harness, not the
 * reader under test. */
const char *fuzz_file(const char *name, const void *data, size_t size);

/* Split data at FUZZ_SEP into at most max parts; returns how many. */
typedef struct fuzz_part {
    const char *p;
    size_t n;
} fuzz_part;
size_t fuzz_split(const uint8_t *data, size_t size, fuzz_part *parts, size_t max);

/* The bundled rubric, loaded once (aborts when it cannot be). */
struct rubric;
const struct rubric *fuzz_rubric(void);

#endif
