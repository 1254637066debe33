/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Preferences window (app.preferences, Ctrl+comma; docs/ui.md "Preferences"): the poller's
 * pace for new watch-list entries, the labeling hour, retention, the backup policy and the
 * models a new backtest starts from, each bound to its GSettings key; and the provider tokens,
 * one password row per provider that takes one, saved to the system keyring on a worker. A
 * row says whether a token is stored (or set in the environment) and never shows it.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-preferences.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hs-backtest.h"
#include "hs-backup.h"
#include "hs-keyring.h"
#include "hs-poller.h"
#include "hs-settings.h"
#include "hs-ui.h"
#include "hs-widget-util.h"

/* One provider's token row. */
typedef struct
{
  const HsProvider    *provider;
  AdwPasswordEntryRow *row;
  GtkLabel            *status;
  GtkButton           *remove;
} TokenRow;

struct _HsPreferences
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;      /* (owned) (nullable) without the schema */
  GCancellable         *cancellable;   /* (owned) keyring work */
  GArray               *tokens;        /* (owned) (element-type TokenRow) */
  guint                 pending;       /* keyring jobs running */

  GtkSpinButton        *snapshot_spin;
  GtkSpinButton        *candle_spin;
  GtkSpinButton        *labeler_hour_spin;
  GtkSwitch            *retention_switch;
  GtkSpinButton        *retention_days_spin;
  GtkSwitch            *backup_switch;
  GtkSpinButton        *backup_keep_spin;
  GtkSpinButton        *backup_hour_spin;
  AdwActionRow         *backup_folder_row;
  AdwEntryRow          *fee_entry;
  AdwEntryRow          *slippage_entry;
  AdwPreferencesGroup  *tokens_group;
};

G_DEFINE_FINAL_TYPE (HsPreferences, hs_preferences, ADW_TYPE_PREFERENCES_WINDOW)

/**
 * hs_preferences_poll_period:
 * @settings: (nullable): the app's settings
 *
 * Returns: seconds between runs of a new watch entry of @kind from @provider: the preference
 *   for snapshots and candles when it is not 0, else hs_poller_default_period()
 */
double
hs_preferences_poll_period (GSettings   *settings,
                            const char  *provider,
                            HsFetchKind  kind)
{
  int seconds = 0;

  if (settings != NULL && kind == HS_FETCH_SNAPSHOTS)
    seconds = g_settings_get_int (settings, "poll-snapshot-seconds");
  else if (settings != NULL && kind == HS_FETCH_CANDLES)
    seconds = g_settings_get_int (settings, "poll-candle-seconds");
  return seconds > 0 ? seconds : hs_poller_default_period (provider, kind);
}

/* ------------------------------------------------------------------------------------------ */
/* Backtest models                                                                             */

/* Writes the entry's text to @key when it parses, and marks the row as an error otherwise. */
static void
model_changed (HsPreferences *self,
               AdwEntryRow   *entry,
               const char    *key,
               gboolean       fee)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (fee)
    {
      HsFeeModel fees;

      ok = hs_fee_model_parse (text, &fees, &error);
    }
  else
    {
      HsSlippageModel slippage;

      ok = hs_slippage_model_parse (text, &slippage, &error);
      /* The setup's slippage is a number of basis points: no half-spread model there. */
      if (ok && slippage.kind == HS_SLIPPAGE_HALF_SPREAD)
        {
          ok = FALSE;
          g_set_error_literal (&error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_CONFIG,
                               _("a new backtest's slippage is none or bps:X"));
        }
    }
  if (ok)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), NULL);
      if (self->settings != NULL)
        g_settings_set_string (self->settings, key, text);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), error->message);
    }
}

static void
fee_changed_cb (HsPreferences *self)
{
  model_changed (self, self->fee_entry, "default-fee-model", TRUE);
}

