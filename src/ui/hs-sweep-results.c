/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sweep's results: what ran (combinations, refused, failed, time, the rank statistic), the
 * best combination beside its deflated Sharpe ratio (the probability that its Sharpe ratio is
 * not the luck of many tries, docs/statistics.md), a heat map of the rank statistic over two
 * chosen parameters (the others held at the best's values), and a sortable table of every
 * combination; activating a row opens its stored run. One row object per combination, made
 * when the outcome arrives (a thousand in a typical sweep).
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-sweep-results.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "hs-backtest-charts.h"
#include "hs-records.h"
#include "hs-stat-meta.h"
#include "hs-widget-util.h"

/* ---- one combination ---- */

#define HS_TYPE_SWEEP_ROW (hs_sweep_row_get_type ())

G_DECLARE_FINAL_TYPE (HsSweepRow, hs_sweep_row, HS, SWEEP_ROW, GObject)

struct _HsSweepRow
{
  GObject  parent_instance;
  guint    trial;   /* index in the outcome's trials */
  guint    rank;    /* 1 = best */
};

G_DEFINE_FINAL_TYPE (HsSweepRow, hs_sweep_row, G_TYPE_OBJECT)

static void
hs_sweep_row_class_init (HsSweepRowClass *klass)
{
}

static void
hs_sweep_row_init (HsSweepRow *self)
{
}

/* ---- the table's columns ---- */

typedef enum
{
  KIND_RANK,
  KIND_PARAM,
  KIND_STAT,
  KIND_STATUS,
} ColumnKind;

typedef struct
{
  HsSweepResults *owner;    /* (unowned) */
  ColumnKind      kind;
  char           *name;     /* (owned) the parameter or statistic column */
} ColumnData;

static void
column_data_free (gpointer data)
{
  ColumnData *c = data;

  g_free (c->name);
  g_free (c);
}

struct _HsSweepResults
{
  GtkWidget           parent_instance;

  GtkWidget          *scroller;
  GtkLabel           *title_label;
  GtkLabel           *summary_label;
  GtkLabel           *best_label;
  GtkLabel           *dsr_label;
  GtkLabel           *dsr_detail_label;
  GtkWidget          *heatmap_box;
  GtkDropDown        *x_dropdown;
  GtkDropDown        *y_dropdown;
  GtkStringList      *axis_names;     /* (owned) the varied parameters */
  GtkWidget          *heatmap;        /* chart */
  GtkColumnView      *table;
  GListStore         *rows;           /* (owned) HsSweepRow */
  GtkSortListModel   *sorted;         /* (owned) */
  GtkSingleSelection *selection;      /* (owned) */
  GPtrArray          *columns;        /* (owned) (element-type ColumnData) */

  HsSweepOutcome     *outcome;        /* (owned) (nullable) */
  char               *dsr_text;       /* (owned) */
  gboolean            updating;
};

G_DEFINE_FINAL_TYPE (HsSweepResults, hs_sweep_results, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_OPEN_RUN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const HsSweepTrial *
trial_at (HsSweepResults *self,
          guint           i)
{
  return &g_array_index (self->outcome->result->trials, HsSweepTrial, i);
}

static const HsParamSpec *
axis_spec (const HsSweepOutcome *o,
           const char           *name)
{
  return hs_strategy_find_param (o->grid->strategy, name);
}

static gboolean
is_number (const HsParamSpec *spec)
{
  return spec != NULL && (spec->type == HS_PARAM_INT || spec->type == HS_PARAM_DOUBLE);
}

/**
 * hs_sweep_results_dup_params_text:
 *
 * Returns: (transfer full): the varied parameters of a combination, "fast=10 slow=30"
 */
char *
hs_sweep_results_dup_params_text (const HsSweepOutcome *o,
                                  guint                 trial)
{
  const HsSweepTrial *t = &g_array_index (o->result->trials, HsSweepTrial, trial);
  GString *out = g_string_new (NULL);

  for (guint a = 0; a < o->grid->axes->len; a++)
    {
      const HsSweepAxis *axis = o->grid->axes->pdata[a];
      const HsParamSpec *spec = axis_spec (o, axis->name);

      if (!hs_sweep_axis_varies (axis))
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      if (is_number (spec))
        {
          char buf[32];

          hs_format_double (hs_strategy_params_get_number (t->params, axis->name), buf);
          g_string_append_printf (out, "%s=%s", axis->name, buf);
        }
      else
        g_string_append_printf (out, "%s=%s", axis->name,
                                hs_strategy_params_get_text (t->params, axis->name));
    }
  if (out->len == 0)
    g_string_append (out, _("(defaults)"));
  return g_string_free (out, FALSE);
}

static double
column_value (HsSweepResults   *self,
              const ColumnData *c,
              const HsSweepRow *row)
{
  const HsSweepTrial *t = trial_at (self, row->trial);

  switch (c->kind)
    {
    case KIND_RANK:
      return row->rank;
    case KIND_PARAM:
      return hs_strategy_params_get_number (t->params, c->name);
    case KIND_STAT:
      return t->result != NULL ? hs_sweep_rank_value (t->result, c->name) : NAN;
    case KIND_STATUS:
    default:
      return t->result != NULL ? 0 : 1;
    }
}

static char *
column_text (HsSweepResults   *self,
             const ColumnData *c,
             const HsSweepRow *row)
{
  const HsSweepTrial *t = trial_at (self, row->trial);

  switch (c->kind)
    {
    case KIND_RANK:
      return g_strdup_printf ("%u", row->rank);
    case KIND_PARAM:
      {
        const HsParamSpec *spec = axis_spec (self->outcome, c->name);
        char buf[32];

        if (!is_number (spec))
          return g_strdup (hs_strategy_params_get_text (t->params, c->name));
        hs_format_double (hs_strategy_params_get_number (t->params, c->name), buf);
        return g_strdup (buf);
      }
    case KIND_STAT:
      {
        const HsStatMeta *m = hs_stat_meta_lookup (c->name);

        return hs_stat_format (m, column_value (self, c, row));
      }
    case KIND_STATUS:
    default:
      return g_strdup (t->result != NULL ? _("completed")
                                         : t->error_message != NULL ? t->error_message
                                                                    : _("failed"));
    }
}

static int
compare_cb (gconstpointer a,
            gconstpointer b,
            gpointer      data)
{
  ColumnData *c = data;
  const HsSweepRow *ra = a, *rb = b;
  double va, vb;

  if (c->owner->outcome == NULL)
    return GTK_ORDERING_EQUAL;
  va = column_value (c->owner, c, ra);
  vb = column_value (c->owner, c, rb);
  /* Undefined values last in either direction would need the direction: they sort low. */
  if (isnan (va) != isnan (vb))
    return isnan (va) ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  if (!isnan (va) && va != vb)
    return va < vb ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  return ra->rank < rb->rank ? GTK_ORDERING_SMALLER
                             : ra->rank > rb->rank ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  data)
{
  ColumnData *c = data;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), c->kind == KIND_STATUS ? 0 : 1);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  data)
{
  ColumnData *c = data;
  HsSweepRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  if (c->owner->outcome == NULL)
    return;
  text = column_text (c->owner, c, row);
  gtk_label_set_text (GTK_LABEL (label), text);
  if (row->rank == 1)
    gtk_widget_add_css_class (label, "hs-better");
  else
    gtk_widget_remove_css_class (label, "hs-better");
}

