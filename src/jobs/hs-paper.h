/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-paper-trade.h"
#include "hs-store-paper.h"
#include "hs-store.h"

G_BEGIN_DECLS

#define HS_PAPER_ERROR (hs_paper_error_quark ())

typedef enum
{
  HS_PAPER_ERROR_INVALID,     /* a request breaks a rule (bad level, exit before entry …) */
  HS_PAPER_ERROR_NOT_FOUND,   /* no such trade, symbol or signal */
  HS_PAPER_ERROR_STATE,       /* the trade is not open (closing a closed trade) */
  HS_PAPER_ERROR_NO_PRICE,    /* no price given and none stored at that time */
} HsPaperErrorCode;

typedef struct
{
  char        *symbol;
  char        *exchange;          /* (nullable) when the symbol alone tells the instrument */
  HsPaperSide  side;
  double       quantity;
  double       price;             /* NAN: the last stored price at @at */
  int64_t      at;                /* HS_PAPER_NO_TS: now */
  double       stop_loss;         /* NAN: none */
  double       take_profit;       /* NAN: none */
  double       fees;              /* entry fees, >= 0 */
  int64_t      signal_id;         /* 0: none */
  char       **tags;              /* (nullable) */
  char        *notes;             /* (nullable) */
  char        *ai_reasoning_log;  /* (nullable) JSON text, validated here */
} HsPaperOpenRequest;

typedef struct
{
  int64_t lines;       /* JSON lines read */
  int64_t inserted;    /* new trades */
  int64_t updated;     /* trades a line changed (an exit added, fields updated) */
  int64_t unchanged;   /* lines that matched a stored trade exactly */
  int64_t closed;      /* trades closed by their stop or target on the stored bars */
} HsPaperImportResult;

GQuark        hs_paper_error_quark   (void);

HsPaperTrade *hs_paper_open          (HsStore                  *store,
                                      const HsPaperOpenRequest *req,
                                      HsPricePoint             *price_source,
                                      GError                  **error);
HsPaperTrade *hs_paper_close         (HsStore      *store,
                                      int64_t       id,
                                      double        price,
                                      int64_t       at,
                                      double        fees,
                                      const char   *reason,
                                      HsPricePoint *price_source,
                                      GError      **error);
gboolean      hs_paper_tag           (HsStore      *store,
                                      int64_t       id,
                                      const char   *tag,
                                      gboolean      add,
                                      gboolean     *changed,
                                      GError      **error);
gboolean      hs_paper_note          (HsStore      *store,
                                      int64_t       id,
                                      const char   *text,
                                      GError      **error);
gboolean      hs_paper_import        (HsStore             *store,
                                      const char          *path,
                                      HsPaperImportResult *result,
                                      GError             **error);
gboolean      hs_paper_check_exits   (HsStore      *store,
                                      int64_t       instrument_id,
                                      GPtrArray   **closed,
                                      GError      **error);

G_END_DECLS
