// The Putian-scale synthetic city (label `slow`: about half a minute to build on 2 cores).
#include "core/synth/synth_checks.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "wangge/geometry/measure.h"
#include "wangge/synth/synth.h"

namespace wangge {
namespace {

using ::testing::IsEmpty;

TEST(SynthesizePutian, BuildsTheWholeCitySeamlessly) {
  SynthOptions options;
  options.districts_path = (testing::SourceDir() / "data/putian/districts.geojson").string();
  options.scale = SynthScale::Putian();
  options.seed = 2024;
  Result<SynthResult> r = Synthesize(options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Hierarchy& h = r->hierarchy;
  const size_t expected[] = {1, 5, 54, 973, 10439, 134753};
  for (size_t level = 0; level < 6; ++level) {
    EXPECT_EQ(h.regions(level).size(), expected[level]) << h.levels()[level].name;
  }
  for (RegionId id : h.regions(5)) {
    const size_t points = h.geometry(id).vertex_count();
    ASSERT_TRUE(points >= 21 && points <= 60) << h.code(id) << " has " << points;
  }
  for (size_t level = 1; level < 6; ++level) {
    EXPECT_THAT(testing::Residuals(h, level), IsEmpty()) << h.levels()[level].name;
    EXPECT_LT(testing::WorstAreaMismatch(h, level), 1e-9) << h.levels()[level].name;
  }
  for (size_t level = 0; level < 6; ++level) {
    EXPECT_THAT(testing::InvalidRegions(h, level), IsEmpty()) << h.levels()[level].name;
  }
  for (const DistrictOutline& d : r->districts) {
    const RegionId id = h.Find(d.code);
    ASSERT_NE(id, kNoRegion);
    EXPECT_LT(testing::SymmetricDifferenceRatio(d.geometry.view(), h.geometry(id)), 1e-9) << d.code;
  }
  for (RegionId grid : h.regions(4)) {
    EXPECT_LE(std::stoi(std::string(*h.attribute(grid, "households"))), 500) << h.code(grid);
  }
  EXPECT_EQ(r->stats.vertex_count_violations, 0u);
}

}  // namespace
}  // namespace wangge
