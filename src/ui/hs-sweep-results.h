/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-sweep-job.h"

G_BEGIN_DECLS

#define HS_TYPE_SWEEP_RESULTS (hs_sweep_results_get_type ())

G_DECLARE_FINAL_TYPE (HsSweepResults, hs_sweep_results, HS, SWEEP_RESULTS, GtkWidget)

GtkWidget            *hs_sweep_results_new            (void);
void                  hs_sweep_results_set_outcome    (HsSweepResults *self,
                                                       HsSweepOutcome *outcome);
const HsSweepOutcome *hs_sweep_results_get_outcome    (HsSweepResults *self);
GtkColumnView        *hs_sweep_results_get_table      (HsSweepResults *self);
GListModel           *hs_sweep_results_get_rows       (HsSweepResults *self);
gboolean              hs_sweep_results_sort_by        (HsSweepResults *self,
                                                       const char     *column,
                                                       gboolean        descending);
guint                 hs_sweep_results_row_trial      (HsSweepResults *self,
                                                       guint           position);
gboolean              hs_sweep_results_set_axes       (HsSweepResults *self,
                                                       const char     *x_param,
                                                       const char     *y_param);
GtkWidget            *hs_sweep_results_get_heatmap    (HsSweepResults *self);
const char           *hs_sweep_results_get_dsr_text   (HsSweepResults *self);
double               *hs_sweep_results_dup_heatmap_values (HsSweepResults *self,
                                                           size_t         *nx,
                                                           size_t         *ny);
char                 *hs_sweep_results_dup_params_text (const HsSweepOutcome *outcome,
                                                        guint                 trial);

G_END_DECLS
