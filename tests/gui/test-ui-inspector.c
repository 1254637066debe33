/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trade inspector (src/ui/hs-trade-inspector.c) on the generated time-capsule database
 * (tests/capsule-data.c): the 500 paper trades imported with `paper import`'s importer (which
 * collects their context), a reasoning log written onto three trades of four, one trade's
 * context removed, and the labeler run. For chosen trades — a labeled JPM trade (order book),
 * an option trade (greeks, no minute bars so no labels), a trade without reasoning, the trade
 * without context, an open trade — every value the inspector shows is read back from its
 * widgets and compared with the row read by SQL in this test (json_extract, json_each), at the
 * precision the inspector shows it with (the contract written in the tables below). Then tags
 * and a note are edited through the widgets and read back from the database, and navigation
 * emits "navigate". Screenshots: <build>/screenshots/inspector-*.png, light and dark.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "capsule-data.h"
#include "hs-chart-replay.h"
#include "hs-chart-widget.h"
#include "hs-gui-test.h"
#include "hs-inspect-job.h"
#include "hs-label-job.h"
#include "hs-paper.h"
#include "hs-store-paper.h"
#include "hs-test-ui.h"
#include "hs-time.h"
#include "hs-trade-inspector.h"

static char *db_path;
static sqlite3 *db;
static gint64 no_context_id;
static gint64 open_id;

/* How the inspector shows a value: EXACT = the stored number in full (prices), TEXT = the
 * string as stored, otherwise that many decimals. */
#define EXACT -1
#define TEXT -2

typedef struct
{
  const char *key;
  const char *path;
  int         decimals;
} Check;

static const char *const timeframes[] = { "1m", "5m", "15m", "1h", "daily" };
static const struct
{
  const char *name;
  int         decimals;
} indicators[] = {
  { "rsi", 1 }, { "macd_hist", 4 }, { "ema_9_21_cross", TEXT }, { "squeeze", TEXT },
  { "trend", TEXT }, { "dist_from_200sma", 2 },
};
static const Check regime_checks[] = {
  { "regime.spy.price", "$.spy.price", EXACT },
  { "regime.spy.pct_change", "$.spy.pct_change", 2 },
  { "regime.spy.vix", "$.spy.vix", EXACT },
  { "regime.sector.ticker", "$.sector.ticker", TEXT },
  { "regime.sector.pct_change", "$.sector.pct_change", 2 },
  { "regime.sector.correlation_30d", "$.sector.correlation_30d", 2 },
  { "regime.market_internals.put_call_ratio", "$.market_internals.put_call_ratio", EXACT },
  { "regime.market_internals.advancers", "$.market_internals.advancers", 0 },
  { "regime.market_internals.decliners", "$.market_internals.decliners", 0 },
  { "regime.market_internals.ad_line", "$.market_internals.ad_line", TEXT },
};
static const Check book_checks[] = {
  { "book.bid", "$.bid", EXACT }, { "book.ask", "$.ask", EXACT },
  { "book.spread_pct", "$.spread_pct", 3 }, { "book.volume", "$.volume", 0 },
  { "book.open_interest", "$.open_interest", 0 }, { "book.iv", "$.iv", 4 },
  { "book.greeks.delta", "$.greeks.delta", 4 }, { "book.greeks.gamma", "$.greeks.gamma", 4 },
  { "book.greeks.theta", "$.greeks.theta", 4 }, { "book.greeks.vega", "$.greeks.vega", 4 },
  { "book.source", "$.source", TEXT }, { "book.ts", "$.ts", TEXT },
};
/* Plain columns of paper_trades. */
static const Check column_checks[] = {
  { "entry_price", "entry_price", EXACT }, { "quantity", "quantity", EXACT },
  { "exit_price", "exit_price", EXACT }, { "pnl", "pnl", 2 }, { "pnl_pct", "pnl_pct", 2 },
  { "fees", "fees", 2 }, { "stop_loss", "stop_loss", EXACT },
  { "take_profit", "take_profit", EXACT }, { "status", "status", TEXT },
  { "target_pnl_15m", "target_pnl_15m", 3 }, { "target_pnl_1h", "target_pnl_1h", 3 },
  { "target_mfe_pct", "target_mfe_pct", 3 }, { "target_mae_pct", "target_mae_pct", 3 },
};
static const Check reasoning_checks[] = {
  { "ai.model", "$.model", TEXT }, { "ai.prompt_version", "$.prompt_version", TEXT },
  { "ai.confidence_score", "$.confidence_score", EXACT },
  { "ai.bull_case", "$.bull_case", TEXT }, { "ai.bear_case", "$.bear_case", TEXT },
  { "ai.decision_logic", "$.decision_logic", TEXT }, { "ai.prompt", "$.prompt", TEXT },
  { "ai.raw_output", "$.raw_output", TEXT },
};

/* ------------------------------------------------------------------------------------------ */
/* The database                                                                                */

