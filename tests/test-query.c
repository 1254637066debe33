/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Training queries (src/store/hs-store-query.c) against a naive evaluator written here: 400
 * paper trades with random context (missing values, whole missing objects, values of the wrong
 * JSON type, tags, missing lists) are generated in C, stored through SQL, and every filter's
 * result is compared with a walk of the parsed tree over the C values, which knows nothing of
 * SQL (three-valued logic and the type rules as docs/queries.md states them). Aggregates are
 * checked against sums and sorts done here. Then: injection (no literal ever appears in the SQL,
 * the database is byte-for-byte unchanged, nasty strings are found exactly), the hot paths use
 * their indexes (EXPLAIN QUERY PLAN), deep nesting is refused at compile time and never by
 * SQLite's parser, and errors say where they are.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-expr.h"
#include "hs-store-private.h"
#include "hs-store-query.h"
#include "hs-store.h"

#define N_TRADES 400
#define BASE_TS G_GINT64_CONSTANT (1709251200000000)   /* 2024-03-01T00:00:00Z */

typedef enum
{
  V_NULL,
  V_NUM,
  V_TEXT,
} VKind;

typedef struct
{
  VKind       k;
  double      n;
  const char *t;   /* a static string or one owned by the trade's string chunk */
} Val;

/* The fields the test generates and evaluates. col: -1 a plain column, else the JSON column. */
typedef struct
{
  const char *name;
  int         col;          /* 0 signals_snapshot, 1 market_regime, 2 order_book_state, 3 ai */
  const char *keys[3];
  char        kind;         /* 'n' number, 's' text, 'a' any (open key) */
  const char *const *pool;  /* texts it takes */
} TField;

static const char *const trends[] = { "bullish", "bearish", "neutral", NULL };
static const char *const tickers[] = { "XLK", "XLF", "XLE", NULL };
static const char *const models[] = { "gpt-4o", "gemini-2.0-flash", "claude", NULL };
static const char *const versions[] = { "v1", "v2", "v4_aggressive", NULL };
static const char *const symbols[] = { "AAPL", "MSFT", "NVDA", "XOM", "JPM", NULL };
static const char *const sides[] = { "long", "short", NULL };
static const char *const statuses[] = { "open", "closed", "stopped", NULL };
static const char *const reasons[] = { "take_profit", "stop_loss", "signal", "manual", NULL };
static const char *const all_tags[] = { "breakout", "gap", "news", "fade", NULL };

static const TField tfields[] = {
  { "id", -1, { NULL }, 'n', NULL },
  { "symbol", -1, { NULL }, 's', symbols },
  { "side", -1, { NULL }, 's', sides },
  { "quantity", -1, { NULL }, 'n', NULL },
  { "entry_price", -1, { NULL }, 'n', NULL },
  { "exit_price", -1, { NULL }, 'n', NULL },
  { "pnl", -1, { NULL }, 'n', NULL },
  { "pnl_pct", -1, { NULL }, 'n', NULL },
  { "fees", -1, { NULL }, 'n', NULL },
  { "status", -1, { NULL }, 's', statuses },
  { "exit_reason", -1, { NULL }, 's', reasons },
  { "target_pnl_15m", -1, { NULL }, 'n', NULL },
  { "target_pnl_1h", -1, { NULL }, 'n', NULL },
  { "target_mfe_pct", -1, { NULL }, 'n', NULL },
  { "target_mae_pct", -1, { NULL }, 'n', NULL },
  { "signals.1m.rsi", 0, { "1m", "rsi" }, 'n', NULL },
  { "signals.5m.rsi", 0, { "5m", "rsi" }, 'n', NULL },
  { "signals.15m.rsi", 0, { "15m", "rsi" }, 'n', NULL },
  { "signals.1h.rsi", 0, { "1h", "rsi" }, 'n', NULL },
  { "signals.daily.rsi", 0, { "daily", "rsi" }, 'n', NULL },
  { "signals.5m.macd_hist", 0, { "5m", "macd_hist" }, 'n', NULL },
  { "signals.5m.trend", 0, { "5m", "trend" }, 's', trends },
  { "signals.1h.ema_9_21_cross", 0, { "1h", "ema_9_21_cross" }, 's', trends },
  { "regime.spy.vix", 1, { "spy", "vix" }, 'n', NULL },
  { "regime.spy.pct_change", 1, { "spy", "pct_change" }, 'n', NULL },
  { "regime.sector.ticker", 1, { "sector", "ticker" }, 's', tickers },
  { "regime.sector.correlation_30d", 1, { "sector", "correlation_30d" }, 'n', NULL },
  { "regime.market_internals.breadth", 1, { "market_internals", "breadth" }, 'a', trends },
  { "book.spread_pct", 2, { "spread_pct" }, 'n', NULL },
  { "book.greeks.delta", 2, { "greeks", "delta" }, 'n', NULL },
  { "ai.confidence_score", 3, { "confidence_score" }, 'n', NULL },
  { "ai.model", 3, { "model" }, 's', models },
  { "ai.prompt_version", 3, { "prompt_version" }, 's', versions },
  { "ai.extra_score", 3, { "extra_score" }, 'a', versions },
};
#define N_TFIELDS G_N_ELEMENTS (tfields)

typedef struct
{
  int64_t     id;
  int64_t     entry_ts;
  int64_t     exit_ts;   /* 0 = NULL */
  Val         v[N_TFIELDS];
  const char *tags[4];
  size_t      n_tags;
  gboolean    null_column[4];   /* the whole JSON column is NULL */
  GPtrArray  *missing[3];       /* (owned) the signals/regime/book "missing" lists */
} Trade;

static Trade trades[N_TRADES];
static char *db_path;
static char *tmpdir;

static size_t
tfield_index (const char *name)
{
  for (size_t i = 0; i < N_TFIELDS; i++)
    if (g_str_equal (tfields[i].name, name))
      return i;
  return G_MAXSIZE;
}

/* Numbers are multiples of 1/4 so that sums and averages are exact in any order. */
static double
quarter (GRand *r,
         int    lo,
         int    hi)
{
  return g_rand_int_range (r, lo * 4, hi * 4 + 1) / 4.0;
}

static Val
num (double n)
{
  return (Val) { V_NUM, n, NULL };
}

static Val
text (const char *t)
{
  return (Val) { V_TEXT, 0, t };
}

static const Val null_val = { V_NULL, 0, NULL };

static const char *
pick (GRand             *r,
      const char *const *pool)
{
  size_t n = g_strv_length ((char **) pool);

  return pool[g_rand_int_range (r, 0, (int) n)];
}

static void
generate (GRand *r)
{
  for (int i = 0; i < N_TRADES; i++)
    {
      Trade *t = &trades[i];
      gboolean closed = g_rand_int_range (r, 0, 5) != 0;

      t->id = i + 1;
      t->entry_ts = BASE_TS + (int64_t) g_rand_int_range (r, 0, 30 * 24 * 60) * 60000000 + i;
      t->exit_ts = closed ? t->entry_ts + g_rand_int_range (r, 1, 600) * G_GINT64_CONSTANT (60000000) : 0;
      for (int c = 0; c < 4; c++)
        t->null_column[c] = g_rand_int_range (r, 0, 12) == 0;
      for (int m = 0; m < 3; m++)
        t->missing[m] = g_ptr_array_new ();
      for (size_t f = 0; f < N_TFIELDS; f++)
        {
          const TField *tf = &tfields[f];
          Val *v = &t->v[f];
          int dice = g_rand_int_range (r, 0, 20);

          if (g_str_equal (tf->name, "id"))
            *v = num ((double) t->id);
          else if (tf->col < 0)
            {
              gboolean nullable = g_str_has_prefix (tf->name, "target_")
                                  || g_str_equal (tf->name, "exit_reason")
                                  || g_str_equal (tf->name, "exit_price")
                                  || g_str_has_prefix (tf->name, "pnl");
              if (nullable && dice < 3)
                *v = null_val;
              else if (tf->kind == 's')
                *v = text (pick (r, tf->pool));
              else if (g_str_equal (tf->name, "quantity") || g_str_has_suffix (tf->name, "_price"))
                *v = num (quarter (r, 1, 300));
              else if (g_str_equal (tf->name, "fees") || g_str_has_prefix (tf->name, "target_m"))
                *v = num (quarter (r, 0, 20));
              else
                *v = num (quarter (r, -50, 50));
            }
          else if (t->null_column[tf->col] || dice < 2)
            {
              *v = null_val;
              if (tf->col < 3 && !t->null_column[tf->col])
                g_ptr_array_add (t->missing[tf->col], (gpointer) strchr (tf->name, '.') + 1);
            }
          else if (dice < 3)   /* the wrong JSON type */
            *v = tf->kind == 'n' ? text ("n/a") : num (quarter (r, 0, 9));
          else if (tf->kind == 'n')
            *v = num (g_str_has_suffix (tf->name, "rsi") && dice < 8
                      ? (double) g_rand_int_range (r, 0, 101)    /* a JSON integer */
                      : quarter (r, g_str_has_suffix (tf->name, "rsi") ? 0 : -30,
                                 g_str_has_suffix (tf->name, "rsi") ? 100 : 30));
          else if (tf->kind == 'a' && dice < 10)
            *v = num (quarter (r, -5, 5));
          else
            *v = text (pick (r, tf->pool));
        }
      /* Closed trades have an exit price; the schema's CHECK wants it. */
      if (closed && t->v[tfield_index ("exit_price")].k == V_NULL)
        t->v[tfield_index ("exit_price")] = num (1);
      if (closed && g_str_equal (t->v[tfield_index ("status")].t, "open"))
        t->v[tfield_index ("status")] = text ("closed");
      if (!closed)
        t->v[tfield_index ("status")] = text ("open");
      for (int k = 0; all_tags[k] != NULL; k++)
        if (g_rand_int_range (r, 0, 3) == 0)
          t->tags[t->n_tags++] = all_tags[k];
    }
}

