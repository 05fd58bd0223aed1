// GBK-encoded .dbf attributes: with a .cpg, with the LDID byte, with the manifest's `encoding`,
// and text that does not decode.
#include <fstream>

#include "core/load/load_fixture.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "wangge/load/dataset.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::ElementsAre;
using testing::FixtureLayer;
using ::testing::HasSubstr;
using testing::WriteFixture;
using testing::WriteText;

constexpr const char* kSquare = "POLYGON ((119 25, 119.1 25, 119.1 25.1, 119 25.1, 119 25))";
// 城厢区 in GBK.
constexpr std::string_view kChengxiangGbk = "\xB3\xC7\xCF\xE1\xC7\xF8";

// Writes town.shp in `dir` with GBK attributes (GDAL recodes from UTF-8 and writes a .cpg).
void WriteGbkTowns(const fs::path& dir) {
  fs::create_directories(dir);
  WriteFixture(dir / "town.shp", "ESRI Shapefile",
               {.name = "town",
                .fields = {{"code"}, {"parent"}, {"name"}, {"网格长"}},
                .rows = {{{"350302001", "350302", "城厢区", "林小红"}, kSquare},
                         {{"350302002", "350302", "龙桥街道", "陈大明"}, kSquare}},
                .creation_options = {"ENCODING=CP936"}});
}

std::vector<std::string> Names(const Dataset& d) {
  std::vector<std::string> names;
  for (RegionId id = 0; id < d.hierarchy.region_count(); ++id) {
    names.emplace_back(d.hierarchy.name(id));
  }
  return names;
}

void SetLdid(const fs::path& dbf, unsigned char ldid) {
  std::fstream f(dbf, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(29);
  f.put(static_cast<char>(ldid));
}

TEST(Encoding, GbkShapefileWithCpgLoadsChineseNames) {
  const fs::path dir = testing::ScratchDir();
  WriteGbkTowns(dir);
  // The fixture really is GBK, not UTF-8.
  ASSERT_NE(testing::ReadText(dir / "town.dbf").find(kChengxiangGbk), std::string::npos);
  ASSERT_TRUE(fs::exists(dir / "town.cpg"));

  Result<Dataset> d = LoadDataset(dir.string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_THAT(Names(*d), ElementsAre("城厢区", "龙桥街道"));
  EXPECT_THAT(d->hierarchy.attribute_names(0), ElementsAre("网格长"));
  EXPECT_EQ(d->hierarchy.attribute(1, "网格长"), "陈大明");
  EXPECT_EQ(d->layers[0].encoding, "GBK (.cpg)");
  EXPECT_TRUE(d->issues.empty()) << d->issues[0].ToString();

  WriteText(dir / "town.cpg", "936");  // the code page number, as ArcGIS writes it
  d = LoadDataset(dir.string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_THAT(Names(*d), ElementsAre("城厢区", "龙桥街道"));
}

TEST(Encoding, GbkShapefileWithoutCpgNeedsTheManifest) {
  const fs::path dir = testing::ScratchDir();
  WriteGbkTowns(dir / "shp");
  fs::remove(dir / "shp" / "town.cpg");

  // Read as UTF-8, the GBK bytes do not decode: a warning per feature, text kept with U+FFFD.
  Result<Dataset> d = LoadDataset((dir / "shp").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->hierarchy.region_count(), 2u);
  EXPECT_THAT(std::string(d->hierarchy.name(0)), HasSubstr("\xEF\xBF\xBD"));
  EXPECT_EQ(d->warning_count(), 3u);  // the field name 网格长 and both features
  const std::vector<LoadIssue> features = [&] {
    std::vector<LoadIssue> v;
    for (const LoadIssue& i : d->issues) {
      if (i.feature_id >= 0) v.push_back(i);
    }
    return v;
  }();
  ASSERT_EQ(features.size(), 2u);
  EXPECT_EQ(features[0].feature_id, 0);
  EXPECT_EQ(features[0].code, "350302001");
  EXPECT_THAT(features[0].message, AllOf(HasSubstr("name"), HasSubstr("UTF-8")));

  WriteText(dir / "gbk.yaml", "source: shp\nencoding: GBK\nlevels:\n  - name: town\n");
  d = LoadDataset((dir / "gbk.yaml").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_THAT(Names(*d), ElementsAre("城厢区", "龙桥街道"));
  EXPECT_EQ(d->hierarchy.attribute(0, "网格长"), "林小红");
  EXPECT_EQ(d->layers[0].encoding, "GBK (manifest)");
  EXPECT_TRUE(d->issues.empty()) << d->issues[0].ToString();

  WriteText(dir / "bad.yaml", "source: shp\nencoding: KLINGON-8\nlevels:\n  - name: town\n");
  d = LoadDataset((dir / "bad.yaml").string());
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(), HasSubstr("KLINGON-8"));
}

TEST(Encoding, LdidByteDeclaresGbk) {
  const fs::path dir = testing::ScratchDir();
  WriteGbkTowns(dir);
  fs::remove(dir / "town.cpg");
  SetLdid(dir / "town.dbf", 0x4D);  // code page 936
  Result<Dataset> d = LoadDataset(dir.string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_THAT(Names(*d), ElementsAre("城厢区", "龙桥街道"));
  EXPECT_EQ(d->layers[0].encoding, "GBK (LDID)");
}

TEST(Encoding, CpgWinsOverTheManifest) {
  const fs::path dir = testing::ScratchDir();
  WriteGbkTowns(dir / "shp");
  WriteText(dir / "m.yaml", "source: shp\nencoding: UTF-8\nlevels:\n  - name: town\n");
  Result<Dataset> d = LoadDataset((dir / "m.yaml").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_THAT(Names(*d), ElementsAre("城厢区", "龙桥街道"));
}

TEST(Encoding, UndecodableGbkIsKeptWithReplacementCharacters) {
  const fs::path dir = testing::ScratchDir();
  // Raw bytes, no recoding by GDAL: 0x81 0x20 is not a GBK character, 0xFF is no lead byte.
  WriteFixture(
      dir / "town.shp", "ESRI Shapefile",
      {.name = "town",
       .rows = {{{"t1", "", std::string("ab\x81 cd") + std::string(kChengxiangGbk)}, kSquare},
                {{"t2", "", "\xFF"}, kSquare},
                {{"t3", "", std::string(kChengxiangGbk)}, kSquare}},
       .creation_options = {"ENCODING="}});
  WriteText(dir / "town.cpg", "GBK");
  Result<Dataset> d = LoadDataset(dir.string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_THAT(Names(*d), ElementsAre("ab\xEF\xBF\xBD cd城厢区", "\xEF\xBF\xBD", "城厢区"));
  ASSERT_EQ(d->issues.size(), 2u);
  EXPECT_EQ(d->issues[0].code, "t1");
  EXPECT_EQ(d->issues[0].feature_id, 0);
  EXPECT_EQ(d->issues[0].severity, LoadIssue::Severity::kWarning);
  EXPECT_THAT(d->issues[0].message, AllOf(HasSubstr("name"), HasSubstr("GBK")));
  EXPECT_EQ(d->issues[1].code, "t2");
}

}  // namespace
}  // namespace wangge
