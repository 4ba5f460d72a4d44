/*
 * parley_strlib.c: the sandbox's string library.
 *
 * string.find/match/gmatch/gsub are re-implemented here following the
 * algorithm of Lua 5.4's lstrlib.c (Lua is MIT licensed, Copyright (C)
 * 1994-2022 Lua.org, PUC-Rio), with one change: every matcher step is charged
 * to the call's instruction budget and the deadline is checked every 4096
 * steps, so catastrophic patterns (which the VM count hook cannot see, because
 * they run inside one C call) end with the same sticky kill as Lua loops.
 * string.rep refuses results larger than the memory cap, string.format
 * refuses %p (addresses) and formats non-string %s arguments with the
 * sandbox's tostring. string.dump is not exposed.
 */
#include <ctype.h>
#include <string.h>

#include "parley_internal.h"

#define L_ESC '%'
#define SPECIALS "^$*+?.([%-"
#define MAXCCALLS 200
#define MAXCAPTURES 32
#define CAP_UNFINISHED (-1)
#define CAP_POSITION (-2)
#define STEP_FLUSH 4096u
#define uchar(c) ((unsigned char)(c))

typedef struct MatchState {
    const char *src_init;
    const char *src_end;
    const char *p_end;
    lua_State *L;
    int matchdepth;
    unsigned char level;
    unsigned steps;
    struct {
        const char *init;
        ptrdiff_t len;
    } capture[MAXCAPTURES];
} MatchState;

static void flush_steps(MatchState *ms) {
    unsigned steps = ms->steps;
    ms->steps = 0;
    parley_charge(ms->L, steps);
}

static void step(MatchState *ms, unsigned cost) {
    ms->steps += cost;
    if (ms->steps >= STEP_FLUSH) {
        flush_steps(ms);
    }
}

static const char *match(MatchState *ms, const char *s, const char *p);

/* What matching one character against the class at p..ep costs beyond one step: a bracket class is scanned byte by
 * byte, so a class of thousands of bytes is charged by its length, not as one step. */
static unsigned class_cost(const char *p, const char *ep) {
    return (unsigned)((size_t)(ep - p) >> 4);
}

static int check_capture(MatchState *ms, int l) {
    l -= '1';
    if (l < 0 || l >= ms->level || ms->capture[l].len == CAP_UNFINISHED) {
        return luaL_error(ms->L, "invalid capture index %%%d", l + 1);
    }
    return l;
}

static int capture_to_close(MatchState *ms) {
    int level = ms->level;
    for (level--; level >= 0; level--) {
        if (ms->capture[level].len == CAP_UNFINISHED) {
            return level;
        }
    }
    return luaL_error(ms->L, "invalid pattern capture");
}

static const char *class_end(MatchState *ms, const char *p) {
    switch (*p++) {
    case L_ESC:
        if (p == ms->p_end) {
            luaL_error(ms->L, "malformed pattern (ends with '%%')");
        }
        return p + 1;
    case '[':
        if (*p == '^') {
            p++;
        }
        do {
            if (p == ms->p_end) {
                luaL_error(ms->L, "malformed pattern (missing ']')");
            }
            if (*(p++) == L_ESC && p < ms->p_end) {
                p++;
            }
        } while (*p != ']');
        return p + 1;
    default:
        return p;
    }
}

static int match_class(int c, int cl) {
    int res;
    switch (tolower(cl)) {
    case 'a': res = isalpha(c); break;
    case 'c': res = iscntrl(c); break;
    case 'd': res = isdigit(c); break;
    case 'g': res = isgraph(c); break;
    case 'l': res = islower(c); break;
    case 'p': res = ispunct(c); break;
    case 's': res = isspace(c); break;
    case 'u': res = isupper(c); break;
    case 'w': res = isalnum(c); break;
    case 'x': res = isxdigit(c); break;
    default: return cl == c;
    }
    if (isupper(cl)) {
        res = !res;
    }
    return res;
}

