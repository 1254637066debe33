/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backtest setup, point and click: an instrument with search, one of its stored intervals,
 * a period (calendar popovers and the presets 1M, 3M, 1Y, All), a built-in strategy with its
 * generated parameter form (hs-param-form.c) or a rule set in two expression editors
 * (hs-expr-editor.c), cash, fees, slippage, sizing, benchmark and brackets. Any number of the
 * form can be a range, which makes the run a sweep; the number of combinations shows before
 * it starts.
 *
 * After every change the form is turned into the HsBacktestRequest the CLI would build and
 * checked with hs_backtest_request_build() (the CLI's own checks), plus what only the GUI
 * knows without reading bars: the end before the start, no bars of the series in the period
 * (from the coverage the database job read), an invalid rule or range. A setup that cannot run
 * says why in the action bar and its Run is off. Checking costs microseconds; a sweep's grid
 * is expanded to count the combinations the strategy accepts only up to 5,000 combinations
 * (a few milliseconds; larger grids show the product of the ranges).
 *
 * Run starts hs_backtest_job_run_async() or hs_sweep_job_run_async() on a worker: a progress bar
 * and Cancel stay visible, the form stays usable, and ::finished tells the owner, who takes the
 * outcome (hs_backtest_setup_steal_outcome()).
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-backtest-setup.h"

#include <adwaita.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-coverage-item.h"
#include "hs-expr-editor.h"
#include "hs-interval.h"
#include "hs-rules-json.h"
#include "hs-runs-job.h"
#include "hs-settings.h"
#include "hs-time.h"
#include "hs-ui.h"
#include "hs-widget-util.h"

/* The largest grid expanded on the main thread to count the valid combinations. */
#define COUNT_LIMIT 5000

#define DAY_US ((int64_t) 86400 * G_USEC_PER_SEC)

enum
{
  FEE_NONE,
  FEE_IBKR,
  FEE_BPS,
  FEE_PER_ORDER,
  FEE_PER_SHARE,
};

enum
{
  SIZE_PERCENT,
  SIZE_CASH,
  SIZE_FIXED,
  SIZE_RISK,
};

struct _HsBacktestSetup
{
  GtkWidget             parent_instance;

  /* Template children */
  GtkDropDown          *instrument_dropdown;
  GtkDropDown          *interval_dropdown;
  AdwActionRow         *period_row;
  GtkMenuButton        *from_button;
  GtkMenuButton        *to_button;
  GtkCalendar          *from_calendar;
  GtkCalendar          *to_calendar;
  AdwActionRow         *strategy_row;
  GtkDropDown          *strategy_dropdown;
  HsParamForm          *param_form;
  AdwPreferencesGroup  *rules_group;
  AdwEntryRow          *rules_name_row;
  GtkDropDown          *side_dropdown;
  HsExprEditor         *entry_editor;
  HsExprEditor         *exit_editor;
  GtkSpinButton        *cash_spin;
  AdwActionRow         *fee_amount_row;
  GtkSpinButton        *fee_spin;
  GtkDropDown          *fee_dropdown;
  GtkSpinButton        *slippage_spin;
  AdwActionRow         *size_amount_row;
  GtkSpinButton        *size_spin;
  GtkDropDown          *size_dropdown;
  GtkDropDown          *benchmark_dropdown;
  GtkSpinButton        *stop_loss_spin;
  GtkSpinButton        *take_profit_spin;
  AdwPreferencesGroup  *sweep_group;
  GtkDropDown          *rank_dropdown;
  GtkLabel             *status_label;
  GtkProgressBar       *progress_bar;
  GtkButton            *run_button;
  GtkButton            *cancel_button;

  char                 *database_path;   /* (owned) (nullable) */
  GCancellable         *load_cancellable;   /* (owned) (nullable) */
  GPtrArray            *series;          /* (owned) (element-type HsCoverage) stored bars */
  GtkStringList        *instruments;     /* (owned) symbols */
  GtkStringList        *intervals;       /* (owned) the selected symbol's */
  GtkStringList        *benchmarks;      /* (owned) "None" and the symbols */
  GtkStringList        *strategies;      /* (owned) built-ins and the rule set */
  int64_t               from_day;        /* days since 1970-01-01, UTC */
  int64_t               to_day;
  const HsCoverage     *selected;        /* (unowned) (nullable) the chosen series */
  gboolean              loading;
  gboolean              updating;        /* the code sets widgets: no re-check per widget */

  char                 *problem;         /* (owned) (nullable) why Run is off */
  char                 *status;          /* (owned) the action bar's text */
  gboolean              sweep;
  double                combinations;
  int                   sweep_jobs;

  /* The run in flight. */
  GCancellable         *run_cancellable; /* (owned) (nullable) */
  gboolean              running;
  double                progress;
  guint                 pulse_id;
  guint                 progress_id;        /* a coalesced sweep progress report pending */
  int64_t               progress_shown_at;  /* monotonic µs of the last one shown */
  char                 *progress_message;   /* (owned) (nullable) the newest not yet shown */
  int64_t               run_started;     /* g_get_monotonic_time () */
  HsBacktestOutcome    *outcome;         /* (owned) (nullable) */
  HsSweepOutcome       *sweep_outcome;   /* (owned) (nullable) */
  char                 *error_message;   /* (owned) (nullable) of the last run */
};

G_DEFINE_FINAL_TYPE (HsBacktestSetup, hs_backtest_setup, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_DATABASE_PATH,
  PROP_CAN_RUN,
  PROP_RUNNING,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_state (HsBacktestSetup *self);

void
hs_backtest_outcome_free (HsBacktestOutcome *outcome)
{
  if (outcome == NULL)
    return;
  hs_backtest_outcome_clear (outcome);
  g_free (outcome);
}

/* ---- helpers ---- */

static const char *
selected_string (GtkDropDown *dropdown)
{
  GObject *item = gtk_drop_down_get_selected_item (dropdown);

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

static gboolean
select_string (GtkDropDown *dropdown,
               const char  *text)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), text) == 0)
        {
          gtk_drop_down_set_selected (dropdown, i);
          return TRUE;
        }
    }
  return FALSE;
}

static void
replace_strings (GtkStringList      *list,
                 const char *const  *items)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  gtk_string_list_splice (list, 0, n, items);
}

static int64_t
day_of (int64_t us)
{
  return us >= 0 ? us / DAY_US : -((-us + DAY_US - 1) / DAY_US);
}

