// Randomized round trips of the EIP-4844 functions, tampering, and algebraic identities.
#include "engine/kzg/eip4844.hpp"

#include <gtest/gtest.h>

#include "engine/kzg/decode.hpp"
#include "tests/support/random_blobs.hpp"
#include "tests/support/spec_vectors.hpp"
#include "tests/support/verdicts.hpp"

namespace kzg {
namespace {

using test::accepted;
using test::mainnet_settings;
using test::random_blob;
using test::rejected;

Bytes32 fr_bytes(const Fr& x) { return bls_field_to_bytes(x); }

TEST(Eip4844, CommitProveVerifyRoundTrip) {
  std::mt19937_64 rng(1);
  const auto& s = mainnet_settings();
  for (int i = 0; i < 3; ++i) {
    const auto blob = random_blob(rng);
    const auto c = blob_to_kzg_commitment(blob, s);
    ASSERT_TRUE(c.ok());
    const auto proof = compute_blob_kzg_proof(blob, *c, s);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(accepted(verify_blob_kzg_proof(blob, *c, *proof, s)));

    const Bytes32 z = fr_bytes(test::random_fr(rng));
    const auto py = compute_kzg_proof(blob, z, s);
    ASSERT_TRUE(py.ok());
    EXPECT_TRUE(accepted(verify_kzg_proof(*c, z, py->y, py->proof, s)));
    // A wrong value or a proof for another point is refused.
    const auto y = bytes_to_bls_field(py->y, "y");
    ASSERT_TRUE(y.ok()) << y.error().message;
    Bytes32 y2 = fr_bytes(*y + Fr::one());
    EXPECT_TRUE(rejected(verify_kzg_proof(*c, z, y2, py->proof, s)));
    EXPECT_TRUE(rejected(verify_kzg_proof(*c, z, py->y, *proof, s)));
  }
}

TEST(Eip4844, TamperedBlobCommitmentOrProofIsRejected) {
  std::mt19937_64 rng(2);
  const auto& s = mainnet_settings();
  auto blob = random_blob(rng);
  const auto other = random_blob(rng);
  const auto c = blob_to_kzg_commitment(blob, s);
  const auto c_other = blob_to_kzg_commitment(other, s);
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE(c_other.ok()) << c_other.error().message;
  const auto proof = compute_blob_kzg_proof(blob, *c, s);
  const auto proof_other = compute_blob_kzg_proof(other, *c_other, s);
  ASSERT_TRUE(proof.ok()) << proof.error().message;
  ASSERT_TRUE(proof_other.ok()) << proof_other.error().message;
  EXPECT_TRUE(rejected(verify_blob_kzg_proof(blob, *c, *proof_other, s)));
  EXPECT_TRUE(rejected(verify_blob_kzg_proof(blob, *c_other, *proof, s)));
  blob[100] ^= 1;
  EXPECT_TRUE(rejected(verify_blob_kzg_proof(blob, *c, *proof, s)));
}

TEST(Eip4844, EvaluationInsideTheDomainIsTheBlobEntry) {
  std::mt19937_64 rng(3);
  const auto& s = mainnet_settings();
  const auto blob = random_blob(rng);
  const auto c = blob_to_kzg_commitment(blob, s);
  ASSERT_TRUE(c.ok()) << c.error().message;
  for (std::size_t i : {0u, 1u, 2049u, 4095u}) {
    const Bytes32 z = fr_bytes(s.roots_of_unity_brp()[i]);
    const auto py = compute_kzg_proof(blob, z, s);
    ASSERT_TRUE(py.ok());
    EXPECT_TRUE(std::equal(py->y.begin(), py->y.end(), blob.begin() + 32 * i));
    EXPECT_TRUE(accepted(verify_kzg_proof(*c, z, py->y, py->proof, s)));
  }
}

TEST(Eip4844, CommitmentToAConstantIsThatMultipleOfTheGenerator) {
  const auto& s = mainnet_settings();
  const Fr k = Fr::from_u64(123456789);
  std::vector<std::uint8_t> blob(kBytesPerBlob);
  for (std::size_t i = 0; i < kFieldElementsPerBlob; ++i)
    k.to_bytes_be(std::span<std::uint8_t, 32>(blob.data() + 32 * i, 32));
  const auto c = blob_to_kzg_commitment(blob, s);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, g1_to_bytes(g1_mul(G1Projective::from_affine(G1Affine::generator()), k)));
  // The zero blob commits to the point at infinity.
  const std::vector<std::uint8_t> zero(kBytesPerBlob, 0);
  Bytes48 inf{};
  inf[0] = 0xc0;
  const auto zero_c = blob_to_kzg_commitment(zero, s);
  ASSERT_TRUE(zero_c.ok()) << zero_c.error().message;
  EXPECT_EQ(*zero_c, inf);
}

TEST(Eip4844, BatchVerification) {
  std::mt19937_64 rng(4);
  const auto& s = mainnet_settings();
  const std::size_t n = 4;
  std::vector<std::vector<std::uint8_t>> blobs;
  std::vector<Bytes48> cs, ps;
  for (std::size_t i = 0; i < n; ++i) {
    blobs.push_back(random_blob(rng));
    const auto c = blob_to_kzg_commitment(blobs.back(), s);
    ASSERT_TRUE(c.ok()) << c.error().message;
    cs.push_back(*c);
    const auto p = compute_blob_kzg_proof(blobs.back(), cs.back(), s);
    ASSERT_TRUE(p.ok()) << p.error().message;
    ps.push_back(*p);
  }
  auto views = [](auto& v) {
    std::vector<std::span<const std::uint8_t>> out;
    out.reserve(v.size());
    for (const auto& x : v) out.emplace_back(x);
    return out;
  };
  EXPECT_TRUE(accepted(verify_blob_kzg_proof_batch(views(blobs), views(cs), views(ps), s)));
  // The parallel path (per-blob work on several threads) gives the same answers and the same first error.
  EXPECT_TRUE(accepted(verify_blob_kzg_proof_batch(views(blobs), views(cs), views(ps), s, 3)));
  {
    auto bad = blobs;
    bad[1][0] = 0xff;  // field element 0 of blob 1 not canonical
    bad[3][0] = 0xff;
    const auto serial = verify_blob_kzg_proof_batch(views(bad), views(cs), views(ps), s, 1);
    const auto parallel = verify_blob_kzg_proof_batch(views(bad), views(cs), views(ps), s, 4);
    ASSERT_FALSE(serial.ok());
    ASSERT_FALSE(parallel.ok());
    EXPECT_EQ(parallel.error().field, serial.error().field);
    EXPECT_EQ(parallel.error().field.rfind("blobs[1]", 0), 0u) << parallel.error().field;
  }
  std::swap(ps[0], ps[1]);
  EXPECT_TRUE(rejected(verify_blob_kzg_proof_batch(views(blobs), views(cs), views(ps), s)));
  EXPECT_TRUE(rejected(verify_blob_kzg_proof_batch(views(blobs), views(cs), views(ps), s, 2)));
  EXPECT_TRUE(accepted(verify_blob_kzg_proof_batch({}, {}, {}, s)));
  auto short_cs = views(cs);
  short_cs.pop_back();
  const auto mismatch = verify_blob_kzg_proof_batch(views(blobs), short_cs, views(ps), s);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code, kzg::ErrorCode::length_mismatch);
}

