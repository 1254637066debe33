/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A streaming CSV reader for untrusted files: RFC 4180 fields (quotes, doubled quotes, no line
 * breaks inside a field), LF or CRLF line ends, an optional UTF-8 byte order mark, blank lines
 * skipped. Every line is checked for UTF-8 and for its length before it is split, so a broken
 * file is refused with its line number without being read into memory whole. Reads through a
 * fixed buffer; splits fields in place; allocates nothing per line.
 */
#define G_LOG_DOMAIN "hs-csv"

#include "config.h"

#include "hs-csv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

G_DEFINE_QUARK (hs-csv-error-quark, hs_csv_error)

#define BUF_SIZE (HS_CSV_MAX_LINE + 64 * 1024)

struct _HsCsvReader
{
  FILE     *file;        /* (owned) */
  char     *buf;         /* (owned) BUF_SIZE + 1 bytes */
  size_t    start;       /* first unconsumed byte in buf */
  size_t    end;         /* one past the last valid byte in buf */
  gboolean  eof;
  size_t    line;        /* line number of the current record, 1-based */
  size_t    next_line;   /* line number of the next line to read */
  uint64_t  consumed;    /* bytes of the file consumed so far */
  uint64_t  size;
  size_t    n_fields;
  char     *fields[HS_CSV_MAX_FIELDS];
};

/**
 * hs_csv_reader_open:
 * @path: a file name
 *
 * Returns: (transfer full): a reader positioned before the first line, or %NULL with
 *   %HS_CSV_ERROR_IO set
 */
