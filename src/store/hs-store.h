/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-records.h"

G_BEGIN_DECLS

#define HS_STORE_ERROR (hs_store_error_quark ())

/* SQLite failures keep sqlite3_errmsg() in the message; callers never see SQLite codes. */
typedef enum
{
  HS_STORE_ERROR_FAILED,       /* any other SQLite error */
  HS_STORE_ERROR_CANT_OPEN,    /* the file could not be opened or created */
  HS_STORE_ERROR_BUSY,         /* another connection held a lock past the busy timeout */
  HS_STORE_ERROR_CONSTRAINT,   /* a row broke a CHECK, UNIQUE or FOREIGN KEY rule */
  HS_STORE_ERROR_CORRUPT,      /* the file is damaged or not a database */
  HS_STORE_ERROR_READONLY,
  HS_STORE_ERROR_MIGRATION,    /* an applied migration's file changed, or one failed */
  HS_STORE_ERROR_TOO_NEW,      /* the database was written by a newer Hindsight */
  HS_STORE_ERROR_NOT_FOUND,    /* a named row does not exist */
} HsStoreError;

typedef enum
{
  HS_STORE_OPEN_DEFAULT = 0,        /* create if missing, migrate to the latest schema */
  HS_STORE_OPEN_NO_MIGRATE = 1 << 0,/* open only; the schema must already be current */
  HS_STORE_OPEN_READ_ONLY = 1 << 1, /* never write: for inspection of a file as it is */
  HS_STORE_OPEN_EXISTING = 1 << 2,  /* never create the file: a missing one is an error */
} HsStoreOpenFlags;

typedef struct _HsStore HsStore;

/* The kinds of stored market data whose series carry a version (data_versions.kind). A series
 * is the kind with an instrument and, for bars, an interval; or, for rates and calendars, the
 * rate series' or the market's name. */
typedef enum
{
  HS_DATA_CANDLES,      /* candles of an instrument and interval */
  HS_DATA_TRADES,       /* trades of an instrument */
  HS_DATA_QUOTES,       /* quotes of an instrument */
  HS_DATA_ORDERBOOK,    /* orderbook_snapshots of an instrument */
  HS_DATA_SNAPSHOTS,    /* market_snapshots of an instrument */
  HS_DATA_QUOTE_BARS,   /* quote_bars of an instrument and interval */
  HS_DATA_FACTORS,      /* price_factors of an instrument */
  HS_DATA_CALENDAR,     /* market_calendar of a market (series) */
  HS_DATA_RATES,        /* rates of a series */
} HsDataKind;

GQuark    hs_store_error_quark   (void);

HsStore  *hs_store_open          (const char       *path,
                                  HsStoreOpenFlags  flags,
                                  GError          **error);
void      hs_store_close         (HsStore          *store);
const char *hs_store_get_path    (HsStore          *store);

gboolean  hs_store_begin         (HsStore          *store,
                                  GError          **error);
gboolean  hs_store_begin_read    (HsStore          *store,
                                  GError          **error);
gboolean  hs_store_commit        (HsStore          *store,
                                  GError          **error);
void      hs_store_rollback      (HsStore          *store);

/* Data versions (migrations/008) */
const char *hs_data_kind_to_string (HsDataKind      kind);
gboolean  hs_store_data_version  (HsStore          *store,
                                  HsDataKind        kind,
                                  int64_t           instrument_id,
                                  const char       *series,
                                  const char       *interval,
                                  int64_t          *version,
                                  GError          **error);

/* Migrations (hs-migrate.c) */
typedef struct
{
  int   version;
  char *name;       /* file name, e.g. 001_market_data.sql */
  char *checksum;   /* SHA-256 of the file, hex */
  int64_t applied_at;  /* 0 when not applied */
} HsMigrationInfo;

gboolean  hs_store_migrate       (HsStore          *store,
                                  int              *n_applied,
                                  GError          **error);
gboolean  hs_store_migrate_to    (HsStore          *store,
                                  int               target,
                                  int              *n_applied,
                                  GError          **error);
GPtrArray *hs_store_list_migrations (HsStore       *store,
                                     GError       **error);
void      hs_migration_info_free (HsMigrationInfo  *info);
int       hs_migrations_latest_version (void);

/* Maintenance */
gboolean  hs_store_check         (HsStore          *store,
                                  GPtrArray       **problems,
                                  GError          **error);
gboolean  hs_store_backup        (HsStore          *store,
                                  const char       *dest_path,
                                  GError          **error);
gboolean  hs_store_restore_from  (HsStore          *store,
                                  HsStore          *source,
                                  GError          **error);
GPtrArray *hs_store_list_tables  (HsStore          *store,
                                  GError          **error);
char      *hs_store_dump         (HsStore          *store,
                                  GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsStore, hs_store_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsMigrationInfo, hs_migration_info_free)

G_END_DECLS
