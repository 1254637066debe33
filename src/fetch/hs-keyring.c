/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Provider tokens in the OS keyring (the freedesktop Secret Service, through libsecret's
 * password API): one secret per provider under the schema "io.github.hindsight.Token" with the
 * attribute "provider". A token never reaches the database, the settings, a log or an error
 * message; the environment variable of the provider's descriptor (HINDSIGHT_TRADIER_TOKEN)
 * overrides the keyring, which is how the CLI is scripted and how the tests run without a
 * Secret Service. Load: one D-Bus round trip per fetch of a provider that needs a token.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-keyring.h"

#include <libsecret/secret.h>
#include <string.h>

G_DEFINE_QUARK (hs-keyring-error-quark, hs_keyring_error)

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    HS_KEYRING_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/* libsecret's errors as ours: the Secret Service's own refusals are FAILED, anything else
 * (no session bus, no keyring daemon to activate) means there is no keyring to ask. */
static void
set_keyring_error (GError    **error,
                   GError     *local,
                   const char *what)
{
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local);
      return;
    }
  if (local->domain == SECRET_ERROR)
    g_set_error (error, HS_KEYRING_ERROR, HS_KEYRING_ERROR_FAILED, "the keyring refused to %s: %s",
                 what, local->message);
  else
    g_set_error (error, HS_KEYRING_ERROR, HS_KEYRING_ERROR_UNAVAILABLE,
                 "no Secret Service (OS keyring) is available to %s: %s", what, local->message);
  g_error_free (local);
}

/**
 * hs_keyring_check_token:
 *
 * A token must be one line of printable text (it becomes an HTTP header); leading and trailing
 * white space are not part of it.
 */
gboolean
hs_keyring_check_token (const char *token,
                        GError    **error)
{
  if (token == NULL || token[0] == '\0')
    {
      g_set_error_literal (error, HS_KEYRING_ERROR, HS_KEYRING_ERROR_INVALID, "the token is empty");
      return FALSE;
    }
  for (const char *p = token; *p; p++)
    if ((unsigned char) *p < ' ' || *p == 0x7f)
      {
        g_set_error_literal (error, HS_KEYRING_ERROR, HS_KEYRING_ERROR_INVALID,
                             "the token holds a control character (a line break?)");
        return FALSE;
      }
  if (g_ascii_isspace (token[0]) || g_ascii_isspace (token[strlen (token) - 1]))
    {
      g_set_error_literal (error, HS_KEYRING_ERROR, HS_KEYRING_ERROR_INVALID,
                           "the token starts or ends with a space");
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_keyring_lookup:
 *
 * Returns: (transfer full) (nullable): the stored token of @provider; %NULL without an error
 *   when none is stored, %NULL with an %HS_KEYRING_ERROR when the keyring cannot be asked
 */
char *
hs_keyring_lookup (const char   *provider,
                   GCancellable *cancellable,
                   GError      **error)
{
  GError *local = NULL;
  char *secret = secret_password_lookup_sync (token_schema (), cancellable, &local,
                                              "provider", provider, NULL);
  char *copy;

  if (local != NULL)
    {
      set_keyring_error (error, local, "read a token");
      return NULL;
    }
  if (secret == NULL)
    return NULL;
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

/**
 * hs_keyring_store:
 *
 * Stores @token as @provider's, replacing the one stored before (in the default collection,
 * labelled "Hindsight: PROVIDER token").
 */
gboolean
hs_keyring_store (const char   *provider,
                  const char   *token,
                  GCancellable *cancellable,
                  GError      **error)
{
  g_autofree char *label = g_strdup_printf ("Hindsight: %s token", provider);
  GError *local = NULL;

  if (!hs_keyring_check_token (token, error))
    return FALSE;
  if (!secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                                   cancellable, &local, "provider", provider, NULL))
    {
      set_keyring_error (error, local, "store a token");
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_keyring_clear:
 * @removed: (out) (optional): whether a token was stored
 */
gboolean
hs_keyring_clear (const char   *provider,
                  gboolean     *removed,
                  GCancellable *cancellable,
                  GError      **error)
{
  GError *local = NULL;
  gboolean found = secret_password_clear_sync (token_schema (), cancellable, &local,
                                               "provider", provider, NULL);

  if (local != NULL)
    {
      set_keyring_error (error, local, "remove a token");
      return FALSE;
    }
  if (removed != NULL)
    *removed = found;
  return TRUE;
}

const char *
hs_token_source_to_string (HsTokenSource source)
{
  switch (source)
    {
    case HS_TOKEN_ENVIRONMENT:
      return "environment";
    case HS_TOKEN_KEYRING:
      return "keyring";
    case HS_TOKEN_NONE:
    default:
      return "none";
    }
}

/**
 * hs_provider_token:
 * @source: (out) (optional): where it came from
 *
 * The token for @provider's requests: its environment variable (`HINDSIGHT_TRADIER_TOKEN`)
 * when set and not empty, else the keyring's. A provider without a token variable needs none
 * and the keyring is not asked.
 *
 * Returns: (transfer full) (nullable): the token; %NULL without an error when there is none,
 *   %NULL with @error set when the keyring could not be asked
 */
char *
hs_provider_token (const HsProvider *provider,
                   HsTokenSource    *source,
                   GCancellable     *cancellable,
                   GError          **error)
{
  const char *env = provider->token_env != NULL ? g_getenv (provider->token_env) : NULL;
  char *token;

  if (source != NULL)
    *source = HS_TOKEN_NONE;
  if (env != NULL && env[0] != '\0')
    {
      if (source != NULL)
        *source = HS_TOKEN_ENVIRONMENT;
      return g_strdup (env);
    }
  if (provider->token_env == NULL)
    return NULL;
  token = hs_keyring_lookup (provider->name, cancellable, error);
  if (token != NULL && source != NULL)
    *source = HS_TOKEN_KEYRING;
  return token;
}
