/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Data page's fetch watch list (src/ui/hs-watch-panel.c) against the local HTTP server
 * (tests/hs-test-server.h) serving recorded answers, every provider pointed at it through
 * HINDSIGHT_<PROVIDER>_BASE_URL as a user would: entries added through the form, polling
 * started and stopped with its button, the state a success and a 500 leave, and a backfill
 * (whole, and cancelled then resumed) through the backfill form. Screenshots: data-watch-*.png.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hs-coverage-item.h"
#include "hs-data-page.h"
#include "hs-store-market.h"
#include "hs-test-db.h"
#include "hs-test-backfill.h"
#include "hs-test-server.h"
#include "hs-test-sql.h"
#include "hs-test-ui.h"
#include "hs-settings.h"
#include "hs-watch-panel.h"
#include "hs-window-private.h"

static char *
create_empty_db (const char *name)
{
  g_autofree char *path = hs_test_temp_path (name);

  g_remove (path);
  hs_store_close (hs_test_store_open (path));
  return g_steal_pointer (&path);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (HsWatchPanel *panel,
                               gpointer      data);

/* Spins the main loop until @cond holds; a minute without it fails the test (a guard against
 * hanging, not a timing assertion). */
static void
wait_until (HsWatchPanel *panel,
            Condition     cond,
            gpointer      data)
{
  gboolean timed_out = FALSE;
  guint guard = g_timeout_add_seconds (60, timeout_cb, &timed_out);

  while (!cond (panel, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (guard);
}

static gboolean
has_entries (HsWatchPanel *panel,
             gpointer      data)
{
  const HsWatchState *s = hs_watch_panel_get_state (panel);

  return s != NULL && s->entries->len == GPOINTER_TO_UINT (data);
}

static gboolean
not_polling (HsWatchPanel *panel,
             gpointer      data)
{
  return !hs_watch_panel_get_polling (panel);
}

static gboolean
not_backfilling (HsWatchPanel *panel,
                 gpointer      data)
{
  return !hs_watch_panel_get_backfilling (panel);
}

static void
count_cb (guint *changes)
{
  (*changes)++;
}

static gboolean
changed_twice (HsWatchPanel *panel,
               gpointer      data)
{
  return *(guint *) data >= 2;
}

/* Two reads of the state have been shown, asking for them (nothing reads by itself when the
 * poller is stopped). */
static gboolean
read_twice (HsWatchPanel *panel,
            gpointer      data)
{
  if (*(guint *) data >= 2)
    return TRUE;
  hs_watch_panel_refresh (panel);
  return FALSE;
}

static const HsWatchEntry *
find_entry (HsWatchPanel *panel,
            const char   *symbol)
{
  const HsWatchState *s = hs_watch_panel_get_state (panel);

  for (guint i = 0; s != NULL && i < s->entries->len; i++)
    if (g_str_equal (((HsWatchEntry *) s->entries->pdata[i])->symbol, symbol))
      return s->entries->pdata[i];
  return NULL;
}

/* Both entries have run (a success or a failure is recorded in each). */
static gboolean
entries_ran (HsWatchPanel *panel,
             gpointer      data)
{
  const char *const *symbols = data;

  for (; *symbols != NULL; symbols++)
    {
      const HsWatchEntry *e = find_entry (panel, *symbols);

      if (e == NULL || e->runs < 1)
        return FALSE;
    }
  return TRUE;
}

static GtkWidget *
child (HsWatchPanel *panel,
       const char   *name)
{
  GObject *w = gtk_widget_get_template_child (GTK_WIDGET (panel), HS_TYPE_WATCH_PANEL, name);

  g_assert_true (GTK_IS_WIDGET (w));
  return GTK_WIDGET (w);
}

static void
select_string (AdwComboRow *row,
               const char  *text)
{
  GListModel *model = adw_combo_row_get_model (row);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), text))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
click (HsWatchPanel *panel,
       const char   *name)
{
  GtkWidget *button = child (panel, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Fills the add form as a person does and clicks Add; waits for the list to show @n entries. */
static void
add_through_form (HsWatchPanel *panel,
                  const char   *provider_title,
                  const char   *kind,
                  const char   *interval,
                  const char   *symbol,
                  guint         n)
{
  select_string (ADW_COMBO_ROW (child (panel, "provider_row")), provider_title);
  select_string (ADW_COMBO_ROW (child (panel, "kind_row")), kind);
  g_assert_cmpint (gtk_widget_get_sensitive (child (panel, "interval_row")), ==,
                   interval != NULL);
  if (interval != NULL)
    select_string (ADW_COMBO_ROW (child (panel, "interval_row")), interval);
  gtk_editable_set_text (GTK_EDITABLE (child (panel, "symbol_row")), symbol);
  click (panel, "add_button");
  wait_until (panel, has_entries, GUINT_TO_POINTER (n));
  g_assert_null (hs_watch_panel_get_add_error (panel));
}

static GtkWidget *
panel_window (HsWatchPanel **panel)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  *panel = HS_WATCH_PANEL (hs_watch_panel_new ());
  gtk_widget_set_margin_top (GTK_WIDGET (*panel), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (*panel), 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (*panel));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 980);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
close_window (GtkWidget    *window,
              HsWatchPanel *panel)
{
  g_object_ref (panel);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (panel);
}

/* The bars of a series as the store reads them (what the chart shows). */
static int64_t
stored_bars (const char *db,
             const char *symbol,
             const char *exchange,
             const char *interval)
{
  g_autoptr(HsStore) store = hs_test_store_open (db);
  g_autoptr(HsBars) bars = NULL;
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  g_assert_true (hs_store_find_instrument (store, symbol, exchange, &id, &error));
  g_assert_no_error (error);
  bars = hs_store_load_bars (store, id, interval, G_MININT64, G_MAXINT64, &error);
  g_assert_no_error (error);
  return (int64_t) bars->n;
}

/* "last success 04:45:33 UTC": the run was today (UTC), so the time alone. */
static char *
success_text (int64_t ts)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ts / G_USEC_PER_SEC);
  g_autofree char *hms = g_date_time_format (dt, "%H:%M:%S");

  return g_strdup_printf ("last success %s UTC", hms);
}

