/* Unit tests of the small utility modules: src/buf.h, src/arena.h,
 * src/suggest.h, src/utf8.h and src/diag.h. */
#include "testutil.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "memory.h"
#include "suggest.h"
#include "utf8.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ buf */

START_TEST(test_buf_init_and_empty)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  ck_assert_ptr_null(b.data);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_uint_eq(b.cap, 0);
  ck_assert(!b.oom);
  ck_assert_str_eq(dipkg_buf_cstr(&b), "");
  ck_assert_uint_eq(b.len, 0);  // the NUL is not counted
  char *s = dipkg_buf_take(&b);
  ck_assert_ptr_nonnull(s);
  ck_assert_str_eq(s, "");
  ck_assert_ptr_null(b.data);  // taken: the buffer is reset
  ck_assert_uint_eq(b.cap, 0);
  dipkg_free(s);
}
END_TEST

START_TEST(test_buf_growth)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_putc(&b, 'x');
  ck_assert_uint_eq(b.cap, 256);
  for (size_t i = 1; i < 10000; i++)
    dipkg_buf_putc(&b, (char)('a' + i % 26));
  ck_assert_uint_eq(b.len, 10000);
  ck_assert_uint_eq(b.cap, 16384);  // doubled from 256
  ck_assert(!b.oom);
  ck_assert_int_eq(b.data[0], 'x');
  for (size_t i = 1; i < 10000; i++)
    ck_assert_int_eq(b.data[i], 'a' + (int)(i % 26));
  // A big append grows at once, with room for the NUL.
  char big[70000];
  memset(big, 'z', sizeof big);
  dipkg_buf_append(&b, big, sizeof big);
  ck_assert_uint_eq(b.len, 80000);
  ck_assert_uint_gt(b.cap, b.len);
  ck_assert_uint_eq(b.cap, 131072);
  ck_assert_uint_eq(strlen(dipkg_buf_cstr(&b)), 80000);
  dipkg_buf_free(&b);
  ck_assert_ptr_null(b.data);
  ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(test_buf_exact_fit_keeps_room_for_nul)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  char block[255];
  memset(block, 'q', sizeof block);
  dipkg_buf_append(&b, block, sizeof block);
  ck_assert_uint_eq(b.cap, 256);
  dipkg_buf_putc(&b, 'r');  // 256 bytes need 257 with the NUL
  ck_assert_uint_eq(b.len, 256);
  ck_assert_uint_eq(b.cap, 512);
  ck_assert_uint_eq(strlen(dipkg_buf_cstr(&b)), 256);
  dipkg_buf_free(&b);
}
END_TEST

START_TEST(test_buf_append_puts_clear)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, "hello");
  dipkg_buf_append(&b, ", world!!", 7);
  dipkg_buf_append(&b, NULL, 0);
  ck_assert_str_eq(dipkg_buf_cstr(&b), "hello, world");
  size_t cap = b.cap;
  char *data = b.data;
  dipkg_buf_clear(&b);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_uint_eq(b.cap, cap);  // memory kept
  ck_assert_ptr_eq(b.data, data);
  dipkg_buf_puts(&b, "again");
  ck_assert_str_eq(dipkg_buf_cstr(&b), "again");
  char *s = dipkg_buf_take(&b);
  ck_assert_str_eq(s, "again");
  ck_assert_ptr_null(b.data);
  dipkg_free(s);
}
END_TEST

START_TEST(test_buf_printf)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_printf(&b, "%s=%d;", "x", 42);
  dipkg_buf_printf(&b, "%05.1f|%-3s|%c", 3.14159, "a", 'z');
  ck_assert_str_eq(dipkg_buf_cstr(&b), "x=42;003.1|a  |z");
  // Longer than the 256-byte stack buffer.
  char long_arg[1001];
  memset(long_arg, 'L', 1000);
  long_arg[1000] = '\0';
  dipkg_buf_clear(&b);
  dipkg_buf_puts(&b, "<");
  dipkg_buf_printf(&b, "%s|%zu", long_arg, (size_t)7);
  ck_assert_uint_eq(b.len, 1 + 1000 + 2);
  const char *s = dipkg_buf_cstr(&b);
  ck_assert_int_eq(s[0], '<');
  ck_assert_int_eq(s[1], 'L');
  ck_assert_int_eq(s[1000], 'L');
  ck_assert_str_eq(s + 1001, "|7");
  // Exactly 255 and 256 characters (the boundary of the fast path).
  dipkg_buf_clear(&b);
  dipkg_buf_printf(&b, "%.*s", 255, long_arg);
  ck_assert_uint_eq(b.len, 255);
  dipkg_buf_printf(&b, "%.*s", 256, long_arg);
  ck_assert_uint_eq(b.len, 511);
  ck_assert_uint_eq(strspn(dipkg_buf_cstr(&b), "L"), 511);
  dipkg_buf_free(&b);
}
END_TEST

START_TEST(test_buf_put_u64)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_put_u64(&b, 0);
  dipkg_buf_putc(&b, ' ');
  dipkg_buf_put_u64(&b, 7);
  dipkg_buf_putc(&b, ' ');
  dipkg_buf_put_u64(&b, 1234567890);
  dipkg_buf_putc(&b, ' ');
  dipkg_buf_put_u64(&b, 10000000000000000000ULL);
  dipkg_buf_putc(&b, ' ');
  dipkg_buf_put_u64(&b, UINT64_MAX);
  ck_assert_str_eq(dipkg_buf_cstr(&b),
                   "0 7 1234567890 10000000000000000000 18446744073709551615");
  dipkg_buf_free(&b);
}
END_TEST

START_TEST(test_buf_oom_is_sticky)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  // An impossible reservation fails (without trying to allocate) and sets
  // the flag.
  ck_assert(!dipkg_buf_reserve(&b, SIZE_MAX - 1));
  ck_assert(b.oom);
  // Appends that need memory are then ignored.
  dipkg_buf_puts(&b, "lost");
  dipkg_buf_putc(&b, 'x');
  dipkg_buf_printf(&b, "%d", 12345);
  dipkg_buf_put_u64(&b, 99);
  ck_assert_uint_eq(b.len, 0);
  ck_assert(b.oom);
  ck_assert_str_eq(dipkg_buf_cstr(&b), "");
  ck_assert_ptr_null(dipkg_buf_take(&b));
  // take released it: the buffer is usable again.
  ck_assert(!b.oom);
  ck_assert_ptr_null(b.data);
  dipkg_buf_puts(&b, "ok");
  ck_assert_str_eq(dipkg_buf_cstr(&b), "ok");
  dipkg_buf_free(&b);
}
END_TEST

