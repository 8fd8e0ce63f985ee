// lockdownd on port 62078 (see lockdownd.hpp).
#include "lockdownd.hpp"

#include <utility>

#include "pairing.hpp"
#include "usbmux.hpp"

namespace dfx::testing::apple {
namespace {

namespace mux = dfx::apple::usbmux;

// The Error a phone gives to requests this emulator never serves (names from libimobiledevice's
// lockdownd_error_str_map). Pair waits for the Trust dialog nobody answers here.
std::string refusal_for(const std::string& request) {
  if (request == "Pair") return "PairingDialogResponsePending";
  if (request == "SetValue") return "SetProhibited";
  if (request == "RemoveValue") return "RemoveProhibited";
  if (request == "StartService") return "InvalidService";
  return "UnsupportedRequest";
}

Plist copy_of(plist_t node) {
  return Plist(node ? plist_copy(node) : nullptr);
}

}  // namespace

StreamAction LockdownService::fail(const std::string& why) {
  rec_.errors.push_back(why);
  return StreamAction::reset;
}

StreamAction LockdownService::on_data(std::span<const std::uint8_t> in, Bytes& out) {
  if (tls_state_ != Tls::off) return feed_tls(in, out);
  plain_.insert(plain_.end(), in.begin(), in.end());
  return take_plain(out);
}

StreamAction LockdownService::feed_tls(std::span<const std::uint8_t> in, Bytes& out) {
  if (tls_state_ == Tls::ending && !in.empty() && in[0] == 0x00) {
    // After StopSession the host left TLS without close_notify: a plain frame's length prefix
    // (a TLS record starts with its content type, 0x14..0x17).
    tls_.reset();
    tls_state_ = Tls::off;
    plain_.insert(plain_.end(), in.begin(), in.end());
    return take_plain(out);
  }
  const bool was_established = tls_->established();
  const bool ok = tls_->feed(in);
  const Bytes records = tls_->take_output();  // alerts too, when the handshake failed
  out.insert(out.end(), records.begin(), records.end());
  if (!ok) return fail(tls_->error());
  if (!was_established && tls_->established()) ++rec_.tls_completed;
  if (tls_->closed_by_peer()) {
    const Bytes rest = tls_->take_unread_input();
    tls_.reset();
    tls_state_ = Tls::off;
    session_id_.clear();
    plain_.insert(plain_.end(), rest.begin(), rest.end());
    return take_plain(out);
  }
  const Bytes text = tls_->take_plaintext();
  plain_.insert(plain_.end(), text.begin(), text.end());
  return take_plain(out);
}

StreamAction LockdownService::take_plain(Bytes& out) {
  while (plain_.size() >= 4) {
    const auto length = mux::lockdown_length(plain_);
    if (!length) return fail("lockdown: " + length.status().message());
    if (plain_.size() < 4 + std::size_t{*length}) break;
    auto request = Plist::parse(std::span(plain_).subspan(4, *length));
    plain_.erase(plain_.begin(), plain_.begin() + 4 + *length);
    if (!request || !request->is_dict()) return fail("lockdown: a frame that is not a plist dict");
    if (const auto action = answer(std::move(*request), out); action != StreamAction::keep)
      return action;
    if (starting_tls_) {
      // Whatever follows the StartSession request belongs to the TLS handshake.
      starting_tls_ = false;
      const Bytes rest = std::exchange(plain_, {});
      return rest.empty() ? StreamAction::keep : feed_tls(rest, out);
    }
  }
  return StreamAction::keep;
}

void LockdownService::send(const Plist& answer, Bytes& out) {
  const std::string xml = answer.to_xml();
  Bytes body(xml.begin(), xml.end());
  if (cfg_.hostile == Hostile::bplist_garbage) {
    // A binary plist's magic, then bytes no plist parser can make sense of.
    static const std::string magic = "bplist00";
    body.assign(magic.begin(), magic.end());
    for (int i = 0; i < 56; ++i) body.push_back(static_cast<std::uint8_t>(0xFF - 7 * i));
  }
  Bytes frame = mux::encode_lockdown(body);
  if (cfg_.hostile == Hostile::lockdown_length_4gib)
    for (int i = 0; i < 4; ++i) frame[static_cast<std::size_t>(i)] = 0xFF;
  if (tls_ && tls_state_ != Tls::off) {
    tls_->write(frame);
    const Bytes records = tls_->take_output();
    out.insert(out.end(), records.begin(), records.end());
  } else {
    out.insert(out.end(), frame.begin(), frame.end());
  }
}

StreamAction LockdownService::answer(Plist request, Bytes& out) {
  const auto name = request.string_at("Request");
  const auto key = request.string_at("Key");
  const auto domain = request.string_at("Domain");
  rec_.requests.push_back({name.value_or(""), key.value_or(""), domain.value_or(""), in_session()});
  if (cfg_.hostile == Hostile::reset_mid_session && query_type_answered_)
    return StreamAction::disconnect;

  Plist reply = Plist::dict();
  if (!name) {
    rec_.errors.push_back("lockdown: a request without a Request string");
    reply.set("Error", Plist::string("MissingRequest"));
  } else if (*name == "QueryType") {
    reply.set("Request", Plist::string(*name));
    reply.set("Type", Plist::string("com.apple.mobile.lockdown"));
    query_type_answered_ = true;
  } else if (*name == "GetValue") {
    reply = get_value(key.value_or(""), domain.value_or(""), key.has_value(), domain.has_value());
  } else if (*name == "StartSession") {
    reply = start_session(request);
  } else if (*name == "StopSession") {
    reply.set("Request", Plist::string(*name));
    const auto id = request.string_at("SessionID");
    if (!id) {
      reply.set("Error", Plist::string("MissingSessionID"));
    } else if (session_id_.empty() || !in_session()) {
      reply.set("Error", Plist::string("SessionInactive"));
    } else if (*id != session_id_) {
      reply.set("Error", Plist::string("InvalidSessionID"));
    } else {
      send(reply, out);  // still inside TLS
      ++rec_.sessions_stopped;
      session_id_.clear();
      tls_state_ = Tls::ending;
      return StreamAction::keep;
    }
  } else if (*name == "Goodbye") {
    reply.set("Request", Plist::string(*name));
    reply.set("Result", Plist::string("Success"));
  } else {
    rec_.refused_requests.push_back(*name);
    reply.set("Request", Plist::string(*name));
    reply.set("Error", Plist::string(refusal_for(*name)));
  }
  send(reply, out);
  if (starting_tls_) {
    tls_ = std::move(pending_tls_);
    tls_state_ = Tls::on;
  }
  return StreamAction::keep;
}

Plist LockdownService::get_value(const std::string& key, const std::string& domain, bool has_key,
                                 bool has_domain) const {
  Plist reply = Plist::dict();
  reply.set("Request", Plist::string("GetValue"));
  if (has_domain) reply.set("Domain", Plist::string(domain));
  if (has_key) reply.set("Key", Plist::string(key));
  const bool session = in_session();
  Plist value;
  std::string error;
  if (has_domain) {
    const auto it = cfg_.domains.find(domain);
    if (it == cfg_.domains.end())
      error = "MissingValue";
    else if (!session)
      error = "GetProhibited";
    else if (!has_key)
      value = it->second;
    else if (plist_t item = it->second.find(key))
      value = copy_of(item);
    else
      error = "MissingValue";
  } else if (!has_key) {
    // The whole dictionary readable now (what `ideviceinfo` without -k asks).
    value = cfg_.unpaired_values;
    if (session)
      for (const auto& k : cfg_.session_values.keys())
        value.set(k, copy_of(cfg_.session_values.find(k)));
  } else if (plist_t item = cfg_.unpaired_values.find(key)) {
    value = copy_of(item);
  } else if (plist_t secret = cfg_.session_values.find(key)) {
    if (session)
      value = copy_of(secret);
    else
      error = "GetProhibited";  // UNCONFIRMED: which Error an unpaired phone gives here
  } else {
    error = "MissingValue";
  }
  if (value)
    reply.set("Value", std::move(value));
  else
    reply.set("Error", Plist::string(error));
  return reply;
}

Plist LockdownService::start_session(const Plist& request) {
  Plist reply = Plist::dict();
  reply.set("Request", Plist::string("StartSession"));
  const auto host_id = request.string_at("HostID");
  if (tls_) {
    reply.set("Error", Plist::string("SessionActive"));
  } else if (!host_id) {
    reply.set("Error", Plist::string("MissingHostID"));
  } else if (!cfg_.pairing || *host_id != cfg_.pairing->host_id) {
    rec_.errors.push_back("StartSession: HostID " + *host_id + " is not a paired host's");
    reply.set("Error", Plist::string("InvalidHostID"));
  } else if (auto tls = TlsServer::create(*cfg_.pairing, cfg_.device_key_pem); !tls) {
    rec_.errors.push_back("StartSession: " + tls.error());
    reply.set("Error", Plist::string("InvalidPairRecord"));
  } else {
    pending_tls_ = std::move(*tls);
    starting_tls_ = true;
    session_id_ = random_uuid();
    ++rec_.sessions_started;
    reply.set("SessionID", Plist::string(session_id_));
    reply.set("EnableSessionSSL", Plist::boolean(true));
  }
  return reply;
}

}  // namespace dfx::testing::apple