static char *
reasoning_for (gint64 id)
{
  static const char *const models[] = { "gemini-2.0-flash", "gpt-4o-mini", "claude-3-haiku" };
  static const char *const versions[] = { "v3_base", "v4_aggressive" };

  return g_strdup_printf (
    "{\"model\":\"%s\",\"prompt_version\":\"%s\",\"confidence_score\":%.1f,"
    "\"bull_case\":\"Trade %" G_GINT64_FORMAT ": gap up above the 200 SMA, volume 2x average.\","
    "\"bear_case\":\"Approaching resistance; VIX rising.\","
    "\"decision_logic\":\"risk_reward_ratio_favorable\","
    "\"prompt\":\"You are a trader.\\nDecide on trade %" G_GINT64_FORMAT ".\","
    "\"raw_output\":\"{\\\"action\\\": \\\"buy\\\"}\","
    "\"tokens\":{\"prompt\":812,\"completion\":240},\"latency_ms\":1830}",
    models[id % 3], versions[id % 2], (double) (id * 37 % 101) / 10.0, id, id);
}

static void
build_database (const char *dir)
{
  g_autoptr(CapsuleData) data = capsule_data_new (5);
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) trades = NULL;
  g_autoptr(HsLabelResult) labels = NULL;
  HsPaperImportResult imported = { 0 };
  HsLabelRequest req;
  gboolean own = FALSE;

  g_assert_true (capsule_data_write (data, dir, &error));
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "inspector.db", NULL);
  store = hs_store_open (db_path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (capsule_data_load (data, store, &error));
  g_assert_no_error (error);
  g_assert_true (hs_paper_import (store, data->trades_jsonl, &imported, &error));
  g_assert_no_error (error);
  g_assert_cmpint (imported.inserted, ==, CAPSULE_N_TRADES);

  /* An open trade (the import closes those whose stop or target the stored bars reached):
   * MSFT two hours into the last session, at the last stored price, without levels. */
  {
    HsPaperOpenRequest open = { 0 };
    g_autoptr(HsPaperTrade) t = NULL;

    open.symbol = (char *) "MSFT";
    open.side = HS_PAPER_LONG;
    open.quantity = 10;
    open.price = NAN;
    open.at = data->open_ts[CAPSULE_N_DAYS - 1] + G_GINT64_CONSTANT (7200) * G_USEC_PER_SEC;
    open.stop_loss = open.take_profit = NAN;
    t = hs_paper_open (store, &open, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (t->status, ==, "open");
    open_id = t->id;
  }
  trades = hs_store_paper_list (store, HS_PAPER_LIST_ALL, 0, &error);
  g_assert_no_error (error);
  g_assert_true (hs_store_paper_write_begin (store, &own, &error));
  for (guint i = 0; i < trades->len; i++)
    {
      HsPaperTrade *t = trades->pdata[i];

      if (t->id % 4 == 0)
        continue;
      g_free (t->ai_reasoning_log);
      t->ai_reasoning_log = reasoning_for (t->id);
      g_assert_true (hs_store_paper_update (store, t, &error));
      g_assert_no_error (error);
    }
  /* One closed stock trade without any context (as a bot that stored none would leave it). */
  {
    guint found = trades->len;
    HsPaperTrade *t;

    for (guint i = trades->len; i-- > 0 && found == trades->len;)
      {
        t = trades->pdata[i];
        if (t->id % 4 != 0 && !g_str_equal (t->status, "open") && strlen (t->symbol) <= 5)
          found = i;
      }
    g_assert_cmpuint (found, <, trades->len);
    t = trades->pdata[found];
    g_free (t->signals_snapshot);
    g_free (t->market_regime);
    g_free (t->order_book_state);
    t->signals_snapshot = t->market_regime = t->order_book_state = NULL;
    g_assert_true (hs_store_paper_update (store, t, &error));
    g_assert_no_error (error);
    no_context_id = t->id;
  }
  g_assert_true (hs_store_paper_write_end (store, own, TRUE, &error));
  g_assert_no_error (error);

  hs_label_request_init (&req);
  labels = hs_label_job_run (store, &req, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (labels->labeled->len, >, 100);
}

static gint64
query_id (const char *sql)
{
  sqlite3_stmt *st = NULL;
  gint64 id;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &st, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  id = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* The value of @expr (SQL over paper_trades, with ?1 = @path when it has one) for trade @id:
 * its type (SQLITE_NULL when absent), and its text or number. */
static int
stored (gint64      id,
        const char *expr,
        const char *path,
        char      **text,
        double     *number)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM paper_trades WHERE id = ?2", expr);
  sqlite3_stmt *st = NULL;
  int type;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &st, NULL), ==, SQLITE_OK);
  if (path != NULL)
    sqlite3_bind_text (st, 1, path, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 2, id);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  type = sqlite3_column_type (st, 0);
  *text = type == SQLITE_NULL ? NULL : g_strdup ((const char *) sqlite3_column_text (st, 0));
  *number = sqlite3_column_double (st, 0);
  sqlite3_finalize (st);
  return type;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the inspector back                                                                  */

static gboolean
not_busy (gpointer data)
{
  return !hs_trade_inspector_get_busy (data);
}

static void
show (HsTradeInspector *insp,
      GtkWidget        *window,
      gint64            id)
{
  hs_trade_inspector_show_trade (insp, id);
  hs_gui_test_spin_until (not_busy, insp);
  g_assert_cmpstr (hs_trade_inspector_get_view (insp), ==, "trade");
  hs_gui_test_wait_frames (window, 2);
}

/* The shown text of @key against the stored value of @expr (a column, or json_extract of one
 * with @path), at the shown precision. */
static void
check (HsTradeInspector *insp,
       gint64            id,
       const char       *key,
       const char       *expr,
       const char       *path,
       int               decimals)
{
  g_autofree char *shown = hs_trade_inspector_dup_text (insp, key);
  g_autofree char *text = NULL;
  double v = 0, parsed;
  char *end = NULL;
  int type = stored (id, expr, path, &text, &v);

  if (shown == NULL)
    g_error ("trade %" G_GINT64_FORMAT ": nothing shown for %s", id, key);
  if (type == SQLITE_NULL)
    {
      /* Absent values are "—", never a made-up number (the reasoning's optional texts are
       * left out of the view). */
      if (g_strcmp0 (shown, "—") != 0)
        g_error ("trade %" G_GINT64_FORMAT ": %s shows “%s”, stored NULL", id, key, shown);
      return;
    }
  if (decimals == TEXT || type == SQLITE_TEXT)
    {
      if (g_strcmp0 (shown, text) != 0)
        g_error ("trade %" G_GINT64_FORMAT ": %s shows “%s”, stored “%s”", id, key, shown, text);
      return;
    }
  parsed = g_ascii_strtod (shown, &end);
  g_assert_true (end != shown);
  if (decimals == EXACT)
    g_assert_cmpfloat (fabs (parsed - v), <=, 1e-9 * MAX (1.0, fabs (v)));
  else
    g_assert_cmpfloat (fabs (parsed - v), <=, 0.5 * pow (10, -decimals) + 1e-9);
}

/* The object's "missing" list as the inspector words it, and every listed value shown "—". */
static void
check_missing (HsTradeInspector *insp,
               gint64            id,
               const char       *column,
               const char       *prefix)
{
  g_autofree char *sql = g_strdup_printf ("SELECT j.value FROM paper_trades p, "
                                          "json_each(p.%s, '$.missing') j "
                                          "WHERE p.id = ? ORDER BY j.key", column);
  g_autofree char *key = g_strdup_printf ("%s.missing", prefix);
  g_autofree char *shown = hs_trade_inspector_dup_text (insp, key);
  g_autoptr(GString) expected = g_string_new (NULL);
  sqlite3_stmt *st = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &st, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (st, 1, id);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      const char *item = (const char *) sqlite3_column_text (st, 0);
      g_autofree char *item_key = g_strdup_printf ("%s.%s", prefix, item);
      g_autofree char *value = hs_trade_inspector_dup_text (insp, item_key);

      g_string_append_printf (expected, "%s%s", expected->len > 0 ? ", " : "", item);
      /* a listed value the inspector has a cell for shows "—" */
      if (value != NULL)
        g_assert_cmpstr (value, ==, "—");
    }
  sqlite3_finalize (st);
  if (expected->len == 0)
    g_assert_cmpstr (shown, ==, "Nothing missing.");
  else
    {
      g_autofree char *want = g_strdup_printf ("Missing: %s", expected->str);

      g_assert_cmpstr (shown, ==, want);
    }
}

