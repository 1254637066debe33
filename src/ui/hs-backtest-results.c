/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The results view of one run: a header with the strategy, its parameters, the period, the
 * models and whether the cache answered; the statistics by category (hs-backtest-stats.c);
 * the charts — equity with the benchmark and the drawdown beneath on the same time axis,
 * monthly returns, the histogram of trade returns, the MFE/MAE scatter, where hovering shows a
 * trade and a click selects it in the list —; and the trade list (hs-trade-list.c). A sweep's
 * outcome shows in HsSweepResults instead, from which a combination's stored run opens here.
 *
 * A run arrives either as a job's outcome (a computed run has its curve and trades; a cache
 * hit has its statistics and trades only) or as a stored run's id; whatever is missing is
 * loaded by hs_runs_job_load_async() on a worker. Showing a run is building fifty labels and
 * four chart data copies: a millisecond for a year of daily bars, about 30 ms for 1,000,000
 * bars; the trade list costs nothing until its rows are drawn.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-backtest-results.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "hs-backtest-charts.h"
#include "hs-chart-widget.h"
#include "hs-locale-format.h"
#include "hs-runs-job.h"
#include "hs-stat-meta.h"
#include "hs-time.h"
#include "hs-ui.h"

static const struct
{
  const char *name;
  const char *title;         /* the switcher's */
  const char *chart_title;   /* the chart's accessible name and export title */
} chart_pages[] = {
  { "equity", N_("Equity"), N_("Equity and drawdown") },
  { "monthly", N_("Monthly"), N_("Monthly returns") },
  { "histogram", N_("Returns"), N_("Trade returns") },
  { "scatter", N_("MFE/MAE"), N_("MFE/MAE scatter of the trades") },
};

struct _HsBacktestResults
{
  GtkWidget          parent_instance;

  /* Template children */
  GtkStack          *stack;
  AdwStatusPage     *error_page;
  GtkScrolledWindow *run_scroller;
  GtkLabel          *title_label;
  GtkLabel          *cache_tag;
  GtkLabel          *sweep_tag;
  GtkButton         *back_button;
  GtkButton         *rerun_button;
  GtkLabel          *params_label;
  GtkLabel          *period_label;
  GtkLabel          *warnings_label;
  HsBacktestStats   *stats;
  GtkWidget         *charts_box;
  GtkWidget         *charts_switcher;
  GtkStack          *charts_stack;
  GtkWidget         *trades_box;
  GtkLabel          *trades_heading;
  HsTradeList       *trade_list;
  HsSweepResults    *sweep_view;

  GtkWidget         *charts[G_N_ELEMENTS (chart_pages)];
  char              *database_path;   /* (owned) (nullable) */
  GCancellable      *cancellable;     /* (owned) (nullable) a load in flight */
  HsBtRunInfo       *info;            /* (owned) (nullable) */
  HsBtResult        *result;          /* (owned) (nullable) */
  GPtrArray         *warnings;        /* (owned) (nullable) texts */
  gboolean           cache_hit;
  gboolean           loading;
  gboolean           selecting;       /* a selection that came from the scatter */
};

G_DEFINE_FINAL_TYPE (HsBacktestResults, hs_backtest_results, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_VISIBLE_CHART,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_RERUN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void hs_backtest_results_scroll_to (HsBacktestResults *self,
                                    const char        *section);

static void
set_loading (HsBacktestResults *self,
             gboolean           loading)
{
  self->loading = loading;
  if (loading)
    gtk_stack_set_visible_child_name (self->stack, "loading");
}

static void
show_error (HsBacktestResults *self,
            const char        *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/* "fast=10 slow=30 direction=long_only", or a rule set's entry and exit. */
static char *
params_text (const HsBtRunInfo *info)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; info->params != NULL && i < info->params->len; i++)
    {
      const HsBtParam *p = info->params->pdata[i];

      if (g_str_has_prefix (p->name, "engine_"))
        continue;
      if (out->len > 0)
        g_string_append (out, "  ");
      g_string_append_printf (out, "%s=", p->name);
      if (p->kind == HS_BT_PARAM_STRING && p->text != NULL)
        g_string_append (out, p->text);
      else
        hs_bt_param_format_value (p, out);
    }
  if (out->len == 0)
    g_string_append (out, _("No parameters"));
  return g_string_free (out, FALSE);
}