/* Regression (was a bug): the inline fast path of dipkg_buf_reserve() does not look at
 * `oom`: after a failed allocation, appends that fit the existing capacity
 * still go in (so the content has a hole in the middle), dipkg_buf_cstr()
 * returns that content and dipkg_buf_take() returns it instead of NULL, as
 * buf.h promises for a failed buffer.  (Callers that check `oom` are not
 * misled; callers that rely on take() returning NULL are.) */
START_TEST(test_buf_oom_ignores_appends_that_fit)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, "abc");
  bool reserved = dipkg_buf_reserve(&b, SIZE_MAX - 1);
  bool oom = b.oom;
  dipkg_buf_puts(&b, "def");
  size_t len = b.len;
  char cstr[16];
  snprintf(cstr, sizeof cstr, "%s", dipkg_buf_cstr(&b));
  char *s = dipkg_buf_take(&b);
  bool taken = s != NULL;
  dipkg_free(s);
  dipkg_buf_free(&b);
  // Asserted after freeing, so that a failure leaks nothing.
  ck_assert(!reserved);
  ck_assert(oom);
  ck_assert_uint_eq(len, 3);
  ck_assert_str_eq(cstr, "");
  ck_assert_msg(!taken, "dipkg_buf_take() of a failed buffer is not NULL");
}
END_TEST

/* ---------------------------------------------------------------- arena */

START_TEST(test_arena_alignment)
{
  DipkgArena *a = dipkg_arena_new();
  ck_assert_ptr_nonnull(a);
  ck_assert_uint_eq(dipkg_arena_footprint(a), 0);
  static const size_t sizes[] = {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1};
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    void *p = dipkg_arena_alloc(a, sizes[i]);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq((uintptr_t)p % alignof(max_align_t), 0);
  }
  // A string packs (no alignment); what follows it is aligned again.
  char *s = dipkg_arena_strndup(a, "abc", 3);
  ck_assert_str_eq(s, "abc");
  long double *ld = dipkg_arena_calloc(a, 3, sizeof *ld);
  ck_assert_uint_eq((uintptr_t)ld % alignof(long double), 0);
  ld[2] = 1.5L;
  ck_assert(ld[0] == 0.0L && ld[2] == 1.5L);
  dipkg_arena_free(a);
}
END_TEST

/* Strings take their bytes and nothing more: 10,000 copies of 7 bytes
 * (8 with the NUL) fill two 64 KiB blocks, where aligning each to
 * max_align_t (16 bytes) took three; the id index and the file list hold
 * one string per id or file. */
START_TEST(test_arena_strings_pack)
{
  DipkgArena *a = dipkg_arena_new();
  const char *prev = NULL;
  int adjacent = 0;
  for (int i = 0; i < 10000; i++) {
    char *p = dipkg_arena_strndup(a, "1234567", 7);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p, "1234567");
    adjacent += prev && p == prev + 8;
    prev = p;
  }
  ck_assert_int_ge(adjacent, 9990);  // all but the first of each block
  ck_assert_uint_le(dipkg_arena_footprint(a), 2 * 64 * 1024);
  dipkg_arena_free(a);
}
END_TEST

START_TEST(test_arena_allocations_do_not_overlap)
{
  DipkgArena *a = dipkg_arena_new();
  enum { N = 3000 };
  static unsigned char *ptrs[N];
  for (size_t i = 0; i < N; i++) {
    size_t size = 1 + i % 97;
    ptrs[i] = dipkg_arena_alloc(a, size);
    ck_assert_ptr_nonnull(ptrs[i]);
    memset(ptrs[i], (int)(i & 0xFF), size);
  }
  for (size_t i = 0; i < N; i++) {
    size_t size = 1 + i % 97;
    for (size_t k = 0; k < size; k++)
      ck_assert_uint_eq(ptrs[i][k], i & 0xFF);
  }
  ck_assert_uint_ge(dipkg_arena_footprint(a), 2 * 64 * 1024);
  dipkg_arena_free(a);
}
END_TEST

START_TEST(test_arena_large_allocations)
{
  DipkgArena *a = dipkg_arena_new();
  char *small = dipkg_arena_alloc(a, 16);
  ck_assert_uint_eq(dipkg_arena_footprint(a), 64 * 1024);
  // Larger than a block: a block of its own.
  size_t big = 300000;
  char *p = dipkg_arena_alloc(a, big);
  ck_assert_ptr_nonnull(p);
  memset(p, 'B', big);
  ck_assert_uint_ge(dipkg_arena_footprint(a), 64 * 1024 + big);
  size_t fp = dipkg_arena_footprint(a);
  // The current block's free space stays in use for small allocations.
  char *small2 = dipkg_arena_alloc(a, 16);
  ck_assert_uint_eq(dipkg_arena_footprint(a), fp);
  ck_assert_ptr_eq(small2, small + 16);
  ck_assert_int_eq(p[0], 'B');
  ck_assert_int_eq(p[big - 1], 'B');
  // strndup of a large string.
  char *copy = dipkg_arena_strndup(a, p, big);
  ck_assert_ptr_nonnull(copy);
  ck_assert_int_eq(copy[big - 1], 'B');
  ck_assert_int_eq(copy[big], '\0');
  dipkg_arena_free(a);
}
END_TEST

START_TEST(test_arena_overflow)
{
  DipkgArena *a = dipkg_arena_new();
  ck_assert_ptr_null(dipkg_arena_alloc(a, SIZE_MAX));
  ck_assert_ptr_null(dipkg_arena_alloc(a, SIZE_MAX - 8));
  ck_assert_ptr_null(dipkg_arena_calloc(a, SIZE_MAX / 2, 4));
  ck_assert_ptr_null(dipkg_arena_strndup(a, "x", SIZE_MAX));
  ck_assert_uint_eq(dipkg_arena_footprint(a), 0);
  // Zero-sized requests are fine.
  ck_assert_ptr_nonnull(dipkg_arena_calloc(a, 0, 8));
  ck_assert_ptr_nonnull(dipkg_arena_alloc(a, 0));
  dipkg_arena_free(a);
}
END_TEST