static char *
column_json (const Trade *t,
             int          col)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *top = json_object_new ();

  json_node_take_object (root, top);
  if (t->null_column[col])
    return NULL;
  for (size_t f = 0; f < N_TFIELDS; f++)
    {
      const TField *tf = &tfields[f];
      JsonObject *o = top;
      size_t k = 0;

      if (tf->col != col || t->v[f].k == V_NULL)
        continue;
      for (; tf->keys[k + 1] != NULL; k++)
        {
          if (!json_object_has_member (o, tf->keys[k]))
            json_object_set_object_member (o, tf->keys[k], json_object_new ());
          o = json_object_get_object_member (o, tf->keys[k]);
        }
      if (t->v[f].k == V_TEXT)
        json_object_set_string_member (o, tf->keys[k], t->v[f].t);
      else if (t->v[f].n == floor (t->v[f].n) && g_str_has_suffix (tf->name, "rsi"))
        json_object_set_int_member (o, tf->keys[k], (int64_t) t->v[f].n);
      else
        json_object_set_double_member (o, tf->keys[k], t->v[f].n);
    }
  if (col < 3)
    {
      JsonArray *a = json_array_new ();

      for (unsigned i = 0; i < t->missing[col]->len; i++)
        json_array_add_string_element (a, t->missing[col]->pdata[i]);
      json_object_set_array_member (top, "missing", a);
    }
  return json_to_string (root, FALSE);
}

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *err = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &err) != SQLITE_OK)
    g_error ("%s: %s", sql, err);
}

static void
bind_val (sqlite3_stmt *stmt,
          int           i,
          Val           v)
{
  if (v.k == V_NULL)
    sqlite3_bind_null (stmt, i);
  else if (v.k == V_NUM)
    sqlite3_bind_double (stmt, i, v.n);
  else
    sqlite3_bind_text (stmt, i, v.t, -1, SQLITE_STATIC);
}

static void
store_trades (void)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  exec_ok (db, "BEGIN");
  for (int s = 0; symbols[s] != NULL; s++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO instruments (id, symbol, created_at) "
                                              "VALUES (%d, '%s', 0)", s + 1, symbols[s]);
      exec_ok (db, sql);
    }
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "INSERT INTO paper_trades (id, instrument_id, side, quantity, entry_ts, entry_price, "
    "exit_ts, exit_price, status, exit_reason, pnl, pnl_pct, fees, tags, signals_snapshot, "
    "market_regime, order_book_state, ai_reasoning_log, target_pnl_15m, target_pnl_1h, "
    "target_mfe_pct, target_mae_pct, created_at, updated_at) VALUES (?, (SELECT id FROM "
    "instruments WHERE symbol = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "0, 0)", -1, &stmt, NULL), ==, SQLITE_OK);
  for (int i = 0; i < N_TRADES; i++)
    {
      const Trade *t = &trades[i];
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) tags = NULL;
      g_autofree char *tags_json = NULL;
      char *ctx[4];

#define V(name) t->v[tfield_index (name)]
      json_builder_begin_array (b);
      for (size_t k = 0; k < t->n_tags; k++)
        json_builder_add_string_value (b, t->tags[k]);
      json_builder_end_array (b);
      tags = json_builder_get_root (b);
      json_generator_set_root (gen, tags);
      tags_json = json_generator_to_data (gen, NULL);
      for (int c = 0; c < 4; c++)
        ctx[c] = column_json (t, c);
      sqlite3_bind_int64 (stmt, 1, t->id);
      bind_val (stmt, 2, V ("symbol"));
      bind_val (stmt, 3, V ("side"));
      bind_val (stmt, 4, V ("quantity"));
      sqlite3_bind_int64 (stmt, 5, t->entry_ts);
      bind_val (stmt, 6, V ("entry_price"));
      if (t->exit_ts)
        sqlite3_bind_int64 (stmt, 7, t->exit_ts);
      else
        sqlite3_bind_null (stmt, 7);
      bind_val (stmt, 8, t->exit_ts ? V ("exit_price") : null_val);
      bind_val (stmt, 9, V ("status"));
      bind_val (stmt, 10, V ("exit_reason"));
      bind_val (stmt, 11, V ("pnl"));
      bind_val (stmt, 12, V ("pnl_pct"));
      bind_val (stmt, 13, V ("fees"));
      sqlite3_bind_text (stmt, 14, tags_json, -1, SQLITE_TRANSIENT);
      for (int c = 0; c < 4; c++)
        sqlite3_bind_text (stmt, 15 + c, ctx[c], -1, g_free);
      bind_val (stmt, 19, V ("target_pnl_15m"));
      bind_val (stmt, 20, V ("target_pnl_1h"));
      bind_val (stmt, 21, V ("target_mfe_pct"));
      bind_val (stmt, 22, V ("target_mae_pct"));
#undef V
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("insert: %s", sqlite3_errmsg (db));
      sqlite3_reset (stmt);
    }
  /* exit_price of open trades was bound NULL above; keep the C side the same. */
  for (int i = 0; i < N_TRADES; i++)
    if (!trades[i].exit_ts)
      trades[i].v[tfield_index ("exit_price")] = null_val;
  sqlite3_finalize (stmt);
  exec_ok (db, "COMMIT");
  sqlite3_close (db);
}

/* ------------------------------------------------------------------------------------------ */
/* The naive evaluator */

static int64_t
parse_iso (const char *s)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  if (strlen (s) == 10)
    {
      g_autofree char *full = g_strconcat (s, "T00:00:00Z", NULL);

      dt = g_date_time_new_from_iso8601 (full, utc);
    }
  else
    dt = g_date_time_new_from_iso8601 (s, utc);
  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static Val
as_num (Val v)
{
  return v.k == V_NUM ? v : null_val;
}

static Val
truth (gboolean b)
{
  return num (b ? 1 : 0);
}

static Val eval (const HsExpr *e, const Trade *t);

static gboolean
is_list_field (const HsExpr *e)
{
  return e->kind == HS_EXPR_IDENT
         && (g_str_equal (e->text, "tags") || g_str_has_suffix (e->text, ".missing"));
}

static gboolean
is_time_field (const HsExpr *e)
{
  return e->kind == HS_EXPR_IDENT
         && (g_str_equal (e->text, "entry_time") || g_str_equal (e->text, "exit_time"));
}

static Val
eval_compare (const HsExpr *e,
              const Trade  *t)
{
  const HsExpr *l = e->args[0], *r = e->args[1];
  Val a, b;
  int c;

  if (is_list_field (l) || is_list_field (r))
    {
      const HsExpr *list = is_list_field (l) ? l : r, *str = is_list_field (l) ? r : l;
      gboolean found = FALSE;

      if (g_str_equal (list->text, "tags"))
        {
          for (size_t k = 0; k < t->n_tags; k++)
            found |= g_str_equal (t->tags[k], str->text);
        }
      else
        {
          int col = g_str_has_prefix (list->text, "signals") ? 0
                    : g_str_has_prefix (list->text, "regime") ? 1 : 2;

          for (unsigned k = 0; k < t->missing[col]->len; k++)
            found |= g_str_equal (t->missing[col]->pdata[k], str->text);
        }
      return truth (e->op == HS_EXPR_OP_EQ ? found : !found);
    }
  if (is_time_field (l) || is_time_field (r))
    {
      int64_t x, y;

      a = eval (l, t);
      b = eval (r, t);
      if (a.k == V_NULL || b.k == V_NULL)
        return null_val;
      x = l->kind == HS_EXPR_STRING ? parse_iso (l->text) : (int64_t) a.n;
      y = r->kind == HS_EXPR_STRING ? parse_iso (r->text) : (int64_t) b.n;
      c = (x > y) - (x < y);
    }
  else
    {
      a = eval (l, t);
      b = eval (r, t);
      if (a.k == V_NULL || b.k == V_NULL)
        return null_val;
      if (a.k != b.k)   /* a number and a text: never equal, never ordered */
        return truth (e->op == HS_EXPR_OP_NE);
      c = a.k == V_NUM ? (a.n > b.n) - (a.n < b.n) : strcmp (a.t, b.t);
      c = (c > 0) - (c < 0);
    }
  switch (e->op)
    {
    case HS_EXPR_OP_LT: return truth (c < 0);
    case HS_EXPR_OP_LE: return truth (c <= 0);
    case HS_EXPR_OP_GT: return truth (c > 0);
    case HS_EXPR_OP_GE: return truth (c >= 0);
    case HS_EXPR_OP_EQ: return truth (c == 0);
    case HS_EXPR_OP_NE: return truth (c != 0);
    default: g_assert_not_reached ();
    }
}