static char *
day_text (int64_t us)
{
  return hs_ui_format_date (us);
}

static void
fill_header (HsBacktestResults *self)
{
  const HsBtRunInfo *info = self->info;
  g_autofree char *title = NULL;
  g_autofree char *params = params_text (info);
  g_autofree char *from = day_text (info->start_ts);
  g_autofree char *to = day_text (info->end_ts - 1);
  g_autofree char *run_id = g_strdup_printf ("%" G_GINT64_FORMAT, info->id);
  g_autofree char *cash = hs_stat_format (hs_stat_meta_lookup ("start_equity"), info->initial_cash);
  g_autoptr(GString) period = g_string_new (NULL);

  title = g_strdup_printf (_("%s on %s %s"), info->strategy_name, info->symbol, info->interval);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->params_label, params);
  g_string_append_printf (period, _("%s to %s · %zu bars · cash %s · fees %s · slippage %s · "
                                    "sizing %s"),
                          from, to, self->result != NULL ? self->result->n : 0, cash,
                          info->fee_model != NULL ? info->fee_model : "none",
                          info->slippage_model != NULL ? info->slippage_model : "none",
                          info->sizing_model != NULL ? info->sizing_model : "–");
  if (info->benchmark != NULL)
    g_string_append_printf (period, _(" · benchmark %s"), info->benchmark);
  g_string_append_printf (period, _(" · run #%s"), run_id);
  if (info->execution_time_ms >= 0)
    g_string_append_printf (period, _(" in %.2f s"), info->execution_time_ms / 1000.0);
  gtk_label_set_text (self->period_label, period->str);
  gtk_widget_set_visible (GTK_WIDGET (self->cache_tag), self->cache_hit);
  gtk_widget_set_visible (GTK_WIDGET (self->sweep_tag), info->batch_id != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                          hs_sweep_results_get_outcome (self->sweep_view) != NULL);
  if (self->warnings != NULL && self->warnings->len > 0)
    {
      g_autoptr(GString) w = g_string_new (NULL);

      for (guint i = 0; i < self->warnings->len; i++)
        g_string_append_printf (w, "%s⚠ %s", i ? "\n" : "",
                                (const char *) self->warnings->pdata[i]);
      gtk_label_set_text (self->warnings_label, w->str);
      gtk_widget_set_visible (GTK_WIDGET (self->warnings_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->warnings_label), FALSE);
}

static void
present (HsBacktestResults *self)
{
  const HsBtResult *r = self->result;
  g_autofree char *heading = NULL;
  guint n_trades = r->trades != NULL ? r->trades->len : 0;

  fill_header (self);
  hs_backtest_stats_set_result (self->stats, r);
  hs_backtest_chart_set_equity (self->charts[0], r, self->info->benchmark);
  hs_backtest_chart_set_monthly (self->charts[1], r);
  hs_backtest_chart_set_histogram (self->charts[2], r);
  hs_backtest_chart_set_scatter (self->charts[3], r);
  hs_trade_list_set_trades (self->trade_list, r->trades);
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Trades (%u)", "Trades (%u)",
                                          n_trades), n_trades);
  gtk_label_set_text (self->trades_heading, heading);
  gtk_stack_set_visible_child_name (self->stack, "run");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->run_scroller), 0);
}

