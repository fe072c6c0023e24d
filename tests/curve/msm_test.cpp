// Multi-scalar multiplication: g1_msm and G1FixedBaseMsm against independent sums (points with known
// discrete logs, or per-point double-and-add), with the edge cases that stress bucket methods: zero
// scalars, r - 1, identity points, repeated points, cancelling pairs, every size from tiny to a blob.
// Also the batch-affine building blocks on their own.
#include <gtest/gtest.h>

#include <random>

#include "engine/curve/batch_affine.hpp"
#include "engine/curve/batch_affine_ifma.hpp"
#include "engine/curve/fixed_base_msm.hpp"
#include "engine/curve/g1.hpp"
#include "engine/curve/msm_pippenger.hpp"
#include "tests/curve/curve_test_points.hpp"

namespace kzg {
namespace {

using test::g1_generator;

G1Projective random_point(std::mt19937_64& rng) { return g1_mul(g1_generator(), test::random_fr(rng)); }

// sum_i [k_i]P_i where P_i = [log_i]G: [sum_i k_i log_i]G, identity points counting as log 0.
G1Projective expected_msm(const test::G1PointsWithLogs& pl, std::span<const Fr> ks) {
  Fr acc = Fr::zero();
  for (std::size_t i = 0; i < ks.size(); ++i)
    if (!pl.points[i].infinity) acc += ks[i] * pl.logs[i];
  return g1_mul(g1_generator(), acc);
}

// Scalars with the edge cases sprinkled in at fixed positions.
std::vector<Fr> edge_scalars(std::size_t n, std::mt19937_64& rng) {
  std::vector<Fr> ks(n);
  for (std::size_t i = 0; i < n; ++i) {
    ks[i] = test::random_fr(rng);
    if (i % 7 == 3) ks[i] = Fr::zero();
    if (i % 11 == 5) ks[i] = -Fr::one();  // r - 1
    if (i % 13 == 1) ks[i] = Fr::one();
    if (i % 17 == 8) ks[i] = Fr::from_u64(i);
  }
  return ks;
}

TEST(Msm, MatchesKnownDiscreteLogsForManySizes) {
  std::mt19937_64 rng(301);
  for (const std::size_t n : {0u, 1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u, 16u, 31u, 64u, 100u, 257u, 1000u, 4096u}) {
    test::G1PointsWithLogs pl = test::g1_points_with_logs(n, rng);
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 19 == 4) pl.points[i] = G1Affine::identity();
      if (i % 23 == 10) {  // a repeated point
        pl.points[i] = pl.points[i - 1];
        pl.logs[i] = pl.logs[i - 1];
      }
    }
    const std::vector<Fr> ks = edge_scalars(n, rng);
    EXPECT_EQ(g1_msm(pl.points, ks), expected_msm(pl, ks)) << "n=" << n;
  }
}

TEST(Msm, MatchesPerPointDoubleAndAdd) {
  std::mt19937_64 rng(302);
  for (const std::size_t n : {1u, 3u, 4u, 6u, 33u, 70u}) {
    std::vector<G1Affine> pts(n);
    for (auto& p : pts) p = random_point(rng).to_affine();
    const std::vector<Fr> ks = edge_scalars(n, rng);
    G1Projective expect{};
    for (std::size_t i = 0; i < n; ++i)
      expect += test::double_and_add(G1Projective::from_affine(pts[i]), ks[i].to_canonical());
    EXPECT_EQ(g1_msm(pts, ks), expect) << "n=" << n;
  }
}

TEST(Msm, EdgeScalars) {
  std::mt19937_64 rng(303);
  for (const std::size_t n : {2u, 5u, 100u, 600u}) {
    const test::G1PointsWithLogs pl = test::g1_points_with_logs(n, rng);
    G1Projective sum{};
    for (const auto& p : pl.points) sum += p;
    EXPECT_TRUE(g1_msm(pl.points, std::vector<Fr>(n, Fr::zero())).is_identity());
    EXPECT_EQ(g1_msm(pl.points, std::vector<Fr>(n, Fr::one())), sum);
    EXPECT_EQ(g1_msm(pl.points, std::vector<Fr>(n, -Fr::one())), -sum);
    // Small scalars (most windows empty) and scalars around the GLV split point x^2.
    std::vector<Fr> small(n), around(n);
    const Fr z = Fr::from_canonical({0x0000000100000000ULL, 0xac45a4010001a402ULL, 0, 0});
    for (std::size_t i = 0; i < n; ++i) {
      small[i] = Fr::from_u64(i + 1);
      around[i] = z + Fr::from_u64(i % 3) - Fr::one();
    }
    EXPECT_EQ(g1_msm(pl.points, small), expected_msm(pl, small));
    EXPECT_EQ(g1_msm(pl.points, around), expected_msm(pl, around));
  }
}

