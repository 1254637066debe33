/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ML export (src/jobs/hs-export.c, src/store/hs-store-export.c, src/core/hs-flatten.c):
 * a golden export of two hand-written trades compared with the CSV written out here by hand;
 * RFC 4180 quoting of commas, quotes and line breaks; JSON escapes decoded; nulls and values of
 * the wrong type empty; a JSON-lines export of 300 generated trades read back with json-glib and
 * compared with the stored JSON parsed by json-glib (not by the exporter's scanner); --where
 * selects what the training query selects; a cancelled or failed export leaves no file; the fast
 * number formatter against hs_format_double() on two million values; the JSON scanner on random
 * bytes.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-export.h"
#include "hs-flatten.h"
#include "hs-gen-trades.h"
#include "hs-records.h"
#include "hs-store-private.h"
#include "hs-store-query.h"
#include "hs-time.h"

static char *tmpdir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static HsStore *
new_store (const char *name)
{
  g_autofree char *path = tmp_path (name);
  g_autoptr(GError) error = NULL;
  HsStore *store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  return store;
}

static void
exec_sql (HsStore    *store,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *err = NULL;

  g_assert_cmpint (sqlite3_open (hs_store_get_path (store), &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &err) != SQLITE_OK)
    g_error ("%s: %s", sql, err);
  sqlite3_close (db);
}

static char *
export_to_string (HsStore         *store,
                  HsExportDataset  dataset,
                  HsExportFormat   format,
                  const char      *where,
                  const char      *name)
{
  g_autofree char *path = tmp_path (name);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  HsExportRequest req = { dataset, format, where, path };
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  int64_t rows = -1;

  g_assert_true (hs_export_run (store, &req, NULL, NULL, NULL, &rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

/* Two trades by hand. Trade 1 has every context object, with a text in the quoting cases and a
 * JSON escape; trade 2 has none, a NULL exit and an RSI of the wrong type. */
static const char *const golden_sql =
  "INSERT INTO instruments (id, symbol, created_at) VALUES (1, 'AAPL', 0), (2, 'XOM', 0);"
  "INSERT INTO paper_trades (id, instrument_id, side, quantity, entry_ts, entry_price, exit_ts, "
  "exit_price, stop_loss, take_profit, status, exit_reason, pnl, pnl_pct, fees, tags, notes, "
  "signals_snapshot, market_regime, order_book_state, ai_reasoning_log, target_pnl_15m, "
  "target_pnl_1h, target_mfe_pct, target_mae_pct, labeled_at, created_at, updated_at) VALUES "
  "(1, 1, 'long', 10, 1709563500000000, 180.5, 1709567100000000, 178, 178, 183, 'stopped', "
  "'stop_loss', -25, -1.385, 1, '[\"breakout\",\"gap\"]', 'said \"wait\", then\nbought', "
  "'{\"1m\":{\"rsi\":61.2,\"macd_hist\":0.02,\"ema_9_21_cross\":\"bullish\"},"
  "\"5m\":{\"rsi\":74,\"trend\":\"bullish\",\"squeeze\":\"off\"},"
  "\"daily\":{\"trend\":\"bullish\",\"dist_from_200sma\":5.2},\"missing\":[\"1h.rsi\"]}', "
  "'{\"spy\":{\"price\":502.5,\"pct_change\":-0.45,\"vix\":18.2},\"sector\":{\"ticker\":\"XLK\","
  "\"pct_change\":-1.2,\"correlation_30d\":0.85},\"market_internals\":{\"ad_line\":\"declining\","
  "\"put_call_ratio\":1.15},\"missing\":[]}', "
  "'{\"bid\":4.5,\"ask\":4.6,\"spread_pct\":2.2,\"volume\":1200,\"open_interest\":5000,"
  "\"iv\":0.32,\"greeks\":{\"delta\":0.45,\"gamma\":0.05,\"theta\":-0.12,\"vega\":0.2},"
  "\"missing\":[]}', "
  "'{\"model\":\"gemini-2.0-flash\",\"prompt_version\":\"v4_aggressive\",\"confidence_score\":8.5,"
  "\"bull_case\":\"Gap up, \\\"strong\\\"\\nvolume\",\"bear_case\":\"Caf\\u00e9 \\ud83d\\ude00\","
  "\"decision_logic\":\"rr\",\"tokens\":{\"in\":800,\"out\":120},\"latency_ms\":950}', "
  "0.5, -12.5, 1.25, 2, 1709600000000000, 0, 0),"
  "(2, 2, 'short', 5, 1709650000000000, 110, NULL, NULL, NULL, NULL, 'open', NULL, NULL, NULL, "
  "0, '[]', NULL, '{\"5m\":{\"rsi\":\"n/a\"}}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
  "0, 0);";

/* The expected file, column by column as docs/export.md lists them. */
static const char *const golden_csv =
  "id,symbol,side,quantity,entry_time,entry_price,exit_time,exit_price,stop_loss,take_profit,"
  "status,exit_reason,pnl,pnl_pct,fees,is_backtest,backtest_run_id,signal_id,tags,notes,"
  "target_pnl_15m,target_pnl_1h,target_mfe_pct,target_mae_pct,labeled_at,label_error,"
  "signals_1m_rsi,signals_1m_macd_hist,signals_1m_ema_9_21_cross,signals_1m_squeeze,"
  "signals_1m_trend,signals_1m_dist_from_200sma,"
  "signals_5m_rsi,signals_5m_macd_hist,signals_5m_ema_9_21_cross,signals_5m_squeeze,"
  "signals_5m_trend,signals_5m_dist_from_200sma,"
  "signals_15m_rsi,signals_15m_macd_hist,signals_15m_ema_9_21_cross,signals_15m_squeeze,"
  "signals_15m_trend,signals_15m_dist_from_200sma,"
  "signals_1h_rsi,signals_1h_macd_hist,signals_1h_ema_9_21_cross,signals_1h_squeeze,"
  "signals_1h_trend,signals_1h_dist_from_200sma,"
  "signals_daily_rsi,signals_daily_macd_hist,signals_daily_ema_9_21_cross,signals_daily_squeeze,"
  "signals_daily_trend,signals_daily_dist_from_200sma,signals_missing,"
  "regime_spy_price,regime_spy_pct_change,regime_spy_vix,regime_sector_ticker,"
  "regime_sector_pct_change,regime_sector_correlation_30d,regime_market_internals_ad_line,"
  "regime_market_internals_put_call_ratio,regime_missing,"
  "book_bid,book_ask,book_spread_pct,book_volume,book_open_interest,book_iv,book_greeks_delta,"
  "book_greeks_gamma,book_greeks_theta,book_greeks_vega,book_missing,"
  "ai_model,ai_prompt_version,ai_confidence_score,ai_bull_case,ai_bear_case,ai_decision_logic,"
  "ai_prompt,ai_raw_output,ai_tokens,ai_latency_ms\r\n"
  /* trade 1 */
  "1,AAPL,long,10,2024-03-04T14:45:00Z,180.5,2024-03-04T15:45:00Z,178,178,183,stopped,"
  "stop_loss,-25,-1.385,1,0,,,\"[\"\"breakout\"\",\"\"gap\"\"]\",\"said \"\"wait\"\", then\n"
  "bought\",0.5,-12.5,1.25,2,2024-03-05T00:53:20Z,,"
  "61.2,0.02,bullish,,,,"
  "74,,,off,bullish,,"
  ",,,,,,"
  ",,,,,,"
  ",,,,bullish,5.2,\"[\"\"1h.rsi\"\"]\","
  "502.5,-0.45,18.2,XLK,-1.2,0.85,declining,1.15,[],"
  "4.5,4.6,2.2,1200,5000,0.32,0.45,0.05,-0.12,0.2,[],"
  "gemini-2.0-flash,v4_aggressive,8.5,\"Gap up, \"\"strong\"\"\nvolume\",Café 😀,rr,,,"
  "\"{\"\"in\"\":800,\"\"out\"\":120}\",950\r\n"
  /* trade 2: open, no context but an RSI that is a text (empty: the wrong type) */
  "2,XOM,short,5,2024-03-05T14:46:40Z,110,,,,,open,,,,0,0,,,[],,,,,,,,"
  ",,,,,,"
  ",,,,,,"
  ",,,,,,"
  ",,,,,,"
  ",,,,,,,"
  ",,,,,,,,,"
  ",,,,,,,,,,,"
  ",,,,,,,,,\r\n";

static void
test_golden_csv (void)
{
  g_autoptr(HsStore) store = new_store ("golden.db");
  g_autofree char *csv = NULL;

  exec_sql (store, golden_sql);
  csv = export_to_string (store, HS_EXPORT_TRADES, HS_EXPORT_CSV, NULL, "golden.csv");
  g_assert_cmpstr (csv, ==, golden_csv);
  /* The same column order on every run. */
  {
    g_autofree char *again = export_to_string (store, HS_EXPORT_TRADES, HS_EXPORT_CSV, NULL,
                                               "golden2.csv");

    g_assert_cmpstr (again, ==, csv);
  }
  g_assert_cmpuint (hs_export_n_columns (HS_EXPORT_TRADES), ==, 87);
  g_assert_cmpstr (hs_export_column_name (HS_EXPORT_TRADES, 32), ==, "signals_5m_rsi");
  g_assert_cmpstr (hs_export_column_type (HS_EXPORT_TRADES, 32), ==, "number");
  g_assert_cmpstr (hs_export_column_type (HS_EXPORT_TRADES, 4), ==, "time");
  g_assert_cmpstr (hs_export_column_type (HS_EXPORT_TRADES, 18), ==, "json");
}

static void
test_golden_jsonl (void)
{
  g_autoptr(HsStore) store = new_store ("golden-j.db");
  g_autofree char *jsonl = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  exec_sql (store, golden_sql);
  jsonl = export_to_string (store, HS_EXPORT_TRADES, HS_EXPORT_JSONL, "side == 'long'",
                            "golden.jsonl");
  lines = g_strsplit (jsonl, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);   /* one line and the empty rest */
  g_assert_cmpstr (lines[1], ==, "");
  g_assert_true (json_parser_load_from_data (parser, lines[0], -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (o), ==, 87);
  g_assert_cmpint (json_object_get_int_member (o, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "notes"), ==, "said \"wait\", then\nbought");
  g_assert_cmpstr (json_object_get_string_member (o, "ai_bull_case"), ==,
                   "Gap up, \"strong\"\nvolume");
  g_assert_cmpstr (json_object_get_string_member (o, "ai_bear_case"), ==, "Café 😀");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "ai_tokens"),
                                               "in"), ==, 800);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "tags"), 1),
                   ==, "gap");
  g_assert_true (json_object_get_null_member (o, "signals_15m_rsi"));
  g_assert_cmpfloat (json_object_get_double_member (o, "regime_spy_vix"), ==, 18.2);
  g_assert_cmpstr (json_object_get_string_member (o, "entry_time"), ==, "2024-03-04T14:45:00Z");
}

