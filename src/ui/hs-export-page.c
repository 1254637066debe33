/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Export page (docs/ui-export.md): choose a dataset (paper trades, backtest trades of one run
 * or all, signals), a training-query filter checked as it is typed, the columns (grouped: trade
 * fields, labels, and the flattened context by source — signals, market regime, order book, AI —
 * each with what it holds as its tooltip, all or none per group) and the format (CSV, JSON
 * lines). A preview of the first rows, as the export writes them, follows the choices (on a
 * worker, a moment after the last change). Export asks for a file (GtkFileChooserNative, which
 * goes through the portal when there is one), writes it on a worker with progress and Cancel,
 * and offers to open the folder when done. A cancelled or failed export leaves no file
 * (hs-export-job.c).
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-export-page.h"
#include "hs-widget-util.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hs-coverage-item.h"
#include "hs-export-candles.h"
#include "hs-export-job.h"
#include "hs-job-coverage.h"
#include "hs-runs-job.h"

#define PREVIEW_ROWS 20
#define PREVIEW_DELAY_MS 250

/* ngettext's number for a count that may not fit an unsigned long (the gettext manual's
 * advice: the last six digits, plus a million, choose the same form). */
static unsigned long
plural_n (int64_t n)
{
  return n < 0 ? 0 : n < 1000000 ? (unsigned long) n : (unsigned long) (n % 1000000 + 1000000);
}

static const HsExportDataset datasets[] = {
  HS_EXPORT_TRADES, HS_EXPORT_BACKTEST_TRADES, HS_EXPORT_SIGNALS,
};
/* The dataset row's fourth item: the candles of one instrument (hs-export-candles.h). */
#define CANDLES_ITEM 3

struct _HsExportPage
{
  GtkWidget            parent_instance;

  AdwToastOverlay     *overlay;
  GtkPaned            *paned;
  AdwComboRow         *dataset_row;
  AdwComboRow         *run_row;
  AdwComboRow         *instrument_row;
  GtkStringList       *instrument_model;
  AdwComboRow         *format_row;
  GtkStringList       *run_model;
  AdwPreferencesGroup *filter_group;
  GtkEntry            *filter_entry;
  GtkLabel            *filter_error;
  AdwPreferencesGroup *columns_group;
  GtkLabel            *preview_status;
  GtkSpinner          *preview_spinner;
  GtkColumnView       *preview_view;
  GtkLabel            *command_label;
  GtkLabel            *hint_label;
  GtkButton           *export_button;
  GtkButton           *cancel_button;
  GtkProgressBar      *progress_bar;

  char                *db_path;
  GPtrArray           *groups;          /* AdwExpanderRow, in columns_group */
  GPtrArray           *checks;          /* GtkCheckButton, in the dataset's column order */
  GArray              *run_ids;         /* int64_t per run_model item; 0: every run */
  GPtrArray           *instruments;     /* HsCoverage (borrowed from coverage) per item */
  HsCoverageResult    *coverage;
  GCancellable        *coverage_cancel;
  GListStore          *preview_store;   /* GtkStringList, one per row */
  GCancellable        *preview_cancel;
  GCancellable        *export_cancel;
  GCancellable        *runs_cancel;
  GtkNativeDialog     *chooser;
  guint                preview_timeout;
  gboolean             preview_pending;
  gboolean             busy;
  gboolean             filter_valid;
  gboolean             rebuilding;
  gboolean             disposed;        /* a job finished after the page went */
  int64_t              preview_total;
  char                *hint;
  char                *last_toast;
  char                *last_error;
  char                *last_folder;
};

