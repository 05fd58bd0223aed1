#include "tiles/internal/ring_clip.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "wangge/geometry/ring_contains.h"

namespace wangge::internal {
namespace {

enum Side { kLeft, kRight, kTop, kBottom, kNone };

// The part of segment a→b inside the box: where it enters (t0 = 0: at a) and leaves (t1 = 1: at b).
struct SegmentClip {
  Point entry, exit;
  double t0, t1;
};

// Crossing of segment (lo, hi) with a side of the box, from the end points in canonical order and
// pinned onto the side's line.
Point Cross(const Point& lo, const Point& hi, Side side, const Box& box) {
  switch (side) {
    case kLeft:
    case kRight: {
      const double x = side == kLeft ? box.min_x : box.max_x;
      const double y = lo.y + (hi.y - lo.y) * ((x - lo.x) / (hi.x - lo.x));
      return {x, std::clamp(y, box.min_y, box.max_y)};
    }
    case kTop:
    case kBottom: {
      const double y = side == kTop ? box.min_y : box.max_y;
      const double x = lo.x + (hi.x - lo.x) * ((y - lo.y) / (hi.y - lo.y));
      return {std::clamp(x, box.min_x, box.max_x), y};
    }
    case kNone:
      break;
  }
  return lo;
}

// Liang–Barsky on the canonically ordered segment, mapped back to the direction a→b.
std::optional<SegmentClip> ClipSegment(const Point& a, const Point& b, const Box& box) {
  const bool reversed = b < a;
  const Point& lo = reversed ? b : a;
  const Point& hi = reversed ? a : b;
  const double dx = hi.x - lo.x, dy = hi.y - lo.y;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {lo.x - box.min_x, box.max_x - lo.x, lo.y - box.min_y, box.max_y - lo.y};
  double u0 = 0, u1 = 1;
  Side s0 = kNone, s1 = kNone;
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return std::nullopt;
      continue;
    }
    const double r = q[i] / p[i];
    if (p[i] < 0) {
      if (r > u0) {
        u0 = r;
        s0 = static_cast<Side>(i);
      }
    } else if (r < u1) {
      u1 = r;
      s1 = static_cast<Side>(i);
    }
  }
  if (u0 > u1) return std::nullopt;
  const Point start = s0 == kNone ? lo : Cross(lo, hi, s0, box);
  const Point end = s1 == kNone ? hi : Cross(lo, hi, s1, box);
  if (!reversed) return SegmentClip{start, end, u0, u1};
  return SegmentClip{end, start, 1 - u1, 1 - u0};
}

bool StrictlyInside(const Point& p, const Box& box) {
  return p.x > box.min_x && p.x < box.max_x && p.y > box.min_y && p.y < box.max_y;
}

bool StrictlyOutside(const Point& p, const Box& box) {
  return p.x < box.min_x || p.x > box.max_x || p.y < box.min_y || p.y > box.max_y;
}

// Position of a border point going clockwise on screen from the top-left corner.
double Perimeter(const Point& p, const Box& box) {
  const double w = box.width(), h = box.height();
  if (p.y == box.min_y) return p.x - box.min_x;
  if (p.x == box.max_x) return w + (p.y - box.min_y);
  if (p.y == box.max_y) return w + h + (box.max_x - p.x);
  if (p.x == box.min_x) return 2 * w + h + (box.max_y - p.y);
  // Not exactly on the border (cannot happen for pinned crossings): take the nearest side.
  const double d[4] = {p.y - box.min_y, box.max_x - p.x, box.max_y - p.y, p.x - box.min_x};
  const int side = static_cast<int>(std::min_element(d, d + 4) - d);
  return Perimeter(side == 0   ? Point{p.x, box.min_y}
                   : side == 1 ? Point{box.max_x, p.y}
                   : side == 2 ? Point{p.x, box.max_y}
                               : Point{box.min_x, p.y},
                   box);
}

struct Run {
  std::vector<Point> points;
  double t_in = 0, t_out = 0;
};

}  // namespace

double MvtArea2(std::span<const Point> ring) {
  double sum = 0;
  const size_t n = ring.size();
  for (size_t i = 0; i < n; ++i) {
    const Point& a = ring[i];
    const Point& b = ring[(i + 1) % n];
    sum += a.x * b.y - b.x * a.y;
  }
  return sum;
}

