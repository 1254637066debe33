/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences, About and notifications (src/ui/hs-preferences.c, hs-about.c, hs-notify.c)
 * under Xvfb. What is checked:
 *   - every preference row shows its GSettings key's default (the values written in
 *     data/io.github.hindsight.gschema.xml), and a change in either direction reaches the
 *     other; a fee or slippage model that does not parse is marked and not stored;
 *   - the poll periods the watch list gets: the preference when set, else the poller's defaults
 *     (5 s Kalshi snapshots, 15 s others, 60 s candles: docs/fetch.md);
 *   - a new backtest setup starts from the default fee and slippage models;
 *   - one token row per provider that takes a token, and every control has a name;
 *   - the About window's version, licence and links;
 *   - notifications: a paper trade closed by its stop, a provider_error alert and a long job
 *     each send the right notification, whose action shows the right page; the first scan of
 *     a database notifies about nothing it finds.
 * Screenshots: preferences-*.png and about.png in $HS_SCREENSHOT_DIR.
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "hs-about.h"
#include "hs-backtest-setup.h"
#include "hs-gui-test.h"
#include "hs-job-worker.h"
#include "hs-keyring.h"
#include "hs-notify.h"
#include "hs-paper.h"
#include "hs-poller.h"
#include "hs-preferences.h"
#include "hs-settings.h"
#include "hs-store-alerts.h"
#include "hs-test-db.h"
#include "hs-test-ui.h"

static GtkWidget *
find_spin (GtkWidget  *root,
           const char *label)
{
  GtkWidget *w = hs_gui_test_find_accessible (root, GTK_TYPE_SPIN_BUTTON, label);

  g_assert_nonnull (w);
  return w;
}

