/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fetch watch list on the Data page (docs/ui.md): each provider's state (last success,
 * last error with its message, next poll, requests and errors from its health figures), the
 * watch list's entries with Remove and Backfill, a form that adds an entry (checked as
 * `hindsight-cli watch add` checks it), Start/Stop polling and a backfill with progress and
 * Cancel.
 *
 * The poller runs on a worker thread (hs_poller_async); each finished run reaches this widget
 * only as an event on the main context, after which the panel reads the watch list again on a
 * worker. Stopping cancels the poller's cancellable, which aborts the requests in flight. While
 * polling the state is read again once a second (a few small queries on a worker), so entries
 * added by `hindsight-cli watch add` and the next poll times stay current. New rows (a poll
 * run or a backfill that inserted any) are announced with ::data-fetched, at most once a
 * second, and the window reloads the coverage list and chart.
 */
#define G_LOG_DOMAIN "hs-watch-panel"

#include "config.h"

#include "hs-watch-panel.h"

#include <glib/gi18n.h>

#include "hs-data-page.h"
#include "hs-preferences.h"
#include "hs-settings.h"
#include "hs-time.h"
#include "hs-ui.h"

/* Announce new data at most this often (ms): each announcement reloads the coverage. */
#define DATA_FETCHED_EVERY_MS 1000

struct _HsWatchPanel
{
  AdwBin          parent_instance;

  /* Template children */
  GtkLabel       *status_label;
  GtkButton      *poll_button;
  GtkListBox     *providers_list;
  GtkListBox     *entries_list;
  AdwComboRow    *provider_row;
  AdwComboRow    *kind_row;
  AdwComboRow    *interval_row;
  AdwEntryRow    *symbol_row;
  GtkLabel       *add_error;
  GtkButton      *add_button;
  GtkRevealer    *backfill_revealer;
  GtkLabel       *backfill_title;
  AdwEntryRow    *from_row;
  AdwEntryRow    *to_row;
  GtkProgressBar *backfill_progress;
  GtkButton      *backfill_cancel;
  GtkButton      *backfill_button;
  GtkLabel       *backfill_label;

  char           *db_path;             /* (owned) (nullable) */
  GCancellable   *db_cancellable;      /* (owned) (nullable) reads of this database */
  HsWatchState   *state;               /* (owned) (nullable) the last read */
  gboolean        state_busy;          /* a state job is in flight (one at a time, so the last
                                        * result shown is always the newest state) */
  GQueue          pending_edits;       /* (element-type PendingEdit) edits waiting for it */
  HsWatchEditOp   running_op;          /* what the job in flight edits */
  gboolean        read_again;          /* a read asked for while it ran */
  char           *notice;              /* (owned) (nullable) a failure to show while stopped */
  GHashTable     *provider_rows;       /* (owned) provider name → AdwActionRow (borrowed) */
  GHashTable     *entry_rows;          /* (owned) int64 id → AdwActionRow (borrowed) */
  char           *rows_key;            /* (owned) (nullable) what the rows were built for */
  char           *add_error_text;      /* (owned) (nullable) */

  GCancellable   *poll_cancellable;    /* (owned) (nullable) while polling */
  gboolean        stopping;
  int64_t         poll_now;
  int             poll_attempts;
  int             poll_timeout_s;
  guint           tick_id;
  guint           fetched_id;          /* a pending ::data-fetched */
  int64_t         fetched_at;          /* monotonic time of the last one */

  HsFetchRequest *backfill;            /* (owned) (nullable) the series the form is for */
  GCancellable   *backfill_cancellable; /* (owned) (nullable) while it runs */
  char           *backfill_text;       /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (HsWatchPanel, hs_watch_panel, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_POLLING,
  PROP_BACKFILLING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_STATE_CHANGED,
  SIGNAL_DATA_FETCHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* An edit of the watch list waiting for the state job in flight, with its own copies of the
 * strings. */
typedef struct
{
  HsWatchEdit  edit;
  char        *strings[4];
} PendingEdit;

static void
pending_edit_free (PendingEdit *p)
{
  for (size_t i = 0; i < G_N_ELEMENTS (p->strings); i++)
    g_free (p->strings[i]);
  g_free (p);
}

static PendingEdit *
pending_edit_new (const HsWatchEdit *edit)
{
  PendingEdit *p = g_new0 (PendingEdit, 1);

  p->edit = *edit;
  p->edit.provider = p->strings[0] = g_strdup (edit->provider);
  p->edit.symbol = p->strings[1] = g_strdup (edit->symbol);
  p->edit.kind = p->strings[2] = g_strdup (edit->kind);
  p->edit.interval = p->strings[3] = g_strdup (edit->interval);
  return p;
}

static void render (HsWatchPanel *self);

/* ------------------------------------------------------------------------------------------ */
/* Text                                                                                        */

/* "12:00:05 UTC" today, "2024-03-13 12:00:05 UTC" on another day: the poller's times are
 * UTC, as everywhere in the window. */
static char *
format_time (int64_t ts)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ts / G_USEC_PER_SEC);
  int64_t day = G_USEC_PER_SEC * (int64_t) 86400;

  if (dt == NULL)
    return g_strdup ("?");
  if (ts / day == hs_time_now_us () / day)
    return g_date_time_format (dt, "%H:%M:%S UTC");
  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC");
}

