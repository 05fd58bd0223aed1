#include "server/routes.h"

#include <algorithm>
#include <exception>
#include <iostream>

#include "server/access.h"
#include "server/handlers.h"
#include "server/http_status.h"

namespace wangge::server {
namespace {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  if (path.empty() || path.front() != '/') return segments;
  size_t start = 1;
  for (;;) {
    const size_t slash = path.find('/', start);
    segments.emplace_back(path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (segments.size() == 1 && segments[0].empty()) segments.clear();  // "/"
  return segments;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = HexDigit(text[i + 1]);
      const int low = HexDigit(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void RouteTable::Add(HttpMethod method, std::string_view pattern, RouteHandler function) {
  const bool reads = method == HttpMethod::kGet || method == HttpMethod::kHead;
  Add(method, pattern, function, reads ? Access::kRead : Access::kWrite);
}

void RouteTable::Add(HttpMethod method, std::string_view pattern, RouteHandler function,
                     Access access) {
  auto it = std::find_if(routes_.begin(), routes_.end(),
                         [&](const Route& route) { return route.pattern == pattern; });
  if (it == routes_.end()) {
    Route route;
    route.pattern = std::string(pattern);
    route.segments = SplitPath(pattern);
    it = routes_.insert(routes_.end(), std::move(route));
  }
  it->handlers[static_cast<size_t>(method)] = function;
  it->access[static_cast<size_t>(method)] = access;
}

void RouteTable::MarkSlow(HttpMethod method, std::string_view pattern,
                          std::string_view only_with_query) {
  for (Route& route : routes_) {
    if (route.pattern != pattern) continue;
    route.slow[static_cast<size_t>(method)] = true;
    route.slow_query[static_cast<size_t>(method)] = std::string(only_with_query);
  }
}

bool RouteTable::IsSlow(size_t route, const HttpRequest& request) const {
  if (route >= routes_.size()) return false;
  const size_t m =
      static_cast<size_t>(request.method == HttpMethod::kHead ? HttpMethod::kGet : request.method);
  if (!routes_[route].slow[m]) return false;
  const std::string& query = routes_[route].slow_query[m];
  return query.empty() || request.Query(query).has_value();
}

std::vector<std::string> RouteTable::labels() const {
  std::vector<std::string> out;
  for (const Route& route : routes_) out.push_back(route.pattern);
  return out;
}

size_t RouteTable::Match(std::string_view path, std::vector<std::string>* params) const {
  params->clear();
  if (path.empty() || path.front() != '/') return kNoRoute;
  const std::vector<std::string> segments = SplitPath(path);
  for (size_t r = 0; r < routes_.size(); ++r) {
    const Route& route = routes_[r];
    if (route.segments.size() != segments.size()) continue;
    params->clear();
    bool matched = true;
    for (size_t i = 0; i < segments.size() && matched; ++i) {
      const std::string& want = route.segments[i];
      const std::string& got = segments[i];
      if (want.empty() || want.front() != '{') {
        matched = want == got;
        continue;
      }
      // "{name}" or "{name}suffix": a non-empty value followed by the literal suffix.
      const std::string_view suffix = std::string_view(want).substr(want.find('}') + 1);
      if (got.size() <= suffix.size() || !std::string_view(got).ends_with(suffix)) {
        matched = false;
        continue;
      }
      std::optional<std::string> value =
          PercentDecode(std::string_view(got).substr(0, got.size() - suffix.size()), false);
      matched = value.has_value() && !value->empty();
      if (matched) params->push_back(std::move(*value));
    }
    if (matched) return r;
  }
  params->clear();
  return kNoRoute;
}

std::string RouteTable::Allow(size_t route) const {
  std::string allow;
  for (size_t m = 0; m < kHttpMethodCount; ++m) {
    const bool head = static_cast<HttpMethod>(m) == HttpMethod::kHead;
    if (!routes_[route].handlers[head ? static_cast<size_t>(HttpMethod::kGet) : m]) continue;
    if (!allow.empty()) allow += ", ";
    allow += HttpMethodName(static_cast<HttpMethod>(m));
  }
  if (!allow.empty()) allow += ", ";
  return allow + "OPTIONS";
}

RouteTable BuildRoutes() {
  RouteTable t;
  // OGC API – Features (and the landing page, where the one-map page will be negotiated).
  t.Add(HttpMethod::kGet, "/", HandleLanding);
  t.Add(HttpMethod::kGet, "/api", HandleApiDocument);
  t.Add(HttpMethod::kGet, "/conformance", HandleConformance);
  t.Add(HttpMethod::kGet, "/collections", HandleCollections);
  t.Add(HttpMethod::kGet, "/collections/{level}", HandleCollection);
  t.Add(HttpMethod::kGet, "/collections/{level}/items", HandleItems);
  t.Add(HttpMethod::kGet, "/collections/{level}/items/{code}", HandleItem);
  // Point location and regions.
  t.Add(HttpMethod::kGet, "/v1/locate", HandleLocateGet);
  t.Add(HttpMethod::kPost, "/v1/locate", HandleLocatePost, Access::kRead);
  t.Add(HttpMethod::kGet, "/v1/regions/{code}", HandleRegion);
  t.Add(HttpMethod::kGet, "/v1/coverage", HandleCoverage);
  // Map layers and the one-map page (issue 6).
  t.Add(HttpMethod::kGet, "/tiles/{z}/{x}/{y}.mvt", HandleTile);
  t.Add(HttpMethod::kGet, "/tiles.json", HandleTileJson);
  t.Add(HttpMethod::kGet, "/style.json", HandleStyle);
  t.Add(HttpMethod::kGet, "/fonts/{fontstack}/{range}.pbf", HandleGlyphs);
  t.Add(HttpMethod::kGet, "/web/{file}", HandleWebFile);
  t.Add(HttpMethod::kGet, "/web/maplibre/{file}", HandleMaplibreFile);
  t.Add(HttpMethod::kGet, "/web/fonts/{file}", HandleWebFontFile);
  // Drafts and versions (issue 7).
  t.Add(HttpMethod::kGet, "/v1/drafts", HandleDraftList);
  t.Add(HttpMethod::kPost, "/v1/drafts", HandleDraftCreate);
  t.Add(HttpMethod::kGet, "/v1/drafts/{id}", HandleDraftGet);
  t.Add(HttpMethod::kDelete, "/v1/drafts/{id}", HandleDraftDelete);
  t.Add(HttpMethod::kGet, "/v1/drafts/{id}/coverage", HandleDraftCoverage);
  t.Add(HttpMethod::kGet, "/v1/drafts/{id}/diff", HandleDraftDiff);
  t.Add(HttpMethod::kPost, "/v1/drafts/{id}/impact", HandleDraftImpact, Access::kRead);
  t.Add(HttpMethod::kPost, "/v1/drafts/{id}/publish", HandleDraftPublish);
  t.Add(HttpMethod::kGet, "/v1/versions", HandleVersionList);
  t.Add(HttpMethod::kGet, "/v1/versions/{id}", HandleVersionGet);
  t.Add(HttpMethod::kPost, "/v1/versions/{id}/rollback", HandleVersionRollback);
  // Operations.
  t.Add(HttpMethod::kGet, "/healthz", HandleHealthz, Access::kPublic);
  t.Add(HttpMethod::kGet, "/readyz", HandleReadyz, Access::kPublic);
  t.Add(HttpMethod::kGet, "/metrics", HandleMetrics);
  // Seconds of work (loading and checking a dataset, building an as-of snapshot on a cache miss):
  // answered off the reactor threads.
  t.MarkSlow(HttpMethod::kPost, "/v1/drafts");
  t.MarkSlow(HttpMethod::kGet, "/v1/drafts/{id}/coverage");
  t.MarkSlow(HttpMethod::kGet, "/v1/drafts/{id}/diff");
  t.MarkSlow(HttpMethod::kPost, "/v1/drafts/{id}/impact");
  t.MarkSlow(HttpMethod::kGet, "/v1/locate", "at");
  t.MarkSlow(HttpMethod::kPost, "/v1/locate", "at");
  return t;
}

Reply Dispatch(const RouteTable& routes, const Context& context, HttpRequest& request,
               size_t* route) {
  *route = MatchRoute(routes, request);
  return DispatchMatched(routes, context, request, *route);
}

size_t MatchRoute(const RouteTable& routes, HttpRequest& request) {
  return routes.Match(request.path, &request.path_params);
}

Reply DispatchMatched(const RouteTable& routes, const Context& context, HttpRequest& request,
                      size_t route) {
  if (route == RouteTable::kNoRoute) {
    return ErrorReply(Status::NotFound("no route for " + std::string(request.path)));
  }
  if (request.method == HttpMethod::kOptions) {
    // CORS preflight (and plain OPTIONS): what the path allows.
    Reply reply;
    reply.status = 204;
    reply.content_type.clear();
    const std::string allow = routes.Allow(route);
    reply.headers = {{"Allow", allow},
                     {"Access-Control-Allow-Methods", allow},
                     {"Access-Control-Allow-Headers",
                      "Content-Type, Accept, Accept-Encoding, Authorization, X-API-Key"},
                     {"Access-Control-Max-Age", "86400"}};
    return reply;
  }
  // HEAD is answered by the GET handler; the transport sends the head without the body.
  const RouteHandler handler = routes.handler(
      route, request.method == HttpMethod::kHead ? HttpMethod::kGet : request.method);
  if (!handler) {
    Reply reply =
        ErrorReply(HttpError::kMethodNotAllowed, std::string(HttpMethodName(request.method)) +
                                                     " is not allowed on " + routes.label(route));
    reply.headers.emplace_back("Allow", routes.Allow(route));
    return reply;
  }
  const Access access =
      routes.access(route, request.method == HttpMethod::kHead ? HttpMethod::kGet : request.method);
  if (std::optional<Reply> denied = Authorize(context.options, access, request)) {
    if (access == Access::kWrite && context.publisher != nullptr) {
      // Refused writes are audited too; a failing audit log must not turn a 401 into a 500.
      (void)context.publisher->store().Audit(
          "denied", {.author = request.principal, .message = std::string(request.path)},
          std::to_string(denied->status), HttpMethodName(request.method));
    }
    return *denied;
  }
  try {
    return handler(context, request);
  } catch (const std::exception& e) {
    return ErrorReply(Status::Internal(std::string("handler for ") + routes.label(route) +
                                       " threw: " + e.what()));
  }
}

}  // namespace wangge::server
