#include "service/cache/cache_codec.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>

#include "engine/common/bytes.hpp"
#include "engine/common/hex.hpp"

namespace kzgd {
namespace {

constexpr std::string_view kMagic = "kzc1";
constexpr std::size_t kMacBytes = 32;

enum class Kind { bytes, bytes_list, uint_list };

struct Param {
  const char* name;
  Kind kind;
  std::size_t size;  // of each byte string
};

std::span<const Param> params_of(std::string_view op) {
  static constexpr Param blob[] = {{"blob", Kind::bytes, kzg::kBytesPerBlob}};
  static constexpr Param blob_commitment[] = {{"blob", Kind::bytes, kzg::kBytesPerBlob},
                                              {"commitment", Kind::bytes, kzg::kBytesPerCommitment}};
  static constexpr Param blob_z[] = {{"blob", Kind::bytes, kzg::kBytesPerBlob},
                                     {"z", Kind::bytes, kzg::kBytesPerFieldElement}};
  static constexpr Param recover[] = {{"cell_indices", Kind::uint_list, 8},
                                      {"cells", Kind::bytes_list, kzg::kBytesPerCell}};
  if (op == "blob_to_kzg_commitment" || op == "compute_cells" || op == "compute_cells_and_kzg_proofs") return blob;
  if (op == "compute_blob_kzg_proof") return blob_commitment;
  if (op == "compute_kzg_proof") return blob_z;
  if (op == "recover_cells_and_kzg_proofs") return recover;
  return {};
}

struct Digest {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;

  void add(const void* data, std::size_t n) {
    if (ok) ok = EVP_DigestUpdate(ctx.get(), data, n) == 1;
  }
  void add(std::string_view s) { add(s.data(), s.size()); }
  void add_length(std::uint64_t n) {
    std::uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(n >> (56 - 8 * i));
    add(b, 8);
  }
  void add_field(std::string_view name, std::span<const std::uint8_t> bytes) {
    add(name);
    add_length(bytes.size());
    add(bytes.data(), bytes.size());
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

const nlohmann::json* member(const nlohmann::json& in, const char* name) {
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
  const auto params = params_of(operation);
  if (params.empty() || setup_fingerprint.empty()) return std::nullopt;
  Digest d;
  d.add_field("operation", std::span(reinterpret_cast<const std::uint8_t*>(operation.data()), operation.size()));
  d.add_field("setup", setup_fingerprint);
  for (const Param& p : params) {
    if (input.binary) {
      if (p.kind != Kind::bytes) return std::nullopt;
      const auto bytes = input.binary->field(p.name);
      if (bytes.size() != p.size) return std::nullopt;
      d.add_field(p.name, bytes);
      continue;
    }
    if (!input.json) return std::nullopt;
    switch (p.kind) {
      case Kind::bytes: {
        const nlohmann::json* v = member(*input.json, p.name);
        auto bytes = v ? json_bytes(*v, p.size) : std::nullopt;
        if (!bytes) return std::nullopt;
        d.add_field(p.name, *bytes);
        break;
      }
      case Kind::bytes_list: {
        const nlohmann::json* v = member(*input.json, p.name);
        if (!v || !v->is_array()) return std::nullopt;
        d.add(p.name);
        d.add_length(v->size());
        for (const auto& item : *v) {
          auto bytes = json_bytes(item, p.size);
          if (!bytes) return std::nullopt;
          d.add_field("", *bytes);
        }
        break;
      }
      case Kind::uint_list: {
        const nlohmann::json* v = member(*input.json, p.name);
        if (!v || !v->is_array()) return std::nullopt;
        d.add(p.name);
        d.add_length(v->size());
        for (const auto& item : *v) {
          if (!item.is_number_unsigned() && !(item.is_number_integer() && item.get<std::int64_t>() >= 0))
            return std::nullopt;
          d.add_length(item.get<std::uint64_t>());
        }
        break;
      }
    }
  }
  CacheDigest out{};
  unsigned length = 0;
  if (!d.ok || EVP_DigestFinal_ex(d.ctx.get(), out.data(), &length) != 1 || length != out.size()) return std::nullopt;
  return out;
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
