/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Charts into files: the painter that draws on screen draws once more onto a PNG image, SVG or
 * PDF surface of the chosen size. SVG and PDF keep lines and text as vectors (sizes are then
 * in points). A chart of a million points costs what one redraw costs, since the painter
 * decimates to the surface's width either way.
 */
#define G_LOG_DOMAIN "hs-chart"

#include "config.h"

#include "hs-chart.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

/**
 * hs_chart_file_format_from_name:
 * @name: "png", "svg" or "pdf" (any case), or a file name ending in one of them
 * @out: (out): the format
 *
 * Returns: whether @name names a format
 */
gboolean
hs_chart_file_format_from_name (const char        *name,
                                HsChartFileFormat *out)
{
  static const struct { const char *ext; HsChartFileFormat format; } table[] = {
    { "png", HS_CHART_FILE_PNG }, { "svg", HS_CHART_FILE_SVG }, { "pdf", HS_CHART_FILE_PDF },
  };
  const char *dot;

  g_return_val_if_fail (name != NULL && out != NULL, FALSE);

  dot = strrchr (name, '.');
  if (dot != NULL)
    name = dot + 1;
  for (size_t i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_ascii_strcasecmp (name, table[i].ext) == 0)
      {
        *out = table[i].format;
        return TRUE;
      }
  return FALSE;
}

static gboolean
check (cairo_status_t  status,
       const char     *path,
       GError        **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR,
               status == CAIRO_STATUS_WRITE_ERROR ? G_IO_ERROR_FAILED : G_IO_ERROR_INVALID_DATA,
               _("Could not write the chart to %s: %s"), path, cairo_status_to_string (status));
  return FALSE;
}

/**
 * hs_chart_export_file:
 * @painter: the chart kind
 * @data: its data
 * @view: (nullable): the visible range (NULL: everything)
 * @style: the palette
 * @format: PNG, SVG or PDF
 * @width: the picture's width (pixels for PNG, points for SVG and PDF), 1 … 32767
 * @height: its height
 * @path: the file to write (replaced)
 * @error: return location for a GError
 *
 * Draws the chart with @painter into a new file at @path.
 *
 * Returns: TRUE on success; FALSE with @error set (G_IO_ERROR) when the surface could not be
 *   created or the file not written
 */
gboolean
hs_chart_export_file (const HsChartPainter *painter,
                      gconstpointer        data,
                      const HsChartView   *view,
                      const HsChartStyle  *style,
                      HsChartFileFormat    format,
                      int                  width,
                      int                  height,
                      const char          *path,
                      GError             **error)
{
  cairo_surface_t *surface = NULL;
  cairo_t *cr = NULL;
  cairo_status_t status;

  g_return_val_if_fail (painter != NULL && painter->paint != NULL, FALSE);
  g_return_val_if_fail (style != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (width < 1 || height < 1 || width > 32767 || height > 32767)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("A chart must be 1 to 32767 units wide and high, not %d × %d"),
                   width, height);
      return FALSE;
    }

  switch (format)
    {
    case HS_CHART_FILE_SVG:
      surface = cairo_svg_surface_create (path, width, height);
      break;
    case HS_CHART_FILE_PDF:
      surface = cairo_pdf_surface_create (path, width, height);
      break;
    case HS_CHART_FILE_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      break;
    }
  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return check (status, path, error);
    }

  cr = cairo_create (surface);
  painter->paint (cr, data, view, width, height, style, NULL);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == HS_CHART_FILE_PNG)
    status = cairo_surface_write_to_png (surface, path);
  /* Vector surfaces write as they finish; their errors show only then. */
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return check (status, path, error);
}