static void
slippage_changed_cb (HsPreferences *self)
{
  model_changed (self, self->slippage_entry, "default-slippage-model", FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Tokens                                                                                      */

typedef enum
{
  TOKEN_LOOKUP,
  TOKEN_STORE,
  TOKEN_CLEAR,
} TokenOp;

typedef struct
{
  TokenOp           op;
  const HsProvider *provider;   /* static */
  char             *token;      /* (owned) (nullable) wiped before it is freed */
} TokenJob;

static void
token_job_free (gpointer data)
{
  TokenJob *j = data;

  if (j->token != NULL)
    {
      explicit_bzero (j->token, strlen (j->token));
      g_free (j->token);
    }
  g_free (j);
}

/* The worker: does @op and returns where the provider's token comes from now. The token read
 * back is wiped at once; only its source leaves the thread. */
static void
token_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TokenJob *j = task_data;
  g_autoptr(GError) error = NULL;
  HsTokenSource source = HS_TOKEN_NONE;
  char *token = NULL;

  if (j->op == TOKEN_STORE
      && !hs_keyring_store (j->provider->name, j->token, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (j->op == TOKEN_CLEAR
      && !hs_keyring_clear (j->provider->name, NULL, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  token = hs_provider_token (j->provider, &source, cancellable, &error);
  if (token != NULL)
    {
      explicit_bzero (token, strlen (token));
      g_free (token);
    }
  else if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, source);
}

static TokenRow *
find_token_row (HsPreferences *self,
                const char    *provider)
{
  for (guint i = 0; i < self->tokens->len; i++)
    {
      TokenRow *t = &g_array_index (self->tokens, TokenRow, i);

      if (g_str_equal (t->provider->name, provider))
        return t;
    }
  return NULL;
}

static void
show_source (TokenRow     *t,
             HsTokenSource source)
{
  switch (source)
    {
    case HS_TOKEN_ENVIRONMENT:
      /* Translators: the token of a provider comes from $HINDSIGHT_X_TOKEN */
      {
        g_autofree char *text = g_strdup_printf (_("Set in %s"), t->provider->token_env);

        gtk_label_set_text (t->status, text);
      }
      break;
    case HS_TOKEN_KEYRING:
      gtk_label_set_text (t->status, _("Stored"));
      break;
    case HS_TOKEN_NONE:
    default:
      gtk_label_set_text (t->status, _("Not stored"));
      break;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (t->remove), source == HS_TOKEN_KEYRING);
}

static void
token_done_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsPreferences) self = g_weak_ref_get (&data->owner);
  TokenJob *j = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  gssize result = g_task_propagate_int (G_TASK (res), &error);
  TokenRow *t = NULL;

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  t = find_token_row (self, j->provider->name);
  if (t == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (t->row), TRUE);
  if (result < 0)
    {
      /* The message is the keyring's, never the token's. */
      gtk_label_set_text (t->status, _("Keyring unavailable"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (t->status), error->message);
      if (j->op != TOKEN_LOOKUP)
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                          adw_toast_new (error->message));
      return;
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (t->status), NULL);
  show_source (t, (HsTokenSource) result);
  if (j->op == TOKEN_STORE)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (_("Token saved in the keyring")));
  else if (j->op == TOKEN_CLEAR)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (_("Token removed from the keyring")));
}

static void
start_token_job (HsPreferences    *self,
                 const HsProvider *provider,
                 TokenOp           op,
                 char             *token)
{
  g_autoptr(GTask) task = NULL;
  TokenRow *t = find_token_row (self, provider->name);
  TokenJob *j = NULL;

  g_return_if_fail (t != NULL);
  j = g_new0 (TokenJob, 1);
  j->op = op;
  j->provider = provider;
  j->token = token;
  self->pending++;
  if (op != TOKEN_LOOKUP)
    gtk_widget_set_sensitive (GTK_WIDGET (t->row), FALSE);
  task = g_task_new (NULL, self->cancellable, token_done_cb,
                     hs_ui_job_new (self, self->cancellable));
  g_task_set_name (task, "[hindsight] token");
  g_task_set_task_data (task, j, token_job_free);
  g_task_run_in_thread (task, token_worker);
}

