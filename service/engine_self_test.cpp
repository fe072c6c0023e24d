#include "service/engine_self_test.hpp"

#include <vector>

#include "engine/common/hex.hpp"
#include "engine/kzg/eip4844.hpp"

namespace kzgd {
namespace {

// The compressed BLS12-381 G1 generator (ZCash serialization).
constexpr const char* kG1GeneratorHex =
    "0x97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb";

kzg::Error failed(const std::string& what) {
  return kzg::make_error(kzg::ErrorCode::self_test_failed, "self-test: " + what);
}

// A blob whose i-th field element is value(i) (small, so canonical), big-endian.
template <class Value>
std::vector<std::uint8_t> small_blob(Value value) {
  std::vector<std::uint8_t> blob(kzg::kBytesPerBlob, 0);
  for (std::size_t i = 0; i < kzg::kFieldElementsPerBlob; ++i) {
    const std::uint32_t v = value(i);
    for (int b = 0; b < 4; ++b) blob[32 * i + 31 - b] = static_cast<std::uint8_t>(v >> (8 * b));
  }
  return blob;
}

}  // namespace

std::optional<kzg::Error> run_engine_self_test(const kzg::KzgSettings& s) {
  const auto ones = small_blob([](std::size_t) { return 1u; });
  const auto constant = kzg::blob_to_kzg_commitment(ones, s);
  if (!constant) return failed("commitment of the all-ones blob: " + constant.error().message);
  if (kzg::hex_encode(*constant) != kG1GeneratorHex)
    return failed("the commitment of the all-ones blob is " + kzg::hex_encode(*constant) +
                  ", not the G1 generator: the Lagrange setup points are wrong");

  const auto blob = small_blob([](std::size_t i) { return static_cast<std::uint32_t>(i * i * 7 + 3 * i + 11); });
  const auto commitment = kzg::blob_to_kzg_commitment(blob, s);
  if (!commitment) return failed("commitment: " + commitment.error().message);
  const auto proof = kzg::compute_blob_kzg_proof(blob, *commitment, s);
  if (!proof) return failed("blob proof: " + proof.error().message);
  const auto ok = kzg::verify_blob_kzg_proof(blob, *commitment, *proof, s);
  if (!ok) return failed("verification: " + ok.error().message);
  if (!*ok) return failed("a freshly computed blob proof does not verify: the G2 and Lagrange setup points disagree");
  const auto wrong = kzg::verify_blob_kzg_proof(blob, *constant, *proof, s);
  if (!wrong || *wrong) return failed("a proof verified against the wrong commitment");
  return std::nullopt;
}

}  // namespace kzgd
