// PointIndex against brute force on generated seamless partitions: every vertex, points on
// axis-parallel edges, and random points, for several grid shapes (root size, leaf size), and
// determinism across thread counts.
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "locate/internal/cell_index.h"
#include "wangge/hierarchy/hierarchy_builder.h"
#include "wangge/locate/point_index.h"

namespace wangge {
namespace {

// An n×m lattice of jittered quadrilaterals (jitter in multiples of 1/16, so every coordinate
// and every edge midpoint is exact), each edge carrying its midpoint on both sides, some cells
// cut in two along a diagonal; 2×2 blocks of cells form the grids. Row 0 and column 0 keep
// straight axis-parallel edges.
Hierarchy Lattice(int n, int m, uint64_t seed, double x0 = 0, double y0 = 0, double size = 1) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> jitter(-3, 3);
  std::vector<Point> v(static_cast<size_t>((n + 1) * (m + 1)));
  auto at = [&](int i, int j) -> Point& { return v[static_cast<size_t>(j * (n + 1) + i)]; };
  for (int j = 0; j <= m; ++j) {
    for (int i = 0; i <= n; ++i) {
      const bool border = i == 0 || j == 0 || i == n || j == m || i == 1 || j == 1;
      const double jx = border ? 0 : jitter(rng) / 16.0, jy = border ? 0 : jitter(rng) / 16.0;
      at(i, j) = {x0 + (i + jx) * size, y0 + (j + jy) * size};
    }
  }
  auto mid = [](const Point& a, const Point& b) { return Point{(a.x + b.x) / 2, (a.y + b.y) / 2}; };
  HierarchyBuilder builder({{"grid", ""}, {"unit", ""}});
  auto add = [&](size_t level, std::string code, std::string parent, std::vector<Point> ring) {
    ring.push_back(ring.front());
    MultiPolygon g;
    g.AddRing(ring, true);
    builder.Add({.level = level,
                 .code = std::move(code),
                 .parent = std::move(parent),
                 .geometry = std::move(g)});
  };
  for (int bj = 0; bj < m; bj += 2) {
    for (int bi = 0; bi < n; bi += 2) {
      const int i1 = std::min(n, bi + 2), j1 = std::min(m, bj + 2);
      std::vector<Point> ring;
      for (int i = bi; i < i1; ++i)
        ring.insert(ring.end(), {at(i, bj), mid(at(i, bj), at(i + 1, bj))});
      for (int j = bj; j < j1; ++j)
        ring.insert(ring.end(), {at(i1, j), mid(at(i1, j), at(i1, j + 1))});
      for (int i = i1; i > bi; --i)
        ring.insert(ring.end(), {at(i, j1), mid(at(i, j1), at(i - 1, j1))});
      for (int j = j1; j > bj; --j)
        ring.insert(ring.end(), {at(bi, j), mid(at(bi, j), at(bi, j - 1))});
      char code[40];
      std::snprintf(code, sizeof code, "g%03d%03d", bi, bj);
      add(0, code, "", ring);
      for (int j = bj; j < j1; ++j) {
        for (int i = bi; i < i1; ++i) {
          const Point a = at(i, j), b = at(i + 1, j), c = at(i + 1, j + 1), d = at(i, j + 1);
          char unit[64];
          std::snprintf(unit, sizeof unit, "%s%03d%03d", code, i, j);
          if ((i * 7 + j * 3) % 4 == 0) {  // cut along the diagonal a–c
            add(1, std::string(unit) + "a", code, {a, mid(a, b), b, mid(b, c), c});
            add(1, std::string(unit) + "b", code, {c, mid(c, d), d, mid(d, a), a});
          } else {
            add(1, unit, code, {a, mid(a, b), b, mid(b, c), c, mid(c, d), d, mid(d, a)});
          }
        }
      }
    }
  }
  return std::move(builder).Build(nullptr);
}

// The brute-force answer at the finest level, by the boundary rule.
struct Expected {
  RegionId region = kNoRegion;
  int owners = 0;
  bool on_boundary = false;
};
Expected BruteForce(const Hierarchy& h, const Point& p) {
  Expected e;
  RegionId first_on_edge = kNoRegion;
  std::string_view best_code, edge_code;
  for (RegionId r : h.regions(h.level_count() - 1)) {
    const internal::RegionTest t = internal::TestRegion(h.geometry(r), p);
    if (t.inside) {
      ++e.owners;
      if (e.region == kNoRegion || h.code(r) < best_code) {
        e.region = r;
        best_code = h.code(r);
      }
    }
    if (t.on_boundary) {
      e.on_boundary = true;
      if (first_on_edge == kNoRegion || h.code(r) < edge_code) {
        first_on_edge = r;
        edge_code = h.code(r);
      }
    }
  }
  if (e.region == kNoRegion) e.region = first_on_edge;
  return e;
}

// Vertices, random points around the bounds, and random points on the straight lines
// x = min_x + size and y = min_y + size (column 1 and row 1 of a Lattice).
std::vector<Point> TestPoints(const Hierarchy& h, int random_count, uint64_t seed, double size) {
  std::vector<Point> points;
  for (RegionId r : h.regions(h.level_count() - 1)) {
    for (const Point& p : h.geometry(r).points()) points.push_back(p);
  }
  const Box b = h.bounds();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(b.min_x - 0.1 * b.width(), b.max_x + 0.1 * b.width());
  std::uniform_real_distribution<double> uy(b.min_y - 0.1 * b.height(), b.max_y + 0.1 * b.height());
  for (int i = 0; i < random_count; ++i) {
    points.push_back({ux(rng), uy(rng)});
    points.push_back({b.min_x + size, uy(rng)});
    points.push_back({ux(rng), b.min_y + size});
    points.push_back({b.min_x, uy(rng)});
  }
  return points;
}

void ExpectMatchesBruteForce(const Hierarchy& h, double size, const PointIndexOptions& options) {
  Result<PointIndex> index = PointIndex::Build(h, options);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->indexed_region_count(0), 0u);  // seamless: the grids need no geometry
  int boundary_points = 0;
  const std::vector<Point> points = TestPoints(h, 3000, 11, size);
  // The batch path descends the cells of many points in step; one at a time, a point descends
  // alone: both must give the brute force's answer.
  std::vector<Location> batch(points.size());
  index->LocateBatch(points, batch, {.threads = 1});
  for (size_t i = 0; i < points.size(); ++i) {
    const Point& p = points[i];
    const Expected e = BruteForce(h, p);
    ASSERT_LE(e.owners, 1) << p.x << " " << p.y;  // seamless: never two owners
    const Location where = index->Locate(p);
    ASSERT_EQ(batch[i], where) << p.x << " " << p.y;
    ASSERT_EQ(where.region, e.region) << p.x << " " << p.y;
    ASSERT_EQ(where.on_boundary, e.on_boundary) << p.x << " " << p.y;
    if (e.region == kNoRegion) {
      ASSERT_EQ(where.status, LocateStatus::kOutside);
    } else {
      ASSERT_EQ(where.status, e.on_boundary ? LocateStatus::kBoundary : LocateStatus::kInside);
    }
    boundary_points += e.on_boundary;
  }
  EXPECT_GT(boundary_points, 1000);
}

