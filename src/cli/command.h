// Command: one `wangge <command>` subcommand. Each command lives in its own file
// (<name>_command.cc), declares its options on a CLI11 subcommand in Setup() and does its work in
// Run(). main.cc owns the translation of outcomes and Status codes to exit codes.
//
//   class InspectCommand : public Command { ... };
//   // registered in command_list.cc
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "wangge/base/result.h"

namespace wangge::cli {

// What a command that ran to the end found.
enum class Outcome {
  kOk,        // exit 0
  kFindings,  // exit 1: defects found, or not all points located
};

class Command {
 public:
  virtual ~Command() = default;

  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  // Declares options on `app`; must not open files or do work.
  virtual void Setup(CLI::App& app) = 0;
  // Runs the command with the parsed options. A non-OK Status becomes exit code 2 for
  // kInvalidArgument (usage) and 3 otherwise (input could not be read).
  virtual Result<Outcome> Run() = 0;
};

// Writes `text` to the file `path`, or to stdout when `path` is empty; kIoError naming the file
// if it cannot be written whole.
Status WriteOutput(const std::string& path, std::string_view text);

// Returns one instance of every command, in help order.
std::vector<std::unique_ptr<Command>> AllCommands();

}  // namespace wangge::cli