static char *
format_next (HsWatchPanel *self,
             int64_t       next_due,
             int64_t       now)
{
  g_autofree char *at = NULL;
  int64_t in_s;

  if (self->poll_cancellable == NULL)
    return g_strdup (_("next poll when polling starts"));
  if (next_due <= now)
    return g_strdup (_("next poll now"));
  at = format_time (next_due);
  in_s = (next_due - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
  /* Translators: "next poll 2024-03-13 12:00:05 UTC (in 4 s)" */
  return g_strdup_printf (_("next poll %s (in %lld s)"), at, (long long) in_s);
}

static const char *
provider_title (const char *name)
{
  const HsProvider *p = hs_provider_lookup (name);

  return p != NULL ? p->title : name;
}

static const HsProviderStats *
find_stats (HsWatchPanel *self,
            const char   *provider)
{
  for (guint i = 0; self->state != NULL && i < self->state->providers->len; i++)
    {
      const HsProviderStats *s = self->state->providers->pdata[i];

      if (g_str_equal (s->provider, provider))
        return s;
    }
  return NULL;
}

static char *
entry_series (const HsWatchEntry *e)
{
  if (e->interval != NULL)
    return g_strdup_printf ("%s · %s %s", e->symbol, e->kind, e->interval);
  return g_strdup_printf ("%s · %s", e->symbol, e->kind);
}

/* An entry's row: its schedule, what its runs added, last success, next poll, last error. */
static char *
entry_text (HsWatchPanel       *self,
            const HsWatchEntry *e,
            int64_t             now)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *next = NULL;

  g_string_append_printf (text, _("%s · every %g s · "), provider_title (e->provider),
                          e->period_s);
  g_string_append_printf (text, ngettext ("%lld run", "%lld runs", e->runs),
                          (long long) e->runs);
  g_string_append (text, ", ");
  g_string_append_printf (text, ngettext ("%lld row added", "%lld rows added",
                                          e->rows_inserted),
                          (long long) e->rows_inserted);
  g_string_append_c (text, '\n');
  if (e->last_success != 0)
    {
      g_autofree char *at = format_time (e->last_success);

      g_string_append_printf (text, _("last success %s"), at);
    }
  else
    g_string_append (text, _("no success yet"));
  if (!e->enabled)
    g_string_append_printf (text, " · %s", _("switched off"));
  else
    {
      next = format_next (self, e->next_due, now);
      g_string_append_printf (text, " · %s", next);
    }
  if (e->last_error != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, ngettext ("error (%d failure in a row): %s",
                                              "error (%d failures in a row): %s", e->failures),
                              e->failures, e->last_error);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A provider's row: its entries taken together, and its latest health figures. */
static char *
provider_text (HsWatchPanel *self,
               const char   *provider,
               int64_t       now,
               gboolean     *failing)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const HsWatchEntry *last_error = NULL;
  const HsProviderStats *stats = find_stats (self, provider);
  int64_t last_success = 0, next_due = G_MAXINT64;
  int n = 0;

  for (guint i = 0; self->state != NULL && i < self->state->entries->len; i++)
    {
      const HsWatchEntry *e = self->state->entries->pdata[i];

      if (!g_str_equal (e->provider, provider))
        continue;
      n++;
      last_success = MAX (last_success, e->last_success);
      if (e->enabled)
        next_due = MIN (next_due, e->next_due);
      if (e->last_error != NULL && (last_error == NULL || e->last_run > last_error->last_run))
        last_error = e;
    }
  *failing = last_error != NULL;
  g_string_append_printf (text, ngettext ("%d watched series", "%d watched series", n), n);
  g_string_append (text, " · ");
  if (last_success != 0)
    {
      g_autofree char *at = format_time (last_success);

      g_string_append_printf (text, _("last success %s"), at);
    }
  else
    g_string_append (text, _("no success yet"));
  if (next_due != G_MAXINT64)
    {
      g_autofree char *next = format_next (self, next_due, now);

      g_string_append_printf (text, " · %s", next);
    }
  if (stats != NULL)
    {
      g_autofree char *at = format_time (stats->ts);

      g_string_append_c (text, '\n');
      /* Translators: the provider's latest health figures (system_metrics) */
      g_string_append_printf (text, _("health at %s: "), at);
      g_string_append_printf (text, ngettext ("%lld request", "%lld requests",
                                              stats->requests),
                              (long long) stats->requests);
      g_string_append (text, ", ");
      g_string_append_printf (text, ngettext ("%lld error", "%lld errors", stats->errors),
                              (long long) stats->errors);
      g_string_append_printf (text, _(", %lld × HTTP 429"),
                              (long long) stats->http_429);
      if (stats->consecutive_failures > 0)
        g_string_append_printf (text, ngettext (", %d failure in a row",
                                                ", %d failures in a row",
                                                stats->consecutive_failures),
                                stats->consecutive_failures);
    }
  if (last_error != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("last error (%s): %s"), last_error->symbol,
                              last_error->last_error);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the state                                                                           */

static void start_state_job (HsWatchPanel      *self,
                             const HsWatchEdit *edit);

static void
set_notice (HsWatchPanel *self,
            const char   *text)
{
  g_free (self->notice);
  self->notice = g_strdup (text);
}

static void
state_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(HsUiJob) job = user_data;
  g_autoptr(HsWatchPanel) self = g_weak_ref_get (&job->owner);
  g_autoptr(HsWatchState) state = NULL;
  g_autoptr(GError) error = NULL;
  HsWatchEditOp op;

  g_assert (hs_is_main_thread ());

  state = hs_job_watch_finish (res, &error);
  if (self == NULL || job->cancellable != self->db_cancellable)
    return;
  op = self->running_op;
  self->state_busy = FALSE;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (op == HS_WATCH_EDIT_ADD)
        {
          g_clear_pointer (&self->add_error_text, g_free);
          if (error != NULL)
            self->add_error_text = g_strdup (error->message);
          gtk_label_set_text (self->add_error, self->add_error_text ? self->add_error_text : "");
          gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), TRUE);
          if (error == NULL)
            gtk_editable_set_text (GTK_EDITABLE (self->symbol_row), "");
        }
      else if (error != NULL)
        set_notice (self, error->message);
      else if (op == HS_WATCH_EDIT_REMOVE)
        set_notice (self, NULL);
      if (state != NULL)
        {
          hs_watch_state_free (self->state);
          self->state = g_steal_pointer (&state);
        }
      if (self->state != NULL)
        render (self);
      else if (error != NULL)
        gtk_label_set_text (self->status_label, error->message);
      if (self->state != NULL && error == NULL)
        g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
    }

  /* What was asked for meanwhile, in order: the edits, then one read for all the reads. */
  if (!g_queue_is_empty (&self->pending_edits))
    {
      PendingEdit *next = g_queue_pop_head (&self->pending_edits);

      start_state_job (self, &next->edit);
      pending_edit_free (next);
    }
  else if (self->read_again)
    start_state_job (self, NULL);
}

