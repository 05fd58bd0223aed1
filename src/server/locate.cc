// GET and POST /v1/locate. One answer per point:
//   status        inside | boundary | gap | outside | invalid   (wangge/locate/point_index.h)
//   on_boundary   the point lies exactly on an edge or vertex and the boundary rule chose
//   levels        per level, {code, name} of the region the point is assigned to, null where none:
//                 its owner; with max_distance_m, for a point no unit owns, the nearest unit within
//                 that distance (status stays gap/outside and `nearest` gives the distance)
// plus the dataset version (in the body, and in the Wangge-Dataset-Version header). With
// `at=TIME` the answer comes from the version live at TIME (server/as_of.h).
// A batch is located in chunks of kChunk points with PointIndex::LocateBatch and its answer is
// streamed chunk by chunk, so memory beyond the parsed input stays bounded.
#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/as_of.h"
#include "server/handlers.h"
#include "server/http_status.h"
#include "server/json_text.h"
#include "server/locate_input.h"
#include "server/params.h"
#include "wangge/crs/input_crs.h"
#include "wangge/locate/location_csv.h"

namespace wangge::server {
namespace {

constexpr size_t kChunk = 1 << 13;
constexpr std::string_view kVersionHeader = "Wangge-Dataset-Version";

struct Settings {
  InputCrs crs;
  LocateOptions options;
};

Result<Settings> ReadSettings(const Context& context, const HttpRequest& request) {
  Settings settings;
  if (std::optional<std::string_view> crs = request.Query("crs")) {
    Result<InputCrs> parsed = InputCrs::Parse(*crs);
    if (!parsed.ok()) return parsed.status();
    settings.crs = std::move(parsed).value();
  }
  settings.options.max_distance_m = context.options.locate_max_distance_m;
  if (std::optional<std::string_view> text = request.Query("max_distance_m")) {
    Result<double> distance = ParseNumber("max_distance_m", *text);
    if (!distance.ok()) return distance.status();
    const double limit = context.options.locate_max_distance_limit_m;
    if (*distance < 0 || *distance > limit) {
      return Status::InvalidArgument("max_distance_m must be in 0.." + std::to_string(limit));
    }
    settings.options.max_distance_m = *distance;
  }
  settings.options.threads = context.options.locate_threads;
  return settings;
}

// Per-answer writing state: level keys escaped once, the chain buffer reused.
class AnswerWriter {
 public:
  explicit AnswerWriter(const Snapshot& snapshot)
      : snapshot_(snapshot), chain_(snapshot.hierarchy().level_count()) {
    for (const Level& level : snapshot.hierarchy().levels()) {
      std::string key;
      AppendJsonString(key, level.name);
      keys_.push_back(key + ":");
    }
  }

  const std::vector<RegionId>& Chain(const Location& where) {
    snapshot_.point_index().Chain(where.assigned(), chain_);
    return chain_;
  }

  // Appends "status":...,"on_boundary":...,"levels":{...}[,"nearest":{...}] (no braces).
  void AppendFields(std::string& out, const Location& where) {
    const Hierarchy& h = snapshot_.hierarchy();
    out += "\"status\":\"";
    out += LocateStatusName(where.status);
    out += where.on_boundary ? "\",\"on_boundary\":true,\"levels\":{"
                             : "\",\"on_boundary\":false,\"levels\":{";
    Chain(where);
    for (size_t l = 0; l < chain_.size(); ++l) {
      if (l > 0) out += ',';
      out += keys_[l];
      if (chain_[l] == kNoRegion) {
        out += "null";
        continue;
      }
      out += "{\"code\":";
      AppendJsonString(out, h.code(chain_[l]));
      out += ",\"name\":";
      AppendJsonString(out, h.name(chain_[l]));
      out += '}';
    }
    out += '}';
    if (where.nearest != kNoRegion) {
      out += ",\"nearest\":{\"code\":";
      AppendJsonString(out, h.code(where.nearest));
      out += ",\"distance_m\":";
      AppendJsonNumber(out, where.distance_m);
      out += '}';
    }
  }

