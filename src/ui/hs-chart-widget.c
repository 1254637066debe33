/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one chart widget. It holds a painter (HsChartPainter) and its data, the visible range,
 * and a render node of the painted chart (through gtk_snapshot_append_cairo()), rebuilt only
 * when the data, the view, the size or the palette change; pointer movement only moves the
 * crosshair, drawn over the cached node, and rewrites the readout label. Zoom and pan change
 * the view's x range (and y for charts that zoom both ways); NAN ranges mean "fit", so an
 * unzoomed chart follows its data. Export paints once more, into a file, at the size chosen in
 * the file chooser.
 */
#define G_LOG_DOMAIN "hs-chart-widget"

#include "config.h"

#include "hs-chart-widget.h"
#include "hs-chart-widget-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "hs-chart-private.h"

struct _HsChartWidget
{
  GtkWidget             parent_instance;

  const HsChartPainter *painter;       /* (unowned) (nullable) static */
  gpointer              data;          /* (owned) (nullable) */
  GDestroyNotify        destroy;
  char                 *title;         /* (owned) (nullable) */
  char                 *font_family;   /* (owned) (nullable) */

  HsChartView           view;          /* NAN ranges: fit */
  HsChartView           drag_start;    /* the view, resolved, when a drag began */
  HsChartStyle          style;

  GskRenderNode        *node;          /* (owned) (nullable) the painted chart */
  HsChartLayout         layout;        /* of node */
  gboolean              have_layout;
  int                   node_width, node_height;

  gboolean              hovering;
  double                pointer_x, pointer_y;
  HsChartProbe          probe;

  GtkWidget            *readout;       /* (owned) child label */
  GtkWidget            *menu;          /* (owned) child popover */
  GtkNativeDialog      *chooser;       /* (owned) (nullable) */
  HsChartFileFormat     chooser_format;
};

G_DEFINE_FINAL_TYPE (HsChartWidget, hs_chart_widget, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TITLE,
  PROP_ZOOMED,
  PROP_DARK,
  PROP_HIGHLIGHT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_POINT_ACTIVATED,
  SIGNAL_POINT_HOVERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Zoom steps: one scroll notch or key press shows 80% (in) or 125% (out) of the range. */
#define ZOOM_STEP 0.8
/* Keyboard pan: a tenth of the visible range. */
#define PAN_STEP 0.1
/* The deepest zoom: a millionth of the whole data's range. */
#define MIN_SPAN_FRACTION 1e-6

static const char readout_css[] =
  "chart:focus-visible {"
  "  outline: 2px solid alpha(@accent_color, 0.6);"
  "  outline-offset: -2px;"
  "}"
  "chart > label.readout {"
  "  background-color: alpha(@view_bg_color, 0.92);"
  "  color: @view_fg_color;"
  "  border-radius: 6px;"
  "  padding: 2px 8px;"
  "  box-shadow: 0 1px 3px alpha(black, 0.25);"
  "}";

/* ------------------------------------------------------------------------------------------ */
/* State                                                                                       */

static void
invalidate (HsChartWidget *self)
{
  g_clear_pointer (&self->node, gsk_render_node_unref);
  self->have_layout = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_style (HsChartWidget *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *desc = pango_context_get_font_description (context);
  const char *family = desc != NULL ? pango_font_description_get_family (desc) : NULL;
  gboolean changed = dark != self->style.dark;

  if (g_strcmp0 (family, self->font_family) != 0)
    {
      g_free (self->font_family);
      self->font_family = g_strdup (family);
      changed = TRUE;
    }
  hs_chart_style_init (&self->style, dark);
  if (self->font_family != NULL)
    self->style.font_family = self->font_family;
  if (changed)
    {
      invalidate (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DARK]);
    }
}

/* The layout of the chart at the widget's current size, computed when missing. */
static gboolean
ensure_layout (HsChartWidget *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->painter == NULL || width <= 0 || height <= 0)
    return FALSE;
  if (!self->have_layout || width != self->node_width || height != self->node_height)
    {
      self->have_layout = self->painter->layout (NULL, self->data, &self->view, width, height,
                                                 &self->style, &self->layout);
      self->node_width = width;
      self->node_height = height;
      if (!self->have_layout)
        memset (&self->layout, 0, sizeof self->layout);
      /* A layout that stands alone: remember it was computed, even for empty data. */
      self->have_layout = TRUE;
    }
  return self->layout.plot.width > 0;
}

static void
update_accessible (HsChartWidget *self)
{
  g_autofree char *description = NULL;

  if (self->painter != NULL && self->painter->describe != NULL)
    description = self->painter->describe (self->data);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->title != NULL ? self->title : _("Chart"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : _("No data."),
                                  -1);
}

