// Host overhead per probed device: spawning dfx-probe, the framed protocol, JSON both ways, and
// loading a trivial plugin (tests/fixture_plugins/device/good.cpp) that does no I/O. The figure is
// what isolation costs on top of whatever a real plugin spends talking to its device.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "probe/supervisor.hpp"
#include "support/build_paths.hpp"

namespace {

using namespace dfx::probe;

std::vector<ProbeJob> jobs(int n) {
  std::vector<ProbeJob> out;
  for (int i = 0; i < n; ++i) {
    dfx::usb::DeviceFacts d;
    d.bus = 1;
    d.address = static_cast<uint8_t>(i + 2);
    d.port_path = {static_cast<uint8_t>(i % 7 + 1), static_cast<uint8_t>(i / 7 + 1)};
    d.vendor_id = 0x18D1;
    d.product_id = 0x4EE2;
    d.serial_number = "BENCH" + std::to_string(i);
    d.interfaces = {{0,
                     0,
                     0x06,
                     0x01,
                     0x01,
                     std::string("MTP"),
                     {{0x81, 2, 512, 0}, {0x01, 2, 512, 0}, {0x82, 3, 28, 6}}},
                    {1,
                     0,
                     0xFF,
                     0x42,
                     0x01,
                     std::string("ADB Interface"),
                     {{0x83, 2, 512, 0}, {0x02, 2, 512, 0}}}};
    out.push_back({Mode::Probe, "good", std::string(DFX_TEST_PLUGIN_DIR) + "/good.json", d, ""});
  }
  return out;
}

void run(benchmark::State& state, unsigned parallel) {
  const auto batch = jobs(static_cast<int>(state.range(0)));
  SupervisorOptions opt;
  opt.worker = DFX_PROBE_PATH;
  opt.parallel = parallel;
  for (auto _ : state) {
    const auto out = run_probes(batch, opt);
    for (const auto& o : out)
      if (!o.ok) state.SkipWithError(o.error.c_str());
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["ms_per_probe"] = benchmark::Counter(
      static_cast<double>(state.range(0)) / 1000.0,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// One probe at a time: the latency of one isolated read.
void BM_ProbeSequential(benchmark::State& s) {
  run(s, 1);
}
// 64 devices with the default concurrency: what a depot bench full of phones costs.
void BM_Probe64Concurrent(benchmark::State& s) {
  run(s, 16);
}

BENCHMARK(BM_ProbeSequential)->Arg(16)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Probe64Concurrent)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