/* A new entry polls at the pace set in Preferences (poll-candle-seconds), not the built-in one
 * (60 s for candles, which test_poll checks with the key at its default, 0). */
static void
test_preferred_period (void)
{
  g_autofree char *db = create_empty_db ("watch-period.db");
  g_autoptr(GSettings) settings = hs_settings_new ();
  HsWatchPanel *panel = NULL;
  GtkWidget *window = NULL;

  g_settings_set_int (settings, "poll-candle-seconds", 90);
  window = panel_window (&panel);
  hs_watch_panel_set_database (panel, db);
  wait_until (panel, has_entries, GUINT_TO_POINTER (0));
  add_through_form (panel, "Coinbase Exchange", "candles", "1h", "ETH-USD", 1);
  g_assert_cmpfloat (find_entry (panel, "ETH-USD")->period_s, ==, 90);
  g_assert_cmpint (hs_test_query_int (db, "SELECT CAST(period_s AS INTEGER) FROM watch_list"),
                   ==, 90);
  g_settings_reset (settings, "poll-candle-seconds");
  close_window (window, panel);
}

/* Two entries through the form: Coinbase's hourly BTC-USDT candles answered with their
 * recording, and a Kalshi book answered with 500. Polling as at 2024-03-13T12:00:00Z (the
 * recording's time): the recorded bar of 11:00 (1710327600) lies within the five bars before
 * it, so the candles entry stores one bar (the count test-cli-watch.c's `poll --once` checks by
 * hand); the book entry fails with the 500. */
