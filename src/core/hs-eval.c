/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The evaluator of expressions over bars, vectorized: each node is computed once over the whole
 * series, function calls by the O(n) kernels of hs-indicators.h, arithmetic element by element.
 * A NAN input gives a NAN output (warm-up stays empty); comparisons and logic give 1 or 0.
 *
 * Functions are rows of one table (name, parameters and their kinds, kernel); checking a call
 * against its row happens before any evaluation, so every error (unknown name, wrong number or
 * kind of arguments, a tf= shorter than the bars) names the function, the argument and its
 * column. tf= resamples the bars (hs-resample.h), evaluates the call on the longer bars and maps
 * the values back so that a bar sees only the last longer bar complete at its close.
 *
 * Expected load: a rule set of a few calls over up to millions of bars per backtest; the
 * evaluator keeps each computed call, keyed by its canonical text, for the expressions after it.
 */
#define G_LOG_DOMAIN "hs-eval"

#include "config.h"

#include "hs-eval.h"

#include "hs-indicators.h"
#include "hs-interval.h"

#include <math.h>
#include <string.h>

/* Periods beyond this are mistakes, and highest/lowest allocate O(period). */
#define MAX_PERIOD 1000000

typedef enum
{
  A_SERIES,   /* a series or a number (a number is the same at every bar) */
  A_INT,      /* a constant whole number from 1 to MAX_PERIOD */
  A_REAL,     /* a constant finite number */
} ArgKind;

#define MAX_ARGS 4

typedef struct
{
  const double *x[MAX_ARGS];   /* A_SERIES arguments by position */
  int           i[MAX_ARGS];   /* A_INT arguments */
  double        r[MAX_ARGS];   /* A_REAL arguments */
} Args;

typedef void (*Kernel) (const HsEval *ev,
                        const Args   *a,
                        size_t        n,
                        double       *out);

typedef struct
{
  const char *name;
  int         arity;
  ArgKind     kinds[MAX_ARGS];
  const char *params[MAX_ARGS];   /* parameter names, for messages */
  Kernel      run;
} Function;

typedef enum
{
  S_OPEN,
  S_HIGH,
  S_LOW,
  S_CLOSE,
  S_VOLUME,
  S_VWAP,
  S_CVD,
  S_POSITION,
  S_BARS_HELD,
  S_ENTRY_PRICE,
  S_UNREALIZED_PCT,
  S_UNKNOWN,
} Series;

static const char *const series_names[] = {
  "open", "high", "low", "close", "volume", "vwap", "cvd",
  "position", "bars_held", "entry_price", "unrealized_pct",
};

typedef struct
{
  HsResampled *higher;   /* (owned) */
  HsEval      *eval;     /* (owned) over higher->bars */
  int64_t     *idx;      /* (owned) per bar of the parent: the higher bar it may see, or -1 */
} Sub;

struct _HsEval
{
  HsEvalContext ctx;
  const char   *interval;   /* a name from the interval table, or NULL when unknown */
  int           rank;       /* its index in that table (longer is higher), -1 when unknown */
  gboolean      nested;     /* evaluating inside a tf=: no backtest state, no cvd */
  GHashTable   *cache;      /* (owned) canonical call text → double[n] (owned) */
  GHashTable   *subs;       /* (owned) interval name → Sub (owned) */
};

/* ---- kernels ---- */

static void
k_sma (const HsEval *ev,
       const Args   *a,
       size_t        n,
       double       *out)
{
  hs_sma (a->x[0], n, a->i[1], out);
}

static void
k_ema (const HsEval *ev,
       const Args   *a,
       size_t        n,
       double       *out)
{
  hs_ema (a->x[0], n, a->i[1], out);
}

static void
k_wma (const HsEval *ev,
       const Args   *a,
       size_t        n,
       double       *out)
{
  hs_wma (a->x[0], n, a->i[1], out);
}

static void
k_rsi (const HsEval *ev,
       const Args   *a,
       size_t        n,
       double       *out)
{
  hs_rsi (a->x[0], n, a->i[1], out);
}

/* The MACD line does not depend on the signal period; 9 is only there to be valid. */
static void
k_macd (const HsEval *ev,
        const Args   *a,
        size_t        n,
        double       *out)
{
  hs_macd (a->x[0], n, a->i[1], a->i[2], 9, out, NULL, NULL);
}

static void
k_macd_signal (const HsEval *ev,
               const Args   *a,
               size_t        n,
               double       *out)
{
  hs_macd (a->x[0], n, a->i[1], a->i[2], a->i[3], NULL, out, NULL);
}

static void
k_macd_hist (const HsEval *ev,
             const Args   *a,
             size_t        n,
             double       *out)
{
  hs_macd (a->x[0], n, a->i[1], a->i[2], a->i[3], NULL, NULL, out);
}

static void
k_bb_mid (const HsEval *ev,
          const Args   *a,
          size_t        n,
          double       *out)
{
  hs_bollinger (a->x[0], n, a->i[1], a->r[2], out, NULL, NULL);
}

static void
k_bb_upper (const HsEval *ev,
            const Args   *a,
            size_t        n,
            double       *out)
{
  hs_bollinger (a->x[0], n, a->i[1], a->r[2], NULL, out, NULL);
}

static void
k_bb_lower (const HsEval *ev,
            const Args   *a,
            size_t        n,
            double       *out)
{
  hs_bollinger (a->x[0], n, a->i[1], a->r[2], NULL, NULL, out);
}

static void
k_stdev (const HsEval *ev,
         const Args   *a,
         size_t        n,
         double       *out)
{
  hs_stdev (a->x[0], n, a->i[1], out);
}

static void
k_atr (const HsEval *ev,
       const Args   *a,
       size_t        n,
       double       *out)
{
  const HsBars *b = ev->ctx.bars;

  hs_atr (b->high, b->low, b->close, n, a->i[0], out);
}

