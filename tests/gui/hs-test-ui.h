/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers of the GUI tests (tests/gui/hs-test-ui.c).
 */
#pragma once

#include <adwaita.h>
#include <stdint.h>

#include "hs-window.h"

G_BEGIN_DECLS

void       hs_test_ui_init               (int         *argc,
                                          char      ***argv);
char      *hs_test_temp_path             (const char  *name);
int64_t    hs_test_utc                   (int          y,
                                          int          m,
                                          int          d,
                                          int          hh,
                                          int          mm);
void       hs_test_wait_for_frames       (GtkWidget   *window,
                                          int          n);
void       hs_test_save_screenshot       (GtkWidget   *widget,
                                          const char  *name);
void       hs_test_collect_labels        (GtkWidget   *widget,
                                          GPtrArray   *texts);
GtkWidget *hs_test_find_widget           (GtkWidget   *widget,
                                          GType        type);
gboolean   hs_test_texts_contain         (GPtrArray   *texts,
                                          const char  *text);
void       hs_test_assert_controls_named (GtkWidget   *widget,
                                          unsigned    *n_checked);
void       hs_test_reset_settings        (void);
void       hs_test_wait_for_load         (HsWindow    *window);
HsWindow  *hs_test_open_window           (const char  *path);
void       hs_test_close_window          (HsWindow    *window);

G_END_DECLS
