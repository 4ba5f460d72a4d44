/*
 * parley_lua.h: the C boundary of the Parley Lua sandbox.
 *
 * Every function here runs Lua code only under lua_pcall, so no Lua error
 * (longjmp) ever crosses a Swift frame. Values cross the boundary as a small
 * tagged binary encoding (see parley_codec.c), never as raw stack access.
 */
#ifndef PARLEY_LUA_H
#define PARLEY_LUA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Outcome of a boundary call. */
typedef enum parley_status {
    PARLEY_OK = 0,
    PARLEY_ERR_SYNTAX = 1,
    PARLEY_ERR_RUNTIME = 2,
    PARLEY_ERR_INSTRUCTIONS = 3,
    PARLEY_ERR_MEMORY = 4,
    PARLEY_ERR_DEADLINE = 5,
    PARLEY_ERR_RESULT = 6,
    PARLEY_ERR_BUSY = 7,
    PARLEY_ERR_ARGUMENT = 8,
    PARLEY_ERR_POISONED = 9,
    PARLEY_ERR_UNDEFINED = 10
} parley_status;

/* Tags of the value encoding shared with Swift (LuaValueCodec.swift). */
enum {
    PARLEY_TAG_NIL = 0,
    PARLEY_TAG_FALSE = 1,
    PARLEY_TAG_TRUE = 2,
    PARLEY_TAG_INTEGER = 3,
    PARLEY_TAG_NUMBER = 4,
    PARLEY_TAG_STRING = 5,
    PARLEY_TAG_ARRAY = 6,
    PARLEY_TAG_TABLE = 7,
    PARLEY_TAG_REF = 8
};

/* Numeric caps of the sandbox policy, chosen in SandboxPolicy.swift. */
typedef struct parley_policy {
    size_t max_log_line_bytes;
    size_t max_result_depth;
    size_t max_result_nodes;
    size_t max_result_bytes;
    size_t max_table_span;
    size_t max_message_bytes;
} parley_policy;

/* Host log sink: returns 0 to accept the line, non-zero to make Lua raise. */
typedef int (*parley_log_fn)(void *context, const char *bytes, size_t length);

/* Per-call limits (the memory cap applies to the whole state); trace_return_line adds a return hook. */
typedef struct parley_limits {
    uint64_t instructions;
    uint64_t deadline_ns;
    size_t memory_bytes;
    int trace_return_line;
} parley_limits;

/* Output of a boundary call: an encoded value on success, message bytes on error. */
typedef struct parley_output {
    const uint8_t *bytes;
    size_t length;
    uint64_t instructions;
    size_t memory_bytes;
    int return_line;
} parley_output;

typedef struct parley_state parley_state;

/* Creates a sandboxed state; returns NULL if the libraries cannot be set up within the cap. */
parley_state *parley_open(const parley_policy *policy, size_t memory_bytes, parley_log_fn log_fn, void *log_context);

/* Runs a full collection and closes the state. */
void parley_close(parley_state *ps);

/* Compiles text-only source into its own environment and runs it once; stores the env in *env_ref. */
parley_status parley_load(parley_state *ps, const parley_limits *limits, const char *name, const char *source,
                          size_t source_length, int *env_ref, parley_output *out);

/* Resolves a global function defined by a rule into a registry reference. */
parley_status parley_function(parley_state *ps, int env_ref, const char *name, int *function_ref,
                              parley_output *out);

/* Builds a deeply read-only table (a view) from encoded bytes and stores it in *view_ref. */
parley_status parley_view(parley_state *ps, const uint8_t *bytes, size_t length, int *view_ref, parley_output *out);

/* Releases a registry reference made by parley_load, parley_function or parley_view. */
void parley_release(parley_state *ps, int ref);

/* Calls a function with encoded arguments under the limits; encodes its first result into out. */
parley_status parley_call(parley_state *ps, const parley_limits *limits, int function_ref, const uint8_t *arguments,
                          size_t arguments_length, parley_output *out);

/* Calls a function with no arguments and no limits or encoding (benchmark baseline only). */
int parley_bare_call(parley_state *ps, int function_ref);

/* Whether a limit was broken or the state failed badly; a poisoned state must be discarded. */
int parley_is_poisoned(const parley_state *ps);

#ifdef __cplusplus
}
#endif

#endif
