// Context: what every request handler may use: the live snapshot, the server's settings and its
// metrics. Handlers read the current snapshot once at their start and answer from it alone, so a
// version published mid-request never mixes into an answer.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "server/metrics.h"
#include "server/server_options.h"
#include "server/snapshot_publisher.h"
#include "wangge/snapshot/snapshot.h"

namespace wangge::server {

struct Context {
  std::shared_ptr<LiveSnapshot> live;
  ServerOptions options;
  Metrics* metrics = nullptr;                       // owned by the Server
  const std::atomic<bool>* draining = nullptr;      // true once shutdown has begun
  const std::atomic<int64_t>* in_flight = nullptr;  // requests being answered now
  // The version store and the builds of its versions; nullptr when served without --store (then
  // the draft and version endpoints answer 404).
  SnapshotPublisher* publisher = nullptr;
};

}  // namespace wangge::server
