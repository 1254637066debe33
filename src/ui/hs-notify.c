/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Desktop notifications (GNotification through g_application_send_notification()):
 *
 * - a paper trade closed by its stop loss or take profit (hs_paper_check_exits() on new bars,
 *   from a fetch, an import or `hindsight-cli paper check`): opens the Trades page;
 * - a provider failing repeatedly (the provider_error alert the fetch code raises after three
 *   failed calls in a row): opens the Data page;
 * - a job that ran longer than ten seconds and finished while no window had the focus.
 *
 * The first two are found by scanning the window's database on a worker whenever the window
 * (re)loads it and every half minute, so a poller or a CLI running beside the app is noticed
 * as well; the first scan of a database only learns what is there already. Every notification
 * also goes to a record tests can read (hs_notify_get_last()).
 */
#define G_LOG_DOMAIN "hs-notify"

#include "config.h"

#include "hs-notify.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hs-backtest-page.h"
#include "hs-job-worker.h"
#include "hs-paper-trade.h"
#include "hs-store-alerts.h"
#include "hs-store-health.h"
#include "hs-store-paper.h"
#include "hs-ui.h"

/* How often a window looks for new stop/target hits and provider failures. */
#define SCAN_EVERY_S 30

static HsNotifyRecord last_record;
static guint n_sent;

static void
record_clear (HsNotifyRecord *r)
{
  g_clear_pointer (&r->id, g_free);
  g_clear_pointer (&r->title, g_free);
  g_clear_pointer (&r->body, g_free);
  g_clear_pointer (&r->page, g_free);
}

static void
record_free (gpointer data)
{
  HsNotifyRecord *r = data;

  record_clear (r);
  g_free (r);
}

/**
 * hs_notify_send:
 * @app: (nullable): the application; %NULL (a window without one, in tests): recorded only
 * @id: the notification's id: a newer one with the same id replaces it
 * @body: (nullable): the text under the title
 * @page: the page of the window its default action shows (app.show-page)
 *
 * Sends a notification whose default action opens @page.
 */
void
hs_notify_send (GApplication *app,
                const char   *id,
                const char   *title,
                const char   *body,
                const char   *page)
{
  g_autoptr(GNotification) n = NULL;

  g_return_if_fail (id != NULL && title != NULL && page != NULL);
  g_assert (hs_is_main_thread ());

  record_clear (&last_record);
  last_record.id = g_strdup (id);
  last_record.title = g_strdup (title);
  last_record.body = g_strdup (body);
  last_record.page = g_strdup (page);
  n_sent++;
  g_debug ("notification %s: %s", id, title);

  if (app == NULL || !g_application_get_is_registered (app) || g_application_get_is_remote (app))
    return;
  n = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (n, body);
  g_notification_set_default_action_and_target (n, "app.show-page", "s", page);
  g_application_send_notification (app, id, n);
}

/* Returns: (transfer none) (nullable): the notification sent last */
const HsNotifyRecord *
hs_notify_get_last (void)
{
  return last_record.id != NULL ? &last_record : NULL;
}

/* Returns: how many notifications were sent since the program started */
guint
hs_notify_get_count (void)
{
  return n_sent;
}

/* ------------------------------------------------------------------------------------------ */
/* app.show-page and long jobs                                                                 */

