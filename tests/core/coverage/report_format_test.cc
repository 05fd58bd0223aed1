#include "wangge/coverage/report_format.h"

#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/coverage/coverage_test_util.h"
#include "wangge/coverage/coverage_validator.h"

namespace wangge {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;
using testing::MakeHierarchy;

// One gap (u4 missing), one T-junction-free overlap-free grid, and a size-rule warning.
CoverageReport SampleReport() {
  Hierarchy h = MakeHierarchy(
      {
          {0, "g", "", "POLYGON ((0 0, 2 0, 4 0, 4 2, 4 4, 2 4, 0 4, 0 2, 0 0))", {"900"}},
          {1, "u1", "g", "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"},
          {1, "u2", "g", "POLYGON ((2 0, 4 0, 4 2, 2 2, 2 0))"},
          {1, "u3", "g", "POLYGON ((0 2, 2 2, 2 4, 0 4, 0 2))"},
      },
      testing::GridAndUnit(), {{"households"}});
  CoverageOptions options;
  options.code_model.enabled = false;
  return ValidateCoverage(h, options);
}

TEST(ReportFormat, GeoJsonHasOneFeaturePerDefectWithTheFixedProperties) {
  const CoverageReport report = SampleReport();
  ASSERT_EQ(report.defects.size(), 2u);
  const json j = json::parse(FormatReportGeoJson(report));
  EXPECT_EQ(j["type"], "FeatureCollection");
  ASSERT_EQ(j["features"].size(), 2u);
  const std::set<std::string> expected = {"kind", "severity", "level", "parent", "codes",
                                          "area_m2", "width_m", "message", "fix"};
  for (const json& f : j["features"]) {
    std::set<std::string> keys;
    for (const auto& [key, value] : f["properties"].items()) keys.insert(key);
    EXPECT_EQ(keys, expected);
    EXPECT_TRUE(f["properties"]["codes"].is_array());
  }
  const json& gap = j["features"][0];
  EXPECT_EQ(gap["properties"]["kind"], "gap");
  EXPECT_EQ(gap["properties"]["severity"], "error");
  EXPECT_EQ(gap["properties"]["level"], "unit");
  EXPECT_EQ(gap["properties"]["parent"], "g");
  EXPECT_EQ(gap["geometry"]["type"], "MultiPolygon");
  EXPECT_NEAR(gap["geometry"]["coordinates"][0][0][0][0].get<double>(), 119.0, 0.001);
  const json& rule = j["features"][1];
  EXPECT_EQ(rule["properties"]["kind"], "size_rule");
  EXPECT_EQ(rule["properties"]["severity"], "warning");
  EXPECT_TRUE(rule["properties"]["width_m"].is_null());
  EXPECT_EQ(rule["geometry"]["type"], "MultiPoint");
}

TEST(ReportFormat, JsonCarriesSchemaCountsLevelsAndDefects) {
  const json j = json::parse(FormatReportJson(SampleReport()));
  EXPECT_EQ(j["schema"], "wangge.coverage-report/1");
  EXPECT_EQ(j["clean"], false);
  EXPECT_EQ(j["counts"]["error"], 1);
  EXPECT_EQ(j["counts"]["warning"], 1);
  ASSERT_EQ(j["levels"].size(), 2u);
  EXPECT_EQ(j["levels"][1]["name"], "unit");
  EXPECT_EQ(j["levels"][1]["seamless"], false);
  EXPECT_EQ(j["levels"][1]["defects"]["gap"], 1);
  EXPECT_EQ(j["defects"][0]["reason"], "at_parent_border");
  EXPECT_EQ(j["defects"][0]["level_index"], 1);
}

TEST(ReportFormat, TextListsCountsWorstFirst) {
  const std::string text = FormatReportText(SampleReport());
  EXPECT_THAT(text, HasSubstr("1 errors, 0 slivers, 1 warnings"));
  EXPECT_LT(text.find("gap"), text.find("size_rule"));
  EXPECT_THAT(text, HasSubstr("fix:"));
}

TEST(ReportFormat, DefectGeometryWkt) {
  DefectGeometry g;
  EXPECT_EQ(g.ToWkt(), "GEOMETRYCOLLECTION EMPTY");
  g.points = {{1.5, 2}};
  EXPECT_EQ(g.ToWkt(), "MULTIPOINT ((1.5 2))");
  g.lines = {{{0, 0}, {1, 1}}};
  EXPECT_EQ(g.ToWkt(), "GEOMETRYCOLLECTION (MULTILINESTRING ((0 0, 1 1)), MULTIPOINT ((1.5 2)))");
  EXPECT_EQ(DefectKindName(DefectKind::kNearCoincidentEdge), "near_coincident_edge");
  EXPECT_EQ(DefectKindFromName("t_junction"), DefectKind::kTJunction);
  EXPECT_FALSE(DefectKindFromName("nope").has_value());
}

}  // namespace
}  // namespace wangge
