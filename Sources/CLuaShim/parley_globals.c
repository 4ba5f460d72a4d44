/*
 * parley_globals.c: the sandbox's global environment.
 *
 * Only base, string, table, math and utf8 are opened (one by one with
 * luaL_requiref; never luaL_openlibs). The rules see a fresh allowlisted
 * globals table behind a read-only proxy: no load, loadfile, dofile, require,
 * warn; collectgarbage answers "count" only; print goes to the per-call log;
 * tostring never shows addresses; getmetatable("") is nil; setmetatable
 * refuses __gc. Every library table is a read-only proxy.
 */
#include <string.h>
#include <unistd.h>
#if defined(__APPLE__)
#include <sys/random.h>
#endif
#include <time.h>

#include "parley_internal.h"

const char *parley_tostring(lua_State *L, int idx, size_t *len) {
    idx = lua_absindex(L, idx);
    if (luaL_callmeta(L, idx, "__tostring")) {
        if (!lua_isstring(L, -1)) {
            luaL_error(L, "'__tostring' must return a string");
        }
        return lua_tolstring(L, -1, len);
    }
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
    case LUA_TSTRING:
        lua_pushvalue(L, idx);
        break;
    case LUA_TBOOLEAN:
        lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
        break;
    case LUA_TUSERDATA:
        if (parley_proxy_target(L, idx)) {
            lua_pop(L, 1);
            lua_pushliteral(L, "table");
        } else {
            lua_pushliteral(L, "userdata");
        }
        break;
    default:
        lua_pushstring(L, luaL_typename(L, idx));
        break;
    }
    return lua_tolstring(L, -1, len);
}

static int sandbox_tostring(lua_State *L) {
    luaL_checkany(L, 1);
    parley_tostring(L, 1, NULL);
    return 1;
}

static int sandbox_type(lua_State *L) {
    luaL_checkany(L, 1);
    if (parley_proxy_target(L, 1)) {
        lua_pushliteral(L, "table");
    } else {
        lua_pushstring(L, luaL_typename(L, 1));
    }
    return 1;
}

static int sandbox_next(lua_State *L) {
    if (parley_proxy_target(L, 1)) {
        lua_replace(L, 1);
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_next(L, 1)) {
        return 2;
    }
    lua_pushnil(L);
    return 1;
}

static int sandbox_getmetatable(lua_State *L) {
    luaL_checkany(L, 1);
    if (lua_type(L, 1) == LUA_TSTRING || !lua_getmetatable(L, 1)) {
        lua_pushnil(L);
        return 1;
    }
    luaL_getmetafield(L, 1, "__metatable");
    return 1;
}

static int sandbox_setmetatable(lua_State *L) {
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) {
        return luaL_error(L, "cannot change a protected metatable");
    }
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) {
            return luaL_error(L, "__gc metamethods are not allowed in the sandbox");
        }
        lua_pop(L, 1);
    }
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

static int sandbox_collectgarbage(lua_State *L) {
    const char *option = luaL_optstring(L, 1, "collect");
    if (strcmp(option, "count") != 0) {
        return luaL_error(L, "collectgarbage: only the \"count\" option is available");
    }
    int kb = lua_gc(L, LUA_GCCOUNT);
    int bytes = lua_gc(L, LUA_GCCOUNTB);
    lua_pushnumber(L, (lua_Number)kb + ((lua_Number)bytes / 1024));
    return 1;
}

/*
 * xpcall's message handler runs inside the raise. When the raise comes from the count hook (a kill), Lua
 * has hooks disabled at that point, so a looping handler could never be stopped: once killed, the user's
 * handler is skipped and the message passes through unchanged.
 */
static int guarded_handler(lua_State *L) {
    if (parley_from(L)->kill != PARLEY_KILL_NONE) {
        lua_settop(L, 1);
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int sandbox_xpcall(lua_State *L) {
    luaL_checkany(L, 2);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* Sends one line to the host log; the host's non-zero status becomes a Lua error here, in C. */
static void emit_log(lua_State *L, const char *bytes, size_t length) {
    parley_state *ps = parley_from(L);
    if (length > ps->policy.max_log_line_bytes) {
        length = ps->policy.max_log_line_bytes;
        while (length > 0 && (((unsigned char)bytes[length]) & 0xC0) == 0x80) {
            length--;
        }
    }
    if (ps->log_fn != NULL && ps->log_fn(ps->log_context, bytes, length) != 0) {
        luaL_error(L, "log limit reached for this call");
    }
}

static int sandbox_print(lua_State *L) {
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) {
            luaL_addchar(&b, '\t');
        }
        parley_tostring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t length = 0;
    const char *line = lua_tolstring(L, -1, &length);
    emit_log(L, line, length);
    return 0;
}

static int parley_log(lua_State *L) {
    luaL_checktype(L, 1, LUA_TSTRING);
    size_t length = 0;
    const char *line = lua_tolstring(L, 1, &length);
    emit_log(L, line, length);
    return 0;
}

static int parley_now(lua_State *L) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec / 1e9);
    return 1;
}

