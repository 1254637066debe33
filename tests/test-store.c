/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * store: opening, migrations (all tables present, idempotent, a reshaping migration keeps rows,
 * an edited migration and a newer database are refused untouched), SQLite errors as GError,
 * integrity checks, online backup while another connection writes, data versions (one more per
 * transaction that changed a series, none for a write that changed nothing or was rolled back,
 * seeded by migration 008). The test reaches into the file with sqlite3 directly only to set up
 * states the program itself never produces.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

#include "hs-store-lean.h"
#include "hs-store-market.h"
#include "hs-store-rates.h"
#include "hs-store.h"

/* A fresh folder per test run: /tmp is shared between runs and G_TEST_OPTION_ISOLATE_DIRS
 * does not cover it. */
static char *
temp_db (const char *name)
{
  static char *dir;

  if (dir == NULL)
    dir = g_dir_make_tmp ("hs-store-XXXXXX", NULL);
  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *err = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &err) != SQLITE_OK)
    g_error ("%s: %s", sql, err);
  sqlite3_close (db);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

/* The expected table list is written by hand in tests/data/schema-expected-tables.txt from
 * DESIGN.md's data model and the seeds. */
static void
test_schema_tables (void)
{
  g_autofree char *path = temp_db ("schema.db");
  g_autofree char *expected_path = g_build_filename (g_getenv ("HS_TEST_DATA"),
                                                     "schema-expected-tables.txt", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GString) got = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) want = g_string_new (NULL);

  g_assert_no_error (error);
  tables = hs_store_list_tables (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tables->len; i++)
    if (!g_str_equal (tables->pdata[i], "schema_migrations"))
      g_string_append_printf (got, "%s\n", (const char *) tables->pdata[i]);
  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, NULL));
  lines = g_strsplit (expected, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (lines[i][0] != '\0' && lines[i][0] != '#')
      g_string_append_printf (want, "%s\n", lines[i]);
  g_assert_cmpstr (got->str, ==, want->str);

  /* The tables the issue names one by one. */
  {
    static const char *named[] = {
      "instruments", "candles", "trades", "quotes", "orderbook_snapshots", "option_quotes",
      "market_snapshots", "cvd_snapshots", "indicators", "features", "signals", "risk_vetoes",
      "orders", "fills", "trade_ledger", "paper_trades", "account_snapshots", "risk_days",
      "backtest_runs", "backtest_trades", "backtest_equity", "system_metrics", "alerts",
      "event_log",
    };

    for (size_t i = 0; i < G_N_ELEMENTS (named); i++)
      {
        g_autofree char *line = g_strdup_printf ("%s\n", named[i]);

        g_test_message ("table %s", named[i]);
        g_assert_nonnull (strstr (got->str, line));
      }
  }
}

