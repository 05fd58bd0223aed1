// `wangge inspect`, run as a real process (the binary's path comes from WANGGE_CLI_PATH).
#include <cstdlib>
#include <string>

#include "core/load/load_fixture.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/test_support.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::WriteFixture;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

Outcome Inspect(const std::string& args) {
  const fs::path dir = fs::temp_directory_path() / ("wangge-inspect-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string command = std::string(WANGGE_CLI_PATH) + " inspect " + args + " > " +
                              (dir / "out").string() + " 2> " + (dir / "err").string();
  const int status = std::system(command.c_str());
  Outcome run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = testing::ReadText(dir / "out");
  run.err = testing::ReadText(dir / "err");
  fs::remove_all(dir);
  return run;
}

constexpr const char* kWest = "POLYGON ((119 25, 119.1 25, 119.1 25.2, 119 25.2, 119 25))";
constexpr const char* kEast = "POLYGON ((119.1 25, 119.2 25, 119.2 25.2, 119.1 25.2, 119.1 25))";

TEST(InspectCommand, PrintsLevelsCountsExtentAndCrs) {
  const fs::path gpkg = testing::ScratchDir() / "putian.gpkg";
  WriteFixture(gpkg, "GPKG", {.name = "district", .rows = {{{"350302", "", "城厢区"}, kWest}}});
  WriteFixture(gpkg, "GPKG",
               {.name = "town",
                .crs = "EPSG:4527",
                .rows = {{{"350302001", "350302", "龙桥街道"}, kWest},
                         {{"350302002", "350302", "凤凰山街道"}, kEast}}});
  const Outcome run = Inspect(gpkg.string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out,
              AllOf(HasSubstr("levels   2, 3 regions"), HasSubstr("district"), HasSubstr("区县"),
                    HasSubstr("镇街"), HasSubstr("EPSG:4527"), HasSubstr("EPSG:4490"),
                    HasSubstr("(GPKG)"), HasSubstr("UTF-8"), HasSubstr("0 errors, 0 warnings")));
  EXPECT_THAT(run.out, HasSubstr("lon 119.000000 .. 119.200000, lat 25.000000 .. 25.200000"));
  // The town line: 2 features read, 2 loaded.
  EXPECT_THAT(run.out, ::testing::ContainsRegex("town +镇街 +2 +2 "));
}

TEST(InspectCommand, ListsIssuesAndExitsOneOnErrors) {
  const fs::path gpkg = testing::ScratchDir() / "bad.gpkg";
  WriteFixture(gpkg, "GPKG",
               {.name = "grid",
                .rows = {{{"g1", "", "网格"}, kWest},
                         {{"g2", "", ""}, "LINESTRING (119 25, 119.1 25)"},
                         {{"g3", "", ""}, "POINT (119 25)"},
                         {{"g1", "", "again"}, kEast}}});
  Outcome run = Inspect(gpkg.string() + " --max-issues 1");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_THAT(run.out,
              AllOf(HasSubstr("2 errors, 1 warnings"),
                    HasSubstr("error: " + gpkg.string() + " layer grid feature 2 (code g2)"),
                    HasSubstr("... 2 more (--all")));
  EXPECT_THAT(run.out, Not(HasSubstr("feature 3")));

  run = Inspect(gpkg.string() + " --all");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, AllOf(HasSubstr("feature 3 (code g3)"), HasSubstr("feature 4 (code g1)"),
                             Not(HasSubstr("more (--all"))));
}

TEST(InspectCommand, UnreadableInputExitsThreeAndUsageErrorsTwo) {
  const Outcome missing = Inspect((testing::ScratchDir() / "nope.gpkg").string());
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_THAT(missing.err, HasSubstr("nope.gpkg"));
  EXPECT_EQ(Inspect("").exit_code, 2);
}

}  // namespace
}  // namespace wangge
