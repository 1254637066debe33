/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run's trade list: a GtkColumnView over a GListModel of the run's trades, every column
 * sortable, a single selection. The model (HsTradeModel) holds a reference to the run's trade
 * array and makes an item the first time it is asked for one, so building the list of
 * 100,000 trades is one array of pointers; the column view only makes rows for what is on
 * screen (GTK 4.8 keeps about two hundred rows of cells; they are GtkInscriptions, cheap to
 * rebind), so scrolling costs the same at any length.
 *
 * Sorting is the model's own: a click on a column's header changes the column view's sorter,
 * the list finds out which column and order it now asks for, and the model sorts a permutation
 * of the trades by that column's values read straight from the trade array (stable: ties keep
 * entry order, in either direction) and tells the view that every row changed. 100,000 trades
 * sort in about 20 ms. GTK 4.8's GtkSortListModel took a second of the main thread for the same:
 * it compares items through three layers of sorters, 1.7 million times, and GTK 4.8 has no
 * gtk_column_view_sorter_get_primary_sort_column() to drive another sort with.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-trade-list.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hs-bt-run.h"
#include "hs-locale-format.h"
#include "hs-stat-meta.h"
#include "hs-time.h"
#include "hs-widget-util.h"

/* ---- HsTradeItem ---- */

struct _HsTradeItem
{
  GObject  parent_instance;
  GArray  *trades;   /* (owned) the run's HsBtTrade */
  guint    index;
};

G_DEFINE_FINAL_TYPE (HsTradeItem, hs_trade_item, G_TYPE_OBJECT)

static void
hs_trade_item_finalize (GObject *object)
{
  HsTradeItem *self = HS_TRADE_ITEM (object);

  g_clear_pointer (&self->trades, g_array_unref);
  G_OBJECT_CLASS (hs_trade_item_parent_class)->finalize (object);
}

static void
hs_trade_item_class_init (HsTradeItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hs_trade_item_finalize;
}

static void
hs_trade_item_init (HsTradeItem *self)
{
}

/* Returns: the trade's index in the run (entry order) */
guint
hs_trade_item_get_index (HsTradeItem *self)
{
  g_return_val_if_fail (HS_IS_TRADE_ITEM (self), 0);
  return self->index;
}

const HsBtTrade *
hs_trade_item_get_trade (HsTradeItem *self)
{
  g_return_val_if_fail (HS_IS_TRADE_ITEM (self), NULL);
  return &g_array_index (self->trades, HsBtTrade, self->index);
}

/* ---- HsTradeModel ---- */

struct _HsTradeModel
{
  GObject    parent_instance;
  GArray    *trades;   /* (owned) */
  GPtrArray *items;    /* (owned) (element-type HsTradeItem) (nullable elements) made on demand,
                        * by trade index */
  guint     *order;    /* (owned) (nullable) the trade index shown at each position; NULL:
                        * entry order */
};

static void hs_trade_model_list_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HsTradeModel, hs_trade_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      hs_trade_model_list_init))

static GType
hs_trade_model_get_item_type (GListModel *list)
{
  return HS_TYPE_TRADE_ITEM;
}

static guint
hs_trade_model_get_n_items (GListModel *list)
{
  return HS_TRADE_MODEL (list)->items->len;
}

static gpointer
hs_trade_model_get_item (GListModel *list,
                         guint       position)
{
  HsTradeModel *self = HS_TRADE_MODEL (list);
  HsTradeItem *item = NULL;
  guint index;

  if (position >= self->items->len)
    return NULL;
  index = self->order != NULL ? self->order[position] : position;
  item = self->items->pdata[index];
  if (item == NULL)
    {
      item = g_object_new (HS_TYPE_TRADE_ITEM, NULL);
      item->trades = g_array_ref (self->trades);
      item->index = index;
      self->items->pdata[index] = item;
    }
  return g_object_ref (item);
}

static void
hs_trade_model_list_init (GListModelInterface *iface)
{
  iface->get_item_type = hs_trade_model_get_item_type;
  iface->get_n_items = hs_trade_model_get_n_items;
  iface->get_item = hs_trade_model_get_item;
}

static void
hs_trade_model_finalize (GObject *object)
{
  HsTradeModel *self = HS_TRADE_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->trades, g_array_unref);
  g_clear_pointer (&self->order, g_free);
  G_OBJECT_CLASS (hs_trade_model_parent_class)->finalize (object);
}