static int match_bracket_class(int c, const char *p, const char *ec) {
    int sig = 1;
    if (*(p + 1) == '^') {
        sig = 0;
        p++;
    }
    while (++p < ec) {
        if (*p == L_ESC) {
            p++;
            if (match_class(c, uchar(*p))) {
                return sig;
            }
        } else if (*(p + 1) == '-' && p + 2 < ec) {
            p += 2;
            if (uchar(*(p - 2)) <= c && c <= uchar(*p)) {
                return sig;
            }
        } else if (uchar(*p) == c) {
            return sig;
        }
    }
    return !sig;
}

static int single_match(MatchState *ms, const char *s, const char *p, const char *ep) {
    if (s >= ms->src_end) {
        return 0;
    }
    int c = uchar(*s);
    switch (*p) {
    case '.': return 1;
    case L_ESC: return match_class(c, uchar(*(p + 1)));
    case '[': return match_bracket_class(c, p, ep - 1);
    default: return uchar(*p) == c;
    }
}

static const char *match_balance(MatchState *ms, const char *s, const char *p) {
    if (p >= ms->p_end - 1) {
        luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
    }
    if (s >= ms->src_end || *s != *p) {
        return NULL;
    }
    int b = *p;
    int e = *(p + 1);
    int cont = 1;
    while (++s < ms->src_end) {
        step(ms, 1);
        if (*s == e) {
            if (--cont == 0) {
                return s + 1;
            }
        } else if (*s == b) {
            cont++;
        }
    }
    return NULL;
}

static const char *max_expand(MatchState *ms, const char *s, const char *p, const char *ep) {
    ptrdiff_t i = 0;
    unsigned cost = 1 + class_cost(p, ep);
    while (single_match(ms, s + i, p, ep)) {
        step(ms, cost);
        i++;
    }
    while (i >= 0) {
        const char *res = match(ms, s + i, ep + 1);
        if (res != NULL) {
            return res;
        }
        i--;
    }
    return NULL;
}

static const char *min_expand(MatchState *ms, const char *s, const char *p, const char *ep) {
    unsigned cost = class_cost(p, ep);
    for (;;) {
        const char *res = match(ms, s, ep + 1);
        if (res != NULL) {
            return res;
        }
        step(ms, cost);
        if (!single_match(ms, s, p, ep)) {
            return NULL;
        }
        s++;
    }
}

static const char *start_capture(MatchState *ms, const char *s, const char *p, int what) {
    int level = ms->level;
    if (level >= MAXCAPTURES) {
        luaL_error(ms->L, "too many captures");
    }
    ms->capture[level].init = s;
    ms->capture[level].len = what;
    ms->level = (unsigned char)(level + 1);
    const char *res = match(ms, s, p);
    if (res == NULL) {
        ms->level--;
    }
    return res;
}

static const char *end_capture(MatchState *ms, const char *s, const char *p) {
    int l = capture_to_close(ms);
    ms->capture[l].len = s - ms->capture[l].init;
    const char *res = match(ms, s, p);
    if (res == NULL) {
        ms->capture[l].len = CAP_UNFINISHED;
    }
    return res;
}

static const char *match_capture(MatchState *ms, const char *s, int l) {
    l = check_capture(ms, l);
    size_t len = (size_t)ms->capture[l].len;
    step(ms, 1 + (unsigned)(len >> 6));
    if ((size_t)(ms->src_end - s) >= len && memcmp(ms->capture[l].init, s, len) == 0) {
        return s + len;
    }
    return NULL;
}

