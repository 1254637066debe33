/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local order book a stream maintains: price levels per side with absolute sizes, a
 * snapshot of the best levels as an HsBookSnapshot (through hs_book_compute()), and Kraken's
 * WebSocket v2 book checksum, a CRC32 over the top ten levels of each side.
 *
 * Load: every book message of a feed goes through hs_book_set(), hundreds a second, on books of
 * tens of thousands of levels (a Coinbase level2 snapshot is the whole book). Each side is one
 * sorted array with its best price LAST, so the common change near the top of the book moves
 * only the few levels above it, and a lookup is a binary search.
 */
#define G_LOG_DOMAIN "hs-book"

#include "config.h"

#include "hs-book.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct _HsBook
{
  GArray *sides[2];   /* (owned) HsLevel; bids by rising price, asks by falling price: best last */
};

HsBook *
hs_book_new (void)
{
  HsBook *book = g_new0 (HsBook, 1);

  book->sides[HS_BOOK_BID] = g_array_new (FALSE, FALSE, sizeof (HsLevel));
  book->sides[HS_BOOK_ASK] = g_array_new (FALSE, FALSE, sizeof (HsLevel));
  return book;
}

void
hs_book_free (HsBook *book)
{
  if (book == NULL)
    return;
  g_array_unref (book->sides[HS_BOOK_BID]);
  g_array_unref (book->sides[HS_BOOK_ASK]);
  g_free (book);
}

void
hs_book_clear (HsBook *book)
{
  g_return_if_fail (book != NULL);
  g_array_set_size (book->sides[HS_BOOK_BID], 0);
  g_array_set_size (book->sides[HS_BOOK_ASK], 0);
}

/* Makes @book a copy of @src. */
void
hs_book_copy_from (HsBook       *book,
                   const HsBook *src)
{
  g_return_if_fail (book != NULL && src != NULL);
  for (int s = 0; s < 2; s++)
    {
      g_array_set_size (book->sides[s], 0);
      g_array_append_vals (book->sides[s], src->sides[s]->data, src->sides[s]->len);
    }
}

/* True when @a lies on the worse side of @b: a lower bid or a higher ask. */
static inline gboolean
worse (HsBookSide side,
       double     a,
       double     b)
{
  return side == HS_BOOK_BID ? a < b : a > b;
}

/* The index of the first level that is not worse than @price (the array is worst first). */
static size_t
lower_bound (const GArray *levels,
             HsBookSide    side,
             double        price)
{
  size_t lo = 0, hi = levels->len;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (worse (side, g_array_index (levels, HsLevel, mid).price, price))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * hs_book_set:
 * @price: the level's price, finite and positive
 * @size: the level's whole size from now on; 0 removes the level
 *
 * Returns: %FALSE with %HS_RECORD_ERROR_RANGE when @price or @size is out of range; the book
 *   is then unchanged
 */
gboolean
hs_book_set (HsBook     *book,
             HsBookSide  side,
             double      price,
             double      size,
             GError    **error)
{
  GArray *levels;
  size_t at;

  g_return_val_if_fail (book != NULL, FALSE);
  g_return_val_if_fail (side == HS_BOOK_BID || side == HS_BOOK_ASK, FALSE);

  if (!isfinite (price) || price <= 0)
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "price must be positive, not %g", price);
      return FALSE;
    }
  if (!isfinite (size) || size < 0)
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "size must be zero or more, not %g", size);
      return FALSE;
    }
  levels = book->sides[side];
  at = lower_bound (levels, side, price);
  if (at < levels->len && g_array_index (levels, HsLevel, at).price == price)
    {
      if (size == 0)
        g_array_remove_index (levels, at);
      else
        g_array_index (levels, HsLevel, at).size = size;
    }
  else if (size > 0)
    {
      HsLevel level = { price, size };

      g_array_insert_val (levels, at, level);
    }
  return TRUE;
}

/* Orders a side worst first: bids by rising price, asks by falling price. */
static int
cmp_rising (gconstpointer a,
            gconstpointer b)
{
  double x = ((const HsLevel *) a)->price, y = ((const HsLevel *) b)->price;

  return (x > y) - (x < y);
}

static int
cmp_falling (gconstpointer a,
             gconstpointer b)
{
  return cmp_rising (b, a);
}

