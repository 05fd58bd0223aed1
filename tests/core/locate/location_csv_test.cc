// LocationCsv: the CSV rows `wangge locate` and POST /v1/locate write, field by field.
#include "wangge/locate/location_csv.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"
#include "wangge/hierarchy/hierarchy_builder.h"

namespace wangge {
namespace {

using testing::Wkt;

// A district of two grids; grid "g,1" (a code that needs quotes) has two units and a gap.
Hierarchy District() {
  HierarchyBuilder builder({{"district", "区"}, {"grid", "网格"}, {"unit", "单元"}});
  builder.Add({.level = 0, .code = "d", .geometry = Wkt("POLYGON ((0 0, 4 0, 4 1, 0 1, 0 0))")});
  builder.Add({.level = 1,
               .code = "g,1",
               .parent = "d",
               .geometry = Wkt("POLYGON ((0 0, 3 0, 3 1, 0 1, 0 0))")});
  builder.Add({.level = 1,
               .code = "g2",
               .parent = "d",
               .geometry = Wkt("POLYGON ((3 0, 4 0, 4 1, 3 1, 3 0))")});
  builder.Add({.level = 2,
               .code = "u1",
               .parent = "g,1",
               .geometry = Wkt("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")});
  builder.Add({.level = 2,
               .code = "u\"2\"",
               .parent = "g,1",
               .geometry = Wkt("POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))")});
  builder.Add({.level = 2,
               .code = "u3",
               .parent = "g2",
               .geometry = Wkt("POLYGON ((3 0, 4 0, 4 1, 3 1, 3 0))")});
  return std::move(builder).Build(nullptr);
}

std::string Rows(const PointIndex& index, const std::vector<Point>& points, bool with_distance,
                 const LocateOptions& options = {}) {
  std::vector<Location> locations(points.size());
  index.LocateBatch(points, locations, options);
  std::vector<std::string> ids;
  for (size_t i = 0; i < points.size(); ++i) ids.push_back("p" + std::to_string(i));
  const std::vector<std::string_view> id_fields(ids.begin(), ids.end());
  LocationCsv csv(index, with_distance);
  std::string out;
  csv.AppendHeader(out);
  csv.AppendRows(id_fields, locations, out);
  return out;
}

TEST(LocationCsv, WritesEveryStatusWithItsLevels) {
  const Hierarchy h = District();
  const PointIndex index = PointIndex::Build(h).value();
  EXPECT_EQ(Rows(index, {{0.5, 0.5}, {1, 0.5}, {2.5, 0.5}, {9, 9}, {NAN, 0}}, false),
            "id,status,on_boundary,district,grid,unit\n"
            "p0,inside,false,d,\"g,1\",u1\n"
            "p1,boundary,true,d,\"g,1\",\"u\"\"2\"\"\"\n"
            "p2,gap,false,d,\"g,1\",\n"
            "p3,outside,false,,,\n"
            "p4,invalid,false,,,\n");
}

TEST(LocationCsv, DistanceColumnForTheNearestUnit) {
  const Hierarchy h = District();
  const PointIndex index = PointIndex::Build(h).value();
  const std::string rows =
      Rows(index, {{0.5, 0.5}, {2.4, 0.5}, {60, 60}}, true, {.max_distance_m = 100000});
  char distance[32];
  std::snprintf(distance, sizeof distance, "%.2f",
                index.Locate({2.4, 0.5}, {.max_distance_m = 100000}).distance_m);
  EXPECT_EQ(rows.substr(0, rows.find('\n')), "id,status,on_boundary,district,grid,unit,distance_m");
  EXPECT_NE(rows.find("p0,inside,false,d,\"g,1\",u1,0\n"), std::string::npos) << rows;
  // The gap point is assigned its nearest unit, u"2" (0.4° away), with the distance.
  EXPECT_NE(rows.find("p1,gap,false,d,\"g,1\",\"u\"\"2\"\"\"," + std::string(distance) + "\n"),
            std::string::npos)
      << rows;
  EXPECT_NE(rows.find("p2,outside,false,,,,\n"), std::string::npos) << rows;
}

// Many rows at once (the prefetching path) give what one row at a time gives.
TEST(LocationCsv, ABatchWritesWhatSingleRowsWrite) {
  const Hierarchy h = District();
  const PointIndex index = PointIndex::Build(h).value();
  std::mt19937 random(3);
  std::uniform_real_distribution<double> x(-0.5, 4.5), y(-0.5, 1.5);
  std::vector<Point> points(5000);
  for (Point& p : points) p = {x(random), y(random)};
  const std::string batch = Rows(index, points, false);
  std::string single;
  for (size_t i = 0; i < points.size(); ++i) {
    const std::string rows = Rows(index, {points[i]}, false);
    std::string row = rows.substr(rows.find('\n') + 1);
    row.replace(0, 2, "p" + std::to_string(i));
    single += row;
  }
  EXPECT_EQ(batch.substr(batch.find('\n') + 1), single);
}

}  // namespace
}  // namespace wangge