static void
test_poll (void)
{
  g_autofree char *db = create_empty_db ("watch-poll.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *kalshi = g_strconcat (hs_test_server_get_base_url (server), "/trade-api/v2",
                                         NULL);
  const char *symbols[] = { "BTC-USDT", "BROKEN-1", NULL };
  HsWatchPanel *panel = NULL;
  GtkWidget *window = NULL;
  g_autofree char *candles_text = NULL;
  g_autofree char *book_text = NULL;
  g_autofree char *kalshi_text = NULL;
  g_autofree char *coinbase_text = NULL;
  g_autofree char *expect = NULL;
  g_autofree char *success = NULL;
  const HsWatchEntry *e = NULL;
  int64_t bars = 0;

  hs_test_server_add (server, "/trade-api/v2/markets/BROKEN-1/orderbook",
                      hs_test_response_new_json (500, "{\"error\":\"internal\"}"));
  hs_test_server_add (server, "/products/BTC-USDT/candles",
                      hs_test_fixture ("coinbase", "exchange_products_BTC-USDT_candles_3600.json"));
  g_setenv ("HINDSIGHT_KALSHI_BASE_URL", kalshi, TRUE);
  g_setenv ("HINDSIGHT_COINBASE_BASE_URL", hs_test_server_get_base_url (server), TRUE);

  window = panel_window (&panel);
  hs_watch_panel_set_database (panel, db);
  wait_until (panel, has_entries, GUINT_TO_POINTER (0));

  /* Refused before it reaches the store: no symbol. */
  select_string (ADW_COMBO_ROW (child (panel, "provider_row")), "Kalshi");
  gtk_editable_set_text (GTK_EDITABLE (child (panel, "symbol_row")), "  ");
  click (panel, "add_button");
  g_assert_nonnull (strstr (hs_watch_panel_get_add_error (panel), "symbol"));

  add_through_form (panel, "Coinbase Exchange", "candles", "1h", "BTC-USDT", 1);
  add_through_form (panel, "Kalshi", "book", NULL, "BROKEN-1", 2);
  e = find_entry (panel, "BTC-USDT");
  g_assert_cmpstr (e->provider, ==, "coinbase");
  g_assert_cmpstr (e->interval, ==, "1h");
  /* The CLI's default periods: 60 s for candles, 10 s for books. */
  g_assert_cmpfloat (e->period_s, ==, 60);
  g_assert_cmpfloat (find_entry (panel, "BROKEN-1")->period_s, ==, 10);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM watch_list"), ==, 2);
  hs_test_wait_for_frames (window, 2);
  hs_test_save_screenshot (window, "data-watch-added.png");

  hs_watch_panel_set_request_options (panel, hs_test_utc (2024, 3, 13, 12, 0), 1, 10);
  click (panel, "poll_button");
  g_assert_true (hs_watch_panel_get_polling (panel));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (panel, "poll_button"))), ==,
                   "_Stop Polling");
  wait_until (panel, entries_ran, symbols);

  /* The success: the row count the panel shows is the bars now stored, read from the store. */
  bars = stored_bars (db, "BTC-USDT", "coinbase", "1h");
  g_assert_cmpint (bars, ==, 1);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM candles"), ==, bars);
  e = find_entry (panel, "BTC-USDT");
  g_assert_cmpint (e->rows_inserted, ==, bars);
  g_assert_cmpint (e->last_success, >, 0);
  g_assert_null (e->last_error);
  candles_text = hs_watch_panel_dup_entry_text (panel, e->id);
  expect = g_strdup_printf ("%" G_GINT64_FORMAT " row added", bars);
  g_assert_nonnull (strstr (candles_text, expect));
  success = success_text (e->last_success);
  g_assert_nonnull (strstr (candles_text, success));
  g_assert_nonnull (strstr (candles_text, "next poll"));
  coinbase_text = hs_watch_panel_dup_provider_text (panel, "coinbase");
  g_assert_nonnull (strstr (coinbase_text, success));
  g_assert_nonnull (strstr (coinbase_text, "health at "));
  g_assert_null (strstr (coinbase_text, "last error"));

  /* The 500: its text in the entry and in the provider's row. */
  e = find_entry (panel, "BROKEN-1");
  g_assert_cmpint (e->last_success, ==, 0);
  g_assert_nonnull (e->last_error);
  book_text = hs_watch_panel_dup_entry_text (panel, e->id);
  g_assert_nonnull (strstr (book_text, "/trade-api/v2/markets/BROKEN-1/orderbook: HTTP 500"));
  g_assert_nonnull (strstr (book_text, "no success yet"));
  kalshi_text = hs_watch_panel_dup_provider_text (panel, "kalshi");
  g_assert_nonnull (strstr (kalshi_text, "last error (BROKEN-1): "));
  g_assert_nonnull (strstr (kalshi_text, "HTTP 500"));
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM orderbook_snapshots"), ==, 0);
  hs_test_wait_for_frames (window, 2);
  hs_test_save_screenshot (window, "data-watch-polling.png");

  /* The next read (once a second while polling) updates the rows in place: a focused or
   * hovered button is not rebuilt under the pointer. */
  {
    GtkWidget *row = gtk_widget_get_first_child (child (panel, "entries_list"));
    guint changes = 0;
    gulong handler = g_signal_connect_swapped (panel, "state-changed", G_CALLBACK (count_cb),
                                               &changes);

    wait_until (panel, changed_twice, &changes);
    g_signal_handler_disconnect (panel, handler);
    g_assert_true (gtk_widget_get_first_child (child (panel, "entries_list")) == row);
  }

  click (panel, "poll_button");
  wait_until (panel, not_polling, NULL);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (panel, "poll_button"))), ==,
                   "_Start Polling");
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM candles"), ==, 1);

  /* Remove through the row's button (what it calls): one entry left, and the add form, with a
   * symbol being typed, is not touched by it. */
  hs_watch_panel_set_database (panel, db);
  gtk_editable_set_text (GTK_EDITABLE (child (panel, "symbol_row")), "ETH-USD");
  {
    int64_t id = find_entry (panel, "BROKEN-1")->id;
    GtkWidget *list = child (panel, "entries_list");
    GtkWidget *trash = NULL;

    /* The book's row has one button: Remove (books cannot be backfilled). */
    for (GtkWidget *w = gtk_widget_get_first_child (list); w != NULL;
         w = gtk_widget_get_next_sibling (w))
      {
        GtkWidget *b = hs_test_find_widget (w, GTK_TYPE_BUTTON);

        if (b != NULL && GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (b), "watch-id"))
                         == (gsize) id)
          trash = b;
      }
    g_assert_nonnull (trash);
    g_signal_emit_by_name (trash, "clicked");
    wait_until (panel, has_entries, GUINT_TO_POINTER (1));
    g_assert_nonnull (find_entry (panel, "BTC-USDT"));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (panel, "symbol_row"))), ==,
                     "ETH-USD");
    g_assert_true (gtk_widget_get_sensitive (child (panel, "add_button")));
  }
  close_window (window, panel);
  g_unsetenv ("HINDSIGHT_KALSHI_BASE_URL");
  g_unsetenv ("HINDSIGHT_COINBASE_BASE_URL");
}

