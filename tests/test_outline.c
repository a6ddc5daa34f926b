/* outline: every heading style, lists, re-read code, raw HTML, cleaned
 * input, images, links, word counts, odd bytes and pathological nesting. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "outline.h"
#include "testutil.h"
#include "util.h"

static outline *parse(const char *text)
{
    outline *o = NULL;
    gr_error err = {0};
    ck_assert_int_eq(outline_parse(text, strlen(text), &o, &err), 0);
    ck_assert_ptr_nonnull(o);
    return o;
}

/* The logical line whose text is exactly `text` (the test fails without). */
static const ol_line *find(const outline *o, const char *text)
{
    for (size_t i = 0; i < o->nlines; i++)
        if (!strcmp(o->lines[i].text, text))
            return &o->lines[i];
    ck_abort_msg("no line \"%s\" in the outline", text);
    return NULL;
}

static bool has_line(const outline *o, const char *text)
{
    for (size_t i = 0; i < o->nlines; i++)
        if (!strcmp(o->lines[i].text, text))
            return true;
    return false;
}

#define EXPECT_LINE(o, txt, knd, lvl, ln)                                                          \
    do {                                                                                           \
        const ol_line *l_ = find(o, txt);                                                          \
        ck_assert_msg(l_->kind == (knd), "\"%s\": kind %d, expected %d", txt, (int)l_->kind,       \
                      (int)(knd));                                                                 \
        ck_assert_int_eq(l_->level, lvl);                                                          \
        ck_assert_int_eq(l_->line, ln);                                                            \
    } while (0)

START_TEST(atx_headings)
{
    outline *o = parse("# One\n\n## Two ##\n\n### Three\n#### Four\n##### Five\n###### Six\n\n"
                       "####### Seven\n\n#No space\n\n##Timeline:\n\n#1 priority\n");
    EXPECT_LINE(o, "One", OL_HEADING, 1, 1);
    EXPECT_LINE(o, "Two", OL_HEADING, 2, 3);
    EXPECT_LINE(o, "Three", OL_HEADING, 3, 5);
    EXPECT_LINE(o, "Four", OL_HEADING, 4, 6);
    EXPECT_LINE(o, "Five", OL_HEADING, 5, 7);
    EXPECT_LINE(o, "Six", OL_HEADING, 6, 8);
    /* not headings in CommonMark: plain text lines */
    EXPECT_LINE(o, "####### Seven", OL_TEXT, 0, 10);
    /* "#Heading" with no space is text to Markdown, a heading to a reader:
     * a pseudo-heading, marks stripped; "#1" is not */
    EXPECT_LINE(o, "No space", OL_BOLD, 0, 12);
    EXPECT_LINE(o, "Timeline:", OL_BOLD, 0, 14);
    EXPECT_LINE(o, "#1 priority", OL_TEXT, 0, 16);
    ck_assert_uint_eq(o->nlines, 10);
    ck_assert(find(o, "One")->para_start);
    outline_free(o);
}
END_TEST

START_TEST(setext_headings)
{
    outline *o = parse("Postmortem\n==========\n\nIssue Summary\n-------------\ntext\n");
    EXPECT_LINE(o, "Postmortem", OL_HEADING, 1, 1);
    EXPECT_LINE(o, "Issue Summary", OL_HEADING, 2, 4);
    EXPECT_LINE(o, "text", OL_TEXT, 0, 6);
    outline_free(o);
}
END_TEST

START_TEST(bold_lines)
{
    outline *o = parse("**Issue Summary**\n\n**Timeline**:\n\n**Root Cause:**\n\n__Measures__\n\n"
                       "*Emphasis only*\n\nplain **bold** mix\n\n**Bold** then text\n");
    EXPECT_LINE(o, "Issue Summary", OL_BOLD, 0, 1);
    ck_assert(!find(o, "Issue Summary")->colon);
    /* the colon outside the bold still ends the line */
    EXPECT_LINE(o, "Timeline:", OL_BOLD, 0, 3);
    ck_assert(find(o, "Timeline:")->colon);
    EXPECT_LINE(o, "Root Cause:", OL_BOLD, 0, 5);
    ck_assert(find(o, "Root Cause:")->colon);
    EXPECT_LINE(o, "Measures", OL_BOLD, 0, 7);
    EXPECT_LINE(o, "Emphasis only", OL_BOLD, 0, 9);
    EXPECT_LINE(o, "plain bold mix", OL_TEXT, 0, 11);
    EXPECT_LINE(o, "Bold then text", OL_TEXT, 0, 13);
    outline_free(o);
}
END_TEST

