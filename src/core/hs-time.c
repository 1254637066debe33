/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Timestamps: parsing the forms market data files use into microseconds since the Unix epoch
 * (UTC), and formatting them back as ISO-8601 UTC. Called once or twice per imported row, so the
 * common forms are parsed by hand without allocating; only naive local times in a zone other
 * than UTC consult GTimeZone.
 */
#define G_LOG_DOMAIN "hs-time"

#include "config.h"

#include "hs-time.h"

#include <string.h>

G_DEFINE_QUARK (hs-time-error-quark, hs_time_error)

#define US_PER_SEC G_GINT64_CONSTANT (1000000)
#define SEC_PER_DAY G_GINT64_CONSTANT (86400)

/* Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date. */
int64_t
hs_time_days_from_civil (int64_t  y,
                         unsigned m,
                         unsigned d)
{
  int64_t era;
  unsigned yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (unsigned) (y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t) doe - 719468;
}

static void
civil_from_days (int64_t   z,
                 int64_t  *y,
                 unsigned *m,
                 unsigned *d)
{
  int64_t era;
  unsigned doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (unsigned) (z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  *y = (int64_t) yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y += *m <= 2;
}

static unsigned
days_in_month (int64_t  y,
               unsigned m)
{
  static const unsigned dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

  return m == 2 && leap ? 29 : dim[m - 1];
}

/* Reads exactly @n digits; returns -1 when one is not a digit. */
static int
digits (const char *p,
        int         n)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    {
      if (p[i] < '0' || p[i] > '9')
        return -1;
      v = v * 10 + (p[i] - '0');
    }
  return v;
}

static gboolean
fail (GError    **error,
      int         code,
      const char *text,
      const char *why)
{
  g_set_error (error, HS_TIME_ERROR, code, "“%s” is not a valid time: %s", text, why);
  return FALSE;
}

/* Local wall-clock seconds (as if UTC) in @tz to UTC seconds. GTimeZone picks the daylight
 * interval for an ambiguous hour and moves a time inside a spring-forward gap to its end, as
 * GDateTime does. */
static int64_t
local_to_utc (GTimeZone *tz,
              int64_t    local)
{
  gint64 t = local;
  int interval;

  if (tz == NULL)
    return local;
  interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_DAYLIGHT, &t);
  return t - g_time_zone_get_offset (tz, interval);
}

/* Parses "YYYY-MM-DD" at @p; returns days since the epoch via @days. */
static gboolean
parse_date (const char  *text,
            const char **p,
            int64_t     *days,
            GError     **error)
{
  int y, m, d;
  const char *s = *p;

  y = digits (s, 4);
  if (y < 0 || s[4] != '-' || (m = digits (s + 5, 2)) < 0 || s[7] != '-'
      || (d = digits (s + 8, 2)) < 0)
    return fail (error, HS_TIME_ERROR_INVALID, text, "expected a date as YYYY-MM-DD");
  if (m < 1 || m > 12)
    return fail (error, HS_TIME_ERROR_RANGE, text, "month out of range");
  if (d < 1 || (unsigned) d > days_in_month (y, (unsigned) m))
    return fail (error, HS_TIME_ERROR_RANGE, text, "day out of range");
  *days = hs_time_days_from_civil (y, (unsigned) m, (unsigned) d);
  *p = s + 10;
  return TRUE;
}

/* Parses "HH:MM[:SS[.fraction]]" at @p into microseconds since midnight. */
static gboolean
parse_clock (const char  *text,
             const char **p,
             int64_t     *us,
             GError     **error)
{
  const char *s = *p;
  int h, mi, sec = 0;
  int64_t frac = 0;

  h = digits (s, 2);
  if (h < 0 || s[2] != ':' || (mi = digits (s + 3, 2)) < 0)
    return fail (error, HS_TIME_ERROR_INVALID, text, "expected a time as HH:MM:SS");
  s += 5;
  if (*s == ':')
    {
      if ((sec = digits (s + 1, 2)) < 0)
        return fail (error, HS_TIME_ERROR_INVALID, text, "expected seconds after HH:MM:");
      s += 3;
      if (*s == '.' || *s == ',')
        {
          int n = 0;

          s++;
          if (*s < '0' || *s > '9')
            return fail (error, HS_TIME_ERROR_INVALID, text, "expected digits after the decimal point");
          while (*s >= '0' && *s <= '9')
            {
              /* Digits past microseconds are truncated: the store keeps microseconds. */
              if (n < 6)
                frac = frac * 10 + (*s - '0');
              n++;
              s++;
            }
          for (; n < 6; n++)
            frac *= 10;
        }
    }
  if (h > 23 || mi > 59 || sec > 59)
    return fail (error, HS_TIME_ERROR_RANGE, text, "hour, minute or second out of range");
  *us = ((int64_t) h * 3600 + mi * 60 + sec) * US_PER_SEC + frac;
  *p = s;
  return TRUE;
}

