#include "wangge/locate/location_csv.h"

#include <algorithm>
#include <cstdio>

namespace wangge {
namespace {

// Returns how many characters of `text` are special in CSV (comma, quote, CR, LF). Branch-free,
// so the compiler vectorizes it: it runs over the codes of every row.
size_t CountSpecial(std::string_view text) {
  unsigned count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    count += static_cast<unsigned>((c == ',') + (c == '"') + (c == '\r') + (c == '\n'));
  }
  return count;
}

}  // namespace

LocationCsv::LocationCsv(const PointIndex& index, bool with_distance)
    : index_(index), with_distance_(with_distance), chain_(index.hierarchy().level_count()) {}

void LocationCsv::AppendHeader(std::string& out) const {
  out += "id,status,on_boundary";
  for (const Level& level : index_.hierarchy().levels()) {
    out += ',';
    AppendField(out, level.name);
  }
  out += with_distance_ ? ",distance_m\n" : "\n";
}

void LocationCsv::AppendRows(std::span<const std::string_view> id_fields,
                             std::span<const Location> locations, std::string& out) {
  for (size_t i = 0; i < locations.size(); ++i) {
    index_.PrefetchAnswers(locations, i);
    AppendRow(id_fields[i], locations[i], out);
  }
}

void LocationCsv::AppendRow(std::string_view id_field, const Location& where, std::string& out) {
  const Hierarchy& h = index_.hierarchy();
  const std::string_view status = LocateStatusName(where.status);
  const std::string_view boundary = where.on_boundary ? ",true" : ",false";
  index_.Chain(where.assigned(), chain_);
  // Codes rarely need quotes: size the row, copy the codes plainly, then check what was copied in
  // one branch-free pass (the compiler vectorizes it) and only rewrite the row if it must.
  size_t size = id_field.size() + 1 + status.size() + boundary.size() + chain_.size();
  for (RegionId r : chain_) size += r == kNoRegion ? 0 : h.code(r).size();
  const size_t at = out.size();
  out.resize(at + size);
  char* p = out.data() + at;
  p = std::copy(id_field.begin(), id_field.end(), p);
  *p++ = ',';
  p = std::copy(status.begin(), status.end(), p);
  p = std::copy(boundary.begin(), boundary.end(), p);
  const char* const codes = p;
  for (RegionId r : chain_) {
    *p++ = ',';
    if (r == kNoRegion) continue;
    const std::string_view code = h.code(r);
    p = std::copy(code.begin(), code.end(), p);
  }
  if (CountSpecial(std::string_view(codes, static_cast<size_t>(p - codes))) != chain_.size()) {
    out.resize(at + id_field.size() + 1 + status.size() + boundary.size());
    for (RegionId r : chain_) {
      out += ',';
      if (r != kNoRegion) AppendField(out, h.code(r));
    }
  }
  if (with_distance_) {
    if (where.status == LocateStatus::kInside || where.status == LocateStatus::kBoundary) {
      out += ",0";
    } else if (where.nearest != kNoRegion) {
      char number[32];
      std::snprintf(number, sizeof number, ",%.2f", where.distance_m);
      out += number;
    } else {
      out += ',';
    }
  }
  out += '\n';
}

void LocationCsv::AppendField(std::string& out, std::string_view text) {
  if (CountSpecial(text) == 0) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace wangge
