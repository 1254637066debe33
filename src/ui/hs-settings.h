/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The GSettings schema the window keeps its state in (data/io.github.hindsight.gschema.xml). */
#define HS_SETTINGS_SCHEMA "io.github.hindsight"

/* How many databases the recent list keeps. */
#define HS_RECENT_MAX 10

GSettings  *hs_settings_new              (void);
char      **hs_recent_add                (const char *const *recent,
                                          const char        *path,
                                          int                max);
char      **hs_recent_remove             (const char *const *recent,
                                          const char        *path);
void        hs_settings_remember_database (GSettings        *settings,
                                          const char        *path);
void        hs_settings_forget_database  (GSettings         *settings,
                                          const char        *path);

G_END_DECLS
