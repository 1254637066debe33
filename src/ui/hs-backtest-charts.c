/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backtest pages' charts, each an HsChartWidget (hs-chart-widget.c) given its data from a
 * run: the equity curve with the benchmark and the drawdown beneath it, the monthly returns,
 * the histogram of trade returns, the MFE/MAE scatter, a sweep's heat map, and the equity
 * curves of compared runs overlaid. The chart data copy what they draw, so a chart outlives
 * the result it was made from.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-backtest-charts.h"

#include <glib/gi18n.h>
#include <math.h>

#include "hs-chart-widget.h"

/* Returns: (transfer floating): an empty chart titled @title (its accessible name) */
GtkWidget *
hs_backtest_chart_new (const char *title)
{
  GtkWidget *chart = hs_chart_widget_new ();

  hs_chart_widget_set_title (HS_CHART_WIDGET (chart), title);
  gtk_widget_set_hexpand (chart, TRUE);
  gtk_widget_set_vexpand (chart, TRUE);
  return chart;
}

void
hs_backtest_chart_clear (GtkWidget *chart)
{
  hs_chart_widget_set_chart (HS_CHART_WIDGET (chart), NULL, NULL, NULL);
}

/* The equity curve, the benchmark (scaled to start at the same equity) and the drawdown. */
void
hs_backtest_chart_set_equity (GtkWidget        *chart,
                              const HsBtResult *r,
                              const char       *benchmark)
{
  HsEquityChartData *data = NULL;

  if (r == NULL || r->n == 0)
    {
      hs_backtest_chart_clear (chart);
      return;
    }
  data = hs_equity_chart_data_new (r->ts, r->equity, r->benchmark, r->drawdown, r->n);
  if (benchmark != NULL && r->benchmark != NULL)
    {
      /* The struct's names are borrowed: keep the text with the chart. */
      char *name = g_strdup (benchmark);

      g_object_set_data_full (G_OBJECT (chart), "hs-benchmark-name", name, g_free);
      data->benchmark_name = name;
    }
  hs_chart_widget_set_equity (HS_CHART_WIDGET (chart), data);
}

void
hs_backtest_chart_set_monthly (GtkWidget        *chart,
                               const HsBtResult *r)
{
  if (r == NULL || r->n < 2)
    {
      hs_backtest_chart_clear (chart);
      return;
    }
  hs_chart_widget_set_monthly_returns (HS_CHART_WIDGET (chart),
                                       hs_monthly_returns_new_from_equity (r->ts, r->equity,
                                                                           r->n));
}

/* The trades' returns in percent of their entry value. */
void
hs_backtest_chart_set_histogram (GtkWidget        *chart,
                                 const HsBtResult *r)
{
  g_autofree double *values = NULL;
  guint n = r != NULL && r->trades != NULL ? r->trades->len : 0;

  if (n == 0)
    {
      hs_backtest_chart_clear (chart);
      return;
    }
  values = g_new (double, n);
  for (guint i = 0; i < n; i++)
    values[i] = g_array_index (r->trades, HsBtTrade, i).pnl_pct;
  hs_chart_widget_set_histogram (HS_CHART_WIDGET (chart),
                                 hs_histogram_data_new (values, n, HS_CHART_FORMAT_PERCENT,
                                                        _("Trade returns")));
}

/* One marker per trade, in the run's trade order: a marker's index is the trade's. */
void
hs_backtest_chart_set_scatter (GtkWidget        *chart,
                               const HsBtResult *r)
{
  g_autofree double *mae = NULL;
  g_autofree double *mfe = NULL;
  g_autofree double *pnl = NULL;
  guint n = r != NULL && r->trades != NULL ? r->trades->len : 0;

  if (n == 0)
    {
      hs_backtest_chart_clear (chart);
      return;
    }
  mae = g_new (double, n);
  mfe = g_new (double, n);
  pnl = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      const HsBtTrade *t = &g_array_index (r->trades, HsBtTrade, i);

      mae[i] = t->mae_pct;
      mfe[i] = t->mfe_pct;
      pnl[i] = t->pnl;
    }
  hs_chart_widget_set_scatter (HS_CHART_WIDGET (chart), hs_scatter_data_new (mae, mfe, pnl, n));
}

void
hs_backtest_chart_set_sweep (GtkWidget         *chart,
                             const char        *x_name,
                             const char *const *x_labels,
                             size_t             nx,
                             const char        *y_name,
                             const char *const *y_labels,
                             size_t             ny,
                             const double      *values,
                             const char        *statistic,
                             gboolean           lower_is_better)
{
  hs_chart_widget_set_sweep_heatmap (HS_CHART_WIDGET (chart),
                                     hs_sweep_heatmap_data_new (x_name, x_labels, nx, y_name,
                                                                y_labels, ny, values, statistic,
                                                                lower_is_better));
}

/**
 * hs_backtest_chart_set_overlaid:
 * @runs: (element-type HsBtRunRow): runs with their equity curves
 *
 * The first run's equity (with its drawdown beneath) and the others' overlaid, each named
 * "#ID strategy".
 */
void
hs_backtest_chart_set_overlaid (GtkWidget *chart,
                                GPtrArray *runs)
{
  HsEquityChartData *data = NULL;
  const HsBtRunRow *first = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < runs->len && first == NULL; i++)
    if (((const HsBtRunRow *) runs->pdata[i])->result->n > 0)
      first = runs->pdata[i];
  if (first == NULL)
    {
      g_ptr_array_unref (names);
      hs_backtest_chart_clear (chart);
      return;
    }
  data = hs_equity_chart_data_new (first->result->ts, first->result->equity, NULL,
                                   first->result->drawdown, first->result->n);
  g_ptr_array_add (names, g_strdup_printf ("#%" G_GINT64_FORMAT " %s", first->info->id,
                                           first->info->strategy_name));
  data->equity_name = names->pdata[0];
  for (guint i = 0; i < runs->len; i++)
    {
      const HsBtRunRow *row = runs->pdata[i];
      char *name = NULL;

      if (row == first || row->result->n == 0)
        continue;
      name = g_strdup_printf ("#%" G_GINT64_FORMAT " %s", row->info->id,
                              row->info->strategy_name);
      g_ptr_array_add (names, name);
      hs_equity_chart_data_add_overlay (data, row->result->ts, row->result->equity,
                                        row->result->n, name);
    }
  g_object_set_data_full (G_OBJECT (chart), "hs-overlay-names", names,
                          (GDestroyNotify) g_ptr_array_unref);
  hs_chart_widget_set_equity (HS_CHART_WIDGET (chart), data);
}
