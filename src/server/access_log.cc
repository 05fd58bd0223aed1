#include "server/access_log.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <unistd.h>

namespace wangge::server {
namespace {
constexpr size_t kWakeBytes = 1u << 20;
}  // namespace

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& destination) {
  if (destination == "off") return std::unique_ptr<AccessLog>(new AccessLog(-1, false));
  if (destination == "-") return std::unique_ptr<AccessLog>(new AccessLog(STDERR_FILENO, false));
  const int fd = ::open(destination.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) {
    return Status::IoError("access log " + destination + ": " + std::strerror(errno));
  }
  return std::unique_ptr<AccessLog>(new AccessLog(fd, true));
}

AccessLog::AccessLog(int fd, bool owns_fd) : fd_(fd), owns_fd_(owns_fd) {
  if (fd_ >= 0) writer_ = std::thread([this] { Run(); });
}

AccessLog::~AccessLog() {
  if (writer_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    writer_.join();
  }
  if (owns_fd_) ::close(fd_);
}

void AccessLog::Write(std::string_view line) {
  if (fd_ < 0) return;
  bool wake;
  {
    std::lock_guard lock(mutex_);
    pending_.append(line);
    pending_.push_back('\n');
    wake = pending_.size() >= kWakeBytes;
  }
  if (wake) wake_.notify_one();
}

void AccessLog::Flush() {
  if (fd_ < 0) return;
  std::string text;
  std::lock_guard write_lock(write_mutex_);
  {
    std::lock_guard lock(mutex_);
    text.swap(pending_);
  }
  WriteOut(text);
}

void AccessLog::Run() {
  std::string text;
  for (;;) {
    bool stop;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(100),
                     [this] { return stopping_ || pending_.size() >= kWakeBytes; });
      stop = stopping_;
    }
    std::lock_guard write_lock(write_mutex_);
    {
      std::lock_guard lock(mutex_);
      text.clear();
      text.swap(pending_);
    }
    WriteOut(text);
    if (stop) return;
  }
}

void AccessLog::WriteOut(const std::string& text) {
  for (size_t written = 0; written < text.size();) {
    const ssize_t n = ::write(fd_, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to report a failing log; drop the rest
    written += static_cast<size_t>(n);
  }
}

std::string UtcTimestamp() {
  // The formatted second is cached per thread: formatting it costs more than the rest of a line.
  thread_local std::time_t cached_second = -1;
  thread_local char cached[24];
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t second = static_cast<std::time_t>(ms.count() / 1000);
  if (second != cached_second) {
    std::tm utc{};
    gmtime_r(&second, &utc);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &utc);
    cached_second = second;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%s.%03dZ", cached, static_cast<int>(ms.count() % 1000));
  return text;
}

}  // namespace wangge::server
