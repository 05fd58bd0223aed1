// Server: the HTTP front end (Pistache) over the core. It owns no data: every request reads the
// current Snapshot from a LiveSnapshot, so a new version can be published while it serves.
//
//   auto server = Server::Start({.host = "127.0.0.1", .port = 0}, live);
//   if (!server.ok()) return server.status();
//   std::cout << "http://127.0.0.1:" << (*server)->port() << "/\n";
//   (*server)->Shutdown();   // finishes the requests in flight first
//
// Thread safety: Start and Shutdown from one thread; requests are answered on Pistache's reactor
// threads (ServerOptions::threads of them), each request on one thread from start to end, except
// the slow routes (RouteTable::MarkSlow), answered on two worker threads of the server's own.
#pragma once

#include <cstdint>
#include <memory>

#include "server/server_options.h"
#include "server/snapshot_publisher.h"
#include "wangge/base/result.h"
#include "wangge/snapshot/snapshot.h"

namespace wangge::server {

class RouteTable;

class Server {
 public:
  // Validates `options`, opens the access log, binds, starts the reactor threads and returns;
  // fails if the options are invalid, the log cannot be opened or the address cannot be bound.
  // With a `publisher` (which must outlive the server, and publish to `live`), the draft and
  // version endpoints manage its store; without, they answer 404. `routes` replaces the API's
  // route table (BuildRoutes()), for tests.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options,
                                               std::shared_ptr<LiveSnapshot> live,
                                               SnapshotPublisher* publisher = nullptr,
                                               const RouteTable* routes = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const;
  // Returns the number of requests being answered now.
  int64_t requests_in_flight() const;

  // Starts draining: /readyz answers 503 (so a load balancer stops sending new work) and every
  // answer closes its connection; requests are still answered. Shutdown() begins with this.
  void Drain();

  // Stops gracefully: drains, gives requests in flight up to ServerOptions::shutdown_grace_ms to
  // finish, then stops the listener and the reactor threads, waits for the slow requests still
  // running on the workers (their answers are dropped) and flushes the access log. Idempotent.
  void Shutdown();

 private:
  Server() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wangge::server
