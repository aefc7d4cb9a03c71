// Lua's function-like macros as real functions Swift can call, and the C side
// of the Swift <-> Lua boundary: every Swift binding is reached through one C
// trampoline, and only C code ever raises a Lua error (longjmp), so no Lua
// error unwinds over a Swift frame.
#ifndef FRONTIER_CLUASHIM_H
#define FRONTIER_CLUASHIM_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

/// Called by the trampoline with the box pointer stored in the closure's upvalue.
/// Returns the number of results (>= 0), or -1 with an error value pushed on top.
typedef int (*frontier_swift_call_fn)(lua_State *L, void *box);
/// Releases a retained Swift object stored in a userdata (called from __gc).
typedef void (*frontier_swift_release_fn)(void *object);

/// Installs the two Swift entry points. Call once before creating closures.
void frontier_set_callbacks(frontier_swift_call_fn call, frontier_swift_release_fn release);

/// A new state with an allocator that aborts instead of returning NULL, so an
/// allocation can never raise a memory error into Swift frames.
lua_State *frontier_newstate(void);

/// Pushes a C closure that calls the Swift box `retained` (ownership moves to Lua).
void frontier_push_swift_function(lua_State *L, void *retained);

/// Pushes a new userdata holding the retained Swift object `retained`, with
/// the metatable registered under `tname` (which must carry __gc).
void frontier_push_object(lua_State *L, void *retained, const char *tname);
/// The Swift object in the userdata at `idx` if its metatable is `tname`, else NULL.
void *frontier_to_object(lua_State *L, int idx, const char *tname);
/// The Swift object in any frontier userdata at `idx` (any type), else NULL.
void *frontier_to_any_object(lua_State *L, int idx);
/// Creates (or fetches) the metatable `tname` in the registry, with __gc and
/// __name set; leaves it on the stack. Returns 1 if it was created.
int frontier_new_metatable(lua_State *L, const char *tname);

/// Protected calls. `traceback` non-zero installs a handler that appends a
/// traceback; then a failed call leaves two values: the error object as raised
/// (a table error stays a table) and, on top, its text with the traceback.
int frontier_pcall(lua_State *L, int nargs, int nresults, int traceback);
int frontier_loadbuffer(lua_State *L, const char *buf, size_t len, const char *chunkname);
int frontier_loadfile(lua_State *L, const char *path);
/// Opens the standard libraries inside a protected call.
int frontier_openlibs(lua_State *L);

/// Pushes "chunk:line: " for the Lua function at `level` (1 = caller of the running C function).
void frontier_where(lua_State *L, int level);
/// The kind of call of the running C function: 1 if called as a method (obj:m()).
int frontier_called_as_method(lua_State *L);

/* Macro wrappers. */
void frontier_pop(lua_State *L, int n);
void frontier_remove(lua_State *L, int idx);
void frontier_insert(lua_State *L, int idx);
void frontier_newtable(lua_State *L);
int frontier_upvalueindex(int i);
int frontier_registryindex(void);
const char *frontier_tostring(lua_State *L, int idx, size_t *len);
int frontier_isinteger(lua_State *L, int idx);
void *frontier_extraspace(lua_State *L);

/* Ctrl-C: a signal handler that arms a hook raising "interrupted!", as lua.c does. */
/// Installs the SIGINT handler for `L` (the main state). Safe to call again.
void frontier_interrupt_install(lua_State *L);
/// Forgets `L` (called before it is closed), so the handler never touches a freed state.
void frontier_interrupt_uninstall(lua_State *L);
/// While armed, SIGINT also sets a hook so running Lua code stops at once.
void frontier_interrupt_arm(int armed);
/// Returns 1 if SIGINT arrived since the last call, and clears the flag.
int frontier_interrupt_take(void);
/// Returns 1 if SIGINT arrived (without clearing); for Swift code polling while it waits.
int frontier_interrupt_pending(void);
/// Acts as SIGINT would; from another thread it signals the Lua thread.
void frontier_interrupt_raise(void);

/* What frontier_read_fields found in a field. */
enum { FRONTIER_FIELD_ABSENT = 0, FRONTIER_FIELD_INTEGER = 1, FRONTIER_FIELD_FLOAT = 2, FRONTIER_FIELD_STRING = 3 };
/// Reads the fields keyed by the strings at stack slots keys[0..nkeys) of list elements
/// 1..n (raw access; cannot raise): kinds, numbers, strings and lengths are nkeys*n long,
/// field k of row r at k*n + r. Of the keys with first_string[k] set, reading stops at the
/// first that holds a string. Returns 0, or the 1-based row that is not a table.
int frontier_read_fields(lua_State *L, int list, const int *keys, const unsigned char *first_string, int nkeys, int n,
                         unsigned char *kinds, double *numbers, const char **strings, size_t *lengths);

/* The last of SIGINT, SIGTERM or SIGHUP received, 0 if none. */
int frontier_interrupt_signal(void);

#endif
