// OGC API – Features (Part 1: Core, GeoJSON, OpenAPI 3.0): one collection per level, its regions
// as features with id = code, in CRS84 lon/lat. Items are paged by offset in ascending region
// order (the order of the dataset), with next/prev links; a bbox selects the regions whose
// geometry meets the box (Snapshot::RegionsIntersecting, backed by a packed R-tree per level).
#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "server/access_log.h"
#include "server/handlers.h"
#include "server/http_status.h"
#include "server/json_text.h"
#include "server/params.h"

namespace wangge::server {
namespace {

constexpr std::string_view kCrs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr size_t kFeaturesPerPiece = 256;

Result<size_t> FindLevel(const Hierarchy& h, const std::string& name) {
  if (std::optional<size_t> level = h.FindLevel(name)) return *level;
  std::string names;
  for (const Level& level : h.levels()) names += (names.empty() ? "" : ", ") + level.name;
  return Status::NotFound("no collection \"" + name.substr(0, 64) + "\" (collections: " + names +
                          ")");
}

// Returns `text` percent-encoded for a URL path segment or query value.
std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || c == ',') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

nlohmann::json Link(const std::string& href, std::string_view rel, std::string_view type,
                    std::string_view title) {
  return {{"href", href}, {"rel", rel}, {"type", type}, {"title", title}};
}

nlohmann::json CollectionJson(const Snapshot& snapshot, size_t level, const std::string& base) {
  const Hierarchy& h = snapshot.hierarchy();
  const Level& info = h.levels()[level];
  Box extent;
  for (RegionId id : h.regions(level)) {
    if (!h.bounds(id).empty()) extent.Add(h.bounds(id));
  }
  nlohmann::json bbox =
      extent.empty()
          ? nlohmann::json::array({-180, -90, 180, 90})
          : nlohmann::json::array({extent.min_x, extent.min_y, extent.max_x, extent.max_y});
  const std::string href = base + "/collections/" + UrlEncode(info.name);
  return {
      {"id", info.name},
      {"title", info.label},
      {"description", "Level " + std::to_string(level + 1) + " of " +
                          std::to_string(h.level_count()) + ": " +
                          std::to_string(h.regions(level).size()) + " regions"},
      {"itemType", "feature"},
      {"extent", {{"spatial", {{"bbox", {bbox}}, {"crs", kCrs84}}}}},
      {"crs", {kCrs84}},
      {"links",
       {Link(href, "self", "application/json", "This collection"),
        Link(href + "/items", "items", "application/geo+json", "The " + info.name + " regions")}}};
}

void AppendGeometry(std::string& out, const MultiPolygonView& g) {
  if (g.empty()) {
    out += "null";
    return;
  }
  out += R"({"type":"MultiPolygon","coordinates":[)";
  for (size_t p = 0; p < g.polygon_count(); ++p) {
    if (p > 0) out += ',';
    out += '[';
    const PolygonView polygon = g.polygon(p);
    for (size_t r = 0; r < polygon.ring_count(); ++r) {
      if (r > 0) out += ',';
      out += '[';
      const RingView ring = polygon.ring(r);
      for (size_t i = 0; i < ring.size(); ++i) {
        if (i > 0) out += ',';
        out += '[';
        AppendJsonNumber(out, ring[i].x);
        out += ',';
        AppendJsonNumber(out, ring[i].y);
        out += ']';
      }
      out += ']';
    }
    out += ']';
  }
  out += "]}";
}

void AppendFeature(std::string& out, const Hierarchy& h, RegionId id) {
  out += R"({"type":"Feature","id":)";
  AppendJsonString(out, h.code(id));
  out += R"(,"geometry":)";
  AppendGeometry(out, h.geometry(id));
  out += R"(,"properties":{"code":)";
  AppendJsonString(out, h.code(id));
  out += R"(,"name":)";
  AppendJsonString(out, h.name(id));
  out += R"(,"level":)";
  AppendJsonString(out, h.levels()[h.level(id)].name);
  out += R"(,"parent":)";
  if (h.parent_code(id).empty()) {
    out += "null";
  } else {
    AppendJsonString(out, h.parent_code(id));
  }
  const auto names = h.attribute_names(h.level(id));
  for (size_t a = 0; a < names.size(); ++a) {
    out += ',';
    AppendJsonString(out, names[a]);
    out += ':';
    AppendJsonString(out, h.attribute(id, a));
  }
  out += "}}";
}

Status CheckFormat(const HttpRequest& request) {
  const auto format = request.Query("f");
  if (format && *format != "json" && *format != "geojson") {
    return Status::InvalidArgument("f must be json or geojson");
  }
  return Status::Ok();
}

}  // namespace

Reply HandleCollections(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"f"}); !s.ok()) return ErrorReply(s);
  if (Status s = CheckFormat(request); !s.ok()) return ErrorReply(s);
  const std::shared_ptr<const Snapshot> snapshot = context.live->Get();
  nlohmann::json collections = nlohmann::json::array();
  for (size_t l = 0; l < snapshot->hierarchy().level_count(); ++l) {
    collections.push_back(CollectionJson(*snapshot, l, request.base_url));
  }
  const nlohmann::json body = {
      {"links",
       {Link(request.base_url + "/collections", "self", "application/json", "The collections")}},
      {"collections", collections}};
  Reply reply;
  reply.body = DumpJson(body);
  return reply;
}

