/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trade inspector (issue 8, docs/ui-trades.md "Inspector"): one paper trade read on a
 * worker (hs-inspect-job.c) and shown as
 *
 *   - a header (symbol, side, size, entry, status) with previous/next buttons (Alt+Up/Down,
 *     Ctrl+[ and Ctrl+]) that emit "navigate";
 *   - Outcome: P&L, exit and levels, the four labels or why the trade has none, and the replay
 *     chart (hs-chart-replay.c) in an HsChartWidget;
 *   - AI Reasoning: model, prompt version, the confidence as a 0–10 level bar, bull and bear
 *     case side by side, decision logic, the other members, and the raw prompt and output in
 *     expanders with monospace read-only views and copy buttons; a status page when the trade
 *     has no reasoning log;
 *   - Context at Entry: signals_snapshot as a timeframe × indicator grid, the market regime,
 *     the order book and greeks, every value with a one-sentence tooltip, a value that is not
 *     there shown as "—", and each object's "missing" list shown as stored;
 *   - Tags (chips with a remove button, an entry to add) and notes, saved as typed: a note is
 *     saved 600 ms after the last keystroke, every edit on a worker through the functions of
 *     `paper tag|untag|note`, one at a time in order, each followed by "trade-changed".
 *
 * Every shown value is registered under a key ("signals.5m.rsi", "book.greeks.delta",
 * "target_pnl_1h", "ai.model" …) so hs_trade_inspector_dup_text() reads back exactly what the
 * user sees (the GUI test compares those with the stored row). Showing a trade builds about a
 * hundred labels: a few milliseconds.
 */
#define G_LOG_DOMAIN "hs-ui"

#include "config.h"

#include "hs-trade-inspector.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "hs-chart-replay.h"
#include "hs-chart-widget.h"
#include "hs-inspect-job.h"
#include "hs-time.h"

/* How long typing must pause before the note is saved. */
#define NOTE_SAVE_DELAY_MS 600

typedef enum
{
  FMT_TEXT,      /* a JSON string as it is */
  FMT_FIXED,     /* a number with `decimals` decimals */
  FMT_SIGNED,    /* the same with a sign */
  FMT_PERCENT,   /* a signed number with `decimals` decimals and " %" */
  FMT_PCT,       /* the same without a sign (sizes: MFE, MAE) */
  FMT_PRICE,     /* a number in its shortest exact form (prices as stored) */
  FMT_COUNT,     /* a whole number */
} Fmt;

typedef struct
{
  const char *member;     /* dotted path inside its object */
  const char *title;
  Fmt         fmt;
  int         decimals;
  const char *tip;        /* one sentence */
} Field;

static const char *const timeframes[] = { "1m", "5m", "15m", "1h", "daily" };

static const Field indicators[] = {
  { "rsi", N_("RSI"), FMT_FIXED, 1,
    N_("Wilder's 14-bar relative strength index of the close, 0 to 100: above 70 is often called overbought, below 30 oversold.") },
  { "macd_hist", N_("MACD hist."), FMT_FIXED, 4,
    N_("The MACD (12, 26, 9) histogram in price units: positive while upward momentum grows.") },
  { "ema_9_21_cross", N_("EMA 9/21"), FMT_TEXT, 0,
    N_("Whether the 9-bar EMA was above (bullish) or below (bearish) the 21-bar EMA at entry.") },
  { "squeeze", N_("Squeeze"), FMT_TEXT, 0,
    N_("TTM squeeze: on while the Bollinger bands lie inside the Keltner channel, firing on the bar it released.") },
  { "trend", N_("Trend"), FMT_TEXT, 0,
    N_("The close against a rising (bullish) or falling (bearish) 50-bar EMA.") },
  { "dist_from_200sma", N_("From 200 SMA"), FMT_PERCENT, 2,
    N_("How far the close was from its 200-bar simple moving average, in percent.") },
};

static const Field regime_fields[] = {
  { "spy.price", N_("SPY"), FMT_PRICE, 0, N_("The last price of SPY at entry.") },
  { "spy.pct_change", N_("SPY change"), FMT_PERCENT, 2,
    N_("SPY's change from the previous session's close, in percent.") },
  { "spy.vix", N_("VIX"), FMT_PRICE, 0,
    N_("The last value of the VIX volatility index at entry.") },
  { "sector.ticker", N_("Sector ETF"), FMT_TEXT, 0,
    N_("The sector ETF the instrument belongs to.") },
  { "sector.pct_change", N_("Sector change"), FMT_PERCENT, 2,
    N_("The sector ETF's change from the previous session's close, in percent.") },
  { "sector.correlation_30d", N_("Correlation 30d"), FMT_FIXED, 2,
    N_("Correlation of the instrument's and the sector ETF's daily returns over the last 30 days.") },
  { "market_internals.put_call_ratio", N_("Put/call"), FMT_PRICE, 0,
    N_("The put/call ratio at entry: above 1 means more puts than calls were traded.") },
  { "market_internals.advancers", N_("Advancers"), FMT_COUNT, 0,
    N_("How many stocks in this database were above their previous close.") },
  { "market_internals.decliners", N_("Decliners"), FMT_COUNT, 0,
    N_("How many stocks in this database were below their previous close.") },
  { "market_internals.ad_line", N_("Breadth"), FMT_TEXT, 0,
    N_("Advancing when more stocks were up than down, declining when fewer, flat when equal.") },
};