static gboolean
view_is_fit (const HsChartView *v)
{
  return isnan (v->x_min) && isnan (v->x_max) && isnan (v->y_min) && isnan (v->y_max);
}

static void
set_view_internal (HsChartWidget     *self,
                   const HsChartView *view)
{
  gboolean was_zoomed = !view_is_fit (&self->view);
  int highlight = self->view.highlight;

  self->view = *view;
  self->view.highlight = highlight;
  invalidate (self);
  if (was_zoomed != !view_is_fit (&self->view))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOMED]);
  if (self->hovering)
    hs_chart_widget_pointer_motion (self, self->pointer_x, self->pointer_y);
}

/* Keeps [*lo, *hi] inside [min, max] and at least @min_span wide; returns FALSE when it
 * covers all of [min, max] (the view is then "fit"). */
static gboolean
clamp_range (double *lo,
             double *hi,
             double  min,
             double  max)
{
  double span = *hi - *lo, full = max - min;
  double min_span = full * MIN_SPAN_FRACTION;

  if (!(full > 0) || span >= full)
    return FALSE;
  if (span < min_span)
    {
      double mid = (*lo + *hi) / 2;

      *lo = mid - min_span / 2;
      *hi = mid + min_span / 2;
      span = min_span;
    }
  if (*lo < min)
    {
      *lo = min;
      *hi = min + span;
    }
  if (*hi > max)
    {
      *hi = max;
      *lo = max - span;
    }
  return TRUE;
}

/* Applies a new resolved range along x (and y) within the data's extent. */
static void
apply_ranges (HsChartWidget *self,
              double         x_lo,
              double         x_hi,
              double         y_lo,
              double         y_hi)
{
  HsChartView extent, view;
  gboolean zoom_y = (self->painter->flags & HS_CHART_ZOOM_Y) != 0;

  if (!self->painter->extent (self->data, &extent))
    return;
  hs_chart_view_init (&view);
  if (clamp_range (&x_lo, &x_hi, extent.x_min, extent.x_max))
    {
      view.x_min = x_lo;
      view.x_max = x_hi;
    }
  if (zoom_y && clamp_range (&y_lo, &y_hi, extent.y_min, extent.y_max))
    {
      view.y_min = y_lo;
      view.y_max = y_hi;
    }
  /* Zoomed only one way: the other axis shows everything, not the fit to the visible part. */
  if (zoom_y && !isnan (view.x_min) && isnan (view.y_min))
    {
      view.y_min = extent.y_min;
      view.y_max = extent.y_max;
    }
  if (zoom_y && !isnan (view.y_min) && isnan (view.x_min))
    {
      view.x_min = extent.x_min;
      view.x_max = extent.x_max;
    }
  set_view_internal (self, &view);
}

static gboolean
can_zoom (HsChartWidget *self)
{
  return self->painter != NULL && (self->painter->flags & (HS_CHART_ZOOM_X | HS_CHART_ZOOM_Y))
         && ensure_layout (self);
}

/* Zooms by @factor (< 1: in) around the pixel (@px, @py). */
static void
zoom_at (HsChartWidget *self,
         double         px,
         double         py,
         double         factor)
{
  const HsChartLayout *l = &self->layout;
  const HsChartView *v = &self->layout.view;
  double ax, ay;

  if (!can_zoom (self))
    return;
  px = CLAMP (px, l->plot.x, l->plot.x + l->plot.width);
  py = CLAMP (py, l->plot.y, l->plot.y + l->plot.height);
  ax = hs_chart_map (px, l->plot.x, l->plot.x + l->plot.width, v->x_min, v->x_max);
  ay = hs_chart_map (py, l->plot.y + l->plot.height, l->plot.y, v->y_min, v->y_max);
  apply_ranges (self, ax - (ax - v->x_min) * factor, ax + (v->x_max - ax) * factor,
                ay - (ay - v->y_min) * factor, ay + (v->y_max - ay) * factor);
}

/* Moves the resolved view @from by (@dx, @dy) pixels (content follows the pointer). */
static void
pan_from (HsChartWidget     *self,
          const HsChartView *from,
          double             dx,
          double             dy)
{
  const HsChartLayout *l = &self->layout;
  double sx = (from->x_max - from->x_min) / MAX (l->plot.width, 1.0);
  double sy = (from->y_max - from->y_min) / MAX (l->plot.height, 1.0);
  gboolean zoom_y = (self->painter->flags & HS_CHART_ZOOM_Y) != 0;

  apply_ranges (self, from->x_min - dx * sx, from->x_max - dx * sx,
                zoom_y ? from->y_min + dy * sy : NAN, zoom_y ? from->y_max + dy * sy : NAN);
}

