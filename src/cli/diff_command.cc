// `wangge diff OLD NEW [--points FILE.csv] [--format text|json|geojson] [--output FILE]`: what
// changes from dataset OLD to dataset NEW (any LoadDataset source), region by region — removed,
// added, renamed, reshaped (areas and the changed geometry), modified — and, with --points (CSV
// id,lon,lat; a header line is skipped), which points change unit, grid or any other level.
// Rules and JSON/GeoJSON layout: wangge/store/version_diff.h, docs/versions.md.
//
// Exit codes: 0 no differences, 1 differences, 2 usage, 3 a dataset or the points cannot be read.
#include <charconv>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "wangge/load/dataset.h"
#include "wangge/locate/point_index.h"
#include "wangge/store/diff_format.h"
#include "wangge/store/version_diff.h"

namespace wangge::cli {
namespace {

bool ParseDouble(std::string_view text, double* out) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '"')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '"' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Reads id,lon,lat lines; a first line whose lon/lat are not numbers is a header.
Status ReadPoints(const std::string& path, std::vector<std::string>* ids,
                  std::vector<Point>* points) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": cannot open");
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t c1 = line.find(',');
    const size_t c2 = c1 == std::string::npos ? c1 : line.find(',', c1 + 1);
    double lon = 0, lat = 0;
    const bool ok = c2 != std::string::npos &&
                    ParseDouble(std::string_view(line).substr(c1 + 1, c2 - c1 - 1), &lon) &&
                    ParseDouble(std::string_view(line).substr(c2 + 1), &lat);
    if (!ok) {
      if (number == 1) continue;  // header
      return Status::DataError(path + " line " + std::to_string(number) + ": expected id,lon,lat");
    }
    ids->push_back(line.substr(0, c1));
    points->push_back({lon, lat});
  }
  return Status::Ok();
}

class DiffCommand : public Command {
 public:
  std::string_view name() const override { return "diff"; }
  std::string_view summary() const override {
    return "Compare two datasets: regions added, removed, renamed, reshaped; points that move";
  }

  void Setup(CLI::App& app) override {
    app.add_option("OLD", old_, "The dataset before (e.g. the live version)")->required();
    app.add_option("NEW", new_, "The dataset after (e.g. a draft)")->required();
    app.add_option("--points", points_, "CSV id,lon,lat: report points whose region changes");
    app.add_option("--format", format_, "Output format")
        ->default_val("text")
        ->check(CLI::IsMember({"text", "json", "geojson"}));
    app.add_option("--output", output_, "Write to FILE instead of standard output");
    app.add_option("--max-listed", max_listed_, "Changes listed in the text format")
        ->default_val(20)
        ->check(CLI::NonNegativeNumber);
  }

  Result<Outcome> Run() override {
    Result<Dataset> before = LoadDataset(old_);
    if (!before.ok()) return before.status();
    Result<Dataset> after = LoadDataset(new_);
    if (!after.ok()) return after.status();
    VersionDiff diff = DiffHierarchies(before->hierarchy, after->hierarchy);
    if (!points_.empty()) {
      std::vector<std::string> ids;
      std::vector<Point> points;
      if (Status s = ReadPoints(points_, &ids, &points); !s.ok()) return s;
      Result<PointIndex> bi = PointIndex::Build(before->hierarchy);
      if (!bi.ok()) return bi.status().WithContext(old_);
      Result<PointIndex> ai = PointIndex::Build(after->hierarchy);
      if (!ai.ok()) return ai.status().WithContext(new_);
      diff.points_checked = points.size();
      diff.points = DiffLocations(*bi, *ai, points, ids);
    }
    std::string text;
    if (format_ == "json") {
      text = FormatDiffJson(diff);
    } else if (format_ == "geojson") {
      text = FormatDiffGeoJson(diff);
    } else {
      text = FormatDiffText(diff, max_listed_);
    }
    if (Status s = WriteOutput(output_, text); !s.ok()) return s;
    return diff.empty() ? Outcome::kOk : Outcome::kFindings;
  }

 private:
  std::string old_;
  std::string new_;
  std::string points_;
  std::string format_ = "text";
  std::string output_;
  size_t max_listed_ = 20;
};

}  // namespace

std::unique_ptr<Command> MakeDiffCommand() { return std::make_unique<DiffCommand>(); }

}  // namespace wangge::cli
