/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A C port of tools/gen-bars (deterministic random-walk OHLCV bars), byte for byte: the same
 * options give the same file as the Python tool. The algorithm, as that tool's header specifies
 * it: splitmix64 seeded with the seed; per bar two draws r1, r2;
 *   z = (((u0 + u1) + u2) + u3 - 2) × 1.7320508075688772 with u_k the 16-bit fields of r1 / 65536,
 *   a, b = the low two 21-bit fields of r2 / 2^21, c = r2 >> 42 / 2^22,
 *   open = previous close (start_price for bar 0), close = open × (1 + sigma × z),
 *   high = max (open, close) × (1 + (0.5 × sigma) × a),
 *   low = min (open, close) × (1 - (0.5 × sigma) × b),
 *   volume = 100 + floor (c × 9900), timestamp = start + i × interval,
 * IEEE double arithmetic in exactly that order, no libm, and no FMA contraction (the project
 * builds with -ffp-contract=off). Prices are printed "%.4f", which glibc and Python both round
 * correctly from the exact binary value, so the text agrees too.
 *
 * The same draw also gives one trade per bar, for the trades benchmark:
 *   timestamp = the bar's timestamp, price = close, size = volume,
 *   side = buy when close >= open, else sell
 * printed as "timestamp,price,size,side" with the same number formats as the bars.
 *
 * Load: a million bars and their trades in about a second, mostly printf's "%.4f".
 */
#define G_LOG_DOMAIN "hs-gen-bars"

#include "config.h"

#include "hs-gen-bars.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <glib/gstdio.h>

/* 2020-01-02T14:30:00Z, the tool's default --start. */
#define DEFAULT_START INT64_C (1577975400)

/**
 * hs_gen_bars_options_init:
 *
 * Sets the defaults of the Python tool: seed 42, start 2020-01-02T14:30:00Z, 1-minute bars,
 * start price 100, sigma 0.0005.
 */
void
hs_gen_bars_options_init (HsGenBarsOptions *opts)
{
  opts->seed = 42;
  opts->start = DEFAULT_START;
  opts->interval = 60;
  opts->start_price = 100.0;
  opts->sigma = 0.0005;
}

void
hs_gen_bars_init (HsGenBars              *gen,
                  const HsGenBarsOptions *opts)
{
  g_return_if_fail (opts->interval > 0);

  gen->opts = *opts;
  gen->state = opts->seed;
  gen->prev_close = opts->start_price;
  gen->i = 0;
}

static uint64_t
splitmix64 (uint64_t *state)
{
  uint64_t z;

  *state += UINT64_C (0x9E3779B97F4A7C15);
  z = *state;
  z = (z ^ (z >> 30)) * UINT64_C (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/**
 * hs_gen_bars_next:
 * @bar: (out caller-allocates): bar number gen->i, after which gen->i is one more
 */
void
hs_gen_bars_next (HsGenBars *gen,
                  HsGenBar  *bar)
{
  double sigma = gen->opts.sigma;
  double half_sigma = 0.5 * sigma;
  uint64_t r1 = splitmix64 (&gen->state);
  uint64_t r2 = splitmix64 (&gen->state);
  double u0 = (double) (r1 & 0xFFFF) / 65536.0;
  double u1 = (double) ((r1 >> 16) & 0xFFFF) / 65536.0;
  double u2 = (double) ((r1 >> 32) & 0xFFFF) / 65536.0;
  double u3 = (double) ((r1 >> 48) & 0xFFFF) / 65536.0;
  double z = (((u0 + u1) + u2) + u3 - 2.0) * 1.7320508075688772;
  double a = (double) (r2 & 0x1FFFFF) / 2097152.0;
  double b = (double) ((r2 >> 21) & 0x1FFFFF) / 2097152.0;
  double c = (double) (r2 >> 42) / 4194304.0;
  double o = gen->prev_close;
  double cl = o * (1.0 + sigma * z);

  bar->ts = gen->opts.start + gen->i * gen->opts.interval;
  bar->open = o;
  bar->close = cl;
  bar->high = (o > cl ? o : cl) * (1.0 + half_sigma * a);
  bar->low = (o < cl ? o : cl) * (1.0 - half_sigma * b);
  /* c × 9900 is in [0, 9900): truncation is floor. */
  bar->volume = 100 + (int64_t) (c * 9900.0);
  gen->prev_close = cl;
  gen->i++;
}

/* days since 1970-01-01 → proleptic Gregorian date (H. Hinnant's civil_from_days). */
static void
civil_from_days (int64_t  days,
                 int64_t *y,
                 unsigned *m,
                 unsigned *d)
{
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned) (z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;

  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t) yoe + era * 400 + (*m <= 2);
}

/* "YYYY-MM-DDTHH:MM:SSZ" as Python's strftime ("%Y-%m-%dT%H:%M:%SZ") prints years 1000-9999. */
static size_t
format_ts (int64_t t,
           char   *buf,
           size_t  size)
{
  int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  int64_t secs = t - days * 86400;
  int64_t y;
  unsigned m, d;

  civil_from_days (days, &y, &m, &d);
  return (size_t) g_snprintf (buf, size, "%04" PRId64 "-%02u-%02uT%02u:%02u:%02uZ", y, m, d,
                              (unsigned) (secs / 3600), (unsigned) (secs / 60 % 60),
                              (unsigned) (secs % 60));
}

/**
 * hs_gen_bars_format_bar:
 *
 * Writes @bar as one line of the bars file, newline included, NUL-terminated.
 *
 * Returns: the length of the line
 */
size_t
hs_gen_bars_format_bar (const HsGenBar *bar,
                        char            buf[HS_GEN_LINE_MAX])
{
  size_t n = format_ts (bar->ts, buf, HS_GEN_LINE_MAX);

  /* glibc's "%.4f" rounds the exact binary value correctly, as Python's does. */
  n += (size_t) snprintf (buf + n, HS_GEN_LINE_MAX - n, ",%.4f,%.4f,%.4f,%.4f,%" PRId64 "\n",
                          bar->open, bar->high, bar->low, bar->close, bar->volume);
  g_assert (n < HS_GEN_LINE_MAX);
  return n;
}

/**
 * hs_gen_bars_format_trade:
 *
 * Writes the trade derived from @bar (see the top of this file) as one line of the trades file.
 *
 * Returns: the length of the line
 */
size_t
hs_gen_bars_format_trade (const HsGenBar *bar,
                          char            buf[HS_GEN_LINE_MAX])
{
  size_t n = format_ts (bar->ts, buf, HS_GEN_LINE_MAX);

  n += (size_t) snprintf (buf + n, HS_GEN_LINE_MAX - n, ",%.4f,%" PRId64 ",%s\n", bar->close,
                          bar->volume, bar->close >= bar->open ? "buy" : "sell");
  g_assert (n < HS_GEN_LINE_MAX);
  return n;
}

static gboolean
write_all (FILE       *f,
           const char *text,
           size_t      len,
           GError    **error)
{
  if (fwrite (text, 1, len, f) == len)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "writing: %s",
               g_strerror (errno));
  return FALSE;
}

