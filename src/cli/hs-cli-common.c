/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every hindsight-cli command shares: finding the database (--db, else $HINDSIGHT_DB,
 * else the XDG data folder), option parsing with --help, time arguments, JSON output helpers,
 * and turning errors into messages and exit statuses.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include "hs-cli-common.h"

#include <gio/gio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-import.h"
#include "hs-records.h"
#include "hs-time.h"

char *hs_cli_db_option;

const GOptionEntry hs_cli_common_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &hs_cli_db_option,
    "Database file (default: $HINDSIGHT_DB, else ~/.local/share/hindsight/hindsight.db)", "PATH" },
  { NULL }
};

/* Returns: (transfer full): the database path the command works on. */
char *
hs_cli_db_path (const char *option)
{
  const char *env = g_getenv ("HINDSIGHT_DB");

  if (option != NULL && option[0] != '\0')
    return g_strdup (option);
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "hindsight", "hindsight.db", NULL);
}

HsStore *
hs_cli_open_store (const char *option,
                   GError    **error)
{
  g_autofree char *path = hs_cli_db_path (option);
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create folder %s", dir);
      return NULL;
    }
  return hs_store_open (path, HS_STORE_OPEN_DEFAULT, error);
}

/* Parses options; on --help or a usage error prints and sets *status, returning FALSE. */
gboolean
hs_cli_parse (GOptionContext *context,
              int            *argc,
              char         ***argv,
              int            *status)
{
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, hs_cli_common_entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("hindsight-cli: %s\n", error->message);
      g_printerr ("Try “hindsight-cli %s --help”.\n", (*argv)[0]);
      *status = HS_EXIT_BAD_INPUT;
      return FALSE;
    }
  return TRUE;
}

/* Prints @error and returns the exit status it deserves; takes @error. */
int
hs_cli_fail (GError *error)
{
  int status = HS_EXIT_FAILURE;

  if (error->domain == HS_IMPORT_ERROR || error->domain == G_OPTION_ERROR)
    status = HS_EXIT_BAD_INPUT;
  g_printerr ("hindsight-cli: %s\n", error->message);
  g_error_free (error);
  return status;
}

void
hs_cli_json_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      unsigned char c = (unsigned char) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* A number, or null for NAN. */
void
hs_cli_json_number (GString *out,
                    double   v)
{
  char buf[32];

  if (isnan (v) || !isfinite (v))
    {
      g_string_append (out, "null");
      return;
    }
  hs_format_double (v, buf);
  g_string_append (out, buf);
}

/* A computed number (a statistic, a P&L): 15 significant digits, so 0.1 + 0.2 prints 0.3;
 * null when not finite. */
void
hs_cli_json_computed (GString *out,
                      double   v)
{
  char buf[32];

  if (!isfinite (v))
    {
      g_string_append (out, "null");
      return;
    }
  hs_format_double_computed (v, buf);
  g_string_append (out, buf);
}

/* A JSON string, or null for %NULL. */
void
hs_cli_json_text (GString    *out,
                  const char *s)
{
  if (s == NULL)
    g_string_append (out, "null");
  else
    hs_cli_json_string (out, s);
}

/* Prints "hindsight-cli: MESSAGE" and returns the exit status of bad input (2). */
int
hs_cli_usage_error (const char *format,
                    ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("hindsight-cli: %s\n", msg);
  return HS_EXIT_BAD_INPUT;
}

/* Prints the line of @text holding @offset, a caret under that place, and the message:
 *
 *   sma(close, )
 *              ^
 *   column 12: expected an expression, found “)”
 */
void
hs_cli_print_expr_error (const char   *text,
                         size_t        offset,
                         const GError *error)
{
  size_t len = strlen (text), start, end;
  g_autoptr(GString) caret = g_string_new (NULL);
  g_autofree char *line = NULL, *valid = NULL;

  offset = MIN (offset, len);
  start = offset;
  while (start > 0 && text[start - 1] != '\n')
    start--;
  end = offset;
  while (end < len && text[end] != '\n')
    end++;
  /* One caret column per character; tabs stay tabs so the caret lines up in a terminal. */
  for (size_t i = start; i < offset; i++)
    if (((unsigned char) text[i] & 0xC0) != 0x80)
      g_string_append_c (caret, text[i] == '\t' ? '\t' : ' ');
  g_string_append_c (caret, '^');
  line = g_strndup (text + start, end - start);
  valid = g_utf8_make_valid (line, -1);
  g_printerr ("%s\n%s\n%s\n", valid, caret->str, error->message);
}

/* A job's progress on a terminal's stderr, overwritten in place: "@what:  42 % (message)".
 * @what is a string, e.g. "labeling". */
void
hs_cli_progress_cb (double      fraction,
                    const char *message,
                    gpointer    what)
{
  fprintf (stderr, "\r%s: %3.0f %% (%s)   %s", (const char *) what, fraction * 100, message,
           fraction >= 1 ? "\n" : "");
  fflush (stderr);
}
