// `wangge check DATASET [--format text|json|geojson] [--output FILE] [--derive-parents]`: loads a
// dataset and runs the seamless-coverage check over all levels (wangge/coverage).
//
// Exit codes: 0 when the data is clean — no defect of severity error or sliver, and no feature
// the loader had to drop; warnings (code model, size rules, multipart, short segments) do not
// count unless --strict. 1 when defects were found. 2 usage, 3 the dataset cannot be read.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "wangge/coverage/coverage_validator.h"
#include "wangge/coverage/derive_parents.h"
#include "wangge/coverage/report_format.h"
#include "wangge/load/dataset.h"

namespace wangge::cli {
namespace {

class CheckCommand : public Command {
 public:
  std::string_view name() const override { return "check"; }
  std::string_view summary() const override {
    return "Check that every level tiles its parents seamlessly; report every defect";
  }

  void Setup(CLI::App& app) override {
    app.add_option("DATASET", dataset_,
                   "GeoPackage, folder of GeoJSON/Shapefile/FlatGeobuf files, or YAML manifest")
        ->required();
    app.add_option("--format", format_, "Report format")
        ->default_val("text")
        ->check(CLI::IsMember({"text", "json", "geojson"}));
    app.add_option("--output", output_, "Write the report to FILE instead of standard output");
    app.add_flag("--derive-parents", derive_parents_,
                 "Build missing upper levels from the finer ones by coverage union first");
    app.add_option("--sliver-width", sliver_width_m_,
                   "Gaps and overlaps narrower than this many metres are slivers")
        ->default_val(0.05)
        ->check(CLI::PositiveNumber);
    app.add_option("--unit-digits", unit_digits_,
                   "Digits a unit code adds to its grid code (code model: unit = 15 + N)")
        ->default_val(3);
    app.add_flag("--no-code-model", no_code_model_, "Do not check code lengths and prefixes");
    app.add_option("--threads", threads_, "Worker threads (0: one per core)")
        ->default_val(0)
        ->check(CLI::NonNegativeNumber);
    app.add_option("--max-listed", max_listed_, "Defects listed in the text report")
        ->default_val(20)
        ->check(CLI::NonNegativeNumber);
    app.add_flag("--strict", strict_, "Exit 1 on warnings too");
  }

  Result<Outcome> Run() override {
    Result<Dataset> loaded = LoadDataset(dataset_);
    if (!loaded.ok()) return loaded.status();
    Dataset& dataset = *loaded;
    const size_t load_errors = dataset.error_count();
    if (!dataset.issues.empty()) {
      std::cerr << "load: " << load_errors << " errors (features not loaded), "
                << dataset.warning_count() << " warnings; run `wangge inspect` for the list\n";
    }
    CoverageOptions options;
    options.sliver_width_m = sliver_width_m_;
    options.threads = threads_;
    options.code_model.enabled = !no_code_model_;
    options.code_model.unit_suffix_digits(unit_digits_);

    const Hierarchy* checked = &dataset.hierarchy;
    Hierarchy derived;
    if (derive_parents_) {
      DeriveOptions derive;
      derive.code_model = options.code_model;
      std::vector<std::string> notes;
      Result<Hierarchy> result = DeriveParents(dataset.hierarchy, derive, &notes);
      if (!result.ok()) return result.status().WithContext("--derive-parents");
      for (const std::string& note : notes) std::cerr << "derive-parents: " << note << "\n";
      derived = std::move(result).value();
      checked = &derived;
    }
    const CoverageReport report = ValidateCoverage(*checked, options);

    std::string text;
    if (format_ == "json") {
      text = FormatReportJson(report);
    } else if (format_ == "geojson") {
      text = FormatReportGeoJson(report);
    } else {
      text = FormatReportText(report, max_listed_);
    }
    if (Status s = WriteOutput(output_, text); !s.ok()) return s;
    const bool findings =
        !report.clean() || load_errors > 0 || (strict_ && !report.defects.empty());
    return findings ? Outcome::kFindings : Outcome::kOk;
  }

 private:
  std::string dataset_;
  std::string format_ = "text";
  std::string output_;
  bool derive_parents_ = false;
  double sliver_width_m_ = 0.05;
  size_t unit_digits_ = 3;
  bool no_code_model_ = false;
  int threads_ = 0;
  size_t max_listed_ = 20;
  bool strict_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeCheckCommand() { return std::make_unique<CheckCommand>(); }

}  // namespace wangge::cli