/* %K does not depend on the %D period; 1 is only there to be valid. */
static void
k_stoch_k (const HsEval *ev,
           const Args   *a,
           size_t        n,
           double       *out)
{
  const HsBars *b = ev->ctx.bars;

  hs_stochastic (b->high, b->low, b->close, n, a->i[0], a->i[1], 1, out, NULL);
}

static void
k_stoch_d (const HsEval *ev,
           const Args   *a,
           size_t        n,
           double       *out)
{
  const HsBars *b = ev->ctx.bars;

  hs_stochastic (b->high, b->low, b->close, n, a->i[0], a->i[1], a->i[2], NULL, out);
}

static void
k_highest (const HsEval *ev,
           const Args   *a,
           size_t        n,
           double       *out)
{
  hs_highest (a->x[0], n, a->i[1], out);
}

static void
k_lowest (const HsEval *ev,
          const Args   *a,
          size_t        n,
          double       *out)
{
  hs_lowest (a->x[0], n, a->i[1], out);
}

static void
k_pivot_high (const HsEval *ev,
              const Args   *a,
              size_t        n,
              double       *out)
{
  hs_pivot_high (a->x[0], n, a->i[1], a->i[2], out);
}

static void
k_pivot_low (const HsEval *ev,
             const Args   *a,
             size_t        n,
             double       *out)
{
  hs_pivot_low (a->x[0], n, a->i[1], a->i[2], out);
}

/* crosses_above(a, b)[i] = a[i] > b[i] and a[i-1] <= b[i-1]; NAN at bar 0 and wherever one of
 * the four values is NAN. */
static void
crosses (const Args *a,
         size_t      n,
         int         sign,
         double     *out)
{
  const double *x = a->x[0], *y = a->x[1];

  if (n > 0)
    out[0] = NAN;
  for (size_t i = 1; i < n; i++)
    {
      if (isnan (x[i]) || isnan (y[i]) || isnan (x[i - 1]) || isnan (y[i - 1]))
        out[i] = NAN;
      else if (sign > 0)
        out[i] = x[i] > y[i] && x[i - 1] <= y[i - 1];
      else
        out[i] = x[i] < y[i] && x[i - 1] >= y[i - 1];
    }
}

static void
k_crosses_above (const HsEval *ev,
                 const Args   *a,
                 size_t        n,
                 double       *out)
{
  crosses (a, n, 1, out);
}

static void
k_crosses_below (const HsEval *ev,
                 const Args   *a,
                 size_t        n,
                 double       *out)
{
  crosses (a, n, -1, out);
}

static void
k_cvd (const HsEval *ev,
       const Args   *a,
       size_t        n,
       double       *out)
{
  /* Checked before: only called when the context has cvd. */
  if (n > 0)
    memcpy (out, ev->ctx.cvd, n * sizeof (double));
}

#define S A_SERIES
#define I A_INT
#define R A_REAL

static const Function functions[] = {
  { "sma", 2, { S, I }, { "x", "n" }, k_sma },
  { "ema", 2, { S, I }, { "x", "n" }, k_ema },
  { "wma", 2, { S, I }, { "x", "n" }, k_wma },
  { "rsi", 2, { S, I }, { "x", "n" }, k_rsi },
  { "macd", 3, { S, I, I }, { "x", "fast", "slow" }, k_macd },
  { "macd_signal", 4, { S, I, I, I }, { "x", "fast", "slow", "signal" }, k_macd_signal },
  { "macd_hist", 4, { S, I, I, I }, { "x", "fast", "slow", "signal" }, k_macd_hist },
  { "bb_mid", 3, { S, I, R }, { "x", "n", "k" }, k_bb_mid },
  { "bb_upper", 3, { S, I, R }, { "x", "n", "k" }, k_bb_upper },
  { "bb_lower", 3, { S, I, R }, { "x", "n", "k" }, k_bb_lower },
  { "stdev", 2, { S, I }, { "x", "n" }, k_stdev },
  { "atr", 1, { I }, { "n" }, k_atr },
  { "stoch_k", 2, { I, I }, { "n", "smooth" }, k_stoch_k },
  { "stoch_d", 3, { I, I, I }, { "n", "smooth", "d" }, k_stoch_d },
  { "highest", 2, { S, I }, { "x", "n" }, k_highest },
  { "lowest", 2, { S, I }, { "x", "n" }, k_lowest },
  { "pivot_high", 3, { S, I, I }, { "x", "left", "right" }, k_pivot_high },
  { "pivot_low", 3, { S, I, I }, { "x", "left", "right" }, k_pivot_low },
  { "crosses_above", 2, { S, S }, { "a", "b" }, k_crosses_above },
  { "crosses_below", 2, { S, S }, { "a", "b" }, k_crosses_below },
  { "cvd", 0, { 0 }, { NULL }, k_cvd },
};

#undef S
#undef I
#undef R

/* "x, n": the parameters as a signature lists them. */
static char *
params_text (const Function *f)
{
  GString *s = g_string_new (NULL);

  for (int i = 0; i < f->arity; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", f->params[i]);
  return g_string_free (s, FALSE);
}

static const Function *
find_function (const char *name)
{
  for (size_t i = 0; i < G_N_ELEMENTS (functions); i++)
    if (g_str_equal (functions[i].name, name))
      return &functions[i];
  return NULL;
}

/**
 * hs_eval_function_list:
 *
 * Returns: (transfer full): every function with its parameters, "sma(x, n), ema(x, n), …",
 *   for help texts
 */
char *
hs_eval_function_list (void)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (functions); i++)
    {
      g_autofree char *params = params_text (&functions[i]);

      g_string_append_printf (s, "%s%s(%s)", i ? ", " : "", functions[i].name, params);
    }
  return g_string_free (s, FALSE);
}

static Series
find_series (const HsExpr *e)
{
  if (e->n_parts != 1)
    return S_UNKNOWN;
  for (size_t i = 0; i < G_N_ELEMENTS (series_names); i++)
    if (g_str_equal (series_names[i], e->text))
      return (Series) i;
  return S_UNKNOWN;
}

