// `wangge rollback --store DIR [VERSION] [--message M] [--author A]`: makes an earlier published
// version live again (by default the one live before the current one); a new history event, no
// version is changed or deleted.
//
// Exit codes: 0 rolled back; 1 refused (nothing to roll back to, or VERSION is already live);
// 3 unknown VERSION or the store cannot be read or written.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "wangge/store/version_store.h"

namespace wangge::cli {
namespace {

class RollbackCommand : public Command {
 public:
  std::string_view name() const override { return "rollback"; }
  std::string_view summary() const override {
    return "Make an earlier published version of a store live again";
  }

  void Setup(CLI::App& app) override {
    app.add_option("VERSION", version_, "Version id (default: the one live before the current)");
    app.add_option("--store", store_, "Store folder")->required();
    app.add_option("--message", message_, "Why (recorded in the history)");
    app.add_option("--author", author_, "Who rolls back (default: $USER)");
  }

  Result<Outcome> Run() override {
    const char* user = std::getenv("USER");
    const WriteMeta meta{!author_.empty() ? author_ : (user != nullptr ? user : "unknown"),
                         message_};
    Result<std::unique_ptr<VersionStore>> store = VersionStore::Open(store_);
    if (!store.ok()) return store.status();
    const std::optional<VersionInfo> before = (*store)->Current();
    Result<VersionInfo> live = (*store)->Rollback(version_, meta);
    if (!live.ok()) {
      if (live.status().code() != StatusCode::kFailedPrecondition) return live.status();
      std::cerr << "wangge rollback: refused: " << live.status().message() << "\n";
      return Outcome::kFindings;
    }
    std::cout << "version " << live->id << " is live again (was " << (before ? before->id : "-")
              << ")\n";
    return Outcome::kOk;
  }

 private:
  std::string version_;
  std::string store_;
  std::string message_;
  std::string author_;
};

}  // namespace

std::unique_ptr<Command> MakeRollbackCommand() { return std::make_unique<RollbackCommand>(); }

}  // namespace wangge::cli
