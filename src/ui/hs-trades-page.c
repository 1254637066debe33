/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsTradesPage: the Trades page (docs/ui-trades.md). A training query typed in the bar (the
 * language and compiler of `hindsight-cli query`) is validated as typed, with the error at its
 * column, and selects the trades a worker reads (hs-trades-job.c); the page lists them in a
 * virtualised, sortable GtkColumnView, sums them up in the footer, and draws the analysis views
 * (MFE/MAE scatter, P&L histogram, AI calibration, breakdown by prompt version and model) of the
 * same set. The selected trade opens in the HsTradeInspector beside the list, which folds over it
 * on a narrow window; its previous/next keys walk the list in its sorted order. The page also
 * runs the forensic labeler (at start-up and daily at GSettings' labeler-hour) with its progress
 * in a bar at the top, and reloads what the labeler changed.
 *
 * Load: a reload is one worker read of the selected rows; the list creates widgets only for the
 * visible rows; the views are recomputed from the rows in one pass each.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "hs-trades-page.h"
#include "hs-chart-widget.h"
#include "hs-label-job.h"
#include "hs-runs-job.h"
#include "hs-settings.h"
#include "hs-time.h"
#include "hs-trade-analysis.h"
#include "hs-trade-inspector.h"
#include "hs-trades-job.h"
#include "hs-ui.h"
#include "hs-widget-util.h"

/* ---- One trade as a list item ---- */

#define HS_TYPE_TRADE_ROW_ITEM (hs_trade_row_item_get_type ())
G_DECLARE_FINAL_TYPE (HsTradeRowItem, hs_trade_row_item, HS, TRADE_ROW_ITEM, GObject)

struct _HsTradeRowItem
{
  GObject     parent_instance;
  HsTradeRow *row;   /* (owned) */
};

G_DEFINE_FINAL_TYPE (HsTradeRowItem, hs_trade_row_item, G_TYPE_OBJECT)

static void
hs_trade_row_item_finalize (GObject *object)
{
  g_clear_pointer (&HS_TRADE_ROW_ITEM (object)->row, hs_trade_row_free);
  G_OBJECT_CLASS (hs_trade_row_item_parent_class)->finalize (object);
}

static void
hs_trade_row_item_class_init (HsTradeRowItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hs_trade_row_item_finalize;
}

static void
hs_trade_row_item_init (HsTradeRowItem *self)
{
}

static HsTradeRowItem *
hs_trade_row_item_new (HsTradeRow *row)
{
  HsTradeRowItem *item = g_object_new (HS_TYPE_TRADE_ROW_ITEM, NULL);

  item->row = row;
  return item;
}

/* ---- The columns ---- */

typedef enum
{
  KIND_TIME,
  KIND_TEXT,
  KIND_NUMBER,   /* quantity, prices */
  KIND_PCT,      /* percent with a sign, green or red */
  KIND_EXCURSION, /* MFE, MAE: percent ≥ 0 */
  KIND_SCORE,    /* the 0 … 10 confidence */
} ColumnKind;

typedef struct
{
  const char *id;
  const char *title;
  ColumnKind  kind;
  size_t      offset;
  int         width;    /* fixed width in pixels, so the list scrolls instead of squeezing */
} Column;

static const Column columns[] = {
  { "time", N_("Time (UTC)"), KIND_TIME, G_STRUCT_OFFSET (HsTradeRow, entry_ts), 160 },
  { "symbol", N_("Symbol"), KIND_TEXT, G_STRUCT_OFFSET (HsTradeRow, symbol), 70 },
  { "side", N_("Side"), KIND_TEXT, G_STRUCT_OFFSET (HsTradeRow, side), 56 },
  { "quantity", N_("Qty"), KIND_NUMBER, G_STRUCT_OFFSET (HsTradeRow, quantity), 56 },
  { "entry", N_("Entry"), KIND_NUMBER, G_STRUCT_OFFSET (HsTradeRow, entry_price), 84 },
  { "exit", N_("Exit"), KIND_NUMBER, G_STRUCT_OFFSET (HsTradeRow, exit_price), 84 },
  { "pnl_pct", N_("P&L %"), KIND_PCT, G_STRUCT_OFFSET (HsTradeRow, pnl_pct), 70 },
  { "target_pnl_15m", N_("15m %"), KIND_PCT, G_STRUCT_OFFSET (HsTradeRow, target_pnl_15m), 70 },
  { "target_pnl_1h", N_("1h %"), KIND_PCT, G_STRUCT_OFFSET (HsTradeRow, target_pnl_1h), 70 },
  { "mfe", N_("MFE %"), KIND_EXCURSION, G_STRUCT_OFFSET (HsTradeRow, mfe_pct), 70 },
  { "mae", N_("MAE %"), KIND_EXCURSION, G_STRUCT_OFFSET (HsTradeRow, mae_pct), 70 },
  { "confidence", N_("Conf."), KIND_SCORE, G_STRUCT_OFFSET (HsTradeRow, confidence), 60 },
  { "model", N_("Model"), KIND_TEXT, G_STRUCT_OFFSET (HsTradeRow, model), 140 },
  { "prompt_version", N_("Prompt"), KIND_TEXT, G_STRUCT_OFFSET (HsTradeRow, prompt_version), 120 },
  { "tags", N_("Tags"), KIND_TEXT, G_STRUCT_OFFSET (HsTradeRow, tags), 140 },
};

#define FIELD(row, col, type) (*(type *) (gpointer) ((char *) (row) + columns[col].offset))

static int
column_index (const char *id)
{
  for (size_t i = 0; i < G_N_ELEMENTS (columns); i++)
    if (g_str_equal (columns[i].id, id))
      return (int) i;
  return -1;
}

/* Tags are stored as a JSON array of strings (tags are checked to hold no quotes or
 * backslashes, hs_paper_check_tag()); shown as "a, b". */
static char *
tags_text (const char *json)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (json == NULL)
    return g_strdup ("");
  for (const char *p = json; *p != '\0'; p++)
    {
      if (*p == '"')
        {
          const char *end = strchr (p + 1, '"');

          if (end == NULL)
            break;
          if (out->len > 0)
            g_string_append (out, ", ");
          g_string_append_len (out, p + 1, end - p - 1);
          p = end;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
cell_text (const HsTradeRow *row,
           int               col)
{
  double v;

  switch (columns[col].kind)
    {
    case KIND_TIME:
      {
        g_autofree char *iso = hs_time_format_iso (row->entry_ts);

        /* "2024-03-04T14:35:00Z" → "2024-03-04 14:35:00" (UTC, as the header says). */
        if (strlen (iso) >= 19)
          {
            iso[10] = ' ';
            iso[19] = '\0';
          }
        return g_steal_pointer (&iso);
      }
    case KIND_TEXT:
      if (g_str_equal (columns[col].id, "tags"))
        return tags_text (row->tags);
      return g_strdup (FIELD (row, col, char *) != NULL ? FIELD (row, col, char *) : "");
    case KIND_NUMBER:
      v = FIELD (row, col, double);
      return isfinite (v) ? g_strdup_printf ("%.10g", v) : g_strdup ("");
    case KIND_PCT:
      v = FIELD (row, col, double);
      return isfinite (v) ? g_strdup_printf ("%+.2f", v) : g_strdup ("");
    case KIND_EXCURSION:
      v = FIELD (row, col, double);
      return isfinite (v) ? g_strdup_printf ("%.2f", v) : g_strdup ("");
    case KIND_SCORE:
      v = FIELD (row, col, double);
      return isfinite (v) ? g_strdup_printf ("%.1f", v) : g_strdup ("");
    default:
      g_assert_not_reached ();
    }
}

/* Unknown values (NAN, NULL) sort after known ones in the ascending order. */
static int
compare_rows (const HsTradeRow *a,
              const HsTradeRow *b,
              int               col)
{
  switch (columns[col].kind)
    {
    case KIND_TIME:
      if (a->entry_ts != b->entry_ts)
        return a->entry_ts < b->entry_ts ? -1 : 1;
      break;
    case KIND_TEXT:
      {
        const char *x = FIELD (a, col, char *), *y = FIELD (b, col, char *);
        int c;

        if ((x == NULL) != (y == NULL))
          return x == NULL ? 1 : -1;
        c = g_strcmp0 (x, y);
        if (c != 0)
          return c < 0 ? -1 : 1;
        break;
      }
    case KIND_NUMBER:
    case KIND_PCT:
    case KIND_EXCURSION:
    case KIND_SCORE:
      {
        double x = FIELD (a, col, double), y = FIELD (b, col, double);

        if (isnan (x) != isnan (y))
          return isnan (x) ? 1 : -1;
        if (x != y && !isnan (x))
          return x < y ? -1 : 1;
        break;
      }
    default:
      g_assert_not_reached ();
    }
  /* Equal values keep the order of the ids, so the order is total and stable. */
  return a->id < b->id ? -1 : a->id > b->id;
}

static int
sort_cb (gconstpointer a,
         gconstpointer b,
         gpointer      data)
{
  return compare_rows (HS_TRADE_ROW_ITEM ((gpointer) a)->row, HS_TRADE_ROW_ITEM ((gpointer) b)->row,
                       GPOINTER_TO_INT (data));
}

/* ---- The page ---- */

struct _HsTradesPage
{
  GtkWidget           parent_instance;

  /* template */
  GtkWidget          *root;
  GtkRevealer        *labeler_revealer;
  GtkLabel           *labeler_label;
  GtkProgressBar     *labeler_progress;
  GtkDropDown        *source_dropdown;
  GtkEntry           *query_entry;
  GtkMenuButton      *saved_button;
  GtkListBox         *saved_list;
  GtkEntry           *save_name_entry;
  GtkButton          *save_button;
  GtkLabel           *query_error;
  AdwFlap            *flap;
  AdwViewStack       *stack;
  GtkColumnView      *column_view;
  HsChartWidget      *scatter_chart;
  HsChartWidget      *histogram_chart;
  HsTradeAnalysis    *calibration_view;
  HsTradeAnalysis    *breakdown_view;
  HsTradeInspector   *inspector;
  GtkLabel           *footer;
  GtkWidget          *switcher;
  AdwStatusPage      *empty_status;
  GtkPopover         *completion_popover;   /* (owned) parented to the page */
  GtkListBox         *completion_list;

  char               *db_path;          /* (owned) (nullable) */
  GListStore         *trades;           /* (owned) HsTradeRowItem, as loaded */
  GtkSortListModel   *sorted;           /* (owned) */
  GtkSingleSelection *selection;        /* (owned) */
  GtkStringList      *source_names;     /* (owned) */
  GArray             *source_runs;      /* (owned) gint64 per source_names entry; 0: paper */
  gint64              run_id;
  GStrv               fields;           /* (owned) (nullable) names to complete */
  GStrv               completions;      /* (owned) (nullable) the current ones */
  char               *error_message;    /* (owned) (nullable) */
  GArray             *scatter_ids;      /* (owned) gint64: the trade of each scatter point */
  GSettings          *settings;         /* (owned) (nullable) */
  GCancellable       *load_cancellable;     /* (owned) (nullable) */
  GCancellable       *row_cancellable;      /* (owned) (nullable) */
  GCancellable       *fields_cancellable;   /* (owned) (nullable) */
  GCancellable       *runs_cancellable;     /* (owned) (nullable) */
  GCancellable       *labeler_cancellable;  /* (owned) (nullable) */
  guint               reload_id;
  guint               labeler_timer_id;
  gint64              keep_selected;    /* the trade to select again after a load; 0: none */
  gboolean            updating_source;
  gboolean            completing;
};

G_DEFINE_FINAL_TYPE (HsTradesPage, hs_trades_page, GTK_TYPE_WIDGET)

enum { SIGNAL_TRADES_LOADED, SIGNAL_LABELER_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* How long typing pauses before a valid query runs. */
#define RELOAD_DELAY_MS 300

static void schedule_labeler (HsTradesPage *self);
static void load_fields (HsTradesPage *self);
static void load_runs (HsTradesPage *self);

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  data)
{
  int col = GPOINTER_TO_INT (data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), columns[col].kind == KIND_TEXT ? 0 : 1);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (columns[col].kind != KIND_TEXT)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  data)
{
  int col = GPOINTER_TO_INT (data);
  HsTradeRowItem *trade = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = cell_text (trade->row, col);

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "error");
  if (columns[col].kind == KIND_PCT)
    {
      double v = FIELD (trade->row, col, double);

      if (isfinite (v) && v != 0)
        gtk_widget_add_css_class (label, v > 0 ? "success" : "error");
    }
}

static void
add_columns (HsTradesPage *self)
{
  for (size_t i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      g_autoptr(GtkSorter) sorter = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      sorter = GTK_SORTER (gtk_custom_sorter_new (sort_cb, GINT_TO_POINTER (i), NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_fixed_width (column, columns[i].width);
      if (g_str_equal (columns[i].id, "tags"))
        gtk_column_view_column_set_expand (column, TRUE);
      g_object_set_data (G_OBJECT (column), "hs-column", GINT_TO_POINTER (i));
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }
}

static GtkColumnViewColumn *
find_column (HsTradesPage *self,
             int           col)
{
  GListModel *cols = gtk_column_view_get_columns (self->column_view);

  for (guint i = 0; i < g_list_model_get_n_items (cols); i++)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (cols, i);

      if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (c), "hs-column")) == col)
        return c;
    }
  return NULL;
}