G_DEFINE_FINAL_TYPE (HsExportPage, hs_export_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_BUSY,
  PROP_PREVIEW_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_preview (HsExportPage *self);
static void update_state     (HsExportPage *self);

/* ------------------------------------------------------------------------------------------ */
/* What each column holds */

typedef struct
{
  const char *name;
  const char *doc;
} ColumnDoc;

static const ColumnDoc trade_docs[] = {
  { "id", N_("The row's id; rows come in id order") },
  { "symbol", N_("The instrument's symbol") },
  { "side", N_("long or short") },
  { "quantity", N_("Shares, contracts or base units") },
  { "entry_time", N_("When the trade was entered (ISO-8601 UTC)") },
  { "entry_price", N_("The entry price") },
  { "exit_time", N_("When the trade was closed (ISO-8601 UTC); empty while open") },
  { "exit_price", N_("The exit price") },
  { "stop_loss", N_("The stop-loss price") },
  { "take_profit", N_("The take-profit price") },
  { "status", N_("open, closed, stopped or cancelled") },
  { "exit_reason", N_("Why the trade was closed: take_profit, stop_loss, trailing_stop, "
                      "time_stop, signal, manual, …") },
  { "pnl", N_("Profit or loss in the account currency, net of fees") },
  { "pnl_pct", N_("Profit or loss in percent of the entry notional (1.5 = +1.5 %)") },
  { "fees", N_("Fees in the account currency") },
  { "is_backtest", N_("1 when the trade came from a backtest") },
  { "backtest_run_id", N_("The backtest run the trade came from") },
  { "signal_id", N_("The signal the trade came from (the signals dataset's id)") },
  { "tags", N_("The trade's tags, a JSON array") },
  { "notes", N_("Free-text notes") },
  { "target_pnl_15m", N_("Label: the return 15 minutes after entry, percent, signed by side") },
  { "target_pnl_1h", N_("Label: the return 1 hour after entry, percent, signed by side") },
  { "target_mfe_pct", N_("Label: the maximum favourable excursion, percent") },
  { "target_mae_pct", N_("Label: the maximum adverse excursion, percent") },
  { "labeled_at", N_("When the labels were computed (ISO-8601 UTC)") },
  { "label_error", N_("Why the trade has no labels") },
  { "run_id", N_("The backtest run") },
  { "strategy", N_("The run's strategy") },
  { "trade_no", N_("1, 2, … within the run") },
  { "mfe_pct", N_("Maximum favourable excursion while held (the engine's), percent") },
  { "mae_pct", N_("Maximum adverse excursion while held (the engine's), percent") },
  { "bars_held", N_("How many bars the trade was held") },
  { "signal_metadata", N_("The strategy's note at entry, JSON") },
};

static const ColumnDoc signal_docs[] = {
  { "id", N_("The signal's id; rows come in id order") },
  { "time", N_("The bar or tick the signal was decided at (ISO-8601 UTC)") },
  { "symbol", N_("The instrument's symbol") },
  { "strategy_name", N_("The strategy that made the signal") },
  { "strategy_version", N_("The strategy's version") },
  { "setup", N_("The setup the strategy saw") },
  { "signal_type", N_("STRONG_BUY … STRONG_SELL") },
  { "confidence", N_("Confidence, 0–100") },
  { "confidence_level", N_("high (≥ 80), medium (≥ 50) or low") },
  { "score", N_("The strategy's score") },
  { "session", N_("The market session") },
  { "price", N_("The reference price") },
  { "cvd", N_("Cumulative volume delta, base units") },
  { "orderbook_imbalance", N_("Order book imbalance, percent −100…100") },
  { "features_id", N_("The stored features the signal read") },
  { "reasons", N_("Why the signal fired, a JSON array") },
  { "warnings", N_("Warnings, a JSON array") },
  { "filters_passed", N_("The filters that passed, JSON") },
  { "filters_blocked", N_("The filters that blocked it, JSON") },
  { "status", N_("generated, blocked or promoted") },
  { "outcome", N_("take_profit, stop_loss, time_stop or no_fill") },
  { "outcome_r", N_("The outcome in R multiples") },
  { "labeled_at", N_("When the outcome was computed (ISO-8601 UTC)") },
};

static const ColumnDoc candle_docs[] = {
  { "time", N_("The bar's start (ISO-8601 UTC)") },
  { "open", N_("The first price in the bar") },
  { "high", N_("The highest price in the bar") },
  { "low", N_("The lowest price in the bar") },
  { "close", N_("The last price in the bar") },
  { "volume", N_("The volume traded in the bar") },
  { "vwap", N_("The volume-weighted average price, when the source gave one") },
  { "trade_count", N_("The number of trades in the bar, when the source gave it") },
};

/* The flattened context of a paper trade: the key after the prefix. */
static const ColumnDoc signal_key_docs[] = {
  { "rsi", N_("RSI (0–100)") },
  { "macd_hist", N_("MACD histogram") },
  { "ema_9_21_cross", N_("EMA 9/21 cross: bullish, bearish, …") },
  { "squeeze", N_("Squeeze: on, off or firing") },
  { "trend", N_("Trend: bullish, bearish or neutral") },
  { "dist_from_200sma", N_("Distance from the 200-bar SMA, percent") },
};

static const ColumnDoc context_docs[] = {
  { "signals_missing", N_("The signals the collector could not compute, a JSON array") },
  { "regime_spy_price", N_("SPY's price at entry") },
  { "regime_spy_pct_change", N_("SPY's change on the day, percent") },
  { "regime_spy_vix", N_("The VIX at entry, index points") },
  { "regime_sector_ticker", N_("The sector ETF, e.g. XLK") },
  { "regime_sector_pct_change", N_("The sector ETF's change on the day, percent") },
  { "regime_sector_correlation_30d",
    N_("30-day correlation of the instrument with its sector ETF, −1…1") },
  { "regime_market_internals_ad_line", N_("The advance/decline line") },
  { "regime_market_internals_put_call_ratio", N_("The put/call ratio") },
  { "regime_missing", N_("The market regime values that were missing, a JSON array") },
  { "book_bid", N_("The bid at entry") },
  { "book_ask", N_("The ask at entry") },
  { "book_spread_pct", N_("The spread in percent of the mid") },
  { "book_volume", N_("Volume, contracts or shares") },
  { "book_open_interest", N_("Open interest, contracts") },
  { "book_iv", N_("Implied volatility (0.32 = 32 %)") },
  { "book_greeks_delta", N_("The option's delta") },
  { "book_greeks_gamma", N_("The option's gamma") },
  { "book_greeks_theta", N_("The option's theta, price per day") },
  { "book_greeks_vega", N_("The option's vega, price per volatility point") },
  { "book_missing", N_("The order book values that were missing, a JSON array") },
  { "ai_model", N_("The AI model that reasoned about the trade") },
  { "ai_prompt_version", N_("The prompt's version") },
  { "ai_confidence_score", N_("The AI's confidence, 0–10") },
  { "ai_bull_case", N_("The bull case") },
  { "ai_bear_case", N_("The bear case") },
  { "ai_decision_logic", N_("The decision logic") },
  { "ai_prompt", N_("The prompt sent to the model") },
  { "ai_raw_output", N_("The model's raw output") },
  { "ai_tokens", N_("Tokens used: an integer or an object") },
  { "ai_latency_ms", N_("The model's latency, milliseconds") },
};

static const char *
find_doc (const ColumnDoc *docs,
          size_t           n,
          const char      *name)
{
  for (size_t i = 0; i < n; i++)
    if (g_str_equal (docs[i].name, name))
      return _(docs[i].doc);
  return NULL;
}

/* Returns: (transfer full): the tooltip of a column: what it holds and its type */
static char *
column_tooltip (gboolean        candles,
                HsExportDataset dataset,
                const char     *name,
                const char     *type)
{
  const char *doc = NULL;
  g_autofree char *composed = NULL;

  if (candles)
    doc = find_doc (candle_docs, G_N_ELEMENTS (candle_docs), name);
  else if (dataset == HS_EXPORT_SIGNALS)
    doc = find_doc (signal_docs, G_N_ELEMENTS (signal_docs), name);
  else
    doc = find_doc (trade_docs, G_N_ELEMENTS (trade_docs), name);
  if (doc == NULL)
    doc = find_doc (context_docs, G_N_ELEMENTS (context_docs), name);
  if (doc == NULL && g_str_has_prefix (name, "signals_"))
    {
      /* signals_TF_KEY */
      const char *tf = name + strlen ("signals_");
      const char *key = strchr (tf, '_');

      if (key != NULL)
        {
          g_autofree char *tf_text = g_strndup (tf, (size_t) (key - tf));
          const char *key_doc = find_doc (signal_key_docs, G_N_ELEMENTS (signal_key_docs),
                                          key + 1);

          if (key_doc != NULL)
            {
              /* TRANSLATORS: an indicator on bars of a timeframe, e.g. "RSI (0–100) on 5m bars" */
              composed = g_strdup_printf (_("%s on %s bars"), key_doc, tf_text);
              doc = composed;
            }
        }
    }
  /* TRANSLATORS: a column's tooltip: what it holds, then its type (number, text, time, json) */
  return g_strdup_printf (_("%s\nType: %s"), doc != NULL ? doc : name, type);
}

/* The groups of the column list. */
typedef enum
{
  GROUP_FIELDS,
  GROUP_LABELS,
  GROUP_SIGNALS,
  GROUP_REGIME,
  GROUP_BOOK,
  GROUP_AI,
  N_GROUPS
} Group;

static Group
column_group (HsExportDataset dataset,
              const char     *name)
{
  if (dataset == HS_EXPORT_SIGNALS)
    return g_str_equal (name, "outcome") || g_str_equal (name, "outcome_r")
           || g_str_equal (name, "labeled_at") ? GROUP_LABELS : GROUP_FIELDS;
  if (g_str_has_prefix (name, "target_") || g_str_equal (name, "labeled_at")
      || g_str_equal (name, "label_error"))
    return GROUP_LABELS;
  if (dataset != HS_EXPORT_TRADES)
    return GROUP_FIELDS;
  if (g_str_has_prefix (name, "signals_"))
    return GROUP_SIGNALS;
  if (g_str_has_prefix (name, "regime_"))
    return GROUP_REGIME;
  if (g_str_has_prefix (name, "book_"))
    return GROUP_BOOK;
  if (g_str_has_prefix (name, "ai_"))
    return GROUP_AI;
  return GROUP_FIELDS;
}

static const char *
group_title (gboolean        candles,
             HsExportDataset dataset,
             Group           group)
{
  switch (group)
    {
    case GROUP_FIELDS:
      return candles ? _("Candle fields")
             : dataset == HS_EXPORT_SIGNALS ? _("Signal fields") : _("Trade fields");
    case GROUP_LABELS:
      return dataset == HS_EXPORT_SIGNALS ? _("Outcome") : _("Labels");
    case GROUP_SIGNALS:
      return _("Context: signals");
    case GROUP_REGIME:
      return _("Context: market regime");
    case GROUP_BOOK:
      return _("Context: order book");
    case GROUP_AI:
      return _("Context: AI reasoning");
    case N_GROUPS:
    default:
      return "";
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The choices */

static gboolean
is_candles (HsExportPage *self)
{
  return adw_combo_row_get_selected (self->dataset_row) == CANDLES_ITEM;
}

/* The engine's dataset; for candles, meaningless (is_candles() first). */
static HsExportDataset
current_dataset (HsExportPage *self)
{
  guint i = adw_combo_row_get_selected (self->dataset_row);

  return datasets[i < G_N_ELEMENTS (datasets) ? i : 0];
}

/* Returns: (nullable): the chosen instrument and interval of the candles */
static const HsCoverage *
current_instrument (HsExportPage *self)
{
  guint i = adw_combo_row_get_selected (self->instrument_row);

  if (!is_candles (self) || self->instruments == NULL || i >= self->instruments->len)
    return NULL;
  return self->instruments->pdata[i];
}

static size_t
n_columns (HsExportPage *self)
{
  return is_candles (self) ? hs_export_candles_n_columns ()
                           : hs_export_n_columns (current_dataset (self));
}

static const char *
column_name (HsExportPage *self,
             size_t        i)
{
  return is_candles (self) ? hs_export_candles_column_name (i)
                           : hs_export_column_name (current_dataset (self), i);
}

static const char *
column_type (HsExportPage *self,
             size_t        i)
{
  return is_candles (self) ? hs_export_candles_column_type (i)
                           : hs_export_column_type (current_dataset (self), i);
}

static HsExportFormat
current_format (HsExportPage *self)
{
  return adw_combo_row_get_selected (self->format_row) == 1 ? HS_EXPORT_JSONL : HS_EXPORT_CSV;
}

static int64_t
current_run (HsExportPage *self)
{
  guint i = adw_combo_row_get_selected (self->run_row);

  if (current_dataset (self) != HS_EXPORT_BACKTEST_TRADES || self->run_ids == NULL
      || i >= self->run_ids->len)
    return 0;
  return g_array_index (self->run_ids, int64_t, i);
}

static char *
user_filter (HsExportPage *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->filter_entry))));
}