/* ------------------------------------------------------------------------------------------ */
/* Pointer                                                                                     */

void
hs_chart_widget_pointer_motion (HsChartWidget *self,
                                double         x,
                                double         y)
{
  int before = self->probe.index;

  g_return_if_fail (HS_IS_CHART_WIDGET (self));

  self->hovering = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  hs_chart_probe_init (&self->probe, x, y);
  if (self->painter != NULL && ensure_layout (self) && self->painter->probe != NULL)
    self->painter->probe (self->data, &self->layout, x, y, &self->probe);
  gtk_label_set_text (GTK_LABEL (self->readout), self->probe.text);
  gtk_widget_set_visible (self->readout, self->probe.text[0] != '\0');
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->probe.index != before)
    g_signal_emit (self, signals[SIGNAL_POINT_HOVERED], 0, self->probe.index);
}

void
hs_chart_widget_pointer_leave (HsChartWidget *self)
{
  gboolean had = self->probe.index >= 0;

  g_return_if_fail (HS_IS_CHART_WIDGET (self));

  self->hovering = FALSE;
  hs_chart_probe_init (&self->probe, 0, 0);
  gtk_label_set_text (GTK_LABEL (self->readout), "");
  gtk_widget_set_visible (self->readout, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (had)
    g_signal_emit (self, signals[SIGNAL_POINT_HOVERED], 0, -1);
}

/* @dy > 0 (scrolling down) zooms out, < 0 in; a notch is 1. */
void
hs_chart_widget_scroll_zoom (HsChartWidget *self,
                             double         x,
                             double         y,
                             double         dy)
{
  g_return_if_fail (HS_IS_CHART_WIDGET (self));

  zoom_at (self, x, y, pow (ZOOM_STEP, -dy));
}

void
hs_chart_widget_drag_begin (HsChartWidget *self)
{
  g_return_if_fail (HS_IS_CHART_WIDGET (self));

  if (can_zoom (self))
    self->drag_start = self->layout.view;
  else
    hs_chart_view_init (&self->drag_start);
}

void
hs_chart_widget_drag_update (HsChartWidget *self,
                             double         dx,
                             double         dy)
{
  g_return_if_fail (HS_IS_CHART_WIDGET (self));

  if (!isnan (self->drag_start.x_min) && can_zoom (self))
    pan_from (self, &self->drag_start, dx, dy);
}

/* A press of @n_press clicks: two reset the view, one activates the item under it. */
void
hs_chart_widget_click (HsChartWidget *self,
                       double         x,
                       double         y,
                       int            n_press)
{
  HsChartProbe probe;

  g_return_if_fail (HS_IS_CHART_WIDGET (self));

  if (n_press == 2)
    {
      hs_chart_widget_reset_view (self);
      return;
    }
  if (n_press != 1 || self->painter == NULL || !ensure_layout (self)
      || self->painter->probe == NULL)
    return;
  if (self->painter->probe (self->data, &self->layout, x, y, &probe) < 0)
    return;
  hs_chart_widget_set_highlight (self, probe.index);
  g_signal_emit (self, signals[SIGNAL_POINT_ACTIVATED], 0, probe.index);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           HsChartWidget            *self)
{
  hs_chart_widget_pointer_motion (self, x, y);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          HsChartWidget            *self)
{
  hs_chart_widget_pointer_leave (self);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           HsChartWidget            *self)
{
  if (!can_zoom (self) || dy == 0)
    return FALSE;
  /* Smooth scrolling reports fractions of a notch; its unit is pixels on some devices. */
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_SURFACE)
    dy /= 20.0;
  hs_chart_widget_scroll_zoom (self, self->pointer_x, self->pointer_y, dy);
  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               HsChartWidget  *self)
{
  hs_chart_widget_drag_begin (self);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                HsChartWidget  *self)
{
  hs_chart_widget_drag_update (self, dx, dy);
}

static void
primary_pressed_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    HsChartWidget   *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (n_press == 2)
    hs_chart_widget_click (self, x, y, 2);
}

static void
primary_released_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     HsChartWidget   *self)
{
  /* A release that ends a drag is not a click: the click gesture is cancelled past the drag
   * threshold and never reports it. */
  if (n_press == 1)
    hs_chart_widget_click (self, x, y, 1);
}

