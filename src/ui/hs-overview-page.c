/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Overview page: what the database holds at a glance, in four lists — every stored series
 * with a sparkline of its closes, its first and last bar and its gaps; the latest backtest runs
 * with their net profit, Sharpe ratio, maximum drawdown and trade count; the open paper trades
 * with their P&L at the last stored price; the newest alerts. A database with none of these
 * shows a welcome page with the three ways to start (import a CSV file, add a data source, load
 * the demo). Everything is read by the overview job on a worker; while the page is on screen
 * the open trades are priced again every few seconds by the positions job.
 */
#define G_LOG_DOMAIN "hs-overview-page"

#include "config.h"

#include "hs-overview-page.h"

#include <glib/gi18n.h>
#include <math.h>

#include "hs-coverage-item.h"
#include "hs-import-job.h"
#include "hs-locale-format.h"
#include "hs-sparkline.h"
#include "hs-time.h"
#include "hs-ui.h"

/* Points per sparkline, runs and alerts shown. */
#define N_CLOSES 80
#define N_BACKTESTS 5
#define N_ALERTS 8
#define DEFAULT_REFRESH_S 5

struct _HsOverviewPage
{
  AdwBin               parent_instance;

  /* Template children */
  GtkStack            *stack;
  AdwStatusPage       *error_page;
  GtkWidget           *demo_button;
  GtkWidget           *demo_hint;
  AdwPreferencesGroup *coverage_group;
  GtkListBox          *coverage_list;
  GtkListBox          *backtests_list;
  GtkListBox          *positions_list;
  GtkListBox          *alerts_list;

  char                *db_path;                /* (owned) (nullable) */
  GCancellable        *cancellable;            /* (owned) (nullable) the overview job's */
  GCancellable        *positions_cancellable;  /* (owned) (nullable) the positions job's */
  HsOverview          *overview;               /* (owned) (nullable) what the lists show */
  GPtrArray           *coverage;               /* (owned) (nullable) rows read by the window,
                                                * for the next read */
  unsigned             refresh_interval;       /* seconds; 0: no periodic refresh */
  guint                refresh_id;
  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (HsOverviewPage, hs_overview_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_LOADING,
  PROP_REFRESH_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------------ */
/* Formatting                                                                                  */

/**
 * hs_overview_format_price:
 *
 * Returns: (transfer full): two decimals from 1 up, four significant digits below (a
 *   prediction market's 0.4650, a token's 0.0001234); "—" for NaN
 */
char *
hs_overview_format_price (double price)
{
  if (!isfinite (price))
    return g_strdup ("—");
  if (fabs (price) >= 1 || price == 0)
    return g_strdup_printf ("%'.2f", price);
  return g_strdup_printf ("%.4g", price);
}

/* Returns: (transfer full): a signed amount of money with two decimals, "+29.00", "−3.50" */
char *
hs_overview_format_money (double amount)
{
  if (!isfinite (amount))
    return g_strdup ("—");
  /* A true minus sign; and no "−0.00" for a loss that rounds to nothing. */
  if (amount < 0 && round (amount * 100) != 0)
    return hs_ui_format_decimal (amount, 2);
  return g_strdup_printf ("+%'.2f", fabs (amount));
}

/* Returns: (transfer full): a signed fraction as a percent with one decimal, "+10.0 %" */
char *
hs_overview_format_fraction (double fraction)
{
  double pct = fraction * 100;

  if (!isfinite (pct))
    return g_strdup ("—");
  if (pct < 0 && round (pct * 10) != 0)
    return g_strdup_printf ("−%.1f %%", -pct);
  return g_strdup_printf ("+%.1f %%", fabs (pct));
}

static char *
format_day (int64_t us)
{
  return hs_coverage_format_time (us, "candles", "1d");
}

static char *
format_minute (int64_t us)
{
  return hs_coverage_format_time (us, "candles", "1m");
}

/* ------------------------------------------------------------------------------------------ */
/* Rows                                                                                        */

/* Removes the rows (GTK 4.8 has no gtk_list_box_remove_all); the placeholder stays. */
static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row = NULL;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static GtkWidget *
placeholder (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 14);
  gtk_widget_set_margin_bottom (label, 14);
  gtk_widget_set_margin_start (label, 14);
  gtk_widget_set_margin_end (label, 14);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* An action row whose text is plain (AdwActionRow reads markup) and that goes to @page. */
static AdwActionRow *
new_row (const char *title,
         const char *subtitle,
         const char *page)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  g_autofree char *t = g_markup_escape_text (title, -1);
  g_autofree char *s = subtitle != NULL ? g_markup_escape_text (subtitle, -1) : NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t);
  if (s != NULL)
    adw_action_row_set_subtitle (row, s);
  if (page != NULL)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "window.show-page");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", page);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    }
  return row;
}