/**
 * hs_export_page_dup_where:
 *
 * Returns: (transfer full) (nullable): the filter the export runs with: the one typed, with the
 *   chosen backtest run (`run_id == N and (…)`); %NULL for every row
 */
char *
hs_export_page_dup_where (HsExportPage *self)
{
  g_autofree char *text = user_filter (self);
  int64_t run = current_run (self);

  g_return_val_if_fail (HS_IS_EXPORT_PAGE (self), NULL);

  if (is_candles (self))
    return NULL;
  if (run > 0 && text[0] != '\0')
    return g_strdup_printf ("run_id == %" G_GINT64_FORMAT " and (%s)", run, text);
  if (run > 0)
    return g_strdup_printf ("run_id == %" G_GINT64_FORMAT, run);
  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

/**
 * hs_export_page_dup_columns:
 *
 * Returns: (transfer full): the chosen columns, in the dataset's order (empty when none)
 */
GStrv
hs_export_page_dup_columns (HsExportPage *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (HS_IS_EXPORT_PAGE (self), NULL);

  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (self->checks->pdata[i]))
      g_strv_builder_add (b, g_object_get_data (self->checks->pdata[i], "hs-column"));
  return g_strv_builder_end (b);
}

/* The columns to hand the export: %NULL when all are chosen (the same file, fewer copies). */
static GStrv
export_columns (HsExportPage *self)
{
  GStrv columns = hs_export_page_dup_columns (self);

  if (g_strv_length (columns) == self->checks->len)
    g_clear_pointer (&columns, g_strfreev);
  return columns;
}

