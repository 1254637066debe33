/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backtest cache key and the data fingerprint (src/core/hs-cache-key.c): XXH64 against the
 * reference implementation's values (computed with libxxhash 0.8.1), streamed in pieces of
 * every size equal to one call; the fingerprint changes with any changed, added or removed bar;
 * the key does not depend on the order parameters were set in, changes with every field it
 * covers (the data through the data key: series versions and range), and not with what comes
 * from reading the bars (the tested period, the fingerprint).
 */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "hs-cache-key.h"

static void
test_xxh64_vectors (void)
{
  static const struct
  {
    const char *data;
    size_t      len;
    uint64_t    seed;
    uint64_t    expected;
  } cases[] = {
    { "", 0, 0, G_GUINT64_CONSTANT (0xef46db3751d8e999) },
    { "a", 1, 0, G_GUINT64_CONSTANT (0xd24ec4f1a98c6e5b) },
    { "abc", 3, 0, G_GUINT64_CONSTANT (0x44bc2cf5ad770999) },
    { "abcd", 4, 0, G_GUINT64_CONSTANT (0xde0327b0d25d92cc) },
    { "Nobody inspects the spammish repetition", 39, 0,
      G_GUINT64_CONSTANT (0xfbcea83c8a378bf1) },
    { "0123456789abcdef0123456789abcdefXYZ", 35, 7, G_GUINT64_CONSTANT (0x3f5b235a482b9e16) },
  };
  uint8_t block[1024];

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmphex (hs_xxh64 (cases[i].data, cases[i].len, cases[i].seed), ==,
                     cases[i].expected);
  for (size_t i = 0; i < sizeof block; i++)
    block[i] = (uint8_t) i;
  g_assert_cmphex (hs_xxh64 (block, sizeof block, 0), ==, G_GUINT64_CONSTANT (0x6f3914f18fe4df57));
  g_assert_cmphex (hs_xxh64 (block, sizeof block, 1234567), ==,
                   G_GUINT64_CONSTANT (0x399479191f8fcef7));
  /* Streaming in pieces of every size from 1 to 70 gives the one-call value. */
  for (size_t piece = 1; piece <= 70; piece++)
    {
      HsXxh64 state;

      hs_xxh64_init (&state, 1234567);
      for (size_t off = 0; off < sizeof block; off += piece)
        hs_xxh64_update (&state, block + off, MIN (piece, sizeof block - off));
      g_assert_cmphex (hs_xxh64_digest (&state), ==, G_GUINT64_CONSTANT (0x399479191f8fcef7));
    }
}

static HsBars *
make_bars (size_t n)
{
  HsBars *bars = hs_bars_new (n, 60);

  for (size_t i = 0; i < n; i++)
    {
      bars->ts[i] = (int64_t) (1700000000 + 60 * i) * 1000000;
      bars->open[i] = 100 + 0.01 * i;
      bars->high[i] = bars->open[i] + 0.5;
      bars->low[i] = bars->open[i] - 0.5;
      bars->close[i] = bars->open[i] + 0.1;
      bars->volume[i] = 1000 + i;
      bars->vwap[i] = NAN;
    }
  return bars;
}

static void
test_fingerprint (void)
{
  g_autoptr(HsBars) bars = make_bars (1000);
  g_autofree char *base = hs_bars_fingerprint (bars);
  g_autoptr(HsBars) fewer = hs_bars_slice (bars, 0, 999);
  g_autoptr(HsBars) later = hs_bars_slice (bars, 1, 999);
  g_autofree char *f_fewer = hs_bars_fingerprint (fewer);
  g_autofree char *f_later = hs_bars_fingerprint (later);
  g_autoptr(HsBars) more = make_bars (1001);
  g_autofree char *f_more = hs_bars_fingerprint (more);
  g_autofree char *again = NULL;
  double *cols[] = { bars->open, bars->high, bars->low, bars->close, bars->volume, bars->vwap };

  g_assert_true (g_str_has_prefix (base, "bars1-1000-"));
  g_assert_cmpuint (strlen (base), ==, strlen ("bars1-1000-") + 16);
  /* Deterministic. */
  again = hs_bars_fingerprint (bars);
  g_assert_cmpstr (again, ==, base);
  /* A removed or added row. */
  g_assert_cmpstr (f_fewer, !=, base);
  g_assert_cmpstr (f_later, !=, base);
  g_assert_cmpstr (f_more, !=, base);

  /* Each value of a bar in the middle, changed by the smallest step, then restored. */
  for (size_t c = 0; c < G_N_ELEMENTS (cols); c++)
    {
      double saved = cols[c][500];
      g_autofree char *changed = NULL, *restored = NULL;

      cols[c][500] = isnan (saved) ? 101.25 : nextafter (saved, INFINITY);
      changed = hs_bars_fingerprint (bars);
      g_assert_cmpstr (changed, !=, base);
      cols[c][500] = saved;
      restored = hs_bars_fingerprint (bars);
      g_assert_cmpstr (restored, ==, base);
    }
  {
    g_autofree char *changed = NULL;

    bars->ts[500] += 1;
    changed = hs_bars_fingerprint (bars);
    g_assert_cmpstr (changed, !=, base);
    bars->ts[500] -= 1;
  }
  /* Two bars swapped keep the multiset of values but not the series. */
  {
    g_autofree char *changed = NULL;
    double t = bars->close[10];

    bars->close[10] = bars->close[11];
    bars->close[11] = t;
    changed = hs_bars_fingerprint (bars);
    g_assert_cmpstr (changed, !=, base);
    bars->close[11] = bars->close[10];
    bars->close[10] = t;
  }
  /* -0 and 0, and any NAN, are the same value. */
  {
    g_autofree char *a = NULL, *b = NULL;

    bars->volume[3] = 0.0;
    a = hs_bars_fingerprint (bars);
    bars->volume[3] = -0.0;
    b = hs_bars_fingerprint (bars);
    g_assert_cmpstr (a, ==, b);
  }
}

