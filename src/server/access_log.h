// AccessLog: one JSON object per request, one per line, e.g.
//   {"time":"2025-05-20T08:00:00.123Z","method":"GET","path":"/v1/locate","route":"/v1/locate",
//    "status":200,"bytes":412,"duration_ms":0.081}
// The path is logged without its query string: report coordinates are personal data and appear
// (as "query") only when ServerOptions::log_coordinates is set. Lines are buffered and written by
// a background thread every 100 ms (or when 1 MiB is pending), so logging costs a request a
// mutex and a memcpy, not a system call.
//
//   auto log = AccessLog::Open("-");        // "-" stderr, "off", or a file path (appended to)
//   (*log)->Write(line);
//
// Thread safety: Write may be called from any threads at once.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "wangge/base/result.h"

namespace wangge::server {

class AccessLog {
 public:
  // Opens `destination`; fails with kIoError if a file cannot be opened for appending.
  static Result<std::unique_ptr<AccessLog>> Open(const std::string& destination);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  bool enabled() const { return fd_ >= 0; }
  // Queues `line` (without its newline).
  void Write(std::string_view line);
  // Writes everything queued so far.
  void Flush();

 private:
  explicit AccessLog(int fd, bool owns_fd);
  void Run();
  void WriteOut(const std::string& text);

  int fd_;
  bool owns_fd_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string pending_;
  bool stopping_ = false;
  std::mutex write_mutex_;  // orders the writer thread's and Flush's writes
  std::thread writer_;
};

// Returns the current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string UtcTimestamp();

}  // namespace wangge::server