static void
token_apply_cb (AdwEntryRow   *row,
                HsPreferences *self)
{
  const HsProvider *provider = g_object_get_data (G_OBJECT (row), "hs-provider");
  GtkEditable *editable = GTK_EDITABLE (row);
  g_autoptr(GError) error = NULL;
  char *token = g_strdup (gtk_editable_get_text (editable));

  gtk_editable_set_text (editable, "");
  if (!hs_keyring_check_token (token, &error))
    {
      explicit_bzero (token, strlen (token));
      g_free (token);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
      return;
    }
  start_token_job (self, provider, TOKEN_STORE, token);
}

/**
 * hs_preferences_remove_token:
 *
 * Removes @provider's token from the keyring (on a worker), as its Remove button does.
 */
void
hs_preferences_remove_token (HsPreferences *self,
                             const char    *provider)
{
  TokenRow *t = NULL;

  g_return_if_fail (HS_IS_PREFERENCES (self));
  t = find_token_row (self, provider);
  g_return_if_fail (t != NULL);
  start_token_job (self, t->provider, TOKEN_CLEAR, NULL);
}

static void
token_remove_cb (GtkButton     *button,
                 HsPreferences *self)
{
  const HsProvider *provider = g_object_get_data (G_OBJECT (button), "hs-provider");

  hs_preferences_remove_token (self, provider->name);
}

/* libadwaita's own buttons in a password row (show the text, apply) have icons only: give
 * them names a screen reader can say. */
static void
name_row_buttons (GtkWidget        *widget,
                  const HsProvider *provider)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_BUTTON (c) && gtk_button_get_icon_name (GTK_BUTTON (c)) != NULL)
        {
          const char *icon = gtk_button_get_icon_name (GTK_BUTTON (c));
          g_autofree char *name = NULL;

          /* Translators: accessible names of a token row's buttons, "Save the Tradier token" */
          if (g_str_has_prefix (icon, "view-"))
            name = g_strdup_printf (_("Show the typed %s token"), provider->title);
          else if (g_str_equal (icon, "object-select-symbolic"))
            name = g_strdup_printf (_("Save the %s token"), provider->title);
          if (name != NULL)
            gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                            name, -1);
        }
      name_row_buttons (c, provider);
    }
}

static void
build_token_rows (HsPreferences *self)
{
  size_t n = 0;
  const HsProvider *const *all = hs_provider_all (&n);

  /* Providers that take a token first, then the others. */
  for (size_t k = 0; k < 2 * n; k++)
    {
      const HsProvider *p = all[k % n];
      TokenRow t = { p, NULL, NULL, NULL };
      g_autofree char *remove_name = NULL;

      if ((k < n) != (p->token_env != NULL))
        continue;
      if (p->token_env == NULL)
        {
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), p->title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Needs no token"));
          adw_preferences_group_add (self->tokens_group, row);
          continue;
        }
      t.row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (t.row), p->title);
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (t.row), TRUE);
      g_object_set_data (G_OBJECT (t.row), "hs-provider", (gpointer) p);
      g_signal_connect_object (t.row, "apply", G_CALLBACK (token_apply_cb), self, 0);

      t.status = GTK_LABEL (gtk_label_new (_("Checking…")));
      gtk_widget_add_css_class (GTK_WIDGET (t.status), "dim-label");
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (t.row), GTK_WIDGET (t.status));

      t.remove = GTK_BUTTON (gtk_button_new_from_icon_name ("user-trash-symbolic"));
      gtk_widget_set_valign (GTK_WIDGET (t.remove), GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (GTK_WIDGET (t.remove), "flat");
      gtk_widget_set_sensitive (GTK_WIDGET (t.remove), FALSE);
      /* Translators: the tooltip and accessible name of a button, "Remove the Tradier token" */
      remove_name = g_strdup_printf (_("Remove the %s token"), p->title);
      gtk_widget_set_tooltip_text (GTK_WIDGET (t.remove), remove_name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (t.remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_name, -1);
      g_object_set_data (G_OBJECT (t.remove), "hs-provider", (gpointer) p);
      g_signal_connect_object (t.remove, "clicked", G_CALLBACK (token_remove_cb), self, 0);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (t.row), GTK_WIDGET (t.remove));

      name_row_buttons (GTK_WIDGET (t.row), p);
      adw_preferences_group_add (self->tokens_group, GTK_WIDGET (t.row));
      g_array_append_val (self->tokens, t);
    }
  for (guint i = 0; i < self->tokens->len; i++)
    start_token_job (self, g_array_index (self->tokens, TokenRow, i).provider, TOKEN_LOOKUP,
                     NULL);
}

