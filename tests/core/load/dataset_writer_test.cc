#include "wangge/load/dataset_writer.h"

#include "core/load/load_fixture.h"
#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include "support/test_support.h"
#include "wangge/hierarchy/hierarchy_builder.h"
#include "wangge/load/dataset.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Wkt;

// Expects `b` to hold the same levels, regions, attributes and geometry as `a`, bit for bit.
void ExpectSameHierarchy(const Hierarchy& a, const Hierarchy& b) {
  ASSERT_EQ(a.level_count(), b.level_count());
  for (size_t l = 0; l < a.level_count(); ++l) {
    EXPECT_EQ(a.levels()[l].name, b.levels()[l].name);
    EXPECT_EQ(a.levels()[l].label, b.levels()[l].label);
    EXPECT_THAT(b.attribute_names(l), ::testing::ElementsAreArray(a.attribute_names(l)));
  }
  ASSERT_EQ(a.region_count(), b.region_count());
  for (RegionId id = 0; id < a.region_count(); ++id) {
    ASSERT_EQ(a.level(id), b.level(id));
    EXPECT_EQ(a.code(id), b.code(id));
    EXPECT_EQ(a.name(id), b.name(id));
    EXPECT_EQ(a.parent_code(id), b.parent_code(id));
    EXPECT_EQ(a.parent(id), b.parent(id));
    for (size_t k = 0; k < a.attribute_names(a.level(id)).size(); ++k) {
      EXPECT_EQ(a.attribute(id, k), b.attribute(id, k));
    }
    const MultiPolygonView ga = a.geometry(id), gb = b.geometry(id);
    ASSERT_TRUE(
        std::equal(ga.points().begin(), ga.points().end(), gb.points().begin(), gb.points().end()))
        << a.code(id);
    EXPECT_TRUE(std::equal(ga.ring_ends().begin(), ga.ring_ends().end(), gb.ring_ends().begin(),
                           gb.ring_ends().end()));
    EXPECT_TRUE(std::equal(ga.polygon_ends().begin(), ga.polygon_ends().end(),
                           gb.polygon_ends().begin(), gb.polygon_ends().end()));
  }
}

Hierarchy FourLevels() {
  HierarchyBuilder b(
      {{"district", "区县"}, {"street", "街道"}, {"community", "社区"}, {"grid", "网格"}});
  b.SetAttributeNames(3, {"households", "网格长", "phone"});
  b.Add({.level = 0,
         .code = "350102",
         .name = "鼓楼区",
         .geometry = Wkt("POLYGON ((119.123456789012345 26.0000000000000036, 119.4 26, 119.4 26.2, "
                         "119.123456789012345 26.2, 119.123456789012345 26.0000000000000036))")});
  b.Add({.level = 1,
         .code = "350102001",
         .parent = "350102",
         .name = "鼓东街道",
         .geometry = Wkt("MULTIPOLYGON (((119.2 26, 119.3 26, 119.3 26.1, 119.2 26)), "
                         "((119.31 26, 119.32 26, 119.32 26.01, 119.31 26)))")});
  b.Add({.level = 2,
         .code = "350102001001",
         .parent = "350102001",
         .name = "社区",
         .geometry = Wkt("POLYGON ((119.2 26, 119.3 26, 119.3 26.1, 119.2 26.1, 119.2 26), "
                         "(119.21 26.01, 119.22 26.01, 119.22 26.02, 119.21 26.01))")});
  b.Add({.level = 3,
         .code = "350102001001001",
         .parent = "350102001001",
         .name = "第1网格",
         .attributes = {"420", "林小红", "13900000000"},
         .geometry = Wkt("POLYGON ((119.2 26, 119.25 26.05, 119.25 26, 119.2 26.05, 119.2 26))")});
  b.Add({.level = 3,
         .code = "350102001001002",
         .parent = "350102001001",
         .name = "",
         .attributes = {"", "", ""},
         .geometry = MultiPolygon()});
  return std::move(b).Build(nullptr);
}

