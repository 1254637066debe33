/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expression language: a tokenizer and a precedence-climbing (Pratt) parser from text to a
 * tree of HsExpr nodes, a printer back to canonical text, and structural equality. The tree does
 * not know how it is evaluated, so the evaluator over bars (hs-eval.c) and the SQL compiler of
 * the training-query filter share it.
 *
 * Input is untrusted (typed by users, stored in rule sets, fuzzed): every input either parses or
 * gives one error with the byte offset and the column where it went wrong and what was expected.
 * The tree is at most HS_EXPR_MAX_DEPTH deep and the parser recurses at most that deep, so no
 * input can exhaust the stack, here or in any later walk of the tree. Expected load: rules of a
 * few dozen tokens, parsed once per backtest; about a million short expressions per second.
 */
#define G_LOG_DOMAIN "hs-expr"

#include "config.h"

#include "hs-expr.h"

#include "hs-records.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (hs-expr-error-quark, hs_expr_error)

typedef enum
{
  T_END,
  T_NUMBER,
  T_NAME,      /* a letter or _ first: close, target_pnl_1h */
  T_WORD,      /* a digit first, then letters: 5m, 1h, 1mo (intervals, path segments) */
  T_STRING,
  T_LPAREN,
  T_RPAREN,
  T_COMMA,
  T_DOT,
  T_ASSIGN,
  T_PLUS,
  T_MINUS,
  T_STAR,
  T_SLASH,
  T_PERCENT,
  T_LT,
  T_LE,
  T_GT,
  T_GE,
  T_EQ,
  T_NE,
  T_AND,
  T_OR,
  T_NOT,
} TokKind;

typedef struct
{
  TokKind kind;
  size_t  start;    /* byte offset */
  size_t  end;
  int     column;   /* of start */
  double  number;   /* T_NUMBER */
  char   *value;    /* (owned) (nullable) T_STRING: the unescaped text */
} Token;

typedef struct
{
  const char *text;
  size_t      len;
  size_t      pos;       /* scan position */
  int         column;    /* column of pos */
  Token       tok;       /* the current token */
  int         nesting;   /* parser recursion depth */
  GError     *error;     /* (owned) (nullable) the first error */
  size_t      error_offset;
} Parser;

/* Binding powers, lowest first, as in Python: or < and < not < comparisons < + - < * / % < unary
 * minus. A comparison does not associate (a < b < c is refused, not chained). */
enum
{
  BP_NONE = 0,
  BP_OR = 1,
  BP_AND = 2,
  BP_NOT = 3,
  BP_CMP = 4,
  BP_ADD = 5,
  BP_MUL = 6,
  BP_UNARY = 7,
  BP_ATOM = 8,
};

static const char *const op_names[] = {
  [HS_EXPR_OP_NONE] = "",
  [HS_EXPR_OP_NEG] = "-",
  [HS_EXPR_OP_NOT] = "not",
  [HS_EXPR_OP_ADD] = "+",
  [HS_EXPR_OP_SUB] = "-",
  [HS_EXPR_OP_MUL] = "*",
  [HS_EXPR_OP_DIV] = "/",
  [HS_EXPR_OP_MOD] = "%",
  [HS_EXPR_OP_LT] = "<",
  [HS_EXPR_OP_LE] = "<=",
  [HS_EXPR_OP_GT] = ">",
  [HS_EXPR_OP_GE] = ">=",
  [HS_EXPR_OP_EQ] = "==",
  [HS_EXPR_OP_NE] = "!=",
  [HS_EXPR_OP_AND] = "and",
  [HS_EXPR_OP_OR] = "or",
};

/**
 * hs_expr_op_to_string:
 *
 * Returns: (transfer none): the operator as written: "+", "<=", "and" …
 */
const char *
hs_expr_op_to_string (HsExprOp op)
{
  g_return_val_if_fail (op <= HS_EXPR_OP_OR, "");
  return op_names[op];
}

