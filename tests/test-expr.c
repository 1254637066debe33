/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * core: the expression language. Parsing (canonical text, tree shape as an S-expression, every
 * function signature users type, dotted paths of the training query), errors with their exact
 * column and message, the depth limit; evaluation over tiny hand-written series (the arithmetic
 * is in the comments), crosses, tf= against a brute-force look-ahead rule, checking errors; a
 * differential test of the vectorized evaluator against a per-bar interpreter written here; and
 * 100,000 random token strings and mutations of valid expressions, each of which must parse or
 * fail with a position inside the input, and round-trip through the printer when it parses.
 */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "hs-eval.h"
#include "hs-expr.h"
#include "hs-resample.h"

#define H G_GINT64_CONSTANT (3600000000)

/* The tree as an S-expression, to test its shape independently of the printer. */
static void
sexpr (GString      *s,
       const HsExpr *e)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (e->kind)
    {
    case HS_EXPR_NUMBER:
      g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.15g", e->number));
      break;
    case HS_EXPR_STRING:
      g_string_append_printf (s, "'%s'", e->text);
      break;
    case HS_EXPR_IDENT:
      g_string_append (s, e->n_parts > 1 ? "path:" : "");
      for (size_t i = 0; i < e->n_parts; i++)
        g_string_append_printf (s, "%s%s", i ? "/" : "", e->parts[i]);
      break;
    case HS_EXPR_CALL:
      g_string_append_printf (s, "(%s", e->text);
      for (size_t i = 0; i < e->n_args; i++)
        {
          g_string_append_c (s, ' ');
          if (e->names[i] != NULL)
            g_string_append_printf (s, "%s=", e->names[i]);
          sexpr (s, e->args[i]);
        }
      g_string_append_c (s, ')');
      break;
    case HS_EXPR_UNARY:
    case HS_EXPR_BINARY:
      g_string_append_printf (s, "(%s", e->op == HS_EXPR_OP_NEG ? "neg"
                                        : hs_expr_op_to_string (e->op));
      for (size_t i = 0; i < e->n_args; i++)
        {
          g_string_append_c (s, ' ');
          sexpr (s, e->args[i]);
        }
      g_string_append_c (s, ')');
      break;
    default:
      g_assert_not_reached ();
    }
}

static char *
to_sexpr (const HsExpr *e)
{
  GString *s = g_string_new (NULL);

  sexpr (s, e);
  return g_string_free (s, FALSE);
}

/* Parses @text, checks that printing and parsing again gives an equal tree and the same text. */
static HsExpr *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsExpr) again = NULL;
  g_autofree char *printed = NULL, *printed2 = NULL;
  HsExpr *e = hs_expr_parse (text, NULL, &error);

  g_test_message ("%s", text);
  g_assert_no_error (error);
  g_assert_nonnull (e);
  printed = hs_expr_print (e);
  again = hs_expr_parse (printed, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hs_expr_equal (e, again));
  printed2 = hs_expr_print (again);
  g_assert_cmpstr (printed, ==, printed2);
  return e;
}

