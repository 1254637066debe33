/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Forensic labels (docs/labels.md): hand-calculated cases written out below (long and short, an
 * entry at a bar's open and one inside a minute, an exit before 15 minutes, every reason a trade
 * stays unlabeled); a differential test of hs_label_compute() against a deliberately slow
 * reference in this file (every bar looked at for every trade, every counted price collected,
 * no binary search, no shared code) on generated bars with gaps; the job end to end through the
 * database, on generated bars and on LEAN's real SPY minute bars (tests/data/lean), for paper
 * and backtest trades; the guard against trades changed between the read and the write (a
 * second connection changes them), idempotency (a second run, and --all, change nothing),
 * retries once the bars arrive, the filters, the GTask wrapper with progress, and cancellation.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-label-job.h"
#include "hs-label.h"
#include "hs-store-label.h"
#include "hs-store-market.h"
#include "hs-time.h"

#define SEC_US INT64_C (1000000)
#define MIN_US (60 * SEC_US)
#define EPS    1e-9

static int64_t
T (const char *iso)
{
  g_autoptr(GError) error = NULL;
  int64_t us = 0;

  g_assert_true (hs_time_parse (iso, NULL, &us, &error));
  g_assert_no_error (error);
  return us;
}

/* ---- Hand-calculated cases ---------------------------------------------------------------- */

/* Bar k starts at 2024-03-04T14:30Z + k minutes: close 100 + 0.1 k, open 0.1 below the close
 * (the previous close), high 0.05 above the close, low 0.05 below the open. */
static HsBars *
ramp_bars (size_t first,
           size_t n)
{
  HsBars *b = hs_bars_new (n, 60);
  int64_t t0 = T ("2024-03-04T14:30:00Z");

  for (size_t i = 0; i < n; i++)
    {
      size_t k = first + i;

      b->ts[i] = t0 + (int64_t) k * MIN_US;
      b->close[i] = 100 + 0.1 * (double) k;
      b->open[i] = b->close[i] - 0.1;
      b->high[i] = b->close[i] + 0.05;
      b->low[i] = b->open[i] - 0.05;
      b->volume[i] = 1000;
      b->vwap[i] = NAN;
    }
  return b;
}

static int64_t
bars_end (const HsBars *b)
{
  return b->n > 0 ? b->ts[b->n - 1] + MIN_US : G_MININT64;
}

static void
assert_labels (const HsLabel *l,
               double         pnl_15m,
               double         pnl_1h,
               double         mfe,
               double         mae)
{
  g_assert_cmpint (l->status, ==, HS_LABEL_OK);
  g_assert_cmpfloat_with_epsilon (l->pnl_15m, pnl_15m, EPS);
  g_assert_cmpfloat_with_epsilon (l->pnl_1h, pnl_1h, EPS);
  g_assert_cmpfloat_with_epsilon (l->mfe_pct, mfe, EPS);
  g_assert_cmpfloat_with_epsilon (l->mae_pct, mae, EPS);
}

/* Entry at a bar's open (14:35:00), exit at a later bar's open (14:40:00), as backtest fills are.
 *   Bars wholly inside [14:35, 14:40]: 5 … 9 (14:35 … 14:39), highs and lows count.
 *   Bar 4 (14:34) ends at the entry: nothing of it counts (its high is set to 120 to show it).
 *   Bar 10 (14:40) starts at the exit: only its open, 100.9, counts (high 130, low 90 do not).
 *   Bar 7's low is set to 95.
 * Highest counted price: bar 9's high 100.95; lowest: 95.
 * 15 min: entry + 15 min = 14:50; the last bar ending by then is bar 19 (14:49), close 101.9.
 *   The trade exited at 14:40; the label is about the market at 14:50 all the same.
 * 1 h: 15:35; bar 64 (15:34), close 106.4.
 * Long at 100.5:
 *   pnl_15m = (101.9 - 100.5) / 100.5 × 100 = 1.4 / 1.005   = 1.3930348258706466
 *   pnl_1h  = (106.4 - 100.5) / 100.5 × 100 = 5.9 / 1.005   = 5.870646766169155
 *   mfe     = (100.95 - 100.5) / 100.5 × 100 = 0.45 / 1.005 = 0.44776119402985076
 *   mae     = (100.5 - 95) / 100.5 × 100 = 5.5 / 1.005      = 5.472636815920398
 * Short at 100.5: the two returns change sign, MFE and MAE swap. */
static void
test_hand_entry_at_open (void)
{
  g_autoptr(HsBars) b = ramp_bars (0, 80);
  HsLabelTrade trade = { 1, T ("2024-03-04T14:35:00Z"), 100.5, T ("2024-03-04T14:40:00Z") };
  HsLabel l;

  b->high[4] = 120;
  b->low[7] = 95;
  b->high[10] = 130;
  b->low[10] = 90;

  g_assert_cmpint (hs_label_compute (b, bars_end (b), &trade, &l), ==, HS_LABEL_OK);
  assert_labels (&l, 1.3930348258706466, 5.870646766169155, 0.44776119402985076,
                 5.472636815920398);
  g_assert_null (hs_label_describe (&l));

  trade.side = -1;
  g_assert_cmpint (hs_label_compute (b, bars_end (b), &trade, &l), ==, HS_LABEL_OK);
  assert_labels (&l, -1.3930348258706466, -5.870646766169155, 5.472636815920398,
                 0.44776119402985076);
}

/* Entry inside a minute (14:35:30), exit inside another (14:38:30).
 *   Bar 5 (14:35) holds the entry: only its close counts, set to 100.2 (high 111, low 89 not).
 *   Bars 6 and 7 lie wholly inside: open/high/low/close 100.5/100.65/100.45/100.6 and
 *     100.6/100.75/100.55/100.7.
 *   Bar 8 (14:38) holds the exit: only its open 100.7 counts (high 120, low 80 not).
 * Highest counted: 100.75; lowest: 100.2 (bar 5's close).
 * 15 min: 14:50:30; the last bar ending by then is still bar 19, close 101.9; 1 h: bar 64.
 * Long at 100.5: mfe = 0.25 / 1.005 = 0.24875621890547264, mae = 0.3 / 1.005 =
 * 0.2985074626865672; returns as in the previous case. */
static void
test_hand_entry_inside_minute (void)
{
  g_autoptr(HsBars) b = ramp_bars (0, 80);
  HsLabelTrade trade = { 1, T ("2024-03-04T14:35:30Z"), 100.5, T ("2024-03-04T14:38:30Z") };
  HsLabel l;

  b->high[5] = 111;
  b->low[5] = 89;
  b->close[5] = 100.2;
  b->high[8] = 120;
  b->low[8] = 80;

  g_assert_cmpint (hs_label_compute (b, bars_end (b), &trade, &l), ==, HS_LABEL_OK);
  assert_labels (&l, 1.3930348258706466, 5.870646766169155, 0.24875621890547264,
                 0.2985074626865672);

  trade.side = -1;
  g_assert_cmpint (hs_label_compute (b, bars_end (b), &trade, &l), ==, HS_LABEL_OK);
  assert_labels (&l, -1.3930348258706466, -5.870646766169155, 0.2985074626865672,
                 0.24875621890547264);
}

