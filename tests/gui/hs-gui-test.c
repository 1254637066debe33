/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers of the backtest pages' GUI tests: a database of real daily bars imported from
 * tests/data with the importer the Data page uses, main-loop waits (never sleeps), widget
 * lookups by type, text and accessible name, and PNG screenshots into $HS_SCREENSHOT_DIR.
 */
#include "config.h"

#include "hs-gui-test.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>

#include "hs-backtest-job.h"
#include "hs-bt-run.h"
#include "hs-import.h"
#include "hs-test-ui.h"
#include "hs-ui.h"

static void
import (HsStore    *store,
        const char *file,
        const char *symbol,
        const char *kind)
{
  g_autofree char *path = g_build_filename (g_getenv ("HS_TEST_DATA"), "backtrader", file, NULL);
  HsImportRequest req = { 0 };
  HsImportResult res = { 0 };
  g_autoptr(GError) error = NULL;

  req.kind = HS_IMPORT_BARS;
  req.path = path;
  req.symbol = (char *) symbol;
  req.instrument_kind = (char *) kind;
  req.interval = (char *) "1d";
  g_assert_true (hs_import_run (store, &req, NULL, NULL, NULL, &res, &error));
  g_assert_no_error (error);
  g_assert_cmpint (res.inserted, >, 0);
  hs_import_result_clear (&res);
}

/**
 * hs_gui_test_bars_db:
 * @dir: (nullable): the folder; %NULL: the test case's data folder (removed after it)
 *
 * A database in the test's data folder with the daily bars of backtrader's
 * 2005-2006-day-001.txt as BTR (512 bars, 2005-01-03 to 2006-12-29) and of orcl-2003-2005.txt as
 * ORCL (756 bars, 2003-01-02 to 2005-12-30).
 *
 * Returns: (transfer full): its path
 */
char *
hs_gui_test_bars_db (const char *dir,
                     const char *name)
{
  g_autofree char *path = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    dir = g_get_user_data_dir ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  path = g_build_filename (dir, name, NULL);
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  import (store, "2005-2006-day-001.txt", "BTR", "index");
  import (store, "orcl-2003-2005.txt", "ORCL", "stock");
  return g_steal_pointer (&path);
}

/* Removes a database file with its WAL and shared-memory files. */
void
hs_gui_test_remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

/* Spins until @window has been laid out and painted @n more times. */
void
hs_gui_test_wait_frames (GtkWidget *window,
                         int        n)
{
  hs_test_wait_for_frames (window, n);
}

void
hs_gui_test_spin_until (gboolean (*done) (gpointer data),
                        gpointer   data)
{
  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
}

/* Renders @widget as it is on screen, laid out and painted, into $HS_SCREENSHOT_DIR/@name. */
void
hs_gui_test_screenshot (GtkWidget  *widget,
                        const char *name)
{
  const char *dir = g_getenv ("HS_SCREENSHOT_DIR");

  if (dir == NULL || dir[0] == '\0')
    return;
  hs_test_wait_for_frames (GTK_WIDGET (gtk_widget_get_native (widget)), 2);
  hs_test_save_screenshot (widget, name);
}

GtkWidget *
hs_gui_test_find_type (GtkWidget *root,
                       GType      type)
{
  return hs_test_find_widget (root, type);
}

/* The first visible GtkLabel showing exactly @text. */
GtkWidget *
hs_gui_test_find_label (GtkWidget  *root,
                        const char *text)
{
  if (!gtk_widget_get_visible (root))
    return NULL;
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = hs_gui_test_find_label (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first widget of @type whose accessible label property is @label. */
GtkWidget *
hs_gui_test_find_accessible (GtkWidget  *root,
                             GType       type,
                             const char *label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      gboolean match = FALSE;

      /* No public getter in GTK 4.8: the label is read back through the property it sets. */
      if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL))
        {
          g_autofree char *text = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root),
                                                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                      label);

          match = text == NULL;
        }
      if (match)
        return root;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = hs_gui_test_find_accessible (c, type, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Returns: (transfer full) (element-type utf8): the texts of every visible label under @root */
GPtrArray *
hs_gui_test_labels (GtkWidget *root)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  hs_test_collect_labels (root, texts);
  return texts;
}

