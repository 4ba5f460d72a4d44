/*
 * parley_tablib.c: the sandbox's table library.
 *
 * The standard functions loop in C without running VM instructions, so the
 * count hook cannot stop them. Each one is wrapped with a span guard
 * (policy.max_table_span): unpack/concat/move get explicit bounds checked
 * here, and insert/remove/sort accept only plain tables without __len whose
 * border (#t) is within the span (a sparse table can have a border of 2^40).
 *
 * Within the span, each function is charged to the instruction budget by the elements it reads or writes, times the
 * tables each access may walk: an access to a missing key follows an __index (or __newindex) chain of up to 2000
 * tables in C, so an empty table at the head of a long chain made each element cost thousands of lookups.
 *
 * That charge is made once, up front, so the chain must not change during the call: a chain that ends in anything
 * but a table (a function) is refused (the function, run at the first missing key, could make the table the head of a 2000-table chain that
 * every later access then walks uncharged). table.sort runs the rule's comparator (or elements' __lt) between its
 * reads: it takes only tables without __index and __newindex, and checks after each comparison that none appeared.
 */
#include "parley_internal.h"

static void check_span(lua_State *L, lua_Integer first, lua_Integer last, const char *what) {
    parley_state *ps = parley_from(L);
    if (first <= last && (lua_Unsigned)last - (lua_Unsigned)first >= (lua_Unsigned)ps->policy.max_table_span) {
        luaL_error(L, "%s: range too large for the sandbox", what);
    }
}

/* How many tables an access to a missing key of the table at idx may visit through its `field` (__index or
 * __newindex) chain: 1 for a table without one, one more for each table in the chain, at most Lua's own limit of
 * 2000. A chain that ends in anything but a table (a function, which could change the chain mid-call) is refused
 * with an error naming `what`, as is a longer chain. */
static uint64_t chain_length(lua_State *L, int idx, const char *field, const char *what) {
    uint64_t length = 1;
    lua_pushvalue(L, idx);
    /* To the chain's end, however long: Lua itself gives up past 2000 links, but a handler at the very end runs. */
    while (lua_getmetatable(L, -1)) {
        lua_pushstring(L, field);
        int type = lua_rawget(L, -2);
        lua_remove(L, -2); /* the metatable */
        lua_remove(L, -2); /* the previous link */
        if (type != LUA_TTABLE) {
            lua_pop(L, 1);
            if (type != LUA_TNIL) {
                luaL_error(L, "%s: tables whose %s is not a table are not supported in the sandbox", what, field);
            }
            return length;
        }
        if (++length > 2001) {
            luaL_error(L, "%s: a %s chain longer than 2000 tables is not supported in the sandbox", what, field);
        }
    }
    lua_pop(L, 1);
    return length;
}

/* Whether the table at idx has an __index or __newindex metamethod. */
static int has_access_handlers(lua_State *L, int idx) {
    if (!lua_getmetatable(L, idx)) {
        return 0;
    }
    lua_pushliteral(L, "__index");
    int found = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 1);
    lua_pushliteral(L, "__newindex");
    found = lua_rawget(L, -2) != LUA_TNIL || found;
    lua_pop(L, 2);
    return found;
}

/* Charges `elements` accesses, each visiting up to `tables` tables. */
static void charge_elements(lua_State *L, lua_Integer first, lua_Integer last, uint64_t tables) {
    if (first <= last) {
        parley_charge(L, ((uint64_t)last - (uint64_t)first + 1) * tables);
    }
}

/* Calls the original function (upvalue 1) with the current arguments. */
static int call_original(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static int guarded_unpack(lua_State *L) {
    lua_Integer first = luaL_optinteger(L, 2, 1);
    lua_Integer last = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : luaL_checkinteger(L, 3);
    check_span(L, first, last, "table.unpack");
    charge_elements(L, first, last, chain_length(L, 1, "__index", "table.unpack"));
    lua_settop(L, 1);
    lua_pushinteger(L, first);
    lua_pushinteger(L, last);
    return call_original(L);
}

static int guarded_concat(lua_State *L) {
    size_t lsep;
    luaL_optlstring(L, 2, "", &lsep);
    lua_Integer first = luaL_optinteger(L, 3, 1);
    lua_Integer last = lua_isnoneornil(L, 4) ? luaL_len(L, 1) : luaL_checkinteger(L, 4);
    check_span(L, first, last, "table.concat");
    charge_elements(L, first, last, chain_length(L, 1, "__index", "table.concat"));
    lua_settop(L, 2);
    if (lua_isnil(L, 2)) {
        lua_pushliteral(L, "");
        lua_replace(L, 2);
    }
    lua_pushinteger(L, first);
    lua_pushinteger(L, last);
    return call_original(L);
}

static int guarded_move(lua_State *L) {
    lua_Integer first = luaL_checkinteger(L, 2);
    lua_Integer last = luaL_checkinteger(L, 3);
    luaL_checkinteger(L, 4);
    check_span(L, first, last, "table.move");
    int destination = lua_isnoneornil(L, 5) ? 1 : 5;
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, destination, LUA_TTABLE);
    charge_elements(
        L, first, last, chain_length(L, 1, "__index", "table.move") + chain_length(L, destination, "__newindex", "table.move"));
    return call_original(L);
}

