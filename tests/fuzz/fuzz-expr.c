/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the expression language: any bytes are parsed; an error must point
 * inside the input and say its column; a tree must print to text that parses back to an equal
 * tree, and must check and evaluate (over 48 fixed bars with every optional series present)
 * without crashing. A broken promise aborts, which libFuzzer reports with the input.
 *
 * Built with -Dfuzzing=true and CC=clang (tests/fuzz/meson.build); see docs/expressions.md:
 *
 *   CC=clang meson setup build-fuzz -Dgui=false -Dfuzzing=true
 *   ninja -C build-fuzz tests/fuzz/fuzz-expr
 *   build-fuzz/tests/fuzz/fuzz-expr -dict=tests/fuzz/expr.dict -max_len=512 \
 *     -max_total_time=600 build-fuzz/corpus tests/fuzz/corpus/expr
 *
 * With another compiler the same file builds as fuzz-expr-replay, which runs the inputs named
 * on its command line (a crash file, or a corpus) once each.
 */
#include "config.h"

#define HS_FUZZ_NAME "fuzz-expr"
#include "hs-fuzz.h"

#include "hs-eval.h"
#include "hs-expr.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_BARS 48

static HsBars *bars;
static double position[N_BARS], held[N_BARS], entry[N_BARS], unreal[N_BARS], cvd[N_BARS];

static void
setup (void)
{
  bars = hs_bars_new (N_BARS, 3600);
  for (size_t i = 0; i < N_BARS; i++)
    {
      bars->ts[i] = (int64_t) (1704067200 + 3600 * (int64_t) i) * 1000000;
      bars->close[i] = 100 + 10 * sin ((double) i / 3);
      bars->open[i] = bars->close[i] - 1;
      bars->high[i] = bars->close[i] + 2;
      bars->low[i] = bars->close[i] - 2;
      bars->volume[i] = (double) (i % 5);
      bars->vwap[i] = i % 7 ? bars->close[i] : NAN;
      position[i] = i % 3 == 0 ? 0 : 1;
      held[i] = (double) (i % 3);
      entry[i] = position[i] ? 100 : NAN;
      unreal[i] = position[i] ? bars->close[i] - 100 : NAN;
      cvd[i] = (double) i * 2 - 40;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsExpr) e = NULL;
  size_t offset = G_MAXSIZE;

  if (bars == NULL)
    setup ();
  e = hs_expr_parse (text, &offset, &error);
  if (e == NULL)
    {
      g_autofree char *prefix = NULL;

      require (error != NULL && error->domain == HS_EXPR_ERROR, "no error", text);
      require (offset <= strlen (text), "error offset past the input", text);
      prefix = g_strdup_printf ("column %d: ", hs_expr_column (text, offset));
      require (g_str_has_prefix (error->message, prefix), "wrong column in the message", text);
      require (g_utf8_validate (error->message, -1, NULL), "message is not UTF-8", text);
      return 0;
    }
  require (e->depth <= HS_EXPR_MAX_DEPTH, "tree too deep", text);
  {
    g_autofree char *printed = hs_expr_print (e);
    g_autofree char *printed2 = NULL;
    g_autoptr(HsExpr) again = hs_expr_parse (printed, NULL, NULL);

    require (again != NULL, "the printed form does not parse", text);
    require (hs_expr_equal (e, again), "the printed form parses to another tree", text);
    printed2 = hs_expr_print (again);
    require (strcmp (printed, printed2) == 0, "printing is not stable", text);
  }
  {
    HsEvalContext ctx = {
      .bars = bars, .interval = "1h", .session = HS_SESSION_ALWAYS, .position = position,
      .bars_held = held, .entry_price = entry, .unrealized_pct = unreal, .cvd = cvd,
    };
    g_autoptr(HsEval) ev = hs_eval_new (&ctx);
    g_autofree double *v = NULL;
    g_autoptr(GError) eerror = NULL;

    hs_eval_check (e, NULL, NULL, NULL);
    offset = G_MAXSIZE;
    v = hs_eval_run (ev, e, &offset, &eerror);
    require (v != NULL || (eerror != NULL && offset <= strlen (text)),
             "evaluation failed without an error inside the input", text);
  }
  return 0;
}
