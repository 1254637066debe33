/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Data page: the instruments and what is stored for each (the coverage table), the chart
 * area for the selected series with its bars read on a worker, the data sources, and importing.
 * Files chosen with the file chooser or dropped on the window go through the import dialog
 * (kind, symbol, interval guessed from the names, editable) into the import job, which runs on
 * a worker with a progress bar and Cancel above the table; a refused file is reported with its
 * FILE:LINE in a dialog, and the page asks the window to reload when anything was imported.
 *
 * The chart itself is a widget set from outside with hs_data_page_set_chart() (the charts part
 * of the GUI); until then the chart area summarises the selected series in words.
 */
#define G_LOG_DOMAIN "hs-data-page"

#include "config.h"

#include "hs-data-page.h"

#include <glib/gi18n.h>
#include <math.h>

#include "hs-bars-job.h"
#include "hs-coverage-item.h"
#include "hs-import-dialog.h"
#include "hs-overview-page.h"
#include "hs-ui.h"

struct _HsDataPage
{
  AdwBin             parent_instance;

  /* Template children */
  GtkRevealer       *progress_revealer;
  GtkLabel          *progress_label;
  GtkProgressBar    *progress_bar;
  GtkStack          *stack;
  GtkPaned          *paned;
  HsCoveragePage    *coverage_page;
  GtkScrolledWindow *details_scroller;
  GtkLabel          *chart_title;
  AdwBin            *chart_bin;
  AdwStatusPage     *chart_placeholder;
  GtkWidget         *sources_group;
  GtkWidget         *sources_placeholder;

  char              *db_path;             /* (owned) (nullable) */

  GCancellable      *import_cancellable;  /* (owned) (nullable) the running import's */
  double             progress;
  char              *last_error;          /* (owned) (nullable) */
  GtkWidget         *import_dialog;       /* (nullable) weak */
  GtkWidget         *error_dialog;        /* (nullable) weak */

  GCancellable      *bars_cancellable;    /* (owned) (nullable) the bars job's */
  HsBars            *bars;                /* (owned) (nullable) the selected series' bars */
  char              *series_title;        /* (owned) (nullable) */
  char              *selected_key;        /* (owned) (nullable) symbol, exchange, interval */
  char              *bars_interval;       /* (owned) (nullable) the interval of @bars */

  GtkWidget         *chart;               /* (nullable) owned by chart_bin */
  HsDataChartFunc    chart_update;
  gpointer           chart_data;
  GDestroyNotify     chart_destroy;
};

G_DEFINE_FINAL_TYPE (HsDataPage, hs_data_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_IMPORTING,
  PROP_PROGRESS,
  PROP_LOADING_BARS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (HsDataPage *self,
       const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static GtkWindow *
parent_window (HsDataPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* The chart area                                                                              */

static void
update_chart (HsDataPage *self)
{
  if (self->chart != NULL && self->chart_update != NULL)
    self->chart_update (self->chart, self->bars, self->series_title, self->chart_data);
}

/* What the chart area says while it has no chart widget, or about a series it cannot draw. */
static void
describe_series (HsDataPage *self,
                 const char *text)
{
  if (self->chart_placeholder != NULL)
    adw_status_page_set_description (self->chart_placeholder, text);
}

static void
describe_bars (HsDataPage *self)
{
  const HsBars *b = self->bars;
  double lo = INFINITY, hi = -INFINITY;
  g_autofree char *count = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;
  g_autofree char *text = NULL;

  if (b->n == 0)
    {
      describe_series (self, _("No bars stored for this series."));
      return;
    }
  for (size_t i = 0; i < b->n; i++)
    {
      lo = MIN (lo, b->low[i]);
      hi = MAX (hi, b->high[i]);
    }
  count = hs_coverage_format_count ((int64_t) b->n);
  first = hs_coverage_format_time (b->ts[0], "candles", self->bars_interval);
  last = hs_coverage_format_time (b->ts[b->n - 1], "candles", self->bars_interval);
  low = hs_overview_format_price (lo);
  high = hs_overview_format_price (hi);
  /* Translators: "1,234 bars from 2013-10-07 … to 2013-10-11 …, lowest low 160.12, highest
   * high 171.50" */
  text = g_strdup_printf (ngettext ("%s bar from %s to %s, lowest low %s, highest high %s.",
                                    "%s bars from %s to %s, lowest low %s, highest high %s.",
                                    b->n), count, first, last, low, high);
  describe_series (self, text);
}

static void
bars_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsDataPage) self = g_weak_ref_get (&data->owner);
  g_autoptr(HsBars) bars = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (hs_is_main_thread ());

  bars = hs_job_bars_finish (res, &error);
  if (self == NULL || data->cancellable != self->bars_cancellable)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->bars_cancellable);
  if (bars == NULL)
    describe_series (self, error->message);
  else
    {
      self->bars = g_steal_pointer (&bars);
      describe_bars (self);
      update_chart (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING_BARS]);
}

