/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A strategy's parameter form, generated from its parameter spec (hs-strategy.h): one row per
 * parameter with the spec's help as its subtitle and tooltip; a spin button with the spec's
 * minimum, maximum and step for numbers (whole numbers snap to the step), a drop-down for
 * choices and intervals. Every number can be switched to a range — from, to, step — which
 * makes the run a sweep; the form then gives grid specs (NAME=START:STOP:STEP) instead of
 * NAME=VALUE. Values are written with '.' whatever the locale, as hs_strategy_params_set()
 * reads them. A strategy has at most a dozen parameters: rebuilding the rows is instant.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-param-form.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "hs-interval.h"
#include "hs-widget-util.h"

enum
{
  RANGE_START,
  RANGE_STOP,
  RANGE_STEP,
};

typedef struct
{
  const HsParamSpec *spec;
  GtkWidget         *row;           /* AdwActionRow, owned by the group */
  GtkSpinButton     *value;         /* numbers */
  GtkDropDown       *choice;        /* ENUM and INTERVAL */
  GStrv              choice_values; /* (owned) what each item of @choice stands for */
  GtkToggleButton   *range_toggle;  /* numbers */
  GtkWidget         *range_box;
  GtkSpinButton     *range[3];      /* start, stop, step */
} ParamRow;

struct _HsParamForm
{
  GtkWidget             parent_instance;

  AdwPreferencesGroup  *group;
  const HsStrategyInfo *strategy;
  GPtrArray            *rows;       /* (owned) (element-type ParamRow) */
  gboolean              building;   /* no "changed" while rows are made */
};

G_DEFINE_FINAL_TYPE (HsParamForm, hs_param_form, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
param_row_free (gpointer data)
{
  ParamRow *r = data;

  g_strfreev (r->choice_values);
  g_free (r);
}

/* Decimals a number of @spec needs: those of its step and of its minimum (at most 6). */
static int
spec_digits (const HsParamSpec *spec)
{
  int digits = 0;

  if (spec->type != HS_PARAM_DOUBLE)
    return 0;
  for (const double *v = (const double[]) { spec->step, spec->min }, *end = v + 2; v < end; v++)
    for (int d = 0; d <= 6; d++)
      {
        double scaled = fabs (*v) * pow (10, d);

        if (fabs (scaled - round (scaled)) < 1e-9 * MAX (1, scaled))
          {
            digits = MAX (digits, d);
            break;
          }
        if (d == 6)
          digits = 6;
      }
  return digits;
}

/**
 * hs_param_format_number:
 *
 * @value as hs_strategy_params_set() reads it: whole numbers without decimals, others with the
 * decimals of the spec's step and minimum, trailing zeros dropped, '.' as the separator.
 *
 * Returns: (transfer full):
 */
char *
hs_param_format_number (const HsParamSpec *spec,
                        double             value)
{
  char format[16];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  size_t len;

  g_snprintf (format, sizeof format, "%%.%df", spec_digits (spec));
  g_ascii_formatd (buf, sizeof buf, format, value);
  if (strchr (buf, '.') != NULL)
    {
      len = strlen (buf);
      while (len > 0 && buf[len - 1] == '0')
        buf[--len] = '\0';
      if (len > 0 && buf[len - 1] == '.')
        buf[--len] = '\0';
    }
  if (strcmp (buf, "-0") == 0)
    return g_strdup ("0");
  return g_strdup (buf);
}

static ParamRow *
find_row (HsParamForm *self,
          const char  *name)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      ParamRow *r = self->rows->pdata[i];

      if (g_strcmp0 (r->spec->name, name) == 0)
        return r;
    }
  return NULL;
}

static void
emit_changed (HsParamForm *self)
{
  if (!self->building)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static GtkSpinButton *
new_spin (const HsParamSpec *spec,
          double             value,
          double             lower,
          double             step,
          const char        *accessible_label)
{
  GtkAdjustment *adj = gtk_adjustment_new (value, lower, spec->max, step, step * 10, 0);
  GtkSpinButton *spin = GTK_SPIN_BUTTON (gtk_spin_button_new (adj, step, (guint) spec_digits (spec)));

  gtk_spin_button_set_numeric (spin, TRUE);
  gtk_spin_button_set_snap_to_ticks (spin, spec->type == HS_PARAM_INT);
  gtk_spin_button_set_update_policy (spin, GTK_UPDATE_IF_VALID);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 6);
  gtk_widget_set_valign (GTK_WIDGET (spin), GTK_ALIGN_CENTER);
  hs_spin_button_set_accessible_name (spin, accessible_label);
  return spin;
}