 private:
  const Snapshot& snapshot_;
  std::vector<std::string> keys_;
  std::vector<RegionId> chain_;
};

// Converts points from the request's CRS in place; a point that cannot be converted becomes NaN
// and is answered "invalid".
void ToLonLat(const InputCrs& crs, std::span<Point> points) {
  if (crs.kind() == InputCrs::Kind::kLonLat) return;
  for (Point& p : points) {
    Result<Point> converted = crs.ToLonLat(p);
    p = converted.ok() ? *converted : Point{std::nan(""), std::nan("")};
  }
}

struct BatchState {
  std::shared_ptr<const Snapshot> snapshot;
  PointBatch batch;
  Settings settings;
  Metrics* metrics = nullptr;
  AnswerWriter writer;
  LocationCsv csv;
  size_t next = 0;
  std::vector<Location> locations;

  BatchState(std::shared_ptr<const Snapshot> s, PointBatch b, Settings st, Metrics* m)
      : snapshot(std::move(s)),
        batch(std::move(b)),
        settings(std::move(st)),
        metrics(m),
        writer(*snapshot),
        csv(snapshot->point_index(), settings.options.max_distance_m > 0) {}

  // Locates the next chunk; returns its range.
  std::pair<size_t, size_t> LocateChunk() {
    const size_t begin = next;
    const size_t end = std::min(begin + kChunk, batch.points.size());
    std::span<Point> points(batch.points.data() + begin, end - begin);
    ToLonLat(settings.crs, points);
    locations.resize(points.size());
    snapshot->point_index().LocateBatch(points, locations, settings.options);
    std::array<uint64_t, 5> counts{};
    for (const Location& l : locations) ++counts[static_cast<size_t>(l.status)];
    for (size_t s = 0; s < counts.size(); ++s) {
      if (counts[s]) metrics->AddPointsLocated(static_cast<LocateStatus>(s), counts[s]);
    }
    next = end;
    return {begin, end};
  }

  bool done() const { return next >= batch.points.size(); }
};

bool ProduceJson(BatchState& state, std::string& out) {
  const auto [begin, end] = state.LocateChunk();
  out.reserve(out.size() + (end - begin) * 400);
  const PointIndex& index = state.snapshot->point_index();
  for (size_t i = begin; i < end; ++i) {
    index.PrefetchAnswers(state.locations, i - begin);
    if (i > 0) out += ',';
    out += '{';
    if (!state.batch.ids[i].empty()) {
      out += "\"id\":";
      out += state.batch.ids[i];
      out += ',';
    }
    state.writer.AppendFields(out, state.locations[i - begin]);
    out += '}';
  }
  if (!state.done()) return true;
  out += "]}";
  return false;
}

bool ProduceCsv(BatchState& state, std::string& out) {
  const auto [begin, end] = state.LocateChunk();
  out.reserve(out.size() + (end - begin) * 120);
  state.csv.AppendRows(std::span(state.batch.ids).subspan(begin, end - begin), state.locations,
                       out);
  return !state.done();
}

bool ProduceGeoJson(BatchState& state, std::string& out) {
  const auto [begin, end] = state.LocateChunk();
  const Hierarchy& h = state.snapshot->hierarchy();
  for (size_t i = begin; i < end; ++i) {
    const Location& where = state.locations[i - begin];
    nlohmann::json feature = nlohmann::json::parse(state.batch.features[i]);
    nlohmann::json& properties = feature["properties"];
    if (!properties.is_object()) properties = nlohmann::json::object();
    properties["status"] = LocateStatusName(where.status);
    properties["on_boundary"] = where.on_boundary;
    const std::vector<RegionId>& chain = state.writer.Chain(where);
    for (size_t l = 0; l < chain.size(); ++l) {
      const std::string& level = h.levels()[l].name;
      if (chain[l] == kNoRegion) {
        properties[level] = nullptr;
        properties[level + "_name"] = nullptr;
      } else {
        properties[level] = h.code(chain[l]);
        properties[level + "_name"] = h.name(chain[l]);
      }
    }
    if (where.nearest != kNoRegion) properties["nearest_distance_m"] = where.distance_m;
    if (i > 0) out += ',';
    out += DumpJson(feature);
  }
  if (!state.done()) return true;
  out += "]}";
  return false;
}

}  // namespace

Reply HandleLocateGet(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"lon", "lat", "crs", "max_distance_m", "at"});
      !s.ok()) {
    return ErrorReply(s);
  }
  Result<double> lon = RequiredNumber(request, "lon");
  if (!lon.ok()) return ErrorReply(lon.status());
  Result<double> lat = RequiredNumber(request, "lat");
  if (!lat.ok()) return ErrorReply(lat.status());
  Result<Settings> settings = ReadSettings(context, request);
  if (!settings.ok()) return ErrorReply(settings.status());
  Result<Point> point = settings->crs.ToLonLat({*lon, *lat});
  if (!point.ok()) return ErrorReply(point.status());

  Reply error;
  const std::shared_ptr<const Snapshot> snapshot = SnapshotForRequest(context, request, &error);
  if (!snapshot) return error;
  const Location where = snapshot->point_index().Locate(*point, settings->options);
  context.metrics->AddPointsLocated(where.status, 1);

  Reply reply;
  reply.body.reserve(512);
  reply.body = "{\"version\":";
  AppendJsonString(reply.body, snapshot->version);
  reply.body += ",\"crs\":";
  AppendJsonString(reply.body, settings->crs.name());
  reply.body += ",\"point\":[";
  AppendJsonNumber(reply.body, point->x);
  reply.body += ',';
  AppendJsonNumber(reply.body, point->y);
  reply.body += "],";
  AnswerWriter writer(*snapshot);
  writer.AppendFields(reply.body, where);
  reply.body += '}';
  reply.headers.emplace_back(kVersionHeader, snapshot->version);
  return reply;
}