static void
test_parse_cases (void)
{
  static const struct
  {
    const char *text;
    const char *canonical;
    const char *tree;
  } cases[] = {
    { "close", "close", "close" },
    { "42", "42", "42" },
    { "1e3", "1000", "1000" },
    { "1.5e-3", "0.0015", "0.0015" },
    { "007", "7", "7" },
    { "-10", "-10", "-10" },
    { "- - 3", "3", "3" },
    { "+close", "close", "close" },
    { "3 - -2", "3 - -2", "(- 3 -2)" },
    { "2 * -3", "2 * -3", "(* 2 -3)" },
    /* Python precedence: * before +, unary minus before *, comparisons before not, not before
     * and, and before or; + - * / % associate to the left. */
    { "1 + 2 * 3", "1 + 2 * 3", "(+ 1 (* 2 3))" },
    { "(1 + 2) * 3", "(1 + 2) * 3", "(* (+ 1 2) 3)" },
    { "1 - 2 - 3", "1 - 2 - 3", "(- (- 1 2) 3)" },
    { "1 - (2 - 3)", "1 - (2 - 3)", "(- 1 (- 2 3))" },
    { "a / b / c", "a / b / c", "(/ (/ a b) c)" },
    { "a / (b * c)", "a / (b * c)", "(/ a (* b c))" },
    { "a % b * c", "a % b * c", "(* (% a b) c)" },
    { "-close * 2", "-close * 2", "(* (neg close) 2)" },
    { "-(close * 2)", "-(close * 2)", "(neg (* close 2))" },
    { "--close", "--close", "(neg (neg close))" },
    { "((close))", "close", "close" },
    { "a < b + 1", "a < b + 1", "(< a (+ b 1))" },
    { "a<=b", "a <= b", "(<= a b)" },
    { "a>=b", "a >= b", "(>= a b)" },
    { "a>b", "a > b", "(> a b)" },
    { "a==b", "a == b", "(== a b)" },
    { "a!=b", "a != b", "(!= a b)" },
    { "(a < b) == (c < d)", "(a < b) == (c < d)", "(== (< a b) (< c d))" },
    { "not a and b", "not a and b", "(and (not a) b)" },
    { "not (a and b)", "not (a and b)", "(not (and a b))" },
    { "not a < b", "not a < b", "(not (< a b))" },
    { "not not a", "not not a", "(not (not a))" },
    { "a or b and c", "a or b and c", "(or a (and b c))" },
    { "(a or b) and c", "(a or b) and c", "(and (or a b) c)" },
    { "a and b or c and d", "a and b or c and d", "(or (and a b) (and c d))" },
    { "-(not a)", "-(not a)", "(neg (not a))" },
    { "a + (not b)", "a + (not b)", "(+ a (not b))" },
    /* Every signature users type and scripts rely on. */
    { "sma(close, 10)", "sma(close, 10)", "(sma close 10)" },
    { "ema(close,10)", "ema(close, 10)", "(ema close 10)" },
    { "wma(hl2, 5)", "wma(hl2, 5)", "(wma hl2 5)" },
    { "rsi(close, 14)", "rsi(close, 14)", "(rsi close 14)" },
    { "macd(close, 12, 26)", "macd(close, 12, 26)", "(macd close 12 26)" },
    { "macd_signal(close, 12, 26, 9)", "macd_signal(close, 12, 26, 9)",
      "(macd_signal close 12 26 9)" },
    { "macd_hist(close, 12, 26, 9)", "macd_hist(close, 12, 26, 9)",
      "(macd_hist close 12 26 9)" },
    { "bb_mid(close, 20, 2)", "bb_mid(close, 20, 2)", "(bb_mid close 20 2)" },
    { "bb_upper(close, 20, 2.5)", "bb_upper(close, 20, 2.5)", "(bb_upper close 20 2.5)" },
    { "bb_lower(close, 20, 2)", "bb_lower(close, 20, 2)", "(bb_lower close 20 2)" },
    { "atr(14)", "atr(14)", "(atr 14)" },
    { "stoch_k(14, 3)", "stoch_k(14, 3)", "(stoch_k 14 3)" },
    { "stoch_d(14, 3, 3)", "stoch_d(14, 3, 3)", "(stoch_d 14 3 3)" },
    { "stdev(close, 20)", "stdev(close, 20)", "(stdev close 20)" },
    { "highest(high, 20)", "highest(high, 20)", "(highest high 20)" },
    { "lowest(low, 20)", "lowest(low, 20)", "(lowest low 20)" },
    { "pivot_high(high, 5, 5)", "pivot_high(high, 5, 5)", "(pivot_high high 5 5)" },
    { "pivot_low(low, 3, 2)", "pivot_low(low, 3, 2)", "(pivot_low low 3 2)" },
    { "cvd()", "cvd()", "(cvd)" },
    { "crosses_above(sma(close, 10), sma(close, 30))",
      "crosses_above(sma(close, 10), sma(close, 30))",
      "(crosses_above (sma close 10) (sma close 30))" },
    { "crosses_below(close, bb_lower(close, 20, 2))",
      "crosses_below(close, bb_lower(close, 20, 2))",
      "(crosses_below close (bb_lower close 20 2))" },
    /* tf= as the last argument: an interval word, or a string. */
    { "rsi(close, 14, tf=1h)", "rsi(close, 14, tf=1h)", "(rsi close 14 tf=1h)" },
    { "sma(close,20,tf = 1d)", "sma(close, 20, tf=1d)", "(sma close 20 tf=1d)" },
    { "ema(close, 9, tf=\"15m\")", "ema(close, 9, tf=\"15m\")", "(ema close 9 tf='15m')" },
    { "macd_signal(close, 12, 26, 9, tf=4h)", "macd_signal(close, 12, 26, 9, tf=4h)",
      "(macd_signal close 12 26 9 tf=4h)" },
    { "atr(14, tf=1mo)", "atr(14, tf=1mo)", "(atr 14 tf=1mo)" },
    { "crosses_above(ema(close, 5), ema(close, 20), tf=1h)",
      "crosses_above(ema(close, 5), ema(close, 20), tf=1h)",
      "(crosses_above (ema close 5) (ema close 20) tf=1h)" },
    /* Position state. */
    { "position > 0 and bars_held >= 10", "position > 0 and bars_held >= 10",
      "(and (> position 0) (>= bars_held 10))" },
    { "unrealized_pct < -2 or close < entry_price * 0.95",
      "unrealized_pct < -2 or close < entry_price * 0.95",
      "(or (< unrealized_pct -2) (< close (* entry_price 0.95)))" },
    /* Dotted paths of the training query; segments may start with a digit. */
    { "signals.5m.rsi > 70 and target_pnl_1h < -10", "signals.5m.rsi > 70 and target_pnl_1h < -10",
      "(and (> path:signals/5m/rsi 70) (< target_pnl_1h -10))" },
    { "rows.0.price", "rows.0.price", "path:rows/0/price" },
    { "a.b.c + 1", "a.b.c + 1", "(+ path:a/b/c 1)" },
    { "signals.1h.and", "signals.1h.and", "path:signals/1h/and" },
    { "market_regime.trend == 'up'", "market_regime.trend == \"up\"",
      "(== path:market_regime/trend 'up')" },
    /* Strings, with their escapes. */
    { "'it''s'", NULL, NULL },
    { "\"a\\\"b\\\\c\\n\"", "\"a\\\"b\\\\c\\n\"", "'a\"b\\c\n'" },
    { "'tab\\there'", "\"tab\\there\"", "'tab\there'" },
    /* White space anywhere between tokens. */
    { " \t sma( close ,\n 5 )\r\n ", "sma(close, 5)", "(sma close 5)" },
    { "f()", "f()", "(f)" },
    { "f(a, b=2, c=x + 1)", "f(a, b=2, c=x + 1)", "(f a b=2 c=(+ x 1))" },
    { "x * (y + z) / w % 2", "x * (y + z) / w % 2", "(% (/ (* x (+ y z)) w) 2)" },
    { "1e20 + 0.1", "1e+20 + 0.1", "(+ 1e+20 0.1)" },
    { "5m", "5m", "5m" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsExpr) e = NULL;
      g_autofree char *printed = NULL, *tree = NULL;

      if (cases[i].canonical == NULL)
        {
          /* 'it''s' is two strings side by side, which is not an expression. */
          g_assert_null (hs_expr_parse (cases[i].text, NULL, &error));
          g_assert_error (error, HS_EXPR_ERROR, HS_EXPR_ERROR_SYNTAX);
          continue;
        }
      e = parse_ok (cases[i].text);
      printed = hs_expr_print (e);
      tree = to_sexpr (e);
      g_assert_cmpstr (printed, ==, cases[i].canonical);
      g_assert_cmpstr (tree, ==, cases[i].tree);
    }
}

static void
test_parse_positions (void)
{
  g_autoptr(HsExpr) e = parse_ok ("a + sma(close, 5, tf=1h)");
  const HsExpr *call = e->args[1];

  /* A node sits where its text starts: a binary node at its left operand, a call at its name. */
  g_assert_cmpuint (e->offset, ==, 0);
  g_assert_cmpint (e->column, ==, 1);
  g_assert_cmpuint (call->offset, ==, 4);
  g_assert_cmpuint (call->args[1]->offset, ==, 15);
  g_assert_cmpuint (hs_expr_n_positional (call), ==, 2);
  g_assert_cmpstr (hs_expr_named_arg (call, "tf")->text, ==, "1h");
  g_assert_null (hs_expr_named_arg (call, "n"));
  g_assert_cmpint (e->depth, ==, 3);
  /* é is two bytes and one column. */
  g_assert_cmpint (hs_expr_column ("é + x", 3), ==, 3);
  g_assert_cmpint (hs_expr_column ("abc", 3), ==, 4);
}

