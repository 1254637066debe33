/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Importing files from the window: what the Data page proposes for a dropped or chosen file
 * (kind, symbol and interval guessed from its name, all editable before the import starts),
 * the demo files with the settings build-aux/dev.sh gives them, and the job that imports a list
 * of files one after another on a worker. Each file is one hs_import_run(), so one transaction:
 * a bad row leaves the database as it was before that file, and the files after it are not
 * tried. Progress is the fraction of the whole list: file i of n at fraction f reports
 * (i + f) / n, and 1 when the last file is in.
 *
 * Load: as hs_import_run(), about a million rows a second; progress every 65,536 rows.
 */
#define G_LOG_DOMAIN "hs-import-job"

#include "config.h"

#include "hs-import-job.h"

#include <string.h>

#include "hs-interval.h"

/* ---- Guessing from a file name ---- */

/* Interval words in file names, e.g. spy_daily.csv, btc_1min.csv, eurusd-hourly.txt. */
static const struct
{
  const char *word;
  const char *interval;
} interval_words[] = {
  { "second", "1s" }, { "seconds", "1s" }, { "sec", "1s" },
  { "minute", "1m" }, { "minutes", "1m" }, { "min", "1m" }, { "1min", "1m" },
  { "5min", "5m" }, { "15min", "15m" }, { "30min", "30m" },
  { "hour", "1h" }, { "hourly", "1h" }, { "60min", "1h" }, { "60m", "1h" },
  { "day", "1d" }, { "daily", "1d" }, { "1day", "1d" }, { "eod", "1d" },
  { "week", "1w" }, { "weekly", "1w" },
  { "month", "1mo" }, { "monthly", "1mo" },
};

static const char *
guess_interval (char **words)
{
  for (char **w = words; *w != NULL; w++)
    {
      const HsInterval *iv = hs_interval_lookup (*w);

      if (iv != NULL && !g_str_equal (iv->name, "tick"))
        return iv->name;
      for (size_t i = 0; i < G_N_ELEMENTS (interval_words); i++)
        if (g_str_equal (*w, interval_words[i].word))
          return interval_words[i].interval;
    }
  return NULL;
}

static gboolean
is_interval_word (const char *word)
{
  g_autofree char *lower = g_ascii_strdown (word, -1);
  char *words[] = { lower, NULL };

  return guess_interval (words) != NULL;
}

/* The symbol is the name's first part: up to the first '_', space or '.', and up to a '-' that
 * starts a number or an interval word (nvda-1999-2014 is NVDA, eurusd-hourly EURUSD; BTC-USD
 * stays whole). It must start with a letter. */
static char *
guess_symbol (const char *stem)
{
  size_t len = strcspn (stem, "_ .");
  g_autofree char *first = g_strndup (stem, len);

  for (char *p = first; *p != '\0'; p++)
    if (*p == '-' && (g_ascii_isdigit (p[1]) || is_interval_word (p + 1)))
      {
        *p = '\0';
        break;
      }
  if (!g_ascii_isalpha (first[0]))
    return NULL;
  for (const char *p = first; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '/' && *p != '^' && *p != '=')
      return NULL;
  return g_ascii_strup (first, -1);
}

static gboolean
is_crypto_pair (const char *symbol)
{
  static const char *quotes[] = { "USD", "USDT", "USDC", "EUR", "BTC", "ETH", NULL };
  const char *sep = strpbrk (symbol, "-/");

  return sep != NULL && g_strv_contains (quotes, sep + 1);
}

/**
 * hs_import_guess:
 * @path: a file to import
 *
 * What the Data page proposes for @path before the person confirms it: JSON Lines are order
 * book snapshots when the name mentions a book or depth, else market snapshots; CSV and text
 * files are quotes or trades when the name says so, else bars. The symbol is the name's first
 * part in capitals; the interval of bars comes from a word of the name (1m, 5min, hourly,
 * daily …), else 1d. A pair such as BTC-USD is a crypto instrument.
 *
 * Returns: (transfer full): a request; its symbol is %NULL when the name suggests none
 */
