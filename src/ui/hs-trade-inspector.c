/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PLACEHOLDER while the inspector is built (issue 8): shows the chosen trade's id only. The
 * interface in hs-trade-inspector.h is the one the Trades page uses.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "hs-trade-inspector.h"

struct _HsTradeInspector
{
  GtkWidget  parent_instance;
  GtkWidget *label;
  char      *db_path;
  gint64     trade_id;
};

G_DEFINE_FINAL_TYPE (HsTradeInspector, hs_trade_inspector, GTK_TYPE_WIDGET)

enum { SIGNAL_NAVIGATE, SIGNAL_TRADE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
hs_trade_inspector_dispose (GObject *object)
{
  HsTradeInspector *self = HS_TRADE_INSPECTOR (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_pointer (&self->db_path, g_free);
  G_OBJECT_CLASS (hs_trade_inspector_parent_class)->dispose (object);
}

static void
hs_trade_inspector_class_init (HsTradeInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_trade_inspector_dispose;
  signals[SIGNAL_NAVIGATE] =
    g_signal_new ("navigate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_TRADE_CHANGED] =
    g_signal_new ("trade-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
hs_trade_inspector_init (HsTradeInspector *self)
{
  self->label = gtk_label_new (_("No trade selected"));
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
}

GtkWidget *
hs_trade_inspector_new (void)
{
  return g_object_new (HS_TYPE_TRADE_INSPECTOR, NULL);
}

void
hs_trade_inspector_set_database (HsTradeInspector *self,
                                 const char       *db_path)
{
  g_return_if_fail (HS_IS_TRADE_INSPECTOR (self));
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
}

void
hs_trade_inspector_show_trade (HsTradeInspector *self,
                               gint64            trade_id)
{
  g_autofree char *text = NULL;

  g_return_if_fail (HS_IS_TRADE_INSPECTOR (self));
  self->trade_id = trade_id;
  text = g_strdup_printf (_("Trade %" G_GINT64_FORMAT), trade_id);
  gtk_label_set_text (GTK_LABEL (self->label), text);
}

gint64
hs_trade_inspector_get_trade_id (HsTradeInspector *self)
{
  g_return_val_if_fail (HS_IS_TRADE_INSPECTOR (self), 0);
  return self->trade_id;
}