static int
op_bp (HsExprOp op)
{
  switch (op)
    {
    case HS_EXPR_OP_OR:
      return BP_OR;
    case HS_EXPR_OP_AND:
      return BP_AND;
    case HS_EXPR_OP_NOT:
      return BP_NOT;
    case HS_EXPR_OP_LT:
    case HS_EXPR_OP_LE:
    case HS_EXPR_OP_GT:
    case HS_EXPR_OP_GE:
    case HS_EXPR_OP_EQ:
    case HS_EXPR_OP_NE:
      return BP_CMP;
    case HS_EXPR_OP_ADD:
    case HS_EXPR_OP_SUB:
      return BP_ADD;
    case HS_EXPR_OP_MUL:
    case HS_EXPR_OP_DIV:
    case HS_EXPR_OP_MOD:
      return BP_MUL;
    case HS_EXPR_OP_NEG:
      return BP_UNARY;
    case HS_EXPR_OP_NONE:
    default:
      return BP_ATOM;
    }
}

/* The binary operator a token stands for, or HS_EXPR_OP_NONE. */
static HsExprOp
binary_op (TokKind kind)
{
  switch (kind)
    {
    case T_PLUS:
      return HS_EXPR_OP_ADD;
    case T_MINUS:
      return HS_EXPR_OP_SUB;
    case T_STAR:
      return HS_EXPR_OP_MUL;
    case T_SLASH:
      return HS_EXPR_OP_DIV;
    case T_PERCENT:
      return HS_EXPR_OP_MOD;
    case T_LT:
      return HS_EXPR_OP_LT;
    case T_LE:
      return HS_EXPR_OP_LE;
    case T_GT:
      return HS_EXPR_OP_GT;
    case T_GE:
      return HS_EXPR_OP_GE;
    case T_EQ:
      return HS_EXPR_OP_EQ;
    case T_NE:
      return HS_EXPR_OP_NE;
    case T_AND:
      return HS_EXPR_OP_AND;
    case T_OR:
      return HS_EXPR_OP_OR;
    default:
      return HS_EXPR_OP_NONE;
    }
}

/**
 * hs_expr_column:
 * @text: the source
 * @offset: a byte offset into @text, at most its length
 *
 * Returns: the 1-based column of @offset, counting characters (UTF-8 lead bytes and stray bytes
 *   count one each, continuation bytes none), which is where a caret under the text goes.
 */
int
hs_expr_column (const char *text,
                size_t      offset)
{
  int column = 1;

  g_return_val_if_fail (text != NULL, 1);
  for (size_t i = 0; i < offset && text[i] != '\0'; i++)
    if (((unsigned char) text[i] & 0xC0) != 0x80 && column < G_MAXINT)
      column++;
  return column;
}

/* ---- nodes ---- */

void
hs_expr_free (HsExpr *expr)
{
  if (expr == NULL)
    return;
  for (size_t i = 0; i < expr->n_args; i++)
    {
      hs_expr_free (expr->args[i]);
      if (expr->names != NULL)
        g_free (expr->names[i]);
    }
  g_free (expr->args);
  g_free (expr->names);
  g_strfreev (expr->parts);
  g_free (expr->text);
  g_free (expr);
}

static HsExpr *
node_new (HsExprKind kind,
          size_t     offset,
          int        column)
{
  HsExpr *e = g_new0 (HsExpr, 1);

  e->kind = kind;
  e->offset = offset;
  e->column = column;
  e->depth = 1;
  return e;
}

static void
node_add_arg (HsExpr *e,
              HsExpr *arg,
              char   *name)
{
  /* Arguments are few; grow by doubling from 4. */
  if ((e->n_args & (e->n_args - 1)) == 0 && e->n_args >= 4)
    {
      e->args = g_renew (HsExpr *, e->args, e->n_args * 2);
      e->names = g_renew (char *, e->names, e->n_args * 2);
    }
  else if (e->args == NULL)
    {
      e->args = g_new (HsExpr *, 4);
      e->names = g_new (char *, 4);
    }
  e->args[e->n_args] = arg;
  e->names[e->n_args] = name;
  e->n_args++;
  if (arg->depth + 1 > e->depth)
    e->depth = arg->depth + 1;
}

/* ---- errors ---- */

static void G_GNUC_PRINTF (4, 5)
fail_at (Parser     *p,
         int         code,
         size_t      offset,
         const char *format,
         ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  if (p->error != NULL)
    return;
  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  p->error_offset = offset;
  p->error = g_error_new (HS_EXPR_ERROR, code, "column %d: %s",
                          hs_expr_column (p->text, offset), msg);
}