/* The page's choice for the jobs; @where and @columns stay the caller's. */
static void
fill_choice (HsExportPage   *self,
             HsExportChoice *choice,
             const char     *where,
             GStrv           columns)
{
  const HsCoverage *inst = current_instrument (self);

  choice->candles = is_candles (self);
  choice->dataset = current_dataset (self);
  choice->where = where;
  choice->format = current_format (self);
  choice->columns = (const char *const *) columns;
  if (inst != NULL)
    {
      choice->symbol = inst->symbol;
      choice->exchange = inst->exchange != NULL && inst->exchange[0] != '\0' ? inst->exchange
                                                                               : NULL;
      choice->interval = inst->interval;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The column list */

/* Each group says how many of its columns are chosen. */
static void
update_group_subtitles (HsExportPage *self)
{
  for (guint g = 0; g < self->groups->len; g++)
    {
      GPtrArray *members = g_object_get_data (self->groups->pdata[g], "hs-members");
      guint chosen = 0;
      g_autofree char *subtitle = NULL;

      for (guint i = 0; i < members->len; i++)
        chosen += gtk_check_button_get_active (members->pdata[i]) ? 1 : 0;
      /* TRANSLATORS: a column group's subtitle, e.g. "3 of 11 columns" */
      subtitle = g_strdup_printf (ngettext ("%u of %u column", "%u of %u columns", members->len),
                                  chosen, members->len);
      adw_expander_row_set_subtitle (self->groups->pdata[g], subtitle);
    }
}

static void
check_toggled_cb (HsExportPage *self)
{
  if (self->rebuilding)
    return;
  update_group_subtitles (self);
  update_state (self);
  schedule_preview (self);
}

static void
set_group_active (HsExportPage *self,
                  GtkWidget    *button,
                  gboolean      active)
{
  GPtrArray *members = g_object_get_data (G_OBJECT (button), "hs-members");

  self->rebuilding = TRUE;
  for (guint i = 0; i < members->len; i++)
    gtk_check_button_set_active (members->pdata[i], active);
  self->rebuilding = FALSE;
  check_toggled_cb (self);
}

static void
all_clicked_cb (GtkButton    *button,
                HsExportPage *self)
{
  set_group_active (self, GTK_WIDGET (button), TRUE);
}

static void
none_clicked_cb (GtkButton    *button,
                 HsExportPage *self)
{
  set_group_active (self, GTK_WIDGET (button), FALSE);
}

static GtkWidget *
group_button (HsExportPage *self,
              const char   *label,
              const char   *accessible,
              GPtrArray    *members,
              GCallback     callback)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  gtk_widget_set_tooltip_text (button, accessible);
  g_object_set_data_full (G_OBJECT (button), "hs-members", g_ptr_array_ref (members),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

/* Makes the check boxes of the dataset's columns, all chosen. */
static void
rebuild_columns (HsExportPage *self)
{
  HsExportDataset dataset = current_dataset (self);
  gboolean candles = is_candles (self);
  size_t n = n_columns (self);
  AdwExpanderRow *rows[N_GROUPS] = { NULL };
  GPtrArray *members[N_GROUPS] = { NULL };

  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_group_remove (self->columns_group, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);
  g_ptr_array_set_size (self->checks, 0);

  self->rebuilding = TRUE;
  for (size_t i = 0; i < n; i++)
    {
      const char *name = column_name (self, i);
      Group g = candles ? GROUP_FIELDS : column_group (dataset, name);
      g_autofree char *tip = column_tooltip (candles, dataset, name, column_type (self, i));
      GtkWidget *check = gtk_check_button_new_with_label (name);

      if (rows[g] == NULL)
        {
          rows[g] = ADW_EXPANDER_ROW (adw_expander_row_new ());
          members[g] = g_ptr_array_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows[g]), group_title (candles, dataset, g));
          g_ptr_array_add (self->groups, rows[g]);
        }
      gtk_widget_set_tooltip_text (check, tip);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_set_margin_start (check, 12);
      g_object_set_data_full (G_OBJECT (check), "hs-column", g_strdup (name), g_free);
      g_signal_connect_object (check, "toggled", G_CALLBACK (check_toggled_cb), self,
                               G_CONNECT_SWAPPED);
      adw_expander_row_add_row (rows[g], check);
      g_ptr_array_add (members[g], check);
      g_ptr_array_add (self->checks, check);
    }
  for (int g = 0; g < N_GROUPS; g++)
    if (rows[g] != NULL)
      {
        const char *title = group_title (candles, dataset, g);
        /* TRANSLATORS: the accessible names of a column group's buttons, e.g.
         * "Choose all Labels columns" */
        g_autofree char *all = g_strdup_printf (_("Choose all %s columns"), title);
        g_autofree char *none = g_strdup_printf (_("Choose no %s columns"), title);

        g_object_set_data_full (G_OBJECT (rows[g]), "hs-members", g_ptr_array_ref (members[g]),
                                (GDestroyNotify) g_ptr_array_unref);
        adw_expander_row_add_action (rows[g], group_button (self, _("All"), all, members[g],
                                                            G_CALLBACK (all_clicked_cb)));
        adw_expander_row_add_action (rows[g], group_button (self, _("None"), none, members[g],
                                                            G_CALLBACK (none_clicked_cb)));
        adw_preferences_group_add (self->columns_group, GTK_WIDGET (rows[g]));
        g_ptr_array_unref (members[g]);
      }
  self->rebuilding = FALSE;
  update_group_subtitles (self);
}

/* ------------------------------------------------------------------------------------------ */
/* The preview */

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* As wide as the column's longest text in the preview, up to 32 characters. */
  gtk_label_set_width_chars (GTK_LABEL (label),
                             GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory),
                                                                 "hs-width")));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkStringList *row = GTK_STRING_LIST (gtk_list_item_get_item (item));
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "hs-column"));
  const char *text = row != NULL ? gtk_string_list_get_string (row, column) : NULL;
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  gtk_widget_set_tooltip_text (label, text != NULL && strlen (text) > 32 ? text : NULL);
}

static void
set_preview_pending (HsExportPage *self,
                     gboolean      pending)
{
  if (self->preview_pending == pending)
    return;
  self->preview_pending = pending;
  gtk_spinner_set_spinning (self->preview_spinner, pending);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW_PENDING]);
}

