/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* The plain records importers and providers produce and the store writes. Times are
 * microseconds since the Unix epoch, UTC; a NAN double means "not given". */

#define HS_RECORD_ERROR (hs_record_error_quark ())

typedef enum
{
  HS_RECORD_ERROR_NUMBER,    /* a field is not a number */
  HS_RECORD_ERROR_RANGE,     /* a value breaks a rule (negative volume, high < low …) */
  HS_RECORD_ERROR_MISSING,   /* a required value is absent */
} HsRecordError;

typedef struct
{
  int64_t ts;          /* bar start */
  int64_t seq;         /* 0, or the ordinal among "tick" rows with the same ts */
  double  open, high, low, close, volume;
  double  vwap;        /* NAN if unknown */
  int64_t trade_count; /* -1 if unknown */
} HsBar;

typedef enum
{
  HS_SIDE_SELL = -1,   /* the seller was the aggressor (taker) */
  HS_SIDE_UNKNOWN = 0,
  HS_SIDE_BUY = 1,     /* the buyer was the aggressor (taker) */
} HsSide;

typedef struct
{
  int64_t ts;
  int64_t seq;         /* ordinal among trades with the same ts */
  char   *trade_id;    /* (nullable) provider id, kept as text: some exceed 2^53 */
  double  price;
  double  size;
  HsSide  side;
  double  cvd;         /* cumulative volume delta after this trade */
} HsTrade;

typedef struct
{
  int64_t ts;
  double  bid, ask;
  double  bid_size, ask_size;   /* NAN if unknown */
} HsQuote;

typedef struct
{
  double price;
  double size;
} HsLevel;

typedef struct
{
  int64_t  ts;
  int64_t  sequence;       /* -1 if unknown */
  double   best_bid, best_ask, spread, spread_pct;   /* NAN when a side is empty */
  double   bid_volume, ask_volume;                   /* over the top @depth levels */
  int      depth;
  double   imbalance;      /* percent, -100 … 100; NAN when both sides are empty */
  char    *bids_json;      /* (owned) levels as [[price,size],…], best first */
  char    *asks_json;      /* (owned) */
} HsBookSnapshot;

typedef enum
{
  HS_SNAPSHOT_POLL,
  HS_SNAPSHOT_WEBSOCKET,
  HS_SNAPSHOT_BACKFILL,
} HsSnapshotSource;

typedef struct
{
  char            *ticker;        /* (owned) */
  int64_t          ts;
  HsSnapshotSource source;
  int64_t          sequence;      /* -1 if unknown */
  double           yes_bid, yes_ask, no_bid, no_ask, last_price;  /* dollars, NAN if absent */
  double           volume, open_interest;                         /* NAN if absent */
  char            *status;        /* (owned) (nullable) */
  char            *raw_json;      /* (owned) the line as received */
} HsMarketSnapshot;

/* An option contract's right. */
typedef enum
{
  HS_OPTION_CALL,
  HS_OPTION_PUT,
} HsOptionRight;

/* An option contract as instruments holds it (kind 'option'). */
typedef struct
{
  char         *symbol;          /* (owned) the contract, OCC style: SPY251219P00450000 */
  char         *underlying;      /* (owned) the underlying's symbol: SPY */
  int64_t       expiry;          /* the expiration date at 00:00 UTC, µs */
  double        strike;
  HsOptionRight right;
} HsOptionContract;

/* An option_quotes row; NAN (doubles) or -1 (integers) where the column is NULL. */
typedef struct
{
  int64_t ts;
  double  bid, ask, last;
  int64_t volume, open_interest;
  double  iv;                        /* fraction: 0.32 = 32 % */
  double  delta, gamma, theta, vega, rho;
  double  underlying_price;
} HsOptionQuote;

GQuark      hs_record_error_quark     (void);

gboolean    hs_parse_double           (const char  *text,
                                       double      *out);
gboolean    hs_parse_int64            (const char  *text,
                                       int64_t     *out);
void        hs_format_double          (double       v,
                                       char         buf[32]);
void        hs_format_double_computed (double       v,
                                       char         buf[32]);

gboolean    hs_bar_check              (const HsBar *bar,
                                       GError     **error);
gboolean    hs_quote_check            (const HsQuote *quote,
                                       GError     **error);
gboolean    hs_book_compute           (HsBookSnapshot *book,
                                       const HsLevel  *bids,
                                       size_t          n_bids,
                                       const HsLevel  *asks,
                                       size_t          n_asks,
                                       int             depth,
                                       GError        **error);
void        hs_book_snapshot_clear    (HsBookSnapshot *book);
void        hs_market_snapshot_clear  (HsMarketSnapshot *snap);
const char *hs_snapshot_source_to_string (HsSnapshotSource source);
gboolean    hs_snapshot_source_from_string (const char       *text,
                                            HsSnapshotSource *out);
const char *hs_side_to_string         (HsSide side);
gboolean    hs_side_from_string       (const char *text,
                                       HsSide     *out);

const char *hs_option_right_to_string (HsOptionRight right);
gboolean    hs_occ_symbol_parse       (const char       *symbol,
                                       HsOptionContract *contract,
                                       GError          **error);
void        hs_option_contract_clear  (HsOptionContract *contract);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsOptionContract, hs_option_contract_clear)
gboolean    hs_option_quote_check     (const HsOptionQuote *quote,
                                       GError             **error);

G_END_DECLS
