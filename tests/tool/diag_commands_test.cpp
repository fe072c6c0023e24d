// kzg diag and kzg health-check against a canned kzgd on loopback.
#include "tool/diag_commands.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "tool/http_get.hpp"

namespace kzg::tool {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

// Answers GET path with a fixed status and body, one request per connection.
class CannedServer {
 public:
  explicit CannedServer(std::map<std::string, std::pair<unsigned, std::string>> answers)
      : answers_(std::move(answers)), acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedServer() {
    stopping_ = true;
    boost::system::error_code ec;
    tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
  // The Authorization header of every request so far ("" where there was none).
  std::vector<std::string> authorizations() {
    std::lock_guard lock(mutex_);
    return authorizations_;
  }

 private:
  void serve() {
    for (;;) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (stopping_) return;
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(socket, buffer, request, ec);
      if (ec) continue;
      {
        std::lock_guard lock(mutex_);
        authorizations_.emplace_back(request[http::field::authorization]);
      }
      const auto it = answers_.find(std::string(request.target()));
      http::response<http::string_body> response{
          static_cast<http::status>(it == answers_.end() ? 404 : it->second.first), 11};
      response.body() =
          it == answers_.end() ? R"({"error":{"code":"not_found","message":"no","field":"path"}})" : it->second.second;
      response.keep_alive(false);
      response.prepare_payload();
      http::write(socket, response, ec);
    }
  }

  std::map<std::string, std::pair<unsigned, std::string>> answers_;
  std::mutex mutex_;
  std::vector<std::string> authorizations_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

std::string health_body(bool memory_ok) {
  return std::string(R"({"status":")") + (memory_ok ? "healthy" : "unhealthy") + R"(","checks":[)" +
         R"({"name":"memory","ok":)" + (memory_ok ? "true" : "false") +
         R"(,"value":5242880,"threshold":1048576,"unit":"bytes","message":"resident 5.0 MiB"},)" +
         R"({"name":"self_test","ok":true,"value":0.002,"threshold":0,"unit":"seconds","message":"passed"}]})";
}

TEST(DiagCommands, ServerUrls) {
  std::string why;
  auto u = parse_server_url("http://127.0.0.1:8080/", why);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8080);
  u = parse_server_url("http://[::1]:9", why);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->base(), "http://[::1]:9");
  u = parse_server_url("https://kzgd.example.com", why);
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->base(), "https://kzgd.example.com:443");
  for (const char* bad : {"127.0.0.1:8080", "http://h:0", "http://h:99999", "http://h:x", "http://h/path", "http://",
                          "https://", "ftp://h:1", "http://user@h:1", "https://h:"})
    EXPECT_FALSE(parse_server_url(bad, why)) << bad;
}

TEST(DiagCommands, HealthCheckSendsTheApiKeyToEveryEndpoint) {
  CannedServer server({{"/health", {200, R"({"status":"ok"})"}},
                       {"/ready", {200, R"({"status":"ready"})"}},
                       {"/debug/health", {200, health_body(true)}}});
  std::ostringstream out, err;
  EXPECT_EQ(run_health_check(server.url(), out, err, ServerAccess{"", "kzgk_test"}), 0) << out.str() << err.str();
  const auto seen = server.authorizations();
  ASSERT_EQ(seen.size(), 3u);
  for (const auto& a : seen) EXPECT_EQ(a, "Bearer kzgk_test");
}

TEST(DiagCommands, TheApiKeyComesFromAFileOrTheEnvironment) {
  const auto env = [](const char* value) {
    return [value](const char* name) -> const char* { return std::string(name) == "KZGD_API_KEY" ? value : nullptr; };
  };
  std::string why;
  EXPECT_EQ(read_api_key("", env(nullptr), why), std::string());
  EXPECT_EQ(read_api_key("", env(" kzgk_abc\n"), why), std::string("kzgk_abc"));
  EXPECT_FALSE(read_api_key("", env("   "), why));
  EXPECT_NE(why.find("KZGD_API_KEY is empty"), std::string::npos) << why;
  EXPECT_FALSE(read_api_key("", env("a\r\nX-Injected: 1"), why));
  EXPECT_NE(why.find("cannot have"), std::string::npos) << why;

  const auto path = (std::filesystem::temp_directory_path() / "kzg_diag_api_key_test").string();
  std::ofstream(path) << "kzgk_from_file\nsecond line ignored\n";
  EXPECT_EQ(read_api_key(path, env("kzgk_env"), why), std::string("kzgk_from_file"));  // the file wins
  std::ofstream(path, std::ios::trunc) << "\n";
  EXPECT_FALSE(read_api_key(path, env(nullptr), why));
  std::filesystem::remove(path);
  EXPECT_FALSE(read_api_key(path, env(nullptr), why));
  EXPECT_NE(why.find("cannot read"), std::string::npos) << why;
}

