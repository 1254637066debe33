/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hs-bars.h"
#include "hs-coverage-page.h"
#include "hs-import-job.h"

G_BEGIN_DECLS

#define HS_TYPE_DATA_PAGE (hs_data_page_get_type ())

G_DECLARE_FINAL_TYPE (HsDataPage, hs_data_page, HS, DATA_PAGE, AdwBin)

/* Called on the main thread whenever the chart area should show other bars: @bars is the
 * selected series (NULL while none is selected or its bars are being read; lent for the call,
 * copy what you keep), @title names it ("SPY · 1d"). */
typedef void (*HsDataChartFunc) (GtkWidget    *chart,
                                 const HsBars *bars,
                                 const char   *title,
                                 gpointer      user_data);

GtkWidget      *hs_data_page_new                (void);
void            hs_data_page_set_database       (HsDataPage      *self,
                                                 const char      *db_path);
void            hs_data_page_set_coverage       (HsDataPage      *self,
                                                 GPtrArray       *coverage);
HsCoveragePage *hs_data_page_get_coverage_page  (HsDataPage      *self);

void            hs_data_page_set_chart          (HsDataPage      *self,
                                                 GtkWidget       *chart,
                                                 HsDataChartFunc  update,
                                                 gpointer         user_data,
                                                 GDestroyNotify   destroy);
const HsBars   *hs_data_page_get_bars           (HsDataPage      *self);
GtkWidget      *hs_data_page_get_chart          (HsDataPage      *self);
const char     *hs_data_page_get_chart_title    (HsDataPage      *self);
gboolean        hs_data_page_get_loading_bars   (HsDataPage      *self);

void            hs_data_page_import_files       (HsDataPage      *self,
                                                 GSList          *files);
gboolean        hs_data_page_start_import       (HsDataPage      *self,
                                                 GPtrArray       *requests);
void            hs_data_page_cancel_import      (HsDataPage      *self);
gboolean        hs_data_page_get_importing      (HsDataPage      *self);
double          hs_data_page_get_progress       (HsDataPage      *self);
const char     *hs_data_page_get_last_error     (HsDataPage      *self);
GtkWidget      *hs_data_page_get_import_dialog  (HsDataPage      *self);
GtkWidget      *hs_data_page_get_error_dialog   (HsDataPage      *self);
void            hs_data_page_show_data_sources  (HsDataPage      *self);
void            hs_data_page_set_sources        (HsDataPage      *self,
                                                 GtkWidget       *widget);

G_END_DECLS