static char *
format_day (int64_t day)
{
  char buf[40];

  hs_time_format_iso_buf (day * DAY_US, buf);
  return g_strndup (buf, 10);
}

static GDateTime *
day_to_datetime (int64_t day)
{
  return g_date_time_new_from_unix_utc (day * 86400);
}

static int64_t
datetime_to_day (GDateTime *dt)
{
  return hs_time_days_from_civil (g_date_time_get_year (dt),
                                  (unsigned) g_date_time_get_month (dt),
                                  (unsigned) g_date_time_get_day_of_month (dt));
}

/* g_ptr_array_sort() passes pointers to the elements. */
static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static int
compare_interval_names (gconstpointer a,
                        gconstpointer b)
{
  const HsInterval *ia = hs_interval_lookup (*(const char *const *) a);
  const HsInterval *ib = hs_interval_lookup (*(const char *const *) b);
  int64_t sa = ia != NULL ? ia->seconds : G_MAXINT64, sb = ib != NULL ? ib->seconds : G_MAXINT64;

  /* "1mo" has no fixed length (0): after the days. */
  sa = sa == 0 ? 40 * 86400 : sa;
  sb = sb == 0 ? 40 * 86400 : sb;
  return sa < sb ? -1 : sa > sb;
}

/* ---- the data choices ---- */

static const HsCoverage *
find_series (HsBacktestSetup *self,
             const char      *symbol,
             const char      *interval)
{
  for (guint i = 0; self->series != NULL && i < self->series->len; i++)
    {
      const HsCoverage *c = self->series->pdata[i];

      if (g_strcmp0 (c->symbol, symbol) == 0 && g_strcmp0 (c->interval, interval) == 0)
        return c;
    }
  return NULL;
}

static void
set_dates (HsBacktestSetup *self,
           int64_t          from_day,
           int64_t          to_day)
{
  g_autofree char *from = format_day (from_day);
  g_autofree char *to = format_day (to_day);
  g_autoptr(GDateTime) from_dt = day_to_datetime (from_day);
  g_autoptr(GDateTime) to_dt = day_to_datetime (to_day);
  gboolean updating = self->updating;

  self->from_day = from_day;
  self->to_day = to_day;
  self->updating = TRUE;
  gtk_menu_button_set_label (self->from_button, from);
  gtk_menu_button_set_label (self->to_button, to);
  gtk_calendar_select_day (self->from_calendar, from_dt);
  gtk_calendar_select_day (self->to_calendar, to_dt);
  self->updating = updating;
  update_state (self);
}

static void
interval_selected_cb (HsBacktestSetup *self)
{
  const char *symbol = selected_string (self->instrument_dropdown);
  const char *interval = selected_string (self->interval_dropdown);
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *text = NULL;
  g_autofree char *rows = NULL;

  self->selected = find_series (self, symbol, interval);
  if (self->selected == NULL)
    {
      adw_action_row_set_subtitle (self->period_row, "");
      update_state (self);
      return;
    }
  first = format_day (day_of (self->selected->first_ts));
  last = format_day (day_of (self->selected->last_ts));
  rows = hs_coverage_format_count (self->selected->rows);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s bar stored, %s to %s",
                                       "%s bars stored, %s to %s", (gulong) self->selected->rows),
                          rows, first, last);
  adw_action_row_set_subtitle (self->period_row, text);
  hs_backtest_setup_apply_preset (self, "all");
}

static void
instrument_selected_cb (HsBacktestSetup *self)
{
  const char *symbol = selected_string (self->instrument_dropdown);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint prefer = 0;

  for (guint i = 0; symbol != NULL && self->series != NULL && i < self->series->len; i++)
    {
      const HsCoverage *c = self->series->pdata[i];

      if (g_strcmp0 (c->symbol, symbol) == 0)
        g_ptr_array_add (names, c->interval);
    }
  g_ptr_array_sort (names, compare_interval_names);
  /* Daily bars first when there are some: quick to run, and what most people start with. */
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (names->pdata[i], "1d"))
      prefer = i;
  g_ptr_array_add (names, NULL);
  self->updating = TRUE;
  replace_strings (self->intervals, (const char *const *) names->pdata);
  gtk_drop_down_set_selected (self->interval_dropdown, names->len > 1 ? prefer
                                                                      : GTK_INVALID_LIST_POSITION);
  self->updating = FALSE;
  interval_selected_cb (self);
}

static void
set_series (HsBacktestSetup *self,
            GPtrArray       *coverage)
{
  g_autoptr(GPtrArray) symbols = g_ptr_array_new ();
  g_autoptr(GPtrArray) bench = g_ptr_array_new ();
  g_autofree char *keep = g_strdup (selected_string (self->instrument_dropdown));
  g_autofree char *keep_bench = g_strdup (selected_string (self->benchmark_dropdown));

  g_clear_pointer (&self->series, g_ptr_array_unref);
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_coverage_free);
  for (guint i = 0; coverage != NULL && i < coverage->len; i++)
    {
      HsCoverage *c = coverage->pdata[i];

      if (g_strcmp0 (c->data, "candles") != 0 || c->interval == NULL
          || g_str_equal (c->interval, "tick"))
        continue;
      g_ptr_array_add (self->series, g_steal_pointer (&coverage->pdata[i]));
    }
  for (guint i = 0; i < self->series->len; i++)
    {
      const HsCoverage *c = self->series->pdata[i];
      gboolean seen = FALSE;

      for (guint k = 0; k < symbols->len && !seen; k++)
        seen = g_str_equal (symbols->pdata[k], c->symbol);
      if (!seen)
        g_ptr_array_add (symbols, c->symbol);
    }
  g_ptr_array_sort (symbols, compare_strings);
  g_ptr_array_add (bench, _("None"));
  for (guint i = 0; i < symbols->len; i++)
    g_ptr_array_add (bench, symbols->pdata[i]);
  g_ptr_array_add (symbols, NULL);
  g_ptr_array_add (bench, NULL);

  self->updating = TRUE;
  replace_strings (self->instruments, (const char *const *) symbols->pdata);
  replace_strings (self->benchmarks, (const char *const *) bench->pdata);
  if (keep_bench == NULL || !select_string (self->benchmark_dropdown, keep_bench))
    gtk_drop_down_set_selected (self->benchmark_dropdown, 0);
  if (keep == NULL || !select_string (self->instrument_dropdown, keep))
    gtk_drop_down_set_selected (self->instrument_dropdown,
                                symbols->len > 1 ? 0 : GTK_INVALID_LIST_POSITION);
  self->updating = FALSE;
  instrument_selected_cb (self);
}