TEST(Msm, RepeatedPointsIdentitiesAndCancellation) {
  std::mt19937_64 rng(304);
  const G1Affine p = random_point(rng).to_affine();
  const Fr k = test::random_fr(rng);
  for (const std::size_t n : {3u, 4u, 64u, 1000u}) {
    // One point n times with one scalar: every digit lands in the same bucket.
    const std::vector<G1Affine> same(n, p);
    EXPECT_EQ(g1_msm(same, std::vector<Fr>(n, k)), g1_mul(G1Projective::from_affine(p), k * Fr::from_u64(n)));
    // P and -P with equal scalars cancel pairwise.
    std::vector<G1Affine> pm(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
      pm[2 * i] = p;
      pm[2 * i + 1] = -p;
    }
    EXPECT_TRUE(g1_msm(pm, std::vector<Fr>(2 * n, k)).is_identity());
    // P with k and P with -k, likewise.
    std::vector<Fr> ks(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
      ks[2 * i] = k;
      ks[2 * i + 1] = -k;
    }
    EXPECT_TRUE(g1_msm(std::vector<G1Affine>(2 * n, p), ks).is_identity());
    // Only identity points.
    EXPECT_TRUE(g1_msm(std::vector<G1Affine>(n), std::vector<Fr>(n, k)).is_identity());
  }
}

TEST(Msm, UsesTheShorterInput) {
  std::mt19937_64 rng(305);
  const test::G1PointsWithLogs pl = test::g1_points_with_logs(40, rng);
  const std::vector<Fr> ks = edge_scalars(40, rng);
  EXPECT_EQ(g1_msm(pl.points, std::span<const Fr>(ks).first(25)),
            g1_msm(std::span<const G1Affine>(pl.points).first(25), std::span<const Fr>(ks).first(25)));
  EXPECT_EQ(g1_msm(std::span<const G1Affine>(pl.points).first(10), ks),
            expected_msm(pl, std::span<const Fr>(ks).first(10)));
}

TEST(MsmFixedBase, MatchesKnownDiscreteLogs) {
  std::mt19937_64 rng(311);
  const std::size_t n = 300;
  test::G1PointsWithLogs pl = test::g1_points_with_logs(n, rng);
  pl.points[7] = G1Affine::identity();
  pl.points[8] = pl.points[9];
  pl.logs[8] = pl.logs[9];
  pl.points[10] = -pl.points[11];
  pl.logs[10] = -pl.logs[11];
  for (const MsmBackend backend : {MsmBackend::kFastest, MsmBackend::kPortable}) {
    for (const unsigned window : {2u, 4u, 8u, 13u, 15u}) {
      const G1FixedBaseMsm table(pl.points, window, backend);
      EXPECT_EQ(table.size(), n);
      EXPECT_GT(table.memory_bytes(), 0u);
      for (int round = 0; round < 2; ++round) {
        std::vector<Fr> ks = edge_scalars(n, rng);
        ks[10] = ks[11];  // cancels with point 11
        EXPECT_EQ(table.msm(ks), expected_msm(pl, ks)) << "window " << window;
      }
      EXPECT_TRUE(table.msm(std::vector<Fr>(n, Fr::zero())).is_identity());
    }
  }
}

TEST(MsmFixedBase, SmallTables) {
  std::mt19937_64 rng(312);
  EXPECT_TRUE(G1FixedBaseMsm().msm({}).is_identity());
  for (const MsmBackend backend : {MsmBackend::kFastest, MsmBackend::kPortable}) {
    for (const std::size_t n : {1u, 2u, 64u}) {
      const test::G1PointsWithLogs pl = test::g1_points_with_logs(n, rng);
      const G1FixedBaseMsm table(pl.points, 8, backend);
      const std::vector<Fr> ks = edge_scalars(n, rng);
      EXPECT_EQ(table.msm(ks), expected_msm(pl, ks)) << n;
      // The same scalar everywhere piles every digit of a window into one bucket.
      const std::vector<Fr> same(n, test::random_fr(rng));
      EXPECT_EQ(table.msm(same), expected_msm(pl, same)) << n;
    }
  }
}

// The batch-affine backends this build has; a test of one the CPU lacks is skipped.
using Backends = ::testing::Types<batch_affine::PortableBackend
#ifdef KZG_HAVE_IFMA
                                  ,
                                  batch_affine::IfmaBackend
#endif
                                  >;

template <class Backend>
class MsmBackend : public ::testing::Test {
 protected:
  using Point = typename Backend::Point;
  void SetUp() override {
    if (!Backend::available()) GTEST_SKIP() << "this CPU cannot run the backend";
  }
  static std::vector<Point> convert(std::span<const G1Affine> in) {
    std::vector<Point> out(in.size());
    Backend::from_affine(out, in);
    return out;
  }
  static std::vector<G1Affine> convert_back(std::span<const Point> in) {
    std::vector<G1Affine> out(in.size());
    Backend::to_affine(out, in);
    return out;
  }
};
TYPED_TEST_SUITE(MsmBackend, Backends);

