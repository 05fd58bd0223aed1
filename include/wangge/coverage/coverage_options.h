// CoverageOptions: what the coverage check enforces and how it grades findings.
//
//   CoverageOptions options;                    // DESIGN.md defaults
//   options.sliver_width_m = 0.1;
//   options.code_model.unit_suffix_digits(4);    // units are grid code + 4 digits
//   CoverageReport r = ValidateCoverage(hierarchy, options);
//
// Tolerances only grade: a gap or overlap narrower than sliver_width_m is still reported, as a
// sliver (wangge/coverage/defect.h). Policy rules (code model, size rules, multipart, minimum area
// and segment length) produce warnings, because real data legitimately breaks some of them.
//
// Thread safety: plain values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wangge {

// The code model (DESIGN.md "Region identity"): code length per level and the prefix rule.
// Lengths are keyed by level name; a level without an entry, or with length 0, is unconstrained.
// Default: district 6 (GB/T 2260), town 9, community 12 (统计用区划代码), grid 15, unit 15 + 3;
// city unconstrained.
//
// Prefix rule: a child's code starts with its parent's significant prefix, which is the parent's
// first `length(parent level)` characters (so a town given NBS-padded as 350302001000 has prefix
// 350302001). For an unconstrained parent level it is the parent code without trailing "00" pairs
// (3503 and 350300000000 both give 3503).
struct CodeModel {
  struct LevelLength {
    std::string level;
    size_t length = 0;  // 0: any length
  };

  bool enabled = true;
  bool digits_only = true;   // codes of constrained levels consist of ASCII digits
  bool check_prefix = true;
  std::vector<LevelLength> lengths = {{"city", 0},       {"district", 6}, {"town", 9},
                                      {"community", 12}, {"grid", 15},    {"unit", 18}};

  // Returns the required length of codes of `level`, or nullopt if unconstrained.
  std::optional<size_t> LengthFor(std::string_view level) const;
  // Sets the length of `level` (adds an entry if needed).
  void SetLength(std::string_view level, size_t length);
  // Sets the unit code length to the grid length + `digits` (DESIGN.md: unit 15 + N).
  void unit_suffix_digits(size_t digits);
};

// A size rule on a numeric attribute, applied only where the level has one of the attributes and
// the value is not empty. A value that is not a number is reported too.
struct SizeRule {
  std::string level;                    // level name, e.g. "grid"
  std::vector<std::string> attributes;  // attribute names tried in order, e.g. households, 户数
  std::optional<double> min;
  std::optional<double> max;
  std::string what;  // for messages, e.g. "户数 households"
};

// Returns the DESIGN.md defaults: households per grid ≤ 500; per micro-grid 50–80.
std::vector<SizeRule> DefaultSizeRules();

struct CoverageOptions {
  // Gaps and overlaps narrower than this (2 × maximum inscribed circle radius) are slivers.
  double sliver_width_m = 0.05;
  // Regions smaller than this are reported (size_rule, warning). 0 disables.
  double min_area_m2 = 1.0;
  // Segments shorter than this are reported (invalid_geometry "short_segment", warning). 0 disables.
  double min_segment_m = 0.001;
  CodeModel code_model;
  std::vector<SizeRule> size_rules = DefaultSizeRules();
  // Levels (by name) whose regions must be single polygons; multipart is a warning there.
  std::vector<std::string> single_part_levels = {"unit"};
  // Worker threads; 0 means one per hardware thread.
  int threads = 0;
};

}  // namespace wangge
