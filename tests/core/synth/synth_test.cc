#include "wangge/synth/synth.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>

#include "core/synth/synth_checks.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "wangge/geometry/measure.h"

namespace wangge {
namespace {

using ::testing::IsEmpty;

std::string DistrictsPath() {
  return (testing::SourceDir() / "data" / "putian" / "districts.geojson").string();
}

SynthOptions SmallOptions(uint64_t seed, size_t defects = 0) {
  SynthOptions options;
  options.districts_path = DistrictsPath();
  options.scale = SynthScale::Small();
  options.seed = seed;
  options.defects_per_kind = defects;
  return options;
}

// A clean and a defective small city, each built on first use (ctest runs every test in its own
// process, so a test builds only what it uses).
class SmallCity : public ::testing::Test {
 protected:
  static const SynthResult& Clean() { return Build(SmallOptions(7)); }
  static const SynthResult& Defective() { return Build(SmallOptions(7, 2)); }
  static const Hierarchy& h() { return Clean().hierarchy; }

 private:
  static const SynthResult& Build(const SynthOptions& options) {
    static std::map<size_t, std::unique_ptr<SynthResult>> cache;
    std::unique_ptr<SynthResult>& slot = cache[options.defects_per_kind];
    if (!slot) {
      Result<SynthResult> r = Synthesize(options);
      if (!r.ok()) {
        ADD_FAILURE() << r.status().ToString();
        slot = std::make_unique<SynthResult>();
      } else {
        slot = std::make_unique<SynthResult>(std::move(r).value());
      }
    }
    return *slot;
  }
};

TEST(SynthScale, NamesThePresetsAndRejectsOthers) {
  EXPECT_EQ(SynthScale::Named("putian")->units, 134753u);
  EXPECT_EQ(SynthScale::Named("small")->grids, 250u);
  Result<SynthScale> bad = SynthScale::Named("big");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST(Synthesize, RejectsImpossibleOptions) {
  SynthOptions options = SmallOptions(1);
  options.scale.districts = {"350399"};
  Result<SynthResult> r = Synthesize(options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("350399"));

  options = SmallOptions(1);
  options.scale.units = 100;  // fewer than 4 per grid
  EXPECT_EQ(Synthesize(options).status().code(), StatusCode::kInvalidArgument);

  options = SmallOptions(1);
  options.districts_path = (testing::ScratchDir() / "nowhere.geojson").string();
  r = Synthesize(options);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("nowhere.geojson"));
}

TEST_F(SmallCity, HasExactCountsPerLevel) {
  ASSERT_EQ(h().level_count(), 6u);
  EXPECT_EQ(h().levels()[0].name, "city");
  EXPECT_EQ(h().levels()[5].name, "unit");
  const SynthScale s = SynthScale::Small();
  EXPECT_EQ(h().regions(0).size(), 1u);
  EXPECT_EQ(h().regions(1).size(), 2u);
  EXPECT_EQ(h().regions(2).size(), s.towns);
  EXPECT_EQ(h().regions(3).size(), s.communities);
  EXPECT_EQ(h().regions(4).size(), s.grids);
  EXPECT_EQ(h().regions(5).size(), s.units);
  // Every region but the city has its parent, every region above the units has children.
  for (size_t level = 1; level < 6; ++level) {
    for (RegionId id : h().regions(level)) ASSERT_NE(h().parent(id), kNoRegion) << h().code(id);
  }
  for (size_t level = 0; level < 5; ++level) {
    for (RegionId id : h().regions(level)) EXPECT_FALSE(h().children(id).empty()) << h().code(id);
  }
}

TEST_F(SmallCity, UnitsHave20To60Vertices) {
  for (RegionId id : h().regions(5)) {
    const size_t points = h().geometry(id).vertex_count();
    EXPECT_GE(points, 21u) << h().code(id);  // 20 distinct vertices + the closing point
    EXPECT_LE(points, 60u) << h().code(id);
  }
}

TEST_F(SmallCity, CodesFollowTheDefaultCodeModel) {
  const size_t lengths[] = {4, 6, 9, 12, 15, 18};
  std::set<std::string> codes;
  for (size_t level = 0; level < 6; ++level) {
    for (RegionId id : h().regions(level)) {
      const std::string code(h().code(id));
      EXPECT_EQ(code.size(), lengths[level]) << code;
      EXPECT_TRUE(std::all_of(code.begin(), code.end(), [](char c) {
        return c >= '0' && c <= '9';
      })) << code;
      EXPECT_TRUE(codes.insert(code).second) << "duplicate " << code;
      if (level > 0) {
        EXPECT_TRUE(code.starts_with(h().parent_code(id))) << code;
      }
    }
  }
  EXPECT_EQ(h().code(h().regions(0).first), "3503");
  EXPECT_EQ(h().parent_code(h().regions(0).first), "");
  EXPECT_TRUE(h().Find("350302") != kNoRegion && h().Find("350304") != kNoRegion);
  size_t streets = 0;
  for (RegionId id : h().regions(2)) {
    const int n = std::stoi(std::string(h().code(id).substr(6)));
    const std::string name(h().name(id));
    if (name.ends_with("街道")) {
      ++streets;
      EXPECT_TRUE(n >= 1 && n <= 99) << h().code(id);
    } else {
      EXPECT_TRUE(name.ends_with("镇")) << name;
      EXPECT_TRUE(n >= 100 && n <= 199) << h().code(id);
    }
  }
  EXPECT_GT(streets, 0u);  // the city proper is urban
  for (RegionId id : h().regions(3)) {
    const int n = std::stoi(std::string(h().code(id).substr(9)));
    const std::string name(h().name(id));
    if (name.ends_with("社区")) {
      EXPECT_TRUE(n >= 1 && n <= 199) << h().code(id);
    } else {
      EXPECT_TRUE(name.ends_with("村")) << name;
      EXPECT_TRUE(n >= 200 && n <= 399) << h().code(id);
    }
  }
}

TEST_F(SmallCity, HasNamesAndAttributes) {
  EXPECT_EQ(h().name(h().regions(0).first), "莆田市");
  EXPECT_EQ(h().name(h().Find("350302")), "城厢区");
  const std::regex phone("0594-0[0-9]{7}");
  for (RegionId grid : h().regions(4)) {
    EXPECT_THAT(std::string(h().name(grid)), ::testing::MatchesRegex("第[0-9]+网格"));
    const int households = std::stoi(std::string(*h().attribute(grid, "households")));
    EXPECT_LE(households, 500) << h().code(grid);
    EXPECT_FALSE(h().attribute(grid, "网格长")->empty());
    EXPECT_TRUE(std::regex_match(std::string(*h().attribute(grid, "phone")), phone));
    int sum = 0;
    for (RegionId unit : h().children(grid)) {
      const int n = std::stoi(std::string(*h().attribute(unit, "households")));
      EXPECT_GE(n, 20);
      EXPECT_LE(n, 60);
      sum += n;
      EXPECT_TRUE(std::string(h().name(unit)).ends_with("单元"));
    }
    EXPECT_EQ(sum, households) << h().code(grid);
  }
}

TEST_F(SmallCity, EveryLevelIsVertexExactSeamless) {
  for (size_t level = 1; level < 6; ++level) {
    EXPECT_THAT(testing::Residuals(h(), level), IsEmpty()) << h().levels()[level].name;
    EXPECT_LT(testing::WorstAreaMismatch(h(), level), 1e-9) << h().levels()[level].name;
  }
  for (size_t level = 0; level < 6; ++level) {
    EXPECT_THAT(testing::InvalidRegions(h(), level), IsEmpty()) << h().levels()[level].name;
  }
}

TEST_F(SmallCity, DistrictsEqualTheCleanedOutlines) {
  ASSERT_EQ(Clean().districts.size(), 2u);
  for (const DistrictOutline& d : Clean().districts) {
    const RegionId id = h().Find(d.code);
    ASSERT_NE(id, kNoRegion);
    // The same point set; the district has more vertices (where unit borders meet it). Geodesic
    // areas would differ slightly: a straight lon/lat segment is not a geodesic, so inserting
    // vertices on it changes the geodesic polygon.
    EXPECT_LT(testing::SymmetricDifferenceRatio(d.geometry.view(), h().geometry(id)), 1e-9)
        << d.code;
    const auto outline = d.geometry.view().points();
    const auto built = h().geometry(id).points();
    const std::set<Point> vertices(built.begin(), built.end());
    for (const Point& p : outline) ASSERT_TRUE(vertices.count(p)) << d.code;
  }
}

TEST_F(SmallCity, GroupsAreContiguous) {
  // Unit adjacency by shared segments; every grid, community and town is connected through it,
  // islands aside (a group may hold a piece of land that touches nothing else of its district).
  std::map<std::pair<Point, Point>, std::vector<RegionId>> by_segment;
  for (RegionId u : h().regions(5)) {
    const MultiPolygonView g = h().geometry(u);
    for (size_t r = 0; r < g.ring_count(); ++r) {
      const RingView ring = g.ring(r);
      for (size_t i = 0; i + 1 < ring.size(); ++i) {
        by_segment[std::minmax(ring[i], ring[i + 1])].push_back(u);
      }
    }
  }
  std::map<RegionId, std::set<RegionId>> adjacent;
  for (const auto& [segment, units] : by_segment) {
    if (units.size() == 2) {
      adjacent[units[0]].insert(units[1]);
      adjacent[units[1]].insert(units[0]);
    }
  }
  size_t disconnected = 0;
  for (size_t level = 2; level <= 4; ++level) {
    for (RegionId group : h().regions(level)) {
      // The group's units: descend.
      std::vector<RegionId> units{group};
      for (size_t l = level; l < 5; ++l) {
        std::vector<RegionId> next;
        for (RegionId r : units) {
          for (RegionId c : h().children(r)) next.push_back(c);
        }
        units = next;
      }
      std::set<RegionId> members(units.begin(), units.end()), seen{units[0]};
      std::vector<RegionId> stack{units[0]};
      while (!stack.empty()) {
        const RegionId u = stack.back();
        stack.pop_back();
        for (RegionId v : adjacent[u]) {
          if (members.count(v) && seen.insert(v).second) stack.push_back(v);
        }
      }
      if (seen.size() != members.size()) ++disconnected;
    }
  }
  // Only groups holding one of the few islands may be in pieces.
  EXPECT_LE(disconnected, 6u);
  size_t multipart_grids = 0;
  for (RegionId grid : h().regions(4)) multipart_grids += h().geometry(grid).polygon_count() > 1;
  EXPECT_LE(multipart_grids, 3u);
}

TEST_F(SmallCity, UnitSizesVaryLikeACity) {
  std::vector<double> areas;
  for (RegionId u : h().regions(5)) areas.push_back(AreaM2(h().geometry(u)));
  std::sort(areas.begin(), areas.end());
  // Dense centre, sparse countryside: a wide spread of unit areas.
  EXPECT_GT(areas[areas.size() * 9 / 10] / areas[areas.size() / 10], 10);
  // The city proper around (119.01, 25.44) is much denser than the hills of 城厢's west.
  auto count_near = [&](Point at, double radius_deg) {
    size_t n = 0;
    for (RegionId u : h().regions(5)) {
      const Point p = h().geometry(u).points()[0];
      n += std::hypot(p.x - at.x, p.y - at.y) < radius_deg;
    }
    return n;
  };
  EXPECT_GT(count_near({119.01, 25.44}, 0.02), 5 * count_near({118.85, 25.45}, 0.02));
}

TEST_F(SmallCity, IsReproducibleFromTheSeed) {
  Result<SynthResult> b = Synthesize(SmallOptions(7));
  Result<SynthResult> c = Synthesize(SmallOptions(8));
  ASSERT_TRUE(b.ok() && c.ok());
  const Hierarchy& ha = h();
  const Hierarchy& hb = b->hierarchy;
  ASSERT_EQ(ha.region_count(), hb.region_count());
  bool all_same = true;
  for (RegionId id = 0; id < ha.region_count(); ++id) {
    all_same = all_same && ha.code(id) == hb.code(id) && ha.name(id) == hb.name(id) &&
               ha.parent_code(id) == hb.parent_code(id);
    const auto pa = ha.geometry(id).points();
    const auto pb = hb.geometry(id).points();
    all_same = all_same && std::equal(pa.begin(), pa.end(), pb.begin(), pb.end());
    for (size_t k = 0; k < ha.attribute_names(ha.level(id)).size(); ++k) {
      all_same = all_same && ha.attribute(id, k) == hb.attribute(id, k);
    }
  }
  EXPECT_TRUE(all_same);
  // Another seed: other units.
  size_t differ = 0;
  for (RegionId id : ha.regions(5)) {
    const RegionId other = c->hierarchy.regions(5).first + (id - ha.regions(5).first);
    const auto pa = ha.geometry(id).points();
    const auto pc = c->hierarchy.geometry(other).points();
    differ += !std::equal(pa.begin(), pa.end(), pc.begin(), pc.end());
  }
  EXPECT_GT(differ, ha.regions(5).size() / 2);
}

// --- Defects --------------------------------------------------------------------------------

TEST_F(SmallCity, InjectsEveryKindWithTruth) {
  const std::vector<InjectedDefect>& truth = Defective().defects;
  std::map<std::string, int> unit_kinds, grid_kinds;
  for (const InjectedDefect& d : truth) {
    (d.level == "unit" ? unit_kinds : grid_kinds)[std::string(InjectedDefectKindName(d.kind))]++;
  }
  EXPECT_EQ(unit_kinds.size(), 8u);
  for (const auto& [kind, n] : unit_kinds) EXPECT_EQ(n, 2) << kind;
  EXPECT_EQ(grid_kinds.size(), 5u);
  for (const auto& [kind, n] : grid_kinds) EXPECT_EQ(n, 1) << kind;
  // The sidecar round-trips.
  const std::string path = (testing::ScratchDir() / "small.gpkg.defects.json").string();
  ASSERT_TRUE(WriteDefectTruth(truth, path).ok());
  Result<std::vector<InjectedDefect>> back = ReadDefectTruth(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), truth.size());
  for (size_t i = 0; i < truth.size(); ++i) {
    EXPECT_EQ((*back)[i].kind, truth[i].kind);
    EXPECT_EQ((*back)[i].codes, truth[i].codes);
    EXPECT_EQ((*back)[i].parent, truth[i].parent);
    EXPECT_EQ((*back)[i].area_m2, truth[i].area_m2);
  }
}

TEST_F(SmallCity, EachDefectHasItsPromisedEffect) {
  const Hierarchy& d = Defective().hierarchy;
  const size_t unit = 5, grid = 4;
  for (const InjectedDefect& t : Defective().defects) {
    SCOPED_TRACE(std::string(InjectedDefectKindName(t.kind)) + " " + t.level + " " + t.codes[0]);
    const size_t level = t.level == "unit" ? unit : grid;
    const RegionId a = d.Find(t.codes[0]);
    ASSERT_NE(a, kNoRegion);
    EXPECT_EQ(d.level(a), level);
    const RegionId b = t.codes.size() > 1 ? d.Find(t.codes[1]) : kNoRegion;
    const RegionId parent = d.parent(a);
    switch (t.kind) {
      case InjectedDefect::Kind::kOverlap:
        EXPECT_GT(t.area_m2, 0);
        EXPECT_NEAR(testing::IntersectionAreaM2(d.geometry(a), d.geometry(b)), t.area_m2,
                    0.01 * t.area_m2);
        EXPECT_EQ(d.parent(b), parent);
        break;
      case InjectedDefect::Kind::kGap:
      case InjectedDefect::Kind::kNearCoincidentEdge: {
        EXPECT_GT(t.area_m2, 0);
        std::vector<MultiPolygonView> children;
        for (RegionId c : d.children(parent)) children.push_back(d.geometry(c));
        EXPECT_NEAR(testing::UncoveredAreaM2(d.geometry(parent), children), t.area_m2,
                    0.01 * t.area_m2);
        EXPECT_NEAR(testing::IntersectionAreaM2(d.geometry(a), d.geometry(b)), 0, 0.01 * t.area_m2);
        if (t.kind == InjectedDefect::Kind::kNearCoincidentEdge) {
          EXPECT_LT(t.area_m2, 5);
        }
        break;
      }
      case InjectedDefect::Kind::kOutsideParent:
        EXPECT_GT(t.area_m2, 0);
        EXPECT_NEAR(testing::DifferenceAreaM2(d.geometry(a), d.geometry(parent)), t.area_m2,
                    0.01 * t.area_m2);
        EXPECT_NE(d.parent(b), parent);
        break;
      case InjectedDefect::Kind::kTJunction: {
        auto has_vertex = [&](RegionId r) {
          const auto points = d.geometry(r).points();
          return std::find(points.begin(), points.end(), t.location) != points.end();
        };
        EXPECT_TRUE(has_vertex(a));
        EXPECT_FALSE(has_vertex(b));
        EXPECT_NEAR(testing::IntersectionAreaM2(d.geometry(a), d.geometry(b)), 0, 1e-6);
        break;
      }
      case InjectedDefect::Kind::kInvalidGeometry:
        EXPECT_FALSE(testing::IsValid(d.geometry(a)));
        EXPECT_GT(t.area_m2, 0);
        break;
      case InjectedDefect::Kind::kDuplicateCode: {
        size_t same = 0;
        for (RegionId r : d.regions(unit)) same += d.code(r) == t.codes[0];
        EXPECT_EQ(same, 2u);
        break;
      }
      case InjectedDefect::Kind::kMissingParent:
        EXPECT_EQ(d.parent(a), kNoRegion);
        EXPECT_EQ(d.parent_code(a), t.parent);
        EXPECT_EQ(d.Find(t.parent), kNoRegion);
        break;
    }
  }
}

TEST_F(SmallCity, DefectsTouchNothingElse) {
  const Hierarchy& d = Defective().hierarchy;
  // The parents that may show a residual: each geometric defect's parent; for a missing parent,
  // the grid the unit really lies in (its code's prefix).
  std::set<std::string> expected;
  for (const InjectedDefect& t : Defective().defects) {
    switch (t.kind) {
      case InjectedDefect::Kind::kDuplicateCode:
        break;
      case InjectedDefect::Kind::kMissingParent:
        expected.insert(t.parent);
        expected.insert(t.codes[0].substr(0, 15));
        break;
      default:
        expected.insert(t.parent);
    }
  }
  std::set<std::string> seen;
  for (size_t level = 1; level < 6; ++level) {
    for (const testing::Residual& r : testing::Residuals(d, level)) {
      EXPECT_TRUE(expected.count(r.parent)) << "unexpected residual under " << r.parent;
      seen.insert(r.parent);
    }
  }
  EXPECT_EQ(seen, expected);
  // Only the bow-ties are invalid.
  size_t invalid = 0;
  for (size_t level = 0; level < 6; ++level) invalid += testing::InvalidRegions(d, level).size();
  EXPECT_EQ(invalid, 2u);
}

}  // namespace
}  // namespace wangge