Reply HandleLocatePost(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"crs", "max_distance_m", "at"}); !s.ok()) {
    return ErrorReply(s);
  }
  Reply error;
  std::optional<PointBatch> batch = ReadPointBatch(request, &error);
  if (!batch) return error;
  Result<Settings> settings = ReadSettings(context, request);
  if (!settings.ok()) return ErrorReply(settings.status());

  std::shared_ptr<const Snapshot> answering = SnapshotForRequest(context, request, &error);
  if (!answering) return error;
  auto state = std::make_shared<BatchState>(std::move(answering), std::move(batch).value(),
                                            std::move(settings).value(), context.metrics);
  const Snapshot& snapshot = *state->snapshot;
  Reply reply;
  reply.headers.emplace_back(kVersionHeader, snapshot.version);
  switch (state->batch.format) {
    case PointBatch::Format::kCsv: {
      reply.content_type = "text/csv; charset=utf-8";
      state->csv.AppendHeader(reply.body);
      if (!state->done())
        reply.producer = [state](std::string& out) { return ProduceCsv(*state, out); };
      break;
    }
    case PointBatch::Format::kJsonArray: {
      reply.body = "{\"version\":";
      AppendJsonString(reply.body, snapshot.version);
      reply.body += ",\"crs\":";
      AppendJsonString(reply.body, state->settings.crs.name());
      reply.body += ",\"levels\":[";
      for (const Level& level : snapshot.hierarchy().levels()) {
        if (reply.body.back() != '[') reply.body += ',';
        AppendJsonString(reply.body, level.name);
      }
      reply.body += "],\"count\":";
      AppendJsonInt(reply.body, static_cast<int64_t>(state->batch.points.size()));
      reply.body += ",\"results\":[";
      if (state->done()) {
        reply.body += "]}";
      } else {
        reply.producer = [state](std::string& out) { return ProduceJson(*state, out); };
      }
      break;
    }
    case PointBatch::Format::kGeoJson: {
      reply.content_type = "application/geo+json";
      reply.body = "{\"type\":\"FeatureCollection\",\"version\":";
      AppendJsonString(reply.body, snapshot.version);
      for (std::string_view member : state->batch.members) {
        reply.body += ',';
        reply.body += member;
      }
      reply.body += ",\"features\":[";
      if (state->done()) {
        reply.body += "]}";
      } else {
        reply.producer = [state](std::string& out) { return ProduceGeoJson(*state, out); };
      }
      break;
    }
  }
  return reply;
}

}  // namespace wangge::server