static void
show_preview (HsExportPage    *self,
              HsExportPreview *preview)
{
  GListModel *columns = gtk_column_view_get_columns (self->preview_view);
  g_autofree char *status = NULL;

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->preview_view, c);
    }
  g_list_store_remove_all (self->preview_store);
  if (preview == NULL)
    return;
  for (guint i = 0; preview->columns != NULL && preview->columns[i] != NULL; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) c = NULL;

      int width = (int) g_utf8_strlen (preview->columns[i], -1);

      for (guint r = 0; r < preview->rows->len; r++)
        {
          GStrv cells = preview->rows->pdata[r];

          if (i < g_strv_length (cells))
            width = MAX (width, (int) g_utf8_strlen (cells[i], -1));
        }
      g_object_set_data (G_OBJECT (factory), "hs-column", GUINT_TO_POINTER (i));
      g_object_set_data (G_OBJECT (factory), "hs-width", GINT_TO_POINTER (MIN (width, 32)));
      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), NULL);
      c = gtk_column_view_column_new (preview->columns[i], factory);
      gtk_column_view_column_set_resizable (c, TRUE);
      gtk_column_view_append_column (self->preview_view, c);
    }
  for (guint r = 0; r < preview->rows->len; r++)
    {
      g_autoptr(GtkStringList) row =
        gtk_string_list_new ((const char *const *) preview->rows->pdata[r]);

      g_list_store_append (self->preview_store, row);
    }
  self->preview_total = preview->total;
  if (preview->total == 0)
    status = g_strdup (_("No rows match"));
  else
    {
      g_autofree char *count = hs_coverage_format_count (preview->total);

      /* TRANSLATORS: the preview's status: how many rows the export writes and how many show */
      status = g_strdup_printf (ngettext ("%s row; the first %u shown",
                                          "%s rows; the first %u shown",
                                          plural_n (preview->total)),
                                count, preview->rows->len);
    }
  gtk_label_set_text (self->preview_status, status);
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(HsExportPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsExportPreview) preview = hs_export_preview_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    return;   /* a newer preview is on its way, or the page went */
  g_clear_object (&self->preview_cancel);
  if (preview == NULL)
    {
      show_preview (self, NULL);
      gtk_label_set_text (self->preview_status, error->message);
    }
  else
    show_preview (self, preview);
  set_preview_pending (self, FALSE);
  update_state (self);
}

static gboolean
preview_timeout_cb (gpointer data)
{
  HsExportPage *self = data;
  g_autofree char *where = NULL;
  g_auto(GStrv) columns = NULL;

  HsExportChoice choice = { 0 };

  self->preview_timeout = 0;
  if (self->db_path == NULL || !self->filter_valid || self->checks->len == 0)
    {
      set_preview_pending (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  if (is_candles (self) && current_instrument (self) == NULL)
    {
      show_preview (self, NULL);
      gtk_label_set_text (self->preview_status, _("No stored candles"));
      set_preview_pending (self, FALSE);
      update_state (self);
      return G_SOURCE_REMOVE;
    }
  columns = hs_export_page_dup_columns (self);
  if (columns[0] == NULL)
    {
      show_preview (self, NULL);
      gtk_label_set_text (self->preview_status, _("No columns chosen"));
      set_preview_pending (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  where = hs_export_page_dup_where (self);
  fill_choice (self, &choice, where, columns);
  self->preview_cancel = g_cancellable_new ();
  hs_export_preview_async (self->db_path, &choice, PREVIEW_ROWS, self->preview_cancel,
                           preview_done_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* A preview a moment after the last change (typing does not start one per key). */
static void
schedule_preview (HsExportPage *self)
{
  g_cancellable_cancel (self->preview_cancel);
  g_clear_object (&self->preview_cancel);
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  if (self->db_path == NULL)
    {
      show_preview (self, NULL);
      gtk_label_set_text (self->preview_status, _("No database open"));
      set_preview_pending (self, FALSE);
      return;
    }
  set_preview_pending (self, TRUE);
  self->preview_timeout = g_timeout_add (PREVIEW_DELAY_MS, preview_timeout_cb, self);
}

/* ------------------------------------------------------------------------------------------ */
/* State: the hint, the command line, Export's sensitivity */

static void
set_hint (HsExportPage *self,
          const char   *hint)
{
  g_free (self->hint);
  self->hint = g_strdup (hint);
  gtk_label_set_text (self->hint_label, hint);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hint_label), hint);
}

static void
update_command (HsExportPage *self)
{
  g_autoptr(GString) cmd = g_string_new ("hindsight-cli export ");
  g_autofree char *where = hs_export_page_dup_where (self);
  g_auto(GStrv) columns = export_columns (self);
  const HsCoverage *inst = current_instrument (self);

  if (is_candles (self))
    {
      g_autofree char *symbol = g_shell_quote (inst != NULL ? inst->symbol : "SYMBOL");

      g_string_append_printf (cmd, "candles --symbol %s --interval %s", symbol,
                              inst != NULL ? inst->interval : "INTERVAL");
      if (inst != NULL && inst->exchange != NULL && inst->exchange[0] != '\0')
        {
          g_autofree char *exchange = g_shell_quote (inst->exchange);

          g_string_append_printf (cmd, " --exchange %s", exchange);
        }
    }
  else
    g_string_append (cmd, hs_export_dataset_to_string (current_dataset (self)));
  g_string_append (cmd, current_format (self) == HS_EXPORT_JSONL ? " --format jsonl"
                                                                  : " --format csv");
  if (where != NULL)
    {
      g_autofree char *quoted = g_shell_quote (where);

      g_string_append_printf (cmd, " --where %s", quoted);
    }
  if (columns != NULL)
    {
      g_autofree char *list = g_strjoinv (",", columns);

      g_string_append_printf (cmd, " --select %s", list);
    }
  g_string_append (cmd, " --out FILE");
  gtk_label_set_text (self->command_label, cmd->str);
}

static void
update_state (HsExportPage *self)
{
  g_auto(GStrv) columns = hs_export_page_dup_columns (self);
  g_autofree char *text = NULL;
  gboolean can = FALSE;

  if (self->db_path == NULL)
    set_hint (self, _("Open a database to export from it"));
  else if (self->busy)
    set_hint (self, _("Exporting…"));
  else if (!self->filter_valid)
    {
      text = g_strdup_printf (_("The filter has an error: %s"),
                              gtk_label_get_text (self->filter_error));
      set_hint (self, text);
    }
  else if (is_candles (self) && current_instrument (self) == NULL)
    set_hint (self, _("This database holds no candles"));
  else if (columns[0] == NULL)
    set_hint (self, _("Choose at least one column"));
  else
    {
      can = TRUE;
      if (!self->preview_pending && self->preview_total >= 0)
        {
          g_autofree char *count = hs_coverage_format_count (self->preview_total);

          text = g_strdup_printf (ngettext ("%s row to export", "%s rows to export",
                                            plural_n (self->preview_total)),
                                  count);
        }
      set_hint (self, text != NULL ? text : "");
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), can);
  update_command (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Changes */

static void
filter_changed_cb (HsExportPage *self)
{
  g_autofree char *text = user_filter (self);
  g_autofree char *message = NULL;
  gboolean valid = is_candles (self)
                   || hs_export_job_check_filter (current_dataset (self), text, NULL, &message);

  self->filter_valid = valid;
  gtk_label_set_text (self->filter_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->filter_error), !valid);
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_entry), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->filter_entry), GTK_ACCESSIBLE_STATE_INVALID,
                               valid ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
  update_state (self);
  if (valid)
    schedule_preview (self);
  else
    {
      g_cancellable_cancel (self->preview_cancel);
      g_clear_object (&self->preview_cancel);
      g_clear_handle_id (&self->preview_timeout, g_source_remove);
      set_preview_pending (self, FALSE);
      gtk_label_set_text (self->preview_status, _("for the last filter without errors"));
      update_state (self);
    }
}

static void
dataset_changed_cb (HsExportPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->run_row),
                          !is_candles (self)
                          && current_dataset (self) == HS_EXPORT_BACKTEST_TRADES);
  gtk_widget_set_visible (GTK_WIDGET (self->instrument_row), is_candles (self));
  /* Candles are every stored bar of one instrument: no filter. */
  gtk_widget_set_visible (GTK_WIDGET (self->filter_group), !is_candles (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->filter_entry), !is_candles (self));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_entry),
                               is_candles (self) ? _("Candles export every stored bar of the "
                                                     "instrument and interval; filters apply "
                                                     "to trades and signals")
                                                 : NULL);
  rebuild_columns (self);
  /* The same filter may not fit the new dataset: checked again (and the preview with it). */
  filter_changed_cb (self);
}

