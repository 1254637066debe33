/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The signal ledger's JSON Lines records (docs/ledger.md): one object per line with a "type"
 * (signal, veto, order, fill, account, risk_day) and that record's fields. Every line comes
 * from a trading bot and is untrusted: each field is checked for its type and range here, and
 * an error names the field ("qty: must be greater than 0, not -3"); the importer adds FILE:LINE.
 * Members this reader does not know are ignored, so a bot may send more than we store. Load:
 * a bot's day is thousands of lines, read once; nothing here is on a hot path.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-ledger-json.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-json-records.h"
#include "hs-records.h"

static const char * const kind_names[] = { "signal", "veto", "order", "fill", "account",
                                           "risk_day", NULL };

static gboolean G_GNUC_PRINTF (3, 4)
field_error (GError    **error,
             const char *name,
             const char *format,
             ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE, "%s: %s", name, msg);
  return FALSE;
}

/* The member, or NULL when it is absent or JSON null. */
static JsonNode *
member (JsonObject *o,
        const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ? NULL : node;
}

static gboolean
get_string (JsonObject *o,
            const char *name,
            gboolean    required,
            size_t      max_len,
            char      **out,
            GError    **error)
{
  JsonNode *node = member (o, name);
  const char *s;

  *out = NULL;
  if (node == NULL)
    return !required || field_error (error, name, "missing");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return field_error (error, name, "must be a string");
  s = json_node_get_string (node);
  if (s[0] == '\0' || strlen (s) > max_len)
    return field_error (error, name, "must be 1 to %zu bytes long", max_len);
  *out = g_strdup (s);
  return TRUE;
}

/* A string out of @choices; @def (nullable) when absent. */
static gboolean
get_enum (JsonObject         *o,
          const char         *name,
          const char * const *choices,
          const char         *def,
          char              **out,
          GError            **error)
{
  g_autofree char *s = NULL;
  g_autofree char *list = NULL;

  if (!get_string (o, name, def == NULL, 64, &s, error))
    return FALSE;
  if (s == NULL)
    {
      *out = g_strdup (def);
      return TRUE;
    }
  if (g_strv_contains (choices, s))
    {
      *out = g_steal_pointer (&s);
      return TRUE;
    }
  list = g_strjoinv (", ", (char **) choices);
  return field_error (error, name, "“%s” is not one of %s", s, list);
}

typedef enum
{
  ANY,
  POSITIVE,      /* > 0 */
  NON_NEGATIVE,  /* ≥ 0 */
} Range;

/* A number (or numeric string); @out is NAN when absent and not @required. */
static gboolean
get_number (JsonObject *o,
            const char *name,
            gboolean    required,
            Range       range,
            double     *out,
            GError    **error)
{
  g_autoptr(GError) local = NULL;

  if (!hs_json_get_number (o, name, out, &local))
    return field_error (error, name, "must be a number or a numeric string");
  if (isnan (*out))
    return !required || field_error (error, name, "missing");
  if (range == POSITIVE && !(*out > 0))
    return field_error (error, name, "must be greater than 0, not %g", *out);
  if (range == NON_NEGATIVE && !(*out >= 0))
    return field_error (error, name, "must be 0 or more, not %g", *out);
  return TRUE;
}

static gboolean
get_between (JsonObject *o,
             const char *name,
             double      lo,
             double      hi,
             double     *out,
             GError    **error)
{
  if (!get_number (o, name, FALSE, ANY, out, error))
    return FALSE;
  if (!isnan (*out) && (*out < lo || *out > hi))
    return field_error (error, name, "must be between %g and %g, not %g", lo, hi, *out);
  return TRUE;
}

/* A whole number ≥ @min, as a JSON integer, a whole double or a string of digits; −1 when
 * absent. */
