/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backtest cache key: SHA-256 over a canonical, versioned text of everything that decides a
 * run's result (instrument, interval, strategy and its version, parameters sorted by name with
 * canonical numbers, cash, fee/slippage/sizing models, profile, risk-free model, benchmark,
 * pivot bars, lower timeframe) and of the data it reads, as the caller names it before reading
 * any (HsBtRunInfo.data_key: the range asked for and the store's version of each series, see
 * hs-cli-backtest.c), so that a cached re-run reads no bars at all.
 *
 * The data fingerprint, recorded with a computed run but no longer part of the key, is XXH64
 * over the bars read as canonical little-endian binary (the count and the interval, then each
 * column: ts, open, high, low, close, volume, vwap): 100,000 bars are 5.6 MB, which XXH64
 * hashes in about 0.7 ms (GChecksum's SHA-256 takes about 20 ms). It detects changed data, it
 * does not defend against crafted collisions. The key itself, which a user can compare across
 * databases, is SHA-256.
 */
#define G_LOG_DOMAIN "hs-core"

#include "config.h"

#include "hs-cache-key.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "hs-records.h"

#define P1 G_GUINT64_CONSTANT (0x9E3779B185EBCA87)
#define P2 G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F)
#define P3 G_GUINT64_CONSTANT (0x165667B19E3779F9)
#define P4 G_GUINT64_CONSTANT (0x85EBCA77C2B2AE63)
#define P5 G_GUINT64_CONSTANT (0x27D4EB2F165667C5)

static inline uint64_t
rotl64 (uint64_t x,
        int      r)
{
  return (x << r) | (x >> (64 - r));
}

static inline uint64_t
read64 (const uint8_t *p)
{
  uint64_t v;

  memcpy (&v, p, 8);
  return GUINT64_FROM_LE (v);
}

static inline uint32_t
read32 (const uint8_t *p)
{
  uint32_t v;

  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static inline uint64_t
xxh_round (uint64_t acc,
           uint64_t input)
{
  acc += input * P2;
  acc = rotl64 (acc, 31);
  return acc * P1;
}

static inline uint64_t
xxh_merge (uint64_t acc,
           uint64_t val)
{
  acc ^= xxh_round (0, val);
  return acc * P1 + P4;
}

void
hs_xxh64_init (HsXxh64  *state,
               uint64_t  seed)
{
  memset (state, 0, sizeof *state);
  state->v[0] = seed + P1 + P2;
  state->v[1] = seed + P2;
  state->v[2] = seed;
  state->v[3] = seed - P1;
}

static inline void
xxh_stripe (uint64_t      *v,
            const uint8_t *p)
{
  v[0] = xxh_round (v[0], read64 (p));
  v[1] = xxh_round (v[1], read64 (p + 8));
  v[2] = xxh_round (v[2], read64 (p + 16));
  v[3] = xxh_round (v[3], read64 (p + 24));
}

void
hs_xxh64_update (HsXxh64    *state,
                 const void *data,
                 size_t      len)
{
  const uint8_t *p = data;
  const uint8_t *end = p + len;

  state->total_len += len;
  if (state->mem_size + len < 32)
    {
      memcpy (state->mem + state->mem_size, p, len);
      state->mem_size += (uint32_t) len;
      return;
    }
  if (state->mem_size > 0)
    {
      size_t fill = 32 - state->mem_size;

      memcpy (state->mem + state->mem_size, p, fill);
      xxh_stripe (state->v, state->mem);
      p += fill;
      state->mem_size = 0;
    }
  while (end - p >= 32)
    {
      xxh_stripe (state->v, p);
      p += 32;
    }
  if (p < end)
    {
      memcpy (state->mem, p, (size_t) (end - p));
      state->mem_size = (uint32_t) (end - p);
    }
}

uint64_t
hs_xxh64_digest (const HsXxh64 *state)
{
  const uint8_t *p = state->mem;
  size_t left = state->mem_size;
  uint64_t h;

  if (state->total_len >= 32)
    {
      const uint64_t *v = state->v;

      h = rotl64 (v[0], 1) + rotl64 (v[1], 7) + rotl64 (v[2], 12) + rotl64 (v[3], 18);
      for (int i = 0; i < 4; i++)
        h = xxh_merge (h, v[i]);
    }
  else
    h = state->v[2] + P5;   /* v[2] is the seed */
  h += state->total_len;
  for (; left >= 8; left -= 8, p += 8)
    {
      h ^= xxh_round (0, read64 (p));
      h = rotl64 (h, 27) * P1 + P4;
    }
  if (left >= 4)
    {
      h ^= (uint64_t) read32 (p) * P1;
      h = rotl64 (h, 23) * P2 + P3;
      p += 4;
      left -= 4;
    }
  for (; left > 0; left--, p++)
    {
      h ^= *p * P5;
      h = rotl64 (h, 11) * P1;
    }
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h;
}

uint64_t
hs_xxh64 (const void *data,
          size_t      len,
          uint64_t    seed)
{
  HsXxh64 state;

  hs_xxh64_init (&state, seed);
  hs_xxh64_update (&state, data, len);
  return hs_xxh64_digest (&state);
}

#define CHUNK 512

static void
hash_int64s (HsXxh64       *state,
             const int64_t *v,
             size_t         n)
{
  uint64_t buf[CHUNK];

  for (size_t i = 0; i < n; i += CHUNK)
    {
      size_t m = MIN (CHUNK, n - i);

      for (size_t j = 0; j < m; j++)
        buf[j] = GUINT64_TO_LE ((uint64_t) v[i + j]);
      hs_xxh64_update (state, buf, m * 8);
    }
}

/* Each double as its IEEE-754 bits, little-endian, with one bit pattern for every NAN and for
 * both zeros: values that compare equal (or are both unknown) hash equal. */
static void
hash_doubles (HsXxh64      *state,
              const double *v,
              size_t        n)
{
  uint64_t buf[CHUNK];

  for (size_t i = 0; i < n; i += CHUNK)
    {
      size_t m = MIN (CHUNK, n - i);

      for (size_t j = 0; j < m; j++)
        {
          double x = v[i + j];
          uint64_t bits;

          if (isnan (x))
            bits = G_GUINT64_CONSTANT (0x7FF8000000000000);
          else if (x == 0)
            bits = 0;
          else
            memcpy (&bits, &x, 8);
          buf[j] = GUINT64_TO_LE (bits);
        }
      hs_xxh64_update (state, buf, m * 8);
    }
}

/**
 * hs_bars_fingerprint:
 * @bars: the bars a run read, exactly (after any resampling the engine does itself, the
 *   fingerprint should be of what it loaded from the store)
 *
 * A fingerprint of the data: any changed, added or removed bar (time or any of open, high,
 * low, close, volume, vwap) changes it.
 *
 * Returns: (transfer full): `bars1-N-HEX`: the version, the bar count and 16 hex digits of XXH64
 */
char *
hs_bars_fingerprint (const HsBars *bars)
{
  static const char magic[8] = { 'h', 's', 'b', 'a', 'r', 's', '0', '1' };
  HsXxh64 state;
  uint64_t head[2];

  g_return_val_if_fail (bars != NULL, NULL);
  hs_xxh64_init (&state, 0);
  hs_xxh64_update (&state, magic, sizeof magic);
  head[0] = GUINT64_TO_LE ((uint64_t) bars->n);
  head[1] = GUINT64_TO_LE ((uint64_t) bars->interval_s);
  hs_xxh64_update (&state, head, sizeof head);
  hash_int64s (&state, bars->ts, bars->n);
  hash_doubles (&state, bars->open, bars->n);
  hash_doubles (&state, bars->high, bars->n);
  hash_doubles (&state, bars->low, bars->n);
  hash_doubles (&state, bars->close, bars->n);
  hash_doubles (&state, bars->volume, bars->n);
  if (bars->vwap != NULL)
    hash_doubles (&state, bars->vwap, bars->n);
  return g_strdup_printf ("bars1-%zu-%016" PRIx64, bars->n, hs_xxh64_digest (&state));
}

/* "name LEN:value\n", or "name -\n" for NULL: length-prefixed, so no value can imitate
 * another field. */
static void
add_text (GString    *out,
          const char *name,
          const char *value)
{
  if (value == NULL)
    g_string_append_printf (out, "%s -\n", name);
  else
    g_string_append_printf (out, "%s %zu:%s\n", name, strlen (value), value);
}

static void
add_int (GString    *out,
         const char *name,
         int64_t     value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  add_text (out, name, buf);
}

static void
add_double (GString    *out,
            const char *name,
            double      value)
{
  char buf[32];

  if (isnan (value))
    add_text (out, name, "nan");
  else
    {
      hs_format_double (value == 0 ? 0.0 : value, buf);
      add_text (out, name, buf);
    }
}

static int
param_cmp (gconstpointer a,
           gconstpointer b)
{
  const HsBtParam *pa = *(const HsBtParam * const *) a;
  const HsBtParam *pb = *(const HsBtParam * const *) b;

  return strcmp (pa->name, pb->name);
}

/**
 * hs_cache_key_text:
 *
 * The canonical text hs_cache_key_compute() hashes, one field per line, for tests and for
 * explaining why two runs did not share a key. The exchange NULL and "" are the same.
 *
 * Returns: (transfer full):
 */
char *
hs_cache_key_text (const HsBtRunInfo *info)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (info != NULL, NULL);
  g_string_append_printf (out, "hindsight-backtest-cache-key %d\n", HS_CACHE_KEY_VERSION);
  add_text (out, "symbol", info->symbol);
  add_text (out, "exchange", info->exchange ? info->exchange : "");
  add_text (out, "interval", info->interval);
  add_text (out, "strategy", info->strategy_name);
  add_text (out, "strategy_version", info->strategy_version ? info->strategy_version : "");
  for (guint i = 0; info->params != NULL && i < info->params->len; i++)
    g_ptr_array_add (sorted, info->params->pdata[i]);
  g_ptr_array_sort (sorted, param_cmp);
  add_int (out, "params", sorted->len);
  for (guint i = 0; i < sorted->len; i++)
    {
      const HsBtParam *param = sorted->pdata[i];
      g_autoptr(GString) value = g_string_new (NULL);
      static const char kinds[] = { 'n', 's', 'b', 'j' };

      hs_bt_param_format_value (param, value);
      add_text (out, "param", param->name);
      g_string_append_printf (out, "%c %zu:%s\n", kinds[param->kind], value->len, value->str);
    }
  add_double (out, "initial_cash", info->initial_cash);
  add_text (out, "profile", info->profile);
  add_text (out, "fee_model", info->fee_model);
  add_text (out, "slippage_model", info->slippage_model);
  add_text (out, "sizing_model", info->sizing_model);
  add_text (out, "risk_free_model", info->risk_free_model);
  add_text (out, "benchmark", info->benchmark);
  add_int (out, "pivot_bars", info->pivot_bars);
  add_text (out, "lower_timeframe", info->lower_timeframe);
  add_text (out, "data", info->data_key);
  return g_string_free (out, FALSE);
}

/**
 * hs_cache_key_compute:
 * @info: the request, with @data_key set: what it reads, named before it is read. The tested
 *   period (@start_ts, @end_ts) and @data_fingerprint, which come from the bars read, are not
 *   part of the key: @data_key determines them.
 *
 * Returns: (transfer full): 64 lowercase hex digits of SHA-256 over hs_cache_key_text()
 */
char *
hs_cache_key_compute (const HsBtRunInfo *info)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (info != NULL && info->data_key != NULL, NULL);
  text = hs_cache_key_text (info);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}