/* insert/remove/sort compute #t themselves: accept only plain tables with a bounded border. Each is charged for
 * `passes` reads and writes of the elements from the one that argument `position` names (0: only the last; -1: all)
 * to the border. */
static void check_plain(lua_State *L, const char *what, int position, uint64_t passes) {
    luaL_checktype(L, 1, LUA_TTABLE);
    if (luaL_getmetafield(L, 1, "__len") != LUA_TNIL) {
        luaL_error(L, "%s: tables with a __len metamethod are not supported", what);
    }
    lua_Integer border = (lua_Integer)lua_rawlen(L, 1);
    check_span(L, 0, border, what);
    lua_Integer first = position < 0 ? 1 : border;
    int exact = 0;
    /* As the function itself reads it: 1.0 and "1" are positions too. */
    lua_Integer named = position > 0 ? lua_tointegerx(L, position, &exact) : 0;
    if (exact) {
        first = named < 1 ? 1 : named;
    }
    uint64_t tables = chain_length(L, 1, "__index", what) + chain_length(L, 1, "__newindex", what);
    charge_elements(L, first, border > first ? border : first, passes * tables);
}

/* About log2(n) + 1: the passes a sort makes over n elements. */
static uint64_t sort_passes(lua_State *L) {
    uint64_t passes = 1;
    for (size_t n = lua_rawlen(L, 1); n > 1; n >>= 1) {
        passes++;
    }
    return passes;
}

static int guarded_insert(lua_State *L) {
    /* table.insert(t, v) appends; table.insert(t, pos, v) moves the elements from pos up. */
    check_plain(L, "table.insert", lua_gettop(L) >= 3 ? 2 : 0, 1);
    return call_original(L);
}

static int guarded_remove(lua_State *L) {
    check_plain(L, "table.remove", lua_gettop(L) >= 2 ? 2 : 0, 1);
    return call_original(L);
}

/* The comparison table.sort is given: the rule's comparator (upvalue 2), or `<` when it gave none, then a check that
 * the table being sorted (upvalue 1) still has no __index or __newindex: sort's reads between comparisons are charged
 * as plain ones. */
static int checked_compare(lua_State *L) {
    int less;
    if (lua_isnil(L, lua_upvalueindex(2))) {
        less = lua_compare(L, 1, 2, LUA_OPLT);
    } else {
        lua_pushvalue(L, lua_upvalueindex(2));
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 2);
        lua_call(L, 2, 1);
        less = lua_toboolean(L, -1);
    }
    if (has_access_handlers(L, lua_upvalueindex(1))) {
        luaL_error(L, "table.sort: the table was given __index or __newindex while it was sorted");
    }
    lua_pushboolean(L, less);
    return 1;
}

static int guarded_sort(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    if (has_access_handlers(L, 1)) {
        luaL_error(L, "table.sort: tables with __index or __newindex are not supported in the sandbox");
    }
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TFUNCTION);
    }
    check_plain(L, "table.sort", -1, sort_passes(L));
    lua_settop(L, 2);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, checked_compare, 2);
    lua_replace(L, 2);
    return call_original(L);
}

static const luaL_Reg table_guarded[] = {
    {"unpack", guarded_unpack},
    {"concat", guarded_concat},
    {"move", guarded_move},
    {"insert", guarded_insert},
    {"remove", guarded_remove},
    {"sort", guarded_sort},
    {NULL, NULL},
};

void parley_open_table(lua_State *L) {
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);
    int original = lua_gettop(L);
    lua_newtable(L);
    int lib = lua_gettop(L);
    lua_getfield(L, original, "pack");
    lua_setfield(L, lib, "pack");
    for (const luaL_Reg *reg = table_guarded; reg->name != NULL; reg++) {
        lua_getfield(L, original, reg->name);
        lua_pushcclosure(L, reg->func, 1);
        lua_setfield(L, lib, reg->name);
    }
    lua_remove(L, original);
}