static HsWindow *
find_window (GtkApplication *app)
{
  GtkWindow *active = gtk_application_get_active_window (app);

  if (active != NULL && HS_IS_WINDOW (active))
    return HS_WINDOW (active);
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (HS_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
show_page_cb (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  HsWindow *window = find_window (GTK_APPLICATION (user_data));

  if (window == NULL)
    return;
  hs_window_show_page (window, g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (window));
}

static void
job_finished_cb (const char *name,
                 int64_t     elapsed_us,
                 gboolean    success,
                 gpointer    user_data)
{
  hs_notify_job_finished (G_APPLICATION (user_data), name, elapsed_us, success);
}

/**
 * hs_notify_install:
 *
 * Gives @app the action show-page(NAME) that notifications open, and has every job run with
 * hs_job_run_async() report when it finishes (hs_notify_job_finished()).
 */
void
hs_notify_install (GApplication *app)
{
  g_autoptr(GSimpleAction) show = g_simple_action_new ("show-page", G_VARIANT_TYPE_STRING);

  g_return_if_fail (GTK_IS_APPLICATION (app));
  g_signal_connect_object (show, "activate", G_CALLBACK (show_page_cb), app, 0);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (show));
  hs_job_set_finished_func (job_finished_cb, app);
}

/* What a job's notification says and where it leads, by the job's name (hs_job_run_async()). */
static const struct
{
  const char *name;
  const char *title;
  const char *failed;
  const char *page;
} job_kinds[] = {
  { "import", N_("Import finished"), N_("Import failed"), "data" },
  { "fetch", N_("Download finished"), N_("Download failed"), "data" },
  { "retention", N_("Retention finished"), N_("Retention failed"), "data" },
  { "label", N_("Labeling finished"), N_("Labeling failed"), "trades" },
  { "backtest", N_("Backtest finished"), N_("Backtest failed"), "backtests" },
  { "sweep", N_("Sweep finished"), N_("Sweep failed"), "backtests" },
  { "runs", N_("Backtest runs read"), N_("Reading backtest runs failed"), "backtests" },
};

/* Returns: the page a finished job's notification opens: data, trades, backtests or overview */
const char *
hs_notify_page_for_job (const char *name)
{
  for (size_t i = 0; name != NULL && i < G_N_ELEMENTS (job_kinds); i++)
    if (strstr (name, job_kinds[i].name) != NULL)
      return job_kinds[i].page;
  return "overview";
}

static gboolean
any_window_active (GtkApplication *app)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (gtk_window_is_active (l->data))
      return TRUE;
  return FALSE;
}

/**
 * hs_notify_job_finished:
 * @name: (nullable): the job's name ("[hindsight] import", "hs-fetch" …)
 * @elapsed_us: how long it ran
 *
 * Notifies that a job finished when it ran longer than %HS_NOTIFY_LONG_JOB_US and no window of
 * @app has the focus; does nothing otherwise.
 */
void
hs_notify_job_finished (GApplication *app,
                        const char   *name,
                        int64_t       elapsed_us,
                        gboolean      success)
{
  const char *title = success ? N_("A job finished") : N_("A job failed");
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;

  g_return_if_fail (GTK_IS_APPLICATION (app));
  if (elapsed_us <= HS_NOTIFY_LONG_JOB_US || any_window_active (GTK_APPLICATION (app)))
    return;
  for (size_t i = 0; name != NULL && i < G_N_ELEMENTS (job_kinds); i++)
    if (strstr (name, job_kinds[i].name) != NULL)
      {
        title = success ? job_kinds[i].title : job_kinds[i].failed;
        break;
      }
  /* Translators: a notification's text, "It took 42 seconds." */
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "It took %d second.",
                                       "It took %d seconds.",
                                       (unsigned long) (elapsed_us / G_USEC_PER_SEC)),
                          (int) (elapsed_us / G_USEC_PER_SEC));
  id = g_strdup_printf ("job-%s", hs_notify_page_for_job (name));
  hs_notify_send (app, id, _(title), body, hs_notify_page_for_job (name));
}

/* ------------------------------------------------------------------------------------------ */
/* Scanning a window's database                                                                */

typedef struct
{
  GWeakRef      window;
  GCancellable *cancellable;  /* (owned) (nullable) the scan in flight */
  char         *db_path;      /* (owned) (nullable) the database the seen set belongs to */
  GHashTable   *seen;         /* (owned) keys of what was found before */
  gboolean      baseline;     /* the next scan only learns what is there */
  guint         timer;
  int64_t       run_started;  /* monotonic µs: the backtest page's run in flight; 0: none */
} Watch;