START_TEST(test_arena_calloc_and_strndup)
{
  DipkgArena *a = dipkg_arena_new();
  // Dirty memory, then reset: calloc must still zero.
  unsigned char *d = dipkg_arena_alloc(a, 1000);
  memset(d, 0xFF, 1000);
  dipkg_arena_reset(a);
  unsigned char *z = dipkg_arena_calloc(a, 250, 4);
  ck_assert_ptr_nonnull(z);
  for (size_t i = 0; i < 1000; i++)
    ck_assert_uint_eq(z[i], 0);
  char *s = dipkg_arena_strndup(a, "hello, world", 5);
  ck_assert_str_eq(s, "hello");
  s = dipkg_arena_strndup(a, "a\0b", 3);
  ck_assert_int_eq(s[0], 'a');
  ck_assert_int_eq(s[1], '\0');
  ck_assert_int_eq(s[2], 'b');
  ck_assert_int_eq(s[3], '\0');
  s = dipkg_arena_strndup(a, "", 0);
  ck_assert_str_eq(s, "");
  dipkg_arena_free(a);
}
END_TEST

START_TEST(test_arena_reset)
{
  DipkgArena *a = dipkg_arena_new();
  dipkg_arena_reset(a);  // nothing allocated yet
  ck_assert_uint_eq(dipkg_arena_footprint(a), 0);
  char *first = dipkg_arena_alloc(a, 100);
  for (size_t i = 0; i < 5000; i++)
    ck_assert_ptr_nonnull(dipkg_arena_alloc(a, 200));
  ck_assert_uint_gt(dipkg_arena_footprint(a), 64 * 1024);
  dipkg_arena_reset(a);
  ck_assert_uint_eq(dipkg_arena_footprint(a), 64 * 1024);
  // The kept block is reused from its start.
  char *again = dipkg_arena_alloc(a, 100);
  ck_assert_ptr_eq(again, first);
  ck_assert_uint_eq(dipkg_arena_footprint(a), 64 * 1024);
  dipkg_arena_free(a);
  dipkg_arena_free(NULL);
}
END_TEST

START_TEST(test_arena_reset_drops_oversized_block)
{
  DipkgArena *a = dipkg_arena_new();
  ck_assert_ptr_nonnull(dipkg_arena_alloc(a, 200000));
  ck_assert_uint_eq(dipkg_arena_footprint(a), 200000);
  dipkg_arena_reset(a);
  ck_assert_uint_eq(dipkg_arena_footprint(a), 0);
  ck_assert_ptr_nonnull(dipkg_arena_alloc(a, 10));
  ck_assert_uint_eq(dipkg_arena_footprint(a), 64 * 1024);
  dipkg_arena_free(a);
}
END_TEST

/* Regression (was a bug): a large allocation made while the first block is still the
 * current one is linked behind it, so it becomes the last block of the
 * chain, which dipkg_arena_reset() takes for the first: the real first
 * block is freed and, the large one being oversized, nothing is kept
 * (footprint 0), against "keeps its first block". */
START_TEST(test_arena_reset_keeps_first_block_after_large)
{
  DipkgArena *a = dipkg_arena_new();
  char *first = dipkg_arena_alloc(a, 100);
  bool big = dipkg_arena_alloc(a, 200000) != NULL;
  size_t before = dipkg_arena_footprint(a);
  dipkg_arena_reset(a);
  size_t after = dipkg_arena_footprint(a);
  char *again = dipkg_arena_alloc(a, 100);
  dipkg_arena_free(a);
  // Asserted after freeing, so that a failure leaks nothing.
  ck_assert(big);
  ck_assert_uint_eq(before, 64 * 1024 + 200000);
  ck_assert_uint_eq(after, 64 * 1024);
  ck_assert_ptr_eq(again, first);
}
END_TEST

/* -------------------------------------------------------------- suggest */

static size_t
dist(const char *a, const char *b, size_t limit)
{
  return dipkg_edit_distance(a, strlen(a), b, strlen(b), limit);
}

START_TEST(test_edit_distance_basics)
{
  ck_assert_uint_eq(dist("", "", 3), 0);
  ck_assert_uint_eq(dist("summit", "summit", 3), 0);
  ck_assert_uint_eq(dist("", "abc", 5), 3);
  ck_assert_uint_eq(dist("abc", "", 5), 3);
  ck_assert_uint_eq(dist("kitten", "sitting", 5), 3);
  ck_assert_uint_eq(dist("summit", "sumit", 3), 1);    // deletion
  ck_assert_uint_eq(dist("summit", "summits", 3), 1);  // insertion
  ck_assert_uint_eq(dist("summit", "sammit", 3), 1);   // substitution
  ck_assert_uint_eq(dist("flaw", "lawn", 5), 2);
}
END_TEST

START_TEST(test_edit_distance_transposition)
{
  ck_assert_uint_eq(dist("ab", "ba", 3), 1);
  ck_assert_uint_eq(dist("summit", "sumimt", 3), 1);
  ck_assert_uint_eq(dist("meeting", "meetign", 3), 1);
  ck_assert_uint_eq(dist("abcd", "badc", 3), 2);
  // Optimal string alignment: a transposed pair is not edited again
  // (true Damerau-Levenshtein would give 2).
  ck_assert_uint_eq(dist("ca", "abc", 5), 3);
}
END_TEST

START_TEST(test_edit_distance_case_insensitive)
{
  ck_assert_uint_eq(dist("SUMMIT", "summit", 3), 0);
  ck_assert_uint_eq(dist("Summit", "sUMMIT", 3), 0);
  ck_assert_uint_eq(dist("Sumimt", "SUMMIT", 3), 1);  // transposition too
  // Non-ASCII bytes are compared as they are.
  ck_assert_uint_eq(dist("\xC3\xA9", "\xC3\x89", 3), 1);
}
END_TEST

START_TEST(test_edit_distance_limit)
{
  ck_assert_uint_eq(dist("abcdef", "uvwxyz", 2), 3);
  ck_assert_uint_eq(dist("abcdef", "uvwxyz", 6), 6);
  ck_assert_uint_eq(dist("abcdef", "uvwxyz", 0), 1);
  ck_assert_uint_eq(dist("a", "abcdef", 2), 3);  // length difference alone
  ck_assert_uint_eq(dist("abc", "abd", 0), 1);
  ck_assert_uint_eq(dist("abc", "abc", 0), 0);
  ck_assert_uint_eq(dist("kitten", "sitting", 3), 3);  // exactly the limit
  ck_assert_uint_eq(dist("kitten", "sitting", 2), 3);
  // Early exit when a whole row exceeds the limit.
  ck_assert_uint_eq(dist("zzzzzzzzzzzzzzzz", "aaaaaaaaaaaaaaaa", 1), 2);
}
END_TEST

