#include "wangge/load/dataset.h"

#include <cmath>
#include <limits>
#include <thread>

#include "core/load/load_fixture.h"
#include <cpl_vsi.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "wangge/geometry/wkt.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::ElementsAre;
using testing::FixtureField;
using testing::FixtureLayer;
using testing::FixtureRow;
using ::testing::HasSubstr;
using testing::kNull;
using testing::OgrGeometry;
using testing::WriteFixture;
using testing::WriteText;

constexpr const char* kCity = "POLYGON ((119 25, 119.2 25, 119.2 25.2, 119 25.2, 119 25))";
constexpr const char* kWest = "POLYGON ((119 25, 119.1 25, 119.1 25.2, 119 25.2, 119 25))";
constexpr const char* kEast = "POLYGON ((119.1 25, 119.2 25, 119.2 25.2, 119.1 25.2, 119.1 25))";

std::vector<std::string> Codes(const Hierarchy& h, size_t level) {
  std::vector<std::string> codes;
  for (RegionId id : h.regions(level)) codes.emplace_back(h.code(id));
  return codes;
}

std::vector<std::string> LevelNames(const Hierarchy& h) {
  std::vector<std::string> names;
  for (const Level& l : h.levels()) names.push_back(l.name);
  return names;
}

// Returns the issues whose text contains `text`.
std::vector<LoadIssue> IssuesWith(const Dataset& d, std::string_view text) {
  std::vector<LoadIssue> found;
  for (const LoadIssue& i : d.issues) {
    if (i.ToString().find(text) != std::string::npos) found.push_back(i);
  }
  return found;
}

Dataset Load(const fs::path& path) {
  Result<Dataset> d = LoadDataset(path.string());
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  if (!d.ok()) return Dataset();
  return std::move(d).value();
}

TEST(LoadDataset, ReadsTheDefaultGeoPackageLayout) {
  const fs::path gpkg = testing::ScratchDir() / "putian.gpkg";
  WriteFixture(gpkg, "GPKG", {.name = "city", .rows = {{{"350300", "", "莆田市"}, kCity}}});
  WriteFixture(gpkg, "GPKG",
               {.name = "district",
                .fields = {{"code"},
                           {"parent"},
                           {"name"},
                           {"households", OFTInteger},
                           {"网格长"},
                           {"area_km2", OFTReal}},
                .rows = {{{"350302", "350300", "城厢区", "420", "林小红", "3.5"}, kWest},
                         {{"350303", "350300", "涵江区", kNull, kNull, "12"}, kEast}}});
  const Dataset d = Load(gpkg);

  EXPECT_THAT(LevelNames(d.hierarchy), ElementsAre("city", "district"));
  EXPECT_EQ(d.hierarchy.levels()[1].label, "区县");
  EXPECT_THAT(Codes(d.hierarchy, 1), ElementsAre("350302", "350303"));
  const Hierarchy& h = d.hierarchy;
  const RegionId west = h.Find("350302");
  ASSERT_NE(west, kNoRegion);
  EXPECT_EQ(h.name(west), "城厢区");
  EXPECT_EQ(h.code(h.parent(west)), "350300");
  EXPECT_EQ(h.children(h.Find("350300")).size(), 2u);
  EXPECT_EQ(ToWkt(h.geometry(west)), ToWkt(testing::Wkt(kWest).view()));  // bit for bit
  EXPECT_EQ(h.feature_id(west), 1);
  EXPECT_THAT(h.attribute_names(1), ElementsAre("households", "网格长", "area_km2"));
  EXPECT_EQ(h.attribute(west, "households"), "420");
  EXPECT_EQ(h.attribute(west, "网格长"), "林小红");
  EXPECT_EQ(h.attribute(west, "area_km2"), "3.5");
  EXPECT_EQ(h.attribute(h.Find("350303"), "households"), "");
  EXPECT_EQ(h.attribute(h.Find("350303"), "area_km2"), "12");
  EXPECT_TRUE(d.issues.empty()) << d.issues[0].ToString();

  ASSERT_EQ(d.layers.size(), 2u);
  const LayerInfo& info = d.layers[1];
  EXPECT_EQ(info.level, "district");
  EXPECT_EQ(info.file, gpkg.string());
  EXPECT_EQ(info.layer, "district");
  EXPECT_EQ(info.driver, "GPKG");
  EXPECT_THAT(info.crs, HasSubstr("EPSG:4490"));
  EXPECT_EQ(info.encoding, "UTF-8");
  EXPECT_EQ(info.feature_count, 2u);
  EXPECT_EQ(info.loaded_count, 2u);
  EXPECT_EQ(d.source, gpkg.string());
}

