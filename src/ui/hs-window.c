/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window (docs/ui.md): a sidebar of pages — Overview, Data, Backtests, Trades, Export —
 * beside the page area, in a leaflet that folds into one pane on narrow windows (down to
 * 360 px), with a back button to the page list. The header names the database file (and its
 * folder). Before the pages show, the window opens the database with the coverage job on a
 * worker (a spinner meanwhile), or says why it cannot (an error page), or, with no database at
 * all, offers to create or open one. Backtests, Trades and Export are placeholders that later
 * parts fill with hs_window_set_page(). Size, maximized state, the last page, the last database
 * and the recent ones are kept in GSettings. Files dropped on the window are imported on the
 * Data page. The window only starts jobs and shows their results.
 */
#define G_LOG_DOMAIN "hs-window"

#include "config.h"

#include "hs-window.h"
#include "hs-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hs-application.h"
#include "hs-backtest-attach.h"
#include "hs-export-attach.h"
#include "hs-watch-panel.h"
#include "hs-notify.h"
#include "hs-recovery.h"
#include "hs-trades-attach.h"
#include "hs-chart-candles.h"
#include "hs-chart-widget.h"
#include "hs-coverage-page.h"
#include "hs-data-page.h"
#include "hs-import-job.h"
#include "hs-job-coverage.h"
#include "hs-overview-page.h"
#include "hs-settings.h"
#include "hs-ui.h"

struct _HsWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkStack             *main_stack;
  GtkStack             *page_stack;
  GtkWidget            *search_button;
  GtkWidget            *import_button;
  AdwStatusPage        *error_page;
  GtkLabel             *default_path_label;
  HsOverviewPage       *overview_page;
  HsDataPage           *data_page;
  AdwBin               *backtests_slot;
  AdwBin               *trades_slot;
  AdwBin               *export_slot;
  GMenu                *recent_menu;

  GSettings            *settings;         /* (owned) (nullable) when the schema is missing */
  char                 *database_path;    /* (owned) (nullable) */
  GCancellable         *cancellable;      /* (owned) (nullable) the running or last load */
  char                 *error_message;    /* (owned) (nullable) */
  GtkNativeDialog      *file_chooser;     /* (owned) (nullable) */
  gboolean              loading;
  gboolean              constructed;
};

G_DEFINE_FINAL_TYPE (HsWindow, hs_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_DATABASE_PATH,
  PROP_LOADING,
  PROP_VISIBLE_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_DATABASE_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The pages, in sidebar order; Ctrl+1 … Ctrl+5 follow it (hs-application.c). */
static const char *const page_names[] = { "overview", "data", "backtests", "trades", "export",
                                          NULL };

/* ------------------------------------------------------------------------------------------ */
/* What shows                                                                                  */

static void
update_actions (HsWindow *self)
{
  const char *view = gtk_stack_get_visible_child_name (self->main_stack);
  const char *page = gtk_stack_get_visible_child_name (self->page_stack);
  gboolean pages = g_strcmp0 (view, "pages") == 0;
  gboolean data = pages && g_strcmp0 (page, "data") == 0;
  g_autofree char *demo = hs_import_demo_dir ();

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.reload",
                                 self->database_path != NULL && !self->loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.import", pages);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.load-demo", pages && demo != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.search", data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.show-data-sources", pages);
  gtk_widget_set_visible (self->search_button, data);
  gtk_widget_set_visible (self->import_button, pages);

  {
    HsCoveragePage *coverage = hs_data_page_get_coverage_page (self->data_page);

    hs_coverage_page_set_key_capture_widget (coverage, data ? GTK_WIDGET (self) : NULL);
    if (!data)
      hs_coverage_page_set_search_mode_enabled (coverage, FALSE);
  }
}

static void
show_view (HsWindow   *self,
           const char *name)
{
  gtk_stack_set_visible_child_name (self->main_stack, name);
  update_actions (self);
}

