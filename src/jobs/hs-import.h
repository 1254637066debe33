/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-store.h"

G_BEGIN_DECLS

#define HS_IMPORT_ERROR (hs_import_error_quark ())

typedef enum
{
  HS_IMPORT_ERROR_BAD_INPUT,   /* the file's content is refused: message is FILE:LINE: reason */
  HS_IMPORT_ERROR_USAGE,       /* the request itself is wrong (unknown interval, zone …) */
} HsImportError;

typedef enum
{
  HS_IMPORT_BARS,
  HS_IMPORT_TRADES,
  HS_IMPORT_QUOTES,
  HS_IMPORT_ORDERBOOK,
  HS_IMPORT_SNAPSHOTS,
  HS_IMPORT_QUOTEBARS,   /* LEAN quote bars: bid and ask OHLC per bar, CSV */
  HS_IMPORT_FACTORS,     /* a LEAN factor file, CSV; replaces the instrument's factors */
  HS_IMPORT_CALENDAR,    /* a market's holidays or early closes, CSV */
} HsImportKind;

typedef struct
{
  HsImportKind kind;
  char        *path;             /* the file */
  char        *symbol;           /* required except for snapshots, which name their ticker */
  char        *exchange;         /* (nullable) */
  char        *instrument_kind;  /* (nullable) stock, etf, crypto …; used when creating it */
  char        *interval;         /* bars: 1m, 1d …; required */
  char        *tz;               /* (nullable) zone of naive times; UTC when NULL */
  char       **columns;          /* (nullable) names replacing the header's */
  int          depth;            /* order book levels per side for imbalance; 0 means 10 */
  char        *source;           /* (nullable) snapshots: poll, websocket or backfill (default) */
  char        *calendar;         /* calendar: holidays or early-closes; required */
  char        *market;           /* (nullable) calendar: the market; us_equity when NULL */
} HsImportRequest;

typedef struct
{
  int64_t rows;        /* data rows read */
  int64_t inserted;    /* rows new to the database */
  int64_t present;     /* rows the database already had (re-import) */
  int64_t first_ts;
  int64_t last_ts;
  char   *symbol;      /* (owned) the instrument written (for snapshots, the last ticker; for a
                        * calendar, the market) */
  int64_t removed;     /* factors: stored rows of dates the file no longer has, deleted */
  int64_t paper_closed;   /* bars: open paper trades whose stop or target the new bars hit */
} HsImportResult;

/* Called on the thread that runs the import; at most every 65536 rows. */
typedef void (*HsProgressFunc) (double      fraction,
                                const char *message,
                                gpointer    user_data);

GQuark           hs_import_error_quark   (void);
const char      *hs_import_kind_to_string (HsImportKind kind);
gboolean         hs_import_kind_from_string (const char   *text,
                                             HsImportKind *out);

HsImportRequest *hs_import_request_copy  (const HsImportRequest *req);
void             hs_import_request_free  (HsImportRequest *req);
void             hs_import_result_clear  (HsImportResult  *res);

gboolean         hs_import_run           (HsStore               *store,
                                          const HsImportRequest *req,
                                          HsProgressFunc         progress,
                                          gpointer               user_data,
                                          GCancellable          *cancellable,
                                          HsImportResult        *result,
                                          GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsImportRequest, hs_import_request_free)

G_END_DECLS
