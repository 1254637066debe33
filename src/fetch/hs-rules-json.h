/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hs-strategy.h"

G_BEGIN_DECLS

HsRuleSet *hs_rule_set_from_json (const char  *text,
                                  gssize       length,
                                  GError     **error);
HsRuleSet *hs_rule_set_load      (const char  *path,
                                  GError     **error);

G_END_DECLS
