/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     hs_ui_init          (void);
gboolean hs_is_main_thread   (void);

/* A job a widget started: the worker never sees the widget; the job's callback finds it again
 * through @owner (NULL once it is gone) and drops a result whose @cancellable is no longer the
 * widget's current one (a newer request superseded it). */
typedef struct
{
  GWeakRef      owner;
  GCancellable *cancellable;   /* (owned) */
} HsUiJob;

HsUiJob *hs_ui_job_new       (gpointer      owner,
                              GCancellable *cancellable);
void     hs_ui_job_free      (HsUiJob      *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsUiJob, hs_ui_job_free)

G_END_DECLS
