#include "wangge/coverage/coverage_report.h"

namespace wangge {

size_t CoverageReport::count(Severity severity) const {
  size_t n = 0;
  for (const Defect& d : defects) n += d.severity == severity ? 1 : 0;
  return n;
}

std::vector<std::array<size_t, kDefectKindCount>> CoverageReport::CountByLevelAndKind() const {
  std::vector<std::array<size_t, kDefectKindCount>> counts(levels.size());
  for (auto& row : counts) row.fill(0);
  for (const Defect& d : defects) {
    if (d.level >= counts.size()) counts.resize(d.level + 1, {});
    ++counts[d.level][static_cast<size_t>(d.kind)];
  }
  return counts;
}

}  // namespace wangge
