#include "server/serve_process.h"

#include <fstream>
#include <regex>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace wangge::testing {

ServeProcess::ServeProcess(std::vector<std::string> args, const std::string& stderr_path) {
  args.insert(args.begin(), {WANGGE_EXECUTABLE, "serve"});
  args.insert(args.end(), {"--port", "0"});
  int out[2];
  if (pipe(out) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    if (!stderr_path.empty()) {
      const int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(err, STDERR_FILENO);
    }
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  std::smatch match;
  if (std::regex_search(line, match, std::regex(":([0-9]+)/$"))) {
    port_ = static_cast<uint16_t>(std::stoi(match[1]));
  }
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0 && !waited_) Terminate();
}

size_t ServeProcess::ResidentBytes() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string key;
  size_t kb = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> kb;
      break;
    }
  }
  return kb * 1024;
}

int ServeProcess::Terminate() {
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  waited_ = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace wangge::testing