static void
hs_trade_model_class_init (HsTradeModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hs_trade_model_finalize;
}

static void
hs_trade_model_init (HsTradeModel *self)
{
}

/* The items not asked for are NULL: g_object_unref() would complain about them. */
static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

/**
 * hs_trade_model_new:
 * @trades: (element-type HsBtTrade): a run's trades; referenced, never changed
 */
HsTradeModel *
hs_trade_model_new (GArray *trades)
{
  HsTradeModel *self = g_object_new (HS_TYPE_TRADE_MODEL, NULL);

  self->trades = g_array_ref (trades);
  self->items = g_ptr_array_new_full (trades->len, unref_item);
  g_ptr_array_set_size (self->items, trades->len);
  return self;
}

/* ---- the columns ---- */

typedef enum
{
  COL_NUMBER,
  COL_SIDE,
  COL_ENTRY,
  COL_EXIT,
  COL_QUANTITY,
  COL_ENTRY_PRICE,
  COL_EXIT_PRICE,
  COL_PNL,
  COL_PNL_PCT,
  COL_FEES,
  COL_MFE,
  COL_MAE,
  COL_BARS,
  COL_REASON,
  N_COLUMNS
} Column;

typedef struct
{
  const char *id;
  const char *title;
  gboolean    numeric;
  const char *tooltip;
} ColumnInfo;

static const ColumnInfo columns[N_COLUMNS] = {
  { "number", N_("#"), TRUE, N_("The trade's number, in entry order") },
  { "side", N_("Side"), FALSE, N_("Long or short") },
  { "entry", N_("Entry"), FALSE, N_("When the entry filled (UTC)") },
  { "exit", N_("Exit"), FALSE, N_("When the exit filled (UTC)") },
  { "quantity", N_("Quantity"), TRUE, N_("Units traded") },
  { "entry_price", N_("Entry price"), TRUE, NULL },
  { "exit_price", N_("Exit price"), TRUE, NULL },
  { "pnl", N_("P&L"), TRUE, N_("Profit or loss in the account currency, after both fees") },
  { "pnl_pct", N_("P&L %"), TRUE, N_("Profit or loss as a percentage of the entry value") },
  { "fees", N_("Fees"), TRUE, NULL },
  { "mfe", N_("MFE %"), TRUE, N_("Maximum favourable excursion: the best the open trade was, "
                                 "in percent") },
  { "mae", N_("MAE %"), TRUE, N_("Maximum adverse excursion: the worst the open trade was, in "
                                 "percent") },
  { "bars", N_("Bars"), TRUE, N_("Bars the position was held") },
  { "reason", N_("Exit reason"), FALSE, NULL },
};

static double
trade_number (const HsBtTrade *t,
              guint            index,
              Column           c)
{
  switch (c)
    {
    case COL_NUMBER: return index;
    case COL_SIDE: return t->side;
    case COL_ENTRY: return (double) t->entry_ts;
    case COL_EXIT: return (double) t->exit_ts;
    case COL_QUANTITY: return t->quantity;
    case COL_ENTRY_PRICE: return t->entry_price;
    case COL_EXIT_PRICE: return t->exit_price;
    case COL_PNL: return t->pnl;
    case COL_PNL_PCT: return t->pnl_pct;
    case COL_FEES: return t->fees;
    case COL_MFE: return t->mfe_pct;
    case COL_MAE: return t->mae_pct;
    case COL_BARS: return (double) t->bars_held;
    case COL_REASON: return (double) t->exit_reason;
    case N_COLUMNS:
    default:
      return 0;
    }
}

static char *
format_time (int64_t us)
{
  char buf[40];

  hs_time_format_iso_buf (us, buf);
  /* "2024-01-02T14:30:00Z": midnight shows the date alone (daily bars), else minutes. */
  if (strncmp (buf + 10, "T00:00:00", 9) == 0)
    buf[10] = '\0';
  else
    {
      buf[10] = ' ';
      buf[16] = '\0';
    }
  return hs_ui_localize_iso_date (buf);
}