static void
test_bindings (void)
{
  g_autoptr(GSettings) settings = hs_settings_new ();
  GtkWidget *prefs = NULL;
  GtkWidget *snapshot = NULL, *keep = NULL;
  GtkWidget *backup = NULL;
  AdwEntryRow *fee = NULL;
  g_autofree char *fee_text = NULL;
  g_autofree char *slip_text = NULL;
  unsigned n_checked = 0;
  /* The defaults written in the schema, label by label. */
  static const struct
  {
    const char *label;
    double      value;
  } defaults[] = {
    { "Snapshot interval", 0 }, { "Candle interval", 0 }, { "Labeling hour", 6 },
    { "Days to keep", 30 }, { "Backups to keep", 7 }, { "Backup hour", 3 },
  };

  hs_test_reset_settings ();
  prefs = hs_preferences_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (prefs), 640, 820);
  gtk_window_present (GTK_WINDOW (prefs));
  hs_test_wait_for_frames (prefs, 3);

  for (size_t i = 0; i < G_N_ELEMENTS (defaults); i++)
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_spin (prefs, defaults[i].label))),
                       ==, defaults[i].value);
  backup = hs_gui_test_find_accessible (prefs, GTK_TYPE_SWITCH, "Daily backups");
  g_assert_nonnull (backup);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (backup)));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (hs_gui_test_find_accessible (prefs, GTK_TYPE_SWITCH, "Roll up old trades and quotes"))));

  /* Widget → settings. */
  snapshot = find_spin (prefs, "Snapshot interval");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (snapshot), 20);
  g_assert_cmpint (g_settings_get_int (settings, "poll-snapshot-seconds"), ==, 20);
  gtk_switch_set_active (GTK_SWITCH (backup), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "backup-enabled"));
  keep = find_spin (prefs, "Backups to keep");
  g_assert_false (gtk_widget_get_sensitive (keep));   /* follows the switch */
  gtk_switch_set_active (GTK_SWITCH (backup), TRUE);
  g_assert_true (gtk_widget_get_sensitive (keep));

  /* Settings → widget. */
  g_settings_set_int (settings, "backup-keep", 12);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (keep)), ==, 12);

  hs_gui_test_screenshot (prefs, "preferences-general.png");

  /* The models: a valid text is stored, an invalid one is marked and not stored. */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "backtests");
  fee = ADW_ENTRY_ROW (hs_test_find_widget (prefs, ADW_TYPE_ENTRY_ROW));
  g_assert_nonnull (fee);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fee)), ==, "none");
  gtk_editable_set_text (GTK_EDITABLE (fee), "bps:5");
  fee_text = g_settings_get_string (settings, "default-fee-model");
  g_assert_cmpstr (fee_text, ==, "bps:5");
  gtk_editable_set_text (GTK_EDITABLE (fee), "bps:");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (fee), "error"));
  g_clear_pointer (&fee_text, g_free);
  fee_text = g_settings_get_string (settings, "default-fee-model");
  g_assert_cmpstr (fee_text, ==, "bps:5");
  gtk_editable_set_text (GTK_EDITABLE (fee), "per-share:0.005");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (fee), "error"));
  slip_text = g_settings_get_string (settings, "default-slippage-model");
  g_assert_cmpstr (slip_text, ==, "bps:0");
  /* The slippage row, below: bps:X is taken; half-spread parses but the setup cannot use it. */
  {
    GtkWidget *slippage = gtk_widget_get_next_sibling (GTK_WIDGET (fee));

    g_assert_true (ADW_IS_ENTRY_ROW (slippage));
    gtk_editable_set_text (GTK_EDITABLE (slippage), "bps:2.5");
    g_clear_pointer (&slip_text, g_free);
    slip_text = g_settings_get_string (settings, "default-slippage-model");
    g_assert_cmpstr (slip_text, ==, "bps:2.5");
    gtk_editable_set_text (GTK_EDITABLE (slippage), "half-spread");
    g_assert_true (gtk_widget_has_css_class (slippage, "error"));
    g_clear_pointer (&slip_text, g_free);
    slip_text = g_settings_get_string (settings, "default-slippage-model");
    g_assert_cmpstr (slip_text, ==, "bps:2.5");
    gtk_editable_set_text (GTK_EDITABLE (slippage), "bps:0");
  }
  hs_test_wait_for_frames (prefs, 3);
  hs_gui_test_screenshot (prefs, "preferences-backtests.png");

  /* Tokens: one row per provider with a token variable (tradier is one: docs/fetch.md). */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "tokens");
  g_assert_nonnull (hs_preferences_get_token_row (HS_PREFERENCES (prefs), "tradier"));
  g_assert_null (hs_preferences_get_token_row (HS_PREFERENCES (prefs), "no-such-provider"));
  while (hs_preferences_get_pending (HS_PREFERENCES (prefs)) > 0)
    g_main_context_iteration (NULL, TRUE);
  /* Without a Secret Service (this test's session) the lookup says so; never a token. */
  g_assert_nonnull (hs_preferences_get_token_status (HS_PREFERENCES (prefs), "tradier"));
  hs_test_wait_for_frames (prefs, 3);
  hs_gui_test_screenshot (prefs, "preferences-tokens.png");

  /* Every control has a name, the view switcher's page buttons included. */
  hs_test_assert_controls_named (prefs, &n_checked);
  /* 6 spin buttons, 2 switches, 2 entries, per token provider an entry and a button. */
  g_assert_cmpuint (n_checked, >=, 10);
  gtk_window_destroy (GTK_WINDOW (prefs));
  hs_test_reset_settings ();
}

static void
test_poll_period (void)
{
  g_autoptr(GSettings) settings = hs_settings_new ();

  hs_test_reset_settings ();
  /* 0: the poller's own pace (hs-poller.c: Kalshi snapshots 5 s, others 15 s, candles 60 s,
   * trades 30 s). */
  g_assert_cmpfloat (hs_preferences_poll_period (settings, "kalshi", HS_FETCH_SNAPSHOTS), ==, 5);
  g_assert_cmpfloat (hs_preferences_poll_period (settings, "tradier", HS_FETCH_SNAPSHOTS), ==, 15);
  g_assert_cmpfloat (hs_preferences_poll_period (settings, "kraken", HS_FETCH_CANDLES), ==, 60);
  g_settings_set_int (settings, "poll-snapshot-seconds", 20);
  g_settings_set_int (settings, "poll-candle-seconds", 300);
  g_assert_cmpfloat (hs_preferences_poll_period (settings, "kalshi", HS_FETCH_SNAPSHOTS), ==, 20);
  g_assert_cmpfloat (hs_preferences_poll_period (settings, "kraken", HS_FETCH_CANDLES), ==, 300);
  /* Other kinds keep the poller's pace. */
  g_assert_cmpfloat (hs_preferences_poll_period (settings, "kraken", HS_FETCH_TRADES), ==, 30);
  g_assert_cmpfloat (hs_preferences_poll_period (NULL, "kraken", HS_FETCH_CANDLES), ==, 60);
  hs_test_reset_settings ();
}

