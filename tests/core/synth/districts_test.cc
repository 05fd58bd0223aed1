#include "wangge/synth/districts.h"

#include <fstream>
#include <map>
#include <memory>

#include "core/synth/synth_checks.h"
#include <geos/geom/Geometry.h>
#include <geos/geom/GeometryFactory.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "geometry/internal/geos_convert.h"
#include "support/test_support.h"
#include "wangge/geometry/measure.h"

namespace wangge {
namespace {

using testing::Wkt;

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = (testing::ScratchDir() / name).string();
  std::ofstream(path) << text;
  return path;
}

std::string Feature(const std::string& properties, const std::string& geometry) {
  return R"({"type":"Feature","properties":)" + properties + R"(,"geometry":)" + geometry + "}";
}

std::string Collection(const std::string& features) {
  return R"({"type":"FeatureCollection","features":[)" + features + "]}";
}

const char* kSquare = R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]})";

// The signed count of every segment over all districts (interior on the left): in a partition,
// shared segments cancel and only the outer boundary is left.
std::map<std::pair<Point, Point>, int> SegmentBalance(const std::vector<DistrictOutline>& ds) {
  std::map<std::pair<Point, Point>, int> count;
  for (const DistrictOutline& d : ds) {
    const MultiPolygonView v = d.geometry.view();
    for (size_t p = 0; p < v.polygon_count(); ++p) {
      for (size_t r = 0; r < v.polygon(p).ring_count(); ++r) {
        const RingView ring = v.polygon(p).ring(r);
        for (size_t i = 0; i + 1 < ring.size(); ++i) {
          if (ring[i] < ring[i + 1]) {
            ++count[{ring[i], ring[i + 1]}];
          } else {
            --count[{ring[i + 1], ring[i]}];
          }
        }
      }
    }
  }
  return count;
}

TEST(ReadDistricts, ReportsBadInputByFileAndFeature) {
  Result<std::vector<DistrictOutline>> r = ReadDistricts("no/such/file.geojson");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("no/such/file.geojson"));

  r = ReadDistricts(WriteFile("nocode.geojson", Collection(Feature(R"({"name":"x"})", kSquare))));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("'code'"));

  r = ReadDistricts(
      WriteFile("point.geojson", Collection(Feature(R"({"code":"1","name":"x"})",
                                                    R"({"type":"Point","coordinates":[0,0]})"))));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("feature 0"));
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("Point"));

  r = ReadDistricts(
      WriteFile("twice.geojson", Collection(Feature(R"({"code":"1","name":"x"})", kSquare) + "," +
                                            Feature(R"({"code":"1","name":"y"})", kSquare))));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("duplicate code 1"));
}

TEST(ReadDistricts, ReadsThePutianFile) {
  Result<std::vector<DistrictOutline>> r =
      ReadDistricts((testing::SourceDir() / "data/putian/districts.geojson").string());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 5u);
  EXPECT_EQ((*r)[0].code, "350302");
  EXPECT_EQ((*r)[0].name, "城厢区");
  EXPECT_EQ((*r)[3].geometry.view().polygon_count(), 27u);  // 秀屿区 and its islands
}

