#include "wangge/crs/input_crs.h"

#include <limits>
#include <random>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wangge/crs/china_offsets.h"
#include "wangge/geometry/measure.h"

namespace wangge {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using Kind = InputCrs::Kind;

InputCrs MustParse(std::string_view name) {
  Result<InputCrs> crs = InputCrs::Parse(name);
  EXPECT_TRUE(crs.ok()) << crs.status().ToString();
  if (!crs.ok()) std::abort();
  return *crs;
}

TEST(InputCrs, DefaultsToWgs84) {
  const InputCrs crs;
  EXPECT_EQ(crs.kind(), Kind::kLonLat);
  EXPECT_EQ(crs.name(), "wgs84");
  Result<Point> p = crs.ToLonLat({119.0, 25.4});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, (Point{119.0, 25.4}));
}

TEST(InputCrs, ParsesEveryNameCaseInsensitively) {
  struct Case {
    const char* text;
    Kind kind;
    const char* name;
  };
  const Case cases[] = {
      {"wgs84", Kind::kLonLat, "wgs84"},
      {"WGS84", Kind::kLonLat, "wgs84"},
      {" cgcs2000 ", Kind::kLonLat, "cgcs2000"},
      {"CGCS2000", Kind::kLonLat, "cgcs2000"},
      {"gcj02", Kind::kGcj02, "gcj02"},
      {"GCJ02", Kind::kGcj02, "gcj02"},
      {"bd09", Kind::kBd09, "bd09"},
      {"bd09ll", Kind::kBd09, "bd09"},
      {"BD09LL", Kind::kBd09, "bd09"},
      {"EPSG:4326", Kind::kLonLat, "EPSG:4326"},
      {"epsg:4490", Kind::kLonLat, "EPSG:4490"},
      {"EPSG:4527", Kind::kProj, "EPSG:4527"},
      {"epsg:3857", Kind::kProj, "EPSG:3857"},
      {"EPSG:04549", Kind::kProj, "EPSG:4549"},
  };
  for (const Case& c : cases) {
    Result<InputCrs> crs = InputCrs::Parse(c.text);
    ASSERT_TRUE(crs.ok()) << c.text << ": " << crs.status().ToString();
    EXPECT_EQ(crs->kind(), c.kind) << c.text;
    EXPECT_EQ(crs->name(), c.name) << c.text;
  }
}