static void
watch_free (gpointer data)
{
  Watch *w = data;

  g_cancellable_cancel (w->cancellable);
  g_clear_object (&w->cancellable);
  g_clear_handle_id (&w->timer, g_source_remove);
  g_weak_ref_clear (&w->window);
  g_free (w->db_path);
  g_hash_table_unref (w->seen);
  g_free (w);
}

/* One thing worth a notification, found by the worker: HsNotifyRecord with the key as id. */
static HsNotifyRecord *
found_new (char       *key,
           char       *title,
           char       *body,
           const char *page)
{
  HsNotifyRecord *r = g_new0 (HsNotifyRecord, 1);

  r->id = key;
  r->title = title;
  r->body = body;
  r->page = g_strdup (page);
  return r;
}

/* The worker: closed paper trades whose exit was their stop or target, and open
 * provider_error alerts. */
static gpointer
scan_run (HsStore          *store,
          gconstpointer     request,
          HsJobProgressFunc progress,
          gpointer          progress_data,
          GCancellable     *cancellable,
          GError          **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (record_free);
  g_autoptr(GPtrArray) trades = hs_store_paper_list (store, HS_PAPER_LIST_CLOSED, 0, error);
  g_autoptr(GPtrArray) alerts = NULL;

  if (trades == NULL)
    return NULL;
  for (guint i = 0; i < trades->len; i++)
    {
      const HsPaperTrade *t = trades->pdata[i];
      gboolean stop = g_strcmp0 (t->exit_reason, "stop_loss") == 0;
      const char *symbol = t->symbol != NULL ? t->symbol : "?";

      if (!stop && g_strcmp0 (t->exit_reason, "take_profit") != 0)
        continue;
      g_ptr_array_add (out, found_new (
        g_strdup_printf ("paper-%" G_GINT64_FORMAT, t->id),
        /* Translators: a notification's title, "AAPL: stop loss hit" */
        g_strdup_printf (stop ? _("%s: stop loss hit") : _("%s: take profit hit"), symbol),
        /* Translators: "Paper trade 12 (long) closed at 101.50, P&L -12.30" */
        g_strdup_printf (_("Paper trade %" G_GINT64_FORMAT " (%s) closed at %.2f, P&L %.2f"),
                         t->id, hs_paper_side_to_string (t->side), t->exit_price, t->pnl),
        "trades"));
    }
  alerts = hs_store_open_alerts (store, error);
  if (alerts == NULL)
    return NULL;
  for (guint i = 0; i < alerts->len; i++)
    {
      const HsAlert *a = alerts->pdata[i];

      if (g_strcmp0 (a->kind, "provider_error") != 0)
        continue;
      g_ptr_array_add (out, found_new (g_strdup_printf ("alert-%" G_GINT64_FORMAT, a->id),
                                       g_strdup (a->title), g_strdup (a->message), "data"));
    }
  return g_steal_pointer (&out);
}

static void
scan_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsWindow) window = g_weak_ref_get (&data->owner);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  Watch *w = NULL;
  GtkApplication *app = NULL;

  found = hs_job_run_finish (res, scan_run, &error);
  if (window == NULL)
    return;
  w = g_object_get_data (G_OBJECT (window), "hs-notify-watch");
  if (w == NULL || data->cancellable != w->cancellable)
    return;
  g_clear_object (&w->cancellable);
  if (found == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("scan for notifications failed: %s", error->message);
      return;
    }
  app = gtk_window_get_application (GTK_WINDOW (window));
  for (guint i = 0; i < found->len; i++)
    {
      const HsNotifyRecord *r = found->pdata[i];

      if (!g_hash_table_add (w->seen, g_strdup (r->id)) || w->baseline)
        continue;
      if (g_str_has_prefix (r->id, "alert-"))
        hs_notify_send (G_APPLICATION (app), "provider-error", r->title, r->body, r->page);
      else
        hs_notify_send (G_APPLICATION (app), r->id, r->title, r->body, r->page);
    }
  w->baseline = FALSE;
}