static void
test_migrate_idempotent (void)
{
  g_autofree char *path = temp_db ("idem.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_NO_MIGRATE, &error);
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *dump1 = NULL, *dump2 = NULL;
  int applied = -1, first = -1;

  g_assert_no_error (error);
  g_assert_true (hs_store_migrate (store, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpint (applied, >=, 2);
  first = applied;
  dump1 = hs_store_dump (store, &error);
  g_assert_true (hs_store_migrate (store, &applied, &error));
  g_assert_cmpint (applied, ==, 0);
  dump2 = hs_store_dump (store, &error);
  g_assert_cmpstr (dump1, ==, dump2);
  list = hs_store_list_migrations (store, &error);
  g_assert_no_error (error);
  /* Every known migration was applied; their numbers may have gaps. */
  g_assert_cmpint (first, ==, (int) list->len);
  for (guint i = 0; i < list->len; i++)
    {
      HsMigrationInfo *m = list->pdata[i];

      g_assert_cmpint (m->applied_at, >, 0);
      g_assert_cmpuint (strlen (m->checksum), ==, 64);
    }
  hs_store_close (g_steal_pointer (&store));

  /* Opening again applies nothing and keeps the data. */
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  dump2 = (g_free (dump2), hs_store_dump (store, &error));
  g_assert_cmpstr (dump1, ==, dump2);
}

static void
test_wal_and_foreign_keys (void)
{
  g_autofree char *path = temp_db ("wal.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  HsBar bar = { .ts = 0, .open = 1, .high = 1, .low = 1, .close = 1, .volume = 0, .vwap = NAN,
                .trade_count = -1 };
  gboolean inserted = TRUE;

  g_assert_no_error (error);
  /* The file header says WAL (bytes 18 and 19 are 2 for WAL). */
  {
    g_autofree char *data = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    g_assert_cmpuint (len, >=, 100);
    g_assert_cmpint (data[18], ==, 2);
    g_assert_cmpint (data[19], ==, 2);
  }
  /* A bar for an instrument that does not exist breaks the foreign key. */
  g_assert_false (hs_store_insert_bar (store, 12345, "1d", &bar, &inserted, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "FOREIGN KEY"));
}

/* Seed 002 reshapes its results table; 006 does the same to backtest_runs. Rows put in through
 * the old shape (with a child row in backtest_trades) must survive. */
static void
test_reshape_keeps_rows (void)
{
  g_autofree char *path = temp_db ("reshape.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_NO_MIGRATE, &error);
  g_autoptr(GPtrArray) problems = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  /* The schema just before 006 (later migrations do not touch backtest_runs). */
  g_assert_true (hs_store_migrate_to (store, 5, NULL, &error));
  g_assert_no_error (error);
  hs_store_close (g_steal_pointer (&store));

  /* Rows in the early shape (seed 002's "current" table: num_trades, resolution …). */
  raw_exec (path,
            "PRAGMA foreign_keys = ON;"
            "INSERT INTO backtest_runs (id, strategy_name, symbol, resolution, start_ts, end_ts,"
            " initial_cash, total_return, total_pnl, sharpe_ratio, max_drawdown, win_rate,"
            " num_trades, winning_trades, losing_trades, param_stop_loss, status, created_at)"
            " VALUES (1, 'sma_cross', 'SPY', '1d', 0, 86400000000, 100000, 0.125, 12500, 1.25,"
            " 0.08, 0.55, 20, 11, 9, 0.02, 'completed', 1);"
            "INSERT INTO backtest_runs (id, strategy_name, symbol, resolution, start_ts, end_ts,"
            " initial_cash, total_return, sharpe_ratio, max_drawdown, win_rate, num_trades,"
            " status, created_at)"
            " VALUES (2, 'rsi_reversion', 'QQQ', '1h', 0, 86400000000, 50000, -0.03, -0.4,"
            " 0.15, 0.40, 10, 'pending', 2);"
            "INSERT INTO backtest_trades (run_id, trade_no, side, quantity, entry_ts, exit_ts,"
            " entry_price, exit_price, pnl) VALUES (1, 1, 'long', 5, 10, 20, 100, 110, 50);");

  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (hs_store_check (store, &problems, &error));
  g_assert_cmpuint (problems->len, ==, 0);
  hs_store_close (g_steal_pointer (&store));

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* The same values under the final names: num_trades became total_trades, resolution became
   * interval, total_pnl became net_profit_currency, status 'pending' became 'queued'. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, strategy_name, symbol, total_return, "
                                           "sharpe_ratio, total_trades, interval, "
                                           "net_profit_currency, status FROM backtest_runs "
                                           "ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "sma_cross");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "SPY");
  g_assert_cmpfloat (sqlite3_column_double (stmt, 3), ==, 0.125);
  g_assert_cmpfloat (sqlite3_column_double (stmt, 4), ==, 1.25);
  g_assert_cmpint (sqlite3_column_int (stmt, 5), ==, 20);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 6), ==, "1d");
  g_assert_cmpfloat (sqlite3_column_double (stmt, 7), ==, 12500);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 8), ==, "completed");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "rsi_reversion");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 6), ==, "1h");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 8), ==, "queued");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM backtest_trades WHERE run_id = 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_too_new_untouched (void)
{
  g_autofree char *path = temp_db ("new.db");
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  HsStore *store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  hs_store_close (store);
  /* A later Hindsight added migration 999 and left the file in rollback-journal mode. */
  raw_exec (path, "INSERT INTO schema_migrations VALUES (999, '999_future.sql', 'abc', 1);"
                  "PRAGMA journal_mode = DELETE;");
  before = file_checksum (path);
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer Hindsight"));
  g_assert_nonnull (strstr (error->message, "999"));
  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
}