/**
 * hs_gen_bars_write:
 * @n: number of bars (and trades)
 * @bars: (nullable): receives the bars CSV, header first
 * @trades: (nullable): receives the trades CSV, header first
 *
 * Returns: %FALSE with @error set (%G_FILE_ERROR) when a write fails
 */
gboolean
hs_gen_bars_write (const HsGenBarsOptions *opts,
                   int64_t                 n,
                   FILE                   *bars,
                   FILE                   *trades,
                   GError                **error)
{
  HsGenBars gen;
  char line[HS_GEN_LINE_MAX];

  hs_gen_bars_init (&gen, opts);
  if ((bars != NULL && !write_all (bars, HS_GEN_BARS_HEADER, strlen (HS_GEN_BARS_HEADER), error))
      || (trades != NULL
          && !write_all (trades, HS_GEN_TRADES_HEADER, strlen (HS_GEN_TRADES_HEADER), error)))
    return FALSE;
  for (int64_t i = 0; i < n; i++)
    {
      HsGenBar bar;

      hs_gen_bars_next (&gen, &bar);
      if ((bars != NULL && !write_all (bars, line, hs_gen_bars_format_bar (&bar, line), error))
          || (trades != NULL
              && !write_all (trades, line, hs_gen_bars_format_trade (&bar, line), error)))
        return FALSE;
    }
  return TRUE;
}

static FILE *
open_out (const char *path,
          GError    **error)
{
  FILE *f;

  if (path == NULL)
    return NULL;
  f = g_fopen (path, "wb");
  if (f == NULL)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot create %s: %s",
                   path, g_strerror (saved));
    }
  return f;
}

static gboolean
close_out (FILE       *f,
           const char *path,
           GError    **error)
{
  if (f == NULL || fclose (f) == 0)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "writing %s: %s", path,
               g_strerror (errno));
  return FALSE;
}

/**
 * hs_gen_bars_write_files:
 * @bars_path: (nullable): file for the bars CSV, replaced if it exists
 * @trades_path: (nullable): file for the trades CSV
 *
 * Writes @n bars and their @n trades in one pass.
 */
gboolean
hs_gen_bars_write_files (const HsGenBarsOptions *opts,
                         int64_t                 n,
                         const char             *bars_path,
                         const char             *trades_path,
                         GError                **error)
{
  FILE *bars = NULL;
  FILE *trades = NULL;
  gboolean ok;

  bars = open_out (bars_path, error);
  if (bars_path != NULL && bars == NULL)
    return FALSE;
  trades = open_out (trades_path, error);
  if (trades_path != NULL && trades == NULL)
    {
      if (bars != NULL)
        fclose (bars);
      return FALSE;
    }
  ok = hs_gen_bars_write (opts, n, bars, trades, error);
  /* Both files are closed even after a failure; the first error wins. */
  if (!close_out (bars, bars_path, ok ? error : NULL))
    ok = FALSE;
  if (!close_out (trades, trades_path, ok ? error : NULL))
    ok = FALSE;
  return ok;
}
