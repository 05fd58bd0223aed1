#include "wangge/crs/transform.h"

#include <cmath>
#include <limits>
#include <random>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crs/internal/transform_internal.h"

namespace wangge {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

CrsTransform MustCreate(std::string_view source, std::string_view target) {
  Result<CrsTransform> t = CrsTransform::Create(source, target);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  if (!t.ok()) std::abort();
  return *t;
}

Point MustApply(const CrsTransform& t, Point p) {
  Result<Point> r = t.Apply(p);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Point{NAN, NAN};
}

std::vector<Point> RandomPoints(size_t n, double min_x, double max_x, double min_y, double max_y) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> x(min_x, max_x);
  std::uniform_real_distribution<double> y(min_y, max_y);
  std::vector<Point> points(n);
  for (Point& p : points) p = {x(random), y(random)};
  return points;
}

// Reference values from GDAL 3.6.2 / PROJ 9.1.1, e.g.
//   echo "119.0 25.4" | gdaltransform -s_srs EPSG:4490 -t_srs EPSG:4549 -output_xy
//   → 399375.938700076 2810741.1973028
//   echo "116.39 39.91" | gdaltransform -s_srs EPSG:4490 -t_srs EPSG:4527 -output_xy
//   → 39447841.2480561 4419714.13323
//   echo "116.397 39.909" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:3857 -output_xy
//   → 12957254.7698647 4852727.20585653
// gdaltransform reads and writes lon/lat (x = lon), as CrsTransform does.
TEST(CrsTransform, ProjectsToCgcs2000GaussKrugerZones) {
  const Point putian = MustApply(MustCreate("EPSG:4490", "EPSG:4549"), {119.0, 25.4});
  EXPECT_NEAR(putian.x, 399375.938700076, 1e-3);
  EXPECT_NEAR(putian.y, 2810741.1973028, 1e-3);
  const Point beijing = MustApply(MustCreate("EPSG:4490", "EPSG:4527"), {116.39, 39.91});
  EXPECT_NEAR(beijing.x, 39447841.2480561, 1e-3);  // zone prefix 39
  EXPECT_NEAR(beijing.y, 4419714.13323, 1e-3);
}

TEST(CrsTransform, UnprojectsGaussKrugerToLonLat) {
  Result<CrsTransform> t = ToLonLat("EPSG:4527");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  const Point p = MustApply(*t, {39447841.2480561, 4419714.13323});
  EXPECT_NEAR(p.x, 116.39, 1e-9);
  EXPECT_NEAR(p.y, 39.91, 1e-9);
  EXPECT_EQ(t->source_crs(), "EPSG:4527");
  EXPECT_EQ(t->target_crs(), "EPSG:4490");
}

TEST(CrsTransform, ProjectsToWebMercatorFromEitherGeographicCrs) {
  for (const char* source : {"EPSG:4326", "EPSG:4490"}) {
    const Point p = MustApply(MustCreate(source, "EPSG:3857"), {116.397, 39.909});
    EXPECT_NEAR(p.x, 12957254.770, 1e-3) << source;
    EXPECT_NEAR(p.y, 4852727.206, 1e-3) << source;
    const Point back = MustApply(MustCreate("EPSG:3857", source), p);
    EXPECT_NEAR(back.x, 116.397, 1e-9);
    EXPECT_NEAR(back.y, 39.909, 1e-9);
  }
}

