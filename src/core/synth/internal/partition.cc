#include "synth/internal/partition.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>
#include <string>
#include <utility>

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include "synth/internal/prng.h"
#include "synth/internal/seeds.h"

namespace wangge::internal {
namespace {

struct SegmentEntry {
  uint64_t key;
  uint32_t unit;
  float length;
};

// Union-find over unit ids.
class DisjointSets {
 public:
  explicit DisjointSets(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<uint32_t> parent_;
};

}  // namespace

UnitGraph UnitGraph::Build(const std::vector<MultiPolygon>& units,
                           const std::vector<uint32_t>& district,
                           const std::vector<Point>& centroid) {
  const size_t n = units.size();
  UnitGraph g;
  // Metric positions for split axes and distances.
  double lat0 = 0;
  for (const Point& c : centroid) lat0 += c.y / static_cast<double>(std::max<size_t>(n, 1));
  const MetricScale m = MetresPerDegree(lat0);
  g.position_.resize(n);
  for (size_t u = 0; u < n; ++u) g.position_[u] = {centroid[u].x * m.x, centroid[u].y * m.y};

  // 1. Units sharing a segment (hash of its canonical endpoints).
  std::vector<size_t> offset(n + 1, 0);
  for (size_t u = 0; u < n; ++u) {
    const MultiPolygonView v = units[u].view();
    offset[u + 1] = offset[u] + v.vertex_count() - v.ring_count();
  }
  std::vector<SegmentEntry> entries(offset[n]);
  tbb::parallel_for(size_t{0}, n, [&](size_t u) {
    const MultiPolygonView v = units[u].view();
    size_t k = offset[u];
    for (size_t r = 0; r < v.ring_count(); ++r) {
      const RingView ring = v.ring(r);
      for (size_t i = 0; i + 1 < ring.size(); ++i) {
        const Point& a = ring[i];
        const Point& b = ring[i + 1];
        const Point& lo = a < b ? a : b;
        const Point& hi = a < b ? b : a;
        const MetricScale s = MetresPerDegree(lo.y);
        entries[k++] = {
            Mix({Bits(lo.x), Bits(lo.y), Bits(hi.x), Bits(hi.y)}), static_cast<uint32_t>(u),
            static_cast<float>(std::sqrt(((hi.x - lo.x) * s.x) * ((hi.x - lo.x) * s.x) +
                                         ((hi.y - lo.y) * s.y) * ((hi.y - lo.y) * s.y)))};
      }
    }
  });
  tbb::parallel_sort(entries.begin(), entries.end(),
                     [](const SegmentEntry& a, const SegmentEntry& b) {
                       return a.key != b.key ? a.key < b.key : a.unit < b.unit;
                     });
  struct Link {
    uint32_t a, b;
    float length;
  };
  std::vector<Link> links;
  for (size_t i = 0; i + 1 < entries.size(); ++i) {
    if (entries[i].key != entries[i + 1].key) continue;
    const uint32_t a = entries[i].unit;
    const uint32_t b = entries[i + 1].unit;
    if (a != b && district[a] == district[b]) {
      links.push_back({a, b, entries[i].length});
      links.push_back({b, a, entries[i].length});
    }
  }
  entries = {};

  // 2. Link the pieces of each district into one connected graph.
  DisjointSets sets(n);
  for (const Link& l : links) sets.Union(l.a, l.b);
  for (bool linked = true; linked;) {
    linked = false;
    // Components and their sizes, per district.
    std::vector<uint32_t> size(n, 0);
    for (uint32_t u = 0; u < n; ++u) ++size[sets.Find(u)];
    std::vector<uint32_t> largest(*std::max_element(district.begin(), district.end()) + 1u,
                                  UINT32_MAX);
    for (uint32_t u = 0; u < n; ++u) {
      const uint32_t r = sets.Find(u);
      uint32_t& best = largest[district[u]];
      if (best == UINT32_MAX || size[r] > size[best] || (size[r] == size[best] && r < best)) {
        best = r;
      }
    }
    std::vector<std::vector<uint32_t>> members(n);
    for (uint32_t u = 0; u < n; ++u) {
      const uint32_t r = sets.Find(u);
      if (r != largest[district[u]]) members[r].push_back(u);
    }
    std::vector<uint32_t> root(n);
    for (uint32_t u = 0; u < n; ++u) root[u] = sets.Find(u);
    for (uint32_t r = 0; r < n; ++r) {
      if (members[r].empty()) continue;
      // The nearest unit of the same district outside this piece.
      double best = std::numeric_limits<double>::infinity();
      uint32_t from = 0, to = 0;
      const uint32_t d = district[members[r][0]];
      for (uint32_t v = 0; v < n; ++v) {
        if (district[v] != d || root[v] == r) continue;
        const Point& pv = g.position_[v];
        for (uint32_t u : members[r]) {
          const double dx = g.position_[u].x - pv.x, dy = g.position_[u].y - pv.y;
          const double d2 = dx * dx + dy * dy;
          if (d2 < best) {
            best = d2;
            from = u;
            to = v;
          }
        }
      }
      if (best == std::numeric_limits<double>::infinity()) continue;
      links.push_back({from, to, 0});
      links.push_back({to, from, 0});
      linked = true;
    }
    for (const Link& l : links) sets.Union(l.a, l.b);
  }

  // 3. Adjacency lists, lengths summed per neighbour.
  std::sort(links.begin(), links.end(),
            [](const Link& x, const Link& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  g.begin_.assign(n + 1, 0);
  for (size_t i = 0; i < links.size(); ++i) {
    if (i > 0 && links[i].a == links[i - 1].a && links[i].b == links[i - 1].b) {
      g.shared_.back() += links[i].length;
      continue;
    }
    g.neighbour_.push_back(links[i].b);
    g.shared_.push_back(links[i].length);
    ++g.begin_[links[i].a + 1];
  }
  for (size_t u = 0; u < n; ++u) g.begin_[u + 1] += g.begin_[u];
  return g;
}

bool UnitGraph::Connected(std::span<const uint32_t> nodes) const {
  if (nodes.empty()) return true;
  std::vector<uint32_t> sorted(nodes.begin(), nodes.end());
  std::sort(sorted.begin(), sorted.end());
  auto in_set = [&](uint32_t u) { return std::binary_search(sorted.begin(), sorted.end(), u); };
  std::vector<uint32_t> stack{sorted[0]};
  std::vector<uint32_t> seen{sorted[0]};
  while (!stack.empty()) {
    const uint32_t u = stack.back();
    stack.pop_back();
    for (uint32_t v : neighbours(u)) {
      if (!in_set(v) || std::find(seen.begin(), seen.end(), v) != seen.end()) continue;
      seen.push_back(v);
      stack.push_back(v);
    }
    if (seen.size() > 64) {
      // Large sets: switch to a flag array.
      std::vector<char> flag(sorted.size(), 0);
      auto index = [&](uint32_t x) {
        return static_cast<size_t>(std::lower_bound(sorted.begin(), sorted.end(), x) -
                                   sorted.begin());
      };
      for (uint32_t s : seen) flag[index(s)] = 1;
      size_t count = seen.size();
      while (!stack.empty()) {
        const uint32_t x = stack.back();
        stack.pop_back();
        for (uint32_t y : neighbours(x)) {
          if (!in_set(y) || flag[index(y)]) continue;
          flag[index(y)] = 1;
          ++count;
          stack.push_back(y);
        }
      }
      return count == sorted.size();
    }
  }
  return seen.size() == sorted.size();
}

Result<std::vector<uint32_t>> UnitGraph::Partition(std::span<const uint32_t> nodes,
                                                   std::span<const double> group_weight,
                                                   std::span<const double> node_weight) const {
  const size_t k = group_weight.size();
  if (nodes.size() < k) {
    return Status::Internal("cannot split " + std::to_string(nodes.size()) + " units into " +
                            std::to_string(k) + " groups");
  }
  // Local indices: nodes[i] ↔ i.
  std::vector<uint32_t> sorted_ids(nodes.size());
  std::iota(sorted_ids.begin(), sorted_ids.end(), 0u);
  std::sort(sorted_ids.begin(), sorted_ids.end(),
            [&](uint32_t a, uint32_t b) { return nodes[a] < nodes[b]; });
  auto local = [&](uint32_t unit) -> int64_t {
    auto it = std::lower_bound(sorted_ids.begin(), sorted_ids.end(), unit,
                               [&](uint32_t i, uint32_t u) { return nodes[i] < u; });
    if (it == sorted_ids.end() || nodes[*it] != unit) return -1;
    return *it;
  };
  std::vector<std::vector<uint32_t>> adjacency(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (uint32_t v : neighbours(nodes[i])) {
      const int64_t j = local(v);
      if (j >= 0) adjacency[i].push_back(static_cast<uint32_t>(j));
    }
  }
  std::vector<uint32_t> group(nodes.size(), 0);
  std::vector<int32_t> member(nodes.size(), -1);  // the set a node belongs to during a split
  int32_t stamp = 0;

  struct Task {
    std::vector<uint32_t> items;
    size_t g0, g1;
  };
  std::vector<Task> tasks;
  {
    Task all;
    all.items.resize(nodes.size());
    std::iota(all.items.begin(), all.items.end(), 0u);
    all.g0 = 0;
    all.g1 = k;
    tasks.push_back(std::move(all));
  }
  while (!tasks.empty()) {
    Task task = std::move(tasks.back());
    tasks.pop_back();
    const size_t groups = task.g1 - task.g0;
    if (groups == 1) {
      for (uint32_t i : task.items) group[i] = static_cast<uint32_t>(task.g0);
      continue;
    }
    const size_t k1 = groups / 2;
    const size_t k2 = groups - k1;
    const size_t mid = task.g0 + k1;
    double gw_all = 0, gw_first = 0;
    for (size_t g = task.g0; g < task.g1; ++g) gw_all += group_weight[g];
    for (size_t g = task.g0; g < mid; ++g) gw_first += group_weight[g];
    double w_all = 0;
    for (uint32_t i : task.items) w_all += node_weight[i];
    const double target = w_all * gw_first / gw_all;
    // Principal axis of the items' positions.
    double mx = 0, my = 0;
    for (uint32_t i : task.items) {
      mx += position_[nodes[i]].x;
      my += position_[nodes[i]].y;
    }
    mx /= static_cast<double>(task.items.size());
    my /= static_cast<double>(task.items.size());
    double sxx = 0, syy = 0, sxy = 0;
    for (uint32_t i : task.items) {
      const double dx = position_[nodes[i]].x - mx, dy = position_[nodes[i]].y - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
    const double theta = 0.5 * std::atan2(2 * sxy, sxx - syy);
    const Point axes[4] = {{std::cos(theta), std::sin(theta)},
                           {-std::cos(theta), -std::sin(theta)},
                           {-std::sin(theta), std::cos(theta)},
                           {std::sin(theta), -std::cos(theta)}};
    std::vector<char> best_in_first;
    double best_error = std::numeric_limits<double>::infinity();
    for (const Point& axis : axes) {
      ++stamp;
      for (uint32_t i : task.items) member[i] = stamp;
      auto proj = [&](uint32_t i) {
        return position_[nodes[i]].x * axis.x + position_[nodes[i]].y * axis.y;
      };
      uint32_t start = task.items[0];
      for (uint32_t i : task.items) {
        if (proj(i) < proj(start) || (proj(i) == proj(start) && i < start)) start = i;
      }
      // Grow the first part from the extreme item, always taking the frontier item lowest on the
      // axis: a sweep that stays connected.
      std::vector<char> in_first(nodes.size(), 0), queued(nodes.size(), 0);
      using Entry = std::pair<double, uint32_t>;
      std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> frontier;
      frontier.push({proj(start), start});
      queued[start] = 1;
      size_t count = 0;
      double weight = 0;
      while (!frontier.empty() && count + k2 < task.items.size() &&
             (weight < target || count < k1)) {
        const uint32_t i = frontier.top().second;
        frontier.pop();
        in_first[i] = 1;
        ++count;
        weight += node_weight[i];
        for (uint32_t j : adjacency[i]) {
          if (member[j] != stamp || queued[j]) continue;
          queued[j] = 1;
          frontier.push({proj(j), j});
        }
      }
      // Keep the rest connected: its smaller pieces join the first part.
      std::vector<std::vector<uint32_t>> pieces;
      std::vector<char> seen(nodes.size(), 0);
      for (uint32_t i : task.items) {
        if (in_first[i] || seen[i]) continue;
        pieces.emplace_back();
        std::vector<uint32_t> stack{i};
        seen[i] = 1;
        while (!stack.empty()) {
          const uint32_t x = stack.back();
          stack.pop_back();
          pieces.back().push_back(x);
          for (uint32_t y : adjacency[x]) {
            if (member[y] != stamp || in_first[y] || seen[y]) continue;
            seen[y] = 1;
            stack.push_back(y);
          }
        }
      }
      size_t keep = 0;
      double keep_weight = -1;
      for (size_t p = 0; p < pieces.size(); ++p) {
        double w = 0;
        for (uint32_t x : pieces[p]) w += node_weight[x];
        if (w > keep_weight) {
          keep = p;
          keep_weight = w;
        }
      }
      for (size_t p = 0; p < pieces.size(); ++p) {
        if (p == keep) continue;
        for (uint32_t x : pieces[p]) {
          in_first[x] = 1;
          ++count;
          weight += node_weight[x];
        }
      }
      if (count < k1 || task.items.size() - count < k2) continue;
      const double error = std::abs(weight - target);
      if (error < best_error) {
        best_error = error;
        best_in_first = std::move(in_first);
      }
    }
    if (best_in_first.empty()) {
      return Status::Internal("could not split " + std::to_string(task.items.size()) +
                              " units into " + std::to_string(groups) + " connected groups");
    }
    Task first, second;
    first.g0 = task.g0;
    first.g1 = mid;
    second.g0 = mid;
    second.g1 = task.g1;
    for (uint32_t i : task.items) (best_in_first[i] ? first : second).items.push_back(i);
    tasks.push_back(std::move(second));
    tasks.push_back(std::move(first));
  }
  return group;
}

std::vector<int64_t> Allocate(int64_t total, std::span<const double> weights,
                              std::span<const int64_t> min, std::span<const int64_t> max) {
  const size_t n = weights.size();
  auto sum_at = [&](double lambda) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) {
      s +=
          std::clamp(lambda * weights[i], static_cast<double>(min[i]), static_cast<double>(max[i]));
    }
    return s;
  };
  double lo = 0, hi = 1;
  while (sum_at(hi) < static_cast<double>(total) && hi < 1e18) hi *= 2;
  for (int iter = 0; iter < 200; ++iter) {
    const double midpoint = (lo + hi) / 2;
    (sum_at(midpoint) < static_cast<double>(total) ? lo : hi) = midpoint;
  }
  std::vector<int64_t> out(n);
  std::vector<std::pair<double, size_t>> remainder;
  int64_t assigned = 0;
  for (size_t i = 0; i < n; ++i) {
    const double x =
        std::clamp(hi * weights[i], static_cast<double>(min[i]), static_cast<double>(max[i]));
    out[i] = static_cast<int64_t>(std::floor(x));
    assigned += out[i];
    remainder.emplace_back(x - std::floor(x), i);
  }
  std::sort(remainder.begin(), remainder.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  // Hand out what is missing by largest remainder, then by index, within the bounds.
  for (size_t pass = 0; assigned < total && pass < 2; ++pass) {
    for (const auto& [r, i] : remainder) {
      if (assigned >= total) break;
      if (out[i] < max[i]) {
        ++out[i];
        ++assigned;
      }
    }
  }
  for (size_t i = n; assigned > total && i-- > 0;) {
    while (assigned > total && out[i] > min[i]) {
      --out[i];
      --assigned;
    }
  }
  return out;
}

}  // namespace wangge::internal
