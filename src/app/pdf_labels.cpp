#include "app/pdf_labels.h"

#include "app/presence_time.h"
#include "trace/presence.h"

namespace fx::app {

std::string pdf_date(int64_t t) {
  std::string s = local_text(t);  // "2022-03-10 12:00"
  std::string digits;
  for (char c : s)
    if (c >= '0' && c <= '9') digits += c;
  return "D:" + digits + "00+08'00'";
}

std::string key_category_label(const std::string& code) {
  if (code == "close") return "密接";
  if (code == "secondary") return "次密接";
  if (code == "returnee") return "中高风险地区返校人员";
  if (code == "symptomatic") return "有症状人员";
  return code;
}

std::string key_status_label(const std::string& code) {
  if (code == "quarantined") return "隔离中";
  if (code == "released") return "已解除";
  if (code == "became_case") return "转为确诊";
  return code;
}

std::string transfer_label(const std::string& code) {
  if (code == "requested") return "待转运";
  if (code == "dispatched") return "转运中";
  if (code == "arrived") return "已到达";
  return code;
}

std::string contact_kind_label(const std::string& code) {
  for (int k = 0; k < trace::kContactKinds; ++k) {
    const auto kind = static_cast<trace::ContactKind>(k);
    if (code == trace::contact_kind_code(kind)) return trace::contact_kind_name(kind);
  }
  return code;
}

}  // namespace fx::app