START_TEST(bold_line_run_into_paragraph)
{
    /* a bold name on the first line of a paragraph is a line of its own */
    outline *o = parse("**Timeline**\n10:00 - alert fired\n10:05 - paged on-call\n");
    EXPECT_LINE(o, "Timeline", OL_BOLD, 0, 1);
    EXPECT_LINE(o, "10:00 - alert fired", OL_TEXT, 0, 2);
    EXPECT_LINE(o, "10:05 - paged on-call", OL_TEXT, 0, 3);
    ck_assert(find(o, "Timeline")->para_start);
    ck_assert(!find(o, "10:00 - alert fired")->para_start);
    outline_free(o);
}
END_TEST

START_TEST(plain_lines)
{
    outline *o = parse("Issue Summary:\nThe site was down.\n\nTimeline\n\nRoot cause;\n");
    EXPECT_LINE(o, "Issue Summary:", OL_TEXT, 0, 1);
    ck_assert(find(o, "Issue Summary:")->colon);
    ck_assert(find(o, "Issue Summary:")->para_start);
    EXPECT_LINE(o, "The site was down.", OL_TEXT, 0, 2);
    ck_assert(!find(o, "The site was down.")->colon);
    ck_assert(!find(o, "The site was down.")->para_start);
    EXPECT_LINE(o, "Timeline", OL_TEXT, 0, 4);
    ck_assert(!find(o, "Timeline")->colon);
    ck_assert(find(o, "Root cause;")->colon);
    outline_free(o);
}
END_TEST

START_TEST(lists)
{
    outline *o =
        parse("- alpha\n- beta\n  - nested one\n    1. deeper\n- gamma\n  wrapped gamma\n\n"
              "1. first\n2. second\n3. third\n");
    ck_assert_uint_eq(o->nlists, 4);
    ck_assert_int_eq(o->lists[0].depth, 0);
    ck_assert(!o->lists[0].ordered);
    ck_assert_uint_eq(o->lists[0].nitems, 3);
    ck_assert_int_eq(o->lists[0].line, 1);
    ck_assert_int_eq(o->lists[1].depth, 1);
    ck_assert_uint_eq(o->lists[1].nitems, 1);
    ck_assert_int_eq(o->lists[2].depth, 2);
    ck_assert(o->lists[2].ordered);
    ck_assert(o->lists[3].ordered);
    ck_assert_int_eq(o->lists[3].depth, 0);
    ck_assert_uint_eq(o->lists[3].nitems, 3);
    ck_assert_int_eq(o->lists[3].line, 8);
    const ol_line *l = find(o, "beta");
    ck_assert_int_eq(l->list, 0);
    ck_assert_int_eq(l->item, 1);
    ck_assert(l->item_start);
    ck_assert_int_eq(l->line, 2);
    l = find(o, "nested one");
    ck_assert_int_eq(l->list, 1);
    ck_assert_int_eq(l->item, 0);
    l = find(o, "deeper");
    ck_assert_int_eq(l->list, 2);
    ck_assert_int_eq(l->line, 4);
    l = find(o, "gamma");
    ck_assert_int_eq(l->list, 0);
    ck_assert_int_eq(l->item, 2);
    ck_assert(l->item_start);
    /* the item's second line belongs to it but does not start it */
    l = find(o, "wrapped gamma");
    ck_assert_int_eq(l->list, 0);
    ck_assert_int_eq(l->item, 2);
    ck_assert(!l->item_start);
    ck_assert_int_eq(l->line, 6);
    l = find(o, "third");
    ck_assert_int_eq(l->list, 3);
    ck_assert_int_eq(l->item, 2);
    ck_assert_int_eq(l->line, 10);
    outline_free(o);
}
END_TEST

