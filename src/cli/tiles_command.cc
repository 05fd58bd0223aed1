// wangge tiles DATASET --zoom MIN-MAX --output FILE.mbtiles [--threads N] [--level-zoom
// LEVEL=MIN[-MAX]] Writes an offline tile package (MBTiles) of the dataset: one layer per level in
// its zoom range, plus labels; see wangge/tiles/mbtiles.h.
#include <charconv>
#include <iostream>

#include "cli/command.h"
#include "wangge/load/dataset.h"
#include "wangge/tiles/mbtiles.h"
#include "wangge/tiles/tile_source.h"

namespace wangge::cli {
namespace {

// Parses "8-16" (or "12": one zoom) into [min, max].
Result<std::pair<uint32_t, uint32_t>> ParseZoomRange(std::string_view text, std::string_view what) {
  auto number = [](std::string_view s, uint32_t* out) {
    auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return error == std::errc() && end == s.data() + s.size() && !s.empty();
  };
  const size_t dash = text.find('-');
  uint32_t lo = 0, hi = 0;
  const bool ok = dash == std::string_view::npos
                      ? number(text, &lo) && (hi = lo, true)
                      : number(text.substr(0, dash), &lo) && number(text.substr(dash + 1), &hi);
  if (!ok || lo > hi || hi > kMaxTileZoom) {
    return Status::InvalidArgument(
        std::string(what) + " '" + std::string(text) +
        "' is not MIN-MAX with 0 <= MIN <= MAX <= " + std::to_string(kMaxTileZoom));
  }
  return std::pair(lo, hi);
}

class TilesCommand : public Command {
 public:
  std::string_view name() const override { return "tiles"; }
  std::string_view summary() const override {
    return "Write an offline vector tile package (MBTiles)";
  }

  void Setup(CLI::App& app) override {
    app.add_option("dataset", dataset_, "GeoPackage, folder or YAML manifest")->required();
    app.add_option("--zoom", zoom_, "Zoom levels to render, MIN-MAX")->capture_default_str();
    app.add_option("--output", output_, "The .mbtiles file to write (replaced if it exists)")
        ->required();
    app.add_option("--threads", threads_, "Rendering threads (0 = one per core)")
        ->capture_default_str();
    app.add_option("--level-zoom", level_zooms_,
                   "Zoom range of a level's layer, LEVEL=MIN[-MAX] (repeatable; defaults: city 0, "
                   "district 8, town 10, community 11, grid 13, unit 15)");
  }

  Result<Outcome> Run() override {
    Result<std::pair<uint32_t, uint32_t>> zoom = ParseZoomRange(zoom_, "--zoom");
    if (!zoom.ok()) return zoom.status();
    TileSourceOptions options;
    for (const std::string& spec : level_zooms_) {
      const size_t eq = spec.find('=');
      if (eq == std::string::npos) {
        return Status::InvalidArgument("--level-zoom '" + spec + "' is not LEVEL=MIN[-MAX]");
      }
      std::string range = spec.substr(eq + 1);
      if (range.find('-') == std::string::npos) range += "-" + std::to_string(kMaxTileZoom);
      Result<std::pair<uint32_t, uint32_t>> r = ParseZoomRange(range, "--level-zoom");
      if (!r.ok()) return r.status();
      options.zoom_ranges[spec.substr(0, eq)] = {r->first, r->second};
    }
    options.min_zoom = zoom->first;
    options.max_zoom = zoom->second;

    Result<Dataset> dataset = LoadDataset(dataset_);
    if (!dataset.ok()) return dataset.status();
    for (const LoadIssue& issue : dataset->issues) std::cerr << issue.ToString() << "\n";
    Result<TileSource> tiles = TileSource::Build(dataset->hierarchy, options);
    if (!tiles.ok()) return tiles.status();
    for (const std::string& note : tiles->notes())
      std::cerr << "wangge tiles: note: " << note << "\n";

    MbtilesOptions mbtiles{.min_zoom = zoom->first, .max_zoom = zoom->second, .threads = threads_};
    mbtiles.on_zoom_done = [](uint32_t z, uint64_t written) {
      std::cerr << "wangge tiles: zoom " << z << ": " << written << " tiles\n";
    };
    Result<MbtilesStats> stats = WriteMbtiles(*tiles, output_, mbtiles);
    if (!stats.ok()) return stats.status();
    std::cout << "wrote " << output_ << ": " << stats->tiles_written << " tiles (zoom "
              << zoom->first << "-" << zoom->second << ", " << stats->tiles_rendered
              << " rendered, " << stats->stored_bytes << " bytes gzip, " << stats->mvt_bytes
              << " bytes MVT) in " << stats->seconds << " s\n";
    return Outcome::kOk;
  }

 private:
  std::string dataset_;
  std::string zoom_ = "8-16";
  std::string output_;
  size_t threads_ = 0;
  std::vector<std::string> level_zooms_;
};

}  // namespace

std::unique_ptr<Command> MakeTilesCommand() { return std::make_unique<TilesCommand>(); }

}  // namespace wangge::cli