/* Parses "Z", "+HH:MM", "+HHMM", "+HH" at @p into an offset in seconds; *has_zone tells whether
 * one was there. */
static gboolean
parse_zone (const char  *text,
            const char **p,
            gboolean    *has_zone,
            int64_t     *offset,
            GError     **error)
{
  const char *s = *p;
  int sign, h, m = 0;

  *has_zone = FALSE;
  *offset = 0;
  if (*s == 'Z' || *s == 'z')
    {
      *has_zone = TRUE;
      *p = s + 1;
      return TRUE;
    }
  if (*s != '+' && *s != '-')
    return TRUE;
  sign = *s == '-' ? -1 : 1;
  s++;
  if ((h = digits (s, 2)) < 0)
    return fail (error, HS_TIME_ERROR_INVALID, text, "expected a UTC offset as ±HH:MM");
  s += 2;
  if (*s == ':')
    s++;
  if (*s >= '0' && *s <= '9')
    {
      if ((m = digits (s, 2)) < 0)
        return fail (error, HS_TIME_ERROR_INVALID, text, "expected a UTC offset as ±HH:MM");
      s += 2;
    }
  if (h > 23 || m > 59)
    return fail (error, HS_TIME_ERROR_RANGE, text, "UTC offset out of range");
  *has_zone = TRUE;
  *offset = sign * ((int64_t) h * 3600 + m * 60);
  *p = s;
  return TRUE;
}

/* A plain integer is Unix time; its magnitude tells the unit (documented in the README). */
static gboolean
parse_epoch (const char *text,
             int64_t    *out_us,
             GError    **error)
{
  const char *s = text;
  gboolean neg = FALSE;
  uint64_t v = 0;
  int n = 0;

  if (*s == '-')
    {
      neg = TRUE;
      s++;
    }
  for (; *s >= '0' && *s <= '9'; s++, n++)
    {
      if (n >= 18)
        return fail (error, HS_TIME_ERROR_RANGE, text, "number too large for a Unix time");
      v = v * 10 + (uint64_t) (*s - '0');
    }
  if (*s != '\0' || n == 0)
    return fail (error, HS_TIME_ERROR_INVALID, text,
                 "expected ISO-8601 (2024-01-31T14:30:00Z), YYYY-MM-DD[ HH:MM:SS] "
                 "or Unix seconds/milliseconds");
  /* Below 1e11 it is seconds (to year 5138), below 1e14 milliseconds, else microseconds. */
  if (v < G_GUINT64_CONSTANT (100000000000))
    v *= 1000000;
  else if (v < G_GUINT64_CONSTANT (100000000000000))
    v *= 1000;
  *out_us = neg ? -(int64_t) v : (int64_t) v;
  return TRUE;
}

/**
 * hs_time_parse:
 * @text: the timestamp text
 * @naive_tz: (nullable): the zone of times written without an offset; %NULL for UTC
 * @out_us: (out): microseconds since the Unix epoch, UTC
 *
 * Accepts `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.f]]` or with `T`, optionally followed by `Z` or
 * an offset, and Unix time as an integer (seconds below 1e11, milliseconds below 1e14,
 * microseconds above). A date alone is midnight in @naive_tz.
 *
 * Returns: %TRUE, or %FALSE with @error set (%HS_TIME_ERROR).
 */
