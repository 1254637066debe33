/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thin timeline bar for the coverage table: a trough standing for the time span of the whole
 * database and a filled stretch from @start to @end (fractions of that span) where one series
 * has data, so the rows together read like a Gantt chart of what is stored. Drawn in snapshot
 * with two rounded rectangles; colours come from the style (currentColor and the accent).
 */
#define G_LOG_DOMAIN "hs-coverage-bar"

#include "config.h"

#include "hs-coverage-bar.h"

#include <math.h>

struct _HsCoverageBar
{
  GtkWidget parent_instance;

  double    start;   /* 0 … 1 */
  double    end;     /* start … 1 */
};

G_DEFINE_FINAL_TYPE (HsCoverageBar, hs_coverage_bar, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_START,
  PROP_END,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define BAR_HEIGHT 8
#define MIN_FILL 6.0f

static void
hs_coverage_bar_measure (GtkWidget      *widget,
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
      *natural = 160;
    }
  else
    *minimum = *natural = BAR_HEIGHT;
}

static void
hs_coverage_bar_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  HsCoverageBar *self = HS_COVERAGE_BAR (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float y = floorf ((height - BAR_HEIGHT) / 2.0f);
  float x0 = 0, x1 = 0;
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  GdkRGBA fg, accent, trough;
  GskRoundedRect rect;

  if (width <= 0)
    return;

  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &accent))
    accent = (GdkRGBA) { 0.21f, 0.52f, 0.89f, 1.0f };
  trough = fg;
  trough.alpha *= 0.1f;

  gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (0, y, width, BAR_HEIGHT),
                                   BAR_HEIGHT / 2.0f);
  gtk_snapshot_push_rounded_clip (snapshot, &rect);
  gtk_snapshot_append_color (snapshot, &trough, &rect.bounds);
  gtk_snapshot_pop (snapshot);

  /* A series of a day still gets a visible sliver. */
  x0 = (float) (self->start * width);
  x1 = (float) (self->end * width);
  if (x1 - x0 < MIN_FILL)
    {
      float mid = (x0 + x1) / 2.0f;

      x0 = CLAMP (mid - MIN_FILL / 2.0f, 0.0f, MAX (width - MIN_FILL, 0.0f));
      x1 = MIN (x0 + MIN_FILL, width);
    }
  gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (x0, y, x1 - x0, BAR_HEIGHT),
                                   BAR_HEIGHT / 2.0f);
  gtk_snapshot_push_rounded_clip (snapshot, &rect);
  gtk_snapshot_append_color (snapshot, &accent, &rect.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
hs_coverage_bar_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HsCoverageBar *self = HS_COVERAGE_BAR (object);

  switch (prop_id)
    {
    case PROP_START:
      g_value_set_double (value, self->start);
      break;
    case PROP_END:
      g_value_set_double (value, self->end);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_coverage_bar_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HsCoverageBar *self = HS_COVERAGE_BAR (object);

  switch (prop_id)
    {
    case PROP_START:
      hs_coverage_bar_set_start (self, g_value_get_double (value));
      break;
    case PROP_END:
      hs_coverage_bar_set_end (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_coverage_bar_class_init (HsCoverageBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hs_coverage_bar_get_property;
  object_class->set_property = hs_coverage_bar_set_property;
  widget_class->measure = hs_coverage_bar_measure;
  widget_class->snapshot = hs_coverage_bar_snapshot;

  properties[PROP_START] =
    g_param_spec_double ("start", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_END] =
    g_param_spec_double ("end", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "coveragebar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hs_coverage_bar_init (HsCoverageBar *self)
{
}

GtkWidget *
hs_coverage_bar_new (void)
{
  return g_object_new (HS_TYPE_COVERAGE_BAR, NULL);
}

double
hs_coverage_bar_get_start (HsCoverageBar *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_BAR (self), 0.0);
  return self->start;
}

void
hs_coverage_bar_set_start (HsCoverageBar *self,
                           double         start)
{
  g_return_if_fail (HS_IS_COVERAGE_BAR (self));

  start = CLAMP (start, 0.0, 1.0);
  if (self->start == start)
    return;
  self->start = start;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
}

double
hs_coverage_bar_get_end (HsCoverageBar *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_BAR (self), 0.0);
  return self->end;
}

void
hs_coverage_bar_set_end (HsCoverageBar *self,
                         double         end)
{
  g_return_if_fail (HS_IS_COVERAGE_BAR (self));

  end = CLAMP (end, 0.0, 1.0);
  if (self->end == end)
    return;
  self->end = end;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);
}