static void
add_column (HsSweepResults *self,
            ColumnKind      kind,
            const char     *name,
            const char     *title,
            const char     *tooltip)
{
  ColumnData *c = g_new0 (ColumnData, 1);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSorter) sorter = NULL;
  GtkColumnViewColumn *column = NULL;

  c->owner = self;
  c->kind = kind;
  c->name = g_strdup (name);
  g_ptr_array_add (self->columns, c);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), c);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), c);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_cb, c, NULL));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, kind == KIND_STATUS);
  g_object_set_data_full (G_OBJECT (column), "hs-column-id", g_strdup (name), g_free);
  if (tooltip != NULL)
    g_object_set_data_full (G_OBJECT (column), "hs-tooltip", g_strdup (tooltip), g_free);
  gtk_column_view_append_column (self->table, column);
  g_object_unref (column);
}

static void
clear_columns (HsSweepResults *self)
{
  GListModel *cols = gtk_column_view_get_columns (self->table);

  while (g_list_model_get_n_items (cols) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (cols, 0);

      gtk_column_view_remove_column (self->table, column);
    }
  g_ptr_array_set_size (self->columns, 0);
}

/* ---- the heat map ---- */

/* The index of @params' value of @axis among the axis' values, −1 when none. */
static int
axis_position (const HsSweepAxis      *axis,
               const HsParamSpec      *spec,
               const HsStrategyParams *params)
{
  for (guint i = 0; i < axis->values->len; i++)
    {
      const char *text = axis->values->pdata[i];

      if (is_number (spec))
        {
          if (fabs (g_ascii_strtod (text, NULL) - hs_strategy_params_get_number (params, axis->name))
              < 1e-9)
            return (int) i;
        }
      else if (g_strcmp0 (text, hs_strategy_params_get_text (params, axis->name)) == 0)
        return (int) i;
    }
  return -1;
}

