#include "engine/kzg/table_cache.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <type_traits>
#include <vector>

#include "engine/common/sha256.hpp"
#include "engine/curve/fixed_base_msm.hpp"
#include "engine/kzg/fk20.hpp"
#include "engine/setup/embedded_setup.hpp"

namespace kzg {

// The friend of KzgSettings that reads its tables out and puts them back.
struct TableCacheAccess {
  static std::shared_ptr<const KzgSettings> assemble(std::span<const G1Affine> g1_lagrange,
                                                     std::span<const G1Affine> g1_monomial,
                                                     std::span<const G2Affine> g2_monomial,
                                                     std::span<const G1Affine> lagrange_table,
                                                     std::span<const G1Affine> fk20_columns,
                                                     std::span<const G1Affine> fk20_tables,
                                                     const std::shared_ptr<const void>& owner, MsmBackend backend);
};

namespace {

static_assert(std::is_trivially_copyable_v<G1Affine> && std::is_trivially_copyable_v<G2Affine>);

constexpr char kMagic[8] = {'K', 'Z', 'G', 'D', 'T', 'B', 'L', '\n'};
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kDigestOffset = 96, kSectionTableOffset = 128, kSectionEntryBytes = 24;
constexpr std::size_t kAlign = 64;
constexpr std::uint64_t kOptionCellProofs = 1, kOptionFixedBase = 2;
// Far above the mainnet file (37.5 MB): a bound on what is mapped at all.
constexpr std::uint64_t kMaxFileBytes = std::uint64_t{1} << 30;

// Section ids - 1.
enum Section : std::size_t { kG1Lagrange, kG1Monomial, kG2Monomial, kLagrangeTable, kFk20Columns, kFk20Tables };

constexpr std::size_t kFk20Points = kFieldElementsPerCell;  // each FK20 table covers 64 column points
constexpr std::size_t kFk20Count = 2 * kFieldElementsPerBlob / kFieldElementsPerCell;  // 128 frequencies

Error cache_error(const std::string& what) { return make_error(ErrorCode::invalid_table_cache, what); }

// The reason read_table_cache gives for a file that does not exist yet: not worth a warning.
constexpr std::string_view kNoFileYet = "no file yet";

std::uint64_t options_bits(const KzgSettingsOptions& o) {
  return (o.cell_proofs ? kOptionCellProofs : 0) | (o.fixed_base_msm ? kOptionFixedBase : 0);
}

template <class T>
void put(std::uint8_t* at, const T& v) {
  std::memcpy(at, &v, sizeof v);
}
template <class T>
T get(const std::uint8_t* at) {
  T v;
  std::memcpy(&v, at, sizeof v);
  return v;
}

std::array<std::uint8_t, 32> sha256_of(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.finish();
}

// What the bytes of a point mean in this build: a change of any of these makes old files foreign.
std::array<std::uint8_t, 32> layout_digest() {
  Sha256 h;
  h.update(std::string_view("kzgd table cache layout"));
  const std::uint64_t facts[] = {kFormatVersion,
                                 0x0102030405060708ULL,  // byte order
                                 sizeof(G1Affine),
                                 offsetof(G1Affine, y),
                                 offsetof(G1Affine, infinity),
                                 sizeof(G2Affine),
                                 offsetof(G2Affine, y),
                                 offsetof(G2Affine, infinity),
                                 sizeof(Fp),
                                 kLagrangeMsmWindow,
                                 kFk20MsmWindow,
                                 kFieldElementsPerBlob,
                                 kFieldElementsPerCell};
  h.update(std::span(reinterpret_cast<const std::uint8_t*>(facts), sizeof facts));
  // The internal form of field elements (Montgomery, today), through known points.
  const G1Affine g1 = G1Affine::generator();
  const G2Affine g2 = G2Affine::generator();
  const Fp one = Fp::one();
  for (const Fp* f : {&g1.x, &g1.y, &g2.x.c0, &g2.x.c1, &g2.y.c0, &g2.y.c1, &one})
    h.update(std::span(reinterpret_cast<const std::uint8_t*>(f->v.data()), sizeof f->v));
  return h.finish();
}

template <class T>
std::span<const std::uint8_t> bytes_of(std::span<const T> v) {
  return {reinterpret_cast<const std::uint8_t*>(v.data()), v.size_bytes()};
}

bool reduced(const Fp& f) { return !limbs::geq(f.v, Fp::modulus()); }
bool sane(const G1Affine& p) { return reduced(p.x) && reduced(p.y); }
bool sane(const G2Affine& p) { return reduced(p.x.c0) && reduced(p.x.c1) && reduced(p.y.c0) && reduced(p.y.c1); }

// The points of a section, once every flag byte is a bool and every coordinate reduced (so a file that passed
// its digest but was written wrongly can still not put an invalid object into the engine).
template <class Point>
std::optional<std::span<const Point>> points_of(std::span<const std::uint8_t> bytes) {
  if (bytes.size() % sizeof(Point) != 0 || reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(Point) != 0)
    return std::nullopt;
  const std::size_t n = bytes.size() / sizeof(Point);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t flag = bytes[i * sizeof(Point) + offsetof(Point, infinity)];
    if (flag > 1) return std::nullopt;
  }
  const std::span<const Point> points(reinterpret_cast<const Point*>(bytes.data()), n);
  for (const Point& p : points)
    if (!sane(p)) return std::nullopt;
  return points;
}

// A read-only mapping of a whole file.
struct Mapping {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (data != nullptr) munmap(const_cast<std::uint8_t*>(data), size);
  }
};

