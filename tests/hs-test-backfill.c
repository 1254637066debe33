/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The three-window backfill the local server answers (hs-test-backfill.h).
 */
#include "config.h"

#include "hs-test-backfill.h"

const char *const hs_test_backfill_targets[3] = {
  "/products/BTC-USDT/candles?granularity=60&start=2024-03-13T00%3A00%3A00Z&"
  "end=2024-03-13T04%3A59%3A59Z",
  "/products/BTC-USDT/candles?granularity=60&start=2024-03-13T05%3A00%3A00Z&"
  "end=2024-03-13T09%3A59%3A59Z",
  "/products/BTC-USDT/candles?granularity=60&start=2024-03-13T10%3A00%3A00Z&"
  "end=2024-03-13T12%3A00%3A00Z",
};

const char *const hs_test_backfill_bodies[3] = {
  "[[1710305940,100,102,101,101.5,2],[1710288000,99,101,100,100.5,1]]",
  "[[1710323940,104,106,105,105.5,4],[1710306000,102,104,103,103.5,3]]",
  "[[1710331200,108,110,109,109.5,6],[1710324000,106,108,107,107.5,5]]",
};

/* The bodies above as ts|open|high|low|close|volume in time order: each [t, l, h, o, c, v]
 * becomes t|o|h|l|c|v. */
const char *const hs_test_backfill_rows =
  "1710288000|100.0|101.0|99.0|100.5|1.0\n"
  "1710305940|101.0|102.0|100.0|101.5|2.0\n"
  "1710306000|103.0|104.0|102.0|103.5|3.0\n"
  "1710323940|105.0|106.0|104.0|105.5|4.0\n"
  "1710324000|107.0|108.0|106.0|107.5|5.0\n"
  "1710331200|109.0|110.0|108.0|109.5|6.0\n";

/**
 * hs_test_backfill_server:
 * @stall: the second window's first answer never comes (until the server is freed)
 *
 * Returns: (transfer full): a server answering the three windows
 */
HsTestServer *
hs_test_backfill_server (gboolean stall)
{
  HsTestServer *server = hs_test_server_new ();

  for (int i = 0; i < 3; i++)
    {
      if (i == 1 && stall)
        {
          HsTestResponse *r = hs_test_response_new (200);

          hs_test_response_set_stall (r);
          hs_test_server_add (server, hs_test_backfill_targets[i], r);
        }
      hs_test_server_add (server, hs_test_backfill_targets[i],
                          hs_test_response_new_json (200, hs_test_backfill_bodies[i]));
    }
  return server;
}