/* Runs @edit (NULL: none) and reads the watch list, the providers' figures and the backfills
 * on a worker. One state job runs at a time: an edit asked for meanwhile waits its turn, and
 * the reads asked for meanwhile become one read after it. */
static void
start_state_job (HsWatchPanel      *self,
                 const HsWatchEdit *edit)
{
  if (self->db_path == NULL)
    return;
  if (self->state_busy)
    {
      if (edit != NULL)
        g_queue_push_tail (&self->pending_edits, pending_edit_new (edit));
      else
        self->read_again = TRUE;
      return;
    }
  if (self->db_cancellable == NULL)
    self->db_cancellable = g_cancellable_new ();
  self->state_busy = TRUE;
  self->read_again = FALSE;
  self->running_op = edit != NULL ? edit->op : HS_WATCH_EDIT_NONE;
  hs_job_watch_async (self->db_path, edit, self->db_cancellable, state_cb,
                      hs_ui_job_new (self, self->db_cancellable));
}

/* Reads the watch list, the providers' figures and the backfills again. */
void
hs_watch_panel_refresh (HsWatchPanel *self)
{
  g_return_if_fail (HS_IS_WATCH_PANEL (self));

  start_state_job (self, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Rendering                                                                                   */

static void
remove_clicked_cb (GtkButton    *button,
                   HsWatchPanel *self)
{
  HsWatchEdit edit = { .op = HS_WATCH_EDIT_REMOVE };

  edit.id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "watch-id"));
  start_state_job (self, &edit);
}

static void
backfill_clicked_cb (GtkButton    *button,
                     HsWatchPanel *self)
{
  hs_watch_panel_show_backfill (self,
                                GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button),
                                                                     "watch-id")));
}

static GtkWidget *
new_row (const char *title)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

static GtkWidget *
row_button (GtkWidget  *row,
            const char *icon,
            const char *label,
            const char *accessible,
            int64_t     id)
{
  GtkWidget *button = icon != NULL ? gtk_button_new_from_icon_name (icon)
                                   : gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, accessible);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_object_set_data (G_OBJECT (button), "watch-id", GSIZE_TO_POINTER ((gsize) id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return button;
}

/* The providers shown, in order: those of the entries, then those with figures only
 * (fetched from the command line). */
static GPtrArray *
provider_names (HsWatchPanel *self)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < self->state->entries->len; i++)
    {
      const HsWatchEntry *e = self->state->entries->pdata[i];

      if (!g_ptr_array_find_with_equal_func (names, e->provider, g_str_equal, NULL))
        g_ptr_array_add (names, e->provider);
    }
  for (guint i = 0; i < self->state->providers->len; i++)
    {
      const HsProviderStats *s = self->state->providers->pdata[i];

      if (!g_ptr_array_find_with_equal_func (names, s->provider, g_str_equal, NULL))
        g_ptr_array_add (names, s->provider);
    }
  return names;
}

/* What decides the rows and their buttons: while it stays the same (a poll run changed only
 * times and counts), the rows are updated in place, so a focused or hovered button stays. */
static char *
rows_key (HsWatchPanel *self,
          GPtrArray    *names)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < self->state->entries->len; i++)
    {
      const HsWatchEntry *e = self->state->entries->pdata[i];

      g_string_append_printf (key, "%" G_GINT64_FORMAT " %s\n", e->id, e->kind);
    }
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (key, "%s\n", (const char *) names->pdata[i]);
  return g_string_free (key, FALSE);
}

static void
build_rows (HsWatchPanel *self,
            GPtrArray    *names)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->providers_list))) != NULL)
    gtk_list_box_remove (self->providers_list, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->entries_list))) != NULL)
    gtk_list_box_remove (self->entries_list, child);
  g_hash_table_remove_all (self->provider_rows);
  g_hash_table_remove_all (self->entry_rows);
  if (self->state == NULL)
    return;

  for (guint i = 0; i < self->state->entries->len; i++)
    {
      const HsWatchEntry *e = self->state->entries->pdata[i];
      g_autofree char *series = entry_series (e);
      g_autofree char *remove = g_strdup_printf (_("Remove %s %s from the watch list"),
                                                 e->provider, series);
      GtkWidget *row = new_row (series);

      if (g_str_equal (e->kind, "candles") || g_str_equal (e->kind, "trades"))
        {
          g_autofree char *what = g_strdup_printf (_("Backfill %s %s"), e->provider, series);
          GtkWidget *b = row_button (row, NULL, _("_Backfill…"), what, e->id);

          g_signal_connect (b, "clicked", G_CALLBACK (backfill_clicked_cb), self);
        }
      g_signal_connect (row_button (row, "user-trash-symbolic", NULL, remove, e->id), "clicked",
                        G_CALLBACK (remove_clicked_cb), self);
      gtk_list_box_append (self->entries_list, row);
      g_hash_table_insert (self->entry_rows, g_memdup2 (&e->id, sizeof e->id), row);
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      GtkWidget *row = new_row (provider_title (name));
      GtkWidget *icon = gtk_image_new ();

      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      g_object_set_data (G_OBJECT (row), "hs-icon", icon);
      gtk_list_box_append (self->providers_list, row);
      g_hash_table_insert (self->provider_rows, g_strdup (name), row);
    }
}

