#include "core/tiles/lattice_hierarchy.h"

#include <cmath>
#include <numbers>
#include <random>

#include "wangge/hierarchy/hierarchy_builder.h"

namespace wangge::testing {

Hierarchy MakeLatticeHierarchy(const LatticeOptions& o) {
  const int n = o.cells;
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  const double c = o.cell_deg;

  // Lattice nodes, jittered inside the square (the outer border stays straight).
  std::vector<Point> node(static_cast<size_t>((n + 1) * (n + 1)));
  auto at = [&](int i, int j) -> Point& { return node[static_cast<size_t>(j * (n + 1) + i)]; };
  for (int j = 0; j <= n; ++j) {
    for (int i = 0; i <= n; ++i) {
      const double jx = (i == 0 || i == n) ? 0 : unit(rng) * o.jitter * c;
      const double jy = (j == 0 || j == n) ? 0 : unit(rng) * o.jitter * c;
      at(i, j) = {o.lon0 + i * c + jx, o.lat0 + j * c + jy};
    }
  }
  // One wavy polyline per lattice edge (end points included), tapered to 0 at the ends.
  auto make_edge = [&](const Point& a, const Point& b, bool straight) {
    std::vector<Point> line = {a};
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len = std::hypot(dx, dy);
    for (int k = 1; k <= o.wiggles; ++k) {
      const double t = static_cast<double>(k) / (o.wiggles + 1);
      const double off = straight ? 0 : unit(rng) * o.wave * c * std::sin(std::numbers::pi * t);
      line.push_back({a.x + t * dx - dy / len * off, a.y + t * dy + dx / len * off});
    }
    line.push_back(b);
    return line;
  };
  std::vector<std::vector<Point>> horizontal(
      static_cast<size_t>(n * (n + 1)));  // (i, j) → (i+1, j)
  std::vector<std::vector<Point>> vertical(static_cast<size_t>((n + 1) * n));  // (i, j) → (i, j+1)
  for (int j = 0; j <= n; ++j) {
    for (int i = 0; i < n; ++i) {
      horizontal[static_cast<size_t>(j * n + i)] =
          make_edge(at(i, j), at(i + 1, j), j == 0 || j == n);
    }
  }
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i <= n; ++i) {
      vertical[static_cast<size_t>(j * (n + 1) + i)] =
          make_edge(at(i, j), at(i, j + 1), i == 0 || i == n);
    }
  }
  auto h_edge = [&](int i, int j) -> const std::vector<Point>& {
    return horizontal[static_cast<size_t>(j * n + i)];
  };
  auto v_edge = [&](int i, int j) -> const std::vector<Point>& {
    return vertical[static_cast<size_t>(j * (n + 1) + i)];
  };
  // The counter-clockwise ring of the block of cells [i0, i1) × [j0, j1).
  auto block_ring = [&](int i0, int j0, int i1, int j1) {
    std::vector<Point> ring;
    auto append = [&ring](const std::vector<Point>& line, bool reversed) {
      for (size_t k = 0; k < line.size(); ++k) {
        const Point& p = reversed ? line[line.size() - 1 - k] : line[k];
        if (ring.empty() || !(ring.back() == p)) ring.push_back(p);
      }
    };
    for (int i = i0; i < i1; ++i) append(h_edge(i, j0), false);
    for (int j = j0; j < j1; ++j) append(v_edge(i1, j), false);
    for (int i = i1 - 1; i >= i0; --i) append(h_edge(i, j1), true);
    for (int j = j1 - 1; j >= j0; --j) append(v_edge(i0, j), true);
    return ring;  // closed: the last append ends at the first point
  };

  std::vector<Level> levels;
  for (const auto& [name, side] : o.levels) levels.push_back({name, name});
  HierarchyBuilder builder(levels);
  auto code = [&](size_t level, int bi, int bj) {
    return o.levels[level].first + "-" + std::to_string(bi) + "-" + std::to_string(bj);
  };
  for (size_t level = 0; level < o.levels.size(); ++level) {
    const int side = o.levels[level].second;
    for (int bj = 0; bj < n / side; ++bj) {
      for (int bi = 0; bi < n / side; ++bi) {
        MultiPolygon geometry;
        geometry.AddRing(block_ring(bi * side, bj * side, (bi + 1) * side, (bj + 1) * side), true);
        std::string parent;
        if (level > 0) {
          const int ps = o.levels[level - 1].second;
          parent = code(level - 1, bi * side / ps, bj * side / ps);
        }
        builder.Add(
            {.level = level,
             .code = code(level, bi, bj),
             .parent = parent,
             .name = o.levels[level].first + " " + std::to_string(bi) + "," + std::to_string(bj),
             .geometry = std::move(geometry)});
      }
    }
  }
  return std::move(builder).Build(nullptr);
}

}  // namespace wangge::testing