/* ---- errors ---- */

static gboolean G_GNUC_PRINTF (5, 6)
fail (GError      **error,
      size_t       *error_offset,
      const HsExpr *at,
      int           code,
      const char   *format,
      ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  if (error_offset != NULL)
    *error_offset = at->offset;
  g_set_error (error, HS_EXPR_ERROR, code, "column %d: %s", at->column, msg);
  return FALSE;
}

/* An argument as it appears in a message: canonical, shortened. */
static char *
describe (const HsExpr *e)
{
  g_autofree char *text = hs_expr_print (e);
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  /* Strings may hold any bytes: measure only once they are valid UTF-8. */
  if (g_utf8_strlen (valid, -1) > 40)
    {
      *g_utf8_offset_to_pointer (valid, 39) = '\0';
      return g_strdup_printf ("%s…", valid);
    }
  return g_steal_pointer (&valid);
}

/* ---- scalar arithmetic, shared by constant folding and the vector loops ---- */

static inline double
apply_binary (HsExprOp op,
              double   a,
              double   b)
{
  double r;

  if (isnan (a) || isnan (b))
    return NAN;
  switch (op)
    {
    case HS_EXPR_OP_ADD:
      r = a + b;
      break;
    case HS_EXPR_OP_SUB:
      r = a - b;
      break;
    case HS_EXPR_OP_MUL:
      r = a * b;
      break;
    case HS_EXPR_OP_DIV:
      r = b == 0 ? NAN : a / b;
      break;
    case HS_EXPR_OP_MOD:
      /* Python's: the result has the sign of the divisor. */
      if (b == 0)
        return NAN;
      r = fmod (a, b);
      if (r != 0 && (r < 0) != (b < 0))
        r += b;
      break;
    case HS_EXPR_OP_LT:
      return a < b;
    case HS_EXPR_OP_LE:
      return a <= b;
    case HS_EXPR_OP_GT:
      return a > b;
    case HS_EXPR_OP_GE:
      return a >= b;
    case HS_EXPR_OP_EQ:
      return a == b;
    case HS_EXPR_OP_NE:
      return a != b;
    case HS_EXPR_OP_AND:
      return a != 0 && b != 0;
    case HS_EXPR_OP_OR:
      return a != 0 || b != 0;
    default:
      g_assert_not_reached ();
      return NAN;
    }
  /* An overflow is as unknown as a division by zero. */
  return isfinite (r) ? r : NAN;
}

static inline double
apply_unary (HsExprOp op,
             double   a)
{
  if (isnan (a))
    return NAN;
  return op == HS_EXPR_OP_NOT ? (double) (a == 0) : -a;
}

/* Whether @e is the same at every bar (numbers and arithmetic on them), and its value. */
static gboolean
constant_value (const HsExpr *e,
                double       *v)
{
  double a, b;

  switch (e->kind)
    {
    case HS_EXPR_NUMBER:
      *v = e->number;
      return TRUE;
    case HS_EXPR_UNARY:
      if (!constant_value (e->args[0], &a))
        return FALSE;
      *v = apply_unary (e->op, a);
      return TRUE;
    case HS_EXPR_BINARY:
      if (!constant_value (e->args[0], &a) || !constant_value (e->args[1], &b))
        return FALSE;
      *v = apply_binary (e->op, a, b);
      return TRUE;
    case HS_EXPR_STRING:
    case HS_EXPR_IDENT:
    case HS_EXPR_CALL:
    default:
      return FALSE;
    }
}

/* ---- intervals ---- */

static int
interval_rank (const char *name)
{
  size_t n = 0;
  const HsInterval *all = hs_interval_all (&n);

  for (size_t i = 0; i < n; i++)
    if (g_str_equal (all[i].name, name))
      return (int) i;
  return -1;
}

/* The context's interval: its name, else the one whose length is bars->interval_s. */
static const char *
context_interval (const HsEvalContext *ctx)
{
  size_t n = 0;
  const HsInterval *all = hs_interval_all (&n);

  if (ctx->interval != NULL)
    {
      const HsInterval *iv = hs_interval_lookup (ctx->interval);

      return iv ? iv->name : NULL;
    }
  if (ctx->bars == NULL || ctx->bars->interval_s <= 0)
    return NULL;
  for (size_t i = 0; i < n; i++)
    if (all[i].seconds == ctx->bars->interval_s)
      return all[i].name;
  return NULL;
}

/* The interval a tf= value names (tf=1h or tf="1h"), or NULL. */
static const char *
tf_text (const HsExpr *v)
{
  if (v->kind == HS_EXPR_STRING || (v->kind == HS_EXPR_IDENT && v->n_parts == 1))
    return v->text;
  return NULL;
}

/* ---- checking ---- */

typedef struct
{
  gboolean    known;      /* a context was given: availability can be checked */
  const char *interval;   /* (nullable) */
  int         rank;
  gboolean    nested;
  gboolean    has_state;
  gboolean    has_cvd;
} CheckInfo;

static gboolean
check_node (const CheckInfo *info,
            const HsExpr    *e,
            size_t          *error_offset,
            GError         **error);

static gboolean
check_ident (const CheckInfo *info,
             const HsExpr    *e,
             size_t          *error_offset,
             GError         **error)
{
  Series s = find_series (e);
  const Function *f;

  if (s == S_UNKNOWN)
    {
      if (e->n_parts == 1 && (f = find_function (e->text)) != NULL)
        {
          g_autofree char *params = params_text (f);

          return fail (error, error_offset, e, HS_EXPR_ERROR_UNKNOWN,
                       "%s is a function: write %s(%s)", f->name, f->name, params);
        }
      return fail (error, error_offset, e, HS_EXPR_ERROR_UNKNOWN,
                   "unknown series “%s”; the series are open, high, low, close, volume, vwap, "
                   "cvd, position, bars_held, entry_price, unrealized_pct", e->text);
    }
  if (s == S_CVD)
    {
      if (info->nested)
        return fail (error, error_offset, e, HS_EXPR_ERROR_CONTEXT,
                     "cvd is only known at the bars' own interval, not inside tf=");
      if (info->known && !info->has_cvd)
        return fail (error, error_offset, e, HS_EXPR_ERROR_CONTEXT,
                     "cvd is not known here: it comes from imported trades");
    }
  if (s >= S_POSITION)
    {
      if (info->nested)
        return fail (error, error_offset, e, HS_EXPR_ERROR_CONTEXT,
                     "%s is only known at the bars' own interval, not inside tf=", e->text);
      if (info->known && !info->has_state)
        return fail (error, error_offset, e, HS_EXPR_ERROR_CONTEXT,
                     "%s is only known inside a backtest", e->text);
    }
  return TRUE;
}

