// Virtual CDC-ACM ttys: dialogue, raw handlers, isatty modes, sysfs, hang-up.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <fstream>

#include <dfx/testing/libusb_test.hpp>

#include "support/build_paths.hpp"

namespace dfx::testing::test {
namespace {

using std::chrono::milliseconds;

UsbDeviceSpec modem_spec() {
  UsbDeviceSpec s;
  s.vendor_id = 0x1209;
  s.product_id = 0x00AC;
  s.device_class = 0x02;
  s.manufacturer = "dfx";
  s.product = "Virtual Modem";
  ConfigurationSpec c;
  AltSettingSpec comm;
  comm.interface_class = 0x02;
  comm.interface_subclass = 0x02;
  comm.interface_protocol = 0x01;
  comm.endpoints = {EndpointSpec{0x81, TransferType::interrupt, 0, 16, 9, {}}};
  AltSettingSpec data;
  data.interface_class = 0x0A;
  data.endpoints = {EndpointSpec{0x82, TransferType::bulk, 0, 512, 0, {}},
                    EndpointSpec{0x02, TransferType::bulk, 0, 512, 0, {}}};
  c.interfaces = {InterfaceSpec{0, {comm}}, InterfaceSpec{1, {data}}};
  s.configurations = {c};
  return s;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

int open_raw(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY);
  if (fd < 0) return fd;
  termios t{};
  if (tcgetattr(fd, &t) != 0) return -2;
  cfmakeraw(&t);
  cfsetspeed(&t, B115200);
  if (tcsetattr(fd, TCSANOW, &t) != 0) return -3;
  return fd;
}

// Reads until `needle` shows up; returns everything read.
std::string read_until(int fd, const std::string& needle, milliseconds limit = milliseconds(3000)) {
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (got.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[256];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

class Tty : public KitTest {
 protected:
  VirtualUsbDevice* plug_modem(TtySpec tty) {
    PlugOptions options;
    options.ttys.push_back(std::move(tty));
    return plug(modem_spec(), nullptr, std::move(options));
  }
};

TEST_F(Tty, DialogueAnswersAtCommands) {
  TtySpec tty;
  tty.dialogue = LineDialogue{{{"AT+CGSN", {"350000110246812", "OK"}}}, true, true, {"ERROR"}};
  auto* device = plug_modem(tty);
  ASSERT_TRUE(device);
  ASSERT_EQ(device->ttys().size(), 1u);
  EXPECT_EQ(device->ttys()[0]->devnode(), "/dev/ttyACM0");
  Fd fd(open_raw("/dev/ttyACM0"));
  ASSERT_GE(fd.get(), 0);
  ASSERT_EQ(::write(fd.get(), "AT+CGSN\r", 8), 8);
  const std::string answer = read_until(fd.get(), "OK\r\n");
  EXPECT_EQ(answer, "AT+CGSN\r\r\n350000110246812\r\n\r\nOK\r\n");
  ASSERT_EQ(::write(fd.get(), "AT+NOPE\r", 8), 8);
  EXPECT_NE(read_until(fd.get(), "ERROR\r\n").find("ERROR"), std::string::npos);
  EXPECT_EQ(device->ttys()[0]->received(), "AT+CGSN\rAT+NOPE\r");
}

TEST_F(Tty, RawHandlerAndUnsolicitedData) {
  TtySpec tty;
  tty.name = "ttyACM5";
  tty.handler = [](TtyPort& port, std::span<const std::uint8_t> bytes) {
    std::string upper(bytes.begin(), bytes.end());
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    port.write(upper);
  };
  auto* device = plug_modem(tty);
  ASSERT_TRUE(device);
  ASSERT_NE(device->tty("ttyACM5"), nullptr);
  Fd fd(open_raw("/dev/ttyACM5"));
  ASSERT_GE(fd.get(), 0);
  ASSERT_EQ(::write(fd.get(), "hello", 5), 5);
  EXPECT_EQ(read_until(fd.get(), "HELLO"), "HELLO");
  device->tty("ttyACM5")->write("\r\nRING\r\n");
  EXPECT_EQ(read_until(fd.get(), "RING\r\n"), "\r\nRING\r\n");
}

TEST_F(Tty, NodeModes) {
  TtySpec char_dev;
  TtySpec tty_like;
  tty_like.mode = TtyNodeMode::isatty;
  PlugOptions options;
  options.ttys = {char_dev, tty_like};
  auto spec = modem_spec();
  auto* device = plug(spec, nullptr, options);
  ASSERT_TRUE(device);
  ASSERT_EQ(device->ttys().size(), 2u);
  EXPECT_EQ(device->ttys()[1]->name(), "ttyACM1");

  struct stat st {};
  ASSERT_EQ(::stat("/dev/ttyACM0", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(major(st.st_rdev), 166u);
  EXPECT_EQ(minor(st.st_rdev), 0u);
  Fd a(open_raw("/dev/ttyACM0"));
  ASSERT_GE(a.get(), 0);
  EXPECT_EQ(::isatty(a.get()), 0);  // umockdev: only major 4 counts as a tty

  Fd b(open_raw("/dev/ttyACM1"));
  ASSERT_GE(b.get(), 0);
  EXPECT_EQ(::isatty(b.get()), 1);
  ASSERT_EQ(::stat("/dev/ttyACM1", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST_F(Tty, SysfsPutsTheTtyBelowItsInterface) {
  TtySpec tty;
  auto* device = plug_modem(tty);
  ASSERT_TRUE(device);
  const std::string expected =
      device->sysfs_path() + "/" + device->sysfs_name() + ":1.0/tty/ttyACM0";
  EXPECT_EQ(device->ttys()[0]->sysfs_path(), expected);
  char resolved[PATH_MAX];
  // What ModemManager-like code does: /sys/class/tty/<name> -> device -> parent interface.
  ASSERT_NE(::realpath("/sys/class/tty/ttyACM0", resolved), nullptr);
  EXPECT_NE(std::string(resolved).find(device->sysfs_name() + ":1.0/tty/ttyACM0"),
            std::string::npos)
      << resolved;
  std::ifstream dev("/sys/class/tty/ttyACM0/dev");
  std::string majmin;
  std::getline(dev, majmin);
  EXPECT_EQ(majmin, "166:0");
}

TEST_F(Tty, UnplugHangsUpAndNamesAreNotReused) {
  TtySpec tty;
  tty.dialogue = LineDialogue{};
  auto* device = plug_modem(tty);
  ASSERT_TRUE(device);
  Fd fd(open_raw("/dev/ttyACM0"));
  ASSERT_GE(fd.get(), 0);
  ASSERT_TRUE(device->unplug());
  pollfd p{fd.get(), POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 2000), 1);
  char c;
  EXPECT_LE(::read(fd.get(), &c, 1), 0);  // EIO or end of file, like a vanished modem
  struct stat st {};
  EXPECT_NE(::stat("/sys/class/tty/ttyACM0", &st), 0);

  auto* again = plug_modem(TtySpec{});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->ttys().at(0)->name(), "ttyACM1");
  TtySpec taken;
  taken.name = "ttyACM0";
  auto refused = testbed->plug(modem_spec(), nullptr, PlugOptions{{}, {taken}});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("cannot reuse a tty name"), std::string::npos) << refused.error();
}

}  // namespace
// A modem handset with a tty dialogue (handsets/usb-modem-at-tty.json) answers on its tty as the
// file says.
TEST(SampleModem, AnswersImeiOnItsTty) {
  auto tb = Testbed::create();
  ASSERT_TRUE(tb) << tb.error();
  auto h = load_handset(std::filesystem::path(DFX_TESTING_TEST_HANDSETS) / "usb-modem-at-tty.json");
  ASSERT_TRUE(h) << h.error();
  auto d = plug_handset(**tb, *h);
  ASSERT_TRUE(d) << d.error();
  ASSERT_EQ((*d)->ttys().size(), 1u);
  const int fd = ::open((*d)->ttys()[0]->devnode().c_str(), O_RDWR | O_NOCTTY);
  ASSERT_GE(fd, 0);
  termios t{};
  ASSERT_EQ(tcgetattr(fd, &t), 0);
  cfmakeraw(&t);
  ASSERT_EQ(tcsetattr(fd, TCSANOW, &t), 0);
  ASSERT_EQ(::write(fd, "AT+CGSN\r", 8), 8);
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (got.find("OK\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[128];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  EXPECT_EQ(got, "AT+CGSN\r\r\n350000110246812\r\n\r\nOK\r\n");
}

}  // namespace dfx::testing::test
