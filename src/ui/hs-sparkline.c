/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sparkline: a small line of a series' closes (hs_overview_read() samples them on a worker,
 * at most a hundred points), scaled from its lowest to its highest value, with a dot on the
 * last value. A NaN (a slice of time without bars) is stepped over: nights and weekends would
 * otherwise cut a stock's line into dashes, and the Overview states real gaps in words. Drawn
 * with cairo through GtkSnapshot in the accent colour.
 */
#define G_LOG_DOMAIN "hs-sparkline"

#include "config.h"

#include "hs-sparkline.h"

#include <math.h>

struct _HsSparkline
{
  GtkWidget  parent_instance;

  double    *values;   /* (owned) (nullable) */
  size_t     n;
};

G_DEFINE_FINAL_TYPE (HsSparkline, hs_sparkline, GTK_TYPE_WIDGET)

#define PAD 3.0

static void
hs_sparkline_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 48;
      *natural = 120;
    }
  else
    *minimum = *natural = 28;
}

static void
hs_sparkline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  HsSparkline *self = HS_SPARKLINE (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  double lo = INFINITY, hi = -INFINITY, step, last_x = NAN, last_y = NAN;
  GdkRGBA accent;
  cairo_t *cr = NULL;

  for (size_t i = 0; i < self->n; i++)
    if (isfinite (self->values[i]))
      {
        lo = MIN (lo, self->values[i]);
        hi = MAX (hi, self->values[i]);
      }
  if (width <= 2 * PAD || height <= 2 * PAD || !isfinite (lo))
    return;
  if (!gtk_style_context_lookup_color (style, "accent_color", &accent))
    gtk_style_context_get_color (style, &accent);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  gdk_cairo_set_source_rgba (cr, &accent);
  step = self->n > 1 ? (width - 2 * PAD) / (double) (self->n - 1) : 0;
  for (size_t i = 0; i < self->n; i++)
    {
      double v = self->values[i];
      double x, y;

      if (!isfinite (v))
        continue;
      x = self->n > 1 ? PAD + step * (double) i : width / 2;
      /* A flat series sits in the middle. */
      y = hi > lo ? PAD + (hi - v) / (hi - lo) * (height - 2 * PAD) : height / 2;
      if (isfinite (last_x))
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      last_x = x;
      last_y = y;
    }
  cairo_stroke (cr);
  if (isfinite (last_x))
    {
      cairo_arc (cr, last_x, last_y, 2.5, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
}

static void
hs_sparkline_finalize (GObject *object)
{
  HsSparkline *self = HS_SPARKLINE (object);

  g_clear_pointer (&self->values, g_free);

  G_OBJECT_CLASS (hs_sparkline_parent_class)->finalize (object);
}

static void
hs_sparkline_class_init (HsSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = hs_sparkline_finalize;
  widget_class->measure = hs_sparkline_measure;
  widget_class->snapshot = hs_sparkline_snapshot;
  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hs_sparkline_init (HsSparkline *self)
{
}

GtkWidget *
hs_sparkline_new (void)
{
  return g_object_new (HS_TYPE_SPARKLINE, NULL);
}

/**
 * hs_sparkline_set_values:
 * @values: (array length=n) (nullable): the points, NAN where a slice has none; copied
 */
void
hs_sparkline_set_values (HsSparkline  *self,
                         const double *values,
                         size_t        n)
{
  g_return_if_fail (HS_IS_SPARKLINE (self));
  g_return_if_fail (values != NULL || n == 0);

  g_free (self->values);
  self->values = n > 0 ? g_memdup2 (values, n * sizeof (double)) : NULL;
  self->n = n;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Returns: (transfer none) (array length=n) (nullable): the points */
const double *
hs_sparkline_get_values (HsSparkline *self,
                         size_t      *n)
{
  g_return_val_if_fail (HS_IS_SPARKLINE (self), NULL);
  *n = self->n;
  return self->values;
}
