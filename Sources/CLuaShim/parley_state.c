/*
 * parley_state.c: lifecycle of a sandboxed lua_State and the protected entry points.
 *
 * Limits: a capped allocator (memory; every 1 MiB allocated it forces a hook
 * check), a count hook (instructions and wall-clock deadline) and a sticky kill: once a limit trips, every later hook invocation
 * raises again (the hook count drops to 1), so pcall/xpcall/error handlers
 * cannot swallow it. All Lua work below runs under lua_pcall.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley_internal.h"

static void count_hook(lua_State *L, lua_Debug *ar);

parley_state *parley_from(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (parley_state *)ud;
}

uint64_t parley_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char *kill_message(int reason) {
    switch (reason) {
    case PARLEY_KILL_INSTRUCTIONS:
        return "instruction limit exceeded";
    case PARLEY_KILL_MEMORY:
        return "memory limit exceeded";
    case PARLEY_KILL_DEADLINE:
        return "deadline exceeded";
    default:
        return "sandbox is closing";
    }
}

/* Marks the kill (first reason wins) and makes the hook fire before every instruction. */
static void set_kill(parley_state *ps, int reason) {
    if (ps->kill == PARLEY_KILL_NONE) {
        ps->kill = reason;
    }
    ps->poisoned = 1;
    if (ps->L != NULL) {
        lua_sethook(ps->L, count_hook, LUA_MASKCOUNT, 1);
    }
}

/* Pushes "chunk:line:" of the innermost Lua function (level 0 inside a hook, level 1 from a C function). */
static void push_where(lua_State *L) {
    lua_Debug ar;
    for (int level = 0; level <= 1; level++) {
        if (lua_getstack(L, level, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            return;
        }
    }
    lua_pushliteral(L, "");
}

int parley_raise_kill(lua_State *L, parley_state *ps, int reason) {
    set_kill(ps, reason);
    push_where(L);
    lua_pushstring(L, kill_message(ps->kill));
    lua_concat(L, 2);
    return lua_error(L);
}

static void check_budget(lua_State *L, parley_state *ps) {
    if (ps->kill != PARLEY_KILL_NONE) {
        parley_raise_kill(L, ps, ps->kill);
    }
    if (ps->instr_used >= ps->instr_budget) {
        parley_raise_kill(L, ps, PARLEY_KILL_INSTRUCTIONS);
    }
    if (parley_now_ns() > ps->deadline_abs_ns) {
        parley_raise_kill(L, ps, PARLEY_KILL_DEADLINE);
    }
}

void parley_charge(lua_State *L, uint64_t steps) {
    parley_state *ps = parley_from(L);
    ps->instr_used += steps;
    check_budget(L, ps);
}

/* Records the line of the rule function's own return (a Lua frame called directly from call_body). */
static void record_return(lua_State *L, parley_state *ps, lua_Debug *ar) {
    lua_Debug caller;
    if (lua_getinfo(L, "l", ar) && ar->currentline > 0 && lua_getstack(L, 1, &caller) && !lua_getstack(L, 2, &caller)) {
        ps->return_line = ar->currentline;
    }
}

static void count_hook(lua_State *L, lua_Debug *ar) {
    parley_state *ps = parley_from(L);
    if (ar->event != LUA_HOOKCOUNT) {
        if (ar->event == LUA_HOOKRET) {
            record_return(L, ps, ar);
        }
        return;
    }
    ps->instr_used += (uint64_t)ps->tick;
    ps->alloc_since_check = 0;
    check_budget(L, ps);
    uint64_t remaining = ps->instr_budget - ps->instr_used;
    int next = remaining < PARLEY_HOOK_TICK ? (int)remaining : PARLEY_HOOK_TICK;
    if (next != ps->tick) {
        ps->tick = next;
        lua_sethook(L, count_hook, lua_gethookmask(L), ps->tick);
    }
}

/* The allocator: refuses growth beyond the cap; a refusal kills and poisons the state. */
static void *parley_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    parley_state *ps = (parley_state *)ud;
    size_t old = ptr != NULL ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        ps->mem_used -= old;
        return NULL;
    }
    if (nsize > old) {
        size_t growth = nsize - old;
        if (ps->mem_used > ps->mem_cap || growth > ps->mem_cap - ps->mem_used) {
            set_kill(ps, PARLEY_KILL_MEMORY);
            return NULL;
        }
    }
    void *block = realloc(ptr, nsize);
    if (block == NULL) {
        set_kill(ps, PARLEY_KILL_MEMORY);
        return NULL;
    }
    ps->mem_used = ps->mem_used - old + nsize;
    if (nsize > old) {
        ps->alloc_since_check += nsize - old;
        if (ps->alloc_since_check >= PARLEY_ALLOC_CHECK_BYTES && ps->L != NULL && ps->tick > 1) {
            /* lua_sethook is async-safe: the hook now runs before the next VM instruction. Restarting the count
             * forgets the instructions run in this tick so far: they are charged as a whole tick, at most 255 too
             * many, or a rule allocating a megabyte per tick would run about 250 times its budget. */
            ps->instr_used += (uint64_t)ps->tick;
            ps->tick = 1;
            lua_sethook(ps->L, count_hook, lua_gethookmask(ps->L), 1);
        }
    }
    return block;
}

