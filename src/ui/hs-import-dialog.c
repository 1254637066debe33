/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialog between choosing or dropping files and importing them: one group per file with
 * what hs_import_guess() proposed from its name — kind of data, symbol, and for bars the
 * interval — all editable. "Import" stays disabled while a file that needs a symbol has none.
 * The responses are "cancel" and "import"; hs_import_dialog_dup_requests() gives the edited
 * requests.
 */
#define G_LOG_DOMAIN "hs-import-dialog"

#include "config.h"

#include "hs-import-dialog.h"

#include <glib/gi18n.h>

#include "hs-import.h"
#include "hs-interval.h"

struct _HsImportDialog
{
  AdwMessageDialog  parent_instance;

  GPtrArray        *requests;        /* (owned) (element-type HsImportRequest) the guesses */
  GPtrArray        *kind_rows;       /* (owned) AdwComboRow, one per request */
  GPtrArray        *symbol_rows;     /* (owned) AdwEntryRow */
  GPtrArray        *interval_rows;   /* (owned) AdwComboRow */
  GtkStringList    *intervals;       /* (owned) the names the interval rows offer */
};

G_DEFINE_FINAL_TYPE (HsImportDialog, hs_import_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* The kinds a dropped CSV or JSON Lines file can hold, in the order the rows offer them. */
static const HsImportKind kinds[] = {
  HS_IMPORT_BARS, HS_IMPORT_TRADES, HS_IMPORT_QUOTES, HS_IMPORT_ORDERBOOK, HS_IMPORT_SNAPSHOTS,
};

static const char *
kind_title (HsImportKind kind)
{
  switch (kind)
    {
    case HS_IMPORT_BARS:
      return _("Bars (OHLCV)");
    case HS_IMPORT_TRADES:
      return _("Trades");
    case HS_IMPORT_QUOTES:
      return _("Quotes");
    case HS_IMPORT_ORDERBOOK:
      return _("Order book snapshots (JSON Lines)");
    case HS_IMPORT_SNAPSHOTS:
      return _("Market snapshots (JSON Lines)");
    default:
      return hs_import_kind_to_string (kind);
    }
}

static HsImportKind
row_kind (HsImportDialog *self,
          guint           i)
{
  guint k = adw_combo_row_get_selected (self->kind_rows->pdata[i]);

  return k < G_N_ELEMENTS (kinds) ? kinds[k] : HS_IMPORT_BARS;
}

/* Market snapshots name their ticker on every line; every other kind needs a symbol. */
static gboolean
row_ready (HsImportDialog *self,
           guint           i)
{
  g_autofree char *symbol = g_strstrip (g_strdup (gtk_editable_get_text (
                                          GTK_EDITABLE (self->symbol_rows->pdata[i]))));

  return row_kind (self, i) == HS_IMPORT_SNAPSHOTS || symbol[0] != '\0';
}

static void
update_rows (HsImportDialog *self)
{
  gboolean ready = TRUE;

  for (guint i = 0; i < self->requests->len; i++)
    {
      HsImportKind kind = row_kind (self, i);

      gtk_widget_set_visible (self->interval_rows->pdata[i], kind == HS_IMPORT_BARS);
      gtk_widget_set_visible (self->symbol_rows->pdata[i], kind != HS_IMPORT_SNAPSHOTS);
      if (!row_ready (self, i))
        ready = FALSE;
    }
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "import", ready);
}

static void
changed_cb (HsImportDialog *self)
{
  update_rows (self);
}

static void
add_file (HsImportDialog        *self,
          GtkBox                *box,
          const HsImportRequest *req,
          gboolean               first)
{
  g_autofree char *name = g_path_get_basename (req->path);
  GtkWidget *heading = gtk_label_new (name);
  GtkWidget *list = gtk_list_box_new ();
  g_autoptr(GtkStringList) kind_names = gtk_string_list_new (NULL);
  AdwComboRow *kind_row = ADW_COMBO_ROW (adw_combo_row_new ());
  AdwEntryRow *symbol_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  AdwComboRow *interval_row = ADW_COMBO_ROW (adw_combo_row_new ());
  guint selected = 0;

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_ellipsize (GTK_LABEL (heading), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_tooltip_text (heading, req->path);
  gtk_widget_add_css_class (heading, "heading");
  if (!first)
    gtk_widget_set_margin_top (heading, 12);
  gtk_box_append (box, heading);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_box_append (box, list);

  for (size_t k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      gtk_string_list_append (kind_names, kind_title (kinds[k]));
      if (kinds[k] == req->kind)
        selected = (guint) k;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (kind_row), _("Kind of Data"));
  adw_combo_row_set_model (kind_row, G_LIST_MODEL (kind_names));
  adw_combo_row_set_selected (kind_row, selected);
  g_signal_connect_object (kind_row, "notify::selected", G_CALLBACK (changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (kind_row));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (symbol_row), _("Symbol"));
  gtk_editable_set_text (GTK_EDITABLE (symbol_row), req->symbol != NULL ? req->symbol : "");
  g_signal_connect_object (symbol_row, "changed", G_CALLBACK (changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (symbol_row));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (interval_row), _("Interval"));
  adw_combo_row_set_model (interval_row, G_LIST_MODEL (self->intervals));
  selected = 0;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->intervals)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->intervals, i),
                   req->interval != NULL ? req->interval : "1d") == 0)
      selected = i;
  adw_combo_row_set_selected (interval_row, selected);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (interval_row));

  g_ptr_array_add (self->kind_rows, kind_row);
  g_ptr_array_add (self->symbol_rows, symbol_row);
  g_ptr_array_add (self->interval_rows, interval_row);
}

