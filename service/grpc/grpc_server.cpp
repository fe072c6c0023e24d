#include "service/grpc/grpc_server.hpp"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>

#include <climits>
#include <deque>

#include "kzg/v1/kzg.grpc.pb.h"
#include "service/api/codecs/responses.hpp"
#include "service/grpc/grpc_codec.hpp"
#include "service/metrics/service_metrics.hpp"

namespace kzgd {

namespace http = boost::beast::http;
using grpc_api::GrpcOperation;

namespace {

constexpr const char* kServiceName = "kzg.v1.Kzg";
// VerifyStream: the most messages of one stream admitted and not yet answered; the stream reads no further
// until one is answered, so a stream holds at most this many messages' memory.
constexpr std::size_t kStreamWindow = 64;

// The call's peer ("ipv4:127.0.0.1:5000", "ipv6:%5B::1%5D:5000") as the HTTP server names its peers
// ("127.0.0.1:5000", "[::1]:5000").
std::string peer_address(const std::string& peer) {
  std::string_view p(peer);
  for (std::string_view scheme : {"ipv4:", "ipv6:"})
    if (p.starts_with(scheme)) p.remove_prefix(scheme.size());
  std::string out;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '%' && i + 2 < p.size()) {
      const std::string_view code = p.substr(i + 1, 2);
      if (code == "5B" || code == "5b") {
        out += '[';
        i += 2;
        continue;
      }
      if (code == "5D" || code == "5d") {
        out += ']';
        i += 2;
        continue;
      }
    }
    out += p[i];
  }
  return out;
}

// The call's metadata as headers: text entries only, without gRPC's own.
using Metadata = std::vector<std::pair<std::string, std::string>>;

Metadata forwarded_metadata(const grpc::CallbackServerContext& context) {
  Metadata out;
  for (const auto& [k, v] : context.client_metadata()) {
    const std::string_view key(k.data(), k.size());
    if (key.empty() || key.front() == ':' || key.ends_with("-bin") || key.starts_with("grpc-") ||
        key == "content-type" || key == "content-length" || key == "te" || key == "accept" ||
        key == "x-request-timeout")
      continue;
    out.emplace_back(std::string(key), std::string(v.data(), v.size()));
  }
  return out;
}

HttpRequest chain_request(std::string_view operation, grpc_api::InternalBody body, const Metadata& metadata,
                          std::chrono::system_clock::time_point deadline) {
  HttpRequest r{http::verb::post, "/v1/" + std::string(operation), 11};
  for (const auto& [k, v] : metadata) r.insert(k, v);
  r.set(http::field::content_type, body.binary ? "application/octet-stream" : "application/json");
  r.set(http::field::accept, "application/octet-stream");
  if (deadline != std::chrono::system_clock::time_point::max()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::system_clock::now()).count();
    if (left < 3600 * 1000) r.set("X-Request-Timeout", std::to_string(std::max<long long>(left, 1)) + "ms");
  }
  r.body() = std::move(body.body);
  r.prepare_payload();
  return r;
}

RequestInfo chain_info(const grpc::CallbackServerContext& context, std::string method,
                       std::shared_ptr<const std::atomic<bool>> gone, bool tls) {
  RequestInfo info;
  info.client = peer_address(context.peer());
  info.received = std::chrono::steady_clock::now();
  info.grpc_method = std::move(method);
  info.gone = std::move(gone);
  // Only a TLS listener has a security context worth reading (gRPC builds one per call on request).
  info.tls = tls;
  if (!tls) return info;
  if (const auto auth = context.auth_context())
    for (const auto& v : auth->FindPropertyValues("x509_subject")) info.client_certificate.assign(v.data(), v.size());
  return info;
}

// The answer's request id and traceparent, returned as initial metadata.
void add_answer_metadata(grpc::CallbackServerContext& context, const HttpResponse& answer) {
  for (const char* name : {"X-Request-Id", "traceparent"}) {
    const auto value = answer[name];
    if (value.empty()) continue;
    std::string key(name);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    context.AddInitialMetadata(key, std::string(value.data(), value.size()));
  }
}

