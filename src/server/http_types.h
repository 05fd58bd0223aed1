// The server's own view of an HTTP exchange: a parsed request handed to a route handler and the
// Reply it returns. Handlers never see Pistache; src/server/http_handler.cc is the only file that
// translates between the two, so the HTTP library stays out of everything else (and out of most
// compile units: Pistache headers are slow to compile).
//
//   Reply HandleHealthz(const Context&, const HttpRequest&) {
//     return JsonReply(200, R"({"status":"ok"})");
//   }
//
// Thread safety: plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wangge::server {

enum class HttpMethod : uint8_t { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
inline constexpr size_t kHttpMethodCount = 8;

// Returns "GET", "POST", ...; "OTHER" for kOther.
std::string_view HttpMethodName(HttpMethod method);

struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  // The request target's path as sent, without the query string (not percent-decoded).
  std::string_view path;
  // The route's {name} segments, percent-decoded, in the order the route template names them.
  std::vector<std::string> path_params;
  // Query parameters, percent-decoded ('+' is a space).
  std::vector<std::pair<std::string, std::string>> query;
  // Request headers with lower-case names.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
  // "http://host:port" the client addressed (or the configured public URL), for absolute links.
  std::string base_url;
  // The API key's name, empty when anonymous (filled by the authorisation layer in Dispatch);
  // write endpoints record it as the author of drafts, versions and audit records.
  std::string principal;

  // Returns the value of query parameter `name`, if present.
  std::optional<std::string_view> Query(std::string_view name) const;
  // Returns the value of header `lower_name`, if present.
  std::optional<std::string_view> Header(std::string_view lower_name) const;
  // Returns the Content-Type without parameters, in lower case ("" when absent).
  std::string MediaType() const;
};

// What a handler answers. The transport adds CORS, Connection, Content-Encoding and Vary.
struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Extra response headers, e.g. {"Allow", "GET, OPTIONS"}.
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is `body` followed by pieces this returns one at a time (sent with chunked
  // transfer encoding, so a large answer is never held whole): each call appends the next piece
  // to `out` and returns false once there is nothing more. It runs before the handler's request
  // ends, so it may refer to the request's body.
  std::function<bool(std::string& out)> producer;
};

}  // namespace wangge::server