static const char *match(MatchState *ms, const char *s, const char *p) {
    if (ms->matchdepth-- <= 0) {
        luaL_error(ms->L, "pattern too complex");
    }
init:
    step(ms, 1);
    if (p != ms->p_end) {
        switch (*p) {
        case '(':
            if (*(p + 1) == ')') {
                s = start_capture(ms, s, p + 2, CAP_POSITION);
            } else {
                s = start_capture(ms, s, p + 1, CAP_UNFINISHED);
            }
            break;
        case ')':
            s = end_capture(ms, s, p + 1);
            break;
        case '$':
            if (p + 1 != ms->p_end) {
                goto dflt;
            }
            s = (s == ms->src_end) ? s : NULL;
            break;
        case L_ESC:
            switch (*(p + 1)) {
            case 'b':
                s = match_balance(ms, s, p + 2);
                if (s != NULL) {
                    p += 4;
                    goto init;
                }
                break;
            case 'f': {
                p += 2;
                if (*p != '[') {
                    luaL_error(ms->L, "missing '[' after '%%f' in pattern");
                }
                const char *ep = class_end(ms, p);
                step(ms, 3 * class_cost(p, ep)); /* class_end and two bracket scans */
                char previous = (s == ms->src_init) ? '\0' : *(s - 1);
                char current = (s < ms->src_end) ? *s : '\0';
                if (!match_bracket_class(uchar(previous), p, ep - 1) &&
                    match_bracket_class(uchar(current), p, ep - 1)) {
                    p = ep;
                    goto init;
                }
                s = NULL;
                break;
            }
            case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
                s = match_capture(ms, s, uchar(*(p + 1)));
                if (s != NULL) {
                    p += 2;
                    goto init;
                }
                break;
            default:
                goto dflt;
            }
            break;
        default:
        dflt: {
            const char *ep = class_end(ms, p);
            step(ms, 2 * class_cost(p, ep)); /* class_end and the bracket scan */
            if (!single_match(ms, s, p, ep)) {
                if (*ep == '*' || *ep == '?' || *ep == '-') {
                    p = ep + 1;
                    goto init;
                }
                s = NULL;
            } else {
                switch (*ep) {
                case '?': {
                    const char *res = match(ms, s + 1, ep + 1);
                    if (res != NULL) {
                        s = res;
                    } else {
                        p = ep + 1;
                        goto init;
                    }
                    break;
                }
                case '+':
                    s = max_expand(ms, s + 1, p, ep);
                    break;
                case '*':
                    s = max_expand(ms, s, p, ep);
                    break;
                case '-':
                    s = min_expand(ms, s, p, ep);
                    break;
                default:
                    s++;
                    p = ep;
                    goto init;
                }
            }
            break;
        }
        }
    }
    ms->matchdepth++;
    return s;
}

static ptrdiff_t get_one_capture(MatchState *ms, int i, const char *s, const char *e, const char **cap) {
    if (i >= ms->level) {
        if (i != 0) {
            luaL_error(ms->L, "invalid capture index %%%d", i + 1);
        }
        *cap = s;
        return e - s;
    }
    ptrdiff_t capl = ms->capture[i].len;
    *cap = ms->capture[i].init;
    if (capl == CAP_UNFINISHED) {
        luaL_error(ms->L, "unfinished capture");
    } else if (capl == CAP_POSITION) {
        lua_pushinteger(ms->L, (ms->capture[i].init - ms->src_init) + 1);
    }
    return capl;
}

static void push_one_capture(MatchState *ms, int i, const char *s, const char *e) {
    const char *cap;
    ptrdiff_t l = get_one_capture(ms, i, s, e, &cap);
    if (l != CAP_POSITION) {
        lua_pushlstring(ms->L, cap, (size_t)l);
    }
}

static int push_captures(MatchState *ms, const char *s, const char *e) {
    int nlevels = (ms->level == 0 && s != NULL) ? 1 : ms->level;
    luaL_checkstack(ms->L, nlevels, "too many captures");
    for (int i = 0; i < nlevels; i++) {
        push_one_capture(ms, i, s, e);
    }
    return nlevels;
}

static int no_specials(const char *p, size_t l) {
    size_t upto = 0;
    do {
        if (strpbrk(p + upto, SPECIALS)) {
            return 0;
        }
        upto += strlen(p + upto) + 1;
    } while (upto <= l);
    return 1;
}

static void prep_state(MatchState *ms, lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    ms->L = L;
    ms->matchdepth = MAXCCALLS;
    ms->src_init = s;
    ms->src_end = s + ls;
    ms->p_end = p + lp;
    ms->level = 0;
    ms->steps = 0;
}

static size_t posrelat(lua_Integer pos, size_t len) {
    if (pos > 0) {
        return (size_t)pos;
    } else if (pos == 0) {
        return 1;
    } else if (pos < -(lua_Integer)len) {
        return 1;
    }
    return len + (size_t)pos + 1;
}