static gboolean
get_int (JsonObject *o,
         const char *name,
         int64_t     min,
         int64_t    *out,
         GError    **error)
{
  JsonNode *node = member (o, name);
  gboolean ok = FALSE;

  *out = -1;
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType t = json_node_get_value_type (node);

      if (t == G_TYPE_INT64)
        {
          *out = json_node_get_int (node);
          ok = TRUE;
        }
      else if (t == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (node);

          ok = isfinite (d) && d == floor (d) && fabs (d) < 9e15;
          *out = ok ? (int64_t) d : -1;
        }
      else if (t == G_TYPE_STRING)
        ok = hs_parse_int64 (json_node_get_string (node), out);
    }
  if (!ok)
    return field_error (error, name, "must be a whole number");
  if (*out < min)
    return field_error (error, name, "must be %" G_GINT64_FORMAT " or more, not %"
                        G_GINT64_FORMAT, min, *out);
  return TRUE;
}

static gboolean
get_time (JsonObject *o,
          const char *name,
          gboolean    required,
          int64_t    *out,
          GError    **error)
{
  g_autoptr(GError) local = NULL;

  *out = -1;
  if (member (o, name) == NULL)
    return !required || field_error (error, name, "missing");
  if (!hs_json_get_time (o, name, NULL, out, &local))
    return field_error (error, name, "not a time (ISO-8601 text or Unix seconds)");
  return TRUE;
}

/* Any JSON value (an array when @array) as compact text; @def when absent. */
static gboolean
get_json (JsonObject *o,
          const char *name,
          gboolean    array,
          const char *def,
          char      **out,
          GError    **error)
{
  JsonNode *node = member (o, name);

  *out = NULL;
  if (node == NULL)
    {
      *out = g_strdup (def);
      return TRUE;
    }
  if (array && !JSON_NODE_HOLDS_ARRAY (node))
    return field_error (error, name, "must be a JSON array");
  *out = json_to_string (node, FALSE);
  return TRUE;
}

static const char * const signal_types[] = { "STRONG_BUY", "BUY", "NEUTRAL", "SELL",
                                             "STRONG_SELL", NULL };
static const char * const signal_statuses[] = { "generated", "blocked", "promoted", NULL };

static gboolean
parse_signal (JsonObject     *o,
              HsLedgerSignal *s,
              GError        **error)
{
  g_autofree char *type = NULL;

  if (!get_string (o, "key", TRUE, 128, &s->key, error)
      || !get_string (o, "symbol", TRUE, 64, &s->symbol, error)
      || !get_string (o, "exchange", FALSE, 64, &s->exchange, error)
      || !get_time (o, "ts", TRUE, &s->ts, error)
      || !get_string (o, "strategy", TRUE, 100, &s->strategy, error)
      || !get_string (o, "strategy_version", FALSE, 100, &s->strategy_version, error)
      || !get_string (o, "setup", FALSE, 100, &s->setup, error)
      || !get_string (o, "signal_type", TRUE, 32, &type, error))
    return FALSE;
  /* "buy", "strong-buy" and "STRONG_BUY" are one type. */
  s->signal_type = g_ascii_strup (type, -1);
  g_strdelimit (s->signal_type, "- ", '_');
  if (!g_strv_contains (signal_types, s->signal_type))
    return field_error (error, "signal_type", "“%s” is not one of STRONG_BUY, BUY, NEUTRAL, "
                        "SELL, STRONG_SELL", type);
  if (s->strategy_version == NULL)
    s->strategy_version = g_strdup ("");
  if (s->setup == NULL)
    s->setup = g_strdup ("");
  return get_between (o, "confidence", 0, 100, &s->confidence, error)
         && get_number (o, "score", FALSE, ANY, &s->score, error)
         && get_string (o, "session", FALSE, 64, &s->session, error)
         && get_number (o, "price", FALSE, POSITIVE, &s->price, error)
         && get_number (o, "cvd", FALSE, ANY, &s->cvd, error)
         && get_between (o, "orderbook_imbalance", -100, 100, &s->orderbook_imbalance, error)
         && get_json (o, "reasons", TRUE, "[]", &s->reasons, error)
         && get_json (o, "warnings", TRUE, "[]", &s->warnings, error)
         && get_json (o, "filters_passed", TRUE, "[]", &s->filters_passed, error)
         && get_json (o, "filters_blocked", TRUE, "[]", &s->filters_blocked, error)
         && get_enum (o, "status", signal_statuses, "generated", &s->status, error);
}

