/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run history: every stored backtest run, newest first, in a table whose statistic
 * columns sort; filters by strategy, symbol and tested period; above it seed 004's "compare
 * strategies" query (the view backtest_strategy_comparison) as averages per strategy. Select
 * runs to open one, run one again (the setup filled with its settings), compare two or more
 * side by side, or delete them (after a confirmation, in one transaction).
 *
 * The list is read on a worker (hs_runs_job_list_async(): one row per run, statistics only)
 * and filtered in memory, so a filter answers at once; 10,000 runs are a few megabytes.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-backtest-history.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "hs-locale-format.h"
#include "hs-runs-job.h"
#include "hs-stat-meta.h"
#include "hs-time.h"
#include "hs-ui.h"
#include "hs-widget-util.h"

/* ---- one run ---- */

struct _HsRunItem
{
  GObject     parent_instance;
  HsBtRunRow *row;   /* (owned) */
};

G_DEFINE_FINAL_TYPE (HsRunItem, hs_run_item, G_TYPE_OBJECT)

static void
hs_run_item_finalize (GObject *object)
{
  g_clear_pointer (&HS_RUN_ITEM (object)->row, hs_bt_run_row_free);
  G_OBJECT_CLASS (hs_run_item_parent_class)->finalize (object);
}

static void
hs_run_item_class_init (HsRunItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hs_run_item_finalize;
}

static void
hs_run_item_init (HsRunItem *self)
{
}

const HsBtRunRow *
hs_run_item_get_row (HsRunItem *self)
{
  g_return_val_if_fail (HS_IS_RUN_ITEM (self), NULL);
  return self->row;
}

/* ---- columns ---- */

typedef enum
{
  COL_ID,
  COL_CREATED,
  COL_STRATEGY,
  COL_SYMBOL,
  COL_PERIOD,
  COL_STAT,
  COL_CACHE,
} ColumnKind;

typedef struct
{
  const char *id;       /* the column's name; a statistic's backtest_runs column */
  ColumnKind  kind;
  const char *title;
} ColumnInfo;

static const ColumnInfo columns[] = {
  { "id", COL_ID, N_("Run") },
  { "created", COL_CREATED, N_("Created") },
  { "strategy", COL_STRATEGY, N_("Strategy") },
  { "symbol", COL_SYMBOL, N_("Symbol") },
  { "period", COL_PERIOD, N_("Period") },
  { "net_profit", COL_STAT, NULL },
  { "compounding_annual_return", COL_STAT, N_("CAGR") },
  { "sharpe_ratio", COL_STAT, N_("Sharpe") },
  { "sortino_ratio", COL_STAT, N_("Sortino") },
  { "max_drawdown", COL_STAT, NULL },
  { "win_rate", COL_STAT, NULL },
  { "total_trades", COL_STAT, NULL },
  { "profit_factor", COL_STAT, NULL },
  { "cache_hit", COL_CACHE, N_("Cache") },
};

struct _HsBacktestHistory
{
  GtkWidget           parent_instance;

  /* Template children */
  GtkWidget          *box;
  GtkDropDown        *strategy_filter;
  GtkDropDown        *symbol_filter;
  GtkEntry           *from_entry;
  GtkEntry           *to_entry;
  GtkExpander        *strategies_expander;
  GtkGrid            *strategies_grid;
  GtkStack           *stack;
  AdwStatusPage      *empty_page;
  GtkColumnView      *table;
  GtkLabel           *selection_label;

  GListStore         *runs;          /* (owned) HsRunItem, newest first */
  GtkFilterListModel *filtered;      /* (owned) */
  GtkCustomFilter    *filter;        /* (owned) */
  GtkSortListModel   *sorted;        /* (owned) */
  GtkMultiSelection  *selection;     /* (owned) */
  GtkStringList      *strategy_names;   /* (owned) "All strategies" and the names */
  GtkStringList      *symbol_names;     /* (owned) "All symbols" and the symbols */
  GtkColumnViewColumn *column_list[G_N_ELEMENTS (columns)];
  GPtrArray          *strategies;    /* (owned) (nullable) HsStrategyComparison */

  char               *database_path; /* (owned) (nullable) */
  GCancellable       *cancellable;   /* (owned) (nullable) */
  int64_t             from_ts, to_ts;
  gboolean            loading;
  gboolean            updating;
};

