/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "hs-records.h"

G_BEGIN_DECLS

/* A local limit order book kept from a stream: one aggregate size per price level and side,
 * updated by absolute sizes (a size of 0 removes the level). */
typedef struct _HsBook HsBook;

typedef enum
{
  HS_BOOK_BID,
  HS_BOOK_ASK,
} HsBookSide;

HsBook   *hs_book_new              (void);
void      hs_book_free             (HsBook       *book);
void      hs_book_clear            (HsBook       *book);
void      hs_book_copy_from        (HsBook       *book,
                                    const HsBook *src);
gboolean  hs_book_set              (HsBook       *book,
                                    HsBookSide    side,
                                    double        price,
                                    double        size,
                                    GError      **error);
gboolean  hs_book_load             (HsBook        *book,
                                    HsBookSide     side,
                                    const HsLevel *levels,
                                    size_t         n,
                                    GError       **error);
size_t    hs_book_n_levels         (const HsBook *book,
                                    HsBookSide    side);
HsLevel   hs_book_get_level        (const HsBook *book,
                                    HsBookSide    side,
                                    size_t        rank);
size_t    hs_book_top              (const HsBook *book,
                                    HsBookSide    side,
                                    HsLevel      *out,
                                    size_t        n);
void      hs_book_truncate         (HsBook       *book,
                                    size_t        depth);
gboolean  hs_book_is_crossed       (const HsBook *book);
gboolean  hs_book_snapshot         (const HsBook   *book,
                                    int             depth,
                                    HsBookSnapshot *out,
                                    GError        **error);

uint32_t  hs_crc32                 (const void   *data,
                                    size_t        len);
char     *hs_book_kraken_checksum_text (const HsBook *book,
                                        int           price_decimals,
                                        int           qty_decimals);
uint32_t  hs_book_kraken_checksum  (const HsBook *book,
                                    int           price_decimals,
                                    int           qty_decimals);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsBook, hs_book_free)

G_END_DECLS
