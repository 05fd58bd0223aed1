#include "server/access.h"

#include <string>

#include "server/http_status.h"

namespace wangge::server {
namespace {

// Returns the key the request presents, if any.
std::optional<std::string_view> PresentedKey(const HttpRequest& request) {
  if (std::optional<std::string_view> key = request.Header("x-api-key")) return key;
  std::optional<std::string_view> authorization = request.Header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!authorization || authorization->size() <= kBearer.size()) return std::nullopt;
  for (size_t i = 0; i < kBearer.size(); ++i) {  // the scheme is case-insensitive
    if (std::tolower(static_cast<unsigned char>((*authorization)[i])) !=
        std::tolower(static_cast<unsigned char>(kBearer[i]))) {
      return std::nullopt;
    }
  }
  return authorization->substr(kBearer.size());
}

Reply Unauthorized(std::string_view message) {
  Reply reply = ErrorReply(HttpError::kUnauthorized, message);
  reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"wangge\"");
  return reply;
}

}  // namespace

std::optional<Reply> Authorize(const ServerOptions& options, Access access, HttpRequest& request) {
  if (access == Access::kPublic) return std::nullopt;
  const bool needs_key = access == Access::kWrite || options.read_access == "key";
  const std::optional<std::string_view> secret = PresentedKey(request);
  if (!secret) {
    if (!needs_key) return std::nullopt;
    return Unauthorized(access == Access::kWrite
                            ? "this request changes data: send a planner's API key "
                              "(Authorization: Bearer <key>)"
                            : "this server needs an API key for reads "
                              "(Authorization: Bearer <key>)");
  }
  const std::optional<ApiKey> key = FindApiKey(options.api_keys, *secret);
  if (!key) return Unauthorized("the API key is not valid");
  if (access == Access::kWrite && key->role != ApiRole::kPlanner) {
    return ErrorReply(HttpError::kForbidden, "the API key of \"" + key->name +
                                                 "\" may read but not write (role " +
                                                 std::string(ApiRoleName(key->role)) + ")");
  }
  request.principal = key->name;
  return std::nullopt;
}

}  // namespace wangge::server