G_DEFINE_FINAL_TYPE (HsBacktestHistory, hs_backtest_history, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_OPEN_RUN,
  SIGNAL_RERUN,
  SIGNAL_COMPARE,
  SIGNAL_DELETED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
day_text (int64_t us)
{
  return hs_ui_format_date (us);
}

static double
column_number (const ColumnInfo *c,
               const HsBtRunRow *row)
{
  switch (c->kind)
    {
    case COL_ID: return (double) row->info->id;
    case COL_CREATED: return (double) row->info->created_at;
    case COL_PERIOD: return (double) row->info->start_ts;
    case COL_CACHE: return row->info->cache_hit;
    case COL_STAT: return hs_stat_meta_value (hs_stat_meta_lookup (c->id), row->result);
    case COL_STRATEGY:
    case COL_SYMBOL:
    default:
      return 0;
    }
}

static char *
column_text (const ColumnInfo *c,
             const HsBtRunRow *row)
{
  switch (c->kind)
    {
    case COL_ID:
      return g_strdup_printf ("#%" G_GINT64_FORMAT, row->info->id);
    case COL_CREATED:
      {
        char buf[40];

        hs_time_format_iso_buf (row->info->created_at, buf);
        buf[10] = ' ';
        return g_strndup (buf, 16);
      }
    case COL_STRATEGY:
      return g_strdup (row->info->strategy_name);
    case COL_SYMBOL:
      return g_strdup_printf ("%s %s", row->info->symbol, row->info->interval);
    case COL_PERIOD:
      {
        g_autofree char *a = day_text (row->info->start_ts);
        g_autofree char *b = day_text (row->info->end_ts - 1);

        return g_strdup_printf ("%s – %s", a, b);
      }
    case COL_CACHE:
      return g_strdup (row->info->cache_hit ? _("hit") : "");
    case COL_STAT:
    default:
      return hs_stat_format (hs_stat_meta_lookup (c->id), column_number (c, row));
    }
}

static int
compare_cb (gconstpointer a,
            gconstpointer b,
            gpointer      data)
{
  const ColumnInfo *c = data;
  const HsBtRunRow *ra = HS_RUN_ITEM ((gpointer) a)->row, *rb = HS_RUN_ITEM ((gpointer) b)->row;
  int cmp = 0;

  if (c->kind == COL_STRATEGY)
    cmp = g_strcmp0 (ra->info->strategy_name, rb->info->strategy_name);
  else if (c->kind == COL_SYMBOL)
    cmp = g_strcmp0 (ra->info->symbol, rb->info->symbol);
  else
    {
      double va = column_number (c, ra), vb = column_number (c, rb);

      /* Undefined values sort below every number. */
      if (isnan (va) != isnan (vb))
        cmp = isnan (va) ? -1 : 1;
      else if (!isnan (va) && va != vb)
        cmp = va < vb ? -1 : 1;
    }
  if (cmp == 0)
    cmp = ra->info->id < rb->info->id ? -1 : ra->info->id > rb->info->id;
  return cmp < 0 ? GTK_ORDERING_SMALLER : cmp > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  data)
{
  const ColumnInfo *c = data;
  GtkWidget *label = gtk_label_new (NULL);
  gboolean text = c->kind == COL_STRATEGY || c->kind == COL_SYMBOL || c->kind == COL_PERIOD
                  || c->kind == COL_CREATED || c->kind == COL_CACHE;

  gtk_label_set_xalign (GTK_LABEL (label), text ? 0 : 1);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (!text)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  data)
{
  const ColumnInfo *c = data;
  const HsBtRunRow *row = HS_RUN_ITEM (gtk_list_item_get_item (item))->row;
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = column_text (c, row);

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "error");
  if (c->kind == COL_STAT && hs_stat_meta_lookup (c->id)->signed_value)
    {
      double v = column_number (c, row);

      if (isfinite (v) && v != 0)
        gtk_widget_add_css_class (label, v > 0 ? "success" : "error");
    }
}

/* ---- filtering ---- */

static const char *
filter_text (GtkDropDown *dropdown)
{
  GObject *item = gtk_drop_down_get_selected_item (dropdown);

  /* The first item is "All …". */
  if (item == NULL || gtk_drop_down_get_selected (dropdown) == 0)
    return NULL;
  return gtk_string_object_get_string (GTK_STRING_OBJECT (item));
}

