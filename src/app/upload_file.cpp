#include "app/upload_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/utf8.h"

namespace fx::app {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string random_name() {
  uint8_t b[12];
  randombytes_buf(b, sizeof b);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (uint8_t x : b) out += {hex[x >> 4], hex[x & 15]};
  return out;
}

}  // namespace

Status check_upload_name(const std::string& name) {
  if (name.empty() || name.size() > 200)
    return Status::Invalid("缺少文件名 (filename= is required, up to 200 bytes)");
  if (!valid_utf8(name)) return Status::Invalid("文件名不是有效的 UTF-8 (filename is not UTF-8)");
  for (unsigned char c : name)
    if (c < 0x20 || c == '/' || c == '\\' || c == 0x7f)
      return Status::Invalid("文件名不能含路径或控制字符 (filename must be a plain name)");
  std::string l = lower(name);
  if (!l.ends_with(".csv") && !l.ends_with(".xlsx"))
    return Status::Invalid("只接受 .csv 或 .xlsx 文件 (only .csv and .xlsx files)");
  return Status::Ok();
}

UploadFile::UploadFile(const std::string& dir, const std::string& client_name) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  ::chmod(dir.c_str(), 0700);
  const char* ext = lower(client_name).ends_with(".xlsx") ? ".xlsx" : ".csv";
  path_ = (std::filesystem::path(dir) / ("upload-" + random_name() + ext)).string();
}

UploadFile::~UploadFile() {
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

Status UploadFile::write(std::string_view bytes) {
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    return Status::IoError(std::string("cannot store the upload: ") + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      return Status::IoError("cannot store the upload");
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return Status::Ok();
}

Result<std::string> UploadFile::read() const {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return Status::IoError("cannot read back " + path_);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace fx::app
