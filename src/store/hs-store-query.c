/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Training queries: the expression language's tree (hs-expr.h) compiled to one SQL statement
 * over paper_trades or backtest_trades. No text of the user's ever reaches the SQL: every
 * number and string is a bound parameter (?N), every field name is looked up in a fixed table
 * that holds its SQL text, and the few open-ended JSON paths (ai.ANY_KEY,
 * regime.market_internals.ANY_KEY) are bound as a JSON path parameter. The documented hot paths
 * compile to exactly the expression text of their index (migrations/003 and 011), so SQLite
 * answers a filter on them with an index search.
 *
 * Semantics (docs/queries.md): a missing value is SQL's NULL; comparisons with it are unknown,
 * `and`/`or` follow three-valued logic, and a trade is selected only when the filter is true.
 * A JSON value of the wrong type (a text where a number belongs) is neither equal to nor
 * ordered against a number: comparisons on JSON values carry a guard that keeps SQLite from
 * ordering texts after numbers, written so that it is one more bound on the same index range.
 *
 * SQLite's parser has a stack of 100 entries (3.40), which right-nested SQL uses up after some
 * 30 levels; the compiler estimates what its SQL needs and refuses deeper filters with an error
 * at the node that went too deep, instead of emitting SQL that SQLite refuses. Load: one compile
 * per query, linear in the size of the tree.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-query-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hs-expr.h"
#include "hs-records.h"
#include "hs-time.h"

G_DEFINE_QUARK (hs-query-error-quark, hs_query_error)

/* The estimated parser stack a compiled filter may need (SQLite's is 100 deep; the statement
 * around the filter takes some: tests/test-query.c checks the margin by brute force). */
#define MAX_SQL_STACK 84
/* SQLite's default limit of bound parameters (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
#define MAX_PARAMS 32766
/* Parameters a query adds outside the filter and its columns (the LIMIT). */
#define RESERVED_PARAMS 1
/* Open-ended JSON paths: at most this many segments after the prefix, each at most 64 bytes. */
#define MAX_EXTRA_SEGMENTS 6
#define MAX_SEGMENT_LEN 64

/* ------------------------------------------------------------------------------------------ */
/* Parameters */

typedef enum
{
  PARAM_REAL,
  PARAM_INT,
  PARAM_TEXT,
} ParamKind;

typedef struct
{
  ParamKind kind;
  double    real;
  int64_t   integer;
  char     *text;   /* (owned) */
} Param;

struct _HsQueryParams
{
  GArray *items;   /* (owned) Param */
};

static void
param_clear (gpointer data)
{
  Param *p = data;

  g_free (p->text);
}

HsQueryParams *
hs_query_params_new (void)
{
  HsQueryParams *params = g_new0 (HsQueryParams, 1);

  params->items = g_array_new (FALSE, TRUE, sizeof (Param));
  g_array_set_clear_func (params->items, param_clear);
  return params;
}

void
hs_query_params_free (HsQueryParams *params)
{
  if (params == NULL)
    return;
  g_array_unref (params->items);
  g_free (params);
}

size_t
hs_query_params_get_n (const HsQueryParams *params)
{
  return params->items->len;
}

/* Adds a parameter and writes its placeholder ?N to @sql. */
static void
param_add (HsQueryParams *params,
           GString       *sql,
           const Param   *p)
{
  Param copy = *p;

  copy.text = g_strdup (p->text);
  g_array_append_val (params->items, copy);
  g_string_append_printf (sql, "?%u", params->items->len);
}

