// Config parsing: kzgd::load_service_config from a YAML file, environment variables and command-line overrides,
// each later source overriding the earlier.
//
// Input (text): the YAML file's content, then optionally a line "%%env" followed by NAME=VALUE lines (the
// environment), then optionally a line "%%flags" followed by key=value lines (overrides, as the flags give them).
//
// Properties: loading never throws; an error is "invalid_config" naming a key (or "config") with a message; an
// accepted configuration printed as YAML (to_yaml, what --check-config prints) loads again, and prints the same.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "fuzz/check.hpp"
#include "service/service_config.hpp"

namespace {

struct Parts {
  std::string yaml;
  std::map<std::string, std::string> env;
  std::vector<kzgd::ConfigOverride> flags;
};

Parts split(std::string_view text) {
  Parts parts;
  enum { kYaml, kEnv, kFlags } section = kYaml;
  std::size_t yaml_end = text.size();
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    const std::string_view line = text.substr(pos, end - pos);
    const std::size_t next = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line == "%%env" || line == "%%flags") {
      if (section == kYaml) yaml_end = pos;
      section = line == "%%env" ? kEnv : kFlags;
    } else if (section != kYaml) {
      const std::size_t eq = line.find('=');
      const std::string name(line.substr(0, eq));
      const std::string value(eq == std::string_view::npos ? std::string_view{} : line.substr(eq + 1));
      if (section == kEnv)
        parts.env[name] = value;
      else
        parts.flags.push_back({name, value, "flag --" + name});
    }
    pos = next;
  }
  parts.yaml = std::string(text.substr(0, yaml_end));
  return parts;
}

std::string temp_path(const char* what) {
  return (std::filesystem::temp_directory_path() /
          ("kzgd-config-fuzz-" + std::to_string(::getpid()) + "-" + what + ".yaml"))
      .string();
}

void write_file(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  FUZZ_CHECK(out.good());
}

// The two files each run writes, removed when the process exits.
struct TempFiles {
  std::string input = temp_path("input");
  std::string printed = temp_path("printed");
  ~TempFiles() {
    std::error_code ignored;
    std::filesystem::remove(input, ignored);
    std::filesystem::remove(printed, ignored);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TempFiles files;
  const std::string& input_path = files.input;
  const std::string& printed_path = files.printed;
  const Parts parts = split(std::string_view(reinterpret_cast<const char*>(data), size));
  write_file(input_path, parts.yaml);

  kzgd::ConfigSources sources;
  sources.file = input_path;
  sources.getenv = [&parts](const char* name) -> const char* {
    const auto it = parts.env.find(name);
    return it == parts.env.end() ? nullptr : it->second.c_str();
  };
  sources.overrides = parts.flags;

  const auto loaded = kzgd::load_service_config(sources);
  if (!loaded) {
    FUZZ_CHECK(loaded.error().code == kzg::ErrorCode::invalid_config);
    FUZZ_CHECK(!loaded.error().field.empty());
    FUZZ_CHECK(!loaded.error().message.empty());
    return 0;
  }
  const std::string printed = kzgd::to_yaml(*loaded);
  write_file(printed_path, printed);
  kzgd::ConfigSources again;
  again.file = printed_path;
  const auto reloaded = kzgd::load_service_config(again);
  if (!reloaded) std::fprintf(stderr, "printed:\n%s\nerror: %s\n", printed.c_str(), reloaded.error().message.c_str());
  FUZZ_CHECK(reloaded.ok());
  FUZZ_CHECK(kzgd::to_yaml(*reloaded) == printed);
  return 0;
}
