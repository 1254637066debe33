/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

gboolean  hs_ui_locale_has_dates   (void);
char     *hs_ui_format_date        (int64_t  us);
char     *hs_ui_localize_iso_date  (const char *iso);
char     *hs_ui_format_decimal     (double   value,
                                    int      decimals);

G_END_DECLS
