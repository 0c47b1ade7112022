#include "app/row_input.h"

#include <algorithm>
#include <limits>

#include "ingest/table.h"

namespace fx::app {

std::string InputRow::get(const std::string& key) const {
  auto it = fields.find(key);
  if (it == fields.end()) return "";
  const std::string& s = it->second;
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

void RowErrors::add(long row, const std::string& field, const std::string& reason) {
  ++count_;
  if (lines_.size() < 50)
    lines_.push_back("第" + std::to_string(row) + "行 " + field + ": " + reason);
}

Status RowErrors::status() const {
  if (lines_.empty()) return Status::Ok();
  std::string m;
  for (const auto& l : lines_) m += (m.empty() ? "" : "\n") + l;
  if (count_ > lines_.size())
    m += "\n… 另有 " + std::to_string(count_ - lines_.size()) + " 处错误 (more errors)";
  m += "\n未保存任何记录 (nothing was stored)";
  return Status::Invalid(m);
}

Result<std::vector<InputRow>> read_input_file(const std::string& path,
                                              const std::vector<FieldSpec>& fields) {
  auto reader = ingest::open_table(path);
  if (!reader.ok()) return reader.status();
  ingest::Row row;
  if (!(*reader)->next(row)) {
    if (!(*reader)->status().ok()) return (*reader)->status();
    return Status::Invalid(path + ": 文件为空 (the file is empty)");
  }
  std::vector<std::string> key_of;
  for (const auto& cell : row.cells) {
    std::string h = cell.text;
    std::string key;
    for (const auto& f : fields) {
      if (h == f.key || std::find(f.headers.begin(), f.headers.end(), h) != f.headers.end())
        key = f.key;
    }
    if (key.empty() && !h.empty())
      return Status::Invalid(path + ": 第1行 " + h + ": 未知的列 (unknown column)");
    key_of.push_back(key);
  }
  for (const auto& f : fields)
    if (f.required && std::find(key_of.begin(), key_of.end(), f.key) == key_of.end())
      return Status::Invalid(path + ": 缺少列 " + f.headers.front() + " (" + f.key +
                             ": a required column is missing)");
  std::vector<InputRow> out;
  while ((*reader)->next(row)) {
    InputRow r;
    r.number = row.number;
    bool blank = true;
    for (size_t i = 0; i < row.cells.size() && i < key_of.size(); ++i) {
      if (key_of[i].empty()) continue;
      r.fields[key_of[i]] = row.cells[i].text;
      blank &= row.cells[i].text.empty();
    }
    if (!blank) out.push_back(std::move(r));
  }
  if (!(*reader)->status().ok()) return (*reader)->status();
  return out;
}

bool parse_count(const std::string& text, long min, long max, long& out) {
  if (text.empty() || text.size() > 12) return false;
  long v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < min || v > max) return false;
  out = v;
  return true;
}

bool parse_yes_no(const std::string& text, bool& out) {
  static const char* yes[] = {"是", "yes", "true", "1", "已解决", "Y", "y"};
  static const char* no[] = {"否", "no", "false", "0", "未解决", "N", "n", ""};
  for (const char* y : yes)
    if (text == y) return out = true, true;
  for (const char* n : no)
    if (text == n) return out = false, true;
  return false;
}

}  // namespace fx::app
