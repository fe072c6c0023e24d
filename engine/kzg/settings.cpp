#include "engine/kzg/settings.hpp"

#include <tbb/parallel_invoke.h>

#include "engine/common/bytes.hpp"
#include "engine/kzg/fk20.hpp"
#include "engine/poly/domain.hpp"

namespace kzg {

Result<std::shared_ptr<const KzgSettings>> make_kzg_settings(TrustedSetup setup, KzgSettingsOptions options) {
  if (setup.g1_lagrange.size() != kFieldElementsPerBlob || setup.g1_monomial.size() != kFieldElementsPerBlob ||
      setup.g2_monomial.size() <= kFieldElementsPerCell)
    return make_error(ErrorCode::invalid_trusted_setup,
                      "the setup must have 4096 G1 points in each form and 65 G2 points");
  std::shared_ptr<KzgSettings> s(new KzgSettings());  // the constructor is private to this function
  s->roots_of_unity_ = compute_roots_of_unity(kFieldElementsPerBlob);
  s->roots_of_unity_brp_ = s->roots_of_unity_;
  bit_reversal_permutation(std::span<Fr>(s->roots_of_unity_brp_));
  s->g1_lagrange_brp_ = setup.g1_lagrange;
  bit_reversal_permutation(std::span<G1Affine>(s->g1_lagrange_brp_));
  s->roots_of_unity_ext_ = compute_roots_of_unity(kFieldElementsPerExtBlob);
  // The Lagrange tables and the FK20 precomputation are independent: side by side, each parallel inside.
  tbb::parallel_invoke(
      [&] {
        if (options.fixed_base_msm) s->lagrange_msm_ = G1FixedBaseMsm(s->g1_lagrange_brp_);
      },
      [&] {
        if (!options.cell_proofs) return;
        s->fk20_columns_ = fk20_precompute(setup.g1_monomial, s->roots_of_unity_ext_);
        if (options.fixed_base_msm) s->fk20_msm_ = fk20_fixed_base_tables(s->fk20_columns_);
      });
  s->neg_g2_ = prepare_g2(-setup.g2_monomial[0]);
  s->s_g2_ = prepare_g2(setup.g2_monomial[1]);
  s->s64_g2_ = prepare_g2(setup.g2_monomial[kFieldElementsPerCell]);
  s->setup_ = std::move(setup);
  return std::shared_ptr<const KzgSettings>(std::move(s));
}

Result<std::shared_ptr<const KzgSettings>> load_default_kzg_settings(KzgSettingsOptions options) {
  auto setup = load_embedded_trusted_setup();
  if (!setup) return setup.error();
  return make_kzg_settings(std::move(setup).value(), options);
}

}  // namespace kzg
