// Manifest: a small YAML file that tells LoadDataset how to read a dataset that does not follow
// the default layout (DESIGN.md: one layer per level named after the level, fields code, parent,
// name, Putian's six levels). It names the levels in order, coarsest first, and maps each to a
// source, a layer and fields; it may also declare the source CRS and the attribute encoding.
//
//   # fuzhou.yaml: every key but `levels` (and a source somewhere) is optional.
//   source: putian.gpkg            # default source, relative to this file's folder
//   crs: EPSG:4527                 # declare or override the source CRS (any CRS PROJ knows)
//   encoding: GBK                  # .dbf attribute encoding where a Shapefile has no .cpg
//   levels:                        # coarsest first
//     - name: district             # machine name: ASCII letters, digits, '_' or '-'
//       label: 区县                 # name for people (default: name)
//       layer: QX                  # layer in the source (default: name)
//       source: qx.shp             # per-level source (default: the top-level source)
//       fields: {code: XZQDM, parent: "", name: XZQMC}   # "" = no such field
//     - name: street
//       layer: JD
//       fields: {code: JDDM, parent: XZQDM, name: JDMC}
//     - name: community
//       layer: SQ
//       fields: {code: SQDM, parent: JDDM, name: SQMC}
//     - name: grid
//       label: 网格
//       layer: WG
//       crs: EPSG:4490             # `crs` and `encoding` may also be set per level
//       fields: {code: WGBM, parent: SQBM, name: WGMC}
//
//   Result<Manifest> m = ReadManifest("fuzhou.yaml");
//   if (!m.ok()) return m.status();   // e.g. "fuzhou.yaml line 12: unknown key 'lyer' in level 2"
//
// Semantics:
//   - A source is a GDAL dataset (e.g. a .gpkg holding many layers, a .shp or .geojson holding one,
//     a connection string such as "PG:dbname=grid") or a folder holding one file per layer named
//     after the layer (QX.shp, WG.geojson ...). Relative paths are relative to the manifest. When a
//     level gives no `layer` and its source holds a single layer, that layer is used whatever its
//     name.
//   - `fields` maps the three model fields; omitted ones keep their default names (code, parent,
//     name). `parent: ""` means the layer has no parent field (every parent is empty: right for the
//     top level); `name: ""` means no name field. `code` cannot be empty. All other fields of the
//     layer are kept as attributes.
//   - `crs`, when given, is used instead of whatever CRS the source declares; without it a layer
//     that declares no CRS is assumed to be lon/lat, with a warning.
//   - `encoding` applies to Shapefile .dbf attributes only (GeoPackage, GeoJSON and FlatGeobuf are
//     UTF-8 by definition). A .cpg file next to the .shp wins over it; the manifest wins over the
//     .dbf's LDID byte. Names: UTF-8, GBK (= CP936 = 936), GB18030, or anything iconv knows.
//   - Unknown keys, a level list that is missing or empty, duplicate level names and levels without
//     a source are errors naming the file and line.
//
// Thread safety: the functions are reentrant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wangge/base/result.h"

namespace wangge {

struct FieldMapping {
  std::string code = "code";
  std::string parent = "parent";  // "" = no parent field
  std::string name = "name";      // "" = no name field
};

struct ManifestLevel {
  std::string name;
  std::string label;   // "" = same as name
  std::string source;  // resolved path (relative to the manifest's folder unless absolute)
  std::string layer;   // "" = named after the level, or the source's only layer
  FieldMapping fields;
  std::string crs;       // "" = the source's own CRS
  std::string encoding;  // "" = .cpg / LDID / UTF-8
};

struct Manifest {
  std::string path;                   // the manifest file, as given
  std::vector<ManifestLevel> levels;  // coarsest first; each has its source, crs and encoding
                                      // filled in from the top-level keys where it gave none
};

// Parses manifest text. `path` names the file in messages and is the base for relative sources.
Result<Manifest> ParseManifest(std::string_view yaml, const std::string& path);

// Reads and parses the manifest file at `path`.
Result<Manifest> ReadManifest(const std::string& path);

}  // namespace wangge
