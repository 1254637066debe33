/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An editor for one rule-set expression (docs/expressions.md) with live validation: every
 * change is parsed and checked (hs_expr_parse(), hs_eval_check() without a context, so the
 * position state a rule set may read is allowed); an error is underlined at its byte offset
 * through a GtkTextTag and its message shown below. While a name is typed, the functions it
 * begins are offered in a popover: Up/Down choose, Tab or Return insert, Escape closes. Parsing
 * an expression of a few hundred characters takes microseconds, so it runs on every keystroke.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-expr-editor.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hs-eval.h"
#include "hs-expr.h"

#define MAX_COMPLETIONS 8

struct _HsExprEditor
{
  GtkWidget       parent_instance;

  GtkWidget      *frame;
  GtkTextView    *text_view;
  GtkTextBuffer  *buffer;
  GtkTextTag     *error_tag;
  GtkLabel       *error_label;
  GtkPopover     *popover;
  GtkListBox     *completion_list;

  char           *error_message;   /* (owned) (nullable) */
  int             error_start;     /* characters; −1 without an error position */
  int             error_end;
  GPtrArray      *completions;     /* (owned) (element-type utf8) shown in the popover */
  gboolean        completing;      /* inserting a completion: no new popover */
  gboolean        valid;
};

G_DEFINE_FINAL_TYPE (HsExprEditor, hs_expr_editor, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TEXT,
  PROP_VALID,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_ptr_array_sort() passes pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/**
 * hs_expr_function_names:
 *
 * Returns: (transfer none) (array zero-terminated=1): the expression language's function
 *   names, sorted, from hs_eval_function_list()
 */
const char *const *
hs_expr_function_names (void)
{
  static GStrv names = NULL;

  if (g_once_init_enter (&names))
    {
      g_autofree char *list = hs_eval_function_list ();
      g_autoptr(GPtrArray) out = g_ptr_array_new ();
      const char *p = list;

      /* "sma(x, n), ema(x, n), …": a name runs up to its "(", and the next one starts after
       * the ", " that follows the matching ")". */
      while (*p != '\0')
        {
          const char *open = strchr (p, '(');
          int depth = 0;

          if (open == NULL)
            break;
          g_ptr_array_add (out, g_strndup (p, (size_t) (open - p)));
          for (p = open; *p != '\0'; p++)
            {
              if (*p == '(')
                depth++;
              else if (*p == ')' && --depth == 0)
                {
                  p++;
                  break;
                }
            }
          while (*p == ',' || *p == ' ')
            p++;
        }
      g_ptr_array_sort (out, compare_names);
      g_ptr_array_add (out, NULL);
      g_once_init_leave (&names, (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE));
    }
  return (const char *const *) names;
}

static gboolean
is_name_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_';
}

/* The name being typed before the cursor: [@start, cursor). FALSE when there is none. */
static gboolean
word_before_cursor (HsExprEditor *self,
                    GtkTextIter  *start,
                    GtkTextIter  *end)
{
  GtkTextMark *insert = gtk_text_buffer_get_insert (self->buffer);

  gtk_text_buffer_get_iter_at_mark (self->buffer, end, insert);
  *start = *end;
  while (!gtk_text_iter_is_start (start))
    {
      GtkTextIter prev = *start;

      gtk_text_iter_backward_char (&prev);
      if (!is_name_char (gtk_text_iter_get_char (&prev)))
        break;
      *start = prev;
    }
  /* A name starts with a letter, and a name followed by more of itself is not being typed. */
  return !gtk_text_iter_equal (start, end) && g_unichar_isalpha (gtk_text_iter_get_char (start))
         && !is_name_char (gtk_text_iter_get_char (end));
}

static void
hide_completions (HsExprEditor *self)
{
  g_ptr_array_set_size (self->completions, 0);
  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    gtk_popover_popdown (self->popover);
}

