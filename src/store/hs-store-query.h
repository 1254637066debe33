/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-store.h"

G_BEGIN_DECLS

/* Training queries (docs/queries.md): a filter in the expression language of hs-expr.h, columns
 * to select or aggregates over groups, compiled to one read-only SQL statement over paper_trades
 * (or backtest_trades) whose every literal is a bound parameter. */

#define HS_QUERY_ERROR (hs_query_error_quark ())

/* Every message starts with "column N: " (N 1-based, in characters of the text that failed). A
 * filter that does not parse is an %HS_EXPR_ERROR from the parser instead. */
typedef enum
{
  HS_QUERY_ERROR_UNKNOWN,   /* an unknown field or function, or a field the source lacks */
  HS_QUERY_ERROR_TYPE,      /* values that do not go together: a text in arithmetic, … */
  HS_QUERY_ERROR_DEPTH,     /* nested deeper than SQLite's parser reads */
  HS_QUERY_ERROR_USAGE,     /* a bad aggregate, an empty select, too many literals */
} HsQueryError;

/* Which table a query reads. */
typedef enum
{
  HS_QUERY_PAPER_TRADES,      /* paper_trades: the time capsule, with context and labels */
  HS_QUERY_BACKTEST_TRADES,   /* backtest_trades: no context; run, MFE/MAE, bars held, labels */
  HS_QUERY_SIGNALS,           /* signals: the ledger's signals, their filters and outcome */
} HsQuerySource;

/* What a result column holds, which says how to print it. */
typedef enum
{
  HS_QUERY_TYPE_NUMBER,   /* a number (comparisons and logic give 1, 0 or null) */
  HS_QUERY_TYPE_TEXT,
  HS_QUERY_TYPE_TIME,     /* an integer, microseconds UTC: print ISO-8601 */
  HS_QUERY_TYPE_LIST,     /* a JSON array as text (tags, missing) */
  HS_QUERY_TYPE_ANY,      /* a JSON value whose type the schema leaves open */
} HsQueryType;

/* One value of a result row. */
typedef enum
{
  HS_QUERY_CELL_NULL,
  HS_QUERY_CELL_INTEGER,
  HS_QUERY_CELL_REAL,
  HS_QUERY_CELL_TEXT,
} HsQueryCellKind;

typedef struct
{
  HsQueryCellKind kind;
  int64_t         integer;   /* INTEGER */
  double          real;      /* REAL, and INTEGER as a double */
  const char     *text;      /* TEXT (transfer none: valid during the callback only) */
} HsQueryCell;

typedef struct
{
  HsQuerySource      source;
  const char        *filter;     /* (nullable) an expression; NULL or blank: every trade */
  const char *const *select;     /* (nullable) NULL-terminated expressions; NULL: the defaults */
  const char *const *aggregates; /* (nullable) NULL-terminated "count", "avg:EXPR", "median:…",
                                  * "min:…", "max:…", "count:EXPR"; replaces the select */
  const char        *group_by;   /* (nullable) an expression; needs aggregates */
  int64_t            limit;      /* at most this many rows; 0 = all */
} HsQueryRequest;

typedef struct _HsQuery HsQuery;

/* Return FALSE (with @error set) to stop; hs_store_query_run() then returns FALSE with it. */
typedef gboolean (*HsQueryRowFunc) (const HsQueryCell *cells,
                                    size_t             n_cells,
                                    gpointer           user_data,
                                    GError           **error);

GQuark       hs_query_error_quark       (void);

HsQuery     *hs_query_compile           (const HsQueryRequest *request,
                                         const char          **error_text,
                                         size_t               *error_offset,
                                         GError              **error);
void         hs_query_free              (HsQuery              *query);

size_t       hs_query_get_n_columns     (const HsQuery        *query);
const char  *hs_query_get_column_name   (const HsQuery        *query,
                                         size_t                i);
HsQueryType  hs_query_get_column_type   (const HsQuery        *query,
                                         size_t                i);
const char  *hs_query_get_sql           (const HsQuery        *query);
size_t       hs_query_get_n_params      (const HsQuery        *query);
char        *hs_query_describe_param    (const HsQuery        *query,
                                         size_t                i);

gboolean     hs_store_query_run         (HsStore              *store,
                                         const HsQuery        *query,
                                         HsQueryRowFunc        func,
                                         gpointer              user_data,
                                         GCancellable         *cancellable,
                                         GError              **error);
char        *hs_store_query_explain     (HsStore              *store,
                                         const HsQuery        *query,
                                         GError              **error);

const char  *hs_query_type_to_string    (HsQueryType           type);
char        *hs_query_field_list        (HsQuerySource         source);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsQuery, hs_query_free)

G_END_DECLS
