/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-bars.h"
#include "hs-bt-run.h"

G_BEGIN_DECLS

/* The version of the serialization hs_cache_key_compute() hashes. A change of what the key
 * covers bumps it, so that keys of older runs simply stop matching. 2: the data is named by
 * HsBtRunInfo.data_key (series versions and the range asked for), known before any bar is
 * read, instead of the fingerprint of the bars read and the tested period. */
#define HS_CACHE_KEY_VERSION 2

/* XXH64 (https://github.com/Cyan4973/xxHash, the 64-bit algorithm), streaming. */
typedef struct
{
  uint64_t total_len;
  uint64_t v[4];
  uint8_t  mem[32];
  uint32_t mem_size;
} HsXxh64;

void      hs_xxh64_init        (HsXxh64           *state,
                                uint64_t           seed);
void      hs_xxh64_update      (HsXxh64           *state,
                                const void        *data,
                                size_t             len);
uint64_t  hs_xxh64_digest      (const HsXxh64     *state);
uint64_t  hs_xxh64             (const void        *data,
                                size_t             len,
                                uint64_t           seed);

char     *hs_bars_fingerprint  (const HsBars      *bars);
char     *hs_cache_key_text    (const HsBtRunInfo *info);
char     *hs_cache_key_compute (const HsBtRunInfo *info);

G_END_DECLS