static Val
eval (const HsExpr *e,
      const Trade  *t)
{
  Val a, b;
  double r;

  switch (e->kind)
    {
    case HS_EXPR_NUMBER:
      return num (e->number);
    case HS_EXPR_STRING:
      return text (e->text);
    case HS_EXPR_IDENT:
      if (is_time_field (e))
        {
          int64_t ts = g_str_equal (e->text, "entry_time") ? t->entry_ts : t->exit_ts;

          return ts ? num ((double) ts) : null_val;
        }
      g_assert_cmpuint (tfield_index (e->text), <, N_TFIELDS);
      return t->v[tfield_index (e->text)];
    case HS_EXPR_UNARY:
      a = as_num (eval (e->args[0], t));
      if (a.k == V_NULL)
        return null_val;
      return e->op == HS_EXPR_OP_NOT ? truth (a.n == 0) : num (-a.n);
    case HS_EXPR_BINARY:
      break;
    default:
      g_assert_not_reached ();
    }
  switch (e->op)
    {
    case HS_EXPR_OP_AND:
    case HS_EXPR_OP_OR:
      a = as_num (eval (e->args[0], t));
      b = as_num (eval (e->args[1], t));
      if (e->op == HS_EXPR_OP_AND)
        {
          if ((a.k == V_NUM && a.n == 0) || (b.k == V_NUM && b.n == 0))
            return truth (FALSE);
          return a.k == V_NULL || b.k == V_NULL ? null_val : truth (TRUE);
        }
      if ((a.k == V_NUM && a.n != 0) || (b.k == V_NUM && b.n != 0))
        return truth (TRUE);
      return a.k == V_NULL || b.k == V_NULL ? null_val : truth (FALSE);
    case HS_EXPR_OP_LT:
    case HS_EXPR_OP_LE:
    case HS_EXPR_OP_GT:
    case HS_EXPR_OP_GE:
    case HS_EXPR_OP_EQ:
    case HS_EXPR_OP_NE:
      return eval_compare (e, t);
    default:
      break;
    }
  a = as_num (eval (e->args[0], t));
  b = as_num (eval (e->args[1], t));
  if (a.k == V_NULL || b.k == V_NULL)
    return null_val;
  switch (e->op)
    {
    case HS_EXPR_OP_ADD: r = a.n + b.n; break;
    case HS_EXPR_OP_SUB: r = a.n - b.n; break;
    case HS_EXPR_OP_MUL: r = a.n * b.n; break;
    case HS_EXPR_OP_DIV:
      if (b.n == 0)
        return null_val;
      r = a.n / b.n;
      break;
    case HS_EXPR_OP_MOD:
      /* Python's float modulo as CPython's float_rem() computes it: fmod (exact), then moved
       * to the sign of the divisor. (a - b * floor (a / b) would round.) */
      if (b.n == 0)
        return null_val;
      r = fmod (a.n, b.n);
      if (r != 0 && (b.n < 0) != (r < 0))
        r += b.n;
      break;
    default:
      g_assert_not_reached ();
    }
  return isnan (r) ? null_val : num (r);
}

/* The ids the filter selects, in id order (the trades are generated in id order). */
static GArray *
reference_ids (const char *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsExpr) e = hs_expr_parse (filter, NULL, &error);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (int64_t));

  g_assert_no_error (error);
  for (int i = 0; i < N_TRADES; i++)
    {
      Val v = as_num (eval (e, &trades[i]));

      if (v.k == V_NUM && v.n != 0)
        g_array_append_val (ids, trades[i].id);
    }
  return ids;
}

/* ------------------------------------------------------------------------------------------ */
/* Running queries */

static HsStore *
open_store (void)
{
  g_autoptr(GError) error = NULL;
  HsStore *store = hs_store_open (db_path, HS_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  return store;
}

static gboolean
collect_ids_cb (const HsQueryCell *cells,
                size_t             n,
                gpointer           user_data,
                GError           **error)
{
  GArray *ids = user_data;

  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpint (cells[0].kind, ==, HS_QUERY_CELL_INTEGER);
  g_array_append_val (ids, cells[0].integer);
  return TRUE;
}

static const char *const id_only[] = { "id", NULL };

static GArray *
query_ids (HsStore    *store,
           const char *filter)
{
  HsQueryRequest req = { HS_QUERY_PAPER_TRADES, filter, id_only, NULL, NULL, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsQuery) q = hs_query_compile (&req, NULL, NULL, &error);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (int64_t));

  if (q == NULL)
    g_error ("%s: %s", filter, error->message);
  if (!hs_store_query_run (store, q, collect_ids_cb, ids, NULL, &error))
    g_error ("%s: %s\n%s", filter, error->message, hs_query_get_sql (q));
  return ids;
}

static void
assert_same_ids (const char *filter,
                 GArray     *got,
                 GArray     *want)
{
  /* (An empty GArray's data is NULL, which memcmp may not be given.) */
  if (got->len != want->len
      || (got->len > 0 && memcmp (got->data, want->data, got->len * sizeof (int64_t)) != 0))
    g_error ("%s: the query found %u trades, the reference %u", filter, got->len, want->len);
}

static void
check_filter (HsStore    *store,
              const char *filter)
{
  g_autoptr(GArray) got = query_ids (store, filter);
  g_autoptr(GArray) want = reference_ids (filter);

  assert_same_ids (filter, got, want);
}

/* Hand-picked filters, with the counts they must give: each is also checked against the
 * reference, and the counts make sure the data exercise it (neither none nor all). */
static void
test_filters_fixed (void)
{
  g_autoptr(HsStore) store = open_store ();
  const char *filters[] = {
    "signals.5m.rsi > 70 and target_pnl_1h < -10",
    "signals.5m.rsi > 70",
    "signals.5m.rsi >= 70",
    "70 < signals.5m.rsi",
    "signals.5m.rsi < 30",
    "signals.5m.rsi == 50",
    "signals.5m.rsi != 50",
    "not signals.5m.rsi > 70",
    "signals.5m.rsi > 70 or regime.spy.vix > 25",
    "not (signals.5m.rsi > 70 or regime.spy.vix > 25)",
    "signals.5m.rsi > signals.1h.rsi",
    "signals.5m.trend == \"bullish\"",
    "signals.5m.trend < 'c'",
    "signals.5m.trend >= 'c'",
    "regime.sector.ticker == 'XLK' and ai.confidence_score >= 7",
    "ai.model != 'claude'",
    "ai.prompt_version > 'v1'",
    "ai.extra_score > 1",
    "ai.extra_score < 'v2'",
    "ai.extra_score == 'v2' or ai.extra_score == 2",
    "regime.market_internals.breadth == 'bullish'",
    "symbol == 'AAPL' or symbol == 'NVDA'",
    "side == 'short' and pnl_pct > 0",
    "tags == 'breakout'",
    "tags != 'breakout' and tags == 'gap'",
    "signals.missing == '5m.rsi'",
    "regime.missing != 'spy.vix'",
    "book.missing == 'greeks.delta'",
    "entry_time >= '2024-03-15' and entry_time < '2024-03-16T12:00:00Z'",
    "exit_time > '2024-03-20T00:00:00+01:00'",
    "pnl / quantity > 0.1",
    "signals.1m.rsi / 0 > 1",
    "signals.5m.rsi % 7 == 3",
    "-pnl % -4 < -1",
    "(signals.5m.rsi > 70) + (regime.spy.vix > 20) >= 1",
    "signals.daily.rsi",
    "not book.spread_pct",
    "1",
    "0",
    "status == 'open' or exit_reason == 'manual'",
    "target_mfe_pct - target_mae_pct > 2 * fees",
  };

  for (size_t i = 0; i < G_N_ELEMENTS (filters); i++)
    check_filter (store, filters[i]);

  /* The seed's example selects some trades, not all and not none. */
  {
    g_autoptr(GArray) ids = query_ids (store, filters[0]);

    g_assert_cmpuint (ids->len, >, 0);
    g_assert_cmpuint (ids->len, <, N_TRADES / 4);
  }
}

/* A JSON value of the wrong type, by hand: one trade whose 5m RSI is the text "n/a" is neither
 * above 70 nor below 30 nor equal to 50, but it is != 50 (SQLite alone would call it > 70, since
 * it orders every text after every number). */
static void
test_wrong_type_by_hand (void)
{
  g_autoptr(HsStore) store = open_store ();
  size_t f = tfield_index ("signals.5m.rsi");
  int64_t id = 0;

  for (int i = 0; i < N_TRADES && id == 0; i++)
    if (trades[i].v[f].k == V_TEXT)
      id = trades[i].id;
  g_assert_cmpint (id, >, 0);
  {
    g_autofree char *above = g_strdup_printf ("id == %" G_GINT64_FORMAT
                                              " and signals.5m.rsi > 70", id);
    g_autofree char *below = g_strdup_printf ("id == %" G_GINT64_FORMAT
                                              " and signals.5m.rsi < 30", id);
    g_autofree char *ne = g_strdup_printf ("id == %" G_GINT64_FORMAT
                                           " and signals.5m.rsi != 50", id);
    g_autofree char *notabove = g_strdup_printf ("id == %" G_GINT64_FORMAT
                                                 " and not signals.5m.rsi > 70", id);
    g_autoptr(GArray) a = query_ids (store, above);
    g_autoptr(GArray) b = query_ids (store, below);
    g_autoptr(GArray) c = query_ids (store, ne);
    g_autoptr(GArray) d = query_ids (store, notabove);

    g_assert_cmpuint (a->len, ==, 0);
    g_assert_cmpuint (b->len, ==, 0);
    g_assert_cmpuint (c->len, ==, 1);
    g_assert_cmpuint (d->len, ==, 1);
  }
}