static void
series_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HsBacktestSetup) self = user_data;
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (hs_is_main_thread ());

  series = hs_runs_job_series_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_clear_pointer (&self->error_message, g_free);
  if (series == NULL)
    self->error_message = g_strdup (error->message);
  set_series (self, series);
}

/**
 * hs_backtest_setup_set_database_path:
 * @path: (nullable): the database the runs read and are stored in
 *
 * Reads the stored series (instruments and intervals with their first and last bar) on a
 * worker, without creating a database that is not there; the form offers them when the job
 * answers.
 */
void
hs_backtest_setup_set_database_path (HsBacktestSetup *self,
                                     const char      *path)
{
  g_return_if_fail (HS_IS_BACKTEST_SETUP (self));

  if (g_strcmp0 (self->database_path, path) != 0)
    {
      g_free (self->database_path);
      self->database_path = g_strdup (path);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE_PATH]);
    }
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (path == NULL)
    {
      set_series (self, NULL);
      return;
    }
  self->load_cancellable = g_cancellable_new ();
  self->loading = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  update_state (self);
  hs_runs_job_series_async (path, self->load_cancellable, series_cb, g_object_ref (self));
}

const char *
hs_backtest_setup_get_database_path (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), NULL);
  return self->database_path;
}

/* Returns: whether the stored series are being read */
gboolean
hs_backtest_setup_get_loading (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), FALSE);
  return self->loading;
}

/* ---- the request ---- */

static gboolean
is_rule_set (HsBacktestSetup *self)
{
  size_t n = 0;

  hs_strategy_all (&n);
  return gtk_drop_down_get_selected (self->strategy_dropdown) == n;
}

static char *
number_text (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_dtostr (buf, sizeof buf, v));
}

static char *
fee_model_text (HsBacktestSetup *self)
{
  g_autofree char *v = number_text (gtk_spin_button_get_value (self->fee_spin));

  switch (gtk_drop_down_get_selected (self->fee_dropdown))
    {
    case FEE_IBKR: return g_strdup ("ibkr");
    case FEE_BPS: return g_strconcat ("bps:", v, NULL);
    case FEE_PER_ORDER: return g_strconcat ("per-order:", v, NULL);
    case FEE_PER_SHARE: return g_strconcat ("per-share:", v, NULL);
    case FEE_NONE:
    default:
      return g_strdup ("none");
    }
}

static char *
size_text (HsBacktestSetup *self)
{
  static const char *const kinds[] = { "percent", "cash", "fixed", "risk" };
  g_autofree char *v = number_text (gtk_spin_button_get_value (self->size_spin));
  guint k = gtk_drop_down_get_selected (self->size_dropdown);

  return g_strdup_printf ("%s:%s", kinds[k < G_N_ELEMENTS (kinds) ? k : 0], v);
}

static HsRuleSet *
rule_set_from_form (HsBacktestSetup *self)
{
  HsRuleSet *rules = hs_rule_set_new ();

  rules->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->rules_name_row)));
  rules->side = gtk_drop_down_get_selected (self->side_dropdown) == 1 ? -1 : 1;
  rules->entry = hs_expr_editor_dup_text (self->entry_editor);
  rules->exit = hs_expr_editor_dup_text (self->exit_editor);
  return rules;
}

/* Fills @q from the form; a rule set's file is not written (@q->rules_path stays NULL). */
static void
fill_request (HsBacktestSetup   *self,
              HsBacktestRequest *q)
{
  const char *bench = NULL;

  hs_backtest_request_init (q);
  q->symbol = g_strdup (selected_string (self->instrument_dropdown));
  q->interval = g_strdup (selected_string (self->interval_dropdown));
  q->from = format_day (self->from_day);
  q->to = format_day (self->to_day);
  if (!is_rule_set (self))
    {
      q->strategy = g_strdup (selected_string (self->strategy_dropdown));
      q->params = hs_param_form_dup_params (self->param_form);
    }
  q->cash = gtk_spin_button_get_value (self->cash_spin);
  q->fee_model = fee_model_text (self);
  q->slippage_bps = gtk_spin_button_get_value (self->slippage_spin);
  q->size = size_text (self);
  if (gtk_drop_down_get_selected (self->benchmark_dropdown) > 0)
    bench = selected_string (self->benchmark_dropdown);
  q->benchmark = g_strdup (bench);
  q->stop_loss = gtk_spin_button_get_value (self->stop_loss_spin);
  q->take_profit = gtk_spin_button_get_value (self->take_profit_spin);
}

/* Upper-cases the first letter of the CLI's messages, which start lower case. */
static char *
sentence (const char *message)
{
  if (message == NULL || message[0] == '\0')
    return g_strdup ("");
  return g_strdup_printf ("%c%s", g_ascii_toupper (message[0]), message + 1);
}

