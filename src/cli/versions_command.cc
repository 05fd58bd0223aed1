// `wangge versions --store DIR [--format text|json]`: the published versions of a store, which is
// live, the history of publishes and rollbacks (who, when, why) and the drafts waiting.
// JSON layout: docs/versions.md ("wangge.versions/1"). Exit 0; 3 if the store cannot be read.
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "wangge/store/store_json.h"
#include "wangge/store/version_store.h"

namespace wangge::cli {
namespace {

using nlohmann::json;

class VersionsCommand : public Command {
 public:
  std::string_view name() const override { return "versions"; }
  std::string_view summary() const override {
    return "List a store's versions, the live one, its history and drafts";
  }

  void Setup(CLI::App& app) override {
    app.add_option("--store", store_, "Store folder")->required();
    app.add_option("--format", format_, "Output format")
        ->default_val("text")
        ->check(CLI::IsMember({"text", "json"}));
  }

  Result<Outcome> Run() override {
    Result<std::unique_ptr<VersionStore>> opened = VersionStore::Open(store_);
    if (!opened.ok()) return opened.status();
    const VersionStore& store = **opened;
    const std::optional<VersionInfo> live = store.Current();
    if (format_ == "json") {
      json versions = json::array();
      for (const VersionInfo& v : store.Versions()) versions.push_back(VersionInfoJson(v));
      json history = json::array();
      for (const HistoryEvent& e : store.History()) history.push_back(HistoryEventJson(e));
      json drafts = json::array();
      for (const DraftInfo& d : store.Drafts()) drafts.push_back(DraftInfoJson(d));
      const json out = {{"schema", "wangge.versions/1"},
                        {"live", live ? json(live->id) : json(nullptr)},
                        {"versions", std::move(versions)},
                        {"history", std::move(history)},
                        {"drafts", std::move(drafts)}};
      std::cout << out.dump(2) << "\n";
      return Outcome::kOk;
    }
    std::cout << "store " << store.dir() << ": live version " << (live ? live->id : "none") << "\n";
    std::cout << "versions:\n";
    for (const VersionInfo& v : store.Versions()) {
      std::cout << "  " << v.id << (live && live->id == v.id ? " *" : "  ") << " "
                << FormatStoreTime(v.published_at) << "  " << v.region_count << " regions  "
                << v.fingerprint << "  " << v.source << "  by " << v.meta.author
                << (v.meta.message.empty() ? "" : ": " + v.meta.message)
                << (v.forced_reason.empty() ? "" : "  [forced: " + v.forced_reason + "]") << "\n";
    }
    std::cout << "history:\n";
    for (const HistoryEvent& e : store.History()) {
      std::cout << "  " << FormatStoreTime(e.at) << "  " << HistoryEventKindName(e.kind) << " -> "
                << e.version << "  by " << e.meta.author
                << (e.meta.message.empty() ? "" : ": " + e.meta.message) << "\n";
    }
    const std::vector<DraftInfo> drafts = store.Drafts();
    if (!drafts.empty()) {
      std::cout << "drafts:\n";
      for (const DraftInfo& d : drafts) {
        std::cout << "  " << d.id << "  " << FormatStoreTime(d.created_at) << "  " << d.source
                  << "  " << d.region_count << " regions, " << d.error_count << " errors\n";
      }
    }
    return Outcome::kOk;
  }

 private:
  std::string store_;
  std::string format_ = "text";
};

}  // namespace

std::unique_ptr<Command> MakeVersionsCommand() { return std::make_unique<VersionsCommand>(); }

}  // namespace wangge::cli