static void
set_loading (HsWindow *self,
             gboolean  loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
is_page_name (const char *name)
{
  return name != NULL && g_strv_contains (page_names, name);
}

static void
select_sidebar_row (HsWindow   *self,
                    const char *name)
{
  for (int i = 0; page_names[i] != NULL; i++)
    if (g_str_equal (page_names[i], name))
      gtk_list_box_select_row (self->sidebar_list,
                               gtk_list_box_get_row_at_index (self->sidebar_list, i));
}

/**
 * hs_window_show_page:
 * @name: "overview", "data", "backtests", "trades" or "export"
 *
 * Shows a page (and, in a folded window, the page rather than the page list); remembered as
 * the last page.
 */
void
hs_window_show_page (HsWindow   *self,
                     const char *name)
{
  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (is_page_name (name));

  adw_leaflet_set_visible_child_name (self->leaflet, "content");
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->page_stack), name) == 0)
    return;
  gtk_stack_set_visible_child_name (self->page_stack, name);
  select_sidebar_row (self, name);
  update_actions (self);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-page", name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE]);
}

/* Returns: the page showing (or that shows once a database is open) */
const char *
hs_window_get_visible_page (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->page_stack);
}

static AdwBin *
page_slot (HsWindow   *self,
           const char *name)
{
  if (g_strcmp0 (name, "backtests") == 0)
    return self->backtests_slot;
  if (g_strcmp0 (name, "trades") == 0)
    return self->trades_slot;
  if (g_strcmp0 (name, "export") == 0)
    return self->export_slot;
  return NULL;
}

/**
 * hs_window_set_page:
 * @name: "backtests", "trades" or "export": a page that shows a placeholder until set
 * @widget: (transfer floating): the page's content, in place of the placeholder
 *
 * How a later part of the GUI fills its page. The widget follows the window's database through
 * #HsWindow:database-path and #HsWindow::database-loaded.
 */
void
hs_window_set_page (HsWindow   *self,
                    const char *name,
                    GtkWidget  *widget)
{
  AdwBin *slot = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));
  slot = page_slot (self, name);
  g_return_if_fail (slot != NULL);

  adw_bin_set_child (slot, widget);
}

/* Returns: (transfer none): the widget a page shows: the Overview and Data pages, or the
 *   content of a placeholder page (its placeholder until hs_window_set_page()) */
GtkWidget *
hs_window_get_page (HsWindow   *self,
                    const char *name)
{
  AdwBin *slot = NULL;

  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (is_page_name (name), NULL);

  if (g_str_equal (name, "overview"))
    return GTK_WIDGET (self->overview_page);
  if (g_str_equal (name, "data"))
    return GTK_WIDGET (self->data_page);
  slot = page_slot (self, name);
  return adw_bin_get_child (slot);
}

/* @toast: (transfer full) */
void
hs_window_add_toast (HsWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (HS_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
toast (HsWindow   *self,
       const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* Returns: (transfer full): @path's folder for display, with the home folder as ~ */
static char *
display_folder (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  const char *home = g_get_home_dir ();
  size_t home_len = home != NULL ? strlen (home) : 0;

  if (home_len > 1 && g_str_has_prefix (dir, home)
      && (dir[home_len] == '\0' || dir[home_len] == G_DIR_SEPARATOR))
    return g_strconcat ("~", dir + home_len, NULL);
  return g_steal_pointer (&dir);
}

static void
update_titles (HsWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *title = NULL;

  if (self->database_path == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Hindsight"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), NULL);
      gtk_window_set_title (GTK_WINDOW (self), _("Hindsight"));
      return;
    }

  name = g_path_get_basename (self->database_path);
  folder = display_folder (self->database_path);
  /* Translators: the window title, e.g. "hindsight.db — Hindsight" */
  title = g_strdup_printf (_("%s — Hindsight"), name);
  adw_window_title_set_title (self->window_title, name);
  adw_window_title_set_subtitle (self->window_title, folder);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), self->database_path);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
update_recent_menu (HsWindow *self)
{
  g_auto(GStrv) recent = NULL;

  g_menu_remove_all (self->recent_menu);
  if (self->settings != NULL)
    recent = g_settings_get_strv (self->settings, "recent-databases");
  if (recent == NULL || recent[0] == NULL)
    {
      /* An item without an action shows, insensitive, what the submenu would hold. */
      g_menu_append (self->recent_menu, _("No recent databases"), NULL);
      return;
    }
  for (char **p = recent; *p != NULL; p++)
    {
      g_autofree char *name = g_path_get_basename (*p);
      g_autofree char *folder = display_folder (*p);
      /* Translators: a recent database in the menu, "demo.db (~/src/hindsight/build)" */
      g_autofree char *label = g_strdup_printf (_("%s (%s)"), name, folder);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "window.open-recent",
                                               g_variant_new_string (*p));
      g_menu_append_item (self->recent_menu, item);
    }
}

static void
show_error (HsWindow     *self,
            const GError *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);
  const char *title = _("Cannot Open the Database");

  if (g_error_matches (error, HS_STORE_ERROR, HS_STORE_ERROR_TOO_NEW))
    title = _("The Database Needs a Newer Hindsight");
  else if (g_error_matches (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT))
    title = _("Not a Readable Database");
  else if (g_error_matches (error, HS_STORE_ERROR, HS_STORE_ERROR_BUSY))
    title = _("The Database Is Busy");

  g_free (self->error_message);
  self->error_message = g_strdup (error->message);
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, escaped);
  show_view (self, "error");
}

