// Helpers of transform.cc used elsewhere in the crs module and by its tests.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "wangge/base/status.h"
#include "wangge/geometry/point.h"

namespace wangge::internal {

// Returns OK if `crs` is a CRS whose first two axes are horizontal (geographic, projected, or a
// compound CRS starting with one); kInvalidArgument naming it otherwise (geocentric, vertical,
// engineering…, or unknown to PROJ).
Status CheckHorizontalCrs(std::string_view crs_text);

// Formats a point for messages: "(x, y)" with 12 significant digits.
std::string FormatPoint(Point p);

// Returns how many transforms the calling thread holds a PROJ clone of (a test hook).
size_t CachedTransformCountInThisThread();

}  // namespace wangge::internal