START_TEST(test_edit_distance_long_words)
{
  char a[70], b[70];
  memset(a, 'x', 69);
  memset(b, 'x', 69);
  a[69] = b[69] = '\0';
  // At most 64 bytes are compared; longer words are "too far".
  ck_assert_uint_eq(dipkg_edit_distance(a, 64, b, 64, 3), 0);
  b[63] = 'y';
  ck_assert_uint_eq(dipkg_edit_distance(a, 64, b, 64, 3), 1);
  ck_assert_uint_eq(dipkg_edit_distance(a, 65, b, 65, 3), 4);
  ck_assert_uint_eq(dipkg_edit_distance(a, 65, a, 65, 3), 4);
  ck_assert_uint_eq(dipkg_edit_distance(a, 64, a, 65, 3), 4);
  ck_assert_uint_eq(dipkg_edit_distance(a, 69, a, 69, 10), 11);
}
END_TEST

static const char *
suggest(const char *word, const char *const *candidates)
{
  DipkgSuggest s;
  dipkg_suggest_init(&s, word, strlen(word));
  for (size_t i = 0; candidates[i]; i++)
    dipkg_suggest_offer(&s, candidates[i]);
  return dipkg_suggest_result(&s);
}

START_TEST(test_suggest_thresholds)
{
  // 1-5 characters: 1 edit.
  const char *const c1[] = {"Summit", "Meeting", NULL};
  ck_assert_str_eq(suggest("Sumit", c1), "Summit");
  ck_assert_ptr_null(suggest("Smit", c1));  // 2 edits
  const char *const c2[] = {"b", NULL};
  ck_assert_str_eq(suggest("a", c2), "b");
  const char *const c3[] = {"xyz", NULL};
  ck_assert_ptr_null(suggest("ab", c3));
  // 6-8 characters: 2 edits.
  const char *const c4[] = {"Meeting", NULL};
  ck_assert_str_eq(suggest("Meetnig", c4), "Meeting");  // 1
  ck_assert_str_eq(suggest("Metting", c4), "Meeting");  // 1
  ck_assert_str_eq(suggest("Meting", c4), "Meeting");   // 1
  ck_assert_str_eq(suggest("Metign", c4), "Meeting");   // 2
  ck_assert_ptr_null(suggest("Mtign", c4));             // 3 (5 chars: 1)
  const char *const c5[] = {"abcdefgh", NULL};
  ck_assert_str_eq(suggest("abcdefxy", c5), "abcdefgh");  // 2 of 8
  ck_assert_ptr_null(suggest("abcdexyz", c5));            // 3 of 8
  // 9 and more: 3 edits, never more.
  const char *const c6[] = {"abcdefghi", NULL};
  ck_assert_str_eq(suggest("abcdefxyz", c6), "abcdefghi");  // 3 of 9
  const char *const c7[] = {"abcdefghijklmnopqrstuvwx", NULL};
  ck_assert_str_eq(suggest("abcdefghijklmnopqrstu123", c7),
                   "abcdefghijklmnopqrstuvwx");                 // 3 of 24
  ck_assert_ptr_null(suggest("abcdefghijklmnopqrst1234", c7));  // 4 of 24
}
END_TEST

START_TEST(test_suggest_best_and_ties)
{
  // The closest wins, whatever the order.
  const char *const c1[] = {"Summary", "Submit", "Summit", NULL};
  ck_assert_str_eq(suggest("Summitt", c1), "Summit");
  const char *const c2[] = {"Summit", "Submit", NULL};
  ck_assert_str_eq(suggest("Summitt", c2), "Summit");
  // Ties keep the earlier candidate.
  const char *const c3[] = {"bat", "cap", "cut", NULL};
  ck_assert_str_eq(suggest("cat", c3), "bat");
  const char *const c4[] = {"cap", "bat", NULL};
  ck_assert_str_eq(suggest("cat", c4), "cap");
  // An exact match (any case) is its own suggestion.
  const char *const c5[] = {"summit", "Summit", NULL};
  ck_assert_str_eq(suggest("SUMMIT", c5), "summit");
  // No candidates.
  const char *const none[] = {NULL};
  ck_assert_ptr_null(suggest("anything", none));
}
END_TEST

START_TEST(test_suggest_prefix_of_candidate)
{
  // A word of 4+ characters that starts a candidate counts as one edit.
  const char *const c1[] = {"aliases", NULL};
  ck_assert_str_eq(suggest("alias", c1), "aliases");
  ck_assert_str_eq(suggest("ALIAS", c1), "aliases");  // any case
  const char *const c2[] = {"part_of", NULL};
  ck_assert_str_eq(suggest("part", c2), "part_of");
  ck_assert_ptr_null(suggest("par", c2));   // 3 characters are too few
  ck_assert_ptr_null(suggest("prt_", c2));  // not a prefix
  // Not when the candidate is the shorter one.
  const char *const c3[] = {"alias", NULL};
  ck_assert_ptr_null(suggest("aliasesxyz", c3));
  // A real single edit offered first wins the tie; an exact match wins.
  const char *const c4[] = {"parts", "part_of", NULL};
  ck_assert_str_eq(suggest("part", c4), "parts");
  const char *const c5[] = {"part_of", "part", NULL};
  ck_assert_str_eq(suggest("part", c5), "part");
}
END_TEST

START_TEST(test_suggest_borrows_candidate)
{
  DipkgSuggest s;
  dipkg_suggest_init(&s, "evnt", 4);
  ck_assert_ptr_null(dipkg_suggest_result(&s));
  const char *cand = "event";
  dipkg_suggest_offer(&s, cand);
  ck_assert_ptr_eq(dipkg_suggest_result(&s), cand);
  ck_assert_uint_eq(s.best_distance, 1);
}
END_TEST

/* ----------------------------------------------------------------- utf8 */

static void
expect_decode(const char *s, size_t len, size_t n, uint32_t cp)
{
  uint32_t got = 0xDEADBEEF;
  size_t k = dipkg_utf8_decode(s, len, &got);
  ck_assert_msg(k == n,
                "decoding %zu bytes (first 0x%02X): length %zu, "
                "expected %zu",
                len, (unsigned)(unsigned char)s[0], k, n);
  if (n)
    ck_assert_msg(got == cp, "decoded U+%04X, expected U+%04X", got, cp);
}