/* A number at the end of a row, coloured by its sign when @signed_value is not NaN. */
static GtkWidget *
value_label (const char *text,
             double      signed_value)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "hs-value");
  if (isfinite (signed_value) && signed_value > 0)
    gtk_widget_add_css_class (label, "success");
  else if (isfinite (signed_value) && signed_value < 0)
    gtk_widget_add_css_class (label, "error");
  return label;
}

static GtkWidget *
series_row (const HsOverviewSeries *s)
{
  const HsCoverage *cov = s->coverage;
  gboolean candles = g_strcmp0 (cov->data, "candles") == 0;
  g_autofree char *title = NULL;
  g_autoptr(GString) sub = g_string_new (NULL);
  AdwActionRow *row = NULL;

  title = cov->interval != NULL ? g_strdup_printf ("%s · %s", cov->symbol, cov->interval)
                                : g_strdup (cov->symbol);
  if (cov->data == NULL)
    g_string_append (sub, _("No data yet"));
  else
    {
      g_autofree char *first = hs_coverage_format_time (cov->first_ts, cov->data, cov->interval);
      g_autofree char *last = hs_coverage_format_time (cov->last_ts, cov->data, cov->interval);
      g_autofree char *rows = hs_coverage_format_count (cov->rows);

      if (!candles)
        g_string_append_printf (sub, "%s · ", hs_coverage_data_label (cov->data));
      /* Translators: first and last bar of a series, "2013-10-07 → 2013-10-11" */
      g_string_append_printf (sub, _("%s → %s"), first, last);
      g_string_append (sub, " · ");
      g_string_append_printf (sub, candles ? ngettext ("%s bar", "%s bars", cov->rows)
                                           : ngettext ("%s row", "%s rows", cov->rows), rows);
      if (s->gaps == 0)
        g_string_append_printf (sub, " · %s", _("no gaps"));
      else if (s->gaps > 0)
        {
          g_autofree char *missing = hs_coverage_format_count (s->missing);

          g_string_append (sub, " · ");
          g_autofree char *gaps = hs_coverage_format_count (s->gaps);

          g_string_append_printf (sub, ngettext ("%s gap", "%s gaps", s->gaps), gaps);
          g_string_append_printf (sub, ngettext (" (%s bar missing)", " (%s bars missing)",
                                                 s->missing), missing);
          if (s->weekdays_only)
            g_string_append_printf (sub, " · %s", _("holidays included"));
        }
    }
  row = new_row (title, sub->str, "data");
  if (s->weekdays_only && s->gaps > 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (row),
                                 _("Gaps are counted on every weekday: no holiday calendar is "
                                   "stored, so market holidays count as missing. Import the US "
                                   "market calendar (hindsight-cli import calendar) to leave "
                                   "them out."));
  if (s->n_closes > 0)
    {
      GtkWidget *spark = hs_sparkline_new ();
      g_autofree char *label = g_strdup_printf (_("Closes of %s"), title);

      hs_sparkline_set_values (HS_SPARKLINE (spark), s->closes, s->n_closes);
      gtk_widget_set_valign (spark, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spark), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      adw_action_row_add_suffix (row, spark);
    }
  return GTK_WIDGET (row);
}