// The same answer, claim by claim, as the single function: a randomized mix of true claims, false claims and
// claims that do not decode, in groups of every size up to 40 (the bisection's paths: a false claim first,
// last, in the middle, several, all).
void expect_same_answer(const Result<bool>& each, const Result<bool>& alone, std::size_t i) {
  ASSERT_EQ(each.ok(), alone.ok()) << "claim " << i;
  if (alone.ok()) {
    EXPECT_EQ(*each, *alone) << "claim " << i;
  } else {
    EXPECT_EQ(each.error().code, alone.error().code) << "claim " << i;
    EXPECT_EQ(each.error().field, alone.error().field) << "claim " << i;
  }
}

TEST(Eip4844, KzgProofsVerifiedTogetherAnswerEachAsAlone) {
  std::mt19937_64 rng(5);
  const auto& s = mainnet_settings();
  // A pool of true claims: two blobs, several points each.
  struct Claim {
    Bytes48 commitment, proof;
    Bytes32 z, y;
  };
  std::vector<Claim> pool;
  for (int b = 0; b < 2; ++b) {
    const auto blob = random_blob(rng);
    const auto c = blob_to_kzg_commitment(blob, s);
    ASSERT_TRUE(c.ok()) << c.error().message;
    for (int k = 0; k < 6; ++k) {
      const Bytes32 z = fr_bytes(test::random_fr(rng));
      const auto py = compute_kzg_proof(blob, z, s);
      ASSERT_TRUE(py.ok()) << py.error().message;
      pool.push_back({*c, py->proof, z, py->y});
    }
  }
  const Bytes32 not_canonical = [] {
    Bytes32 b;
    b.fill(0xff);
    return b;
  }();
  Bytes48 not_a_point{};
  not_a_point[0] = 0xc0;  // the point at infinity, but with a nonzero byte: not an encoding
  not_a_point[47] = 1;
  std::size_t seen[3] = {0, 0, 0};  // true, false, error
  for (int round = 0; round < 12; ++round) {
    const std::size_t n = round < 4 ? round + 1 : 1 + rng() % 40;
    std::vector<Claim> claims;
    for (std::size_t i = 0; i < n; ++i) {
      Claim c = pool[rng() % pool.size()];
      switch (rng() % (round % 3 == 0 ? 4 : 12)) {  // some rounds are mostly false
        case 0:
          c.y = fr_bytes(*bytes_to_bls_field(c.y, "y") + Fr::one());
          break;
        case 1:
          c.proof = pool[rng() % pool.size()].proof;
          break;  // usually another claim's proof
        case 2:
          c.z = not_canonical;
          break;
        case 3:
          c.commitment = not_a_point;
          break;
        default:
          break;
      }
      claims.push_back(c);
    }
    std::vector<KzgProofClaim> views;
    views.reserve(claims.size());
    for (const Claim& c : claims) views.push_back({c.commitment, c.z, c.y, c.proof});
    const auto each = verify_kzg_proof_each(views, s);
    ASSERT_EQ(each.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto alone = verify_kzg_proof(claims[i].commitment, claims[i].z, claims[i].y, claims[i].proof, s);
      expect_same_answer(each[i], alone, i);
      ++seen[alone.ok() ? (*alone ? 0 : 1) : 2];
    }
  }
  // The mix had true claims, false claims and errors.
  EXPECT_GT(seen[0], 0u);
  EXPECT_GT(seen[1], 0u);
  EXPECT_GT(seen[2], 0u);
  EXPECT_TRUE(verify_kzg_proof_each({}, s).empty());
}