static void
range_toggled_cb (GtkToggleButton *toggle,
                  HsParamForm     *self)
{
  ParamRow *r = g_object_get_data (G_OBJECT (toggle), "hs-param-row");
  gboolean on = gtk_toggle_button_get_active (toggle);

  gtk_widget_set_visible (GTK_WIDGET (r->value), !on);
  gtk_widget_set_visible (r->range_box, on);
  if (on && !self->building)
    {
      /* A first range around the value: from it to twice it (within the bounds), in about
       * five steps on the spec's step. */
      const HsParamSpec *s = r->spec;
      double v = gtk_spin_button_get_value (r->value);
      double stop = MIN (s->max, v > 0 ? 2 * v : v + 4 * s->step);
      double step = MAX (s->step, floor ((stop - v) / 4 / s->step) * s->step);

      gtk_spin_button_set_value (r->range[RANGE_START], v);
      gtk_spin_button_set_value (r->range[RANGE_STOP], stop);
      gtk_spin_button_set_value (r->range[RANGE_STEP], step);
    }
  emit_changed (self);
}

static void
value_changed_cb (HsParamForm *self)
{
  emit_changed (self);
}

static ParamRow *
add_row (HsParamForm       *self,
         const HsParamSpec *spec)
{
  ParamRow *r = g_new0 (ParamRow, 1);
  g_autofree char *tooltip = NULL;
  GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  r->spec = spec;
  r->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (r->row), spec->name);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (r->row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (r->row), _(spec->help));
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);

  switch (spec->type)
    {
    case HS_PARAM_INT:
    case HS_PARAM_DOUBLE:
      {
        g_autofree char *min = hs_param_format_number (spec, spec->min);
        g_autofree char *max = hs_param_format_number (spec, spec->max);
        g_autofree char *step = hs_param_format_number (spec, spec->step);
        g_autofree char *label = NULL;
        const char *parts[3] = { _("from"), _("to"), _("step") };

        tooltip = g_strdup_printf (spec->type == HS_PARAM_INT
                                     ? _("%s\n\nA whole number from %s to %s, in steps of %s")
                                     : _("%s\n\nA number from %s to %s (the buttons step by %s)"),
                                   _(spec->help), min, max, step);
        r->value = new_spin (spec, spec->def, spec->min, spec->step, spec->name);
        gtk_widget_set_tooltip_text (GTK_WIDGET (r->value), tooltip);
        g_signal_connect_object (r->value, "value-changed", G_CALLBACK (value_changed_cb), self,
                                 G_CONNECT_SWAPPED);
        gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (r->value));

        /* From, to and step one above the other, so a row fits a narrow window. */
        r->range_box = gtk_grid_new ();
        gtk_grid_set_row_spacing (GTK_GRID (r->range_box), 4);
        gtk_grid_set_column_spacing (GTK_GRID (r->range_box), 6);
        gtk_widget_set_margin_top (r->range_box, 6);
        gtk_widget_set_margin_bottom (r->range_box, 6);
        for (int k = 0; k < 3; k++)
          {
            GtkWidget *caption = gtk_label_new (parts[k]);

            g_free (label);
            label = g_strdup_printf ("%s %s", spec->name, parts[k]);
            gtk_label_set_xalign (GTK_LABEL (caption), 1);
            gtk_widget_add_css_class (caption, "dim-label");
            gtk_grid_attach (GTK_GRID (r->range_box), caption, 0, k, 1, 1);
            r->range[k] = new_spin (spec, k == RANGE_STEP ? spec->step : spec->def,
                                    k == RANGE_STEP ? spec->step : spec->min, spec->step,
                                    label);
            gtk_widget_set_tooltip_text (GTK_WIDGET (r->range[k]), tooltip);
            g_signal_connect_object (r->range[k], "value-changed",
                                     G_CALLBACK (value_changed_cb), self, G_CONNECT_SWAPPED);
            gtk_grid_attach (GTK_GRID (r->range_box), GTK_WIDGET (r->range[k]), 1, k, 1, 1);
          }
        gtk_widget_set_visible (r->range_box, FALSE);
        gtk_box_append (GTK_BOX (suffix), r->range_box);

        g_free (label);
        label = g_strdup_printf (_("Sweep %s over a range"), spec->name);
        r->range_toggle = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_("Range")));
        gtk_widget_set_valign (GTK_WIDGET (r->range_toggle), GTK_ALIGN_CENTER);
        gtk_widget_set_tooltip_text (GTK_WIDGET (r->range_toggle),
                                     _("Try every value of a range: the run becomes a sweep"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (r->range_toggle),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        g_object_set_data (G_OBJECT (r->range_toggle), "hs-param-row", r);
        g_signal_connect_object (r->range_toggle, "toggled", G_CALLBACK (range_toggled_cb), self,
                                 0);
        gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (r->range_toggle));
        break;
      }
    case HS_PARAM_ENUM:
    case HS_PARAM_INTERVAL:
    default:
      {
        g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
        g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
        g_auto(GStrv) label_list = NULL;
        guint selected = 0, n = 0;

        if (spec->type == HS_PARAM_ENUM)
          {
            for (n = 0; spec->choices != NULL && spec->choices[n] != NULL; n++)
              {
                g_strv_builder_add (labels, spec->choices[n]);
                g_strv_builder_add (values, spec->choices[n]);
                if (g_strcmp0 (spec->choices[n], spec->def_text) == 0)
                  selected = n;
              }
          }
        else
          {
            size_t n_iv = 0;
            const HsInterval *iv = hs_interval_all (&n_iv);

            g_strv_builder_add (labels, _("the bars’ own"));
            g_strv_builder_add (values, "");
            n = 1;
            for (size_t i = 0; i < n_iv; i++)
              {
                if (strcmp (iv[i].name, "tick") == 0)
                  continue;
                g_strv_builder_add (labels, iv[i].name);
                g_strv_builder_add (values, iv[i].name);
                if (g_strcmp0 (iv[i].name, spec->def_text) == 0)
                  selected = n;
                n++;
              }
          }
        label_list = g_strv_builder_end (labels);
        r->choice_values = g_strv_builder_end (values);
        r->choice = GTK_DROP_DOWN (gtk_drop_down_new_from_strings ((const char *const *) label_list));
        gtk_drop_down_set_selected (r->choice, selected);
        gtk_widget_set_valign (GTK_WIDGET (r->choice), GTK_ALIGN_CENTER);
        gtk_widget_set_tooltip_text (GTK_WIDGET (r->choice), _(spec->help));
        hs_drop_down_set_accessible_name (r->choice, spec->name);
        g_signal_connect_object (r->choice, "notify::selected", G_CALLBACK (value_changed_cb),
                                 self, G_CONNECT_SWAPPED);
        gtk_box_append (GTK_BOX (suffix), GTK_WIDGET (r->choice));
        tooltip = g_strdup (_(spec->help));
        break;
      }
    }
  gtk_widget_set_tooltip_text (r->row, tooltip);
  adw_action_row_add_suffix (ADW_ACTION_ROW (r->row), suffix);
  adw_preferences_group_add (self->group, r->row);
  return r;
}