static void
choice_changed_cb (HsExportPage *self)
{
  update_state (self);
  schedule_preview (self);
}

static void
runs_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(HsExportPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRunsList) list = hs_runs_job_list_finish (result, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  int64_t all = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    return;
  g_clear_object (&self->runs_cancel);
  g_array_set_size (self->run_ids, 0);
  g_array_append_val (self->run_ids, all);
  g_ptr_array_add (names, g_strdup (_("Every run")));
  for (guint i = 0; list != NULL && i < list->runs->len; i++)
    {
      const HsBtRunRow *row = list->runs->pdata[i];

      g_array_append_val (self->run_ids, row->info->id);
      /* TRANSLATORS: a backtest run in the list: its id, strategy, symbol and interval */
      {
        g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, row->info->id);

        g_ptr_array_add (names, g_strdup_printf (_("#%s %s · %s · %s"), id,
                                                 row->info->strategy_name, row->info->symbol,
                                                 row->info->interval));
      }
    }
  g_ptr_array_add (names, NULL);
  self->rebuilding = TRUE;
  gtk_string_list_splice (self->run_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->run_model)),
                          (const char *const *) names->pdata);
  adw_combo_row_set_selected (self->run_row, 0);
  self->rebuilding = FALSE;
  if (!is_candles (self) && current_dataset (self) == HS_EXPORT_BACKTEST_TRADES)
    choice_changed_cb (self);
}

static void
coverage_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(HsExportPage) self = data;
  g_autoptr(GError) error = NULL;
  HsCoverageResult *coverage = hs_job_coverage_finish (result, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    {
      g_clear_pointer (&coverage, hs_coverage_result_free);
      return;
    }
  g_clear_object (&self->coverage_cancel);
  g_ptr_array_set_size (self->instruments, 0);
  g_clear_pointer (&self->coverage, hs_coverage_result_free);
  self->coverage = coverage;
  for (guint i = 0; coverage != NULL && i < coverage->coverage->len; i++)
    {
      HsCoverage *c = coverage->coverage->pdata[i];

      if (g_strcmp0 (c->data, "candles") != 0 || c->interval == NULL)
        continue;
      g_ptr_array_add (self->instruments, c);
      /* TRANSLATORS: an instrument's stored candles: symbol, interval, number of bars */
      {
        g_autofree char *count = hs_coverage_format_count (c->rows);

        g_ptr_array_add (names, g_strdup_printf (_("%s · %s · %s bars"), c->symbol,
                                                 c->interval, count));
      }
    }
  g_ptr_array_add (names, NULL);
  self->rebuilding = TRUE;
  gtk_string_list_splice (self->instrument_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->instrument_model)),
                          (const char *const *) names->pdata);
  adw_combo_row_set_selected (self->instrument_row, 0);
  self->rebuilding = FALSE;
  if (is_candles (self))
    choice_changed_cb (self);
}

static void
run_changed_cb (HsExportPage *self)
{
  if (!self->rebuilding)
    choice_changed_cb (self);
}

static void
load_runs (HsExportPage *self)
{
  g_auto(HsRunsQuery) query = { 0 };

  g_cancellable_cancel (self->runs_cancel);
  g_clear_object (&self->runs_cancel);
  g_cancellable_cancel (self->coverage_cancel);
  g_clear_object (&self->coverage_cancel);
  if (self->db_path == NULL)
    return;
  self->coverage_cancel = g_cancellable_new ();
  hs_job_coverage_read_async (self->db_path, self->coverage_cancel, coverage_done_cb,
                              g_object_ref (self));
  hs_runs_query_init (&query);
  self->runs_cancel = g_cancellable_new ();
  hs_runs_job_list_async (self->db_path, &query, self->runs_cancel, runs_done_cb,
                          g_object_ref (self));
}

