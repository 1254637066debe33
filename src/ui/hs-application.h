/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_TYPE_APPLICATION (hs_application_get_type ())

G_DECLARE_FINAL_TYPE (HsApplication, hs_application, HS, APPLICATION, AdwApplication)

HsApplication *hs_application_new                 (void);
char          *hs_default_database_path           (void);
char          *hs_choose_database                 (const char *option,
                                                   const char *env_value,
                                                   const char *last,
                                                   const char *default_path);

G_END_DECLS