/**
 * hs_param_form_set_strategy:
 * @strategy: (nullable): a built-in strategy; %NULL empties the form
 *
 * Rebuilds the rows for @strategy's parameters at their defaults, without ranges.
 */
void
hs_param_form_set_strategy (HsParamForm          *self,
                            const HsStrategyInfo *strategy)
{
  g_return_if_fail (HS_IS_PARAM_FORM (self));

  self->building = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, ((ParamRow *) self->rows->pdata[i])->row);
  g_ptr_array_set_size (self->rows, 0);
  self->strategy = strategy;
  for (size_t i = 0; strategy != NULL && i < strategy->n_params; i++)
    g_ptr_array_add (self->rows, add_row (self, &strategy->params[i]));
  if (strategy != NULL && strategy->n_params == 0)
    adw_preferences_group_set_description (self->group,
                                           _("This strategy has no parameters."));
  else
    adw_preferences_group_set_description (self->group, NULL);
  self->building = FALSE;
  emit_changed (self);
}

const HsStrategyInfo *
hs_param_form_get_strategy (HsParamForm *self)
{
  g_return_val_if_fail (HS_IS_PARAM_FORM (self), NULL);
  return self->strategy;
}

/* Returns: (transfer none) (nullable): the parameter's spin button or drop-down */
GtkWidget *
hs_param_form_get_control (HsParamForm *self,
                           const char  *name)
{
  ParamRow *r = NULL;

  g_return_val_if_fail (HS_IS_PARAM_FORM (self), NULL);

  r = find_row (self, name);
  if (r == NULL)
    return NULL;
  return r->value != NULL ? GTK_WIDGET (r->value) : GTK_WIDGET (r->choice);
}