START_TEST(pseudo_lists)
{
    outline *o = parse("Timeline\n\n\xe2\x80\xa2 10:00 alert fired\n\xe2\x80\xa2 10:05 paged\n"
                       "  the on-call engineer\n\xe2\x80\xa2\t10:30 fixed\n\nAfter the list.\n");
    ck_assert_uint_eq(o->nlists, 1);
    ck_assert(o->lists[0].pseudo);
    ck_assert_uint_eq(o->lists[0].nitems, 3);
    ck_assert_int_eq(o->lists[0].line, 3);
    /* the bullet is gone from the text, and from the word count */
    const ol_line *l = find(o, "10:00 alert fired");
    ck_assert_int_eq(l->list, 0);
    ck_assert_int_eq(l->item, 0);
    ck_assert(l->item_start);
    ck_assert_uint_eq(l->words, 3);
    l = find(o, "10:05 paged");
    ck_assert_int_eq(l->item, 1);
    ck_assert_int_eq(l->line, 4);
    l = find(o, "the on-call engineer");
    ck_assert_int_eq(l->list, 0);
    ck_assert_int_eq(l->item, 1);
    ck_assert(!l->item_start);
    l = find(o, "10:30 fixed");
    ck_assert_int_eq(l->item, 2);
    ck_assert_int_eq(find(o, "After the list.")->list, -1);
    ck_assert_int_eq(find(o, "Timeline")->list, -1);
    ck_assert_uint_eq(o->words, 1 + 3 + 2 + 3 + 2 + 3);
    outline_free(o);
    /* a label right under the last item opens what follows, it does not
     * carry that item on */
    o = parse("Summary:\n\xe2\x80\xa2 Down for an hour\nTimeline:\n\xe2\x80\xa2 10:00 alert\n");
    ck_assert_int_eq(find(o, "Down for an hour")->list, 0);
    ck_assert_int_eq(find(o, "Timeline:")->list, -1);
    ck_assert_int_eq(find(o, "10:00 alert")->list, 1);
    outline_free(o);
}
END_TEST

/* A line of dashes right under a name that follows text with no blank
 * line makes a Setext heading of the whole paragraph; only the name is. */
START_TEST(setext_under_text)
{
    outline *o = parse("The site was down for an hour.\nUsers saw errors.\n**Timeline:**\n"
                       "-----------\n- 10:00 alert\n\nTitle\n=====\n");
    EXPECT_LINE(o, "The site was down for an hour.", OL_TEXT, 0, 1);
    EXPECT_LINE(o, "Users saw errors.", OL_TEXT, 0, 2);
    EXPECT_LINE(o, "Timeline:", OL_HEADING, 2, 3);
    ck_assert(find(o, "Timeline:")->para_start);
    EXPECT_LINE(o, "Title", OL_HEADING, 1, 7);
    outline_free(o);
}
END_TEST

/* A closed fence inside a block quote or a list item is code, as it is at
 * the top: its lines are not read again as Markdown. */
START_TEST(fence_in_containers)
{
    outline *o = parse("> Before.\n>\n> ```\n> - not a list\n> ```\n\n- item\n\n  ```\n"
                       "  # not a heading\n  ```\n");
    ck_assert(!o->reread_code);
    EXPECT_LINE(o, "- not a list", OL_CODE, 0, 4);
    EXPECT_LINE(o, "# not a heading", OL_CODE, 0, 10);
    outline_free(o);
}
END_TEST

START_TEST(indented_block_reread)
{
    /* students indent whole sections: prose and bullets, not code */
    outline *o = parse("# Post\n\n    Issue Summary\n    The API was down.\n\n    - 10:00 alert\n"
                       "    - 10:05 paged\n\n    **Timeline**\n");
    ck_assert(o->reread_code);
    EXPECT_LINE(o, "Issue Summary", OL_TEXT, 0, 3);
    EXPECT_LINE(o, "The API was down.", OL_TEXT, 0, 4);
    EXPECT_LINE(o, "10:00 alert", OL_TEXT, 0, 6);
    EXPECT_LINE(o, "10:05 paged", OL_TEXT, 0, 7);
    EXPECT_LINE(o, "Timeline", OL_BOLD, 0, 9);
    ck_assert_uint_eq(o->nlists, 1);
    ck_assert_uint_eq(o->lists[0].nitems, 2);
    ck_assert_int_eq(o->lists[0].line, 6);
    ck_assert_int_eq(find(o, "10:05 paged")->item, 1);
    for (size_t i = 0; i < o->nlines; i++)
        ck_assert_int_ne(o->lines[i].kind, OL_CODE);
    outline_free(o);
}
END_TEST