/* Returns: (transfer none) (nullable): the token row of @provider */
AdwEntryRow *
hs_preferences_get_token_row (HsPreferences *self,
                              const char    *provider)
{
  TokenRow *t = NULL;

  g_return_val_if_fail (HS_IS_PREFERENCES (self), NULL);
  t = find_token_row (self, provider);
  return t != NULL ? ADW_ENTRY_ROW (t->row) : NULL;
}

/* Returns: (nullable): what @provider's token row says: "Stored", "Not stored" … */
const char *
hs_preferences_get_token_status (HsPreferences *self,
                                 const char    *provider)
{
  TokenRow *t = NULL;

  g_return_val_if_fail (HS_IS_PREFERENCES (self), NULL);
  t = find_token_row (self, provider);
  return t != NULL ? gtk_label_get_text (t->status) : NULL;
}

/* Returns: keyring jobs still running */
guint
hs_preferences_get_pending (HsPreferences *self)
{
  g_return_val_if_fail (HS_IS_PREFERENCES (self), 0);
  return self->pending;
}

/* ------------------------------------------------------------------------------------------ */

static void
bind_settings (HsPreferences *self)
{
  static const struct
  {
    const char *key;
    gsize       offset;
    const char *property;
  } bindings[] = {
    { "poll-snapshot-seconds", G_STRUCT_OFFSET (HsPreferences, snapshot_spin), "value" },
    { "poll-candle-seconds", G_STRUCT_OFFSET (HsPreferences, candle_spin), "value" },
    { "labeler-hour", G_STRUCT_OFFSET (HsPreferences, labeler_hour_spin), "value" },
    { "retention-enabled", G_STRUCT_OFFSET (HsPreferences, retention_switch), "active" },
    { "retention-days", G_STRUCT_OFFSET (HsPreferences, retention_days_spin), "value" },
    { "backup-enabled", G_STRUCT_OFFSET (HsPreferences, backup_switch), "active" },
    { "backup-keep", G_STRUCT_OFFSET (HsPreferences, backup_keep_spin), "value" },
    { "backup-hour", G_STRUCT_OFFSET (HsPreferences, backup_hour_spin), "value" },
  };
  g_autofree char *folder = hs_backup_default_dir ();
  g_autofree char *fee = NULL;
  g_autofree char *slippage = NULL;

  adw_action_row_set_subtitle (self->backup_folder_row, folder);
  hs_spin_button_set_accessible_name (self->snapshot_spin, _("Snapshot interval"));
  hs_spin_button_set_accessible_name (self->candle_spin, _("Candle interval"));
  hs_spin_button_set_accessible_name (self->labeler_hour_spin, _("Labeling hour"));
  hs_spin_button_set_accessible_name (self->retention_days_spin, _("Days to keep"));
  hs_spin_button_set_accessible_name (self->backup_keep_spin, _("Backups to keep"));
  hs_spin_button_set_accessible_name (self->backup_hour_spin, _("Backup hour"));
  if (self->settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->fee_entry), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->slippage_entry), FALSE);
      return;
    }
  for (size_t i = 0; i < G_N_ELEMENTS (bindings); i++)
    g_settings_bind (self->settings, bindings[i].key,
                     G_STRUCT_MEMBER (GObject *, self, bindings[i].offset), bindings[i].property,
                     G_SETTINGS_BIND_DEFAULT);
  g_object_bind_property (self->retention_switch, "active", self->retention_days_spin,
                          "sensitive", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->backup_switch, "active", self->backup_keep_spin, "sensitive",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->backup_switch, "active", self->backup_hour_spin, "sensitive",
                          G_BINDING_SYNC_CREATE);
  fee = g_settings_get_string (self->settings, "default-fee-model");
  slippage = g_settings_get_string (self->settings, "default-slippage-model");
  gtk_editable_set_text (GTK_EDITABLE (self->fee_entry), fee);
  gtk_editable_set_text (GTK_EDITABLE (self->slippage_entry), slippage);
}

