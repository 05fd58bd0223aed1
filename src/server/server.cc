#include "server/server.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include <pistache/endpoint.h>

#include "server/access_log.h"
#include "server/http_handler.h"
#include "server/metrics.h"
#include "server/routes.h"

namespace wangge::server {
namespace {
constexpr int kListenBacklog = 4096;
// Worker threads for slow routes (RouteTable::MarkSlow), and how many requests may wait for one
// before the next is answered 503.
constexpr int kWorkerThreads = 2;
constexpr size_t kMaxQueuedSlowRequests = 16;
}  // namespace

struct Server::Impl {
  std::unique_ptr<Metrics> metrics;
  std::unique_ptr<AccessLog> access_log;
  std::shared_ptr<ServiceState> state;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint;
  int grace_ms = 0;
  bool running = false;
};

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options,
                                              std::shared_ptr<LiveSnapshot> live,
                                              SnapshotPublisher* publisher,
                                              const RouteTable* routes) {
  if (Status s = ValidateServerOptions(options); !s.ok()) return s;
  std::unique_ptr<Server> server(new Server());
  server->impl_ = std::make_unique<Impl>();
  Impl& impl = *server->impl_;
  impl.grace_ms = options.shutdown_grace_ms;
  Result<std::unique_ptr<AccessLog>> log = AccessLog::Open(options.access_log);
  if (!log.ok()) return log.status();
  impl.access_log = std::move(log).value();

  impl.state = std::make_shared<ServiceState>();
  impl.state->routes = routes ? *routes : BuildRoutes();
  impl.state->workers = std::make_unique<WorkerPool>(kWorkerThreads, kMaxQueuedSlowRequests);
  impl.metrics = std::make_unique<Metrics>(impl.state->routes.labels());
  impl.state->metrics = impl.metrics.get();
  impl.state->access_log = impl.access_log.get();
  auto context = std::make_shared<Context>();
  context->live = std::move(live);
  context->options = options;
  context->metrics = impl.metrics.get();
  context->draining = &impl.state->draining;
  context->in_flight = &impl.state->in_flight;
  context->publisher = publisher;
  impl.state->context = std::move(context);

  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  try {
    const Pistache::Address address(options.host, Pistache::Port(options.port));
    impl.endpoint = std::make_unique<Pistache::Http::Endpoint>(address);
    // Pistache's own buffer limit sits above ours, so the handler's checks (and JSON errors)
    // come first. No TCP_NODELAY: every answer is one write, and with it set keep-alive
    // throughput fell by 40% (55k to 35k req/s, measured with wrk on this machine).
    const Pistache::Flags<Pistache::Tcp::Options> flags(Pistache::Tcp::Options::ReuseAddr);
    impl.endpoint->init(
        Pistache::Http::Endpoint::options()
            .threads(threads)
            .flags(flags)
            .maxRequestSize(
                std::max(options.max_body_bytes, publisher ? options.max_upload_bytes : size_t{0}) +
                options.max_header_bytes + (64u << 10))
            .headerTimeout(std::chrono::milliseconds(options.header_timeout_ms))
            .bodyTimeout(std::chrono::milliseconds(options.body_timeout_ms))
            .keepaliveTimeout(std::chrono::milliseconds(options.keepalive_timeout_ms)));
    // Debian's Endpoint::init passes a fixed listen backlog of 128 (it ignores
    // Options::backlog); a burst of connections then overflows the accept queue and costs each
    // dropped client a 1 s SYN retry. Set the listener's backlog itself (the kernel caps it at
    // net.core.somaxconn).
    impl.endpoint->initArgs(static_cast<size_t>(threads), flags, std::string(), kListenBacklog);
    impl.endpoint->setHandler(MakeHttpHandler(impl.state));
    impl.endpoint->serveThreaded();
  } catch (const std::exception& e) {
    return Status::IoError("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                           ": " + e.what());
  }
  impl.running = true;
  return server;
}

Server::~Server() { Shutdown(); }

uint16_t Server::port() const { return static_cast<uint16_t>(impl_->endpoint->getPort()); }

int64_t Server::requests_in_flight() const {
  return impl_->state->in_flight.load(std::memory_order_relaxed);
}

void Server::Drain() {
  if (impl_) impl_->state->draining.store(true);
}

void Server::Shutdown() {
  if (!impl_ || !impl_->running) return;
  impl_->running = false;
  Drain();
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(impl_->grace_ms);
  // Handlers first, then the writes they queued (an answer to a slow reader can take a while).
  const ServiceState& state = *impl_->state;
  while ((state.in_flight.load() > 0 || state.pending_writes.load() > 0) &&
         Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  {
    // From here a worker still answering drops its answer instead of handing it to a transport
    // that is going away.
    std::lock_guard<std::mutex> lock(impl_->state->send_mutex);
    impl_->state->endpoint_stopped = true;
  }
  impl_->endpoint->shutdown();
  // Cancels slow requests not yet started, waits for the running ones.
  impl_->state->workers->Stop();
  impl_->access_log->Flush();
}

}  // namespace wangge::server
