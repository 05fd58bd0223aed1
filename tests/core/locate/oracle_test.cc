// PointIndex against GEOS (an STRtree of unit envelopes, PreparedGeometry covers and contains) on
// synthetic data: random points over the bounding box, unit vertices and edge midpoints (exactly
// on the boundary: synthetic vertices lie on a 2^-26 degree grid, so a midpoint is exact). Every
// point GEOS puts in one unit's interior must get that unit; every point on a boundary must get
// one of the units whose closure holds it, flagged on_boundary, identically on every run and
// thread count. Also: a GCJ-02 point locates to the unit of its WGS84 original.
//
// WANGGE_ORACLE_SCALE picks the synthetic scale: "small" (3,000 units, the normal suite) or
// "putian" (134,753 units, ≥ 1M random points, label slow); WANGGE_ORACLE_FIXTURE names the test
// suite after it (SmallOracle, PutianOracle), so that ctest tells the two apart.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <geos/geom/Coordinate.h>
#include <geos/geom/Envelope.h>
#include <geos/geom/GeometryFactory.h>
#include <geos/geom/Point.h>
#include <geos/geom/prep/PreparedGeometry.h>
#include <geos/geom/prep/PreparedGeometryFactory.h>
#include <geos/index/strtree/TemplateSTRtree.h>
#include <gtest/gtest.h>

#include "geometry/internal/geos_convert.h"
#include "locate/internal/nearest_region.h"
#include "support/test_support.h"
#include "wangge/crs/china_offsets.h"
#include "wangge/crs/input_crs.h"
#include "wangge/locate/point_index.h"
#include "wangge/synth/synth.h"

namespace wangge {
namespace {

struct Scale {
  std::string name;
  size_t random_points;
  size_t vertex_points;
  size_t midpoints;
};

Scale OracleScale() {
  const std::string name = WANGGE_ORACLE_SCALE;
  if (name == "putian") return {name, 1'000'000, 150'000, 150'000};
  return {name, 100'000, 20'000, 20'000};
}

// The units whose closure (covers) and interior (contains) hold a point, by GEOS.
class GeosOracle {
 public:
  explicit GeosOracle(const Hierarchy& h) : factory_(geos::geom::GeometryFactory::create()) {
    for (RegionId r : h.regions(h.level_count() - 1)) {
      units_.push_back(r);
      geometries_.push_back(internal::ToGeos(*factory_, h.geometry(r)));
      prepared_.push_back(
          geos::geom::prep::PreparedGeometryFactory::prepare(geometries_.back().get()));
      tree_.insert(*geometries_.back()->getEnvelopeInternal(), units_.size() - 1);
    }
    tree_.build();
  }

  void Query(const Point& p, std::vector<RegionId>& covers, std::vector<RegionId>& contains) {
    covers.clear();
    contains.clear();
    const std::unique_ptr<geos::geom::Point> point(
        factory_->createPoint(geos::geom::Coordinate(p.x, p.y)));
    tree_.query(geos::geom::Envelope(p.x, p.x, p.y, p.y), [&](size_t k) {
      if (prepared_[k]->covers(point.get())) {
        covers.push_back(units_[k]);
        if (prepared_[k]->contains(point.get())) contains.push_back(units_[k]);
      }
    });
  }

 private:
  geos::geom::GeometryFactory::Ptr factory_;
  std::vector<RegionId> units_;
  std::vector<std::unique_ptr<geos::geom::Geometry>> geometries_;
  std::vector<std::unique_ptr<geos::geom::prep::PreparedGeometry>> prepared_;
  geos::index::strtree::TemplateSTRtree<size_t> tree_;
};

class WANGGE_ORACLE_FIXTURE : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SynthOptions options;
    options.districts_path = (testing::SourceDir() / "data/putian/districts.geojson").string();
    Result<SynthScale> scale = SynthScale::Named(OracleScale().name);
    ASSERT_TRUE(scale.ok());
    options.scale = *scale;
    options.seed = 1;
    Result<SynthResult> synth = Synthesize(options);
    ASSERT_TRUE(synth.ok()) << synth.status().ToString();
    hierarchy_ = new Hierarchy(std::move(synth->hierarchy));
    Result<PointIndex> index = PointIndex::Build(*hierarchy_);
    ASSERT_TRUE(index.ok());
    index_ = new PointIndex(std::move(index).value());
    points_ = new std::vector<Point>(TestPoints(*hierarchy_));
  }
  static void TearDownTestSuite() {
    delete points_;
    delete index_;
    delete hierarchy_;
  }

