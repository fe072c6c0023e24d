// The generic loader: a schema of sections (each a component's options struct inside the root struct) filled from
// defaults, then a YAML file, then environment variables, then flags, each later source overriding the earlier,
// then every section's rules. The first bad value stops loading with an error naming its key (Error::field) and
// where it came from. It knows no component; the service assembles the schema (service/service_config.cpp).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/common/result.hpp"
#include "service/config/section.hpp"

namespace kzgd::config {

// One value given outside the file and the environment (a command-line flag).
struct Override {
  std::string key;     // "server.listen"
  std::string text;    // the value, parsed as the file's would be
  std::string origin;  // how errors name it: "flag --listen"
};

// Where the values come from. Later sources win: file < environment < overrides.
struct Inputs {
  std::optional<std::string> file;                 // YAML file path (--config)
  std::function<const char*(const char*)> getenv;  // null: the environment is not read
  std::vector<Override> overrides;
};

// A value from the file: a scalar, or (for a YAML list) its items.
struct FileValue {
  std::string key;  // "section.key"
  std::optional<std::string> scalar;
  std::vector<std::string> items;  // when the value is a list of scalars
};

// Reads a YAML file of sections of keys. Errors are coded invalid_config with field "config" or the key.
kzg::Result<std::vector<FileValue>> read_yaml_file(const std::string& path);
// The environment variable that overrides a key: "server.listen" -> "KZGD_SERVER_LISTEN".
std::string environment_variable_for(const std::string& key);
// The error for a bad value: "key: message (from origin)", field = key.
kzg::Error config_error(const std::string& key, const std::string& message, const std::string& origin);
// (key, value) pairs as YAML sections, quoting values that need it.
std::string emit_yaml(const std::vector<std::pair<std::string, std::string>>& values);

template <class Root>
class Schema {
 public:
  struct Key {
    std::string name;  // "section.key"
    std::function<std::optional<std::string>(Root&, std::string_view)> set;
    std::function<std::string(const Root&)> get;
    bool list = false;
  };
  using Rule = std::function<std::optional<kzg::Error>(Root&)>;

  // Adds the section `prefix`, held in root.*member, whose keys and rules `declare` registers.
  template <class S, class Declare>
  void section(std::string prefix, S Root::*member, Declare declare) {
    Section<S> s(prefix);
    declare(s);
    for (const auto& k : s.keys())
      keys_.push_back({prefix + "." + k.name,
                       [member, set = k.set](Root& r, std::string_view t) { return set(r.*member, t); },
                       [member, get = k.get](const Root& r) { return get(r.*member); }, k.list});
    for (const auto& rule : s.rules()) rules_.push_back([member, rule](Root& r) { return rule(r.*member); });
  }

  // A rule across sections, run after the sections' own.
  void rule(Rule r) { root_rules_.push_back(std::move(r)); }

  const std::vector<Key>& keys() const { return keys_; }

  const Key* find(std::string_view name) const {
    for (const auto& k : keys_)
      if (k.name == name) return &k;
    return nullptr;
  }

  std::optional<kzg::Error> apply(Root& root, const std::string& key, std::string_view text,
                                  const std::string& origin) const {
    const Key* k = find(key);
    if (k == nullptr) {
      std::string known;
      for (const auto& each : keys_) known += (known.empty() ? "" : ", ") + each.name;
      return config_error(key, "unknown key; the keys are " + known, origin);
    }
    if (auto why = k->set(root, text)) return config_error(key, *why, origin);
    return std::nullopt;
  }

  // Onto the defaults already in root: the file, the environment, the overrides, then the rules.
  std::optional<kzg::Error> load(const Inputs& inputs, Root& root) const {
    if (inputs.file) {
      auto values = read_yaml_file(*inputs.file);
      if (!values) return values.error();
      const std::string origin = "file " + *inputs.file;
      for (const FileValue& v : *values) {
        std::string text;
        if (v.scalar) {
          text = *v.scalar;
        } else {
          const Key* k = find(v.key);
          if (k == nullptr || !k->list)
            return config_error(v.key, "must be a single value, not a list or mapping", origin);
          for (const auto& item : v.items) text += (text.empty() ? "" : ", ") + item;
        }
        if (auto e = apply(root, v.key, text, origin)) return e;
      }
    }
    if (inputs.getenv) {
      for (const auto& k : keys_) {
        const std::string var = environment_variable_for(k.name);
        if (const char* value = inputs.getenv(var.c_str()))
          if (auto e = apply(root, k.name, value, "environment variable " + var)) return e;
      }
    }
    for (const auto& o : inputs.overrides)
      if (auto e = apply(root, o.key, o.text, o.origin)) return e;
    return finish(root);
  }

  // The rules: checks across keys, and the values derived from several keys.
  std::optional<kzg::Error> finish(Root& root) const {
    for (const auto& r : rules_)
      if (auto e = r(root)) return e;
    for (const auto& r : root_rules_)
      if (auto e = r(root)) return e;
    return std::nullopt;
  }

  std::string to_yaml(const Root& root) const {
    std::vector<std::pair<std::string, std::string>> values;
    values.reserve(keys_.size());
    for (const auto& k : keys_) values.emplace_back(k.name, k.get(root));
    return emit_yaml(values);
  }

 private:
  std::vector<Key> keys_;
  std::vector<Rule> rules_;
  std::vector<Rule> root_rules_;
};

}  // namespace kzgd::config
