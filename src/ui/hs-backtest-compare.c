/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs side by side: their equity curves overlaid on one chart (the first with its drawdown
 * beneath), and every statistic in a grid — one row per statistic, grouped by category, one
 * column per run — with the better value of each row marked (bold, green, "best" for screen
 * readers) where a direction is better (hs_stat_compare()). The runs are loaded in full on a
 * worker (hs_runs_job_load_async()); a grid of fifty rows by a handful of runs is built at once.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-backtest-compare.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "hs-backtest-charts.h"
#include "hs-runs-job.h"
#include "hs-stat-meta.h"
#include "hs-ui.h"

struct _HsBacktestCompare
{
  GtkWidget     parent_instance;

  GtkWidget    *stack;
  GtkWidget    *scroller;
  GtkLabel     *title_label;
  GtkWidget    *chart;
  GtkGrid      *grid;
  AdwStatusPage *error_page;

  GPtrArray    *runs;            /* (owned) (element-type HsBtRunRow) */
  GPtrArray    *cells;           /* (owned) (element-type GtkLabel) stat × run, unowned labels */
  GArray       *better;          /* (owned) gboolean, stat × run */
  char         *database_path;   /* (owned) (nullable) */
  GCancellable *cancellable;     /* (owned) (nullable) */
  gboolean      loading;
};

G_DEFINE_FINAL_TYPE (HsBacktestCompare, hs_backtest_compare, GTK_TYPE_WIDGET)

static int
stat_index (const char *column)
{
  size_t n = 0;
  const HsStatMeta *all = hs_stat_meta_all (&n);

  for (size_t i = 0; i < n; i++)
    if (g_strcmp0 (all[i].column, column) == 0)
      return (int) i;
  return -1;
}

static GtkWidget *
cell (const char *text,
      float       xalign,
      const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

static char *
run_header (const HsBtRunRow *row)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "#%" G_GINT64_FORMAT " %s\n%s %s", row->info->id,
                          row->info->strategy_name, row->info->symbol, row->info->interval);
  for (guint i = 0; row->info->params != NULL && i < row->info->params->len; i++)
    {
      const HsBtParam *p = row->info->params->pdata[i];

      if (p->kind != HS_BT_PARAM_NUMBER)
        continue;
      g_string_append_printf (out, "%s%s=", i == 0 ? "\n" : " ", p->name);
      hs_bt_param_format_value (p, out);
    }
  return g_string_free (out, FALSE);
}

