/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: a header bar naming the database file, and a stack of views over it — a
 * spinner while the coverage job opens the database on a worker, an error page when that fails
 * (for example a database written by a newer Hindsight), an empty state telling how to import
 * data when it holds no instruments, and the coverage page otherwise. Later issues add pages
 * beside the coverage page; the window only ever starts jobs and shows their results.
 */
#define G_LOG_DOMAIN "hs-window"

#include "config.h"

#include "hs-window.h"
#include "hs-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hs-application.h"
#include "hs-coverage-page.h"
#include "hs-job-coverage.h"
#include "hs-ui.h"

struct _HsWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkToggleButton      *search_button;
  AdwStatusPage        *error_page;
  GtkLabel             *import_command_label;
  GtkLabel             *demo_command_label;
  HsCoveragePage       *coverage_page;

  char                 *database_path;    /* (owned) (nullable) */
  GCancellable         *cancellable;      /* (owned) (nullable) the running or last load */
  char                 *error_message;    /* (owned) (nullable) */
  char                 *import_command;   /* (owned) */
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
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char demo_command[] = "build-aux/dev.sh run";

/* A load in flight: the worker never sees the window, only the path; the callback finds the
 * window through a weak reference and drops results of a load that was superseded. */
typedef struct
{
  GWeakRef      self;
  GCancellable *cancellable;   /* (owned) */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_weak_ref_clear (&data->self);
  g_clear_object (&data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
set_loading (HsWindow *self,
             gboolean  loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.reload", !loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
show_view (HsWindow   *self,
           const char *name)
{
  gboolean coverage = g_str_equal (name, "coverage");

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_set_visible (GTK_WIDGET (self->search_button), coverage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.search", coverage);
  hs_coverage_page_set_key_capture_widget (self->coverage_page,
                                           coverage ? GTK_WIDGET (self) : NULL);
  if (!coverage)
    hs_coverage_page_set_search_mode_enabled (self->coverage_page, FALSE);
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
  g_autofree char *default_path = hs_default_database_path ();
  g_autofree char *quoted = NULL;

  if (self->database_path == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Hindsight"));
      adw_window_title_set_subtitle (self->window_title, NULL);
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

  /* The import command names the database only when hindsight-cli would not find it alone. */
  g_clear_pointer (&self->import_command, g_free);
  if (g_strcmp0 (self->database_path, default_path) == 0)
    self->import_command = g_strdup ("hindsight-cli import bars FILE --symbol S --interval 1d");
  else
    {
      quoted = g_shell_quote (self->database_path);
      self->import_command = g_strdup_printf ("hindsight-cli --db %s import bars FILE "
                                              "--symbol S --interval 1d", quoted);
    }
  gtk_label_set_text (self->import_command_label, self->import_command);
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
  g_autoptr(LoadData) data = user_data;
  g_autoptr(HsWindow) self = g_weak_ref_get (&data->self);
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
      show_error (self, error);
    }
  else
    {
      g_clear_pointer (&self->error_message, g_free);
      hs_coverage_page_set_coverage (self->coverage_page, result->coverage);
      show_view (self, result->coverage->len == 0 ? "empty" : "coverage");
    }
  set_loading (self, FALSE);
}

/**
 * hs_window_reload:
 *
 * Reads the database's coverage again on a worker, superseding a load in flight. The current
 * view stays until the result arrives, except that a window with nothing to show yet, or an
 * error, shows the spinner.
 */
void
hs_window_reload (HsWindow *self)
{
  LoadData *data = NULL;
  const char *view = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));
  g_assert (hs_is_main_thread ());

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->database_path == NULL)
    {
      set_loading (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  data = g_new0 (LoadData, 1);
  g_weak_ref_init (&data->self, self);
  data->cancellable = g_object_ref (self->cancellable);

  view = gtk_stack_get_visible_child_name (self->stack);
  if (view == NULL || g_str_equal (view, "error"))
    show_view (self, "loading");
  set_loading (self, TRUE);
  hs_job_coverage_async (self->database_path, self->cancellable, load_cb, data);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                     */

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
  gboolean on = hs_coverage_page_get_search_mode_enabled (self->coverage_page);

  hs_coverage_page_set_search_mode_enabled (self->coverage_page, !on);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HsWindow *self = HS_WINDOW (widget);
  const char *which = g_variant_get_string (parameter, NULL);
  const char *text = g_str_equal (which, "demo") ? demo_command : self->import_command;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Copied to clipboard")));
}

static void
file_chooser_response_cb (HsWindow        *self,
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
  g_autoptr(GtkFileFilter) databases = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *native = NULL;

  if (self->file_chooser != NULL)
    {
      gtk_native_dialog_show (self->file_chooser);
      return;
    }

  native = gtk_file_chooser_native_new (_("Open Database"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (databases, _("Hindsight databases"));
  gtk_file_filter_add_mime_type (databases, "application/vnd.sqlite3");
  gtk_file_filter_add_suffix (databases, "db");
  gtk_file_filter_add_suffix (databases, "sqlite");
  gtk_file_filter_add_suffix (databases, "sqlite3");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), databases);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);
  if (self->database_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self->database_path);
      g_autoptr(GFile) folder = g_file_new_for_path (dir);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), folder, NULL);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect_object (native, "response", G_CALLBACK (file_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  self->file_chooser = GTK_NATIVE_DIALOG (native);
  gtk_native_dialog_show (self->file_chooser);
}

/* ------------------------------------------------------------------------------------------ */

static void
hs_window_constructed (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  G_OBJECT_CLASS (hs_window_parent_class)->constructed (object);

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

  G_OBJECT_CLASS (hs_window_parent_class)->dispose (object);
}

static void
hs_window_finalize (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->import_command, g_free);

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
  g_type_ensure (HS_TYPE_COVERAGE_PAGE);

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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/hs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, import_command_label);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, demo_command_label);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, coverage_page);

  gtk_widget_class_install_action (widget_class, "window.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "window.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "window.open-database", NULL,
                                   open_database_action);
  gtk_widget_class_install_action (widget_class, "window.copy", "s", copy_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "window.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "window.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "window.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "window.open-database", NULL);
}

static void
hs_window_init (HsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->import_command = g_strdup ("");
  gtk_label_set_text (self->demo_command_label, demo_command);
  g_object_bind_property (self->search_button, "active",
                          self->coverage_page, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  show_view (self, "loading");
}

/**
 * hs_window_new:
 * @application: (nullable): the application the window belongs to
 * @database_path: (nullable): the database file; the window opens it on a worker at once
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

/* Returns: "loading", "error", "empty" or "coverage" */
const char *
hs_window_get_visible_view (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

HsCoveragePage *
hs_window_get_coverage_page (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->coverage_page;
}

/* Returns: (nullable): the message the error view shows */
const char *
hs_window_get_error_message (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->error_message;
}

const char *
hs_window_get_import_command (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);
  return self->import_command;
}