static void
render (HsWatchPanel *self)
{
  int64_t now = hs_time_now_us ();
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *key = NULL;
  int n_enabled = 0;

  if (self->state == NULL)
    {
      build_rows (self, NULL);
      g_clear_pointer (&self->rows_key, g_free);
      return;
    }
  names = provider_names (self);
  key = rows_key (self, names);
  if (g_strcmp0 (key, self->rows_key) != 0)
    {
      build_rows (self, names);
      g_free (self->rows_key);
      self->rows_key = g_steal_pointer (&key);
    }

  for (guint i = 0; i < self->state->entries->len; i++)
    {
      const HsWatchEntry *e = self->state->entries->pdata[i];
      g_autofree char *text = entry_text (self, e, now);
      GtkWidget *row = g_hash_table_lookup (self->entry_rows, &e->id);

      n_enabled += e->enabled;
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      gboolean failing = FALSE;
      g_autofree char *text = provider_text (self, name, now, &failing);
      GtkWidget *row = g_hash_table_lookup (self->provider_rows, name);
      GtkImage *icon = g_object_get_data (G_OBJECT (row), "hs-icon");

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      gtk_image_set_from_icon_name (icon, failing ? "dialog-warning-symbolic"
                                                  : "network-server-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      failing ? _("Failing") : _("Working"), -1);
      if (failing)
        gtk_widget_add_css_class (GTK_WIDGET (icon), "warning");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (icon), "warning");
    }

  if (self->poll_cancellable != NULL)
    {
      g_autofree char *text = NULL;

      if (self->stopping)
        text = g_strdup (_("Stopping: cancelling the requests in flight…"));
      else
        text = g_strdup_printf (ngettext ("Polling %d entry on a background thread.",
                                          "Polling %d entries on a background thread.",
                                          n_enabled), n_enabled);
      gtk_label_set_text (self->status_label, text);
    }
  else if (self->notice != NULL)
    gtk_label_set_text (self->status_label, self->notice);
  else
    gtk_label_set_text (self->status_label,
                        self->state->entries->len == 0
                          ? _("Add what to fetch below, then start polling.")
                          : _("Polling is stopped. Start it to keep the watch list fetched "
                              "while the window is open."));
}

/* ------------------------------------------------------------------------------------------ */
/* The add form                                                                                */

static const char *
selected_string (AdwComboRow *row)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

static const HsProvider *
selected_provider (HsWatchPanel *self)
{
  size_t n = 0;
  const HsProvider *const *all = hs_provider_all (&n);
  guint i = adw_combo_row_get_selected (self->provider_row);

  return i < n ? all[i] : NULL;
}

static void
kind_changed_cb (HsWatchPanel *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->interval_row),
                            g_strcmp0 (selected_string (self->kind_row), "candles") == 0);
}

static void
provider_changed_cb (HsWatchPanel *self)
{
  const HsProvider *p = selected_provider (self);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) intervals = gtk_string_list_new (NULL);

  if (p == NULL)
    return;
  for (int k = 0; k < HS_FETCH_N_KINDS; k++)
    if (hs_provider_supports (p, k))
      gtk_string_list_append (kinds, hs_fetch_kind_to_string (k));
  for (size_t i = 0; i < p->n_intervals; i++)
    gtk_string_list_append (intervals, p->intervals[i].interval);
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  adw_combo_row_set_model (self->interval_row, G_LIST_MODEL (intervals));
  kind_changed_cb (self);
}

static void
add_clicked_cb (HsWatchPanel *self)
{
  const HsProvider *p = selected_provider (self);
  g_autofree char *symbol = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                          self->symbol_row))));
  HsWatchEdit edit = { .op = HS_WATCH_EDIT_ADD };
  HsFetchKind kind;

  if (self->db_path == NULL || p == NULL)
    return;
  edit.provider = p->name;
  edit.kind = selected_string (self->kind_row);
  edit.symbol = symbol;
  if (g_strcmp0 (edit.kind, "candles") == 0)
    edit.interval = selected_string (self->interval_row);
  if (hs_fetch_kind_from_string (edit.kind, &kind))
    {
      g_autoptr(GSettings) settings = hs_settings_new ();

      /* The pace set in Preferences (0 there: the provider's own) */
      edit.every = hs_preferences_poll_period (settings, p->name, kind);
    }
  if (symbol[0] == '\0')
    {
      g_free (self->add_error_text);
      self->add_error_text = g_strdup (_("Type the symbol, as the provider names it "
                                         "(BTC-USD, SPY, a Kalshi ticker)."));
      gtk_label_set_text (self->add_error, self->add_error_text);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), FALSE);
  start_state_job (self, &edit);
}

