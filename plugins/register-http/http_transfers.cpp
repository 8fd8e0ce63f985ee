#include "http_transfers.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <ctime>

namespace dfx::register_http {

struct HttpTransfers::Job {
  const PlannedRequest* request = nullptr;
  TransferResult result;
  bool done = false;
  bool in_flight = false;
  Clock::time_point first_start{};
  Clock::time_point not_before{};
  Clock::time_point finished{};
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body, content_type, retry_after;
  bool too_large = false;
  char error[CURL_ERROR_SIZE] = {};
  std::size_t limit = 0;
};

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* job = static_cast<HttpTransfers::Job*>(user);
  const std::size_t bytes = size * n;
  if (job->body.size() + bytes > job->limit) {
    job->too_large = true;
    return 0;  // ends the transfer with CURLE_WRITE_ERROR
  }
  job->body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* job = static_cast<HttpTransfers::Job*>(user);
  const std::string_view line(data, size * n);
  constexpr std::string_view kRetryAfter = "retry-after:";
  if (line.size() > kRetryAfter.size() &&
      std::equal(kRetryAfter.begin(), kRetryAfter.end(), line.begin(),
                 [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
    job->retry_after = std::string(line.substr(kRetryAfter.size(), 128));
  return size * n;
}

// Failures that say the service is down or overloaded: worth another attempt, and counted by
// the circuit breaker.
bool transient(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_COULDNT_RESOLVE_HOST:
      return true;
    default:
      return false;
  }
}

// The host of a redirect's target, never its path (which might hold an identifier).
std::string host_of(const char* url) {
  if (url == nullptr) return "somewhere";
  std::string s(url);
  const auto start = s.find("://");
  if (start == std::string::npos) return "somewhere";
  const auto end = s.find('/', start + 3);
  return s.substr(0, end);
}

double ms_since(Clock::time_point t, Clock::time_point now) {
  return std::chrono::duration<double, std::milli>(now - t).count();
}

}  // namespace

dfx::sdk::Result<std::unique_ptr<HttpTransfers>> HttpTransfers::create(const ServiceConfig& config,
                                                                       std::string secret) {
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK)
    return dfx::sdk::Status::error(
        DFX_ERR_INTERNAL, std::string("libcurl did not start: ") + curl_easy_strerror(global));
  std::unique_ptr<HttpTransfers> t(new HttpTransfers(config, std::move(secret)));
  t->multi_ = curl_multi_init();
  if (t->multi_ == nullptr) return dfx::sdk::Status::error(DFX_ERR_INTERNAL, "curl_multi_init");
  curl_multi_setopt(t->multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                    static_cast<long>(config.limits.concurrency));
  curl_multi_setopt(t->multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(config.limits.concurrency));
  return t;
}

HttpTransfers::HttpTransfers(const ServiceConfig& config, std::string secret)
    : config_(config),
      secret_(std::move(secret)),
      breaker_(config.breaker),
      limiter_(config.limits.rate_per_second, std::max(1, config.limits.concurrency)),
      random_(std::random_device{}()) {}

HttpTransfers::~HttpTransfers() {
  if (multi_ != nullptr) curl_multi_cleanup(multi_);
}

void HttpTransfers::start(Job& job) {
  const auto& l = config_.limits;
  job.body.clear();
  job.content_type.clear();
  job.retry_after.clear();
  job.too_large = false;
  job.error[0] = '\0';
  job.limit = l.max_response_bytes;
  CURL* e = curl_easy_init();
  job.easy = e;
  curl_easy_setopt(e, CURLOPT_URL, job.request->url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, &job);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, job.error);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(l.connect_timeout.count()));
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(l.request_timeout.count()));
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!config_.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, config_.ca_file.c_str());
  curl_easy_setopt(e, CURLOPT_USERAGENT, "dfx-register-http/1.0");
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &job);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &job);
  curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
  if (job.headers == nullptr) {
    job.headers = curl_slist_append(job.headers, "Accept: application/json");
    if (job.request->method == "POST")
      job.headers = curl_slist_append(job.headers, "Content-Type: application/json");
    for (const auto& [name, value] : config_.headers)
      job.headers = curl_slist_append(job.headers, (name + ": " + value).c_str());
    if (config_.auth.type == AuthType::Bearer)
      job.headers = curl_slist_append(job.headers, ("Authorization: Bearer " + secret_).c_str());
    if (config_.auth.type == AuthType::Header)
      job.headers = curl_slist_append(job.headers, (config_.auth.header + ": " + secret_).c_str());
  }
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, job.headers);
  if (config_.auth.type == AuthType::Basic) {
    curl_easy_setopt(e, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(e, CURLOPT_USERNAME, config_.auth.username.c_str());
    curl_easy_setopt(e, CURLOPT_PASSWORD, secret_.c_str());
  }
  if (job.request->method == "POST") {
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, job.request->body.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(job.request->body.size()));
  }
  if (job.result.attempts == 0) job.first_start = Clock::now();
  ++job.result.attempts;
  job.in_flight = true;
  curl_multi_add_handle(multi_, e);
}

