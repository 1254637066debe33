/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One backtest from a request to a stored run, for the CLI (`backtest`, and the shared parts of
 * `sweep` and `walkforward`) and the window's backtest page alike. Every run has a cache key
 * over its request, the strategy's version and the store's versions of the series it reads
 * (known before reading them): an identical request is answered from backtest_runs (cache_hit 1)
 * without reading a bar or running the engine, and any change of data or settings runs it
 * again. What is missing (a rate series, a calendar, quote bars in the lean profile) is not an
 * error: the run goes on without it and says so in the outcome's warnings.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-backtest-job.h"

#include <math.h>
#include <string.h>

#include "hs-cache-key.h"
#include "hs-interval.h"
#include "hs-store-backtest.h"
#include "hs-store-lean.h"
#include "hs-store-market.h"
#include "hs-store-rates.h"
#include "hs-sweep.h"
#include "hs-time.h"

G_DEFINE_QUARK (hs-backtest-job-error-quark, hs_backtest_job_error)

static gboolean G_GNUC_PRINTF (2, 3)
request_error (GError    **error,
               const char *format,
               ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, HS_BACKTEST_JOB_ERROR, HS_BACKTEST_JOB_ERROR_REQUEST, msg);
  return FALSE;
}

void
hs_backtest_request_init (HsBacktestRequest *q)
{
  memset (q, 0, sizeof *q);
  q->cash = 100000;
}

void
hs_backtest_request_clear (HsBacktestRequest *q)
{
  g_free (q->symbol);
  g_free (q->exchange);
  g_free (q->interval);
  g_free (q->strategy);
  g_free (q->rules_path);
  g_free (q->from);
  g_free (q->to);
  g_strfreev (q->params);
  g_free (q->fee_model);
  g_free (q->size);
  g_free (q->benchmark);
  g_free (q->session);
  g_free (q->profile);
  g_free (q->risk_free);
  memset (q, 0, sizeof *q);
}

/* @dest gets its own copy of every text of @src. */
void
hs_backtest_request_copy (HsBacktestRequest       *dest,
                          const HsBacktestRequest *src)
{
  *dest = *src;
  dest->symbol = g_strdup (src->symbol);
  dest->exchange = g_strdup (src->exchange);
  dest->interval = g_strdup (src->interval);
  dest->strategy = g_strdup (src->strategy);
  dest->rules_path = g_strdup (src->rules_path);
  dest->from = g_strdup (src->from);
  dest->to = g_strdup (src->to);
  dest->params = g_strdupv (src->params);
  dest->fee_model = g_strdup (src->fee_model);
  dest->size = g_strdup (src->size);
  dest->benchmark = g_strdup (src->benchmark);
  dest->session = g_strdup (src->session);
  dest->profile = g_strdup (src->profile);
  dest->risk_free = g_strdup (src->risk_free);
}

void
hs_backtest_data_init (HsBacktestData *d)
{
  memset (d, 0, sizeof *d);
  d->warnings = g_ptr_array_new_with_free_func (g_free);
}

void
hs_backtest_data_clear (HsBacktestData *d)
{
  hs_backtest_data_end_read (d);
  g_clear_pointer (&d->bars, hs_bars_free);
  g_clear_pointer (&d->bench_bars, hs_bars_free);
  g_clear_pointer (&d->bench, g_free);
  g_clear_pointer (&d->rates, g_array_unref);
  g_clear_pointer (&d->lean, hs_lean_context_free);
  g_clear_pointer (&d->warnings, g_ptr_array_unref);
  g_clear_pointer (&d->store, hs_store_close);
}

/* Ends the read transaction hs_backtest_data_key() opened, before anything is written. */
void
hs_backtest_data_end_read (HsBacktestData *d)
{
  if (d->reading)
    hs_store_rollback (d->store);
  d->reading = FALSE;
}

/* --from and --to, as the CLI names them. */
/* For each bar, the benchmark's close as of its time (the last benchmark bar starting at or
 * before it), NAN before the first. */
static double *
align_benchmark (const HsBars *bars,
                 const HsBars *bench)
{
  double *v = g_new (double, bars->n ? bars->n : 1);
  size_t j = 0;

  for (size_t i = 0; i < bars->n; i++)
    {
      while (j < bench->n && bench->ts[j] <= bars->ts[i])
        j++;
      v[i] = j > 0 ? bench->close[j - 1] : NAN;
    }
  return v;
}


