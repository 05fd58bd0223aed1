#include "wangge/coverage/report_format.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "wangge/geometry/geojson.h"

namespace wangge {
namespace {

using nlohmann::json;

json GeometryJson(const DefectGeometry& g) {
  std::vector<json> parts;
  if (!g.polygons.empty()) parts.push_back(GeoJsonMultiPolygon(g.polygons.view()));
  if (!g.lines.empty()) {
    json lines = json::array();
    for (const auto& line : g.lines) lines.push_back(GeoJsonPositions(line));
    parts.push_back({{"type", "MultiLineString"}, {"coordinates", std::move(lines)}});
  }
  if (!g.points.empty()) {
    parts.push_back({{"type", "MultiPoint"}, {"coordinates", GeoJsonPositions(g.points)}});
  }
  if (parts.empty()) return nullptr;
  if (parts.size() == 1) return parts[0];
  return {{"type", "GeometryCollection"}, {"geometries", parts}};
}

std::string LevelName(const CoverageReport& report, uint32_t level) {
  return level < report.levels.size() ? report.levels[level].name : std::to_string(level);
}

json OptionalNumber(const std::optional<double>& v) {
  if (v) return *v;
  return nullptr;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

std::string FormatReportJson(const CoverageReport& report) {
  json levels = json::array();
  const auto counts = report.CountByLevelAndKind();
  for (size_t l = 0; l < report.levels.size(); ++l) {
    const LevelCoverage& level = report.levels[l];
    json by_kind = json::object();
    for (int k = 0; k < kDefectKindCount; ++k) {
      if (counts[l][static_cast<size_t>(k)] > 0) {
        by_kind[std::string(DefectKindName(static_cast<DefectKind>(k)))] =
            counts[l][static_cast<size_t>(k)];
      }
    }
    levels.push_back({{"name", level.name},
                      {"label", level.label},
                      {"regions", level.region_count},
                      {"groups", level.group_count},
                      {"dirty_groups", level.dirty_group_count},
                      {"segments", level.segment_count},
                      {"residual_segments", level.residual_segment_count},
                      {"validity_cache_hits", level.validity_cache_hits},
                      {"seamless", level.seamless},
                      {"defects", std::move(by_kind)}});
  }
  json defects = json::array();
  for (const Defect& d : report.defects) {
    defects.push_back({{"kind", DefectKindName(d.kind)},
                       {"severity", SeverityName(d.severity)},
                       {"level", LevelName(report, d.level)},
                       {"level_index", d.level},
                       {"parent", d.parent},
                       {"codes", d.codes},
                       {"area_m2", d.area_m2},
                       {"width_m", OptionalNumber(d.width_m)},
                       {"reason", d.reason},
                       {"message", d.message},
                       {"fix", d.fix},
                       {"geometry", GeometryJson(d.geometry)}});
  }
  json out = {{"schema", "wangge.coverage-report/1"},
              {"clean", report.clean()},
              {"counts",
               {{"error", report.count(Severity::kError)},
                {"sliver", report.count(Severity::kSliver)},
                {"warning", report.count(Severity::kWarning)}}},
              {"levels", std::move(levels)},
              {"defects", std::move(defects)}};
  return out.dump(1) + "\n";
}

std::string FormatReportGeoJson(const CoverageReport& report) {
  json features = json::array();
  for (const Defect& d : report.defects) {
    features.push_back({{"type", "Feature"},
                        {"geometry", GeometryJson(d.geometry)},
                        {"properties",
                         {{"kind", DefectKindName(d.kind)},
                          {"severity", SeverityName(d.severity)},
                          {"level", LevelName(report, d.level)},
                          {"parent", d.parent},
                          {"codes", d.codes},
                          {"area_m2", d.area_m2},
                          {"width_m", OptionalNumber(d.width_m)},
                          {"message", d.message},
                          {"fix", d.fix}}}});
  }
  json out = {{"type", "FeatureCollection"}, {"features", std::move(features)}};
  return out.dump() + "\n";
}

std::string FormatReportText(const CoverageReport& report, size_t max_listed) {
  std::string out;
  char line[512];
  const size_t errors = report.count(Severity::kError);
  const size_t slivers = report.count(Severity::kSliver);
  const size_t warnings = report.count(Severity::kWarning);
  std::snprintf(line, sizeof line, "coverage: %zu errors, %zu slivers, %zu warnings — %s\n\n",
                errors, slivers, warnings,
                report.clean() ? "seamless (无缝覆盖)" : "NOT seamless (存在缺陷)");
  out += line;
  out += "level        regions   groups   dirty  seamless\n";
  for (const LevelCoverage& level : report.levels) {
    std::snprintf(line, sizeof line, "%-10s %9zu %8zu %7zu  %s\n", level.name.c_str(),
                  level.region_count, level.group_count, level.dirty_group_count,
                  level.seamless ? "yes" : "no");
    out += line;
  }
  // Counts by level and kind, worst first: severity, then count.
  std::map<std::tuple<Severity, uint32_t, DefectKind>, std::pair<size_t, double>> counts;
  for (const Defect& d : report.defects) {
    auto& entry = counts[{d.severity, d.level, d.kind}];
    ++entry.first;
    entry.second += d.area_m2;
  }
  if (!counts.empty()) {
    std::vector<std::pair<std::tuple<Severity, uint32_t, DefectKind>, std::pair<size_t, double>>>
        rows(counts.begin(), counts.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      if (std::get<0>(a.first) != std::get<0>(b.first)) {
        return std::get<0>(a.first) < std::get<0>(b.first);
      }
      return a.second.first > b.second.first;
    });
    out += "\nseverity  level      kind                    count       area m²\n";
    for (const auto& [key, value] : rows) {
      const auto& [severity, level, kind] = key;
      std::snprintf(line, sizeof line, "%-9s %-10s %-22s %6zu  %12.2f\n",
                    std::string(SeverityName(severity)).c_str(), LevelName(report, level).c_str(),
                    std::string(DefectKindName(kind)).c_str(), value.first, value.second);
      out += line;
    }
  }
  if (max_listed > 0 && !report.defects.empty()) {
    out += "\nworst defects:\n";
    // Worst first: severity, then area.
    std::vector<const Defect*> listed;
    for (const Defect& d : report.defects) listed.push_back(&d);
    std::stable_sort(listed.begin(), listed.end(), [](const Defect* a, const Defect* b) {
      if (a->severity != b->severity) return a->severity < b->severity;
      return a->area_m2 > b->area_m2;
    });
    for (size_t i = 0; i < listed.size() && i < max_listed; ++i) {
      const Defect& d = *listed[i];
      out += "  [" + Pad(std::string(SeverityName(d.severity)) + "]", 8) + " " +
             Pad(LevelName(report, d.level), 10) + " " +
             Pad(std::string(DefectKindName(d.kind)), 22) + " " + d.message + "\n";
      if (!d.fix.empty()) out += "             fix: " + d.fix + "\n";
    }
    if (listed.size() > max_listed) {
      out += "  … and " + std::to_string(listed.size() - max_listed) + " more\n";
    }
  }
  return out;
}

}  // namespace wangge
