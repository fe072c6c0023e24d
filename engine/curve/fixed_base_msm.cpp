#include "engine/curve/fixed_base_msm.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "engine/curve/batch_affine.hpp"

namespace kzg {
namespace {

// Digits sorted into buckets at a time (a group of windows); bounds the work area of the bucket sums.
constexpr std::size_t kGroupEntries = std::size_t{1} << 15;

// Signed base-2^c digit of scalar k at window w, with the running carry.
std::int32_t signed_digit(const Scalar& k, unsigned c, std::size_t w, std::int32_t& carry) {
  const std::size_t bit = w * c;
  std::uint64_t v = 0;
  if (bit < 256) {
    const std::size_t limb = bit / 64, shift = bit % 64;
    v = k[limb] >> shift;
    if (shift + c > 64 && limb + 1 < 4) v |= k[limb + 1] << (64 - shift);
    v &= (std::uint64_t{1} << c) - 1;
  }
  std::int32_t d = static_cast<std::int32_t>(v) + carry;
  carry = 0;
  if (d > (1 << (c - 1))) {
    d -= 1 << c;
    carry = 1;
  }
  return d;
}

}  // namespace

G1FixedBaseMsm::G1FixedBaseMsm(std::span<const G1Affine> points, unsigned window, MsmBackend backend)
    : c_(std::clamp(window, 2u, 15u)), n_(points.size()), windows_((256 + c_ - 1) / c_) {
  auto table = std::make_shared<std::vector<G1Affine>>(n_ * windows_);
  std::vector<G1Projective> proj(n_ * windows_);
  auto work = [&](std::size_t first, std::size_t step) {
    for (std::size_t i = first; i < n_; i += step) {
      G1Projective p = G1Projective::from_affine(points[i]);
      for (std::size_t w = 0; w < windows_; ++w) {
        proj[w * n_ + i] = p;
        for (unsigned b = 0; b < c_; ++b) p = p.dbl();
      }
    }
  };
  const std::size_t threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work, t, threads);
  work(0, threads);
  for (auto& t : pool) t.join();
  g1_batch_to_affine(*table, proj);
  table_ = *table;
  owner_ = std::move(table);
  use_backend(backend);
}

G1FixedBaseMsm G1FixedBaseMsm::adopt(std::span<const G1Affine> table, std::size_t n, unsigned window,
                                     std::shared_ptr<const void> owner, MsmBackend backend) {
  G1FixedBaseMsm m;
  if (n == 0 || table.size() != table_entries(n, window)) return m;  // not a table of this shape: stays empty
  m.c_ = std::clamp(window, 2u, 15u);
  m.n_ = n;
  m.windows_ = (256 + m.c_ - 1) / m.c_;
  m.table_ = table;
  m.owner_ = std::move(owner);
  m.use_backend(backend);
  return m;
}

void G1FixedBaseMsm::use_backend(MsmBackend backend) {
#ifdef KZG_HAVE_IFMA
  if (backend == MsmBackend::kFastest && batch_affine::IfmaBackend::available()) {
    table_ifma_.resize(table_.size());
    batch_affine::IfmaBackend::from_affine(table_ifma_, table_);
    table_ = {};
    owner_.reset();
  }
#else
  (void)backend;
#endif
}

std::size_t G1FixedBaseMsm::table_entries(std::size_t n, unsigned window) {
  const unsigned c = std::clamp(window, 2u, 15u);
  return n * ((256 + c - 1) / c);
}

bool G1FixedBaseMsm::fastest_is_portable() {
#ifdef KZG_HAVE_IFMA
  return !batch_affine::IfmaBackend::available();
#else
  return true;
#endif
}

std::size_t G1FixedBaseMsm::memory_bytes() const {
  std::size_t bytes = table_.size() * sizeof(G1Affine);  // mapped from a file or ours: either way resident
#ifdef KZG_HAVE_IFMA
  bytes += table_ifma_.size() * sizeof(batch_affine::IfmaBackend::Point);
#endif
  return bytes;
}

namespace {

// The MSM over a table in the backend's format, from the scalars' signed digits ([w * n + i], like the table).
template <class Backend>
G1Projective fixed_base_msm(std::span<const typename Backend::Point> table, std::span<const std::int16_t> digits,
                            std::size_t n, std::size_t windows, std::size_t half) {
  // All windows share the buckets; a group of windows at a time is sorted by bucket and summed into them.
  batch_affine::Workspace<Backend>& ws = batch_affine::thread_workspace<Backend>();
  const auto buckets = batch_affine::reuse(ws.buckets, half);
  std::fill(buckets.begin(), buckets.end(), Backend::identity());
  const std::size_t group = std::max<std::size_t>(1, kGroupEntries / n);
  thread_local std::vector<std::uint32_t> offsets, refs, cursor;
  for (std::size_t w0 = 0; w0 < windows; w0 += group) {
    const std::size_t w1 = std::min(windows, w0 + group);
    offsets.assign(half + 1, 0);
    for (std::size_t t = w0 * n; t < w1 * n; ++t)
      if (digits[t] != 0 && !Backend::is_identity(table[t])) ++offsets[static_cast<std::size_t>(std::abs(digits[t]))];
    for (std::size_t b = 0; b < half; ++b) offsets[b + 1] += offsets[b];
    refs.resize(offsets[half]);
    cursor.assign(offsets.begin(), offsets.end() - 1);
    for (std::size_t t = w0 * n; t < w1 * n; ++t) {
      if (digits[t] == 0 || Backend::is_identity(table[t])) continue;
      const std::size_t b = static_cast<std::size_t>(std::abs(digits[t])) - 1;
      refs[cursor[b]++] = batch_affine::signed_ref(static_cast<std::uint32_t>(t), digits[t] < 0);
    }
    batch_affine::sum_bucket_lists<Backend>(buckets, table, refs, offsets, /*accumulate=*/true, ws);
  }
  G1Projective sum;
  batch_affine::weighted_bucket_sums<Backend>(std::span(&sum, 1), buckets, half, ws);
  return sum;
}

}  // namespace

G1Projective G1FixedBaseMsm::msm(std::span<const Fr> scalars) const {
  const std::size_t n = std::min(n_, scalars.size());
  if (n == 0) return G1Projective::identity();
  // Signed digits, laid out like the table ([w * n_ + i]; zero past the scalars given). Reused per thread.
  thread_local std::vector<std::int16_t> digit_buffer;
  const auto digits = batch_affine::reuse(digit_buffer, windows_ * n_);
  std::fill(digits.begin(), digits.end(), 0);
  for (std::size_t i = 0; i < n; ++i) {
    const Scalar k = scalars[i].to_canonical();
    std::int32_t carry = 0;
    for (std::size_t w = 0; w < windows_; ++w)
      digits[w * n_ + i] = static_cast<std::int16_t>(signed_digit(k, c_, w, carry));
  }
  const std::size_t half = std::size_t{1} << (c_ - 1);
#ifdef KZG_HAVE_IFMA
  if (!table_ifma_.empty()) return fixed_base_msm<batch_affine::IfmaBackend>(table_ifma_, digits, n_, windows_, half);
#endif
  return fixed_base_msm<batch_affine::PortableBackend>(table_, digits, n_, windows_, half);
}

}  // namespace kzg
