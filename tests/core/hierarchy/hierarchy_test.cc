#include "wangge/hierarchy/hierarchy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "wangge/hierarchy/hierarchy_builder.h"

namespace wangge {
namespace {

using ::testing::ElementsAre;
using testing::Wkt;

std::vector<Level> ThreeLevels() { return {{"district", "区县"}, {"grid", ""}, {"unit", "单元"}}; }

TEST(Hierarchy, ResolvesParentsAndChildrenWhateverTheInsertionOrder) {
  HierarchyBuilder b(ThreeLevels());
  b.Add({.level = 2, .code = "u2", .parent = "g1", .name = "单元2",
         .geometry = Wkt("POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))")});
  b.Add({.level = 0, .code = "d", .parent = "", .name = "城厢区",
         .geometry = Wkt("POLYGON ((0 0, 2 0, 2 1, 0 1, 0 0))")});
  b.Add({.level = 2, .code = "u1", .parent = "g1", .name = "单元1",
         .geometry = Wkt("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")});
  b.Add({.level = 1, .code = "g1", .parent = "d", .name = "第1网格",
         .geometry = Wkt("POLYGON ((0 0, 2 0, 2 1, 0 1, 0 0))")});
  std::vector<HierarchyIssue> issues;
  Hierarchy h = std::move(b).Build(&issues);

  EXPECT_TRUE(issues.empty());
  ASSERT_EQ(h.region_count(), 4u);
  EXPECT_EQ(h.levels()[1].label, "grid");  // an empty label defaults to the name
  EXPECT_EQ(h.regions(0).size(), 1u);
  EXPECT_EQ(h.regions(2).size(), 2u);
  const RegionId grid = h.Find("g1");
  ASSERT_NE(grid, kNoRegion);
  EXPECT_EQ(h.level(grid), 1u);
  EXPECT_EQ(h.name(grid), "第1网格");
  EXPECT_EQ(h.code(h.parent(grid)), "d");
  std::vector<std::string_view> child_codes;
  for (RegionId c : h.children(grid)) child_codes.push_back(h.code(c));
  EXPECT_THAT(child_codes, ElementsAre("u2", "u1"));
  EXPECT_EQ(h.parent(h.Find("d")), kNoRegion);
  EXPECT_EQ(h.Find("nope"), kNoRegion);
  EXPECT_EQ(h.geometry(h.Find("u2")).vertex_count(), 5u);
  EXPECT_EQ(h.bounds(h.Find("u2")), (Box{1, 0, 2, 1}));
  EXPECT_EQ(h.bounds(), (Box{0, 0, 2, 1}));
}

TEST(Hierarchy, KeepsDuplicateCodesAndMissingParentsAndReportsThem) {
  HierarchyBuilder b(ThreeLevels());
  b.Add({.level = 0, .code = "d", .geometry = Wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))")});
  b.Add({.level = 1, .code = "g", .parent = "d", .geometry = Wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))")});
  b.Add({.level = 2, .code = "g", .parent = "g", .geometry = Wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))")});
  b.Add({.level = 2, .code = "u", .parent = "nowhere",
         .geometry = Wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))")});
  b.Add({.level = 2, .code = "v", .parent = "d", .geometry = Wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))")});
  std::vector<HierarchyIssue> issues;
  Hierarchy h = std::move(b).Build(&issues);

  ASSERT_EQ(h.region_count(), 5u);
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues[0].kind, HierarchyIssue::Kind::kDuplicateCode);
  EXPECT_EQ(h.level(issues[0].region), 2u);
  EXPECT_EQ(issues[1].kind, HierarchyIssue::Kind::kMissingParent);
  EXPECT_EQ(h.code(issues[1].region), "u");
  EXPECT_THAT(issues[1].message, ::testing::HasSubstr("nowhere"));
  EXPECT_EQ(h.code(issues[2].region), "v");  // parent exists but two levels up
  EXPECT_THAT(issues[2].message, ::testing::HasSubstr("not a grid"));
  EXPECT_EQ(h.Find("g"), h.regions(1).first);  // first wins
  std::vector<std::string_view> by_code;
  for (RegionId r : h.by_code()) by_code.push_back(h.code(r));
  EXPECT_THAT(by_code, ElementsAre("d", "g", "g", "u", "v"));
  EXPECT_EQ(h.by_code()[1], h.regions(1).first);  // equal codes in id order
  EXPECT_EQ(h.parent(h.Find("u")), kNoRegion);
  EXPECT_EQ(h.parent_code(h.Find("u")), "nowhere");
}

TEST(Hierarchy, KeepsAttributesPerLevel) {
  HierarchyBuilder b(std::vector<Level>{{"grid", "网格"}});
  b.SetAttributeNames(0, {"households", "网格长"});
  b.Add({.level = 0, .code = "a", .attributes = {"420", "林小红"},
         .geometry = Wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))")});
  b.Add({.level = 0, .code = "b", .attributes = {"37"},
         .geometry = Wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))")});
  Hierarchy h = std::move(b).Build(nullptr);

  EXPECT_THAT(h.attribute_names(0), ElementsAre("households", "网格长"));
  EXPECT_EQ(h.attribute(h.Find("a"), "网格长"), "林小红");
  EXPECT_EQ(h.attribute(h.Find("b"), 0), "37");
  EXPECT_EQ(h.attribute(h.Find("b"), "网格长"), "");  // missing values are empty
  EXPECT_EQ(h.attribute(h.Find("b"), "phone"), std::nullopt);
}

TEST(Hierarchy, DefaultLevelsArePutiansSix) {
  std::vector<std::string> names;
  for (const Level& l : DefaultLevels()) names.push_back(l.name);
  EXPECT_THAT(names, ElementsAre("city", "district", "town", "community", "grid", "unit"));
}

}  // namespace
}  // namespace wangge
