/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backtest setup (src/ui/hs-backtest-setup.c, hs-param-form.c, hs-expr-editor.c) built in
 * a window under Xvfb on a database of real daily bars (tests/gui/hs-gui-test.c: BTR
 * 2005-01-03 … 2006-12-29, ORCL 2003-01-02 … 2005-12-30). What is checked:
 *   - for every built-in strategy the generated form has one control per spec entry, with the
 *     spec's minimum, maximum, step and default (numbers) or its choices (enumerations), and
 *     the spec's help as tooltip;
 *   - the data choices: the stored symbols, the intervals stored for each, the presets' dates
 *     counted on a calendar by hand;
 *   - invalid setups cannot run and say why: the end before the start, a period without bars,
 *     a fast average not shorter than the slow one, an expression with an unknown function
 *     (underlined where it starts, at the byte offset counted by hand);
 *   - a sweep shows its number of combinations before it starts, the ones the strategy refuses
 *     left out (counted by hand);
 *   - completion of function names in the expression editor;
 *   - a run and a sweep complete through the form's own code path, with progress shown, and
 *     a cancelled sweep says so.
 * Screenshots: backtest-setup-*.png in $HS_SCREENSHOT_DIR.
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "hs-backtest-setup.h"
#include "hs-expr-editor.h"
#include "hs-gui-test.h"
#include "hs-param-form.h"
#include "hs-ui.h"

typedef struct
{
  char            *db_path;
  GtkWidget       *window;
  HsBacktestSetup *setup;
} Fixture;

static gboolean
loaded (gpointer data)
{
  return !hs_backtest_setup_get_loading (data);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->db_path = hs_gui_test_bars_db (NULL, "setup.db");
  f->setup = HS_BACKTEST_SETUP (hs_backtest_setup_new ());
  f->window = hs_gui_test_window (GTK_WIDGET (f->setup), 900, 1100);
  hs_backtest_setup_set_database_path (f->setup, f->db_path);
  hs_gui_test_spin_until (loaded, f->setup);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (f->setup), (gpointer *) &f->setup);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (f->setup != NULL)
    g_main_context_iteration (NULL, FALSE);
  g_free (f->db_path);
}

static void
test_param_forms (Fixture       *f,
                  gconstpointer  data)
{
  HsParamForm *form = hs_backtest_setup_get_param_form (f->setup);
  size_t n = 0;
  const HsStrategyInfo *all = hs_strategy_all (&n);

  g_assert_cmpuint (n, >=, 5);
  for (size_t s = 0; s < n; s++)
    {
      g_assert_true (hs_backtest_setup_select_strategy (f->setup, all[s].name));
      g_assert_true (hs_param_form_get_strategy (form) == &all[s]);
      g_assert_cmpuint (hs_param_form_get_n_controls (form), ==, all[s].n_params);
      for (size_t p = 0; p < all[s].n_params; p++)
        {
          const HsParamSpec *spec = &all[s].params[p];
          GtkWidget *control = hs_param_form_get_control (form, spec->name);
          const char *tooltip = NULL;

          g_assert_nonnull (control);
          tooltip = gtk_widget_get_tooltip_text (control);
          g_assert_nonnull (tooltip);
          g_assert_nonnull (strstr (tooltip, spec->help));
          if (spec->type == HS_PARAM_INT || spec->type == HS_PARAM_DOUBLE)
            {
              GtkAdjustment *adj = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (control));

              g_assert_true (GTK_IS_SPIN_BUTTON (control));
              g_assert_cmpfloat (gtk_adjustment_get_lower (adj), ==, spec->min);
              g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, spec->max);
              g_assert_cmpfloat (gtk_adjustment_get_step_increment (adj), ==, spec->step);
              g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (control)),
                                              spec->def, 1e-12);
              g_assert_nonnull (hs_param_form_get_range_toggle (form, spec->name));
            }
          else if (spec->type == HS_PARAM_ENUM)
            {
              GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (control));
              guint sel = gtk_drop_down_get_selected (GTK_DROP_DOWN (control));
              g_autoptr(GtkStringObject) item = g_list_model_get_item (model, sel);

              g_assert_cmpuint (g_list_model_get_n_items (model), ==,
                                g_strv_length ((char **) spec->choices));
              g_assert_cmpstr (gtk_string_object_get_string (item), ==, spec->def_text);
            }
          else
            {
              /* An interval: the bars' own first (the default ""), then the names. */
              g_assert_true (GTK_IS_DROP_DOWN (control));
              g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (control)), ==, 0);
            }
        }
      if (g_str_equal (all[s].name, "sma_cross"))
        hs_gui_test_screenshot (f->window, "backtest-setup-sma-cross.png");
    }
  /* A single run's parameters as hindsight-cli takes them. */
  g_assert_true (hs_backtest_setup_select_strategy (f->setup, "bollinger_breakout"));
  g_assert_true (hs_param_form_set_value (form, "k", "2.5"));
  {
    g_auto(GStrv) params = hs_param_form_dup_params (form);

    g_assert_cmpstr (params[0], ==, "period=20");
    g_assert_cmpstr (params[1], ==, "k=2.5");
    g_assert_cmpstr (params[2], ==, "direction=long_only");
    g_assert_null (params[3]);
  }
  g_assert_false (hs_param_form_set_value (form, "k", "11"));   /* above the maximum 10 */
  g_assert_false (hs_param_form_set_value (form, "nope", "1"));
}