/* 300 generated trades exported as JSON lines; every flattened value equals the stored JSON's,
 * read with json-glib; the CSV export has the same number of lines. */
static JsonNode *
json_path (JsonNode   *root,
           const char *dotted)
{
  g_auto(GStrv) keys = g_strsplit (dotted, ".", -1);
  JsonNode *n = root;

  for (size_t i = 0; keys[i] != NULL; i++)
    {
      if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n)
          || !json_object_has_member (json_node_get_object (n), keys[i]))
        return NULL;
      n = json_object_get_member (json_node_get_object (n), keys[i]);
    }
  return n;
}

/* The JSON path of a flattened column, by docs/export.md's naming: signals_5m_rsi is 5m.rsi,
 * regime_spy_vix spy.vix, regime_market_internals_ad_line market_internals.ad_line,
 * book_greeks_delta greeks.delta; other names are one key (book_spread_pct: spread_pct). */
static char *
column_path (int         c,
             const char *rest)
{
  char *path = g_strdup (rest);
  char *u = strchr (path, '_');

  if (g_str_equal (rest, "missing") || u == NULL)
    return path;
  if (g_str_has_prefix (rest, "market_internals_"))
    path[strlen ("market_internals")] = '.';
  else if (c == 0 || (c == 1 && (g_str_has_prefix (rest, "spy_")
                                  || g_str_has_prefix (rest, "sector_")))
           || (c == 2 && g_str_has_prefix (rest, "greeks_")))
    *u = '.';
  return path;
}

