/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small fixes for GTK 4.8 the backtest pages share.
 *
 * Tables: GTK 4.8's GtkColumnView makes a row widget for every item of its model while it is not
 * mapped (it has no viewport to cull against): 1,000 runs cost 200 ms of the main loop, a
 * 100,000-trade list seconds. The backtest pages fill tables that are often hidden (a sweep's
 * table while the setup is shown), so a table gets its model only while it is mapped and drops
 * it when unmapped; mapped, only the rows in view are made. The selection lives in the model,
 * so it survives; the scroll position goes back to the top.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-widget-util.h"

#include <glib/gi18n.h>

static gboolean
attach_cb (gpointer data)
{
  GtkColumnView *view = data;
  GtkSelectionModel *model = g_object_get_data (G_OBJECT (view), "hs-deferred-model");

  g_object_set_data (G_OBJECT (view), "hs-deferred-idle", NULL);
  if (gtk_widget_get_mapped (GTK_WIDGET (view)) && gtk_column_view_get_model (view) != model)
    gtk_column_view_set_model (view, model);
  return G_SOURCE_REMOVE;
}

static void
cancel_attach (GtkColumnView *view)
{
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (view), "hs-deferred-idle"));

  if (id != 0)
    g_source_remove (id);
  g_object_set_data (G_OBJECT (view), "hs-deferred-idle", NULL);
}

/* Mapped is not yet laid out: the model comes after the next layout (a default-idle runs after
 * the frame clock's layout and paint), when the view knows how many rows it shows. */
static void
map_cb (GtkColumnView *view)
{
  guint id;

  cancel_attach (view);
  id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, attach_cb, g_object_ref (view),
                        g_object_unref);
  g_object_set_data (G_OBJECT (view), "hs-deferred-idle", GUINT_TO_POINTER (id));
}

static void
unmap_cb (GtkColumnView *view)
{
  cancel_attach (view);
  gtk_column_view_set_model (view, NULL);
}

/**
 * hs_column_view_set_model_when_mapped:
 * @model: (transfer none): the table's model, referenced
 *
 * Gives @view @model whenever it is mapped, and none while it is not.
 */
void
hs_column_view_set_model_when_mapped (GtkColumnView     *view,
                                      GtkSelectionModel *model)
{
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  if (g_object_get_data (G_OBJECT (view), "hs-deferred-model") == NULL)
    {
      g_signal_connect (view, "map", G_CALLBACK (map_cb), NULL);
      g_signal_connect (view, "unmap", G_CALLBACK (unmap_cb), NULL);
      g_signal_connect (view, "destroy", G_CALLBACK (cancel_attach), NULL);
    }
  g_object_set_data_full (G_OBJECT (view), "hs-deferred-model", g_object_ref (model),
                          g_object_unref);
  gtk_column_view_set_model (view, gtk_widget_get_mapped (GTK_WIDGET (view)) ? model : NULL);
}

/**
 * hs_drop_down_set_accessible_name:
 *
 * Names @dropdown and the toggle button inside it: GTK 4.8 gives that button no name of its
 * own, so a screen reader (and the GUI tests' check of every control) finds an unnamed button,
 * and an empty drop-down shows no text at all.
 */
void
hs_drop_down_set_accessible_name (GtkDropDown *dropdown,
                                  const char  *name)
{
  g_return_if_fail (GTK_IS_DROP_DOWN (dropdown));

  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (dropdown)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
}

/**
 * hs_spin_button_set_accessible_name:
 *
 * Names @spin and its − and + buttons ("Decrease NAME", "Increase NAME"), which GTK 4.8 leaves
 * unnamed.
 */
void
hs_spin_button_set_accessible_name (GtkSpinButton *spin,
                                    const char    *name)
{
  g_return_if_fail (GTK_IS_SPIN_BUTTON (spin));

  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (spin)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      {
        const char *icon = gtk_button_get_icon_name (GTK_BUTTON (child));
        g_autofree char *text = NULL;

        /* Translators: the − and + buttons of a number field, e.g. "Decrease fast" */
        text = g_strdup_printf (g_strcmp0 (icon, "value-decrease-symbolic") == 0
                                  ? _("Decrease %s") : _("Increase %s"), name);
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        text, -1);
      }
}

/**
 * hs_toast_new:
 * @button: (nullable): the label of the toast's button
 * @action: (nullable): the action the button activates
 *
 * A toast as the pages show them: one that offers something (a button) stays until it is used
 * or dismissed, since a long job may finish while the user looks elsewhere; others go after 8 s.
 *
 * Returns: (transfer full): the toast
 */
AdwToast *
hs_toast_new (const char *title,
              const char *button,
              const char *action)
{
  AdwToast *t = adw_toast_new (title);

  if (button != NULL)
    {
      adw_toast_set_button_label (t, button);
      adw_toast_set_action_name (t, action);
    }
  adw_toast_set_timeout (t, button != NULL ? 0 : 8);
  return t;
}
