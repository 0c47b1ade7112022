#include "domain/phone.h"

namespace fx::domain {

Status validate_mobile(std::string_view text, std::string& normalized) {
  std::string d;
  d.reserve(16);
  for (char c : text) {
    if (c >= '0' && c <= '9')
      d.push_back(c);
    else if (c != ' ' && c != '-' && c != '+')
      return Status::Invalid("手机号含非法字符 (mobile number has characters other than digits)");
  }
  if (d.size() == 13 && d.starts_with("86")) d.erase(0, 2);
  if (d.size() == 15 && d.starts_with("0086")) d.erase(0, 4);
  if (d.size() != 11 || d[0] != '1' || d[1] < '3')
    return Status::Invalid(
        "手机号应为11位且以13–19开头 (mainland mobile: 11 digits starting 13–19)");
  normalized = std::move(d);
  return Status::Ok();
}

std::string mask_phone(std::string_view phone) {
  if (phone.size() < 8) return std::string(phone.size(), '*');
  std::string out(phone.substr(0, 3));
  out.append(phone.size() - 7, '*');
  out.append(phone.substr(phone.size() - 4));
  return out;
}

}  // namespace fx::domain
