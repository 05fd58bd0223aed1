// Text, JSON and GeoJSON renderings of a VersionDiff (`wangge diff --format`, the server's draft
// diff). The JSON ("wangge.version-diff/1") and GeoJSON layouts are a stable contract documented
// in docs/versions.md.
//
//   VersionDiff diff = DiffHierarchies(before, after);
//   std::cout << FormatDiffText(diff);
//   WriteFile(path, FormatDiffGeoJson(diff));
//
// Thread safety: reentrant.
#pragma once

#include <cstddef>
#include <string>

#include "wangge/store/version_diff.h"

namespace wangge {

// Returns a summary for people: per level counts, then the first `max_listed` region changes and
// the first `max_listed` points whose region changes.
std::string FormatDiffText(const VersionDiff& diff, size_t max_listed = 20);

// Returns the diff as JSON (schema "wangge.version-diff/1"): counts per level, every region change
// (without geometry) and every point impact.
std::string FormatDiffJson(const VersionDiff& diff);

// Returns a GeoJSON FeatureCollection: one feature per region change (geometry: the changed area;
// null when empty) and one Point feature per point impact; lon/lat.
std::string FormatDiffGeoJson(const VersionDiff& diff);

}  // namespace wangge
