/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The coverage page: a sortable table of what market data the database holds, one row per
 * instrument and kind of data (candles once per interval), with its first and last bar and its
 * row count, a summary line above it and a search bar that filters by symbol, exchange or kind.
 * The model chain is GListStore → GtkFilterListModel → GtkSortListModel (sorted by the column
 * headers) → GtkSingleSelection. Rows come from the coverage job; a database holds at most some
 * thousands of series, so filtering and sorting run on the main thread.
 */
#define G_LOG_DOMAIN "hs-coverage-page"

#include "config.h"

#include "hs-coverage-page.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hs-coverage-item.h"
#include "hs-time.h"
#include "hs-ui.h"

struct _HsCoveragePage
{
  AdwBin              parent_instance;

  /* Template children */
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkLabel           *summary_label;
  GtkColumnView      *column_view;
  GtkColumnViewColumn *data_column;
  GtkColumnViewColumn *timeline_column;

  GListStore         *items;       /* (owned) of HsCoverageItem, in natural order */
  GtkCustomFilter    *filter;      /* (owned) */
  GtkFilterListModel *filtered;    /* (owned) */
  GtkSingleSelection *selection;   /* (owned) what the table shows */
  char               *query;       /* (owned) (nullable) casefolded search text */
  char               *summary;     /* (owned) */
};

G_DEFINE_FINAL_TYPE (HsCoveragePage, hs_coverage_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_SEARCH_MODE_ENABLED,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------------ */
/* Cell text: closures named in hs-coverage-page.ui. The first argument is the GtkListItem.     */

static const char dash_markup[] = "<span alpha=\"45%\">—</span>";

static char *
exchange_markup_cb (GtkListItem *list_item,
                    const char  *exchange)
{
  if (exchange == NULL || exchange[0] == '\0')
    return g_strdup (dash_markup);
  return g_markup_escape_text (exchange, -1);
}

static char *
kind_label_cb (GtkListItem *list_item,
               const char  *kind)
{
  return g_strdup (hs_coverage_kind_label (kind));
}

static char *
data_markup_cb (GtkListItem *list_item,
                const char  *data)
{
  g_autofree char *escaped = g_markup_escape_text (hs_coverage_data_label (data), -1);

  if (data == NULL)
    return g_strdup_printf ("<span alpha=\"55%%\">%s</span>", escaped);
  return g_steal_pointer (&escaped);
}

static gboolean
has_text_cb (GtkListItem *list_item,
             const char  *text)
{
  return text != NULL && text[0] != '\0';
}

static char *
time_markup_cb (GtkListItem *list_item,
                gint64       us,
                const char  *data,
                const char  *interval)
{
  if (data == NULL)
    return g_strdup (dash_markup);
  return hs_coverage_format_time (us, data, interval);
}

static char *
time_tooltip_cb (GtkListItem *list_item,
                 gint64       us,
                 const char  *data)
{
  g_autofree char *iso = NULL;

  if (data == NULL)
    return NULL;
  iso = hs_time_format_iso (us);
  return g_strdup_printf ("%s (%" G_GINT64_FORMAT " µs)", iso, us);
}

static char *
rows_markup_cb (GtkListItem *list_item,
                gint64       rows,
                const char  *data)
{
  if (data == NULL)
    return g_strdup (dash_markup);
  return hs_coverage_format_count (rows);
}

static char *
timeline_tooltip_cb (GtkListItem *list_item,
                     gint64       first_ts,
                     gint64       last_ts,
                     const char  *data)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (data == NULL)
    return NULL;
  first = hs_time_format_iso (first_ts);
  last = hs_time_format_iso (last_ts);
  /* Translators: the time span of one series, "2019-01-02T00:00:00Z to 2023-12-26T00:00:00Z" */
  return g_strdup_printf (_("%s to %s"), first, last);
}

/* ------------------------------------------------------------------------------------------ */