TEST(LoadDataset, LevelsAreTheDefaultsWhoseLayerExists) {
  const fs::path gpkg = testing::ScratchDir() / "g.gpkg";
  WriteFixture(gpkg, "GPKG", {.name = "unit", .rows = {{{"u1", "g1", "单元1"}, kWest}}});
  WriteFixture(gpkg, "GPKG", {.name = "notes", .rows = {{{"x", "", ""}, kWest}}});
  WriteFixture(gpkg, "GPKG", {.name = "grid", .rows = {{{"g1", "c1", "网格1"}, kCity}}});
  const Dataset d = Load(gpkg);
  EXPECT_THAT(LevelNames(d.hierarchy), ElementsAre("grid", "unit"));  // default order
  EXPECT_EQ(d.hierarchy.code(d.hierarchy.parent(d.hierarchy.Find("u1"))), "g1");
  ASSERT_EQ(d.issues.size(), 1u);
  EXPECT_EQ(d.issues[0].layer, "notes");
  EXPECT_EQ(d.issues[0].severity, LoadIssue::Severity::kWarning);
  EXPECT_THAT(d.issues[0].message, HasSubstr("not a level"));
}

TEST(LoadDataset, ALayoutThatIsNotTheDefaultNeedsAManifest) {
  const fs::path dir = testing::ScratchDir();
  WriteFixture(dir / "fz.gpkg", "GPKG", {.name = "WG", .rows = {{{"g1", "", "网格1"}, kWest}}});
  Result<Dataset> d = LoadDataset((dir / "fz.gpkg").string());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kDataError);
  EXPECT_THAT(d.status().message(),
              AllOf(HasSubstr("fz.gpkg"), HasSubstr("WG"), HasSubstr("manifest")));

  fs::create_directory(dir / "folder");
  WriteFixture(dir / "folder" / "wg.geojson", "GeoJSON",
               {.name = "wg", .crs = "EPSG:4326", .rows = {{{"g1", "", "网格1"}, kWest}}});
  d = LoadDataset((dir / "folder").string());
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(), AllOf(HasSubstr("wg.geojson"), HasSubstr("manifest")));
}

TEST(LoadDataset, ReadsAFolderOfGeoJsonShapefileAndFlatGeobufFiles) {
  const fs::path dir = testing::ScratchDir();
  WriteFixture(
      dir / "district.geojson", "GeoJSON",
      {.name = "district", .crs = "EPSG:4326", .rows = {{{"350302", "", "城厢区"}, kCity}}});
  WriteFixture(dir / "town.shp", "ESRI Shapefile",
               {.name = "town",
                .rows = {{{"350302001", "350302", "龙桥街道"}, kWest}},
                .creation_options = {"ENCODING=UTF-8"}});
  WriteFixture(dir / "community.fgb", "FlatGeobuf",
               {.name = "community", .rows = {{{"350302001001", "350302001", "社区"}, kWest}}});
  WriteText(dir / "README.txt", "not a layer");
  const Dataset d = Load(dir);
  EXPECT_THAT(LevelNames(d.hierarchy), ElementsAre("district", "town", "community"));
  ASSERT_EQ(d.layers.size(), 3u);
  EXPECT_EQ(d.layers[0].driver, "GeoJSON");
  EXPECT_EQ(d.layers[1].driver, "ESRI Shapefile");
  EXPECT_EQ(d.layers[2].driver, "FlatGeobuf");
  EXPECT_EQ(d.hierarchy.name(d.hierarchy.Find("350302001")), "龙桥街道");
  EXPECT_EQ(d.hierarchy.code(d.hierarchy.parent(d.hierarchy.Find("350302001001"))), "350302001");
  EXPECT_TRUE(d.issues.empty()) << d.issues[0].ToString();
}