/* ---- The footer and the views ---- */

static char *
mean_text (const char        *what,
           const HsTradeMean *m,
           gboolean           sign)
{
  if (!isfinite (m->mean))
    return g_strdup_printf ("%s —", what);
  /* TRANSLATORS: a mean in the footer, e.g. "P&L +0.12 %" */
  return sign ? g_strdup_printf ("%s %+.2f %%", what, m->mean)
              : g_strdup_printf ("%s %.2f %%", what, m->mean);
}

static void
update_views (HsTradesPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->trades));
  g_autofree HsTradeRow **rows = g_new0 (HsTradeRow *, n + 1);
  g_autoptr(GArray) mae = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) mfe = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pnl = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) returns = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *pnl_text = NULL, *t1h_text = NULL, *mfe_text = NULL, *mae_text = NULL;
  g_autofree char *text = NULL, *conf_text = NULL;
  HsTradeSummary sum;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsTradeRowItem) item = g_list_model_get_item (G_LIST_MODEL (self->trades), i);

      rows[i] = item->row;   /* the store keeps the item alive */
    }
  hs_trade_summary_compute (rows, n, &sum);
  pnl_text = mean_text (_("P&L"), &sum.pnl_pct, TRUE);
  t1h_text = mean_text (_("1h"), &sum.target_pnl_1h, TRUE);
  mfe_text = mean_text (_("MFE"), &sum.mfe_pct, FALSE);
  mae_text = mean_text (_("MAE"), &sum.mae_pct, FALSE);
  conf_text = isfinite (sum.confidence.mean)
    ? g_strdup_printf (_("confidence %.2f"), sum.confidence.mean)
    : g_strdup (_("confidence —"));
  text = g_strdup_printf (ngettext ("%u trade · mean %s · %s · %s · %s · %s",
                                    "%u trades · mean %s · %s · %s · %s · %s", n),
                          n, pnl_text, t1h_text, mfe_text, mae_text, conf_text);
  gtk_label_set_text (self->footer, text);

  g_array_set_size (self->scatter_ids, 0);
  for (guint i = 0; i < n; i++)
    {
      if (isfinite (rows[i]->mae_pct) && isfinite (rows[i]->mfe_pct))
        {
          double p = isfinite (rows[i]->pnl_pct) ? rows[i]->pnl_pct : 0;

          g_array_append_val (mae, rows[i]->mae_pct);
          g_array_append_val (mfe, rows[i]->mfe_pct);
          g_array_append_val (pnl, p);
          g_array_append_val (self->scatter_ids, rows[i]->id);
        }
      if (isfinite (rows[i]->pnl_pct))
        g_array_append_val (returns, rows[i]->pnl_pct);
    }
  hs_chart_widget_set_scatter (self->scatter_chart,
                               hs_scatter_data_new ((double *) (gpointer) mae->data,
                                                    (double *) (gpointer) mfe->data,
                                                    (double *) (gpointer) pnl->data, mae->len));
  hs_chart_widget_set_histogram (self->histogram_chart,
                                 hs_histogram_data_new ((double *) (gpointer) returns->data,
                                                        returns->len, HS_CHART_FORMAT_PERCENT,
                                                        _("Realized P&L of the closed trades")));
  /* An empty list says why. */
  gtk_widget_set_visible (GTK_WIDGET (self->empty_status), n == 0 && self->db_path != NULL);
  if (gtk_editable_get_text (GTK_EDITABLE (self->query_entry))[0] != '\0')
    {
      adw_status_page_set_title (self->empty_status, _("No Trades Match"));
      adw_status_page_set_description (self->empty_status,
                                       _("No trade satisfies this query. Loosen a condition, or "
                                         "check the fields' names with the completion (Tab)."));
    }
  else
    {
      adw_status_page_set_title (self->empty_status, self->run_id > 0 ? _("No Trades in This Run")
                                                                      : _("No Paper Trades Yet"));
      adw_status_page_set_description (self->empty_status,
                                       self->run_id > 0
                                       ? _("The backtest made no trades.")
                                       : _("Record a bot's trades with “hindsight-cli paper "
                                           "import FILE” (or “paper open”); they show here with "
                                           "their context, reasoning and outcome."));
    }
  hs_trade_analysis_set_rows (self->calibration_view, rows, n);
  hs_trade_analysis_set_rows (self->breakdown_view, rows, n);
}