/* How a token appears in "found …": its text in quotes, shortened, always valid UTF-8. */
static char *
describe_token (const Parser *p,
                const Token  *t)
{
  g_autofree char *valid = NULL;
  size_t len = t->end - t->start;
  const size_t max = 24;

  if (t->kind == T_END)
    return g_strdup ("end of input");
  valid = g_utf8_make_valid (p->text + t->start, (gssize) MIN (len, max * 4));
  if (g_utf8_strlen (valid, -1) > (glong) max)
    {
      char *cut = g_utf8_offset_to_pointer (valid, max);

      *cut = '\0';
      return g_strdup_printf ("“%s…”", valid);
    }
  return g_strdup_printf ("“%s”", valid);
}

static void
fail_expected (Parser     *p,
               const char *expected,
               const char *hint)
{
  g_autofree char *found = describe_token (p, &p->tok);

  fail_at (p, HS_EXPR_ERROR_SYNTAX, p->tok.start, "expected %s, found %s%s", expected, found,
           hint ? hint : "");
}

/* ---- tokenizer ---- */

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static void
advance (Parser *p,
         size_t  n)
{
  for (size_t i = 0; i < n && p->pos < p->len; i++, p->pos++)
    if (((unsigned char) p->text[p->pos] & 0xC0) != 0x80 && p->column < G_MAXINT)
      p->column++;
}

static gboolean
scan_string (Parser *p)
{
  char quote = p->text[p->pos];
  GString *s = g_string_new (NULL);

  advance (p, 1);
  for (;;)
    {
      char c = p->pos < p->len ? p->text[p->pos] : '\0';

      if (c == '\0')
        {
          g_string_free (s, TRUE);
          fail_at (p, HS_EXPR_ERROR_SYNTAX, p->tok.start,
                   "expected the closing %c of this string, found end of input", quote);
          return FALSE;
        }
      if (c == quote)
        {
          advance (p, 1);
          break;
        }
      if (c == '\\')
        {
          char e = p->pos + 1 < p->len ? p->text[p->pos + 1] : '\0';

          switch (e)
            {
            case '\\':
            case '"':
            case '\'':
              g_string_append_c (s, e);
              break;
            case 'n':
              g_string_append_c (s, '\n');
              break;
            case 't':
              g_string_append_c (s, '\t');
              break;
            default:
              g_string_free (s, TRUE);
              fail_at (p, HS_EXPR_ERROR_SYNTAX, p->pos,
                       "expected one of \\\\ \\\" \\' \\n \\t after a backslash in a string");
              return FALSE;
            }
          advance (p, 2);
          continue;
        }
      g_string_append_c (s, c);
      advance (p, 1);
    }
  p->tok.kind = T_STRING;
  p->tok.value = g_string_free (s, FALSE);
  return TRUE;
}

/* A number is digits, an optional fraction, an optional exponent; digits followed by a letter
 * are a word instead (5m, 1h, 1mo). */
static gboolean
scan_number (Parser *p)
{
  const char *t = p->text;
  size_t i = p->pos, digits_end;
  gboolean is_number = TRUE;

  while (i < p->len && g_ascii_isdigit (t[i]))
    i++;
  digits_end = i;
  if (i < p->len && t[i] == '.' && i + 1 < p->len && g_ascii_isdigit (t[i + 1]))
    {
      i++;
      while (i < p->len && g_ascii_isdigit (t[i]))
        i++;
    }
  if (i < p->len && (t[i] == 'e' || t[i] == 'E'))
    {
      size_t j = i + 1;

      if (j < p->len && (t[j] == '+' || t[j] == '-'))
        j++;
      if (j < p->len && g_ascii_isdigit (t[j]))
        {
          i = j;
          while (i < p->len && g_ascii_isdigit (t[i]))
            i++;
        }
    }
  if (i == digits_end && i < p->len && is_name_start (t[i]))
    is_number = FALSE;

  if (!is_number)
    {
      while (i < p->len && is_name_char (t[i]))
        i++;
      p->tok.kind = T_WORD;
      advance (p, i - p->pos);
      return TRUE;
    }
  {
    char buf[64];
    size_t n = i - p->pos;
    double v;

    /* Longer literals are parsed from a copy on the heap; most fit the buffer. */
    if (n < sizeof buf)
      {
        memcpy (buf, t + p->pos, n);
        buf[n] = '\0';
        v = g_ascii_strtod (buf, NULL);
      }
    else
      {
        g_autofree char *copy = g_strndup (t + p->pos, n);

        v = g_ascii_strtod (copy, NULL);
      }
    if (!isfinite (v))
      {
        fail_at (p, HS_EXPR_ERROR_SYNTAX, p->pos, "expected a number below 1.8e308");
        return FALSE;
      }
    p->tok.kind = T_NUMBER;
    p->tok.number = v;
    advance (p, n);
  }
  return TRUE;
}

