// The Ethereum mainnet KZG trusted setup, embedded in the binary at build time.
//
// cmake/EmbedTrustedSetup.cmake obtains the c-kzg text-format file (from npm's c-kzg@4.1.0, or
// -DKZG_TRUSTED_SETUP_FILE), checks its pinned SHA-256 and links it in, so a binary needs no
// setup file at run time. The file itself is never committed to the repository.
#pragma once

#include <string_view>

namespace kzg {

// The SHA-256 of the embedded text, lower-case hex: the Ethereum mainnet trusted_setup.txt.
inline constexpr std::string_view kEmbeddedTrustedSetupSha256 =
    "d39b9f2d047cc9dca2de58f264b6a09448ccd34db967881a6713eacacf0f26b7";

// The c-kzg text format, byte for byte: "4096", "65", then the G1 Lagrange, G2 monomial and G1
// monomial points in hex, one a line. Static storage; valid for the life of the program.
std::string_view embedded_trusted_setup_text();

}  // namespace kzg