static const Field book_fields[] = {
  { "bid", N_("Bid"), FMT_PRICE, 0, N_("The best bid at entry.") },
  { "ask", N_("Ask"), FMT_PRICE, 0, N_("The best ask at entry.") },
  { "spread_pct", N_("Spread"), FMT_PCT, 3,
    N_("The bid–ask spread as a percentage of the mid price.") },
  { "volume", N_("Volume"), FMT_COUNT, 0,
    N_("The option's day volume, or the instrument's volume in the session so far.") },
  { "open_interest", N_("Open interest"), FMT_COUNT, 0,
    N_("Option contracts open at the time of the quote.") },
  { "iv", N_("Implied vol."), FMT_FIXED, 4,
    N_("The option's implied volatility as a fraction (0.45 is 45 %).") },
  { "greeks.delta", N_("Delta"), FMT_FIXED, 4,
    N_("How much the option's price moves for a one-unit move of the underlying.") },
  { "greeks.gamma", N_("Gamma"), FMT_FIXED, 4,
    N_("How much delta changes for a one-unit move of the underlying.") },
  { "greeks.theta", N_("Theta"), FMT_FIXED, 4,
    N_("The option's price change per calendar day from time decay.") },
  { "greeks.vega", N_("Vega"), FMT_FIXED, 4,
    N_("The option's price change per point of implied volatility.") },
  { "source", N_("Source"), FMT_TEXT, 0, N_("The table the bid and ask came from.") },
  { "ts", N_("Quoted at"), FMT_TEXT, 0, N_("When the bid and ask were quoted.") },
};

typedef struct
{
  gint64            id;
  HsInspectEditKind kind;
  char             *text;
} PendingEdit;

struct _HsTradeInspector
{
  GtkWidget       parent_instance;

  /* Template children */
  GtkStack       *stack;
  AdwStatusPage  *error_page;
  GtkLabel       *title_label;
  GtkLabel       *subtitle_label;
  GtkBox         *outcome_box;
  GtkLabel       *label_error_label;
  HsChartWidget  *replay_chart;
  GtkStack       *reasoning_stack;
  GtkLabel       *no_reasoning_label;
  GtkLabel       *model_label;
  GtkLabel       *prompt_version_label;
  GtkLevelBar    *confidence_bar;
  GtkLabel       *confidence_label;
  GtkLabel       *bull_label;
  GtkLabel       *bear_label;
  GtkLabel       *decision_label;
  GtkLabel       *extra_label;
  GtkBox         *raw_box;
  GtkBox         *context_box;
  GtkFlowBox     *tags_box;
  GtkEntry       *tag_entry;
  GtkButton      *add_tag_button;
  GtkTextView    *notes_view;
  GtkLabel       *save_label;

  char           *db_path;        /* (owned) (nullable) */
  gint64          trade_id;       /* 0: none */
  GCancellable   *load;           /* (owned) (nullable) the load in flight */
  GHashTable     *values;         /* (owned) key → (unowned) GtkLabel or GtkTextView shown */
  GQueue          edits;          /* PendingEdit, waiting */
  gboolean        editing;        /* an edit is on a worker */
  guint           note_timer;
  gboolean        filling;        /* the notes buffer is being set, not typed */
  gboolean        disposed;       /* edits still finishing touch no widget */
};

G_DEFINE_FINAL_TYPE (HsTradeInspector, hs_trade_inspector, GTK_TYPE_WIDGET)

enum { SIGNAL_NAVIGATE, SIGNAL_TRADE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
pending_edit_free (gpointer data)
{
  PendingEdit *e = data;

  g_free (e->text);
  g_free (e);
}

/* ------------------------------------------------------------------------------------------ */
/* Values                                                                                      */

/* The member at dotted @path inside @o, NULL when absent. */
static JsonNode *
lookup (JsonObject *o,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *n = NULL;

  for (size_t i = 0; o != NULL && parts[i] != NULL; i++)
    {
      n = json_object_get_member (o, parts[i]);
      if (n == NULL)
        return NULL;
      o = parts[i + 1] != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      if (parts[i + 1] != NULL && o == NULL)
        return NULL;
    }
  return n;
}

static gboolean
node_number (JsonNode *n,
             double   *v)
{
  GType t;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  t = json_node_get_value_type (n);
  if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
    return FALSE;
  *v = json_node_get_double (n);
  return isfinite (*v);
}

/* The text a value is shown as; "—" when there is none. */
static char *
format_number (double v,
               Fmt    fmt,
               int    decimals)
{
  if (!isfinite (v))
    return g_strdup ("—");
  switch (fmt)
    {
    case FMT_FIXED:
      return g_strdup_printf ("%.*f", decimals, v);
    case FMT_SIGNED:
      return g_strdup_printf ("%+.*f", decimals, v);
    case FMT_PERCENT:
      return g_strdup_printf ("%+.*f %%", decimals, v);
    case FMT_PCT:
      return g_strdup_printf ("%.*f %%", decimals, v);
    case FMT_COUNT:
      return g_strdup_printf ("%.0f", v);
    case FMT_PRICE:
    case FMT_TEXT:
    default:
      return g_strdup_printf ("%.10g", v);
    }
}

static char *
format_node (JsonNode *n,
             Fmt       fmt,
             int       decimals)
{
  double v;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  if (node_number (n, &v))
    return format_number (v, fmt, decimals);
  return json_to_string (n, FALSE);
}

/* A value label registered under @key, with @tip as its tooltip and its accessible
 * description. */
static GtkWidget *
value_label (HsTradeInspector *self,
             const char       *key,
             const char       *text,
             const char       *tip)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "hs-value");
  if (g_strcmp0 (text, "—") == 0)
    gtk_widget_add_css_class (label, "dim-label");
  if (tip != NULL)
    {
      gtk_widget_set_tooltip_text (label, tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tip, -1);
    }
  g_hash_table_replace (self->values, g_strdup (key), label);
  return label;
}

