// Commits to the zero blob and checks the answer: the commitment to the zero polynomial is the point at infinity,
// compressed: 0xc0 then 47 zero bytes.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "engine/kzg.hpp"

int main() {
  const auto settings = kzg::load_default_kzg_settings({.cell_proofs = false, .fixed_base_msm = false});
  if (!settings) {
    std::fprintf(stderr, "setup: %s\n", settings.error().message.c_str());
    return 1;
  }
  const std::vector<std::uint8_t> blob(kzg::kBytesPerBlob, 0);
  const auto commitment = kzg::blob_to_kzg_commitment(blob, **settings);
  if (!commitment) {
    std::fprintf(stderr, "commit: %s\n", commitment.error().message.c_str());
    return 1;
  }
  const auto& c = *commitment;
  const bool infinity = c[0] == 0xc0 && std::all_of(c.begin() + 1, c.end(), [](std::uint8_t b) { return b == 0; });
  const auto bad = kzg::blob_to_kzg_commitment(std::vector<std::uint8_t>(5), **settings);
  const bool refused = !bad && bad.error().code == kzg::ErrorCode::invalid_length;
  std::printf("zero blob commitment is the point at infinity: %s; a 5-byte blob is refused: %s\n",
              infinity ? "yes" : "no", refused ? "yes" : "no");
  return infinity && refused ? 0 : 1;
}