/* ---- Loading ---- */

static void
show_error (HsTradesPage *self,
            const char   *message)
{
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  gtk_label_set_text (self->query_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->query_error), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->query_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->query_entry), "error");
}

static gint64
selected_id (HsTradesPage *self)
{
  HsTradeRowItem *item = gtk_single_selection_get_selected_item (self->selection);

  return item != NULL ? item->row->id : 0;
}

static guint
position_of (HsTradesPage *self,
             gint64        id)
{
  GListModel *model = G_LIST_MODEL (self->sorted);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsTradeRowItem) item = g_list_model_get_item (model, i);

      if (item->row->id == id)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
load_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsTradesPage) self = g_weak_ref_get (&data->owner);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = hs_trades_job_load_finish (res, &error);
  g_autoptr(GPtrArray) items = NULL;

  if (self == NULL || data->cancellable != self->load_cancellable)
    return;
  g_clear_object (&self->load_cancellable);
  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      g_signal_emit (self, signals[SIGNAL_TRADES_LOADED], 0);
      return;
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (items, hs_trade_row_item_new (g_steal_pointer (&rows->pdata[i])));
  /* A new store swapped in: the sort model then sorts once, where a splice into the shown
   * store would make it and the list react to every removed and inserted row. */
  {
    GListStore *fresh = g_list_store_new (HS_TYPE_TRADE_ROW_ITEM);

    g_list_store_splice (fresh, 0, 0, items->pdata, items->len);
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
    gtk_sort_list_model_set_model (self->sorted, G_LIST_MODEL (fresh));
    g_set_object (&self->trades, fresh);
    g_object_unref (fresh);
  }
  if (self->keep_selected != 0)
    {
      guint pos = position_of (self, self->keep_selected);

      gtk_single_selection_set_selected (self->selection, pos);
    }
  update_views (self);
  g_signal_emit (self, signals[SIGNAL_TRADES_LOADED], 0);
}

static void
start_load (HsTradesPage *self)
{
  g_autofree char *filter = NULL;
  HsTradesQuery query = { 0 };

  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->db_path == NULL || self->error_message != NULL)
    return;
  filter = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->query_entry)));
  query.run_id = self->run_id;
  query.filter = filter;
  self->keep_selected = selected_id (self);
  self->load_cancellable = g_cancellable_new ();
  hs_trades_job_load_async (self->db_path, &query, self->load_cancellable, load_cb,
                            hs_ui_job_new (self, self->load_cancellable));
}

/**
 * hs_trades_page_reload:
 *
 * Reads the trades of the current source and query again (a no-op while the query has an
 * error, or without a database).
 */
void
hs_trades_page_reload (HsTradesPage *self)
{
  g_return_if_fail (HS_IS_TRADES_PAGE (self));
  start_load (self);
}

/* Whether a read is under way or due: the trades, a row, the runs or the completion names. */
gboolean
hs_trades_page_get_loading (HsTradesPage *self)
{
  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), FALSE);
  return self->load_cancellable != NULL || self->reload_id != 0 || self->row_cancellable != NULL
         || self->fields_cancellable != NULL || self->runs_cancellable != NULL;
}

static gboolean
reload_timeout_cb (gpointer data)
{
  HsTradesPage *self = data;

  self->reload_id = 0;
  start_load (self);
  return G_SOURCE_REMOVE;
}

/* ---- The query bar: validation ---- */

