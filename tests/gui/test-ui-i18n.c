/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window in German (issue 9 item 3, docs/i18n.md): with LC_ALL=de_DE.UTF-8 (compiled into
 * the build tree, $LOCPATH) and the catalogue built from po/de.po (<build>/po, bound here as
 * main() binds LOCALEDIR), the sidebar, menus and Overview read German, prices have a decimal
 * comma and '.' thousands, and dates are the locale's (04.03.2024). The formatting functions
 * are checked in both locales with numbers written out by hand. The screenshot is
 * <build>/screenshots/i18n-de-overview.png, -data.png and -backtests.png. Runs under Xvfb: `xvfb-run -a meson test --suite i18n`.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "hs-coverage-item.h"
#include "hs-locale-format.h"
#include "hs-overview-page.h"
#include "hs-paper.h"
#include "hs-stat-meta.h"
#include "hs-test-db.h"
#include "hs-test-ui.h"
#include "hs-window-private.h"

#define DE "de_DE.UTF-8"
#define MINUTE_US ((int64_t) 60 * G_USEC_PER_SEC)

static void
use_locale (const char *name)
{
  if (setlocale (LC_ALL, name) == NULL)
    g_error ("cannot set the locale %s (LOCPATH=%s)", name, g_getenv ("LOCPATH"));
}

/* AAPL: three 1-minute bars 14:30 … 14:32 on 2024-03-04 closing 1,233.5, 1,234.5, 1,235.5; one
 * open long paper trade of 10 at 1,200.25 with a fee of 1, opened at 14:30:30. */
static char *
create_db (void)
{
  g_autofree char *path = hs_test_temp_path ("german.db");
  g_autoptr(HsStore) store = hs_test_store_open (path);
  int64_t aapl = hs_test_store_instrument (store, "AAPL", "NASDAQ", "stock");
  g_autoptr(GError) error = NULL;
  HsPaperOpenRequest req = { .symbol = (char *) "AAPL", .side = HS_PAPER_LONG, .quantity = 10,
                             .price = 1200.25, .stop_loss = NAN, .take_profit = NAN,
                             .fees = 1 };
  g_autoptr(HsPaperTrade) trade = NULL;

  for (int m = 0; m < 3; m++)
    hs_test_store_add_bar (store, aapl, "1m", hs_test_utc (2024, 3, 4, 14, 30) + m * MINUTE_US,
                           1233.5 + m);
  req.at = hs_test_utc (2024, 3, 4, 14, 30) + 30 * G_USEC_PER_SEC;
  trade = hs_paper_open (store, &req, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static GPtrArray *
row_texts (GtkListBox *list)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GtkListBoxRow *row = NULL;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

      hs_test_collect_labels (GTK_WIDGET (row), texts);
      g_ptr_array_add (texts, NULL);
      g_ptr_array_add (out, g_strjoinv (" | ", (char **) texts->pdata));
    }
  return out;
}

static void
assert_has (const char *text,
            const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” does not contain “%s”", text, part);
}

/* The formatting functions in German and in C; every expected text written out by hand. */
static void
test_format_functions (void)
{
  const HsStatMeta *money = hs_stat_meta_lookup ("net_profit_currency");
  const HsStatMeta *fraction = hs_stat_meta_lookup ("total_return");
  const HsStatMeta *days = hs_stat_meta_lookup ("drawdown_recovery");

  use_locale (DE);
  {
    g_autofree char *a = hs_ui_format_decimal (1234567.891, 2);
    g_autofree char *b = hs_ui_format_decimal (-0.5, 1);
    g_autofree char *c = hs_ui_format_date (hs_test_utc (2024, 3, 4, 23, 59));
    g_autofree char *d = hs_coverage_format_time (hs_test_utc (2024, 3, 4, 14, 30), "candles", "1m");
    g_autofree char *e = hs_stat_format (money, 101831.37);
    g_autofree char *f = hs_stat_format (fraction, -0.1234);
    g_autofree char *g = hs_stat_format (days, 3);
    g_autofree char *h = hs_overview_format_money (-1234.5);

    g_assert_cmpstr (a, ==, "1.234.567,89");
    g_assert_cmpstr (b, ==, "−0,5");
    g_assert_cmpstr (c, ==, "04.03.2024");          /* German %x: DD.MM.YYYY */
    g_assert_cmpstr (d, ==, "04.03.2024 14:30");
    g_assert_cmpstr (e, ==, "101.831,37");
    g_assert_cmpstr (f, ==, "−12,34 %");
    g_assert_cmpstr (g, ==, "3 Tage");
    g_assert_cmpstr (h, ==, "−1.234,50");
  }
  use_locale ("C");
  {
    g_autofree char *a = hs_ui_format_decimal (1234567.891, 2);
    g_autofree char *c = hs_ui_format_date (hs_test_utc (2024, 3, 4, 23, 59));
    g_autofree char *d = hs_coverage_format_time (hs_test_utc (2024, 3, 4, 14, 30), "candles", "1m");
    g_autofree char *e = hs_stat_format (money, 101831.37);
    g_autofree char *g = hs_stat_format (days, 1);

    g_assert_cmpstr (a, ==, "1234567.89");          /* the C locale groups nothing */
    g_assert_cmpstr (c, ==, "2024-03-04");          /* and keeps ISO 8601 dates */
    g_assert_cmpstr (d, ==, "2024-03-04 14:30");
    g_assert_cmpstr (e, ==, "101,831.37");
    g_assert_cmpstr (g, ==, "1 day");
  }
  use_locale (DE);
}

