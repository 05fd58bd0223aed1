// The Pistache adapter: the only code that touches Pistache's request and response types.
//
// Pistache 0.0.5 (Debian) parses each connection's bytes with a per-connection parser and, on a
// complete request, calls the handler on the connection's reactor thread. This handler replaces
// its input step (onInput) to add what the stock one lacks (notes/env-feasibility.md §5):
//   - keep-alive by HTTP/1.1 default (the stock step answers "Connection: close" when the request
//     has no Connection header);
//   - a body limit enforced as soon as Content-Length is known, answered with a JSON 413 after
//     which the rest of the body is discarded unread and the connection closed (the stock step
//     buffers up to the limit, answers in plain text and then parses the remaining body bytes as
//     new requests);
//   - JSON errors for malformed HTTP (400), oversized headers (431);
// then converts the request to an HttpRequest, dispatches it (routes.h) and writes the Reply with
// CORS, Connection, gzip and chunked streaming; and records metrics and the access log.
// Header and body timeouts stay Pistache's (its transport checks the parser's start time).
//
//   auto state = std::make_shared<ServiceState>(...);
//   endpoint.setHandler(MakeHttpHandler(state));
//
// Thread safety: Pistache clones the handler per reactor thread; clones share one ServiceState,
// whose members are immutable or atomic.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "server/access_log.h"
#include "server/context.h"
#include "server/routes.h"

namespace Pistache::Http {
class Handler;
}

namespace wangge::server {

struct ServiceState {
  std::shared_ptr<const Context> context;
  RouteTable routes;
  Metrics* metrics = nullptr;              // owned by the Server
  AccessLog* access_log = nullptr;         // owned by the Server
  std::atomic<int64_t> in_flight{0};       // requests whose handler is running
  std::atomic<int64_t> pending_writes{0};  // answers handed to Pistache, not yet written
  std::atomic<bool> draining{false};  // set when shutdown begins: answers close their connection
  std::atomic<int64_t> open_connections{0};
  std::atomic<int64_t> peak_connections{0};  // the most open at once since memory was last trimmed
};

std::shared_ptr<Pistache::Http::Handler> MakeHttpHandler(std::shared_ptr<ServiceState> state);

}  // namespace wangge::server
