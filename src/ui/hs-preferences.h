/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hs-fetch.h"

G_BEGIN_DECLS

#define HS_TYPE_PREFERENCES (hs_preferences_get_type ())

G_DECLARE_FINAL_TYPE (HsPreferences, hs_preferences, HS, PREFERENCES, AdwPreferencesWindow)

GtkWidget  *hs_preferences_new               (GtkWindow   *parent);
void        hs_preferences_show              (GtkWindow   *parent);

/* For tests: the token row of @provider, its status text, and whether keyring work is
 * still running. */
AdwEntryRow *hs_preferences_get_token_row    (HsPreferences *self,
                                              const char    *provider);
const char  *hs_preferences_get_token_status (HsPreferences *self,
                                              const char    *provider);
guint        hs_preferences_get_pending      (HsPreferences *self);
void         hs_preferences_remove_token     (HsPreferences *self,
                                              const char    *provider);

/* What the rest of the app reads from the preferences (GSettings io.github.hindsight). */
double       hs_preferences_poll_period      (GSettings   *settings,
                                              const char  *provider,
                                              HsFetchKind  kind);

G_END_DECLS