static void
update_completions (HsExprEditor *self)
{
  g_autofree char *word = NULL;
  GtkTextIter start, end;
  GdkRectangle rect;
  GtkWidget *child = NULL;
  double x = 0, y = 0;
  int bx = 0, by = 0;

  g_ptr_array_set_size (self->completions, 0);
  if (!self->completing && gtk_widget_is_focus (GTK_WIDGET (self->text_view))
      && word_before_cursor (self, &start, &end))
    {
      word = gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
      for (const char *const *n = hs_expr_function_names ();
           *n != NULL && self->completions->len < MAX_COMPLETIONS; n++)
        if (g_str_has_prefix (*n, word) && strcmp (*n, word) != 0)
          g_ptr_array_add (self->completions, g_strdup (*n));
    }
  if (self->completions->len == 0)
    {
      hide_completions (self);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->completion_list))) != NULL)
    gtk_list_box_remove (self->completion_list, child);
  for (guint i = 0; i < self->completions->len; i++)
    {
      GtkWidget *label = gtk_label_new (self->completions->pdata[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "monospace");
      gtk_list_box_append (self->completion_list, label);
      gtk_widget_set_focusable (gtk_widget_get_parent (label), FALSE);
    }
  gtk_list_box_select_row (self->completion_list,
                           gtk_list_box_get_row_at_index (self->completion_list, 0));

  /* Point at the start of the word, in the editor's coordinates. */
  gtk_text_view_get_iter_location (self->text_view, &start, &rect);
  gtk_text_view_buffer_to_window_coords (self->text_view, GTK_TEXT_WINDOW_WIDGET, rect.x,
                                         rect.y, &bx, &by);
  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->text_view), GTK_WIDGET (self),
                                         bx, by, &x, &y))
    x = y = 0;
  gtk_popover_set_pointing_to (self->popover,
                               &(GdkRectangle) { (int) x, (int) y, 1, rect.height });
  if (!gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    gtk_popover_popup (self->popover);
}

/**
 * hs_expr_editor_complete:
 * @index: which of hs_expr_editor_dup_completions()
 *
 * Replaces the name being typed with the completion and an opening parenthesis.
 *
 * Returns: %FALSE when there is no such completion
 */
gboolean
hs_expr_editor_complete (HsExprEditor *self,
                         guint         index)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  g_return_val_if_fail (HS_IS_EXPR_EDITOR (self), FALSE);

  if (index >= self->completions->len || !word_before_cursor (self, &start, &end))
    return FALSE;
  text = g_strconcat (self->completions->pdata[index], "(", NULL);
  self->completing = TRUE;
  gtk_text_buffer_begin_user_action (self->buffer);
  gtk_text_buffer_delete (self->buffer, &start, &end);
  gtk_text_buffer_insert (self->buffer, &start, text, -1);
  gtk_text_buffer_end_user_action (self->buffer);
  self->completing = FALSE;
  hide_completions (self);
  return TRUE;
}