void parley_copy_fields(lua_State *L, int src, int dst) {
    src = lua_absindex(L, src);
    dst = lua_absindex(L, dst);
    lua_pushnil(L);
    while (lua_next(L, src)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, dst);
    }
}

/* Copies every field of the table at src into a new table, which is pushed. */
static void push_copy(lua_State *L, int src) {
    src = lua_absindex(L, src);
    lua_newtable(L);
    parley_copy_fields(L, src, -1);
}

/* math.randomseed with seeds only, returning nothing. Stock Lua 5.4 seeds a new state, and a call without
 * arguments, from the time and the state's address, and returns both seeds: an address a rule could read. */
static int sandbox_randomseed(lua_State *L) {
    luaL_checkinteger(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 0);
    return 0;
}

/* math as a copy whose generator starts from the system's random bytes (getentropy), and whose randomseed takes seeds only. */
static void open_math(lua_State *L, int globals) {
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);
    uint64_t seeds[2] = {0, 0};
    if (getentropy(seeds, sizeof seeds) != 0) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        seeds[0] = (uint64_t)now.tv_nsec * 0x9E3779B97F4A7C15ull;
        seeds[1] = (uint64_t)now.tv_sec ^ ((uint64_t)now.tv_nsec << 21);
    }
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, (lua_Integer)seeds[0]);
    lua_pushinteger(L, (lua_Integer)seeds[1]);
    lua_call(L, 2, 0);
    push_copy(L, -1);
    lua_getfield(L, -1, "randomseed");
    lua_pushcclosure(L, sandbox_randomseed, 1);
    lua_setfield(L, -2, "randomseed");
    parley_push_proxy(L, -1);
    lua_setfield(L, globals, LUA_MATHLIBNAME);
    lua_pop(L, 2);
}

/* utf8 as a copy whose scans of a whole string (len, codepoint, offset) are charged by its length. */
static void open_utf8(lua_State *L, int globals) {
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);
    push_copy(L, -1);
    parley_charge_by_length(L, -1, "len", 1);
    parley_charge_by_length(L, -1, "codepoint", 1);
    parley_charge_by_length(L, -1, "offset", 1);
    parley_push_proxy(L, -1);
    lua_setfield(L, globals, LUA_UTF8LIBNAME);
    lua_pop(L, 2);
}

static const char *const base_allowed[] = {
    "assert", "error", "ipairs", "pairs", "pcall", "rawequal", "rawget", "rawlen", "rawset", "select",
    "_VERSION", NULL,
};

/* tonumber (upvalue 1), charged by the length of a string argument: it reads the whole string in C. */
static int charged_tonumber(lua_State *L) {
    if (lua_type(L, 1) == LUA_TSTRING) {
        parley_charge(L, 1 + (lua_rawlen(L, 1) >> 4));
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static const luaL_Reg base_replaced[] = {
    {"tostring", sandbox_tostring},
    {"type", sandbox_type},
    {"next", sandbox_next},
    {"getmetatable", sandbox_getmetatable},
    {"setmetatable", sandbox_setmetatable},
    {"collectgarbage", sandbox_collectgarbage},
    {"print", sandbox_print},
    {NULL, NULL},
};

static const luaL_Reg parley_functions[] = {
    {"log", parley_log},
    {"now", parley_now},
    {NULL, NULL},
};

void parley_open_globals(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 0);
    int base = lua_gettop(L);
    lua_newtable(L);
    int globals = lua_gettop(L);
    for (const char *const *name = base_allowed; *name != NULL; name++) {
        lua_getfield(L, base, *name);
        lua_setfield(L, globals, *name);
    }
    luaL_setfuncs(L, base_replaced, 0);
    lua_getfield(L, base, "xpcall");
    lua_pushcclosure(L, sandbox_xpcall, 1);
    lua_setfield(L, globals, "xpcall");
    lua_getfield(L, base, "tonumber");
    lua_pushcclosure(L, charged_tonumber, 1);
    lua_setfield(L, globals, "tonumber");

    open_math(L, globals);
    open_utf8(L, globals);

    parley_open_string(L);
    parley_push_proxy(L, -1);
    lua_setfield(L, globals, LUA_STRLIBNAME);
    lua_pop(L, 1);

    parley_open_table(L);
    parley_push_proxy(L, -1);
    lua_setfield(L, globals, LUA_TABLIBNAME);
    lua_pop(L, 1);

    luaL_newlib(L, parley_functions);
    parley_push_proxy(L, -1);
    lua_setfield(L, globals, "parley");
    lua_pop(L, 1);

    parley_push_proxy(L, globals);
    lua_pushvalue(L, -1);
    lua_setfield(L, globals, LUA_GNAME);
    lua_setfield(L, LUA_REGISTRYINDEX, "parley.globals");
    lua_pushvalue(L, globals);
    lua_setfield(L, LUA_REGISTRYINDEX, "parley.globals.table");
    lua_settop(L, base - 1);
}
