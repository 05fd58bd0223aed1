// `wangge synth --districts FILE --output FILE.gpkg [--scale putian|small] [--seed N]
// [--defects N]`: builds a synthetic six-level hierarchy inside real district outlines
// (wangge/synth/synth.h) and writes it as a GeoPackage; with --defects, also the truth about the
// injected defects to `<output>.defects.json`. Prints what it built.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "wangge/load/dataset_writer.h"
#include "wangge/synth/synth.h"

namespace wangge::cli {
namespace {

std::string Fixed(double v, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, v);
  return buffer;
}

class SynthCommand : public Command {
 public:
  std::string_view name() const override { return "synth"; }
  std::string_view summary() const override {
    return "Build a realistic synthetic hierarchy inside real district outlines";
  }

  void Setup(CLI::App& app) override {
    app.add_option("--districts", districts_,
                   "District outlines (e.g. data/putian/districts.geojson)")
        ->required();
    app.add_option("--output", output_, "GeoPackage to write")->required();
    app.add_option("--scale", scale_, "putian (134,753 units) or small (3,000 units)")
        ->default_val("putian");
    app.add_option("--seed", seed_, "Random seed; the same seed gives the same hierarchy")
        ->default_val(1);
    app.add_option("--defects", defects_,
                   "Inject N defects of every kind; truth in <output>.defects.json")
        ->default_val(0)
        ->check(CLI::NonNegativeNumber);
  }

  Result<Outcome> Run() override {
    Result<SynthScale> scale = SynthScale::Named(scale_);
    if (!scale.ok()) return scale.status();
    SynthOptions options;
    options.districts_path = districts_;
    options.scale = std::move(scale).value();
    options.seed = seed_;
    options.defects_per_kind = defects_;
    Result<SynthResult> r = Synthesize(options);
    if (!r.ok()) return r.status();
    const auto write_start = std::chrono::steady_clock::now();
    Status written = WriteGeoPackage(r->hierarchy, output_);
    if (!written.ok()) return written;
    const std::string truth_path = output_ + ".defects.json";
    if (defects_ > 0) {
      Status s = WriteDefectTruth(r->defects, truth_path);
      if (!s.ok()) return s;
    }
    const double write_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count();

    std::ostream& out = std::cout;
    const Hierarchy& h = r->hierarchy;
    const DistrictCleaning& c = r->cleaning;
    out << "districts  " << districts_ << ": " << c.faces << " faces, " << c.overlap_faces
        << " overlaps (" << Fixed(c.overlap_area_m2, 0) << " m²), " << c.gap_faces << " gaps ("
        << Fixed(c.gap_area_m2, 0) << " m²) resolved, " << c.exclaves_absorbed
        << " exclaves absorbed\n";
    out << "scale      " << options.scale.name << ", seed " << seed_ << "\n";
    for (size_t level = 0; level < h.level_count(); ++level) {
      out << "  " << h.levels()[level].name << std::string(11 - h.levels()[level].name.size(), ' ')
          << h.regions(level).size() << "\n";
    }
    if (defects_ > 0) out << "defects    " << r->defects.size() << " → " << truth_path << "\n";
    out << "output     " << output_ << "\n";
    out << "time       " << Fixed(r->stats.seconds, 1) << " s to build, " << Fixed(write_seconds, 1)
        << " s to write\n";
    return Outcome::kOk;
  }

 private:
  std::string districts_;
  std::string output_;
  std::string scale_ = "putian";
  uint64_t seed_ = 1;
  size_t defects_ = 0;
};

}  // namespace

std::unique_ptr<Command> MakeSynthCommand() { return std::make_unique<SynthCommand>(); }

}  // namespace wangge::cli