HsImportRequest *
hs_import_guess (const char *path)
{
  g_autoptr(HsImportRequest) req = g_new0 (HsImportRequest, 1);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *lower = g_ascii_strdown (base, -1);
  g_autofree char *stem = NULL;
  g_auto(GStrv) words = NULL;
  const char *dot = strrchr (base, '.');
  const char *ext = dot != NULL ? lower + (dot - base) : "";

  g_return_val_if_fail (path != NULL, NULL);

  stem = dot != NULL && dot != base ? g_strndup (base, dot - base) : g_strdup (base);
  req->path = g_strdup (path);
  if (g_str_equal (ext, ".jsonl") || g_str_equal (ext, ".ndjson") || g_str_equal (ext, ".json"))
    req->kind = strstr (lower, "book") != NULL || strstr (lower, "depth") != NULL
                ? HS_IMPORT_ORDERBOOK : HS_IMPORT_SNAPSHOTS;
  else if (strstr (lower, "quote") != NULL)
    req->kind = HS_IMPORT_QUOTES;
  else if (strstr (lower, "trade") != NULL || strstr (lower, "tick") != NULL)
    req->kind = HS_IMPORT_TRADES;
  else
    req->kind = HS_IMPORT_BARS;

  if (req->kind != HS_IMPORT_SNAPSHOTS)
    req->symbol = guess_symbol (stem);
  if (req->symbol != NULL && is_crypto_pair (req->symbol))
    req->instrument_kind = g_strdup ("crypto");
  if (req->kind == HS_IMPORT_BARS)
    {
      g_autofree char *lower_stem = g_ascii_strdown (stem, -1);
      const char *interval = NULL;

      words = g_strsplit_set (lower_stem, "_-. ", -1);
      interval = guess_interval (words);
      req->interval = g_strdup (interval != NULL ? interval : "1d");
    }
  return g_steal_pointer (&req);
}

/* ---- The demo ---- */

/**
 * hs_import_demo_dir:
 *
 * Returns: (transfer full) (nullable): the folder of the demo files: $HINDSIGHT_DEMO_DIR, else
 *   the installed copy (PKGDATADIR/demo) when it exists; %NULL when neither is there
 */
char *
hs_import_demo_dir (void)
{
  const char *env = g_getenv ("HINDSIGHT_DEMO_DIR");
  g_autofree char *installed = g_build_filename (PKGDATADIR, "demo", NULL);

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&installed);
  return NULL;
}

/**
 * hs_import_demo_requests:
 * @demo_dir: the folder of the demo files (data/demo in the source tree)
 *
 * The demo database's imports, as build-aux/dev.sh makes them: SPY, QQQ, AAPL, IBM, NVDA and
 * ORCL daily bars and SPY one-minute bars.
 *
 * Returns: (transfer full) (element-type HsImportRequest) (nullable): the requests, or %NULL
 *   when a file is missing from @demo_dir
 */
GPtrArray *
hs_import_demo_requests (const char *demo_dir)
{
  static const struct
  {
    const char *file, *symbol, *kind, *interval;
  } demo[] = {
    { "spy_daily.csv", "SPY", "etf", "1d" },
    { "qqq_daily.csv", "QQQ", "etf", "1d" },
    { "aapl_daily.csv", "AAPL", NULL, "1d" },
    { "ibm_daily.csv", "IBM", NULL, "1d" },
    { "spy_minute_2013-10.csv", "SPY", NULL, "1m" },
    { "nvda-1999-2014.txt", "NVDA", NULL, "1d" },
    { "orcl-1995-2014.txt", "ORCL", NULL, "1d" },
  };
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             hs_import_request_free);

  g_return_val_if_fail (demo_dir != NULL, NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      HsImportRequest *req = g_new0 (HsImportRequest, 1);

      g_ptr_array_add (out, req);
      req->kind = HS_IMPORT_BARS;
      req->path = g_build_filename (demo_dir, demo[i].file, NULL);
      req->symbol = g_strdup (demo[i].symbol);
      req->instrument_kind = g_strdup (demo[i].kind);
      req->interval = g_strdup (demo[i].interval);
      if (!g_file_test (req->path, G_FILE_TEST_IS_REGULAR))
        return NULL;
    }
  return g_steal_pointer (&out);
}

