/*
 * parley_tablib.c: the sandbox's table library.
 *
 * The standard functions loop in C without running VM instructions, so the
 * count hook cannot stop them. Each one is wrapped with a span guard
 * (policy.max_table_span): unpack/concat/move get explicit bounds checked
 * here, and insert/remove/sort accept only plain tables without __len whose
 * border (#t) is within the span (a sparse table can have a border of 2^40).
 */
#include "parley_internal.h"

static void check_span(lua_State *L, lua_Integer first, lua_Integer last, const char *what) {
    parley_state *ps = parley_from(L);
    if (first <= last && (lua_Unsigned)last - (lua_Unsigned)first >= (lua_Unsigned)ps->policy.max_table_span) {
        luaL_error(L, "%s: range too large for the sandbox", what);
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
    return call_original(L);
}

/* insert/remove/sort compute #t themselves: accept only plain tables with a bounded border. */
static void check_plain(lua_State *L, const char *what) {
    luaL_checktype(L, 1, LUA_TTABLE);
    if (luaL_getmetafield(L, 1, "__len") != LUA_TNIL) {
        luaL_error(L, "%s: tables with a __len metamethod are not supported", what);
    }
    check_span(L, 0, (lua_Integer)lua_rawlen(L, 1), what);
}

static int guarded_insert(lua_State *L) {
    check_plain(L, "table.insert");
    return call_original(L);
}

static int guarded_remove(lua_State *L) {
    check_plain(L, "table.remove");
    return call_original(L);
}

static int guarded_sort(lua_State *L) {
    check_plain(L, "table.sort");
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