/* A load: the view through HsUiJob, and what the outcome said that the stored run does not. */
typedef struct
{
  HsUiJob   *job;         /* (owned) */
  gboolean   cache_hit;
  GPtrArray *warnings;    /* (owned) (nullable) */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_pointer (&data->job, hs_ui_job_free);
  g_clear_pointer (&data->warnings, g_ptr_array_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
load_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  g_autoptr(HsBacktestResults) self = g_weak_ref_get (&data->job->owner);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  HsBtRunRow *row = NULL;

  g_assert (hs_is_main_thread ());

  rows = hs_runs_job_load_finish (res, &error);
  if (self == NULL || data->job->cancellable != self->cancellable
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  self->loading = FALSE;
  if (rows == NULL)
    {
      show_error (self, error->message);
      return;
    }
  row = rows->pdata[0];
  g_clear_pointer (&self->info, hs_bt_run_info_free);
  g_clear_pointer (&self->result, hs_bt_result_free);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  self->info = g_steal_pointer (&row->info);
  self->result = g_steal_pointer (&row->result);
  self->cache_hit = data->cache_hit || self->info->cache_hit;
  self->warnings = g_steal_pointer (&data->warnings);
  present (self);
}

static void
load (HsBacktestResults *self,
      int64_t            id,
      gboolean           cache_hit,
      GPtrArray         *warnings)
{
  LoadData *data = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->database_path == NULL)
    {
      show_error (self, _("No database is open"));
      return;
    }
  self->cancellable = g_cancellable_new ();
  data = g_new0 (LoadData, 1);
  data->job = hs_ui_job_new (self, self->cancellable);
  data->cache_hit = cache_hit;
  data->warnings = warnings;
  set_loading (self, TRUE);
  hs_runs_job_load_async (self->database_path, &id, 1, self->cancellable, load_cb, data);
}

void
hs_backtest_results_set_database_path (HsBacktestResults *self,
                                       const char        *path)
{
  g_return_if_fail (HS_IS_BACKTEST_RESULTS (self));

  if (g_strcmp0 (self->database_path, path) == 0)
    return;
  g_free (self->database_path);
  self->database_path = g_strdup (path);
  hs_backtest_results_clear (self);
}

/* Shows nothing: the empty state. */
void
hs_backtest_results_clear (HsBacktestResults *self)
{
  g_return_if_fail (HS_IS_BACKTEST_RESULTS (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->loading = FALSE;
  g_clear_pointer (&self->info, hs_bt_run_info_free);
  g_clear_pointer (&self->result, hs_bt_result_free);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  hs_trade_list_set_trades (self->trade_list, NULL);
  hs_sweep_results_set_outcome (self->sweep_view, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (chart_pages); i++)
    hs_backtest_chart_clear (self->charts[i]);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/**
 * hs_backtest_results_show_outcome:
 * @outcome: (transfer full): a finished run (hs_backtest_job_finish()), moved into the view;
 *   the struct itself is freed
 *
 * Shows the run; a cache hit's equity curve (which the job does not load) is read from the
 * run it repeats first.
 */
void
hs_backtest_results_show_outcome (HsBacktestResults *self,
                                  HsBacktestOutcome *outcome)
{
  g_return_if_fail (HS_IS_BACKTEST_RESULTS (self));
  g_return_if_fail (outcome != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  hs_sweep_results_set_outcome (self->sweep_view, NULL);
  if (outcome->result->n == 0 && outcome->id > 0)
    {
      load (self, outcome->id, outcome->cache_hit, g_steal_pointer (&outcome->warnings));
      hs_backtest_outcome_clear (outcome);
      g_free (outcome);
      return;
    }
  g_clear_pointer (&self->info, hs_bt_run_info_free);
  g_clear_pointer (&self->result, hs_bt_result_free);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  self->info = g_steal_pointer (&outcome->info);
  self->info->id = outcome->id;
  self->result = g_steal_pointer (&outcome->result);
  self->warnings = g_steal_pointer (&outcome->warnings);
  self->cache_hit = outcome->cache_hit;
  hs_backtest_outcome_clear (outcome);
  g_free (outcome);
  self->loading = FALSE;
  present (self);
}

/**
 * hs_backtest_results_show_sweep:
 * @outcome: (transfer full): a finished sweep
 */
void
hs_backtest_results_show_sweep (HsBacktestResults *self,
                                HsSweepOutcome    *outcome)
{
  g_return_if_fail (HS_IS_BACKTEST_RESULTS (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->loading = FALSE;
  hs_sweep_results_set_outcome (self->sweep_view, outcome);
  gtk_stack_set_visible_child_name (self->stack, "sweep");
}

/* Loads stored run @run_id (statistics, trades, curve) on a worker and shows it. */
void
hs_backtest_results_show_run (HsBacktestResults *self,
                              int64_t            run_id)
{
  g_return_if_fail (HS_IS_BACKTEST_RESULTS (self));

  load (self, run_id, FALSE, NULL);
}

static void
open_run_cb (HsBacktestResults *self,
             int64_t            run_id)
{
  load (self, run_id, FALSE, NULL);
}

/* ---- charts and trades ---- */

static void
scatter_activated_cb (HsBacktestResults *self,
                      int                index)
{
  if (index < 0)
    return;
  self->selecting = TRUE;
  hs_trade_list_select_trade (self->trade_list, (guint) index);
  self->selecting = FALSE;
}

static void
trade_selected_cb (HsBacktestResults *self,
                   int                index)
{
  if (self->charts[3] != NULL)
    hs_chart_widget_set_highlight (HS_CHART_WIDGET (self->charts[3]), index);
}

static void
chart_chosen_cb (HsBacktestResults *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_CHART]);
  if (gtk_widget_get_mapped (GTK_WIDGET (self->charts_stack)))
    hs_backtest_results_scroll_to (self, "charts");
}

static void
rerun_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HsBacktestResults *self = HS_BACKTEST_RESULTS (widget);

  if (self->info != NULL)
    g_signal_emit (self, signals[SIGNAL_RERUN], 0, self->info);
}

static void
back_to_sweep_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  HsBacktestResults *self = HS_BACKTEST_RESULTS (widget);

  if (hs_sweep_results_get_outcome (self->sweep_view) != NULL)
    gtk_stack_set_visible_child_name (self->stack, "sweep");
}

/* ---- getters ---- */

/* Returns: "empty", "loading", "error", "run" or "sweep" */
const char *
hs_backtest_results_get_view (HsBacktestResults *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_RESULTS (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
hs_backtest_results_get_loading (HsBacktestResults *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_RESULTS (self), FALSE);
  return self->loading;
}

const HsBtRunInfo *
hs_backtest_results_get_info (HsBacktestResults *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_RESULTS (self), NULL);
  return self->info;
}

const HsBtResult *
hs_backtest_results_get_result (HsBacktestResults *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_RESULTS (self), NULL);
  return self->result;
}

gboolean
hs_backtest_results_get_cache_hit (HsBacktestResults *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_RESULTS (self), FALSE);
  return self->cache_hit;
}

const char *
hs_backtest_results_get_title (HsBacktestResults *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_RESULTS (self), NULL);
  return gtk_label_get_text (self->title_label);
}

