// The generic half of the configuration: how a component declares its keys. A component owns a typed options
// struct and a `declare(Section<Options>&)` that registers, once, each key with its default (the struct's member
// initialiser), its range or parser, and the rules that tie its keys together. config/ knows no component: the
// service assembles the sections (service/service_config.hpp) and config/loader.hpp reads files, the environment
// and flags into them.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/common/result.hpp"
#include "service/config/value_text.hpp"

namespace kzgd::config {

// A value given as text and parsed once at load into what the component uses; the text is kept for
// --check-config and the start-up log.
template <class T>
struct Parsed {
  std::string text;
  T value{};
};

// A Parsed default: the default text, parsed as a value from a file would be.
template <class T, class Parse>
Parsed<T> parsed_default(std::string text, Parse parse) {
  auto value = parse(text);
  return {std::move(text), value ? std::move(value).value() : T{}};
}

// One key of a section: its name within the section, how its text is applied, how it is printed.
template <class S>
struct KeyDef {
  std::string name;
  std::function<std::optional<std::string>(S&, std::string_view)> set;  // what is wrong, or nothing
  std::function<std::string(const S&)> get;
  bool list = false;  // comma-separated; a YAML list of scalars is accepted and joined with ", "
};

template <class S>
class Section {
 public:
  using Rule = std::function<std::optional<kzg::Error>(S&)>;

  explicit Section(std::string prefix) : prefix_(std::move(prefix)) {}

  // The full key name, for errors: "server.listen".
  std::string key(std::string_view name) const { return prefix_ + "." + std::string(name); }

  template <class T>
  void integer(std::string name, T S::*field, std::uint64_t min, std::uint64_t max) {
    add(
        std::move(name),
        [=](S& s, std::string_view t) -> std::optional<std::string> {
          const auto v = parse_integer(t, min, max);
          if (!v) return v.error();
          s.*field = static_cast<T>(*v);
          return std::nullopt;
        },
        [=](const S& s) { return std::to_string(s.*field); });
  }

  void number(std::string name, double S::*field, double min, double max, std::string what) {
    add(
        std::move(name),
        [=, what = std::move(what)](S& s, std::string_view t) -> std::optional<std::string> {
          const auto v = parse_bounded_number(t, min, max, what);
          if (!v) return v.error();
          s.*field = *v;
          return std::nullopt;
        },
        [=](const S& s) { return number_text(s.*field); });
  }

  void seconds(std::string name, double S::*field, double min, double max) {
    number(std::move(name), field, min, max, "a number of seconds");
  }

  // A number in (0, max].
  void positive(std::string name, double S::*field, double max) {
    add(
        std::move(name),
        [=](S& s, std::string_view t) -> std::optional<std::string> {
          const auto v = parse_positive(t, max);
          if (!v) return v.error();
          s.*field = *v;
          return std::nullopt;
        },
        [=](const S& s) { return number_text(s.*field); });
  }

  // A byte count: digits with an optional KiB, MiB or GiB.
  template <class T>
  void bytes(std::string name, T S::*field, std::uint64_t min, std::uint64_t max) {
    add(
        std::move(name),
        [=](S& s, std::string_view t) -> std::optional<std::string> {
          const auto v = parse_byte_count(t, min, max);
          if (!v) return v.error();
          s.*field = static_cast<T>(*v);
          return std::nullopt;
        },
        [=](const S& s) { return std::to_string(s.*field); });
  }

  void boolean(std::string name, bool S::*field) {
    add(
        std::move(name),
        [=](S& s, std::string_view t) -> std::optional<std::string> {
          const auto v = parse_boolean(t);
          if (!v) return v.error();
          s.*field = *v;
          return std::nullopt;
        },
        [=](const S& s) { return std::string(s.*field ? "true" : "false"); });
  }

  template <class E>
  void choice(std::string name, E S::*field, std::vector<std::pair<std::string, E>> names) {
    add(
        std::move(name),
        [=](S& s, std::string_view t) -> std::optional<std::string> {
          const std::string_view v = trim(t);
          std::string choices;
          for (const auto& [n, e] : names) {
            if (n == v) {
              s.*field = e;
              return std::nullopt;
            }
            choices += (choices.empty() ? "" : ", ") + n;
          }
          return "expected one of " + choices + ", got " + config::quoted(t);
        },
        [=](const S& s) {
          for (const auto& [n, e] : names)
            if (e == s.*field) return n;
          return std::string();
        });
  }

  // A path: empty, or a file that can be read now (its contents are checked when the component starts).
  void file(std::string name, std::string S::*field, std::string hint = {}) {
    add(
        std::move(name),
        [=, hint = std::move(hint)](S& s, std::string_view t) -> std::optional<std::string> {
          const std::string path(trim(t));
          if (!path.empty() && !is_readable_file(path))
            return "cannot read the file " + config::quoted(path) + (hint.empty() ? "" : " (" + hint + ")");
          s.*field = path;
          return std::nullopt;
        },
        [=](const S& s) { return s.*field; });
  }

  // Text parsed once, at load, by the component's own parser; its error message is relayed.
  template <class T>
  void parsed(std::string name, Parsed<T> S::*field, std::function<kzg::Result<T>(std::string_view)> parse,
              bool list = true) {
    add(
        std::move(name),
        [=](S& s, std::string_view t) -> std::optional<std::string> {
          const std::string text(trim(t));
          auto value = parse(text);
          if (!value) return value.error().message;
          (s.*field).text = text;
          (s.*field).value = std::move(value).value();
          return std::nullopt;
        },
        [=](const S& s) { return (s.*field).text; }, list);
  }

  // Text kept as text, checked by the component's parser (its error message is relayed).
  template <class Check>
  void checked_text(std::string name, std::string S::*field, Check check, bool list = false) {
    add(
        std::move(name),
        [=](S& s, std::string_view t) -> std::optional<std::string> {
          const std::string text(trim(t));
          if (auto why = check(text)) return *why;
          s.*field = text;
          return std::nullopt;
        },
        [=](const S& s) { return s.*field; }, list);
  }

  // Anything else: the component's own setter and printer.
  void custom(std::string name, std::function<std::optional<std::string>(S&, std::string_view)> set,
              std::function<std::string(const S&)> get, bool list = false) {
    add(std::move(name), std::move(set), std::move(get), list);
  }

  // A rule over several keys, or a value derived from several (run once every source is applied, in order).
  void rule(Rule r) { rules_.push_back(std::move(r)); }

  const std::string& prefix() const { return prefix_; }
  const std::vector<KeyDef<S>>& keys() const { return keys_; }
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  void add(std::string name, std::function<std::optional<std::string>(S&, std::string_view)> set,
           std::function<std::string(const S&)> get, bool list = false) {
    keys_.push_back({std::move(name), std::move(set), std::move(get), list});
  }

  std::string prefix_;
  std::vector<KeyDef<S>> keys_;
  std::vector<Rule> rules_;
};

}  // namespace kzgd::config
