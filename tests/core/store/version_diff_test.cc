#include "wangge/store/version_diff.h"

#include <string>
#include <vector>

#include "core/coverage/coverage_test_util.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/test_support.h"
#include "wangge/store/diff_format.h"

namespace wangge {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::Local;
using testing::LocalAreaM2;

struct Spec {
  size_t level;
  std::string code;
  std::string parent;
  std::string name;
  std::string wkt;  // local grid units (coverage_test_util.h)
};

Hierarchy Build(const std::vector<Spec>& specs) {
  HierarchyBuilder b(std::vector<Level>{{"grid", "网格"}, {"unit", "单元"}});
  for (const Spec& s : specs) {
    b.Add({.level = s.level,
           .code = s.code,
           .parent = s.parent,
           .name = s.name,
           .geometry = Local(s.wkt)});
  }
  return std::move(b).Build(nullptr);
}

std::string Box(int x0, int x1) {
  const std::string a = std::to_string(x0), b = std::to_string(x1);
  return "POLYGON ((" + a + " 0, " + b + " 0, " + b + " 10, " + a + " 10, " + a + " 0))";
}

// Before: grid g1 = [-10, 40] with units u0 [-10, 0], u1 [0, 10], u2 [10, 20], u3 [20, 30],
// u4 [30, 40]. After: u0 removed, u1 renamed (its name), u2 recoded as u5, the u3/u4 border moved
// to 35, u9 [40, 50] added, so g1 = [0, 50].
Hierarchy Before() {
  return Build({{0, "g1", "", "网格1", Box(-10, 40)},
                {1, "u0", "g1", "单元0", Box(-10, 0)},
                {1, "u1", "g1", "单元1", Box(0, 10)},
                {1, "u2", "g1", "单元2", Box(10, 20)},
                {1, "u3", "g1", "单元3", Box(20, 30)},
                {1, "u4", "g1", "单元4", Box(30, 40)}});
}

Hierarchy After() {
  return Build({{0, "g1", "", "网格1", Box(0, 50)},
                {1, "u1", "g1", "一号单元", Box(0, 10)},
                {1, "u5", "g1", "单元2", Box(10, 20)},
                {1, "u3", "g1", "单元3", Box(20, 35)},
                {1, "u4", "g1", "单元4", Box(35, 40)},
                {1, "u9", "g1", "单元9", Box(40, 50)}});
}

std::string Kinds(const VersionDiff& d) {
  std::string out;
  for (const RegionChange& c : d.changes) {
    out += c.level + ":" + std::string(ChangeKindName(c.kind)) + ":" + c.code +
           (c.before_code != c.code && !c.before_code.empty() ? "<" + c.before_code : "") + " ";
  }
  return out;
}

TEST(VersionDiff, IdenticalHierarchiesHaveNoChanges) {
  const VersionDiff d = DiffHierarchies(Before(), Before());
  EXPECT_TRUE(d.empty());
  ASSERT_EQ(d.levels.size(), 2u);
  EXPECT_EQ(d.levels[1].unchanged, 5u);
  EXPECT_EQ(d.levels[1].before_count, 5u);
  const json j = json::parse(FormatDiffJson(d));
  EXPECT_EQ(j["schema"], "wangge.version-diff/1");
  EXPECT_TRUE(j["identical"].get<bool>());
}

TEST(VersionDiff, FindsEveryKindOfChangeInADeterministicOrder) {
  const Hierarchy before = Before(), after = After();
  const VersionDiff d = DiffHierarchies(before, after);
  EXPECT_EQ(Kinds(d),
            "grid:reshaped:g1 unit:removed:u0 unit:added:u9 unit:renamed:u5<u2 unit:reshaped:u3 "
            "unit:reshaped:u4 unit:modified:u1 ");
  EXPECT_EQ(Kinds(DiffHierarchies(before, after, 1)), Kinds(d));  // thread count changes nothing

  const RegionChange& grid = d.changes[0];
  EXPECT_NEAR(grid.area_before_m2, LocalAreaM2(Box(-10, 40)), 1e-6);
  EXPECT_NEAR(grid.area_after_m2, LocalAreaM2(Box(0, 50)), 1e-6);
  EXPECT_NEAR(grid.changed_area_m2, LocalAreaM2(Box(-10, 0)) + LocalAreaM2(Box(40, 50)), 1e-3);
  EXPECT_EQ(grid.changed.view().polygon_count(), 2u);

  const RegionChange& removed = d.changes[1];
  EXPECT_EQ(removed.before_code, "u0");
  EXPECT_EQ(removed.name, "单元0");
  EXPECT_NEAR(removed.changed_area_m2, LocalAreaM2(Box(-10, 0)), 1e-6);
  const RegionChange& added = d.changes[2];
  EXPECT_TRUE(added.before_code.empty());
  EXPECT_NEAR(added.area_after_m2, LocalAreaM2(Box(40, 50)), 1e-6);

  const RegionChange& renamed = d.changes[3];
  EXPECT_EQ(renamed.before_code, "u2");
  EXPECT_FALSE(renamed.name_changed);
  EXPECT_TRUE(renamed.changed.empty());

  const RegionChange& u3 = d.changes[4];
  EXPECT_NEAR(u3.area_before_m2, LocalAreaM2(Box(20, 30)), 1e-6);
  EXPECT_NEAR(u3.area_after_m2, LocalAreaM2(Box(20, 35)), 1e-6);
  EXPECT_NEAR(u3.changed_area_m2, LocalAreaM2(Box(30, 35)), 1e-3);
  EXPECT_TRUE(u3.note.empty());

  const RegionChange& modified = d.changes[6];
  EXPECT_TRUE(modified.name_changed);
  EXPECT_FALSE(modified.parent_changed);
  EXPECT_EQ(modified.before_name, "单元1");
  EXPECT_EQ(modified.name, "一号单元");

  ASSERT_EQ(d.levels.size(), 2u);
  const LevelDiff& units = d.levels[1];
  EXPECT_EQ(units.removed, 1u);
  EXPECT_EQ(units.added, 1u);
  EXPECT_EQ(units.renamed, 1u);
  EXPECT_EQ(units.reshaped, 2u);
  EXPECT_EQ(units.modified, 1u);
  EXPECT_EQ(units.unchanged, 0u);
}

TEST(VersionDiff, ParentChangesAndLevelsPresentOnOneSideOnly) {
  const Hierarchy before = Build({{0, "g1", "", "", Box(0, 20)},
                                  {0, "g2", "", "", Box(20, 40)},
                                  {1, "u1", "g1", "", Box(0, 20)}});
  HierarchyBuilder b(std::vector<Level>{{"grid", ""}});
  b.Add({.level = 0, .code = "g1", .geometry = Local(Box(0, 20))});
  const Hierarchy grids_only = std::move(b).Build(nullptr);
  const VersionDiff d = DiffHierarchies(before, grids_only);
  EXPECT_EQ(Kinds(d), "grid:removed:g2 unit:removed:u1 ");
  ASSERT_EQ(d.levels.size(), 2u);
  EXPECT_EQ(d.levels[1].level, "unit");
  EXPECT_EQ(d.levels[1].after_count, 0u);

  const Hierarchy moved = Build({{0, "g1", "", "", Box(0, 20)},
                                 {0, "g2", "", "", Box(20, 40)},
                                 {1, "u1", "g2", "", Box(0, 20)}});
  const VersionDiff p = DiffHierarchies(before, moved);
  ASSERT_EQ(p.changes.size(), 1u);
  EXPECT_EQ(p.changes[0].kind, ChangeKind::kModified);
  EXPECT_TRUE(p.changes[0].parent_changed);
  EXPECT_EQ(p.changes[0].before_parent, "g1");
  EXPECT_EQ(p.changes[0].parent, "g2");
}

TEST(VersionDiff, PointImpactReportsEveryLevelWhoseCodeChanges) {
  const Hierarchy before = Before(), after = After();
  Result<PointIndex> bi = PointIndex::Build(before);
  Result<PointIndex> ai = PointIndex::Build(after);
  ASSERT_TRUE(bi.ok() && ai.ok());
  const auto at = [](double x, double y) {
    return Point{testing::kOriginX + x * testing::kStep, testing::kOriginY + y * testing::kStep};
  };
  const std::vector<Point> points = {at(5, 5),  at(15, 5), at(32, 5),
                                     at(-5, 5), at(45, 5), at(30, 5)};
  const std::vector<std::string> ids = {"same", "recoded", "moved", "dropped", "new", "border"};
  const std::vector<PointImpact> impact = DiffLocations(*bi, *ai, points, ids);
  ASSERT_EQ(impact.size(), 5u);
  EXPECT_EQ(impact[0].id, "recoded");
  ASSERT_EQ(impact[0].levels.size(), 1u);
  EXPECT_EQ(impact[0].levels[0].level, "unit");
  EXPECT_EQ(impact[0].levels[0].before, "u2");
  EXPECT_EQ(impact[0].levels[0].after, "u5");
  EXPECT_EQ(impact[1].id, "moved");
  EXPECT_EQ(impact[1].levels[0].before, "u4");
  EXPECT_EQ(impact[1].levels[0].after, "u3");
  EXPECT_EQ(impact[2].id, "dropped");
  ASSERT_EQ(impact[2].levels.size(), 2u);
  EXPECT_EQ(impact[2].levels[0].level, "grid");
  EXPECT_EQ(impact[2].levels[0].before, "g1");
  EXPECT_EQ(impact[2].levels[0].after, "");
  EXPECT_EQ(impact[2].before_status, LocateStatus::kInside);
  EXPECT_EQ(impact[2].after_status, LocateStatus::kOutside);
  EXPECT_EQ(impact[3].id, "new");
  EXPECT_EQ(impact[3].levels[1].after, "u9");
  // x = 30 was u3/u4's shared border (east side wins: u4); now inside u3.
  EXPECT_EQ(impact[4].id, "border");
  EXPECT_EQ(impact[4].before_status, LocateStatus::kBoundary);
  EXPECT_EQ(impact[4].levels[0].before, "u4");
  EXPECT_EQ(impact[4].levels[0].after, "u3");
}

TEST(DiffFormat, JsonGeoJsonAndTextCarryEveryChange) {
  const Hierarchy before = Before(), after = After();
  VersionDiff d = DiffHierarchies(before, after);
  Result<PointIndex> bi = PointIndex::Build(before);
  Result<PointIndex> ai = PointIndex::Build(after);
  ASSERT_TRUE(bi.ok() && ai.ok());
  const std::vector<Point> points = {
      {testing::kOriginX + 15 * testing::kStep, testing::kOriginY + 5 * testing::kStep}};
  const std::vector<std::string> ids = {"r1"};
  d.points_checked = 1;
  d.points = DiffLocations(*bi, *ai, points, ids);

  const json j = json::parse(FormatDiffJson(d));
  EXPECT_FALSE(j["identical"].get<bool>());
  ASSERT_EQ(j["changes"].size(), d.changes.size());
  EXPECT_EQ(j["changes"][3]["kind"], "renamed");
  EXPECT_EQ(j["changes"][3]["before_code"], "u2");
  EXPECT_EQ(j["levels"][1]["reshaped"], 2);
  EXPECT_EQ(j["points_checked"], 1);
  ASSERT_EQ(j["points"].size(), 1u);
  EXPECT_EQ(j["points"][0]["levels"][0]["after"], "u5");

  const json g = json::parse(FormatDiffGeoJson(d));
  EXPECT_EQ(g["type"], "FeatureCollection");
  ASSERT_EQ(g["features"].size(), d.changes.size() + 1);
  EXPECT_EQ(g["features"][0]["geometry"]["type"], "MultiPolygon");
  EXPECT_TRUE(g["features"][3]["geometry"].is_null());  // a rename changes no ground
  EXPECT_EQ(g["features"].back()["geometry"]["type"], "Point");
  EXPECT_EQ(g["features"].back()["properties"]["kind"], "point");

  const std::string text = FormatDiffText(d);
  EXPECT_THAT(text, HasSubstr("renamed unit u5 (was u2)"));
  EXPECT_THAT(text, HasSubstr("1 of 1 points change region"));
}

}  // namespace
}  // namespace wangge
