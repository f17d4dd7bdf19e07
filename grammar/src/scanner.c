/*
 * External scanner for the dockerfile-ls grammar.
 *
 * Every token of the grammar comes from here, because the lexical rules of a Dockerfile depend on
 * state that a context-free lexer cannot see:
 *
 * - the escape character, chosen by an `# escape=` directive at the top of the file;
 * - line continuations: BuildKit continues a line when it ends with the escape character (then
 *   spaces or tabs) and the character before it is not the escape character too; blank lines and
 *   comment lines inside a continuation are dropped;
 * - heredocs: `<<NAME` words in the shell form of RUN, COPY and ADD make the lines after the
 *   instruction a body that ends at a line equal to NAME;
 * - exec form: arguments are JSON only when the logical line starts with a valid JSON array of
 *   strings; anything else is shell form.
 *
 * The scanner state (escape character, pending heredocs, and a few bits about the previous token)
 * is serialized after every token, so tree-sitter can resume scanning anywhere and only reuses old
 * subtrees when the state before them is unchanged.
 */

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

enum TokenType {
  NEWLINE,
  LINE_CONTINUATION,
  COMMENT,
  DIRECTIVE,
  BOM,
  KW_FROM,
  KW_RUN,
  KW_CMD,
  KW_LABEL,
  KW_MAINTAINER,
  KW_EXPOSE,
  KW_ENV,
  KW_ADD,
  KW_COPY,
  KW_ENTRYPOINT,
  KW_VOLUME,
  KW_USER,
  KW_WORKDIR,
  KW_ARG,
  KW_ONBUILD,
  KW_STOPSIGNAL,
  KW_HEALTHCHECK,
  KW_SHELL,
  KW_UNKNOWN,
  FLAG,
  FLAGS_END,
  JSON_ARRAY,
  WORD,
  AS_KW,
  SHELL_FRAGMENT,
  HEREDOC_MARKER,
  HEREDOC_CONTENT,
  HEREDOC_END,
  CHUNK_END,
  ERROR_SENTINEL,
};

static const char *const KEYWORDS[] = {
    "from",    "run",        "cmd",    "label", "maintainer", "expose",  "env",        "add",
    "copy",    "entrypoint", "volume", "user",  "workdir",    "arg",     "onbuild",    "stopsignal",
    "healthcheck", "shell",
};
#define KEYWORD_COUNT 18

/* Heredoc names are kept as UTF-8 bytes; the whole state must fit tree-sitter's 1 KiB buffer. */
#define MAX_HEREDOCS 16
#define NAMES_CAPACITY 900

typedef struct {
  uint8_t chomp;
  uint16_t offset; /* into names */
  uint16_t length;
} Heredoc;

typedef struct {
  int32_t escape;
  bool directives_done;
  /* The previous token ended a physical line inside an instruction (a continuation, or a comment
   * line inside one): the next line's blank lines and comment lines belong to the continuation. */
  bool at_line_start;
  /* The previous token's last character was the escape character, with nothing skipped since:
   * an escape right after it is not a line continuation. */
  bool prev_escape;
  /* The previous token ended inside a shell word (before a continuation or an escape), so the
   * next token does not start a new word. */
  bool mid_word;
  /* The quote ('"' or '\'') left open at the end of the previous token, or 0. */
  uint8_t quote;
  /* ONBUILD keywords so far on this line: BuildKit reads heredocs on ONBUILD's trigger, but
   * not on the trigger of `ONBUILD ONBUILD`. */
  uint8_t onbuild_depth;
  /* The next instruction starts a new chunk (see `decide_chunk_break`). */
  bool chunk_break;
  /* A hash of the text of the instruction so far, for `decide_chunk_break`. */
  uint32_t text_hash;
  uint8_t heredoc_count;
  uint16_t names_length;
  Heredoc heredocs[MAX_HEREDOCS];
  char names[NAMES_CAPACITY];
} Scanner;

/* ---------- state ---------- */

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

static inline uint32_t fnv_step(uint32_t hash, int32_t c) { return (hash ^ (uint32_t)c) * FNV_PRIME; }

static void reset_line_state(Scanner *s) {
  s->text_hash = FNV_BASIS;
  s->prev_escape = false;
  s->mid_word = false;
  s->quote = 0;
  s->onbuild_depth = 0;
}

static void reset(Scanner *s) {
  s->escape = '\\';
  s->directives_done = false;
  s->at_line_start = false;
  s->chunk_break = false;
  s->heredoc_count = 0;
  s->names_length = 0;
  reset_line_state(s);
}

void *tree_sitter_dockerfile_external_scanner_create(void) {
  Scanner *s = calloc(1, sizeof(Scanner));
  if (s) reset(s);
  return s;
}

void tree_sitter_dockerfile_external_scanner_destroy(void *payload) { free(payload); }

/* Escape, flag bits, quote, ONBUILD depth, text hash, heredoc count. */
#define STATE_HEADER 9

