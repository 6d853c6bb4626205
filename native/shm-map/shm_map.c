/*
 * Two memory mappings for the DNS hot path, each an ArrayBuffer released (unmapped) when it is
 * collected; Node has no mmap of its own.
 * - mapShared (src/store/sqlite/shm-view.ts says why): the first `length` bytes of an open file,
 *   read-only and shared, so JavaScript reads the pages SQLite's writers update in place (its WAL
 *   index, the -shm file) without a system call per read. The descriptor is the caller's and is
 *   never closed here: closing any descriptor of a file drops every POSIX lock the process holds
 *   on it, SQLite's own locks on the -shm file included.
 * - mapHuge (src/store/sqlite/huge-memory.ts says why): zeroed private memory in 2 MiB pages, for
 *   the account table a query reads at random.
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

/*
 * The first `length` bytes of a mapping of `mapped` bytes at `data`, as an ArrayBuffer that
 * unmaps all of it when collected; the mapping is released at once when it cannot be wrapped.
 */
static napi_value wrap(napi_env env, void *data, size_t length, size_t mapped) {
  napi_value buffer;
  if (napi_create_external_arraybuffer(env, data, length, unmap, (void *)(uintptr_t)mapped, &buffer) != napi_ok) {
    munmap(data, mapped);
    napi_throw_error(env, NULL, "cannot wrap the mapping");
    return NULL;
  }
  return buffer;
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
  return wrap(env, data, length, length);
}

#define HUGE_PAGE ((size_t)2 << 20)

/*
 * mapHuge(length: number): ArrayBuffer
 * `length` zeroed bytes of private memory aligned to 2 MiB and advised as transparent huge pages
 * (MADV_HUGEPAGE: the default THP mode, "madvise", gives them to such regions only).
 */
static napi_value map_huge(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int64_t requested = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 ||
      napi_get_value_int64(env, argv[0], &requested) != napi_ok || requested <= 0) {
    napi_throw_type_error(env, NULL, "mapHuge(length): a positive length");
    return NULL;
  }
  size_t length = (size_t)requested;
  size_t rounded = (length + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
  /* One huge page more than needed, then the unaligned head and the tail given back. */
  uint8_t *raw = mmap(NULL, rounded + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return fail(env, "mmap", errno);
  uint8_t *data = (uint8_t *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
  if (data > raw) munmap(raw, (size_t)(data - raw));
  size_t tail = (size_t)(raw + rounded + HUGE_PAGE - (data + rounded));
  if (tail > 0) munmap(data + rounded, tail);
  /* Advice only: without huge pages the memory is still good, only slower to reach at random. */
  madvise(data, rounded, MADV_HUGEPAGE);
  return wrap(env, data, length, rounded);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "mapShared", NAPI_AUTO_LENGTH, map_shared, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "mapShared", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "mapHuge", NAPI_AUTO_LENGTH, map_huge, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "mapHuge", fn) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