/* Reads the next token into p->tok. After a "." the next token is a path segment: any run of
 * letters, digits and _ (signals.5m.rsi, rows.0.price). */
static gboolean
next (Parser *p)
{
  const char *t = p->text;
  gboolean segment = p->tok.kind == T_DOT;
  char c;

  g_clear_pointer (&p->tok.value, g_free);
  while (p->pos < p->len && (t[p->pos] == ' ' || t[p->pos] == '\t' || t[p->pos] == '\n'
                             || t[p->pos] == '\r'))
    advance (p, 1);
  p->tok.start = p->pos;
  p->tok.column = p->column;
  p->tok.number = 0;
  if (p->pos >= p->len)
    {
      p->tok.kind = T_END;
      p->tok.end = p->pos;
      return TRUE;
    }
  c = t[p->pos];
  if (segment && is_name_char (c))
    {
      size_t i = p->pos;

      while (i < p->len && is_name_char (t[i]))
        i++;
      p->tok.kind = T_WORD;
      advance (p, i - p->pos);
    }
  else if (is_name_start (c))
    {
      size_t i = p->pos, n;

      while (i < p->len && is_name_char (t[i]))
        i++;
      n = i - p->pos;
      p->tok.kind = T_NAME;
      if (n == 3 && memcmp (t + p->pos, "and", 3) == 0)
        p->tok.kind = T_AND;
      else if (n == 2 && memcmp (t + p->pos, "or", 2) == 0)
        p->tok.kind = T_OR;
      else if (n == 3 && memcmp (t + p->pos, "not", 3) == 0)
        p->tok.kind = T_NOT;
      advance (p, n);
    }
  else if (g_ascii_isdigit (c))
    {
      if (!scan_number (p))
        return FALSE;
    }
  else if (c == '"' || c == '\'')
    {
      if (!scan_string (p))
        return FALSE;
    }
  else
    {
      char c2 = p->pos + 1 < p->len ? t[p->pos + 1] : '\0';
      size_t n = 1;

      switch (c)
        {
        case '(':
          p->tok.kind = T_LPAREN;
          break;
        case ')':
          p->tok.kind = T_RPAREN;
          break;
        case ',':
          p->tok.kind = T_COMMA;
          break;
        case '.':
          p->tok.kind = T_DOT;
          break;
        case '+':
          p->tok.kind = T_PLUS;
          break;
        case '-':
          p->tok.kind = T_MINUS;
          break;
        case '*':
          p->tok.kind = T_STAR;
          break;
        case '/':
          p->tok.kind = T_SLASH;
          break;
        case '%':
          p->tok.kind = T_PERCENT;
          break;
        case '<':
          p->tok.kind = c2 == '=' ? T_LE : T_LT;
          n = c2 == '=' ? 2 : 1;
          break;
        case '>':
          p->tok.kind = c2 == '=' ? T_GE : T_GT;
          n = c2 == '=' ? 2 : 1;
          break;
        case '=':
          p->tok.kind = c2 == '=' ? T_EQ : T_ASSIGN;
          n = c2 == '=' ? 2 : 1;
          break;
        case '!':
          if (c2 != '=')
            {
              fail_at (p, HS_EXPR_ERROR_SYNTAX, p->pos,
                       "expected != (for negation write not), found “!”");
              return FALSE;
            }
          p->tok.kind = T_NE;
          n = 2;
          break;
        default:
          {
            gunichar u = g_utf8_get_char_validated (t + p->pos, (gssize) (p->len - p->pos));

            if ((unsigned char) c >= 0x80 && u != (gunichar) -1 && u != (gunichar) -2)
              {
                char ch[8] = { 0 };

                g_unichar_to_utf8 (u, ch);
                fail_at (p, HS_EXPR_ERROR_SYNTAX, p->pos,
                         "expected an expression or an operator, found “%s”", ch);
              }
            else if (g_ascii_isprint (c))
              fail_at (p, HS_EXPR_ERROR_SYNTAX, p->pos,
                       "expected an expression or an operator, found “%c”", c);
            else
              fail_at (p, HS_EXPR_ERROR_SYNTAX, p->pos,
                       "expected an expression or an operator, found byte 0x%02x",
                       (unsigned char) c);
            return FALSE;
          }
        }
      advance (p, n);
    }
  p->tok.end = p->pos;
  return TRUE;
}

