#include "wangge/topology/level_topology.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <memory>

#include "coverage/internal/parallel.h"
#include "coverage/internal/ring_math.h"

namespace wangge {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

uint64_t SegmentHash(const Point& a, const Point& b) {
  uint64_t h = internal::coverage::Mix64(std::bit_cast<uint64_t>(b.y));
  h = internal::coverage::Mix64(h ^ std::bit_cast<uint64_t>(b.x));
  h = internal::coverage::Mix64(h ^ std::bit_cast<uint64_t>(a.y));
  return internal::coverage::Mix64(h ^ std::bit_cast<uint64_t>(a.x));
}

// Returns true if a defect of `kind` can break the arcs between siblings of one level: a
// mismatch with the parent's border does not.
bool BreaksSiblingArcs(DefectKind kind) {
  return IsTopological(kind) && kind != DefectKind::kUnmatchedParentEdge;
}

// The rings of a level with repeated vertices dropped, and their segments: segment j of ring i is
// verts[vbegin[i] + j] → verts[vbegin[i] + (j + 1) % n], numbered vbegin[i] + j.
struct Rings {
  std::vector<Point> verts;
  std::vector<uint32_t> vbegin;  // per ring + 1
  std::vector<uint32_t> seg_ring;
  std::vector<RegionId> region;  // per ring
  std::vector<uint8_t> reverse;  // per ring: its order is against the canonical orientation

  uint32_t size(uint32_t ring) const { return vbegin[ring + 1] - vbegin[ring]; }
  const Point& from(uint32_t seg) const { return verts[seg]; }
  const Point& to(uint32_t seg) const {
    const uint32_t ring = seg_ring[seg];
    return seg + 1 == vbegin[ring + 1] ? verts[vbegin[ring]] : verts[seg + 1];
  }
  uint32_t next(uint32_t seg) const {
    const uint32_t ring = seg_ring[seg];
    return seg + 1 == vbegin[ring + 1] ? vbegin[ring] : seg + 1;
  }
  uint32_t prev(uint32_t seg) const {
    const uint32_t ring = seg_ring[seg];
    return seg == vbegin[ring] ? vbegin[ring + 1] - 1 : seg - 1;
  }
  // +1 if the segment runs from the lesser to the greater point in the canonical orientation.
  int CanonicalDir(uint32_t seg) const {
    const int d = from(seg) < to(seg) ? 1 : -1;
    return reverse[seg_ring[seg]] ? -d : d;
  }
};

}  // namespace

std::span<const ArcRef> LevelTopology::ring_arcs(RegionId region, size_t ring) const {
  const uint32_t r = region_ring_begin_[region - first_region_] + static_cast<uint32_t>(ring);
  return std::span<const ArcRef>(refs_).subspan(ring_ref_begin_[r],
                                                ring_ref_begin_[r + 1] - ring_ref_begin_[r]);
}

uint32_t LevelTopology::ring_start(RegionId region, size_t ring) const {
  return ring_start_[region_ring_begin_[region - first_region_] + ring];
}

std::vector<Point> LevelTopology::RebuildRing(RegionId region, size_t ring) const {
  std::vector<Point> sequence;
  for (const ArcRef& ref : ring_arcs(region, ring)) {
    const std::span<const Point> points = arc_points(ref.arc);
    const size_t skip = sequence.empty() ? 0 : 1;  // joints are shared by consecutive arcs
    if (ref.reversed) {
      for (size_t i = skip; i < points.size(); ++i)
        sequence.push_back(points[points.size() - 1 - i]);
    } else {
      sequence.insert(sequence.end(), points.begin() + static_cast<ptrdiff_t>(skip), points.end());
    }
  }
  if (sequence.size() < 2) return sequence;
  sequence.pop_back();  // the closing vertex; put back after rotating
  std::rotate(sequence.begin(), sequence.begin() + ring_start(region, ring), sequence.end());
  sequence.push_back(sequence.front());
  return sequence;
}

