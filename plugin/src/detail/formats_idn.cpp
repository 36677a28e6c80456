#include "detail/formats.hpp"
#include "detail/utf8.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

// Host names. The ASCII rules are RFC 1123; internationalized labels follow IDNA2008
// (RFC 5890-5893): Punycode (RFC 3492) with a round trip, the contextual rules of
// RFC 5892 appendix A, and the Bidi rule of RFC 5893. Full IDNA2008 needs the derived
// property of every code point; we carry three compact tables generated from the
// Unicode 14 character database (combining marks, Bidi classes R/AL/AN/EN, viramas) and
// approximate DISALLOWED by the blocks of punctuation, symbols, compatibility forms and
// private use. Uppercase letters are accepted (as after UTS 46 mapping).

namespace jupyter_events::detail {
namespace {

struct code_point_range {
    char32_t first, last;
};

// General category M (Mn, Mc, Me).
constexpr code_point_range mark_ranges[] = {
    {0x300, 0x36F},     {0x483, 0x489},     {0x591, 0x5BD},     {0x5BF, 0x5BF},
    {0x5C1, 0x5C2},     {0x5C4, 0x5C5},     {0x5C7, 0x5C7},     {0x610, 0x61A},
    {0x64B, 0x65F},     {0x670, 0x670},     {0x6D6, 0x6DC},     {0x6DF, 0x6E4},
    {0x6E7, 0x6E8},     {0x6EA, 0x6ED},     {0x711, 0x711},     {0x730, 0x74A},
    {0x7A6, 0x7B0},     {0x7EB, 0x7F3},     {0x7FD, 0x7FD},     {0x816, 0x819},
    {0x81B, 0x823},     {0x825, 0x827},     {0x829, 0x82D},     {0x859, 0x85B},
    {0x898, 0x89F},     {0x8CA, 0x8E1},     {0x8E3, 0x903},     {0x93A, 0x93C},
    {0x93E, 0x94F},     {0x951, 0x957},     {0x962, 0x963},     {0x981, 0x983},
    {0x9BC, 0x9BC},     {0x9BE, 0x9C4},     {0x9C7, 0x9C8},     {0x9CB, 0x9CD},
    {0x9D7, 0x9D7},     {0x9E2, 0x9E3},     {0x9FE, 0x9FE},     {0xA01, 0xA03},
    {0xA3C, 0xA3C},     {0xA3E, 0xA42},     {0xA47, 0xA48},     {0xA4B, 0xA4D},
    {0xA51, 0xA51},     {0xA70, 0xA71},     {0xA75, 0xA75},     {0xA81, 0xA83},
    {0xABC, 0xABC},     {0xABE, 0xAC5},     {0xAC7, 0xAC9},     {0xACB, 0xACD},
    {0xAE2, 0xAE3},     {0xAFA, 0xAFF},     {0xB01, 0xB03},     {0xB3C, 0xB3C},
    {0xB3E, 0xB44},     {0xB47, 0xB48},     {0xB4B, 0xB4D},     {0xB55, 0xB57},
    {0xB62, 0xB63},     {0xB82, 0xB82},     {0xBBE, 0xBC2},     {0xBC6, 0xBC8},
    {0xBCA, 0xBCD},     {0xBD7, 0xBD7},     {0xC00, 0xC04},     {0xC3C, 0xC3C},
    {0xC3E, 0xC44},     {0xC46, 0xC48},     {0xC4A, 0xC4D},     {0xC55, 0xC56},
    {0xC62, 0xC63},     {0xC81, 0xC83},     {0xCBC, 0xCBC},     {0xCBE, 0xCC4},
    {0xCC6, 0xCC8},     {0xCCA, 0xCCD},     {0xCD5, 0xCD6},     {0xCE2, 0xCE3},
    {0xD00, 0xD03},     {0xD3B, 0xD3C},     {0xD3E, 0xD44},     {0xD46, 0xD48},
    {0xD4A, 0xD4D},     {0xD57, 0xD57},     {0xD62, 0xD63},     {0xD81, 0xD83},
    {0xDCA, 0xDCA},     {0xDCF, 0xDD4},     {0xDD6, 0xDD6},     {0xDD8, 0xDDF},
    {0xDF2, 0xDF3},     {0xE31, 0xE31},     {0xE34, 0xE3A},     {0xE47, 0xE4E},
    {0xEB1, 0xEB1},     {0xEB4, 0xEBC},     {0xEC8, 0xECD},     {0xF18, 0xF19},
    {0xF35, 0xF35},     {0xF37, 0xF37},     {0xF39, 0xF39},     {0xF3E, 0xF3F},
    {0xF71, 0xF84},     {0xF86, 0xF87},     {0xF8D, 0xF97},     {0xF99, 0xFBC},
    {0xFC6, 0xFC6},     {0x102B, 0x103E},   {0x1056, 0x1059},   {0x105E, 0x1060},
    {0x1062, 0x1064},   {0x1067, 0x106D},   {0x1071, 0x1074},   {0x1082, 0x108D},
    {0x108F, 0x108F},   {0x109A, 0x109D},   {0x135D, 0x135F},   {0x1712, 0x1715},
    {0x1732, 0x1734},   {0x1752, 0x1753},   {0x1772, 0x1773},   {0x17B4, 0x17D3},
    {0x17DD, 0x17DD},   {0x180B, 0x180D},   {0x180F, 0x180F},   {0x1885, 0x1886},
    {0x18A9, 0x18A9},   {0x1920, 0x192B},   {0x1930, 0x193B},   {0x1A17, 0x1A1B},
    {0x1A55, 0x1A5E},   {0x1A60, 0x1A7C},   {0x1A7F, 0x1A7F},   {0x1AB0, 0x1ACE},
    {0x1B00, 0x1B04},   {0x1B34, 0x1B44},   {0x1B6B, 0x1B73},   {0x1B80, 0x1B82},
    {0x1BA1, 0x1BAD},   {0x1BE6, 0x1BF3},   {0x1C24, 0x1C37},   {0x1CD0, 0x1CD2},
    {0x1CD4, 0x1CE8},   {0x1CED, 0x1CED},   {0x1CF4, 0x1CF4},   {0x1CF7, 0x1CF9},
    {0x1DC0, 0x1DFF},   {0x20D0, 0x20F0},   {0x2CEF, 0x2CF1},   {0x2D7F, 0x2D7F},
    {0x2DE0, 0x2DFF},   {0x302A, 0x302F},   {0x3099, 0x309A},   {0xA66F, 0xA672},
    {0xA674, 0xA67D},   {0xA69E, 0xA69F},   {0xA6F0, 0xA6F1},   {0xA802, 0xA802},
    {0xA806, 0xA806},   {0xA80B, 0xA80B},   {0xA823, 0xA827},   {0xA82C, 0xA82C},
    {0xA880, 0xA881},   {0xA8B4, 0xA8C5},   {0xA8E0, 0xA8F1},   {0xA8FF, 0xA8FF},
    {0xA926, 0xA92D},   {0xA947, 0xA953},   {0xA980, 0xA983},   {0xA9B3, 0xA9C0},
    {0xA9E5, 0xA9E5},   {0xAA29, 0xAA36},   {0xAA43, 0xAA43},   {0xAA4C, 0xAA4D},
    {0xAA7B, 0xAA7D},   {0xAAB0, 0xAAB0},   {0xAAB2, 0xAAB4},   {0xAAB7, 0xAAB8},
    {0xAABE, 0xAABF},   {0xAAC1, 0xAAC1},   {0xAAEB, 0xAAEF},   {0xAAF5, 0xAAF6},
    {0xABE3, 0xABEA},   {0xABEC, 0xABED},   {0xFB1E, 0xFB1E},   {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F},   {0x101FD, 0x101FD}, {0x102E0, 0x102E0}, {0x10376, 0x1037A},
    {0x10A01, 0x10A03}, {0x10A05, 0x10A06}, {0x10A0C, 0x10A0F}, {0x10A38, 0x10A3A},
    {0x10A3F, 0x10A3F}, {0x10AE5, 0x10AE6}, {0x10D24, 0x10D27}, {0x10EAB, 0x10EAC},
    {0x10F46, 0x10F50}, {0x10F82, 0x10F85}, {0x11000, 0x11002}, {0x11038, 0x11046},
    {0x11070, 0x11070}, {0x11073, 0x11074}, {0x1107F, 0x11082}, {0x110B0, 0x110BA},
    {0x110C2, 0x110C2}, {0x11100, 0x11102}, {0x11127, 0x11134}, {0x11145, 0x11146},
    {0x11173, 0x11173}, {0x11180, 0x11182}, {0x111B3, 0x111C0}, {0x111C9, 0x111CC},
    {0x111CE, 0x111CF}, {0x1122C, 0x11237}, {0x1123E, 0x1123E}, {0x112DF, 0x112EA},
    {0x11300, 0x11303}, {0x1133B, 0x1133C}, {0x1133E, 0x11344}, {0x11347, 0x11348},
    {0x1134B, 0x1134D}, {0x11357, 0x11357}, {0x11362, 0x11363}, {0x11366, 0x1136C},
    {0x11370, 0x11374}, {0x11435, 0x11446}, {0x1145E, 0x1145E}, {0x114B0, 0x114C3},
    {0x115AF, 0x115B5}, {0x115B8, 0x115C0}, {0x115DC, 0x115DD}, {0x11630, 0x11640},
    {0x116AB, 0x116B7}, {0x1171D, 0x1172B}, {0x1182C, 0x1183A}, {0x11930, 0x11935},
    {0x11937, 0x11938}, {0x1193B, 0x1193E}, {0x11940, 0x11940}, {0x11942, 0x11943},
    {0x119D1, 0x119D7}, {0x119DA, 0x119E0}, {0x119E4, 0x119E4}, {0x11A01, 0x11A0A},
    {0x11A33, 0x11A39}, {0x11A3B, 0x11A3E}, {0x11A47, 0x11A47}, {0x11A51, 0x11A5B},
    {0x11A8A, 0x11A99}, {0x11C2F, 0x11C36}, {0x11C38, 0x11C3F}, {0x11C92, 0x11CA7},
    {0x11CA9, 0x11CB6}, {0x11D31, 0x11D36}, {0x11D3A, 0x11D3A}, {0x11D3C, 0x11D3D},
    {0x11D3F, 0x11D45}, {0x11D47, 0x11D47}, {0x11D8A, 0x11D8E}, {0x11D90, 0x11D91},
    {0x11D93, 0x11D97}, {0x11EF3, 0x11EF6}, {0x16AF0, 0x16AF4}, {0x16B30, 0x16B36},
    {0x16F4F, 0x16F4F}, {0x16F51, 0x16F87}, {0x16F8F, 0x16F92}, {0x16FE4, 0x16FE4},
    {0x16FF0, 0x16FF1}, {0x1BC9D, 0x1BC9E}, {0x1CF00, 0x1CF2D}, {0x1CF30, 0x1CF46},
    {0x1D165, 0x1D169}, {0x1D16D, 0x1D172}, {0x1D17B, 0x1D182}, {0x1D185, 0x1D18B},
    {0x1D1AA, 0x1D1AD}, {0x1D242, 0x1D244}, {0x1DA00, 0x1DA36}, {0x1DA3B, 0x1DA6C},
    {0x1DA75, 0x1DA75}, {0x1DA84, 0x1DA84}, {0x1DA9B, 0x1DA9F}, {0x1DAA1, 0x1DAAF},
    {0x1E000, 0x1E006}, {0x1E008, 0x1E018}, {0x1E01B, 0x1E021}, {0x1E023, 0x1E024},
    {0x1E026, 0x1E02A}, {0x1E130, 0x1E136}, {0x1E2AE, 0x1E2AE}, {0x1E2EC, 0x1E2EF},
    {0x1E8D0, 0x1E8D6}, {0x1E944, 0x1E94A}, {0xE0100, 0xE01EF},
};

enum class bidi : std::uint8_t { l, r, al, an, en, es, on, nsm };

struct bidi_range {
    char32_t first, last;
    bidi cls;
};

// Bidi_Class R, AL, AN and EN; everything else is treated as L (see bidi_class).
constexpr bidi_range bidi_ranges[] = {
    {0x30, 0x39, bidi::en},       {0xB2, 0xB3, bidi::en},       {0xB9, 0xB9, bidi::en},
    {0x5BE, 0x5BE, bidi::r},      {0x5C0, 0x5C0, bidi::r},      {0x5C3, 0x5C3, bidi::r},
    {0x5C6, 0x5C6, bidi::r},      {0x5D0, 0x5EA, bidi::r},      {0x5EF, 0x5F4, bidi::r},
    {0x600, 0x605, bidi::an},     {0x608, 0x608, bidi::al},     {0x60B, 0x60B, bidi::al},
    {0x60D, 0x60D, bidi::al},     {0x61B, 0x64A, bidi::al},     {0x660, 0x669, bidi::an},
    {0x66B, 0x66C, bidi::an},     {0x66D, 0x66F, bidi::al},     {0x671, 0x6D5, bidi::al},
    {0x6DD, 0x6DD, bidi::an},     {0x6E5, 0x6E6, bidi::al},     {0x6EE, 0x6EF, bidi::al},
    {0x6F0, 0x6F9, bidi::en},     {0x6FA, 0x70D, bidi::al},     {0x70F, 0x710, bidi::al},
    {0x712, 0x72F, bidi::al},     {0x74D, 0x7A5, bidi::al},     {0x7B1, 0x7B1, bidi::al},
    {0x7C0, 0x7EA, bidi::r},      {0x7F4, 0x7F5, bidi::r},      {0x7FA, 0x7FA, bidi::r},
    {0x7FE, 0x815, bidi::r},      {0x81A, 0x81A, bidi::r},      {0x824, 0x824, bidi::r},
    {0x828, 0x828, bidi::r},      {0x830, 0x83E, bidi::r},      {0x840, 0x858, bidi::r},
    {0x85E, 0x85E, bidi::r},      {0x860, 0x86A, bidi::al},     {0x870, 0x88E, bidi::al},
    {0x890, 0x891, bidi::an},     {0x8A0, 0x8C9, bidi::al},     {0x8E2, 0x8E2, bidi::an},
    {0x200F, 0x200F, bidi::r},    {0x2070, 0x2070, bidi::en},   {0x2074, 0x2079, bidi::en},
    {0x2080, 0x2089, bidi::en},   {0x2488, 0x249B, bidi::en},   {0xFB1D, 0xFB1D, bidi::r},
    {0xFB1F, 0xFB28, bidi::r},    {0xFB2A, 0xFB36, bidi::r},    {0xFB38, 0xFB3C, bidi::r},
    {0xFB3E, 0xFB3E, bidi::r},    {0xFB40, 0xFB41, bidi::r},    {0xFB43, 0xFB44, bidi::r},
    {0xFB46, 0xFB4F, bidi::r},    {0xFB50, 0xFBC2, bidi::al},   {0xFBD3, 0xFD3D, bidi::al},
    {0xFD50, 0xFD8F, bidi::al},   {0xFD92, 0xFDC7, bidi::al},   {0xFDF0, 0xFDFC, bidi::al},
    {0xFE70, 0xFE74, bidi::al},   {0xFE76, 0xFEFC, bidi::al},   {0xFF10, 0xFF19, bidi::en},
    {0x102E1, 0x102FB, bidi::en}, {0x10800, 0x10805, bidi::r},  {0x10808, 0x10808, bidi::r},
    {0x1080A, 0x10835, bidi::r},  {0x10837, 0x10838, bidi::r},  {0x1083C, 0x1083C, bidi::r},
    {0x1083F, 0x10855, bidi::r},  {0x10857, 0x1089E, bidi::r},  {0x108A7, 0x108AF, bidi::r},
    {0x108E0, 0x108F2, bidi::r},  {0x108F4, 0x108F5, bidi::r},  {0x108FB, 0x1091B, bidi::r},
    {0x10920, 0x10939, bidi::r},  {0x1093F, 0x1093F, bidi::r},  {0x10980, 0x109B7, bidi::r},
    {0x109BC, 0x109CF, bidi::r},  {0x109D2, 0x10A00, bidi::r},  {0x10A10, 0x10A13, bidi::r},
    {0x10A15, 0x10A17, bidi::r},  {0x10A19, 0x10A35, bidi::r},  {0x10A40, 0x10A48, bidi::r},
    {0x10A50, 0x10A58, bidi::r},  {0x10A60, 0x10A9F, bidi::r},  {0x10AC0, 0x10AE4, bidi::r},
    {0x10AEB, 0x10AF6, bidi::r},  {0x10B00, 0x10B35, bidi::r},  {0x10B40, 0x10B55, bidi::r},
    {0x10B58, 0x10B72, bidi::r},  {0x10B78, 0x10B91, bidi::r},  {0x10B99, 0x10B9C, bidi::r},
    {0x10BA9, 0x10BAF, bidi::r},  {0x10C00, 0x10C48, bidi::r},  {0x10C80, 0x10CB2, bidi::r},
    {0x10CC0, 0x10CF2, bidi::r},  {0x10CFA, 0x10CFF, bidi::r},  {0x10D00, 0x10D23, bidi::al},
    {0x10D30, 0x10D39, bidi::an}, {0x10E60, 0x10E7E, bidi::an}, {0x10E80, 0x10EA9, bidi::r},
    {0x10EAD, 0x10EAD, bidi::r},  {0x10EB0, 0x10EB1, bidi::r},  {0x10F00, 0x10F27, bidi::r},
    {0x10F30, 0x10F45, bidi::al}, {0x10F51, 0x10F59, bidi::al}, {0x10F70, 0x10F81, bidi::r},
    {0x10F86, 0x10F89, bidi::r},  {0x10FB0, 0x10FCB, bidi::r},  {0x10FE0, 0x10FF6, bidi::r},
    {0x1D7CE, 0x1D7FF, bidi::en}, {0x1E800, 0x1E8C4, bidi::r},  {0x1E8C7, 0x1E8CF, bidi::r},
    {0x1E900, 0x1E943, bidi::r},  {0x1E94B, 0x1E94B, bidi::r},  {0x1E950, 0x1E959, bidi::r},
    {0x1E95E, 0x1E95F, bidi::r},  {0x1EC71, 0x1ECB4, bidi::al}, {0x1ED01, 0x1ED3D, bidi::al},
    {0x1EE00, 0x1EE03, bidi::al}, {0x1EE05, 0x1EE1F, bidi::al}, {0x1EE21, 0x1EE22, bidi::al},
    {0x1EE24, 0x1EE24, bidi::al}, {0x1EE27, 0x1EE27, bidi::al}, {0x1EE29, 0x1EE32, bidi::al},
    {0x1EE34, 0x1EE37, bidi::al}, {0x1EE39, 0x1EE39, bidi::al}, {0x1EE3B, 0x1EE3B, bidi::al},
    {0x1EE42, 0x1EE42, bidi::al}, {0x1EE47, 0x1EE47, bidi::al}, {0x1EE49, 0x1EE49, bidi::al},
    {0x1EE4B, 0x1EE4B, bidi::al}, {0x1EE4D, 0x1EE4F, bidi::al}, {0x1EE51, 0x1EE52, bidi::al},
    {0x1EE54, 0x1EE54, bidi::al}, {0x1EE57, 0x1EE57, bidi::al}, {0x1EE59, 0x1EE59, bidi::al},
    {0x1EE5B, 0x1EE5B, bidi::al}, {0x1EE5D, 0x1EE5D, bidi::al}, {0x1EE5F, 0x1EE5F, bidi::al},
    {0x1EE61, 0x1EE62, bidi::al}, {0x1EE64, 0x1EE64, bidi::al}, {0x1EE67, 0x1EE6A, bidi::al},
    {0x1EE6C, 0x1EE72, bidi::al}, {0x1EE74, 0x1EE77, bidi::al}, {0x1EE79, 0x1EE7C, bidi::al},
    {0x1EE7E, 0x1EE7E, bidi::al}, {0x1EE80, 0x1EE89, bidi::al}, {0x1EE8B, 0x1EE9B, bidi::al},
    {0x1EEA1, 0x1EEA3, bidi::al}, {0x1EEA5, 0x1EEA9, bidi::al}, {0x1EEAB, 0x1EEBB, bidi::al},
    {0x1F100, 0x1F10A, bidi::en}, {0x1FBF0, 0x1FBF9, bidi::en},
};

// Canonical_Combining_Class 9 (Virama), for the ZWJ/ZWNJ rules.
constexpr char32_t viramas[] = {
    0x94D,   0x9CD,   0xA4D,   0xACD,   0xB4D,   0xBCD,   0xC4D,   0xCCD,   0xD3B,
    0xD3C,   0xD4D,   0xDCA,   0xE3A,   0xEBA,   0xF84,   0x1039,  0x103A,  0x1714,
    0x1715,  0x1734,  0x17D2,  0x1A60,  0x1B44,  0x1BAA,  0x1BAB,  0x1BF2,  0x1BF3,
    0x2D7F,  0xA806,  0xA82C,  0xA8C4,  0xA953,  0xA9C0,  0xAAF6,  0xABED,  0x10A3F,
    0x11046, 0x11070, 0x1107F, 0x110B9, 0x11133, 0x11134, 0x111C0, 0x11235, 0x112EA,
    0x1134D, 0x11442, 0x114C2, 0x115BF, 0x1163F, 0x116B6, 0x1172B, 0x11839, 0x1193D,
    0x1193E, 0x119E0, 0x11A34, 0x11A47, 0x11A99, 0x11C3F, 0x11D44, 0x11D45, 0x11D97,
};

bool in_ranges(const code_point_range* first, const code_point_range* last, char32_t cp) noexcept {
    const auto it = std::upper_bound(
        first, last, cp, [](char32_t c, const code_point_range& r) { return c < r.first; });
    return it != first && cp <= std::prev(it)->last;
}

bool is_mark(char32_t cp) noexcept {
    return in_ranges(std::begin(mark_ranges), std::end(mark_ranges), cp);
}

bidi bidi_class(char32_t cp) noexcept {
    if (cp >= '0' && cp <= '9') {
        return bidi::en;
    }
    if (cp == '-') {
        return bidi::es;
    }
    // The neutral characters a valid label can hold (joiners and CONTEXTO punctuation).
    if (cp == 0x200C || cp == 0x200D || cp == 0xB7 || cp == 0x375 || cp == 0x30FB) {
        return bidi::on;
    }
    const auto it = std::upper_bound(std::begin(bidi_ranges), std::end(bidi_ranges), cp,
                                     [](char32_t c, const bidi_range& r) { return c < r.first; });
    if (it != std::begin(bidi_ranges) && cp <= std::prev(it)->last) {
        return std::prev(it)->cls;
    }
    return is_mark(cp) ? bidi::nsm : bidi::l;
}

bool is_virama(char32_t cp) noexcept {
    return std::binary_search(std::begin(viramas), std::end(viramas), cp);
}

bool is_greek(char32_t cp) noexcept {
    return (cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x1F00 && cp <= 0x1FFF);
}

bool is_hebrew(char32_t cp) noexcept {
    return (cp >= 0x590 && cp <= 0x5FF) || (cp >= 0xFB1D && cp <= 0xFB4F);
}

bool is_hiragana_katakana_han(char32_t cp) noexcept {
    return (cp >= 0x3040 && cp <= 0x30FA) || (cp >= 0x30FC && cp <= 0x30FF) ||
           (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3005 || cp == 0x3006 || cp == 0x3007;
}

// Letters that join on both sides or one side, for the ZWNJ rule of RFC 5892 A.1. The
// Joining_Type property is approximated by "an Arabic-script letter".
bool is_joining_letter(char32_t cp) noexcept { return bidi_class(cp) == bidi::al && !is_mark(cp); }

bool is_disallowed(char32_t cp) noexcept {
    if (cp < 0x80) {
        return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
                 cp == '-');
    }
    // RFC 5892 2.6 exceptions.
    switch (cp) {
        case 0xDF:
        case 0x3C2:
        case 0x6FD:
        case 0x6FE:
        case 0xF0B:
        case 0x3007: return false;
        case 0x640:
        case 0x7FA:
        case 0x302E:
        case 0x302F:
        case 0x303B: return true;
        default: break;
    }
    static constexpr code_point_range blocked[] = {
        {0x80, 0xB6},     {0xB8, 0xBF},     {0xD7, 0xD7},       {0xF7, 0xF7},
        {0x2000, 0x200B}, {0x200E, 0x2BFF}, {0x2E00, 0x2E7F},   {0x3000, 0x3004},
        {0x3008, 0x3029}, {0x3030, 0x303A}, {0x303D, 0x303F},   {0xD800, 0xF8FF},
        {0xFE00, 0xFE6F}, {0xFF00, 0xFFFF}, {0x1D400, 0x1D7FF}, {0xF0000, 0x10FFFF},
    };
    return in_ranges(std::begin(blocked), std::end(blocked), cp) ||
           (cp & 0xFFFE) == 0xFFFE;  // noncharacters of every plane
}

bool to_code_points(std::string_view s, std::u32string& out) {
    out.clear();
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp = 0;
        const std::size_t length = decode_utf8(s, i, cp);
        if (length == 0) {
            return false;
        }
        out.push_back(cp);
        i += length;
    }
    return true;
}

// RFC 3492 parameters.
constexpr std::uint32_t puny_base = 36, puny_tmin = 1, puny_tmax = 26, puny_skew = 38,
                        puny_damp = 700, puny_initial_bias = 72, puny_initial_n = 128;

std::uint32_t puny_adapt(std::uint32_t delta, std::uint32_t points, bool first) noexcept {
    delta = first ? delta / puny_damp : delta / 2;
    delta += delta / points;
    std::uint32_t k = 0;
    while (delta > ((puny_base - puny_tmin) * puny_tmax) / 2) {
        delta /= puny_base - puny_tmin;
        k += puny_base;
    }
    return k + (puny_base - puny_tmin + 1) * delta / (delta + puny_skew);
}

std::uint32_t puny_threshold(std::uint32_t k, std::uint32_t bias) noexcept {
    return k <= bias ? puny_tmin : k >= bias + puny_tmax ? puny_tmax : k - bias;
}

bool punycode_decode(std::string_view in, std::u32string& out) {
    out.clear();
    std::size_t pos = 0;
    if (const auto dash = in.rfind('-'); dash != std::string_view::npos) {
        for (std::size_t k = 0; k < dash; ++k) {
            if (static_cast<unsigned char>(in[k]) >= 0x80) {
                return false;
            }
            out.push_back(static_cast<unsigned char>(in[k]));
        }
        pos = dash + 1;
    }
    constexpr std::uint64_t max_value = 0x7FFFFFFF;
    std::uint64_t n = puny_initial_n, i = 0;
    std::uint32_t bias = puny_initial_bias;
    while (pos < in.size()) {
        const std::uint64_t old_i = i;
        std::uint64_t w = 1;
        for (std::uint32_t k = puny_base;; k += puny_base) {
            if (pos >= in.size()) {
                return false;
            }
            const char c = in[pos++];
            std::uint32_t digit = 0;
            if (c >= 'a' && c <= 'z') {
                digit = static_cast<std::uint32_t>(c - 'a');
            } else if (c >= 'A' && c <= 'Z') {
                digit = static_cast<std::uint32_t>(c - 'A');
            } else if (c >= '0' && c <= '9') {
                digit = static_cast<std::uint32_t>(c - '0') + 26;
            } else {
                return false;
            }
            i += digit * w;
            if (i > max_value) {
                return false;
            }
            const std::uint32_t t = puny_threshold(k, bias);
            if (digit < t) {
                break;
            }
            w *= puny_base - t;
            if (w > max_value) {
                return false;
            }
        }
        const auto points = static_cast<std::uint32_t>(out.size() + 1);
        bias = puny_adapt(static_cast<std::uint32_t>(i - old_i), points, old_i == 0);
        n += i / points;
        i %= points;
        if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) {
            return false;
        }
        out.insert(out.begin() + static_cast<std::ptrdiff_t>(i), static_cast<char32_t>(n));
        ++i;
    }
    return true;
}