static const HsSweepAxis *
find_axis (const HsSweepOutcome *o,
           const char           *name)
{
  for (guint a = 0; name != NULL && a < o->grid->axes->len; a++)
    if (g_str_equal (((HsSweepAxis *) o->grid->axes->pdata[a])->name, name))
      return o->grid->axes->pdata[a];
  return NULL;
}

static const char *
dropdown_text (GtkDropDown *dropdown)
{
  GObject *item = gtk_drop_down_get_selected_item (dropdown);

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

/* The axes across and down the heat map; @y is NULL without a second one. */
static void
selected_axes (HsSweepResults     *self,
               const HsSweepAxis **x,
               const HsSweepAxis **y)
{
  *x = find_axis (self->outcome, dropdown_text (self->x_dropdown));
  *y = find_axis (self->outcome, dropdown_text (self->y_dropdown));
  if (*y == *x)
    *y = NULL;
}

/**
 * hs_sweep_results_dup_heatmap_values:
 * @nx: (out): values of the chosen x parameter
 * @ny: (out): values of the chosen y parameter (1 without one)
 *
 * The rank statistic of each (x, y) cell, ny × nx row by row; the other varied parameters
 * held at the best combination's values; NAN where a combination was refused or failed.
 *
 * Returns: (transfer full) (nullable): the values, %NULL without an outcome
 */
double *
hs_sweep_results_dup_heatmap_values (HsSweepResults *self,
                                     size_t         *nx,
                                     size_t         *ny)
{
  const HsSweepOutcome *o = self->outcome;
  const HsSweepAxis *ax = NULL, *ay = NULL;
  const HsSweepTrial *best = NULL;
  double *values = NULL;

  g_return_val_if_fail (HS_IS_SWEEP_RESULTS (self), NULL);

  *nx = *ny = 0;
  if (o == NULL)
    return NULL;
  selected_axes (self, &ax, &ay);
  if (ax == NULL)
    return NULL;
  best = hs_sweep_result_get_best (o->result);
  *nx = ax->values->len;
  *ny = ay != NULL ? ay->values->len : 1;
  values = g_new (double, *nx * *ny);
  for (size_t i = 0; i < *nx * *ny; i++)
    values[i] = NAN;
  for (guint i = 0; i < o->result->trials->len; i++)
    {
      const HsSweepTrial *t = trial_at (self, i);
      gboolean on_slice = TRUE;
      int ix, iy = 0;

      for (guint a = 0; a < o->grid->axes->len && on_slice; a++)
        {
          const HsSweepAxis *axis = o->grid->axes->pdata[a];
          const HsParamSpec *spec = axis_spec (o, axis->name);

          if (axis == ax || axis == ay || !hs_sweep_axis_varies (axis) || best == NULL)
            continue;
          on_slice = axis_position (axis, spec, t->params)
                     == axis_position (axis, spec, best->params);
        }
      if (!on_slice)
        continue;
      ix = axis_position (ax, axis_spec (o, ax->name), t->params);
      if (ay != NULL)
        iy = axis_position (ay, axis_spec (o, ay->name), t->params);
      if (ix >= 0 && iy >= 0)
        values[(size_t) iy * *nx + (size_t) ix] = t->rank_value;
    }
  return values;
}

static void
update_heatmap (HsSweepResults *self)
{
  const HsSweepOutcome *o = self->outcome;
  g_autofree double *values = NULL;
  const HsSweepAxis *ax = NULL, *ay = NULL;
  size_t nx = 0, ny = 0;

  if (self->updating || o == NULL)
    return;
  values = hs_sweep_results_dup_heatmap_values (self, &nx, &ny);
  if (values == NULL)
    {
      hs_backtest_chart_clear (self->heatmap);
      return;
    }
  selected_axes (self, &ax, &ay);
  /* With one varied parameter, the row is a fixed one's single value (named in the title). */
  for (guint a = 0; ay == NULL && a < o->grid->axes->len; a++)
    if (o->grid->axes->pdata[a] != ax)
      ay = o->grid->axes->pdata[a];
  hs_backtest_chart_set_sweep (self->heatmap, ax->name, (const char *const *) ax->values->pdata,
                               nx, ay != NULL ? ay->name : NULL,
                               ay != NULL ? (const char *const *) ay->values->pdata : NULL, ny,
                               values, o->result->rank, o->result->lower_is_better);
}

/**
 * hs_sweep_results_set_axes:
 * @y_param: (nullable):
 *
 * Chooses the parameters across and down the heat map.
 *
 * Returns: %FALSE when one is not a varied parameter
 */
gboolean
hs_sweep_results_set_axes (HsSweepResults *self,
                           const char     *x_param,
                           const char     *y_param)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->axis_names));
  guint xi = GTK_INVALID_LIST_POSITION, yi = GTK_INVALID_LIST_POSITION;

  g_return_val_if_fail (HS_IS_SWEEP_RESULTS (self), FALSE);

  for (guint i = 0; i < n; i++)
    {
      const char *name = gtk_string_list_get_string (self->axis_names, i);

      if (g_strcmp0 (name, x_param) == 0)
        xi = i;
      if (g_strcmp0 (name, y_param) == 0)
        yi = i;
    }
  if (xi == GTK_INVALID_LIST_POSITION || (y_param != NULL && yi == GTK_INVALID_LIST_POSITION))
    return FALSE;
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->x_dropdown, xi);
  gtk_drop_down_set_selected (self->y_dropdown, yi);
  self->updating = FALSE;
  update_heatmap (self);
  return TRUE;
}

