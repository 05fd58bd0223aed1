// wangge serve [DATASET] [--store DIR] [--config FILE] [--host H] [--port P] [--threads N]
//              [--access-log DEST] [--max-body-bytes N] [--public-url URL] [--log-coordinates]
// Without --store: loads DATASET, builds its snapshot (indexes) and serves it read-only. With
// --store DIR: serves the store's live version (publishing DATASET as its first version when the
// store is empty), and drafts, publish, rollback and as-of lookups through the HTTP API; versions
// published by other processes (`wangge publish`) go live within store_poll_ms.
// Serves until SIGINT or SIGTERM, then shuts down gracefully (requests in flight finish).
// Settings come from the defaults, then the YAML file, then the flags given (docs/server.md).
// Prints "wangge serving SOURCE at http://HOST:PORT/" on stdout once it answers.
#include <csignal>
#include <functional>
#include <iostream>
#include <thread>
#include <vector>

#include <pthread.h>

#include "cli/command.h"
#include "server/server.h"
#include "server/snapshot_publisher.h"
#include "wangge/load/dataset.h"
#include "wangge/snapshot/snapshot.h"
#include "wangge/store/version_store.h"

namespace wangge::cli {
namespace {

class ServeCommand : public Command {
 public:
  std::string_view name() const override { return "serve"; }
  std::string_view summary() const override { return "Serve a dataset over HTTP"; }

  void Setup(CLI::App& app) override {
    const server::ServerOptions defaults;
    app.add_option("dataset", dataset_,
                   "GeoPackage, folder or YAML manifest (with --store: the first version of an "
                   "empty store)");
    Flag(app.add_option("--store", flags_.store,
                        "Version store directory: serve its live version, accept drafts"),
         [](auto& o, const auto& f) { o.store = f.store; });
    Flag(app.add_option("--max-upload-bytes", flags_.max_upload_bytes,
                        "Largest draft upload (POST /v1/drafts)")
             ->default_str(std::to_string(defaults.max_upload_bytes)),
         [](auto& o, const auto& f) { o.max_upload_bytes = f.max_upload_bytes; });
    app.add_option("--config", config_, "YAML file of server settings (docs/server.md)");
    Flag(app.add_option("--host", flags_.host, "Address to listen on")->default_str(defaults.host),
         [](auto& o, const auto& f) { o.host = f.host; });
    Flag(app.add_option("--port", flags_.port, "Port to listen on (0 = any free port)")
             ->default_str(std::to_string(defaults.port)),
         [](auto& o, const auto& f) { o.port = f.port; });
    Flag(app.add_option("--threads", flags_.threads, "Request threads (0 = number of cores)")
             ->default_str("0"),
         [](auto& o, const auto& f) { o.threads = f.threads; });
    Flag(app.add_option("--access-log", flags_.access_log,
                        "Access log: - (stderr), off, or a file to append to")
             ->default_str(defaults.access_log),
         [](auto& o, const auto& f) { o.access_log = f.access_log; });
    Flag(app.add_option("--max-body-bytes", flags_.max_body_bytes, "Largest request body")
             ->default_str(std::to_string(defaults.max_body_bytes)),
         [](auto& o, const auto& f) { o.max_body_bytes = f.max_body_bytes; });
    Flag(app.add_option("--public-url", flags_.public_url,
                        "Base URL for links, when behind a proxy (default: the Host header)"),
         [](auto& o, const auto& f) { o.public_url = f.public_url; });
    Flag(app.add_flag("--log-coordinates", flags_.log_coordinates,
                      "Log query strings (they hold report coordinates: personal data)"),
         [](auto& o, const auto& f) { o.log_coordinates = f.log_coordinates; });
    Flag(app.add_option("--web-root", flags_.web_root,
                        "Folder of the one-map page (default: web/ found near the executable)"),
         [](auto& o, const auto& f) { o.web_root = f.web_root; });
  }