char puny_digit(std::uint32_t d) noexcept {
    return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26));
}

std::string punycode_encode(const std::u32string& in) {
    std::string out;
    for (char32_t c : in) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        }
    }
    const auto basic = static_cast<std::uint32_t>(out.size());
    std::uint32_t handled = basic;
    if (basic > 0) {
        out.push_back('-');
    }
    std::uint64_t n = puny_initial_n, delta = 0;
    std::uint32_t bias = puny_initial_bias;
    while (handled < in.size()) {
        std::uint64_t m = 0x10FFFF + 1;
        for (char32_t c : in) {
            if (c >= n && c < m) {
                m = c;
            }
        }
        delta += (m - n) * (handled + 1);
        n = m;
        for (char32_t c : in) {
            if (c < n) {
                ++delta;
            } else if (c == n) {
                std::uint64_t q = delta;
                for (std::uint32_t k = puny_base;; k += puny_base) {
                    const std::uint32_t t = puny_threshold(k, bias);
                    if (q < t) {
                        break;
                    }
                    out.push_back(
                        puny_digit(static_cast<std::uint32_t>(t + (q - t) % (puny_base - t))));
                    q = (q - t) / (puny_base - t);
                }
                out.push_back(puny_digit(static_cast<std::uint32_t>(q)));
                bias = puny_adapt(static_cast<std::uint32_t>(delta), handled + 1, handled == basic);
                delta = 0;
                ++handled;
            }
        }
        ++delta;
        ++n;
    }
    return out;
}