gboolean
hs_query_params_bind (const HsQueryParams *params,
                      sqlite3_stmt        *stmt,
                      GError             **error)
{
  for (unsigned i = 0; i < params->items->len; i++)
    {
      const Param *p = &g_array_index (params->items, Param, i);
      int rc = SQLITE_OK;

      switch (p->kind)
        {
        case PARAM_REAL:
          rc = sqlite3_bind_double (stmt, (int) i + 1, p->real);
          break;
        case PARAM_INT:
          rc = sqlite3_bind_int64 (stmt, (int) i + 1, p->integer);
          break;
        case PARAM_TEXT:
          rc = sqlite3_bind_text (stmt, (int) i + 1, p->text, -1, SQLITE_TRANSIENT);
          break;
        default:
          g_assert_not_reached ();
        }
      if (rc != SQLITE_OK)
        return hs_sqlite_set_error (sqlite3_db_handle (stmt), rc, error, "binding a parameter");
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Fields */

enum
{
  SRC_PAPER = 1 << HS_QUERY_PAPER_TRADES,
  SRC_BACKTEST = 1 << HS_QUERY_BACKTEST_TRADES,
  SRC_SIGNALS = 1 << HS_QUERY_SIGNALS,
  SRC_BOTH = SRC_PAPER | SRC_BACKTEST,
  SRC_ALL = SRC_BOTH | SRC_SIGNALS,
};

enum
{
  F_JSON = 1 << 0,    /* a JSON value: its stored type may not be the documented one */
  F_INSTR = 1 << 1,   /* reads i (instruments) */
  F_RUN = 1 << 2,     /* reads r (backtest_runs) */
};

typedef struct
{
  const char *name;
  const char *sql;        /* the value, as fixed SQL text over t, i, r */
  HsQueryType type;
  unsigned    flags;
  unsigned    sources;
  const char *list_args;  /* LIST: the arguments of json_each() that walk its elements */
} Field;

#define NUM HS_QUERY_TYPE_NUMBER
#define TXT HS_QUERY_TYPE_TEXT
#define TIME HS_QUERY_TYPE_TIME
#define LIST HS_QUERY_TYPE_LIST
#define ANY HS_QUERY_TYPE_ANY

/* signals.TF.NAME: the JSON path quotes timeframes that start with a digit, as the index on
 * '$."5m".rsi' does (migrations/003). */
#define SIG(tf, key, name, type) \
  { "signals." tf "." name, "json_extract(t.signals_snapshot, '$." key "." name "')", type, \
    F_JSON, SRC_PAPER, NULL }
#define SIGNALS(tf, key) \
  SIG (tf, key, "rsi", NUM), SIG (tf, key, "macd_hist", NUM), \
  SIG (tf, key, "ema_9_21_cross", TXT), SIG (tf, key, "squeeze", TXT), \
  SIG (tf, key, "trend", TXT), SIG (tf, key, "dist_from_200sma", NUM)
#define JSONF(name, column, path, type) \
  { name, "json_extract(t." column ", '$." path "')", type, F_JSON, SRC_PAPER, NULL }

static const Field fields[] = {
  { "id", "t.id", NUM, 0, SRC_ALL, NULL },
  { "symbol", "i.symbol", TXT, F_INSTR, SRC_PAPER | SRC_SIGNALS, NULL },
  { "symbol", "coalesce(i.symbol, r.symbol)", TXT, F_INSTR | F_RUN, SRC_BACKTEST, NULL },
  { "side", "t.side", TXT, 0, SRC_BOTH, NULL },
  { "quantity", "t.quantity", NUM, 0, SRC_BOTH, NULL },
  { "entry_time", "t.entry_ts", TIME, 0, SRC_BOTH, NULL },
  { "entry_price", "t.entry_price", NUM, 0, SRC_BOTH, NULL },
  { "exit_time", "t.exit_ts", TIME, 0, SRC_BOTH, NULL },
  { "exit_price", "t.exit_price", NUM, 0, SRC_BOTH, NULL },
  { "stop_loss", "t.stop_loss", NUM, 0, SRC_PAPER, NULL },
  { "take_profit", "t.take_profit", NUM, 0, SRC_PAPER, NULL },
  { "pnl", "t.pnl", NUM, 0, SRC_BOTH, NULL },
  { "pnl_pct", "t.pnl_pct", NUM, 0, SRC_BOTH, NULL },
  { "fees", "t.fees", NUM, 0, SRC_BOTH, NULL },
  { "status", "t.status", TXT, 0, SRC_PAPER | SRC_SIGNALS, NULL },
  { "exit_reason", "t.exit_reason", TXT, 0, SRC_BOTH, NULL },
  { "is_backtest", "t.is_backtest", NUM, 0, SRC_PAPER, NULL },
  { "signal_id", "t.signal_id", NUM, 0, SRC_PAPER, NULL },
  { "tags", "t.tags", LIST, 0, SRC_PAPER, "t.tags" },
  { "notes", "t.notes", TXT, 0, SRC_PAPER, NULL },
  { "target_pnl_15m", "t.target_pnl_15m", NUM, 0, SRC_BOTH, NULL },
  { "target_pnl_1h", "t.target_pnl_1h", NUM, 0, SRC_BOTH, NULL },
  { "target_mfe_pct", "t.target_mfe_pct", NUM, 0, SRC_BOTH, NULL },
  { "target_mae_pct", "t.target_mae_pct", NUM, 0, SRC_BOTH, NULL },
  { "labeled_at", "t.labeled_at", TIME, 0, SRC_ALL, NULL },
  { "label_error", "t.label_error", TXT, 0, SRC_BOTH, NULL },
  /* backtest trades only */
  { "run_id", "t.run_id", NUM, 0, SRC_BACKTEST, NULL },
  { "trade_no", "t.trade_no", NUM, 0, SRC_BACKTEST, NULL },
  { "strategy", "r.strategy_name", TXT, F_RUN, SRC_BACKTEST, NULL },
  { "mfe_pct", "t.mfe_pct", NUM, 0, SRC_BACKTEST, NULL },
  { "mae_pct", "t.mae_pct", NUM, 0, SRC_BACKTEST, NULL },
  { "bars_held", "t.bars_held", NUM, 0, SRC_BACKTEST, NULL },
  /* signals only (migrations 002 and 012) */
  { "time", "t.ts", TIME, 0, SRC_SIGNALS, NULL },
  { "strategy", "t.strategy_name", TXT, 0, SRC_SIGNALS, NULL },
  { "strategy_version", "t.strategy_version", TXT, 0, SRC_SIGNALS, NULL },
  { "setup", "t.setup", TXT, 0, SRC_SIGNALS, NULL },
  { "signal_type", "t.signal_type", TXT, 0, SRC_SIGNALS, NULL },
  { "confidence", "t.confidence", NUM, 0, SRC_SIGNALS, NULL },
  { "confidence_level", "t.confidence_level", TXT, 0, SRC_SIGNALS, NULL },
  { "score", "t.score", NUM, 0, SRC_SIGNALS, NULL },
  { "session", "t.session", TXT, 0, SRC_SIGNALS, NULL },
  { "price", "t.price", NUM, 0, SRC_SIGNALS, NULL },
  { "cvd", "t.cvd", NUM, 0, SRC_SIGNALS, NULL },
  { "orderbook_imbalance", "t.orderbook_imbalance", NUM, 0, SRC_SIGNALS, NULL },
  { "features_id", "t.features_id", NUM, 0, SRC_SIGNALS, NULL },
  { "reasons", "t.reasons", LIST, 0, SRC_SIGNALS, "t.reasons" },
  { "warnings", "t.warnings", LIST, 0, SRC_SIGNALS, "t.warnings" },
  { "filters_passed", "t.filters_passed", LIST, 0, SRC_SIGNALS, "t.filters_passed" },
  { "filters_blocked", "t.filters_blocked", LIST, 0, SRC_SIGNALS, "t.filters_blocked" },
  { "outcome", "t.outcome", TXT, 0, SRC_SIGNALS, NULL },
  { "outcome_r", "t.outcome_r", NUM, 0, SRC_SIGNALS, NULL },
  { "ledger_key", "t.ledger_key", TXT, 0, SRC_SIGNALS, NULL },
  /* signals_snapshot */
  SIGNALS ("1m", "\"1m\""),
  SIGNALS ("5m", "\"5m\""),
  SIGNALS ("15m", "\"15m\""),
  SIGNALS ("1h", "\"1h\""),
  SIGNALS ("daily", "daily"),
  { "signals.missing", "json_extract(t.signals_snapshot, '$.missing')", LIST, F_JSON, SRC_PAPER,
    "t.signals_snapshot, '$.missing'" },
  /* market_regime */
  JSONF ("regime.spy.price", "market_regime", "spy.price", NUM),
  JSONF ("regime.spy.pct_change", "market_regime", "spy.pct_change", NUM),
  JSONF ("regime.spy.vix", "market_regime", "spy.vix", NUM),
  JSONF ("regime.sector.ticker", "market_regime", "sector.ticker", TXT),
  JSONF ("regime.sector.pct_change", "market_regime", "sector.pct_change", NUM),
  JSONF ("regime.sector.correlation_30d", "market_regime", "sector.correlation_30d", NUM),
  JSONF ("regime.market_internals.ad_line", "market_regime", "market_internals.ad_line", TXT),
  JSONF ("regime.market_internals.put_call_ratio", "market_regime",
         "market_internals.put_call_ratio", NUM),
  { "regime.missing", "json_extract(t.market_regime, '$.missing')", LIST, F_JSON, SRC_PAPER,
    "t.market_regime, '$.missing'" },
  /* order_book_state */
  JSONF ("book.bid", "order_book_state", "bid", NUM),
  JSONF ("book.ask", "order_book_state", "ask", NUM),
  JSONF ("book.spread_pct", "order_book_state", "spread_pct", NUM),
  JSONF ("book.volume", "order_book_state", "volume", NUM),
  JSONF ("book.open_interest", "order_book_state", "open_interest", NUM),
  JSONF ("book.iv", "order_book_state", "iv", NUM),
  JSONF ("book.greeks.delta", "order_book_state", "greeks.delta", NUM),
  JSONF ("book.greeks.gamma", "order_book_state", "greeks.gamma", NUM),
  JSONF ("book.greeks.theta", "order_book_state", "greeks.theta", NUM),
  JSONF ("book.greeks.vega", "order_book_state", "greeks.vega", NUM),
  { "book.missing", "json_extract(t.order_book_state, '$.missing')", LIST, F_JSON, SRC_PAPER,
    "t.order_book_state, '$.missing'" },
  /* ai_reasoning_log (docs/ai-reasoning.md) */
  JSONF ("ai.model", "ai_reasoning_log", "model", TXT),
  JSONF ("ai.prompt_version", "ai_reasoning_log", "prompt_version", TXT),
  JSONF ("ai.confidence_score", "ai_reasoning_log", "confidence_score", NUM),
  JSONF ("ai.bull_case", "ai_reasoning_log", "bull_case", TXT),
  JSONF ("ai.bear_case", "ai_reasoning_log", "bear_case", TXT),
  JSONF ("ai.decision_logic", "ai_reasoning_log", "decision_logic", TXT),
  JSONF ("ai.prompt", "ai_reasoning_log", "prompt", TXT),
  JSONF ("ai.raw_output", "ai_reasoning_log", "raw_output", TXT),
  JSONF ("ai.tokens", "ai_reasoning_log", "tokens", ANY),
  JSONF ("ai.latency_ms", "ai_reasoning_log", "latency_ms", NUM),
};

/* Objects whose keys are open (any other keys are kept as they are): a path below one of these
 * that is not in the table reads the key through a bound JSON path. */
typedef struct
{
  const char *prefix;   /* the path up to the open object, with a final "." */
  const char *column;   /* fixed SQL text of the JSON column */
  const char *base;     /* the JSON path of the open object */
} OpenObject;

static const OpenObject open_objects[] = {
  { "ai.", "t.ai_reasoning_log", "$" },
  { "regime.market_internals.", "t.market_regime", "$.market_internals" },
};

static const char *const signal_timeframes = "1m, 5m, 15m, 1h, daily";
static const char *const signal_names = "rsi, macd_hist, ema_9_21_cross, squeeze, trend, "
                                        "dist_from_200sma";

static const Field *
field_lookup (const char *name,
              unsigned    sources)
{
  for (size_t i = 0; i < G_N_ELEMENTS (fields); i++)
    if ((fields[i].sources & sources) && g_str_equal (fields[i].name, name))
      return &fields[i];
  return NULL;
}

const char *
hs_query_type_to_string (HsQueryType type)
{
  switch (type)
    {
    case HS_QUERY_TYPE_NUMBER: return "number";
    case HS_QUERY_TYPE_TEXT: return "text";
    case HS_QUERY_TYPE_TIME: return "time";
    case HS_QUERY_TYPE_LIST: return "list";
    case HS_QUERY_TYPE_ANY: return "any";
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * hs_query_field_list:
 *
 * Returns: (transfer full): the fields a query over @source can read, one per line as
 *   "name<TAB>type", in the documented order, then the open-ended paths
 */
char *
hs_query_field_list (HsQuerySource source)
{
  GString *out = g_string_new (NULL);
  unsigned mask = 1u << source;

  for (size_t i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].sources & mask)
      g_string_append_printf (out, "%s\t%s\n", fields[i].name,
                              hs_query_type_to_string (fields[i].type));
  if (source == HS_QUERY_PAPER_TRADES)
    for (size_t i = 0; i < G_N_ELEMENTS (open_objects); i++)
      g_string_append_printf (out, "%sKEY…\tany\n", open_objects[i].prefix);
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* The compiler */

/* SQL precedence levels of what an operand's text is, to leave out parentheses that change
 * nothing (left-associative chains stay flat, which SQLite's parser reads in constant stack). */
enum
{
  PREC_OR = 1,
  PREC_AND,
  PREC_NOT,
  PREC_CMP,
  PREC_ADD,
  PREC_MUL,
  PREC_NEG,
  PREC_ATOM,
};

typedef struct
{
  HsQuerySource  source;
  HsQueryParams *params;   /* (not owned) */
  const char    *text;     /* the text being compiled, for error columns */
  gboolean       needs_instruments;
  gboolean       needs_runs;
  size_t         error_offset;
} Compiler;

typedef struct
{
  GString    *sql;     /* (owned) */
  HsQueryType type;
  int         prec;
  int         cost;    /* the parser stack the text needs, estimated */
  gboolean    json;    /* a JSON value read straight from a column: guard its comparisons */
  gboolean    literal; /* a bound parameter: never NULL */
  gboolean    column;  /* a field read straight from its column (maybe indexed) */
  const char *list_args;
} Operand;

static void
operand_clear (Operand *o)
{
  if (o->sql != NULL)
    g_string_free (o->sql, TRUE);
  o->sql = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Operand, operand_clear)

static gboolean G_GNUC_PRINTF (4, 5)
fail (Compiler     *c,
      const HsExpr *e,
      GError      **error,
      const char   *format,
      ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  c->error_offset = e->offset;
  g_set_error (error, HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE, "column %d: %s", e->column, msg);
  return FALSE;
}

static gboolean
fail_code (Compiler     *c,
           const HsExpr *e,
           int           code,
           GError      **error,
           const char   *msg)
{
  c->error_offset = e->offset;
  g_set_error (error, HS_QUERY_ERROR, code, "column %d: %s", e->column, msg);
  return FALSE;
}

static gboolean
check_cost (Compiler     *c,
            const HsExpr *e,
            Operand      *o,
            GError      **error)
{
  if (o->cost <= MAX_SQL_STACK)
    return TRUE;
  return fail_code (c, e, HS_QUERY_ERROR_DEPTH, error,
                    "the query nests too deeply here for SQLite's parser (about 30 levels of "
                    "parentheses at most): flatten it, e.g. a and b and c instead of "
                    "a and (b and (c))");
}

static gboolean
is_numeric (HsQueryType t)
{
  return t == HS_QUERY_TYPE_NUMBER || t == HS_QUERY_TYPE_ANY;
}

static const char *
describe_type (HsQueryType t)
{
  switch (t)
    {
    case HS_QUERY_TYPE_NUMBER: return "a number";
    case HS_QUERY_TYPE_TEXT: return "a text";
    case HS_QUERY_TYPE_TIME: return "a time";
    case HS_QUERY_TYPE_LIST: return "a list";
    case HS_QUERY_TYPE_ANY: return "a JSON value";
    default: g_return_val_if_reached ("?");
    }
}

/* For a field the query's table lacks: which tables have it, and how to query those. */
static char *
other_source_message (const char    *name,
                      HsQuerySource  source)
{
  static const char *const tables[] = { "paper trades", "backtest trades", "signals" };
  static const char *const options[] = { "", " (use --backtest)", " (use --signals)" };
  unsigned where = 0;

  for (size_t i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].name, name))
      where |= fields[i].sources;
  if (where == 0)   /* a context path */
    where = SRC_PAPER;
  if (where == SRC_BOTH)
    return g_strdup_printf ("this field exists for paper and backtest trades, not for %s",
                            tables[source]);
  for (unsigned s = 0; s < G_N_ELEMENTS (tables); s++)
    if (where == 1u << s)
      return s == HS_QUERY_PAPER_TRADES
               ? g_strdup_printf ("this field exists for paper trades only, not for %s",
                                  tables[source])
               : g_strdup_printf ("this field exists for %s only%s", tables[s], options[s]);
  return g_strdup_printf ("this field does not exist for %s", tables[source]);
}

/* Resolves a path: a field of the table, an open-ended JSON key, or an error. */
static gboolean
compile_ident (Compiler     *c,
               const HsExpr *e,
               Operand      *out,
               GError      **error)
{
  unsigned mask = 1u << c->source;
  const Field *f = field_lookup (e->text, mask);

  if (f != NULL)
    {
      out->sql = g_string_new (f->sql);
      out->type = f->type;
      out->prec = PREC_ATOM;
      out->cost = (f->flags & F_JSON) ? 5 : 3;
      out->json = (f->flags & F_JSON) != 0;
      out->column = TRUE;
      out->list_args = f->list_args;
      c->needs_instruments |= (f->flags & F_INSTR) != 0;
      c->needs_runs |= (f->flags & F_RUN) != 0;
      return TRUE;
    }
  if (field_lookup (e->text, SRC_ALL & ~mask) != NULL
      || (c->source != HS_QUERY_PAPER_TRADES
          && (g_str_has_prefix (e->text, "signals.") || g_str_has_prefix (e->text, "regime.")
              || g_str_has_prefix (e->text, "book.") || g_str_has_prefix (e->text, "ai."))))
    {
      g_autofree char *msg = other_source_message (e->text, c->source);

      return fail_code (c, e, HS_QUERY_ERROR_UNKNOWN, error, msg);
    }
  if (c->source == HS_QUERY_PAPER_TRADES)
    for (size_t i = 0; i < G_N_ELEMENTS (open_objects); i++)
      {
        const OpenObject *o = &open_objects[i];
        size_t plen = strlen (o->prefix), n_prefix = 0, n_extra;
        g_autoptr(GString) path = NULL;
        Param p = { PARAM_TEXT, 0, 0, NULL };
        gboolean ok = TRUE;

        if (!g_str_has_prefix (e->text, o->prefix) || e->text[plen] == '\0')
          continue;
        for (const char *s = o->prefix; *s; s++)
          n_prefix += *s == '.';
        n_extra = e->n_parts - n_prefix;
        path = g_string_new (o->base);
        /* The parser made every segment a run of ASCII letters, digits and _; check again, since
         * the text goes into a JSON path (bound, but it must mean what it says). */
        for (size_t k = n_prefix; k < e->n_parts; k++)
          {
            const char *seg = e->parts[k];

            if (strlen (seg) == 0 || strlen (seg) > MAX_SEGMENT_LEN)
              ok = FALSE;
            for (const char *s = seg; *s; s++)
              if (!g_ascii_isalnum (*s) && *s != '_')
                ok = FALSE;
            g_string_append_printf (path, ".\"%s\"", seg);
          }
        if (!ok || n_extra == 0 || n_extra > MAX_EXTRA_SEGMENTS)
          return fail_code (c, e, HS_QUERY_ERROR_UNKNOWN, error,
                            "a key below ai. or regime.market_internals. is at most 6 names of "
                            "letters, digits and _ (64 at most each)");
        p.text = path->str;
        out->sql = g_string_new ("json_extract(");
        g_string_append_printf (out->sql, "%s, ", o->column);
        param_add (c->params, out->sql, &p);
        g_string_append_c (out->sql, ')');
        out->type = HS_QUERY_TYPE_ANY;
        out->prec = PREC_ATOM;
        out->cost = 5;
        out->json = TRUE;
        out->column = TRUE;
        return TRUE;
      }
  {
    g_autofree char *msg = NULL;

    if (g_str_has_prefix (e->text, "signals.") && e->n_parts == 3
        && strstr (signal_timeframes, e->parts[1]) != NULL)
      msg = g_strdup_printf ("unknown field “%s”: a signal is one of %s", e->text, signal_names);
    else if (g_str_has_prefix (e->text, "signals."))
      msg = g_strdup_printf ("unknown field “%s”: write signals.TF.NAME with TF one of %s and "
                             "NAME one of %s", e->text, signal_timeframes, signal_names);
    else
      msg = g_strdup_printf ("unknown field “%s” (hindsight-cli query --fields lists them)",
                             e->text);
    return fail_code (c, e, HS_QUERY_ERROR_UNKNOWN, error, msg);
  }
}

static gboolean compile_node (Compiler     *c,
                              const HsExpr *e,
                              Operand      *out,
                              GError      **error);

/* Appends @o's text, in parentheses when its precedence is below @min_prec. Returns the stack
 * the parentheses add. */
static int
append_operand (GString       *sql,
                const Operand *o,
                int            min_prec)
{
  if (o->prec >= min_prec)
    {
      g_string_append_len (sql, o->sql->str, o->sql->len);
      return 0;
    }
  g_string_append_c (sql, '(');
  g_string_append_len (sql, o->sql->str, o->sql->len);
  g_string_append_c (sql, ')');
  return 1;
}

/* A JSON value where a number (or a text) is meant: NULL unless it is one. Texts sort after
 * numbers and '' is the smallest text, so `x < ''` holds for numbers only and `x >= ''` for
 * texts only. */
static void
keep_only (Operand    *o,
           const char *test)
{
  GString *sql;

  if (!o->json)
    return;
  sql = g_string_new ("CASE WHEN ");
  g_string_append_printf (sql, "%s %s THEN %s END", o->sql->str, test, o->sql->str);
  g_string_free (o->sql, TRUE);
  o->sql = sql;
  o->prec = PREC_ATOM;
  o->cost += 5;
  o->json = FALSE;
  o->column = FALSE;
}

static void
as_number (Operand *o)
{
  keep_only (o, "< ''");
  if (o->type == HS_QUERY_TYPE_ANY)
    o->type = HS_QUERY_TYPE_NUMBER;
}

static void
as_text (Operand *o)
{
  keep_only (o, ">= ''");
}

static gboolean
compile_numeric_operand (Compiler     *c,
                         const HsExpr *e,
                         const char   *what,
                         Operand      *out,
                         GError      **error)
{
  if (!compile_node (c, e, out, error))
    return FALSE;
  if (!is_numeric (out->type))
    return fail (c, e, error, "%s needs numbers, found %s", what, describe_type (out->type));
  as_number (out);
  return TRUE;
}

static const char *
sql_op (HsExprOp op)
{
  switch (op)
    {
    case HS_EXPR_OP_ADD: return " + ";
    case HS_EXPR_OP_SUB: return " - ";
    case HS_EXPR_OP_MUL: return " * ";
    case HS_EXPR_OP_DIV: return " * 1.0 / ";   /* real division, also of two integers */
    case HS_EXPR_OP_LT: return " < ";
    case HS_EXPR_OP_LE: return " <= ";
    case HS_EXPR_OP_GT: return " > ";
    case HS_EXPR_OP_GE: return " >= ";
    case HS_EXPR_OP_EQ: return " = ";
    case HS_EXPR_OP_NE: return " <> ";
    case HS_EXPR_OP_AND: return " AND ";
    case HS_EXPR_OP_OR: return " OR ";
    default: g_return_val_if_reached (" ");
    }
}

static HsExprOp
flip (HsExprOp op)
{
  switch (op)
    {
    case HS_EXPR_OP_LT: return HS_EXPR_OP_GT;
    case HS_EXPR_OP_LE: return HS_EXPR_OP_GE;
    case HS_EXPR_OP_GT: return HS_EXPR_OP_LT;
    case HS_EXPR_OP_GE: return HS_EXPR_OP_LE;
    default: return op;
    }
}

/* `tags == "x"`: the list holds the text (!= : it does not). */
static gboolean
compile_contains (Compiler     *c,
                  const HsExpr *e,
                  const Operand *list,
                  const HsExpr *string,
                  Operand      *out,
                  GError      **error)
{
  Param p = { PARAM_TEXT, 0, 0, string->text };

  if (e->op != HS_EXPR_OP_EQ && e->op != HS_EXPR_OP_NE)
    return fail (c, e, error, "a list compares with == (holds) or != (does not hold) only");
  out->sql = g_string_new (e->op == HS_EXPR_OP_EQ ? "EXISTS (" : "NOT EXISTS (");
  g_string_append_printf (out->sql, "SELECT 1 FROM json_each(%s) WHERE value = ", list->list_args);
  param_add (c->params, out->sql, &p);
  g_string_append_c (out->sql, ')');
  out->type = HS_QUERY_TYPE_NUMBER;
  out->prec = e->op == HS_EXPR_OP_EQ ? PREC_ATOM : PREC_NOT;   /* NOT binds loosely in SQL */
  out->cost = 16;
  return TRUE;
}

/* `entry_time > "2024-03-01"`: the text is read as a time (UTC unless it says otherwise). */
static gboolean
compile_time_literal (Compiler     *c,
                      const HsExpr *string,
                      Operand      *out,
                      GError      **error)
{
  g_autoptr(GError) local = NULL;
  Param p = { PARAM_INT, 0, 0, NULL };

  if (!hs_time_parse (string->text, NULL, &p.integer, &local))
    return fail (c, string, error, "a time is compared with a time like “2024-03-04” or "
                 "“2024-03-04T14:35:00Z”: %s", local->message);
  out->sql = g_string_new (NULL);
  param_add (c->params, out->sql, &p);
  out->type = HS_QUERY_TYPE_TIME;
  out->prec = PREC_ATOM;
  out->cost = 1;
  out->literal = TRUE;
  return TRUE;
}

static gboolean
compile_compare (Compiler     *c,
                 const HsExpr *e,
                 Operand      *out,
                 GError      **error)
{
  g_auto(Operand) a = { NULL };
  g_auto(Operand) b = { NULL };
  const HsExpr *ea = e->args[0], *eb = e->args[1];
  gboolean ordered = e->op != HS_EXPR_OP_EQ && e->op != HS_EXPR_OP_NE;
  g_autoptr(GString) guard = NULL;
  int ca, cb;

  if (!compile_node (c, ea, &a, error))
    return FALSE;
  /* A time or a list against a string literal reads the literal as a time or a list element. */
  if (eb->kind == HS_EXPR_STRING && a.type == HS_QUERY_TYPE_TIME)
    {
      if (!compile_time_literal (c, eb, &b, error))
        return FALSE;
    }
  else if (eb->kind == HS_EXPR_STRING && a.type == HS_QUERY_TYPE_LIST)
    return compile_contains (c, e, &a, eb, out, error);
  else if (!compile_node (c, eb, &b, error))
    return FALSE;
  else if (ea->kind == HS_EXPR_STRING && b.type == HS_QUERY_TYPE_TIME)
    {
      operand_clear (&a);
      if (!compile_time_literal (c, ea, &a, error))
        return FALSE;
    }
  else if (ea->kind == HS_EXPR_STRING && b.type == HS_QUERY_TYPE_LIST)
    return compile_contains (c, e, &b, ea, out, error);

  if (a.type == HS_QUERY_TYPE_LIST || b.type == HS_QUERY_TYPE_LIST)
    return fail (c, e, error, "a list compares with a string only: tags == \"breakout\"");
  if ((a.type == HS_QUERY_TYPE_TIME) != (b.type == HS_QUERY_TYPE_TIME))
    return fail (c, e, error, "cannot compare %s with %s (a time compares with a time or a text "
                 "like “2024-03-04T14:35:00Z”)", describe_type (a.type), describe_type (b.type));
  if ((a.type == HS_QUERY_TYPE_NUMBER && b.type == HS_QUERY_TYPE_TEXT)
      || (a.type == HS_QUERY_TYPE_TEXT && b.type == HS_QUERY_TYPE_NUMBER))
    return fail (c, e, error, "cannot compare %s with %s", describe_type (a.type),
                 describe_type (b.type));

  /* A JSON value of the other kind (a text against a number, a number against a text) is
   * neither equal to nor ordered against the other side; SQLite would order every text after
   * every number. Against a literal (never NULL) a bound on '' excludes it, which is one more
   * bound on the same index range: NULL < numbers < texts in SQLite and '' is the least text.
   * Against anything else, hs_lt() & co. compare like with like. */
  if (ordered && ((a.column && b.literal) || (a.literal && b.column))
      && a.type != HS_QUERY_TYPE_TIME)
    {
      const Operand *j = a.column ? &a : &b, *o = a.column ? &b : &a;
      HsExprOp op = a.column ? e->op : flip (e->op);

      const char *bound = NULL;

      if (o->type == HS_QUERY_TYPE_TEXT && (op == HS_EXPR_OP_LT || op == HS_EXPR_OP_LE))
        bound = " >= ''";
      else if (o->type != HS_QUERY_TYPE_TEXT && (op == HS_EXPR_OP_GT || op == HS_EXPR_OP_GE))
        bound = " < ''";
      /* Not needed for the result (a text is never below a number), but a range bounded on
       * both sides is what SQLite's planner, without statistics, answers from the index rather
       * than by walking the trades in entry-time order. The same bounds go on plain columns,
       * which are indexed too. */
      else if (o->type != HS_QUERY_TYPE_TEXT && (op == HS_EXPR_OP_LT || op == HS_EXPR_OP_LE))
        bound = " >= -9e999";
      if (bound != NULL)
        {
          guard = g_string_new (j->sql->str);
          g_string_append (guard, bound);
        }
    }
  else if (ordered && (a.json || b.json))
    {
      const char *fn = e->op == HS_EXPR_OP_LT ? "hs_lt(" : e->op == HS_EXPR_OP_LE ? "hs_le("
                       : e->op == HS_EXPR_OP_GT ? "hs_gt(" : "hs_ge(";

      out->sql = g_string_new (fn);
      g_string_append_printf (out->sql, "%s, %s)", a.sql->str, b.sql->str);
      out->prec = PREC_ATOM;
      out->cost = MAX (3 + a.cost, 5 + b.cost);
      out->type = HS_QUERY_TYPE_NUMBER;
      return check_cost (c, e, out, error);
    }

  out->sql = g_string_new (guard != NULL ? "(" : NULL);
  ca = append_operand (out->sql, &a, PREC_ADD);
  g_string_append (out->sql, sql_op (e->op));
  cb = append_operand (out->sql, &b, PREC_ADD);
  out->cost = MAX (a.cost + ca, 2 + cb + b.cost);
  if (guard != NULL)
    {
      g_string_append_printf (out->sql, " AND %s)", guard->str);
      out->cost = 1 + MAX (out->cost, 2 + 2 + MAX (a.cost, b.cost));
      out->prec = PREC_ATOM;
    }
  else
    out->prec = PREC_CMP;
  out->type = HS_QUERY_TYPE_NUMBER;
  return check_cost (c, e, out, error);
}

static gboolean
compile_binary (Compiler     *c,
                const HsExpr *e,
                Operand      *out,
                GError      **error)
{
  g_auto(Operand) a = { NULL };
  g_auto(Operand) b = { NULL };
  int prec, ca, cb;
  const char *what;

  switch (e->op)
    {
    case HS_EXPR_OP_LT:
    case HS_EXPR_OP_LE:
    case HS_EXPR_OP_GT:
    case HS_EXPR_OP_GE:
    case HS_EXPR_OP_EQ:
    case HS_EXPR_OP_NE:
      return compile_compare (c, e, out, error);
    case HS_EXPR_OP_AND:
      prec = PREC_AND, what = "and";
      break;
    case HS_EXPR_OP_OR:
      prec = PREC_OR, what = "or";
      break;
    case HS_EXPR_OP_ADD:
    case HS_EXPR_OP_SUB:
      prec = PREC_ADD, what = hs_expr_op_to_string (e->op);
      break;
    case HS_EXPR_OP_MUL:
    case HS_EXPR_OP_DIV:
    case HS_EXPR_OP_MOD:
      prec = PREC_MUL, what = hs_expr_op_to_string (e->op);
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  if (!compile_numeric_operand (c, e->args[0], what, &a, error)
      || !compile_numeric_operand (c, e->args[1], what, &b, error))
    return FALSE;
  out->type = HS_QUERY_TYPE_NUMBER;
  if (e->op == HS_EXPR_OP_MOD)
    {
      /* Python's modulo (the sign of the divisor), as the evaluator has it; SQLite's % would
       * truncate both sides to integers first. */
      out->sql = g_string_new ("hs_mod(");
      g_string_append_len (out->sql, a.sql->str, a.sql->len);
      g_string_append (out->sql, ", ");
      g_string_append_len (out->sql, b.sql->str, b.sql->len);
      g_string_append_c (out->sql, ')');
      out->prec = PREC_ATOM;
      out->cost = MAX (3 + a.cost, 5 + b.cost);
      return check_cost (c, e, out, error);
    }
  /* The left operand of a left-associative chain needs no parentheses; the right one does
   * unless it binds tighter. */
  out->sql = g_string_new (NULL);
  ca = append_operand (out->sql, &a, prec);
  g_string_append (out->sql, sql_op (e->op));
  cb = append_operand (out->sql, &b, prec + 1);
  out->prec = prec;
  out->cost = MAX (a.cost + ca, 2 + cb + b.cost);
  return check_cost (c, e, out, error);
}

static gboolean
compile_unary (Compiler     *c,
               const HsExpr *e,
               Operand      *out,
               GError      **error)
{
  g_auto(Operand) a = { NULL };
  gboolean is_not = e->op == HS_EXPR_OP_NOT;
  int ca;

  if (!compile_numeric_operand (c, e->args[0], is_not ? "not" : "-", &a, error))
    return FALSE;
  /* "-(" always: two minus signs in a row would start an SQL comment. */
  out->sql = g_string_new (is_not ? "NOT " : "-");
  if (is_not)
    ca = append_operand (out->sql, &a, PREC_CMP);
  else
    {
      g_string_append_c (out->sql, '(');
      g_string_append_len (out->sql, a.sql->str, a.sql->len);
      g_string_append_c (out->sql, ')');
      ca = 1;
    }
  out->type = HS_QUERY_TYPE_NUMBER;
  out->prec = is_not ? PREC_NOT : PREC_NEG;
  out->cost = 1 + ca + a.cost;
  return check_cost (c, e, out, error);
}

static gboolean
compile_node (Compiler     *c,
              const HsExpr *e,
              Operand      *out,
              GError      **error)
{
  Param p = { PARAM_REAL, 0, 0, NULL };

  memset (out, 0, sizeof *out);
  switch (e->kind)
    {
    case HS_EXPR_NUMBER:
      p.real = e->number;
      out->sql = g_string_new (NULL);
      param_add (c->params, out->sql, &p);
      out->type = HS_QUERY_TYPE_NUMBER;
      out->prec = PREC_ATOM;
      out->cost = 1;
      out->literal = TRUE;
      break;
    case HS_EXPR_STRING:
      p.kind = PARAM_TEXT;
      p.text = e->text;
      out->sql = g_string_new (NULL);
      param_add (c->params, out->sql, &p);
      out->type = HS_QUERY_TYPE_TEXT;
      out->prec = PREC_ATOM;
      out->cost = 1;
      out->literal = TRUE;
      break;
    case HS_EXPR_IDENT:
      if (!compile_ident (c, e, out, error))
        return FALSE;
      break;
    case HS_EXPR_CALL:
      return fail_code (c, e, HS_QUERY_ERROR_UNKNOWN, error,
                        "a training query has fields, not functions: write a field name such "
                        "as signals.5m.rsi");
    case HS_EXPR_UNARY:
      if (!compile_unary (c, e, out, error))
        return FALSE;
      break;
    case HS_EXPR_BINARY:
      if (!compile_binary (c, e, out, error))
        return FALSE;
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  if (c->params->items->len > MAX_PARAMS - RESERVED_PARAMS)
    return fail_code (c, e, HS_QUERY_ERROR_USAGE, error,
                      "too many numbers and texts in one query (32766 at most)");
  return TRUE;
}

/* Parses @text and compiles it; positions of errors are offsets into @text. */
static gboolean
compile_text (Compiler   *c,
              const char *text,
              Operand    *out,
              HsExpr    **tree,
              GError    **error)
{
  g_autoptr(HsExpr) e = NULL;

  c->text = text;
  e = hs_expr_parse (text, &c->error_offset, error);
  if (e == NULL || !compile_node (c, e, out, error))
    return FALSE;
  if (tree != NULL)
    *tree = g_steal_pointer (&e);
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* The filter as a condition: a number (non-zero is true) or a comparison. */
static gboolean
compile_condition (Compiler   *c,
                   const char *filter,
                   GString    *sql,
                   GError    **error)
{
  g_auto(Operand) o = { NULL };
  g_autoptr(HsExpr) tree = NULL;

  if (is_blank (filter))
    {
      g_string_append (sql, "1");
      return TRUE;
    }
  if (!compile_text (c, filter, &o, &tree, error))
    return FALSE;
  if (!is_numeric (o.type))
    return fail (c, tree, error, "a filter is a condition such as signals.5m.rsi > 70, found %s",
                 describe_type (o.type));
  as_number (&o);
  g_string_append_len (sql, o.sql->str, o.sql->len);
  return TRUE;
}

gboolean
hs_query_compile_filter (HsQuerySource  source,
                         const char    *filter,
                         GString       *sql,
                         HsQueryParams *params,
                         gboolean      *needs_instruments,
                         gboolean      *needs_runs,
                         size_t        *error_offset,
                         GError       **error)
{
  Compiler c = { source, params, NULL, FALSE, FALSE, 0 };

  if (!compile_condition (&c, filter, sql, error))
    {
      if (error_offset != NULL)
        *error_offset = c.error_offset;
      return FALSE;
    }
  *needs_instruments |= c.needs_instruments;
  *needs_runs |= c.needs_runs;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Whole queries */

typedef struct
{
  char       *name;   /* (owned) */
  HsQueryType type;
} Column;

struct _HsQuery
{
  HsQuerySource  source;
  char          *sql;      /* (owned) */
  HsQueryParams *params;   /* (owned) */
  GArray        *columns;  /* (owned) Column */
};

static void
column_clear (gpointer data)
{
  g_free (((Column *) data)->name);
}

void
hs_query_free (HsQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->sql);
  hs_query_params_free (query->params);
  g_array_unref (query->columns);
  g_free (query);
}

static void
add_column (HsQuery    *q,
            char       *name,
            HsQueryType type)
{
  Column col = { name, type };

  g_array_append_val (q->columns, col);
}

static const char *const default_paper[] = {
  "id", "symbol", "side", "entry_time", "entry_price", "exit_time", "exit_price", "pnl_pct",
  NULL
};
static const char *const default_signals[] = {
  "id", "time", "symbol", "strategy", "setup", "signal_type", "confidence", "status", NULL
};
static const char *const default_backtest[] = {
  "id", "run_id", "symbol", "side", "entry_time", "entry_price", "exit_time", "exit_price",
  "pnl_pct", NULL
};

typedef enum
{
  AGG_COUNT,
  AGG_AVG,
  AGG_MEDIAN,
  AGG_MIN,
  AGG_MAX,
} AggKind;

static const char *const agg_names[] = { "count", "avg", "median", "min", "max" };
static const char *const agg_sql[] = { "count", "avg", "hs_median", "min", "max" };

/* One aggregate: "count", or "NAME:EXPR". */
static gboolean
compile_aggregate (Compiler   *c,
                   HsQuery    *q,
                   const char *spec,
                   GString    *sql,
                   GError    **error)
{
  const char *colon = strchr (spec, ':');
  g_autofree char *name = g_strndup (spec, colon ? (size_t) (colon - spec) : strlen (spec));
  g_auto(Operand) o = { NULL };
  g_autoptr(HsExpr) tree = NULL;
  g_autofree char *canonical = NULL;
  int kind = -1;

  g_strstrip (name);
  for (size_t i = 0; i < G_N_ELEMENTS (agg_names); i++)
    if (g_str_equal (name, agg_names[i]))
      kind = (int) i;
  c->text = spec;
  c->error_offset = 0;
  if (kind < 0 || (kind != AGG_COUNT && (colon == NULL || is_blank (colon + 1))))
    {
      g_set_error (error, HS_QUERY_ERROR, HS_QUERY_ERROR_USAGE,
                   "column 1: an aggregate is count, count:FIELD, avg:FIELD, median:FIELD, "
                   "min:FIELD or max:FIELD, found “%s”", spec);
      return FALSE;
    }
  if (kind == AGG_COUNT && (colon == NULL || is_blank (colon + 1)))
    {
      g_string_append (sql, "count(*)");
      add_column (q, g_strdup ("count"), HS_QUERY_TYPE_NUMBER);
      return TRUE;
    }
  /* Errors point into the text after the colon. */
  if (!compile_text (c, colon + 1, &o, &tree, error))
    return FALSE;
  if (o.type == HS_QUERY_TYPE_LIST)
    return fail (c, tree, error, "%s of a list means nothing: aggregate a number", name);
  if ((kind == AGG_AVG || kind == AGG_MEDIAN) && !is_numeric (o.type))
    return fail (c, tree, error, "%s needs numbers, found %s", name, describe_type (o.type));
  canonical = hs_expr_print (tree);
  if (kind == AGG_AVG || kind == AGG_MEDIAN
      || ((kind == AGG_MIN || kind == AGG_MAX) && o.type == HS_QUERY_TYPE_NUMBER))
    as_number (&o);
  else if ((kind == AGG_MIN || kind == AGG_MAX) && o.type == HS_QUERY_TYPE_TEXT)
    as_text (&o);
  g_string_append_printf (sql, "%s(%s)", agg_sql[kind], o.sql->str);
  add_column (q, g_strdup_printf ("%s(%s)", name, canonical),
              kind == AGG_MIN || kind == AGG_MAX ? o.type : HS_QUERY_TYPE_NUMBER);
  return TRUE;
}

/* Compiles one select expression (or the group key) into @sql and a column. */
static gboolean
compile_value (Compiler   *c,
               HsQuery    *q,
               const char *text,
               GString    *sql,
               GError    **error)
{
  g_auto(Operand) o = { NULL };
  g_autoptr(HsExpr) tree = NULL;

  if (is_blank (text))
    {
      c->text = text != NULL ? text : "";
      c->error_offset = 0;
      g_set_error (error, HS_QUERY_ERROR, HS_QUERY_ERROR_USAGE,
                   "column 1: expected a field, found nothing");
      return FALSE;
    }
  if (!compile_text (c, text, &o, &tree, error))
    return FALSE;
  g_string_append_len (sql, o.sql->str, o.sql->len);
  add_column (q, hs_expr_print (tree), o.type);
  return TRUE;
}

static void
append_from (GString      *sql,
             HsQuerySource source,
             gboolean      instruments,
             gboolean      runs)
{
  g_string_append (sql, source == HS_QUERY_PAPER_TRADES ? " FROM paper_trades AS t"
                       : source == HS_QUERY_SIGNALS ? " FROM signals AS t"
                       : " FROM backtest_trades AS t");
  if (runs)
    g_string_append (sql, " JOIN backtest_runs AS r ON r.id = t.run_id");
  if (instruments)
    g_string_append (sql, " LEFT JOIN instruments AS i ON i.id = t.instrument_id");
}

/**
 * hs_query_compile:
 * @request: what to query
 * @error_text: (out) (optional) (transfer none): on an error, the text of @request it is in
 * @error_offset: (out) (optional): on an error, its byte offset in *@error_text
 *
 * Compiles @request into one SELECT over the source table, in the order the trades were
 * recorded (id; aggregates by group key). Nothing of the request's text is pasted into the SQL.
 *
 * Returns: (transfer full): the query, or %NULL with @error set: %HS_EXPR_ERROR when a text does
 *   not parse, %HS_QUERY_ERROR otherwise; every message starts with "column N: "
 */
HsQuery *
hs_query_compile (const HsQueryRequest *request,
                  const char          **error_text,
                  size_t               *error_offset,
                  GError              **error)
{
  g_autoptr(HsQuery) q = g_new0 (HsQuery, 1);
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(GString) where = g_string_new (NULL);
  const char *const *select = request->select;
  gboolean grouped = request->group_by != NULL;
  gboolean aggregated = request->aggregates != NULL && request->aggregates[0] != NULL;
  Compiler c = { request->source, NULL, NULL, FALSE, FALSE, 0 };
  gboolean ok = TRUE, select_instruments, select_runs;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (request->source == HS_QUERY_PAPER_TRADES
                        || request->source == HS_QUERY_BACKTEST_TRADES
                        || request->source == HS_QUERY_SIGNALS, NULL);

  q->source = request->source;
  q->params = hs_query_params_new ();
  q->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (q->columns, column_clear);
  c.params = q->params;

  if (grouped && !aggregated)
    {
      c.text = request->group_by;
      g_set_error (error, HS_QUERY_ERROR, HS_QUERY_ERROR_USAGE,
                   "column 1: --group-by needs an aggregate (--agg count, --agg avg:FIELD, …)");
      ok = FALSE;
    }
  else if (aggregated && select != NULL && select[0] != NULL)
    {
      c.text = select[0];
      g_set_error (error, HS_QUERY_ERROR, HS_QUERY_ERROR_USAGE,
                   "column 1: --select and --agg do not go together: the aggregates are the "
                   "columns (with the --group-by key first)");
      ok = FALSE;
    }
  else if (aggregated)
    {
      if (grouped)
        {
          ok = compile_value (&c, q, request->group_by, sql, error);
          if (ok && g_array_index (q->columns, Column, 0).type == HS_QUERY_TYPE_LIST)
            {
              c.error_offset = 0;
              g_set_error (error, HS_QUERY_ERROR, HS_QUERY_ERROR_TYPE,
                           "column 1: cannot group by a list");
              ok = FALSE;
            }
        }
      for (size_t i = 0; ok && request->aggregates[i] != NULL; i++)
        {
          if (i > 0 || grouped)
            g_string_append (sql, ", ");
          ok = compile_aggregate (&c, q, request->aggregates[i], sql, error);
        }
    }
  else
    {
      if (select == NULL || select[0] == NULL)
        select = request->source == HS_QUERY_PAPER_TRADES ? default_paper
                 : request->source == HS_QUERY_SIGNALS ? default_signals : default_backtest;
      for (size_t i = 0; ok && select[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (sql, ", ");
          ok = compile_value (&c, q, select[i], sql, error);
        }
    }
  select_instruments = c.needs_instruments;
  select_runs = c.needs_runs;
  c.needs_instruments = c.needs_runs = FALSE;
  if (ok)
    ok = compile_condition (&c, request->filter, where, error);
  if (!ok)
    {
      if (error_text != NULL)
        *error_text = c.text;
      if (error_offset != NULL)
        *error_offset = c.error_offset;
      return NULL;
    }

  append_from (sql, request->source, select_instruments || c.needs_instruments,
               select_runs || c.needs_runs);
  g_string_append (sql, " WHERE ");
  if (!aggregated && request->limit > 0)
    {
      /* The first N ids are found first, from the filter's index alone, and only their rows
       * are read: SQLite would otherwise read every matching row to sort it. */
      Param p = { PARAM_INT, 0, request->limit, NULL };

      g_string_append (sql, "t.id IN (SELECT t.id");
      append_from (sql, request->source, c.needs_instruments, c.needs_runs);
      g_string_append (sql, " WHERE ");
      g_string_append_len (sql, where->str, where->len);
      g_string_append (sql, " ORDER BY t.id LIMIT ");
      param_add (q->params, sql, &p);
      g_string_append (sql, ") ORDER BY t.id");
    }
  else
    {
      g_string_append_len (sql, where->str, where->len);
      if (grouped)
        g_string_append (sql, " GROUP BY 1 ORDER BY 1");
      else if (!aggregated)
        g_string_append (sql, " ORDER BY t.id");
      if (request->limit > 0)
        {
          Param p = { PARAM_INT, 0, request->limit, NULL };

          g_string_append (sql, " LIMIT ");
          param_add (q->params, sql, &p);
        }
    }
  q->sql = g_string_free (g_steal_pointer (&sql), FALSE);
  return g_steal_pointer (&q);
}

size_t
hs_query_get_n_columns (const HsQuery *query)
{
  return query->columns->len;
}

const char *
hs_query_get_column_name (const HsQuery *query,
                          size_t         i)
{
  g_return_val_if_fail (i < query->columns->len, NULL);
  return g_array_index (query->columns, Column, i).name;
}

HsQueryType
hs_query_get_column_type (const HsQuery *query,
                          size_t         i)
{
  g_return_val_if_fail (i < query->columns->len, HS_QUERY_TYPE_ANY);
  return g_array_index (query->columns, Column, i).type;
}

/* Returns: (transfer none): the SQL text, with ?N for every parameter */
const char *
hs_query_get_sql (const HsQuery *query)
{
  return query->sql;
}

size_t
hs_query_get_n_params (const HsQuery *query)
{
  return query->params->items->len;
}

/* Returns: (transfer full): parameter @i (0-based) as "?N = value", for --explain */
char *
hs_query_describe_param (const HsQuery *query,
                         size_t         i)
{
  const Param *p;
  char buf[32];

  g_return_val_if_fail (i < query->params->items->len, NULL);
  p = &g_array_index (query->params->items, Param, i);
  switch (p->kind)
    {
    case PARAM_REAL:
      hs_format_double (p->real, buf);
      return g_strdup_printf ("?%zu = %s", i + 1, buf);
    case PARAM_INT:
      return g_strdup_printf ("?%zu = %" G_GINT64_FORMAT, i + 1, p->integer);
    case PARAM_TEXT:
      {
        g_autofree char *escaped = g_strescape (p->text, NULL);

        return g_strdup_printf ("?%zu = \"%s\"", i + 1, escaped);
      }
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* SQL functions and running */

/* hs_mod(a, b): Python's modulo of two numbers, NULL when either is not a number or b is 0. */
static void
sql_mod (sqlite3_context *ctx,
         int              argc,
         sqlite3_value  **argv)
{
  double a, b, r;

  g_assert (argc == 2);
  for (int i = 0; i < 2; i++)
    {
      int t = sqlite3_value_type (argv[i]);

      if (t != SQLITE_INTEGER && t != SQLITE_FLOAT)
        {
          sqlite3_result_null (ctx);
          return;
        }
    }
  a = sqlite3_value_double (argv[0]);
  b = sqlite3_value_double (argv[1]);
  if (b == 0)
    {
      sqlite3_result_null (ctx);
      return;
    }
  r = fmod (a, b);
  if (r != 0 && ((r < 0) != (b < 0)))
    r += b;
  sqlite3_result_double (ctx, r);
}

/* hs_lt(a, b), hs_le, hs_gt, hs_ge: a comparison of like with like. NULL when either is NULL;
 * false for a number against a text; else numbers by value and texts byte by byte (SQLite's
 * BINARY collation). */
static int
value_class (sqlite3_value *v)
{
  switch (sqlite3_value_type (v))
    {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      return 1;
    case SQLITE_TEXT:
      return 2;
    case SQLITE_NULL:
      return 0;
    default:
      return 3;
    }
}

static void
sql_compare (sqlite3_context *ctx,
             int              argc,
             sqlite3_value  **argv)
{
  int op = GPOINTER_TO_INT (sqlite3_user_data (ctx));
  int ka = value_class (argv[0]), kb = value_class (argv[1]), c;

  g_assert (argc == 2);
  if (ka == 0 || kb == 0)
    {
      sqlite3_result_null (ctx);
      return;
    }
  if (ka != kb || ka == 3)
    {
      sqlite3_result_int (ctx, 0);
      return;
    }
  if (ka == 1)
    {
      /* Two integers compare exactly; otherwise as doubles, as SQLite does. */
      if (sqlite3_value_type (argv[0]) == SQLITE_INTEGER
          && sqlite3_value_type (argv[1]) == SQLITE_INTEGER)
        {
          sqlite3_int64 x = sqlite3_value_int64 (argv[0]), y = sqlite3_value_int64 (argv[1]);

          c = (x > y) - (x < y);
        }
      else
        {
          double x = sqlite3_value_double (argv[0]), y = sqlite3_value_double (argv[1]);

          c = (x > y) - (x < y);
        }
    }
  else
    {
      const unsigned char *x = sqlite3_value_text (argv[0]), *y = sqlite3_value_text (argv[1]);
      int nx = sqlite3_value_bytes (argv[0]), ny = sqlite3_value_bytes (argv[1]);

      c = memcmp (x, y, (size_t) MIN (nx, ny));
      if (c == 0)
        c = nx - ny;
      c = (c > 0) - (c < 0);
    }
  switch (op)
    {
    case HS_EXPR_OP_LT: sqlite3_result_int (ctx, c < 0); break;
    case HS_EXPR_OP_LE: sqlite3_result_int (ctx, c <= 0); break;
    case HS_EXPR_OP_GT: sqlite3_result_int (ctx, c > 0); break;
    default: sqlite3_result_int (ctx, c >= 0); break;
    }
}

/* hs_median(x): the median of the numbers among x (the mean of the two middle ones for an even
 * count), NULL when there are none. Keeps the group's values (8 bytes each) and sorts them. */
static void
median_step (sqlite3_context *ctx,
             int              argc,
             sqlite3_value  **argv)
{
  GArray **values = sqlite3_aggregate_context (ctx, sizeof (GArray *));
  int t = sqlite3_value_type (argv[0]);
  double v;

  g_assert (argc == 1);
  if (values == NULL)
    {
      sqlite3_result_error_nomem (ctx);
      return;
    }
  if (t != SQLITE_INTEGER && t != SQLITE_FLOAT)
    return;
  if (*values == NULL)
    *values = g_array_new (FALSE, FALSE, sizeof (double));
  v = sqlite3_value_double (argv[0]);
  g_array_append_val (*values, v);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
median_final (sqlite3_context *ctx)
{
  GArray **values = sqlite3_aggregate_context (ctx, 0);
  GArray *v;
  size_t n;

  if (values == NULL || *values == NULL)
    {
      sqlite3_result_null (ctx);
      return;
    }
  v = *values;
  n = v->len;
  qsort (v->data, n, sizeof (double), compare_doubles);
  if (n % 2 == 1)
    sqlite3_result_double (ctx, g_array_index (v, double, n / 2));
  else
    sqlite3_result_double (ctx, (g_array_index (v, double, n / 2 - 1)
                                 + g_array_index (v, double, n / 2)) / 2);
  g_array_unref (v);
  *values = NULL;
}

static const struct
{
  const char *name;
  HsExprOp    op;
} compare_functions[] = {
  { "hs_lt", HS_EXPR_OP_LT },
  { "hs_le", HS_EXPR_OP_LE },
  { "hs_gt", HS_EXPR_OP_GT },
  { "hs_ge", HS_EXPR_OP_GE },
};

/* Registers the functions once per connection (hs_median last, so that finding it means all
 * are there). */
static gboolean
register_functions (HsStore *store,
                    GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT 1 FROM pragma_function_list "
                                                    "WHERE name = 'hs_median'", error);
  sqlite3 *db = hs_store_get_db (store);
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "listing SQL functions");
  sqlite3_reset (stmt);
  rc = sqlite3_create_function_v2 (db, "hs_mod", 2, flags, NULL, sql_mod, NULL, NULL, NULL);
  for (size_t i = 0; i < G_N_ELEMENTS (compare_functions) && rc == SQLITE_OK; i++)
    rc = sqlite3_create_function_v2 (db, compare_functions[i].name, 2, flags,
                                     GINT_TO_POINTER (compare_functions[i].op), sql_compare,
                                     NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2 (db, "hs_median", 1, flags, NULL, NULL, median_step,
                                     median_final, NULL);
  if (rc != SQLITE_OK)
    return hs_store_set_error (store, rc, error, "registering the query functions");
  return TRUE;
}

sqlite3_stmt *
hs_query_prepare (HsStore    *store,
                  const char *sql,
                  GError    **error)
{
  sqlite3 *db = hs_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  const char *tail = NULL;
  int rc;

  if (!register_functions (store, error))
    return NULL;
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, &tail);
  if (rc != SQLITE_OK)
    {
      if (strstr (sqlite3_errmsg (db), "stack") != NULL)
        g_set_error (error, HS_QUERY_ERROR, HS_QUERY_ERROR_DEPTH,
                     "column 1: the query nests too deeply for SQLite's parser");
      else
        hs_store_set_error (store, rc, error, "preparing the query");
      sqlite3_finalize (stmt);
      return NULL;
    }
  /* Both hold by construction; they are checked anyway, as the last line of defence. */
  while (tail != NULL && g_ascii_isspace (*tail))
    tail++;
  if (stmt == NULL || (tail != NULL && *tail != '\0') || !sqlite3_stmt_readonly (stmt))
    {
      sqlite3_finalize (stmt);
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_FAILED,
                   "a compiled query must be one read-only statement");
      return NULL;
    }
  return stmt;
}

static void
read_cells (sqlite3_stmt *stmt,
            HsQueryCell  *cells,
            size_t        n)
{
  for (size_t i = 0; i < n; i++)
    {
      HsQueryCell *cell = &cells[i];

      memset (cell, 0, sizeof *cell);
      switch (sqlite3_column_type (stmt, (int) i))
        {
        case SQLITE_INTEGER:
          cell->kind = HS_QUERY_CELL_INTEGER;
          cell->integer = sqlite3_column_int64 (stmt, (int) i);
          cell->real = (double) cell->integer;
          break;
        case SQLITE_FLOAT:
          cell->kind = HS_QUERY_CELL_REAL;
          cell->real = sqlite3_column_double (stmt, (int) i);
          break;
        case SQLITE_TEXT:
        case SQLITE_BLOB:
          cell->kind = HS_QUERY_CELL_TEXT;
          cell->text = (const char *) sqlite3_column_text (stmt, (int) i);
          if (cell->text == NULL)
            cell->text = "";
          break;
        default:
          cell->kind = HS_QUERY_CELL_NULL;
          cell->real = NAN;
          break;
        }
    }
}

/**
 * hs_store_query_run:
 * @func: called with each row's cells, in order
 * @cancellable: (nullable): checked every 1024 rows
 *
 * Runs @query, handing the rows to @func one at a time (nothing is kept).
 *
 * Returns: %FALSE with @error set when the query fails, @func returns %FALSE (its error), or
 *   @cancellable is cancelled (%G_IO_ERROR_CANCELLED)
 */
gboolean
hs_store_query_run (HsStore        *store,
                    const HsQuery  *query,
                    HsQueryRowFunc  func,
                    gpointer        user_data,
                    GCancellable   *cancellable,
                    GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  size_t n = query->columns->len, rows = 0;
  g_autofree HsQueryCell *cells = g_new0 (HsQueryCell, MAX (n, 1));
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (store != NULL && query != NULL && func != NULL, FALSE);

  stmt = hs_query_prepare (store, query->sql, error);
  if (stmt == NULL)
    return FALSE;
  g_assert ((size_t) sqlite3_column_count (stmt) == n);
  if (!hs_query_params_bind (query->params, stmt, error))
    {
      sqlite3_finalize (stmt);
      return FALSE;
    }
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (++rows % 1024 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      read_cells (stmt, cells, n);
      ok = func (cells, n, user_data, error);
    }
  if (ok && rc != SQLITE_DONE)
    ok = hs_store_set_error (store, rc, error, "running the query");
  sqlite3_finalize (stmt);
  return ok;
}

/**
 * hs_store_query_explain:
 *
 * Returns: (transfer full): SQLite's plan for @query (EXPLAIN QUERY PLAN), one step per line
 *   indented by its depth, or %NULL with @error set
 */
char *
hs_store_query_explain (HsStore       *store,
                        const HsQuery *query,
                        GError       **error)
{
  g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", query->sql, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GHashTable) depth = g_hash_table_new (NULL, NULL);
  sqlite3_stmt *stmt = hs_query_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (!hs_query_params_bind (query->params, stmt, error))
    {
      sqlite3_finalize (stmt);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int id = sqlite3_column_int (stmt, 0), parent = sqlite3_column_int (stmt, 1);
      int d = GPOINTER_TO_INT (g_hash_table_lookup (depth, GINT_TO_POINTER (parent)));

      g_hash_table_insert (depth, GINT_TO_POINTER (id), GINT_TO_POINTER (d + 1));
      for (int k = 0; k < d; k++)
        g_string_append (out, "  ");
      g_string_append_printf (out, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "explaining the query");
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