TEST(PointIndexPartition, MatchesBruteForceWithDefaultGrid) {
  ExpectMatchesBruteForce(Lattice(20, 14, 1), 1, {});
}

TEST(PointIndexPartition, MatchesBruteForceWithOneEdgePerLeaf) {
  ExpectMatchesBruteForce(Lattice(20, 14, 2), 1, {.max_leaf_edges = 1});
}

TEST(PointIndexPartition, MatchesBruteForceWithACoarseRootAndDeepSplits) {
  ExpectMatchesBruteForce(Lattice(20, 14, 3), 1,
                          {.max_leaf_edges = 3, .root_cells_per_edge = 0.001});
}

TEST(PointIndexPartition, MatchesBruteForceWithAFineRoot) {
  ExpectMatchesBruteForce(Lattice(20, 14, 4), 1, {.root_cells_per_edge = 8});
}

TEST(PointIndexPartition, MatchesBruteForceAtLonLatScale) {
  // Units of about 110 m near Putian: coordinates with 17 significant digits.
  ExpectMatchesBruteForce(Lattice(24, 18, 5, 118.9, 25.3, 0.001), 0.001, {.max_leaf_edges = 4});
}

TEST(PointIndexPartition, BatchResultsDoNotDependOnThreads) {
  const Hierarchy h = Lattice(30, 30, 6, 118.9, 25.3, 0.001);
  Result<PointIndex> index = PointIndex::Build(h);
  ASSERT_TRUE(index.ok());
  std::vector<Point> points = TestPoints(h, 10000, 12, 0.001);
  std::vector<Location> one(points.size()), two(points.size()), four(points.size());
  index->LocateBatch(points, one, {.max_distance_m = 30, .threads = 1});
  index->LocateBatch(points, two, {.max_distance_m = 30, .threads = 2});
  index->LocateBatch(points, four, {.max_distance_m = 30, .threads = 4});
  EXPECT_EQ(one, two);
  EXPECT_EQ(one, four);
  for (size_t i = 0; i < points.size(); i += 97) {
    EXPECT_EQ(one[i], index->Locate(points[i], {.max_distance_m = 30}));
  }
}

TEST(PointIndexPartition, BuildIsDeterministic) {
  const Hierarchy h = Lattice(16, 16, 7);
  Result<PointIndex> a = PointIndex::Build(h, {.threads = 1});
  Result<PointIndex> b = PointIndex::Build(h, {.threads = 2});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->memory_bytes(), b->memory_bytes());
  for (const Point& p : TestPoints(h, 2000, 13, 1)) ASSERT_EQ(a->Locate(p), b->Locate(p));
}

}  // namespace
}  // namespace wangge
