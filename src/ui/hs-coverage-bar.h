/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HS_TYPE_COVERAGE_BAR (hs_coverage_bar_get_type ())

G_DECLARE_FINAL_TYPE (HsCoverageBar, hs_coverage_bar, HS, COVERAGE_BAR, GtkWidget)

GtkWidget *hs_coverage_bar_new       (void);
double     hs_coverage_bar_get_start (HsCoverageBar *self);
void       hs_coverage_bar_set_start (HsCoverageBar *self,
                                      double         start);
double     hs_coverage_bar_get_end   (HsCoverageBar *self);
void       hs_coverage_bar_set_end   (HsCoverageBar *self,
                                      double         end);

G_END_DECLS
