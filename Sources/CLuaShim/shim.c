#include "CLuaShim.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>

static frontier_swift_call_fn swift_call = NULL;
static frontier_swift_release_fn swift_release = NULL;

void frontier_set_callbacks(frontier_swift_call_fn call, frontier_swift_release_fn release) {
    swift_call = call;
    swift_release = release;
}

/* Aborting allocator: a failed allocation would raise a Lua memory error,
   which could longjmp over Swift frames. Out of memory is fatal instead. */
static void *frontier_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    (void)ud; (void)osize;
    if (nsize == 0) { free(ptr); return NULL; }
    void *p = realloc(ptr, nsize);
    if (p == NULL) {
        fprintf(stderr, "frontier: out of memory (Lua asked for %zu bytes)\n", nsize);
        abort();
    }
    return p;
}

static int frontier_panic(lua_State *L) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "frontier: unprotected Lua error: %s\n", msg ? msg : "(not a string)");
    abort();
    return 0;
}

static void frontier_warn(void *ud, const char *msg, int tocont) {
    (void)ud;
    /* Errors in __gc become warnings in 5.4; show them rather than lose them. */
    static int continuing = 0;
    if (!continuing && *msg == '@') return; /* control messages */
    if (!continuing) fputs("frontier: warning: ", stderr);
    fputs(msg, stderr);
    continuing = tocont;
    if (!tocont) fputc('\n', stderr);
}

lua_State *frontier_newstate(void) {
    lua_State *L = lua_newstate(frontier_alloc, NULL);
    if (L == NULL) return NULL;
    lua_atpanic(L, frontier_panic);
    lua_setwarnf(L, frontier_warn, NULL);
    return L;
}

/* Box userdata: one pointer to a retained Swift object, behind a magic
   word so that a finalizer handed some other userdata (a script can reach
   metamethods through the debug library) never releases a foreign pointer. */
#define FRONTIER_BOX_MAGIC 0x46524E54424F5845ULL /* "FRNTBOXE" */
typedef struct { unsigned long long magic; void *object; } frontier_box;

static frontier_box *box_at(lua_State *L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || lua_rawlen(L, idx) != sizeof(frontier_box)) return NULL;
    frontier_box *b = (frontier_box *)lua_touserdata(L, idx);
    return (b != NULL && b->magic == FRONTIER_BOX_MAGIC) ? b : NULL;
}

static int frontier_box_gc(lua_State *L) {
    frontier_box *b = box_at(L, 1);
    if (b != NULL && b->object != NULL) {
        void *o = b->object;
        b->object = NULL;
        if (swift_release) swift_release(o);
    }
    return 0;
}

/* Ctrl-C, as lua.c does it: the handler sets a flag and, while Lua runs on
   the Lua thread, a hook that raises "interrupted!". */
static lua_State *volatile interrupt_state = NULL;
static volatile sig_atomic_t interrupt_flag = 0;
/* The last of SIGINT, SIGTERM, SIGHUP received (0: none): all three stop a run the
   same way; the exit status tells them apart (128 + the signal). */
static volatile sig_atomic_t interrupt_signal = 0;
static volatile sig_atomic_t interrupt_armed = 0;
static pthread_t interrupt_thread;
static volatile sig_atomic_t interrupt_thread_set = 0;
static struct timespec interrupt_since;

static const char *const FUNCTION_BOX = "frontier.function";

static int frontier_trampoline(lua_State *L) {
    frontier_box *b = box_at(L, lua_upvalueindex(1));
    if (b == NULL || b->object == NULL || swift_call == NULL)
        return luaL_error(L, "frontier: binding called after it was released");
    /* The hook is set on the main state only; a coroutine that calls any
       binding still stops here. */
    if (interrupt_armed && interrupt_flag) {
        frontier_interrupt_take();
        return luaL_error(L, "interrupted!");
    }
    int top = lua_gettop(L);
    int n = swift_call(L, b->object);
    if (n < 0) return lua_error(L); /* raised here, after the Swift frame returned */
    int pushed = lua_gettop(L) - top;
    return n > pushed ? pushed : n;
}

/* Raw registry access only: a script can give the registry a metatable
   (debug.setmetatable), and luaL_newmetatable/luaL_testudata would run it. */
