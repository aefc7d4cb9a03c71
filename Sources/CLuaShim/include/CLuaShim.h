// Lua's function-like macros as real functions Swift can call, and the C side
// of the Swift <-> Lua boundary: every Swift binding is reached through one C
// trampoline, and only C code ever raises a Lua error (longjmp), so no Lua
// error unwinds over a Swift frame.
#ifndef FRONTIER_CLUASHIM_H
#define FRONTIER_CLUASHIM_H

#include <stdint.h>
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

/* What a read found in a field. */
enum { FRONTIER_FIELD_ABSENT = 0, FRONTIER_FIELD_INTEGER = 1, FRONTIER_FIELD_FLOAT = 2, FRONTIER_FIELD_STRING = 3 };

/// One field read from every element of a list by frontier_read_records.
typedef struct frontier_field {
    /// Stack slot of the key string.
    int key;
    /// Non-zero: read only for elements none of whose name keys holds a string (ABSENT for
    /// the others, whose number and string entries are left unwritten).
    int unless_named;
    /// n entries: FRONTIER_FIELD_* (anything but a number or string is ABSENT; every number is FLOAT).
    unsigned char *kinds;
    /// n entries (integers converted exactly up to 2^53; 0 where none), or NULL: numbers not kept.
    double *numbers;
    /// n entries, or NULL: strings not kept; with `lengths`.
    const char **strings;
    size_t *lengths;
} frontier_field;

/// Reads `fields` of list elements 1..n in one pass (raw access; cannot raise), and into
/// names/name_lengths (n entries) the first of the keys at slots name_keys[0..nnames)
/// that holds a string (NULL when none does). Every entry of every buffer is written
/// (but see unless_named).
/// Returns 0, or the 1-based row that is not a table. The strings stay valid while the
/// list is on the stack and unchanged.
int frontier_read_records(lua_State *L, int list, int n, const frontier_field *fields, int nfields,
                          const int *name_keys, int nnames, const char **names, size_t *name_lengths);
/// Reads elements 1..n of the list at `list`: kinds (INTEGER and FLOAT told apart), and
/// numbers or strings where the buffers are given, every entry written (raw access;
/// cannot raise).
void frontier_read_list(lua_State *L, int list, int n, unsigned char *kinds, double *numbers,
                        const char **strings, size_t *lengths);
/// For each of the m strings targets[t] (target_lengths[t] bytes), the first of rows
/// 0..rows-1 whose string has the same bytes, into first[t] (-1 when none); rows with a
/// NULL string are skipped. `interned`: every target of at most 40 bytes is itself a Lua
/// string (its pointer from lua_tolstring), so short strings compare by pointer (Lua
/// interns them) without reading their bytes. Scratch: `table`, table_size entries (a
/// power of two above 2m, all -1), and `filter`, filter_bits bits (a power of two, at
/// least 64, all 0).
void frontier_first_equal(const char *const *strings, const size_t *lengths, int rows, const char *const *targets,
                          const size_t *target_lengths, int m, int interned, int *table, int table_size,
                          uint64_t *filter, int filter_bits, int *first);

/* The last of SIGINT, SIGTERM or SIGHUP received, 0 if none. */
int frontier_interrupt_signal(void);

#endif