START_TEST(indented_heading_inside_list_reread)
{
    /* a block indented inside a list item: still re-read */
    outline *o = parse("Intro\n\n        ## Timeline\n        - 09:00 start\n");
    EXPECT_LINE(o, "Timeline", OL_HEADING, 2, 3);
    EXPECT_LINE(o, "09:00 start", OL_TEXT, 0, 4);
    ck_assert_int_ge(find(o, "09:00 start")->list, 0);
    outline_free(o);
}
END_TEST

START_TEST(unclosed_fence_reread)
{
    outline *o = parse("# Post\n\n```\n## Timeline\n- 10:00 alert\n- 10:10 fixed\n");
    ck_assert(o->reread_code);
    EXPECT_LINE(o, "Timeline", OL_HEADING, 2, 4);
    EXPECT_LINE(o, "10:00 alert", OL_TEXT, 0, 5);
    EXPECT_LINE(o, "10:10 fixed", OL_TEXT, 0, 6);
    ck_assert_uint_eq(o->nlists, 1);
    outline_free(o);
    /* a tilde fence with an info string, indented up to three spaces */
    o = parse("Intro\n\n   ~~~markdown\n**Root Cause**\n");
    EXPECT_LINE(o, "Root Cause", OL_BOLD, 0, 4);
    outline_free(o);
}
END_TEST

START_TEST(closed_fence_stays_code)
{
    outline *o = parse("# Post\n\n```nginx\nserver {\n- not a list\n```\n\nafter\n");
    ck_assert(!o->reread_code);
    EXPECT_LINE(o, "server {", OL_CODE, 0, 4);
    EXPECT_LINE(o, "- not a list", OL_CODE, 0, 5);
    EXPECT_LINE(o, "after", OL_TEXT, 0, 8);
    ck_assert_int_eq(find(o, "- not a list")->list, -1);
    ck_assert_uint_eq(o->nlists, 0);
    /* a closing fence longer than the opening one closes it too */
    outline_free(o);
    o = parse("~~~\n# not a heading\n~~~~~\n");
    EXPECT_LINE(o, "# not a heading", OL_CODE, 0, 2);
    outline_free(o);
}
END_TEST

START_TEST(raw_html)
{
    outline *o = parse("<h1>Outage &amp; Recovery</h1>\n<h3>Timeline</h3>\n<ul>\n"
                       "<li>10:00 &lt;alert&gt;</li>\n<li>10:05 caf&#233; &#x263A;</li>\n</ul>\n"
                       "<p><img src=\"diagram.png\" alt=\"words of alt\"> see "
                       "<a href='https://example.com/pm'>the report</a></p>\n\nafter\n");
    EXPECT_LINE(o, "Outage & Recovery", OL_HEADING, 1, 1);
    EXPECT_LINE(o, "Timeline", OL_HEADING, 3, 2);
    ck_assert_uint_eq(o->nlists, 1);
    ck_assert_uint_eq(o->lists[0].nitems, 2);
    const ol_line *l = find(o, "10:00 <alert>");
    ck_assert_int_eq(l->line, 4);
    ck_assert_int_eq(l->list, 0);
    ck_assert(l->item_start);
    l = find(o, "10:05 caf\xc3\xa9 \xe2\x98\xba");
    ck_assert_int_eq(l->item, 1);
    ck_assert_int_eq(l->line, 5);
    ck_assert_uint_eq(o->nimages, 1);
    ck_assert_str_eq(o->images[0].url, "diagram.png");
    ck_assert_int_eq(o->images[0].line, 7);
    ck_assert_uint_eq(o->nlinks, 1);
    ck_assert_str_eq(o->links[0].url, "https://example.com/pm");
    l = find(o, "see the report");
    ck_assert(l->image);
    ck_assert_int_eq(l->line, 7);
    EXPECT_LINE(o, "after", OL_TEXT, 0, 9);
    outline_free(o);
}
END_TEST

