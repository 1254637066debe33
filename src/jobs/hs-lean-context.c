/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The data of `backtest --profile lean` from the database, as LEAN feeds its algorithms
 * (shared LEAN-CONVENTIONS.md): intraday bars of the regular session only (the us_equity
 * calendar's holidays and early closes), prices adjusted by the symbol's factor file (stored by
 * `import factors`), the quote bar at each trade bar for the fills (`import quotebars`), the
 * early-close days for the daily time steps, the algorithm's start and end (midnight New York of
 * --from, the end of --to's day) and LEAN's security identifier of the symbol, which LEAN prints
 * as the Lowest Capacity Asset. What is missing is collected in ->warnings for the caller to
 * show, and the run goes on the way LEAN would without it. Load: one read per table and a pass
 * over the bars.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-lean-context.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-cache-key.h"
#include "hs-lean-data.h"
#include "hs-store-lean.h"
#include "hs-store-market.h"
#include "hs-store-rates.h"

#define US_PER_DAY G_GINT64_CONSTANT (86400000000)

void
hs_lean_context_free (HsLeanContext *lean)
{
  if (lean == NULL)
    return;
  g_free (lean->bid_close);
  g_free (lean->ask_close);
  g_clear_pointer (&lean->market_days, g_array_unref);
  g_clear_pointer (&lean->early_close_days, g_array_unref);
  g_free (lean->asset_id);
  g_free (lean->fingerprint);
  g_clear_pointer (&lean->warnings, g_ptr_array_unref);
  g_free (lean);
}

/**
 * hs_risk_free_series:
 * @arg: (nullable): --risk-free as given: a series name, "series" or "series:NAME"
 *
 * Returns: (nullable): the stored rate series it names ("series" alone is the Fed primary
 *   credit rate, as `metrics --risk-free series`)
 */
const char *
hs_risk_free_series (const char *arg)
{
  if (arg == NULL)
    return NULL;
  if (g_str_equal (arg, "series"))
    return HS_RATES_DEFAULT_SERIES;
  if (g_str_has_prefix (arg, "series:"))
    return arg + 7;
  return arg;
}

static GTimeZone *
new_york (GError **error)
{
  GTimeZone *ny = g_time_zone_new_identifier ("America/New_York");

  if (ny == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "the lean profile needs the time zone America/New_York (tzdata)");
  return ny;
}

/* Regular session, then the factor file: as LEAN's data feed hands bars to an algorithm. */
static gboolean
prepare (HsLeanContext     *lean,
         GTimeZone     *ny,
         HsStore       *store,
         int64_t        instrument_id,
         const char    *symbol,
         HsSessionKind  session,
         HsBars        *bars,
         HsQuoteBars   *quotes,
         int64_t       *first_day,
         GError       **error)
{
  g_autoptr(GArray) factors = hs_store_load_price_factors (store, instrument_id, error);
  const HsMarketDay *days = (const HsMarketDay *) (const void *) lean->market_days->data;

  if (factors == NULL)
    return FALSE;
  if (session == HS_SESSION_US_EQUITY)
    {
      hs_bars_keep_us_equity_session (bars, ny, days, lean->market_days->len);
      if (quotes != NULL)
        hs_quote_bars_keep_us_equity_session (quotes, ny, days, lean->market_days->len);
    }
  if (factors->len == 0)
    {
      /* Only US equities have factor files; the benchmark, when it is the symbol, was warned
       * about already. */
      if (session == HS_SESSION_US_EQUITY
          && (first_day != NULL || instrument_id != lean->instrument_id))
        g_ptr_array_add (lean->warnings,
                         g_strdup_printf ("no price factors for %s: its prices are not "
                                          "adjusted (LEAN's factor file: hindsight-cli import "
                                          "factors FILE --symbol %s)", symbol, symbol));
      return TRUE;
    }
  hs_bars_adjust (bars, ny, (const HsPriceFactor *) (const void *) factors->data, factors->len);
  if (quotes != NULL)
    hs_quote_bars_adjust (quotes, ny, (const HsPriceFactor *) (const void *) factors->data,
                          factors->len);
  if (first_day != NULL)
    *first_day = g_array_index (factors, HsPriceFactor, 0).day;
  return TRUE;
}

/**
 * hs_lean_context_prepare_bars:
 * @first_day: (out) (optional): the first date of the symbol's factor file, untouched when it
 *   has none
 *
 * Cuts @bars of another instrument (the benchmark) to the regular session and adjusts them by
 * its factor file, in place.
 */
gboolean
hs_lean_context_prepare_bars (HsLeanContext     *lean,
                          HsStore       *store,
                          int64_t        instrument_id,
                          const char    *symbol,
                          HsSessionKind  session,
                          HsBars        *bars,
                          int64_t       *first_day,
                          GError       **error)
{
  g_autoptr(GTimeZone) ny = new_york (error);

  return ny != NULL && prepare (lean, ny, store, instrument_id, symbol, session, bars, NULL,
                                first_day, error);
}

/* Midnight New York of a --from date, or the end of a --to date (23:59:59.999999); 0 when the
 * argument is not a plain date (the engine then takes the first or last bar's date). */
static int64_t
local_bound (GTimeZone  *ny,
             const char *arg,
             gboolean    end)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;

  if (arg == NULL || strlen (arg) != 10 || sscanf (arg, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return 0;
  dt = g_date_time_new (ny, y, m, d, 0, 0, 0);
  if (dt == NULL)
    return 0;
  if (end)
    {
      g_autoptr(GDateTime) next = g_date_time_add_days (dt, 1);

      return g_date_time_to_unix (next) * G_USEC_PER_SEC - 1;
    }
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

/**
 * hs_lean_period:
 * @from_arg: (nullable): --from as given
 * @to_arg: (nullable): --to as given
 * @start_ts: (out): the algorithm's start: midnight New York of @from_arg when it is a date,
 *   else 0 (the engine then starts at the first bar's date)
 * @end_ts: (out): the end of @to_arg's day in New York (23:59:59.999999), else 0
 *
 * What hs_lean_context_load() gives the engine as the period, without reading anything: part of
 * the cache key.
 */
gboolean
hs_lean_period (const char  *from_arg,
                    const char  *to_arg,
                    int64_t     *start_ts,
                    int64_t     *end_ts,
                    GError     **error)
{
  g_autoptr(GTimeZone) ny = new_york (error);

  if (ny == NULL)
    return FALSE;
  *start_ts = local_bound (ny, from_arg, FALSE);
  *end_ts = local_bound (ny, to_arg, TRUE);
  return TRUE;
}

/**
 * hs_lean_context_load:
 * @interval: the bars' interval (the quote bars of the same one are read)
 * @from_arg: (nullable): --from as given; @from_ts and @to_ts: the range the bars were read from
 * @bars: the symbol's bars as stored (raw): cut to the regular session and adjusted in place
 *
 * Reads what the lean profile needs besides the bars. Without a factor file the prices stay
 * raw; without quote bars market orders fill at the trade close; both are warned about.
 *
 * Returns: (transfer full): the engine's HsBtLean and what it points to, or %NULL with @error
 */
HsLeanContext *
hs_lean_context_load (HsStore       *store,
                  int64_t        instrument_id,
                  const char    *symbol,
                  const char    *interval,
                  HsSessionKind  session,
                  const char    *from_arg,
                  const char    *to_arg,
                  int64_t        from_ts,
                  int64_t        to_ts,
                  HsBars        *bars,
                  GError       **error)
{
  g_autoptr(HsLeanContext) lean = g_new0 (HsLeanContext, 1);
  g_autoptr(GTimeZone) ny = new_york (error);
  g_autoptr(HsQuoteBars) quotes = NULL;
  int intraday = bars->interval_s > 0 && bars->interval_s < 86400;
  int64_t first_day = G_MININT64;
  HsXxh64 h;

  lean->warnings = g_ptr_array_new_with_free_func (g_free);

  if (ny == NULL)
    return NULL;
  lean->instrument_id = instrument_id;
  lean->market_days = hs_store_load_market_days (store, HS_MARKET_US_EQUITY, error);
  if (lean->market_days == NULL)
    return NULL;
  lean->early_close_days = g_array_new (FALSE, FALSE, sizeof (int64_t));
  for (guint i = 0; i < lean->market_days->len; i++)
    {
      const HsMarketDay *d = &g_array_index (lean->market_days, HsMarketDay, i);

      if (d->kind == HS_MARKET_DAY_EARLY_CLOSE)
        g_array_append_val (lean->early_close_days, d->day);
    }
  if (lean->market_days->len == 0 && session == HS_SESSION_US_EQUITY)
    g_ptr_array_add (lean->warnings,
                     g_strdup ("no us_equity calendar: no early closes (LEAN's: hindsight-cli "
                               "import calendar FILE --kind early-closes, and --kind holidays)"));
  if (intraday)
    {
      quotes = hs_store_load_quote_bars (store, instrument_id, interval, from_ts, to_ts, error);
      if (quotes == NULL)
        return NULL;
    }
  if (!prepare (lean, ny, store, instrument_id, symbol, session, bars, quotes, &first_day,
                error))
    return NULL;
  if (first_day != G_MININT64)
    lean->asset_id = hs_lean_equity_id (symbol, first_day);
  if (quotes != NULL && quotes->n == 0)
    g_ptr_array_add (lean->warnings,
                     g_strdup_printf ("no %s quote bars for %s: market orders fill at the trade "
                                      "close (LEAN fills at the ask or bid: hindsight-cli import "
                                      "quotebars FILE --symbol %s --interval %s)", interval,
                                      symbol, symbol, interval));
  else if (quotes != NULL)
    {
      lean->bid_close = g_new (double, bars->n ? bars->n : 1);
      lean->ask_close = g_new (double, bars->n ? bars->n : 1);
      hs_quote_bars_align_close (quotes, bars, lean->bid_close, lean->ask_close);
      lean->input.bid_close = lean->bid_close;
      lean->input.ask_close = lean->ask_close;
    }
  lean->input.start_ts = local_bound (ny, from_arg, FALSE);
  lean->input.end_ts = local_bound (ny, to_arg, TRUE);
  lean->input.early_close_days = (const int64_t *) (const void *) lean->early_close_days->data;
  lean->input.n_early_close_days = lean->early_close_days->len;

  /* The quotes, the early closes and the algorithm's period decide the run as well. */
  hs_xxh64_init (&h, 0);
  if (lean->bid_close != NULL)
    {
      hs_xxh64_update (&h, lean->bid_close, bars->n * sizeof (double));
      hs_xxh64_update (&h, lean->ask_close, bars->n * sizeof (double));
    }
  if (lean->early_close_days->len > 0)
    hs_xxh64_update (&h, lean->early_close_days->data,
                     lean->early_close_days->len * sizeof (int64_t));
  lean->fingerprint = g_strdup_printf ("lean %" G_GINT64_FORMAT ":%" G_GINT64_FORMAT
                                       " quotes %d %016" G_GINT64_MODIFIER "x %s",
                                       lean->input.start_ts, lean->input.end_ts,
                                       lean->bid_close != NULL, hs_xxh64_digest (&h),
                                       lean->asset_id ? lean->asset_id : symbol);
  return g_steal_pointer (&lean);
}
