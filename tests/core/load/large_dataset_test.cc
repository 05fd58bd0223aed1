// Putian-scale round trip (labelled slow): ~135k units and ~10M vertices written by
// WriteGeoPackage and read back by LoadDataset, vertex for vertex. Set WANGGE_LARGE_GPKG to a path
// to keep the file (e.g. to time `wangge inspect` on it).
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "support/test_support.h"
#include "wangge/hierarchy/hierarchy_builder.h"
#include "wangge/load/dataset.h"
#include "wangge/load/dataset_writer.h"

namespace wangge {
namespace {

// A rectangle with `per_side` vertices on each side, edges wiggled deterministically.
MultiPolygon Cell(double x0, double y0, double w, double h, int per_side, uint32_t seed) {
  std::vector<Point> ring;
  const double dx = w / per_side, dy = h / per_side;
  const auto wiggle = [&](int k) {
    const uint32_t v = (seed * 2654435761u) ^ (static_cast<uint32_t>(k) * 40503u);
    return (static_cast<double>(v % 1000) / 1000.0 - 0.5) * 0.1;
  };
  for (int k = 0; k < per_side; ++k) ring.push_back({x0 + k * dx, y0 + wiggle(k) * dy});
  for (int k = 0; k < per_side; ++k) {
    ring.push_back({x0 + w + wiggle(k + 100) * dx, y0 + k * dy});
  }
  for (int k = 0; k < per_side; ++k) {
    ring.push_back({x0 + w - k * dx, y0 + h + wiggle(k + 200) * dy});
  }
  for (int k = 0; k < per_side; ++k) {
    ring.push_back({x0 + wiggle(k + 300) * dx, y0 + h - k * dy});
  }
  ring.push_back(ring.front());
  MultiPolygon m;
  m.AddRing(ring, true);
  return m;
}

// Returns a code of `digits` digits, distinct for each n < 10^(digits-1).
std::string Code(uint64_t n, int digits) {
  uint64_t base = 1;
  for (int k = 1; k < digits; ++k) base *= 10;
  return std::to_string(base + n);
}

// Putian's counts per level: 1 city, 5 districts, 54 towns, 973 communities, 10,439 grids,
// 134,753 units; parents are assigned round-robin, geometry on a lattice.
Hierarchy PutianScale() {
  const uint64_t counts[] = {1, 5, 54, 973, 10439, 134753};
  const int digits[] = {6, 6, 9, 12, 15, 19};
  const int vertices_per_side[] = {2000, 1000, 250, 100, 25, 16};
  HierarchyBuilder b(DefaultLevels());
  b.SetAttributeNames(5, {"households"});
  for (size_t level = 0; level < 6; ++level) {
    const uint64_t n = counts[level];
    const auto side = static_cast<uint64_t>(std::ceil(std::sqrt(static_cast<double>(n))));
    const double w = 1.0 / static_cast<double>(side);
    for (uint64_t i = 0; i < n; ++i) {
      RegionInput r;
      r.level = level;
      // The city and the districts both have 6 digits: districts start at 1.
      r.code = Code(i + (level == 1 ? 1 : 0), digits[level]);
      if (level > 0) {
        r.parent = Code(i * counts[level - 1] / n + (level == 2 ? 1 : 0), digits[level - 1]);
      }
      r.name = "区域" + std::to_string(i);
      if (level == 5) r.attributes = {std::to_string(i % 400)};
      r.geometry =
          Cell(118.5 + static_cast<double>(i % side) * w, 25.0 + static_cast<double>(i / side) * w,
               w, w, vertices_per_side[level], static_cast<uint32_t>(i));
      b.Add(std::move(r));
    }
  }
  return std::move(b).Build(nullptr);
}

TEST(LargeDataset, PutianScaleRoundTripsThroughGeoPackage) {
  const Hierarchy original = PutianScale();
  const char* keep = std::getenv("WANGGE_LARGE_GPKG");
  const std::string path = keep ? keep : (testing::ScratchDir() / "putian.gpkg").string();
  Status s = WriteGeoPackage(original, path);
  ASSERT_TRUE(s.ok()) << s.ToString();

  Result<Dataset> d = LoadDataset(path);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  const Hierarchy& h = d->hierarchy;
  EXPECT_TRUE(d->issues.empty()) << d->issues[0].ToString();
  ASSERT_EQ(h.region_count(), original.region_count());
  EXPECT_EQ(h.regions(5).size(), 134753u);
  size_t vertices = 0;
  for (RegionId id = 0; id < h.region_count(); ++id) {
    ASSERT_EQ(h.code(id), original.code(id));
    ASSERT_EQ(h.parent(id), original.parent(id));
    const MultiPolygonView a = original.geometry(id), g = h.geometry(id);
    ASSERT_TRUE(
        std::equal(a.points().begin(), a.points().end(), g.points().begin(), g.points().end()));
    vertices += g.vertex_count();
  }
  EXPECT_GT(vertices, 10'000'000u);
  if (!keep) std::filesystem::remove(path);  // 200+ MB
}

}  // namespace
}  // namespace wangge
