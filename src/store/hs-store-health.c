/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Provider health in the store (tables system_metrics and alerts, migrations/005): a snapshot
 * of a provider's request statistics (hs-provider-stats.h, taken by the HTTP client) becomes a
 * handful of system_metrics rows under component fetch.<provider>; a provider whose calls keep
 * failing raises one provider_error alert per failure streak; `hindsight-cli health` reads the
 * latest figures and the open alerts back. About one snapshot per provider and minute.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-health.h"
#include "hs-store-fetch.h"
#include "hs-store-private.h"
#include "hs-time.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

typedef enum
{
  FIELD_INT64,
  FIELD_INT,
  FIELD_DOUBLE,
  FIELD_INTERVAL,   /* ts − interval_start, in seconds */
} FieldType;

/* The metrics of a snapshot: system_metrics.name, unit, and the field it comes from. */
static const struct
{
  const char *name;
  const char *unit;
  FieldType   type;
  size_t      offset;
} metrics[] = {
  { "requests", NULL, FIELD_INT64, offsetof (HsProviderStats, requests) },
  { "successes", NULL, FIELD_INT64, offsetof (HsProviderStats, successes) },
  { "errors", NULL, FIELD_INT64, offsetof (HsProviderStats, errors) },
  { "http_429", NULL, FIELD_INT64, offsetof (HsProviderStats, http_429) },
  { "retries", NULL, FIELD_INT64, offsetof (HsProviderStats, retries) },
  { "bytes", "bytes", FIELD_INT64, offsetof (HsProviderStats, bytes) },
  { "rows_per_second", "1/s", FIELD_DOUBLE, offsetof (HsProviderStats, rows_per_second) },
  { "latency_p50_ms", "ms", FIELD_DOUBLE, offsetof (HsProviderStats, latency_p50_ms) },
  { "latency_p95_ms", "ms", FIELD_DOUBLE, offsetof (HsProviderStats, latency_p95_ms) },
  { "latency_p99_ms", "ms", FIELD_DOUBLE, offsetof (HsProviderStats, latency_p99_ms) },
  { "latency_samples", NULL, FIELD_INT64, offsetof (HsProviderStats, latency_samples) },
  { "consecutive_failures", NULL, FIELD_INT, offsetof (HsProviderStats, consecutive_failures) },
  { "interval_s", "s", FIELD_INTERVAL, 0 },
};

/* The value of metric @i in @s; NAN when the snapshot has none. */
static double
metric_value (const HsProviderStats *s,
              size_t                 i)
{
  const char *base = (const char *) s + metrics[i].offset;

  switch (metrics[i].type)
    {
    case FIELD_INT64:
      return (double) *(const int64_t *) base;
    case FIELD_INT:
      return *(const int *) base;
    case FIELD_DOUBLE:
      return *(const double *) base;
    case FIELD_INTERVAL:
    default:
      return s->interval_start > 0 ? (double) (s->ts - s->interval_start) / 1e6 : NAN;
    }
}

static void
set_metric (HsProviderStats *s,
            size_t           i,
            double           v)
{
  char *base = (char *) s + metrics[i].offset;

  switch (metrics[i].type)
    {
    case FIELD_INT64:
      *(int64_t *) base = (int64_t) llround (v);
      break;
    case FIELD_INT:
      *(int *) base = (int) lround (v);
      break;
    case FIELD_DOUBLE:
      *(double *) base = v;
      break;
    case FIELD_INTERVAL:
    default:
      break;   /* relative to ts: the reader sets it once ts is known */
    }
}

static gboolean
insert_metrics (HsStore               *store,
                const HsProviderStats *stats,
                const char            *component,
                GError               **error)
{
  HsMetric rows[G_N_ELEMENTS (metrics)];
  size_t n = 0;

  for (size_t i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      double v = metric_value (stats, i);

      if (!isnan (v))
        rows[n++] = (HsMetric) { metrics[i].name, v, metrics[i].unit };
    }
  return hs_store_write_metrics (store, stats->ts, component, rows, n, error);
}

/* One provider_error alert per failure streak: the streak's start is in the dedupe key, so
 * every later snapshot of the same streak finds the alert there and adds nothing. */
