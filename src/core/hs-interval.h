/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Bar intervals Hindsight stores. "tick" rows are single prints (several may share a time);
 * "1mo" is a calendar month and has no fixed length (seconds 0). */
typedef struct
{
  const char *name;
  int64_t     seconds;
} HsInterval;

const HsInterval *hs_interval_lookup (const char *name);
const HsInterval *hs_interval_all    (size_t     *n);
char             *hs_interval_names  (void);

G_END_DECLS