static gboolean
parse_veto (JsonObject   *o,
            HsLedgerVeto *v,
            GError      **error)
{
  return get_string (o, "signal", TRUE, 128, &v->signal_key, error)
         && get_time (o, "ts", FALSE, &v->ts, error)
         && get_string (o, "rule", TRUE, 100, &v->rule, error)
         && get_string (o, "reason", TRUE, 10000, &v->reason, error)
         && get_json (o, "details", FALSE, NULL, &v->details, error);
}

static const char * const modes[] = { "live", "paper", NULL };
static const char * const legs[] = { "single", "entry", "take_profit", "stop_loss", NULL };
static const char * const sides[] = { "buy", "sell", NULL };
static const char * const order_types[] = { "market", "limit", "stop", "stop_limit",
                                            "trailing_stop", "market_on_open",
                                            "market_on_close", NULL };
static const char * const tifs[] = { "day", "gtc", "ioc", "fok", "opg", "cls", NULL };
static const char * const order_statuses[] = { "pending", "submitted", "accepted",
                                               "partially_filled", "filled", "cancelled",
                                               "rejected", "expired", NULL };

static gboolean
parse_order (JsonObject    *o,
             const char    *line,
             size_t         len,
             HsLedgerOrder *r,
             GError       **error)
{
  gboolean child;

  if (!get_string (o, "client_order_id", TRUE, 128, &r->client_order_id, error)
      || !get_string (o, "symbol", FALSE, 64, &r->symbol, error)
      || !get_string (o, "exchange", FALSE, 64, &r->exchange, error)
      || !get_string (o, "signal", FALSE, 128, &r->signal_key, error)
      || !get_string (o, "parent", FALSE, 128, &r->parent, error)
      || !get_string (o, "closes", FALSE, 128, &r->closes, error)
      || !get_string (o, "broker", FALSE, 64, &r->broker, error)
      || !get_string (o, "broker_order_id", FALSE, 128, &r->broker_order_id, error)
      || !get_enum (o, "mode", modes, "paper", &r->mode, error)
      || !get_enum (o, "leg", legs, r->parent != NULL ? NULL : "single", &r->leg, error))
    return FALSE;
  if (r->broker == NULL)
    r->broker = g_strdup ("paper");
  /* A bracket's take-profit and stop-loss legs hang off their entry; nothing else does. */
  child = g_str_equal (r->leg, "take_profit") || g_str_equal (r->leg, "stop_loss");
  if (child && r->parent == NULL)
    return field_error (error, "parent", "a %s leg needs the client_order_id of its entry",
                        r->leg);
  if (!child && r->parent != NULL)
    return field_error (error, "leg", "an order with a parent is a take_profit or stop_loss "
                        "leg, not %s", r->leg);
  if (r->closes != NULL && (child || g_str_equal (r->leg, "entry")))
    return field_error (error, "closes", "only a single order closes another (a bracket leg "
                        "closes its parent)");
  if (r->closes != NULL && g_str_equal (r->closes, r->client_order_id))
    return field_error (error, "closes", "an order cannot close itself");
  if (r->parent != NULL && g_str_equal (r->parent, r->client_order_id))
    return field_error (error, "parent", "an order cannot be its own parent");
  if (!get_time (o, "ts", TRUE, &r->ts, error)
      || !get_time (o, "updated_at", FALSE, &r->updated_ts, error)
      || !get_enum (o, "side", sides, NULL, &r->side, error)
      || !get_enum (o, "order_type", order_types, "market", &r->type, error)
      || !get_enum (o, "time_in_force", tifs, "day", &r->time_in_force, error)
      || !get_number (o, "qty", TRUE, POSITIVE, &r->qty, error)
      || !get_number (o, "limit_price", FALSE, POSITIVE, &r->limit_price, error)
      || !get_number (o, "stop_price", FALSE, POSITIVE, &r->stop_price, error)
      || !get_number (o, "price_guard", FALSE, POSITIVE, &r->price_guard, error)
      || !get_number (o, "reference_price", FALSE, POSITIVE, &r->reference_price, error)
      || !get_enum (o, "status", order_statuses, "pending", &r->status, error)
      || !get_json (o, "broker_response", FALSE, NULL, &r->broker_response, error)
      || !get_string (o, "error_message", FALSE, 10000, &r->error_message, error))
    return FALSE;
  if (r->updated_ts < 0)
    r->updated_ts = r->ts;
  if ((g_str_equal (r->type, "limit") || g_str_equal (r->type, "stop_limit"))
      && isnan (r->limit_price))
    return field_error (error, "limit_price", "missing: a %s order needs one", r->type);
  if ((g_str_equal (r->type, "stop") || g_str_equal (r->type, "stop_limit"))
      && isnan (r->stop_price))
    return field_error (error, "stop_price", "missing: a %s order needs one", r->type);
  /* The payload is what the bot sent its broker; without one, the bot's record itself. */
  if (member (o, "payload") != NULL)
    return get_json (o, "payload", FALSE, NULL, &r->payload, error);
  r->payload = g_strndup (line, len);
  return TRUE;
}

