/* Tests for token.c: SHA-256 and HMAC against published vectors, tokens. */
#include <string.h>

#include "testutil.h"
#include "token.h"

static void hex_of(const char *msg, size_t n, char *out)
{
    unsigned char h[SHA256_LEN];
    sha256(msg, n, h);
    hex_encode(h, sizeof h, out);
}

START_TEST(sha256_vectors)
{
    char hx[65];
    hex_of("", 0, hx);
    ck_assert_str_eq(hx, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hex_of("abc", 3, hx);
    ck_assert_str_eq(hx, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex_of(two, strlen(two), hx);
    ck_assert_str_eq(hx, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* a million 'a', fed in uneven pieces across block boundaries */
    sha256_ctx c;
    sha256_init(&c);
    char a[997];
    memset(a, 'a', sizeof a);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof a ? left : sizeof a;
        sha256_update(&c, a, n);
        left -= n;
    }
    unsigned char h[SHA256_LEN];
    sha256_final(&c, h);
    hex_encode(h, sizeof h, hx);
    ck_assert_str_eq(hx, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

START_TEST(hmac_vectors)
{
    /* RFC 4231 test cases 2 and 6 (a key longer than the block) */
    unsigned char h[SHA256_LEN];
    char hx[65];
    const char *msg = "what do ya want for nothing?";
    hmac_sha256("Jefe", 4, msg, strlen(msg), h);
    hex_encode(h, sizeof h, hx);
    ck_assert_str_eq(hx, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    unsigned char key[131];
    memset(key, 0xaa, sizeof key);
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    hmac_sha256(key, sizeof key, m6, strlen(m6), h);
    hex_encode(h, sizeof h, hx);
    ck_assert_str_eq(hx, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

START_TEST(tokens)
{
    char t1[TOKEN_CHARS + 1], t2[TOKEN_CHARS + 1];
    gr_error err = {0};
    ck_assert_int_eq(token_new(t1, &err), 0);
    ck_assert_int_eq(token_new(t2, &err), 0);
    ck_assert_uint_eq(strlen(t1), TOKEN_CHARS);
    ck_assert_str_ne(t1, t2);
    ck_assert(token_well_formed(t1, strlen(t1)));
    ck_assert(!token_well_formed(t1, strlen(t1) - 1));
    char bad[TOKEN_CHARS + 1];
    memcpy(bad, t1, sizeof bad);
    bad[5] = '/';
    ck_assert(!token_well_formed(bad, TOKEN_CHARS));
    bad[5] = 0;
    ck_assert(!token_well_formed(bad, TOKEN_CHARS));
    char h1[65], h2[65];
    token_hash_hex(t1, TOKEN_CHARS, h1);
    token_hash_hex(t2, TOKEN_CHARS, h2);
    ck_assert_str_ne(h1, h2);
    ck_assert(!strstr(h1, t1));
    char b[8];
    b64url_encode((const unsigned char *)"\xfb\xff", 2, b);
    ck_assert_str_eq(b, "-_8");
    ck_assert(ct_equal("abc", "abc", 3));
    ck_assert(!ct_equal("abc", "abd", 3));
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("token");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, sha256_vectors);
    tcase_add_test(tc, hmac_vectors);
    tcase_add_test(tc, tokens);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(make_suite)
