#include "wangge/synth/districts.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <numbers>
#include <set>
#include <string>
#include <utility>

#include <gdal.h>
#include <geos/geom/GeometryFactory.h>
#include <geos/geom/Point.h>
#include <ogrsf_frmts.h>

#include "geometry/internal/geos_convert.h"
#include "synth/internal/planar.h"
#include "synth/internal/snap_noder.h"
#include "wangge/geometry/measure.h"
#include "wangge/geometry/ring_contains.h"

namespace wangge {
namespace {

using internal::FaceGraph;
using internal::Segment;

// Metres per degree of latitude (mean); good enough to rank border lengths.
constexpr double kMetresPerDegree = 111320.0;

double ApproxLengthM(const Point& a, const Point& b) {
  const double c = std::cos((a.y + b.y) / 2 * std::numbers::pi / 180);
  return std::hypot((b.x - a.x) * c, b.y - a.y) * kMetresPerDegree;
}

Status AppendOgrPolygon(const OGRPolygon& polygon, MultiPolygon* out) {
  for (int r = 0; r <= polygon.getNumInteriorRings(); ++r) {
    const OGRLinearRing* ring = r == 0 ? polygon.getExteriorRing() : polygon.getInteriorRing(r - 1);
    if (ring == nullptr || ring->getNumPoints() == 0) continue;
    std::vector<Point> points;
    points.reserve(static_cast<size_t>(ring->getNumPoints()));
    for (int i = 0; i < ring->getNumPoints(); ++i) {
      const Point p = internal::SnapToGrid(Point{ring->getX(i), ring->getY(i)});
      if (!IsFinite(p) || p.x < -180 || p.x > 180 || p.y < -90 || p.y > 90) {
        return Status::DataError("coordinate outside lon/lat range");
      }
      if (points.empty() || !(points.back() == p)) points.push_back(p);
    }
    if (points.size() < 4) {
      if (r == 0) return Status::DataError("a polygon shell has fewer than 3 distinct vertices");
      continue;
    }
    out->AddRing(points, /*starts_polygon=*/r == 0);
  }
  return Status::Ok();
}

struct GdalDatasetCloser {
  void operator()(GDALDataset* d) const { GDALClose(d); }
};

}  // namespace

Result<std::vector<DistrictOutline>> ReadDistricts(const std::string& path) {
  GDALAllRegister();
  std::unique_ptr<GDALDataset, GdalDatasetCloser> dataset(GDALDataset::FromHandle(
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  if (!dataset) return Status::IoError(path + ": cannot open as a GDAL vector source");
  if (dataset->GetLayerCount() < 1) return Status::DataError(path + ": no layer");
  OGRLayer* layer = dataset->GetLayer(0);
  const std::string where = path + " layer " + layer->GetName();
  const OGRSpatialReference* srs = layer->GetSpatialRef();
  if (srs != nullptr && !srs->IsGeographic()) {
    return Status::DataError(where + ": districts must be in a geographic (lon/lat) CRS");
  }
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  const int code_field = defn->GetFieldIndex("code");
  const int name_field = defn->GetFieldIndex("name");
  if (code_field < 0) return Status::DataError(where + ": no field 'code'");
  if (name_field < 0) return Status::DataError(where + ": no field 'name'");
  std::vector<DistrictOutline> districts;
  std::set<std::string> codes;
  layer->ResetReading();
  for (auto& feature : *layer) {
    const std::string at = where + " feature " + std::to_string(feature->GetFID());
    DistrictOutline d;
    d.code = feature->GetFieldAsString(code_field);
    d.name = feature->GetFieldAsString(name_field);
    if (d.code.empty()) return Status::DataError(at + ": empty code");
    if (!codes.insert(d.code).second) return Status::DataError(at + ": duplicate code " + d.code);
    const OGRGeometry* g = feature->GetGeometryRef();
    if (g == nullptr || g->IsEmpty()) return Status::DataError(at + ": no geometry");
    Status s;
    switch (wkbFlatten(g->getGeometryType())) {
      case wkbPolygon:
        s = AppendOgrPolygon(*g->toPolygon(), &d.geometry);
        break;
      case wkbMultiPolygon:
        for (const OGRPolygon* p : *g->toMultiPolygon()) {
          s = AppendOgrPolygon(*p, &d.geometry);
          if (!s.ok()) break;
        }
        break;
      default:
        return Status::DataError(at + ": expected a polygon, got " +
                                 OGRGeometryTypeToName(g->getGeometryType()));
    }
    if (!s.ok()) return s.WithContext(at + " (code " + d.code + ")");
    if (d.geometry.empty()) return Status::DataError(at + ": empty geometry");
    districts.push_back(std::move(d));
  }
  if (districts.empty()) return Status::DataError(where + ": no features");
  return districts;
}

Result<std::vector<DistrictOutline>> CleanDistricts(const std::vector<DistrictOutline>& raw,
                                                    DistrictCleaning* report,
                                                    const DistrictCleaningOptions& options) {
  DistrictCleaning local;
  DistrictCleaning& stats = report ? *report : local;
  stats = DistrictCleaning();
  // 1-2. Node all rings together and trace the faces.
  std::vector<std::vector<Point>> rings;
  for (const DistrictOutline& d : raw) {
    const MultiPolygonView v = d.geometry.view();
    for (size_t r = 0; r < v.ring_count(); ++r) {
      const RingView ring = v.ring(r);
      std::vector<Point> line;
      for (const Point& p : ring) {
        const Point q = internal::SnapToGrid(p);
        if (line.empty() || !(line.back() == q)) line.push_back(q);
      }
      if (line.size() >= 4) rings.push_back(std::move(line));
    }
  }
  Result<std::vector<std::vector<Point>>> noded = internal::SnapNode(rings);
  if (!noded.ok()) return noded.status().WithContext("cleaning districts");
  std::vector<Segment> segments;
  for (const std::vector<Point>& line : *noded) {
    for (size_t i = 0; i + 1 < line.size(); ++i) {
      if (line[i] == line[i + 1]) continue;
      segments.push_back(line[i] < line[i + 1] ? Segment{line[i], line[i + 1]}
                                               : Segment{line[i + 1], line[i]});
    }
  }
  std::sort(segments.begin(), segments.end(),
            [](const Segment& a, const Segment& b) { return a.a == b.a ? a.b < b.b : a.a < b.a; });
  segments.erase(
      std::unique(segments.begin(), segments.end(),
                  [](const Segment& a, const Segment& b) { return a.a == b.a && a.b == b.b; }),
      segments.end());
  const FaceGraph graph = internal::TraceFaces(segments);
  const size_t nc = graph.cycle_count();

  // Faces: counter-clockwise cycles, with the clockwise cycles they enclose as holes.
  std::vector<bool> is_shell(nc), is_hole(nc);
  for (size_t c = 0; c < nc; ++c) {
    is_shell[c] = graph.cycle_area2[c] > 0;
    is_hole[c] = graph.cycle_area2[c] < 0;
  }
  const std::vector<int64_t> enclosing = internal::FindEnclosingShells(graph, is_hole, is_shell);
  std::vector<int64_t> face_of_cycle(nc, -1);  // face id = index of its shell cycle
  std::vector<std::vector<size_t>> holes_of(nc);
  for (size_t c = 0; c < nc; ++c) {
    if (is_shell[c]) face_of_cycle[c] = static_cast<int64_t>(c);
    if (is_hole[c] && enclosing[c] >= 0) {
      face_of_cycle[c] = enclosing[c];
      holes_of[static_cast<size_t>(enclosing[c])].push_back(c);
    }
  }

  // 3. Classify faces by the raw districts containing an interior point.
  std::vector<std::vector<std::vector<Point>>> raw_rings(raw.size());
  std::vector<std::vector<Box>> raw_boxes(raw.size());
  for (size_t d = 0; d < raw.size(); ++d) {
    const MultiPolygonView v = raw[d].geometry.view();
    for (size_t r = 0; r < v.ring_count(); ++r) {
      raw_rings[d].emplace_back(v.ring(r).begin(), v.ring(r).end());
      Box b;
      for (const Point& p : v.ring(r)) b.Add(p);
      raw_boxes[d].push_back(b);
    }
  }
  auto covering = [&](const Point& p) {
    std::vector<size_t> out;
    for (size_t d = 0; d < raw.size(); ++d) {
      bool inside = false;
      for (size_t r = 0; r < raw_rings[d].size(); ++r) {
        if (raw_boxes[d][r].Contains(p) && RingContains(raw_rings[d][r], p)) {
          inside = !inside;
        }
      }
      if (inside) out.push_back(d);
    }
    return out;
  };
  constexpr int64_t kUnassigned = -1;
  constexpr int64_t kOutside = -2;
  std::vector<int64_t> owner(nc, kOutside);
  std::vector<std::vector<size_t>> covers(nc);
  std::vector<double> face_area(nc, 0);
  std::vector<MultiPolygon> face_geometry(nc);
  geos::geom::GeometryFactory::Ptr factory;
  try {
    factory = geos::geom::GeometryFactory::create();
    for (size_t c = 0; c < nc; ++c) {
      if (!is_shell[c]) continue;
      MultiPolygon& face = face_geometry[c];
      face.AddRing(graph.Ring(c), true);
      for (size_t h : holes_of[c]) face.AddRing(graph.Ring(h), false);
      face_area[c] = AreaM2(face.view());
      std::unique_ptr<geos::geom::Geometry> g = internal::ToGeos(*factory, face.view());
      std::unique_ptr<geos::geom::Point> inner = g->getInteriorPoint();
      if (!inner || inner->isEmpty()) continue;  // a collapsed face
      covers[c] = covering(Point{inner->getX(), inner->getY()});
      ++stats.faces;
      if (covers[c].size() == 1) {
        owner[c] = static_cast<int64_t>(covers[c][0]);
        stats.raw_union_area_m2 += face_area[c];
      } else if (covers[c].size() > 1) {
        owner[c] = kUnassigned;
        ++stats.overlap_faces;
        stats.overlap_area_m2 += face_area[c];
        stats.raw_union_area_m2 += face_area[c];
      } else if (face_area[c] <= options.max_gap_area_m2) {
        owner[c] = kUnassigned;
        ++stats.gap_faces;
        stats.gap_area_m2 += face_area[c];
      } else {
        ++stats.holes_kept;
      }
    }
  } catch (const std::exception& e) {
    return Status::Internal(std::string("cleaning districts (GEOS): ") + e.what());
  }

  // 4. Settle overlaps and gaps by the longest border with assigned neighbours, in rounds.
  for (bool changed = true; changed;) {
    changed = false;
    std::vector<std::pair<size_t, int64_t>> decisions;
    for (size_t c = 0; c < nc; ++c) {
      if (owner[c] != kUnassigned) continue;
      // Border length per assigned neighbouring district; for an overlap, the districts that
      // cover it are preferred.
      std::map<int64_t, double> preferred, any;
      auto visit = [&](size_t cycle) {
        for (uint32_t h : graph.cycle(cycle)) {
          const int64_t across = face_of_cycle[graph.cycle_of[h ^ 1u]];
          if (across < 0 || owner[static_cast<size_t>(across)] < 0) continue;
          const int64_t d = owner[static_cast<size_t>(across)];
          const double length = ApproxLengthM(graph.from(h), graph.to(h));
          any[d] += length;
          if (std::find(covers[c].begin(), covers[c].end(), static_cast<size_t>(d)) !=
              covers[c].end()) {
            preferred[d] += length;
          }
        }
      };
      visit(c);
      for (size_t h : holes_of[c]) visit(h);
      int64_t best = kUnassigned;
      double best_length = -1;
      for (const auto& [d, length] : preferred.empty() ? any : preferred) {
        if (length > best_length) {
          best = d;
          best_length = length;
        }
      }
      if (best != kUnassigned) decisions.emplace_back(c, best);
    }
    for (const auto& [c, d] : decisions) {
      owner[c] = d;
      changed = true;
    }
  }

  // 5. Absorb small exclaves: a connected group of faces of one district, smaller than the limit,
  // that borders other districts goes to the one it shares the longest border with. (In the Putian
  // file these are tiny loops of a ring's quantisation zigzag along a shared border.) Islands,
  // whose border is all outside, stay whatever their size.
  {
    std::vector<size_t> parent(nc);
    for (size_t c = 0; c < nc; ++c) parent[c] = c;
    auto find = [&](size_t c) {
      while (parent[c] != c) c = parent[c] = parent[parent[c]];
      return c;
    };
    for (size_t h = 0; h < graph.origin.size(); ++h) {
      const int64_t a = face_of_cycle[graph.cycle_of[h]];
      const int64_t b = face_of_cycle[graph.cycle_of[h ^ 1u]];
      if (a < 0 || b < 0 || owner[static_cast<size_t>(a)] < 0 ||
          owner[static_cast<size_t>(a)] != owner[static_cast<size_t>(b)]) {
        continue;
      }
      parent[find(static_cast<size_t>(a))] = find(static_cast<size_t>(b));
    }
    std::map<size_t, double> component_area;
    std::map<size_t, std::map<int64_t, double>> component_border;  // -1: outside
    for (size_t c = 0; c < nc; ++c) {
      if (!is_shell[c] || owner[c] < 0) continue;
      component_area[find(c)] += face_area[c];
    }
    for (size_t h = 0; h < graph.origin.size(); ++h) {
      const int64_t a = face_of_cycle[graph.cycle_of[h]];
      if (a < 0 || owner[static_cast<size_t>(a)] < 0) continue;
      const int64_t b = face_of_cycle[graph.cycle_of[h ^ 1u]];
      const int64_t other = b < 0 ? -1 : owner[static_cast<size_t>(b)];
      if (other == owner[static_cast<size_t>(a)]) continue;
      component_border[find(static_cast<size_t>(a))][other < 0 ? -1 : other] +=
          ApproxLengthM(graph.from(static_cast<uint32_t>(h)), graph.to(static_cast<uint32_t>(h)));
    }
    std::map<size_t, int64_t> moves;
    for (const auto& [root, area] : component_area) {
      if (area > options.max_exclave_area_m2) continue;
      int64_t best = -1;
      double best_length = 0;
      for (const auto& [d, length] : component_border[root]) {
        if (d >= 0 && length > best_length) {
          best = d;
          best_length = length;
        }
      }
      if (best < 0) continue;  // an island
      moves[root] = best;
      ++stats.exclaves_absorbed;
      stats.exclave_area_m2 += area;
    }
    for (size_t c = 0; c < nc; ++c) {
      if (owner[c] < 0) continue;
      auto it = moves.find(find(c));
      if (it != moves.end()) owner[c] = it->second;
    }
  }

  // 6. Each district is the exact union of its faces.
  std::vector<std::vector<Segment>> pieces(raw.size());
  for (size_t c = 0; c < nc; ++c) {
    if (owner[c] == kUnassigned) {
      return Status::Internal("cleaning districts: a face has no assigned neighbour");
    }
    if (owner[c] < 0) continue;
    internal::AppendSegments(face_geometry[c].view(), &pieces[static_cast<size_t>(owner[c])]);
  }
  std::vector<DistrictOutline> clean(raw.size());
  for (size_t d = 0; d < raw.size(); ++d) {
    clean[d].code = raw[d].code;
    clean[d].name = raw[d].name;
    Result<MultiPolygon> g = internal::AssembleRings(std::move(pieces[d]));
    if (!g.ok()) return g.status().WithContext("cleaning district " + raw[d].code);
    if (g->empty()) return Status::DataError("district " + raw[d].code + " has no area left");
    clean[d].geometry = std::move(g).value();
    stats.clean_area_m2 += AreaM2(clean[d].geometry.view());
  }
  return clean;
}

}  // namespace wangge