/* The problem, or %NULL; also computes the combinations of a sweep. */
static char *
check (HsBacktestSetup *self)
{
  g_auto(HsBacktestRequest) q = { 0 };
  g_autoptr(HsStrategyParams) params = NULL;
  g_autoptr(HsRuleSet) rules = NULL;
  g_autoptr(HsBtRunInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *form_problem = NULL;
  HsBtConfig config;
  const char *symbol = selected_string (self->instrument_dropdown);
  const char *interval = selected_string (self->interval_dropdown);

  self->sweep = !is_rule_set (self) && hs_param_form_get_sweep (self->param_form);
  self->combinations = self->sweep ? hs_param_form_count_combinations (self->param_form) : 1;

  if (self->database_path == NULL)
    return g_strdup (_("Open a database first"));
  if (self->loading)
    return g_strdup (_("Reading the stored instruments…"));
  if (self->error_message != NULL && self->series != NULL && self->series->len == 0)
    return g_strdup_printf (_("Cannot read the database: %s"), self->error_message);
  if (self->series == NULL || self->series->len == 0)
    return g_strdup (_("The database holds no bars yet: import some on the Data page"));
  if (symbol == NULL)
    return g_strdup (_("Choose an instrument"));
  if (interval == NULL)
    return g_strdup (_("Choose an interval"));
  if (self->to_day < self->from_day)
    {
      g_autofree char *from = format_day (self->from_day);
      g_autofree char *to = format_day (self->to_day);

      return g_strdup_printf (_("The end (%s) is before the start (%s)"), to, from);
    }
  if (self->selected != NULL
      && (self->to_day < day_of (self->selected->first_ts)
          || self->from_day > day_of (self->selected->last_ts)))
    {
      g_autofree char *first = format_day (day_of (self->selected->first_ts));
      g_autofree char *last = format_day (day_of (self->selected->last_ts));

      return g_strdup_printf (_("No %s %s bars in that period: they run from %s to %s"),
                              symbol, interval, first, last);
    }

  fill_request (self, &q);
  if (is_rule_set (self))
    {
      /* The rule set is checked here; the request is checked with a stand-in strategy. */
      if (!hs_expr_editor_get_valid (self->entry_editor))
        return g_strdup_printf (_("The entry rule: %s"),
                                hs_expr_editor_get_error_message (self->entry_editor));
      if (!hs_expr_editor_get_valid (self->exit_editor))
        return g_strdup_printf (_("The exit rule: %s"),
                                hs_expr_editor_get_error_message (self->exit_editor));
      rules = rule_set_from_form (self);
      if (!hs_rule_set_check (rules, &error))
        return sentence (error->message);
      g_clear_pointer (&rules, hs_rule_set_free);
      q.strategy = g_strdup ("buy_and_hold");
    }
  form_problem = hs_param_form_dup_problem (self->param_form);
  if (form_problem != NULL && self->sweep)
    return g_steal_pointer (&form_problem);
  if (!hs_backtest_request_build (&q, "backtest", self->sweep ? HS_BACKTEST_GRID
                                                              : HS_BACKTEST_SINGLE,
                                  &config, &params, &rules, &info, &error))
    return sentence (error->message);

  if (self->sweep)
    {
      if (self->combinations > HS_SWEEP_MAX_COMBINATIONS)
        return g_strdup_printf (_("%.0f combinations: a sweep can have at most %d"),
                                self->combinations, HS_SWEEP_MAX_COMBINATIONS);
      if (self->combinations <= COUNT_LIMIT)
        {
          g_autoptr(HsSweepGrid) grid = hs_sweep_grid_new (hs_strategy_lookup (q.strategy),
                                                           (const char *const *) q.params,
                                                           &error);

          if (grid == NULL)
            return sentence (error->message);
          if (grid->combos->len == 0)
            return g_strdup_printf (_("The strategy refuses all %zu combinations: check the "
                                      "ranges (for example, fast must stay below slow)"),
                                    grid->n_total);
          self->combinations = grid->combos->len;
        }
    }
  return NULL;
}

static void
set_status (HsBacktestSetup *self,
            const char      *text,
            gboolean         error)
{
  g_free (self->status);
  self->status = g_strdup (text);
  gtk_label_set_text (self->status_label, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
update_state (HsBacktestSetup *self)
{
  g_autofree char *problem = NULL;
  gboolean could_run = self->problem == NULL;
  gboolean rules = FALSE;
  guint fee;

  if (self->updating || self->strategies == NULL)
    return;

  rules = is_rule_set (self);
  gtk_widget_set_visible (GTK_WIDGET (self->rules_group), rules);
  gtk_widget_set_visible (GTK_WIDGET (self->param_form), !rules);
  fee = gtk_drop_down_get_selected (self->fee_dropdown);
  gtk_widget_set_visible (GTK_WIDGET (self->fee_amount_row), fee != FEE_NONE && fee != FEE_IBKR);
  {
    static const char *const fee_units[] = { NULL, NULL, N_("Basis points of the order's value"),
                                             N_("Account currency per order"),
                                             N_("Account currency per share") };
    static const char *const size_units[] = { N_("Percent of the equity"),
                                              N_("Account currency per trade"),
                                              N_("Units per trade"),
                                              N_("Percent of the equity lost at the stop") };
    guint size = gtk_drop_down_get_selected (self->size_dropdown);

    if (fee < G_N_ELEMENTS (fee_units) && fee_units[fee] != NULL)
      adw_action_row_set_subtitle (self->fee_amount_row, _(fee_units[fee]));
    if (size < G_N_ELEMENTS (size_units))
      adw_action_row_set_subtitle (self->size_amount_row, _(size_units[size]));
  }

  problem = check (self);
  gtk_widget_set_visible (GTK_WIDGET (self->sweep_group), self->sweep);
  g_free (self->problem);
  self->problem = g_steal_pointer (&problem);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.run",
                                 self->problem == NULL && !self->running);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_button), self->problem);
  if (!self->running)
    {
      if (self->problem != NULL)
        set_status (self, self->problem, !self->loading && self->database_path != NULL);
      else if (self->error_message != NULL)
        set_status (self, self->error_message, TRUE);
      else if (self->sweep)
        {
          g_autofree char *text = NULL;

          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Sweep: %.0f combination, ranked by %s",
                                               "Sweep: %.0f combinations, ranked by %s",
                                               (gulong) self->combinations),
                                  self->combinations, selected_string (self->rank_dropdown));
          set_status (self, text, FALSE);
        }
      else
        {
          g_autofree char *from = format_day (self->from_day);
          g_autofree char *to = format_day (self->to_day);
          g_autofree char *text = NULL;

          text = g_strdup_printf (_("Ready: %s on %s %s, %s to %s"),
                                  rules ? gtk_editable_get_text (GTK_EDITABLE (self->rules_name_row))
                                        : selected_string (self->strategy_dropdown),
                                  selected_string (self->instrument_dropdown),
                                  selected_string (self->interval_dropdown), from, to);
          set_status (self, text, FALSE);
        }
    }
  gtk_button_set_label (self->run_button, self->sweep ? _("_Run Sweep") : _("_Run"));
  if (could_run != (self->problem == NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RUN]);
}

static void
form_changed_cb (HsBacktestSetup *self)
{
  /* A change after a run: its message no longer describes the form. */
  if (!self->running && !self->updating)
    g_clear_pointer (&self->error_message, g_free);
  update_state (self);
}

static void
strategy_selected_cb (HsBacktestSetup *self)
{
  size_t n = 0;
  const HsStrategyInfo *all = hs_strategy_all (&n);
  guint k = gtk_drop_down_get_selected (self->strategy_dropdown);

  if (k < n)
    {
      adw_action_row_set_subtitle (self->strategy_row, _(all[k].summary));
      hs_param_form_set_strategy (self->param_form, &all[k]);
    }
  else
    {
      adw_action_row_set_subtitle (self->strategy_row,
                                   _("Your own entry and exit rules, written as expressions"));
      hs_param_form_set_strategy (self->param_form, NULL);
    }
  form_changed_cb (self);
}

