// Gzip: RFC 1952 compression of tile bytes, as MBTiles stores vector tiles and as HTTP sends them
// with Content-Encoding: gzip.
//
//   Result<std::string> body = GzipCompress(mvt);
//
// Thread safety: reentrant.
#pragma once

#include <string>
#include <string_view>

#include "wangge/base/result.h"

namespace wangge {

// Returns `data` gzip-compressed at `level` (1 fastest .. 9 smallest; 6 is zlib's default).
Result<std::string> GzipCompress(std::string_view data, int level = 6);

// Returns the inflated bytes of a gzip (or zlib) stream; kDataError for a corrupt stream.
Result<std::string> GzipDecompress(std::string_view data);

}  // namespace wangge
