// Seamlessness of rendered tiles, checked on GDAL-decoded tiles with GEOS (through OGR) in tile
// coordinates: inside every tile, at every zoom 8..16, each level's features tile their parent's
// part of the tile with no hole, overlap or spill-over bigger than one pixel of a 256-pixel tile.
#include <algorithm>
#include <cstdio>

#include "core/tiles/gdal_tile_reader.h"
#include "core/tiles/lattice_hierarchy.h"
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "wangge/hierarchy/hierarchy_builder.h"
#include "wangge/synth/synth.h"
#include "wangge/tiles/tile_source.h"
#include "wangge/topology/level_topology.h"

namespace wangge {
namespace {

constexpr double kExtent = 4096;
constexpr double kPixel = (kExtent / 256) * (kExtent / 256);  // one pixel of a 256-px tile

struct Defect {
  double hole = 0, overlap = 0, spill = 0;
  double worst() const { return std::max({hole, overlap, spill}); }
};

std::unique_ptr<OGRGeometry> Valid(const OGRGeometry& g) {
  std::unique_ptr<OGRGeometry> v(g.MakeValid());
  EXPECT_NE(v, nullptr);
  return v;
}

double Area(const OGRGeometry* g) {
  if (g == nullptr || g->IsEmpty()) return 0;
  switch (wkbFlatten(g->getGeometryType())) {
    case wkbPolygon:
      return g->toPolygon()->get_Area();
    case wkbMultiPolygon:
      return g->toMultiPolygon()->get_Area();
    case wkbGeometryCollection:
      return g->toGeometryCollection()->get_Area();
    default:
      return 0;
  }
}

// Compares, inside the visible tile, each parent feature with the union of its children.
Defect CheckTile(const testing::GdalTile& tile, const std::string& parent_level,
                 const std::string& child_level, std::string* where) {
  OGRPolygon square;
  {
    OGRLinearRing ring;
    ring.addPoint(0, 0);
    ring.addPoint(kExtent, 0);
    ring.addPoint(kExtent, kExtent);
    ring.addPoint(0, kExtent);
    ring.addPoint(0, 0);
    square.addRing(&ring);
  }
  Defect worst;
  for (const auto& parent : tile.layer(parent_level)) {
    std::unique_ptr<OGRGeometry> a(Valid(*parent.geometry)->Intersection(&square));
    const std::string& code = parent.properties.at("code");
    std::unique_ptr<OGRGeometry> u;
    double sum = 0;
    for (const auto& child : tile.layer(child_level)) {
      if (child.properties.at("parent") != code) continue;
      std::unique_ptr<OGRGeometry> b(Valid(*child.geometry)->Intersection(&square));
      sum += Area(b.get());
      u = u ? std::unique_ptr<OGRGeometry>(u->Union(b.get())) : std::move(b);
    }
    Defect d;
    if (!u) {
      d.hole = Area(a.get());
    } else {
      std::unique_ptr<OGRGeometry> hole(a->Difference(u.get()));
      std::unique_ptr<OGRGeometry> spill(u->Difference(a.get()));
      d.hole = Area(hole.get());
      d.spill = Area(spill.get());
      d.overlap = sum - Area(u.get());
    }
    if (d.worst() > worst.worst()) {
      worst = d;
      *where = parent_level + " " + code + " / " + child_level;
    }
  }
  return worst;
}

// Renders every tile of zooms 8..16 (at most `per_zoom` of them per zoom, spread evenly over the
// tiles that cover the data) and returns the worst defect between consecutive shown levels, with
// where it was.
Defect WorstDefect(const Hierarchy& h, const TileSource& tiles, std::string* where,
                   uint64_t per_zoom = UINT64_MAX) {
  const auto dir = testing::ScratchDir();
  Defect worst;
  size_t checked = 0;
  for (uint32_t z = 8; z <= 16; ++z) {
    const TileRange r = TilesCovering(h.bounds(), z);
    std::vector<size_t> shown;
    for (size_t level = 0; level < h.level_count(); ++level) {
      if (tiles.zoom_range(level).min_zoom <= z && z <= tiles.zoom_range(level).max_zoom) {
        shown.push_back(level);
      }
    }
    const uint64_t stride = std::max<uint64_t>(1, r.size() / std::min(per_zoom, r.size()));
    for (uint64_t t = 0; t < r.size(); t += stride) {
      {
        const uint32_t x = r.min_x + static_cast<uint32_t>(t % (r.max_x - r.min_x + 1));
        const uint32_t y = r.min_y + static_cast<uint32_t>(t / (r.max_x - r.min_x + 1));
        Result<std::string> mvt = tiles.Render(z, x, y);
        EXPECT_TRUE(mvt.ok());
        if (mvt->empty()) continue;  // outside the data's outline
        testing::GdalTile tile = testing::ReadTileWithGdal(*mvt, dir / "t.mvt");
        for (size_t i = 0; i + 1 < shown.size(); ++i) {
          std::string at;
          const Defect d =
              CheckTile(tile, h.levels()[shown[i]].name, h.levels()[shown[i + 1]].name, &at);
          ++checked;
          if (d.worst() > worst.worst()) {
            worst = d;
            *where = at + " in tile " + std::to_string(z) + "/" + std::to_string(x) + "/" +
                     std::to_string(y);
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 100u);
  return worst;
}

TEST(Seamless, ChildrenTileTheirParentsAtEveryZoom) {  // arcs extracted by the tiles module
  Hierarchy h = testing::MakeLatticeHierarchy({.cells = 32});
  Result<TileSource> tiles = TileSource::Build(h);
  ASSERT_TRUE(tiles.ok());
  EXPECT_TRUE(tiles->notes().empty());
  std::string where;
  const Defect d = WorstDefect(h, *tiles, &where);
  std::printf("worst (tile units²): hole %.3f overlap %.3f spill %.3f at %s\n", d.hole, d.overlap,
              d.spill, where.c_str());
  EXPECT_LE(d.hole, kPixel) << where;
  EXPECT_LE(d.overlap, kPixel) << where;
  EXPECT_LE(d.spill, kPixel) << where;
}

TEST(Seamless, CoarseSimplificationStaysSeamless) {
  // 16 tile units of tolerance simplifies the wavy borders hard at every zoom.
  Hierarchy h = testing::MakeLatticeHierarchy(
      {.cells = 16, .seed = 7, .levels = {{"district", 16}, {"town", 4}, {"unit", 1}}});
  TileSourceOptions o;
  o.simplify_tolerance = 16;
  o.zoom_ranges["town"] = {8, 24};
  o.zoom_ranges["unit"] = {12, 24};
  Result<TileSource> tiles = TileSource::Build(h, o);
  ASSERT_TRUE(tiles.ok());
  std::string where;
  const Defect d = WorstDefect(h, *tiles, &where);
  EXPECT_LE(d.worst(), kPixel) << where;
}

TEST(Seamless, ChildrenTileTheirParentsWithTheTopologyModulesArcs) {
  Hierarchy h = testing::MakeLatticeHierarchy(
      {.cells = 16,
       .seed = 5,
       .levels = {{"district", 16}, {"town", 4}, {"grid", 2}, {"unit", 1}}});
  const std::vector<LevelTopology> topology = BuildTopology(h);
  ASSERT_EQ(topology.size(), h.level_count());
  TileSourceOptions o;
  o.simplify_tolerance = 4;
  Result<TileSource> tiles = TileSource::Build(h, o, topology);
  ASSERT_TRUE(tiles.ok());
  EXPECT_TRUE(tiles->notes().empty()) << tiles->notes()[0];
  std::string where;
  const Defect d = WorstDefect(h, *tiles, &where);
  EXPECT_LE(d.worst(), kPixel) << where;
}

TEST(Seamless, SynthSmallCityAtEveryZoom) {
  SynthOptions so;
  so.districts_path = (testing::SourceDir() / "data/putian/districts.geojson").string();
  so.scale = SynthScale::Small();
  Result<SynthResult> synth = Synthesize(so);
  ASSERT_TRUE(synth.ok()) << synth.status().ToString();
  const Hierarchy& h = synth->hierarchy;
  Result<TileSource> tiles = TileSource::Build(h);
  ASSERT_TRUE(tiles.ok());
  for (const std::string& note : tiles->notes()) std::printf("note: %s\n", note.c_str());
  std::string where;
  const Defect d = WorstDefect(h, *tiles, &where, /*per_zoom=*/40);
  std::printf("synth small, worst (tile units²): hole %.3f overlap %.3f spill %.3f at %s\n", d.hole,
              d.overlap, d.spill, where.c_str());
  EXPECT_LE(d.hole, kPixel) << where;
  EXPECT_LE(d.overlap, kPixel) << where;
  EXPECT_LE(d.spill, kPixel) << where;
}

// The check can fail: perturb the coarser level's vertices by 1e-12° so they are no longer the
// children's points; that level is then simplified per polygon, and slivers appear.
TEST(Seamless, TheCheckSeesSliversOfPerPolygonSimplification) {
  Hierarchy lattice = testing::MakeLatticeHierarchy(
      {.cells = 16, .seed = 7, .levels = {{"district", 16}, {"town", 4}, {"unit", 1}}});
  HierarchyBuilder b(std::vector<Level>(lattice.levels().begin(), lattice.levels().end()));
  for (RegionId r = 0; r < lattice.region_count(); ++r) {
    MultiPolygon g(lattice.geometry(r));
    if (lattice.level(r) == 1) {
      for (Point& p : g.mutable_points()) p.x += 1e-12;
    }
    b.Add({.level = lattice.level(r),
           .code = std::string(lattice.code(r)),
           .parent = std::string(lattice.parent_code(r)),
           .name = std::string(lattice.name(r)),
           .geometry = std::move(g)});
  }
  Hierarchy h = std::move(b).Build(nullptr);
  TileSourceOptions o;
  o.simplify_tolerance = 16;
  o.zoom_ranges["town"] = {8, 24};
  o.zoom_ranges["unit"] = {12, 24};
  Result<TileSource> tiles = TileSource::Build(h, o);
  ASSERT_TRUE(tiles.ok());
  EXPECT_FALSE(tiles->notes().empty());
  std::string where;
  const Defect d = WorstDefect(h, *tiles, &where);
  EXPECT_GT(d.worst(), kPixel) << where;
}

}  // namespace
}  // namespace wangge