TEST(DiagCommands, HealthCheckPassesAndFailsWithTheReport) {
  for (const bool ok : {true, false}) {
    CannedServer server({{"/health", {200, R"({"status":"ok"})"}},
                         {"/ready", {200, R"({"status":"ready"})"}},
                         {"/debug/health", {ok ? 200u : 503u, health_body(ok)}}});
    std::ostringstream out, err;
    EXPECT_EQ(run_health_check(server.url(), out, err), ok ? 0 : 1);
    const std::string text = out.str();
    EXPECT_NE(text.find("[ ok ] live"), std::string::npos) << text;
    EXPECT_NE(text.find("[ ok ] ready"), std::string::npos) << text;
    EXPECT_NE(text.find(ok ? "[ ok ] memory" : "[FAIL] memory"), std::string::npos) << text;
    EXPECT_NE(text.find("value 5242880, threshold 1048576 bytes"), std::string::npos) << text;
    EXPECT_NE(text.find(ok ? "status: healthy" : "status: unhealthy"), std::string::npos) << text;
  }
}

TEST(DiagCommands, HealthCheckFailsWhenNotReadyForbiddenOrUnreachable) {
  {
    CannedServer server(
        {{"/health", {200, R"({"status":"ok"})"}},
         {"/ready", {503, R"({"status":"not_ready","reason":"setup_loading"})"}},
         {"/debug/health", {403, R"({"error":{"code":"forbidden","message":"admin only","field":"client"}})"}}});
    std::ostringstream out, err;
    EXPECT_EQ(run_health_check(server.url(), out, err), 1);
    EXPECT_NE(out.str().find("[FAIL] ready      GET /ready answered 503 (setup_loading)"), std::string::npos)
        << out.str();
    EXPECT_NE(out.str().find("HTTP 403: admin only"), std::string::npos) << out.str();
  }
  std::ostringstream out, err;
  EXPECT_EQ(run_health_check("http://127.0.0.1:1", out, err), 1);
  EXPECT_NE(out.str().find("[FAIL] live"), std::string::npos);
  EXPECT_EQ(run_health_check("ftp://127.0.0.1", out, err), 2);
}

TEST(DiagCommands, DiagPrintsTheProfileTable) {
  const std::string profile =
      R"({"window_seconds":60,"operations":[{"operation":"blob_to_kzg_commitment",)"
      R"("window":{"count":3,"min_ms":1.5,"mean_ms":2,"max_ms":2.5,"p50_ms":2,"p95_ms":2.5,"p99_ms":2.5},)"
      R"("since_start":{"count":7,"min_ms":1,"mean_ms":2,"max_ms":3,"p50_ms":2,"p95_ms":3,"p99_ms":3}}]})";
  CannedServer server({{"/debug/memory", {200, R"({"allocated_bytes":1048576,"resident_bytes":2097152})"}},
                       {"/debug/cpu", {200, R"({"process_percent":12.5,"cores":4,"system_percent":50})"}},
                       {"/debug/profile", {200, profile}}});
  std::ostringstream out, err;
  EXPECT_EQ(run_diag(server.url(), out, err), 0) << err.str();
  const std::string text = out.str();
  EXPECT_NE(text.find("allocated 1.0 MiB"), std::string::npos) << text;
  EXPECT_NE(text.find("process 12.5% of 4 cores"), std::string::npos) << text;
  EXPECT_NE(text.find("blob_to_kzg_commitment               60s            3      1.500      2.000      2.500"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("blob_to_kzg_commitment               start          7"), std::string::npos) << text;
}

TEST(DiagCommands, DiagRefusesBadAnswers) {
  CannedServer server({{"/debug/memory", {200, "not json"}}});
  std::ostringstream out, err;
  EXPECT_EQ(run_diag(server.url(), out, err), 1);
  EXPECT_NE(err.str().find("not a JSON object"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace kzg::tool
