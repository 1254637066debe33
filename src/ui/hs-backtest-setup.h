/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-backtest-job.h"
#include "hs-param-form.h"
#include "hs-sweep-job.h"

G_BEGIN_DECLS

#define HS_TYPE_BACKTEST_SETUP (hs_backtest_setup_get_type ())

G_DECLARE_FINAL_TYPE (HsBacktestSetup, hs_backtest_setup, HS, BACKTEST_SETUP, GtkWidget)

GtkWidget         *hs_backtest_setup_new                 (void);
void               hs_backtest_setup_set_database_path   (HsBacktestSetup *self,
                                                          const char      *path);
const char        *hs_backtest_setup_get_database_path   (HsBacktestSetup *self);
gboolean           hs_backtest_setup_get_loading         (HsBacktestSetup *self);

/* The form, as a person fills it. */
gboolean           hs_backtest_setup_select_instrument   (HsBacktestSetup *self,
                                                          const char      *symbol);
gboolean           hs_backtest_setup_select_interval     (HsBacktestSetup *self,
                                                          const char      *interval);
gboolean           hs_backtest_setup_select_strategy     (HsBacktestSetup *self,
                                                          const char      *name);
void               hs_backtest_setup_select_rule_set     (HsBacktestSetup *self);
gboolean           hs_backtest_setup_set_period          (HsBacktestSetup *self,
                                                          const char      *from,
                                                          const char      *to);
gboolean           hs_backtest_setup_apply_preset        (HsBacktestSetup *self,
                                                          const char      *preset);
void               hs_backtest_setup_set_rules           (HsBacktestSetup *self,
                                                          const char      *entry,
                                                          const char      *exit);
void               hs_backtest_setup_set_benchmark       (HsBacktestSetup *self,
                                                          const char      *symbol);
void               hs_backtest_setup_load_run            (HsBacktestSetup   *self,
                                                          const HsBtRunInfo *info);
void               hs_backtest_setup_set_sweep_jobs      (HsBacktestSetup *self,
                                                          int              n_jobs);

HsParamForm       *hs_backtest_setup_get_param_form      (HsBacktestSetup *self);
GtkWidget         *hs_backtest_setup_get_run_button      (HsBacktestSetup *self);
char              *hs_backtest_setup_dup_period_text     (HsBacktestSetup *self);

/* What the form says. */
const char        *hs_backtest_setup_get_problem         (HsBacktestSetup *self);
const char        *hs_backtest_setup_get_status_text     (HsBacktestSetup *self);
gboolean           hs_backtest_setup_get_can_run         (HsBacktestSetup *self);
gboolean           hs_backtest_setup_get_sweep           (HsBacktestSetup *self);
double             hs_backtest_setup_get_combinations    (HsBacktestSetup *self);
gboolean           hs_backtest_setup_build_request       (HsBacktestSetup   *self,
                                                          HsBacktestRequest *q,
                                                          GError           **error);

/* Running. */
void               hs_backtest_setup_run                 (HsBacktestSetup *self);
void               hs_backtest_setup_cancel              (HsBacktestSetup *self);
gboolean           hs_backtest_setup_get_running         (HsBacktestSetup *self);
double             hs_backtest_setup_get_progress        (HsBacktestSetup *self);
HsBacktestOutcome *hs_backtest_setup_steal_outcome       (HsBacktestSetup *self);
HsSweepOutcome    *hs_backtest_setup_steal_sweep_outcome (HsBacktestSetup *self);
const char        *hs_backtest_setup_get_error_message   (HsBacktestSetup *self);

void               hs_backtest_outcome_free              (HsBacktestOutcome *outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsBacktestOutcome, hs_backtest_outcome_free)

G_END_DECLS
