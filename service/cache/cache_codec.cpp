#include "service/cache/cache_codec.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <memory>

#include "engine/common/hex.hpp"
#include "engine/common/sha256.hpp"
#include "service/cache/cache_options.hpp"
#include "service/catalogue/operation_catalogue.hpp"

namespace kzgd {
namespace {

constexpr std::string_view kMagic = "kzc1";
constexpr std::size_t kMacBytes = 32;

// The key's framing over the engine's SHA-256: names, then big-endian lengths before variable-length parts.
struct Digest {
  kzg::Sha256 sha;

  void add(std::string_view s) { sha.update(s); }
  void add_length(std::uint64_t n) {
    std::uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(n >> (56 - 8 * i));
    sha.update(b);
  }
  void add_field(std::string_view name, std::span<const std::uint8_t> bytes) {
    add(name);
    add_length(bytes.size());
    sha.update(bytes);
  }
};

// A JSON parameter decoded as the engine decodes it: a 0x-hex string of exactly `size` bytes. Anything else gives
// nothing (the request is then run uncached, and the engine names what is wrong).
std::optional<std::vector<std::uint8_t>> json_bytes(const nlohmann::json& v, std::size_t size) {
  if (!v.is_string()) return std::nullopt;
  std::vector<std::uint8_t> out(size);
  if (!kzg::hex_decode_into(out, v.get_ref<const std::string&>())) return std::nullopt;
  return out;
}

const nlohmann::json* member(const nlohmann::json& in, const std::string& name) {
  const auto it = in.find(name);
  return it == in.end() ? nullptr : &*it;
}

// Output encoding: a tag byte, then for bytes a 4-byte length and the bytes, for a list a 4-byte count and the
// items.
enum Tag : std::uint8_t { kFalse = 0, kTrue = 1, kBytes = 2, kList = 3 };

void put_u32(std::string& out, std::size_t n) {
  for (int i = 3; i >= 0; --i) out += static_cast<char>((n >> (8 * i)) & 0xff);
}

bool encode_into(const nlohmann::json& v, std::string& out, int depth) {
  if (depth > 4) return false;
  if (v.is_boolean()) {
    out += static_cast<char>(v.get<bool>() ? kTrue : kFalse);
    return true;
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    auto bytes = kzg::hex_decode(s, 1u << 26);
    if (!bytes || !s.starts_with("0x")) return false;
    out += static_cast<char>(kBytes);
    put_u32(out, bytes->size());
    out.append(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    return true;
  }
  if (v.is_array()) {
    out += static_cast<char>(kList);
    put_u32(out, v.size());
    for (const auto& item : v)
      if (!encode_into(item, out, depth + 1)) return false;
    return true;
  }
  return false;
}

struct Reader {
  std::string_view in;
  bool u32(std::size_t& n) {
    if (in.size() < 4) return false;
    n = 0;
    for (int i = 0; i < 4; ++i) n = (n << 8) | static_cast<std::uint8_t>(in[i]);
    in.remove_prefix(4);
    return true;
  }
};

bool decode_from(Reader& r, nlohmann::json& out, int depth) {
  if (r.in.empty() || depth > 4) return false;
  const auto tag = static_cast<std::uint8_t>(r.in[0]);
  r.in.remove_prefix(1);
  std::size_t n = 0;
  switch (tag) {
    case kFalse:
    case kTrue:
      out = tag == kTrue;
      return true;
    case kBytes:
      if (!r.u32(n) || r.in.size() < n) return false;
      out = kzg::hex_encode(std::span(reinterpret_cast<const std::uint8_t*>(r.in.data()), n));
      r.in.remove_prefix(n);
      return true;
    case kList:
      // Each item takes at least one byte: a count beyond what is left is a lie, refused before allocating.
      if (!r.u32(n) || n > r.in.size()) return false;
      out = nlohmann::json::array();
      for (std::size_t i = 0; i < n; ++i) {
        nlohmann::json item;
        if (!decode_from(r, item, depth + 1)) return false;
        out.push_back(std::move(item));
      }
      return true;
    default:
      return false;
  }
}

bool mac_of(std::span<const std::uint8_t> key, std::string_view redis_key, std::string_view payload,
            std::uint8_t (&out)[kMacBytes]) {
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr), EVP_MAC_free);
  if (!mac) return false;
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_new(mac.get()), EVP_MAC_CTX_free);
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest_name, 0), OSSL_PARAM_construct_end()};
  std::size_t length = 0;
  const std::string key_length = std::to_string(redis_key.size()) + ":";
  return ctx && EVP_MAC_init(ctx.get(), key.data(), key.size(), params) == 1 &&
         EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(key_length.data()), key_length.size()) == 1 &&
         EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(redis_key.data()), redis_key.size()) == 1 &&
         EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(payload.data()), payload.size()) == 1 &&
         EVP_MAC_final(ctx.get(), out, &length, kMacBytes) == 1 && length == kMacBytes;
}

}  // namespace