/**
 * hs_notify_scan:
 *
 * Looks for stop/target hits and provider failures in @window's database on a worker now,
 * notifying about those not seen before (the first scan of a database notifies about none).
 */
void
hs_notify_scan (HsWindow *window)
{
  Watch *w = g_object_get_data (G_OBJECT (window), "hs-notify-watch");
  const char *path = hs_window_get_database_path (window);

  g_return_if_fail (w != NULL);
  if (g_strcmp0 (path, w->db_path) != 0)
    {
      g_free (w->db_path);
      w->db_path = g_strdup (path);
      g_hash_table_remove_all (w->seen);
      w->baseline = TRUE;
    }
  g_cancellable_cancel (w->cancellable);
  g_clear_object (&w->cancellable);
  if (path == NULL)
    return;
  w->cancellable = g_cancellable_new ();
  hs_job_run_async (path, NULL, NULL, scan_run, (GDestroyNotify) g_ptr_array_unref, NULL, NULL,
                    w->cancellable, scan_cb, hs_ui_job_new (window, w->cancellable), scan_run,
                    "[hindsight] notify-scan");
}

static gboolean
scan_timer_cb (gpointer data)
{
  Watch *w = data;
  g_autoptr(HsWindow) window = g_weak_ref_get (&w->window);

  if (window != NULL && w->cancellable == NULL && hs_window_get_database_path (window) != NULL)
    hs_notify_scan (window);
  return G_SOURCE_CONTINUE;
}

/* Backtests and sweeps run on their own pool, not through hs_job_run_async(): their page's
 * setup says when one starts (running) and ends (finished). */
static void
setup_running_cb (HsBacktestSetup *setup,
                  GParamSpec      *pspec,
                  Watch           *w)
{
  if (hs_backtest_setup_get_running (setup))
    w->run_started = g_get_monotonic_time ();
}

static void
setup_finished_cb (HsBacktestSetup *setup,
                   Watch           *w)
{
  g_autoptr(HsWindow) window = g_weak_ref_get (&w->window);
  GtkApplication *app = window != NULL ? gtk_window_get_application (GTK_WINDOW (window)) : NULL;

  if (app != NULL && w->run_started != 0)
    hs_notify_job_finished (G_APPLICATION (app),
                            hs_backtest_setup_get_sweep (setup) ? "sweep" : "backtest",
                            g_get_monotonic_time () - w->run_started,
                            hs_backtest_setup_get_error_message (setup) == NULL);
  w->run_started = 0;
}

/**
 * hs_notify_attach:
 *
 * Has @window scan its database for notifications each time it has loaded it and every
 * half minute, and report long backtests and sweeps of its Backtests page.
 */
void
hs_notify_attach (HsWindow *window)
{
  Watch *w = g_new0 (Watch, 1);
  GtkWidget *page = NULL;

  g_return_if_fail (HS_IS_WINDOW (window));
  g_weak_ref_init (&w->window, window);
  w->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w->baseline = TRUE;
  w->timer = g_timeout_add_seconds (SCAN_EVERY_S, scan_timer_cb, w);
  g_object_set_data_full (G_OBJECT (window), "hs-notify-watch", w, watch_free);
  g_signal_connect (window, "database-loaded", G_CALLBACK (hs_notify_scan), NULL);
  page = hs_window_get_page (window, "backtests");
  if (page != NULL && HS_IS_BACKTEST_PAGE (page))
    {
      HsBacktestSetup *setup = hs_backtest_page_get_setup (HS_BACKTEST_PAGE (page));

      g_signal_connect (setup, "notify::running", G_CALLBACK (setup_running_cb), w);
      g_signal_connect (setup, "finished", G_CALLBACK (setup_finished_cb), w);
    }
}
