/*
 * parley_codec.c: the value encoding between Swift and Lua.
 *
 * Layout: one tag byte, then little-endian payload: integer/number 8 bytes,
 * string u32 length + bytes, array u32 count + values, table u32 count +
 * (u32 key length + key bytes + value) pairs, ref i32 registry reference.
 * Host tables arrive as read-only proxies. Results are read with raw access
 * only (lua_next, lua_rawgeti), so no metamethod runs while the host reads
 * them, and depth, node count and byte size are bounded (cycles hit the depth bound).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley_internal.h"

#define MAX_DECODE_DEPTH 64

typedef struct reader {
    const uint8_t *p;
    const uint8_t *end;
} reader;

static void need(lua_State *L, reader *r, size_t n) {
    if ((size_t)(r->end - r->p) < n) {
        luaL_error(L, "malformed host value");
    }
}

static uint64_t read_le(lua_State *L, reader *r, int bytes) {
    need(L, r, (size_t)bytes);
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) {
        v |= (uint64_t)r->p[i] << (8 * i);
    }
    r->p += bytes;
    return v;
}

static void decode_one(lua_State *L, reader *r, int depth) {
    if (depth > MAX_DECODE_DEPTH) {
        luaL_error(L, "host value nested too deeply");
    }
    luaL_checkstack(L, 4, "host value");
    int tag = (int)read_le(L, r, 1);
    switch (tag) {
    case PARLEY_TAG_NIL:
        lua_pushnil(L);
        break;
    case PARLEY_TAG_FALSE:
    case PARLEY_TAG_TRUE:
        lua_pushboolean(L, tag == PARLEY_TAG_TRUE);
        break;
    case PARLEY_TAG_INTEGER:
        lua_pushinteger(L, (lua_Integer)read_le(L, r, 8));
        break;
    case PARLEY_TAG_NUMBER: {
        uint64_t bits = read_le(L, r, 8);
        double d;
        memcpy(&d, &bits, sizeof d);
        lua_pushnumber(L, d);
        break;
    }
    case PARLEY_TAG_STRING: {
        size_t n = (size_t)read_le(L, r, 4);
        need(L, r, n);
        lua_pushlstring(L, (const char *)r->p, n);
        r->p += n;
        break;
    }
    case PARLEY_TAG_ARRAY: {
        size_t n = (size_t)read_le(L, r, 4);
        need(L, r, n);
        lua_createtable(L, (int)n, 0);
        for (size_t i = 0; i < n; i++) {
            decode_one(L, r, depth + 1);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        parley_push_proxy(L, -1);
        lua_remove(L, -2);
        break;
    }
    case PARLEY_TAG_TABLE: {
        size_t n = (size_t)read_le(L, r, 4);
        need(L, r, n);
        lua_createtable(L, 0, (int)n);
        for (size_t i = 0; i < n; i++) {
            size_t kn = (size_t)read_le(L, r, 4);
            need(L, r, kn);
            lua_pushlstring(L, (const char *)r->p, kn);
            r->p += kn;
            decode_one(L, r, depth + 1);
            lua_rawset(L, -3);
        }
        parley_push_proxy(L, -1);
        lua_remove(L, -2);
        break;
    }
    case PARLEY_TAG_REF: {
        int ref = (int)(int32_t)(uint32_t)read_le(L, r, 4);
        if (ref <= 0 || lua_rawgeti(L, LUA_REGISTRYINDEX, ref) != LUA_TUSERDATA || !parley_proxy_target(L, -1)) {
            luaL_error(L, "invalid view reference");
        }
        lua_pop(L, 1);
        break;
    }
    default:
        luaL_error(L, "malformed host value");
    }
}

int parley_decode(lua_State *L, const uint8_t *bytes, size_t length) {
    reader r = {bytes, bytes + length};
    int count = 0;
    while (r.p < r.end) {
        decode_one(L, &r, 0);
        count++;
    }
    return count;
}

/* ---- encoding ---- */

typedef struct writer {
    parley_state *ps;
    size_t nodes;
    size_t strings;
    const char *why;
} writer;

static int reserve(writer *w, size_t n) {
    parley_state *ps = w->ps;
    if (ps->out_len + n <= ps->out_cap) {
        return 1;
    }
    size_t cap = ps->out_cap < 256 ? 256 : ps->out_cap;
    while (cap < ps->out_len + n) {
        cap *= 2;
    }
    uint8_t *grown = realloc(ps->out, cap);
    if (grown == NULL) {
        w->why = "out of host memory while reading the result";
        return 0;
    }
    ps->out = grown;
    ps->out_cap = cap;
    return 1;
}

static int put_le(writer *w, uint64_t v, int bytes) {
    if (!reserve(w, (size_t)bytes)) {
        return 0;
    }
    for (int i = 0; i < bytes; i++) {
        w->ps->out[w->ps->out_len++] = (uint8_t)(v >> (8 * i));
    }
    return 1;
}

