// The AVX-512 IFMA backend of the batch-affine bucket sums (see curve/batch_affine.hpp).
//
// Batch-affine additions are many independent field operations, which suits SIMD: this backend adds
// eight points at once, lane i of every vector belonging to addition i. Field elements are eight 52-bit
// limbs (vpmadd52luq/vpmadd52huq multiply 52-bit limbs into 104-bit products), in Montgomery form for
// R' = 2^416, so a multiplication of eight elements is 8 x 33 multiply-adds. p < 2^381 leaves 35 spare bits,
// which lets sums and differences go unreduced into products; stored coordinates are canonical, so points
// compare by their limbs. One field inversion per batch is done in scalar code on the eight lane products.
//
// Points enter through from_affine() (one vector multiplication per eight coordinates converts R = 2^384
// Montgomery form into R' form) and leave through to_affine(). available() says whether the CPU can run it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/curve/batch_affine.hpp"

#if !defined(KZG_HAVE_IFMA) && defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KZG_HAVE_IFMA 1
#endif

#ifdef KZG_HAVE_IFMA
namespace kzg::batch_affine {

struct IfmaBackend {
  // An affine point: limbs (least significant first) of the canonical values x 2^416 mod p and
  // y 2^416 mod p. Bit 63 of x[7] (never set in a canonical value) marks the identity.
  struct alignas(64) Point {
    std::uint64_t x[8];
    std::uint64_t y[8];
  };
  static constexpr std::uint64_t kIdentityFlag = std::uint64_t{1} << 63;

  // Eight field elements, limb-major: v[8 * limb + lane].
  struct alignas(64) Lanes {
    std::uint64_t v[64];
  };

  class Adder {
   public:
    void queue(Point* dst, const Point* a, bool negate_a, const Point* b, bool negate_b) {
      jobs_.push_back({dst, a, b, negate_a, negate_b, false});
    }
    std::size_t size() const { return jobs_.size(); }
    void run();

   private:
    struct Job {
      Point* dst;
      const Point* a;
      const Point* b;
      bool negate_a, negate_b, doubling;
    };
    // A result that needs no arithmetic (an identity operand, or a sum that cancels), computed before any
    // write of the batch and stored after.
    struct Direct {
      Point* dst;
      Point value;
    };
    std::vector<Job> jobs_, vector_jobs_;
    std::vector<Direct> direct_;
    std::vector<Lanes> denominator_, prefix_;
    Point padding_{};  // the destination of the copies that fill the last group of eight
  };

  // Costs in batched affine additions, for choosing between batch-affine and Jacobian bucket sums.
  static constexpr double kJacobianAddCost = 10.0;
  static constexpr double kInversionCost = 250.0;

  // Whether this CPU has AVX-512F and AVX-512 IFMA (checked once).
  static bool available();
  static bool is_identity(const Point& p) { return (p.x[7] & kIdentityFlag) != 0; }
  static Point identity() {
    Point p{};
    p.x[7] = kIdentityFlag;
    return p;
  }
  static Point signed_copy(const Point& p, bool negate);
  static void from_affine(std::span<Point> out, std::span<const G1Affine> in);
  static void to_affine(std::span<G1Affine> out, std::span<const Point> in);
  // out[i] = in[i] and out[n + i] = [x^2]in[i] = (beta x, -y), the multiplications by beta eight at a time.
  static void glv_bases(std::span<Point> out, std::span<const G1Affine> in);
};

}  // namespace kzg::batch_affine
#endif
