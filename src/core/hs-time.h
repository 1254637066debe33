/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

#define HS_TIME_ERROR (hs_time_error_quark ())

typedef enum
{
  HS_TIME_ERROR_INVALID,   /* text is not a timestamp in a supported form */
  HS_TIME_ERROR_RANGE,     /* a field is out of range (month 13, 25:00 …) */
} HsTimeError;

GQuark   hs_time_error_quark  (void);

gboolean hs_time_parse        (const char  *text,
                               GTimeZone   *naive_tz,
                               int64_t     *out_us,
                               GError     **error);
gboolean hs_time_parse_bound  (const char  *text,
                               gboolean     end_of_day,
                               int64_t     *out,
                               GError     **error);
gboolean hs_time_parse_parts  (const char  *date,
                               const char  *time,
                               GTimeZone   *naive_tz,
                               int64_t     *out_us,
                               GError     **error);
char    *hs_time_format_iso   (int64_t      us);
void     hs_time_format_iso_buf (int64_t    us,
                                 char       buf[40]);
int64_t  hs_time_days_from_civil (int64_t   y,
                                  unsigned  m,
                                  unsigned  d);
int64_t  hs_time_now_us       (void);

G_END_DECLS