static char *
item_key (HsCoverageItem *item)
{
  return g_strdup_printf ("%s\x1f%s\x1f%s\x1f%s", hs_coverage_item_get_symbol (item),
                          hs_coverage_item_get_exchange (item),
                          hs_coverage_item_get_data (item) ? hs_coverage_item_get_data (item) : "",
                          hs_coverage_item_get_interval (item)
                            ? hs_coverage_item_get_interval (item) : "");
}

static void
selection_changed_cb (HsDataPage         *self,
                      GParamSpec         *pspec,
                      GtkSingleSelection *selection)
{
  HsCoverageItem *item = gtk_single_selection_get_selected_item (selection);
  gboolean was_loading = self->bars_cancellable != NULL;
  g_autoptr(GString) title = NULL;

  g_cancellable_cancel (self->bars_cancellable);
  g_clear_object (&self->bars_cancellable);
  g_clear_pointer (&self->bars, hs_bars_free);
  g_clear_pointer (&self->series_title, g_free);

  if (item == NULL)
    {
      gtk_label_set_text (self->chart_title, _("No Series Selected"));
      describe_series (self, _("Select a series in the table to chart it."));
      update_chart (self);
      if (was_loading)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING_BARS]);
      return;
    }

  g_free (self->selected_key);
  self->selected_key = item_key (item);
  title = g_string_new (hs_coverage_item_get_symbol (item));
  if (hs_coverage_item_get_exchange (item)[0] != '\0')
    g_string_append_printf (title, " (%s)", hs_coverage_item_get_exchange (item));
  if (hs_coverage_item_get_interval (item) != NULL)
    g_string_append_printf (title, " · %s", hs_coverage_item_get_interval (item));
  else if (hs_coverage_item_get_data (item) != NULL)
    g_string_append_printf (title, " · %s",
                            hs_coverage_data_label (hs_coverage_item_get_data (item)));
  self->series_title = g_strdup (title->str);
  gtk_label_set_text (self->chart_title, title->str);
  update_chart (self);

  if (g_strcmp0 (hs_coverage_item_get_data (item), "candles") != 0 || self->db_path == NULL)
    {
      describe_series (self, hs_coverage_item_get_data (item) == NULL
                               ? _("Nothing is stored for this instrument yet.")
                               : _("Charts are drawn from candles; hindsight-cli lists trades, "
                                   "quotes and snapshots."));
      if (was_loading)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING_BARS]);
      return;
    }

  describe_series (self, _("Reading the bars…"));
  g_free (self->bars_interval);
  self->bars_interval = g_strdup (hs_coverage_item_get_interval (item));
  self->bars_cancellable = g_cancellable_new ();
  {
    const char *exchange = hs_coverage_item_get_exchange (item);
    HsBarsRequest req = {
      .symbol = (char *) hs_coverage_item_get_symbol (item),
      .exchange = (char *) (exchange[0] != '\0' ? exchange : NULL),
      .interval = (char *) hs_coverage_item_get_interval (item),
      .from_ts = G_MININT64, .to_ts = G_MAXINT64,
    };

    hs_job_bars_async (self->db_path, &req, self->bars_cancellable, bars_cb,
                       hs_ui_job_new (self, self->bars_cancellable));
  }
  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING_BARS]);
}

static GtkSingleSelection *
selection (HsDataPage *self)
{
  return GTK_SINGLE_SELECTION (hs_coverage_page_get_model (self->coverage_page));
}

/* ------------------------------------------------------------------------------------------ */
/* Importing                                                                                   */