START_TEST(raw_html_comments_and_scripts)
{
    outline *o = parse("<div>\n<!-- a comment\nover lines -->\n<script>var x = 1;</script>\n"
                       "<b>Issue Summary</b>\n</div>\n");
    ck_assert(!has_line(o, "a comment"));
    ck_assert(!has_line(o, "var x = 1;"));
    EXPECT_LINE(o, "Issue Summary", OL_TEXT, 0, 5);
    outline_free(o);
}
END_TEST

START_TEST(merge_conflict_markers)
{
    /* without markers, "ours" over "=======" is a setext heading */
    outline *o = parse("ours\n=======\ntheirs\n");
    EXPECT_LINE(o, "ours", OL_HEADING, 1, 1);
    ck_assert(!o->had_conflict_markers);
    outline_free(o);
    o = parse("# Post\n\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> feature\n\nend\n");
    ck_assert(o->had_conflict_markers);
    EXPECT_LINE(o, "ours", OL_TEXT, 0, 4);
    EXPECT_LINE(o, "theirs", OL_TEXT, 0, 6);
    EXPECT_LINE(o, "end", OL_TEXT, 0, 9);
    for (size_t i = 0; i < o->nlines; i++) {
        ck_assert_ptr_null(strstr(o->lines[i].text, "<<<<"));
        ck_assert_ptr_null(strstr(o->lines[i].text, "===="));
    }
    outline_free(o);
}
END_TEST

START_TEST(front_matter)
{
    outline *o = parse("---\ntitle: My outage\nauthor: me\ntags:\n  - sre\n---\n\n# Postmortem\n\n"
                       "text\n");
    ck_assert(o->had_front_matter);
    ck_assert(!has_line(o, "title: My outage"));
    /* line numbers after it are those of the file */
    EXPECT_LINE(o, "Postmortem", OL_HEADING, 1, 8);
    EXPECT_LINE(o, "text", OL_TEXT, 0, 10);
    ck_assert_uint_eq(o->nlines, 2);
    outline_free(o);
    /* "..." closes it too, and CRLF line ends are fine */
    o = parse("---\r\ntitle: x\r\n...\r\n# Head\r\n");
    ck_assert(o->had_front_matter);
    EXPECT_LINE(o, "Head", OL_HEADING, 1, 4);
    outline_free(o);
    /* a thematic break then prose is not front matter */
    o = parse("---\nThe site went down at noon\n\nmore\n");
    ck_assert(!o->had_front_matter);
    ck_assert(has_line(o, "The site went down at noon"));
    outline_free(o);
}
END_TEST

START_TEST(images_and_links)
{
    outline *o =
        parse("# T\n\nSee ![a big diagram](img/arch.png \"t\") and [the doc](https://x.io/d).\n"
              "\nAuto <https://auto.example/a> link\n\n![](only.png)\n");
    ck_assert_uint_eq(o->nimages, 2);
    ck_assert_str_eq(o->images[0].url, "img/arch.png");
    ck_assert_int_eq(o->images[0].line, 3);
    ck_assert_str_eq(o->images[1].url, "only.png");
    ck_assert_int_eq(o->images[1].line, 7);
    ck_assert_uint_eq(o->nlinks, 2);
    ck_assert_str_eq(o->links[0].url, "https://x.io/d");
    ck_assert_int_eq(o->links[0].line, 3);
    ck_assert_str_eq(o->links[1].url, "https://auto.example/a");
    ck_assert_int_eq(o->links[1].line, 5);
    /* alt text is not shown, so not counted */
    const ol_line *l = find(o, "See  and the doc.");
    ck_assert(l->image);
    ck_assert_uint_eq(l->words, 4);
    /* an image alone is still a line (it says where the image is) */
    bool found = false;
    for (size_t i = 0; i < o->nlines; i++)
        if (o->lines[i].line == 7) {
            ck_assert(o->lines[i].image);
            ck_assert_uint_eq(o->lines[i].words, 0);
            found = true;
        }
    ck_assert(found);
    outline_free(o);
}
END_TEST

