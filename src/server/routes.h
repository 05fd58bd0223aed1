// The route table of the HTTP API (api/openapi.yaml): path templates such as
// "/collections/{level}/items/{code}" mapped, per method, to handler functions; and Dispatch, which
// answers every request: 404 for an unknown path, 405 (with Allow) for a known path and another
// method, a CORS preflight for OPTIONS, the GET handler's reply for HEAD (sent without its
// body), 401/403 for a request without the API key its access needs, else the handler's reply.
//
//   RouteTable routes = BuildRoutes();
//   Reply reply = Dispatch(routes, context, request, &route);   // route: for metrics
//
// Thread safety: a built table is immutable; Dispatch may run on any number of threads.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "server/access.h"
#include "server/context.h"
#include "server/http_types.h"

namespace wangge::server {

using RouteHandler = Reply (*)(const Context& context, const HttpRequest& request);

class RouteTable {
 public:
  static constexpr size_t kNoRoute = static_cast<size_t>(-1);

  // Adds `handler` for `method` on `pattern`: segments separated by '/', a segment "{name}"
  // matches any one non-empty segment. Adding a second handler for the same pair replaces it.
  // GET and HEAD are reads, every other method a write (src/server/access.h), unless `access`
  // says otherwise (a POST that changes nothing, such as a batch locate).
  void Add(HttpMethod method, std::string_view pattern, RouteHandler function);
  void Add(HttpMethod method, std::string_view pattern, RouteHandler function, Access access);

  size_t size() const { return routes_.size(); }
  // Returns the templates, in route order (the metrics labels).
  std::vector<std::string> labels() const;
  const std::string& label(size_t route) const { return routes_[route].pattern; }

  // Returns the route matching `path` (kNoRoute if none) and fills `params` with its {name}
  // segments, percent-decoded. A segment with an invalid %-escape matches nothing.
  size_t Match(std::string_view path, std::vector<std::string>* params) const;
  // Returns the handler of `route` for `method`, or nullptr.
  RouteHandler handler(size_t route, HttpMethod method) const {
    return routes_[route].handlers[static_cast<size_t>(method)];
  }
  Access access(size_t route, HttpMethod method) const {
    return routes_[route].access[static_cast<size_t>(method)];
  }
  // Marks `method` on `pattern` (added before) as slow: seconds of work, answered on the server's
  // worker threads so that it does not stall the connections of a reactor thread. With
  // `only_with_query`, only requests carrying that query parameter are (e.g. "at" on locate).
  void MarkSlow(HttpMethod method, std::string_view pattern, std::string_view only_with_query = "");
  // Returns true if `request`, matched to `route`, is slow (HEAD as GET).
  bool IsSlow(size_t route, const HttpRequest& request) const;
  // Returns the methods `route` answers, e.g. "GET, HEAD, POST, OPTIONS" (HEAD wherever GET).
  std::string Allow(size_t route) const;

 private:
  struct Route {
    std::string pattern;
    std::vector<std::string> segments;  // "{...}" for a parameter
    std::array<RouteHandler, kHttpMethodCount> handlers{};
    std::array<Access, kHttpMethodCount> access{};
    std::array<bool, kHttpMethodCount> slow{};
    std::array<std::string, kHttpMethodCount> slow_query;  // "": every request is slow
  };
  std::vector<Route> routes_;
};

// Returns the table of every route the server answers.
RouteTable BuildRoutes();

// Answers `request` (its path_params are filled here) and sets `*route` to the matched route or
// kNoRoute. A handler that throws gets a 500 without detail.
Reply Dispatch(const RouteTable& routes, const Context& context, HttpRequest& request,
               size_t* route);
// Dispatch in two steps, for a caller that decides where the handler runs: MatchRoute finds the
// route (kNoRoute if none) and fills path_params; DispatchMatched does the rest.
size_t MatchRoute(const RouteTable& routes, HttpRequest& request);
Reply DispatchMatched(const RouteTable& routes, const Context& context, HttpRequest& request,
                      size_t route);

// Returns `text` with %XX escapes decoded (and '+' as a space when `plus_is_space`), or nullopt
// for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace wangge::server