static HsBtRunInfo *
make_info (void)
{
  HsBtRunInfo *info = hs_bt_run_info_new ();

  info->strategy_name = g_strdup ("sma_cross");
  info->strategy_version = g_strdup ("3");
  info->symbol = g_strdup ("SPY");
  info->exchange = g_strdup ("ARCA");
  info->interval = g_strdup ("1m");
  info->start_ts = 1357000000000000;
  info->end_ts = 1360000000000000;
  info->initial_cash = 100000;
  info->fee_model = g_strdup ("ibkr");
  info->slippage_model = g_strdup ("bps:1");
  info->sizing_model = g_strdup ("percent:100");
  info->risk_free_model = g_strdup ("constant:0");
  info->benchmark = g_strdup ("SPY");
  info->pivot_bars = 5;
  info->lower_timeframe = g_strdup ("1m");
  info->data_fingerprint = g_strdup ("bars1-10-0123456789abcdef");
  info->data_key = g_strdup ("hindsight-data-key 1\nrange 1357000000000000 1360000000000000\n"
                             "session us_equity\ncandles 1 0: 1m v3\n"
                             "bars 1357000000000000 1359999940000000\n");
  return info;
}

static void
test_param_order (void)
{
  g_autoptr(HsBtRunInfo) a = make_info ();
  g_autoptr(HsBtRunInfo) b = make_info ();
  g_autofree char *ka = NULL, *kb = NULL, *ja = NULL, *jb = NULL;

  hs_bt_run_info_set_number (a, "fast", 10);
  hs_bt_run_info_set_number (a, "slow", 30);
  hs_bt_run_info_set_string (a, "ma", "ema");
  hs_bt_run_info_set_bool (a, "short", TRUE);
  hs_bt_run_info_set_json (a, "rules", "{\"entry\":\"close > 1\"}");

  hs_bt_run_info_set_json (b, "rules", "{\"entry\":\"close > 1\"}");
  hs_bt_run_info_set_bool (b, "short", TRUE);
  hs_bt_run_info_set_string (b, "ma", "ema");
  hs_bt_run_info_set_number (b, "slow", 30.0);
  hs_bt_run_info_set_number (b, "fast", 1e1);

  ka = hs_cache_key_compute (a);
  kb = hs_cache_key_compute (b);
  g_assert_cmpuint (strlen (ka), ==, 64);
  g_assert_cmpstr (ka, ==, kb);
  ja = hs_bt_params_to_json (a->params);
  jb = hs_bt_params_to_json (b->params);
  g_assert_cmpstr (ja, ==, "{\"fast\":10,\"ma\":\"ema\",\"rules\":{\"entry\":\"close > 1\"},"
                           "\"short\":true,\"slow\":30}");
  g_assert_cmpstr (ja, ==, jb);

  /* Setting a parameter again replaces it. */
  hs_bt_run_info_set_number (b, "fast", 11);
  g_assert_cmpuint (b->params->len, ==, 5);
  g_clear_pointer (&kb, g_free);
  kb = hs_cache_key_compute (b);
  g_assert_cmpstr (ka, !=, kb);
  /* -0 is 0 */
  hs_bt_run_info_set_number (a, "zero", -0.0);
  hs_bt_run_info_set_number (b, "fast", 10);
  hs_bt_run_info_set_number (b, "zero", 0.0);
  g_clear_pointer (&ka, g_free);
  g_clear_pointer (&kb, g_free);
  ka = hs_cache_key_compute (a);
  kb = hs_cache_key_compute (b);
  g_assert_cmpstr (ka, ==, kb);
}

