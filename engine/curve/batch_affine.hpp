// Batch-affine point additions for bucket-method multi-scalar multiplication on G1.
//
// An affine addition costs one field inversion plus 2 multiplications and a squaring. Montgomery's trick
// shares one inversion among a whole batch of independent additions for 3 more multiplications each, so a
// batched affine addition costs about 6 multiplications, against 11 for a mixed Jacobian addition. Bucket
// methods have plenty of independent additions, provided no two additions of a batch touch the same point:
//
// - sum_bucket_lists() sums, for every bucket, a list of (signed) points by pairwise tree reduction: each
//   round halves every list, and all pairs of all buckets form one batch. There are no conflicts to
//   manage, and a bucket that gets many points (repeated scalars) costs log2(count) rounds, not count.
// - weighted_bucket_sums() computes sum_b (b + 1) bucket[b] for many windows at once: each window's buckets
//   are cut into chunks whose running sums advance in lock-step, one batch per step, and the chunk results
//   are combined in Jacobian coordinates. It falls back to the plain Jacobian running sum when there are
//   too few buckets for batches to pay off.
//
// Both are generic over a backend: the point representation and the batch adder. PortableBackend works on
// G1Affine with the library's field arithmetic; IfmaBackend (curve/batch_affine_ifma.hpp) keeps points in
// radix 2^52 and adds eight at a time with AVX-512 IFMA.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "engine/curve/g1.hpp"

namespace kzg::batch_affine {

// The contract of a backend's Adder (PortableBackend::Adder is the reference):
//   queue(dst, a, negate_a, b, negate_b)  *dst = (±*a) + (±*b), performed by run()
//   run()                                 performs every queued addition with one inversion, empties the queue
//   size()                                additions queued
// Doubling, cancellation to the identity and identity operands are all handled. No addition may read a point
// that an earlier addition of the same batch writes (dst may alias its own operands, or operands of earlier
// additions): then the batch means the same whether reads and writes interleave or all reads come first.
struct PortableBackend {
  using Point = G1Affine;

  class Adder {
   public:
    void queue(G1Affine* dst, const G1Affine* a, bool negate_a, const G1Affine* b, bool negate_b) {
      jobs_.push_back({dst, a, b, kPending, negate_a, negate_b});
    }
    std::size_t size() const { return jobs_.size(); }
    void run();

   private:
    enum Kind : std::uint8_t { kPending, kAdd, kDouble, kCancel, kCopy };
    struct Job {
      G1Affine* dst;
      const G1Affine* a;
      const G1Affine* b;
      Kind kind;
      bool negate_a, negate_b;
    };
    std::vector<Job> jobs_;
    std::vector<Fp> denominator_, prefix_;
  };

  // Costs in batched affine additions, for choosing between batch-affine and Jacobian bucket sums.
  static constexpr double kJacobianAddCost = 2.5;
  static constexpr double kInversionCost = 55.0;

  static bool available() { return true; }
  static bool is_identity(const G1Affine& p) { return p.infinity; }
  static G1Affine identity() { return G1Affine::identity(); }
  static G1Affine signed_copy(const G1Affine& p, bool negate) { return negate ? -p : p; }
  static void from_affine(std::span<G1Affine> out, std::span<const G1Affine> in);
  static void to_affine(std::span<G1Affine> out, std::span<const G1Affine> in);
  // The bases of the GLV split (curve/g1_endomorphism.hpp): out[i] = in[i] and out[n + i] = [x^2]in[i] for
  // n = in.size() points of G1; out has 2n entries.
  static void glv_bases(std::span<G1Affine> out, std::span<const G1Affine> in);
};

// Memory the bucket sums reuse from call to call (growing, never shrinking): fresh multi-megabyte buffers
// each call would cost more in page faults than some of the arithmetic.
template <class Backend>
struct Workspace {
  typename Backend::Adder adder;
  std::vector<typename Backend::Point> points, buckets, work;
  std::vector<std::uint32_t> len, active;
  std::vector<std::pair<std::size_t, std::size_t>> moves;
};

// This thread's workspace for a backend (a few megabytes after a 4096-point MSM, kept for the thread's
// lifetime).
template <class Backend>
Workspace<Backend>& thread_workspace();

// The first n elements of v, growing v when needed; contents are left over from earlier use.
template <class T>
std::span<T> reuse(std::vector<T>& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
  return std::span<T>(v.data(), n);
}

// A signed reference to a point: index << 1 | negate.
inline std::uint32_t signed_ref(std::uint32_t index, bool negate) { return index << 1 | (negate ? 1u : 0u); }

// For every bucket b: sums[b] = sum of the points refs[offsets[b] .. offsets[b + 1]) designate (signed refs
// into `points`), plus the previous sums[b] when `accumulate`. offsets has sums.size() + 1 entries.
template <class Backend>
void sum_bucket_lists(std::span<typename Backend::Point> sums, std::span<const typename Backend::Point> points,
                      std::span<const std::uint32_t> refs, std::span<const std::uint32_t> offsets, bool accumulate,
                      Workspace<Backend>& ws);

// out[w] = sum_b (b + 1) buckets[w * per_window + b] for every window w < out.size().
template <class Backend>
void weighted_bucket_sums(std::span<G1Projective> out, std::span<const typename Backend::Point> buckets,
                          std::size_t per_window, Workspace<Backend>& ws);

}  // namespace kzg::batch_affine