/* Returns: (transfer none) (nullable): the first visible label under @widget */
static GtkLabel *
first_label (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *found = GTK_IS_LABEL (c) ? GTK_LABEL (c) : first_label (c);

      if (found != NULL && gtk_label_get_text (found)[0] != '\0')
        return found;
    }
  return NULL;
}

/* libadwaita 1.2's view switcher buttons show their page's title but have no accessible
 * name, nor has the search entry: give them names, for screen readers and the tests. */
static void
name_view_switcher_buttons (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_SEARCH_ENTRY (c)
          || (GTK_IS_TOGGLE_BUTTON (c)
              && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (c)), "edit-find-symbolic") == 0))
        gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Search preferences"), -1);
      else if (g_str_equal (G_OBJECT_TYPE_NAME (c), "AdwViewSwitcherButton"))
        {
          GtkLabel *label = first_label (c);

          if (label != NULL)
            gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                            gtk_label_get_text (label), -1);
        }
      name_view_switcher_buttons (c);
    }
}

static void
hs_preferences_dispose (GObject *object)
{
  HsPreferences *self = HS_PREFERENCES (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_PREFERENCES);
  G_OBJECT_CLASS (hs_preferences_parent_class)->dispose (object);
}

static void
hs_preferences_finalize (GObject *object)
{
  HsPreferences *self = HS_PREFERENCES (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->tokens, g_array_unref);
  G_OBJECT_CLASS (hs_preferences_parent_class)->finalize (object);
}

static void
hs_preferences_class_init (HsPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_preferences_dispose;
  object_class->finalize = hs_preferences_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/hs-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, HsPreferences, snapshot_spin);
  gtk_widget_class_bind_template_child (widget_class, HsPreferences, candle_spin);
  gtk_widget_class_bind_template_child (widget_class, HsPreferences, labeler_hour_spin);
  gtk_widget_class_bind_template_child (widget_class, HsPreferences, retention_switch);
  gtk_widget_class_bind_template_child (widget_class, HsPreferences, retention_days_spin);
  gtk_widget_class_bind_template_child (widget_class, HsPreferences, backup_switch);
  gtk_widget_class_bind_template_child (widget_class, HsPreferences, backup_keep_spin);
  gtk_widget_class_bind_template_child (widget_class, HsPreferences, backup_hour_spin);
  gtk_widget_class_bind_template_child (widget_class, HsPreferences, backup_folder_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferences, fee_entry);
  gtk_widget_class_bind_template_child (widget_class, HsPreferences, slippage_entry);
  gtk_widget_class_bind_template_child (widget_class, HsPreferences, tokens_group);
  gtk_widget_class_bind_template_callback (widget_class, fee_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, slippage_changed_cb);
}

static void
hs_preferences_init (HsPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = hs_settings_new ();
  self->cancellable = g_cancellable_new ();
  self->tokens = g_array_new (FALSE, FALSE, sizeof (TokenRow));
  bind_settings (self);
  build_token_rows (self);
  name_view_switcher_buttons (GTK_WIDGET (self));
}

/**
 * hs_preferences_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer floating): a new Preferences window, not shown yet
 */
GtkWidget *
hs_preferences_new (GtkWindow *parent)
{
  return g_object_new (HS_TYPE_PREFERENCES, "transient-for", parent, "modal", parent != NULL,
                       NULL);
}

/* Shows a new Preferences window over @parent. */
void
hs_preferences_show (GtkWindow *parent)
{
  gtk_window_present (GTK_WINDOW (hs_preferences_new (parent)));
}
