/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsTradeAnalysis: the Trades page's table views of the filtered set. Calibration: one row per
 * confidence bucket (0–1 … 9–10) with the count, the win rate as a number and a bar, and the
 * mean target_pnl_1h; breakdown: one table by prompt version and one by model with count, win
 * rate and mean P&L. The numbers come from hs-trade-stats.c (pure and unit-tested); the widget
 * rebuilds its grids when the set changes (at most a few dozen rows).
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "hs-trade-analysis.h"

struct _HsTradeAnalysis
{
  GtkWidget            parent_instance;
  HsTradeAnalysisMode  mode;
  GtkWidget           *box;        /* (owned) the child: headings and grids */
  GtkGrid             *tables[2];  /* (unowned) in box */
};

G_DEFINE_FINAL_TYPE (HsTradeAnalysis, hs_trade_analysis, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_MODE, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* Numbers as the footer and the CLI print them: fixed decimals, C locale independent of the
 * UI's only in the decimal mark (the UI follows the locale). */
static char *
format_pct (double v)
{
  return isfinite (v) ? g_strdup_printf ("%+.2f %%", v) : g_strdup ("—");
}

static char *
format_rate (double v)
{
  return isfinite (v) ? g_strdup_printf ("%.1f %%", v * 100) : g_strdup ("—");
}

static GtkWidget *
cell (const char *text,
      gboolean    heading,
      float       xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_widget_add_css_class (label, heading ? "heading" : "numeric");
  return label;
}

static GtkGrid *
add_table (HsTradeAnalysis   *self,
           const char        *title,
           const char *const *headings,
           int                n_headings)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "title-4");
  gtk_box_append (GTK_BOX (self->box), label);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  for (int c = 0; c < n_headings; c++)
    gtk_grid_attach (GTK_GRID (grid), cell (headings[c], TRUE, c == 0 ? 0 : 1), c, 0, 1, 1);
  gtk_box_append (GTK_BOX (self->box), grid);
  return GTK_GRID (grid);
}

static void
clear (HsTradeAnalysis *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);
  self->tables[0] = self->tables[1] = NULL;
}

static void
fill_calibration (HsTradeAnalysis   *self,
                  HsTradeRow *const *rows,
                  size_t             n)
{
  const char *headings[] = { _("Confidence"), _("Trades"), _("Closed"), _("Win rate"), "",
                             _("Mean target_pnl_1h") };
  HsCalibrationBucket buckets[HS_CALIBRATION_BUCKETS];
  GtkGrid *grid;
  GtkWidget *note;

  hs_calibration_compute (rows, n, buckets);
  grid = self->tables[0] = add_table (self, _("AI calibration"), headings,
                                      G_N_ELEMENTS (headings));
  for (int b = 0; b < HS_CALIBRATION_BUCKETS; b++)
    {
      g_autofree char *range = g_strdup_printf ("%d–%d", b, b + 1);
      g_autofree char *count = g_strdup_printf ("%zu", buckets[b].count);
      g_autofree char *closed = g_strdup_printf ("%zu", buckets[b].n_closed);
      g_autofree char *rate = format_rate (buckets[b].win_rate);
      g_autofree char *t1h = format_pct (buckets[b].target_pnl_1h.mean);
      g_autofree char *bar_name = g_strdup_printf (_("Win rate at confidence %s"), range);
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);

      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar),
                               isfinite (buckets[b].win_rate) ? buckets[b].win_rate : 0);
      gtk_widget_set_size_request (bar, 200, -1);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      bar_name, -1);
      gtk_grid_attach (grid, cell (range, FALSE, 0), 0, b + 1, 1, 1);
      gtk_grid_attach (grid, cell (count, FALSE, 1), 1, b + 1, 1, 1);
      gtk_grid_attach (grid, cell (closed, FALSE, 1), 2, b + 1, 1, 1);
      gtk_grid_attach (grid, cell (rate, FALSE, 1), 3, b + 1, 1, 1);
      gtk_grid_attach (grid, bar, 4, b + 1, 1, 1);
      gtk_grid_attach (grid, cell (t1h, FALSE, 1), 5, b + 1, 1, 1);
    }
  note = gtk_label_new (_("A win is a closed trade with a positive P&L; the win rate counts the "
                          "closed trades of the bucket, the mean target_pnl_1h the labeled "
                          "ones. A calibrated model wins more often the more confident it is."));
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_box_append (GTK_BOX (self->box), note);
}