static void push_registry_field(lua_State *L, const char *name) {
    lua_pushstring(L, name);
    lua_rawget(L, LUA_REGISTRYINDEX);
}

int frontier_new_metatable(lua_State *L, const char *tname) {
    push_registry_field(L, tname);
    if (lua_type(L, -1) == LUA_TTABLE) return 0;
    lua_pop(L, 1);
    lua_createtable(L, 0, 4);
    lua_pushcfunction(L, frontier_box_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "__frontier");
    lua_pushstring(L, tname);
    lua_setfield(L, -2, "__name");
    /* getmetatable() on our objects gives false: scripts cannot reach __gc. */
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushstring(L, tname);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
    return 1;
}

static frontier_box *push_box(lua_State *L, void *retained, const char *tname) {
    frontier_box *b = (frontier_box *)lua_newuserdatauv(L, sizeof(frontier_box), 0);
    b->magic = FRONTIER_BOX_MAGIC;
    b->object = retained;
    frontier_new_metatable(L, tname);
    lua_setmetatable(L, -2);
    return b;
}

void frontier_push_swift_function(lua_State *L, void *retained) {
    push_box(L, retained, FUNCTION_BOX);
    lua_pushcclosure(L, frontier_trampoline, 1);
}

void frontier_push_object(lua_State *L, void *retained, const char *tname) {
    push_box(L, retained, tname);
}

void *frontier_to_object(lua_State *L, int idx, const char *tname) {
    idx = lua_absindex(L, idx);
    frontier_box *b = box_at(L, idx);
    if (b == NULL || !lua_getmetatable(L, idx)) return NULL;
    push_registry_field(L, tname);
    int same = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return same ? b->object : NULL;
}

void *frontier_to_any_object(lua_State *L, int idx) {
    frontier_box *b = box_at(L, idx);
    return b ? b->object : NULL;
}

/* Marks the table msghandler wraps a non-string error in: a static address no
   script can forge as a light userdata. */
static const char error_carrier_key = 0;

/* The message is the error's text (a table's __tostring, as for structured
   errors) with a traceback. A non-string error object travels next to that text
   in a carrier table, so Swift can re-raise the very value (a table stays a table). */
static int msghandler(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            msg = lua_tostring(L, -1);
        else
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    if (lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER) return 1;
    lua_createtable(L, 2, 1);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, 1);
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, 2);
    lua_pushboolean(L, 1);
    lua_rawsetp(L, -2, &error_carrier_key);
    return 1;
}

int frontier_pcall(lua_State *L, int nargs, int nresults, int traceback) {
    if (!traceback) return lua_pcall(L, nargs, nresults, 0);
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    int status = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    if (status == LUA_OK) return status;
    /* Two values on error: the error object, then its text with the traceback.
       Raw access only: this runs in a Swift frame, where nothing may raise. */
    int carrier = 0;
    if (lua_type(L, -1) == LUA_TTABLE) {
        lua_rawgetp(L, -1, &error_carrier_key);
        carrier = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    if (carrier) {
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        lua_remove(L, -3);
    } else {
        lua_pushvalue(L, -1); /* a string error (or "error in error handling") is its own text */
    }
    return status;
}

int frontier_loadbuffer(lua_State *L, const char *buf, size_t len, const char *chunkname) {
    return luaL_loadbufferx(L, buf, len, chunkname, "t");
}

int frontier_loadfile(lua_State *L, const char *path) {
    return luaL_loadfilex(L, path, "t"); /* no precompiled chunks: bytecode is unchecked */
}

static int openlibs(lua_State *L) {
    luaL_openlibs(L);
    return 0;
}

int frontier_openlibs(lua_State *L) {
    lua_pushcfunction(L, openlibs);
    return lua_pcall(L, 0, 0, 0);
}

void frontier_where(lua_State *L, int level) { luaL_where(L, level); }

int frontier_called_as_method(lua_State *L) {
    lua_Debug ar;
    if (!lua_getstack(L, 0, &ar)) return 0;
    lua_getinfo(L, "n", &ar);
    return ar.namewhat != NULL && strcmp(ar.namewhat, "method") == 0;
}

void frontier_pop(lua_State *L, int n) { lua_pop(L, n); }
void frontier_remove(lua_State *L, int idx) { lua_remove(L, idx); }
void frontier_insert(lua_State *L, int idx) { lua_insert(L, idx); }
void frontier_newtable(lua_State *L) { lua_newtable(L); }
int frontier_upvalueindex(int i) { return lua_upvalueindex(i); }
int frontier_registryindex(void) { return LUA_REGISTRYINDEX; }
const char *frontier_tostring(lua_State *L, int idx, size_t *len) { return lua_tolstring(L, idx, len); }
int frontier_isinteger(lua_State *L, int idx) { return lua_isinteger(L, idx); }
void *frontier_extraspace(lua_State *L) { return lua_getextraspace(L); }


static void interrupt_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    interrupt_flag = 0; /* consumed by this error */
    luaL_error(L, "interrupted!");
}

