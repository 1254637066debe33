/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

G_BEGIN_DECLS

#define HS_GEN_BARS_HEADER   "timestamp,open,high,low,close,volume\n"
#define HS_GEN_TRADES_HEADER "timestamp,price,size,side\n"

/* Longer than any line: "%.4f" of the largest double is 314 characters. */
#define HS_GEN_LINE_MAX 1536

typedef struct
{
  uint64_t seed;          /* splitmix64 state at the start (gen-bars --seed, default 42) */
  int64_t  start;         /* Unix seconds of bar 0 (default 2020-01-02T14:30:00Z) */
  int64_t  interval;      /* seconds between bars, > 0 (default 60) */
  double   start_price;   /* open of bar 0, > 0 (default 100) */
  double   sigma;         /* per-bar std dev of close/open - 1, in (0, 0.25) (default 0.0005) */
} HsGenBarsOptions;

typedef struct
{
  int64_t ts;             /* Unix seconds */
  double  open;
  double  high;
  double  low;
  double  close;
  int64_t volume;
} HsGenBar;

typedef struct
{
  HsGenBarsOptions opts;
  uint64_t         state;
  double           prev_close;
  int64_t          i;     /* index of the next bar */
} HsGenBars;

void     hs_gen_bars_options_init  (HsGenBarsOptions       *opts);
void     hs_gen_bars_init          (HsGenBars              *gen,
                                    const HsGenBarsOptions *opts);
void     hs_gen_bars_next          (HsGenBars              *gen,
                                    HsGenBar               *bar);
size_t   hs_gen_bars_format_bar    (const HsGenBar         *bar,
                                    char                    buf[HS_GEN_LINE_MAX]);
size_t   hs_gen_bars_format_trade  (const HsGenBar         *bar,
                                    char                    buf[HS_GEN_LINE_MAX]);
gboolean hs_gen_bars_write         (const HsGenBarsOptions *opts,
                                    int64_t                 n,
                                    FILE                   *bars,
                                    FILE                   *trades,
                                    GError                **error);
gboolean hs_gen_bars_write_files   (const HsGenBarsOptions *opts,
                                    int64_t                 n,
                                    const char             *bars_path,
                                    const char             *trades_path,
                                    GError                **error);

G_END_DECLS
