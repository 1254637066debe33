/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every fuzz target in tests/fuzz shares: the check that aborts (libFuzzer then reports the
 * input) and, for builds without libFuzzer (-DHS_FUZZ_REPLAY), a main() that runs the files named
 * on the command line, or every file of a folder named there, once each. A target defines
 * HS_FUZZ_NAME ("fuzz-expr") and LLVMFuzzerTestOneInput(), then includes this header; it may
 * define hs_fuzz_outcome() to say what became of the last input and hs_fuzz_cleanup() to remove
 * what it made.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static inline void
require (int         ok,
         const char *what,
         const char *text)
{
  if (!ok)
    {
      fprintf (stderr, HS_FUZZ_NAME ": %s for input “%s”\n", what, text);
      abort ();
    }
}

#ifdef HS_FUZZ_REPLAY
#ifndef HS_FUZZ_HAS_OUTCOME
static const char *hs_fuzz_outcome (void) { return "done"; }
#endif
#ifndef HS_FUZZ_HAS_CLEANUP
static void hs_fuzz_cleanup (void) { }
#endif

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) d = g_dir_open (argv[i], 0, NULL);
      const char *name;

      if (d == NULL)
        g_ptr_array_add (inputs, g_strdup (argv[i]));
      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        g_ptr_array_add (inputs, g_build_filename (argv[i], name, NULL));
    }
  for (unsigned i = 0; i < inputs->len; i++)
    {
      const char *path = inputs->pdata[i];
      g_autofree char *contents = NULL;
      size_t len = 0;

      if (!g_file_get_contents (path, &contents, &len, NULL))
        {
          fprintf (stderr, HS_FUZZ_NAME "-replay: cannot read %s\n", path);
          return 1;
        }
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
      printf ("ok %s (%s)\n", path, hs_fuzz_outcome ());
    }
  hs_fuzz_cleanup ();
  return 0;
}
#endif
