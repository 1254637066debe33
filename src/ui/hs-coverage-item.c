/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row of the coverage table: what the database holds for one instrument and one kind of data
 * (candles per interval), as an immutable GObject for GListModel, with the functions that turn
 * its values into the text the table shows. A database has at most a few thousand such rows.
 */
#define G_LOG_DOMAIN "hs-coverage-item"

#include "config.h"

#include "hs-coverage-item.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "hs-interval.h"
#include "hs-locale-format.h"
#include "hs-time.h"

struct _HsCoverageItem
{
  GObject  parent_instance;

  char    *symbol;     /* (owned) */
  char    *exchange;   /* (owned) "" when none */
  char    *kind;       /* (owned) */
  char    *data;       /* (owned) (nullable) NULL when the instrument has no data */
  char    *interval;   /* (owned) (nullable) candles only */
  int64_t  first_ts;
  int64_t  last_ts;
  int64_t  rows;
  double   timeline_start;   /* first_ts as a fraction of the database's time span */
  double   timeline_end;
};

G_DEFINE_FINAL_TYPE (HsCoverageItem, hs_coverage_item, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SYMBOL,
  PROP_EXCHANGE,
  PROP_KIND,
  PROP_DATA,
  PROP_INTERVAL,
  PROP_FIRST_TS,
  PROP_LAST_TS,
  PROP_ROWS,
  PROP_TIMELINE_START,
  PROP_TIMELINE_END,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hs_coverage_item_finalize (GObject *object)
{
  HsCoverageItem *self = HS_COVERAGE_ITEM (object);

  g_clear_pointer (&self->symbol, g_free);
  g_clear_pointer (&self->exchange, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->data, g_free);
  g_clear_pointer (&self->interval, g_free);

  G_OBJECT_CLASS (hs_coverage_item_parent_class)->finalize (object);
}

static void
hs_coverage_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HsCoverageItem *self = HS_COVERAGE_ITEM (object);

  switch (prop_id)
    {
    case PROP_SYMBOL:
      g_value_set_string (value, self->symbol);
      break;
    case PROP_EXCHANGE:
      g_value_set_string (value, self->exchange);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_DATA:
      g_value_set_string (value, self->data);
      break;
    case PROP_INTERVAL:
      g_value_set_string (value, self->interval);
      break;
    case PROP_FIRST_TS:
      g_value_set_int64 (value, self->first_ts);
      break;
    case PROP_LAST_TS:
      g_value_set_int64 (value, self->last_ts);
      break;
    case PROP_ROWS:
      g_value_set_int64 (value, self->rows);
      break;
    case PROP_TIMELINE_START:
      g_value_set_double (value, self->timeline_start);
      break;
    case PROP_TIMELINE_END:
      g_value_set_double (value, self->timeline_end);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_coverage_item_class_init (HsCoverageItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = hs_coverage_item_finalize;
  object_class->get_property = hs_coverage_item_get_property;

  properties[PROP_SYMBOL] = g_param_spec_string ("symbol", NULL, NULL, NULL, flags);
  properties[PROP_EXCHANGE] = g_param_spec_string ("exchange", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_DATA] = g_param_spec_string ("data", NULL, NULL, NULL, flags);
  properties[PROP_INTERVAL] = g_param_spec_string ("interval", NULL, NULL, NULL, flags);
  properties[PROP_FIRST_TS] = g_param_spec_int64 ("first-ts", NULL, NULL,
                                                  G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_LAST_TS] = g_param_spec_int64 ("last-ts", NULL, NULL,
                                                 G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_ROWS] = g_param_spec_int64 ("rows", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TIMELINE_START] = g_param_spec_double ("timeline-start", NULL, NULL,
                                                         0.0, 1.0, 0.0, flags);
  properties[PROP_TIMELINE_END] = g_param_spec_double ("timeline-end", NULL, NULL,
                                                       0.0, 1.0, 0.0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_coverage_item_init (HsCoverageItem *self)
{
}

/**
 * hs_coverage_item_new:
 * @coverage: one row of hs_store_list_coverage(); copied
 *
 * Returns: (transfer full): a new item
 */
HsCoverageItem *
hs_coverage_item_new (const HsCoverage *coverage)
{
  HsCoverageItem *self;

  g_return_val_if_fail (coverage != NULL, NULL);
  g_return_val_if_fail (coverage->symbol != NULL, NULL);

  self = g_object_new (HS_TYPE_COVERAGE_ITEM, NULL);
  self->symbol = g_strdup (coverage->symbol);
  self->exchange = g_strdup (coverage->exchange != NULL ? coverage->exchange : "");
  self->kind = g_strdup (coverage->kind != NULL ? coverage->kind : "");
  self->data = g_strdup (coverage->data);
  self->interval = g_strdup (coverage->interval);
  if (coverage->data != NULL)
    {
      self->first_ts = coverage->first_ts;
      self->last_ts = coverage->last_ts;
      self->rows = coverage->rows;
    }
  return self;
}

const char *
hs_coverage_item_get_symbol (HsCoverageItem *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_ITEM (self), NULL);
  return self->symbol;
}

const char *
hs_coverage_item_get_exchange (HsCoverageItem *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_ITEM (self), NULL);
  return self->exchange;
}

const char *
hs_coverage_item_get_kind (HsCoverageItem *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_ITEM (self), NULL);
  return self->kind;
}

/* Returns: (nullable): "candles", "trades" …, or NULL when the instrument has no data */
const char *
hs_coverage_item_get_data (HsCoverageItem *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_ITEM (self), NULL);
  return self->data;
}