static void arm(parley_state *ps, const parley_limits *limits, int trace_return) {
    ps->instr_budget = limits->instructions > 0 ? limits->instructions : 1;
    ps->instr_used = 0;
    ps->deadline_abs_ns = parley_now_ns() + limits->deadline_ns;
    ps->alloc_since_check = 0;
    ps->mem_cap = limits->memory_bytes;
    ps->tick = ps->instr_budget < PARLEY_HOOK_TICK ? (int)ps->instr_budget : PARLEY_HOOK_TICK;
    ps->return_line = 0;
    lua_sethook(ps->L, count_hook, trace_return ? LUA_MASKCOUNT | LUA_MASKRET : LUA_MASKCOUNT, ps->tick);
}

void parley_set_message(parley_state *ps, const char *bytes, size_t length) {
    if (length > ps->policy.max_message_bytes) {
        length = ps->policy.max_message_bytes;
    }
    if (length > ps->out_cap) {
        uint8_t *grown = realloc(ps->out, length);
        if (grown == NULL) {
            ps->out_len = 0;
            return;
        }
        ps->out = grown;
        ps->out_cap = length;
    }
    if (length > 0) {
        memcpy(ps->out, bytes, length);
    }
    ps->out_len = length;
}

static void set_message_from_top(parley_state *ps, const char *fallback) {
    lua_State *L = ps->L;
    if (lua_gettop(L) > 0 && lua_type(L, -1) == LUA_TSTRING) {
        size_t len = 0;
        const char *msg = lua_tolstring(L, -1, &len);
        parley_set_message(ps, msg, len);
    } else {
        parley_set_message(ps, fallback, strlen(fallback));
    }
}

static void fill_output(parley_state *ps, parley_output *out) {
    out->bytes = ps->out;
    out->length = ps->out_len;
    out->instructions = ps->instr_used;
    out->memory_bytes = ps->mem_used;
    out->return_line = ps->return_line;
}

/* Maps a finished protected call to a status; the kill always takes precedence. */
static parley_status finish(parley_state *ps, int lua_status, parley_status body_status, parley_output *out) {
    lua_State *L = ps->L;
    parley_status result = body_status;
    if (lua_status == LUA_ERRMEM) {
        set_kill(ps, PARLEY_KILL_MEMORY);
    }
    if (ps->kill != PARLEY_KILL_NONE) {
        const char *text = kill_message(ps->kill);
        const char *top = lua_gettop(L) > 0 && lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (top != NULL && strstr(top, text) != NULL) {
            set_message_from_top(ps, text);
        } else {
            parley_set_message(ps, text, strlen(text));
        }
        switch (ps->kill) {
        case PARLEY_KILL_INSTRUCTIONS:
            result = PARLEY_ERR_INSTRUCTIONS;
            break;
        case PARLEY_KILL_DEADLINE:
            result = PARLEY_ERR_DEADLINE;
            break;
        default:
            result = PARLEY_ERR_MEMORY;
            break;
        }
    } else if (lua_status != LUA_OK) {
        if (lua_status == LUA_ERRERR) {
            ps->poisoned = 1;
        }
        if (result == PARLEY_OK) {
            result = PARLEY_ERR_RUNTIME;
        }
        set_message_from_top(ps, "(error object is not a string)");
        if (lua_gettop(L) > 0 && lua_type(L, -1) != LUA_TSTRING) {
            char buffer[64];
            int n = snprintf(buffer, sizeof buffer, "(error object is a %s value)", luaL_typename(L, -1));
            parley_set_message(ps, buffer, (size_t)n);
        }
    }
    lua_settop(L, 0);
    fill_output(ps, out);
    return result;
}

static int begin(parley_state *ps) {
    if (ps->running) {
        return PARLEY_ERR_BUSY;
    }
    if (ps->poisoned) {
        return PARLEY_ERR_POISONED;
    }
    ps->running = 1;
    ps->out_len = 0;
    lua_settop(ps->L, 0);
    return PARLEY_OK;
}

/* ---- open / close ---- */

static int setup_body(lua_State *L) {
    parley_open_globals(L);
    return 0;
}

