// Metrics: the counters behind GET /metrics (Prometheus text format 0.0.4): requests by route,
// method and status; a latency histogram per route; points located by status; connections; the
// snapshot's version and size; build information; the process's resident memory.
//
//   Metrics metrics(routes.labels());
//   metrics.RecordRequest(route, HttpMethod::kGet, 200, 0.00012);
//   std::string text = metrics.Render(*snapshot, in_flight);
//
// Route labels are the route templates ("/collections/{level}/items"), never raw paths, so the
// number of series stays fixed whatever clients send.
// Thread safety: Record* and Render may be called from any threads at once (relaxed atomics).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "server/http_types.h"
#include "server/snapshot_publisher.h"
#include "wangge/locate/point_index.h"
#include "wangge/snapshot/snapshot.h"

namespace wangge::server {

class Metrics {
 public:
  // Upper bounds of the latency buckets, seconds.
  static constexpr std::array<double, 16> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                                      1,      2.5,     5,      10};

  // `route_labels[i]` names route i; requests that match no route are recorded as "unmatched".
  explicit Metrics(std::vector<std::string> route_labels);
  ~Metrics();

  // The route index that RecordRequest takes for requests that matched no route.
  size_t unmatched_route() const { return labels_.size() - 1; }

  void RecordRequest(size_t route, HttpMethod method, int http_status, double seconds);
  void AddPointsLocated(LocateStatus status, uint64_t count);
  void ConnectionOpened() { connections_opened_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { connections_closed_.fetch_add(1, std::memory_order_relaxed); }

  // Returns the exposition text.
  std::string Render(const Snapshot& snapshot, int64_t requests_in_flight) const;

 private:
  static constexpr std::array<int, 15> kStatuses = {200, 201, 202, 204, 400, 404, 405, 408,
                                                    409, 413, 415, 422, 500, 501, 503};
  static constexpr size_t kStatusSlots = kStatuses.size() + 1;  // + "other"
  struct RouteStats;

  std::vector<std::string> labels_;
  std::unique_ptr<RouteStats[]> routes_;
  std::array<std::atomic<uint64_t>, 5> points_{};  // by LocateStatus
  std::atomic<uint64_t> connections_opened_{0};
  std::atomic<uint64_t> connections_closed_{0};
};

// Appends the store's gauges and counters: wangge_store_live_info{version},
// wangge_snapshot_building{version}, wangge_snapshot_builds_total,
// wangge_snapshot_build_failures_total, wangge_snapshot_last_build_seconds.
void AppendPublisherMetrics(const PublisherState& state, std::string& out);

// Returns the resident set size of this process in bytes (from /proc/self/statm), 0 if unknown.
size_t ResidentMemoryBytes();

}  // namespace wangge::server
