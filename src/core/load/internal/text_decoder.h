// TextDecoder: turns attribute bytes in a declared encoding (UTF-8, GBK, GB18030, anything iconv
// knows) into UTF-8. Bytes that do not decode become U+FFFD and are reported, never dropped.
//
//   Result<TextDecoder> d = TextDecoder::Create("CP936");
//   std::string text;
//   if (!d->Decode(raw, &text)) Warn("undecodable text");
//
// Thread safety: a TextDecoder holds iconv state; use one per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "wangge/base/result.h"

namespace wangge::internal {

// Returns the canonical name of an encoding as a .cpg file, a manifest or GDAL writes it:
// "UTF-8" for UTF-8/UTF8/65001, "GBK" for GBK/CP936/936/MS936/GB2312, "GB18030" for GB18030/54936,
// "CP<n>" for a bare code page number, else the name upper-cased.
std::string CanonicalEncoding(std::string_view name);

class TextDecoder {
 public:
  // Returns a decoder for `encoding` (any spelling CanonicalEncoding knows), or kDataError if
  // the system's iconv does not know it.
  static Result<TextDecoder> Create(std::string_view encoding);

  TextDecoder(TextDecoder&&) noexcept;
  TextDecoder& operator=(TextDecoder&&) noexcept;
  ~TextDecoder();

  // The canonical encoding name, e.g. "GBK".
  const std::string& name() const { return name_; }

  // Sets *out to `bytes` decoded as UTF-8. Returns false if some bytes did not decode; each such
  // byte (or truncated sequence) is replaced by U+FFFD.
  bool Decode(std::string_view bytes, std::string* out);

 private:
  struct Iconv;
  TextDecoder(std::string name, std::unique_ptr<Iconv> iconv);

  std::string name_;
  std::unique_ptr<Iconv> iconv_;  // null for UTF-8
};

// Sets *out to `bytes` with every byte that is not part of a well-formed UTF-8 sequence replaced
// by U+FFFD. Returns false if any was.
bool SanitizeUtf8(std::string_view bytes, std::string* out);

}  // namespace wangge::internal
