// ParseDouble: std::from_chars for doubles (general format), faster on the coordinates batches
// are made of. A plain decimal — optional '-', digits, optional '.' and digits, at most 19
// significant digits whose integer value m is below 2^53, at most 22 of them after the point — is
// m / 10^k, both exact doubles, so one correctly rounded division gives the correctly rounded
// value (Clinger's fast path), bit for bit what from_chars returns. Anything else (exponents, long
// mantissas, "inf", "nan") goes to from_chars. Same result, same `ptr` and `ec`.
//
//   double lon;
//   auto [end, ec] = ParseDouble(text.data(), text.data() + text.size(), lon);
//
// Thread safety: reentrant.
#pragma once

#include <charconv>

namespace wangge {

std::from_chars_result ParseDouble(const char* first, const char* last, double& value);

}  // namespace wangge