static gboolean
raise_alert (HsStore               *store,
             const HsProviderStats *stats,
             const char            *component,
             gboolean              *raised,
             GError               **error)
{
  int64_t started = stats->streak_started != 0 ? stats->streak_started : stats->ts;
  g_autofree char *key = g_strdup_printf ("provider_error:%s:%" G_GINT64_FORMAT, component,
                                          started);
  g_autofree char *title = g_strdup_printf ("%s: %d requests failed in a row", stats->provider,
                                            stats->consecutive_failures);
  g_autofree char *since = hs_time_format_iso (started);
  g_autoptr(HsAlert) alert = hs_alert_new ();
  g_autoptr(HsStmt) stmt = NULL;
  int rc;

  /* The title column holds 1 to 200 characters. */
  if (g_utf8_strlen (title, -1) > 200)
    {
      char *cut = g_utf8_substring (title, 0, 200);

      g_free (title);
      title = cut;
    }
  /* The payload as SQLite's JSON writes it (the last error may hold any text). */
  stmt = hs_store_prepare (store, "SELECT json_object('provider', ?1, 'consecutive_failures', "
                                  "?2, 'streak_started', ?3, 'last_error', ?4)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, stats->provider, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, stats->consecutive_failures);
  sqlite3_bind_text (stmt, 3, since, -1, SQLITE_STATIC);
  hs_bind_text_or_null (stmt, 4, stats->last_error);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return hs_store_set_error (store, rc, error, "raising a provider alert");
  alert->payload = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  alert->ts = stats->ts;
  alert->kind = g_strdup ("provider_error");
  g_free (alert->severity);
  alert->severity = g_strdup ("error");
  alert->title = g_steal_pointer (&title);
  alert->message = g_strdup (stats->last_error);
  alert->source = g_strdup (component);
  alert->dedupe_key = g_steal_pointer (&key);
  return hs_store_add_alert (store, alert, raised, error);
}

/**
 * hs_store_write_provider_stats:
 * @stats: a snapshot (hs_http_provider_snapshot()); stats->ts is the rows' time
 * @alert_after: failed calls in a row that raise an alert; 0 or less for
 *   %HS_PROVIDER_ALERT_THRESHOLD (3)
 * @alert_raised: (out) (optional): whether this call raised a new alert
 *
 * Writes the snapshot's figures to system_metrics under component "fetch.<provider>", labels
 * '{}': requests, successes, errors, http_429, retries, bytes, latency_samples,
 * consecutive_failures, interval_s (when the interval's start is known), and rows_per_second
 * and latency_p50_ms / _p95_ms / _p99_ms when they are not NAN. Rows already stored for the
 * same time are kept. When the provider has failed @alert_after calls in a row, raises a
 * provider_error alert (severity error; the message is the last error) unless this failure
 * streak raised one already. All in one transaction (the caller's, if one is open).
 */
gboolean
hs_store_write_provider_stats (HsStore               *store,
                               const HsProviderStats *stats,
                               int                    alert_after,
                               gboolean              *alert_raised,
                               GError               **error)
{
  g_autofree char *component = NULL;
  gboolean own = FALSE, raised = FALSE, ok;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (stats != NULL && stats->provider != NULL, FALSE);
  component = g_strconcat ("fetch.", stats->provider, NULL);
  if (alert_after <= 0)
    alert_after = HS_PROVIDER_ALERT_THRESHOLD;
  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  ok = insert_metrics (store, stats, component, error)
       && (stats->consecutive_failures < alert_after
           || raise_alert (store, stats, component, &raised, error));
  if (!hs_store_write_end (store, own, ok, error))
    return FALSE;
  if (alert_raised != NULL)
    *alert_raised = raised;
  return TRUE;
}

/**
 * hs_store_latest_provider_stats:
 *
 * The latest value of each metric of each fetch.* component (labels '{}'), as one snapshot per
 * provider: ts is the newest of its rows; a metric never written reads 0 (counts) or NAN
 * (rates, latencies); last_error is %NULL (it lives in the alert).
 *
 * Returns: (transfer full) (element-type HsProviderStats): by provider name
 */
GPtrArray *
hs_store_latest_provider_stats (HsStore *store,
                                GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             hs_provider_stats_free);
  g_autoptr(GArray) intervals = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr(HsStmt) stmt = NULL;
  HsProviderStats *cur = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  /* [fetch., fetch/) is every component starting with "fetch." ('/' follows '.'), a range of
   * the (component, name, ts, labels) index. */
  stmt = hs_store_prepare (store, "SELECT component, name, value, max(ts) FROM system_metrics "
                                  "WHERE component >= 'fetch.' AND component < 'fetch/' "
                                  "AND labels = '{}' GROUP BY component, name "
                                  "ORDER BY component", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *provider = (const char *) sqlite3_column_text (stmt, 0) + strlen ("fetch.");
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      double value = sqlite3_column_double (stmt, 2);
      int64_t ts = sqlite3_column_int64 (stmt, 3);

      if (cur == NULL || !g_str_equal (cur->provider, provider))
        {
          double none = NAN;

          cur = hs_provider_stats_new (provider);
          g_ptr_array_add (out, cur);
          g_array_append_val (intervals, none);
        }
      cur->ts = MAX (cur->ts, ts);
      for (size_t i = 0; i < G_N_ELEMENTS (metrics); i++)
        if (g_str_equal (name, metrics[i].name))
          {
            set_metric (cur, i, value);
            if (metrics[i].type == FIELD_INTERVAL)
              g_array_index (intervals, double, out->len - 1) = value;
          }
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading provider metrics");
      return NULL;
    }
  /* The interval is relative to ts, known only once every row of the provider was read. */
  for (guint k = 0; k < out->len; k++)
    {
      HsProviderStats *s = g_ptr_array_index (out, k);
      double interval = g_array_index (intervals, double, k);

      if (!isnan (interval))
        s->interval_start = s->ts - (int64_t) llround (interval * 1e6);
    }
  return g_steal_pointer (&out);
}

