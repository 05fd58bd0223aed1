#include "wangge/store/version_diff.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <map>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <geos/geom/Geometry.h>
#include <geos/geom/GeometryFactory.h>

#include "geometry/internal/geos_convert.h"
#include "wangge/geometry/measure.h"

namespace wangge {
namespace {

uint64_t GeometryHash(const MultiPolygonView& g) {
  uint64_t h = 14695981039346656037ull;
  const auto add = [&h](const void* data, size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  };
  add(g.points().data(), g.points().size_bytes());
  add(g.ring_ends().data(), g.ring_ends().size_bytes());
  add(g.polygon_ends().data(), g.polygon_ends().size_bytes());
  return h;
}

template <typename T>
bool SameBytes(std::span<const T> a, std::span<const T> b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
}

bool SameGeometry(const MultiPolygonView& a, const MultiPolygonView& b) {
  return SameBytes(a.points(), b.points()) && SameBytes(a.ring_ends(), b.ring_ends()) &&
         SameBytes(a.polygon_ends(), b.polygon_ends());
}

MultiPolygon Copy(const MultiPolygonView& v) { return MultiPolygon(v); }

// Attributes of `id` by name (missing names read as "").
std::map<std::string, std::string, std::less<>> Attributes(const Hierarchy& h, RegionId id) {
  std::map<std::string, std::string, std::less<>> out;
  const std::span<const std::string> names = h.attribute_names(h.level(id));
  for (size_t a = 0; a < names.size(); ++a) {
    const std::string_view value = h.attribute(id, a);
    if (!value.empty()) out.emplace(names[a], value);
  }
  return out;
}

// Returns true when the two regions have the same name, parent code and attributes (by name).
bool SameRecord(const Hierarchy& before, RegionId b, const Hierarchy& after, RegionId a) {
  if (before.name(b) != after.name(a) || before.parent_code(b) != after.parent_code(a)) {
    return false;
  }
  const std::span<const std::string> bn = before.attribute_names(before.level(b));
  const std::span<const std::string> an = after.attribute_names(after.level(a));
  if (std::equal(bn.begin(), bn.end(), an.begin(), an.end())) {
    for (size_t i = 0; i < bn.size(); ++i) {
      if (before.attribute(b, i) != after.attribute(a, i)) return false;
    }
    return true;
  }
  return Attributes(before, b) == Attributes(after, a);
}

RegionChange Describe(ChangeKind kind, const std::string& level, const Hierarchy* before,
                      RegionId b, const Hierarchy* after, RegionId a) {
  RegionChange c;
  c.kind = kind;
  c.level = level;
  if (before != nullptr) {
    c.before_code = before->code(b);
    c.before_name = before->name(b);
    c.before_parent = before->parent_code(b);
    c.area_before_m2 = AreaM2(before->geometry(b));
  }
  if (after != nullptr) {
    c.code = after->code(a);
    c.name = after->name(a);
    c.parent = after->parent_code(a);
    if (before == nullptr || kind == ChangeKind::kReshaped) {
      c.area_after_m2 = AreaM2(after->geometry(a));
    }
  } else {
    c.code = c.before_code;
    c.name = c.before_name;
    c.parent = c.before_parent;
  }
  if (before != nullptr && after != nullptr) {
    c.name_changed = c.name != c.before_name;
    c.parent_changed = c.parent != c.before_parent;
    c.attributes_changed = Attributes(*before, b) != Attributes(*after, a);
    if (kind == ChangeKind::kModified || kind == ChangeKind::kRenamed) {
      c.area_after_m2 = c.area_before_m2;  // the same geometry
    }
  }
  return c;
}

struct Reshape {
  size_t change;  // index into the changes
  RegionId before;
  RegionId after;
};

void SymmetricDifference(const Hierarchy& before, const Hierarchy& after, const Reshape& r,
                         const geos::geom::GeometryFactory& factory, RegionChange* c) {
  try {
    const std::unique_ptr<geos::geom::Geometry> g1 =
        internal::ToGeos(factory, before.geometry(r.before));
    const std::unique_ptr<geos::geom::Geometry> g2 =
        internal::ToGeos(factory, after.geometry(r.after));
    const std::unique_ptr<geos::geom::Geometry> d = g1->symDifference(g2.get());
    Result<MultiPolygon> m = internal::FromGeos(*d);
    if (!m.ok()) {
      c->note = "changed geometry not computed: " + std::string(m.status().message());
      return;
    }
    c->changed = std::move(m).value();
    c->changed_area_m2 = AreaM2(c->changed.view());
  } catch (const std::exception& e) {
    c->note = std::string("changed geometry not computed (GEOS: ") + e.what() + ")";
  }
}

}  // namespace

std::string_view ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kRemoved:
      return "removed";
    case ChangeKind::kAdded:
      return "added";
    case ChangeKind::kRenamed:
      return "renamed";
    case ChangeKind::kReshaped:
      return "reshaped";
    case ChangeKind::kModified:
      return "modified";
  }
  return "unknown";
}