static void
test_data_choices (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *period = NULL;

  /* The symbols are sorted: BTR first, and its only interval 1d. */
  period = hs_backtest_setup_dup_period_text (f->setup);
  g_assert_cmpstr (period, ==, "2005-01-03 – 2006-12-29");
  g_assert_true (hs_backtest_setup_select_instrument (f->setup, "ORCL"));
  g_clear_pointer (&period, g_free);
  period = hs_backtest_setup_dup_period_text (f->setup);
  g_assert_cmpstr (period, ==, "2003-01-02 – 2005-12-30");
  g_assert_false (hs_backtest_setup_select_instrument (f->setup, "MSFT"));
  g_assert_false (hs_backtest_setup_select_interval (f->setup, "1m"));

  /* Presets end on the last bar's day (2005-12-30): a month before is 2005-11-30, three
   * months 2005-09-30, a year 2004-12-30. */
  g_assert_true (hs_backtest_setup_apply_preset (f->setup, "1M"));
  g_clear_pointer (&period, g_free);
  period = hs_backtest_setup_dup_period_text (f->setup);
  g_assert_cmpstr (period, ==, "2005-11-30 – 2005-12-30");
  g_assert_true (hs_backtest_setup_apply_preset (f->setup, "3M"));
  g_clear_pointer (&period, g_free);
  period = hs_backtest_setup_dup_period_text (f->setup);
  g_assert_cmpstr (period, ==, "2005-09-30 – 2005-12-30");
  g_assert_true (hs_backtest_setup_apply_preset (f->setup, "1Y"));
  g_clear_pointer (&period, g_free);
  period = hs_backtest_setup_dup_period_text (f->setup);
  g_assert_cmpstr (period, ==, "2004-12-30 – 2005-12-30");
  g_assert_true (hs_backtest_setup_get_can_run (f->setup));
  g_assert_null (hs_backtest_setup_get_problem (f->setup));
  g_assert_true (g_str_has_prefix (hs_backtest_setup_get_status_text (f->setup),
                                   "Ready: sma_cross on ORCL 1d"));
}