LevelTopology BuildLevelTopology(const Hierarchy& h, size_t level, const CoverageReport* report) {
  LevelTopology t;
  t.level_ = level;
  const RegionRange range = h.regions(level);
  t.first_region_ = range.first;
  t.region_seamless_.assign(range.size(), 1);
  auto mark = [&](RegionId r) {
    if (range.contains(r)) t.region_seamless_[r - range.first] = 0;
    t.seamless_ = false;
  };

  // 1. Rings without repeated vertices.
  Rings rings;
  rings.vbegin.push_back(0);
  t.region_ring_begin_.push_back(0);
  std::vector<Point> ring_points;
  for (RegionId r : range) {
    const MultiPolygonView g = h.geometry(r);
    bool usable = !g.empty();
    for (const Point& p : g.points()) usable = usable && IsFinite(p);
    if (!usable) mark(r);
    for (size_t p = 0; p < g.polygon_count(); ++p) {
      const PolygonView polygon = g.polygon(p);
      for (size_t k = 0; k < polygon.ring_count(); ++k) {
        const RingView ring = polygon.ring(k);
        ring_points.clear();
        if (usable) {
          for (size_t i = 0; i + 1 < ring.size(); ++i) {
            if (ring_points.empty() || !(ring_points.back() == ring[i]))
              ring_points.push_back(ring[i]);
          }
          while (ring_points.size() > 1 && ring_points.back() == ring_points.front()) {
            ring_points.pop_back();
          }
          if (ring_points.size() < 3) {
            ring_points.clear();
            mark(r);
          }
        }
        const auto ring_id = static_cast<uint32_t>(rings.region.size());
        rings.verts.insert(rings.verts.end(), ring_points.begin(), ring_points.end());
        rings.seg_ring.insert(rings.seg_ring.end(), ring_points.size(), ring_id);
        rings.vbegin.push_back(static_cast<uint32_t>(rings.verts.size()));
        rings.region.push_back(r);
        rings.reverse.push_back(usable && internal::coverage::NeedsReverse(ring, k == 0) ? 1 : 0);
      }
    }
    t.region_ring_begin_.push_back(static_cast<uint32_t>(rings.region.size()));
  }
  const auto segment_count = static_cast<uint32_t>(rings.verts.size());

  // 2. Exact matching: first among the children of each parent (partners are mostly siblings,
  // and a group's segments sit close together in memory), then among what is left, level-wide
  // (borders between parents, regions without a parent). Open addressing on segment hashes,
  // verified on coordinates.
  std::vector<uint32_t> partner(segment_count, kNone);
  std::vector<uint32_t> table, group, leftovers;
  auto match = [&](const std::vector<uint32_t>& segments, bool keep_leftovers) {
    size_t capacity = 16;
    while (capacity < 2 * segments.size()) capacity <<= 1;
    const size_t mask = capacity - 1;
    table.assign(capacity, kNone);
    for (uint32_t s : segments) {
      const Point& a = rings.from(s);
      const Point& b = rings.to(s);
      const bool forward = a < b;
      for (size_t slot = (forward ? SegmentHash(a, b) : SegmentHash(b, a)) & mask;;
           slot = (slot + 1) & mask) {
        const uint32_t o = table[slot];
        if (o == kNone) {
          table[slot] = s;
          break;
        }
        const Point& c = rings.from(o);
        const Point& d = rings.to(o);
        if (!((a == c && b == d) || (a == d && b == c))) continue;
        if (partner[o] == kNone && rings.CanonicalDir(o) + rings.CanonicalDir(s) == 0) {
          partner[o] = s;
          partner[s] = o;
          break;
        }
        // A third copy, or two in the same direction: overlapping or duplicated regions.
        mark(rings.region[rings.seg_ring[o]]);
        mark(rings.region[rings.seg_ring[s]]);
      }
    }
    if (keep_leftovers) {
      for (uint32_t s : segments) {
        if (partner[s] == kNone) leftovers.push_back(s);
      }
    }
  };
  auto append_region = [&](RegionId r, std::vector<uint32_t>* out) {
    const uint32_t i = r - range.first;
    for (uint32_t ring = t.region_ring_begin_[i]; ring < t.region_ring_begin_[i + 1]; ++ring) {
      for (uint32_t seg = rings.vbegin[ring]; seg < rings.vbegin[ring + 1]; ++seg)
        out->push_back(seg);
    }
  };
  if (level > 0) {
    for (RegionId p : h.regions(level - 1)) {
      group.clear();
      for (RegionId c : h.children(p)) append_region(c, &group);
      match(group, /*keep_leftovers=*/true);
    }
    for (RegionId r : range) {
      if (h.parent(r) == kNoRegion) append_region(r, &leftovers);
    }
  } else {
    for (RegionId r : range) append_region(r, &leftovers);
  }
  match(leftovers, /*keep_leftovers=*/false);

  // 3. Degrees of the vertices next to unmatched segments, to find where three or more meet:
  // an open-addressing table of those vertices, then one pass over all unique segments.
  std::vector<Point> loose;
  for (uint32_t seg = 0; seg < segment_count; ++seg) {
    if (partner[seg] != kNone) continue;
    loose.push_back(rings.from(seg));
    loose.push_back(rings.to(seg));
  }
  std::sort(loose.begin(), loose.end());
  loose.erase(std::unique(loose.begin(), loose.end()), loose.end());
  size_t capacity = 16;
  while (capacity < 2 * loose.size()) capacity <<= 1;
  const size_t mask = capacity - 1;
  std::vector<uint32_t> slots(capacity, kNone);
  auto point_hash = [](const Point& p) {
    return internal::coverage::Mix64(std::bit_cast<uint64_t>(p.x) * 0x9e3779b97f4a7c15ULL ^
                                     std::bit_cast<uint64_t>(p.y));
  };
  for (uint32_t i = 0; i < loose.size(); ++i) {
    size_t slot = point_hash(loose[i]) & mask;
    while (slots[slot] != kNone) slot = (slot + 1) & mask;
    slots[slot] = i;
  }
  auto find_loose = [&](const Point& p) -> uint32_t {
    for (size_t slot = point_hash(p) & mask;; slot = (slot + 1) & mask) {
      const uint32_t i = slots[slot];
      if (i == kNone || loose[i] == p) return i;
    }
  };
  std::vector<uint32_t> degree(loose.size(), 0);
  if (!loose.empty()) {
    for (uint32_t seg = 0; seg < segment_count; ++seg) {
      if (partner[seg] != kNone && partner[seg] < seg) continue;  // count a shared segment once
      for (const Point* p : {&rings.from(seg), &rings.to(seg)}) {
        const uint32_t i = find_loose(*p);
        if (i != kNone) ++degree[i];
      }
    }
  }
  auto is_node = [&](uint32_t in, uint32_t out) {  // the vertex between segments in → out
    const uint32_t pin = partner[in], pout = partner[out];
    if (pin == kNone && pout == kNone) return degree[find_loose(rings.from(out))] != 2;
    if (pin == kNone || pout == kNone) return true;
    return !(rings.next(pin) == pout || rings.next(pout) == pin);
  };

  // 4. Arcs, node to node, each shared arc created by the first ring that reaches it.
  std::vector<uint32_t> arc_of(segment_count, kNone), arc_pos(segment_count, 0);
  t.ring_ref_begin_.push_back(0);
  const auto ring_count = static_cast<uint32_t>(rings.region.size());
  t.ring_start_.assign(ring_count, 0);
  for (uint32_t ring = 0; ring < ring_count; ++ring) {
    const uint32_t n = rings.size(ring), base = rings.vbegin[ring];
    if (n == 0) {
      t.ring_ref_begin_.push_back(static_cast<uint32_t>(t.refs_.size()));
      continue;
    }
    uint32_t first = kNone;  // first segment starting at a node
    for (uint32_t k = 0; k < n && first == kNone; ++k) {
      if (is_node(rings.prev(base + k), base + k)) first = base + k;
    }
    const bool closed = first == kNone;
    if (closed) first = base;
    uint32_t walked = 0;
    uint32_t s = first;
    bool reused = false;
    while (walked < n) {
      std::vector<uint32_t> chunk = {s};
      uint32_t next = rings.next(s);
      while (walked + chunk.size() < n && (closed || !is_node(s, next))) {
        chunk.push_back(next);
        s = next;
        next = rings.next(s);
      }
      const uint32_t p = partner[chunk[0]];
      ArcRef ref;
      const uint32_t shared = p == kNone ? kNone : arc_of[p];
      const Arc* existing = shared == kNone ? nullptr : &t.arcs_[shared];
      if (existing != nullptr && existing->end - existing->begin - 1 == chunk.size()) {
        ref.arc = shared;
        reused = true;
        ref.reversed = !(t.points_[existing->begin + arc_pos[p]] == rings.from(chunk[0]));
        for (uint32_t c : chunk) {
          arc_of[c] = shared;
          arc_pos[c] = arc_pos[partner[c] == kNone ? c : partner[c]];
        }
      } else {
        if (existing != nullptr) mark(rings.region[ring]);  // cannot happen with exact matching
        Arc arc;
        arc.begin = static_cast<uint32_t>(t.points_.size());
        for (uint32_t c : chunk) t.points_.push_back(rings.from(c));
        t.points_.push_back(rings.to(chunk.back()));
        arc.end = static_cast<uint32_t>(t.points_.size());
        const RegionId mine = rings.region[ring];
        const RegionId other = p == kNone ? kNoRegion : rings.region[rings.seg_ring[p]];
        arc.left = rings.reverse[ring] ? other : mine;
        arc.right = rings.reverse[ring] ? mine : other;
        ref.arc = static_cast<uint32_t>(t.arcs_.size());
        for (uint32_t i = 0; i < chunk.size(); ++i) {
          arc_of[chunk[i]] = ref.arc;
          arc_pos[chunk[i]] = i;
        }
        t.arcs_.push_back(arc);
      }
      t.refs_.push_back(ref);
      walked += static_cast<uint32_t>(chunk.size());
      s = next;
    }
    // Where the ring's own first vertex falls in the sequence its arcs spell: a closed arc made
    // by the neighbour starts wherever the neighbour's ring did.
    if (closed && reused) {
      const uint32_t pos = arc_pos[base];
      t.ring_start_[ring] = t.refs_.back().reversed ? n - 1 - pos : pos;
    } else {
      t.ring_start_[ring] = (n - (first - base)) % n;
    }
    t.ring_ref_begin_.push_back(static_cast<uint32_t>(t.refs_.size()));
  }

  if (report != nullptr) {
    for (const Defect& d : report->defects) {
      if (d.level != level || !BreaksSiblingArcs(d.kind) || d.severity == Severity::kWarning)
        continue;
      for (const std::string& code : d.codes) {
        const RegionId r = h.Find(code);
        if (r != kNoRegion) mark(r);
      }
      t.seamless_ = false;
    }
  }
  return t;
}

std::vector<LevelTopology> BuildTopology(const Hierarchy& hierarchy, const CoverageReport* report,
                                         int threads) {
  std::vector<LevelTopology> levels(hierarchy.level_count());
  internal::coverage::ParallelFor(levels.size(), internal::coverage::ResolveThreads(threads), 1,
                                  [&](size_t begin, size_t end, int) {
                                    for (size_t l = begin; l < end; ++l) {
                                      levels[l] = BuildLevelTopology(hierarchy, l, report);
                                    }
                                  });
  return levels;
}

}  // namespace wangge
