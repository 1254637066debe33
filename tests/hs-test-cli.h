/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running hindsight-cli ($HS_CLI) from the CLI tests, as a user does: a subprocess on a
 * database file, its exit status and both outputs captured.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  int   status;   /* exit status */
  char *out;      /* standard output ("" when empty) */
  char *err;      /* standard error ("" when empty) */
} HsTestRun;

void        hs_test_run_clear  (HsTestRun  *r);
/* Runs `hindsight-cli --db DB ARGS…` (NULL-terminated); asserts it could be started. */
void        hs_test_cli        (HsTestRun  *r,
                                const char *db,
                                ...) G_GNUC_NULL_TERMINATED;
/* Removes a test's temporary folder and the files in it (not recursive). */
void        hs_test_remove_dir (const char *dir);
/* The root of a JSON text (asserting it parses); free with json_node_unref(). */
JsonNode   *hs_test_parse_json (const char *text);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsTestRun, hs_test_run_clear)

G_END_DECLS
