/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rule sets from JSON (docs/backtester.md, "Rule sets"): the file a user writes by hand or the
 * GUI saves, into the plain HsRuleSet of core. Strict: an unknown member is an error (a typo such
 * as "stop_los_pct" must not silently run without a stop), and each member must have its type.
 * The expressions are then checked by hs_rule_set_check(). Input is untrusted and small.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-rules-json.h"

#include <json-glib/json-glib.h>
#include <math.h>

static gboolean
fail (GError    **error,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError    **error,
      const char *format,
      ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error_literal (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_RULE_SET, msg);
  return FALSE;
}

static gboolean
get_number (JsonNode   *node,
            const char *name,
            double     *out,
            GError    **error)
{
  GType t = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (t == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (t == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return fail (error, "%s must be a number", name);
  if (!isfinite (*out))
    return fail (error, "%s must be a finite number", name);
  return TRUE;
}

static const char *
get_string (JsonNode   *node,
            const char *name,
            GError    **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fail (error, "%s must be a string", name);
      return NULL;
    }
  return json_node_get_string (node);
}

/**
 * hs_rule_set_from_json:
 * @text: a JSON object {"name", "side", "entry", "exit"} with the optional "stop_loss_pct",
 *   "take_profit_pct", "time_stop_bars" and "sizing"
 * @length: of @text, or -1 when NUL-terminated
 *
 * Returns: (transfer full): the rule set, checked; or %NULL with a JSON_PARSER_ERROR for text
 *   that is not JSON, an %HS_STRATEGY_ERROR_RULE_SET naming the member at fault, or the
 *   expression's %HS_EXPR_ERROR ("entry: column 7: …")
 */
HsRuleSet *
hs_rule_set_from_json (const char  *text,
                       gssize       length,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(HsRuleSet) rules = hs_rule_set_new ();
  g_autoptr(GList) members = NULL;
  JsonObject *obj;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, length, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, "a rule set is a JSON object");
      return NULL;
    }
  obj = json_node_get_object (root);
  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (obj, name);
      const char *s;
      double v = 0;

      if (g_str_equal (name, "name") || g_str_equal (name, "entry")
          || g_str_equal (name, "exit") || g_str_equal (name, "sizing"))
        {
          char **field = g_str_equal (name, "name") ? &rules->name
                         : g_str_equal (name, "entry") ? &rules->entry
                         : g_str_equal (name, "exit") ? &rules->exit : &rules->sizing;

          if ((s = get_string (node, name, error)) == NULL)
            return NULL;
          g_free (*field);
          *field = g_strdup (s);
        }
      else if (g_str_equal (name, "side"))
        {
          if ((s = get_string (node, name, error)) == NULL)
            return NULL;
          if (g_str_equal (s, "long"))
            rules->side = 1;
          else if (g_str_equal (s, "short"))
            rules->side = -1;
          else
            {
              fail (error, "side must be \"long\" or \"short\", not \"%s\"", s);
              return NULL;
            }
        }
      else if (g_str_equal (name, "stop_loss_pct") || g_str_equal (name, "take_profit_pct"))
        {
          if (JSON_NODE_HOLDS_NULL (node))
            continue;
          if (!get_number (node, name, &v, error))
            return NULL;
          if (g_str_equal (name, "stop_loss_pct"))
            rules->stop_loss_pct = v;
          else
            rules->take_profit_pct = v;
        }
      else if (g_str_equal (name, "time_stop_bars"))
        {
          if (JSON_NODE_HOLDS_NULL (node))
            continue;
          if (!get_number (node, name, &v, error))
            return NULL;
          if (v != floor (v) || v < 0 || v > 1e9)
            {
              fail (error, "time_stop_bars must be a whole number of bars ≥ 0");
              return NULL;
            }
          rules->time_stop_bars = (int64_t) v;
        }
      else
        {
          fail (error, "unknown member \"%s\"; a rule set has name, side, entry, exit, "
                "stop_loss_pct, take_profit_pct, time_stop_bars and sizing", name);
          return NULL;
        }
    }
  if (rules->name == NULL)
    {
      fail (error, "a rule set needs a \"name\"");
      return NULL;
    }
  if (!json_object_has_member (obj, "side"))
    {
      fail (error, "a rule set needs a \"side\": \"long\" or \"short\"");
      return NULL;
    }
  if (rules->entry == NULL || rules->exit == NULL)
    {
      fail (error, "a rule set needs \"entry\" and \"exit\" expressions");
      return NULL;
    }
  if (!hs_rule_set_check (rules, error))
    return NULL;
  return g_steal_pointer (&rules);
}

/* Reads and parses the rule set in @path; errors start with the path. */
HsRuleSet *
hs_rule_set_load (const char  *path,
                  GError     **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  HsRuleSet *rules;

  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  rules = hs_rule_set_from_json (text, (gssize) len, error);
  if (rules == NULL)
    g_prefix_error (error, "%s: ", path);
  return rules;
}