static GtkWidget *
backtest_row (const HsBtRunRow *run)
{
  const HsBtRunInfo *info = run->info;
  const HsStatistics *st = &run->result->stats;
  g_autofree char *title = g_strdup_printf ("%s · %s %s", info->strategy_name, info->symbol,
                                            info->interval);
  g_autofree char *from = format_day (info->start_ts);
  g_autofree char *to = format_day (info->end_ts);
  g_autoptr(GString) sub = g_string_new (NULL);
  AdwActionRow *row = NULL;

  g_string_append_printf (sub, _("%s → %s"), from, to);
  if (g_strcmp0 (info->status, "completed") != 0)
    {
      g_string_append_printf (sub, " · %s", info->status);
      if (info->error_message != NULL)
        g_string_append_printf (sub, ": %s", info->error_message);
    }
  else
    {
      g_autofree char *dd = isfinite (st->max_drawdown) ? g_strdup_printf ("%.1f %%",
                                                                           st->max_drawdown * 100)
                                                        : g_strdup ("—");
      g_autofree char *sharpe = isfinite (st->sharpe_ratio)
                                ? g_strdup_printf ("%.2f", st->sharpe_ratio) : g_strdup ("—");

      g_string_append (sub, " · ");
      g_string_append_printf (sub, _("Sharpe %s"), sharpe);
      g_string_append (sub, " · ");
      g_string_append_printf (sub, _("max drawdown %s"), dd);
      if (st->total_trades >= 0)
        {
          g_autofree char *trades = hs_coverage_format_count (st->total_trades);

          g_string_append (sub, " · ");
          g_string_append_printf (sub, ngettext ("%s trade", "%s trades", st->total_trades),
                                  trades);
        }
      if (info->cache_hit)
        g_string_append_printf (sub, " · %s", _("from cache"));
    }
  row = new_row (title, sub->str, "backtests");
  /* The run's result on the Backtests page (hs-backtest-attach.c), where the window has it. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "runs.open");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "x", info->id);
  if (g_strcmp0 (info->status, "completed") == 0)
    {
      g_autofree char *profit = hs_overview_format_fraction (st->net_profit);
      GtkWidget *label = value_label (profit, st->net_profit);

      gtk_widget_set_tooltip_text (label, _("Net profit over the tested period"));
      adw_action_row_add_suffix (row, label);
    }
  return GTK_WIDGET (row);
}

static GtkWidget *
position_row (const HsOverviewPosition *p)
{
  const HsPaperTrade *t = p->trade;
  g_autofree char *qty = g_strdup_printf ("%g", t->quantity);
  g_autofree char *entry = hs_overview_format_price (t->entry_price);
  g_autofree char *opened = format_minute (t->entry_ts);
  g_autofree char *title = NULL;
  g_autofree char *sub = NULL;
  AdwActionRow *row = NULL;

  /* Translators: an open paper trade, "AAPL · long 10 @ 100.00" */
  title = g_strdup_printf (_("%s · %s %s @ %s"), t->symbol,
                           t->side == HS_PAPER_LONG ? _("long") : _("short"), qty, entry);
  if (p->priced)
    {
      g_autofree char *last = hs_overview_format_price (p->price.price);
      g_autofree char *when = format_minute (p->price.ts);

      /* Translators: "opened 2024-03-04 14:30 · last 103.00 at 2024-03-04 14:33" */
      sub = g_strdup_printf (_("opened %s · last %s at %s"), opened, last, when);
    }
  else
    sub = g_strdup_printf (_("opened %s · no price stored yet"), opened);
  row = new_row (title, sub, "trades");
  if (p->priced)
    {
      g_autofree char *money = hs_overview_format_money (p->pnl);
      g_autofree char *pct = hs_overview_format_fraction (p->pnl_pct / 100);
      g_autofree char *text = g_strdup_printf ("%s (%s)", money, pct);
      GtkWidget *label = value_label (text, p->pnl);

      gtk_widget_set_tooltip_text (label, _("Unrealised P&L at the last stored price, net of "
                                            "the entry fees"));
      adw_action_row_add_suffix (row, label);
    }
  return GTK_WIDGET (row);
}

static const char *
alert_icon (const char *severity)
{
  if (g_strcmp0 (severity, "warning") == 0)
    return "dialog-warning-symbolic";
  if (g_strcmp0 (severity, "error") == 0 || g_strcmp0 (severity, "critical") == 0)
    return "dialog-error-symbolic";
  return "dialog-information-symbolic";
}

