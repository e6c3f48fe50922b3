/* Unit tests of src/hash.h: the string hash, the term fingerprint, the
 * stable fingerprint and the set every table of dipkg uses (collisions,
 * growth, emptying). */
#include "testutil.h"

#include "hash.h"
#include "memory.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ----------------------------------------------------------- functions */

START_TEST(test_hash_bytes_deterministic_and_seeded)
{
  const char *s = "http://example.org/event/e-000123";
  uint64_t a = dipkg_hash_bytes(0, s, strlen(s));
  ck_assert_uint_eq(a, dipkg_hash_bytes(0, s, strlen(s)));
  ck_assert_uint_eq(a, dipkg_hash_str(0, s));
  ck_assert_uint_ne(a, dipkg_hash_bytes(1, s, strlen(s)));
  // Every length from 0 to 20 (the tail of 0-7 bytes after 8-byte steps)
  // hashes differently from its neighbours, and the prefix of a string is
  // not the string.
  for (size_t n = 0; n < 20; n++)
    ck_assert_uint_ne(dipkg_hash_bytes(0, s, n), dipkg_hash_bytes(0, s, n + 1));
  // Zero bytes count: "a\0" is not "a".
  ck_assert_uint_ne(dipkg_hash_bytes(0, "a", 1), dipkg_hash_bytes(0, "a\0", 2));
}
END_TEST

START_TEST(test_hash_bytes_spreads_low_bits)
{
  // Tables index by the low bits: 4096 similar ids fill most of 4096 buckets
  // (a uniform hash fills about 63%; a poor one a few).
  static unsigned char used[4096];
  memset(used, 0, sizeof used);
  char id[32];
  for (int i = 0; i < 4096; i++) {
    snprintf(id, sizeof id, "e-%06d", i);
    used[dipkg_hash_str(0, id) & 4095] = 1;
  }
  int n = 0;
  for (int i = 0; i < 4096; i++)
    n += used[i];
  ck_assert_int_gt(n, 2400);
}
END_TEST

START_TEST(test_hash_term_parts)
{
  DipkgTerm iri = {DIPKG_TERM_IRI, "x", 1, NULL, NULL};
  DipkgTerm blank = {DIPKG_TERM_BLANK, "x", 1, NULL, NULL};
  DipkgTerm plain = {DIPKG_TERM_LITERAL, "x", 1, NULL, NULL};
  DipkgTerm typed = {DIPKG_TERM_LITERAL, "x", 1, "en", NULL};
  DipkgTerm tagged = {DIPKG_TERM_LITERAL, "x", 1, NULL, "en"};
  uint64_t h[] = {dipkg_hash_term(0, &iri), dipkg_hash_term(0, &blank),
                  dipkg_hash_term(0, &plain), dipkg_hash_term(0, &typed),
                  dipkg_hash_term(0, &tagged)};
  for (size_t i = 0; i < 5; i++)
    for (size_t k = i + 1; k < 5; k++)
      ck_assert_uint_ne(h[i], h[k]);
  // Chained over a statement, the order of the terms counts.
  DipkgTerm y = {DIPKG_TERM_IRI, "y", 1, NULL, NULL};
  ck_assert_uint_ne(dipkg_hash_term(dipkg_hash_term(0, &iri), &y),
                    dipkg_hash_term(dipkg_hash_term(0, &y), &iri));
}
END_TEST

START_TEST(test_fingerprint_is_fnv1a)
{
  // The published FNV-1a 64 test values: the stable fingerprint must
  // never change (it is written into stores and output).
  ck_assert_uint_eq(dipkg_fingerprint(DIPKG_FINGERPRINT_START, "", 0),
                    0xcbf29ce484222325u);
  ck_assert_uint_eq(dipkg_fingerprint(DIPKG_FINGERPRINT_START, "a", 1),
                    0xaf63dc4c8601ec8cu);
  ck_assert_uint_eq(dipkg_fingerprint(DIPKG_FINGERPRINT_START, "foobar", 6),
                    0x85944171f73967e8u);
  // Chained: the same as in one call.
  ck_assert_uint_eq(
    dipkg_fingerprint(dipkg_fingerprint(DIPKG_FINGERPRINT_START, "foo", 3),
                      "bar", 3),
    0x85944171f73967e8u);
}
END_TEST

/* ----------------------------------------------------------------- set */

/* A table of strings: entries are indexes into `words` + 1.  `bad_hash`
 * makes every word hash alike, so that every lookup walks collisions. */
typedef struct Words {
  char words[2000][32];
  size_t n;
  bool bad_hash;
} Words;

static uint64_t
word_hash(const Words *w, const char *s)
{
  return w->bad_hash ? 42 : dipkg_hash_str(0, s);
}

static uint64_t
entry_hash(const void *user, uint64_t entry)
{
  const Words *w = user;
  return word_hash(w, w->words[entry - 1]);
}

static bool
entry_is(const void *user, uint64_t entry, const void *key)
{
  const Words *w = user;
  return !strcmp(w->words[entry - 1], key);
}

/* Adds `s`; true if it was new. */
static bool
add_word(DipkgHashSet *set, Words *w, const char *s)
{
  ck_assert(dipkg_hashset_reserve(set, entry_hash, w));
  uint64_t *slot = dipkg_hashset_find(set, word_hash(w, s), entry_is, w, s);
  ck_assert_ptr_nonnull(slot);
  if (*slot) {
    ck_assert_str_eq(w->words[*slot - 1], s);
    return false;
  }
  snprintf(w->words[w->n], sizeof w->words[w->n], "%s", s);
  dipkg_hashset_put(set, slot, ++w->n);
  return true;
}

