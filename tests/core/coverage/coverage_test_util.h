// Test helpers for the coverage and topology tests: hierarchies from WKT written in a small local
// grid (1 unit = 1e-4 degree, about 10 m, near Putian at 119°E 25°N), and defect lookups.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "support/test_support.h"
#include "wangge/coverage/coverage_report.h"
#include "wangge/geometry/measure.h"
#include "wangge/hierarchy/hierarchy.h"
#include "wangge/hierarchy/hierarchy_builder.h"

namespace wangge::testing {

inline constexpr double kOriginX = 119.0;
inline constexpr double kOriginY = 25.0;
inline constexpr double kStep = 1e-4;

// Parses WKT in local grid units and maps it to lon/lat. Equal inputs give bitwise equal outputs.
inline MultiPolygon Local(std::string_view wkt) {
  MultiPolygon m = Wkt(wkt);
  for (Point& p : m.mutable_points()) p = {kOriginX + p.x * kStep, kOriginY + p.y * kStep};
  return m;
}

inline double LocalAreaM2(std::string_view wkt) { return AreaM2(Local(wkt).view()); }

struct RegionSpec {
  size_t level = 0;
  std::string code;
  std::string parent;
  std::string wkt;  // local grid units
  std::vector<std::string> attributes = {};
};

inline std::vector<Level> GridAndUnit() { return {{"grid", "网格"}, {"unit", "单元"}}; }

inline Hierarchy MakeHierarchy(const std::vector<RegionSpec>& specs,
                               std::vector<Level> levels = GridAndUnit(),
                               std::vector<std::vector<std::string>> attribute_names = {}) {
  HierarchyBuilder b(std::move(levels));
  for (size_t l = 0; l < attribute_names.size(); ++l) b.SetAttributeNames(l, attribute_names[l]);
  for (const RegionSpec& s : specs) {
    b.Add({.level = s.level, .code = s.code, .parent = s.parent, .name = s.code,
           .attributes = s.attributes, .geometry = Local(s.wkt)});
  }
  return std::move(b).Build(nullptr);
}

inline std::vector<const Defect*> OfKind(const CoverageReport& report, DefectKind kind) {
  std::vector<const Defect*> out;
  for (const Defect& d : report.defects) {
    if (d.kind == kind) out.push_back(&d);
  }
  return out;
}

// Returns "kind:codes;..." for all defects, for readable failure messages.
inline std::string Describe(const CoverageReport& report) {
  std::string out;
  for (const Defect& d : report.defects) {
    out += std::string(DefectKindName(d.kind)) + "(" + std::string(SeverityName(d.severity)) + ")[";
    for (const std::string& c : d.codes) out += c + " ";
    out += "] " + d.message + "\n";
  }
  return out;
}

}  // namespace wangge::testing
