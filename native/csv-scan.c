/*
 * The byte loop of electron/export/csv-scan.ts, compiled to WebAssembly (SIMD128): one pass over a vendor
 * CSV's bytes that finds where records end, counts their fields, follows quoted cells and notes the cells
 * whose first byte the formula guard may care about. The rules are those of csv-scan.ts's documentation;
 * the wording of errors and the guard's decision stay in TypeScript.
 *
 * Build: `npm run build:wasm` (clang with the wasm32 target and wasm-ld; Debian: clang lld), which
 * writes electron/export/csv-scan-wasm.ts. No libc: the module imports nothing.
 *
 * Calling convention. The caller copies bytes to input_ptr(), sets the fields of `st` it owns (the
 * scanner's state between calls), and calls scan(from, n, final). It returns the offset the caller goes
 * on from and sets st.status:
 *   ST_DONE  every whole record up to the returned offset was scanned (n when none is left unfinished);
 *   ST_FULL  an output list is full: take the outputs and call again from the returned offset;
 *   ST_ERROR the file is not CSV as the export reads it: st.err and its arguments say why.
 * Outputs, offsets into the input: idx (row starts for the sparse index), ends (when st.want_ends: the
 * start of the record after each record), and events, four words each, in file order:
 *   EV_CELL  [EV_CELL | QUOTED? | ESCAPED? | SURE?, content start, content end, 0]: a candidate for the
 *            guard; SURE: its first byte is one of = + - @ TAB CR NUL and it is no plain number, which is
 *            all the guard asks of such a cell (it looks further only past blanks and non-ASCII bytes)
 *   EV_ROW   [EV_ROW | RECODE? | OVERFLOW?, row start, next row start, cells]: closes a row that had
 *            candidates (the `cells` events before it) or needs recoding; OVERFLOW: too many candidates
 *            to list, every cell of the row must be looked at.
 */
#include <stdint.h>
#include <wasm_simd128.h>

#define QUOTE 0x22
#define COMMA 0x2c
#define CR 0x0d
#define LF 0x0a

enum { D_NONE = 0, D_CRLF = 1, D_LF = 2, D_CR = 3 };
enum { ST_DONE = 0, ST_FULL = 1, ST_ERROR = 2 };
enum {
  E_QUOTE_NOT_CLOSED = 1,
  E_CLOSING_QUOTE = 2,   /* a: the byte after the quote */
  E_OPENING_QUOTE = 3,   /* a: the field's number */
  E_STRAY_LINE_BREAK = 4,
  E_RECORD_LENGTH = 5,   /* a: the header's width, b: the record's */
};
enum {
  EV_CELL = 1,
  EV_ROW = 2,
  EV_QUOTED = 0x100,
  EV_ESCAPED = 0x200,
  EV_SURE = 0x400,
  EV_RECODE = 0x100,
  EV_OVERFLOW = 0x200,
};

#define IDX_CAP 4096
#define ENDS_CAP 65536
#define EV_CAP (65536 * 4)
/* Candidates of one row beyond this are not listed (EV_OVERFLOW). */
#define ROW_CELLS_MAX 1024

typedef struct {
  /* The scanner's state, kept by the caller between calls. */
  uint32_t records;
  int32_t width;
  int32_t delim;
  int32_t open_end;
  uint32_t line;
  uint32_t row_base;
  uint32_t index_every;
  int32_t want_ends;
  /* Outputs of the last call. */
  int32_t status;
  int32_t header_end;
  uint32_t n_idx;
  uint32_t n_ends;
  uint32_t n_events;
  int32_t err;
  uint32_t err_line;
  uint32_t err_a;
  uint32_t err_b;
} State;

State st;
uint32_t idx[IDX_CAP];
uint32_t ends[ENDS_CAP];
uint32_t events[EV_CAP];

extern unsigned char __heap_base;

State *state_ptr(void) { return &st; }
uint32_t *idx_ptr(void) { return idx; }
uint32_t *ends_ptr(void) { return ends; }
uint32_t *events_ptr(void) { return events; }
uint8_t *input_ptr(void) { return (uint8_t *)((((uintptr_t)&__heap_base) + 15) & ~(uintptr_t)15); }

/*
 * First bytes of a cell the formula guard may change: the formula characters, tab, CR and NUL, the ASCII
 * blanks (space, LF, VT, FF), and the UTF-8 lead bytes of the other blanks the guard looks past (0xC2: NEL,
 * NBSP; 0xE1: U+1680, U+180E; 0xE2: U+2000-U+2060; 0xE3: U+3000) and of the fullwidth forms and U+FEFF
 * (0xEF). Only a prefilter: the guard decides.
 */
static int guard_lead(uint8_t b) {
  switch (b) {
    case 0x3d: case 0x2b: case 0x2d: case 0x40: case 0x09: case CR: case 0x00: case 0x20: case LF:
    case 0x0b: case 0x0c: case 0xc2: case 0xe1: case 0xe2: case 0xe3: case 0xef:
      return 1;
    default:
      return 0;
  }
}

