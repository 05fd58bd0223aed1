#include "wangge/synth/synth.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <utility>

#include <tbb/parallel_for.h>

#include "synth/internal/defects.h"
#include "synth/internal/locator.h"
#include "synth/internal/model.h"
#include "synth/internal/naming.h"
#include "synth/internal/partition.h"
#include "synth/internal/planar.h"
#include "synth/internal/prng.h"
#include "synth/internal/seeds.h"
#include "synth/internal/units.h"
#include "wangge/geometry/measure.h"
#include "wangge/hierarchy/hierarchy_builder.h"

namespace wangge {
namespace {

using internal::kCity;
using internal::kCommunity;
using internal::kDistrict;
using internal::kGrid;
using internal::kTown;
using internal::kUnit;
using internal::Mix;
using internal::Model;
using internal::RegionData;
using internal::Rng;

constexpr uint64_t kGroupStream = 0x67726f75;  // "grou"
constexpr uint64_t kNameStream = 0x6e616d65;   // "name"
constexpr uint64_t kHouseStream = 0x686f7573;  // "hous"
// Units smaller than this fraction of the median unit area count as urban (about 6,000 m² at
// Putian scale: a building or a block, rather than a village or a hillside).
constexpr double kUrbanShareOfMedian = 0.35;
constexpr int64_t kMaxUnitsPerGrid = 25;  // 25 × 20 households = 500, the grid limit

// Area-weighted centroid of the largest polygon's shell (good enough to order and split).
Point Centroid(const MultiPolygonView& g) {
  double best = -1;
  Point c{0, 0};
  for (size_t p = 0; p < g.polygon_count(); ++p) {
    const RingView ring = g.polygon(p).shell();
    const Point o = ring[0];
    double a2 = 0, cx = 0, cy = 0;
    for (size_t i = 0; i + 1 < ring.size(); ++i) {
      const double x0 = ring[i].x - o.x, y0 = ring[i].y - o.y;
      const double x1 = ring[i + 1].x - o.x, y1 = ring[i + 1].y - o.y;
      const double cross = x0 * y1 - x1 * y0;
      a2 += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
    if (std::abs(a2) > best) {
      best = std::abs(a2);
      c = a2 != 0 ? Point{o.x + cx / (3 * a2), o.y + cy / (3 * a2)} : o;
    }
  }
  return c;
}

// Area in m² on a local equirectangular projection: plenty for ranking units by size, and ten
// times cheaper than the geodesic AreaM2.
double ApproxAreaM2(const MultiPolygonView& g) {
  double area = 0;
  for (size_t r = 0; r < g.ring_count(); ++r) {
    const RingView ring = g.ring(r);
    const internal::MetricScale m = internal::MetresPerDegree(ring[0].y);
    double a2 = 0;
    for (size_t i = 0; i + 1 < ring.size(); ++i) {
      a2 += (ring[i].x - ring[0].x) * (ring[i + 1].y - ring[0].y) -
            (ring[i + 1].x - ring[0].x) * (ring[i].y - ring[0].y);
    }
    area += a2 / 2 * m.x * m.y;  // shells counter-clockwise (+), holes clockwise (-)
  }
  return std::abs(area);
}

// Orders groups west→east in bands from north to south; returns the groups in numbering order.
std::vector<size_t> NumberingOrder(const std::vector<Point>& centroids) {
  Box box;
  for (const Point& c : centroids) box.Add(c);
  const double rows = std::max(1.0, std::round(std::sqrt(static_cast<double>(centroids.size()))));
  const double band = std::max(box.height(), 1e-9) / rows;
  std::vector<size_t> order(centroids.size());
  std::iota(order.begin(), order.end(), size_t{0});
  auto row = [&](size_t i) { return std::floor((box.max_y - centroids[i].y) / band); };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (row(a) != row(b)) return row(a) < row(b);
    if (centroids[a].x != centroids[b].x) return centroids[a].x < centroids[b].x;
    return a < b;
  });
  return order;
}

std::string ThreeDigits(size_t n) {
  std::string s = std::to_string(n);
  return std::string(3 - std::min<size_t>(3, s.size()), '0') + s;
}

// One partition step: the units of each parent group split into its allocated number of groups.
struct Grouping {
  std::vector<uint32_t> group_of_unit;         // global group index per unit
  std::vector<std::vector<uint32_t>> members;  // units per group
  std::vector<uint32_t> parent_of_group;       // index of the parent group
};

Result<Grouping> SplitGroups(const internal::UnitGraph& graph,
                             const std::vector<std::vector<uint32_t>>& parents,
                             const std::vector<int64_t>& counts,
                             const std::vector<double>& node_weight, double weight_spread,
                             uint64_t stream) {
  Grouping out;
  out.group_of_unit.assign(graph.size(), 0);
  std::vector<size_t> first(parents.size() + 1, 0);
  for (size_t p = 0; p < parents.size(); ++p)
    first[p + 1] = first[p] + static_cast<size_t>(counts[p]);
  out.members.resize(first.back());
  out.parent_of_group.resize(first.back());
  std::vector<Status> failures(parents.size());
  tbb::parallel_for(size_t{0}, parents.size(), [&](size_t p) {
    const std::vector<uint32_t>& nodes = parents[p];
    const auto k = static_cast<size_t>(counts[p]);
    Rng rng(Mix({stream, p}));
    std::vector<double> group_weight(k);
    for (double& w : group_weight) w = rng.Uniform(1 - weight_spread, 1 + weight_spread);
    std::vector<double> weights(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) weights[i] = node_weight[nodes[i]];
    Result<std::vector<uint32_t>> groups = graph.Partition(nodes, group_weight, weights);
    if (!groups.ok()) {
      failures[p] = groups.status();
      return;
    }
    for (size_t i = 0; i < nodes.size(); ++i) {
      const size_t g = first[p] + (*groups)[i];
      out.group_of_unit[nodes[i]] = static_cast<uint32_t>(g);
      out.members[g].push_back(nodes[i]);
    }
    for (size_t g = first[p]; g < first[p + 1]; ++g)
      out.parent_of_group[g] = static_cast<uint32_t>(p);
  });
  for (const Status& s : failures) {
    if (!s.ok()) return s;
  }
  return out;
}

// Moves units out of grids with more than kMaxUnitsPerGrid units into adjacent smaller grids of
// the same community, keeping every grid connected.
void CapGridSizes(const internal::UnitGraph& graph, Grouping* grids) {
  for (size_t g = 0; g < grids->members.size(); ++g) {
    std::vector<uint32_t>& mine = grids->members[g];
    for (int guard = 0; static_cast<int64_t>(mine.size()) > kMaxUnitsPerGrid && guard < 100;
         ++guard) {
      bool moved = false;
      for (size_t i = 0; i < mine.size() && !moved; ++i) {
        const uint32_t u = mine[i];
        for (uint32_t v : graph.neighbours(u)) {
          const uint32_t h = grids->group_of_unit[v];
          if (h == g || grids->parent_of_group[h] != grids->parent_of_group[g] ||
              static_cast<int64_t>(grids->members[h].size()) >= kMaxUnitsPerGrid - 1) {
            continue;
          }
          std::vector<uint32_t> rest = mine;
          rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i));
          if (!graph.Connected(rest)) continue;
          mine = std::move(rest);
          grids->members[h].push_back(u);
          grids->group_of_unit[u] = h;
          moved = true;
          break;
        }
      }
      if (!moved) break;
    }
  }
}

