/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The signal ledger (docs/ledger.md) through the real store on a real SQLite file: a
 * hand-written JSONL with every record type imports, its derived slippage, latency and round
 * trips equal the hand calculations written next to each check, a re-import changes nothing
 * (full dump compared), every refused file names FILE:LINE: field and leaves the database as it
 * was, and a replay over a hand-made bar series drifts from a hand-made record exactly where it
 * was made to. The core functions are checked on their own against hand-worked cases.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-import.h"
#include "hs-ledger.h"
#include "hs-records.h"
#include "hs-store-ledger.h"
#include "hs-store-market.h"
#include "hs-store.h"

#define EPS 1e-9

typedef struct
{
  char    *dir;
  char    *db_path;
  HsStore *store;
} Fixture;

static char *
write_file (Fixture    *f,
            const char *name,
            const char *content)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  return path;
}

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  (void) data;
  f->dir = g_dir_make_tmp ("hs-ledger-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "test.db", NULL);
  f->store = hs_store_open (f->db_path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (hs_store_ensure_instrument (f->store, "AAPL", NULL, "stock", &id, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  (void) data;
  hs_store_close (f->store);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);

      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
}

/* One value from the test's own SQL on the file (a second connection, read only). */
static double
query_double (Fixture    *f,
              const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double v = NAN;

  g_assert_cmpint (sqlite3_open_v2 (f->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    v = sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

static char *
query_text (Fixture    *f,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *v = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

/* Every record type. Times: signal s1 at 14:35:00; o1 at 14:35:00.200. */
static const char ledger_jsonl[] =
  "{\"type\":\"signal\",\"key\":\"s1\",\"symbol\":\"AAPL\",\"ts\":\"2024-03-04T14:35:00Z\","
  "\"strategy\":\"orb\",\"setup\":\"breakout\",\"signal_type\":\"buy\",\"confidence\":72,"
  "\"price\":\"100.00\",\"filters_passed\":[\"trend\"],\"status\":\"promoted\"}\n"
  "{\"type\":\"signal\",\"key\":\"s2\",\"symbol\":\"AAPL\",\"ts\":1709563200,\"strategy\":\"orb\","
  "\"signal_type\":\"SELL\",\"price\":101,\"filters_blocked\":[\"max_trades\"],"
  "\"status\":\"blocked\"}\n"
  "\n"
  "{\"type\":\"veto\",\"signal\":\"s2\",\"rule\":\"max_trades\",\"reason\":\"3 trades today\","
  "\"details\":{\"limit\":3}}\n"
  "{\"type\":\"order\",\"client_order_id\":\"o1\",\"signal\":\"s1\",\"leg\":\"entry\","
  "\"ts\":\"2024-03-04T14:35:00.200Z\",\"side\":\"buy\",\"order_type\":\"limit\","
  "\"limit_price\":100.1,\"qty\":10,\"status\":\"filled\",\"payload\":{\"qty\":10}}\n"
  "{\"type\":\"order\",\"client_order_id\":\"o1-tp\",\"parent\":\"o1\",\"leg\":\"take_profit\","
  "\"ts\":\"2024-03-04T14:35:00.200Z\",\"side\":\"sell\",\"order_type\":\"limit\","
  "\"limit_price\":102,\"qty\":10,\"status\":\"filled\"}\n"
  "{\"type\":\"order\",\"client_order_id\":\"o1-sl\",\"parent\":\"o1\",\"leg\":\"stop_loss\","
  "\"ts\":\"2024-03-04T14:35:00.200Z\",\"side\":\"sell\",\"order_type\":\"stop\","
  "\"stop_price\":99,\"qty\":10,\"status\":\"cancelled\"}\n"
  "{\"type\":\"fill\",\"order\":\"o1\",\"fill_seq\":1,\"ts\":\"2024-03-04T14:35:00.450Z\","
  "\"price\":100.05,\"qty\":6,\"fee\":0.5}\n"
  "{\"type\":\"fill\",\"order\":\"o1\",\"fill_seq\":2,\"ts\":\"2024-03-04T14:35:01Z\","
  "\"price\":100.10,\"qty\":4,\"fee\":0.5,\"liquidity\":\"maker\"}\n"
  "{\"type\":\"fill\",\"order\":\"o1-tp\",\"broker_fill_id\":\"b9\","
  "\"ts\":\"2024-03-04T14:52:00Z\",\"price\":101.98,\"qty\":10,\"fee\":1}\n"
  "{\"type\":\"order\",\"client_order_id\":\"o2\",\"symbol\":\"AAPL\",\"ts\":"
  "\"2024-03-04T15:00:00Z\",\"side\":\"sell\",\"qty\":5,\"reference_price\":101.5,"
  "\"status\":\"filled\"}\n"
  "{\"type\":\"fill\",\"order\":\"o2\",\"fill_seq\":1,\"ts\":\"2024-03-04T15:00:00.250Z\","
  "\"price\":101.40,\"qty\":5}\n"
  "{\"type\":\"order\",\"client_order_id\":\"o3\",\"closes\":\"o2\",\"ts\":"
  "\"2024-03-04T15:10:00Z\",\"side\":\"buy\",\"qty\":5,\"reference_price\":100,"
  "\"status\":\"filled\"}\n"
  "{\"type\":\"fill\",\"order\":\"o3\",\"fill_seq\":1,\"ts\":\"2024-03-04T15:10:00.100Z\","
  "\"price\":100.2,\"qty\":5}\n"
  "{\"type\":\"account\",\"ts\":\"2024-03-04T21:00:00Z\",\"cash\":100023.1,"
  "\"equity\":100023.1,\"realized_pnl\":23.1,\"open_positions\":[]}\n"
  "{\"type\":\"risk_day\",\"day\":\"2024-03-04\",\"trades_taken\":2,\"r_realized\":1.6,"
  "\"max_drawdown\":0.2,\"breach_flags\":[]}\n";

static void
import_ok (Fixture              *f,
           const char           *name,
           const char           *content,
           HsLedgerImportResult *r)
{
  g_autofree char *path = write_file (f, name, content);
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_ledger_import (f->store, path, NULL, r, &error));
  g_assert_no_error (error);
}

static void
test_import_every_type (Fixture      *f,
                        gconstpointer data)
{
  HsLedgerImportResult r;
  g_autofree char *payload = NULL, *tp_payload = NULL, *status = NULL;

  (void) data;
  import_ok (f, "ledger.jsonl", ledger_jsonl, &r);
  /* 15 non-blank lines: 2 signals, 1 veto, 5 orders, 5 fills, 1 account, 1 risk day. */
  g_assert_cmpint (r.lines, ==, 15);
  g_assert_cmpint (r.inserted[HS_LEDGER_SIGNAL], ==, 2);
  g_assert_cmpint (r.inserted[HS_LEDGER_VETO], ==, 1);
  g_assert_cmpint (r.inserted[HS_LEDGER_ORDER], ==, 5);
  g_assert_cmpint (r.inserted[HS_LEDGER_FILL], ==, 5);
  g_assert_cmpint (r.inserted[HS_LEDGER_ACCOUNT], ==, 1);
  g_assert_cmpint (r.inserted[HS_LEDGER_RISK_DAY], ==, 1);
  /* Two round trips: o1 (long, closed by its take-profit leg) and o2 (short, closed by o3). */
  g_assert_cmpint (r.trades_inserted, ==, 2);

  /* "buy" is stored as BUY; the epoch second 1709563200 is 2024-03-04T14:40:00Z. */
  g_assert_cmpfloat (query_double (f, "SELECT count(*) FROM signals WHERE ledger_key = 's1' "
                                      "AND signal_type = 'BUY' AND status = 'promoted'"), ==, 1);
  g_assert_cmpfloat (query_double (f, "SELECT ts FROM signals WHERE ledger_key = 's2'"), ==,
                     1709563200.0 * 1e6);
  g_assert_cmpfloat (query_double (f, "SELECT count(*) FROM risk_vetoes v JOIN signals s "
                                      "ON s.id = v.signal_id WHERE s.ledger_key = 's2' "
                                      "AND v.rule = 'max_trades'"), ==, 1);
  /* The entry's reference is its signal's price (100); bracket legs take their own levels. */
  g_assert_cmpfloat (query_double (f, "SELECT reference_price FROM orders "
                                      "WHERE client_order_id = 'o1'"), ==, 100);
  g_assert_cmpfloat (query_double (f, "SELECT reference_price FROM orders "
                                      "WHERE client_order_id = 'o1-tp'"), ==, 102);
  g_assert_cmpfloat (query_double (f, "SELECT reference_price FROM orders "
                                      "WHERE client_order_id = 'o1-sl'"), ==, 99);
  /* The payload as given; an order without one keeps its whole line. */
  payload = query_text (f, "SELECT payload FROM orders WHERE client_order_id = 'o1'");
  g_assert_cmpstr (payload, ==, "{\"qty\":10}");
  tp_payload = query_text (f, "SELECT json_extract(payload, '$.client_order_id') FROM orders "
                              "WHERE client_order_id = 'o1-tp'");
  g_assert_cmpstr (tp_payload, ==, "o1-tp");

  /* Slippage, by hand: buy fills vs 100: 100.05 − 100 = 0.05, 100.10 − 100 = 0.10; the
   * take-profit sell vs its limit 102: 102 − 101.98 = 0.02; o2 sells vs 101.5:
   * 101.5 − 101.40 = 0.10; o3 buys vs 100: 100.2 − 100 = 0.2. */
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT slippage FROM fills f JOIN orders o "
                                                   "ON o.id = f.order_id WHERE "
                                                   "o.client_order_id = 'o1' AND fill_seq = 1"),
                                  0.05, EPS);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT slippage FROM fills f JOIN orders o "
                                                   "ON o.id = f.order_id WHERE "
                                                   "o.client_order_id = 'o1' AND fill_seq = 2"),
                                  0.10, EPS);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT slippage FROM fills f JOIN orders o "
                                                   "ON o.id = f.order_id WHERE "
                                                   "o.client_order_id = 'o1-tp'"), 0.02, EPS);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT slippage FROM fills f JOIN orders o "
                                                   "ON o.id = f.order_id WHERE "
                                                   "o.client_order_id = 'o2'"), 0.10, EPS);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT slippage FROM fills f JOIN orders o "
                                                   "ON o.id = f.order_id WHERE "
                                                   "o.client_order_id = 'o3'"), 0.2, EPS);
  /* Latency, by hand: o1's fills 450 ms and 1000 ms after the signal (14:35:00); the
   * take-profit fill (no signal on the leg) from its order at 14:35:00.200 to 14:52:00 is
   * 16 min 59.8 s = 1,019,800 ms; o2's 250 ms and o3's 100 ms after their orders. */
  g_assert_cmpfloat (query_double (f, "SELECT latency_ms FROM fills f JOIN orders o ON "
                                      "o.id = f.order_id WHERE o.client_order_id = 'o1' "
                                      "AND fill_seq = 1"), ==, 450);
  g_assert_cmpfloat (query_double (f, "SELECT latency_ms FROM fills f JOIN orders o ON "
                                      "o.id = f.order_id WHERE o.client_order_id = 'o1' "
                                      "AND fill_seq = 2"), ==, 1000);
  g_assert_cmpfloat (query_double (f, "SELECT latency_ms FROM fills f JOIN orders o ON "
                                      "o.id = f.order_id WHERE o.client_order_id = 'o1-tp'"),
                     ==, 1019800);
  g_assert_cmpfloat (query_double (f, "SELECT latency_ms FROM fills f JOIN orders o ON "
                                      "o.id = f.order_id WHERE o.client_order_id = 'o2'"),
                     ==, 250);
  g_assert_cmpfloat (query_double (f, "SELECT latency_ms FROM fills f JOIN orders o ON "
                                      "o.id = f.order_id WHERE o.client_order_id = 'o3'"),
                     ==, 100);
  /* The broker_fill_id fill got number 1 of its order. */
  g_assert_cmpfloat (query_double (f, "SELECT fill_seq FROM fills WHERE broker_fill_id = 'b9'"),
                     ==, 1);

  /* Round trip o1, by hand: entry VWAP (6 × 100.05 + 4 × 100.10) / 10 = 100.07; exit 101.98;
   * gross (101.98 − 100.07) × 10 = 19.1; fees 0.5 + 0.5 + 1 = 2; net 17.1; slippage cost
   * 0.05 × 6 + 0.10 × 4 + 0.02 × 10 = 0.9; R = 17.1 / ((100.07 − 99) × 10) = 17.1 / 10.7. */
  status = query_text (f, "SELECT status || ' ' || side FROM trade_ledger_v "
                          "WHERE entry_client_order_id = 'o1'");
  g_assert_cmpstr (status, ==, "closed long");
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT entry_price FROM trade_ledger_v "
                                                   "WHERE entry_client_order_id = 'o1'"),
                                  100.07, EPS);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT exit_price FROM trade_ledger_v "
                                                   "WHERE entry_client_order_id = 'o1'"),
                                  101.98, EPS);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT gross_pnl FROM trade_ledger "
                                                   "WHERE id = 1"), 19.1, 1e-9);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT fees FROM trade_ledger "
                                                   "WHERE id = 1"), 2, EPS);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT net_pnl FROM trade_ledger "
                                                   "WHERE id = 1"), 17.1, 1e-9);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT slippage FROM trade_ledger "
                                                   "WHERE id = 1"), 0.9, 1e-9);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT r_multiple FROM trade_ledger "
                                                   "WHERE id = 1"), 17.1 / 10.7, 1e-9);
  /* The view's per-order slippage: entry (0.05 × 6 + 0.10 × 4) / 10 = 0.07; exit 0.02;
   * latencies of the first entry fill (450) and the last exit fill (1,019,800). */
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT entry_slippage FROM trade_ledger_v "
                                                   "WHERE ledger_id = 1"), 0.07, 1e-9);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT exit_slippage FROM trade_ledger_v "
                                                   "WHERE ledger_id = 1"), 0.02, 1e-9);
  g_assert_cmpfloat (query_double (f, "SELECT entry_latency_ms FROM trade_ledger_v "
                                      "WHERE ledger_id = 1"), ==, 450);
  g_assert_cmpfloat (query_double (f, "SELECT exit_latency_ms FROM trade_ledger_v "
                                      "WHERE ledger_id = 1"), ==, 1019800);
  g_assert_cmpfloat (query_double (f, "SELECT signal_price FROM trade_ledger_v "
                                      "WHERE ledger_id = 1"), ==, 100);
  /* Round trip o2, short: gross −1 × (100.2 − 101.4) × 5 = 6.0; no fees; slippage cost
   * 0.10 × 5 + 0.2 × 5 = 1.5; no stop, so no R. */
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT net_pnl FROM trade_ledger_v "
                                                   "WHERE entry_client_order_id = 'o2' "
                                                   "AND side = 'short'"), 6.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT slippage_cost FROM trade_ledger_v "
                                                   "WHERE entry_client_order_id = 'o2'"),
                                  1.5, 1e-9);
  g_assert_true (isnan (query_double (f, "SELECT r_multiple FROM trade_ledger_v "
                                         "WHERE entry_client_order_id = 'o2'")));
  g_assert_cmpfloat (query_double (f, "SELECT trades_taken FROM risk_days "
                                      "WHERE day = '2024-03-04'"), ==, 2);
}