static void
assert_cannot_run (Fixture    *f,
                   const char *reason)
{
  const char *problem = hs_backtest_setup_get_problem (f->setup);

  g_assert_false (hs_backtest_setup_get_can_run (f->setup));
  g_assert_nonnull (problem);
  if (strstr (problem, reason) == NULL)
    g_error ("“%s” does not say “%s”", problem, reason);
  /* The reason is what the action bar shows, and Run is off. */
  g_assert_cmpstr (hs_backtest_setup_get_status_text (f->setup), ==, problem);
  hs_gui_test_wait_frames (f->window, 1);
  g_assert_false (gtk_widget_is_sensitive (hs_backtest_setup_get_run_button (f->setup)));
}

static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  HsParamForm *form = hs_backtest_setup_get_param_form (f->setup);
  HsExprEditor *entry = NULL;
  int start = -1, end = -1;

  g_assert_true (hs_backtest_setup_get_can_run (f->setup));
  g_assert_true (gtk_widget_is_sensitive (hs_backtest_setup_get_run_button (f->setup)));

  /* The end before the start. */
  g_assert_true (hs_backtest_setup_set_period (f->setup, "2006-06-01", "2006-01-31"));
  assert_cannot_run (f, "The end (2006-01-31) is before the start (2006-06-01)");
  hs_gui_test_screenshot (f->window, "backtest-setup-invalid.png");

  /* A period without bars: BTR ends 2006-12-29. */
  g_assert_true (hs_backtest_setup_set_period (f->setup, "2007-01-01", "2007-06-30"));
  assert_cannot_run (f, "No BTR 1d bars in that period: they run from 2005-01-03 to 2006-12-29");

  /* fast not below slow: the strategy's own check. */
  g_assert_true (hs_backtest_setup_apply_preset (f->setup, "all"));
  g_assert_true (hs_backtest_setup_get_can_run (f->setup));
  g_assert_true (hs_param_form_set_value (form, "fast", "40"));
  assert_cannot_run (f, "fast");
  g_assert_true (hs_param_form_set_value (form, "fast", "10"));
  g_assert_true (hs_backtest_setup_get_can_run (f->setup));

  /* A rule set with an unknown function: "smaa" starts at byte 30 of
   * "crosses_above(sma(close, 10), smaa(close, 30))" (14 + 16 characters before it). */
  hs_backtest_setup_select_rule_set (f->setup);
  hs_backtest_setup_set_rules (f->setup, "crosses_above(sma(close, 10), smaa(close, 30))",
                               "close < sma(close, 30)");
  assert_cannot_run (f, "The entry rule: column 31:");
  entry = HS_EXPR_EDITOR (hs_gui_test_find_type (GTK_WIDGET (f->setup), HS_TYPE_EXPR_EDITOR));
  g_assert_false (hs_expr_editor_get_valid (entry));
  g_assert_true (hs_expr_editor_get_error_range (entry, &start, &end));
  g_assert_cmpint (start, ==, 30);
  g_assert_cmpint (end, ==, 34);   /* "smaa" */
  hs_gui_test_screenshot (f->window, "backtest-setup-rule-error.png");

  /* A multi-byte character before the error: the underline counts characters. "é" is two
   * bytes, so "x" of "close > é" … the error is at byte 9, character 8. */
  hs_backtest_setup_set_rules (f->setup, "close > é", "close < 1");
  g_assert_true (hs_expr_editor_get_error_range (entry, &start, &end));
  g_assert_cmpint (start, ==, 8);

  hs_backtest_setup_set_rules (f->setup, "crosses_above(sma(close, 10), sma(close, 30))",
                               "crosses_below(sma(close, 10), sma(close, 30))");
  g_assert_true (hs_expr_editor_get_valid (entry));
  g_assert_false (hs_expr_editor_get_error_range (entry, &start, &end));
  g_assert_true (hs_backtest_setup_get_can_run (f->setup));
}

