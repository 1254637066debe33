/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run's statistics grouped as seed 002 asks — Core, Risk, Trading, Advanced,
 * Strategy-specific — as tiles of a label and a value with its unit, each with a one-sentence
 * tooltip (hs-stat-meta.c). Colour only where the sign is the news: returns, profits and the
 * like are green above zero and red below. The strategy-specific group shows only the counters
 * the strategy reports. Fifty tiles are made once and relabelled for each run.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-backtest-stats.h"

#include <glib/gi18n.h>
#include <math.h>

#include "hs-stat-meta.h"

struct _HsBacktestStats
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkWidget  *groups[HS_STAT_N_GROUPS];   /* heading + flow box, in a box */
  GtkWidget **tiles;                      /* one per hs_stat_meta_all() */
  GtkLabel  **values;
  size_t      n;
};

G_DEFINE_FINAL_TYPE (HsBacktestStats, hs_backtest_stats, GTK_TYPE_WIDGET)

/**
 * hs_backtest_stats_set_result:
 * @result: (nullable): a run's statistics; %NULL shows dashes
 */
void
hs_backtest_stats_set_result (HsBacktestStats  *self,
                              const HsBtResult *result)
{
  size_t n = 0;
  const HsStatMeta *all = hs_stat_meta_all (&n);
  gboolean group_shown[HS_STAT_N_GROUPS] = { FALSE };

  g_return_if_fail (HS_IS_BACKTEST_STATS (self));

  for (size_t i = 0; i < n; i++)
    {
      const HsStatMeta *m = &all[i];
      g_autofree char *text = NULL;
      g_autofree char *accessible = NULL;
      double v = NAN;
      gboolean shown = TRUE;

      if (m->unit == HS_STAT_UNIT_TEXT)
        {
          const char *t = result != NULL ? hs_stat_meta_text (m, result) : NULL;

          text = g_strdup (t != NULL && t[0] != '\0' ? t : "–");
        }
      else
        {
          v = result != NULL ? hs_stat_meta_value (m, result) : NAN;
          text = hs_stat_format (m, v);
        }
      /* Counters a strategy does not report are not shown at all. */
      if (m->group == HS_STAT_GROUP_STRATEGY && isnan (v))
        shown = FALSE;
      gtk_label_set_text (self->values[i], text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->values[i]), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->values[i]), "error");
      if (m->signed_value && isfinite (v) && g_strcmp0 (text, "0.00 %") != 0 && v != 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->values[i]), v > 0 ? "success" : "error");
      accessible = g_strdup_printf ("%s: %s", m->label, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->tiles[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      gtk_widget_set_visible (gtk_widget_get_parent (self->tiles[i]), shown);
      group_shown[m->group] |= shown;
    }
  for (int g = 0; g < HS_STAT_N_GROUPS; g++)
    gtk_widget_set_visible (self->groups[g], group_shown[g]);
}

/* Returns: (transfer none) (nullable): the label showing @column's value */
GtkLabel *
hs_backtest_stats_get_value_label (HsBacktestStats *self,
                                   const char      *column)
{
  size_t n = 0;
  const HsStatMeta *all = hs_stat_meta_all (&n);

  g_return_val_if_fail (HS_IS_BACKTEST_STATS (self), NULL);

  for (size_t i = 0; i < n; i++)
    if (g_strcmp0 (all[i].column, column) == 0)
      return self->values[i];
  return NULL;
}

/* Returns: (transfer none): a group's section (heading and tiles) */
GtkWidget *
hs_backtest_stats_get_group (HsBacktestStats *self,
                             guint            group)
{
  g_return_val_if_fail (HS_IS_BACKTEST_STATS (self), NULL);
  g_return_val_if_fail (group < HS_STAT_N_GROUPS, NULL);
  return self->groups[group];
}

static void
hs_backtest_stats_dispose (GObject *object)
{
  HsBacktestStats *self = HS_BACKTEST_STATS (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (hs_backtest_stats_parent_class)->dispose (object);
}

static void
hs_backtest_stats_finalize (GObject *object)
{
  HsBacktestStats *self = HS_BACKTEST_STATS (object);

  g_free (self->tiles);
  g_free (self->values);
  G_OBJECT_CLASS (hs_backtest_stats_parent_class)->finalize (object);
}

static void
hs_backtest_stats_class_init (HsBacktestStatsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_backtest_stats_dispose;
  object_class->finalize = hs_backtest_stats_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "hs-backtest-stats");
}

static void
hs_backtest_stats_init (HsBacktestStats *self)
{
  const HsStatMeta *all = hs_stat_meta_all (&self->n);
  GtkWidget *flows[HS_STAT_N_GROUPS];

  self->tiles = g_new0 (GtkWidget *, self->n);
  self->values = g_new0 (GtkLabel *, self->n);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  for (int g = 0; g < HS_STAT_N_GROUPS; g++)
    {
      GtkWidget *heading = gtk_label_new (_(hs_stat_group_label (g)));

      self->groups[g] = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_accessible_update_property (GTK_ACCESSIBLE (heading), GTK_ACCESSIBLE_PROPERTY_LEVEL, 3,
                                      -1);
      flows[g] = gtk_flow_box_new ();
      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flows[g]), GTK_SELECTION_NONE);
      gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flows[g]), TRUE);
      gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flows[g]), 2);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flows[g]), 6);
      gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flows[g]), 6);
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flows[g]), 6);
      gtk_accessible_update_property (GTK_ACCESSIBLE (flows[g]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(hs_stat_group_label (g)), -1);
      gtk_box_append (GTK_BOX (self->groups[g]), heading);
      gtk_box_append (GTK_BOX (self->groups[g]), flows[g]);
      gtk_box_append (GTK_BOX (self->box), self->groups[g]);
    }
  for (size_t i = 0; i < self->n; i++)
    {
      const HsStatMeta *m = &all[i];
      GtkWidget *tile = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *caption = gtk_label_new (_(m->label));
      GtkWidget *value = gtk_label_new ("–");
      const char *unit = hs_stat_unit_label (m->unit);
      g_autofree char *tooltip = NULL;

      if (unit[0] != '\0' && m->unit != HS_STAT_UNIT_FRACTION)
        tooltip = g_strdup_printf ("%s (%s; %s)", _(m->description), m->column, _(unit));
      else
        tooltip = g_strdup_printf ("%s (%s)", _(m->description), m->column);
      gtk_widget_add_css_class (tile, "hs-stat-tile");
      gtk_widget_set_tooltip_text (tile, tooltip);
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_selectable (GTK_LABEL (value), FALSE);
      gtk_widget_add_css_class (value, "hs-stat-value");
      gtk_widget_add_css_class (value, "numeric");
      gtk_box_append (GTK_BOX (tile), caption);
      gtk_box_append (GTK_BOX (tile), value);
      gtk_accessible_update_property (GTK_ACCESSIBLE (tile), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _(m->description), -1);
      gtk_flow_box_append (GTK_FLOW_BOX (flows[m->group]), tile);
      self->tiles[i] = tile;
      self->values[i] = GTK_LABEL (value);
    }
  hs_backtest_stats_set_result (self, NULL);
}

GtkWidget *
hs_backtest_stats_new (void)
{
  return g_object_new (HS_TYPE_BACKTEST_STATS, NULL);
}