static void
validate (HsTradesPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->query_entry));
  HsQueryRequest request = { self->run_id > 0 ? HS_QUERY_BACKTEST_TRADES
                                              : HS_QUERY_PAPER_TRADES, text, NULL, NULL, NULL, 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsQuery) query = NULL;
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  const char *error_text = NULL;
  size_t error_offset = 0;

  query = hs_query_compile (&request, &error_text, &error_offset, &error);
  if (query == NULL)
    {
      /* The error's place: from its column to the end of the word there (at least one
       * character), underlined in the entry. Entry attributes index bytes. */
      size_t start = error_text == text ? MIN (error_offset, strlen (text)) : 0;
      size_t end = start;
      PangoAttribute *a;

      while (text[end] != '\0' && (g_ascii_isalnum (text[end]) || text[end] == '_'
                                   || text[end] == '.'))
        end++;
      if (end == start && text[end] != '\0')
        end = g_utf8_next_char (text + end) - text;
      a = pango_attr_underline_new (PANGO_UNDERLINE_ERROR);
      a->start_index = start;
      a->end_index = end > start ? end : start + 1;
      pango_attr_list_insert (attrs, a);
      a = pango_attr_foreground_new (0xc000, 0x1c00, 0x2800);
      a->start_index = start;
      a->end_index = end > start ? end : start + 1;
      pango_attr_list_insert (attrs, a);
      show_error (self, error->message);
    }
  else
    show_error (self, NULL);
  gtk_entry_set_attributes (self->query_entry, attrs);
}

/* ---- The query bar: completion ---- */

/* The name being typed before the cursor: its start in bytes. */
static size_t
word_start (const char *text,
            size_t      cursor)
{
  size_t start = cursor;

  while (start > 0 && (g_ascii_isalnum (text[start - 1]) || text[start - 1] == '_'
                       || text[start - 1] == '.'))
    start--;
  return start;
}

static size_t
cursor_byte (HsTradesPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->query_entry));
  int pos = gtk_editable_get_position (GTK_EDITABLE (self->query_entry));

  return (size_t) (g_utf8_offset_to_pointer (text, pos) - text);
}

static void
completion_row_activated_cb (HsTradesPage  *self,
                             GtkListBoxRow *row,
                             GtkListBox    *list)
{
  hs_trades_page_complete (self, (guint) gtk_list_box_row_get_index (row));
}

static gboolean
entry_has_focus (HsTradesPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == GTK_WIDGET (self->query_entry)
                           || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->query_entry)));
}

static void
update_completions (HsTradesPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->query_entry));
  size_t cursor = cursor_byte (self), start = word_start (text, cursor);
  g_autofree char *prefix = g_strndup (text + start, cursor - start);
  g_autoptr(GStrvBuilder) found = g_strv_builder_new ();
  GtkWidget *child;
  guint n = 0;

  g_clear_pointer (&self->completions, g_strfreev);
  if (prefix[0] != '\0' && !g_ascii_isdigit (prefix[0]) && self->fields != NULL)
    for (size_t i = 0; self->fields[i] != NULL && n < 50; i++)
      if (g_str_has_prefix (self->fields[i], prefix) && !g_str_equal (self->fields[i], prefix))
        {
          g_strv_builder_add (found, self->fields[i]);
          n++;
        }
  self->completions = g_strv_builder_end (found);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->completion_list))) != NULL)
    gtk_list_box_remove (self->completion_list, child);
  for (guint i = 0; i < n && i < 12; i++)
    {
      GtkWidget *label = gtk_label_new (self->completions[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "monospace");
      gtk_list_box_append (self->completion_list, label);
    }
  /* Offered while the user types in the bar (not for a text set from elsewhere). */
  if (n > 0 && gtk_widget_get_mapped (GTK_WIDGET (self)) && entry_has_focus (self))
    gtk_popover_popup (self->completion_popover);
  else
    gtk_popover_popdown (self->completion_popover);
}

/**
 * hs_trades_page_dup_completions:
 *
 * Returns: (transfer full): the names that complete the one being typed at the cursor: fields
 *   of the query language and the JSON paths the stored context holds
 */
GStrv
hs_trades_page_dup_completions (HsTradesPage *self)
{
  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), NULL);
  if (self->completions == NULL)
    return g_new0 (char *, 1);
  return g_strdupv (self->completions);
}

/**
 * hs_trades_page_complete:
 * @index: a completion, as hs_trades_page_dup_completions() lists them
 *
 * Replaces the name being typed with completion @index.
 *
 * Returns: %FALSE when there is no such completion
 */
gboolean
hs_trades_page_complete (HsTradesPage *self,
                         guint         index)
{
  g_autofree char *name = NULL;
  const char *text;
  size_t cursor, start;
  int pos;

  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), FALSE);
  if (self->completions == NULL || index >= g_strv_length (self->completions))
    return FALSE;
  name = g_strdup (self->completions[index]);
  text = gtk_editable_get_text (GTK_EDITABLE (self->query_entry));
  cursor = cursor_byte (self);
  start = word_start (text, cursor);
  pos = (int) g_utf8_pointer_to_offset (text, text + start);
  self->completing = TRUE;
  gtk_editable_delete_text (GTK_EDITABLE (self->query_entry), pos,
                            (int) g_utf8_pointer_to_offset (text, text + cursor));
  gtk_editable_insert_text (GTK_EDITABLE (self->query_entry), name, -1, &pos);
  gtk_editable_set_position (GTK_EDITABLE (self->query_entry), pos);
  self->completing = FALSE;
  g_clear_pointer (&self->completions, g_strfreev);
  gtk_popover_popdown (self->completion_popover);
  validate (self);
  if (self->error_message == NULL)
    {
      g_clear_handle_id (&self->reload_id, g_source_remove);
      self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
    }
  return TRUE;
}

static void
query_changed_cb (HsTradesPage *self)
{
  if (self->completing)
    return;
  validate (self);
  update_completions (self);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->error_message == NULL)
    self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
}

/* While typing, "changed" comes before the cursor moves past the new text: the name at the
 * cursor is read again when it has. */
static void
query_cursor_cb (HsTradesPage *self)
{
  if (!self->completing)
    update_completions (self);
}

static void
query_activate_cb (HsTradesPage *self)
{
  gtk_popover_popdown (self->completion_popover);
  start_load (self);
}

/* Tab takes the first completion; Down moves into the list; Escape closes it. */
static gboolean
query_key_cb (HsTradesPage          *self,
              guint                  keyval,
              guint                  keycode,
              GdkModifierType        state,
              GtkEventControllerKey *controller)
{
  gboolean open = gtk_widget_get_visible (GTK_WIDGET (self->completion_popover));

  if (!open || self->completions == NULL || self->completions[0] == NULL)
    return FALSE;
  if (keyval == GDK_KEY_Tab)
    return hs_trades_page_complete (self, 0);
  if (keyval == GDK_KEY_Escape)
    {
      gtk_popover_popdown (self->completion_popover);
      return TRUE;
    }
  if (keyval == GDK_KEY_Down)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->completion_list, 0);

      if (row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (row));
      return TRUE;
    }
  return FALSE;
}

/* ---- Saved queries (GSettings saved-trade-queries) ---- */

static void rebuild_saved (HsTradesPage *self);

static void
saved_apply_cb (GtkButton    *button,
                HsTradesPage *self)
{
  hs_trades_page_apply_saved_query (self, g_object_get_data (G_OBJECT (button), "hs-name"));
  gtk_menu_button_popdown (self->saved_button);
}

static void
saved_delete_cb (GtkButton    *button,
                 HsTradesPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "hs-name");
  g_autoptr(GVariant) old = NULL;
  GVariantBuilder b;
  GVariantIter iter;
  const char *n, *q;

  if (self->settings == NULL)
    return;
  old = g_settings_get_value (self->settings, "saved-trade-queries");
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a(ss)"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "(&s&s)", &n, &q))
    if (!g_str_equal (n, name))
      g_variant_builder_add (&b, "(ss)", n, q);
  g_settings_set_value (self->settings, "saved-trade-queries", g_variant_builder_end (&b));
}