/* Changes field @i of @info; FALSE when there is no field @i. */
static gboolean
mutate (HsBtRunInfo *info,
        int          i)
{
  char **texts[] = {
    &info->strategy_name, &info->strategy_version, &info->symbol, &info->exchange,
    &info->interval, &info->profile, &info->fee_model, &info->slippage_model,
    &info->sizing_model, &info->risk_free_model, &info->benchmark, &info->lower_timeframe,
    &info->data_key,
  };
  int n = (int) G_N_ELEMENTS (texts);

  if (i < n)
    {
      char *old = *texts[i];

      *texts[i] = g_strconcat (old, "x", NULL);
      g_free (old);
      return TRUE;
    }
  switch (i - n)
    {
    case 0: info->initial_cash = nextafter (info->initial_cash, 0); return TRUE;
    case 1: info->pivot_bars += 1; return TRUE;
    case 2: hs_bt_run_info_set_number (info, "fast", 10.000000000000002); return TRUE;
    case 3: hs_bt_run_info_set_string (info, "fast", "10"); return TRUE;
    case 4: hs_bt_run_info_set_number (info, "extra", 0); return TRUE;
    case 5: g_ptr_array_set_size (info->params, 0); return TRUE;
    case 6: g_clear_pointer (&info->fee_model, g_free); return TRUE;
    default: return FALSE;
    }
}

static void
test_every_field (void)
{
  g_autoptr(HsBtRunInfo) base = make_info ();
  g_autofree char *key = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int n = 0;

  hs_bt_run_info_set_number (base, "fast", 10);
  key = hs_cache_key_compute (base);
  g_hash_table_add (seen, g_strdup (key));
  for (int i = 0;; i++)
    {
      g_autoptr(HsBtRunInfo) info = hs_bt_run_info_copy (base);
      g_autofree char *k = NULL;

      if (!mutate (info, i))
        break;
      k = hs_cache_key_compute (info);
      if (g_hash_table_contains (seen, k))
        g_error ("change %d did not change the key:\n%s", i, hs_cache_key_text (info));
      g_hash_table_add (seen, g_steal_pointer (&k));
      n++;
    }
  g_assert_cmpint (n, ==, 20);
  {
    g_autofree char *text = hs_cache_key_text (base);

    g_assert_true (g_str_has_prefix (text, "hindsight-backtest-cache-key 2\n"));
  }
  /* The exchange NULL and "" are the same venue; the copy gives the same key. */
  {
    g_autoptr(HsBtRunInfo) a = hs_bt_run_info_copy (base);
    g_autoptr(HsBtRunInfo) b = hs_bt_run_info_copy (base);
    g_autofree char *ka = NULL, *kb = NULL, *kc = NULL;

    g_clear_pointer (&a->exchange, g_free);
    g_free (b->exchange);
    b->exchange = g_strdup ("");
    ka = hs_cache_key_compute (a);
    kb = hs_cache_key_compute (b);
    g_assert_cmpstr (ka, ==, kb);
    g_clear_pointer (&a, hs_bt_run_info_free);
    a = hs_bt_run_info_copy (base);
    kc = hs_cache_key_compute (a);
    g_assert_cmpstr (kc, ==, key);
  }
  /* The metadata the key does not cover, and what comes from reading the bars (the tested
   * period, the fingerprint of what was read): the data key determines those. */
  {
    g_autoptr(HsBtRunInfo) info = hs_bt_run_info_copy (base);
    g_autofree char *k = NULL;

    info->id = 42;
    info->execution_time_ms = 17;
    info->created_at = 5;
    info->instrument_id = 9;
    info->start_ts += 60000000;
    info->end_ts -= 1;
    g_free (info->data_fingerprint);
    info->data_fingerprint = g_strdup ("bars1-9-fedcba9876543210");
    g_free (info->status);
    info->status = g_strdup ("failed");
    k = hs_cache_key_compute (info);
    g_assert_cmpstr (k, ==, key);
  }
}

/* A value cannot leak into the next field: "a" + "bc" and "ab" + "c" differ. */
static void
test_no_ambiguity (void)
{
  g_autoptr(HsBtRunInfo) a = make_info ();
  g_autoptr(HsBtRunInfo) b = make_info ();
  g_autofree char *ka = NULL, *kb = NULL;

  g_free (a->strategy_name);
  a->strategy_name = g_strdup ("sma\nstrategy_version 1:3");
  g_free (a->strategy_version);
  a->strategy_version = g_strdup ("");
  g_free (b->strategy_name);
  b->strategy_name = g_strdup ("sma");
  ka = hs_cache_key_compute (a);
  kb = hs_cache_key_compute (b);
  g_assert_cmpstr (ka, !=, kb);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/hs/core/cache-key/xxh64", test_xxh64_vectors);
  g_test_add_func ("/hs/core/cache-key/fingerprint", test_fingerprint);
  g_test_add_func ("/hs/core/cache-key/param-order", test_param_order);
  g_test_add_func ("/hs/core/cache-key/every-field", test_every_field);
  g_test_add_func ("/hs/core/cache-key/no-ambiguity", test_no_ambiguity);
  return g_test_run ();
}
