/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-backtest-job.h"

G_BEGIN_DECLS

/* What the backtest pages' GUI tests share (hs-gui-test.c): a database with real bars, waiting
 * for the main loop, finding widgets and screenshots. */

void       hs_gui_test_init           (int          *argc,
                                       char       ***argv);
char      *hs_gui_test_bars_db        (const char   *dir,
                                       const char   *name);
void       hs_gui_test_remove_db      (const char   *path);
void       hs_gui_test_wait_frames    (GtkWidget    *window,
                                       int           n);
void       hs_gui_test_spin_until     (gboolean    (*done) (gpointer data),
                                       gpointer      data);
void       hs_gui_test_screenshot     (GtkWidget    *widget,
                                       const char   *name);
GtkWidget *hs_gui_test_find_type      (GtkWidget    *root,
                                       GType         type);
GtkWidget *hs_gui_test_find_label     (GtkWidget    *root,
                                       const char   *text);
GtkWidget *hs_gui_test_find_accessible (GtkWidget   *root,
                                        GType        type,
                                        const char  *label);
GPtrArray *hs_gui_test_labels         (GtkWidget    *root);
HsBacktestOutcome *hs_gui_test_synthetic_outcome (guint n);
GtkWidget *hs_gui_test_window         (GtkWidget    *child,
                                       int           width,
                                       int           height);

G_END_DECLS
