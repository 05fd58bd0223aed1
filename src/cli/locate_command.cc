// `wangge locate DATASET [--input FILE|-] [--output FILE|-] [--crs NAME] [--max-distance M]
//                        [--threads N]`
// Reads CSV with a header naming the columns id, lon and lat (other columns are ignored), and
// writes CSV
//   id,status,on_boundary,<one column per level, named after it>[,distance_m]
// status is inside, boundary, gap or outside (see wangge/locate/point_index.h for the boundary
// rule); on_boundary is true or false; each level column holds the code of the region at that
// level (empty where none). With --max-distance M, a point no unit owns is assigned to the nearest
// unit within M metres: the level columns then hold that unit and its ancestors, the status stays
// gap or outside, and distance_m holds the distance (0 for located points, empty when nothing is
// near enough).
//
// Streams in chunks of 65,536 lines through PointIndex::LocateBatch, in constant memory whatever
// the input's length; `-` (the default) is stdin / stdout. One record per line; fields may be
// quoted ("a,b" and "" as in RFC 4180). A bad line (wrong field count, unterminated quote, a
// coordinate that is not a number, not finite, out of range, or not convertible from --crs) is
// reported on stderr with its line number and skipped; the rest is processed. Blank lines are
// skipped. Exit 0 if every point was assigned a unit, 1 if a line was bad or a point was left in
// a gap or outside (DESIGN.md), 2 for usage errors (bad --crs), 3 if the dataset or the input
// cannot be read.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"
#include "wangge/base/parse_double.h"
#include "wangge/crs/input_crs.h"
#include "wangge/load/dataset.h"
#include "wangge/locate/location_csv.h"
#include "wangge/locate/point_index.h"

namespace wangge::cli {
namespace {

constexpr size_t kChunkLines = 65536;
constexpr size_t kMaxReportedBadLines = 100;

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr && f != stdin && f != stdout) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Splits a stream into lines (without the line break; a trailing '\r' is dropped), reading in
// blocks so that memory stays constant whatever the file's length.
class LineReader {
 public:
  explicit LineReader(std::FILE* file) : file_(file), buffer_(1 << 20) {}

  // Returns false at the end of the input; `line` stays valid until the next call.
  bool Next(std::string_view& line) {
    for (;;) {
      const char* begin = buffer_.data() + start_;
      const void* newline = std::memchr(begin, '\n', end_ - start_);
      if (newline != nullptr) {
        const size_t length = static_cast<size_t>(static_cast<const char*>(newline) - begin);
        line = Trimmed(std::string_view(begin, length));
        start_ += length + 1;
        return true;
      }
      if (eof_) {
        if (start_ == end_) return false;
        line = Trimmed(std::string_view(begin, end_ - start_));
        start_ = end_;
        return true;
      }
      // Move the partial line to the front, grow for a line longer than the buffer, read more.
      std::memmove(buffer_.data(), begin, end_ - start_);
      end_ -= start_;
      start_ = 0;
      if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
      const size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
      if (got == 0) {
        eof_ = true;
        error_ = std::ferror(file_) != 0;
      }
      end_ += got;
    }
  }
  bool error() const { return error_; }

 private:
  static std::string_view Trimmed(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }

