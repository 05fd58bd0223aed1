// wangge serve DATASET [--config FILE] [--host H] [--port P] [--threads N] [--access-log DEST]
//                      [--max-body-bytes N] [--public-url URL] [--log-coordinates]
// Loads the dataset, builds its snapshot (indexes) and serves it over HTTP until SIGINT or
// SIGTERM, then shuts down gracefully (requests in flight finish). Settings come from the
// defaults, then the YAML file, then the flags given (docs/server.md lists every key).
// Prints "wangge serving DATASET at http://HOST:PORT/" on stdout once it answers.
#include <csignal>
#include <functional>
#include <iostream>
#include <vector>

#include <pthread.h>

#include "cli/command.h"
#include "server/server.h"
#include "wangge/load/dataset.h"
#include "wangge/snapshot/snapshot.h"

namespace wangge::cli {
namespace {

class ServeCommand : public Command {
 public:
  std::string_view name() const override { return "serve"; }
  std::string_view summary() const override { return "Serve a dataset over HTTP"; }

  void Setup(CLI::App& app) override {
    const server::ServerOptions defaults;
    app.add_option("dataset", dataset_, "GeoPackage, folder or YAML manifest")->required();
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

    Result<Dataset> dataset = LoadDataset(dataset_);
    if (!dataset.ok()) return dataset.status();
    std::cerr << "wangge serve: loaded " << dataset->hierarchy.region_count() << " regions from "
              << dataset_ << " (" << dataset->error_count() << " errors, "
              << dataset->warning_count() << " warnings)\n";
    Result<std::shared_ptr<const Snapshot>> snapshot = BuildSnapshot(std::move(dataset).value());
    if (!snapshot.ok()) return snapshot.status();
    auto live = std::make_shared<LiveSnapshot>(std::move(snapshot).value());
    Result<std::unique_ptr<server::Server>> server = server::Server::Start(options, live);
    if (!server.ok()) return server.status();
    std::cout << "wangge serving " << dataset_ << " at http://" << options.host << ":"
              << (*server)->port() << "/" << std::endl;

    int signal = 0;
    sigwait(&stop_signals, &signal);
    std::cerr << "wangge serve: signal " << signal << ", finishing requests in flight\n";
    (*server)->Shutdown();
    std::cerr << "wangge serve: stopped\n";
    return Outcome::kOk;
  }

 private:
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
