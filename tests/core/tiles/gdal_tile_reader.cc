#include "core/tiles/gdal_tile_reader.h"

#include <fstream>

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

namespace wangge::testing {
namespace {

class FlipY : public OGRCoordinateTransformation {
 public:
  explicit FlipY(double extent) : extent_(extent) {}
  OGRSpatialReference* GetSourceCS() override { return nullptr; }
  OGRSpatialReference* GetTargetCS() override { return nullptr; }
  OGRCoordinateTransformation* Clone() const override { return new FlipY(extent_); }
  OGRCoordinateTransformation* GetInverse() const override { return new FlipY(extent_); }
  int Transform(int count, double*, double* y, double*, double*, int* success) override {
    for (int i = 0; i < count; ++i) {
      y[i] = extent_ - y[i];
      if (success) success[i] = TRUE;
    }
    return TRUE;
  }

 private:
  double extent_;
};

}  // namespace

const std::vector<GdalFeature>& GdalTile::layer(const std::string& name) const {
  static const std::vector<GdalFeature> kEmpty;
  auto it = layers.find(name);
  return it == layers.end() ? kEmpty : it->second;
}

GdalTile ReadTileWithGdal(std::string_view mvt, const std::filesystem::path& file, int extent) {
  GDALAllRegister();
  {
    std::ofstream out(file, std::ios::binary);
    out.write(mvt.data(), static_cast<std::streamsize>(mvt.size()));
  }
  GdalTile tile;
  const char* drivers[] = {"MVT", nullptr};
  // CLIP=NO: report the geometry as encoded (GDAL clips to the tile by default).
  const char* open_options[] = {"CLIP=NO", nullptr};
  GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR, drivers, open_options));
  if (!ds) {
    ADD_FAILURE() << "GDAL cannot open " << file << ": " << CPLGetLastErrorMsg();
    return tile;
  }
  FlipY flip(extent);
  for (OGRLayer* layer : ds->GetLayers()) {
    std::vector<GdalFeature>& features = tile.layers[layer->GetName()];
    for (auto& f : *layer) {
      GdalFeature feature;
      for (int i = 0; i < f->GetFieldCount(); ++i) {
        const std::string name = f->GetFieldDefnRef(i)->GetNameRef();
        if (!f->IsFieldSetAndNotNull(i)) continue;
        if (name == "mvt_id") {
          feature.id = f->GetFieldAsInteger64(i);
        } else {
          feature.properties[name] = f->GetFieldAsString(i);
        }
      }
      if (OGRGeometry* g = f->GetGeometryRef()) {
        feature.geometry.reset(g->clone());
        feature.geometry->transform(&flip);
      }
      features.push_back(std::move(feature));
    }
  }
  return tile;
}

}  // namespace wangge::testing