/**
 * hs_backtest_request_build:
 * @command: the command's name, for messages
 * @mode: %HS_BACKTEST_SINGLE sets @params from --param NAME=VALUE (or loads --rules) and records
 *   them in @info; %HS_BACKTEST_GRID leaves @params at the defaults and @info without them
 * @config: (out caller-allocates): the engine configuration
 * @params: (out) (transfer full): the strategy's parameters, %NULL for a rule set
 * @rules: (out) (transfer full): the rule set, %NULL for a strategy
 * @info: (out) (transfer full): the run's request (strategy, models, symbol, interval); the
 *   data (instrument, data key, period, fingerprint) is hs_backtest_data_key()'s and hs_backtest_data_load()'s
 *
 * Checks the request before any data is read.
 *
 * Returns: %FALSE with @error set (%HS_BACKTEST_JOB_ERROR_REQUEST for a bad request)
 */
gboolean
hs_backtest_request_build (const HsBacktestRequest *q,
                           const char              *command,
                           HsBacktestMode           mode,
                           HsBtConfig              *config,
                           HsStrategyParams       **out_params,
                           HsRuleSet              **out_rules,
                           HsBtRunInfo            **out_info,
                           GError                 **error)
{
  g_autoptr(HsStrategyParams) params = NULL;
  g_autoptr(HsRuleSet) rules = NULL;
  g_autoptr(HsBtRunInfo) info = NULL;
  HsSessionKind session = HS_SESSION_US_EQUITY;
  int64_t from_ts = G_MININT64, to_ts = G_MAXINT64;

  if (q->symbol == NULL || q->interval == NULL)
    return request_error (error, "%s needs --symbol and --interval", command);
  if (hs_interval_lookup (q->interval) == NULL || g_str_equal (q->interval, "tick"))
    {
      g_autofree char *names = hs_interval_names ();

      return request_error (error, "unknown interval “%s”; use one of %s", q->interval, names);
    }
  if (mode == HS_BACKTEST_GRID && q->strategy == NULL)
    return request_error (error, "%s needs --strategy NAME", command);
  if ((q->strategy == NULL) == (q->rules_path == NULL))
    return request_error (error, "%s needs either --strategy NAME or --rules FILE", command);
  if (q->rules_path != NULL && q->params != NULL)
    return request_error (error, "--param goes with --strategy; a rule set has its expressions");
  if (q->session != NULL && !hs_session_kind_from_string (q->session, &session))
    return request_error (error, "--session must be us or 24x7");
  if (q->profile != NULL && !g_str_equal (q->profile, "default")
      && !g_str_equal (q->profile, "lean"))
    return request_error (error, "--profile must be default or lean");
  if ((q->from != NULL && !hs_time_parse_bound (q->from, FALSE, &from_ts, error))
      || (q->to != NULL && !hs_time_parse_bound (q->to, TRUE, &to_ts, error)))
    return FALSE;

  /* The request: strategy and parameters, models. Checked before any data is read. */
  hs_bt_config_init (config);
  config->initial_cash = q->cash;
  if (q->fee_model != NULL && !hs_fee_model_parse (q->fee_model, &config->fees, error))
    return FALSE;
  if (q->slippage_bps > 0)
    {
      config->slippage.kind = HS_SLIPPAGE_BPS;
      config->slippage.bps = q->slippage_bps;
    }
  else if (q->slippage_bps < 0)
    return request_error (error, "--slippage-bps must be ≥ 0");
  if (q->size != NULL && !hs_sizing_parse (q->size, &config->sizing, error))
    return FALSE;
  config->stop_loss_pct = q->stop_loss;
  config->take_profit_pct = q->take_profit;
  config->time_stop_bars = q->time_stop;
  if (q->profile != NULL && g_str_equal (q->profile, "lean"))
    {
      config->profile = HS_STATS_PROFILE_LEAN;
      /* LEAN's default brokerage model charges Interactive Brokers' fees. */
      if (q->fee_model == NULL)
        hs_fee_model_ibkr (&config->fees);
    }

  info = hs_bt_run_info_new ();
  info->interval = g_strdup (hs_interval_lookup (q->interval)->name);
  if (q->strategy != NULL)
    {
      const HsStrategyInfo *s = hs_strategy_lookup (q->strategy);

      if (s == NULL)
        return request_error (error, "unknown strategy “%s”; hindsight-cli strategies lists them",
                                   q->strategy);
      params = hs_strategy_params_new (s);
      info->strategy_name = g_strdup (s->name);
      info->strategy_version = g_strdup (s->version);
      if (mode == HS_BACKTEST_SINGLE)
        {
          for (size_t i = 0; q->params != NULL && q->params[i] != NULL; i++)
            if (!hs_strategy_params_parse_assignment (params, q->params[i], error))
              return FALSE;
          if (!hs_strategy_params_check (params, error))
            return FALSE;
          hs_sweep_info_set_params (info, params);
        }
    }
  else
    {
      g_autofree char *json = NULL;

      rules = hs_rule_set_load (q->rules_path, error);
      if (rules == NULL)
        return FALSE;
      /* The rule set's sizing applies unless --size is given. */
      if (rules->sizing != NULL && q->size == NULL
          && !hs_sizing_parse (rules->sizing, &config->sizing, error))
        return FALSE;
      json = hs_rule_set_to_json (rules);
      info->strategy_name = g_strdup (rules->name);
      info->strategy_version = g_strdup ("rule-set-" HS_RULE_SET_VERSION);
      hs_bt_run_info_set_json (info, "rules", json);
    }
  if (!hs_bt_config_check (config, error))
    return FALSE;
  /* Engine settings that are not models of their own are part of the request too. */
  if (q->stop_loss > 0)
    hs_bt_run_info_set_number (info, "engine_stop_loss_pct", q->stop_loss);
  if (q->take_profit > 0)
    hs_bt_run_info_set_number (info, "engine_take_profit_pct", q->take_profit);
  if (q->time_stop > 0)
    hs_bt_run_info_set_number (info, "engine_time_stop_bars", q->time_stop);
  info->fee_model = hs_fee_model_to_string (&config->fees);
  info->slippage_model = hs_slippage_model_to_string (&config->slippage);
  info->sizing_model = hs_sizing_to_string (&config->sizing);
  g_free (info->profile);
  info->profile = g_strdup (config->profile == HS_STATS_PROFILE_LEAN ? "lean" : "default");
  info->initial_cash = q->cash;
  info->symbol = g_strdup (q->symbol);
  info->exchange = g_strdup (q->exchange);
  info->benchmark = g_strdup (q->benchmark);
  *out_params = g_steal_pointer (&params);
  *out_rules = g_steal_pointer (&rules);
  *out_info = g_steal_pointer (&info);
  return TRUE;
}