// The exact union of the children's geometry, for every region of `level`.
Status UniteChildren(Model* model, size_t level) {
  std::vector<RegionData>& regions = model->regions[level];
  const std::vector<RegionData>& below = model->regions[level + 1];
  std::vector<Status> failures(regions.size());
  tbb::parallel_for(size_t{0}, regions.size(), [&](size_t r) {
    std::vector<internal::Segment> segments;
    for (uint32_t c : regions[r].children) {
      internal::AppendSegments(below[c].geometry.view(), &segments);
    }
    Result<MultiPolygon> g = internal::AssembleRings(std::move(segments));
    if (!g.ok()) {
      failures[r] = g.status().WithContext("union of " + regions[r].code);
      return;
    }
    regions[r].geometry = std::move(g).value();
  });
  for (const Status& s : failures) {
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

SynthScale SynthScale::Putian() { return {"putian", {}, 54, 973, 10439, 134753}; }

SynthScale SynthScale::Small() { return {"small", {"350302", "350304"}, 8, 48, 250, 3000}; }

Result<SynthScale> SynthScale::Named(std::string_view name) {
  if (name == "putian") return Putian();
  if (name == "small") return Small();
  return Status::InvalidArgument("unknown scale '" + std::string(name) +
                                 "' (expected putian or small)");
}

Result<SynthResult> Synthesize(const SynthOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const SynthScale& scale = options.scale;
  if (scale.towns == 0 || scale.communities < scale.towns || scale.grids < scale.communities ||
      scale.units < 4 * scale.grids) {
    return Status::InvalidArgument(
        "scale counts must grow level by level (towns ≤ communities ≤ grids ≤ units / 4)");
  }
  SynthResult result;

  // 1. Districts: read, clean (all of them), select.
  Result<std::vector<DistrictOutline>> raw = ReadDistricts(options.districts_path);
  if (!raw.ok()) return raw.status();
  Result<std::vector<DistrictOutline>> clean = CleanDistricts(*raw, &result.cleaning);
  if (!clean.ok()) return clean.status().WithContext(options.districts_path);
  if (scale.districts.empty()) {
    result.districts = std::move(clean).value();
  } else {
    for (const std::string& code : scale.districts) {
      auto it = std::find_if(clean->begin(), clean->end(),
                             [&](const DistrictOutline& d) { return d.code == code; });
      if (it == clean->end()) {
        return Status::InvalidArgument("district " + code + " is not in " + options.districts_path);
      }
      result.districts.push_back(*it);
    }
  }
  const std::vector<DistrictOutline>& districts = result.districts;
  const size_t nd = districts.size();
  if (scale.towns < nd) {
    return Status::InvalidArgument("fewer towns than districts (" + std::to_string(nd) + ")");
  }

  // 2. Seeds and units.
  std::vector<MultiPolygonView> views;
  for (const DistrictOutline& d : districts) views.push_back(d.geometry.view());
  const internal::RegionLocator locator(views);
  const internal::DensityModel density(locator, options.seed);
  Result<internal::Seeds> seeds =
      internal::SampleSeeds(districts, locator, density, scale.units, options.seed);
  if (!seeds.ok()) return seeds.status();
  Result<internal::UnitPartition> units =
      internal::BuildUnits(*seeds, districts, locator, options.seed);
  if (!units.ok()) return units.status();
  const size_t nu = scale.units;
  std::vector<MultiPolygon>& unit_geometry = units->geometry;
  std::vector<Point> centroid(nu);
  std::vector<double> area(nu);
  tbb::parallel_for(size_t{0}, nu, [&](size_t u) {
    centroid[u] = Centroid(unit_geometry[u].view());
    area[u] = ApproxAreaM2(unit_geometry[u].view());
  });
  std::vector<double> sorted_area = area;
  std::nth_element(sorted_area.begin(), sorted_area.begin() + static_cast<std::ptrdiff_t>(nu / 2),
                   sorted_area.end());
  const double urban_area = kUrbanShareOfMedian * sorted_area[nu / 2];
  const internal::UnitGraph graph =
      internal::UnitGraph::Build(unit_geometry, seeds->district, centroid);

  // 3. Towns per district, communities per town, grids per community.
  std::vector<std::vector<uint32_t>> district_units(nd);
  for (uint32_t u = 0; u < nu; ++u) district_units[seeds->district[u]].push_back(u);
  std::vector<double> weights;
  std::vector<int64_t> lo, hi;
  for (size_t d = 0; d < nd; ++d) {
    const auto n = static_cast<double>(district_units[d].size());
    weights.push_back(std::sqrt(n * AreaM2(districts[d].geometry.view())));
    lo.push_back(1);
    hi.push_back(std::max<int64_t>(1, static_cast<int64_t>(n / 50)));
  }
  const std::vector<int64_t> towns_per_district =
      internal::Allocate(static_cast<int64_t>(scale.towns), weights, lo, hi);
  const std::vector<double> unit_weight(nu, 1.0);
  Result<Grouping> towns = SplitGroups(graph, district_units, towns_per_district, unit_weight, 0.45,
                                       Mix({options.seed, kGroupStream, kTown}));
  if (!towns.ok()) return towns.status();

  std::vector<double> community_weight(nu);
  for (size_t u = 0; u < nu; ++u) community_weight[u] = area[u] < urban_area ? 0.4 : 1.0;
  weights.clear();
  lo.clear();
  hi.clear();
  for (const std::vector<uint32_t>& members : towns->members) {
    double w = 0;
    for (uint32_t u : members) w += community_weight[u];
    weights.push_back(w);
    lo.push_back(1);
    hi.push_back(std::max<int64_t>(1, static_cast<int64_t>(members.size()) / 12));
  }
  const std::vector<int64_t> communities_per_town =
      internal::Allocate(static_cast<int64_t>(scale.communities), weights, lo, hi);
  Result<Grouping> communities =
      SplitGroups(graph, towns->members, communities_per_town, community_weight, 0.3,
                  Mix({options.seed, kGroupStream, kCommunity}));
  if (!communities.ok()) return communities.status();

  weights.clear();
  lo.clear();
  hi.clear();
  for (const std::vector<uint32_t>& members : communities->members) {
    const auto n = static_cast<int64_t>(members.size());
    weights.push_back(static_cast<double>(n));
    lo.push_back((n + 19) / 20);
    hi.push_back(std::max<int64_t>((n + 19) / 20, n / 4));
  }
  const std::vector<int64_t> grids_per_community =
      internal::Allocate(static_cast<int64_t>(scale.grids), weights, lo, hi);
  Result<Grouping> grids = SplitGroups(graph, communities->members, grids_per_community,
                                       unit_weight, 0.15, Mix({options.seed, kGroupStream, kGrid}));
  if (!grids.ok()) return grids.status();
  CapGridSizes(graph, &*grids);

  // 4. The model: codes, names, links, in numbering order.
  Model model;
  model.levels = DefaultLevels();
  model.attribute_names.resize(model.levels.size());
  model.attribute_names[kGrid] = {"households", "网格长", "phone"};
  model.attribute_names[kUnit] = {"households"};
  model.regions.resize(model.levels.size());
  internal::NameMaker names(Mix({options.seed, kNameStream}));
  auto urban_share = [&](const std::vector<uint32_t>& members) {
    size_t urban = 0;
    for (uint32_t u : members) urban += area[u] < urban_area ? size_t{1} : size_t{0};
    return static_cast<double>(urban) / static_cast<double>(std::max<size_t>(members.size(), 1));
  };
  auto members_centroids = [&](const std::vector<std::vector<uint32_t>>& members,
                               const std::vector<uint32_t>& which) {
    std::vector<Point> out;
    for (uint32_t g : which) {
      double x = 0, y = 0, w = 0;
      for (uint32_t u : members[g]) {
        x += centroid[u].x * area[u];
        y += centroid[u].y * area[u];
        w += area[u];
      }
      out.push_back({x / w, y / w});
    }
    return out;
  };

  const std::string city_code =
      districts[0].code.substr(0, std::min<size_t>(4, districts[0].code.size()));
  model.regions[kCity].push_back({city_code,
                                  "",
                                  city_code == "3503" ? "莆田市" : city_code + "市",
                                  {},
                                  {},
                                  internal::kNoParent,
                                  {}});
  for (size_t d = 0; d < nd; ++d) {
    model.regions[kCity][0].children.push_back(static_cast<uint32_t>(d));
    model.regions[kDistrict].push_back(
        {districts[d].code, city_code, districts[d].name, {}, {}, 0, {}});
  }
  // Towns: 街道 first (001…), then 镇 (100…), each in numbering order.
  std::vector<uint32_t> town_index(towns->members.size());
  for (size_t d = 0; d < nd; ++d) {
    std::vector<uint32_t> mine;
    for (uint32_t t = 0; t < towns->members.size(); ++t) {
      if (towns->parent_of_group[t] == d) mine.push_back(t);
    }
    const std::vector<Point> c = members_centroids(towns->members, mine);
    size_t streets = 0, rural = 0;
    for (size_t pass = 0; pass < 2; ++pass) {
      for (size_t i : NumberingOrder(c)) {
        const uint32_t t = mine[i];
        const bool street = urban_share(towns->members[t]) >= 0.5;
        if (street != (pass == 0)) continue;
        const std::string code =
            districts[d].code + ThreeDigits(street ? ++streets : 100 + rural++);
        town_index[t] = static_cast<uint32_t>(model.regions[kTown].size());
        model.regions[kDistrict][d].children.push_back(town_index[t]);
        model.regions[kTown].push_back(
            {code, districts[d].code, names.Town(street), {}, {}, static_cast<uint32_t>(d), {}});
      }
    }
  }
  // Communities: 社区 (001…), then 村 (200…).
  std::vector<uint32_t> community_index(communities->members.size());
  for (uint32_t t = 0; t < towns->members.size(); ++t) {
    std::vector<uint32_t> mine;
    for (uint32_t c = 0; c < communities->members.size(); ++c) {
      if (communities->parent_of_group[c] == t) mine.push_back(c);
    }
    const RegionData& town = model.regions[kTown][town_index[t]];
    const bool street_town = town.name.ends_with("街道");
    const std::vector<Point> c = members_centroids(communities->members, mine);
    size_t urban_count = 0, village_count = 0;
    for (size_t pass = 0; pass < 2; ++pass) {
      for (size_t i : NumberingOrder(c)) {
        const uint32_t k = mine[i];
        const double share = urban_share(communities->members[k]);
        const bool urban = share >= 0.5 || (street_town && share >= 0.2);
        if (urban != (pass == 0)) continue;
        const std::string code =
            town.code + ThreeDigits(urban ? ++urban_count : 200 + village_count++);
        community_index[k] = static_cast<uint32_t>(model.regions[kCommunity].size());
        model.regions[kTown][town_index[t]].children.push_back(community_index[k]);
        model.regions[kCommunity].push_back(
            {code, town.code, names.Community(urban), {}, {}, town_index[t], {}});
      }
    }
  }
  // Grids and units.
  std::vector<uint32_t> grid_index(grids->members.size());
  std::vector<std::vector<uint32_t>> grids_of_community(communities->members.size());
  for (uint32_t g = 0; g < grids->members.size(); ++g) {
    grids_of_community[grids->parent_of_group[g]].push_back(g);
  }
  model.regions[kUnit].resize(nu);
  for (uint32_t k = 0; k < communities->members.size(); ++k) {
    const uint32_t ci = community_index[k];
    const std::string community_code = model.regions[kCommunity][ci].code;
    const std::vector<uint32_t>& mine = grids_of_community[k];
    const std::vector<Point> c = members_centroids(grids->members, mine);
    size_t number = 0;
    for (size_t i : NumberingOrder(c)) {
      const uint32_t g = mine[i];
      ++number;
      RegionData grid{community_code + ThreeDigits(number),
                      community_code,
                      "第" + std::to_string(number) + "网格",
                      {},
                      {},
                      ci,
                      {}};
      grid_index[g] = static_cast<uint32_t>(model.regions[kGrid].size());
      model.regions[kCommunity][ci].children.push_back(grid_index[g]);
      // Units, numbered the same way; households fit the grid's limit of 500.
      const std::vector<uint32_t>& members = grids->members[g];
      std::vector<Point> uc;
      for (uint32_t u : members) uc.push_back(centroid[u]);
      Rng rng(Mix({options.seed, kHouseStream, grid_index[g]}));
      const int64_t most = std::clamp<int64_t>(500 / static_cast<int64_t>(members.size()), 20, 60);
      int64_t households = 0;
      size_t unit_number = 0;
      for (size_t j : NumberingOrder(uc)) {
        const uint32_t u = members[j];
        ++unit_number;
        const int64_t h = 20 + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(most - 19)));
        households += h;
        RegionData& unit = model.regions[kUnit][u];
        unit.code = grid.code + ThreeDigits(unit_number);
        unit.parent = grid.code;
        unit.name = "第" + std::to_string(unit_number) + "单元";
        unit.attributes = {std::to_string(h)};
        unit.geometry = std::move(unit_geometry[u]);
        unit.parent_index = grid_index[g];
        grid.children.push_back(u);
      }
      grid.attributes = {std::to_string(households), names.Person(), names.Phone()};
      model.regions[kGrid].push_back(std::move(grid));
    }
  }

  // 5. Upper geometry: exact unions, level by level.
  for (size_t level = kGrid + 1; level-- > 0;) {
    Status s = UniteChildren(&model, level);
    if (!s.ok()) return s;
  }

  // 6. Defects.
  if (options.defects_per_kind > 0) {
    Result<std::vector<InjectedDefect>> defects =
        internal::InjectDefects(&model, graph, options.defects_per_kind, options.seed);
    if (!defects.ok()) return defects.status();
    result.defects = std::move(defects).value();
  }

  // 7. The immutable hierarchy: regions added level by level, in model order.
  HierarchyBuilder builder(model.levels);
  for (size_t level = 0; level < model.levels.size(); ++level) {
    builder.SetAttributeNames(level, model.attribute_names[level]);
  }
  auto add = [&](size_t level, RegionData& r) {
    builder.Add({.level = level,
                 .code = std::move(r.code),
                 .parent = std::move(r.parent),
                 .name = std::move(r.name),
                 .attributes = std::move(r.attributes),
                 .geometry = std::move(r.geometry)});
  };
  for (size_t level = 0; level < kUnit; ++level) {
    for (RegionData& r : model.regions[level]) add(level, r);
  }
  // Units grid by grid (the model holds them in seed order).
  for (const RegionData& grid : model.regions[kGrid]) {
    for (uint32_t u : grid.children) add(kUnit, model.regions[kUnit][u]);
  }
  result.hierarchy = std::move(builder).Build(nullptr);

  const internal::UnitBuildStats& us = units->stats;
  result.stats.voronoi_edges = us.voronoi_edges;
  result.stats.straightened_edges = us.straightened_edges;
  result.stats.border_cells = us.border_cells;
  result.stats.noded_segments = us.noded_segments;
  result.stats.reassigned_faces = us.reassigned_faces;
  result.stats.vertex_count_fixes = us.vertex_count_fixes;
  result.stats.vertex_count_violations = us.vertex_count_violations;
  result.stats.multipart_units = us.multipart_units;
  result.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace wangge
