/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

#define HS_CSV_ERROR (hs_csv_error_quark ())

typedef enum
{
  HS_CSV_ERROR_IO,             /* the file could not be read */
  HS_CSV_ERROR_LINE_TOO_LONG,  /* a line is longer than HS_CSV_MAX_LINE */
  HS_CSV_ERROR_ENCODING,       /* a line is not valid UTF-8 */
  HS_CSV_ERROR_QUOTE,          /* a quoted field is not closed, or text follows its quote */
  HS_CSV_ERROR_TOO_MANY_FIELDS,
} HsCsvError;

/* The longest line the reader accepts, in bytes. Market data lines are under 200 bytes; a longer
 * limit only lets a broken file use more memory before it is refused. */
#define HS_CSV_MAX_LINE (1024 * 1024)
#define HS_CSV_MAX_FIELDS 256

typedef struct _HsCsvReader HsCsvReader;

GQuark       hs_csv_error_quark     (void);
HsCsvReader *hs_csv_reader_open     (const char  *path,
                                     GError     **error);
void         hs_csv_reader_free     (HsCsvReader *reader);
int          hs_csv_reader_next     (HsCsvReader *reader,
                                     GError     **error);
int          hs_csv_reader_next_line (HsCsvReader *reader,
                                      char       **line,
                                      size_t      *len,
                                      GError     **error);
size_t       hs_csv_reader_n_fields (HsCsvReader *reader);
const char  *hs_csv_reader_field    (HsCsvReader *reader,
                                     size_t       i);
size_t       hs_csv_reader_line     (HsCsvReader *reader);
uint64_t     hs_csv_reader_offset   (HsCsvReader *reader);
uint64_t     hs_csv_reader_size     (HsCsvReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsCsvReader, hs_csv_reader_free)

G_END_DECLS