TEST(LoadDataset, IntegerCodesBecomeExactDecimalText) {
  const fs::path dir = testing::ScratchDir();
  WriteFixture(dir / "a.gpkg", "GPKG",
               {.name = "grid",
                .fields = {{"code", OFTInteger64}, {"parent", OFTInteger64}, {"name"}},
                .rows = {{{"350302001001001", "350302001001", "网格"}, kWest}}});
  Dataset d = Load(dir / "a.gpkg");
  EXPECT_THAT(Codes(d.hierarchy, 0), ElementsAre("350302001001001"));
  EXPECT_EQ(d.hierarchy.parent_code(0), "350302001001");

  // A numeric .dbf column that GDAL reads as a double.
  fs::create_directory(dir / "shp");
  WriteFixture(dir / "shp" / "district.shp", "ESRI Shapefile",
               {.name = "district",
                .fields = {{"code", OFTReal}, {"parent"}, {"name"}, {"ratio", OFTReal}},
                .rows = {{{"350302", "", "城厢区", "0.25"}, kWest}},
                .creation_options = {"ENCODING=UTF-8"}});
  d = Load(dir / "shp");
  EXPECT_THAT(Codes(d.hierarchy, 0), ElementsAre("350302"));
  EXPECT_EQ(d.hierarchy.attribute(0, "ratio"), "0.25");
}

TEST(LoadDataset, MissingOrUnreadableSourcesFailTheLoad) {
  const fs::path dir = testing::ScratchDir();
  Result<Dataset> d = LoadDataset((dir / "nope.gpkg").string());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(d.status().message(), HasSubstr("nope.gpkg"));

  WriteText(dir / "junk.gpkg", "this is not a GeoPackage");
  d = LoadDataset((dir / "junk.gpkg").string());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kIoError);
  EXPECT_THAT(d.status().message(), HasSubstr("junk.gpkg"));

  WriteText(dir / "m.yaml", "source: missing.gpkg\nlevels:\n  - name: grid\n");
  d = LoadDataset((dir / "m.yaml").string());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(d.status().message(), HasSubstr("missing.gpkg"));

  d = LoadDataset((dir / "missing.yaml").string());
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(), HasSubstr("missing.yaml"));
}

TEST(LoadDataset, MissingLayerOrFieldFailsNamingFileLayerAndField) {
  const fs::path dir = testing::ScratchDir();
  WriteFixture(dir / "a.gpkg", "GPKG",
               {.name = "WG", .fields = {{"WGBM"}, {"SQBM"}}, .rows = {{{"g1", "c1"}, kWest}}});
  WriteText(dir / "layer.yaml", "source: a.gpkg\nlevels:\n  - name: grid\n    layer: WGX\n");
  Result<Dataset> d = LoadDataset((dir / "layer.yaml").string());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(d.status().message(), AllOf(HasSubstr("a.gpkg"), HasSubstr("WGX"), HasSubstr("WG")));

  WriteText(dir / "field.yaml",
            "source: a.gpkg\nlevels:\n  - name: grid\n    layer: WG\n"
            "    fields: {code: WGBM, parent: SQBM, name: WGMC}\n");
  d = LoadDataset((dir / "field.yaml").string());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(d.status().message(),
              AllOf(HasSubstr("a.gpkg"), HasSubstr("layer WG"), HasSubstr("'WGMC'")));

  // Without a manifest, a layer named after a level must carry code, parent and name.
  WriteFixture(dir / "b.gpkg", "GPKG",
               {.name = "grid", .fields = {{"code"}, {"name"}}, .rows = {{{"g1", "n"}, kWest}}});
  WriteFixture(
      dir / "b.gpkg", "GPKG",
      {.name = "community", .fields = {{"code"}, {"name"}}, .rows = {{{"c1", "n"}, kCity}}});
  d = LoadDataset((dir / "b.gpkg").string());
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(), AllOf(HasSubstr("layer grid"), HasSubstr("'parent'")));
}

