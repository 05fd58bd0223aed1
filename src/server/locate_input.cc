#include "server/locate_input.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "server/http_status.h"
#include "server/json_text.h"
#include "wangge/base/parse_double.h"

namespace wangge::server {
namespace {

constexpr int kMaxDepth = 64;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A strict JSON tokenizer over a body, for the shapes this API reads. It validates what it skips,
// so a body it accepts is well-formed JSON.
class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text) : text_(text) {}

  std::string_view text() const { return text_; }
  size_t position() const { return pos_; }
  char Peek() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  bool AtEnd() { return Peek() == '\0' && pos_ >= text_.size(); }
  bool Consume(char c) {
    if (Peek() != c || pos_ >= text_.size()) return false;
    ++pos_;
    return true;
  }
  Status Expect(char c) {
    if (Consume(c)) return Status::Ok();
    return Malformed(std::string("expected '") + c + "'");
  }
  Status Malformed(std::string_view what) const {
    return Status::InvalidArgument("malformed JSON at byte " + std::to_string(pos_) + ": " +
                                   std::string(what));
  }
  bool AtNumber() {
    const char c = Peek();
    return c == '-' || IsDigit(c);
  }

  // Reads a string token; `raw` is the token with its quotes, escapes left as written.
  Status String(std::string_view* raw) {
    if (Peek() != '"') return Malformed("expected a string");
    const size_t begin = pos_++;
    bool ascii = true;
    while (pos_ < text_.size()) {
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        *raw = text_.substr(begin, pos_ - begin);
        if (!ascii && !IsValidUtf8(*raw)) return Malformed("invalid UTF-8 in a string");
        return Status::Ok();
      }
      if (c < 0x20) return Malformed("control character in a string");
      if (c >= 0x80) ascii = false;
      if (c == '\\') {
        if (++pos_ >= text_.size()) break;
        const char e = text_[pos_];
        if (e == 'u') {
          for (int k = 0; k < 4; ++k) {
            if (++pos_ >= text_.size() || !std::isxdigit(static_cast<unsigned char>(text_[pos_]))) {
              return Malformed("bad \\u escape");
            }
          }
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return Malformed("bad escape");
        }
      }
      ++pos_;
    }
    return Malformed("unterminated string");
  }

  // Reads a number token.
  Status Number(double* value) {
    Peek();
    const size_t begin = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Malformed("expected a number");
    if (text_[pos_] == '0') {
      ++pos_;
    } else {
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Malformed("digits after '.'");
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Malformed("digits in exponent");
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    const auto result = ParseDouble(text_.data() + begin, text_.data() + pos_, *value);
    if (result.ec == std::errc::result_out_of_range) *value = kNaN;  // e.g. 1e999
    return Status::Ok();
  }

  // Skips any value; `raw` (if not null) receives its text.
  Status Value(std::string_view* raw, int depth = 0) {
    if (depth > kMaxDepth) return Malformed("nesting deeper than 64");
    const char c = Peek();
    const size_t begin = pos_;
    Status s;
    if (c == '"') {
      std::string_view ignored;
      s = String(&ignored);
    } else if (c == '-' || IsDigit(c)) {
      double ignored;
      s = Number(&ignored);
    } else if (c == '{') {
      ++pos_;
      if (!Consume('}')) {
        do {
          std::string_view key;
          if (s = String(&key); !s.ok()) return s;
          if (s = Expect(':'); !s.ok()) return s;
          if (s = Value(nullptr, depth + 1); !s.ok()) return s;
        } while (Consume(','));
        s = Expect('}');
      }
    } else if (c == '[') {
      ++pos_;
      if (!Consume(']')) {
        do {
          if (s = Value(nullptr, depth + 1); !s.ok()) return s;
        } while (Consume(','));
        s = Expect(']');
      }
    } else if (Literal("true") || Literal("false") || Literal("null")) {
      s = Status::Ok();
    } else {
      s = Malformed("expected a value");
    }
    if (s.ok() && raw) *raw = text_.substr(begin, pos_ - begin);
    return s;
  }

 private:
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

Status ShapeError(size_t index, std::string_view what) {
  return Status::DataError("point " + std::to_string(index) + ": " + std::string(what));
}

// Reads a number where the shape requires one: malformed JSON stays a 400, a well-formed value
// of another type is a 422.
Status ExpectNumber(JsonScanner& s, size_t index, std::string_view what, double* value) {
  if (s.AtNumber()) return s.Number(value);
  if (Status v = s.Value(nullptr); !v.ok()) return v;
  return ShapeError(index, std::string(what) + " must be a number");
}

Status ParseArrayElement(JsonScanner& s, size_t index, Point* point, std::string_view* id) {
  const char c = s.Peek();
  if (c == '[') {
    s.Consume('[');
    double coords[3] = {0, 0, 0};
    size_t n = 0;
    if (!s.Consume(']')) {
      do {
        double v = 0;
        if (Status e = ExpectNumber(s, index, "a coordinate", &v); !e.ok()) return e;
        if (n < 3) coords[n] = v;
        ++n;
      } while (s.Consume(','));
      if (Status e = s.Expect(']'); !e.ok()) return e;
    }
    if (n < 2 || n > 3) {
      return ShapeError(index, "expected [lon, lat] or [lon, lat, height], got " +
                                   std::to_string(n) + " numbers");
    }
    *point = {coords[0], coords[1]};
    return Status::Ok();
  }
  if (c == '{') {
    s.Consume('{');
    bool has_lon = false;
    bool has_lat = false;
    if (!s.Consume('}')) {
      do {
        std::string_view key;
        if (Status e = s.String(&key); !e.ok()) return e;
        if (Status e = s.Expect(':'); !e.ok()) return e;
        if (key == "\"lon\"") {
          if (Status e = ExpectNumber(s, index, "lon", &point->x); !e.ok()) return e;
          has_lon = true;
        } else if (key == "\"lat\"") {
          if (Status e = ExpectNumber(s, index, "lat", &point->y); !e.ok()) return e;
          has_lat = true;
        } else if (key == "\"id\"") {
          if (Status e = s.Value(id); !e.ok()) return e;
          const char first = (*id)[0];
          if (first == '{' || first == '[' || first == 't' || first == 'f') {
            return ShapeError(index, "id must be a string, a number or null");
          }
        } else if (Status e = s.Value(nullptr); !e.ok()) {
          return e;
        }
      } while (s.Consume(','));
      if (Status e = s.Expect('}'); !e.ok()) return e;
    }
    if (!has_lon || !has_lat) return ShapeError(index, "needs both lon and lat");
    return Status::Ok();
  }
  if (Status e = s.Value(nullptr); !e.ok()) return e;
  return ShapeError(index, "expected [lon, lat] or {\"id\", \"lon\", \"lat\"}");
}

Result<PointBatch> ParseArray(JsonScanner& s) {
  PointBatch batch;
  batch.format = PointBatch::Format::kJsonArray;
  s.Consume('[');
  // ~26 bytes per [lon,lat] element: reserve to avoid regrowing a million-point batch.
  batch.points.reserve(s.text().size() / 24);
  batch.ids.reserve(s.text().size() / 24);
  if (!s.Consume(']')) {
    do {
      Point p;
      std::string_view id;
      if (Status e = ParseArrayElement(s, batch.points.size(), &p, &id); !e.ok()) return e;
      batch.points.push_back(p);
      batch.ids.push_back(id);
    } while (s.Consume(','));
    if (Status e = s.Expect(']'); !e.ok()) return e;
  }
  return batch;
}

Status FeaturePoint(std::string_view text, size_t index, Point* point) {
  const nlohmann::json feature = nlohmann::json::parse(text, nullptr, false);
  if (feature.is_discarded()) {
    return Status::InvalidArgument("feature " + std::to_string(index) + ": malformed JSON");
  }
  auto error = [&](std::string_view what) {
    return Status::DataError("feature " + std::to_string(index) + ": " + std::string(what));
  };
  if (!feature.is_object() || feature.value("type", nlohmann::json()) != "Feature") {
    return error("expected an object with \"type\": \"Feature\"");
  }
  auto geometry = feature.find("geometry");
  if (geometry == feature.end() || geometry->is_null()) {
    *point = {kNaN, kNaN};  // located as "invalid"
    return Status::Ok();
  }
  if (!geometry->is_object() || geometry->value("type", nlohmann::json()) != "Point") {
    return error("geometry must be a Point (or null)");
  }
  auto coordinates = geometry->find("coordinates");
  if (coordinates == geometry->end() || !coordinates->is_array() || coordinates->size() < 2 ||
      coordinates->size() > 3 || !(*coordinates)[0].is_number() || !(*coordinates)[1].is_number()) {
    return error("a Point needs coordinates [lon, lat]");
  }
  *point = {(*coordinates)[0].get<double>(), (*coordinates)[1].get<double>()};
  return Status::Ok();
}

Result<PointBatch> ParseFeatureCollection(JsonScanner& s) {
  PointBatch batch;
  batch.format = PointBatch::Format::kGeoJson;
  s.Consume('{');
  bool is_collection = false;
  bool has_features = false;
  if (!s.Consume('}')) {
    do {
      s.Peek();
      const size_t member_begin = s.position();
      std::string_view key;
      if (Status e = s.String(&key); !e.ok()) return e;
      if (Status e = s.Expect(':'); !e.ok()) return e;
      if (key == "\"type\"") {
        std::string_view type;
        if (Status e = s.Value(&type); !e.ok()) return e;
        is_collection = type == "\"FeatureCollection\"";
      } else if (key == "\"features\"" && s.Peek() == '[') {
        has_features = true;
        s.Consume('[');
        if (!s.Consume(']')) {
          do {
            std::string_view feature;
            if (Status e = s.Value(&feature); !e.ok()) return e;
            batch.features.push_back(feature);
          } while (s.Consume(','));
          if (Status e = s.Expect(']'); !e.ok()) return e;
        }
      } else {
        std::string_view value;
        if (Status e = s.Value(&value); !e.ok()) return e;
        if (key == "\"features\"") return Status::DataError("features must be an array");
        // "version" is the answer's own member.
        if (key != "\"version\"") {
          batch.members.push_back(s.text().substr(member_begin, s.position() - member_begin));
        }
      }
    } while (s.Consume(','));
    if (Status e = s.Expect('}'); !e.ok()) return e;
  }
  if (!s.AtEnd()) return s.Malformed("unexpected text after the JSON value");
  if (!is_collection || !has_features) {
    return Status::DataError(
        "expected an array of points or a GeoJSON FeatureCollection with a features array");
  }
  batch.points.resize(batch.features.size());
  for (size_t i = 0; i < batch.features.size(); ++i) {
    if (Status e = FeaturePoint(batch.features[i], i, &batch.points[i]); !e.ok()) return e;
  }
  return batch;
}

// Returns the field without its quotes and surrounding spaces (for numbers and header names).
std::string_view Unquote(std::string_view field) {
  while (!field.empty() && (field.front() == ' ' || field.front() == '\t')) field.remove_prefix(1);
  while (!field.empty() && (field.back() == ' ' || field.back() == '\t')) field.remove_suffix(1);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') {
    field = field.substr(1, field.size() - 2);
  }
  return field;
}