static void
rebuild_saved (HsTradesPage *self)
{
  g_autoptr(GVariant) saved = NULL;
  GtkWidget *child;
  GVariantIter iter;
  const char *name, *query;
  gboolean any = FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->saved_list))) != NULL)
    gtk_list_box_remove (self->saved_list, child);
  if (self->settings != NULL)
    {
      saved = g_settings_get_value (self->settings, "saved-trade-queries");
      g_variant_iter_init (&iter, saved);
      while (g_variant_iter_next (&iter, "(&s&s)", &name, &query))
        {
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
          GtkWidget *apply = gtk_button_new ();
          GtkWidget *label = gtk_label_new (name);
          GtkWidget *del = gtk_button_new_from_icon_name ("user-trash-symbolic");
          g_autofree char *del_name = g_strdup_printf (_("Delete the saved query “%s”"), name);

          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_button_set_child (GTK_BUTTON (apply), label);
          gtk_widget_set_tooltip_text (apply, query);
          gtk_widget_set_hexpand (apply, TRUE);
          gtk_widget_add_css_class (apply, "flat");
          gtk_widget_add_css_class (del, "flat");
          gtk_widget_set_tooltip_text (del, del_name);
          gtk_accessible_update_property (GTK_ACCESSIBLE (del), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          del_name, -1);
          g_object_set_data_full (G_OBJECT (apply), "hs-name", g_strdup (name), g_free);
          g_object_set_data_full (G_OBJECT (del), "hs-name", g_strdup (name), g_free);
          g_signal_connect_object (apply, "clicked", G_CALLBACK (saved_apply_cb), self, 0);
          g_signal_connect_object (del, "clicked", G_CALLBACK (saved_delete_cb), self, 0);
          gtk_box_append (GTK_BOX (box), apply);
          gtk_box_append (GTK_BOX (box), del);
          gtk_list_box_append (self->saved_list, box);
          any = TRUE;
        }
    }
  if (!any)
    {
      GtkWidget *empty = gtk_label_new (self->settings != NULL
                                        ? _("No saved queries yet")
                                        : _("Saved queries need the installed settings schema"));

      gtk_widget_add_css_class (empty, "dim-label");
      gtk_widget_set_margin_top (empty, 6);
      gtk_widget_set_margin_bottom (empty, 6);
      gtk_list_box_append (self->saved_list, empty);
    }
}

/**
 * hs_trades_page_save_query:
 * @name: the name; a saved query of that name is replaced
 *
 * Saves the query in the bar under @name (GSettings saved-trade-queries).
 *
 * Returns: %FALSE when there is no query, no name, or no settings schema
 */
gboolean
hs_trades_page_save_query (HsTradesPage *self,
                           const char   *name)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->query_entry));
  g_autoptr(GVariant) old = NULL;
  g_autofree char *clean = NULL;
  GVariantBuilder b;
  GVariantIter iter;
  const char *n, *q;

  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), FALSE);
  clean = g_strstrip (g_strdup (name != NULL ? name : ""));
  if (self->settings == NULL || clean[0] == '\0' || text[0] == '\0')
    return FALSE;
  old = g_settings_get_value (self->settings, "saved-trade-queries");
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a(ss)"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "(&s&s)", &n, &q))
    if (!g_str_equal (n, clean))
      g_variant_builder_add (&b, "(ss)", n, q);
  g_variant_builder_add (&b, "(ss)", clean, text);
  return g_settings_set_value (self->settings, "saved-trade-queries", g_variant_builder_end (&b));
}

/**
 * hs_trades_page_apply_saved_query:
 *
 * Puts the saved query @name into the bar (and runs it).
 *
 * Returns: %FALSE when no query of that name is saved
 */
gboolean
hs_trades_page_apply_saved_query (HsTradesPage *self,
                                  const char   *name)
{
  g_autoptr(GVariant) saved = NULL;
  GVariantIter iter;
  const char *n, *q;

  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), FALSE);
  if (self->settings == NULL || name == NULL)
    return FALSE;
  saved = g_settings_get_value (self->settings, "saved-trade-queries");
  g_variant_iter_init (&iter, saved);
  while (g_variant_iter_next (&iter, "(&s&s)", &n, &q))
    if (g_str_equal (n, name))
      {
        hs_trades_page_set_query (self, q);
        return TRUE;
      }
  return FALSE;
}

static void
save_clicked_cb (HsTradesPage *self)
{
  if (hs_trades_page_save_query (self,
                                 gtk_editable_get_text (GTK_EDITABLE (self->save_name_entry))))
    gtk_editable_set_text (GTK_EDITABLE (self->save_name_entry), "");
}

/* ---- The source: paper trades or a run ---- */

static void
source_selected_cb (HsTradesPage *self)
{
  guint i = gtk_drop_down_get_selected (self->source_dropdown);

  if (self->updating_source || i == GTK_INVALID_LIST_POSITION || i >= self->source_runs->len)
    return;
  hs_trades_page_set_run (self, g_array_index (self->source_runs, gint64, i));
}

static void
runs_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsTradesPage) self = g_weak_ref_get (&data->owner);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRunsList) list = hs_runs_job_list_finish (res, &error);
  guint selected = 0;

  if (self == NULL || data->cancellable != self->runs_cancellable)
    return;
  g_clear_object (&self->runs_cancellable);
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Trades page: cannot list the backtest runs: %s", error->message);
      return;
    }
  self->updating_source = TRUE;
  gtk_string_list_splice (self->source_names, 1,
                          g_list_model_get_n_items (G_LIST_MODEL (self->source_names)) - 1, NULL);
  g_array_set_size (self->source_runs, 1);
  for (guint i = 0; i < list->runs->len; i++)
    {
      const HsBtRunRow *run = list->runs->pdata[i];
      g_autofree char *name = g_strdup_printf (_("Backtest #%lld · %s · %s"),
                                               (long long) run->info->id,
                                               run->info->strategy_name,
                                               run->info->symbol);

      if (run->info->id == self->run_id)
        selected = self->source_runs->len;
      gtk_string_list_append (self->source_names, name);
      g_array_append_val (self->source_runs, run->info->id);
    }
  gtk_drop_down_set_selected (self->source_dropdown, selected);
  self->updating_source = FALSE;
}

static void
load_runs (HsTradesPage *self)
{
  HsRunsQuery query;

  g_cancellable_cancel (self->runs_cancellable);
  g_clear_object (&self->runs_cancellable);
  if (self->db_path == NULL)
    return;
  hs_runs_query_init (&query);
  query.limit = 200;
  self->runs_cancellable = g_cancellable_new ();
  hs_runs_job_list_async (self->db_path, &query, self->runs_cancellable, runs_cb,
                          hs_ui_job_new (self, self->runs_cancellable));
  hs_runs_query_clear (&query);
}

/**
 * hs_trades_page_set_run:
 * @run_id: 0 for the paper trades, or a backtest run
 *
 * Shows the trades of @run_id (the query bar then reads backtest_trades' fields).
 */
