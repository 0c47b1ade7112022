#include "domain/id_number.h"

#include <cctype>
#include <chrono>

#include "domain/dates.h"

namespace fx::domain {
namespace {

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

bool all_alnum_upper(std::string_view s) {
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c)) && !(c >= 'A' && c <= 'Z')) return false;
  return !s.empty();
}

// "2.20102E+17", "2.20102200801011E+17": what Excel shows for a long number.
bool looks_like_scientific(std::string_view s) {
  auto e = s.find_first_of("eE");
  if (e == std::string_view::npos || e == 0 || e + 1 >= s.size()) return false;
  for (size_t i = 0; i < e; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '.') return false;
  size_t i = e + 1;
  if (s[i] == '+' || s[i] == '-') ++i;
  return i < s.size() && all_digits(s.substr(i));
}

// GB/T 2260 province-level codes (first two digits of the region code).
bool known_province(std::string_view two) {
  static constexpr std::string_view kProvinces[] = {
      "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
      "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
      "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83"};
  for (auto p : kProvinces)
    if (p == two) return true;
  return false;
}

Status validate_resident(std::string_view text, std::string& normalized) {
  if (looks_like_scientific(text))
    return Status::Invalid(
        "证件号码被 Excel 转成了科学计数法，请把该列设为文本后重新填写 (ID number was turned into "
        "a "
        "number by Excel: " +
        std::string(text) + ")");
  if (text.size() == 17 && all_digits(text)) {
    if (is_valid_ymd(text.substr(6, 8)) && resident_check_char(text) == 'X')
      return Status::Invalid(
          "证件号码只有17位，末位 X 可能被 Excel 丢失 (17 digits: the final X was probably lost by "
          "Excel)");
  }
  if (text.size() != 18)
    return Status::Invalid("身份证号应为18位 (resident ID must have 18 characters, has " +
                           std::to_string(text.size()) + ")");
  std::string id(text);
  if (id[17] == 'x') id[17] = 'X';
  if (!all_digits(std::string_view(id).substr(0, 17)) ||
      !(std::isdigit((unsigned char)id[17]) || id[17] == 'X'))
    return Status::Invalid(
        "身份证号含非法字符 (resident ID has characters other than digits and X)");
  if (!known_province(std::string_view(id).substr(0, 2)))
    return Status::Invalid("身份证号地区码无效 (resident ID region code " + id.substr(0, 6) +
                           " is not a Chinese province)");
  std::string_view ymd = std::string_view(id).substr(6, 8);
  if (!is_valid_ymd(ymd) || ymd < "18000101" || ymd > today_ymd())
    return Status::Invalid(
        "身份证号中的出生日期无效 (birth date inside the resident ID is invalid: " +
        std::string(ymd) + ")");
  char expected = resident_check_char(std::string_view(id).substr(0, 17));
  if (expected != id[17])
    return Status::Invalid(std::string("身份证号校验位错误 (resident ID check digit should be ") +
                           expected + ")");
  normalized = std::move(id);
  return Status::Ok();
}

}  // namespace

bool parse_id_kind(std::string_view t, IdKind& kind) {
  if (t.empty() || t == "居民身份证" || t == "身份证" || t == "resident" || t == "ID card")
    kind = IdKind::resident;
  else if (t == "护照" || t == "passport" || t == "Passport")
    kind = IdKind::passport;
  else if (t == "港澳居民来往内地通行证" || t == "港澳通行证" || t == "回乡证" ||
           t == "hk_macao_permit")
    kind = IdKind::hk_macao_permit;
  else if (t == "台湾居民来往大陆通行证" || t == "台胞证" || t == "taiwan_permit")
    kind = IdKind::taiwan_permit;
  else
    return false;
  return true;
}

const char* id_kind_name(IdKind kind) {
  switch (kind) {
    case IdKind::resident:
      return "居民身份证";
    case IdKind::passport:
      return "护照";
    case IdKind::hk_macao_permit:
      return "港澳居民来往内地通行证";
    case IdKind::taiwan_permit:
      return "台湾居民来往大陆通行证";
  }
  return "居民身份证";
}

const char* id_kind_code(IdKind kind) {
  switch (kind) {
    case IdKind::resident:
      return "resident";
    case IdKind::passport:
      return "passport";
    case IdKind::hk_macao_permit:
      return "hk_macao_permit";
    case IdKind::taiwan_permit:
      return "taiwan_permit";
  }
  return "resident";
}

char resident_check_char(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kChars[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kChars[sum % 11];
}

Status validate_id_number(IdKind kind, std::string_view text, std::string& normalized) {
  if (text.empty()) return Status::Invalid("证件号码为空 (ID number is missing)");
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  switch (kind) {
    case IdKind::resident:
      return validate_resident(text, normalized);
    case IdKind::passport:
      // ICAO 9303 allows up to 9 characters; other states' numbers vary, so
      // accept 5–17 letters and digits with at least one digit.
      if (upper.size() < 5 || upper.size() > 17 || !all_alnum_upper(upper) ||
          upper.find_first_of("0123456789") == std::string::npos)
        return Status::Invalid(
            "护照号码格式错误 (passport number must be 5–17 letters and digits)");
      break;
    case IdKind::hk_macao_permit:
      // H or M followed by 8 digits (or 10 for the older booklets).
      if (!((upper[0] == 'H' || upper[0] == 'M') && (upper.size() == 9 || upper.size() == 11) &&
            all_digits(std::string_view(upper).substr(1))))
        return Status::Invalid(
            "港澳通行证号码格式错误 (Hong Kong/Macao permit: H or M followed by 8 or 10 digits)");
      break;
    case IdKind::taiwan_permit:
      if (!(upper.size() == 8 && all_digits(upper)) &&
          !(upper.size() == 10 && all_digits(std::string_view(upper).substr(0, 8))))
        return Status::Invalid("台胞证号码格式错误 (Taiwan permit: 8 digits)");
      break;
  }
  normalized = std::move(upper);
  return Status::Ok();
}

std::string resident_birth_date(std::string_view id) {
  std::string out;
  out.reserve(10);
  out.append(id.substr(6, 4)).push_back('-');
  out.append(id.substr(10, 2)).push_back('-');
  out.append(id.substr(12, 2));
  return out;
}

char resident_gender(std::string_view id) { return ((id[16] - '0') % 2) ? 'M' : 'F'; }

std::string mask_id_number(std::string_view id) {
  if (id.size() <= 10) {
    std::string out(id.size(), '*');
    if (!id.empty()) out[0] = id[0];
    if (id.size() > 2) out.back() = id.back();
    return out;
  }
  std::string out(id.substr(0, 6));
  out.append(id.size() - 10, '*');
  out.append(id.substr(id.size() - 4));
  return out;
}

}  // namespace fx::domain