/* Plain substring search with step accounting. */
static const char *mem_find(MatchState *ms, const char *s1, size_t l1, const char *s2, size_t l2) {
    if (l2 == 0) {
        return s1;
    }
    if (l2 > l1) {
        return NULL;
    }
    l2--;
    l1 = l1 - l2;
    const char *init;
    while (l1 > 0 && (init = memchr(s1, *s2, l1)) != NULL) {
        step(ms, 1 + (unsigned)(l2 >> 6));
        init++;
        if (memcmp(init, s2 + 1, l2) == 0) {
            return init - 1;
        }
        l1 -= (size_t)(init - s1);
        s1 = init;
    }
    return NULL;
}

static int find_aux(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = posrelat(luaL_optinteger(L, 3, 1), ls) - 1;
    MatchState ms;
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    prep_state(&ms, L, s, ls, p, lp);
    if (find && (lua_toboolean(L, 4) || no_specials(p, lp))) {
        const char *s2 = mem_find(&ms, s + init, ls - init, p, lp);
        flush_steps(&ms);
        if (s2 != NULL) {
            lua_pushinteger(L, (s2 - s) + 1);
            lua_pushinteger(L, (lua_Integer)((size_t)(s2 - s) + lp));
            return 2;
        }
    } else {
        const char *s1 = s + init;
        int anchor = (*p == '^');
        if (anchor) {
            p++;
            lp--;
            ms.p_end = p + lp;
        }
        do {
            ms.level = 0;
            const char *res = match(&ms, s1, p);
            if (res != NULL) {
                flush_steps(&ms);
                if (find) {
                    lua_pushinteger(L, (s1 - s) + 1);
                    lua_pushinteger(L, res - s);
                    return push_captures(&ms, NULL, 0) + 2;
                }
                return push_captures(&ms, s1, res);
            }
        } while (s1++ < ms.src_end && !anchor);
        flush_steps(&ms);
    }
    luaL_pushfail(L);
    return 1;
}

static int str_find(lua_State *L) { return find_aux(L, 1); }

static int str_match(lua_State *L) { return find_aux(L, 0); }

typedef struct GMatchState {
    const char *src;
    const char *p;
    const char *lastmatch;
    MatchState ms;
} GMatchState;

static int gmatch_aux(lua_State *L) {
    GMatchState *gm = (GMatchState *)lua_touserdata(L, lua_upvalueindex(3));
    gm->ms.L = L;
    /* The state outlives a call: a "pattern too complex" error in the last one left its depth spent (the error skips
     * every restoring increment), and an unbounded depth would let the next call recurse until the C stack ends. */
    gm->ms.steps = 0;
    for (const char *src = gm->src; src <= gm->ms.src_end; src++) {
        gm->ms.level = 0;
        gm->ms.matchdepth = MAXCCALLS;
        const char *e = match(&gm->ms, src, gm->p);
        if (e != NULL && e != gm->lastmatch) {
            gm->src = gm->lastmatch = e;
            flush_steps(&gm->ms);
            return push_captures(&gm->ms, src, e);
        }
    }
    flush_steps(&gm->ms);
    return 0;
}

static int str_gmatch(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = posrelat(luaL_optinteger(L, 3, 1), ls) - 1;
    lua_settop(L, 2);
    GMatchState *gm = (GMatchState *)lua_newuserdatauv(L, sizeof(GMatchState), 0);
    if (init > ls) {
        init = ls + 1;
    }
    prep_state(&gm->ms, L, s, ls, p, lp);
    gm->src = s + init;
    gm->p = p;
    gm->lastmatch = NULL;
    lua_pushcclosure(L, gmatch_aux, 3);
    return 1;
}

static void add_s(MatchState *ms, luaL_Buffer *b, const char *s, const char *e) {
    size_t l;
    lua_State *L = ms->L;
    const char *news = lua_tolstring(L, 3, &l);
    const char *p;
    /* The whole replacement is walked at every match, appending nothing for an empty match's %0: charged by its
     * length, or a long replacement over many empty matches runs for seconds between two charges. */
    step(ms, 1 + (unsigned)(l >> 4));
    while ((p = memchr(news, L_ESC, l)) != NULL) {
        luaL_addlstring(b, news, (size_t)(p - news));
        p++;
        if (*p == L_ESC) {
            luaL_addchar(b, *p);
        } else if (*p == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit(uchar(*p))) {
            const char *cap;
            ptrdiff_t resl = get_one_capture(ms, *p - '1', s, e, &cap);
            if (resl == CAP_POSITION) {
                luaL_addvalue(b);
            } else {
                luaL_addlstring(b, cap, (size_t)resl);
            }
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", L_ESC);
        }
        l -= (size_t)(p + 1 - news);
        news = p + 1;
    }
    luaL_addlstring(b, news, l);
}