void
hs_trades_page_set_run (HsTradesPage *self,
                        gint64        run_id)
{
  g_return_if_fail (HS_IS_TRADES_PAGE (self));
  if (self->run_id == run_id)
    return;
  self->run_id = run_id;
  self->updating_source = TRUE;
  for (guint i = 0; i < self->source_runs->len; i++)
    if (g_array_index (self->source_runs, gint64, i) == run_id)
      gtk_drop_down_set_selected (self->source_dropdown, i);
  self->updating_source = FALSE;
  /* Backtest trades have no reasoning to inspect. */
  adw_flap_set_reveal_flap (self->flap, FALSE);
  validate (self);
  start_load (self);
}

gint64
hs_trades_page_get_run (HsTradesPage *self)
{
  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), 0);
  return self->run_id;
}

/* ---- Completion names ---- */

static void
fields_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsTradesPage) self = g_weak_ref_get (&data->owner);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = hs_trades_job_fields_finish (res, &error);

  if (self == NULL || data->cancellable != self->fields_cancellable)
    return;
  g_clear_object (&self->fields_cancellable);
  if (fields == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Trades page: cannot read the context paths: %s", error->message);
      return;
    }
  g_strfreev (self->fields);
  self->fields = g_steal_pointer (&fields);
}

static void
load_fields (HsTradesPage *self)
{
  g_cancellable_cancel (self->fields_cancellable);
  g_clear_object (&self->fields_cancellable);
  if (self->db_path == NULL)
    return;
  self->fields_cancellable = g_cancellable_new ();
  hs_trades_job_fields_async (self->db_path, self->fields_cancellable, fields_cb,
                              hs_ui_job_new (self, self->fields_cancellable));
}

/* ---- Selection, the inspector and the charts ---- */

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_list_view (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* GTK 4.8 has no gtk_column_view_scroll_to(): the column view's own list scrolls to a row with
 * its "list.scroll-to-item" action. */
static void
scroll_to_selected (HsTradesPage *self)
{
  guint pos = gtk_single_selection_get_selected (self->selection);
  GtkWidget *list = find_list_view (GTK_WIDGET (self->column_view));

  if (pos != GTK_INVALID_LIST_POSITION && list != NULL)
    gtk_widget_activate_action (list, "list.scroll-to-item", "u", pos);
}

static void
selection_changed_cb (HsTradesPage *self)
{
  gint64 id = selected_id (self);

  if (id == 0 || self->inspector == NULL)   /* nothing, or the page is being disposed */
    return;
  scroll_to_selected (self);
  if (self->run_id == 0)
    {
      hs_trade_inspector_show_trade (self->inspector, id);
      adw_flap_set_reveal_flap (self->flap, TRUE);
    }
}

static void
navigate_cb (HsTradesPage     *self,
             int               step,
             HsTradeInspector *inspector)
{
  guint pos = gtk_single_selection_get_selected (self->selection);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  gint64 target;

  if (pos == GTK_INVALID_LIST_POSITION)
    {
      /* The inspector shows a trade the list no longer selects: start from it. */
      pos = position_of (self, hs_trade_inspector_get_trade_id (inspector));
      if (pos == GTK_INVALID_LIST_POSITION)
        return;
    }
  target = (gint64) pos + step;
  if (target < 0 || target >= n)
    return;
  gtk_single_selection_set_selected (self->selection, (guint) target);
}

static void
row_cb (GObject      *source,
        GAsyncResult *res,
        gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsTradesPage) self = g_weak_ref_get (&data->owner);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = hs_trades_job_load_finish (res, &error);
  gint64 keep;

  if (self == NULL || data->cancellable != self->row_cancellable)
    return;
  g_clear_object (&self->row_cancellable);
  if (rows == NULL || rows->len != 1)
    return;
  keep = selected_id (self);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->trades)); i++)
    {
      g_autoptr(HsTradeRowItem) item = g_list_model_get_item (G_LIST_MODEL (self->trades), i);

      if (item->row->id == ((HsTradeRow *) rows->pdata[0])->id)
        {
          g_autoptr(HsTradeRowItem) fresh =
            hs_trade_row_item_new (g_steal_pointer (&rows->pdata[0]));

          g_list_store_splice (self->trades, i, 1, (gpointer *) &fresh, 1);
          break;
        }
    }
  if (keep != 0 && selected_id (self) != keep)
    gtk_single_selection_set_selected (self->selection, position_of (self, keep));
  update_views (self);
}

static void
trade_changed_cb (HsTradesPage     *self,
                  gint64            id,
                  HsTradeInspector *inspector)
{
  g_autofree char *filter = g_strdup_printf ("id == %" G_GINT64_FORMAT, id);
  HsTradesQuery query = { 0, filter };

  if (self->db_path == NULL || self->run_id != 0)
    return;
  g_cancellable_cancel (self->row_cancellable);
  g_clear_object (&self->row_cancellable);
  self->row_cancellable = g_cancellable_new ();
  hs_trades_job_load_async (self->db_path, &query, self->row_cancellable, row_cb,
                            hs_ui_job_new (self, self->row_cancellable));
}

static void
scatter_activated_cb (HsTradesPage  *self,
                      int            index,
                      HsChartWidget *chart)
{
  if (index < 0 || (guint) index >= self->scatter_ids->len)
    return;
  hs_trades_page_select_trade (self, g_array_index (self->scatter_ids, gint64, index));
}

/* ---- The labeler ---- */

static void
labeler_progress_cb (double      fraction,
                     const char *message,
                     gpointer    user_data)
{
  HsUiJob *data = user_data;
  g_autoptr(HsTradesPage) self = g_weak_ref_get (&data->owner);

  if (self == NULL || data->cancellable != self->labeler_cancellable)
    return;
  gtk_progress_bar_set_fraction (self->labeler_progress, CLAMP (fraction, 0, 1));
  if (message != NULL)
    gtk_progress_bar_set_text (self->labeler_progress, message);
}

static void
labeler_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsTradesPage) self = g_weak_ref_get (&data->owner);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLabelResult) result = hs_label_job_run_finish (res, &error);
  int n_labeled = -1;

  if (self == NULL || data->cancellable != self->labeler_cancellable)
    return;
  g_clear_object (&self->labeler_cancellable);
  gtk_revealer_set_reveal_child (self->labeler_revealer, FALSE);
  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Trades page: the labeler failed: %s", error->message);
    }
  else
    {
      n_labeled = (int) result->labeled->len;
      /* Newly labeled trades change in place: the list is read again, the selection kept. */
      if (n_labeled > 0)
        start_load (self);
    }
  schedule_labeler (self);
  g_signal_emit (self, signals[SIGNAL_LABELER_FINISHED], 0, n_labeled);
}

/**
 * hs_trades_page_run_labeler:
 *
 * Labels the closed trades that have no labels yet on a worker (hs_label_job_run_async()), with
 * its progress at the top of the page; the list is read again when it labeled any.
 *
 * Returns: %FALSE when it is already running or no database is open
 */
