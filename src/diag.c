#include "diag.h"

#include "buf.h"
#include "memory.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void
dipkg_diag_add(DipkgDiagList *list, DipkgSeverity severity, DipkgStatus status,
               const char *file, DipkgLoc loc, const char *fmt, ...)
{
  if (dipkg_grow((void **)&list->items, &list->cap, list->n + 1,
                 sizeof *list->items)) {
    list->oom = true;
    return;
  }
  DipkgBuf msg = DIPKG_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  char small[512];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n >= 0 && (size_t)n < sizeof small) {
    dipkg_buf_append(&msg, small, (size_t)n);
  } else if (n >= 0 && dipkg_buf_reserve(&msg, (size_t)n + 1)) {
    va_start(ap, fmt);
    vsnprintf(msg.data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    msg.len = (size_t)n;
  }
  // The file name is copied after the message, in the same block: a
  // diagnostic may outlive what named its file (an ontology that failed to
  // load is freed before its messages are delivered).
  size_t text_len = msg.len;
  if (file) {
    dipkg_buf_putc(&msg, '\0');
    dipkg_buf_puts(&msg, file);
  }
  char *text = dipkg_buf_take(&msg);
  if (!text) {
    list->oom = true;
    return;
  }
  DipkgDiagEntry *e = &list->items[list->n];
  if (list->strict && severity == DIPKG_SEVERITY_WARNING)
    severity = DIPKG_SEVERITY_ERROR;
  e->severity = severity;
  e->status = status;
  e->file = file ? text + text_len + 1 : NULL;
  e->loc = loc;
  e->message = text;
  e->seq = list->n;
  list->n++;
  if (severity == DIPKG_SEVERITY_ERROR)
    list->errors++;
  else if (severity == DIPKG_SEVERITY_WARNING)
    list->warnings++;
}

/* Sorting key of an entry: the diagnostic a note belongs to (its file,
 * whether that is the list's main file, its position), then the insertion
 * order. */
typedef struct SortItem {
  const char *head_file;
  bool other_file;
  DipkgLoc head;
  size_t seq;
  DipkgDiagEntry entry;
} SortItem;

static int
compare_items(const void *a, const void *b)
{
  const SortItem *x = a, *y = b;
  if (x->other_file != y->other_file)
    return x->other_file ? 1 : -1;
  if (x->other_file && x->head_file != y->head_file) {
    int c = strcmp(x->head_file ? x->head_file : "",
                   y->head_file ? y->head_file : "");
    if (c)
      return c;
  }
  if (x->head.line != y->head.line)
    return x->head.line < y->head.line ? -1 : 1;
  if (x->head.col != y->head.col)
    return x->head.col < y->head.col ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
dipkg_diag_sort(DipkgDiagList *list, const char *main_file)
{
  if (list->n < 2)
    return;
  SortItem *items = dipkg_malloc(list->n * sizeof *items);
  if (!items)
    return;  // unsorted is still correct, only less pleasant
  const DipkgDiagEntry *head = &list->items[0];
  for (size_t i = 0; i < list->n; i++) {
    if (list->items[i].severity != DIPKG_SEVERITY_NOTE || i == 0)
      head = &list->items[i];
    items[i].head_file = head->file;
    items[i].other_file =
      head->file != main_file &&
      (!head->file || !main_file || strcmp(head->file, main_file));
    items[i].head = head->loc;
    items[i].seq = i;
    items[i].entry = list->items[i];
  }
  qsort(items, list->n, sizeof *items, compare_items);
  for (size_t i = 0; i < list->n; i++)
    list->items[i] = items[i].entry;
  dipkg_free(items);
}

void
dipkg_diag_move(DipkgDiagList *to, DipkgDiagList *from)
{
  if (dipkg_grow((void **)&to->items, &to->cap, to->n + from->n,
                 sizeof *to->items)) {
    to->oom = true;
    dipkg_diag_list_clear(from);
    return;
  }
  for (size_t i = 0; i < from->n; i++)
    to->items[to->n++] = from->items[i];
  to->errors += from->errors;
  to->warnings += from->warnings;
  to->oom |= from->oom;
  from->n = 0;
  from->errors = from->warnings = 0;
  from->oom = false;
}

void
dipkg_diag_list_clear(DipkgDiagList *list)
{
  for (size_t i = 0; i < list->n; i++)
    dipkg_free(list->items[i].message);
  dipkg_free(list->items);
  *list = (DipkgDiagList){0};
}

void
dipkg_diag_quote(DipkgBuf *buf, const char *s, size_t len, size_t max)
{
  dipkg_buf_putc(buf, '\'');
  size_t start = buf->len;
  size_t i = 0;
  while (i < len) {
    if (buf->len - start >= max && len - i > 3) {
      dipkg_buf_puts(buf, "...");
      break;
    }
    unsigned char c = (unsigned char)s[i];
    uint32_t cp;
    size_t n = dipkg_utf8_decode(s + i, len - i, &cp);
    if (n == 0) {
      dipkg_buf_printf(buf, "\\x%02X", c);
      i++;
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
               cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) {
      if (cp == '\n')
        dipkg_buf_puts(buf, "\\n");
      else if (cp == '\t')
        dipkg_buf_puts(buf, "\\t");
      else if (cp == '\r')
        dipkg_buf_puts(buf, "\\r");
      else
        dipkg_buf_printf(buf, "\\u%04X", (unsigned)cp);
      i += n;
    } else if (c == '\'' || c == '\\') {
      dipkg_buf_putc(buf, '\\');
      dipkg_buf_putc(buf, (char)c);
      i++;
    } else {
      dipkg_buf_append(buf, s + i, n);
      i += n;
    }
  }
  dipkg_buf_putc(buf, '\'');
}

const char *
dipkg_diag_q(int slot, const char *s, size_t len)
{
  static _Thread_local char slots[4][256];
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_diag_quote(&b, s, len, 160);
  char *out = slots[slot & 3];
  if (b.oom || b.len >= sizeof slots[0]) {
    snprintf(out, sizeof slots[0], "%.*s", (int)(sizeof slots[0] - 1),
             b.oom ? "'?'" : b.data);
  } else {
    memcpy(out, b.data, b.len);
    out[b.len] = '\0';
  }
  dipkg_buf_free(&b);
  return out;
}
