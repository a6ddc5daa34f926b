/* parse_arena.h - cmark's memory for the parses of one post, taken from a
 * few big blocks and given back at once.
 *
 * cmark allocates every node, every line buffer and every literal on its
 * own and frees them one by one: with the tree walked once and dropped,
 * that was a tenth of the time spent scoring a post. Here each thread
 * hands cmark its own arena; what cmark frees stays taken until the
 * outermost parse_arena_end. cmark's allocator takes no context, hence
 * the per-thread state.
 *
 *     cmark_parser *p = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, parse_arena_begin());
 *     ...parse, walk the tree (parses may nest)...
 *     parse_arena_end();   // the tree is gone: no cmark_node_free
 */
#ifndef GRADER_PARSE_ARENA_H
#define GRADER_PARSE_ARENA_H

#include <cmark.h>

/* This thread's arena, opened (or opened once more, when nested). */
cmark_mem *parse_arena_begin(void);
/* Close it; the outermost close frees all that cmark took from it. */
void parse_arena_end(void);

#endif
