/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's Backtests page: four views behind a view switcher — New Backtest (the setup),
 * Result (a run or a sweep), History (the stored runs) and Comparison — wired together. A
 * finished run goes to the Result view with a toast that offers to open it (the form stays
 * where it was, so the next variation is one change away); "Run again" fills the setup with a
 * run's settings; History opens, compares and deletes runs. Everything runs on workers; the
 * page only moves results between its views.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-backtest-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "hs-stat-meta.h"
#include "hs-ui.h"
#include "hs-widget-util.h"

struct _HsBacktestPage
{
  GtkWidget          parent_instance;

  AdwToastOverlay   *overlay;
  AdwViewStack      *stack;
  HsBacktestSetup   *setup;
  HsBacktestResults *results;
  HsBacktestHistory *history;
  HsBacktestCompare *compare;
  char              *last_toast;   /* (owned) (nullable) for tests */
};

G_DEFINE_FINAL_TYPE (HsBacktestPage, hs_backtest_page, GTK_TYPE_WIDGET)

static void
toast (HsBacktestPage *self,
       const char     *title,
       const char     *button,
       const char     *action)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  adw_toast_overlay_add_toast (self->overlay, hs_toast_new (title, button, action));
}

static void
setup_finished_cb (HsBacktestPage *self)
{
  g_autoptr(HsBacktestOutcome) outcome = hs_backtest_setup_steal_outcome (self->setup);
  g_autoptr(HsSweepOutcome) sweep = hs_backtest_setup_steal_sweep_outcome (self->setup);
  const char *error = hs_backtest_setup_get_error_message (self->setup);

  if (outcome != NULL)
    {
      g_autofree char *profit = hs_stat_format (hs_stat_meta_lookup ("net_profit"),
                                                outcome->result->stats.net_profit);
      g_autofree char *title = g_strdup_printf (outcome->cache_hit
                                                  ? _("Backtest answered from the cache: net "
                                                      "profit %s")
                                                  : _("Backtest finished: net profit %s"),
                                                profit);

      hs_backtest_results_show_outcome (self->results, g_steal_pointer (&outcome));
      toast (self, title, _("_Open"), "backtests.show-result");
      hs_backtest_history_reload (self->history);
    }
  else if (sweep != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Sweep finished: %u combinations"),
                                                sweep->result->trials->len);

      hs_backtest_results_show_sweep (self->results, g_steal_pointer (&sweep));
      toast (self, title, _("_Open"), "backtests.show-result");
      hs_backtest_history_reload (self->history);
    }
  else if (error != NULL)
    toast (self, error, NULL, NULL);
}

static void
rerun_cb (HsBacktestPage    *self,
          const HsBtRunInfo *info)
{
  hs_backtest_setup_load_run (self->setup, info);
  hs_backtest_page_show (self, "setup");
}

static void
open_run_cb (HsBacktestPage *self,
             int64_t         run_id)
{
  hs_backtest_results_show_run (self->results, run_id);
  hs_backtest_page_show (self, "results");
}

static void
compare_cb (HsBacktestPage *self,
            GArray         *ids)
{
  hs_backtest_compare_load (self->compare, (const int64_t *) (const void *) ids->data, ids->len);
  gtk_widget_set_visible (GTK_WIDGET (self->compare), TRUE);
  hs_backtest_page_show (self, "compare");
}

static void
deleted_cb (HsBacktestPage *self,
            const char     *error)
{
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot delete: %s"), error);

      toast (self, text, NULL, NULL);
    }
  else
    toast (self, _("Deleted"), NULL, NULL);
}

static void
show_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HsBacktestPage *self = HS_BACKTEST_PAGE (widget);

  if (g_str_equal (action_name, "backtests.show-result"))
    hs_backtest_page_show (self, "results");
  else if (g_str_equal (action_name, "backtests.new"))
    hs_backtest_page_show (self, "setup");
  else
    hs_backtest_page_show (self, "history");
}

/**
 * hs_backtest_page_set_database_path:
 * @path: (nullable): the window's database
 */
void
hs_backtest_page_set_database_path (HsBacktestPage *self,
                                    const char     *path)
{
  g_return_if_fail (HS_IS_BACKTEST_PAGE (self));

  hs_backtest_setup_set_database_path (self->setup, path);
  hs_backtest_results_set_database_path (self->results, path);
  hs_backtest_history_set_database_path (self->history, path);
  hs_backtest_compare_set_database_path (self->compare, path);
}

/* Reads the stored series and runs again (after an import, or a reload of the window). */
void
hs_backtest_page_reload (HsBacktestPage *self)
{
  g_return_if_fail (HS_IS_BACKTEST_PAGE (self));

  hs_backtest_setup_set_database_path (self->setup,
                                       hs_backtest_setup_get_database_path (self->setup));
  hs_backtest_history_reload (self->history);
}

/* @view: "setup", "results", "history" or "compare" */
void
hs_backtest_page_show (HsBacktestPage *self,
                       const char     *view)
{
  g_return_if_fail (HS_IS_BACKTEST_PAGE (self));
  adw_view_stack_set_visible_child_name (self->stack, view);
}