/* The backfill of three provider windows the server answers: tests/hs-test-backfill.h. */
static void
fill_range (HsWatchPanel *panel)
{
  gtk_editable_set_text (GTK_EDITABLE (child (panel, "from_row")), "2024-03-13T00:00:00Z");
  gtk_editable_set_text (GTK_EDITABLE (child (panel, "to_row")), "2024-03-13T12:00:00Z");
}

static void
assert_backfilled (const char *db)
{
  g_autofree char *rows = hs_test_query_rows (db, HS_TEST_BACKFILL_SQL);

  g_assert_cmpstr (rows, ==, hs_test_backfill_rows);
}

static void
test_backfill (void)
{
  g_autofree char *db = create_empty_db ("watch-backfill.db");
  g_autoptr(HsTestServer) server = hs_test_backfill_server (FALSE);
  HsWatchPanel *panel = NULL;
  GtkWidget *window = NULL;
  const char *text = NULL;

  g_setenv ("HINDSIGHT_COINBASE_BASE_URL", hs_test_server_get_base_url (server), TRUE);
  window = panel_window (&panel);
  hs_watch_panel_set_database (panel, db);
  wait_until (panel, has_entries, GUINT_TO_POINTER (0));
  add_through_form (panel, "Coinbase Exchange", "candles", "1m", "BTC-USDT", 1);

  hs_watch_panel_show_backfill (panel, find_entry (panel, "BTC-USDT")->id);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child (panel,
                                                                     "backfill_revealer"))));
  /* A range that ends before it starts is refused before anything runs. */
  gtk_editable_set_text (GTK_EDITABLE (child (panel, "from_row")), "2024-03-13");
  gtk_editable_set_text (GTK_EDITABLE (child (panel, "to_row")), "2024-03-12");
  click (panel, "backfill_button");
  g_assert_false (hs_watch_panel_get_backfilling (panel));
  g_assert_cmpstr (hs_watch_panel_get_backfill_text (panel), ==, "The end is before the start.");

  fill_range (panel);
  click (panel, "backfill_button");
  g_assert_true (hs_watch_panel_get_backfilling (panel));
  wait_until (panel, not_backfilling, NULL);
  text = hs_watch_panel_get_backfill_text (panel);
  g_assert_cmpstr (text, ==, "Backfill done: 3 windows, 6 rows (6 new)");
  assert_backfilled (db);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (child (panel,
                                                                  "backfill_progress"))), ==, 1);
  hs_test_wait_for_frames (window, 2);
  hs_test_save_screenshot (window, "data-watch-backfill.png");

  /* The same range again: complete already, no request. */
  click (panel, "backfill_button");
  wait_until (panel, not_backfilling, NULL);
  g_assert_cmpstr (hs_watch_panel_get_backfill_text (panel), ==,
                   "The backfill was complete already: nothing to add.");
  g_assert_cmpuint (hs_test_server_count (server, NULL), ==, 3);
  close_window (window, panel);
  g_unsetenv ("HINDSIGHT_COINBASE_BASE_URL");
}

