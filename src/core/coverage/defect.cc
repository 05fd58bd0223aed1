#include "wangge/coverage/defect.h"

#include <array>
#include <charconv>

namespace wangge {
namespace {

constexpr std::array<std::string_view, kDefectKindCount> kKindNames = {
    "invalid_geometry", "empty_geometry",       "duplicate_code",        "missing_parent",
    "code_mismatch",    "overlap",              "gap",                   "outside_parent",
    "t_junction",       "near_coincident_edge", "unmatched_parent_edge", "size_rule"};

void AppendNumber(double v, std::string* out) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  out->append(buffer, ec == std::errc() ? end : buffer);
}

void AppendPoint(const Point& p, std::string* out) {
  AppendNumber(p.x, out);
  out->push_back(' ');
  AppendNumber(p.y, out);
}

void AppendSequence(std::span<const Point> points, std::string* out) {
  out->push_back('(');
  for (size_t i = 0; i < points.size(); ++i) {
    if (i) out->append(", ");
    AppendPoint(points[i], out);
  }
  out->push_back(')');
}

std::string PolygonsWkt(const MultiPolygonView& m) {
  std::string out = "MULTIPOLYGON (";
  for (size_t p = 0; p < m.polygon_count(); ++p) {
    if (p) out.append(", ");
    out.push_back('(');
    const PolygonView polygon = m.polygon(p);
    for (size_t r = 0; r < polygon.ring_count(); ++r) {
      if (r) out.append(", ");
      AppendSequence(polygon.ring(r), &out);
    }
    out.push_back(')');
  }
  out.push_back(')');
  return out;
}

std::string LinesWkt(const std::vector<std::vector<Point>>& lines) {
  std::string out = "MULTILINESTRING (";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out.append(", ");
    AppendSequence(lines[i], &out);
  }
  out.push_back(')');
  return out;
}

std::string PointsWkt(const std::vector<Point>& points) {
  std::string out = "MULTIPOINT (";
  for (size_t i = 0; i < points.size(); ++i) {
    if (i) out.append(", ");
    out.push_back('(');
    AppendPoint(points[i], &out);
    out.push_back(')');
  }
  out.push_back(')');
  return out;
}

}  // namespace

bool IsTopological(DefectKind kind) {
  switch (kind) {
    case DefectKind::kInvalidGeometry:
    case DefectKind::kEmptyGeometry:
    case DefectKind::kOverlap:
    case DefectKind::kGap:
    case DefectKind::kOutsideParent:
    case DefectKind::kTJunction:
    case DefectKind::kNearCoincidentEdge:
    case DefectKind::kUnmatchedParentEdge:
      return true;
    default:
      return false;
  }
}

std::string_view DefectKindName(DefectKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

std::optional<DefectKind> DefectKindFromName(std::string_view name) {
  for (size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<DefectKind>(i);
  }
  return std::nullopt;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kSliver: return "sliver";
    case Severity::kWarning: return "warning";
  }
  return "error";
}

std::string DefectGeometry::ToWkt() const {
  std::vector<std::string> parts;
  if (!polygons.empty()) parts.push_back(PolygonsWkt(polygons.view()));
  if (!lines.empty()) parts.push_back(LinesWkt(lines));
  if (!points.empty()) parts.push_back(PointsWkt(points));
  if (parts.empty()) return "GEOMETRYCOLLECTION EMPTY";
  if (parts.size() == 1) return parts[0];
  std::string out = "GEOMETRYCOLLECTION (";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out.append(", ");
    out += parts[i];
  }
  out.push_back(')');
  return out;
}

}  // namespace wangge