/* ---- parser ---- */

static HsExpr *parse_expr (Parser *p,
                           int     min_bp);

/* @at: where to point when @e is too deep (a binary node's operator, else the node). */
static gboolean
check_depth (Parser *p,
             HsExpr *e,
             size_t  at)
{
  if (e->depth > HS_EXPR_MAX_DEPTH)
    {
      fail_at (p, HS_EXPR_ERROR_DEPTH, at,
               "expected an expression nested at most %d levels deep", HS_EXPR_MAX_DEPTH);
      return FALSE;
    }
  return TRUE;
}

/* Whether the current token, a name, is followed by a single "=" (a named argument). */
static gboolean
at_named_arg (const Parser *p)
{
  size_t i = p->pos;

  if (p->tok.kind != T_NAME)
    return FALSE;
  while (i < p->len && (p->text[i] == ' ' || p->text[i] == '\t' || p->text[i] == '\n'
                        || p->text[i] == '\r'))
    i++;
  return i < p->len && p->text[i] == '=' && (i + 1 >= p->len || p->text[i + 1] != '=');
}

static HsExpr *
parse_call (Parser *p,
            HsExpr *call)
{
  gboolean named_seen = FALSE;

  /* The current token is "(". */
  if (!next (p))
    return NULL;
  if (p->tok.kind == T_RPAREN)
    return next (p) ? call : NULL;
  for (;;)
    {
      g_autofree char *name = NULL;
      size_t arg_start = p->tok.start;
      HsExpr *arg;

      if (at_named_arg (p))
        {
          name = g_strndup (p->text + p->tok.start, p->tok.end - p->tok.start);
          for (size_t i = 0; i < call->n_args; i++)
            if (call->names[i] != NULL && g_str_equal (call->names[i], name))
              {
                fail_at (p, HS_EXPR_ERROR_SYNTAX, arg_start,
                         "expected each named argument once, found %s= again", name);
                return NULL;
              }
          if (!next (p) || !next (p))   /* the name and "=" */
            return NULL;
          named_seen = TRUE;
        }
      else if (named_seen && p->tok.kind != T_RPAREN)
        {
          fail_at (p, HS_EXPR_ERROR_SYNTAX, arg_start,
                   "expected a named argument (name=value): positional arguments come first");
          return NULL;
        }
      arg = parse_expr (p, BP_NONE + 1);
      if (arg == NULL)
        return NULL;
      node_add_arg (call, arg, g_steal_pointer (&name));
      if (!check_depth (p, call, call->offset))
        return NULL;
      if (p->tok.kind == T_COMMA)
        {
          if (!next (p))
            return NULL;
          continue;
        }
      if (p->tok.kind == T_RPAREN)
        return next (p) ? call : NULL;
      fail_expected (p, "an operator, “,” or “)”",
                     p->tok.kind == T_ASSIGN ? " (use == to compare)" : NULL);
      return NULL;
    }
}

