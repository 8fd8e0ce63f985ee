// A recorded reading plugged back in as a virtual handset: `dfx-lab run --handsets FILE.jsonl`
// takes a USB transcript (from a case's transcripts/ folder, usb/transcript.hpp) where it takes a
// handset file. The handset has the recorded device's descriptors and strings, and answers the
// requests it is sent from the transcript, in order: record a phone once, test a plugin against
// it forever. A request the transcript does not hold next is stalled and reported on stderr, so a
// plugin that changed what it asks fails visibly instead of reading a made-up answer.
#pragma once

#include <dfx/testing/behavior_registry.hpp>
#include <dfx/testing/handset.hpp>

#include <filesystem>

#include "base/result.hpp"

namespace dfx::lab {

/// The behaviour module that plays a transcript: "params": {"file": "<transcript.jsonl>"}.
testing::BehaviorModule transcript_module();

/// A handset made from the transcript `file`: descriptors from its header (recorded with the
/// reading), strings from the header's device facts and the string descriptors read, and the
/// "transcript" module answering from its exchanges.
Result<testing::HandsetSpec> transcript_handset(const std::filesystem::path& file);

}  // namespace dfx::lab