static gboolean
check_call (const CheckInfo *info,
            const HsExpr    *e,
            size_t          *error_offset,
            GError         **error)
{
  const Function *f = find_function (e->text);
  CheckInfo sub = *info;
  size_t n_pos = hs_expr_n_positional (e);
  const HsExpr *tf = NULL;
  g_autofree char *params = NULL;

  if (f == NULL)
    {
      HsExpr probe = { .kind = HS_EXPR_IDENT, .text = e->text, .n_parts = 1 };

      if (find_series (&probe) != S_UNKNOWN)
        return fail (error, error_offset, e, HS_EXPR_ERROR_UNKNOWN,
                     "%s is a series, not a function: write %s", e->text, e->text);
      return fail (error, error_offset, e, HS_EXPR_ERROR_UNKNOWN,
                   "unknown function “%s”", e->text);
    }
  for (size_t i = n_pos; i < e->n_args; i++)
    {
      if (!g_str_equal (e->names[i], "tf"))
        return fail (error, error_offset, e->args[i], HS_EXPR_ERROR_UNKNOWN,
                     "%s has no argument %s=; the only named argument is tf=", f->name,
                     e->names[i]);
      tf = e->args[i];
    }
  params = params_text (f);
  if (n_pos != (size_t) f->arity)
    return fail (error, error_offset, e, HS_EXPR_ERROR_ARGUMENT,
                 "%s takes %d argument%s (%s), found %zu", f->name, f->arity,
                 f->arity == 1 ? "" : "s", params, n_pos);
  if (tf != NULL)
    {
      const char *name = tf_text (tf);
      const HsInterval *iv = name ? hs_interval_lookup (name) : NULL;

      if (iv == NULL || g_str_equal (iv->name, "tick"))
        {
          g_autofree char *names = hs_interval_names ();
          g_autofree char *found = describe (tf);
          const char *list = g_str_has_prefix (names, "tick, ") ? names + 6 : names;

          return fail (error, error_offset, tf, HS_EXPR_ERROR_INTERVAL,
                       "%s: tf= takes an interval (%s), found %s", f->name, list, found);
        }
      if (info->known && info->rank < 0)
        return fail (error, error_offset, tf, HS_EXPR_ERROR_INTERVAL,
                     "%s: tf=%s needs the bars' interval, which is not known", f->name,
                     iv->name);
      if (info->known && interval_rank (iv->name) < info->rank)
        return fail (error, error_offset, tf, HS_EXPR_ERROR_INTERVAL,
                     "%s: tf=%s is shorter than the bars' interval %s", f->name, iv->name,
                     info->interval);
      /* Without a context the bars' interval is unknown: nothing is assumed about it. */
      if (info->known && interval_rank (iv->name) != info->rank)
        {
          sub.interval = iv->name;
          sub.rank = interval_rank (iv->name);
          sub.nested = TRUE;
        }
    }
  if (g_str_equal (f->name, "cvd"))
    {
      HsExpr probe = *e;

      probe.kind = HS_EXPR_IDENT;
      probe.n_parts = 1;
      if (!check_ident (&sub, &probe, error_offset, error))
        return FALSE;
    }
  for (int i = 0; i < f->arity; i++)
    {
      const HsExpr *arg = e->args[i];
      double v = 0;

      if (f->kinds[i] == A_SERIES)
        {
          if (arg->kind == HS_EXPR_STRING)
            return fail (error, error_offset, arg, HS_EXPR_ERROR_ARGUMENT,
                         "%s: argument %d (%s) must be a series or a number, found a string",
                         f->name, i + 1, f->params[i]);
          if (!check_node (&sub, arg, error_offset, error))
            return FALSE;
          continue;
        }
      if (!constant_value (arg, &v))
        {
          g_autofree char *found = describe (arg);

          if (arg->kind != HS_EXPR_STRING && !check_node (&sub, arg, error_offset, error))
            return FALSE;
          return fail (error, error_offset, arg, HS_EXPR_ERROR_ARGUMENT,
                       "%s: argument %d (%s) must be a constant %s, found %s", f->name,
                       i + 1, f->params[i], f->kinds[i] == A_INT ? "whole number" : "number",
                       found);
        }
      if (f->kinds[i] == A_INT && !(v >= 1 && v <= MAX_PERIOD && v == floor (v)))
        {
          g_autofree char *found = describe (arg);

          return fail (error, error_offset, arg, HS_EXPR_ERROR_ARGUMENT,
                       "%s: argument %d (%s) must be a whole number from 1 to %d, found %s",
                       f->name, i + 1, f->params[i], MAX_PERIOD, found);
        }
      if (f->kinds[i] == A_REAL && !isfinite (v))
        {
          g_autofree char *found = describe (arg);

          return fail (error, error_offset, arg, HS_EXPR_ERROR_ARGUMENT,
                       "%s: argument %d (%s) must be a finite number, found %s", f->name,
                       i + 1, f->params[i], found);
        }
    }
  return TRUE;
}