/* Random well-typed filters. */
static const char *const num_fields[] = {
  "id", "quantity", "entry_price", "exit_price", "pnl", "pnl_pct", "fees", "target_pnl_15m",
  "target_pnl_1h", "target_mfe_pct", "target_mae_pct", "signals.1m.rsi", "signals.5m.rsi",
  "signals.15m.rsi", "signals.1h.rsi", "signals.daily.rsi", "signals.5m.macd_hist",
  "regime.spy.vix", "regime.spy.pct_change", "regime.sector.correlation_30d",
  "book.spread_pct", "book.greeks.delta", "ai.confidence_score", "ai.extra_score",
  "regime.market_internals.breadth", NULL
};
static const char *const text_fields[] = {
  "symbol", "side", "status", "exit_reason", "signals.5m.trend", "signals.1h.ema_9_21_cross",
  "regime.sector.ticker", "ai.model", "ai.prompt_version", "ai.extra_score",
  "regime.market_internals.breadth", NULL
};
static const char *const text_literals[] = {
  "AAPL", "XOM", "long", "closed", "manual", "bullish", "neutral", "XLF", "claude", "v2",
  "v4_aggressive", "b", "", "zzz", NULL
};
static const char *const ops[] = { "<", "<=", ">", ">=", "==", "!=" };

static void gen_bool (GString *out, GRand *r, int depth);

static void
gen_num (GString *out,
         GRand   *r,
         int      depth)
{
  int k = g_rand_int_range (r, 0, depth > 0 ? 9 : 3);

  switch (k)
    {
    case 0:
      g_string_append_printf (out, "%g", quarter (r, -20, 80));
      break;
    case 1:
    case 2:
      g_string_append (out, pick (r, num_fields));
      break;
    case 3:
    case 4:
    case 5:
    case 6:
      g_string_append_c (out, '(');
      gen_num (out, r, depth - 1);
      g_string_append_printf (out, " %c ", "+-*/%"[g_rand_int_range (r, 0, 5)]);
      gen_num (out, r, depth - 1);
      g_string_append_c (out, ')');
      break;
    case 7:
      g_string_append (out, "-(");
      gen_num (out, r, depth - 1);
      g_string_append_c (out, ')');
      break;
    default:
      g_string_append_c (out, '(');
      gen_bool (out, r, depth - 1);
      g_string_append_c (out, ')');
      break;
    }
}

static void
gen_bool (GString *out,
          GRand   *r,
          int      depth)
{
  int k = g_rand_int_range (r, 0, depth > 0 ? 10 : 5);

  switch (k)
    {
    case 0:
    case 1:
      gen_num (out, r, depth - 1);
      g_string_append_printf (out, " %s ", ops[g_rand_int_range (r, 0, 6)]);
      gen_num (out, r, depth - 1);
      break;
    case 2:
      if (g_rand_boolean (r))
        g_string_append_printf (out, "%s %s \"%s\"", pick (r, text_fields),
                                ops[g_rand_int_range (r, 0, 6)], pick (r, text_literals));
      else
        g_string_append_printf (out, "'%s' %s %s", pick (r, text_literals),
                                ops[g_rand_int_range (r, 0, 6)], pick (r, text_fields));
      break;
    case 3:
      if (g_rand_boolean (r))
        g_string_append_printf (out, "tags %s \"%s\"", g_rand_boolean (r) ? "==" : "!=",
                                pick (r, all_tags));
      else
        g_string_append_printf (out, "%s.missing %s '%s'",
                                g_rand_boolean (r) ? "signals" : "regime",
                                g_rand_boolean (r) ? "==" : "!=",
                                g_rand_boolean (r) ? "5m.rsi" : "spy.vix");
      break;
    case 4:
      g_string_append_printf (out, "%s %s \"2024-03-%02dT%02d:00:00Z\"",
                              g_rand_boolean (r) ? "entry_time" : "exit_time",
                              ops[g_rand_int_range (r, 0, 6)], g_rand_int_range (r, 1, 31),
                              g_rand_int_range (r, 0, 24));
      break;
    case 5:
    case 6:
    case 7:
      g_string_append_c (out, '(');
      gen_bool (out, r, depth - 1);
      g_string_append (out, g_rand_boolean (r) ? ") and (" : ") or (");
      gen_bool (out, r, depth - 1);
      g_string_append_c (out, ')');
      break;
    case 8:
      g_string_append (out, "not (");
      gen_bool (out, r, depth - 1);
      g_string_append_c (out, ')');
      break;
    default:
      gen_num (out, r, depth - 1);
      break;
    }
}

static void
test_filters_random (void)
{
  g_autoptr(HsStore) store = open_store ();
  g_autoptr(GRand) r = g_rand_new_with_seed (20240301);
  int some = 0, all = 0;

  for (int i = 0; i < 1500; i++)
    {
      g_autoptr(GString) f = g_string_new (NULL);
      g_autoptr(GArray) got = NULL;
      g_autoptr(GArray) want = NULL;

      gen_bool (f, r, 1 + i % 5);
      got = query_ids (store, f->str);
      want = reference_ids (f->str);
      assert_same_ids (f->str, got, want);
      some += got->len > 0 && got->len < N_TRADES;
      all += got->len == N_TRADES;
    }
  /* The filters are not all trivially true or false. */
  g_assert_cmpint (some, >, 500);
}

/* --select values against the reference, row by row. */
typedef struct
{
  GPtrArray *rows;   /* of GStrv: each cell printed as "n:VALUE", "t:TEXT" or "null" */
} Rows;

static gboolean
collect_rows_cb (const HsQueryCell *cells,
                 size_t             n,
                 gpointer           user_data,
                 GError           **error)
{
  GPtrArray *rows = user_data;
  char **row = g_new0 (char *, n + 1);

  for (size_t i = 0; i < n; i++)
    switch (cells[i].kind)
      {
      case HS_QUERY_CELL_NULL: row[i] = g_strdup ("null"); break;
      case HS_QUERY_CELL_INTEGER:
      case HS_QUERY_CELL_REAL: row[i] = g_strdup_printf ("n:%.17g", cells[i].real); break;
      case HS_QUERY_CELL_TEXT: row[i] = g_strdup_printf ("t:%s", cells[i].text); break;
      default: g_assert_not_reached ();
      }
  g_ptr_array_add (rows, row);
  return TRUE;
}

static char *
val_string (Val v)
{
  switch (v.k)
    {
    case V_NULL: return g_strdup ("null");
    case V_NUM: return g_strdup_printf ("n:%.17g", v.n);
    case V_TEXT: return g_strdup_printf ("t:%s", v.t);
    default: g_assert_not_reached ();
    }
}