/* ------------------------------------------------------------------------------------------ */
/* Exporting */

static void
toast (HsExportPage *self,
       const char   *title,
       const char   *button,
       const char   *action)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  adw_toast_overlay_add_toast (self->overlay, hs_toast_new (title, button, action));
}

static void
set_busy (HsExportPage *self,
          gboolean      busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->dataset_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->format_row), !busy);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
export_progress_cb (double      fraction,
                    const char *message,
                    gpointer    data)
{
  HsExportPage *self = data;
  g_autofree char *text = NULL;

  if (!self->busy || self->disposed)
    return;
  /* TRANSLATORS: the export's progress: "rows written / rows in all" */
  text = g_strdup_printf (_("%s rows"), message);
  if (fraction < 0)
    gtk_progress_bar_pulse (self->progress_bar);
  else
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(HsExportPage) self = data;
  g_autoptr(GError) error = NULL;
  int64_t rows = 0;
  g_autofree char *path = g_object_steal_data (G_OBJECT (self), "hs-export-path");
  g_autofree char *name = path != NULL ? g_filename_display_basename (path) : NULL;
  g_autofree char *title = NULL;
  gboolean ok;

  g_clear_object (&self->export_cancel);
  g_clear_pointer (&self->last_error, g_free);
  ok = hs_export_file_finish (result, &rows, &error);
  if (self->disposed)
    return;   /* the page went (and cancelled the export): no file, nobody to tell */
  if (ok)
    {
      g_free (self->last_folder);
      self->last_folder = g_path_get_dirname (path);
      {
        g_autofree char *count = hs_coverage_format_count (rows);

        title = g_strdup_printf (ngettext ("Exported %s row to %s", "Exported %s rows to %s",
                                           plural_n (rows)),
                                 count, name);
      }
      toast (self, title, _("Open _Folder"), "export.open-folder");
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, _("Export cancelled; no file was written"), NULL, NULL);
  else
    {
      self->last_error = g_strdup (error->message);
      title = g_strdup_printf (_("Export failed: %s"), error->message);
      toast (self, title, NULL, NULL);
    }
  set_busy (self, FALSE);
}

/**
 * hs_export_page_export_to_file:
 * @path: the file to write
 *
 * Exports the chosen rows, columns and format to @path on a worker (what Export does once the
 * file chooser has a name). Nothing happens when Export is disabled.
 */
void
hs_export_page_export_to_file (HsExportPage *self,
                               const char   *path)
{
  g_autofree char *where = NULL;
  g_auto(GStrv) columns = NULL;
  HsExportChoice choice = { 0 };

  g_return_if_fail (HS_IS_EXPORT_PAGE (self));
  g_return_if_fail (path != NULL);

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->export_button)) || self->busy)
    return;
  where = hs_export_page_dup_where (self);
  columns = export_columns (self);
  self->export_cancel = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self), "hs-export-path", g_strdup (path), g_free);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
  set_busy (self, TRUE);
  fill_choice (self, &choice, where, columns);
  hs_export_file_async (self->db_path, &choice, path, export_progress_cb, self,
                        self->export_cancel, export_done_cb, g_object_ref (self));
}

/* Stops a running export; it leaves no file. */
void
hs_export_page_cancel (HsExportPage *self)
{
  g_return_if_fail (HS_IS_EXPORT_PAGE (self));

  g_cancellable_cancel (self->export_cancel);
}

static void
chooser_response_cb (HsExportPage *self,
                     int           response)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (file != NULL && g_file_peek_path (file) != NULL)
    hs_export_page_export_to_file (self, g_file_peek_path (file));
}

static void
export_clicked_cb (HsExportPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  gboolean jsonl = current_format (self) == HS_EXPORT_JSONL;
  g_autofree char *name = g_strdup_printf ("%s.%s", hs_export_page_get_dataset_name (self),
                                           jsonl ? "jsonl" : "csv");
  GtkFileChooserNative *native;

  if (self->chooser != NULL)
    return;
  native = gtk_file_chooser_native_new (_("Export"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                           : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                        _("_Cancel"));
  gtk_file_filter_add_suffix (filter, jsonl ? "jsonl" : "csv");
  gtk_file_filter_set_name (filter, jsonl ? _("JSON lines") : _("CSV"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  /* The folder of the last export, so a series of exports lands together. */
  if (self->last_folder != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (self->last_folder);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), folder, NULL);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect_object (native, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  self->chooser = GTK_NATIVE_DIALOG (native);
  gtk_native_dialog_show (self->chooser);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  hs_export_page_cancel (HS_EXPORT_PAGE (widget));
}

/* Escape stops a running export; otherwise it goes on to the window. */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   data)
{
  HsExportPage *self = HS_EXPORT_PAGE (widget);

  if (!self->busy)
    return FALSE;
  hs_export_page_cancel (self);
  return TRUE;
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HsExportPage *self = HS_EXPORT_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GFile) folder = NULL;

  if (self->last_folder == NULL)
    return;
  folder = g_file_new_for_path (self->last_folder);
#if GTK_CHECK_VERSION (4, 10, 0) && defined (GDK_VERSION_4_10) \
    && GDK_VERSION_MAX_ALLOWED >= GDK_VERSION_4_10
  {
    g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (folder);

    gtk_file_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL,
                              NULL, NULL);
  }
#else
  {
    g_autofree char *uri = g_file_get_uri (folder);

    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
  }
#endif
}

/* ------------------------------------------------------------------------------------------ */
/* Public */

GtkWidget *
hs_export_page_new (void)
{
  return g_object_new (HS_TYPE_EXPORT_PAGE, NULL);
}

/**
 * hs_export_page_set_database_path:
 * @path: (nullable): the database to export from; %NULL: none
 */
void
hs_export_page_set_database_path (HsExportPage *self,
                                  const char   *path)
{
  g_return_if_fail (HS_IS_EXPORT_PAGE (self));

  if (g_strcmp0 (self->db_path, path) != 0)
    {
      g_free (self->db_path);
      self->db_path = g_strdup (path);
    }
  hs_export_page_reload (self);
}

