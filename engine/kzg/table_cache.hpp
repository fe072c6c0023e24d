// The table cache (setup.table_cache): a file that keeps a KzgSettings' precomputed tables between runs, so
// that a restart, or a replica the autoscaler adds, is ready in a fraction of a second instead of rebuilding
// them (about 4 s of CPU for the mainnet setup: decoding and checking 8,192 G1 points, the FK20 transforms and
// 36 MiB of fixed-base tables).
//
// The file, in host byte order, every field checked before the payload is used:
//   0     magic "KZGDTBL\n"
//   8     u32 format version, u32 section count
//   16    layout digest: SHA-256 of what the bytes mean in this build (format version, byte order, the sizes of
//         the point types, the field's internal form, the windows of the tables)
//   48    setup digest: SHA-256 of the setup's bytes (the file, or the embedded text)
//   80    u64 options (bit 0: cell proofs; bit 1: fixed-base tables)
//   88    u64 size of the whole file
//   96    file digest: SHA-256 of the whole file with these 32 bytes read as zeros
//   128   the section table, {u32 id, u32 zero, u64 offset, u64 bytes} per section, ids ascending
//   4096  the sections, each at a multiple of 64: the setup's G1 Lagrange, G1 monomial and G2 monomial points,
//         the Lagrange fixed-base table, the FK20 columns and the 128 FK20 fixed-base tables, one after another.
//
// Trust: the digests catch corruption, truncation and files made for another setup, other options or another
// build, and every coordinate is checked to be a reduced field element; the points themselves are not
// re-validated (that is what makes it fast). So the file must be as trusted as the binary: keep it where only
// kzgd's user can write. It is never rewritten in place: a new file is written beside it and renamed over it,
// so a process that has the old one mapped keeps a whole file.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"
#include "engine/kzg/settings.hpp"

namespace kzg {

// What load_kzg_settings_cached did, for the caller's logs and metrics.
struct TableCacheOutcome {
  enum class Kind {
    kOff,     // no cache path: built in memory
    kLoaded,  // mapped from the file
    kBuilt,   // built (no usable file), then written unless write_error says otherwise
  };
  Kind kind = Kind::kOff;
  std::string ignored;      // why an existing file was not used (corrupt, truncated, foreign), or empty
  std::string write_error;  // why the fresh tables could not be saved, or empty
};
std::string_view to_string(TableCacheOutcome::Kind kind);

// The settings of the setup whose bytes are `setup_bytes` (c-kzg text or ceremony JSON). With an empty
// cache_path this is make_kzg_settings. Otherwise it maps the file when it holds this setup's tables for these
// options and this build; when it does not (absent, corrupt, truncated, foreign: outcome.ignored says which), it
// builds and validates everything as usual and writes the file. A file that cannot be written costs only the
// speed-up (outcome.write_error): the settings are returned either way. Errors are the setup's own.
Result<std::shared_ptr<const KzgSettings>> load_kzg_settings_cached(std::string_view setup_bytes,
                                                                    const KzgSettingsOptions& options,
                                                                    const std::string& cache_path,
                                                                    TableCacheOutcome& outcome);

// The same for a setup named by path: the file's bytes, or the embedded mainnet setup when setup_path is empty.
Result<std::shared_ptr<const KzgSettings>> load_kzg_settings_cached_from(const std::string& setup_path,
                                                                         const KzgSettingsOptions& options,
                                                                         const std::string& cache_path,
                                                                         TableCacheOutcome& outcome);

// Writes the tables of `s`, which must have been built from `setup_bytes` with `options` and portable tables
// (KzgSettingsOptions::msm_backend = kPortable), to `path`: a temporary file beside it, synced, then renamed.
std::optional<Error> write_table_cache(const KzgSettings& s, std::string_view setup_bytes,
                                       const KzgSettingsOptions& options, const std::string& path);
// Maps `path` and adopts its tables when it passes every check; the error says why it does not.
Result<std::shared_ptr<const KzgSettings>> read_table_cache(const std::string& path, std::string_view setup_bytes,
                                                            const KzgSettingsOptions& options);

// The checks of a file's header and section table, apart from the mapping: for the reader and the fuzzer.
inline constexpr std::size_t kTableCacheSections = 6;
inline constexpr std::size_t kTableCacheHeaderBytes = 4096;
struct TableCacheExpect {
  std::array<std::uint8_t, 32> layout{};
  std::array<std::uint8_t, 32> setup{};
  std::uint64_t options = 0;
  // The size each section must have, by id - 1; zero for a section the options leave out.
  std::array<std::uint64_t, kTableCacheSections> section_bytes{};
};
// This build's expectations for a setup and options.
TableCacheExpect table_cache_expect(std::string_view setup_bytes, const KzgSettingsOptions& options);
// The bytes of a file holding `sections` (by id - 1; empty where left out) under expect's digests and options.
std::vector<std::uint8_t> encode_table_cache(
    const TableCacheExpect& expect, const std::array<std::vector<std::uint8_t>, kTableCacheSections>& sections);
// The sections of `file`, by id - 1 (empty where left out), once the header, the section table and the file
// digest all match `expect`.
Result<std::array<std::span<const std::uint8_t>, kTableCacheSections>> parse_table_cache(
    std::span<const std::uint8_t> file, const TableCacheExpect& expect);

}  // namespace kzg