/* A name or word and any ".segment"s after it; a lone name followed by "(" is a call. */
static HsExpr *
parse_name (Parser *p)
{
  g_autoptr(HsExpr) e = node_new (HS_EXPR_IDENT, p->tok.start, p->tok.column);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  gboolean callable = p->tok.kind == T_NAME;

  g_ptr_array_add (parts, g_strndup (p->text + p->tok.start, p->tok.end - p->tok.start));
  if (!next (p))
    return NULL;
  if (callable && p->tok.kind == T_LPAREN)
    {
      e->kind = HS_EXPR_CALL;
      e->text = g_ptr_array_steal_index (parts, 0);
      if (parse_call (p, e) == NULL)
        return NULL;
      return g_steal_pointer (&e);
    }
  while (p->tok.kind == T_DOT)
    {
      if (!next (p))
        return NULL;
      if (p->tok.kind != T_WORD)
        {
          fail_expected (p, "a name after “.”", NULL);
          return NULL;
        }
      g_ptr_array_add (parts, g_strndup (p->text + p->tok.start, p->tok.end - p->tok.start));
      if (!next (p))
        return NULL;
    }
  e->n_parts = parts->len;
  g_ptr_array_add (parts, NULL);
  e->parts = (char **) g_ptr_array_free (g_steal_pointer (&parts), FALSE);
  e->text = g_strjoinv (".", e->parts);
  return g_steal_pointer (&e);
}

static HsExpr *
parse_prefix (Parser *p,
              int     min_bp)
{
  HsExpr *e = NULL;

  switch (p->tok.kind)
    {
    case T_NUMBER:
      e = node_new (HS_EXPR_NUMBER, p->tok.start, p->tok.column);
      e->number = p->tok.number;
      if (!next (p))
        g_clear_pointer (&e, hs_expr_free);
      return e;

    case T_STRING:
      e = node_new (HS_EXPR_STRING, p->tok.start, p->tok.column);
      e->text = g_steal_pointer (&p->tok.value);
      if (!next (p))
        g_clear_pointer (&e, hs_expr_free);
      return e;

    case T_NAME:
    case T_WORD:
      return parse_name (p);

    case T_LPAREN:
      {
        size_t open = p->tok.start;

        if (!next (p) || (e = parse_expr (p, BP_NONE + 1)) == NULL)
          return NULL;
        if (p->tok.kind != T_RPAREN)
          {
            g_autofree char *found = describe_token (p, &p->tok);

            fail_at (p, HS_EXPR_ERROR_SYNTAX, p->tok.start,
                     "expected an operator or “)” to close the “(” at column %d, found %s",
                     hs_expr_column (p->text, open), found);
            hs_expr_free (e);
            return NULL;
          }
        if (!next (p))
          g_clear_pointer (&e, hs_expr_free);
        return e;
      }

    case T_PLUS:
    case T_MINUS:
      {
        gboolean neg = p->tok.kind == T_MINUS;
        size_t start = p->tok.start;
        int column = p->tok.column;
        HsExpr *operand;

        if (!next (p) || (operand = parse_expr (p, BP_UNARY)) == NULL)
          return NULL;
        if (!neg)
          return operand;
        /* -10 is the number -10, which the SQL compiler and the printer prefer. */
        if (operand->kind == HS_EXPR_NUMBER)
          {
            operand->number = -operand->number;
            operand->offset = start;
            operand->column = column;
            return operand;
          }
        e = node_new (HS_EXPR_UNARY, start, column);
        e->op = HS_EXPR_OP_NEG;
        node_add_arg (e, operand, NULL);
        if (!check_depth (p, e, e->offset))
          g_clear_pointer (&e, hs_expr_free);
        return e;
      }

    case T_NOT:
      {
        HsExpr *operand;

        if (min_bp > BP_NOT)
          {
            fail_expected (p, "an expression", " (put not … in parentheses here)");
            return NULL;
          }
        e = node_new (HS_EXPR_UNARY, p->tok.start, p->tok.column);
        e->op = HS_EXPR_OP_NOT;
        if (!next (p) || (operand = parse_expr (p, BP_NOT)) == NULL)
          {
            hs_expr_free (e);
            return NULL;
          }
        node_add_arg (e, operand, NULL);
        if (!check_depth (p, e, e->offset))
          g_clear_pointer (&e, hs_expr_free);
        return e;
      }

    default:
      fail_expected (p, "an expression", NULL);
      return NULL;
    }
}

