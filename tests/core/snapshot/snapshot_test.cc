#include "wangge/snapshot/snapshot.h"

#include <algorithm>
#include <random>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "wangge/hierarchy/hierarchy_builder.h"
#include "wangge/snapshot/box_index.h"

namespace wangge {
namespace {

using ::testing::ElementsAre;
using testing::Wkt;

std::vector<uint32_t> Sorted(std::vector<uint32_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(BoxIndex, EmptyIndexAndEmptyBoxesMatchNothing) {
  std::vector<uint32_t> hits;
  BoxIndex().Query({0, 0, 1, 1}, &hits);
  EXPECT_TRUE(hits.empty());
  const std::vector<Box> boxes = {Box(), {0, 0, 1, 1}, Box()};
  const BoxIndex index = BoxIndex::Build(boxes);
  EXPECT_EQ(index.size(), 3u);
  index.Query({-10, -10, 10, 10}, &hits);
  EXPECT_THAT(hits, ElementsAre(1u));
  hits.clear();
  index.Query(Box(), &hits);
  EXPECT_TRUE(hits.empty());
}

TEST(BoxIndex, OneBoxAndTouchingCounts) {
  const std::vector<Box> boxes = {{0, 0, 1, 1}};
  const BoxIndex index = BoxIndex::Build(boxes);
  std::vector<uint32_t> hits;
  index.Query({1, 1, 2, 2}, &hits);  // shares a corner
  EXPECT_THAT(hits, ElementsAre(0u));
  hits.clear();
  index.Query({1.0000001, 0, 2, 2}, &hits);
  EXPECT_TRUE(hits.empty());
}

TEST(BoxIndex, AgreesWithBruteForceOnRandomBoxes) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> where(0, 100);
  std::uniform_real_distribution<double> size(0, 2);
  for (size_t n : {1u, 15u, 16u, 17u, 255u, 256u, 257u, 5000u}) {
    std::vector<Box> boxes(n);
    for (Box& b : boxes) {
      const double x = where(rng), y = where(rng);
      b = {x, y, x + size(rng), y + size(rng)};
    }
    const BoxIndex index = BoxIndex::Build(boxes);
    for (int q = 0; q < 200; ++q) {
      const double x = where(rng), y = where(rng);
      const Box query{x, y, x + 10 * size(rng), y + 10 * size(rng)};
      std::vector<uint32_t> expected;
      for (uint32_t i = 0; i < n; ++i) {
        if (boxes[i].Intersects(query)) expected.push_back(i);
      }
      std::vector<uint32_t> hits;
      index.Query(query, &hits);
      ASSERT_EQ(Sorted(hits), expected) << "n=" << n << " q=" << q;
    }
  }
}

Dataset LShapeDataset() {
  HierarchyBuilder b({{"grid", "网格"}, {"unit", "单元"}});
  b.Add({.level = 0, .code = "g", .geometry = Wkt("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))")});
  // An L over the bottom and the right; a square in the top-left; a hole-free gap between.
  b.Add({.level = 1,
         .code = "L",
         .parent = "g",
         .geometry = Wkt("POLYGON ((0 0, 4 0, 4 4, 3 4, 3 1, 0 1, 0 0))")});
  b.Add({.level = 1,
         .code = "s",
         .parent = "g",
         .geometry = Wkt("POLYGON ((0 2, 2 2, 2 4, 0 4, 0 2))")});
  b.Add({.level = 1,
         .code = "ring",
         .parent = "g",
         .geometry = Wkt("POLYGON ((10 10, 20 10, 20 20, 10 20, 10 10), "
                         "(12 12, 18 12, 18 18, 12 18, 12 12))")});
  Dataset d;
  d.hierarchy = std::move(b).Build(nullptr);
  return d;
}

TEST(Snapshot, BuildsThePointIndexAndOneBoxIndexPerLevel) {
  auto built = BuildSnapshot(LShapeDataset(), {.threads = 1});
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const Snapshot& s = **built;
  EXPECT_EQ(s.version.size(), 16u);
  EXPECT_EQ(s.level_boxes.size(), 2u);
  EXPECT_EQ(s.level_boxes[1].size(), 3u);
  const Location where = s.point_index().Locate({3.5, 0.5});
  EXPECT_EQ(s.hierarchy().code(where.region), "L");
}

TEST(Snapshot, RegionsIntersectingTestsTheGeometryNotJustTheBox) {
  auto built = BuildSnapshot(LShapeDataset(), {.threads = 1});
  ASSERT_TRUE(built.ok());
  const Snapshot& s = **built;
  const Hierarchy& h = s.hierarchy();
  auto codes = [&](const Box& box) {
    std::vector<std::string> out;
    for (RegionId id : s.RegionsIntersecting(1, box)) out.emplace_back(h.code(id));
    return out;
  };
  // In the L's bounding box but in the notch between it and the square.
  EXPECT_THAT(codes({2.2, 1.2, 2.8, 1.8}), ElementsAre());
  EXPECT_THAT(codes({2.2, 1.2, 3.0, 1.8}), ElementsAre("L"));  // touches the L's inner edge
  EXPECT_THAT(codes({0.5, 0.5, 0.6, 3.0}), ElementsAre("L", "s"));
  EXPECT_THAT(codes({-1, -1, 30, 30}), ElementsAre("L", "s", "ring"));
  // Wholly inside a polygon (no edge crosses the box).
  EXPECT_THAT(codes({3.2, 2.2, 3.4, 2.4}), ElementsAre("L"));
  // In the ring's hole, and across its inner edge.
  EXPECT_THAT(codes({14, 14, 16, 16}), ElementsAre());
  EXPECT_THAT(codes({11, 14, 13, 16}), ElementsAre("ring"));
  EXPECT_THAT(codes(Box()), ElementsAre());
}

TEST(Snapshot, BuildsTheSameSideBySideAsOneAfterTheOther) {
  auto serial = BuildSnapshot(LShapeDataset(), {.threads = 1});
  auto parallel = BuildSnapshot(LShapeDataset(), {.threads = 2});
  ASSERT_TRUE(serial.ok() && parallel.ok());
  const Snapshot& a = **serial;
  const Snapshot& b = **parallel;
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.version, b.version);
  ASSERT_TRUE(a.coverage && b.coverage && a.tiles && b.tiles);
  EXPECT_EQ(a.coverage->defects.size(), b.coverage->defects.size());
  ASSERT_EQ(a.level_boxes.size(), b.level_boxes.size());
  for (size_t level = 0; level < a.level_boxes.size(); ++level) {
    EXPECT_EQ(a.RegionsIntersecting(level, {-1, -1, 30, 30}),
              b.RegionsIntersecting(level, {-1, -1, 30, 30}));
  }
  for (double x = -0.5; x < 21; x += 0.5) {
    for (double y = -0.5; y < 21; y += 0.5) {
      ASSERT_EQ(a.point_index().Locate({x, y}).region, b.point_index().Locate({x, y}).region)
          << x << " " << y;
    }
  }
  for (uint32_t z : {0u, 5u, 8u}) {
    const TileRange r = TilesCovering(a.hierarchy().bounds(), z);
    Result<std::string> ta = a.tile_source().Render(z, r.min_x, r.min_y);
    Result<std::string> tb = b.tile_source().Render(z, r.min_x, r.min_y);
    ASSERT_TRUE(ta.ok() && tb.ok());
    EXPECT_EQ(*ta, *tb) << "z" << z;
  }
}

TEST(Snapshot, LocateOnlyLeavesTilesAndCoverageUnset) {
  auto built = BuildSnapshot(LShapeDataset(), {.check_coverage = false, .build_tiles = false});
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const Snapshot& s = **built;
  EXPECT_FALSE(s.tiles.has_value());
  EXPECT_FALSE(s.coverage.has_value());
  EXPECT_EQ(s.level_boxes.size(), 2u);
  EXPECT_EQ(s.hierarchy().code(s.point_index().Locate({0.5, 3.5}).region), "s");
}

TEST(LiveSnapshot, PublishIsSeenByLaterReadersAndOldSnapshotsStayValid) {
  auto first = BuildSnapshot(LShapeDataset(), {.threads = 1});
  ASSERT_TRUE(first.ok());
  LiveSnapshot live(*first);
  std::shared_ptr<const Snapshot> held = live.Get();
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop) {
      auto s = live.Get();
      ASSERT_EQ(s->hierarchy().level_count(), 2u);
    }
  });
  for (int i = 0; i < 20; ++i) {
    auto next = BuildSnapshot(LShapeDataset(), {.threads = 1});
    ASSERT_TRUE(next.ok());
    live.Publish(*next);
  }
  stop = true;
  reader.join();
  EXPECT_NE(live.Get(), held);
  EXPECT_EQ(held->hierarchy().code(held->point_index().Locate({3.5, 0.5}).region), "L");
}

}  // namespace
}  // namespace wangge