Reply HandleCollection(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"f"}); !s.ok()) return ErrorReply(s);
  if (Status s = CheckFormat(request); !s.ok()) return ErrorReply(s);
  const std::shared_ptr<const Snapshot> snapshot = context.live->Get();
  Result<size_t> level = FindLevel(snapshot->hierarchy(), request.path_params[0]);
  if (!level.ok()) return ErrorReply(level.status());
  Reply reply;
  reply.body = DumpJson(CollectionJson(*snapshot, *level, request.base_url));
  return reply;
}

Reply HandleItems(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"bbox", "limit", "offset", "f"}); !s.ok()) {
    return ErrorReply(s);
  }
  if (Status s = CheckFormat(request); !s.ok()) return ErrorReply(s);
  std::shared_ptr<const Snapshot> snapshot = context.live->Get();
  const Hierarchy& h = snapshot->hierarchy();
  Result<size_t> level = FindLevel(h, request.path_params[0]);
  if (!level.ok()) return ErrorReply(level.status());
  const ServerOptions& options = context.options;
  Result<size_t> limit =
      OptionalCount(request, "limit", options.items_default_limit, 1, options.items_max_limit);
  if (!limit.ok()) return ErrorReply(limit.status());
  Result<size_t> offset = OptionalCount(request, "offset", 0, 0, SIZE_MAX);
  if (!offset.ok()) return ErrorReply(offset.status());
  std::optional<Box> bbox;
  if (const auto text = request.Query("bbox")) {
    Result<Box> parsed = ParseBbox(*text);
    if (!parsed.ok()) return ErrorReply(parsed.status());
    bbox = *parsed;
  }

  // The matching regions, ascending: either all of the level or those meeting the bbox.
  auto ids = std::make_shared<std::vector<RegionId>>();
  const RegionRange range = h.regions(*level);
  size_t matched = range.size();
  if (bbox) {
    *ids = snapshot->RegionsIntersecting(*level, *bbox);
    matched = ids->size();
  }
  const size_t first = std::min(*offset, matched);
  const size_t last = first + std::min(*limit, matched - first);

  const std::string collection =
      request.base_url + "/collections/" + UrlEncode(h.levels()[*level].name);
  auto page_href = [&](size_t page_offset) {
    std::string href = collection + "/items?limit=" + std::to_string(*limit);
    if (page_offset > 0) href += "&offset=" + std::to_string(page_offset);
    if (bbox) {
      std::string box;
      for (double v : {bbox->min_x, bbox->min_y, bbox->max_x, bbox->max_y}) {
        if (!box.empty()) box += ',';
        AppendJsonNumber(box, v);
      }
      href += "&bbox=" + box;
    }
    return href;
  };
  nlohmann::json links = {Link(page_href(first), "self", "application/geo+json", "This page"),
                          Link(collection, "collection", "application/json", "The collection")};
  if (last < matched) {
    links.push_back(Link(page_href(last), "next", "application/geo+json", "Next page"));
  }
  if (first > 0) {
    links.push_back(Link(page_href(first > *limit ? first - *limit : 0), "prev",
                         "application/geo+json", "Previous page"));
  }

  Reply reply;
  reply.content_type = "application/geo+json";
  reply.body = R"({"type":"FeatureCollection","numberMatched":)";
  AppendJsonInt(reply.body, static_cast<int64_t>(matched));
  reply.body += R"(,"numberReturned":)";
  AppendJsonInt(reply.body, static_cast<int64_t>(last - first));
  reply.body += R"(,"timeStamp":)";
  AppendJsonString(reply.body, UtcTimestamp());
  reply.body += R"(,"links":)";
  reply.body += DumpJson(links);
  reply.body += R"(,"features":[)";
  if (first == last) {
    reply.body += "]}";
    return reply;
  }
  reply.producer = [snapshot, ids, bbox_used = bbox.has_value(), range, first, next = first,
                    last](std::string& out) mutable {
    const Hierarchy& hierarchy = snapshot->hierarchy();
    const size_t end = std::min(last, next + kFeaturesPerPiece);
    for (size_t i = next; i < end; ++i) {
      if (i > first) out += ',';
      AppendFeature(out, hierarchy, bbox_used ? (*ids)[i] : range.first + static_cast<RegionId>(i));
    }
    next = end;
    if (next < last) return true;
    out += "]}";
    return false;
  };
  return reply;
}

Reply HandleItem(const Context& context, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"f"}); !s.ok()) return ErrorReply(s);
  if (Status s = CheckFormat(request); !s.ok()) return ErrorReply(s);
  const std::shared_ptr<const Snapshot> snapshot = context.live->Get();
  const Hierarchy& h = snapshot->hierarchy();
  Result<size_t> level = FindLevel(h, request.path_params[0]);
  if (!level.ok()) return ErrorReply(level.status());
  const std::string& code = request.path_params[1];
  const RegionId id = h.Find(code);
  if (id == kNoRegion || h.level(id) != *level) {
    return ErrorReply(Status::NotFound("no region \"" + code.substr(0, 64) + "\" in collection " +
                                       h.levels()[*level].name));
  }
  const std::string collection =
      request.base_url + "/collections/" + UrlEncode(h.levels()[*level].name);
  Reply reply;
  reply.content_type = "application/geo+json";
  AppendFeature(reply.body, h, id);
  reply.body.pop_back();  // reopen the feature to add its links
  reply.body += R"(,"links":)";
  reply.body += DumpJson(nlohmann::json::array(
      {Link(collection + "/items/" + UrlEncode(code), "self", "application/geo+json",
            "This feature"),
       Link(collection, "collection", "application/json", "The collection")}));
  reply.body += '}';
  return reply;
}

}  // namespace wangge::server