static const char * const liquidities[] = { "maker", "taker", NULL };

static gboolean
parse_fill (JsonObject   *o,
            HsLedgerFill *f,
            GError      **error)
{
  if (!get_string (o, "order", TRUE, 128, &f->order, error)
      || !get_int (o, "fill_seq", 1, &f->fill_seq, error)
      || !get_string (o, "broker_fill_id", FALSE, 128, &f->broker_fill_id, error))
    return FALSE;
  if (f->fill_seq < 0 && f->broker_fill_id == NULL)
    return field_error (error, "fill_seq", "missing: give fill_seq (1, 2, … within the order) "
                        "or broker_fill_id");
  if (!get_time (o, "ts", TRUE, &f->ts, error)
      || !get_number (o, "price", TRUE, POSITIVE, &f->price, error)
      || !get_number (o, "qty", TRUE, POSITIVE, &f->qty, error)
      || !get_number (o, "fee", FALSE, NON_NEGATIVE, &f->fee, error)
      || !get_enum (o, "liquidity", liquidities, "", &f->liquidity, error)
      || !get_number (o, "reference_price", FALSE, POSITIVE, &f->reference_price, error)
      || !get_number (o, "slippage", FALSE, ANY, &f->slippage, error)
      || !get_int (o, "latency_ms", 0, &f->latency_ms, error))
    return FALSE;
  if (isnan (f->fee))
    f->fee = 0;
  if (f->liquidity[0] == '\0')
    g_clear_pointer (&f->liquidity, g_free);
  return TRUE;
}

static gboolean
parse_account (JsonObject      *o,
               HsLedgerAccount *a,
               GError         **error)
{
  if (!get_string (o, "account", FALSE, 64, &a->account, error)
      || !get_time (o, "ts", TRUE, &a->ts, error)
      || !get_number (o, "cash", TRUE, ANY, &a->cash, error)
      || !get_number (o, "equity", TRUE, ANY, &a->equity, error)
      || !get_number (o, "unrealized_pnl", FALSE, ANY, &a->unrealized_pnl, error)
      || !get_number (o, "realized_pnl", FALSE, ANY, &a->realized_pnl, error)
      || !get_number (o, "buying_power", FALSE, NON_NEGATIVE, &a->buying_power, error)
      || !get_json (o, "open_positions", FALSE, NULL, &a->open_positions, error)
      || !get_string (o, "session", FALSE, 64, &a->session, error))
    return FALSE;
  if (a->account == NULL)
    a->account = g_strdup ("paper");
  if (isnan (a->unrealized_pnl))
    a->unrealized_pnl = 0;
  if (isnan (a->realized_pnl))
    a->realized_pnl = 0;
  return TRUE;
}

