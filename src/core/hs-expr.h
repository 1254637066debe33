/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* The expression language of rule sets and of the training-query filter: a tokenizer and a
 * parser to a syntax tree that knows nothing of how it is evaluated (hs-eval.h runs it over
 * bars; the training query compiles the same tree to SQL). Grammar, precedence and error
 * messages: docs/expressions.md. */

#define HS_EXPR_ERROR (hs_expr_error_quark ())

/* Every message starts with "column N: " (N 1-based, in characters). */
typedef enum
{
  HS_EXPR_ERROR_SYNTAX,     /* not an expression: "expected X, found Y" */
  HS_EXPR_ERROR_DEPTH,      /* nested deeper than HS_EXPR_MAX_DEPTH */
  HS_EXPR_ERROR_UNKNOWN,    /* an unknown function, series or named argument */
  HS_EXPR_ERROR_ARGUMENT,   /* wrong number or kind of arguments */
  HS_EXPR_ERROR_CONTEXT,    /* a value the evaluation context does not have (position, cvd) */
  HS_EXPR_ERROR_INTERVAL,   /* a bad tf= */
} HsExprError;

/* Deepest tree the parser builds; every walk of a tree recurses at most this deep. */
#define HS_EXPR_MAX_DEPTH 256

typedef enum
{
  HS_EXPR_NUMBER,   /* number */
  HS_EXPR_STRING,   /* text */
  HS_EXPR_IDENT,    /* a name or a dotted path: parts[0 … n_parts-1], text is the whole path */
  HS_EXPR_CALL,     /* text(args…); names[i] is the name of a named argument, NULL if positional */
  HS_EXPR_UNARY,    /* op args[0] */
  HS_EXPR_BINARY,   /* args[0] op args[1] */
} HsExprKind;

typedef enum
{
  HS_EXPR_OP_NONE,
  HS_EXPR_OP_NEG,   /* -x */
  HS_EXPR_OP_NOT,   /* not x */
  HS_EXPR_OP_ADD,
  HS_EXPR_OP_SUB,
  HS_EXPR_OP_MUL,
  HS_EXPR_OP_DIV,
  HS_EXPR_OP_MOD,
  HS_EXPR_OP_LT,
  HS_EXPR_OP_LE,
  HS_EXPR_OP_GT,
  HS_EXPR_OP_GE,
  HS_EXPR_OP_EQ,
  HS_EXPR_OP_NE,
  HS_EXPR_OP_AND,
  HS_EXPR_OP_OR,
} HsExprOp;

typedef struct _HsExpr HsExpr;

/* One node of the tree; the whole tree is owned by its root. */
struct _HsExpr
{
  HsExprKind kind;
  HsExprOp   op;        /* UNARY and BINARY */
  size_t     offset;    /* byte offset in the source where the node's text starts */
  int        column;    /* the same place as a 1-based column in characters */
  int        depth;     /* 1 for a leaf, 1 + the deepest child otherwise */
  double     number;    /* NUMBER (a leading minus is folded in: -10 is one NUMBER) */
  char      *text;      /* (owned) STRING: its value; IDENT: the path; CALL: the function name */
  char     **parts;     /* (owned) IDENT: the path's segments, NULL-terminated */
  size_t     n_parts;
  HsExpr   **args;      /* (owned) CALL: arguments in order; UNARY: 1; BINARY: 2 */
  char     **names;     /* (owned) (nullable) CALL: per argument, its name or NULL */
  size_t     n_args;
};

GQuark      hs_expr_error_quark (void);

HsExpr     *hs_expr_parse       (const char   *text,
                                 size_t       *error_offset,
                                 GError      **error);
void        hs_expr_free        (HsExpr       *expr);
char       *hs_expr_print       (const HsExpr *expr);
gboolean    hs_expr_equal       (const HsExpr *a,
                                 const HsExpr *b);
const char *hs_expr_op_to_string (HsExprOp    op);
int         hs_expr_column      (const char   *text,
                                 size_t        offset);
const HsExpr *hs_expr_named_arg (const HsExpr *call,
                                 const char   *name);
size_t      hs_expr_n_positional (const HsExpr *call);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsExpr, hs_expr_free)

G_END_DECLS
