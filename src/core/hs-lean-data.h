/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-bars.h"

G_BEGIN_DECLS

/* The data QuantConnect LEAN reads besides trade bars, and its conventions for them (shared
 * LEAN-CONVENTIONS.md; tests/data/lean/README.md): quote bars, factor-file price adjustment,
 * the market calendar, the regular session and LEAN's security identifiers. */

/* One quote bar: bid and ask OHLC over [ts, ts + interval), and the last sizes. A side without
 * a quote has NAN prices (its size 0). */
typedef struct
{
  int64_t ts;
  double  bid_open, bid_high, bid_low, bid_close, bid_size;
  double  ask_open, ask_high, ask_low, ask_close, ask_size;
} HsQuoteBar;

/* Quote bars as columns, all of length n, in time order. */
typedef struct
{
  size_t   n;
  int64_t  interval_s;
  int64_t *ts;
  double  *bid_open, *bid_high, *bid_low, *bid_close, *bid_size;
  double  *ask_open, *ask_high, *ask_low, *ask_close, *ask_size;
} HsQuoteBars;

HsQuoteBars *hs_quote_bars_new   (size_t             n,
                                  int64_t            interval_s);
void         hs_quote_bars_free  (HsQuoteBars       *bars);
void         hs_quote_bars_set   (HsQuoteBars       *bars,
                                  size_t             i,
                                  const HsQuoteBar  *bar);
gboolean     hs_quote_bar_check  (const HsQuoteBar  *bar,
                                  GError           **error);

/* One row of a LEAN factor file. @day: days since 1970-01-01 (a local trading date). */
typedef struct
{
  int64_t day;
  double  price_factor;
  double  split_factor;
  double  reference_price;
} HsPriceFactor;

double   hs_decimal_product      (const double        *values,
                                  size_t               n);
double   hs_price_factor_at      (const HsPriceFactor *rows,
                                  size_t               n_rows,
                                  int64_t              day);
void     hs_bars_adjust          (HsBars              *bars,
                                  GTimeZone           *tz,
                                  const HsPriceFactor *rows,
                                  size_t               n_rows);
void     hs_quote_bars_adjust    (HsQuoteBars         *bars,
                                  GTimeZone           *tz,
                                  const HsPriceFactor *rows,
                                  size_t               n_rows);

/* A day of a market's calendar that is not a full regular session. */
typedef enum
{
  HS_MARKET_DAY_HOLIDAY,
  HS_MARKET_DAY_EARLY_CLOSE,
} HsMarketDayKind;

typedef struct
{
  int64_t         day;       /* days since 1970-01-01, local date */
  HsMarketDayKind kind;
  int32_t         close_s;   /* EARLY_CLOSE: local close, seconds after midnight; else 0 */
} HsMarketDay;

const char *hs_market_day_kind_to_string   (HsMarketDayKind  kind);
gboolean    hs_market_day_kind_from_string (const char      *text,
                                            HsMarketDayKind *out);
size_t      hs_bars_keep_us_equity_session (HsBars            *bars,
                                            GTimeZone         *ny,
                                            const HsMarketDay *days,
                                            size_t             n_days);
size_t      hs_quote_bars_keep_us_equity_session (HsQuoteBars       *bars,
                                                  GTimeZone         *ny,
                                                  const HsMarketDay *days,
                                                  size_t             n_days);
void        hs_quote_bars_align_close      (const HsQuoteBars *quotes,
                                            const HsBars      *bars,
                                            double            *bid_close,
                                            double            *ask_close);

char       *hs_lean_equity_id              (const char *symbol,
                                            int64_t     first_day);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsQuoteBars, hs_quote_bars_free)

G_END_DECLS