/* ---- the outcome ---- */

static void
open_best_cb (HsSweepResults *self)
{
  const HsSweepOutcome *o = self->outcome;

  if (o != NULL && o->result->ranking->len > 0)
    g_signal_emit (self, signals[SIGNAL_OPEN_RUN], 0,
                   o->run_ids[g_array_index (o->result->ranking, guint, 0)]);
}

static void
row_activated_cb (HsSweepResults *self,
                  guint           position)
{
  g_autoptr(HsSweepRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (row != NULL && self->outcome != NULL)
    g_signal_emit (self, signals[SIGNAL_OPEN_RUN], 0, self->outcome->run_ids[row->trial]);
}

static void
fill_header (HsSweepResults *self)
{
  const HsSweepOutcome *o = self->outcome;
  const HsSweepTrial *best = hs_sweep_result_get_best (o->result);
  const HsStatMeta *rank = hs_stat_meta_lookup (o->result->rank);
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *best_text = NULL;
  g_autofree char *detail = NULL;

  title = g_strdup_printf (_("Sweep of %s on %s %s"), o->grid->strategy->name, o->info->symbol,
                           o->info->interval);
  summary = g_strdup_printf (_("%u combinations run (grid of %zu; %zu refused by the strategy, "
                               "%zu failed) in %.2f s, ranked by %s (%s is better); all stored "
                               "as runs of batch %.8s"),
                             o->result->trials->len, o->grid->n_total, o->grid->n_invalid,
                             o->result->n_failed, o->result->seconds, o->result->rank,
                             o->result->lower_is_better ? _("lower") : _("higher"),
                             o->batch_id != NULL ? o->batch_id : "");
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->summary_label, summary);
  if (best != NULL)
    {
      g_autofree char *params = hs_sweep_results_dup_params_text (o, (guint) (best - trial_at (self, 0)));
      g_autofree char *value = rank != NULL ? hs_stat_format (rank, best->rank_value)
                                            : g_strdup_printf ("%g", best->rank_value);

      best_text = g_strdup_printf (_("Best: %s — %s %s"), params,
                                   rank != NULL ? rank->label : o->result->rank, value);
    }
  else
    best_text = g_strdup (_("No combination has a defined rank value"));
  gtk_label_set_text (self->best_label, best_text);

  g_free (self->dsr_text);
  if (isfinite (o->result->deflated_sharpe))
    {
      self->dsr_text = g_strdup_printf (_("Deflated Sharpe ratio %.3f"),
                                        o->result->deflated_sharpe);
      detail = g_strdup_printf (_("A %.1f %% probability that the best Sharpe ratio is not the "
                                  "luck of %.0f tries (it is %.4f per period; luck alone would "
                                  "reach %.4f)."),
                                o->result->deflated_sharpe * 100, o->result->n_trials,
                                o->result->sr_best, o->result->expected_max_sr);
    }
  else
    {
      self->dsr_text = g_strdup (_("Deflated Sharpe ratio undefined"));
      detail = g_strdup (_("It needs the Sharpe ratios of at least two combinations and of the "
                           "best."));
    }
  gtk_label_set_text (self->dsr_label, self->dsr_text);
  gtk_label_set_text (self->dsr_detail_label, detail);
}