// One unary call. It is answered exactly once: by the chain's responder, by the call's cancellation (the client
// went, or a shutdown's deadline passed), or, should every holder of the responder let go unanswered (work
// dropped at shutdown), by the state's destructor.
class UnaryReactor;

struct UnaryState {
  UnaryReactor* reactor;
  grpc::CallbackServerContext* context;
  std::atomic<bool> answered{false};
  std::shared_ptr<std::atomic<bool>> gone = std::make_shared<std::atomic<bool>>(false);

  UnaryState(UnaryReactor* r, grpc::CallbackServerContext* c) : reactor(r), context(c) {}
  UnaryState(const UnaryState&) = delete;
  UnaryState& operator=(const UnaryState&) = delete;
  ~UnaryState();
  bool claim() { return !answered.exchange(true); }
};

class UnaryReactor : public grpc::ServerUnaryReactor {
 public:
  std::weak_ptr<UnaryState> state;

  void OnCancel() override {
    if (auto s = state.lock()) {
      s->gone->store(true);
      if (s->claim()) Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled"));
    }
  }
  void OnDone() override { delete this; }
};

UnaryState::~UnaryState() {
  if (claim())
    reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the service is shutting down; retry elsewhere"));
}

// VerifyStream: each message is a request of its own through the chain (so the coalescer can join the stream's
// verifications with each other and with other clients'); answers are written as they come, in any order.
class StreamReactor : public grpc::ServerBidiReactor<kzg::v1::VerifyStreamRequest, kzg::v1::VerifyStreamResponse> {
 public:
  struct Core {
    std::mutex mutex;
    StreamReactor* reactor;  // null once the call is done
    std::deque<kzg::v1::VerifyStreamResponse> outbox;
    bool writing = false;
    bool reads_done = false;
    bool read_paused = false;
    bool finished = false;
    std::size_t in_flight = 0;
  };

  StreamReactor(grpc::CallbackServerContext* context, const RequestHandler& handler, ServiceMetrics& metrics, bool tls)
      : tls_(tls),
        context_(context),
        handler_(handler),
        metrics_(metrics),
        metadata_(forwarded_metadata(*context)),
        core_(std::make_shared<Core>()) {
    core_->reactor = this;
    metrics_.add_grpc_streams(1);
    StartRead(&incoming_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      std::lock_guard lock(core_->mutex);
      core_->reads_done = true;
      maybe_finish();
      return;
    }
    {
      std::lock_guard lock(core_->mutex);
      ++core_->in_flight;
    }
    submit(incoming_);
    std::lock_guard lock(core_->mutex);
    if (core_->finished) return;
    if (core_->in_flight < kStreamWindow)
      StartRead(&incoming_);
    else
      core_->read_paused = true;
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(core_->mutex);
    core_->outbox.pop_front();
    core_->writing = false;
    if (!ok) {  // the stream broke: the client went; the answers still coming are dropped
      core_->outbox.clear();
      return;
    }
    write_next();
    maybe_finish();
  }

  void OnCancel() override {
    gone_->store(true);
    std::lock_guard lock(core_->mutex);
    if (core_->finished) return;
    core_->finished = true;
    Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled"));
  }

  void OnDone() override {
    {
      std::lock_guard lock(core_->mutex);
      core_->reactor = nullptr;
    }
    metrics_.add_grpc_streams(-1);
    delete this;
  }

 private:
  // Called with the core locked.
  void write_next() {
    if (core_->writing || core_->finished || core_->outbox.empty()) return;
    core_->writing = true;
    StartWrite(&core_->outbox.front());
  }
  void maybe_finish() {
    if (core_->finished || !core_->reads_done || core_->in_flight != 0 || core_->writing || !core_->outbox.empty())
      return;
    core_->finished = true;
    Finish(grpc::Status::OK);
  }

