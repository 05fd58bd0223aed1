#include "load/internal/layer_reader.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include "load/internal/gdal_util.h"
#include "load/internal/text_decoder.h"

namespace wangge::internal {
namespace {

constexpr std::string_view kShapefileDriver = "ESRI Shapefile";
// Integers beyond 2^53 are not exact in a double.
constexpr double kMaxExactInteger = 9007199254740992.0;

struct TransformDeleter {
  void operator()(OGRCoordinateTransformation* ct) const {
    OGRCoordinateTransformation::DestroyCT(ct);
  }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

std::string FormatNumber(double v) {
  char buffer[32];
  std::to_chars_result r{};
  if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < kMaxExactInteger) {
    r = std::to_chars(buffer, buffer + sizeof(buffer), static_cast<int64_t>(v));
  } else {
    r = std::to_chars(buffer, buffer + sizeof(buffer), v);  // shortest exact form
  }
  return std::string(buffer, r.ptr);
}

std::string FormatPoint(const Point& p) {
  return "(" + FormatNumber(p.x) + ", " + FormatNumber(p.y) + ")";
}

// ---- Geometry: OGR → MultiPolygon, vertex for vertex, Z/M dropped. ----

void AppendRing(const OGRSimpleCurve& ring, bool starts_polygon, MultiPolygon* out,
                std::vector<Point>* scratch) {
  scratch->resize(static_cast<size_t>(ring.getNumPoints()));
  Point* p = scratch->data();
  ring.getPoints(&p->x, sizeof(Point), &p->y, sizeof(Point));
  out->AddRing(*scratch, starts_polygon);
}

// Each Append* returns "" or why the geometry is not polygonal.
std::string AppendPolygon(const OGRPolygon& polygon, MultiPolygon* out,
                          std::vector<Point>* scratch) {
  const OGRLinearRing* shell = polygon.getExteriorRing();
  if (shell == nullptr || shell->IsEmpty()) {
    for (int i = 0; i < polygon.getNumInteriorRings(); ++i) {
      if (!polygon.getInteriorRing(i)->IsEmpty()) return "a polygon has holes but no shell";
    }
    return "";  // an empty polygon adds nothing
  }
  AppendRing(*shell, /*starts_polygon=*/true, out, scratch);
  for (int i = 0; i < polygon.getNumInteriorRings(); ++i) {
    const OGRLinearRing* hole = polygon.getInteriorRing(i);
    if (!hole->IsEmpty()) AppendRing(*hole, /*starts_polygon=*/false, out, scratch);
  }
  return "";
}

std::string AppendPolygonal(const OGRGeometry& g, MultiPolygon* out, std::vector<Point>* scratch) {
  switch (wkbFlatten(g.getGeometryType())) {
    case wkbPolygon:
    case wkbTriangle:
      return AppendPolygon(*g.toPolygon(), out, scratch);
    case wkbMultiPolygon:
      for (const OGRPolygon* polygon : *g.toMultiPolygon()) {
        std::string why = AppendPolygon(*polygon, out, scratch);
        if (!why.empty()) return why;
      }
      return "";
    case wkbCurvePolygon:
    case wkbMultiSurface: {
      const OGRGeometryUniquePtr linear(g.getLinearGeometry());
      if (!linear) return "its curves cannot be linearised";
      return AppendPolygonal(*linear, out, scratch);
    }
    case wkbGeometryCollection:
      for (const OGRGeometry* part : *g.toGeometryCollection()) {
        std::string why = AppendPolygonal(*part, out, scratch);
        if (!why.empty()) return why;
      }
      return "";
    default:
      return std::string("a ") + OGRGeometryTypeToName(g.getGeometryType()) + " is not a polygon";
  }
}

// ---- Issues ----

class Issues {
 public:
  Issues(const LayerJob& job, std::vector<LoadIssue>* out) : job_(job), out_(out) {}