/**
 * hs_sweep_results_set_outcome:
 * @outcome: (transfer full) (nullable): a finished sweep
 */
void
hs_sweep_results_set_outcome (HsSweepResults *self,
                              HsSweepOutcome *outcome)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const HsStatMeta *rank_meta = NULL;
  const char *stats[] = { "sharpe_ratio", "net_profit", "max_drawdown", "total_trades",
                          "win_rate" };

  g_return_if_fail (HS_IS_SWEEP_RESULTS (self));

  /* Rows and columns go before the outcome they point into. */
  g_list_store_remove_all (self->rows);
  clear_columns (self);
  g_clear_pointer (&self->outcome, hs_sweep_outcome_free);
  self->outcome = outcome;
  if (outcome == NULL)
    {
      hs_backtest_chart_clear (self->heatmap);
      return;
    }

  add_column (self, KIND_RANK, "rank", _("Rank"), NULL);
  for (guint a = 0; a < outcome->grid->axes->len; a++)
    {
      const HsSweepAxis *axis = outcome->grid->axes->pdata[a];

      if (hs_sweep_axis_varies (axis))
        {
          add_column (self, KIND_PARAM, axis->name, axis->name, NULL);
          g_ptr_array_add (names, axis->name);
        }
    }
  rank_meta = hs_stat_meta_lookup (outcome->result->rank);
  add_column (self, KIND_STAT, outcome->result->rank,
              rank_meta != NULL ? _(rank_meta->label) : outcome->result->rank, NULL);
  for (size_t s = 0; s < G_N_ELEMENTS (stats); s++)
    if (!g_str_equal (stats[s], outcome->result->rank))
      add_column (self, KIND_STAT, stats[s], _(hs_stat_meta_lookup (stats[s])->label), NULL);
  add_column (self, KIND_STATUS, "status", _("Status"), NULL);

  for (guint r = 0; r < outcome->result->ranking->len; r++)
    {
      HsSweepRow *row = g_object_new (HS_TYPE_SWEEP_ROW, NULL);

      row->trial = g_array_index (outcome->result->ranking, guint, r);
      row->rank = r + 1;
      g_ptr_array_add (rows, row);
    }
  g_list_store_splice (self->rows, 0, 0, rows->pdata, rows->len);

  g_ptr_array_add (names, NULL);
  self->updating = TRUE;
  gtk_string_list_splice (self->axis_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->axis_names)),
                          (const char *const *) names->pdata);
  gtk_drop_down_set_selected (self->x_dropdown, names->len > 1 ? 0 : GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (self->y_dropdown, names->len > 2 ? 1 : GTK_INVALID_LIST_POSITION);
  self->updating = FALSE;
  gtk_widget_set_visible (self->heatmap_box, names->len > 1);
  fill_header (self);
  update_heatmap (self);
}