/* One series the run reads, at its version (0: never written), into the data key. */
static gboolean
key_series (GString    *key,
            HsStore    *store,
            HsDataKind  kind,
            int64_t     instrument_id,
            const char *series,
            const char *interval,
            GError    **error)
{
  int64_t version = 0;

  if (!hs_store_data_version (store, kind, instrument_id, series, interval, &version, error))
    return FALSE;
  series = series != NULL ? series : "";
  g_string_append_printf (key, "%s %" G_GINT64_FORMAT " %zu:%s %s v%" G_GINT64_FORMAT "\n",
                          hs_data_kind_to_string (kind), instrument_id, strlen (series), series,
                          interval != NULL ? interval : "-", version);
  return TRUE;
}

/* An instrument's bars: their version, and the first and last bar's start in the range (two
 * seeks; counting the bars would be a pass over all of them). */
static gboolean
key_bars (GString    *key,
          HsStore    *store,
          int64_t     instrument_id,
          const char *interval,
          int64_t     from_ts,
          int64_t     to_ts,
          GError    **error)
{
  gboolean found = FALSE;
  int64_t first = 0, last = 0;

  if (!key_series (key, store, HS_DATA_CANDLES, instrument_id, NULL, interval, error)
      || !hs_store_bar_range (store, instrument_id, interval, from_ts, to_ts, &found, &first,
                              &last, error))
    return FALSE;
  if (found)
    g_string_append_printf (key, "bars %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", first,
                            last);
  else
    g_string_append (key, "bars none\n");
  return TRUE;
}