HsBacktestStats *
hs_backtest_results_get_stats (HsBacktestResults *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_RESULTS (self), NULL);
  return self->stats;
}

HsTradeList *
hs_backtest_results_get_trade_list (HsBacktestResults *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_RESULTS (self), NULL);
  return self->trade_list;
}

HsSweepResults *
hs_backtest_results_get_sweep_view (HsBacktestResults *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_RESULTS (self), NULL);
  return self->sweep_view;
}

/* Returns: (transfer none) (nullable): "equity", "monthly", "histogram" or "scatter" */
GtkWidget *
hs_backtest_results_get_chart (HsBacktestResults *self,
                               const char        *name)
{
  g_return_val_if_fail (HS_IS_BACKTEST_RESULTS (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (chart_pages); i++)
    if (g_strcmp0 (chart_pages[i].name, name) == 0)
      return self->charts[i];
  return NULL;
}

void
hs_backtest_results_show_chart (HsBacktestResults *self,
                                const char        *name)
{
  g_return_if_fail (HS_IS_BACKTEST_RESULTS (self));

  if (name != NULL && gtk_stack_get_child_by_name (self->charts_stack, name) != NULL)
    gtk_stack_set_visible_child_name (self->charts_stack, name);
}

/**
 * hs_backtest_results_scroll_to:
 * @section: "top", "charts" or "trades"
 *
 * Scrolls a run's page so that the section starts at the top of the view (as far as the page
 * can scroll).
 */
void
hs_backtest_results_scroll_to (HsBacktestResults *self,
                               const char        *section)
{
  GtkAdjustment *adj = NULL;
  GtkWidget *target = NULL;
  GtkWidget *content = NULL;
  graphene_point_t p;

  g_return_if_fail (HS_IS_BACKTEST_RESULTS (self));

  adj = gtk_scrolled_window_get_vadjustment (self->run_scroller);
  target = g_strcmp0 (section, "charts") == 0 ? self->charts_box
           : g_strcmp0 (section, "trades") == 0 ? self->trades_box : NULL;
  content = gtk_scrolled_window_get_child (self->run_scroller);
  if (target == NULL || content == NULL
      || !gtk_widget_compute_point (target, content, &GRAPHENE_POINT_INIT (0, 0), &p))
    {
      gtk_adjustment_set_value (adj, 0);
      return;
    }
  gtk_adjustment_set_value (adj, p.y - 12);
}

const char *
hs_backtest_results_get_visible_chart (HsBacktestResults *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_RESULTS (self), NULL);
  return gtk_stack_get_visible_child_name (self->charts_stack);
}

