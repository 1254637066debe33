/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Export page in the window: hs_export_page_attach() puts a new HsExportPage into the
 * window's "export" page (hs_window_set_page()) and has it follow the window's database.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-export-attach.h"

/* The window opened (or reloaded) a database: follow it. */
static void
database_loaded_cb (HsExportPage *self,
                    HsWindow     *window)
{
  hs_export_page_set_database_path (self, hs_window_get_database_path (window));
}

static void
database_path_cb (HsExportPage *self,
                  GParamSpec   *pspec,
                  HsWindow     *window)
{
  /* No database (the welcome state): nothing to export. A new one is read once loaded. */
  if (hs_window_get_database_path (window) == NULL)
    hs_export_page_set_database_path (self, NULL);
}

/**
 * hs_export_page_attach:
 * @window: the application window
 *
 * Puts a new Export page into @window's "export" page and has it follow the window's database:
 * read when the window has loaded it (#HsWindow::database-loaded), emptied without one.
 *
 * Returns: (transfer none): the page
 */
HsExportPage *
hs_export_page_attach (HsWindow *window)
{
  HsExportPage *self;

  g_return_val_if_fail (HS_IS_WINDOW (window), NULL);

  self = HS_EXPORT_PAGE (hs_export_page_new ());
  hs_window_set_page (window, "export", GTK_WIDGET (self));
  g_signal_connect_object (window, "database-loaded", G_CALLBACK (database_loaded_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "notify::database-path", G_CALLBACK (database_path_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}