static GtkWidget *
caption (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
clear_children (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_BOX (box))
        gtk_box_remove (GTK_BOX (box), child);
      else if (GTK_IS_GRID (box))
        gtk_grid_remove (GTK_GRID (box), child);
      else if (GTK_IS_FLOW_BOX (box))
        gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
      else
        gtk_widget_unparent (child);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Outcome                                                                                     */

/* A caption over its value, one child of a flow box of pairs, which wraps to the width the
 * inspector is given (a side panel or a whole page). */
static void
add_pair (HsTradeInspector *self,
          GtkFlowBox       *flow,
          const char       *key,
          const char       *title,
          const char       *text,
          const char       *tip)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 1);
  GtkWidget *head = caption (title);

  gtk_widget_add_css_class (head, "caption");
  gtk_box_append (GTK_BOX (box), head);
  gtk_box_append (GTK_BOX (box), value_label (self, key, text, tip));
  gtk_flow_box_append (flow, box);
}

static GtkWidget *
pair_flow (void)
{
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 8);
  gtk_widget_set_can_focus (flow, FALSE);
  return flow;
}

static char *
format_time (int64_t ts)
{
  char buf[40];

  if (ts == HS_PAPER_NO_TS)
    return g_strdup ("—");
  hs_time_format_iso_buf (ts, buf);
  return g_strdup (buf);
}

static void
fill_outcome (HsTradeInspector    *self,
              const HsInspectData *d)
{
  const HsPaperTrade *t = d->trade;
  g_autofree char *entry_time = format_time (t->entry_ts);
  g_autofree char *exit_time = format_time (t->exit_ts);
  GtkWidget *flow;
  struct
  {
    const char *key, *title;
    char       *text;
    const char *tip;
  } rows[] = {
    { "entry_price", N_("Entry"), format_number (t->entry_price, FMT_PRICE, 0),
      N_("The entry fill price.") },
    { "entry_time", N_("Entered"), g_strdup (entry_time), N_("When the trade was entered (UTC).") },
    { "quantity", N_("Quantity"), format_number (t->quantity, FMT_PRICE, 0),
      N_("How many shares or contracts were traded.") },
    { "exit_price", N_("Exit"), format_number (t->exit_price, FMT_PRICE, 0),
      N_("The exit fill price.") },
    { "exit_time", N_("Exited"), g_strdup (exit_time), N_("When the trade was closed (UTC).") },
    { "exit_reason", N_("Exit reason"),
      g_strdup (g_str_equal (t->status, "open") ? _("open")
                : t->exit_reason != NULL ? t->exit_reason : "—"),
      N_("Why the position was closed: its stop, its target, a signal, by hand …") },
    { "pnl", N_("P&L"), format_number (t->pnl, FMT_SIGNED, 2),
      N_("Profit or loss in the account currency, net of fees.") },
    { "pnl_pct", N_("P&L %"), format_number (t->pnl_pct, FMT_PERCENT, 2),
      N_("Profit or loss as a percentage of the entry notional.") },
    { "fees", N_("Fees"), format_number (t->fees, FMT_FIXED, 2), N_("All fees of the trade.") },
    { "stop_loss", N_("Stop"), format_number (t->stop_loss, FMT_PRICE, 0),
      N_("The stop-loss price, drawn dashed in red on the replay.") },
    { "take_profit", N_("Target"), format_number (t->take_profit, FMT_PRICE, 0),
      N_("The take-profit price, drawn dashed in green on the replay.") },
    { "status", N_("Status"), g_strdup (t->status), N_("Open, closed, stopped or cancelled.") },
    { "target_pnl_15m", N_("Move 15 min"), format_number (t->target_pnl_15m, FMT_PERCENT, 3),
      N_("The market's move 15 minutes after the entry, in percent, in favour of the trade's side.") },
    { "target_pnl_1h", N_("Move 1 h"), format_number (t->target_pnl_1h, FMT_PERCENT, 3),
      N_("The market's move 1 hour after the entry, in percent, in favour of the trade's side.") },
    { "target_mfe_pct", N_("MFE"), format_number (t->target_mfe_pct, FMT_PCT, 3),
      N_("Maximum favourable excursion: how far, in percent, the market went the trade's way while it was open.") },
    { "target_mae_pct", N_("MAE"), format_number (t->target_mae_pct, FMT_PCT, 3),
      N_("Maximum adverse excursion: how far, in percent, the market went against the trade while it was open.") },
  };

  clear_children (GTK_WIDGET (self->outcome_box));
  flow = pair_flow ();
  for (size_t i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      add_pair (self, GTK_FLOW_BOX (flow), rows[i].key, _(rows[i].title), rows[i].text,
                _(rows[i].tip));
      g_free (rows[i].text);
    }
  gtk_box_append (self->outcome_box, flow);
  {
    GtkWidget *pnl = g_hash_table_lookup (self->values, "pnl");
    GtkWidget *pct = g_hash_table_lookup (self->values, "pnl_pct");
    const char *cls = isnan (t->pnl) ? NULL : t->pnl >= 0 ? "success" : "error";

    if (cls != NULL)
      {
        gtk_widget_add_css_class (pnl, cls);
        gtk_widget_add_css_class (pct, cls);
      }
  }

  if (t->label_error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("No labels yet: %s"), t->label_error);

      gtk_label_set_text (self->label_error_label, text);
    }
  else if (t->labeled_at == HS_PAPER_NO_TS)
    gtk_label_set_text (self->label_error_label,
                        g_str_equal (t->status, "open")
                        ? _("No labels: open trades are labeled after they close.")
                        : _("No labels yet: the labeler has not run since the trade closed."));
  else
    gtk_label_set_text (self->label_error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->label_error_label),
                          gtk_label_get_text (self->label_error_label)[0] != '\0');
  g_hash_table_replace (self->values, g_strdup ("label_error"), self->label_error_label);
}

