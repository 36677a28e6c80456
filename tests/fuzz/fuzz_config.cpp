// Fuzzes the YAML configuration loader: layering, overrides, ${VAR} substitution, the check
// against the config's JSON Schema, and then what `check-config` does with the result
// (every handler's sink built without creating files or opening sockets).
//
// Input: YAML text. A line `#==layer==` starts the next file (up to 4 layer files, each
// written to a temporary directory); a line `#--Section.key=value` adds an override; a line
// `#!server` loads with resolve_server, `#!default` with the defaults, else resolve_all
// (check-config). All directives are YAML comments, so a seed is an ordinary config file.
#include "fuzz_support.hpp"

#include <jupyter_events/config_loader.hpp>
#include <jupyter_events/error.hpp>

#include "detail/sinks.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace {

namespace je = jupyter_events;
namespace fs = std::filesystem;

// Where the layer files go: tmpfs when there is one (on ext4, rewriting a file per input
// costs a writeback each). Each input gets its own directory, removed afterwards, since
// libFuzzer ends with _Exit and runs no atexit handler.
const fs::path& base_dir() {
    static const fs::path dir = [] {
        std::error_code ec;
        fs::path d = fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0 ? fs::path("/dev/shm")
                                                                                       : fs::temp_directory_path();
        // Variables the inputs may reference (the dictionary names them).
        ::setenv("JE_FUZZ_DIR", d.c_str(), 1);
        ::setenv("JE_FUZZ_SIZE", "1048576", 1);
        ::setenv("JE_FUZZ_BOOL", "true", 1);
        ::setenv("JE_FUZZ_EMPTY", "", 1);
        ::setenv("JE_FUZZ_NESTED", "${JE_FUZZ_SIZE}", 1);  // substituted once, never recursively
        ::setenv("JE_FUZZ_LIST", "[a, b]", 1);
        ::unsetenv("JE_FUZZ_UNSET");
        return d;
    }();
    return dir;
}

struct input_dir {
    fs::path path;
    input_dir() {
        std::string templ = (base_dir() / "je-fuzz-config-XXXXXX").string();
        if (!::mkdtemp(templ.data())) je_fuzz::fail("mkdtemp failed in " + base_dir().string());
        path = templ;
    }
    ~input_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    input_dir(const input_dir&) = delete;
    input_dir& operator=(const input_dir&) = delete;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string_view> layers = je_fuzz::split_on_line(je_fuzz::as_text(data, size), "#==layer==");
    if (layers.size() > 4) return 0;

    std::vector<std::string> overrides;
    je::load_options options;
    options.resolve_all = true;
    const input_dir dir;
    std::vector<fs::path> files;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        for (std::size_t pos = 0; pos < layers[i].size();) {
            std::size_t end = layers[i].find('\n', pos);
            if (end == std::string_view::npos) end = layers[i].size();
            const std::string_view line = layers[i].substr(pos, end - pos);
            if (line.rfind("#--", 0) == 0) overrides.emplace_back(line.substr(3));
            if (line == "#!server") options = {true, false};
            if (line == "#!default") options = {};
            pos = end + 1;
        }
        fs::path file = dir.path / ("layer" + std::to_string(i) + ".yaml");
        std::ofstream(file, std::ios::binary | std::ios::trunc).write(layers[i].data(),
                                                                       static_cast<std::streamsize>(layers[i].size()));
        files.push_back(std::move(file));
    }

    je::config cfg;
    try {
        cfg = je::load_config(files, overrides, options);
    } catch (const je::error& e) {
        if (je_fuzz::verbose()) std::fprintf(stderr, "%s\n", e.what());
        if (e.kind() != je::errc::config_error && e.kind() != je::errc::parse_error && e.kind() != je::errc::io_error)
            je_fuzz::fail(std::string("unexpected error kind: ") + e.what());
        if (std::string_view(e.what()).empty()) je_fuzz::fail("an error without a message");
        return 0;
    }
    if (cfg.files.size() != files.size()) je_fuzz::fail("config.files does not list every layer");
    if (je_fuzz::verbose()) std::fprintf(stderr, "loaded: %zu handlers\n", cfg.event_logger.handlers.size());
    // check-config: every handler is built as it would be, creating nothing.
    for (const auto& handler : cfg.event_logger.handlers) {
        try {
            je::detail::build_sink(handler, 0, false);
        } catch (const je::error& e) {
            if (je_fuzz::verbose()) std::fprintf(stderr, "%s\n", e.what());
            if (e.kind() != je::errc::config_error) je_fuzz::fail(std::string("unexpected sink error: ") + e.what());
        }
    }
    return 0;
}