VersionDiff DiffHierarchies(const Hierarchy& before, const Hierarchy& after, int threads) {
  VersionDiff diff;
  std::vector<std::string> level_names;
  for (const Level& l : after.levels()) level_names.push_back(l.name);
  for (const Level& l : before.levels()) {
    if (!after.FindLevel(l.name)) level_names.push_back(l.name);
  }
  std::vector<Reshape> reshapes;
  for (size_t order = 0; order < level_names.size(); ++order) {
    const std::string& name = level_names[order];
    const std::optional<size_t> bl = before.FindLevel(name);
    const std::optional<size_t> al = after.FindLevel(name);
    LevelDiff summary;
    summary.level = name;
    // Region ids by code, per side (the first of duplicates, as Hierarchy::Find).
    std::map<std::string_view, RegionId> before_codes, after_codes;
    if (bl) {
      for (RegionId id : before.regions(*bl)) before_codes.emplace(before.code(id), id);
      summary.before_count = before.regions(*bl).size();
    }
    if (al) {
      for (RegionId id : after.regions(*al)) after_codes.emplace(after.code(id), id);
      summary.after_count = after.regions(*al).size();
    }
    std::vector<RegionId> before_left, after_left;  // in code order
    for (const auto& [code, b] : before_codes) {
      const auto it = after_codes.find(code);
      if (it == after_codes.end()) {
        before_left.push_back(b);
        continue;
      }
      const RegionId a = it->second;
      if (!SameGeometry(before.geometry(b), after.geometry(a))) {
        reshapes.push_back({diff.changes.size(), b, a});
        diff.changes.push_back(Describe(ChangeKind::kReshaped, name, &before, b, &after, a));
        ++summary.reshaped;
        continue;
      }
      if (SameRecord(before, b, after, a)) {
        ++summary.unchanged;
      } else {
        diff.changes.push_back(Describe(ChangeKind::kModified, name, &before, b, &after, a));
        ++summary.modified;
      }
    }
    for (const auto& [code, a] : after_codes) {
      if (!before_codes.contains(code)) after_left.push_back(a);
    }
    // Renames: equal geometry under different codes, paired in code order.
    std::unordered_map<uint64_t, std::vector<RegionId>> by_hash;
    for (RegionId b : before_left) by_hash[GeometryHash(before.geometry(b))].push_back(b);
    std::vector<bool> before_taken(before_left.size(), false);
    std::unordered_map<RegionId, size_t> before_index;
    for (size_t i = 0; i < before_left.size(); ++i) before_index[before_left[i]] = i;
    for (RegionId a : after_left) {
      const auto it = by_hash.find(GeometryHash(after.geometry(a)));
      std::optional<RegionId> match;
      if (it != by_hash.end()) {
        for (RegionId b : it->second) {
          if (!before_taken[before_index[b]] &&
              SameGeometry(before.geometry(b), after.geometry(a))) {
            match = b;
            before_taken[before_index[b]] = true;
            break;
          }
        }
      }
      if (match) {
        diff.changes.push_back(Describe(ChangeKind::kRenamed, name, &before, *match, &after, a));
        ++summary.renamed;
      } else {
        RegionChange c = Describe(ChangeKind::kAdded, name, nullptr, 0, &after, a);
        c.changed = Copy(after.geometry(a));
        c.changed_area_m2 = c.area_after_m2;
        diff.changes.push_back(std::move(c));
        ++summary.added;
      }
    }
    for (size_t i = 0; i < before_left.size(); ++i) {
      if (before_taken[i]) continue;
      RegionChange c = Describe(ChangeKind::kRemoved, name, &before, before_left[i], nullptr, 0);
      c.changed = Copy(before.geometry(before_left[i]));
      c.changed_area_m2 = c.area_before_m2;
      diff.changes.push_back(std::move(c));
      ++summary.removed;
    }
    diff.levels.push_back(std::move(summary));
  }

  // Symmetric differences, in parallel; each worker has its own GEOS factory.
  std::atomic<size_t> next{0};
  const auto work = [&] {
    const geos::geom::GeometryFactory::Ptr factory = geos::geom::GeometryFactory::create();
    for (size_t i = next++; i < reshapes.size(); i = next++) {
      SymmetricDifference(before, after, reshapes[i], *factory, &diff.changes[reshapes[i].change]);
    }
  };
  size_t workers = threads > 0 ? static_cast<size_t>(threads)
                               : std::max(1u, std::thread::hardware_concurrency());
  workers = std::min(workers, std::max<size_t>(1, reshapes.size() / 16));
  {
    std::vector<std::jthread> pool;
    for (size_t t = 1; t < workers; ++t) pool.emplace_back(work);
    work();
  }

  std::map<std::string_view, size_t> level_order;
  for (size_t i = 0; i < level_names.size(); ++i) level_order[level_names[i]] = i;
  std::stable_sort(diff.changes.begin(), diff.changes.end(),
                   [&](const RegionChange& x, const RegionChange& y) {
                     return std::make_tuple(level_order[x.level], x.kind, std::string_view(x.code),
                                            std::string_view(x.before_code)) <
                            std::make_tuple(level_order[y.level], y.kind, std::string_view(y.code),
                                            std::string_view(y.before_code));
                   });
  return diff;
}

