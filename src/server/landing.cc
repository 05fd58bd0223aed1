#include <nlohmann/json.hpp>

#include "server/handlers.h"
#include "server/http_status.h"
#include "server/json_text.h"
#include "server/openapi.h"
#include "server/params.h"

namespace wangge::server {
namespace {

nlohmann::json Link(const std::string& href, std::string_view rel, std::string_view type,
                    std::string_view title) {
  return {{"href", href}, {"rel", rel}, {"type", type}, {"title", title}};
}

enum class LandingFormat { kJson, kHtml };

// The one place `/` negotiates its representation: HTML for a client whose Accept header names
// text/html before any JSON type (what browsers send) unless it asks for f=json; else JSON.
LandingFormat NegotiateLanding(const HttpRequest& request) {
  if (request.Query("f")) return LandingFormat::kJson;
  const std::string_view accept = request.Header("accept").value_or("");
  const size_t html = accept.find("text/html");
  if (html == std::string_view::npos) return LandingFormat::kJson;
  const size_t json = accept.find("json");
  return json == std::string_view::npos || html < json ? LandingFormat::kHtml
                                                       : LandingFormat::kJson;
}

Reply JsonLanding(const Context& context, const HttpRequest& request) {
  const std::shared_ptr<const Snapshot> snapshot = context.live->Get();
  const Hierarchy& h = snapshot->hierarchy();
  const std::string& base = request.base_url;
  nlohmann::json levels = nlohmann::json::array();
  for (size_t l = 0; l < h.level_count(); ++l) {
    levels.push_back({{"name", h.levels()[l].name},
                      {"label", h.levels()[l].label},
                      {"regions", h.regions(l).size()}});
  }
  nlohmann::json body = {
      {"title", "wangge"},
      {"description",
       "Community grid boundaries (网格化管理): point location, OGC API - Features, map layers"},
      {"version", snapshot->version},
      {"levels", levels},
      {"links",
       {Link(base + "/", "self", "application/json", "This document"),
        Link(base + "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0",
             "The API definition (JSON)"),
        Link(base + "/api?f=yaml", "service-desc", "application/vnd.oai.openapi;version=3.0",
             "The API definition (YAML)"),
        Link(base + "/conformance", "conformance", "application/json",
             "OGC API conformance classes implemented"),
        Link(base + "/conformance", "http://www.opengis.net/def/rel/ogc/1.0/conformance",
             "application/json", "OGC API conformance classes implemented"),
        Link(base + "/collections", "data", "application/json", "One collection per level"),
        Link(base + "/collections", "http://www.opengis.net/def/rel/ogc/1.0/data",
             "application/json", "One collection per level"),
        Link(base + "/v1/locate", "locate", "application/json",
             "Which region of every level owns a point"),
        Link(base + "/healthz", "service-status", "application/json", "Liveness")}}};
  Reply reply;
  reply.body = DumpJson(body);
  reply.headers.emplace_back("Vary", "Accept");
  return reply;
}

}  // namespace

Reply HandleLanding(const Context& context, const HttpRequest& request) {
  // The page reads its own query parameters (?lng=&lat=&zoom=, ?basemap=).
  if (NegotiateLanding(request) == LandingFormat::kHtml) {
    if (std::optional<Reply> page = WebPageReply(context, request)) return std::move(*page);
  }
  if (Status s = CheckQueryParams(request, {"f"}); !s.ok()) return ErrorReply(s);
  const std::optional<std::string_view> format = request.Query("f");
  if (format && *format != "json") {
    return ErrorReply(Status::InvalidArgument("f must be json"));
  }
  return JsonLanding(context, request);
}

Reply HandleConformance(const Context&, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"f"}); !s.ok()) return ErrorReply(s);
  if (const auto format = request.Query("f"); format && *format != "json") {
    return ErrorReply(Status::InvalidArgument("f must be json"));
  }
  const nlohmann::json body = {
      {"conformsTo",
       {"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"}}};
  Reply reply;
  reply.body = DumpJson(body);
  return reply;
}

Reply HandleApiDocument(const Context&, const HttpRequest& request) {
  if (Status s = CheckQueryParams(request, {"f"}); !s.ok()) return ErrorReply(s);
  const std::string_view format = request.Query("f").value_or("json");
  Reply reply;
  if (format == "yaml") {
    reply.content_type = "application/vnd.oai.openapi;version=3.0";
    reply.body = std::string(OpenApiYaml());
  } else if (format == "json") {
    reply.content_type = "application/vnd.oai.openapi+json;version=3.0";
    reply.body = DumpJson(OpenApiJson());
  } else {
    return ErrorReply(Status::InvalidArgument("f must be json or yaml"));
  }
  return reply;
}

}  // namespace wangge::server