static int add_value(MatchState *ms, luaL_Buffer *b, const char *s, const char *e, int tr) {
    lua_State *L = ms->L;
    switch (tr) {
    case LUA_TFUNCTION: {
        lua_pushvalue(L, 3);
        int n = push_captures(ms, s, e);
        lua_call(L, n, 1);
        break;
    }
    case LUA_TTABLE:
        push_one_capture(ms, 0, s, e);
        lua_gettable(L, 3);
        break;
    default:
        add_s(ms, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1)) {
        return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    }
    luaL_addvalue(b);
    return 1;
}

static int str_gsub(lua_State *L) {
    size_t srcl, lp;
    const char *src = luaL_checklstring(L, 1, &srcl);
    const char *p = luaL_checklstring(L, 2, &lp);
    const char *lastmatch = NULL;
    int tr = lua_type(L, 3);
    lua_Integer max_s = luaL_optinteger(L, 4, (lua_Integer)srcl + 1);
    int anchor = (*p == '^');
    lua_Integer n = 0;
    int changed = 0;
    MatchState ms;
    luaL_Buffer b;
    luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
                     "string/function/table");
    luaL_buffinit(L, &b);
    if (anchor) {
        p++;
        lp--;
    }
    prep_state(&ms, L, src, srcl, p, lp);
    while (n < max_s) {
        ms.level = 0;
        const char *e = match(&ms, src, p);
        if (e != NULL && e != lastmatch) {
            n++;
            changed = add_value(&ms, &b, src, e, tr) | changed;
            src = lastmatch = e;
        } else if (src < ms.src_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchor) {
            break;
        }
    }
    flush_steps(&ms);
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

