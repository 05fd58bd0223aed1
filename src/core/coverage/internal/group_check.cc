#include "coverage/internal/group_check.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <exception>
#include <map>
#include <numbers>
#include <numeric>
#include <span>
#include <tuple>
#include <utility>

#include <geos/algorithm/LineIntersector.h>
#include <geos/algorithm/locate/IndexedPointInAreaLocator.h>
#include <geos/algorithm/construct/MaximumInscribedCircle.h>
#include <geos/geom/Coordinate.h>
#include <geos/geom/CoordinateArraySequence.h>
#include <geos/geom/Envelope.h>
#include <geos/geom/LineString.h>
#include <geos/geom/Location.h>
#include <geos/geom/MultiPolygon.h>
#include <geos/geom/Point.h>
#include <geos/geom/Polygon.h>
#include <geos/geom/PrecisionModel.h>
#include <geos/noding/IntersectionAdder.h>
#include <geos/noding/MCIndexNoder.h>
#include <geos/noding/NodedSegmentString.h>
#include <geos/noding/snapround/SnapRoundingNoder.h>
#include <geos/operation/polygonize/Polygonizer.h>
#include <geos/operation/union/CoverageUnion.h>

#include "coverage/internal/messages.h"
#include "coverage/internal/ring_math.h"
#include "geometry/internal/geos_convert.h"
#include "wangge/geometry/measure.h"