Result<std::shared_ptr<const Mapping>> map_file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO put in the file's place must not wait for a writer (it is refused below).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return cache_error(std::string(kNoFileYet));
    return cache_error(std::string("cannot open it: ") + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return cache_error("not a regular file");
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size < kTableCacheHeaderBytes || size > kMaxFileBytes) {
    ::close(fd);
    return cache_error("truncated or oversized: " + std::to_string(size) + " bytes");
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) return cache_error(std::string("cannot map it: ") + std::strerror(errno));
  ::madvise(p, size, MADV_WILLNEED);
  auto m = std::make_shared<Mapping>();
  m->data = static_cast<const std::uint8_t*>(p);
  m->size = size;
  return std::shared_ptr<const Mapping>(std::move(m));
}

// The 128 FK20 tables of `s`, portable form, one after another (the file's last section).
std::vector<G1Affine> fk20_portable_tables(const KzgSettings& s) {
  std::vector<G1Affine> all;
  for (const G1FixedBaseMsm& m : s.fk20_msm())
    all.insert(all.end(), m.portable_table().begin(), m.portable_table().end());
  return all;
}

// Writes all of `bytes` or says why not.
bool write_all(int fd, std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

std::string_view to_string(TableCacheOutcome::Kind kind) {
  switch (kind) {
    case TableCacheOutcome::Kind::kOff:
      return "off";
    case TableCacheOutcome::Kind::kLoaded:
      return "loaded";
    case TableCacheOutcome::Kind::kBuilt:
      return "built";
  }
  return "off";
}

TableCacheExpect table_cache_expect(std::string_view setup_bytes, const KzgSettingsOptions& options) {
  TableCacheExpect e;
  e.layout = layout_digest();
  e.setup = sha256_of(setup_bytes);
  e.options = options_bits(options);
  e.section_bytes[kG1Lagrange] = kFieldElementsPerBlob * sizeof(G1Affine);
  e.section_bytes[kG1Monomial] = kFieldElementsPerBlob * sizeof(G1Affine);
  e.section_bytes[kG2Monomial] = TrustedSetupShape{}.g2_points * sizeof(G2Affine);
  if (options.fixed_base_msm)
    e.section_bytes[kLagrangeTable] =
        G1FixedBaseMsm::table_entries(kFieldElementsPerBlob, kLagrangeMsmWindow) * sizeof(G1Affine);
  if (options.cell_proofs) e.section_bytes[kFk20Columns] = 2 * kFieldElementsPerBlob * sizeof(G1Affine);
  if (options.cell_proofs && options.fixed_base_msm)
    e.section_bytes[kFk20Tables] =
        kFk20Count * G1FixedBaseMsm::table_entries(kFk20Points, kFk20MsmWindow) * sizeof(G1Affine);
  return e;
}

Result<std::array<std::span<const std::uint8_t>, kTableCacheSections>> parse_table_cache(
    std::span<const std::uint8_t> file, const TableCacheExpect& expect) {
  if (file.size() < kTableCacheHeaderBytes) return cache_error("truncated: shorter than its header");
  const std::uint8_t* h = file.data();
  if (std::memcmp(h, kMagic, sizeof kMagic) != 0) return cache_error("not a kzgd table cache (wrong magic)");
  if (get<std::uint32_t>(h + 8) != kFormatVersion)
    return cache_error("format version " + std::to_string(get<std::uint32_t>(h + 8)) + ", this build reads " +
                       std::to_string(kFormatVersion));
  if (std::memcmp(h + 16, expect.layout.data(), 32) != 0)
    return cache_error("written by a build with another table layout");
  if (std::memcmp(h + 48, expect.setup.data(), 32) != 0) return cache_error("made for another trusted setup");
  if (get<std::uint64_t>(h + 80) != expect.options)
    return cache_error("made with other setup options (cell_proofs, fixed_base_msm)");
  if (get<std::uint64_t>(h + 88) != file.size())
    return cache_error("truncated or extended: " + std::to_string(file.size()) + " bytes, the header says " +
                       std::to_string(get<std::uint64_t>(h + 88)));
  std::size_t wanted = 0;
  for (const std::uint64_t b : expect.section_bytes) wanted += b != 0 ? 1 : 0;
  const std::uint32_t count = get<std::uint32_t>(h + 12);
  if (count != wanted)
    return cache_error("holds " + std::to_string(count) + " sections, not " + std::to_string(wanted));

  std::array<std::span<const std::uint8_t>, kTableCacheSections> sections{};
  std::uint64_t end_of_last = kTableCacheHeaderBytes;
  std::size_t entry = 0;
  for (std::size_t id = 0; id < kTableCacheSections; ++id) {
    if (expect.section_bytes[id] == 0) continue;
    const std::uint8_t* e = h + kSectionTableOffset + entry++ * kSectionEntryBytes;
    const auto sid = get<std::uint32_t>(e), zero = get<std::uint32_t>(e + 4);
    const auto offset = get<std::uint64_t>(e + 8), bytes = get<std::uint64_t>(e + 16);
    const std::string which = "section " + std::to_string(id + 1);
    if (sid != id + 1 || zero != 0) return cache_error("the section table is damaged at " + which);
    if (bytes != expect.section_bytes[id])
      return cache_error(which + " holds " + std::to_string(bytes) + " bytes, not " +
                         std::to_string(expect.section_bytes[id]));
    if (offset % kAlign != 0 || offset < end_of_last || offset > file.size() || bytes > file.size() - offset)
      return cache_error(which + " lies outside the file or overlaps another");
    sections[id] = file.subspan(offset, bytes);
    end_of_last = offset + bytes;
  }
  // Last, the digest over everything (the most expensive check).
  Sha256 digest;
  static constexpr std::array<std::uint8_t, 32> kZeros{};
  digest.update(file.first(kDigestOffset)).update(kZeros).update(file.subspan(kDigestOffset + 32));
  const auto sum = digest.finish();
  if (std::memcmp(sum.data(), h + kDigestOffset, 32) != 0) return cache_error("corrupt: its digest does not match");
  return sections;
}

std::shared_ptr<const KzgSettings> TableCacheAccess::assemble(
    std::span<const G1Affine> g1_lagrange, std::span<const G1Affine> g1_monomial, std::span<const G2Affine> g2_monomial,
    std::span<const G1Affine> lagrange_table, std::span<const G1Affine> fk20_columns,
    std::span<const G1Affine> fk20_tables, const std::shared_ptr<const void>& owner, MsmBackend backend) {
  std::shared_ptr<KzgSettings> s(new KzgSettings());
  s->setup_.g1_lagrange.assign(g1_lagrange.begin(), g1_lagrange.end());
  s->setup_.g1_monomial.assign(g1_monomial.begin(), g1_monomial.end());
  s->setup_.g2_monomial.assign(g2_monomial.begin(), g2_monomial.end());
  s->derive_small_tables();
  if (!lagrange_table.empty()) {
    s->lagrange_msm_ = G1FixedBaseMsm::adopt(lagrange_table, kFieldElementsPerBlob, kLagrangeMsmWindow, owner, backend);
    if (s->lagrange_msm_.empty()) return nullptr;
  }
  s->fk20_columns_.assign(fk20_columns.begin(), fk20_columns.end());
  if (!fk20_tables.empty()) {
    const std::size_t entries = G1FixedBaseMsm::table_entries(kFk20Points, kFk20MsmWindow);
    if (fk20_tables.size() != kFk20Count * entries) return nullptr;
    s->fk20_msm_.resize(kFk20Count);
    for (std::size_t k = 0; k < kFk20Count; ++k) {
      s->fk20_msm_[k] =
          G1FixedBaseMsm::adopt(fk20_tables.subspan(k * entries, entries), kFk20Points, kFk20MsmWindow, owner, backend);
      if (s->fk20_msm_[k].empty()) return nullptr;
    }
  }
  return s;
}

std::vector<std::uint8_t> encode_table_cache(const TableCacheExpect& expect,
                                             const std::array<std::vector<std::uint8_t>, kTableCacheSections>& body) {
  std::uint64_t size = kTableCacheHeaderBytes;
  std::array<std::uint64_t, kTableCacheSections> offsets{};
  std::uint32_t count = 0;
  for (std::size_t id = 0; id < kTableCacheSections; ++id) {
    if (body[id].empty()) continue;
    offsets[id] = size;
    size = (size + body[id].size() + kAlign - 1) / kAlign * kAlign;
    ++count;
  }
  std::vector<std::uint8_t> file(size, 0);
  std::uint8_t* h = file.data();
  std::memcpy(h, kMagic, sizeof kMagic);
  put<std::uint32_t>(h + 8, kFormatVersion);
  put<std::uint32_t>(h + 12, count);
  std::memcpy(h + 16, expect.layout.data(), 32);
  std::memcpy(h + 48, expect.setup.data(), 32);
  put<std::uint64_t>(h + 80, expect.options);
  put<std::uint64_t>(h + 88, size);
  std::size_t entry = 0;
  for (std::size_t id = 0; id < kTableCacheSections; ++id) {
    if (body[id].empty()) continue;
    std::uint8_t* e = h + kSectionTableOffset + entry++ * kSectionEntryBytes;
    put<std::uint32_t>(e, static_cast<std::uint32_t>(id + 1));
    put<std::uint64_t>(e + 8, offsets[id]);
    put<std::uint64_t>(e + 16, body[id].size());
    std::memcpy(h + offsets[id], body[id].data(), body[id].size());
  }
  // The digest, over the whole file with its own field still zero.
  Sha256 digest;
  digest.update(file);
  const auto sum = digest.finish();
  std::memcpy(h + kDigestOffset, sum.data(), 32);
  return file;
}

std::optional<Error> write_table_cache(const KzgSettings& s, std::string_view setup_bytes,
                                       const KzgSettingsOptions& options, const std::string& path) {
  const TableCacheExpect expect = table_cache_expect(setup_bytes, options);
  // The sections' contents, by id - 1. Points are copied through zeroed records so padding bytes are zeros and
  // the same tables always give the same file.
  std::array<std::vector<std::uint8_t>, kTableCacheSections> body;
  auto store = [&](std::size_t id, auto points) {
    using Point = typename decltype(points)::value_type;
    std::vector<std::uint8_t>& out = body[id];
    out.assign(points.size() * sizeof(Point), 0);
    for (std::size_t i = 0; i < points.size(); ++i) {
      std::uint8_t* at = out.data() + i * sizeof(Point);
      std::memcpy(at + offsetof(Point, x), &points[i].x, sizeof points[i].x);
      std::memcpy(at + offsetof(Point, y), &points[i].y, sizeof points[i].y);
      at[offsetof(Point, infinity)] = points[i].infinity ? 1 : 0;
    }
  };
  store(kG1Lagrange, std::span<const G1Affine>(s.setup().g1_lagrange));
  store(kG1Monomial, std::span<const G1Affine>(s.setup().g1_monomial));
  store(kG2Monomial, std::span<const G2Affine>(s.setup().g2_monomial));
  if (expect.section_bytes[kLagrangeTable] != 0) store(kLagrangeTable, s.lagrange_msm().portable_table());
  if (expect.section_bytes[kFk20Columns] != 0) store(kFk20Columns, std::span<const G1Affine>(s.fk20_columns()));
  if (expect.section_bytes[kFk20Tables] != 0) {
    const std::vector<G1Affine> all = fk20_portable_tables(s);
    store(kFk20Tables, std::span<const G1Affine>(all));
  }
  for (std::size_t id = 0; id < kTableCacheSections; ++id)
    if (body[id].size() != expect.section_bytes[id])
      return make_error(
          ErrorCode::invalid_table_cache,
          "these settings do not hold portable tables of the expected shape (section " + std::to_string(id + 1) + ")");

  const std::vector<std::uint8_t> file = encode_table_cache(expect, body);
  body = {};  // the file holds a copy

  std::error_code ec;
  const std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  // A name of its own (replicas may share the directory), renamed over the old file once complete.
  const std::string temp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(std::random_device{}());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(ErrorCode::io_error, "cannot create " + temp + ": " + std::strerror(errno));
  bool ok = write_all(fd, file);
  ok = ok && ::fsync(fd) == 0;
  const int saved = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(ok ? errno : saved);
    ::unlink(temp.c_str());
    return make_error(ErrorCode::io_error, "cannot write " + path + ": " + why);
  }
  return std::nullopt;
}