static int
data_sort_cb (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  int c = hs_coverage_item_compare_by_data ((HsCoverageItem *) a, (HsCoverageItem *) b);

  return c < 0 ? GTK_ORDERING_SMALLER : c > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

/* g_ptr_array_sort() hands pointers to the elements. */
static int
compare_item_ptrs (gconstpointer a,
                   gconstpointer b)
{
  return hs_coverage_item_compare (*(HsCoverageItem **) a, *(HsCoverageItem **) b);
}

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  HsCoveragePage *self = user_data;
  HsCoverageItem *cov = item;
  const char *fields[5];

  if (self->query == NULL)
    return TRUE;

  fields[0] = hs_coverage_item_get_symbol (cov);
  fields[1] = hs_coverage_item_get_exchange (cov);
  fields[2] = hs_coverage_kind_label (hs_coverage_item_get_kind (cov));
  fields[3] = hs_coverage_data_label (hs_coverage_item_get_data (cov));
  fields[4] = hs_coverage_item_get_interval (cov);
  for (size_t i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *folded = NULL;

      if (fields[i] == NULL)
        continue;
      folded = g_utf8_casefold (fields[i], -1);
      if (strstr (folded, self->query) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
update_visible_page (HsCoveragePage *self)
{
  gboolean none = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0
                  && g_list_model_get_n_items (G_LIST_MODEL (self->items)) > 0;

  gtk_stack_set_visible_child_name (self->stack, none ? "no-results" : "table");
}

static void
filtered_items_changed_cb (GListModel     *model,
                           guint           position,
                           guint           removed,
                           guint           added,
                           HsCoveragePage *self)
{
  update_visible_page (self);
}

static void
search_changed_cb (HsCoveragePage *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->query, g_free);
  if (stripped[0] != '\0')
    self->query = g_utf8_casefold (stripped, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
stop_search_cb (HsCoveragePage *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
search_mode_notify_cb (HsCoveragePage *self,
                       GParamSpec     *pspec,
                       GtkSearchBar   *bar)
{
  if (!gtk_search_bar_get_search_mode (bar))
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_MODE_ENABLED]);
}

/* ------------------------------------------------------------------------------------------ */

static void
hs_coverage_page_dispose (GObject *object)
{
  HsCoveragePage *self = HS_COVERAGE_PAGE (object);

  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_COVERAGE_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (hs_coverage_page_parent_class)->dispose (object);
}

static void
hs_coverage_page_finalize (GObject *object)
{
  HsCoveragePage *self = HS_COVERAGE_PAGE (object);

  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (hs_coverage_page_parent_class)->finalize (object);
}

static void
hs_coverage_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HsCoveragePage *self = HS_COVERAGE_PAGE (object);

  switch (prop_id)
    {
    case PROP_SEARCH_MODE_ENABLED:
      g_value_set_boolean (value, hs_coverage_page_get_search_mode_enabled (self));
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_coverage_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HsCoveragePage *self = HS_COVERAGE_PAGE (object);

  switch (prop_id)
    {
    case PROP_SEARCH_MODE_ENABLED:
      hs_coverage_page_set_search_mode_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_coverage_page_class_init (HsCoveragePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  hs_ui_init ();

  object_class->dispose = hs_coverage_page_dispose;
  object_class->finalize = hs_coverage_page_finalize;
  object_class->get_property = hs_coverage_page_get_property;
  object_class->set_property = hs_coverage_page_set_property;

  properties[PROP_SEARCH_MODE_ENABLED] =
    g_param_spec_boolean ("search-mode-enabled", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/hs-coverage-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsCoveragePage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, HsCoveragePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HsCoveragePage, stack);
  gtk_widget_class_bind_template_child (widget_class, HsCoveragePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HsCoveragePage, column_view);
  gtk_widget_class_bind_template_child (widget_class, HsCoveragePage, data_column);
  gtk_widget_class_bind_template_child (widget_class, HsCoveragePage, timeline_column);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_mode_notify_cb);
  gtk_widget_class_bind_template_callback (widget_class, exchange_markup_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_label_cb);
  gtk_widget_class_bind_template_callback (widget_class, data_markup_cb);
  gtk_widget_class_bind_template_callback (widget_class, has_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_markup_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, rows_markup_cb);
  gtk_widget_class_bind_template_callback (widget_class, timeline_tooltip_cb);
}

static void
hs_coverage_page_init (HsCoveragePage *self)
{
  g_autoptr(GtkSorter) data_sorter = NULL;
  GtkSortListModel *sorted = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The entry sits in a clamp, so the search bar does not find it by itself. */
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  self->summary = g_strdup ("");
  self->items = g_list_store_new (HS_TYPE_COVERAGE_ITEM);
  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  g_signal_connect (self->filtered, "items-changed",
                    G_CALLBACK (filtered_items_changed_cb), self);
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  data_sorter = GTK_SORTER (gtk_custom_sorter_new (data_sort_cb, NULL, NULL));
  gtk_column_view_column_set_sorter (self->data_column, data_sorter);

  update_visible_page (self);
}

GtkWidget *
hs_coverage_page_new (void)
{
  return g_object_new (HS_TYPE_COVERAGE_PAGE, NULL);
}

static void
set_summary (HsCoveragePage *self,
             const char     *summary)
{
  if (g_strcmp0 (self->summary, summary) == 0)
    return;
  g_free (self->summary);
  self->summary = g_strdup (summary);
  gtk_label_set_text (self->summary_label, summary);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

/**
 * hs_coverage_page_set_coverage:
 * @coverage: (element-type HsCoverage): rows as hs_store_list_coverage() returns them; copied
 *
 * Replaces the table's rows and the summary above it.
 */
void
hs_coverage_page_set_coverage (HsCoveragePage *self,
                               GPtrArray      *coverage)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) instruments = NULL;
  g_autofree char *rows_text = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *timeline_title = NULL;
  int64_t total_rows = 0;
  int64_t range_first = G_MAXINT64;
  int64_t range_last = G_MININT64;
  unsigned n_series = 0;
  unsigned n_instruments = 0;

  g_return_if_fail (HS_IS_COVERAGE_PAGE (self));
  g_return_if_fail (coverage != NULL);
  g_assert (hs_is_main_thread ());

  for (unsigned i = 0; i < coverage->len; i++)
    {
      const HsCoverage *cov = g_ptr_array_index (coverage, i);

      if (cov->data == NULL)
        continue;
      range_first = MIN (range_first, cov->first_ts);
      range_last = MAX (range_last, cov->last_ts);
    }

  items = g_ptr_array_new_full (coverage->len, g_object_unref);
  instruments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (unsigned i = 0; i < coverage->len; i++)
    {
      const HsCoverage *cov = g_ptr_array_index (coverage, i);
      HsCoverageItem *item = hs_coverage_item_new (cov);

      hs_coverage_item_set_timeline (item, range_first, range_last);
      g_ptr_array_add (items, item);
      /* An instrument is its (symbol, exchange) pair; the unit separator appears in neither. */
      g_hash_table_add (instruments, g_strdup_printf ("%s\x1f%s", cov->symbol,
                                                      cov->exchange ? cov->exchange : ""));
      if (cov->data != NULL)
        {
          n_series++;
          total_rows += cov->rows;
        }
    }
  g_ptr_array_sort (items, compare_item_ptrs);
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);

  n_instruments = g_hash_table_size (instruments);
  rows_text = hs_coverage_format_count (total_rows);
  {
    g_autofree char *a = g_strdup_printf (ngettext ("%u instrument", "%u instruments",
                                                    n_instruments), n_instruments);
    g_autofree char *b = g_strdup_printf (ngettext ("%u series", "%u series", n_series),
                                          n_series);
    /* Translators: %s is a number already written with thousands separators */
    g_autofree char *c = g_strdup_printf (ngettext ("%s row", "%s rows",
                                                    (unsigned long) total_rows), rows_text);

    summary = g_strdup_printf ("%s · %s · %s", a, b, c);
  }
  set_summary (self, summary);

  /* The timeline's header names the years it spans. */
  if (n_series > 0)
    {
      g_autoptr(GDateTime) first = g_date_time_new_from_unix_utc (range_first / G_USEC_PER_SEC);
      g_autoptr(GDateTime) last = g_date_time_new_from_unix_utc (range_last / G_USEC_PER_SEC);
      int y0 = first ? g_date_time_get_year (first) : 0;
      int y1 = last ? g_date_time_get_year (last) : 0;

      if (y0 == y1)
        /* Translators: header of the timeline column; %d is a year */
        timeline_title = g_strdup_printf (_("Timeline %d"), y0);
      else
        /* Translators: header of the timeline column; the years it spans */
        timeline_title = g_strdup_printf (_("Timeline %d – %d"), y0, y1);
    }
  gtk_column_view_column_set_title (self->timeline_column,
                                    timeline_title ? timeline_title : _("Timeline"));
  update_visible_page (self);
}

/**
 * hs_coverage_page_get_model:
 *
 * Returns: (transfer none): the rows as the table shows them, filtered and sorted; items are
 *   #HsCoverageItem
 */
GListModel *
hs_coverage_page_get_model (HsCoveragePage *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_PAGE (self), NULL);
  return G_LIST_MODEL (self->selection);
}

const char *
hs_coverage_page_get_summary (HsCoveragePage *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_PAGE (self), NULL);
  return self->summary;
}

gboolean
hs_coverage_page_get_search_mode_enabled (HsCoveragePage *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_PAGE (self), FALSE);
  return gtk_search_bar_get_search_mode (self->search_bar);
}

void
hs_coverage_page_set_search_mode_enabled (HsCoveragePage *self,
                                          gboolean        enabled)
{
  g_return_if_fail (HS_IS_COVERAGE_PAGE (self));
  /* The search bar's notify::search-mode-enabled notifies our property. */
  gtk_search_bar_set_search_mode (self->search_bar, enabled);
}

/* Sets the search text (and shows the search bar when @text is not empty); for tests and
 * for opening the page with a filter. */
void
hs_coverage_page_set_search_text (HsCoveragePage *self,
                                  const char     *text)
{
  g_return_if_fail (HS_IS_COVERAGE_PAGE (self));
  if (text != NULL && text[0] != '\0')
    gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
}

/* @widget: (nullable): where typing starts a search, usually the window while the page shows */
void
hs_coverage_page_set_key_capture_widget (HsCoveragePage *self,
                                         GtkWidget      *widget)
{
  g_return_if_fail (HS_IS_COVERAGE_PAGE (self));
  gtk_search_bar_set_key_capture_widget (self->search_bar, widget);
}