unsigned tree_sitter_dockerfile_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *s = payload;
  unsigned n = 0;
  buffer[n++] = (char)(s->escape == '`' ? '`' : '\\');
  buffer[n++] = (char)((s->directives_done ? 1 : 0) | (s->at_line_start ? 2 : 0) |
                       (s->prev_escape ? 4 : 0) | (s->mid_word ? 8 : 0) |
                       (s->chunk_break ? 16 : 0));
  buffer[n++] = (char)s->quote;
  buffer[n++] = (char)s->onbuild_depth;
  memcpy(&buffer[n], &s->text_hash, sizeof(s->text_hash));
  n += sizeof(s->text_hash);
  buffer[n++] = (char)s->heredoc_count;
  for (unsigned i = 0; i < s->heredoc_count; i++) {
    Heredoc *h = &s->heredocs[i];
    if (n + 3 + h->length > TREE_SITTER_SERIALIZATION_BUFFER_SIZE) {
      buffer[STATE_HEADER - 1] = (char)i; /* drop what does not fit rather than overflow */
      break;
    }
    buffer[n++] = (char)h->chomp;
    buffer[n++] = (char)(h->length & 0xff);
    buffer[n++] = (char)(h->length >> 8);
    memcpy(&buffer[n], &s->names[h->offset], h->length);
    n += h->length;
  }
  return n;
}

void tree_sitter_dockerfile_external_scanner_deserialize(void *payload, const char *buffer,
                                                         unsigned length) {
  Scanner *s = payload;
  reset(s);
  if (length < STATE_HEADER) return;
  unsigned n = 0;
  s->escape = buffer[n++] == '`' ? '`' : '\\';
  uint8_t bits = (uint8_t)buffer[n++];
  s->directives_done = bits & 1;
  s->at_line_start = bits & 2;
  s->prev_escape = bits & 4;
  s->mid_word = bits & 8;
  s->chunk_break = bits & 16;
  s->quote = (uint8_t)buffer[n++];
  s->onbuild_depth = (uint8_t)buffer[n++];
  memcpy(&s->text_hash, &buffer[n], sizeof(s->text_hash));
  n += sizeof(s->text_hash);
  uint8_t count = (uint8_t)buffer[n++];
  for (uint8_t i = 0; i < count && i < MAX_HEREDOCS && n + 3 <= length; i++) {
    uint8_t chomp = (uint8_t)buffer[n++];
    uint16_t len = (uint16_t)((uint8_t)buffer[n] | ((uint16_t)(uint8_t)buffer[n + 1] << 8));
    n += 2;
    if (n + len > length || s->names_length + len > NAMES_CAPACITY) break;
    Heredoc *h = &s->heredocs[s->heredoc_count++];
    h->chomp = chomp;
    h->offset = s->names_length;
    h->length = len;
    memcpy(&s->names[s->names_length], &buffer[n], len);
    s->names_length += len;
    n += len;
  }
}

static void push_heredoc(Scanner *s, const char *name, unsigned len, bool chomp) {
  if (s->heredoc_count >= MAX_HEREDOCS || s->names_length + len > NAMES_CAPACITY) return;
  Heredoc *h = &s->heredocs[s->heredoc_count++];
  h->chomp = chomp;
  h->offset = s->names_length;
  h->length = (uint16_t)len;
  memcpy(&s->names[s->names_length], name, len);
  s->names_length += (uint16_t)len;
}

static void pop_heredoc(Scanner *s) {
  if (s->heredoc_count == 0) return;
  uint16_t removed = s->heredocs[0].length;
  memmove(s->names, s->names + removed, s->names_length - removed);
  s->names_length -= removed;
  for (unsigned i = 1; i < s->heredoc_count; i++) {
    s->heredocs[i - 1] = s->heredocs[i];
    s->heredocs[i - 1].offset -= removed;
  }
  s->heredoc_count--;
}

/* ---------- lexer helpers ---------- */

static inline void advance(TSLexer *l) { l->advance(l, false); }
static inline void skip(TSLexer *l) { l->advance(l, true); }
static inline bool at_eof(TSLexer *l) { return l->eof(l); }