static void
completion_activated_cb (HsExprEditor  *self,
                         GtkListBoxRow *row)
{
  hs_expr_editor_complete (self, (guint) gtk_list_box_row_get_index (row));
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static gboolean
key_pressed_cb (HsExprEditor          *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  GtkListBoxRow *row = NULL;
  int index;

  if (self->completions->len == 0 || !gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    return FALSE;
  row = gtk_list_box_get_selected_row (self->completion_list);
  index = row != NULL ? gtk_list_box_row_get_index (row) : 0;
  switch (keyval)
    {
    case GDK_KEY_Escape:
      hide_completions (self);
      return TRUE;
    case GDK_KEY_Tab:
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      return hs_expr_editor_complete (self, (guint) index);
    case GDK_KEY_Down:
    case GDK_KEY_Up:
      index += keyval == GDK_KEY_Down ? 1 : -1;
      index = CLAMP (index, 0, (int) self->completions->len - 1);
      gtk_list_box_select_row (self->completion_list,
                               gtk_list_box_get_row_at_index (self->completion_list, index));
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- validation ---- */

static void
set_error (HsExprEditor *self,
           const char   *message,
           int           start,
           int           end)
{
  GtkTextIter a, b;
  gboolean valid = message == NULL;

  gtk_text_buffer_get_bounds (self->buffer, &a, &b);
  gtk_text_buffer_remove_tag (self->buffer, self->error_tag, &a, &b);
  self->error_start = start;
  self->error_end = end;
  if (start >= 0 && end > start)
    {
      gtk_text_buffer_get_iter_at_offset (self->buffer, &a, start);
      gtk_text_buffer_get_iter_at_offset (self->buffer, &b, end);
      gtk_text_buffer_apply_tag (self->buffer, self->error_tag, &a, &b);
    }
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->text_view),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               valid ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
  if (g_strcmp0 (self->error_message, message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
  if (self->valid != valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
}

static void
validate (HsExprEditor *self)
{
  g_autofree char *text = hs_expr_editor_dup_text (self);
  g_autoptr(HsExpr) expr = NULL;
  g_autoptr(GError) error = NULL;
  size_t offset = 0;
  long n_chars, start, end;

  if (text[strspn (text, " \t\r\n")] == '\0')
    {
      set_error (self, _("Write an expression, for example crosses_above(sma(close, 10), "
                         "sma(close, 30))"), -1, -1);
      return;
    }
  expr = hs_expr_parse (text, &offset, &error);
  if (expr != NULL)
    hs_eval_check (expr, NULL, &offset, &error);
  if (error == NULL)
    {
      set_error (self, NULL, -1, -1);
      return;
    }

  /* Underline the token at the error: the name or number that starts there, or one
   * character; an error at the very end (a missing parenthesis) marks the last character. */
  n_chars = g_utf8_strlen (text, -1);
  offset = MIN (offset, strlen (text));
  start = g_utf8_pointer_to_offset (text, text + offset);
  if (start >= n_chars)
    start = MAX (n_chars - 1, 0);
  end = start;
  {
    const char *p = g_utf8_offset_to_pointer (text, start);

    while (*p != '\0' && (is_name_char (g_utf8_get_char (p)) || *p == '.'))
      {
        p = g_utf8_next_char (p);
        end++;
      }
  }
  if (end == start)
    end = MIN (start + 1, n_chars);
  set_error (self, error->message, (int) start, (int) end);
}

static void
buffer_changed_cb (HsExprEditor *self)
{
  validate (self);
  update_completions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

static void
focus_leave_cb (HsExprEditor *self)
{
  hide_completions (self);
}

/* ---- GObject ---- */

static void
hs_expr_editor_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  HsExprEditor *self = HS_EXPR_EDITOR (widget);

  GTK_WIDGET_CLASS (hs_expr_editor_parent_class)->size_allocate (widget, width, height,
                                                                 baseline);
  gtk_popover_present (self->popover);
}

static void
hs_expr_editor_dispose (GObject *object)
{
  HsExprEditor *self = HS_EXPR_EDITOR (object);
  GtkWidget *child = NULL;

  if (self->popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->frame = NULL;
  self->text_view = NULL;
  self->error_label = NULL;

  G_OBJECT_CLASS (hs_expr_editor_parent_class)->dispose (object);
}

static void
hs_expr_editor_finalize (GObject *object)
{
  HsExprEditor *self = HS_EXPR_EDITOR (object);

  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->completions, g_ptr_array_unref);

  G_OBJECT_CLASS (hs_expr_editor_parent_class)->finalize (object);
}

static void
hs_expr_editor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HsExprEditor *self = HS_EXPR_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_take_string (value, hs_expr_editor_dup_text (self));
      break;
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_expr_editor_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HsExprEditor *self = HS_EXPR_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      hs_expr_editor_set_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_expr_editor_class_init (HsExprEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_expr_editor_dispose;
  object_class->finalize = hs_expr_editor_finalize;
  object_class->get_property = hs_expr_editor_get_property;
  object_class->set_property = hs_expr_editor_set_property;
  widget_class->size_allocate = hs_expr_editor_size_allocate;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "hs-expr-editor");
}

static void
hs_expr_editor_init (HsExprEditor *self)
{
  GtkEventController *keys = NULL;
  GtkEventController *focus = NULL;
  GtkWidget *scroller = NULL;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              6);
  self->completions = g_ptr_array_new_with_free_func (g_free);
  self->error_start = self->error_end = -1;

  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  self->buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_view_set_monospace (self->text_view, TRUE);
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (self->text_view, FALSE);
  gtk_text_view_set_top_margin (self->text_view, 8);
  gtk_text_view_set_bottom_margin (self->text_view, 8);
  gtk_text_view_set_left_margin (self->text_view, 10);
  gtk_text_view_set_right_margin (self->text_view, 10);
  gtk_widget_add_css_class (GTK_WIDGET (self->text_view), "hs-expr-text");
  self->error_tag = gtk_text_buffer_create_tag (self->buffer, "error",
                                                "underline", PANGO_UNDERLINE_ERROR,
                                                "background-rgba",
                                                &(GdkRGBA) { 0.88, 0.11, 0.14, 0.16 },
                                                NULL);
  g_signal_connect_object (self->buffer, "changed", G_CALLBACK (buffer_changed_cb), self,
                           G_CONNECT_SWAPPED);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 56);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 160);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->text_view));
  self->frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (self->frame), scroller);
  gtk_widget_set_parent (self->frame, GTK_WIDGET (self));

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->error_label, 0);
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_selectable (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "caption");
  gtk_widget_set_parent (GTK_WIDGET (self->error_label), GTK_WIDGET (self));

  self->completion_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_activate_on_single_click (self->completion_list, TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self->completion_list), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->completion_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Function completions"),
                                  -1);
  g_signal_connect_object (self->completion_list, "row-activated",
                           G_CALLBACK (completion_activated_cb), self, G_CONNECT_SWAPPED);
  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_autohide (self->popover, FALSE);
  gtk_popover_set_has_arrow (self->popover, FALSE);
  gtk_popover_set_position (self->popover, GTK_POS_BOTTOM);
  gtk_widget_set_halign (GTK_WIDGET (self->popover), GTK_ALIGN_START);
  gtk_widget_set_focusable (GTK_WIDGET (self->popover), FALSE);
  gtk_popover_set_child (self->popover, GTK_WIDGET (self->completion_list));
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), keys);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_leave_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), focus);

  validate (self);
}

