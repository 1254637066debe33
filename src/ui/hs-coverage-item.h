/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <stdint.h>

#include "hs-store-market.h"

G_BEGIN_DECLS

#define HS_TYPE_COVERAGE_ITEM (hs_coverage_item_get_type ())

G_DECLARE_FINAL_TYPE (HsCoverageItem, hs_coverage_item, HS, COVERAGE_ITEM, GObject)

HsCoverageItem *hs_coverage_item_new           (const HsCoverage *coverage);
const char     *hs_coverage_item_get_symbol    (HsCoverageItem   *self);
const char     *hs_coverage_item_get_exchange  (HsCoverageItem   *self);
const char     *hs_coverage_item_get_kind      (HsCoverageItem   *self);
const char     *hs_coverage_item_get_data      (HsCoverageItem   *self);
const char     *hs_coverage_item_get_interval  (HsCoverageItem   *self);
int64_t         hs_coverage_item_get_first_ts  (HsCoverageItem   *self);
int64_t         hs_coverage_item_get_last_ts   (HsCoverageItem   *self);
int64_t         hs_coverage_item_get_rows      (HsCoverageItem   *self);
void            hs_coverage_item_set_timeline  (HsCoverageItem   *self,
                                                int64_t           range_first,
                                                int64_t           range_last);
double          hs_coverage_item_get_timeline_start (HsCoverageItem *self);
double          hs_coverage_item_get_timeline_end   (HsCoverageItem *self);
int             hs_coverage_item_compare       (HsCoverageItem   *a,
                                                HsCoverageItem   *b);
int             hs_coverage_item_compare_by_data (HsCoverageItem *a,
                                                  HsCoverageItem *b);

/* How the coverage table writes its values; plain functions so tests can state expectations. */
char           *hs_coverage_format_time        (int64_t           us,
                                                const char       *data,
                                                const char       *interval);
char           *hs_coverage_format_count       (int64_t           n);
const char     *hs_coverage_kind_label         (const char       *kind);
const char     *hs_coverage_data_label         (const char       *data);

G_END_DECLS