static void
test_edited_migration (void)
{
  g_autofree char *path = temp_db ("edited.db");
  g_autoptr(GError) error = NULL;
  HsStore *store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  hs_store_close (store);
  raw_exec (path, "UPDATE schema_migrations SET checksum = 'deadbeef' WHERE version = 1");
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "001_market_data.sql"));
  g_assert_nonnull (strstr (error->message, "changed after it was applied"));
}

static void
test_not_a_database (void)
{
  g_autofree char *path = temp_db ("garbage.db");
  g_autoptr(GError) error = NULL;
  HsStore *store;

  g_assert_true (g_file_set_contents (path, "this is not an SQLite database, but it is long "
                                            "enough to have a header of 100 bytes ........"
                                            "................................................",
                                      -1, NULL));
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not a database"));
}

static void
test_check_finds_dangling_rows (void)
{
  g_autofree char *path = temp_db ("dangling.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  HsStore *store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_true (hs_store_check (store, &problems, &error));
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);
  hs_store_close (store);
  raw_exec (path, "PRAGMA foreign_keys = OFF;"
                  "INSERT INTO candles (instrument_id, interval, ts, seq, open, high, low, close,"
                  " volume) VALUES (77, '1d', 0, 0, 1, 1, 1, 1, 0);");
  store = hs_store_open (path, HS_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (hs_store_check (store, &problems, &error));
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_nonnull (strstr (problems->pdata[0], "candles"));
  hs_store_close (store);
}

typedef struct
{
  char    *path;
  int64_t  instrument_id;
  int      n_batches;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (w->path, HS_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  for (int b = 0; b < w->n_batches; b++)
    {
      g_assert_true (hs_store_begin (store, &error));
      for (int i = 0; i < 200; i++)
        {
          HsBar bar = { .ts = (int64_t) (b * 200 + i + 1000) * 60000000, .open = 10, .high = 11,
                        .low = 9, .close = 10, .volume = 5, .vwap = NAN, .trade_count = -1 };

          g_assert_true (hs_store_insert_bar (store, w->instrument_id, "1m", &bar, NULL, &error));
        }
      g_assert_true (hs_store_commit (store, &error));
      g_usleep (1000);
    }
  return NULL;
}

static int64_t
count_bars (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int64_t n;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM candles", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* A backup taken while another connection writes is a consistent database holding a whole
 * number of the writer's transactions. */
static void
test_backup_while_writing (void)
{
  g_autofree char *path = temp_db ("live.db");
  g_autofree char *dest = temp_db ("live-backup.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_autoptr(GPtrArray) problems = NULL;
  Writer w = { .path = path, .n_batches = 100 };
  GThread *thread;
  int64_t n;

  g_assert_no_error (error);
  g_assert_true (hs_store_ensure_instrument (store, "SPY", NULL, "etf", &w.instrument_id, &error));
  thread = g_thread_new ("writer", writer_thread, &w);
  for (int i = 0; i < 5; i++)
    {
      g_assert_true (hs_store_backup (store, dest, &error));
      g_assert_no_error (error);
    }
  g_thread_join (thread);
  n = count_bars (dest);
  g_assert_cmpint (n % 200, ==, 0);
  g_assert_cmpint (n, <=, 200 * w.n_batches);
  {
    g_autoptr(HsStore) copy = hs_store_open (dest, HS_STORE_OPEN_READ_ONLY, &error);

    g_assert_no_error (error);
    g_assert_true (hs_store_check (copy, &problems, &error));
    g_assert_cmpuint (problems->len, ==, 0);
  }
  /* A final backup after the writer is done holds everything. */
  g_assert_true (hs_store_backup (store, dest, &error));
  g_assert_cmpint (count_bars (dest), ==, 200 * w.n_batches);
}

static int64_t
version_of (HsStore    *store,
            HsDataKind  kind,
            int64_t     instrument_id,
            const char *series,
            const char *interval)
{
  g_autoptr(GError) error = NULL;
  int64_t v = -1;

  g_assert_true (hs_store_data_version (store, kind, instrument_id, series, interval, &v,
                                        &error));
  g_assert_no_error (error);
  return v;
}

static HsBar
minute_bar (int64_t minute)
{
  HsBar bar = { .ts = minute * 60000000, .open = 10, .high = 11, .low = 9, .close = 10,
                .volume = 5, .vwap = NAN, .trade_count = -1 };

  return bar;
}

/* An import's transaction: begin, the bars, commit. */
static void
import_minutes (HsStore *store,
                int64_t  id,
                int64_t  first,
                size_t   n,
                int64_t  expect_inserted)
{
  g_autofree HsBar *bars = g_new (HsBar, n);
  g_autoptr(GError) error = NULL;
  int64_t inserted = -1;

  for (size_t i = 0; i < n; i++)
    bars[i] = minute_bar (first + (int64_t) i);
  g_assert_true (hs_store_begin (store, &error));
  g_assert_true (hs_store_insert_bars (store, id, "1m", bars, n, &inserted, &error));
  g_assert_true (hs_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (inserted, ==, expect_inserted);
}

/* Candles: an import is version 1; importing the same bars again (nothing inserted) leaves it;
 * one new bar is one more, however many statements wrote it; a rolled-back transaction and a
 * failed write leave it; a write outside a transaction counts at once. Other series are
 * separate. */
static void
test_data_versions_candles (void)
{
  g_autofree char *path = temp_db ("versions.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  int64_t id = 0, other = 0;
  gboolean inserted = FALSE;

  g_assert_no_error (error);
  g_assert_true (hs_store_ensure_instrument (store, "SPY", NULL, "etf", &id, &error));
  g_assert_true (hs_store_ensure_instrument (store, "QQQ", NULL, "etf", &other, &error));
  g_assert_cmpint (version_of (store, HS_DATA_CANDLES, id, NULL, "1m"), ==, 0);

  import_minutes (store, id, 1000, 200, 200);       /* three batches of 64 and 8 single rows */
  g_assert_cmpint (version_of (store, HS_DATA_CANDLES, id, NULL, "1m"), ==, 1);
  import_minutes (store, id, 1000, 200, 0);
  g_assert_cmpint (version_of (store, HS_DATA_CANDLES, id, NULL, "1m"), ==, 1);
  import_minutes (store, id, 1000, 201, 1);
  g_assert_cmpint (version_of (store, HS_DATA_CANDLES, id, NULL, "1m"), ==, 2);
  /* The other interval, the other instrument and the other kinds are other series. */
  g_assert_cmpint (version_of (store, HS_DATA_CANDLES, id, NULL, "1d"), ==, 0);
  g_assert_cmpint (version_of (store, HS_DATA_CANDLES, other, NULL, "1m"), ==, 0);
  g_assert_cmpint (version_of (store, HS_DATA_QUOTE_BARS, id, NULL, "1m"), ==, 0);

  /* A failed import: rows inserted, then rolled back. */
  {
    HsBar bar = minute_bar (5000);

    g_assert_true (hs_store_begin (store, &error));
    g_assert_true (hs_store_insert_bar (store, id, "1m", &bar, &inserted, &error));
    g_assert_true (inserted);
    hs_store_rollback (store);
    g_assert_cmpint (version_of (store, HS_DATA_CANDLES, id, NULL, "1m"), ==, 2);
    /* The next transaction does not inherit the rolled-back one's series. */
    g_assert_true (hs_store_begin (store, &error));
    g_assert_true (hs_store_commit (store, &error));
    g_assert_cmpint (version_of (store, HS_DATA_CANDLES, id, NULL, "1m"), ==, 2);
  }
  /* Outside a transaction: at once, and only when something was inserted. */
  {
    HsBar bar = minute_bar (5000);

    g_assert_true (hs_store_insert_bar (store, id, "1m", &bar, &inserted, &error));
    g_assert_true (inserted);
    g_assert_cmpint (version_of (store, HS_DATA_CANDLES, id, NULL, "1m"), ==, 3);
    g_assert_true (hs_store_insert_bar (store, id, "1m", &bar, &inserted, &error));
    g_assert_false (inserted);
    g_assert_cmpint (version_of (store, HS_DATA_CANDLES, id, NULL, "1m"), ==, 3);
  }
  /* A write that fails (no such instrument) counts nothing, in or out of a transaction. */
  {
    HsBar bar = minute_bar (6000);

    g_assert_false (hs_store_insert_bar (store, 12345, "1m", &bar, &inserted, &error));
    g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
    g_assert_cmpint (version_of (store, HS_DATA_CANDLES, 12345, NULL, "1m"), ==, 0);
  }
  /* Two series in one transaction: one more each. */
  {
    HsBar a = minute_bar (7000), b = minute_bar (7001);

    g_assert_true (hs_store_begin (store, &error));
    g_assert_true (hs_store_insert_bar (store, id, "1m", &a, NULL, &error));
    g_assert_true (hs_store_insert_bar (store, other, "1m", &a, NULL, &error));
    g_assert_true (hs_store_insert_bar (store, id, "1m", &b, NULL, &error));
    g_assert_true (hs_store_commit (store, &error));
    g_assert_no_error (error);
    g_assert_cmpint (version_of (store, HS_DATA_CANDLES, id, NULL, "1m"), ==, 4);
    g_assert_cmpint (version_of (store, HS_DATA_CANDLES, other, NULL, "1m"), ==, 1);
  }
  /* The range of bars, from the primary key. */
  {
    gboolean found = FALSE;
    int64_t first = 0, last = 0;

    g_assert_true (hs_store_bar_range (store, id, "1m", G_MININT64, G_MAXINT64, &found, &first,
                                       &last, &error));
    g_assert_true (found);
    g_assert_cmpint (first, ==, 1000 * G_GINT64_CONSTANT (60000000));
    g_assert_cmpint (last, ==, 7001 * G_GINT64_CONSTANT (60000000));
    g_assert_true (hs_store_bar_range (store, id, "1m", 1100 * G_GINT64_CONSTANT (60000000),
                                       6999 * G_GINT64_CONSTANT (60000000), &found, &first,
                                       &last, &error));
    g_assert_cmpint (first, ==, 1100 * G_GINT64_CONSTANT (60000000));
    g_assert_cmpint (last, ==, 5000 * G_GINT64_CONSTANT (60000000));
    g_assert_true (hs_store_bar_range (store, id, "1m", 1, 2, &found, &first, &last, &error));
    g_assert_false (found);
    g_assert_no_error (error);
  }
}

/* The other writers: quote bars, trades, quotes, factor files, calendars, rates. */
static void
test_data_versions_other_kinds (void)
{
  g_autofree char *path = temp_db ("versions-kinds.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  HsQuoteBar qb = { .ts = 60000000, .bid_open = 1, .bid_high = 1, .bid_low = 1, .bid_close = 1,
                    .bid_size = 1, .ask_open = 2, .ask_high = 2, .ask_low = 2, .ask_close = 2,
                    .ask_size = 1 };
  HsPriceFactor factors[2] = { { 16000, 0.9, 1, 100 }, { 16100, 1, 1, 0 } };
  HsMarketDay day = { .day = 16001, .kind = HS_MARKET_DAY_EARLY_CLOSE, .close_s = 13 * 3600 };
  HsTrade trade = { .ts = 1, .seq = 0, .price = 10, .size = 1, .side = 1, .cvd = 1 };
  HsQuote quote = { .ts = 1, .bid = 9, .ask = 10, .bid_size = NAN, .ask_size = NAN };
  int64_t id = 0, written = 0, removed = 0;
  gboolean added = FALSE;

  g_assert_no_error (error);
  g_assert_true (hs_store_ensure_instrument (store, "SPY", NULL, "etf", &id, &error));

  g_assert_true (hs_store_insert_quote_bar (store, id, "1m", &qb, &added, &error));
  g_assert_true (hs_store_insert_quote_bar (store, id, "1m", &qb, &added, &error));
  g_assert_false (added);
  g_assert_cmpint (version_of (store, HS_DATA_QUOTE_BARS, id, NULL, "1m"), ==, 1);
  g_assert_cmpint (version_of (store, HS_DATA_CANDLES, id, NULL, "1m"), ==, 0);

  g_assert_true (hs_store_insert_trade (store, id, &trade, &added, &error));
  g_assert_true (hs_store_insert_trade (store, id, &trade, &added, &error));
  g_assert_cmpint (version_of (store, HS_DATA_TRADES, id, NULL, NULL), ==, 1);
  g_assert_true (hs_store_insert_quote (store, id, &quote, &added, &error));
  g_assert_cmpint (version_of (store, HS_DATA_QUOTES, id, NULL, NULL), ==, 1);

  /* A factor file: written, the same again (nothing), a changed factor, a removed row. */
  g_assert_true (hs_store_replace_price_factors (store, id, factors, 2, &written, &removed,
                                                 &error));
  g_assert_cmpint (version_of (store, HS_DATA_FACTORS, id, NULL, NULL), ==, 1);
  g_assert_true (hs_store_replace_price_factors (store, id, factors, 2, &written, &removed,
                                                 &error));
  g_assert_cmpint (written + removed, ==, 0);
  g_assert_cmpint (version_of (store, HS_DATA_FACTORS, id, NULL, NULL), ==, 1);
  factors[0].price_factor = 0.8;
  g_assert_true (hs_store_replace_price_factors (store, id, factors, 2, &written, &removed,
                                                 &error));
  g_assert_cmpint (version_of (store, HS_DATA_FACTORS, id, NULL, NULL), ==, 2);
  g_assert_true (hs_store_replace_price_factors (store, id, factors + 1, 1, &written, &removed,
                                                 &error));
  g_assert_cmpint (removed, ==, 1);
  g_assert_cmpint (version_of (store, HS_DATA_FACTORS, id, NULL, NULL), ==, 3);

  /* A calendar day: new, the same, changed. */
  g_assert_true (hs_store_upsert_market_day (store, HS_MARKET_US_EQUITY, &day, &added, &error));
  g_assert_true (hs_store_upsert_market_day (store, HS_MARKET_US_EQUITY, &day, &added, &error));
  g_assert_false (added);
  g_assert_cmpint (version_of (store, HS_DATA_CALENDAR, 0, HS_MARKET_US_EQUITY, NULL), ==, 1);
  day.kind = HS_MARKET_DAY_HOLIDAY;
  day.close_s = 0;
  g_assert_true (hs_store_upsert_market_day (store, HS_MARKET_US_EQUITY, &day, &added, &error));
  g_assert_true (added);
  g_assert_cmpint (version_of (store, HS_DATA_CALENDAR, 0, HS_MARKET_US_EQUITY, NULL), ==, 2);

  /* A rate series, in one transaction of two rows. */
  g_assert_true (hs_store_begin (store, &error));
  g_assert_true (hs_store_insert_rate (store, "fed", 0, 1.5, &added, &error));
  g_assert_true (hs_store_insert_rate (store, "fed", 1, 1.75, &added, &error));
  g_assert_true (hs_store_commit (store, &error));
  g_assert_true (hs_store_insert_rate (store, "fed", 1, 1.75, &added, &error));
  g_assert_false (added);
  g_assert_no_error (error);
  g_assert_cmpint (version_of (store, HS_DATA_RATES, 0, "fed", NULL), ==, 1);
  g_assert_cmpint (version_of (store, HS_DATA_RATES, 0, "other", NULL), ==, 0);
}

/* Migration 008 gives every series stored before it version 1, and nothing else a row. */
static void
test_data_versions_seeded (void)
{
  g_autofree char *path = temp_db ("versions-seeded.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_NO_MIGRATE, &error);
  g_autoptr(GString) got = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  g_assert_true (hs_store_migrate_to (store, 7, NULL, &error));
  g_assert_no_error (error);
  hs_store_close (g_steal_pointer (&store));
  raw_exec (path,
            "INSERT INTO instruments (id, symbol, created_at) VALUES (1, 'SPY', 0), (2, 'QQQ', 0),"
            " (3, 'NONE', 0);"
            "INSERT INTO candles (instrument_id, interval, ts, open, high, low, close, volume)"
            " VALUES (1, '1m', 0, 1, 1, 1, 1, 0), (1, '1m', 60000000, 1, 1, 1, 1, 0),"
            " (1, '1d', 0, 1, 1, 1, 1, 0), (2, '1mo', 0, 1, 1, 1, 1, 0);"
            "INSERT INTO quote_bars (instrument_id, interval, ts, ask_open, ask_high, ask_low,"
            " ask_close) VALUES (1, '1m', 0, 2, 2, 2, 2);"
            "INSERT INTO trades (instrument_id, ts, seq, price, size, side, cvd_at_trade)"
            " VALUES (2, 0, 0, 1, 1, 1, 1);"
            "INSERT INTO price_factors VALUES (1, '2013-10-01', 0.9, 1, 100);"
            "INSERT INTO market_calendar VALUES ('us_equity', '2013-11-29', 'early_close',"
            " '13:00:00'), ('us_equity', '2013-12-25', 'holiday', NULL);"
            "INSERT INTO rates VALUES ('fed', 0, 1.5), ('fed', 1, 1.75), ('ecb', 0, 0);");
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  hs_store_close (g_steal_pointer (&store));

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT kind, instrument_id, series, interval, version"
                                           " FROM data_versions ORDER BY 1, 2, 3, 4", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (got, "%s %d %s %s %d\n", sqlite3_column_text (stmt, 0),
                            sqlite3_column_int (stmt, 1), sqlite3_column_text (stmt, 2),
                            sqlite3_column_text (stmt, 3), sqlite3_column_int (stmt, 4));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpstr (got->str, ==,
                   "calendar 0 us_equity  1\n"
                   "candles 1  1d 1\n"
                   "candles 1  1m 1\n"
                   "candles 2  1mo 1\n"
                   "factors 1   1\n"
                   "quote_bars 1  1m 1\n"
                   "rates 0 ecb  1\n"
                   "rates 0 fed  1\n"
                   "trades 2   1\n");
}

static void
test_cant_open (void)
{
  g_autoptr(GError) error = NULL;
  HsStore *store = hs_store_open ("/nonexistent-dir/x.db", HS_STORE_OPEN_DEFAULT, &error);

  g_assert_null (store);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CANT_OPEN);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/store/schema/tables", test_schema_tables);
  g_test_add_func ("/hs/store/migrate/idempotent", test_migrate_idempotent);
  g_test_add_func ("/hs/store/migrate/reshape-keeps-rows", test_reshape_keeps_rows);
  g_test_add_func ("/hs/store/migrate/too-new-untouched", test_too_new_untouched);
  g_test_add_func ("/hs/store/migrate/edited-migration", test_edited_migration);
  g_test_add_func ("/hs/store/open/wal-and-foreign-keys", test_wal_and_foreign_keys);
  g_test_add_func ("/hs/store/open/not-a-database", test_not_a_database);
  g_test_add_func ("/hs/store/open/cant-open", test_cant_open);
  g_test_add_func ("/hs/store/check/dangling-rows", test_check_finds_dangling_rows);
  g_test_add_func ("/hs/store/backup/while-writing", test_backup_while_writing);
  g_test_add_func ("/hs/store/data-versions/candles", test_data_versions_candles);
  g_test_add_func ("/hs/store/data-versions/other-kinds", test_data_versions_other_kinds);
  g_test_add_func ("/hs/store/data-versions/seeded", test_data_versions_seeded);
  return g_test_run ();
}
