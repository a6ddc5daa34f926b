/* parse_arena: cmark's memory for one post's parses, given back at once. */
#include <stdint.h>
#include <string.h>

#include "parse_arena.h"
#include "testutil.h"

START_TEST(memory_keeps_what_was_written)
{
    cmark_mem *m = parse_arena_begin();
    unsigned char *a = m->calloc(10, 3);
    for (int i = 0; i < 30; i++)
        ck_assert_int_eq(a[i], 0);
    memset(a, 'a', 30);
    /* the latest allocation grows where it is, or moves with its bytes */
    unsigned char *b = m->realloc(NULL, 8);
    memcpy(b, "bbbbbbbb", 8);
    for (size_t n = 16; n <= 1u << 20; n *= 2) {
        b = m->realloc(b, n);
        ck_assert_uint_eq((uintptr_t)b % 16, 0);
        for (size_t i = 0; i < 8; i++)
            ck_assert_int_eq(b[i], 'b');
        memset(b + n / 2, 'c', n / 2);
    }
    /* an older one moves, keeping its bytes */
    a = m->realloc(a, 4000);
    for (int i = 0; i < 30; i++)
        ck_assert_int_eq(a[i], 'a');
    m->free(a);
    m->free(NULL);
    /* nested: the inner end gives nothing back */
    ck_assert_ptr_eq(parse_arena_begin(), m);
    char *c = m->calloc(1, 5);
    parse_arena_end();
    ck_assert_int_eq(b[0], 'b');
    ck_assert_int_eq(c[0], 0);
    parse_arena_end();
}
END_TEST

START_TEST(cmark_parses_from_it)
{
    for (int round = 0; round < 3; round++) {
        cmark_parser *p = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, parse_arena_begin());
        const char *md = "# Title\n\n- one\n- two *bold*\n\n```\ncode\n```\n";
        cmark_parser_feed(p, md, strlen(md));
        cmark_node *doc = cmark_parser_finish(p);
        cmark_parser_free(p);
        ck_assert_ptr_nonnull(doc);
        cmark_node *h = cmark_node_first_child(doc);
        ck_assert_int_eq(cmark_node_get_type(h), CMARK_NODE_HEADING);
        ck_assert_str_eq(cmark_node_get_literal(cmark_node_first_child(h)), "Title");
        ck_assert_int_eq(cmark_node_get_type(cmark_node_next(h)), CMARK_NODE_LIST);
        parse_arena_end();
    }
}
END_TEST

static Suite *parse_arena_suite(void)
{
    Suite *s = suite_create("parse_arena");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, memory_keeps_what_was_written);
    tcase_add_test(tc, cmark_parses_from_it);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(parse_arena_suite)