/* The window in German: labels read back from the widgets, and the Overview's numbers. */
static void
test_window_german (void)
{
  g_autofree char *path = create_db ();
  HsWindow *window = NULL;
  HsOverviewPage *overview = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) positions = NULL;
  g_autoptr(GPtrArray) coverage = NULL;
  g_autoptr(GPtrArray) sidebar = NULL;

  use_locale (DE);
  /* The catalogue is German, not the source text: */
  g_assert_cmpstr (_("Overview"), ==, "Übersicht");

  window = hs_test_open_window (path);
  overview = hs_window_get_overview_page (window);
  while (hs_overview_page_get_loading (overview))
    g_main_context_iteration (NULL, TRUE);
  hs_test_wait_for_frames (GTK_WIDGET (window), 3);
  hs_test_save_screenshot (GTK_WIDGET (window), "i18n-de-overview.png");

  /* The sidebar's page titles (from ui/hs-window.ui, translatable="yes"). */
  sidebar = row_texts (hs_window_get_sidebar (window));
  g_assert_cmpuint (sidebar->len, >=, 5);
  assert_has (sidebar->pdata[0], "Übersicht");
  assert_has (sidebar->pdata[1], "Daten");
  assert_has (sidebar->pdata[2], "Backtests");
  for (guint i = 0; i < sidebar->len; i++)
    g_assert_null (strstr (sidebar->pdata[i], "Overview"));

  /* The Overview's group titles. */
  hs_test_collect_labels (GTK_WIDGET (overview), labels);
  g_assert_true (hs_test_texts_contain (labels, "Marktdaten"));
  g_assert_true (hs_test_texts_contain (labels, "Offene Paper-Trades"));
  g_assert_false (hs_test_texts_contain (labels, "Open Paper Trades"));

  /* The open trade: 10 at 1,200.25, last close 1,235.50, the bar ending 14:33; P&L (1235.5 − 1200.25) × 10
   * − 1 = 351.50, +2.93 % of the entry value 12,002.50 (351.5 / 12002.5 = 0.029286). */
  positions = row_texts (hs_overview_page_get_list (overview, "positions"));
  g_assert_cmpuint (positions->len, ==, 1);
  assert_has (positions->pdata[0], "@ 1.200,25");
  assert_has (positions->pdata[0], "zuletzt 1.235,50 am 04.03.2024 14:33");
  assert_has (positions->pdata[0], "+351,50");

  /* The coverage row: German dates and plural. */
  coverage = row_texts (hs_overview_page_get_list (overview, "coverage"));
  g_assert_cmpuint (coverage->len, ==, 1);
  assert_has (coverage->pdata[0], "04.03.2024 14:30 → 04.03.2024 14:32 · 3 Kerzen");

  /* The Data and Backtests pages, for a reviewer to read (screenshots), and a label of each. */
  {
    const struct { const char *page, *shot, *label; } pages[] = {
      { "data", "i18n-de-data.png", "Marktdaten" },
      { "backtests", "i18n-de-backtests.png", "Vorlagen" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS (pages); i++)
      {
        g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

        hs_window_show_page (window, pages[i].page);
        hs_test_wait_for_frames (GTK_WIDGET (window), 5);
        hs_test_save_screenshot (GTK_WIDGET (window), pages[i].shot);
        hs_test_collect_labels (hs_window_get_page (window, pages[i].page), texts);
        if (!hs_test_texts_contain (texts, pages[i].label))
          g_error ("the %s page has no label “%s”", pages[i].page, pages[i].label);
      }
  }

  hs_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  hs_test_ui_init (&argc, &argv);
  /* As main() does, with the catalogue of the build tree. */
  bindtextdomain (GETTEXT_PACKAGE, HS_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("LANGUAGE", "de", TRUE);
  use_locale (DE);

  g_test_add_func ("/ui-i18n/format-functions", test_format_functions);
  g_test_add_func ("/ui-i18n/window-german", test_window_german);
  return g_test_run ();
}