static void
test_sweep_count (Fixture       *f,
                  gconstpointer  data)
{
  HsParamForm *form = hs_backtest_setup_get_param_form (f->setup);

  g_assert_false (hs_backtest_setup_get_sweep (f->setup));
  /* fast 5, 10, 15 × slow 20, 30, 40: 9, all with fast < slow. */
  g_assert_true (hs_param_form_set_range (form, "fast", 5, 15, 5));
  g_assert_true (hs_param_form_set_range (form, "slow", 20, 40, 10));
  g_assert_true (hs_backtest_setup_get_sweep (f->setup));
  g_assert_cmpfloat (hs_backtest_setup_get_combinations (f->setup), ==, 9);
  g_assert_cmpstr (hs_backtest_setup_get_status_text (f->setup), ==,
                   "Sweep: 9 combinations, ranked by sharpe_ratio");
  {
    g_auto(GStrv) params = hs_param_form_dup_params (form);

    g_assert_cmpstr (params[0], ==, "fast=5:15:5");
    g_assert_cmpstr (params[1], ==, "slow=20:40:10");
  }
  hs_gui_test_screenshot (f->window, "backtest-setup-sweep.png");

  /* fast 10, 20, 30 × slow 20, 30, 40: the pairs with fast < slow are (10,20) (10,30)
   * (10,40) (20,30) (20,40) (30,40): 6 of 9. */
  g_assert_true (hs_param_form_set_range (form, "fast", 10, 30, 10));
  g_assert_cmpfloat (hs_backtest_setup_get_combinations (f->setup), ==, 6);
  g_assert_true (hs_backtest_setup_get_can_run (f->setup));

  /* fast 50, 60 against slow ≤ 40: all refused. */
  g_assert_true (hs_param_form_set_range (form, "fast", 50, 60, 10));
  assert_cannot_run (f, "The strategy refuses every combination of the grid (sma_cross: fast (50) must be less than slow");

  /* A range that ends below its start. */
  g_assert_true (hs_param_form_set_range (form, "fast", 30, 10, 5));
  assert_cannot_run (f, "The range of fast ends below its start");

  hs_param_form_set_range_enabled (form, "fast", FALSE);
  hs_param_form_set_range_enabled (form, "slow", FALSE);
  g_assert_false (hs_backtest_setup_get_sweep (f->setup));
  g_assert_true (hs_backtest_setup_get_can_run (f->setup));
}

static void
test_completion (Fixture       *f,
                 gconstpointer  data)
{
  HsExprEditor *entry = NULL;
  g_auto(GStrv) completions = NULL;
  g_autofree char *text = NULL;
  gboolean found_above = FALSE, found_below = FALSE;
  const char *const *names = hs_expr_function_names ();

  /* The function list parses into names like sma and crosses_above. */
  g_assert_true (g_strv_contains (names, "sma"));
  g_assert_true (g_strv_contains (names, "crosses_above"));

  hs_backtest_setup_select_rule_set (f->setup);
  entry = HS_EXPR_EDITOR (hs_gui_test_find_type (GTK_WIDGET (f->setup), HS_TYPE_EXPR_EDITOR));
  gtk_widget_grab_focus (GTK_WIDGET (hs_expr_editor_get_text_view (entry)));
  hs_gui_test_wait_frames (f->window, 1);
  hs_expr_editor_set_text (entry, "cross");
  completions = hs_expr_editor_dup_completions (entry);
  for (size_t i = 0; completions[i] != NULL; i++)
    {
      g_assert_true (g_str_has_prefix (completions[i], "cross"));
      found_above |= g_str_equal (completions[i], "crosses_above");
      found_below |= g_str_equal (completions[i], "crosses_below");
    }
  g_assert_true (found_above && found_below);
  for (guint i = 0; completions[i] != NULL; i++)
    if (g_str_equal (completions[i], "crosses_above"))
      g_assert_true (hs_expr_editor_complete (entry, i));
  text = hs_expr_editor_dup_text (entry);
  g_assert_cmpstr (text, ==, "crosses_above(");
  g_clear_pointer (&completions, g_strfreev);
  completions = hs_expr_editor_dup_completions (entry);
  g_assert_null (completions[0]);

  /* The popover as a person sees it while typing. */
  hs_expr_editor_set_text (entry, "crosses_above(sma(close, 10), e");
  hs_gui_test_screenshot (f->window, "backtest-setup-completion.png");
}

