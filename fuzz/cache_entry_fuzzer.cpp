// The result cache's view of a Redis value, which anyone who can write to Redis controls
// (service/cache/cache_codec.hpp). Properties, for every input:
//   - opening it as an entry never crashes, never allocates beyond its size, and accepts it only when the MAC is
//     right: a value sealed here under one key opens under that key only;
//   - decoding it as an output either fails or gives a value that encodes back to exactly the same bytes (the
//     encoding is canonical, so a cached answer cannot have two forms);
//   - a forged tail (the input appended to a sealed entry) is refused.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/check.hpp"
#include "service/cache/cache_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::vector<std::uint8_t> key(32, 0x5c);
  std::string_view payload;

  if (kzgd::open_entry(key, "kzgd:c:fuzz", input, payload) == kzgd::SealCheck::ok) {
    // Only a value this process sealed can pass: the fuzzer cannot guess an HMAC.
    FUZZ_CHECK(input == kzgd::seal_entry(key, "kzgd:c:fuzz", payload));
  }

  if (const auto output = kzgd::decode_output(input)) {
    const auto again = kzgd::encode_output(*output);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == input);
    // Sealed under one key, it opens under that key and no other, and any change to it is refused.
    const std::string sealed = kzgd::seal_entry(key, "kzgd:c:a", input);
    FUZZ_CHECK(kzgd::open_entry(key, "kzgd:c:a", sealed, payload) == kzgd::SealCheck::ok && payload == input);
    FUZZ_CHECK(kzgd::open_entry(key, "kzgd:c:b", sealed, payload) != kzgd::SealCheck::ok);
    FUZZ_CHECK(kzgd::open_entry(key, "kzgd:c:a", sealed + "x", payload) != kzgd::SealCheck::ok);
  }
  return 0;
}