static void
assert_reason (const HsBars *b,
               int64_t       data_end,
               HsLabelTrade *trade,
               HsLabelStatus status,
               HsLabelWindow window,
               const char   *reason)
{
  g_autofree char *text = NULL;
  HsLabel l;

  g_assert_cmpint (hs_label_compute (b, data_end, trade, &l), ==, status);
  g_assert_cmpint (l.window, ==, window);
  g_assert_true (isnan (l.pnl_15m) && isnan (l.pnl_1h) && isnan (l.mfe_pct)
                 && isnan (l.mae_pct));
  text = hs_label_describe (&l);
  g_assert_cmpstr (text, ==, reason);
}

/* Every reason a trade stays unlabeled, with the text label_error gets. */
static void
test_hand_reasons (void)
{
  g_autoptr(HsBars) full = ramp_bars (0, 80);            /* 14:30 … 15:49, ends 15:50 */
  g_autoptr(HsBars) early = ramp_bars (0, 41);           /* 14:30 … 15:10, ends 15:11 */
  g_autoptr(HsBars) none = hs_bars_new (0, 60);
  g_autoptr(HsBars) gap = hs_bars_new (65, 60);
  HsLabelTrade trade = { 1, T ("2024-03-04T14:35:00Z"), 100.5, T ("2024-03-04T14:40:00Z") };
  size_t j = 0;

  /* Bars 50 … 64 (15:20 … 15:34) missing: nothing ends in (15:20, 15:35]. */
  for (size_t i = 0; i < full->n; i++)
    if (i < 50 || i > 64)
      {
        gap->ts[j] = full->ts[i];
        gap->open[j] = full->open[i];
        gap->high[j] = full->high[i];
        gap->low[j] = full->low[i];
        gap->close[j] = full->close[i];
        j++;
      }
  g_assert_cmpuint (j, ==, gap->n);
  trade.entry_ts = T ("2024-03-04T15:20:00Z");
  trade.exit_ts = T ("2024-03-04T15:30:00Z");
  assert_reason (gap, bars_end (gap), &trade, HS_LABEL_NO_BARS, HS_LABEL_WINDOW_15M,
                 "no 1m bars from 2024-03-04T15:20:00Z to 2024-03-04T15:35:00Z "
                 "(entry + 15 min)");

  /* Stored bars end at 15:11: 15 min (14:50) is known, 1 h (15:35) is not yet. */
  trade.entry_ts = T ("2024-03-04T14:35:00Z");
  trade.exit_ts = T ("2024-03-04T14:40:00Z");
  assert_reason (early, bars_end (early), &trade, HS_LABEL_DATA_ENDS, HS_LABEL_WINDOW_1H,
                 "1m bars end at 2024-03-04T15:11:00Z, before 2024-03-04T15:35:00Z "
                 "(entry + 1 h)");

  /* The same bars loaded, but the stored series goes on (data_end later): the 1 h window
   * simply has its price at bar 40 (15:10, ends 15:11), the last bar ending by 15:35. */
  {
    HsLabel l;

    g_assert_cmpint (hs_label_compute (early, T ("2024-03-05T14:31:00Z"), &trade, &l), ==,
                     HS_LABEL_OK);
    /* (104 - 100.5) / 100.5 × 100 = 3.5 / 1.005 */
    g_assert_cmpfloat_with_epsilon (l.pnl_1h, 3.5 / 1.005, EPS);
  }

  /* No bar at all. */
  assert_reason (none, G_MININT64, &trade, HS_LABEL_NO_BARS, HS_LABEL_WINDOW_15M,
                 "no 1m bars from 2024-03-04T14:35:00Z to 2024-03-04T14:50:00Z "
                 "(entry + 15 min)");

  /* Held 40 s inside one minute: no price certainly happened while it was open. */
  trade.entry_ts = T ("2024-03-04T14:35:10Z");
  trade.exit_ts = T ("2024-03-04T14:35:50Z");
  assert_reason (full, bars_end (full), &trade, HS_LABEL_NO_BARS, HS_LABEL_WINDOW_HOLDING,
                 "no 1m bars from 2024-03-04T14:35:10Z to 2024-03-04T14:35:50Z (the exit)");

  /* Exit after the last stored bar. */
  trade.entry_ts = T ("2024-03-04T14:35:00Z");
  trade.exit_ts = T ("2024-03-04T16:00:00Z");
  assert_reason (full, bars_end (full), &trade, HS_LABEL_DATA_ENDS, HS_LABEL_WINDOW_HOLDING,
                 "1m bars end at 2024-03-04T15:50:00Z, before 2024-03-04T16:00:00Z (the exit)");

  /* Held for no time at a bar's open: the open is the one price, so both excursions are
   * |100.4 - 100.5| in the adverse direction only: mfe 0, mae 0.1 / 1.005. */
  {
    HsLabel l;

    trade.entry_ts = trade.exit_ts = T ("2024-03-04T14:35:00Z");
    g_assert_cmpint (hs_label_compute (full, bars_end (full), &trade, &l), ==, HS_LABEL_OK);
    g_assert_cmpfloat (l.mfe_pct, ==, 0);
    g_assert_cmpfloat_with_epsilon (l.mae_pct, 0.1 / 1.005, EPS);
  }

  {
    HsLabel l;
    g_autofree char *text = NULL;

    hs_label_set_status (&l, HS_LABEL_NO_INSTRUMENT);
    text = hs_label_describe (&l);
    g_assert_cmpstr (text, ==, "the trade has no instrument");
    g_assert_cmpstr (hs_label_status_to_string (HS_LABEL_NO_INSTRUMENT), ==, "no_instrument");
    g_assert_cmpstr (hs_label_status_to_string (HS_LABEL_DATA_ENDS), ==, "data_ends");
  }
}

/* ---- The slow reference ------------------------------------------------------------------- */

typedef struct
{
  int     side;
  int64_t entry;
  double  price;
  int64_t exit;
} GenTrade;

typedef struct
{
  const char *status;   /* "ok", "no_bars", "data_ends" */
  int         window;   /* 0 15 min, 1 1 h, 2 holding */
  double      v[4];     /* pnl_15m, pnl_1h, mfe, mae */
} Ref;

/* docs/labels.md, read literally: the price H after the entry is the close of the bar with the
 * latest end among the bars that end after the entry and no later than entry + H; a bar's open
 * happened at its start, its close at its end, its high and low anywhere in between, and a price
 * counts for the holding period when it certainly happened in [entry, exit] (a close exactly at
 * the entry came before it). A window not yet covered by the stored bars is "data_ends". */