std::string LowerName(std::string_view field) {
  std::string lower(Unquote(field));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// Reads a CSV coordinate; NaN and infinities are accepted (the point is answered "invalid").
Status CsvNumber(std::string_view field, size_t line, std::string_view name, double* value) {
  const std::string_view text = Unquote(field);
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  const auto result = ParseDouble(begin, end, *value);
  if (text.empty() || result.ptr != end ||
      (result.ec != std::errc() && result.ec != std::errc::result_out_of_range)) {
    return Status::DataError("line " + std::to_string(line) + ": " + std::string(name) + " " +
                             std::string(text.substr(0, 40)) + " is not a number");
  }
  if (result.ec == std::errc::result_out_of_range) *value = kNaN;
  return Status::Ok();
}

}  // namespace

Result<PointBatch> ParseJsonBatch(std::string_view body) {
  JsonScanner s(body);
  const char first = s.Peek();
  if (first == '{') return ParseFeatureCollection(s);
  if (first != '[') {
    if (Status e = s.Value(nullptr); !e.ok()) return e;
    if (!s.AtEnd()) return s.Malformed("unexpected text after the JSON value");
    return Status::DataError(
        "expected an array of points or a GeoJSON FeatureCollection with a features array");
  }
  Result<PointBatch> batch = ParseArray(s);
  if (batch.ok() && !s.AtEnd()) return s.Malformed("unexpected text after the JSON value");
  return batch;
}