START_TEST(word_counts)
{
    ck_assert_uint_eq(count_words(""), 0);
    ck_assert_uint_eq(count_words("   "), 0);
    ck_assert_uint_eq(count_words("one"), 1);
    ck_assert_uint_eq(count_words_upto("one two three four", 3), 3);
    ck_assert_uint_eq(count_words_upto("one two", 3), 2);
    ck_assert_uint_eq(count_words_upto("one two three four", SIZE_MAX), 4);
    /* long texts are read 16 bytes at a time: a no-break space or a word
     * across any boundary counts as byte by byte */
    static const char *const pieces[] = {"ab", " ", "\xc2\xa0", "\t", "x", "\xc2", "\xa0", "\n"};
    /* and texts with no 0xC2 at all, which take the 16-byte path whole */
    static const char *const plain[] = {"ab", " ", "\xc3\xa9", "\t", "x", "\r", "\v", "\n"};
    uint32_t seed = 7;
    for (int round = 0; round < 4000; round++) {
        char t[200] = "";
        size_t want = 0;
        bool in = false;
        for (int k = 0; k < 40; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = (round % 2 ? plain : pieces)[(seed >> 16) % 8];
            strcat(t, piece);
        }
        for (const unsigned char *q = (const unsigned char *)t; *q; q++) {
            bool sp = *q == ' ' || (*q >= '\t' && *q <= '\r');
            if (*q == 0xC2 && q[1] == 0xA0) {
                sp = true;
                q++;
            }
            want += !sp && !in;
            in = !sp;
        }
        ck_assert_uint_eq(count_words(t), want);
        ck_assert_uint_eq(count_words_upto(t, 5), want < 5 ? want : 5);
    }
    ck_assert_uint_eq(count_words(" two  words\t"), 2);
    ck_assert_uint_eq(count_words("a\xc2\xa0"
                                  "b"),
                      2);                                              /* NBSP separates */
    ck_assert_uint_eq(count_words("caf\xc3\xa9 \xf0\x9f\x94\xa5"), 2); /* é, emoji */
    ck_assert_uint_eq(count_words("\xc2\xa0"), 0);
    outline *o = parse("# Title here\n\nSee https://medium.com/some-long-outage-report-title "
                       "now\n\nfive\xc2\xa0six&nbsp;seven\n");
    /* a URL is one word and reads as [link], not as its words */
    const ol_line *l = find(o, "See [link] now");
    ck_assert_uint_eq(l->words, 3);
    l = find(o, "five\xc2\xa0six\xc2\xa0seven");
    ck_assert_uint_eq(l->words, 3);
    ck_assert_uint_eq(o->words, 2 + 3 + 3);
    outline_free(o);
    /* "www." is a host only when a dot follows: PHP-FPM's pool file
     * "www.conf" is a file name the fix's detail reads */
    o = parse("# T\n\nOpen www.shop.example/cart, then edit www.conf.\n");
    ck_assert_ptr_nonnull(find(o, "Open [link] then edit www.conf."));
    outline_free(o);
}
END_TEST

START_TEST(crlf_and_no_final_newline)
{
    outline *o =
        parse("# Title\r\n\r\n**Timeline**\r\n\r\n- 10:00 a\r\n- 10:05 b\r\n\r\nlast line");
    EXPECT_LINE(o, "Title", OL_HEADING, 1, 1);
    EXPECT_LINE(o, "Timeline", OL_BOLD, 0, 3);
    EXPECT_LINE(o, "10:05 b", OL_TEXT, 0, 6);
    EXPECT_LINE(o, "last line", OL_TEXT, 0, 8);
    for (size_t i = 0; i < o->nlines; i++)
        ck_assert_ptr_null(strchr(o->lines[i].text, '\r'));
    outline_free(o);
    o = parse("Title\r\n=====");
    EXPECT_LINE(o, "Title", OL_HEADING, 1, 1);
    outline_free(o);
    o = parse("no newline at all");
    ck_assert_uint_eq(o->nlines, 1);
    EXPECT_LINE(o, "no newline at all", OL_TEXT, 0, 1);
    outline_free(o);
}
END_TEST

START_TEST(emoji_and_unicode)
{
    outline *o = parse("# \xf0\x9f\x94\xa5 Outage \xf0\x9f\x94\xa5\n\n"
                       "**\xe2\x8f\xb0 Timeline**\n\nZ\xc3\xbcrich \xe6\x9d\xb1\xe4\xba\xac\n");
    EXPECT_LINE(o, "\xf0\x9f\x94\xa5 Outage \xf0\x9f\x94\xa5", OL_HEADING, 1, 1);
    ck_assert_uint_eq(find(o, "\xf0\x9f\x94\xa5 Outage \xf0\x9f\x94\xa5")->words, 3);
    EXPECT_LINE(o, "\xe2\x8f\xb0 Timeline", OL_BOLD, 0, 3);
    EXPECT_LINE(o, "Z\xc3\xbcrich \xe6\x9d\xb1\xe4\xba\xac", OL_TEXT, 0, 5);
    outline_free(o);
}
END_TEST