static void
fill_replay (HsTradeInspector    *self,
             const HsInspectData *d)
{
  const HsPaperTrade *t = d->trade;
  g_autofree char *title = g_strdup_printf ("%s · 1m", t->symbol != NULL ? t->symbol : "?");
  HsReplayChartData *r = hs_replay_chart_data_new (d->bars->ts, d->bars->open, d->bars->high,
                                                   d->bars->low, d->bars->close, d->bars->n,
                                                   title);

  r->side = t->side;
  r->entry_ts = t->entry_ts;
  r->entry_price = t->entry_price;
  r->exit_ts = t->exit_ts != HS_PAPER_NO_TS ? t->exit_ts : HS_REPLAY_NO_TS;
  r->exit_price = t->exit_price;
  r->stop_loss = t->stop_loss;
  r->take_profit = t->take_profit;
  hs_replay_excursion_prices (t->side, t->entry_price, t->target_mfe_pct, t->target_mae_pct,
                              &r->mfe_price, &r->mae_price);
  hs_chart_widget_set_chart (self->replay_chart, &hs_replay_chart_painter, r,
                             (GDestroyNotify) hs_replay_chart_data_free);
  /* Without bars there is nothing to replay: a sentence instead of an empty frame. */
  gtk_widget_set_visible (GTK_WIDGET (self->replay_chart), d->bars->n > 0);
  if (d->bars->n == 0)
    gtk_box_append (self->outcome_box,
                    caption (_("No 1-minute bars are stored around this trade: nothing to replay.")));
}

/* ------------------------------------------------------------------------------------------ */
/* AI reasoning                                                                                */

static const char *
string_member (JsonObject *o,
               const char *member)
{
  JsonNode *n = json_object_get_member (o, member);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static void
copy_cb (GtkButton   *button,
         GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
  gtk_button_set_label (button, _("Copied"));
}

/* An expander with a read-only monospace view of @text and a copy button. */
static void
add_raw_view (HsTradeInspector *self,
              const char       *key,
              const char       *title,
              const char       *copy_name,
              const char       *text)
{
  GtkWidget *expander, *box, *scroller, *view, *button;

  if (text == NULL)
    {
      g_autofree char *missing = g_strdup_printf (_("%s: not recorded"), title);

      gtk_box_append (self->raw_box, caption (missing));
      return;
    }
  expander = gtk_expander_new (title);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 6);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scroller), TRUE);
  view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  button = gtk_button_new_with_label (_("Copy"));
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  copy_name, -1);
  g_signal_connect (button, "clicked", G_CALLBACK (copy_cb), view);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_box_append (GTK_BOX (box), button);
  gtk_expander_set_child (GTK_EXPANDER (expander), box);
  gtk_box_append (self->raw_box, expander);
  g_hash_table_replace (self->values, g_strdup (key), view);
}

static void
fill_reasoning (HsTradeInspector    *self,
                const HsInspectData *d)
{
  static const char *const shown[] = {
    "model", "prompt_version", "confidence_score", "bull_case", "bear_case", "decision_logic",
    "prompt", "raw_output", NULL,
  };
  JsonObject *o;
  g_autoptr(GString) extra = g_string_new (NULL);
  g_autoptr(GList) names = NULL;
  g_autofree char *score_text = NULL;
  double score = NAN;

  clear_children (GTK_WIDGET (self->raw_box));
  if (d->reasoning == NULL)
    {
      gtk_label_set_text (
        self->no_reasoning_label,
        d->trade->ai_reasoning_log == NULL
        ? _("This trade was stored without the model's account of why it was taken.")
        : _("The stored reasoning log is not a JSON object, so it cannot be shown."));
      gtk_stack_set_visible_child_name (self->reasoning_stack, "none");
      return;
    }
  o = json_node_get_object (d->reasoning);
#define SET_TEXT(label, key, text)                                                           \
  G_STMT_START {                                                                             \
    const char *t_ = (text);                                                                 \
    gtk_label_set_text (label, t_ != NULL && t_[0] != '\0' ? t_ : "—");                      \
    g_hash_table_replace (self->values, g_strdup (key), label);                              \
  } G_STMT_END
  SET_TEXT (self->model_label, "ai.model", string_member (o, "model"));
  SET_TEXT (self->prompt_version_label, "ai.prompt_version", string_member (o, "prompt_version"));
  SET_TEXT (self->bull_label, "ai.bull_case", string_member (o, "bull_case"));
  SET_TEXT (self->bear_label, "ai.bear_case", string_member (o, "bear_case"));
  SET_TEXT (self->decision_label, "ai.decision_logic", string_member (o, "decision_logic"));
#undef SET_TEXT
  node_number (json_object_get_member (o, "confidence_score"), &score);
  gtk_level_bar_set_value (self->confidence_bar, isfinite (score) ? CLAMP (score, 0, 10) : 0);
  score_text = isfinite (score) ? g_strdup_printf ("%g", score) : g_strdup ("—");
  {
    /* Translators: the confidence score out of ten, e.g. "8.5/10" */
    g_autofree char *out_of_ten = isfinite (score) ? g_strdup_printf (_("%s/10"), score_text)
                                                   : g_strdup ("—");

    gtk_label_set_text (self->confidence_label, out_of_ten);
  }
  g_hash_table_replace (self->values, g_strdup ("ai.confidence_score"), self->confidence_label);
  {
    g_autofree char *desc = isfinite (score)
                            ? g_strdup_printf (_("Confidence %s of 10"), score_text)
                            : g_strdup (_("Confidence not recorded"));

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->confidence_bar),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, desc, -1);
  }

  /* The other members (tokens, latency, anything a bot added), as stored. */
  names = json_object_get_members (o);
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *value = NULL;

      if (g_strv_contains (shown, l->data))
        continue;
      value = format_node (json_object_get_member (o, l->data), FMT_PRICE, 0);
      if (extra->len > 0)
        g_string_append (extra, " · ");
      if (g_str_equal (l->data, "latency_ms"))
        g_string_append_printf (extra, _("latency %s ms"), value);
      else
        g_string_append_printf (extra, "%s %s", (const char *) l->data, value);
    }
  gtk_label_set_text (self->extra_label, extra->str);
  gtk_widget_set_visible (GTK_WIDGET (self->extra_label), extra->len > 0);
  g_hash_table_replace (self->values, g_strdup ("ai.extra"), self->extra_label);

  add_raw_view (self, "ai.prompt", _("Raw Prompt"), _("Copy the raw prompt"),
                string_member (o, "prompt"));
  add_raw_view (self, "ai.raw_output", _("Raw Output"), _("Copy the raw output"),
                string_member (o, "raw_output"));
  gtk_stack_set_visible_child_name (self->reasoning_stack, "log");
}