std::optional<CacheDigest> cache_key(std::string_view operation, const OperationInput& input,
                                     std::span<const std::uint8_t> setup_fingerprint) {
  const auto& cacheable = cacheable_operations();
  const OperationEntry* entry = find_operation_entry(operation);
  if (entry == nullptr || setup_fingerprint.empty() ||
      std::find(cacheable.begin(), cacheable.end(), operation) == cacheable.end())
    return std::nullopt;
  Digest d;
  d.add_field("operation", std::span(reinterpret_cast<const std::uint8_t*>(operation.data()), operation.size()));
  d.add_field("setup", setup_fingerprint);
  // The parameters as the catalogue describes them (the JSON contract): byte strings, and lists of byte strings
  // or of indices. Lists of lists and booleans are no cacheable operation's.
  for (const Parameter& p : entry->parameters) {
    const std::size_t size = wire_bytes(p.value.type);
    const bool list = p.value.max_items != 0;
    if (p.value.max_inner_items != 0 || p.value.type == WireType::boolean) return std::nullopt;
    if (input.binary) {
      if (list) return std::nullopt;
      const auto bytes = input.binary->field(p.name);
      if (bytes.size() != size) return std::nullopt;
      d.add_field(p.name, bytes);
      continue;
    }
    if (!input.json) return std::nullopt;
    const nlohmann::json* v = member(*input.json, std::string(p.name));
    if (v == nullptr) return std::nullopt;
    if (!list) {
      auto bytes = json_bytes(*v, size);
      if (!bytes) return std::nullopt;
      d.add_field(p.name, *bytes);
      continue;
    }
    if (!v->is_array() || v->size() > p.value.max_items) return std::nullopt;
    d.add(p.name);
    d.add_length(v->size());
    for (const auto& item : *v) {
      if (p.value.type == WireType::index) {
        if (!item.is_number_unsigned() && !(item.is_number_integer() && item.get<std::int64_t>() >= 0))
          return std::nullopt;
        d.add_length(item.get<std::uint64_t>());
        continue;
      }
      auto bytes = json_bytes(item, size);
      if (!bytes) return std::nullopt;
      d.add_field("", *bytes);
    }
  }
  return d.sha.finish();
}

std::optional<std::string> encode_output(const nlohmann::json& output) {
  std::string out;
  if (!encode_into(output, out, 0)) return std::nullopt;
  return out;
}

std::optional<nlohmann::json> decode_output(std::string_view bytes) {
  Reader r{bytes};
  nlohmann::json out;
  if (!decode_from(r, out, 0) || !r.in.empty()) return std::nullopt;
  return out;
}

std::string_view to_string(SealCheck c) {
  switch (c) {
    case SealCheck::ok:
      return "ok";
    case SealCheck::truncated:
      return "truncated";
    case SealCheck::mac:
      return "mac";
    case SealCheck::format:
      return "format";
  }
  return "format";
}

std::string seal_entry(std::span<const std::uint8_t> mac_key, std::string_view redis_key, std::string_view payload) {
  std::uint8_t mac[kMacBytes];
  if (!mac_of(mac_key, redis_key, payload, mac)) return {};
  std::string out(kMagic);
  out.append(reinterpret_cast<const char*>(mac), kMacBytes);
  out.append(payload);
  return out;
}

SealCheck open_entry(std::span<const std::uint8_t> mac_key, std::string_view redis_key, std::string_view value,
                     std::string_view& payload) {
  if (value.size() < kMagic.size()) return SealCheck::truncated;
  if (!value.starts_with(kMagic)) return SealCheck::format;
  if (value.size() < kMagic.size() + kMacBytes) return SealCheck::truncated;
  const std::string_view given = value.substr(kMagic.size(), kMacBytes);
  const std::string_view body = value.substr(kMagic.size() + kMacBytes);
  std::uint8_t expected[kMacBytes];
  if (!mac_of(mac_key, redis_key, body, expected)) return SealCheck::mac;
  if (CRYPTO_memcmp(expected, given.data(), kMacBytes) != 0) return SealCheck::mac;
  payload = body;
  return SealCheck::ok;
}

}  // namespace kzgd