  static void answer(const std::shared_ptr<Core>& core, kzg::v1::VerifyStreamResponse response) {
    std::lock_guard lock(core->mutex);
    if (core->reactor == nullptr || core->finished) return;
    --core->in_flight;
    core->outbox.push_back(std::move(response));
    core->reactor->write_next();
    if (core->read_paused && core->in_flight < kStreamWindow && !core->reads_done) {
      core->read_paused = false;
      core->reactor->StartRead(&core->reactor->incoming_);
    }
    core->reactor->maybe_finish();
  }

  void submit(const kzg::v1::VerifyStreamRequest& request) {
    const std::uint64_t id = request.id();
    const auto* field = request.GetReflection()->GetOneofFieldDescriptor(
        request, request.GetDescriptor()->FindOneofByName("verification"));
    const GrpcOperation* op = field == nullptr ? nullptr : grpc_api::find_grpc_operation(field->name());
    if (op == nullptr) {
      kzg::v1::VerifyStreamResponse response;
      response.set_id(id);
      grpc_api::fill_item_error(
          kzg::make_error(kzg::ErrorCode::missing_field, "the message carries no verification", "verification"),
          *response.mutable_error());
      metrics_.record_grpc("VerifyStream", "INVALID_ARGUMENT", 0);
      return answer(core_, std::move(response));
    }
    auto body = grpc_api::operation_body(*op->entry, request.GetReflection()->GetMessage(request, field));
    handler_(chain_request(op->entry->name, std::move(body), metadata_, context_->deadline()),
             chain_info(*context_, "VerifyStream", gone_, tls_),
             [core = core_, id, entry = op->entry](const HttpResponse& result) {
               kzg::v1::VerifyStreamResponse response;
               response.set_id(id);
               kzg::v1::VerifyResponse verified;
               if (result.result_int() / 100 != 2) {
                 grpc_api::fill_item_error(error_of_response(result), *response.mutable_error());
               } else {
                 const grpc::Status status = grpc_api::operation_answer(*entry, result, verified);
                 if (status.ok())
                   response.set_valid(verified.valid());
                 else
                   grpc_api::fill_item_error(kzg::make_error(kzg::ErrorCode::internal_error, status.error_message()),
                                             *response.mutable_error());
               }
               answer(core, std::move(response));
             });
  }

  const bool tls_;
  grpc::CallbackServerContext* context_;
  const RequestHandler& handler_;
  ServiceMetrics& metrics_;
  const Metadata metadata_;
  std::shared_ptr<Core> core_;
  std::shared_ptr<std::atomic<bool>> gone_ = std::make_shared<std::atomic<bool>>(false);
  kzg::v1::VerifyStreamRequest incoming_;
};

}  // namespace

class GrpcServer::KzgService final : public kzg::v1::Kzg::CallbackService {
 public:
  KzgService(const RequestHandler& handler, ServiceMetrics& metrics, bool tls)
      : handler_(handler), metrics_(metrics), tls_(tls) {}

  // Runs a unary call through the chain as POST /v1/<target> with `body`; `decode` turns the chain's answer into
  // the call's status, filling its response.
  grpc::ServerUnaryReactor* run(grpc::CallbackServerContext* context, std::string_view target,
                                grpc_api::InternalBody body, std::string method,
                                std::function<grpc::Status(const HttpResponse&)> decode) {
    auto* reactor = new UnaryReactor;
    auto state = std::make_shared<UnaryState>(reactor, context);
    reactor->state = state;
    auto gone = state->gone;
    handler_(chain_request(target, std::move(body), forwarded_metadata(*context), context->deadline()),
             chain_info(*context, std::move(method), std::move(gone), tls_),
             [state = std::move(state), decode = std::move(decode)](const HttpResponse& answer) {
               if (!state->claim()) return;
               add_answer_metadata(*state->context, answer);
               state->reactor->Finish(decode(answer));
             });
    return reactor;
  }