TEST(CleanDistricts, GivesAnOverlapToOneSideAndMatchesTheBorder) {
  // Two districts overlapping in the strip 1.5 ≤ x ≤ 2.
  const std::vector<DistrictOutline> raw = {
      {"a", "A", Wkt("POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))")},
      {"b", "B", Wkt("POLYGON ((1.5 0, 4 0, 4 2, 1.5 2, 1.5 0))")}};
  DistrictCleaning report;
  Result<std::vector<DistrictOutline>> clean = CleanDistricts(raw, &report);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  EXPECT_EQ(report.overlap_faces, 1u);
  EXPECT_EQ(report.gap_faces, 0u);
  const double a = AreaM2((*clean)[0].geometry.view());
  const double b = AreaM2((*clean)[1].geometry.view());
  EXPECT_NEAR(a + b, report.raw_union_area_m2, 1e-6 * (a + b));
  EXPECT_NEAR(report.clean_area_m2, a + b, 1e-6 * (a + b));
  // The strip went to one of them entirely; their border cancels exactly.
  const double share = a / (a + b);
  EXPECT_TRUE(std::abs(share - 0.5) < 1e-3 || std::abs(share - 0.375) < 1e-3) << share;
  int left = 0;
  for (const auto& [segment, n] : SegmentBalance(*clean)) left += std::abs(n);
  EXPECT_EQ(left, 4 + 4);  // the outer rectangle: 0..4 × 0..2 with vertices at x = 1.5 and 2
  EXPECT_NEAR(testing::IntersectionAreaM2((*clean)[0].geometry.view(), (*clean)[1].geometry.view()),
              0, 1e-3);
}

TEST(CleanDistricts, FillsASliverGapWithTheLongestNeighbour) {
  // A thin hole between two districts, closed off at both ends.
  const std::vector<DistrictOutline> raw = {
      {"a", "A",
       Wkt("POLYGON ((0 0, 1 0, 1 0.0001, 0.5 0.0001, 0.5 0.0002, 1 0.0002, 1 1, 0 1, 0 0))")},
      {"b", "B", Wkt("POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0.0002, 1 0.0001, 1 0))")},
  };
  DistrictCleaning report;
  Result<std::vector<DistrictOutline>> clean = CleanDistricts(raw, &report);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  EXPECT_EQ(report.gap_faces, 1u);
  EXPECT_GT(report.gap_area_m2, 0);
  // The gap is bordered by A on three sides: A takes it and has no hole left.
  EXPECT_EQ((*clean)[0].geometry.view().ring_count(), 1u);
  EXPECT_NEAR(report.clean_area_m2, report.raw_union_area_m2 + report.gap_area_m2,
              1e-6 * report.clean_area_m2);
}

TEST(CleanDistricts, MakesThePutianDistrictsAnExactPartition) {
  Result<std::vector<DistrictOutline>> raw =
      ReadDistricts((testing::SourceDir() / "data/putian/districts.geojson").string());
  ASSERT_TRUE(raw.ok());
  DistrictCleaning report;
  Result<std::vector<DistrictOutline>> clean = CleanDistricts(*raw, &report);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  ASSERT_EQ(clean->size(), 5u);
  // Every shared border segment appears once in each direction: no overlap, no gap, identical
  // vertices. What is left is the outer boundary, each segment once.
  for (const auto& [segment, n] : SegmentBalance(*clean)) ASSERT_LE(std::abs(n), 1);
  for (const DistrictOutline& d : *clean) {
    EXPECT_TRUE(testing::IsValid(d.geometry.view())) << d.code;
  }
  // The union's area is within 0.1 % of the raw union (GEOS).
  geos::geom::GeometryFactory::Ptr factory = geos::geom::GeometryFactory::create();
  std::unique_ptr<geos::geom::Geometry> raw_union;
  for (const DistrictOutline& d : *raw) {
    std::unique_ptr<geos::geom::Geometry> g =
        internal::ToGeos(*factory, d.geometry.view())->buffer(0);
    raw_union = raw_union ? raw_union->Union(g.get()) : std::move(g);
  }
  Result<MultiPolygon> u = internal::FromGeos(*raw_union);
  ASSERT_TRUE(u.ok());
  const double raw_area = AreaM2(u->view());
  double clean_area = 0;
  for (const DistrictOutline& d : *clean) clean_area += AreaM2(d.geometry.view());
  EXPECT_NEAR(clean_area, raw_area, 1e-3 * raw_area);
  EXPECT_NEAR(report.clean_area_m2, clean_area, 1e-9 * clean_area);
  EXPECT_EQ(report.overlap_faces, 0u);
  EXPECT_GT(report.gap_faces, 0u);
}

}  // namespace
}  // namespace wangge