static void
load_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsWindow) self = g_weak_ref_get (&data->owner);
  g_autoptr(HsCoverageResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (hs_is_main_thread ());

  result = hs_job_coverage_finish (res, &error);
  if (self == NULL || data->cancellable != self->cancellable)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (result == NULL)
    {
      g_debug ("load failed: %s", error->message);
      set_loading (self, FALSE);
      show_error (self, error);
      return;
    }
  g_clear_pointer (&self->error_message, g_free);
  hs_data_page_set_database (self->data_page, self->database_path);
  hs_data_page_set_coverage (self->data_page, result->coverage);
  hs_overview_page_set_database (self->overview_page, self->database_path, result->coverage);
  hs_settings_remember_database (self->settings, self->database_path);
  set_loading (self, FALSE);
  show_view (self, "pages");
  g_signal_emit (self, signals[SIGNAL_DATABASE_LOADED], 0);
}

/**
 * hs_window_reload:
 *
 * Opens the database again on a worker (creating and migrating it when needed) and reads what
 * every page shows, superseding a load in flight. The pages stay until the result arrives,
 * except that a window with nothing to show yet, or an error, shows the spinner.
 */
void
hs_window_reload (HsWindow *self)
{
  const char *view = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_assert (hs_is_main_thread ());

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->database_path == NULL)
    {
      set_loading (self, FALSE);
      show_view (self, "welcome");
      return;
    }

  self->cancellable = g_cancellable_new ();

  view = gtk_stack_get_visible_child_name (self->main_stack);
  if (view == NULL || !g_str_equal (view, "pages"))
    show_view (self, "loading");
  set_loading (self, TRUE);
  hs_job_coverage_async (self->database_path, self->cancellable, load_cb,
                         hs_ui_job_new (self, self->cancellable));
}

/* ------------------------------------------------------------------------------------------ */
/* File choosers                                                                               */

static GtkFileChooserNative *
new_chooser (HsWindow             *self,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *accept,
             GCallback             response_cb)
{
  GtkFileChooserNative *native = NULL;

  if (self->file_chooser != NULL)
    {
      gtk_native_dialog_destroy (self->file_chooser);
      g_clear_object (&self->file_chooser);
    }
  native = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect_object (native, "response", response_cb, self, G_CONNECT_SWAPPED);
  self->file_chooser = GTK_NATIVE_DIALOG (native);
  return native;
}

static void
add_filter (GtkFileChooser     *chooser,
            const char         *name,
            const char *const  *suffixes)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (const char *const *s = suffixes; *s != NULL; s++)
    gtk_file_filter_add_suffix (filter, *s);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
add_all_files_filter (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
}

static void
start_in_database_folder (HsWindow       *self,
                          GtkFileChooser *chooser)
{
  g_autofree char *dir = NULL;
  g_autoptr(GFile) folder = NULL;

  if (self->database_path == NULL)
    return;
  dir = g_path_get_dirname (self->database_path);
  folder = g_file_new_for_path (dir);
  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

static const char *const database_suffixes[] = { "db", "sqlite", "sqlite3", NULL };

static void
open_response_cb (HsWindow        *self,
                  int              response,
                  GtkNativeDialog *dialog)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        hs_window_set_database_path (self, path);
    }
  g_clear_object (&self->file_chooser);
}

static void
open_database_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  HsWindow *self = HS_WINDOW (widget);
  GtkFileChooserNative *native = new_chooser (self, _("Open Database"),
                                              GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                              G_CALLBACK (open_response_cb));

  add_filter (GTK_FILE_CHOOSER (native), _("Hindsight databases"), database_suffixes);
  add_all_files_filter (GTK_FILE_CHOOSER (native));
  start_in_database_folder (self, GTK_FILE_CHOOSER (native));
  gtk_native_dialog_show (self->file_chooser);
}

