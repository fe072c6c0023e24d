// A description of the machine a benchmark ran on, for sizing deployments: CPU model, cores, the instruction
// set extensions the engine uses when present (ADX/BMI2 for field multiplication, AVX-512F + IFMA for the
// MSM bucket sums) and memory.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace kzg::tool {

struct MachineInfo {
  std::string cpu_model;       // /proc/cpuinfo "model name" (or "unknown")
  unsigned logical_cores = 0;  // online CPUs
  bool adx = false, bmi2 = false, avx512f = false, avx512ifma = false;
  std::string field_multiplication;  // "adx" or "portable": the path the engine takes here
  std::string msm_bucket_sums;       // "avx512-ifma" or "portable"
  std::uint64_t memory_bytes = 0;    // /proc/meminfo MemTotal
};

MachineInfo describe_machine();
nlohmann::json machine_json(const MachineInfo& m);

}  // namespace kzg::tool
