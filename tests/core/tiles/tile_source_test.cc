#include "wangge/tiles/tile_source.h"

#include <thread>

#include "core/tiles/gdal_tile_reader.h"
#include "core/tiles/lattice_hierarchy.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/test_support.h"
#include "wangge/hierarchy/hierarchy_builder.h"

namespace wangge {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadTileWithGdal;
using ::testing::UnorderedElementsAre;
using testing::Wkt;

constexpr int kExtent = 4096;

std::vector<Level> TwoLevels() { return {{"district", "区县"}, {"unit", "单元"}}; }

// A district of two units near Putian, plus a unit with a hole holding an island unit.
Hierarchy SmallHierarchy() {
  HierarchyBuilder b(TwoLevels());
  b.Add({.level = 0,
         .code = "350302",
         .name = "城厢区",
         .geometry = Wkt(
             "POLYGON ((119.00 25.40, 119.02 25.40, 119.02 25.42, 119.00 25.42, 119.00 25.40))")});
  b.Add({.level = 1,
         .code = "u1",
         .parent = "350302",
         .name = "单元一",
         .geometry = Wkt(
             "POLYGON ((119.00 25.40, 119.01 25.40, 119.01 25.42, 119.00 25.42, 119.00 25.40),"
             " (119.004 25.41, 119.004 25.414, 119.006 25.414, 119.006 25.41, 119.004 25.41))")});
  b.Add({.level = 1,
         .code = "u2",
         .parent = "350302",
         .name = "单元二",
         .geometry = Wkt(
             "POLYGON ((119.01 25.40, 119.02 25.40, 119.02 25.42, 119.01 25.42, 119.01 25.40))")});
  b.Add({.level = 1,
         .code = "u3",
         .parent = "350302",
         .name = "岛",
         .geometry = Wkt("POLYGON ((119.004 25.41, 119.006 25.41, 119.006 25.414, 119.004 25.414, "
                         "119.004 25.41))")});
  return std::move(b).Build(nullptr);
}

TileSource BuildOrDie(const Hierarchy& h, TileSourceOptions options = {}) {
  Result<TileSource> t = TileSource::Build(h, std::move(options));
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(t).value();
}

// Twice the signed area of an OGR ring by MVT 2.1's formula (tile coordinates, y down).
double MvtArea2(const OGRLinearRing& ring) {
  double sum = 0;
  for (int i = 0; i + 1 < ring.getNumPoints(); ++i) {
    sum += ring.getX(i) * ring.getY(i + 1) - ring.getX(i + 1) * ring.getY(i);
  }
  return sum;
}

// Features of all tiles of zoom z that cover the data, by layer and code (first tile wins).
using LayersByCode =
    std::map<std::string, std::map<std::string, std::shared_ptr<testing::GdalFeature>>>;
LayersByCode ReadZoom(const TileSource& tiles, const Hierarchy& h, uint32_t z) {
  LayersByCode out;
  const TileRange r = TilesCovering(h.bounds(), z);
  const auto dir = testing::ScratchDir();
  for (uint32_t y = r.min_y; y <= r.max_y; ++y) {
    for (uint32_t x = r.min_x; x <= r.max_x; ++x) {
      testing::GdalTile t = ReadTileWithGdal(*tiles.Render(z, x, y), dir / "t.mvt");
      for (auto& [layer, features] : t.layers) {
        for (auto& f : features) {
          const std::string code = f.properties.at("code");
          out[layer].try_emplace(code, std::make_shared<testing::GdalFeature>(std::move(f)));
        }
      }
    }
  }
  return out;
}

TEST(TileSource, BadTileAddressesAreInvalidArgument) {
  Hierarchy h = SmallHierarchy();
  TileSource tiles = BuildOrDie(h);
  for (auto [z, x, y] : std::vector<std::array<int64_t, 3>>{
           {-1, 0, 0}, {25, 0, 0}, {3, 8, 0}, {3, 0, 8}, {0, 1, 0}, {3, -1, 0}, {3, 0, -1}}) {
    Result<std::string> r = tiles.Render(z, x, y);
    ASSERT_FALSE(r.ok()) << z << "/" << x << "/" << y;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_THAT(tiles.Render(3, 8, 0).status().message(), HasSubstr("x 8"));
}

TEST(TileSource, ParsesTileAddressesStrictly) {
  EXPECT_EQ(*ParseTileId("15", "27080", "14035.mvt"), (TileId{15, 27080, 14035}));
  EXPECT_EQ(*ParseTileId("0", "0", "0"), (TileId{0, 0, 0}));
  for (auto [z, x, y] : std::vector<std::array<std::string_view, 3>>{{"", "0", "0"},
                                                                     {"a", "0", "0"},
                                                                     {"3", "-1", "0"},
                                                                     {"3", "+1", "0"},
                                                                     {"3", "1x", "0"},
                                                                     {"3", "1", "2.png"},
                                                                     {"99999999999", "0", "0"},
                                                                     {"3", "8", "0"},
                                                                     {"25", "0", "0"}}) {
    Result<TileId> t = ParseTileId(z, x, y);
    ASSERT_FALSE(t.ok()) << z << "/" << x << "/" << y;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(TileSource, TilesWithNothingAreEmptyStrings) {
  Hierarchy h = SmallHierarchy();
  TileSource tiles = BuildOrDie(h);
  EXPECT_EQ(*tiles.Render(12, 0, 0), "");  // far from the data
  TileSourceOptions o;
  o.zoom_ranges["district"] = {8, 20};
  o.zoom_ranges["unit"] = {12, 20};
  TileSource late = BuildOrDie(h, o);
  const TileRange r = TilesCovering(h.bounds(), 5);
  EXPECT_EQ(*late.Render(5, r.min_x, r.min_y), "");  // no level shown at zoom 5
  EXPECT_EQ(*late.Render(21, 0, 0), "");
}

TEST(TileSource, OneLayerPerLevelInItsZoomRangeWithIdsAndProperties) {
  Hierarchy h = SmallHierarchy();
  TileSourceOptions o;
  o.zoom_ranges["unit"] = {12, 24};
  TileSource tiles = BuildOrDie(h, o);

  const LayersByCode z11 = ReadZoom(tiles, h, 11);
  EXPECT_THAT(z11, ::testing::SizeIs(2));  // district + labels, no units below zoom 12
  ASSERT_EQ(z11.count("district"), 1u);
  ASSERT_EQ(z11.at("district").size(), 1u);
  const testing::GdalFeature& d = *z11.at("district").at("350302");
  EXPECT_EQ(d.id, h.Find("350302") + 1);
  EXPECT_EQ(d.properties.at("code"), "350302");
  EXPECT_EQ(d.properties.at("name"), "城厢区");
  EXPECT_EQ(d.properties.at("level"), "district");
  EXPECT_EQ(d.properties.at("parent"), "");
  ASSERT_EQ(z11.at("labels").size(), 1u);
  EXPECT_EQ(wkbFlatten(z11.at("labels").at("350302")->geometry->getGeometryType()), wkbPoint);

  const LayersByCode z13 = ReadZoom(tiles, h, 13);
  std::vector<std::string> codes;
  for (const auto& [code, f] : z13.at("unit")) {
    codes.push_back(code);
    EXPECT_EQ(f->properties.at("parent"), "350302");
    EXPECT_EQ(f->properties.at("level"), "unit");
    EXPECT_EQ(f->properties.at("name"), h.name(h.Find(code)));
    EXPECT_EQ(f->id, h.Find(code) + 1);
  }
  EXPECT_THAT(codes, UnorderedElementsAre("u1", "u2", "u3"));
  std::vector<std::string> labels;
  for (const auto& [code, f] : z13.at("labels")) labels.push_back(code);
  EXPECT_THAT(labels, UnorderedElementsAre("350302", "u1", "u2", "u3"));
}

TEST(TileSource, ExteriorRingsArePositiveHolesNegativeAndLabelsInside) {
  Hierarchy h = SmallHierarchy();
  TileSourceOptions o;
  o.zoom_ranges["unit"] = {11, 24};
  TileSource tiles = BuildOrDie(h, o);
  const auto dir = testing::ScratchDir();
  size_t holes = 0;
  for (uint32_t z = 11; z <= 16; ++z) {
    const TileRange r = TilesCovering(h.bounds(), z);
    for (uint32_t y = r.min_y; y <= r.max_y; ++y) {
      for (uint32_t x = r.min_x; x <= r.max_x; ++x) {
        const std::string mvt = *tiles.Render(z, x, y);
        if (mvt.empty()) continue;
        testing::GdalTile t = ReadTileWithGdal(mvt, dir / "t.mvt");
        for (const std::string level : {"district", "unit"}) {
          for (const auto& f : t.layer(level)) {
            const OGRGeometry* g = f.geometry.get();
            std::vector<const OGRPolygon*> polygons;
            if (wkbFlatten(g->getGeometryType()) == wkbPolygon) {
              polygons.push_back(g->toPolygon());
            } else {
              ASSERT_EQ(wkbFlatten(g->getGeometryType()), wkbMultiPolygon);
              for (const OGRPolygon* p : *g->toMultiPolygon()) polygons.push_back(p);
            }
            for (const OGRPolygon* p : polygons) {
              EXPECT_GT(MvtArea2(*p->getExteriorRing()), 0) << f.properties.at("code");
              for (int i = 0; i < p->getNumInteriorRings(); ++i) {
                EXPECT_LT(MvtArea2(*p->getInteriorRing(i)), 0) << f.properties.at("code");
                ++holes;
              }
              OGREnvelope e;
              p->getEnvelope(&e);
              EXPECT_GE(e.MinX, -64);
              EXPECT_LE(e.MaxX, kExtent + 64);
              EXPECT_GE(e.MinY, -64);
              EXPECT_LE(e.MaxY, kExtent + 64);
            }
          }
        }
        for (const auto& f : t.layer("labels")) {
          const OGRPoint* p = f.geometry->toPoint();
          EXPECT_GE(p->getX(), 0);
          EXPECT_LT(p->getX(), kExtent);
          EXPECT_GT(p->getY(), 0);  // GDAL's y up, flipped back: 0 < y <= extent
          EXPECT_LE(p->getY(), kExtent);
        }
      }
    }
  }
  EXPECT_GE(holes, 1u);  // u1's hole was seen where no tile border cuts it
}

TEST(TileSource, LabelPointsLieInsideTheirRegions) {
  Hierarchy h = SmallHierarchy();
  TileSource tiles = BuildOrDie(h);
  // u1 is a frame around a hole: its label must avoid the hole and stay inside.
  const Point p = tiles.label_point(h.Find("u1"));
  EXPECT_GT(p.x, 119.00);
  EXPECT_LT(p.x, 119.01);
  EXPECT_FALSE(p.x > 119.004 && p.x < 119.006 && p.y > 25.41 && p.y < 25.414);
  const Point island = tiles.label_point(h.Find("u3"));
  EXPECT_NEAR(island.x, 119.005, 0.0002);
  EXPECT_NEAR(island.y, 25.412, 0.0002);
}

TEST(TileSource, APolygonCoveringTheTileIsClippedToTheBuffer) {
  Hierarchy h = SmallHierarchy();
  TileSource tiles = BuildOrDie(h);
  // At zoom 17 some tile lies wholly inside u2 (0.01° wide ≈ 3.6 tiles of 0.00275°).
  const TileRange r = TilesCovering({119.013, 25.405, 119.017, 25.415}, 17);
  const auto dir = testing::ScratchDir();
  testing::GdalTile t =
      ReadTileWithGdal(*tiles.Render(17, r.min_x + 1, r.min_y + 1), dir / "t.mvt");
  ASSERT_EQ(t.layer("unit").size(), 1u);
  const OGRGeometry* g = t.layer("unit")[0].geometry.get();
  EXPECT_DOUBLE_EQ(g->toPolygon()->get_Area(), (kExtent + 128.0) * (kExtent + 128.0));
}

TEST(TileSource, TinyRingsAreDroppedAtLowZoom) {
  HierarchyBuilder b(std::vector<Level>{{"unit", "单元"}});
  b.Add({.level = 0,
         .code = "big",
         .geometry = Wkt("POLYGON ((119 25, 119.1 25, 119.1 25.1, 119 25.1, 119 25))")});
  b.Add({.level = 0,
         .code = "tiny",
         .geometry = Wkt(
             "POLYGON ((119.2 25, 119.20001 25, 119.20001 25.00001, 119.2 25.00001, 119.2 25))")});
  Hierarchy h = std::move(b).Build(nullptr);
  TileSourceOptions o;
  o.zoom_ranges["unit"] = {0, 24};
  TileSource tiles = BuildOrDie(h, o);
  const auto dir = testing::ScratchDir();
  const TileRange low = TilesCovering(h.bounds(), 9);
  ASSERT_EQ(low.size(), 1u);
  testing::GdalTile t = ReadTileWithGdal(*tiles.Render(9, low.min_x, low.min_y), dir / "t.mvt");
  ASSERT_EQ(t.layer("unit").size(), 1u);  // ~1 m: rounds to nothing at zoom 9 and is dropped
  EXPECT_EQ(t.layer("unit")[0].properties.at("code"), "big");
  const TileRange high = TilesCovering(h.bounds(h.Find("tiny")), 20);
  testing::GdalTile t20 =
      ReadTileWithGdal(*tiles.Render(20, high.min_x, high.min_y), dir / "t.mvt");
  ASSERT_EQ(t20.layer("unit").size(), 1u);
  EXPECT_EQ(t20.layer("unit")[0].properties.at("code"), "tiny");
}

TEST(TileSource, ZoomRangesAreConfigurableAndChecked) {
  Hierarchy h = SmallHierarchy();
  TileSourceOptions bad;
  bad.zoom_ranges["grid"] = {10, 12};
  EXPECT_EQ(TileSource::Build(h, bad).status().code(), StatusCode::kInvalidArgument);
  TileSourceOptions reversed;
  reversed.zoom_ranges["unit"] = {12, 10};
  EXPECT_EQ(TileSource::Build(h, reversed).status().code(), StatusCode::kInvalidArgument);

  EXPECT_EQ(DefaultZoomRange("district", 1).min_zoom, 8u);
  EXPECT_EQ(DefaultZoomRange("grid", 4).min_zoom, 13u);
  EXPECT_EQ(DefaultZoomRange("micro_grid", 7).min_zoom, 15u);
  TileSourceOptions o;
  o.zoom_ranges["unit"] = {9, 10};
  TileSource tiles = BuildOrDie(h, o);
  EXPECT_EQ(tiles.zoom_range(0).min_zoom, 8u);  // district: default by name
  EXPECT_EQ(tiles.zoom_range(1).max_zoom, 10u);
  const TileRange r = TilesCovering(h.bounds(), 11);
  const auto dir = testing::ScratchDir();
  testing::GdalTile t = ReadTileWithGdal(*tiles.Render(11, r.min_x, r.min_y), dir / "t.mvt");
  EXPECT_TRUE(t.layer("unit").empty());
}

TEST(TileSource, TileJsonDescribesTheLayers) {
  Hierarchy h = SmallHierarchy();
  TileSourceOptions o;
  o.zoom_ranges["unit"] = {14, 24};
  TileSource tiles = BuildOrDie(h, o);
  const auto j = nlohmann::json::parse(tiles.TileJson("http://127.0.0.1:8080", "00ff"));
  EXPECT_EQ(j["tilejson"], "3.0.0");
  EXPECT_EQ(j["tiles"][0], "http://127.0.0.1:8080/tiles/{z}/{x}/{y}.mvt?v=00ff");
  EXPECT_EQ(j["minzoom"], 0);
  EXPECT_EQ(j["maxzoom"], 16);
  EXPECT_EQ(j["bounds"][0], 119.0);
  EXPECT_EQ(j["bounds"][3], 25.42);
  std::vector<std::string> ids;
  for (const auto& l : j["vector_layers"]) ids.push_back(l["id"]);
  EXPECT_THAT(ids, ElementsAre("district", "unit", "labels"));
  EXPECT_EQ(j["vector_layers"][1]["minzoom"], 14);
  EXPECT_EQ(j["vector_layers"][1]["maxzoom"], 16);
  EXPECT_EQ(j["vector_layers"][1]["description"], "单元");
  EXPECT_EQ(j["vector_layers"][0]["fields"]["parent"], "String");
  EXPECT_EQ(nlohmann::json::parse(tiles.VectorLayersJson())["vector_layers"], j["vector_layers"]);
}

TEST(TileSource, StyleHasFillLineAndLabelPerLevelAndLocalGlyphs) {
  Hierarchy h = SmallHierarchy();
  TileSource tiles = BuildOrDie(h);
  const auto s = nlohmann::json::parse(tiles.Style("http://h"));
  EXPECT_EQ(s["version"], 8);
  EXPECT_EQ(s["glyphs"], "http://h/fonts/{fontstack}/{range}.pbf");
  EXPECT_EQ(s["sources"]["wangge"]["url"], "http://h/tiles.json");
  std::set<std::string> ids;
  for (const auto& l : s["layers"]) {
    ids.insert(l["id"]);
    if (l["type"] == "background") continue;
    EXPECT_EQ(l["source"], "wangge");
    const std::string layer = l["source-layer"];
    EXPECT_TRUE(layer == "district" || layer == "unit" || layer == "labels") << layer;
  }
  for (const std::string id : {"district-fill", "district-line", "district-label", "unit-fill",
                               "unit-line", "unit-label"}) {
    EXPECT_TRUE(ids.count(id)) << id;
  }
}

TEST(TileSource, RenderingIsDeterministicAcrossThreads) {
  Hierarchy h = testing::MakeLatticeHierarchy(
      {.cells = 8, .levels = {{"district", 8}, {"grid", 2}, {"unit", 1}}});
  TileSource tiles = BuildOrDie(h);
  const TileRange r = TilesCovering(h.bounds(), 15);
  std::vector<std::string> a, b;
  auto render_all = [&](std::vector<std::string>* out) {
    for (uint32_t y = r.min_y; y <= r.max_y; ++y) {
      for (uint32_t x = r.min_x; x <= r.max_x; ++x) out->push_back(*tiles.Render(15, x, y));
    }
  };
  std::thread other(render_all, &b);
  render_all(&a);
  other.join();
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a.front().empty());
}

TEST(TileSource, TablesBuiltOnFirstUseGiveTheSameTilesAsPreparedOnes) {
  Hierarchy h = testing::MakeLatticeHierarchy(
      {.cells = 8, .levels = {{"district", 8}, {"grid", 2}, {"unit", 1}}});
  const TileSource prepared = BuildOrDie(h);
  prepared.Prepare();
  const TileSource lazy = BuildOrDie(h);
  std::vector<TileId> ids;
  for (uint32_t z : {16u, 8u, 13u, 0u, 15u, 11u}) {  // not in zoom order: tables in any order
    const TileRange r = TilesCovering(h.bounds(), z);
    for (uint32_t y = r.min_y; y <= r.max_y; ++y) {
      for (uint32_t x = r.min_x; x <= r.max_x; ++x) ids.push_back({z, x, y});
    }
  }
  std::vector<std::string> a(ids.size()), b(ids.size());
  // Two threads race to build each zoom's table and label points on the lazy source.
  std::thread other([&] {
    for (size_t i = 0; i < ids.size(); ++i) b[i] = *lazy.Render(ids[i]);
  });
  for (size_t i = 0; i < ids.size(); ++i) a[i] = *lazy.Render(ids[i]);
  other.join();
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string expected = *prepared.Render(ids[i]);
    ASSERT_EQ(a[i], expected) << ids[i].z << "/" << ids[i].x << "/" << ids[i].y;
    ASSERT_EQ(b[i], expected) << ids[i].z << "/" << ids[i].x << "/" << ids[i].y;
  }
  for (RegionId r = 0; r < h.region_count(); ++r) {
    EXPECT_EQ(lazy.label_point(r), prepared.label_point(r));
  }
  EXPECT_EQ(lazy.notes().size(), prepared.notes().size());
}

TEST(TileSource, CleanNestedHierarchyHasNoNotesAndUnmatchedParentsAreReported) {
  Hierarchy clean =
      testing::MakeLatticeHierarchy({.cells = 4, .levels = {{"district", 4}, {"unit", 1}}});
  EXPECT_THAT(BuildOrDie(clean).notes(), ::testing::IsEmpty());

  // The district has a vertex (119.0005, 25.40) its units do not share.
  HierarchyBuilder b(TwoLevels());
  b.Add({.level = 0,
         .code = "d",
         .geometry = Wkt("POLYGON ((119 25.4, 119.0005 25.4, 119.002 25.4, 119.002 25.402, 119 "
                         "25.402, 119 25.4))")});
  b.Add({.level = 1,
         .code = "u1",
         .parent = "d",
         .geometry =
             Wkt("POLYGON ((119 25.4, 119.001 25.4, 119.001 25.402, 119 25.402, 119 25.4))")});
  b.Add({.level = 1,
         .code = "u2",
         .parent = "d",
         .geometry = Wkt("POLYGON ((119.001 25.4, 119.002 25.4, 119.002 25.402, 119.001 25.402, "
                         "119.001 25.4))")});
  Hierarchy h = std::move(b).Build(nullptr);
  TileSource tiles = BuildOrDie(h);
  ASSERT_FALSE(tiles.notes().empty());
  EXPECT_THAT(tiles.notes()[0], HasSubstr("level district: 1 regions"));
  EXPECT_THAT(tiles.notes()[0], HasSubstr("per polygon"));
}

}  // namespace
}  // namespace wangge
