/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Numbers and dates as the window shows them: in the user's locale (LC_NUMERIC, LC_TIME), which
 * main() sets with setlocale (LC_ALL, ""). Only the GUI calls these. Files Hindsight writes
 * (exports, JSON, the database) never do: they go through hs_format_double(), g_ascii_dtostr()
 * and hs_time_format_iso(), which are the same in every locale (docs/i18n.md).
 */
#define G_LOG_DOMAIN "hindsight"

#include "config.h"

#include "hs-locale-format.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-time.h"

/**
 * hs_ui_locale_has_dates:
 *
 * Whether LC_TIME names a real locale. The C and POSIX locales have only the American
 * "%m/%d/%y" for a date, so there the window keeps ISO 8601 (2024-01-02), which is also what it
 * showed before it followed the locale.
 *
 * Returns: TRUE when dates are written the locale's way
 */
gboolean
hs_ui_locale_has_dates (void)
{
  const char *name = setlocale (LC_TIME, NULL);

  if (name == NULL)
    return FALSE;
  return !(g_str_equal (name, "C") || g_str_equal (name, "POSIX")
           || g_str_has_prefix (name, "C.") || g_str_has_prefix (name, "POSIX."));
}

/**
 * hs_ui_localize_iso_date:
 * @iso: text that starts with an ISO date, "2024-01-02" or "2024-01-02 14:30" …
 *
 * Rewrites the leading YYYY-MM-DD in the locale's short date form (%x: "02.01.2024" in German,
 * "01/02/2024" in American English) and keeps the rest (a time of day) as it is. In the C locale,
 * or when @iso does not start with a date, it returns a copy of @iso.
 *
 * Returns: (transfer full): the text
 */
char *
hs_ui_localize_iso_date (const char *iso)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *date = NULL;
  int y = 0, m = 0, d = 0;

  g_return_val_if_fail (iso != NULL, NULL);

  if (!hs_ui_locale_has_dates () || strlen (iso) < 10 || iso[4] != '-' || iso[7] != '-'
      || sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return g_strdup (iso);
  dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (dt == NULL)
    return g_strdup (iso);
  date = g_date_time_format (dt, "%x");
  if (date == NULL)
    return g_strdup (iso);
  return g_strconcat (date, iso + 10, NULL);
}

/**
 * hs_ui_format_date:
 * @us: microseconds since the epoch; the day is taken in UTC
 *
 * Returns: (transfer full): the UTC day in the locale's short date form, ISO 8601 in the C locale
 */
char *
hs_ui_format_date (int64_t us)
{
  char buf[40];

  hs_time_format_iso_buf (us, buf);
  if (strlen (buf) > 10 && buf[10] == 'T')
    buf[10] = '\0';
  return hs_ui_localize_iso_date (buf);
}

/**
 * hs_ui_format_decimal:
 * @value: the number
 * @decimals: digits after the decimal mark (0 to 17)
 *
 * The locale's decimal mark and thousands grouping (printf's ' flag): 1234567.891 with two
 * decimals is "1.234.567,89" in German, "1,234,567.89" in American English and "1234567.89" in
 * the C locale. A minus sign is U+2212, and a value that rounds to zero has none. NaN and the
 * infinities are "—".
 *
 * Returns: (transfer full): the text
 */
char *
hs_ui_format_decimal (double value,
                      int    decimals)
{
  decimals = CLAMP (decimals, 0, 17);
  if (!isfinite (value))
    return g_strdup ("—");
  if (value < 0 && fabs (value) >= 0.5 * pow (10, -decimals))
    return g_strdup_printf ("−%'.*f", decimals, -value);
  return g_strdup_printf ("%'.*f", decimals, fabs (value));
}