const char *
hs_export_page_get_database_path (HsExportPage *self)
{
  g_return_val_if_fail (HS_IS_EXPORT_PAGE (self), NULL);
  return self->db_path;
}

/* Reads the database again: the backtest runs and the preview. */
void
hs_export_page_reload (HsExportPage *self)
{
  g_return_if_fail (HS_IS_EXPORT_PAGE (self));

  load_runs (self);
  update_state (self);
  if (self->filter_valid)
    schedule_preview (self);
}

gboolean
hs_export_page_get_busy (HsExportPage *self)
{
  g_return_val_if_fail (HS_IS_EXPORT_PAGE (self), FALSE);
  return self->busy;
}

gboolean
hs_export_page_get_preview_pending (HsExportPage *self)
{
  g_return_val_if_fail (HS_IS_EXPORT_PAGE (self), FALSE);
  return self->preview_pending;
}

/* Returns: "trades", "backtest-trades", "signals" or "candles", as `hindsight-cli export` names
 *   them */
const char *
hs_export_page_get_dataset_name (HsExportPage *self)
{
  g_return_val_if_fail (HS_IS_EXPORT_PAGE (self), NULL);
  return is_candles (self) ? "candles" : hs_export_dataset_to_string (current_dataset (self));
}

/* Returns: "csv" or "jsonl" */
const char *
hs_export_page_get_format_name (HsExportPage *self)
{
  g_return_val_if_fail (HS_IS_EXPORT_PAGE (self), NULL);
  return current_format (self) == HS_EXPORT_JSONL ? "jsonl" : "csv";
}

/* Returns: the line beside Export: why it is disabled, or how many rows it writes */
const char *
hs_export_page_get_hint (HsExportPage *self)
{
  g_return_val_if_fail (HS_IS_EXPORT_PAGE (self), NULL);
  return self->hint;
}

const char *
hs_export_page_get_last_toast (HsExportPage *self)
{
  g_return_val_if_fail (HS_IS_EXPORT_PAGE (self), NULL);
  return self->last_toast;
}

const char *
hs_export_page_get_last_error (HsExportPage *self)
{
  g_return_val_if_fail (HS_IS_EXPORT_PAGE (self), NULL);
  return self->last_error;
}

/* Returns: (nullable): the folder of the last file exported, which "Open Folder" opens */
const char *
hs_export_page_get_last_folder (HsExportPage *self)
{
  g_return_val_if_fail (HS_IS_EXPORT_PAGE (self), NULL);
  return self->last_folder;
}

/* Returns: (transfer none): the preview's rows, a #GtkStringList of cells each */
GListModel *
hs_export_page_get_preview_model (HsExportPage *self)
{
  g_return_val_if_fail (HS_IS_EXPORT_PAGE (self), NULL);
  return G_LIST_MODEL (self->preview_store);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject */

static void
hs_export_page_dispose (GObject *object)
{
  HsExportPage *self = HS_EXPORT_PAGE (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->preview_cancel);
  g_cancellable_cancel (self->runs_cancel);
  g_cancellable_cancel (self->coverage_cancel);
  g_cancellable_cancel (self->export_cancel);
  g_clear_object (&self->coverage_cancel);
  g_clear_object (&self->preview_cancel);
  g_clear_object (&self->runs_cancel);
  g_clear_object (&self->export_cancel);
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_EXPORT_PAGE);
  G_OBJECT_CLASS (hs_export_page_parent_class)->dispose (object);
}

static void
hs_export_page_finalize (GObject *object)
{
  HsExportPage *self = HS_EXPORT_PAGE (object);

  g_free (self->db_path);
  g_ptr_array_unref (self->groups);
  g_ptr_array_unref (self->checks);
  g_array_unref (self->run_ids);
  g_ptr_array_unref (self->instruments);
  g_clear_pointer (&self->coverage, hs_coverage_result_free);
  g_clear_object (&self->preview_store);
  g_free (self->hint);
  g_free (self->last_toast);
  g_free (self->last_error);
  g_free (self->last_folder);
  G_OBJECT_CLASS (hs_export_page_parent_class)->finalize (object);
}

static void
hs_export_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HsExportPage *self = HS_EXPORT_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_PREVIEW_PENDING:
      g_value_set_boolean (value, self->preview_pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_export_page_class_init (HsExportPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_export_page_dispose;
  object_class->finalize = hs_export_page_finalize;
  object_class->get_property = hs_export_page_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PREVIEW_PENDING] =
    g_param_spec_boolean ("preview-pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/hs-export-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, overlay);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, paned);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, dataset_row);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, run_row);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, format_row);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, run_model);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, instrument_row);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, instrument_model);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, filter_group);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, filter_error);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, columns_group);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, preview_status);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, preview_view);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, command_label);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HsExportPage, progress_bar);
  gtk_widget_class_install_action (widget_class, "export.open-folder", NULL, open_folder_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
hs_export_page_init (HsExportPage *self)
{
  GtkSelectionModel *selection;

  self->groups = g_ptr_array_new ();
  self->checks = g_ptr_array_new ();
  self->run_ids = g_array_new (FALSE, TRUE, sizeof (int64_t));
  self->instruments = g_ptr_array_new ();
  self->preview_store = g_list_store_new (GTK_TYPE_STRING_LIST);
  self->filter_valid = TRUE;
  self->preview_total = -1;
  gtk_widget_init_template (GTK_WIDGET (self));

  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (
    G_LIST_MODEL (g_object_ref (self->preview_store))));
  gtk_column_view_set_model (self->preview_view, selection);
  g_object_unref (selection);

  g_signal_connect_object (self->dataset_row, "notify::selected",
                           G_CALLBACK (dataset_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->format_row, "notify::selected",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->run_row, "notify::selected", G_CALLBACK (run_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->instrument_row, "notify::selected", G_CALLBACK (run_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_entry, "changed", G_CALLBACK (filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->export_button, "clicked", G_CALLBACK (export_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cancel_button, "clicked", G_CALLBACK (hs_export_page_cancel),
                           self, G_CONNECT_SWAPPED);
  rebuild_columns (self);
  update_state (self);
  schedule_preview (self);
}
