/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A local WebSocket server for the stream tests: it listens on 127.0.0.1 (a free port), runs
 * on its own thread and main context, and plays one script per connection, in the order the
 * connections arrive. A script is text, one step per line ('#' starts a comment):
 *
 *   expect TEXT           wait for a client message (after the last one matched) holding TEXT
 *   send FILE [M=JSON…]   send the JSON fixture $HS_TEST_DATA/fixtures/FILE: as it is, or
 *                         with top-level members M replaced by the JSON values given (written
 *                         without spaces), compacted
 *   raw TEXT              send TEXT as it is (one frame)
 *   close                 close the connection (code 1000)
 *
 * After the last step the connection stays open. Connections beyond the scripts get none.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HsTestWsServer HsTestWsServer;

HsTestWsServer *hs_test_ws_server_new         (const char *const *scripts);
HsTestWsServer *hs_test_ws_server_new_files   (const char        *first_script_file,
                                               ...) G_GNUC_NULL_TERMINATED;
void            hs_test_ws_server_free        (HsTestWsServer    *server);
const char     *hs_test_ws_server_get_url     (HsTestWsServer    *server);
int             hs_test_ws_server_n_connections (HsTestWsServer  *server);
void            hs_test_ws_server_wait_connections (HsTestWsServer *server,
                                                    int             n);
void            hs_test_ws_server_wait_script_done (HsTestWsServer *server,
                                                    int             connection);
GPtrArray      *hs_test_ws_server_dup_received (HsTestWsServer   *server,
                                                int               connection);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTestWsServer, hs_test_ws_server_free)

G_END_DECLS
