// Strict reading of JSON request bodies: an object, known fields only, each
// of the right type. Every failure is an InvalidArgument naming the field.
#pragma once

#include <boost/json/object.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace fx::server {

class JsonBody {
 public:
  // Parses `body` as a JSON object whose keys are all in `allowed`.
  static Result<JsonBody> parse(std::string_view body,
                                std::initializer_list<std::string_view> allowed);

  // A string field of at most `max_bytes`; absent: nullopt (or an error when required).
  Result<std::optional<std::string>> string(std::string_view name, bool required = false,
                                            size_t max_bytes = 1000) const;
  Result<std::optional<bool>> boolean(std::string_view name) const;
  Result<std::optional<int64_t>> integer(std::string_view name, int64_t min, int64_t max) const;
  Result<std::vector<std::string>> strings(std::string_view name, size_t max_items = 1000) const;

 private:
  boost::json::object object_;
};

}  // namespace fx::server