static gboolean
backfill_waiting (HsWatchPanel *panel,
                  gpointer      data)
{
  const char *db = data;

  /* The first window stored and saved; the second's request is held back by the server. */
  return hs_test_query_int (db, "SELECT coalesce(max(windows), 0) FROM backfill_state") >= 1;
}

static gboolean
has_backfill (HsWatchPanel *panel,
              gpointer      data)
{
  const HsWatchState *s = hs_watch_panel_get_state (panel);

  /* The read after the backfill ended shows its saved state (not done, one window). */
  if (s != NULL && s->backfills->len == 1
      && ((HsBackfillState *) s->backfills->pdata[0])->windows == 1)
    return TRUE;
  hs_watch_panel_refresh (panel);
  return FALSE;
}

/* Cancelled while the second window's answer is held back: the first window stays with its
 * resume point; the form, opened again, says where it goes on, and Backfill finishes it. */
static void
test_backfill_resume (void)
{
  g_autofree char *db = create_empty_db ("watch-resume.db");
  g_autoptr(HsTestServer) server = hs_test_backfill_server (TRUE);
  HsWatchPanel *panel = NULL;
  GtkWidget *window = NULL;
  int64_t id;

  g_setenv ("HINDSIGHT_COINBASE_BASE_URL", hs_test_server_get_base_url (server), TRUE);
  window = panel_window (&panel);
  hs_watch_panel_set_database (panel, db);
  wait_until (panel, has_entries, GUINT_TO_POINTER (0));
  add_through_form (panel, "Coinbase Exchange", "candles", "1m", "BTC-USDT", 1);
  id = find_entry (panel, "BTC-USDT")->id;

  hs_watch_panel_show_backfill (panel, id);
  fill_range (panel);
  click (panel, "backfill_button");
  wait_until (panel, backfill_waiting, db);
  hs_test_server_wait_requests (server, 2);
  click (panel, "backfill_cancel");
  wait_until (panel, not_backfilling, NULL);
  g_assert_nonnull (strstr (hs_watch_panel_get_backfill_text (panel), "Backfill stopped"));
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM candles"), ==, 2);

  /* Opened again: the saved range, and where it goes on (05:00, the second window). */
  gtk_editable_set_text (GTK_EDITABLE (child (panel, "from_row")), "");
  wait_until (panel, has_backfill, NULL);
  hs_watch_panel_show_backfill (panel, id);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (panel, "from_row"))), ==,
                   "2024-03-13T00:00:00Z");
  g_assert_cmpstr (hs_watch_panel_get_backfill_text (panel), ==,
                   "An unfinished backfill of this range goes on at 2024-03-13T05:00:00Z.");
  click (panel, "backfill_button");
  wait_until (panel, not_backfilling, NULL);
  g_assert_cmpstr (hs_watch_panel_get_backfill_text (panel), ==,
                   "Backfill done: 3 windows, 4 rows (4 new)");
  assert_backfilled (db);
  close_window (window, panel);
  g_unsetenv ("HINDSIGHT_COINBASE_BASE_URL");
}

