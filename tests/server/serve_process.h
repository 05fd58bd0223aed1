// ServeProcess: `wangge serve` as a child process on a free port, for tests of the real binary
// (its flags and config file, signals, memory).
//
//   ServeProcess serve({dataset, "--store", store, "--access-log", "off"}, stderr_path);
//   HttpClient client(serve.port());
//
// The binary is WANGGE_EXECUTABLE, which tests/server/CMakeLists.txt sets per test target.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <sys/types.h>

namespace wangge::testing {

class ServeProcess {
 public:
  // Starts `wangge serve ARGS... --port 0` and waits for its "serving ... at URL" line; standard
  // error goes to `stderr_path` unless it is empty. port() is 0 if the server did not start.
  explicit ServeProcess(std::vector<std::string> args, const std::string& stderr_path = "");
  // Stops the server (SIGTERM, then waits) unless Terminate() did.
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Returns the server's resident set size in bytes (VmRSS).
  size_t ResidentBytes() const;
  // Sends SIGTERM, waits, and returns the exit status (-1 if it did not exit normally).
  int Terminate();

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  bool waited_ = false;
};

}  // namespace wangge::testing