  std::FILE* file_;
  std::vector<char> buffer_;
  size_t start_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool error_ = false;
};

// Splits one CSV record into fields, unquoting quoted ones into `scratch`. Returns false for an
// unterminated or misplaced quote.
bool SplitCsv(std::string_view line, std::vector<std::string_view>& fields,
              std::vector<std::string>& scratch) {
  fields.clear();
  size_t used = 0;
  size_t i = 0;
  for (;;) {
    if (i < line.size() && line[i] == '"') {
      if (used == scratch.size()) scratch.emplace_back();
      std::string& text = scratch[used++];
      text.clear();
      ++i;
      for (;;) {
        if (i >= line.size()) return false;
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        text += line[i++];
      }
      if (i < line.size() && line[i] != ',') return false;
      fields.push_back(text);
    } else {
      const size_t comma = line.find(',', i);
      const size_t end = comma == std::string_view::npos ? line.size() : comma;
      const std::string_view field = line.substr(i, end - i);
      if (field.find('"') != std::string_view::npos) return false;
      fields.push_back(field);
      i = end;
    }
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

std::string_view Strip(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parses a coordinate; returns an error text or "" on success.
std::string ParseCoordinate(std::string_view text, std::string_view what, double& value) {
  const std::string_view s = Strip(text);
  const char* begin = s.data();
  if (!s.empty() && s.front() == '+') ++begin;
  const auto [end, ec] = ParseDouble(begin, s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return std::string(what) + " '" + std::string(s) + "' is not a number";
  }
  if (!std::isfinite(value)) return std::string(what) + " '" + std::string(s) + "' is not finite";
  return "";
}

class LocateCommand : public Command {
 public:
  std::string_view name() const override { return "locate"; }
  std::string_view summary() const override {
    return "Assign CSV points (id,lon,lat) to their unit and every level above it";
  }

  void Setup(CLI::App& app) override {
    app.add_option("DATASET", dataset_,
                   "GeoPackage, folder of GeoJSON/Shapefile/FlatGeobuf files, or YAML manifest")
        ->required();
    app.add_option("--input", input_, "CSV with header id,lon,lat; - for stdin")->default_val("-");
    app.add_option("--output", output_, "CSV to write; - for stdout")->default_val("-");
    app.add_option("--crs", crs_, "Coordinates of the input: wgs84, cgcs2000, gcj02, bd09, EPSG:n")
        ->default_val("wgs84");
    app.add_option("--max-distance", max_distance_m_,
                   "Assign points no unit owns to the nearest unit within this many metres")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--threads", threads_, "Worker threads, 0 = all cores")
        ->default_val(0)
        ->check(CLI::NonNegativeNumber);
  }

  Result<Outcome> Run() override;

 private:
  // Reports a bad line on stderr (the first kMaxReportedBadLines of them).
  void BadLine(size_t line_number, std::string_view message) {
    if (bad_lines_++ < kMaxReportedBadLines) {
      std::fprintf(stderr, "wangge locate: %s line %zu: %.*s\n", input_name_.c_str(), line_number,
                   static_cast<int>(message.size()), message.data());
    }
  }

  std::string dataset_;
  std::string input_;
  std::string output_;
  std::string crs_;
  double max_distance_m_ = 0;
  int threads_ = 0;
  std::string input_name_;
  size_t bad_lines_ = 0;
};

Result<Outcome> LocateCommand::Run() {
  Result<InputCrs> crs = InputCrs::Parse(crs_);
  if (!crs.ok()) return crs.status().WithContext("--crs");

  input_name_ = input_ == "-" ? "stdin" : input_;
  File in(input_ == "-" ? stdin : std::fopen(input_.c_str(), "rb"));
  if (in == nullptr) {
    return Status::IoError("cannot open " + input_ + ": " + std::strerror(errno));
  }

  Result<Dataset> dataset = LoadDataset(dataset_);
  if (!dataset.ok()) return dataset.status();
  const Hierarchy& hierarchy = dataset->hierarchy;
  if (dataset->error_count() > 0) {
    std::fprintf(stderr,
                 "wangge locate: %zu features of %s could not be loaded (see wangge inspect)\n",
                 dataset->error_count(), dataset_.c_str());
  }
  Result<PointIndex> built = PointIndex::Build(hierarchy, {.threads = threads_});
  if (!built.ok()) return built.status();
  const PointIndex& index = *built;

  LineReader reader(in.get());
  std::string_view line;
  std::vector<std::string_view> fields;
  std::vector<std::string> scratch;
  size_t line_number = 0;

  // The header: find the id, lon and lat columns (a UTF-8 byte order mark is ignored).
  size_t id_column = SIZE_MAX, lon_column = SIZE_MAX, lat_column = SIZE_MAX;
  while (reader.Next(line)) {
    ++line_number;
    if (Strip(line).empty()) continue;
    if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (!SplitCsv(line, fields, scratch)) {
      return Status::DataError(input_name_ + " line " + std::to_string(line_number) +
                               ": malformed CSV header");
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      const std::string_view name = Strip(fields[i]);
      if (name == "id") id_column = i;
      if (name == "lon") lon_column = i;
      if (name == "lat") lat_column = i;
    }
    break;
  }
  if (reader.error()) return Status::IoError("cannot read " + input_name_);
  if (id_column == SIZE_MAX || lon_column == SIZE_MAX || lat_column == SIZE_MAX) {
    return Status::DataError(input_name_ + ": the header must name the columns id, lon and lat");
  }
  const size_t needed = std::max({id_column, lon_column, lat_column}) + 1;

  File out(output_ == "-" ? stdout : std::fopen(output_.c_str(), "wb"));
  if (out == nullptr) {
    return Status::IoError("cannot create " + output_ + ": " + std::strerror(errno));
  }
  const bool lon_lat_input = crs->kind() != InputCrs::Kind::kProj;
  LocationCsv csv(index, /*with_distance=*/max_distance_m_ > 0);
  std::string text;
  csv.AppendHeader(text);

  // One chunk at a time: parse, convert, locate (all cores), format, write.
  std::string ids;  // the chunk's ids as CSV fields, back to back
  std::vector<size_t> id_ends;
  std::vector<std::string_view> id_fields;
  std::vector<size_t> line_numbers;
  std::vector<Point> points;
  std::vector<Point> converted;
  std::vector<uint8_t> ok;
  std::vector<Location> locations;
  const LocateOptions options{.max_distance_m = max_distance_m_, .threads = threads_};
  size_t unassigned = 0;
  bool more = true;
  while (more) {
    ids.clear();
    id_ends.clear();
    line_numbers.clear();
    points.clear();
    while (points.size() < kChunkLines && (more = reader.Next(line))) {
      ++line_number;
      if (Strip(line).empty()) continue;
      if (!SplitCsv(line, fields, scratch)) {
        BadLine(line_number, "malformed CSV (unbalanced quotes)");
        continue;
      }
      if (fields.size() < needed) {
        BadLine(line_number, "expected at least " + std::to_string(needed) + " fields, got " +
                                 std::to_string(fields.size()));
        continue;
      }
      Point p;
      std::string error = ParseCoordinate(fields[lon_column], "lon", p.x);
      if (error.empty()) error = ParseCoordinate(fields[lat_column], "lat", p.y);
      if (error.empty() && lon_lat_input) {
        if (std::abs(p.x) > 180)
          error = "lon " + std::string(Strip(fields[lon_column])) + " out of range [-180, 180]";
        if (std::abs(p.y) > 90)
          error = "lat " + std::string(Strip(fields[lat_column])) + " out of range [-90, 90]";
      }
      if (!error.empty()) {
        BadLine(line_number, error);
        continue;
      }
      LocationCsv::AppendField(ids, fields[id_column]);
      id_ends.push_back(ids.size());
      line_numbers.push_back(line_number);
      points.push_back(p);
    }
    if (reader.error()) return Status::IoError("cannot read " + input_name_);

    // Convert to lon/lat; on a failure convert point by point to name the bad lines.
    ok.assign(points.size(), 1);
    converted.assign(points.begin(), points.end());
    if (crs->ToLonLat(std::span<Point>(converted)).ok()) {
      points.swap(converted);
    } else {
      for (size_t i = 0; i < points.size(); ++i) {
        Result<Point> p = crs->ToLonLat(points[i]);
        if (p.ok()) {
          points[i] = *p;
        } else {
          ok[i] = 0;
          points[i] = {0, 0};
          BadLine(line_numbers[i], p.status().message());
        }
      }
    }
    locations.resize(points.size());
    index.LocateBatch(points, locations, options);

    // Rows for the points located (a point that failed conversion was reported as a bad line).
    id_fields.clear();
    size_t id_begin = 0;
    size_t kept = 0;
    for (size_t i = 0; i < points.size(); ++i) {
      const std::string_view id(ids.data() + id_begin, id_ends[i] - id_begin);
      id_begin = id_ends[i];
      if (!ok[i]) continue;
      const Location& where = locations[i];
      if (where.status != LocateStatus::kInside && where.status != LocateStatus::kBoundary &&
          where.nearest == kNoRegion) {
        ++unassigned;
      }
      id_fields.push_back(id);
      locations[kept++] = where;
    }
    locations.resize(kept);
    csv.AppendRows(id_fields, locations, text);
    if (std::fwrite(text.data(), 1, text.size(), out.get()) != text.size()) {
      return Status::IoError("cannot write " + (output_ == "-" ? std::string("stdout") : output_));
    }
    text.clear();
  }
  if (std::fflush(out.get()) != 0 || std::ferror(out.get())) {
    return Status::IoError("cannot write " + (output_ == "-" ? std::string("stdout") : output_));
  }
  if (bad_lines_ > kMaxReportedBadLines) {
    std::fprintf(stderr, "wangge locate: %zu bad lines in all (the first %zu shown)\n", bad_lines_,
                 kMaxReportedBadLines);
  }
  if (unassigned > 0) {
    std::fprintf(stderr, "wangge locate: %zu points not assigned to a unit\n", unassigned);
  }
  return bad_lines_ == 0 && unassigned == 0 ? Outcome::kOk : Outcome::kFindings;
}

}  // namespace

std::unique_ptr<Command> MakeLocateCommand() { return std::make_unique<LocateCommand>(); }

}  // namespace wangge::cli
