// Reprojection on load: the same lon/lat polygons written by GDAL in other CRSs must come back as
// the same lon/lat (within 1e-7 degrees, about 1 cm), and lon/lat sources bit for bit.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/load/load_fixture.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "wangge/geometry/wkt.h"
#include "wangge/load/dataset.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;
using testing::FixtureLayer;
using ::testing::HasSubstr;
using testing::WriteFixture;

// Around Xiamen (zone 39 of the CGCS2000 3-degree Gauss-Krüger CRSs: central meridian 117°E).
constexpr const char* kShapes[] = {
    "POLYGON ((117.91 24.43, 118.02 24.43, 118.02 24.51, 117.91 24.51, 117.91 24.43))",
    "POLYGON ((118.02 24.43, 118.19 24.44, 118.2 24.56, 118.02 24.51, 118.02 24.43), "
    "(118.05 24.46, 118.1 24.46, 118.1 24.49, 118.05 24.46))",
    "MULTIPOLYGON (((117.0 24.6, 117.05 24.6, 117.05 24.65, 117.0 24.6)), "
    "((118.3 24.2, 118.35 24.2, 118.35 24.25, 118.3 24.2)))",
};

FixtureLayer GridLayer(const std::string& crs, const std::string& name = "grid") {
  FixtureLayer layer{.name = name, .crs = crs};
  for (size_t i = 0; i < std::size(kShapes); ++i) {
    layer.rows.push_back({{"g" + std::to_string(i), "", "网格"}, kShapes[i]});
  }
  return layer;
}

// Returns `g` with every ring counter-clockwise and starting at its lowest vertex (rounded to
// 1e-6 degrees), as a Shapefile writer may reorient and rotate rings.
MultiPolygon Normalized(const MultiPolygonView& g) {
  MultiPolygon out;
  for (size_t p = 0; p < g.polygon_count(); ++p) {
    for (size_t r = 0; r < g.polygon(p).ring_count(); ++r) {
      const RingView ring = g.polygon(p).ring(r);
      std::vector<Point> v(ring.begin(), ring.end() - 1);
      double area = 0;
      for (size_t k = 0; k < v.size(); ++k) {
        const Point& a = v[k];
        const Point& b = v[(k + 1) % v.size()];
        area += a.x * b.y - b.x * a.y;
      }
      if (area < 0) std::reverse(v.begin(), v.end());
      const auto key = [](const Point& q) {
        return std::pair(std::round(q.x * 1e6), std::round(q.y * 1e6));
      };
      std::rotate(v.begin(),
                  std::min_element(v.begin(), v.end(),
                                   [&](const Point& a, const Point& b) { return key(a) < key(b); }),
                  v.end());
      out.AddRing(v, r == 0);
    }
  }
  return out;
}

// Expects the loaded grids to match kShapes vertex for vertex within `tolerance` degrees (up to
// ring orientation and start if `normalize`).
void ExpectShapes(const Dataset& d, double tolerance, bool normalize = false) {
  const Hierarchy& h = d.hierarchy;
  ASSERT_EQ(h.region_count(), std::size(kShapes));
  for (size_t i = 0; i < std::size(kShapes); ++i) {
    const RegionId id = h.Find("g" + std::to_string(i));
    ASSERT_NE(id, kNoRegion) << i;
    const MultiPolygon expected =
        normalize ? Normalized(testing::Wkt(kShapes[i]).view()) : testing::Wkt(kShapes[i]);
    const MultiPolygon got_owned =
        normalize ? Normalized(h.geometry(id)) : MultiPolygon(h.geometry(id));
    const MultiPolygonView got = got_owned.view();
    ASSERT_EQ(got.vertex_count(), expected.view().vertex_count()) << i;
    ASSERT_EQ(got.ring_count(), expected.view().ring_count()) << i;
    ASSERT_EQ(got.polygon_count(), expected.view().polygon_count()) << i;
    for (size_t k = 0; k < got.vertex_count(); ++k) {
      EXPECT_NEAR(got.points()[k].x, expected.view().points()[k].x, tolerance) << i << " " << k;
      EXPECT_NEAR(got.points()[k].y, expected.view().points()[k].y, tolerance) << i << " " << k;
    }
  }
}