static GtkWidget *
alert_row (const HsAlert *a)
{
  g_autofree char *when = format_minute (a->ts);
  g_autofree char *kind = g_strdelimit (g_strdup (a->kind), "_", ' ');
  g_autofree char *sub = a->source != NULL ? g_strdup_printf ("%s · %s · %s", when, kind,
                                                              a->source)
                                           : g_strdup_printf ("%s · %s", when, kind);
  AdwActionRow *row = new_row (a->title, sub, NULL);
  GtkWidget *icon = gtk_image_new_from_icon_name (alert_icon (a->severity));

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  a->severity, -1);
  if (g_strcmp0 (a->severity, "warning") == 0)
    gtk_widget_add_css_class (icon, "warning");
  else if (g_strcmp0 (a->severity, "error") == 0 || g_strcmp0 (a->severity, "critical") == 0)
    gtk_widget_add_css_class (icon, "error");
  adw_action_row_add_prefix (row, icon);
  if (a->message != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (row), a->message);
  return GTK_WIDGET (row);
}

static void
fill_positions (HsOverviewPage *self)
{
  GPtrArray *positions = self->overview->positions;

  clear_list (self->positions_list);
  for (guint i = 0; i < positions->len; i++)
    gtk_list_box_append (self->positions_list, position_row (positions->pdata[i]));
}

static void
fill_lists (HsOverviewPage *self)
{
  HsOverview *o = self->overview;
  g_autofree char *summary = NULL;
  g_autofree char *instruments = NULL;

  clear_list (self->coverage_list);
  for (guint i = 0; i < o->series->len; i++)
    gtk_list_box_append (self->coverage_list, series_row (o->series->pdata[i]));
  instruments = hs_coverage_format_count (o->n_instruments);
  summary = g_strdup_printf (ngettext ("%s instrument", "%s instruments", o->n_instruments),
                             instruments);
  adw_preferences_group_set_description (self->coverage_group, summary);

  clear_list (self->backtests_list);
  for (guint i = 0; i < o->backtests->len; i++)
    gtk_list_box_append (self->backtests_list, backtest_row (o->backtests->pdata[i]));

  fill_positions (self);

  clear_list (self->alerts_list);
  for (guint i = 0; i < o->alerts->len; i++)
    gtk_list_box_append (self->alerts_list, alert_row (o->alerts->pdata[i]));
}

/* ------------------------------------------------------------------------------------------ */
/* Jobs                                                                                        */

static void
set_loading (HsOverviewPage *self,
             gboolean        loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
overview_is_empty (const HsOverview *o)
{
  return o->n_instruments == 0 && o->backtests->len == 0 && o->positions->len == 0
         && o->alerts->len == 0;
}

static void
overview_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsOverviewPage) self = g_weak_ref_get (&data->owner);
  g_autoptr(HsOverview) overview = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (hs_is_main_thread ());

  overview = hs_job_overview_finish (res, &error);
  if (self == NULL || data->cancellable != self->cancellable)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (overview == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    {
      g_clear_pointer (&self->overview, hs_overview_free);
      self->overview = g_steal_pointer (&overview);
      fill_lists (self);
      gtk_stack_set_visible_child_name (self->stack,
                                        overview_is_empty (self->overview) ? "empty" : "content");
    }
  set_loading (self, FALSE);
}

/**
 * hs_overview_page_reload:
 *
 * Reads the overview again on a worker, superseding a read in flight. The lists stay until the
 * result arrives.
 */
void
hs_overview_page_reload (HsOverviewPage *self)
{
  HsOverviewRequest req = { .n_closes = N_CLOSES, .n_backtests = N_BACKTESTS,
                            .n_alerts = N_ALERTS, .gaps = TRUE, .now = 0 };
  g_autoptr(GPtrArray) coverage = NULL;

  g_return_if_fail (HS_IS_OVERVIEW_PAGE (self));
  g_assert (hs_is_main_thread ());

  /* Rows the window has just read are used once; a later reload reads them afresh. */
  coverage = g_steal_pointer (&self->coverage);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->db_path == NULL)
    {
      set_loading (self, FALSE);
      return;
    }
  self->cancellable = g_cancellable_new ();
  if (self->overview == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  set_loading (self, TRUE);
  req.coverage = coverage;
  hs_job_overview_async (self->db_path, &req, self->cancellable, overview_cb,
                         hs_ui_job_new (self, self->cancellable));
}