static HsExpr *
parse_expr (Parser *p,
            int     min_bp)
{
  g_autoptr(HsExpr) left = NULL;
  gboolean compared = FALSE;

  if (++p->nesting > HS_EXPR_MAX_DEPTH)
    {
      fail_at (p, HS_EXPR_ERROR_DEPTH, p->tok.start,
               "expected an expression nested at most %d levels deep", HS_EXPR_MAX_DEPTH);
      return NULL;
    }
  left = parse_prefix (p, min_bp);
  if (left == NULL)
    return NULL;
  for (;;)
    {
      HsExprOp op = binary_op (p->tok.kind);
      int bp = op_bp (op);
      HsExpr *right, *bin;
      size_t op_start;

      if (op == HS_EXPR_OP_NONE || bp < min_bp)
        break;
      if (bp == BP_CMP && compared)
        {
          g_autofree char *found = describe_token (p, &p->tok);

          fail_at (p, HS_EXPR_ERROR_SYNTAX, p->tok.start,
                   "expected and, or, “)” or end of input after a comparison, found %s "
                   "(comparisons do not chain: write a < b and b < c)", found);
          return NULL;
        }
      /* The node starts where its left operand does; depth errors point at the operator. */
      op_start = p->tok.start;
      bin = node_new (HS_EXPR_BINARY, left->offset, left->column);
      bin->op = op;
      node_add_arg (bin, g_steal_pointer (&left), NULL);
      left = bin;
      if (!next (p) || (right = parse_expr (p, bp + 1)) == NULL)
        return NULL;
      node_add_arg (bin, right, NULL);
      if (!check_depth (p, bin, op_start))
        return NULL;
      compared = bp == BP_CMP;
    }
  p->nesting--;
  return g_steal_pointer (&left);
}

/**
 * hs_expr_parse:
 * @text: the expression, UTF-8 (anything is accepted; bad input is an error)
 * @error_offset: (out) (optional): on error, the byte offset in @text where it was found (at most
 *   the length of @text)
 * @error: a #HS_EXPR_ERROR whose message starts with "column N: "
 *
 * Parses @text as one expression (grammar in docs/expressions.md).
 *
 * Returns: (transfer full): the tree, or %NULL with @error set
 */
HsExpr *
hs_expr_parse (const char *text,
               size_t     *error_offset,
               GError    **error)
{
  Parser p = { 0 };
  HsExpr *e = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  p.text = text;
  p.len = strlen (text);
  p.column = 1;
  p.tok.kind = T_END;
  if (next (&p))
    {
      e = parse_expr (&p, BP_NONE + 1);
      if (e != NULL && p.tok.kind != T_END)
        {
          const char *hint = NULL;

          if (p.tok.kind == T_ASSIGN)
            hint = " (use == to compare)";
          else if (p.tok.kind == T_RPAREN)
            hint = " (a “)” without its “(”)";
          fail_expected (&p, "an operator or end of input", hint);
          g_clear_pointer (&e, hs_expr_free);
        }
    }
  g_free (p.tok.value);
  if (p.error != NULL)
    {
      g_assert (e == NULL);
      if (error_offset != NULL)
        *error_offset = p.error_offset;
      g_propagate_error (error, p.error);
      return NULL;
    }
  return e;
}

/* ---- printing ---- */

static int
node_bp (const HsExpr *e)
{
  switch (e->kind)
    {
    case HS_EXPR_NUMBER:
      return signbit (e->number) ? BP_UNARY : BP_ATOM;
    case HS_EXPR_UNARY:
    case HS_EXPR_BINARY:
      return op_bp (e->op);
    case HS_EXPR_STRING:
    case HS_EXPR_IDENT:
    case HS_EXPR_CALL:
    default:
      return BP_ATOM;
    }
}

static void print_node (GString      *s,
                        const HsExpr *e);

static void
print_child (GString      *s,
             const HsExpr *e,
             int           min_bp)
{
  if (node_bp (e) < min_bp)
    {
      g_string_append_c (s, '(');
      print_node (s, e);
      g_string_append_c (s, ')');
    }
  else
    print_node (s, e);
}

