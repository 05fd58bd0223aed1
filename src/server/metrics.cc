#include "server/metrics.h"

#include <chrono>
#include <cstdio>
#include <fstream>

#include <unistd.h>

#ifndef WANGGE_VERSION_STRING
#define WANGGE_VERSION_STRING "unknown"
#endif

namespace wangge::server {

struct Metrics::RouteStats {
  // requests[method][status slot]
  std::array<std::array<std::atomic<uint64_t>, kStatusSlots>, kHttpMethodCount> requests{};
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // last one: +Inf only
  std::atomic<uint64_t> count{0};
  std::atomic<uint64_t> nanoseconds{0};
};

Metrics::Metrics(std::vector<std::string> route_labels) : labels_(std::move(route_labels)) {
  labels_.push_back("unmatched");
  routes_ = std::make_unique<RouteStats[]>(labels_.size());
}

Metrics::~Metrics() = default;

void Metrics::RecordRequest(size_t route, HttpMethod method, int http_status, double seconds) {
  if (route >= labels_.size()) route = unmatched_route();
  RouteStats& stats = routes_[route];
  size_t slot = kStatuses.size();
  for (size_t i = 0; i < kStatuses.size(); ++i) {
    if (kStatuses[i] == http_status) slot = i;
  }
  stats.requests[static_cast<size_t>(method)][slot].fetch_add(1, std::memory_order_relaxed);
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  stats.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  stats.count.fetch_add(1, std::memory_order_relaxed);
  stats.nanoseconds.fetch_add(static_cast<uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

void Metrics::AddPointsLocated(LocateStatus status, uint64_t count) {
  points_[static_cast<size_t>(status)].fetch_add(count, std::memory_order_relaxed);
}

namespace {

void Line(std::string& out, std::string_view name, std::string_view labels, double value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  out += buffer;
  out += '\n';
}

void Help(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

// Returns `text` as a Prometheus label value (quoted, with \\, \" and \n escaped).
std::string LabelValue(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::string Metrics::Render(const Snapshot& snapshot, int64_t requests_in_flight) const {
  std::string out;
  out.reserve(16 << 10);
  constexpr auto relaxed = std::memory_order_relaxed;

  Help(out, "wangge_http_requests_total", "counter",
       "HTTP requests answered, by route template, method and status code.");
  for (size_t r = 0; r < labels_.size(); ++r) {
    for (size_t m = 0; m < kHttpMethodCount; ++m) {
      for (size_t s = 0; s < kStatusSlots; ++s) {
        const uint64_t n = routes_[r].requests[m][s].load(relaxed);
        if (n == 0) continue;
        const std::string code = s < kStatuses.size() ? std::to_string(kStatuses[s]) : "other";
        Line(out, "wangge_http_requests_total",
             "route=" + LabelValue(labels_[r]) + ",method=" +
                 LabelValue(HttpMethodName(static_cast<HttpMethod>(m))) + ",code=\"" + code + "\"",
             static_cast<double>(n));
      }
    }
  }

  Help(out, "wangge_http_request_duration_seconds", "histogram",
       "Time from a complete request to its answer handed to the network, by route template.");
  for (size_t r = 0; r < labels_.size(); ++r) {
    const RouteStats& stats = routes_[r];
    const uint64_t count = stats.count.load(relaxed);
    if (count == 0) continue;
    const std::string route = "route=" + LabelValue(labels_[r]);
    uint64_t cumulative = 0;
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += stats.buckets[b].load(relaxed);
      char le[32];
      std::snprintf(le, sizeof le, "%g", kBuckets[b]);
      Line(out, "wangge_http_request_duration_seconds_bucket", route + ",le=\"" + le + "\"",
           static_cast<double>(cumulative));
    }
    Line(out, "wangge_http_request_duration_seconds_bucket", route + ",le=\"+Inf\"",
         static_cast<double>(count));
    Line(out, "wangge_http_request_duration_seconds_sum", route,
         static_cast<double>(stats.nanoseconds.load(relaxed)) / 1e9);
    Line(out, "wangge_http_request_duration_seconds_count", route, static_cast<double>(count));
  }

  Help(out, "wangge_http_requests_in_flight", "gauge", "Requests being answered now.");
  Line(out, "wangge_http_requests_in_flight", "", static_cast<double>(requests_in_flight));
  const uint64_t opened = connections_opened_.load(relaxed);
  const uint64_t closed = connections_closed_.load(relaxed);
  Help(out, "wangge_http_connections_opened_total", "counter", "TCP connections accepted.");
  Line(out, "wangge_http_connections_opened_total", "", static_cast<double>(opened));
  Help(out, "wangge_http_connections_open", "gauge", "TCP connections open now.");
  Line(out, "wangge_http_connections_open", "",
       static_cast<double>(opened >= closed ? opened - closed : 0));

  Help(out, "wangge_points_located_total", "counter", "Points located, by answer status.");
  for (LocateStatus status : {LocateStatus::kInside, LocateStatus::kBoundary, LocateStatus::kGap,
                              LocateStatus::kOutside, LocateStatus::kInvalid}) {
    Line(out, "wangge_points_located_total", "status=" + LabelValue(LocateStatusName(status)),
         static_cast<double>(points_[static_cast<size_t>(status)].load(relaxed)));
  }

  const Hierarchy& h = snapshot.hierarchy();
  Help(out, "wangge_snapshot_info", "gauge", "The dataset version being served (always 1).");
  Line(out, "wangge_snapshot_info", "version=" + LabelValue(snapshot.version), 1);
  Help(out, "wangge_snapshot_built_timestamp_seconds", "gauge",
       "When the served snapshot was built, seconds since the epoch.");
  Line(out, "wangge_snapshot_built_timestamp_seconds", "",
       std::chrono::duration<double>(snapshot.built_at.time_since_epoch()).count());
  Help(out, "wangge_snapshot_regions", "gauge", "Regions in the served snapshot, by level.");
  for (size_t l = 0; l < h.level_count(); ++l) {
    Line(out, "wangge_snapshot_regions", "level=" + LabelValue(h.levels()[l].name),
         static_cast<double>(h.regions(l).size()));
  }

  Help(out, "wangge_build_info", "gauge", "The wangge build (always 1).");
  Line(out, "wangge_build_info",
       "version=" + LabelValue(WANGGE_VERSION_STRING) + ",compiler=" + LabelValue(__VERSION__), 1);
  Help(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  Line(out, "process_resident_memory_bytes", "", static_cast<double>(ResidentMemoryBytes()));
  return out;
}

void AppendPublisherMetrics(const PublisherState& state, std::string& out) {
  Help(out, "wangge_store_live_info", "gauge",
       "The version the store holds live (always 1); differs from wangge_snapshot_info while it "
       "is built or when its build failed.");
  Line(out, "wangge_store_live_info", "version=" + LabelValue(state.live), 1);
  Help(out, "wangge_snapshot_building", "gauge",
       "1 while the snapshot of a version is built in the background.");
  Line(out, "wangge_snapshot_building", "version=" + LabelValue(state.building),
       state.building.empty() ? 0 : 1);
  Help(out, "wangge_snapshot_builds_total", "counter", "Snapshots built and published.");
  Line(out, "wangge_snapshot_builds_total", "", static_cast<double>(state.builds));
  Help(out, "wangge_snapshot_build_failures_total", "counter",
       "Snapshot builds that failed (the previous snapshot stayed live).");
  Line(out, "wangge_snapshot_build_failures_total", "", static_cast<double>(state.build_failures));
  Help(out, "wangge_snapshot_last_build_seconds", "gauge",
       "How long the last background build took, load to publish.");
  Line(out, "wangge_snapshot_last_build_seconds", "", state.last_build_seconds);
}

size_t ResidentMemoryBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0;
  size_t resident = 0;
  if (!(statm >> pages >> resident)) return 0;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace wangge::server