parley_state *parley_open(const parley_policy *policy, size_t memory_bytes, parley_log_fn log_fn, void *log_context) {
    parley_state *ps = calloc(1, sizeof *ps);
    if (ps == NULL) {
        return NULL;
    }
    ps->policy = *policy;
    ps->mem_cap = memory_bytes;
    ps->log_fn = log_fn;
    ps->log_context = log_context;
    ps->instr_budget = 1;
    lua_State *L = lua_newstate(parley_alloc, ps);
    if (L == NULL) {
        free(ps);
        return NULL;
    }
    ps->L = L;
    lua_pushcfunction(L, setup_body);
    int status = lua_pcall(L, 0, 0, 0);
    if (status != LUA_OK || ps->kill != PARLEY_KILL_NONE) {
        lua_close(L);
        free(ps);
        return NULL;
    }
    lua_settop(L, 0);
    return ps;
}

static int collect_body(lua_State *L) {
    lua_gc(L, LUA_GCCOLLECT);
    return 0;
}

void parley_close(parley_state *ps) {
    if (ps == NULL) {
        return;
    }
    set_kill(ps, PARLEY_KILL_CLOSING);
    lua_settop(ps->L, 0);
    lua_pushcfunction(ps->L, collect_body);
    (void)lua_pcall(ps->L, 0, 0, 0);
    lua_close(ps->L);
    free(ps->out);
    free(ps);
}

int parley_is_poisoned(const parley_state *ps) { return ps->poisoned; }

/* ---- load ---- */

typedef struct load_ctx {
    const char *name;
    const char *source;
    size_t length;
    int env_ref;
    int syntax_error;
} load_ctx;

static int load_body(lua_State *L) {
    load_ctx *c = (load_ctx *)lua_touserdata(L, 1);
    lua_settop(L, 0);
    lua_pushfstring(L, "=%s", c->name);
    int status = luaL_loadbufferx(L, c->source, c->length, lua_tostring(L, 1), "t");
    if (status != LUA_OK) {
        c->syntax_error = status;
        return 1;
    }
    /* env (3): reads fall back to the frozen safe globals; its metatable is hidden */
    lua_createtable(L, 0, 8);
    lua_createtable(L, 0, 2);
    lua_getfield(L, LUA_REGISTRYINDEX, "parley.globals");
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, 3);
    lua_pushvalue(L, 3);
    lua_setupvalue(L, 2, 1);
    lua_pushvalue(L, 2);
    lua_call(L, 0, 0);
    /*
     * After the chunk ran once, its globals become read-only: _ENV is swapped for a proxy of a flat
     * table holding the safe globals overlaid with the rule's own globals (one lookup hop, not three).
     */
    lua_newtable(L);
    lua_getfield(L, LUA_REGISTRYINDEX, "parley.globals.table");
    parley_copy_fields(L, -1, 4);
    lua_pop(L, 1);
    parley_copy_fields(L, 3, 4);
    parley_push_proxy(L, 4);
    lua_setupvalue(L, 2, 1);
    lua_pushvalue(L, 3);
    c->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

parley_status parley_load(parley_state *ps, const parley_limits *limits, const char *name, const char *source,
                          size_t source_length, int *env_ref, parley_output *out) {
    parley_status busy = begin(ps);
    if (busy != PARLEY_OK) {
        return busy;
    }
    load_ctx c = {name, source, source_length, LUA_NOREF, LUA_OK};
    arm(ps, limits, 0);
    lua_pushcfunction(ps->L, load_body);
    lua_pushlightuserdata(ps->L, &c);
    int status = lua_pcall(ps->L, 1, 1, 0);
    parley_status body = PARLEY_OK;
    if (status == LUA_OK && c.syntax_error != LUA_OK) {
        if (c.syntax_error == LUA_ERRMEM) {
            status = LUA_ERRMEM;
        } else {
            body = PARLEY_ERR_SYNTAX;
            set_message_from_top(ps, "syntax error");
        }
    }
    parley_status result = finish(ps, status, body, out);
    *env_ref = c.env_ref;
    ps->running = 0;
    return result;
}

/* ---- function lookup, views, release ---- */

typedef struct ref_ctx {
    int ref;
    const char *name;
    const uint8_t *bytes;
    size_t length;
    int result;
    parley_status status;
} ref_ctx;

static int function_body(lua_State *L) {
    ref_ctx *c = (ref_ctx *)lua_touserdata(L, 1);
    lua_settop(L, 0);
    if (lua_rawgeti(L, LUA_REGISTRYINDEX, c->ref) != LUA_TTABLE) {
        c->status = PARLEY_ERR_ARGUMENT;
        lua_pushliteral(L, "invalid rule reference");
        return 1;
    }
    lua_pushstring(L, c->name);
    if (lua_rawget(L, 1) != LUA_TFUNCTION) {
        c->status = PARLEY_ERR_UNDEFINED;
        lua_pushfstring(L, "rule does not define function '%s'", c->name);
        return 1;
    }
    c->result = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushnil(L);
    return 1;
}