static void
expect_invalid(const char *s, size_t len)
{
  uint32_t got;
  ck_assert_msg(dipkg_utf8_decode(s, len, &got) == 0,
                "%zu bytes starting 0x%02X accepted", len,
                (unsigned)(unsigned char)s[0]);
}

START_TEST(test_utf8_decode_valid)
{
  expect_decode("A", 1, 1, 0x41);
  expect_decode("\0", 1, 1, 0);
  expect_decode("\x7F", 1, 1, 0x7F);
  expect_decode("\xC2\x80", 2, 2, 0x80);
  expect_decode("\xC3\xA9xyz", 5, 2, 0xE9);
  expect_decode("\xDF\xBF", 2, 2, 0x7FF);
  expect_decode("\xE0\xA0\x80", 3, 3, 0x800);
  expect_decode("\xE2\x82\xAC", 3, 3, 0x20AC);
  expect_decode("\xED\x9F\xBF", 3, 3, 0xD7FF);
  expect_decode("\xEE\x80\x80", 3, 3, 0xE000);
  expect_decode("\xEF\xBF\xBF", 3, 3, 0xFFFF);
  expect_decode("\xF0\x90\x80\x80", 4, 4, 0x10000);
  expect_decode("\xF0\x9F\x98\x80", 4, 4, 0x1F600);
  expect_decode("\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF);
}
END_TEST

START_TEST(test_utf8_decode_overlong)
{
  expect_invalid("\xC0\x80", 2);
  expect_invalid("\xC0\xAF", 2);
  expect_invalid("\xC1\xBF", 2);
  expect_invalid("\xE0\x80\x80", 3);
  expect_invalid("\xE0\x9F\xBF", 3);
  expect_invalid("\xF0\x80\x80\x80", 4);
  expect_invalid("\xF0\x8F\xBF\xBF", 4);
}
END_TEST

START_TEST(test_utf8_decode_surrogates)
{
  expect_invalid("\xED\xA0\x80", 3);  // U+D800
  expect_invalid("\xED\xAF\xBF", 3);  // U+DBFF
  expect_invalid("\xED\xB0\x80", 3);  // U+DC00
  expect_invalid("\xED\xBF\xBF", 3);  // U+DFFF
}
END_TEST

START_TEST(test_utf8_decode_too_large)
{
  expect_invalid("\xF4\x90\x80\x80", 4);  // U+110000
  expect_invalid("\xF5\x80\x80\x80", 4);
  expect_invalid("\xF7\xBF\xBF\xBF", 4);
  expect_invalid("\xF8\x88\x80\x80\x80", 5);  // 5-byte form
  expect_invalid("\xFC\x84\x80\x80\x80\x80", 6);
  expect_invalid("\xFE", 1);
  expect_invalid("\xFF", 1);
}
END_TEST

START_TEST(test_utf8_decode_truncated_and_broken)
{
  expect_invalid("", 0);
  expect_invalid("\xC3", 1);
  expect_invalid("\xE2\x82", 2);
  expect_invalid("\xF0\x9F\x98", 3);
  expect_invalid("\xE2\x82\xAC", 2);  // cut by len
  expect_invalid("\xC3(", 2);
  expect_invalid("\xE2(\xAC", 3);
  expect_invalid("\xE2\x82(", 3);
  expect_invalid("\xF0\x9F\x98(", 4);
  expect_invalid("\x80", 1);  // lone continuation bytes
  expect_invalid("\xBF", 1);
  expect_invalid("\xC3\xC3\xA9", 3);
}
END_TEST

START_TEST(test_utf8_invalid_at)
{
  ck_assert_uint_eq(dipkg_utf8_invalid_at("", 0), 0);
  ck_assert_uint_eq(dipkg_utf8_invalid_at("abc", 3), 3);
  ck_assert_uint_eq(dipkg_utf8_invalid_at("caf\xC3\xA9", 5), 5);
  ck_assert_uint_eq(dipkg_utf8_invalid_at("ab\xFF"
                                          "c",
                                          4),
                    2);
  ck_assert_uint_eq(dipkg_utf8_invalid_at("\xC3\xA9\xC3", 3), 2);
  ck_assert_uint_eq(dipkg_utf8_invalid_at("\xE6\x97\xA5\xED\xA0\x80", 6), 3);
  ck_assert_uint_eq(dipkg_utf8_invalid_at("a\0b", 3), 3);  // NUL is valid
}
END_TEST

START_TEST(test_utf8_count)
{
  ck_assert_uint_eq(dipkg_utf8_count("", 0), 0);
  ck_assert_uint_eq(dipkg_utf8_count("abc", 3), 3);
  ck_assert_uint_eq(dipkg_utf8_count("h\xC3\xA9llo", 6), 5);
  ck_assert_uint_eq(dipkg_utf8_count("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 9),
                    3);
  ck_assert_uint_eq(dipkg_utf8_count("\xF0\x9F\x98\x80!", 5), 2);
  ck_assert_uint_eq(dipkg_utf8_count("a\0b", 3), 3);
}
END_TEST

START_TEST(test_utf8_encode_lengths)
{
  char out[4];
  ck_assert_uint_eq(dipkg_utf8_encode(0x41, out), 1);
  ck_assert_int_eq(out[0], 'A');
  ck_assert_uint_eq(dipkg_utf8_encode(0xE9, out), 2);
  ck_assert(!memcmp(out, "\xC3\xA9", 2));
  ck_assert_uint_eq(dipkg_utf8_encode(0x20AC, out), 3);
  ck_assert(!memcmp(out, "\xE2\x82\xAC", 3));
  ck_assert_uint_eq(dipkg_utf8_encode(0x1F600, out), 4);
  ck_assert(!memcmp(out, "\xF0\x9F\x98\x80", 4));
  ck_assert_uint_eq(dipkg_utf8_encode(0x7F, out), 1);
  ck_assert_uint_eq(dipkg_utf8_encode(0x80, out), 2);
  ck_assert_uint_eq(dipkg_utf8_encode(0x7FF, out), 2);
  ck_assert_uint_eq(dipkg_utf8_encode(0x800, out), 3);
  ck_assert_uint_eq(dipkg_utf8_encode(0xFFFF, out), 3);
  ck_assert_uint_eq(dipkg_utf8_encode(0x10000, out), 4);
  ck_assert_uint_eq(dipkg_utf8_encode(0x10FFFF, out), 4);
  ck_assert(!memcmp(out, "\xF4\x8F\xBF\xBF", 4));
}
END_TEST

START_TEST(test_utf8_encode_round_trip)
{
  // Every scalar value encodes to a sequence that decodes back to it.
  for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
    if (cp >= 0xD800 && cp <= 0xDFFF)
      continue;
    char out[4];
    size_t n = dipkg_utf8_encode(cp, out);
    size_t expected = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    uint32_t back = 0xFFFFFFFF;
    size_t k = dipkg_utf8_decode(out, n, &back);
    if (n != expected || k != n || back != cp)
      ck_abort_msg("U+%04X: encoded in %zu bytes, decoded %zu bytes as U+%04X",
                   cp, n, k, back);
    if (cp == 0x10FFFF || cp % 0x1000 == 0)
      ck_assert_uint_eq(dipkg_utf8_count(out, n), 1);
  }
}
END_TEST

START_TEST(test_utf8_is_space)
{
  static const uint32_t spaces[] = {
    0x09,   0x0A,   0x0B,   0x0C,   0x0D,   0x20,   0x85,   0xA0,   0x1680,
    0x2000, 0x2001, 0x2005, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
  static const uint32_t others[] = {
    0x00,   0x08,   0x0E,   0x1F,   0x21,   'a',    0x7F,    0x84,
    0x86,   0x9F,   0xA1,   0x180E, 0x1FFF, 0x200B, 0x200C,  0x200D,
    0x2027, 0x202A, 0x2060, 0x2FFF, 0x3001, 0xFEFF, 0x10FFFF};
  for (size_t i = 0; i < sizeof spaces / sizeof *spaces; i++)
    ck_assert_msg(dipkg_utf8_is_space(spaces[i]), "U+%04X is white space",
                  spaces[i]);
  for (size_t i = 0; i < sizeof others / sizeof *others; i++)
    ck_assert_msg(!dipkg_utf8_is_space(others[i]), "U+%04X is not white space",
                  others[i]);
}
END_TEST

/* ----------------------------------------------------------------- diag */

static const DipkgLoc NOWHERE = {0, 0, 0};

static DipkgLoc
at(unsigned line, unsigned col)
{
  return (DipkgLoc){line, col, 1};
}

/* "message@line:col" for each entry, space-separated. */
static char *
order(const DipkgDiagList *list)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  for (size_t i = 0; i < list->n; i++)
    dipkg_buf_printf(&b, "%s%s@%u:%u", i ? " " : "", list->items[i].message,
                     list->items[i].loc.line, list->items[i].loc.col);
  char *s = dipkg_buf_take(&b);
  ck_assert_ptr_nonnull(s);
  return s;
}

static void
expect_order(const DipkgDiagList *list, const char *expected)
{
  char *s = order(list);
  ck_assert_str_eq(s, expected);
  dipkg_free(s);
}

START_TEST(test_diag_add_and_counts)
{
  DipkgDiagList l = {0};
  dipkg_diag_error(&l, "f.yaml", at(3, 4), "bad %s #%d", "thing", 7);
  dipkg_diag_warning(&l, "f.yaml", at(1, 1), "odd");
  dipkg_diag_note(&l, "f.yaml", at(1, 2), "see here");
  dipkg_diag_add(&l, DIPKG_SEVERITY_ERROR, DIPKG_ERR_LIMIT, NULL, NOWHERE,
                 "too big");
  ck_assert_uint_eq(l.n, 4);
  ck_assert_uint_eq(l.errors, 2);
  ck_assert_uint_eq(l.warnings, 1);
  ck_assert(!l.oom);
  ck_assert_str_eq(l.items[0].message, "bad thing #7");
  ck_assert_int_eq(l.items[0].status, DIPKG_ERR_DATA);
  ck_assert_int_eq(l.items[0].severity, DIPKG_SEVERITY_ERROR);
  ck_assert_str_eq(l.items[0].file, "f.yaml");
  ck_assert_uint_eq(l.items[0].loc.line, 3);
  ck_assert_uint_eq(l.items[0].loc.col, 4);
  ck_assert_int_eq(l.items[1].severity, DIPKG_SEVERITY_WARNING);
  ck_assert_int_eq(l.items[2].severity, DIPKG_SEVERITY_NOTE);
  ck_assert_int_eq(l.items[3].status, DIPKG_ERR_LIMIT);
  ck_assert_ptr_null(l.items[3].file);
  for (size_t i = 0; i < 4; i++)
    ck_assert_uint_eq(l.items[i].seq, i);
  dipkg_diag_list_clear(&l);
  ck_assert_uint_eq(l.n, 0);
  ck_assert_uint_eq(l.errors, 0);
  ck_assert_ptr_null(l.items);
}
END_TEST

START_TEST(test_diag_long_message)
{
  DipkgDiagList l = {0};
  char arg[2001];
  memset(arg, 'm', 2000);
  arg[2000] = '\0';
  dipkg_diag_error(&l, "f", at(1, 1), "<%s>", arg);
  ck_assert_uint_eq(strlen(l.items[0].message), 2002);
  ck_assert_int_eq(l.items[0].message[0], '<');
  ck_assert_int_eq(l.items[0].message[2001], '>');
  dipkg_diag_list_clear(&l);
}
END_TEST

START_TEST(test_diag_sort_by_position)
{
  DipkgDiagList l = {0};
  dipkg_diag_error(&l, "f", at(10, 2), "c");
  dipkg_diag_error(&l, "f", at(2, 10), "b");
  dipkg_diag_error(&l, "f", at(2, 3), "a");
  dipkg_diag_warning(&l, "f", at(11, 1), "d");
  dipkg_diag_sort(&l, "f");
  expect_order(&l, "a@2:3 b@2:10 c@10:2 d@11:1");
  dipkg_diag_list_clear(&l);
}
END_TEST

START_TEST(test_diag_sort_keeps_notes_and_is_stable)
{
  DipkgDiagList l = {0};
  dipkg_diag_error(&l, "f", at(5, 1), "e1");
  dipkg_diag_note(&l, "f", at(1, 1), "n1");  // note of e1, earlier position
  dipkg_diag_warning(&l, "f", at(2, 3), "w1");
  dipkg_diag_error(&l, "f", at(5, 1), "e2");  // same position as e1
  dipkg_diag_note(&l, "f", at(9, 9), "n2a");  // two notes of e2
  dipkg_diag_note(&l, "f", at(0, 0), "n2b");
  dipkg_diag_error(&l, "f", at(2, 3), "e3");  // same position as w1
  dipkg_diag_error(&l, "f", at(1, 1), "e4");
  dipkg_diag_sort(&l, "f");
  expect_order(&l, "e4@1:1 w1@2:3 e3@2:3 e1@5:1 n1@1:1 e2@5:1 n2a@9:9 "
                   "n2b@0:0");
  ck_assert_uint_eq(l.errors, 4);
  ck_assert_uint_eq(l.warnings, 1);
  // Sorting again changes nothing.
  dipkg_diag_sort(&l, "f");
  expect_order(&l, "e4@1:1 w1@2:3 e3@2:3 e1@5:1 n1@1:1 e2@5:1 n2a@9:9 "
                   "n2b@0:0");
  dipkg_diag_list_clear(&l);
}
END_TEST

START_TEST(test_diag_sort_main_file_first)
{
  // A copy: the main file is recognised by name, not by pointer.
  char main_file[] = "facts/a.yaml";
  DipkgDiagList l = {0};
  dipkg_diag_error(&l, "facts/a.yaml", at(5, 1), "e1");
  dipkg_diag_error(&l, "facts/text.txt", at(1, 1), "t1");
  dipkg_diag_note(&l, "facts/a.yaml", at(1, 1), "nt1");  // note of t1
  dipkg_diag_error(&l, "facts/b.txt", at(2, 1), "b1");
  dipkg_diag_error(&l, "facts/a.yaml", at(1, 1), "e2");
  dipkg_diag_note(&l, "facts/b.txt", at(9, 9), "ne2");  // note of e2
  dipkg_diag_error(&l, NULL, NOWHERE, "g1");
  dipkg_diag_error(&l, "facts/b.txt", at(1, 5), "b2");
  dipkg_diag_sort(&l, main_file);
  // The main file by position, then the others by name and position.
  expect_order(&l, "e2@1:1 ne2@9:9 e1@5:1 g1@0:0 b2@1:5 b1@2:1 t1@1:1 "
                   "nt1@1:1");
  dipkg_diag_list_clear(&l);
}
END_TEST

START_TEST(test_diag_sort_many_equal)
{
  // Stable with many entries at one position (qsort alone is not).
  DipkgDiagList l = {0};
  for (int i = 0; i < 200; i++)
    dipkg_diag_error(&l, "f", at(i % 2 ? 7 : 3, 1), "%03d", i);
  dipkg_diag_sort(&l, "f");
  for (size_t i = 0; i < 100; i++) {
    char want[8];
    snprintf(want, sizeof want, "%03zu", 2 * i);
    ck_assert_str_eq(l.items[i].message, want);
    snprintf(want, sizeof want, "%03zu", 2 * i + 1);
    ck_assert_str_eq(l.items[100 + i].message, want);
  }
  dipkg_diag_list_clear(&l);
}
END_TEST

START_TEST(test_diag_move)
{
  DipkgDiagList to = {0}, from = {0};
  dipkg_diag_error(&to, "a", at(1, 1), "first");
  dipkg_diag_error(&from, "b", at(1, 1), "second");
  dipkg_diag_warning(&from, "b", at(2, 1), "third");
  dipkg_diag_move(&to, &from);
  ck_assert_uint_eq(to.n, 3);
  ck_assert_uint_eq(to.errors, 2);
  ck_assert_uint_eq(to.warnings, 1);
  ck_assert_uint_eq(from.n, 0);
  ck_assert_uint_eq(from.errors, 0);
  ck_assert_uint_eq(from.warnings, 0);
  expect_order(&to, "first@1:1 second@1:1 third@2:1");
  dipkg_diag_list_clear(&from);
  dipkg_diag_list_clear(&to);
}
END_TEST

static char *
quoted(const char *s, size_t len, size_t max)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_diag_quote(&b, s, len, max);
  char *out = dipkg_buf_take(&b);
  ck_assert_ptr_nonnull(out);
  return out;
}