  void set_layer(std::string layer) { layer_ = std::move(layer); }
  void Add(LoadIssue::Severity severity, int64_t fid, std::string_view code, std::string message) {
    out_->push_back({severity, job_.file, layer_, fid, std::string(code), std::move(message)});
  }
  void Error(int64_t fid, std::string_view code, std::string message) {
    Add(LoadIssue::Severity::kError, fid, code, std::move(message));
  }
  void Warning(int64_t fid, std::string_view code, std::string message) {
    Add(LoadIssue::Severity::kWarning, fid, code, std::move(message));
  }
  // Turns GDAL's captured messages into issues about feature `fid` (-1: the layer).
  void AddGdalMessages(GdalErrorCapture& capture, int64_t fid) {
    for (GdalErrorCapture::Message& m : capture.Take()) {
      Add(m.level >= CE_Failure ? LoadIssue::Severity::kError : LoadIssue::Severity::kWarning, fid,
          "", "GDAL: " + m.text);
    }
  }

 private:
  const LayerJob& job_;
  std::string layer_;
  std::vector<LoadIssue>* out_;
};

// ---- Layer set-up: the layer, its fields, its encoding, its CRS ----

Result<OGRLayer*> FindLayer(GDALDataset& dataset, const LayerJob& job) {
  OGRLayer* layer = job.layer.empty() ? nullptr : dataset.GetLayerByName(job.layer.c_str());
  if (layer == nullptr && !job.layer_given && dataset.GetLayerCount() == 1) {
    layer = dataset.GetLayer(0);
  }
  if (layer == nullptr) {
    return Status::NotFound(job.file + ": no layer '" + job.layer + "' for level " +
                            job.level_name + " (layers: " + LayerNames(dataset) + ")");
  }
  return layer;
}

struct FieldIndexes {
  int code = -1;
  int parent = -1;  // -1: no parent field
  int name = -1;    // -1: no name field
  std::vector<int> attributes;
};

// Maps the job's field names to indexes in `names` (the layer's field names, decoded), ignoring
// ASCII case as GDAL does.
Result<FieldIndexes> MapFields(const std::vector<std::string>& names, const LayerJob& job,
                               std::string_view layer_name) {
  const auto index_of = [&](std::string_view field) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == field) return static_cast<int>(i);
    }
    for (size_t i = 0; i < names.size(); ++i) {
      if (EqualsIgnoringCase(names[i], field)) return static_cast<int>(i);
    }
    return -1;
  };
  FieldIndexes f;
  const auto find = [&](const std::string& field, int* index) -> Status {
    if (field.empty()) return Status::Ok();
    *index = index_of(field);
    if (*index >= 0) return Status::Ok();
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    return Status::NotFound(job.file + ": layer " + std::string(layer_name) + " (level " +
                            job.level_name + ") has no field '" + field +
                            "' (fields: " + (list.empty() ? "none" : list) +
                            "); map the fields in a manifest (see wangge/load/manifest.h)");
  };
  Status s = find(job.fields.code, &f.code);
  if (s.ok()) s = find(job.fields.name, &f.name);
  const bool skip_parent =
      job.parent_optional && job.fields.parent == "parent" && index_of("parent") < 0;
  if (s.ok() && !skip_parent) s = find(job.fields.parent, &f.parent);
  if (!s.ok()) return s;
  for (size_t i = 0; i < names.size(); ++i) {
    const int index = static_cast<int>(i);
    if (index != f.code && index != f.parent && index != f.name) f.attributes.push_back(index);
  }
  return f;
}