gboolean
hs_time_parse (const char *text,
               GTimeZone  *naive_tz,
               int64_t    *out_us,
               GError    **error)
{
  const char *p = text;
  int64_t days, clock_us = 0, offset = 0, local_s;
  gboolean has_zone = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_us != NULL, FALSE);

  if (strlen (text) < 10 || text[4] != '-')
    return parse_epoch (text, out_us, error);
  if (!parse_date (text, &p, &days, error))
    return FALSE;
  if (*p == 'T' || *p == 't' || *p == ' ')
    {
      p++;
      if (!parse_clock (text, &p, &clock_us, error))
        return FALSE;
      if (!parse_zone (text, &p, &has_zone, &offset, error))
        return FALSE;
    }
  if (*p != '\0')
    return fail (error, HS_TIME_ERROR_INVALID, text, "unexpected text after the time");

  local_s = days * SEC_PER_DAY + clock_us / US_PER_SEC;
  if (has_zone)
    local_s -= offset;
  else
    local_s = local_to_utc (naive_tz, local_s);
  *out_us = local_s * US_PER_SEC + clock_us % US_PER_SEC;
  return TRUE;
}

/**
 * hs_time_parse_parts:
 * @date: `YYYY-MM-DD`
 * @time: `HH:MM[:SS[.f]]`, possibly with a zone
 *
 * Joins a separate date and time column and parses them as hs_time_parse() does.
 */
gboolean
hs_time_parse_parts (const char *date,
                     const char *time,
                     GTimeZone  *naive_tz,
                     int64_t    *out_us,
                     GError    **error)
{
  char buf[96];

  if (strlen (date) + strlen (time) + 2 > sizeof buf)
    return fail (error, HS_TIME_ERROR_INVALID, date, "date and time too long");
  g_snprintf (buf, sizeof buf, "%s %s", date, time);
  return hs_time_parse (buf, naive_tz, out_us, error);
}

/**
 * hs_time_format_iso_buf:
 *
 * Writes @us as `YYYY-MM-DDTHH:MM:SSZ`, with `.fff` or `.ffffff` when the time has a fraction
 * of a second: the shortest of the two that is exact.
 */
void
hs_time_format_iso_buf (int64_t us,
                        char    buf[40])
{
  int64_t secs = us >= 0 ? us / US_PER_SEC : -((-us + US_PER_SEC - 1) / US_PER_SEC);
  int64_t frac = us - secs * US_PER_SEC;
  int64_t days = secs >= 0 ? secs / SEC_PER_DAY : -((-secs + SEC_PER_DAY - 1) / SEC_PER_DAY);
  int64_t sod = secs - days * SEC_PER_DAY;
  int64_t y;
  unsigned m, d;

  civil_from_days (days, &y, &m, &d);
  if (frac == 0)
    g_snprintf (buf, 40, "%04" G_GINT64_FORMAT "-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
                (int) (sod / 3600), (int) (sod / 60 % 60), (int) (sod % 60));
  else if (frac % 1000 == 0)
    g_snprintf (buf, 40, "%04" G_GINT64_FORMAT "-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d,
                (int) (sod / 3600), (int) (sod / 60 % 60), (int) (sod % 60), (int) (frac / 1000));
  else
    g_snprintf (buf, 40, "%04" G_GINT64_FORMAT "-%02u-%02uT%02d:%02d:%02d.%06dZ", y, m, d,
                (int) (sod / 3600), (int) (sod / 60 % 60), (int) (sod % 60), (int) frac);
}

char *
hs_time_format_iso (int64_t us)
{
  char buf[40];

  hs_time_format_iso_buf (us, buf);
  return g_strdup (buf);
}

int64_t
hs_time_now_us (void)
{
  return g_get_real_time ();
}

/**
 * hs_time_parse_bound:
 * @end_of_day: the bound is the end of a range: a bare date (YYYY-MM-DD) means its last
 *   microsecond, so that "to 2024-03-05" takes the whole day
 *
 * hs_time_parse() for the ends of a range (--from, --to, the GUI's date pickers). An error
 * names the end as the CLI and the backtest request call it: "bad --from: …", "bad --to: …".
 */
gboolean
hs_time_parse_bound (const char *text,
                     gboolean    end_of_day,
                     int64_t    *out,
                     GError    **error)
{
  if (!hs_time_parse (text, NULL, out, error))
    {
      g_prefix_error (error, "bad --%s: ", end_of_day ? "to" : "from");
      return FALSE;
    }
  if (end_of_day && strlen (text) == 10)
    *out += G_GINT64_CONSTANT (86400000000) - 1;
  return TRUE;
}