static void
fill_breakdown_table (HsTradeAnalysis   *self,
                      int                table,
                      const char        *title,
                      HsTradeRow *const *rows,
                      size_t             n,
                      HsTradeGroupBy     by)
{
  const char *headings[] = { by == HS_TRADE_GROUP_MODEL ? _("Model") : _("Prompt version"),
                             _("Trades"), _("Closed"), _("Win rate"), _("Mean P&L") };
  g_autoptr(GArray) groups = hs_trade_breakdown (rows, n, by);
  GtkGrid *grid = self->tables[table] = add_table (self, title, headings,
                                                   G_N_ELEMENTS (headings));

  for (guint i = 0; i < groups->len; i++)
    {
      const HsTradeGroup *g = &g_array_index (groups, HsTradeGroup, i);
      g_autofree char *count = g_strdup_printf ("%zu", g->count);
      g_autofree char *closed = g_strdup_printf ("%zu", g->n_closed);
      g_autofree char *rate = format_rate (g->win_rate);
      g_autofree char *pnl = format_pct (g->pnl_pct.mean);

      gtk_grid_attach (grid, cell (g->key != NULL ? g->key : _("(no reasoning log)"), FALSE, 0),
                       0, i + 1, 1, 1);
      gtk_grid_attach (grid, cell (count, FALSE, 1), 1, i + 1, 1, 1);
      gtk_grid_attach (grid, cell (closed, FALSE, 1), 2, i + 1, 1, 1);
      gtk_grid_attach (grid, cell (rate, FALSE, 1), 3, i + 1, 1, 1);
      gtk_grid_attach (grid, cell (pnl, FALSE, 1), 4, i + 1, 1, 1);
    }
}

/**
 * hs_trade_analysis_set_rows:
 * @rows: (array length=n): the filtered set
 *
 * Shows the figures of @rows.
 */
void
hs_trade_analysis_set_rows (HsTradeAnalysis   *self,
                            HsTradeRow *const *rows,
                            size_t             n)
{
  g_return_if_fail (HS_IS_TRADE_ANALYSIS (self));
  clear (self);
  if (self->mode == HS_TRADE_ANALYSIS_CALIBRATION)
    fill_calibration (self, rows, n);
  else
    {
      fill_breakdown_table (self, 0, _("By prompt version"), rows, n,
                            HS_TRADE_GROUP_PROMPT_VERSION);
      fill_breakdown_table (self, 1, _("By model"), rows, n, HS_TRADE_GROUP_MODEL);
    }
}

/**
 * hs_trade_analysis_dup_cell:
 *
 * Returns: (transfer full) (nullable): the text of a cell of a table, for tests and for
 *   copying
 */
char *
hs_trade_analysis_dup_cell (HsTradeAnalysis *self,
                            int              table,
                            int              row,
                            int              column)
{
  GtkWidget *child;

  g_return_val_if_fail (HS_IS_TRADE_ANALYSIS (self), NULL);
  if (table < 0 || table > 1 || self->tables[table] == NULL || row < 0)
    return NULL;
  child = gtk_grid_get_child_at (self->tables[table], column, row + 1);
  if (!GTK_IS_LABEL (child))
    return NULL;
  return g_strdup (gtk_label_get_text (GTK_LABEL (child)));
}

static void
hs_trade_analysis_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HsTradeAnalysis *self = HS_TRADE_ANALYSIS (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_int (value, self->mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_trade_analysis_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HsTradeAnalysis *self = HS_TRADE_ANALYSIS (object);

  switch (prop_id)
    {
    case PROP_MODE:
      if (self->mode != (HsTradeAnalysisMode) g_value_get_int (value))
        {
          self->mode = g_value_get_int (value);
          hs_trade_analysis_set_rows (self, NULL, 0);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_trade_analysis_dispose (GObject *object)
{
  HsTradeAnalysis *self = HS_TRADE_ANALYSIS (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (hs_trade_analysis_parent_class)->dispose (object);
}

static void
hs_trade_analysis_class_init (HsTradeAnalysisClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_trade_analysis_dispose;
  object_class->get_property = hs_trade_analysis_get_property;
  object_class->set_property = hs_trade_analysis_set_property;
  properties[PROP_MODE] =
    g_param_spec_int ("mode", NULL, NULL, HS_TRADE_ANALYSIS_CALIBRATION,
                      HS_TRADE_ANALYSIS_BREAKDOWN, HS_TRADE_ANALYSIS_CALIBRATION,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
hs_trade_analysis_init (HsTradeAnalysis *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (self->box, 24);
  gtk_widget_set_margin_end (self->box, 24);
  gtk_widget_set_margin_top (self->box, 18);
  gtk_widget_set_margin_bottom (self->box, 18);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  hs_trade_analysis_set_rows (self, NULL, 0);
}

/* Returns: (transfer floating): a new view */
GtkWidget *
hs_trade_analysis_new (HsTradeAnalysisMode mode)
{
  return g_object_new (HS_TYPE_TRADE_ANALYSIS, "mode", mode, NULL);
}
