// Fixed-size byte strings of the KZG specs.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace kzg {

inline constexpr std::size_t kFieldElementsPerBlob = 4096;
inline constexpr std::size_t kBytesPerFieldElement = 32;
inline constexpr std::size_t kBytesPerBlob = kFieldElementsPerBlob * kBytesPerFieldElement;  // 131072
inline constexpr std::size_t kBytesPerCommitment = 48;
inline constexpr std::size_t kBytesPerProof = 48;
inline constexpr std::size_t kFieldElementsPerExtBlob = 2 * kFieldElementsPerBlob;  // 8192
inline constexpr std::size_t kFieldElementsPerCell = 64;
inline constexpr std::size_t kBytesPerCell = kFieldElementsPerCell * kBytesPerFieldElement;        // 2048
inline constexpr std::size_t kCellsPerExtBlob = kFieldElementsPerExtBlob / kFieldElementsPerCell;  // 128

using Bytes32 = std::array<std::uint8_t, 32>;
using Bytes48 = std::array<std::uint8_t, 48>;
using Bytes96 = std::array<std::uint8_t, 96>;
using KzgCommitment = Bytes48;
using KzgProof = Bytes48;
using BlobView = std::span<const std::uint8_t, kBytesPerBlob>;
using CellView = std::span<const std::uint8_t, kBytesPerCell>;

}  // namespace kzg