TEST(InputCrs, RejectsUnknownNamesNamingThem) {
  for (const char* bad : {"", "wgs", "gcj-02", "bd09mc", "EPSG:", "EPSG:abc", "EPSG:-4326",
                          "EPSG:4326x", "EPSG:+4326", "4326", "EPSG:99999999999"}) {
    Result<InputCrs> crs = InputCrs::Parse(bad);
    ASSERT_FALSE(crs.ok()) << bad;
    EXPECT_EQ(crs.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(crs.status().message(), HasSubstr(std::string("\"") + bad + "\"")) << bad;
  }
  Result<InputCrs> unknown_code = InputCrs::Parse("EPSG:99999");
  ASSERT_FALSE(unknown_code.ok());
  EXPECT_EQ(unknown_code.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown_code.status().message(),
              AllOf(HasSubstr("EPSG:99999"), HasSubstr("not found")));
  // Known to PROJ but without horizontal axes: WGS 84 geocentric, EGM96 height.
  for (const char* code : {"EPSG:4978", "EPSG:5773"}) {
    Result<InputCrs> crs = InputCrs::Parse(code);
    ASSERT_FALSE(crs.ok()) << code;
    EXPECT_EQ(crs.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(crs.status().message(),
                AllOf(HasSubstr(code), HasSubstr("not a geographic or projected CRS")));
  }
}

TEST(InputCrs, ConvertsEachKindToLonLat) {
  // Beijing railway station (see china_offsets_test.cc) and a Gauss-Krüger point checked with
  //   echo "39447841.2480561 4419714.13323" | gdaltransform -s_srs EPSG:4527 -t_srs EPSG:4490
  //   → 116.390000000001 39.91
  const Point wgs{116.42079, 39.90105};
  struct Case {
    const char* crs;
    Point input;
    Point expected;
    double tolerance;
  };
  const Case cases[] = {
      {"wgs84", wgs, wgs, 0},
      {"cgcs2000", wgs, wgs, 0},
      {"gcj02", {116.42703, 39.90245}, wgs, 1e-5},
      {"bd09", {116.43351, 39.90851}, wgs, 2e-5},  // two rounded hops, see china_offsets_test
      {"EPSG:4527", {39447841.2480561, 4419714.13323}, {116.39, 39.91}, 1e-9},
      {"EPSG:3857", {12957254.7698647, 4852727.20585653}, {116.397, 39.909}, 1e-9},
  };
  for (const Case& c : cases) {
    Result<Point> p = MustParse(c.crs).ToLonLat(c.input);
    ASSERT_TRUE(p.ok()) << c.crs << ": " << p.status().ToString();
    EXPECT_NEAR(p->x, c.expected.x, c.tolerance) << c.crs;
    EXPECT_NEAR(p->y, c.expected.y, c.tolerance) << c.crs;
  }
}

TEST(InputCrs, RejectsNonFiniteAndOutOfRangePoints) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (const char* name : {"wgs84", "gcj02", "bd09", "EPSG:4527"}) {
    const InputCrs crs = MustParse(name);
    for (const Point p : {Point{nan, 25}, Point{119, inf}}) {
      Result<Point> r = crs.ToLonLat(p);
      ASSERT_FALSE(r.ok()) << name;
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(r.status().message(), HasSubstr("not finite")) << name;
    }
  }
  for (const Point p : {Point{200, 10}, Point{-180.5, 10}, Point{10, 95}, Point{10, -90.01}}) {
    for (const char* name : {"wgs84", "gcj02", "bd09"}) {
      Result<Point> r = MustParse(name).ToLonLat(p);
      ASSERT_FALSE(r.ok()) << name << " " << p.x << " " << p.y;
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(r.status().message(), HasSubstr("out of range"));
    }
  }
  EXPECT_TRUE(InputCrs().ToLonLat({180, -90}).ok());  // the range is closed
}

TEST(InputCrs, BatchNamesTheFirstBadPoint) {
  for (const char* name : {"wgs84", "gcj02", "bd09", "EPSG:3857"}) {
    const InputCrs crs = MustParse(name);
    const Point good = crs.kind() == Kind::kProj ? Point{12957254.77, 4852727.21} : Point{119, 25};
    std::vector<Point> points(1000, good);
    points[640] = {std::numeric_limits<double>::quiet_NaN(), 25};
    points[900] = {std::numeric_limits<double>::quiet_NaN(), 25};
    Status s = crs.ToLonLat(std::span<Point>(points));
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(s.message(), AllOf(HasSubstr("point 640"), HasSubstr("nan"))) << name;
  }
  std::vector<Point> out_of_range(10, Point{119, 25});
  out_of_range[7] = {119, 91};
  Status s = InputCrs().ToLonLat(std::span<Point>(out_of_range));
  EXPECT_THAT(s.message(), AllOf(HasSubstr("point 7"), HasSubstr("out of range")));
}

TEST(InputCrs, BatchEqualsPointByPoint) {
  std::mt19937_64 random(11);
  std::uniform_real_distribution<double> lon(117.5, 122.5);
  std::uniform_real_distribution<double> lat(20.0, 30.0);
  std::vector<Point> lonlat(3000);
  for (Point& p : lonlat) p = {lon(random), lat(random)};
  for (const char* name : {"wgs84", "gcj02", "bd09", "EPSG:4549"}) {
    const InputCrs crs = MustParse(name);
    std::vector<Point> points = lonlat;
    if (crs.kind() == Kind::kProj) {
      Result<CrsTransform> to_gk = CrsTransform::Create("EPSG:4490", "EPSG:4549");
      ASSERT_TRUE(to_gk.ok());
      ASSERT_TRUE(to_gk->Apply(std::span<Point>(points)).ok());
    }
    std::vector<Point> expected;
    for (const Point& p : points) {
      Result<Point> r = crs.ToLonLat(p);
      ASSERT_TRUE(r.ok()) << name << ": " << r.status().ToString();
      expected.push_back(*r);
    }
    ASSERT_TRUE(crs.ToLonLat(std::span<Point>(points)).ok()) << name;
    EXPECT_EQ(points, expected) << name;
    if (crs.kind() == Kind::kProj) {  // and back where they started
      double max_error = 0;
      for (size_t i = 0; i < points.size(); ++i) {
        max_error = std::max(max_error, DistanceM(points[i], lonlat[i]));
      }
      EXPECT_LT(max_error, 1e-3);
    }
  }
}

TEST(InputCrs, CopiesConvertFromManyThreads) {
  const InputCrs gk = MustParse("EPSG:4549");
  const InputCrs gcj = MustParse("gcj02");
  const Point gk_point{399375.938700076, 2810741.1973028};
  const Point gcj_point = WgsToGcj02({119.0, 25.4});
  const Point gk_expected = *gk.ToLonLat(gk_point);
  const Point gcj_expected = *gcj.ToLonLat(gcj_point);
  std::vector<int> mismatches(8, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const InputCrs gk_copy = gk;
      const InputCrs parsed = MustParse("epsg:4549");  // from the process-wide cache
      for (int i = 0; i < 500; ++i) {
        Result<Point> a = gk_copy.ToLonLat(gk_point);
        Result<Point> b = parsed.ToLonLat(gk_point);
        Result<Point> c = gcj.ToLonLat(gcj_point);
        if (!a.ok() || !b.ok() || !c.ok() || *a != gk_expected || *b != gk_expected ||
            *c != gcj_expected) {
          ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t t = 0; t < 8; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
  EXPECT_NEAR(gk_expected.x, 119.0, 1e-9);
  EXPECT_NEAR(gcj_expected.y, 25.4, 1e-9);
}

}  // namespace
}  // namespace wangge
