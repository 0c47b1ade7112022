// Status and Result<T>: the one vocabulary for expected failures.
//
// An expected failure (a bad row, a missing record, a file that is not a
// spreadsheet) is returned as a value; exceptions only abort a request and
// asserts only catch bugs. HTTP statuses are mapped from Code in one place.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace fx {

class Status {
 public:
  enum class Code {
    ok,
    invalid_argument,   // the caller's input is wrong (400)
    not_found,          // no such record, or not visible to the caller (404)
    already_exists,     // a unique key is taken (409)
    conflict,           // the request contradicts stored state (409)
    unauthenticated,    // no valid session or token (401)
    permission_denied,  // authenticated but not allowed (403)
    too_large,          // input over a size limit (413)
    rate_limited,       // too many attempts; retry later (429)
    unavailable,        // a backend is down; retrying may help (503)
    io_error,           // reading or writing a file failed
    internal,           // a bug or an unexpected backend error (500)
  };

  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status Invalid(std::string m) { return {Code::invalid_argument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::not_found, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {Code::already_exists, std::move(m)}; }
  static Status Conflict(std::string m) { return {Code::conflict, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {Code::unauthenticated, std::move(m)}; }
  static Status PermissionDenied(std::string m) { return {Code::permission_denied, std::move(m)}; }
  static Status TooLarge(std::string m) { return {Code::too_large, std::move(m)}; }
  static Status RateLimited(std::string m) { return {Code::rate_limited, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::unavailable, std::move(m)}; }
  static Status IoError(std::string m) { return {Code::io_error, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::internal, std::move(m)}; }

  bool ok() const { return code_ == Code::ok; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // A stable snake_case name of the code, used in JSON errors.
  const char* code_name() const;

 private:
  Code code_ = Code::ok;
  std::string message_;
};

// Result<T>: a T or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace fx

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define FX_RETURN_IF_ERROR(expr)               \
  do {                                         \
    ::fx::Status fx_status__ = (expr);         \
    if (!fx_status__.ok()) return fx_status__; \
  } while (0)