/* Stop while a request hangs (the server reads it and never answers): the poller ends at
 * once, the run counted neither as a success nor as a failure (a cancelled run stays due), and
 * nothing is stored. With the client's default 30 s timeout, only the cancellation can have
 * ended it before the entry recorded a timeout. */
static void
test_stop_stalled (void)
{
  g_autofree char *db = create_empty_db ("watch-stall.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  HsTestResponse *stall = hs_test_response_new (200);
  HsWatchPanel *panel = NULL;
  GtkWidget *window = NULL;
  const HsWatchEntry *e = NULL;

  hs_test_response_set_stall (stall);
  hs_test_server_add (server, "/products/BTC-USDT/candles", stall);
  g_setenv ("HINDSIGHT_COINBASE_BASE_URL", hs_test_server_get_base_url (server), TRUE);
  window = panel_window (&panel);
  hs_watch_panel_set_database (panel, db);
  wait_until (panel, has_entries, GUINT_TO_POINTER (0));
  add_through_form (panel, "Coinbase Exchange", "candles", "1h", "BTC-USDT", 1);
  hs_watch_panel_set_request_options (panel, hs_test_utc (2024, 3, 13, 12, 0), 1, 0);
  click (panel, "poll_button");
  hs_test_server_wait_requests (server, 1);
  click (panel, "poll_button");
  g_assert_false (gtk_widget_get_sensitive (child (panel, "poll_button")));   /* stopping */
  wait_until (panel, not_polling, NULL);
  /* A read made after the poller ended. */
  {
    guint changes = 0;
    gulong handler = g_signal_connect_swapped (panel, "state-changed", G_CALLBACK (count_cb),
                                               &changes);

    wait_until (panel, read_twice, &changes);
    g_signal_handler_disconnect (panel, handler);
  }
  e = find_entry (panel, "BTC-USDT");
  g_assert_cmpint (e->runs, ==, 0);
  g_assert_cmpint (e->failures, ==, 0);
  g_assert_null (e->last_error);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM candles"), ==, 0);
  close_window (window, panel);
  g_unsetenv ("HINDSIGHT_COINBASE_BASE_URL");
}

static gboolean
coverage_has_bars (HsWatchPanel *panel,
                   gpointer      data)
{
  HsDataPage *page = data;
  GListModel *model = hs_coverage_page_get_model (hs_data_page_get_coverage_page (page));
  const HsBars *bars = hs_data_page_get_bars (page);

  return g_list_model_get_n_items (model) == 1 && bars != NULL && bars->n == 1
         && !hs_data_page_get_loading_bars (page);
}

/* The panel in the real window's Data page, following its database: a poll's new bar reaches
 * the instruments table and the chart's bars without anything else asking. */
static void
test_in_window (void)
{
  g_autofree char *db = create_empty_db ("watch-window.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  HsWindow *window = NULL;
  HsDataPage *page = NULL;
  HsWatchPanel *panel = NULL;
  g_autoptr(HsCoverageItem) item = NULL;
  unsigned n_checked = 0;

  hs_test_server_add (server, "/products/BTC-USDT/candles",
                      hs_test_fixture ("coinbase", "exchange_products_BTC-USDT_candles_3600.json"));
  g_setenv ("HINDSIGHT_COINBASE_BASE_URL", hs_test_server_get_base_url (server), TRUE);
  window = hs_test_open_window (db);
  page = HS_DATA_PAGE (hs_window_get_page (window, "data"));
  panel = HS_WATCH_PANEL (hs_test_find_widget (GTK_WIDGET (page), HS_TYPE_WATCH_PANEL));
  g_assert_nonnull (panel);
  wait_until (panel, has_entries, GUINT_TO_POINTER (0));
  g_assert_true (gtk_widget_get_sensitive (child (panel, "poll_button")));
  hs_test_assert_controls_named (GTK_WIDGET (panel), &n_checked);
  g_assert_cmpuint (n_checked, >, 3);

  /* An empty database: the Data page shows its empty state, whose Add a Data Source
   * (window.show-data-sources) brings the watch list into view. */
  hs_window_show_page (window, "data");
  hs_test_wait_for_frames (GTK_WIDGET (window), 2);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (panel)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.show-data-sources",
                                             NULL));
  hs_test_wait_for_frames (GTK_WIDGET (window), 2);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (panel)));
  add_through_form (panel, "Coinbase Exchange", "candles", "1h", "BTC-USDT", 1);
  hs_watch_panel_set_request_options (panel, hs_test_utc (2024, 3, 13, 12, 0), 1, 10);
  click (panel, "poll_button");
  wait_until (panel, coverage_has_bars, page);
  item = g_list_model_get_item (hs_coverage_page_get_model (hs_data_page_get_coverage_page (page)),
                                0);
  g_assert_cmpstr (hs_coverage_item_get_symbol (item), ==, "BTC-USDT");
  g_assert_cmpstr (hs_coverage_item_get_interval (item), ==, "1h");
  /* The recorded bar of 2024-03-13T11:00:00Z (1710327600), read back by the chart's job. */
  g_assert_cmpint (hs_data_page_get_bars (page)->ts[0], ==, G_GINT64_CONSTANT (1710327600000000));
  hs_test_wait_for_frames (GTK_WIDGET (window), 2);
  hs_data_page_show_data_sources (page);
  hs_test_wait_for_frames (GTK_WIDGET (window), 3);
  hs_test_save_screenshot (GTK_WIDGET (window), "data-watch-window.png");
  click (panel, "poll_button");
  wait_until (panel, not_polling, NULL);
  hs_test_close_window (window);
  g_unsetenv ("HINDSIGHT_COINBASE_BASE_URL");
}

int
main (int    argc,
      char **argv)
{
  hs_test_ui_init (&argc, &argv);

  g_test_add_func ("/hs/ui/watch/poll", test_poll);
  g_test_add_func ("/hs/ui/watch/preferred-period", test_preferred_period);
  g_test_add_func ("/hs/ui/watch/stop-stalled", test_stop_stalled);
  g_test_add_func ("/hs/ui/watch/backfill", test_backfill);
  g_test_add_func ("/hs/ui/watch/backfill-resume", test_backfill_resume);
  g_test_add_func ("/hs/ui/watch/in-window", test_in_window);
  return g_test_run ();
}