/* Returns: (transfer none) (nullable): a number's "Range" toggle */
GtkWidget *
hs_param_form_get_range_toggle (HsParamForm *self,
                                const char  *name)
{
  ParamRow *r = NULL;

  g_return_val_if_fail (HS_IS_PARAM_FORM (self), NULL);

  r = find_row (self, name);
  return r != NULL && r->range_toggle != NULL ? GTK_WIDGET (r->range_toggle) : NULL;
}

/* Returns: (transfer none) (nullable): a number's range spin button: 0 from, 1 to, 2 step */
GtkSpinButton *
hs_param_form_get_range_spin (HsParamForm *self,
                              const char  *name,
                              guint        which)
{
  ParamRow *r = NULL;

  g_return_val_if_fail (HS_IS_PARAM_FORM (self), NULL);
  g_return_val_if_fail (which < 3, NULL);

  r = find_row (self, name);
  return r != NULL && r->value != NULL ? r->range[which] : NULL;
}

guint
hs_param_form_get_n_controls (HsParamForm *self)
{
  g_return_val_if_fail (HS_IS_PARAM_FORM (self), 0);
  return self->rows->len;
}

/**
 * hs_param_form_set_value:
 * @value: as hs_strategy_params_set() takes it
 *
 * Returns: %FALSE when there is no such parameter or @value is not one of its values
 */
gboolean
hs_param_form_set_value (HsParamForm *self,
                         const char  *name,
                         const char  *value)
{
  ParamRow *r = NULL;

  g_return_val_if_fail (HS_IS_PARAM_FORM (self), FALSE);

  r = find_row (self, name);
  if (r == NULL || value == NULL)
    return FALSE;
  if (r->value != NULL)
    {
      char *end = NULL;
      double v = g_ascii_strtod (value, &end);

      if (end == value || *end != '\0' || !isfinite (v) || v < r->spec->min || v > r->spec->max)
        return FALSE;
      gtk_toggle_button_set_active (r->range_toggle, FALSE);
      gtk_spin_button_set_value (r->value, v);
      return TRUE;
    }
  for (guint i = 0; r->choice_values[i] != NULL; i++)
    if (strcmp (r->choice_values[i], value) == 0)
      {
        gtk_drop_down_set_selected (r->choice, i);
        return TRUE;
      }
  return FALSE;
}

/**
 * hs_param_form_set_range:
 *
 * Switches a number to a range and sets it (each value clamped to the parameter's bounds).
 *
 * Returns: %FALSE when there is no such number parameter
 */
gboolean
hs_param_form_set_range (HsParamForm *self,
                         const char  *name,
                         double       start,
                         double       stop,
                         double       step)
{
  ParamRow *r = NULL;

  g_return_val_if_fail (HS_IS_PARAM_FORM (self), FALSE);

  r = find_row (self, name);
  if (r == NULL || r->value == NULL)
    return FALSE;
  self->building = TRUE;
  gtk_toggle_button_set_active (r->range_toggle, TRUE);
  self->building = FALSE;
  gtk_spin_button_set_value (r->range[RANGE_START], start);
  gtk_spin_button_set_value (r->range[RANGE_STOP], stop);
  gtk_spin_button_set_value (r->range[RANGE_STEP], step);
  emit_changed (self);
  return TRUE;
}

void
hs_param_form_set_range_enabled (HsParamForm *self,
                                 const char  *name,
                                 gboolean     enabled)
{
  ParamRow *r = NULL;

  g_return_if_fail (HS_IS_PARAM_FORM (self));

  r = find_row (self, name);
  if (r != NULL && r->range_toggle != NULL)
    gtk_toggle_button_set_active (r->range_toggle, enabled);
}

static gboolean
row_is_range (const ParamRow *r)
{
  return r->range_toggle != NULL && gtk_toggle_button_get_active (r->range_toggle);
}