static void
test_jsonl_roundtrip (void)
{
  g_autoptr(HsStore) store = new_store ("gen.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *jsonl = NULL, *csv = NULL;
  g_auto(GStrv) lines = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *prefixes[] = { "signals_", "regime_", "book_", "ai_" };
  size_t checked = 0;

  g_assert_true (hs_gen_paper_trades (store, 300, 7, &error));
  g_assert_no_error (error);
  jsonl = export_to_string (store, HS_EXPORT_TRADES, HS_EXPORT_JSONL, NULL, "gen.jsonl");
  csv = export_to_string (store, HS_EXPORT_TRADES, HS_EXPORT_CSV, NULL, "gen.csv");
  lines = g_strsplit (jsonl, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 301);
  {
    g_auto(GStrv) csv_lines = g_strsplit (csv, "\r\n", -1);

    g_assert_cmpuint (g_strv_length (csv_lines), ==, 302);   /* header, 300, "" */
  }
  g_assert_cmpint (sqlite3_open (hs_store_get_path (store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT signals_snapshot, market_regime, "
                                       "order_book_state, ai_reasoning_log, pnl_pct, entry_ts "
                                       "FROM paper_trades WHERE id = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (int i = 0; i < 300; i++)
    {
      g_autoptr(JsonParser) line = json_parser_new ();
      JsonObject *o;
      g_autoptr(GList) members = NULL;

      g_assert_true (json_parser_load_from_data (line, lines[i], -1, &error));
      o = json_node_get_object (json_parser_get_root (line));
      sqlite3_bind_int64 (stmt, 1, json_object_get_int_member (o, "id"));
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpfloat (json_object_get_double_member (o, "pnl_pct"), ==,
                         sqlite3_column_double (stmt, 4));
      members = json_object_get_members (o);
      for (GList *m = members; m != NULL; m = m->next)
        for (int c = 0; c < 4; c++)
          {
            g_autoptr(JsonParser) stored = json_parser_new ();
            g_autofree char *path = NULL;
            JsonNode *want, *got = json_object_get_member (o, m->data);

            if (!g_str_has_prefix (m->data, prefixes[c]))
              continue;
            g_assert_true (json_parser_load_from_data (stored,
              (const char *) sqlite3_column_text (stmt, c), -1, &error));
            path = column_path (c, (const char *) m->data + strlen (prefixes[c]));
            want = json_path (json_parser_get_root (stored), path);
            if (want == NULL)
              g_assert_true (JSON_NODE_HOLDS_NULL (got));
            else if (json_node_get_value_type (want) == G_TYPE_STRING)
              g_assert_cmpstr (json_node_get_string (got), ==, json_node_get_string (want));
            else if (JSON_NODE_HOLDS_VALUE (want))
              g_assert_cmpfloat (json_node_get_double (got), ==, json_node_get_double (want));
            else
              g_assert_true (json_node_equal (got, want));
            checked++;
          }
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  /* 61 flattened columns per trade. */
  g_assert_cmpuint (checked, ==, 300 * 61);
}

/* The whole export against a deliberately simple exporter written here, row by row: SQLite's
 * own columns read one at a time, the context parsed by json-glib (not by the exporter's
 * scanner), JSON-valued columns cut out by SQLite's "->" operator, numbers by
 * hs_format_double() (printf-based), quoting and escaping written out byte by byte from the
 * rules of docs/export.md. 2,600 generated trades (several batches), some rewritten with
 * quotes, commas, CR/LF, unicode, escapes, invalid UTF-8, missing and wrong-typed context and
 * numbers in every JSON form; CSV and JSON lines must be byte-identical. */
static const char *const tricky_sql[] = {
  "UPDATE paper_trades SET notes = 'a,b \"c\"' || char(13, 10) || 'd é 😀', tags = '[\"x,y\",\"q\\\"\"]',"
  " ai_reasoning_log = '{\"model\":\"m \\\"1\\\"\",\"prompt_version\":\"v\\/2\",\"confidence_score\":8.50,"
  "\"bull_case\":\"line1\\nline2\\ttab \\\\ back\",\"bear_case\":\"Caf\\u00e9 \\ud83d\\ude00 \\u0001\","
  "\"decision_logic\":\"a,b\",\"prompt\":\"\",\"raw_output\":\"\\r\\n\",\"tokens\":{\"in\":800,\"out\":120},"
  "\"latency_ms\":950}' WHERE id = 1",
  "UPDATE paper_trades SET signals_snapshot = NULL, market_regime = NULL, order_book_state = NULL,"
  " ai_reasoning_log = NULL, notes = NULL, exit_ts = NULL, exit_price = NULL,"
  " status = 'open', exit_reason = NULL WHERE id = 2",
  "UPDATE paper_trades SET signals_snapshot = '{\"5m\":{\"rsi\":\"n/a\",\"trend\":5,\"macd_hist\":true,"
  "\"squeeze\":null,\"ema_9_21_cross\":[1]},\"1m\":[1,2],\"15m\":{\"rsi\":{\"v\":1}},\"missing\":\"x\"}',"
  " market_regime = '{}', order_book_state = '{\"missing\":null}', ai_reasoning_log = '{\"model\":42,"
  "\"tokens\":7,\"latency_ms\":\"fast\"}' WHERE id = 3",
  "UPDATE paper_trades SET order_book_state = '{\"bid\":1e-05,\"ask\":1.5E3,\"spread_pct\":-0.0,"
  "\"volume\":123456789012345678,\"open_interest\":0.1000,\"iv\":100,\"greeks\":{\"delta\":-0.000123,"
  "\"gamma\":1.7976931348623157e308,\"theta\":0,\"vega\":12345678901234.5},\"missing\":[\"a\",\"b\"]}'"
  " WHERE id = 500",
  "UPDATE paper_trades SET market_regime = '{ \"spy\" : { \"price\" : 502.5 , \"vix\" : 18 } ,"
  " \"sector\" : {\"ticker\":\"X\\\"L,K\",\"pct_change\":-1.20e1} , \"missing\" : [\"spy.pct_change\"] }',"
  " notes = CAST(x'6f6bff2c6e6f' AS TEXT), label_error = ',' WHERE id = 1024",
  "UPDATE paper_trades SET notes = '', side = 'short', quantity = 0.1, pnl = 1e300, fees = 12,"
  " entry_ts = 1709563500123456, exit_ts = 1709567100500000 WHERE id = 1025",
  "UPDATE paper_trades SET notes = 'only\nLF', tags = '[]' WHERE id = 2600",
};

static void
ref_csv_field (GString    *out,
               const char *s)
{
  if (strpbrk (s, ",\"\r\n") == NULL)
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
ref_json_string (GString    *out,
                 const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      if (*p == '"')
        g_string_append (out, "\\\"");
      else if (*p == '\\')
        g_string_append (out, "\\\\");
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\r')
        g_string_append (out, "\\r");
      else if (*p == '\t')
        g_string_append (out, "\\t");
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '"');
}

/* One value: NULL is missing; @kind says how the text is written. */
typedef enum { REF_RAW, REF_STRING, REF_JSON } RefKind;

static void
ref_value (GString    *out,
           gboolean    jsonl,
           RefKind     kind,
           const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    {
      if (jsonl)
        g_string_append (out, "null");
      return;
    }
  valid = g_utf8_make_valid (text, -1);
  if (!jsonl)
    ref_csv_field (out, valid);
  else if (kind == REF_STRING)
    ref_json_string (out, valid);
  else
    g_string_append (out, valid);
}

static char *
ref_number (double v)
{
  char buf[32];

  hs_format_double (v, buf);
  return g_strdup (buf);
}

/* The stored column behind an output column of the trades dataset. */
static const char *
ref_stored_name (const char *name)
{
  if (g_str_equal (name, "entry_time"))
    return "entry_ts";
  if (g_str_equal (name, "exit_time"))
    return "exit_ts";
  if (g_str_equal (name, "symbol"))
    return "sym";
  return name;
}

static char *
ref_export (HsStore *store,
            gboolean jsonl)
{
  const char *contexts[] = { "signals_snapshot", "market_regime", "order_book_state",
                             "ai_reasoning_log" };
  const char *prefixes[] = { "signals_", "regime_", "book_", "ai_" };
  size_t n = hs_export_n_columns (HS_EXPORT_TRADES);
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *rows = NULL, *arrow = NULL;

  g_assert_cmpint (sqlite3_open (hs_store_get_path (store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT t.*, i.symbol AS sym FROM paper_trades AS t "
                                       "LEFT JOIN instruments AS i ON i.id = t.instrument_id "
                                       "ORDER BY t.id", -1, &rows, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT ?1 -> ?2", -1, &arrow, NULL), ==, SQLITE_OK);
  if (!jsonl)
    {
      for (size_t c = 0; c < n; c++)
        g_string_append_printf (out, "%s%s", c ? "," : "", hs_export_column_name (HS_EXPORT_TRADES, c));
      g_string_append (out, "\r\n");
    }
  while (sqlite3_step (rows) == SQLITE_ROW)
    {
      JsonParser *parsed[4] = { NULL };

      for (int k = 0; k < 4; k++)
        {
          int col = -1;

          for (int i = 0; i < sqlite3_column_count (rows); i++)
            if (g_str_equal (sqlite3_column_name (rows, i), contexts[k]))
              col = i;
          if (sqlite3_column_type (rows, col) != SQLITE_NULL)
            {
              parsed[k] = json_parser_new ();
              g_assert_true (json_parser_load_from_data (parsed[k], (const char *) sqlite3_column_text (rows, col), -1, NULL));
            }
        }
      if (jsonl)
        g_string_append_c (out, '{');
      for (size_t c = 0; c < n; c++)
        {
          const char *name = hs_export_column_name (HS_EXPORT_TRADES, c);
          const char *type = hs_export_column_type (HS_EXPORT_TRADES, c);
          g_autofree char *text = NULL;
          RefKind kind = g_str_equal (type, "text") || g_str_equal (type, "time") ? REF_STRING
                         : g_str_equal (type, "json") ? REF_JSON : REF_RAW;
          int k = -1;

          for (int j = 0; j < 4; j++)
            if (g_str_has_prefix (name, prefixes[j]))
              k = j;
          if (jsonl)
            {
              g_string_append (out, c ? "," : "");
              ref_json_string (out, name);
              g_string_append_c (out, ':');
            }
          else if (c > 0)
            g_string_append_c (out, ',');
          if (k >= 0)
            {
              /* A flattened value: found by json-glib, by the path docs/export.md gives. */
              g_autofree char *path = column_path (k, name + strlen (prefixes[k]));
              JsonNode *node = parsed[k] ? json_path (json_parser_get_root (parsed[k]), path) : NULL;

              if (node == NULL || JSON_NODE_HOLDS_NULL (node))
                ;
              else if (kind == REF_JSON)
                {
                  /* As stored: SQLite's "->" gives the value's JSON text. */
                  g_autofree char *jpath = g_strconcat ("$.", path, NULL);

                  for (int i = 0; i < sqlite3_column_count (rows); i++)
                    if (g_str_equal (sqlite3_column_name (rows, i), contexts[k]))
                      sqlite3_bind_value (arrow, 1, sqlite3_column_value (rows, i));
                  sqlite3_bind_text (arrow, 2, jpath, -1, SQLITE_TRANSIENT);
                  g_assert_cmpint (sqlite3_step (arrow), ==, SQLITE_ROW);
                  text = g_strdup ((const char *) sqlite3_column_text (arrow, 0));
                  sqlite3_reset (arrow);
                }
              else if (!JSON_NODE_HOLDS_VALUE (node))
                ;
              else if (kind == REF_STRING && json_node_get_value_type (node) == G_TYPE_STRING)
                text = g_strdup (json_node_get_string (node));
              else if (kind == REF_RAW && json_node_get_value_type (node) == G_TYPE_INT64)
                text = ref_number ((double) json_node_get_int (node));
              else if (kind == REF_RAW && json_node_get_value_type (node) == G_TYPE_DOUBLE)
                text = ref_number (json_node_get_double (node));
            }
          else
            {
              const char *stored = ref_stored_name (name);
              int col = -1;

              for (int i = 0; i < sqlite3_column_count (rows); i++)
                if (g_str_equal (sqlite3_column_name (rows, i), stored))
                  col = i;
              g_assert_cmpint (col, >=, 0);
              switch (sqlite3_column_type (rows, col))
                {
                case SQLITE_NULL:
                  break;
                case SQLITE_INTEGER:
                  if (g_str_equal (type, "time"))
                    {
                      char buf[40];

                      hs_time_format_iso_buf (sqlite3_column_int64 (rows, col), buf);
                      text = g_strdup (buf);
                    }
                  else
                    text = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (rows, col));
                  break;
                case SQLITE_FLOAT:
                  text = ref_number (sqlite3_column_double (rows, col));
                  break;
                default:
                  text = g_strndup ((const char *) sqlite3_column_text (rows, col),
                                    (gsize) sqlite3_column_bytes (rows, col));
                  break;
                }
            }
          ref_value (out, jsonl, kind, text);
        }
      g_string_append (out, jsonl ? "}\n" : "\r\n");
      for (int k = 0; k < 4; k++)
        g_clear_object (&parsed[k]);
    }
  sqlite3_finalize (rows);
  sqlite3_finalize (arrow);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static void
test_reference (void)
{
  g_autoptr(HsStore) store = new_store ("reference.db");
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_gen_paper_trades (store, 2600, 13, &error));
  g_assert_no_error (error);
  for (size_t i = 0; i < G_N_ELEMENTS (tricky_sql); i++)
    exec_sql (store, tricky_sql[i]);
  for (int jsonl = 0; jsonl <= 1; jsonl++)
    {
      g_autofree char *want = ref_export (store, jsonl);
      g_autofree char *got = export_to_string (store, HS_EXPORT_TRADES,
                                               jsonl ? HS_EXPORT_JSONL : HS_EXPORT_CSV, NULL,
                                               jsonl ? "reference.jsonl" : "reference.csv");

      /* Compared line by line first, for a readable failure. */
      {
        g_auto(GStrv) w = g_strsplit (want, "\n", -1);
        g_auto(GStrv) g = g_strsplit (got, "\n", -1);

        for (size_t i = 0; w[i] != NULL && g[i] != NULL; i++)
          g_assert_cmpstr (g[i], ==, w[i]);
        g_assert_cmpuint (g_strv_length (g), ==, g_strv_length (w));
      }
      g_assert_cmpstr (got, ==, want);
      /* The tricky rows are in it, as written out here by hand. */
      if (!jsonl)
        {
          g_assert_nonnull (strstr (got, "\r\n1,"));
          g_assert_nonnull (strstr (got, ",\"a,b \"\"c\"\"\r\nd \xc3\xa9 \xf0\x9f\x98\x80\","));
          g_assert_nonnull (strstr (got, ",\"ok\xef\xbf\xbd,no\","));
          g_assert_nonnull (strstr (got, ",1e-05,1500,-0,1.2345678901234568e+17,0.1,100,"));
          g_assert_nonnull (strstr (got, "\r\n2600,"));
        }
      else
        {
          g_assert_nonnull (strstr (got, "\"ai_bear_case\":\"Caf\xc3\xa9 \xf0\x9f\x98\x80 \\u0001\""));
          g_assert_nonnull (strstr (got, "\"regime_sector_ticker\":\"X\\\"L,K\""));
          g_assert_nonnull (strstr (got, "\"signals_missing\":\"x\""));
          g_assert_nonnull (strstr (got, "\"entry_time\":\"2024-03-04T14:45:00.123456Z\""));
        }
    }
  /* Inside a transaction of the caller's the rows are read on its own connection alone (no
   * shared snapshot to be had): the same bytes. */
  {
    g_autofree char *want = ref_export (store, FALSE);
    g_autofree char *got = NULL;

    g_assert_true (hs_store_exec (store, "BEGIN", &error));
    got = export_to_string (store, HS_EXPORT_TRADES, HS_EXPORT_CSV, NULL, "reference1.csv");
    g_assert_true (hs_store_exec (store, "ROLLBACK", &error));
    g_assert_cmpstr (got, ==, want);
  }
}

/* One snapshot: in the first progress report (after 16,384 rows are written; the export waits
 * for the callback) another connection deletes, changes and adds trades further on. The file
 * is the database as it was when the export began, by the reference exporter run before the
 * changes; a second export sees them. */
static void
snapshot_progress_cb (int64_t  done,
                      int64_t  total,
                      gpointer user_data)
{
  HsStore *store = user_data;
  static gboolean changed;

  if (changed)
    return;
  changed = TRUE;
  g_assert_cmpint (done, <, 19000);
  exec_sql (store,
            "DELETE FROM paper_trades WHERE id = 19990;"
            "UPDATE paper_trades SET notes = 'changed' WHERE id = 19000;"
            "INSERT INTO paper_trades (id, instrument_id, side, quantity, entry_ts, entry_price, "
            "status, created_at, updated_at) VALUES (30000, 1, 'long', 1, 0, 1, 'open', 0, 0);");
}

static void
test_snapshot (void)
{
  g_autoptr(HsStore) store = new_store ("snapshot.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *want = NULL, *contents = NULL, *after = NULL;
  g_autofree char *path = tmp_path ("snapshot.csv");
  HsExportRequest req = { HS_EXPORT_TRADES, HS_EXPORT_CSV, NULL, path };
  int64_t rows = 0;

  g_assert_true (hs_gen_paper_trades (store, 20000, 21, &error));
  g_assert_no_error (error);
  want = ref_export (store, FALSE);
  g_assert_true (hs_export_run (store, &req, snapshot_progress_cb, store, NULL, &rows, NULL,
                                &error));
  g_assert_no_error (error);
  g_assert_cmpint (rows, ==, 20000);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, want);
  g_assert_null (strstr (contents, "changed"));
  after = export_to_string (store, HS_EXPORT_TRADES, HS_EXPORT_CSV, NULL, "snapshot2.csv");
  g_assert_nonnull (strstr (after, ",changed,"));
  g_assert_nonnull (strstr (after, "\r\n30000,"));
  g_assert_null (strstr (after, "\r\n19990,"));
}

/* --where is the training-query compiler: the same ids as hs_store_query_run(). */
static gboolean
collect_id_cb (const HsQueryCell *cells,
               size_t             n,
               gpointer           user_data,
               GError           **error)
{
  g_array_append_val ((GArray *) user_data, cells[0].integer);
  return TRUE;
}

static void
test_where (void)
{
  g_autoptr(HsStore) store = new_store ("where.db");
  g_autoptr(GError) error = NULL;
  const char *filter = "signals.5m.rsi > 70 and regime.sector.ticker == 'XLK'";
  const char *select[] = { "id", NULL };
  HsQueryRequest req = { HS_QUERY_PAPER_TRADES, filter, select, NULL, NULL, 0 };
  g_autoptr(HsQuery) q = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (int64_t));
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (hs_gen_paper_trades (store, 400, 11, &error));
  q = hs_query_compile (&req, NULL, NULL, &error);
  g_assert_true (hs_store_query_run (store, q, collect_id_cb, ids, NULL, &error));
  g_assert_cmpuint (ids->len, >, 5);
  csv = export_to_string (store, HS_EXPORT_TRADES, HS_EXPORT_CSV, filter, "where.csv");
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, ids->len + 2);
  for (unsigned i = 0; i < ids->len; i++)
    g_assert_cmpint (g_ascii_strtoll (lines[i + 1], NULL, 10), ==,
                     g_array_index (ids, int64_t, i));

  /* A bad filter: the compiler's error with its place, and no file. */
  {
    g_autofree char *path = tmp_path ("bad.csv");
    HsExportRequest bad = { HS_EXPORT_TRADES, HS_EXPORT_CSV, "signals.5m.rsi > 'x'", path };
    HsExportRequest sig = { HS_EXPORT_SIGNALS, HS_EXPORT_CSV, "pnl_pct > 1", path };
    g_autoptr(GError) e1 = NULL, e2 = NULL;
    size_t offset = 99;

    g_assert_false (hs_export_run (store, &bad, NULL, NULL, NULL, NULL, &offset, &e1));
    g_assert_error (e1, HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE);
    g_assert_cmpuint (offset, ==, 0);
    /* Signals have no P&L: the compiler says so. */
    g_assert_false (hs_export_run (store, &sig, NULL, NULL, NULL, NULL, NULL, &e2));
    g_assert_error (e2, HS_QUERY_ERROR, HS_QUERY_ERROR_UNKNOWN);
    g_assert_nonnull (strstr (e2->message, "paper and backtest trades"));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
}

/* Cancelled at the first progress call (16,384 rows; the next check is at 20,480 of 25,000):
 * no file, no part file, and an older file stays as it was. Progress is monotone,
 * ends at the total. A folder that does not exist is an error. */
static void
cancel_progress_cb (int64_t  done,
                    int64_t  total,
                    gpointer user_data)
{
  GCancellable *c = user_data;

  g_cancellable_cancel (c);
}

static void
count_progress_cb (int64_t  done,
                   int64_t  total,
                   gpointer user_data)
{
  int64_t *last = user_data;

  g_assert_cmpint (done, >=, *last);
  g_assert_cmpint (done, <=, total);
  *last = done;
}

static void
test_cancel_and_failure (void)
{
  g_autoptr(HsStore) store = new_store ("cancel.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = tmp_path ("cancel.csv");
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autofree char *contents = NULL;
  HsExportRequest req = { HS_EXPORT_TRADES, HS_EXPORT_CSV, NULL, path };
  int64_t last = 0, rows = 0;

  g_assert_true (hs_gen_paper_trades (store, 25000, 3, &error));
  g_assert_true (g_file_set_contents (path, "older", -1, NULL));
  g_assert_false (hs_export_run (store, &req, cancel_progress_cb, cancellable, cancellable, NULL,
                                 NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "older");
  g_clear_error (&error);

  g_assert_true (hs_export_run (store, &req, count_progress_cb, &last, NULL, &rows, NULL,
                                &error));
  g_assert_cmpint (rows, ==, 25000);
  g_assert_cmpint (last, ==, 25000);

  {
    g_autofree char *nowhere = tmp_path ("no/such/folder/x.csv");
    HsExportRequest bad = { HS_EXPORT_TRADES, HS_EXPORT_CSV, NULL, nowhere };
    g_autoptr(GError) e = NULL;

    g_assert_false (hs_export_run (store, &bad, NULL, NULL, NULL, NULL, NULL, &e));
    g_assert_error (e, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
}

/* 3,500 rows: four batches through the formatting threads (the last one partial). The lines
 * come out in id order, each once, and a second export writes the same bytes. */
static void
test_batch_order (void)
{
  g_autoptr(HsStore) store = new_store ("order.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *second = NULL;
  g_auto(GStrv) lines = NULL;
  int64_t prev = 0;

  g_assert_true (hs_gen_paper_trades (store, 3500, 5, &error));
  first = export_to_string (store, HS_EXPORT_TRADES, HS_EXPORT_CSV, NULL, "order1.csv");
  second = export_to_string (store, HS_EXPORT_TRADES, HS_EXPORT_CSV, NULL, "order2.csv");
  g_assert_cmpstr (first, ==, second);
  lines = g_strsplit (first, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3502);   /* header, 3,500 rows, "" */
  for (int i = 1; i <= 3500; i++)
    {
      int64_t id = g_ascii_strtoll (lines[i], NULL, 10);

      g_assert_cmpint (id, >, prev);
      prev = id;
    }
}

/* On a worker, with the callback on the main loop. */
static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  int64_t *rows = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_export_finish (result, rows, &error));
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autoptr(HsStore) store = new_store ("async.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("async.jsonl");
  HsExportRequest req = { HS_EXPORT_TRADES, HS_EXPORT_JSONL, "side == 'long'", path };
  int64_t rows = -1;

  exec_sql (store, golden_sql);
  hs_export_async (hs_store_get_path (store), &req, NULL, async_done_cb, &rows);
  while (rows < 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (rows, ==, 1);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Signals and backtest trades: a row of each by hand. */
static void
test_other_datasets (void)
{
  g_autoptr(HsStore) store = new_store ("other.db");
  g_autofree char *signals = NULL, *bt = NULL;

  exec_sql (store,
    "INSERT INTO instruments (id, symbol, created_at) VALUES (1, 'SPY', 0);"
    "INSERT INTO signals (id, instrument_id, ts, strategy_name, signal_type, confidence, price, "
    "reasons, filters_blocked, status, created_at) VALUES (4, 1, 1709563500000000, 'vwap', "
    "'BUY', 85, 502.5, '[\"above vwap\"]', '[\"spread\"]', 'blocked', 0);"
    "INSERT INTO signals (id, instrument_id, ts, strategy_name, signal_type, confidence, price, "
    "status, created_at) VALUES (9, 1, 1709563560000000, 'vwap', 'SELL', 40, 502.0, "
    "'generated', 0);"
    "INSERT INTO backtest_runs (id, strategy_name, symbol, interval, start_ts, end_ts, "
    "initial_cash, status, created_at) VALUES (7, 'sma_cross', 'SPY', '1d', 0, 1, 1000, "
    "'completed', 0);"
    "INSERT INTO backtest_trades (id, run_id, trade_no, side, quantity, entry_ts, entry_price, "
    "exit_ts, exit_price, pnl, mfe_pct, bars_held, exit_reason, signal_metadata) VALUES (1, 7, 1, "
    "'long', 2, 86400000000, 100, 172800000000, 104.5, 9, 5.5, 1, 'signal', '{\"a\":1}');");
  /* Of the two signals only #4 was blocked by a filter and is high confidence. */
  signals = export_to_string (store, HS_EXPORT_SIGNALS, HS_EXPORT_CSV,
                              "filters_blocked == 'spread' and confidence_level == 'high' "
                              "and status == 'blocked'", "signals.csv");
  g_assert_cmpstr (signals, ==,
                   "id,time,symbol,strategy_name,strategy_version,setup,signal_type,confidence,"
                   "confidence_level,score,session,price,cvd,orderbook_imbalance,features_id,"
                   "reasons,warnings,filters_passed,filters_blocked,status,outcome,outcome_r,"
                   "labeled_at\r\n"
                   "4,2024-03-04T14:45:00Z,SPY,vwap,,,BUY,85,high,,,502.5,,,,"
                   "\"[\"\"above vwap\"\"]\",[],[],\"[\"\"spread\"\"]\",blocked,,,\r\n");
  bt = export_to_string (store, HS_EXPORT_BACKTEST_TRADES, HS_EXPORT_CSV, "mfe_pct > 5",
                         "bt.csv");
  g_assert_cmpstr (bt, ==,
                   "id,run_id,strategy,symbol,trade_no,side,quantity,entry_time,entry_price,"
                   "exit_time,exit_price,pnl,pnl_pct,fees,mfe_pct,mae_pct,bars_held,exit_reason,"
                   "signal_metadata,target_pnl_15m,target_pnl_1h,target_mfe_pct,target_mae_pct,"
                   "labeled_at,label_error\r\n"
                   "1,7,sma_cross,SPY,1,long,2,1970-01-02T00:00:00Z,100,1970-01-03T00:00:00Z,"
                   "104.5,9,,0,5.5,,1,signal,\"{\"\"a\"\":1}\",,,,,,\r\n");
}

/* hs_utf8_valid() says what g_utf8_validate_len() says, on 50,000 random byte strings made of
 * ASCII, NULs, stray high bytes and whole UTF-8 sequences, at every alignment. */
static void
test_utf8_valid (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (11);
  const char *pieces[] = { "a", "Z", "0", ",", "\"", "\0", "\x80", "\xff", "\xc3", "é", "€",
                           "😀", "\xe2\x82", "\xed\xa0\x80", "abcdefgh" };
  int valid = 0, invalid = 0;

  for (int n = 0; n < 50000; n++)
    {
      char buf[96];
      size_t len = 0, count = (size_t) g_rand_int_range (r, 0, 12);

      for (size_t k = 0; k < count; k++)
        {
          size_t p = (size_t) g_rand_int_range (r, 0, G_N_ELEMENTS (pieces));
          /* "\0" is one byte; the others are C strings. */
          size_t plen = pieces[p][0] == '\0' ? 1 : strlen (pieces[p]);

          memcpy (buf + len, pieces[p], plen);
          len += plen;
        }
      if (hs_utf8_valid (buf, len) != g_utf8_validate_len (buf, len, NULL))
        g_error ("hs_utf8_valid disagrees on a string of %zu bytes", len);
      if (g_utf8_validate_len (buf, len, NULL))
        valid++;
      else
        invalid++;
    }
  /* Both answers were exercised. */
  g_assert_cmpint (valid, >, 2500);
  g_assert_cmpint (invalid, >, 2500);
}

/* hs_format_double_fast() writes what hs_format_double() writes. */
static void
test_format_fast (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (5);
  const double edges[] = { 0, -0.0, 1, -1, 0.1, 0.2, 0.3, 1e-4, 9.9999e-5, 1e15, 999999999999999,
                           1e15 - 0.5, 123456789012345.6, 0.000123456789012345, 5e-324,
                           1.7976931348623157e308, 2.5, 1.005, 100, 1234.5678, 74.2, 61.2 };

  for (size_t i = 0; i < 2000000 + G_N_ELEMENTS (edges); i++)
    {
      char a[32], b[32];
      double v;

      if (i < G_N_ELEMENTS (edges))
        v = edges[i];
      else if (i % 4 == 0)   /* any bits */
        {
          uint64_t bits = ((uint64_t) g_rand_int (r) << 32) | g_rand_int (r);

          memcpy (&v, &bits, sizeof v);
          if (!isfinite (v))
            continue;
        }
      else if (i % 4 == 1)   /* a few decimals, as prices and indicators have */
        v = (double) g_rand_int_range (r, -10000000, 10000000) / pow (10, g_rand_int_range (r, 0, 9));
      else if (i % 4 == 2)   /* whole numbers of any size */
        v = floor (g_rand_double_range (r, -1e16, 1e16) / pow (10, g_rand_int_range (r, 0, 16)));
      else                   /* computed values */
        v = g_rand_double_range (r, -1000, 1000) / 3;
      hs_format_double (v, a);
      hs_format_double_fast (v, b);
      if (strcmp (a, b) != 0)
        g_error ("%.17g: hs_format_double %s, fast %s", v, a, b);
    }
}

/* hs_json_number_parse() gives strtod's double, bit for bit, on decimals of every length. */
static void
test_number_parse (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (13);
  const char *fixed[] = { "0", "-0", "61.2", "0.1", "1200", "-0.45", "999999999999999",
                          "9999999999999999", "0.000000000000001", "1e3", "-1.5E-3", "12.50", "100.000", "0.00010", "0.000099", "5.", "-0.0",
                          "123456789012345.6", "0.30000000000000004" };

  size_t n_direct = 0;

  for (size_t i = 0; i < 500000 + G_N_ELEMENTS (fixed); i++)
    {
      g_autoptr(GString) t = g_string_new (NULL);
      double a, b;

      if (i < G_N_ELEMENTS (fixed))
        g_string_assign (t, fixed[i]);
      else
        {
          int n = g_rand_int_range (r, 1, 20), point = g_rand_int_range (r, -1, n);

          if (g_rand_boolean (r))
            g_string_append_c (t, '-');
          for (int k = 0; k < n; k++)
            {
              if (k == point && k > 0)
                g_string_append_c (t, '.');
              g_string_append_c (t, (char) ('0' + g_rand_int_range (r, k == 0 ? 1 : 0, 10)));
            }
        }
      a = g_ascii_strtod (t->str, NULL);
      g_assert_true (hs_json_number_parse (t->str, t->len, &b));
      if (memcmp (&a, &b, sizeof a) != 0)
        g_error ("%s: strtod %.17g, parse %.17g", t->str, a, b);
      /* Writing the token's own digits gives hs_format_double()'s text, or declines. */
      {
        g_autoptr(GString) direct = g_string_new (NULL);
        char want[32];

        hs_format_double (a, want);
        if (hs_json_number_append_short (direct, t->str, t->len))
          {
            n_direct++;
            if (strcmp (direct->str, want) != 0)
              g_error ("%s: hs_format_double %s, from the text %s", t->str, want, direct->str);
          }
      }
    }
  /* Most short decimals take the direct way. */
  g_assert_cmpuint (n_direct, >, 200000);
}

/* The JSON scanner never reads outside its input and finds nested paths. */
/* Strings: 100,000 random tokens of quotes, backslashes, control characters, ASCII and UTF-8
 * bytes, 0 to 40 long, in a document. Where json-glib reads the document, the scanner finds
 * the same token and decodes the same text. Where hs_json_string_is_plain() says a token
 * needs no decoding, decoding it (the slow path) gives exactly the text between the quotes. */
static void
test_string_plain (void)
{
  const char *alphabet[] = { "a", "Z", " ", ",", "\\", "\"", "\n", "\x01", "\x1f", "\x7f",
                             "\xc3\xa9", "\xf0\x9f\x98\x80", "u", "0" };
  g_autoptr(GRand) r = g_rand_new_with_seed (17);
  g_autoptr(GString) token = g_string_new (NULL);
  g_autoptr(GString) decoded = g_string_new (NULL);
  int plain = 0, parsed = 0;
  sqlite3 *db = NULL;
  sqlite3_stmt *valid = NULL;

  g_assert_true (hs_json_string_is_plain ("\"caf\xc3\xa9, \x7f\"", 10));
  g_assert_true (hs_json_string_is_plain ("\"\"", 2));
  g_assert_false (hs_json_string_is_plain ("\"a\\nb\"", 6));
  g_assert_false (hs_json_string_is_plain ("\"a\tb\"", 5));
  g_assert_false (hs_json_string_is_plain ("\"ab", 3));
  g_assert_false (hs_json_string_is_plain ("\"", 1));
  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT json_valid(?)", -1, &valid, NULL), ==,
                   SQLITE_OK);
  for (int i = 0; i < 100000; i++)
    {
      int n = g_rand_int_range (r, 0, 41);

      g_string_assign (token, "\"");
      for (int k = 0; k < n; k++)
        g_string_append (token, alphabet[g_rand_int_range (r, 0, G_N_ELEMENTS (alphabet))]);
      g_string_append_c (token, '"');
      /* The scanner finds the token's end where json-glib does, whenever json-glib reads it. */
      {
        g_autofree char *doc = g_strdup_printf ("{\"d\":%s,\"e\":1}", token->str);
        g_autoptr(JsonParser) parser = json_parser_new ();
        gboolean is_json;

        /* json-glib reads some documents that are not JSON ("\\" before a control
         * character); SQLite's json_valid() is the strict judge of which to compare. */
        sqlite3_bind_text (valid, 1, doc, -1, SQLITE_STATIC);
        g_assert_cmpint (sqlite3_step (valid), ==, SQLITE_ROW);
        is_json = sqlite3_column_int (valid, 0) == 1;
        sqlite3_reset (valid);
        if (is_json && json_parser_load_from_data (parser, doc, -1, NULL))
          {
            const char *path[] = { "d", "e" };
            g_autoptr(HsJsonPaths) paths = hs_json_paths_new (path, 2);
            HsJsonSlice out[2];
            JsonObject *o = json_node_get_object (json_parser_get_root (parser));

            g_assert_true (hs_json_paths_extract (paths, doc, strlen (doc), out));
            g_assert_cmpint (out[0].kind, ==, HS_JSON_STRING);
            g_assert_cmpmem (out[0].start, out[0].len, token->str, token->len);
            g_assert_cmpint (out[1].kind, ==, HS_JSON_NUMBER);
            g_string_truncate (decoded, 0);
            g_assert_true (hs_json_string_decode (out[0].start, out[0].len, decoded));
            g_assert_cmpstr (decoded->str, ==, json_object_get_string_member (o, "d"));
            parsed++;
          }
      }
      if (!hs_json_string_is_plain (token->str, token->len))
        continue;
      plain++;
      g_string_truncate (decoded, 0);
      g_assert_true (hs_json_string_decode (token->str, token->len, decoded));
      g_assert_cmpmem (decoded->str, decoded->len, token->str + 1, token->len - 2);
      g_assert_null (memchr (token->str + 1, '\\', token->len - 2));
    }
  /* Some of each: about (11/14)^n of the tokens of length n have no escape to decode. */
  g_assert_cmpint (plain, >, 5000);
  g_assert_cmpint (plain, <, 95000);
  g_assert_cmpint (parsed, >, 5000);
  sqlite3_finalize (valid);
  sqlite3_close (db);
}

static void
test_json_scanner (void)
{
  const char *paths[] = { "a.b", "a.c", "d", "e.f.g" };
  g_autoptr(HsJsonPaths) p = hs_json_paths_new (paths, G_N_ELEMENTS (paths));
  g_autoptr(GRand) r = g_rand_new_with_seed (9);
  HsJsonSlice out[4];
  const char *doc = " {\"x\":[1,{\"a\":2}],\"a\":{\"c\":\"q\\\"}\",\"b\":-1.5e3},\"d\":null,"
                    "\"e\":{\"f\":{\"g\":[1,2]}},\"d\":true} ";
  const char *alphabet = "{}[]\",:\\ tfn0123456789.-eE+abcdg";

  g_assert_true (hs_json_paths_extract (p, doc, strlen (doc), out));
  g_assert_cmpint (out[0].kind, ==, HS_JSON_NUMBER);
  g_assert_cmpmem (out[0].start, out[0].len, "-1.5e3", 6);
  g_assert_cmpint (out[1].kind, ==, HS_JSON_STRING);
  g_assert_cmpmem (out[1].start, out[1].len, "\"q\\\"}\"", 6);
  g_assert_cmpint (out[2].kind, ==, HS_JSON_TRUE);   /* the last of a repeated key */
  g_assert_cmpint (out[3].kind, ==, HS_JSON_ARRAY);
  g_assert_cmpmem (out[3].start, out[3].len, "[1,2]", 5);

  /* Deep nesting stops at the limit instead of the stack. */
  {
    g_autoptr(GString) deep = g_string_new (NULL);

    for (int i = 0; i < 100000; i++)
      g_string_append (deep, "{\"a\":");
    g_assert_false (hs_json_paths_extract (p, deep->str, deep->len, out));
  }
  /* Random bytes: no crash, no read past the end (ASan). */
  for (int i = 0; i < 200000; i++)
    {
      size_t len = (size_t) g_rand_int_range (r, 0, 40);
      g_autofree char *buf = g_malloc (len + 1);

      for (size_t k = 0; k < len; k++)
        buf[k] = alphabet[g_rand_int_range (r, 0, (int) strlen (alphabet))];
      hs_json_paths_extract (p, buf, len, out);
      for (int k = 0; k < 4; k++)
        if (out[k].kind != HS_JSON_ABSENT)
          g_assert_true (out[k].start >= buf && out[k].start + out[k].len <= buf + len);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-export-XXXXXX", NULL);
  g_test_add_func ("/hs/jobs/export/golden-csv", test_golden_csv);
  g_test_add_func ("/hs/jobs/export/golden-jsonl", test_golden_jsonl);
  g_test_add_func ("/hs/jobs/export/jsonl-roundtrip", test_jsonl_roundtrip);
  g_test_add_func ("/hs/jobs/export/reference", test_reference);
  g_test_add_func ("/hs/jobs/export/snapshot", test_snapshot);
  g_test_add_func ("/hs/jobs/export/where", test_where);
  g_test_add_func ("/hs/jobs/export/cancel-failure", test_cancel_and_failure);
  g_test_add_func ("/hs/jobs/export/batch-order", test_batch_order);
  g_test_add_func ("/hs/jobs/export/async", test_async);
  g_test_add_func ("/hs/jobs/export/other-datasets", test_other_datasets);
  g_test_add_func ("/hs/core/flatten/format-fast", test_format_fast);
  g_test_add_func ("/hs/core/flatten/utf8-valid", test_utf8_valid);
  g_test_add_func ("/hs/core/flatten/number-parse", test_number_parse);
  g_test_add_func ("/hs/core/flatten/json-scanner", test_json_scanner);
  g_test_add_func ("/hs/core/flatten/string-plain", test_string_plain);
  status = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = tmp_path (name);

        g_unlink (p);
      }
    g_rmdir (tmpdir);
  }
  g_free (tmpdir);
  return status;
}