static void
expect_quoted(const char *s, size_t len, size_t max, const char *expected)
{
  char *out = quoted(s, len, max);
  ck_assert_str_eq(out, expected);
  dipkg_free(out);
}

START_TEST(test_diag_quote_plain)
{
  expect_quoted("abc", 3, 100, "'abc'");
  expect_quoted("", 0, 100, "''");
  expect_quoted("caf\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x98\x80", 14, 100,
                "'caf\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x98\x80'");
  expect_quoted("abcdef", 3, 100, "'abc'");  // only `len` bytes
}
END_TEST

START_TEST(test_diag_quote_escapes)
{
  expect_quoted("it's", 4, 100, "'it\\'s'");
  expect_quoted("a\\b", 3, 100, "'a\\\\b'");
  expect_quoted("say \"x\"", 7, 100, "'say \"x\"'");
  expect_quoted("a\nb\tc\rd", 7, 100, "'a\\nb\\tc\\rd'");
  expect_quoted("\x01\x1B\x7F", 3, 100, "'\\u0001\\u001B\\u007F'");
  expect_quoted("a\0b", 3, 100, "'a\\u0000b'");
  expect_quoted("\xC2\x85\xC2\x9F", 4, 100, "'\\u0085\\u009F'");  // C1
  expect_quoted("\xE2\x80\xA8\xE2\x80\xA9", 6, 100, "'\\u2028\\u2029'");
  expect_quoted("\xEF\xBB\xBFx", 4, 100, "'\\uFEFFx'");  // BOM
  expect_quoted("\xC2\xA0", 2, 100, "'\xC2\xA0'");       // NBSP is shown
}
END_TEST