void HttpTransfers::finish(Job& job, int curl_code, Clock::time_point now) {
  const auto code = static_cast<CURLcode>(curl_code);
  long status = 0;
  curl_easy_getinfo(job.easy, CURLINFO_RESPONSE_CODE, &status);
  const char* content_type_info = nullptr;  // owned by the handle: copied before it goes
  curl_easy_getinfo(job.easy, CURLINFO_CONTENT_TYPE, &content_type_info);
  const std::string content_type = content_type_info ? content_type_info : "";
  const char* redirect = nullptr;
  curl_easy_getinfo(job.easy, CURLINFO_REDIRECT_URL, &redirect);
  const std::string redirect_host = host_of(redirect);
  const std::string curl_error = job.error[0] ? job.error : curl_easy_strerror(code);
  curl_multi_remove_handle(multi_, job.easy);
  curl_easy_cleanup(job.easy);
  job.easy = nullptr;
  job.in_flight = false;

  const int attempts = job.result.attempts;
  const auto attempts_text = [&] {
    return " (" + std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts") + " in " +
           std::to_string(static_cast<long>(ms_since(job.first_start, now))) + " ms)";
  };
  const auto end_with_error = [&](const std::string& why) {
    job.result.error = why + attempts_text();
    job.done = true;
    job.finished = now;
  };
  const auto retry_after = [&](std::chrono::milliseconds wait) { job.not_before = now + wait; };
  const bool may_retry = attempts <= config_.limits.retries;

  // The breaker counts failures of a service that is down; anything else (an answer, a TLS
  // refusal, an oversized answer) shows it up, and also ends a half-open probe.
  const bool down = (code != CURLE_OK && !job.too_large && transient(code)) ||
                    (code == CURLE_OK && status >= 500);
  if (down)
    breaker_.failed(now);
  else
    breaker_.succeeded();
  if (code != CURLE_OK) {
    if (job.too_large)
      return end_with_error("the answer is larger than " +
                            std::to_string(config_.limits.max_response_bytes) + " bytes");
    if (transient(code)) {
      if (may_retry) return retry_after(backoff(config_.limits, attempts, random_));
      return end_with_error("the service did not answer: " + curl_error);
    }
    return end_with_error("the request failed: " + curl_error);
  }
  if (status >= 500) {
    if (may_retry) return retry_after(backoff(config_.limits, attempts, random_));
    return end_with_error("the service answered HTTP " + std::to_string(status));
  }
  if (status == 429) {
    const auto asked = parse_retry_after(job.retry_after, std::time(nullptr));
    const auto wait =
        asked ? std::chrono::milliseconds(*asked) : backoff(config_.limits, attempts, random_);
    if (wait > std::chrono::seconds(60))
      return end_with_error("the service is rate limiting (HTTP 429) and asks to wait " +
                            std::to_string(wait.count() / 1000) + " s");
    if (may_retry) return retry_after(wait);
    return end_with_error("the service is rate limiting (HTTP 429)");
  }
  if (status >= 300 && status < 400)
    return end_with_error("the service redirected (HTTP " + std::to_string(status) + " to " +
                          redirect_host + "); redirects are never followed");
  job.result.answered = true;
  job.result.reply = {status, content_type, std::move(job.body)};
  job.done = true;
  job.finished = now;
}

std::vector<TransferResult> HttpTransfers::run(const std::vector<PlannedRequest>& requests,
                                               const std::function<bool()>& stop) {
  std::vector<Job> jobs(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) jobs[i].request = &requests[i];
  std::size_t left = jobs.size();
  int in_flight = 0;
  while (left > 0) {
    auto now = Clock::now();
    if (stop()) {
      for (auto& job : jobs) {
        if (job.done) continue;
        if (job.in_flight) {
          curl_multi_remove_handle(multi_, job.easy);
          curl_easy_cleanup(job.easy);
          job.easy = nullptr;
        }
        job.result.error = "the register's time ran out before the service answered (" +
                           std::to_string(job.result.attempts) + " attempts)";
        job.done = true;
      }
      break;
    }
    // Start what may start: concurrency, breaker, rate limit and retry times permitting.
    Clock::time_point wake = now + std::chrono::milliseconds(20);
    for (auto& job : jobs) {
      if (job.done || job.in_flight) continue;
      if (in_flight >= config_.limits.concurrency) break;
      if (job.not_before > now) {
        wake = std::min(wake, job.not_before);
        continue;
      }
      if (breaker_.open(now)) {
        job.result.error = breaker_.why(now);
        job.done = true;
        --left;
        continue;
      }
      if (!breaker_.allow(now)) continue;  // half-open: one probe at a time
      Clock::time_point next{};
      if (!limiter_.take(now, next)) {
        wake = std::min(wake, next);
        break;
      }
      start(job);
      ++in_flight;
    }
    if (left == 0) break;
    int running = 0;
    curl_multi_perform(multi_, &running);
    int queued = 0;
    bool ended = false;  // a transfer ended: its slot may be taken at once, without waiting
    while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
      ended = true;
      if (msg->msg != CURLMSG_DONE) continue;
      Job* job = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &job);
      const int code = msg->data.result;
      finish(*job, code, Clock::now());
      --in_flight;
      if (job->done) --left;
    }
    if (left == 0) break;
    if (ended) continue;
    now = Clock::now();
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
    if (in_flight > 0)
      curl_multi_poll(multi_, nullptr, 0, static_cast<int>(std::clamp<long>(wait, 0, 20)), nullptr);
    else if (wait > 0)
      curl_multi_poll(multi_, nullptr, 0, static_cast<int>(std::min<long>(wait, 20)), nullptr);
  }
  std::vector<TransferResult> out;
  out.reserve(jobs.size());
  const auto end = Clock::now();
  for (auto& job : jobs) {
    if (job.headers) curl_slist_free_all(job.headers);
    const auto finished = job.finished == Clock::time_point{} ? end : job.finished;
    job.result.latency_ms = job.result.attempts ? ms_since(job.first_start, finished) : 0;
    out.push_back(std::move(job.result));
  }
  return out;
}

}  // namespace dfx::register_http
