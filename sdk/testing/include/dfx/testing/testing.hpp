// Umbrella header of the dfx virtual USB handset testing kit.
//
//   Testbed            testbed.hpp             umockdev testbed, plugging devices
//   UsbDeviceSpec      usb_spec.hpp            what a device's descriptors say
//   DescriptorSet      usb_descriptors.hpp     the binary descriptors
//   UsbBehavior        usb_behavior.hpp        what the device answers (+ DeviceSide)
//   Fault              usb_faults.hpp          stalls, delays, disconnects...
//   VirtualUsbDevice   virtual_usb_device.hpp  a plugged device
//   VirtualTty         virtual_tty.hpp         /dev/ttyACM<n> modems
//   BehaviorRegistry   behavior_registry.hpp   behaviour modules by name
//   HandsetSpec        handset.hpp             handsets as JSON data
//   JsonReader         json_reader.hpp         strict handset and params reading
//   scan_in_lab...     harness.hpp             dfx against virtual handsets, registers against
//   queries
//   ProcessGroup       process_group.hpp       real programs a test starts, all killed at its end
#pragma once

#include "dfx/testing/behavior_registry.hpp"
#include "dfx/testing/handset.hpp"
#include "dfx/testing/harness.hpp"
#include "dfx/testing/json_reader.hpp"
#include "dfx/testing/process_group.hpp"
#include "dfx/testing/testbed.hpp"
#include "dfx/testing/usb_behavior.hpp"
#include "dfx/testing/usb_descriptors.hpp"
#include "dfx/testing/usb_faults.hpp"
#include "dfx/testing/usb_spec.hpp"
#include "dfx/testing/virtual_tty.hpp"
#include "dfx/testing/virtual_usb_device.hpp"
