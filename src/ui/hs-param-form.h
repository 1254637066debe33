/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-strategy.h"

G_BEGIN_DECLS

#define HS_TYPE_PARAM_FORM (hs_param_form_get_type ())

G_DECLARE_FINAL_TYPE (HsParamForm, hs_param_form, HS, PARAM_FORM, GtkWidget)

GtkWidget            *hs_param_form_new                (void);
void                  hs_param_form_set_strategy       (HsParamForm          *self,
                                                        const HsStrategyInfo *strategy);
const HsStrategyInfo *hs_param_form_get_strategy       (HsParamForm          *self);

GtkWidget            *hs_param_form_get_control        (HsParamForm          *self,
                                                        const char           *name);
GtkWidget            *hs_param_form_get_range_toggle   (HsParamForm          *self,
                                                        const char           *name);
GtkSpinButton        *hs_param_form_get_range_spin     (HsParamForm          *self,
                                                        const char           *name,
                                                        guint                 which);
guint                 hs_param_form_get_n_controls     (HsParamForm          *self);

gboolean              hs_param_form_set_value          (HsParamForm          *self,
                                                        const char           *name,
                                                        const char           *value);
gboolean              hs_param_form_set_range          (HsParamForm          *self,
                                                        const char           *name,
                                                        double                start,
                                                        double                stop,
                                                        double                step);
void                  hs_param_form_set_range_enabled  (HsParamForm          *self,
                                                        const char           *name,
                                                        gboolean              enabled);

gboolean              hs_param_form_get_sweep          (HsParamForm          *self);
GStrv                 hs_param_form_dup_params         (HsParamForm          *self);
char                 *hs_param_form_dup_problem        (HsParamForm          *self);
double                hs_param_form_count_combinations (HsParamForm          *self);
GStrv                 hs_param_form_dup_range_names    (HsParamForm          *self);

char                 *hs_param_format_number           (const HsParamSpec    *spec,
                                                        double                value);

G_END_DECLS