static void
test_parse_errors (void)
{
  static const struct
  {
    const char *text;
    size_t      offset;
    int         code;
    const char *message;
  } cases[] = {
    { "sma(close, ", 11, HS_EXPR_ERROR_SYNTAX,
      "column 12: expected an expression, found end of input" },
    { "", 0, HS_EXPR_ERROR_SYNTAX, "column 1: expected an expression, found end of input" },
    { "   ", 3, HS_EXPR_ERROR_SYNTAX, "column 4: expected an expression, found end of input" },
    { "close +", 7, HS_EXPR_ERROR_SYNTAX, "column 8: expected an expression, found end of input" },
    { "(close", 6, HS_EXPR_ERROR_SYNTAX, "column 7: expected an operator or “)” to close the “(” "
      "at column 1, found end of input" },
    { "close)", 5, HS_EXPR_ERROR_SYNTAX, "column 6: expected an operator or end of input, found "
      "“)” (a “)” without its “(”)" },
    { "close close", 6, HS_EXPR_ERROR_SYNTAX, "column 7: expected an operator or end of input, "
      "found “close”" },
    { "a < b < c", 6, HS_EXPR_ERROR_SYNTAX, "column 7: expected and, or, “)” or end of input "
      "after a comparison, found “<” (comparisons do not chain: write a < b and b < c)" },
    { "a = b", 2, HS_EXPR_ERROR_SYNTAX, "column 3: expected an operator or end of input, found "
      "“=” (use == to compare)" },
    { "sma(close 5)", 10, HS_EXPR_ERROR_SYNTAX, "column 11: expected an operator, “,” or “)”, "
      "found “5”" },
    { "sma(close + 1 = 5)", 14, HS_EXPR_ERROR_SYNTAX, "column 15: expected an operator, “,” or "
      "“)”, found “=” (use == to compare)" },
    { "sma(,)", 4, HS_EXPR_ERROR_SYNTAX, "column 5: expected an expression, found “,”" },
    { "sma(close, 5,)", 13, HS_EXPR_ERROR_SYNTAX,
      "column 14: expected an expression, found “)”" },
    { "a + not b", 4, HS_EXPR_ERROR_SYNTAX, "column 5: expected an expression, found “not” (put "
      "not … in parentheses here)" },
    { "a and", 5, HS_EXPR_ERROR_SYNTAX, "column 6: expected an expression, found end of input" },
    { "close $ 3", 6, HS_EXPR_ERROR_SYNTAX,
      "column 7: expected an expression or an operator, found “$”" },
    { "a !b", 2, HS_EXPR_ERROR_SYNTAX, "column 3: expected != (for negation write not), found “!”" },
    { "'abc", 0, HS_EXPR_ERROR_SYNTAX,
      "column 1: expected the closing ' of this string, found end of input" },
    { "x == \"abc", 5, HS_EXPR_ERROR_SYNTAX,
      "column 6: expected the closing \" of this string, found end of input" },
    { "'a\\qb'", 2, HS_EXPR_ERROR_SYNTAX,
      "column 3: expected one of \\\\ \\\" \\' \\n \\t after a backslash in a string" },
    { "signals.", 8, HS_EXPR_ERROR_SYNTAX,
      "column 9: expected a name after “.”, found end of input" },
    { "signals.(", 8, HS_EXPR_ERROR_SYNTAX, "column 9: expected a name after “.”, found “(”" },
    { "signals.5m(1)", 10, HS_EXPR_ERROR_SYNTAX,
      "column 11: expected an operator or end of input, found “(”" },
    { "1.", 1, HS_EXPR_ERROR_SYNTAX, "column 2: expected an operator or end of input, found “.”" },
    { ".5", 0, HS_EXPR_ERROR_SYNTAX, "column 1: expected an expression, found “.”" },
    { "1e999", 0, HS_EXPR_ERROR_SYNTAX, "column 1: expected a number below 1.8e308" },
    { "1e5m", 3, HS_EXPR_ERROR_SYNTAX, "column 4: expected an operator or end of input, "
      "found “m”" },
    { "rsi(close, 14, tf=1h, 3)", 22, HS_EXPR_ERROR_SYNTAX, "column 23: expected a named argument "
      "(name=value): positional arguments come first" },
    { "sma(x, tf=1h, tf=1d)", 14, HS_EXPR_ERROR_SYNTAX,
      "column 15: expected each named argument once, found tf= again" },
    { "sma(x, tf=)", 10, HS_EXPR_ERROR_SYNTAX, "column 11: expected an expression, found “)”" },
    { "é", 0, HS_EXPR_ERROR_SYNTAX, "column 1: expected an expression or an operator, found “é”" },
    /* é is two bytes: the ")" is at byte 7, column 7. */
    { "'é' + )", 7, HS_EXPR_ERROR_SYNTAX, "column 7: expected an expression, found “)”" },
    { "a + \xff", 4, HS_EXPR_ERROR_SYNTAX,
      "column 5: expected an expression or an operator, found byte 0xff" },
    { "a + \x01", 4, HS_EXPR_ERROR_SYNTAX,
      "column 5: expected an expression or an operator, found byte 0x01" },
    { "f(a) (b)", 5, HS_EXPR_ERROR_SYNTAX,
      "column 6: expected an operator or end of input, found “(”" },
    { "averyveryveryverylongname anotherveryveryverylongname", 26, HS_EXPR_ERROR_SYNTAX,
      "column 27: expected an operator or end of input, found “anotherveryveryverylongn…”" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = g_strescape (cases[i].text, NULL);
      size_t offset = 999;
      HsExpr *e;

      g_test_message ("%s", escaped);
      e = hs_expr_parse (cases[i].text, &offset, &error);
      g_assert_null (e);
      g_assert_error (error, HS_EXPR_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpuint (offset, ==, cases[i].offset);
    }
}

/* Nesting beyond HS_EXPR_MAX_DEPTH is an error, whether it comes from parentheses (parser
 * recursion), unary operators, or a long left-associative chain (a deep tree built by a loop). */
static void
test_parse_depth (void)
{
  static const char *const units[][3] = {
    { "(", "1", ")" },
    { "-", "x", "" },
    { "not ", "x", "" },
    { "f(", "1", ")" },
  };

  for (size_t u = 0; u < G_N_ELEMENTS (units); u++)
    for (int n = 200; n <= 100000; n = n < 300 ? n + 100 : n * 10)
      {
        g_autoptr(GString) s = g_string_new (NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(HsExpr) e = NULL;

        for (int i = 0; i < n; i++)
          g_string_append (s, units[u][0]);
        g_string_append (s, units[u][1]);
        for (int i = 0; i < n; i++)
          g_string_append (s, units[u][2]);
        e = hs_expr_parse (s->str, NULL, &error);
        if (n <= 200)
          {
            g_assert_no_error (error);
            g_assert_nonnull (e);
          }
        else
          {
            g_assert_null (e);
            g_assert_error (error, HS_EXPR_ERROR, HS_EXPR_ERROR_DEPTH);
          }
      }

  /* 1 + 1 + … : 255 operators make a tree 256 deep, 256 operators one too deep. */
  for (int n = 255; n <= 100000; n = n == 255 ? 256 : n * 20)
    {
      g_autoptr(GString) s = g_string_new ("1");
      g_autoptr(GError) error = NULL;
      g_autoptr(HsExpr) e = NULL;

      for (int i = 0; i < n; i++)
        g_string_append (s, " + 1");
      e = hs_expr_parse (s->str, NULL, &error);
      if (n == 255)
        {
          g_assert_no_error (error);
          g_assert_cmpint (e->depth, ==, HS_EXPR_MAX_DEPTH);
        }
      else
        {
          g_assert_error (error, HS_EXPR_ERROR, HS_EXPR_ERROR_DEPTH);
          g_assert_true (g_str_has_suffix (error->message,
                                           "expected an expression nested at most 256 levels "
                                           "deep"));
        }
    }
}

/* ---- evaluation ---- */

/* Five hourly bars: close 1 2 3 4 5, open = close - 0.5, high = close + 1, low = close - 1,
 * volume 10 20 30 40 50, vwap unknown at bar 2. */
static HsBars *
tiny_bars (void)
{
  HsBars *b = hs_bars_new (5, 3600);

  for (size_t i = 0; i < 5; i++)
    {
      b->ts[i] = (int64_t) i * H;
      b->close[i] = (double) (i + 1);
      b->open[i] = b->close[i] - 0.5;
      b->high[i] = b->close[i] + 1;
      b->low[i] = b->close[i] - 1;
      b->volume[i] = 10.0 * (double) (i + 1);
      b->vwap[i] = i == 2 ? NAN : b->close[i];
    }
  return b;
}

static void
assert_series (const double *got,
               const double *want,
               size_t        n)
{
  for (size_t i = 0; i < n; i++)
    {
      if (isnan (want[i]))
        {
          if (!isnan (got[i]))
            g_error ("bar %zu: expected NAN, got %.17g", i, got[i]);
        }
      else
        g_assert_cmpfloat_with_epsilon (got[i], want[i], 1e-9);
    }
}

static double *
eval_text (HsEval     *ev,
           const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsExpr) e = parse_ok (text);
  double *v = hs_eval_run (ev, e, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (v);
  return v;
}

static void
test_eval_cases (void)
{
  g_autoptr(HsBars) b = tiny_bars ();
  HsEvalContext ctx = { .bars = b, .interval = "1h", .session = HS_SESSION_ALWAYS };
  g_autoptr(HsEval) ev = hs_eval_new (&ctx);
  static const struct
  {
    const char *text;
    double      want[5];
  } cases[] = {
    { "close", { 1, 2, 3, 4, 5 } },
    { "7", { 7, 7, 7, 7, 7 } },
    /* 1 + 2 × 3 = 7 everywhere: constants fold. */
    { "1 + 2 * 3", { 7, 7, 7, 7, 7 } },
    /* close × 2 + 1 */
    { "close * 2 + 1", { 3, 5, 7, 9, 11 } },
    /* (high - low) / 2 = 1 */
    { "(high - low) / 2", { 1, 1, 1, 1, 1 } },
    /* close / (close - 3): 1/-2, 2/-1, 3/0 is unknown, 4/1, 5/2 */
    { "close / (close - 3)", { -0.5, -2, NAN, 4, 2.5 } },
    /* close % 3 = 1 2 0 1 2; Python's sign rule: -1 % 3 = 2, -2 % 3 = 1, -4 % 3 = 2 */
    { "close % 3", { 1, 2, 0, 1, 2 } },
    { "-close % 3", { 2, 1, 0, 2, 1 } },
    { "close % -3", { -2, -1, 0, -2, -1 } },
    { "close % 0", { NAN, NAN, NAN, NAN, NAN } },
    { "-close", { -1, -2, -3, -4, -5 } },
    /* vwap is unknown at bar 2, and so is anything computed from it. */
    { "vwap + 1", { 2, 3, NAN, 5, 6 } },
    { "vwap > 2", { 0, 0, NAN, 1, 1 } },
    { "not vwap > 2", { 1, 1, NAN, 0, 0 } },
    { "vwap > 0 and close > 1", { 0, 1, NAN, 1, 1 } },
    { "close > 2 and close < 5", { 0, 0, 1, 1, 0 } },
    { "close <= 2 or close >= 5", { 1, 1, 0, 0, 1 } },
    { "close == 3", { 0, 0, 1, 0, 0 } },
    { "close != 3", { 1, 1, 0, 1, 1 } },
    { "not close > 2", { 1, 1, 0, 0, 0 } },
    { "not close", { 0, 0, 0, 0, 0 } },
    { "open + volume / 10", { 1.5, 3.5, 5.5, 7.5, 9.5 } },
    /* Overflow is unknown like a division by zero. */
    { "close * 1e308 * 10", { NAN, NAN, NAN, NAN, NAN } },
    /* sma(close, 3): warm-up, warm-up, (1+2+3)/3 = 2, (2+3+4)/3 = 3, (3+4+5)/3 = 4 */
    { "sma(close, 3)", { NAN, NAN, 2, 3, 4 } },
    { "sma(close, 1 + 2)", { NAN, NAN, 2, 3, 4 } },
    { "close - sma(close, 3)", { NAN, NAN, 1, 1, 1 } },
    /* sma(close, 2) = -, 1.5, 2.5, 3.5, 4.5; > 2 */
    { "sma(close, 2) > 2", { NAN, 0, 1, 1, 1 } },
    /* A number where a series goes: the same at every bar. sma(4, 2) = 4 after one bar. */
    { "sma(4, 2)", { NAN, 4, 4, 4, 4 } },
    /* highest(high, 2): high = 2 3 4 5 6 → -, 3, 4, 5, 6 */
    { "highest(high, 2)", { NAN, 3, 4, 5, 6 } },
    { "lowest(low, 2)", { NAN, 0, 1, 2, 3 } },
    /* crosses_above(close, 3): bar 3 has 4 > 3 and before it 3 <= 3. */
    { "crosses_above(close, 3)", { NAN, 0, 0, 1, 0 } },
    { "crosses_below(close, 3)", { NAN, 0, 0, 0, 0 } },
    /* 6 - close = 5 4 3 2 1 crosses below 3 at bar 3 (2 < 3, and 3 >= 3 before). */
    { "crosses_below(6 - close, 3)", { NAN, 0, 0, 1, 0 } },
    /* sma(close, 2) = -, 1.5, 2.5, 3.5, 4.5 crosses above 2 at bar 2; bar 1 compares with the
     * unknown bar 0. */
    { "crosses_above(sma(close, 2), 2)", { NAN, NAN, 1, 0, 0 } },
    /* Crossing an equal series is never a cross. */
    { "crosses_above(close, close)", { NAN, 0, 0, 0, 0 } },
    /* tf equal to the bars' interval changes nothing. */
    { "sma(close, 3, tf=1h)", { NAN, NAN, 2, 3, 4 } },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree double *v = eval_text (ev, cases[i].text);

      assert_series (v, cases[i].want, 5);
    }
}

static void
test_eval_state (void)
{
  g_autoptr(HsBars) b = tiny_bars ();
  const double position[5] = { 0, 1, 1, 1, 0 };
  const double held[5] = { 0, 0, 1, 2, 0 };
  const double entry[5] = { NAN, 2, 2, 2, NAN };
  const double unreal[5] = { NAN, 0, 50, 100, NAN };
  const double cvd[5] = { 5, -5, 10, 12, 11 };
  HsEvalContext ctx = {
    .bars = b, .interval = "1h", .position = position, .bars_held = held,
    .entry_price = entry, .unrealized_pct = unreal, .cvd = cvd,
  };
  g_autoptr(HsEval) ev = hs_eval_new (&ctx);
  g_autofree double *a = eval_text (ev, "position > 0 and bars_held >= 1");
  g_autofree double *c = eval_text (ev, "close / entry_price - 1");
  g_autofree double *d = eval_text (ev, "unrealized_pct > 60");
  g_autofree double *e = eval_text (ev, "cvd - cvd()");
  g_autofree double *f = eval_text (ev, "crosses_above(cvd, 0)");

  assert_series (a, (double[]) { 0, 0, 1, 1, 0 }, 5);
  /* close / entry - 1: 2/2 - 1 = 0, 3/2 - 1 = 0.5, 4/2 - 1 = 1 */
  assert_series (c, (double[]) { NAN, 0, 0.5, 1, NAN }, 5);
  assert_series (d, (double[]) { NAN, 0, 0, 1, NAN }, 5);
  assert_series (e, (double[]) { 0, 0, 0, 0, 0 }, 5);
  /* cvd 5 -5 10 12 11 crosses above 0 at bar 2 */
  assert_series (f, (double[]) { NAN, 0, 1, 0, 0 }, 5);
}

static void
test_eval_errors (void)
{
  g_autoptr(HsBars) b = tiny_bars ();
  HsEvalContext ctx = { .bars = b, .interval = "1h" };
  g_autoptr(HsEval) ev = hs_eval_new (&ctx);
  static const struct
  {
    const char *text;
    size_t      offset;
    int         code;
    const char *message;
  } cases[] = {
    { "sma(close)", 0, HS_EXPR_ERROR_ARGUMENT, "column 1: sma takes 2 arguments (x, n), found 1" },
    { "atr(14, 3)", 0, HS_EXPR_ERROR_ARGUMENT, "column 1: atr takes 1 argument (n), found 2" },
    { "1 + macd(close, 12)", 4, HS_EXPR_ERROR_ARGUMENT,
      "column 5: macd takes 3 arguments (x, fast, slow), found 2" },
    { "sma(close, 0)", 11, HS_EXPR_ERROR_ARGUMENT,
      "column 12: sma: argument 2 (n) must be a whole number from 1 to 1000000, found 0" },
    { "sma(close, 2.5)", 11, HS_EXPR_ERROR_ARGUMENT,
      "column 12: sma: argument 2 (n) must be a whole number from 1 to 1000000, found 2.5" },
    { "ema(close, -3)", 11, HS_EXPR_ERROR_ARGUMENT,
      "column 12: ema: argument 2 (n) must be a whole number from 1 to 1000000, found -3" },
    { "sma(close, 1e7)", 11, HS_EXPR_ERROR_ARGUMENT,
      "column 12: sma: argument 2 (n) must be a whole number from 1 to 1000000, found 10000000" },
    { "sma(close, volume)", 11, HS_EXPR_ERROR_ARGUMENT,
      "column 12: sma: argument 2 (n) must be a constant whole number, found volume" },
    { "sma(close, 1 / 0)", 11, HS_EXPR_ERROR_ARGUMENT, "column 12: sma: argument 2 (n) must be "
      "a whole number from 1 to 1000000, found 1 / 0" },
    { "bb_upper(close, 20, close)", 20, HS_EXPR_ERROR_ARGUMENT,
      "column 21: bb_upper: argument 3 (k) must be a constant number, found close" },
    { "stoch_d(14, 3, nope)", 15, HS_EXPR_ERROR_UNKNOWN, "column 16: unknown series “nope”; the "
      "series are open, high, low, close, volume, vwap, cvd, position, bars_held, entry_price, "
      "unrealized_pct" },
    { "sma('close', 5)", 4, HS_EXPR_ERROR_ARGUMENT,
      "column 5: sma: argument 1 (x) must be a series or a number, found a string" },
    { "'abc' + 1", 0, HS_EXPR_ERROR_ARGUMENT,
      "column 1: expected a number or a series, found a string" },
    { "foo(close)", 0, HS_EXPR_ERROR_UNKNOWN, "column 1: unknown function “foo”" },
    { "close()", 0, HS_EXPR_ERROR_UNKNOWN,
      "column 1: close is a series, not a function: write close" },
    { "clos + 1", 0, HS_EXPR_ERROR_UNKNOWN, "column 1: unknown series “clos”; the series are "
      "open, high, low, close, volume, vwap, cvd, position, bars_held, entry_price, "
      "unrealized_pct" },
    { "signals.5m.rsi > 70", 0, HS_EXPR_ERROR_UNKNOWN, "column 1: unknown series "
      "“signals.5m.rsi”; the series are open, high, low, close, volume, vwap, cvd, position, "
      "bars_held, entry_price, unrealized_pct" },
    { "close > sma", 8, HS_EXPR_ERROR_UNKNOWN, "column 9: sma is a function: write sma(x, n)" },
    { "position > 0", 0, HS_EXPR_ERROR_CONTEXT,
      "column 1: position is only known inside a backtest" },
    { "close > entry_price", 8, HS_EXPR_ERROR_CONTEXT,
      "column 9: entry_price is only known inside a backtest" },
    { "cvd > 0", 0, HS_EXPR_ERROR_CONTEXT,
      "column 1: cvd is not known here: it comes from imported trades" },
    { "cvd()", 0, HS_EXPR_ERROR_CONTEXT,
      "column 1: cvd is not known here: it comes from imported trades" },
    { "sma(close, 5, foo=1)", 18, HS_EXPR_ERROR_UNKNOWN,
      "column 19: sma has no argument foo=; the only named argument is tf=" },
    { "sma(close, 5, tf=7m)", 17, HS_EXPR_ERROR_INTERVAL, "column 18: sma: tf= takes an interval "
      "(1s, 1m, 5m, 15m, 30m, 1h, 4h, 1d, 2d, 1w, 2w, 1mo), found 7m" },
    { "sma(close, 5, tf=tick)", 17, HS_EXPR_ERROR_INTERVAL, "column 18: sma: tf= takes an "
      "interval (1s, 1m, 5m, 15m, 30m, 1h, 4h, 1d, 2d, 1w, 2w, 1mo), found tick" },
    { "sma(close, 5, tf=1 + 1)", 17, HS_EXPR_ERROR_INTERVAL, "column 18: sma: tf= takes an "
      "interval (1s, 1m, 5m, 15m, 30m, 1h, 4h, 1d, 2d, 1w, 2w, 1mo), found 1 + 1" },
    { "sma(close, 5, tf=5m)", 17, HS_EXPR_ERROR_INTERVAL,
      "column 18: sma: tf=5m is shorter than the bars' interval 1h" },
    { "sma(close, 5, tf=\"1m\")", 17, HS_EXPR_ERROR_INTERVAL,
      "column 18: sma: tf=1m is shorter than the bars' interval 1h" },
    /* Inside tf=1d the bars are daily: tf=4h inside it is shorter. */
    { "sma(ema(close, 3, tf=4h), 5, tf=1d)", 21, HS_EXPR_ERROR_INTERVAL,
      "column 22: ema: tf=4h is shorter than the bars' interval 1d" },
    { "sma(cvd, 5, tf=1d)", 4, HS_EXPR_ERROR_CONTEXT,
      "column 5: cvd is only known at the bars' own interval, not inside tf=" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL, error2 = NULL;
      g_autoptr(HsExpr) e = parse_ok (cases[i].text);
      size_t offset = 999, offset2 = 999;

      g_assert_null (hs_eval_run (ev, e, &offset, &error));
      g_assert_error (error, HS_EXPR_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpuint (offset, ==, cases[i].offset);
      /* hs_eval_check with the same context finds the same error without evaluating. */
      g_assert_false (hs_eval_check (e, &ctx, &offset2, &error2));
      g_assert_cmpstr (error2->message, ==, error->message);
      g_assert_cmpuint (offset2, ==, offset);
    }

  /* Without a context, only what needs none is checked. */
  {
    static const char *const fine[] = {
      "position > 0", "cvd", "sma(close, 5, tf=1m)", "unrealized_pct < -2",
    };

    for (size_t i = 0; i < G_N_ELEMENTS (fine); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(HsExpr) e = parse_ok (fine[i]);

        g_assert_true (hs_eval_check (e, NULL, NULL, &error));
        g_assert_no_error (error);
      }
  }
  /* Position state without any of its four arrays is unavailable. */
  {
    const double pos[5] = { 0 };
    HsEvalContext partial = { .bars = b, .interval = "1h", .position = pos };
    g_autoptr(GError) error = NULL;
    g_autoptr(HsExpr) e = parse_ok ("position");

    g_assert_false (hs_eval_check (e, &partial, NULL, &error));
    g_assert_error (error, HS_EXPR_ERROR, HS_EXPR_ERROR_CONTEXT);
  }
}

/* No bars, with NULL columns as the store's loader may give them: every expression gives no
 * values and no error. */
static void
test_eval_empty (void)
{
  HsBars empty = { .n = 0, .interval_s = 3600 };
  HsEvalContext ctx = { .bars = &empty, .interval = "1h", .session = HS_SESSION_ALWAYS };
  g_autoptr(HsEval) ev = hs_eval_new (&ctx);
  static const char *const texts[] = {
    "close", "1 + 2", "-close * 2", "sma(close, 3)", "atr(14)", "crosses_above(close, 3)",
    "stoch_d(5, 3, 3, tf=4h) > 50", "highest(high, 2, tf=1d) - lowest(low, 2)",
  };

  for (size_t i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree double *v = eval_text (ev, texts[i]);

      g_assert_nonnull (v);
    }
}

/* Twelve hourly 24/7 bars from 2024-01-01T00:00Z with close = 10 + i. The 4h bars are
 * [00:00, 04:00), [04:00, 08:00), [08:00, 12:00) with closes 13, 17, 21; an hourly bar i closes at
 * (i + 1) h and sees the last 4h bar ended by then: none for i = 0 … 2, the first for i = 3 … 6
 * (it ends at 04:00, bar 3's close), the second for i = 7 … 10, the third for i = 11. */
static void
test_eval_tf (void)
{
  g_autoptr(HsBars) b = hs_bars_new (12, 3600);
  const int64_t t0 = G_GINT64_CONSTANT (1704067200000000);   /* date -u -d 2024-01-01 +%s */
  HsEvalContext ctx = { .bars = b, .interval = "1h", .session = HS_SESSION_ALWAYS };
  g_autoptr(HsEval) ev = NULL;
  g_autoptr(HsResampled) r = NULL;
  g_autoptr(GError) error = NULL;

  for (size_t i = 0; i < 12; i++)
    {
      b->ts[i] = t0 + (int64_t) i * H;
      b->close[i] = 10.0 + (double) i;
      b->open[i] = b->close[i];
      b->high[i] = b->close[i] + 1;
      b->low[i] = b->close[i] - 1;
      b->volume[i] = 1;
      b->vwap[i] = NAN;
    }
  ev = hs_eval_new (&ctx);
  {
    g_autofree double *v = eval_text (ev, "highest(close, 1, tf=4h)");
    /* sma of the 4h closes 13, 17, 21 over 2: -, 15, 19 */
    g_autofree double *s = eval_text (ev, "sma(close, 2, tf=4h)");
    g_autofree double *d = eval_text (ev, "close - sma(close, 2, tf=4h)");
    /* tf=1d: the only day is not complete before the last bar closes at 12:00: never seen. */
    g_autofree double *day = eval_text (ev, "highest(close, 1, tf=1d)");
    /* Crossing on the 4h bars (closes 13, 17, 21 cross 15 at the second) holds for the four
     * hourly bars that see that 4h bar; crossing the held 4h values on the hourly bars fires
     * once, at bar 7 (17 > 15, and 13 <= 15 at bar 6). */
    g_autofree double *held = eval_text (ev, "crosses_above(close, 15, tf=4h)");
    g_autofree double *once = eval_text (ev, "crosses_above(highest(close, 1, tf=4h), 15)");
    const double nan = NAN;

    assert_series (v, (double[]) { nan, nan, nan, 13, 13, 13, 13, 17, 17, 17, 17, 21 }, 12);
    assert_series (s, (double[]) { nan, nan, nan, nan, nan, nan, nan, 15, 15, 15, 15, 19 }, 12);
    /* bar 7: 17 - 15 = 2; bar 11: 21 - 19 = 2; bars 8 … 10: 18 - 15, 19 - 15, 20 - 15 */
    assert_series (d, (double[]) { nan, nan, nan, nan, nan, nan, nan, 2, 3, 4, 5, 2 }, 12);
    for (size_t i = 0; i < 12; i++)
      g_assert_true (isnan (day[i]));
    assert_series (held, (double[]) { nan, nan, nan, nan, nan, nan, nan, 1, 1, 1, 1, 0 }, 12);
    assert_series (once, (double[]) { nan, nan, nan, nan, 0, 0, 0, 1, 0, 0, 0, 0 }, 12);
  }

  /* The look-ahead rule, checked by brute force against the resampled bars: the value at bar i
   * is that of the last longer bar that ended at or before bar i's close. */
  r = hs_resample (b, "4h", HS_SESSION_ALWAYS, &error);
  g_assert_no_error (error);
  {
    g_autofree double *v = eval_text (ev, "highest(close, 1, tf=4h)");

    for (size_t i = 0; i < 12; i++)
      {
        int64_t close_at = b->ts[i] + 3600 * G_GINT64_CONSTANT (1000000);
        double want = NAN;

        for (size_t k = 0; k < r->bars->n; k++)
          if (r->end_ts[k] <= close_at)
            want = r->bars->close[k];
        if (isnan (want))
          g_assert_true (isnan (v[i]));
        else
          g_assert_cmpfloat (v[i], ==, want);
      }
  }
}

/* ---- differential: the vectorized evaluator against a per-bar interpreter ---- */

static double
ref_eval (const HsExpr *e,
          const HsBars *b,
          size_t        i)
{
  double x, y;

  switch (e->kind)
    {
    case HS_EXPR_NUMBER:
      return e->number;
    case HS_EXPR_IDENT:
      if (g_str_equal (e->text, "open"))
        return b->open[i];
      if (g_str_equal (e->text, "high"))
        return b->high[i];
      if (g_str_equal (e->text, "low"))
        return b->low[i];
      if (g_str_equal (e->text, "close"))
        return b->close[i];
      if (g_str_equal (e->text, "volume"))
        return b->volume[i];
      g_assert_cmpstr (e->text, ==, "vwap");
      return b->vwap[i];
    case HS_EXPR_UNARY:
      x = ref_eval (e->args[0], b, i);
      if (isnan (x))
        return NAN;
      return e->op == HS_EXPR_OP_NEG ? -x : (x == 0 ? 1 : 0);
    case HS_EXPR_BINARY:
      x = ref_eval (e->args[0], b, i);
      y = ref_eval (e->args[1], b, i);
      if (isnan (x) || isnan (y))
        return NAN;
      switch (e->op)
        {
        case HS_EXPR_OP_ADD:
          x = x + y;
          break;
        case HS_EXPR_OP_SUB:
          x = x - y;
          break;
        case HS_EXPR_OP_MUL:
          x = x * y;
          break;
        case HS_EXPR_OP_DIV:
          x = y == 0 ? NAN : x / y;
          break;
        case HS_EXPR_OP_MOD:
          if (y == 0)
            return NAN;
          /* x - y × floor(x / y), Python's definition, when it is exact enough. */
          {
            double m = fmod (x, y);

            x = (m != 0 && (m < 0) != (y < 0)) ? m + y : m;
          }
          break;
        case HS_EXPR_OP_LT:
          return x < y ? 1 : 0;
        case HS_EXPR_OP_LE:
          return x <= y ? 1 : 0;
        case HS_EXPR_OP_GT:
          return x > y ? 1 : 0;
        case HS_EXPR_OP_GE:
          return x >= y ? 1 : 0;
        case HS_EXPR_OP_EQ:
          return x == y ? 1 : 0;
        case HS_EXPR_OP_NE:
          return x != y ? 1 : 0;
        case HS_EXPR_OP_AND:
          return (x != 0 && y != 0) ? 1 : 0;
        case HS_EXPR_OP_OR:
          return (x != 0 || y != 0) ? 1 : 0;
        default:
          g_assert_not_reached ();
        }
      return isfinite (x) ? x : NAN;
    default:
      g_assert_not_reached ();
      return NAN;
    }
}

static void
random_tree (GString *s,
             GRand   *rand,
             int      depth)
{
  static const char *const leaves[] = { "open", "high", "low", "close", "volume", "vwap", "0",
                                        "1", "2.5", "-3", "100" };
  static const char *const binops[] = { "+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==",
                                        "!=", "and", "or" };
  int r = g_rand_int_range (rand, 0, depth <= 0 ? 1 : 10);

  if (r < 3)
    g_string_append (s, leaves[g_rand_int_range (rand, 0, G_N_ELEMENTS (leaves))]);
  else if (r < 4)
    {
      g_string_append (s, g_rand_boolean (rand) ? "(-(" : "(not (");
      random_tree (s, rand, depth - 1);
      g_string_append (s, "))");
    }
  else
    {
      g_string_append_c (s, '(');
      random_tree (s, rand, depth - 1);
      g_string_append_printf (s, " %s ", binops[g_rand_int_range (rand, 0, G_N_ELEMENTS (binops))]);
      random_tree (s, rand, depth - 1);
      g_string_append_c (s, ')');
    }
}

static void
test_eval_differential (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  const size_t n = 64;
  g_autoptr(HsBars) b = hs_bars_new (n, 60);
  HsEvalContext ctx = { .bars = b, .interval = "1m" };
  g_autoptr(HsEval) ev = hs_eval_new (&ctx);

  /* Prices with repeats and zeros, so comparisons tie and divisions hit zero. */
  for (size_t i = 0; i < n; i++)
    {
      b->ts[i] = (int64_t) i * 60 * G_GINT64_CONSTANT (1000000);
      b->open[i] = (double) g_rand_int_range (rand, 0, 5);
      b->close[i] = (double) g_rand_int_range (rand, 0, 5);
      b->high[i] = MAX (b->open[i], b->close[i]) + g_rand_int_range (rand, 0, 2);
      b->low[i] = MIN (b->open[i], b->close[i]) - g_rand_int_range (rand, 0, 2);
      b->volume[i] = g_rand_double_range (rand, 0, 1e6);
      b->vwap[i] = i % 7 == 0 ? NAN : (b->high[i] + b->low[i]) / 2;
    }
  for (int k = 0; k < 2000; k++)
    {
      g_autoptr(GString) s = g_string_new (NULL);
      g_autoptr(HsExpr) e = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree double *v = NULL;

      random_tree (s, rand, 6);
      e = parse_ok (s->str);
      v = hs_eval_run (ev, e, NULL, &error);
      g_assert_no_error (error);
      for (size_t i = 0; i < n; i++)
        {
          double want = ref_eval (e, b, i);

          if (isnan (want) != isnan (v[i]) || (!isnan (want) && want != v[i]))
            g_error ("%s at bar %zu: expected %.17g, got %.17g", s->str, i, want, v[i]);
        }
    }
}

/* ---- robustness ---- */

/* How the random inputs fared, reported at the end. */
static int n_parsed, n_failed, n_evaluated;

static void
check_any (const char *text,
           HsEval     *ev)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsExpr) e = NULL;
  size_t offset = G_MAXSIZE;

  e = hs_expr_parse (text, &offset, &error);
  if (e == NULL)
    {
      g_autofree char *prefix = NULL;

      g_assert_nonnull (error);
      g_assert_true (error->domain == HS_EXPR_ERROR);
      g_assert_cmpuint (offset, <=, strlen (text));
      prefix = g_strdup_printf ("column %d: ", hs_expr_column (text, offset));
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      n_failed++;
      return;
    }
  n_parsed++;
  {
    g_autofree char *printed = hs_expr_print (e);
    g_autoptr(HsExpr) again = hs_expr_parse (printed, NULL, &error);
    g_autofree char *printed2 = NULL;

    if (again == NULL)
      g_error ("“%s” printed as “%s” does not parse: %s", text, printed, error->message);
    if (!hs_expr_equal (e, again))
      g_error ("“%s” printed as “%s” parses to another tree", text, printed);
    printed2 = hs_expr_print (again);
    g_assert_cmpstr (printed, ==, printed2);
  }
  g_assert_cmpint (e->depth, <=, HS_EXPR_MAX_DEPTH);
  if (hs_eval_check (e, NULL, NULL, NULL))
    {
      g_autofree double *v = hs_eval_run (ev, e, &offset, &error);

      if (v == NULL)
        {
          g_assert_nonnull (error);
          g_assert_cmpuint (offset, <=, strlen (text));
        }
      else
        n_evaluated++;
    }
}

static void
test_random_inputs (void)
{
  static const char *const vocab[] = {
    "close", "open", "high", "low", "volume", "vwap", "position", "cvd", "x", "signals",
    "sma", "ema", "rsi", "macd_signal", "bb_upper", "atr", "stoch_d", "crosses_above",
    "highest", "pivot_low", "(", "(", ")", ")", ",", ",", "tf", "=", "==", "!=", "<", "<=", ">",
    ">=", "and", "or", "not", "-", "+", "*", "/", "%", "3", "14", "2.5", "1e3", "0", "1e999",
    ".", "5m", "1h", "1d", "7m", "'s'", "\"", "'", "\\", "!", "é", "\xff", "\x01", "$", "1.",
    "_", "tf=1h", "tf=",
  };
  static const char *const seeds[] = {
    "sma(close, 10)", "crosses_above(sma(close, 10), sma(close, 30))",
    "rsi(close, 14, tf=4h) < 30 and close > bb_lower(close, 20, 2)",
    "macd_hist(close, 12, 26, 9) > 0 or not (atr(14) > 2 * stdev(close, 20))",
    "signals.5m.rsi > 70 and target_pnl_1h < -10",
    "stoch_d(14, 3, 3, tf=1d) - stoch_k(14, 3) >= -5 % 3",
    "position == 0 and highest(high, 20) <= pivot_high(high, 3, 3)",
    "'a\\n' == \"b\"",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  g_autoptr(HsBars) b = tiny_bars ();
  HsEvalContext ctx = { .bars = b, .interval = "1h", .session = HS_SESSION_ALWAYS };
  g_autoptr(HsEval) ev = hs_eval_new (&ctx);
  const int rounds = 100000;

  for (int k = 0; k < rounds; k++)
    {
      g_autoptr(GString) s = g_string_new (NULL);

      if (k % 2 == 0)
        {
          int len = g_rand_int_range (rand, 0, 24);

          for (int t = 0; t < len; t++)
            {
              if (g_rand_int_range (rand, 0, 3) == 0)
                g_string_append_c (s, ' ');
              g_string_append (s, vocab[g_rand_int_range (rand, 0, G_N_ELEMENTS (vocab))]);
            }
        }
      else
        {
          int edits = g_rand_int_range (rand, 1, 4);

          g_string_append (s, seeds[g_rand_int_range (rand, 0, G_N_ELEMENTS (seeds))]);
          for (int t = 0; t < edits; t++)
            {
              size_t at = s->len ? (size_t) g_rand_int_range (rand, 0, (gint32) s->len) : 0;
              size_t span = (size_t) g_rand_int_range (rand, 1, 6);

              switch (g_rand_int_range (rand, 0, 5))
                {
                case 0:   /* delete */
                  g_string_erase (s, (gssize) at, (gssize) MIN (span, s->len - at));
                  break;
                case 1:   /* insert a random byte (never NUL: the input is a C string) */
                  g_string_insert_c (s, (gssize) at, (char) g_rand_int_range (rand, 1, 256));
                  break;
                case 2:   /* insert a token */
                  g_string_insert (s, (gssize) at,
                                   vocab[g_rand_int_range (rand, 0, G_N_ELEMENTS (vocab))]);
                  break;
                case 3:   /* duplicate a span */
                  {
                    g_autofree char *dup = g_strndup (s->str + at, MIN (span * 3, s->len - at));

                    g_string_insert (s, (gssize) at, dup);
                    break;
                  }
                default:  /* truncate */
                  g_string_truncate (s, at);
                  break;
                }
            }
        }
      check_any (s->str, ev);
    }
  g_test_message ("%d inputs: %d parsed (%d of them evaluated), %d refused with a position",
                  rounds, n_parsed, n_evaluated, n_failed);
  g_assert_cmpint (n_parsed + n_failed, ==, rounds);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/core/expr/parse/cases", test_parse_cases);
  g_test_add_func ("/hs/core/expr/parse/positions", test_parse_positions);
  g_test_add_func ("/hs/core/expr/parse/errors", test_parse_errors);
  g_test_add_func ("/hs/core/expr/parse/depth", test_parse_depth);
  g_test_add_func ("/hs/core/expr/eval/cases", test_eval_cases);
  g_test_add_func ("/hs/core/expr/eval/state", test_eval_state);
  g_test_add_func ("/hs/core/expr/eval/errors", test_eval_errors);
  g_test_add_func ("/hs/core/expr/eval/tf", test_eval_tf);
  g_test_add_func ("/hs/core/expr/eval/empty", test_eval_empty);
  g_test_add_func ("/hs/core/expr/eval/differential", test_eval_differential);
  g_test_add_func ("/hs/core/expr/random-inputs", test_random_inputs);
  return g_test_run ();
}
