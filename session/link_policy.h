// session/link_policy.h — what the session makes of a share link besides
// format/'s strict decoder (sim::decode_fragment): the page's own parameter
// `speed` (the playback speed, a view setting the simulation never sees), `tour`
// (the guided tour's chapter), and the
// policy for a link that cannot be read whole (truncated in a chat, edited by
// hand): keep what can be read, say what was left out.
//
// It only splits and rebuilds fragment text; every part it keeps is read by
// sim::decode_fragment again, so nothing here loosens the link's checks.
#pragma once

#include <string>
#include <vector>

namespace session {

// The speed a fragment names (speed=<multiplier>, 0.001 to 100), as log10.
// Returns false when the fragment has no speed; *error is set when it has one
// that cannot be read.
bool link_speed_log10(const std::string& fragment, float* speed_log10, std::string* error);
// The guided tour's chapter a fragment names (tour=<1-based chapter>), as a
// 0-based index; false when it names none (*error set when it cannot be read).
bool link_tour_chapter(const std::string& fragment, int* chapter, std::string* error);
// "speed=0.05": the speed parameter for a speed given as log10 (4 digits).
std::string speed_param(float speed_log10);

// The readable core of a fragment that failed to decode: its scenario (s or
// sc), and with keep_seed its seed, as a fragment of their own; empty when
// it names no scenario. *left_out names the parameters dropped, in words
// ("the actions (in)").
std::string link_core(const std::string& fragment, bool keep_seed,
                      std::vector<std::string>* left_out);

}  // namespace session
