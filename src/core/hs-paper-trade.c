/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A paper trade as plain values, and the arithmetic and rules that do not need a database:
 * P&L net of fees, which side of the entry a stop and a target belong on, tags, and what one
 * bar does to a bracket (stop loss / take profit). The bracket rule is the backtester's
 * (hs-backtest.c): a gap through a level at the open fills at the open; within a bar the stop
 * is assumed to come first when both are touched. A handful of calls per trade; no load.
 */
#define G_LOG_DOMAIN "hs-paper"

#include "config.h"

#include "hs-paper-trade.h"

#include <math.h>
#include <string.h>

#include "hs-records.h"

G_DEFINE_QUARK (hs-paper-trade-error-quark, hs_paper_trade_error)

/* The exit_reason vocabulary of docs/schema.md. */
static const char *const exit_reasons[] = {
  "take_profit", "stop_loss", "trailing_stop", "time_stop", "signal", "manual", "end_of_day",
  "end_of_data", "liquidation", "cancelled", NULL,
};

/**
 * hs_paper_trade_new:
 *
 * Returns: (transfer full): an empty trade: no exit, no stop or target, no labels, no tags
 */
HsPaperTrade *
hs_paper_trade_new (void)
{
  HsPaperTrade *t = g_new0 (HsPaperTrade, 1);

  t->side = HS_PAPER_LONG;
  t->exit_ts = HS_PAPER_NO_TS;
  t->exit_price = NAN;
  t->stop_loss = NAN;
  t->take_profit = NAN;
  t->pnl = NAN;
  t->pnl_pct = NAN;
  t->tags = g_new0 (char *, 1);
  t->status = g_strdup ("open");
  t->target_pnl_15m = NAN;
  t->target_pnl_1h = NAN;
  t->target_mfe_pct = NAN;
  t->target_mae_pct = NAN;
  t->labeled_at = HS_PAPER_NO_TS;
  return t;
}

void
hs_paper_trade_free (HsPaperTrade *t)
{
  if (t == NULL)
    return;
  g_free (t->symbol);
  g_free (t->exchange);
  g_free (t->status);
  g_free (t->exit_reason);
  g_strfreev (t->tags);
  g_free (t->notes);
  g_free (t->signals_snapshot);
  g_free (t->market_regime);
  g_free (t->order_book_state);
  g_free (t->ai_reasoning_log);
  g_free (t->label_error);
  g_free (t);
}

/* Forgets the labels, so that the label job computes them again (after the exit changed). */
void
hs_paper_trade_clear_labels (HsPaperTrade *t)
{
  t->target_pnl_15m = NAN;
  t->target_pnl_1h = NAN;
  t->target_mfe_pct = NAN;
  t->target_mae_pct = NAN;
  t->labeled_at = HS_PAPER_NO_TS;
  g_clear_pointer (&t->label_error, g_free);
}

const char *
hs_paper_side_to_string (HsPaperSide side)
{
  return side == HS_PAPER_SHORT ? "short" : "long";
}

gboolean
hs_paper_side_from_string (const char  *text,
                           HsPaperSide *side)
{
  if (g_strcmp0 (text, "long") == 0)
    *side = HS_PAPER_LONG;
  else if (g_strcmp0 (text, "short") == 0)
    *side = HS_PAPER_SHORT;
  else
    return FALSE;
  return TRUE;
}

gboolean
hs_paper_exit_reason_valid (const char *reason)
{
  return reason != NULL && g_strv_contains (exit_reasons, reason);
}

/* Returns: (transfer none): the exit reasons, comma-separated, for messages */
const char *
hs_paper_exit_reasons (void)
{
  return "take_profit, stop_loss, trailing_stop, time_stop, signal, manual, end_of_day, "
         "end_of_data, liquidation, cancelled";
}

static gboolean G_GNUC_PRINTF (2, 3)
invalid (GError    **error,
         const char *format,
         ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, HS_PAPER_TRADE_ERROR, HS_PAPER_TRADE_ERROR_INVALID, msg);
  return FALSE;
}

/**
 * hs_paper_check_levels:
 * @stop_loss: NAN when none
 * @take_profit: NAN when none
 *
 * A long's stop is below its entry and its target above; a short's the other way round. A
 * level at the entry price itself is refused: it would be touched at once.
 *
 * Returns: %FALSE with an error naming stop_loss or take_profit
 */
gboolean
hs_paper_check_levels (HsPaperSide side,
                       double      entry_price,
                       double      stop_loss,
                       double      take_profit,
                       GError    **error)
{
  char e[32], v[32];

  hs_format_double (entry_price, e);
  if (!isnan (stop_loss) && (side == HS_PAPER_LONG ? stop_loss >= entry_price
                                                   : stop_loss <= entry_price))
    {
      hs_format_double (stop_loss, v);
      return invalid (error, "stop_loss: %s must be %s the entry price %s for a %s", v,
                      side == HS_PAPER_LONG ? "below" : "above", e,
                      hs_paper_side_to_string (side));
    }
  if (!isnan (take_profit) && (side == HS_PAPER_LONG ? take_profit <= entry_price
                                                     : take_profit >= entry_price))
    {
      hs_format_double (take_profit, v);
      return invalid (error, "take_profit: %s must be %s the entry price %s for a %s", v,
                      side == HS_PAPER_LONG ? "above" : "below", e,
                      hs_paper_side_to_string (side));
    }
  return TRUE;
}