static void
test_setup_defaults (void)
{
  g_autoptr(GSettings) settings = hs_settings_new ();
  GtkWidget *setup = NULL;
  GtkWidget *window = NULL;
  GtkWidget *fee = NULL;

  hs_test_reset_settings ();
  g_settings_set_string (settings, "default-fee-model", "per-order:1.5");
  g_settings_set_string (settings, "default-slippage-model", "bps:2.5");
  setup = hs_backtest_setup_new ();
  window = hs_gui_test_window (setup, 900, 900);
  fee = hs_gui_test_find_accessible (setup, GTK_TYPE_DROP_DOWN, "Fee model");
  g_assert_nonnull (fee);
  /* The setup's fee list: None, Interactive Brokers, Basis points, Per order, Per share. */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (fee)), ==, 3);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_spin (setup, "Fee amount"))),
                     ==, 1.5);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_spin (setup, "Slippage in basis points"))),
                     ==, 2.5);
  gtk_window_destroy (GTK_WINDOW (window));
  hs_test_reset_settings ();
}

static void
test_about (void)
{
  GtkWidget *about = hs_about_window_new (NULL);

  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_website (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_URL);
  g_assert_true (g_str_has_suffix (adw_about_window_get_issue_url (ADW_ABOUT_WINDOW (about)),
                                   "/issues"));
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                   "Hindsight");
  g_assert_nonnull (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)));
  gtk_window_set_default_size (GTK_WINDOW (about), 420, 560);
  gtk_window_present (GTK_WINDOW (about));
  hs_test_wait_for_frames (about, 3);
  hs_gui_test_screenshot (about, "about.png");
  gtk_window_destroy (GTK_WINDOW (about));
}

/* ---- Notifications ---- */

/* A notification server on the test's session bus (dbus-run-session): what GIO's
 * freedesktop backend sends arrives here, and ActionInvoked answers it as a click would. */
static const char notify_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/>"
  "<arg type='i' direction='in'/><arg type='u' direction='out'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/></method>"
  "<signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "<signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "</interface></node>";

typedef struct
{
  GDBusConnection *bus;
  guint            received;
  guint32          last_id;
  char            *summary;   /* (owned) the last notification's */
  char            *body;      /* (owned) */
  gboolean         owned;
} FakeServer;

static FakeServer server;

