#include "server/api_keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace wangge::server {
namespace {

constexpr std::string_view kSecretPrefix = "wg_";

std::array<uint8_t, 32> SaltedSha256(std::span<const uint8_t> salt, std::string_view secret) {
  std::array<uint8_t, 32> digest{};
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  unsigned int size = 0;
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  EVP_DigestUpdate(context, salt.data(), salt.size());
  EVP_DigestUpdate(context, secret.data(), secret.size());
  EVP_DigestFinal_ex(context, digest.data(), &size);
  EVP_MD_CTX_free(context);
  return digest;
}

std::string Hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (uint8_t b : bytes) {
    text += kDigits[b >> 4];
    text += kDigits[b & 15];
  }
  return text;
}

// Fills `out` from exactly 2 * out.size() hex digits.
bool ParseHex(std::string_view text, std::span<uint8_t> out) {
  if (text.size() != 2 * out.size()) return false;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < out.size(); ++i) {
    const int high = digit(text[2 * i]);
    const int low = digit(text[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<uint8_t>(high * 16 + low);
  }
  return true;
}

std::string Base64Url(std::span<const uint8_t> bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string text;
  uint32_t bits = 0;
  int pending = 0;
  for (uint8_t b : bytes) {
    bits = (bits << 8) | b;
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      text += kAlphabet[(bits >> pending) & 63];
    }
  }
  if (pending > 0) text += kAlphabet[(bits << (6 - pending)) & 63];
  return text;
}

// Names end up in YAML, JSON and logs: printable, no quotes or backslashes.
Status CheckName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("name: must not be empty");
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '"' || c == '\\') {
      return Status::InvalidArgument(
          "name: control characters, quotes and backslashes are not allowed");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view ApiRoleName(ApiRole role) {
  return role == ApiRole::kPlanner ? "planner" : "reader";
}

Result<ApiRole> ParseApiRole(std::string_view name) {
  if (name == "planner") return ApiRole::kPlanner;
  if (name == "reader") return ApiRole::kReader;
  return Status::InvalidArgument("unknown role \"" + std::string(name) +
                                 "\" (expected planner or reader)");
}

std::optional<ApiKey> FindApiKey(std::span<const ApiKey> keys, std::string_view secret) {
  std::optional<ApiKey> found;
  for (const ApiKey& key : keys) {
    const std::array<uint8_t, 32> digest = SaltedSha256(key.salt, secret);
    if (CRYPTO_memcmp(digest.data(), key.sha256.data(), digest.size()) == 0) found = key;
  }
  return found;
}

Result<NewApiKey> MakeApiKey(std::string name, ApiRole role) {
  if (Status s = CheckName(name); !s.ok()) return s;
  std::array<uint8_t, 32> secret_bytes{};
  NewApiKey key;
  if (RAND_bytes(secret_bytes.data(), static_cast<int>(secret_bytes.size())) != 1 ||
      RAND_bytes(key.entry.salt.data(), static_cast<int>(key.entry.salt.size())) != 1) {
    return Status::Internal("the system's random source failed");
  }
  key.secret = std::string(kSecretPrefix) + Base64Url(secret_bytes);
  key.entry.name = std::move(name);
  key.entry.role = role;
  key.entry.sha256 = SaltedSha256(key.entry.salt, key.secret);
  return key;
}

std::string ApiKeyYaml(const ApiKey& key) {
  return "  - name: \"" + key.name + "\"\n    role: " + std::string(ApiRoleName(key.role)) +
         "\n    salt: " + Hex(key.salt) + "\n    sha256: " + Hex(key.sha256) + "\n";
}

Result<ApiKey> ParseApiKey(std::string name, std::string_view role, std::string_view salt_hex,
                           std::string_view sha256_hex) {
  ApiKey key;
  if (Status s = CheckName(name); !s.ok()) return s;
  key.name = std::move(name);
  Result<ApiRole> parsed_role = ParseApiRole(role);
  if (!parsed_role.ok()) return parsed_role.status().WithContext("role");
  key.role = *parsed_role;
  if (!ParseHex(salt_hex, key.salt)) {
    return Status::InvalidArgument("salt: expected 32 hex digits");
  }
  if (!ParseHex(sha256_hex, key.sha256)) {
    return Status::InvalidArgument("sha256: expected 64 hex digits");
  }
  return key;
}

}  // namespace wangge::server
