/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Paper trades through the real store on a real SQLite file: P&L of long and short trades
 * with fees, the default entry price, the stop/target watch (gap through a level, a bar that
 * touches both, bars before the entry), the JSON Lines import (all or nothing, compared through
 * a full dump; each refusal's FILE:LINE: field message; idempotent re-import; a later line
 * adding the exit) and the AI reasoning log's validation and canonical form. Every expected
 * number is a hand calculation written next to its case.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-import.h"
#include "hs-paper-json.h"
#include "hs-paper.h"
#include "hs-store-market.h"
#include "hs-store-paper.h"
#include "hs-store.h"
#include "hs-time.h"

typedef struct
{
  char    *dir;
  char    *db_path;
  HsStore *store;
  int64_t  aapl;
  int64_t  msft;
} Fixture;

static int64_t
ts (const char *iso)
{
  g_autoptr(GError) error = NULL;
  int64_t us = 0;

  g_assert_true (hs_time_parse (iso, NULL, &us, &error));
  g_assert_no_error (error);
  return us;
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *content)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  return path;
}

static void
add_bar (Fixture    *f,
         int64_t     instrument,
         const char *interval,
         const char *when,
         double      o,
         double      h,
         double      l,
         double      c)
{
  g_autoptr(GError) error = NULL;
  HsBar bar = { .ts = ts (when), .open = o, .high = h, .low = l, .close = c, .volume = 1,
                .vwap = NAN, .trade_count = -1 };

  g_assert_true (hs_store_insert_bar (f->store, instrument, interval, &bar, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("hs-paper-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "test.db", NULL);
  f->store = hs_store_open (f->db_path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (hs_store_ensure_instrument (f->store, "AAPL", NULL, "stock", &f->aapl, &error));
  g_assert_true (hs_store_ensure_instrument (f->store, "MSFT", NULL, "stock", &f->msft, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  hs_store_close (f->store);
  d = g_dir_open (f->dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
}

static HsPaperOpenRequest
request (const char *symbol,
         HsPaperSide side,
         double      qty,
         double      price,
         const char *at)
{
  HsPaperOpenRequest req = {
    .symbol = (char *) symbol, .side = side, .quantity = qty, .price = price,
    .at = at != NULL ? ts (at) : HS_PAPER_NO_TS, .stop_loss = NAN, .take_profit = NAN,
  };

  return req;
}

/* ------------------------------------------------------------------------------------------ */

static void
test_pnl_by_hand (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsPaperTrade) lng = NULL, shrt = NULL, closed = NULL, reread = NULL;
  HsPaperOpenRequest req = request ("AAPL", HS_PAPER_LONG, 10, 100, "2024-03-04T14:35:00Z");

  req.fees = 1;
  lng = hs_paper_open (f->store, &req, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lng->status, ==, "open");
  g_assert_true (isnan (lng->pnl));
  /* Long 10 @ 100, out at 104, fees 1 at entry + 1.5 at exit:
   * pnl = (104 - 100) × 10 - 2.5 = 37.5; pnl_pct = 37.5 / (100 × 10) × 100 = 3.75. */
  closed = hs_paper_close (f->store, lng->id, 104, ts ("2024-03-04T15:00:00Z"), 1.5, NULL, NULL,
                           &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (closed->pnl, 37.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (closed->pnl_pct, 3.75, 1e-9);
  g_assert_cmpfloat (closed->fees, ==, 2.5);
  g_assert_cmpstr (closed->exit_reason, ==, "manual");
  g_assert_cmpstr (closed->status, ==, "closed");
  reread = hs_store_paper_load (f->store, lng->id, &error);
  g_assert_cmpfloat_with_epsilon (reread->pnl, 37.5, 1e-9);
  g_assert_cmpint (reread->exit_ts, ==, ts ("2024-03-04T15:00:00Z"));

  /* Short 4 @ 50, out at 52.5, fees 0.5: pnl = (50 - 52.5) × 4 - 0.5 = -10.5;
   * pnl_pct = -10.5 / 200 × 100 = -5.25. */
  req = request ("MSFT", HS_PAPER_SHORT, 4, 50, "2024-03-04T14:35:00Z");
  shrt = hs_paper_open (f->store, &req, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&closed, hs_paper_trade_free);
  closed = hs_paper_close (f->store, shrt->id, 52.5, ts ("2024-03-04T14:36:00Z"), 0.5, "signal",
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (closed->pnl, -10.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (closed->pnl_pct, -5.25, 1e-9);
  g_assert_cmpstr (closed->exit_reason, ==, "signal");
}

static void
test_close_refusals (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsPaperTrade) t = NULL, c = NULL;
  HsPaperOpenRequest req = request ("AAPL", HS_PAPER_LONG, 1, 100, "2024-03-04T14:35:00Z");
  g_autofree char *before = NULL, *after = NULL;

  t = hs_paper_open (f->store, &req, NULL, &error);
  g_assert_no_error (error);
  before = hs_store_dump (f->store, &error);

  c = hs_paper_close (f->store, t->id, 101, ts ("2024-03-04T14:34:59Z"), 0, NULL, NULL, &error);
  g_assert_null (c);
  g_assert_error (error, HS_PAPER_ERROR, HS_PAPER_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "exit_time: 2024-03-04T14:34:59Z is before the entry "
                   "time 2024-03-04T14:35:00Z of trade 1");
  g_clear_error (&error);
  c = hs_paper_close (f->store, 99, 101, HS_PAPER_NO_TS, 0, NULL, NULL, &error);
  g_assert_error (error, HS_PAPER_ERROR, HS_PAPER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  c = hs_paper_close (f->store, t->id, 101, HS_PAPER_NO_TS, 0, "because", NULL, &error);
  g_assert_error (error, HS_PAPER_ERROR, HS_PAPER_ERROR_INVALID);
  g_clear_error (&error);
  after = hs_store_dump (f->store, &error);
  g_assert_cmpstr (before, ==, after);

  c = hs_paper_close (f->store, t->id, 101, ts ("2024-03-04T14:40:00Z"), 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&c, hs_paper_trade_free);
  c = hs_paper_close (f->store, t->id, 102, ts ("2024-03-04T14:41:00Z"), 0, NULL, NULL, &error);
  g_assert_null (c);
  g_assert_error (error, HS_PAPER_ERROR, HS_PAPER_ERROR_STATE);
  g_assert_cmpstr (error->message, ==, "paper trade 1 is closed already (manual at "
                   "2024-03-04T14:40:00Z)");
}

static void
test_open_refusals (Fixture      *f,
                    gconstpointer data)
{
  static const struct
  {
    const char *symbol;
    HsPaperSide side;
    double      stop, target;
    int64_t     signal;
    int         code;
    const char *message;
  } cases[] = {
    { "ZZZ", HS_PAPER_LONG, NAN, NAN, 0, HS_PAPER_ERROR_NOT_FOUND,
      "unknown symbol “ZZZ” (no such instrument: import its data first)" },
    { "AAPL", HS_PAPER_LONG, 101, NAN, 0, HS_PAPER_ERROR_INVALID,
      "stop_loss: 101 must be below the entry price 100 for a long" },
    { "AAPL", HS_PAPER_LONG, 100, NAN, 0, HS_PAPER_ERROR_INVALID,
      "stop_loss: 100 must be below the entry price 100 for a long" },
    { "AAPL", HS_PAPER_LONG, 95, 99, 0, HS_PAPER_ERROR_INVALID,
      "take_profit: 99 must be above the entry price 100 for a long" },
    { "AAPL", HS_PAPER_SHORT, 99, NAN, 0, HS_PAPER_ERROR_INVALID,
      "stop_loss: 99 must be above the entry price 100 for a short" },
    { "AAPL", HS_PAPER_SHORT, 105, 101, 0, HS_PAPER_ERROR_INVALID,
      "take_profit: 101 must be below the entry price 100 for a short" },
    { "AAPL", HS_PAPER_LONG, NAN, NAN, 7, HS_PAPER_ERROR_NOT_FOUND,
      "signal_id: no signal 7 is stored" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *before = hs_store_dump (f->store, &error);

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HsPaperTrade) t = NULL;
      g_autofree char *after = NULL;
      HsPaperOpenRequest req = request (cases[i].symbol, cases[i].side, 1, 100,
                                        "2024-03-04T14:35:00Z");

      req.stop_loss = cases[i].stop;
      req.take_profit = cases[i].target;
      req.signal_id = cases[i].signal;
      t = hs_paper_open (f->store, &req, NULL, &error);
      g_assert_null (t);
      g_assert_error (error, HS_PAPER_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
      after = hs_store_dump (f->store, &error);
      g_assert_cmpstr (before, ==, after);
    }

  /* The same symbol, side and entry time twice is one trade. */
  {
    g_autoptr(HsPaperTrade) t = NULL, again = NULL;
    HsPaperOpenRequest req = request ("AAPL", HS_PAPER_LONG, 1, 100, "2024-03-04T14:35:00Z");

    t = hs_paper_open (f->store, &req, NULL, &error);
    g_assert_no_error (error);
    again = hs_paper_open (f->store, &req, NULL, &error);
    g_assert_null (again);
    g_assert_error (error, HS_PAPER_ERROR, HS_PAPER_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "a long paper trade of AAPL at 2024-03-04T14:35:00Z "
                     "exists already (trade 1)");
  }
}

/* The default price: the latest of the last trade print and the close of the last bar of each
 * interval that had ended by then. */
static void
test_default_price (Fixture      *f,
                    gconstpointer data)
{
  static const struct
  {
    const char *at;
    double      price;
    const char *known;      /* when the price was known */
    const char *interval;   /* "" for a trade print */
  } cases[] = {
    /* 1m bars 10:00 (close 10) and 10:01 (close 11) ended 10:01 and 10:02; the trade printed
     * at 10:01:30. At 10:02 the 10:01 bar's end (10:02) is the latest: 11. */
    { "2024-03-04T10:02:00Z", 11, "2024-03-04T10:02:00Z", "1m" },
    /* At 10:01:45 the 10:01 bar is still open; the print at 10:01:30 (11.5) is later than the
     * 10:00 bar's end (10:01). */
    { "2024-03-04T10:01:45Z", 11.5, "2024-03-04T10:01:30Z", "" },
    /* At 10:05 the last 1m bar (10:02, close 12) ended at 10:03. */
    { "2024-03-04T10:05:00Z", 12, "2024-03-04T10:03:00Z", "1m" },
    /* Before any 1m bar: the daily bar of 03-03 (close 99) ended at 03-04 00:00; the daily
     * bar of 03-04 (close 123) is still open all that day. */
    { "2024-03-04T09:00:00Z", 99, "2024-03-04T00:00:00Z", "1d" },
    { "2024-03-05T00:00:00Z", 123, "2024-03-05T00:00:00Z", "1d" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsPaperTrade) t = NULL;
  HsTrade print = { .ts = ts ("2024-03-04T10:01:30Z"), .price = 11.5, .size = 1 };
  HsPricePoint source = { 0 };
  HsPaperOpenRequest req;

  add_bar (f, f->aapl, "1m", "2024-03-04T10:00:00Z", 10, 10, 10, 10);
  add_bar (f, f->aapl, "1m", "2024-03-04T10:01:00Z", 11, 11, 11, 11);
  add_bar (f, f->aapl, "1m", "2024-03-04T10:02:00Z", 12, 12, 12, 12);
  add_bar (f, f->aapl, "1d", "2024-03-03T00:00:00Z", 99, 99, 99, 99);
  add_bar (f, f->aapl, "1d", "2024-03-04T00:00:00Z", 123, 123, 123, 123);
  g_assert_true (hs_store_insert_trade (f->store, f->aapl, &print, NULL, &error));
  g_assert_no_error (error);

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean found = FALSE;
      HsPricePoint p = { 0 };

      g_assert_true (hs_store_paper_last_price (f->store, f->aapl, ts (cases[i].at), &found, &p,
                                                &error));
      g_assert_no_error (error);
      g_assert_true (found);
      g_assert_cmpfloat (p.price, ==, cases[i].price);
      g_assert_cmpint (p.ts, ==, ts (cases[i].known));
      g_assert_cmpstr (p.interval, ==, cases[i].interval);
    }

  /* Opening without a price takes it and says where from. */
  req = request ("AAPL", HS_PAPER_LONG, 2, NAN, "2024-03-04T10:02:00Z");
  t = hs_paper_open (f->store, &req, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (t->entry_price, ==, 11);
  g_assert_cmpstr (source.interval, ==, "1m");
  g_clear_pointer (&t, hs_paper_trade_free);

  /* Nothing stored by then: refused, naming the symbol. */
  req = request ("AAPL", HS_PAPER_LONG, 2, NAN, "2024-03-02T00:00:00Z");
  t = hs_paper_open (f->store, &req, NULL, &error);
  g_assert_null (t);
  g_assert_error (error, HS_PAPER_ERROR, HS_PAPER_ERROR_NO_PRICE);
  g_assert_cmpstr (error->message, ==, "no price of AAPL is stored at or before "
                   "2024-03-02T00:00:00Z (no bar ended and no trade printed by then): give the "
                   "price");
}

/* One bar against one bracket; each expected price is read off the bar by hand. */
static void
test_bracket_rule (void)
{
  static const struct
  {
    HsPaperSide side;
    double      stop, target, o, h, l;
    HsPaperHit  hit;
    double      price;
  } cases[] = {
    /* long, stop 95, target 110 */
    { HS_PAPER_LONG, 95, 110, 100, 105, 96, HS_PAPER_HIT_NONE, NAN },
    { HS_PAPER_LONG, 95, 110, 100, 105, 95, HS_PAPER_HIT_STOP, 95 },       /* low touches */
    { HS_PAPER_LONG, 95, 110, 94, 96, 93, HS_PAPER_HIT_STOP, 94 },         /* gap down */
    { HS_PAPER_LONG, 95, 110, 100, 111, 99, HS_PAPER_HIT_TARGET, 110 },    /* high touches */
    { HS_PAPER_LONG, 95, 110, 112, 113, 111, HS_PAPER_HIT_TARGET, 112 },   /* gap up */
    { HS_PAPER_LONG, 95, 110, 100, 111, 94, HS_PAPER_HIT_STOP, 95 },       /* both: stop */
    { HS_PAPER_LONG, 95, NAN, 100, 500, 96, HS_PAPER_HIT_NONE, NAN },      /* no target */
    { HS_PAPER_LONG, NAN, 110, 100, 105, 1, HS_PAPER_HIT_NONE, NAN },      /* no stop */
    /* short, stop 105, target 90 */
    { HS_PAPER_SHORT, 105, 90, 100, 104, 91, HS_PAPER_HIT_NONE, NAN },
    { HS_PAPER_SHORT, 105, 90, 100, 105, 95, HS_PAPER_HIT_STOP, 105 },
    { HS_PAPER_SHORT, 105, 90, 106, 107, 104, HS_PAPER_HIT_STOP, 106 },    /* gap up */
    { HS_PAPER_SHORT, 105, 90, 100, 101, 90, HS_PAPER_HIT_TARGET, 90 },
    { HS_PAPER_SHORT, 105, 90, 89, 89.5, 88, HS_PAPER_HIT_TARGET, 89 },    /* gap down */
    { HS_PAPER_SHORT, 105, 90, 100, 106, 89, HS_PAPER_HIT_STOP, 105 },     /* both: stop */
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double price = NAN;
      HsPaperHit hit = hs_paper_bracket_hit (cases[i].side, cases[i].stop, cases[i].target,
                                             cases[i].o, cases[i].h, cases[i].l, &price);

      g_test_message ("case %zu", i);
      g_assert_cmpint (hit, ==, cases[i].hit);
      if (hit != HS_PAPER_HIT_NONE)
        g_assert_cmpfloat (price, ==, cases[i].price);
    }
}

static HsPaperTrade *
open_bracketed (Fixture    *f,
                const char *symbol,
                HsPaperSide side,
                double      entry,
                double      stop,
                double      target,
                const char *at)
{
  g_autoptr(GError) error = NULL;
  HsPaperOpenRequest req = request (symbol, side, 10, entry, at);
  HsPaperTrade *t;

  req.stop_loss = stop;
  req.take_profit = target;
  t = hs_paper_open (f->store, &req, NULL, &error);
  g_assert_no_error (error);
  return t;
}

/* The watch through a bars import: the first bar after the entry that touches a level closes
 * the trade; bars before the entry do not count; the finest interval is read. */
static void
test_watch_after_bars_import (Fixture      *f,
                              gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsPaperTrade) a = NULL, b = NULL, c = NULL, d = NULL;
  g_autoptr(HsPaperTrade) ra = NULL, rb = NULL, rc = NULL, rd = NULL;
  g_autofree char *path = NULL;
  HsImportRequest ireq = { .kind = HS_IMPORT_BARS, .symbol = "AAPL", .interval = "1m" };
  HsImportResult res = { 0 };

  /* Opened with no bars stored: nothing to check yet. */
  a = open_bracketed (f, "AAPL", HS_PAPER_LONG, 100, 95, 110, "2024-03-04T14:31:00Z");
  b = open_bracketed (f, "AAPL", HS_PAPER_SHORT, 100, 105, 90, "2024-03-04T14:31:00Z");
  c = open_bracketed (f, "AAPL", HS_PAPER_LONG, 100, 97, NAN, "2024-03-04T14:32:30Z");
  d = open_bracketed (f, "AAPL", HS_PAPER_LONG, 100, 50, 200, "2024-03-04T14:30:00Z");
  g_assert_cmpstr (a->status, ==, "open");

  /* 14:30 starts before a, b and c entered: its low 80 / high 120 must not close them.
   * 14:31: a (long 95/110) and b (short 105/90) see open 100, high 104, low 96: nothing.
   * 14:32: open 99, high 111, low 94: a touches both → stop at 95; b's high 111 ≥ 105 → stop
   *        at 105 (its target 90 is not reached).
   * 14:33: gaps to 96 and falls to 93: c (entered 14:32:30, so 14:32 is skipped) gaps through
   *        its stop 97 → exits at the open 96.
   * d (long 50/200 from 14:30) is never touched. */
  path = write_file (f, "bars.csv",
                     "timestamp,open,high,low,close,volume\n"
                     "2024-03-04T14:30:00Z,100,120,80,100,1\n"
                     "2024-03-04T14:31:00Z,100,104,96,100,1\n"
                     "2024-03-04T14:32:00Z,99,111,94,100,1\n"
                     "2024-03-04T14:33:00Z,96,96.5,93,94,1\n");
  ireq.path = path;
  g_assert_true (hs_import_run (f->store, &ireq, NULL, NULL, NULL, &res, &error));
  g_assert_no_error (error);
  g_assert_cmpint (res.paper_closed, ==, 3);
  hs_import_result_clear (&res);

  ra = hs_store_paper_load (f->store, a->id, &error);
  rb = hs_store_paper_load (f->store, b->id, &error);
  rc = hs_store_paper_load (f->store, c->id, &error);
  rd = hs_store_paper_load (f->store, d->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ra->status, ==, "closed");
  g_assert_cmpstr (ra->exit_reason, ==, "stop_loss");
  g_assert_cmpfloat (ra->exit_price, ==, 95);
  g_assert_cmpint (ra->exit_ts, ==, ts ("2024-03-04T14:32:00Z"));
  /* (95 - 100) × 10 = -50; -50 / 1000 × 100 = -5 % */
  g_assert_cmpfloat_with_epsilon (ra->pnl, -50, 1e-9);
  g_assert_cmpfloat_with_epsilon (ra->pnl_pct, -5, 1e-9);
  g_assert_cmpstr (rb->exit_reason, ==, "stop_loss");
  g_assert_cmpfloat (rb->exit_price, ==, 105);
  /* short: (100 - 105) × 10 = -50 */
  g_assert_cmpfloat_with_epsilon (rb->pnl, -50, 1e-9);
  g_assert_cmpstr (rc->exit_reason, ==, "stop_loss");
  g_assert_cmpfloat (rc->exit_price, ==, 96);
  g_assert_cmpint (rc->exit_ts, ==, ts ("2024-03-04T14:33:00Z"));
  g_assert_cmpstr (rd->status, ==, "open");

  /* A target: short from 14:33 with target 94.5 is reached by the 14:34 low 94. */
  {
    g_autoptr(HsPaperTrade) e = open_bracketed (f, "AAPL", HS_PAPER_SHORT, 95, 99, 94.5,
                                                "2024-03-04T14:34:00Z");
    g_autoptr(GPtrArray) closed = NULL;
    const HsPaperTrade *done;

    add_bar (f, f->aapl, "1m", "2024-03-04T14:34:00Z", 95, 95.5, 94, 94.2);
    /* A coarser interval must not be read when 1m bars exist: this 5m bar would stop it. */
    add_bar (f, f->aapl, "5m", "2024-03-04T14:35:00Z", 95, 150, 94.9, 95);
    g_assert_true (hs_paper_check_exits (f->store, 0, &closed, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (closed->len, ==, 1);
    done = closed->pdata[0];
    g_assert_cmpint (done->id, ==, e->id);
    g_assert_cmpstr (done->exit_reason, ==, "take_profit");
    g_assert_cmpfloat (done->exit_price, ==, 94.5);
    /* (95 - 94.5) × 10 = 5 */
    g_assert_cmpfloat_with_epsilon (done->pnl, 5, 1e-9);
  }
}

/* A past entry whose bars are stored already is checked as it is opened. */
static void
test_watch_on_open (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(HsPaperTrade) t = NULL;

  add_bar (f, f->msft, "1m", "2024-03-04T14:31:00Z", 400, 401, 399, 400);
  add_bar (f, f->msft, "1m", "2024-03-04T14:32:00Z", 400, 406, 400, 405);
  t = open_bracketed (f, "MSFT", HS_PAPER_LONG, 400, 390, 405, "2024-03-04T14:31:00Z");
  g_assert_cmpstr (t->status, ==, "closed");
  g_assert_cmpstr (t->exit_reason, ==, "take_profit");
  g_assert_cmpfloat (t->exit_price, ==, 405);
  /* (405 - 400) × 10 = 50 */
  g_assert_cmpfloat_with_epsilon (t->pnl, 50, 1e-9);
}

static void
test_tags_and_notes (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsPaperTrade) t = NULL, r = NULL;
  HsPaperOpenRequest req = request ("AAPL", HS_PAPER_LONG, 1, 100, "2024-03-04T14:35:00Z");
  char *tags[] = { "breakout", "breakout", "gap \"up\"", NULL };
  gboolean changed = FALSE;

  req.tags = tags;
  t = hs_paper_open (f->store, &req, NULL, &error);
  g_assert_no_error (error);
  /* Tags are a set: the repeated one is stored once. */
  g_assert_cmpuint (g_strv_length (t->tags), ==, 2);
  g_assert_cmpstr (t->tags[1], ==, "gap \"up\"");
  g_assert_true (hs_paper_tag (f->store, t->id, "vwap", TRUE, &changed, &error));
  g_assert_true (changed);
  g_assert_true (hs_paper_tag (f->store, t->id, "vwap", TRUE, &changed, &error));
  g_assert_false (changed);
  g_assert_true (hs_paper_tag (f->store, t->id, "breakout", FALSE, &changed, &error));
  g_assert_true (changed);
  g_assert_true (hs_paper_tag (f->store, t->id, "nope", FALSE, &changed, &error));
  g_assert_false (changed);
  g_assert_true (hs_paper_note (f->store, t->id, "faded the open", &error));
  g_assert_no_error (error);
  r = hs_store_paper_load (f->store, t->id, &error);
  g_assert_cmpuint (g_strv_length (r->tags), ==, 2);
  g_assert_cmpstr (r->tags[0], ==, "gap \"up\"");
  g_assert_cmpstr (r->tags[1], ==, "vwap");
  g_assert_cmpstr (r->notes, ==, "faded the open");

  g_assert_false (hs_paper_tag (f->store, t->id, "", TRUE, NULL, &error));
  g_assert_error (error, HS_PAPER_ERROR, HS_PAPER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (hs_paper_tag (f->store, t->id, "a\tb", TRUE, NULL, &error));
  g_assert_error (error, HS_PAPER_ERROR, HS_PAPER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (hs_paper_tag (f->store, 42, "x", TRUE, NULL, &error));
  g_assert_error (error, HS_PAPER_ERROR, HS_PAPER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (hs_paper_note (f->store, t->id, "", &error));
  g_clear_pointer (&r, hs_paper_trade_free);
  r = hs_store_paper_load (f->store, t->id, &error);
  g_assert_null (r->notes);
}

/* ------------------------------------------------------------------------------------------ */
/* Import                                                                                      */

static const char good_lines[] =
  "{\"symbol\": \"AAPL\", \"side\": \"long\", \"quantity\": 10, "
  "\"entry_time\": \"2024-03-04T14:35:00Z\", \"entry_price\": 180.5, \"stop_loss\": 178, "
  "\"take_profit\": 183, \"exit_time\": \"2024-03-04T16:05:00+01:00\", \"exit_price\": \"181\", "
  "\"exit_reason\": \"signal\", \"fees\": 1, \"tags\": [\"breakout\"], \"notes\": \"n\", "
  "\"signals_snapshot\": {\"5m\": {\"rsi\": 61.2, \"macd_hist\": 0.1}, \"missing\": []}, "
  "\"market_regime\": {\"spy\": {\"vix\": 18.2}}, \"order_book_state\": {\"bid\": 4.5}, "
  "\"ai_reasoning_log\": {\"model\": \"m\", \"prompt_version\": \"v4\", "
  "\"confidence_score\": \"8.5/10\", \"bull_case\": \"b\", \"bear_case\": \"c\", "
  "\"decision_logic\": \"d\", \"extra\": {\"k\": [1, 2.5]}}}\n"
  "\n"
  "{\"symbol\": \"MSFT\", \"side\": \"short\", \"quantity\": \"5\", "
  "\"entry_time\": 1709562900, \"entry_price\": 400}\n";

static gboolean
import (Fixture             *f,
        const char          *name,
        const char          *content,
        HsPaperImportResult *r,
        GError             **error)
{
  g_autofree char *path = write_file (f, name, content);

  return hs_paper_import (f->store, path, r, error);
}

static void
test_import_and_reimport (Fixture      *f,
                          gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(HsPaperTrade) msft = NULL;
  g_autofree char *dump1 = NULL, *dump2 = NULL, *dump3 = NULL;
  HsPaperImportResult r = { 0 };
  HsPaperTrade *a, *m;
  const char *exit_line =
    "{\"symbol\":\"MSFT\",\"side\":\"short\",\"quantity\":5,\"entry_time\":\"2024-03-04T14:35:00Z\","
    "\"entry_price\":400,\"exit_time\":\"2024-03-04T15:00:00Z\",\"exit_price\":390,\"fees\":2,"
    "\"tags\":[\"x\"]}\n";

  g_assert_true (import (f, "trades.jsonl", good_lines, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.lines, ==, 2);
  g_assert_cmpint (r.inserted, ==, 2);
  g_assert_cmpint (r.updated + r.unchanged + r.closed, ==, 0);
  all = hs_store_paper_list (f->store, HS_PAPER_LIST_ALL, 0, &error);
  g_assert_cmpuint (all->len, ==, 2);
  /* Both entered at 14:35Z (MSFT as 1709562900 s: date -u -d @1709562900), so by id. */
  a = all->pdata[0];
  m = all->pdata[1];
  g_assert_cmpstr (a->symbol, ==, "AAPL");
  /* 16:05+01:00 = 15:05Z; exit price "181" read as 181. pnl = (181 - 180.5) × 10 - 1 = 4;
   * pnl_pct = 4 / 1805 × 100. */
  g_assert_cmpint (a->exit_ts, ==, ts ("2024-03-04T15:05:00Z"));
  g_assert_cmpfloat (a->exit_price, ==, 181);
  g_assert_cmpstr (a->status, ==, "closed");
  g_assert_cmpstr (a->exit_reason, ==, "signal");
  g_assert_cmpfloat_with_epsilon (a->pnl, 4, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->pnl_pct, 4.0 / 1805.0 * 100.0, 1e-9);
  g_assert_cmpstr (a->tags[0], ==, "breakout");
  g_assert_cmpstr (a->notes, ==, "n");
  /* Context objects kept as given (compact); the reasoning log canonical: the score of
   * "8.5/10" a number, the unknown member kept after the documented ones. */
  g_assert_cmpstr (a->signals_snapshot, ==,
                   "{\"5m\":{\"rsi\":61.2,\"macd_hist\":0.1},\"missing\":[]}");
  g_assert_cmpstr (a->market_regime, ==, "{\"spy\":{\"vix\":18.2}}");
  g_assert_cmpstr (a->order_book_state, ==, "{\"bid\":4.5}");
  g_assert_cmpstr (a->ai_reasoning_log, ==,
                   "{\"model\":\"m\",\"prompt_version\":\"v4\",\"confidence_score\":8.5,"
                   "\"bull_case\":\"b\",\"bear_case\":\"c\",\"decision_logic\":\"d\","
                   "\"extra\":{\"k\":[1,2.5]}}");
  g_assert_cmpint (m->entry_ts, ==, ts ("2024-03-04T14:35:00Z"));
  g_assert_cmpfloat (m->quantity, ==, 5);
  g_assert_cmpstr (m->status, ==, "open");
  g_assert_cmpfloat (m->fees, ==, 0);
  /* No context in the line: the collector filled it from the database at entry (no MSFT bars
   * here, so every value is in its missing list, docs/context.md). */
  g_assert_nonnull (m->signals_snapshot);
  g_assert_nonnull (strstr (m->signals_snapshot, "\"missing\":[\"1m.rsi\","));
  g_assert_nonnull (m->market_regime);
  g_assert_nonnull (m->order_book_state);

  /* Again: nothing changes, not even updated_at. */
  dump1 = hs_store_dump (f->store, &error);
  g_assert_true (import (f, "trades.jsonl", good_lines, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.inserted, ==, 0);
  g_assert_cmpint (r.updated, ==, 0);
  g_assert_cmpint (r.unchanged, ==, 2);
  dump2 = hs_store_dump (f->store, &error);
  g_assert_cmpstr (dump1, ==, dump2);

  /* A later line about the MSFT trade adds its exit: short (400 - 390) × 5 - 2 = 48;
   * 48 / 2000 × 100 = 2.4 %. */
  g_assert_true (import (f, "exit.jsonl", exit_line, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.updated, ==, 1);
  msft = hs_store_paper_load (f->store, m->id, &error);
  g_assert_cmpstr (msft->status, ==, "closed");
  g_assert_null (msft->exit_reason);
  g_assert_cmpfloat_with_epsilon (msft->pnl, 48, 1e-9);
  g_assert_cmpfloat_with_epsilon (msft->pnl_pct, 2.4, 1e-9);
  g_assert_cmpstr (msft->tags[0], ==, "x");
  /* And once more: unchanged. The first file again keeps the exit (it has none for MSFT). */
  dump2 = (g_free (dump2), hs_store_dump (f->store, &error));
  g_assert_true (import (f, "exit.jsonl", exit_line, &r, &error));
  g_assert_cmpint (r.unchanged, ==, 1);
  g_assert_true (import (f, "trades.jsonl", good_lines, &r, &error));
  g_assert_cmpint (r.unchanged, ==, 2);
  dump3 = hs_store_dump (f->store, &error);
  g_assert_cmpstr (dump2, ==, dump3);
}

/* An open trade imported with a stop is watched at once against the stored bars. */
static void
test_import_watch (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) closed = NULL;
  HsPaperImportResult r = { 0 };

  add_bar (f, f->aapl, "1m", "2024-03-04T14:36:00Z", 180, 180, 177, 177.5);
  g_assert_true (import (f, "open.jsonl",
                         "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":1,"
                         "\"entry_time\":\"2024-03-04T14:35:00Z\",\"entry_price\":180.5,"
                         "\"stop_loss\":178}\n", &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.inserted, ==, 1);
  g_assert_cmpint (r.closed, ==, 1);
  closed = hs_store_paper_list (f->store, HS_PAPER_LIST_CLOSED, f->aapl, &error);
  g_assert_cmpuint (closed->len, ==, 1);
  /* The 14:36 low 177 reaches the stop 178: (178 - 180.5) × 1 = -2.5 */
  g_assert_cmpfloat_with_epsilon (((HsPaperTrade *) closed->pdata[0])->pnl, -2.5, 1e-9);
  /* The line again: its trade has no exit, so the watch's exit stays. */
  g_assert_true (import (f, "open.jsonl",
                         "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":1,"
                         "\"entry_time\":\"2024-03-04T14:35:00Z\",\"entry_price\":180.5,"
                         "\"stop_loss\":178}\n", &r, &error));
  g_assert_cmpint (r.unchanged, ==, 1);
}

#define BASE "\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":10," \
             "\"entry_time\":\"2024-03-04T14:35:00Z\",\"entry_price\":180.5"
#define AI_OK "\"model\":\"m\",\"prompt_version\":\"v\",\"bull_case\":\"b\"," \
              "\"bear_case\":\"c\",\"decision_logic\":\"d\""

/* Each bad line comes second in its file, after a good one, and the database stays as it was
 * before the import. @message is the whole reason after "FILE:2: ", or its start when it ends
 * in "…". */
static const struct
{
  const char *line;
  const char *message;
} bad_lines[] = {
  { "not json", "not valid JSON: …" },
  { "[1, 2]", "the line must be a JSON object, not an array" },
  { "{\"side\":\"long\"}", "symbol: is missing" },
  { "{\"symbol\":\"ZZZ\",\"side\":\"long\",\"quantity\":1,\"entry_time\":0,"
    "\"entry_price\":1}",
    "symbol: unknown symbol “ZZZ” (no such instrument: import its data first)" },
  { "{\"symbol\":\"AAPL\",\"side\":\"buy\"}", "side: must be long or short, not “buy”" },
  { "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":-1}",
    "quantity: must be a number greater than 0" },
  { "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":\"ten\"}",
    "quantity: “ten” is not a number" },
  { "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":true}",
    "quantity: must be a number, not true/false" },
  { "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":1}", "entry_time: is missing" },
  { "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":1,\"entry_time\":\"yesterday\"}",
    "entry_time: …" },
  { "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":1,\"entry_time\":[]}",
    "entry_time: must be ISO-8601 text or Unix seconds, not an array" },
  { "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":1,\"entry_time\":\"2024-03-04\"}",
    "entry_price: is missing" },
  { "{" BASE ",\"exit_time\":\"2024-03-04T14:00:00Z\",\"exit_price\":181}",
    "exit_time: 2024-03-04T14:00:00Z is before the entry_time 2024-03-04T14:35:00Z" },
  { "{" BASE ",\"exit_time\":\"2024-03-04T15:00:00Z\"}",
    "exit_price: is missing (an exit needs both exit_time and exit_price)" },
  { "{" BASE ",\"exit_price\":181}",
    "exit_time: is missing (an exit needs both exit_time and exit_price)" },
  { "{" BASE ",\"exit_reason\":\"signal\"}",
    "exit_reason: given without an exit (exit_time and exit_price)" },
  { "{" BASE ",\"exit_time\":\"2024-03-04T15:00:00Z\",\"exit_price\":181,"
    "\"exit_reason\":\"because\"}", "exit_reason: “because” is not one of take_profit, …" },
  { "{" BASE ",\"stop_loss\":181}", "stop_loss: 181 must be below the entry price 180.5 for a "
    "long" },
  { "{" BASE ",\"take_profit\":\"180\"}", "take_profit: 180 must be above the entry price 180.5 "
    "for a long" },
  { "{" BASE ",\"fees\":-1}", "fees: must be a number greater than or equal to 0" },
  { "{" BASE ",\"stop_los\":170}", "stop_los: unknown field (known: symbol, exchange, …" },
  { "{" BASE ",\"tags\":\"x\"}", "tags: must be an array of text, not text" },
  { "{" BASE ",\"tags\":[\"ok\", 1]}", "tags[1]: must be text, not a number" },
  { "{" BASE ",\"tags\":[\" pad\"]}", "tags[0]: “ pad” starts or ends with a space" },
  { "{" BASE ",\"notes\":{}}", "notes: must be text, not an object" },
  { "{" BASE ",\"signal_id\":99}", "signal_id: no signal 99 is stored" },
  { "{" BASE ",\"signal_id\":1.5}", "signal_id: must be a whole number ≥ 1" },
  { "{" BASE ",\"signals_snapshot\":[1]}", "signals_snapshot: must be a JSON object, not an "
    "array" },
  { "{" BASE ",\"market_regime\":\"calm\"}", "market_regime: must be a JSON object, not text" },
  { "{" BASE ",\"order_book_state\":5}", "order_book_state: must be a JSON object, not a "
    "number" },
  { "{" BASE ",\"ai_reasoning_log\":{" AI_OK ",\"confidence_score\":11}}",
    "ai_reasoning_log.confidence_score: must be a number from 0 to 10 (got 11)" },
  { "{" BASE ",\"ai_reasoning_log\":{\"confidence_score\":5}}",
    "ai_reasoning_log.model: is missing (required text)" },
  { "{" BASE ",\"ai_reasoning_log\":true}",
    "ai_reasoning_log: must be a JSON object, not true/false" },
  { "{" BASE ",\"notes\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
    "nested deeper than 64 levels" },
  { "{" BASE ",\"market_regime\":{\"volume\":12345678901234567890}}",
    "the number 12345678901234567890 has more digits than a 64-bit integer holds exactly …" },
  { "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":1,\"entry_time\":1e300}",
    "entry_time: 1e+300 is not a time in Unix seconds (years 1 to 9999)" },
};

static void
test_import_refusals (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = hs_store_dump (f->store, &error);

  for (size_t i = 0; i < G_N_ELEMENTS (bad_lines); i++)
    {
      g_autofree char *content = g_strdup_printf ("{" BASE "}\n%s\n", bad_lines[i].line);
      g_autofree char *path = write_file (f, "bad.jsonl", content);
      g_autofree char *prefix = g_strdup_printf ("%s:2: ", path);
      g_autofree char *after = NULL;
      const char *want = bad_lines[i].message;
      HsPaperImportResult r = { 0 };

      g_test_message ("case %zu: %s", i, bad_lines[i].line);
      g_assert_false (hs_paper_import (f->store, path, &r, &error));
      g_assert_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      if (g_str_has_suffix (want, "…"))
        {
          g_autofree char *start = g_strndup (want, strlen (want) - strlen ("…"));

          g_assert_true (g_str_has_prefix (error->message + strlen (prefix), start));
        }
      else
        g_assert_cmpstr (error->message + strlen (prefix), ==, want);
      g_assert_cmpint (r.inserted, ==, 0);
      g_clear_error (&error);
      after = hs_store_dump (f->store, &error);
      g_assert_cmpstr (before, ==, after);
    }
}

/* A stored trade's entry cannot change through a re-import; the refusal leaves everything. */
static void
test_import_entry_change (Fixture      *f,
                          gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL, *path = NULL, *want = NULL;
  HsPaperImportResult r = { 0 };

  g_assert_true (import (f, "a.jsonl", "{" BASE "}\n", &r, &error));
  before = hs_store_dump (f->store, &error);
  path = write_file (f, "b.jsonl", "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":10,"
                                   "\"entry_time\":\"2024-03-04T14:35:00Z\",\"entry_price\":181}\n");
  g_assert_false (hs_paper_import (f->store, path, &r, &error));
  want = g_strdup_printf ("%s:1: entry_price: 181 differs from 180.5 of the stored trade 1 "
                          "with the same symbol, side and entry_time (an import may add an exit "
                          "or update a trade, not change its entry)", path);
  g_assert_cmpstr (error->message, ==, want);
  g_clear_error (&error);
  after = hs_store_dump (f->store, &error);
  g_assert_cmpstr (before, ==, after);

  /* An empty file is refused too. */
  g_assert_false (import (f, "empty.jsonl", "\n\n", &r, &error));
  g_assert_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT);
}

/* ------------------------------------------------------------------------------------------ */
/* The AI reasoning log                                                                        */

static void
test_reasoning (void)
{
  static const struct
  {
    const char *json;
    const char *canonical;   /* NULL when refused */
    const char *message;     /* the error, when refused */
  } cases[] = {
    /* Documented members first in their order, unknown ones after in theirs; the score and
     * latency as numbers; tokens as given. */
    { "{\"zeta\":1,\"decision_logic\":\"d\",\"latency_ms\":\"812.5\",\"bear_case\":\"c\","
      "\"tokens\":{\"prompt\":800,\"completion\":40},\"bull_case\":\"b\",\"alpha\":[true,null],"
      "\"confidence_score\":7,\"raw_output\":\"r\\n\\\"q\\\"\",\"prompt_version\":\"v4\","
      "\"prompt\":\"p\",\"model\":\"gemini-2.0-flash\"}",
      "{\"model\":\"gemini-2.0-flash\",\"prompt_version\":\"v4\",\"confidence_score\":7,"
      "\"bull_case\":\"b\",\"bear_case\":\"c\",\"decision_logic\":\"d\",\"prompt\":\"p\","
      "\"raw_output\":\"r\\n\\\"q\\\"\",\"tokens\":{\"prompt\":800,\"completion\":40},"
      "\"latency_ms\":812.5,\"zeta\":1,\"alpha\":[true,null]}", NULL },
    { "{" AI_OK ",\"confidence_score\":\"8.5/10\"}",
      "{\"model\":\"m\",\"prompt_version\":\"v\",\"confidence_score\":8.5,\"bull_case\":\"b\","
      "\"bear_case\":\"c\",\"decision_logic\":\"d\"}", NULL },
    { "{" AI_OK ",\"confidence_score\":\"0\",\"tokens\":0}",
      "{\"model\":\"m\",\"prompt_version\":\"v\",\"confidence_score\":0,\"bull_case\":\"b\","
      "\"bear_case\":\"c\",\"decision_logic\":\"d\",\"tokens\":0}", NULL },
    { "{" AI_OK ",\"confidence_score\":10.0,\"prompt\":null}",
      "{\"model\":\"m\",\"prompt_version\":\"v\",\"confidence_score\":10,\"bull_case\":\"b\","
      "\"bear_case\":\"c\",\"decision_logic\":\"d\"}", NULL },
    { "{" AI_OK ",\"confidence_score\":10.01}", NULL,
      "ai_reasoning_log.confidence_score: must be a number from 0 to 10 (got 10.01)" },
    { "{" AI_OK ",\"confidence_score\":-0.5}", NULL,
      "ai_reasoning_log.confidence_score: must be a number from 0 to 10 (got -0.5)" },
    { "{" AI_OK ",\"confidence_score\":\"11/10\"}", NULL,
      "ai_reasoning_log.confidence_score: must be a number from 0 to 10 (got 11)" },
    { "{" AI_OK ",\"confidence_score\":\"8/5\"}", NULL,
      "ai_reasoning_log.confidence_score: must be a number from 0 to 10 (got “8/5”)" },
    { "{" AI_OK ",\"confidence_score\":\"high\"}", NULL,
      "ai_reasoning_log.confidence_score: must be a number from 0 to 10 (got “high”)" },
    { "{" AI_OK "}", NULL,
      "ai_reasoning_log.confidence_score: must be a number from 0 to 10 (it is missing)" },
    { "{" AI_OK ",\"confidence_score\":[8]}", NULL,
      "ai_reasoning_log.confidence_score: must be a number from 0 to 10 (got an array)" },
    { "{\"model\":\"\",\"prompt_version\":\"v\",\"confidence_score\":1}", NULL,
      "ai_reasoning_log.model: must not be empty" },
    { "{\"model\":\"m\",\"confidence_score\":1}", NULL,
      "ai_reasoning_log.prompt_version: is missing (required text)" },
    { "{\"model\":\"m\",\"prompt_version\":\"v\",\"confidence_score\":1,\"bull_case\":5}", NULL,
      "ai_reasoning_log.bull_case: must be text, not a number" },
    { "{\"model\":\"m\",\"prompt_version\":\"v\",\"confidence_score\":1,\"bull_case\":\"b\","
      "\"bear_case\":\"c\"}", NULL, "ai_reasoning_log.decision_logic: is missing (required text)" },
    { "{" AI_OK ",\"confidence_score\":1,\"raw_output\":{}}", NULL,
      "ai_reasoning_log.raw_output: must be text, not an object" },
    { "{" AI_OK ",\"confidence_score\":1,\"tokens\":-1}", NULL,
      "ai_reasoning_log.tokens: must be a whole number ≥ 0" },
    { "{" AI_OK ",\"confidence_score\":1,\"tokens\":{\"prompt\":1.5}}", NULL,
      "ai_reasoning_log.tokens.prompt: must be a whole number ≥ 0" },
    { "{" AI_OK ",\"confidence_score\":1,\"tokens\":\"many\"}", NULL,
      "ai_reasoning_log.tokens: must be a whole number ≥ 0 or an object of counts, not text" },
    { "{" AI_OK ",\"confidence_score\":1,\"latency_ms\":-5}", NULL,
      "ai_reasoning_log.latency_ms: must be a number ≥ 0" },
    { "{" AI_OK ",\"confidence_score\":1,\"latency_ms\":\"slow\"}", NULL,
      "ai_reasoning_log.latency_ms: “slow” is not a number" },
    { "[]", NULL, "ai_reasoning_log: must be a JSON object, not an array" },
    { "{\"model\": ", NULL, "ai_reasoning_log: not valid JSON: …" },
    { "\xff", NULL, "ai_reasoning_log: not UTF-8 text" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = hs_paper_json_check_reasoning (cases[i].json, -1, &error);

      g_test_message ("case %zu", i);
      if (cases[i].canonical != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (out, ==, cases[i].canonical);
          /* Canonical text is a fixed point. */
          {
            g_autofree char *again = hs_paper_json_check_reasoning (out, -1, &error);

            g_assert_cmpstr (again, ==, out);
          }
          continue;
        }
      g_assert_null (out);
      g_assert_error (error, HS_JSON_ERROR, error->code);
      if (g_str_has_suffix (cases[i].message, "…"))
        {
          g_autofree char *start = g_strndup (cases[i].message,
                                              strlen (cases[i].message) - strlen ("…"));

          g_assert_true (g_str_has_prefix (error->message, start));
        }
      else
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* Random byte mutations of good lines: parsing either succeeds or fails with an error, and
 * never crashes (the ASan build runs this too). Seeded, so a failure repeats. */
static void
test_mutations (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240304);
  g_auto(GStrv) seeds = g_strsplit (good_lines, "\n", -1);
  static const char pool[] = "{}[]\",:0123456789.eE+-/\\ntrufalsenul \x01\xff\xc3\xa9";
  int ok = 0, refused = 0;

  for (int i = 0; i < 3000; i++)
    {
      const char *seed = seeds[g_rand_int_range (rand, 0, 2) * 2];
      g_autofree char *line = g_strdup (seed);
      size_t len = strlen (line);
      int edits = g_rand_int_range (rand, 1, 6);
      g_autoptr(HsPaperTrade) t = hs_paper_trade_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *reasoning = NULL;

      for (int e = 0; e < edits && len > 0; e++)
        {
          size_t at = (size_t) g_rand_int_range (rand, 0, (gint32) len);

          if (g_rand_boolean (rand))
            line[at] = pool[g_rand_int_range (rand, 0, sizeof pool - 1)];
          else
            {
              line[at] = '\0';   /* truncate */
              len = at;
            }
        }
      len = strlen (line);
      if (hs_paper_json_parse_line (line, len, t, &error))
        {
          g_assert_no_error (error);
          ok++;
        }
      else
        {
          g_assert_nonnull (error);
          refused++;
        }
      g_clear_error (&error);
      reasoning = hs_paper_json_check_reasoning (line, (gssize) len, &error);
      g_assert_true ((reasoning == NULL) == (error != NULL));
    }
  g_test_message ("%d parsed, %d refused", ok, refused);
  g_assert_cmpint (refused, >, 0);
}

/* A signal that exists is linked. */
static void
test_signal_link (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsPaperTrade) t = NULL;
  HsPaperOpenRequest req = request ("AAPL", HS_PAPER_LONG, 1, 100, "2024-03-04T14:35:00Z");
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO signals (id, instrument_id, ts, strategy_name, "
                                     "signal_type, created_at) VALUES (7, 1, 0, 's', 'BUY', 0)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  req.signal_id = 7;
  t = hs_paper_open (f->store, &req, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (t->signal_id, ==, 7);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/hs/jobs/paper/pnl-by-hand", test_pnl_by_hand);
  ADD ("/hs/jobs/paper/close-refusals", test_close_refusals);
  ADD ("/hs/jobs/paper/open-refusals", test_open_refusals);
  ADD ("/hs/jobs/paper/default-price", test_default_price);
  g_test_add_func ("/hs/core/paper/bracket-rule", test_bracket_rule);
  ADD ("/hs/jobs/paper/watch-after-bars-import", test_watch_after_bars_import);
  ADD ("/hs/jobs/paper/watch-on-open", test_watch_on_open);
  ADD ("/hs/jobs/paper/tags-and-notes", test_tags_and_notes);
  ADD ("/hs/jobs/paper/import-and-reimport", test_import_and_reimport);
  ADD ("/hs/jobs/paper/import-watch", test_import_watch);
  ADD ("/hs/jobs/paper/import-refusals", test_import_refusals);
  ADD ("/hs/jobs/paper/import-entry-change", test_import_entry_change);
  ADD ("/hs/jobs/paper/signal-link", test_signal_link);
  g_test_add_func ("/hs/fetch/paper/reasoning", test_reasoning);
  g_test_add_func ("/hs/fetch/paper/mutations", test_mutations);
#undef ADD
  return g_test_run ();
}