// Chooses the .dbf encoding: a .cpg wins, then the manifest, then the LDID byte, else UTF-8.
// Other formats are UTF-8 by definition.
Result<TextDecoder> ChooseDecoder(OGRLayer& layer, std::string_view driver, const LayerJob& job,
                                  Issues& issues, std::string* origin) {
  std::string encoding = "UTF-8";
  if (driver == kShapefileDriver) {
    const auto item = [&](const char* key) {
      const char* v = layer.GetMetadataItem(key, "SHAPEFILE");
      return std::string(v ? v : "");
    };
    const std::string cpg = item("ENCODING_FROM_CPG"), cpg_raw = item("CPG_VALUE");
    const std::string ldid = item("ENCODING_FROM_LDID");
    if (!cpg_raw.empty()) {
      encoding = cpg.empty() ? cpg_raw : cpg;
      *origin = ".cpg";
    } else if (!job.encoding.empty()) {
      encoding = job.encoding;
      *origin = "manifest";
    } else if (!ldid.empty()) {
      encoding = ldid;
      *origin = "LDID";
    }
  }
  Result<TextDecoder> decoder = TextDecoder::Create(encoding);
  if (decoder.ok()) return decoder;
  if (*origin == "manifest") return decoder.status().WithContext(job.file);
  issues.Warning(-1, "",
                 "the " + *origin + " declares encoding '" + encoding +
                     "', which is unknown; reading the text as UTF-8");
  origin->clear();
  return TextDecoder::Create("UTF-8");
}

struct CrsSetup {
  TransformPtr transform;  // null: already lon/lat
  bool assumed = false;    // no CRS anywhere: lon/lat assumed
  std::string description;
};

Result<CrsSetup> SetUpCrs(OGRLayer& layer, const LayerJob& job, Issues& issues) {
  CrsSetup setup;
  OGRSpatialReference source;
  if (!job.crs.empty()) {
    if (source.SetFromUserInput(job.crs.c_str()) != OGRERR_NONE) {
      return Status::DataError(job.file + ": the manifest's crs '" + job.crs +
                               "' is not a CRS PROJ knows");
    }
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    setup.description = DescribeCrs(source) + ", from the manifest";
  } else if (const OGRSpatialReference* declared = layer.GetSpatialRef(); declared != nullptr) {
    source = *declared;
    setup.description = DescribeCrs(source);
  } else {
    setup.assumed = true;
    setup.description = "none (lon/lat assumed)";
    issues.Warning(-1, "",
                   "the layer declares no CRS; its coordinates are taken as lon/lat "
                   "(EPSG:4490). Declare `crs:` in a manifest if they are not");
    return setup;
  }
  if (IsLonLat(source)) return setup;
  const std::unique_ptr<OGRSpatialReference> target = LonLatCrs();
  GdalErrorCapture errors;
  setup.transform.reset(OGRCreateCoordinateTransformation(&source, target.get()));
  if (!setup.transform) {
    return Status::DataError(job.file + ": layer " + layer.GetName() + ": cannot transform " +
                             setup.description + " to lon/lat: " + errors.LastFailure());
  }
  return setup;
}

// ---- Feature text ----

// Sets *out to the text of field `i`: strings decoded, integers exact, reals in shortest form.
// Returns false if the text did not decode (it is kept with U+FFFD replacements).
bool FieldText(const OGRFeature& feature, int i, TextDecoder& decoder, std::string* out) {
  if (!feature.IsFieldSetAndNotNull(i)) {
    out->clear();
    return true;
  }
  switch (feature.GetFieldDefnRef(i)->GetType()) {
    case OFTInteger:
    case OFTInteger64:
      *out = std::to_string(feature.GetFieldAsInteger64(i));
      return true;
    case OFTReal:
      *out = FormatNumber(feature.GetFieldAsDouble(i));
      return true;
    default:
      return decoder.Decode(feature.GetFieldAsString(i), out);
  }
}

}  // namespace