gboolean
hs_trades_page_run_labeler (HsTradesPage *self)
{
  HsLabelRequest request;

  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), FALSE);
  if (self->db_path == NULL || self->labeler_cancellable != NULL)
    return FALSE;
  hs_label_request_init (&request);
  self->labeler_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->labeler_progress, 0);
  gtk_progress_bar_set_show_text (self->labeler_progress, TRUE);
  gtk_progress_bar_set_text (self->labeler_progress, NULL);
  gtk_revealer_set_reveal_child (self->labeler_revealer, TRUE);
  {
    HsUiJob *progress = hs_ui_job_new (self, self->labeler_cancellable);

    /* The progress data lives as long as the page's cancellable holds it. */
    g_object_set_data_full (G_OBJECT (self->labeler_cancellable), "hs-progress", progress,
                            (GDestroyNotify) hs_ui_job_free);
    hs_label_job_run_async (self->db_path, &request, labeler_progress_cb, progress,
                            self->labeler_cancellable, labeler_cb,
                            hs_ui_job_new (self, self->labeler_cancellable));
  }
  return TRUE;
}

gboolean
hs_trades_page_get_labeling (HsTradesPage *self)
{
  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), FALSE);
  return self->labeler_cancellable != NULL;
}

static gboolean
labeler_timer_cb (gpointer data)
{
  HsTradesPage *self = data;

  self->labeler_timer_id = 0;
  if (!hs_trades_page_run_labeler (self))
    schedule_labeler (self);
  return G_SOURCE_REMOVE;
}

/* The next run: today at labeler-hour (local time) if that is still ahead, else tomorrow. */
static void
schedule_labeler (HsTradesPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) at = NULL;
  int hour = self->settings != NULL ? g_settings_get_int (self->settings, "labeler-hour") : 6;
  GTimeSpan wait;

  g_clear_handle_id (&self->labeler_timer_id, g_source_remove);
  if (self->db_path == NULL)
    return;
  at = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                              g_date_time_get_day_of_month (now), CLAMP (hour, 0, 23), 0, 0);
  if (at == NULL)
    return;
  if (g_date_time_compare (at, now) <= 0)
    {
      GDateTime *next = g_date_time_add_days (at, 1);

      g_date_time_unref (at);
      at = next;
    }
  wait = g_date_time_difference (at, now);
  self->labeler_timer_id = g_timeout_add_seconds ((guint) MAX (1, wait / G_TIME_SPAN_SECOND),
                                                  labeler_timer_cb, self);
}

/* ---- Public ---- */

/**
 * hs_trades_page_set_database_path:
 * @db_path: (nullable): the database; %NULL empties the page
 *
 * Reads the trades, the runs and the completion names of @db_path (or drops them), and plans
 * the labeler's daily run. The labeler's start-up run is hs_trades_page_run_labeler().
 */
void
hs_trades_page_set_database_path (HsTradesPage *self,
                                  const char   *db_path)
{
  g_return_if_fail (HS_IS_TRADES_PAGE (self));

  g_cancellable_cancel (self->labeler_cancellable);
  g_clear_object (&self->labeler_cancellable);
  gtk_revealer_set_reveal_child (self->labeler_revealer, FALSE);
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  hs_trade_inspector_set_database (self->inspector, db_path);
  adw_flap_set_reveal_flap (self->flap, FALSE);
  self->run_id = 0;
  self->updating_source = TRUE;
  gtk_string_list_splice (self->source_names, 1,
                          g_list_model_get_n_items (G_LIST_MODEL (self->source_names)) - 1, NULL);
  g_array_set_size (self->source_runs, 1);
  gtk_drop_down_set_selected (self->source_dropdown, 0);
  self->updating_source = FALSE;
  g_list_store_remove_all (self->trades);
  update_views (self);
  validate (self);
  start_load (self);
  load_fields (self);
  load_runs (self);
  schedule_labeler (self);
}

const char *
hs_trades_page_get_database_path (HsTradesPage *self)
{
  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), NULL);
  return self->db_path;
}

/**
 * hs_trades_page_set_query:
 *
 * Puts @text into the query bar and, when it compiles, reads the trades it selects at once.
 */
void
hs_trades_page_set_query (HsTradesPage *self,
                          const char   *text)
{
  g_return_if_fail (HS_IS_TRADES_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->query_entry), text != NULL ? text : "");
  gtk_editable_set_position (GTK_EDITABLE (self->query_entry), -1);
  validate (self);
  gtk_popover_popdown (self->completion_popover);
  start_load (self);
}

GtkEntry *
hs_trades_page_get_query_entry (HsTradesPage *self)
{
  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), NULL);
  return self->query_entry;
}

/* Returns: (nullable): the query's error as shown, or %NULL when it compiles */
const char *
hs_trades_page_get_query_error (HsTradesPage *self)
{
  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), NULL);
  return self->error_message;
}

guint
hs_trades_page_get_n_trades (HsTradesPage *self)
{
  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
}

/* Returns: (transfer none) (nullable): the trade at @position of the sorted list */
const HsTradeRow *
hs_trades_page_get_row (HsTradesPage *self,
                        guint         position)
{
  g_autoptr(HsTradeRowItem) item = NULL;

  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), NULL);
  item = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);
  return item != NULL ? item->row : NULL;   /* the store keeps the item alive */
}

/* Returns: (transfer full) (nullable): the text of a cell as the list shows it; @column is a
 *   column id (docs/ui-trades.md) */
char *
hs_trades_page_dup_cell_text (HsTradesPage *self,
                              guint         position,
                              const char   *column)
{
  const HsTradeRow *row = hs_trades_page_get_row (self, position);
  int col = column_index (column);

  if (row == NULL || col < 0)
    return NULL;
  return cell_text (row, col);
}

/* Sorts the list as a click on the column's header does. Returns: %FALSE for an unknown id */
gboolean
hs_trades_page_sort_by (HsTradesPage *self,
                        const char   *column,
                        gboolean      descending)
{
  int col;
  GtkColumnViewColumn *c;

  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), FALSE);
  col = column_index (column);
  c = col >= 0 ? find_column (self, col) : NULL;
  if (c == NULL)
    return FALSE;
  gtk_column_view_sort_by_column (self->column_view, c,
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  return TRUE;
}

gboolean
hs_trades_page_select (HsTradesPage *self,
                       guint         position)
{
  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), FALSE);
  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->sorted)))
    return FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  return TRUE;
}

int
hs_trades_page_get_selected (HsTradesPage *self)
{
  guint pos;

  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), -1);
  pos = gtk_single_selection_get_selected (self->selection);
  return pos == GTK_INVALID_LIST_POSITION ? -1 : (int) pos;
}

/* Selects (and inspects) trade @trade_id. Returns: %FALSE when the list does not hold it */
gboolean
hs_trades_page_select_trade (HsTradesPage *self,
                             gint64        trade_id)
{
  guint pos;

  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), FALSE);
  pos = position_of (self, trade_id);
  if (pos == GTK_INVALID_LIST_POSITION)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, pos);
  return TRUE;
}

const char *
hs_trades_page_get_footer (HsTradesPage *self)
{
  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), NULL);
  return gtk_label_get_text (self->footer);
}

/* @name: list, scatter, distribution, calibration or breakdown */
void
hs_trades_page_show_view (HsTradesPage *self,
                          const char   *name)
{
  g_return_if_fail (HS_IS_TRADES_PAGE (self));
  adw_view_stack_set_visible_child_name (self->stack, name);
}

/* Returns: (transfer none) (nullable): the widget of a view: the column view, a chart widget,
 *   or an HsTradeAnalysis */