/**
 * hs_book_load:
 * @levels: (array length=n): the side's levels in any order; a size of 0 is no level, and of
 *   two levels at one price the later counts
 *
 * Replaces one side of the book with @levels: what a snapshot does, in O(n log n) where @n
 * hs_book_set() calls would move the array n times.
 *
 * Returns: %FALSE with %HS_RECORD_ERROR_RANGE when a price or size is out of range; the side is
 *   then unchanged
 */
gboolean
hs_book_load (HsBook        *book,
              HsBookSide     side,
              const HsLevel *levels,
              size_t         n,
              GError       **error)
{
  g_autoptr(GArray) sorted = NULL;
  size_t out = 0;

  g_return_val_if_fail (book != NULL, FALSE);
  g_return_val_if_fail (side == HS_BOOK_BID || side == HS_BOOK_ASK, FALSE);

  for (size_t i = 0; i < n; i++)
    if (!isfinite (levels[i].price) || levels[i].price <= 0 || !isfinite (levels[i].size)
        || levels[i].size < 0)
      {
        g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                     "level %zu: price must be positive and size zero or more, not %g × %g",
                     i, levels[i].price, levels[i].size);
        return FALSE;
      }
  sorted = g_array_sized_new (FALSE, FALSE, sizeof (HsLevel), (guint) n);
  g_array_append_vals (sorted, levels, (guint) n);
  /* A stable sort keeps the later of two levels at one price after the earlier. */
  g_array_sort (sorted, side == HS_BOOK_BID ? cmp_rising : cmp_falling);
  for (size_t i = 0; i < sorted->len; i++)
    {
      HsLevel l = g_array_index (sorted, HsLevel, i);

      if (out > 0 && g_array_index (sorted, HsLevel, out - 1).price == l.price)
        out--;
      g_array_index (sorted, HsLevel, out++) = l;
    }
  g_array_set_size (sorted, (guint) out);
  /* Drop the zero sizes only now, so that a later 0 still removes an earlier level. */
  out = 0;
  for (size_t i = 0; i < sorted->len; i++)
    if (g_array_index (sorted, HsLevel, i).size > 0)
      g_array_index (sorted, HsLevel, out++) = g_array_index (sorted, HsLevel, i);
  g_array_set_size (sorted, (guint) out);
  g_array_unref (book->sides[side]);
  book->sides[side] = g_steal_pointer (&sorted);
  return TRUE;
}

size_t
hs_book_n_levels (const HsBook *book,
                  HsBookSide    side)
{
  g_return_val_if_fail (book != NULL, 0);
  return book->sides[side]->len;
}

/**
 * hs_book_get_level:
 * @rank: 0 for the best level, 1 for the next …; less than hs_book_n_levels()
 */
HsLevel
hs_book_get_level (const HsBook *book,
                   HsBookSide    side,
                   size_t        rank)
{
  const GArray *levels = book->sides[side];

  g_assert (rank < levels->len);
  return g_array_index (levels, HsLevel, levels->len - 1 - rank);
}

/**
 * hs_book_top:
 * @out: (out caller-allocates) (array length=n): room for @n levels
 *
 * Copies the best @n levels of @side, best first.
 *
 * Returns: how many levels were copied (fewer when the side is shorter)
 */
size_t
hs_book_top (const HsBook *book,
             HsBookSide    side,
             HsLevel      *out,
             size_t        n)
{
  const GArray *levels = book->sides[side];
  size_t k = MIN (n, (size_t) levels->len);

  for (size_t i = 0; i < k; i++)
    out[i] = g_array_index (levels, HsLevel, levels->len - 1 - i);
  return k;
}

/* Keeps the best @depth levels of each side: Kraken sends no removal for a level that falls
 * below the subscribed depth. */
void
hs_book_truncate (HsBook *book,
                  size_t  depth)
{
  g_return_if_fail (book != NULL);
  for (int s = 0; s < 2; s++)
    if (book->sides[s]->len > depth)
      g_array_remove_range (book->sides[s], 0, book->sides[s]->len - depth);
}

/* True when the best ask is at or below the best bid: the book has lost an update. */
gboolean
hs_book_is_crossed (const HsBook *book)
{
  const GArray *b = book->sides[HS_BOOK_BID], *a = book->sides[HS_BOOK_ASK];

  return b->len > 0 && a->len > 0
         && g_array_index (a, HsLevel, a->len - 1).price
            <= g_array_index (b, HsLevel, b->len - 1).price;
}

