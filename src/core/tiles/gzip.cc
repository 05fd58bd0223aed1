#include "wangge/tiles/gzip.h"

#include <zlib.h>

namespace wangge {

Result<std::string> GzipCompress(std::string_view data, int level) {
  z_stream stream{};
  // windowBits 15 + 16: write a gzip header and trailer.
  if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("zlib deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return Status::Internal("zlib deflate did not finish");
  return out;
}

Result<std::string> GzipDecompress(std::string_view data) {
  z_stream stream{};
  // windowBits 15 + 32: accept gzip or zlib headers.
  if (inflateInit2(&stream, 15 + 32) != Z_OK) return Status::Internal("zlib inflateInit2 failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[16384];
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (result == Z_BUF_ERROR && stream.avail_in == 0) break;
  }
  inflateEnd(&stream);
  if (result != Z_STREAM_END) return Status::DataError("corrupt or truncated gzip stream");
  return out;
}

}  // namespace wangge