START_TEST(test_diag_quote_invalid_utf8)
{
  expect_quoted("\xFF", 1, 100, "'\\xFF'");
  expect_quoted("a\xC3", 2, 100, "'a\\xC3'");
  expect_quoted("\xC3(", 2, 100, "'\\xC3('");
  expect_quoted("\xED\xA0\x80", 3, 100, "'\\xED\\xA0\\x80'");  // surrogate
  expect_quoted("\xC0\xAF", 2, 100, "'\\xC0\\xAF'");           // overlong
  expect_quoted("\xE6\x97\xA5\xE6\x97", 5, 100, "'\xE6\x97\xA5\\xE6\\x97'");
}
END_TEST

START_TEST(test_diag_quote_truncates)
{
  char a[300];
  memset(a, 'a', sizeof a);
  expect_quoted(a, 300, 10, "'aaaaaaaaaa...'");
  // No "..." for the last three bytes or fewer: they are shown instead.
  expect_quoted(a, 13, 10, "'aaaaaaaaaaaaa'");
  expect_quoted(a, 14, 10, "'aaaaaaaaaa...'");
  // Characters are never cut.
  char e[40];
  for (size_t i = 0; i < 20; i++)
    memcpy(e + 2 * i, "\xC3\xA9", 2);
  char *out = quoted(e, 40, 6);
  ck_assert_str_eq(out, "'\xC3\xA9\xC3\xA9\xC3\xA9...'");
  dipkg_free(out);
}
END_TEST

