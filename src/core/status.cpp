#include "core/status.h"

namespace fx {

const char* Status::code_name() const {
  switch (code_) {
    case Code::ok:
      return "ok";
    case Code::invalid_argument:
      return "invalid_argument";
    case Code::not_found:
      return "not_found";
    case Code::already_exists:
      return "already_exists";
    case Code::conflict:
      return "conflict";
    case Code::unauthenticated:
      return "unauthenticated";
    case Code::permission_denied:
      return "permission_denied";
    case Code::too_large:
      return "too_large";
    case Code::rate_limited:
      return "rate_limited";
    case Code::unavailable:
      return "unavailable";
    case Code::io_error:
      return "io_error";
    case Code::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace fx
