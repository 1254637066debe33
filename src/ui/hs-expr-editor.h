/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HS_TYPE_EXPR_EDITOR (hs_expr_editor_get_type ())

G_DECLARE_FINAL_TYPE (HsExprEditor, hs_expr_editor, HS, EXPR_EDITOR, GtkWidget)

GtkWidget  *hs_expr_editor_new                (void);
char       *hs_expr_editor_dup_text           (HsExprEditor *self);
void        hs_expr_editor_set_text           (HsExprEditor *self,
                                               const char   *text);
gboolean    hs_expr_editor_get_valid          (HsExprEditor *self);
const char *hs_expr_editor_get_error_message  (HsExprEditor *self);
gboolean    hs_expr_editor_get_error_range    (HsExprEditor *self,
                                               int          *start,
                                               int          *end);
GtkTextView *hs_expr_editor_get_text_view     (HsExprEditor *self);

/* Completion of function names at the cursor. */
GStrv       hs_expr_editor_dup_completions    (HsExprEditor *self);
gboolean    hs_expr_editor_complete           (HsExprEditor *self,
                                               guint         index);

const char *const *hs_expr_function_names     (void);

G_END_DECLS