static void
finished_cb (HsBacktestSetup *setup,
             int             *count)
{
  (*count)++;
}

static gboolean
count_reached (gpointer data)
{
  return *(int *) data > 0;
}

static void
test_run (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(HsBacktestOutcome) outcome = NULL;
  g_autoptr(HsSweepOutcome) sweep = NULL;
  HsParamForm *form = hs_backtest_setup_get_param_form (f->setup);
  int finished = 0;

  g_signal_connect (f->setup, "finished", G_CALLBACK (finished_cb), &finished);
  hs_backtest_setup_run (f->setup);
  g_assert_true (hs_backtest_setup_get_running (f->setup));
  g_assert_false (hs_backtest_setup_get_can_run (f->setup));
  hs_gui_test_spin_until (count_reached, &finished);
  g_assert_false (hs_backtest_setup_get_running (f->setup));
  g_assert_null (hs_backtest_setup_get_error_message (f->setup));
  outcome = hs_backtest_setup_steal_outcome (f->setup);
  g_assert_nonnull (outcome);
  g_assert_cmpstr (outcome->info->strategy_name, ==, "sma_cross");
  g_assert_cmpstr (outcome->info->symbol, ==, "BTR");
  g_assert_cmpuint (outcome->result->n, ==, 512);   /* every stored BTR bar */
  g_assert_true (g_str_has_prefix (hs_backtest_setup_get_status_text (f->setup), "Finished in"));
  g_assert_null (hs_backtest_setup_steal_outcome (f->setup));

  /* A sweep of 9 through the form, with progress. */
  finished = 0;
  g_assert_true (hs_param_form_set_range (form, "fast", 5, 15, 5));
  g_assert_true (hs_param_form_set_range (form, "slow", 20, 40, 10));
  hs_backtest_setup_run (f->setup);
  hs_gui_test_spin_until (count_reached, &finished);
  sweep = hs_backtest_setup_steal_sweep_outcome (f->setup);
  g_assert_nonnull (sweep);
  g_assert_cmpuint (sweep->result->trials->len, ==, 9);
  g_assert_cmpfloat (hs_backtest_setup_get_progress (f->setup), ==, 1);

  /* A cancelled sweep stores nothing and says so. */
  finished = 0;
  hs_backtest_setup_run (f->setup);
  hs_backtest_setup_cancel (f->setup);
  hs_gui_test_spin_until (count_reached, &finished);
  g_assert_null (hs_backtest_setup_steal_sweep_outcome (f->setup));
  g_assert_cmpstr (hs_backtest_setup_get_status_text (f->setup), ==, "Cancelled");
  g_assert_true (hs_backtest_setup_get_can_run (f->setup));
}

static void
test_new_destroy (void)
{
  GtkWidget *setup = hs_backtest_setup_new ();

  g_object_ref_sink (setup);
  g_assert_false (hs_backtest_setup_get_can_run (HS_BACKTEST_SETUP (setup)));
  g_assert_cmpstr (hs_backtest_setup_get_problem (HS_BACKTEST_SETUP (setup)), ==,
                   "Open a database first");
  g_assert_finalize_object (setup);
}

int
main (int    argc,
      char **argv)
{
  hs_gui_test_init (&argc, &argv);

  g_test_add_func ("/hs/ui/backtest-setup/new-destroy", test_new_destroy);
#define ADD(path, func) \
  g_test_add ("/hs/ui/backtest-setup/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("param-forms", test_param_forms);
  ADD ("data-choices", test_data_choices);
  ADD ("invalid", test_invalid);
  ADD ("sweep-count", test_sweep_count);
  ADD ("completion", test_completion);
  ADD ("run", test_run);
#undef ADD
  return g_test_run ();
}