static void
popup_menu_at (HsChartWidget *self,
               double         x,
               double         y)
{
  GdkRectangle at = { (int) x, (int) y, 1, 1 };

  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &at);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
secondary_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      HsChartWidget   *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_menu_at (self, x, y);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                     */

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HsChartWidget *self = HS_CHART_WIDGET (widget);
  const HsChartLayout *l = &self->layout;
  gboolean in = g_str_equal (action_name, "chart.zoom-in");

  if (!can_zoom (self))
    return;
  zoom_at (self, l->plot.x + l->plot.width / 2, l->plot.y + l->plot.height / 2,
           in ? ZOOM_STEP : 1.0 / ZOOM_STEP);
}

static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  HsChartWidget *self = HS_CHART_WIDGET (widget);
  const HsChartLayout *l = &self->layout;
  double dx = 0, dy = 0;

  if (!can_zoom (self))
    return;
  /* Pan moves the view: "left" shows what lies left, so the content moves right. */
  if (g_str_equal (action_name, "chart.pan-left"))
    dx = PAN_STEP * l->plot.width;
  else if (g_str_equal (action_name, "chart.pan-right"))
    dx = -PAN_STEP * l->plot.width;
  else if (g_str_equal (action_name, "chart.pan-up"))
    dy = PAN_STEP * l->plot.height;
  else
    dy = -PAN_STEP * l->plot.height;
  pan_from (self, &l->view, dx, dy);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  hs_chart_widget_reset_view (HS_CHART_WIDGET (widget));
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HsChartWidget *self = HS_CHART_WIDGET (widget);

  popup_menu_at (self, gtk_widget_get_width (widget) / 2.0,
                 gtk_widget_get_height (widget) / 2.0);
}

static void
show_toast (HsChartWidget *self,
            const char    *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}

static void
chooser_response_cb (HsChartWidget  *self,
                     int             response,
                     GtkNativeDialog *dialog)
{
  GtkFileChooser *chooser = GTK_FILE_CHOOSER (dialog);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *size = NULL, *palette = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  gboolean dark = FALSE;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (chooser);
  if (file != NULL)
    path = g_file_get_path (file);
  size = gtk_file_chooser_get_choice (chooser, "size");
  palette = gtk_file_chooser_get_choice (chooser, "palette");
  if (size != NULL && !g_str_equal (size, "window"))
    sscanf (size, "%dx%d", &width, &height);
  dark = g_strcmp0 (palette, "dark") == 0;

  if (path != NULL)
    {
      if (hs_chart_widget_export (self, self->chooser_format, width, height, dark, path,
                                  &error))
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *message = g_strdup_printf (_("Chart saved as %s"), name);

          show_toast (self, message);
        }
      else
        show_toast (self, error->message);
    }
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HsChartWidget *self = HS_CHART_WIDGET (widget);
  const char *ext = g_variant_get_string (parameter, NULL);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  g_autofree char *size_now = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *native;
  static const char *palette_ids[] = { "light", "dark", NULL };
  const char *palette_labels[] = { _("Light"), _("Dark"), NULL };
  static const char *size_ids[] = { "window", "1600x900", "1920x1080", "3840x2160", NULL };
  const char *size_labels[] = { NULL, "1600 × 900", "1920 × 1080", "3840 × 2160", NULL };

  if (!hs_chart_file_format_from_name (ext, &self->chooser_format) || self->chooser != NULL)
    return;
  size_now = g_strdup_printf (_("As shown (%d × %d)"), gtk_widget_get_width (widget),
                              gtk_widget_get_height (widget));
  size_labels[0] = size_now;

  native = gtk_file_chooser_native_new (_("Export Chart"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                        _("_Cancel"));
  gtk_file_filter_add_suffix (filter, ext);
  gtk_file_filter_set_name (filter, self->chooser_format == HS_CHART_FILE_PNG
                                      ? _("PNG image")
                                      : self->chooser_format == HS_CHART_FILE_SVG
                                        ? _("SVG drawing") : _("PDF document"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  name = g_strdup_printf ("%s.%s", self->title != NULL ? self->title : _("chart"), ext);
  g_strdelimit (name, "/\\:", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (native), "size", _("Size"), size_ids,
                               size_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (native), "size", "window");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (native), "palette", _("Colours"), palette_ids,
                               palette_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (native), "palette",
                               self->style.dark ? "dark" : "light");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect_object (native, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  self->chooser = GTK_NATIVE_DIALOG (native);
  gtk_native_dialog_show (self->chooser);
}

/* ------------------------------------------------------------------------------------------ */
/* Drawing                                                                                     */

static void
build_node (HsChartWidget *self,
            int            width,
            int            height)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* The paint reports its layout too: the crosshair and readout need it, and computing it
   * apart would decimate the series a second time. */
  memset (&self->layout, 0, sizeof self->layout);
  if (self->painter != NULL)
    self->painter->paint (cr, self->data, &self->view, width, height, &self->style,
                          &self->layout);
  else
    hs_chart_draw_message (cr, width, height, &self->style, _("No data"));
  cairo_destroy (cr);
  self->node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  self->node_width = width;
  self->node_height = height;
  self->have_layout = TRUE;
}

static void
append_line (GtkSnapshot       *snapshot,
             const GdkRGBA     *color,
             double             x,
             double             y,
             double             width,
             double             height)
{
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT ((float) x, (float) y, (float) width,
                                                  (float) height));
}

