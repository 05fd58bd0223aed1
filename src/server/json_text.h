// Writing JSON text fast and safely: the hot paths (locate answers, GeoJSON features) append to a
// std::string directly instead of building a DOM; everything else uses nlohmann::json through
// DumpJson. Text from clients (paths, ids) may be invalid UTF-8; it is never passed through
// unchecked: invalid bytes become U+FFFD.
//
//   std::string out = "{\"code\":";
//   AppendJsonString(out, hierarchy.code(id));
//   AppendJsonNumber(out, 119.0076);
//
// Thread safety: reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace wangge::server {

// Appends `text` as a JSON string literal (quotes included).
void AppendJsonString(std::string& out, std::string_view text);

// Appends the shortest decimal that reads back as `value`; non-finite values as null.
void AppendJsonNumber(std::string& out, double value);

void AppendJsonInt(std::string& out, int64_t value);

// Returns `value` serialised compactly; invalid UTF-8 in strings becomes U+FFFD instead of
// throwing.
std::string DumpJson(const nlohmann::json& value);

// Returns true if `text` is valid UTF-8.
bool IsValidUtf8(std::string_view text);

}  // namespace wangge::server
