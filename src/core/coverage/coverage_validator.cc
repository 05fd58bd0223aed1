#include "wangge/coverage/coverage_validator.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include <geos/geom/Geometry.h>
#include <geos/geom/GeometryFactory.h>
#include <geos/geom/Point.h>

#include "coverage/internal/group_check.h"
#include "coverage/internal/messages.h"
#include "coverage/internal/parallel.h"
#include "coverage/internal/polygon_check.h"
#include "coverage/internal/ring_math.h"
#include "geometry/internal/geos_convert.h"
#include "wangge/geometry/measure.h"

namespace wangge {
namespace {

using internal::coverage::MessageFacts;
using internal::coverage::PolygonVerdict;
using internal::coverage::RegionPrep;

constexpr size_t kRegionChunk = 256;
constexpr size_t kMaxListedSegments = 50;

// Returns a point inside the region (GEOS interior point), or its first vertex.
Point LabelPoint(const geos::geom::GeometryFactory& factory, const MultiPolygonView& g) {
  if (g.vertex_count() == 0) return {};
  try {
    std::unique_ptr<geos::geom::Point> p = internal::ToGeos(factory, g)->getInteriorPoint();
    if (p && !p->isEmpty()) return {p->getX(), p->getY()};
  } catch (const std::exception&) {
  }
  return g.points()[0];
}

// Per-thread state of the per-region phase.
struct RegionWorker {
  geos::geom::GeometryFactory::Ptr factory = geos::geom::GeometryFactory::create();
  internal::coverage::CheckScratch scratch;
  std::vector<std::pair<uint64_t, PolygonVerdict>> fresh;  // verdicts to add to the cache
  std::vector<size_t> cache_hits;                          // per level
};

// The parent code prefix a child code must start with (see CodeModel).
std::string SignificantPrefix(const CodeModel& model, std::string_view parent_level,
                              std::string_view parent_code) {
  if (std::optional<size_t> length = model.LengthFor(parent_level)) {
    return std::string(parent_code.substr(0, std::min(*length, parent_code.size())));
  }
  std::string prefix(parent_code);
  while (prefix.size() > 2 && prefix.ends_with("00")) prefix.resize(prefix.size() - 2);
  return prefix;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

class Validation {
 public:
  Validation(const Hierarchy& h, const CoverageOptions& options, internal::coverage::ValidityCache& cache)
      : h_(h), options_(options), cache_(cache), threads_(internal::coverage::ResolveThreads(options.threads)),
        locator_(h, prep_), factory_(geos::geom::GeometryFactory::create()) {}

  CoverageReport Run() {
    report_.levels.resize(h_.level_count());
    for (size_t l = 0; l < h_.level_count(); ++l) {
      report_.levels[l].name = h_.levels()[l].name;
      report_.levels[l].label = h_.levels()[l].label;
      report_.levels[l].region_count = h_.regions(l).size();
    }
    CheckRegions();
    CheckCodes();
    CheckSizeRules();
    CheckGroups();
    Finish();
    return std::move(report_);
  }

 private:
  Defect RegionDefect(RegionId r, DefectKind kind, Severity severity, std::string reason) const {
    Defect d;
    d.kind = kind;
    d.severity = severity;
    d.level = static_cast<uint32_t>(h_.level(r));
    d.parent = std::string(h_.parent_code(r));
    d.codes.emplace_back(h_.code(r));
    d.reason = std::move(reason);
    return d;
  }

  // Phase 1: per-region validity (cached), orientation and per-polygon policy rules.
  void CheckRegions() {
    const size_t n = h_.region_count();
    prep_.usable.assign(n, 0);
    prep_.valid.assign(n, 0);
    prep_.ring_offset.resize(n + 1);
    uint32_t rings = 0;
    for (RegionId r = 0; r < n; ++r) {
      prep_.ring_offset[r] = rings;
      rings += static_cast<uint32_t>(h_.geometry(r).ring_count());
    }
    prep_.ring_offset[n] = rings;
    prep_.reverse.assign(rings, 0);
    std::vector<RegionWorker> workers(static_cast<size_t>(threads_));
    for (RegionWorker& w : workers) w.cache_hits.assign(h_.level_count(), 0);
    std::vector<std::vector<Defect>> chunks((n + kRegionChunk - 1) / kRegionChunk);
    internal::coverage::ParallelFor(n, threads_, kRegionChunk, [&](size_t begin, size_t end, int worker) {
      RegionWorker& w = workers[static_cast<size_t>(worker)];
      std::vector<Defect>& out = chunks[begin / kRegionChunk];
      for (size_t i = begin; i < end; ++i) CheckRegion(static_cast<RegionId>(i), w, &out);
    });
    for (RegionWorker& w : workers) {
      for (auto& [hash, verdict] : w.fresh) cache_.Insert(hash, std::move(verdict));
      for (size_t l = 0; l < h_.level_count(); ++l) {
        report_.levels[l].validity_cache_hits += w.cache_hits[l];
      }
    }
    for (auto& chunk : chunks) {
      for (Defect& d : chunk) report_.defects.push_back(std::move(d));
    }
  }

  void CheckRegion(RegionId r, RegionWorker& w, std::vector<Defect>* out) {
    const MultiPolygonView g = h_.geometry(r);
    const uint64_t hash = internal::coverage::GeometryHash(g);
    PolygonVerdict verdict;
    if (const PolygonVerdict* cached = cache_.Find(hash)) {
      verdict = *cached;
      ++w.cache_hits[h_.level(r)];
    } else {
      verdict = internal::coverage::CheckPolygon(g, *w.factory, w.scratch);
      w.fresh.emplace_back(hash, verdict);
    }
    switch (verdict.kind) {
      case PolygonVerdict::Kind::kEmpty: {
        Defect d = RegionDefect(r, DefectKind::kEmptyGeometry, Severity::kError, "empty");
        internal::coverage::WriteMessage(h_, MessageFacts{}, &d);
        out->push_back(std::move(d));
        return;
      }
      case PolygonVerdict::Kind::kNonFinite:
      case PolygonVerdict::Kind::kInvalid: {
        Defect d = RegionDefect(r, DefectKind::kInvalidGeometry, Severity::kError, verdict.reason);
        if (IsFinite(verdict.location)) d.geometry.points.push_back(verdict.location);
        MessageFacts facts;
        facts.detail = verdict.detail;
        internal::coverage::WriteMessage(h_, facts, &d);
        out->push_back(std::move(d));
        if (verdict.kind == PolygonVerdict::Kind::kNonFinite) return;
        break;  // usable for the cancellation, but policy rules wait until it is valid
      }
      case PolygonVerdict::Kind::kValid:
        break;
    }
    prep_.usable[r] = 1;
    prep_.valid[r] = verdict.kind == PolygonVerdict::Kind::kValid ? 1 : 0;
    for (size_t p = 0; p < g.polygon_count(); ++p) {
      const PolygonView polygon = g.polygon(p);
      const size_t first = prep_.ring_offset[r] + (g.polygon_ends()[p] - polygon.ring_count());
      for (size_t k = 0; k < polygon.ring_count(); ++k) {
        prep_.reverse[first + k] = internal::coverage::NeedsReverse(polygon.ring(k), k == 0) ? 1 : 0;
      }
    }
    if (verdict.kind == PolygonVerdict::Kind::kValid) CheckPolicies(r, g, w, out);
  }

  void CheckPolicies(RegionId r, const MultiPolygonView& g, RegionWorker& w,
                     std::vector<Defect>* out) {
    const std::string& level_name = h_.levels()[h_.level(r)].name;
    if (g.polygon_count() > 1 &&
        std::find(options_.single_part_levels.begin(), options_.single_part_levels.end(),
                  level_name) != options_.single_part_levels.end()) {
      Defect d = RegionDefect(r, DefectKind::kInvalidGeometry, Severity::kWarning, "multipart");
      d.geometry.points.push_back(LabelPoint(*w.factory, g));
      MessageFacts facts;
      facts.count = g.polygon_count();
      internal::coverage::WriteMessage(h_, facts, &d);
      out->push_back(std::move(d));
    }
    const Box& box = h_.bounds(r);
    const double k = std::cos((box.min_y + box.max_y) * (3.14159265358979323846 / 360.0));
    if (options_.min_segment_m > 0) {
      const double limit = options_.min_segment_m / internal::coverage::kMetresPerDegree;
      const double limit2 = limit * limit;
      size_t count = 0;
      std::vector<std::vector<Point>> lines;
      for (size_t ri = 0; ri < g.ring_count(); ++ri) {
        const RingView ring = g.ring(ri);
        for (size_t i = 0; i + 1 < ring.size(); ++i) {
          const double dx = (ring[i + 1].x - ring[i].x) * k, dy = ring[i + 1].y - ring[i].y;
          const double d2 = dx * dx + dy * dy;
          if (d2 == 0 || d2 >= limit2) continue;
          ++count;
          if (lines.size() < kMaxListedSegments) lines.push_back({ring[i], ring[i + 1]});
        }
      }
      if (count > 0) {
        Defect d =
            RegionDefect(r, DefectKind::kInvalidGeometry, Severity::kWarning, "short_segment");
        d.geometry.lines = std::move(lines);
        MessageFacts facts;
        facts.count = count;
        facts.limit = options_.min_segment_m;
        internal::coverage::WriteMessage(h_, facts, &d);
        out->push_back(std::move(d));
      }
    }
    if (options_.min_area_m2 > 0) {
      double area2 = 0;  // twice the planar area in degrees², holes subtracted
      for (size_t p = 0; p < g.polygon_count(); ++p) {
        const PolygonView polygon = g.polygon(p);
        for (size_t ri = 0; ri < polygon.ring_count(); ++ri) {
          const double a = std::fabs(internal::coverage::SignedArea2(polygon.ring(ri)));
          area2 += ri == 0 ? a : -a;
        }
      }
      const double approx =
          area2 / 2 * k * internal::coverage::kMetresPerDegree * internal::coverage::kMetresPerDegree;
      if (approx < 2 * options_.min_area_m2) {
        const double area = AreaM2(g);
        if (area < options_.min_area_m2) {
          Defect d =
              RegionDefect(r, DefectKind::kSizeRule, Severity::kWarning, "area_below_minimum");
          d.area_m2 = area;
          d.geometry.points.push_back(LabelPoint(*w.factory, g));
          MessageFacts facts;
          facts.limit = options_.min_area_m2;
          internal::coverage::WriteMessage(h_, facts, &d);
          out->push_back(std::move(d));
        }
      }
    }
  }

  Point RegionPoint(RegionId r) const { return LabelPoint(*factory_, h_.geometry(r)); }

  // Phase 2: identity — duplicates, parents, the code model.
  void CheckCodes() {
    std::vector<std::pair<RegionId, RegionId>> duplicates;  // (first with the code, other)
    for (RegionId r = 0; r < h_.region_count(); ++r) {
      const RegionId first = h_.Find(h_.code(r));
      if (first != r) duplicates.emplace_back(first, r);
    }
    std::sort(duplicates.begin(), duplicates.end());
    for (size_t i = 0; i < duplicates.size();) {
      size_t j = i;
      Defect d = RegionDefect(duplicates[i].first, DefectKind::kDuplicateCode, Severity::kError,
                              "duplicate_code");
      d.parent.clear();
      if (prep_.usable[duplicates[i].first]) {
        d.geometry.points.push_back(RegionPoint(duplicates[i].first));
      }
      for (; j < duplicates.size() && duplicates[j].first == duplicates[i].first; ++j) {
        if (prep_.usable[duplicates[j].second]) {
          d.geometry.points.push_back(RegionPoint(duplicates[j].second));
        }
      }
      MessageFacts facts;
      facts.count = j - i + 1;
      internal::coverage::WriteMessage(h_, facts, &d);
      report_.defects.push_back(std::move(d));
      i = j;
    }

    const CodeModel& model = options_.code_model;
    for (size_t level = 0; level < h_.level_count(); ++level) {
      const std::string& name = h_.levels()[level].name;
      const bool parents_exist = level > 0 && h_.regions(level - 1).size() > 0;
      const size_t length = model.enabled ? model.LengthFor(name).value_or(0) : 0;
      for (RegionId r : h_.regions(level)) {
        const std::string_view code = h_.code(r);
        if (parents_exist && h_.parent(r) == kNoRegion) CheckMissingParent(r);
        if (!model.enabled) continue;
        if (length > 0 && code.size() != length) {
          Defect d = RegionDefect(r, DefectKind::kCodeMismatch, Severity::kWarning, "length");
          MessageFacts facts;
          facts.limit = static_cast<double>(length);
          internal::coverage::WriteMessage(h_, facts, &d);
          report_.defects.push_back(std::move(d));
        }
        if (length > 0 && model.digits_only && !AllDigits(code)) {
          Defect d = RegionDefect(r, DefectKind::kCodeMismatch, Severity::kWarning, "non_digit");
          internal::coverage::WriteMessage(h_, MessageFacts{}, &d);
          report_.defects.push_back(std::move(d));
        }
        const RegionId parent = h_.parent(r);
        if (model.check_prefix && parent != kNoRegion) {
          const std::string prefix =
              SignificantPrefix(model, h_.levels()[level - 1].name, h_.code(parent));
          if (!code.starts_with(prefix)) {
            Defect d = RegionDefect(r, DefectKind::kCodeMismatch, Severity::kWarning, "prefix");
            MessageFacts facts;
            facts.detail = prefix;
            internal::coverage::WriteMessage(h_, facts, &d);
            report_.defects.push_back(std::move(d));
          }
        }
      }
    }
  }

  void CheckMissingParent(RegionId r) {
    const std::string_view declared = h_.parent_code(r);
    std::string reason = "parent_not_found";
    if (declared.empty()) {
      reason = "no_parent";
    } else if (h_.Find(declared) != kNoRegion) {
      reason = "parent_wrong_level";
    }
    Defect d = RegionDefect(r, DefectKind::kMissingParent, Severity::kError, reason);
    MessageFacts facts;
    if (prep_.usable[r]) {
      const Point q = RegionPoint(r);
      d.geometry.points.push_back(q);
      const std::vector<RegionId> found = locator_.Find(h_.level(r) - 1, q);
      if (!found.empty()) facts.spatial_parent = std::string(h_.code(found[0]));
    }
    internal::coverage::WriteMessage(h_, facts, &d);
    report_.defects.push_back(std::move(d));
  }

  // Phase 3: attribute size rules.
  void CheckSizeRules() {
    for (const SizeRule& rule : options_.size_rules) {
      const std::optional<size_t> level = h_.FindLevel(rule.level);
      if (!level || rule.attributes.empty()) continue;
      const std::string token = rule.attributes[0];
      for (RegionId r : h_.regions(*level)) {
        std::optional<std::string_view> value;
        for (const std::string& attribute : rule.attributes) {
          value = h_.attribute(r, attribute);
          if (value && !Trim(*value).empty()) break;
          value.reset();
        }
        if (!value) continue;
        const std::string_view text = Trim(*value);
        double number = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        MessageFacts facts;
        facts.detail = std::string(text);
        facts.what = rule.what.empty() ? token : rule.what;
        std::string reason;
        if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(number)) {
          reason = token + "_not_a_number";
        } else if (rule.max && number > *rule.max) {
          reason = token + "_above_max";
          facts.limit = *rule.max;
        } else if (rule.min && number < *rule.min) {
          reason = token + "_below_min";
          facts.limit = *rule.min;
        } else {
          continue;
        }
        Defect d = RegionDefect(r, DefectKind::kSizeRule, Severity::kWarning, reason);
        if (prep_.usable[r]) d.geometry.points.push_back(RegionPoint(r));
        internal::coverage::WriteMessage(h_, facts, &d);
        report_.defects.push_back(std::move(d));
      }
    }
  }

  // Phase 4: every parent group against its children, in parallel.
  void CheckGroups() {
    std::vector<RegionId> parents;
    for (size_t level = 1; level < h_.level_count(); ++level) {
      if (h_.regions(level).size() == 0) continue;  // an absent level: nothing to tile with
      for (RegionId p : h_.regions(level - 1)) {
        if (prep_.usable[p]) parents.push_back(p);
      }
    }
    std::vector<internal::coverage::GroupOutcome> outcomes(parents.size());
    std::vector<std::unique_ptr<internal::coverage::GroupChecker>> checkers(static_cast<size_t>(threads_));
    internal::coverage::ParallelFor(parents.size(), threads_, 8, [&](size_t begin, size_t end, int worker) {
      auto& checker = checkers[static_cast<size_t>(worker)];
      if (!checker) {
        checker = std::make_unique<internal::coverage::GroupChecker>(h_, prep_, options_, locator_);
      }
      for (size_t i = begin; i < end; ++i) outcomes[i] = checker->Check(parents[i]);
    });
    for (size_t i = 0; i < parents.size(); ++i) {
      LevelCoverage& level = report_.levels[h_.level(parents[i]) + 1];
      ++level.group_count;
      if (outcomes[i].dirty) ++level.dirty_group_count;
      level.segment_count += outcomes[i].segment_count;
      level.residual_segment_count += outcomes[i].residual_count;
      for (Defect& d : outcomes[i].defects) report_.defects.push_back(std::move(d));
    }
    // Lobes of self-crossing regions join their invalid_geometry defects.
    std::map<std::string, Defect*> invalid;
    for (Defect& d : report_.defects) {
      if (d.kind == DefectKind::kInvalidGeometry && d.severity == Severity::kError &&
          d.codes.size() == 1) {
        invalid.emplace(d.codes[0], &d);
      }
    }
    for (internal::coverage::GroupOutcome& outcome : outcomes) {
      for (internal::coverage::InvalidArea& lobe : outcome.invalid_areas) {
        auto it = invalid.find(std::string(h_.code(lobe.region)));
        if (it == invalid.end()) continue;
        Defect& d = *it->second;
        d.area_m2 += lobe.area_m2;
        const MultiPolygonView v = lobe.polygons.view();
        for (size_t p = 0; p < v.polygon_count(); ++p) {
          const PolygonView polygon = v.polygon(p);
          for (size_t k = 0; k < polygon.ring_count(); ++k) {
            d.geometry.polygons.AddRing(polygon.ring(k), k == 0);
          }
        }
      }
    }
  }

  void Finish() {
    for (const Defect& d : report_.defects) {
      if (IsTopological(d.kind) && d.severity != Severity::kWarning && d.level < h_.level_count()) {
        report_.levels[d.level].seamless = false;
      }
    }
    for (size_t level = 1; level < h_.level_count(); ++level) {
      if (h_.regions(level).size() > 0 && h_.regions(level - 1).size() == 0) {
        report_.levels[level].seamless = false;  // nothing to check against
      }
    }
    std::stable_sort(report_.defects.begin(), report_.defects.end(),
                     [](const Defect& a, const Defect& b) {
                       if (a.severity != b.severity) return a.severity < b.severity;
                       if (a.level != b.level) return a.level < b.level;
                       if (a.kind != b.kind) return a.kind < b.kind;
                       if (a.parent != b.parent) return a.parent < b.parent;
                       if (a.codes != b.codes) return a.codes < b.codes;
                       if (a.reason != b.reason) return a.reason < b.reason;
                       return a.area_m2 > b.area_m2;
                     });
  }

  const Hierarchy& h_;
  const CoverageOptions& options_;
  internal::coverage::ValidityCache& cache_;
  const int threads_;
  RegionPrep prep_;
  internal::coverage::RegionLocator locator_;
  geos::geom::GeometryFactory::Ptr factory_;
  CoverageReport report_;
};

}  // namespace

CoverageValidator::CoverageValidator(CoverageOptions options)
    : options_(std::move(options)), cache_(std::make_unique<internal::coverage::ValidityCache>()) {}
CoverageValidator::~CoverageValidator() = default;
CoverageValidator::CoverageValidator(CoverageValidator&&) noexcept = default;
CoverageValidator& CoverageValidator::operator=(CoverageValidator&&) noexcept = default;

CoverageReport CoverageValidator::Validate(const Hierarchy& hierarchy) {
  return Validation(hierarchy, options_, *cache_).Run();
}

size_t CoverageValidator::cached_polygon_count() const { return cache_->size(); }

CoverageReport ValidateCoverage(const Hierarchy& hierarchy, const CoverageOptions& options) {
  CoverageValidator validator(options);
  return validator.Validate(hierarchy);
}

}  // namespace wangge