static bool
has_word(const DipkgHashSet *set, const Words *w, const char *s)
{
  const uint64_t *slot =
    dipkg_hashset_find(set, word_hash(w, s), entry_is, w, s);
  return slot && *slot;
}

static void
check_words(bool bad_hash, size_t n)
{
  static Words w;
  memset(&w, 0, sizeof w);
  w.bad_hash = bad_hash;
  DipkgHashSet set = {0};
  ck_assert(!has_word(&set, &w, "none"));  // no table yet
  char s[32];
  size_t cap = 0, grew = 0;
  for (size_t i = 0; i < n; i++) {
    snprintf(s, sizeof s, "w%zu", i);
    ck_assert(add_word(&set, &w, s));
    if (set.cap != cap) {
      grew++;
      cap = set.cap;
    }
    ck_assert_uint_le(set.n * 4, set.cap * 3);  // at most 3/4 full
    ck_assert_uint_eq(set.cap & (set.cap - 1), 0);
  }
  ck_assert_uint_eq(set.n, n);
  ck_assert_uint_gt(grew, 1);  // it grew, and kept everything through it
  for (size_t i = 0; i < n; i++) {
    snprintf(s, sizeof s, "w%zu", i);
    ck_assert(has_word(&set, &w, s));
    ck_assert(!add_word(&set, &w, s));  // present: not added again
  }
  ck_assert(!has_word(&set, &w, "w-absent"));
  ck_assert_uint_eq(set.n, n);
  size_t cap_before = set.cap;
  dipkg_hashset_empty(&set);
  ck_assert_uint_eq(set.n, 0);
  ck_assert_uint_eq(set.cap, cap_before);  // the table is kept
  ck_assert(!has_word(&set, &w, "w0"));
  dipkg_hashset_free(&set);
  ck_assert_ptr_null(set.slots);
  ck_assert_uint_eq(set.cap, 0);
}

START_TEST(test_set_growth)
{
  check_words(false, 2000);
}
END_TEST

START_TEST(test_set_all_collide)
{
  check_words(true, 300);
}
END_TEST

START_TEST(test_set_fingerprints)
{
  DipkgHashSet set = {0};
  for (uint64_t i = 1; i <= 1000; i++)
    ck_assert_int_eq(dipkg_hashset_add_fp(&set, dipkg_hash_mix(i)),
                     DIPKG_HASH_ADDED);
  for (uint64_t i = 1; i <= 1000; i++)
    ck_assert_int_eq(dipkg_hashset_add_fp(&set, dipkg_hash_mix(i)),
                     DIPKG_HASH_PRESENT);
  // Fingerprints equal in their low bits (one bucket) stay apart.
  for (uint64_t i = 1; i <= 100; i++)
    ck_assert_int_eq(dipkg_hashset_add_fp(&set, i << 40), DIPKG_HASH_ADDED);
  ck_assert_uint_eq(set.n, 1100);
  // 0 is the empty slot: it is stored as 1.
  ck_assert_int_eq(dipkg_hashset_add_fp(&set, 0), DIPKG_HASH_ADDED);
  ck_assert_int_eq(dipkg_hashset_add_fp(&set, 1), DIPKG_HASH_PRESENT);
  dipkg_hashset_free(&set);
}
END_TEST

#ifdef DIPKG_FAULT_INJECTION
extern atomic_ulong dipkg_fault_countdown;

/* The sanitizer build (make asan) fails allocations on demand: a set
 * that cannot grow is left as it was. */
START_TEST(test_set_out_of_memory)
{
  DipkgHashSet set = {0};
  for (uint64_t i = 1; i <= 48; i++)  // fills the first table to 3/4
    ck_assert_int_eq(dipkg_hashset_add_fp(&set, i * 977), DIPKG_HASH_ADDED);
  uint64_t *before = set.slots;
  atomic_store(&dipkg_fault_countdown, 1);  // the next allocation fails
  ck_assert_int_eq(dipkg_hashset_add_fp(&set, 1u << 20), DIPKG_HASH_NO_MEMORY);
  atomic_store(&dipkg_fault_countdown, 0);
  // Unchanged: the old table, its entries, and the set still works.
  ck_assert_ptr_eq(set.slots, before);
  ck_assert_uint_eq(set.n, 48);
  ck_assert_int_eq(dipkg_hashset_add_fp(&set, 977), DIPKG_HASH_PRESENT);
  ck_assert_int_eq(dipkg_hashset_add_fp(&set, 1u << 20), DIPKG_HASH_ADDED);
  dipkg_hashset_free(&set);
}
END_TEST
#endif

int
main(void)
{
  Suite *s = suite_create("hash");
  TCase *fn = tcase_create("functions");
  tcase_add_test(fn, test_hash_bytes_deterministic_and_seeded);
  tcase_add_test(fn, test_hash_bytes_spreads_low_bits);
  tcase_add_test(fn, test_hash_term_parts);
  tcase_add_test(fn, test_fingerprint_is_fnv1a);
  suite_add_tcase(s, fn);
  TCase *set = tcase_create("set");
  tcase_add_test(set, test_set_growth);
  tcase_add_test(set, test_set_all_collide);
  tcase_add_test(set, test_set_fingerprints);
#ifdef DIPKG_FAULT_INJECTION
  tcase_add_test(set, test_set_out_of_memory);
#endif
  suite_add_tcase(s, set);
  return tu_main(s);
}