static gboolean
check_node (const CheckInfo *info,
            const HsExpr    *e,
            size_t          *error_offset,
            GError         **error)
{
  switch (e->kind)
    {
    case HS_EXPR_NUMBER:
      return TRUE;
    case HS_EXPR_STRING:
      return fail (error, error_offset, e, HS_EXPR_ERROR_ARGUMENT,
                   "expected a number or a series, found a string");
    case HS_EXPR_IDENT:
      return check_ident (info, e, error_offset, error);
    case HS_EXPR_CALL:
      return check_call (info, e, error_offset, error);
    case HS_EXPR_UNARY:
    case HS_EXPR_BINARY:
      for (size_t i = 0; i < e->n_args; i++)
        if (!check_node (info, e->args[i], error_offset, error))
          return FALSE;
      return TRUE;
    default:
      g_assert_not_reached ();
      return FALSE;
    }
}

static void
check_info_init (CheckInfo           *info,
                 const HsEvalContext *ctx,
                 gboolean             nested)
{
  memset (info, 0, sizeof *info);
  info->rank = -1;
  if (ctx == NULL)
    return;
  info->known = TRUE;
  info->interval = context_interval (ctx);
  info->rank = info->interval ? interval_rank (info->interval) : -1;
  info->nested = nested;
  info->has_state = ctx->position != NULL && ctx->bars_held != NULL
                    && ctx->entry_price != NULL && ctx->unrealized_pct != NULL;
  info->has_cvd = ctx->cvd != NULL;
}

/**
 * hs_eval_check:
 * @expr: a parsed expression
 * @ctx: (nullable): the context it will run in, or %NULL to check only what needs no context
 * @error_offset: (out) (optional): on error, the byte offset of the node at fault
 *
 * Checks @expr without evaluating it: every name is a known series or function, every call
 * has its parameters (series or numbers where a series goes, constant whole numbers ≥ 1 for
 * periods, constant numbers for k), tf= names an interval. With @ctx, also that tf= is not
 * shorter than the bars' interval and that position state and cvd are available.
 *
 * Returns: %TRUE when @expr can be evaluated, else %FALSE with a #HS_EXPR_ERROR
 */
gboolean
hs_eval_check (const HsExpr        *expr,
               const HsEvalContext *ctx,
               size_t              *error_offset,
               GError             **error)
{
  CheckInfo info;

  g_return_val_if_fail (expr != NULL, FALSE);

  check_info_init (&info, ctx, FALSE);
  return check_node (&info, expr, error_offset, error);
}

/* ---- evaluation ---- */

static void
sub_free (gpointer data)
{
  Sub *sub = data;

  hs_resampled_free (sub->higher);
  hs_eval_free (sub->eval);
  g_free (sub->idx);
  g_free (sub);
}

static HsEval *
eval_new (const HsEvalContext *ctx,
          gboolean             nested)
{
  HsEval *ev = g_new0 (HsEval, 1);

  ev->ctx = *ctx;
  ev->interval = context_interval (ctx);
  ev->rank = ev->interval ? interval_rank (ev->interval) : -1;
  ev->nested = nested;
  ev->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ev->subs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, sub_free);
  return ev;
}

/**
 * hs_eval_new:
 * @ctx: the bars and state; copied, but the arrays it points to are borrowed and must outlive
 *   the evaluator
 *
 * Returns: (transfer full): an evaluator over @ctx
 */
HsEval *
hs_eval_new (const HsEvalContext *ctx)
{
  g_return_val_if_fail (ctx != NULL && ctx->bars != NULL, NULL);

  return eval_new (ctx, FALSE);
}

void
hs_eval_free (HsEval *ev)
{
  if (ev == NULL)
    return;
  g_hash_table_unref (ev->cache);
  g_hash_table_unref (ev->subs);
  g_free (ev);
}

/* The columns of an empty series, which may be NULL. */
static const double no_values[1] = { NAN };

/* A value: a series (v, owned when own is set) or the constant c (v NULL). */
typedef struct
{
  const double *v;
  double       *own;
  double        c;
} Val;

static void
val_clear (Val *val)
{
  g_clear_pointer (&val->own, g_free);
  val->v = NULL;
}

static double *
new_series (size_t n)
{
  return g_new (double, n ? n : 1);
}

static gboolean eval_node (HsEval       *ev,
                           const HsExpr *e,
                           Val          *out,
                           size_t       *error_offset,
                           GError      **error);

/* The evaluator for tf=@name below @ev: resampled once, kept. */
static Sub *
get_sub (HsEval       *ev,
         const HsExpr *at,
         const char   *name,
         size_t       *error_offset,
         GError      **error)
{
  Sub *sub = g_hash_table_lookup (ev->subs, name);
  g_autoptr(GError) local = NULL;
  HsResampled *higher;
  HsEvalContext ctx = { 0 };

  if (sub != NULL)
    return sub;
  higher = hs_resample (ev->ctx.bars, name, ev->ctx.session, &local);
  if (higher == NULL)
    {
      fail (error, error_offset, at, HS_EXPR_ERROR_INTERVAL, "tf=%s: %s", name, local->message);
      return NULL;
    }
  sub = g_new0 (Sub, 1);
  sub->higher = higher;
  ctx.bars = higher->bars;
  ctx.interval = name;
  ctx.session = ev->ctx.session;
  sub->eval = eval_new (&ctx, TRUE);
  sub->idx = g_new (int64_t, ev->ctx.bars->n ? ev->ctx.bars->n : 1);
  hs_resample_align (ev->ctx.bars, higher, sub->idx);
  g_hash_table_insert (ev->subs, (gpointer) hs_interval_lookup (name)->name, sub);
  return sub;
}

