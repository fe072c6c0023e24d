// The operation catalogue: what the service knows about each spec function it serves, in one table. The
// permissions, the rate limits and the overload manager's costs, the deadlines, the binary request bodies and
// request coalescing all read it; the engine knows only each name's function (engine/dispatch/dispatch.hpp).
//
// Costs are in rate-limit tokens: one token is about one verify_kzg_proof, 1 ms on one core. They were
// measured with build/bench/kzg_bench (Release, one core of a 2.6 GHz x86-64): verify_kzg_proof 0.98 ms,
// verify_blob_kzg_proof 1.65, blob_to_kzg_commitment 10.5, compute_kzg_proof 11.6, compute_blob_kzg_proof 12.6,
// verify_blob_kzg_proof_batch 58.2 for 64 blobs, compute_cells 3.4, compute_cells_and_kzg_proofs 104,
// recover_cells_and_kzg_proofs 114 (half the cells missing), verify_cell_kzg_proof_batch 15.9 for 128 cells.
// docs/security.md has the table and how to re-measure; rate_limit.costs overrides them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "service/security/permissions.hpp"

namespace kzgd {

// One fixed-size part of an application/octet-stream body: a spec parameter's raw bytes.
struct BinaryPart {
  std::string_view name;  // spec parameter name
  std::size_t size;       // bytes
};

// What travels in a JSON body: the consensus specs' byte strings, written 0x-prefixed hex, cell indices, booleans.
enum class WireType : std::uint8_t {
  blob,           // Blob: 131072 bytes
  field_element,  // Bytes32: a BLS field element, big-endian, < r
  g1_point,       // Bytes48: a compressed G1 point (KZGCommitment, KZGProof)
  cell,           // Cell: 2048 bytes
  index,          // CellIndex, CommitmentIndex: an unsigned integer
  boolean,
};

// The bytes of one value of a byte-string type (a blob, a field element, a G1 point, a cell); 0 for indices and
// booleans, which are not byte strings.
std::size_t wire_bytes(WireType type);

// One JSON value: a single wire value, a list of them, or a list of lists.
struct WireValue {
  WireType type;
  std::uint32_t max_items = 0;        // 0: one value; else a list of at most this many
  std::uint32_t max_inner_items = 0;  // else 0; a list of lists of at most this many each
};

// One parameter of an operation's JSON input object, under its spec name.
struct Parameter {
  std::string_view name;
  WireValue value;
};

struct OperationEntry {
  std::string_view name;  // the spec function, the path /v1/<name> and the metrics label
  Permission permission;  // what an API key needs to call it
  double cost;            // tokens per call, or per item when `items` is set
  // Batch verifications are charged per item: the input array counted, and the JSON size of one item, which
  // bounds the item count from the body size before the body is parsed.
  std::string_view items = {};
  std::size_t item_json_bytes = 0;
  double deadline_seconds = 10;  // for the work to start (limits.deadlines overrides)
  // The application/octet-stream body: the parameters' bytes concatenated in spec order; empty: JSON only.
  std::span<const BinaryPart> binary = {};
  bool coalesce = false;  // concurrent requests may run as one batch verification (workers.coalesce)
  // The JSON contract (GET /openapi.json): the input object's parameters, all required, in spec order, and the
  // output: one value, or (two or more) a JSON array of them in this order.
  std::span<const Parameter> parameters = {};
  std::span<const WireValue> output = {};
};

// Every operation, in the engine's order (engine/dispatch/dispatch.hpp: deneb, then fulu).
std::span<const OperationEntry> operation_catalogue();
// The entry of an operation, or null for a name the catalogue does not list.
const OperationEntry* find_operation_entry(std::string_view name);

// POST /v1/batch: its permission and its deadline, beside the operations' own.
inline constexpr std::string_view kBatchOperation = "batch";
inline constexpr double kBatchDeadlineSeconds = 30;

}  // namespace kzgd
