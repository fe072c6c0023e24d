#include "tool/machine_info.hpp"

#include <unistd.h>

#include <fstream>

#include "engine/curve/batch_affine_ifma.hpp"
#include "engine/field/mont_mul_adx.hpp"

namespace kzg::tool {

MachineInfo describe_machine() {
  MachineInfo m;
  m.cpu_model = "unknown";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.starts_with("model name")) {
      const auto colon = line.find(':');
      if (colon != std::string::npos && colon + 2 <= line.size()) m.cpu_model = line.substr(colon + 2);
      break;
    }
  }
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  m.logical_cores = n > 0 ? static_cast<unsigned>(n) : 1;
#if defined(__x86_64__)
  __builtin_cpu_init();
  m.adx = __builtin_cpu_supports("adx");
  m.bmi2 = __builtin_cpu_supports("bmi2");
  m.avx512f = __builtin_cpu_supports("avx512f");
  m.avx512ifma = __builtin_cpu_supports("avx512ifma");
#ifdef KZG_HAVE_ADX_MONT
  m.field_multiplication = kzg::detail::cpu_has_adx() ? "adx" : "portable";
#else
  m.field_multiplication = "portable";
#endif
#else
  m.field_multiplication = "portable";
#endif
#ifdef KZG_HAVE_IFMA
  m.msm_bucket_sums = kzg::batch_affine::IfmaBackend::available() ? "avx512-ifma" : "portable";
#else
  m.msm_bucket_sums = "portable";
#endif
  std::ifstream meminfo("/proc/meminfo");
  for (std::string key; meminfo >> key;) {
    if (key == "MemTotal:") {
      std::uint64_t kib = 0;
      meminfo >> kib;
      m.memory_bytes = kib * 1024;
      break;
    }
    meminfo.ignore(1 << 20, '\n');
  }
  return m;
}

nlohmann::json machine_json(const MachineInfo& m) {
  return {{"cpu_model", m.cpu_model},
          {"logical_cores", m.logical_cores},
          {"isa", {{"adx", m.adx}, {"bmi2", m.bmi2}, {"avx512f", m.avx512f}, {"avx512ifma", m.avx512ifma}}},
          {"engine_paths", {{"field_multiplication", m.field_multiplication}, {"msm_bucket_sums", m.msm_bucket_sums}}},
          {"memory_bytes", m.memory_bytes}};
}

}  // namespace kzg::tool