static void
reference_label (const HsBars   *b,
                 const GenTrade *t,
                 Ref            *r)
{
  int64_t data_end = G_MININT64;
  g_autoptr(GArray) prices = g_array_new (FALSE, FALSE, sizeof (double));

  memset (r, 0, sizeof *r);
  for (size_t i = 0; i < b->n; i++)
    if (b->ts[i] + MIN_US > data_end)
      data_end = b->ts[i] + MIN_US;

  for (int w = 0; w < 2; w++)
    {
      int64_t until = t->entry + (w == 0 ? 15 : 60) * MIN_US;
      long best = -1;

      r->window = w;
      if (b->n > 0 && data_end < until)
        {
          r->status = "data_ends";
          return;
        }
      for (size_t i = 0; i < b->n; i++)
        {
          int64_t end = b->ts[i] + MIN_US;

          if (end > t->entry && end <= until && (best < 0 || end > b->ts[best] + MIN_US))
            best = (long) i;
        }
      if (best < 0)
        {
          r->status = "no_bars";
          return;
        }
      r->v[w] = (b->close[best] - t->price) * t->side / t->price * 100;
    }

  r->window = 2;
  if (data_end < t->exit)
    {
      r->status = "data_ends";
      return;
    }
  for (size_t i = 0; i < b->n; i++)
    {
      int64_t start = b->ts[i], end = start + MIN_US;

      if (t->entry <= start && start <= t->exit)
        g_array_append_val (prices, b->open[i]);
      if (t->entry < end && end <= t->exit)
        g_array_append_val (prices, b->close[i]);
      if (t->entry <= start && end <= t->exit)
        {
          g_array_append_val (prices, b->high[i]);
          g_array_append_val (prices, b->low[i]);
        }
    }
  if (prices->len == 0)
    {
      r->status = "no_bars";
      return;
    }
  r->v[2] = r->v[3] = 0;
  for (guint k = 0; k < prices->len; k++)
    {
      double move = (g_array_index (prices, double, k) - t->price) * t->side / t->price * 100;

      r->v[2] = MAX (r->v[2], move);
      r->v[3] = MAX (r->v[3], -move);
    }
  r->status = "ok";
}

static double
gauss (GRand *rand)
{
  double u = g_rand_double_range (rand, 1e-12, 1), v = g_rand_double (rand);

  return sqrt (-2 * log (u)) * cos (2 * G_PI * v);
}

/* A random walk of @minutes one-minute bars from @start, about @drop of them missing at random
 * and all of [gap_from, gap_to) missing (a night, a halt). */
static HsBars *
gen_bars (GRand  *rand,
          int64_t start,
          size_t  minutes,
          double  drop,
          size_t  gap_from,
          size_t  gap_to)
{
  HsBars *b;
  double price = 100;
  size_t n = 0;

  b = hs_bars_new (minutes, 60);
  for (size_t m = 0; m < minutes; m++)
    {
      double o = price, c = o * (1 + 0.001 * gauss (rand));
      double h = MAX (o, c) * (1 + g_rand_double_range (rand, 0, 0.0008));
      double l = MIN (o, c) * (1 - g_rand_double_range (rand, 0, 0.0008));

      price = c;
      if ((m >= gap_from && m < gap_to) || g_rand_double (rand) < drop)
        continue;
      b->ts[n] = start + (int64_t) m * MIN_US;
      b->open[n] = o;
      b->high[n] = h;
      b->low[n] = l;
      b->close[n] = c;
      b->volume[n] = 100;
      b->vwap[n] = NAN;
      n++;
    }
  b->n = n;
  return b;
}

/* @n trades with distinct (side, entry): entries from 30 minutes before the bars to 90 after,
 * half at a whole minute, held from 0 to 4 hours (a tenth for no time at all). */
static GArray *
gen_trades (GRand  *rand,
            int64_t start,
            size_t  minutes,
            size_t  n)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GArray *trades = g_array_new (FALSE, FALSE, sizeof (GenTrade));

  while (trades->len < n)
    {
      GenTrade t;
      int64_t hold, key;

      t.side = g_rand_boolean (rand) ? 1 : -1;
      t.entry = start + g_rand_int_range (rand, -30, (gint32) minutes + 90) * MIN_US;
      if (g_rand_boolean (rand))
        t.entry += g_rand_int_range (rand, 1, 60) * SEC_US;
      hold = g_rand_int_range (rand, 0, 10) == 0 ? 0
             : g_rand_int_range (rand, 0, 240 * 60) * SEC_US;
      t.exit = t.entry + hold;
      t.price = 100 * (1 + 0.01 * gauss (rand));
      key = t.entry * 2 + (t.side > 0);
      if (g_hash_table_contains (seen, &key))
        continue;
      g_hash_table_add (seen, g_memdup2 (&key, sizeof key));
      g_array_append_val (trades, t);
    }
  return trades;
}

static void
assert_matches_reference (const HsLabel *l,
                          const Ref     *r)
{
  g_assert_cmpstr (hs_label_status_to_string (l->status), ==, r->status);
  if (l->status != HS_LABEL_OK)
    {
      g_assert_cmpint (l->window, ==, r->window);
      return;
    }
  g_assert_cmpfloat_with_epsilon (l->pnl_15m, r->v[0], EPS);
  g_assert_cmpfloat_with_epsilon (l->pnl_1h, r->v[1], EPS);
  g_assert_cmpfloat_with_epsilon (l->mfe_pct, r->v[2], EPS);
  g_assert_cmpfloat_with_epsilon (l->mae_pct, r->v[3], EPS);
}

/* hs_label_compute() against the reference on 3,000 minutes of bars (7 % missing at random, a
 * 400-minute gap) and 1,500 trades; every status and both sides occur. */
static void
test_differential_core (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240304);
  int64_t start = T ("2024-03-04T14:30:00Z");
  g_autoptr(HsBars) b = gen_bars (rand, start, 3000, 0.07, 1200, 1600);
  g_autoptr(GArray) trades = gen_trades (rand, start, 3000, 1500);
  int counts[3] = { 0 }, sides[2] = { 0 };

  for (guint i = 0; i < trades->len; i++)
    {
      const GenTrade *t = &g_array_index (trades, GenTrade, i);
      HsLabelTrade trade = { t->side, t->entry, t->price, t->exit };
      HsLabel l;
      Ref r;

      reference_label (b, t, &r);
      hs_label_compute (b, bars_end (b), &trade, &l);
      assert_matches_reference (&l, &r);
      counts[l.status]++;
      if (l.status == HS_LABEL_OK)
        sides[t->side > 0]++;
    }
  g_test_message ("ok %d, no bars %d, data ends %d", counts[0], counts[1], counts[2]);
  g_assert_cmpint (counts[HS_LABEL_OK], >, 1000);
  g_assert_cmpint (counts[HS_LABEL_NO_BARS], >, 10);
  g_assert_cmpint (counts[HS_LABEL_DATA_ENDS], >, 10);
  g_assert_cmpint (sides[0], >, 400);
  g_assert_cmpint (sides[1], >, 400);
}