/* ---- GObject ---- */

static void
hs_backtest_results_dispose (GObject *object)
{
  HsBacktestResults *self = HS_BACKTEST_RESULTS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  memset (self->charts, 0, sizeof self->charts);   /* the stack owns them */
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_BACKTEST_RESULTS);
  G_OBJECT_CLASS (hs_backtest_results_parent_class)->dispose (object);
}

static void
hs_backtest_results_finalize (GObject *object)
{
  HsBacktestResults *self = HS_BACKTEST_RESULTS (object);

  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->info, hs_bt_run_info_free);
  g_clear_pointer (&self->result, hs_bt_result_free);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  G_OBJECT_CLASS (hs_backtest_results_parent_class)->finalize (object);
}

static void
hs_backtest_results_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HsBacktestResults *self = HS_BACKTEST_RESULTS (object);

  switch (prop_id)
    {
    case PROP_VISIBLE_CHART:
      g_value_set_string (value, hs_backtest_results_get_visible_chart (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_backtest_results_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HsBacktestResults *self = HS_BACKTEST_RESULTS (object);

  switch (prop_id)
    {
    case PROP_VISIBLE_CHART:
      hs_backtest_results_show_chart (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_backtest_results_class_init (HsBacktestResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hs_ui_init ();
  g_type_ensure (HS_TYPE_BACKTEST_STATS);
  g_type_ensure (HS_TYPE_TRADE_LIST);
  g_type_ensure (HS_TYPE_SWEEP_RESULTS);

  object_class->dispose = hs_backtest_results_dispose;
  object_class->finalize = hs_backtest_results_finalize;
  object_class->get_property = hs_backtest_results_get_property;
  object_class->set_property = hs_backtest_results_set_property;

  /* The chart shown: "equity", "monthly", "histogram" or "scatter". */
  properties[PROP_VISIBLE_CHART] =
    g_param_spec_string ("visible-chart", NULL, NULL, "equity",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HsBacktestResults::rerun:
   * @info: (type gpointer): the shown run's HsBtRunInfo, for the duration of the emission
   *
   * "Edit and Run Again" was chosen.
   */
  signals[SIGNAL_RERUN] = g_signal_new ("rerun", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/hs-backtest-results.ui");
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, stack);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, error_page);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, run_scroller);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, title_label);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, cache_tag);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, sweep_tag);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, back_button);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, rerun_button);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, params_label);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, period_label);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, warnings_label);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, stats);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, charts_box);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, charts_switcher);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, charts_stack);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, trades_box);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, trades_heading);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, trade_list);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestResults, sweep_view);

  gtk_widget_class_install_action (widget_class, "results.rerun", NULL, rerun_action);
  gtk_widget_class_install_action (widget_class, "results.back-to-sweep", NULL,
                                   back_to_sweep_action);
  /* The chart tabs: a property action on the charts stack's visible page. */
  gtk_widget_class_install_property_action (widget_class, "results.chart", "visible-chart");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
hs_backtest_results_init (HsBacktestResults *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (chart_pages); i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (_(chart_pages[i].title));

      self->charts[i] = hs_backtest_chart_new (_(chart_pages[i].chart_title));
      gtk_stack_add_titled (self->charts_stack, self->charts[i], chart_pages[i].name,
                            _(chart_pages[i].title));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "results.chart");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", chart_pages[i].name);
      gtk_widget_set_tooltip_text (button, _(chart_pages[i].chart_title));
      gtk_flow_box_append (GTK_FLOW_BOX (self->charts_switcher), button);
      /* The flow box's child is not what a person clicks. */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }
  /* Choosing a chart brings the charts into view. */
  g_signal_connect_object (self->charts_stack, "notify::visible-child",
                           G_CALLBACK (chart_chosen_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->charts[3], "point-activated",
                           G_CALLBACK (scatter_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->trade_list, "trade-selected", G_CALLBACK (trade_selected_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sweep_view, "open-run", G_CALLBACK (open_run_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
hs_backtest_results_new (void)
{
  return g_object_new (HS_TYPE_BACKTEST_RESULTS, NULL);
}
