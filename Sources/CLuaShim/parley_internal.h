/* parley_internal.h: shared internals of the sandbox shim (not exported to Swift). */
#ifndef PARLEY_INTERNAL_H
#define PARLEY_INTERNAL_H

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "parley_lua.h"

/* Kill reasons; once set the kill is sticky for the lifetime of the state. */
enum {
    PARLEY_KILL_NONE = 0,
    PARLEY_KILL_INSTRUCTIONS = 1,
    PARLEY_KILL_MEMORY = 2,
    PARLEY_KILL_DEADLINE = 3,
    PARLEY_KILL_CLOSING = 4
};

/* VM instructions between two count-hook invocations (and deadline checks). */
#define PARLEY_HOOK_TICK 256

/* Bytes allocated after which the hook is forced at the next instruction (big copies cost time, not instructions). */
#define PARLEY_ALLOC_CHECK_BYTES (1u << 20)

struct parley_state {
    lua_State *L;
    parley_policy policy;
    /* memory accounting */
    size_t mem_used;
    size_t mem_cap;
    size_t alloc_since_check;
    /* per-call budget */
    uint64_t instr_budget;
    uint64_t instr_used;
    uint64_t deadline_abs_ns;
    int tick;
    int return_line;
    /* sticky kill and health */
    int kill;
    int poisoned;
    int running;
    /* host log sink */
    parley_log_fn log_fn;
    void *log_context;
    /* reusable output buffer */
    uint8_t *out;
    size_t out_len;
    size_t out_cap;
};

/* Returns the sandbox owning a Lua state (stored as the allocator's userdata). */
parley_state *parley_from(lua_State *L);

/* Monotonic clock in nanoseconds. */
uint64_t parley_now_ns(void);

/* Sets the sticky kill and raises the matching error; never returns. */
int parley_raise_kill(lua_State *L, parley_state *ps, int reason);

/* Charges work done inside C library functions to the instruction budget; raises on a limit. */
void parley_charge(lua_State *L, uint64_t steps);
/* Replaces lib[name] by a closure that charges the length of its argument `arg` before calling it. */
void parley_charge_by_length(lua_State *L, int lib, const char *name, int arg);

/* Copies every field of the table at src into the table at dst (raw access). */
void parley_copy_fields(lua_State *L, int src, int dst);

/* Pushes a read-only proxy of the table at index idx. */
void parley_push_proxy(lua_State *L, int idx);

/* If the value at idx is a read-only proxy, pushes its backing table and returns 1; otherwise returns 0. */
int parley_proxy_target(lua_State *L, int idx);

/* Pushes the sandbox's address-free string form of the value at idx. */
const char *parley_tostring(lua_State *L, int idx, size_t *len);

/* Decodes host bytes into Lua values (tables are read-only proxies); returns how many were pushed. */
int parley_decode(lua_State *L, const uint8_t *bytes, size_t length);

/* Encodes the value at idx into ps->out; returns PARLEY_OK or PARLEY_ERR_RESULT with a message in ps->out. */
parley_status parley_encode(lua_State *L, parley_state *ps, int idx);

/* Replaces ps->out with a message. */
void parley_set_message(parley_state *ps, const char *bytes, size_t length);

/* Library openers of the sandbox. */
void parley_open_globals(lua_State *L);
void parley_open_string(lua_State *L);
void parley_open_table(lua_State *L);

#endif