/**
 * hs_backtest_data_key:
 * @info: from hs_backtest_request_build(); gets the instrument, the risk-free model, the benchmark and
 *   the data key, from which hs_cache_key_compute() gives the cache key
 * @data: (out caller-allocates): zeroed; clear with hs_backtest_data_clear()
 *
 * Opens the store and a read transaction, and names the data the run reads without reading
 * it: the range asked for, the session, and the version of each series read (the bars and the
 * benchmark's, each with its first and last bar time in the range; the risk-free rate series;
 * with --profile lean the quote bars, the factor files and the us_equity calendar, and the
 * algorithm's period). A write to any of them through the store gives a new version, so a new
 * key — a bar added outside the range too, since a version is per series. A few index lookups,
 * whatever the number of bars: an identical request is answered from the cache without
 * reading a bar. hs_backtest_data_load() then reads the data in the same snapshot.
 *
 * Also resolves what the data depends on: the session (--session or the instrument's kind),
 * --risk-free (read now: a few hundred rows, and its values go into @info->risk_free_model),
 * and the lean profile's defaults, SPY as the benchmark and the Fed primary credit rate as the
 * risk-free rate, with a warning when they are missing.
 *
 * Returns: %FALSE with @error set (%HS_BACKTEST_JOB_ERROR_REQUEST for a bad request)
 */
