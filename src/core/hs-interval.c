/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table of bar intervals: their names as users type them and as the candles table stores
 * them (the CHECK in migrations/001_market_data.sql lists the same names).
 */
#define G_LOG_DOMAIN "hs-interval"

#include "config.h"

#include "hs-interval.h"

static const HsInterval intervals[] = {
  { "tick", 0 },
  { "1s", 1 },
  { "1m", 60 },
  { "5m", 300 },
  { "15m", 900 },
  { "30m", 1800 },
  { "1h", 3600 },
  { "4h", 14400 },
  { "1d", 86400 },
  { "2d", 172800 },
  { "1w", 604800 },
  { "2w", 1209600 },
  { "1mo", 0 },
};

/**
 * hs_interval_lookup:
 * @name: an interval name such as `1m` or `1d`
 *
 * Returns: (transfer none) (nullable): the interval, or %NULL when the name is unknown
 */
const HsInterval *
hs_interval_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (intervals); i++)
    if (g_str_equal (intervals[i].name, name))
      return &intervals[i];
  return NULL;
}

const HsInterval *
hs_interval_all (size_t *n)
{
  *n = G_N_ELEMENTS (intervals);
  return intervals;
}

/* Returns: (transfer full): the names joined by ", ", for error messages and help. */
char *
hs_interval_names (void)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (intervals); i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", intervals[i].name);
  return g_string_free (s, FALSE);
}
