#include "domain/screening.h"

#include <cmath>
#include <cstdio>

namespace fx::domain {
namespace {

const char* const kRange = "体温应在 34.0–42.5 ℃ 之间 (temperature must be 34.0–42.5 °C)";

bool strip_suffix(std::string_view& s, std::string_view suffix) {
  if (s.size() < suffix.size() || s.substr(s.size() - suffix.size()) != suffix) return false;
  s.remove_suffix(suffix.size());
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

const std::vector<Symptom>& symptoms() {
  static const std::vector<Symptom> kList = {
      {"fever", "发热"},       {"cough", "咳嗽"},     {"fatigue", "乏力"},
      {"sore_throat", "咽痛"}, {"diarrhoea", "腹泻"}, {"smell_taste", "嗅味觉减退"},
      {"other", "其他"},
  };
  return kList;
}

bool parse_temperature(std::string_view text, int& tenths, std::string& why) {
  std::string_view s = trim(text);
  strip_suffix(s, "℃") || strip_suffix(s, "°C") || strip_suffix(s, "C");
  s = trim(s);
  int whole = 0, digits = 0, decimals = 0, frac = 0;
  bool dot = false;
  for (char c : s) {
    if (c == '.' && !dot) {
      dot = true;
    } else if (c >= '0' && c <= '9') {
      if (dot) {
        if (++decimals > 1) {
          why = "体温最多一位小数 (temperature: one decimal at most)";
          return false;
        }
        frac = c - '0';
      } else if (++digits <= 3) {
        whole = whole * 10 + (c - '0');
      }
    } else {
      why = "体温应为数字,如 36.5 (temperature must be a number such as 36.5)";
      return false;
    }
  }
  if (digits == 0) {
    why = s.empty() ? "体温必填 (temperature is required)"
                    : "体温应为数字,如 36.5 (temperature must be a number such as 36.5)";
    return false;
  }
  const int t = digits > 3 ? 100000 : whole * 10 + frac;
  if (t < kMinTemperature || t > kMaxTemperature) {
    why = kRange;
    return false;
  }
  tenths = t;
  return true;
}

bool temperature_from_number(double value, int& tenths, std::string& why) {
  if (!std::isfinite(value) || value < 0 || value > 1000) {
    why = kRange;
    return false;
  }
  const double scaled = value * 10;
  const double rounded = std::round(scaled);
  if (std::fabs(scaled - rounded) > 1e-6) {
    why = "体温最多一位小数 (temperature: one decimal at most)";
    return false;
  }
  const int t = static_cast<int>(rounded);
  if (t < kMinTemperature || t > kMaxTemperature) {
    why = kRange;
    return false;
  }
  tenths = t;
  return true;
}

std::string format_temperature(int tenths) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%d.%d", tenths / 10, tenths % 10);
  return buf;
}

bool parse_symptoms(std::string_view text, std::string& codes, std::string& why) {
  std::vector<bool> on(symptoms().size(), false);
  std::string_view rest = text;
  auto next_separator = [](std::string_view s, size_t& len) -> size_t {
    static const std::string_view kSeps[] = {",", ";", " ", "、", "，", "；", "|"};
    size_t best = std::string_view::npos;
    for (auto sep : kSeps) {
      size_t p = s.find(sep);
      if (p < best) best = p, len = sep.size();
    }
    return best;
  };
  while (!rest.empty()) {
    size_t len = 0;
    size_t p = next_separator(rest, len);
    std::string_view word = trim(rest.substr(0, p));
    rest = p == std::string_view::npos ? std::string_view() : rest.substr(p + len);
    if (word.empty() || word == "无" || word == "none") continue;
    bool found = false;
    for (size_t i = 0; i < symptoms().size(); ++i) {
      if (word == symptoms()[i].code || word == symptoms()[i].name) on[i] = found = true;
    }
    if (!found) {
      why = "未知症状 “" + std::string(word) +
            "”,应为 发热、咳嗽、乏力、咽痛、腹泻、嗅味觉减退、其他 (unknown symptom)";
      return false;
    }
  }
  codes.clear();
  for (size_t i = 0; i < on.size(); ++i) {
    if (!on[i]) continue;
    if (!codes.empty()) codes += ',';
    codes += symptoms()[i].code;
  }
  return true;
}

std::string symptom_names(std::string_view codes) {
  std::string out;
  for (const auto& s : symptoms()) {
    std::string_view c = codes;
    while (!c.empty()) {
      size_t p = c.find(',');
      if (c.substr(0, p) == s.code) {
        if (!out.empty()) out += "、";
        out += s.name;
        break;
      }
      c = p == std::string_view::npos ? std::string_view() : c.substr(p + 1);
    }
  }
  return out;
}

bool parse_reporter(std::string_view text, std::string& code) {
  text = trim(text);
  if (text == "self" || text == "本人") return code = "self", true;
  if (text == "parent" || text == "家长") return code = "parent", true;
  if (text == "teacher" || text == "班主任" || text == "教师") return code = "teacher", true;
  return false;
}

const char* reporter_name(std::string_view code) {
  if (code == "self") return "本人";
  if (code == "parent") return "家长";
  if (code == "teacher") return "班主任";
  return "";
}

bool parse_yes_no(std::string_view text, bool& value) {
  text = trim(text);
  for (auto yes : {"是", "yes", "true", "1", "在家", "Y", "y"})
    if (text == yes) return value = true, true;
  for (auto no : {"否", "no", "false", "0", "不在家", "N", "n"})
    if (text == no) return value = false, true;
  return false;
}

bool is_abnormal(int tenths, std::string_view symptom_codes, bool at_home) {
  return tenths >= kFeverTemperature || !symptom_codes.empty() || !at_home;
}

}  // namespace fx::domain
