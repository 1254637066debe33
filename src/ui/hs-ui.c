/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every part of the GUI needs once: the compiled templates, style sheet and icons
 * registered as a GResource (manually, because a constructor in a static library is dropped by
 * the linker when nothing else in its object file is used), the types templates name, and the
 * main thread's identity for hs_is_main_thread(). And what every widget that starts a job
 * uses to find itself again when the job answers (HsUiJob).
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-ui.h"

#include <gio/gio.h>

#include "hs-chart-widget.h"
#include "hs-coverage-bar.h"
#include "hs-coverage-item.h"
#include "hs-ui-resources.h"

static GThread *main_thread;

/**
 * hs_ui_init:
 *
 * Registers the GUI's resources and types. Safe to call more than once; the first call must come
 * from the main thread (class_init of the first widget, or main()).
 */
void
hs_ui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      main_thread = g_thread_self ();
      hs_ui_register_resource ();
      g_type_ensure (HS_TYPE_COVERAGE_ITEM);
      g_type_ensure (HS_TYPE_COVERAGE_BAR);
      g_type_ensure (HS_TYPE_CHART_WIDGET);
      g_once_init_leave (&initialized, 1);
    }
}

/* Returns: whether the caller runs on the thread that initialised the GUI */
gboolean
hs_is_main_thread (void)
{
  return main_thread == NULL || main_thread == g_thread_self ();
}

/**
 * hs_ui_job_new:
 * @owner: the widget (any GObject) the job reports to
 * @cancellable: the job's cancellable, the widget's current one
 *
 * Returns: (transfer full): the callback's data for the job; free with hs_ui_job_free()
 */
HsUiJob *
hs_ui_job_new (gpointer      owner,
               GCancellable *cancellable)
{
  HsUiJob *job = g_new0 (HsUiJob, 1);

  g_weak_ref_init (&job->owner, owner);
  job->cancellable = g_object_ref (cancellable);
  return job;
}

void
hs_ui_job_free (HsUiJob *job)
{
  if (job == NULL)
    return;
  g_weak_ref_clear (&job->owner);
  g_clear_object (&job->cancellable);
  g_free (job);
}
