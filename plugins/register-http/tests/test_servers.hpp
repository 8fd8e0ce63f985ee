// Real servers on 127.0.0.1 for the plugin's tests: an HTTP(S) server (cpp-httplib) that records
// what it received and answers as each test scripts it, and a TCP server that resets every
// connection. Each runs on a free port in a thread of the test and stops with it.
#pragma once

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dfx::register_http::testing {

/// What the server received.
struct Received {
  std::string method, path, body, authorization;
  std::chrono::steady_clock::time_point at;
};

/// An HTTP or HTTPS server on 127.0.0.1 answering every request with `handler`.
class TestServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&, int nth)>;

  /// Plain HTTP.
  explicit TestServer(Handler handler) : server_(std::make_unique<httplib::Server>()) {
    start(std::move(handler));
  }
  /// HTTPS with the given certificate and key.
  TestServer(Handler handler, const std::filesystem::path& cert, const std::filesystem::path& key)
      : server_(std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str())) {
    start(std::move(handler));
  }
  ~TestServer() {
    release();
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url(const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_);
  }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  /// Lets handlers blocked in hold() go.
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    cv_.notify_all();
  }
  /// For a handler: waits until release() or `limit`.
  void hold(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, limit, [&] { return released_; });
  }

 private:
  void start(Handler handler) {
    server_->set_keep_alive_max_count(1000);
    const auto serve = [this, handler](const httplib::Request& req, httplib::Response& res) {
      int nth = 0;
      {
        std::lock_guard lock(mutex_);
        received_.push_back({req.method, req.path, req.body, req.get_header_value("Authorization"),
                             std::chrono::steady_clock::now()});
        nth = static_cast<int>(received_.size());
      }
      handler(req, res, nth);
    };
    server_->Get(".*", serve);
    server_->Post(".*", serve);
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = -1;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool released_ = false;
  std::vector<Received> received_;
};

/// A TCP server that accepts each connection and resets it at once (RST, not FIN).
class ResettingServer {
 public:
  ResettingServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      std::abort();
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0 || stop_) {
          if (c >= 0) ::close(c);
          return;
        }
        ++accepted_;
        char buf[4096];
        (void)::recv(c, buf, sizeof buf, 0);  // the request arrived; the answer is a reset
        linger l{1, 0};
        ::setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        ::close(c);
      }
    });
  }
  ~ResettingServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    if (thread_.joinable()) thread_.join();
  }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] int accepted() const { return accepted_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace dfx::register_http::testing