const HsSweepOutcome *
hs_sweep_results_get_outcome (HsSweepResults *self)
{
  g_return_val_if_fail (HS_IS_SWEEP_RESULTS (self), NULL);
  return self->outcome;
}

GtkColumnView *
hs_sweep_results_get_table (HsSweepResults *self)
{
  g_return_val_if_fail (HS_IS_SWEEP_RESULTS (self), NULL);
  return self->table;
}

/* Returns: (transfer none): the table's rows as shown */
GListModel *
hs_sweep_results_get_rows (HsSweepResults *self)
{
  g_return_val_if_fail (HS_IS_SWEEP_RESULTS (self), NULL);
  return G_LIST_MODEL (self->selection);
}

/* Returns: the trial (index in the outcome's trials) of the row at @position as shown */
guint
hs_sweep_results_row_trial (HsSweepResults *self,
                            guint           position)
{
  g_autoptr(HsSweepRow) row = NULL;

  g_return_val_if_fail (HS_IS_SWEEP_RESULTS (self), G_MAXUINT);

  row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  return row != NULL ? row->trial : G_MAXUINT;
}

/**
 * hs_sweep_results_sort_by:
 * @column: "rank", a varied parameter, a statistic column shown, or "status"
 *
 * Returns: %FALSE when the table has no such column
 */
gboolean
hs_sweep_results_sort_by (HsSweepResults *self,
                          const char     *column,
                          gboolean        descending)
{
  GListModel *cols = NULL;

  g_return_val_if_fail (HS_IS_SWEEP_RESULTS (self), FALSE);

  cols = gtk_column_view_get_columns (self->table);
  for (guint i = 0; i < g_list_model_get_n_items (cols); i++)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (cols, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (c), "hs-column-id"), column) == 0)
        {
          gtk_column_view_sort_by_column (self->table, c, descending ? GTK_SORT_DESCENDING
                                                                     : GTK_SORT_ASCENDING);
          return TRUE;
        }
    }
  return FALSE;
}

GtkWidget *
hs_sweep_results_get_heatmap (HsSweepResults *self)
{
  g_return_val_if_fail (HS_IS_SWEEP_RESULTS (self), NULL);
  return self->heatmap;
}

/* Returns: "Deflated Sharpe ratio 0.873" (or undefined), as shown beside the best */
const char *
hs_sweep_results_get_dsr_text (HsSweepResults *self)
{
  g_return_val_if_fail (HS_IS_SWEEP_RESULTS (self), NULL);
  return self->dsr_text;
}

static void
heatmap_cell_cb (HsSweepResults *self,
                 int             index)
{
  const HsSweepOutcome *o = self->outcome;
  g_autofree double *values = NULL;
  size_t nx = 0, ny = 0;

  /* A cell: open the combination it shows. */
  if (o == NULL || index < 0)
    return;
  values = hs_sweep_results_dup_heatmap_values (self, &nx, &ny);
  if (values == NULL || (size_t) index >= nx * ny || isnan (values[index]))
    return;
  for (guint i = 0; i < o->result->trials->len; i++)
    if (trial_at (self, i)->rank_value == values[index])
      {
        g_signal_emit (self, signals[SIGNAL_OPEN_RUN], 0, o->run_ids[i]);
        return;
      }
}

/* ---- GObject ---- */

static void
hs_sweep_results_dispose (GObject *object)
{
  HsSweepResults *self = HS_SWEEP_RESULTS (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->rows);
  g_clear_object (&self->axis_names);
  G_OBJECT_CLASS (hs_sweep_results_parent_class)->dispose (object);
}

static void
hs_sweep_results_finalize (GObject *object)
{
  HsSweepResults *self = HS_SWEEP_RESULTS (object);

  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->outcome, hs_sweep_outcome_free);
  g_clear_pointer (&self->dsr_text, g_free);
  G_OBJECT_CLASS (hs_sweep_results_parent_class)->finalize (object);
}

