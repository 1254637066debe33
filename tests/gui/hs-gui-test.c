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
#include <locale.h>
#include <math.h>

#include "hs-backtest-job.h"
#include "hs-bt-run.h"
#include "hs-import.h"
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

static void
count_paint_cb (GdkFrameClock *clock,
                int           *count)
{
  (*count)++;
}

/* Spins until @window has been laid out and painted @n more times. */
void
hs_gui_test_wait_frames (GtkWidget *window,
                         int        n)
{
  GdkFrameClock *clock = NULL;
  int count = 0;
  gulong id;

  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint_cb), &count);
  while (count < n)
    {
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, id);
}

void
hs_gui_test_spin_until (gboolean (*done) (gpointer data),
                        gpointer   data)
{
  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
}

/* Renders @widget as it is on screen into $HS_SCREENSHOT_DIR/@name, when that is set. */
void
hs_gui_test_screenshot (GtkWidget  *widget,
                        const char *name)
{
  const char *dir = g_getenv ("HS_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL || dir[0] == '\0')
    return;
  /* Laid out and painted as it is now. */
  hs_gui_test_wait_frames (GTK_WIDGET (gtk_widget_get_native (widget)), 2);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

GtkWidget *
hs_gui_test_find_type (GtkWidget *root,
                       GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = hs_gui_test_find_type (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
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

static void
collect_labels (GtkWidget *widget,
                GPtrArray *texts)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, texts);
}

/* Returns: (transfer full) (element-type utf8): the texts of every visible label under @root */
GPtrArray *
hs_gui_test_labels (GtkWidget *root)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  collect_labels (root, texts);
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

/* G_TEST_OPTION_ISOLATE_DIRS also replaces $XDG_DATA_DIRS, where GSettings schemas (which
 * libadwaita requires), the MIME database and the icon theme live: point those back at the
 * system's folders; the user folders, where the databases go, stay isolated. */
static void
use_system_data_dirs (char **system_dirs)
{
  g_autoptr(GPtrArray) mime_dirs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) schema_dirs = g_string_new (NULL);

  for (char **dir = system_dirs; *dir != NULL; dir++)
    {
      g_autofree char *schemas = g_build_filename (*dir, "glib-2.0", "schemas", NULL);
      g_autofree char *mime = g_build_filename (*dir, "mime", NULL);

      if (g_file_test (schemas, G_FILE_TEST_IS_DIR))
        g_string_append_printf (schema_dirs, "%s%s",
                                schema_dirs->len ? G_SEARCHPATH_SEPARATOR_S : "", schemas);
      if (g_file_test (mime, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (mime_dirs, g_steal_pointer (&mime));
    }
  g_ptr_array_add (mime_dirs, NULL);
  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dirs->str, TRUE);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);
}

/**
 * hs_gui_test_init:
 *
 * gtk_test_init() with G_TEST_OPTION_ISOLATE_DIRS (GTK 4.8 passes no options to g_test_init()),
 * GTK's test accessibility backend, libadwaita, the application's style sheet and icons, and
 * no animations (a screenshot must not catch a transition halfway).
 */
void
hs_gui_test_init (int    *argc,
                  char ***argv)
{
  /* Read before GLib caches it; G_TEST_OPTION_ISOLATE_DIRS then replaces it. */
  const char *xdg_data_dirs = g_getenv ("XDG_DATA_DIRS");
  g_auto(GStrv) system_dirs = g_strsplit (xdg_data_dirs != NULL && xdg_data_dirs[0] != '\0'
                                            ? xdg_data_dirs : "/usr/local/share/:/usr/share/",
                                          G_SEARCHPATH_SEPARATOR_S, 0);
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = NULL;
  GtkIconTheme *theme = NULL;

  g_setenv ("GTK_A11Y", "test", FALSE);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");
  use_system_data_dirs (system_dirs);
  gtk_init ();
  adw_init ();
  hs_ui_init ();
  display = gdk_display_get_default ();
  theme = gtk_icon_theme_get_for_display (display);
  for (char **dir = system_dirs; *dir != NULL; dir++)
    {
      g_autofree char *icons = g_build_filename (*dir, "icons", NULL);

      if (g_file_test (icons, G_FILE_TEST_IS_DIR))
        gtk_icon_theme_add_search_path (theme, icons);
    }
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/hindsight/Hindsight/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (theme, "/io/github/hindsight/Hindsight/icons");
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
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