/* First bytes after which the guard changes any cell that is no plain number. */
static int guard_sure(uint8_t b) {
  return b == 0x3d || b == 0x2b || b == 0x2d || b == 0x40 || b == 0x09 || b == CR || b == 0x00;
}

static int is_digit(uint8_t b) { return b >= 0x30 && b <= 0x39; }

/* Whether bytes [s, e) are a plain signed decimal ('+15551234567', '-12.5', '1e5'), which the guard leaves. */
static int plain_number(const uint8_t *buf, uint32_t s, uint32_t e) {
  uint32_t i = s;
  if (i < e && (buf[i] == 0x2b || buf[i] == 0x2d)) i++;
  uint32_t int_start = i;
  while (i < e && is_digit(buf[i])) i++;
  int digits = i > int_start;
  if (i < e && buf[i] == 0x2e) {
    i++;
    uint32_t frac_start = i;
    while (i < e && is_digit(buf[i])) i++;
    digits = digits || i > frac_start;
  }
  if (!digits) return 0;
  if (i < e && (buf[i] == 0x65 || buf[i] == 0x45)) {
    i++;
    if (i < e && (buf[i] == 0x2b || buf[i] == 0x2d)) i++;
    uint32_t exp_start = i;
    while (i < e && is_digit(buf[i])) i++;
    if (i == exp_start) return 0;
  }
  return i == e;
}

/* The first quote, comma, CR or LF at or after i (n when none). */
static uint32_t skip_plain(const uint8_t *buf, uint32_t i, uint32_t n) {
  const v128_t q = wasm_i8x16_splat(QUOTE), c = wasm_i8x16_splat(COMMA);
  const v128_t r = wasm_i8x16_splat(CR), l = wasm_i8x16_splat(LF);
  while (i + 16 <= n) {
    v128_t v = wasm_v128_load(buf + i);
    v128_t m = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, q), wasm_i8x16_eq(v, c)),
                            wasm_v128_or(wasm_i8x16_eq(v, r), wasm_i8x16_eq(v, l)));
    uint32_t bits = wasm_i8x16_bitmask(m);
    if (bits) return i + __builtin_ctz(bits);
    i += 16;
  }
  while (i < n) {
    uint8_t b = buf[i];
    if (b == QUOTE || b == COMMA || b == CR || b == LF) return i;
    i++;
  }
  return n;
}

/*
 * The first quote at or after i (n when none); on the way, sets *special when a comma, CR or LF comes
 * before it and adds the LFs before it to *lines.
 */
static uint32_t find_quote(const uint8_t *buf, uint32_t i, uint32_t n, int *special, uint32_t *lines) {
  const v128_t q = wasm_i8x16_splat(QUOTE), c = wasm_i8x16_splat(COMMA);
  const v128_t r = wasm_i8x16_splat(CR), l = wasm_i8x16_splat(LF);
  while (i + 16 <= n) {
    v128_t v = wasm_v128_load(buf + i);
    uint32_t qm = wasm_i8x16_bitmask(wasm_i8x16_eq(v, q));
    v128_t lv = wasm_i8x16_eq(v, l);
    uint32_t sm = wasm_i8x16_bitmask(wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, c), wasm_i8x16_eq(v, r)), lv));
    uint32_t lm = wasm_i8x16_bitmask(lv);
    if (qm) {
      uint32_t before = (qm & (0u - qm)) - 1;
      if (sm & before) *special = 1;
      *lines += __builtin_popcount(lm & before);
      return i + __builtin_ctz(qm);
    }
    if (sm) *special = 1;
    *lines += __builtin_popcount(lm);
    i += 16;
  }
  while (i < n) {
    uint8_t b = buf[i];
    if (b == QUOTE) return i;
    if (b == COMMA || b == CR || b == LF) *special = 1;
    if (b == LF) *lines += 1;
    i++;
  }
  return n;
}

static uint32_t fail(int code, uint32_t line, uint32_t a, uint32_t b, uint32_t at) {
  st.status = ST_ERROR;
  st.err = code;
  st.err_line = line;
  st.err_a = a;
  st.err_b = b;
  return at;
}

/* The delimiter a line break at i sets: LF, CRLF or CR (a CR as the last byte of the data is CR). */
static int32_t delim_at(const uint8_t *buf, uint32_t i, uint32_t n, int c) {
  return c == LF ? D_LF : (i + 1 < n && buf[i + 1] == LF) ? D_CRLF : D_CR;
}

