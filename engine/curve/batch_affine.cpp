#include "engine/curve/batch_affine.hpp"

#include <algorithm>
#include <utility>

#include "engine/curve/batch_affine_ifma.hpp"
#include "engine/curve/g1_endomorphism.hpp"

namespace kzg::batch_affine {
namespace {

inline Fp signed_y(const G1Affine& p, bool negate) { return negate ? -p.y : p.y; }

// Equality of reduced field elements without a library memcmp call.
inline bool same(const Fp& a, const Fp& b) {
  std::uint64_t diff = 0;
  for (std::size_t i = 0; i < Fp::kLimbs; ++i) diff |= a.v[i] ^ b.v[i];
  return diff == 0;
}

// Both cache lines of an affine point (104 bytes, 8-byte aligned: it may span three).
inline void prefetch(const G1Affine* p) {
  const char* c = reinterpret_cast<const char*>(p);
  __builtin_prefetch(c);
  __builtin_prefetch(c + 64);
  __builtin_prefetch(c + sizeof(G1Affine) - 1);
}

// How far ahead of use the points of a batch are prefetched.
constexpr std::size_t kPrefetchDistance = 4;

}  // namespace

template <class Backend>
Workspace<Backend>& thread_workspace() {
  thread_local Workspace<Backend> ws;
  return ws;
}

void PortableBackend::from_affine(std::span<G1Affine> out, std::span<const G1Affine> in) {
  std::copy(in.begin(), in.end(), out.begin());
}
void PortableBackend::to_affine(std::span<G1Affine> out, std::span<const G1Affine> in) {
  std::copy(in.begin(), in.end(), out.begin());
}
void PortableBackend::glv_bases(std::span<G1Affine> out, std::span<const G1Affine> in) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    out[i] = in[i];
    out[in.size() + i] = g1_endomorphism::mul_by_x_squared(in[i]);
  }
}

void PortableBackend::Adder::run() {
  const std::size_t m = jobs_.size();
  if (m == 0) return;
  if (denominator_.size() < m) {
    denominator_.resize(m);
    prefix_.resize(m);
  }
  // Pass 1: classify, and chain the denominators (x_b - x_a, or 2 y_a for a doubling) into prefix products.
  Fp acc = Fp::one();
  for (std::size_t i = 0; i < m; ++i) {
    if (i + kPrefetchDistance < m) {
      prefetch(jobs_[i + kPrefetchDistance].a);
      prefetch(jobs_[i + kPrefetchDistance].b);
    }
    Job& j = jobs_[i];
    const G1Affine& a = *j.a;
    const G1Affine& b = *j.b;
    Fp d;
    if (a.infinity || b.infinity) {
      j.kind = kCopy;
      continue;
    }
    if (!same(a.x, b.x)) {
      d = b.x - a.x;
      j.kind = kAdd;
    } else {
      // Same x: the signed y coordinates are equal (a doubling) or opposite (the sum is the identity).
      const bool same_y = same(a.y, b.y) == (j.negate_a == j.negate_b);
      d = signed_y(a, j.negate_a).dbl();
      j.kind = same_y && !d.is_zero() ? kDouble : kCancel;  // y == 0 would be 2-torsion: P + P = O
      if (j.kind == kCancel) continue;
    }
    prefix_[i] = acc;
    denominator_[i] = d;
    acc *= d;
  }
  // Pass 2: one inversion, then each denominator's inverse, walking back.
  Fp inv = acc.inverse();
  for (std::size_t i = m; i-- > 0;) {
    const Kind k = jobs_[i].kind;
    if (k != kAdd && k != kDouble) continue;
    const Fp d_inv = prefix_[i] * inv;
    inv *= denominator_[i];
    denominator_[i] = d_inv;
  }
  // Pass 3, in queue order (the aliasing contract): lambda, then x3 = lambda^2 - x_a - x_b and
  // y3 = lambda (x_a - x3) - y_a.
  for (std::size_t i = 0; i < m; ++i) {
    if (i + kPrefetchDistance < m) {
      prefetch(jobs_[i + kPrefetchDistance].a);
      prefetch(jobs_[i + kPrefetchDistance].b);
    }
    const Job& j = jobs_[i];
    const G1Affine& a = *j.a;
    const G1Affine& b = *j.b;
    G1Affine r;
    switch (j.kind) {
      case kAdd: {
        const Fp ya = signed_y(a, j.negate_a);
        const Fp lambda = (signed_y(b, j.negate_b) - ya) * denominator_[i];
        r.x = lambda.square() - a.x - b.x;
        r.y = lambda * (a.x - r.x) - ya;
        r.infinity = false;
        break;
      }
      case kDouble: {
        const Fp ya = signed_y(a, j.negate_a);
        const Fp xx = a.x.square();
        const Fp lambda = (xx.dbl() + xx) * denominator_[i];
        r.x = lambda.square() - a.x.dbl();
        r.y = lambda * (a.x - r.x) - ya;
        r.infinity = false;
        break;
      }
      case kCopy:
        r = a.infinity ? signed_copy(b, j.negate_b) : signed_copy(a, j.negate_a);
        break;
      default:  // kCancel
        r = G1Affine::identity();
        break;
    }
    *j.dst = r;
  }
  jobs_.clear();
}