/**
 * hs_book_snapshot:
 * @depth: the number of best levels per side to keep (> 0)
 * @out: the snapshot to fill; its ts and sequence are left as they are
 *
 * The best @depth levels of each side summarised by hs_book_compute(): best prices, spread,
 * volumes, imbalance and the levels as JSON.
 *
 * Returns: %FALSE when the book is crossed (hs_book_compute() refuses it)
 */
gboolean
hs_book_snapshot (const HsBook   *book,
                  int             depth,
                  HsBookSnapshot *out,
                  GError        **error)
{
  g_autofree HsLevel *bids = NULL, *asks = NULL;
  size_t nb, na;

  g_return_val_if_fail (book != NULL && depth > 0, FALSE);

  bids = g_new (HsLevel, depth);
  asks = g_new (HsLevel, depth);
  nb = hs_book_top (book, HS_BOOK_BID, bids, (size_t) depth);
  na = hs_book_top (book, HS_BOOK_ASK, asks, (size_t) depth);
  return hs_book_compute (out, bids, nb, asks, na, depth, error);
}

/* The CRC-32 of ISO 3309 / zlib / PNG: reflected polynomial 0xEDB88320, initial value and final
 * XOR 0xFFFFFFFF. The table is built once. */
static uint32_t crc_table[256];

static gsize
crc_table_init (void)
{
  for (uint32_t n = 0; n < 256; n++)
    {
      uint32_t c = n;

      for (int k = 0; k < 8; k++)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      crc_table[n] = c;
    }
  return 1;
}

uint32_t
hs_crc32 (const void *data,
          size_t      len)
{
  static gsize once = 0;
  const unsigned char *p = data;
  uint32_t c = 0xFFFFFFFFu;

  if (g_once_init_enter (&once))
    g_once_init_leave (&once, crc_table_init ());
  for (size_t i = 0; i < len; i++)
    c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

/* A price or quantity as Kraken's checksum wants it: the value with its instrument's number of
 * decimals, the point removed, leading zeros removed ("0.00100000" → "100000"). */
static void
append_checksum_number (GString *s,
                        double   v,
                        int      decimals)
{
  char buf[64];
  const char *p = buf;

  g_snprintf (buf, sizeof buf, "%.*f", decimals, v);
  while (*p == '0' || *p == '.')
    p++;
  for (; *p; p++)
    if (*p != '.')
      g_string_append_c (s, *p);
}

/**
 * hs_book_kraken_checksum_text:
 * @price_decimals: the instrument's price precision (BTC/USD: 1)
 * @qty_decimals: its quantity precision (8 for most pairs)
 *
 * The text Kraken's WebSocket v2 book checksum is computed over: the top ten asks from the
 * lowest price up, then the top ten bids from the highest price down, each level as price then
 * quantity, formatted to the instrument's precision, without the decimal point and without
 * leading zeros (docs.kraken.com, "Spot Websockets (v2) Book Checksum").
 *
 * Returns: (transfer full): the text
 */
char *
hs_book_kraken_checksum_text (const HsBook *book,
                              int           price_decimals,
                              int           qty_decimals)
{
  GString *s = g_string_sized_new (512);
  const HsBookSide order[2] = { HS_BOOK_ASK, HS_BOOK_BID };

  g_return_val_if_fail (book != NULL, NULL);
  g_return_val_if_fail (price_decimals >= 0 && price_decimals <= 18, NULL);
  g_return_val_if_fail (qty_decimals >= 0 && qty_decimals <= 18, NULL);

  for (int o = 0; o < 2; o++)
    {
      size_t n = MIN ((size_t) 10, hs_book_n_levels (book, order[o]));

      for (size_t i = 0; i < n; i++)
        {
          HsLevel l = hs_book_get_level (book, order[o], i);

          append_checksum_number (s, l.price, price_decimals);
          append_checksum_number (s, l.size, qty_decimals);
        }
    }
  return g_string_free (s, FALSE);
}

/* The CRC-32 of hs_book_kraken_checksum_text(): the value of a book message's "checksum". */
uint32_t
hs_book_kraken_checksum (const HsBook *book,
                         int           price_decimals,
                         int           qty_decimals)
{
  g_autofree char *text = hs_book_kraken_checksum_text (book, price_decimals, qty_decimals);

  return text != NULL ? hs_crc32 (text, strlen (text)) : 0;
}
