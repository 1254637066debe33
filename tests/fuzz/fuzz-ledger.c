/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the signal ledger's JSONL import (`hindsight-cli import ledger`): any
 * bytes are written as a file and imported into a database that already holds a signal, an
 * order and a fill. The promises checked:
 *
 *   - a refused file is reported as "FILE:LINE: …" with a line inside the file (or "FILE: …"
 *     for the file as a whole), in UTF-8, and
 *     leaves the database byte for byte as it was (hs_store_dump before and after);
 *   - an accepted file imported a second time adds nothing (the import is idempotent);
 *   - every line is also given to hs_ledger_parse_line() alone, which must either fill a record
 *     or refuse it with a "field: reason" message, never crash.
 *
 * A broken promise aborts, which libFuzzer reports with the input. Built with -Dfuzzing=true
 * and CC=clang (tests/fuzz/meson.build):
 *
 *   CC=clang meson setup build-fuzz -Dgui=false -Dfuzzing=true
 *   ninja -C build-fuzz tests/fuzz/fuzz-ledger
 *   build-fuzz/tests/fuzz/fuzz-ledger -max_len=2048 -max_total_time=600 \
 *     build-fuzz/corpus-ledger tests/fuzz/corpus/ledger
 *
 * With another compiler it builds as fuzz-ledger-replay, which runs the files named on its
 * command line once each, or every file of a folder named there; the test suite runs it over
 * tests/fuzz/corpus/ledger (test fuzz-corpus-ledger).
 */
#include "config.h"

#define HS_FUZZ_NAME "fuzz-ledger"
#define HS_FUZZ_HAS_OUTCOME
#define HS_FUZZ_HAS_CLEANUP
static const char *hs_fuzz_outcome (void);
static void hs_fuzz_cleanup (void);
#include "hs-fuzz.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-ledger-json.h"
#include "hs-ledger.h"
#include "hs-store-market.h"
#include "hs-store-private.h"

static HsStore *store;
static char *dir;
static char *input_path;
static char *last_outcome;   /* the replay prints it: "accepted" or the refusal */

/* A database with one of each record the others refer to, so that lines naming them link. */
static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *seed = NULL;
  HsLedgerImportResult result = { 0 };
  int64_t msft = 0;
  const char *base =
    "{\"type\":\"signal\",\"key\":\"k1\",\"symbol\":\"MSFT\",\"ts\":\"2024-03-05T14:33:00Z\","
    "\"strategy\":\"up\",\"signal_type\":\"BUY\",\"price\":12,\"status\":\"promoted\"}\n"
    "{\"type\":\"order\",\"client_order_id\":\"e1\",\"signal\":\"k1\","
    "\"ts\":\"2024-03-05T14:33:00.100Z\",\"side\":\"buy\",\"qty\":2,\"status\":\"filled\"}\n"
    "{\"type\":\"fill\",\"order\":\"e1\",\"fill_seq\":1,\"ts\":\"2024-03-05T14:33:00.500Z\","
    "\"price\":12.05,\"qty\":2}\n";

  dir = g_dir_make_tmp ("fuzz-ledger-XXXXXX", &error);
  require (dir != NULL, "no temporary folder", "");
  path = g_build_filename (dir, "fuzz.db", NULL);
  seed = g_build_filename (dir, "seed.jsonl", NULL);
  input_path = g_build_filename (dir, "input.jsonl", NULL);
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  require (store != NULL, error ? error->message : "cannot open", "");
  require (g_file_set_contents (seed, base, -1, NULL), "cannot write the seed", "");
  require (hs_store_ensure_instrument (store, "MSFT", "", "stock", &msft, &error),
           "cannot add MSFT", "");
  require (hs_ledger_import (store, seed, NULL, &result, &error),
           error ? error->message : "the seed is refused", base);
}

static int64_t
sum (const int64_t *counts)
{
  int64_t n = 0;

  for (int k = 0; k < HS_LEDGER_N_KINDS; k++)
    n += counts[k];
  return n;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  HsLedgerImportResult result = { 0 };
  g_auto(GStrv) lines = NULL;
  gboolean ok;

  if (store == NULL)
    setup ();

  /* Each line alone. */
  lines = g_strsplit (text, "\n", -1);
  for (size_t i = 0; lines[i] != NULL; i++)
    {
      HsLedgerRecord record = { 0 };
      g_autoptr(GError) line_error = NULL;

      if (!hs_ledger_parse_line (lines[i], strlen (lines[i]), &record, &line_error))
        {
          require (line_error != NULL && line_error->message[0] != '\0',
                   "a refused line without a message", text);
          require (g_utf8_validate (line_error->message, -1, NULL), "message is not UTF-8",
                   text);
        }
      hs_ledger_record_clear (&record);
    }

  /* The whole file, all or nothing. */
  require (g_file_set_contents (input_path, (const char *) data, (gssize) size, NULL),
           "cannot write the input", text);
  before = hs_store_dump (store, &error);
  require (before != NULL, "cannot dump", text);
  ok = hs_ledger_import (store, input_path, NULL, &result, &error);
  if (!ok)
    {
      g_autofree char *prefix = g_strconcat (input_path, ":", NULL);
      const char *rest;
      int64_t line;

      require (error != NULL, "a refused file without an error", text);
      require (g_utf8_validate (error->message, -1, NULL), "message is not UTF-8", text);
      require (g_str_has_prefix (error->message, prefix), "the message does not name the file",
               text);
      rest = error->message + strlen (prefix);
      /* "FILE:LINE: reason", or "FILE: reason" for the file as a whole (no JSON lines). */
      if (g_ascii_isdigit (rest[0]))
        {
          line = g_ascii_strtoll (rest, NULL, 10);
          require (line >= 1 && line <= (int64_t) g_strv_length (lines),
                   "the message names a line outside the file", text);
        }
      else
        require (rest[0] == ' ', "the message has neither a line nor a reason", text);
      g_free (last_outcome);
      last_outcome = g_strdup_printf ("refused: %s", rest);
      after = hs_store_dump (store, NULL);
      require (after != NULL && strcmp (before, after) == 0,
               "a refused file changed the database", text);
      return 0;
    }
  /* Accepted: a second import finds every record already there. */
  {
    HsLedgerImportResult again = { 0 };
    g_autoptr(GError) again_error = NULL;

    require (hs_ledger_import (store, input_path, NULL, &again, &again_error),
             "an accepted file is refused the second time", text);
    require (sum (again.inserted) == 0 && again.trades_inserted == 0,
             "a second import inserted records", text);
  }
  g_free (last_outcome);
  last_outcome = g_strdup ("accepted");
  return 0;
}

/* For the replay's report: "accepted", or "refused: " and the message after the file name. */
static const char *
hs_fuzz_outcome (void)
{
  return last_outcome;
}

static void
hs_fuzz_cleanup (void)
{
  const char *files[] = { "fuzz.db", "fuzz.db-wal", "fuzz.db-shm", "seed.jsonl", "input.jsonl" };

  if (store != NULL)
    hs_store_close (g_steal_pointer (&store));
  for (size_t i = 0; dir != NULL && i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *p = g_build_filename (dir, files[i], NULL);

      g_unlink (p);
    }
  if (dir != NULL)
    g_rmdir (dir);
  g_clear_pointer (&dir, g_free);
  g_clear_pointer (&input_path, g_free);
  g_clear_pointer (&last_outcome, g_free);
}
