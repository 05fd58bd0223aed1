#include "wangge/coverage/derive_parents.h"

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include <geos/geom/Geometry.h>
#include <geos/geom/GeometryCollection.h>
#include <geos/geom/GeometryFactory.h>
#include <geos/geom/util/GeometryFixer.h>
#include <geos/operation/union/CoverageUnion.h>

#include "geometry/internal/geos_convert.h"
#include "wangge/hierarchy/hierarchy_builder.h"

namespace wangge {
namespace {

struct Node {
  std::string code;
  std::string parent;
  std::string name;
  std::vector<std::string> attributes;
  MultiPolygon geometry;
  int64_t feature_id = -1;
};

// Returns `m` without consecutive repeated vertices (which GEOS CoverageUnion cannot take).
MultiPolygon WithoutRepeatedPoints(const MultiPolygonView& m) {
  MultiPolygon out;
  std::vector<Point> ring;
  for (size_t p = 0; p < m.polygon_count(); ++p) {
    const PolygonView polygon = m.polygon(p);
    for (size_t r = 0; r < polygon.ring_count(); ++r) {
      ring.clear();
      for (const Point& q : polygon.ring(r)) {
        if (ring.empty() || !(ring.back() == q)) ring.push_back(q);
      }
      if (ring.size() >= 4) out.AddRing(ring, r == 0);
      else if (r == 0) break;  // a collapsed shell: drop the polygon
    }
  }
  return out;
}

// Returns the union of `parts`; *exact is false when they were not edge-matched.
Result<MultiPolygon> UnionOf(const geos::geom::GeometryFactory& factory,
                             const std::vector<const MultiPolygon*>& parts, bool* exact) {
  std::vector<std::unique_ptr<geos::geom::Geometry>> geometries;
  for (const MultiPolygon* part : parts) {
    if (part->empty()) continue;
    geometries.push_back(internal::ToGeos(factory, WithoutRepeatedPoints(part->view()).view()));
  }
  if (geometries.empty()) return MultiPolygon();
  std::unique_ptr<geos::geom::GeometryCollection> collection =
      factory.createGeometryCollection(std::move(geometries));
  std::unique_ptr<geos::geom::Geometry> merged;
  *exact = true;
  try {
    merged = geos::operation::geounion::CoverageUnion::Union(collection.get());
    // CoverageUnion trusts its input: overlapping parts that do not cross come back as an
    // invalid multipolygon rather than an error.
    if (!merged->isValid()) throw std::runtime_error("children overlap");
  } catch (const std::exception&) {
    *exact = false;
    try {
      merged = collection->Union();
    } catch (const std::exception&) {
      // Invalid children (self-intersecting rings): repair copies with GeometryFixer, which keeps
      // vertices where it can, and merge those. The derived parent is only a reference to check
      // the children against, and the check reports the children's invalidity anyway.
      try {
        std::vector<std::unique_ptr<geos::geom::Geometry>> fixed;
        for (size_t i = 0; i < collection->getNumGeometries(); ++i) {
          fixed.push_back(geos::geom::util::GeometryFixer::fix(collection->getGeometryN(i)));
        }
        merged = factory.createGeometryCollection(std::move(fixed))->Union();
      } catch (const std::exception& e) {
        return Status::DataError(std::string("cannot merge the children: ") + e.what());
      }
    }
  }
  return internal::FromGeos(*merged);
}

// The longest common prefix of `codes`, cut to an even length (GB/T 2260 segments are pairs).
std::string CommonPrefix(const std::vector<std::string>& codes) {
  if (codes.empty()) return "";
  std::string prefix = codes[0];
  for (const std::string& code : codes) {
    size_t n = 0;
    while (n < prefix.size() && n < code.size() && prefix[n] == code[n]) ++n;
    prefix.resize(n);
  }
  if (prefix.size() == codes[0].size() && codes.size() == 1 && prefix.size() > 2) {
    prefix.resize(prefix.size() - 2);  // a lone child's parent is not the child itself
  }
  prefix.resize(prefix.size() & ~size_t{1});
  return prefix;
}

}  // namespace

Result<Hierarchy> DeriveParents(const Hierarchy& source, const DeriveOptions& options,
                                std::vector<std::string>* notes) {
  const std::vector<Level>& all = options.levels;
  std::vector<std::optional<size_t>> source_of(all.size());
  int previous = -1;
  int finest = -1;
  for (size_t s = 0; s < source.level_count(); ++s) {
    const std::string& name = source.levels()[s].name;
    auto it = std::find_if(all.begin(), all.end(), [&](const Level& l) { return l.name == name; });
    if (it == all.end()) {
      return Status::InvalidArgument("level " + name + " of the dataset is not among the levels to "
                                     "derive (" + std::to_string(all.size()) + " levels given)");
    }
    const int t = static_cast<int>(it - all.begin());
    if (t <= previous) {
      return Status::InvalidArgument("level " + name + " is out of order");
    }
    previous = t;
    if (source.regions(s).size() > 0) {
      source_of[static_cast<size_t>(t)] = s;
      finest = t;
    }
  }
  if (finest < 0) return Status::InvalidArgument("the dataset has no regions to derive from");

  const auto level_count = static_cast<size_t>(finest) + 1;
  std::vector<std::vector<Node>> nodes(level_count);
  std::vector<std::vector<std::string>> attribute_names(level_count);
  for (size_t t = 0; t < level_count; ++t) {
    if (!source_of[t]) continue;
    const size_t s = *source_of[t];
    const auto names = source.attribute_names(s);
    attribute_names[t].assign(names.begin(), names.end());
    for (RegionId r : source.regions(s)) {
      Node n{std::string(source.code(r)), std::string(source.parent_code(r)),
             std::string(source.name(r)), {}, MultiPolygon(source.geometry(r)),
             source.feature_id(r)};
      for (size_t a = 0; a < names.size(); ++a) n.attributes.emplace_back(source.attribute(r, a));
      nodes[t].push_back(std::move(n));
    }
  }

  auto factory = geos::geom::GeometryFactory::create();
  for (size_t t = level_count - 1; t-- > 0;) {
    std::vector<Node>& children = nodes[t + 1];
    const std::optional<size_t> length = options.code_model.LengthFor(all[t].name);
    std::vector<std::string> undeclared;
    for (Node& child : children) {
      if (!child.parent.empty()) continue;
      if (length && child.code.size() > *length) {
        child.parent = child.code.substr(0, *length);
      } else {
        undeclared.push_back(child.code);
      }
    }
    if (source_of[t]) continue;
    if (!undeclared.empty()) {
      std::string shared = CommonPrefix(undeclared);
      if (shared.empty()) shared = all[t].name;
      for (Node& child : children) {
        if (child.parent.empty()) child.parent = shared;
      }
    }
    std::map<std::string, std::vector<const MultiPolygon*>> members;
    for (const Node& child : children) members[child.parent].push_back(&child.geometry);
    for (const auto& [code, parts] : members) {
      bool exact = true;
      Result<MultiPolygon> merged = UnionOf(*factory, parts, &exact);
      if (!merged.ok()) return merged.status().WithContext(all[t].name + " " + code);
      if (!exact && notes) {
        notes->push_back(all[t].name + " " + code + ": its " + all[t + 1].name +
                         "s are not edge-matched; merged with a general union");
      }
      nodes[t].push_back({code, "", "", {}, std::move(merged).value(), -1});
    }
  }

  HierarchyBuilder builder(std::vector<Level>(all.begin(), all.begin() + finest + 1));
  for (size_t t = 0; t < level_count; ++t) {
    builder.SetAttributeNames(t, attribute_names[t]);
    for (Node& n : nodes[t]) {
      builder.Add({.level = t, .code = std::move(n.code), .parent = std::move(n.parent),
                   .name = std::move(n.name), .attributes = std::move(n.attributes),
                   .geometry = std::move(n.geometry), .feature_id = n.feature_id});
    }
  }
  return std::move(builder).Build(nullptr);
}

}  // namespace wangge