/* Regression (was a bug): the cut compares the whole buffer's length with `max`, not the
 * length of the rendering: quoting into a buffer that already holds `max`
 * bytes (a message prefix) gives "'...'" at once, though the header says
 * the rendering is cut to about `max` bytes. */
START_TEST(test_diag_quote_appends_after_prefix)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  char prefix[301];
  memset(prefix, 'x', 300);
  prefix[300] = '\0';
  dipkg_buf_puts(&b, prefix);
  dipkg_diag_quote(&b, "hello world", 11, 160);
  char got[64];
  snprintf(got, sizeof got, "%s", dipkg_buf_cstr(&b) + 300);
  dipkg_buf_free(&b);
  ck_assert_str_eq(got, "'hello world'");
}
END_TEST

START_TEST(test_diag_q_slots)
{
  const char *a = dipkg_diag_q(0, "first", 5);
  const char *b = dipkg_diag_q(1, "it's", 4);
  ck_assert_str_eq(a, "'first'");
  ck_assert_str_eq(b, "'it\\'s'");
  // Slots wrap around modulo 4.
  const char *c = dipkg_diag_q(4, "again", 5);
  ck_assert_ptr_eq(c, a);
  ck_assert_str_eq(a, "'again'");
  // Long text is cut to about 160 bytes and fits the slot.
  char long_text[1000];
  memset(long_text, 'w', sizeof long_text);
  const char *d = dipkg_diag_q(2, long_text, sizeof long_text);
  ck_assert_uint_eq(strlen(d), 1 + 160 + 3 + 1);
  ck_assert_str_eq(d + strlen(d) - 4, "...'");
  // Even when every character needs a 6-byte escape.
  char ctl[1000];
  memset(ctl, 1, sizeof ctl);
  d = dipkg_diag_q(3, ctl, sizeof ctl);
  ck_assert_uint_lt(strlen(d), 256);
  ck_assert_str_eq(d + strlen(d) - 4, "...'");
  ck_assert(!strncmp(d, "'\\u0001\\u0001", 13));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("util");
  TCase *buf = tcase_create("buf");
  tcase_add_test(buf, test_buf_init_and_empty);
  tcase_add_test(buf, test_buf_growth);
  tcase_add_test(buf, test_buf_exact_fit_keeps_room_for_nul);
  tcase_add_test(buf, test_buf_append_puts_clear);
  tcase_add_test(buf, test_buf_printf);
  tcase_add_test(buf, test_buf_put_u64);
  tcase_add_test(buf, test_buf_oom_is_sticky);
  tcase_add_test(buf, test_buf_oom_ignores_appends_that_fit);
  suite_add_tcase(s, buf);

  TCase *arena = tcase_create("arena");
  tcase_add_test(arena, test_arena_alignment);
  tcase_add_test(arena, test_arena_allocations_do_not_overlap);
  tcase_add_test(arena, test_arena_large_allocations);
  tcase_add_test(arena, test_arena_strings_pack);
  tcase_add_test(arena, test_arena_overflow);
  tcase_add_test(arena, test_arena_calloc_and_strndup);
  tcase_add_test(arena, test_arena_reset);
  tcase_add_test(arena, test_arena_reset_drops_oversized_block);
  tcase_add_test(arena, test_arena_reset_keeps_first_block_after_large);
  suite_add_tcase(s, arena);

  TCase *sug = tcase_create("suggest");
  tcase_add_test(sug, test_edit_distance_basics);
  tcase_add_test(sug, test_edit_distance_transposition);
  tcase_add_test(sug, test_edit_distance_case_insensitive);
  tcase_add_test(sug, test_edit_distance_limit);
  tcase_add_test(sug, test_edit_distance_long_words);
  tcase_add_test(sug, test_suggest_thresholds);
  tcase_add_test(sug, test_suggest_best_and_ties);
  tcase_add_test(sug, test_suggest_prefix_of_candidate);
  tcase_add_test(sug, test_suggest_borrows_candidate);
  suite_add_tcase(s, sug);

  TCase *utf8 = tcase_create("utf8");
  tcase_set_timeout(utf8, 60);
  tcase_add_test(utf8, test_utf8_decode_valid);
  tcase_add_test(utf8, test_utf8_decode_overlong);
  tcase_add_test(utf8, test_utf8_decode_surrogates);
  tcase_add_test(utf8, test_utf8_decode_too_large);
  tcase_add_test(utf8, test_utf8_decode_truncated_and_broken);
  tcase_add_test(utf8, test_utf8_invalid_at);
  tcase_add_test(utf8, test_utf8_count);
  tcase_add_test(utf8, test_utf8_encode_lengths);
  tcase_add_test(utf8, test_utf8_encode_round_trip);
  tcase_add_test(utf8, test_utf8_is_space);
  suite_add_tcase(s, utf8);

  TCase *diag = tcase_create("diag");
  tcase_add_test(diag, test_diag_add_and_counts);
  tcase_add_test(diag, test_diag_long_message);
  tcase_add_test(diag, test_diag_sort_by_position);
  tcase_add_test(diag, test_diag_sort_keeps_notes_and_is_stable);
  tcase_add_test(diag, test_diag_sort_main_file_first);
  tcase_add_test(diag, test_diag_sort_many_equal);
  tcase_add_test(diag, test_diag_move);
  tcase_add_test(diag, test_diag_quote_plain);
  tcase_add_test(diag, test_diag_quote_escapes);
  tcase_add_test(diag, test_diag_quote_invalid_utf8);
  tcase_add_test(diag, test_diag_quote_truncates);
  tcase_add_test(diag, test_diag_quote_appends_after_prefix);
  tcase_add_test(diag, test_diag_q_slots);
  suite_add_tcase(s, diag);
  return tu_main(s);
}