TEST(CrsTransform, KeepsLonLatAxisOrderForLatLonAuthorities) {
  // EPSG:4490 and EPSG:4326 are lat/lon by the book; CGCS2000 → WGS84 is a null shift in PROJ 9.1.
  const Point p = MustApply(MustCreate("EPSG:4490", "EPSG:4326"), {116.4, 39.9});
  EXPECT_NEAR(p.x, 116.4, 1e-12);
  EXPECT_NEAR(p.y, 39.9, 1e-12);
  // A PROJJSON CRS with latitude first is normalised the same way.
  const char* lat_first = R"({"type": "GeographicCRS", "name": "WGS 84 lat first",
      "datum": {"type": "GeodeticReferenceFrame", "name": "World Geodetic System 1984",
        "ellipsoid": {"name": "WGS 84", "semi_major_axis": 6378137,
                      "inverse_flattening": 298.257223563}},
      "coordinate_system": {"subtype": "ellipsoidal", "axis": [
        {"name": "Geodetic latitude", "abbreviation": "Lat", "direction": "north", "unit": "degree"},
        {"name": "Geodetic longitude", "abbreviation": "Lon", "direction": "east", "unit": "degree"}]}})";
  const Point m = MustApply(MustCreate(lat_first, "EPSG:3857"), {116.397, 39.909});
  EXPECT_NEAR(m.x, 12957254.770, 1e-3);
  EXPECT_NEAR(m.y, 4852727.206, 1e-3);
}

TEST(CrsTransform, AcceptsWktAndProjStrings) {
  const char* wkt = R"(GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],)"
                    R"(PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]])";
  const Point m = MustApply(MustCreate(wkt, "EPSG:3857"), {116.397, 39.909});
  EXPECT_NEAR(m.x, 12957254.770, 1e-3);
  EXPECT_NEAR(m.y, 4852727.206, 1e-3);
  // EPSG:4549 spelled as a PROJ string, without "+type=crs".
  const char* tmerc =
      "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m";
  const Point p = MustApply(MustCreate("EPSG:4490", tmerc), {119.0, 25.4});
  EXPECT_NEAR(p.x, 399375.938700076, 1e-3);
  EXPECT_NEAR(p.y, 2810741.1973028, 1e-3);
}

TEST(CrsTransform, RejectsUnknownCrsNamingItAndProjsReason) {
  Result<CrsTransform> t = CrsTransform::Create("EPSG:4326", "EPSG:99999");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), AllOf(HasSubstr("EPSG:99999"), HasSubstr("not found")));

  Result<CrsTransform> empty = CrsTransform::Create("", "EPSG:4326");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("empty CRS"));
  for (const char* bad : {"nonsense", "EPSG:", "+proj=nosuchprojection"}) {
    Result<CrsTransform> b = CrsTransform::Create(bad, "EPSG:4326");
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(b.status().message(), HasSubstr(std::string("\"") + bad)) << bad;
  }
  Result<CrsTransform> op =
      CrsTransform::Create("+proj=pipeline +step +proj=axisswap +order=2,1", "EPSG:4326");
  ASSERT_FALSE(op.ok());
  EXPECT_THAT(op.status().message(), HasSubstr("not a coordinate reference system"));
}

TEST(CrsTransform, RejectsNonFinitePoints) {
  const CrsTransform t = MustCreate("EPSG:4326", "EPSG:3857");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Result<Point> r = t.Apply({nan, 30});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("not finite"));

  std::vector<Point> points(600, Point{116, 40});
  points[300].y = std::numeric_limits<double>::infinity();
  Status s = t.Apply(std::span<Point>(points));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("point 300"), HasSubstr("inf")));
  EXPECT_EQ(points[299], MustApply(t, {116, 40}));  // the ones before are transformed
}

TEST(CrsTransform, NamesThePointOutsideTheProjectionDomain) {
  // EPSG:4527 eastings carry the zone prefix 39; 500000 is 39 zones west of the zone.
  Result<CrsTransform> t = ToLonLat("EPSG:4527");
  ASSERT_TRUE(t.ok());
  Result<Point> r = t->Apply({500000, 4000000});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), AllOf(HasSubstr("(500000, 4000000)"), HasSubstr("EPSG:4527")));

  std::vector<Point> points(1000, Point{39447841.2480561, 4419714.13323});
  points[777] = {500000, 4000000};
  Status s = t->Apply(std::span<Point>(points));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("point 777"), HasSubstr("(500000, 4000000)")));
}

