#include "wangge/coverage/coverage_options.h"

namespace wangge {

std::optional<size_t> CodeModel::LengthFor(std::string_view level) const {
  for (const LevelLength& entry : lengths) {
    if (entry.level == level) {
      if (entry.length == 0) return std::nullopt;
      return entry.length;
    }
  }
  return std::nullopt;
}

void CodeModel::SetLength(std::string_view level, size_t length) {
  for (LevelLength& entry : lengths) {
    if (entry.level == level) {
      entry.length = length;
      return;
    }
  }
  lengths.push_back({std::string(level), length});
}

void CodeModel::unit_suffix_digits(size_t digits) {
  SetLength("unit", LengthFor("grid").value_or(15) + digits);
}

std::vector<SizeRule> DefaultSizeRules() {
  const std::vector<std::string> households = {"households", "户数", "hushu"};
  return {
      {.level = "grid", .attributes = households, .max = 500, .what = "户数 households"},
      {.level = "micro_grid", .attributes = households, .min = 50, .max = 80,
       .what = "户数 households"},
  };
}

}  // namespace wangge
