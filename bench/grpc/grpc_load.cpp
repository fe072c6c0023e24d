// kzgd_grpc_load: a closed-loop gRPC load client, the counterpart of wrk for bench/http/run.sh. CONCURRENCY calls
// are kept in flight (each starts the next as it completes) over CHANNELS channels (TCP connections) for SECONDS,
// with gRPC's asynchronous callback API, and one line is printed in post.lua's format:
//
//   RESULT rps=... p50_ms=... p95_ms=... p99_ms=... requests=N errors=E
//
// Every call whose status is not OK, or whose answer is not the expected one (valid = true for a verification),
// counts as an error, and the first error's status is printed.
//
//   kzgd_grpc_load --target 127.0.0.1:9090 --op verify_kzg_proof --body verify_kzg.bin
//                  [--concurrency 64] [--channels 4] [--seconds 15]
//
// --body is the operation's application/octet-stream body (service/api/codecs/binary_layout.hpp): the request's
// fields' bytes in spec order, as bench/http/run.sh writes them.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kzg/v1/kzg.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;
using kzg::v1::Kzg;

struct Shared {
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::uint64_t errors = 0;
  std::string first_error;
  std::atomic<bool> stop{false};
  std::atomic<int> running{0};
};

// One closed loop: a call, then the next when it completes.
template <class Request, class Response>
class Caller {
 public:
  using Start = void (Kzg::Stub::async_interface::*)(grpc::ClientContext*, const Request*, Response*,
                                                     std::function<void(grpc::Status)>);
  using Check = bool (*)(const Response&);

  Caller(Kzg::Stub& stub, Start start, const Request& request, Check check, Shared& shared)
      : stub_(stub), start_(start), request_(request), check_(check), shared_(shared) {}

  void next() {
    if (shared_.stop.load()) {
      shared_.running.fetch_sub(1);
      return;
    }
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    response_.Clear();
    started_ = Clock::now();
    (stub_.async()->*start_)(context_.get(), &request_, &response_, [this](const grpc::Status& status) {
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
      const bool ok = status.ok() && check_(response_);
      {
        std::lock_guard lock(shared_.mutex);
        shared_.latencies_ms.push_back(ms);
        if (!ok) {
          if (shared_.errors++ == 0)
            shared_.first_error = status.ok() ? "an unexpected answer"
                                              : std::to_string(status.error_code()) + " " + status.error_message();
        }
      }
      next();
    });
  }

 private:
  Kzg::Stub& stub_;
  Start start_;
  const Request& request_;
  Check check_;
  Shared& shared_;
  std::unique_ptr<grpc::ClientContext> context_;
  Response response_;
  Clock::time_point started_;
};

template <class Request, class Response>
int run(const std::vector<std::unique_ptr<Kzg::Stub>>& stubs, typename Caller<Request, Response>::Start start,
        const Request& request, typename Caller<Request, Response>::Check check, int concurrency, double seconds) {
  Shared shared;
  std::vector<std::unique_ptr<Caller<Request, Response>>> callers;
  callers.reserve(static_cast<std::size_t>(concurrency));
  for (int i = 0; i < concurrency; ++i)
    callers.push_back(
        std::make_unique<Caller<Request, Response>>(*stubs[i % stubs.size()], start, request, check, shared));
  const auto begin = Clock::now();
  shared.running = concurrency;
  for (auto& c : callers) c->next();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  shared.stop = true;
  const auto end = Clock::now();
  while (shared.running.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::vector<double> lat;
  {
    std::lock_guard lock(shared.mutex);
    lat = shared.latencies_ms;
  }
  std::sort(lat.begin(), lat.end());
  const auto pct = [&](double p) {
    return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, static_cast<std::size_t>(p / 100 * lat.size()))];
  };
  const double elapsed = std::chrono::duration<double>(end - begin).count();
  std::printf("RESULT rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f requests=%zu errors=%llu\n",
              static_cast<double>(lat.size()) / elapsed, pct(50), pct(95), pct(99), lat.size(),
              static_cast<unsigned long long>(shared.errors));
  if (shared.errors != 0) std::fprintf(stderr, "kzgd_grpc_load: first error: %s\n", shared.first_error.c_str());
  return shared.errors == 0 ? 0 : 1;
}