static void interrupt_handler(int sig) {
    /* lua_sethook is meant for a signal interrupting the thread that runs
       Lua; a signal delivered to another thread (NIO's, Dispatch's) is
       passed on to the Lua thread instead. */
    if (interrupt_thread_set && !pthread_equal(pthread_self(), interrupt_thread)) {
        pthread_kill(interrupt_thread, sig);
        return;
    }
    interrupt_signal = sig;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (interrupt_flag && interrupt_armed && now.tv_sec - interrupt_since.tv_sec >= 2) {
        /* Asked twice and the first went unheard for 2 s (a busy loop in a
           coroutine, a long C call): give up and die as the signal normally does. */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    if (!interrupt_flag) interrupt_since = now;
    interrupt_flag = 1;
    if (interrupt_armed && interrupt_state != NULL)
        lua_sethook(interrupt_state, interrupt_hook,
                    LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

void frontier_interrupt_install(lua_State *L) {
    interrupt_state = L;
    interrupt_thread = pthread_self();
    interrupt_thread_set = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = interrupt_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocking read at the prompt returns EINTR */
    sigaction(SIGINT, &sa, NULL);
    /* kill's default and a closed terminal's: a run they stop keeps its summary too. */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int frontier_interrupt_signal(void) { return interrupt_signal; }

void frontier_interrupt_uninstall(lua_State *L) {
    if (interrupt_state != L) return;
    interrupt_armed = 0;
    interrupt_state = NULL; /* the handler keeps only setting the flag */
}

void frontier_interrupt_arm(int armed) {
    interrupt_armed = armed;
    if (!armed && interrupt_state != NULL) lua_sethook(interrupt_state, NULL, 0, 0);
}

int frontier_interrupt_take(void) {
    int f = interrupt_flag;
    interrupt_flag = 0;
    /* Taken by Swift code that will raise its own error: the hook must not raise a second. */
    if (f && interrupt_state != NULL && interrupt_thread_set && pthread_equal(pthread_self(), interrupt_thread))
        lua_sethook(interrupt_state, NULL, 0, 0);
    return f;
}

int frontier_interrupt_pending(void) { return interrupt_flag; }

void frontier_interrupt_raise(void) {
    if (interrupt_thread_set && !pthread_equal(pthread_self(), interrupt_thread))
        pthread_kill(interrupt_thread, SIGINT);
    else
        interrupt_handler(SIGINT);
}

/* Strings read a few rows late. A string's length lives in its object, and a million
   string objects scattered over the heap cost a cache miss each when read at once; so a
   string found in row r is prefetched and kept in one of a few stack slots, and its
   pointer and length are read FRONTIER_AHEAD rows later, when the prefetch has landed.
   Only API calls: the slot keeps the value, lua_tolstring reads it. */
#define FRONTIER_AHEAD 16

typedef struct deferred_strings {
    int slot0;  /* first of FRONTIER_AHEAD stack slots; 0 when reading at once */
    int rows[FRONTIER_AHEAD];
    const char **strings;
    size_t *lengths;
} deferred_strings;

/* Sets up the slots above the stack top (nothing deferred when there is no room). */
static void defer_init(lua_State *L, deferred_strings *d, const char **strings, size_t *lengths) {
    d->slot0 = 0;
    d->strings = strings;
    d->lengths = lengths;
    if (!lua_checkstack(L, FRONTIER_AHEAD + 8)) return;
    d->slot0 = lua_gettop(L) + 1;
    for (int k = 0; k < FRONTIER_AHEAD; k++) {
        lua_pushnil(L);
        d->rows[k] = -1;
    }
}

static void defer_resolve(lua_State *L, deferred_strings *d, int k) {
    int r = d->rows[k];
    if (r >= 0) d->strings[r] = lua_tolstring(L, d->slot0 + k, &d->lengths[r]);
    d->rows[k] = -1;
}

/* The string on the stack top is row r's: read now, or kept and read later. */
static void defer_top(lua_State *L, deferred_strings *d, int r) {
    if (d->slot0 == 0) {
        d->strings[r] = lua_tolstring(L, -1, &d->lengths[r]);
        return;
    }
    int k = r % FRONTIER_AHEAD;
    defer_resolve(L, d, k);
    __builtin_prefetch(lua_topointer(L, -1));
    lua_copy(L, -1, d->slot0 + k);
    d->rows[k] = r;
}

static void defer_drain(lua_State *L, deferred_strings *d) {
    if (d->slot0 == 0) return;
    for (int k = 0; k < FRONTIER_AHEAD; k++) defer_resolve(L, d, k);
}

/* The value on the stack top, of type `type`: its kind, and its number or string
   (raw reads; cannot raise). Every output given is written, so buffers need no
   clearing first; a string goes through `d` when given (written when it is drained).
   `integers` tells integers from floats (one more call per number). */
static unsigned char read_top(lua_State *L, int type, int integers, double *number, const char **string,
                              size_t *length, deferred_strings *d, int row) {
    if (number) *number = 0;
    if (string) { *string = NULL; *length = 0; }
    switch (type) {
    case LUA_TNUMBER:
        /* Integers convert exactly up to 2^53, as in Lua's own arithmetic. */
        if (number) *number = lua_tonumberx(L, -1, NULL);
        return integers && lua_isinteger(L, -1) ? FRONTIER_FIELD_INTEGER : FRONTIER_FIELD_FLOAT;
    case LUA_TSTRING:
        if (string) {
            if (d) defer_top(L, d, row);
            else *string = lua_tolstring(L, -1, length);
        }
        return FRONTIER_FIELD_STRING;
    default:
        return FRONTIER_FIELD_ABSENT;
    }
}

/* One pass over rows 1..n of the list at `list`: the first of the name keys holding a
   string, then each field's kind and number or string pointer. Raw access only: nothing
   here can raise or allocate, so the strings stay valid while the list is on the stack
   and unchanged. */
int frontier_read_records(lua_State *L, int list, int n, const frontier_field *fields, int nfields,
                          const int *name_keys, int nnames, const char **names, size_t *name_lengths) {
    int top = lua_gettop(L);
    deferred_strings late;
    if (nnames > 0) defer_init(L, &late, names, name_lengths);
    int base = lua_gettop(L);
    for (int r = 0; r < n; r++) {
        if (lua_rawgeti(L, list, (lua_Integer)r + 1) != LUA_TTABLE) {
            lua_settop(L, top);
            return r + 1;
        }
        int row = base + 1, named = 0;
        /* Values stay on the stack until the row is done: one settop per row, not one pop per field. */
        if (nnames > 0) {
            names[r] = NULL;
            name_lengths[r] = 0;
            for (int k = 0; k < nnames && !named; k++) {
                lua_pushvalue(L, name_keys[k]);
                if (lua_rawget(L, row) == LUA_TSTRING) {
                    defer_top(L, &late, r);
                    named = 1;
                }
            }
        }
        for (int k = 0; k < nfields; k++) {
            const frontier_field *f = &fields[k];
            double *number = f->numbers ? &f->numbers[r] : NULL;
            const char **string = f->strings ? &f->strings[r] : NULL;
            size_t *length = f->lengths ? &f->lengths[r] : NULL;
            if (f->unless_named && named) {
                f->kinds[r] = FRONTIER_FIELD_ABSENT; /* its number and string are left unwritten */
                continue;
            }
            lua_pushvalue(L, f->key);
            f->kinds[r] = read_top(L, lua_rawget(L, row), 0, number, string, length, NULL, r);
        }
        lua_settop(L, base);
    }
    if (nnames > 0) defer_drain(L, &late);
    lua_settop(L, top);
    return 0;
}

void frontier_read_list(lua_State *L, int list, int n, unsigned char *kinds, double *numbers,
                        const char **strings, size_t *lengths) {
    int top = lua_gettop(L);
    deferred_strings late;
    if (strings) defer_init(L, &late, strings, lengths);
    for (int r = 0; r < n; r++) {
        kinds[r] = read_top(L, lua_rawgeti(L, list, (lua_Integer)r + 1), 1, numbers ? &numbers[r] : NULL,
                            strings ? &strings[r] : NULL, lengths ? &lengths[r] : NULL, strings ? &late : NULL, r);
        lua_pop(L, 1);
    }
    if (strings) defer_drain(L, &late);
    lua_settop(L, top);
}

/* Lua 5.4 interns every string of at most this many bytes (LUAI_MAXSHORTLEN in
   llimits.h): two such strings with the same bytes are one object, so their pointers
   are equal. The tests check it still holds (duplicate ids built at run time). */
#define FRONTIER_SHORT_STRING 40

/* FNV-1a: enough to spread a few hundred targets over a small table. */
static size_t hash_bytes(const char *s, size_t len) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

static size_t hash_pointer(const char *s) {
    uint64_t h = (uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h ^ (h >> 32));
}

/* In interned mode short strings are told by their pointer alone (no read of their bytes,
   which for a million scattered strings is a cache miss each). */
static size_t hash_of(const char *s, size_t len, int interned) {
    return interned && len <= FRONTIER_SHORT_STRING ? hash_pointer(s) : hash_bytes(s, len);
}

static int same(const char *a, size_t alen, const char *b, size_t blen, int interned) {
    if (alen != blen) return 0;
    if (a == b) return 1;
    return !(interned && alen <= FRONTIER_SHORT_STRING) && memcmp(a, b, alen) == 0;
}

void frontier_first_equal(const char *const *strings, const size_t *lengths, int rows, const char *const *targets,
                          const size_t *target_lengths, int m, int interned, int *table, int table_size,
                          uint64_t *filter, int filter_bits, int *first) {
    size_t mask = (size_t)table_size - 1, fmask = (size_t)filter_bits - 1;
    /* Each distinct target string gets one slot, holding the first target with it; the
       filter (a bit per hash, small enough to stay in cache) turns most rows away before
       the table is probed. */
    for (int t = 0; t < m; t++) {
        size_t h = hash_of(targets[t], target_lengths[t], interned);
        size_t bit = (h >> 7) & fmask;
        filter[bit >> 6] |= 1ULL << (bit & 63);
        first[t] = -1;
        for (size_t at = hash_of(targets[t], target_lengths[t], interned) & mask;; at = (at + 1) & mask) {
            if (table[at] < 0) { table[at] = t; break; }
            int o = table[at];
            if (same(targets[o], target_lengths[o], targets[t], target_lengths[t], interned)) break;
        }
    }
    for (int r = 0; r < rows; r++) {
        const char *s = strings[r];
        if (s == NULL) continue;
        size_t len = lengths[r];
        size_t h = hash_of(s, len, interned);
        size_t bit = (h >> 7) & fmask;
        if (!(filter[bit >> 6] & (1ULL << (bit & 63)))) continue;
        for (size_t at = h & mask; table[at] >= 0; at = (at + 1) & mask) {
            int o = table[at];
            if (same(targets[o], target_lengths[o], s, len, interned)) {
                if (first[o] < 0) first[o] = r;
                break;
            }
        }
    }
    /* Targets sharing a string take the answer of the first target with it. */
    for (int t = 0; t < m; t++) {
        for (size_t at = hash_of(targets[t], target_lengths[t], interned) & mask;; at = (at + 1) & mask) {
            int o = table[at];
            if (same(targets[o], target_lengths[o], targets[t], target_lengths[t], interned)) { first[t] = first[o]; break; }
        }
    }
}
