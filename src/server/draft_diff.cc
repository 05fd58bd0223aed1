// What a draft would change against the version this server answers from:
//   GET  /v1/drafts/{id}/diff[?f=json|geojson]  regions added, removed, renamed, reshaped, modified
//                                               (wangge/store/version_diff.h, diff_format.h)
//   POST /v1/drafts/{id}/impact[?crs=]          which of the given points (the bodies POST
//                                               /v1/locate accepts) change unit, grid, ... level
// The draft is built once as a locate-only snapshot and kept in the publisher's small cache, so
// a diff followed by impact checks of several point sets loads it once.
#include <nlohmann/json.hpp>

#include "server/handlers.h"
#include "server/http_status.h"
#include "server/json_text.h"
#include "server/locate_input.h"
#include "server/params.h"
#include "server/snapshot_publisher.h"
#include "wangge/crs/input_crs.h"
#include "wangge/store/diff_format.h"
#include "wangge/store/version_diff.h"

namespace wangge::server {
namespace {

constexpr std::string_view kVersionHeader = "Wangge-Dataset-Version";

Reply NoStore() {
  return ErrorReply(Status::NotFound(
      "this server has no version store: start it with `wangge serve --store DIR` to manage "
      "drafts and versions"));
}

}  // namespace

Reply HandleDraftDiff(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"f"}); !s.ok()) return ErrorReply(s);
  if (!context.publisher) return NoStore();
  const Result<ReportFormat> format = RequestedReportFormat(request);
  if (!format.ok()) return ErrorReply(format.status());
  const std::shared_ptr<const Snapshot> live = context.live->Get();
  Result<std::shared_ptr<const Snapshot>> draft =
      context.publisher->DraftSnapshot(request.path_params[0]);
  if (!draft.ok()) return ErrorReply(draft.status());
  const VersionDiff diff = DiffHierarchies(live->hierarchy(), (*draft)->hierarchy(), 1);
  Reply reply;
  if (*format == ReportFormat::kGeoJson) {
    reply.content_type = "application/geo+json";
    reply.body = FormatDiffGeoJson(diff);
  } else {
    reply.body = FormatDiffJson(diff);
  }
  reply.headers.emplace_back(kVersionHeader, live->version);
  reply.headers.emplace_back("Vary", "Accept");
  return reply;
}

Reply HandleDraftImpact(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"crs"}); !s.ok()) return ErrorReply(s);
  if (!context.publisher) return NoStore();
  Reply error;
  std::optional<PointBatch> batch = ReadPointBatch(request, &error);
  if (!batch) return error;
  InputCrs crs;
  if (std::optional<std::string_view> name = request.Query("crs")) {
    Result<InputCrs> parsed = InputCrs::Parse(*name);
    if (!parsed.ok()) return ErrorReply(parsed.status());
    crs = std::move(parsed).value();
  }
  std::vector<Point>& points = batch->points;
  if (crs.kind() != InputCrs::Kind::kLonLat) {
    for (Point& p : points) {
      Result<Point> converted = crs.ToLonLat(p);
      p = converted.ok() ? *converted : Point{std::nan(""), std::nan("")};
    }
  }
  // Ids as the answer shows them: a JSON id verbatim, a CSV id as a string, else the index.
  std::vector<std::string> ids(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    const std::string_view raw = i < batch->ids.size() ? batch->ids[i] : std::string_view();
    if (raw.empty()) {
      ids[i] = std::to_string(i);
    } else if (batch->format == PointBatch::Format::kCsv) {
      AppendJsonString(ids[i], raw);
    } else {
      ids[i] = std::string(raw);
    }
  }

  const std::shared_ptr<const Snapshot> live = context.live->Get();
  if (live->version.empty()) {
    return ErrorReply(HttpError::kUnavailable, "no version is published yet: nothing to compare");
  }
  Result<std::shared_ptr<const Snapshot>> draft =
      context.publisher->DraftSnapshot(request.path_params[0]);
  if (!draft.ok()) return ErrorReply(draft.status());
  const std::vector<PointImpact> impact =
      DiffLocations(live->point_index(), (*draft)->point_index(), points, ids);

  Reply reply;
  reply.body = "{\"version\":";
  AppendJsonString(reply.body, live->version);
  reply.body += ",\"draft\":";
  AppendJsonString(reply.body, request.path_params[0]);
  reply.body += ",\"points_checked\":";
  AppendJsonInt(reply.body, static_cast<int64_t>(points.size()));
  reply.body += ",\"points_changed\":";
  AppendJsonInt(reply.body, static_cast<int64_t>(impact.size()));
  reply.body += ",\"points\":[";
  for (size_t i = 0; i < impact.size(); ++i) {
    const PointImpact& p = impact[i];
    if (i > 0) reply.body += ',';
    reply.body += "{\"id\":";
    reply.body += p.id;  // JSON text, made above
    reply.body += ",\"point\":[";
    AppendJsonNumber(reply.body, p.point.x);
    reply.body += ',';
    AppendJsonNumber(reply.body, p.point.y);
    reply.body += "],\"status_before\":\"";
    reply.body += LocateStatusName(p.before_status);
    reply.body += "\",\"status_after\":\"";
    reply.body += LocateStatusName(p.after_status);
    reply.body += "\",\"levels\":[";
    for (size_t l = 0; l < p.levels.size(); ++l) {
      if (l > 0) reply.body += ',';
      reply.body += "{\"level\":";
      AppendJsonString(reply.body, p.levels[l].level);
      reply.body += ",\"before\":";
      if (p.levels[l].before.empty()) {
        reply.body += "null";
      } else {
        AppendJsonString(reply.body, p.levels[l].before);
      }
      reply.body += ",\"after\":";
      if (p.levels[l].after.empty()) {
        reply.body += "null";
      } else {
        AppendJsonString(reply.body, p.levels[l].after);
      }
      reply.body += '}';
    }
    reply.body += "]}";
  }
  reply.body += "]}";
  reply.headers.emplace_back(kVersionHeader, live->version);
  return reply;
}

}  // namespace wangge::server