static void
positions_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsOverviewPage) self = g_weak_ref_get (&data->owner);
  g_autoptr(GPtrArray) positions = NULL;
  g_autoptr(GError) error = NULL;

  positions = hs_job_positions_finish (res, &error);
  if (self == NULL || data->cancellable != self->positions_cancellable)
    return;
  g_clear_object (&self->positions_cancellable);
  if (positions == NULL)
    {
      /* A busy database or a vanished file: the next tick tries again. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("pricing the open trades failed: %s", error->message);
      return;
    }
  /* A full reload in flight will show its own positions. */
  if (self->overview == NULL || self->loading)
    return;
  g_ptr_array_unref (self->overview->positions);
  self->overview->positions = g_steal_pointer (&positions);
  fill_positions (self);
}

/**
 * hs_overview_page_refresh_positions:
 *
 * Prices the open paper trades again on a worker (what the page does every few seconds while
 * it shows), unless a refresh is already running.
 */
void
hs_overview_page_refresh_positions (HsOverviewPage *self)
{
  g_return_if_fail (HS_IS_OVERVIEW_PAGE (self));

  if (self->db_path == NULL || self->positions_cancellable != NULL)
    return;
  self->positions_cancellable = g_cancellable_new ();
  hs_job_positions_async (self->db_path, 0, self->positions_cancellable, positions_cb,
                          hs_ui_job_new (self, self->positions_cancellable));
}

static gboolean
refresh_cb (gpointer user_data)
{
  HsOverviewPage *self = user_data;

  if (self->overview != NULL && self->overview->positions->len > 0)
    hs_overview_page_refresh_positions (self);
  return G_SOURCE_CONTINUE;
}

static void
update_timer (HsOverviewPage *self)
{
  gboolean want = self->refresh_interval > 0 && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (want && self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (self->refresh_interval, refresh_cb, self);
  else if (!want)
    g_clear_handle_id (&self->refresh_id, g_source_remove);
}

/* ------------------------------------------------------------------------------------------ */

static void
hs_overview_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hs_overview_page_parent_class)->map (widget);
  update_timer (HS_OVERVIEW_PAGE (widget));
}

static void
hs_overview_page_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hs_overview_page_parent_class)->unmap (widget);
  update_timer (HS_OVERVIEW_PAGE (widget));
}

static void
hs_overview_page_dispose (GObject *object)
{
  HsOverviewPage *self = HS_OVERVIEW_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->positions_cancellable);
  g_clear_object (&self->positions_cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  /* The stack is the bin's child and a template child: drop it as the bin's first, or
   * gtk_widget_dispose_template() unparents it behind AdwBin's back. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_OVERVIEW_PAGE);

  G_OBJECT_CLASS (hs_overview_page_parent_class)->dispose (object);
}

static void
hs_overview_page_finalize (GObject *object)
{
  HsOverviewPage *self = HS_OVERVIEW_PAGE (object);

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->overview, hs_overview_free);
  g_clear_pointer (&self->coverage, g_ptr_array_unref);

  G_OBJECT_CLASS (hs_overview_page_parent_class)->finalize (object);
}

static void
hs_overview_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HsOverviewPage *self = HS_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_REFRESH_INTERVAL:
      g_value_set_uint (value, self->refresh_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_overview_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HsOverviewPage *self = HS_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_REFRESH_INTERVAL:
      hs_overview_page_set_refresh_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_overview_page_class_init (HsOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hs_ui_init ();

  object_class->dispose = hs_overview_page_dispose;
  object_class->finalize = hs_overview_page_finalize;
  object_class->get_property = hs_overview_page_get_property;
  object_class->set_property = hs_overview_page_set_property;
  widget_class->map = hs_overview_page_map;
  widget_class->unmap = hs_overview_page_unmap;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_uint ("refresh-interval", NULL, NULL, 0, 3600, DEFAULT_REFRESH_S,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/hs-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, demo_hint);
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, coverage_group);
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, coverage_list);
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, backtests_list);
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, positions_list);
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, alerts_list);
}

static void
hs_overview_page_init (HsOverviewPage *self)
{
  g_autofree char *demo = hs_import_demo_dir ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->refresh_interval = DEFAULT_REFRESH_S;

  gtk_list_box_set_placeholder (self->coverage_list,
                                placeholder (_("No market data yet. Import CSV or JSON Lines "
                                               "files on the Data page, or drop them on the "
                                               "window.")));
  gtk_list_box_set_placeholder (self->backtests_list,
                                placeholder (_("No backtests yet. Runs started on the Backtests "
                                               "page or with hindsight-cli backtest appear "
                                               "here.")));
  gtk_list_box_set_placeholder (self->positions_list,
                                placeholder (_("No open paper trades. Open one with "
                                               "hindsight-cli paper open; its P&L shows here.")));
  gtk_list_box_set_placeholder (self->alerts_list, placeholder (_("No alerts.")));

  /* The demo button needs the demo files; without them the page says where to get them. */
  gtk_widget_set_visible (self->demo_button, demo != NULL);
  gtk_widget_set_visible (self->demo_hint, demo == NULL);
}

