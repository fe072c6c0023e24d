#include "engine/setup/trusted_setup.hpp"

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "engine/common/bytes.hpp"
#include "engine/common/hex.hpp"
#include "engine/setup/embedded_setup.hpp"

namespace kzg {
namespace {

constexpr std::size_t kMaxSetupFileBytes = 16u << 20;

// One encoded point awaiting validation, with where it came from (for the error message).
struct PendingPoint {
  std::string_view hex;
  std::string where;
};

Error setup_error(const std::string& where, const std::string& what) {
  return make_error(ErrorCode::invalid_trusted_setup, where + ": " + what);
}

// Decodes points[i] from bytes[i] into out[i], errors[i]: G1 as one batch (square roots and subgroup checks
// eight at a time), G2 point by point.
void decompress_all(std::span<const std::span<const std::uint8_t, 48>> bytes, std::span<G1Affine> out,
                    std::span<PointError> errors) {
  g1_decompress_batch(bytes, out, errors);
}
void decompress_all(std::span<const std::span<const std::uint8_t, 96>> bytes, std::span<G2Affine> out,
                    std::span<PointError> errors) {
  for (std::size_t i = 0; i < bytes.size(); ++i) errors[i] = g2_decompress(out[i], bytes[i]);
}

template <class Affine, std::size_t Bytes>
std::optional<Error> decode_points(std::vector<Affine>& out, const std::vector<PendingPoint>& in) {
  out.resize(in.size());
  // Decompression with its subgroup check is most of the load time: split it across cores, in contiguous
  // shares of at least kPointsPerWorker points (a small setup is decoded on the calling thread alone).
  constexpr std::size_t kPointsPerWorker = 16;
  const std::size_t share_limit = (in.size() + kPointsPerWorker - 1) / kPointsPerWorker;
  const std::size_t workers = std::max<std::size_t>(
      1, std::min<std::size_t>({std::thread::hardware_concurrency(), std::size_t{8}, share_limit}));
  std::vector<std::optional<Error>> errors(workers);
  auto work = [&](std::size_t w) {
    const std::size_t begin = in.size() * w / workers, end = in.size() * (w + 1) / workers;
    std::vector<std::array<std::uint8_t, Bytes>> bytes(end - begin);
    std::vector<std::span<const std::uint8_t, Bytes>> spans;
    for (std::size_t i = begin; i < end; ++i) {
      if (!hex_decode_into(bytes[i - begin], in[i].hex)) {
        errors[w] = setup_error(in[i].where, "expected " + std::to_string(2 * Bytes) + " hex digits");
        return;
      }
      spans.emplace_back(bytes[i - begin]);
    }
    std::vector<PointError> point_errors(end - begin);
    decompress_all(spans, std::span(out).subspan(begin, end - begin), point_errors);
    for (std::size_t i = begin; i < end; ++i) {
      if (point_errors[i - begin] != PointError::kOk) {
        errors[w] = setup_error(in[i].where, std::string("invalid point: ") + to_string(point_errors[i - begin]));
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();
  for (auto& e : errors)  // shares are in order, so this is the first bad point
    if (e) return e;
  return std::nullopt;
}

Result<TrustedSetup> decode_setup(const std::vector<PendingPoint>& g1_lagrange, const std::vector<PendingPoint>& g2,
                                  const std::vector<PendingPoint>& g1_monomial) {
  TrustedSetup s;
  if (auto e = decode_points<G1Affine, 48>(s.g1_lagrange, g1_lagrange)) return *e;
  if (auto e = decode_points<G2Affine, 96>(s.g2_monomial, g2)) return *e;
  if (auto e = decode_points<G1Affine, 48>(s.g1_monomial, g1_monomial)) return *e;
  return s;
}

}  // namespace

Result<TrustedSetup> load_trusted_setup_text(std::string_view text, const TrustedSetupShape& shape) {
  std::vector<std::pair<std::string_view, std::size_t>> lines;  // non-blank lines with their line numbers
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (!line.empty()) lines.emplace_back(line, line_no);
  }
  auto count_at = [&](std::size_t i, std::size_t expected, const char* what) -> std::optional<Error> {
    if (i >= lines.size()) return setup_error("end of file", std::string("missing the ") + what + " count");
    std::size_t n = 0;
    const auto [p, ec] = std::from_chars(lines[i].first.data(), lines[i].first.data() + lines[i].first.size(), n);
    if (ec != std::errc{} || p != lines[i].first.data() + lines[i].first.size() || n != expected)
      return setup_error("line " + std::to_string(lines[i].second),
                         std::string("expected the ") + what + " count " + std::to_string(expected));
    return std::nullopt;
  };
  if (auto e = count_at(0, shape.g1_points, "G1 point")) return *e;
  if (auto e = count_at(1, shape.g2_points, "G2 point")) return *e;
  const std::size_t expected_lines = 2 + 2 * shape.g1_points + shape.g2_points;
  if (lines.size() != expected_lines)
    return setup_error("file", "expected " + std::to_string(expected_lines) + " non-blank lines, found " +
                                   std::to_string(lines.size()));
  std::vector<PendingPoint> g1l, g2, g1m;
  std::size_t i = 2;
  auto take = [&](std::vector<PendingPoint>& dst, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k, ++i) dst.push_back({lines[i].first, "line " + std::to_string(lines[i].second)});
  };
  take(g1l, shape.g1_points);
  take(g2, shape.g2_points);
  take(g1m, shape.g1_points);
  return decode_setup(g1l, g2, g1m);
}

Result<TrustedSetup> load_trusted_setup_json(std::string_view text, const TrustedSetupShape& shape) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return setup_error("JSON", "not a JSON object");
  std::vector<PendingPoint> lists[3];
  const char* keys[3] = {"g1_lagrange", "g2_monomial", "g1_monomial"};
  const std::size_t sizes[3] = {shape.g1_points, shape.g2_points, shape.g1_points};
  for (int k = 0; k < 3; ++k) {
    const auto it = j.find(keys[k]);
    if (it == j.end() || !it->is_array()) return setup_error(keys[k], "missing or not an array");
    if (it->size() != sizes[k])
      return setup_error(keys[k],
                         "expected " + std::to_string(sizes[k]) + " points, found " + std::to_string(it->size()));
    for (std::size_t n = 0; n < it->size(); ++n) {
      const auto& v = (*it)[n];
      const std::string where = std::string(keys[k]) + "[" + std::to_string(n) + "]";
      if (!v.is_string()) return setup_error(where, "not a string");
      lists[k].push_back({v.get_ref<const std::string&>(), where});
    }
  }
  return decode_setup(lists[0], lists[1], lists[2]);
}

Result<std::string> read_trusted_setup_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::invalid_trusted_setup, "cannot open trusted setup file " + path);
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxSetupFileBytes)
      return make_error(ErrorCode::invalid_trusted_setup,
                        path + ": larger than " + std::to_string(kMaxSetupFileBytes) + " bytes");
  }
  return text;
}

Result<TrustedSetup> load_trusted_setup_any(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (text[first] == '{')) return load_trusted_setup_json(text);
  return load_trusted_setup_text(text);
}

Result<TrustedSetup> load_trusted_setup_file(const std::string& path) {
  auto text = read_trusted_setup_file(path);
  if (!text) return text.error();
  return load_trusted_setup_any(*text);
}

Result<TrustedSetup> load_embedded_trusted_setup() { return load_trusted_setup_text(embedded_trusted_setup_text()); }

}  // namespace kzg
