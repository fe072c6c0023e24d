#include "engine/kzg/decode.hpp"

#include <algorithm>

#include "engine/common/bytes.hpp"
#include "engine/common/parallel.hpp"

namespace kzg {

Result<Fr> bytes_to_bls_field(std::span<const std::uint8_t> bytes, const std::string& field) {
  if (bytes.size() != kBytesPerFieldElement)
    return make_error(ErrorCode::invalid_length, "expected 32 bytes, got " + std::to_string(bytes.size()), field);
  Fr x;
  if (!Fr::from_bytes_be(x, std::span<const std::uint8_t, 32>(bytes.data(), 32)))
    return make_error(ErrorCode::invalid_field_element, "field element is not canonical (>= BLS_MODULUS)", field);
  return x;
}

namespace {

// The blob's field elements, each checked canonical; in Montgomery form, or as the plain integers.
std::optional<Error> parse_blob(std::vector<Fr>& out, std::span<const std::uint8_t> blob, const std::string& field,
                                bool montgomery) {
  if (blob.size() != kBytesPerBlob)
    return make_error(ErrorCode::invalid_length,
                      "expected " + std::to_string(kBytesPerBlob) + " bytes, got " + std::to_string(blob.size()),
                      field);
  out.resize(kFieldElementsPerBlob);
  for (std::size_t i = 0; i < kFieldElementsPerBlob; ++i) {
    const auto a = limbs::from_be_bytes<4>(std::span<const std::uint8_t, 32>(blob.data() + 32 * i, 32));
    if (limbs::geq(a, Fr::modulus()))
      return make_error(ErrorCode::invalid_field_element,
                        "field element " + std::to_string(i) + " (byte " + std::to_string(32 * i) +
                            ") is not canonical (>= BLS_MODULUS)",
                        field);
    out[i] = montgomery ? Fr::from_canonical(a) : Fr::from_raw(a);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> blob_to_polynomial(std::vector<Fr>& out, std::span<const std::uint8_t> blob,
                                        const std::string& field) {
  return parse_blob(out, blob, field, true);
}

std::optional<Error> blob_to_raw_polynomial(std::vector<Fr>& out, std::span<const std::uint8_t> blob,
                                            const std::string& field) {
  return parse_blob(out, blob, field, false);
}

Result<G1Affine> bytes_to_g1(std::span<const std::uint8_t> bytes, const std::string& field) {
  if (bytes.size() != kBytesPerCommitment)
    return make_error(ErrorCode::invalid_length, "expected 48 bytes, got " + std::to_string(bytes.size()), field);
  G1Affine p;
  const PointError e = g1_decompress(p, std::span<const std::uint8_t, 48>(bytes.data(), 48));
  if (e != PointError::kOk)
    return make_error(ErrorCode::invalid_g1_point, std::string("invalid G1 point: ") + to_string(e), field);
  return p;
}

void bytes_to_g1_batch(std::span<const std::span<const std::uint8_t>> bytes, std::span<G1Affine> out,
                       std::span<std::optional<Error>> errors, const std::function<std::string(std::size_t)>& field,
                       unsigned threads) {
  std::vector<std::size_t> sized;  // the items of 48 bytes, decoded together
  std::vector<std::span<const std::uint8_t, 48>> in;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    errors[i].reset();
    if (bytes[i].size() != kBytesPerCommitment) {
      errors[i] =
          make_error(ErrorCode::invalid_length, "expected 48 bytes, got " + std::to_string(bytes[i].size()), field(i));
      continue;
    }
    sized.push_back(i);
    in.emplace_back(bytes[i].data(), 48);
  }
  std::vector<G1Affine> points(in.size());
  std::vector<PointError> point_errors(in.size());
  // One contiguous share per thread, each a batch of its own (at least a vector's worth of points).
  constexpr std::size_t kMinShare = 16;
  const std::size_t shares =
      std::max<std::size_t>(1, std::min<std::size_t>(threads == kAllCores ? 64 : threads, in.size() / kMinShare));
  parallel_for_each_index(shares, threads, [&](std::size_t k) {
    const std::size_t begin = in.size() * k / shares, end = in.size() * (k + 1) / shares;
    g1_decompress_batch(std::span(in).subspan(begin, end - begin), std::span(points).subspan(begin, end - begin),
                        std::span(point_errors).subspan(begin, end - begin));
  });
  for (std::size_t k = 0; k < sized.size(); ++k) {
    const std::size_t i = sized[k];
    if (point_errors[k] == PointError::kOk)
      out[i] = points[k];
    else
      errors[i] = make_error(ErrorCode::invalid_g1_point,
                             std::string("invalid G1 point: ") + to_string(point_errors[k]), field(i));
  }
}

Bytes32 bls_field_to_bytes(const Fr& x) {
  Bytes32 out{};
  x.to_bytes_be(out);
  return out;
}

Bytes48 g1_to_bytes(const G1Projective& p) {
  Bytes48 out{};
  g1_compress(out, p.to_affine());
  return out;
}

Fr hash_to_bls_field(const std::array<std::uint8_t, 32>& digest) { return Fr::from_bytes_be_reduce(digest); }

std::vector<Fr> compute_powers(const Fr& x, std::size_t n) {
  std::vector<Fr> powers(n);
  Fr cur = Fr::one();
  for (auto& p : powers) {
    p = cur;
    cur *= x;
  }
  return powers;
}

}  // namespace kzg
