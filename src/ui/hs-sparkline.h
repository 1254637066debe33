/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HS_TYPE_SPARKLINE (hs_sparkline_get_type ())

G_DECLARE_FINAL_TYPE (HsSparkline, hs_sparkline, HS, SPARKLINE, GtkWidget)

GtkWidget    *hs_sparkline_new        (void);
void          hs_sparkline_set_values (HsSparkline  *self,
                                       const double *values,
                                       size_t        n);
const double *hs_sparkline_get_values (HsSparkline  *self,
                                       size_t       *n);

G_END_DECLS