static void
test_select_values (void)
{
  g_autoptr(HsStore) store = open_store ();
  const char *select[] = { "id", "signals.5m.rsi", "ai.model", "ai.extra_score", "pnl / quantity",
                           "signals.1h.rsi + 1", "(regime.spy.vix > 20) or tags == 'news'",
                           "symbol", NULL };
  HsQueryRequest req = { HS_QUERY_PAPER_TRADES, "side == 'long'", select, NULL, NULL, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsQuery) q = hs_query_compile (&req, NULL, NULL, &error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GArray) want = reference_ids ("side == 'long'");

  g_assert_no_error (error);
  g_assert_cmpuint (hs_query_get_n_columns (q), ==, 8);
  g_assert_cmpstr (hs_query_get_column_name (q, 4), ==, "pnl / quantity");
  g_assert_cmpint (hs_query_get_column_type (q, 1), ==, HS_QUERY_TYPE_NUMBER);
  g_assert_cmpint (hs_query_get_column_type (q, 3), ==, HS_QUERY_TYPE_ANY);
  g_assert_cmpint (hs_query_get_column_type (q, 7), ==, HS_QUERY_TYPE_TEXT);
  g_assert_true (hs_store_query_run (store, q, collect_rows_cb, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, want->len);
  for (unsigned i = 0; i < rows->len; i++)
    {
      const Trade *t = &trades[g_array_index (want, int64_t, i) - 1];
      char **row = rows->pdata[i];

      for (size_t c = 0; select[c] != NULL; c++)
        {
          g_autoptr(HsExpr) e = hs_expr_parse (select[c], NULL, NULL);
          g_autofree char *expected = val_string (eval (e, t));

          g_assert_cmpstr (row[c], ==, expected);
        }
    }
}

/* Aggregates per symbol against sums and sorts done here. */
static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
test_aggregates (void)
{
  g_autoptr(HsStore) store = open_store ();
  const char *aggs[] = { "count", "avg:pnl_pct", "median:signals.5m.rsi", "min:ai.model",
                         "max:signals.1h.rsi", "count:regime.spy.vix", "median:pnl_pct", NULL };
  HsQueryRequest req = { HS_QUERY_PAPER_TRADES, "side == 'long'", NULL, aggs, "symbol", 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsQuery) q = hs_query_compile (&req, NULL, NULL, &error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  size_t fsym = tfield_index ("symbol"), fside = tfield_index ("side");
  size_t fpnl = tfield_index ("pnl_pct"), frsi = tfield_index ("signals.5m.rsi");
  size_t fmodel = tfield_index ("ai.model"), frsi1h = tfield_index ("signals.1h.rsi");
  size_t fvix = tfield_index ("regime.spy.vix");
  const char *sorted[] = { "AAPL", "JPM", "MSFT", "NVDA", "XOM" };

  g_assert_no_error (error);
  g_assert_cmpstr (hs_query_get_column_name (q, 0), ==, "symbol");
  g_assert_cmpstr (hs_query_get_column_name (q, 1), ==, "count");
  g_assert_cmpstr (hs_query_get_column_name (q, 2), ==, "avg(pnl_pct)");
  g_assert_cmpstr (hs_query_get_column_name (q, 3), ==, "median(signals.5m.rsi)");
  g_assert_true (hs_store_query_run (store, q, collect_rows_cb, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  for (int s = 0; s < 5; s++)
    {
      char **row = rows->pdata[s];
      g_autoptr(GArray) rsi = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) pnl = g_array_new (FALSE, FALSE, sizeof (double));
      double sum = 0, max1h = -INFINITY;
      int count = 0, n_vix = 0;
      const char *min_model = NULL;
      g_autofree char *e0 = g_strdup_printf ("t:%s", sorted[s]);

      g_assert_cmpstr (row[0], ==, e0);
      for (int i = 0; i < N_TRADES; i++)
        {
          const Trade *t = &trades[i];

          if (!g_str_equal (t->v[fsym].t, sorted[s]) || !g_str_equal (t->v[fside].t, "long"))
            continue;
          count++;
          if (t->v[fpnl].k == V_NUM)
            {
              sum += t->v[fpnl].n;
              g_array_append_val (pnl, t->v[fpnl].n);
            }
          if (t->v[frsi].k == V_NUM)
            g_array_append_val (rsi, t->v[frsi].n);
          if (t->v[fmodel].k == V_TEXT && (min_model == NULL || strcmp (t->v[fmodel].t, min_model) < 0))
            min_model = t->v[fmodel].t;
          if (t->v[frsi1h].k == V_NUM)
            max1h = MAX (max1h, t->v[frsi1h].n);
          n_vix += t->v[fvix].k != V_NULL;   /* count:FIELD counts values of any type */
        }
      {
        g_autofree char *e1 = g_strdup_printf ("n:%.17g", (double) count);
        g_autofree char *e2 = g_strdup_printf ("n:%.17g", sum / pnl->len);
        g_autofree char *e3 = NULL, *e4 = g_strdup_printf ("t:%s", min_model);
        g_autofree char *e5 = g_strdup_printf ("n:%.17g", max1h);
        g_autofree char *e6 = g_strdup_printf ("n:%.17g", (double) n_vix);
        g_autofree char *e7 = NULL;
        double *v = (double *) rsi->data;

        qsort (rsi->data, rsi->len, sizeof (double), cmp_double);
        e3 = g_strdup_printf ("n:%.17g", rsi->len % 2 ? v[rsi->len / 2]
                                         : (v[rsi->len / 2 - 1] + v[rsi->len / 2]) / 2);
        qsort (pnl->data, pnl->len, sizeof (double), cmp_double);
        v = (double *) pnl->data;
        e7 = g_strdup_printf ("n:%.17g", pnl->len % 2 ? v[pnl->len / 2]
                                         : (v[pnl->len / 2 - 1] + v[pnl->len / 2]) / 2);
        g_assert_cmpstr (row[1], ==, e1);
        g_assert_cmpstr (row[2], ==, e2);
        g_assert_cmpstr (row[3], ==, e3);
        g_assert_cmpstr (row[4], ==, e4);
        g_assert_cmpstr (row[5], ==, e5);
        g_assert_cmpstr (row[6], ==, e6);
        g_assert_cmpstr (row[7], ==, e7);
      }
    }
}

/* Median by hand: ids 1, 2, 10 → 2 (the middle one); 1, 2, 10, 20 → (2 + 10) / 2 = 6; no
 * trades → null, and count 0. avg: 13 / 3 and 33 / 4. */
static void
test_median_by_hand (void)
{
  g_autoptr(HsStore) store = open_store ();
  const char *aggs[] = { "median:id", "avg:id", "min:id", "max:id", "count", NULL };
  struct { const char *filter; double want[5]; } cases[] = {
    { "id == 1 or id == 2 or id == 10", { 2, 13.0 / 3, 1, 10, 3 } },
    { "id == 1 or id == 2 or id == 10 or id == 20", { 6, 33.0 / 4, 1, 20, 4 } },
    { "id < 0", { NAN, NAN, NAN, NAN, 0 } },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HsQueryRequest req = { HS_QUERY_PAPER_TRADES, cases[i].filter, NULL, aggs, NULL, 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(HsQuery) q = hs_query_compile (&req, NULL, NULL, &error);
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

      g_assert_no_error (error);
      g_assert_true (hs_store_query_run (store, q, collect_rows_cb, rows, NULL, &error));
      g_assert_cmpuint (rows->len, ==, 1);
      for (int c = 0; c < 5; c++)
        {
          char **row = rows->pdata[0];
          g_autofree char *want = isnan (cases[i].want[c])
                                  ? g_strdup ("null")
                                  : g_strdup_printf ("n:%.17g", cases[i].want[c]);

          g_assert_cmpstr (row[c], ==, want);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Injection */

static char *
dump_db (HsStore *store)
{
  g_autoptr(GError) error = NULL;
  char *dump = hs_store_dump (store, &error);

  g_assert_no_error (error);
  return dump;
}

static const char *const nasty[] = {
  "'; DROP TABLE paper_trades; --",
  "\"; DELETE FROM instruments; --",
  "x' OR '1'='1",
  "1; UPDATE paper_trades SET pnl = 0",
  "/* comment */ 1",
  "*/ DROP TABLE paper_trades /*",
  "-- comment",
  "json_extract(signals_snapshot, '$.\"5m\".rsi')",
  "ünïcödé ✓ 📈 \u200b\u202e right-to-left",
  "back\\slash and 'single' and \"double\"",
  "?1 ?2 :name @x $y",
  "') UNION SELECT sql FROM sqlite_schema --",
  "%s%n%x",
  "",
};

static void
test_injection (void)
{
  g_autoptr(HsStore) store = open_store ();
  g_autofree char *before = dump_db (store);
  g_autofree char *after = NULL;

  for (size_t i = 0; i < G_N_ELEMENTS (nasty); i++)
    {
      /* The nasty text as a string literal, escaped for the language (\\, \', \"). */
      g_autoptr(GString) lit = g_string_new ("'");
      const char *templates[] = {
        "symbol == @", "ai.model != @ or symbol < @", "tags == @", "signals.missing == @",
        "ai.@ == 1", "entry_time > @",
      };

      for (const char *p = nasty[i]; *p; p++)
        {
          if (*p == '\\' || *p == '\'')
            g_string_append_c (lit, '\\');
          g_string_append_c (lit, *p);
        }
      g_string_append_c (lit, '\'');
      for (size_t k = 0; k < G_N_ELEMENTS (templates); k++)
        {
          g_auto(GStrv) pieces = g_strsplit (templates[k], "@", -1);
          g_autofree char *filter = g_strjoinv (lit->str, pieces);
          HsQueryRequest req = { HS_QUERY_PAPER_TRADES, filter, NULL, NULL, NULL, 0 };
          g_autoptr(GError) error = NULL;
          g_autoptr(HsQuery) q = hs_query_compile (&req, NULL, NULL, &error);
          g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (int64_t));

          if (k >= 4)
            {
              /* ai.'…' does not parse; a nasty text is not a time: clear errors, nothing runs. */
              g_assert_null (q);
              g_assert_true (g_str_has_prefix (error->message, "column "));
              continue;
            }
          g_assert_no_error (error);
          if (nasty[i][0] != '\0')
            g_assert_null (strstr (hs_query_get_sql (q), nasty[i]));
          g_assert_true (hs_store_query_run (store, q, collect_ids_cb, ids, NULL, &error));
          g_assert_no_error (error);
          /* And the result is the reference's. */
          check_filter (store, filter);
        }
    }
  after = dump_db (store);
  g_assert_cmpstr (before, ==, after);
}

/* A nasty text stored in the data is found exactly, by equality, and nothing else is. */
static void
test_injection_roundtrip (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "nasty.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_autofree char *before = NULL, *after = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, "INSERT INTO instruments (id, symbol, created_at) VALUES (1, 'X', 0)");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO paper_trades (id, instrument_id, side, "
                                       "quantity, entry_ts, entry_price, ai_reasoning_log, "
                                       "created_at, updated_at) VALUES (?, 1, 'long', 1, ?, 1, "
                                       "json_object('model', ?), 0, 0)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (size_t i = 0; i < G_N_ELEMENTS (nasty); i++)
    {
      sqlite3_bind_int64 (stmt, 1, (int64_t) i + 1);
      sqlite3_bind_int64 (stmt, 2, (int64_t) i);
      sqlite3_bind_text (stmt, 3, nasty[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  before = dump_db (store);
  for (size_t i = 0; i < G_N_ELEMENTS (nasty); i++)
    {
      g_autoptr(GString) filter = g_string_new ("ai.model == \"");
      g_autoptr(GArray) ids = NULL;

      for (const char *p = nasty[i]; *p; p++)
        {
          if (*p == '\\' || *p == '"')
            g_string_append_c (filter, '\\');
          g_string_append_c (filter, *p);
        }
      g_string_append_c (filter, '"');
      ids = query_ids (store, filter->str);
      g_assert_cmpuint (ids->len, ==, 1);
      g_assert_cmpint (g_array_index (ids, int64_t, 0), ==, (int64_t) i + 1);
    }
  after = dump_db (store);
  g_assert_cmpstr (before, ==, after);
}

/* Numbers: every literal is a bound double, never text in the SQL; the largest finite double is
 * a number, a larger one is a parse error. */
static void
test_numbers (void)
{
  g_autoptr(HsStore) store = open_store ();
  const char *filters[] = { "pnl < 1.7976931348623157e308", "pnl > -1.7976931348623157e308",
                            "pnl > 123456789", "pnl < 1e-300 and pnl > -1e-300", NULL };
  HsQueryRequest req = { HS_QUERY_PAPER_TRADES, "pnl < 1e309", NULL, NULL, NULL, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsQuery) q = NULL;

  for (size_t i = 0; filters[i] != NULL; i++)
    {
      HsQueryRequest r2 = { HS_QUERY_PAPER_TRADES, filters[i], NULL, NULL, NULL, 0 };
      g_autoptr(HsQuery) q2 = hs_query_compile (&r2, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_null (strstr (hs_query_get_sql (q2), "e308"));
      g_assert_null (strstr (hs_query_get_sql (q2), "123456789"));
      g_assert_null (strstr (hs_query_get_sql (q2), "e-300"));
      check_filter (store, filters[i]);
    }
  q = hs_query_compile (&req, NULL, NULL, &error);
  g_assert_null (q);
  g_assert_error (error, HS_EXPR_ERROR, HS_EXPR_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "column 7: "));
}

/* The SQL of the seed's query, exactly: the hot path is the index's expression text. */
static void
test_sql_text (void)
{
  HsQueryRequest req = { HS_QUERY_PAPER_TRADES, "signals.5m.rsi > 70 and target_pnl_1h < -10",
                         id_only, NULL, NULL, 5 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsQuery) q = hs_query_compile (&req, NULL, NULL, &error);
  g_autofree char *p0 = NULL, *p2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (hs_query_get_sql (q), ==,
                   "SELECT t.id FROM paper_trades AS t WHERE t.id IN (SELECT t.id FROM "
                   "paper_trades AS t WHERE "
                   "(json_extract(t.signals_snapshot, '$.\"5m\".rsi') > ?1 AND "
                   "json_extract(t.signals_snapshot, '$.\"5m\".rsi') < '') AND "
                   "(t.target_pnl_1h < ?2 AND t.target_pnl_1h >= -9e999) ORDER BY t.id "
                   "LIMIT ?3) ORDER BY t.id");
  g_assert_cmpuint (hs_query_get_n_params (q), ==, 3);
  p0 = hs_query_describe_param (q, 0);
  p2 = hs_query_describe_param (q, 2);
  g_assert_cmpstr (p0, ==, "?1 = 70");
  g_assert_cmpstr (p2, ==, "?3 = 5");
}

/* Every hot path, alone in a filter, is answered by an index search. */
static void
test_hot_paths_use_indexes (void)
{
  g_autoptr(HsStore) store = open_store ();
  struct { const char *filter; const char *index; } cases[] = {
    { "signals.5m.rsi > 70", "idx_paper_trades_rsi_5m_pnl_1h" },
    /* seed 000's training query: both conditions inside one index (migration 013) */
    { "signals.5m.rsi > 70 and target_pnl_1h < -10", "idx_paper_trades_rsi_5m_pnl_1h" },
    { "signals.1m.rsi < 30", "idx_paper_trades_rsi_1m" },
    { "signals.15m.rsi >= 80", "idx_paper_trades_rsi_15m" },
    { "signals.1h.rsi <= 20", "idx_paper_trades_rsi_1h" },
    { "signals.daily.rsi > 60", "idx_paper_trades_rsi_daily" },
    { "ai.confidence_score >= 8", "idx_paper_trades_ai_confidence" },
    { "regime.spy.vix > 30", "idx_paper_trades_vix" },
    { "regime.sector.ticker == 'XLK'", "idx_paper_trades_sector" },
    { "target_pnl_1h < -10", "idx_paper_trades_target_pnl_1h" },
    { "target_pnl_15m > 5", "idx_paper_trades_target_pnl_15m" },
    { "book.spread_pct > 2", "idx_paper_trades_spread_pct" },
    { "ai.prompt_version == 'v4_aggressive'", "idx_paper_trades_prompt_version" },
    { "entry_time >= '2024-03-10' and entry_time < '2024-03-11'", "idx_paper_trades_entry_ts" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *aggs[] = { "count", NULL };
      HsQueryRequest req = { HS_QUERY_PAPER_TRADES, cases[i].filter, NULL, aggs, NULL, 0 };
      HsQueryRequest rows = { HS_QUERY_PAPER_TRADES, cases[i].filter, NULL, NULL, NULL, 10 };
      g_autoptr(GError) error = NULL;
      g_autoptr(HsQuery) q = hs_query_compile (&req, NULL, NULL, &error);
      g_autoptr(HsQuery) q2 = hs_query_compile (&rows, NULL, NULL, &error);
      g_autofree char *plan = hs_store_query_explain (store, q, &error);
      g_autofree char *plan2 = hs_store_query_explain (store, q2, &error);
      g_autofree char *want = g_strdup_printf ("USING INDEX %s (", cases[i].index);
      g_autofree char *want_cov = g_strdup_printf ("USING COVERING INDEX %s (", cases[i].index);

      g_assert_no_error (error);
      if (strstr (plan, want) == NULL && strstr (plan, want_cov) == NULL)
        g_error ("%s: %s", cases[i].filter, plan);
      if (strstr (plan2, want) == NULL && strstr (plan2, want_cov) == NULL)
        g_error ("%s: %s", cases[i].filter, plan2);
      check_filter (store, cases[i].filter);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Errors */

static void
test_errors (void)
{
  struct {
    const char *filter;
    GQuark      domain;
    int         code;
    const char *message;
    size_t      offset;
  } cases[] = {
    { "foo > 1", HS_QUERY_ERROR, HS_QUERY_ERROR_UNKNOWN,
      "column 1: unknown field “foo” (hindsight-cli query --fields lists them)", 0 },
    { "pnl > 1 and signals.5m.rsx > 3", HS_QUERY_ERROR, HS_QUERY_ERROR_UNKNOWN,
      "column 13: unknown field “signals.5m.rsx”: a signal is one of rsi, macd_hist, "
      "ema_9_21_cross, squeeze, trend, dist_from_200sma", 12 },
    { "signals.7m.rsi > 3", HS_QUERY_ERROR, HS_QUERY_ERROR_UNKNOWN,
      "column 1: unknown field “signals.7m.rsi”: write signals.TF.NAME with TF one of 1m, 5m, "
      "15m, 1h, daily and NAME one of rsi, macd_hist, ema_9_21_cross, squeeze, trend, "
      "dist_from_200sma", 0 },
    { "symbol > 3", HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE,
      "column 1: cannot compare a text with a number", 0 },
    { "pnl + symbol > 3", HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE,
      "column 7: + needs numbers, found a text", 6 },
    { "signals.5m.trend * 2 > 1", HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE,
      "column 1: * needs numbers, found a text", 0 },
    { "entry_time > 5", HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE,
      "column 1: cannot compare a time with a number (a time compares with a time or a text "
      "like “2024-03-04T14:35:00Z”)", 0 },
    { "entry_time > 'yesterday'", HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE, NULL, 13 },
    { "tags > 'x'", HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE,
      "column 1: a list compares with == (holds) or != (does not hold) only", 0 },
    { "tags == 3", HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE,
      "column 1: a list compares with a string only: tags == \"breakout\"", 0 },
    { "symbol", HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE,
      "column 1: a filter is a condition such as signals.5m.rsi > 70, found a text", 0 },
    { "rsi(close, 14) > 70", HS_QUERY_ERROR, HS_QUERY_ERROR_UNKNOWN,
      "column 1: a training query has fields, not functions: write a field name such as "
      "signals.5m.rsi", 0 },
    { "  ünï == 1", HS_EXPR_ERROR, HS_EXPR_ERROR_SYNTAX, NULL, 2 },
    { "symbol == 'a' and ", HS_EXPR_ERROR, HS_EXPR_ERROR_SYNTAX,
      "column 19: expected an expression, found end of input", 18 },
    { "pnl > 1 and pnl < 2 < 3", HS_EXPR_ERROR, HS_EXPR_ERROR_SYNTAX, NULL, 20 },
    { "ai.a.b.c.d.e.f.g == 1", HS_QUERY_ERROR, HS_QUERY_ERROR_UNKNOWN, NULL, 0 },
    { "signals.5m.rsi > 'x'", HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE,
      "column 1: cannot compare a number with a text", 0 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HsQueryRequest req = { HS_QUERY_PAPER_TRADES, cases[i].filter, NULL, NULL, NULL, 0 };
      g_autoptr(GError) error = NULL;
      const char *where = NULL;
      size_t offset = 99;
      g_autoptr(HsQuery) q = hs_query_compile (&req, &where, &offset, &error);

      g_assert_null (q);
      g_assert_error (error, cases[i].domain, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_true (where == cases[i].filter);
      g_assert_cmpuint (offset, ==, cases[i].offset);
    }

  /* In a backtest query, the context does not exist; in a paper query, run_id does not. */
  {
    HsQueryRequest req = { HS_QUERY_BACKTEST_TRADES, "signals.5m.rsi > 1", NULL, NULL, NULL, 0 };
    HsQueryRequest req2 = { HS_QUERY_PAPER_TRADES, "run_id == 1", NULL, NULL, NULL, 0 };
    g_autoptr(GError) error = NULL, error2 = NULL;
    g_autoptr(HsQuery) q = hs_query_compile (&req, NULL, NULL, &error);
    g_autoptr(HsQuery) q2 = hs_query_compile (&req2, NULL, NULL, &error2);

    g_assert_error (error, HS_QUERY_ERROR, HS_QUERY_ERROR_UNKNOWN);
    g_assert_cmpstr (error->message, ==, "column 1: this field exists for paper trades only, "
                     "not for backtest trades");
    g_assert_error (error2, HS_QUERY_ERROR, HS_QUERY_ERROR_UNKNOWN);
    g_assert_cmpstr (error2->message, ==, "column 1: this field exists for backtest trades "
                     "only (use --backtest)");
  }

  /* Errors in --select, --agg and --group-by name their own text. */
  {
    const char *select[] = { "id", "pnl +", NULL };
    const char *aggs[] = { "count", "avg:symbol", NULL };
    const char *bad_agg[] = { "mode:pnl", NULL };
    HsQueryRequest r1 = { HS_QUERY_PAPER_TRADES, NULL, select, NULL, NULL, 0 };
    HsQueryRequest r2 = { HS_QUERY_PAPER_TRADES, NULL, NULL, aggs, "side", 0 };
    HsQueryRequest r3 = { HS_QUERY_PAPER_TRADES, NULL, NULL, bad_agg, NULL, 0 };
    HsQueryRequest r4 = { HS_QUERY_PAPER_TRADES, NULL, NULL, NULL, "side", 0 };
    HsQueryRequest r5 = { HS_QUERY_PAPER_TRADES, NULL, NULL, aggs, "tags", 0 };
    g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL;
    const char *w1 = NULL, *w2 = NULL, *w3 = NULL, *w4 = NULL;
    size_t o1 = 0, o2 = 0;

    g_assert_null (hs_query_compile (&r1, &w1, &o1, &e1));
    g_assert_error (e1, HS_EXPR_ERROR, HS_EXPR_ERROR_SYNTAX);
    g_assert_true (w1 == select[1]);
    g_assert_cmpuint (o1, ==, 5);
    g_assert_null (hs_query_compile (&r2, &w2, &o2, &e2));
    g_assert_error (e2, HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE);
    g_assert_cmpstr (e2->message, ==, "column 1: avg needs numbers, found a text");
    g_assert_true (w2 == aggs[1] + 4);
    g_assert_null (hs_query_compile (&r3, &w3, NULL, &e3));
    g_assert_error (e3, HS_QUERY_ERROR, HS_QUERY_ERROR_USAGE);
    g_assert_true (w3 == bad_agg[0]);
    g_assert_null (hs_query_compile (&r4, &w4, NULL, &e4));
    g_assert_error (e4, HS_QUERY_ERROR, HS_QUERY_ERROR_USAGE);
    g_assert_null (hs_query_compile (&r5, NULL, NULL, &e5));
    g_assert_error (e5, HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Depth */

/* The parser stops at 256 levels with its own error; the compiler refuses SQL that SQLite's
 * parser could not read, at compile time and with the place: for every shape and depth, a
 * query either runs, or fails to compile with HS_QUERY_ERROR_DEPTH, never in SQLite. */
static void
test_depth (void)
{
  g_autoptr(HsStore) store = open_store ();
  const char *shapes[][2] = {
    { "pnl > 0 and (", ")" },
    { "pnl > 0 or (", ")" },
    { "not (", ")" },
    { "not ", "" },
    { "-(", ")" },
    { "1 - (", ")" },
    { "2 / (", ")" },
    { "3 % (", ")" },
    { "(", " + 1)" },
    { "(", " > 0)" },
    { "signals.5m.rsi < (", ")" },
    { "signals.5m.rsi > (", ")" },
    { "(signals.1h.rsi > 1) == (", ")" },
  };
  int passed_deep = 0, n_refused = 0;

  for (size_t s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      gboolean refused = FALSE;

      for (int depth = 1; depth <= 80; depth++)
        {
          g_autoptr(GString) f = g_string_new (NULL);
          g_autoptr(GError) error = NULL;
          g_autoptr(HsQuery) q = NULL;
          g_autoptr(GArray) ids = NULL;
          HsQueryRequest req = { HS_QUERY_PAPER_TRADES, NULL, NULL, NULL, NULL, 0 };

          for (int k = 0; k < depth; k++)
            g_string_append (f, shapes[s][0]);
          g_string_append (f, "signals.5m.rsi");
          for (int k = 0; k < depth; k++)
            g_string_append (f, shapes[s][1]);
          req.filter = f->str;
          q = hs_query_compile (&req, NULL, NULL, &error);
          if (q == NULL)
            {
              g_assert_error (error, HS_QUERY_ERROR, HS_QUERY_ERROR_DEPTH);
              refused = TRUE;
              continue;
            }
          /* Once refused, deeper is refused too. */
          g_assert_false (refused);
          ids = g_array_new (FALSE, FALSE, sizeof (int64_t));
          if (!hs_store_query_run (store, q, collect_ids_cb, ids, NULL, &error))
            g_error ("shape %zu depth %d: %s", s, depth, error->message);
          if (depth >= 20)
            passed_deep++;
        }
      n_refused += refused;
    }
  /* Most shapes hit the limit before 80 levels; left-nested ones ((a + 1) + 1 …) compile to
   * flat SQL and never do. */
  g_assert_cmpint (n_refused, >=, 10);
  /* Realistic nesting (20 levels) passes for every shape. */
  g_assert_cmpint (passed_deep, >=, (int) G_N_ELEMENTS (shapes));

  /* Long flat chains are no problem: 200 ors of comparisons (ids 1 to 200). */
  {
    g_autoptr(GString) f = g_string_new ("id == 1");
    g_autoptr(GArray) ids = NULL;

    for (int k = 2; k <= 200; k++)
      g_string_append_printf (f, " or id == %d", k);
    ids = query_ids (store, f->str);
    g_assert_cmpuint (ids->len, ==, 200);
  }

  /* The parser's own limit. */
  {
    g_autoptr(GString) f = g_string_new (NULL);
    g_autoptr(GError) error = NULL;
    HsQueryRequest req = { HS_QUERY_PAPER_TRADES, NULL, NULL, NULL, NULL, 0 };

    for (int k = 0; k < 300; k++)
      g_string_append_c (f, '(');
    g_string_append (f, "pnl > 0");
    for (int k = 0; k < 300; k++)
      g_string_append_c (f, ')');
    req.filter = f->str;
    g_assert_null (hs_query_compile (&req, NULL, NULL, &error));
    g_assert_error (error, HS_EXPR_ERROR, HS_EXPR_ERROR_DEPTH);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Backtest trades */

/* The signals table (--signals): 300 generated signals, a filter and a grouped average checked
 * against the same conditions evaluated here in C. */
typedef struct
{
  const char *type, *status, *blocked;
  double      confidence;
} Sig;

static void
test_signals_source (void)
{
  static const char *const types[] = { "STRONG_BUY", "BUY", "NEUTRAL", "SELL", "STRONG_SELL" };
  static const char *const sig_statuses[] = { "generated", "blocked", "promoted" };
  static const char *const filters[] = { "spread", "session", "cooldown" };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "signals.db", NULL);
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_autoptr(GRand) r = g_rand_new_with_seed (17);
  g_autoptr(GString) sql = g_string_new ("INSERT INTO instruments (id, symbol, created_at) "
                                         "VALUES (1, 'SPY', 0);");
  Sig sigs[300];
  const char *filter = "confidence >= 60 and filters_blocked == 'spread' "
                       "and status != 'promoted' and symbol == 'SPY'";
  const char *const sel[] = { "id", NULL };
  const char *const aggs[] = { "avg:confidence", "count", NULL };
  HsQueryRequest req = { HS_QUERY_SIGNALS, filter, sel, NULL, NULL, 0 };
  HsQueryRequest agg = { HS_QUERY_SIGNALS, "confidence_level == 'high'", NULL, aggs,
                         "signal_type", 0 };
  g_autoptr(HsQuery) q = NULL, qa = NULL;
  g_autoptr(GArray) got = g_array_new (FALSE, FALSE, sizeof (int64_t));
  g_autoptr(GArray) want = g_array_new (FALSE, FALSE, sizeof (int64_t));
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_no_error (error);
  for (int i = 0; i < 300; i++)
    {
      Sig *s = &sigs[i];

      s->type = types[g_rand_int_range (r, 0, 5)];
      s->status = sig_statuses[g_rand_int_range (r, 0, 3)];
      s->blocked = g_rand_boolean (r) ? filters[g_rand_int_range (r, 0, 3)] : NULL;
      s->confidence = g_rand_int_range (r, 0, 101);
      g_string_append_printf (sql, "INSERT INTO signals (id, instrument_id, ts, strategy_name, "
                              "signal_type, confidence, filters_blocked, status, created_at) "
                              "VALUES (%d, 1, %d, 'vwap', '%s', %g, '[%s%s%s]', '%s', 0);",
                              i + 1, i * 60, s->type, s->confidence, s->blocked ? "\"" : "",
                              s->blocked ? s->blocked : "", s->blocked ? "\"" : "", s->status);
      /* The filter, by hand. */
      if (s->confidence >= 60 && g_strcmp0 (s->blocked, "spread") == 0
          && !g_str_equal (s->status, "promoted"))
        {
          int64_t id = i + 1;

          g_array_append_val (want, id);
        }
    }
  g_assert_true (hs_store_exec (store, sql->str, &error));
  q = hs_query_compile (&req, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hs_store_query_run (store, q, collect_ids_cb, got, NULL, &error));
  g_assert_cmpuint (want->len, >, 5);
  assert_same_ids (filter, got, want);

  /* avg(confidence) and count per signal type over confidence >= 80 (the 'high' level,
   * migrations/002), in type order. */
  qa = hs_query_compile (&agg, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hs_store_query_run (store, qa, collect_rows_cb, rows, NULL, &error));
  {
    const char *sorted[] = { "BUY", "NEUTRAL", "SELL", "STRONG_BUY", "STRONG_SELL" };
    unsigned k = 0;

    for (size_t t = 0; t < G_N_ELEMENTS (sorted); t++)
      {
        double sum = 0;
        int n = 0;
        g_autofree char *avg = NULL, *count = NULL, *type = NULL;
        char **row;

        for (int i = 0; i < 300; i++)
          if (g_str_equal (sigs[i].type, sorted[t]) && sigs[i].confidence >= 80)
            {
              sum += sigs[i].confidence;
              n++;
            }
        if (n == 0)
          continue;
        /* Integer confidences: the sums are exact, so the averages are equal to the bit. */
        type = g_strdup_printf ("t:%s", sorted[t]);
        avg = g_strdup_printf ("n:%.17g", sum / n);
        count = g_strdup_printf ("n:%.17g", (double) n);
        g_assert_cmpuint (k, <, rows->len);
        row = rows->pdata[k];
        g_assert_cmpstr (row[0], ==, type);
        g_assert_cmpstr (row[1], ==, avg);
        g_assert_cmpstr (row[2], ==, count);
        k++;
      }
    g_assert_cmpuint (k, ==, rows->len);
  }

  /* Trade fields are not signal fields, and context paths belong to paper trades. */
  {
    HsQueryRequest bad = { HS_QUERY_SIGNALS, "pnl > 0", NULL, NULL, NULL, 0 };
    HsQueryRequest bad2 = { HS_QUERY_SIGNALS, "signals.5m.rsi > 70", NULL, NULL, NULL, 0 };
    HsQueryRequest bad3 = { HS_QUERY_PAPER_TRADES, "confidence > 70", NULL, NULL, NULL, 0 };
    g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;
    g_autoptr(HsQuery) q1 = hs_query_compile (&bad, NULL, NULL, &e1);
    g_autoptr(HsQuery) q2 = hs_query_compile (&bad2, NULL, NULL, &e2);
    g_autoptr(HsQuery) q3 = hs_query_compile (&bad3, NULL, NULL, &e3);

    g_assert_cmpstr (e1->message, ==, "column 1: this field exists for paper and backtest "
                     "trades, not for signals");
    g_assert_cmpstr (e2->message, ==, "column 1: this field exists for paper trades only, "
                     "not for signals");
    g_assert_cmpstr (e3->message, ==, "column 1: this field exists for signals only "
                     "(use --signals)");
  }
}

static void
test_backtest_source (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "bt.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  const char *select[] = { "id", "symbol", "strategy", "mfe_pct", "target_pnl_1h", NULL };
  HsQueryRequest req = { HS_QUERY_BACKTEST_TRADES, "mfe_pct > 1 and symbol == 'SPY'", select,
                         NULL, NULL, 0 };
  g_autoptr(HsQuery) q = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, "INSERT INTO backtest_runs (id, strategy_name, symbol, interval, start_ts, "
               "end_ts, initial_cash, status, created_at) VALUES (7, 'sma_cross', 'SPY', '1d', "
               "0, 1, 1000, 'completed', 0)");
  /* Three trades: mfe 2 (selected), mfe 0.5 (not), mfe NULL (unknown: not). */
  exec_ok (db, "INSERT INTO backtest_trades (id, run_id, trade_no, side, quantity, entry_ts, "
               "entry_price, mfe_pct, target_pnl_1h) VALUES (1, 7, 1, 'long', 1, 10, 100, 2, "
               "-1.5), (2, 7, 2, 'long', 1, 20, 100, 0.5, NULL), (3, 7, 3, 'short', 1, 30, 100, "
               "NULL, 3)");
  sqlite3_close (db);
  q = hs_query_compile (&req, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hs_store_query_run (store, q, collect_rows_cb, rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  {
    char **row = rows->pdata[0];

    g_assert_cmpstr (row[0], ==, "n:1");
    g_assert_cmpstr (row[1], ==, "t:SPY");
    g_assert_cmpstr (row[2], ==, "t:sma_cross");
    g_assert_cmpstr (row[3], ==, "n:2");
    g_assert_cmpstr (row[4], ==, "n:-1.5");
  }
}

/* Cancelling stops the run with G_IO_ERROR_CANCELLED at the next check (every 1024 rows): the
 * first row's callback cancels, 3000 rows are there. */
static gboolean
cancel_cb (const HsQueryCell *cells,
           size_t             n,
           gpointer           user_data,
           GError           **error)
{
  g_cancellable_cancel (user_data);
  return TRUE;
}

static void
test_cancel_and_stop (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "many.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  HsQueryRequest req = { HS_QUERY_PAPER_TRADES, NULL, NULL, NULL, NULL, 0 };
  g_autoptr(HsQuery) q = NULL;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, "INSERT INTO instruments (id, symbol, created_at) VALUES (1, 'X', 0)");
  exec_ok (db, "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 3000) "
               "INSERT INTO paper_trades (instrument_id, side, quantity, entry_ts, entry_price, "
               "created_at, updated_at) SELECT 1, 'long', 1, k, 1, 0, 0 FROM n");
  sqlite3_close (db);
  q = hs_query_compile (&req, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (hs_store_query_run (store, q, cancel_cb, cancellable, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-query-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmpdir, "query.db", NULL);
  {
    g_autoptr(HsStore) store = hs_store_open (db_path, HS_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
  }
  generate (r);
  store_trades ();

  g_test_add_func ("/hs/store/query/filters-fixed", test_filters_fixed);
  g_test_add_func ("/hs/store/query/wrong-type-by-hand", test_wrong_type_by_hand);
  g_test_add_func ("/hs/store/query/filters-random", test_filters_random);
  g_test_add_func ("/hs/store/query/select-values", test_select_values);
  g_test_add_func ("/hs/store/query/aggregates", test_aggregates);
  g_test_add_func ("/hs/store/query/median-by-hand", test_median_by_hand);
  g_test_add_func ("/hs/store/query/injection", test_injection);
  g_test_add_func ("/hs/store/query/injection-roundtrip", test_injection_roundtrip);
  g_test_add_func ("/hs/store/query/numbers", test_numbers);
  g_test_add_func ("/hs/store/query/sql-text", test_sql_text);
  g_test_add_func ("/hs/store/query/hot-paths", test_hot_paths_use_indexes);
  g_test_add_func ("/hs/store/query/errors", test_errors);
  g_test_add_func ("/hs/store/query/depth", test_depth);
  g_test_add_func ("/hs/store/query/backtest", test_backtest_source);
  g_test_add_func ("/hs/store/query/signals", test_signals_source);
  g_test_add_func ("/hs/store/query/cancel", test_cancel_and_stop);
  status = g_test_run ();

  for (int i = 0; i < N_TRADES; i++)
    for (int m = 0; m < 3; m++)
      g_ptr_array_unref (trades[i].missing[m]);
  {
    g_autoptr(GFile) dir = g_file_new_for_path (tmpdir);
    g_autoptr(GFileEnumerator) en = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                              0, NULL, NULL);
    GFileInfo *info;

    while (en != NULL && (info = g_file_enumerator_next_file (en, NULL, NULL)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmpdir, g_file_info_get_name (info), NULL);

        g_unlink (p);
        g_object_unref (info);
      }
    g_rmdir (tmpdir);
  }
  g_free (db_path);
  g_free (tmpdir);
  return status;
}