static void
new_response_cb (HsWindow        *self,
                 int              response,
                 GtkNativeDialog *dialog)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      /* The chooser has asked whether to replace a file that exists; Hindsight never deletes
       * a database, so it opens it instead and says so. */
      if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
        toast (self, _("The file exists: opened it instead of replacing it"));
      if (path != NULL)
        hs_window_set_database_path (self, path);
    }
  g_clear_object (&self->file_chooser);
}

static void
new_database_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  HsWindow *self = HS_WINDOW (widget);
  GtkFileChooserNative *native = new_chooser (self, _("New Database"),
                                              GTK_FILE_CHOOSER_ACTION_SAVE, _("_Create"),
                                              G_CALLBACK (new_response_cb));

  add_filter (GTK_FILE_CHOOSER (native), _("Hindsight databases"), database_suffixes);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), "hindsight.db");
  start_in_database_folder (self, GTK_FILE_CHOOSER (native));
  gtk_native_dialog_show (self->file_chooser);
}

static void
import_response_cb (HsWindow        *self,
                    int              response,
                    GtkNativeDialog *dialog)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      GSList *list = NULL;

      for (guint i = g_list_model_get_n_items (files); i > 0; i--)
        list = g_slist_prepend (list, g_list_model_get_item (files, i - 1));
      hs_window_import_files (self, list);
      g_slist_free_full (list, g_object_unref);
    }
  g_clear_object (&self->file_chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HsWindow *self = HS_WINDOW (widget);
  GtkFileChooserNative *native = new_chooser (self, _("Import Files"),
                                              GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                              G_CALLBACK (import_response_cb));
  static const char *const data_suffixes[] = { "csv", "txt", "jsonl", "ndjson", "json", NULL };

  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);
  add_filter (GTK_FILE_CHOOSER (native), _("Market data (CSV, JSON Lines)"), data_suffixes);
  add_all_files_filter (GTK_FILE_CHOOSER (native));
  gtk_native_dialog_show (self->file_chooser);
}

/* ------------------------------------------------------------------------------------------ */
/* Other actions                                                                               */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  hs_window_reload (HS_WINDOW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HsWindow *self = HS_WINDOW (widget);
  HsCoveragePage *coverage = hs_data_page_get_coverage_page (self->data_page);

  hs_coverage_page_set_search_mode_enabled (coverage,
                                            !hs_coverage_page_get_search_mode_enabled (coverage));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  const char *name = g_variant_get_string (parameter, NULL);

  if (is_page_name (name))
    hs_window_show_page (HS_WINDOW (widget), name);
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  adw_leaflet_set_visible_child_name (HS_WINDOW (widget)->leaflet, "sidebar");
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HsWindow *self = HS_WINDOW (widget);
  const char *path = g_variant_get_string (parameter, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *text = g_strdup_printf (_("%s is gone; removed from the recent "
                                                 "databases"), path);

      hs_settings_forget_database (self->settings, path);
      toast (self, text);
      return;
    }
  hs_window_set_database_path (self, path);
}

static void
create_database_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  g_autofree char *path = hs_default_database_path ();

  hs_window_set_database_path (HS_WINDOW (widget), path);
}

static void
load_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HsWindow *self = HS_WINDOW (widget);
  g_autofree char *dir = hs_import_demo_dir ();
  GPtrArray *requests = dir != NULL ? hs_import_demo_requests (dir) : NULL;

  if (requests == NULL)
    {
      toast (self, _("The demo files are not installed"));
      return;
    }
  hs_window_show_page (self, "data");
  hs_data_page_start_import (self->data_page, requests);
}

static void
show_data_sources_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  HsWindow *self = HS_WINDOW (widget);

  hs_window_show_page (self, "data");
  hs_data_page_show_data_sources (self->data_page);
}

/**
 * hs_window_import_files:
 * @files: (element-type GFile): files to import
 *
 * Shows the Data page and asks there how to import @files: what dropping files on the window
 * and the import action do.
 */
void
hs_window_import_files (HsWindow *self,
                        GSList   *files)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  if (!g_str_equal (gtk_stack_get_visible_child_name (self->main_stack), "pages"))
    {
      toast (self, _("Open a database first"));
      return;
    }
  hs_window_show_page (self, "data");
  hs_data_page_import_files (self->data_page, files);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         HsWindow      *self)
{
  GdkFileList *list = g_value_get_boxed (value);
  g_autoptr(GSList) files = list != NULL ? gdk_file_list_get_files (list) : NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->toast_overlay), "hs-drop-target");
  if (files == NULL)
    return FALSE;
  hs_window_import_files (self, files);
  return TRUE;
}