static gboolean
filter_cb (gpointer item,
           gpointer data)
{
  HsBacktestHistory *self = data;
  const HsBtRunRow *row = HS_RUN_ITEM (item)->row;
  const char *strategy = filter_text (self->strategy_filter);
  const char *symbol = filter_text (self->symbol_filter);

  return (strategy == NULL || g_strcmp0 (strategy, row->info->strategy_name) == 0)
         && (symbol == NULL || g_strcmp0 (symbol, row->info->symbol) == 0)
         && row->info->end_ts > self->from_ts && row->info->start_ts <= self->to_ts;
}

static gboolean
parse_entry (GtkEntry *entry,
             gboolean  end_of_day,
             int64_t  *out)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  if (text[0] == '\0')
    {
      *out = end_of_day ? G_MAXINT64 : G_MININT64;
      return TRUE;
    }
  if (hs_time_parse_bound (text, end_of_day, out, NULL))
    return TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  *out = end_of_day ? G_MAXINT64 : G_MININT64;
  return FALSE;
}

static void update_selection (HsBacktestHistory *self);

static void
filters_changed_cb (HsBacktestHistory *self)
{
  if (self->updating)
    return;
  parse_entry (self->from_entry, FALSE, &self->from_ts);
  parse_entry (self->to_entry, TRUE, &self->to_ts);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_selection (self);
}

/**
 * hs_backtest_history_set_filter:
 * @strategy: (nullable): a strategy name, %NULL for all
 * @symbol: (nullable): a symbol, %NULL for all
 * @from: (nullable): YYYY-MM-DD: runs whose period reaches it
 * @to: (nullable): YYYY-MM-DD: runs whose period starts by its end
 *
 * Returns: %FALSE when the strategy or symbol has no stored run, or a date does not parse
 */
gboolean
hs_backtest_history_set_filter (HsBacktestHistory *self,
                                const char        *strategy,
                                const char        *symbol,
                                const char        *from,
                                const char        *to)
{
  gboolean ok = TRUE;
  guint n;

  g_return_val_if_fail (HS_IS_BACKTEST_HISTORY (self), FALSE);

  self->updating = TRUE;
  gtk_drop_down_set_selected (self->strategy_filter, 0);
  gtk_drop_down_set_selected (self->symbol_filter, 0);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->strategy_names));
  for (guint i = 1; strategy != NULL && i <= n; i++)
    {
      if (i == n)
        ok = FALSE;
      else if (g_str_equal (gtk_string_list_get_string (self->strategy_names, i), strategy))
        {
          gtk_drop_down_set_selected (self->strategy_filter, i);
          break;
        }
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->symbol_names));
  for (guint i = 1; symbol != NULL && i <= n; i++)
    {
      if (i == n)
        ok = FALSE;
      else if (g_str_equal (gtk_string_list_get_string (self->symbol_names, i), symbol))
        {
          gtk_drop_down_set_selected (self->symbol_filter, i);
          break;
        }
    }
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from != NULL ? from : "");
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to != NULL ? to : "");
  self->updating = FALSE;
  filters_changed_cb (self);
  return ok && !gtk_widget_has_css_class (GTK_WIDGET (self->from_entry), "error")
         && !gtk_widget_has_css_class (GTK_WIDGET (self->to_entry), "error");
}

/* ---- loading ---- */

