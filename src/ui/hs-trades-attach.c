/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Trades page in the window: hs_trades_page_attach() puts a new HsTradesPage into the
 * window's "trades" page (hs_window_set_page()) and has it follow the window's database. When a
 * database is opened the page reads it and the forensic labeler runs once (start-up); the page
 * itself runs it again daily at GSettings' labeler-hour. A reload of the same database (after an
 * import) only reads the trades again.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-trades-attach.h"

static void
database_loaded_cb (HsTradesPage *self,
                    HsWindow     *window)
{
  const char *path = hs_window_get_database_path (window);

  if (g_strcmp0 (path, hs_trades_page_get_database_path (self)) != 0)
    {
      hs_trades_page_set_database_path (self, path);
      hs_trades_page_run_labeler (self);
    }
  else
    hs_trades_page_reload (self);
}

static void
database_path_cb (HsTradesPage *self,
                  GParamSpec   *pspec,
                  HsWindow     *window)
{
  /* No database (the welcome state): nothing to read. A new one is read once loaded. */
  if (hs_window_get_database_path (window) == NULL)
    hs_trades_page_set_database_path (self, NULL);
}

/**
 * hs_trades_page_attach:
 * @window: the application window
 *
 * Puts a new Trades page into @window's "trades" page and has it follow the window's database.
 *
 * Returns: (transfer none): the page
 */
HsTradesPage *
hs_trades_page_attach (HsWindow *window)
{
  HsTradesPage *self = NULL;

  g_return_val_if_fail (HS_IS_WINDOW (window), NULL);

  self = HS_TRADES_PAGE (hs_trades_page_new ());
  hs_window_set_page (window, "trades", GTK_WIDGET (self));
  g_signal_connect_object (window, "database-loaded", G_CALLBACK (database_loaded_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "notify::database-path", G_CALLBACK (database_path_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}
