/* Runs a fuzz target over saved inputs, without libFuzzer: every file
 * named on the command line, and every file in the directories named.
 * `make check` runs it (under AddressSanitizer) over the seed corpus and
 * every input that once crashed a target, so each crash stays fixed. */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

__attribute__((weak)) int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  return 0;
}

static unsigned long replayed;

static int
replay_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return 1;
  }
  size_t cap = 4096, len = 0, n;
  uint8_t *data = malloc(cap);
  while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) {
      uint8_t *grown = realloc(data, cap *= 2);
      if (!grown)
        free(data);
      data = grown;
    }
  }
  int failed = ferror(f) || !data;
  fclose(f);
  if (failed) {
    fprintf(stderr, "%s: cannot read\n", path);
    free(data);
    return 1;
  }
  LLVMFuzzerTestOneInput(data, len);
  free(data);
  replayed++;
  return 0;
}

static int
compare(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
replay_path(const char *path)
{
  struct stat sb;
  if (stat(path, &sb)) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return 1;
  }
  if (!S_ISDIR(sb.st_mode))
    return replay_file(path);
  DIR *d = opendir(path);
  if (!d) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return 1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  int failed = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.' || !strcmp(e->d_name, "README.md"))
      continue;
    if (n == cap) {
      char **grown = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
      if (!grown) {
        failed = 1;
        break;
      }
      names = grown;
    }
    size_t len = strlen(path) + strlen(e->d_name) + 2;
    if (!(names[n] = malloc(len))) {
      failed = 1;
      break;
    }
    snprintf(names[n++], len, "%s/%s", path, e->d_name);
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, compare);  // the same order every run
  for (size_t i = 0; i < n; i++) {
    failed |= replay_path(names[i]);
    free(names[i]);
  }
  free(names);
  return failed;
}

int
main(int argc, char **argv)
{
  LLVMFuzzerInitialize(&argc, &argv);
  int failed = 0;
  for (int i = 1; i < argc; i++)
    failed |= replay_path(argv[i]);
  printf("%s: %lu inputs replayed, no crash\n", argv[0], replayed);
  return failed;
}
