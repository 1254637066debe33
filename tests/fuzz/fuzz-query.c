/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the training-query compiler (src/store/hs-store-query.c): any bytes are
 * a filter (and, split at the first newline, a --select item and an --agg spec) over paper
 * trades and over backtest trades. Promises checked:
 *
 * - an error points inside the input and says its column;
 * - the SQL of a compiled query is made of fixed text only: every word, every quoted literal
 *   and every number in it is one that the compiler writes for benign queries (collected at
 *   start-up from every field of both sources), so nothing of the input reached it;
 * - the statement prepares (SQLite's parser never refuses it: the depth limit is the
 *   compiler's) and runs over a small database without error.
 *
 * Built with -Dfuzzing=true (tests/fuzz/meson.build); see docs/queries.md, "Fuzzing":
 *
 *   CC=clang meson setup build-fuzz -Dgui=false -Dfuzzing=true
 *   ninja -C build-fuzz tests/fuzz/fuzz-query
 *   build-fuzz/tests/fuzz/fuzz-query -dict=tests/fuzz/query.dict -max_len=512 \
 *     -max_total_time=600 build-fuzz/corpus-query tests/fuzz/corpus/query
 *
 * With another compiler the same file builds as fuzz-query-replay, which runs the inputs named
 * on its command line once each.
 */
#include "config.h"

#define HS_FUZZ_NAME "fuzz-query"
#include "hs-fuzz.h"

#include "hs-expr.h"
#include "hs-store-query.h"
#include "hs-store.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static HsStore *store;
static GHashTable *vocabulary;   /* words, quoted literals and numbers of benign SQL */

/* Calls @fn on each token of @sql that could carry input: words, '…' literals, numbers (a ?N
 * placeholder's digits excepted). */
static gboolean
each_token (const char *sql,
            gboolean  (*fn) (const char *token, gpointer data),
            gpointer    data)
{
  const char *p = sql;

  while (*p)
    {
      const char *start = p;
      g_autofree char *token = NULL;

      if (*p == '?')
        {
          p++;
          while (g_ascii_isdigit (*p))
            p++;
          continue;
        }
      if (*p == '\'')
        {
          p++;
          while (*p && !(*p == '\'' && p[1] != '\''))
            p += *p == '\'' ? 2 : 1;
          if (*p)
            p++;
        }
      else if (g_ascii_isalnum (*p) || *p == '_')
        while (g_ascii_isalnum (*p) || *p == '_' || (*p == '.' && g_ascii_isdigit (p[1])))
          p++;
      else
        {
          p++;
          continue;
        }
      token = g_strndup (start, (size_t) (p - start));
      if (!fn (token, data))
        return FALSE;
    }
  return TRUE;
}

static gboolean
learn_cb (const char *token,
          gpointer    data)
{
  g_hash_table_add (vocabulary, g_strdup (token));
  return TRUE;
}

static gboolean
known_cb (const char *token,
          gpointer    data)
{
  if (g_hash_table_contains (vocabulary, token))
    return TRUE;
  fprintf (stderr, "fuzz-query: “%s” is not fixed SQL text\n", token);
  return FALSE;
}

static void
learn (HsQuerySource      source,
       const char        *filter,
       const char *const *select,
       const char *const *aggs,
       const char        *group_by,
       int64_t            limit)
{
  HsQueryRequest req = { source, filter, select, aggs, group_by, limit };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsQuery) q = hs_query_compile (&req, NULL, NULL, &error);

  if (q != NULL)
    each_token (hs_query_get_sql (q), learn_cb, NULL);
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fuzz-query-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "fuzz.db", NULL);
  const char *ops[] = { "<", "<=", ">", ">=", "==", "!=" };

  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      fprintf (stderr, "fuzz-query: %s\n", error->message);
      abort ();
    }
  vocabulary = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int source = 0; source <= HS_QUERY_SIGNALS; source++)
    {
      g_autofree char *list = hs_query_field_list ((HsQuerySource) source);
      g_auto(GStrv) lines = g_strsplit (list, "\n", -1);

      for (size_t i = 0; lines[i] != NULL; i++)
        {
          g_autofree char *field = g_strndup (lines[i], strcspn (lines[i], "\t"));
          const char *select[] = { field, NULL };
          const char *aggs[] = { NULL, NULL };
          const char *kinds[] = { "count", "avg", "median", "min", "max" };

          if (field[0] == '\0')
            continue;
          if (g_str_has_suffix (field, "KEY…"))
            strcpy (strstr (field, "KEY…"), "x");
          learn ((HsQuerySource) source, NULL, select, NULL, NULL, 5);
          for (size_t k = 0; k < G_N_ELEMENTS (kinds); k++)
            {
              g_autofree char *spec = g_strdup_printf ("%s:%s", kinds[k], field);

              aggs[0] = spec;
              learn ((HsQuerySource) source, NULL, NULL, aggs, field, 0);
            }
          for (size_t o = 0; o < G_N_ELEMENTS (ops); o++)
            {
              const char *rhs[] = { "1", "'x'", "id", "signals.5m.rsi", "ai.x", "(1 + 1)" };

              for (size_t r = 0; r < G_N_ELEMENTS (rhs); r++)
                {
                  g_autofree char *f1 = g_strdup_printf ("%s %s %s", field, ops[o], rhs[r]);
                  g_autofree char *f2 = g_strdup_printf ("%s %s %s", rhs[r], ops[o], field);
                  g_autofree char *f3 = g_strdup_printf ("not (%s %s %s) or -%s %% 2 / 3 and "
                                                         "%s", field, ops[o], rhs[r], field,
                                                         field);

                  learn ((HsQuerySource) source, f1, NULL, NULL, NULL, 0);
                  learn ((HsQuerySource) source, f2, NULL, NULL, NULL, 0);
                  learn ((HsQuerySource) source, f3, NULL, NULL, NULL, 0);
                }
            }
        }
    }
}