TEST(WriteGeoPackage, RoundTripsVertexForVertexThroughLoadDataset) {
  const fs::path dir = testing::ScratchDir();
  const Hierarchy original = FourLevels();
  Status s = WriteGeoPackage(original, (dir / "fz.gpkg").string());
  ASSERT_TRUE(s.ok()) << s.ToString();
  Result<Dataset> d = LoadDataset((dir / "fz.gpkg").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ExpectSameHierarchy(original, d->hierarchy);
  ASSERT_EQ(d->layers.size(), 4u);
  EXPECT_EQ(d->layers[3].driver, "GPKG");
  EXPECT_THAT(d->layers[3].crs, HasSubstr("EPSG:4490"));
  // The only issue is the empty geometry.
  ASSERT_EQ(d->issues.size(), 1u) << d->issues[0].ToString();
  EXPECT_THAT(d->issues[0].message, HasSubstr("empty geometry"));
  // Only the file itself is left behind.
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path().filename().string());
  EXPECT_THAT(files, ElementsAre("fz.gpkg"));
}

TEST(WriteGeoPackage, WritesTheDefaultLayout) {
  const fs::path dir = testing::ScratchDir();
  HierarchyBuilder b(DefaultLevels());
  b.Add({.level = 1,
         .code = "350302",
         .name = "城厢区",
         .geometry = Wkt("POLYGON ((119 25, 119.1 25, 119.1 25.1, 119 25))")});
  b.Add({.level = 4,
         .code = "350302001001001",
         .parent = "350302001001",
         .name = "网格",
         .geometry = Wkt("POLYGON ((119 25, 119.1 25, 119.1 25.1, 119 25))")});
  const Hierarchy original = std::move(b).Build(nullptr);
  ASSERT_TRUE(WriteGeoPackage(original, (dir / "p.gpkg").string()).ok());

  // Any GDAL reader sees one layer per level with code, parent and name.
  GDALAllRegister();
  GDALDatasetUniquePtr g(GDALDataset::Open((dir / "p.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(g);
  ASSERT_EQ(g->GetLayerCount(), 6);
  OGRLayer* grid = g->GetLayerByName("grid");
  ASSERT_NE(grid, nullptr);
  EXPECT_EQ(grid->GetFeatureCount(), 1);
  EXPECT_EQ(grid->GetLayerDefn()->GetFieldIndex("parent"), 1);
  EXPECT_EQ(wkbFlatten(grid->GetGeomType()), wkbMultiPolygon);
  ASSERT_NE(grid->GetSpatialRef(), nullptr);
  EXPECT_STREQ(grid->GetSpatialRef()->GetAuthorityCode(nullptr), "4490");
  g.reset();

  Result<Dataset> d = LoadDataset((dir / "p.gpkg").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ExpectSameHierarchy(original, d->hierarchy);
}

TEST(WriteGeoPackage, ReplacesAnExistingFileAndReportsUnwritablePaths) {
  const fs::path dir = testing::ScratchDir();
  testing::WriteText(dir / "a.gpkg", "old content");
  const Hierarchy h = FourLevels();
  ASSERT_TRUE(WriteGeoPackage(h, (dir / "a.gpkg").string()).ok());
  Result<Dataset> d = LoadDataset((dir / "a.gpkg").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->hierarchy.region_count(), h.region_count());

  Status s = WriteGeoPackage(h, (dir / "no" / "such" / "dir" / "a.gpkg").string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_THAT(s.message(), HasSubstr("a.gpkg"));
}

TEST(WriteGeoPackage, RejectsAttributesThatClashWithTheLayout) {
  HierarchyBuilder b(std::vector<Level>{{"grid", ""}});
  b.SetAttributeNames(0, {"Code"});
  b.Add({.level = 0,
         .code = "g",
         .attributes = {"x"},
         .geometry = Wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))")});
  const Hierarchy h = std::move(b).Build(nullptr);
  const fs::path dir = testing::ScratchDir();
  Status s = WriteGeoPackage(h, (dir / "a.gpkg").string());
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("Code"));
  EXPECT_FALSE(fs::exists(dir / "a.gpkg"));
  EXPECT_TRUE(fs::is_empty(dir));  // no temporary file left
}

}  // namespace
}  // namespace wangge