START_TEST(empty_and_blank)
{
    outline *o = parse("");
    ck_assert_uint_eq(o->nlines, 0);
    ck_assert_uint_eq(o->words, 0);
    outline_free(o);
    o = parse("\n\n   \n\t\n");
    ck_assert_uint_eq(o->nlines, 0);
    outline_free(o);
}
END_TEST

static char *repeat(const char *unit, size_t n, const char *tail)
{
    size_t ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(ul * n + tl + 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * ul, unit, ul);
    memcpy(s + ul * n, tail, tl + 1);
    return s;
}

START_TEST(deep_nesting)
{
    /* each must parse without crashing or exhausting the stack; the
     * test's timeout catches anything quadratic enough to matter */
    static const struct {
        const char *unit, *tail;
        size_t n;
    } cases[] = {
        {">", " deep quote\n", 10000},
        {"- ", "deep item\n", 10000},
        {"<ul><li>", "html item\n", 5000},
        {"*", "a\n", 50000},
        {"[", "\n", 50000},
        {"```\nx\n```\n\n", "", 60000},   /* many fences: no rescans from the top */
        {"    x\n\npara\n\n", "", 20000}, /* many indented blocks re-read */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *s = repeat(cases[c].unit, cases[c].n, cases[c].tail);
        outline *o = parse(s);
        ck_assert_int_gt(o->nlines, 0);
        outline_free(o);
        free(s);
    }
    /* nested Markdown lists, one level deeper each line */
    strbuf sb;
    sb_init(&sb);
    for (int i = 0; i < 2000; i++) {
        for (int k = 0; k < i; k++)
            sb_puts(&sb, "  ");
        sb_puts(&sb, "- item\n");
    }
    ck_assert(!sb_failed(&sb));
    outline *o = parse(sb_str(&sb));
    ck_assert_int_gt(o->nlines, 0);
    ck_assert_int_eq(o->lists[0].depth, 0);
    for (size_t i = 0; i < o->nlists; i++)
        ck_assert_int_lt(o->lists[i].depth, 1000);
    outline_free(o);
    sb_free(&sb);
}
END_TEST

START_TEST(deep_quote_keeps_text)
{
    char *s = repeat(">", 10000, " Issue Summary\n");
    outline *o = parse(s);
    EXPECT_LINE(o, "Issue Summary", OL_TEXT, 0, 1);
    outline_free(o);
    free(s);
}
END_TEST

static Suite *outline_suite(void)
{
    Suite *s = suite_create("outline");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, atx_headings);
    tcase_add_test(tc, setext_headings);
    tcase_add_test(tc, bold_lines);
    tcase_add_test(tc, bold_line_run_into_paragraph);
    tcase_add_test(tc, plain_lines);
    tcase_add_test(tc, lists);
    tcase_add_test(tc, pseudo_lists);
    tcase_add_test(tc, setext_under_text);
    tcase_add_test(tc, fence_in_containers);
    tcase_add_test(tc, indented_block_reread);
    tcase_add_test(tc, indented_heading_inside_list_reread);
    tcase_add_test(tc, unclosed_fence_reread);
    tcase_add_test(tc, closed_fence_stays_code);
    tcase_add_test(tc, raw_html);
    tcase_add_test(tc, raw_html_comments_and_scripts);
    tcase_add_test(tc, merge_conflict_markers);
    tcase_add_test(tc, front_matter);
    tcase_add_test(tc, images_and_links);
    tcase_add_test(tc, word_counts);
    tcase_add_test(tc, crlf_and_no_final_newline);
    tcase_add_test(tc, emoji_and_unicode);
    tcase_add_test(tc, empty_and_blank);
    tcase_add_test(tc, deep_nesting);
    tcase_add_test(tc, deep_quote_keeps_text);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(outline_suite)
