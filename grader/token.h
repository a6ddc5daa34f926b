/* token.h - secrets for the web application: random tokens from the
 * kernel, SHA-256 (tokens are stored only as their hash), HMAC-SHA-256
 * (CSRF tokens derived from a server secret), constant-time comparison.
 * libgit2 exports no hash function and cmark none, so SHA-256 lives here
 * (FIPS 180-4, checked against its test vectors in tests/test_token.c). */
#ifndef GRADER_TOKEN_H
#define GRADER_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define SHA256_LEN 32

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t len; /* bytes so far */
    unsigned char buf[64];
    size_t nbuf;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
void sha256_final(sha256_ctx *c, unsigned char out[SHA256_LEN]);
void sha256(const void *data, size_t n, unsigned char out[SHA256_LEN]);
void hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
                 unsigned char out[SHA256_LEN]);

/* n random bytes from getrandom(2) (blocking until the pool is ready). */
int token_random(void *buf, size_t n, gr_error *err);

/* A new link token: TOKEN_BYTES random bytes as base64url without padding
 * (TOKEN_CHARS characters) into out[TOKEN_CHARS + 1]. */
#define TOKEN_BYTES 24 /* 192 bits */
#define TOKEN_CHARS 32
int token_new(char out[TOKEN_CHARS + 1], gr_error *err);
/* Does s look like a token (exactly TOKEN_CHARS base64url characters)?
 * Checked before any lookup, so junk never reaches the database. */
bool token_well_formed(const char *s, size_t len);

/* The stored form of a token: lowercase hex of its SHA-256, out[65]. */
void token_hash_hex(const char *token, size_t len, char out[2 * SHA256_LEN + 1]);

/* Lowercase hex of n bytes into out[2n + 1]. */
void hex_encode(const unsigned char *b, size_t n, char *out);
/* base64url, no padding, into out[(4n + 2) / 3 + 1]. */
void b64url_encode(const unsigned char *b, size_t n, char *out);

/* a and b equal, in time that depends only on n. */
bool ct_equal(const void *a, const void *b, size_t n);

#endif