/* Evaluates the call @e at @ev's own interval. */
static double *
compute_call (HsEval       *ev,
              const HsExpr *e,
              size_t       *error_offset,
              GError      **error)
{
  const Function *f = find_function (e->text);
  size_t n = ev->ctx.bars->n;
  Val vals[MAX_ARGS] = { { 0 } };
  double *owned[MAX_ARGS] = { NULL };
  Args a = { { 0 } };
  double *out = NULL;
  gboolean ok = TRUE;

  if (f == NULL)
    {
      fail (error, error_offset, e, HS_EXPR_ERROR_UNKNOWN, "unknown function “%s”", e->text);
      return NULL;
    }
  if (g_str_equal (f->name, "cvd") && (ev->ctx.cvd == NULL || ev->nested))
    {
      fail (error, error_offset, e, HS_EXPR_ERROR_CONTEXT, "cvd is not known here");
      return NULL;
    }
  for (int i = 0; i < f->arity && ok; i++)
    {
      double v = 0;

      switch (f->kinds[i])
        {
        case A_SERIES:
          ok = eval_node (ev, e->args[i], &vals[i], error_offset, error);
          if (ok && vals[i].v == NULL)
            {
              /* A number where a series goes: the same value at every bar. */
              owned[i] = new_series (n);
              for (size_t j = 0; j < n; j++)
                owned[i][j] = vals[i].c;
              a.x[i] = owned[i];
            }
          else if (ok)
            a.x[i] = vals[i].v;
          break;
        case A_INT:
          ok = constant_value (e->args[i], &v);
          a.i[i] = ok ? (int) v : 0;
          break;
        case A_REAL:
          ok = constant_value (e->args[i], &v);
          a.r[i] = v;
          break;
        default:
          g_assert_not_reached ();
        }
      if (!ok && (error == NULL || *error == NULL))
        fail (error, error_offset, e->args[i], HS_EXPR_ERROR_ARGUMENT,
              "%s: argument %d must be a constant", f->name, i + 1);
    }
  if (ok)
    {
      /* NAN first: a kernel refusing its parameters writes nothing (they are checked before,
       * so that is a bug, but it must not show as garbage). */
      out = new_series (n);
      for (size_t i = 0; i < n; i++)
        out[i] = NAN;
      f->run (ev, &a, n, out);
    }
  for (int i = 0; i < MAX_ARGS; i++)
    {
      val_clear (&vals[i]);
      g_free (owned[i]);
    }
  return out;
}

/* The call @e over @ev's bars, from the cache or computed (through a tf= evaluator). */
static const double *
eval_call (HsEval       *ev,
           const HsExpr *e,
           size_t       *error_offset,
           GError      **error)
{
  g_autofree char *key = hs_expr_print (e);
  const HsExpr *tf = hs_expr_named_arg (e, "tf");
  const char *tf_name = tf ? tf_text (tf) : NULL;
  double *out;

  out = g_hash_table_lookup (ev->cache, key);
  if (out != NULL)
    return out;
  if (tf != NULL && (tf_name == NULL || hs_interval_lookup (tf_name) == NULL))
    {
      fail (error, error_offset, tf, HS_EXPR_ERROR_INTERVAL, "tf= takes an interval");
      return NULL;
    }
  if (tf != NULL && (ev->rank < 0 || interval_rank (tf_name) != ev->rank))
    {
      Sub *sub;
      const double *higher;
      size_t n = ev->ctx.bars->n;

      if (ev->rank < 0 || interval_rank (tf_name) < ev->rank)
        {
          fail (error, error_offset, tf, HS_EXPR_ERROR_INTERVAL,
                "tf=%s is shorter than the bars' interval, or that is not known", tf_name);
          return NULL;
        }
      sub = get_sub (ev, tf, tf_name, error_offset, error);
      if (sub == NULL || (higher = eval_call (sub->eval, e, error_offset, error)) == NULL)
        return NULL;
      out = new_series (n);
      for (size_t i = 0; i < n; i++)
        {
          int64_t k = sub->idx[i];

          out[i] = k >= 0 && (size_t) k < sub->higher->bars->n ? higher[k] : NAN;
        }
    }
  else
    {
      out = compute_call (ev, e, error_offset, error);
      if (out == NULL)
        return NULL;
    }
  g_hash_table_insert (ev->cache, g_steal_pointer (&key), out);
  return out;
}

static const double *
series_array (const HsEval *ev,
              Series        s)
{
  const HsBars *b = ev->ctx.bars;

  switch (s)
    {
    case S_OPEN:
      return b->open;
    case S_HIGH:
      return b->high;
    case S_LOW:
      return b->low;
    case S_CLOSE:
      return b->close;
    case S_VOLUME:
      return b->volume;
    case S_VWAP:
      return b->vwap;
    case S_CVD:
      return ev->nested ? NULL : ev->ctx.cvd;
    case S_POSITION:
      return ev->nested ? NULL : ev->ctx.position;
    case S_BARS_HELD:
      return ev->nested ? NULL : ev->ctx.bars_held;
    case S_ENTRY_PRICE:
      return ev->nested ? NULL : ev->ctx.entry_price;
    case S_UNREALIZED_PCT:
      return ev->nested ? NULL : ev->ctx.unrealized_pct;
    case S_UNKNOWN:
    default:
      return NULL;
    }
}

/* A buffer for a result computed from @a (and @b): one of theirs if they own one. */
static double *
take_buffer (Val    *a,
             Val    *b,
             size_t  n)
{
  if (a->own != NULL)
    return g_steal_pointer (&a->own);
  if (b != NULL && b->own != NULL)
    return g_steal_pointer (&b->own);
  return new_series (n);
}

