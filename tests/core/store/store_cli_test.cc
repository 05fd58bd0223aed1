// `wangge publish`, `versions`, `rollback` and `diff` end to end: the real executable on
// GeoPackages written by the test; exit codes and the JSON outputs.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <string>

#include "core/coverage/coverage_test_util.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "support/test_support.h"
#include "wangge/load/dataset_writer.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RegionSpec;

// Runs `wangge <arguments>` with standard output to `out` and returns the exit code.
int Wangge(const std::string& arguments, const fs::path& out = "/dev/null") {
  const std::string command =
      std::string(WANGGE_CLI) + " " + arguments + " > " + out.string() + " 2>/dev/null";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Dataset(const fs::path& path, bool gap, int shift = 0) {
  const std::string x = std::to_string(2 + shift);
  std::vector<RegionSpec> specs = {
      {0, "350302001001001", "350302001001",
       "POLYGON ((0 0, " + x + " 0, 4 0, 4 4, " + x + " 4, 0 4, 0 0))"},
      {1, "350302001001001001", "350302001001001",
       "POLYGON ((0 0, " + x + " 0, " + x + " 4, 0 4, 0 0))"},
  };
  if (!gap) {
    specs.push_back({1, "350302001001001002", "350302001001001",
                     "POLYGON ((" + x + " 0, 4 0, 4 4, " + x + " 4, " + x + " 0))"});
  }
  EXPECT_TRUE(WriteGeoPackage(testing::MakeHierarchy(specs), path.string()).ok());
  return path.string();
}

TEST(StoreCli, PublishVersionsRollbackAndTheirExitCodes) {
  const fs::path dir = testing::ScratchDir();
  const std::string store = (dir / "store").string();
  const std::string a = Dataset(dir / "a.gpkg", false);
  const std::string b = Dataset(dir / "b.gpkg", false, 1);
  const std::string gap = Dataset(dir / "gap.gpkg", true);

  EXPECT_EQ(Wangge("publish " + (dir / "missing.gpkg").string() + " --store " + store), 3);
  EXPECT_EQ(Wangge("publish " + a + " --store " + store + " --message first --author li",
                   dir / "out.txt"),
            0);
  EXPECT_THAT(Read(dir / "out.txt"), ::testing::HasSubstr("published version 1"));
  EXPECT_EQ(Wangge("publish " + gap + " --store " + store), 1);               // refused
  EXPECT_EQ(Wangge("publish " + gap + " --store " + store + " --force"), 2);  // no reason
  EXPECT_EQ(Wangge("rollback --store " + store), 1);  // nothing to roll back to
  EXPECT_EQ(Wangge("publish " + b + " --store " + store), 0);
  EXPECT_EQ(Wangge("publish " + gap + " --store " + store + " --force --reason 'lake'"), 0);
  EXPECT_EQ(Wangge("rollback --store " + store + " 2 --message oops"), 0);
  EXPECT_EQ(Wangge("rollback --store " + store + " 2"), 1);  // already live
  EXPECT_EQ(Wangge("rollback --store " + store + " 7"), 3);  // unknown

  ASSERT_EQ(Wangge("versions --store " + store + " --format json", dir / "v.json"), 0);
  const json v = json::parse(Read(dir / "v.json"));
  EXPECT_EQ(v["schema"], "wangge.versions/1");
  EXPECT_EQ(v["live"], "2");
  ASSERT_EQ(v["versions"].size(), 3u);
  EXPECT_EQ(v["versions"][0]["author"], "li");
  EXPECT_EQ(v["versions"][0]["message"], "first");
  EXPECT_EQ(v["versions"][2]["forced_reason"], "lake");
  ASSERT_EQ(v["history"].size(), 4u);
  EXPECT_EQ(v["history"][3]["kind"], "rollback");
  EXPECT_EQ(v["history"][3]["message"], "oops");
  EXPECT_TRUE(v["drafts"].empty());  // the refused upload was not kept
  EXPECT_EQ(Wangge("versions --store " + store, dir / "v.txt"), 0);
  EXPECT_THAT(Read(dir / "v.txt"), ::testing::HasSubstr("live version 2"));
}

TEST(StoreCli, DiffExitsZeroWhenEqualOneWhenDifferent) {
  const fs::path dir = testing::ScratchDir();
  const std::string a = Dataset(dir / "a.gpkg", false);
  const std::string b = Dataset(dir / "b.gpkg", false, 1);
  EXPECT_EQ(Wangge("diff " + a + " " + a), 0);
  EXPECT_EQ(Wangge("diff " + a + " " + (dir / "missing.gpkg").string()), 3);
  std::ofstream(dir / "points.csv") << std::setprecision(12) << "id,lon,lat\n"
                                    << "p1," << testing::kOriginX + 2.5 * testing::kStep << ","
                                    << testing::kOriginY + 1 * testing::kStep << "\n"
                                    << "p2," << testing::kOriginX + 0.5 * testing::kStep << ","
                                    << testing::kOriginY + 1 * testing::kStep << "\n";
  ASSERT_EQ(Wangge("diff " + a + " " + b + " --format json --points " +
                   (dir / "points.csv").string() + " --output " + (dir / "d.json").string()),
            1);
  const json d = json::parse(Read(dir / "d.json"));
  EXPECT_EQ(d["schema"], "wangge.version-diff/1");
  EXPECT_EQ(d["changes"].size(), 3u);  // both units reshaped; the grid gained a vertex
  EXPECT_EQ(d["points_checked"], 2);
  ASSERT_EQ(d["points"].size(), 1u);
  EXPECT_EQ(d["points"][0]["id"], "p1");
  EXPECT_EQ(d["points"][0]["levels"][0]["before"], "350302001001001002");
  EXPECT_EQ(d["points"][0]["levels"][0]["after"], "350302001001001001");
  EXPECT_EQ(Wangge("diff " + a + " " + b + " --format geojson", dir / "d.geojson"), 1);
  EXPECT_EQ(json::parse(Read(dir / "d.geojson"))["features"].size(), 3u);
}

}  // namespace
}  // namespace wangge