void ClipPolygon(std::span<const std::vector<Point>> rings, const Box& box, ClippedPolygon* out) {
  out->Clear();
  if (rings.empty()) return;
  std::vector<Run> runs;
  std::vector<std::vector<Point>> whole;  // rings wholly inside the box, kept as they are
  bool box_in_shell = false;
  const Point centre{(box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2};

  for (size_t r = 0; r < rings.size(); ++r) {
    const std::vector<Point>& ring = rings[r];
    const size_t n = ring.size();
    if (n < 3) continue;
    Box bounds;
    for (const Point& p : ring) bounds.Add(p);
    if (bounds.min_x >= box.min_x && bounds.max_x <= box.max_x && bounds.min_y >= box.min_y &&
        bounds.max_y <= box.max_y) {
      whole.push_back(ring);
      continue;
    }
    size_t start = 0;
    while (!StrictlyOutside(ring[start], box)) ++start;  // exists: the ring is not inside the box
    const size_t first_run = runs.size();
    bool open = false;
    for (size_t k = 0; k < n; ++k) {
      const Point& a = ring[(start + k) % n];
      const Point& b = ring[(start + k + 1) % n];
      const std::optional<SegmentClip> s =
          bounds.Intersects(box) ? ClipSegment(a, b, box) : std::nullopt;
      if (!s) continue;
      if (!open) {
        open = true;
        runs.push_back({{s->entry}, Perimeter(s->entry, box), 0});
      }
      if (s->t1 < 1) {
        runs.back().points.push_back(s->exit);
        runs.back().t_out = Perimeter(s->exit, box);
        open = false;
      } else {
        runs.back().points.push_back(b);
      }
    }
    // Runs that only touch or follow the border add nothing the border walk does not.
    runs.erase(std::remove_if(runs.begin() + static_cast<std::ptrdiff_t>(first_run), runs.end(),
                              [&](const Run& run) {
                                return std::none_of(
                                    run.points.begin(), run.points.end(),
                                    [&](const Point& p) { return StrictlyInside(p, box); });
                              }),
               runs.end());
    if (runs.size() == first_run && RingContains(ring, centre)) {
      if (r > 0) return;  // the box lies in a hole: nothing of this polygon is here
      box_in_shell = true;
    }
  }

  // Join the runs: from each exit, clockwise along the border to the nearest entry.
  std::vector<std::vector<Point>> cycles;
  const double w = box.width(), h = box.height();
  const double perimeter = 2 * (w + h);
  const Point corners[4] = {{box.min_x, box.min_y},
                            {box.max_x, box.min_y},
                            {box.max_x, box.max_y},
                            {box.min_x, box.max_y}};
  const double corner_at[4] = {0, w, w + h, 2 * w + h};
  std::vector<bool> used(runs.size(), false);
  for (size_t first = 0; first < runs.size(); ++first) {
    if (used[first]) continue;
    std::vector<Point> cycle;
    size_t current = first;
    for (size_t guard = 0; guard <= runs.size(); ++guard) {
      used[current] = true;
      cycle.insert(cycle.end(), runs[current].points.begin(), runs[current].points.end());
      const double t = runs[current].t_out;
      size_t next = first;
      double best = std::fmod(runs[first].t_in - t + perimeter, perimeter);
      for (size_t k = 0; k < runs.size(); ++k) {
        if (used[k]) continue;
        const double d = std::fmod(runs[k].t_in - t + perimeter, perimeter);
        if (d < best) {
          best = d;
          next = k;
        }
      }
      // Corners strictly between t and the next entry, in clockwise order.
      std::vector<std::pair<double, int>> passed;
      for (int c = 0; c < 4; ++c) {
        const double d = std::fmod(corner_at[c] - t + perimeter, perimeter);
        if (d > 0 && d < best) passed.emplace_back(d, c);
      }
      std::sort(passed.begin(), passed.end());
      for (const auto& [d, c] : passed) cycle.push_back(corners[c]);
      if (next == first) break;
      current = next;
    }
    cycles.push_back(std::move(cycle));
  }
  for (auto& ring : whole) cycles.push_back(std::move(ring));
  if (runs.empty() && box_in_shell) {
    cycles.push_back({corners[0], corners[1], corners[2], corners[3]});
  }

  // Exteriors (positive) with the holes (negative) that lie in them.
  std::vector<size_t> exteriors, holes;
  for (size_t i = 0; i < cycles.size(); ++i) {
    const double a = MvtArea2(cycles[i]);
    if (a > 0) exteriors.push_back(i);
    if (a < 0) holes.push_back(i);
  }
  std::vector<std::vector<size_t>> holes_of(exteriors.size());
  for (size_t hole : holes) {
    if (exteriors.empty()) break;
    size_t owner = 0;
    if (exteriors.size() > 1) {
      const Point& probe = cycles[hole][0];
      for (size_t e = 0; e < exteriors.size(); ++e) {
        if (RingContains(cycles[exteriors[e]], probe)) {
          owner = e;
          break;
        }
      }
    }
    holes_of[owner].push_back(hole);
  }
  for (size_t e = 0; e < exteriors.size(); ++e) {
    out->rings.push_back(std::move(cycles[exteriors[e]]));
    out->is_hole.push_back(false);
    for (size_t hole : holes_of[e]) {
      out->rings.push_back(std::move(cycles[hole]));
      out->is_hole.push_back(true);
    }
  }
}

int64_t QuantizeRing(std::span<const Point> in, std::vector<TilePoint>* out) {
  out->clear();
  for (const Point& p : in) {
    const TilePoint q{static_cast<int32_t>(std::lround(p.x)),
                      static_cast<int32_t>(std::lround(p.y))};
    if (!out->empty() && out->back() == q) continue;
    if (out->size() >= 2 && (*out)[out->size() - 2] == q) {  // A, B, A: drop the spike
      out->pop_back();
      continue;
    }
    out->push_back(q);
  }
  // The same across the closing point.
  for (bool changed = true; changed && out->size() >= 3;) {
    changed = false;
    const size_t n = out->size();
    if ((*out)[n - 1] == (*out)[0]) {
      out->pop_back();
      changed = true;
    } else if ((*out)[n - 2] == (*out)[0]) {  // ..., A, B | A, ...
      out->pop_back();
      changed = true;
    } else if ((*out)[n - 1] == (*out)[1]) {  // ..., B | A, B, ...
      out->erase(out->begin());
      changed = true;
    }
  }
  if (out->size() < 3) {
    out->clear();
    return 0;
  }
  int64_t area2 = 0;
  const size_t n = out->size();
  for (size_t i = 0; i < n; ++i) {
    const TilePoint& a = (*out)[i];
    const TilePoint& b = (*out)[(i + 1) % n];
    area2 += int64_t{a.x} * b.y - int64_t{b.x} * a.y;
  }
  if (area2 == 0) out->clear();
  return area2;
}

}  // namespace wangge::internal