  // Runs one operation's call through the chain.
  template <class Request, class Response>
  grpc::ServerUnaryReactor* unary(grpc::CallbackServerContext* context, const Request* request, Response* response,
                                  std::string_view operation) {
    const GrpcOperation* op = grpc_api::find_grpc_operation(operation);
    if (op == nullptr) {  // the proto and the catalogue disagree; a test keeps them in step
      auto* reactor = new UnaryReactor;
      reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, std::string(operation) + " is not served"));
      return reactor;
    }
    return run(context, operation, grpc_api::operation_body(*op->entry, *request), op->method->name(),
               [response, entry = op->entry](const HttpResponse& answer) {
                 return grpc_api::operation_answer(*entry, answer, *response);
               });
  }

  grpc::ServerUnaryReactor* BlobToKzgCommitment(grpc::CallbackServerContext* c,
                                                const kzg::v1::BlobToKzgCommitmentRequest* q,
                                                kzg::v1::BlobToKzgCommitmentResponse* r) override {
    return unary(c, q, r, "blob_to_kzg_commitment");
  }
  grpc::ServerUnaryReactor* ComputeKzgProof(grpc::CallbackServerContext* c, const kzg::v1::ComputeKzgProofRequest* q,
                                            kzg::v1::ComputeKzgProofResponse* r) override {
    return unary(c, q, r, "compute_kzg_proof");
  }
  grpc::ServerUnaryReactor* ComputeBlobKzgProof(grpc::CallbackServerContext* c,
                                                const kzg::v1::ComputeBlobKzgProofRequest* q,
                                                kzg::v1::ComputeBlobKzgProofResponse* r) override {
    return unary(c, q, r, "compute_blob_kzg_proof");
  }
  grpc::ServerUnaryReactor* VerifyKzgProof(grpc::CallbackServerContext* c, const kzg::v1::VerifyKzgProofRequest* q,
                                           kzg::v1::VerifyResponse* r) override {
    return unary(c, q, r, "verify_kzg_proof");
  }
  grpc::ServerUnaryReactor* VerifyBlobKzgProof(grpc::CallbackServerContext* c,
                                               const kzg::v1::VerifyBlobKzgProofRequest* q,
                                               kzg::v1::VerifyResponse* r) override {
    return unary(c, q, r, "verify_blob_kzg_proof");
  }
  grpc::ServerUnaryReactor* VerifyBlobKzgProofBatch(grpc::CallbackServerContext* c,
                                                    const kzg::v1::VerifyBlobKzgProofBatchRequest* q,
                                                    kzg::v1::VerifyResponse* r) override {
    return unary(c, q, r, "verify_blob_kzg_proof_batch");
  }
  grpc::ServerUnaryReactor* ComputeCells(grpc::CallbackServerContext* c, const kzg::v1::ComputeCellsRequest* q,
                                         kzg::v1::ComputeCellsResponse* r) override {
    return unary(c, q, r, "compute_cells");
  }
  grpc::ServerUnaryReactor* ComputeCellsAndKzgProofs(grpc::CallbackServerContext* c,
                                                     const kzg::v1::ComputeCellsAndKzgProofsRequest* q,
                                                     kzg::v1::ComputeCellsAndKzgProofsResponse* r) override {
    return unary(c, q, r, "compute_cells_and_kzg_proofs");
  }
  grpc::ServerUnaryReactor* RecoverCellsAndKzgProofs(grpc::CallbackServerContext* c,
                                                     const kzg::v1::RecoverCellsAndKzgProofsRequest* q,
                                                     kzg::v1::ComputeCellsAndKzgProofsResponse* r) override {
    return unary(c, q, r, "recover_cells_and_kzg_proofs");
  }
  grpc::ServerUnaryReactor* RecoverCells(grpc::CallbackServerContext* c, const kzg::v1::RecoverCellsRequest* q,
                                         kzg::v1::ComputeCellsResponse* r) override {
    return unary(c, q, r, "recover_cells");
  }
  grpc::ServerUnaryReactor* VerifyCellKzgProofBatch(grpc::CallbackServerContext* c,
                                                    const kzg::v1::VerifyCellKzgProofBatchRequest* q,
                                                    kzg::v1::VerifyResponse* r) override {
    return unary(c, q, r, "verify_cell_kzg_proof_batch");
  }
  grpc::ServerUnaryReactor* ComputeChallenge(grpc::CallbackServerContext* c, const kzg::v1::ComputeChallengeRequest* q,
                                             kzg::v1::ChallengeResponse* r) override {
    return unary(c, q, r, "compute_challenge");
  }
  grpc::ServerUnaryReactor* ComputeVerifyCellKzgProofBatchChallenge(
      grpc::CallbackServerContext* c, const kzg::v1::ComputeVerifyCellKzgProofBatchChallengeRequest* q,
      kzg::v1::ChallengeResponse* r) override {
    return unary(c, q, r, "compute_verify_cell_kzg_proof_batch_challenge");
  }

  grpc::ServerUnaryReactor* Batch(grpc::CallbackServerContext* context, const kzg::v1::BatchRequest* request,
                                  kzg::v1::BatchResponse* response) override {
    return run(context, "batch", {grpc_api::batch_body(*request), false}, "Batch",
               [request, response](const HttpResponse& answer) {
                 return grpc_api::batch_answer(*request, answer, *response);
               });
  }

  grpc::ServerBidiReactor<kzg::v1::VerifyStreamRequest, kzg::v1::VerifyStreamResponse>* VerifyStream(
      grpc::CallbackServerContext* context) override {
    return new StreamReactor(context, handler_, metrics_, tls_);
  }

 private:
  const RequestHandler& handler_;
  ServiceMetrics& metrics_;
  const bool tls_;
};

