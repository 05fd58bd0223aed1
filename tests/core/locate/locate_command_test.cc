// `wangge locate`, run as a real process on a GeoPackage written from inline WKT (the binary's
// path comes from WANGGE_CLI_PATH).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include "support/test_support.h"
#include "wangge/crs/china_offsets.h"
#include "wangge/hierarchy/hierarchy_builder.h"
#include "wangge/load/dataset_writer.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Wkt;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `wangge locate <args>` with `stdin_text` on standard input.
CliRun Locate(const fs::path& dir, const std::string& args, const std::string& stdin_text = "") {
  WriteFile(dir / "stdin.csv", stdin_text);
  const std::string command = std::string(WANGGE_CLI_PATH) + " locate " + args + " < " +
                              (dir / "stdin.csv").string() + " > " + (dir / "out").string() +
                              " 2> " + (dir / "err").string();
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadFile(dir / "out"),
          ReadFile(dir / "err")};
}

// A district of two grids near Putian: g1 = units u1 | u2 (shared edge at lon 119.005), g2 =
// unit u3 on its west half and a gap on its east half.
fs::path WriteDataset(const fs::path& dir) {
  HierarchyBuilder b({{"district", "区县"}, {"grid", "网格"}, {"unit", "单元"}});
  b.Add({.level = 0,
         .code = "350302",
         .name = "城厢区",
         .geometry = Wkt("POLYGON ((119 25.4, 119.01 25.4, 119.02 25.4, 119.02 25.41, "
                         "119.01 25.41, 119 25.41, 119 25.4))")});
  b.Add({.level = 1,
         .code = "350302001001001",
         .parent = "350302",
         .geometry = Wkt("POLYGON ((119 25.4, 119.005 25.4, 119.01 25.4, 119.01 25.41, "
                         "119.005 25.41, 119 25.41, 119 25.4))")});
  b.Add({.level = 1,
         .code = "350302001001002",
         .parent = "350302",
         .geometry = Wkt("POLYGON ((119.01 25.4, 119.02 25.4, 119.02 25.41, 119.01 25.41, "
                         "119.01 25.4))")});
  b.Add(
      {.level = 2,
       .code = "350302001001001001",
       .parent = "350302001001001",
       .geometry = Wkt("POLYGON ((119 25.4, 119.005 25.4, 119.005 25.41, 119 25.41, 119 25.4))")});
  b.Add({.level = 2,
         .code = "350302001001001002",
         .parent = "350302001001001",
         .geometry = Wkt("POLYGON ((119.005 25.4, 119.01 25.4, 119.01 25.41, 119.005 25.41, "
                         "119.005 25.4))")});
  b.Add({.level = 2,
         .code = "350302001001002001",
         .parent = "350302001001002",
         .geometry = Wkt("POLYGON ((119.01 25.4, 119.015 25.4, 119.015 25.41, 119.01 25.41, "
                         "119.01 25.4))")});
  const Hierarchy h = std::move(b).Build(nullptr);
  const fs::path gpkg = dir / "putian.gpkg";
  const Status s = WriteGeoPackage(h, gpkg.string());
  EXPECT_TRUE(s.ok()) << s.ToString();
  return gpkg;
}

constexpr const char* kHeader = "id,status,on_boundary,district,grid,unit";

TEST(LocateCommand, WritesOneRowPerPointWithEveryLevel) {
  const fs::path dir = testing::ScratchDir();
  const fs::path gpkg = WriteDataset(dir);
  const CliRun run = Locate(dir, gpkg.string(),
                            "id,lon,lat\n"
                            "r1,119.002,25.405\n"
                            "r2,119.005,25.405\n"       // on the u1 | u2 edge: east of it is u2
                            "\"r,3\",119.012,25.405\n"  // a quoted id with a comma
                            "r4,119.018,25.405\n"       // in g2's gap
                            "r5,120,25.405\n");         // outside
  EXPECT_EQ(run.exit_code, 1) << run.err;               // r4 and r5 are not assigned to a unit
  EXPECT_EQ(run.out, std::string(kHeader) + "\n" +
                         "r1,inside,false,350302,350302001001001,350302001001001001\n"
                         "r2,boundary,true,350302,350302001001001,350302001001001002\n"
                         "\"r,3\",inside,false,350302,350302001001002,350302001001002001\n"
                         "r4,gap,false,350302,350302001001002,\n"
                         "r5,outside,false,,,\n");
  EXPECT_THAT(run.err, HasSubstr("2 points not assigned to a unit"));
}

