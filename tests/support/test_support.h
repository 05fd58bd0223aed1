// Helpers shared by the tests: inline WKT geometry, the source tree's data, scratch directories.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "wangge/geometry/multi_polygon.h"

namespace wangge::testing {

// Parses WKT or fails the test (fatal: aborts the process with the message).
MultiPolygon Wkt(std::string_view wkt);

// Returns the source tree's root: $WANGGE_SOURCE_DIR if set, else the tree the tests were built from.
std::filesystem::path SourceDir();

// Returns a fresh, empty directory for this test, removed when the test binary's temp root is.
std::filesystem::path ScratchDir();

}  // namespace wangge::testing