/* ------------------------------------------------------------------------------------------ */
/* Context                                                                                     */

/* The object's "missing" list as a sentence, registered as @key. */
static void
add_missing (HsTradeInspector *self,
             GtkBox           *box,
             const char       *key,
             JsonObject       *o)
{
  JsonNode *n = json_object_get_member (o, "missing");
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *text = NULL;
  GtkWidget *label;

  if (n != NULL && JSON_NODE_HOLDS_ARRAY (n))
    {
      JsonArray *a = json_node_get_array (n);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);

          if (s->len > 0)
            g_string_append (s, ", ");
          if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
            g_string_append (s, json_node_get_string (e));
        }
    }
  if (n == NULL)
    text = g_strdup (_("No “missing” list was stored."));
  else if (s->len == 0)
    text = g_strdup (_("Nothing missing."));
  else
    text = g_strdup_printf (_("Missing: %s"), s->str);
  label = value_label (self, key, text,
                       _("Values that could not be computed from the data at entry; they show as —."));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_remove_css_class (label, "hs-value");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (box, label);
}

static GtkWidget *
section (GtkBox     *parent,
         const char *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (parent, box);
  return box;
}

static gboolean
not_recorded (GtkWidget *box,
              JsonNode  *node)
{
  if (node != NULL)
    return FALSE;
  gtk_box_append (GTK_BOX (box), caption (_("Not recorded for this trade.")));
  return TRUE;
}

static void
fill_signals (HsTradeInspector *self,
              GtkWidget        *box,
              JsonNode         *node)
{
  GtkWidget *grid;
  JsonObject *o;

  if (not_recorded (box, node))
    return;
  o = json_node_get_object (node);
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 14);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  for (size_t c = 0; c < G_N_ELEMENTS (indicators); c++)
    {
      GtkWidget *head = caption (_(indicators[c].title));

      gtk_widget_set_tooltip_text (head, _(indicators[c].tip));
      gtk_widget_set_hexpand (head, TRUE);
      gtk_grid_attach (GTK_GRID (grid), head, (int) c + 1, 0, 1, 1);
    }
  for (size_t r = 0; r < G_N_ELEMENTS (timeframes); r++)
    {
      JsonNode *tf = json_object_get_member (o, timeframes[r]);
      JsonObject *to = tf != NULL && JSON_NODE_HOLDS_OBJECT (tf) ? json_node_get_object (tf)
                                                                  : NULL;
      GtkWidget *head = gtk_label_new (timeframes[r]);

      gtk_label_set_xalign (GTK_LABEL (head), 0);
      gtk_widget_add_css_class (head, "heading");
      gtk_grid_attach (GTK_GRID (grid), head, 0, (int) r + 1, 1, 1);
      for (size_t c = 0; c < G_N_ELEMENTS (indicators); c++)
        {
          g_autofree char *key = g_strdup_printf ("signals.%s.%s", timeframes[r],
                                                  indicators[c].member);
          g_autofree char *text = format_node (to != NULL ? json_object_get_member (
                                                 to, indicators[c].member) : NULL,
                                               indicators[c].fmt, indicators[c].decimals);
          /* Translators: a tooltip: the timeframe, then the indicator's explanation */
          g_autofree char *tip = g_strdup_printf (_("%s bars. %s"), timeframes[r],
                                                  _(indicators[c].tip));

          gtk_grid_attach (GTK_GRID (grid), value_label (self, key, text, tip), (int) c + 1,
                           (int) r + 1, 1, 1);
        }
    }
  /* Seven columns do not fit a narrow side panel: the table scrolls sideways there. */
  {
    GtkWidget *scroller = gtk_scrolled_window_new ();

    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC,
                                    GTK_POLICY_NEVER);
    gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scroller), TRUE);
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), grid);
    gtk_box_append (GTK_BOX (box), scroller);
  }
  add_missing (self, GTK_BOX (box), "signals.missing", o);
}