bool valid(const kzg::v1::VerifyResponse& r) { return r.valid(); }
bool has_commitment(const kzg::v1::BlobToKzgCommitmentResponse& r) { return r.commitment().size() == 48; }
bool has_cells(const kzg::v1::ComputeCellsAndKzgProofsResponse& r) {
  return r.cells_size() == 128 && r.proofs_size() == 128;
}

int usage() {
  std::fprintf(stderr,
               "usage: kzgd_grpc_load --target HOST:PORT --op OPERATION --body FILE [--concurrency N] "
               "[--channels N] [--seconds S]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string target, op, body_file;
  int concurrency = 64;
  int channels = 4;
  double seconds = 15;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--target")
      target = value;
    else if (flag == "--op")
      op = value;
    else if (flag == "--body")
      body_file = value;
    else if (flag == "--concurrency")
      concurrency = std::max(1, std::stoi(value));
    else if (flag == "--channels")
      channels = std::max(1, std::stoi(value));
    else if (flag == "--seconds")
      seconds = std::stod(value);
    else
      return usage();
  }
  if (target.empty() || op.empty() || body_file.empty()) return usage();
  std::ifstream in(body_file, std::ios::binary);
  const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  std::vector<std::unique_ptr<Kzg::Stub>> stubs;
  stubs.reserve(static_cast<std::size_t>(channels));
  for (int i = 0; i < channels; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.channel_id", i);  // distinct arguments: a channel (and TCP connection) each
    args.SetMaxReceiveMessageSize(64 << 20);
    stubs.push_back(Kzg::NewStub(grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args)));
  }
  using Async = Kzg::Stub::async_interface;
  if (op == "verify_kzg_proof" && body.size() == 160) {
    kzg::v1::VerifyKzgProofRequest r;
    r.set_commitment(body.substr(0, 48));
    r.set_z(body.substr(48, 32));
    r.set_y(body.substr(80, 32));
    r.set_proof(body.substr(112, 48));
    return run<kzg::v1::VerifyKzgProofRequest, kzg::v1::VerifyResponse>(stubs, &Async::VerifyKzgProof, r, valid,
                                                                        concurrency, seconds);
  }
  if (op == "verify_blob_kzg_proof" && body.size() == 131168) {
    kzg::v1::VerifyBlobKzgProofRequest r;
    r.set_blob(body.substr(0, 131072));
    r.set_commitment(body.substr(131072, 48));
    r.set_proof(body.substr(131120, 48));
    return run<kzg::v1::VerifyBlobKzgProofRequest, kzg::v1::VerifyResponse>(stubs, &Async::VerifyBlobKzgProof, r, valid,
                                                                            concurrency, seconds);
  }
  if (op == "blob_to_kzg_commitment" && body.size() == 131072) {
    kzg::v1::BlobToKzgCommitmentRequest r;
    r.set_blob(body);
    return run<kzg::v1::BlobToKzgCommitmentRequest, kzg::v1::BlobToKzgCommitmentResponse>(
        stubs, &Async::BlobToKzgCommitment, r, has_commitment, concurrency, seconds);
  }
  if (op == "compute_cells_and_kzg_proofs" && body.size() == 131072) {
    kzg::v1::ComputeCellsAndKzgProofsRequest r;
    r.set_blob(body);
    return run<kzg::v1::ComputeCellsAndKzgProofsRequest, kzg::v1::ComputeCellsAndKzgProofsResponse>(
        stubs, &Async::ComputeCellsAndKzgProofs, r, has_cells, concurrency, seconds);
  }
  std::fprintf(stderr, "kzgd_grpc_load: %s with a body of %zu bytes is not supported\n", op.c_str(), body.size());
  return 2;
}
