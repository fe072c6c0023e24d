#include "service/config/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>

namespace kzgd::config {

kzg::Error config_error(const std::string& key, const std::string& message, const std::string& origin) {
  // An empty name ("--set =x", a YAML section "": ...) still gets an error naming where to look.
  if (key.empty())
    return kzg::make_error(kzg::ErrorCode::invalid_config,
                           "config: an empty key name: " + message + " (from " + origin + ")", "config");
  return kzg::make_error(kzg::ErrorCode::invalid_config, key + ": " + message + " (from " + origin + ")", key);
}

kzg::Result<std::vector<FileValue>> read_yaml_file(const std::string& path) {
  const std::string origin = "file " + path;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return kzg::make_error(kzg::ErrorCode::invalid_config, "config: cannot read " + config::quoted(path), "config");
  } catch (const YAML::Exception& e) {
    return kzg::make_error(kzg::ErrorCode::invalid_config, "config: " + path + " is not valid YAML: " + e.what(),
                           "config");
  }
  std::vector<FileValue> values;
  if (root.IsNull()) return values;  // an empty file: all defaults
  if (!root.IsMap())
    return kzg::make_error(kzg::ErrorCode::invalid_config, "config: " + path + " must be a mapping of sections",
                           "config");
  for (const auto& section : root) {
    // A key may be any YAML node ("[a, b]: 1" is a valid mapping); only plain scalars name sections and keys.
    if (!section.first.IsScalar())
      return kzg::make_error(kzg::ErrorCode::invalid_config,
                             "config: " + path + ": a section name must be a plain word, not a list or mapping",
                             "config");
    const std::string name = section.first.Scalar();
    if (!section.second.IsMap() && !section.second.IsNull())
      return config_error(name, "must be a mapping of keys", origin);
    for (const auto& entry : section.second) {
      if (!entry.first.IsScalar())
        return config_error(name, "a key must be a plain word, not a list or mapping", origin);
      FileValue v;
      v.key = name + "." + entry.first.Scalar();
      if (entry.second.IsSequence()) {
        for (const auto& item : entry.second) {
          if (!item.IsScalar()) return config_error(v.key, "must be a list of single values", origin);
          v.items.push_back(item.Scalar());
        }
      } else if (entry.second.IsNull()) {
        v.scalar = std::string();
      } else if (entry.second.IsScalar()) {
        v.scalar = entry.second.Scalar();
      } else {
        return config_error(v.key, "must be a single value, not a list or mapping", origin);
      }
      values.push_back(std::move(v));
    }
  }
  return values;
}

std::string environment_variable_for(const std::string& key) {
  std::string v = "KZGD_";
  for (char ch : key) v += ch == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return v;
}

std::string emit_yaml(const std::vector<std::pair<std::string, std::string>>& values) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  std::string section;
  for (const auto& [name, value] : values) {
    const auto dot = name.find('.');
    const std::string s = name.substr(0, dot);
    if (s != section) {
      if (!section.empty()) out << YAML::EndMap;
      out << YAML::Key << s << YAML::Value << YAML::BeginMap;
      section = s;
    }
    out << YAML::Key << name.substr(dot + 1) << YAML::Value;
    if (value.empty() || value.find_first_of(":*&!|>'\"%@`#,[]{}") != std::string::npos)
      out << YAML::DoubleQuoted << value;
    else
      out << value;
  }
  if (!section.empty()) out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace kzgd::config