TEST(LoadDataset, TheTopLevelMayOmitTheParentField) {
  const fs::path gpkg = testing::ScratchDir() / "a.gpkg";
  WriteFixture(
      gpkg, "GPKG",
      {.name = "district", .fields = {{"code"}, {"name"}}, .rows = {{{"d1", "区"}, kCity}}});
  const Dataset d = Load(gpkg);
  EXPECT_EQ(d.hierarchy.parent_code(0), "");
  EXPECT_TRUE(d.issues.empty());
}

TEST(LoadDataset, ReportsBadFeaturesAndLoadsTheRest) {
  const fs::path gpkg = testing::ScratchDir() / "bad.gpkg";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  auto with_vertex = [](double x, double y) {
    auto ring = new OGRLinearRing();  // NOLINT: owned by the polygon
    ring->addPoint(119, 25);
    ring->addPoint(x, y);
    ring->addPoint(119.1, 25.1);
    ring->addPoint(119, 25);
    auto polygon = std::make_shared<OGRPolygon>();
    polygon->addRingDirectly(ring);
    return std::shared_ptr<OGRGeometry>(polygon);
  };
  WriteFixture(gpkg, "GPKG", {.name = "grid", .rows = {{{"g1", "", "网格"}, kCity}}});
  WriteFixture(
      gpkg, "GPKG",
      {.name = "unit",
       .rows = {
           {{"u-ok", "g1", "好"}, kWest},
           {{"u-line", "g1", ""}, "LINESTRING (119 25, 119.1 25)"},
           {{"u-point", "g1", ""}, "POINT (119 25)"},
           {{"u-mixed", "g1", ""},
            "GEOMETRYCOLLECTION (POINT (119 25), " + std::string(kWest) + ")"},
           {{"u-null", "g1", ""}, ""},
           {{"u-nan", "g1", ""}, "", with_vertex(nan, 25)},
           {{"u-inf", "g1", ""}, "", with_vertex(119.1, inf)},
           {{"", "g1", "no code"}, kWest},
           {{kNull, "g1", "null code"}, kWest},
           {{"u-empty", "g1", ""}, "POLYGON EMPTY"},
           {{"u-dup", "g1", "first"}, kWest},
           {{"u-dup", "g1", "second"}, kEast},
           {{"u-orphan", "g9", ""}, kWest},
           {{"u-bowtie", "g1", ""}, "POLYGON ((119 25, 119.1 25.1, 119.1 25, 119 25.1, 119 25))"},
           {{"u-multi", "g1", ""},
            "MULTIPOLYGON (((119 25, 119.05 25, 119.05 25.05, 119 25)), "
            "((119.1 25, 119.15 25, 119.15 25.05, 119.1 25)))"},
           {{"u-curve", "g1", ""}, "CURVEPOLYGON (CIRCULARSTRING (119 25, 119.1 25.1, 119 25))"},
           {{"u-z", "g1", ""},
            "",
            OgrGeometry("POLYGON Z ((119 25 7, 119.1 25 8, 119.1 25.1 9, 119 25 7))")},
           {{"u-hole", "g1", ""},
            "POLYGON ((119 25, 119.1 25, 119.1 25.1, 119 25.1, 119 25), "
            "(119.02 25.02, 119.04 25.02, 119.04 25.04, 119.02 25.02))"},
       }});
  const Dataset d = Load(gpkg);
  const Hierarchy& h = d.hierarchy;
  EXPECT_THAT(Codes(h, 1), ElementsAre("u-ok", "u-empty", "u-dup", "u-dup", "u-orphan", "u-bowtie",
                                       "u-multi", "u-curve", "u-z", "u-hole"));
  EXPECT_EQ(d.layers[1].feature_count, 18u);
  EXPECT_EQ(d.layers[1].loaded_count, 10u);

  // Errors: feature not loaded; each names file, layer, feature id and code.
  const auto error = [&](std::string_view code, std::string_view text) {
    for (const LoadIssue& i : d.issues) {
      if (i.code == code && i.severity == LoadIssue::Severity::kError &&
          i.message.find(text) != std::string::npos) {
        EXPECT_EQ(i.file, gpkg.string());
        EXPECT_EQ(i.layer, "unit");
        EXPECT_GT(i.feature_id, 0);
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(error("u-line", "Line String is not a polygon"));
  EXPECT_TRUE(error("u-point", "Point is not a polygon"));
  EXPECT_TRUE(error("u-mixed", "Point is not a polygon"));
  EXPECT_TRUE(error("u-null", "no geometry"));
  EXPECT_TRUE(error("u-nan", "NaN or infinite"));
  EXPECT_TRUE(error("u-inf", "NaN or infinite"));
  EXPECT_EQ(IssuesWith(d, "empty code").size(), 2u);
  EXPECT_EQ(IssuesWith(d, "empty code")[0].feature_id, 8);
  EXPECT_EQ(d.error_count(), 8u);

  // Warnings: loaded.
  const auto warning = [&](std::string_view code, std::string_view text) {
    for (const LoadIssue& i : d.issues) {
      if (i.code == code && i.severity == LoadIssue::Severity::kWarning &&
          i.message.find(text) != std::string::npos) {
        EXPECT_EQ(i.layer, "unit");
        EXPECT_GT(i.feature_id, 0);
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(warning("u-empty", "empty geometry"));
  EXPECT_TRUE(warning("u-dup", "more than one"));
  EXPECT_TRUE(warning("u-orphan", "g9"));
  EXPECT_EQ(d.warning_count(), 3u);
  EXPECT_TRUE(h.geometry(h.Find("u-empty")).empty());

  // Loaded as they are: bow-tie unchanged, parts and holes kept, curves linearised, Z dropped.
  EXPECT_EQ(
      ToWkt(h.geometry(h.Find("u-bowtie"))),
      ToWkt(testing::Wkt("POLYGON ((119 25, 119.1 25.1, 119.1 25, 119 25.1, 119 25))").view()));
  EXPECT_EQ(h.geometry(h.Find("u-multi")).polygon_count(), 2u);
  EXPECT_EQ(h.geometry(h.Find("u-hole")).ring_count(), 2u);
  EXPECT_GT(h.geometry(h.Find("u-curve")).vertex_count(), 8u);
  EXPECT_EQ(ToWkt(h.geometry(h.Find("u-z"))),
            ToWkt(testing::Wkt("POLYGON ((119 25, 119.1 25, 119.1 25.1, 119 25))").view()));
  EXPECT_THAT(d.issues[0].ToString(), HasSubstr("bad.gpkg layer unit feature"));
}

TEST(LoadDataset, UndecodableUtf8IsKeptWithReplacementCharacters) {
  const fs::path gpkg = testing::ScratchDir() / "a.gpkg";
  WriteFixture(gpkg, "GPKG", {.name = "grid", .rows = {{{"g1", "", "bad \xB3\xC7 name"}, kWest}}});
  const Dataset d = Load(gpkg);
  EXPECT_EQ(d.hierarchy.name(0), "bad \xEF\xBF\xBD\xEF\xBF\xBD name");
  ASSERT_EQ(d.issues.size(), 1u);
  EXPECT_EQ(d.issues[0].severity, LoadIssue::Severity::kWarning);
  EXPECT_EQ(d.issues[0].code, "g1");
  EXPECT_EQ(d.issues[0].feature_id, 1);
  EXPECT_THAT(d.issues[0].message, HasSubstr("name"));
}

TEST(LoadDataset, ManifestLoadsAFourLevelFuzhouStyleDataset) {
  const fs::path dir = testing::ScratchDir();
  fs::create_directory(dir / "shp");
  WriteFixture(dir / "shp" / "QX.shp", "ESRI Shapefile",
               {.name = "QX",
                .fields = {{"XZQDM"}, {"XZQMC"}},
                .rows = {{{"350102", "鼓楼区"}, kCity}},
                .creation_options = {"ENCODING=UTF-8"}});
  WriteFixture(dir / "fz.gpkg", "GPKG",
               {.name = "JD",
                .fields = {{"JDDM"}, {"XZQDM"}, {"JDMC"}},
                .rows = {{{"350102001", "350102", "鼓东街道"}, kCity}}});
  WriteFixture(dir / "fz.gpkg", "GPKG",
               {.name = "SQ",
                .fields = {{"SQDM"}, {"JDDM"}, {"SQMC"}, {"HS", OFTInteger}},
                .rows = {{{"350102001001", "350102001", "社区一", "300"}, kWest},
                         {{"350102001002", "350102001", "社区二", "280"}, kEast}}});
  WriteFixture(
      dir / "fz.gpkg", "GPKG",
      {.name = "WG",
       .fields = {{"WGBM"}, {"SQBM"}, {"WGMC"}, {"WGZ"}, {"DH"}},
       .rows = {{{"350102001001001", "350102001001", "第1网格", "林小红", "13900000000"}, kWest},
                {{"350102001002001", "350102001002", "第2网格", "陈大明", ""}, kEast}}});
  WriteText(dir / "fuzhou.yaml", R"(# Fuzhou-style: four levels
source: fz.gpkg
levels:
  - name: district
    label: 区县
    source: shp          # a folder: the file named after the layer
    layer: QX
    fields: {code: XZQDM, parent: "", name: XZQMC}
  - name: street
    label: 街道
    layer: JD
    fields: {code: JDDM, parent: XZQDM, name: JDMC}
  - name: community
    label: 社区
    layer: SQ
    fields: {code: SQDM, parent: JDDM, name: SQMC}
  - name: grid
    label: 网格
    layer: WG
    fields: {code: WGBM, parent: SQBM, name: WGMC}
)");
  const Dataset d = Load(dir / "fuzhou.yaml");
  const Hierarchy& h = d.hierarchy;
  EXPECT_THAT(LevelNames(h), ElementsAre("district", "street", "community", "grid"));
  EXPECT_EQ(h.levels()[1].label, "街道");
  EXPECT_TRUE(d.issues.empty()) << d.issues[0].ToString();
  const RegionId grid = h.Find("350102001002001");
  ASSERT_NE(grid, kNoRegion);
  EXPECT_EQ(h.name(grid), "第2网格");
  EXPECT_EQ(h.code(h.parent(h.parent(h.parent(grid)))), "350102");
  EXPECT_EQ(h.name(h.Find("350102")), "鼓楼区");
  EXPECT_THAT(h.attribute_names(3), ElementsAre("WGZ", "DH"));
  EXPECT_EQ(h.attribute(h.Find("350102001001001"), "WGZ"), "林小红");
  EXPECT_EQ(h.attribute(h.Find("350102001001"), "HS"), "300");
  EXPECT_EQ(d.layers[0].file, (dir / "shp" / "QX.shp").string());
  EXPECT_EQ(d.layers[3].layer, "WG");
}

TEST(LoadDataset, ReadsGdalVirtualFileSystems) {
  const std::string path = "/vsimem/wangge_load_test/grid.geojson";
  const std::string json =
      R"({"type": "FeatureCollection", "features": [{"type": "Feature",)"
      R"( "properties": {"code": "g1", "parent": "", "name": "网格"},)"
      R"( "geometry": {"type": "Polygon", "coordinates": [[[119, 25], [119.1, 25], [119, 25.1], [119, 25]]]}}]})";
  VSILFILE* f = VSIFOpenL(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(VSIFWriteL(json.data(), 1, json.size(), f), json.size());
  VSIFCloseL(f);
  const Dataset d = Load(path);
  VSIUnlink(path.c_str());
  EXPECT_THAT(LevelNames(d.hierarchy), ElementsAre("grid"));
  EXPECT_EQ(d.hierarchy.name(0), "网格");
  EXPECT_EQ(d.layers[0].driver, "GeoJSON");
}

TEST(LoadDataset, LoadsTheSameFromManyThreads) {
  const fs::path gpkg = testing::ScratchDir() / "a.gpkg";
  WriteFixture(gpkg, "GPKG", {.name = "town", .rows = {{{"t", "", "镇"}, kCity}}});
  WriteFixture(gpkg, "GPKG", {.name = "grid", .rows = {{{"g", "t", "网格"}, kWest}}});
  std::vector<std::thread> threads;
  std::vector<size_t> counts(4);
  for (size_t t = 0; t < counts.size(); ++t) {
    threads.emplace_back([&, t] {
      Result<Dataset> d = LoadDataset(gpkg.string());
      counts[t] = d.ok() ? d->hierarchy.region_count() : 0;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_THAT(counts, ElementsAre(2u, 2u, 2u, 2u));
}

}  // namespace
}  // namespace wangge