/* Returns: (nullable): the bar interval of candles, NULL for other data */
const char *
hs_coverage_item_get_interval (HsCoverageItem *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_ITEM (self), NULL);
  return self->interval;
}

int64_t
hs_coverage_item_get_first_ts (HsCoverageItem *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_ITEM (self), 0);
  return self->first_ts;
}

int64_t
hs_coverage_item_get_last_ts (HsCoverageItem *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_ITEM (self), 0);
  return self->last_ts;
}

int64_t
hs_coverage_item_get_rows (HsCoverageItem *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_ITEM (self), 0);
  return self->rows;
}

/**
 * hs_coverage_item_set_timeline:
 * @range_first: the earliest first_ts of all rows shown together
 * @range_last: the latest last_ts
 *
 * Places the item's data on the common timeline the table draws: timeline-start and
 * timeline-end become its first and last time as fractions of @range_first … @range_last.
 * Called once, before the item is put into a model.
 */
void
hs_coverage_item_set_timeline (HsCoverageItem *self,
                               int64_t         range_first,
                               int64_t         range_last)
{
  double span = (double) range_last - (double) range_first;

  g_return_if_fail (HS_IS_COVERAGE_ITEM (self));

  if (self->data == NULL || span <= 0)
    {
      self->timeline_start = 0.0;
      self->timeline_end = self->data != NULL ? 1.0 : 0.0;
    }
  else
    {
      self->timeline_start = CLAMP (((double) self->first_ts - range_first) / span, 0.0, 1.0);
      self->timeline_end = CLAMP (((double) self->last_ts - range_first) / span, 0.0, 1.0);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMELINE_START]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMELINE_END]);
}

double
hs_coverage_item_get_timeline_start (HsCoverageItem *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_ITEM (self), 0.0);
  return self->timeline_start;
}

double
hs_coverage_item_get_timeline_end (HsCoverageItem *self)
{
  g_return_val_if_fail (HS_IS_COVERAGE_ITEM (self), 0.0);
  return self->timeline_end;
}

static int
data_rank (const char *data)
{
  static const char *order[] = { "candles", "trades", "quotes", "orderbook", "snapshots",
                                 "quote_bars", "factors" };

  if (data == NULL)
    return -1;
  for (size_t i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_str_equal (data, order[i]))
      return (int) i;
  return (int) G_N_ELEMENTS (order);
}

static int
interval_rank (const char *interval)
{
  const HsInterval *found = interval != NULL ? hs_interval_lookup (interval) : NULL;
  size_t n = 0;
  const HsInterval *all = hs_interval_all (&n);

  return found != NULL ? (int) (found - all) : (int) n;
}

/**
 * hs_coverage_item_compare:
 *
 * The table's natural order: by symbol, exchange, kind of data (candles first), then interval
 * from the shortest bar to the longest (the store orders intervals as text: "1d" before "1m").
 */
int
hs_coverage_item_compare (HsCoverageItem *a,
                          HsCoverageItem *b)
{
  int c;

  if ((c = g_utf8_collate (a->symbol, b->symbol)) != 0)
    return c;
  if ((c = g_utf8_collate (a->exchange, b->exchange)) != 0)
    return c;
  if ((c = data_rank (a->data) - data_rank (b->data)) != 0)
    return c;
  return interval_rank (a->interval) - interval_rank (b->interval);
}

/**
 * hs_coverage_item_compare_by_data:
 *
 * The order of the Data column: by kind of data (candles first, instruments without data
 * last), then interval from the shortest bar, then the natural order.
 */