class Reprojection : public ::testing::TestWithParam<const char*> {};

TEST_P(Reprojection, GeoPackageComesBackInLonLat) {
  const fs::path gpkg = testing::ScratchDir() / "a.gpkg";
  WriteFixture(gpkg, "GPKG", GridLayer(GetParam()));
  Result<Dataset> d = LoadDataset(gpkg.string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->issues.empty()) << d->issues[0].ToString();
  EXPECT_THAT(d->layers[0].crs, HasSubstr(GetParam()));
  ExpectShapes(*d, 1e-7);
}

INSTANTIATE_TEST_SUITE_P(Crs, Reprojection,
                         ::testing::Values("EPSG:4326", "EPSG:4490", "EPSG:4527", "EPSG:4548",
                                           "EPSG:3857", "EPSG:32650"),
                         [](const ::testing::TestParamInfo<const char*>& param) {
                           return std::string(param.param).substr(5);
                         });

TEST(Reprojection, LonLatSourcesAreKeptBitForBit) {
  for (const char* crs : {"EPSG:4326", "EPSG:4490"}) {
    const fs::path gpkg = testing::ScratchDir() / "a.gpkg";
    WriteFixture(gpkg, "GPKG", GridLayer(crs));
    Result<Dataset> d = LoadDataset(gpkg.string());
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    ExpectShapes(*d, 0.0);
  }
}