static void
test_reimport_idempotent (Fixture      *f,
                          gconstpointer data)
{
  HsLedgerImportResult r;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;

  (void) data;
  import_ok (f, "ledger.jsonl", ledger_jsonl, &r);
  before = hs_store_dump (f->store, &error);
  g_assert_no_error (error);
  import_ok (f, "ledger.jsonl", ledger_jsonl, &r);
  after = hs_store_dump (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (before, ==, after);
  for (int k = 0; k < HS_LEDGER_N_KINDS; k++)
    {
      g_assert_cmpint (r.inserted[k], ==, 0);
      g_assert_cmpint (r.updated[k], ==, 0);
    }
  g_assert_cmpint (r.present[HS_LEDGER_FILL], ==, 5);
  g_assert_cmpint (r.trades_inserted + r.trades_updated, ==, 0);

  /* A bot re-sending an order with a new status updates it, and only it. */
  import_ok (f, "update.jsonl",
             "{\"type\":\"order\",\"client_order_id\":\"o1-sl\",\"parent\":\"o1\","
             "\"leg\":\"stop_loss\",\"ts\":\"2024-03-04T14:35:00.200Z\",\"side\":\"sell\","
             "\"order_type\":\"stop\",\"stop_price\":99,\"qty\":10,\"status\":\"expired\"}\n",
             &r);
  g_assert_cmpint (r.updated[HS_LEDGER_ORDER], ==, 1);
  g_assert_cmpfloat (query_double (f, "SELECT count(*) FROM orders WHERE "
                                      "client_order_id = 'o1-sl' AND status = 'expired'"),
                     ==, 1);
}

typedef struct
{
  const char *content;
  const char *message;   /* the whole expected message after the file name */
} BadCase;

/* Each bad file has a good first line, so a refusal must also undo that line. */
static const BadCase bad_cases[] = {
  { "{\"type\":\"account\",\"ts\":1709600000,\"cash\":1,\"equity\":1}\n"
    "{\"type\":\"fill\",\"order\":\"nope\",\"fill_seq\":1,\"ts\":1709600000,\"price\":1,"
    "\"qty\":1}\n",
    ":2: order: unknown order “nope” (no earlier line or stored order has that "
    "client_order_id)" },
  /* A reference to a later line is as unknown as one to nothing. */
  { "{\"type\":\"account\",\"ts\":1709600000,\"cash\":1,\"equity\":1}\n"
    "{\"type\":\"veto\",\"signal\":\"later\",\"rule\":\"r\",\"reason\":\"x\"}\n"
    "{\"type\":\"signal\",\"key\":\"later\",\"symbol\":\"AAPL\",\"ts\":1709600000,"
    "\"strategy\":\"s\",\"signal_type\":\"BUY\"}\n",
    ":2: signal: unknown signal “later” (no earlier line or stored signal has that key)" },
  { "{\"type\":\"account\",\"ts\":1709600000,\"cash\":1,\"equity\":1}\n"
    "{\"type\":\"signal\",\"key\":\"k\",\n",
    NULL },
  { "{\"type\":\"account\",\"ts\":1709600000,\"cash\":1,\"equity\":1}\n"
    "{\"type\":\"signal\",\"key\":\"k\",\"symbol\":\"AAPL\",\"ts\":1709600000,"
    "\"strategy\":\"s\",\"signal_type\":\"BUY\",\"confidence\":150}\n",
    ":2: confidence: must be between 0 and 100, not 150" },
  { "{\"type\":\"account\",\"ts\":1709600000,\"cash\":1,\"equity\":1}\n"
    "{\"type\":\"order\",\"client_order_id\":\"x\",\"symbol\":\"AAPL\",\"ts\":1709600000,"
    "\"side\":\"buy\",\"qty\":-3}\n",
    ":2: qty: must be greater than 0, not -3" },
  { "{\"type\":\"account\",\"ts\":1709600000,\"cash\":1,\"equity\":1}\n"
    "{\"type\":\"order\",\"client_order_id\":\"x\",\"symbol\":\"MSFT\",\"ts\":1709600000,"
    "\"side\":\"buy\",\"qty\":3}\n",
    ":2: symbol: unknown instrument “MSFT” (import its data first)" },
  { "{\"type\":\"signal\",\"key\":\"k\",\"symbol\":\"AAPL\",\"ts\":1709600000,"
    "\"strategy\":\"s\",\"signal_type\":\"BUY\",\"price\":10}\n"
    "{\"type\":\"order\",\"client_order_id\":\"x\",\"signal\":\"k\",\"ts\":1709600001,"
    "\"side\":\"buy\",\"qty\":3}\n"
    "{\"type\":\"fill\",\"order\":\"x\",\"fill_seq\":1,\"ts\":1709599999,\"price\":10,"
    "\"qty\":3}\n",
    ":3: ts: the fill is earlier than its signal" },
  { "{\"type\":\"account\",\"ts\":1709600000,\"cash\":1,\"equity\":1}\n"
    "{\"type\":\"trade\",\"x\":1}\n",
    ":2: type: “trade” is not one of signal, veto, order, fill, account, risk_day" },
  { "{\"type\":\"account\",\"ts\":1709600000,\"cash\":1,\"equity\":1}\n"
    "{\"type\":\"risk_day\",\"day\":\"2024-02-30\"}\n",
    ":2: day: “2024-02-30” is not a date YYYY-MM-DD" },
  { "{\"type\":\"account\",\"ts\":1709600000,\"cash\":1,\"equity\":1}\n"
    "{\"type\":\"fill\",\"order\":\"o1\",\"ts\":1709600000,\"price\":1,\"qty\":1}\n",
    ":2: fill_seq: missing: give fill_seq (1, 2, … within the order) or broker_fill_id" },
  { "{\"type\":\"account\",\"ts\":1709600000,\"cash\":1,\"equity\":1}\n"
    "{\"type\":\"order\",\"client_order_id\":\"x\",\"parent\":\"o1\",\"leg\":\"stop_loss\","
    "\"ts\":1709600000,\"side\":\"buy\",\"order_type\":\"stop\",\"stop_price\":1,\"qty\":1}\n",
    ":2: side: a stop_loss leg must sell what its entry “o1” bought" },
  /* o1 is stored as a buy of 10: re-sending it as a sell is refused. */
  { "{\"type\":\"account\",\"ts\":1709600000,\"cash\":1,\"equity\":1}\n"
    "{\"type\":\"order\",\"client_order_id\":\"o1\",\"symbol\":\"AAPL\","
    "\"ts\":\"2024-03-04T14:35:00.200Z\",\"side\":\"sell\",\"qty\":10}\n",
    ":2: client_order_id: “o1” is stored with another instrument, time, side, quantity, leg "
    "or link" },
  { "{\"type\":\"account\",\"ts\":1709600000,\"cash\":1,\"equity\":1}\n"
    "[1, 2]\n",
    ":2: the line is not a JSON object" },
  { "\n\n", NULL },
};

static void
test_refusals (Fixture      *f,
               gconstpointer data)
{
  HsLedgerImportResult r;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;

  (void) data;
  import_ok (f, "ledger.jsonl", ledger_jsonl, &r);
  before = hs_store_dump (f->store, &error);
  g_assert_no_error (error);
  for (size_t i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad%zu.jsonl", i);
      g_autofree char *path = write_file (f, name, bad_cases[i].content);
      g_autofree char *after = NULL;
      g_autoptr(GError) local = NULL;

      g_test_message ("case %zu", i);
      g_assert_false (hs_ledger_import (f->store, path, NULL, &r, &local));
      g_assert_error (local, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT);
      g_assert_true (g_str_has_prefix (local->message, path));
      if (bad_cases[i].message != NULL)
        g_assert_cmpstr (local->message + strlen (path), ==, bad_cases[i].message);
      else
        g_assert_nonnull (strstr (local->message, i == G_N_ELEMENTS (bad_cases) - 1
                                                  ? ": the file has no JSON lines"
                                                  : ":2: not valid JSON"));
      g_assert_cmpint (r.lines, ==, 0);
      after = hs_store_dump (f->store, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (before, ==, after);
    }
}

/* ---- Core, by hand ----------------------------------------------------------------------- */

static void
test_core_derived (void)
{
  HsLedgerFillRow entry[] = { { 11, 1, 100, 50.0, 2, 0.1, NAN },
                              { 12, 1, 200, 53.0, 1, 0.1, 0.5 } };
  HsLedgerFillRow exits[] = { { 21, 2, 300, 49.0, 1, 0.2, NAN },
                              { 22, 3, 400, 48.0, 2, 0.2, -0.25 } };
  HsLedgerRoundTrip t;

  /* Signed so that positive is worse: a buy at 10.2 against 10 pays 0.2 more; a sell at 10.2
   * against 10 gets 0.2 more (−0.2). */
  g_assert_cmpfloat_with_epsilon (hs_ledger_slippage (TRUE, 10.2, 10), 0.2, EPS);
  g_assert_cmpfloat_with_epsilon (hs_ledger_slippage (FALSE, 10.2, 10), -0.2, EPS);
  g_assert_true (isnan (hs_ledger_slippage (TRUE, 10.2, NAN)));
  /* 1,234,999 µs is 1,234 whole ms; a fill before its signal has none. */
  g_assert_cmpint (hs_ledger_latency_ms (1234999 + 5, 5), ==, 1234);
  g_assert_cmpint (hs_ledger_latency_ms (4, 5), ==, -1);

  /* A short of 3: entry VWAP (2 × 50 + 1 × 53) / 3 = 51; exits (1 × 49 + 2 × 48) / 3 =
   * 48.333…; gross −1 × (48.333… − 51) × 3 = 8; fees 0.1 + 0.1 + 0.2 + 0.2 = 0.6; net 7.4;
   * slippage cost 0.5 × 1 − 0.25 × 2 = 0; stop 52: R = 7.4 / (1 × 3). */
  hs_ledger_round_trip_compute (-1, entry, 2, exits, 2, 52, &t);
  g_assert_true (t.closed);
  g_assert_cmpfloat_with_epsilon (t.quantity, 3, EPS);
  g_assert_cmpfloat_with_epsilon (t.entry_price, 51, EPS);
  g_assert_cmpfloat_with_epsilon (t.exit_price, 145.0 / 3, EPS);
  g_assert_cmpfloat_with_epsilon (t.gross_pnl, 8, 1e-9);
  g_assert_cmpfloat_with_epsilon (t.fees, 0.6, EPS);
  g_assert_cmpfloat_with_epsilon (t.net_pnl, 7.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (t.slippage, 0, EPS);
  g_assert_cmpfloat_with_epsilon (t.r_multiple, 7.4 / 3, 1e-9);
  g_assert_cmpint (t.entry_ts, ==, 100);
  g_assert_cmpint (t.entry_fill_id, ==, 11);
  g_assert_cmpint (t.exit_ts, ==, 400);
  g_assert_cmpint (t.exit_fill_id, ==, 22);
  g_assert_cmpint (t.exit_order_id, ==, 3);

  /* Only 1 of 3 closed: still open, no exit price or P&L; fees so far 0.1 + 0.1 + 0.2. */
  hs_ledger_round_trip_compute (-1, entry, 2, exits, 1, 52, &t);
  g_assert_false (t.closed);
  g_assert_true (isnan (t.exit_price) && isnan (t.net_pnl) && isnan (t.r_multiple));
  g_assert_cmpint (t.exit_ts, ==, -1);
  g_assert_cmpfloat_with_epsilon (t.fees, 0.4, EPS);
}

static void
test_core_drift (void)
{
  /* Replayed: buy at 100 s, sell at 200 s, buy at 300 s, sell at 400 s (times in seconds, µs
   * below). Recorded: a buy at 101 s (match), a buy at 210 s (the sell at 200 s pairs with it
   * by time only: side), a buy at 300 s 2 % dearer (price), and a sell at 1000 s (extra); the
   * sell at 400 s has nothing within 30 s (missing). */
  HsLedgerDecision replay[] = { { 100000000, 1, 10.0, 0, NULL }, { 200000000, -1, 11.0, 0, NULL },
                                { 300000000, 1, 10.0, 0, NULL }, { 400000000, -1, 9.0, 0, NULL } };
  HsLedgerDecision record[] = { { 101000000, 1, 10.01, 1, NULL }, { 210000000, 1, 11.0, 2, NULL },
                                { 300000000, 1, 10.2, 3, NULL }, { 1000000000, -1, 9.0, 4, NULL } };
  static const HsDriftKind want[] = { HS_DRIFT_MATCH, HS_DRIFT_SIDE, HS_DRIFT_PRICE,
                                      HS_DRIFT_MISSING, HS_DRIFT_EXTRA };
  static const int64_t want_replay[] = { 0, 1, 2, 3, -1 };
  static const int64_t want_record[] = { 0, 1, 2, -1, 3 };
  g_autoptr(GArray) d = hs_ledger_drift (replay, 4, record, 4, 30000000, 0.5);

  g_assert_cmpuint (d->len, ==, 5);
  for (guint i = 0; i < d->len; i++)
    {
      HsLedgerDrift *x = &g_array_index (d, HsLedgerDrift, i);

      g_assert_cmpint (x->kind, ==, want[i]);
      g_assert_cmpint (x->replay, ==, want_replay[i]);
      g_assert_cmpint (x->record, ==, want_record[i]);
    }
  /* With a 0.5 s tolerance only the exact-time pair (300 s, price) remains paired. */
  g_clear_pointer (&d, g_array_unref);
  d = hs_ledger_drift (replay, 4, record, 4, 500000, 0.5);
  {
    int n[HS_DRIFT_PRICE + 1] = { 0 };

    for (guint i = 0; i < d->len; i++)
      n[g_array_index (d, HsLedgerDrift, i).kind]++;
    g_assert_cmpint (n[HS_DRIFT_PRICE], ==, 1);
    g_assert_cmpint (n[HS_DRIFT_MISSING], ==, 3);
    g_assert_cmpint (n[HS_DRIFT_EXTRA], ==, 3);
    g_assert_cmpint (n[HS_DRIFT_MATCH] + n[HS_DRIFT_SIDE], ==, 0);
  }
}

/* ---- Replay ------------------------------------------------------------------------------ */

/* Closes of 14 one-minute bars from 2024-03-05T14:30Z; each bar opens at the previous close. */
static const double replay_closes[] = { 10, 10, 10, 12, 12, 12, 9, 9, 9, 9, 13, 13, 8, 8 };
#define T0 G_GINT64_CONSTANT (1709649000000000)   /* 2024-03-05T14:30:00Z */
#define MINUTE G_GINT64_CONSTANT (60000000)

static void
test_replay_drift (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rules = write_file (f, "rules.json", "{\"name\":\"up\",\"side\":\"long\","
                                       "\"entry\":\"close > 11\",\"exit\":\"close < 10\"}");
  HsBar bars[G_N_ELEMENTS (replay_closes)];
  HsLedgerImportResult r;
  HsReplayRequest req = { 0 };
  HsReplayResult res = { 0 };
  int64_t id = 0, n = 0;
  double prev = 10;

  (void) data;
  g_assert_true (hs_store_ensure_instrument (f->store, "MSFT", NULL, "stock", &id, &error));
  for (size_t i = 0; i < G_N_ELEMENTS (replay_closes); i++)
    {
      memset (&bars[i], 0, sizeof bars[i]);
      bars[i].ts = T0 + (int64_t) i * MINUTE;
      bars[i].open = prev;
      bars[i].close = replay_closes[i];
      bars[i].high = MAX (prev, replay_closes[i]);
      bars[i].low = MIN (prev, replay_closes[i]);
      bars[i].volume = 100;
      bars[i].vwap = NAN;
      prev = replay_closes[i];
    }
  g_assert_true (hs_store_insert_bars (f->store, id, "1m", bars, G_N_ELEMENTS (bars), &n,
                                       &error));
  g_assert_no_error (error);

  /* What the rule does, by hand: close > 11 first at bar 3 (14:33, close 12): buy at bar 4's
   * open 12, 14:34. close < 10 at bar 6 (14:36): sell at bar 7's open 9, 14:37. close > 11 at
   * bar 10 (14:40): buy at 13, 14:41. close < 10 at bar 12 (14:42): sell at 8, 14:43.
   * The record: k1 a BUY at 14:34:00.5 for 12.01 (match: 0.08 % off); k2 a BUY at 14:37:20
   * (the replay sold then: side); k3 a BUY at 14:41 for 13.5 (3.8 % off: price); nothing near
   * the 14:43 sale (missing); and x1, a buy order without a signal at 14:45 (extra). */
  import_ok (f, "record.jsonl",
             "{\"type\":\"signal\",\"key\":\"k1\",\"symbol\":\"MSFT\","
             "\"ts\":\"2024-03-05T14:34:00.500Z\",\"strategy\":\"up\",\"signal_type\":\"BUY\","
             "\"price\":12.01}\n"
             "{\"type\":\"signal\",\"key\":\"k2\",\"symbol\":\"MSFT\","
             "\"ts\":\"2024-03-05T14:37:20Z\",\"strategy\":\"up\",\"signal_type\":\"BUY\","
             "\"price\":9}\n"
             "{\"type\":\"signal\",\"key\":\"k3\",\"symbol\":\"MSFT\","
             "\"ts\":\"2024-03-05T14:41:00Z\",\"strategy\":\"up\",\"signal_type\":\"STRONG_BUY\","
             "\"price\":13.5}\n"
             "{\"type\":\"order\",\"client_order_id\":\"x1\",\"symbol\":\"MSFT\","
             "\"ts\":\"2024-03-05T14:45:00Z\",\"side\":\"buy\",\"qty\":1,"
             "\"reference_price\":8}\n", &r);

  req.rules_path = rules;
  req.symbol = "MSFT";
  req.interval = "1m";
  req.from_ts = T0;
  req.to_ts = T0 + G_GINT64_CONSTANT (43200000000);   /* half a day on */
  req.price_tolerance_pct = NAN;
  g_assert_true (hs_ledger_replay (f->store, &req, &res, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (res.n_bars, ==, 14);
  g_assert_cmpint (res.tolerance_us, ==, MINUTE);   /* one bar */
  g_assert_cmpuint (res.replay->len, ==, 4);
  g_assert_cmpuint (res.record->len, ==, 4);
  {
    static const HsDriftKind want[] = { HS_DRIFT_MATCH, HS_DRIFT_SIDE, HS_DRIFT_PRICE,
                                        HS_DRIFT_MISSING, HS_DRIFT_EXTRA };
    static const int64_t want_ts[] = { 4, 7, 10 + 1, 13, 15 };   /* minutes after 14:30 */
    static const double want_price[] = { 12, 9, 13, 8, 8 };

    g_assert_cmpuint (res.drift->len, ==, G_N_ELEMENTS (want));
    for (guint i = 0; i < res.drift->len; i++)
      {
        HsLedgerDrift *d = &g_array_index (res.drift, HsLedgerDrift, i);
        HsLedgerDecision *x = d->replay >= 0
                              ? &g_array_index (res.replay, HsLedgerDecision, d->replay)
                              : &g_array_index (res.record, HsLedgerDecision, d->record);

        g_test_message ("drift %u: %s %s", i, hs_drift_kind_to_string (d->kind), x->what);
        g_assert_cmpint (d->kind, ==, want[i]);
        g_assert_cmpint (x->ts, ==, T0 + want_ts[i] * MINUTE);
        g_assert_cmpfloat_with_epsilon (x->price, want_price[i], EPS);
      }
  }
  g_assert_cmpint (res.counts[HS_DRIFT_MATCH], ==, 1);
  g_assert_cmpint (res.counts[HS_DRIFT_MISSING], ==, 1);
  g_assert_cmpint (res.counts[HS_DRIFT_EXTRA], ==, 1);
  hs_replay_result_clear (&res);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/hs/core/ledger/derived", test_core_derived);
  g_test_add_func ("/hs/core/ledger/drift", test_core_drift);
  g_test_add ("/hs/jobs/ledger/import-every-type", Fixture, NULL, fixture_setup,
              test_import_every_type, fixture_teardown);
  g_test_add ("/hs/jobs/ledger/reimport", Fixture, NULL, fixture_setup,
              test_reimport_idempotent, fixture_teardown);
  g_test_add ("/hs/jobs/ledger/refusals", Fixture, NULL, fixture_setup, test_refusals,
              fixture_teardown);
  g_test_add ("/hs/jobs/ledger/replay-drift", Fixture, NULL, fixture_setup, test_replay_drift,
              fixture_teardown);
  return g_test_run ();
}
