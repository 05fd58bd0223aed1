#include "wangge/tiles/mbtiles.h"

#include "core/tiles/lattice_hierarchy.h"
#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include "support/test_support.h"
#include "wangge/tiles/gzip.h"

namespace wangge {
namespace {

struct SqliteDeleter {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};

std::map<std::string, std::string> ReadMetadata(sqlite3* db) {
  std::map<std::string, std::string> m;
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT name, value FROM metadata", -1, &s, nullptr), SQLITE_OK);
  while (sqlite3_step(s) == SQLITE_ROW) {
    m[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] =
        reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
  }
  sqlite3_finalize(s);
  return m;
}

TEST(Mbtiles, WritesGzippedTmsTilesAndMetadataThatGdalReads) {
  Hierarchy h = testing::MakeLatticeHierarchy(
      {.cells = 8, .levels = {{"district", 8}, {"grid", 2}, {"unit", 1}}});
  Result<TileSource> tiles = TileSource::Build(h);
  ASSERT_TRUE(tiles.ok());
  const auto path = (testing::ScratchDir() / "lattice.mbtiles").string();
  std::vector<uint32_t> zooms_done;
  MbtilesOptions o{.min_zoom = 8, .max_zoom = 15, .threads = 2};
  o.on_zoom_done = [&](uint32_t z, uint64_t) { zooms_done.push_back(z); };
  Result<MbtilesStats> stats = WriteMbtiles(*tiles, path, o);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_THAT(zooms_done, ::testing::ElementsAre(8, 9, 10, 11, 12, 13, 14, 15));
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));

  // Every tile intersecting the bounds was rendered; those with features were stored.
  uint64_t expected_written = 0, expected_rendered = 0;
  for (uint32_t z = 8; z <= 15; ++z) {
    const TileRange r = TilesCovering(h.bounds(), z);
    expected_rendered += r.size();
    for (uint32_t y = r.min_y; y <= r.max_y; ++y) {
      for (uint32_t x = r.min_x; x <= r.max_x; ++x)
        expected_written += !tiles->Render(z, x, y)->empty();
    }
  }
  EXPECT_EQ(stats->tiles_rendered, expected_rendered);
  EXPECT_EQ(stats->tiles_written, expected_written);

  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::unique_ptr<sqlite3, SqliteDeleter> db(raw);
  const auto meta = ReadMetadata(db.get());
  EXPECT_EQ(meta.at("format"), "pbf");
  EXPECT_EQ(meta.at("minzoom"), "8");
  EXPECT_EQ(meta.at("maxzoom"), "15");
  const auto json = nlohmann::json::parse(meta.at("json"));
  ASSERT_EQ(json["vector_layers"].size(), 4u);
  EXPECT_EQ(json["vector_layers"][1]["id"], "grid");

  // The row of tile z/x/y is 2^z-1-y, and its blob is the gzip of Render(z, x, y).
  const TileRange r = TilesCovering(h.bounds(), 14);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db.get(),
                               "SELECT tile_data FROM tiles WHERE zoom_level = 14 AND "
                               "tile_column = ? AND tile_row = ?",
                               -1, &s, nullptr),
            SQLITE_OK);
  sqlite3_bind_int64(s, 1, r.min_x);
  sqlite3_bind_int64(s, 2, (1 << 14) - 1 - int64_t{r.min_y});
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  const std::string blob(static_cast<const char*>(sqlite3_column_blob(s, 0)),
                         static_cast<size_t>(sqlite3_column_bytes(s, 0)));
  sqlite3_finalize(s);
  EXPECT_EQ(static_cast<unsigned char>(blob[0]), 0x1f);
  EXPECT_EQ(*GzipDecompress(blob), *tiles->Render(14, r.min_x, r.min_y));
  db.reset();

  // GDAL's MBTiles driver reads the package as vector layers with features and properties.
  GDALAllRegister();
  const char* drivers[] = {"MBTiles", nullptr};
  char** open_options = CSLSetNameValue(nullptr, "ZOOM_LEVEL", "15");
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR, drivers, open_options));
  CSLDestroy(open_options);
  ASSERT_NE(ds, nullptr) << CPLGetLastErrorMsg();
  std::set<std::string> codes;
  OGRLayer* units = ds->GetLayerByName("unit");
  ASSERT_NE(units, nullptr);
  for (auto& f : *units) codes.insert(f->GetFieldAsString("code"));
  EXPECT_EQ(codes.size(), 64u);  // all 8×8 units appear at zoom 15
  EXPECT_TRUE(codes.count("unit-3-5"));
}

TEST(Mbtiles, BadZoomRangeIsInvalidArgumentAndNothingIsLeftBehind) {
  Hierarchy h = testing::MakeLatticeHierarchy({.cells = 2, .levels = {{"unit", 1}}});
  Result<TileSource> tiles = TileSource::Build(h);
  ASSERT_TRUE(tiles.ok());
  const auto dir = testing::ScratchDir();
  EXPECT_EQ(WriteMbtiles(*tiles, (dir / "x.mbtiles").string(), {.min_zoom = 9, .max_zoom = 8})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(WriteMbtiles(*tiles, (dir / "no" / "such" / "x.mbtiles").string(),
                         {.min_zoom = 8, .max_zoom = 8})
                .status()
                .code(),
            StatusCode::kIoError);
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

}  // namespace
}  // namespace wangge