const char *
hs_backtest_page_get_visible (HsBacktestPage *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_PAGE (self), NULL);
  return adw_view_stack_get_visible_child_name (self->stack);
}

HsBacktestSetup *
hs_backtest_page_get_setup (HsBacktestPage *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_PAGE (self), NULL);
  return self->setup;
}

HsBacktestResults *
hs_backtest_page_get_results (HsBacktestPage *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_PAGE (self), NULL);
  return self->results;
}

HsBacktestHistory *
hs_backtest_page_get_history (HsBacktestPage *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_PAGE (self), NULL);
  return self->history;
}

HsBacktestCompare *
hs_backtest_page_get_compare (HsBacktestPage *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_PAGE (self), NULL);
  return self->compare;
}

/* Returns: (nullable): the text of the last toast the page showed */
const char *
hs_backtest_page_get_last_toast (HsBacktestPage *self)
{
  g_return_val_if_fail (HS_IS_BACKTEST_PAGE (self), NULL);
  return self->last_toast;
}

static void
hs_backtest_page_dispose (GObject *object)
{
  HsBacktestPage *self = HS_BACKTEST_PAGE (object);
  GtkWidget *child = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (hs_backtest_page_parent_class)->dispose (object);
}

static void
hs_backtest_page_finalize (GObject *object)
{
  g_clear_pointer (&HS_BACKTEST_PAGE (object)->last_toast, g_free);
  G_OBJECT_CLASS (hs_backtest_page_parent_class)->finalize (object);
}

static void
hs_backtest_page_class_init (HsBacktestPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hs_ui_init ();
  object_class->dispose = hs_backtest_page_dispose;
  object_class->finalize = hs_backtest_page_finalize;
  gtk_widget_class_install_action (widget_class, "backtests.show-result", NULL, show_action);
  gtk_widget_class_install_action (widget_class, "backtests.new", NULL, show_action);
  gtk_widget_class_install_action (widget_class, "backtests.history", NULL, show_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "backtests.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "backtests.history", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
add_view (HsBacktestPage *self,
          GtkWidget      *child,
          const char     *name,
          const char     *title,
          const char     *icon)
{
  AdwViewStackPage *page = adw_view_stack_add_titled (self->stack, child, name, title);

  adw_view_stack_page_set_icon_name (page, icon);
}

/* libadwaita 1.2's switcher buttons show their page's title but give it no accessible name:
 * each button gets its page's title, in order. */
static void
name_switcher_buttons (HsBacktestPage *self,
                       GtkWidget      *switcher)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->stack);
  guint i = 0;

  for (GtkWidget *b = gtk_widget_get_first_child (switcher); b != NULL;
       b = gtk_widget_get_next_sibling (b), i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      if (page != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        adw_view_stack_page_get_title (page), -1);
    }
}

static void
hs_backtest_page_init (HsBacktestPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *switcher = adw_view_switcher_new ();
  GtkWidget *bar = gtk_center_box_new ();

  self->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->overlay), GTK_WIDGET (self));
  adw_toast_overlay_set_child (self->overlay, box);

  self->stack = ADW_VIEW_STACK (adw_view_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  self->setup = HS_BACKTEST_SETUP (hs_backtest_setup_new ());
  self->results = HS_BACKTEST_RESULTS (hs_backtest_results_new ());
  self->history = HS_BACKTEST_HISTORY (hs_backtest_history_new ());
  self->compare = HS_BACKTEST_COMPARE (hs_backtest_compare_new ());
  add_view (self, GTK_WIDGET (self->setup), "setup", _("Setup"),
            "media-playback-start-symbolic");
  add_view (self, GTK_WIDGET (self->results), "results", _("Result"),
            "x-office-spreadsheet-symbolic");
  add_view (self, GTK_WIDGET (self->history), "history", _("History"),
            "document-open-recent-symbolic");
  add_view (self, GTK_WIDGET (self->compare), "compare", _("Compare"), "view-dual-symbolic");
  /* A wide hidden view must not hold the window wide. */
  adw_view_stack_set_hhomogeneous (self->stack, FALSE);

  adw_view_switcher_set_stack (ADW_VIEW_SWITCHER (switcher), self->stack);
  adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (switcher), ADW_VIEW_SWITCHER_POLICY_NARROW);
  gtk_accessible_update_property (GTK_ACCESSIBLE (switcher), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Backtest views"), -1);
  name_switcher_buttons (self, switcher);
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (bar), switcher);
  gtk_widget_add_css_class (bar, "toolbar");
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  g_signal_connect_object (self->setup, "finished", G_CALLBACK (setup_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->results, "rerun", G_CALLBACK (rerun_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "rerun", G_CALLBACK (rerun_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "open-run", G_CALLBACK (open_run_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "compare", G_CALLBACK (compare_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "deleted", G_CALLBACK (deleted_cb), self,
                           G_CONNECT_SWAPPED);
  adw_view_stack_set_visible_child_name (self->stack, "setup");
}

GtkWidget *
hs_backtest_page_new (void)
{
  return g_object_new (HS_TYPE_BACKTEST_PAGE, NULL);
}