static void
add_grid_cell (GtkGrid    *grid,
               const char *text,
               int         column,
               int         row,
               gboolean    header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  if (header)
    gtk_widget_add_css_class (label, "dim-label");
  else if (column > 0)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

/* Seed 004's "compare strategies" view, one row per strategy. */
static void
fill_strategies (HsBacktestHistory *self)
{
  static const struct
  {
    const char *title;
    const char *stat;   /* how to format */
    size_t      offset;
  } cols[] = {
    { N_("Avg Sharpe"), "sharpe_ratio", G_STRUCT_OFFSET (HsStrategyComparison, avg_sharpe) },
    { N_("Avg Sortino"), "sortino_ratio", G_STRUCT_OFFSET (HsStrategyComparison, avg_sortino) },
    { N_("Avg win rate"), "win_rate", G_STRUCT_OFFSET (HsStrategyComparison, avg_win_rate) },
    { N_("Avg max drawdown"), "max_drawdown", G_STRUCT_OFFSET (HsStrategyComparison, avg_max_dd) },
    { N_("Avg profit factor"), "profit_factor",
      G_STRUCT_OFFSET (HsStrategyComparison, avg_profit_factor) },
    { N_("Avg net profit"), "net_profit", G_STRUCT_OFFSET (HsStrategyComparison, avg_net_profit) },
  };
  GtkWidget *child = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->strategies_grid))) != NULL)
    gtk_grid_remove (self->strategies_grid, child);
  add_grid_cell (self->strategies_grid, _("Strategy"), 0, 0, TRUE);
  add_grid_cell (self->strategies_grid, _("Runs"), 1, 0, TRUE);
  for (size_t c = 0; c < G_N_ELEMENTS (cols); c++)
    add_grid_cell (self->strategies_grid, _(cols[c].title), (int) c + 2, 0, TRUE);
  for (guint i = 0; self->strategies != NULL && i < self->strategies->len; i++)
    {
      const HsStrategyComparison *s = self->strategies->pdata[i];
      g_autofree char *runs = g_strdup_printf ("%" G_GINT64_FORMAT, s->runs);

      add_grid_cell (self->strategies_grid, s->strategy_name, 0, (int) i + 1, FALSE);
      add_grid_cell (self->strategies_grid, runs, 1, (int) i + 1, FALSE);
      for (size_t c = 0; c < G_N_ELEMENTS (cols); c++)
        {
          double v;
          g_autofree char *text = NULL;

          memcpy (&v, (const char *) s + cols[c].offset, sizeof v);
          text = hs_stat_format (hs_stat_meta_lookup (cols[c].stat), v);
          add_grid_cell (self->strategies_grid, text, (int) c + 2, (int) i + 1, FALSE);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->strategies_expander),
                          self->strategies != NULL && self->strategies->len > 0);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The filters' choices: the strategies and symbols that have runs, sorted. */
static void
fill_choices (HsBacktestHistory *self)
{
  g_autoptr(GHashTable) seen_s = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_y = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) strategies = g_ptr_array_new ();
  g_autoptr(GPtrArray) symbols = g_ptr_array_new ();
  g_autofree char *keep_s = g_strdup (filter_text (self->strategy_filter));
  g_autofree char *keep_y = g_strdup (filter_text (self->symbol_filter));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->runs));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsRunItem) item = g_list_model_get_item (G_LIST_MODEL (self->runs), i);

      if (g_hash_table_add (seen_s, item->row->info->strategy_name))
        g_ptr_array_add (strategies, item->row->info->strategy_name);
      if (g_hash_table_add (seen_y, item->row->info->symbol))
        g_ptr_array_add (symbols, item->row->info->symbol);
    }
  g_ptr_array_sort (strategies, compare_strings);
  g_ptr_array_sort (symbols, compare_strings);
  g_ptr_array_insert (strategies, 0, _("All strategies"));
  g_ptr_array_insert (symbols, 0, _("All symbols"));
  g_ptr_array_add (strategies, NULL);
  g_ptr_array_add (symbols, NULL);
  self->updating = TRUE;
  gtk_string_list_splice (self->strategy_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->strategy_names)),
                          (const char *const *) strategies->pdata);
  gtk_string_list_splice (self->symbol_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->symbol_names)),
                          (const char *const *) symbols->pdata);
  self->updating = FALSE;
  /* Keep the filters the person chose when their values still have runs. */
  hs_backtest_history_set_filter (self, keep_s, keep_y,
                                  gtk_editable_get_text (GTK_EDITABLE (self->from_entry)),
                                  gtk_editable_get_text (GTK_EDITABLE (self->to_entry)));
}