static char *
format_cell (const HsBtTrade *t,
             guint            index,
             Column           c)
{
  switch (c)
    {
    case COL_NUMBER:
      return g_strdup_printf ("%u", index + 1);
    case COL_SIDE:
      return g_strdup (t->side > 0 ? _("Long") : _("Short"));
    case COL_ENTRY:
      return format_time (t->entry_ts);
    case COL_EXIT:
      return format_time (t->exit_ts);
    case COL_QUANTITY:
      return g_strdup_printf ("%g", t->quantity);
    case COL_ENTRY_PRICE:
    case COL_EXIT_PRICE:
      return g_strdup_printf ("%.4g", c == COL_ENTRY_PRICE ? t->entry_price : t->exit_price);
    case COL_PNL:
    case COL_FEES:
      return hs_stat_format (hs_stat_meta_lookup ("net_profit_currency"),
                             c == COL_PNL ? t->pnl : t->fees);
    case COL_PNL_PCT:
    case COL_MFE:
    case COL_MAE:
      /* Already percent: as a fraction for the formatter. */
      return hs_stat_format (hs_stat_meta_lookup ("total_return"),
                             trade_number (t, index, c) / 100);
    case COL_BARS:
      return g_strdup_printf ("%" G_GINT64_FORMAT, t->bars_held);
    case COL_REASON:
      return g_strdup (t->exit_reason == HS_EXIT_UNKNOWN ? "–"
                                                         : hs_exit_reason_name (t->exit_reason));
    case N_COLUMNS:
    default:
      return g_strdup ("");
    }
}

/* The column views' sorters only say which column and order a person chose; see
 * column_of_sorter(). While probing, a column's sorter names itself and answers "smaller". */
static int probed_column = -1;

static int
probe_cb (gconstpointer a,
          gconstpointer b,
          gpointer      data)
{
  probed_column = GPOINTER_TO_INT (data);
  return GTK_ORDERING_SMALLER;
}

/* The model's order by one column: qsort_r()-free, so the keys travel in a static. */
typedef struct
{
  double key;
  guint  index;
} SortEntry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const SortEntry *x = a, *y = b;

  /* NANs last; ties in entry order. */
  if (isnan (x->key) != isnan (y->key))
    return isnan (x->key) ? 1 : -1;
  if (x->key != y->key && !isnan (x->key))
    return x->key < y->key ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static int
compare_entries_descending (gconstpointer a,
                            gconstpointer b)
{
  const SortEntry *x = a, *y = b;

  if (isnan (x->key) != isnan (y->key))
    return isnan (x->key) ? 1 : -1;
  if (x->key != y->key && !isnan (x->key))
    return x->key > y->key ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Sorts the model by @column (−1: entry order) and says every row changed. */
static void
hs_trade_model_sort (HsTradeModel *self,
                     int           column,
                     gboolean      descending)
{
  guint n = self->trades->len;

  g_clear_pointer (&self->order, g_free);
  if (column >= 0 && n > 0)
    {
      g_autofree SortEntry *entries = g_new (SortEntry, n);

      for (guint i = 0; i < n; i++)
        {
          entries[i].key = trade_number (&g_array_index (self->trades, HsBtTrade, i), i, column);
          entries[i].index = i;
        }
      qsort (entries, n, sizeof *entries,
             descending ? compare_entries_descending : compare_entries);
      self->order = g_new (guint, n);
      for (guint i = 0; i < n; i++)
        self->order[i] = entries[i].index;
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, n);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  data)
{
  Column c = GPOINTER_TO_INT (data);
  /* GtkInscription: a label for list cells, with no size negotiation of its own; the column
   * view keeps some two hundred rows of cells alive, so their cost counts. */
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), columns[c].numeric ? 1 : 0);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), 4);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), c == COL_ENTRY || c == COL_EXIT ? 16 : 10);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (columns[c].numeric)
    gtk_widget_add_css_class (cell, "numeric");
  gtk_list_item_set_child (item, cell);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  data)
{
  Column c = GPOINTER_TO_INT (data);
  HsTradeItem *trade = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = format_cell (hs_trade_item_get_trade (trade), trade->index, c);

  gtk_inscription_set_text (GTK_INSCRIPTION (label), text);
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "error");
  if (c == COL_PNL || c == COL_PNL_PCT)
    {
      double v = hs_trade_item_get_trade (trade)->pnl;

      if (v > 0)
        gtk_widget_add_css_class (label, "success");
      else if (v < 0)
        gtk_widget_add_css_class (label, "error");
    }
}

