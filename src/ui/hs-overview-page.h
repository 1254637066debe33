/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hs-overview-job.h"

G_BEGIN_DECLS

#define HS_TYPE_OVERVIEW_PAGE (hs_overview_page_get_type ())

G_DECLARE_FINAL_TYPE (HsOverviewPage, hs_overview_page, HS, OVERVIEW_PAGE, AdwBin)

GtkWidget        *hs_overview_page_new                  (void);
void              hs_overview_page_set_database         (HsOverviewPage *self,
                                                         const char     *db_path,
                                                         GPtrArray      *coverage);
void              hs_overview_page_reload               (HsOverviewPage *self);
void              hs_overview_page_refresh_positions    (HsOverviewPage *self);
gboolean          hs_overview_page_get_loading          (HsOverviewPage *self);
const HsOverview *hs_overview_page_get_overview         (HsOverviewPage *self);
const char       *hs_overview_page_get_view             (HsOverviewPage *self);
unsigned          hs_overview_page_get_refresh_interval (HsOverviewPage *self);
void              hs_overview_page_set_refresh_interval (HsOverviewPage *self,
                                                         unsigned        seconds);
GtkListBox       *hs_overview_page_get_list             (HsOverviewPage *self,
                                                         const char     *name);

/* How the Overview writes its numbers; plain functions so tests can state expectations. */
char             *hs_overview_format_price              (double          price);
char             *hs_overview_format_money              (double          amount);
char             *hs_overview_format_fraction           (double          fraction);

G_END_DECLS