GrpcServer::GrpcServer(Options options, RequestHandler handler, ServiceMetrics& metrics)
    : options_(std::move(options)), handler_(std::move(handler)), metrics_(metrics) {}

GrpcServer::~GrpcServer() { shutdown(std::chrono::system_clock::now()); }

kzg::Result<ListenAddress> GrpcServer::start() {
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (options_.tls) {
    const TlsOptions& tls = *options_.tls;
    auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
        tls.key_file, tls.cert_file, tls.client_ca_file,
        static_cast<unsigned>(std::max(1.0, options_.grpc.tls_refresh_seconds)));
    grpc::experimental::TlsServerCredentialsOptions o(provider);
    o.watch_identity_key_cert_pairs();
    if (!tls.client_ca_file.empty()) {
      o.watch_root_certs();
      o.set_cert_request_type(tls.require_client_cert ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                                      : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
    } else {
      o.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
    }
    credentials = grpc::experimental::TlsServerCredentials(o);
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  service_ = std::make_unique<KzgService>(handler_, metrics_, options_.tls.has_value());
  grpc::ServerBuilder builder;
  int port = 0;
  const std::string address = to_string(options_.grpc.listen);
  builder.AddListeningPort(address, credentials, &port);
  // Another process on the same port is an error, as for HTTP, not a silent share of the port.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  const auto limit = static_cast<int>(std::min<std::size_t>(options_.max_message_bytes, INT_MAX));
  builder.SetMaxReceiveMessageSize(limit);
  builder.RegisterService(service_.get());
  server_ = builder.BuildAndStart();
  if (!server_ || port == 0) {
    server_.reset();
    return kzg::make_error(kzg::ErrorCode::listen_failed, "cannot listen for gRPC on " + address, "grpc.listen");
  }
  server_->GetHealthCheckService()->SetServingStatus(false);
  health_ = std::thread([this] { watch_health(); });
  return ListenAddress{options_.grpc.listen.host, static_cast<std::uint16_t>(port)};
}

void GrpcServer::watch_health() {
  std::optional<bool> reported;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const bool serving = options_.serving ? options_.serving() : true;
    if (reported != serving) {
      server_->GetHealthCheckService()->SetServingStatus(serving);
      server_->GetHealthCheckService()->SetServingStatus(kServiceName, serving);
      reported = serving;
    }
    wake_.wait_for(lock, std::chrono::milliseconds(50));
  }
}

void GrpcServer::shutdown(std::chrono::system_clock::time_point deadline) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (health_.joinable()) health_.join();
  if (!server_) return;
  // Every service NOT_SERVING, and Watch calls told so, before the listener closes.
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(deadline);
  server_->Wait();
}

}  // namespace kzgd
