// Reading request parameters strictly: a malformed value is a 400 naming the parameter, an
// unknown parameter is a 400 listing the known ones (so a typo such as `lng=` is reported rather
// than silently ignored), and NaN or infinity is never accepted as a number.
//
//   if (Status s = CheckQueryParams(request, {"lon", "lat", "crs"}); !s.ok()) return ErrorReply(s);
//   Result<double> lon = RequiredNumber(request, "lon");
//
// Thread safety: reentrant.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "server/http_types.h"
#include "wangge/base/result.h"
#include "wangge/geometry/box.h"

namespace wangge::server {

// Fails with kInvalidArgument if `request` has a query parameter not in `allowed`.
Status CheckQueryParams(const HttpRequest& request,
                        std::initializer_list<std::string_view> allowed);

// Parses `text` as a finite decimal number (no NaN, no infinity, nothing after it).
Result<double> ParseNumber(std::string_view name, std::string_view text);

// Returns the finite number in parameter `name`; kInvalidArgument if it is missing or malformed.
Result<double> RequiredNumber(const HttpRequest& request, std::string_view name);

// Returns the integer in parameter `name` (or `fallback` if absent), clamped to `max`; fails if it
// is malformed or below `min`.
Result<size_t> OptionalCount(const HttpRequest& request, std::string_view name, size_t fallback,
                             size_t min, size_t max);

enum class ReportFormat { kJson, kGeoJson };
// Returns the format a report is asked in: parameter f=json|geojson, else GeoJSON when the Accept
// header names application/geo+json, else JSON; kInvalidArgument for another f.
Result<ReportFormat> RequestedReportFormat(const HttpRequest& request);

// Parses an OGC bbox "minLon,minLat,maxLon,maxLat" (or the 6-number 3D form, heights ignored) in
// CRS84 degrees; fails if malformed, out of range, or min > max.
Result<Box> ParseBbox(std::string_view text);

}  // namespace wangge::server
