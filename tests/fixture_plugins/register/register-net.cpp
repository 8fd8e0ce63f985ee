// A register that asks a "remote service": it connects to 127.0.0.1 on the port of its settings
// ({"port": N}) for each batch. Connected, it answers miss; otherwise it answers each lookup
// with the connection's error. Shows whether the sandbox kept the network for it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <dfx/plugin.hpp>

#include <cerrno>
#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

namespace {
struct NetworkRegister {
  dfx::sdk::Status open(dfx::sdk::RegisterHost&, std::string_view settings) {
    port_ = nlohmann::json::parse(settings).at("port").get<int>();
    return dfx::sdk::Status::ok();
  }
  dfx::sdk::Status query(dfx::sdk::RegisterHost& host, std::span<const dfx::sdk::Query> batch) {
    std::string why;
    const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
      why = std::string("socket: ") + std::strerror(errno);
    } else {
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<uint16_t>(port_));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
        why = std::string("connect: ") + std::strerror(errno);
      ::close(s);
    }
    for (std::uint32_t i = 0; i < batch.size(); ++i) {
      if (why.empty())
        host.miss(i);
      else
        host.error(i, why);
    }
    return dfx::sdk::Status::ok();
  }

 private:
  int port_ = 0;
};
}  // namespace

DFX_REGISTER_PLUGIN(NetworkRegister)