TEST(CrsTransform, BatchEqualsPointByPoint) {
  const CrsTransform t = MustCreate("EPSG:4490", "EPSG:4549");
  std::vector<Point> points = RandomPoints(5000, 117.5, 122.5, 20, 30);
  std::vector<Point> expected;
  for (const Point& p : points) expected.push_back(MustApply(t, p));
  ASSERT_TRUE(t.Apply(std::span<Point>(points)).ok());
  EXPECT_EQ(points, expected);
  EXPECT_TRUE(t.Apply(std::span<Point>()).ok());
}

TEST(CrsTransform, GivesTheSameAnswersFromManyThreads) {
  const CrsTransform to_gk = MustCreate("EPSG:4490", "EPSG:4549");
  const CrsTransform to_mercator = MustCreate("EPSG:4326", "EPSG:3857");
  const std::vector<Point> input = RandomPoints(2000, 117.5, 122.5, 20, 30);
  std::vector<Point> gk_expected, mercator_expected;
  for (const Point& p : input) {
    gk_expected.push_back(MustApply(to_gk, p));
    mercator_expected.push_back(MustApply(to_mercator, p));
  }

  constexpr size_t kThreads = 8;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const CrsTransform gk_copy = to_gk;  // copies share the operation
      for (int round = 0; round < 10; ++round) {
        std::vector<Point> batch = input;
        const CrsTransform& gk = (round % 2 == 0) ? to_gk : gk_copy;
        if (!gk.Apply(std::span<Point>(batch)).ok() || batch != gk_expected) ++mismatches[t];
        for (size_t i = 0; i < input.size(); i += 10) {
          Result<Point> m = to_mercator.Apply(input[i]);
          if (!m.ok() || *m != mercator_expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

TEST(CrsTransform, DropsPerThreadClonesOfDestroyedTransforms) {
  size_t cached_at_end = 0;
  std::thread thread([&] {
    for (int i = 0; i < 10; ++i) {
      const CrsTransform t = MustCreate("EPSG:4490", i % 2 ? "EPSG:4549" : "EPSG:3857");
      EXPECT_TRUE(t.Apply(Point{119, 25}).ok());
    }
    const CrsTransform a = MustCreate("EPSG:4490", "EPSG:4549");
    const CrsTransform b = MustCreate("EPSG:4490", "EPSG:3857");
    EXPECT_TRUE(a.Apply(Point{119, 25}).ok());
    EXPECT_TRUE(b.Apply(Point{119, 25}).ok());
    cached_at_end = internal::CachedTransformCountInThisThread();
  });
  thread.join();
  EXPECT_EQ(cached_at_end, 2u);  // a and b; the 10 destroyed ones were swept
}

TEST(DescribeCrs, NamesTheCodeAndTheName) {
  Result<std::string> gk = DescribeCrs("EPSG:4527");
  ASSERT_TRUE(gk.ok()) << gk.status().ToString();
  EXPECT_EQ(*gk, "EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)");
  Result<std::string> geographic = DescribeCrs("epsg:4490");
  ASSERT_TRUE(geographic.ok());
  EXPECT_EQ(*geographic, "EPSG:4490 (China Geodetic Coordinate System 2000)");
}

TEST(DescribeCrs, IdentifiesCrsWithoutIdentifierOnlyWhenCertain) {
  const char* wkt = R"(GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],)"
                    R"(PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]])";
  Result<std::string> d = DescribeCrs(wkt);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, "EPSG:4326 (WGS 84)");
  Result<std::string> proj = DescribeCrs("+proj=tmerc +lon_0=120.5 +ellps=GRS80 +units=m");
  ASSERT_TRUE(proj.ok());
  EXPECT_THAT(*proj, HasSubstr("+proj=tmerc"));
}

TEST(DescribeCrs, RejectsUnknownCrs) {
  Result<std::string> d = DescribeCrs("EPSG:99999");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("EPSG:99999"));
}

}  // namespace
}  // namespace wangge