template <class Backend>
void sum_bucket_lists(std::span<typename Backend::Point> sums, std::span<const typename Backend::Point> points,
                      std::span<const std::uint32_t> refs, std::span<const std::uint32_t> offsets, bool accumulate,
                      Workspace<Backend>& ws) {
  using Point = typename Backend::Point;
  const std::size_t nb = sums.size();
  auto& adder = ws.adder;
  // Bucket b's partial sums live in work[base(b), base(b) + len[b]). A list of count + 1 elements (the
  // previous sum included) needs ceil((count + 1) / 2) slots after the first round, and
  // base(b) = offsets[b] / 2 + b leaves at least that much room before base(b + 1).
  const std::span<Point> work = reuse(ws.work, offsets[nb] / 2 + nb + 1);
  const std::span<std::uint32_t> len = reuse(ws.len, nb);
  auto base = [&](std::size_t b) { return offsets[b] / 2 + b; };

  // Round 1: pairs of the input lists (read through the signed refs) into the work area.
  for (std::size_t b = 0; b < nb; ++b) {
    const bool prev = accumulate && !Backend::is_identity(sums[b]);
    const std::size_t first = offsets[b];
    const std::size_t count = offsets[b + 1] - first + (prev ? 1 : 0);
    // Element j of the list: the previous sum first (when there is one), then the refs.
    auto element = [&](std::size_t j) -> std::pair<const Point*, bool> {
      if (prev) {
        if (j == 0) return {&sums[b], false};
        --j;
      }
      const std::uint32_t ref = refs[first + j];
      return {&points[ref >> 1], (ref & 1) != 0};
    };
    Point* out = work.data() + base(b);
    for (std::size_t j = 0; j + 1 < count; j += 2) {
      const auto [pa, na] = element(j);
      const auto [pb, nb_] = element(j + 1);
      adder.queue(out + j / 2, pa, na, pb, nb_);
    }
    if (count % 2 == 1) {
      const auto [p, neg] = element(count - 1);
      out[count / 2] = Backend::signed_copy(*p, neg);
    }
    len[b] = static_cast<std::uint32_t>((count + 1) / 2);
  }
  adder.run();

  // Later rounds in place: pair j of a bucket reads slots 2j and 2j + 1 and writes slot j, which no later
  // pair reads; an odd last element moves down after the batch.
  std::vector<std::uint32_t>& active = ws.active;
  active.clear();
  for (std::size_t b = 0; b < nb; ++b)
    if (len[b] >= 2) active.push_back(static_cast<std::uint32_t>(b));
  auto& moves = ws.moves;  // (from, to) slots
  moves.clear();
  while (!active.empty()) {
    std::size_t kept = 0;
    for (const std::uint32_t b : active) {
      Point* w = work.data() + base(b);
      const std::uint32_t l = len[b];
      for (std::uint32_t j = 0; j + 1 < l; j += 2) adder.queue(w + j / 2, w + j, false, w + j + 1, false);
      if (l % 2 == 1) moves.emplace_back(base(b) + l - 1, base(b) + l / 2);
      len[b] = (l + 1) / 2;
      if (len[b] >= 2) active[kept++] = b;
    }
    active.resize(kept);
    adder.run();
    for (const auto& [from, to] : moves) work[to] = work[from];
    moves.clear();
  }
  for (std::size_t b = 0; b < nb; ++b) sums[b] = len[b] != 0 ? work[base(b)] : Backend::identity();
}