static gboolean
eval_node (HsEval       *ev,
           const HsExpr *e,
           Val          *out,
           size_t       *error_offset,
           GError      **error)
{
  size_t n = ev->ctx.bars->n;

  memset (out, 0, sizeof *out);
  switch (e->kind)
    {
    case HS_EXPR_NUMBER:
      out->c = e->number;
      return TRUE;

    case HS_EXPR_IDENT:
      out->v = series_array (ev, find_series (e));
      /* No bars may come with NULL columns (the store's loader gives them). */
      if (out->v == NULL && n == 0 && find_series (e) != S_UNKNOWN)
        out->v = no_values;
      if (out->v == NULL)
        return fail (error, error_offset, e, HS_EXPR_ERROR_CONTEXT, "%s is not known here",
                     e->text);
      return TRUE;

    case HS_EXPR_CALL:
      out->v = eval_call (ev, e, error_offset, error);
      return out->v != NULL;

    case HS_EXPR_UNARY:
      {
        Val a;
        double *r;

        if (!eval_node (ev, e->args[0], &a, error_offset, error))
          return FALSE;
        if (a.v == NULL)
          {
            out->c = apply_unary (e->op, a.c);
            return TRUE;
          }
        r = take_buffer (&a, NULL, n);
        for (size_t i = 0; i < n; i++)
          r[i] = apply_unary (e->op, a.v[i]);
        val_clear (&a);
        out->v = out->own = r;
        return TRUE;
      }

    case HS_EXPR_BINARY:
      {
        Val a, b;
        double *r;

        if (!eval_node (ev, e->args[0], &a, error_offset, error))
          return FALSE;
        if (!eval_node (ev, e->args[1], &b, error_offset, error))
          {
            val_clear (&a);
            return FALSE;
          }
        if (a.v == NULL && b.v == NULL)
          {
            out->c = apply_binary (e->op, a.c, b.c);
            return TRUE;
          }
        /* The buffer may be one of the inputs: each element is read before it is written. */
        r = take_buffer (&a, &b, n);
        if (a.v == NULL)
          for (size_t i = 0; i < n; i++)
            r[i] = apply_binary (e->op, a.c, b.v[i]);
        else if (b.v == NULL)
          for (size_t i = 0; i < n; i++)
            r[i] = apply_binary (e->op, a.v[i], b.c);
        else
          for (size_t i = 0; i < n; i++)
            r[i] = apply_binary (e->op, a.v[i], b.v[i]);
        val_clear (&a);
        val_clear (&b);
        out->v = out->own = r;
        return TRUE;
      }

    case HS_EXPR_STRING:
      return fail (error, error_offset, e, HS_EXPR_ERROR_ARGUMENT,
                   "expected a number or a series, found a string");
    default:
      g_assert_not_reached ();
      return FALSE;
    }
}

/**
 * hs_eval_run:
 * @ev: an evaluator
 * @expr: a parsed expression
 * @error_offset: (out) (optional): on error, the byte offset of the node at fault
 *
 * Checks @expr (as hs_eval_check() with the evaluator's context) and evaluates it at every bar.
 *
 * Returns: (transfer full): bars->n values (NAN where not defined, e.g. during warm-up), or
 *   %NULL with a #HS_EXPR_ERROR
 */
double *
hs_eval_run (HsEval       *ev,
             const HsExpr *expr,
             size_t       *error_offset,
             GError      **error)
{
  CheckInfo info;
  size_t n;
  Val v;
  double *out;

  g_return_val_if_fail (ev != NULL && expr != NULL, NULL);

  check_info_init (&info, &ev->ctx, ev->nested);
  if (!check_node (&info, expr, error_offset, error)
      || !eval_node (ev, expr, &v, error_offset, error))
    return NULL;
  n = ev->ctx.bars->n;
  if (v.own != NULL)
    return g_steal_pointer (&v.own);
  out = new_series (n);
  if (v.v != NULL && n > 0)
    memcpy (out, v.v, n * sizeof (double));
  else
    for (size_t i = 0; i < n; i++)
      out[i] = v.c;
  return out;
}

/* ---- bar-by-bar programs with position state ---- */

typedef enum
{
  P_CONST,    /* push c */
  P_SERIES,   /* push v[i] */
  P_STATE,    /* push a field of the state */
  P_UNARY,    /* pop a, push op a */
  P_BINARY,   /* pop b, pop a, push a op b */
} ProgOpKind;

typedef struct
{
  ProgOpKind    kind;
  HsExprOp      op;
  Series        state;
  double        c;
  const double *v;
} ProgOp;

struct _HsEvalProgram
{
  GArray       *ops;        /* (owned) ProgOp, in postfix order; empty when !uses_state */
  GPtrArray    *owned;      /* (owned) series computed for the program */
  gboolean      uses_state;
  const double *series;     /* the whole series when !uses_state */
  size_t        n;
  int           max_stack;
};

static gboolean
reads_state (const HsExpr *e)
{
  if (e->kind == HS_EXPR_IDENT)
    return find_series (e) >= S_POSITION && find_series (e) != S_UNKNOWN;
  for (size_t i = 0; i < e->n_args; i++)
    if (e->kind != HS_EXPR_CALL || e->names == NULL || e->names[i] == NULL)
      if (reads_state (e->args[i]))
        return TRUE;
  return FALSE;
}

/* Position state inside a call would need the call recomputed at every bar. */
static gboolean
check_state_placement (const HsExpr *e,
                       size_t       *error_offset,
                       GError      **error)
{
  if (e->kind == HS_EXPR_CALL)
    {
      for (size_t i = 0; i < e->n_args; i++)
        if (reads_state (e->args[i]))
          return fail (error, error_offset, e->args[i], HS_EXPR_ERROR_CONTEXT,
                       "%s: position state (position, bars_held, entry_price, unrealized_pct) "
                       "cannot be a function's argument; compare it outside the call", e->text);
      return TRUE;
    }
  for (size_t i = 0; i < e->n_args; i++)
    if (!check_state_placement (e->args[i], error_offset, error))
      return FALSE;
  return TRUE;
}

