// wangge: the command-line front end. Exit codes (DESIGN.md, stable):
//   0 ok, 1 defects found / not all points located, 2 usage, 3 input could not be read.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace {

enum ExitCode { kExitOk = 0, kExitFindings = 1, kExitUsage = 2, kExitInput = 3 };

// The one place where a Status becomes an exit code.
int ExitCodeFor(const wangge::Status& status) {
  return status.code() == wangge::StatusCode::kInvalidArgument ? kExitUsage : kExitInput;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("wangge: community grid boundaries: load, check, locate, serve", "wangge");
  app.require_subcommand(1);
  app.set_version_flag("--version", "wangge 0.1.0");
  auto commands = wangge::cli::AllCommands();
  std::vector<std::pair<CLI::App*, wangge::cli::Command*>> subcommands;
  for (auto& command : commands) {
    CLI::App* sub = app.add_subcommand(std::string(command->name()), std::string(command->summary()));
    command->Setup(*sub);
    subcommands.emplace_back(sub, command.get());
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (auto& [sub, command] : subcommands) {
    if (!sub->parsed()) continue;
    wangge::Result<wangge::cli::Outcome> outcome = command->Run();
    std::cout.flush();
    if (!outcome.ok()) {
      std::cerr << "wangge " << command->name() << ": " << outcome.status().message() << "\n";
      return ExitCodeFor(outcome.status());
    }
    return *outcome == wangge::cli::Outcome::kOk ? kExitOk : kExitFindings;
  }
  return kExitUsage;
}
