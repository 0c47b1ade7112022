// Helpers shared by the tests: temporary folders and the paths of test data.
#pragma once

#include <filesystem>
#include <string>

namespace fx::testing {

// A fresh folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Writes `bytes` to `path` as they are.
void write_file(const std::string& path, const std::string& bytes);
std::string read_file(const std::string& path);

// ../shared/data/real, where the real public data lies.
std::string shared_data(const std::string& relative);
// The repository's root and the built `fangxian` binary.
std::string source_dir();
std::string fangxian_binary();

}  // namespace fx::testing