static void
print_node (GString      *s,
            const HsExpr *e)
{
  switch (e->kind)
    {
    case HS_EXPR_NUMBER:
      {
        char buf[32];

        hs_format_double (e->number, buf);
        g_string_append (s, buf);
        break;
      }
    case HS_EXPR_STRING:
      g_string_append_c (s, '"');
      for (const char *c = e->text; *c; c++)
        {
          if (*c == '"' || *c == '\\')
            g_string_append_c (s, '\\');
          if (*c == '\n')
            g_string_append (s, "\\n");
          else if (*c == '\t')
            g_string_append (s, "\\t");
          else
            g_string_append_c (s, *c);
        }
      g_string_append_c (s, '"');
      break;
    case HS_EXPR_IDENT:
      g_string_append (s, e->text);
      break;
    case HS_EXPR_CALL:
      g_string_append (s, e->text);
      g_string_append_c (s, '(');
      for (size_t i = 0; i < e->n_args; i++)
        {
          if (i > 0)
            g_string_append (s, ", ");
          if (e->names[i] != NULL)
            g_string_append_printf (s, "%s=", e->names[i]);
          print_node (s, e->args[i]);
        }
      g_string_append_c (s, ')');
      break;
    case HS_EXPR_UNARY:
      if (e->op == HS_EXPR_OP_NOT)
        {
          g_string_append (s, "not ");
          print_child (s, e->args[0], BP_NOT);
        }
      else
        {
          g_string_append_c (s, '-');
          print_child (s, e->args[0], BP_UNARY);
        }
      break;
    case HS_EXPR_BINARY:
      {
        int bp = op_bp (e->op);

        /* Left-associative, except comparisons, which do not associate at all. */
        print_child (s, e->args[0], bp == BP_CMP ? bp + 1 : bp);
        g_string_append_printf (s, " %s ", op_names[e->op]);
        print_child (s, e->args[1], bp + 1);
        break;
      }
    default:
      g_assert_not_reached ();
    }
}

/**
 * hs_expr_print:
 *
 * Prints @expr in canonical form: single spaces around binary operators, ", " between
 * arguments, parentheses only where precedence needs them, numbers in their shortest exact
 * form, strings in double quotes. Parsing the result gives a tree equal to @expr.
 *
 * Returns: (transfer full): the text
 */
char *
hs_expr_print (const HsExpr *expr)
{
  GString *s;

  g_return_val_if_fail (expr != NULL, NULL);

  s = g_string_new (NULL);
  print_node (s, expr);
  return g_string_free (s, FALSE);
}

/**
 * hs_expr_equal:
 *
 * Returns: whether the trees have the same structure and values (positions are ignored)
 */
gboolean
hs_expr_equal (const HsExpr *a,
               const HsExpr *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->kind != b->kind || a->op != b->op || a->n_args != b->n_args
      || a->n_parts != b->n_parts || g_strcmp0 (a->text, b->text) != 0)
    return FALSE;
  if (a->kind == HS_EXPR_NUMBER && !(a->number == b->number
                                     && signbit (a->number) == signbit (b->number)))
    return FALSE;
  for (size_t i = 0; i < a->n_args; i++)
    {
      if (a->kind == HS_EXPR_CALL && g_strcmp0 (a->names[i], b->names[i]) != 0)
        return FALSE;
      if (!hs_expr_equal (a->args[i], b->args[i]))
        return FALSE;
    }
  return TRUE;
}

/**
 * hs_expr_named_arg:
 *
 * Returns: (transfer none) (nullable): the value of @call's argument @name (tf=…), or %NULL
 */
const HsExpr *
hs_expr_named_arg (const HsExpr *call,
                   const char   *name)
{
  g_return_val_if_fail (call != NULL && name != NULL, NULL);

  if (call->kind != HS_EXPR_CALL)
    return NULL;
  for (size_t i = 0; i < call->n_args; i++)
    if (call->names[i] != NULL && g_str_equal (call->names[i], name))
      return call->args[i];
  return NULL;
}

/* Returns: the number of positional arguments of @call (they come before the named ones). */
size_t
hs_expr_n_positional (const HsExpr *call)
{
  size_t n = 0;

  g_return_val_if_fail (call != NULL, 0);
  while (n < call->n_args && call->names[n] == NULL)
    n++;
  return n;
}