/* ---- The job ---- */

void
hs_import_job_result_free (HsImportJobResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->requests, g_ptr_array_unref);
  if (result->results != NULL)
    {
      for (guint i = 0; i < result->results->len; i++)
        hs_import_result_clear (&g_array_index (result->results, HsImportResult, i));
      g_array_unref (result->results);
    }
  g_clear_error (&result->error);
  g_free (result);
}

/* Scales one file's progress to the whole list's. */
typedef struct
{
  HsJobProgressFunc  progress;
  gpointer           progress_data;
  const char        *name;     /* the file's base name */
  guint              index;
  guint              n;
} Scale;

static void
file_progress_cb (double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  Scale *s = user_data;
  g_autofree char *text = g_strdup_printf ("%s: %s", s->name, message);

  s->progress ((s->index + CLAMP (fraction, 0.0, 1.0)) / s->n, text, s->progress_data);
}

static gpointer
import_run (HsStore           *store,
            gconstpointer      request,
            HsJobProgressFunc  progress,
            gpointer           progress_data,
            GCancellable      *cancellable,
            GError           **error)
{
  GPtrArray *requests = (GPtrArray *) request;
  g_autoptr(HsImportJobResult) out = g_new0 (HsImportJobResult, 1);

  out->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_import_request_free);
  for (guint i = 0; i < requests->len; i++)
    g_ptr_array_add (out->requests, hs_import_request_copy (requests->pdata[i]));
  out->results = g_array_new (FALSE, TRUE, sizeof (HsImportResult));

  for (guint i = 0; i < requests->len; i++)
    {
      const HsImportRequest *req = requests->pdata[i];
      g_autofree char *name = g_path_get_basename (req->path);
      Scale scale = { progress, progress_data, name, i, requests->len };
      HsImportResult res = { 0 };

      if (progress != NULL)
        progress ((double) i / requests->len, name, progress_data);
      if (!hs_import_run (store, req, progress != NULL ? file_progress_cb : NULL, &scale,
                          cancellable, &res, &out->error))
        {
          hs_import_result_clear (&res);
          break;
        }
      g_array_append_val (out->results, res);
    }
  if (out->error == NULL && progress != NULL)
    progress (1.0, "", progress_data);
  return g_steal_pointer (&out);
}

static void
requests_free (gpointer data)
{
  g_ptr_array_unref (data);
}

/**
 * hs_job_import_async:
 * @db_path: the database file; copied
 * @requests: (transfer full) (element-type HsImportRequest): the files, imported in this order
 * @progress: (nullable): called on the thread-default main context of the caller with the
 *   fraction of the whole list and the current file's name; reaches 1 when every file is in.
 *   @progress_data must stay valid until @callback has run.
 * @cancellable: (nullable): stops the file being imported (rolled back) and the ones after it
 * @callback: runs on the thread-default main context of the caller
 *
 * Imports @requests one after another on a worker with its own connection.
 */
void
hs_job_import_async (const char          *db_path,
                     GPtrArray           *requests,
                     HsJobProgressFunc    progress,
                     gpointer             progress_data,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (db_path != NULL);
  g_return_if_fail (requests != NULL);

  hs_job_run_async (db_path, requests, requests_free, import_run,
                    (GDestroyNotify) hs_import_job_result_free, progress, progress_data,
                    cancellable, callback, user_data, hs_job_import_async,
                    "[hindsight] import");
}

/**
 * hs_job_import_finish:
 *
 * Returns: (transfer full): what was imported and, in its @error, why a file was not; %NULL
 *   with @error set only when the database could not be opened
 */
HsImportJobResult *
hs_job_import_finish (GAsyncResult *result,
                      GError      **error)
{
  return hs_job_run_finish (result, hs_job_import_async, error);
}
