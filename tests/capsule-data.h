/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-bars.h"
#include "hs-records.h"
#include "hs-store.h"
#include "hs-store-context.h"

G_BEGIN_DECLS

/* The "realistic dataset", generated (nothing downloaded) from a seeded PRNG: five stocks
 * (AAPL, MSFT, NVDA → XLK, XOM → XLE, JPM → XLF), SPY, VIX and those sector ETFs; 30 trading days
 * (2024-03-04 … 2024-04-15, no 2024-03-29, across the 2024-03-10 DST change) of one-minute
 * regular-session bars from correlated random walks with a U-shaped volume; for every symbol but
 * NVDA also 260 earlier daily bars and the 30 session days as daily bars (the minutes
 * aggregated), so NVDA's daily timeframe is resampled from its minutes; quotes of the stocks
 * every minute (at :30), JPM order book snapshots every 5 minutes (at :10), two AAPL option
 * contracts quoted every 5 minutes (at :15); and 500 paper trades in the import JSONL format
 * (shared formats §1) without context, 20 of them on the options and 25 still open.
 * The same seed gives the same data, byte for byte. */

#define CAPSULE_N_DAYS         30
#define CAPSULE_HISTORY_DAYS   260
#define CAPSULE_N_TRADES       500
#define CAPSULE_MINUTES_PER_DAY 390

typedef struct
{
  int64_t ts;
  double  bid[5], bid_size[5], ask[5], ask_size[5];   /* best first */
} CapsuleBook;

typedef struct
{
  const char *symbol;
  const char *kind;          /* stock, etf, index */
  const char *sector_etf;    /* (nullable) */
  HsBars     *minutes;       /* (owned) 1m bars, regular session of the 30 days */
  HsBars     *daily;         /* (owned) (nullable) 1d bars stamped 00:00Z; NULL for NVDA */
  GArray     *quotes;        /* (owned) (nullable) HsQuote, the stocks */
  GArray     *books;         /* (owned) (nullable) CapsuleBook, JPM */
  char       *minute_csv;    /* (owned) paths, once written */
  char       *daily_csv;
  char       *quotes_csv;
  char       *books_jsonl;
} CapsuleSeries;

typedef struct
{
  const char *symbol;        /* OCC symbol */
  const char *underlying;
  const char *right;         /* call, put */
  double      strike;
  int64_t     expiry;
  GArray     *quotes;        /* (owned) HsOptionQuote */
} CapsuleOption;

typedef struct
{
  const char *symbol;
  const char *side;          /* long, short */
  double      quantity;
  int64_t     entry_ts;
  double      entry_price;
  double      stop_loss, take_profit;
  gboolean    closed;
  int64_t     exit_ts;
  double      exit_price;
  const char *exit_reason;
  double      fees;
  const char *tag;
  int         day;           /* index of the session day, 0 … CAPSULE_N_DAYS − 1 */
} CapsuleTrade;

typedef struct
{
  GPtrArray *series;           /* (owned) CapsuleSeries, SPY VIX XLK XLE XLF AAPL MSFT NVDA XOM JPM */
  GPtrArray *options;          /* (owned) CapsuleOption */
  GArray    *trades;           /* (owned) CapsuleTrade, by entry time */
  int64_t    days[CAPSULE_N_DAYS];        /* session days, days since 1970-01-01 (New York) */
  int64_t    open_ts[CAPSULE_N_DAYS];     /* 09:30 New York of each, µs UTC */
  char      *trades_jsonl;     /* (owned) all 500, once written */
  char      *stock_trades_jsonl; /* (owned) the 480 on stocks (the options need capsule_data_load) */
} CapsuleData;

CapsuleData         *capsule_data_new      (guint64            seed);
void                 capsule_data_free     (CapsuleData       *d);
gboolean             capsule_data_write    (CapsuleData       *d,
                                            const char        *dir,
                                            GError           **error);
gboolean             capsule_data_load     (CapsuleData       *d,
                                            HsStore           *store,
                                            GError           **error);
const CapsuleSeries *capsule_data_series   (const CapsuleData *d,
                                            const char        *symbol);
const CapsuleOption *capsule_data_option   (const CapsuleData *d,
                                            const char        *symbol);
/* Removes @dir and the files in it (a test's temporary folder). */
void                 capsule_remove_dir    (const char        *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CapsuleData, capsule_data_free)

G_END_DECLS