  // Random points over the bounding box (10% margin), then unit vertices, then edge midpoints.
  static std::vector<Point> TestPoints(const Hierarchy& h) {
    const Scale scale = OracleScale();
    std::vector<Point> points;
    const Box b = h.bounds();
    std::mt19937_64 rng(99);
    std::uniform_real_distribution<double> ux(b.min_x - 0.1 * b.width(), b.max_x + 0.1 * b.width());
    std::uniform_real_distribution<double> uy(b.min_y - 0.1 * b.height(),
                                              b.max_y + 0.1 * b.height());
    for (size_t i = 0; i < scale.random_points; ++i) points.push_back({ux(rng), uy(rng)});
    const RegionRange units = h.regions(h.level_count() - 1);
    size_t total = 0;
    for (RegionId u : units) total += h.geometry(u).vertex_count();
    const size_t vertex_step = std::max<size_t>(1, total / scale.vertex_points);
    const size_t midpoint_step = std::max<size_t>(1, total / scale.midpoints);
    size_t k = 0;
    for (RegionId u : units) {
      const std::span<const Point> vertices = h.geometry(u).points();
      for (size_t i = 0; i + 1 < vertices.size(); ++i, ++k) {
        if (k % vertex_step == 0) points.push_back(vertices[i]);
        if (k % midpoint_step == 3 % midpoint_step && !(vertices[i] == vertices[i + 1])) {
          points.push_back(
              {(vertices[i].x + vertices[i + 1].x) / 2, (vertices[i].y + vertices[i + 1].y) / 2});
        }
      }
    }
    return points;
  }

  static Hierarchy* hierarchy_;
  static PointIndex* index_;
  static std::vector<Point>* points_;
};

Hierarchy* WANGGE_ORACLE_FIXTURE::hierarchy_ = nullptr;
PointIndex* WANGGE_ORACLE_FIXTURE::index_ = nullptr;
std::vector<Point>* WANGGE_ORACLE_FIXTURE::points_ = nullptr;

TEST_F(WANGGE_ORACLE_FIXTURE, AgreesWithGeosInsideAndPicksAClosureOwnerOnBoundaries) {
  const Hierarchy& h = *hierarchy_;
  for (size_t level = 0; level + 1 < h.level_count(); ++level) {
    EXPECT_EQ(index_->indexed_region_count(level), 0u)
        << "synthetic data is seamless: only units need geometry";
  }
  GeosOracle oracle(h);
  std::vector<Location> located(points_->size());
  index_->LocateBatch(*points_, located);
  std::vector<RegionId> covers, contains;
  size_t interior = 0, boundary = 0, outside = 0;
  for (size_t i = 0; i < points_->size(); ++i) {
    const Point& p = (*points_)[i];
    const Location& got = located[i];
    oracle.Query(p, covers, contains);
    ASSERT_LE(contains.size(), 1u) << "overlapping units at " << p.x << " " << p.y;
    const bool on_boundary = covers.size() > contains.size();
    if (covers.empty()) {
      ++outside;
      ASSERT_TRUE(got.status == LocateStatus::kOutside || got.status == LocateStatus::kGap)
          << i << ": " << p.x << " " << p.y;
      ASSERT_FALSE(got.on_boundary);
    } else if (!on_boundary) {
      ++interior;
      ASSERT_EQ(got.region, contains[0]) << i << ": " << p.x << " " << p.y;
      ASSERT_EQ(got.status, LocateStatus::kInside);
      ASSERT_FALSE(got.on_boundary);
    } else {
      ++boundary;
      ASSERT_NE(std::find(covers.begin(), covers.end(), got.region), covers.end())
          << i << ": " << p.x << " " << p.y;
      ASSERT_EQ(got.status, LocateStatus::kBoundary);
      ASSERT_TRUE(got.on_boundary);
    }
  }
  std::printf("%zu points: %zu interior, %zu on a boundary, %zu outside all units\n",
              points_->size(), interior, boundary, outside);
  EXPECT_GT(boundary, OracleScale().vertex_points);
  EXPECT_GT(interior, OracleScale().random_points / 4);
}

TEST_F(WANGGE_ORACLE_FIXTURE, SameAnswersOnEveryRunAndThreadCount) {
  std::vector<Location> first(points_->size()), again(points_->size());
  index_->LocateBatch(*points_, first, {.threads = 1});
  for (int threads : {2, 0, 1}) {
    index_->LocateBatch(*points_, again, {.threads = threads});
    ASSERT_EQ(first, again) << threads << " threads";
  }
  // And from a second index built from the same hierarchy.
  Result<PointIndex> rebuilt = PointIndex::Build(*hierarchy_, {.threads = 1});
  ASSERT_TRUE(rebuilt.ok());
  rebuilt->LocateBatch(*points_, again);
  EXPECT_EQ(first, again);
}

TEST_F(WANGGE_ORACLE_FIXTURE, Gcj02PointLocatesToTheUnitOfItsWgs84Original) {
  Result<InputCrs> gcj = InputCrs::Parse("gcj02");
  ASSERT_TRUE(gcj.ok());
  size_t compared = 0;
  for (size_t i = 0; i < points_->size() && compared < 20000; i += 7) {
    const Point& wgs = (*points_)[i];
    const Location original = index_->Locate(wgs);
    if (original.status != LocateStatus::kInside) continue;
    // The round trip is exact to well under a millimetre; skip points closer than 1 cm to a
    // boundary, where that could change the owner.
    if (internal::DistanceToBoundaryM(hierarchy_->geometry(original.region), wgs) < 0.01) continue;
    Result<Point> back = gcj->ToLonLat(WgsToGcj02(wgs));
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(index_->Locate(*back).region, original.region) << wgs.x << " " << wgs.y;
    ++compared;
  }
  EXPECT_GT(compared, 1000u);
}

}  // namespace
}  // namespace wangge
