/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hs-store.h"

G_BEGIN_DECLS

/* Exit statuses of hindsight-cli (documented in the README). */
enum
{
  HS_EXIT_OK = 0,
  HS_EXIT_FAILURE = 1,     /* a runtime failure: database, file system, not found */
  HS_EXIT_BAD_INPUT = 2,   /* a refused input file or a usage error */
};

typedef struct
{
  const char *name;
  const char *summary;
  int (*run) (int argc, char **argv);
} HsCliCommand;

char     *hs_cli_db_path          (const char *option);
HsStore  *hs_cli_open_store       (const char *option,
                                   GError    **error);
gboolean  hs_cli_parse            (GOptionContext *context,
                                   int            *argc,
                                   char         ***argv,
                                   int            *status);
int       hs_cli_fail             (GError     *error);
void      hs_cli_json_string      (GString    *out,
                                   const char *s);
void      hs_cli_json_number      (GString    *out,
                                   double      v);
void      hs_cli_json_computed    (GString    *out,
                                   double      v);
void      hs_cli_json_text        (GString    *out,
                                   const char *s);
int       hs_cli_usage_error      (const char *format,
                                   ...) G_GNUC_PRINTF (1, 2);
void      hs_cli_print_expr_error (const char   *text,
                                   size_t        offset,
                                   const GError *error);
void      hs_cli_progress_cb      (double        fraction,
                                   const char   *message,
                                   gpointer      what);

extern char *hs_cli_db_option;
extern const GOptionEntry hs_cli_common_entries[];

int hs_cli_import       (int argc, char **argv);
int hs_cli_instruments  (int argc, char **argv);
int hs_cli_bars         (int argc, char **argv);
int hs_cli_db           (int argc, char **argv);
int hs_cli_indicator    (int argc, char **argv);
int hs_cli_expr         (int argc, char **argv);
int hs_cli_metrics      (int argc, char **argv);
int hs_cli_import_rates (int argc, char **argv);
int hs_cli_strategies   (int argc, char **argv);
int hs_cli_backtest     (int argc, char **argv);
int hs_cli_sweep        (int argc, char **argv);
int hs_cli_walkforward  (int argc, char **argv);
int hs_cli_import_ledger (int argc, char **argv);
int hs_cli_ledger       (int argc, char **argv);
int hs_cli_replay       (int argc, char **argv);
int hs_cli_paper        (int argc, char **argv);
int hs_cli_sectors      (int argc, char **argv);
int hs_cli_context      (int argc, char **argv);
int hs_cli_label        (int argc, char **argv);
int hs_cli_query        (int argc, char **argv);
int hs_cli_export       (int argc, char **argv);
int hs_cli_gaps         (int argc, char **argv);
int hs_cli_retention    (int argc, char **argv);
int hs_cli_health       (int argc, char **argv);
int hs_cli_alerts       (int argc, char **argv);
int hs_cli_stream       (int argc, char **argv);
int hs_cli_fetch        (int argc, char **argv);
int hs_cli_providers    (int argc, char **argv);
int hs_cli_keys         (int argc, char **argv);
int hs_cli_watch        (int argc, char **argv);
int hs_cli_poll         (int argc, char **argv);
int hs_cli_backfill     (int argc, char **argv);

G_END_DECLS