GtkWidget *
hs_trades_page_get_view (HsTradesPage *self,
                         const char   *name)
{
  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), NULL);
  if (g_str_equal (name, "list"))
    return GTK_WIDGET (self->column_view);
  if (g_str_equal (name, "scatter"))
    return GTK_WIDGET (self->scatter_chart);
  if (g_str_equal (name, "distribution"))
    return GTK_WIDGET (self->histogram_chart);
  if (g_str_equal (name, "calibration"))
    return GTK_WIDGET (self->calibration_view);
  if (g_str_equal (name, "breakdown"))
    return GTK_WIDGET (self->breakdown_view);
  return NULL;
}

/* Returns: (transfer none): the HsTradeInspector */
GtkWidget *
hs_trades_page_get_inspector (HsTradesPage *self)
{
  g_return_val_if_fail (HS_IS_TRADES_PAGE (self), NULL);
  return GTK_WIDGET (self->inspector);
}

/* ---- GObject ---- */

static void
collect_buttons (GtkWidget *widget,
                 GPtrArray *out)
{
  if (GTK_IS_BUTTON (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_buttons (c, out);
}

/* AdwViewSwitcher's buttons show their page's title in a label of their own, which a screen
 * reader reads but which the button does not carry as its name: give them the titles. */
static void
name_switcher_buttons (HsTradesPage *self,
                       GtkWidget    *switcher)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->stack);

  collect_buttons (switcher, buttons);
  for (guint i = 0; i < buttons->len && i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      gtk_accessible_update_property (GTK_ACCESSIBLE (buttons->pdata[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      adw_view_stack_page_get_title (page), -1);
    }
}

static void
hs_trades_page_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  HsTradesPage *self = HS_TRADES_PAGE (widget);
  graphene_rect_t bounds;

  gtk_widget_allocate (self->root, width, height, baseline, NULL);
  /* The completion list hangs below the query entry. */
  if (gtk_widget_compute_bounds (GTK_WIDGET (self->query_entry), widget, &bounds))
    {
      GdkRectangle r = { (int) bounds.origin.x, (int) bounds.origin.y,
                         (int) bounds.size.width, (int) bounds.size.height };

      gtk_popover_set_pointing_to (self->completion_popover, &r);
    }
  gtk_popover_present (self->completion_popover);
}

static void
hs_trades_page_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  gtk_widget_measure (HS_TRADES_PAGE (widget)->root, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
hs_trades_page_dispose (GObject *object)
{
  HsTradesPage *self = HS_TRADES_PAGE (object);

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->row_cancellable);
  g_cancellable_cancel (self->fields_cancellable);
  g_cancellable_cancel (self->runs_cancellable);
  g_cancellable_cancel (self->labeler_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->row_cancellable);
  g_clear_object (&self->fields_cancellable);
  g_clear_object (&self->runs_cancellable);
  g_clear_object (&self->labeler_cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_handle_id (&self->labeler_timer_id, g_source_remove);
  if (self->completion_popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->completion_popover));
      self->completion_popover = NULL;
    }
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_TRADES_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->trades);
  g_clear_object (&self->source_names);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (hs_trades_page_parent_class)->dispose (object);
}

static void
hs_trades_page_finalize (GObject *object)
{
  HsTradesPage *self = HS_TRADES_PAGE (object);

  g_free (self->db_path);
  g_free (self->error_message);
  g_strfreev (self->fields);
  g_strfreev (self->completions);
  g_clear_pointer (&self->source_runs, g_array_unref);
  g_clear_pointer (&self->scatter_ids, g_array_unref);
  G_OBJECT_CLASS (hs_trades_page_parent_class)->finalize (object);
}

static void
hs_trades_page_class_init (HsTradesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hs_ui_init ();
  g_type_ensure (HS_TYPE_CHART_WIDGET);
  g_type_ensure (HS_TYPE_TRADE_ANALYSIS);
  g_type_ensure (HS_TYPE_TRADE_INSPECTOR);
  object_class->dispose = hs_trades_page_dispose;
  object_class->finalize = hs_trades_page_finalize;
  widget_class->size_allocate = hs_trades_page_size_allocate;
  widget_class->measure = hs_trades_page_measure;

  signals[SIGNAL_TRADES_LOADED] =
    g_signal_new ("trades-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_LABELER_FINISHED] =
    g_signal_new ("labeler-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/hs-trades-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, root);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, labeler_revealer);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, labeler_label);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, labeler_progress);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, query_entry);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, saved_button);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, saved_list);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, save_name_entry);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, query_error);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, flap);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, scatter_chart);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, histogram_chart);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, calibration_view);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, breakdown_view);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, inspector);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, footer);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, switcher);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, completion_popover);
  gtk_widget_class_bind_template_child (widget_class, HsTradesPage, completion_list);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hs_trades_page_init (HsTradesPage *self)
{
  GtkEventController *keys;
  GtkSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));
  name_switcher_buttons (self, self->switcher);
  gtk_widget_set_parent (GTK_WIDGET (self->completion_popover), GTK_WIDGET (self));
  g_signal_connect_object (self->completion_list, "row-activated",
                           G_CALLBACK (completion_row_activated_cb), self, G_CONNECT_SWAPPED);

  self->source_runs = g_array_new (FALSE, TRUE, sizeof (gint64));
  self->scatter_ids = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_array_set_size (self->source_runs, 1);
  self->source_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->source_names, _("Paper trades"));
  gtk_drop_down_set_model (self->source_dropdown, G_LIST_MODEL (self->source_names));
  hs_drop_down_set_accessible_name (self->source_dropdown, _("Trades of"));

  self->settings = hs_settings_new ();
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::saved-trade-queries",
                               G_CALLBACK (rebuild_saved), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::labeler-hour",
                               G_CALLBACK (schedule_labeler), self, G_CONNECT_SWAPPED);
    }
  rebuild_saved (self);

  add_columns (self);
  self->trades = g_list_store_new (HS_TYPE_TRADE_ROW_ITEM);
  sorter = gtk_column_view_get_sorter (self->column_view);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->trades)),
                                          g_object_ref (sorter));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  hs_trades_page_sort_by (self, "time", FALSE);

  g_signal_connect_object (self->query_entry, "changed", G_CALLBACK (query_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->query_entry, "notify::cursor-position",
                           G_CALLBACK (query_cursor_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->query_entry, "activate", G_CALLBACK (query_activate_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->save_button, "clicked", G_CALLBACK (save_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source_dropdown, "notify::selected",
                           G_CALLBACK (source_selected_cb), self, G_CONNECT_SWAPPED);
  keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (query_key_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->query_entry), keys);

  g_signal_connect_object (self->inspector, "navigate", G_CALLBACK (navigate_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->inspector, "trade-changed", G_CALLBACK (trade_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scatter_chart, "point-activated",
                           G_CALLBACK (scatter_activated_cb), self, G_CONNECT_SWAPPED);
  hs_chart_widget_set_title (self->scatter_chart, _("MFE against MAE (percent)"));
  hs_chart_widget_set_title (self->histogram_chart, _("P&L distribution"));
  update_views (self);
}

/* Returns: (transfer floating): a new, empty Trades page */
GtkWidget *
hs_trades_page_new (void)
{
  return g_object_new (HS_TYPE_TRADES_PAGE, NULL);
}
