/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <stdint.h>

#include "hs-window.h"

G_BEGIN_DECLS

/* Desktop notifications (docs/ui.md "Notifications"): a paper trade closed by its stop or
 * target, a provider failing repeatedly, a long job finished while no window has the focus.
 * Each opens a page of the window through app.show-page(NAME). */

/* Jobs that ran longer than this notify when they finish in the background. */
#define HS_NOTIFY_LONG_JOB_US (10 * G_USEC_PER_SEC)

/* The last notification sent, for tests (hs_notify_get_last()). */
typedef struct
{
  char *id;       /* (owned) "paper-42", "provider-kalshi", "job-…" */
  char *title;    /* (owned) */
  char *body;     /* (owned) (nullable) */
  char *page;     /* (owned) the page its default action opens */
} HsNotifyRecord;

void                  hs_notify_send           (GApplication *app,
                                                const char   *id,
                                                const char   *title,
                                                const char   *body,
                                                const char   *page);
const HsNotifyRecord *hs_notify_get_last       (void);
guint                 hs_notify_get_count      (void);

void                  hs_notify_install        (GApplication *app);
void                  hs_notify_job_finished   (GApplication *app,
                                                const char   *name,
                                                int64_t       elapsed_us,
                                                gboolean      success);
const char           *hs_notify_page_for_job   (const char   *name);

void                  hs_notify_attach         (HsWindow     *window);
void                  hs_notify_scan           (HsWindow     *window);

G_END_DECLS