LayerResult ReadLayer(const LayerJob& job) {
  LayerResult result;
  result.info.level = job.level_name;
  result.info.file = job.file;
  result.info.layer = job.layer;
  Issues issues(job, &result.issues);
  issues.set_layer(job.layer);
  GdalErrorCapture gdal_errors;

  // Open with recoding off: the .dbf bytes are decoded here, so that undecodable text is
  // reported per feature rather than silently turned into '?'.
  const std::string driver_guess = IdentifyVectorDriver(job.file);
  std::vector<std::string> open_options;
  if (driver_guess == kShapefileDriver) open_options.emplace_back("ENCODING=");
  Result<GDALDatasetUniquePtr> dataset = OpenVector(job.file, open_options);
  if (!dataset.ok()) {
    result.status = dataset.status();
    return result;
  }
  Result<OGRLayer*> found = FindLayer(**dataset, job);
  if (!found.ok()) {
    result.status = found.status();
    return result;
  }
  OGRLayer& layer = **found;
  result.info.layer = layer.GetName();
  issues.set_layer(result.info.layer);
  result.info.driver = (*dataset)->GetDriver() ? (*dataset)->GetDriver()->GetDescription() : "";

  std::string encoding_origin;
  Result<TextDecoder> decoder =
      ChooseDecoder(layer, result.info.driver, job, issues, &encoding_origin);
  if (!decoder.ok()) {
    result.status = decoder.status();
    return result;
  }
  result.info.encoding = decoder->name();
  if (!encoding_origin.empty()) result.info.encoding += " (" + encoding_origin + ")";

  // Field names are bytes in the same encoding as the values (in a .dbf).
  OGRFeatureDefn& defn = *layer.GetLayerDefn();
  std::vector<std::string> field_names(static_cast<size_t>(defn.GetFieldCount()));
  for (size_t i = 0; i < field_names.size(); ++i) {
    if (!decoder->Decode(defn.GetFieldDefn(static_cast<int>(i))->GetNameRef(), &field_names[i])) {
      issues.Warning(-1, "",
                     "field name '" + field_names[i] + "' does not decode as " + decoder->name());
    }
  }
  Result<FieldIndexes> fields = MapFields(field_names, job, result.info.layer);
  if (!fields.ok()) {
    result.status = fields.status();
    return result;
  }
  for (int i : fields->attributes) {
    result.attribute_names.push_back(field_names[static_cast<size_t>(i)]);
  }
  const bool code_is_real = defn.GetFieldDefn(fields->code)->GetType() == OFTReal;

  Result<CrsSetup> crs = SetUpCrs(layer, job, issues);
  if (!crs.ok()) {
    result.status = crs.status();
    return result;
  }
  result.info.crs = crs->description;
  issues.AddGdalMessages(gdal_errors, -1);

  std::vector<Point> scratch;
  std::vector<double> xs, ys;
  std::vector<int> success;
  std::string code, parent, name, attribute;
  layer.ResetReading();
  for (;;) {
    const OGRFeatureUniquePtr feature(layer.GetNextFeature());
    if (!feature) break;
    ++result.info.feature_count;
    const int64_t fid = feature->GetFID();
    issues.AddGdalMessages(gdal_errors, fid);

    std::vector<std::string> bad_fields;
    if (!FieldText(*feature, fields->code, *decoder, &code)) bad_fields.push_back(job.fields.code);
    if (fields->parent >= 0 && !FieldText(*feature, fields->parent, *decoder, &parent)) {
      bad_fields.push_back(job.fields.parent);
    }
    if (fields->parent < 0) parent.clear();
    if (fields->name >= 0 && !FieldText(*feature, fields->name, *decoder, &name)) {
      bad_fields.push_back(job.fields.name);
    }
    if (fields->name < 0) name.clear();
    if (code.empty()) {
      issues.Error(
          fid, "",
          "empty code" + (name.empty() ? "" : " (name '" + name + "')") + "; feature not loaded");
      continue;
    }
    if (code_is_real && std::fabs(feature->GetFieldAsDouble(fields->code)) >= kMaxExactInteger) {
      issues.Warning(fid, code,
                     "the code is stored as a floating-point number too large to be "
                     "exact; store codes as text");
    }

    const OGRGeometry* geometry = feature->GetGeometryRef();
    if (geometry == nullptr) {
      issues.Error(fid, code, "no geometry; feature not loaded");
      continue;
    }
    RegionInput region;
    region.level = job.level;
    region.feature_id = fid;
    if (std::string why = AppendPolygonal(*geometry, &region.geometry, &scratch); !why.empty()) {
      issues.Error(fid, code, why + "; feature not loaded");
      continue;
    }
    std::vector<Point>& points = region.geometry.mutable_points();
    if (points.empty()) issues.Warning(fid, code, "empty geometry");

    std::optional<size_t> bad_vertex;
    for (size_t k = 0; k < points.size() && !bad_vertex; ++k) {
      if (!IsFinite(points[k])) bad_vertex = k;
    }
    if (bad_vertex) {
      issues.Error(fid, code,
                   "NaN or infinite coordinate " + FormatPoint(points[*bad_vertex]) +
                       " at vertex " + std::to_string(*bad_vertex) + "; feature not loaded");
      continue;
    }
    if (crs->transform && !points.empty()) {
      const size_t n = points.size();
      xs.resize(n);
      ys.resize(n);
      success.assign(n, 0);
      for (size_t k = 0; k < n; ++k) {
        xs[k] = points[k].x;
        ys[k] = points[k].y;
      }
      crs->transform->Transform(static_cast<int>(n), xs.data(), ys.data(), nullptr, success.data());
      gdal_errors.Take();  // failures are reported per vertex below
      for (size_t k = 0; k < n && !bad_vertex; ++k) {
        if (!success[k] || !std::isfinite(xs[k]) || !std::isfinite(ys[k])) bad_vertex = k;
      }
      if (bad_vertex) {
        issues.Error(fid, code,
                     "coordinate " + FormatPoint(points[*bad_vertex]) + " at vertex " +
                         std::to_string(*bad_vertex) + " cannot be transformed from " +
                         crs->description + " to lon/lat; feature not loaded");
        continue;
      }
      for (size_t k = 0; k < n; ++k) points[k] = {xs[k], ys[k]};
    }
    for (size_t k = 0; k < points.size() && !bad_vertex; ++k) {
      if (std::fabs(points[k].x) > 180 || std::fabs(points[k].y) > 90) bad_vertex = k;
    }
    if (bad_vertex) {
      std::string message = "coordinate " + FormatPoint(points[*bad_vertex]) + " at vertex " +
                            std::to_string(*bad_vertex) + " is outside the lon/lat range";
      if (crs->assumed) message += " (the layer declares no CRS: declare `crs:` in a manifest)";
      issues.Error(fid, code, message + "; feature not loaded");
      continue;
    }

    region.attributes.reserve(fields->attributes.size());
    for (size_t a = 0; a < fields->attributes.size(); ++a) {
      if (!FieldText(*feature, fields->attributes[a], *decoder, &attribute)) {
        bad_fields.push_back(result.attribute_names[a]);
      }
      region.attributes.push_back(std::move(attribute));
    }
    if (!bad_fields.empty()) {
      std::string list;
      for (const std::string& f : bad_fields) list += (list.empty() ? "" : ", ") + f;
      issues.Warning(fid, code,
                     "text in field(s) " + list + " does not decode as " + decoder->name() +
                         "; kept with U+FFFD replacement characters");
    }
    region.code = code;
    region.parent = parent;
    region.name = name;
    result.regions.push_back(std::move(region));
  }
  issues.AddGdalMessages(gdal_errors, -1);
  const GIntBig declared = layer.GetFeatureCount(/*bForce=*/FALSE);
  if (declared >= 0 && static_cast<size_t>(declared) != result.info.feature_count) {
    issues.Error(-1, "",
                 "the layer declares " + std::to_string(declared) + " features but " +
                     std::to_string(result.info.feature_count) + " could be read");
  }
  result.info.loaded_count = result.regions.size();
  return result;
}

}  // namespace wangge::internal
