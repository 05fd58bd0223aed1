// wangge apikey NAME [--role planner|reader]
// Makes a new API key for the server's write endpoints (planner) or keyed reads (reader): prints
// the secret, to hand to its owner once, and the entry to add under api_keys: in the server's
// configuration file, which stores only the key's salted hash (src/server/api_keys.h).
#include <iostream>

#include "cli/command.h"
#include "server/api_keys.h"

namespace wangge::cli {
namespace {

class ApiKeyCommand : public Command {
 public:
  std::string_view name() const override { return "apikey"; }
  std::string_view summary() const override { return "Make an API key for the server"; }

  void Setup(CLI::App& app) override {
    app.add_option("name", name_, "Who the key is for; recorded as the author of its writes")
        ->required();
    app.add_option("--role", role_, "planner (reads and writes) or reader (reads only)")
        ->default_str("planner");
  }

  Result<Outcome> Run() override {
    Result<server::ApiRole> role = server::ParseApiRole(role_);
    if (!role.ok()) return role.status();
    Result<server::NewApiKey> key = server::MakeApiKey(name_, *role);
    if (!key.ok()) return key.status();
    std::cout << "key: " << key->secret << "\n"
              << "# Give the key to " << name_ << " once; it is not stored anywhere.\n"
              << "# Add this entry under api_keys: in the server's configuration file:\n"
              << server::ApiKeyYaml(key->entry);
    return Outcome::kOk;
  }

 private:
  std::string name_;
  std::string role_ = "planner";
};

}  // namespace

std::unique_ptr<Command> MakeApiKeyCommand() { return std::make_unique<ApiKeyCommand>(); }

}  // namespace wangge::cli