/**
 * hs_backtest_setup_build_request:
 * @q: (out caller-allocates): the request, as hindsight-cli backtest (or sweep) takes it;
 *   clear it with hs_backtest_request_clear()
 *
 * For a rule set, writes it as JSON into the user's cache folder and names that file.
 *
 * Returns: %FALSE with @error set when the form cannot run (the same reason the action bar shows)
 */
gboolean
hs_backtest_setup_build_request (HsBacktestSetup   *self,
                                 HsBacktestRequest *q,
                                 GError           **error)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), FALSE);

  memset (q, 0, sizeof *q);
  if (self->problem != NULL)
    {
      g_set_error_literal (error, HS_BACKTEST_JOB_ERROR, HS_BACKTEST_JOB_ERROR_REQUEST,
                           self->problem);
      return FALSE;
    }
  fill_request (self, q);
  if (is_rule_set (self))
    {
      g_autoptr(HsRuleSet) rules = rule_set_from_form (self);
      g_autofree char *json = hs_rule_set_to_json (rules);
      g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "hindsight", "rules",
                                               NULL);
      g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
      g_autofree char *name = g_strdup_printf ("%.16s.json", sum);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "%s: %s", dir, g_strerror (saved));
          hs_backtest_request_clear (q);
          return FALSE;
        }
      if (!g_file_set_contents (path, json, -1, error))
        {
          hs_backtest_request_clear (q);
          return FALSE;
        }
      q->rules_path = g_steal_pointer (&path);
    }
  return TRUE;
}

/* ---- running ---- */

static void
set_running (HsBacktestSetup *self,
             gboolean         running)
{
  self->running = running;
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.cancel", running);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  update_state (self);
}

static gboolean
pulse_cb (gpointer data)
{
  HsBacktestSetup *self = data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
finish_run (HsBacktestSetup *self,
            const GError    *error)
{
  double seconds = (g_get_monotonic_time () - self->run_started) / 1e6;

  g_clear_object (&self->run_cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_pointer (&self->progress_message, g_free);
  self->progress_shown_at = 0;
  g_clear_pointer (&self->error_message, g_free);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->error_message = g_strdup_printf (_("The run failed: %s"), error->message);
  set_running (self, FALSE);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_status (self, _("Cancelled"), FALSE);
  else if (error == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Finished in %.1f s"), seconds);

      set_status (self, text, FALSE);
    }
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
backtest_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsBacktestSetup) self = g_weak_ref_get (&data->owner);
  g_autoptr(HsBacktestOutcome) outcome = g_new0 (HsBacktestOutcome, 1);
  g_autoptr(GError) error = NULL;

  g_assert (hs_is_main_thread ());

  if (!hs_backtest_job_finish (result, outcome, &error))
    g_clear_pointer (&outcome, hs_backtest_outcome_free);
  if (self == NULL || data->cancellable != self->run_cancellable)
    return;
  g_clear_pointer (&self->outcome, hs_backtest_outcome_free);
  self->outcome = g_steal_pointer (&outcome);
  finish_run (self, error);
}

/* Shows the newest sweep progress. Each report changes the bar's and the status' text, which
 * lays the whole form out again and draws a frame: a few milliseconds of the main thread, so
 * reports are shown at most every PROGRESS_EVERY_US (the newest wins). */
#define PROGRESS_EVERY_US (G_USEC_PER_SEC / 4)

static void
show_progress (HsBacktestSetup *self)
{
  g_autofree char *text = g_strdup_printf ("%.0f %%", self->progress * 100);

  self->progress_shown_at = g_get_monotonic_time ();
  gtk_progress_bar_set_fraction (self->progress_bar, self->progress);
  gtk_progress_bar_set_text (self->progress_bar, text);
  if (self->progress_message != NULL)
    set_status (self, self->progress_message, FALSE);
  g_clear_pointer (&self->progress_message, g_free);
}

static gboolean
show_progress_cb (gpointer data)
{
  HsBacktestSetup *self = data;

  self->progress_id = 0;
  show_progress (self);
  return G_SOURCE_REMOVE;
}

static void
sweep_progress_cb (double      fraction,
                   const char *message,
                   gpointer    user_data)
{
  HsUiJob *data = user_data;
  g_autoptr(HsBacktestSetup) self = g_weak_ref_get (&data->owner);
  int64_t since = 0;

  if (self == NULL || data->cancellable != self->run_cancellable)
    return;
  self->progress = fraction;
  if (message != NULL && message[0] != '\0')
    {
      g_free (self->progress_message);
      self->progress_message = g_strdup (message);
    }
  if (self->progress_id != 0)
    return;
  since = g_get_monotonic_time () - self->progress_shown_at;
  if (since >= PROGRESS_EVERY_US)
    show_progress (self);
  else
    self->progress_id = g_timeout_add ((guint) ((PROGRESS_EVERY_US - since) / 1000 + 1),
                                       show_progress_cb, self);
}

static void
sweep_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsBacktestSetup) self = g_weak_ref_get (&data->owner);
  g_autoptr(HsSweepOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (hs_is_main_thread ());

  outcome = hs_sweep_job_finish (result, &error);
  if (self == NULL || data->cancellable != self->run_cancellable)
    return;
  g_clear_pointer (&self->sweep_outcome, hs_sweep_outcome_free);
  self->sweep_outcome = g_steal_pointer (&outcome);
  finish_run (self, error);
}

/**
 * hs_backtest_setup_run:
 *
 * Starts the run (or sweep) the form describes on a worker, when it can run. ::finished is
 * emitted when it ends, whether it completed, failed or was cancelled.
 */