static void
fill_fields (HsTradeInspector *self,
             GtkWidget        *box,
             JsonNode         *node,
             const char       *prefix,
             const Field      *fields,
             size_t            n_fields)
{
  GtkWidget *flow;
  JsonObject *o;

  if (not_recorded (box, node))
    return;
  o = json_node_get_object (node);
  flow = pair_flow ();
  for (size_t i = 0; i < n_fields; i++)
    {
      g_autofree char *key = g_strdup_printf ("%s.%s", prefix, fields[i].member);
      g_autofree char *text = format_node (lookup (o, fields[i].member), fields[i].fmt,
                                           fields[i].decimals);

      add_pair (self, GTK_FLOW_BOX (flow), key, _(fields[i].title), text, _(fields[i].tip));
    }
  gtk_box_append (GTK_BOX (box), flow);
  {
    g_autofree char *key = g_strdup_printf ("%s.missing", prefix);

    add_missing (self, GTK_BOX (box), key, o);
  }
}

static void
fill_context (HsTradeInspector    *self,
              const HsInspectData *d)
{
  clear_children (GTK_WIDGET (self->context_box));
  if (d->trade->signals_snapshot == NULL && d->trade->market_regime == NULL
      && d->trade->order_book_state == NULL)
    {
      gtk_box_append (self->context_box,
                      caption (_("No context was recorded when this trade was opened.")));
      return;
    }
  fill_signals (self, section (self->context_box, _("Signals")), d->signals_snapshot);
  fill_fields (self, section (self->context_box, _("Market Regime")), d->market_regime,
               "regime", regime_fields, G_N_ELEMENTS (regime_fields));
  fill_fields (self, section (self->context_box, _("Order Book and Greeks")),
               d->order_book_state, "book", book_fields, G_N_ELEMENTS (book_fields));
}

/* ------------------------------------------------------------------------------------------ */
/* Tags and notes                                                                              */

static void edits_next (HsTradeInspector *self);

static void
queue_edit (HsTradeInspector  *self,
            gint64             id,
            HsInspectEditKind  kind,
            const char        *text)
{
  PendingEdit *e = g_new0 (PendingEdit, 1);

  e->id = id;
  e->kind = kind;
  e->text = g_strdup (text);
  g_queue_push_tail (&self->edits, e);
  if (!self->disposed)
    gtk_label_set_text (self->save_label, _("Saving…"));
  edits_next (self);
}

static void
remove_tag_cb (GtkButton        *button,
               HsTradeInspector *self)
{
  const char *tag = g_object_get_data (G_OBJECT (button), "hs-tag");

  if (self->trade_id != 0 && tag != NULL)
    queue_edit (self, self->trade_id, HS_INSPECT_EDIT_TAG_REMOVE, tag);
}

static void
fill_tags (HsTradeInspector *self,
           char *const      *tags)
{
  g_autoptr(GString) all = g_string_new (NULL);

  clear_children (GTK_WIDGET (self->tags_box));
  for (size_t i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
      GtkWidget *label = gtk_label_new (tags[i]);
      GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
      g_autofree char *name = g_strdup_printf (_("Remove the tag %s"), tags[i]);

      gtk_widget_add_css_class (chip, "hs-tag-chip");
      gtk_widget_set_valign (chip, GTK_ALIGN_CENTER);
      gtk_widget_set_halign (chip, GTK_ALIGN_START);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_add_css_class (remove, "circular");
      gtk_widget_set_tooltip_text (remove, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      g_object_set_data_full (G_OBJECT (remove), "hs-tag", g_strdup (tags[i]), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_tag_cb), self);
      gtk_box_append (GTK_BOX (chip), label);
      gtk_box_append (GTK_BOX (chip), remove);
      gtk_flow_box_append (self->tags_box, chip);
      if (all->len > 0)
        g_string_append (all, ", ");
      g_string_append (all, tags[i]);
    }
  if (all->len == 0)
    gtk_flow_box_append (self->tags_box, caption (_("No tags")));
  g_object_set_data_full (G_OBJECT (self->tags_box), "hs-tags", g_strdup (all->str), g_free);
}

static void
edit_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HsTradeInspector) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsPaperTrade) t = hs_inspect_job_edit_finish (result, &error);

  self->editing = FALSE;
  if (self->disposed)
    ;
  else if (t == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

          gtk_label_set_text (self->save_label, text);
          gtk_widget_add_css_class (GTK_WIDGET (self->save_label), "error");
        }
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->save_label), "error");
      if (g_queue_is_empty (&self->edits))
        gtk_label_set_text (self->save_label, _("Saved"));
      if (t->id == self->trade_id)
        fill_tags (self, t->tags);
      g_signal_emit (self, signals[SIGNAL_TRADE_CHANGED], 0, (gint64) t->id);
    }
  edits_next (self);
}

/* Runs the next waiting edit unless one is running: edits of one trade land in order. */
static void
edits_next (HsTradeInspector *self)
{
  g_autoptr(GError) error = NULL;
  PendingEdit *e;

  if (self->editing || self->db_path == NULL)
    return;
  e = g_queue_pop_head (&self->edits);
  if (e == NULL)
    return;
  self->editing = TRUE;
  hs_inspect_job_edit_async (self->db_path, e->id, e->kind, e->text, NULL, edit_done_cb,
                             g_object_ref (self));
  pending_edit_free (e);
}

