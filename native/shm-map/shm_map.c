/*
 * One function for the DNS hot path (src/store/sqlite/shm-view.ts says why): maps the first
 * `length` bytes of an open file read-only and shared, as an ArrayBuffer, so JavaScript reads the
 * pages SQLite's writers update in place (its WAL index, the -shm file) without a system call per
 * read. Node has no mmap of its own. The mapping is released when the ArrayBuffer is collected.
 * The descriptor is the caller's and is never closed here: closing any descriptor of a file drops
 * every POSIX lock the process holds on it, SQLite's own locks on the -shm file included.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void unmap(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

static napi_value fail(napi_env env, const char *what, int err) {
  char message[256];
  snprintf(message, sizeof message, "%s: %s", what, strerror(err));
  napi_throw_error(env, NULL, message);
  return NULL;
}

/* mapShared(fd: number, length: number): ArrayBuffer */
static napi_value map_shared(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2) {
    napi_throw_type_error(env, NULL, "mapShared(fd, length)");
    return NULL;
  }
  int32_t fd = -1;
  uint32_t length = 0;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0 ||
      napi_get_value_uint32(env, argv[1], &length) != napi_ok || length == 0) {
    napi_throw_type_error(env, NULL, "mapShared(fd, length): a descriptor and a positive length");
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) return fail(env, "fstat", errno);
  /* Reading a mapped page beyond the end of the file raises SIGBUS: never map past it. */
  if (st.st_size < (off_t)length) return fail(env, "file shorter than the mapping", EINVAL);
  void *data = mmap(NULL, length, PROT_READ, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) return fail(env, "mmap", errno);
  napi_value buffer;
  if (napi_create_external_arraybuffer(env, data, length, unmap, (void *)(uintptr_t)length, &buffer) != napi_ok) {
    munmap(data, length);
    napi_throw_error(env, NULL, "cannot wrap the mapping");
    return NULL;
  }
  return buffer;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "mapShared", NAPI_AUTO_LENGTH, map_shared, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "mapShared", fn) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