parley_status parley_function(parley_state *ps, int env_ref, const char *name, int *function_ref,
                              parley_output *out) {
    parley_status busy = begin(ps);
    if (busy != PARLEY_OK) {
        return busy;
    }
    ref_ctx c = {env_ref, name, NULL, 0, LUA_NOREF, PARLEY_OK};
    lua_sethook(ps->L, NULL, 0, 0);
    lua_pushcfunction(ps->L, function_body);
    lua_pushlightuserdata(ps->L, &c);
    int status = lua_pcall(ps->L, 1, 1, 0);
    if (status == LUA_OK && c.status != PARLEY_OK) {
        set_message_from_top(ps, "invalid function");
    }
    parley_status result = finish(ps, status, c.status, out);
    *function_ref = c.result;
    ps->running = 0;
    return result;
}

static int view_body(lua_State *L) {
    ref_ctx *c = (ref_ctx *)lua_touserdata(L, 1);
    lua_settop(L, 0);
    if (parley_decode(L, c->bytes, c->length) != 1) {
        return luaL_error(L, "a view is exactly one value");
    }
    c->result = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

parley_status parley_view(parley_state *ps, const uint8_t *bytes, size_t length, int *view_ref, parley_output *out) {
    parley_status busy = begin(ps);
    if (busy != PARLEY_OK) {
        return busy;
    }
    ref_ctx c = {LUA_NOREF, NULL, bytes, length, LUA_NOREF, PARLEY_OK};
    lua_sethook(ps->L, NULL, 0, 0);
    lua_pushcfunction(ps->L, view_body);
    lua_pushlightuserdata(ps->L, &c);
    int status = lua_pcall(ps->L, 1, 0, 0);
    parley_status result = finish(ps, status, status == LUA_OK ? PARLEY_OK : PARLEY_ERR_ARGUMENT, out);
    *view_ref = c.result;
    ps->running = 0;
    return result;
}

static int release_body(lua_State *L) {
    int ref = (int)lua_tointeger(L, 1);
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
    return 0;
}

void parley_release(parley_state *ps, int ref) {
    if (ps->running || ref <= 0) {
        return;
    }
    lua_settop(ps->L, 0);
    lua_pushcfunction(ps->L, release_body);
    lua_pushinteger(ps->L, ref);
    (void)lua_pcall(ps->L, 1, 0, 0);
    lua_settop(ps->L, 0);
}

/* ---- calls ---- */

typedef struct call_ctx {
    parley_state *ps;
    int function_ref;
    const uint8_t *arguments;
    size_t length;
    int calling;
    parley_status status;
} call_ctx;

static int call_body(lua_State *L) {
    call_ctx *c = (call_ctx *)lua_touserdata(L, 1);
    lua_settop(L, 0);
    if (lua_rawgeti(L, LUA_REGISTRYINDEX, c->function_ref) != LUA_TFUNCTION) {
        c->status = PARLEY_ERR_ARGUMENT;
        lua_pushliteral(L, "invalid function reference");
        return 1;
    }
    int n = parley_decode(L, c->arguments, c->length);
    c->calling = 1;
    lua_call(L, n, 1);
    c->calling = 0;
    c->status = parley_encode(L, c->ps, 1);
    lua_settop(L, 0);
    lua_pushnil(L);
    return 1;
}

parley_status parley_call(parley_state *ps, const parley_limits *limits, int function_ref, const uint8_t *arguments,
                          size_t arguments_length, parley_output *out) {
    parley_status busy = begin(ps);
    if (busy != PARLEY_OK) {
        return busy;
    }
    call_ctx c = {ps, function_ref, arguments, arguments_length, 0, PARLEY_OK};
    arm(ps, limits, limits->trace_return_line);
    lua_pushcfunction(ps->L, call_body);
    lua_pushlightuserdata(ps->L, &c);
    int status = lua_pcall(ps->L, 1, 1, 0);
    parley_status body = c.status;
    if (status != LUA_OK && !c.calling) {
        body = PARLEY_ERR_ARGUMENT;
    }
    if (status == LUA_OK && body == PARLEY_ERR_ARGUMENT) {
        set_message_from_top(ps, "invalid function reference");
    }
    parley_status result = finish(ps, status, body, out);
    ps->running = 0;
    return result;
}

int parley_bare_call(parley_state *ps, int function_ref) {
    lua_State *L = ps->L;
    if (ps->running || ps->poisoned) {
        return LUA_ERRRUN;
    }
    lua_sethook(L, NULL, 0, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, function_ref);
    int status = lua_pcall(L, 0, 0, 0);
    lua_settop(L, 0);
    return status;
}