namespace wangge::internal::coverage {
namespace {

namespace gg = geos::geom;
namespace gn = geos::noding;

// More residual components than this in one group are described as one cluster.
constexpr size_t kMaxClusters = 256;
// Noding passes before falling back to snap rounding.
constexpr int kMaxNodingPasses = 6;
// Snap-rounding grid for the fallback: 1e-11 degrees, about 1 µm.
constexpr double kSnapScale = 1e11;
// Arrangements with more unique segments than this are not polygonised (see DescribeCluster).
constexpr size_t kMaxArrangementSegments = 100'000;
// Residual lines listed in a defect described without faces.
constexpr size_t kMaxListedLines = 1000;
// Regions with more vertices than this get an indexed point-in-polygon locator.
constexpr size_t kIndexedLocatorVertices = 256;
// A sliver whose border is at least this share parent boundary is a parent-edge mismatch.
constexpr double kParentBorderShare = 0.25;

enum class FaceType { kGap, kOverlap, kOutside };

constexpr uint32_t kEmptySlot = UINT32_MAX;

size_t SegmentHash(const Point& a, const Point& b) {
  uint64_t h = std::bit_cast<uint64_t>(a.x) * 0x9e3779b97f4a7c15ULL;
  h ^= std::bit_cast<uint64_t>(a.y) * 0xc2b2ae3d27d4eb4fULL;
  h ^= std::bit_cast<uint64_t>(b.x) * 0x165667b19e3779f9ULL;
  h ^= std::bit_cast<uint64_t>(b.y) * 0x27d4eb2f165667c5ULL;
  return static_cast<size_t>(Mix64(h));
}

struct Piece {
  Point a, b;       // canonical: a < b
  uint32_t source;  // index of the unique input segment it came from
  int32_t sign;     // +1 if the source's a → b direction runs a → b here
};

bool PieceLess(const Piece& p, const Piece& q) {
  if (p.a.x != q.a.x) return p.a.x < q.a.x;
  if (p.a.y != q.a.y) return p.a.y < q.a.y;
  if (p.b.x != q.b.x) return p.b.x < q.b.x;
  return p.b.y < q.b.y;
}

struct UniquePiece {
  Point a, b;
  int32_t net = 0;
  uint32_t owners_begin = 0, owners_end = 0;  // into owner list
};

struct NodingResult {
  std::vector<Piece> pieces;
  std::vector<std::vector<uint32_t>> by_source;  // piece indices in order along each source
};

using SegmentStrings = std::vector<std::unique_ptr<gn::SegmentString>>;

SegmentStrings MakeStrings(const std::vector<std::pair<Point, Point>>& segments) {
  SegmentStrings strings;
  strings.reserve(segments.size());
  for (size_t k = 0; k < segments.size(); ++k) {
    std::vector<gg::Coordinate> coords = {{segments[k].first.x, segments[k].first.y},
                                          {segments[k].second.x, segments[k].second.y}};
    auto seq = std::make_unique<gg::CoordinateArraySequence>(std::move(coords), 2u);
    strings.push_back(std::make_unique<gn::NodedSegmentString>(
        seq.release(), reinterpret_cast<const void*>(static_cast<uintptr_t>(k))));
  }
  return strings;
}

std::vector<gn::SegmentString*> Raw(const SegmentStrings& strings) {
  std::vector<gn::SegmentString*> raw;
  raw.reserve(strings.size());
  for (const auto& s : strings) raw.push_back(s.get());
  return raw;
}

SegmentStrings Adopt(std::vector<gn::SegmentString*>* noded) {
  std::unique_ptr<std::vector<gn::SegmentString*>> owner(noded);
  SegmentStrings out;
  out.reserve(owner->size());
  for (gn::SegmentString* s : *owner) out.emplace_back(s);
  return out;
}

// Nodes the segments: exact floating-point noding repeated until no interior intersection is
// left; snap rounding on a 1 µm grid if that does not converge. Throws on GEOS failure.
NodingResult Node(const std::vector<std::pair<Point, Point>>& segments) {
  SegmentStrings current = MakeStrings(segments);
  bool converged = false;
  for (int pass = 0; pass < kMaxNodingPasses && !converged; ++pass) {
    geos::algorithm::LineIntersector li;
    gn::IntersectionAdder adder(li);
    gn::MCIndexNoder noder(&adder);
    std::vector<gn::SegmentString*> raw = Raw(current);
    noder.computeNodes(&raw);
    current = Adopt(noder.getNodedSubstrings());
    converged = adder.numInteriorIntersections == 0;
  }
  if (!converged) {
    SegmentStrings fresh = MakeStrings(segments);
    gg::PrecisionModel pm(kSnapScale);
    gn::snapround::SnapRoundingNoder noder(&pm);
    std::vector<gn::SegmentString*> raw = Raw(fresh);
    noder.computeNodes(&raw);
    current = Adopt(noder.getNodedSubstrings());
  }
  NodingResult result;
  result.by_source.resize(segments.size());
  for (const auto& s : current) {
    const auto source = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(s->getData()));
    for (size_t i = 0; i + 1 < s->size(); ++i) {
      const gg::Coordinate& c0 = s->getCoordinate(i);
      const gg::Coordinate& c1 = s->getCoordinate(i + 1);
      const Point p{c0.x, c0.y}, q{c1.x, c1.y};
      if (p == q) continue;
      result.by_source[source].push_back(static_cast<uint32_t>(result.pieces.size()));
      result.pieces.push_back(q < p ? Piece{q, p, source, -1} : Piece{p, q, source, +1});
    }
  }
  return result;
}

gg::Polygon* AsPolygon(gg::Geometry* g) { return dynamic_cast<gg::Polygon*>(g); }

// Returns the width of `face` (lon/lat) in metres: twice the maximum inscribed circle radius,
// computed in a local metric plane with a tolerance tied to the sliver width and the face size
// (an unbounded tolerance on a long sliver exhausts memory; notes/coverage-validation.md §5.3).
double WidthM(const gg::GeometryFactory& factory, const MultiPolygon& face, double sliver_width_m) {
  const MultiPolygonView view = face.view();
  const Box box = view.bounds();
  const double x0 = (box.min_x + box.max_x) / 2, y0 = (box.min_y + box.max_y) / 2;
  const double ky = kMetresPerDegree;
  const double kx = ky * std::cos(y0 * 3.14159265358979323846 / 180.0);
  MultiPolygon local(view);
  for (Point& p : local.mutable_points()) p = {(p.x - x0) * kx, (p.y - y0) * ky};
  // GEOS starts from square cells as wide as the envelope's short side, so a thin sliver along an
  // axis would start with millions of cells: turn the long axis to 45° first.
  std::span<Point> points = local.mutable_points();
  size_t far = 0;
  for (size_t i = 1; i < points.size(); ++i) {
    const double d = std::hypot(points[i].x - points[0].x, points[i].y - points[0].y);
    if (d > std::hypot(points[far].x - points[0].x, points[far].y - points[0].y)) far = i;
  }
  const double turn = std::numbers::pi / 4 -
                      std::atan2(points[far].y - points[0].y, points[far].x - points[0].x);
  const double c = std::cos(turn), s = std::sin(turn);
  for (Point& p : points) p = {c * p.x - s * p.y, s * p.x + c * p.y};
  try {
    std::unique_ptr<gg::Geometry> g = ToGeos(factory, local.view());
    const double area = g->getArea(), perimeter = g->getLength();
    if (perimeter <= 0) return 0;
    // The number of cells grows like perimeter / tolerance: bound it, and ask slivers only for
    // the precision their grading needs.
    const double estimate = 2 * area / perimeter;
    const double tolerance = estimate < sliver_width_m
                                 ? std::max({sliver_width_m / 20, perimeter / 1e4, 1e-9})
                                 : std::max({estimate / 100, perimeter / 2e4});
    geos::algorithm::construct::MaximumInscribedCircle mic(g.get(), tolerance);
    return 2 * mic.getRadiusLine()->getLength();
  } catch (const std::exception&) {
    return 0;
  }
}

// Returns 2 A / P in metres: the width of a thin sliver.
double EstimatedWidthM(const MultiPolygonView& face, double area_m2) {
  double perimeter = 0;
  for (size_t r = 0; r < face.ring_count(); ++r) {
    const RingView ring = face.ring(r);
    for (size_t i = 0; i + 1 < ring.size(); ++i) perimeter += ApproxLengthM(ring[i], ring[i + 1]);
  }
  return perimeter > 0 ? 2 * area_m2 / perimeter : 0;
}

// Sorted, de-duplicated.
void Normalise(std::vector<uint32_t>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

void AppendSegments(const MultiPolygonView& geometry, const uint8_t* reverse, bool flip,
                    uint32_t owner, const Box* filter, std::vector<DirectedSegment>* out) {
  for (size_t r = 0; r < geometry.ring_count(); ++r) {
    const RingView ring = geometry.ring(r);
    const int32_t sense = (reverse[r] != 0) != flip ? -1 : 1;
    for (size_t i = 0; i + 1 < ring.size(); ++i) {
      const Point& p = ring[i];
      const Point& q = ring[i + 1];
      if (p == q) continue;
      if (filter != nullptr) {
        const Box s{std::min(p.x, q.x), std::min(p.y, q.y), std::max(p.x, q.x),
                    std::max(p.y, q.y)};
        if (!filter->Intersects(s)) continue;
      }
      if (p < q) {
        out->push_back({p, q, owner, sense});
      } else {
        out->push_back({q, p, owner, -sense});
      }
    }
  }
}

RegionLocator::RegionLocator(const Hierarchy& hierarchy, const RegionPrep& prep)
    : hierarchy_(hierarchy),
      prep_(prep),
      built_(hierarchy.level_count()),
      grids_(hierarchy.level_count()) {}

RegionLocator::~RegionLocator() = default;

const RegionLocator::Grid& RegionLocator::GridFor(size_t level) const {
  std::call_once(built_[level], [&] {
    Grid& g = grids_[level];
    const RegionRange regions = hierarchy_.regions(level);
    for (RegionId r : regions) {
      if (prep_.usable[r]) g.box.Add(hierarchy_.bounds(r));
    }
    if (g.box.empty()) return;
    const auto side = static_cast<size_t>(std::sqrt(static_cast<double>(regions.size()) / 2)) + 1;
    g.columns = g.rows = std::min<size_t>(side, 1024);
    const double cw = g.box.width() / static_cast<double>(g.columns);
    const double ch = g.box.height() / static_cast<double>(g.rows);
    auto column = [&](double x) {
      const double c = cw > 0 ? (x - g.box.min_x) / cw : 0;
      return std::min(g.columns - 1, static_cast<size_t>(std::max(0.0, c)));
    };
    auto row = [&](double y) {
      const double c = ch > 0 ? (y - g.box.min_y) / ch : 0;
      return std::min(g.rows - 1, static_cast<size_t>(std::max(0.0, c)));
    };
    // Two passes: count, then fill (counting sort into the cells).
    g.cell_begin.assign(g.columns * g.rows + 1, 0);
    for (int pass = 0; pass < 2; ++pass) {
      std::vector<uint32_t> next;
      if (pass == 1) {
        for (size_t i = 1; i < g.cell_begin.size(); ++i) g.cell_begin[i] += g.cell_begin[i - 1];
        g.ids.resize(g.cell_begin.back());
        next.assign(g.cell_begin.begin(), g.cell_begin.end() - 1);
      }
      for (RegionId r : regions) {
        if (!prep_.usable[r]) continue;
        const Box& b = hierarchy_.bounds(r);
        const size_t c0 = column(b.min_x), c1 = column(b.max_x), r0 = row(b.min_y), r1 = row(b.max_y);
        if ((c1 - c0 + 1) * (r1 - r0 + 1) > 64) {
          if (pass == 0) g.big.push_back(r);
          continue;
        }
        for (size_t y = r0; y <= r1; ++y) {
          for (size_t x = c0; x <= c1; ++x) {
            const size_t cell = y * g.columns + x;
            if (pass == 0) {
              ++g.cell_begin[cell + 1];
            } else {
              g.ids[next[cell]++] = r;
            }
          }
        }
      }
    }
  });
  return grids_[level];
}

std::vector<RegionId> RegionLocator::Find(size_t level, const Point& q) const {
  std::vector<RegionId> found;
  const Grid& g = GridFor(level);
  if (g.columns == 0 || !g.box.Contains(q)) return found;
  const double cw = g.box.width() / static_cast<double>(g.columns);
  const double ch = g.box.height() / static_cast<double>(g.rows);
  const size_t x = std::min(g.columns - 1, static_cast<size_t>(cw > 0 ? (q.x - g.box.min_x) / cw : 0));
  const size_t y = std::min(g.rows - 1, static_cast<size_t>(ch > 0 ? (q.y - g.box.min_y) / ch : 0));
  const size_t cell = y * g.columns + x;
  auto consider = [&](RegionId r) {
    if (hierarchy_.bounds(r).Contains(q) && Contains(hierarchy_.geometry(r), q)) found.push_back(r);
  };
  for (uint32_t i = g.cell_begin[cell]; i < g.cell_begin[cell + 1]; ++i) consider(g.ids[i]);
  for (RegionId r : g.big) consider(r);
  std::sort(found.begin(), found.end());
  return found;
}

GroupChecker::GroupChecker(const Hierarchy& hierarchy, const RegionPrep& prep,
                           const CoverageOptions& options, const RegionLocator& locator)
    : hierarchy_(hierarchy),
      prep_(prep),
      options_(options),
      locator_(locator),
      factory_(gg::GeometryFactory::create()) {}

GroupChecker::~GroupChecker() = default;

bool GroupChecker::CoveredBy(const gg::Geometry& face, RegionId region) const {
  try {
    std::unique_ptr<gg::Geometry> other = ToGeos(*factory_, hierarchy_.geometry(region));
    const double area = face.getArea();
    return area > 0 && face.intersection(other.get())->getArea() >= (1 - 1e-6) * area;
  } catch (const std::exception&) {
    return false;
  }
}

void GroupChecker::DescribeWithoutFaces(const Box& box, size_t arrangement_size,
                                        GroupOutcome* outcome) {
  const RegionId parent = members_[0];
  Defect d;
  d.level = static_cast<uint32_t>(hierarchy_.level(parent) + 1);
  d.parent = std::string(hierarchy_.code(parent));
  d.reason = "undescribed";
  std::vector<uint32_t> owners;
  size_t count = 0;
  for (const DirectedSegment& s : residual_) {
    if (!box.Contains(s.a) || !box.Contains(s.b)) continue;
    ++count;
    owners.push_back(s.owner);
    if (d.geometry.lines.size() < kMaxListedLines) d.geometry.lines.push_back({s.a, s.b});
  }
  Normalise(&owners);
  const bool with_parent = !owners.empty() && owners[0] == 0;
  d.kind = with_parent ? DefectKind::kUnmatchedParentEdge : DefectKind::kNearCoincidentEdge;
  for (uint32_t k : owners) {
    if (k != 0) d.codes.emplace_back(hierarchy_.code(members_[k]));
  }
  std::sort(d.codes.begin(), d.codes.end());
  MessageFacts facts;
  facts.count = count;
  facts.limit = static_cast<double>(arrangement_size);
  WriteMessage(hierarchy_, facts, &d);
  outcome->defects.push_back(std::move(d));
}

GroupOutcome GroupChecker::Check(RegionId parent) {
  GroupOutcome outcome;
  members_.clear();
  members_.push_back(parent);
  for (RegionId child : hierarchy_.children(parent)) {
    if (prep_.usable[child]) members_.push_back(child);
  }
  segments_.clear();
  for (uint32_t k = 0; k < members_.size(); ++k) {
    const RegionId r = members_[k];
    AppendSegments(hierarchy_.geometry(r), &prep_.reverse[prep_.ring_offset[r]], k == 0, k,
                   nullptr, &segments_);
  }
  outcome.segment_count = segments_.size();
  // Exact cancellation through an open-addressing table of segment indices: a segment meeting an
  // unmatched equal segment of the opposite direction cancels it; anything else stays. What is
  // left (the residual) is the net boundary of whatever is wrong; empty exactly when the group is
  // a vertex-exact partition (given valid regions).
  const auto n = static_cast<uint32_t>(segments_.size());
  size_t capacity = 16;
  while (capacity < 2 * static_cast<size_t>(n)) capacity <<= 1;
  const size_t mask = capacity - 1;
  table_.assign(capacity, kEmptySlot);
  matched_.assign(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    const DirectedSegment& s = segments_[i];
    for (size_t slot = SegmentHash(s.a, s.b) & mask;; slot = (slot + 1) & mask) {
      const uint32_t j = table_[slot];
      if (j == kEmptySlot) {
        table_[slot] = i;
        break;
      }
      const DirectedSegment& t = segments_[j];
      if (!matched_[j] && t.dir + s.dir == 0 && SameSegment(s, t)) {
        matched_[i] = matched_[j] = 1;
        break;
      }
    }
  }
  residual_.clear();
  for (uint32_t i = 0; i < n; ++i) {
    if (!matched_[i]) residual_.push_back(segments_[i]);
  }
  outcome.residual_count = residual_.size();
  if (residual_.empty()) return outcome;
  outcome.dirty = true;
  Describe(&outcome);
  return outcome;
}

void GroupChecker::Describe(GroupOutcome* outcome) {
  // Connected pieces of the residual (segments sharing an endpoint), then merged while their
  // bounding boxes meet: each cluster is described on its own, from the boundaries near it only,
  // so a defect on a huge polygon costs what is around the defect.
  const size_t n = residual_.size();
  std::vector<uint32_t> root(n);
  std::iota(root.begin(), root.end(), 0u);
  auto find = [&](uint32_t x) {
    while (root[x] != x) x = root[x] = root[root[x]];
    return x;
  };
  std::vector<std::pair<Point, uint32_t>> ends;
  ends.reserve(2 * n);
  for (uint32_t i = 0; i < n; ++i) {
    ends.emplace_back(residual_[i].a, i);
    ends.emplace_back(residual_[i].b, i);
  }
  std::sort(ends.begin(), ends.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (size_t i = 1; i < ends.size(); ++i) {
    if (ends[i].first == ends[i - 1].first) root[find(ends[i].second)] = find(ends[i - 1].second);
  }
  std::map<uint32_t, Box> components;
  for (uint32_t i = 0; i < n; ++i) {
    Box& box = components[find(i)];
    box.Add(residual_[i].a);
    box.Add(residual_[i].b);
  }
  std::vector<Box> boxes;
  for (const auto& [id, box] : components) boxes.push_back(box);
  if (boxes.size() > kMaxClusters) {
    Box all;
    for (const Box& b : boxes) all.Add(b);
    boxes.assign(1, all);
  }
  for (bool merged = true; merged;) {
    merged = false;
    for (size_t i = 0; i < boxes.size() && !merged; ++i) {
      for (size_t j = i + 1; j < boxes.size(); ++j) {
        if (boxes[i].Intersects(boxes[j])) {
          boxes[i].Add(boxes[j]);
          boxes.erase(boxes.begin() + static_cast<ptrdiff_t>(j));
          merged = true;
          break;
        }
      }
    }
  }
  for (const Box& box : boxes) {
    try {
      DescribeCluster(box, outcome);
    } catch (const std::exception& e) {
      // GEOS gave up on this residual (only seen with badly invalid input): report it as it is.
      Defect d;
      d.kind = DefectKind::kInvalidGeometry;
      d.level = static_cast<uint32_t>(hierarchy_.level(members_[0]) + 1);
      d.parent = std::string(hierarchy_.code(members_[0]));
      std::vector<uint32_t> owners;
      for (const DirectedSegment& s : residual_) {
        if (s.owner != 0 && box.Contains(s.a) && box.Contains(s.b)) owners.push_back(s.owner);
        if (d.geometry.lines.size() < 100 && box.Contains(s.a)) d.geometry.lines.push_back({s.a, s.b});
      }
      Normalise(&owners);
      for (uint32_t k : owners) d.codes.emplace_back(hierarchy_.code(members_[k]));
      d.reason = "undescribed_residual";
      MessageFacts facts;
      facts.detail = e.what();
      WriteMessage(hierarchy_, facts, &d);
      outcome->defects.push_back(std::move(d));
    }
  }
}

void GroupChecker::DescribeCluster(const Box& box, GroupOutcome* outcome) {
  const RegionId parent = members_[0];
  const auto child_level = static_cast<uint32_t>(hierarchy_.level(parent) + 1);
  const std::string parent_code(hierarchy_.code(parent));

  // 1. The arrangement: every boundary segment near the cluster, with its owners.
  std::vector<DirectedSegment> arrangement;
  for (uint32_t k = 0; k < members_.size(); ++k) {
    const RegionId r = members_[k];
    if (!hierarchy_.bounds(r).Intersects(box)) continue;
    AppendSegments(hierarchy_.geometry(r), &prep_.reverse[prep_.ring_offset[r]], k == 0, k, &box,
                   &arrangement);
  }
  std::sort(arrangement.begin(), arrangement.end());
  std::vector<std::pair<Point, Point>> unique_segments;
  std::vector<std::pair<uint32_t, uint32_t>> contributions;  // per unique: range in arrangement
  for (size_t i = 0; i < arrangement.size();) {
    size_t j = i + 1;
    while (j < arrangement.size() && SameSegment(arrangement[i], arrangement[j])) ++j;
    unique_segments.emplace_back(arrangement[i].a, arrangement[i].b);
    contributions.emplace_back(static_cast<uint32_t>(i), static_cast<uint32_t>(j));
    i = j;
  }

  // Bounded effort: an arrangement this large (a huge polygon whose whole border mismatches)
  // would take minutes and gigabytes to polygonise. Report its unmatched segments as they are.
  if (unique_segments.size() > kMaxArrangementSegments) {
    DescribeWithoutFaces(box, unique_segments.size(), outcome);
    return;
  }

  // 2. Node it, and give every resulting piece its net direction and owners.
  NodingResult noded = Node(unique_segments);
  std::vector<uint32_t> order(noded.pieces.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return PieceLess(noded.pieces[x], noded.pieces[y]);
  });
  std::vector<UniquePiece> pieces;
  std::vector<uint32_t> piece_id(noded.pieces.size());
  std::vector<std::pair<uint32_t, int32_t>> owners;  // (member, dir) per unique piece range
  for (size_t i = 0; i < order.size();) {
    size_t j = i + 1;
    const Piece& first = noded.pieces[order[i]];
    while (j < order.size() && noded.pieces[order[j]].a == first.a &&
           noded.pieces[order[j]].b == first.b) {
      ++j;
    }
    UniquePiece u;
    u.a = first.a;
    u.b = first.b;
    u.owners_begin = static_cast<uint32_t>(owners.size());
    for (size_t k = i; k < j; ++k) {
      const Piece& p = noded.pieces[order[k]];
      piece_id[order[k]] = static_cast<uint32_t>(pieces.size());
      const auto [begin, end] = contributions[p.source];
      for (uint32_t c = begin; c < end; ++c) {
        owners.emplace_back(arrangement[c].owner, arrangement[c].dir * p.sign);
        u.net += arrangement[c].dir * p.sign;
      }
    }
    u.owners_end = static_cast<uint32_t>(owners.size());
    pieces.push_back(u);
    i = j;
  }
  auto find_piece = [&](const Point& p, const Point& q) -> const UniquePiece* {
    const Point a = q < p ? q : p, b = q < p ? p : q;
    auto it = std::lower_bound(pieces.begin(), pieces.end(), std::make_pair(a, b),
                               [](const UniquePiece& u, const std::pair<Point, Point>& key) {
                                 if (u.a.x != key.first.x) return u.a.x < key.first.x;
                                 if (u.a.y != key.first.y) return u.a.y < key.first.y;
                                 if (u.b.x != key.second.x) return u.b.x < key.second.x;
                                 return u.b.y < key.second.y;
                               });
    return it != pieces.end() && it->a == a && it->b == b ? &*it : nullptr;
  };

  // 3. T-junctions: a source segment split at a vertex of another boundary, whose pieces on both
  // sides of that vertex then cancel exactly. Missing vertices on the parent's side or in a child
  // on the parent's border are parent-edge mismatches.
  std::vector<Point> vertices;
  vertices.reserve(2 * unique_segments.size());
  for (const auto& [a, b] : unique_segments) {
    vertices.push_back(a);
    vertices.push_back(b);
  }
  std::sort(vertices.begin(), vertices.end());
  vertices.erase(std::unique(vertices.begin(), vertices.end()), vertices.end());
  struct Tee {
    std::vector<uint32_t> having;
    std::vector<Point> points;
  };
  std::map<std::vector<uint32_t>, Tee> tees;  // by the members lacking the vertices
  for (size_t s = 0; s < noded.by_source.size(); ++s) {
    const std::vector<uint32_t>& along = noded.by_source[s];
    for (size_t t = 0; t + 1 < along.size(); ++t) {
      const Piece& here = noded.pieces[along[t]];
      const Point node = here.sign > 0 ? here.b : here.a;
      const UniquePiece& u = pieces[piece_id[along[t]]];
      const UniquePiece& v = pieces[piece_id[along[t + 1]]];
      if (u.net != 0 || v.net != 0) continue;
      if (!std::binary_search(vertices.begin(), vertices.end(), node)) continue;
      std::vector<uint32_t> missing;
      for (uint32_t c = contributions[s].first; c < contributions[s].second; ++c) {
        missing.push_back(arrangement[c].owner);
      }
      Normalise(&missing);
      Tee& tee = tees[missing];
      for (const UniquePiece* w : {&u, &v}) {
        for (uint32_t o = w->owners_begin; o < w->owners_end; ++o) {
          if (!std::binary_search(missing.begin(), missing.end(), owners[o].first)) {
            tee.having.push_back(owners[o].first);
          }
        }
      }
      tee.points.push_back(node);
    }
  }
  for (auto& [missing, tee] : tees) {
    Normalise(&tee.having);
    const bool parent_lacks = missing[0] == 0;
    const bool with_parent = parent_lacks || (!tee.having.empty() && tee.having[0] == 0);
    Defect d;
    d.kind = with_parent ? DefectKind::kUnmatchedParentEdge : DefectKind::kTJunction;
    d.severity = Severity::kError;
    d.level = child_level;
    d.parent = parent_code;
    d.reason = "vertex";
    const std::vector<uint32_t>& having = tee.having;
    for (const std::vector<uint32_t>* list : {&missing, &having}) {
      for (uint32_t k : *list) {
        if (k == 0) continue;
        const std::string code(hierarchy_.code(members_[k]));
        if (std::find(d.codes.begin(), d.codes.end(), code) == d.codes.end()) {
          d.codes.push_back(code);
        }
      }
    }
    std::sort(tee.points.begin(), tee.points.end());
    tee.points.erase(std::unique(tee.points.begin(), tee.points.end()), tee.points.end());
    MessageFacts facts;
    facts.count = tee.points.size();
    facts.parent_lacks_vertices = parent_lacks;
    d.geometry.points = std::move(tee.points);
    WriteMessage(hierarchy_, facts, &d);
    outcome->defects.push_back(std::move(d));
  }

  // 4. Faces of the arrangement, classified by how many children and whether the parent cover
  // an interior point: 0 children inside the parent = gap, ≥ 2 = overlap, outside = spill-over.
  std::vector<std::unique_ptr<gg::Geometry>> lines;
  lines.reserve(pieces.size());
  for (const UniquePiece& u : pieces) {
    std::vector<gg::Coordinate> coords = {{u.a.x, u.a.y}, {u.b.x, u.b.y}};
    lines.push_back(factory_->createLineString(
        std::make_unique<gg::CoordinateArraySequence>(std::move(coords), 2u)));
  }
  geos::operation::polygonize::Polygonizer polygonizer;
  for (const auto& line : lines) polygonizer.add(static_cast<const gg::Geometry*>(line.get()));
  std::vector<std::unique_ptr<gg::Polygon>> faces = polygonizer.getPolygons();
  // Point-in-region for the members: a plain crossing test for small regions, a GEOS indexed
  // locator (built on first use) for big ones, so that many faces around a huge polygon cost
  // O(log n) each, not O(n).
  std::vector<std::unique_ptr<gg::Geometry>> big_geometry(members_.size());
  std::vector<std::unique_ptr<geos::algorithm::locate::IndexedPointInAreaLocator>> locators(
      members_.size());
  auto contains = [&](uint32_t k, const Point& q) {
    const MultiPolygonView g = hierarchy_.geometry(members_[k]);
    if (g.vertex_count() < kIndexedLocatorVertices) return Contains(g, q);
    if (!locators[k]) {
      big_geometry[k] = ToGeos(*factory_, g);
      locators[k] = std::make_unique<geos::algorithm::locate::IndexedPointInAreaLocator>(
          *big_geometry[k]);
    }
    const gg::Coordinate c(q.x, q.y);
    return locators[k]->locate(&c) == gg::Location::INTERIOR;
  };
  std::map<std::pair<FaceType, std::vector<uint32_t>>, std::vector<std::unique_ptr<gg::Geometry>>>
      classes;
  for (auto& face : faces) {
    const gg::Envelope* env = face->getEnvelopeInternal();
    if (env->getMinX() < box.min_x || env->getMaxX() > box.max_x || env->getMinY() < box.min_y ||
        env->getMaxY() > box.max_y) {
      continue;  // may be cut by segments left out of the arrangement; never a defect face
    }
    std::unique_ptr<gg::Point> inside = face->getInteriorPoint();
    if (!inside || inside->isEmpty()) continue;
    const Point q{inside->getX(), inside->getY()};
    const bool in_parent = contains(0, q);
    std::vector<uint32_t> covering;
    for (uint32_t k = 1; k < members_.size(); ++k) {
      if (hierarchy_.bounds(members_[k]).Contains(q) && contains(k, q)) {
        covering.push_back(k);
      }
    }
    FaceType type;
    if (in_parent) {
      if (covering.size() == 1) continue;
      type = covering.empty() ? FaceType::kGap : FaceType::kOverlap;
    } else {
      if (covering.empty()) continue;
      type = FaceType::kOutside;
    }
    classes[{type, covering}].push_back(std::move(face));
  }

  // 5. Merge adjacent faces of the same class, measure, grade and describe each piece.
  struct Sliver {
    DefectKind kind;
    MultiPolygon polygons;
    double area = 0, width = 0;
  };
  // Slivers between the same regions merge into one defect per kind and side (gap or overlap).
  std::map<std::tuple<DefectKind, FaceType, std::vector<std::string>>, Sliver> slivers;
  for (auto& [key, group] : classes) {
    const auto& [type, covering] = key;
    // Faces of the class that share an edge form one defect: group them by shared pieces, and
    // merge only groups of more than one face.
    std::vector<uint32_t> root(group.size());
    std::iota(root.begin(), root.end(), 0u);
    auto find = [&](uint32_t x) {
      while (root[x] != x) x = root[x] = root[root[x]];
      return x;
    };
    if (group.size() > 1) {
      std::vector<std::pair<const UniquePiece*, uint32_t>> edges;  // (piece, face)
      for (uint32_t f = 0; f < group.size(); ++f) {
        const auto* polygon = AsPolygon(group[f].get());
        for (size_t r = 0; r <= polygon->getNumInteriorRing(); ++r) {
          const gg::LineString* ring =
              r == 0 ? polygon->getExteriorRing() : polygon->getInteriorRingN(r - 1);
          const gg::CoordinateSequence* seq = ring->getCoordinatesRO();
          for (size_t i = 0; i + 1 < seq->size(); ++i) {
            const Point a{seq->getX(i), seq->getY(i)}, b{seq->getX(i + 1), seq->getY(i + 1)};
            if (const UniquePiece* u = find_piece(a, b)) edges.emplace_back(u, f);
          }
        }
      }
      std::sort(edges.begin(), edges.end());
      for (size_t i = 1; i < edges.size(); ++i) {
        if (edges[i].first == edges[i - 1].first) {
          root[find(edges[i].second)] = find(edges[i - 1].second);
        }
      }
    }
    std::map<uint32_t, std::vector<uint32_t>> members_of;
    for (uint32_t f = 0; f < group.size(); ++f) members_of[find(f)].push_back(f);
    std::vector<std::unique_ptr<gg::Geometry>> components;
    for (auto& [id, faces_in] : members_of) {
      if (faces_in.size() == 1) {
        components.push_back(std::move(group[faces_in[0]]));
        continue;
      }
      std::vector<std::unique_ptr<gg::Polygon>> polygons;
      for (uint32_t f : faces_in) polygons.emplace_back(AsPolygon(group[f].release()));
      auto multi = factory_->createMultiPolygon(std::move(polygons));
      std::unique_ptr<gg::Geometry> merged;
      try {
        merged = geos::operation::geounion::CoverageUnion::Union(multi.get());
      } catch (const std::exception&) {
        merged = multi->Union();
      }
      for (size_t i = 0; i < merged->getNumGeometries(); ++i) {
        components.push_back(merged->getGeometryN(i)->clone());
      }
    }
    for (const auto& component : components) {
      Result<MultiPolygon> converted = FromGeos(*component);
      if (!converted.ok() || converted->empty()) continue;
      MultiPolygon polygon = std::move(converted).value();
      const MultiPolygonView view = polygon.view();
      // Border shared with each neighbour (members not covering the face), and with the parent.
      std::map<uint32_t, double> border;
      std::vector<uint32_t> along;  // members owning the current boundary piece
      double perimeter = 0;
      for (size_t r = 0; r < view.ring_count(); ++r) {
        const RingView ring = view.ring(r);
        for (size_t i = 0; i + 1 < ring.size(); ++i) {
          const double length = ApproxLengthM(ring[i], ring[i + 1]);
          perimeter += length;
          const UniquePiece* u = find_piece(ring[i], ring[i + 1]);
          if (u == nullptr) continue;
          along.clear();
          for (uint32_t o = u->owners_begin; o < u->owners_end; ++o) {
            if (!std::binary_search(covering.begin(), covering.end(), owners[o].first)) {
              along.push_back(owners[o].first);
            }
          }
          Normalise(&along);
          for (uint32_t member : along) border[member] += length;
        }
      }
      const double area = AreaM2(view);
      // A gap bounded by nothing but one invalid child is that child's own doing (the lobes of
      // a self-crossing ring): it is part of the child's invalid_geometry defect.
      if (type == FaceType::kGap && border.size() == 1 && border.begin()->first != 0 &&
          !prep_.valid[members_[border.begin()->first]]) {
        outcome->invalid_areas.push_back({members_[border.begin()->first], std::move(polygon), area});
        continue;
      }
      // A face too small to hold a circle as wide as the sliver width is a sliver whatever its
      // shape (area ≥ π r²): no need for the inscribed circle, 2 A / P estimates its width.
      const double width =
          area < 3.14159265358979323846 * options_.sliver_width_m * options_.sliver_width_m / 4
              ? EstimatedWidthM(view, area)
              : WidthM(*factory_, polygon, options_.sliver_width_m);
      const bool sliver = width < options_.sliver_width_m;
      const double parent_share = perimeter > 0 ? border[0] / perimeter : 0;
      border.erase(0);
      std::vector<std::pair<double, uint32_t>> neighbours;
      for (const auto& [member, length] : border) neighbours.emplace_back(-length, member);
      std::sort(neighbours.begin(), neighbours.end());

      Defect d;
      d.level = child_level;
      d.parent = parent_code;
      d.area_m2 = area;
      d.width_m = width;
      MessageFacts facts;
      const std::unique_ptr<gg::Point> inside = component->getInteriorPoint();
      const Point q = inside && !inside->isEmpty() ? Point{inside->getX(), inside->getY()}
                                                   : view.points()[0];
      if (sliver) {
        DefectKind kind = DefectKind::kNearCoincidentEdge;
        if (type == FaceType::kOutside ||
            (type == FaceType::kGap && parent_share >= kParentBorderShare)) {
          kind = DefectKind::kUnmatchedParentEdge;
        }
        std::vector<std::string> codes;
        for (uint32_t k : covering) codes.emplace_back(hierarchy_.code(members_[k]));
        for (const auto& [length, member] : neighbours) {
          codes.emplace_back(hierarchy_.code(members_[member]));
        }
        std::sort(codes.begin(), codes.end());
        codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
        Sliver& s = slivers[{kind, type, codes}];
        s.kind = kind;
        for (size_t p = 0; p < view.polygon_count(); ++p) {
          const PolygonView part = view.polygon(p);
          for (size_t r = 0; r < part.ring_count(); ++r) s.polygons.AddRing(part.ring(r), r == 0);
        }
        s.area += area;
        s.width = std::max(s.width, width);
        continue;
      }
      d.severity = Severity::kError;
      if (type == FaceType::kGap) {
        d.kind = DefectKind::kGap;
        d.reason = parent_share > 0 ? "at_parent_border" : "enclosed";
        for (const auto& [length, member] : neighbours) {
          d.codes.emplace_back(hierarchy_.code(members_[member]));
        }
        if (!neighbours.empty()) {
          facts.neighbour = d.codes[0];
          facts.neighbour_border_m = -neighbours[0].first;
        }
        facts.no_children = members_.size() == 1;
        bool explained = false;
        for (RegionId r : locator_.Find(child_level, q)) {
          if (hierarchy_.parent(r) == parent) continue;
          facts.foreign_cover = std::string(hierarchy_.code(r));
          facts.foreign_cover_parent = std::string(hierarchy_.parent_code(r));
          // A region that lies here but declares another (or no) parent fills the gap: its own
          // defect (missing_parent, or outside_parent in its declared parent) says what to fix.
          explained = CoveredBy(*component, r);
          break;
        }
        if (explained) continue;
      } else if (type == FaceType::kOverlap) {
        d.kind = DefectKind::kOverlap;
        d.reason = "overlap";
        for (uint32_t k : covering) d.codes.emplace_back(hierarchy_.code(members_[k]));
        std::sort(d.codes.begin(), d.codes.end());
      } else {
        d.kind = DefectKind::kOutsideParent;
        d.reason = covering.size() > 1 ? "overlap_outside_parent" : "outside_parent";
        for (uint32_t k : covering) d.codes.emplace_back(hierarchy_.code(members_[k]));
        std::sort(d.codes.begin(), d.codes.end());
        for (RegionId r : locator_.Find(child_level - 1, q)) {
          if (r == parent) continue;
          facts.spatial_parent = std::string(hierarchy_.code(r));
          break;
        }
        // The regions of other parents it spills into.
        std::vector<std::string> cousins;
        for (RegionId r : locator_.Find(child_level, q)) {
          if (hierarchy_.parent(r) != parent) cousins.emplace_back(hierarchy_.code(r));
        }
        std::sort(cousins.begin(), cousins.end());
        d.codes.insert(d.codes.end(), cousins.begin(), cousins.end());
      }
      d.geometry.polygons = std::move(polygon);
      WriteMessage(hierarchy_, facts, &d);
      outcome->defects.push_back(std::move(d));
    }
  }
  for (auto& [key, s] : slivers) {
    Defect d;
    d.kind = s.kind;
    d.severity = Severity::kSliver;
    d.level = child_level;
    d.parent = parent_code;
    const FaceType type = std::get<1>(key);
    d.codes = std::get<2>(key);
    d.reason = type == FaceType::kGap       ? "sliver_gap"
               : type == FaceType::kOverlap ? "sliver_overlap"
                                            : "sliver_outside";
    d.area_m2 = s.area;
    d.width_m = s.width;
    d.geometry.polygons = std::move(s.polygons);
    WriteMessage(hierarchy_, MessageFacts{}, &d);
    outcome->defects.push_back(std::move(d));
  }
}

}  // namespace wangge::internal::coverage