/* Returns: (transfer none): a shown window of that size holding @child */
GtkWidget *
hs_gui_test_window (GtkWidget *child,
                    int        width,
                    int        height)
{
  GtkWidget *window = adw_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  adw_window_set_content (ADW_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  hs_gui_test_wait_frames (window, 2);
  return window;
}

/* The GUI tests' set-up (hs_test_ui_init(): GTK's test accessibility backend, isolated
 * folders, the application's style, no animations). */
void
hs_gui_test_init (int    *argc,
                  char ***argv)
{
  hs_test_ui_init (argc, argv);
}

/* A result of @n trades from a fixed linear congruential sequence, no equity curve. */
static HsBtResult *
synthetic_trades (guint n)
{
  HsBtResult *r = hs_bt_result_new_empty (0);
  guint32 x = 12345;

  hs_statistics_init_undefined (&r->stats);
  for (guint i = 0; i < n; i++)
    {
      HsBtTrade t = { 0 };

      x = x * 1664525u + 1013904223u;
      t.entry_ts = (G_GINT64_CONSTANT (1704067200) + (int64_t) i * 3600) * G_USEC_PER_SEC;
      t.exit_ts = t.entry_ts + 1800 * G_USEC_PER_SEC;
      t.side = (x >> 8) % 2 ? 1 : -1;
      t.quantity = 1 + (x >> 12) % 100;
      t.entry_price = 100 + (x >> 4) % 1000 / 10.0;
      t.pnl = ((int) ((x >> 16) % 20001) - 10000) / 10.0;
      t.exit_price = t.entry_price + t.pnl / t.quantity * t.side;
      t.pnl_pct = t.pnl / (t.quantity * t.entry_price) * 100;
      t.mfe_pct = fabs (t.pnl_pct) + (x % 100) / 50.0;
      t.mae_pct = (x >> 20) % 100 / 40.0;
      t.bars_held = 1 + (x >> 24) % 30;
      t.exit_reason = HS_EXIT_SIGNAL;
      g_array_append_val (r->trades, t);
    }
  r->stats.total_trades = n;
  return r;
}

/**
 * hs_gui_test_synthetic_outcome:
 *
 * A run of @n trades from a fixed linear congruential sequence (varied sides, sizes, P&L,
 * excursions) and a three-point equity curve, as a job's outcome.
 *
 * Returns: (transfer full):
 */
HsBacktestOutcome *
hs_gui_test_synthetic_outcome (guint n)
{
  HsBacktestOutcome *outcome = g_new0 (HsBacktestOutcome, 1);
  HsBtResult *r = synthetic_trades (n);

  /* A short curve so the view has one to draw. */
  r->n = 3;
  r->ts = g_new (int64_t, 3);
  r->equity = g_new (double, 3);
  r->drawdown = g_new (double, 3);
  r->cash = g_new0 (double, 3);
  r->holdings = g_new0 (double, 3);
  for (int i = 0; i < 3; i++)
    {
      r->ts[i] = (G_GINT64_CONSTANT (1704067200) + i * 86400) * G_USEC_PER_SEC;
      r->equity[i] = 100000 + i * 10;
      r->drawdown[i] = 0;
    }
  outcome->id = 0;
  outcome->info = hs_bt_run_info_new ();
  outcome->info->strategy_name = g_strdup ("synthetic");
  outcome->info->symbol = g_strdup ("SYN");
  outcome->info->interval = g_strdup ("1h");
  outcome->info->start_ts = r->ts[0];
  outcome->info->end_ts = r->ts[2] + 1;
  outcome->info->initial_cash = 100000;
  outcome->result = r;
  return outcome;
}

