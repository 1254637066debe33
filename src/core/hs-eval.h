/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-bars.h"
#include "hs-expr.h"
#include "hs-resample.h"

G_BEGIN_DECLS

/* What an expression is evaluated over. Arrays are borrowed and have bars->n values. */
typedef struct
{
  const HsBars  *bars;
  const char    *interval;        /* (nullable) the bars' interval name; when NULL it is found
                                   * from bars->interval_s */
  HsSessionKind  session;         /* how tf= groups the bars into longer ones */
  /* Backtest state at each bar's close, for position, bars_held, entry_price, unrealized_pct;
   * NULL outside a backtest (an expression naming them is then an error). */
  const double  *position;        /* (nullable) 1 long, -1 short, 0 flat */
  const double  *bars_held;       /* (nullable) bars since the entry, 0 when flat */
  const double  *entry_price;     /* (nullable) NAN when flat */
  const double  *unrealized_pct;  /* (nullable) open profit in percent, NAN when flat */
  const double  *cvd;             /* (nullable) cumulative volume delta at each bar's close */
} HsEvalContext;

/* An evaluator over one context. It keeps every function series it computed (and every tf=
 * resampling), so several expressions over the same bars share them. Not thread-safe; one per
 * thread. */
typedef struct _HsEval HsEval;

gboolean  hs_eval_check        (const HsExpr        *expr,
                                const HsEvalContext *ctx,
                                size_t              *error_offset,
                                GError             **error);
HsEval   *hs_eval_new          (const HsEvalContext *ctx);
void      hs_eval_free         (HsEval              *ev);
double   *hs_eval_run          (HsEval              *ev,
                                const HsExpr        *expr,
                                size_t              *error_offset,
                                GError             **error);
char     *hs_eval_function_list (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsEval, hs_eval_free)

/* Bar-by-bar evaluation with position state, for the backtester's rule sets: the engine knows
 * position, bars_held, entry_price and unrealized_pct only once it has processed a bar, so an
 * expression that reads them cannot be computed over the whole series in advance. A program is
 * the expression with every part that does not read position state computed vectorized at
 * compile time (through the evaluator and its cache), and the rest kept as a small stack program
 * run per bar without allocating. Position state may appear in arithmetic, comparisons and
 * logic, not as a function's argument (HS_EXPR_ERROR_CONTEXT). */
typedef struct
{
  double position;         /* 1 long, -1 short, 0 flat */
  double bars_held;        /* bars since the entry, 0 when flat */
  double entry_price;      /* NAN when flat */
  double unrealized_pct;   /* open profit in percent, NAN when flat */
} HsEvalState;

typedef struct _HsEvalProgram HsEvalProgram;

HsEvalProgram *hs_eval_compile            (HsEval              *ev,
                                           const HsExpr        *expr,
                                           size_t              *error_offset,
                                           GError             **error);
void           hs_eval_program_free       (HsEvalProgram       *prog);
gboolean       hs_eval_program_uses_state (const HsEvalProgram *prog);
const double  *hs_eval_program_series     (const HsEvalProgram *prog);
double         hs_eval_program_at         (const HsEvalProgram *prog,
                                           size_t               i,
                                           const HsEvalState   *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsEvalProgram, hs_eval_program_free)

G_END_DECLS
