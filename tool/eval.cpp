#include "tool/eval.hpp"

#include <nlohmann/json.hpp>
#include <string>

#include "engine/dispatch/dispatch.hpp"

namespace kzg::tool {
namespace {

using nlohmann::json;

// Reads one line (without its '\n') into `line`; false at end of input. A line over `max` bytes is
// consumed to its end and reported through `too_long` instead of being stored.
bool read_line(std::istream& in, std::string& line, std::size_t max, bool& too_long) {
  line.clear();
  too_long = false;
  std::streambuf* sb = in.rdbuf();
  bool any = false;
  for (;;) {
    const int c = sb->sbumpc();
    if (c == std::char_traits<char>::eof()) return any;
    any = true;
    if (c == '\n') return true;
    if (line.size() < max)
      line.push_back(static_cast<char>(c));
    else
      too_long = true;
  }
}

std::string describe(const Error& e) { return e.field.empty() ? e.message : e.field + ": " + e.message; }

json answer_error(const json& id, const std::string& message) {
  return json{{"id", id}, {"output", nullptr}, {"error", message}};
}

json answer(const std::string& line, const KzgSettings& settings) {
  json request = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) return answer_error(nullptr, "malformed JSON request");
  if (!request.is_object()) return answer_error(nullptr, "the request must be a JSON object");
  const json id = request.contains("id") ? request["id"] : json(nullptr);
  const auto op = request.find("op");
  if (op == request.end() || !op->is_string()) return answer_error(id, "op: missing or not a string");
  const auto input = request.find("input");
  if (input == request.end()) return answer_error(id, "input: missing");
  const api::Outcome outcome = api::dispatch(settings, op->get_ref<const std::string&>(), *input);
  if (outcome.error) return answer_error(id, describe(*outcome.error));
  return json{{"id", id}, {"output", outcome.output}};
}

}  // namespace

std::size_t run_eval(std::istream& in, std::ostream& out, const KzgSettings& settings, const EvalOptions& options) {
  std::string line;
  bool too_long = false;
  std::size_t answered = 0;
  while (read_line(in, line, options.max_line_bytes, too_long)) {
    if (!too_long && line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank line: no request
    const json a =
        too_long
            ? answer_error(nullptr, "request line longer than " + std::to_string(options.max_line_bytes) + " bytes")
            : answer(line, settings);
    out << a.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    out.flush();
    ++answered;
  }
  return answered;
}

}  // namespace kzg::tool