GtkWidget *
hs_expr_editor_new (void)
{
  return g_object_new (HS_TYPE_EXPR_EDITOR, NULL);
}

/* Returns: (transfer full): the expression as typed */
char *
hs_expr_editor_dup_text (HsExprEditor *self)
{
  GtkTextIter a, b;

  g_return_val_if_fail (HS_IS_EXPR_EDITOR (self), NULL);

  gtk_text_buffer_get_bounds (self->buffer, &a, &b);
  return gtk_text_buffer_get_text (self->buffer, &a, &b, FALSE);
}

/* Replaces the text (the cursor goes to its end) and validates it. */
void
hs_expr_editor_set_text (HsExprEditor *self,
                         const char   *text)
{
  g_return_if_fail (HS_IS_EXPR_EDITOR (self));

  gtk_text_buffer_set_text (self->buffer, text != NULL ? text : "", -1);
}

gboolean
hs_expr_editor_get_valid (HsExprEditor *self)
{
  g_return_val_if_fail (HS_IS_EXPR_EDITOR (self), FALSE);
  return self->valid;
}

/* Returns: (nullable): the message shown below the text, "column N: …" for an expression error */
const char *
hs_expr_editor_get_error_message (HsExprEditor *self)
{
  g_return_val_if_fail (HS_IS_EXPR_EDITOR (self), NULL);
  return self->error_message;
}

/**
 * hs_expr_editor_get_error_range:
 * @start: (out): the first underlined character
 * @end: (out): the character after the last underlined one
 *
 * Returns: whether part of the text is underlined as the error's place
 */
gboolean
hs_expr_editor_get_error_range (HsExprEditor *self,
                                int          *start,
                                int          *end)
{
  g_return_val_if_fail (HS_IS_EXPR_EDITOR (self), FALSE);

  *start = self->error_start;
  *end = self->error_end;
  return self->error_start >= 0;
}

GtkTextView *
hs_expr_editor_get_text_view (HsExprEditor *self)
{
  g_return_val_if_fail (HS_IS_EXPR_EDITOR (self), NULL);
  return self->text_view;
}

/**
 * hs_expr_editor_dup_completions:
 *
 * The completions offered for the name before the cursor while the editor has the focus.
 *
 * Returns: (transfer full): function names, possibly none
 */
GStrv
hs_expr_editor_dup_completions (HsExprEditor *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (HS_IS_EXPR_EDITOR (self), NULL);

  for (guint i = 0; i < self->completions->len; i++)
    g_strv_builder_add (b, self->completions->pdata[i]);
  return g_strv_builder_end (b);
}