static void
build (HsBacktestCompare *self)
{
  size_t n = 0;
  const HsStatMeta *all = hs_stat_meta_all (&n);
  guint n_runs = self->runs->len;
  GtkWidget *child = NULL;
  g_autofree char *title = NULL;
  int row = 1;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
  g_ptr_array_set_size (self->cells, 0);
  g_array_set_size (self->better, 0);
  g_ptr_array_set_size (self->cells, n * n_runs);
  g_array_set_size (self->better, n * n_runs);

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Comparing %u run", "Comparing %u runs",
                                        n_runs), n_runs);
  gtk_label_set_text (self->title_label, title);
  for (guint r = 0; r < n_runs; r++)
    {
      g_autofree char *header = run_header (self->runs->pdata[r]);

      gtk_grid_attach (self->grid, cell (header, 1, "heading"), (int) r + 1, 0, 1, 1);
    }
  for (int g = 0; g < HS_STAT_N_GROUPS; g++)
    {
      gboolean any = FALSE;

      /* A group none of the runs reports (strategy counters) is left out. */
      for (size_t i = 0; i < n && !any; i++)
        for (guint r = 0; r < n_runs && !any; r++)
          any = all[i].group == (HsStatGroup) g
                && (all[i].unit == HS_STAT_UNIT_TEXT
                    || !isnan (hs_stat_meta_value (&all[i], ((HsBtRunRow *) self->runs->pdata[r])->result)));
      if (!any)
        continue;
      {
        GtkWidget *heading = cell (_(hs_stat_group_label (g)), 0, "heading");

        gtk_widget_set_margin_top (heading, 12);
        gtk_grid_attach (self->grid, heading, 0, row++, 1, 1);
      }
      for (size_t i = 0; i < n; i++)
        {
          const HsStatMeta *m = &all[i];
          GtkWidget *label = NULL;

          if (m->group != (HsStatGroup) g)
            continue;
          label = cell (_(m->label), 0, "dim-label");
          gtk_widget_set_tooltip_text (label, _(m->description));
          gtk_grid_attach (self->grid, label, 0, row, 1, 1);
          for (guint r = 0; r < n_runs; r++)
            {
              const HsBtResult *res = ((HsBtRunRow *) self->runs->pdata[r])->result;
              double v = hs_stat_meta_value (m, res);
              g_autofree char *text = NULL;
              gboolean best = m->better != HS_STAT_BETTER_NONE && !isnan (v) && n_runs > 1;
              GtkWidget *value = NULL;

              if (m->unit == HS_STAT_UNIT_TEXT)
                {
                  const char *t = hs_stat_meta_text (m, res);

                  text = g_strdup (t != NULL ? t : "–");
                  best = FALSE;
                }
              else
                text = hs_stat_format (m, v);
              /* The better value: no other run's is better; all equal marks none. */
              for (guint o = 0; o < n_runs && best; o++)
                if (o != r && hs_stat_compare (m, hs_stat_meta_value (m, ((HsBtRunRow *) self->runs->pdata[o])->result), v) > 0)
                  best = FALSE;
              if (best)
                {
                  gboolean all_equal = TRUE;

                  for (guint o = 0; o < n_runs && all_equal; o++)
                    all_equal = hs_stat_compare (m, hs_stat_meta_value (m, ((HsBtRunRow *) self->runs->pdata[o])->result), v) == 0;
                  best = !all_equal;
                }
              value = cell (text, 1, "numeric");
              if (best)
                {
                  g_autofree char *accessible = g_strdup_printf (_("%s, best"), text);

                  gtk_widget_add_css_class (value, "hs-better");
                  gtk_accessible_update_property (GTK_ACCESSIBLE (value),
                                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
                }
              gtk_grid_attach (self->grid, value, (int) r + 1, row, 1, 1);
              self->cells->pdata[i * n_runs + r] = value;
              g_array_index (self->better, gboolean, i * n_runs + r) = best;
            }
          row++;
        }
    }
  hs_backtest_chart_set_overlaid (self->chart, self->runs);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "runs");
}

/**
 * hs_backtest_compare_set_runs:
 * @runs: (transfer full) (element-type HsBtRunRow): runs with their curves
 */
void
hs_backtest_compare_set_runs (HsBacktestCompare *self,
                              GPtrArray         *runs)
{
  g_return_if_fail (HS_IS_BACKTEST_COMPARE (self));

  g_clear_pointer (&self->runs, g_ptr_array_unref);
  self->runs = runs;
  build (self);
}

static void
load_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsBacktestCompare) self = g_weak_ref_get (&data->owner);
  g_autoptr(GError) error = NULL;
  GPtrArray *runs = NULL;

  g_assert (hs_is_main_thread ());

  runs = hs_runs_job_load_finish (res, &error);
  if (self == NULL || data->cancellable != self->cancellable
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&runs, g_ptr_array_unref);
      return;
    }
  g_clear_object (&self->cancellable);
  self->loading = FALSE;
  if (runs == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "error");
      return;
    }
  hs_backtest_compare_set_runs (self, runs);
}

void
hs_backtest_compare_set_database_path (HsBacktestCompare *self,
                                       const char        *path)
{
  g_return_if_fail (HS_IS_BACKTEST_COMPARE (self));

  g_free (self->database_path);
  self->database_path = g_strdup (path);
}

