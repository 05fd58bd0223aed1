// The coverage check against synthetic cities (wangge/synth): a clean one must give no defect at
// all, and one with injected defects must give exactly those, with the right kind, codes and
// area (±1 %).
#include <algorithm>
#include <set>
#include <cmath>
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "core/coverage/coverage_test_util.h"
#include "support/test_support.h"
#include "wangge/coverage/coverage_validator.h"
#include "wangge/synth/synth.h"

namespace wangge {
namespace {

SynthOptions SmallCity(size_t defects_per_kind) {
  SynthOptions options;
  options.districts_path = (testing::SourceDir() / "data/putian/districts.geojson").string();
  options.scale = SynthScale::Small();
  options.seed = 7;
  options.defects_per_kind = defects_per_kind;
  return options;
}

std::string Show(const InjectedDefect& t) {
  std::string out = std::string(InjectedDefectKindName(t.kind)) + " " + t.level + " [";
  for (const std::string& c : t.codes) out += c + " ";
  return out + "] " + std::to_string(t.area_m2) + " m²";
}

bool SameCodes(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

bool AreaMatches(double expected, double actual) {
  if (expected == 0) return actual == 0;
  return std::abs(actual - expected) <= 0.01 * expected;
}

TEST(SynthCoverage, CleanSmallCityHasNoDefectAtAll) {
  Result<SynthResult> city = Synthesize(SmallCity(0));
  ASSERT_TRUE(city.ok()) << city.status().ToString();
  CoverageReport r = ValidateCoverage(city->hierarchy);
  EXPECT_TRUE(r.defects.empty()) << testing::Describe(r);
  for (const LevelCoverage& level : r.levels) {
    EXPECT_TRUE(level.seamless) << level.name;
    EXPECT_EQ(level.residual_segment_count, 0u) << level.name;
  }
}

class SynthCoverageSeeds : public ::testing::TestWithParam<uint64_t> {};

TEST_P(SynthCoverageSeeds, FindsEveryInjectedDefectAndNothingElse) {
  SynthOptions options = SmallCity(2);
  options.seed = GetParam();
  Result<SynthResult> city = Synthesize(options);
  ASSERT_TRUE(city.ok()) << city.status().ToString();
  ASSERT_GE(city->defects.size(), 8u * 2 + 5);  // 2 of each kind per unit, 1 per grid kind
  const Hierarchy& h = city->hierarchy;
  CoverageReport r = ValidateCoverage(h);
  std::vector<bool> used(r.defects.size(), false);
  for (const InjectedDefect& truth : city->defects) {
    bool found = false;
    for (size_t i = 0; i < r.defects.size() && !found; ++i) {
      const Defect& d = r.defects[i];
      if (used[i] || DefectKindName(d.kind) != InjectedDefectKindName(truth.kind) ||
          h.levels()[d.level].name != truth.level || !SameCodes(d.codes, truth.codes)) {
        continue;
      }
      EXPECT_TRUE(AreaMatches(truth.area_m2, d.area_m2))
          << Show(truth) << ": reported " << d.area_m2 << " m²";
      used[i] = found = true;
    }
    EXPECT_TRUE(found) << "not found: " << Show(truth);
  }
  for (size_t i = 0; i < r.defects.size(); ++i) {
    EXPECT_TRUE(used[i]) << "not injected: " << DefectKindName(r.defects[i].kind) << " "
                         << r.defects[i].message;
  }
  EXPECT_EQ(r.defects.size(), city->defects.size());
}

INSTANTIATE_TEST_SUITE_P(Seeds, SynthCoverageSeeds, ::testing::Values(7, 8));

}  // namespace
}  // namespace wangge