static void
hs_sweep_results_class_init (HsSweepResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_sweep_results_dispose;
  object_class->finalize = hs_sweep_results_finalize;

  /**
   * HsSweepResults::open-run:
   * @run_id: the backtest_runs.id of a combination
   */
  signals[SIGNAL_OPEN_RUN] = g_signal_new ("open-run", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_INT64);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static GtkLabel *
wrapped_label (GtkWidget  *box,
               const char *css)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  gtk_box_append (GTK_BOX (box), label);
  return GTK_LABEL (label);
}

static void
hs_sweep_results_init (HsSweepResults *self)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *axes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Open the Best Run"));
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *table_scroller = gtk_scrolled_window_new ();
  g_autoptr(GListStore) unused = NULL;

  self->columns = g_ptr_array_new_with_free_func (column_data_free);
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1200);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), clamp);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);

  /* What ran. */
  self->title_label = wrapped_label (header, "hs-result-title");
  self->summary_label = wrapped_label (header, "dim-label");
  gtk_box_append (GTK_BOX (box), header);

  /* The best, beside its deflated Sharpe ratio. */
  gtk_widget_add_css_class (card, "hs-dsr-card");
  self->best_label = wrapped_label (card, "heading");
  self->dsr_label = wrapped_label (card, "hs-stat-value");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->dsr_label),
                               _("Bailey and López de Prado's deflated Sharpe ratio: the "
                                 "probability that the best combination's Sharpe ratio is above "
                                 "what the best of that many tries would reach by chance, given "
                                 "its skewness, tails and length"));
  self->dsr_detail_label = wrapped_label (card, "dim-label");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (button, 6);
  g_signal_connect_object (button, "clicked", G_CALLBACK (open_best_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (card), button);
  gtk_box_append (GTK_BOX (box), card);

  /* The heat map over two parameters. */
  self->heatmap_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->axis_names = gtk_string_list_new (NULL);
  self->x_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->axis_names)),
                                                       NULL));
  self->y_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->axis_names)),
                                                       NULL));
  hs_drop_down_set_accessible_name (self->x_dropdown, _("Parameter across"));
  hs_drop_down_set_accessible_name (self->y_dropdown, _("Parameter down"));
  g_signal_connect_object (self->x_dropdown, "notify::selected", G_CALLBACK (update_heatmap), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->y_dropdown, "notify::selected", G_CALLBACK (update_heatmap), self,
                           G_CONNECT_SWAPPED);
  /* The heading above the choices, so the row fits a narrow window. */
  gtk_box_append (GTK_BOX (self->heatmap_box), heading (_("Heat Map")));
  gtk_box_append (GTK_BOX (axes), gtk_label_new (_("Across")));
  gtk_box_append (GTK_BOX (axes), GTK_WIDGET (self->x_dropdown));
  gtk_box_append (GTK_BOX (axes), gtk_label_new (_("Down")));
  gtk_box_append (GTK_BOX (axes), GTK_WIDGET (self->y_dropdown));
  gtk_box_append (GTK_BOX (self->heatmap_box), axes);
  self->heatmap = hs_backtest_chart_new (_("Sweep heat map"));
  gtk_widget_set_size_request (self->heatmap, -1, 360);
  g_signal_connect_object (self->heatmap, "point-activated", G_CALLBACK (heatmap_cell_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->heatmap_box), self->heatmap);
  gtk_box_append (GTK_BOX (box), self->heatmap_box);

  /* Every combination. */
  gtk_box_append (GTK_BOX (box), heading (_("Combinations")));
  self->rows = g_list_store_new (HS_TYPE_SWEEP_ROW);
  self->table = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->table), "hs-runs-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->table), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Sweep combinations"), -1);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                          g_object_ref (gtk_column_view_get_sorter (self->table)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  hs_column_view_set_model_when_mapped (self->table, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->table, "activate", G_CALLBACK (row_activated_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (table_scroller), GTK_WIDGET (self->table));
  gtk_widget_set_size_request (table_scroller, -1, 360);
  gtk_frame_set_child (GTK_FRAME (frame), table_scroller);
  gtk_box_append (GTK_BOX (box), frame);
}

GtkWidget *
hs_sweep_results_new (void)
{
  return g_object_new (HS_TYPE_SWEEP_RESULTS, NULL);
}
