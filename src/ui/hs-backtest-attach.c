/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Backtests page in the window: hs_backtest_page_attach() puts a new HsBacktestPage into
 * the window's "backtests" page (hs_window_set_page()), has it follow the window's database, and
 * gives the window the action runs.open(x): show a stored run's result on that page (the
 * Overview's latest backtests use it).
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-backtest-attach.h"

/* The window opened (or reloaded) a database: follow it. */
static void
database_loaded_cb (HsBacktestPage *self,
                    HsWindow       *window)
{
  const char *path = hs_window_get_database_path (window);

  if (g_strcmp0 (path, hs_backtest_setup_get_database_path (hs_backtest_page_get_setup (self)))
      != 0)
    hs_backtest_page_set_database_path (self, path);
  else
    hs_backtest_page_reload (self);
}

static void
database_path_cb (HsBacktestPage *self,
                  GParamSpec     *pspec,
                  HsWindow       *window)
{
  /* No database (the welcome state): nothing to read. A new one is read once loaded. */
  if (hs_window_get_database_path (window) == NULL)
    hs_backtest_page_set_database_path (self, NULL);
}

static void
open_run_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       data)
{
  HsBacktestPage *self = data;
  HsWindow *window = HS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));

  hs_backtest_results_show_run (hs_backtest_page_get_results (self),
                                g_variant_get_int64 (parameter));
  hs_backtest_page_show (self, "results");
  if (window != NULL)
    hs_window_show_page (window, "backtests");
}

/**
 * hs_backtest_page_attach:
 * @window: the application window
 *
 * Puts a new Backtests page into @window's "backtests" page and has it follow the window's
 * database: read when the window has loaded it (#HsWindow::database-loaded), emptied without one.
 *
 * Returns: (transfer none): the page
 */
HsBacktestPage *
hs_backtest_page_attach (HsWindow *window)
{
  HsBacktestPage *self = HS_BACKTEST_PAGE (hs_backtest_page_new ());
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) open = g_simple_action_new ("open", G_VARIANT_TYPE_INT64);

  g_return_val_if_fail (HS_IS_WINDOW (window), NULL);

  hs_window_set_page (window, "backtests", GTK_WIDGET (self));
  g_signal_connect_object (open, "activate", G_CALLBACK (open_run_cb), self, 0);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (open));
  gtk_widget_insert_action_group (GTK_WIDGET (window), "runs", G_ACTION_GROUP (group));
  g_signal_connect_object (window, "database-loaded", G_CALLBACK (database_loaded_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "notify::database-path", G_CALLBACK (database_path_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}