std::vector<PointImpact> DiffLocations(const PointIndex& before, const PointIndex& after,
                                       std::span<const Point> points,
                                       std::span<const std::string> ids) {
  const Hierarchy& hb = before.hierarchy();
  const Hierarchy& ha = after.hierarchy();
  std::vector<Location> lb(points.size()), la(points.size());
  before.LocateBatch(points, lb);
  after.LocateBatch(points, la);
  // Levels by name: the after version's order, then levels only before has.
  struct LevelPair {
    std::string name;
    std::optional<size_t> before, after;
  };
  std::vector<LevelPair> levels;
  for (const Level& l : ha.levels())
    levels.push_back({l.name, hb.FindLevel(l.name), ha.FindLevel(l.name)});
  for (const Level& l : hb.levels()) {
    if (!ha.FindLevel(l.name)) levels.push_back({l.name, hb.FindLevel(l.name), std::nullopt});
  }
  std::vector<RegionId> cb(hb.level_count()), ca(ha.level_count());
  std::vector<PointImpact> out;
  for (size_t i = 0; i < points.size(); ++i) {
    before.Chain(lb[i].region, cb);
    after.Chain(la[i].region, ca);
    PointImpact impact;
    for (const LevelPair& l : levels) {
      const std::string_view b =
          l.before && cb[*l.before] != kNoRegion ? hb.code(cb[*l.before]) : std::string_view();
      const std::string_view a =
          l.after && ca[*l.after] != kNoRegion ? ha.code(ca[*l.after]) : std::string_view();
      if (a != b) impact.levels.push_back({l.name, std::string(b), std::string(a)});
    }
    if (impact.levels.empty()) continue;
    impact.id = ids[i];
    impact.point = points[i];
    impact.before_status = lb[i].status;
    impact.after_status = la[i].status;
    out.push_back(std::move(impact));
  }
  return out;
}

}  // namespace wangge
