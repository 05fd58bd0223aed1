#include "cli/command.h"

namespace wangge::cli {

// One factory per command file.
std::unique_ptr<Command> MakeInspectCommand();
std::unique_ptr<Command> MakeCheckCommand();
std::unique_ptr<Command> MakeLocateCommand();
std::unique_ptr<Command> MakeTilesCommand();
std::unique_ptr<Command> MakeServeCommand();
std::unique_ptr<Command> MakeSynthCommand();
std::unique_ptr<Command> MakePublishCommand();
std::unique_ptr<Command> MakeVersionsCommand();
std::unique_ptr<Command> MakeRollbackCommand();
std::unique_ptr<Command> MakeDiffCommand();
std::unique_ptr<Command> MakeApiKeyCommand();

std::vector<std::unique_ptr<Command>> AllCommands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(MakeInspectCommand());
  commands.push_back(MakeCheckCommand());
  commands.push_back(MakeLocateCommand());
  commands.push_back(MakeTilesCommand());
  commands.push_back(MakeServeCommand());
  commands.push_back(MakeSynthCommand());
  commands.push_back(MakePublishCommand());
  commands.push_back(MakeVersionsCommand());
  commands.push_back(MakeRollbackCommand());
  commands.push_back(MakeDiffCommand());
  commands.push_back(MakeApiKeyCommand());

  return commands;
}

}  // namespace wangge::cli