void
hs_backtest_setup_run (HsBacktestSetup *self)
{
  g_auto(HsBacktestRequest) q = { 0 };
  g_autoptr(GError) error = NULL;
  HsUiJob *data = NULL;

  g_return_if_fail (HS_IS_BACKTEST_SETUP (self));
  g_assert (hs_is_main_thread ());

  if (self->running || self->problem != NULL)
    return;
  if (!hs_backtest_setup_build_request (self, &q, &error))
    {
      g_clear_pointer (&self->error_message, g_free);
      self->error_message = g_strdup (error->message);
      update_state (self);
      return;
    }
  g_clear_pointer (&self->outcome, hs_backtest_outcome_free);
  g_clear_pointer (&self->sweep_outcome, hs_sweep_outcome_free);
  g_clear_pointer (&self->error_message, g_free);
  self->run_cancellable = g_cancellable_new ();
  self->run_started = g_get_monotonic_time ();
  self->progress = 0;
  data = hs_ui_job_new (self, self->run_cancellable);

  set_running (self, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  if (self->sweep)
    {
      g_autofree char *text = g_strdup_printf (_("Running %.0f combinations…"),
                                               self->combinations);

      gtk_progress_bar_set_text (self->progress_bar, "0 %");
      set_status (self, text, FALSE);
      hs_sweep_job_run_async (self->database_path, &q, selected_string (self->rank_dropdown),
                              self->sweep_jobs, sweep_progress_cb, data, self->run_cancellable,
                              sweep_done_cb, data);
    }
  else
    {
      gtk_progress_bar_set_text (self->progress_bar, NULL);
      set_status (self, _("Running the backtest…"), FALSE);
      self->pulse_id = g_timeout_add (100, pulse_cb, self);
      hs_backtest_job_run_async (self->database_path, &q, self->run_cancellable,
                                 backtest_done_cb, data);
    }
}

/* Cancels the run in flight; ::finished follows when the worker has stopped. */
void
hs_backtest_setup_cancel (HsBacktestSetup *self)
{
  g_return_if_fail (HS_IS_BACKTEST_SETUP (self));

  g_cancellable_cancel (self->run_cancellable);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  hs_backtest_setup_run (HS_BACKTEST_SETUP (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  hs_backtest_setup_cancel (HS_BACKTEST_SETUP (widget));
}

static void
preset_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  hs_backtest_setup_apply_preset (HS_BACKTEST_SETUP (widget),
                                  g_variant_get_string (parameter, NULL));
}

static void
from_day_selected_cb (HsBacktestSetup *self)
{
  g_autoptr(GDateTime) dt = gtk_calendar_get_date (self->from_calendar);

  if (self->updating)
    return;
  set_dates (self, datetime_to_day (dt), self->to_day);
  gtk_menu_button_popdown (self->from_button);
}

static void
to_day_selected_cb (HsBacktestSetup *self)
{
  g_autoptr(GDateTime) dt = gtk_calendar_get_date (self->to_calendar);

  if (self->updating)
    return;
  set_dates (self, self->from_day, datetime_to_day (dt));
  gtk_menu_button_popdown (self->to_button);
}

/* ---- the form from code ---- */

gboolean
hs_backtest_setup_select_instrument (HsBacktestSetup *self,
                                     const char      *symbol)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), FALSE);
  return select_string (self->instrument_dropdown, symbol);
}

gboolean
hs_backtest_setup_select_interval (HsBacktestSetup *self,
                                   const char      *interval)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), FALSE);
  return select_string (self->interval_dropdown, interval);
}

/* Returns: %FALSE when @name is not a built-in strategy */
gboolean
hs_backtest_setup_select_strategy (HsBacktestSetup *self,
                                   const char      *name)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), FALSE);
  return hs_strategy_lookup (name) != NULL && select_string (self->strategy_dropdown, name);
}

void
hs_backtest_setup_select_rule_set (HsBacktestSetup *self)
{
  size_t n = 0;

  g_return_if_fail (HS_IS_BACKTEST_SETUP (self));

  hs_strategy_all (&n);
  gtk_drop_down_set_selected (self->strategy_dropdown, (guint) n);
}

void
hs_backtest_setup_set_rules (HsBacktestSetup *self,
                             const char      *entry,
                             const char      *exit)
{
  g_return_if_fail (HS_IS_BACKTEST_SETUP (self));

  hs_expr_editor_set_text (self->entry_editor, entry);
  hs_expr_editor_set_text (self->exit_editor, exit);
}

/* @symbol: (nullable): the benchmark, %NULL for none */
void
hs_backtest_setup_set_benchmark (HsBacktestSetup *self,
                                 const char      *symbol)
{
  g_return_if_fail (HS_IS_BACKTEST_SETUP (self));

  if (symbol == NULL || !select_string (self->benchmark_dropdown, symbol))
    gtk_drop_down_set_selected (self->benchmark_dropdown, 0);
}

/**
 * hs_backtest_setup_set_period:
 * @from: YYYY-MM-DD
 * @to: YYYY-MM-DD
 *
 * Returns: %FALSE when a date does not parse
 */
gboolean
hs_backtest_setup_set_period (HsBacktestSetup *self,
                              const char      *from,
                              const char      *to)
{
  int64_t a = 0, b = 0;

  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), FALSE);

  if (!hs_time_parse_bound (from, FALSE, &a, NULL) || !hs_time_parse_bound (to, FALSE, &b, NULL))
    return FALSE;
  set_dates (self, day_of (a), day_of (b));
  return TRUE;
}

/**
 * hs_backtest_setup_apply_preset:
 * @preset: "1M", "3M", "1Y" (ending on the last bar's day) or "all"
 *
 * Returns: %FALSE for an unknown preset or when no series is chosen
 */
gboolean
hs_backtest_setup_apply_preset (HsBacktestSetup *self,
                                const char      *preset)
{
  int64_t first, last, from;

  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), FALSE);

  if (self->selected == NULL)
    return FALSE;
  first = day_of (self->selected->first_ts);
  last = day_of (self->selected->last_ts);
  if (g_str_equal (preset, "all"))
    from = first;
  else
    {
      g_autoptr(GDateTime) end = day_to_datetime (last);
      g_autoptr(GDateTime) start = NULL;
      int months = g_str_equal (preset, "1M") ? 1 : g_str_equal (preset, "3M") ? 3
                   : g_str_equal (preset, "1Y") ? 12 : 0;

      if (months == 0)
        return FALSE;
      start = g_date_time_add_months (end, -months);
      from = MAX (first, datetime_to_day (start));
    }
  set_dates (self, from, last);
  return TRUE;
}

/* Returns: (transfer full): "YYYY-MM-DD – YYYY-MM-DD" */
char *
hs_backtest_setup_dup_period_text (HsBacktestSetup *self)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), NULL);

  from = format_day (self->from_day);
  to = format_day (self->to_day);
  return g_strdup_printf ("%s – %s", from, to);
}

void
hs_backtest_setup_set_sweep_jobs (HsBacktestSetup *self,
                                  int              n_jobs)
{
  g_return_if_fail (HS_IS_BACKTEST_SETUP (self));
  self->sweep_jobs = n_jobs;
}