/* ------------------------------------------------------------------------------------------ */
/* Polling                                                                                     */

static gboolean
data_fetched_cb (gpointer data)
{
  HsWatchPanel *self = data;

  self->fetched_id = 0;
  self->fetched_at = g_get_monotonic_time ();
  g_signal_emit (self, signals[SIGNAL_DATA_FETCHED], 0);
  return G_SOURCE_REMOVE;
}

/* New rows landed: the coverage and chart are reloaded, at most once a second. */
static void
announce_data (HsWatchPanel *self)
{
  int64_t since = (g_get_monotonic_time () - self->fetched_at) / 1000;

  if (self->fetched_id != 0)
    return;
  if (self->fetched_at == 0 || since >= DATA_FETCHED_EVERY_MS)
    data_fetched_cb (self);
  else
    self->fetched_id = g_timeout_add ((guint) (DATA_FETCHED_EVERY_MS - since), data_fetched_cb,
                                      self);
}

/* One finished poller run: new rows reload the window (at most once a second), and the panel
 * reads its figures again. Runs of a poller stopped meanwhile (another database) are dropped. */
static void
poller_event_cb (const HsPollerEvent *event,
                 gpointer             data)
{
  HsUiJob *job = data;
  g_autoptr(HsWatchPanel) self = g_weak_ref_get (&job->owner);

  g_assert (hs_is_main_thread ());
  if (self == NULL || job->cancellable != self->poll_cancellable)
    return;
  if (event->inserted > 0)
    announce_data (self);
  start_state_job (self, NULL);
}

/* Once a second while polling: the figures and "next poll in N s" again, while anyone can see
 * them. */
static gboolean
tick_cb (gpointer data)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (data)))
    hs_watch_panel_refresh (HS_WATCH_PANEL (data));
  return G_SOURCE_CONTINUE;
}

static void
update_poll_button (HsWatchPanel *self)
{
  gtk_button_set_label (self->poll_button, self->poll_cancellable != NULL
                                             ? _("_Stop Polling") : _("_Start Polling"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->poll_button),
                            self->db_path != NULL && !self->stopping);
  if (self->poll_cancellable != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->poll_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->poll_button), "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->poll_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->poll_button), "suggested-action");
    }
}

static void
poll_done_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(HsUiJob) job = user_data;
  g_autoptr(HsWatchPanel) self = g_weak_ref_get (&job->owner);
  g_autoptr(GError) error = NULL;
  HsPollerStats stats = { 0 };
  gboolean ok = hs_poller_finish (res, &stats, &error);

  if (self == NULL || job->cancellable != self->poll_cancellable)
    return;
  g_clear_object (&self->poll_cancellable);
  self->stopping = FALSE;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  update_poll_button (self);
  set_notice (self, ok ? NULL : error->message);
  if (self->state != NULL)
    render (self);
  start_state_job (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLLING]);
}

/**
 * hs_watch_panel_set_request_options:
 * @now: the time the poller's requests are made at (replaying recorded answers); 0 = the clock
 * @attempts: HTTP attempts per request; 0 = the client's default
 * @timeout_s: one attempt's timeout; 0 = the client's default
 *
 * For the next Start: what `hindsight-cli poll --now --attempts --timeout` set.
 */
void
hs_watch_panel_set_request_options (HsWatchPanel *self,
                                    int64_t       now,
                                    int           attempts,
                                    int           timeout_s)
{
  g_return_if_fail (HS_IS_WATCH_PANEL (self));
  self->poll_now = now;
  self->poll_attempts = attempts;
  self->poll_timeout_s = timeout_s;
}

/**
 * hs_watch_panel_start_polling:
 *
 * Starts the poller on a worker thread over the panel's database.
 *
 * Returns: %FALSE when it runs already, is stopping, or no database is open
 */
gboolean
hs_watch_panel_start_polling (HsWatchPanel *self)
{
  HsPollerOptions options = { 0 };

  g_return_val_if_fail (HS_IS_WATCH_PANEL (self), FALSE);
  g_assert (hs_is_main_thread ());

  if (self->poll_cancellable != NULL || self->db_path == NULL)
    return FALSE;
  self->poll_cancellable = g_cancellable_new ();
  set_notice (self, NULL);
  options.db_path = self->db_path;
  options.now = self->poll_now;
  options.attempts = self->poll_attempts;
  options.timeout_s = self->poll_timeout_s;
  hs_poller_async (&options, poller_event_cb, hs_ui_job_new (self, self->poll_cancellable),
                   (GDestroyNotify) hs_ui_job_free, self->poll_cancellable,
                   poll_done_cb, hs_ui_job_new (self, self->poll_cancellable));
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  update_poll_button (self);
  if (self->state != NULL)
    render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLLING]);
  return TRUE;
}

/* Stops the poller: scheduling ends and its requests in flight are aborted; #HsWatchPanel:polling
 * turns FALSE when its thread has finished. */
void
hs_watch_panel_stop_polling (HsWatchPanel *self)
{
  g_return_if_fail (HS_IS_WATCH_PANEL (self));

  if (self->poll_cancellable == NULL || self->stopping)
    return;
  self->stopping = TRUE;
  g_cancellable_cancel (self->poll_cancellable);
  update_poll_button (self);
  if (self->state != NULL)
    render (self);
}

gboolean
hs_watch_panel_get_polling (HsWatchPanel *self)
{
  g_return_val_if_fail (HS_IS_WATCH_PANEL (self), FALSE);
  return self->poll_cancellable != NULL;
}