  Result<Outcome> Run() override {
    server::ServerOptions options;
    if (!config_.empty()) {
      if (Status s = server::LoadServerConfig(config_, &options); !s.ok()) return s;
    }
    for (auto& [option, apply] : flags_given_) {
      if (option->count() > 0) apply(options, flags_);
    }
    if (Status s = server::ValidateServerOptions(options); !s.ok()) return s;

    // Block the stop signals in every thread (Pistache's and TBB's included) and wait for them
    // here.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    if (options.store.empty() && dataset_.empty()) {
      return Status::InvalidArgument("serve needs a DATASET or --store DIR");
    }
    std::shared_ptr<LiveSnapshot> live;
    std::unique_ptr<VersionStore> store;
    std::unique_ptr<server::SnapshotPublisher> publisher;
    std::string source = dataset_;
    if (options.store.empty()) {
      Result<Dataset> dataset = LoadDataset(dataset_);
      if (!dataset.ok()) return dataset.status();
      std::cerr << "wangge serve: loaded " << dataset->hierarchy.region_count() << " regions from "
                << dataset_ << " (" << dataset->error_count() << " errors, "
                << dataset->warning_count() << " warnings)\n";
      Result<std::shared_ptr<const Snapshot>> snapshot = BuildSnapshot(std::move(dataset).value());
      if (!snapshot.ok()) return snapshot.status();
      live = std::make_shared<LiveSnapshot>(std::move(snapshot).value());
    } else {
      Result<std::unique_ptr<VersionStore>> opened = VersionStore::Open(options.store);
      if (!opened.ok()) return opened.status();
      store = std::move(opened).value();
      if (Status s = PublishInitialVersion(*store); !s.ok()) return s;
      source = "store " + options.store;
      std::shared_ptr<const Snapshot> empty = server::EmptySnapshot();
      if (!empty) return Status::Internal("cannot build the empty snapshot");
      live = std::make_shared<LiveSnapshot>(std::move(empty));
      server::PublisherOptions publisher_options;
      publisher_options.poll_ms = options.store_poll_ms;
      publisher_options.as_of_cache = options.as_of_cache;
      Result<std::unique_ptr<server::SnapshotPublisher>> started =
          server::SnapshotPublisher::Start(store.get(), live, publisher_options);
      if (!started.ok()) return started.status();
      publisher = std::move(started).value();
      const std::string version = publisher->state().served;
      std::cerr << "wangge serve: store " << options.store << ": "
                << (version.empty()
                        ? "no version yet (POST a draft to /v1/drafts)"
                        : "serving version " + version + ", " +
                              std::to_string(live->Get()->hierarchy().region_count()) + " regions")
                << "\n";
    }
    Result<std::unique_ptr<server::Server>> server =
        server::Server::Start(options, live, publisher.get());
    if (!server.ok()) return server.status();
    std::cout << "wangge serving " << source << " at http://" << options.host << ":"
              << (*server)->port() << "/" << std::endl;

    // Build the tiles' tables now that the server answers, not on the first tile of each zoom
    // (with a store, the publisher does this for every version it serves).
    std::jthread prepare_tiles;
    if (!publisher) {
      prepare_tiles = std::jthread([snapshot = live->Get()] { server::PrepareTiles(*snapshot); });
    }

    int signal = 0;
    sigwait(&stop_signals, &signal);
    std::cerr << "wangge serve: signal " << signal << ", finishing requests in flight\n";
    (*server)->Shutdown();
    publisher.reset();  // waits for a build in progress
    std::cerr << "wangge serve: stopped\n";
    return Outcome::kOk;
  }

 private:
  // With an empty store and a DATASET: publishes DATASET as version 1. With versions already,
  // a DATASET given is ignored (the store wins), with a warning.
  Status PublishInitialVersion(VersionStore& store) {
    if (store.Current()) {
      if (!dataset_.empty()) {
        std::cerr << "wangge serve: warning: the store " << store.dir()
                  << " already has versions; serving its live version, not " << dataset_ << "\n";
      }
      return Status::Ok();
    }
    if (dataset_.empty()) return Status::Ok();
    const WriteMeta meta{.author = "wangge serve", .message = "initial version"};
    Result<DraftInfo> draft = store.CreateDraft(dataset_, meta);
    if (!draft.ok()) return draft.status();
    PublishRequest request{.meta = meta};
    if (draft->error_count > 0) {
      // As `wangge serve DATASET` serves a dataset whatever its defects, so does the first
      // version of a store; the reason is recorded in the history.
      request.force = true;
      request.force_reason = "initial version from `wangge serve " + dataset_ + "` with " +
                             std::to_string(draft->error_count) + " coverage errors";
      std::cerr << "wangge serve: warning: " << dataset_ << " has " << draft->error_count
                << " coverage errors; publishing it as the first version anyway\n";
    }
    Result<VersionInfo> version = store.Publish(draft->id, request);
    if (!version.ok()) return version.status();
    std::cerr << "wangge serve: published " << dataset_ << " as version " << version->id << "\n";
    return Status::Ok();
  }

  using Apply = std::function<void(server::ServerOptions&, const server::ServerOptions&)>;
  void Flag(CLI::Option* option, Apply apply) {
    flags_given_.emplace_back(option, std::move(apply));
  }

  std::string dataset_;
  std::string config_;
  server::ServerOptions flags_;  // values of the flags; applied only when given
  std::vector<std::pair<CLI::Option*, Apply>> flags_given_;
};

}  // namespace

std::unique_ptr<Command> MakeServeCommand() { return std::make_unique<ServeCommand>(); }

}  // namespace wangge::cli
