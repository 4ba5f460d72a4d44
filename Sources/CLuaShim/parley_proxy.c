/*
 * parley_proxy.c: read-only proxies.
 *
 * A proxy is a zero-size userdata whose (hidden, __metatable = false) metatable
 * has __index = the backing table, so reads take the VM's fast path, while
 * __newindex raises. rawset/rawget/setmetatable reject userdata, so a proxy
 * cannot be modified by any means. __len and __pairs expose contents, never
 * the backing table itself. The sandbox's type() reports proxies as "table".
 */
#include "parley_internal.h"

static const char proxy_mark = 0;

static int proxy_newindex(lua_State *L) {
    if (lua_type(L, 2) == LUA_TSTRING) {
        return luaL_error(L, "attempt to modify read-only field '%s'", lua_tostring(L, 2));
    }
    return luaL_error(L, "attempt to modify a read-only table");
}

static int proxy_len(lua_State *L) {
    lua_getiuservalue(L, 1, 1);
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

static int proxy_next(lua_State *L) {
    lua_settop(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 2);
    if (lua_next(L, 3)) {
        return 2;
    }
    lua_pushnil(L);
    return 1;
}

static int proxy_pairs(lua_State *L) {
    lua_getiuservalue(L, 1, 1);
    lua_pushcclosure(L, proxy_next, 1);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

void parley_push_proxy(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 4, "proxy");
    lua_newuserdatauv(L, 0, 1);
    lua_pushvalue(L, idx);
    lua_setiuservalue(L, -2, 1);
    lua_createtable(L, 0, 6);
    lua_pushvalue(L, idx);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, proxy_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, proxy_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, proxy_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushboolean(L, 1);
    lua_rawsetp(L, -2, &proxy_mark);
    lua_setmetatable(L, -2);
}

int parley_proxy_target(lua_State *L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) {
        return 0;
    }
    int marked = lua_rawgetp(L, -1, &proxy_mark) != LUA_TNIL;
    lua_pop(L, 2);
    if (!marked) {
        return 0;
    }
    lua_getiuservalue(L, idx, 1);
    return 1;
}