/* Loads the runs in full on a worker, then shows them. */
void
hs_backtest_compare_load (HsBacktestCompare *self,
                          const int64_t     *ids,
                          size_t             n_ids)
{
  HsUiJob *data = NULL;

  g_return_if_fail (HS_IS_BACKTEST_COMPARE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->database_path == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  data = hs_ui_job_new (self, self->cancellable);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  hs_runs_job_load_async (self->database_path, ids, n_ids, self->cancellable, load_cb, data);
}

gboolean
hs_backtest_compare_get_loading (HsBacktestCompare *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_COMPARE (self), FALSE);
  return self->loading;
}

guint
hs_backtest_compare_get_n_runs (HsBacktestCompare *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_COMPARE (self), 0);
  return self->runs != NULL ? self->runs->len : 0;
}

/* Returns: (transfer none) (nullable): the label of @column's value of run @run */
GtkLabel *
hs_backtest_compare_get_cell (HsBacktestCompare *self,
                              const char        *column,
                              guint              run)
{
  int i = stat_index (column);

  g_return_val_if_fail (HS_IS_BACKTEST_COMPARE (self), NULL);

  if (i < 0 || self->runs == NULL || run >= self->runs->len)
    return NULL;
  return self->cells->pdata[(guint) i * self->runs->len + run];
}

/* Returns: whether run @run's value of @column is marked as the better one */
gboolean
hs_backtest_compare_is_better (HsBacktestCompare *self,
                               const char        *column,
                               guint              run)
{
  int i = stat_index (column);

  g_return_val_if_fail (HS_IS_BACKTEST_COMPARE (self), FALSE);

  if (i < 0 || self->runs == NULL || run >= self->runs->len)
    return FALSE;
  return g_array_index (self->better, gboolean, (guint) i * self->runs->len + run);
}

GtkWidget *
hs_backtest_compare_get_chart (HsBacktestCompare *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_COMPARE (self), NULL);
  return self->chart;
}

static void
hs_backtest_compare_dispose (GObject *object)
{
  HsBacktestCompare *self = HS_BACKTEST_COMPARE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->stack, gtk_widget_unparent);
  G_OBJECT_CLASS (hs_backtest_compare_parent_class)->dispose (object);
}

static void
hs_backtest_compare_finalize (GObject *object)
{
  HsBacktestCompare *self = HS_BACKTEST_COMPARE (object);

  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->better, g_array_unref);
  g_clear_pointer (&self->database_path, g_free);
  G_OBJECT_CLASS (hs_backtest_compare_parent_class)->finalize (object);
}

static void
hs_backtest_compare_class_init (HsBacktestCompareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_backtest_compare_dispose;
  object_class->finalize = hs_backtest_compare_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
hs_backtest_compare_init (HsBacktestCompare *self)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *empty = adw_status_page_new ();

  self->cells = g_ptr_array_new ();
  self->better = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->stack = gtk_stack_new ();
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "view-dual-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("Nothing to Compare"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("Select two or more runs in the history and press "
                                     "Compare."));
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_stack_add_named (GTK_STACK (self->stack), spinner, "loading");
  self->error_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->error_page, "dialog-error-symbolic");
  adw_status_page_set_title (self->error_page, _("Cannot Load the Runs"));
  gtk_stack_add_named (GTK_STACK (self->stack), GTK_WIDGET (self->error_page), "error");

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1200);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  self->title_label = GTK_LABEL (cell (NULL, 0, "hs-result-title"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->title_label));
  self->chart = hs_backtest_chart_new (_("Equity curves of the compared runs"));
  gtk_widget_set_size_request (self->chart, -1, 380);
  gtk_box_append (GTK_BOX (box), self->chart);
  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_column_spacing (self->grid, 24);
  gtk_grid_set_row_spacing (self->grid, 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Statistics of the compared runs"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->grid));
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), clamp);
  gtk_stack_add_named (GTK_STACK (self->stack), self->scroller, "runs");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
}

GtkWidget *
hs_backtest_compare_new (void)
{
  return g_object_new (HS_TYPE_BACKTEST_COMPARE, NULL);
}
