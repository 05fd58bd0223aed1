#include "wangge/coverage/derive_parents.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/coverage/coverage_test_util.h"
#include "wangge/coverage/coverage_validator.h"

namespace wangge {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Describe;
using testing::MakeHierarchy;

// Two grids of two units each, in two communities of one town; only grids and units are kept.
Hierarchy GridsAndUnits(const char* second_unit_of_b = "POLYGON ((2 2, 4 2, 4 4, 2 4, 2 2))") {
  return MakeHierarchy({
      {0, "350302001001001", "350302001001", "POLYGON ((0 0, 2 0, 2 2, 2 4, 0 4, 0 2, 0 0))"},
      {0, "350302001002001", "", "POLYGON ((2 0, 4 0, 4 2, 4 4, 2 4, 2 2, 2 0))"},
      {1, "350302001001001001", "350302001001001", "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"},
      {1, "350302001001001002", "350302001001001", "POLYGON ((0 2, 2 2, 2 4, 0 4, 0 2))"},
      {1, "350302001002001001", "350302001002001", "POLYGON ((2 0, 4 0, 4 2, 2 2, 2 0))"},
      {1, "350302001002001002", "350302001002001", second_unit_of_b},
  });
}

TEST(DeriveParents, BuildsEveryMissingLevelFromCodesAndTheyMatchExactly) {
  std::vector<std::string> notes;
  Result<Hierarchy> derived = DeriveParents(GridsAndUnits(), {}, &notes);
  ASSERT_TRUE(derived.ok()) << derived.status().ToString();
  const Hierarchy& h = *derived;
  EXPECT_TRUE(notes.empty());
  ASSERT_EQ(h.level_count(), 6u);
  EXPECT_EQ(h.regions(0).size(), 1u);
  EXPECT_EQ(h.code(h.regions(0).first), "3503");
  EXPECT_EQ(h.regions(1).size(), 1u);
  EXPECT_EQ(h.code(h.regions(1).first), "350302");
  EXPECT_EQ(h.regions(2).size(), 1u);
  EXPECT_EQ(h.regions(3).size(), 2u);
  EXPECT_EQ(h.regions(4).size(), 2u);
  EXPECT_EQ(h.regions(5).size(), 4u);
  const RegionId town = h.Find("350302001");
  ASSERT_NE(town, kNoRegion);
  EXPECT_NEAR(AreaM2(h.geometry(town)), testing::LocalAreaM2("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))"),
              1e-6);
  CoverageOptions options;
  options.threads = 1;
  CoverageReport r = ValidateCoverage(h, options);  // code model on: prefixes must hold
  EXPECT_TRUE(r.defects.empty()) << Describe(r);
}

TEST(DeriveParents, KeepsMaintainedLevelsSoTheirDefectsStillShow) {
  // The second unit of grid B overlaps its sibling: B's community is derived from B, and the
  // check still finds the overlap among the units.
  std::vector<std::string> notes;
  Result<Hierarchy> derived =
      DeriveParents(GridsAndUnits("POLYGON ((2 1.5, 4 1.5, 4 4, 2 4, 2 1.5))"), {}, &notes);
  ASSERT_TRUE(derived.ok());
  CoverageOptions options;
  options.threads = 1;
  CoverageReport r = ValidateCoverage(*derived, options);
  ASSERT_FALSE(testing::OfKind(r, DefectKind::kOverlap).empty()) << Describe(r);
  EXPECT_TRUE(notes.empty());  // communities come from grids, which are edge-matched
}

TEST(DeriveParents, NotesChildrenThatAreNotEdgeMatched) {
  Hierarchy units = MakeHierarchy(
      {{0, "350302001001001001", "", "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"},
       {0, "350302001001001002", "", "POLYGON ((1 0, 3 0, 3 2, 1 2, 1 0))"}},
      {{"unit", "单元"}});
  std::vector<std::string> notes;
  Result<Hierarchy> derived = DeriveParents(units, {}, &notes);
  ASSERT_TRUE(derived.ok());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_THAT(notes[0], HasSubstr("grid 350302001001001"));
}

TEST(DeriveParents, RejectsUnknownLevels) {
  Hierarchy h = MakeHierarchy({{0, "x", "", "POLYGON ((0 0, 1 0, 1 1, 0 0))"}}, {{"zone", ""}});
  EXPECT_EQ(DeriveParents(h).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace wangge
