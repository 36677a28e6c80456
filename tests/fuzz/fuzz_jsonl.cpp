// Fuzzes the JSON Lines reader of `jupyter-events record` (stdin without --schema): each
// line {"schema": ID, "version": V, "event": {...}, "timestamp"?: T} is parsed by
// detail::parse_event_json and recorded against the fixture schemas.
//
// The reader (read_line, record_line, recorder) lives in an anonymous namespace of cli.cpp,
// so this target compiles cli.cpp itself, with its main renamed, and drives the same loop
// as `record` does over std::cin. Its messages to std::cerr are discarded.
//
// Input: the bytes of stdin.
#include "fuzz_support.hpp"

#define main jupyter_events_cli_main
#include "cli.cpp"
#undef main

#include <iostream>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static je::event_logger& logger = [] () -> je::event_logger& {
        static je_fuzz::null_buffer sink;
        if (!je_fuzz::verbose()) std::cerr.rdbuf(&sink);  // one message per bad line would dominate the run
        return je_fuzz::fixture_logger(false);
    }();
    recorder r{logger, true};
    // record()'s loop over std::cin, on the input as a stream.
    std::istringstream in(std::string(je_fuzz::as_text(data, size)));
    std::string line;
    bool too_long = false;
    for (std::size_t n = 1; read_line(in, line, too_long); ++n) {
        if (too_long) {
            r.rejected = true;
            continue;
        }
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines are skipped
        record_line(r, "<stdin>:" + std::to_string(n), line);
    }
    if (r.write_failed) je_fuzz::fail("a write to /dev/null failed");
    return 0;
}