static void
set_progress (HsDataPage *self,
              double      fraction,
              const char *message)
{
  self->progress = fraction;
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  if (message != NULL && message[0] != '\0')
    {
      /* Translators: the import bar, "Importing spy_daily.csv: 65536 rows" */
      g_autofree char *text = g_strdup_printf (_("Importing %s"), message);

      gtk_label_set_text (self->progress_label, text);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
import_progress_cb (double      fraction,
                    const char *message,
                    gpointer    user_data)
{
  HsUiJob *data = user_data;
  g_autoptr(HsDataPage) self = g_weak_ref_get (&data->owner);

  if (self == NULL || data->cancellable != self->import_cancellable)
    return;
  set_progress (self, fraction, message);
}

static void
show_error (HsDataPage        *self,
            HsImportJobResult *result,
            const GError      *error)
{
  g_autoptr(GString) body = g_string_new (error->message);
  GtkWidget *dialog = NULL;

  if (result != NULL && result->results->len > 0)
    {
      g_string_append (body, "\n\n");
      g_string_append_printf (body, ngettext ("The file before it was imported.",
                                              "The %u files before it were imported.",
                                              result->results->len), result->results->len);
    }
  g_free (self->last_error);
  self->last_error = g_strdup (error->message);

  if (self->error_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->error_dialog));
  dialog = adw_message_dialog_new (parent_window (self), _("Import Failed"), NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  self->error_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->error_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsDataPage) self = g_weak_ref_get (&data->owner);
  g_autoptr(HsImportJobResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const GError *failure = NULL;
  guint n_done = 0;

  g_assert (hs_is_main_thread ());

  result = hs_job_import_finish (res, &error);
  if (self == NULL || data->cancellable != self->import_cancellable)
    return;
  g_clear_object (&self->import_cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.cancel-import", FALSE);

  failure = error != NULL ? error : result->error;
  n_done = result != NULL ? result->results->len : 0;
  if (g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, n_done > 0 ? _("Import cancelled; the files before it were imported")
                            : _("Import cancelled; nothing was written"));
  else if (failure != NULL)
    show_error (self, result, failure);
  else
    {
      int64_t rows = 0;
      g_autofree char *count = NULL;
      g_autofree char *text = NULL;

      g_clear_pointer (&self->last_error, g_free);
      for (guint i = 0; i < n_done; i++)
        rows += g_array_index (result->results, HsImportResult, i).inserted;
      count = hs_coverage_format_count (rows);
      text = g_strdup_printf (ngettext ("Imported %s new row", "Imported %s new rows", rows),
                              count);
      toast (self, text);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
  if (n_done > 0)
    g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, n_done);
}

/**
 * hs_data_page_start_import:
 * @requests: (transfer full) (element-type HsImportRequest): the files, in order
 *
 * Imports @requests on a worker, with the progress bar and Cancel showing; when the job is done
 * the page says what it did and emits #HsDataPage::imported if any file was imported.
 *
 * Returns: %FALSE (and drops @requests) when an import is already running or no database is
 *   open
 */
gboolean
hs_data_page_start_import (HsDataPage *self,
                           GPtrArray  *requests)
{
  g_return_val_if_fail (HS_IS_DATA_PAGE (self), FALSE);
  g_return_val_if_fail (requests != NULL, FALSE);
  g_assert (hs_is_main_thread ());

  if (self->import_cancellable != NULL || self->db_path == NULL || requests->len == 0)
    {
      if (self->import_cancellable != NULL)
        toast (self, _("An import is already running"));
      g_ptr_array_unref (requests);
      return FALSE;
    }
  self->import_cancellable = g_cancellable_new ();
  gtk_label_set_text (self->progress_label, _("Importing…"));
  set_progress (self, 0.0, NULL);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.cancel-import", TRUE);
  {
    HsUiJob *data = hs_ui_job_new (self, self->import_cancellable);

    hs_job_import_async (self->db_path, requests, import_progress_cb, data,
                         self->import_cancellable, import_cb, data);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
  return TRUE;
}

/* Stops the running import: the file being read is rolled back, later ones are not tried. */
void
hs_data_page_cancel_import (HsDataPage *self)
{
  g_return_if_fail (HS_IS_DATA_PAGE (self));
  g_cancellable_cancel (self->import_cancellable);
}

static void
import_dialog_response_cb (HsDataPage     *self,
                           const char     *response,
                           HsImportDialog *dialog)
{
  if (g_str_equal (response, "import"))
    hs_data_page_start_import (self, hs_import_dialog_dup_requests (dialog));
}

/**
 * hs_data_page_import_files:
 * @files: (element-type GFile): the files to import (dropped, or chosen in the file chooser)
 *
 * Asks, in the import dialog, how to import @files (proposing hs_import_guess() for each), and
 * imports them when the person confirms. What the window's drop target and its import action
 * call.
 */
void
hs_data_page_import_files (HsDataPage *self,
                           GSList     *files)
{
  g_autoptr(GPtrArray) requests = NULL;
  GtkWidget *dialog = NULL;

  g_return_if_fail (HS_IS_DATA_PAGE (self));

  requests = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_import_request_free);
  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *path = g_file_get_path (l->data);

      if (path == NULL)
        {
          g_autofree char *uri = g_file_get_uri (l->data);
          g_autofree char *text = g_strdup_printf (_("Not a local file: %s"), uri);

          toast (self, text);
          continue;
        }
      g_ptr_array_add (requests, hs_import_guess (path));
    }
  if (requests->len == 0)
    return;
  if (self->import_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->import_dialog));
  dialog = hs_import_dialog_new (parent_window (self), g_steal_pointer (&requests));
  g_signal_connect_object (dialog, "response", G_CALLBACK (import_dialog_response_cb), self,
                           G_CONNECT_SWAPPED);
  self->import_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->import_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  hs_data_page_cancel_import (HS_DATA_PAGE (widget));
}

/* ------------------------------------------------------------------------------------------ */

static void
hs_data_page_dispose (GObject *object)
{
  HsDataPage *self = HS_DATA_PAGE (object);

  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  g_cancellable_cancel (self->bars_cancellable);
  g_clear_object (&self->bars_cancellable);
  if (self->import_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->import_dialog));
  if (self->error_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->error_dialog));
  if (self->coverage_page != NULL)
    g_signal_handlers_disconnect_by_data (selection (self), self);
  if (self->chart_destroy != NULL)
    g_clear_pointer (&self->chart_data, self->chart_destroy);
  self->chart = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_DATA_PAGE);

  G_OBJECT_CLASS (hs_data_page_parent_class)->dispose (object);
}

