// Unit tests of the tiles module's internals: MVT encoding (decoded by GDAL), ring clipping and
// quantising, Douglas–Peucker thresholds and keep tables, the tile cache, tile math.
#include <cmath>

#include "core/tiles/gdal_tile_reader.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "tiles/internal/keep_table.h"
#include "tiles/internal/mvt_writer.h"
#include "tiles/internal/ring_clip.h"
#include "wangge/hierarchy/hierarchy_builder.h"
#include "wangge/tiles/gzip.h"
#include "wangge/tiles/tile_cache.h"
#include "wangge/tiles/tile_id.h"

namespace wangge {
namespace {

using internal::MvtGeometry;
using internal::MvtGeomType;
using internal::MvtLayerWriter;
using internal::MvtProperty;
using internal::MvtTileWriter;
using internal::TilePoint;
using ::testing::ElementsAre;
using testing::Wkt;

MvtGeometry Rings(std::initializer_list<std::vector<TilePoint>> rings) {
  MvtGeometry g;
  for (const auto& ring : rings) {
    g.points.insert(g.points.end(), ring.begin(), ring.end());
    g.EndPart();
  }
  return g;
}

TEST(MvtWriter, EmptyTileIsEmptyAndEmptyLayersAreLeftOut) {
  MvtTileWriter tile;
  tile.AddLayer(MvtLayerWriter("nothing", 4096));
  EXPECT_TRUE(tile.empty());
  EXPECT_EQ(std::move(tile).Finish(), "");
}

TEST(MvtWriter, GdalDecodesPolygonsWithHolesPointsAndTypedProperties) {
  MvtLayerWriter layer("grid", 4096);
  const MvtProperty props[] = {{"code", std::string_view("350302001001001")},
                               {"households", int64_t{420}},
                               {"ratio", 0.25},
                               {"ok", true}};
  layer.AddFeature(
      MvtGeomType::kPolygon, 7,
      Rings({{{0, 0}, {100, 0}, {100, 100}, {0, 100}}, {{10, 10}, {10, 20}, {20, 20}, {20, 10}}}),
      props);
  const MvtProperty other[] = {{"code", std::string_view("350302001001002")}, {"ok", true}};
  layer.AddFeature(
      MvtGeomType::kPolygon, 8,
      Rings({{{200, 200}, {300, 200}, {300, 300}}, {{400, 400}, {500, 400}, {500, 500}}}), other);
  MvtLayerWriter points("labels", 4096);
  MvtGeometry p;
  p.points = {{5, 6}};
  points.AddFeature(MvtGeomType::kPoint, std::nullopt, p, {});
  MvtTileWriter tile;
  tile.AddLayer(layer);
  tile.AddLayer(points);
  const std::string bytes = std::move(tile).Finish();

  testing::GdalTile t = testing::ReadTileWithGdal(bytes, testing::ScratchDir() / "t.mvt");
  ASSERT_EQ(t.layer("grid").size(), 2u);
  const auto& a = t.layer("grid")[0];
  EXPECT_EQ(a.id, 7);
  EXPECT_EQ(a.properties.at("code"), "350302001001001");
  EXPECT_EQ(a.properties.at("households"), "420");
  EXPECT_EQ(a.properties.at("ratio"), "0.25");
  EXPECT_EQ(a.properties.at("ok"), "1");
  char* wkt = nullptr;
  a.geometry->exportToWkt(&wkt);  // GDAL reports every polygon feature as a multipolygon
  EXPECT_STREQ(wkt,
               "MULTIPOLYGON (((0 0,100 0,100 100,0 100,0 0),(10 10,10 20,20 20,20 10,10 10)))");
  CPLFree(wkt);
  const auto& b = t.layer("grid")[1];
  EXPECT_EQ(b.id, 8);
  EXPECT_EQ(wkbFlatten(b.geometry->getGeometryType()), wkbMultiPolygon);
  EXPECT_FALSE(b.properties.count("households"));
  ASSERT_EQ(t.layer("labels").size(), 1u);
  EXPECT_EQ(t.layer("labels")[0].id, -1);
  EXPECT_EQ(t.layer("labels")[0].geometry->toPoint()->getX(), 5);
  EXPECT_EQ(t.layer("labels")[0].geometry->toPoint()->getY(), 6);
}

// Rings oriented as ClipPolygon expects: shell positive (clockwise on screen), holes negative.
std::vector<std::vector<Point>> Polygon(std::initializer_list<std::vector<Point>> rings) {
  std::vector<std::vector<Point>> out(rings);
  for (size_t k = 0; k < out.size(); ++k) {
    if ((k == 0) != (internal::MvtArea2(out[k]) > 0)) std::reverse(out[k].begin(), out[k].end());
  }
  return out;
}

double TotalArea(const internal::ClippedPolygon& c) {
  double sum = 0;
  for (const auto& ring : c.rings) sum += internal::MvtArea2(ring) / 2;
  return sum;
}

TEST(RingClip, ClipsToTheBox) {
  const Box box{0, 0, 10, 10};
  internal::ClippedPolygon out;
  internal::ClipPolygon(Polygon({{{-5, 2}, {5, 2}, {5, 8}, {-5, 8}}}), box, &out);
  ASSERT_EQ(out.rings.size(), 1u);
  EXPECT_DOUBLE_EQ(TotalArea(out), 30);  // 5 × 6 left inside
  internal::ClipPolygon(Polygon({{{20, 20}, {30, 20}, {30, 30}}}), box, &out);
  EXPECT_TRUE(out.rings.empty());
  internal::ClipPolygon(Polygon({{{1, 1}, {2, 1}, {2, 2}}}), box, &out);
  EXPECT_EQ(out.rings.size(), 1u);  // wholly inside: as it was
}

TEST(RingClip, AU_ShapeCutTwiceByOneSideGivesTwoRingsWithoutABridge) {
  // A "U" hanging below the box: its two legs enter through the bottom side.
  const Box box{0, 0, 10, 10};
  internal::ClippedPolygon out;
  internal::ClipPolygon(
      Polygon({{{2, 5}, {4, 5}, {4, 15}, {6, 15}, {6, 5}, {8, 5}, {8, 20}, {2, 20}}}), box, &out);
  ASSERT_EQ(out.rings.size(), 2u);
  EXPECT_FALSE(out.is_hole[0]);
  EXPECT_FALSE(out.is_hole[1]);
  EXPECT_DOUBLE_EQ(internal::MvtArea2(out.rings[0]) / 2, 10);
  EXPECT_DOUBLE_EQ(internal::MvtArea2(out.rings[1]) / 2, 10);
  for (const auto& ring : out.rings) {
    for (const Point& p : ring) EXPECT_LE(p.y, 10);
  }
}

TEST(RingClip, HolesAndBoxesInsideRings) {
  const Box box{0, 0, 10, 10};
  internal::ClippedPolygon out;
  // The box lies inside the shell: the box itself, plus a hole wholly inside it.
  internal::ClipPolygon(
      Polygon({{{-10, -10}, {20, -10}, {20, 20}, {-10, 20}}, {{4, 4}, {6, 4}, {6, 6}, {4, 6}}}),
      box, &out);
  ASSERT_EQ(out.rings.size(), 2u);
  EXPECT_FALSE(out.is_hole[0]);
  EXPECT_TRUE(out.is_hole[1]);
  EXPECT_DOUBLE_EQ(TotalArea(out), 100 - 4);
  // The box lies inside a hole: nothing.
  internal::ClipPolygon(Polygon({{{-10, -10}, {20, -10}, {20, 20}, {-10, 20}},
                                 {{-5, -5}, {15, -5}, {15, 15}, {-5, 15}}}),
                        box, &out);
  EXPECT_TRUE(out.rings.empty());
  // A hole cut by the border opens into the shell: one exterior ring, no hole.
  internal::ClipPolygon(
      Polygon({{{-10, -10}, {20, -10}, {20, 20}, {-10, 20}}, {{-2, 3}, {2, 3}, {2, 5}, {-2, 5}}}),
      box, &out);
  ASSERT_EQ(out.rings.size(), 1u);
  EXPECT_DOUBLE_EQ(TotalArea(out), 100 - 4);
}

TEST(RingClip, SharedEdgesCrossTheBorderAtTheSameBits) {
  const Box box{0, 0, 10, 10};
  const Point a{-3.3, 1.7}, b{7.1, 9.9};
  internal::ClippedPolygon left, right;
  internal::ClipPolygon(Polygon({{a, b, {-3.3, 9.9}}}), box, &left);
  internal::ClipPolygon(Polygon({{b, a, {7.1, 1.7}}}), box, &right);
  // The right triangle touches x = 0 only where edge ab crosses it.
  Point crossing{-1, -1};
  for (const Point& p : right.rings.at(0)) {
    if (p.x == 0) crossing = p;
  }
  ASSERT_NE(crossing.y, -1);
  bool found = false;
  for (const Point& p : left.rings.at(0)) {
    found |= std::bit_cast<uint64_t>(p.x) == std::bit_cast<uint64_t>(crossing.x) &&
             std::bit_cast<uint64_t>(p.y) == std::bit_cast<uint64_t>(crossing.y);
  }
  EXPECT_TRUE(found);
}

TEST(RingClip, QuantizeDropsRepeatsSpikesAndDegenerateRings) {
  std::vector<TilePoint> q;
  EXPECT_EQ(
      internal::QuantizeRing(
          std::vector<Point>{{0, 0}, {0.2, 0.1}, {10, 0}, {10, 10}, {20, 10}, {10, 10}, {0, 10}},
          &q),
      200);
  EXPECT_THAT(q,
              ElementsAre(TilePoint{0, 0}, TilePoint{10, 0}, TilePoint{10, 10}, TilePoint{0, 10}));
  EXPECT_EQ(internal::QuantizeRing(std::vector<Point>{{0, 0}, {0.3, 0.3}, {0.1, 0.4}}, &q), 0);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(internal::QuantizeRing(std::vector<Point>{{0, 0}, {5, 5}, {10, 10}}, &q),
            0);  // collinear: no area
  // Clockwise on screen (y down) is positive.
  EXPECT_GT(internal::QuantizeRing(std::vector<Point>{{0, 0}, {10, 0}, {10, 10}}, &q), 0);
  EXPECT_LT(internal::QuantizeRing(std::vector<Point>{{0, 0}, {0, 10}, {10, 10}}, &q), 0);
}

TEST(KeepTable, DouglasPeuckerThresholdsAreMonotoneAlongTheRecursion) {
  std::vector<double> t;
  internal::DouglasPeuckerThresholds({{0, 0}, {1, 0.1}, {2, -0.1}, {3, 5}, {4, 0}}, &t);
  ASSERT_EQ(t.size(), 5u);
  EXPECT_TRUE(std::isinf(t[0]) && std::isinf(t[4]));
  EXPECT_DOUBLE_EQ(t[3], 5);
  EXPECT_LE(t[1], t[3]);
  EXPECT_LE(t[2], t[3]);
  EXPECT_EQ(internal::MinZoomForThreshold(0, 1e-6), internal::kNeverKept);
  EXPECT_EQ(internal::MinZoomForThreshold(2e-6, 1e-6), 0);
  // Kept at z iff threshold > tolerance / 2^z: 1e-6 / 2^3 = 1.25e-7 < 1.3e-7.
  EXPECT_EQ(internal::MinZoomForThreshold(1.3e-7, 1e-6), 3);
  EXPECT_EQ(internal::MinZoomForThreshold(1.25e-7, 1e-6), 4);
}

TEST(KeepTable, SharedVerticesGetTheSameDecisionInEveryRing) {
  // Two units sharing a wavy border, and their parent, whose ring runs through the same points.
  HierarchyBuilder b(std::vector<Level>{{"district", ""}, {"unit", ""}});
  const std::string border = "1 0, 1.01 0.1, 0.99 0.2, 1.02 0.3, 1 0.4, 0.98 0.5, 1.001 0.6, 1 1";
  const std::string border_reversed =
      "1 1, 1.001 0.6, 0.98 0.5, 1 0.4, 1.02 0.3, 0.99 0.2, 1.01 0.1, 1 0";
  b.Add(
      {.level = 0, .code = "d", .geometry = Wkt("POLYGON ((0 0, 1 0, 2 0, 2 1, 1 1, 0 1, 0 0))")});
  b.Add({.level = 1,
         .code = "a",
         .parent = "d",
         .geometry = Wkt("POLYGON ((0 0, " + border + ", 0 1, 0 0))")});
  b.Add({.level = 1,
         .code = "b",
         .parent = "d",
         .geometry = Wkt("POLYGON ((2 0, 2 1, " + border_reversed + ", 2 0))")});
  Hierarchy h = std::move(b).Build(nullptr);
  internal::PointLayout layout(h);
  std::vector<std::string> notes;
  const std::vector<uint8_t> table = internal::BuildKeepTable(h, layout, 1, 1.0 / 4096, &notes);
  EXPECT_TRUE(notes.empty());
  ASSERT_EQ(table.size(), layout.size());
  std::map<std::pair<double, double>, uint8_t> seen;
  bool some_dropped_early = false;
  for (RegionId r = 0; r < h.region_count(); ++r) {
    const auto pts = h.geometry(r).points();
    for (size_t i = 0; i < pts.size(); ++i) {
      const uint8_t z = table[layout.region_begin[r] + i];
      auto [it, inserted] = seen.emplace(std::pair(pts[i].x, pts[i].y), z);
      EXPECT_EQ(it->second, z) << "vertex " << pts[i].x << " " << pts[i].y;
      some_dropped_early |= z > 0;
    }
  }
  EXPECT_TRUE(some_dropped_early);
  EXPECT_EQ((seen[{1, 0}]), 0);  // nodes are always kept
  EXPECT_EQ((seen[{1, 1}]), 0);
}

TEST(TileMath, MercatorRoundTripsAndTilesCoverBoxes) {
  const Point p{119.0075, 25.4312};
  const Point back = WorldToLonLat(LonLatToWorld(p));
  EXPECT_NEAR(back.x, p.x, 1e-12);
  EXPECT_NEAR(back.y, p.y, 1e-12);
  EXPECT_EQ(LonLatToWorld({-180, 90}), (Point{0, 0}));
  const Box b = TileBoundsLonLat({1, 1, 0});
  EXPECT_DOUBLE_EQ(b.min_x, 0);
  EXPECT_DOUBLE_EQ(b.max_x, 180);
  EXPECT_NEAR(b.max_y, kMaxMercatorLatitude, 1e-9);
  EXPECT_DOUBLE_EQ(b.min_y, 0);
  const TileRange r = TilesCovering({119.0, 25.4, 119.01, 25.41}, 12);
  EXPECT_EQ(r.size(), 4u);
  const Box first = TileBoundsLonLat({12, r.min_x, r.min_y});
  EXPECT_LE(first.min_x, 119.0);
  EXPECT_GE(first.max_y, 25.41);
}

TEST(TileCache, EvictsLeastRecentlyUsedAndDropsOtherVersions) {
  TileCache cache(16 * (1000 + 200) * 4);  // about 4 entries of 1000 bytes per shard
  auto bytes = std::make_shared<const std::string>(1000, 'x');
  for (uint32_t x = 0; x < 1000; ++x) cache.Put("v1", {10, x, 0}, TileEncoding::kIdentity, bytes);
  EXPECT_LE(cache.bytes(), size_t{16 * (1000 + 200) * 4});
  EXPECT_GT(cache.entries(), 16u);
  EXPECT_LT(cache.entries(), 100u);
  EXPECT_NE(cache.Get("v1", {10, 999, 0}, TileEncoding::kIdentity), nullptr);  // newest stays
  EXPECT_EQ(cache.Get("v1", {10, 0, 0}, TileEncoding::kIdentity), nullptr);    // oldest went
  EXPECT_EQ(cache.Get("v1", {10, 999, 0}, TileEncoding::kGzip), nullptr);      // other encoding
  cache.Put("v1", {3, 1, 1}, TileEncoding::kGzip, std::make_shared<const std::string>("gz"));
  EXPECT_EQ(*cache.Get("v1", {3, 1, 1}, TileEncoding::kGzip), "gz");
  EXPECT_EQ(cache.Get("v2", {3, 1, 1}, TileEncoding::kGzip), nullptr);
  EXPECT_EQ(cache.entries(), 0u);
  EXPECT_GE(cache.hits(), 2u);
}

TEST(Gzip, RoundTripsAndRejectsGarbage) {
  const std::string text(10000, 'a');
  Result<std::string> gz = GzipCompress(text);
  ASSERT_TRUE(gz.ok());
  EXPECT_EQ(static_cast<unsigned char>((*gz)[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>((*gz)[1]), 0x8b);
  EXPECT_EQ(*GzipDecompress(*gz), text);
  EXPECT_EQ(GzipDecompress("not gzip").status().code(), StatusCode::kDataError);
}

}  // namespace
}  // namespace wangge
