#include "server/json_body.h"

#include <boost/json.hpp>

#include "core/utf8.h"

namespace fx::server {
namespace {

Status wrong_type(std::string_view name, const char* type) {
  return Status::Invalid("字段 " + std::string(name) + " 须为" + type + " (field " +
                         std::string(name) + " must be " + type + ")");
}

}  // namespace

Result<JsonBody> JsonBody::parse(std::string_view body,
                                 std::initializer_list<std::string_view> allowed) {
  if (!valid_utf8(body)) return Status::Invalid("请求体不是有效的 UTF-8 (body is not UTF-8)");
  boost::json::parse_options opt;
  opt.max_depth = 16;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec, {}, opt);
  if (ec) return Status::Invalid("请求体不是有效的 JSON (malformed JSON: " + ec.message() + ")");
  if (!v.is_object())
    return Status::Invalid("请求体须为 JSON 对象 (the body must be a JSON object)");
  JsonBody b;
  b.object_ = std::move(v.as_object());
  for (const auto& kv : b.object_) {
    bool known = false;
    for (auto a : allowed) known = known || kv.key() == a;
    if (!known) return Status::Invalid("未知字段 unknown field '" + std::string(kv.key()) + "'");
  }
  return b;
}

Result<std::optional<std::string>> JsonBody::string(std::string_view name, bool required,
                                                    size_t max_bytes) const {
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) {
    if (required) return Status::Invalid("缺少字段 missing field '" + std::string(name) + "'");
    return std::optional<std::string>();
  }
  if (!it->value().is_string()) return wrong_type(name, "a string");
  const auto& s = it->value().as_string();
  if (s.size() > max_bytes)
    return Status::Invalid("字段过长 field '" + std::string(name) + "' is too long");
  return std::optional<std::string>(std::string(s));
}

Result<std::optional<bool>> JsonBody::boolean(std::string_view name) const {
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) return std::optional<bool>();
  if (!it->value().is_bool()) return wrong_type(name, "true or false");
  return std::optional<bool>(it->value().as_bool());
}

Result<std::optional<int64_t>> JsonBody::integer(std::string_view name, int64_t min,
                                                 int64_t max) const {
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) return std::optional<int64_t>();
  const auto& v = it->value();
  int64_t n;
  if (v.is_int64())
    n = v.as_int64();
  else if (v.is_uint64() && v.as_uint64() <= static_cast<uint64_t>(INT64_MAX))
    n = static_cast<int64_t>(v.as_uint64());
  else
    return wrong_type(name, "an integer");
  if (n < min || n > max)
    return Status::Invalid("字段 " + std::string(name) + " 超出范围 (out of range " +
                           std::to_string(min) + "–" + std::to_string(max) + ")");
  return std::optional<int64_t>(n);
}

Result<std::vector<std::string>> JsonBody::strings(std::string_view name, size_t max_items) const {
  std::vector<std::string> out;
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) return wrong_type(name, "an array of strings");
  const auto& a = it->value().as_array();
  if (a.size() > max_items)
    return Status::Invalid("字段 " + std::string(name) + " 项数过多 (too many items)");
  for (const auto& x : a) {
    if (!x.is_string()) return wrong_type(name, "an array of strings");
    out.emplace_back(x.as_string());
  }
  return out;
}

}  // namespace fx::server
