// The OpenAPI 3.0 document, generated from the route table itself.
#include <boost/json.hpp>

#include "server/api.h"

namespace fx::server {

std::string openapi_json(const std::vector<Route>& routes) {
  namespace json = boost::json;
  json::object paths;
  for (const auto& r : routes) {
    json::object op;
    op["summary"] = r.summary;
    op["tags"] = json::array{json::string(r.tag)};
    op["operationId"] = r.method + " " + r.pattern;
    json::array params;
    for (const auto& p : r.params)
      params.push_back(json::object{{"name", p.name},
                                    {"in", p.in},
                                    {"required", p.required || p.in == "path"},
                                    {"description", p.description},
                                    {"schema", json::object{{"type", p.type}}}});
    if (!params.empty()) op["parameters"] = std::move(params);
    if (!r.body.empty()) {
      bool file = r.body.find("file") != std::string::npos;
      op["requestBody"] = json::object{
          {"required", true},
          {"description", r.body},
          {"content",
           json::object{
               {file ? "application/octet-stream" : "application/json",
                json::object{{"schema", json::object{{"type", file ? "string" : "object"}}}}}}}};
    }
    json::object responses;
    responses["200"] = json::object{
        {"description", "OK"},
        {"content", json::object{{r.produces, json::object{{"schema", json::object{}}}}}}};
    auto err = [](const char* d) {
      return json::object{
          {"description", d},
          {"content",
           json::object{
               {"application/json",
                json::object{{"schema", json::object{{"$ref", "#/components/schemas/Error"}}}}}}}};
    };
    responses["400"] = err("Bad request: malformed input");
    if (r.access != Access::open) {
      responses["401"] = err("No valid session or token");
      responses["403"] = err("Not allowed for this role, or CSRF token missing");
      op["security"] = json::array{json::object{{"session", json::array{}}},
                                   json::object{{"bearer", json::array{}}}};
    }
    if (r.access == Access::permission) op["x-permission"] = app::permission_name(r.permission);
    if (r.pattern.find('{') != std::string::npos)
      responses["404"] = err("Not found, or outside the caller's scope");
    if (!r.body.empty()) responses["413"] = err("Body over the limit");
    op["responses"] = std::move(responses);
    std::string method = r.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto& item = paths[r.pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[method] = std::move(op);
  }
  json::object doc{
      {"openapi", "3.0.3"},
      {"info", json::object{{"title", "防线 Fangxian API"},
                            {"version", "1"},
                            {"description",
                             "Outbreak-response command system for a district "
                             "education bureau. See docs/api.md."}}},
      {"paths", std::move(paths)},
      {"components",
       json::object{
           {"schemas",
            json::object{
                {"Error",
                 json::object{
                     {"type", "object"},
                     {"properties",
                      json::object{
                          {"error",
                           json::object{{"type", "object"},
                                        {"properties",
                                         json::object{{"code", json::object{{"type", "string"}}},
                                                      {"message",
                                                       json::object{{"type", "string"}}}}}}}}}}}}},
           {"securitySchemes",
            json::object{
                {"session",
                 json::object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "fx_session"}}},
                {"bearer", json::object{{"type", "http"}, {"scheme", "bearer"}}}}}}}};
  return json::serialize(doc);
}

}  // namespace fx::server