uint32_t scan(uint32_t from, uint32_t n, int32_t final) {
  const uint8_t *buf = input_ptr();
  uint32_t i = from;
  st.status = ST_DONE;
  st.header_end = -1;
  st.n_idx = 0;
  st.n_ends = 0;
  st.n_events = 0;
  while (i < n) {
    if (i > from && (st.n_idx >= IDX_CAP || st.n_ends >= ENDS_CAP || st.n_events + 4 * (ROW_CELLS_MAX + 1) > EV_CAP)) {
      st.status = ST_FULL;
      return i;
    }
    const uint32_t start = i;
    const uint32_t events_at = st.n_events;
    uint32_t line = st.line;
    uint32_t fields = 0;
    uint32_t cells = 0;
    int recode = 0;
    int overflow = 0;
    uint32_t next;
#define CANDIDATE(kind, s, e)                                                   \
  do {                                                                         \
    if (cells < ROW_CELLS_MAX) {                                               \
      uint32_t *ev = events + st.n_events;                                     \
      ev[0] = (kind);                                                          \
      ev[1] = (s);                                                             \
      ev[2] = (e);                                                             \
      ev[3] = 0;                                                               \
      st.n_events += 4;                                                        \
      cells++;                                                                 \
    } else {                                                                   \
      overflow = 1;                                                            \
    }                                                                          \
  } while (0)
#define UNFINISHED()           \
  do {                         \
    st.n_events = events_at;   \
    return start;              \
  } while (0)
    for (;;) {
      fields++;
      int c = i < n ? buf[i] : -1;
      if (c == QUOTE) {
        const uint32_t open = i;
        int special = 0;
        uint32_t lines = 0;
        uint32_t j = find_quote(buf, i + 1, n, &special, &lines);
        int escaped = 0;
        while (j < n && j + 1 < n && buf[j + 1] == QUOTE) {
          escaped = 1;
          j = find_quote(buf, j + 2, n, &special, &lines);
        }
        if (j >= n || (j == n - 1 && !final)) {
          if (!final) UNFINISHED();
          return fail(E_QUOTE_NOT_CLOSED, line, 0, 0, start);
        }
        line += lines;
        /* Quotes the writer would not put there: the row is written anew so the bytes are the writer's. */
        if (!escaped && !special) recode = 1;
        if (j > open + 1 && guard_lead(buf[open + 1]) && (escaped || !plain_number(buf, open + 1, j)))
          CANDIDATE(EV_CELL | EV_QUOTED | (escaped ? EV_ESCAPED : 0) | (guard_sure(buf[open + 1]) ? EV_SURE : 0),
                    open + 1, j);
        i = j + 1;
        c = i < n ? buf[i] : -1;
        if (c != COMMA && c != CR && c != LF && c != -1) return fail(E_CLOSING_QUOTE, line, (uint32_t)c, 0, start);
      } else {
        const uint32_t cell_start = i;
        for (;;) {
          i = skip_plain(buf, i, n);
          c = i < n ? buf[i] : -1;
          if (c == QUOTE) return fail(E_OPENING_QUOTE, line, fields, 0, start);
          if (c != CR && c != LF) break;
          /* A line break: the record delimiter, or (not matching it) part of the cell. */
          if (st.delim == D_NONE) {
            if (c == CR && i + 1 >= n && !final) UNFINISHED();
            st.delim = delim_at(buf, i, n, c);
          }
          const int32_t d = st.delim;
          if (d == D_LF ? c == LF : d == D_CR ? c == CR : (c == CR && i + 1 < n && buf[i + 1] == LF)) break;
          if (d == D_CRLF && c == CR && i + 1 >= n && !final) UNFINISHED();
          recode = 1;
          if (c == LF) line++;
          i++;
        }
        if (i > cell_start && guard_lead(buf[cell_start]) && !plain_number(buf, cell_start, i))
          CANDIDATE(EV_CELL | (guard_sure(buf[cell_start]) ? EV_SURE : 0), cell_start, i);
      }
      /* After a cell: a comma goes on to the next; a line break or the end closes the record. */
      if (c == COMMA) {
        i++;
        continue;
      }
      if (c == -1) {
        if (!final) UNFINISHED();
        next = n;
        st.open_end = 1;
        break;
      }
      if (st.delim == D_NONE) {
        if (c == CR && i + 1 >= n && !final) UNFINISHED();
        st.delim = delim_at(buf, i, n, c);
      }
      const int32_t d = st.delim;
      if (d == D_CRLF) {
        if (i + 1 >= n && !final) UNFINISHED();
        if (c != CR || i + 1 >= n || buf[i + 1] != LF) return fail(E_STRAY_LINE_BREAK, line, 0, 0, start);
        next = i + 2;
      } else if ((d == D_LF && c == LF) || (d == D_CR && c == CR)) {
        next = i + 1;
      } else {
        return fail(E_STRAY_LINE_BREAK, line, 0, 0, start);
      }
      break;
    }
    if (st.width == -1) {
      st.width = (int32_t)fields;
      st.header_end = (int32_t)next;
      st.n_events = events_at;
    } else {
      if (fields != (uint32_t)st.width) return fail(E_RECORD_LENGTH, line, (uint32_t)st.width, fields, start);
      const uint32_t row = st.row_base + st.records - 1;
      if (row % st.index_every == 0) idx[st.n_idx++] = start;
      if (cells > 0 || recode || overflow) {
        uint32_t *ev = events + st.n_events;
        ev[0] = EV_ROW | (recode ? EV_RECODE : 0) | (overflow ? EV_OVERFLOW : 0);
        ev[1] = start;
        ev[2] = next;
        ev[3] = cells;
        st.n_events += 4;
      }
    }
    if (st.want_ends) ends[st.n_ends++] = next;
    st.records++;
    if (st.delim != D_CR) line++;
    st.line = line;
    i = next;
#undef CANDIDATE
#undef UNFINISHED
  }
  return n;
}