/* Returns: whether any number is a range: the run is a sweep */
gboolean
hs_param_form_get_sweep (HsParamForm *self)
{
  g_return_val_if_fail (HS_IS_PARAM_FORM (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    if (row_is_range (self->rows->pdata[i]))
      return TRUE;
  return FALSE;
}

/**
 * hs_param_form_dup_params:
 *
 * Returns: (transfer full): one entry per parameter: NAME=VALUE, or NAME=START:STOP:STEP for a
 *   range (a grid spec of `hindsight-cli sweep`)
 */
GStrv
hs_param_form_dup_params (HsParamForm *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (HS_IS_PARAM_FORM (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      const ParamRow *r = self->rows->pdata[i];
      g_autofree char *text = NULL;

      if (row_is_range (r))
        {
          g_autofree char *a = hs_param_format_number (r->spec,
                                                       gtk_spin_button_get_value (r->range[0]));
          g_autofree char *z = hs_param_format_number (r->spec,
                                                       gtk_spin_button_get_value (r->range[1]));
          g_autofree char *s = hs_param_format_number (r->spec,
                                                       gtk_spin_button_get_value (r->range[2]));

          text = g_strdup_printf ("%s=%s:%s:%s", r->spec->name, a, z, s);
        }
      else if (r->value != NULL)
        {
          g_autofree char *v = hs_param_format_number (r->spec,
                                                       gtk_spin_button_get_value (r->value));

          text = g_strdup_printf ("%s=%s", r->spec->name, v);
        }
      else
        {
          guint sel = gtk_drop_down_get_selected (r->choice);

          text = g_strdup_printf ("%s=%s", r->spec->name,
                                  sel < g_strv_length (r->choice_values)
                                    ? r->choice_values[sel] : "");
        }
      g_strv_builder_add (b, text);
    }
  return g_strv_builder_end (b);
}

/* Values of a range: from start to stop inclusive (a little slack for decimal steps). */
static double
range_count (const ParamRow *r)
{
  double a = gtk_spin_button_get_value (r->range[RANGE_START]);
  double z = gtk_spin_button_get_value (r->range[RANGE_STOP]);
  double s = gtk_spin_button_get_value (r->range[RANGE_STEP]);

  if (z < a || s <= 0)
    return 0;
  return floor ((z - a) / s + 1e-9) + 1;
}

/**
 * hs_param_form_dup_problem:
 *
 * Returns: (transfer full) (nullable): why the ranges cannot be run (one ends below its
 *   start), or %NULL
 */
char *
hs_param_form_dup_problem (HsParamForm *self)
{
  g_return_val_if_fail (HS_IS_PARAM_FORM (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      const ParamRow *r = self->rows->pdata[i];

      if (row_is_range (r) && range_count (r) < 1)
        return g_strdup_printf (_("The range of %s ends below its start"), r->spec->name);
    }
  return NULL;
}

/* Returns: the number of combinations of the ranges (1 without any), before the strategy
 *   refuses some (a fast average not shorter than the slow one) */
double
hs_param_form_count_combinations (HsParamForm *self)
{
  double n = 1;

  g_return_val_if_fail (HS_IS_PARAM_FORM (self), 0);

  for (guint i = 0; i < self->rows->len; i++)
    if (row_is_range (self->rows->pdata[i]))
      n *= range_count (self->rows->pdata[i]);
  return n;
}

/* Returns: (transfer full): the names of the parameters switched to a range, in spec order */
GStrv
hs_param_form_dup_range_names (HsParamForm *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (HS_IS_PARAM_FORM (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    if (row_is_range (self->rows->pdata[i]))
      g_strv_builder_add (b, ((ParamRow *) self->rows->pdata[i])->spec->name);
  return g_strv_builder_end (b);
}

/* ---- GObject ---- */

static void
hs_param_form_dispose (GObject *object)
{
  HsParamForm *self = HS_PARAM_FORM (object);

  if (self->group != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->group));
      self->group = NULL;
    }
  G_OBJECT_CLASS (hs_param_form_parent_class)->dispose (object);
}

static void
hs_param_form_finalize (GObject *object)
{
  HsParamForm *self = HS_PARAM_FORM (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (hs_param_form_parent_class)->finalize (object);
}

static void
hs_param_form_class_init (HsParamFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_param_form_dispose;
  object_class->finalize = hs_param_form_finalize;

  /**
   * HsParamForm::changed:
   *
   * A value, a range or the strategy changed.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
hs_param_form_init (HsParamForm *self)
{
  self->rows = g_ptr_array_new_with_free_func (param_row_free);
  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->group, _("Parameters"));
  gtk_widget_set_parent (GTK_WIDGET (self->group), GTK_WIDGET (self));
}

GtkWidget *
hs_param_form_new (void)
{
  return g_object_new (HS_TYPE_PARAM_FORM, NULL);
}