TEST(Eip4844, BlobProofsVerifiedTogetherAnswerEachAsAlone) {
  std::mt19937_64 rng(6);
  const auto& s = mainnet_settings();
  struct Claim {
    std::vector<std::uint8_t> blob;
    Bytes48 commitment, proof;
  };
  std::vector<Claim> pool;
  for (int b = 0; b < 4; ++b) {
    Claim c{random_blob(rng), {}, {}};
    const auto commitment = blob_to_kzg_commitment(c.blob, s);
    ASSERT_TRUE(commitment.ok()) << commitment.error().message;
    c.commitment = *commitment;
    const auto proof = compute_blob_kzg_proof(c.blob, c.commitment, s);
    ASSERT_TRUE(proof.ok()) << proof.error().message;
    c.proof = *proof;
    pool.push_back(std::move(c));
  }
  std::size_t seen[3] = {0, 0, 0};  // true, false, error
  for (int round = 0; round < 6; ++round) {
    const std::size_t n = 1 + rng() % 12;
    std::vector<Claim> claims;
    for (std::size_t i = 0; i < n; ++i) {
      Claim c = pool[rng() % pool.size()];
      switch (rng() % 6) {
        case 0:
          c.proof = pool[(rng() % (pool.size() - 1) + 1 + i) % pool.size()].proof;
          break;
        case 1:
          c.blob[32 * 7] = 0xff;
          break;  // field element 7 not canonical
        case 2:
          c.proof[0] &= 0x7f;
          break;  // not compressed
        default:
          break;
      }
      claims.push_back(std::move(c));
    }
    std::vector<BlobProofClaim> views;
    views.reserve(claims.size());
    for (const Claim& c : claims) views.push_back({c.blob, c.commitment, c.proof});
    const auto each = verify_blob_kzg_proof_each(views, s);
    ASSERT_EQ(each.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto alone = verify_blob_kzg_proof(claims[i].blob, claims[i].commitment, claims[i].proof, s);
      expect_same_answer(each[i], alone, i);
      ++seen[alone.ok() ? (*alone ? 0 : 1) : 2];
    }
  }
  EXPECT_GT(seen[0], 0u);
  EXPECT_GT(seen[1], 0u);
  EXPECT_GT(seen[2], 0u);
}

TEST(Eip4844, BadInputsNameTheField) {
  std::mt19937_64 rng(5);
  const auto& s = mainnet_settings();
  auto blob = random_blob(rng);
  const auto c = blob_to_kzg_commitment(blob, s);
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto bad_blob = blob;
  std::fill(bad_blob.begin() + 32 * 17, bad_blob.begin() + 32 * 18, 0xff);
  const auto e1 = blob_to_kzg_commitment(bad_blob, s);
  ASSERT_FALSE(e1.ok());
  EXPECT_EQ(e1.error().field, "blob");
  EXPECT_NE(e1.error().message.find("field element 17"), std::string::npos);
  auto bad_c = *c;
  bad_c[0] &= 0x7f;  // compression flag cleared
  const auto e2 = compute_blob_kzg_proof(blob, bad_c, s);
  ASSERT_FALSE(e2.ok());
  EXPECT_EQ(e2.error().field, "commitment");
  const auto e3 = blob_to_kzg_commitment(std::span<const std::uint8_t>(blob).first(100), s);
  ASSERT_FALSE(e3.ok());
  EXPECT_EQ(e3.error().code, kzg::ErrorCode::invalid_length);
}

}  // namespace
}  // namespace kzg