static void
poll_clicked_cb (HsWatchPanel *self)
{
  if (self->poll_cancellable != NULL)
    hs_watch_panel_stop_polling (self);
  else
    hs_watch_panel_start_polling (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Backfill                                                                                    */

static void
set_backfill_text (HsWatchPanel *self,
                   const char   *text)
{
  g_free (self->backfill_text);
  self->backfill_text = g_strdup (text);
  gtk_label_set_text (self->backfill_label, text != NULL ? text : "");
}

static void
set_backfilling (HsWatchPanel *self,
                 gboolean      on)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->backfill_button), !on);
  gtk_widget_set_sensitive (GTK_WIDGET (self->backfill_cancel), on);
  gtk_widget_set_sensitive (GTK_WIDGET (self->from_row), !on);
  gtk_widget_set_sensitive (GTK_WIDGET (self->to_row), !on);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKFILLING]);
}

static void
backfill_progress_cb (double      fraction,
                      const char *message,
                      gpointer    user_data)
{
  HsUiJob *job = user_data;
  g_autoptr(HsWatchPanel) self = g_weak_ref_get (&job->owner);

  if (self == NULL || job->cancellable != self->backfill_cancellable)
    return;
  gtk_progress_bar_set_fraction (self->backfill_progress, CLAMP (fraction, 0, 1));
  if (message != NULL && message[0] != '\0')
    set_backfill_text (self, message);
}

static void
backfill_done_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(HsUiJob) job = user_data;
  g_autoptr(HsWatchPanel) self = g_weak_ref_get (&job->owner);
  g_autoptr(HsBackfillResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  result = hs_job_backfill_finish (res, &error);
  if (self == NULL || job->cancellable != self->backfill_cancellable)
    return;
  g_clear_object (&self->backfill_cancellable);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup (_("Backfill stopped. What was stored stays; Backfill again goes on from "
                       "there."));
  else if (error != NULL)
    text = g_strdup_printf (_("Backfill failed: %s. Backfill again goes on from the last "
                              "window stored."), error->message);
  else
    {
      gtk_progress_bar_set_fraction (self->backfill_progress, 1.0);
      if (result->up_to_date)
        text = g_strdup (_("The backfill was complete already: nothing to add."));
      else
        /* Translators: "Backfill done: 3 windows, 6 rows (6 new)" */
        text = g_strdup_printf (_("Backfill %s: %lld windows, %lld rows (%lld new)"),
                                result->done ? _("done") : _("not done"),
                                (long long) result->windows, (long long) result->fetch.rows,
                                (long long) result->fetch.inserted);
      if (result->fetch.inserted > 0)
        announce_data (self);
    }
  set_backfill_text (self, text);
  set_backfilling (self, FALSE);
  start_state_job (self, NULL);
}

static void
backfill_start_cb (HsWatchPanel *self)
{
  const char *from = gtk_editable_get_text (GTK_EDITABLE (self->from_row));
  const char *to = gtk_editable_get_text (GTK_EDITABLE (self->to_row));
  g_autoptr(GError) error = NULL;
  HsUiJob *job = NULL;

  if (self->backfill == NULL || self->db_path == NULL || self->backfill_cancellable != NULL)
    return;
  if (!hs_time_parse_bound (from, FALSE, &self->backfill->from, &error))
    {
      g_autofree char *text = g_strdup_printf (_("From: %s"), error->message);

      set_backfill_text (self, text);
      return;
    }
  self->backfill->to = 0;
  if (to[0] != '\0' && !hs_time_parse_bound (to, TRUE, &self->backfill->to, &error))
    {
      g_autofree char *text = g_strdup_printf (_("To: %s"), error->message);

      set_backfill_text (self, text);
      return;
    }
  if (self->backfill->to != 0 && self->backfill->to < self->backfill->from)
    {
      set_backfill_text (self, _("The end is before the start."));
      return;
    }
  self->backfill_cancellable = g_cancellable_new ();
  job = hs_ui_job_new (self, self->backfill_cancellable);
  gtk_progress_bar_set_fraction (self->backfill_progress, 0);
  set_backfill_text (self, _("Backfilling…"));
  set_backfilling (self, TRUE);
  hs_job_backfill_async (self->db_path, self->backfill, backfill_progress_cb, job,
                         self->backfill_cancellable, backfill_done_cb, job);
}

static void
backfill_cancel_cb (HsWatchPanel *self)
{
  g_cancellable_cancel (self->backfill_cancellable);
}

/**
 * hs_watch_panel_show_backfill:
 * @watch_id: a candles or trades entry of the watch list
 *
 * Opens the backfill form for @watch_id's series (what its Backfill button does), with the
 * range of an unfinished backfill of it filled in, so Backfill goes on where it stopped.
 */
