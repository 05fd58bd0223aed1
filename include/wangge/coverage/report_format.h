// Text, JSON and GeoJSON renderings of a CoverageReport (`wangge check --format`, GET /v1/coverage).
// The JSON and GeoJSON layouts are a stable contract documented in docs/coverage-report.md; the
// GeoJSON properties are those DESIGN.md fixes: kind, severity, level, parent, codes, area_m2,
// width_m, message, fix.
//
//   std::cout << FormatReportText(report);
//   WriteFile(path, FormatReportGeoJson(report));
//
// Thread safety: reentrant.
#pragma once

#include <cstddef>
#include <string>

#include "wangge/coverage/coverage_report.h"

namespace wangge {

// Returns a summary for people: counts by level and kind, worst first, then the `max_listed`
// worst defects one per line.
std::string FormatReportText(const CoverageReport& report, size_t max_listed = 20);

// Returns the report as JSON (schema "wangge.coverage-report/1").
std::string FormatReportJson(const CoverageReport& report);

// Returns a GeoJSON FeatureCollection with one feature per defect (geometry null when a defect
// has none), coordinates in lon/lat.
std::string FormatReportGeoJson(const CoverageReport& report);

}  // namespace wangge