/* Whitespace that separates words on a line (BuildKit's `[\t\v\f\r ]`). */
static inline bool is_blank(int32_t c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/*
 * The characters a word or shell fragment must look at: line ends (and the 0 of the end of
 * input), blanks, both escape characters, backslash escapes and quotes. Any other character only
 * extends the token, so the scanning loops take runs of them without the other tests.
 */
static const bool SPECIAL[128] = {
    [0] = true,   ['\n'] = true, [' '] = true, ['\t'] = true, ['\v'] = true, ['\f'] = true,
    ['\r'] = true, ['\\'] = true, ['`'] = true, ['"'] = true, ['\''] = true,
};

static inline bool is_plain(int32_t c) { return (uint32_t)c >= 128 || !SPECIAL[c]; }

/* The lexer reports 0 at the end of input; asking `eof` only then saves a call per character. */
static inline bool is_line_end(TSLexer *l) {
  return l->lookahead == '\n' || (l->lookahead == 0 && at_eof(l));
}

static bool emit(Scanner *s, TSLexer *l, enum TokenType t) {
  l->result_symbol = t;
  if (t != DIRECTIVE && t != BOM) s->directives_done = true;
  return true;
}

static unsigned utf8_encode(int32_t c, char out[4]) {
  if (c < 0x80) {
    out[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    out[0] = (char)(0xC0 | (c >> 6));
    out[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | (c >> 12));
    out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (c >> 18));
  out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
  out[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

static inline int32_t ascii_lower(int32_t c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/*
 * The lexer is at an escape character. Consumes it and what follows it on the line as far as
 * needed to tell whether it is a line continuation (escape, spaces or tabs, carriage returns, then
 * the end of the line). When `ws1_marked` is given, the token end is marked right after the
 * escape and the single blank it escapes, so a caller that finds no continuation can end a word
 * there. Returns true for a continuation, with the line break consumed.
 */
typedef struct {
  bool continuation;
  bool has_ws1;     /* a space or tab directly followed the escape (and was marked) */
  bool extra_blank; /* more blanks were consumed after that one */
} EscapeProbe;

static EscapeProbe probe_escape(TSLexer *l, bool prev_escape, bool mark_ws1) {
  EscapeProbe p = {false, false, false};
  advance(l); /* the escape */
  if (l->lookahead == ' ' || l->lookahead == '\t') {
    advance(l);
    p.has_ws1 = true;
    if (mark_ws1) l->mark_end(l);
    while (l->lookahead == ' ' || l->lookahead == '\t') {
      advance(l);
      p.extra_blank = true;
    }
  }
  while (l->lookahead == '\r') {
    advance(l);
    p.extra_blank = true;
  }
  if (!prev_escape && is_line_end(l)) {
    if (!at_eof(l)) advance(l);
    p.continuation = true;
  }
  return p;
}

/* ---------- heredoc bodies ---------- */

/*
 * Reads one physical line and says whether it equals the terminator of the first pending heredoc
 * (BuildKit compares the line without its trailing CR/LF, after stripping leading tabs for `<<-`).
 * Consumes the line including its line break.
 */
static bool line_is_terminator(Scanner *s, TSLexer *l) {
  Heredoc *h = &s->heredocs[0];
  const char *name = &s->names[h->offset];
  unsigned matched = 0;
  bool ok = true;
  bool pending_cr = false;
  if (h->chomp) {
    while (l->lookahead == '\t') advance(l);
  }
  while (!is_line_end(l)) {
    int32_t c = l->lookahead;
    advance(l);
    if (c == '\r') {
      pending_cr = true;
      continue;
    }
    char buf[4];
    unsigned n = utf8_encode(c, buf);
    /* A CR inside the line (not at its end) is part of it, so the line is no terminator. */
    if (pending_cr || matched + n > h->length || memcmp(name + matched, buf, n) != 0) {
      /* Body text: the rest of the line needs no look. */
      ok = false;
      while (!is_line_end(l)) advance(l);
      break;
    }
    matched += n;
  }
  if (!at_eof(l)) advance(l);
  return ok && matched == h->length;
}

/* Not at the end of the file (the caller handles that). */
static bool scan_heredoc(Scanner *s, TSLexer *l, const bool *valid) {
  if (line_is_terminator(s, l)) {
    if (!valid[HEREDOC_END]) return false;
    l->mark_end(l);
    pop_heredoc(s);
    s->at_line_start = true;
    return emit(s, l, HEREDOC_END);
  }
  if (!valid[HEREDOC_CONTENT]) return false;
  for (;;) {
    l->mark_end(l);
    if (at_eof(l)) {
      /* Unterminated: BuildKit rejects the file; the body runs to the end. */
      s->heredoc_count = 0;
      s->names_length = 0;
      break;
    }
    if (line_is_terminator(s, l)) break;
  }
  s->at_line_start = true;
  return emit(s, l, HEREDOC_CONTENT);
}

/* ---------- directives and comments ---------- */

/*
 * At a `#` on a line in the directive header. Consumes the line and says whether it is a parser
 * directive BuildKit knows (`syntax`, `escape`, `check`), following its pattern
 * `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`. Updates the escape character.
 */
static bool scan_directive_line(Scanner *s, TSLexer *l) {
  advance(l); /* '#' */
  while (l->lookahead == ' ' || l->lookahead == '\t' || l->lookahead == '\f' ||
         l->lookahead == '\r')
    advance(l);
  char key[16];
  unsigned key_len = 0;
  bool key_ok = false;
  if ((l->lookahead >= 'a' && l->lookahead <= 'z') || (l->lookahead >= 'A' && l->lookahead <= 'Z')) {
    key_ok = true;
    while ((l->lookahead >= 'a' && l->lookahead <= 'z') ||
           (l->lookahead >= 'A' && l->lookahead <= 'Z') ||
           (l->lookahead >= '0' && l->lookahead <= '9')) {
      if (key_len < sizeof(key) - 1) key[key_len++] = (char)ascii_lower(l->lookahead);
      else key_ok = false;
      advance(l);
    }
  }
  key[key_len] = 0;
  while (l->lookahead == ' ' || l->lookahead == '\t' || l->lookahead == '\f' ||
         l->lookahead == '\r')
    advance(l);
  bool matches = key_ok && l->lookahead == '=';
  if (matches) advance(l);
  /* The value: everything to the end of the line, trimmed; it must not be empty. */
  int32_t first = 0;
  unsigned value_len = 0;
  unsigned raw_len = 0;
  while (!is_line_end(l)) {
    int32_t c = l->lookahead;
    if (!(c == ' ' || c == '\t' || c == '\f' || c == '\r') || value_len > 0) {
      if (!(c == ' ' || c == '\t' || c == '\f' || c == '\r')) {
        if (value_len == 0) first = c;
        value_len++;
      }
    }
    raw_len++;
    advance(l);
  }
  if (!matches || raw_len == 0) return false;
  bool known = strcmp(key, "syntax") == 0 || strcmp(key, "escape") == 0 || strcmp(key, "check") == 0;
  if (!known) return false;
  if (strcmp(key, "escape") == 0 && value_len == 1 && (first == '`' || first == '\\')) {
    s->escape = first;
  }
  return true;
}

/* Consumes a comment to the end of its line (the line break too when asked). */
static void consume_comment(TSLexer *l, bool with_newline) {
  while (!is_line_end(l)) advance(l);
  /* Trailing CRs belong to the line break. */
  l->mark_end(l);
  if (with_newline && !at_eof(l)) {
    advance(l);
    l->mark_end(l);
  }
}

/* ---------- JSON (exec form) lookahead ---------- */

/*
 * Reads the logical line: continuations (and the blank and comment lines after them) are
 * removed, as BuildKit removes them before it decodes JSON. Characters consumed while probing an
 * escape that turns out not to be a continuation are replayed from a small buffer.
 */
typedef struct {
  TSLexer *l;
  int32_t escape;
  bool prev_escape;
  uint32_t text_hash; /* the scanner's, with what this reader reads added */
  int32_t pending[8];
  unsigned pending_len;
  unsigned pending_pos;
} LogicalReader;

#define LOGICAL_END (-1)

static void skip_continued_lines(LogicalReader *r) {
  TSLexer *l = r->l;
  for (;;) {
    unsigned blanks = 0;
    bool tab = false;
    while (l->lookahead == ' ' || l->lookahead == '\t' || l->lookahead == '\v' ||
           l->lookahead == '\f' || l->lookahead == '\r') {
      if (l->lookahead == '\t') tab = true;
      blanks++;
      advance(l);
    }
    if (at_eof(l)) return;
    if (l->lookahead == '\n') {
      advance(l); /* an empty continuation line */
      continue;
    }
    if (l->lookahead == '#') {
      while (!is_line_end(l)) advance(l);
      if (!at_eof(l)) advance(l);
      continue;
    }
    if (blanks) {
      /* Leading blanks of a continued line are kept; for validation one is as good as many. */
      r->pending[r->pending_len++] = tab ? '\t' : ' ';
    }
    return;
  }
}

/* Returns the next logical character (and consumes it), or LOGICAL_END. */
static int32_t logical_next(LogicalReader *r) {
  TSLexer *l = r->l;
  for (;;) {
    if (r->pending_pos < r->pending_len) return r->pending[r->pending_pos++];
    r->pending_len = r->pending_pos = 0;
    if (is_line_end(l)) return LOGICAL_END;
    int32_t c = l->lookahead;
    if (c == r->escape) {
      bool prev = r->prev_escape;
      EscapeProbe p = probe_escape(l, prev, false);
      if (p.continuation) {
        r->prev_escape = false;
        skip_continued_lines(r);
        continue;
      }
      /* Replay what the probe consumed: the escape, then the blanks and CRs. */
      r->pending[r->pending_len++] = c;
      if (p.has_ws1) r->pending[r->pending_len++] = ' ';
      if (p.extra_blank) r->pending[r->pending_len++] = '\r';
      r->pending_pos = 0;
      r->prev_escape = !(p.has_ws1 || p.extra_blank);
      return r->pending[r->pending_pos++];
    }
    r->text_hash = fnv_step(r->text_hash, c);
    advance(l);
    r->prev_escape = false;
    return c;
  }
}

static bool is_json_space(int32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int32_t next_non_space(LogicalReader *r) {
  int32_t c;
  do {
    c = logical_next(r);
  } while (c != LOGICAL_END && is_json_space(c));
  return c;
}

static bool is_hex(int32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* After an opening quote: reads a JSON string through its closing quote. */
static bool json_string_body(LogicalReader *r) {
  for (;;) {
    int32_t c = logical_next(r);
    if (c == LOGICAL_END || c < 0x20) return false;
    if (c == '"') return true;
    if (c == '\\') {
      int32_t e = logical_next(r);
      switch (e) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          break;
        case 'u':
          for (int i = 0; i < 4; i++) {
            if (!is_hex(logical_next(r))) return false;
          }
          break;
        default:
          return false;
      }
    }
  }
}

/* After `[`: is this a JSON array whose elements are all strings? */
static bool json_string_array_ahead(LogicalReader *r) {
  int32_t c = next_non_space(r);
  if (c == ']') return true;
  for (;;) {
    if (c != '"' || !json_string_body(r)) return false;
    c = next_non_space(r);
    if (c == ']') return true;
    if (c != ',') return false;
    c = next_non_space(r);
  }
}

/* ---------- words ---------- */

typedef enum { WORD_PLAIN, WORD_SHELL, WORD_FLAG } WordStyle;

/* Consumes a run of plain characters (the common case, kept to a tight loop), hashing them
 * for the chunk decision. */
static void take_plain_run(Scanner *s, TSLexer *l) {
  uint32_t hash = s->text_hash;
  do {
    hash = fnv_step(hash, l->lookahead);
    advance(l);
  } while (is_plain(l->lookahead));
  s->text_hash = hash;
  s->prev_escape = false;
}

/*
 * Scans the rest of a word whose first characters may already be consumed. Ends at an unquoted
 * blank, at the end of the line, or before an escape that is followed by a blank or the line end
 * (a possible continuation, which the next scan decides). The end is marked where the word
 * ends, and before each escape in case a continuation follows it.
 */
static void scan_word_rest(Scanner *s, TSLexer *l, WordStyle style) {
  for (;;) {
    if (is_plain(l->lookahead)) {
      take_plain_run(s, l);
      continue;
    }
    if (is_line_end(l)) {
      s->mid_word = false;
      l->mark_end(l);
      return;
    }
    int32_t c = l->lookahead;
    if (!s->quote && is_blank(c)) {
      s->mid_word = false;
      l->mark_end(l);
      return;
    }
    if (c == s->escape) {
      l->mark_end(l);
      advance(l);
      int32_t n = l->lookahead;
      if (is_line_end(l) || n == ' ' || n == '\t' || n == '\r') {
        /* Token ends before the escape; the mark is still there. */
        s->mid_word = true;
        return;
      }
      /* In single quotes the escape is literal, except in flags, where BuildKit always escapes;
       * a backtick escape is literal to shell-word lexing. */
      if (!(s->quote == '\'' && style != WORD_FLAG) && s->escape == '\\') {
        advance(l);
        s->prev_escape = (n == s->escape);
      } else {
        s->prev_escape = true;
      }
      l->mark_end(l);
      continue;
    }
    s->prev_escape = false;
    if (c == '\\' && s->escape != '\\' && style != WORD_PLAIN && s->quote != '\'') {
      /* Flags and shell words use backslash escapes whatever the escape directive says (but
       * the escape character after it may still start a continuation). */
      advance(l);
      if (!is_line_end(l) && l->lookahead != s->escape) advance(l);
      l->mark_end(l);
      continue;
    }
    if (s->quote) {
      if (c == s->quote) s->quote = 0;
    } else if (c == '"' || c == '\'') {
      s->quote = (uint8_t)c;
    }
    s->text_hash = fnv_step(s->text_hash, c);
    advance(l);
  }
}

/*
 * At a word start: if the word is a heredoc marker as BuildKit reads it (`N<<NAME`, `<<-NAME`,
 * `<< NAME`, quoted names), consumes it, marks its end and returns true with the name and chomp
 * flag recorded. Otherwise returns false; the characters consumed so far then belong to an
 * ordinary word or fragment, and `*consumed_blank` says whether the last one was a blank.
 */
typedef struct {
  char name[256];
  unsigned name_len;
  bool chomp;
  bool too_long;
} MarkerName;

static void name_push(MarkerName *m, int32_t c) {
  char buf[4];
  unsigned n = utf8_encode(c, buf);
  if (m->name_len + n <= sizeof(m->name)) {
    memcpy(&m->name[m->name_len], buf, n);
    m->name_len += n;
  } else {
    m->too_long = true;
  }
}

static bool scan_heredoc_marker(Scanner *s, TSLexer *l, MarkerName *m, bool *consumed_any,
                                bool mark) {
  *consumed_any = false;
  m->name_len = 0;
  m->chomp = false;
  m->too_long = false;
  while (l->lookahead >= '0' && l->lookahead <= '9') {
    advance(l);
    *consumed_any = true;
  }
  if (l->lookahead != '<') return false;
  advance(l);
  *consumed_any = true;
  if (l->lookahead != '<') return false;
  advance(l);
  if (l->lookahead == '-') {
    m->chomp = true;
    advance(l);
  } else {
    /* BuildKit's lexer glues the blanks right after `<<` to the name (`<<  EOF`); after
     * `<<-` they separate words, so `<<- EOF` is no heredoc. */
    while (l->lookahead == ' ' || l->lookahead == '\t' || l->lookahead == '\r') advance(l);
  }
  /* The rest of the shell word, read from the logical line (a continuation may split it):
   * quotes are removed and backslash escapes applied, as BuildKit's lexer does. */
  LogicalReader r = {l, s->escape, false, s->text_hash, {0}, 0, 0};
  uint8_t quote = 0;
  unsigned raw = 0;
  bool valid = true;
  int32_t c;
  for (;;) {
    if (mark && r.pending_pos >= r.pending_len) l->mark_end(l);
    c = logical_next(&r);
    if (c == LOGICAL_END) break;
    if (!quote && is_blank(c)) break;
    raw++;
    if (c == '<') valid = false; /* `[^<]*` applies to the raw word */
    if (c == '\\' && quote != '\'') {
      int32_t e = logical_next(&r);
      if (e == LOGICAL_END) {
        c = e;
        break;
      }
      raw++;
      if (e == '<') valid = false;
      if (quote == '"' && !(e == '"' || e == '$' || e == '\\')) name_push(m, '\\');
      name_push(m, e);
      continue;
    }
    if (quote && c == quote) {
      quote = 0;
      continue;
    }
    if (!quote && (c == '"' || c == '\'')) {
      quote = (uint8_t)c;
      continue;
    }
    name_push(m, c);
  }
  if (quote || raw == 0 || m->name_len == 0 || m->too_long || !valid) return false;
  /* BuildKit finds no heredoc at all on a line its shell lexer cannot split, which is a line
   * with an unterminated quote: look at the rest of the logical line. */
  uint8_t q = 0;
  while (c != LOGICAL_END) {
    c = logical_next(&r);
    if (c == LOGICAL_END) break;
    if (q == 0) {
      if (c == '\\') {
        if (logical_next(&r) == LOGICAL_END) break;
      } else if (c == '\'' || c == '"') {
        q = (uint8_t)c;
      }
    } else if (q == '"' && c == '\\') {
      if (logical_next(&r) == LOGICAL_END) break;
    } else if (c == q) {
      q = 0;
    }
  }
  s->text_hash = r.text_hash;
  return q == 0;
}

/* ---------- keywords ---------- */

static bool scan_keyword(Scanner *s, TSLexer *l, const bool *valid) {
  char word[16];
  unsigned len = 0;
  bool fits = true;
  while (!is_line_end(l) && !is_blank(l->lookahead)) {
    if (l->lookahead == s->escape) {
      l->mark_end(l);
      advance(l);
      if (is_line_end(l) || l->lookahead == ' ' || l->lookahead == '\t' || l->lookahead == '\r') {
        /* A continuation may follow: the keyword ends before the escape. */
        s->mid_word = true;
        goto done;
      }
      fits = false;
      s->prev_escape = (l->lookahead == s->escape);
      advance(l);
      continue;
    }
    s->prev_escape = false;
    if (len < sizeof(word) - 1 && l->lookahead < 0x80) {
      word[len++] = (char)ascii_lower(l->lookahead);
    } else {
      fits = false;
    }
    s->text_hash = fnv_step(s->text_hash, l->lookahead);
    advance(l);
  }
  l->mark_end(l);
done:
  word[len] = 0;
  if (fits) {
    for (int i = 0; i < KEYWORD_COUNT; i++) {
      if (word[0] == KEYWORDS[i][0] && strcmp(word, KEYWORDS[i]) == 0 && valid[KW_FROM + i]) {
        if (KW_FROM + i == KW_ONBUILD && s->onbuild_depth < 255) s->onbuild_depth++;
        return emit(s, l, KW_FROM + i);
      }
    }
  }
  if (!valid[KW_UNKNOWN]) return false;
  return emit(s, l, KW_UNKNOWN);
}

/* ---------- chunks ---------- */

/*
 * Top-level instructions are grouped into hidden chunks so that an incremental reparse reuses
 * whole chunks. Tree-sitter marks the nodes of a long `repeat` as fragile and never reuses them,
 * so without chunks every reparse walks all instructions of the file; a chunk node starts with
 * an instruction and ends with a zero-width CHUNK_END token, so it is not fragile itself.
 *
 * Where chunks end must depend on the text alone, never on how the tree was reached, or an
 * incremental parse would group differently from a fresh one. So the decision is a hash of the
 * instruction's own text (its keyword, words, shell text and JSON): about one instruction in 64
 * ends a chunk. The tokens of the instruction add to the hash as they read their characters and
 * it travels in the serialized state, so an edit anywhere in the instruction re-lexes the tokens
 * after it up to the NEWLINE token, which decides again. Hashing text that was read anyway
 * costs a multiply per character; reading ahead into the next line, as this once did, lexed
 * those characters twice (a sixth of all characters lexed on a large file).
 *
 * The decision takes the top bits: FNV's low bits depend only on the low bits of each character.
 */
#define CHUNK_ODDS_BITS 6

static void decide_chunk_break(Scanner *s) {
  s->chunk_break = (s->text_hash >> (32 - CHUNK_ODDS_BITS)) == 0;
}

/* ---------- the scanner ---------- */

/* Asked on nearly every token, so the 19 flags are read as three words rather than one by one. */
static bool any_keyword_valid(const bool *valid) {
  uint64_t a, b, c = 0;
  memcpy(&a, &valid[KW_FROM], 8);
  memcpy(&b, &valid[KW_FROM + 8], 8);
  memcpy(&c, &valid[KW_FROM + 16], KW_UNKNOWN + 1 - (KW_FROM + 16));
  return (a | b | c) != 0;
}

bool tree_sitter_dockerfile_external_scanner_scan(void *payload, TSLexer *l, const bool *valid) {
  Scanner *s = payload;

  /* Error recovery asks for every token at once; no token here helps it. */
  if (valid[ERROR_SENTINEL]) return false;

  if (s->heredoc_count > 0 && (valid[HEREDOC_CONTENT] || valid[HEREDOC_END])) {
    if (!at_eof(l)) return scan_heredoc(s, l, valid);
    /* The file ends before the body starts: the bodies are dropped, and the instruction and
     * its chunk end with the file like any other (returning nothing here would leave the
     * parser no token but a MISSING one). */
    s->heredoc_count = 0;
    s->names_length = 0;
  }

  bool in_instruction = valid[NEWLINE];

  if (valid[BOM] && l->lookahead == 0xFEFF) {
    advance(l);
    l->mark_end(l);
    return emit(s, l, BOM);
  }

  /* Skip blanks; line breaks too, where they do not end an instruction. */
  bool skipped_blank = false;
  for (;;) {
    int32_t c = l->lookahead;
    if (is_blank(c)) {
      skip(l);
      skipped_blank = true;
    } else if (c == '\n') {
      if (in_instruction && !s->at_line_start) break;
      skip(l);
      skipped_blank = false; /* a dropped blank line leaves the word state alone */
      if (!in_instruction) s->directives_done = true;
    } else {
      break;
    }
  }
  if (skipped_blank) {
    s->prev_escape = false;
    s->mid_word = false;
  }

  /* Only a 0 can be the end of input (see `is_line_end`). */
  if (l->lookahead == 0 && at_eof(l)) {
    if (valid[NEWLINE]) {
      l->mark_end(l);
      reset_line_state(s);
      s->at_line_start = true;
      s->chunk_break = false;
      return emit(s, l, NEWLINE);
    }
    if (valid[CHUNK_END]) {
      l->mark_end(l);
      s->chunk_break = false;
      return emit(s, l, CHUNK_END);
    }
    return false;
  }

  bool line_start = !in_instruction || s->at_line_start;
  int32_t c = l->lookahead;

  if (c == '\n') {
    /* in_instruction && !at_line_start: the instruction's line ends here. */
    advance(l);
    l->mark_end(l);
    decide_chunk_break(s);
    reset_line_state(s);
    s->at_line_start = true;
    return emit(s, l, NEWLINE);
  }

  if (line_start && c == '#') {
    if (!in_instruction && valid[DIRECTIVE] && !s->directives_done) {
      if (scan_directive_line(s, l)) {
        l->mark_end(l);
        if (!at_eof(l)) {
          advance(l);
          l->mark_end(l);
        }
        s->at_line_start = false;
        return emit(s, l, DIRECTIVE);
      }
      s->directives_done = true;
      consume_comment(l, false);
      s->at_line_start = false;
      return emit(s, l, COMMENT);
    }
    if (!valid[COMMENT]) return false;
    consume_comment(l, in_instruction);
    s->prev_escape = false;
    s->at_line_start = in_instruction;
    return emit(s, l, COMMENT);
  }

  bool prev_escape = s->prev_escape;
  s->at_line_start = false;

  /* An escape at the start of a token: a line continuation, or a word that starts with it. */
  bool started = false; /* characters of the token have been consumed */
  if (c == s->escape) {
    EscapeProbe p = probe_escape(l, prev_escape, true);
    if (p.continuation) {
      l->mark_end(l);
      s->at_line_start = true;
      s->prev_escape = false;
      /* mid_word and quote carry over: BuildKit joins the lines. */
      return emit(s, l, LINE_CONTINUATION);
    }
    started = true;
    s->prev_escape = !p.has_ws1 && !p.extra_blank;
    if (!p.has_ws1) {
      /* The escape is followed by an ordinary character (or CRs). A backslash escapes it;
       * a backtick escape is literal to the shell-word lexing that finds quotes and heredocs,
       * so the character after it is read normally. */
      if (s->escape == '\\' && !is_line_end(l) && !is_blank(l->lookahead)) {
        s->prev_escape = (l->lookahead == s->escape);
        advance(l);
      }
      l->mark_end(l);
    }
    if (p.has_ws1 && p.extra_blank) {
      /* `\ ` then more blanks: a word that is just the escaped blank. */
      s->mid_word = false;
      s->prev_escape = false;
      if (valid[SHELL_FRAGMENT]) return emit(s, l, SHELL_FRAGMENT);
      if (valid[WORD]) return emit(s, l, WORD);
      if (valid[FLAG]) return emit(s, l, FLAG);
      if (any_keyword_valid(valid)) return emit(s, l, KW_UNKNOWN);
      return false;
    }
  }

  if (!started && s->mid_word && valid[FLAG]) {
    /* A flag word split by a line continuation (`--fl\` then `ag`): BuildKit joins it. */
    scan_word_rest(s, l, WORD_FLAG);
    return emit(s, l, FLAG);
  }

  if (!started && in_instruction && any_keyword_valid(valid) &&
      !(valid[FLAG] && c == '-')) {
    /* ONBUILD's trigger instruction. */
    return scan_keyword(s, l, valid);
  }
  if (!started && !in_instruction) {
    if (s->chunk_break && valid[CHUNK_END]) {
      l->mark_end(l);
      s->chunk_break = false;
      return emit(s, l, CHUNK_END);
    }
    if (!any_keyword_valid(valid)) return false;
    return scan_keyword(s, l, valid);
  }
  if (started && any_keyword_valid(valid) && !valid[WORD] && !valid[SHELL_FRAGMENT]) {
    /* A keyword that starts with the escape character is an unknown instruction. */
    scan_word_rest(s, l, WORD_PLAIN);
    return valid[KW_UNKNOWN] ? emit(s, l, KW_UNKNOWN) : false;
  }

  /* FROM ... AS name */
  if (!started && valid[AS_KW] && (c == 'a' || c == 'A') && !s->quote) {
    advance(l);
    if (l->lookahead == 's' || l->lookahead == 'S') {
      advance(l);
      l->mark_end(l);
      if (is_line_end(l) || is_blank(l->lookahead) || l->lookahead == s->escape) {
        return emit(s, l, AS_KW);
      }
    } else {
      l->mark_end(l);
    }
    started = true;
  }

  /* Builder flags: `--name[=value]`, and `--` alone ending them. */
  if (!started && (valid[FLAG] || valid[FLAGS_END]) && c == '-') {
    advance(l);
    l->mark_end(l);
    started = true;
    if (l->lookahead == '-') {
      advance(l);
      l->mark_end(l);
      if ((is_line_end(l) || is_blank(l->lookahead)) && valid[FLAGS_END]) {
        return emit(s, l, FLAGS_END);
      }
      scan_word_rest(s, l, WORD_FLAG);
      if (valid[FLAG]) return emit(s, l, FLAG);
    }
    /* `-x` is not a flag: it is ONBUILD's (unknown) trigger keyword, or an argument. */
    if (any_keyword_valid(valid) && !valid[WORD] && !valid[SHELL_FRAGMENT]) {
      scan_word_rest(s, l, WORD_PLAIN);
      return valid[KW_UNKNOWN] ? emit(s, l, KW_UNKNOWN) : false;
    }
  }

  /*
   * Exec form: a valid JSON array of strings, as one token through its `]` (anything after it
   * is ignored). One token rather than one per string and comma: the model reads the array
   * from the logical line, and exec forms are a large share of the tokens of a big file.
   */
  if (!started && c == '[' && valid[JSON_ARRAY]) {
    advance(l);
    l->mark_end(l);
    LogicalReader r = {l, s->escape, false, s->text_hash, {0}, 0, 0};
    bool json = json_string_array_ahead(&r);
    s->text_hash = r.text_hash;
    if (json) {
      l->mark_end(l);
      s->prev_escape = false;
      return emit(s, l, JSON_ARRAY);
    }
    /* Shell form after all. The token is just `[` (the probe's characters are not part of it),
     * and the next token continues the same word. */
    s->mid_word = true;
    s->prev_escape = false;
    if (valid[SHELL_FRAGMENT]) return emit(s, l, SHELL_FRAGMENT);
    if (valid[WORD]) return emit(s, l, WORD);
    return false;
  }

  /* Heredoc markers at the start of a shell word (RUN, COPY, ADD). */
  bool heredocs_here = valid[HEREDOC_MARKER] && s->onbuild_depth < 2;
  if (!started && heredocs_here && !s->mid_word && !s->quote &&
      ((c >= '0' && c <= '9') || c == '<')) {
    MarkerName m;
    bool consumed = false;
    if (scan_heredoc_marker(s, l, &m, &consumed, true)) {
      push_heredoc(s, m.name, m.name_len, m.chomp);
      s->mid_word = false;
      return emit(s, l, HEREDOC_MARKER);
    }
    if (consumed) {
      l->mark_end(l);
      started = true;
    }
  }

  if (valid[WORD]) {
    scan_word_rest(s, l, valid[HEREDOC_MARKER] ? WORD_SHELL : WORD_PLAIN);
    return emit(s, l, WORD);
  }

  if (valid[SHELL_FRAGMENT]) {
    /*
     * A run of shell text up to the end of the line, a possible continuation, or (in RUN) a
     * heredoc marker at a word start. Quotes are tracked so a `<<` inside them is not a marker.
     * The end is marked after the last non-blank character: `pending` says characters were
     * taken since the last mark, which is set before the next blank, escape or line end rather
     * than after every character.
     */
    bool heredocs = heredocs_here;
    bool word_start = !started && !s->mid_word;
    bool have_text = started;
    if (started) l->mark_end(l);
    bool pending = false;
    for (;;) {
      if (is_line_end(l)) {
        s->mid_word = false;
        if (pending) l->mark_end(l);
        break;
      }
      int32_t ch = l->lookahead;
      /* Heredoc markers start with a digit or `<`, which only matter at a word start. */
      if (!word_start && is_plain(ch)) {
        take_plain_run(s, l);
        pending = true;
        have_text = true;
        continue;
      }
      if (is_blank(ch)) {
        if (pending) l->mark_end(l);
        pending = false;
        s->prev_escape = false;
        advance(l);
        if (!s->quote) word_start = true;
        continue;
      }
      if (ch == s->escape) {
        if (pending) l->mark_end(l);
        pending = false;
        /*
         * Line continuations stay inside the fragment, so a long continued RUN script is one
         * token rather than two per line (this is what keeps parsing a large file fast).
         */
        bool prev_e = s->prev_escape;
        bool word_start_before = word_start;
        advance(l);
        int32_t n = l->lookahead;
        if (!is_line_end(l) && !is_blank(n)) {
          /* The escape and the character it escapes (a backtick is literal to the lexing of
           * quotes and heredocs). */
          if (s->quote != '\'' && s->escape == '\\') {
            advance(l);
            s->prev_escape = (n == s->escape);
          } else {
            s->prev_escape = true;
          }
          l->mark_end(l);
          word_start = false;
          have_text = true;
          continue;
        }
        if (prev_e) {
          /* After an escaped escape this one is literal (BuildKit's continuation pattern). */
          l->mark_end(l);
          have_text = true;
        }
        while (l->lookahead == ' ' || l->lookahead == '\t') advance(l);
        while (l->lookahead == '\r') advance(l);
        if (prev_e || !is_line_end(l)) {
          /* Not a continuation: the escape escaped a blank, or is literal. */
          s->prev_escape = false;
          if (!is_line_end(l) && !prev_e) {
            l->mark_end(l);
            have_text = true;
          }
          word_start = false;
          continue;
        }
        /* A continuation: take the line break, then the blank lines after it. */
        if (!at_eof(l)) advance(l);
        l->mark_end(l);
        have_text = true;
        s->prev_escape = false;
        bool lead_blank = false;
        for (;;) {
          lead_blank = false;
          while (is_blank(l->lookahead)) {
            advance(l);
            lead_blank = true;
          }
          if (at_eof(l)) {
            s->at_line_start = true;
            s->mid_word = !word_start_before;
            return emit(s, l, SHELL_FRAGMENT);
          }
          if (l->lookahead == '\n') {
            advance(l);
            l->mark_end(l);
            continue;
          }
          break;
        }
        if (l->lookahead == '#') {
          /* A comment line inside the continuation is a token of its own. */
          s->at_line_start = true;
          s->mid_word = !word_start_before;
          return emit(s, l, SHELL_FRAGMENT);
        }
        word_start = lead_blank || word_start_before;
        continue;
      }
      s->prev_escape = false;
      if (heredocs && word_start && !s->quote && ((ch >= '0' && ch <= '9') || ch == '<')) {
        if (pending) l->mark_end(l);
        pending = false;
        MarkerName m;
        bool consumed = false;
        if (scan_heredoc_marker(s, l, &m, &consumed, !have_text)) {
          if (have_text) {
            /* The marker is the next token; this fragment ended at the earlier mark. */
            break;
          }
          push_heredoc(s, m.name, m.name_len, m.chomp);
          s->mid_word = false;
          return emit(s, l, HEREDOC_MARKER);
        }
        if (consumed) {
          l->mark_end(l);
          have_text = true;
        }
        word_start = false;
        continue;
      }
      if (ch == '\\' && s->escape != '\\' && s->quote != '\'') {
        advance(l);
        if (!is_line_end(l) && l->lookahead != s->escape) advance(l);
        pending = false;
        l->mark_end(l);
        word_start = false;
        have_text = true;
        continue;
      }
      if (s->quote) {
        if (ch == s->quote) s->quote = 0;
      } else if (ch == '"' || ch == '\'') {
        s->quote = (uint8_t)ch;
      }
      s->text_hash = fnv_step(s->text_hash, ch);
      advance(l);
      pending = true;
      word_start = false;
      have_text = true;
    }
    if (!have_text) return false;
    return emit(s, l, SHELL_FRAGMENT);
  }

  if (valid[FLAG] && started) return emit(s, l, FLAG);
  return false;
}