static void
check_context (HsTradeInspector *insp,
               gint64            id)
{
  for (size_t r = 0; r < G_N_ELEMENTS (timeframes); r++)
    for (size_t c = 0; c < G_N_ELEMENTS (indicators); c++)
      {
        g_autofree char *key = g_strdup_printf ("signals.%s.%s", timeframes[r],
                                                indicators[c].name);
        g_autofree char *path = g_strdup_printf ("$.\"%s\".%s", timeframes[r],
                                                 indicators[c].name);

        check (insp, id, key, "json_extract(signals_snapshot, ?1)", path, indicators[c].decimals);
      }
  for (size_t i = 0; i < G_N_ELEMENTS (regime_checks); i++)
    check (insp, id, regime_checks[i].key, "json_extract(market_regime, ?1)",
           regime_checks[i].path, regime_checks[i].decimals);
  for (size_t i = 0; i < G_N_ELEMENTS (book_checks); i++)
    check (insp, id, book_checks[i].key, "json_extract(order_book_state, ?1)",
           book_checks[i].path, book_checks[i].decimals);
  check_missing (insp, id, "signals_snapshot", "signals");
  check_missing (insp, id, "market_regime", "regime");
  check_missing (insp, id, "order_book_state", "book");
}

static void
check_outcome (HsTradeInspector *insp,
               gint64            id)
{
  g_autofree char *label_error = NULL, *shown = NULL, *status = NULL, *reason = NULL;
  g_autofree char *exit_shown = hs_trade_inspector_dup_text (insp, "exit_reason");
  double v;

  for (size_t i = 0; i < G_N_ELEMENTS (column_checks); i++)
    check (insp, id, column_checks[i].key, column_checks[i].path, NULL,
           column_checks[i].decimals);
  /* the exit reason, "open" for an open trade */
  stored (id, "status", NULL, &status, &v);
  stored (id, "exit_reason", NULL, &reason, &v);
  g_assert_cmpstr (exit_shown, ==, g_str_equal (status, "open") ? "open"
                                   : reason != NULL ? reason : "—");
  /* why a trade has no labels, as stored */
  stored (id, "label_error", NULL, &label_error, &v);
  shown = hs_trade_inspector_dup_text (insp, "label_error");
  if (label_error != NULL)
    {
      g_autofree char *want = g_strdup_printf ("No labels yet: %s", label_error);

      g_assert_cmpstr (shown, ==, want);
    }
}