/* The crosshair: for time charts a vertical line through both panes at the item and a
 * horizontal one in the pane under the pointer; for the scatter both lines through the trade;
 * for the heat maps and histogram nothing (the readout says it). */
static void
snapshot_crosshair (HsChartWidget *self,
                    GtkSnapshot   *snapshot)
{
  const HsChartLayout *l = &self->layout;
  const HsChartRgba *c = &self->style.crosshair;
  GdkRGBA color = { (float) c->r, (float) c->g, (float) c->b, (float) c->a };
  double x = floor (self->probe.snap_x), y = floor (self->probe.snap_y);
  gboolean time = (self->painter->flags & HS_CHART_TIME_X) != 0;
  gboolean scatter = (self->painter->flags & HS_CHART_ZOOM_Y) != 0;
  const HsChartRect *pane = NULL;

  if (self->probe.index < 0 || (!time && !scatter))
    return;
  if (hs_chart_rect_contains (&l->plot, self->probe.snap_x, self->probe.snap_y))
    pane = &l->plot;
  else if (hs_chart_rect_contains (&l->lower, self->probe.snap_x, self->probe.snap_y))
    pane = &l->lower;

  if (time)
    {
      append_line (snapshot, &color, x, l->plot.y, 1, l->plot.height);
      if (l->lower.width > 0)
        append_line (snapshot, &color, x, l->lower.y, 1, l->lower.height);
    }
  else
    append_line (snapshot, &color, x, l->plot.y, 1, l->plot.height);
  if (pane != NULL)
    {
      GskRoundedRect dot;
      const HsChartRgba *s = &self->style.series;
      GdkRGBA fill = { (float) s->r, (float) s->g, (float) s->b, 1 };

      append_line (snapshot, &color, pane->x, y, pane->width, 1);
      gsk_rounded_rect_init_from_rect (&dot, &GRAPHENE_RECT_INIT ((float) x - 3, (float) y - 3,
                                                                  7, 7), 3.5f);
      gtk_snapshot_push_rounded_clip (snapshot, &dot);
      gtk_snapshot_append_color (snapshot, &fill, &dot.bounds);
      gtk_snapshot_pop (snapshot);
    }
}

static void
hs_chart_widget_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  HsChartWidget *self = HS_CHART_WIDGET (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (width <= 0 || height <= 0)
    return;
  if (self->node == NULL || width != self->node_width || height != self->node_height)
    {
      g_clear_pointer (&self->node, gsk_render_node_unref);
      build_node (self, width, height);
    }
  gtk_snapshot_append_node (snapshot, self->node);
  if (self->hovering && self->painter != NULL && ensure_layout (self))
    snapshot_crosshair (self, snapshot);
  gtk_widget_snapshot_child (widget, self->readout, snapshot);
}

static void
hs_chart_widget_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  HsChartWidget *self = HS_CHART_WIDGET (widget);
  int child_min = 0, child_nat = 0;

  gtk_widget_measure (self->readout, orientation, -1, &child_min, &child_nat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 480;
    }
  else
    {
      *minimum = 100;
      *natural = 300;
    }
}