static void
load_model (HsBacktestSetup *self,
            const char      *text,
            gboolean         fee)
{
  static const char *const fee_prefix[] = { "none", "ibkr", "bps:", "per-order:", "per-share:" };
  static const char *const size_prefix[] = { "percent:", "cash:", "fixed:", "risk:" };
  const char *const *prefix = fee ? fee_prefix : size_prefix;
  guint n = fee ? G_N_ELEMENTS (fee_prefix) : G_N_ELEMENTS (size_prefix);

  if (text == NULL)
    return;
  for (guint i = 0; i < n; i++)
    if (g_str_has_prefix (text, prefix[i]))
      {
        const char *number = text + strlen (prefix[i]);

        gtk_drop_down_set_selected (fee ? self->fee_dropdown : self->size_dropdown, i);
        if (*number != '\0')
          gtk_spin_button_set_value (fee ? self->fee_spin : self->size_spin,
                                     g_ascii_strtod (number, NULL));
        return;
      }
}

/**
 * hs_backtest_setup_load_run:
 *
 * Fills the form with a stored run's request (instrument, interval, period, strategy and its
 * parameters or rule set, cash, models, benchmark, brackets) to run it again or change it.
 */
void
hs_backtest_setup_load_run (HsBacktestSetup   *self,
                            const HsBtRunInfo *info)
{
  const HsBtParam *rules_param = NULL;
  const HsBtParam *p = NULL;
  int64_t last_day;

  g_return_if_fail (HS_IS_BACKTEST_SETUP (self));
  g_return_if_fail (info != NULL);

  hs_backtest_setup_select_instrument (self, info->symbol);
  hs_backtest_setup_select_interval (self, info->interval);
  /* end_ts is the end of the last bar: its day is the one before when it ends at midnight. */
  last_day = day_of (info->end_ts - 1);
  set_dates (self, day_of (info->start_ts), MAX (day_of (info->start_ts), last_day));

  rules_param = hs_bt_run_info_get_param (info, "rules");
  if (rules_param != NULL && rules_param->text != NULL)
    {
      g_autoptr(HsRuleSet) rules = hs_rule_set_from_json (rules_param->text, -1, NULL);

      hs_backtest_setup_select_rule_set (self);
      if (rules != NULL)
        {
          gtk_editable_set_text (GTK_EDITABLE (self->rules_name_row), rules->name);
          gtk_drop_down_set_selected (self->side_dropdown, rules->side < 0 ? 1 : 0);
          hs_backtest_setup_set_rules (self, rules->entry, rules->exit);
        }
    }
  else if (hs_backtest_setup_select_strategy (self, info->strategy_name))
    {
      for (guint i = 0; info->params != NULL && i < info->params->len; i++)
        {
          const HsBtParam *param = info->params->pdata[i];
          g_autoptr(GString) value = g_string_new (NULL);

          if (param->kind == HS_BT_PARAM_STRING)
            g_string_append (value, param->text != NULL ? param->text : "");
          else
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append (value, g_ascii_dtostr (buf, sizeof buf, param->number));
            }
          hs_param_form_set_value (self->param_form, param->name, value->str);
        }
    }
  gtk_spin_button_set_value (self->cash_spin, info->initial_cash);
  load_model (self, info->fee_model, TRUE);
  load_model (self, info->sizing_model, FALSE);
  if (info->slippage_model != NULL && g_str_has_prefix (info->slippage_model, "bps:"))
    gtk_spin_button_set_value (self->slippage_spin,
                               g_ascii_strtod (info->slippage_model + 4, NULL));
  else
    gtk_spin_button_set_value (self->slippage_spin, 0);
  hs_backtest_setup_set_benchmark (self, info->benchmark);
  p = hs_bt_run_info_get_param (info, "engine_stop_loss_pct");
  gtk_spin_button_set_value (self->stop_loss_spin, p != NULL ? p->number : 0);
  p = hs_bt_run_info_get_param (info, "engine_take_profit_pct");
  gtk_spin_button_set_value (self->take_profit_spin, p != NULL ? p->number : 0);
  update_state (self);
}

/* ---- getters ---- */

HsParamForm *
hs_backtest_setup_get_param_form (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), NULL);
  return self->param_form;
}

GtkWidget *
hs_backtest_setup_get_run_button (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), NULL);
  return GTK_WIDGET (self->run_button);
}

/* Returns: (nullable): why the setup cannot run, %NULL when it can */
const char *
hs_backtest_setup_get_problem (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), NULL);
  return self->problem;
}

/* Returns: the text of the action bar */
const char *
hs_backtest_setup_get_status_text (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), NULL);
  return gtk_label_get_text (self->status_label);
}

gboolean
hs_backtest_setup_get_can_run (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), FALSE);
  return self->problem == NULL && !self->running;
}

gboolean
hs_backtest_setup_get_sweep (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), FALSE);
  return self->sweep;
}

/* Returns: the combinations a sweep will run (those the strategy accepts when counted) */
double
hs_backtest_setup_get_combinations (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), 0);
  return self->combinations;
}

gboolean
hs_backtest_setup_get_running (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), FALSE);
  return self->running;
}

/* Returns: a sweep's fraction done */
double
hs_backtest_setup_get_progress (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), 0);
  return self->progress;
}

/* Returns: (transfer full) (nullable): the last single run's outcome, once */
HsBacktestOutcome *
hs_backtest_setup_steal_outcome (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), NULL);
  return g_steal_pointer (&self->outcome);
}

/* Returns: (transfer full) (nullable): the last sweep's outcome, once */
HsSweepOutcome *
hs_backtest_setup_steal_sweep_outcome (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), NULL);
  return g_steal_pointer (&self->sweep_outcome);
}

/* Returns: (nullable): why the last run failed, or the database could not be read */
const char *
hs_backtest_setup_get_error_message (HsBacktestSetup *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_SETUP (self), NULL);
  return self->error_message;
}

/* ---- GObject ---- */

