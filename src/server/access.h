// Access control: which requests need which API key (src/server/api_keys.h). Every route method is
// a read or a write; GET and HEAD are reads, and so is a POST that changes nothing (a batch
// locate), declared in the route table. Writes need a key with the planner role; reads need any
// valid key when ServerOptions::read_access is "key", none when it is "open".
//
//   if (std::optional<Reply> denied = Authorize(options, Access::kWrite, request)) return *denied;
//   // request.principal now names the key's owner ("" for an open read without a key)
//
// A key is sent as "Authorization: Bearer <key>" or "X-API-Key: <key>". A request without a needed
// key gets 401 (with WWW-Authenticate), one with an unknown key 401, one whose key lacks the role
// 403; a denied request reaches no handler, so it changes nothing.
//
// Thread safety: reentrant.
#pragma once

#include <cstdint>
#include <optional>

#include "server/http_types.h"
#include "server/server_options.h"

namespace wangge::server {

enum class Access : uint8_t {
  kRead,    // a key when read_access is "key"
  kWrite,   // a planner's key
  kPublic,  // never a key: the probes of load balancers and orchestrators (/healthz, /readyz)
};

// Returns nullopt and sets request.principal when `request` may proceed; else the error reply.
std::optional<Reply> Authorize(const ServerOptions& options, Access access, HttpRequest& request);

}  // namespace wangge::server