namespace {

template <class Backend>
void jacobian_weighted_sums(std::span<G1Projective> out, std::span<const typename Backend::Point> buckets,
                            std::size_t per_window) {
  std::vector<G1Affine> affine(per_window);
  for (std::size_t w = 0; w < out.size(); ++w) {
    Backend::to_affine(affine, buckets.subspan(w * per_window, per_window));
    G1Projective running{}, sum{};
    for (std::size_t b = per_window; b-- > 0;) {
      running += affine[b];
      sum += running;
    }
    out[w] = sum;
  }
}

}  // namespace

template <class Backend>
void weighted_bucket_sums(std::span<G1Projective> out, std::span<const typename Backend::Point> buckets,
                          std::size_t per_window, Workspace<Backend>& ws) {
  using Point = typename Backend::Point;
  auto& adder = ws.adder;
  const std::size_t windows = out.size();
  // Chunks per window K (dividing per_window, L = per_window / K buckets each): L + 1 batches of
  // 2 K windows additions, then 3 K Jacobian additions per window to combine the chunks.
  std::size_t chunks = 0;  // 0: plain Jacobian running sums
  double best = static_cast<double>(windows * 2 * per_window) * Backend::kJacobianAddCost;
  for (std::size_t k = 1; k < per_window; k *= 2) {
    if (per_window % k != 0) break;
    const std::size_t batches = per_window / k + 1;  // whole buckets per chunk, plus one
    const double cost = static_cast<double>(windows * 2 * per_window) +
                        static_cast<double>(batches) * Backend::kInversionCost +
                        static_cast<double>(windows * 3 * k) * Backend::kJacobianAddCost;
    if (cost < best) {
      best = cost;
      chunks = k;
    }
  }
  if (chunks == 0) {
    jacobian_weighted_sums<Backend>(out, buckets, per_window);
    return;
  }
  const std::size_t l = per_window / chunks;
  // Chunk (w, k) covers buckets k L .. k L + L - 1 of window w. Walking down from its top bucket,
  // running = sum of the buckets seen and total = sum of the running values, so that finally
  // running = sum_s S_s and total = sum_s (s + 1) S_s over the chunk's own indices s.
  std::vector<Point> running(windows * chunks, Backend::identity()), total(windows * chunks, Backend::identity());
  for (std::size_t t = 0; t < l; ++t) {
    for (std::size_t w = 0; w < windows; ++w) {
      for (std::size_t k = 0; k < chunks; ++k) {
        const std::size_t i = w * chunks + k;
        // total += running before running advances (queued first: the aliasing contract).
        if (t > 0) adder.queue(&total[i], &total[i], false, &running[i], false);
        adder.queue(&running[i], &running[i], false, &buckets[w * per_window + k * l + (l - 1 - t)], false);
      }
    }
    adder.run();
  }
  for (std::size_t i = 0; i < windows * chunks; ++i) adder.queue(&total[i], &total[i], false, &running[i], false);
  adder.run();
  // Window sum = sum_k total_k + L sum_k k running_k.
  std::vector<G1Affine> running_affine(running.size()), total_affine(total.size());
  Backend::to_affine(running_affine, running);
  Backend::to_affine(total_affine, total);
  const Scalar chunk_len = {l, 0, 0, 0};
  for (std::size_t w = 0; w < windows; ++w) {
    G1Projective sum{}, suffix{}, weighted{};
    for (std::size_t k = chunks; k-- > 0;) {
      sum += total_affine[w * chunks + k];
      if (k == 0) break;
      suffix += running_affine[w * chunks + k];
      weighted += suffix;
    }
    out[w] = sum + g1_mul_any(weighted, chunk_len);
  }
}

// The backends this build has.
#define KZG_INSTANTIATE_BATCH_AFFINE(Backend)                                                                        \
  template Workspace<Backend>& thread_workspace<Backend>();                                                          \
  template void sum_bucket_lists<Backend>(std::span<Backend::Point>, std::span<const Backend::Point>,                \
                                          std::span<const std::uint32_t>, std::span<const std::uint32_t>, bool,      \
                                          Workspace<Backend>&);                                                      \
  template void weighted_bucket_sums<Backend>(std::span<G1Projective>, std::span<const Backend::Point>, std::size_t, \
                                              Workspace<Backend>&);
KZG_INSTANTIATE_BATCH_AFFINE(PortableBackend)
#ifdef KZG_HAVE_IFMA
KZG_INSTANTIATE_BATCH_AFFINE(IfmaBackend)
#endif
#undef KZG_INSTANTIATE_BATCH_AFFINE

}  // namespace kzg::batch_affine