/* ---- The database ------------------------------------------------------------------------- */

static char *tmpdir;

typedef struct
{
  char    *path;
  HsStore *store;
  sqlite3 *raw;          /* a second connection: the "other writer" */
  int64_t  instrument;
  int64_t  run;          /* a backtest run for backtest trades */
} Db;

static void
raw_exec (sqlite3    *raw,
          const char *sql)
{
  char *err = NULL;

  if (sqlite3_exec (raw, sql, NULL, NULL, &err) != SQLITE_OK)
    g_error ("%s: %s", sql, err);
}

static void
db_open (Db         *db,
         const char *name)
{
  g_autoptr(GError) error = NULL;

  db->path = g_build_filename (tmpdir, name, NULL);
  db->store = hs_store_open (db->path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (hs_store_ensure_instrument (db->store, "X", NULL, "stock", &db->instrument,
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (db->path, &db->raw), ==, SQLITE_OK);
  sqlite3_busy_timeout (db->raw, 5000);
  /* Setup writes one row per transaction; a crash of the test loses nothing worth an fsync. */
  raw_exec (db->raw, "PRAGMA synchronous = OFF");
  raw_exec (db->raw, "INSERT INTO backtest_runs (strategy_name, symbol, interval, start_ts, "
                     "end_ts, initial_cash, created_at) VALUES ('t', 'X', '1m', 0, 1, 1000, 0)");
  db->run = sqlite3_last_insert_rowid (db->raw);
}

static void
db_close (Db *db)
{
  sqlite3_close (db->raw);
  hs_store_close (db->store);
  g_free (db->path);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Db, db_close)

static void
db_insert_bars (Db           *db,
                const HsBars *b)
{
  g_autoptr(GError) error = NULL;
  g_autofree HsBar *rows = g_new0 (HsBar, MAX (b->n, 1));
  int64_t inserted = 0;

  for (size_t i = 0; i < b->n; i++)
    {
      rows[i].ts = b->ts[i];
      rows[i].open = b->open[i];
      rows[i].high = b->high[i];
      rows[i].low = b->low[i];
      rows[i].close = b->close[i];
      rows[i].volume = 100;
      rows[i].vwap = NAN;
      rows[i].trade_count = -1;
    }
  g_assert_true (hs_store_begin (db->store, &error));
  g_assert_true (hs_store_insert_bars (db->store, db->instrument, "1m", rows, b->n, &inserted,
                                       &error));
  g_assert_no_error (error);
  g_assert_true (hs_store_commit (db->store, &error));
  g_assert_cmpint (inserted, ==, (int64_t) b->n);
}

/* A paper trade as a bot's import would leave it. @run 0: not a backtest. */
static int64_t
db_insert_paper (Db             *db,
                 const GenTrade *t,
                 const char     *status,
                 int64_t         run)
{
  sqlite3_stmt *stmt = NULL;
  gboolean closed = g_str_equal (status, "closed") || g_str_equal (status, "stopped");
  int64_t id;

  g_assert_cmpint (sqlite3_prepare_v2 (db->raw,
                   "INSERT INTO paper_trades (instrument_id, side, quantity, entry_ts, "
                   "entry_price, exit_ts, exit_price, status, is_backtest, backtest_run_id, "
                   "created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                   -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, db->instrument);
  sqlite3_bind_text (stmt, 2, t->side > 0 ? "long" : "short", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, t->entry);
  sqlite3_bind_double (stmt, 4, t->price);
  if (closed)
    {
      sqlite3_bind_int64 (stmt, 5, t->exit);
      sqlite3_bind_double (stmt, 6, t->price);
    }
  sqlite3_bind_text (stmt, 7, status, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 8, run > 0);
  if (run > 0)
    sqlite3_bind_int64 (stmt, 9, run);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  id = sqlite3_last_insert_rowid (db->raw);
  return id;
}

/* A backtest trade of @run; @instrument 0: none. */
static int64_t
db_insert_backtest (Db             *db,
                    int64_t         run,
                    int64_t         instrument,
                    const GenTrade *t)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db->raw,
                   "INSERT INTO backtest_trades (run_id, trade_no, instrument_id, side, "
                   "quantity, entry_ts, entry_price, exit_ts, exit_price) VALUES (?1, "
                   "(SELECT count(*) + 1 FROM backtest_trades WHERE run_id = ?1), ?2, ?3, 1, ?4, "
                   "?5, ?6, ?5)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, run);
  if (instrument > 0)
    sqlite3_bind_int64 (stmt, 2, instrument);
  sqlite3_bind_text (stmt, 3, t->side > 0 ? "long" : "short", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, t->entry);
  sqlite3_bind_double (stmt, 5, t->price);
  sqlite3_bind_int64 (stmt, 6, t->exit);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return sqlite3_last_insert_rowid (db->raw);
}

typedef struct
{
  gboolean labeled;       /* labeled_at set */
  gboolean null_targets;  /* all four targets NULL */
  double   v[4];
  int64_t  labeled_at;
  char     error[256];    /* label_error, "" for NULL */
} Stored;

static void
db_read (Db          *db,
         HsLabelTable table,
         int64_t      id,
         Stored      *s)
{
  sqlite3_stmt *stmt = NULL;
  const char *sql = table == HS_LABEL_TABLE_PAPER
    ? "SELECT target_pnl_15m, target_pnl_1h, target_mfe_pct, target_mae_pct, labeled_at, "
      "label_error FROM paper_trades WHERE id = ?"
    : "SELECT target_pnl_15m, target_pnl_1h, target_mfe_pct, target_mae_pct, labeled_at, "
      "label_error FROM backtest_trades WHERE id = ?";

  memset (s, 0, sizeof *s);
  g_assert_cmpint (sqlite3_prepare_v2 (db->raw, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  s->null_targets = TRUE;
  for (int k = 0; k < 4; k++)
    {
      s->null_targets = s->null_targets && sqlite3_column_type (stmt, k) == SQLITE_NULL;
      s->v[k] = sqlite3_column_double (stmt, k);
    }
  s->labeled = sqlite3_column_type (stmt, 4) != SQLITE_NULL;
  s->labeled_at = sqlite3_column_int64 (stmt, 4);
  if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
    g_strlcpy (s->error, (const char *) sqlite3_column_text (stmt, 5), sizeof s->error);
  sqlite3_finalize (stmt);
}

/* What the reference says the row must hold after a run. */
static void
assert_stored_matches (Db           *db,
                       HsLabelTable  table,
                       int64_t       id,
                       const Ref    *r)
{
  Stored s;

  db_read (db, table, id, &s);
  if (g_str_equal (r->status, "ok"))
    {
      g_assert_true (s.labeled);
      g_assert_cmpstr (s.error, ==, "");
      for (int k = 0; k < 4; k++)
        g_assert_cmpfloat_with_epsilon (s.v[k], r->v[k], EPS);
      return;
    }
  g_assert_false (s.labeled);
  g_assert_true (s.null_targets);
  g_assert_true (g_str_has_prefix (s.error, g_str_equal (r->status, "no_bars")
                                            ? "no 1m bars from " : "1m bars end at "));
}

/* A dump of every label column of both tables: equal dumps, equal databases as far as the
 * labeler is concerned. */
static char *
db_dump_labels (Db *db)
{
  static const char *const sql[] = {
    "SELECT id, quote(target_pnl_15m), quote(target_pnl_1h), quote(target_mfe_pct), "
    "quote(target_mae_pct), quote(labeled_at), quote(label_error), exit_ts FROM paper_trades "
    "ORDER BY id",
    "SELECT id, quote(target_pnl_15m), quote(target_pnl_1h), quote(target_mfe_pct), "
    "quote(target_mae_pct), quote(labeled_at), quote(label_error), exit_ts FROM backtest_trades "
    "ORDER BY id",
  };
  GString *out = g_string_new (NULL);

  for (size_t q = 0; q < G_N_ELEMENTS (sql); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db->raw, sql[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < 8; c++)
            g_string_append_printf (out, "%s|", (const char *) sqlite3_column_text (stmt, c));
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  return g_string_free (out, FALSE);
}

static HsLabelResult *
run_job (Db                   *db,
         const HsLabelRequest *request)
{
  g_autoptr(GError) error = NULL;
  HsLabelResult *result = hs_label_job_run (db->store, request, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* Trades alternately in paper_trades and backtest_trades (plus open and cancelled paper trades,
 * which are never labeled), labeled by the job in batches of 37 and compared with the
 * reference, row by row. */
static void
check_job_against_reference (const char   *name,
                             const HsBars *b,
                             GArray       *trades)
{
  g_auto(Db) db = { 0 };
  g_autoptr(HsLabelResult) result = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (int64_t));
  HsLabelRequest request;
  GenTrade extra = g_array_index (trades, GenTrade, 0);
  int64_t open_id, cancelled_id;
  int n_ok = 0;
  Stored s;

  db_open (&db, name);
  db_insert_bars (&db, b);
  for (guint i = 0; i < trades->len; i++)
    {
      const GenTrade *t = &g_array_index (trades, GenTrade, i);
      int64_t id = i % 2 == 0 ? db_insert_paper (&db, t, i % 4 == 0 ? "closed" : "stopped", 0)
                              : db_insert_backtest (&db, db.run, db.instrument, t);

      g_array_append_val (ids, id);
    }
  extra.entry += 7 * SEC_US + 1;
  open_id = db_insert_paper (&db, &extra, "open", 0);
  extra.entry += 1;
  cancelled_id = db_insert_paper (&db, &extra, "cancelled", 0);

  hs_label_request_init (&request);
  request.batch_size = 37;
  result = run_job (&db, &request);
  g_assert_cmpint (result->examined, ==, (int64_t) trades->len);
  g_assert_cmpint (result->queued, ==, (int64_t) trades->len);
  g_assert_cmpuint (result->conflicts->len, ==, 0);
  g_assert_cmpuint (result->unchanged->len, ==, 0);
  g_assert_cmpuint (result->labeled->len + result->skipped->len, ==, trades->len);

  for (guint i = 0; i < trades->len; i++)
    {
      Ref r;

      reference_label (b, &g_array_index (trades, GenTrade, i), &r);
      assert_stored_matches (&db, i % 2 == 0 ? HS_LABEL_TABLE_PAPER : HS_LABEL_TABLE_BACKTEST,
                             g_array_index (ids, int64_t, i), &r);
      n_ok += g_str_equal (r.status, "ok");
    }
  g_assert_cmpuint (result->labeled->len, ==, (guint) n_ok);
  db_read (&db, HS_LABEL_TABLE_PAPER, open_id, &s);
  g_assert_true (!s.labeled && s.null_targets && s.error[0] == '\0');
  db_read (&db, HS_LABEL_TABLE_PAPER, cancelled_id, &s);
  g_assert_true (!s.labeled && s.null_targets && s.error[0] == '\0');
  g_test_message ("%s: %d of %u trades labeled", name, n_ok, trades->len);
}

static void
test_job_generated (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  int64_t start = T ("2024-03-04T14:30:00Z");
  g_autoptr(HsBars) b = gen_bars (rand, start, 2000, 0.05, 700, 1000);
  g_autoptr(GArray) trades = gen_trades (rand, start, 2000, 600);

  check_job_against_reference ("generated.db", b, trades);
}

/* LEAN's SPY minute bars of 2013-10-04 … 2013-10-11, extended hours (sparse before 09:30 and
 * after 16:00 New York, nothing overnight), read here with a plain split on commas. */
static HsBars *
read_spy_minutes (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("HS_TEST_DATA"), "lean",
                                            "spy_minute_2013-10.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  HsBars *b;
  size_t n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  b = hs_bars_new (g_strv_length (lines), 60);
  for (size_t i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);

      if (g_strv_length (f) < 6)
        continue;
      b->ts[n] = T (f[0]);
      b->open[n] = g_ascii_strtod (f[1], NULL);
      b->high[n] = g_ascii_strtod (f[2], NULL);
      b->low[n] = g_ascii_strtod (f[3], NULL);
      b->close[n] = g_ascii_strtod (f[4], NULL);
      b->volume[n] = g_ascii_strtod (f[5], NULL);
      b->vwap[n] = NAN;
      n++;
    }
  b->n = n;
  return b;
}

static void
test_job_real_spy (void)
{
  g_autoptr(HsBars) b = read_spy_minutes ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (2013);
  int64_t start = T ("2013-10-04T08:00:00Z");
  /* Until 2013-10-11T24:00Z: entries everywhere, in and out of hours and over the weekend. */
  g_autoptr(GArray) trades = gen_trades (rand, start, (size_t) ((T ("2013-10-12T00:00:00Z")
                                                                  - start) / MIN_US), 800);

  g_assert_cmpuint (b->n, ==, 4839);
  /* Prices near SPY's, so the numbers look like real trades. */
  for (guint i = 0; i < trades->len; i++)
    g_array_index (trades, GenTrade, i).price *= 1.68;
  check_job_against_reference ("spy.db", b, trades);
}

/* ---- Concurrency, idempotency, retries, filters --------------------------------------------- */

/* Three trades on the ramp bars, entries 14:35, 14:36, 14:37, exits at 14:40. */
static void
db_three_trades (Db      *db,
                 int64_t  ids[3])
{
  for (int k = 0; k < 3; k++)
    {
      GenTrade t = { k == 1 ? -1 : 1, T ("2024-03-04T14:35:00Z") + k * MIN_US, 100.5,
                     T ("2024-03-04T14:40:00Z") };

      ids[k] = db_insert_paper (db, &t, "closed", 0);
    }
}

/* The store's guard: read a batch, let a second connection change trade 2 and delete trade 3,
 * write: only trade 1 is labeled; the next run labels trade 2 with its new exit. */
static void
test_store_guard (void)
{
  g_auto(Db) db = { 0 };
  g_autoptr(HsBars) b = ramp_bars (0, 80);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(HsLabelResult) result = NULL;
  HsLabelFilter filter = { FALSE, G_MININT64, 0 };
  HsLabelCursor cursor;
  HsLabelRequest request;
  HsLabel labels[3];
  HsLabelWriteOutcome outcomes[3];
  int64_t ids[3], count = -1;
  GenTrade moved = { -1, T ("2024-03-04T14:36:00Z"), 100.5, T ("2024-03-04T14:45:00Z") };
  Stored s;
  Ref r;

  db_open (&db, "guard.db");
  db_insert_bars (&db, b);
  db_three_trades (&db, ids);

  g_assert_true (hs_store_label_count (db.store, HS_LABEL_TABLE_PAPER, &filter, &count, &error));
  g_assert_cmpint (count, ==, 3);
  hs_label_cursor_init (&cursor, HS_LABEL_TABLE_PAPER, &filter);
  rows = hs_store_label_next (db.store, HS_LABEL_TABLE_PAPER, &filter, &cursor, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const HsLabelRow *row = &g_array_index (rows, HsLabelRow, i);
      HsLabelTrade t = { row->side, row->entry_ts, row->entry_price, row->exit_ts };

      g_assert_cmpint (row->id, ==, ids[i]);
      hs_label_compute (b, bars_end (b), &t, &labels[i]);
      g_assert_cmpint (labels[i].status, ==, HS_LABEL_OK);
    }

  /* The other writer, between the read and the write. */
  raw_exec (db.raw, "UPDATE paper_trades SET exit_ts = exit_ts + 300000000, updated_at = 1 "
                    "WHERE id = 2");
  raw_exec (db.raw, "DELETE FROM paper_trades WHERE id = 3");

  g_assert_true (hs_store_label_write (db.store, (const HsLabelRow *) rows->data, labels, 3,
                                       1234, outcomes, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcomes[0], ==, HS_LABEL_WRITE_WRITTEN);
  g_assert_cmpint (outcomes[1], ==, HS_LABEL_WRITE_CONFLICT);
  g_assert_cmpint (outcomes[2], ==, HS_LABEL_WRITE_CONFLICT);
  db_read (&db, HS_LABEL_TABLE_PAPER, ids[0], &s);
  g_assert_true (s.labeled);
  g_assert_cmpint (s.labeled_at, ==, 1234);
  db_read (&db, HS_LABEL_TABLE_PAPER, ids[1], &s);
  g_assert_true (!s.labeled && s.null_targets);

  /* The cursor is past the batch; trade 2's later exit puts it further on in the queue, where
   * the same run meets it again with its new inputs. */
  g_clear_pointer (&rows, g_array_unref);
  rows = hs_store_label_next (db.store, HS_LABEL_TABLE_PAPER, &filter, &cursor, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (g_array_index (rows, HsLabelRow, 0).id, ==, ids[1]);
  g_assert_cmpint (g_array_index (rows, HsLabelRow, 0).exit_ts, ==, moved.exit);

  /* The next run labels trade 2 as it is now (short, 14:36 to 14:45). */
  hs_label_request_init (&request);
  result = run_job (&db, &request);
  g_assert_cmpuint (result->labeled->len, ==, 1);
  g_assert_cmpint (g_array_index (result->labeled, HsLabelRef, 0).id, ==, ids[1]);
  reference_label (b, &moved, &r);
  g_assert_cmpstr (r.status, ==, "ok");
  assert_stored_matches (&db, HS_LABEL_TABLE_PAPER, ids[1], &r);
}

typedef struct
{
  sqlite3    *raw;
  const char *sql;      /* run once, before the first batch is written */
  int         calls;
  GCancellable *cancel; /* (nullable) cancelled after the first batch */
} Hook;

static void
hook_before_write (const HsLabelRow *rows,
                   const HsLabel    *labels,
                   size_t            n,
                   gpointer          user_data)
{
  Hook *h = user_data;

  if (h->calls++ == 0 && h->sql != NULL)
    raw_exec (h->raw, h->sql);
  if (h->cancel != NULL)
    g_cancellable_cancel (h->cancel);
}

/* The job with another writer between its read and its write: a trade whose entry price
 * changes stays behind the queue's cursor and is left for the next run; one whose exit moves
 * later comes back in the same run and is labeled with its new exit. */
static void
test_job_concurrent_writer (void)
{
  g_auto(Db) db = { 0 };
  g_autoptr(HsBars) b = ramp_bars (0, 80);
  g_autoptr(HsLabelResult) first = NULL, second = NULL, third = NULL;
  HsLabelRequest request;
  Hook hook = { 0 };
  int64_t ids[3];
  GenTrade repriced = { 1, T ("2024-03-04T14:35:00Z"), 101, T ("2024-03-04T14:40:00Z") };
  GenTrade moved = { -1, T ("2024-03-04T14:36:00Z"), 100.5, T ("2024-03-04T15:00:00Z") };
  Ref r;

  db_open (&db, "concurrent.db");
  db_insert_bars (&db, b);
  db_three_trades (&db, ids);

  hs_label_request_init (&request);
  request.before_write = hook_before_write;
  request.before_write_data = &hook;
  hook.raw = db.raw;
  hook.sql = "UPDATE paper_trades SET entry_price = 101 WHERE id = 1;"
             "UPDATE paper_trades SET exit_ts = exit_ts + 1200000000 WHERE id = 2;";
  first = run_job (&db, &request);
  g_assert_cmpuint (first->labeled->len, ==, 2);       /* trade 3, then trade 2 again */
  g_assert_cmpuint (first->conflicts->len, ==, 1);
  g_assert_cmpint (g_array_index (first->conflicts, HsLabelRef, 0).id, ==, ids[0]);
  g_assert_cmpint (hook.calls, ==, 2);
  reference_label (b, &moved, &r);
  assert_stored_matches (&db, HS_LABEL_TABLE_PAPER, ids[1], &r);

  /* Another writer adds a trade while the next run goes on: it is labeled in that run or the
   * one after, never with a stale row. */
  hook.calls = 0;
  hook.sql = "INSERT INTO paper_trades (instrument_id, side, quantity, entry_ts, entry_price, "
             "exit_ts, exit_price, status, created_at, updated_at) SELECT instrument_id, "
             "'long', 1, entry_ts + 600000000, 100, exit_ts + 600000000, 100, 'closed', 0, 0 "
             "FROM paper_trades WHERE id = 3";
  second = run_job (&db, &request);
  g_assert_cmpuint (second->conflicts->len, ==, 0);
  reference_label (b, &repriced, &r);
  assert_stored_matches (&db, HS_LABEL_TABLE_PAPER, ids[0], &r);

  request.before_write = NULL;
  third = run_job (&db, &request);
  g_assert_cmpuint (second->labeled->len + third->labeled->len, ==, 2);
  {
    GenTrade added = { 1, T ("2024-03-04T14:47:00Z"), 100, T ("2024-03-04T14:50:00Z") };

    reference_label (b, &added, &r);
    assert_stored_matches (&db, HS_LABEL_TABLE_PAPER, ids[2] + 1, &r);
  }
}

/* A second run changes nothing; --all recomputes every label to the same values and writes
 * nothing either (not even labeled_at); trades without enough bars are retried each time and
 * keep the same reason. */
static void
test_job_idempotent (void)
{
  g_auto(Db) db = { 0 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  int64_t start = T ("2024-03-04T14:30:00Z");
  g_autoptr(HsBars) b = gen_bars (rand, start, 1500, 0.05, 500, 700);
  g_autoptr(GArray) trades = gen_trades (rand, start, 1500, 300);
  g_autoptr(HsLabelResult) first = NULL, second = NULL, all = NULL;
  g_autofree char *dump1 = NULL, *dump2 = NULL, *dump3 = NULL;
  HsLabelRequest request;

  db_open (&db, "idempotent.db");
  db_insert_bars (&db, b);
  for (guint i = 0; i < trades->len; i++)
    {
      const GenTrade *t = &g_array_index (trades, GenTrade, i);

      if (i % 3 == 0)
        db_insert_backtest (&db, db.run, db.instrument, t);
      else
        db_insert_paper (&db, t, "closed", 0);
    }

  hs_label_request_init (&request);
  request.batch_size = 50;
  first = run_job (&db, &request);
  g_assert_cmpuint (first->labeled->len, >, 200);
  g_assert_cmpuint (first->skipped->len, >, 10);
  dump1 = db_dump_labels (&db);

  second = run_job (&db, &request);
  g_assert_cmpuint (second->labeled->len, ==, 0);
  g_assert_cmpuint (second->unchanged->len, ==, 0);
  g_assert_cmpuint (second->skipped->len, ==, first->skipped->len);
  g_assert_cmpint (second->examined, ==, (int64_t) first->skipped->len);
  for (guint i = 0; i < first->skipped->len; i++)
    {
      const HsLabelSkip *x = &g_array_index (first->skipped, HsLabelSkip, i);
      const HsLabelSkip *y = &g_array_index (second->skipped, HsLabelSkip, i);

      g_assert_cmpint (x->id, ==, y->id);
      g_assert_cmpstr (x->reason, ==, y->reason);
    }
  dump2 = db_dump_labels (&db);
  g_assert_cmpstr (dump1, ==, dump2);

  request.all = TRUE;
  all = run_job (&db, &request);
  g_assert_cmpuint (all->labeled->len, ==, 0);
  g_assert_cmpuint (all->unchanged->len, ==, first->labeled->len);
  g_assert_cmpuint (all->skipped->len, ==, first->skipped->len);
  dump3 = db_dump_labels (&db);
  g_assert_cmpstr (dump1, ==, dump3);
}

/* A trade whose bars are not there yet keeps its reason in label_error and is labeled by a
 * later run once they are; a labeled trade keeps its labels under --all when its bars go. */
static void
test_job_retry_when_bars_arrive (void)
{
  g_auto(Db) db = { 0 };
  g_autoptr(HsBars) early = ramp_bars (0, 41);
  g_autoptr(HsBars) late = ramp_bars (41, 39);
  g_autoptr(HsBars) all_bars = ramp_bars (0, 80);
  g_autoptr(HsLabelResult) first = NULL, second = NULL, third = NULL;
  GenTrade t = { 1, T ("2024-03-04T14:35:00Z"), 100.5, T ("2024-03-04T14:40:00Z") };
  HsLabelRequest request;
  int64_t id;
  Stored s, kept;
  Ref r;

  db_open (&db, "retry.db");
  db_insert_bars (&db, early);
  id = db_insert_paper (&db, &t, "closed", 0);

  hs_label_request_init (&request);
  first = run_job (&db, &request);
  g_assert_cmpuint (first->skipped->len, ==, 1);
  g_assert_cmpint (g_array_index (first->skipped, HsLabelSkip, 0).status, ==,
                   HS_LABEL_DATA_ENDS);
  db_read (&db, HS_LABEL_TABLE_PAPER, id, &s);
  g_assert_false (s.labeled);
  g_assert_cmpstr (s.error, ==, "1m bars end at 2024-03-04T15:11:00Z, before "
                                "2024-03-04T15:35:00Z (entry + 1 h)");

  db_insert_bars (&db, late);
  second = run_job (&db, &request);
  g_assert_cmpuint (second->labeled->len, ==, 1);
  reference_label (all_bars, &t, &r);
  assert_stored_matches (&db, HS_LABEL_TABLE_PAPER, id, &r);
  db_read (&db, HS_LABEL_TABLE_PAPER, id, &kept);

  /* The bars are pruned; --all cannot recompute, and keeps what it had. */
  raw_exec (db.raw, "DELETE FROM candles");
  request.all = TRUE;
  third = run_job (&db, &request);
  g_assert_cmpuint (third->skipped->len, ==, 1);
  db_read (&db, HS_LABEL_TABLE_PAPER, id, &s);
  g_assert_true (s.labeled);
  g_assert_cmpstr (s.error, ==, "");
  g_assert_cmpint (s.labeled_at, ==, kept.labeled_at);
  for (int k = 0; k < 4; k++)
    g_assert_cmpfloat (s.v[k], ==, kept.v[k]);
}

/* --since, --backtest RUN and a backtest trade without instrument. */
static void
test_job_filters (void)
{
  g_auto(Db) db = { 0 };
  g_autoptr(HsBars) b = ramp_bars (0, 80);
  g_autoptr(HsLabelResult) since = NULL, run = NULL, rest = NULL;
  g_autoptr(GError) error = NULL;
  HsLabelRequest request;
  GenTrade t1 = { 1, T ("2024-03-04T14:31:00Z"), 100, T ("2024-03-04T14:40:00Z") };
  GenTrade t2 = { 1, T ("2024-03-04T14:33:00Z"), 100, T ("2024-03-04T14:40:00Z") };
  int64_t early_id, late_id, other_run, bt_run, bt_other, bt_none, paper_run;
  Stored s;

  db_open (&db, "filters.db");
  db_insert_bars (&db, b);
  early_id = db_insert_paper (&db, &t1, "closed", 0);
  late_id = db_insert_paper (&db, &t2, "closed", 0);
  raw_exec (db.raw, "INSERT INTO backtest_runs (strategy_name, symbol, interval, start_ts, "
                    "end_ts, initial_cash, created_at) VALUES ('u', 'X', '1m', 0, 1, 1000, 0)");
  other_run = sqlite3_last_insert_rowid (db.raw);
  bt_run = db_insert_backtest (&db, db.run, db.instrument, &t1);
  bt_none = db_insert_backtest (&db, db.run, 0, &t2);
  bt_other = db_insert_backtest (&db, other_run, db.instrument, &t1);
  paper_run = db_insert_paper (&db, &t1, "closed", db.run);

  hs_label_request_init (&request);
  request.since = T ("2024-03-04T14:32:00Z");
  since = run_job (&db, &request);
  /* Only what entered at or after 14:32: the paper trade and the backtest trade of t2. */
  g_assert_cmpuint (since->labeled->len, ==, 1);
  g_assert_cmpint (g_array_index (since->labeled, HsLabelRef, 0).id, ==, late_id);
  g_assert_cmpuint (since->skipped->len, ==, 1);
  g_assert_cmpint (g_array_index (since->skipped, HsLabelSkip, 0).id, ==, bt_none);
  g_assert_cmpint (g_array_index (since->skipped, HsLabelSkip, 0).status, ==,
                   HS_LABEL_NO_INSTRUMENT);
  db_read (&db, HS_LABEL_TABLE_BACKTEST, bt_none, &s);
  g_assert_cmpstr (s.error, ==, "the trade has no instrument");
  db_read (&db, HS_LABEL_TABLE_PAPER, early_id, &s);
  g_assert_false (s.labeled);

  hs_label_request_init (&request);
  request.run_id = db.run;
  run = run_job (&db, &request);
  /* The run's paper trade and its backtest trade with an instrument. */
  g_assert_cmpuint (run->labeled->len, ==, 2);
  g_assert_cmpint (g_array_index (run->labeled, HsLabelRef, 0).table, ==, HS_LABEL_TABLE_PAPER);
  g_assert_cmpint (g_array_index (run->labeled, HsLabelRef, 0).id, ==, paper_run);
  g_assert_cmpint (g_array_index (run->labeled, HsLabelRef, 1).table, ==,
                   HS_LABEL_TABLE_BACKTEST);
  g_assert_cmpint (g_array_index (run->labeled, HsLabelRef, 1).id, ==, bt_run);
  db_read (&db, HS_LABEL_TABLE_BACKTEST, bt_other, &s);
  g_assert_false (s.labeled);
  db_read (&db, HS_LABEL_TABLE_PAPER, early_id, &s);
  g_assert_false (s.labeled);

  hs_label_request_init (&request);
  rest = run_job (&db, &request);
  g_assert_cmpuint (rest->labeled->len, ==, 2);   /* early_id, bt_other */

  request.run_id = 999;
  g_assert_null (hs_label_job_run (db.store, &request, NULL, NULL, NULL, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
}

/* Cancelled after the first batch: that batch is written, the rest waits. */
static void
test_job_cancel (void)
{
  g_auto(Db) db = { 0 };
  g_autoptr(HsBars) b = ramp_bars (0, 80);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLabelResult) rest = NULL;
  HsLabelRequest request;
  Hook hook = { 0 };
  int64_t ids[3];

  db_open (&db, "cancel.db");
  db_insert_bars (&db, b);
  db_three_trades (&db, ids);
  hs_label_request_init (&request);
  request.batch_size = 2;
  request.before_write = hook_before_write;
  request.before_write_data = &hook;
  hook.cancel = cancel;
  g_assert_null (hs_label_job_run (db.store, &request, NULL, NULL, cancel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (hook.calls, ==, 1);

  request.before_write = NULL;
  rest = run_job (&db, &request);
  g_assert_cmpuint (rest->labeled->len, ==, 1);
  g_assert_cmpint (g_array_index (rest->labeled, HsLabelRef, 0).id, ==, ids[2]);
}

typedef struct
{
  GMainLoop     *loop;
  HsLabelResult *result;
  GError        *error;
  int            progress_calls;
  double         last_fraction;
  gboolean       progress_on_main;
} AsyncState;

static void
async_progress_cb (double      fraction,
                   const char *message,
                   gpointer    user_data)
{
  AsyncState *st = user_data;

  st->progress_calls++;
  g_assert_cmpfloat (fraction, >=, st->last_fraction);
  st->last_fraction = fraction;
  st->progress_on_main = st->progress_on_main && g_main_context_is_owner (NULL);
  g_assert_nonnull (message);
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  AsyncState *st = user_data;

  st->result = hs_label_job_run_finish (res, &st->error);
  g_main_loop_quit (st->loop);
}

/* The GTask wrapper: progress arrives on the caller's main context, ending at 1, before the
 * result; a cancelled job reports G_IO_ERROR_CANCELLED. */
static void
test_job_async (void)
{
  g_auto(Db) db = { 0 };
  g_autoptr(HsBars) b = ramp_bars (0, 80);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  HsLabelRequest request;
  AsyncState st = { loop, NULL, NULL, 0, 0, TRUE };
  int64_t ids[3];

  db_open (&db, "async.db");
  db_insert_bars (&db, b);
  db_three_trades (&db, ids);
  hs_label_request_init (&request);
  hs_label_job_run_async (db.path, &request, async_progress_cb, &st, NULL, async_done_cb, &st);
  g_main_loop_run (loop);
  g_assert_no_error (st.error);
  g_assert_nonnull (st.result);
  g_assert_cmpuint (st.result->labeled->len, ==, 3);
  g_assert_cmpint (st.progress_calls, >=, 2);
  g_assert_cmpfloat (st.last_fraction, ==, 1);
  g_assert_true (st.progress_on_main);
  g_clear_pointer (&st.result, hs_label_result_free);

  g_cancellable_cancel (cancel);
  hs_label_job_run_async (db.path, &request, NULL, NULL, cancel, async_done_cb, &st);
  g_main_loop_run (loop);
  g_assert_null (st.result);
  g_assert_error (st.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&st.error);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-label-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/hs/core/label/entry-at-open", test_hand_entry_at_open);
  g_test_add_func ("/hs/core/label/entry-inside-minute", test_hand_entry_inside_minute);
  g_test_add_func ("/hs/core/label/reasons", test_hand_reasons);
  g_test_add_func ("/hs/core/label/differential", test_differential_core);
  g_test_add_func ("/hs/store/label/guard", test_store_guard);
  g_test_add_func ("/hs/jobs/label/generated", test_job_generated);
  g_test_add_func ("/hs/jobs/label/real-spy", test_job_real_spy);
  g_test_add_func ("/hs/jobs/label/concurrent-writer", test_job_concurrent_writer);
  g_test_add_func ("/hs/jobs/label/idempotent", test_job_idempotent);
  g_test_add_func ("/hs/jobs/label/retry", test_job_retry_when_bars_arrive);
  g_test_add_func ("/hs/jobs/label/filters", test_job_filters);
  g_test_add_func ("/hs/jobs/label/cancel", test_job_cancel);
  g_test_add_func ("/hs/jobs/label/async", test_job_async);
  status = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);

        g_remove (path);
      }
    g_rmdir (tmpdir);
  }
  g_free (tmpdir);
  return status;
}
