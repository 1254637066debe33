/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The About window (app.about): name, icon, version from config.h, credits, the licence
 * (GPL-3.0-or-later) and the links to the website and the issue tracker.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-about.h"

#include <glib/gi18n.h>

/* The application's icon when the icon theme has it (installed, or the Flatpak); else the
 * app's own symbol from the resources, so a run from the build folder shows an icon too. */
static const char *
app_icon (GtkWindow *parent)
{
  GdkDisplay *display = parent != NULL ? gtk_widget_get_display (GTK_WIDGET (parent))
                                       : gdk_display_get_default ();
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (display);

  if (gtk_icon_theme_has_icon (theme, APPLICATION_ID))
    return APPLICATION_ID;
  if (gtk_icon_theme_has_icon (theme, "io.github.hindsight"))
    return "io.github.hindsight";
  return "hs-candles-symbolic";
}

/**
 * hs_about_window_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer floating): a new About window, not shown yet
 */
GtkWidget *
hs_about_window_new (GtkWindow *parent)
{
  static const char *developers[] = { "The Hindsight developers", NULL };
  static const char *providers[] = { "Kalshi https://kalshi.com",
                                     "Coinbase https://www.coinbase.com",
                                     "Kraken https://www.kraken.com",
                                     "Tradier https://tradier.com",
                                     "Yahoo Finance https://finance.yahoo.com", NULL };
  static const char *libraries[] = { "GTK https://gtk.org",
                                     "libadwaita https://gnome.pages.gitlab.gnome.org/libadwaita/",
                                     "SQLite https://sqlite.org", "libcurl https://curl.se",
                                     "json-glib https://gitlab.gnome.org/GNOME/json-glib",
                                     "libsecret https://gitlab.gnome.org/GNOME/libsecret", NULL };
  GtkWidget *about = adw_about_window_new ();
  AdwAboutWindow *w = ADW_ABOUT_WINDOW (about);

  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (about), parent);
      gtk_window_set_modal (GTK_WINDOW (about), TRUE);
    }
  adw_about_window_set_application_name (w, _("Hindsight"));
  adw_about_window_set_application_icon (w, app_icon (parent));
  adw_about_window_set_version (w, PACKAGE_VERSION);
  adw_about_window_set_developer_name (w, _("The Hindsight developers"));
  adw_about_window_set_developers (w, developers);
  adw_about_window_set_comments (w, _("A time capsule for trading strategies: market data, "
                                      "signals, paper trades and backtests in one local file."));
  adw_about_window_set_website (w, PACKAGE_URL);
  adw_about_window_set_issue_url (w, PACKAGE_URL "/issues");
  adw_about_window_set_copyright (w, _("© 2026 The Hindsight developers"));
  adw_about_window_set_license_type (w, GTK_LICENSE_GPL_3_0);
  /* Translators: replace with your names, one per line, to be credited in About */
  adw_about_window_set_translator_credits (w, _("translator-credits"));
  adw_about_window_add_acknowledgement_section (w, _("Market data from"), providers);
  adw_about_window_add_acknowledgement_section (w, _("Built with"), libraries);
  return about;
}

/* Shows a new About window over @parent. */
void
hs_about_show (GtkWindow *parent)
{
  gtk_window_present (GTK_WINDOW (hs_about_window_new (parent)));
}