/**
 * hs_paper_check_tag:
 *
 * A tag is 1 to %HS_PAPER_TAG_MAX bytes of UTF-8 without control characters and without
 * leading or trailing spaces (so that "gap" and "gap " are not two tags).
 */
gboolean
hs_paper_check_tag (const char *tag,
                    GError    **error)
{
  size_t len = tag != NULL ? strlen (tag) : 0;

  if (len == 0 || len > HS_PAPER_TAG_MAX)
    return invalid (error, "tags: a tag must be 1 to %d bytes long", HS_PAPER_TAG_MAX);
  if (!g_utf8_validate (tag, (gssize) len, NULL))
    return invalid (error, "tags: a tag must be UTF-8 text");
  for (size_t i = 0; i < len; i++)
    if ((unsigned char) tag[i] < 0x20 || tag[i] == 0x7f)
      return invalid (error, "tags: a tag must not contain control characters");
  if (tag[0] == ' ' || tag[len - 1] == ' ')
    return invalid (error, "tags: “%s” starts or ends with a space", tag);
  return TRUE;
}

/**
 * hs_paper_tags_add:
 * @tags: (inout): a %NULL-terminated array, replaced when the tag is added
 *
 * Returns: whether @tag was new (tags are a set, in the order they were added)
 */
gboolean
hs_paper_tags_add (char     ***tags,
                   const char *tag)
{
  guint n = *tags != NULL ? g_strv_length (*tags) : 0;

  if (*tags != NULL && g_strv_contains ((const char *const *) *tags, tag))
    return FALSE;
  *tags = g_renew (char *, *tags, n + 2);
  (*tags)[n] = g_strdup (tag);
  (*tags)[n + 1] = NULL;
  return TRUE;
}

/**
 * hs_paper_tags_remove:
 *
 * Returns: whether @tag was there
 */
gboolean
hs_paper_tags_remove (char     ***tags,
                      const char *tag)
{
  gboolean found = FALSE;
  size_t j = 0;

  for (size_t i = 0; *tags != NULL && (*tags)[i] != NULL; i++)
    {
      if (!found && g_str_equal ((*tags)[i], tag))
        {
          g_free ((*tags)[i]);
          found = TRUE;
          continue;
        }
      (*tags)[j++] = (*tags)[i];
    }
  if (*tags != NULL)
    (*tags)[j] = NULL;
  return found;
}

/**
 * hs_paper_tags_to_json:
 * @tags: (nullable): checked tags (hs_paper_check_tag())
 *
 * Returns: (transfer full): the JSON array of the tags, e.g. ["breakout","gap"]
 */
char *
hs_paper_tags_to_json (char *const *tags)
{
  GString *s = g_string_new ("[");

  for (size_t i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, '"');
      /* A checked tag has no control characters: only the quote and backslash need escaping. */
      for (const char *p = tags[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/**
 * hs_paper_pnl:
 * @pnl: (out): (exit − entry) × quantity for a long, (entry − exit) × quantity for a short,
 *   less @fees, rounded to 1e-8
 * @pnl_pct: (out): that as a percent of the entry notional (entry price × quantity), rounded
 *   to 1e-10
 */
void
hs_paper_pnl (HsPaperSide side,
              double      quantity,
              double      entry_price,
              double      exit_price,
              double      fees,
              double     *pnl,
              double     *pnl_pct)
{
  double gross = (double) side * (exit_price - entry_price) * quantity;
  double net = gross - fees;

  /* Rounded to 1e-8 of the currency (1e-10 of a percent) so that binary noise does not show:
   * (181 - 180.2) × 5 - 0.5 is 3.500000000000057 in doubles, 3.5 here. */
  *pnl = round (net * 1e8) / 1e8;
  *pnl_pct = round (net / (entry_price * quantity) * 100.0 * 1e10) / 1e10;
}

/**
 * hs_paper_bracket_hit:
 * @stop_loss: NAN when none
 * @take_profit: NAN when none
 * @price: (out): the exit price when a level was hit
 *
 * What one bar, entirely after the entry, does to an open position's bracket. An open beyond
 * a level (a gap through it) exits at the open: worse than the stop, better than the target.
 * Otherwise a low (long) or high (short) that reaches the stop exits at the stop, and a high
 * (long) or low (short) that reaches the target exits at the target. When the bar reaches both,
 * the order within the bar is unknown and the stop is assumed first, as in the backtester.
 */
HsPaperHit
hs_paper_bracket_hit (HsPaperSide side,
                      double      stop_loss,
                      double      take_profit,
                      double      open,
                      double      high,
                      double      low,
                      double     *price)
{
  gboolean lng = side == HS_PAPER_LONG;
  gboolean has_stop = !isnan (stop_loss), has_target = !isnan (take_profit);

  if (has_stop && (lng ? open <= stop_loss : open >= stop_loss))
    {
      *price = open;
      return HS_PAPER_HIT_STOP;
    }
  if (has_target && (lng ? open >= take_profit : open <= take_profit))
    {
      *price = open;
      return HS_PAPER_HIT_TARGET;
    }
  if (has_stop && (lng ? low <= stop_loss : high >= stop_loss))
    {
      *price = stop_loss;
      return HS_PAPER_HIT_STOP;
    }
  if (has_target && (lng ? high >= take_profit : low <= take_profit))
    {
      *price = take_profit;
      return HS_PAPER_HIT_TARGET;
    }
  return HS_PAPER_HIT_NONE;
}