/* string.rep with a size check against the memory cap before anything is allocated. */
static int guarded_rep(lua_State *L) {
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n <= 0 || l + lsep == 0) {
        /* Lua's own rep would copy nothing n - 1 times: no instruction runs, so no limit could stop it. */
        lua_pushliteral(L, "");
        return 1;
    }
    if (n > 1) {
        parley_state *ps = parley_from(L);
        double total = (double)l * (double)n + (double)lsep * (double)(n - 1);
        if (total > (double)ps->mem_cap) {
            return parley_raise_kill(L, ps, PARLEY_KILL_MEMORY);
        }
        /* n copies in C, one call each: 16 million one-byte copies take tens of milliseconds. */
        parley_charge(L, 1 + ((uint64_t)n >> 4));
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* string.byte, charged by the values it pushes (up to a million for `s:byte(1, -1)`), which no instruction counts. */
static int charged_byte(lua_State *L) {
    size_t length;
    luaL_checklstring(L, 1, &length);
    lua_Integer first = luaL_optinteger(L, 2, 1);
    lua_Integer last = luaL_optinteger(L, 3, first);
    lua_Integer size = (lua_Integer)length;
    if (first < 0) first = first < -size ? 1 : size + first + 1;
    if (last < 0) last = last < -size ? 0 : size + last + 1;
    if (first < 1) first = 1;
    if (last > size) last = size;
    if (first <= last) {
        parley_charge(L, 1 + ((uint64_t)(last - first) >> 4));
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* A library function whose work grows with the length of its string argument (upvalue 2 says which), which must be a
 * string (or a number, converted as Lua does): that length is
 * charged to the instruction budget before the call, as the matcher's steps are, so that a loop of calls on
 * megabyte strings meets the budget and the deadline instead of running a whole hook tick of them. */
static int charged_by_length(lua_State *L) {
    /* Checked here, as the function itself would: an error raised here names the rule's line. */
    size_t length;
    luaL_checklstring(L, (int)lua_tointeger(L, lua_upvalueindex(2)), &length);
    parley_charge(L, 1 + (length >> 4));
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

void parley_charge_by_length(lua_State *L, int lib, const char *name, int arg) {
    lib = lua_absindex(L, lib);
    lua_getfield(L, lib, name);
    lua_pushinteger(L, arg);
    lua_pushcclosure(L, charged_by_length, 2);
    lua_setfield(L, lib, name);
}

/* string.format without %p, and with the sandbox's tostring for non-string %s arguments. */
static int guarded_format(lua_State *L) {
    size_t fl;
    const char *f = luaL_checklstring(L, 1, &fl);
    const char *end = f + fl;
    int arg = 1;
    int top = lua_gettop(L);
    while (f < end) {
        if (*f++ != L_ESC) {
            continue;
        }
        if (f < end && *f == L_ESC) {
            f++;
            continue;
        }
        while (f < end && *f != '\0' && strchr("-+ #0123456789.", *f) != NULL) {
            f++;
        }
        if (f >= end) {
            break;
        }
        arg++;
        char conversion = *f++;
        if (conversion == 'p') {
            return luaL_error(L, "string.format: '%%p' is not allowed in the sandbox");
        }
        if (conversion == 's' && arg <= top) {
            int t = lua_type(L, arg);
            if (t != LUA_TSTRING && t != LUA_TNUMBER) {
                parley_tostring(L, arg, NULL);
                lua_replace(L, arg);
            }
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* A string metatable's arithmetic metamethod (upvalue 1), charged by the length of its string operands: converting
 * "1" + 1 reads the whole string in C, and a 16 MB string of spaces would be read without a charge. */
static int charged_arithmetic(lua_State *L) {
    size_t total = 0;
    for (int arg = 1; arg <= 2 && arg <= lua_gettop(L); arg++) {
        if (lua_type(L, arg) == LUA_TSTRING) {
            total += lua_rawlen(L, arg);
        }
    }
    parley_charge(L, 1 + (total >> 4));
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static const char *const string_arithmetic[] = {
    "__add", "__sub", "__mul", "__mod", "__pow", "__div", "__idiv", "__unm", NULL,
};

/* Wraps the arithmetic metamethods of the string metatable at mt with charged_arithmetic. */
static void charge_string_arithmetic(lua_State *L, int mt) {
    for (const char *const *name = string_arithmetic; *name != NULL; name++) {
        if (lua_getfield(L, mt, *name) == LUA_TFUNCTION) {
            lua_pushcclosure(L, charged_arithmetic, 1);
            lua_setfield(L, mt, *name);
        } else {
            lua_pop(L, 1);
        }
    }
}

static const char *const string_allowed[] = {
    "char", "len", "lower", "reverse", "sub", "upper", "pack", "packsize", "unpack", NULL,
};

/* Functions that read their whole format (argument 1) without running an instruction. */
static const char *const string_charged[] = {"pack", "packsize", "unpack", NULL};

static const luaL_Reg string_replaced[] = {
    {"find", str_find},
    {"match", str_match},
    {"gmatch", str_gmatch},
    {"gsub", str_gsub},
    {NULL, NULL},
};

void parley_open_string(lua_State *L) {
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);
    int original = lua_gettop(L);
    lua_newtable(L);
    int lib = lua_gettop(L);
    for (const char *const *name = string_allowed; *name != NULL; name++) {
        lua_getfield(L, original, *name);
        lua_setfield(L, lib, *name);
    }
    luaL_setfuncs(L, string_replaced, 0);
    for (const char *const *name = string_charged; *name != NULL; name++) {
        parley_charge_by_length(L, lib, *name, 1);
    }
    lua_getfield(L, original, "byte");
    lua_pushcclosure(L, charged_byte, 1);
    lua_setfield(L, lib, "byte");
    lua_getfield(L, original, "rep");
    lua_pushcclosure(L, guarded_rep, 1);
    lua_setfield(L, lib, "rep");
    lua_getfield(L, original, "format");
    lua_pushcclosure(L, guarded_format, 1);
    lua_setfield(L, lib, "format");
    /* the shared string metatable: methods come from the read-only proxy, and it stays hidden */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    charge_string_arithmetic(L, lua_gettop(L));
    parley_push_proxy(L, lib);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
    lua_remove(L, original);
}
