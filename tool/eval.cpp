#include "tool/eval.hpp"

#include <nlohmann/json.hpp>
#include <string>

#include "engine/common/json_text.hpp"
#include "engine/dispatch/dispatch.hpp"

namespace kzg::tool {
namespace {

using nlohmann::json;

// Reads one line (without its '\n') into `line`; false at end of input. A line over `max` bytes is
// consumed to its end and reported through `too_long` instead of being stored. istream::getline finds the end of
// line a buffer at a time (a blob's request is a 262 KB line); it returns as soon as a line is complete, so an
// interactive client gets each answer at once.
bool read_line(std::istream& in, std::string& line, std::size_t max, bool& too_long) {
  line.clear();
  too_long = false;
  static thread_local char chunk[std::size_t{1} << 16];
  bool any = false;
  const auto keep = [&](std::size_t n) {
    if (too_long || line.size() + n > max) {
      too_long = true;
      return;
    }
    line.append(chunk, n);
  };
  for (;;) {
    in.getline(chunk, sizeof chunk);
    const auto extracted = static_cast<std::size_t>(in.gcount());  // with the '\n' when one was reached
    if (in.eof()) {                                                // the last line, without a '\n'
      keep(extracted);
      return any || extracted > 0;
    }
    any = true;
    if (in.fail()) {  // the chunk is full and the line goes on
      in.clear();
      keep(extracted);
      continue;
    }
    keep(extracted - 1);
    return true;
  }
}

std::string describe(const Error& e) { return e.field.empty() ? e.message : e.field + ": " + e.message; }

json answer_error(const json& id, const std::string& message) {
  return json{{"id", id}, {"output", nullptr}, {"error", message}};
}

json answer(std::string& line, const KzgSettings& settings, unsigned threads) {
  // A batch of 64 blobs is a 17 MB line: its parser's buffers are kept for the next line.
  auto parsed = parse_json_text(line, {.retain_bytes = std::size_t{64} << 20});
  if (!parsed) {
    if (parsed.error().code != ErrorCode::invalid_json) return answer_error(nullptr, parsed.error().message);
    return answer_error(nullptr, "malformed JSON request");
  }
  json request = std::move(parsed).value();
  if (!request.is_object()) return answer_error(nullptr, "the request must be a JSON object");
  const json id = request.contains("id") ? request["id"] : json(nullptr);
  const auto op = request.find("op");
  if (op == request.end() || !op->is_string()) return answer_error(id, "op: missing or not a string");
  const auto input = request.find("input");
  if (input == request.end()) return answer_error(id, "input: missing");
  api::Outcome outcome = api::dispatch(settings, op->get_ref<const std::string&>(), *input, threads);
  if (outcome.error) return answer_error(id, describe(*outcome.error));
  json a = json::object();
  a["id"] = id;
  a["output"] = std::move(outcome.output);
  return a;
}

}  // namespace

std::size_t run_eval(std::istream& in, std::ostream& out, const KzgSettings& settings, const EvalOptions& options) {
  std::string line, text;
  bool too_long = false;
  std::size_t answered = 0;
  while (read_line(in, line, options.max_line_bytes, too_long)) {
    if (!too_long && line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank line: no request
    const json a =
        too_long
            ? answer_error(nullptr, "request line longer than " + std::to_string(options.max_line_bytes) + " bytes")
            : answer(line, settings, options.threads);
    text.clear();
    append_json_text(text, a);
    text += '\n';
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    ++answered;
  }
  return answered;
}

}  // namespace kzg::tool
