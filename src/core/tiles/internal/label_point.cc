#include "tiles/internal/label_point.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <queue>
#include <vector>

#include "tiles/internal/keep_table.h"

namespace wangge::internal {
namespace {

constexpr size_t kShortRing = 64;

// A ring's segments with what the distance test needs precomputed.
struct Segment {
  double ax, ay, dx, dy, inv_len2;
};
using Rings = std::vector<std::vector<Segment>>;

Rings Prepare(const std::vector<std::vector<Point>>& rings) {
  Rings out(rings.size());
  for (size_t r = 0; r < rings.size(); ++r) {
    const std::vector<Point>& ring = rings[r];
    for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
      const double dx = ring[j].x - ring[i].x, dy = ring[j].y - ring[i].y;
      const double len2 = dx * dx + dy * dy;
      out[r].push_back({ring[i].x, ring[i].y, dx, dy, len2 > 0 ? 1 / len2 : 0});
    }
  }
  return out;
}

// Signed distance from (x, y) to the rings (local plane), positive inside.
double SignedDistance(double x, double y, const Rings& rings) {
  bool inside = false;
  double best = std::numeric_limits<double>::infinity();
  for (const std::vector<Segment>& ring : rings) {
    for (const Segment& s : ring) {
      const double by = s.ay + s.dy;
      if ((s.ay > y) != (by > y) && x < s.dx * (y - s.ay) / s.dy + s.ax) inside = !inside;
      const double t = std::clamp(((x - s.ax) * s.dx + (y - s.ay) * s.dy) * s.inv_len2, 0.0, 1.0);
      const double ex = s.ax + t * s.dx - x;
      const double ey = s.ay + t * s.dy - y;
      best = std::min(best, ex * ex + ey * ey);
    }
  }
  return (inside ? 1 : -1) * std::sqrt(best);
}

struct Cell {
  double x, y, half, distance, potential;
  Cell(double cx, double cy, double h, const Rings& rings)
      : x(cx),
        y(cy),
        half(h),
        distance(SignedDistance(cx, cy, rings)),
        potential(distance + h * std::numbers::sqrt2) {}
  bool operator<(const Cell& other) const { return potential < other.potential; }
};

double ShoelaceArea(RingView ring) {
  double sum = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    sum += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
  }
  return std::abs(sum) / 2;
}

}  // namespace

Point LabelPoint(const MultiPolygonView& g, double relative_precision, bool simplify) {
  if (g.empty()) return {};
  size_t best_polygon = 0;
  double best_area = -1;
  for (size_t p = 0; p < g.polygon_count(); ++p) {
    const double area = ShoelaceArea(g.polygon(p).shell());
    if (area > best_area) {
      best_area = area;
      best_polygon = p;
    }
  }
  const PolygonView polygon = g.polygon(best_polygon);
  const RingView shell = polygon.shell();
  if (shell.empty()) return {};
  if (best_area <= 0) return shell.front();

  Box box;
  for (const Point& p : shell) box.Add(p);
  const double lat0 = (box.min_y + box.max_y) / 2;
  const double kx = std::cos(lat0 * std::numbers::pi / 180);
  const double x0 = box.min_x;
  const double y0 = box.min_y;
  const double width = box.width() * kx;
  const double height = box.height();
  // The search runs on rings simplified to a fraction of the precision (long borders cost most);
  // the answer is then checked against the exact rings.
  std::vector<std::vector<Point>> exact(polygon.ring_count());
  std::vector<std::vector<Point>> rings(polygon.ring_count());
  std::vector<double> thresholds;
  const double tolerance = std::max(width, height) * relative_precision / 4;
  for (size_t r = 0; r < polygon.ring_count(); ++r) {
    for (const Point& p : polygon.ring(r)) exact[r].push_back({(p.x - x0) * kx, p.y - y0});
    if (!simplify || exact[r].size() <= kShortRing) {
      rings[r] = exact[r];
      continue;
    }
    DouglasPeuckerThresholds(exact[r], &thresholds);
    for (size_t i = 0; i < exact[r].size(); ++i) {
      if (thresholds[i] > tolerance) rings[r].push_back(exact[r][i]);
    }
    if (rings[r].size() < 4) rings[r] = exact[r];
  }
  const double cell_size = std::min(width, height);
  if (!(cell_size > 0)) return shell.front();
  const double precision = std::max(width, height) * relative_precision;

  const Rings prepared = Prepare(rings);
  std::priority_queue<Cell> queue;
  const double h = cell_size / 2;
  for (double x = 0; x < width; x += cell_size) {
    for (double y = 0; y < height; y += cell_size) queue.emplace(x + h, y + h, h, prepared);
  }
  Cell best(width / 2, height / 2, 0, prepared);
  // The area centroid of the shell is often a good first guess.
  {
    double cx = 0, cy = 0, a = 0;
    const std::vector<Point>& s = rings[0];
    for (size_t i = 0, j = s.size() - 1; i < s.size(); j = i++) {
      const double f = s[i].x * s[j].y - s[j].x * s[i].y;
      cx += (s[i].x + s[j].x) * f;
      cy += (s[i].y + s[j].y) * f;
      a += f * 3;
    }
    if (a != 0) {
      Cell centroid(cx / a, cy / a, 0, prepared);
      if (centroid.distance > best.distance) best = centroid;
    }
  }
  constexpr size_t kMaxCells = 20000;  // bounds the work on pathological shapes
  for (size_t visited = 0; !queue.empty() && visited < kMaxCells; ++visited) {
    const Cell cell = queue.top();
    queue.pop();
    if (cell.distance > best.distance) best = cell;
    if (cell.potential - best.distance <= precision) continue;
    const double q = cell.half / 2;
    queue.emplace(cell.x - q, cell.y - q, q, prepared);
    queue.emplace(cell.x + q, cell.y - q, q, prepared);
    queue.emplace(cell.x - q, cell.y + q, q, prepared);
    queue.emplace(cell.x + q, cell.y + q, q, prepared);
  }
  if (rings != exact && SignedDistance(best.x, best.y, Prepare(exact)) <= 0) {
    return LabelPoint(g, relative_precision, /*simplify=*/false);
  }
  return {best.x / kx + x0, best.y + y0};
}

}  // namespace wangge::internal