static char *
notes_text (HsTradeInspector *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Saves the note now if typing is waiting to be saved. */
static void
flush_note (HsTradeInspector *self)
{
  g_autofree char *text = NULL;

  if (self->note_timer == 0)
    return;
  g_clear_handle_id (&self->note_timer, g_source_remove);
  text = notes_text (self);
  queue_edit (self, self->trade_id, HS_INSPECT_EDIT_NOTE, text);
}

static gboolean
note_timer_cb (gpointer data)
{
  HsTradeInspector *self = data;
  g_autofree char *text = notes_text (self);

  self->note_timer = 0;
  queue_edit (self, self->trade_id, HS_INSPECT_EDIT_NOTE, text);
  return G_SOURCE_REMOVE;
}

static void
notes_changed_cb (GtkTextBuffer    *buffer,
                  HsTradeInspector *self)
{
  if (self->filling || self->trade_id == 0)
    return;
  g_clear_handle_id (&self->note_timer, g_source_remove);
  self->note_timer = g_timeout_add (NOTE_SAVE_DELAY_MS, note_timer_cb, self);
  gtk_label_set_text (self->save_label, _("Editing…"));
}

static void
add_tag (HsTradeInspector *self)
{
  g_autofree char *tag = g_strstrip (g_strdup (gtk_editable_get_text (
                                                 GTK_EDITABLE (self->tag_entry))));

  if (tag[0] == '\0' || self->trade_id == 0)
    return;
  queue_edit (self, self->trade_id, HS_INSPECT_EDIT_TAG_ADD, tag);
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
}

static void
tag_entry_activate_cb (GtkEntry         *entry,
                       HsTradeInspector *self)
{
  add_tag (self);
}

static void
add_tag_clicked_cb (GtkButton        *button,
                    HsTradeInspector *self)
{
  add_tag (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Showing a trade                                                                             */

static void
fill_header (HsTradeInspector    *self,
             const HsInspectData *d)
{
  const HsPaperTrade *t = d->trade;
  g_autofree char *qty = format_number (t->quantity, FMT_PRICE, 0);
  g_autofree char *px = format_number (t->entry_price, FMT_PRICE, 0);
  g_autofree char *when = format_time (t->entry_ts);
  /* Translators: the inspector's title: symbol, side (long/short), quantity, entry price */
  g_autofree char *title = g_strdup_printf (_("%s · %s %s @ %s"),
                                            t->symbol != NULL ? t->symbol : "?",
                                            hs_paper_side_to_string (t->side), qty, px);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, t->id);
  /* Translators: paper trade id, entry time, status */
  g_autofree char *subtitle = g_strdup_printf (_("Paper trade %s · entered %s · %s"), id, when,
                                               t->status);

  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->subtitle_label, subtitle);
  g_hash_table_replace (self->values, g_strdup ("title"), self->title_label);
}

static void
show_data (HsTradeInspector    *self,
           const HsInspectData *d)
{
  g_hash_table_remove_all (self->values);
  fill_header (self, d);
  fill_outcome (self, d);
  fill_replay (self, d);
  fill_reasoning (self, d);
  fill_context (self, d);
  fill_tags (self, d->trade->tags);
  self->filling = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            d->trade->notes != NULL ? d->trade->notes : "", -1);
  self->filling = FALSE;
  g_hash_table_replace (self->values, g_strdup ("notes"), self->notes_view);
  g_hash_table_replace (self->values, g_strdup ("save_status"), self->save_label);
  if (g_queue_is_empty (&self->edits) && !self->editing)
    {
      gtk_label_set_text (self->save_label, _("Tags and notes are saved as you type."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->save_label), "error");
    }
  gtk_stack_set_visible_child_name (self->stack, "trade");
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsInspectData) d = hs_inspect_job_load_finish (result, &error);
  HsTradeInspector *self;

  if (g_cancellable_is_cancelled (cancellable))
    return;   /* a newer trade was asked for, or the inspector went away */
  self = g_object_get_data (G_OBJECT (cancellable), "hs-inspector");
  g_clear_object (&self->load);
  if (d == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  show_data (self, d);
}

static void
reload (HsTradeInspector *self)
{
  g_autoptr(GCancellable) cancellable = NULL;

  if (self->load != NULL)
    g_cancellable_cancel (self->load);
  g_clear_object (&self->load);
  if (self->trade_id == 0 || self->db_path == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  cancellable = g_cancellable_new ();
  /* The callback finds the inspector through the cancellable, which dispose cancels. */
  g_object_set_data (G_OBJECT (cancellable), "hs-inspector", self);
  self->load = g_object_ref (cancellable);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "trade") != 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  hs_inspect_job_load_async (self->db_path, self->trade_id, cancellable, load_cb,
                             g_object_ref (cancellable));
}

static void
navigate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  int step = g_str_equal (action_name, "inspector.previous") ? -1 : 1;

  g_signal_emit (widget, signals[SIGNAL_NAVIGATE], 0, step);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                     */

static void
hs_trade_inspector_dispose (GObject *object)
{
  HsTradeInspector *self = HS_TRADE_INSPECTOR (object);

  /* Typing waiting to be saved is saved; edits already queued still run (each holds a
   * reference to the inspector until it is done). */
  flush_note (self);
  if (self->load != NULL)
    g_cancellable_cancel (self->load);
  g_clear_object (&self->load);
  self->disposed = TRUE;
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_TRADE_INSPECTOR);
  G_OBJECT_CLASS (hs_trade_inspector_parent_class)->dispose (object);
}

static void
hs_trade_inspector_finalize (GObject *object)
{
  HsTradeInspector *self = HS_TRADE_INSPECTOR (object);

  g_queue_clear_full (&self->edits, pending_edit_free);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->db_path, g_free);
  G_OBJECT_CLASS (hs_trade_inspector_parent_class)->finalize (object);
}

