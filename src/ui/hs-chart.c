/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parts every chart shares: palettes, tick generation for value and time axes, label
 * formatting, and the drawing helpers of hs-chart-private.h (text through one PangoLayout per
 * paint, grids, axis labels, colour scales). Pure cairo + pango + GLib: no GTK.
 *
 * Ticks are computed on every paint: a handful of candidate steps, each tried once, and a few
 * dozen labels measured, so their cost is small beside the series (see bench-chart).
 */
#define G_LOG_DOMAIN "hs-chart"

#include "config.h"

#include "hs-chart.h"
#include "hs-chart-private.h"

#include "hs-time.h"

#include <math.h>
#include <string.h>

#define MINUTE_US (INT64_C (60000000))
#define HOUR_US (60 * MINUTE_US)
#define DAY_US (24 * HOUR_US)

/* The minus sign of labels: U+2212, as wide as the plus sign and the digits. */
#define MINUS "\xe2\x88\x92"

static HsChartRgba
rgb (unsigned hex)
{
  return (HsChartRgba) { ((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0,
                         (hex & 0xff) / 255.0, 1.0 };
}

static HsChartRgba
rgba (unsigned hex,
      double   alpha)
{
  HsChartRgba c = rgb (hex);

  c.a = alpha;
  return c;
}

/**
 * hs_chart_style_init:
 * @style: (out caller-allocates): the style to fill
 * @dark: the dark palette (for AdwStyleManager:dark), else the light one
 *
 * Fills @style with Hindsight's chart palette. Gains and losses are blue and orange in both
 * palettes (Okabe & Ito's colour-blind-safe pair, lightened on dark), never red against green;
 * the series colours are the GNOME palette's blue and orange, at shades with enough contrast on
 * the palette's background.
 */
void
hs_chart_style_init (HsChartStyle *style,
                     gboolean      dark)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->dark = dark;
  style->font_family = "Sans";
  style->font_px = 11.0;
  style->line_width = 1.5;
  if (!dark)
    {
      style->background = rgb (0xffffff);
      style->text = rgb (0x241f31);
      style->text_dim = rgb (0x5e5c64);
      style->grid = rgba (0x000000, 0.07);
      style->grid_major = rgba (0x000000, 0.16);
      style->axis = rgba (0x000000, 0.45);
      style->series = rgb (0x1c71d8);
      style->benchmark = rgb (0x77767b);
      style->drawdown = rgb (0xc64600);
      style->up = style->win = rgb (0x0072b2);
      style->down = style->loss = rgb (0xd55e00);
      style->neutral = rgb (0xf2f2f2);
      style->highlight = rgb (0x000000);
      style->crosshair = rgba (0x241f31, 0.55);
    }
  else
    {
      style->background = rgb (0x1e1e1e);
      style->text = rgb (0xf0f0f0);
      style->text_dim = rgb (0xb0afb5);
      style->grid = rgba (0xffffff, 0.08);
      style->grid_major = rgba (0xffffff, 0.18);
      style->axis = rgba (0xffffff, 0.5);
      style->series = rgb (0x62a0ea);
      style->benchmark = rgb (0x9a9996);
      style->drawdown = rgb (0xffa348);
      style->up = style->win = rgb (0x56b4e9);
      style->down = style->loss = rgb (0xe69f00);
      style->neutral = rgb (0x3a3a3e);
      style->highlight = rgb (0xffffff);
      style->crosshair = rgba (0xf0f0f0, 0.55);
    }
}

/**
 * hs_chart_view_init:
 * @view: (out caller-allocates): the view to fill
 *
 * Sets @view to "fit everything": every range NAN, nothing highlighted.
 */
void
hs_chart_view_init (HsChartView *view)
{
  g_return_if_fail (view != NULL);

  view->x_min = view->x_max = NAN;
  view->y_min = view->y_max = NAN;
  view->y2_min = view->y2_max = NAN;
  view->highlight = -1;
}

/**
 * hs_chart_map:
 *
 * Returns: @v of the range @v0 … @v1 mapped linearly onto @p0 … @p1 (either may be reversed);
 *   the middle of @p0 … @p1 when the range is empty
 */
double
hs_chart_map (double v,
              double v0,
              double v1,
              double p0,
              double p1)
{
  if (v1 == v0)
    return (p0 + p1) / 2.0;
  return p0 + (v - v0) * (p1 - p0) / (v1 - v0);
}

/* ------------------------------------------------------------------------------------------ */
/* Labels                                                                                      */

static int
decimals_for_step (double step)
{
  double e;

  if (!(step > 0) || !isfinite (step))
    return 2;
  /* Steps are 1, 2 or 5 × 10^e: e < 0 needs −e decimals. The epsilon absorbs 0.1 being stored
   * as 0.1000000000000000055. */
  e = floor (log10 (step) + 1e-9);
  return e < 0 ? (int) MIN (-e, 12) : 0;
}

/**
 * hs_chart_format_value:
 * @value: the value
 * @step: the tick step the label belongs to (decides the decimals); 0 for a readout, which
 *   gets two decimals
 * @format: NUMBER, PERCENT (values in percent) or COMPACT (k, M, B)
 * @buf: (out): where the label goes
 * @size: @buf's size; 32 is always enough for axis labels
 *
 * Formats a value label: as many decimals as @step needs, no thousands grouping, a real minus
 * sign, "%" after percent values, and never "−0".
 */
void
hs_chart_format_value (double         value,
                       double         step,
                       HsChartFormat  format,
                       char          *buf,
                       size_t         size)
{
  int decimals = decimals_for_step (step);
  char digits[64];
  const char *suffix = format == HS_CHART_FORMAT_PERCENT ? "%" : "";
  gboolean negative;

  g_return_if_fail (buf != NULL && size > 0);

  if (!isfinite (value))
    {
      g_strlcpy (buf, isnan (value) ? "–" : (value > 0 ? "∞" : MINUS "∞"), size);
      return;
    }
  if (format == HS_CHART_FORMAT_COMPACT)
    {
      static const struct { double divisor; const char *suffix; } units[] = {
        { 1e9, "B" }, { 1e6, "M" }, { 1e3, "k" },
      };

      suffix = "";
      for (size_t i = 0; i < G_N_ELEMENTS (units); i++)
        if (fabs (value) >= units[i].divisor)
          {
            value /= units[i].divisor;
            decimals = step > 0 ? decimals_for_step (step / units[i].divisor) : 1;
            suffix = units[i].suffix;
            break;
          }
    }
  g_snprintf (digits, sizeof digits, "%.*f", decimals, fabs (value));
  /* "−0.00" is zero: only a value that still shows a non-zero digit gets a sign. */
  negative = value < 0 && strspn (digits, "0.") != strlen (digits);
  g_snprintf (buf, size, "%s%s%s", negative ? MINUS : "", digits, suffix);
}

/**
 * hs_chart_format_time:
 * @us: µs UTC
 * @buf: (out): where the text goes
 * @size: @buf's size (24 is enough)
 *
 * Formats a time for readouts: "2013-10-08 14:31" (UTC), or "2013-10-08" at midnight.
 */
void
hs_chart_format_time (int64_t  us,
                      char    *buf,
                      size_t   size)
{
  char iso[40];

  g_return_if_fail (buf != NULL && size > 0);

  hs_time_format_iso_buf (us, iso);   /* 2013-10-08T14:31:00Z or with fraction */
  if (us % DAY_US == 0 || strlen (iso) < 16)
    g_snprintf (buf, size, "%.10s", iso);
  else
    g_snprintf (buf, size, "%.10s %.5s", iso, iso + 11);
}

/* ------------------------------------------------------------------------------------------ */
/* Value ticks                                                                                 */

/**
 * hs_chart_ticks_linear:
 * @min: the axis' low end
 * @max: the axis' high end
 * @max_ticks: at most this many ticks (2 … HS_CHART_MAX_TICKS)
 * @format: NUMBER or PERCENT, for the labels
 * @out: (out caller-allocates): the ticks, pos left 0
 *
 * Ticks at the multiples of the smallest step of the 1-2-5 series (…, 0.1, 0.2, 0.5, 1, 2, 5,
 * 10, …) that puts at most @max_ticks multiples in [@min, @max]. For example 0 … 1234 with 7
 * ticks: step 200, ticks 0, 200, …, 1200. The zero tick is major. An empty range gets one tick.
 */
void
hs_chart_ticks_linear (double         min,
                       double         max,
                       int            max_ticks,
                       HsChartFormat  format,
                       HsChartTicks  *out)
{
  static const double mantissas[] = { 1, 2, 5 };
  double raw, e, step = 0;
  int64_t k0 = 0, k1 = -1;

  g_return_if_fail (out != NULL);

  out->n = 0;
  out->step = 0;
  out->unit = 0;
  out->unit_count = 0;
  if (!isfinite (min) || !isfinite (max))
    return;
  if (max < min)
    {
      double t = min;

      min = max;
      max = t;
    }
  max_ticks = CLAMP (max_ticks, 2, HS_CHART_MAX_TICKS);
  if (max == min)
    {
      out->n = 1;
      out->ticks[0].value = min;
      out->ticks[0].pos = 0;
      out->ticks[0].major = min == 0;
      hs_chart_format_value (min, 0, format, out->ticks[0].label, sizeof out->ticks[0].label);
      return;
    }

  raw = (max - min) / max_ticks;
  e = floor (log10 (raw));
  for (int attempt = 0; attempt < 8; attempt++)
    {
      gboolean found = FALSE;

      for (size_t i = 0; i < G_N_ELEMENTS (mantissas); i++)
        {
          double k0d, k1d;

          step = mantissas[i] * pow (10, e);
          if (step < raw * (1 - 1e-9))
            continue;
          /* Multiples within the range, allowing for the rounding of min / step. */
          k0d = ceil (min / step - 1e-9);
          k1d = floor (max / step + 1e-9);
          if (k1d - k0d + 1 <= max_ticks)
            {
              k0 = (int64_t) k0d;
              k1 = (int64_t) k1d;
              found = TRUE;
              break;
            }
        }
      if (found)
        break;
      e += 1;
    }

  out->step = step;
  for (int64_t k = k0; k <= k1 && out->n < HS_CHART_MAX_TICKS; k++)
    {
      HsChartTick *tick = &out->ticks[out->n++];

      /* k × step, not an accumulated sum, so 0.1 steps do not drift to 0.30000000000000004. */
      tick->value = k == 0 ? 0.0 : (double) k * step;
      tick->pos = 0;
      tick->major = k == 0;
      hs_chart_format_value (tick->value, step, format, tick->label, sizeof tick->label);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Time ticks                                                                                  */

typedef struct
{
  HsChartTimeUnit unit;
  int             count;
} TimeStep;

static const TimeStep time_steps[] = {
  { HS_CHART_TIME_MINUTE, 1 }, { HS_CHART_TIME_MINUTE, 2 }, { HS_CHART_TIME_MINUTE, 5 },
  { HS_CHART_TIME_MINUTE, 10 }, { HS_CHART_TIME_MINUTE, 15 }, { HS_CHART_TIME_MINUTE, 30 },
  { HS_CHART_TIME_HOUR, 1 }, { HS_CHART_TIME_HOUR, 2 }, { HS_CHART_TIME_HOUR, 3 },
  { HS_CHART_TIME_HOUR, 6 }, { HS_CHART_TIME_HOUR, 12 },
  { HS_CHART_TIME_DAY, 1 }, { HS_CHART_TIME_DAY, 2 }, { HS_CHART_TIME_WEEK, 1 },
  { HS_CHART_TIME_MONTH, 1 }, { HS_CHART_TIME_MONTH, 2 }, { HS_CHART_TIME_MONTH, 3 },
  { HS_CHART_TIME_MONTH, 6 },
  { HS_CHART_TIME_YEAR, 1 }, { HS_CHART_TIME_YEAR, 2 }, { HS_CHART_TIME_YEAR, 5 },
  { HS_CHART_TIME_YEAR, 10 }, { HS_CHART_TIME_YEAR, 20 }, { HS_CHART_TIME_YEAR, 50 },
  { HS_CHART_TIME_YEAR, 100 }, { HS_CHART_TIME_YEAR, 200 }, { HS_CHART_TIME_YEAR, 500 },
  { HS_CHART_TIME_YEAR, 1000 },
};

static int64_t
floor_div (int64_t a,
           int64_t b)
{
  int64_t q = a / b;

  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t
month_start_us (int64_t year,
                int     month)   /* 1 … 12 */
{
  return hs_time_days_from_civil (year, (unsigned) month, 1) * DAY_US;
}

static void
civil_of (int64_t  us,
          int64_t *year,
          int     *month)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (floor_div (us, G_USEC_PER_SEC));

  if (dt == NULL)
    {
      *year = 1970;
      *month = 1;
      return;
    }
  *year = g_date_time_get_year (dt);
  *month = g_date_time_get_month (dt);
}

static int64_t
step_length_us (const TimeStep *s)
{
  switch (s->unit)
    {
    case HS_CHART_TIME_MINUTE:
      return s->count * MINUTE_US;
    case HS_CHART_TIME_HOUR:
      return s->count * HOUR_US;
    case HS_CHART_TIME_DAY:
      return s->count * DAY_US;
    case HS_CHART_TIME_WEEK:
      return s->count * 7 * DAY_US;
    case HS_CHART_TIME_MONTH:
      return s->count * (DAY_US * 146097 / 4800);   /* the Gregorian month's average */
    case HS_CHART_TIME_YEAR:
    default:
      return s->count * (DAY_US * 146097 / 400);
    }
}

/* Writes the tick times of @s within [min, max] to @times (at most @cap); returns how many
 * there are, counting on past @cap so the caller can tell "too many". */
static int
time_tick_values (const TimeStep *s,
                  int64_t         min,
                  int64_t         max,
                  int64_t        *times,
                  int             cap)
{
  int n = 0;

  if (s->unit <= HS_CHART_TIME_WEEK)
    {
      int64_t len = step_length_us (s);
      /* Weeks start on Mondays; 1970-01-01 was a Thursday, 1970-01-05 a Monday. */
      int64_t origin = s->unit == HS_CHART_TIME_WEEK ? 4 * DAY_US : 0;
      int64_t t = floor_div (min - origin, len) * len + origin;

      if (t < min)
        t += len;
      for (; t <= max; t += len, n++)
        {
          if (n < cap)
            times[n] = t;
          if (n > cap)
            break;
        }
      return n;
    }

  {
    int64_t year;
    int month;
    int months = s->unit == HS_CHART_TIME_MONTH ? s->count : 12 * s->count;

    civil_of (min, &year, &month);
    /* Start at the first aligned month boundary at or before min: months aligned to the
     * count (January, April, July, October for quarters), years to multiples of the count. */
    if (s->unit == HS_CHART_TIME_MONTH)
      month -= (month - 1) % s->count;
    else
      {
        year = floor_div (year, s->count) * s->count;
        month = 1;
      }
    for (;;)
      {
        int64_t t = month_start_us (year, month);

        if (t > max)
          break;
        if (t >= min)
          {
            if (n < cap)
              times[n] = t;
            n++;
            if (n > cap)
              break;
          }
        month += months;
        year += (month - 1) / 12;
        month = (month - 1) % 12 + 1;
      }
    return n;
  }
}

static void
time_label (int64_t          t,
            HsChartTimeUnit  unit,
            HsChartTick     *tick)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (floor_div (t, G_USEC_PER_SEC));
  g_autofree char *text = NULL;
  gboolean midnight = t % DAY_US == 0;
  const char *format = "%H:%M";

  tick->major = FALSE;
  if (dt == NULL)
    {
      tick->label[0] = '\0';
      return;
    }
  /* A tick that starts a larger unit than the step's is labelled with that unit (d3's
   * multi-scale rule): 09:00 10:00 … Oct 8 … 23:00, or Nov Dec 2014 Feb. */
  if (midnight && g_date_time_get_day_of_month (dt) == 1 && g_date_time_get_month (dt) == 1)
    format = "%Y";
  else if (midnight && g_date_time_get_day_of_month (dt) == 1)
    format = "%b";
  else if (midnight)
    format = "%b %-d";
  if (unit == HS_CHART_TIME_YEAR)
    format = "%Y";
  text = g_date_time_format (dt, format);
  g_strlcpy (tick->label, text != NULL ? text : "", sizeof tick->label);

  switch (unit)
    {
    case HS_CHART_TIME_MINUTE:
    case HS_CHART_TIME_HOUR:
      tick->major = midnight;
      break;
    case HS_CHART_TIME_DAY:
    case HS_CHART_TIME_WEEK:
      tick->major = midnight && g_date_time_get_day_of_month (dt) == 1;
      break;
    case HS_CHART_TIME_MONTH:
      tick->major = g_date_time_get_month (dt) == 1;
      break;
    case HS_CHART_TIME_YEAR:
    default:
      tick->major = FALSE;
      break;
    }
}

/**
 * hs_chart_ticks_time:
 * @min_us: the axis' start, µs UTC
 * @max_us: the axis' end
 * @max_ticks: at most this many ticks (2 … HS_CHART_MAX_TICKS)
 * @out: (out caller-allocates): the ticks, pos left 0
 *
 * Ticks at the finest calendar step that puts at most @max_ticks of them in [@min_us, @max_us]:
 * 1, 2, 5, 10, 15, 30 minutes; 1, 2, 3, 6, 12 hours; 1, 2 days; weeks (Mondays); 1, 2, 3, 6
 * months; 1, 2, 5, 10, … years. Steps are aligned in UTC (hours on multiples of the step
 * since midnight, months on January + multiples of the count, years on multiples). Labels
 * follow the multi-scale rule: "14:30", "Oct 8" at midnight, "Oct" on the 1st, "2014" on
 * January 1st; out->unit and out->unit_count say which step was chosen.
 */
void
hs_chart_ticks_time (int64_t        min_us,
                     int64_t        max_us,
                     int            max_ticks,
                     HsChartTicks  *out)
{
  int64_t times[HS_CHART_MAX_TICKS];
  const TimeStep *chosen = &time_steps[G_N_ELEMENTS (time_steps) - 1];
  int n = 0;

  g_return_if_fail (out != NULL);

  out->n = 0;
  out->step = 0;
  if (max_us < min_us)
    {
      int64_t t = min_us;

      min_us = max_us;
      max_us = t;
    }
  max_ticks = CLAMP (max_ticks, 2, HS_CHART_MAX_TICKS);

  for (size_t i = 0; i < G_N_ELEMENTS (time_steps); i++)
    {
      const TimeStep *s = &time_steps[i];

      /* Skip steps whose count is obviously too large before generating anything. */
      if ((double) (max_us - min_us) / (double) step_length_us (s) > 2.0 * max_ticks + 2)
        continue;
      n = time_tick_values (s, min_us, max_us, times, max_ticks);
      if (n <= max_ticks)
        {
          chosen = s;
          break;
        }
    }
  n = time_tick_values (chosen, min_us, max_us, times, max_ticks);
  n = MIN (n, max_ticks);

  out->unit = chosen->unit;
  out->unit_count = chosen->count;
  out->step = (double) step_length_us (chosen);
  for (int i = 0; i < n; i++)
    {
      HsChartTick *tick = &out->ticks[out->n++];

      tick->value = (double) times[i];
      tick->pos = 0;
      time_label (times[i], chosen->unit, tick);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Drawing helpers                                                                             */

/* One PangoContext per thread, kept for the thread's life (painting happens on the main
 * thread, or on long-lived workers for exports): pango_cairo_create_layout() makes a new
 * context on every call, and a fresh context resolves its fonts again. The context is brought
 * in line with each cairo_t (its font options and transformation) before use. */
static __thread PangoContext *thread_context;

void
hs_chart_text_init (HsChartText        *t,
                    cairo_t            *cr,
                    const HsChartStyle *style)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_new ();
  int w = 0, h = 0;

  memset (t, 0, sizeof *t);
  if (cr == NULL)
    {
      t->scratch = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
      t->cr = cairo_create (t->scratch);
    }
  else
    t->cr = cr;
  if (thread_context == NULL)
    thread_context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_update_context (t->cr, thread_context);
  t->layout = pango_layout_new (thread_context);
  pango_font_description_set_family (desc, style->font_family != NULL ? style->font_family
                                                                      : "Sans");
  pango_font_description_set_absolute_size (desc, style->font_px * PANGO_SCALE);
  pango_layout_set_font_description (t->layout, desc);
  pango_layout_set_text (t->layout, "0123456789", -1);
  pango_layout_get_pixel_size (t->layout, &w, &h);
  t->line_h = h;
}

void
hs_chart_text_clear (HsChartText *t)
{
  g_clear_object (&t->layout);
  if (t->scratch != NULL)
    {
      cairo_destroy (t->cr);
      cairo_surface_destroy (t->scratch);
      t->scratch = NULL;
    }
  t->cr = NULL;
}

void
hs_chart_text_set_bold (HsChartText *t,
                        gboolean     bold)
{
  g_autoptr(PangoFontDescription) desc =
    pango_font_description_copy (pango_layout_get_font_description (t->layout));

  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (t->layout, desc);
}

double
hs_chart_text_width (HsChartText *t,
                     const char  *text)
{
  int w = 0, h = 0;

  pango_layout_set_text (t->layout, text, -1);
  pango_layout_get_pixel_size (t->layout, &w, &h);
  return w;
}

/* Draws @text with its box's point (@xalign, @yalign) (0 … 1 each) at (@x, @y). */
void
hs_chart_text_draw (HsChartText       *t,
                    const char        *text,
                    double             x,
                    double             y,
                    double             xalign,
                    double             yalign,
                    const HsChartRgba *color)
{
  int w = 0, h = 0;

  if (text == NULL || text[0] == '\0')
    return;
  pango_layout_set_text (t->layout, text, -1);
  pango_layout_get_pixel_size (t->layout, &w, &h);
  hs_chart_set_color (t->cr, color);
  cairo_move_to (t->cr, round (x - xalign * w), round (y - yalign * h));
  pango_cairo_show_layout (t->cr, t->layout);
  cairo_new_path (t->cr);
}

void
hs_chart_set_color (cairo_t           *cr,
                    const HsChartRgba *color)
{
  cairo_set_source_rgba (cr, color->r, color->g, color->b, color->a);
}

void
hs_chart_set_color_alpha (cairo_t           *cr,
                          const HsChartRgba *color,
                          double             alpha)
{
  cairo_set_source_rgba (cr, color->r, color->g, color->b, color->a * alpha);
}

void
hs_chart_paint_background (cairo_t            *cr,
                           int                 width,
                           int                 height,
                           const HsChartStyle *style)
{
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  hs_chart_set_color (cr, &style->background);
  cairo_paint (cr);
  cairo_restore (cr);
}

/* The empty state of a chart: its background and a centred line of text. */
void
hs_chart_draw_message (cairo_t            *cr,
                       int                 width,
                       int                 height,
                       const HsChartStyle *style,
                       const char         *message)
{
  HsChartText t;

  hs_chart_paint_background (cr, width, height, style);
  hs_chart_text_init (&t, cr, style);
  hs_chart_text_draw (&t, message, width / 2.0, height / 2.0, 0.5, 0.5, &style->text_dim);
  hs_chart_text_clear (&t);
}

/* Minimum free space between two axis labels, in pixels. */
#define LABEL_GAP 12.0
/* Target spacing of ticks along the axes. */
#define X_TICK_SPACING 110.0
#define Y_TICK_SPACING 44.0

void
hs_chart_fit_x_ticks (HsChartText   *t,
                      double         min,
                      double         max,
                      HsChartFormat  format,
                      double         x0,
                      double         x1,
                      HsChartTicks  *out)
{
  int max_ticks = MAX (2, (int) ((x1 - x0) / X_TICK_SPACING));

  for (;;)
    {
      double prev_right = -INFINITY;
      gboolean overlap = FALSE;

      if (format == HS_CHART_FORMAT_TIME)
        hs_chart_ticks_time ((int64_t) floor (min), (int64_t) ceil (max), max_ticks, out);
      else
        hs_chart_ticks_linear (min, max, max_ticks, format, out);
      for (int i = 0; i < out->n; i++)
        {
          double w = hs_chart_text_width (t, out->ticks[i].label);

          out->ticks[i].pos = hs_chart_map (out->ticks[i].value, min, max, x0, x1);
          if (out->ticks[i].pos - w / 2 < prev_right + LABEL_GAP)
            overlap = TRUE;
          prev_right = out->ticks[i].pos + w / 2;
        }
      if (!overlap || max_ticks <= 2 || out->n <= 2)
        break;
      max_ticks = MIN (max_ticks, out->n) - 1;
    }
}

void
hs_chart_fit_y_ticks (HsChartText   *t,
                      double         min,
                      double         max,
                      HsChartFormat  format,
                      double         y_top,
                      double         y_bottom,
                      HsChartTicks  *out)
{
  double spacing = MAX (Y_TICK_SPACING, 2.5 * t->line_h);
  int max_ticks = MAX (2, (int) ((y_bottom - y_top) / spacing) + 1);

  hs_chart_ticks_linear (min, max, max_ticks, format, out);
  for (int i = 0; i < out->n; i++)
    out->ticks[i].pos = hs_chart_map (out->ticks[i].value, min, max, y_bottom, y_top);
}

double
hs_chart_ticks_label_width (HsChartText        *t,
                            const HsChartTicks *ticks)
{
  double w = 0;

  for (int i = 0; i < ticks->n; i++)
    w = MAX (w, hs_chart_text_width (t, ticks->ticks[i].label));
  return w;
}

/* Grid lines sit on pixel centres so they stay one sharp pixel wide. */
static double
crisp (double v)
{
  return floor (v) + 0.5;
}

void
hs_chart_draw_grid_x (cairo_t            *cr,
                      const HsChartStyle *style,
                      const HsChartTicks *ticks,
                      const HsChartRect  *area)
{
  for (int major = 0; major <= 1; major++)
    {
      gboolean any = FALSE;

      for (int i = 0; i < ticks->n; i++)
        {
          double x = crisp (ticks->ticks[i].pos);

          if (ticks->ticks[i].major != major || x < area->x || x > area->x + area->width)
            continue;
          cairo_move_to (cr, x, area->y);
          cairo_line_to (cr, x, area->y + area->height);
          any = TRUE;
        }
      if (any)
        {
          hs_chart_set_color (cr, major ? &style->grid_major : &style->grid);
          cairo_set_line_width (cr, 1.0);
          cairo_stroke (cr);
        }
    }
}

void
hs_chart_draw_grid_y (cairo_t            *cr,
                      const HsChartStyle *style,
                      const HsChartTicks *ticks,
                      const HsChartRect  *area)
{
  gboolean any = FALSE;

  for (int i = 0; i < ticks->n; i++)
    {
      double y = crisp (ticks->ticks[i].pos);

      if (y < area->y - 0.5 || y > area->y + area->height + 0.5)
        continue;
      cairo_move_to (cr, area->x, y);
      cairo_line_to (cr, area->x + area->width, y);
      any = TRUE;
    }
  if (any)
    {
      hs_chart_set_color (cr, &style->grid);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
    }
}

/* Labels centred under their ticks at @y, kept inside 0 … @surface_width. */
void
hs_chart_draw_x_labels (HsChartText        *t,
                        const HsChartStyle *style,
                        const HsChartTicks *ticks,
                        double              y,
                        double              surface_width)
{
  for (int i = 0; i < ticks->n; i++)
    {
      const HsChartTick *tick = &ticks->ticks[i];
      double w = hs_chart_text_width (t, tick->label);
      double x = CLAMP (tick->pos - w / 2, 2.0, MAX (2.0, surface_width - w - 2.0));

      hs_chart_text_draw (t, tick->label, x, y, 0.0, 0.0,
                          tick->major ? &style->text : &style->text_dim);
    }
}

/* Labels right-aligned at @x_right, vertically centred on their ticks. */
void
hs_chart_draw_y_labels (HsChartText        *t,
                        const HsChartStyle *style,
                        const HsChartTicks *ticks,
                        double              x_right)
{
  for (int i = 0; i < ticks->n; i++)
    hs_chart_text_draw (t, ticks->ticks[i].label, x_right, ticks->ticks[i].pos, 1.0, 0.5,
                        &style->text_dim);
}

void
hs_chart_draw_frame (cairo_t            *cr,
                     const HsChartStyle *style,
                     const HsChartRect  *area)
{
  cairo_rectangle (cr, crisp (area->x), crisp (area->y), floor (area->width),
                   floor (area->height));
  hs_chart_set_color (cr, &style->grid_major);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

/* Widens [min, max] by @fraction of its span on each side; an empty range by 1% of its value
 * (or ±1 around zero), so every axis has a span. */
void
hs_chart_pad_range (double *min,
                    double *max,
                    double  fraction)
{
  double span = *max - *min;

  if (!(span > 0))
    {
      double d = fabs (*min) > 0 ? fabs (*min) * 0.01 : 1.0;

      *min -= d;
      *max += d;
      return;
    }
  *min -= span * fraction;
  *max += span * fraction;
}

gboolean
hs_chart_rect_contains (const HsChartRect *rect,
                        double             x,
                        double             y)
{
  return x >= rect->x && x <= rect->x + rect->width
         && y >= rect->y && y <= rect->y + rect->height;
}

static HsChartRgba
mix (const HsChartRgba *a,
     const HsChartRgba *b,
     double             t)
{
  return (HsChartRgba) { a->r + (b->r - a->r) * t, a->g + (b->g - a->g) * t,
                         a->b + (b->b - a->b) * t, a->a + (b->a - a->a) * t };
}

/* Loss colour at −1, neutral at 0, win colour at 1; @t is clamped. The ends keep 15% of the
 * neutral colour so a full cell is not louder than the series colours. */
void
hs_chart_diverging (const HsChartStyle *style,
                    double              t,
                    HsChartRgba        *out)
{
  if (isnan (t))
    {
      *out = style->neutral;
      out->a = 0.35;
      return;
    }
  t = CLAMP (t, -1.0, 1.0);
  if (t >= 0)
    *out = mix (&style->neutral, &style->win, 0.85 * sqrt (t));
  else
    *out = mix (&style->neutral, &style->loss, 0.85 * sqrt (-t));
}

/* The label colour (text or background) that reads best on @background. */
const HsChartRgba *
hs_chart_contrast_text (const HsChartStyle *style,
                        const HsChartRgba  *background)
{
  /* Relative luminance (sRGB weights on the gamma values: enough to pick black or white). */
  double l = 0.2126 * background->r + 0.7152 * background->g + 0.0722 * background->b;
  double lt = 0.2126 * style->text.r + 0.7152 * style->text.g + 0.0722 * style->text.b;
  double lb = 0.2126 * style->background.r + 0.7152 * style->background.g
              + 0.0722 * style->background.b;

  return fabs (l - lt) >= fabs (l - lb) ? &style->text : &style->background;
}

/* The colour of overlaid series @i (0, 1, …): Okabe & Ito's colour-blind-safe set without the
 * blue and orange the main series and drawdown use, cycling. */
void
hs_chart_series_color (const HsChartStyle *style,
                       size_t              i,
                       HsChartRgba        *out)
{
  static const unsigned light[] = { 0xcc79a7, 0x009e73, 0x8f5902, 0x56b4e9, 0x5e5c64 };
  static const unsigned dark[] = { 0xcc79a7, 0x009e73, 0xf0e442, 0x56b4e9, 0xdeddda };

  *out = rgb (style->dark ? dark[i % G_N_ELEMENTS (dark)] : light[i % G_N_ELEMENTS (light)]);
}

/* ------------------------------------------------------------------------------------------ */
/* Series                                                                                      */

void
hs_chart_mapping_init (HsChartMapping    *m,
                       const HsChartRect *rect,
                       const HsChartView *view,
                       gboolean           lower)
{
  m->rect = *rect;
  m->x_min = view->x_min;
  m->x_max = view->x_max;
  m->y_min = lower ? view->y2_min : view->y_min;
  m->y_max = lower ? view->y2_max : view->y_max;
}

static inline double
map_x (const HsChartMapping *m,
       double                x)
{
  return hs_chart_map (x, m->x_min, m->x_max, m->rect.x, m->rect.x + m->rect.width);
}

static inline double
map_y (const HsChartMapping *m,
       double                y)
{
  return hs_chart_map (y, m->y_min, m->y_max, m->rect.y + m->rect.height, m->rect.y);
}

/* A decimated series has up to two points per pixel column of the surface. From about one
 * per column of the plot on, a stroked polyline zig-zags up and down every column, and cairo
 * spends tens of milliseconds on its joins; what it would cover is exactly one vertical span
 * per column, from the column's lowest to its highest point (joined to the previous column's
 * last point), which cairo fills as boxes in well under a millisecond. */
static gboolean
is_dense (const HsChartMapping *m,
          size_t                n)
{
  return (double) n >= m->rect.width;
}

/* Spans waiting to become boxes: neighbouring columns with the same extent merge into one
 * box (a flat stretch of line, a level drawdown), so cairo composites fewer of them. */
typedef struct
{
  cairo_t *cr;
  double   x, width, y0, y1;   /* the pending box; width 0: none */
  gboolean allow_empty;        /* a line is at least a pixel high; an area may be nothing */
} Spans;

static void
spans_flush (Spans *s)
{
  if (s->width > 0)
    cairo_rectangle (s->cr, s->x, s->y0, s->width, s->y1 - s->y0);
  s->width = 0;
}

/* One column's span: the pixel column @col from @lo to @hi, widened by @pad up and down, on
 * whole pixels (cairo fills pixel-aligned boxes on a fast path; fractional edges would send
 * every box through the general rasteriser, ten times slower). */
static void
add_span (Spans  *s,
          double  col,
          double  lo,
          double  hi,
          double  pad)
{
  double y0 = round (lo - pad), y1 = round (hi + pad);

  if (y1 <= y0)
    {
      if (s->allow_empty)
        return;
      y1 = y0 + 1;
    }
  if (s->width > 0 && col == s->x + s->width && y0 == s->y0 && y1 == s->y1)
    {
      s->width += 1;
      return;
    }
  spans_flush (s);
  s->x = col;
  s->width = 1;
  s->y0 = y0;
  s->y1 = y1;
}

static void
clip_to (cairo_t           *cr,
         const HsChartRect *r)
{
  cairo_rectangle (cr, r->x, r->y, r->width, r->height);
  cairo_clip (cr);
}

/* Walks the finite points of a dense series column by column and adds one span per column
 * (the area's spans reach @base_y, the line's are padded by @pad). Returns whether two
 * neighbouring points lie more than a column apart (a gap the line must bridge). */
static gboolean
dense_spans (cairo_t              *cr,
             const HsChartMapping *m,
             const HsChartPoint   *p,
             size_t                n,
             double                pad,
             gboolean              area,
             double                base_y)
{
  double first_col = floor (m->rect.x) - 1, last_col = ceil (m->rect.x + m->rect.width) + 1;
  double col = 0, lo = 0, hi = 0, last_x = 0, last_y = 0;
  gboolean open = FALSE, gaps = FALSE;
  Spans spans = { cr, 0, 0, 0, 0, area };

  for (size_t i = 0; i <= n; i++)
    {
      double x = 0, y = 0, c = 0;

      if (i < n)
        {
          if (!isfinite (p[i].y))
            {
              if (open)
                add_span (&spans, col, area ? MIN (lo, base_y) : lo,
                          area ? MAX (hi, base_y) : hi, pad);
              open = FALSE;
              continue;
            }
          x = map_x (m, p[i].x);
          y = map_y (m, p[i].y);
          c = floor (x);
          if (open && c == col)
            {
              lo = MIN (lo, y);
              hi = MAX (hi, y);
              last_x = x;
              last_y = y;
              continue;
            }
        }
      if (open)
        add_span (&spans, col, area ? MIN (lo, base_y) : lo, area ? MAX (hi, base_y) : hi,
                  pad);
      if (i == n)
        break;
      lo = hi = y;
      if (open && c == col + 1)
        {
          lo = MIN (lo, last_y);
          hi = MAX (hi, last_y);
        }
      else if (open && c > col + 1)
        {
          gaps = TRUE;
          /* The area fills the columns between by the straight line between the two points;
           * the line bridges them with a stroke afterwards. */
          if (area)
            for (double k = MAX (col + 1, first_col); k < c && k <= last_col; k++)
              {
                double yk = last_y + (y - last_y) * (k + 0.5 - last_x) / (x - last_x);

                add_span (&spans, k, MIN (yk, base_y), MAX (yk, base_y), 0);
              }
        }
      col = c;
      open = TRUE;
      last_x = x;
      last_y = y;
    }
  spans_flush (&spans);
  return gaps;
}

/* A stroked polyline through the finite points, broken at undefined ones; with @gaps_only,
 * only the segments between points more than a pixel column apart. */
static void
polyline (cairo_t              *cr,
          const HsChartMapping *m,
          const HsChartPoint   *p,
          size_t                n,
          gboolean              gaps_only)
{
  gboolean pen = FALSE;
  double last_x = 0;

  for (size_t i = 0; i < n; i++)
    {
      double x, y;

      if (!isfinite (p[i].y))
        {
          pen = FALSE;
          continue;
        }
      x = map_x (m, p[i].x);
      y = map_y (m, p[i].y);
      if (pen && (!gaps_only || floor (x) > floor (last_x) + 1))
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      pen = TRUE;
      last_x = x;
    }
}

/**
 * hs_chart_draw_line:
 * @points: a decimated series in data units
 *
 * Draws @points as a line of @line_width clipped to @m's rectangle: stroked when sparse, as
 * pixel-column spans when dense (see is_dense()).
 */
void
hs_chart_draw_line (cairo_t              *cr,
                    const HsChartMapping *m,
                    const HsChartPoint   *points,
                    size_t                n,
                    double                line_width,
                    const HsChartRgba    *color)
{
  if (n == 0)
    return;
  cairo_save (cr);
  clip_to (cr, &m->rect);
  hs_chart_set_color (cr, color);
  cairo_set_line_width (cr, line_width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if (!is_dense (m, n))
    {
      polyline (cr, m, points, n, FALSE);
      cairo_stroke (cr);
    }
  else
    {
      gboolean gaps;

      /* Whole-pixel boxes need no antialiasing, and cairo composites them faster without. */
      cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
      gaps = dense_spans (cr, m, points, n, line_width / 2, FALSE, 0);
      cairo_fill (cr);
      cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
      if (gaps)
        {
          polyline (cr, m, points, n, TRUE);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

/**
 * hs_chart_draw_area:
 * @points: a decimated series in data units
 * @base: the value the area reaches to (0 for drawdown)
 *
 * Fills between @points and @base with @color at @alpha, clipped to @m's rectangle.
 */
void
hs_chart_draw_area (cairo_t              *cr,
                    const HsChartMapping *m,
                    const HsChartPoint   *points,
                    size_t                n,
                    double                base,
                    const HsChartRgba    *color,
                    double                alpha)
{
  double base_y = map_y (m, base);

  if (n == 0)
    return;
  cairo_save (cr);
  clip_to (cr, &m->rect);
  hs_chart_set_color_alpha (cr, color, alpha);
  if (is_dense (m, n))
    {
      cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);   /* whole-pixel boxes, as above */
      dense_spans (cr, m, points, n, 0, TRUE, base_y);
    }
  else
    {
      gboolean open = FALSE;
      double last_x = 0;

      for (size_t i = 0; i <= n; i++)
        {
          gboolean defined = i < n && isfinite (points[i].y);

          if (defined)
            {
              double x = map_x (m, points[i].x);

              if (!open)
                cairo_move_to (cr, x, base_y);
              cairo_line_to (cr, x, map_y (m, points[i].y));
              last_x = x;
              open = TRUE;
            }
          else if (open)
            {
              cairo_line_to (cr, last_x, base_y);
              cairo_close_path (cr);
              open = FALSE;
            }
        }
    }
  cairo_fill (cr);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------------------------------ */
/* Pane layout                                                                                 */

/**
 * hs_chart_layout_panes:
 * @lower_share: the lower pane's part of the panes' height (0: no lower pane)
 * @l: (inout): view resolved on entry; plot, lower and the ticks set on return
 *
 * The geometry the time charts share: a legend row, the main pane, a title row and the lower
 * pane, the x labels at the bottom; the left gutter as wide as the widest y label.
 */
void
hs_chart_layout_panes (HsChartText   *t,
                       int            width,
                       int            height,
                       double         lower_share,
                       HsChartFormat  x_format,
                       HsChartFormat  y_format,
                       HsChartFormat  y2_format,
                       HsChartLayout *l)
{
  double line = ceil (t->line_h);
  double top = line + 12, bottom = line + 10, gap = lower_share > 0 ? line + 10 : 0;
  double avail = MAX (height - top - bottom - gap, 20.0);
  double main_h = lower_share > 0 ? floor (avail * (1 - lower_share)) : avail;
  double label_w, left, right = 14;

  l->plot.y = top;
  l->plot.height = main_h;
  l->lower.y = top + main_h + gap;
  l->lower.height = avail - main_h;
  hs_chart_fit_y_ticks (t, l->view.y_min, l->view.y_max, y_format, l->plot.y,
                        l->plot.y + l->plot.height, &l->y_ticks);
  label_w = hs_chart_ticks_label_width (t, &l->y_ticks);
  l->y2_ticks.n = 0;
  if (lower_share > 0)
    {
      hs_chart_fit_y_ticks (t, l->view.y2_min, l->view.y2_max, y2_format, l->lower.y,
                            l->lower.y + l->lower.height, &l->y2_ticks);
      label_w = MAX (label_w, hs_chart_ticks_label_width (t, &l->y2_ticks));
    }
  left = ceil (label_w) + 16;
  l->plot.x = l->lower.x = left;
  l->plot.width = l->lower.width = MAX (width - left - right, 10.0);
  if (lower_share <= 0)
    l->lower.width = 0;
  hs_chart_fit_x_ticks (t, l->view.x_min, l->view.x_max, x_format, l->plot.x,
                        l->plot.x + l->plot.width, &l->x_ticks);
}

/* A legend entry at (@x, @y): a short line in @color and @name. Returns where the next one
 * goes. */
double
hs_chart_legend_entry (HsChartText        *t,
                       const HsChartStyle *style,
                       double              x,
                       double              y,
                       const char         *name,
                       const HsChartRgba  *color)
{
  double w = hs_chart_text_width (t, name);

  cairo_move_to (t->cr, x, y + t->line_h / 2);
  cairo_line_to (t->cr, x + 14, y + t->line_h / 2);
  hs_chart_set_color (t->cr, color);
  cairo_set_line_width (t->cr, 2.0);
  cairo_stroke (t->cr);
  hs_chart_text_draw (t, name, x + 19, y, 0, 0, &style->text);
  return x + 19 + w + 16;
}

/* The background and the grids of both panes. */
void
hs_chart_draw_pane_grids (cairo_t             *cr,
                          const HsChartStyle  *style,
                          const HsChartLayout *l)
{
  hs_chart_draw_grid_x (cr, style, &l->x_ticks, &l->plot);
  hs_chart_draw_grid_y (cr, style, &l->y_ticks, &l->plot);
  if (l->lower.width > 0 && l->lower.height > 0)
    {
      hs_chart_draw_grid_x (cr, style, &l->x_ticks, &l->lower);
      hs_chart_draw_grid_y (cr, style, &l->y2_ticks, &l->lower);
    }
}

/* The axis labels of both panes, the lower pane's title, and the panes' frames. */
void
hs_chart_draw_pane_labels (HsChartText         *t,
                           const HsChartStyle  *style,
                           const HsChartLayout *l,
                           int                  width,
                           const char          *lower_title)
{
  gboolean lower = l->lower.width > 0 && l->lower.height > 0;
  const HsChartRect *bottom = lower ? &l->lower : &l->plot;

  hs_chart_draw_frame (t->cr, style, &l->plot);
  hs_chart_draw_y_labels (t, style, &l->y_ticks, l->plot.x - 8);
  if (lower)
    {
      hs_chart_draw_frame (t->cr, style, &l->lower);
      hs_chart_draw_y_labels (t, style, &l->y2_ticks, l->lower.x - 8);
      hs_chart_text_draw (t, lower_title, l->lower.x, l->lower.y - ceil (t->line_h) - 6, 0, 0,
                          &style->text);
    }
  hs_chart_draw_x_labels (t, style, &l->x_ticks, bottom->y + bottom->height + 5, width);
}

/* An empty probe result at the pointer: no item, the crosshair where the pointer is. */
void
hs_chart_probe_init (HsChartProbe *out,
                     double        px,
                     double        py)
{
  memset (out, 0, sizeof *out);
  out->index = -1;
  out->snap_x = px;
  out->snap_y = py;
}
