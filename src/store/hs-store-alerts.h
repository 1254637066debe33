/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdint.h>

#include "hs-store.h"

G_BEGIN_DECLS

/* One row of the alerts table (docs/schema.md, migrations/005). */
typedef struct
{
  int64_t  id;             /* 0 until stored */
  int64_t  ts;             /* µs UTC */
  char    *kind;           /* (owned) signal_generated, position_opened … system_error */
  char    *severity;       /* (owned) debug, info, warning, error, critical */
  char    *title;          /* (owned) 1 to 200 characters */
  char    *message;        /* (owned) (nullable) */
  char    *source;         /* (owned) (nullable) the component that raised it */
  int      acknowledged;   /* 0 or 1 */
  char    *dedupe_key;     /* (owned) (nullable) raising the same key twice stores one row */
  char    *payload;        /* (owned) (nullable) a JSON object with the details */
} HsAlert;

HsAlert  *hs_alert_new          (void);
void      hs_alert_free         (HsAlert        *alert);

gboolean  hs_store_add_alert    (HsStore        *store,
                                 const HsAlert  *alert,
                                 gboolean       *inserted,
                                 GError        **error);
GPtrArray *hs_store_list_alerts (HsStore        *store,
                                 int64_t         limit,
                                 GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsAlert, hs_alert_free)

G_END_DECLS