void
hs_watch_panel_show_backfill (HsWatchPanel *self,
                              int64_t       watch_id)
{
  const HsWatchEntry *e = NULL;
  HsFetchKind kind;
  g_autofree char *series = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (HS_IS_WATCH_PANEL (self));

  for (guint i = 0; self->state != NULL && i < self->state->entries->len; i++)
    if (((HsWatchEntry *) self->state->entries->pdata[i])->id == watch_id)
      e = self->state->entries->pdata[i];
  if (e == NULL || self->backfill_cancellable != NULL
      || !hs_fetch_kind_from_string (e->kind, &kind))
    return;
  g_clear_pointer (&self->backfill, hs_fetch_request_free);
  self->backfill = g_new0 (HsFetchRequest, 1);
  hs_fetch_request_init (self->backfill);
  self->backfill->provider = g_strdup (e->provider);
  self->backfill->symbol = g_strdup (e->symbol);
  self->backfill->interval = g_strdup (e->interval);
  self->backfill->kind = kind;
  series = entry_series (e);
  /* Translators: "Backfill Coinbase Exchange: BTC-USDT · candles 1m" */
  title = g_strdup_printf (_("Backfill %s: %s"), provider_title (e->provider), series);
  gtk_label_set_text (self->backfill_title, title);
  set_backfill_text (self, _("Fetches the range in the provider's windows; a stopped backfill "
                             "goes on from its last window."));
  for (guint i = 0; i < self->state->backfills->len; i++)
    {
      const HsBackfillState *b = self->state->backfills->pdata[i];

      if (g_str_equal (b->provider, e->provider) && g_str_equal (b->symbol, e->symbol)
          && g_str_equal (b->kind, e->kind) && g_strcmp0 (b->interval, e->interval) == 0
          && !b->done)
        {
          g_autofree char *from = hs_time_format_iso (b->start_ts);
          g_autofree char *to = b->end_ts != 0 ? hs_time_format_iso (b->end_ts) : g_strdup ("");
          g_autofree char *at = b->resume_from != 0 ? hs_time_format_iso (b->resume_from) : NULL;
          g_autofree char *text = NULL;

          gtk_editable_set_text (GTK_EDITABLE (self->from_row), from);
          gtk_editable_set_text (GTK_EDITABLE (self->to_row), to);
          text = at != NULL ? g_strdup_printf (_("An unfinished backfill of this range goes on "
                                                 "at %s."), at)
                            : g_strdup (_("An unfinished backfill of this range goes on from "
                                          "its saved cursor."));
          set_backfill_text (self, text);
        }
    }
  gtk_progress_bar_set_fraction (self->backfill_progress, 0);
  gtk_revealer_set_reveal_child (self->backfill_revealer, TRUE);
}

gboolean
hs_watch_panel_get_backfilling (HsWatchPanel *self)
{
  g_return_val_if_fail (HS_IS_WATCH_PANEL (self), FALSE);
  return self->backfill_cancellable != NULL;
}

/* Returns: (nullable): what the backfill form says: its progress, or how the last run ended */
const char *
hs_watch_panel_get_backfill_text (HsWatchPanel *self)
{
  g_return_val_if_fail (HS_IS_WATCH_PANEL (self), NULL);
  return self->backfill_text;
}

/* ------------------------------------------------------------------------------------------ */

static void
hs_watch_panel_dispose (GObject *object)
{
  HsWatchPanel *self = HS_WATCH_PANEL (object);

  g_cancellable_cancel (self->poll_cancellable);
  g_clear_object (&self->poll_cancellable);
  g_cancellable_cancel (self->backfill_cancellable);
  g_clear_object (&self->backfill_cancellable);
  g_cancellable_cancel (self->db_cancellable);
  g_clear_object (&self->db_cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->fetched_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_WATCH_PANEL);

  G_OBJECT_CLASS (hs_watch_panel_parent_class)->dispose (object);
}

static void
hs_watch_panel_finalize (GObject *object)
{
  HsWatchPanel *self = HS_WATCH_PANEL (object);

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->state, hs_watch_state_free);
  g_queue_clear_full (&self->pending_edits, (GDestroyNotify) pending_edit_free);
  g_clear_pointer (&self->notice, g_free);
  g_clear_pointer (&self->provider_rows, g_hash_table_unref);
  g_clear_pointer (&self->entry_rows, g_hash_table_unref);
  g_clear_pointer (&self->rows_key, g_free);
  g_clear_pointer (&self->add_error_text, g_free);
  g_clear_pointer (&self->backfill, hs_fetch_request_free);
  g_clear_pointer (&self->backfill_text, g_free);

  G_OBJECT_CLASS (hs_watch_panel_parent_class)->finalize (object);
}

