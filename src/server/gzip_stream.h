// GzipStream: gzip (RFC 1952) compression of a response body that is produced piece by piece, so
// a streamed batch answer is compressed as it is sent (Content-Encoding: gzip).
//
//   GzipStream gzip;
//   std::string out;
//   gzip.Write(first_piece, /*finish=*/false, &out);
//   gzip.Write(last_piece, /*finish=*/true, &out);   // out is now a complete gzip stream
//
// Thread safety: one stream per response; not shared.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace wangge::server {

class GzipStream {
 public:
  // `level` 1 (fastest) .. 9 (smallest). Level 1 keeps a batch answer's compression cheaper than
  // locating its points, at about the ratio of level 6 on this repetitive JSON and CSV.
  explicit GzipStream(int level = 1);
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // Compresses `input`, appending what is ready to `out`; with `finish`, ends the stream.
  void Write(std::string_view input, bool finish, std::string* out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Returns `input` as one gzip stream.
std::string GzipCompress(std::string_view input, int level = 1);

}  // namespace wangge::server
