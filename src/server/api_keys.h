// API keys: who may call the server's write endpoints (drafts, publish, rollback) and, when reads
// are keyed, its read endpoints. A key is a random secret the client sends as
// "Authorization: Bearer <key>" (or "X-API-Key: <key>"); the configuration file holds only its
// salted SHA-256, so a leaked config file does not leak keys:
//
//   api_keys:
//     - name: li.planner        # recorded as the author of everything the key writes
//       role: planner           # planner: reads and writes; reader: reads only
//       salt: 5f1c...           # 32 hex digits
//       sha256: 9a0e...         # SHA-256(salt bytes || key), 64 hex digits
//
// `wangge apikey NAME --role planner` makes a new key and prints it with its config entry.
// A presented key is hashed with every entry's salt and compared in constant time, whichever
// entry matches (the time taken tells nothing about the key).
//
// Thread safety: plain values and reentrant functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "wangge/base/result.h"

namespace wangge::server {

enum class ApiRole : uint8_t { kReader, kPlanner };

struct ApiKey {
  std::string name;
  ApiRole role = ApiRole::kReader;
  std::array<uint8_t, 16> salt{};
  std::array<uint8_t, 32> sha256{};
};

// Returns "reader" / "planner"; ParseApiRole is its inverse.
std::string_view ApiRoleName(ApiRole role);
Result<ApiRole> ParseApiRole(std::string_view name);

// Returns the entry `secret` belongs to, or nullopt. Every entry is checked, in constant time each.
std::optional<ApiKey> FindApiKey(std::span<const ApiKey> keys, std::string_view secret);

// A new key: its secret (shown once to its owner) and the entry to configure.
struct NewApiKey {
  std::string secret;  // "wg_" + 43 base64url characters (256 random bits)
  ApiKey entry;
};
// Makes a key from the system's cryptographic random source; fails only if that source fails.
Result<NewApiKey> MakeApiKey(std::string name, ApiRole role);

// Returns the config entry of `key` as YAML (the list item shown in the header comment).
std::string ApiKeyYaml(const ApiKey& key);

// Builds an entry from its config fields; fails naming the field when one is malformed.
Result<ApiKey> ParseApiKey(std::string name, std::string_view role, std::string_view salt_hex,
                           std::string_view sha256_hex);

}  // namespace wangge::server