static void
hs_backtest_setup_dispose (GObject *object)
{
  HsBacktestSetup *self = HS_BACKTEST_SETUP (object);
  GtkWidget *child = NULL;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_pointer (&self->progress_message, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_BACKTEST_SETUP);
  /* The template's top box has no id: dispose_template() leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hs_backtest_setup_parent_class)->dispose (object);
}

static void
hs_backtest_setup_finalize (GObject *object)
{
  HsBacktestSetup *self = HS_BACKTEST_SETUP (object);

  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->series, g_ptr_array_unref);
  g_clear_object (&self->instruments);
  g_clear_object (&self->intervals);
  g_clear_object (&self->benchmarks);
  g_clear_object (&self->strategies);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->outcome, hs_backtest_outcome_free);
  g_clear_pointer (&self->sweep_outcome, hs_sweep_outcome_free);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (hs_backtest_setup_parent_class)->finalize (object);
}

static void
hs_backtest_setup_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HsBacktestSetup *self = HS_BACKTEST_SETUP (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, self->database_path);
      break;
    case PROP_CAN_RUN:
      g_value_set_boolean (value, hs_backtest_setup_get_can_run (self));
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_backtest_setup_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HsBacktestSetup *self = HS_BACKTEST_SETUP (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      hs_backtest_setup_set_database_path (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_backtest_setup_class_init (HsBacktestSetupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hs_ui_init ();
  g_type_ensure (HS_TYPE_PARAM_FORM);
  g_type_ensure (HS_TYPE_EXPR_EDITOR);

  object_class->dispose = hs_backtest_setup_dispose;
  object_class->finalize = hs_backtest_setup_finalize;
  object_class->get_property = hs_backtest_setup_get_property;
  object_class->set_property = hs_backtest_setup_set_property;

  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_RUN] =
    g_param_spec_boolean ("can-run", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HsBacktestSetup::finished:
   *
   * A run ended: completed (take the outcome with hs_backtest_setup_steal_outcome() or
   * hs_backtest_setup_steal_sweep_outcome()), failed (hs_backtest_setup_get_error_message())
   * or cancelled (neither).
   */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/hs-backtest-setup.ui");
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, instrument_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, interval_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, period_row);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, from_button);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, to_button);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, strategy_row);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, strategy_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, param_form);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, rules_group);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, rules_name_row);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, side_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, entry_editor);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, exit_editor);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, cash_spin);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, fee_amount_row);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, fee_spin);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, fee_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, slippage_spin);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, size_amount_row);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, size_spin);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, size_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, benchmark_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, stop_loss_spin);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, take_profit_spin);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, sweep_group);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, rank_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, status_label);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, run_button);
  gtk_widget_class_bind_template_child (widget_class, HsBacktestSetup, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, from_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, to_day_selected_cb);

  gtk_widget_class_install_action (widget_class, "setup.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "setup.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "setup.preset", "s", preset_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "setup.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "setup.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

/* The fee and slippage models a new backtest starts from (Preferences, GSettings
 * default-fee-model and default-slippage-model). */
static void
load_default_models (HsBacktestSetup *self)
{
  g_autoptr(GSettings) settings = hs_settings_new ();
  g_autofree char *fee = NULL;
  g_autofree char *slippage = NULL;

  if (settings == NULL)
    return;
  fee = g_settings_get_string (settings, "default-fee-model");
  slippage = g_settings_get_string (settings, "default-slippage-model");
  load_model (self, fee, TRUE);
  if (g_str_has_prefix (slippage, "bps:"))
    gtk_spin_button_set_value (self->slippage_spin, g_ascii_strtod (slippage + 4, NULL));
}

static void
hs_backtest_setup_init (HsBacktestSetup *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GtkExpression) expression = NULL;
  size_t n = 0;
  const HsStrategyInfo *all = hs_strategy_all (&n);

  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  self->instruments = gtk_string_list_new (NULL);
  self->intervals = gtk_string_list_new (NULL);
  self->benchmarks = gtk_string_list_new (NULL);
  gtk_drop_down_set_expression (self->instrument_dropdown, expression);
  gtk_drop_down_set_expression (self->benchmark_dropdown, expression);
  gtk_drop_down_set_model (self->instrument_dropdown, G_LIST_MODEL (self->instruments));
  gtk_drop_down_set_model (self->interval_dropdown, G_LIST_MODEL (self->intervals));
  gtk_drop_down_set_model (self->benchmark_dropdown, G_LIST_MODEL (self->benchmarks));

  for (size_t i = 0; i < n; i++)
    g_ptr_array_add (names, (gpointer) all[i].name);
  g_ptr_array_add (names, _("Rule set (expressions)"));
  g_ptr_array_add (names, NULL);
  self->strategies = gtk_string_list_new ((const char *const *) names->pdata);
  gtk_drop_down_set_model (self->strategy_dropdown, G_LIST_MODEL (self->strategies));
  hs_drop_down_set_accessible_name (self->instrument_dropdown, _("Instrument"));
  hs_drop_down_set_accessible_name (self->interval_dropdown, _("Interval"));
  hs_drop_down_set_accessible_name (self->strategy_dropdown, _("Strategy"));
  hs_drop_down_set_accessible_name (self->side_dropdown, _("Side"));
  hs_drop_down_set_accessible_name (self->fee_dropdown, _("Fee model"));
  hs_drop_down_set_accessible_name (self->size_dropdown, _("Position sizing"));
  hs_drop_down_set_accessible_name (self->benchmark_dropdown, _("Benchmark"));
  hs_drop_down_set_accessible_name (self->rank_dropdown, _("Rank by"));
  hs_spin_button_set_accessible_name (self->cash_spin, _("Initial cash"));
  hs_spin_button_set_accessible_name (self->fee_spin, _("Fee amount"));
  hs_spin_button_set_accessible_name (self->slippage_spin, _("Slippage in basis points"));
  hs_spin_button_set_accessible_name (self->size_spin, _("Position size amount"));
  hs_spin_button_set_accessible_name (self->stop_loss_spin, _("Stop loss percent"));
  hs_spin_button_set_accessible_name (self->take_profit_spin, _("Take profit percent"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (hs_expr_editor_get_text_view (self->entry_editor)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Entry rule"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (hs_expr_editor_get_text_view (self->exit_editor)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Exit rule"), -1);

  g_signal_connect_object (self->instrument_dropdown, "notify::selected",
                           G_CALLBACK (instrument_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->interval_dropdown, "notify::selected",
                           G_CALLBACK (interval_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->strategy_dropdown, "notify::selected",
                           G_CALLBACK (strategy_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->side_dropdown, "notify::selected",
                           G_CALLBACK (form_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->rank_dropdown, "notify::selected",
                           G_CALLBACK (form_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.cancel", FALSE);

  /* Today, until a series gives its dates. */
  self->to_day = self->from_day = day_of (hs_time_now_us ());
  gtk_drop_down_set_selected (self->strategy_dropdown, 0);
  self->updating = FALSE;
  strategy_selected_cb (self);
  set_dates (self, self->from_day, self->to_day);
  load_default_models (self);
}

GtkWidget *
hs_backtest_setup_new (void)
{
  return g_object_new (HS_TYPE_BACKTEST_SETUP, NULL);
}
