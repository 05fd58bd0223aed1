// `wangge tiles` end to end: a GeoPackage in, an MBTiles package out, read back with GDAL; usage
// and input errors give exit codes 2 and 3 (DESIGN.md).
#include <cstdlib>
#include <set>

#include "core/tiles/lattice_hierarchy.h"
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <sys/wait.h>

#include "support/test_support.h"
#include "wangge/load/dataset_writer.h"
#include "wangge/tiles/tile_source.h"

namespace wangge {
namespace {

// The path of the `wangge` executable, from CMake ($<TARGET_FILE:wangge>).
std::string Wangge() { return WANGGE_CLI_PATH; }

int RunWangge(const std::string& args) {
  const int status = std::system((Wangge() + " " + args + " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(TilesCommand, WritesAnMbtilesPackageGdalReads) {
  const auto dir = testing::ScratchDir();
  const Hierarchy h = testing::MakeLatticeHierarchy(
      {.cells = 8, .levels = {{"district", 8}, {"grid", 2}, {"unit", 1}}});
  ASSERT_TRUE(WriteGeoPackage(h, (dir / "lattice.gpkg").string()).ok());
  const std::string out = (dir / "lattice.mbtiles").string();
  ASSERT_EQ(RunWangge("tiles " + (dir / "lattice.gpkg").string() +
                      " --zoom 10-14 --level-zoom unit=12 --threads 2 --output " + out),
            0);

  GDALAllRegister();
  const char* drivers[] = {"MBTiles", nullptr};
  GDALDatasetUniquePtr ds(GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR, drivers));
  ASSERT_NE(ds, nullptr) << CPLGetLastErrorMsg();
  EXPECT_STREQ(ds->GetMetadataItem("minzoom"), "10");
  EXPECT_STREQ(ds->GetMetadataItem("maxzoom"), "14");
  std::set<std::string> units;
  OGRLayer* layer = ds->GetLayerByName("unit");  // zoom 14, the package's deepest
  ASSERT_NE(layer, nullptr);
  for (auto& f : *layer) units.insert(f->GetFieldAsString("code"));
  EXPECT_EQ(units.size(), 64u);
}

TEST(TilesCommand, BadZoomIsUsageErrorAndMissingDatasetIsInputError) {
  const auto dir = testing::ScratchDir();
  EXPECT_EQ(RunWangge("tiles " + (dir / "none.gpkg").string() + " --zoom 9-8 --output " +
                      (dir / "x.mbtiles").string()),
            2);
  EXPECT_EQ(RunWangge("tiles " + (dir / "none.gpkg").string() + " --zoom 8-9 --output " +
                      (dir / "x.mbtiles").string()),
            3);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.mbtiles"));
}

}  // namespace
}  // namespace wangge
