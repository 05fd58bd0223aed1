// `wangge publish DATASET --store DIR [--message M] [--author A] [--force --reason R]`: makes a
// dataset the live version of a store (wangge/store/version_store.h): creates a draft (load,
// normalise, coverage check), prints its coverage summary, then publishes it.
//
// Exit codes: 0 published; 1 refused because the draft has error-level defects (the draft is
// deleted again; `wangge check DATASET` lists the defects; --force --reason R overrides); 2 usage
// (e.g. --force without --reason); 3 the dataset or the store cannot be read or written.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "wangge/store/version_store.h"

namespace wangge::cli {
namespace {

std::string DefaultAuthor() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "unknown";
}

class PublishCommand : public Command {
 public:
  std::string_view name() const override { return "publish"; }
  std::string_view summary() const override {
    return "Check a dataset and publish it as the live version of a store";
  }

  void Setup(CLI::App& app) override {
    app.add_option("DATASET", dataset_,
                   "GeoPackage, folder, YAML manifest, GeoJSON, or .zip of any of these")
        ->required();
    app.add_option("--store", store_, "Store folder (created if absent)")->required();
    app.add_option("--message", message_, "Why this version (recorded in the history)");
    app.add_option("--author", author_, "Who publishes (default: $USER)");
    app.add_flag("--force", force_, "Publish despite error-level defects (needs --reason)");
    app.add_option("--reason", reason_, "Why the defects are accepted (recorded)");
  }

  Result<Outcome> Run() override {
    if (force_ && reason_.empty()) {
      return Status::InvalidArgument("--force needs --reason (it is recorded in the history)");
    }
    const WriteMeta meta{author_.empty() ? DefaultAuthor() : author_, message_};
    Result<std::unique_ptr<VersionStore>> store = VersionStore::Open(store_);
    if (!store.ok()) return store.status();
    Result<DraftInfo> draft = (*store)->CreateDraft(dataset_, meta);
    if (!draft.ok()) return draft.status();
    std::cout << "draft " << draft->id << " from " << draft->source << ": " << draft->region_count
              << " regions, fingerprint " << draft->fingerprint << "\n"
              << "coverage: " << draft->error_count << " errors, " << draft->sliver_count
              << " slivers, " << draft->warning_count << " warnings; " << draft->load_error_count
              << " features not loaded\n";
    PublishRequest request{meta, force_, reason_};
    Result<VersionInfo> version = (*store)->Publish(draft->id, request);
    if (!version.ok()) {
      if (version.status().code() != StatusCode::kFailedPrecondition) return version.status();
      std::cerr << "wangge publish: refused: " << version.status().message()
                << "\n(run `wangge check " << dataset_ << "` for the list)\n";
      (void)(*store)->DeleteDraft(draft->id, meta);
      return Outcome::kFindings;
    }
    std::cout << "published version " << version->id
              << (version->forced_reason.empty() ? "" : " (forced)") << "\n";
    return Outcome::kOk;
  }

 private:
  std::string dataset_;
  std::string store_;
  std::string message_;
  std::string author_;
  bool force_ = false;
  std::string reason_;
};

}  // namespace

std::unique_ptr<Command> MakePublishCommand() { return std::make_unique<PublishCommand>(); }

}  // namespace wangge::cli
