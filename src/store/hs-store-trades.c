/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the Trades page reads besides training queries: the JSON paths that occur in the stored
 * context of paper trades, for the query bar's completion (docs/ui-trades.md). One scan of the
 * four JSON columns through json_tree(), read once per database the page opens.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-trades.h"
#include "hs-store-private.h"

#include <string.h>

/* A json_tree() full key ($."5m".rsi, $.spy.vix, $.missing) as the query language's name under
 * @prefix (signals.5m.rsi): segments joined by dots, their quotes dropped; NULL for an element of
 * an array or a key the language cannot name (a dot or a quote inside). */
static char *
path_to_field (const char *prefix,
               const char *fullkey)
{
  g_autoptr(GString) out = g_string_new (prefix);
  const char *p = fullkey;

  if (p[0] != '$')
    return NULL;
  p++;
  while (*p != '\0')
    {
      const char *end;

      if (*p != '.')
        return NULL;   /* [n]: inside an array */
      p++;
      g_string_append_c (out, '.');
      if (*p == '"')
        {
          end = strchr (p + 1, '"');
          if (end == NULL)
            return NULL;
          g_string_append_len (out, p + 1, end - p - 1);
          p = end + 1;
        }
      else
        {
          end = p + strcspn (p, ".[");
          g_string_append_len (out, p, end - p);
          p = end;
        }
    }
  for (const char *c = out->str; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '_' && *c != '.')
      return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
name_cmp (gconstpointer a,
          gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/**
 * hs_store_trades_context_paths:
 * @store: a store
 *
 * Lists the leaves (and the arrays, such as `missing`) of the JSON context stored with paper
 * trades as training-query names: `signals.5m.rsi`, `regime.spy.vix`, `book.greeks.delta`,
 * `ai.model`. Whether each name compiles is the query compiler's business: the caller checks.
 *
 * Returns: (transfer full) (element-type utf8): the names, sorted and distinct, or %NULL with
 *   @error set
 */
GPtrArray *
hs_store_trades_context_paths (HsStore      *store,
                               GCancellable *cancellable,
                               GError      **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT DISTINCT c.prefix, j.fullkey FROM paper_trades t,"
    " (SELECT 'signals' AS prefix UNION ALL SELECT 'regime' UNION ALL SELECT 'book'"
    "  UNION ALL SELECT 'ai') c,"
    " json_tree(CASE c.prefix WHEN 'signals' THEN t.signals_snapshot"
    "   WHEN 'regime' THEN t.market_regime WHEN 'book' THEN t.order_book_state"
    "   ELSE t.ai_reasoning_log END) j"
    " WHERE j.type <> 'object' AND j.fullkey NOT LIKE '%]%'"
    " AND json_valid(CASE c.prefix WHEN 'signals' THEN t.signals_snapshot"
    "   WHEN 'regime' THEN t.market_regime WHEN 'book' THEN t.order_book_state"
    "   ELSE t.ai_reasoning_log END)",
    error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *name = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      name = path_to_field ((const char *) sqlite3_column_text (stmt, 0),
                            (const char *) sqlite3_column_text (stmt, 1));
      if (name == NULL || g_hash_table_contains (seen, name))
        continue;
      g_hash_table_add (seen, name);
      g_ptr_array_add (names, g_steal_pointer (&name));
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading the context paths");
      return NULL;
    }
  g_ptr_array_sort (names, name_cmp);
  return g_steal_pointer (&names);
}