/**
 * hs_store_open_alerts:
 *
 * Returns: (transfer full) (element-type HsAlert): the alerts not acknowledged yet, newest
 *   first
 */
GPtrArray *
hs_store_open_alerts (HsStore *store,
                      GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_alert_free);
  g_autoptr(HsStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  stmt = hs_store_prepare (store, "SELECT id, ts, kind, severity, title, message, source, "
                                  "dedupe_key FROM alerts WHERE acknowledged = 0 "
                                  "ORDER BY ts DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsAlert *a = hs_alert_new ();

      a->id = sqlite3_column_int64 (stmt, 0);
      a->ts = sqlite3_column_int64 (stmt, 1);
      a->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_free (a->severity);   /* hs_alert_new()'s default */
      a->severity = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      a->title = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      a->message = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      a->source = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      a->dedupe_key = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      g_ptr_array_add (out, a);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading alerts");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/**
 * hs_store_ack_alert:
 * @now: the acknowledgement's time, µs UTC
 * @was_open: (out) (optional): %FALSE when the alert had been acknowledged before (it keeps its
 *   first acknowledgement time)
 *
 * Returns: %FALSE with HS_STORE_ERROR_NOT_FOUND when there is no alert @id
 */
gboolean
hs_store_ack_alert (HsStore  *store,
                    int64_t   id,
                    int64_t   now,
                    gboolean *was_open,
                    GError  **error)
{
  gboolean changed;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  {
    g_autoptr(HsStmt) stmt = hs_store_prepare (store, "UPDATE alerts SET acknowledged = 1, "
                                                      "acknowledged_at = ? WHERE id = ? AND "
                                                      "acknowledged = 0", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, now);
    sqlite3_bind_int64 (stmt, 2, id);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      return hs_store_set_error (store, rc, error, "acknowledging an alert");
    changed = sqlite3_changes (hs_store_get_db (store)) > 0;
  }
  if (!changed)
    {
      g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT 1 FROM alerts WHERE id = ?",
                                                 error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                       "no alert %" G_GINT64_FORMAT, id);
          return FALSE;
        }
      if (rc != SQLITE_ROW)
        return hs_store_set_error (store, rc, error, "reading an alert");
    }
  if (was_open != NULL)
    *was_open = changed;
  return TRUE;
}