static int put_bytes(writer *w, const char *s, size_t n) {
    w->strings += n;
    if (w->strings > w->ps->policy.max_result_bytes) {
        w->why = "result is too large";
        return 0;
    }
    if (!put_le(w, (uint64_t)n, 4) || !reserve(w, n)) {
        return 0;
    }
    memcpy(w->ps->out + w->ps->out_len, s, n);
    w->ps->out_len += n;
    return 1;
}

static int encode_one(lua_State *L, writer *w, int idx, size_t depth);

static int encode_key(lua_State *L, writer *w, int idx) {
    char buffer[64];
    int n;
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        return put_bytes(w, s, len);
    }
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            n = snprintf(buffer, sizeof buffer, "%lld", (long long)lua_tointeger(L, idx));
        } else {
            n = snprintf(buffer, sizeof buffer, "%.14g", (double)lua_tonumber(L, idx));
        }
        return put_bytes(w, buffer, (size_t)n);
    default:
        w->why = "result table keys must be strings or numbers";
        return 0;
    }
}

static int encode_table(lua_State *L, writer *w, int idx, size_t depth) {
    if (!lua_checkstack(L, 4)) {
        w->why = "result is nested too deeply";
        return 0;
    }
    size_t count = 0;
    lua_Integer max = 0;
    int sequence = 1;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (++count > w->ps->policy.max_result_nodes) {
            lua_pop(L, 1);
            w->why = "result has too many values";
            return 0;
        }
        if (lua_type(L, -1) == LUA_TNUMBER && lua_isinteger(L, -1)) {
            lua_Integer k = lua_tointeger(L, -1);
            if (k < 1) {
                sequence = 0;
            } else if (k > max) {
                max = k;
            }
        } else {
            sequence = 0;
        }
    }
    if (sequence && count > 0 && (size_t)max == count) {
        if (!put_le(w, PARLEY_TAG_ARRAY, 1) || !put_le(w, (uint64_t)count, 4)) {
            return 0;
        }
        for (lua_Integer i = 1; i <= max; i++) {
            lua_rawgeti(L, idx, i);
            if (!encode_one(L, w, lua_gettop(L), depth + 1)) {
                return 0;
            }
            lua_pop(L, 1);
        }
        return 1;
    }
    if (!put_le(w, PARLEY_TAG_TABLE, 1) || !put_le(w, (uint64_t)count, 4)) {
        return 0;
    }
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (!encode_key(L, w, lua_gettop(L) - 1) || !encode_one(L, w, lua_gettop(L), depth + 1)) {
            return 0;
        }
        lua_pop(L, 1);
    }
    return 1;
}

static int encode_one(lua_State *L, writer *w, int idx, size_t depth) {
    if (++w->nodes > w->ps->policy.max_result_nodes) {
        w->why = "result has too many values";
        return 0;
    }
    if (depth > w->ps->policy.max_result_depth) {
        w->why = "result is nested too deeply (or cyclic)";
        return 0;
    }
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return put_le(w, PARLEY_TAG_NIL, 1);
    case LUA_TBOOLEAN:
        return put_le(w, lua_toboolean(L, idx) ? PARLEY_TAG_TRUE : PARLEY_TAG_FALSE, 1);
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            return put_le(w, PARLEY_TAG_INTEGER, 1) && put_le(w, (uint64_t)lua_tointeger(L, idx), 8);
        } else {
            double d = (double)lua_tonumber(L, idx);
            uint64_t bits;
            memcpy(&bits, &d, sizeof bits);
            return put_le(w, PARLEY_TAG_NUMBER, 1) && put_le(w, bits, 8);
        }
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        return put_le(w, PARLEY_TAG_STRING, 1) && put_bytes(w, s, len);
    }
    case LUA_TTABLE:
        return encode_table(L, w, idx, depth);
    case LUA_TUSERDATA:
        if (parley_proxy_target(L, idx)) {
            int ok = encode_table(L, w, lua_gettop(L), depth);
            if (ok) {
                lua_pop(L, 1);
            }
            return ok;
        }
        w->why = "cannot return a userdata value";
        return 0;
    default:
        w->why = lua_type(L, idx) == LUA_TFUNCTION ? "cannot return a function value" : "cannot return a thread value";
        return 0;
    }
}

parley_status parley_encode(lua_State *L, parley_state *ps, int idx) {
    writer w = {ps, 0, 0, NULL};
    ps->out_len = 0;
    if (encode_one(L, &w, lua_absindex(L, idx), 0)) {
        return PARLEY_OK;
    }
    parley_set_message(ps, w.why, strlen(w.why));
    return PARLEY_ERR_RESULT;
}