Result<std::shared_ptr<const KzgSettings>> read_table_cache(const std::string& path, std::string_view setup_bytes,
                                                            const KzgSettingsOptions& options) {
  auto mapped = map_file(path);
  if (!mapped) return mapped.error();
  const std::shared_ptr<const Mapping>& m = *mapped;
  auto sections = parse_table_cache({m->data, m->size}, table_cache_expect(setup_bytes, options));
  if (!sections) return sections.error();
  const auto& sec = *sections;
  const auto g1_lagrange = points_of<G1Affine>(sec[kG1Lagrange]);
  const auto g1_monomial = points_of<G1Affine>(sec[kG1Monomial]);
  const auto g2_monomial = points_of<G2Affine>(sec[kG2Monomial]);
  const auto lagrange_table = points_of<G1Affine>(sec[kLagrangeTable]);
  const auto fk20_columns = points_of<G1Affine>(sec[kFk20Columns]);
  const auto fk20_tables = points_of<G1Affine>(sec[kFk20Tables]);
  if (!g1_lagrange || !g1_monomial || !g2_monomial || !lagrange_table || !fk20_columns || !fk20_tables)
    return cache_error("holds a coordinate that is not a reduced field element");
  auto s = TableCacheAccess::assemble(*g1_lagrange, *g1_monomial, *g2_monomial, *lagrange_table, *fk20_columns,
                                      *fk20_tables, m, options.msm_backend);
  if (!s) return cache_error("its tables do not have the shape this build uses");
  return s;
}

