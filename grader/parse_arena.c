/* parse_arena.c - cmark's memory from big blocks (parse_arena.h). */
#include "parse_arena.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { FIRST_BLOCK = 64 * 1024, ALIGN = 16 };

typedef struct block {
    struct block *next;
    size_t cap, used;
    _Alignas(ALIGN) unsigned char data[];
} block;

/* Each allocation is preceded by its size, for realloc. */
typedef struct head {
    size_t size;
    _Alignas(ALIGN) unsigned char data[];
} head;

typedef struct arena {
    block *top; /* where allocations go; older blocks follow */
    void *last; /* the latest allocation: it may grow in place */
    int depth;
} arena;

static _Thread_local arena here;

/* cmark's own allocator aborts when memory runs out, and so does this one:
 * cmark has no way to report it */
static void *take(size_t size)
{
    size_t need = sizeof(head) + (size + ALIGN - 1) / ALIGN * ALIGN;
    if (size > SIZE_MAX / 2)
        abort();
    block *b = here.top;
    if (!b || b->cap - b->used < need) {
        size_t cap = b ? 2 * b->cap : FIRST_BLOCK;
        if (cap < need)
            cap = need;
        b = malloc(sizeof *b + cap);
        if (!b)
            abort();
        b->next = here.top;
        b->cap = cap;
        b->used = 0;
        here.top = b;
    }
    head *h = (head *)(void *)(b->data + b->used);
    b->used += need;
    h->size = size;
    here.last = h->data;
    return h->data;
}

static head *head_of(void *p)
{
    return (head *)(void *)((unsigned char *)p - offsetof(head, data));
}

static void *arena_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        abort();
    void *p = take(n * size);
    memset(p, 0, n * size);
    return p;
}

static void *arena_realloc(void *p, size_t size)
{
    if (!p)
        return take(size);
    head *h = head_of(p);
    block *b = here.top;
    /* cmark's buffers grow by doubling: the latest one grows where it is */
    if (p == here.last) {
        size_t at = (size_t)((unsigned char *)h - b->data);
        size_t need = sizeof(head) + (size + ALIGN - 1) / ALIGN * ALIGN;
        if (size <= SIZE_MAX / 2 && b->cap - at >= need) {
            b->used = at + need;
            h->size = size;
            return p;
        }
    }
    size_t old = h->size;
    void *q = take(size);
    memcpy(q, p, old < size ? old : size);
    return q;
}

static void arena_free(void *p)
{
    (void)p; /* given back with the arena */
}

static cmark_mem mem = {arena_calloc, arena_realloc, arena_free};

cmark_mem *parse_arena_begin(void)
{
    here.depth++;
    return &mem;
}

void parse_arena_end(void)
{
    if (--here.depth > 0)
        return;
    for (block *b = here.top, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    here = (arena){0};
}
