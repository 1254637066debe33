/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-provider.h"

G_BEGIN_DECLS

/* Provider tokens (docs/fetch.md "Keys"): kept in the OS keyring through libsecret (schema
 * "io.github.hindsight.Token", attribute "provider"), never in the database, settings or logs;
 * the environment variable a provider descriptor names (HINDSIGHT_TRADIER_TOKEN) overrides the
 * keyring. Every call may block on D-Bus: run them on a worker or in the CLI. */

#define HS_KEYRING_ERROR (hs_keyring_error_quark ())

typedef enum
{
  HS_KEYRING_ERROR_UNAVAILABLE,  /* no Secret Service answers (no session bus, no keyring) */
  HS_KEYRING_ERROR_FAILED,       /* the Secret Service refused (locked, dismissed prompt …) */
  HS_KEYRING_ERROR_INVALID,      /* an empty token, or one with a control character */
} HsKeyringError;

/* Where a token came from. */
typedef enum
{
  HS_TOKEN_NONE,
  HS_TOKEN_ENVIRONMENT,
  HS_TOKEN_KEYRING,
} HsTokenSource;

#define HS_KEYRING_SCHEMA_NAME "io.github.hindsight.Token"

GQuark      hs_keyring_error_quark  (void);

char       *hs_keyring_lookup       (const char        *provider,
                                     GCancellable      *cancellable,
                                     GError           **error);
gboolean    hs_keyring_store        (const char        *provider,
                                     const char        *token,
                                     GCancellable      *cancellable,
                                     GError           **error);
gboolean    hs_keyring_clear        (const char        *provider,
                                     gboolean          *removed,
                                     GCancellable      *cancellable,
                                     GError           **error);
gboolean    hs_keyring_check_token  (const char        *token,
                                     GError           **error);

char       *hs_provider_token       (const HsProvider  *provider,
                                     HsTokenSource     *source,
                                     GCancellable      *cancellable,
                                     GError           **error);
const char *hs_token_source_to_string (HsTokenSource    source);

G_END_DECLS
