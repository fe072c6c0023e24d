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
  s->setup_ = std::move(setup);
  s->derive_small_tables();
  // The Lagrange tables and the FK20 precomputation are independent: side by side, each parallel inside.
  tbb::parallel_invoke(
      [&] {
        if (options.fixed_base_msm)
          s->lagrange_msm_ = G1FixedBaseMsm(s->g1_lagrange_brp_, kLagrangeMsmWindow, options.msm_backend);
      },
      [&] {
        if (!options.cell_proofs) return;
        s->fk20_columns_ = fk20_precompute(s->setup_.g1_monomial, s->roots_of_unity_ext_);
        if (options.fixed_base_msm) s->fk20_msm_ = fk20_fixed_base_tables(s->fk20_columns_, options.msm_backend);
      });
  return std::shared_ptr<const KzgSettings>(std::move(s));
}

void KzgSettings::derive_small_tables() {
  roots_of_unity_ = compute_roots_of_unity(kFieldElementsPerBlob);
  roots_of_unity_brp_ = roots_of_unity_;
  bit_reversal_permutation(std::span<Fr>(roots_of_unity_brp_));
  g1_lagrange_brp_ = setup_.g1_lagrange;
  bit_reversal_permutation(std::span<G1Affine>(g1_lagrange_brp_));
  roots_of_unity_ext_ = compute_roots_of_unity(kFieldElementsPerExtBlob);
  neg_g2_ = prepare_g2(-setup_.g2_monomial[0]);
  s_g2_ = prepare_g2(setup_.g2_monomial[1]);
  s64_g2_ = prepare_g2(setup_.g2_monomial[kFieldElementsPerCell]);
}

Result<std::shared_ptr<const KzgSettings>> load_default_kzg_settings(KzgSettingsOptions options) {
  auto setup = load_embedded_trusted_setup();
  if (!setup) return setup.error();
  return make_kzg_settings(std::move(setup).value(), options);
}

}  // namespace kzg
