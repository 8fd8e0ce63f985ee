// dfx-registerd: a depot's shared stolen-device register over HTTP(S), served from the register
// file `dfx register import` writes (service.hpp lists the endpoints; docs/registers.md says how
// to run it).
//
//   dfx-registerd serve --register-db FILE --tokens FILE [--listen ADDR] [--port N]
//                       [--tls-cert FILE --tls-key FILE]
//   dfx-registerd token NAME      a new token, and the line that stores its hash
//
// It prints "listening on <url>" once it accepts connections (--port 0 picks a free port), logs
// one line per request on stderr without the identifiers asked, reopens the register on SIGHUP
// and stops on SIGTERM or SIGINT.
#include <httplib.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>

#include <CLI/CLI.hpp>

#include "base/utc_time.hpp"
#include "registerd/service.hpp"
#include "registerd/tokens.hpp"

namespace {

using dfx::registerd::Service;

struct Options {
  std::string db, tokens, listen = "127.0.0.1", cert, key;
  int port = 8470;
  std::string name;
};

void log_request(const httplib::Request& req, const dfx::registerd::Response& r, double ms) {
  std::cerr << dfx::utc_now_iso8601(true) << ' ' << req.remote_addr << ' ' << r.token << ' '
            << req.method << ' ' << r.route << ' ' << r.status << ' ' << r.identifiers
            << " identifiers " << static_cast<long>(ms * 1000) / 1000.0 << " ms\n";
}

int serve(const Options& o) {
  auto tokens = dfx::registerd::Tokens::load(o.tokens);
  if (!tokens) {
    std::cerr << "dfx-registerd: " << tokens.error().message << '\n';
    return 2;
  }
  Service service(o.db, std::move(*tokens));
  if (auto opened = service.reload(); !opened) {
    std::cerr << "dfx-registerd: " << opened.error().message << '\n';
    return 1;
  }
  std::unique_ptr<httplib::Server> server;
  if (!o.cert.empty() || !o.key.empty()) {
    if (o.cert.empty() || o.key.empty()) {
      std::cerr << "dfx-registerd: TLS needs both --tls-cert and --tls-key\n";
      return 2;
    }
    auto tls = std::make_unique<httplib::SSLServer>(o.cert.c_str(), o.key.c_str());
    if (!tls->is_valid()) {
      std::cerr << "dfx-registerd: cannot use " << o.cert << " and " << o.key << " for TLS\n";
      return 1;
    }
    server = std::move(tls);
  } else {
    server = std::make_unique<httplib::Server>();
  }
  // Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm holds the
  // body until the client's delayed ACK, 40 ms a request.
  server->set_tcp_nodelay(true);
  server->set_payload_max_length(4u << 20);
  server->set_read_timeout(5, 0);
  server->set_write_timeout(5, 0);
  const auto handler = [&service](const httplib::Request& req, httplib::Response& res) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r =
        service.handle({req.method, req.path, req.get_header_value("Authorization"), req.body});
    res.status = r.status;
    if (r.status == 401) res.set_header("WWW-Authenticate", "Bearer");
    res.set_content(r.body, "application/json");
    log_request(
        req, r,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  };
  server->Get("/.*", handler);
  server->Post("/.*", handler);

  // Signals go to one thread that waits for them: SIGHUP reloads, SIGTERM and SIGINT stop.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGHUP, SIGTERM, SIGINT}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread waiter([&] {
    for (;;) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP) {
        auto r = service.reload();
        std::cerr << dfx::utc_now_iso8601(true) << " register reopened"
                  << (r ? std::string() : ": " + r.error().message) << '\n';
        continue;
      }
      server->stop();
      return;
    }
  });
  const int port = o.port == 0 ? server->bind_to_any_port(o.listen)
                               : (server->bind_to_port(o.listen, o.port) ? o.port : -1);
  if (port < 0) {
    std::cerr << "dfx-registerd: cannot listen on " << o.listen << ':' << o.port << '\n';
    ::kill(::getpid(), SIGTERM);
    waiter.join();
    return 1;
  }
  std::cout << "listening on " << (o.cert.empty() ? "http" : "https") << "://" << o.listen << ':'
            << port << std::endl;
  server->listen_after_bind();
  waiter.join();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("dfx-registerd: a shared stolen-device register over HTTP(S)");
  app.require_subcommand(1);
  Options o;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the register");
  serve_cmd->add_option("--register-db", o.db, "The register file (dfx register import)")
      ->required();
  serve_cmd->add_option("--tokens", o.tokens, "Lines \"<name> <sha256 of token>\", mode 0600")
      ->required();
  serve_cmd->add_option("--listen", o.listen, "Address to listen on")->capture_default_str();
  serve_cmd->add_option("--port", o.port, "Port (0: any free one, printed)")->capture_default_str();
  serve_cmd->add_option("--tls-cert", o.cert, "Certificate chain (PEM): serve HTTPS");
  serve_cmd->add_option("--tls-key", o.key, "Its private key (PEM)");
  auto* token_cmd = app.add_subcommand("token", "Make a token: prints it, and its tokens line");
  token_cmd->add_option("name", o.name, "The token's name (in the log)")->required();
  CLI11_PARSE(app, argc, argv);
  if (token_cmd->parsed()) {
    const auto [token, line] = dfx::registerd::Tokens::make(o.name);
    if (token.empty()) return 1;
    std::cout << "token: " << token << "\nline for the tokens file: " << line << '\n';
    return 0;
  }
  return serve(o);
}