static void
list_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsBacktestHistory) self = g_weak_ref_get (&data->owner);
  g_autoptr(HsRunsList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert (hs_is_main_thread ());

  list = hs_runs_job_list_finish (res, &error);
  if (self == NULL || data->cancellable != self->cancellable
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  self->loading = FALSE;
  if (list == NULL)
    {
      g_list_store_remove_all (self->runs);
      adw_status_page_set_title (self->empty_page, _("Cannot Read the Runs"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  for (guint i = 0; i < list->runs->len; i++)
    {
      HsRunItem *item = g_object_new (HS_TYPE_RUN_ITEM, NULL);

      item->row = g_steal_pointer (&list->runs->pdata[i]);
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (self->runs, 0, g_list_model_get_n_items (G_LIST_MODEL (self->runs)),
                       items->pdata, items->len);
  g_clear_pointer (&self->strategies, g_ptr_array_unref);
  self->strategies = g_steal_pointer (&list->strategies);
  fill_strategies (self);
  fill_choices (self);
  adw_status_page_set_title (self->empty_page, _("No Runs Yet"));
  adw_status_page_set_description (self->empty_page,
                                   _("Every backtest and sweep you run is stored here, to sort, "
                                     "compare, delete or run again."));
  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "table" : "empty");
  update_selection (self);
}

/* Reads the stored runs again on a worker. */
void
hs_backtest_history_reload (HsBacktestHistory *self)
{
  HsRunsQuery query;
  HsUiJob *data = NULL;

  g_return_if_fail (HS_IS_BACKTEST_HISTORY (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->database_path == NULL)
    {
      g_list_store_remove_all (self->runs);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  data = hs_ui_job_new (self, self->cancellable);
  hs_runs_query_init (&query);
  hs_runs_job_list_async (self->database_path, &query, self->cancellable, list_cb, data);
}

void
hs_backtest_history_set_database_path (HsBacktestHistory *self,
                                       const char        *path)
{
  g_return_if_fail (HS_IS_BACKTEST_HISTORY (self));

  g_free (self->database_path);
  self->database_path = g_strdup (path);
  hs_backtest_history_reload (self);
}

gboolean
hs_backtest_history_get_loading (HsBacktestHistory *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_HISTORY (self), FALSE);
  return self->loading;
}

/* ---- selection and actions ---- */

/**
 * hs_backtest_history_dup_selected_ids:
 *
 * Returns: (transfer full) (element-type gint64): the selected runs' ids, in the table's order
 */
GArray *
hs_backtest_history_dup_selected_ids (HsBacktestHistory *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (int64_t));
  g_autoptr(GtkBitset) set = NULL;
  GtkBitsetIter iter;
  guint position;

  g_return_val_if_fail (HS_IS_BACKTEST_HISTORY (self), ids);

  set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, set, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(HsRunItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                         position);

      if (item != NULL)
        g_array_append_val (ids, item->row->info->id);
    }
  return ids;
}

static void
update_selection (HsBacktestHistory *self)
{
  g_autoptr(GArray) ids = hs_backtest_history_dup_selected_ids (self);
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->runs));
  g_autofree char *text = NULL;

  if (ids->len > 0)
    text = g_strdup_printf (_("%u of %u runs selected"), ids->len, shown);
  else if (shown != all)
    text = g_strdup_printf (_("%u of %u runs shown; select two or more to compare"), shown, all);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u run; select two or more to compare",
                                         "%u runs; select two or more to compare", all), all);
  gtk_label_set_text (self->selection_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.open", ids->len == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.rerun", ids->len == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.compare", ids->len >= 2);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.delete", ids->len >= 1);
}

/* Selects the runs with these ids (those shown), and only them. */
void
hs_backtest_history_select (HsBacktestHistory *self,
                            const int64_t     *ids,
                            size_t             n_ids)
{
  g_autoptr(GtkBitset) set = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;
  guint n;

  g_return_if_fail (HS_IS_BACKTEST_HISTORY (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsRunItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      for (size_t k = 0; k < n_ids; k++)
        if (item->row->info->id == ids[k])
          gtk_bitset_add (set, i);
    }
  mask = gtk_bitset_new_range (0, n);
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), set, mask);
}

static HsRunItem *
single_selected (HsBacktestHistory *self)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  if (gtk_bitset_get_size (set) != 1)
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->selection), gtk_bitset_get_nth (set, 0));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HsBacktestHistory *self = HS_BACKTEST_HISTORY (widget);
  g_autoptr(HsRunItem) item = single_selected (self);

  if (item != NULL)
    g_signal_emit (self, signals[SIGNAL_OPEN_RUN], 0, item->row->info->id);
}

