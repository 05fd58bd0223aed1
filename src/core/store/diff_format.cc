#include "wangge/store/diff_format.h"

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "wangge/geometry/geojson.h"

namespace wangge {
namespace {

using nlohmann::json;

json ChangeJson(const RegionChange& c) {
  return {{"kind", ChangeKindName(c.kind)},
          {"level", c.level},
          {"code", c.code},
          {"before_code", c.before_code},
          {"name", c.name},
          {"before_name", c.before_name},
          {"parent", c.parent},
          {"before_parent", c.before_parent},
          {"name_changed", c.name_changed},
          {"parent_changed", c.parent_changed},
          {"attributes_changed", c.attributes_changed},
          {"area_before_m2", c.area_before_m2},
          {"area_after_m2", c.area_after_m2},
          {"changed_area_m2", c.changed_area_m2},
          {"note", c.note}};
}

json LevelsJson(const PointImpact& p) {
  json levels = json::array();
  for (const LevelCodeChange& l : p.levels) {
    levels.push_back({{"level", l.level}, {"before", l.before}, {"after", l.after}});
  }
  return levels;
}

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string FormatDiffJson(const VersionDiff& diff) {
  json levels = json::array();
  for (const LevelDiff& l : diff.levels) {
    levels.push_back({{"level", l.level},
                      {"before_count", l.before_count},
                      {"after_count", l.after_count},
                      {"removed", l.removed},
                      {"added", l.added},
                      {"renamed", l.renamed},
                      {"reshaped", l.reshaped},
                      {"modified", l.modified},
                      {"unchanged", l.unchanged}});
  }
  json changes = json::array();
  for (const RegionChange& c : diff.changes) changes.push_back(ChangeJson(c));
  json points = json::array();
  for (const PointImpact& p : diff.points) {
    points.push_back({{"id", p.id},
                      {"lon", p.point.x},
                      {"lat", p.point.y},
                      {"before_status", LocateStatusName(p.before_status)},
                      {"after_status", LocateStatusName(p.after_status)},
                      {"levels", LevelsJson(p)}});
  }
  return Dump({{"schema", "wangge.version-diff/1"},
               {"identical", diff.empty()},
               {"levels", std::move(levels)},
               {"changes", std::move(changes)},
               {"points_checked", diff.points_checked},
               {"points", std::move(points)}});
}

std::string FormatDiffGeoJson(const VersionDiff& diff) {
  json features = json::array();
  for (const RegionChange& c : diff.changes) {
    features.push_back(
        {{"type", "Feature"},
         {"geometry",
          c.changed.view().empty() ? json(nullptr) : GeoJsonMultiPolygon(c.changed.view())},
         {"properties", ChangeJson(c)}});
  }
  for (const PointImpact& p : diff.points) {
    features.push_back({{"type", "Feature"},
                        {"geometry", {{"type", "Point"}, {"coordinates", {p.point.x, p.point.y}}}},
                        {"properties",
                         {{"kind", "point"},
                          {"id", p.id},
                          {"before_status", LocateStatusName(p.before_status)},
                          {"after_status", LocateStatusName(p.after_status)},
                          {"levels", LevelsJson(p)}}}});
  }
  return Dump({{"type", "FeatureCollection"}, {"features", std::move(features)}});
}

std::string FormatDiffText(const VersionDiff& diff, size_t max_listed) {
  std::string out;
  char line[512];
  if (diff.changes.empty()) out += "no region changed\n";
  for (const LevelDiff& l : diff.levels) {
    std::snprintf(line, sizeof line,
                  "%-12s %7zu -> %7zu regions: %zu removed, %zu added, %zu renamed, %zu reshaped, "
                  "%zu modified, %zu unchanged\n",
                  l.level.c_str(), l.before_count, l.after_count, l.removed, l.added, l.renamed,
                  l.reshaped, l.modified, l.unchanged);
    out += line;
  }
  for (size_t i = 0; i < diff.changes.size() && i < max_listed; ++i) {
    const RegionChange& c = diff.changes[i];
    std::string what = std::string(ChangeKindName(c.kind)) + " " + c.level + " " + c.code;
    if (c.kind == ChangeKind::kRenamed) what += " (was " + c.before_code + ")";
    if (c.kind == ChangeKind::kReshaped) {
      std::snprintf(line, sizeof line, ": %.1f m² -> %.1f m², %.1f m² changed", c.area_before_m2,
                    c.area_after_m2, c.changed_area_m2);
      what += line;
    }
    if (c.kind == ChangeKind::kAdded || c.kind == ChangeKind::kRemoved) {
      std::snprintf(line, sizeof line, ": %.1f m²", c.changed_area_m2);
      what += line;
    }
    if (c.name_changed) what += "; name " + c.before_name + " -> " + c.name;
    if (c.parent_changed) what += "; parent " + c.before_parent + " -> " + c.parent;
    if (c.attributes_changed) what += "; attributes changed";
    if (!c.note.empty()) what += "; " + c.note;
    out += "  " + what + "\n";
  }
  if (diff.changes.size() > max_listed) {
    out += "  ... " + std::to_string(diff.changes.size() - max_listed) + " more changes\n";
  }
  if (diff.points_checked > 0) {
    out += std::to_string(diff.points.size()) + " of " + std::to_string(diff.points_checked) +
           " points change region\n";
    for (size_t i = 0; i < diff.points.size() && i < max_listed; ++i) {
      const PointImpact& p = diff.points[i];
      std::string what = "  " + p.id + ":";
      for (const LevelCodeChange& l : p.levels) {
        what += " " + l.level + " " + (l.before.empty() ? "-" : l.before) + " -> " +
                (l.after.empty() ? "-" : l.after) + ";";
      }
      out += what + "\n";
    }
    if (diff.points.size() > max_listed) {
      out += "  ... " + std::to_string(diff.points.size() - max_listed) + " more points\n";
    }
  }
  return out;
}

}  // namespace wangge
