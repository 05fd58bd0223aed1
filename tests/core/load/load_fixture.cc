#include "core/load/load_fixture.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

namespace wangge::testing {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  std::cerr << "fixture: " << what << ": " << CPLGetLastErrorMsg() << "\n";
  std::abort();
}

}  // namespace

std::shared_ptr<OGRGeometry> OgrGeometry(const std::string& wkt) {
  OGRGeometry* g = nullptr;
  if (OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) != OGRERR_NONE) {
    Fail("bad WKT " + wkt);
  }
  return std::shared_ptr<OGRGeometry>(
      g, [](OGRGeometry* p) { OGRGeometryFactory::destroyGeometry(p); });
}

void WriteFixture(const std::filesystem::path& file, const std::string& driver_name,
                  const FixtureLayer& spec) {
  GDALAllRegister();
  // Quiet: some fixtures are broken on purpose (e.g. infinite coordinates).
  CPLPushErrorHandler(CPLQuietErrorHandler);
  struct PopHandler {
    ~PopHandler() { CPLPopErrorHandler(); }
  } pop;
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
  if (driver == nullptr) Fail("no driver " + driver_name);
  GDALDatasetUniquePtr dataset;
  if (driver_name == "GPKG" && std::filesystem::exists(file)) {
    dataset.reset(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
  } else {
    dataset.reset(driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  }
  if (!dataset) Fail("cannot create " + file.string());

  std::unique_ptr<OGRSpatialReference> crs;
  if (!spec.crs.empty()) {
    crs = std::make_unique<OGRSpatialReference>();
    if (crs->SetFromUserInput(spec.crs.c_str()) != OGRERR_NONE) Fail("bad CRS " + spec.crs);
    crs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  }
  OGRSpatialReference lonlat;
  lonlat.importFromEPSG(4490);
  lonlat.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);

  CPLStringList options;
  for (const std::string& o : spec.creation_options) options.AddString(o.c_str());
  OGRLayer* layer =
      dataset->CreateLayer(spec.name.c_str(), crs.get(), spec.geometry_type, options.List());
  if (layer == nullptr) Fail("cannot create layer " + spec.name);
  for (const FixtureField& f : spec.fields) {
    OGRFieldDefn defn(f.name.c_str(), f.type);
    if (layer->CreateField(&defn) != OGRERR_NONE) Fail("cannot create field " + f.name);
  }
  for (const FixtureRow& row : spec.rows) {
    OGRFeature feature(layer->GetLayerDefn());
    for (size_t i = 0; i < row.values.size() && i < spec.fields.size(); ++i) {
      const int index = static_cast<int>(i);
      const std::string& v = row.values[i];
      if (v == kNull) {
        feature.SetFieldNull(index);
      } else if (spec.fields[i].type == OFTInteger || spec.fields[i].type == OFTInteger64) {
        feature.SetField(index, static_cast<GIntBig>(std::stoll(v)));
      } else if (spec.fields[i].type == OFTReal) {
        feature.SetField(index, std::stod(v));
      } else {
        feature.SetField(index, v.c_str());
      }
    }
    if (row.geometry) {
      feature.SetGeometry(row.geometry.get());
    } else if (!row.wkt.empty()) {
      std::shared_ptr<OGRGeometry> g = OgrGeometry(row.wkt);
      if (crs) {
        g->assignSpatialReference(&lonlat);
        if (g->transformTo(crs.get()) != OGRERR_NONE) Fail("cannot project " + row.wkt);
        g->assignSpatialReference(nullptr);
      }
      feature.SetGeometry(g.get());
    }
    if (layer->CreateFeature(&feature) != OGRERR_NONE) Fail("cannot write a feature");
  }
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace wangge::testing