static void
rerun_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HsBacktestHistory *self = HS_BACKTEST_HISTORY (widget);
  g_autoptr(HsRunItem) item = single_selected (self);

  if (item != NULL)
    g_signal_emit (self, signals[SIGNAL_RERUN], 0, item->row->info);
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HsBacktestHistory *self = HS_BACKTEST_HISTORY (widget);
  g_autoptr(GArray) ids = hs_backtest_history_dup_selected_ids (self);

  if (ids->len >= 2)
    g_signal_emit (self, signals[SIGNAL_COMPARE], 0, ids);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  hs_backtest_history_reload (HS_BACKTEST_HISTORY (widget));
}

static void
activate_cb (HsBacktestHistory *self,
             guint              position)
{
  g_autoptr(HsRunItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (item != NULL)
    g_signal_emit (self, signals[SIGNAL_OPEN_RUN], 0, item->row->info->id);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsBacktestHistory) self = g_weak_ref_get (&data->owner);
  g_autoptr(GError) error = NULL;
  gboolean ok = hs_runs_job_delete_finish (res, &error);

  if (self == NULL)
    return;
  g_signal_emit (self, signals[SIGNAL_DELETED], 0, ok ? NULL : error->message);
  hs_backtest_history_reload (self);
}

static void
delete_now (HsBacktestHistory *self)
{
  g_autoptr(GArray) ids = hs_backtest_history_dup_selected_ids (self);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  HsUiJob *data = NULL;

  if (ids->len == 0 || self->database_path == NULL)
    return;
  data = hs_ui_job_new (self, cancellable);
  hs_runs_job_delete_async (self->database_path, (const int64_t *) (const void *) ids->data,
                            ids->len, NULL, deleted_cb, data);
}

static void
confirm_response_cb (AdwMessageDialog  *dialog,
                     const char        *response,
                     HsBacktestHistory *self)
{
  if (g_strcmp0 (response, "delete") == 0)
    delete_now (self);
}

/**
 * hs_backtest_history_delete_selected:
 * @confirm: ask first (a dialog), as the Delete button does
 *
 * Deletes the selected runs (with their trades, curves and cache-hit rows) on a worker, then
 * reloads; ::deleted says how it went.
 */
void
hs_backtest_history_delete_selected (HsBacktestHistory *self,
                                     gboolean           confirm)
{
  g_autoptr(GArray) ids = NULL;
  GtkWidget *dialog = NULL;
  GtkRoot *root = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (HS_IS_BACKTEST_HISTORY (self));

  if (!confirm)
    {
      delete_now (self);
      return;
    }
  ids = hs_backtest_history_dup_selected_ids (self);
  if (ids->len == 0)
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The run, its trades and equity curve are removed from "
                                       "the database.",
                                       "The %u runs, their trades and equity curves are removed "
                                       "from the database.", ids->len), ids->len);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   g_dngettext (GETTEXT_PACKAGE, "Delete the Run?",
                                                "Delete the Runs?", ids->len), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  hs_backtest_history_delete_selected (HS_BACKTEST_HISTORY (widget), TRUE);
}

/* ---- getters ---- */

/* Returns: (transfer none): the runs as shown (filtered and sorted), items HsRunItem */
GListModel *
hs_backtest_history_get_rows (HsBacktestHistory *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_HISTORY (self), NULL);
  return G_LIST_MODEL (self->selection);
}

GtkColumnView *
hs_backtest_history_get_table (HsBacktestHistory *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_HISTORY (self), NULL);
  return self->table;
}

/* Returns: (transfer none) (nullable) (element-type HsStrategyComparison): the view's rows */
GPtrArray *
hs_backtest_history_get_strategies (HsBacktestHistory *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_HISTORY (self), NULL);
  return self->strategies;
}

/**
 * hs_backtest_history_sort_by:
 * @column: id, created, strategy, symbol, period, cache_hit or a statistic column shown
 *
 * Returns: %FALSE for a column the table does not have
 */
gboolean
hs_backtest_history_sort_by (HsBacktestHistory *self,
                             const char        *column,
                             gboolean           descending)
{
  g_return_val_if_fail (HS_IS_BACKTEST_HISTORY (self), FALSE);

  for (size_t c = 0; c < G_N_ELEMENTS (columns); c++)
    if (g_strcmp0 (columns[c].id, column) == 0)
      {
        gtk_column_view_sort_by_column (self->table, self->column_list[c],
                                        descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
        return TRUE;
      }
  return FALSE;
}

/* ---- GObject ---- */

static void
hs_backtest_history_dispose (GObject *object)
{
  HsBacktestHistory *self = HS_BACKTEST_HISTORY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_BACKTEST_HISTORY);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->runs);
  g_clear_object (&self->strategy_names);
  g_clear_object (&self->symbol_names);
  G_OBJECT_CLASS (hs_backtest_history_parent_class)->dispose (object);
}