static void
hs_trade_inspector_class_init (HsTradeInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_trade_inspector_dispose;
  object_class->finalize = hs_trade_inspector_finalize;
  signals[SIGNAL_NAVIGATE] =
    g_signal_new ("navigate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_TRADE_CHANGED] =
    g_signal_new ("trade-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (HS_TYPE_CHART_WIDGET);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hindsight/Hindsight/"
                                               "hs-trade-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, error_page);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, title_label);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, outcome_box);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, label_error_label);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, replay_chart);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, reasoning_stack);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, no_reasoning_label);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, model_label);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, prompt_version_label);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, confidence_bar);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, confidence_label);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, bull_label);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, bear_label);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, decision_label);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, extra_label);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, raw_box);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, context_box);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, tags_box);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, add_tag_button);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, notes_view);
  gtk_widget_class_bind_template_child (widget_class, HsTradeInspector, save_label);

  gtk_widget_class_install_action (widget_class, "inspector.previous", NULL, navigate_action);
  gtk_widget_class_install_action (widget_class, "inspector.next", NULL, navigate_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK,
                                       "inspector.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK,
                                       "inspector.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketleft, GDK_CONTROL_MASK,
                                       "inspector.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketright, GDK_CONTROL_MASK,
                                       "inspector.next", NULL);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hs_trade_inspector_init (HsTradeInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->edits);
  hs_chart_widget_set_title (self->replay_chart, _("Replay"));
  g_signal_connect (gtk_text_view_get_buffer (self->notes_view), "changed",
                    G_CALLBACK (notes_changed_cb), self);
  g_signal_connect (self->tag_entry, "activate", G_CALLBACK (tag_entry_activate_cb), self);
  g_signal_connect (self->add_tag_button, "clicked", G_CALLBACK (add_tag_clicked_cb), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Trade inspector"), -1);
}

/* ------------------------------------------------------------------------------------------ */
/* Public                                                                                      */

GtkWidget *
hs_trade_inspector_new (void)
{
  return g_object_new (HS_TYPE_TRADE_INSPECTOR, NULL);
}

/**
 * hs_trade_inspector_set_database:
 * @db_path: (nullable): the database file; %NULL: none (the empty state)
 *
 * The database the trades are read from; the shown trade is read again from it.
 */
void
hs_trade_inspector_set_database (HsTradeInspector *self,
                                 const char       *db_path)
{
  g_return_if_fail (HS_IS_TRADE_INSPECTOR (self));

  if (g_strcmp0 (self->db_path, db_path) == 0)
    return;
  /* Typing is saved to the database it was typed against. */
  flush_note (self);
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  reload (self);
}

/**
 * hs_trade_inspector_show_trade:
 * @trade_id: a paper trade's id; 0: none
 *
 * Reads and shows that trade (on a worker; the previous read, if any, is dropped). A note
 * being typed for the previous trade is saved first.
 */
void
hs_trade_inspector_show_trade (HsTradeInspector *self,
                               gint64            trade_id)
{
  g_return_if_fail (HS_IS_TRADE_INSPECTOR (self));

  flush_note (self);
  self->trade_id = trade_id;
  reload (self);
}

gint64
hs_trade_inspector_get_trade_id (HsTradeInspector *self)
{
  g_return_val_if_fail (HS_IS_TRADE_INSPECTOR (self), 0);
  return self->trade_id;
}

/**
 * hs_trade_inspector_dup_text:
 * @key: what to read: "title", "entry_price", "pnl", "target_pnl_1h", "label_error",
 *   "ai.model", "ai.confidence_score", "ai.bull_case", "ai.prompt", "signals.5m.rsi",
 *   "signals.missing", "regime.spy.vix", "book.greeks.delta", "tags", "notes" …
 *
 * The text shown for @key as the user sees it (for tests and accessibility checks).
 *
 * Returns: (transfer full) (nullable): the text, or %NULL when nothing is shown under @key
 */
char *
hs_trade_inspector_dup_text (HsTradeInspector *self,
                             const char       *key)
{
  GtkWidget *w;

  g_return_val_if_fail (HS_IS_TRADE_INSPECTOR (self), NULL);

  if (g_str_equal (key, "tags"))
    return g_strdup (g_object_get_data (G_OBJECT (self->tags_box), "hs-tags"));
  w = g_hash_table_lookup (self->values, key);
  if (w == NULL)
    return NULL;
  if (GTK_IS_LABEL (w))
    return g_strdup (gtk_label_get_text (GTK_LABEL (w)));
  if (GTK_IS_TEXT_VIEW (w))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (w));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return NULL;
}

/**
 * hs_trade_inspector_get_busy:
 *
 * Whether a read or a save is under way or typing waits to be saved (tests wait for %FALSE).
 */
gboolean
hs_trade_inspector_get_busy (HsTradeInspector *self)
{
  g_return_val_if_fail (HS_IS_TRADE_INSPECTOR (self), FALSE);
  return self->load != NULL || self->editing || !g_queue_is_empty (&self->edits)
         || self->note_timer != 0;
}

/**
 * hs_trade_inspector_get_view:
 *
 * Returns: the visible state: "empty", "loading", "error" or "trade"
 */
const char *
hs_trade_inspector_get_view (HsTradeInspector *self)
{
  g_return_val_if_fail (HS_IS_TRADE_INSPECTOR (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/* Returns: the reasoning part's state: "log" or "none" (no reasoning log) */
const char *
hs_trade_inspector_get_reasoning_view (HsTradeInspector *self)
{
  g_return_val_if_fail (HS_IS_TRADE_INSPECTOR (self), NULL);
  return gtk_stack_get_visible_child_name (self->reasoning_stack);
}