/* ---- HsTradeList ---- */

struct _HsTradeList
{
  GtkWidget           parent_instance;

  GtkWidget          *scroller;
  GtkColumnView      *view;
  GtkColumnViewColumn *columns[N_COLUMNS];
  int                 sort_column;   /* −1: entry order */
  gboolean            sort_descending;
  GtkSingleSelection *selection;    /* (owned) */
  HsTradeModel       *model;        /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (HsTradeList, hs_trade_list, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_TRADE_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
selected_cb (HsTradeList *self)
{
  g_signal_emit (self, signals[SIGNAL_TRADE_SELECTED], 0, hs_trade_list_get_selected (self));
}

/* The column and order the column view's sorter asks for: its compare calls the sorters of
 * the columns it sorts by, the chosen one first; each names itself and answers "smaller", so
 * one comparison of any two items names the column, and the answer's sign the order. */
static void
read_view_sorter (HsTradeList *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->view);
  g_autoptr(HsTradeItem) a = g_object_new (HS_TYPE_TRADE_ITEM, NULL);
  g_autoptr(HsTradeItem) b = g_object_new (HS_TYPE_TRADE_ITEM, NULL);
  GtkOrdering answer;

  probed_column = -1;
  answer = gtk_sorter_compare (sorter, a, b);
  self->sort_column = answer == GTK_ORDERING_EQUAL ? -1 : probed_column;
  self->sort_descending = answer == GTK_ORDERING_LARGER;
}

/* Sorts the rows as the view's sorter asks, keeping the selected trade selected. */
static void
apply_sort (HsTradeList *self)
{
  int selected = hs_trade_list_get_selected (self);

  if (self->model == NULL)
    return;
  hs_trade_model_sort (self->model, self->sort_column, self->sort_descending);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  if (selected >= 0)
    hs_trade_list_select_trade (self, (guint) selected);
}

static void
sorter_changed_cb (HsTradeList *self)
{
  read_view_sorter (self);
  apply_sort (self);
}

/**
 * hs_trade_list_set_trades:
 * @trades: (nullable) (element-type HsBtTrade): a run's trades, referenced
 *
 * Shows them sorted as the table's columns say.
 */
void
hs_trade_list_set_trades (HsTradeList *self,
                          GArray      *trades)
{
  g_autoptr(GArray) empty = NULL;

  g_return_if_fail (HS_IS_TRADE_LIST (self));

  g_clear_object (&self->model);
  if (trades == NULL)
    trades = empty = g_array_new (FALSE, FALSE, sizeof (HsBtTrade));
  self->model = hs_trade_model_new (trades);
  if (self->sort_column >= 0)
    hs_trade_model_sort (self->model, self->sort_column, self->sort_descending);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

guint
hs_trade_list_get_n_trades (HsTradeList *self)
{
  g_return_val_if_fail (HS_IS_TRADE_LIST (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}

/**
 * hs_trade_list_select_trade:
 * @index: the trade's index in the run
 *
 * Selects the trade's row, wherever the sort put it, and scrolls it into view.
 *
 * Returns: %FALSE when there is no such trade
 */
gboolean
hs_trade_list_select_trade (HsTradeList *self,
                            guint        index)
{
  GListModel *list = NULL;
  guint n, position = GTK_INVALID_LIST_POSITION;
  GtkWidget *child = NULL;

  g_return_val_if_fail (HS_IS_TRADE_LIST (self), FALSE);

  list = G_LIST_MODEL (self->selection);
  n = g_list_model_get_n_items (list);
  if (index >= n)
    return FALSE;
  if (self->model->order == NULL)
    position = index;
  else
    for (guint i = 0; i < n && position == GTK_INVALID_LIST_POSITION; i++)
      if (self->model->order[i] == index)
        position = i;
  gtk_single_selection_set_selected (self->selection, position);
  /* GTK 4.8 has no gtk_column_view_scroll_to(): its list view's action does it, when the
   * table shows its rows (a hidden one has no model yet, see hs-widget-util.c). */
  if (gtk_column_view_get_model (self->view) == NULL)
    return TRUE;
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
  return TRUE;
}

/* Returns: the selected trade's index in the run, −1 when none */
int
hs_trade_list_get_selected (HsTradeList *self)
{
  HsTradeItem *item = NULL;

  g_return_val_if_fail (HS_IS_TRADE_LIST (self), -1);

  item = gtk_single_selection_get_selected_item (self->selection);
  return item != NULL ? (int) item->index : -1;
}

GtkColumnView *
hs_trade_list_get_column_view (HsTradeList *self)
{
  g_return_val_if_fail (HS_IS_TRADE_LIST (self), NULL);
  return self->view;
}

/* Returns: (transfer none): the rows as shown (sorted), items of type HsTradeItem */
GListModel *
hs_trade_list_get_model (HsTradeList *self)
{
  g_return_val_if_fail (HS_IS_TRADE_LIST (self), NULL);
  return G_LIST_MODEL (self->selection);
}

/**
 * hs_trade_list_sort_by:
 * @column: a column id: number, side, entry, exit, quantity, entry_price, exit_price, pnl,
 *   pnl_pct, fees, mfe, mae, bars, reason
 *
 * Sorts as a click on the column's header does.
 *
 * Returns: %FALSE for an unknown column
 */
gboolean
hs_trade_list_sort_by (HsTradeList *self,
                       const char  *column,
                       gboolean     descending)
{
  g_return_val_if_fail (HS_IS_TRADE_LIST (self), FALSE);

  for (int c = 0; c < N_COLUMNS; c++)
    if (g_strcmp0 (columns[c].id, column) == 0)
      {
        gtk_column_view_sort_by_column (self->view, self->columns[c],
                                        descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
        return TRUE;
      }
  return FALSE;
}

/* Returns: (transfer full) (nullable): the text of a cell as the table draws it */
char *
hs_trade_list_dup_cell_text (HsTradeList *self,
                             guint        position,
                             const char  *column)
{
  g_autoptr(HsTradeItem) item = NULL;

  g_return_val_if_fail (HS_IS_TRADE_LIST (self), NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (item == NULL)
    return NULL;
  for (int c = 0; c < N_COLUMNS; c++)
    if (g_strcmp0 (columns[c].id, column) == 0)
      return format_cell (hs_trade_item_get_trade (item), item->index, c);
  return NULL;
}

static void
hs_trade_list_dispose (GObject *object)
{
  HsTradeList *self = HS_TRADE_LIST (object);

  /* No ::trade-selected while the rows go away. */
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->view), self);
  self->view = NULL;   /* the scrolled window owns it */
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  G_OBJECT_CLASS (hs_trade_list_parent_class)->dispose (object);
}

static void
hs_trade_list_class_init (HsTradeListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_trade_list_dispose;

  /**
   * HsTradeList::trade-selected:
   * @index: the selected trade's index in the run, −1 when none
   */
  signals[SIGNAL_TRADE_SELECTED] = g_signal_new ("trade-selected", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, G_TYPE_INT);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "hs-trade-list");
}

static void
hs_trade_list_init (HsTradeList *self)
{
  g_autoptr(GArray) empty = g_array_new (FALSE, FALSE, sizeof (HsBtTrade));

  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_show_column_separators (self->view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "hs-trade-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Trades"), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("The run's trades; click a column header to sort"), -1);
  for (int c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (probe_cb, GINT_TO_POINTER (c),
                                                             NULL));

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GINT_TO_POINTER (c));
      self->columns[c] = gtk_column_view_column_new (_(columns[c].title), factory);
      gtk_column_view_column_set_sorter (self->columns[c], sorter);
      gtk_column_view_column_set_resizable (self->columns[c], TRUE);
      gtk_column_view_column_set_expand (self->columns[c], c == COL_REASON);
      gtk_column_view_append_column (self->view, self->columns[c]);
      g_object_unref (self->columns[c]);   /* the view holds it */
      g_object_unref (sorter);
    }
  self->sort_column = -1;
  self->model = hs_trade_model_new (empty);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  g_signal_connect_object (gtk_column_view_get_sorter (self->view), "changed",
                           G_CALLBACK (sorter_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  hs_column_view_set_model_when_mapped (self->view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (selected_cb), self,
                           G_CONNECT_SWAPPED);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->view));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
}

GtkWidget *
hs_trade_list_new (void)
{
  return g_object_new (HS_TYPE_TRADE_LIST, NULL);
}
