#ifndef GRAYCTL_CNCURSESW_SHIM_H
#define GRAYCTL_CNCURSESW_SHIM_H
/* The wide-character API (cchar_t, setcchar, wadd_wch, get_wch) needs this before the header:
   SwiftPM drops pkg-config's -D flags, so it is defined here. */
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
#include <term.h>

/* Function-like macros are not imported into Swift: wrap the ones grayctl uses. */
static inline int grayctl_color_pair(int n) { return COLOR_PAIR(n); }
static inline attr_t grayctl_attr_bold(void) { return A_BOLD; }
static inline attr_t grayctl_attr_dim(void) { return A_DIM; }
static inline attr_t grayctl_attr_reverse(void) { return A_REVERSE; }
static inline attr_t grayctl_attr_underline(void) { return A_UNDERLINE; }
static inline int grayctl_maxy(WINDOW *w) { return getmaxy(w); }
static inline int grayctl_maxx(WINDOW *w) { return getmaxx(w); }
/* C globals are not concurrency-safe in Swift 6: read them through functions. */
static inline WINDOW *grayctl_stdscr(void) { return stdscr; }
static inline int grayctl_colors(void) { return COLORS; }
static inline int grayctl_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t grayctl_attr_normal(void) { return A_NORMAL; }
#endif