int
hs_coverage_item_compare_by_data (HsCoverageItem *a,
                                  HsCoverageItem *b)
{
  int ra = a->data != NULL ? data_rank (a->data) : G_MAXINT;
  int rb = b->data != NULL ? data_rank (b->data) : G_MAXINT;

  if (ra != rb)
    return ra < rb ? -1 : 1;
  if (interval_rank (a->interval) != interval_rank (b->interval))
    return interval_rank (a->interval) - interval_rank (b->interval);
  return hs_coverage_item_compare (a, b);
}

/**
 * hs_coverage_format_time:
 * @us: microseconds since the epoch, UTC
 * @data: (nullable): the kind of data, "candles" …
 * @interval: (nullable): the bar interval of candles
 *
 * Writes a first or last time as precisely as its data needs: daily and longer bars starting at
 * midnight as a date (`2024-01-02`), minute and hour bars to the minute (`2024-01-02 14:30`),
 * anything else to the second with its fraction (`2024-01-02 14:30:05.250`). Always UTC.
 *
 * Returns: (transfer full): the text
 */
char *
hs_coverage_format_time (int64_t     us,
                         const char *data,
                         const char *interval)
{
  const HsInterval *iv = NULL;
  char buf[40];
  size_t len;

  hs_time_format_iso_buf (us, buf);
  len = strlen (buf);
  /* buf is YYYY-MM-DDTHH:MM:SS[.fff[fff]]Z; years past 9999 widen the date, so work from 'T'. */
  {
    char *t = strchr (buf, 'T');
    gboolean whole_minute;

    if (t == NULL || len < 2)
      return g_strdup (buf);
    buf[len - 1] = '\0';            /* the Z: the column header says UTC */
    *t = ' ';
    whole_minute = g_str_equal (t + 6, ":00");

    if (g_strcmp0 (data, "candles") == 0 && interval != NULL)
      iv = hs_interval_lookup (interval);
    if (iv != NULL && (iv->seconds >= 86400 || g_str_equal (iv->name, "1mo"))
        && g_str_equal (t, " 00:00:00"))
      *t = '\0';
    else if (iv != NULL && iv->seconds >= 60 && whole_minute)
      t[6] = '\0';
  }
  return hs_ui_localize_iso_date (buf);
}

/**
 * hs_coverage_format_count:
 *
 * Writes @n with the locale's thousands separator, or with narrow no-break spaces (the SI way)
 * when the locale has none, so that 4380112 reads as "4 380 112".
 *
 * Returns: (transfer full): the text
 */
char *
hs_coverage_format_count (int64_t n)
{
  const struct lconv *lc = localeconv ();
  const char *sep = (lc->thousands_sep != NULL && lc->thousands_sep[0] != '\0')
                      ? lc->thousands_sep : "\u202f";
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  const char *p = digits;
  GString *out = g_string_new (NULL);
  size_t len;

  if (*p == '-')
    g_string_append_c (out, *p++);
  len = strlen (p);
  for (size_t i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, p[i]);
    }
  return g_string_free (out, FALSE);
}

/* Returns: (transfer none): the instrument kind as the table shows it ("ETF", "Crypto" …) */
const char *
hs_coverage_kind_label (const char *kind)
{
  if (kind == NULL || kind[0] == '\0')
    return "";
  if (g_str_equal (kind, "stock"))
    return C_("instrument kind", "Stock");
  if (g_str_equal (kind, "etf"))
    return C_("instrument kind", "ETF");
  if (g_str_equal (kind, "index"))
    return C_("instrument kind", "Index");
  if (g_str_equal (kind, "crypto"))
    return C_("instrument kind", "Crypto");
  if (g_str_equal (kind, "future"))
    return C_("instrument kind", "Future");
  if (g_str_equal (kind, "fx"))
    return C_("instrument kind", "FX");
  if (g_str_equal (kind, "option"))
    return C_("instrument kind", "Option");
  if (g_str_equal (kind, "prediction"))
    return C_("instrument kind", "Prediction");
  return kind;
}

/* Returns: (transfer none): the kind of data as the table shows it ("Candles", "No data" …) */
const char *
hs_coverage_data_label (const char *data)
{
  if (data == NULL)
    return C_("market data", "No data");
  if (g_str_equal (data, "candles"))
    return C_("market data", "Candles");
  if (g_str_equal (data, "trades"))
    return C_("market data", "Trades");
  if (g_str_equal (data, "quotes"))
    return C_("market data", "Quotes");
  if (g_str_equal (data, "orderbook"))
    return C_("market data", "Order book");
  if (g_str_equal (data, "snapshots"))
    return C_("market data", "Snapshots");
  if (g_str_equal (data, "quote_bars"))
    return C_("market data", "Quote bars");
  if (g_str_equal (data, "factors"))
    return C_("market data", "Price factors");
  return data;
}