static void
hs_watch_panel_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HsWatchPanel *self = HS_WATCH_PANEL (object);

  switch (prop_id)
    {
    case PROP_POLLING:
      g_value_set_boolean (value, hs_watch_panel_get_polling (self));
      break;
    case PROP_BACKFILLING:
      g_value_set_boolean (value, hs_watch_panel_get_backfilling (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_watch_panel_class_init (HsWatchPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hs_ui_init ();

  object_class->dispose = hs_watch_panel_dispose;
  object_class->finalize = hs_watch_panel_finalize;
  object_class->get_property = hs_watch_panel_get_property;

  properties[PROP_POLLING] =
    g_param_spec_boolean ("polling", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BACKFILLING] =
    g_param_spec_boolean ("backfilling", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HsWatchPanel::state-changed:
   *
   * The panel shows a new read of the watch list and the providers' figures.
   */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  /**
   * HsWatchPanel::data-fetched:
   *
   * A poll run or a backfill stored new rows (at most once a second): the window reloads the
   * coverage list and the chart.
   */
  signals[SIGNAL_DATA_FETCHED] =
    g_signal_new ("data-fetched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/hs-watch-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, poll_button);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, providers_list);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, entries_list);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, provider_row);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, kind_row);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, interval_row);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, symbol_row);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, add_error);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, add_button);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, backfill_revealer);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, backfill_title);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, from_row);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, to_row);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, backfill_progress);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, backfill_cancel);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, backfill_button);
  gtk_widget_class_bind_template_child (widget_class, HsWatchPanel, backfill_label);
}

static void
hs_watch_panel_init (HsWatchPanel *self)
{
  g_autoptr(GtkStringList) providers = gtk_string_list_new (NULL);
  size_t n = 0;
  const HsProvider *const *all = hs_provider_all (&n);
  GtkWidget *placeholder = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->provider_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->entry_rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (size_t i = 0; i < n; i++)
    gtk_string_list_append (providers, all[i]->title);
  adw_combo_row_set_model (self->provider_row, G_LIST_MODEL (providers));
  provider_changed_cb (self);
  g_signal_connect_swapped (self->provider_row, "notify::selected",
                            G_CALLBACK (provider_changed_cb), self);
  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (kind_changed_cb),
                            self);
  g_signal_connect_swapped (self->add_button, "clicked", G_CALLBACK (add_clicked_cb), self);
  g_signal_connect_swapped (self->symbol_row, "entry-activated", G_CALLBACK (add_clicked_cb),
                            self);
  g_signal_connect_swapped (self->poll_button, "clicked", G_CALLBACK (poll_clicked_cb), self);
  g_signal_connect_swapped (self->backfill_button, "clicked", G_CALLBACK (backfill_start_cb),
                            self);
  g_signal_connect_swapped (self->backfill_cancel, "clicked", G_CALLBACK (backfill_cancel_cb),
                            self);

  placeholder = gtk_label_new (_("Nothing fetched yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->providers_list, placeholder);
  placeholder = gtk_label_new (_("The watch list is empty"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->entries_list, placeholder);
  gtk_label_set_text (self->status_label, _("Open a database to fetch into it."));
  update_poll_button (self);
}

GtkWidget *
hs_watch_panel_new (void)
{
  return g_object_new (HS_TYPE_WATCH_PANEL, NULL);
}

/* @db_path: (nullable): the database the watch list lives in; the poller stops when it
 * changes. The same path again reads the state again. */
void
hs_watch_panel_set_database (HsWatchPanel *self,
                             const char   *db_path)
{
  g_return_if_fail (HS_IS_WATCH_PANEL (self));

  if (g_strcmp0 (self->db_path, db_path) == 0)
    {
      hs_watch_panel_refresh (self);
      return;
    }
  hs_watch_panel_stop_polling (self);
  g_cancellable_cancel (self->backfill_cancellable);
  g_cancellable_cancel (self->db_cancellable);
  g_clear_object (&self->db_cancellable);
  self->state_busy = FALSE;
  self->read_again = FALSE;
  g_queue_clear_full (&self->pending_edits, (GDestroyNotify) pending_edit_free);
  g_clear_pointer (&self->notice, g_free);
  g_clear_pointer (&self->state, hs_watch_state_free);
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  gtk_revealer_set_reveal_child (self->backfill_revealer, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), TRUE);
  render (self);
  update_poll_button (self);
  start_state_job (self, NULL);
}

/* Returns: (transfer none) (nullable): the last read of the watch list and figures */
const HsWatchState *
hs_watch_panel_get_state (HsWatchPanel *self)
{
  g_return_val_if_fail (HS_IS_WATCH_PANEL (self), NULL);
  return self->state;
}

/* Returns: (transfer full) (nullable): what @provider's row says under its name */
char *
hs_watch_panel_dup_provider_text (HsWatchPanel *self,
                                  const char   *provider)
{
  GtkWidget *row = NULL;

  g_return_val_if_fail (HS_IS_WATCH_PANEL (self), NULL);
  row = g_hash_table_lookup (self->provider_rows, provider);
  return row != NULL ? g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row))) : NULL;
}

/* Returns: (transfer full) (nullable): what the row of entry @watch_id says under its series */
char *
hs_watch_panel_dup_entry_text (HsWatchPanel *self,
                               int64_t       watch_id)
{
  GtkWidget *row = NULL;

  g_return_val_if_fail (HS_IS_WATCH_PANEL (self), NULL);
  row = g_hash_table_lookup (self->entry_rows, &watch_id);
  return row != NULL ? g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row))) : NULL;
}

/* Returns: (nullable): why the last addition was refused */
const char *
hs_watch_panel_get_add_error (HsWatchPanel *self)
{
  g_return_val_if_fail (HS_IS_WATCH_PANEL (self), NULL);
  return self->add_error_text;
}

/* ------------------------------------------------------------------------------------------ */
/* In the window                                                                               */

static void
database_loaded_cb (HsWatchPanel *self,
                    HsWindow     *window)
{
  hs_watch_panel_set_database (self, hs_window_get_database_path (window));
}

static void
database_path_cb (HsWatchPanel *self,
                  GParamSpec   *pspec,
                  HsWindow     *window)
{
  if (hs_window_get_database_path (window) == NULL)
    hs_watch_panel_set_database (self, NULL);
}

static void
data_fetched_reload_cb (HsWatchPanel *self,
                        HsWindow     *window)
{
  hs_window_reload (window);
}

/**
 * hs_watch_panel_attach:
 * @window: the application window
 *
 * Puts a new watch panel into the Data page's Data Sources group, has it follow the window's
 * database, and reloads the window's coverage and chart when it fetched new rows.
 *
 * Returns: (transfer none): the panel
 */
HsWatchPanel *
hs_watch_panel_attach (HsWindow *window)
{
  HsWatchPanel *self = HS_WATCH_PANEL (hs_watch_panel_new ());

  g_return_val_if_fail (HS_IS_WINDOW (window), NULL);

  hs_data_page_set_sources (HS_DATA_PAGE (hs_window_get_page (window, "data")),
                            GTK_WIDGET (self));
  g_signal_connect_object (window, "database-loaded", G_CALLBACK (database_loaded_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "notify::database-path", G_CALLBACK (database_path_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "data-fetched", G_CALLBACK (data_fetched_reload_cb), window, 0);
  return self;
}
