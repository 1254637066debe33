/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-backtest.h"
#include "hs-bars.h"
#include "hs-resample.h"

G_BEGIN_DECLS

/* Built-in strategies and rule sets: what turns bars into the decisions the engine
 * (hs-backtest.h) trades. Each built-in strategy is a row of one table with its parameters
 * (name, type, default, range, step, help), which the GUI renders as a form and the CLI lists,
 * and a version that goes into the cache key. Definitions: docs/backtester.md. */

#define HS_STRATEGY_ERROR (hs_strategy_error_quark ())

typedef enum
{
  HS_STRATEGY_ERROR_UNKNOWN,     /* no strategy or parameter of that name */
  HS_STRATEGY_ERROR_PARAMETER,   /* a value of the wrong type, out of range or off its step */
  HS_STRATEGY_ERROR_RULE_SET,    /* a rule set without a required field, or a bad value */
  HS_STRATEGY_ERROR_DATA,        /* the bars do not suit the strategy (tf shorter than them …) */
} HsStrategyError;

typedef enum
{
  HS_PARAM_INT,        /* a whole number in [min, max], on min + k × step */
  HS_PARAM_DOUBLE,     /* a number in [min, max]; step is the form's increment */
  HS_PARAM_ENUM,       /* one of choices */
  HS_PARAM_INTERVAL,   /* an interval name (hs-interval.h), or "" for the bars' own */
} HsParamType;

typedef struct
{
  const char        *name;
  HsParamType        type;
  double             def, min, max, step;   /* INT and DOUBLE */
  const char        *def_text;              /* ENUM and INTERVAL */
  const char *const *choices;               /* ENUM: NULL-terminated */
  const char        *help;
} HsParamSpec;

/* What a strategy reads. Arrays are borrowed and hold bars->n values. */
typedef struct
{
  const HsBars  *bars;
  const char    *interval;         /* (nullable) the bars' interval name */
  HsSessionKind  session;          /* sessions for tf=, VWAP and HOD/LOD */
  const double  *cvd;              /* (nullable) cumulative volume delta at each bar's close */
  const double  *book_imbalance;   /* (nullable) order-book imbalance in percent, −100 … 100 */
} HsStrategyInput;

typedef struct _HsStrategyParams HsStrategyParams;

typedef HsBtSignals *(*HsStrategyFunc) (const HsStrategyParams *params,
                                        const HsStrategyInput  *input,
                                        GError                **error);

typedef struct
{
  const char        *name;
  const char        *version;   /* changes whenever the strategy trades differently */
  const char        *summary;
  const HsParamSpec *params;
  size_t             n_params;
  HsStrategyFunc     run;
} HsStrategyInfo;

GQuark                hs_strategy_error_quark   (void);

const HsStrategyInfo *hs_strategy_all           (size_t                 *n);
const HsStrategyInfo *hs_strategy_lookup        (const char             *name);
const HsParamSpec    *hs_strategy_find_param    (const HsStrategyInfo   *strategy,
                                                 const char             *name);
const char           *hs_param_type_to_string   (HsParamType             type);

HsStrategyParams     *hs_strategy_params_new    (const HsStrategyInfo   *strategy);
void                  hs_strategy_params_free   (HsStrategyParams       *params);
const HsStrategyInfo *hs_strategy_params_get_strategy (const HsStrategyParams *params);
gboolean              hs_strategy_params_set    (HsStrategyParams       *params,
                                                 const char             *name,
                                                 const char             *value,
                                                 GError                **error);
gboolean              hs_strategy_params_parse_assignment (HsStrategyParams *params,
                                                           const char       *assignment,
                                                           GError          **error);
gboolean              hs_strategy_params_check  (const HsStrategyParams *params,
                                                 GError                **error);
double                hs_strategy_params_get_number (const HsStrategyParams *params,
                                                     const char             *name);
const char           *hs_strategy_params_get_text (const HsStrategyParams *params,
                                                   const char             *name);
char                 *hs_strategy_params_to_json (const HsStrategyParams *params);

HsBtSignals          *hs_strategy_run           (const HsStrategyParams *params,
                                                 const HsStrategyInput  *input,
                                                 GError                **error);

/* A rule set: entry and exit expressions (docs/expressions.md) for one side, with optional
 * brackets and sizing. Stored as JSON (src/fetch/hs-rules-json.c parses it):
 * {"name": …, "side": "long"|"short", "entry": EXPR, "exit": EXPR, "stop_loss_pct": x,
 *  "take_profit_pct": y, "time_stop_bars": n, "sizing": "percent:50"} (the last four optional). */
typedef struct
{
  char    *name;              /* (owned) */
  int      side;              /* 1 long, −1 short */
  char    *entry;             /* (owned) */
  char    *exit;              /* (owned) */
  double   stop_loss_pct;     /* percent of the entry fill; NAN when absent */
  double   take_profit_pct;   /* NAN when absent */
  int64_t  time_stop_bars;    /* 0 when absent */
  char    *sizing;            /* (owned) (nullable) hs_sizing_parse() text */
} HsRuleSet;

#define HS_RULE_SET_VERSION "1"

HsRuleSet   *hs_rule_set_new     (void);
void         hs_rule_set_free    (HsRuleSet             *rules);
gboolean     hs_rule_set_check   (const HsRuleSet       *rules,
                                  GError               **error);
char        *hs_rule_set_to_json (const HsRuleSet       *rules);
HsBtSignals *hs_rule_set_run     (const HsRuleSet       *rules,
                                  const HsStrategyInput *input,
                                  GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsStrategyParams, hs_strategy_params_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsRuleSet, hs_rule_set_free)

G_END_DECLS