gboolean
hs_backtest_data_key (const char              *db_path,
                      const HsBacktestRequest *q,
                      HsBtRunInfo             *info,
                      HsBacktestData          *d,
                      GError                 **error)
{
  g_autoptr(GString) key = g_string_new ("hindsight-data-key 1\n");
  g_autoptr(GError) local = NULL;
  gboolean lean = g_strcmp0 (info->profile, "lean") == 0;
  const char *benchmark = q->benchmark, *rf_series = NULL;

  d->session = HS_SESSION_US_EQUITY;
  d->from_ts = G_MININT64;
  d->to_ts = G_MAXINT64;
  if ((q->session != NULL && !hs_session_kind_from_string (q->session, &d->session))
      || (q->from != NULL && !hs_time_parse_bound (q->from, FALSE, &d->from_ts, NULL))
      || (q->to != NULL && !hs_time_parse_bound (q->to, TRUE, &d->to_ts, NULL)))
    return request_error (error, "bad --session, --from or --to");   /* hs_backtest_request_build() checked */

  d->started = hs_time_now_us ();
  d->t0 = g_get_monotonic_time ();
  d->store = hs_store_open (db_path, HS_STORE_OPEN_DEFAULT, error);
  if (d->store == NULL || !hs_store_begin_read (d->store, error))
    return FALSE;
  d->reading = TRUE;
  if (!hs_store_find_instrument (d->store, q->symbol, q->exchange, &d->instrument_id, error))
    return FALSE;
  info->instrument_id = d->instrument_id;
  if (q->session == NULL)
    {
      g_autoptr(HsInstrument) inst = hs_store_load_instrument (d->store, d->instrument_id,
                                                               error);

      if (inst == NULL)
        return FALSE;
      d->session = hs_session_kind_for_instrument (inst->kind);
    }
  /* --risk-free NAME, series or series:NAME; the lean profile takes LEAN's rate, the Fed primary
   * credit rate, when it is stored. */
  rf_series = hs_risk_free_series (q->risk_free);
  if (rf_series == NULL && lean)
    {
      rf_series = HS_RATES_DEFAULT_SERIES;
      d->rates = hs_store_load_rates (d->store, rf_series, &local);
      if (d->rates == NULL && !g_error_matches (local, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (d->rates == NULL)
        {
          g_ptr_array_add (d->warnings,
                           g_strdup_printf ("no rate series %s: the risk-free rate is 0 (LEAN "
                                            "uses the Fed primary credit rate: hindsight-cli "
                                            "import rates FILE)", rf_series));
          g_clear_error (&local);
          rf_series = NULL;
        }
    }
  if (rf_series != NULL)
    {
      if (d->rates == NULL)
        d->rates = hs_store_load_rates (d->store, rf_series, error);
      if (d->rates == NULL)
        return FALSE;
      d->risk_free.points = (const HsRatePoint *) (const void *) d->rates->data;
      d->risk_free.n_points = d->rates->len;
      /* The series' values, not only its name, decide the statistics. */
      info->risk_free_model = g_strdup_printf ("series:%s:%u:%016" G_GINT64_MODIFIER "x",
                                               rf_series, d->rates->len,
                                               hs_xxh64 (d->rates->data,
                                                         d->rates->len * sizeof (HsRatePoint),
                                                         0));
    }
  else
    info->risk_free_model = g_strdup ("constant:0");
  /* LEAN's default benchmark is SPY. */
  if (benchmark == NULL && lean)
    {
      if (hs_store_find_instrument (d->store, "SPY", NULL, &d->bench_id, NULL))
        {
          benchmark = "SPY";
          g_free (info->benchmark);
          info->benchmark = g_strdup (benchmark);
        }
      else
        g_ptr_array_add (d->warnings,
                         g_strdup ("no SPY, LEAN's default benchmark: alpha, beta and the like "
                                   "are against zero (or give --benchmark SYM)"));
    }
  else if (benchmark != NULL
           && !hs_store_find_instrument (d->store, benchmark, NULL, &d->bench_id, error))
    return FALSE;

  /* The data key. */
  g_string_append_printf (key, "range %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\nsession %s\n",
                          d->from_ts, d->to_ts, hs_session_kind_to_string (d->session));
  if (!key_bars (key, d->store, d->instrument_id, info->interval, d->from_ts, d->to_ts, error))
    return FALSE;
  if (benchmark != NULL)
    {
      g_string_append (key, "benchmark\n");
      if (!key_bars (key, d->store, d->bench_id, info->interval, d->from_ts, d->to_ts, error))
        return FALSE;
    }
  if (rf_series != NULL
      && !key_series (key, d->store, HS_DATA_RATES, 0, rf_series, NULL, error))
    return FALSE;
  if (lean)
    {
      const HsInterval *iv = hs_interval_lookup (info->interval);
      int64_t start = 0, end = 0;

      if (!hs_lean_period (q->from, q->to, &start, &end, error))
        return FALSE;
      g_string_append_printf (key, "lean period %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                              start, end);
      /* What hs_lean_context_load() reads: the quotes (intraday only), the factor files of the
       * symbol and the benchmark, the calendar. */
      if ((iv->seconds > 0 && iv->seconds < 86400
           && !key_series (key, d->store, HS_DATA_QUOTE_BARS, d->instrument_id, NULL,
                           info->interval, error))
          || !key_series (key, d->store, HS_DATA_FACTORS, d->instrument_id, NULL, NULL, error)
          || (benchmark != NULL
              && !key_series (key, d->store, HS_DATA_FACTORS, d->bench_id, NULL, NULL, error))
          || !key_series (key, d->store, HS_DATA_CALENDAR, 0, HS_MARKET_US_EQUITY, NULL,
                          error))
        return FALSE;
    }
  g_free (info->data_key);
  info->data_key = g_string_free (g_steal_pointer (&key), FALSE);
  d->keyed = TRUE;
  return TRUE;
}


/**
 * hs_backtest_data_load:
 * @info: from hs_backtest_request_build(), or hs_backtest_data_key() when it ran (else this runs it first);
 *   gets the tested period and the data fingerprint
 * @data: (out caller-allocates): zeroed, or as hs_backtest_data_key() left it
 *
 * Reads what the run reads, in the snapshot hs_backtest_data_key() named: the bars (at least 2), the
 * benchmark's, the risk-free series; with --profile lean also LEAN's data (hs-lean-context.c: the
 * bars cut to the regular session and adjusted, quotes, early closes). Ends the read
 * transaction. The data fingerprint (XXH64 of the bars read, about 0.7 ms per 100,000) is
 * recorded with the run; the cache key does not depend on it.
 *
 * Returns: %FALSE with @error set (%HS_BACKTEST_JOB_ERROR_REQUEST for a bad request)
 */
gboolean
hs_backtest_data_load (const char              *db_path,
                       const HsBacktestRequest *q,
                       HsBtRunInfo             *info,
                       HsBacktestData          *d,
                       GError                 **error)
{
  g_autofree char *fingerprint = NULL;
  gboolean lean = g_strcmp0 (info->profile, "lean") == 0;

  if (!d->keyed)
    {
      if (!hs_backtest_data_key (db_path, q, info, d, error))
        return FALSE;
    }
  d->bars = hs_store_load_bars (d->store, d->instrument_id, info->interval, d->from_ts, d->to_ts,
                                error);
  if (d->bars == NULL)
    return FALSE;
  /* LEAN's data (hs-lean-context.c): the regular session, adjusted prices, quotes, early closes. */
  if (lean)
    {
      d->lean = hs_lean_context_load (d->store, d->instrument_id, q->symbol, info->interval,
                                      d->session, q->from, q->to, d->from_ts, d->to_ts, d->bars,
                                      error);
      if (d->lean == NULL)
        return FALSE;
    }
  if (d->bars->n < 2)
    {
      g_set_error (error, HS_BACKTEST_JOB_ERROR, HS_BACKTEST_JOB_ERROR_NO_DATA,
                   "%s has %zu %s bar%s in that period: a backtest needs at least 2", q->symbol,
                   d->bars->n, info->interval, d->bars->n == 1 ? "" : "s");
      return FALSE;
    }
  fingerprint = hs_bars_fingerprint (d->bars);
  if (lean)
    {
      g_autofree char *bars_fp = g_steal_pointer (&fingerprint);

      fingerprint = g_strdup_printf ("%s %s", bars_fp, d->lean->fingerprint);
    }
  g_clear_pointer (&info->data_fingerprint, g_free);
  if (info->benchmark != NULL && d->bench_id != 0)
    {
      g_autofree char *bench_fp = NULL;

      d->bench_bars = hs_store_load_bars (d->store, d->bench_id, info->interval, d->from_ts,
                                          d->to_ts, error);
      if (d->bench_bars == NULL
          || (lean && !hs_lean_context_prepare_bars (d->lean, d->store, d->bench_id, info->benchmark,
                                                 d->session, d->bench_bars, NULL, error)))
        return FALSE;
      d->bench = align_benchmark (d->bars, d->bench_bars);
      bench_fp = hs_bars_fingerprint (d->bench_bars);
      info->data_fingerprint = g_strdup_printf ("%s benchmark %s", fingerprint, bench_fp);
    }
  else
    info->data_fingerprint = g_strdup (fingerprint);
  hs_backtest_data_end_read (d);
  for (guint i = 0; d->lean != NULL && i < d->lean->warnings->len; i++)
    g_ptr_array_add (d->warnings, g_strdup (d->lean->warnings->pdata[i]));
  info->start_ts = d->bars->ts[0];
  info->end_ts = d->bars->ts[d->bars->n - 1] + hs_interval_lookup (info->interval)->seconds
                                               * G_USEC_PER_SEC;
  if (info->end_ts <= info->start_ts)
    info->end_ts = d->bars->ts[d->bars->n - 1] + 1;
  return TRUE;
}


/**
 * hs_backtest_input_init:
 *
 * Points @input at what hs_backtest_data_load() read: bars, benchmark, risk-free rate and, in the lean
 * profile, LEAN's quotes and calendar and its identifier of the symbol.
 */
void
hs_backtest_input_init (HsBtInput            *input,
                      const HsBacktestRequest *q,
                      const HsBacktestData    *d)
{
  memset (input, 0, sizeof *input);
  input->bars = d->bars;
  input->benchmark = d->bench;
  input->symbol = d->lean != NULL && d->lean->asset_id != NULL ? d->lean->asset_id : q->symbol;
  input->risk_free = &d->risk_free;
  input->lean = d->lean != NULL ? &d->lean->input : NULL;
}


void
hs_backtest_outcome_clear (HsBacktestOutcome *outcome)
{
  g_clear_pointer (&outcome->info, hs_bt_run_info_free);
  g_clear_pointer (&outcome->result, hs_bt_result_free);
  g_clear_pointer (&outcome->warnings, g_ptr_array_unref);
  memset (outcome, 0, sizeof *outcome);
}

/**
 * hs_backtest_job_run:
 * @db_path: the database; the run opens its own connection
 * @q: a single run's request (%HS_BACKTEST_SINGLE)
 * @with_trades: for a cache hit, load the trades too (a computed run always has them)
 * @cancellable: (nullable): checked between the steps (key, load, signals, engine, store)
 * @outcome: (out caller-allocates): zeroed; clear with hs_backtest_outcome_clear()
 *
 * Checks @q, names its data and looks the key up: a stored twin answers at once (a cache-hit
 * run is recorded); else loads the data, runs the strategy and the engine and stores the run.
 * --no-cache with a stored twin runs and keeps the run without the key (one run per key).
 */
gboolean
hs_backtest_job_run (const char              *db_path,
                     const HsBacktestRequest *q,
                     gboolean                 with_trades,
                     GCancellable            *cancellable,
                     HsBacktestOutcome       *outcome,
                     GError                 **error)
{
  g_auto(HsBacktestData) d = { 0 };
  g_autoptr(HsStrategyParams) params = NULL;
  g_autoptr(HsRuleSet) rules = NULL;
  g_autoptr(HsBtRunInfo) info = NULL;
  g_autoptr(HsBtSignals) signals = NULL;
  g_autoptr(HsBtResult) result = NULL;
  HsBtConfig config;
  HsBtInput input = { 0 };
  HsStrategyInput sin = { 0 };
  int64_t cached = 0, id = 0;

  memset (outcome, 0, sizeof *outcome);
  hs_backtest_data_init (&d);
  if (!hs_backtest_request_build (q, "backtest", HS_BACKTEST_SINGLE, &config, &params, &rules,
                                  &info, error)
      || !hs_backtest_data_key (db_path, q, info, &d, error))
    return FALSE;
  info->cache_key = hs_cache_key_compute (info);
  if (!hs_store_find_cached_backtest (d.store, info->cache_key, &cached, error))
    return FALSE;
  if (cached != 0 && !q->no_cache)
    {
      int64_t hit = 0;
      int64_t ms;

      hs_backtest_data_end_read (&d);
      ms = (g_get_monotonic_time () - d.t0) / 1000;
      if (!hs_store_record_cache_hit (d.store, cached, d.started, 0, ms, &hit, error)
          || !hs_store_load_backtest_summary (d.store, hit, &outcome->info, &outcome->result,
                                              error)
          || (with_trades && !hs_store_load_backtest_trades (d.store, cached, outcome->result,
                                                             error)))
        {
          hs_backtest_outcome_clear (outcome);
          return FALSE;
        }
      outcome->id = hit;
      outcome->cache_hit = TRUE;
      outcome->source_id = cached;
      outcome->warnings = g_steal_pointer (&d.warnings);
      return TRUE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error)
      || !hs_backtest_data_load (db_path, q, info, &d, error)
      || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  sin.bars = d.bars;
  sin.interval = info->interval;
  sin.session = d.session;
  signals = params != NULL ? hs_strategy_run (params, &sin, error)
                           : hs_rule_set_run (rules, &sin, error);
  if (signals == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  hs_backtest_input_init (&input, q, &d);
  result = hs_backtest_run (&input, signals, &config, error);
  if (result == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  info->execution_time_ms = (g_get_monotonic_time () - d.t0) / 1000;
  info->started_at = d.started;
  info->finished_at = hs_time_now_us ();
  g_free (info->status);
  info->status = g_strdup ("completed");
  if (cached != 0)
    g_clear_pointer (&info->cache_key, g_free);
  if (!hs_store_save_backtest (d.store, info, result, &id, error))
    return FALSE;
  outcome->id = id;
  outcome->info = g_steal_pointer (&info);
  outcome->result = g_steal_pointer (&result);
  outcome->warnings = g_steal_pointer (&d.warnings);
  return TRUE;
}

typedef struct
{
  char              *db_path;
  HsBacktestRequest  request;
  HsBacktestOutcome  outcome;
} RunTask;

static void
run_task_free (gpointer data)
{
  RunTask *t = data;

  g_free (t->db_path);
  hs_backtest_request_clear (&t->request);
  hs_backtest_outcome_clear (&t->outcome);
  g_free (t);
}

static void
run_worker (GTask        *task,
            gpointer      source,
            gpointer      data,
            GCancellable *cancellable)
{
  RunTask *t = data;
  GError *error = NULL;

  if (!hs_backtest_job_run (t->db_path, &t->request, TRUE, cancellable, &t->outcome, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * hs_backtest_job_run_async:
 *
 * Runs hs_backtest_job_run() (with the trades) on a worker thread; @callback runs in the
 * caller's main context. @q is copied.
 */
void
hs_backtest_job_run_async (const char              *db_path,
                           const HsBacktestRequest *q,
                           GCancellable            *cancellable,
                           GAsyncReadyCallback      callback,
                           gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  RunTask *t = g_new0 (RunTask, 1);

  t->db_path = g_strdup (db_path);
  hs_backtest_request_copy (&t->request, q);
  g_task_set_source_tag (task, hs_backtest_job_run_async);
  g_task_set_task_data (task, t, run_task_free);
  g_task_run_in_thread (task, run_worker);
}

/**
 * hs_backtest_job_finish:
 * @outcome: (out caller-allocates): the run, moved out of the task
 */
gboolean
hs_backtest_job_finish (GAsyncResult      *result,
                        HsBacktestOutcome *outcome,
                        GError           **error)
{
  RunTask *t = g_task_get_task_data (G_TASK (result));

  memset (outcome, 0, sizeof *outcome);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *outcome = t->outcome;
  memset (&t->outcome, 0, sizeof t->outcome);
  return TRUE;
}