static void
hs_import_dialog_dispose (GObject *object)
{
  HsImportDialog *self = HS_IMPORT_DIALOG (object);

  g_clear_pointer (&self->kind_rows, g_ptr_array_unref);
  g_clear_pointer (&self->symbol_rows, g_ptr_array_unref);
  g_clear_pointer (&self->interval_rows, g_ptr_array_unref);
  g_clear_object (&self->intervals);

  G_OBJECT_CLASS (hs_import_dialog_parent_class)->dispose (object);
}

static void
hs_import_dialog_finalize (GObject *object)
{
  HsImportDialog *self = HS_IMPORT_DIALOG (object);

  g_clear_pointer (&self->requests, g_ptr_array_unref);

  G_OBJECT_CLASS (hs_import_dialog_parent_class)->finalize (object);
}

static void
hs_import_dialog_class_init (HsImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_import_dialog_dispose;
  object_class->finalize = hs_import_dialog_finalize;
}

static void
hs_import_dialog_init (HsImportDialog *self)
{
  size_t n = 0;
  const HsInterval *all = hs_interval_all (&n);

  self->kind_rows = g_ptr_array_new ();
  self->symbol_rows = g_ptr_array_new ();
  self->interval_rows = g_ptr_array_new ();
  self->intervals = gtk_string_list_new (NULL);
  for (size_t i = 0; i < n; i++)
    if (!g_str_equal (all[i].name, "tick"))
      gtk_string_list_append (self->intervals, all[i].name);
}

/**
 * hs_import_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @requests: (transfer full) (element-type HsImportRequest): one guess per file
 *
 * Returns: (transfer floating): the dialog, not yet shown
 */
GtkWidget *
hs_import_dialog_new (GtkWindow *parent,
                      GPtrArray *requests)
{
  HsImportDialog *self = NULL;
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  g_autofree char *heading = NULL;

  g_return_val_if_fail (requests != NULL && requests->len > 0, NULL);

  heading = g_strdup_printf (ngettext ("Import %u File", "Import %u Files", requests->len),
                             requests->len);
  self = g_object_new (HS_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "heading", heading,
                       "body", _("Check what Hindsight guessed from each file's name. Each "
                                 "file is imported in one transaction: a bad row leaves the "
                                 "database as it was, and the error names its line."),
                       NULL);
  self->requests = requests;

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  for (guint i = 0; i < requests->len; i++)
    add_file (self, GTK_BOX (box), requests->pdata[i], i == 0);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), scroller);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "import", _("_Import"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "import",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "import");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  update_rows (self);
  return GTK_WIDGET (self);
}

/**
 * hs_import_dialog_dup_requests:
 *
 * Returns: (transfer full) (element-type HsImportRequest): the requests as the rows say now:
 *   kind, symbol (trimmed; none for market snapshots) and, for bars, interval
 */
GPtrArray *
hs_import_dialog_dup_requests (HsImportDialog *self)
{
  g_autoptr(GPtrArray) out = NULL;

  g_return_val_if_fail (HS_IS_IMPORT_DIALOG (self), NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_import_request_free);
  for (guint i = 0; i < self->requests->len; i++)
    {
      HsImportRequest *req = hs_import_request_copy (self->requests->pdata[i]);
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->symbol_rows->pdata[i]));
      guint iv = adw_combo_row_get_selected (self->interval_rows->pdata[i]);

      req->kind = row_kind (self, i);
      g_free (req->symbol);
      req->symbol = req->kind == HS_IMPORT_SNAPSHOTS ? NULL
                                                     : g_strstrip (g_strdup (text));
      g_free (req->interval);
      req->interval = req->kind == HS_IMPORT_BARS
                      ? g_strdup (gtk_string_list_get_string (self->intervals, iv)) : NULL;
      g_ptr_array_add (out, req);
    }
  return g_steal_pointer (&out);
}

/* Returns: whether every file has what its import needs ("Import" is enabled) */
gboolean
hs_import_dialog_get_ready (HsImportDialog *self)
{
  g_return_val_if_fail (HS_IS_IMPORT_DIALOG (self), FALSE);
  return adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (self), "import");
}

guint
hs_import_dialog_get_n_files (HsImportDialog *self)
{
  g_return_val_if_fail (HS_IS_IMPORT_DIALOG (self), 0);
  return self->requests->len;
}

/* Returns: (transfer none): the symbol row of file @index */
AdwEntryRow *
hs_import_dialog_get_symbol_row (HsImportDialog *self,
                                 guint           index)
{
  g_return_val_if_fail (HS_IS_IMPORT_DIALOG (self), NULL);
  g_return_val_if_fail (index < self->requests->len, NULL);
  return self->symbol_rows->pdata[index];
}

/* Returns: (transfer none): the kind row of file @index */
AdwComboRow *
hs_import_dialog_get_kind_row (HsImportDialog *self,
                               guint           index)
{
  g_return_val_if_fail (HS_IS_IMPORT_DIALOG (self), NULL);
  g_return_val_if_fail (index < self->requests->len, NULL);
  return self->kind_rows->pdata[index];
}

/* Returns: (transfer none): the interval row of file @index */
AdwComboRow *
hs_import_dialog_get_interval_row (HsImportDialog *self,
                                   guint           index)
{
  g_return_val_if_fail (HS_IS_IMPORT_DIALOG (self), NULL);
  g_return_val_if_fail (index < self->requests->len, NULL);
  return self->interval_rows->pdata[index];
}
