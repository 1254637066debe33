/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "hs-json-num.h"
#include "hs-provider.h"
#include "hs-time.h"

G_BEGIN_DECLS

/* What each provider file implements. build() writes the URL (the headers are added by
 * hs_provider_build_request()); parse() fills @page from the parsed body and may leave the rows
 * unsorted: hs_provider_parse() sorts them, numbers trades of one time and ends a page whose
 * cursor did not move. error_message() (nullable) finds the provider's own error report in a
 * body, or returns NULL. */
struct _HsProviderOps
{
  char     *(*build)         (const HsProvider      *provider,
                              const char            *base_url,
                              HsFetchKind            kind,
                              const HsProviderQuery *query,
                              GError               **error);
  gboolean  (*parse)         (const HsProvider      *provider,
                              HsFetchKind            kind,
                              const HsProviderQuery *query,
                              JsonNode              *root,
                              HsProviderPage        *page,
                              GError               **error);
  char     *(*error_message) (JsonNode              *root);
};

extern const HsProvider hs_provider_kalshi;
extern const HsProvider hs_provider_coinbase;
extern const HsProvider hs_provider_coinbase_advanced;
extern const HsProvider hs_provider_yahoo;
extern const HsProvider hs_provider_tradier;
extern const HsProvider hs_provider_kraken;

#define HS_US_PER_S G_GINT64_CONSTANT (1000000)

/* A URL under construction: the base, escaped path segments, escaped query parameters. */
typedef struct
{
  GString *s;
  gboolean has_query;
} HsUrl;

void        hs_url_init        (HsUrl      *url,
                                const char *base_url);
void        hs_url_path        (HsUrl      *url,
                                const char *literal);
void        hs_url_segment     (HsUrl      *url,
                                const char *value);
void        hs_url_param       (HsUrl      *url,
                                const char *key,
                                const char *value);
void        hs_url_param_int   (HsUrl      *url,
                                const char *key,
                                int64_t     value);
char       *hs_url_finish      (HsUrl      *url);
void        hs_url_clear       (HsUrl      *url);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsUrl, hs_url_clear)

/* The range of bar starts one candle request covers, and where the next one starts. */
typedef struct
{
  int64_t  from;      /* the query's whole range */
  int64_t  to;
  int64_t  start;     /* this request's first bar start … */
  int64_t  end;       /* … and last (inclusive) */
  gboolean last;      /* no request after this one */
} HsWindow;

const char *hs_provider_symbol     (const HsProvider      *provider,
                                    const HsProviderQuery *query,
                                    GError               **error);
const HsProviderInterval *hs_provider_interval (const HsProvider      *provider,
                                                const HsProviderQuery *query,
                                                GError               **error);
gboolean    hs_provider_window     (const HsProvider         *provider,
                                    const HsProviderInterval *iv,
                                    const HsProviderQuery    *query,
                                    HsWindow                 *window,
                                    GError                  **error);
const HsProviderInterval *hs_provider_candle_window (const HsProvider      *provider,
                                                     const HsProviderQuery *query,
                                                     HsWindow              *window,
                                                     GError               **error);
char       *hs_provider_window_cursor (const HsWindow *window);
int         hs_provider_limit      (const HsProvider      *provider,
                                    HsFetchKind            kind,
                                    const HsProviderQuery *query);
int         hs_provider_depth      (const HsProvider      *provider,
                                    const HsProviderQuery *query);
gboolean    hs_provider_need_now   (const HsProvider      *provider,
                                    const HsProviderQuery *query,
                                    const char            *what,
                                    GError               **error);
gboolean    hs_provider_cursor_int64 (const HsProviderQuery *query,
                                      int64_t               *out,
                                      GError               **error);

void        hs_provider_page_warn  (HsProviderPage *page,
                                    const char     *format,
                                    ...) G_GNUC_PRINTF (2, 3);
void        hs_provider_page_skip  (HsProviderPage *page,
                                    const char     *format,
                                    ...) G_GNUC_PRINTF (2, 3);
gboolean    hs_provider_fail       (GError        **error,
                                    int             code,
                                    const char     *format,
                                    ...) G_GNUC_PRINTF (3, 4);

gboolean    hs_provider_fail_at    (GError           **error,
                                    const HsJsonPath  *path,
                                    const char        *format,
                                    ...) G_GNUC_PRINTF (3, 4);
gboolean    hs_provider_levels     (JsonArray        *array,
                                    const HsJsonPath *path,
                                    GArray           *out,
                                    GError          **error);
gboolean    hs_provider_book       (HsProviderPage   *page,
                                    int64_t           ts,
                                    int64_t           sequence,
                                    GArray           *bids,
                                    GArray           *asks,
                                    int               depth,
                                    const HsJsonPath *path,
                                    GError          **error);
gboolean    hs_provider_check_bar  (const HsBar      *bar,
                                    const HsJsonPath *path,
                                    GError          **error);
gboolean    hs_provider_check_quote (const HsQuote    *quote,
                                     const HsJsonPath *path,
                                     GError          **error);
char       *hs_provider_json_text  (JsonNode         *node);
int64_t     hs_provider_day_start  (int64_t           ts,
                                    int64_t           utc_offset_s);

G_END_DECLS