static void
server_method_cb (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *path,
                  const char            *interface,
                  const char            *method,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               data)
{
  if (g_str_equal (method, "Notify"))
    {
      const char *summary = NULL, *body = NULL;

      g_variant_get (parameters, "(&su&s&s&s@as@a{sv}i)", NULL, NULL, NULL, &summary, &body,
                     NULL, NULL, NULL);
      g_free (server.summary);
      g_free (server.body);
      server.summary = g_strdup (summary);
      server.body = g_strdup (body);
      server.received++;
      server.last_id = server.received;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", server.last_id));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "hs",
                                                                      "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
server_name_cb (GDBusConnection *connection,
                const char      *name,
                gpointer         data)
{
  server.owned = TRUE;
}

static void
server_start (void)
{
  static const GDBusInterfaceVTable vtable = { server_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notify_xml, NULL);
  g_autoptr(GError) error = NULL;

  server.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (server.bus, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (server.bus, "org.freedesktop.Notifications",
                                G_BUS_NAME_OWNER_FLAGS_NONE, server_name_cb, NULL, NULL, NULL);
  while (!server.owned)
    g_main_context_iteration (NULL, TRUE);
}

/* Waits until the server has received @n notifications. */
static void
server_wait (guint n)
{
  while (server.received < n)
    g_main_context_iteration (NULL, TRUE);
}

/* Clicks the last notification: the server says its default action was invoked. */
static void
server_click (void)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (server.bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", server.last_id, "default"), &error);
  g_assert_no_error (error);
}

static void
wait_for_page (HsWindow   *window,
               const char *page)
{
  while (g_strcmp0 (hs_window_get_visible_page (window), page) != 0)
    g_main_context_iteration (NULL, TRUE);
}

static guint
wait_for_notification (guint before)
{
  /* The scan runs on a worker; its result arrives on the main loop. */
  for (int i = 0; i < 2000 && hs_notify_get_count () == before; i++)
    g_main_context_iteration (NULL, TRUE);
  return hs_notify_get_count ();
}

static void
scan_and_settle (HsWindow *window)
{
  guint before = hs_notify_get_count ();

  hs_notify_scan (window);
  /* A scan that notifies nothing: let it finish (a few hundred turns is plenty). */
  for (int i = 0; i < 200 && hs_notify_get_count () == before; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
}

static void
test_notifications (void)
{
  g_autofree char *path = hs_test_temp_path ("notify.db");
  g_autoptr(GtkApplication) app = gtk_application_new ("io.github.hindsight.TestNotify",
                                                       G_APPLICATION_NON_UNIQUE);
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GPtrArray) closed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsPaperTrade) trade = NULL;
  g_autoptr(HsAlert) alert = hs_alert_new ();
  HsPaperOpenRequest req = { 0 };
  const HsNotifyRecord *last = NULL;
  HsWindow *window = NULL;
  int64_t t0 = hs_test_utc (2026, 11, 2, 0, 0);
  int64_t inst;
  guint count;

  server_start ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  hs_notify_install (G_APPLICATION (app));

  /* A database with a long paper trade at 100 with its stop at 95, and one daily bar. */
  store = hs_test_store_open (path);
  inst = hs_test_store_instrument (store, "ACME", "test", "stock");
  hs_test_store_add_bar (store, inst, "1d", t0, 100);
  req.symbol = (char *) "ACME";
  req.exchange = (char *) "test";
  req.side = HS_PAPER_LONG;
  req.quantity = 10;
  req.price = 100;
  req.at = t0 + G_USEC_PER_SEC;
  req.stop_loss = 95;
  req.take_profit = NAN;
  trade = hs_paper_open (store, &req, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (trade);

  hs_test_reset_settings ();
  window = hs_window_new (app, path);
  gtk_window_present (GTK_WINDOW (window));
  hs_test_wait_for_load (window);
  /* The first scan learns what is there: nothing to say yet. */
  count = hs_notify_get_count ();
  scan_and_settle (window);
  g_assert_cmpuint (hs_notify_get_count (), ==, count);

  /* The next day's bar closes at 90 (low 89, hs_test_store_add_bar): below the stop. */
  hs_test_store_add_bar (store, inst, "1d", t0 + (int64_t) 86400 * G_USEC_PER_SEC, 90);
  g_assert_true (hs_paper_check_exits (store, inst, &closed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (closed->len, ==, 1);
  hs_notify_scan (window);
  g_assert_cmpuint (wait_for_notification (count), ==, count + 1);
  last = hs_notify_get_last ();
  g_assert_nonnull (last);
  {
    g_autofree char *id = g_strdup_printf ("paper-%" G_GINT64_FORMAT, trade->id);

    g_assert_cmpstr (last->id, ==, id);
  }
  g_assert_cmpstr (last->title, ==, "ACME: stop loss hit");
  g_assert_cmpstr (last->page, ==, "trades");
  /* It reached the desktop's notification server … */
  server_wait (1);
  g_assert_cmpstr (server.summary, ==, "ACME: stop loss hit");
  /* The bar opens at 90, below the stop at 95: a gap through, so the exit is at the open
   * (docs/paper-trades.md), and the P&L of 10 shares is (90 - 100) × 10 = -100, no fees. */
  g_assert_cmpstr (server.body, ==, "Paper trade 1 (long) closed at 90.00, P&L -100.00");
  /* … and clicking it (its default action, app.show-page('trades')) shows the Trades page. */
  hs_window_show_page (window, "overview");
  server_click ();
  wait_for_page (window, "trades");

  /* Scanning again finds the same trade: no second notification. */
  count = hs_notify_get_count ();
  scan_and_settle (window);
  g_assert_cmpuint (hs_notify_get_count (), ==, count);

  /* A provider failing repeatedly: the provider_error alert the fetch code raises. */
  alert->ts = t0;
  g_free (alert->kind);
  alert->kind = g_strdup ("provider_error");
  g_free (alert->severity);
  alert->severity = g_strdup ("error");
  alert->title = g_strdup ("kalshi failing: 3 calls in a row");
  alert->message = g_strdup ("HTTP 503");
  alert->source = g_strdup ("fetch.kalshi");
  g_assert_true (hs_store_add_alert (store, alert, NULL, &error));
  g_assert_no_error (error);
  hs_notify_scan (window);
  g_assert_cmpuint (wait_for_notification (count), ==, count + 1);
  last = hs_notify_get_last ();
  g_assert_cmpstr (last->id, ==, "provider-error");
  g_assert_cmpstr (last->title, ==, "kalshi failing: 3 calls in a row");
  g_assert_cmpstr (last->body, ==, "HTTP 503");
  g_assert_cmpstr (last->page, ==, "data");
  server_wait (2);
  g_assert_cmpstr (server.summary, ==, "kalshi failing: 3 calls in a row");
  server_click ();
  wait_for_page (window, "data");

  hs_test_close_window (window);

  /* Long jobs: with no window focused (none left), 11 s notifies, 9 s does not. */
  count = hs_notify_get_count ();
  hs_notify_job_finished (G_APPLICATION (app), "[hindsight] import", (int64_t) 9 * G_USEC_PER_SEC, TRUE);
  g_assert_cmpuint (hs_notify_get_count (), ==, count);
  hs_notify_job_finished (G_APPLICATION (app), "[hindsight] import", (int64_t) 11 * G_USEC_PER_SEC, TRUE);
  g_assert_cmpuint (hs_notify_get_count (), ==, count + 1);
  last = hs_notify_get_last ();
  g_assert_cmpstr (last->title, ==, "Import finished");
  g_assert_cmpstr (last->body, ==, "It took 11 seconds.");
  g_assert_cmpstr (last->page, ==, "data");
  g_assert_cmpstr (hs_notify_page_for_job ("hs-fetch"), ==, "data");
  g_assert_cmpstr (hs_notify_page_for_job ("[hindsight] label"), ==, "trades");
  g_assert_cmpstr (hs_notify_page_for_job ("hs-sweep-job"), ==, "backtests");
  g_assert_cmpstr (hs_notify_page_for_job ("[hindsight] overview"), ==, "overview");

  server_wait (3);
  g_assert_cmpstr (server.summary, ==, "Import finished");
  g_assert_cmpstr (server.body, ==, "It took 11 seconds.");

  /* The application goes: so does the hook hs_notify_install() set. */
  hs_job_set_finished_func (NULL, NULL);
  g_clear_pointer (&store, hs_store_close);
  g_clear_pointer (&server.summary, g_free);
  g_clear_pointer (&server.body, g_free);
  g_clear_object (&server.bus);
  hs_test_reset_settings ();
}

/* ---- The hook every hs_job_run_async() job reports to when it finishes ---- */

typedef struct
{
  char     *name;
  int64_t   elapsed;
  gboolean  success;
  guint     calls;
  gboolean  done;
} HookRecord;

static void
hook_cb (const char *name,
         int64_t     elapsed_us,
         gboolean    success,
         gpointer    data)
{
  HookRecord *h = data;

  g_free (h->name);
  h->name = g_strdup (name);
  h->elapsed = elapsed_us;
  h->success = success;
  h->calls++;
}

static gpointer
job_ok (HsStore *store, gconstpointer request, HsJobProgressFunc progress, gpointer pdata,
        GCancellable *cancellable, GError **error)
{
  return g_strdup ("done");
}

static gpointer
job_fails (HsStore *store, gconstpointer request, HsJobProgressFunc progress, gpointer pdata,
           GCancellable *cancellable, GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "refused");
  return NULL;
}

static void
job_done_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  HookRecord *h = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *result = hs_job_run_finish (res, g_task_get_source_tag (G_TASK (res)), &error);

  h->done = TRUE;
}

static void
test_job_hook (void)
{
  g_autofree char *path = hs_test_temp_path ("hook.db");
  g_autoptr(HsStore) store = hs_test_store_open (path);
  HookRecord h = { 0 };

  hs_job_set_finished_func (hook_cb, &h);
  hs_job_run_async (path, NULL, NULL, job_ok, g_free, NULL, NULL, NULL, job_done_cb, &h, job_ok,
                    "[hindsight] import");
  while (!h.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (h.calls, ==, 1);
  g_assert_cmpstr (h.name, ==, "[hindsight] import");
  g_assert_true (h.success);
  g_assert_cmpint (h.elapsed, >=, 0);

  h.done = FALSE;
  hs_job_run_async (path, NULL, NULL, job_fails, g_free, NULL, NULL, NULL, job_done_cb, &h,
                    job_fails, "hs-fetch");
  while (!h.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (h.calls, ==, 2);
  g_assert_cmpstr (h.name, ==, "hs-fetch");
  g_assert_false (h.success);
  hs_job_set_finished_func (NULL, NULL);
  g_free (h.name);
}

/* ---- The token rows with a real keyring (tests/keyring-session.sh; built with
 * HS_TEST_KEYRING, see tests/gui/meson.build) ---- */

#define TOKEN "pref-row-91c4e7"

static void
wait_pending (HsPreferences *prefs)
{
  while (hs_preferences_get_pending (prefs) > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_token_keyring (void)
{
  GtkWidget *prefs = NULL;
  AdwEntryRow *row = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *after = NULL;

  g_unsetenv ("HINDSIGHT_TRADIER_TOKEN");
  prefs = hs_preferences_new (NULL);
  gtk_window_present (GTK_WINDOW (prefs));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "tokens");
  wait_pending (HS_PREFERENCES (prefs));
  g_assert_cmpstr (hs_preferences_get_token_status (HS_PREFERENCES (prefs), "tradier"), ==,
                   "Not stored");

  /* Typed and applied: saved in the keyring on a worker, the field emptied. */
  row = hs_preferences_get_token_row (HS_PREFERENCES (prefs), "tradier");
  gtk_editable_set_text (GTK_EDITABLE (row), TOKEN);
  g_signal_emit_by_name (row, "apply");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  wait_pending (HS_PREFERENCES (prefs));
  g_assert_cmpstr (hs_preferences_get_token_status (HS_PREFERENCES (prefs), "tradier"), ==,
                   "Stored");
  stored = hs_keyring_lookup ("tradier", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, TOKEN);
  /* No label of the window shows it. */
  hs_test_collect_labels (prefs, texts);
  for (guint i = 0; i < texts->len; i++)
    g_assert_null (strstr (texts->pdata[i], TOKEN));
  hs_gui_test_screenshot (prefs, "preferences-token-stored.png");

  /* Removed. */
  hs_preferences_remove_token (HS_PREFERENCES (prefs), "tradier");
  wait_pending (HS_PREFERENCES (prefs));
  g_assert_cmpstr (hs_preferences_get_token_status (HS_PREFERENCES (prefs), "tradier"), ==,
                   "Not stored");
  after = hs_keyring_lookup ("tradier", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (after);
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* The environment overrides the keyring: the row says where the token comes from. */
  g_setenv ("HINDSIGHT_TRADIER_TOKEN", "from-the-environment", TRUE);
  prefs = hs_preferences_new (NULL);
  wait_pending (HS_PREFERENCES (prefs));
  g_assert_cmpstr (hs_preferences_get_token_status (HS_PREFERENCES (prefs), "tradier"), ==,
                   "Set in HINDSIGHT_TRADIER_TOKEN");
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_unsetenv ("HINDSIGHT_TRADIER_TOKEN");
}

#ifdef HS_TEST_KEYRING
static const gboolean keyring_build = TRUE;
#else
static const gboolean keyring_build = FALSE;
#endif

int
main (int    argc,
      char **argv)
{
  hs_gui_test_init (&argc, &argv);

  /* Built with HS_TEST_KEYRING it runs inside a private keyring and tests the token rows
   * alone; else everything else, without touching a keyring. */
  if (keyring_build)
    {
      g_test_add_func ("/hs/ui/preferences/token-keyring", test_token_keyring);
      return g_test_run ();
    }

  g_test_add_func ("/hs/ui/preferences/bindings", test_bindings);
  g_test_add_func ("/hs/ui/preferences/poll-period", test_poll_period);
  g_test_add_func ("/hs/ui/preferences/setup-defaults", test_setup_defaults);
  g_test_add_func ("/hs/ui/preferences/about", test_about);
  g_test_add_func ("/hs/ui/notify/notifications", test_notifications);
  g_test_add_func ("/hs/ui/notify/job-hook", test_job_hook);
  return g_test_run ();
}
