/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `backtest list|show|trades|equity|delete …`: argv[0] is "backtest", argv[1] the subcommand.
 * The `backtest` command hands these five words here (hs_cli_backtest_is_stored()). */
int      hs_cli_backtest_stored      (int          argc,
                                      char       **argv);
gboolean hs_cli_backtest_is_stored   (const char  *subcommand);

/* `import lean-result FILE …`: argv[0] is "import", argv[1] "lean-result". */
int      hs_cli_import_lean_result   (int          argc,
                                      char       **argv);

G_END_DECLS