TEST(LocateCommand, ReportsBadLinesWithTheirNumbersAndGoesOn) {
  const fs::path dir = testing::ScratchDir();
  const fs::path gpkg = WriteDataset(dir);
  const CliRun run = Locate(dir, gpkg.string() + " --input -",
                            "id,lon,lat\r\n"
                            "a,119.002,25.405\r\n"
                            "b,nan,25.405\n"
                            "c,119.002,91\n"
                            "d,119.002\n"
                            "e,abc,25.4\n"
                            "\"f,119.002,25.405\n"
                            "\n"
                            "g,119.003,25.406\n");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, std::string(kHeader) + "\n" +
                         "a,inside,false,350302,350302001001001,350302001001001001\n"
                         "g,inside,false,350302,350302001001001,350302001001001001\n");
  EXPECT_THAT(run.err, HasSubstr("stdin line 3: lon 'nan' is not finite"));
  EXPECT_THAT(run.err, HasSubstr("stdin line 4: lat 91 out of range [-90, 90]"));
  EXPECT_THAT(run.err, HasSubstr("stdin line 5: expected at least 3 fields, got 2"));
  EXPECT_THAT(run.err, HasSubstr("stdin line 6: lon 'abc' is not a number"));
  EXPECT_THAT(run.err, HasSubstr("stdin line 7: malformed CSV"));
  EXPECT_THAT(run.err, Not(HasSubstr("line 8")));
}

TEST(LocateCommand, ExitsZeroWhenEveryPointIsAssignedAndWritesTheOutputFile) {
  const fs::path dir = testing::ScratchDir();
  const fs::path gpkg = WriteDataset(dir);
  WriteFile(dir / "points.csv", "lat,id,lon,note\n25.405,x,119.012,kept out\n");
  const CliRun run = Locate(dir, gpkg.string() + " --input " + (dir / "points.csv").string() +
                                     " --output " + (dir / "located.csv").string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(ReadFile(dir / "located.csv"),
            std::string(kHeader) + "\nx,inside,false,350302,350302001001002,350302001001002001\n");
}

TEST(LocateCommand, MaxDistanceAssignsTheNearestUnit) {
  const fs::path dir = testing::ScratchDir();
  const fs::path gpkg = WriteDataset(dir);
  const CliRun run =
      Locate(dir, gpkg.string() + " --max-distance 300",
             "id,lon,lat\nin,119.002,25.405\nnear,119.016,25.405\nfar,119.019,25.405\n");
  EXPECT_EQ(run.exit_code, 1);  // "far" stays unassigned
  // 0.001° of longitude at 25.405° N is about 100.6 m.
  EXPECT_THAT(run.out, HasSubstr(std::string(kHeader) + ",distance_m\n" +
                                 "in,inside,false,350302,350302001001001,350302001001001001,0\n" +
                                 "near,gap,false,350302,350302001001002,350302001001002001,100.6"));
  EXPECT_THAT(run.out, HasSubstr("far,gap,false,350302,350302001001002,,\n"));
}

TEST(LocateCommand, Gcj02PointLandsInTheUnitOfItsWgs84Original) {
  const fs::path dir = testing::ScratchDir();
  const fs::path gpkg = WriteDataset(dir);
  const Point gcj = WgsToGcj02({119.0025, 25.405});  // the offset here is several hundred metres
  char line[128];
  std::snprintf(line, sizeof line, "id,lon,lat\nphone,%.17g,%.17g\n", gcj.x, gcj.y);
  const CliRun as_gcj = Locate(dir, gpkg.string() + " --crs gcj02", line);
  EXPECT_EQ(as_gcj.exit_code, 0) << as_gcj.err;
  EXPECT_THAT(as_gcj.out,
              HasSubstr("phone,inside,false,350302,350302001001001,350302001001001001"));
  // Read as WGS84 the same numbers land elsewhere (outside the dataset here).
  EXPECT_THAT(Locate(dir, gpkg.string(), line).out, Not(HasSubstr("350302001001001001")));
}

TEST(LocateCommand, UsageAndInputErrors) {
  const fs::path dir = testing::ScratchDir();
  const fs::path gpkg = WriteDataset(dir);
  EXPECT_EQ(Locate(dir, gpkg.string() + " --crs mars", "id,lon,lat\n").exit_code, 2);
  const CliRun no_header = Locate(dir, gpkg.string(), "name,x,y\na,1,2\n");
  EXPECT_EQ(no_header.exit_code, 3);
  EXPECT_THAT(no_header.err, HasSubstr("id, lon and lat"));
  EXPECT_EQ(Locate(dir, (dir / "missing.gpkg").string(), "id,lon,lat\n").exit_code, 3);
  EXPECT_EQ(Locate(dir, gpkg.string() + " --input " + (dir / "nope.csv").string()).exit_code, 3);
  const CliRun empty = Locate(dir, gpkg.string(), "id,lon,lat\n");
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_EQ(empty.out, std::string(kHeader) + "\n");
}

}  // namespace
}  // namespace wangge