/* Appends the postfix form of @e; returns the stack depth it needs. */
static int
compile_node (HsEval         *ev,
              HsEvalProgram  *prog,
              const HsExpr   *e,
              size_t         *error_offset,
              GError        **error)
{
  ProgOp op = { 0 };

  if (!reads_state (e))
    {
      Val v;

      if (!eval_node (ev, e, &v, error_offset, error))
        return -1;
      if (v.v == NULL)
        {
          op.kind = P_CONST;
          op.c = v.c;
        }
      else
        {
          op.kind = P_SERIES;
          op.v = v.v;
          if (v.own != NULL)
            g_ptr_array_add (prog->owned, g_steal_pointer (&v.own));
        }
      g_array_append_val (prog->ops, op);
      return 1;
    }
  switch (e->kind)
    {
    case HS_EXPR_IDENT:
      op.kind = P_STATE;
      op.state = find_series (e);
      g_array_append_val (prog->ops, op);
      return 1;
    case HS_EXPR_UNARY:
      {
        int d = compile_node (ev, prog, e->args[0], error_offset, error);

        if (d < 0)
          return -1;
        op.kind = P_UNARY;
        op.op = e->op;
        g_array_append_val (prog->ops, op);
        return d;
      }
    case HS_EXPR_BINARY:
      {
        int a = compile_node (ev, prog, e->args[0], error_offset, error);
        int b = a < 0 ? -1 : compile_node (ev, prog, e->args[1], error_offset, error);

        if (b < 0)
          return -1;
        op.kind = P_BINARY;
        op.op = e->op;
        g_array_append_val (prog->ops, op);
        return MAX (a, b + 1);
      }
    case HS_EXPR_NUMBER:
    case HS_EXPR_STRING:
    case HS_EXPR_CALL:
    default:
      /* A call reading state was refused by check_state_placement(). */
      g_assert_not_reached ();
      return -1;
    }
}

/**
 * hs_eval_compile:
 * @ev: an evaluator over the bars the program will run on; it must outlive the program, whose
 *   series may be the evaluator's own
 * @expr: a parsed expression, which may read position state
 * @error_offset: (out) (optional): on error, the byte offset of the node at fault
 *
 * Checks @expr as hs_eval_check() does with position state available (whether or not @ev's
 * context has state arrays), refuses position state inside a function's arguments, and computes
 * every part that does not read position state.
 *
 * Returns: (transfer full): the program, or %NULL with a #HS_EXPR_ERROR
 */
HsEvalProgram *
hs_eval_compile (HsEval        *ev,
                 const HsExpr  *expr,
                 size_t        *error_offset,
                 GError       **error)
{
  g_autoptr(HsEvalProgram) prog = NULL;
  CheckInfo info;
  int depth;

  g_return_val_if_fail (ev != NULL && expr != NULL, NULL);

  check_info_init (&info, &ev->ctx, ev->nested);
  info.has_state = TRUE;
  if (!check_node (&info, expr, error_offset, error)
      || !check_state_placement (expr, error_offset, error))
    return NULL;
  prog = g_new0 (HsEvalProgram, 1);
  prog->ops = g_array_new (FALSE, FALSE, sizeof (ProgOp));
  prog->owned = g_ptr_array_new_with_free_func (g_free);
  prog->n = ev->ctx.bars->n;
  prog->uses_state = reads_state (expr);
  if (!prog->uses_state)
    {
      double *v = hs_eval_run (ev, expr, error_offset, error);

      if (v == NULL)
        return NULL;
      g_ptr_array_add (prog->owned, v);
      prog->series = v;
      return g_steal_pointer (&prog);
    }
  depth = compile_node (ev, prog, expr, error_offset, error);
  if (depth < 0)
    return NULL;
  /* The tree is at most HS_EXPR_MAX_DEPTH deep, and so is its postfix stack. */
  g_assert (depth <= HS_EXPR_MAX_DEPTH);
  prog->max_stack = depth;
  return g_steal_pointer (&prog);
}

void
hs_eval_program_free (HsEvalProgram *prog)
{
  if (prog == NULL)
    return;
  g_array_unref (prog->ops);
  g_ptr_array_unref (prog->owned);
  g_free (prog);
}

/* Whether the program reads position state (and must run bar by bar). */
gboolean
hs_eval_program_uses_state (const HsEvalProgram *prog)
{
  g_return_val_if_fail (prog != NULL, FALSE);

  return prog->uses_state;
}

/**
 * hs_eval_program_series:
 *
 * Returns: (transfer none) (nullable): the value at every bar when the program reads no position
 *   state, else %NULL (run it bar by bar with hs_eval_program_at())
 */
const double *
hs_eval_program_series (const HsEvalProgram *prog)
{
  g_return_val_if_fail (prog != NULL, NULL);

  return prog->series;
}

/**
 * hs_eval_program_at:
 * @i: a bar, < the number of bars
 * @state: (nullable): the position state at bar @i's close; %NULL is flat
 *
 * Evaluates the program at bar @i; allocates nothing.
 *
 * Returns: the value, NAN where it is not defined
 */
double
hs_eval_program_at (const HsEvalProgram *prog,
                    size_t               i,
                    const HsEvalState   *state)
{
  static const HsEvalState flat = { 0, 0, NAN, NAN };
  double stack[HS_EXPR_MAX_DEPTH + 1];
  const ProgOp *ops;
  int sp = 0;

  g_return_val_if_fail (prog != NULL && i < prog->n, NAN);

  if (!prog->uses_state)
    return prog->series[i];
  if (state == NULL)
    state = &flat;
  ops = (const ProgOp *) (const void *) prog->ops->data;
  for (guint k = 0; k < prog->ops->len; k++)
    {
      const ProgOp *op = &ops[k];

      switch (op->kind)
        {
        case P_CONST:
          stack[sp++] = op->c;
          break;
        case P_SERIES:
          stack[sp++] = op->v[i];
          break;
        case P_STATE:
          switch (op->state)
            {
            case S_POSITION:
              stack[sp++] = state->position;
              break;
            case S_BARS_HELD:
              stack[sp++] = state->bars_held;
              break;
            case S_ENTRY_PRICE:
              stack[sp++] = state->entry_price;
              break;
            case S_UNREALIZED_PCT:
            default:
              stack[sp++] = state->unrealized_pct;
              break;
            }
          break;
        case P_UNARY:
          stack[sp - 1] = apply_unary (op->op, stack[sp - 1]);
          break;
        case P_BINARY:
        default:
          sp--;
          stack[sp - 1] = apply_binary (op->op, stack[sp - 1], stack[sp]);
          break;
        }
    }
  return sp == 1 ? stack[0] : NAN;
}