static gboolean
ignore_row_cb (const HsQueryCell *cells,
               size_t             n,
               gpointer           user_data,
               GError           **error)
{
  return TRUE;
}

static void
check (HsQuerySource  source,
       const char    *filter,
       const char    *select_item,
       const char    *agg)
{
  const char *select[] = { select_item, NULL };
  const char *aggs[] = { agg, NULL };
  HsQueryRequest req = { source, filter, select_item ? select : NULL, agg ? aggs : NULL, NULL,
                         source == HS_QUERY_PAPER_TRADES ? 3 : 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsQuery) q = NULL;
  const char *where = NULL;
  size_t offset = G_MAXSIZE;

  q = hs_query_compile (&req, &where, &offset, &error);
  if (q == NULL)
    {
      require (error != NULL && where != NULL, "an error without its place", filter);
      require (offset <= strlen (where), "an error offset outside its text", filter);
      require (g_str_has_prefix (error->message, "column "), "a message without a column",
               filter);
      require (atoi (error->message + 7) == hs_expr_column (where, offset),
               "an error column that is not its offset's", filter);
      return;
    }
  require (each_token (hs_query_get_sql (q), known_cb, NULL), "input in the SQL", filter);
  if (!hs_store_query_run (store, q, ignore_row_cb, NULL, NULL, &error))
    {
      /* Too many literals is SQLite's own limit; anything else is a bug. */
      require (strstr (error->message, "too many SQL variables") != NULL, error->message, filter);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  char *newline;

  if (store == NULL)
    setup ();
  /* NUL bytes end the text, as they would on a command line. */
  check (HS_QUERY_PAPER_TRADES, text, NULL, NULL);
  check (HS_QUERY_BACKTEST_TRADES, text, NULL, NULL);
  check (HS_QUERY_SIGNALS, text, NULL, NULL);
  newline = strchr (text, '\n');
  if (newline != NULL)
    {
      g_autofree char *agg = g_strdup_printf ("median:%s", newline + 1);

      *newline = '\0';
      check (HS_QUERY_PAPER_TRADES, text, newline + 1, NULL);
      check (HS_QUERY_PAPER_TRADES, text, NULL, agg);
    }
  return 0;
}