static void
hs_data_page_finalize (GObject *object)
{
  HsDataPage *self = HS_DATA_PAGE (object);

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->bars, hs_bars_free);
  g_clear_pointer (&self->series_title, g_free);
  g_clear_pointer (&self->selected_key, g_free);
  g_clear_pointer (&self->bars_interval, g_free);

  G_OBJECT_CLASS (hs_data_page_parent_class)->finalize (object);
}

static void
hs_data_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HsDataPage *self = HS_DATA_PAGE (object);

  switch (prop_id)
    {
    case PROP_IMPORTING:
      g_value_set_boolean (value, hs_data_page_get_importing (self));
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_LOADING_BARS:
      g_value_set_boolean (value, hs_data_page_get_loading_bars (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_data_page_class_init (HsDataPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hs_ui_init ();
  g_type_ensure (HS_TYPE_COVERAGE_PAGE);

  object_class->dispose = hs_data_page_dispose;
  object_class->finalize = hs_data_page_finalize;
  object_class->get_property = hs_data_page_get_property;

  properties[PROP_IMPORTING] =
    g_param_spec_boolean ("importing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING_BARS] =
    g_param_spec_boolean ("loading-bars", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HsDataPage::imported:
   * @n_files: how many files were imported
   *
   * An import job wrote at least one file: the window reloads what it shows.
   */
  signals[SIGNAL_IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/hs-data-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsDataPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, HsDataPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, HsDataPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HsDataPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HsDataPage, paned);
  gtk_widget_class_bind_template_child (widget_class, HsDataPage, coverage_page);
  gtk_widget_class_bind_template_child (widget_class, HsDataPage, details_scroller);
  gtk_widget_class_bind_template_child (widget_class, HsDataPage, chart_title);
  gtk_widget_class_bind_template_child (widget_class, HsDataPage, chart_bin);
  gtk_widget_class_bind_template_child (widget_class, HsDataPage, chart_placeholder);
  gtk_widget_class_bind_template_child (widget_class, HsDataPage, sources_group);
  gtk_widget_class_bind_template_child (widget_class, HsDataPage, sources_placeholder);

  gtk_widget_class_install_action (widget_class, "data.cancel-import", NULL,
                                   cancel_import_action);
}

static void
hs_data_page_init (HsDataPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.cancel-import", FALSE);
  g_signal_connect_swapped (selection (self), "notify::selected-item",
                            G_CALLBACK (selection_changed_cb), self);
  gtk_label_set_text (self->chart_title, _("No Series Selected"));
  describe_series (self, _("Select a series in the table to chart it."));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
hs_data_page_new (void)
{
  return g_object_new (HS_TYPE_DATA_PAGE, NULL);
}

/* @db_path: (nullable): the database imports go to and bars come from */
void
hs_data_page_set_database (HsDataPage *self,
                           const char *db_path)
{
  g_return_if_fail (HS_IS_DATA_PAGE (self));

  if (g_strcmp0 (self->db_path, db_path) == 0)
    return;
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  g_clear_pointer (&self->selected_key, g_free);
}

/**
 * hs_data_page_set_coverage:
 * @coverage: (element-type HsCoverage): what the coverage job read; copied
 *
 * Shows the instruments, keeping the selected series selected when it is still there (else
 * selecting the first with candles), and reads the selected series' bars.
 */
void
hs_data_page_set_coverage (HsDataPage *self,
                           GPtrArray  *coverage)
{
  GtkSingleSelection *sel = NULL;
  GListModel *model = NULL;
  guint keep = GTK_INVALID_LIST_POSITION, first_candles = GTK_INVALID_LIST_POSITION;
  guint n = 0;

  g_return_if_fail (HS_IS_DATA_PAGE (self));

  hs_coverage_page_set_coverage (self->coverage_page, coverage);
  gtk_stack_set_visible_child_name (self->stack, coverage->len > 0 ? "list" : "empty");
  sel = selection (self);
  model = G_LIST_MODEL (sel);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsCoverageItem) item = g_list_model_get_item (model, i);
      g_autofree char *key = item_key (item);

      if (self->selected_key != NULL && g_str_equal (key, self->selected_key))
        keep = i;
      if (first_candles == GTK_INVALID_LIST_POSITION
          && g_strcmp0 (hs_coverage_item_get_data (item), "candles") == 0)
        first_candles = i;
    }
  if (keep == GTK_INVALID_LIST_POSITION)
    keep = first_candles;
  /* Selecting again what is selected reads its bars again: they may have changed. */
  if (gtk_single_selection_get_selected (sel) == keep)
    selection_changed_cb (self, NULL, sel);
  else
    gtk_single_selection_set_selected (sel, keep);
}

/* Returns: (transfer none): the instruments table */
HsCoveragePage *
hs_data_page_get_coverage_page (HsDataPage *self)
{
  g_return_val_if_fail (HS_IS_DATA_PAGE (self), NULL);
  return self->coverage_page;
}

/* Returns: (transfer none) (nullable): the chart widget given to hs_data_page_set_chart() */
GtkWidget *
hs_data_page_get_chart (HsDataPage *self)
{
  g_return_val_if_fail (HS_IS_DATA_PAGE (self), NULL);
  return self->chart;
}

/**
 * hs_data_page_set_chart:
 * @chart: (transfer floating): the chart widget, shown in the chart area instead of the
 *   summary
 * @update: called now and whenever the selected series' bars change
 * @user_data: for @update
 * @destroy: (nullable): frees @user_data when the page goes or another chart is set
 *
 * Puts a chart of the selected series on the page: the charts part of the GUI calls this with
 * its candlestick chart widget.
 */
void
hs_data_page_set_chart (HsDataPage      *self,
                        GtkWidget       *chart,
                        HsDataChartFunc  update,
                        gpointer         user_data,
                        GDestroyNotify   destroy)
{
  g_return_if_fail (HS_IS_DATA_PAGE (self));
  g_return_if_fail (GTK_IS_WIDGET (chart));

  if (self->chart_destroy != NULL)
    g_clear_pointer (&self->chart_data, self->chart_destroy);
  self->chart = chart;
  self->chart_update = update;
  self->chart_data = user_data;
  self->chart_destroy = destroy;
  adw_bin_set_child (self->chart_bin, chart);
  self->chart_placeholder = NULL;
  update_chart (self);
}

/* Returns: (transfer none) (nullable): the selected series' bars, once read */
const HsBars *
hs_data_page_get_bars (HsDataPage *self)
{
  g_return_val_if_fail (HS_IS_DATA_PAGE (self), NULL);
  return self->bars;
}

/* Returns: (nullable): the selected series as the chart area names it, "SPY (ARCA) · 1d" */
const char *
hs_data_page_get_chart_title (HsDataPage *self)
{
  g_return_val_if_fail (HS_IS_DATA_PAGE (self), NULL);
  return self->series_title;
}

/* Returns: whether the selected series' bars are being read */
gboolean
hs_data_page_get_loading_bars (HsDataPage *self)
{
  g_return_val_if_fail (HS_IS_DATA_PAGE (self), FALSE);
  return self->bars_cancellable != NULL;
}

gboolean
hs_data_page_get_importing (HsDataPage *self)
{
  g_return_val_if_fail (HS_IS_DATA_PAGE (self), FALSE);
  return self->import_cancellable != NULL;
}

/* Returns: the running or last import's progress, 0 … 1 */
double
hs_data_page_get_progress (HsDataPage *self)
{
  g_return_val_if_fail (HS_IS_DATA_PAGE (self), 0);
  return self->progress;
}

/* Returns: (nullable): why the last import failed ("FILE:LINE: reason"); %NULL after one that
 *   worked */
const char *
hs_data_page_get_last_error (HsDataPage *self)
{
  g_return_val_if_fail (HS_IS_DATA_PAGE (self), NULL);
  return self->last_error;
}

/* Returns: (transfer none) (nullable): the import dialog while it is open */
GtkWidget *
hs_data_page_get_import_dialog (HsDataPage *self)
{
  g_return_val_if_fail (HS_IS_DATA_PAGE (self), NULL);
  return self->import_dialog;
}

/* Returns: (transfer none) (nullable): the dialog of the last failed import while it is open */
GtkWidget *
hs_data_page_get_error_dialog (HsDataPage *self)
{
  g_return_val_if_fail (HS_IS_DATA_PAGE (self), NULL);
  return self->error_dialog;
}

static gboolean
scroll_to_sources_cb (gpointer user_data)
{
  g_autoptr(HsDataPage) self = user_data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->details_scroller);
  GtkWidget *content = gtk_scrolled_window_get_child (self->details_scroller);
  double x = 0, y = 0;

  /* The group's top at the top of the view (the watch list's state first), else the end. */
  if (content == NULL
      || !gtk_widget_translate_coordinates (self->sources_group, content, 0, 0, &x, &y))
    y = gtk_adjustment_get_upper (adj);
  gtk_adjustment_set_value (adj, MIN (y, gtk_adjustment_get_upper (adj)
                                         - gtk_adjustment_get_page_size (adj)));
  return G_SOURCE_REMOVE;
}

/* Brings the Data Sources group into view (the Overview's "Add a Data Source"). */
void
hs_data_page_show_data_sources (HsDataPage *self)
{
  g_return_if_fail (HS_IS_DATA_PAGE (self));

  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "empty"))
    gtk_stack_set_visible_child_name (self->stack, "list");
  /* After the next layout, when the scroller knows its height. */
  g_idle_add_full (G_PRIORITY_LOW, scroll_to_sources_cb, g_object_ref (self), NULL);
}

/**
 * hs_data_page_set_sources:
 * @widget: (transfer floating): what the Data Sources group shows (the watch panel) instead of
 *   its placeholder row
 */
void
hs_data_page_set_sources (HsDataPage *self,
                          GtkWidget  *widget)
{
  g_return_if_fail (HS_IS_DATA_PAGE (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* Removed, not hidden: the group's row list shows (an empty strip) while it has any row. */
  if (self->sources_placeholder != NULL)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->sources_group),
                                  self->sources_placeholder);
  self->sources_placeholder = NULL;
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->sources_group), widget);
}
