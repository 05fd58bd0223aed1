#include "server/routes.h"

#include <exception>
#include <iostream>

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
  for (Route& route : routes_) {
    if (route.pattern == pattern) {
      route.handlers[static_cast<size_t>(method)] = function;
      return;
    }
  }
  Route route;
  route.pattern = std::string(pattern);
  route.segments = SplitPath(pattern);
  route.handlers[static_cast<size_t>(method)] = function;
  routes_.push_back(std::move(route));
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
  t.Add(HttpMethod::kPost, "/v1/locate", HandleLocatePost);
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
  // Operations.
  t.Add(HttpMethod::kGet, "/healthz", HandleHealthz);
  t.Add(HttpMethod::kGet, "/readyz", HandleReadyz);
  t.Add(HttpMethod::kGet, "/metrics", HandleMetrics);
  return t;
}

Reply Dispatch(const RouteTable& routes, const Context& context, HttpRequest& request,
               size_t* route) {
  *route = routes.Match(request.path, &request.path_params);
  if (*route == RouteTable::kNoRoute) {
    return ErrorReply(Status::NotFound("no route for " + std::string(request.path)));
  }
  if (request.method == HttpMethod::kOptions) {
    // CORS preflight (and plain OPTIONS): what the path allows.
    Reply reply;
    reply.status = 204;
    reply.content_type.clear();
    const std::string allow = routes.Allow(*route);
    reply.headers = {{"Allow", allow},
                     {"Access-Control-Allow-Methods", allow},
                     {"Access-Control-Allow-Headers", "Content-Type, Accept, Accept-Encoding"},
                     {"Access-Control-Max-Age", "86400"}};
    return reply;
  }
  // HEAD is answered by the GET handler; the transport sends the head without the body.
  const RouteHandler handler = routes.handler(
      *route, request.method == HttpMethod::kHead ? HttpMethod::kGet : request.method);
  if (!handler) {
    Reply reply =
        ErrorReply(HttpError::kMethodNotAllowed, std::string(HttpMethodName(request.method)) +
                                                     " is not allowed on " + routes.label(*route));
    reply.headers.emplace_back("Allow", routes.Allow(*route));
    return reply;
  }
  try {
    return handler(context, request);
  } catch (const std::exception& e) {
    return ErrorReply(Status::Internal(std::string("handler for ") + routes.label(*route) +
                                       " threw: " + e.what()));
  }
}

}  // namespace wangge::server
