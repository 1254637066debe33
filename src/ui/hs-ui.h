/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     hs_ui_init          (void);
gboolean hs_is_main_thread   (void);

G_END_DECLS