/* The replay chart holds the trade: its levels and the minute bars of its window. */
static void
check_replay (HsTradeInspector *insp,
              gint64            id)
{
  HsChartWidget *chart = HS_CHART_WIDGET (hs_gui_test_find_type (GTK_WIDGET (insp),
                                                                 HS_TYPE_CHART_WIDGET));
  const HsReplayChartData *r = hs_chart_widget_get_data (chart);
  g_autofree char *t = NULL;
  double entry, mfe, mae, side, stop, n_bars, entry_ts;
  int mfe_type, mae_type;

  g_assert_true (hs_chart_widget_get_painter (chart) == &hs_replay_chart_painter);
  stored (id, "entry_price", NULL, &t, &entry);
  g_clear_pointer (&t, g_free);
  stored (id, "CASE side WHEN 'long' THEN 1 ELSE -1 END", NULL, &t, &side);
  g_clear_pointer (&t, g_free);
  stored (id, "entry_ts", NULL, &t, &entry_ts);
  g_clear_pointer (&t, g_free);
  mfe_type = stored (id, "target_mfe_pct", NULL, &t, &mfe);
  g_clear_pointer (&t, g_free);
  mae_type = stored (id, "target_mae_pct", NULL, &t, &mae);
  g_clear_pointer (&t, g_free);
  g_assert_cmpfloat (r->entry_price, ==, entry);
  g_assert_cmpint (r->entry_ts, ==, (gint64) entry_ts);
  g_assert_cmpint (r->side, ==, (int) side);
  if (stored (id, "stop_loss", NULL, &t, &stop) == SQLITE_NULL)
    g_assert_true (isnan (r->stop_loss));
  else
    g_assert_cmpfloat (r->stop_loss, ==, stop);
  g_clear_pointer (&t, g_free);
  /* MFE/MAE prices by docs/labels.md: move = s × (P − E) / E × 100, solved for P */
  if (mfe_type == SQLITE_NULL)
    g_assert_true (isnan (r->mfe_price));
  else
    g_assert_cmpfloat_with_epsilon (r->mfe_price, entry * (1 + side * mfe / 100), 1e-9);
  if (mae_type == SQLITE_NULL)
    g_assert_true (isnan (r->mae_price));
  else
    g_assert_cmpfloat_with_epsilon (r->mae_price, entry * (1 - side * mae / 100), 1e-9);
  /* the 1m bars from 30 minutes before the entry's minute to at least 15 minutes after the
   * 1-hour horizon */
  stored (id, "(SELECT count(*) FROM candles c WHERE c.instrument_id = paper_trades.instrument_id"
              " AND c.interval = '1m' AND c.ts >= entry_ts - entry_ts % 60000000 - 1800000000"
              " AND c.ts <= entry_ts + 4500000000)", NULL, &t, &n_bars);
  g_assert_cmpuint (r->candles->n, >=, (guint) n_bars);
  if (r->candles->n > 0)
    {
      g_assert_cmpint (r->candles->ts[0], >=, (gint64) entry_ts - G_GINT64_CONSTANT (1860) * G_USEC_PER_SEC);
      g_assert_cmpint (r->candles->ts[r->candles->n - 1], >=,
                       (gint64) entry_ts + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
    }
}

static void
check_reasoning (HsTradeInspector *insp,
                 gint64            id)
{
  GtkLevelBar *bar = GTK_LEVEL_BAR (hs_gui_test_find_type (GTK_WIDGET (insp), GTK_TYPE_LEVEL_BAR));
  g_autofree char *t = NULL;
  double score;

  g_assert_cmpstr (hs_trade_inspector_get_reasoning_view (insp), ==, "log");
  for (size_t i = 0; i < G_N_ELEMENTS (reasoning_checks); i++)
    check (insp, id, reasoning_checks[i].key, "json_extract(ai_reasoning_log, ?1)",
           reasoning_checks[i].path, reasoning_checks[i].decimals);
  stored (id, "json_extract(ai_reasoning_log, '$.confidence_score')", NULL, &t, &score);
  g_assert_cmpfloat (gtk_level_bar_get_value (bar), ==, score);
  g_assert_cmpfloat (gtk_level_bar_get_max_value (bar), ==, 10);
  /* the members the view has no place for are listed as stored */
  {
    g_autofree char *extra = hs_trade_inspector_dup_text (insp, "ai.extra");

    g_assert_cmpstr (extra, ==, "tokens {\"prompt\":812,\"completion\":240} · latency 1830 ms");
  }
}

static void
check_trade (HsTradeInspector *insp,
             gint64            id)
{
  check_outcome (insp, id);
  check_replay (insp, id);
  check_context (insp, id);
}

/* ------------------------------------------------------------------------------------------ */
/* Cases                                                                                       */

static GtkWidget *
inspector_window_sized (HsTradeInspector **out,
                        int                height)
{
  GtkWidget *insp = hs_trade_inspector_new ();

  hs_trade_inspector_set_database (HS_TRADE_INSPECTOR (insp), db_path);
  *out = HS_TRADE_INSPECTOR (insp);
  return hs_gui_test_window (insp, 1000, height);
}

static GtkWidget *
inspector_window (HsTradeInspector **out)
{
  return inspector_window_sized (out, 900);
}

/* The inspector in a window tall enough for all of it, as a reviewer wants to read it. */
static void
screenshot_whole (gint64      id,
                  const char *name)
{
  HsTradeInspector *insp = NULL;
  GtkWidget *window = inspector_window_sized (&insp, 2300);

  GtkScrolledWindow *scroller;
  GtkAdjustment *adj;
  g_autofree char *top = g_strdup_printf ("%s.png", name);
  g_autofree char *bottom = g_strdup_printf ("%s-end.png", name);

  hs_trade_inspector_show_trade (insp, id);
  hs_gui_test_spin_until (not_busy, insp);
  hs_gui_test_screenshot (window, top);
  /* The screen (and so the window) may be shorter than the inspector: the end too. */
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (
    hs_gui_test_find_label (GTK_WIDGET (insp), "Outcome"), GTK_TYPE_SCROLLED_WINDOW));
  adj = gtk_scrolled_window_get_vadjustment (scroller);
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj)
                                 - gtk_adjustment_get_page_size (adj));
  hs_gui_test_screenshot (window, bottom);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_new_destroy (void)
{
  GtkWidget *insp = g_object_ref_sink (hs_trade_inspector_new ());

  g_assert_cmpstr (hs_trade_inspector_get_view (HS_TRADE_INSPECTOR (insp)), ==, "empty");
  g_assert_cmpint (hs_trade_inspector_get_trade_id (HS_TRADE_INSPECTOR (insp)), ==, 0);
  g_assert_finalize_object (insp);
}

