#include "server/gzip_stream.h"

#include <algorithm>
#include <stdexcept>

#include <zlib.h>

namespace wangge::server {

struct GzipStream::State {
  z_stream z{};
  bool finished = false;
};

GzipStream::GzipStream(int level) : state_(std::make_unique<State>()) {
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&state_->z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib deflateInit2 failed");
  }
}

GzipStream::~GzipStream() { deflateEnd(&state_->z); }

void GzipStream::Write(std::string_view input, bool finish, std::string* out) {
  if (state_->finished) return;
  z_stream& z = state_->z;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  const int flush = finish ? Z_FINISH : Z_NO_FLUSH;
  int result;
  do {
    const size_t chunk = std::max<size_t>(16384, input.size() / 4);
    const size_t old_size = out->size();
    out->resize(old_size + chunk);
    z.next_out = reinterpret_cast<Bytef*>(out->data() + old_size);
    z.avail_out = static_cast<uInt>(chunk);
    result = deflate(&z, flush);
    out->resize(old_size + chunk - z.avail_out);
  } while (result != Z_STREAM_ERROR && (z.avail_out == 0 || (finish && result != Z_STREAM_END)));
  state_->finished = finish;
}

std::string GzipCompress(std::string_view input, int level) {
  GzipStream stream(level);
  std::string out;
  out.reserve(input.size() / 4 + 64);
  stream.Write(input, /*finish=*/true, &out);
  return out;
}

}  // namespace wangge::server