Result<std::shared_ptr<const KzgSettings>> load_kzg_settings_cached(std::string_view setup_bytes,
                                                                    const KzgSettingsOptions& options,
                                                                    const std::string& cache_path,
                                                                    TableCacheOutcome& outcome) {
  outcome = {};
  if (cache_path.empty()) {
    auto setup = load_trusted_setup_any(setup_bytes);
    if (!setup) return setup.error();
    return make_kzg_settings(std::move(setup).value(), options);
  }
  auto cached = read_table_cache(cache_path, setup_bytes, options);
  if (cached) {
    outcome.kind = TableCacheOutcome::Kind::kLoaded;
    return cached;
  }
  if (cached.error().message != kNoFileYet) outcome.ignored = cached.error().message;

  // Build everything from the setup, checked as always, with portable tables (what the file holds).
  outcome.kind = TableCacheOutcome::Kind::kBuilt;
  auto setup = load_trusted_setup_any(setup_bytes);
  if (!setup) return setup.error();
  KzgSettingsOptions portable = options;
  portable.msm_backend = MsmBackend::kPortable;
  auto built = make_kzg_settings(std::move(setup).value(), portable);
  if (!built) return built.error();
  if (auto failed = write_table_cache(**built, setup_bytes, options, cache_path)) outcome.write_error = failed->message;
  if (G1FixedBaseMsm::fastest_is_portable() || options.msm_backend == MsmBackend::kPortable) return built;
  // On a CPU with a faster backend, the tables are converted for it, as a load from the file would.
  const KzgSettings& b = **built;
  const std::vector<G1Affine> fk20_all = fk20_portable_tables(b);
  auto converted = TableCacheAccess::assemble(b.setup().g1_lagrange, b.setup().g1_monomial, b.setup().g2_monomial,
                                              b.lagrange_msm().portable_table(), b.fk20_columns(), fk20_all, *built,
                                              MsmBackend::kFastest);
  if (!converted) return make_error(ErrorCode::internal_error, "the freshly built tables have an unexpected shape");
  return converted;
}

Result<std::shared_ptr<const KzgSettings>> load_kzg_settings_cached_from(const std::string& setup_path,
                                                                         const KzgSettingsOptions& options,
                                                                         const std::string& cache_path,
                                                                         TableCacheOutcome& outcome) {
  outcome = {};
  if (setup_path.empty()) return load_kzg_settings_cached(embedded_trusted_setup_text(), options, cache_path, outcome);
  auto bytes = read_trusted_setup_file(setup_path);
  if (!bytes) return bytes.error();
  return load_kzg_settings_cached(*bytes, options, cache_path, outcome);
}

}  // namespace kzg