static GdkDragAction
drop_enter_cb (GtkDropTarget *target,
               double         x,
               double         y,
               HsWindow      *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self->toast_overlay), "hs-drop-target");
  return GDK_ACTION_COPY;
}

static void
drop_leave_cb (GtkDropTarget *target,
               HsWindow      *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->toast_overlay), "hs-drop-target");
}

static void
sidebar_row_activated_cb (HsWindow      *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  int i = gtk_list_box_row_get_index (row);

  if (i >= 0 && i < (int) G_N_ELEMENTS (page_names) - 1)
    hs_window_show_page (self, page_names[i]);
}

static void
imported_cb (HsWindow   *self,
             guint       n_files,
             HsDataPage *page)
{
  hs_window_reload (self);
}

/* ------------------------------------------------------------------------------------------ */

static void
build_sidebar (HsWindow *self)
{
  for (int i = 0; page_names[i] != NULL; i++)
    {
      GtkWidget *child = gtk_stack_get_child_by_name (self->page_stack, page_names[i]);
      GtkStackPage *page = gtk_stack_get_page (self->page_stack, child);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (gtk_stack_page_get_title (page));

      /* The icon only decorates the row's name: screen readers skip it. */
      gtk_box_append (GTK_BOX (box), g_object_new (GTK_TYPE_IMAGE,
                                                   "icon-name",
                                                   gtk_stack_page_get_icon_name (page),
                                                   "accessible-role",
                                                   GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                                   NULL));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_stack_page_get_title (page), -1);
      gtk_list_box_append (self->sidebar_list, row);
    }
}

static void
hs_window_constructed (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  G_OBJECT_CLASS (hs_window_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      g_autofree char *page = g_settings_get_string (self->settings, "last-page");

      g_settings_bind (self->settings, "window-width", self, "default-width",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", self, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", self, "maximized",
                       G_SETTINGS_BIND_DEFAULT);
      if (is_page_name (page))
        hs_window_show_page (self, page);
      g_signal_connect_object (self->settings, "changed::recent-databases",
                               G_CALLBACK (update_recent_menu), self, G_CONNECT_SWAPPED);
    }
  update_recent_menu (self);
  self->constructed = TRUE;
  update_titles (self);
  hs_window_reload (self);
}

static void
hs_window_dispose (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->file_chooser != NULL)
    {
      gtk_native_dialog_destroy (self->file_chooser);
      g_clear_object (&self->file_chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hs_window_parent_class)->dispose (object);
}

static void
hs_window_finalize (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (hs_window_parent_class)->finalize (object);
}

