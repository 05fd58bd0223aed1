// `wangge check` end to end: the real executable on GeoPackages written by the test; exit codes,
// the GeoJSON contract and --derive-parents.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/coverage/coverage_test_util.h"
#include "support/test_support.h"
#include "wangge/load/dataset_writer.h"

namespace wangge {
namespace {

using nlohmann::json;
using testing::MakeHierarchy;

// Runs `wangge <arguments>` and returns its exit code.
int Wangge(const std::string& arguments) {
  const std::string command = std::string(WANGGE_CLI) + " " + arguments + " > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Grids and units with valid codes; `missing_unit` leaves a gap in the second grid.
Hierarchy GridsAndUnits(bool missing_unit) {
  std::vector<testing::RegionSpec> specs = {
      {0, "350302001001001", "350302001001", "POLYGON ((0 0, 2 0, 2 2, 2 4, 0 4, 0 2, 0 0))"},
      {0, "350302001001002", "350302001001", "POLYGON ((2 0, 4 0, 4 2, 4 4, 2 4, 2 2, 2 0))"},
      {1, "350302001001001001", "350302001001001", "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"},
      {1, "350302001001001002", "350302001001001", "POLYGON ((0 2, 2 2, 2 4, 0 4, 0 2))"},
      {1, "350302001001002001", "350302001001002", "POLYGON ((2 0, 4 0, 4 2, 2 2, 2 0))"},
  };
  if (!missing_unit) {
    specs.push_back(
        {1, "350302001001002002", "350302001001002", "POLYGON ((2 2, 4 2, 4 4, 2 4, 2 2))"});
  }
  return MakeHierarchy(specs);
}

TEST(CheckCli, CleanDatasetExitsZero) {
  const std::filesystem::path dir = testing::ScratchDir();
  ASSERT_TRUE(WriteGeoPackage(GridsAndUnits(false), (dir / "ok.gpkg").string()).ok());
  EXPECT_EQ(Wangge("check " + (dir / "ok.gpkg").string()), 0);
  EXPECT_EQ(Wangge("check --derive-parents " + (dir / "ok.gpkg").string()), 0);
}

TEST(CheckCli, DefectsExitOneAndGeoJsonHasTheContractProperties) {
  const std::filesystem::path dir = testing::ScratchDir();
  ASSERT_TRUE(WriteGeoPackage(GridsAndUnits(true), (dir / "gap.gpkg").string()).ok());
  const std::filesystem::path out = dir / "defects.geojson";
  EXPECT_EQ(Wangge("check " + (dir / "gap.gpkg").string() + " --format geojson --output " +
                   out.string()),
            1);
  const json j = json::parse(Read(out));
  ASSERT_EQ(j["type"], "FeatureCollection");
  ASSERT_EQ(j["features"].size(), 1u);
  const json& p = j["features"][0]["properties"];
  EXPECT_EQ(p["kind"], "gap");
  EXPECT_EQ(p["severity"], "error");
  EXPECT_EQ(p["level"], "unit");
  EXPECT_EQ(p["parent"], "350302001001002");
  EXPECT_NEAR(p["area_m2"].get<double>(), testing::LocalAreaM2("POLYGON ((2 2, 4 2, 4 4, 2 4, 2 2))"),
              0.01);
  EXPECT_EQ(j["features"][0]["geometry"]["type"], "MultiPolygon");

  // The derived community and upper levels are exact unions, so the gap is still the only defect.
  const std::filesystem::path derived = dir / "derived.json";
  EXPECT_EQ(Wangge("check --derive-parents --format json --output " + derived.string() + " " +
                   (dir / "gap.gpkg").string()),
            1);
  const json d = json::parse(Read(derived));
  EXPECT_EQ(d["schema"], "wangge.coverage-report/1");
  EXPECT_EQ(d["levels"].size(), 6u);
  ASSERT_EQ(d["defects"].size(), 1u);
  EXPECT_EQ(d["defects"][0]["kind"], "gap");
}

TEST(CheckCli, UsageAndUnreadableInputHaveTheirExitCodes) {
  const std::filesystem::path dir = testing::ScratchDir();
  EXPECT_EQ(Wangge("check " + (dir / "nope.gpkg").string()), 3);
  ASSERT_TRUE(WriteGeoPackage(GridsAndUnits(false), (dir / "ok.gpkg").string()).ok());
  EXPECT_EQ(Wangge("check --format xml " + (dir / "ok.gpkg").string()), 2);
}

}  // namespace
}  // namespace wangge
