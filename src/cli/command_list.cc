#include "cli/command.h"

namespace wangge::cli {

// One factory per command file.


std::vector<std::unique_ptr<Command>> AllCommands() {
  std::vector<std::unique_ptr<Command>> commands;

  return commands;
}

}  // namespace wangge::cli
