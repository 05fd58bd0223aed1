#include "load/internal/text_decoder.h"

#include <cerrno>
#include <cstdint>
#include <utility>

#include <iconv.h>

namespace wangge::internal {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

bool IsAscii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Returns the length of the well-formed UTF-8 sequence at the start of `s`, or 0.
size_t Utf8SequenceLength(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  size_t length = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

std::string Upper(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

}  // namespace

std::string CanonicalEncoding(std::string_view name) {
  std::string n = Upper(name);
  if (n.starts_with("ANSI")) n = n.substr(4);  // some .cpg files say "ANSI 936"
  if (n == "UTF-8" || n == "UTF8" || n == "65001") return "UTF-8";
  if (n == "GBK" || n == "CP936" || n == "936" || n == "MS936" || n == "WINDOWS-936" ||
      n == "GB2312" || n == "EUC-CN") {
    return "GBK";
  }
  if (n == "GB18030" || n == "54936") return "GB18030";
  if (!n.empty() && n.find_first_not_of("0123456789") == std::string::npos) return "CP" + n;
  return n;
}

struct TextDecoder::Iconv {
  iconv_t cd;
  explicit Iconv(iconv_t handle) : cd(handle) {}
  ~Iconv() { iconv_close(cd); }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
};

TextDecoder::TextDecoder(std::string name, std::unique_ptr<Iconv> iconv)
    : name_(std::move(name)), iconv_(std::move(iconv)) {}

TextDecoder::TextDecoder(TextDecoder&&) noexcept = default;
TextDecoder& TextDecoder::operator=(TextDecoder&&) noexcept = default;
TextDecoder::~TextDecoder() = default;

Result<TextDecoder> TextDecoder::Create(std::string_view encoding) {
  std::string name = CanonicalEncoding(encoding);
  if (name.empty() || name == "UTF-8") return TextDecoder("UTF-8", nullptr);
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {  // NOLINT(performance-no-int-to-ptr): iconv's API
    return Status::DataError("unknown text encoding '" + std::string(encoding) + "'");
  }
  return TextDecoder(std::move(name), std::make_unique<Iconv>(cd));
}

bool TextDecoder::Decode(std::string_view bytes, std::string* out) {
  if (!iconv_ || IsAscii(bytes)) return SanitizeUtf8(bytes, out);
  out->clear();
  iconv(iconv_->cd, nullptr, nullptr, nullptr, nullptr);  // reset the shift state
  bool ok = true;
  char buffer[1024];
  // iconv takes a non-const input pointer but does not write through it.
  char* in = const_cast<char*>(bytes.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  size_t in_left = bytes.size();
  while (in_left > 0) {
    char* dst = buffer;
    size_t dst_left = sizeof(buffer);
    const size_t r = iconv(iconv_->cd, &in, &in_left, &dst, &dst_left);
    out->append(buffer, static_cast<size_t>(dst - buffer));
    if (r != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) continue;  // buffer full: flush and go on
    // EILSEQ (an invalid sequence) or EINVAL (truncated at the end): replace one byte, go on.
    ok = false;
    out->append(kReplacement);
    ++in;
    --in_left;
    iconv(iconv_->cd, nullptr, nullptr, nullptr, nullptr);
  }
  return ok;
}

bool SanitizeUtf8(std::string_view bytes, std::string* out) {
  size_t i = 0;
  while (i < bytes.size() && static_cast<unsigned char>(bytes[i]) < 0x80) ++i;
  if (i == bytes.size()) {
    out->assign(bytes);
    return true;
  }
  out->assign(bytes.substr(0, i));
  bool ok = true;
  while (i < bytes.size()) {
    const size_t n = Utf8SequenceLength(bytes.substr(i));
    if (n == 0) {
      ok = false;
      out->append(kReplacement);
      ++i;
    } else {
      out->append(bytes.substr(i, n));
      i += n;
    }
  }
  return ok;
}

}  // namespace wangge::internal