TYPED_TEST(MsmBackend, PointConversionAndNegation) {
  using B = TypeParam;
  std::mt19937_64 rng(320);
  std::vector<G1Affine> pts = {G1Affine::generator(), -G1Affine::generator(), G1Affine::identity()};
  for (int i = 0; i < 10; ++i) pts.push_back(random_point(rng).to_affine());  // 13: not a multiple of 8
  const auto converted = TestFixture::convert(pts);
  EXPECT_EQ(TestFixture::convert_back(converted), pts);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    EXPECT_EQ(B::is_identity(converted[i]), pts[i].infinity);
    const typename B::Point neg = B::signed_copy(converted[i], true);
    EXPECT_EQ(TestFixture::convert_back(std::span(&neg, 1))[0], -pts[i]);
  }
  EXPECT_TRUE(B::is_identity(B::identity()));
  // The GLV bases: the points, then [x^2] times each.
  std::vector<typename B::Point> bases(2 * pts.size());
  B::glv_bases(bases, pts);
  const auto back = TestFixture::convert_back(bases);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    EXPECT_EQ(back[i], pts[i]);
    EXPECT_EQ(
        G1Projective::from_affine(back[pts.size() + i]),
        g1_mul_any(G1Projective::from_affine(pts[i]), Scalar{0x0000000100000000ULL, 0xac45a4010001a402ULL, 0, 0}));
  }
}