bool is_ldh_label(std::string_view label) noexcept {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        return false;
    }
    for (char c : label) {
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool has_ace_prefix(std::string_view label) noexcept {
    return label.size() >= 4 && (label[0] == 'x' || label[0] == 'X') &&
           (label[1] == 'n' || label[1] == 'N') && label[2] == '-' && label[3] == '-';
}

// RFC 5891 4.2 and RFC 5892 appendix A, for one label (the Bidi rule needs the whole name).
bool is_valid_u_label(const std::u32string& label) {
    const std::size_t size = label.size();
    if (size == 0 || label.front() == '-' || label.back() == '-' || is_mark(label.front())) {
        return false;
    }
    if (size >= 4 && label[2] == '-' && label[3] == '-') {
        return false;
    }
    bool arabic_indic = false, extended_arabic_indic = false, needs_kana_han = false;
    bool has_kana_han = false;
    for (std::size_t i = 0; i < size; ++i) {
        const char32_t cp = label[i];
        const char32_t before = i > 0 ? label[i - 1] : 0;
        const char32_t after = i + 1 < size ? label[i + 1] : 0;
        if (is_disallowed(cp)) {
            return false;
        }
        arabic_indic |= cp >= 0x660 && cp <= 0x669;
        extended_arabic_indic |= cp >= 0x6F0 && cp <= 0x6F9;
        has_kana_han |= is_hiragana_katakana_han(cp);
        switch (cp) {
            case 0x200D:  // ZERO WIDTH JOINER
                if (!is_virama(before)) {
                    return false;
                }
                break;
            case 0x200C: {  // ZERO WIDTH NON-JOINER
                if (is_virama(before)) {
                    break;
                }
                std::size_t l = i;
                while (l > 0 && is_mark(label[l - 1])) {
                    --l;
                }
                std::size_t r = i + 1;
                while (r < size && is_mark(label[r])) {
                    ++r;
                }
                if (l == 0 || !is_joining_letter(label[l - 1]) || r == size ||
                    !is_joining_letter(label[r])) {
                    return false;
                }
                break;
            }
            case 0xB7:  // MIDDLE DOT, only in Catalan "l·l"
                if (before != 'l' || after != 'l') {
                    return false;
                }
                break;
            case 0x375:  // GREEK LOWER NUMERAL SIGN
                if (!is_greek(after)) {
                    return false;
                }
                break;
            case 0x5F3:  // HEBREW PUNCTUATION GERESH
            case 0x5F4:  // HEBREW PUNCTUATION GERSHAYIM
                if (!is_hebrew(before)) {
                    return false;
                }
                break;
            case 0x30FB:  // KATAKANA MIDDLE DOT
                needs_kana_han = true;
                break;
            default: break;
        }
    }
    return !(arabic_indic && extended_arabic_indic) && (!needs_kana_han || has_kana_han);
}

// RFC 5893 section 2, applied to every label of a name that has a right-to-left label.
bool satisfies_bidi_rule(const std::u32string& label) {
    const bidi first = bidi_class(label.front());
    if (first != bidi::l && first != bidi::r && first != bidi::al) {
        return false;
    }
    std::size_t last = label.size();
    while (last > 1 && bidi_class(label[last - 1]) == bidi::nsm) {
        --last;
    }
    const bidi end = bidi_class(label[last - 1]);
    if (first == bidi::l) {
        for (char32_t cp : label) {
            const bidi c = bidi_class(cp);
            if (c == bidi::r || c == bidi::al || c == bidi::an) {
                return false;
            }
        }
        return end == bidi::l || end == bidi::en;
    }
    bool en = false, an = false;
    for (char32_t cp : label) {
        const bidi c = bidi_class(cp);
        en |= c == bidi::en;
        an |= c == bidi::an;
        if (c == bidi::l) {
            return false;
        }
    }
    return !(en && an) && (end == bidi::r || end == bidi::al || end == bidi::en || end == bidi::an);
}

bool is_rtl_label(const std::u32string& label) noexcept {
    return std::any_of(label.begin(), label.end(), [](char32_t cp) {
        const bidi c = bidi_class(cp);
        return c == bidi::r || c == bidi::al || c == bidi::an;
    });
}

// An "xn--" label: valid Punycode of a non-ASCII U-label that encodes back to itself.
bool decode_a_label(std::string_view label, std::u32string& u_label) {
    std::string lower(label.substr(4));
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    if (!punycode_decode(lower, u_label) ||
        std::all_of(u_label.begin(), u_label.end(), [](char32_t c) { return c < 0x80; })) {
        return false;
    }
    std::u32string folded = u_label;
    for (char32_t& c : folded) {
        if (c >= 'A' && c <= 'Z') {
            c = c - 'A' + 'a';
        }
    }
    return punycode_encode(folded) == lower;
}

// Splits `name` at the label separators of RFC 3490 3.1 ('.', U+3002, U+FF0E, U+FF61 when
// `ideographic_dots`) and checks every label; `idn` allows U-labels.
bool check_host_name(std::string_view name, bool idn) {
    if (name.empty()) {
        return false;
    }
    std::vector<std::u32string> labels;
    std::size_t ascii_length = 0;
    std::size_t start = 0;
    bool any_rtl = false;
    while (true) {
        std::size_t end = start, next = std::string_view::npos;
        for (; end < name.size(); ++end) {
            if (name[end] == '.') {
                next = end + 1;
                break;
            }
            if (idn && (name.compare(end, 3, "\xE3\x80\x82") == 0 ||
                        name.compare(end, 3, "\xEF\xBC\x8E") == 0 ||
                        name.compare(end, 3, "\xEF\xBD\xA1") == 0)) {
                next = end + 3;
                break;
            }
        }
        const std::string_view label = name.substr(start, end - start);
        std::u32string u_label;
        std::size_t encoded_length = label.size();
        const bool ascii = std::all_of(label.begin(), label.end(),
                                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        if (ascii) {
            if (!is_ldh_label(label)) {
                return false;
            }
            if (has_ace_prefix(label)) {
                if (!decode_a_label(label, u_label) || !is_valid_u_label(u_label)) {
                    return false;
                }
            } else {
                u_label.assign(label.begin(), label.end());
            }
        } else {
            if (!idn || !to_code_points(label, u_label) || !is_valid_u_label(u_label)) {
                return false;
            }
            encoded_length = 4 + punycode_encode(u_label).size();
            if (encoded_length > 63) {
                return false;
            }
        }
        any_rtl |= is_rtl_label(u_label);
        ascii_length += encoded_length + (next == std::string_view::npos ? 0 : 1);
        labels.push_back(std::move(u_label));
        if (next == std::string_view::npos) {
            break;
        }
        start = next;
    }
    if (ascii_length > 253) {
        return false;
    }
    if (any_rtl) {
        for (const auto& label : labels) {
            if (!satisfies_bidi_rule(label)) {
                return false;
            }
        }
    }
    return true;
}

// The common case, plain ASCII names without "xn--" labels, checked without allocating.
// Returns false when the name needs the full check instead.
bool is_plain_ascii_host_name(std::string_view name, bool& valid) noexcept {
    std::size_t start = 0;
    while (true) {
        const auto dot = name.find('.', start);
        const auto label = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (has_ace_prefix(label)) {
            return false;
        }
        for (char c : label) {
            if (static_cast<unsigned char>(c) >= 0x80) {
                return false;
            }
        }
        if (!is_ldh_label(label)) {
            valid = false;
            return true;
        }
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    valid = !name.empty() && name.size() <= 253;
    return true;
}

}  // namespace

bool is_hostname(std::string_view text) noexcept {
    if (bool valid = false; is_plain_ascii_host_name(text, valid)) {
        return valid;
    }
    try {
        return check_host_name(text, false);
    } catch (...) {
        return false;  // out of memory
    }
}

bool is_idn_hostname(std::string_view text) noexcept {
    if (bool valid = false; is_plain_ascii_host_name(text, valid)) {
        return valid;
    }
    try {
        return check_host_name(text, true);
    } catch (...) {
        return false;  // out of memory
    }
}

}  // namespace jupyter_events::detail