static void
hs_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HsWindow *self = HS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, self->database_path);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_VISIBLE_PAGE:
      g_value_set_string (value, hs_window_get_visible_page (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HsWindow *self = HS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      /* Until constructed() runs, which loads, only keep the path. */
      if (!self->constructed)
        {
          g_free (self->database_path);
          self->database_path = g_value_dup_string (value);
        }
      else
        hs_window_set_database_path (self, g_value_get_string (value));
      break;
    case PROP_VISIBLE_PAGE:
      hs_window_show_page (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_window_class_init (HsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hs_ui_init ();
  g_type_ensure (HS_TYPE_OVERVIEW_PAGE);
  g_type_ensure (HS_TYPE_DATA_PAGE);

  object_class->constructed = hs_window_constructed;
  object_class->dispose = hs_window_dispose;
  object_class->finalize = hs_window_finalize;
  object_class->get_property = hs_window_get_property;
  object_class->set_property = hs_window_set_property;

  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL, "overview",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HsWindow::database-loaded:
   *
   * The database has been opened (or reloaded, as after an import) and the Overview and Data
   * pages are reading it: a page set with hs_window_set_page() refreshes here.
   */
  signals[SIGNAL_DATABASE_LOADED] =
    g_signal_new ("database-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/hs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, import_button);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, default_path_label);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, overview_page);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, data_page);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, backtests_slot);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, trades_slot);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, export_slot);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, recent_menu);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "window.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "window.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "window.open-database", NULL,
                                   open_database_action);
  gtk_widget_class_install_action (widget_class, "window.new-database", NULL,
                                   new_database_action);
  gtk_widget_class_install_action (widget_class, "window.create-database", NULL,
                                   create_database_action);
  gtk_widget_class_install_action (widget_class, "window.open-recent", "s",
                                   open_recent_action);
  gtk_widget_class_install_action (widget_class, "window.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "window.load-demo", NULL, load_demo_action);
  gtk_widget_class_install_action (widget_class, "window.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "window.show-sidebar", NULL,
                                   show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "window.show-data-sources", NULL,
                                   show_data_sources_action);
}

/* The Data page's chart: the selected series as candlesticks with volume. */
static void
update_data_chart (GtkWidget    *chart,
                   const HsBars *bars,
                   const char   *title,
                   gpointer      user_data)
{
  HsChartWidget *widget = HS_CHART_WIDGET (chart);

  hs_chart_widget_set_title (widget, title != NULL ? title : _("Price"));
  if (bars == NULL || bars->n == 0)
    {
      hs_chart_widget_set_chart (widget, NULL, NULL, NULL);
      return;
    }
  hs_chart_widget_set_candles (widget, hs_candle_chart_data_new (bars->ts, bars->open, bars->high,
                                                                 bars->low, bars->close,
                                                                 bars->volume, bars->n, title));
}

static void
hs_window_init (HsWindow *self)
{
  g_autofree char *default_path = hs_default_database_path ();
  g_autofree char *folder = display_folder (default_path);
  g_autofree char *shown = g_build_filename (folder, "hindsight.db", NULL);
  GtkDropTarget *target = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = hs_settings_new ();

  build_sidebar (self);
  select_sidebar_row (self, "overview");
  hs_backtest_page_attach (self);
  hs_export_page_attach (self);
  hs_watch_panel_attach (self);
  hs_recovery_attach (self);
  hs_notify_attach (self);
  hs_trades_page_attach (self);
  gtk_label_set_text (self->default_path_label, shown);
  g_object_bind_property (self->search_button, "active",
                          hs_data_page_get_coverage_page (self->data_page),
                          "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->data_page, "imported", G_CALLBACK (imported_cb), self,
                           G_CONNECT_SWAPPED);
  hs_data_page_set_chart (self->data_page, hs_chart_widget_new (), update_data_chart, NULL, NULL);
  /* A narrow window starts on the page, not the page list. */
  adw_leaflet_set_visible_child_name (self->leaflet, "content");

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  g_signal_connect (target, "enter", G_CALLBACK (drop_enter_cb), self);
  g_signal_connect (target, "leave", G_CALLBACK (drop_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  show_view (self, "loading");
}

/**
 * hs_window_new:
 * @application: (nullable): the application the window belongs to
 * @database_path: (nullable): the database file; the window opens it on a worker at once.
 *   %NULL: the window offers to create or open one.
 *
 * Returns: (transfer full): a new window
 */
HsWindow *
hs_window_new (GtkApplication *application,
               const char     *database_path)
{
  return g_object_new (HS_TYPE_WINDOW,
                       "application", application,
                       "database-path", database_path,
                       NULL);
}

const char *
hs_window_get_database_path (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->database_path;
}

/**
 * hs_window_set_database_path:
 * @database_path: (nullable): the database file to show
 *
 * Shows another database: the window opens it on a worker, creating it when missing.
 */
void
hs_window_set_database_path (HsWindow   *self,
                             const char *database_path)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  if (g_strcmp0 (self->database_path, database_path) == 0)
    return;
  g_free (self->database_path);
  self->database_path = g_strdup (database_path);
  update_titles (self);
  if (database_path != NULL)
    show_view (self, "loading");
  hs_window_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE_PATH]);
}

/* Returns: whether a load is in flight */
gboolean
hs_window_get_loading (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);
  return self->loading;
}

/* Returns: "loading", "error", "welcome" (no database) or "pages" */
const char *
hs_window_get_visible_view (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

HsCoveragePage *
hs_window_get_coverage_page (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return hs_data_page_get_coverage_page (self->data_page);
}

HsOverviewPage *
hs_window_get_overview_page (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->overview_page;
}

HsDataPage *
hs_window_get_data_page (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->data_page;
}

/* Returns: (nullable): the message the error view shows */
const char *
hs_window_get_error_message (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->error_message;
}

AdwLeaflet *
hs_window_get_leaflet (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->leaflet;
}

GtkListBox *
hs_window_get_sidebar (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->sidebar_list;
}

GMenuModel *
hs_window_get_recent_menu (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return G_MENU_MODEL (self->recent_menu);
}