static gboolean
parse_risk_day (JsonObject      *o,
                HsLedgerRiskDay *d,
                GError         **error)
{
  unsigned y = 0, m = 0, dd = 0;
  char tail = 0;

  if (!get_string (o, "day", TRUE, 10, &d->day, error))
    return FALSE;
  if (strlen (d->day) != 10 || sscanf (d->day, "%4u-%2u-%2u%c", &y, &m, &dd, &tail) != 3
      || d->day[4] != '-' || d->day[7] != '-' || !g_ascii_isdigit (d->day[0])
      || !g_ascii_isdigit (d->day[5]) || !g_ascii_isdigit (d->day[8])
      || !g_date_valid_dmy ((GDateDay) dd, (GDateMonth) m, (GDateYear) y))
    return field_error (error, "day", "“%s” is not a date YYYY-MM-DD", d->day);
  if (!get_int (o, "trades_taken", 0, &d->trades_taken, error)
      || !get_number (o, "r_realized", FALSE, ANY, &d->r_realized, error)
      || !get_number (o, "max_drawdown", FALSE, NON_NEGATIVE, &d->max_drawdown, error)
      || !get_json (o, "breach_flags", TRUE, "[]", &d->breach_flags, error))
    return FALSE;
  if (d->trades_taken < 0)
    d->trades_taken = 0;
  if (isnan (d->r_realized))
    d->r_realized = 0;
  if (isnan (d->max_drawdown))
    d->max_drawdown = 0;
  return TRUE;
}

/**
 * hs_ledger_parse_line:
 * @record: (out caller-allocates): zeroed, or cleared with hs_ledger_record_clear(); filled
 *   (partly, on an error: clear it either way)
 *
 * Reads one JSONL line of the signal ledger.
 *
 * Returns: %FALSE with %HS_JSON_ERROR "field: reason" when the line is refused
 */
gboolean
hs_ledger_parse_line (const char     *line,
                      size_t          len,
                      HsLedgerRecord *record,
                      GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  g_autofree char *type = NULL;
  JsonNode *root;
  JsonObject *o;

  g_return_val_if_fail (line != NULL && record != NULL, FALSE);

  if (len > G_MAXSSIZE || !json_parser_load_from_data (parser, line, (gssize) len, &local))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX, "not valid JSON: %s",
                   local != NULL ? local->message : "too long");
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "the line is not a JSON object");
      return FALSE;
    }
  o = json_node_get_object (root);
  if (!get_enum (o, "type", kind_names, NULL, &type, error))
    return FALSE;
  for (size_t k = 0; kind_names[k] != NULL; k++)
    if (g_str_equal (type, kind_names[k]))
      record->kind = (HsLedgerKind) k;
  switch (record->kind)
    {
    case HS_LEDGER_SIGNAL:
      return parse_signal (o, &record->signal, error);
    case HS_LEDGER_VETO:
      return parse_veto (o, &record->veto, error);
    case HS_LEDGER_ORDER:
      return parse_order (o, line, len, &record->order, error);
    case HS_LEDGER_FILL:
      return parse_fill (o, &record->fill, error);
    case HS_LEDGER_ACCOUNT:
      return parse_account (o, &record->account, error);
    case HS_LEDGER_RISK_DAY:
      return parse_risk_day (o, &record->risk_day, error);
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}
