// `wangge inspect DATASET [--all | --max-issues N]`: loads a dataset and prints its levels (with
// their sources, CRS, encoding and counts), the extent in lon/lat and the load issues.
// Exit 0 if no issue is an error, 1 otherwise; 3 if the dataset cannot be read at all.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "cli/command.h"
#include "wangge/load/dataset.h"

namespace wangge::cli {
namespace {

// Returns the number of terminal columns `s` (UTF-8) takes: 2 for wide (CJK) characters.
size_t DisplayWidth(std::string_view s) {
  size_t width = 0;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    uint32_t cp = b;
    if (n > 1 && i + n <= s.size()) {
      cp = b & (0x7Fu >> n);
      for (size_t k = 1; k < n; ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
      }
    }
    width += (cp >= 0x1100 &&
              (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
               (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
               (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000))
                 ? 2
                 : 1;
    i += n;
  }
  return width;
}

std::string PadRight(std::string_view s, size_t width) {
  const size_t w = DisplayWidth(s);
  return std::string(s) + std::string(w < width ? width - w : 0, ' ');
}

std::string PadLeft(const std::string& s, size_t width) {
  return std::string(s.size() < width ? width - s.size() : 0, ' ') + s;
}

std::string Degrees(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6f", v);
  return buffer;
}

class InspectCommand : public Command {
 public:
  std::string_view name() const override { return "inspect"; }
  std::string_view summary() const override {
    return "Load a dataset and print its levels, counts, extent, CRS and load issues";
  }

  void Setup(CLI::App& app) override {
    app.add_option("DATASET", dataset_,
                   "GeoPackage, folder of GeoJSON/Shapefile/FlatGeobuf files, or YAML manifest")
        ->required();
    app.add_option("--max-issues", max_issues_, "How many issues to list")
        ->default_val(20)
        ->check(CLI::NonNegativeNumber);
    app.add_flag("--all", all_, "List every issue");
  }

  Result<Outcome> Run() override {
    Result<Dataset> loaded = LoadDataset(dataset_);
    if (!loaded.ok()) return loaded.status();
    const Dataset& d = *loaded;
    const Hierarchy& h = d.hierarchy;
    std::ostream& out = std::cout;

    out << "dataset  " << d.source << "\n";
    out << "levels   " << h.level_count() << ", " << h.region_count() << " regions\n";
    size_t name_width = 5, label_width = 5;
    for (const Level& level : h.levels()) {
      name_width = std::max(name_width, DisplayWidth(level.name));
      label_width = std::max(label_width, DisplayWidth(level.label));
    }
    out << "  " << PadRight("level", name_width) << "  " << PadRight("label", label_width) << "  "
        << PadLeft("features", 9) << "  " << PadLeft("loaded", 9) << "  source\n";
    for (size_t i = 0; i < h.level_count(); ++i) {
      const Level& level = h.levels()[i];
      const LayerInfo& info = d.layers[i];
      out << "  " << PadRight(level.name, name_width) << "  " << PadRight(level.label, label_width)
          << "  " << PadLeft(std::to_string(info.feature_count), 9) << "  "
          << PadLeft(std::to_string(info.loaded_count), 9) << "  " << info.file << " layer "
          << info.layer << " (" << info.driver << ")\n";
      out << "  " << std::string(name_width + label_width + 26, ' ') << "CRS " << info.crs
          << ", encoding " << info.encoding << "\n";
    }
    const Box& box = h.bounds();
    out << "extent   ";
    if (box.empty()) {
      out << "none\n";
    } else {
      out << "lon " << Degrees(box.min_x) << " .. " << Degrees(box.max_x) << ", lat "
          << Degrees(box.min_y) << " .. " << Degrees(box.max_y) << " (EPSG:4490)\n";
    }
    out << "issues   " << d.error_count() << " errors, " << d.warning_count() << " warnings\n";
    const size_t shown = all_ ? d.issues.size() : std::min(d.issues.size(), max_issues_);
    for (size_t i = 0; i < shown; ++i) out << "  " << d.issues[i].ToString() << "\n";
    if (shown < d.issues.size()) {
      out << "  ... " << d.issues.size() - shown << " more (--all lists every issue)\n";
    }
    return d.error_count() == 0 ? Outcome::kOk : Outcome::kFindings;
  }

 private:
  std::string dataset_;
  size_t max_issues_ = 20;
  bool all_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeInspectCommand() { return std::make_unique<InspectCommand>(); }

}  // namespace wangge::cli
