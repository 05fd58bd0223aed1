#include "wangge/load/manifest.h"

#include "core/load/load_fixture.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace wangge {
namespace {

using ::testing::HasSubstr;

TEST(Manifest, RejectsUnknownKeysNamingKeyAndLine) {
  Result<Manifest> m = ParseManifest(
      "source: a.gpkg\n"
      "levels:\n"
      "  - name: grid\n"
      "    lyer: WG\n",
      "dir/m.yaml");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kDataError);
  EXPECT_THAT(m.status().message(), HasSubstr("dir/m.yaml line 4"));
  EXPECT_THAT(m.status().message(), HasSubstr("unknown key 'lyer' in level 1"));

  m = ParseManifest("source: a.gpkg\nlevel:\n  - name: grid\n", "m.yaml");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("line 2: unknown key 'level'"));

  m = ParseManifest("source: a.gpkg\nlevels:\n  - name: grid\n    fields: {code: A, nam: B}\n",
                    "m.yaml");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("line 4"));
  EXPECT_THAT(m.status().message(), HasSubstr("unknown key 'nam'"));
}

TEST(Manifest, RejectsMalformedManifests) {
  const struct {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"", "must be a map"},
      {"source: a.gpkg\n", "no 'levels'"},
      {"source: a.gpkg\nlevels: []\n", "non-empty list"},
      {"source: a.gpkg\nlevels: grid\n", "non-empty list"},
      {"source: a.gpkg\nlevels:\n  - label: 网格\n", "has no 'name'"},
      {"source: a.gpkg\nlevels:\n  - name: 网格\n", "ASCII"},
      {"source: a.gpkg\nlevels:\n  - name: grid\n  - name: grid\n", "appears twice"},
      {"levels:\n  - name: grid\n", "has no source"},
      {"source: a.gpkg\nsource: b.gpkg\nlevels:\n  - name: grid\n", "appears twice"},
      {"source: [a, b]\nlevels:\n  - name: grid\n", "plain value"},
      {"source: a.gpkg\nlevels:\n  - name: grid\n    fields: {code: \"\"}\n", "'code' field"},
      {"source: a.gpkg\nlevels:\n  - name: grid\n    fields: WGBM\n", "'fields' must be a map"},
      {"source: a.gpkg\nlevels:\n  - name: grid\n   bad indent: [\n", "line"},
  };
  for (const auto& c : cases) {
    Result<Manifest> m = ParseManifest(c.yaml, "m.yaml");
    ASSERT_FALSE(m.ok()) << c.yaml;
    EXPECT_EQ(m.status().code(), StatusCode::kDataError) << c.yaml;
    EXPECT_THAT(m.status().message(), HasSubstr(c.message)) << c.yaml;
    EXPECT_THAT(m.status().message(), HasSubstr("m.yaml")) << c.yaml;
  }
}

TEST(Manifest, ParsesTheDocumentedExample) {
  Result<Manifest> m = ParseManifest(R"(
source: putian.gpkg
crs: EPSG:4527
encoding: GBK
levels:
  - name: district
    label: 区县
    layer: QX
    source: qx.shp
    fields: {code: XZQDM, parent: "", name: XZQMC}
  - name: grid
    label: 网格
    layer: WG
    crs: EPSG:4490
    encoding: UTF-8
    fields: {code: WGBM, parent: SQBM, name: WGMC}
  - name: unit
)",
                                     "data/fz/fuzhou.yaml");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->path, "data/fz/fuzhou.yaml");
  ASSERT_EQ(m->levels.size(), 3u);
  const ManifestLevel& district = m->levels[0];
  EXPECT_EQ(district.name, "district");
  EXPECT_EQ(district.label, "区县");
  EXPECT_EQ(district.layer, "QX");
  EXPECT_EQ(district.source, "data/fz/qx.shp");
  EXPECT_EQ(district.fields.code, "XZQDM");
  EXPECT_EQ(district.fields.parent, "");
  EXPECT_EQ(district.fields.name, "XZQMC");
  EXPECT_EQ(district.crs, "EPSG:4527");
  EXPECT_EQ(district.encoding, "GBK");
  const ManifestLevel& grid = m->levels[1];
  EXPECT_EQ(grid.source, "data/fz/putian.gpkg");
  EXPECT_EQ(grid.crs, "EPSG:4490");
  EXPECT_EQ(grid.encoding, "UTF-8");
  EXPECT_EQ(grid.fields.parent, "SQBM");
  const ManifestLevel& unit = m->levels[2];
  EXPECT_EQ(unit.label, "");
  EXPECT_EQ(unit.layer, "");
  EXPECT_EQ(unit.fields.code, "code");
  EXPECT_EQ(unit.fields.parent, "parent");
  EXPECT_EQ(unit.fields.name, "name");
}

TEST(Manifest, KeepsAbsoluteSourcesAndNullValues) {
  Result<Manifest> m = ParseManifest(
      "levels:\n  - name: grid\n    source: /data/g.gpkg\n    fields: {parent: ~}\n", "m.yaml");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->levels[0].source, "/data/g.gpkg");
  EXPECT_EQ(m->levels[0].fields.parent, "");

  m = ParseManifest("source: 'PG:dbname=grid'\nlevels:\n  - name: grid\n", "dir/m.yaml");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->levels[0].source, "PG:dbname=grid");  // a GDAL connection, not a path
}

TEST(Manifest, ReadsFromFile) {
  const auto dir = testing::ScratchDir();
  EXPECT_EQ(ReadManifest((dir / "missing.yaml").string()).status().code(), StatusCode::kNotFound);
  testing::WriteText(dir / "m.yml", "source: x.gpkg\nlevels:\n  - name: grid\n");
  Result<Manifest> m = ReadManifest((dir / "m.yml").string());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->levels[0].source, (dir / "x.gpkg").string());
}

}  // namespace
}  // namespace wangge
