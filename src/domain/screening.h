// Home-bound screening (居家排查): what one daily report may say, and when it
// is abnormal. No I/O: the app layer reads requests and files with these.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fx::domain {

// Plausible body temperatures, in tenths of a degree Celsius.
inline constexpr int kMinTemperature = 340;    // 34.0 °C
inline constexpr int kMaxTemperature = 425;    // 42.5 °C
inline constexpr int kFeverTemperature = 373;  // 37.3 °C and above is abnormal

// The fixed list of symptoms: code and Chinese name, in the order forms show them.
struct Symptom {
  const char* code;
  const char* name;
};
const std::vector<Symptom>& symptoms();

// "36.5", "36", "36.5℃", "36.5°C" → 365. False with `why` (Chinese, then
// English) for text, more than one decimal, or a value outside 34.0–42.5.
bool parse_temperature(std::string_view text, int& tenths, std::string& why);
// The same for a JSON number.
bool temperature_from_number(double value, int& tenths, std::string& why);
std::string format_temperature(int tenths);  // 365 → "36.5"

// Symptom codes or names separated by , 、 ; ， or spaces ("发热、咳嗽",
// "fever,cough"; "无"/"none" or empty for none) → codes joined by ',' in the
// list's order. False with `why` naming the unknown word.
bool parse_symptoms(std::string_view text, std::string& codes, std::string& why);
// "fever,cough" → "发热、咳嗽".
std::string symptom_names(std::string_view codes);

// self/本人, parent/家长, teacher/班主任 → the code; false otherwise.
bool parse_reporter(std::string_view text, std::string& code);
const char* reporter_name(std::string_view code);  // "家长"

// 是/否, yes/no, true/false, 1/0, 在家/不在家.
bool parse_yes_no(std::string_view text, bool& value);

// Abnormal: a temperature of 37.3 °C or more, any symptom, or not at home.
bool is_abnormal(int tenths, std::string_view symptom_codes, bool at_home);

}  // namespace fx::domain