TYPED_TEST(MsmBackend, AdderHandlesEveryCase) {
  using B = TypeParam;
  std::mt19937_64 rng(321);
  const G1Affine p = random_point(rng).to_affine(), q = random_point(rng).to_affine();
  const G1Affine o = G1Affine::identity();
  const G1Projective pp = G1Projective::from_affine(p), qq = G1Projective::from_affine(q);
  struct Case {
    G1Affine a, b;
    bool na, nb;
    G1Projective expect;
  };
  std::vector<Case> cases = {
      {p, q, false, false, pp + qq},  {p, q, true, false, qq - pp},   {p, q, false, true, pp - qq},
      {p, q, true, true, -(pp + qq)}, {p, p, false, false, pp.dbl()}, {p, p, true, true, -pp.dbl()},
      {p, -p, false, false, {}},      {p, p, false, true, {}},        {p, o, false, false, pp},
      {o, q, false, true, -qq},       {o, o, true, true, {}},         {-p, p, true, false, pp.dbl()},
  };
  // Enough random additions (with a doubling among them) to fill several groups of eight.
  for (int i = 0; i < 29; ++i) {
    const G1Projective a = random_point(rng), b = i == 17 ? a : random_point(rng);
    const bool na = i % 3 == 0, nb = i % 5 == 1;
    cases.push_back({a.to_affine(), b.to_affine(), na, nb, (na ? -a : a) + (nb ? -b : b)});
  }
  std::vector<G1Affine> as, bs;
  for (const Case& c : cases) {
    as.push_back(c.a);
    bs.push_back(c.b);
  }
  const auto pa = TestFixture::convert(as), pb = TestFixture::convert(bs);
  std::vector<typename B::Point> out(cases.size(), B::identity());
  typename B::Adder adder;
  for (std::size_t i = 0; i < cases.size(); ++i) adder.queue(&out[i], &pa[i], cases[i].na, &pb[i], cases[i].nb);
  EXPECT_EQ(adder.size(), cases.size());
  adder.run();
  EXPECT_EQ(adder.size(), 0u);
  const auto results = TestFixture::convert_back(out);
  for (std::size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(G1Projective::from_affine(results[i]), cases[i].expect) << i;

  // In place, and chained in queue order: t += r reads r before r += s overwrites it.
  const G1Affine s = random_point(rng).to_affine();
  auto trs = TestFixture::convert(std::vector<G1Affine>{p, q, s});
  adder.queue(&trs[0], &trs[0], false, &trs[1], false);
  adder.queue(&trs[1], &trs[1], false, &trs[2], false);
  adder.run();
  const auto back = TestFixture::convert_back(trs);
  EXPECT_EQ(G1Projective::from_affine(back[0]), pp + qq);
  EXPECT_EQ(G1Projective::from_affine(back[1]), qq + G1Projective::from_affine(s));
  adder.run();  // an empty batch is fine
}

TYPED_TEST(MsmBackend, SumBucketListsMatchesNaiveSums) {
  using B = TypeParam;
  std::mt19937_64 rng(322);
  std::vector<G1Affine> points(40);
  for (auto& p : points) p = random_point(rng).to_affine();
  points[5] = -points[4];
  const std::size_t nb = 9;
  // Lists of varied lengths: empty, single, long with repeats, a cancelling pair, 1000 copies of a point.
  std::vector<std::vector<std::uint32_t>> lists(nb);
  lists[1] = {batch_affine::signed_ref(3, true)};
  for (std::uint32_t i = 0; i < 40; ++i) lists[2].push_back(batch_affine::signed_ref(i, i % 3 == 0));
  lists[3] = {batch_affine::signed_ref(4, false), batch_affine::signed_ref(5, false)};
  lists[4] = {batch_affine::signed_ref(6, false), batch_affine::signed_ref(6, false),
              batch_affine::signed_ref(6, true)};
  for (int i = 0; i < 1000; ++i) lists[5].push_back(batch_affine::signed_ref(7, false));
  for (std::uint32_t i = 0; i < 7; ++i) lists[6].push_back(batch_affine::signed_ref(i * 5, false));
  lists[8] = {batch_affine::signed_ref(9, false), batch_affine::signed_ref(9, false)};
  std::vector<std::uint32_t> refs, offsets = {0};
  for (const auto& l : lists) {
    refs.insert(refs.end(), l.begin(), l.end());
    offsets.push_back(static_cast<std::uint32_t>(refs.size()));
  }
  auto naive = [&](std::size_t b) {
    G1Projective s{};
    for (const std::uint32_t ref : lists[b]) s += (ref & 1) ? -points[ref >> 1] : points[ref >> 1];
    return s;
  };
  const auto converted = TestFixture::convert(points);
  for (const bool accumulate : {false, true}) {
    std::vector<G1Affine> initial(nb);
    std::vector<G1Projective> expect(nb);
    for (std::size_t b = 0; b < nb; ++b) {
      expect[b] = naive(b);
      if (accumulate && b % 2 == 0) {
        initial[b] = points[b + 20];
        expect[b] += points[b + 20];
      }
    }
    auto sums = TestFixture::convert(initial);
    batch_affine::sum_bucket_lists<B>(sums, converted, refs, offsets, accumulate, batch_affine::thread_workspace<B>());
    const auto results = TestFixture::convert_back(sums);
    for (std::size_t b = 0; b < nb; ++b) EXPECT_EQ(G1Projective::from_affine(results[b]), expect[b]) << b;
  }
}

TYPED_TEST(MsmBackend, WeightedBucketSums) {
  using B = TypeParam;
  std::mt19937_64 rng(323);
  // Shapes that take the Jacobian path (few buckets) and the chunked batch-affine path (many).
  for (const auto& [windows, per_window] : std::vector<std::pair<std::size_t, std::size_t>>{
           {1, 1}, {1, 2}, {3, 4}, {1, 128}, {13, 512}, {1, 4096}, {2, 96}}) {
    test::G1PointsWithLogs buckets = test::g1_points_with_logs(windows * per_window, rng);
    for (std::size_t i = 2; i < buckets.points.size(); i += 5) buckets.points[i] = G1Affine::identity();
    std::vector<G1Projective> out(windows);
    batch_affine::weighted_bucket_sums<B>(out, TestFixture::convert(buckets.points), per_window,
                                          batch_affine::thread_workspace<B>());
    for (std::size_t w = 0; w < windows; ++w) {
      Fr log = Fr::zero();
      for (std::size_t b = 0; b < per_window; ++b) {
        const std::size_t i = w * per_window + b;
        if (!buckets.points[i].infinity) log += Fr::from_u64(b + 1) * buckets.logs[i];
      }
      EXPECT_EQ(out[w], g1_mul(g1_generator(), log)) << windows << "x" << per_window << " window " << w;
    }
  }
}

TYPED_TEST(MsmBackend, PippengerMatchesKnownDiscreteLogs) {
  using B = TypeParam;
  std::mt19937_64 rng(324);
  for (const std::size_t n : {1u, 4u, 5u, 9u, 64u, 257u, 1000u}) {
    test::G1PointsWithLogs pl = test::g1_points_with_logs(n, rng);
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 19 == 4) pl.points[i] = G1Affine::identity();
      if (i % 23 == 10) {
        pl.points[i] = pl.points[i - 1];
        pl.logs[i] = pl.logs[i - 1];
      }
    }
    const std::vector<Fr> ks = edge_scalars(n, rng);
    EXPECT_EQ(msm_detail::pippenger<B>(pl.points, ks), expected_msm(pl, ks)) << "n=" << n;
    const std::vector<Fr> same(n, ks[0]);
    EXPECT_EQ(msm_detail::pippenger<B>(std::vector<G1Affine>(n, pl.points[0]), same),
              g1_mul(G1Projective::from_affine(pl.points[0]), ks[0] * Fr::from_u64(n)));
  }
}

}  // namespace
}  // namespace kzg