static void
hs_chart_widget_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  HsChartWidget *self = HS_CHART_WIDGET (widget);
  int w = 0, h = 0;

  /* The readout sits at the top right, in the legend row, out of the way of the pointer. */
  gtk_widget_measure (self->readout, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
  gtk_widget_measure (self->readout, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
  w = MIN (w, MAX (width - 8, 0));
  gtk_widget_allocate (self->readout, w, h, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (
                                                  (float) MAX (width - w - 6, 0), 2)));
  gtk_popover_present (GTK_POPOVER (self->menu));
  if (width != self->node_width || height != self->node_height)
    invalidate (self);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                     */

static void
clear_data (HsChartWidget *self)
{
  if (self->destroy != NULL && self->data != NULL)
    self->destroy (self->data);
  self->data = NULL;
  self->destroy = NULL;
  self->painter = NULL;
}

static void
hs_chart_widget_dispose (GObject *object)
{
  HsChartWidget *self = HS_CHART_WIDGET (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->readout, gtk_widget_unparent);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_pointer (&self->node, gsk_render_node_unref);
  clear_data (self);

  G_OBJECT_CLASS (hs_chart_widget_parent_class)->dispose (object);
}

static void
hs_chart_widget_finalize (GObject *object)
{
  HsChartWidget *self = HS_CHART_WIDGET (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->font_family, g_free);

  G_OBJECT_CLASS (hs_chart_widget_parent_class)->finalize (object);
}

static void
hs_chart_widget_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HsChartWidget *self = HS_CHART_WIDGET (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_ZOOMED:
      g_value_set_boolean (value, hs_chart_widget_get_zoomed (self));
      break;
    case PROP_DARK:
      g_value_set_boolean (value, self->style.dark);
      break;
    case PROP_HIGHLIGHT:
      g_value_set_int (value, self->view.highlight);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_chart_widget_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HsChartWidget *self = HS_CHART_WIDGET (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      hs_chart_widget_set_title (self, g_value_get_string (value));
      break;
    case PROP_HIGHLIGHT:
      hs_chart_widget_set_highlight (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_chart_widget_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (hs_chart_widget_parent_class)->css_changed (widget, change);
  update_style (HS_CHART_WIDGET (widget));
}

static void
hs_chart_widget_class_init (HsChartWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_chart_widget_dispose;
  object_class->finalize = hs_chart_widget_finalize;
  object_class->get_property = hs_chart_widget_get_property;
  object_class->set_property = hs_chart_widget_set_property;
  widget_class->snapshot = hs_chart_widget_snapshot;
  widget_class->measure = hs_chart_widget_measure;
  widget_class->size_allocate = hs_chart_widget_size_allocate;
  widget_class->css_changed = hs_chart_widget_css_changed;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ZOOMED] =
    g_param_spec_boolean ("zoomed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HIGHLIGHT] =
    g_param_spec_int ("highlight", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HsChartWidget::point-activated:
   * @index: the item clicked (a trade, bar, bin or cell; see hs-chart-widget.h)
   */
  signals[SIGNAL_POINT_ACTIVATED] =
    g_signal_new ("point-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  /**
   * HsChartWidget::point-hovered:
   * @index: the item under the pointer, −1 when there is none
   */
  signals[SIGNAL_POINT_HOVERED] =
    g_signal_new ("point-hovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_install_action (widget_class, "chart.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "chart.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "chart.pan-left", NULL, pan_action);
  gtk_widget_class_install_action (widget_class, "chart.pan-right", NULL, pan_action);
  gtk_widget_class_install_action (widget_class, "chart.pan-up", NULL, pan_action);
  gtk_widget_class_install_action (widget_class, "chart.pan-down", NULL, pan_action);
  gtk_widget_class_install_action (widget_class, "chart.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "chart.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "chart.menu", NULL, menu_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "chart.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "chart.zoom-out",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "chart.pan-left", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "chart.pan-right", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "chart.pan-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "chart.pan-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "chart.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "chart.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "chart.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "chart.menu",
                                       NULL);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static GMenuModel *
build_menu_model (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) export = g_menu_new ();
  g_autoptr(GMenu) view = g_menu_new ();

  g_menu_append (export, _("Export as _PNG…"), "chart.export::png");
  g_menu_append (export, _("Export as _SVG…"), "chart.export::svg");
  g_menu_append (export, _("Export as P_DF…"), "chart.export::pdf");
  g_menu_append (view, _("_Reset Zoom"), "chart.reset");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (export));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (view));
  return G_MENU_MODEL (menu);
}

static void
load_css_once (void)
{
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      GdkDisplay *display = gdk_display_get_default ();

      if (display != NULL)
        {
          g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

          gtk_css_provider_load_from_data (provider, readout_css, -1);
          gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                      GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
        }
      g_once_init_leave (&loaded, 1);
    }
}

static void
dark_changed_cb (HsChartWidget *self)
{
  update_style (self);
}

static void
hs_chart_widget_init (HsChartWidget *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *primary = gtk_gesture_click_new ();
  GtkGesture *secondary = gtk_gesture_click_new ();
  g_autoptr(GMenuModel) model = build_menu_model ();

  load_css_once ();
  hs_chart_view_init (&self->view);
  hs_chart_probe_init (&self->probe, 0, 0);
  hs_chart_style_init (&self->style, FALSE);
  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);

  self->readout = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->readout, "readout");
  gtk_widget_add_css_class (self->readout, "caption");
  gtk_widget_add_css_class (self->readout, "numeric");
  gtk_label_set_ellipsize (GTK_LABEL (self->readout), PANGO_ELLIPSIZE_END);
  gtk_widget_set_can_target (self->readout, FALSE);
  gtk_widget_set_visible (self->readout, FALSE);
  gtk_widget_set_parent (self->readout, widget);

  self->menu = gtk_popover_menu_new_from_model (model);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, widget);

  g_signal_connect (motion, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (widget, motion);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (widget, scroll);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (primary), GDK_BUTTON_PRIMARY);
  g_signal_connect (primary, "pressed", G_CALLBACK (primary_pressed_cb), self);
  g_signal_connect (primary, "released", G_CALLBACK (primary_released_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (primary));
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (secondary), GDK_BUTTON_SECONDARY);
  g_signal_connect (secondary, "pressed", G_CALLBACK (secondary_pressed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (secondary));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
  update_style (self);
  update_accessible (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                  */

/**
 * hs_chart_widget_new:
 *
 * Returns: (transfer floating): an empty chart ("No data") until given a painter
 */
GtkWidget *
hs_chart_widget_new (void)
{
  return g_object_new (HS_TYPE_CHART_WIDGET, NULL);
}

/**
 * hs_chart_widget_set_chart:
 * @painter: (nullable): the chart kind (static), NULL for none
 * @data: (nullable) (transfer full): its data, which must not change while the widget has it
 * @destroy: (nullable): frees @data when it is replaced or the widget goes
 *
 * Shows @data with @painter, fitted (the view is reset), nothing highlighted.
 */
void
hs_chart_widget_set_chart (HsChartWidget        *self,
                           const HsChartPainter *painter,
                           gpointer              data,
                           GDestroyNotify        destroy)
{
  HsChartView fit;

  g_return_if_fail (HS_IS_CHART_WIDGET (self));

  clear_data (self);
  self->painter = painter;
  self->data = data;
  self->destroy = destroy;
  hs_chart_view_init (&fit);
  self->view.highlight = -1;
  set_view_internal (self, &fit);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGHLIGHT]);
  update_accessible (self);
}

void
hs_chart_widget_set_equity (HsChartWidget     *self,
                            HsEquityChartData *data)
{
  hs_chart_widget_set_chart (self, &hs_equity_chart_painter, data,
                             (GDestroyNotify) hs_equity_chart_data_free);
}

void
hs_chart_widget_set_candles (HsChartWidget     *self,
                             HsCandleChartData *data)
{
  hs_chart_widget_set_chart (self, &hs_candle_chart_painter, data,
                             (GDestroyNotify) hs_candle_chart_data_free);
}

void
hs_chart_widget_set_monthly_returns (HsChartWidget        *self,
                                     HsMonthlyReturnsData *data)
{
  hs_chart_widget_set_chart (self, &hs_monthly_returns_painter, data,
                             (GDestroyNotify) hs_monthly_returns_free);
}

void
hs_chart_widget_set_histogram (HsChartWidget   *self,
                               HsHistogramData *data)
{
  hs_chart_widget_set_chart (self, &hs_histogram_painter, data,
                             (GDestroyNotify) hs_histogram_data_free);
}

void
hs_chart_widget_set_scatter (HsChartWidget *self,
                             HsScatterData *data)
{
  hs_chart_widget_set_chart (self, &hs_scatter_painter, data,
                             (GDestroyNotify) hs_scatter_data_free);
}

void
hs_chart_widget_set_sweep_heatmap (HsChartWidget      *self,
                                   HsSweepHeatmapData *data)
{
  hs_chart_widget_set_chart (self, &hs_sweep_heatmap_painter, data,
                             (GDestroyNotify) hs_sweep_heatmap_data_free);
}

const HsChartPainter *
hs_chart_widget_get_painter (HsChartWidget *self)
{
  g_return_val_if_fail (HS_IS_CHART_WIDGET (self), NULL);
  return self->painter;
}

gconstpointer
hs_chart_widget_get_data (HsChartWidget *self)
{
  g_return_val_if_fail (HS_IS_CHART_WIDGET (self), NULL);
  return self->data;
}

const char *
hs_chart_widget_get_title (HsChartWidget *self)
{
  g_return_val_if_fail (HS_IS_CHART_WIDGET (self), NULL);
  return self->title;
}

/**
 * hs_chart_widget_set_title:
 * @title: (nullable): what the chart shows, e.g. "Equity and drawdown": its accessible name
 *   and the export's default file name
 */
void
hs_chart_widget_set_title (HsChartWidget *self,
                           const char    *title)
{
  g_return_if_fail (HS_IS_CHART_WIDGET (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/**
 * hs_chart_widget_get_view:
 * @view: (out caller-allocates): the view as set (NAN: fitted)
 */
void
hs_chart_widget_get_view (HsChartWidget *self,
                          HsChartView   *view)
{
  g_return_if_fail (HS_IS_CHART_WIDGET (self));
  g_return_if_fail (view != NULL);

  *view = self->view;
}

/**
 * hs_chart_widget_set_view:
 * @view: the visible ranges (NAN: fit); its highlight is ignored (hs_chart_widget_set_highlight())
 */
void
hs_chart_widget_set_view (HsChartWidget     *self,
                          const HsChartView *view)
{
  g_return_if_fail (HS_IS_CHART_WIDGET (self));
  g_return_if_fail (view != NULL);

  set_view_internal (self, view);
}

void
hs_chart_widget_reset_view (HsChartWidget *self)
{
  HsChartView fit;

  g_return_if_fail (HS_IS_CHART_WIDGET (self));

  hs_chart_view_init (&fit);
  set_view_internal (self, &fit);
}

/* Returns: whether the view shows less than the whole data */
gboolean
hs_chart_widget_get_zoomed (HsChartWidget *self)
{
  g_return_val_if_fail (HS_IS_CHART_WIDGET (self), FALSE);
  return !view_is_fit (&self->view);
}

int
hs_chart_widget_get_highlight (HsChartWidget *self)
{
  g_return_val_if_fail (HS_IS_CHART_WIDGET (self), -1);
  return self->view.highlight;
}

/**
 * hs_chart_widget_set_highlight:
 * @index: the item to emphasise (the trade selected in a list), −1 for none
 */
void
hs_chart_widget_set_highlight (HsChartWidget *self,
                               int            index)
{
  g_return_if_fail (HS_IS_CHART_WIDGET (self));

  index = MAX (index, -1);
  if (self->view.highlight == index)
    return;
  self->view.highlight = index;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGHLIGHT]);
}

/* Returns: whether the dark palette is in use (AdwStyleManager:dark) */
gboolean
hs_chart_widget_get_dark (HsChartWidget *self)
{
  g_return_val_if_fail (HS_IS_CHART_WIDGET (self), FALSE);
  return self->style.dark;
}

/* Returns: (transfer none): the readout's text, "" when it is hidden */
const char *
hs_chart_widget_get_readout (HsChartWidget *self)
{
  g_return_val_if_fail (HS_IS_CHART_WIDGET (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->readout));
}

/**
 * hs_chart_widget_export:
 * @format: PNG, SVG or PDF
 * @width: the picture's width (pixels; points for SVG and PDF)
 * @height: its height
 * @dark: the dark palette instead of the light one
 * @path: the file to write
 * @error: return location for a GError (G_IO_ERROR)
 *
 * Draws the chart as it is shown (same data and visible range) into a file of the given size.
 * Nothing to draw is an error (G_IO_ERROR_INVALID_DATA).
 *
 * Returns: TRUE when the file was written
 */
gboolean
hs_chart_widget_export (HsChartWidget      *self,
                        HsChartFileFormat   format,
                        int                 width,
                        int                 height,
                        gboolean            dark,
                        const char         *path,
                        GError            **error)
{
  HsChartStyle style;

  g_return_val_if_fail (HS_IS_CHART_WIDGET (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->painter == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("There is no chart to export"));
      return FALSE;
    }
  hs_chart_style_init (&style, dark);
  style.font_family = self->style.font_family;
  return hs_chart_export_file (self->painter, self->data, &self->view, &style, format, width,
                               height, path, error);
}

/* ------------------------------------------------------------------------------------------ */
/* For tests                                                                                   */

const HsChartLayout *
hs_chart_widget_get_layout (HsChartWidget *self)
{
  g_return_val_if_fail (HS_IS_CHART_WIDGET (self), NULL);
  ensure_layout (self);
  return &self->layout;
}

const HsChartStyle *
hs_chart_widget_get_style (HsChartWidget *self)
{
  g_return_val_if_fail (HS_IS_CHART_WIDGET (self), NULL);
  return &self->style;
}

GtkWidget *
hs_chart_widget_get_menu (HsChartWidget *self)
{
  g_return_val_if_fail (HS_IS_CHART_WIDGET (self), NULL);
  return self->menu;
}
