#include "store/internal/durable_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wangge::internal {
namespace {

std::string Errno() { return std::strerror(errno); }

// Writes all of `content` to `fd`.
bool WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string Folder(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace

Status SyncPath(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return Status::IoError(path + ": cannot open to sync: " + Errno());
  const int r = ::fsync(fd);
  const std::string error = r == 0 ? "" : Errno();
  ::close(fd);
  return r == 0 ? Status::Ok() : Status::IoError(path + ": fsync failed: " + error);
}

Status WriteNewFile(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError(path + ": cannot create: " + Errno());
  const bool written = WriteAll(fd, content) && ::fsync(fd) == 0;
  const std::string error = written ? "" : Errno();
  ::close(fd);
  return written ? Status::Ok() : Status::IoError(path + ": cannot write: " + error);
}

Status WriteFileDurably(const std::string& path, std::string_view content) {
  const std::string temp = path + ".tmp";
  if (Status s = WriteNewFile(temp, content); !s.ok()) return s;
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string error = Errno();
    ::unlink(temp.c_str());
    return Status::IoError(path + ": cannot rename " + temp + " into place: " + error);
  }
  return SyncPath(Folder(path), /*directory=*/true);
}

Status AppendLineDurably(const std::string& path, std::string_view line) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError(path + ": cannot open for appending: " + Errno());
  // A crash in an earlier append may have left a last line without its newline: end it first,
  // so that only that line is broken, not this one too.
  std::string record;
  struct stat info {};
  char last = '\n';
  if (::fstat(fd, &info) == 0 && info.st_size > 0 && ::pread(fd, &last, 1, info.st_size - 1) == 1 &&
      last != '\n') {
    record += '\n';
  }
  record += line;
  record += '\n';
  const bool written = WriteAll(fd, record) && ::fsync(fd) == 0;
  const std::string error = written ? "" : Errno();
  ::close(fd);
  return written ? Status::Ok() : Status::IoError(path + ": cannot append: " + error);
}

Result<std::string> ReadWholeFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return errno == ENOENT ? Status::NotFound(path + ": no such file")
                           : Status::IoError(path + ": cannot open: " + Errno());
  }
  std::string content;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string error = Errno();
      ::close(fd);
      return Status::IoError(path + ": cannot read: " + error);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return content;
}

Status CopyFileDurably(const std::string& from, const std::string& to) {
  std::error_code ec;
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) return Status::IoError(to + ": cannot copy " + from + ": " + ec.message());
  return SyncPath(to, /*directory=*/false);
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

Status FileLock::Acquire(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return Status::IoError(path + ": cannot open the lock file: " + Errno());
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) return Status::IoError(path + ": cannot lock: " + Errno());
  }
  return Status::Ok();
}

}  // namespace wangge::internal