static void
hs_backtest_history_finalize (GObject *object)
{
  HsBacktestHistory *self = HS_BACKTEST_HISTORY (object);

  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->strategies, g_ptr_array_unref);
  G_OBJECT_CLASS (hs_backtest_history_parent_class)->finalize (object);
}

static void
hs_backtest_history_class_init (HsBacktestHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hs_ui_init ();
  object_class->dispose = hs_backtest_history_dispose;
  object_class->finalize = hs_backtest_history_finalize;

  /**
   * HsBacktestHistory::open-run:
   * @run_id: the run to show
   */
  signals[SIGNAL_OPEN_RUN] = g_signal_new ("open-run", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * HsBacktestHistory::rerun:
   * @info: (type gpointer): the run's HsBtRunInfo, for the emission
   */
  signals[SIGNAL_RERUN] = g_signal_new ("rerun", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /**
   * HsBacktestHistory::compare:
   * @ids: (element-type gint64): the selected runs' ids
   */
  signals[SIGNAL_COMPARE] = g_signal_new ("compare", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_ARRAY);
  /**
   * HsBacktestHistory::deleted:
   * @error_message: (nullable): why the deletion failed, %NULL when it succeeded
   */
  signals[SIGNAL_DELETED] = g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/hs-backtest-history.ui");
  gtk_widget_class_bind_template_child (widget_class, HsBacktestHistory, box);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestHistory, strategy_filter);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestHistory, symbol_filter);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestHistory, from_entry);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestHistory, to_entry);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestHistory, strategies_expander);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestHistory, strategies_grid);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestHistory, stack);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestHistory, empty_page);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestHistory, table);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestHistory, selection_label);

  gtk_widget_class_install_action (widget_class, "history.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "history.rerun", NULL, rerun_action);
  gtk_widget_class_install_action (widget_class, "history.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "history.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "history.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "history.delete", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
hs_backtest_history_init (HsBacktestHistory *self)
{
  g_autoptr(GtkExpression) expression = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->from_ts = G_MININT64;
  self->to_ts = G_MAXINT64;

  self->strategy_names = gtk_string_list_new ((const char *const[]) { _("All strategies"), NULL });
  self->symbol_names = gtk_string_list_new ((const char *const[]) { _("All symbols"), NULL });
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->symbol_filter, expression);
  gtk_drop_down_set_model (self->strategy_filter, G_LIST_MODEL (self->strategy_names));
  hs_drop_down_set_accessible_name (self->strategy_filter, _("Filter by strategy"));
  hs_drop_down_set_accessible_name (self->symbol_filter, _("Filter by symbol"));
  gtk_drop_down_set_model (self->symbol_filter, G_LIST_MODEL (self->symbol_names));
  g_signal_connect_object (self->strategy_filter, "notify::selected",
                           G_CALLBACK (filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->symbol_filter, "notify::selected",
                           G_CALLBACK (filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->from_entry, "changed", G_CALLBACK (filters_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->to_entry, "changed", G_CALLBACK (filters_changed_cb), self,
                           G_CONNECT_SWAPPED);

  for (size_t c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare_cb,
                                                                       (gpointer) &columns[c],
                                                                       NULL));
      const char *title = columns[c].title != NULL ? _(columns[c].title)
                                                   : _(hs_stat_meta_lookup (columns[c].id)->label);
      GtkColumnViewColumn *column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), (gpointer) &columns[c]);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), (gpointer) &columns[c]);
      column = gtk_column_view_column_new (title, factory);
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->table, column);
      self->column_list[c] = column;
      g_object_unref (column);
    }

  self->runs = g_list_store_new (HS_TYPE_RUN_ITEM);
  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->runs)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->table)));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));
  hs_column_view_set_model_when_mapped (self->table, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (update_selection),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (update_selection),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->table, "activate", G_CALLBACK (activate_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->strategies_expander), FALSE);
  update_selection (self);
}

GtkWidget *
hs_backtest_history_new (void)
{
  return g_object_new (HS_TYPE_BACKTEST_HISTORY, NULL);
}