HsCsvReader *
hs_csv_reader_open (const char *path,
                    GError    **error)
{
  g_autoptr(HsCsvReader) r = NULL;
  struct stat st;
  FILE *f;

  g_return_val_if_fail (path != NULL, NULL);

  f = fopen (path, "rb");
  if (f == NULL)
    {
      int saved = errno;

      g_set_error (error, HS_CSV_ERROR, HS_CSV_ERROR_IO, "cannot open: %s", g_strerror (saved));
      return NULL;
    }
  r = g_new0 (HsCsvReader, 1);
  r->file = f;
  r->buf = g_malloc (BUF_SIZE + 1);
  r->next_line = 1;
  if (fstat (fileno (f), &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        {
          g_set_error (error, HS_CSV_ERROR, HS_CSV_ERROR_IO, "is a directory, not a file");
          return NULL;
        }
      r->size = (uint64_t) st.st_size;
    }
  return g_steal_pointer (&r);
}

void
hs_csv_reader_free (HsCsvReader *reader)
{
  if (reader == NULL)
    return;
  if (reader->file != NULL)
    fclose (reader->file);
  g_free (reader->buf);
  g_free (reader);
}

/* Moves the unconsumed tail to the front and reads more. Returns FALSE on a read error. */
static gboolean
fill (HsCsvReader *r,
      GError     **error)
{
  size_t n;

  if (r->eof)
    return TRUE;
  if (r->start > 0)
    {
      memmove (r->buf, r->buf + r->start, r->end - r->start);
      r->end -= r->start;
      r->start = 0;
    }
  n = fread (r->buf + r->end, 1, BUF_SIZE - r->end, r->file);
  r->end += n;
  if (n == 0 || r->end < BUF_SIZE)
    {
      if (ferror (r->file))
        {
          g_set_error (error, HS_CSV_ERROR, HS_CSV_ERROR_IO, "read error: %s", g_strerror (errno));
          return FALSE;
        }
      if (feof (r->file))
        r->eof = TRUE;
    }
  return TRUE;
}

/* Splits the NUL-terminated @line in place into r->fields. */
static gboolean
split (HsCsvReader *r,
       char        *line,
       GError     **error)
{
  char *p = line;

  r->n_fields = 0;
  for (;;)
    {
      char *field = p;

      if (r->n_fields == HS_CSV_MAX_FIELDS)
        {
          g_set_error (error, HS_CSV_ERROR, HS_CSV_ERROR_TOO_MANY_FIELDS,
                       "more than %d fields", HS_CSV_MAX_FIELDS);
          return FALSE;
        }
      if (*p == '"')
        {
          char *out = p;

          p++;
          for (;;)
            {
              if (*p == '\0')
                {
                  g_set_error (error, HS_CSV_ERROR, HS_CSV_ERROR_QUOTE,
                               "field %zu: quoted field is not closed on its line",
                               r->n_fields + 1);
                  return FALSE;
                }
              if (*p == '"')
                {
                  if (p[1] == '"')
                    {
                      *out++ = '"';
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              *out++ = *p++;
            }
          if (*p != ',' && *p != '\0')
            {
              g_set_error (error, HS_CSV_ERROR, HS_CSV_ERROR_QUOTE,
                           "field %zu: text after the closing quote", r->n_fields + 1);
              return FALSE;
            }
          r->fields[r->n_fields++] = field;
          if (*p == '\0')
            {
              *out = '\0';
              return TRUE;
            }
          *out = '\0';
          p++;
          continue;
        }
      while (*p != ',' && *p != '\0')
        p++;
      r->fields[r->n_fields++] = field;
      if (*p == '\0')
        return TRUE;
      *p++ = '\0';
    }
}

/**
 * hs_csv_reader_next_line:
 * @line: (out) (transfer none): the line without its line break, NUL-terminated, valid until
 *   the next call
 * @len: (out) (optional): its length in bytes
 *
 * Reads the next non-blank line, checked for length and UTF-8, without splitting it: for line
 * formats other than CSV (JSON Lines).
 *
 * Returns: 1 when a line was read, 0 at the end of the file, -1 with @error set; the error
 *   message does not name the file or line (hs_csv_reader_line() tells the line).
 */
int
hs_csv_reader_next_line (HsCsvReader *r,
                         char       **line_out,
                         size_t      *len_out,
                         GError     **error)
{
  for (;;)
    {
      char *line, *nl;
      size_t len;
      const char *bad;

      nl = memchr (r->buf + r->start, '\n', r->end - r->start);
      if (nl == NULL && !r->eof)
        {
          if (r->end - r->start > HS_CSV_MAX_LINE)
            {
              r->line = r->next_line;
              goto too_long;
            }
          if (!fill (r, error))
            return -1;
          nl = memchr (r->buf + r->start, '\n', r->end - r->start);
        }
      if (nl == NULL)
        {
          if (r->start == r->end)
            return 0;
          /* The last line has no line break. */
          nl = r->buf + r->end;
        }
      line = r->buf + r->start;
      len = (size_t) (nl - line);
      r->line = r->next_line++;
      if (len > HS_CSV_MAX_LINE)
        goto too_long;
      r->consumed += len + (nl < r->buf + r->end ? 1 : 0);
      r->start = (size_t) (nl - r->buf) + (nl < r->buf + r->end ? 1 : 0);
      if (len > 0 && line[len - 1] == '\r')
        len--;
      line[len] = '\0';
      if (r->line == 1 && len >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
        {
          line += 3;
          len -= 3;
        }
      if (!g_utf8_validate_len (line, len, &bad))
        {
          g_set_error (error, HS_CSV_ERROR, HS_CSV_ERROR_ENCODING,
                       "invalid UTF-8 at byte %zu of the line", (size_t) (bad - line) + 1);
          return -1;
        }
      if (len == 0)
        continue;
      *line_out = line;
      if (len_out != NULL)
        *len_out = len;
      return 1;
    }

too_long:
  g_set_error (error, HS_CSV_ERROR, HS_CSV_ERROR_LINE_TOO_LONG,
               "line is longer than %d bytes (is this a CSV file?)", HS_CSV_MAX_LINE);
  return -1;
}

/**
 * hs_csv_reader_next:
 *
 * Reads the next non-blank line and splits it into fields.
 *
 * Returns: as hs_csv_reader_next_line()
 */
int
hs_csv_reader_next (HsCsvReader *r,
                    GError     **error)
{
  char *line = NULL;
  int rc = hs_csv_reader_next_line (r, &line, NULL, error);

  if (rc <= 0)
    return rc;
  return split (r, line, error) ? 1 : -1;
}

size_t
hs_csv_reader_n_fields (HsCsvReader *reader)
{
  return reader->n_fields;
}

const char *
hs_csv_reader_field (HsCsvReader *reader,
                     size_t       i)
{
  g_return_val_if_fail (i < reader->n_fields, NULL);
  return reader->fields[i];
}

size_t
hs_csv_reader_line (HsCsvReader *reader)
{
  return reader->line;
}

uint64_t
hs_csv_reader_offset (HsCsvReader *reader)
{
  return reader->consumed;
}

uint64_t
hs_csv_reader_size (HsCsvReader *reader)
{
  return reader->size;
}
