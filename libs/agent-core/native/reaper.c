/*
 * The two system calls Node has no API for, so a PID-1 (or subreaper) agent can reap the
 * orphans the kernel re-parents to it. Plain Node-API: one binary works on every Node >= 20.
 *
 *   waitpidNoHang(pid)   -> { pid, status } once `pid` (a child of ours) has exited and was
 *                           reaped now, or null (still running, or not our child: ECHILD).
 *   setChildSubreaper(on = true) -> true when prctl(PR_SET_CHILD_SUBREAPER, on) succeeded.
 *   isChildSubreaper()   -> the current PR_GET_CHILD_SUBREAPER flag.
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <node_api.h>

#define CHECK(call) do { if ((call) != napi_ok) return NULL; } while (0)

static napi_value boolean(napi_env env, int value) {
  napi_value out;
  CHECK(napi_get_boolean(env, value != 0, &out));
  return out;
}

static napi_value waitpid_no_hang(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t pid = 0;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_int32(env, argv[0], &pid) != napi_ok || pid <= 0) {
    /* pid <= 0 would reap *any* child, including the ones libuv waits for: refuse. */
    napi_throw_type_error(env, NULL, "waitpidNoHang: pid must be a positive integer");
    return NULL;
  }
  int status = 0;
  pid_t got;
  do {
    got = waitpid((pid_t)pid, &status, WNOHANG);
  } while (got < 0 && errno == EINTR);
  napi_value result;
  if (got <= 0) {
    CHECK(napi_get_null(env, &result));
    return result;
  }
  napi_value js_pid, js_status;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_create_int32(env, (int32_t)got, &js_pid));
  CHECK(napi_create_int32(env, (int32_t)status, &js_status));
  CHECK(napi_set_named_property(env, result, "pid", js_pid));
  CHECK(napi_set_named_property(env, result, "status", js_status));
  return result;
}

static napi_value set_child_subreaper(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  bool on = true;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc >= 1 && napi_get_value_bool(env, argv[0], &on) != napi_ok) on = true;
  return boolean(env, prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0) == 0);
}

static napi_value is_child_subreaper(napi_env env, napi_callback_info info) {
  (void)info;
  int flag = 0;
  if (prctl(PR_GET_CHILD_SUBREAPER, (unsigned long)&flag, 0, 0, 0) != 0) flag = 0;
  return boolean(env, flag);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    { "waitpidNoHang", NULL, waitpid_no_hang, NULL, NULL, NULL, napi_enumerable, NULL },
    { "setChildSubreaper", NULL, set_child_subreaper, NULL, NULL, NULL, napi_enumerable, NULL },
    { "isChildSubreaper", NULL, is_child_subreaper, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