Result<PointBatch> ParseCsvBatch(std::string_view body) {
  PointBatch batch;
  batch.format = PointBatch::Format::kCsv;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  batch.points.reserve(body.size() / 24);
  batch.ids.reserve(body.size() / 24);
  std::vector<std::string_view> fields;
  size_t pos = 0;
  size_t line = 0;
  bool first_record = true;
  size_t id_column = 0, lon_column = 1, lat_column = 2;
  size_t field_count = 3;  // 0 once a header named the columns
  size_t needed = 3;
  while (pos < body.size()) {
    ++line;
    const size_t record_line = line;
    fields.clear();
    // One record: fields up to an unquoted newline.
    for (;;) {
      const size_t begin = pos;
      if (pos < body.size() && body[pos] == '"') {
        ++pos;
        for (;;) {
          if (pos >= body.size()) {
            return Status::InvalidArgument("CSV line " + std::to_string(record_line) +
                                           ": unterminated quoted field");
          }
          if (body[pos] == '"') {
            if (pos + 1 < body.size() && body[pos + 1] == '"') {
              pos += 2;
              continue;
            }
            ++pos;
            break;
          }
          if (body[pos] == '\n') ++line;
          ++pos;
        }
        if (pos < body.size() && body[pos] != ',' && body[pos] != '\n' && body[pos] != '\r') {
          return Status::InvalidArgument("CSV line " + std::to_string(line) +
                                         ": text after a closing quote");
        }
      } else {
        while (pos < body.size() && body[pos] != ',' && body[pos] != '\n') ++pos;
      }
      std::string_view field = body.substr(begin, pos - begin);
      if (pos < body.size() && body[pos] == ',') {
        fields.push_back(field);
        ++pos;
        continue;
      }
      if (!field.empty() && field.back() == '\r') field.remove_suffix(1);
      if (pos < body.size() && body[pos] == '\r') ++pos;
      fields.push_back(field);
      if (pos < body.size() && body[pos] == '\n') ++pos;
      break;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (first_record) {
      first_record = false;
      // A header names the columns (id, lon, lat in any order, others ignored), as for
      // `wangge locate`; without one the columns are id,lon,lat.
      size_t id = SIZE_MAX, lon = SIZE_MAX, lat = SIZE_MAX;
      for (size_t i = 0; i < fields.size(); ++i) {
        const std::string name = LowerName(fields[i]);
        if (name == "id") id = i;
        if (name == "lon" || name == "lng" || name == "longitude") lon = i;
        if (name == "lat" || name == "latitude") lat = i;
      }
      if (lon != SIZE_MAX || lat != SIZE_MAX) {
        if (lon == SIZE_MAX || lat == SIZE_MAX) {
          return Status::DataError("line " + std::to_string(record_line) +
                                   ": the header must name both lon and lat");
        }
        id_column = id;
        lon_column = lon;
        lat_column = lat;
        field_count = 0;  // any number of columns
        needed = std::max({id == SIZE_MAX ? 0 : id, lon, lat}) + 1;
        continue;
      }
    }
    if ((field_count != 0 && fields.size() != field_count) || fields.size() < needed) {
      return Status::DataError(
          "line " + std::to_string(record_line) + ": expected " +
          (field_count != 0 ? "3 fields id,lon,lat" : std::to_string(needed) + " fields or more") +
          ", got " + std::to_string(fields.size()));
    }
    Point p;
    if (Status e = CsvNumber(fields[lon_column], record_line, "lon", &p.x); !e.ok()) return e;
    if (Status e = CsvNumber(fields[lat_column], record_line, "lat", &p.y); !e.ok()) return e;
    batch.points.push_back(p);
    batch.ids.push_back(id_column == SIZE_MAX ? std::string_view() : fields[id_column]);
  }
  return batch;
}

std::optional<PointBatch> ReadPointBatch(const HttpRequest& request, Reply* error) {
  const std::string media_type = request.MediaType();
  Result<PointBatch> batch = Status::Internal("unset");
  if (media_type == "application/json" || media_type == "application/geo+json") {
    batch = ParseJsonBatch(request.body);
  } else if (media_type == "text/csv") {
    batch = ParseCsvBatch(request.body);
  } else {
    *error = ErrorReply(HttpError::kUnsupportedMediaType,
                        "Content-Type must be application/json, application/geo+json or text/csv" +
                            (media_type.empty() ? std::string() : ", got " + media_type));
    return std::nullopt;
  }
  if (!batch.ok()) {
    *error = ErrorReply(batch.status());
    return std::nullopt;
  }
  return std::move(batch).value();
}

}  // namespace wangge::server