GtkWidget *
hs_overview_page_new (void)
{
  return g_object_new (HS_TYPE_OVERVIEW_PAGE, NULL);
}

/**
 * hs_overview_page_set_database:
 * @db_path: (nullable): the database to show; it must exist with the current schema (the
 *   window's coverage job creates and migrates it first)
 * @coverage: (nullable) (element-type HsCoverage): what that job has just read of it, so
 *   that the overview job does not read it again; copied
 *
 * Shows @db_path's overview, read on a worker.
 */
void
hs_overview_page_set_database (HsOverviewPage *self,
                               const char     *db_path,
                               GPtrArray      *coverage)
{
  g_return_if_fail (HS_IS_OVERVIEW_PAGE (self));

  g_clear_pointer (&self->coverage, g_ptr_array_unref);
  if (coverage != NULL)
    self->coverage = hs_coverage_list_copy (coverage);

  if (g_strcmp0 (self->db_path, db_path) != 0)
    {
      g_free (self->db_path);
      self->db_path = g_strdup (db_path);
      g_clear_pointer (&self->overview, hs_overview_free);
      g_cancellable_cancel (self->positions_cancellable);
      g_clear_object (&self->positions_cancellable);
    }
  hs_overview_page_reload (self);
}

gboolean
hs_overview_page_get_loading (HsOverviewPage *self)
{
  g_return_val_if_fail (HS_IS_OVERVIEW_PAGE (self), FALSE);
  return self->loading;
}

/* Returns: (transfer none) (nullable): what the lists show */
const HsOverview *
hs_overview_page_get_overview (HsOverviewPage *self)
{
  g_return_val_if_fail (HS_IS_OVERVIEW_PAGE (self), NULL);
  return self->overview;
}

/* Returns: "loading", "empty" (the welcome page), "content" or "error" */
const char *
hs_overview_page_get_view (HsOverviewPage *self)
{
  g_return_val_if_fail (HS_IS_OVERVIEW_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

unsigned
hs_overview_page_get_refresh_interval (HsOverviewPage *self)
{
  g_return_val_if_fail (HS_IS_OVERVIEW_PAGE (self), 0);
  return self->refresh_interval;
}

/* @seconds: how often the open trades are priced again while the page shows; 0 for never */
void
hs_overview_page_set_refresh_interval (HsOverviewPage *self,
                                       unsigned        seconds)
{
  g_return_if_fail (HS_IS_OVERVIEW_PAGE (self));

  if (self->refresh_interval == seconds)
    return;
  self->refresh_interval = seconds;
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  update_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

/* @name: "coverage", "backtests", "positions" or "alerts"
 * Returns: (transfer none): that list, for tests */
GtkListBox *
hs_overview_page_get_list (HsOverviewPage *self,
                           const char     *name)
{
  g_return_val_if_fail (HS_IS_OVERVIEW_PAGE (self), NULL);

  if (g_str_equal (name, "coverage"))
    return self->coverage_list;
  if (g_str_equal (name, "backtests"))
    return self->backtests_list;
  if (g_str_equal (name, "positions"))
    return self->positions_list;
  if (g_str_equal (name, "alerts"))
    return self->alerts_list;
  g_return_val_if_reached (NULL);
}