TEST(Reprojection, ShapefileWithPrjAndGeoJsonWithCrsMember) {
  const fs::path dir = testing::ScratchDir();
  fs::create_directory(dir / "shp");
  WriteFixture(dir / "shp" / "grid.shp", "ESRI Shapefile", GridLayer("EPSG:4527"));
  Result<Dataset> d = LoadDataset((dir / "shp").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_THAT(d->layers[0].crs, HasSubstr("4527"));
  ExpectShapes(*d, 1e-7, /*normalize=*/true);

  fs::create_directory(dir / "json");
  WriteFixture(dir / "json" / "grid.geojson", "GeoJSON", GridLayer("EPSG:3857"));
  d = LoadDataset((dir / "json").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_THAT(d->layers[0].crs, HasSubstr("3857"));
  ExpectShapes(*d, 1e-7);
}

// Independent of GDAL's forward projection: coordinates computed from the published formulas.
TEST(Reprojection, MatchesHandComputedCoordinates) {
  const fs::path gpkg = testing::ScratchDir() / "a.gpkg";
  // Web Mercator (spherical, R = 6378137 m).
  const double r = 6378137.0, deg = std::numbers::pi / 180;
  const auto mx = [&](double lon) { return r * lon * deg; };
  const auto my = [&](double lat) {
    return r * std::log(std::tan(std::numbers::pi / 4 + lat * deg / 2));
  };
  char wkt[512];
  std::snprintf(wkt, sizeof(wkt), "POLYGON ((%.10f %.10f, %.10f %.10f, %.10f %.10f, %.10f %.10f))",
                mx(119.0), my(25.4), mx(119.1), my(25.4), mx(119.1), my(25.5), mx(119.0), my(25.4));
  WriteFixture(gpkg, "GPKG",
               {.name = "grid",
                .crs = "EPSG:3857",
                .rows = {{{"m", "", ""}, "", testing::OgrGeometry(wkt)}}});
  // CGCS2000 3-degree GK zone 39: a point on the central meridian (117°E) has easting exactly
  // 39 500 000 m (false easting with the zone prefix); the northing of 24.5°N is the meridian arc,
  // 2 711 000 m is close to it, so check longitude only for that vertex.
  WriteFixture(gpkg, "GPKG",
               {.name = "unit",
                .crs = "EPSG:4527",
                .rows = {{{"k", "m", ""},
                          "",
                          testing::OgrGeometry("POLYGON ((39500000 2711000, 39510000 2711000, "
                                               "39510000 2721000, 39500000 2711000))")}}});
  Result<Dataset> d = LoadDataset(gpkg.string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  const MultiPolygonView m = d->hierarchy.geometry(d->hierarchy.Find("m"));
  ASSERT_EQ(m.vertex_count(), 4u);
  EXPECT_NEAR(m.points()[0].x, 119.0, 1e-9);
  EXPECT_NEAR(m.points()[0].y, 25.4, 1e-9);
  EXPECT_NEAR(m.points()[2].x, 119.1, 1e-9);
  EXPECT_NEAR(m.points()[2].y, 25.5, 1e-9);
  const MultiPolygonView k = d->hierarchy.geometry(d->hierarchy.Find("k"));
  EXPECT_NEAR(k.points()[0].x, 117.0, 1e-9);
  EXPECT_NEAR(k.points()[0].y, 24.5, 0.01);
  EXPECT_GT(k.points()[1].x, 117.09);  // 10 km east at 24.5°N is about 0.0988°
  EXPECT_LT(k.points()[1].x, 117.11);
}

TEST(Reprojection, LayerWithoutCrsIsTakenAsLonLatWithAWarning) {
  const fs::path dir = testing::ScratchDir();
  fs::create_directory(dir / "lonlat");
  WriteFixture(dir / "lonlat" / "grid.shp", "ESRI Shapefile", GridLayer(""));
  Result<Dataset> d = LoadDataset((dir / "lonlat").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ExpectShapes(*d, 0.0, /*normalize=*/true);
  ASSERT_EQ(d->issues.size(), 1u);
  EXPECT_EQ(d->issues[0].severity, LoadIssue::Severity::kWarning);
  EXPECT_THAT(d->issues[0].message, HasSubstr("no CRS"));
  EXPECT_EQ(d->issues[0].layer, "grid");
  EXPECT_THAT(d->layers[0].crs, HasSubstr("assumed"));

  // Projected coordinates without a .prj: every feature is an error, none is loaded.
  fs::create_directory(dir / "gk");
  WriteFixture(dir / "gk" / "grid.shp", "ESRI Shapefile", GridLayer("EPSG:4527"));
  fs::remove(dir / "gk" / "grid.prj");
  d = LoadDataset((dir / "gk").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->hierarchy.region_count(), 0u);
  EXPECT_EQ(d->layers[0].feature_count, 3u);
  EXPECT_EQ(d->error_count(), 3u);
  for (const LoadIssue& i : d->issues) {
    if (i.severity != LoadIssue::Severity::kError) continue;
    EXPECT_THAT(i.message, HasSubstr("outside the lon/lat range"));
    EXPECT_THAT(i.message, HasSubstr("crs:"));
    EXPECT_GE(i.feature_id, 0);
    EXPECT_FALSE(i.code.empty());
  }

  // The manifest declares it.
  testing::WriteText(dir / "gk.yaml", "source: gk\ncrs: EPSG:4527\nlevels:\n  - name: grid\n");
  d = LoadDataset((dir / "gk.yaml").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->issues.empty()) << d->issues[0].ToString();
  EXPECT_THAT(d->layers[0].crs, HasSubstr("manifest"));
  ExpectShapes(*d, 1e-7, /*normalize=*/true);
}

TEST(Reprojection, ManifestCrsOverridesTheDeclaredOne) {
  const fs::path dir = testing::ScratchDir();
  WriteFixture(dir / "a.gpkg", "GPKG", GridLayer("EPSG:4326"));
  testing::WriteText(dir / "m.yaml", "source: a.gpkg\ncrs: EPSG:4490\nlevels:\n  - name: grid\n");
  Result<Dataset> d = LoadDataset((dir / "m.yaml").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_THAT(d->layers[0].crs, HasSubstr("4490"));
  ExpectShapes(*d, 0.0);

  testing::WriteText(dir / "bad.yaml",
                     "source: a.gpkg\ncrs: EPSG:999999\nlevels:\n  - name: grid\n");
  d = LoadDataset((dir / "bad.yaml").string());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kDataError);
  EXPECT_THAT(d.status().message(), HasSubstr("EPSG:999999"));
}

}  // namespace
}  // namespace wangge