static void
test_labeled_trade (void)
{
  HsTradeInspector *insp = NULL;
  GtkWidget *window = inspector_window (&insp);
  gint64 id = query_id ("SELECT p.id FROM paper_trades p JOIN instruments i "
                        "ON i.id = p.instrument_id WHERE i.symbol = 'JPM' AND p.status != 'open' "
                        "AND p.target_mfe_pct IS NOT NULL AND p.ai_reasoning_log IS NOT NULL "
                        "AND json_extract(p.order_book_state, '$.source') IS NOT NULL "
                        "ORDER BY p.id LIMIT 1");
  AdwStyleManager *manager = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  show (insp, window, id);
  g_assert_cmpint (hs_trade_inspector_get_trade_id (insp), ==, id);
  check_trade (insp, id);
  check_reasoning (insp, id);
  {
    g_autofree char *title = hs_trade_inspector_dup_text (insp, "title");

    g_assert_true (g_str_has_prefix (title, "JPM · "));
  }
  hs_gui_test_screenshot (window, "inspector-light.png");
  screenshot_whole (id, "inspector-full-light");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  hs_gui_test_wait_frames (window, 3);
  hs_gui_test_screenshot (window, "inspector-dark.png");
  screenshot_whole (id, "inspector-full-dark");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_option_trade (void)
{
  HsTradeInspector *insp = NULL;
  GtkWidget *window = inspector_window (&insp);
  gint64 id = query_id ("SELECT p.id FROM paper_trades p JOIN instruments i "
                        "ON i.id = p.instrument_id WHERE i.kind = 'option' "
                        "AND p.status != 'open' AND p.ai_reasoning_log IS NOT NULL "
                        "AND json_extract(p.order_book_state, '$.greeks.delta') IS NOT NULL "
                        "ORDER BY p.id LIMIT 1");
  g_autofree char *delta = NULL;

  show (insp, window, id);
  check_trade (insp, id);
  check_reasoning (insp, id);
  delta = hs_trade_inspector_dup_text (insp, "book.greeks.delta");
  g_assert_cmpstr (delta, !=, "—");
  /* a trade without minute bars has no empty chart, but says why */
  g_assert_false (gtk_widget_get_visible (hs_gui_test_find_type (GTK_WIDGET (insp),
                                                                 HS_TYPE_CHART_WIDGET)));
  g_assert_nonnull (hs_gui_test_find_label (
    GTK_WIDGET (insp), "No 1-minute bars are stored around this trade: nothing to replay."));
  hs_gui_test_screenshot (window, "inspector-option.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_no_reasoning (void)
{
  HsTradeInspector *insp = NULL;
  GtkWidget *window = inspector_window (&insp);
  gint64 id = query_id ("SELECT id FROM paper_trades WHERE ai_reasoning_log IS NULL "
                        "AND signals_snapshot IS NOT NULL AND status != 'open' "
                        "ORDER BY id LIMIT 1");

  show (insp, window, id);
  g_assert_cmpstr (hs_trade_inspector_get_reasoning_view (insp), ==, "none");
  g_assert_nonnull (hs_gui_test_find_label (GTK_WIDGET (insp), "No Reasoning Log"));
  check_trade (insp, id);
  screenshot_whole (id, "inspector-no-reasoning");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_no_context (void)
{
  HsTradeInspector *insp = NULL;
  GtkWidget *window = inspector_window (&insp);
  g_autofree char *rsi = NULL;

  show (insp, window, no_context_id);
  check_outcome (insp, no_context_id);
  check_reasoning (insp, no_context_id);
  g_assert_nonnull (hs_gui_test_find_label (GTK_WIDGET (insp),
                                            "No context was recorded when this trade was opened."));
  /* nothing is shown as if it had been recorded */
  rsi = hs_trade_inspector_dup_text (insp, "signals.5m.rsi");
  g_assert_null (rsi);
  screenshot_whole (no_context_id, "inspector-no-context");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_open_trade (void)
{
  HsTradeInspector *insp = NULL;
  GtkWidget *window = inspector_window (&insp);
  gint64 id = open_id;
  g_autofree char *why = NULL;

  show (insp, window, id);
  check_trade (insp, id);
  why = hs_trade_inspector_dup_text (insp, "label_error");
  g_assert_cmpstr (why, ==, "No labels: open trades are labeled after they close.");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_unknown_trade (void)
{
  HsTradeInspector *insp = NULL;
  GtkWidget *window = inspector_window (&insp);

  hs_trade_inspector_show_trade (insp, 999999);
  hs_gui_test_spin_until (not_busy, insp);
  g_assert_cmpstr (hs_trade_inspector_get_view (insp), ==, "error");
  hs_trade_inspector_show_trade (insp, 0);
  g_assert_cmpstr (hs_trade_inspector_get_view (insp), ==, "empty");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
changed_cb (HsTradeInspector *insp,
            gint64            id,
            gpointer          data)
{
  gint64 *last = data;

  *last = id;
}

static char *
stored_tags (gint64 id)
{
  char *text = NULL;
  double v;

  stored (id, "(SELECT group_concat(value, ', ') FROM json_each(tags))", NULL, &text, &v);
  return text != NULL ? text : g_strdup ("");
}

static void
test_edit (void)
{
  HsTradeInspector *insp = NULL;
  GtkWidget *window = inspector_window (&insp);
  gint64 id = query_id ("SELECT id FROM paper_trades WHERE status != 'open' "
                        "AND ai_reasoning_log IS NOT NULL ORDER BY id DESC LIMIT 1");
  g_autofree char *before = stored_tags (id);
  g_autofree char *want = NULL, *tags = NULL, *shown = NULL, *note = NULL;
  GtkWidget *entry, *notes, *remove;
  gint64 changed = 0;
  double v;

  g_signal_connect (insp, "trade-changed", G_CALLBACK (changed_cb), &changed);
  show (insp, window, id);

  /* add a tag as a user does: type it, press Enter */
  entry = hs_gui_test_find_accessible (GTK_WIDGET (insp), GTK_TYPE_ENTRY, "New tag");
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "  reviewed ");
  g_signal_emit_by_name (entry, "activate");
  hs_gui_test_spin_until (not_busy, insp);
  g_assert_cmpint (changed, ==, id);
  tags = stored_tags (id);
  want = before[0] != '\0' ? g_strdup_printf ("%s, reviewed", before) : g_strdup ("reviewed");
  g_assert_cmpstr (tags, ==, want);
  shown = hs_trade_inspector_dup_text (insp, "tags");
  g_assert_cmpstr (shown, ==, tags);
  g_clear_pointer (&tags, g_free);
  g_clear_pointer (&shown, g_free);

  /* a tag the rules refuse (longer than 64 bytes) is not saved, and the reason is shown */
  {
    g_autofree char *long_tag = g_strnfill (65, 'x');
    g_autofree char *status = NULL;

    gtk_editable_set_text (GTK_EDITABLE (entry), long_tag);
    g_signal_emit_by_name (entry, "activate");
    hs_gui_test_spin_until (not_busy, insp);
    tags = stored_tags (id);
    g_assert_cmpstr (tags, ==, want);
    g_clear_pointer (&tags, g_free);
    status = hs_trade_inspector_dup_text (insp, "save_status");
    g_assert_cmpstr (status, ==, "Not saved: tags: a tag must be 1 to 64 bytes long");
  }

  /* remove it with its chip's button */
  remove = hs_gui_test_find_accessible (GTK_WIDGET (insp), GTK_TYPE_BUTTON,
                                        "Remove the tag reviewed");
  g_assert_nonnull (remove);
  changed = 0;
  g_signal_emit_by_name (remove, "clicked");
  hs_gui_test_spin_until (not_busy, insp);
  g_assert_cmpint (changed, ==, id);
  tags = stored_tags (id);
  g_assert_cmpstr (tags, ==, before);

  /* type a note: it is saved after the pause, without any button */
  notes = hs_gui_test_find_accessible (GTK_WIDGET (insp), GTK_TYPE_TEXT_VIEW, "Notes");
  g_assert_nonnull (notes);
  changed = 0;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)),
                            "Entered too early; the bear case was right.", -1);
  g_assert_true (hs_trade_inspector_get_busy (insp));
  hs_gui_test_spin_until (not_busy, insp);
  g_assert_cmpint (changed, ==, id);
  stored (id, "notes", NULL, &note, &v);
  g_assert_cmpstr (note, ==, "Entered too early; the bear case was right.");
  g_clear_pointer (&note, g_free);

  /* typing then switching to another trade still saves the note on the first one */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "Second thought.",
                            -1);
  show (insp, window, no_context_id);
  stored (id, "notes", NULL, &note, &v);
  g_assert_cmpstr (note, ==, "Second thought.");
  g_clear_pointer (&note, g_free);

  /* emptying the note removes it */
  show (insp, window, id);
  shown = hs_trade_inspector_dup_text (insp, "notes");
  g_assert_cmpstr (shown, ==, "Second thought.");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "", -1);
  hs_gui_test_spin_until (not_busy, insp);
  g_assert_cmpint (stored (id, "notes", NULL, &note, &v), ==, SQLITE_NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A note typed just before the inspector goes away is still saved. */
static void
test_note_on_close (void)
{
  HsTradeInspector *insp = NULL;
  GtkWidget *window = inspector_window (&insp);
  GtkWidget *notes;
  gint64 id = no_context_id;
  g_autofree char *note = NULL;
  double v;

  show (insp, window, id);
  notes = hs_gui_test_find_accessible (GTK_WIDGET (insp), GTK_TYPE_TEXT_VIEW, "Notes");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "Closed in haste.",
                            -1);
  gtk_window_destroy (GTK_WINDOW (window));
  while (stored (id, "notes", NULL, &note, &v) == SQLITE_NULL
         || g_strcmp0 (note, "Closed in haste.") != 0)
    {
      g_clear_pointer (&note, g_free);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpstr (note, ==, "Closed in haste.");
}

/* The replay window, by hand (hs_inspect_window()). */
static void
test_window (void)
{
  g_autoptr(HsPaperTrade) t = hs_paper_trade_new ();
  int64_t from, to;

  /* entry 2024-03-05T14:50:57Z: from 14:50 − 30 min = 14:20:00 … */
  t->entry_ts = hs_test_utc (2024, 3, 5, 14, 50) + 57 * G_USEC_PER_SEC;
  t->exit_ts = HS_PAPER_NO_TS;
  hs_inspect_window (t, &from, &to);
  g_assert_cmpint (from, ==, hs_test_utc (2024, 3, 5, 14, 20));
  /* … open: to entry + 1 h + 15 min = 16:05:57 */
  g_assert_cmpint (to, ==, hs_test_utc (2024, 3, 5, 16, 5) + 57 * G_USEC_PER_SEC);
  /* exit at 16:47: to 17:02 */
  t->exit_ts = hs_test_utc (2024, 3, 5, 16, 47);
  hs_inspect_window (t, &from, &to);
  g_assert_cmpint (to, ==, hs_test_utc (2024, 3, 5, 17, 2));
  /* exit two days later: at most 390 min after the entry, 21:20:57 */
  t->exit_ts = hs_test_utc (2024, 3, 7, 15, 0);
  hs_inspect_window (t, &from, &to);
  g_assert_cmpint (to, ==, hs_test_utc (2024, 3, 5, 21, 20) + 57 * G_USEC_PER_SEC);
  /* exit 5 minutes after the entry: the 1-hour horizon still decides */
  t->exit_ts = t->entry_ts + 5 * 60 * G_USEC_PER_SEC;
  hs_inspect_window (t, &from, &to);
  g_assert_cmpint (to, ==, hs_test_utc (2024, 3, 5, 16, 5) + 57 * G_USEC_PER_SEC);
}

static void
navigate_cb (HsTradeInspector *insp,
             int               step,
             gpointer          data)
{
  int *sum = data;

  *sum = *sum * 10 + (step < 0 ? 1 : 2);
}

static void
test_navigate (void)
{
  HsTradeInspector *insp = NULL;
  GtkWidget *window = inspector_window (&insp);
  GtkWidget *prev, *next;
  int seen = 0;

  g_signal_connect (insp, "navigate", G_CALLBACK (navigate_cb), &seen);
  show (insp, window, no_context_id);
  prev = hs_gui_test_find_accessible (GTK_WIDGET (insp), GTK_TYPE_BUTTON, "Previous trade");
  next = hs_gui_test_find_accessible (GTK_WIDGET (insp), GTK_TYPE_BUTTON, "Next trade");
  g_assert_nonnull (prev);
  g_assert_nonnull (next);
  g_signal_emit_by_name (next, "clicked");
  g_signal_emit_by_name (prev, "clicked");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (insp), "inspector.next", NULL));
  /* next (2), previous (1), next (2), in that order */
  g_assert_cmpint (seen, ==, 212);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
clipboard_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  ClipboardRead *read = data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

/* In a narrow side panel (360 px) the inspector fits: nothing holds the window wider. */
static void
test_narrow (void)
{
  HsTradeInspector *insp = NULL;
  GtkWidget *insp_widget = hs_trade_inspector_new ();
  GtkWidget *window;
  int min = 0;
  gint64 id = query_id ("SELECT p.id FROM paper_trades p JOIN instruments i "
                        "ON i.id = p.instrument_id WHERE i.symbol = 'JPM' AND p.status != 'open' "
                        "AND p.target_mfe_pct IS NOT NULL AND p.ai_reasoning_log IS NOT NULL "
                        "ORDER BY p.id LIMIT 1");

  insp = HS_TRADE_INSPECTOR (insp_widget);
  hs_trade_inspector_set_database (insp, db_path);
  window = hs_gui_test_window (insp_widget, 360, 900);
  show (insp, window, id);
  gtk_widget_measure (insp_widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_assert_cmpint (min, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (window), <=, 360);
  hs_gui_test_screenshot (window, "inspector-narrow.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Every control has a name a screen reader (and the end-to-end tests) can use. */
static void
test_named_controls (void)
{
  HsTradeInspector *insp = NULL;
  GtkWidget *window = inspector_window (&insp);
  unsigned n = 0;

  gint64 id = query_id ("SELECT id FROM paper_trades WHERE ai_reasoning_log IS NOT NULL "
                        "AND tags != '[]' ORDER BY id LIMIT 1");
  GtkWidget *copy;
  ClipboardRead read = { NULL, FALSE };
  g_autofree char *prompt = NULL;
  double v;

  show (insp, window, id);
  /* open the raw views: their copy buttons count too */
  for (GtkWidget *w = hs_gui_test_find_type (GTK_WIDGET (insp), GTK_TYPE_EXPANDER); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_EXPANDER (w))
      gtk_expander_set_expanded (GTK_EXPANDER (w), TRUE);
  hs_gui_test_wait_frames (window, 2);
  /* previous, next, a tag's remove button, Add Tag, two copy buttons */
  hs_test_assert_controls_named (GTK_WIDGET (insp), &n);
  g_assert_cmpuint (n, >=, 6);

  /* Copy puts the raw prompt, as stored, on the clipboard. */
  copy = hs_gui_test_find_accessible (GTK_WIDGET (insp), GTK_TYPE_BUTTON, "Copy the raw prompt");
  g_assert_nonnull (copy);
  g_signal_emit_by_name (copy, "clicked");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (copy), NULL, clipboard_cb, &read);
  hs_gui_test_spin_until (clipboard_done, &read);
  stored (id, "json_extract(ai_reasoning_log, '$.prompt')", NULL, &prompt, &v);
  g_assert_cmpstr (read.text, ==, prompt);
  g_free (read.text);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  int status;

  hs_gui_test_init (&argc, &argv);
  dir = g_dir_make_tmp ("hs-inspector-XXXXXX", NULL);
  build_database (dir);
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);

  g_test_add_func ("/hs/ui/inspector/new-destroy", test_new_destroy);
  g_test_add_func ("/hs/ui/inspector/labeled-trade", test_labeled_trade);
  g_test_add_func ("/hs/ui/inspector/option-trade", test_option_trade);
  g_test_add_func ("/hs/ui/inspector/no-reasoning", test_no_reasoning);
  g_test_add_func ("/hs/ui/inspector/no-context", test_no_context);
  g_test_add_func ("/hs/ui/inspector/open-trade", test_open_trade);
  g_test_add_func ("/hs/ui/inspector/unknown-trade", test_unknown_trade);
  g_test_add_func ("/hs/ui/inspector/edit", test_edit);
  g_test_add_func ("/hs/ui/inspector/note-on-close", test_note_on_close);
  g_test_add_func ("/hs/ui/inspector/window", test_window);
  g_test_add_func ("/hs/ui/inspector/navigate", test_navigate);
  g_test_add_func ("/hs/ui/inspector/narrow", test_narrow);
  g_test_add_func ("/hs/ui/inspector/named-controls", test_named_controls);
  status = g_test_run ();

  sqlite3_close (db);
  capsule_remove_dir (dir);
  g_free (db_path);
  return status;
}
